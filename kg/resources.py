"""Locating the data files in ontologies/ (lexicons, gazetteer, queries, shapes).

Behaviour lives in data, so every module asks here rather than hard-coding word lists.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path


def ontology_dir() -> Path:
    env = os.environ.get("KG_ONTOLOGIES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "ontologies"


def path(name: str) -> Path:
    return ontology_dir() / name


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of a data file."""
    out = []
    for line in path(name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return tuple(out)


@cache
def load_table(name: str) -> dict[str, str]:
    """A two-column, tab-separated data file as a lower-cased key -> value mapping."""
    table = {}
    for line in load_lines(name):
        key, _, value = line.partition("\t")
        table[key.strip().lower()] = value.strip()
    return table


@cache
def load_set(name: str) -> frozenset[str]:
    return frozenset(x.lower() for x in load_lines(name))
