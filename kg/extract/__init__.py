"""extract(doc, article) -> ArticleFacts: the extractors, run in order over one parsed Doc."""

from __future__ import annotations

from spacy.tokens import Doc

from kg.article import Article
from kg.facts import ArticleFacts


def extract(doc: Doc, article: Article) -> ArticleFacts:
    return ArticleFacts(article=article)
