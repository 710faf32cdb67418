"""The build stage: articles in, facts out, quads into the store, in bounded batches.

Docs stream through nlp.pipe; nothing holds more than one batch of articles, so memory stays
flat however large the corpus.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.article import Article, ArticleError, iter_articles
from kg.extract import extract
from kg.nlp import load_pipeline
from kg.rdf import article_iri, to_quads
from kg.store import Store


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


def build(inputs: list[Path], store: Store, *, model: str | None = None, force: bool = False,
          batch_size: int = 32, jobs: int = 1,
          on_error: Callable[[str], None] | None = None) -> BuildReport:
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
                continue
            yield item

    nlp = load_pipeline(model)
    for batch in _batched(wanted(), batch_size):
        docs = nlp.pipe((a.text for a in batch), n_process=jobs,
                        batch_size=max(1, batch_size // max(jobs, 1)))
        out = []
        for article, doc in zip(batch, docs, strict=True):
            try:
                facts = extract(doc, article)
                out.append((article_iri(article), list(to_quads(facts))))
            except Exception as e:  # one article's bug must not cost the batch
                err(f"{article.source or article.id}: extraction failed: {e!r}")
        store.replace_articles(out)
        report.built += len(out)
    return report
