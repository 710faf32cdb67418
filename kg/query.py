"""Placeholder until the store issue lands."""

from __future__ import annotations

from pathlib import Path

from kg.store import Store


class QueryError(Exception):
    def __init__(self, msg: str, syntax: bool = False) -> None:
        super().__init__(msg)
        self.syntax = syntax


def read_query(arg: str) -> str:
    p = Path(arg)
    return p.read_text(encoding="utf-8") if arg.endswith(".rq") and p.exists() else arg


def run_query(store: Store, text: str, fmt: str, timeout: float | None = None) -> str:
    try:
        res = store.query(text)
    except SyntaxError as e:
        raise QueryError(f"SPARQL syntax error: {str(e).splitlines()[0]}", syntax=True) from e
    return "\n".join(str(r) for r in res) + "\n"
