"""extract(doc, article) -> ArticleFacts: the extractors, run in order over one parsed Doc.

Entities first (every later step resolves noun phrases through them), then claims (which
record speakers that pronouns later lean on), then refusals and control.
"""

from __future__ import annotations

from spacy.tokens import Doc

from kg.article import Article
from kg.facts import ArticleFacts


def body_start(article: Article) -> int:
    """Offset of the first paragraph after the headline and dateline: headlines are not facts."""
    paras = article.paragraphs
    if article.title and paras and paras[0].text == article.title:
        i = 1
        while i < len(paras) and (article.date and article.date in paras[i].text
                                  and len(paras[i].text) < 80):
            i += 1
        return paras[i].start if i < len(paras) else 0
    return 0


def extract(doc: Doc, article: Article) -> ArticleFacts:
    from kg.extract.claims import find_claims
    from kg.extract.control import find_controls
    from kg.extract.entities import Mentions
    from kg.extract.refusals import find_refusals

    start = body_start(article)
    mentions = Mentions(doc, article, skip_chars=start)
    claims = _unique(find_claims(doc, article, mentions, start))
    controls = _unique(find_controls(doc, mentions, start))
    refusals = _unique(find_refusals(doc, mentions, start))
    return ArticleFacts(article=article, entities=mentions.entities, claims=claims,
                        refusals=refusals, controls=controls)


def _unique(items):  # type: ignore[no-untyped-def]
    seen, out = set(), []
    for it in items:
        if it not in seen:
            seen.add(it)
            out.append(it)
    return out
