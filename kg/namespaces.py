"""The IRIs kg writes, declared once. Only rdf.py, query.py and the stores import these."""

from __future__ import annotations

KG = "https://w3id.org/kg/ns#"
ID = "https://w3id.org/kg/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
DCTERMS = "http://purl.org/dc/terms/"
WD = "http://www.wikidata.org/entity/"
GN = "https://sws.geonames.org/"
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"

PREFIXES: dict[str, str] = {
    "kg": KG, "kgid": ID, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "skos": SKOS,
    "prov": PROV, "nif": NIF, "dcterms": DCTERMS, "wd": WD,
    "geo": GEO,
}


def sparql_prologue() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
