"""The embedded store: Oxigraph (RocksDB) in a folder, one named graph per article.

Writes go straight to pyoxigraph's bulk loader, which builds sorted index files and ingests
them in one atomic RocksDB step per call as long as the call stays under the loader's batch
size (1M quads); we keep every call well under it and cut only between articles. Replacing
an article is then "drop its graph" (one transaction) followed by that ingest, so a crash in
between leaves the article absent, never half there, and the next build re-adds it because
its content hash is gone with it.

RocksDB takes an exclusive lock on the folder, so a second writer fails at once; we turn that
into one clear line. Readers open a read-only secondary instance, which works beside a
running build and sees the store as it was when opened.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, serialize
from pyoxigraph import Store as OxStore

from kg.namespaces import KG, PREFIXES
from kg.rdf import minted_per_article
from kg.store import QueryResult, StoreError, matching, register, with_timeout

_HASH = NamedNode(KG + "contentHash")
#: Quads per bulk ingest: far below Oxigraph's 1M batch, so each call is one atomic ingest.
MAX_INGEST = 250_000
#: Below this a plain transaction is cheaper than writing index files.
SMALL_WRITE = 2_000
def union_triples(quads: Iterator[Quad]) -> Iterator[Triple]:
    """The union of all graphs with each triple once, streamed: triples about an article or its
    fact nodes can only sit in that article's graph, so only the shared ones (entities) are
    remembered, and memory grows with the entities, not with the corpus."""
    seen: set[Triple] = set()
    for q in quads:
        t = q.triple
        if minted_per_article(t.subject, q.graph_name):
            yield t
        elif t not in seen:
            seen.add(t)
            yield t


class LocalStore:
    def __init__(self, location: str, *, read_only: bool = False) -> None:
        self.location = location
        self.read_only = read_only
        path = Path(location)
        is_store = (path / "CURRENT").is_file()
        if read_only and not is_store:
            raise StoreError(f"{location}: no store here (run `kg build` first)")
        if path.is_dir() and not is_store and any(path.iterdir()):
            raise StoreError(f"{location}: folder holds other files, not a kg store; "
                             "choose an empty or new folder")
        try:
            if read_only:
                self._db = OxStore.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._db = OxStore(str(path))
        except OSError as e:
            raise StoreError(f"{location}: {_open_error(e)}") from e
        except RuntimeError as e:  # RocksDB mid-creation: "Column family not found"
            raise StoreError(f"{location}: the store is still being created by another kg "
                             "process; try again in a moment") from e

    @property
    def oxigraph(self) -> OxStore:
        """The pyoxigraph store itself, for bulk work that should not go through Python."""
        return self._db

    def article_hash(self, graph: NamedNode) -> str | None:
        for q in self._db.quads_for_pattern(graph, _HASH, None, graph):
            if isinstance(q.object, Literal):
                return q.object.value
        return None

    def replace_articles(self, batch: Iterable[tuple[NamedNode, list[Quad]]]) -> None:
        for chunk in _chunks(batch, MAX_INGEST):
            for graph, _ in chunk:
                if self._db.contains_named_graph(graph):
                    self._db.remove_graph(graph)
            quads = [q for _, qs in chunk for q in qs]
            if len(quads) < SMALL_WRITE or len(quads) > MAX_INGEST:
                self._db.extend(quads)  # one transaction: atomic at any size
            else:
                self._db.bulk_extend(quads)
        # No flush: transactions are in RocksDB's write-ahead log and ingested files are on
        # disk, so both survive a crash; flushing each batch only made the build slower.

    def query(self, sparql: str, *, timeout: float | None = None) -> QueryResult:
        def run() -> QueryResult:
            return self._db.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)

        return with_timeout(run, timeout, self.location)

    def update(self, sparql: str) -> None:
        self._db.update(sparql)

    def quads(self, *, subjects: Collection[str] | None = None,
              predicates: Collection[str] | None = None) -> Iterator[Quad]:
        if subjects is None and predicates is None:
            return iter(self._db)
        if subjects is None:
            return chain.from_iterable(self._db.quads_for_pattern(None, NamedNode(p), None)
                                       for p in sorted(predicates))
        # Oxigraph's subject index: a few hundred lookups instead of a scan of the store.
        found = chain.from_iterable(self._db.quads_for_pattern(node, None, None)
                                    for node in _iris(subjects))
        return found if predicates is None else matching(found, None, predicates)

    def dump(self, out: BinaryIO, fmt: RdfFormat) -> None:
        if fmt.supports_datasets:
            self._db.dump(out, fmt, prefixes=PREFIXES)
        else:
            # CONSTRUCT returns a set, so a triple stated by many articles is written once.
            serialize(union_triples(iter(self._db)), out, fmt, prefixes=PREFIXES)

    def close(self) -> None:
        if hasattr(self, "_db"):
            if not self.read_only:
                self._db.flush()
            del self._db  # drops the RocksDB lock once no query thread still holds it

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _iris(values: Collection[str]) -> Iterator[NamedNode]:
    """The values that are IRIs, as nodes (a literal can end an edge, but has no quads)."""
    for value in sorted(values):
        try:
            yield NamedNode(value)
        except ValueError:
            continue


def _chunks(batch: Iterable[tuple[NamedNode, list[Quad]]],
            limit: int) -> Iterator[list[tuple[NamedNode, list[Quad]]]]:
    """Group whole articles into runs of at most `limit` quads (a bigger article goes alone)."""
    chunk: list[tuple[NamedNode, list[Quad]]] = []
    size = 0
    for graph, quads in batch:
        if chunk and size + len(quads) > limit:
            yield chunk
            chunk, size = [], 0
        chunk.append((graph, quads))
        size += len(quads)
    if chunk:
        yield chunk


def _open_error(e: OSError) -> str:
    msg = str(e)
    if "lock" in msg.lower():
        return ("locked by another kg process (a build, or `kg serve --allow-updates`); "
                "wait for it to finish — `kg query` can read meanwhile")
    return msg.splitlines()[0] if msg else "cannot open the store"


register("file", LocalStore)
