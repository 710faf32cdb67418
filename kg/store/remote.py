"""SPARQL 1.1 Protocol + Graph Store Protocol back-end (placeholder until the store issue lands)."""

from __future__ import annotations

from kg.store import StoreError, register


def _remote(location: str, *, read_only: bool = False):
    raise StoreError(f"{location}: remote stores are not implemented yet")


register("http", _remote)
register("https", _remote)
