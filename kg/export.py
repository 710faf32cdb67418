"""Serialisations for other tools (placeholder: turtle only until the store issue lands)."""

from __future__ import annotations

from typing import BinaryIO

from pyoxigraph import RdfFormat

from kg.store import Store

FORMATS = {"turtle": RdfFormat.TURTLE, "trig": RdfFormat.TRIG, "nt": RdfFormat.N_TRIPLES,
           "nq": RdfFormat.N_QUADS, "jsonld": RdfFormat.JSON_LD}


def export(store: Store, fmt: str, out: BinaryIO) -> None:
    store.dump(out, FORMATS[fmt])
