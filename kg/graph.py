"""The store as a networkx graph, for ranking, clustering and drawing.

RDF keeps every fact as its own node with provenance hanging off it; a reader wants to see who
is linked to whom. So the projection folds facts into edges wherever a fact joins two entities
(a refusal with a location, a control fact) and keeps a node only where the fact has no second
entity to point at (a statement, a refusal without a place). Every edge still carries its
evidence sentence and article, so nothing is lost by folding.

Ranking and layout are implemented here rather than with ``networkx.pagerank`` and
``networkx.spring_layout`` because for graphs of this size those need SciPy, which kg does not
depend on; NumPy (which spaCy brings) is enough.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

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
        if "ControlFact" not in {v for v, _ in props.get("type", ())}:
            continue
        region, ctl = _first(props, "region"), _first(props, "controller")
        if region is not None and ctl is not None:
            covered.add((region, ctl))
            yield Edge("controlledBy", region, ctl, f"controlledBy|{fact}", fact)
    for region in order:
        for ctl in sorted({v for v, _ in idx[region].get("controlledBy", ())}):
            if (region, ctl) not in covered:  # stated without a ControlFact behind it
                yield Edge("controlledBy", region, ctl, f"controlledBy|{region}|{ctl}", None)
    for subj in order:
        for rel in ("standsFor", "affiliation"):
            for obj in sorted({v for v, _ in idx[subj].get(rel, ())}):
                yield Edge(rel, subj, obj, f"{rel}|{subj}|{obj}", None)


def _claim(g: nx.MultiDiGraph, e: Edge, idx: Index, articles: dict[str, dict]) -> dict:
    sp = idx.get(e.target, {})
    text = _first(sp, "value") or ""
    prov = _provenance(sp, articles)
    attrs = {"text": text, "verb": _first(sp, "verb"), "direct": _first(sp, "direct") == "true",
             "polarity": _first(sp, "polarity") or "Positive"}
    if e.target not in g:
        g.add_node(e.target, kind="fact", label=truncate(text) or "statement",
                   **{"class": "Statement"}, articles=_cited(prov), **attrs,
                   evidence=prov["evidence"])
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
    return {"as_of": _first(props, "factDate"), **_provenance(props, articles)}


def _link(g: nx.MultiDiGraph, e: Edge, idx: Index, articles: dict[str, dict]) -> dict:
    """standsFor / affiliation: one edge per pair, citing the first article that says so."""
    art = min(gr for v, gr in idx[e.source][e.relation] if v == e.target)
    meta = articles.get(art, {})
    return {"evidence": None, "article": art, "title": meta.get("title"), "date": meta.get("date")}


#: How each relation's edge is described (and its fact node drawn, where it has one).
_DESCRIBE = {"claims": _claim, "refuses": _refusal, "controlledBy": _control,
             "standsFor": _link, "affiliation": _link}


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
    return g


_SHAPE_NAMES = frozenset({"type", "claims", "refuses", "location", "region", "controller",
                          "controlledBy", "standsFor", "affiliation"})
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


def pagerank(g: nx.MultiDiGraph, alpha: float = 0.85, iterations: int = 100,
             tol: float = 1e-10) -> dict[str, float]:
    """PageRank on the undirected weighted view (parallel edges add weight, loops are ignored).

    Undirected because claims point from a speaker to what was said: directed rank would make
    the statements central and the people who made them peripheral. Power iteration over
    edge arrays, so a 20,000-node store ranks in well under a second.
    """
    nodes = list(g)
    if not nodes:
        return {}
    src, dst = _edge_arrays(g, {v: i for i, v in enumerate(nodes)})
    rank = _rank(len(nodes), src, dst, alpha, iterations, tol)
    return dict(zip(nodes, rank.tolist(), strict=True))


def _rank(n: int, src: Any, dst: Any, alpha: float = 0.85, iterations: int = 100,
          tol: float = 1e-10) -> Any:
    import numpy as np

    if n == 0:
        return np.zeros(0)
    # Each undirected edge carries rank both ways.
    frm, to = np.concatenate([src, dst]), np.concatenate([dst, src])
    out = np.bincount(frm, minlength=n).astype(float)
    dangling = out == 0
    inv_out = np.divide(alpha, out, out=np.zeros(n), where=~dangling)
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        base = (1.0 - alpha) / n + alpha * rank[dangling].sum() / n
        new = np.bincount(to, weights=(rank * inv_out)[frm], minlength=n) + base
        delta = np.abs(new - rank).sum()
        rank = new
        if delta < n * tol:
            break
    return rank


def _edge_arrays(g: nx.MultiDiGraph, index: dict[str, int]) -> tuple[Any, Any]:
    """Endpoints of every non-loop edge (parallel edges repeated) as two index arrays."""
    import numpy as np

    pairs = [(index[u], index[v]) for u, v in g.edges() if u != v]
    if not pairs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    arr = np.array(pairs, dtype=np.int64)
    return arr[:, 0], arr[:, 1]


def weighted_view(g: nx.MultiDiGraph) -> nx.Graph:
    """The undirected view that ranking and clustering share: parallel edges add weight,
    loops are dropped."""
    simple = nx.Graph()
    simple.add_nodes_from(g)
    for u, v in g.edges():
        if u != v:
            w = simple.get_edge_data(u, v, {"weight": 0})["weight"]
            simple.add_edge(u, v, weight=w + 1)
    return simple


def communities(g: nx.MultiDiGraph, seed: int = 0) -> dict[str, int]:
    """Louvain communities, numbered largest first (0 is the biggest cluster)."""
    groups = nx.community.louvain_communities(weighted_view(g), weight="weight", seed=seed)
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


def most_central(rank: dict[str, float], n: int) -> list[str]:
    """The `n` best-ranked nodes. Ranks are rounded so that nodes of equal standing tie exactly
    and fall back to their ids, whatever order the ranking summed them in."""
    return sorted(rank, key=lambda v: (-round(rank[v], 12), v))[: max(n, 0)]


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


# ---------------------------------------------------------------- layout

#: The force model of vis-network's forceAtlas2Based solver, in its units (pixels): every node
#: repels every other with gravity * (degree + 1) / distance, each edge is a spring of rest
#: length `spring_length` and stiffness `spring`, and a pull of `central * (degree + 1)` per
#: pixel keeps the whole near the middle. Same model, same constants: the Python layout lands
#: where the browser's physics would have, without the browser doing thousands of ticks.
FORCES = {"gravity": 70.0, "spring_length": 165.0, "spring": 0.07, "central": 0.012}


def layout(g: nx.MultiDiGraph, *, seed: int = 7, iterations: int | None = None,
           forces: dict[str, float] | None = None) -> dict[str, tuple[float, float]]:
    """Node positions in pixels for drawing without in-browser physics.

    Each connected component is started from pivot MDS (graph distances from a few far-apart
    pivots, projected to 2-D: the global shape, in linear time) and relaxed with the force
    model of FORCES. Repulsion is split Barnes-Hut style on a grid: exact between nodes in
    neighbouring cells, through cell centres of mass beyond. Components are then packed in
    rows, largest first, isolated nodes last. Deterministic for a given `seed`.
    """
    import numpy as np

    if g.number_of_nodes() == 0:
        return {}
    model = {**FORCES, **(forces or {})}
    rng = np.random.default_rng(seed)
    simple = nx.Graph()
    simple.add_nodes_from(g)
    simple.add_edges_from((u, v) for u, v in g.edges() if u != v)
    parts = sorted((sorted(c) for c in nx.connected_components(simple)),
                   key=lambda c: (-len(c), c[0]))
    # Each component's edges in g's order (one pass), so the forces sum in the same order in
    # every run and the page comes out byte-identical.
    part_of = {v: i for i, comp in enumerate(parts) for v in comp}
    pairs: list[list[tuple[str, str]]] = [[] for _ in parts]
    for u, v in g.edges():
        if u != v:
            pairs[part_of[u]].append((u, v))
    placed = []
    for comp, comp_pairs in zip(parts, pairs, strict=True):
        if len(comp) == 1:
            placed.append((comp, np.zeros((1, 2))))
            continue
        index = {v: i for i, v in enumerate(comp)}
        arr = np.array([(index[u], index[v]) for u, v in comp_pairs], dtype=np.int64)
        src, dst = arr[:, 0], arr[:, 1]
        adjacency = [[index[w] for w in simple[v]] for v in comp]
        placed.append((comp, _component(adjacency, src, dst, model, rng, iterations)))
    return _pack(placed, gap=model["spring_length"])


def _component(adjacency: list[list[int]], src: Any, dst: Any, model: dict[str, float],
               rng: Any, iterations: int | None) -> Any:
    import numpy as np

    k = len(adjacency)
    pos = _pivot_mds(adjacency) if k > 3 else rng.normal(size=(k, 2))
    pos -= pos.mean(0)
    spread = float(np.sqrt((pos ** 2).sum(1).mean())) or 1.0
    # Start near the radius where repulsion and the central pull balance (sqrt(g * k / c)),
    # with a little noise to separate nodes MDS put on the same spot (leaves of one hub).
    radius = 0.7 * np.sqrt(model["gravity"] * k / model["central"])
    pos = pos * (radius / spread) + rng.normal(scale=0.1 * model["spring_length"],
                                               size=pos.shape)
    degree = np.bincount(src, minlength=k) + np.bincount(dst, minlength=k) + 1.0
    steps = iterations if iterations is not None else _steps(k)
    cells = int(min(24, max(3, np.ceil(np.sqrt(k / 8)))))
    hot = 0.1 * float(np.ptp(pos, 0).max()) + 0.3 * model["spring_length"]
    for step in range(steps):
        temperature = hot * (1 - step / steps) + 2.0
        force = _forces(pos, src, dst, degree, model, cells)
        length = np.sqrt((force ** 2).sum(1))
        pos += force * (np.minimum(length, temperature) / np.maximum(length, 1e-9))[:, None]
    return pos


def _steps(k: int) -> int:
    """Relaxation sweeps: MDS has the shape already, so a few dozen settle it."""
    return 60 if k <= 300 else 50 if k <= 1200 else 35


def _pivot_mds(adjacency: list[list[int]], pivots: int = 40) -> Any:
    """Brandes & Pich's pivot MDS: BFS from max-min pivots, double-centre, top-2 axes."""
    import numpy as np

    k = len(adjacency)
    p = min(pivots, k)
    dist = np.empty((k, p))
    nearest = np.full(k, np.inf)
    start = 0
    for c in range(p):
        d = [-1] * k
        d[start] = 0
        frontier = [start]
        while frontier:
            nxt = []
            for u in frontier:
                du = d[u] + 1
                for w in adjacency[u]:
                    if d[w] < 0:
                        d[w] = du
                        nxt.append(w)
            frontier = nxt
        dist[:, c] = d
        nearest = np.minimum(nearest, dist[:, c])
        start = int(np.argmax(nearest))
    sq = dist ** 2
    centred = -0.5 * (sq - sq.mean(0) - sq.mean(1)[:, None] + sq.mean())
    _, vectors = np.linalg.eigh(centred.T @ centred)
    return centred @ vectors[:, ::-1][:, :2]


def _forces(pos: Any, src: Any, dst: Any, degree: Any, model: dict[str, float],
            cells: int) -> Any:
    import numpy as np

    k = len(pos)
    low = pos.min(0)
    size = np.maximum(np.ptp(pos, 0) / cells, 1e-9) * (1 + 1e-9)
    cell = np.minimum(((pos - low) / size).astype(np.int64), cells - 1)
    cid = cell[:, 0] * cells + cell[:, 1]
    push = np.zeros_like(pos)
    # Far: every occupied cell that is not next to the node's own, as one mass at its centre.
    mass = np.bincount(cid, minlength=cells * cells).astype(float)
    occupied = np.nonzero(mass)[0]
    m = mass[occupied]
    cx = (np.bincount(cid, pos[:, 0], cells * cells)[occupied] / m).astype(np.float32)
    cy = (np.bincount(cid, pos[:, 1], cells * cells)[occupied] / m).astype(np.float32)
    near = np.abs(cell[:, 0:1] - (occupied // cells)[None, :]) <= 1
    near &= np.abs(cell[:, 1:2] - (occupied % cells)[None, :]) <= 1
    p32 = pos.astype(np.float32)
    dx = p32[:, 0:1] - cx[None, :]
    dy = p32[:, 1:2] - cy[None, :]
    f = dx * dx
    f += dy * dy
    np.maximum(f, 1.0, out=f)
    np.divide(m.astype(np.float32)[None, :], f, out=f)
    f[near] = 0.0
    push[:, 0] = (dx * f).sum(1)
    push[:, 1] = (dy * f).sum(1)
    # Near: exactly, pair by pair.
    i, j = _near_pairs(cell, cid, cells)
    d = pos[i] - pos[j]
    d2 = np.maximum((d ** 2).sum(1), 1.0)
    push[:, 0] += np.bincount(i, d[:, 0] / d2, k)
    push[:, 1] += np.bincount(i, d[:, 1] / d2, k)
    force = push * (model["gravity"] * degree)[:, None]
    e = pos[src] - pos[dst]
    length = np.maximum(np.sqrt((e ** 2).sum(1)), 0.01)
    pull = e * (model["spring"] * (model["spring_length"] - length) / length)[:, None]
    for axis in (0, 1):
        force[:, axis] += (np.bincount(src, pull[:, axis], k)
                           - np.bincount(dst, pull[:, axis], k))
    force -= (model["central"] * degree)[:, None] * (pos - pos.mean(0))
    return force


def _near_pairs(cell: Any, cid: Any, cells: int) -> tuple[Any, Any]:
    """Ordered pairs (i, j), i != j, of nodes in the same or adjacent grid cells."""
    import numpy as np

    order = np.argsort(cid, kind="stable")
    ordered = cid[order]
    index = np.arange(len(cid))
    firsts, seconds = [], []
    for ox in (-1, 0, 1):
        for oy in (-1, 0, 1):
            gx, gy = cell[:, 0] + ox, cell[:, 1] + oy
            inside = (gx >= 0) & (gx < cells) & (gy >= 0) & (gy < cells)
            key = np.where(inside, gx * cells + gy, -1)
            lo = np.searchsorted(ordered, key, "left")
            count = np.where(inside, np.searchsorted(ordered, key, "right") - lo, 0)
            total = int(count.sum())
            if total:
                firsts.append(np.repeat(index, count))
                offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
                seconds.append(order[np.repeat(lo, count) + offset])
    i, j = np.concatenate(firsts), np.concatenate(seconds)
    keep = i != j
    return i[keep], j[keep]


def _pack(placed: list[tuple[list[str], Any]], gap: float) -> dict[str, tuple[float, float]]:
    """Shelf-pack component boxes, largest first, into a roughly 4:3 landscape block."""
    import numpy as np

    boxes = [(comp, pos - pos.min(0)) for comp, pos in placed]
    dims = [(float(p[:, 0].max()) + gap, float(p[:, 1].max()) + gap) for _, p in boxes]
    area = sum(w * h for w, h in dims)
    width = max(np.sqrt(area * 4 / 3), max(w for w, _ in dims))
    out: dict[str, tuple[float, float]] = {}
    x = y = shelf = 0.0
    for (comp, pos), (w, h) in zip(boxes, dims, strict=True):
        if x > 0 and x + w > width:
            x, y, shelf = 0.0, y + shelf, 0.0
        for node, (px, py) in zip(comp, pos.tolist(), strict=True):
            out[node] = (round(x + px, 1), round(y + py, 1))
        x += w
        shelf = max(shelf, h)
    return out
