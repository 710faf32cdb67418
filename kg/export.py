"""Serialisations for other tools: RDF in five syntaxes, and GraphML for graph software.

Triple syntaxes (Turtle, N-Triples) get the union of the article graphs with repeats removed,
since an entity described by ten articles is still one node; dataset syntaxes (TriG, N-Quads,
JSON-LD) keep every article's graph so provenance survives the trip.

pyoxigraph writes JSON-LD in expanded form, full IRIs everywhere, so JSON-LD is written here
instead, compacted against a context of our prefixes: the shape web developers expect.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import BinaryIO

import networkx as nx
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat

from kg.namespaces import PREFIXES, RDF, XSD
from kg.store import Store

FORMATS = {"turtle": RdfFormat.TURTLE, "trig": RdfFormat.TRIG, "nt": RdfFormat.N_TRIPLES,
           "nq": RdfFormat.N_QUADS}
ALL_FORMATS = (*FORMATS, "jsonld", "graphml")
_TYPE = RDF + "type"
_XSD_STRING = XSD + "string"
#: Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def export(store: Store, fmt: str, out: BinaryIO) -> None:
    if fmt in FORMATS:
        store.dump(out, FORMATS[fmt])
    elif fmt == "jsonld":
        write_jsonld(store.quads(), out)
    elif fmt == "graphml":
        write_graphml(store.quads(), out)
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(ALL_FORMATS)}")


# -- JSON-LD


def compact(iri: str) -> str:
    """A prefixed name where one of our namespaces fits, else the IRI itself.

    A suffix starting with "//" would read back as an absolute IRI, so those stay whole.
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best and not iri[len(PREFIXES[best]):].startswith("//"):
        return f"{best}:{iri[len(PREFIXES[best]):]}"
    return iri


def _ref(term: NamedNode | BlankNode) -> str:
    return compact(term.value) if isinstance(term, NamedNode) else f"_:{term.value}"


def _value(term: object) -> object:
    if isinstance(term, Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == _XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": compact(term.datatype.value)}
    return {"@id": _ref(term)}  # type: ignore[arg-type]


def _node(subject: NamedNode | BlankNode, quads: Iterable[Quad]) -> dict[str, object]:
    node: dict[str, object] = {"@id": _ref(subject)}
    for q in quads:
        pred = q.predicate.value
        if pred == _TYPE and not isinstance(q.object, Literal):
            node.setdefault("@type", []).append(_ref(q.object))  # type: ignore[union-attr]
        else:
            node.setdefault(compact(pred), []).append(_value(q.object))  # type: ignore[union-attr]
    return node


def write_jsonld(quads: Iterable[Quad], out: BinaryIO) -> None:
    """Stream compacted JSON-LD, one node object per run of quads sharing graph and subject.

    A store need not yield quads grouped; if a subject recurs, JSON-LD merges the node
    objects with the same @id, so the output means the same either way.
    """
    out.write(b'{"@context": ' + json.dumps(PREFIXES).encode() + b',\n "@graph": [')
    first_graph = True
    for graph, in_graph in groupby(quads, key=lambda q: q.graph_name):
        nodes = (_node(s, qs) for s, qs in groupby(in_graph, key=lambda q: q.subject))
        if isinstance(graph, NamedNode | BlankNode):
            out.write(b"" if first_graph else b",")
            out.write(b'\n  {"@id": ' + json.dumps(_ref(graph)).encode() + b', "@graph": [')
            _write_nodes(nodes, out, indent=b"\n   ")
            out.write(b"]}")
            first_graph = False
        else:  # the default graph's nodes sit at the top level
            for node in nodes:
                out.write(b"" if first_graph else b",")
                out.write(b"\n  " + json.dumps(node, ensure_ascii=False).encode())
                first_graph = False
    out.write(b"\n]}\n")


def _write_nodes(nodes: Iterator[dict[str, object]], out: BinaryIO, indent: bytes) -> None:
    for i, node in enumerate(nodes):
        out.write((b"," if i else b"") + indent + json.dumps(node, ensure_ascii=False).encode())


# -- GraphML


def write_graphml(quads: Iterable[Quad], out: BinaryIO) -> None:
    """kg.graph's projection (facts folded into edges), flattened to what GraphML can carry.

    GraphML values are scalars, so lists become " | "-joined text and missing values are
    left out; characters XML 1.0 cannot hold at all become U+FFFD.
    """
    from kg.graph import project

    g = project(quads)
    flat = nx.MultiDiGraph()
    for node, data in g.nodes(data=True):
        flat.add_node(node, **_scalars(data))
    for u, v, key, data in g.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **_scalars(data))
    nx.write_graphml(flat, out, named_key_ids=True)


def _scalars(data: dict[str, object]) -> dict[str, str | bool | int | float]:
    out: dict[str, str | bool | int | float] = {}
    for key, value in data.items():
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, list | tuple | set | frozenset):
            value = " | ".join(map(str, value))
        if isinstance(value, str):
            value = _NOT_XML.sub("\ufffd", value)
        if isinstance(value, str | bool | int | float):
            out[key] = value
    return out
