"""The memoised attribute ruler sets exactly what spaCy's AttributeRuler sets, token by token:
kg's extractors read POS, morphology and lemmas, so a faster ruler must not change one."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler

from kg.nlp import _MemoAttributeRuler, load_pipeline

ROOT = Path(__file__).resolve().parent.parent
ATTRS = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD]
#: Every kind of rule: tag map, word + tag, dependency, the two-token contractions, the
#: lemma exceptions kg adds, whitespace tokens, and a word met twice with different tags.
TEXTS = [
    "I'm gonna go, y'all. There is a cat and there were dogs. Let's go; it ain't so. "
    "C'mon, we gotta win. He gets it and got it. I'd said they'd left. Somethin' ol' "
    "doin' nothin'. You wo n't. Retook, retaken, overtook; hoped, hoping.",
    "The rebels retook the town.\n\n  They said that it was theirs  and that   she "
    "had done it herself. Whether or not, the ones who did were there.",
    "",
    " ",
]


def _texts() -> list[str]:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    return TEXTS + [p.read_text(encoding="utf-8") for p in seeds]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def test_the_ruler_is_memoised(nlp: Language) -> None:
    assert type(nlp.get_pipe("attribute_ruler")) is _MemoAttributeRuler


@pytest.mark.parametrize("text", _texts())
def test_same_annotations_as_spacy(nlp: Language, text: str) -> None:
    ruler = nlp.get_pipe("attribute_ruler")
    before = [n for n in nlp.pipe_names if nlp.pipe_names.index(n) <
              nlp.pipe_names.index("attribute_ruler")]
    with nlp.select_pipes(enable=before):
        fast, slow = nlp(text), nlp(text)
    ruler(fast)
    AttributeRuler.__call__(ruler, slow)
    assert (fast.to_array(ATTRS) == slow.to_array(ATTRS)).all()
