"""`kg validate`: check the store against ontologies/shapes.ttl with pySHACL.

The shapes are the contract the build keeps (every statement has a claimant, a value and its
provenance; every deployment a known action; no blank nodes). The union is checked alone, with
no ontology graph and no inference, exactly as a user checks `kg export` output: the shapes
name concrete classes rather than relying on rdfs:subClassOf, so passing here means passing
there (see the note at the top of shapes.ttl).
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from pyoxigraph import RdfFormat

from kg.resources import path as data_path
from kg.store import Store


@dataclass
class Verdict:
    conforms: bool
    triples: int
    violations: int
    report: str


def validate(store: Store, shapes: Path | None = None) -> Verdict:
    from pyshacl import validate as shacl
    from rdflib import Graph, Namespace

    buf = BytesIO()
    store.dump(buf, RdfFormat.N_TRIPLES)
    data = Graph().parse(data=buf.getvalue(), format="nt")
    conforms, results, text = shacl(
        data,
        shacl_graph=Graph().parse(shapes or data_path("shapes.ttl"), format="turtle"),
        inference="none", abort_on_first=False, allow_warnings=False,
    )
    sh = Namespace("http://www.w3.org/ns/shacl#")
    found = len(set(results.subjects(sh.resultSeverity, None))) if not conforms else 0
    return Verdict(bool(conforms), len(data), found, str(text))
