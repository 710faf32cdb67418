"""Serialisations for other tools: RDF in six syntaxes, and GraphML for graph software.

Triple syntaxes (Turtle, N-Triples, JSON-LD) get the union of the article graphs with repeats
removed, since an entity described by ten articles is still one node, and a user loading
JSON-LD into a plain graph expects the same triples as the Turtle holds. Dataset syntaxes
(TriG, N-Quads, JSON-LD as `jsonld-dataset`) keep every article's graph so provenance survives
the trip.

The union is written for people as well as parsers: each subject once, with all its
properties, `rdf:type` first; each article followed by its facts in the order the text gives
them, then the entities by IRI; and one prefix per family of minted IRIs (`article:`,
`statement:` ...) so local names need no `\\/` escape. Sorting by IRI rather than by the
store's internal order makes two exports of the same content byte-identical.

Memory stays flat on a large store: a first query lists each subject with its graph and
size (a few dozen bytes per subject, nothing per triple), and the triples are then fetched a
page of subjects at a time from the subject index, sorted within the page and streamed to
pyoxigraph's serialiser. Nothing holds the whole union, as a global ORDER BY would.

pyoxigraph writes JSON-LD in expanded form, full IRIs everywhere, so JSON-LD is written here
instead, compacted against a context of our prefixes: the shape web developers expect.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from itertools import groupby
from typing import BinaryIO

import networkx as nx
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from kg.namespaces import ID, NIF, PREFIXES, RDF, RDFS, XSD
from kg.rdf import FACT_KINDS
from kg.store import Store

#: Our prefixes plus one per family of minted IRIs: `kgid:article\/x` reads as `article:x`.
EXPORT_PREFIXES: dict[str, str] = {
    **PREFIXES, **{family: f"{ID}{family}/" for family in ("article", *FACT_KINDS, "graph")},
}
TRIPLE_FORMATS = {"turtle": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES}
DATASET_FORMATS = {"trig": RdfFormat.TRIG, "nq": RdfFormat.N_QUADS}
FORMATS = {**TRIPLE_FORMATS, **DATASET_FORMATS}
ALL_FORMATS = (*FORMATS, "jsonld", "jsonld-dataset", "graphml")
_TYPE = RDF + "type"
_LABEL = RDFS + "label"
_BEGIN = NIF + "beginIndex"
_XSD_STRING = XSD + "string"
_FACT_PREFIXES = tuple(f"{ID}{kind}/" for kind in FACT_KINDS)
#: Quads fetched per query: bounds the memory of an export whatever the store's size.
PAGE_QUADS = 5_000
#: Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def export(store: Store, fmt: str, out: BinaryIO) -> None:
    if fmt in TRIPLE_FORMATS:
        serialize(union(store), out, TRIPLE_FORMATS[fmt], prefixes=EXPORT_PREFIXES)
    elif fmt == "trig":
        db = getattr(store, "oxigraph", None)  # the embedded store writes it without Python
        if db is not None:
            db.dump(out, RdfFormat.TRIG, prefixes=EXPORT_PREFIXES)
        else:
            serialize(store.quads(), out, RdfFormat.TRIG, prefixes=EXPORT_PREFIXES)
    elif fmt == "nq":
        store.dump(out, RdfFormat.N_QUADS)
    elif fmt == "jsonld":
        write_jsonld(union(store), out)
    elif fmt == "jsonld-dataset":
        write_jsonld_dataset(store.quads(), out)
    elif fmt == "graphml":
        write_graphml(store.quads(), out)
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(ALL_FORMATS)}")


# -- the union, grouped by subject


def union(store: Store, page_quads: int = PAGE_QUADS) -> Iterator[Triple]:
    """Every triple of every graph once, each subject's triples together, in a stable order.

    A subject's triples can sit in many graphs (an entity in each article naming it), so they
    are fetched by subject, across graphs, rather than read graph by graph. SPARQL rather than
    `Store.quads(subjects=)` fetches them, so a SPARQL server uses its own subject index
    instead of sending the whole store for each page.
    """
    pages = _pages(_units(store), page_quads)
    blank = False
    for page in pages:
        if page is None:
            blank = True
            continue
        found = _fetch(store, [s for unit in page for s in unit])
        for unit in page:
            for subject in _in_text_order(unit, found):
                node = NamedNode(subject)
                for p, o in sorted(found.pop(subject, ()), key=_property_order):
                    yield Triple(node, p, o)
    if blank:  # kg mints no blank nodes; a store written by other tools may hold some
        rows = store.query("SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                           "FILTER isBlank(?s) } ORDER BY ?s")
        yield from (Triple(s, p, o) for s, p, o in rows)  # type: ignore[misc]


def _units(store: Store) -> Iterator[tuple[list[str], int] | None]:
    """Subjects in output order, as (subjects, quads) units: an article with its facts, or one
    entity. None stands for "some subjects are blank nodes"."""
    rows = store.query("SELECT ?s ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                       "GROUP BY ?s ?g")
    articles: dict[str, tuple[list[str], list[int]]] = {}  # article -> its subjects, quads
    shared: dict[str, int] = {}
    blank = False
    for s, g, n in rows:  # type: ignore[misc]
        if not isinstance(s, NamedNode):
            blank = True
            continue
        subject, graph, count = s.value, g.value, int(n.value)
        if subject == graph or subject.startswith(_FACT_PREFIXES):
            unit = articles.setdefault(graph, ([], [0]))
            if subject != graph:
                unit[0].append(subject)
            unit[1][0] += count
        else:  # an entity, or an article as another graph speaks of it (kg:mergedHash)
            shared[subject] = shared.get(subject, 0) + count
    for article in sorted(articles):
        subjects, (count,) = articles[article]
        count += shared.pop(article, 0)
        yield [article, *subjects], count
    for subject in sorted(shared):
        yield [subject], shared[subject]
    if blank:
        yield None


def _pages(units: Iterator[tuple[list[str], int] | None],
           limit: int) -> Iterator[list[list[str]] | None]:
    """Whole units in runs of at most `limit` quads (a bigger unit goes alone)."""
    page: list[list[str]] = []
    size = 0
    for unit in units:
        if unit is None:
            yield None
            continue
        subjects, count = unit
        if page and size + count > limit:
            yield page
            page, size = [], 0
        page.append(subjects)
        size += count
    if page:
        yield page


def _fetch(store: Store, subjects: list[str]) -> dict[str, list[tuple]]:
    """Each subject's (predicate, object) pairs across all graphs, each pair once."""
    values = " ".join(str(NamedNode(s)) for s in subjects)  # NamedNode validated each IRI
    rows = store.query(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} "
                       "GRAPH ?g { ?s ?p ?o } }")
    found: dict[str, list[tuple]] = {}
    for row in rows:  # type: ignore[union-attr]
        found.setdefault(row[0].value, []).append((row[1], row[2]))
    return found


def _in_text_order(unit: list[str], found: Mapping[str, list[tuple]]) -> list[str]:
    """An article first, then its statements, deployments and control facts, each kind in
    the order of the sentences they were read from."""
    if len(unit) == 1:
        return unit
    kinds = {prefix: rank for rank, prefix in enumerate(_FACT_PREFIXES)}

    def key(subject: str) -> tuple[int, int, str]:
        kind = next((r for prefix, r in kinds.items() if subject.startswith(prefix)), -1)
        begin = next((int(o.value) for p, o in found.get(subject, ())
                      if p.value == _BEGIN and isinstance(o, Literal)
                      and o.value.isdigit()), -1)
        return kind, begin, subject

    return [unit[0], *sorted(unit[1:], key=key)]


def _property_order(pair: tuple) -> tuple:
    """rdf:type, then rdfs:label, then the rest by prefixed name, as a reader looks for them."""
    p, o = pair
    rank = 0 if p.value == _TYPE else 1 if p.value == _LABEL else 2
    if isinstance(o, Literal):
        return rank, _name(p.value), 1, o.value, o.datatype.value, o.language or ""
    return rank, _name(p.value), 0, o.value, "", ""


@cache
def _name(iri: str) -> str:
    return compact(iri, EXPORT_PREFIXES)


# -- JSON-LD


def compact(iri: str, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """A prefixed name where one of our namespaces fits, else the IRI itself.

    A suffix starting with "//" would read back as an absolute IRI, so those stay whole.
    """
    best = ""
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(prefixes.get(best, "")):
            best = prefix
    if best and not iri[len(prefixes[best]):].startswith("//"):
        return f"{best}:{iri[len(prefixes[best]):]}"
    return iri


def _ref(term: NamedNode | BlankNode) -> str:
    return (compact(term.value, EXPORT_PREFIXES) if isinstance(term, NamedNode)
            else f"_:{term.value}")


def _value(term: object) -> object:
    if isinstance(term, Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == _XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": _ref(term.datatype)}
    return {"@id": _ref(term)}  # type: ignore[arg-type]


def _node(subject: NamedNode | BlankNode, triples: Iterable[Triple | Quad]) -> dict[str, object]:
    node: dict[str, object] = {"@id": _ref(subject)}
    for t in triples:
        pred = t.predicate.value
        if pred == _TYPE and not isinstance(t.object, Literal):
            node.setdefault("@type", []).append(_ref(t.object))  # type: ignore[union-attr]
        else:
            node.setdefault(_ref(t.predicate), []).append(_value(t.object))  # type: ignore[union-attr]
    return node


def _context() -> bytes:
    return b'{"@context": ' + json.dumps(EXPORT_PREFIXES).encode() + b',\n "@graph": ['


def write_jsonld(triples: Iterable[Triple], out: BinaryIO) -> None:
    """Stream a plain graph as compacted JSON-LD, one node object per run of one subject.

    Top-level nodes are the default graph, which is what a loader into a plain graph reads
    (named graphs would land nowhere). A subject that recurs is merged by @id on reading.
    """
    out.write(_context())
    nodes = (_node(s, ts) for s, ts in groupby(triples, key=lambda t: t.subject))
    _write_nodes(nodes, out, indent=b"\n  ")
    out.write(b"\n]}\n")


def write_jsonld_dataset(quads: Iterable[Quad], out: BinaryIO) -> None:
    """Stream compacted JSON-LD, one named graph object per article, as a dataset.

    A store need not yield quads grouped; if a graph or subject recurs, JSON-LD merges the
    objects with the same @id, so the output means the same either way.
    """
    out.write(_context())
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
