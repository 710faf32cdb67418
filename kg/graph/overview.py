"""A store too big for its statements, drawn as who speaks about whom and who holds what.

On a real corpus statements outnumber entities and each is a leaf of low rank, so cutting the
statement graph to its most central nodes drops every statement and every claims edge, and
leaves a grid of isolated names. The overview draws actors and places only and folds facts
into weighted edges between them:

- A --claims (N)--> B for the N statements A made whose text names B (kg:mentions);
- refusals onto their place, control facts, standsFor and affiliation as they are folded in
  the projection, weighted by how many facts (or articles) say so.

It ranks the aggregated graph (weighted PageRank), keeps the top n with their strongest
edges, and leaves out nodes that have no drawn edge (the page lists them as "also
mentioned"). For each kept node it also keeps its strongest hidden links, so the page can
expand a node without another pass over the store. Two reads: the structure first (a few
predicates), then the descriptions of what is kept.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import networkx as nx
from pyoxigraph import Quad

from kg.graph.project import (
    _PRED,
    Index,
    _edges,
    _entity_attrs,
    _first,
    _index,
    _is_entity,
)
from kg.graph.rank import most_central, weighted_pagerank

#: Default number of ranked nodes the overview keeps (before isolated ones are dropped):
#: enough for the structure of a few thousand articles, few enough to read.
OVERVIEW_NODES = 300
#: Claims edges kept per node among the kept nodes (its strongest); other relations are few
#: and all kept.
EDGES_PER_NODE = 6
#: Hidden neighbours a node can expand to on the page (its strongest links to nodes not drawn).
HIDDEN_PER_NODE = 12
#: Facts listed per edge on the page (newest first); the count says how many there are.
#: Fewer for hidden edges, which outnumber drawn ones: the page's size stays bounded by the
#: nodes it draws, however many statements the corpus has.
FACTS_PER_EDGE = 60
FACTS_PER_HIDDEN_EDGE = 10

_NAMES = frozenset({"type", "claims", "mentions", "refuses", "location", "region", "controller",
                    "controlledBy", "standsFor", "affiliation", "status", "agent"})
#: The predicates the overview's structure is read from.
OVERVIEW_PREDICATES = frozenset(iri for iri, name in _PRED.items() if name in _NAMES)


class QuadSource(Protocol):
    """What the overview reads: a store, or anything with the store's `quads` filters."""

    def quads(self, *, subjects: Collection[str] | None = None,
              predicates: Collection[str] | None = None) -> Iterable[Quad]: ...


@dataclass
class Link:
    """Facts of one relation between two entities, folded into one weighted edge."""

    relation: str
    source: str
    target: str
    #: The subjects behind it (statements, deployments, control facts), if it has any.
    facts: list[str]
    weight: int
    #: Articles that state a link without facts behind it (standsFor, affiliation).
    articles: int = 0

    @property
    def key(self) -> str:
        return f"{self.relation}|{self.source}|{self.target}"


@dataclass
class Overview:
    """What the overview page draws, and what it can add on demand."""

    #: Drawn entities and their kept links: edges carry relation, weight, facts (newest
    #: first, at most FACTS_PER_EDGE) and total (how many facts the edge folds).
    graph: nx.MultiDiGraph
    #: Entities the page can add (neighbours of drawn ones, and the also-mentioned) with
    #: their attributes, and the links that add them (some end at drawn nodes, which appear
    #: here without attributes).
    hidden: nx.MultiDiGraph
    #: Ranked into the cut but with no edge to another kept node, best first.
    also: list[str]
    #: Fact IRI -> what the page lists for it: text, kind, verb, negated, evidence, article.
    facts: dict[str, dict[str, Any]]
    #: Entities in the store, and those with at least one link.
    entities: int
    linked: int
    #: Statements in the store, and those that name an entity other than their speaker.
    statements: int
    statements_about: int
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)


def overview_links(quads: Iterable[Quad]) -> list[Link]:
    """Every aggregated link in these quads (OVERVIEW_PREDICATES are all it needs)."""
    return _links(_index(quads, only=_NAMES))


def _links(idx: Index) -> list[Link]:
    """Every aggregated link between two typed entities, in a stable order."""
    facts: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    articles: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for e in _edges(idx):
        if e.relation == "claims":
            for whom in sorted({v for v, _ in idx.get(e.target, {}).get("mentions", ())}):
                if whom != e.source:
                    facts[("claims", e.source, whom)].append(e.target)
        elif e.relation == "refuses":
            if not e.drawn:  # folded onto its place; a refusal with no place joins nobody
                facts[("refuses", e.source, e.target)].append(e.fact or e.key)
        elif e.fact is not None:
            facts[(e.relation, e.source, e.target)].append(e.fact)
        else:  # standsFor, affiliation, a bare controlledBy: as strong as the articles saying so
            key = (e.relation, e.source, e.target)
            articles[key] |= {gr for v, gr in idx[e.source].get(e.relation, ()) if v == e.target}
            facts.setdefault(key, [])
    entity = {iri for iri, props in idx.items() if _is_entity(props)}
    out = []
    for (rel, u, v), fs in sorted(facts.items()):
        if u in entity and v in entity and u != v:
            real = sorted({f for f in fs if f in idx})
            # A link with no facts behind it (the Kremlin stands for Russia) weighs one however
            # many articles repeat it: it says who is who, not how much was said.
            out.append(Link(rel, u, v, real, len(set(fs)) or 1, len(articles[(rel, u, v)])))
    return out


def overview(source: QuadSource, n: int = OVERVIEW_NODES, *, per_node: int = EDGES_PER_NODE,
             hidden_per_node: int = HIDDEN_PER_NODE, facts_per_edge: int = FACTS_PER_EDGE,
             around: str | None = None, depth: int = 1) -> Overview:
    """Read, aggregate, rank and cut: see the module docstring. With `around` (an entity
    IRI), only nodes within `depth` links of it are candidates: its neighbourhood in the
    aggregated graph, still ranked on the whole."""
    idx = _index(source.quads(predicates=OVERVIEW_PREDICATES), only=_NAMES)
    all_links = _links(idx)
    entities = sorted(iri for iri, props in idx.items() if _is_entity(props))
    statements = {v for props in idx.values() for v, _ in props.get("claims", ())}
    about = {lk_fact for lk in all_links if lk.relation == "claims" for lk_fact in lk.facts}

    weighted = nx.Graph()
    for lk in all_links:
        w = weighted.get_edge_data(lk.source, lk.target, {"weight": 0})["weight"]
        weighted.add_edge(lk.source, lk.target, weight=w + lk.weight)
    rank = weighted_pagerank(weighted)
    if around is not None:
        near = set(nx.ego_graph(weighted, around, radius=max(depth, 0))) \
            if around in weighted else set()
        chosen = [around] + most_central({v: rank[v] for v in near - {around}}, n - 1) \
            if near else []
    else:
        chosen = most_central(rank, n)
    kept = _strongest(all_links, set(chosen), per_node)
    ends = {x for lk in kept for x in (lk.source, lk.target)}
    drawn = [v for v in chosen if v in ends]
    also = [v for v in chosen if v not in ends]
    hidden_links, hidden_nodes = _hidden(all_links, kept, drawn + also, hidden_per_node)

    wanted = set(drawn) | set(also) | hidden_nodes
    fact_ids = {f for lk in kept + hidden_links for f in lk.facts}
    article_ids = {iri for iri, p in idx.items() if "Article" in {v for v, _ in p.get("type", ())}}
    described = _index(source.quads(subjects=wanted | fact_ids | article_ids))
    articles = {iri: {"title": _first(described.get(iri, {}), "title"),
                      "date": _first(described.get(iri, {}), "date")}
                for iri in sorted(article_ids)}
    facts = {f: _fact(described.get(f, {}), articles) for f in sorted(fact_ids)}

    said = {v: len({s for s, _ in idx[v].get("claims", ())}) for v in wanted}
    named: dict[str, set[str]] = defaultdict(set)
    for lk in all_links:
        if lk.relation == "claims" and lk.target in wanted:
            named[lk.target].update(lk.facts)

    def node_attrs(v: str) -> dict[str, Any]:
        return {**_entity_attrs(described.get(v, {}), v), "rank": rank.get(v, 0.0),
                "said": said.get(v, 0), "named": len(named.get(v, ()))}

    g = nx.MultiDiGraph(articles=articles)
    for v in drawn:
        g.add_node(v, **node_attrs(v))
    for lk in kept:
        g.add_edge(lk.source, lk.target, key=lk.key, **_edge_attrs(lk, facts, facts_per_edge))
    h = nx.MultiDiGraph()
    for v in sorted(hidden_nodes) + also:
        h.add_node(v, **node_attrs(v))
    for lk in hidden_links:
        h.add_edge(lk.source, lk.target, key=lk.key,
                   **_edge_attrs(lk, facts, min(facts_per_edge, FACTS_PER_HIDDEN_EDGE)))
    listed = {f for _, _, d in g.edges(data=True) for f in d["facts"]} | \
        {f for _, _, d in h.edges(data=True) for f in d["facts"]}
    return Overview(g, h, also, {f: facts[f] for f in sorted(listed)}, len(entities),
                    weighted.number_of_nodes(), len(statements), len(about), articles)


def _strongest(all_links: list[Link], chosen: set[str], per_node: int) -> list[Link]:
    """Links among `chosen`: every non-claims link, and each node's `per_node` strongest
    claims links (a link stays when either end counts it among its strongest)."""
    among = [lk for lk in all_links if lk.source in chosen and lk.target in chosen]
    best: dict[str, list[Link]] = defaultdict(list)
    for lk in among:
        if lk.relation == "claims":
            best[lk.source].append(lk)
            best[lk.target].append(lk)
    keep = {lk.key for lk in among if lk.relation != "claims"}
    for node_links in best.values():
        node_links.sort(key=lambda lk: (-lk.weight, lk.key))
        keep |= {lk.key for lk in node_links[:per_node]}
    return [lk for lk in among if lk.key in keep]


def _hidden(all_links: list[Link], kept: list[Link], anchors: list[str],
            per_node: int) -> tuple[list[Link], set[str]]:
    """For each anchor (drawn or also-mentioned node), its `per_node` strongest neighbours
    not already joined to it on the page, and every link to them: what double-click adds."""
    shown = {lk.key for lk in kept}
    anchor_set = set(anchors)
    by_pair: dict[tuple[str, str], list[Link]] = defaultdict(list)
    for lk in all_links:
        if lk.key not in shown and (lk.source in anchor_set or lk.target in anchor_set):
            by_pair[(lk.source, lk.target)].append(lk)
            by_pair[(lk.target, lk.source)].append(lk)
    around: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (a, b), lks in by_pair.items():
        if a in anchor_set:
            around[a].append((sum(lk.weight for lk in lks), b))
    out: dict[str, Link] = {}
    nodes: set[str] = set()
    for a in anchors:
        for _, b in sorted(around.get(a, ()), key=lambda t: (-t[0], t[1]))[:per_node]:
            if b not in anchor_set:
                nodes.add(b)
            for lk in by_pair[(a, b)]:
                out[lk.key] = lk
    return [out[k] for k in sorted(out)], nodes


def _fact(props: dict[str, list[tuple[str, str]]], articles: dict[str, dict]) -> dict[str, Any]:
    """One fact as the page lists it under an edge."""
    types = {v for v, _ in props.get("type", ())}
    article = _first(props, "source")
    info: dict[str, Any] = {"article": article,
                            "date": articles.get(article or "", {}).get("date"),
                            "evidence": _first(props, "evidence")}
    if "Statement" in types:
        info.update(kind="Statement", text=_first(props, "value") or "",
                    verb=_first(props, "verb"), negated=_first(props, "polarity") == "Negative",
                    direct=_first(props, "direct") == "true")
    elif "Deployment" in types:
        info.update(kind="Deployment", text=_first(props, "label") or _first(props, "action"))
    else:
        info.update(kind="ControlFact", as_of=_first(props, "factDate"))
    return {k: v for k, v in info.items() if v not in (None, "")}


_MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june",
                                        "july", "august", "september", "october", "november",
                                        "december"), 1)}


def date_key(date: str | None) -> str:
    """A date as written ("2016-03-01", "March 1, 2016", "1 March 2016") as sortable
    YYYY-MM-DD; "" when it cannot be read, which sorts it last among newest-first."""
    if not date:
        return ""
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", date)
    if m:
        return "-".join(m.groups())
    m = re.match(r"\s*([A-Za-z]+)\.? (\d{1,2}),? (\d{4})", date) or \
        re.match(r"\s*(\d{1,2}) ([A-Za-z]+)\.?,? (\d{4})", date)
    if m:
        a, b, year = m.groups()
        month, day = (a, b) if a[0].isalpha() else (b, a)
        number = _MONTHS.get(month.lower()) or next(
            (n for name, n in _MONTHS.items() if len(month) >= 3 and name.startswith(
                month.lower())), None)
        if number:
            return f"{year}-{number:02d}-{int(day):02d}"
    return ""


def _edge_attrs(lk: Link, facts: dict[str, dict], limit: int) -> dict[str, Any]:
    order = sorted(lk.facts, key=lambda f: (date_key(facts[f].get("date")), f), reverse=True)
    return {"relation": lk.relation, "weight": lk.weight, "total": len(lk.facts),
            "facts": order[:limit], "stated_in": lk.articles}


def edge_width(weight: int) -> float:
    """Stroke width for an aggregated edge: grows with the log of its weight, so one edge of
    200 statements is thick but does not bury the rest."""
    return round(1.0 + 1.6 * math.log2(max(weight, 1)), 2)


def label_for(weight: int, relation: str) -> str:
    """Hover title head for an aggregated edge."""
    noun = {"claims": "statement", "refuses": "refusal", "controlledBy": "report"}.get(relation)
    return f"{relation} ({weight} {noun}{'s' if weight != 1 else ''})" if noun else relation


__all__ = ["OVERVIEW_NODES", "OVERVIEW_PREDICATES", "Link", "Overview", "QuadSource",
           "date_key", "edge_width", "label_for", "overview", "overview_links"]
