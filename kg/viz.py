"""The store as one self-contained HTML graph browser.

The page must open from a laptop with no network and must not run anything an article says,
so: vis-network is inlined from pyvis's own copy, pyvis's stock template is not used at all
(it pulls Bootstrap from a CDN and writes hover titles with innerHTML), every piece of article
text travels in one escaped JSON block and reaches the DOM only through textContent, and a
Content-Security-Policy pins script execution to the hashes of our two inline scripts.

One template, two pictures: a store small enough to read statement by statement is drawn as
it is projected (`render`: statements as cards); a bigger one as the overview of
kg.graph.overview (`render_overview`: actors and places, statements folded into weighted
edges, hidden neighbours and the facts behind each edge in the same data block), because a cut
of the statement graph to its most central nodes keeps no statement at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import networkx as nx
from pyvis.network import Network

from kg import graph
from kg.graph.overview import OVERVIEW_NODES, Overview, date_key, edge_width, label_for
from kg.store import Store

#: class -> (colour, vis shape). Facts are boxes so their text reads as a card.
CLASS_STYLE: dict[str, tuple[str, str]] = {
    "Person": ("#60a5fa", "dot"),
    "Organization": ("#f59e0b", "square"),
    "MilitaryUnit": ("#f87171", "triangle"),
    "Group": ("#c084fc", "hexagon"),
    "Country": ("#34d399", "diamond"),
    "Region": ("#2dd4bf", "star"),
    "City": ("#facc15", "triangleDown"),
    "Place": ("#a8a29e", "dot"),
    "Statement": ("#e2e8f0", "box"),
    "Deployment": ("#fecaca", "box"),
    graph.UNTYPED: ("#94a3b8", "dot"),
}
#: relation -> (colour, dashes, width)
RELATION_STYLE: dict[str, tuple[str, bool | list[int], float]] = {
    "claims": ("#94a3b8", False, 1.2),
    "refuses": ("#f87171", [8, 5], 2.0),
    "controlledBy": ("#34d399", False, 2.6),
    "standsFor": ("#cbd5e1", [2, 4], 1.2),
    "affiliation": ("#c084fc", [6, 3], 1.4),
    # claimed by one side only: the colours of control and refusal, dotted and thinner
    "claimedControl": ("#fbbf24", [3, 4], 1.8),
    "claimedRefusal": ("#fb923c", [3, 4], 1.6),
    "disputes": ("#f43f5e", [10, 4], 2.0),
}
COMMUNITY_COLOURS = ("#60a5fa", "#f59e0b", "#34d399", "#f87171", "#c084fc", "#2dd4bf",
                     "#facc15", "#fb7185", "#a3e635", "#38bdf8", "#e879f9", "#fdba74")
BACKGROUND = "#0b1120"
#: Up to this many nodes the browser lays the graph out (vis-network physics, well under a
#: second at this size); beyond it kg.graph.layout computes positions and physics stays off.
BROWSER_LAYOUT_MAX = 150
#: One force model for both: vis-network's forceAtlas2Based is configured from graph.FORCES
#: (vis rests an edge at 1.5 x its springLength), which graph.layout also uses.
FORCES = graph.FORCES
_VIS = ("templates", "lib", "vis-9.1.2")
#: What `write_html` draws: "statements" (every statement a card), "overview" (actors and
#: places, statements folded into weighted edges: kg.graph.overview), or "auto": the overview
#: when the statement graph does not fit the node cap and is bigger than OVERVIEW_MIN.
VIEWS = ("auto", "overview", "statements")
#: Below this many nodes a cut statement graph still reads (and `--max-nodes` on it is a
#: deliberate look at the core); beyond it, a cut would be mostly isolated names.
OVERVIEW_MIN = 400
#: Overview nodes whose names are drawn at first sight; the rest show on hover or zoom.
OVERVIEW_LABELS = 30
#: Their font size in canvas pixels, and the smallest the page draws at the fitted zoom.
OVERVIEW_LABEL_PX = 34


class Drawn(NamedTuple):
    """What a page shows: its node and edge counts, out of how many, and the banner notes."""

    nodes: int
    edges: int
    total_nodes: int
    notes: list[str]


def write_html(store: Store, path: Path | str, *, focus: str | None = None, depth: int = 1,
               top: int | None = None, relation: str | Sequence[str] | None = None,
               communities: bool = False, max_nodes: int = 2000, view: str = "auto") -> Drawn:
    """Project the store, reduce it as asked, and write the browser page to `path`.

    `view` is one of VIEWS; a focus or relation draws statements unless the overview is asked
    for (a neighbourhood is mostly small enough to read them). Raises graph.ViewError (a
    ValueError) when `focus` or `relation` names nothing, or `view` is unknown.
    """
    if view not in VIEWS:
        raise graph.ViewError(f"unknown view {view!r}; known: {', '.join(VIEWS)}")
    if focus and view == "overview" and not relation:
        # One entity's neighbourhood in the aggregated graph: whom it speaks about, who
        # speaks about it, what it holds, at `depth` steps.
        full = graph.project(store.quads())
        node = graph.find(full, focus)
        if node is None or full.nodes[node].get("kind") != "entity":
            raise graph.ViewError(f"no entity matches {focus!r}")
        n = min(max_nodes, top) if top is not None else min(max_nodes, OVERVIEW_NODES)
        ov = graph.overview(store, n, around=node, depth=depth)
        if node not in ov.graph:
            raise graph.ViewError(f"{focus!r} has no edges to draw in the overview")
        notes = [f"Neighbourhood of {ov.graph.nodes[node]['label']} within {depth} step(s) "
                 "in the overview (statements folded into claims edges)."]
        Path(path).write_text(render_overview(ov, notes=notes, focus=node), encoding="utf-8")
        return Drawn(ov.graph.number_of_nodes(), ov.graph.number_of_edges(),
                     full.number_of_nodes(), notes)
    if focus or relation:
        full = graph.project(store.quads())
        total = full.number_of_nodes()
        g, notes = reduce(full, focus=focus, depth=depth, top=top, relation=relation,
                          max_nodes=max_nodes)
    else:
        shape = graph.shape(store.quads(predicates=graph.SHAPE_PREDICATES))
        limit = min(len(shape), max_nodes, len(shape) if top is None else top)
        if view == "overview" or (view == "auto" and limit < len(shape) and
                                  len(shape) > OVERVIEW_MIN):
            n = min(max_nodes, top) if top is not None else min(max_nodes, OVERVIEW_NODES)
            ov = graph.overview(store, n)
            notes = overview_notes(ov, len(shape), asked=view == "overview")
            Path(path).write_text(render_overview(ov, notes=notes), encoding="utf-8")
            return Drawn(ov.graph.number_of_nodes(), ov.graph.number_of_edges(), len(shape),
                         notes)
        g, notes, total = central(store, top=top, max_nodes=max_nodes, shape=shape)
    Path(path).write_text(render(g, notes=notes, communities=communities), encoding="utf-8")
    return Drawn(g.number_of_nodes(), g.number_of_edges(), total, notes)


def central(store: Store, *, top: int | None = None, max_nodes: int = 2000,
            shape: graph.Shape | None = None) -> tuple[nx.MultiDiGraph, list[str], int]:
    """The most central part of the whole store, projected without projecting the rest.

    Ranking needs only the graph's shape; descriptions (sentences, labels, provenance) are
    read for the drawn nodes alone. So the page of a corpus of any size costs memory for its
    nodes, not for everything said about them. Returns the view, the banner notes and the
    node count of the whole projection.
    """
    if shape is None:
        shape = graph.shape(store.quads(predicates=graph.SHAPE_PREDICATES))
    limit, notes = _cut(len(shape), top, max_nodes)
    keep = shape.central(limit)
    view = graph.induced(graph.project(store.quads(subjects=shape.support(keep))), keep)
    return view, notes, len(shape)


def reduce(g: nx.MultiDiGraph, *, focus: str | None = None, depth: int = 1,
           top: int | None = None, relation: str | Sequence[str] | None = None,
           max_nodes: int = 2000) -> tuple[nx.MultiDiGraph, list[str]]:
    """Apply relation filter, ego focus, top-N and the node cap, in that order, with notes.

    The node cap always applies, so a huge store still gives a page a browser can draw: the
    max_nodes most central nodes (PageRank), and a note saying so.
    """
    notes: list[str] = []
    node = None
    if focus:
        node = graph.find(g, focus)
        if node is None:
            raise graph.ViewError(f"no entity matches {focus!r}")
    if relation:
        rels = graph.relation_names(relation)
        g = graph.relation(g, rels)
        notes.append("Only " + ", ".join(rels) + " edges are shown.")
        if node is not None and node not in g:
            raise graph.ViewError(f"{focus!r} has no {' or '.join(rels)} edges")
    if node is not None:
        g = graph.focus(g, node, depth)
        notes.append(f"Neighbourhood of {g.nodes[node].get('label', node)} within {depth} "
                     "step(s).")
    limit, cut = _cut(g.number_of_nodes(), top, max_nodes)
    if limit < g.number_of_nodes():  # one cut by one ranking, as `central` makes
        g = graph.top(g, limit)
    return g, notes + cut


def _cut(total: int, top: int | None, max_nodes: int) -> tuple[int, list[str]]:
    """How many of `total` nodes --top and the node cap leave, and what the banner says."""
    limit = min(total, max_nodes, total if top is None else top)
    notes = []
    if top is not None and top < total:
        notes.append(f"Showing the top {top} of {total} nodes by PageRank.")
        total = top
    if total > max_nodes:
        notes.append(f"The graph has {total} nodes; only the {max_nodes} most central "
                     "(PageRank) are drawn. `kg viz` with --focus, --top, --relation or "
                     "--max-nodes shows the rest.")
    return limit, notes


def render(g: nx.MultiDiGraph, *, notes: Iterable[str] = (), communities: bool = False) -> str:
    """The complete page as a string: no external references, data only as escaped JSON."""
    rank = graph.pagerank(g)
    groups = graph.communities(g) if communities and g.number_of_nodes() else {}
    net = _network(g, rank, groups)
    nodes, edges, _, _, _, options = net.get_network_data()
    payload = _payload(g, nodes, edges, json.loads(options), rank, groups, list(notes))
    return _page(payload)


def _page(payload: dict[str, Any]) -> str:
    """The template filled in: scripts inlined and hashed into the CSP, data as escaped JSON."""
    app_js = _text("graph.js")
    vis_js = _vis("vis-network.min.js")
    parts = {
        "VIS_CSS": _vis("vis-network.css").replace("</style", "<\\/style"),
        "VIS_JS": _script_safe(vis_js),
        "APP_JS": _script_safe(app_js),
        "DATA": script_json(payload),
    }
    parts["CSP"] = _csp(parts["VIS_JS"], parts["APP_JS"])
    html = re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: parts[m.group(1)], _text("graph.html"))
    return strip_external(html)


# ---------------------------------------------------------------- the overview page

def overview_notes(ov: Overview, total: int, asked: bool = False) -> list[str]:
    """The banner of an overview page: what was folded, and how to see the rest. `asked`:
    the overview was chosen with --view rather than because the statements do not fit."""
    drawn = ov.graph.number_of_nodes()
    why = (f"The graph has {total} nodes ({ov.statements} statements). This overview"
           if asked else f"The graph has {total} nodes ({ov.statements} statements), too many "
           "to draw one by one: this overview")
    return [f"{why} draws the {drawn} most central of its {ov.linked} linked actors and "
            "places, each statement folded into a claims edge from its speaker to whom it "
            "names. Click an edge for its statements, double-click a node for its hidden "
            "neighbours; `kg viz --view statements` draws statements as cards."]


def render_overview(ov: Overview, *, notes: Iterable[str] = (), focus: str | None = None) -> str:
    """The overview page: the same template and script as `render`, in overview mode.

    Positions come from graph.layout (physics stays off whatever the size); nodes are
    coloured by Louvain community of the drawn graph (weighted), shaped by class, sized by
    PageRank on the aggregated graph; edges are as wide as the log of what they fold. Hidden
    neighbours, their links and every listed fact travel in the same escaped data block.
    """
    g = ov.graph
    groups = graph.communities(g) if g.number_of_nodes() else {}
    at = graph.layout(g)
    top_rank = max((d["rank"] for _, d in g.nodes(data=True)), default=1.0) or 1.0
    order = sorted(g, key=lambda v: (-g.nodes[v]["rank"], v))
    fact_id = {f: f"f{i}" for i, f in enumerate(ov.facts)}
    # Facts carry a YYYY-MM-DD "day" for the filter: a control fact's own date (kg:date, its
    # first day when only the month or year is known), else its article's.
    facts = {fact_id[f]: {**fact, **({"day": _day(fact)} if _day(fact) else {})}
             for f, fact in ov.facts.items()}
    days = sorted(f["day"] for f in facts.values() if "day" in f)

    def node(v: str, d: dict[str, Any], group: int | None, named: bool) -> dict[str, Any]:
        share = min(d["rank"] / top_rank, 1.0)
        style = _node_style(d, share, group)
        # Names drawn at first sight are OVERVIEW_LABEL_PX and up, the rest 18-26 px; the page
        # hides labels smaller than OVERVIEW_LABEL_PX at the fitted zoom (a few hundred nodes
        # fit at about a third of canvas size; a smaller graph's fonts are scaled to match),
        # so they appear as the reader zooms in.
        size = OVERVIEW_LABEL_PX + 26 * math.sqrt(share) if named else 18 + 8 * math.sqrt(share)
        style["font"] = {**style["font"], "size": round(size, 1)}
        style["size"] = round(7 + 23 * math.sqrt(share), 1)
        return {"id": v, **style}

    def edge(eid: str, u: str, v: str, d: dict[str, Any], nth: int) -> dict[str, Any]:
        # What every overview edge shares (no label, straight, small arrow) is set once in
        # the options; hundreds of edges then carry only what is their own.
        style = _edge_style(eid, d, nth, straight=True)
        style.update(width=edge_width(d["weight"]),
                     title=_overview_edge_tip(g, ov.hidden, u, v, d, ov.facts))
        style["color"] = {**style["color"], "opacity": 0.7}
        for shared in ("label", "font", "arrows"):
            style.pop(shared)
        if not nth:
            style.pop("smooth")
        if not style["dashes"]:
            style.pop("dashes")
        return {"from": u, "to": v, **style}

    nodes = []
    for i, v in enumerate(order):
        n = node(v, g.nodes[v], groups.get(v), i < OVERVIEW_LABELS)
        n["x"], n["y"] = at[v]
        nodes.append(n)
    edges, edge_info = [], {}
    seen: Counter[frozenset[str]] = Counter()
    for i, (u, v, d) in enumerate(g.edges(data=True)):
        pair = frozenset((u, v))
        edges.append(edge(f"e{i}", u, v, d, seen[pair]))
        seen[pair] += 1
        edge_info[f"e{i}"] = _overview_edge_info(u, v, d, fact_id)
    h = ov.hidden
    # h also holds drawn nodes, as ends of links the page can add between them.
    hidden_nodes = [node(v, d, None, False) for v, d in h.nodes(data=True) if v not in g]
    hidden_edges = []
    for i, (u, v, d) in enumerate(h.edges(data=True)):
        hidden_edges.append(edge(f"h{i}", u, v, d, 1 if g.has_edge(u, v) or g.has_edge(v, u)
                                 else 0))
        edge_info[f"h{i}"] = _overview_edge_info(u, v, d, fact_id)
    node_info = {v: _overview_node_info(d, groups.get(v), ov.articles)
                 for v, d in g.nodes(data=True)}
    node_info.update((v, _overview_node_info(d, None, ov.articles, listed=5))
                     for v, d in h.nodes(data=True) if v not in g)
    classes = Counter(d.get("class", graph.UNTYPED) for _, d in g.nodes(data=True))
    rels = Counter(d.get("relation", "") for _, _, d in g.edges(data=True))
    sizes = Counter(groups.values())
    members: dict[int, list[str]] = {}
    for v in order:
        if v in groups:
            members.setdefault(groups[v], []).append(g.nodes[v]["label"])
    options = _options(len(nodes), positioned=True)
    options["edges"].update(smooth={"enabled": False},
                            arrows={"to": {"enabled": True, "scaleFactor": 0.45}})
    payload = {
        "mode": "overview", "focus": focus, "nodes": nodes, "edges": edges,
        "options": options, "notes": list(notes),
        "info": {"nodes": node_info, "edges": edge_info},
        "hidden": {"nodes": hidden_nodes, "edges": hidden_edges},
        "also": ov.also,
        "facts": facts, "dates": {"min": days[0], "max": days[-1]} if days else None,
        "articles": ov.articles, "labelSize": OVERVIEW_LABEL_PX, "labelScale": 0.34,
        "summary": {"entities": ov.entities, "linked": ov.linked,
                    "statements": ov.statements, "about": ov.statements_about},
        "classes": [{"name": c, "color": CLASS_STYLE[c][0], "shape": CLASS_STYLE[c][1],
                     "count": classes[c]} for c in CLASS_STYLE if classes[c]],
        "relations": [{"name": r, "color": st[0], "dashes": bool(st[1]), "width": st[2],
                       "count": rels[r]} for r, st in RELATION_STYLE.items() if rels[r]],
        "communities": [{"id": i, "size": sizes[i], "members": members.get(i, [])[:3],
                         "color": COMMUNITY_COLOURS[i] if i < len(COMMUNITY_COLOURS)
                         else "#94a3b8"} for i in sorted(sizes)],
    }
    return _page(payload)


def _overview_node_info(d: dict[str, Any], group: int | None, articles: dict[str, dict],
                        listed: int = 20) -> dict[str, Any]:
    """A node's panel data; its newest `listed` articles only (a candidate's run to
    hundreds, and hidden nodes, which outnumber drawn ones, list fewer)."""
    newest = sorted(d.get("articles", []),
                    key=lambda a: (date_key(articles.get(a, {}).get("date")), a), reverse=True)
    info = _node_info({**d, "articles": newest[:listed]}, d.get("rank", 0.0), group)
    info["aliases"] = info.get("aliases", [])[:12]
    return {**info, "said": d.get("said", 0), "named": d.get("named", 0),
            "articlesTotal": len(d.get("articles", []))}


def _overview_edge_info(u: str, v: str, d: dict[str, Any],
                        fact_id: dict[str, str]) -> dict[str, Any]:
    return {"rel": d["relation"], "from": u, "to": v, "weight": d["weight"],
            "total": d["total"], "facts": [fact_id[f] for f in d["facts"]],
            "stated_in": d.get("stated_in", 0)}


def _overview_edge_tip(g: nx.MultiDiGraph, h: nx.MultiDiGraph, u: str, v: str,
                       d: dict[str, Any], facts: dict[str, dict]) -> str:
    def name(x: str) -> str:
        return (g.nodes[x] if x in g else h.nodes[x] if x in h else {}).get("label", x)

    lines = [f"{name(u)} → {name(v)}", label_for(d["weight"], d["relation"])]
    if d["facts"]:
        newest = facts.get(d["facts"][0], {})
        if newest.get("text"):
            lines.append(f"Newest: “{graph.truncate(newest['text'], 160)}”")
    return _clip("\n".join(lines))


def _network(g: nx.MultiDiGraph, rank: dict[str, float], groups: dict[str, int]) -> Network:
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line",
                  bgcolor=BACKGROUND)
    n = g.number_of_nodes()
    # Past BROWSER_LAYOUT_MAX nodes the browser's physics takes seconds per hundred nodes on
    # a modest laptop, so positions are computed here and the page only draws them.
    at = graph.layout(g) if n > BROWSER_LAYOUT_MAX else {}
    top_rank = max(rank.values(), default=1.0) or 1.0
    for node, d in g.nodes(data=True):
        style = _node_style(d, rank.get(node, 0.0) / top_rank, groups.get(node))
        if node in at:
            style["x"], style["y"] = at[node]
        net.add_node(node, **style)
    seen: Counter[frozenset[str]] = Counter()
    for i, (u, v, d) in enumerate(g.edges(data=True)):
        pair = frozenset((u, v))
        net.add_edge(u, v, **_edge_style(f"e{i}", d, seen[pair], straight=bool(at)))
        seen[pair] += 1
    net.options = _options(n, positioned=bool(at))
    return net


def _node_style(d: dict[str, Any], share: float, group: int | None) -> dict[str, Any]:
    cls = d.get("class", graph.UNTYPED)
    colour, shape = CLASS_STYLE.get(cls, CLASS_STYLE[graph.UNTYPED])
    if group is not None:
        colour = COMMUNITY_COLOURS[group] if group < len(COMMUNITY_COLOURS) else "#94a3b8"
    fact = d.get("kind") == "fact"
    font = ({"color": "#0f172a", "size": 11, "face": "Inter, system-ui, sans-serif"} if fact
            else {"color": "#e2e8f0", "size": 13, "strokeWidth": 3, "strokeColor": BACKGROUND,
                  "face": "Inter, system-ui, sans-serif"})
    return {
        "label": d.get("label") or "?", "shape": shape, "cls": cls, "title": _node_tip(d),
        "color": {"background": colour, "border": _shade(colour),
                  "highlight": {"background": colour, "border": "#ffffff"},
                  "hover": {"background": colour, "border": "#ffffff"}},
        "size": round(9 + 19 * math.sqrt(share), 1), "font": font,
        **({"margin": 7, "widthConstraint": {"maximum": 180}} if fact else {}),
    }


def _edge_style(eid: str, d: dict[str, Any], nth: int, straight: bool = False) -> dict[str, Any]:
    rel = d.get("relation", "")
    colour, dashes, width = RELATION_STYLE.get(rel, ("#94a3b8", False, 1.0))
    # Big graphs get straight lines (a curve costs a Bezier per edge per frame); parallel
    # edges stay curved either way so that they can be told apart.
    smooth: dict[str, Any] = ({"enabled": False} if straight else
                              {"enabled": True, "type": "continuous", "roundness": 0.2})
    if nth:
        smooth = {"enabled": True, "type": "curvedCW" if nth % 2 else "curvedCCW",
                  "roundness": 0.18 * ((nth + 1) // 2)}
    return {
        "id": eid, "label": rel, "rel": rel, "title": _edge_tip(d), "dashes": dashes,
        "width": width, "smooth": smooth, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "color": {"color": colour, "highlight": "#ffffff", "hover": colour, "opacity": 0.85},
        "font": {"color": "#94a3b8", "size": 10, "strokeWidth": 3, "strokeColor": BACKGROUND,
                 "align": "middle", "face": "Inter, system-ui, sans-serif"},
    }


def _options(n: int, positioned: bool = False) -> dict[str, Any]:
    """vis-network options. `positioned`: nodes carry x/y from graph.layout, physics stays off."""
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": n <= 150},
        "physics": {
            "enabled": n > 0 and not positioned, "solver": "forceAtlas2Based",
            "minVelocity": 1.0,
            "forceAtlas2Based": {"gravitationalConstant": -FORCES["gravity"],
                                 "centralGravity": FORCES["central"],
                                 "springLength": FORCES["spring_length"] / 1.5,
                                 "springConstant": FORCES["spring"], "damping": 0.55,
                                 "avoidOverlap": 0.5},
            "stabilization": {"enabled": not positioned, "iterations": _iterations(n),
                              "updateInterval": 25, "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": n > 600,
                        "hideEdgesOnZoom": n > 600, "multiselect": False,
                        "navigationButtons": False, "keyboard": False},
        "nodes": {"borderWidth": 1.5, "borderWidthSelected": 3},
        "edges": {"selectionWidth": 1.5, "hoverWidth": 1.0},
    }


def _iterations(n: int) -> int:
    """In-browser layout effort. kg's pages use it up to BROWSER_LAYOUT_MAX nodes; the bigger
    tiers are what benchmarks/bench_viz.py's in-browser-physics comparison runs."""
    return 600 if n < 200 else 300 if n < 800 else 150


def _payload(g: nx.MultiDiGraph, nodes: list[dict], edges: list[dict], options: dict,
             rank: dict[str, float], groups: dict[str, int], notes: list[str]) -> dict:
    node_info = {n: _node_info(d, rank.get(n, 0.0), groups.get(n)) for n, d in g.nodes(data=True)}
    edge_info = {e["id"]: _edge_info(u, v, d) for e, (u, v, d) in
                 zip(edges, g.edges(data=True), strict=True)}
    classes = Counter(d.get("class", graph.UNTYPED) for _, d in g.nodes(data=True))
    rels = Counter(d.get("relation", "") for _, _, d in g.edges(data=True))
    sizes = Counter(groups.values())
    return {
        "nodes": nodes, "edges": edges, "options": options, "notes": notes,
        "info": {"nodes": node_info, "edges": edge_info},
        "articles": g.graph.get("articles", {}),
        "classes": [{"name": c, "color": CLASS_STYLE[c][0], "shape": CLASS_STYLE[c][1],
                     "count": classes[c]} for c in CLASS_STYLE if classes[c]],
        "relations": [{"name": r, "color": s[0], "dashes": bool(s[1]), "width": s[2],
                       "count": rels[r]} for r, s in RELATION_STYLE.items() if rels[r]],
        "communities": [{"id": i, "size": sizes[i], "color": COMMUNITY_COLOURS[i]
                         if i < len(COMMUNITY_COLOURS) else "#94a3b8"} for i in sorted(sizes)],
    }


def _node_info(d: dict[str, Any], rank: float, group: int | None) -> dict[str, Any]:
    keep = ("label", "kind", "aliases", "wikidata", "articles", "role", "text", "verb",
            "direct", "polarity", "action", "evidence", "mentions", "geonames", "lat", "long")
    info = {k: d[k] for k in keep if d.get(k) not in (None, [], "")}
    return {**info, "cls": d.get("class", graph.UNTYPED), "rank": round(rank, 6),
            "community": group}


def _edge_info(u: str, v: str, d: dict[str, Any]) -> dict[str, Any]:
    info = {k: val for k, val in d.items() if val not in (None, [], "") and k != "relation"}
    return {**info, "rel": d.get("relation", ""), "from": u, "to": v}


def _node_tip(d: dict[str, Any]) -> str:
    """Hover text: plain text only; vis-network shows string titles with innerText."""
    lines = [d.get("text") or d.get("label") or "", d.get("class", "")]
    if d.get("role"):
        lines[1] += f" \u00b7 {d['role']}"
    if d.get("aliases"):
        lines.append("Also: " + ", ".join(d["aliases"][:6]))
    if d.get("articles"):
        lines.append(f"Mentioned in {len(d['articles'])} article(s)")
    return _clip("\n".join(lines))


def _edge_tip(d: dict[str, Any]) -> str:
    lines = [d.get("relation", "")]
    if d.get("text"):
        lines.append(f"\u201c{d['text']}\u201d")
    if d.get("deployment"):
        lines.append(f"Refuses: {d['deployment']}")
    if d.get("as_of"):
        lines.append(f"As of {d['as_of']}")
    if d.get("claimed_by"):
        lines.append(claim_line(d))
    if d.get("evidence"):
        lines.append(f"Evidence: {d['evidence']}")
    if d.get("title") or d.get("date"):
        lines.append(" \u2014 ".join(str(x) for x in (d.get("title"), d.get("date")) if x))
    return _clip("\n".join(lines))


def _day(fact: dict[str, Any]) -> str:
    own = fact.get("as_of") or ""
    if re.fullmatch(r"\d{4}(-\d{2}){0,2}", own):
        return own + "-01-01"[len(own) - 4:]
    return date_key(fact.get("date"))


def claim_line(d: dict[str, Any]) -> str:
    """"claimed by X on D, disputed by Y": a fact only one side claims, in one line."""
    line = f"Claimed by {d['claimed_by']}"
    if d.get("as_of"):
        line += f" on {d['as_of']}"
    if d.get("disputed_by"):
        line += ", disputed by " + ", ".join(d["disputed_by"])
    return line


def _clip(text: str, limit: int = 600) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _shade(hex_colour: str, factor: float = 0.7) -> str:
    r, gr, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (r, gr, b)))


def script_json(data: Any) -> str:
    """JSON that can sit inside <script type="application/json"> whatever the strings hold.

    Escaping every < and > (not just "</" and "<!--") keeps the HTML tokenizer from ever
    seeing a tag or comment; U+2028/2029 are escaped for older JavaScript parsers.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                     ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


_EXTERNAL = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//[^>]*>"
    r"(?:\s*</script>)?", re.IGNORECASE)


def strip_external(html: str) -> str:
    """Drop any tag that would fetch from the network (a guard: our template has none)."""
    return _EXTERNAL.sub("", html)


def _csp(*scripts: str) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts)
    return ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
            f"script-src {hashes}; connect-src 'none'; base-uri 'none'; form-action 'none'")


def _script_safe(js: str) -> str:
    """Inline-able JS: no source-map fetch, nothing the HTML tokenizer would end the block on."""
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE)
    return js.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def _text(name: str) -> str:
    return resources.files("kg").joinpath("templates", name).read_text(encoding="utf-8")


def _vis(name: str) -> str:
    return resources.files("pyvis").joinpath(*_VIS, name).read_text(encoding="utf-8")


__all__ = ["Drawn", "OVERVIEW_MIN", "VIEWS", "write_html", "reduce", "render",
           "render_overview", "overview_notes", "script_json", "strip_external"]
