"""Shared helpers for the `kg build` tests: the real CLI in a subprocess, small corpora made
from the seed article, and read-only looks into a store (safe beside a running build)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pyoxigraph import Store as OxStore

from kg.namespaces import ID, PREFIXES

KG = str(Path(sys.executable).parent / "kg")
ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "seeds").glob("*.txt"))
#: The relations the seed article must yield, by local name.
RELATIONS = {"claims", "refuses", "controlledBy"}
#: Quads per named graph; the derived graphs (kgid:graph/...) are not articles.
GRAPH_SIZES = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
               f'FILTER(!STRSTARTS(STR(?g), "{ID}graph/")) }} GROUP BY ?g')


def kg(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "120"}
    return subprocess.run([KG, *args], capture_output=True, text=True, timeout=timeout, env=env)


def popen_kg(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([KG, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def error_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("kg: error: ")]


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("kg: error: "), done.stderr
    assert "Traceback" not in done.stderr
    return lines[0]


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def short_seed() -> str:
    """The seed's headline and first three paragraphs: all three relations, a fifth the cost."""
    return "\n\n".join(seed_text().split("\n\n")[:4])


def write_corpus(path: Path, n: int) -> list[str]:
    """A JSONL corpus of `n` distinct articles varied from the seed; returns their ids."""
    base = short_seed()
    ids = [f"dispatch-{i:03d}" for i in range(n)]
    with path.open("w", encoding="utf-8") as fh:
        for i, ident in enumerate(ids):
            text = base.replace("July 2022", f"July {1950 + i}")
            fh.write(json.dumps({"id": ident, "text": text}) + "\n")
    return ids


def open_read_only(location: Path | str) -> OxStore | None:
    """A read-only view of a store, or None while it does not exist or cannot be opened yet."""
    if not (Path(location) / "CURRENT").is_file():
        return None
    try:
        return OxStore.read_only(str(location))
    except (OSError, RuntimeError):  # RocksDB mid-creation: "Column family not found"
        return None


def article_counts(location: Path | str) -> dict[str, int]:
    """Quads per article graph, read without taking the lock. Every graph but the derived
    ones counts, so a half-written article (even one without its kg:Article triple) shows."""
    db = open_read_only(location)
    if db is None:
        return {}
    try:
        return {row["g"].value: int(row["n"].value)
                for row in db.query(GRAPH_SIZES, prefixes=PREFIXES)}
    finally:
        del db
