"""The store as a networkx graph, for ranking, clustering and drawing.

RDF keeps every fact as its own node with provenance hanging off it; a reader wants to see who
is linked to whom. So the projection folds facts into edges wherever a fact joins two entities
(a refusal with a location, a control fact) and keeps a node only where the fact has no second
entity to point at (a statement, a refusal without a place). Every edge still carries its
evidence sentence and article, so nothing is lost by folding.

Ranking is implemented here rather than with ``networkx.pagerank`` because that needs SciPy,
which kg does not depend on.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
from pyoxigraph import Literal, NamedNode, Quad

from kg.facts import ENTITY_TYPES
from kg.namespaces import DCTERMS, KG, NIF, OWL, PROV, RDF, RDFS, SKOS

#: Relations drawn as edges, in legend order.
RELATIONS = ("claims", "refuses", "controlledBy", "standsFor", "affiliation")
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
    KG + "action": "action", KG + "location": "location", KG + "region": "region",
    KG + "controller": "controller", KG + "date": "factDate", PROV + "wasDerivedFrom": "source",
    NIF + "anchorOf": "evidence", DCTERMS + "title": "title", DCTERMS + "date": "date",
}

#: subject -> short predicate -> [(object value, graph)]
Index = dict[str, dict[str, list[tuple[str, str]]]]


def _index(quads: Iterable[Quad]) -> Index:
    idx: Index = defaultdict(lambda: defaultdict(list))
    for q in quads:
        pred = _PRED.get(q.predicate.value)
        if pred is None or not isinstance(q.subject, NamedNode):
            continue
        obj = q.object
        if not isinstance(obj, NamedNode | Literal):
            continue
        value = obj.value
        if pred == "type":
            value = value.removeprefix(KG)
        elif pred == "polarity":
            value = value.removeprefix(KG)
        idx[q.subject.value][pred].append((value, getattr(q.graph_name, "value", "")))
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
    return {
        "kind": "entity", "label": label, "class": _common(types, ENTITY_TYPES) or UNTYPED,
        "aliases": sorted(aliases - {label}), "wikidata": same[0] if same else None,
        "articles": sorted({v for v, _ in props.get("mentionedIn", ())}),
        "role": _first(props, "role"),
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


def _add_claims(g: nx.MultiDiGraph, idx: Index, articles: dict[str, dict]) -> None:
    for actor, props in idx.items():
        for stmt, _ in props.get("claims", ()):
            sp = idx.get(stmt, {})
            text = _first(sp, "value") or ""
            prov = _provenance(sp, articles)
            attrs = {"text": text, "verb": _first(sp, "verb"),
                     "direct": _first(sp, "direct") == "true",
                     "polarity": _first(sp, "polarity") or "Positive"}
            if stmt not in g:
                g.add_node(stmt, kind="fact", label=truncate(text) or "statement",
                           **{"class": "Statement"}, articles=_cited(prov), **attrs,
                           evidence=prov["evidence"])
            _ensure(g, actor)
            g.add_edge(actor, stmt, key=f"claims|{actor}|{stmt}", relation="claims",
                       **attrs, **prov)


def _add_refusals(g: nx.MultiDiGraph, idx: Index, articles: dict[str, dict]) -> None:
    for actor, props in idx.items():
        for dep, _ in props.get("refuses", ()):
            dp = idx.get(dep, {})
            prov = _provenance(dp, articles)
            action = _first(dp, "action") or "deploy"
            label = _first(dp, "label") or action
            place = _first(dp, "location")
            target = place or dep
            if place is None and dep not in g:
                g.add_node(dep, kind="fact", label=truncate(label), **{"class": "Deployment"},
                           action=action, articles=_cited(prov), evidence=prov["evidence"])
            _ensure(g, actor)
            _ensure(g, target)
            g.add_edge(actor, target, key=f"refuses|{actor}|{dep}", relation="refuses",
                       action=action, deployment=label, **prov)


def _add_controls(g: nx.MultiDiGraph, idx: Index, articles: dict[str, dict]) -> None:
    covered: set[tuple[str, str]] = set()
    for fact, props in idx.items():
        if "ControlFact" not in {v for v, _ in props.get("type", ())}:
            continue
        region, ctl = _first(props, "region"), _first(props, "controller")
        if region is None or ctl is None:
            continue
        covered.add((region, ctl))
        _ensure(g, region)
        _ensure(g, ctl)
        g.add_edge(region, ctl, key=f"controlledBy|{fact}", relation="controlledBy",
                   as_of=_first(props, "factDate"), **_provenance(props, articles))
    for region, props in idx.items():
        for ctl in sorted({v for v, _ in props.get("controlledBy", ())}):
            if (region, ctl) not in covered:
                _ensure(g, region)
                _ensure(g, ctl)
                g.add_edge(region, ctl, key=f"controlledBy|{region}|{ctl}",
                           relation="controlledBy", as_of=None, evidence=None, article=None,
                           title=None, date=None)


def _add_links(g: nx.MultiDiGraph, idx: Index, articles: dict[str, dict]) -> None:
    """standsFor / affiliation: one edge per pair, citing the first article that says so."""
    for subj, props in idx.items():
        for rel in ("standsFor", "affiliation"):
            by_target: dict[str, list[str]] = defaultdict(list)
            for obj, graph in props.get(rel, ()):
                by_target[obj].append(graph)
            for obj, graphs in sorted(by_target.items()):
                art = min(graphs)
                meta = articles.get(art, {})
                _ensure(g, subj)
                _ensure(g, obj)
                g.add_edge(subj, obj, key=f"{rel}|{subj}|{obj}", relation=rel, evidence=None,
                           article=art, title=meta.get("title"), date=meta.get("date"))


def project(quads: Iterable[Quad]) -> nx.MultiDiGraph:
    """Entities as nodes, facts folded into edges; `g.graph["articles"]` maps IRI -> metadata."""
    idx = _index(quads)
    articles = {
        iri: {"title": _first(p, "title"), "date": _first(p, "date")}
        for iri, p in idx.items() if "Article" in {v for v, _ in p.get("type", ())}
    }
    g = nx.MultiDiGraph(articles=articles)
    for iri in sorted(idx):
        props = idx[iri]
        if any(v in ENTITY_TYPES for v, _ in props.get("type", ())):
            g.add_node(iri, **_entity_attrs(props, iri))
    _add_claims(g, idx, articles)
    _add_refusals(g, idx, articles)
    _add_controls(g, idx, articles)
    _add_links(g, idx, articles)
    return g


def pagerank(g: nx.MultiDiGraph, alpha: float = 0.85, iterations: int = 100,
             tol: float = 1e-10) -> dict[str, float]:
    """PageRank on the undirected weighted view.

    Undirected because claims point from a speaker to what was said: directed rank would make
    the statements central and the people who made them peripheral.
    """
    nodes = list(g)
    n = len(nodes)
    if n == 0:
        return {}
    weight: dict[str, Counter[str]] = {v: Counter() for v in nodes}
    for u, v in g.edges():
        if u != v:
            weight[u][v] += 1
            weight[v][u] += 1
    out = {v: sum(weight[v].values()) for v in nodes}
    rank = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(iterations):
        dangling = alpha * sum(rank[v] for v in nodes if out[v] == 0) / n
        new = dict.fromkeys(nodes, (1.0 - alpha) / n + dangling)
        for u in nodes:
            if out[u]:
                share = alpha * rank[u] / out[u]
                for v, w in weight[u].items():
                    new[v] += share * w
        delta = sum(abs(new[v] - rank[v]) for v in nodes)
        rank = new
        if delta < n * tol:
            break
    return rank


def communities(g: nx.MultiDiGraph, seed: int = 0) -> dict[str, int]:
    """Louvain communities, numbered largest first (0 is the biggest cluster)."""
    simple = nx.Graph()
    simple.add_nodes_from(g)
    for u, v in g.edges():
        if u != v:
            w = simple.get_edge_data(u, v, {"weight": 0})["weight"]
            simple.add_edge(u, v, weight=w + 1)
    groups = nx.community.louvain_communities(simple, weight="weight", seed=seed)
    groups = sorted(groups, key=lambda c: (-len(c), min(c)))
    return {node: i for i, group in enumerate(groups) for node in group}


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


def _subgraph(g: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    return g.subgraph(nodes).copy()


def focus(g: nx.MultiDiGraph, name: str, depth: int = 1) -> nx.MultiDiGraph:
    """The neighbourhood of one entity, following edges in either direction."""
    node = find(g, name)
    if node is None:
        raise ValueError(f"no entity matches {name!r}")
    return _subgraph(g, nx.ego_graph(g, node, radius=max(depth, 0), undirected=True))


def top(g: nx.MultiDiGraph, n: int, rank: dict[str, float] | None = None) -> nx.MultiDiGraph:
    """The `n` most central nodes (PageRank, ties by id) and the edges among them."""
    rank = rank if rank is not None else pagerank(g)
    keep = sorted(g, key=lambda v: (-rank.get(v, 0.0), v))[: max(n, 0)]
    return _subgraph(g, keep)


def relation(g: nx.MultiDiGraph, relations: str | Iterable[str]) -> nx.MultiDiGraph:
    """Only edges of the given relation(s), and only nodes that still have an edge."""
    wanted = set(relations.split(",")) if isinstance(relations, str) else set(relations)
    wanted = {r.strip() for r in wanted if r.strip()}
    unknown = wanted - set(RELATIONS)
    if unknown:
        raise ValueError(f"unknown relation(s) {sorted(unknown)}; known: {', '.join(RELATIONS)}")
    h = nx.MultiDiGraph(**g.graph)
    for u, v, k, d in g.edges(keys=True, data=True):
        if d.get("relation") in wanted:
            h.add_node(u, **g.nodes[u])
            h.add_node(v, **g.nodes[v])
            h.add_edge(u, v, key=k, **d)
    return h
