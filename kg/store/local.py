"""The embedded store: Oxigraph on disk.

Oxigraph's RocksDB takes an exclusive lock on the folder, so a second writer fails at once;
we turn that into one clear line instead of a RocksDB message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat
from pyoxigraph import Store as OxStore

from kg.namespaces import KG, PREFIXES
from kg.store import QueryResult, StoreError, register

_HASH = NamedNode(KG + "contentHash")


class LocalStore:
    def __init__(self, location: str, *, read_only: bool = False) -> None:
        self.location = location
        path = Path(location)
        try:
            if read_only:
                if not path.exists():
                    raise StoreError(f"{location}: no store here (run `kg build` first)")
                self._db = OxStore.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._db = OxStore(str(path))
        except OSError as e:
            msg = str(e)
            if "lock" in msg.lower():
                msg = "the store is in use by another kg process; wait for it to finish"
            raise StoreError(f"{location}: {msg.splitlines()[0] if msg else 'cannot open'}") from e

    def article_hash(self, graph: NamedNode) -> str | None:
        for q in self._db.quads_for_pattern(graph, _HASH, None, graph):
            if isinstance(q.object, Literal):
                return q.object.value
        return None

    def replace_articles(self, batch: Iterable[tuple[NamedNode, list[Quad]]]) -> None:
        for graph, quads in batch:
            # Removing first then adding in one transaction each: a crash in between leaves the
            # article absent (and its hash with it), so the next build simply adds it again.
            self._db.remove_graph(graph)
            self._db.extend(quads)
        self._db.flush()

    def query(self, sparql: str, *, timeout: float | None = None) -> QueryResult:
        return self._db.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)

    def quads(self) -> Iterator[Quad]:
        return iter(self._db)

    def dump(self, out: BinaryIO, fmt: RdfFormat) -> None:
        if fmt.supports_datasets:
            self._db.dump(out, fmt, prefixes=PREFIXES)
        else:
            triples = self._db.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                     use_default_graph_as_union=True)
            from pyoxigraph import serialize
            serialize(triples, out, fmt, prefixes=PREFIXES)

    def close(self) -> None:
        del self._db


register("file", LocalStore)
