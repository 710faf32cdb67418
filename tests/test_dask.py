"""Extraction as a map on dask.distributed, loading as a reduce into a SPARQL server: a real
LocalCluster of two worker processes writing to a real Oxigraph server gives the same facts as
a plain local build."""

from __future__ import annotations

from pathlib import Path

from kg.build import build
from kg.store import Store, open_store

pytest_plugins = ["server_fixtures"]
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FACTS = """SELECT DISTINCT ?s ?p ?o WHERE {
  GRAPH ?g { ?s ?p ?o . FILTER (?p IN (kg:claims, kg:refuses, kg:controlledBy)) }
}"""
TEXTS = """SELECT DISTINCT ?t WHERE { GRAPH ?g { ?s rdf:value ?t } }"""


def corpus(tmp: Path) -> Path:
    """The seed and two variants with their own ids, so the map has several batches."""
    text = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    folder = tmp / "corpus"
    folder.mkdir()
    for i in range(3):
        (folder / f"copy{i}.txt").write_text(text + f"\n\nEditor's note {i}.", encoding="utf-8")
    return folder


def rows(store: Store, sparql: str) -> set[tuple[str, ...]]:
    return {tuple(str(v) for v in row) for row in store.query(sparql)}


def test_dask_local_cluster_into_a_server_matches_a_local_build(
        tmp_path: Path, empty_server: str) -> None:
    folder = corpus(tmp_path)
    local = open_store(str(tmp_path / "local"))
    remote = open_store(empty_server)
    try:
        plain = build([folder], local)
        spread = build([folder], remote, executor="dask", jobs=2, batch_size=1)
        assert plain.built == spread.built == 3 and not spread.errors
        assert rows(remote, FACTS) == rows(local, FACTS) != set()
        assert rows(remote, TEXTS) == rows(local, TEXTS)
        again = build([folder], remote, executor="dask", jobs=2, batch_size=1)
        assert again.built == 0 and again.skipped == 3  # resumable on the server too
    finally:
        local.close()
        remote.close()
