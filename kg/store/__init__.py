"""Store back-ends behind one small protocol, chosen by the location's form.

A folder means the embedded Oxigraph store; an http(s) URL means a SPARQL 1.1 server. Like
rdflib's plugin registry, new back-ends register a scheme and nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO, Protocol

from pyoxigraph import NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples, RdfFormat

QueryResult = QuerySolutions | QueryBoolean | QueryTriples


class StoreError(Exception):
    """A store problem worth one clear line to the user (locked, unreachable, corrupt)."""


class Store(Protocol):
    location: str

    def article_hash(self, graph: NamedNode) -> str | None:
        """The kg:contentHash recorded for an article graph, or None when it is absent."""

    def replace_articles(self, batch: Iterable[tuple[NamedNode, list[Quad]]]) -> None:
        """Swap each article graph for its new quads; each article lands whole or not at all."""

    def query(self, sparql: str, *, timeout: float | None = None) -> QueryResult:
        """Run SPARQL with the ontology prefixes predeclared and the union default graph."""

    def quads(self) -> Iterator[Quad]:
        """Every quad of every graph."""

    def dump(self, out: BinaryIO, fmt: RdfFormat) -> None:
        """Serialise the store; triple formats get the union of all graphs."""

    def close(self) -> None: ...


_BACKENDS: dict[str, Callable[..., Store]] = {}


def register(scheme: str, factory: Callable[..., Store]) -> None:
    _BACKENDS[scheme] = factory


def open_store(location: str, *, read_only: bool = False) -> Store:
    """Open the store at a folder path or a SPARQL endpoint URL.

    >>> store = open_store("outputs/store")          # doctest: +SKIP
    >>> store = open_store("http://127.0.0.1:7878")  # doctest: +SKIP
    """
    from kg.store import local, remote  # noqa: F401  (registers the back-ends)

    scheme = location.split("://", 1)[0].lower() if "://" in location else "file"
    try:
        factory = _BACKENDS[scheme]
    except KeyError:
        raise StoreError(f"{location}: no store back-end for scheme {scheme!r}") from None
    return factory(location, read_only=read_only)
