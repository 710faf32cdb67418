"""The networkx projection and its reductions, on hand-made quads (no browser, no spaCy)."""

from __future__ import annotations

import math
import statistics
from collections import Counter

import networkx as nx
import numpy as np
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
from pyoxigraph import NamedNode, Quad
from viz_fixtures import Doc, Quads, demo_docs, kg, synthetic_docs

from kg import graph
from kg.namespaces import ID


def _project(docs: list[Doc]) -> nx.MultiDiGraph:
    return graph.project(q for d in docs for q in d.quads)


@pytest.fixture(scope="module")
def demo() -> nx.MultiDiGraph:
    return _project(demo_docs())


def _edges(g: nx.MultiDiGraph, rel: str) -> list[tuple[str, str, dict]]:
    return [(u, v, d) for u, v, d in g.edges(data=True) if d["relation"] == rel]


def test_entities_merge_across_articles(demo: nx.MultiDiGraph) -> None:
    russia = demo.nodes[ID + "Russia"]
    assert russia["label"] == "Russia"
    assert russia["class"] == "Country"
    assert russia["aliases"] == ["Moscow", "Russian Federation"]
    assert russia["wikidata"] == "http://www.wikidata.org/entity/Q159"
    assert len(russia["articles"]) == 3
    putin = demo.nodes[ID + "Vladimir_Putin"]
    assert putin["role"] == "President" and putin["aliases"] == ["Putin"]


def test_counts(demo: nx.MultiDiGraph) -> None:
    classes = Counter(d["class"] for _, d in demo.nodes(data=True))
    assert classes["Statement"] == 8 and classes["Deployment"] == 1
    assert classes["Person"] == 4 and classes["City"] == 4
    relations = Counter(d["relation"] for _, _, d in demo.edges(data=True))
    assert relations == {"claims": 8, "refuses": 4, "controlledBy": 4, "affiliation": 10,
                         "standsFor": 1}
    assert (demo.number_of_nodes(), demo.number_of_edges()) == (32, 27)


def test_claims_carry_text_evidence_and_article(demo: nx.MultiDiGraph) -> None:
    [(u, v, d)] = [e for e in _edges(demo, "claims") if e[0] == ID + "Kremlin"]
    assert d["text"] == "there is no mutiny in the ranks"
    assert d["polarity"] == "Negative" and d["verb"] == "denied" and d["direct"] is False
    assert d["evidence"].startswith("The Kremlin denied")
    assert d["title"] == "LPR fighters refuse to fight in Donetsk" and d["date"] == "2022-08-16"
    stmt = demo.nodes[v]
    assert stmt["class"] == "Statement" and stmt["text"] == d["text"]
    long = next(n for n, a in demo.nodes(data=True) if a.get("text", "").startswith("the Russian"))
    assert demo.nodes[long]["label"].endswith("\u2026")
    assert len(demo.nodes[long]["label"]) <= graph.LABEL_MAX


def test_refusals_fold_onto_the_place_or_keep_a_deployment_node(demo: nx.MultiDiGraph) -> None:
    refusals = _edges(demo, "refuses")
    to_place = [d for u, v, d in refusals if v == ID + "Donetsk_Oblast"]
    assert len(to_place) == 2
    assert {d["action"] for d in to_place} == {"fight"}
    assert all(d["evidence"] and d["article"] for d in to_place)
    [(u, v, d)] = [e for e in refusals if demo.nodes[e[1]]["class"] == "Deployment"]
    assert u == ID + "Belgorod_reservists"
    assert demo.nodes[v]["label"] == "deploy to the front"


def test_control_facts_become_dated_edges(demo: nx.MultiDiGraph) -> None:
    edges = {(u, v): d for u, v, d in _edges(demo, "controlledBy")}
    kherson = edges[(ID + "Kherson", ID + "Ukraine")]
    assert kherson["as_of"] == "2022-11-11" and kherson["title"] == "Ukraine retakes Kherson"
    assert edges[(ID + "Bakhmut", ID + "Wagner_Group")]["as_of"] is None


def test_bare_control_triple_and_untyped_ends_are_kept() -> None:
    d = Doc("https://news.example/x", "x")
    a = d.entity("A", "A", "Region")
    d.link(a, "controlledBy", NamedNode(ID + "Nobody_Typed"))
    g = _project([d])
    [(u, v, data)] = list(g.edges(data=True))
    assert (u, v, data["evidence"]) == (a.value, ID + "Nobody_Typed", None)
    assert g.nodes[v]["class"] == graph.UNTYPED and g.nodes[v]["label"] == "Nobody_Typed"


def test_ignores_foreign_triples_and_empty_input() -> None:
    assert graph.project([]).number_of_nodes() == 0
    junk = Quad(NamedNode("http://x/a"), kg("whatever"), NamedNode("http://x/b"))
    assert graph.project([junk]).number_of_nodes() == 0


def test_pagerank_matches_reference_and_sums_to_one(demo: nx.MultiDiGraph) -> None:
    rank = graph.pagerank(demo)
    assert sum(rank.values()) == pytest.approx(1.0)
    assert max(rank, key=rank.__getitem__) == ID + "Russia"
    simple = nx.MultiDiGraph([(1, 2), (2, 3), (3, 1), (3, 4), (5, 4)])
    ref = _pagerank_python(nx.Graph(simple.to_undirected()))
    for node, value in graph.pagerank(simple).items():
        assert value == pytest.approx(ref[node], abs=1e-6)
    assert graph.pagerank(nx.MultiDiGraph()) == {}


def _described(g: nx.MultiDiGraph) -> tuple[list, list]:
    return (sorted((n, repr(sorted(d.items()))) for n, d in g.nodes(data=True)),
            sorted((u, v, k, repr(sorted(d.items()))) for u, v, k, d in
                   g.edges(keys=True, data=True)))


@pytest.mark.parametrize("docs", [demo_docs, lambda: synthetic_docs(300)], ids=["demo", "big"])
def test_shape_ranks_and_draws_like_the_whole_projection(docs) -> None:
    """Ranking the shape, then projecting only the support of the chosen nodes, draws exactly
    what cutting the full projection draws: nodes, edges and every attribute."""
    quads = [q for d in docs() for q in d.quads]
    full = graph.project(quads)
    shape = graph.shape(q for q in quads if q.predicate.value in graph.SHAPE_PREDICATES)
    assert len(shape) == full.number_of_nodes()
    # Every cut of the small graph (ties included), a sample of the big one's.
    cuts = range(1, len(shape) + 1) if len(shape) < 100 else (1, 5, 40, 200, len(shape))
    for n in cuts:
        keep = shape.central(n)
        want = graph.top(full, n)
        assert set(keep) == set(want)
        support = shape.support(keep)
        part = graph.project(q for q in quads if q.subject.value in support)
        assert _described(part.subgraph(keep)) == _described(want), n
    if len(shape) >= 100:  # the support of a small view is a small part of a big store
        assert len(shape.support(shape.central(20))) < len({q.subject for q in quads}) / 2


def test_shape_keeps_a_statement_whose_speaker_is_cut() -> None:
    """Ties put a statement in the top 3 without its speaker: it must still be drawn."""
    e = lambda name: NamedNode(ID + name)  # noqa: E731
    quads = [Quad(e("von_der_Leyen"), kg("claims"), e("statement/abc")),
             Quad(e("Biden"), kg("affiliation"), e("Carter"))]
    full = graph.project(quads)
    shape = graph.shape(quads)
    for n in range(1, 5):
        keep = shape.central(n)
        assert set(keep) == set(graph.top(full, n))
        support = shape.support(keep)
        part = graph.project(q for q in quads if q.subject.value in support)
        assert _described(part.subgraph(keep)) == _described(graph.top(full, n))


def test_projection_ignores_quad_order() -> None:
    quads = [q for d in demo_docs() for q in d.quads]
    assert _described(graph.project(quads)) == _described(graph.project(quads[::-1]))
    assert list(graph.project(quads).edges(keys=True)) == \
        list(graph.project(quads[::-1]).edges(keys=True))


def test_communities_split_two_cliques() -> None:
    g = nx.MultiDiGraph()
    g.add_edges_from((a, b) for a in "abcd" for b in "abcd" if a < b)
    g.add_edges_from((a, b) for a in "xyz" for b in "xyz" if a < b)
    g.add_edge("d", "x")
    groups = graph.communities(g)
    assert {groups[n] for n in "abcd"} == {0} and {groups[n] for n in "xyz"} == {1}


def test_find_by_iri_label_alias(demo: nx.MultiDiGraph) -> None:
    assert graph.find(demo, ID + "Kherson") == ID + "Kherson"
    assert graph.find(demo, "volodymyr zelensky") == ID + "Volodymyr_Zelensky"
    assert graph.find(demo, "Moscow") == ID + "Russia"
    assert graph.find(demo, "Atlantis") is None


def test_focus_grows_with_depth(demo: nx.MultiDiGraph) -> None:
    one = graph.focus(demo, "Putin", depth=1)
    assert set(one) >= {ID + "Vladimir_Putin", ID + "Russia"}
    assert ID + "Kremlin" not in one
    two = graph.focus(demo, "Putin", depth=2)
    assert ID + "Kremlin" in two and two.number_of_nodes() > one.number_of_nodes()
    assert one.graph["articles"] == demo.graph["articles"]
    with pytest.raises(ValueError, match="Atlantis"):
        graph.focus(demo, "Atlantis")


def test_top_keeps_the_most_central(demo: nx.MultiDiGraph) -> None:
    small = graph.top(demo, 5)
    assert small.number_of_nodes() == 5 and ID + "Russia" in small
    assert all(d["relation"] for _, _, d in small.edges(data=True))


def test_relation_filter(demo: nx.MultiDiGraph) -> None:
    ctl = graph.relation(demo, "controlledBy")
    assert {d["relation"] for _, _, d in ctl.edges(data=True)} == {"controlledBy"}
    assert ctl.number_of_edges() == 4 and all(ctl.degree(n) for n in ctl)
    both = graph.relation(demo, "claims, refuses")
    assert both.number_of_edges() == 12
    with pytest.raises(ValueError, match="unknown relation"):
        graph.relation(demo, "likes")


def test_relation_names_and_view_errors(demo: nx.MultiDiGraph) -> None:
    assert graph.relation_names("claims, refuses") == ["claims", "refuses"]
    assert graph.relation_names(["claims", "refuses,claims", " "]) == ["claims", "refuses"]
    assert graph.relation(demo, ["claims", "refuses"]).number_of_edges() == 12
    for bad in ("likes", ",", ["claims", "likes"]):
        with pytest.raises(graph.ViewError):
            graph.relation(demo, bad)
    assert issubclass(graph.ViewError, ValueError)


def test_pagerank_weights_parallel_edges_and_skips_loops() -> None:
    g = nx.MultiDiGraph([(1, 2), (1, 2), (2, 1), (2, 3), (3, 3), (4, 5)])
    g.add_node(6)  # isolated: all its rank is dangling
    ref = _pagerank_python(graph.weighted_view(g), weight="weight", tol=1e-10, max_iter=1000)
    rank = graph.pagerank(g)
    assert sum(rank.values()) == pytest.approx(1.0)
    for node, value in rank.items():
        assert value == pytest.approx(ref[node], abs=1e-6)


def test_top_breaks_ties_by_id() -> None:
    star = nx.MultiDiGraph([("hub", leaf) for leaf in "edcba"])
    assert set(graph.top(star, 3)) == {"hub", "a", "b"}


def _distances(pos: dict[str, tuple[float, float]]) -> np.ndarray:
    p = np.array(list(pos.values()))
    d = np.sqrt(((p[:, None] - p[None]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    return d


def test_layout_places_every_node_deterministically(demo: nx.MultiDiGraph) -> None:
    pos = graph.layout(demo)
    assert set(pos) == set(demo) and pos == graph.layout(demo)
    assert all(np.isfinite(xy).all() for xy in pos.values())
    assert graph.layout(demo, seed=1) != pos
    assert _distances(pos).min() > 30  # nobody on top of anybody
    # Connected components are packed side by side: their boxes do not overlap.
    boxes = []
    for comp in nx.connected_components(demo.to_undirected()):
        xs, ys = zip(*(pos[n] for n in comp), strict=True)
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1], (a, b)


def test_layout_spreads_a_large_component() -> None:
    g = _project(synthetic_docs(300))
    assert g.number_of_nodes() == 330
    assert nx.is_connected(g.to_undirected())
    pos = graph.layout(g)
    d = _distances(pos)
    assert d.min() > 15
    edges = [math.dist(pos[u], pos[v]) for u, v in g.edges() if u != v]
    rest = graph.FORCES["spring_length"]
    # Linked nodes sit far closer than nodes in general, near the springs' rest length.
    assert 0.5 * rest < statistics.median(edges) < 3 * rest
    assert statistics.median(edges) < 0.5 * float(np.median(d[np.isfinite(d)]))


def test_layout_small_and_odd_graphs() -> None:
    assert graph.layout(nx.MultiDiGraph()) == {}
    one = nx.MultiDiGraph()
    one.add_node("a")
    assert graph.layout(one) == {"a": (0.0, 0.0)}
    odd = nx.MultiDiGraph([("a", "a"), ("b", "c"), ("b", "c"), ("c", "b"), ("d", "e"),
                           ("e", "f")])
    pos = graph.layout(odd)
    assert set(pos) == set("abcdef")
    assert all(np.isfinite(xy).all() for xy in pos.values())
    assert _distances(pos).min() > 10


# ---------------------------------------------------------------- the overview

def _speech() -> list[Doc]:
    """Alice speaks about Bob three times (twice in a later article), about Carol once, about
    herself once; Bob says something that names nobody; Xland stands for Carol; Dan is only
    linked to Carol."""
    d = Doc("https://news.example/talks-1", "Talks", "2024-01-02")
    alice = d.entity("Alice", "Alice", "Person")
    bob = d.entity("Bob", "Bob", "Person")
    carol = d.entity("Carol", "Carol", "Country")
    xland = d.entity("Xland", "Xland", "City")
    d.claim(alice, "Bob lied", "Alice said Bob lied.", mentions=[bob])
    d.claim(alice, "Bob met Carol", "Alice said Bob met Carol.", mentions=[bob, carol])
    d.claim(alice, "Alice won", "Alice said Alice won.", mentions=[alice])
    d.claim(bob, "nothing happened", "Bob said nothing happened.")
    d.link(xland, "standsFor", carol)
    e = Doc("https://news.example/talks-2", "More talks", "2024-03-05")
    alice2 = e.entity("Alice", "Alice", "Person")
    bob2 = e.entity("Bob", "Bob", "Person")
    dan = e.entity("Dan", "Dan", "Person")
    carol2 = e.entity("Carol", "Carol", "Country")
    e.claim(alice2, "Bob lied again", "Alice said Bob lied again.", mentions=[bob2])
    e.claim(alice2, "Bob will lose", "Alice said Bob will lose.", mentions=[bob2])
    e.link(dan, "affiliation", carol2)
    return [d, e]


def test_links_fold_statements_into_who_speaks_about_whom() -> None:
    docs = _speech()
    links = {(lk.relation, lk.source.rsplit("/", 1)[1], lk.target.rsplit("/", 1)[1]): lk
             for lk in graph.overview_links(Quads(docs).quads())}
    assert set(links) == {("claims", "Alice", "Bob"), ("claims", "Alice", "Carol"),
                          ("standsFor", "Xland", "Carol"), ("affiliation", "Dan", "Carol")}
    assert links[("claims", "Alice", "Bob")].weight == 4  # one statement names Bob and Carol
    assert len(links[("claims", "Alice", "Bob")].facts) == 4
    assert links[("claims", "Alice", "Carol")].weight == 1
    assert links[("standsFor", "Xland", "Carol")].weight == 1  # who is who, not how much


def test_overview_cuts_by_weighted_rank_and_keeps_the_rest_reachable() -> None:
    ov = graph.overview(Quads(_speech()), 3)
    g = ov.graph
    names = {v: d["label"] for v, d in g.nodes(data=True)}
    assert sorted(names.values()) == ["Alice", "Bob", "Carol"]
    edges = {(names[u], names[v]): d for u, v, d in g.edges(data=True)}
    assert set(edges) == {("Alice", "Bob"), ("Alice", "Carol")}
    d = edges[("Alice", "Bob")]
    assert (d["relation"], d["weight"], d["total"]) == ("claims", 4, 4)
    # Newest first: the March article's two statements, then January's.
    dates = [ov.facts[f]["date"] for f in d["facts"]]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2024-03-05"
    assert {ov.facts[f]["text"] for f in d["facts"][:2]} == {"Bob lied again", "Bob will lose"}
    alice = next(v for v in g if names[v] == "Alice")
    bob = next(v for v in g if names[v] == "Bob")
    assert g.nodes[alice]["said"] == 5 and g.nodes[bob]["named"] == 4
    # Xland and Dan are not drawn, but can be added from Carol, with their links.
    hidden = {ov.hidden.nodes[v]["label"] for v in ov.hidden if v not in g}
    assert hidden == {"Xland", "Dan"}
    assert ov.also == []
    assert (ov.entities, ov.linked, ov.statements, ov.statements_about) == (5, 5, 6, 4)


def test_overview_lists_nodes_without_a_drawn_edge_as_also_mentioned() -> None:
    """Two pairs; with n=3 the third node's partner is cut: it is listed, not drawn."""
    d = Doc("https://news.example/pairs", "Pairs", "2024-01-01")
    a, b = d.entity("A", "A", "Person"), d.entity("B", "B", "Person")
    c, e = d.entity("C", "C", "Person"), d.entity("E", "E", "Person")
    for k in range(3):
        d.claim(a, f"B did {k}", f"A said B did {k}.", mentions=[b])
    d.claim(c, "E did it", "C said E did it.", mentions=[e])
    ov = graph.overview(Quads([d]), 3)
    assert set(ov.graph) == {ID + "A", ID + "B"}
    assert len(ov.also) == 1 and ov.also[0] in {ID + "C", ID + "E"}
    assert all(ov.graph.degree(v) for v in ov.graph)


def test_overview_keeps_each_nodes_strongest_claims_edges() -> None:
    """Two strong pairs joined by weak links: with per_node=1 each node keeps only its
    strongest claims edge (an edge stays if either end ranks it so); the weak ones are
    left for the page to add."""
    d = Doc("https://news.example/pairs", "Pairs", "2024-01-01")
    p = {k: d.entity(k, k, "Person") for k in "ABCD"}
    weights = {"AB": 5, "CD": 5, "AC": 1, "BD": 1, "AD": 1}
    for pair, w in weights.items():
        for k in range(w):
            d.claim(p[pair[0]], f"{pair[1]} did {k}", f"{pair[0]} said {pair[1]} did {k}.",
                    mentions=[p[pair[1]]])
    ov = graph.overview(Quads([d]), 4, per_node=1)
    assert sorted(u[-1] + v[-1] for u, v in ov.graph.edges()) == ["AB", "CD"]
    assert sorted(u[-1] + v[-1] for u, v in ov.hidden.edges()) == ["AC", "AD", "BD"]


def test_weighted_pagerank_matches_networkx() -> None:
    g = nx.Graph()
    g.add_weighted_edges_from([("a", "b", 5), ("b", "c", 1), ("c", "a", 2), ("c", "d", 7),
                               ("e", "f", 1)])
    g.add_node("lonely")
    ref = _pagerank_python(g, weight="weight", tol=1e-10, max_iter=1000)
    rank = graph.weighted_pagerank(g)
    assert sum(rank.values()) == pytest.approx(1.0)
    for node, value in rank.items():
        assert value == pytest.approx(ref[node], abs=1e-6)


def test_overview_ignores_quad_order() -> None:
    """The same store read in another order gives the same overview, to the byte: the page of
    a rebuilt store must not change."""
    docs = synthetic_docs(300, mentions=True)
    quads = Quads(docs)
    reversed_quads = Quads(docs)
    reversed_quads.all.reverse()
    a, b = graph.overview(quads, 40), graph.overview(reversed_quads, 40)
    assert _described(a.graph) == _described(b.graph)
    assert list(a.graph.edges(keys=True)) == list(b.graph.edges(keys=True))
    assert _described(a.hidden) == _described(b.hidden) and a.also == b.also
    assert a.facts == b.facts
    assert any(d["relation"] == "claims" for *_, d in a.graph.edges(data=True))


@pytest.mark.parametrize("written, key", [
    ("2016-03-01", "2016-03-01"), ("2016-03-01T10:00:00Z", "2016-03-01"),
    ("March 1, 2016", "2016-03-01"), ("1 March 2016", "2016-03-01"),
    ("Sept. 3, 2015", "2015-09-03"), ("Jan 5 2020", "2020-01-05"),
    ("last Tuesday", ""), (None, ""),
])
def test_dates_as_written_sort_as_dates(written: str | None, key: str) -> None:
    """Articles date themselves as they like; newest-first lists and the page's date filter
    compare them as YYYY-MM-DD (an unreadable date sorts last)."""
    from kg.graph.overview import date_key

    assert date_key(written) == key
