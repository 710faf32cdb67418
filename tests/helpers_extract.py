"""Shared helpers for the extraction tests: run the real pipeline on a short text and
project the facts to plain, comparable tuples (names instead of keys)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.article import make_article
from kg.extract import extract
from kg.facts import ArticleFacts

#: Every test text is given a headline, as real articles have one: the first paragraph of a
#: multi-paragraph text is the title and is skipped by the extractors.
HEADLINE = "Test report"

_TRIM = " \t\n.,;:!?\"'\u201c\u201d\u2018\u2019"


def run(nlp: Language, body: str, *, headline: str | None = HEADLINE) -> ArticleFacts:
    raw = f"{headline}\n\n{body}" if headline else body
    art = make_article(raw, id="t")
    return extract(nlp(art.text), art)


def norm(text: str) -> str:
    """Claim text without the edge punctuation and quote marks, whitespace collapsed."""
    return " ".join(text.split()).strip(_TRIM)


def name(facts: ArticleFacts, key: str | None) -> str | None:
    return None if key is None else facts.entities[key].name


def claims(facts: ArticleFacts) -> set[tuple[str | None, str, bool]]:
    """(speaker name, claim text, direct)."""
    return {(name(facts, c.claimant), norm(c.text), c.direct) for c in facts.claims}


def claims_negated(facts: ArticleFacts) -> set[tuple[str | None, str, bool]]:
    """(speaker name, claim text, negated)."""
    return {(name(facts, c.claimant), norm(c.text), c.negated) for c in facts.claims}


def refusals(facts: ArticleFacts, *, claimed: bool = False) -> set[
        tuple[str | None, str, str | None]]:
    """(agent name, action, location name) of the refusals the article asserts, or with
    `claimed` of those only claimed in a disputed or doubted attribution."""
    return {(name(facts, r.agent), r.action, name(facts, r.location)) for r in facts.refusals
            if r.claimed == claimed}


def controls(facts: ArticleFacts, *, claimed: bool = False) -> set[tuple[str | None, str | None]]:
    """(region name, controller name), asserted (or, with `claimed`, only claimed)."""
    return {(name(facts, c.region), name(facts, c.controller)) for c in facts.controls
            if c.claimed == claimed}


def entity_named(facts: ArticleFacts, wanted: str):  # type: ignore[no-untyped-def]
    found = [e for e in facts.entities.values() if e.name == wanted]
    assert found, f"no entity named {wanted!r}; have {sorted(facts.entities)}"
    assert len(found) == 1, f"{len(found)} entities named {wanted!r}"
    return found[0]


def case(*values, id: str, xfail: str | None = None):  # type: ignore[no-untyped-def]
    """One table row. `xfail` marks a construction the extractor gets wrong today: strict, so
    the case fails loudly (XPASS) once the mechanism is fixed and the mark must come off."""
    marks = [pytest.mark.xfail(reason=xfail, strict=True)] if xfail else []
    return pytest.param(*values, id=id, marks=marks)
