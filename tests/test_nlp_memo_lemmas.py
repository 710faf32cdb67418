"""The memoised lemmatizer sets exactly the lemmas spaCy's rule lemmatizer sets, token by token:
kg's extractors match lemmas against the lexicons, so a faster lemmatizer must not change one."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.attrs import LEMMA, MORPH, ORTH, POS, TAG
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language

from kg.nlp import _LemmaMemo, load_pipeline

ROOT = Path(__file__).resolve().parent.parent
ATTRS = [ORTH, TAG, POS, MORPH, LEMMA]
#: Base forms, inflections, irregulars, the lemma exceptions kg adds through the attribute
#: ruler (kept, never overwritten), proper nouns, numbers, punctuation and whitespace, and a
#: word met twice with different tags.
TEXTS = [
    "The rebels retook the towns they had lost; the armies were retreating, fleeing, fled. "
    "Better and best, worse and worst: geese, mice, criteria, data. He's been there.",
    "Kyiv's forces said that Russia's troops had withdrawn.\n\n  Record records recorded "
    "recording; a record 3.5 per cent, 1990s, U.S.-led, e-mails, don't, won't, ain't.",
    "",
    " ",
]


def _texts() -> list[str]:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    return TEXTS + [p.read_text(encoding="utf-8") for p in seeds]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def test_the_lemmatizer_is_memoised(nlp: Language) -> None:
    lem = nlp.get_pipe("lemmatizer")
    assert isinstance(lem, _LemmaMemo) and isinstance(lem, EnglishLemmatizer)


@pytest.mark.parametrize("text", _texts())
def test_same_lemmas_as_spacy(nlp: Language, text: str) -> None:
    lem = nlp.get_pipe("lemmatizer")
    before = nlp.pipe_names[:nlp.pipe_names.index("lemmatizer")]
    with nlp.select_pipes(enable=before):
        fast, slow = nlp(text), nlp(text)
    lem(fast)
    # spaCy's own call, with its own cache emptied: nothing the memo did may leak into it
    cache, lem.cache = lem.cache, {}
    try:
        EnglishLemmatizer.__call__(lem, slow)
    finally:
        lem.cache = cache
    assert (fast.to_array(ATTRS) == slow.to_array(ATTRS)).all()


def test_same_lemmas_the_second_time(nlp: Language) -> None:
    """From the memo as from a first reading: the same text twice, the same lemmas."""
    text = " ".join(_texts())
    assert (nlp(text).to_array(ATTRS) == nlp(text).to_array(ATTRS)).all()
