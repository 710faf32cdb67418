"""kg: news articles in; an RDF knowledge graph of claims, refusals and control out.

    >>> import kg
    >>> store = kg.open_store("outputs/store")               # doctest: +SKIP
    >>> kg.build([Path("seeds")], store)                      # doctest: +SKIP

`build` is imported lazily: it pulls in spaCy, which commands like `kg query` never need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.store import as_rdflib, open_store

if TYPE_CHECKING:
    from kg.build import build

__all__ = ["as_rdflib", "build", "open_store"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "build":
        from kg.build import build

        return build
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
