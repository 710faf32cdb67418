"""The store as a networkx graph, for ranking, clustering and drawing.

RDF keeps every fact as its own node with provenance hanging off it; a reader wants to see who
is linked to whom. So the projection folds facts into edges wherever a fact joins two entities
(a refusal with a location, a control fact) and keeps a node only where the fact has no second
entity to point at (a statement, a refusal without a place). Every edge still carries its
evidence sentence and article, so nothing is lost by folding.

Ranking lives in kg.graph.rank, layout in kg.graph.layout, the aggregated overview of a big
store in kg.graph.overview; this module reads quads and makes the views (focus, top, relation).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import networkx as nx
from pyoxigraph import Literal, NamedNode, Quad

from kg.facts import ENTITY_TYPES
from kg.graph.rank import _rank, most_central, pagerank
from kg.namespaces import DCTERMS, GEO, KG, NIF, OWL, PROV, RDF, RDFS, SKOS

#: Relations drawn as edges, in legend order.
RELATIONS = ("claims", "refuses", "controlledBy", "standsFor", "affiliation",
             "claimedControl", "claimedRefusal", "disputes")
#: Facts only one side claims (kg:status kg:Claimed) are drawn as relations of their own, so
#: that they never count as, or look like, control or refusals the article reports.
CLAIMED = {"controlledBy": "claimedControl", "refuses": "claimedRefusal"}
#: Node classes that are facts rather than entities.
FACT_CLASSES = ("Statement", "Deployment")
#: Class given to an edge end that the store never typed (kept rather than dropped).
UNTYPED = "Thing"
LABEL_MAX = 48

_PRED = {
    RDF + "type": "type", RDFS + "label": "label", SKOS + "altLabel": "alias",
    OWL + "sameAs": "sameAs", KG + "mentionedIn": "mentionedIn", KG + "role": "role",
    KG + "standsFor": "standsFor", KG + "affiliation": "affiliation", KG + "claims": "claims",
    KG + "refuses": "refuses", KG + "controlledBy": "controlledBy", RDF + "value": "value",
    KG + "direct": "direct", KG + "reportingVerb": "verb", KG + "polarity": "polarity",
    KG + "mentions": "mentions", KG + "status": "status", KG + "agent": "agent",
    KG + "asserts": "asserts", KG + "disputes": "disputes",
    KG + "action": "action", KG + "location": "location", KG + "region": "region",
    KG + "controller": "controller", KG + "date": "factDate", PROV + "wasDerivedFrom": "source",
    NIF + "anchorOf": "evidence", DCTERMS + "title": "title", DCTERMS + "date": "date",
    GEO + "lat": "lat", GEO + "long": "long",
}

class ViewError(ValueError):
    """A focus or relation that names nothing in the graph (a usage error, not a bug)."""


#: subject -> short predicate -> [(object value, graph)]
Index = dict[str, dict[str, list[tuple[str, str]]]]


def _index(quads: Iterable[Quad], only: Collection[str] | None = None) -> Index:
    """Index the quads we read by subject; `only` narrows that to some short predicate names."""
    idx: Index = defaultdict(lambda: defaultdict(list))
    # Each quad hands back fresh strings; one copy per distinct IRI keeps a big index small.
    memo: dict[str, str] = {}
    for q in quads:
        pred = _PRED.get(q.predicate.value)
        if pred is None or not isinstance(q.subject, NamedNode) or \
                (only is not None and pred not in only):
            continue
        obj = q.object
        if not isinstance(obj, NamedNode | Literal):
            continue
        value = obj.value
        if pred == "type":
            value = value.removeprefix(KG)
        elif pred == "polarity":
            value = value.removeprefix(KG)
        subject, graph = q.subject.value, getattr(q.graph_name, "value", "")
        if isinstance(obj, NamedNode):
            value = memo.setdefault(value, value)
        idx[memo.setdefault(subject, subject)][pred].append((value, memo.setdefault(graph, graph)))
    return idx


def _first(props: dict[str, list[tuple[str, str]]], pred: str) -> str | None:
    values = sorted(v for v, _ in props.get(pred, ()))
    return values[0] if values else None


def _common(values: Iterable[str], order: Sequence[str] = ()) -> str | None:
    """Most frequent value; ties go to `order`, then the alphabet, so output is stable."""
    counts = Counter(values)
    if not counts:
        return None
    rank = {v: i for i, v in enumerate(order)}
    return min(counts, key=lambda v: (-counts[v], rank.get(v, len(rank)), v))


def truncate(text: str, limit: int = LABEL_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri


def _entity_attrs(props: dict[str, list[tuple[str, str]]], iri: str) -> dict[str, Any]:
    labels = [v for v, _ in props.get("label", ())]
    label = _common(labels) or _local_name(iri)
    types = [v for v, _ in props.get("type", ()) if v in ENTITY_TYPES]
    aliases = {v for v, _ in props.get("alias", ())} | set(labels)
    same = sorted(v for v, _ in props.get("sameAs", ()) if "wikidata.org/" in v)
    geonames = sorted(v for v, _ in props.get("sameAs", ()) if "sws.geonames.org/" in v)
    return {
        "kind": "entity", "label": label, "class": _common(types, ENTITY_TYPES) or UNTYPED,
        "aliases": sorted(aliases - {label}), "wikidata": same[0] if same else None,
        "articles": sorted({v for v, _ in props.get("mentionedIn", ())}),
        "role": _first(props, "role"),
        "geonames": geonames[0] if geonames else None,
        "lat": _first(props, "lat"), "long": _first(props, "long"),
    }


def _provenance(props: dict[str, list[tuple[str, str]]], articles: dict[str, dict]) -> dict:
    article = _first(props, "source")
    meta = articles.get(article or "", {})
    return {"evidence": _first(props, "evidence"), "article": article,
            "title": meta.get("title"), "date": meta.get("date")}


def _cited(prov: dict) -> list[str]:
    return [prov["article"]] if prov["article"] else []


def _ensure(g: nx.MultiDiGraph, iri: str) -> None:
    if iri not in g:
        g.add_node(iri, kind="entity", label=_local_name(iri), **{"class": UNTYPED},
                   aliases=[], wikidata=None, articles=[], role=None)


class Edge(NamedTuple):
    """A folded edge before it is described: what ranking and drawing both need."""

    relation: str
    source: str
    target: str
    key: str
    #: The subject that describes the edge (statement, deployment, control fact), if any.
    fact: str | None
    #: The fact is itself drawn, as the target (a statement, a deployment with no place).
    drawn: bool = False


def _edges(idx: Index) -> Iterator[Edge]:
    """The folding rules in one place. Subjects are visited in sorted order, so the result does
    not depend on the order a back-end happens to return quads in."""
    order = sorted(idx)
    for actor in order:
        for stmt in sorted({v for v, _ in idx[actor].get("claims", ())}):
            yield Edge("claims", actor, stmt, f"claims|{actor}|{stmt}", stmt, drawn=True)
    for actor in order:
        for dep in sorted({v for v, _ in idx[actor].get("refuses", ())}):
            place = _first(idx.get(dep, {}), "location")
            yield Edge("refuses", actor, place or dep, f"refuses|{actor}|{dep}", dep,
                       drawn=place is None)
    covered: set[tuple[str, str]] = set()
    for fact in order:
        props = idx[fact]
        types = {v for v, _ in props.get("type", ())}
        claimed = _first(props, "status") == KG + "Claimed"
        if claimed and "Deployment" in types and _first(props, "agent"):
            place = _first(props, "location")
            yield Edge("claimedRefusal", str(_first(props, "agent")), place or fact,
                       f"claimedRefusal|{fact}", fact, drawn=place is None)
        if "ControlFact" not in types:
            continue
        region, ctl = _first(props, "region"), _first(props, "controller")
        if region is not None and ctl is not None:
            covered.add((region, ctl))
            rel = CLAIMED["controlledBy"] if claimed else "controlledBy"
            yield Edge(rel, region, ctl, f"{rel}|{fact}", fact)
    for region in order:
        for ctl in sorted({v for v, _ in idx[region].get("controlledBy", ())}):
            if (region, ctl) not in covered:  # stated without a ControlFact behind it
                yield Edge("controlledBy", region, ctl, f"controlledBy|{region}|{ctl}", None)
    for subj in order:
        for rel in ("standsFor", "affiliation"):
            for obj in sorted({v for v, _ in idx[subj].get(rel, ())}):
                yield Edge(rel, subj, obj, f"{rel}|{subj}|{obj}", None)
    for answer in order:  # statement -> statement it disputes (both drawn as cards)
        for stmt in sorted({v for v, _ in idx[answer].get("disputes", ())}):
            yield Edge("disputes", answer, stmt, f"disputes|{answer}|{stmt}", answer)


def _claim(g: nx.MultiDiGraph, e: Edge, idx: Index, articles: dict[str, dict]) -> dict:
    sp = idx.get(e.target, {})
    text = _first(sp, "value") or ""
    prov = _provenance(sp, articles)
    attrs = {"text": text, "verb": _first(sp, "verb"), "direct": _first(sp, "direct") == "true",
             "polarity": _first(sp, "polarity") or "Positive"}
    if e.target not in g:
        # Who the statement names (kg:mentions): listed on its card, not drawn as edges, so
        # the small page and every ranking of it stay as they were.
        g.add_node(e.target, kind="fact", label=truncate(text) or "statement",
                   **{"class": "Statement"}, articles=_cited(prov), **attrs,
                   evidence=prov["evidence"],
                   mentions=sorted({v for v, _ in sp.get("mentions", ())}))
    return {**attrs, **prov}


def _refusal(g: nx.MultiDiGraph, e: Edge, idx: Index, articles: dict[str, dict]) -> dict:
    dp = idx.get(e.fact or "", {})
    prov = _provenance(dp, articles)
    action = _first(dp, "action") or "deploy"
    label = _first(dp, "label") or action
    if e.drawn and e.target not in g:
        g.add_node(e.target, kind="fact", label=truncate(label), **{"class": "Deployment"},
                   action=action, articles=_cited(prov), evidence=prov["evidence"])
    return {"action": action, "deployment": label, **prov}


def _control(g: nx.MultiDiGraph, e: Edge, idx: Index, articles: dict[str, dict]) -> dict:
    if e.fact is None:
        return {"as_of": None, "evidence": None, "article": None, "title": None, "date": None}
    props = idx.get(e.fact, {})
    return {"as_of": _first(props, "factDate"), **_claimed_by(g, e.fact, idx),
            **_provenance(props, articles)}


def _claimed_refusal(g: nx.MultiDiGraph, e: Edge, idx: Index, articles: dict[str, dict]) -> dict:
    return {**_refusal(g, e, idx, articles), **_claimed_by(g, e.fact or "", idx)}


def _claimed_by(g: nx.MultiDiGraph, fact: str, idx: Index) -> dict[str, Any]:
    """Who claims a fact (the speaker of the statement that kg:asserts it) and who disputes
    that statement: "claimed by X on D, disputed by Y"."""
    if "inverse" not in g.graph:  # built once per projection, dropped when it is done
        g.graph["inverse"] = _inverse(idx)
    inv = g.graph["inverse"]
    stmt = next(iter(sorted(inv["asserts"].get(fact, ()))), None)
    if stmt is None:
        return {}

    def speaker(statement: str) -> str | None:
        who = next(iter(sorted(inv["claims"].get(statement, ()))), None)
        return (_first(idx.get(who, {}), "label") or who) if who else None

    answers = sorted(inv["disputes"].get(stmt, ()))
    return {"claimed_by": speaker(stmt),
            "disputed_by": [x for x in (speaker(a) for a in answers) if x]}


_INVERSE_OF = ("asserts", "claims", "disputes")


def _inverse(idx: Index) -> dict[str, dict[str, set[str]]]:
    """object -> subjects for the links read backwards, instead of a scan of the whole
    index per fact."""
    inv: dict[str, dict[str, set[str]]] = {p: defaultdict(set) for p in _INVERSE_OF}
    for subj, props in idx.items():
        for p in _INVERSE_OF:
            for v, _ in props.get(p, ()):
                inv[p][v].add(subj)
    return inv


def _dispute(g: nx.MultiDiGraph, e: Edge, idx: Index, articles: dict[str, dict]) -> dict:
    props = idx.get(e.source, {})
    return {"text": _first(props, "value"), **_provenance(props, articles)}


def _link(g: nx.MultiDiGraph, e: Edge, idx: Index, articles: dict[str, dict]) -> dict:
    """standsFor / affiliation: one edge per pair, citing the first article that says so."""
    art = min(gr for v, gr in idx[e.source][e.relation] if v == e.target)
    meta = articles.get(art, {})
    return {"evidence": None, "article": art, "title": meta.get("title"), "date": meta.get("date")}


#: How each relation's edge is described (and its fact node drawn, where it has one).
_DESCRIBE = {"claims": _claim, "refuses": _refusal, "controlledBy": _control,
             "standsFor": _link, "affiliation": _link, "claimedControl": _control,
             "claimedRefusal": _claimed_refusal, "disputes": _dispute}


def _is_entity(props: dict[str, list[tuple[str, str]]]) -> bool:
    return any(v in ENTITY_TYPES for v, _ in props.get("type", ()))


def project(quads: Iterable[Quad]) -> nx.MultiDiGraph:
    """Entities as nodes, facts folded into edges; `g.graph["articles"]` maps IRI -> metadata."""
    idx = _index(quads)
    articles = {
        iri: {"title": _first(p, "title"), "date": _first(p, "date")}
        for iri, p in idx.items() if "Article" in {v for v, _ in p.get("type", ())}
    }
    g = nx.MultiDiGraph(articles=articles)
    for iri in sorted(idx):
        if _is_entity(idx[iri]):
            g.add_node(iri, **_entity_attrs(idx[iri], iri))
    for e in _edges(idx):
        data = _DESCRIBE[e.relation](g, e, idx, articles)
        _ensure(g, e.source)
        _ensure(g, e.target)
        g.add_edge(e.source, e.target, key=e.key, relation=e.relation, **data)
    g.graph.pop("inverse", None)
    return g


_SHAPE_NAMES = frozenset({"type", "claims", "refuses", "location", "region", "controller",
                          "controlledBy", "standsFor", "affiliation", "status", "agent",
                          "disputes"})
#: The predicates that decide which nodes and edges the projection has.
SHAPE_PREDICATES = frozenset(iri for iri, name in _PRED.items() if name in _SHAPE_NAMES)
_SHAPE_TYPES = frozenset(ENTITY_TYPES) | {"ControlFact", "Article"}


@dataclass
class Shape:
    """The projection's nodes and edges without what they say: enough to rank a store of any
    size in memory that grows with its nodes, not with every sentence and label behind them.
    A big store is drawn by ranking its shape, then projecting only the subjects that the
    chosen nodes need (`support`)."""

    nodes: list[str]
    src: Any
    dst: Any
    #: (source, target, fact) per edge, as node indexes and the describing subject (or None).
    edges: list[tuple[int, int, str | None]]
    articles: list[str]
    #: Nodes 0 .. entities-1 are typed entities; the rest exist only as edge ends.
    entities: int = 0

    def __len__(self) -> int:
        return len(self.nodes)

    def central(self, n: int) -> list[str]:
        """The `n` most central nodes, with the same ranking and ties as `top`."""
        rank = _rank(len(self.nodes), self.src, self.dst).tolist()
        return most_central(dict(zip(self.nodes, rank, strict=True)), n)

    def support(self, keep: Collection[str]) -> set[str]:
        """Every subject whose quads `project` needs to draw `keep` and the edges among it: the
        kept nodes, the facts behind edges among them, and the source of every edge into a
        kept node that is no entity (a statement or an untyped end exists only through the
        edge that points at it)."""
        kept = {i for i, iri in enumerate(self.nodes) if iri in keep}
        out = set(keep) | set(self.articles)
        for u, v, fact in self.edges:
            if v in kept and v >= self.entities:
                out.add(self.nodes[u])
            if u in kept and v in kept and fact is not None:
                out.add(fact)
        return out


def shape(quads: Iterable[Quad]) -> Shape:
    """Read the shape from quads (those of SHAPE_PREDICATES are all it needs)."""
    import numpy as np

    idx = _index(quads, only=_SHAPE_NAMES)
    for props in idx.values():
        if "type" in props:
            props["type"] = [t for t in props["type"] if t[0] in _SHAPE_TYPES]
    ids: dict[str, int] = {}
    for iri in sorted(idx):
        if _is_entity(idx[iri]):
            ids[iri] = len(ids)
    src: list[int] = []
    dst: list[int] = []
    entities = len(ids)
    edges: list[tuple[int, int, str | None]] = []
    for e in _edges(idx):
        u = ids.setdefault(e.source, len(ids))
        v = ids.setdefault(e.target, len(ids))
        edges.append((u, v, e.fact))
        if u != v:
            src.append(u)
            dst.append(v)
    articles = sorted(iri for iri, p in idx.items()
                      if "Article" in {v for v, _ in p.get("type", ())})
    return Shape(list(ids), np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64),
                 edges, articles, entities)


def find(g: nx.MultiDiGraph, name: str) -> str | None:
    """Resolve an IRI, label or alias (case-insensitive) to a node id; entities win over facts."""
    if name in g:
        return name
    want = name.casefold().strip()
    hits = [
        n for n, d in g.nodes(data=True)
        if want == str(d.get("label", "")).casefold()
        or want in (a.casefold() for a in d.get("aliases", ()))
    ]
    hits.sort(key=lambda n: (g.nodes[n].get("kind") != "entity", -g.degree(n), n))
    return hits[0] if hits else None


def induced(g: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    """The subgraph on `nodes`, in g's node and edge order. networkx's own `subgraph` walks
    the node set when it is the smaller side, and a set of strings comes out in a different
    order in every process: the page would change from run to run."""
    keep = set(nodes)
    h = nx.MultiDiGraph(**g.graph)
    h.add_nodes_from((v, dict(d)) for v, d in g.nodes(data=True) if v in keep)
    h.add_edges_from((u, v, k, dict(d)) for u, v, k, d in g.edges(keys=True, data=True)
                     if u in keep and v in keep)
    return h


def focus(g: nx.MultiDiGraph, name: str, depth: int = 1) -> nx.MultiDiGraph:
    """The neighbourhood of one entity, following edges in either direction."""
    node = find(g, name)
    if node is None:
        raise ViewError(f"no entity matches {name!r}")
    return induced(g, nx.ego_graph(g, node, radius=max(depth, 0), undirected=True))


def top(g: nx.MultiDiGraph, n: int, rank: dict[str, float] | None = None) -> nx.MultiDiGraph:
    """The `n` most central nodes (PageRank, ties by id) and the edges among them."""
    rank = rank if rank is not None else pagerank(g)
    return induced(g, most_central({v: rank.get(v, 0.0) for v in g}, n))



def relation_names(relations: str | Iterable[str]) -> list[str]:
    """`"claims, refuses"` or `["claims", "refuses,controlledBy"]` as a flat, ordered list."""
    items = [relations] if isinstance(relations, str) else list(relations)
    names = [name.strip() for item in items for name in item.split(",")]
    return list(dict.fromkeys(name for name in names if name))


def relation(g: nx.MultiDiGraph, relations: str | Iterable[str]) -> nx.MultiDiGraph:
    """Only edges of the given relation(s), and only nodes that still have an edge."""
    wanted = set(relation_names(relations))
    if not wanted:
        raise ViewError(f"no relation given; known: {', '.join(RELATIONS)}")
    unknown = wanted - set(RELATIONS)
    if unknown:
        raise ViewError(f"unknown relation(s) {', '.join(sorted(unknown))}; "
                        f"known: {', '.join(RELATIONS)}")
    h = nx.MultiDiGraph(**g.graph)
    for u, v, k, d in g.edges(keys=True, data=True):
        if d.get("relation") in wanted:
            h.add_node(u, **g.nodes[u])
            h.add_node(v, **g.nodes[v])
            h.add_edge(u, v, key=k, **d)
    return h
