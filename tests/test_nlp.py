"""The pipeline's own components: where sentences start, before the parser decides."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.nlp import load_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def _sentences(nlp: Language, text: str) -> list[str]:
    return [s.text.strip() for s in nlp(text).sents if s.text.strip()]


@pytest.mark.parametrize(("text", "first"), [
    ("OSLO, June 3 (Nordwire) - Halvard Shipping said rates rose.",
     "OSLO, June 3 (Nordwire) -"),
    ("KYIV, Ukraine (AP) \u2014 Officials said it rained.", "KYIV, Ukraine (AP) \u2014"),
    ("BAMAKO \u2014 The junta said the talks had failed.", "BAMAKO \u2014"),
    ("Headline here\n\nLAGOS (Wire) - Traders said fuel ran short.", "Headline here"),
])
def test_dateline_is_its_own_sentence(nlp: Language, text: str, first: str) -> None:
    sents = _sentences(nlp, text)
    assert sents[0] == first
    # No sentence holds both the dateline's place and the lead's reporting verb.
    assert not any(s.split()[0].isupper() and "said" in s for s in sents)


@pytest.mark.parametrize("text", [
    "US - China talks resumed on Monday, officials said.",
    "The talks - which began in May - resumed on Monday.",
    "Later in the day, OPEC said output would rise.",
])
def test_prose_with_dashes_is_not_a_dateline(nlp: Language, text: str) -> None:
    assert len(_sentences(nlp, text)) == 1


def test_paragraph_break_ends_a_sentence(nlp: Language) -> None:
    assert _sentences(nlp, "Markets rally on rate hopes\n\nShares rose on Monday.") == [
        "Markets rally on rate hopes", "Shares rose on Monday."]
