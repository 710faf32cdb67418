"""The build stage: articles in, facts out, quads into the store, in bounded batches.

Extraction is a map over articles and loading is a reduce into the store. With one job the map
runs in this process over `nlp.pipe`; with more, each worker process loads the model once and
returns N-Quads per article, and at most a few batches are in flight, so memory stays flat
however large the corpus.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, Quad, RdfFormat, parse, serialize

from kg.article import Article, ArticleError, iter_articles
from kg.extract import extract
from kg.nlp import load_pipeline
from kg.rdf import article_iri, to_quads
from kg.resources import path
from kg.store import Store

#: One article's outcome: its graph and quads, or the error that cost it.
Outcome = tuple[NamedNode, list[Quad]] | str


@dataclass
class BuildReport:
    built: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def _batched(items: Iterable[Article], n: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for it in items:
        batch.append(it)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


def _batched_to_the_end(items: Iterable[Article], n: int, jobs: int) -> Iterator[list[Article]]:
    """Batches of n for parallel workers, the last articles in ever smaller ones.

    Workers take batches in order, so the end of a build is the last batches: if they were
    whole, one worker would parse its last one while the others idle. Reading `jobs * n`
    articles ahead tells where the end is; what remains then goes out in batches of a
    `2 * jobs`-th of the rest (guided scheduling: 6, 5, 3, 3, 2, 1 ...), so the workers
    finish close together."""
    ahead: deque[Article] = deque()
    for it in items:
        ahead.append(it)
        if len(ahead) >= n + jobs * n:
            yield [ahead.popleft() for _ in range(n)]
    while ahead:
        size = max(1, min(n, -(-len(ahead) // (2 * jobs))))
        yield [ahead.popleft() for _ in range(min(size, len(ahead)))]


#: Quads gathered before a write. Each bulk ingest costs tens of milliseconds whatever its
#: size, so writing every parsed batch spent a twentieth of a build there; a few tens of
#: thousands of quads are still only megabytes in memory.
WRITE_QUADS = 20_000
#: ... or seconds since the last write, so that a crash costs at most this much parsing
#: however small the articles are (each write also costs a core about 50 ms, taken from the
#: workers when they are parsing on every core).
WRITE_SECONDS = 5.0


class _Writer:
    """Writes gathered articles on a thread of its own while parsing goes on, one write at a
    time and in order. The store's bulk ingest runs without Python's lock (pyoxigraph
    releases it; a server store waits on the network), so a write costs the parse nothing
    when a core is free. A failed write is raised by the next call."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.written = 0
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def write(self, good: list[tuple[NamedNode, list[Quad]]]) -> None:
        """Hand over and forget the gathered articles (forgotten first, so a write that
        fails is not tried again on the way out), once the previous write is done."""
        self.wait()
        batch = good[:]
        good.clear()
        if not batch:
            return

        def run() -> None:
            try:
                self.store.replace_articles(batch)
                self.written += len(batch)
            except BaseException as e:  # noqa: BLE001 - raised again by the caller's thread
                self._error = e

        self._thread = threading.Thread(target=run, name="kg-write", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Until the write in progress is done; its error, if it failed."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error


def extract_batch(batch: list[Article], model: str | None = None) -> list[Outcome]:
    """Parse and extract a batch; one article's failure is reported and costs only itself."""
    nlp = load_pipeline(model)
    out: list[Outcome] = []
    # spaCy refuses texts over nlp.max_length with an error that would sink the whole batch.
    docs = iter(nlp.pipe(a.text for a in batch if len(a.text) <= nlp.max_length))
    for article in batch:
        if len(article.text) > nlp.max_length:
            out.append(f"{article.source or article.id}: article is {len(article.text)} "
                       f"characters, over the parser's {nlp.max_length}-character limit")
            continue
        doc = next(docs)
        try:
            out.append((article_iri(article), list(to_quads(extract(doc, article)))))
        except Exception as e:  # noqa: BLE001 - the message names the article and the bug
            out.append(f"{article.source or article.id}: extraction failed: {e!r}")
    return out


def _extract_batch_nquads(batch: list[Article], model: str | None) -> list[tuple[str, bytes] | str]:
    """Worker side: pyoxigraph terms don't pickle, N-Quads bytes do."""
    return [o if isinstance(o, str) else (o[0].value, serialize(o[1], format=RdfFormat.N_QUADS))
            for o in extract_batch(batch, model)]


def _from_nquads(rows: list[tuple[str, bytes] | str]) -> list[Outcome]:
    return [r if isinstance(r, str) else
            (NamedNode(r[0]), list(parse(r[1], format=RdfFormat.N_QUADS))) for r in rows]


def _parallel(batches: Iterator[list[Article]], jobs: int,
              model: str | None) -> Iterator[list[Outcome]]:
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[Future] = deque()
        for batch in batches:
            pending.append(pool.submit(_extract_batch_nquads, batch, model))
            if len(pending) >= 2 * jobs:  # bounded: never the whole corpus in flight
                yield _from_nquads(pending.popleft().result())
        while pending:
            yield _from_nquads(pending.popleft().result())


def _dask(batches: Iterator[list[Article]], jobs: int, model: str | None,
          scheduler: str | None) -> Iterator[list[Outcome]]:
    """The same map on a dask.distributed cluster: a LocalCluster of `jobs` worker processes,
    or the scheduler at `scheduler` (tcp://host:port). Workers need kg and the model installed;
    results come back as N-Quads and the reduce into the store stays here."""
    from dask.distributed import Client, LocalCluster

    cluster = None if scheduler else LocalCluster(
        n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(scheduler or cluster)
    try:
        inflight = 2 * max(jobs, len(client.scheduler_info().get("workers", {})))
        pending: deque = deque()
        for batch in batches:
            pending.append(client.submit(_extract_batch_nquads, batch, model, pure=False))
            if len(pending) >= inflight:
                yield _from_nquads(pending.popleft().result())
        while pending:
            yield _from_nquads(pending.popleft().result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def build(inputs: list[Path], store: Store, *, model: str | None = None, force: bool = False,
          batch_size: int = 16, jobs: int = 1, executor: str = "local",
          scheduler: str | None = None,
          on_error: Callable[[str], None] | None = None,
          advance: Callable[[int], None] = lambda n: None) -> BuildReport:
    """Extract every article under `inputs` into `store`; bad inputs are reported, not fatal."""
    report = BuildReport()

    def err(msg: str) -> None:
        report.errors.append(msg)
        (on_error or (lambda m: print(f"kg: error: {m}", file=sys.stderr)))(msg)

    def wanted() -> Iterator[Article]:
        seen: set[str] = set()
        for item in iter_articles(inputs):
            if isinstance(item, ArticleError):
                err(str(item))
                continue
            g = article_iri(item)
            if g.value in seen:
                err(f"{item.source or item.id}: duplicate article id {item.id!r}; kept the first")
                continue
            seen.add(g.value)
            if not force and store.article_hash(g) == item.sha256:
                report.skipped += 1
                advance(1)
                continue
            yield item

    load_pipeline(model)  # fail on a missing model before any work starts
    # Across processes, smaller batches: the last ones then finish close together instead of
    # one worker parsing a whole batch while the others idle (at ~1% more parse time).
    parallel = executor == "dask" or jobs > 1
    batches = _batched_to_the_end(wanted(), max(1, batch_size // 2), jobs) if parallel \
        else _batched(wanted(), batch_size)
    if executor == "dask":
        results = _dask(batches, jobs, model, scheduler)
    elif jobs > 1:
        results = _parallel(batches, jobs, model)
    else:
        results = (extract_batch(b, model) for b in batches)
    good: list[tuple[NamedNode, list[Quad]]] = []
    writer = _Writer(store)
    # the first parsed batch is written at once: a reader (or a crash) soon sees articles land
    written = float("-inf")
    try:
        for outcomes in results:
            for o in outcomes:
                if isinstance(o, str):
                    err(o)
                else:
                    good.append(o)
            if (sum(len(quads) for _, quads in good) >= WRITE_QUADS
                    or time.monotonic() - written >= WRITE_SECONDS):
                writer.write(good)
                written = time.monotonic()
            advance(len(outcomes))
    finally:  # Ctrl-C or a dead worker: what was parsed is kept all the same
        try:
            writer.write(good)
            writer.wait()
        finally:
            report.built = writer.written
    # Always: it merges only what the entity graph lacks, including articles stored by an
    # earlier build that stopped before this step (or between the reset and the merge).
    for name in ["entities-reset.ru", "entities.ru"] if force and report.built else ["entities.ru"]:
        store.update(path(f"updates/{name}").read_text(encoding="utf-8"))
    return report
