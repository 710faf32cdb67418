"""How much the store layer costs: kg's path against raw pyoxigraph and rdflib, same data.

    .venv/bin/python benchmarks/bench_store.py                  # ~1M triples
    .venv/bin/python benchmarks/bench_store.py --triples 100000

Synthetic articles (entities drawn from a shared pool, claims, refusals, control facts) go
through kg.rdf.to_quads, then:

- load: `replace_articles` in build-sized batches, against pyoxigraph `bulk_load` of the
  same quads as N-Quads (and `bulk_extend` of the same Quad objects);
- export: `kg.export` Turtle (the deduplicated union) and TriG, against `Store.dump` on the
  same store once its background compaction has settled;
- queries: every ontologies/queries/*.rq through `kg.query.run_query`.

Ratios are speeds relative to ours (raw time / our time): 1.0 means no overhead, and the
target is at least 0.8. rdflib's in-memory Dataset gets the same work on a smaller slice
(--rdflib-triples) because it is far slower; that comparison is per triple.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import NamedNode, Quad, QueryResultsFormat, RdfFormat, serialize
from pyoxigraph import Store as OxStore

from kg.article import Article
from kg.export import export
from kg.facts import ArticleFacts, Claim, Control, Entity, Evidence, Refusal
from kg.query import run_query
from kg.rdf import article_iri, to_quads
from kg.resources import path as data_path
from kg.store import open_store

ACTIONS = ("fight", "deploy", "advance", "obey orders", "serve")
TYPES = ("Person",) * 5 + ("Organization",) * 3 + ("MilitaryUnit", "Group", "Country",
                                                   "Region", "City", "Place")
WORDS = ("troops forces said claimed the regional city offensive ministry denied report "
         "spokesman front line brigade control captured officials according statement "
         "village shelling refused order commander soldiers border").split()


def synthetic(n_articles: int, seed: int = 7) -> Iterator[ArticleFacts]:
    """Articles shaped like the build's output: ~200 triples each, entities shared."""
    rnd = random.Random(seed)
    pool = [Entity(f"E{i}", f"{rnd.choice(WORDS).title()} {rnd.choice(WORDS)} {i}",
                   rnd.choice(TYPES), {f"alias {i}", f"E-{i}"},
                   f"Q{1000 + i}" if i % 3 == 0 else None)
            for i in range(max(200, n_articles // 2))]
    for i in range(n_articles):
        text = " ".join(rnd.choice(WORDS) for _ in range(700))
        art = Article(id=f"bench-{i}", text=text, title=f"Report {i}", date="2024-03-01",
                      url=f"https://news.example.org/2024/{i}")
        ents = {e.key: e for e in rnd.sample(pool, 15)}
        keys = list(ents)

        def ev(k: int, n: int = 160, text: str = text) -> Evidence:
            start = (k * 97) % (len(text) - n)
            return Evidence(start, start + n, text[start:start + n])

        yield ArticleFacts(
            art, ents,
            claims=[Claim(rnd.choice(keys), ev(j, 120).text, j % 2 == 0, "say", ev(j),
                          j % 6 == 0) for j in range(8)],
            refusals=[Refusal(rnd.choice(keys), rnd.choice(ACTIONS), rnd.choice(keys), ev(20 + j))
                      for j in range(2)],
            controls=[Control(rnd.choice(keys), rnd.choice(keys), ev(30 + j), "March 2024")
                      for j in range(2)],
        )


def timed(label: str, fn: Callable[[], object]) -> float:
    """Time `fn` including writing its data to disk, starting from a disk with nothing
    pending: on a VM, writeback left by the previous step otherwise swamps the comparison."""
    os.sync()
    t = time.perf_counter()
    fn()
    os.sync()
    dt = time.perf_counter() - t
    print(f"  {label:<44}{dt:9.2f} s", flush=True)
    return dt


def ratio(label: str, raw: float, ours: float) -> None:
    flag = "ok" if raw / ours >= 0.8 else "BELOW TARGET"
    print(f"  => {label:<41}{raw / ours:9.2f}x  ({flag})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="approximate size")
    ap.add_argument("--batch", type=int, default=32, help="articles per replace_articles")
    ap.add_argument("--rdflib-triples", type=int, default=100_000,
                    help="slice for the rdflib comparison (0 to skip)")
    args = ap.parse_args()

    t = time.perf_counter()
    batch = [(article_iri(f.article), list(to_quads(f)))
             for f in synthetic(max(1, args.triples // 200))]
    quads = [q for _, qs in batch for q in qs]
    nquads = serialize(quads, format=RdfFormat.N_QUADS) or b""
    print(f"{len(quads):,} quads in {len(batch):,} articles, generated in "
          f"{time.perf_counter() - t:.1f} s ({len(nquads) / 1e6:.0f} MB as N-Quads)\n")
    queries = sorted(data_path("queries").glob("*.rq"))
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        ours = bench_oxigraph(work, batch, quads, nquads, queries, args.batch)
        if args.rdflib_triples:
            bench_rdflib(work, batch, args.rdflib_triples, queries, ours)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench_oxigraph(work: Path, batch: list[tuple[NamedNode, list[Quad]]], quads: list[Quad],
                   nquads: bytes, queries: list[Path], size: int) -> float:
    """Load into separate stores (raw first, so any leftover compaction slows ours, not
    theirs); export and query on our one store, through kg and through pyoxigraph directly,
    so both read the same files in the same state."""
    print("load")
    raw = timed("pyoxigraph bulk_load (N-Quads bytes)", lambda: _raw(
        work / "raw", lambda db: db.bulk_load(nquads, RdfFormat.N_QUADS)))
    timed("pyoxigraph bulk_extend (same Quad objects)", lambda: _raw(
        work / "raw-extend", lambda db: db.bulk_extend(quads)))
    store = open_store(str(work / "ours"))
    ours = timed("kg replace_articles", lambda: [
        store.replace_articles(batch[i:i + size]) for i in range(0, len(batch), size)])
    ratio("load speed vs bulk_load", raw, ours)
    db = store.oxigraph  # type: ignore[attr-defined]

    # Freshly ingested files are still being compacted in the background; settle them first
    # so that neither side of a comparison below pays for that work.
    db.optimize()

    print("export")
    sink = work / "out"
    raw_trig = timed("pyoxigraph Store.dump trig",
                     lambda: _write(sink, lambda fh: db.dump(fh, RdfFormat.TRIG)))
    trig = timed("kg export trig", lambda: _write(sink, lambda fh: export(store, "trig", fh)))
    raw_nq = timed("pyoxigraph Store.dump n-quads",
                   lambda: _write(sink, lambda fh: db.dump(fh, RdfFormat.N_QUADS)))
    ttl = timed("kg export turtle (deduplicated union)",
                lambda: _write(sink, lambda fh: export(store, "turtle", fh)))
    ratio("trig export vs Store.dump trig", raw_trig, trig)
    ratio("turtle export vs Store.dump n-quads", raw_nq, ttl)

    print("queries (shipped)")
    total_ours = total_raw = 0.0
    for q in queries:
        text = q.read_text(encoding="utf-8")
        total_raw += timed(f"pyoxigraph query {q.name}", lambda t=text: _write(
            sink, lambda fh: db.query(t, use_default_graph_as_union=True).serialize(
                fh, QueryResultsFormat.JSON)))
        total_ours += timed(f"kg query {q.name}", lambda t=text: _write(
            sink, lambda fh: run_query(store, t, "json", fh)))
    ratio("query speed vs pyoxigraph", total_raw, total_ours)
    store.close()
    print()
    return ours


def _raw(path: Path, load: Callable[[OxStore], object]) -> None:
    db = OxStore(str(path))
    load(db)
    db.flush()


def _write(path: Path, fn: Callable[[BinaryIO], object]) -> None:
    with path.open("wb") as fh:
        fn(fh)


def bench_rdflib(work: Path, batch: list[tuple[NamedNode, list[Quad]]], limit: int,
                 queries: list[Path], ours_load: float) -> None:
    import rdflib

    part: list[Quad] = []
    for _, qs in batch:
        if len(part) >= limit:
            break
        part.extend(qs)
    data = serialize(part, format=RdfFormat.N_QUADS) or b""
    total = sum(len(qs) for _, qs in batch)
    print(f"rdflib memory Dataset, on {len(part):,} quads")
    ds = rdflib.Dataset(default_union=True)
    load = timed("rdflib parse n-quads", lambda: ds.parse(data=data, format="nquads"))
    slower = (load / len(part)) / (ours_load / total)
    print(f"  => {'kg load speed vs rdflib (per triple)':<41}{slower:9.1f}x faster")
    timed("rdflib serialize trig", lambda: ds.serialize(format="trig"))
    for q in queries:
        timed(f"rdflib query {q.name}", lambda q=q: list(ds.query(q.read_text("utf-8"))))


if __name__ == "__main__":
    main()
