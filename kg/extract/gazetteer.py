"""Placeholder."""
from spacy.language import Language


def add_entity_ruler(nlp: Language) -> None:
    return None
