"""Store back-ends behind one small protocol, chosen by the location's form.

A folder means the embedded Oxigraph store; an http(s) URL means a SPARQL 1.1 server. Like
rdflib's plugin registry, new back-ends register a scheme and nothing else changes.

Both back-ends hand back pyoxigraph's own result types (QuerySolutions, QueryBoolean,
QueryTriples), so code written against a local store runs unchanged against a server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

from pyoxigraph import (
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    parse_query_results,
)
from pyoxigraph import Store as OxStore

if TYPE_CHECKING:
    from rdflib import Dataset

QueryResult = QuerySolutions | QueryBoolean | QueryTriples


class StoreError(Exception):
    """A store problem worth one clear line to the user (locked, unreachable, corrupt)."""


class QueryTimeout(StoreError):
    """The query outran its time limit; its partial results are discarded."""


class Store(Protocol):
    location: str

    def article_hash(self, graph: NamedNode) -> str | None:
        """The kg:contentHash recorded for an article graph, or None when it is absent."""

    def replace_articles(self, batch: Iterable[tuple[NamedNode, list[Quad]]]) -> None:
        """Swap each article graph for its new quads; each article lands whole or not at all."""

    def query(self, sparql: str, *, timeout: float | None = None) -> QueryResult:
        """Run SPARQL with the ontology prefixes predeclared and the union default graph."""

    def quads(self, *, subjects: Collection[str] | None = None,
              predicates: Collection[str] | None = None) -> Iterator[Quad]:
        """Every quad of every graph, or only those whose subject (and predicate) IRI is in
        the given sets: a view that needs a slice of a big store should not read all of it."""

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update atomically (our own data files only: never article text)."""

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

    location = str(location)
    scheme = location.split("://", 1)[0].lower() if "://" in location else "file"
    try:
        factory = _BACKENDS[scheme]
    except KeyError:
        raise StoreError(f"{location}: no store back-end for scheme {scheme!r}") from None
    return factory(location, read_only=read_only)


def as_rdflib(location: str | Path, *, read_only: bool = True) -> Dataset:
    """An rdflib Dataset over the embedded store, for Python users who know rdflib.

    oxrdflib makes it a view over the same Oxigraph files rather than a copy, so a million
    triples cost nothing to open. The default graph is the union of the article graphs, as in
    `kg query`. Read-only by default so it can sit beside a running build.

    >>> ds = as_rdflib("outputs/store")                                        # doctest: +SKIP
    >>> ds.query("SELECT ?who WHERE { ?who kg:claims ?s }")                    # doctest: +SKIP
    """
    from oxrdflib import OxigraphStore
    from rdflib import Dataset, Namespace

    from kg.namespaces import PREFIXES
    from kg.store.local import LocalStore

    store = open_store(str(location), read_only=read_only)
    if not isinstance(store, LocalStore):
        store.close()
        raise StoreError(f"{location}: as_rdflib needs a store folder; use rdflib's "
                         "SPARQLStore for a server")
    ds = Dataset(store=OxigraphStore(store=store.oxigraph), default_union=True)
    for prefix, iri in PREFIXES.items():
        ds.bind(prefix, Namespace(iri))
    return ds


def matching(quads: Iterable[Quad], subjects: Collection[str] | None,
             predicates: Collection[str] | None) -> Iterator[Quad]:
    """The `Store.quads(subjects=, predicates=)` contract, for back-ends with no index to ask."""
    for q in quads:
        if subjects is not None and q.subject.value not in subjects:
            continue
        if predicates is not None and q.predicate.value not in predicates:
            continue
        yield q


def _to_bytes(result: QueryResult) -> tuple[str, bytes]:
    """Evaluate a lazy result to bytes; Oxigraph evaluates SELECT and CONSTRUCT while they
    are iterated, so this is where the time goes."""
    if isinstance(result, QueryTriples):
        return "triples", result.serialize(format=RdfFormat.N_TRIPLES) or b""
    return "results", result.serialize(format=QueryResultsFormat.JSON) or b""


def _from_bytes(kind: str, data: bytes) -> QueryResult:
    if kind == "triples":
        return triples_result(data)
    return parse_query_results(data, QueryResultsFormat.JSON)


def triples_result(data: bytes, fmt: RdfFormat = RdfFormat.N_TRIPLES) -> QueryTriples:
    """Serialised triples as a QueryTriples, the type a local CONSTRUCT returns.

    pyoxigraph cannot build a QueryTriples directly; a throwaway in-memory store can.
    """
    mem = OxStore()
    mem.load(data, fmt)
    result = mem.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, QueryTriples)
    return result


def with_timeout(run: Callable[[], QueryResult], timeout: float | None,
                 what: str) -> QueryResult:
    """Run a query on a worker thread and give up waiting after `timeout` seconds.

    Oxigraph has no cancellation hook in Python, but it releases the GIL while evaluating, so
    an abandoned query burns one core until it finishes and never blocks the caller. Result
    objects must not cross threads (pyo3 marks them unsendable), so the worker hands back
    serialised results and they are parsed again here.
    """
    if timeout is None:
        return run()
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["result"] = _to_bytes(run())
        except BaseException as e:  # handed to the caller's thread below
            box["error"] = e

    worker = threading.Thread(target=work, name="kg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryTimeout(f"{what}: query stopped after {timeout:g} s (--timeout)")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return _from_bytes(*box["result"])  # type: ignore[misc]
