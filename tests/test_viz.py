"""The HTML browser in a real headless Chromium, with the network cut off.

Each page is opened from file:// with every other request refused and recorded, so a stray
CDN reference, an injected <img> or a font fetch fails the test rather than going unnoticed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from playwright.sync_api import Browser, Page, Route
from viz_fixtures import (
    HOSTILE,
    PWN,
    demo_docs,
    hostile_docs,
    make_store,
    speech_articles,
    synthetic_docs,
)

from kg import graph
from kg.build import build
from kg.store import Store, open_store
from kg.viz import BROWSER_LAYOUT_MAX, reduce, render, script_json, write_html

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
EXTERNAL = re.compile(
    r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(\s*["']?\s*https?:""", re.I)
DIM = "#1e293b"


class Tags(HTMLParser):
    """Counts real tags (script bodies are opaque to it, as to a browser) and their URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: Counter[str] = Counter()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen[tag] += 1
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "action", "data")]


@dataclass
class Opened:
    page: Page
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def count(self) -> tuple[int, int]:
        return tuple(self.page.evaluate(
            "() => [network.body.data.nodes.length, network.body.data.edges.length]"))

    def assert_clean(self) -> None:
        assert self.requests == [], f"page tried to fetch {self.requests}"
        assert self.errors == [], f"console errors: {self.errors}"


def open_page(browser: Browser, html: Path, *, bypass_csp: bool = False) -> Opened:
    """Open `html` offline: only the page itself may load; everything else is recorded."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, bypass_csp=bypass_csp)
    page = context.new_page()
    opened = Opened(page, html.resolve().as_uri())

    def route(r: Route) -> None:
        if r.request.url == opened.url:
            r.continue_()
        else:
            opened.requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda req: req.url == opened.url or opened.requests.append(req.url))
    page.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.goto(opened.url)
    page.wait_for_function("() => window.kgReady === true", timeout=60_000)
    return opened


def _store(tmp_path: Path, docs: list) -> Store:
    return make_store(tmp_path / "store", docs)


def _projection(store: Store) -> nx.MultiDiGraph:
    return graph.project(store.quads())


def _screen_points(page: Page) -> dict[str, dict[str, tuple[float, float]]]:
    """DOM coordinates of every node centre and every edge midpoint."""
    return page.evaluate("""() => {
        const box = document.getElementById('network').getBoundingClientRect();
        const dom = p => {
            const d = network.canvasToDOM(p);
            return [box.left + d.x, box.top + d.y];
        };
        const nodes = {}, edges = {};
        const pos = network.getPositions();
        for (const id in pos) nodes[id] = dom(pos[id]);
        for (const id of network.body.data.edges.getIds()) {
            const e = network.body.edges[id];
            edges[id] = dom(e.edgeType.getPoint(0.5));
        }
        return {nodes, edges};
    }""")


# ---------------------------------------------------------------- pure checks

def test_script_json_cannot_break_out() -> None:
    data = {"s": list(HOSTILE.values()) + ["\u2028\u2029", "</SCRIPT >", "<!--"]}
    text = script_json(data)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == data


def test_page_is_self_contained(tmp_path: Path) -> None:
    store = _store(tmp_path, demo_docs() + hostile_docs())
    out = tmp_path / "graph.html"
    write_html(store, out)
    html = out.read_text(encoding="utf-8")
    assert not EXTERNAL.findall(html)
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html and "bootstrap" not in html.lower()
    assert "Content-Security-Policy" in html
    for attack in HOSTILE.values():
        assert attack not in html
    tags = Tags()
    tags.feed(html)
    assert tags.seen["script"] == 3 and tags.seen["link"] == tags.seen["img"] == 0
    assert all(not re.match(r"(?:https?:)?//", url) for url in tags.urls), tags.urls
    assert "sourceMappingURL" not in html


def test_reduce_notes_and_caps() -> None:
    g = graph.project(q for d in demo_docs() for q in d.quads)
    view, notes = reduce(g, max_nodes=10)
    assert view.number_of_nodes() == 10 and "32 nodes" in notes[0]
    view, notes = reduce(g, focus="Moscow", depth=1, relation="affiliation,standsFor")
    assert {d["relation"] for *_, d in view.edges(data=True)} <= {"affiliation", "standsFor"}
    assert any("Neighbourhood of Russia" in n for n in notes)
    view, notes = reduce(g, top=4)
    assert view.number_of_nodes() == 4 and "top 4 of 32" in notes[0]
    assert "kg-data" in render(nx.MultiDiGraph())


# ---------------------------------------------------------------- in the browser

def test_demo_graph_draws_the_projection(browser: Browser, tmp_path: Path) -> None:
    store = _store(tmp_path, demo_docs())
    out = tmp_path / "graph.html"
    write_html(store, out)
    g = _projection(store)
    opened = open_page(browser, out)
    page = opened.page
    assert opened.count() == (g.number_of_nodes(), g.number_of_edges())
    assert page.evaluate("() => network.physics.options.enabled") is False
    legend = page.locator("#legend button")
    assert legend.count() == 10 + 5  # classes present + relations present
    assert "32 nodes" in page.inner_text("#stats")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "graph.png"))
    opened.assert_clean()


def test_search_focuses_and_highlights(browser: Browser, tmp_path: Path) -> None:
    store = _store(tmp_path, demo_docs())
    out = tmp_path / "graph.html"
    write_html(store, out)
    g = _projection(store)
    opened = open_page(browser, out)
    page = opened.page
    russia = graph.find(g, "Russia")
    page.fill("#search", "moscow")  # an alias, not the label
    assert "Russia" in page.inner_text("#suggest")
    page.keyboard.press("Enter")
    assert page.evaluate("() => network.getSelectedNodes()") == [russia]
    assert page.inner_text("#panel h2") == "Russia"
    colours = page.evaluate("() => Object.fromEntries(network.body.data.nodes.get()"
                            ".map(n => [n.id, n.color.background]))")
    neighbours = set(nx.all_neighbors(g, russia))
    assert all(colours[n] != DIM for n in neighbours | {russia})
    assert all(colours[n] == DIM for n in g if n not in neighbours | {russia})
    # A suggestion can be clicked too.
    page.fill("#search", "zel")
    page.locator("#suggest button").first.click()
    assert page.evaluate("() => network.getSelectedNodes()") == [graph.find(g, "Zelensky")]
    page.screenshot(path=str(ARTIFACTS / "graph-search.png"))
    opened.assert_clean()


def test_legend_toggles_classes_and_relations(browser: Browser, tmp_path: Path) -> None:
    store = _store(tmp_path, demo_docs())
    out = tmp_path / "graph.html"
    write_html(store, out)
    opened = open_page(browser, out)
    page = opened.page
    hidden_nodes = "() => network.body.data.nodes.get({filter: n => n.hidden}).length"
    hidden_edges = "() => network.body.data.edges.get({filter: e => e.hidden}).length"
    page.locator("#legend button", has_text="Statement").click()
    assert page.evaluate(hidden_nodes) == 8 and page.evaluate(hidden_edges) == 8
    assert page.locator("#legend button", has_text="Statement").get_attribute(
        "aria-pressed") == "false"
    page.locator("#legend button", has_text="Statement").click()
    assert page.evaluate(hidden_nodes) == 0
    page.locator("#legend button", has_text="affiliation").click()
    assert page.evaluate(hidden_edges) == 10
    opened.assert_clean()


def test_clicks_show_node_and_edge_details(browser: Browser, tmp_path: Path) -> None:
    store = _store(tmp_path, demo_docs())
    out = tmp_path / "graph.html"
    write_html(store, out)
    opened = open_page(browser, out)
    page = opened.page
    pts = _screen_points(page)
    kherson = graph.find(_projection(store), "Kherson")
    page.mouse.click(*pts["nodes"][kherson])
    assert page.inner_text("#panel h2") == "Kherson"
    assert "Ukraine retakes Kherson" in page.inner_text("#panel")
    edge = page.evaluate("""() => network.body.data.edges.get(
        {filter: e => e.rel === 'controlledBy' && e.from.endsWith('/Kherson')})[0].id""")
    page.evaluate("() => { network.unselectAll(); kg.unhighlight(); }")
    page.mouse.click(*_screen_points(page)["edges"][edge])
    panel = page.inner_text("#panel")
    assert "controlledBy" in panel and "Ukrainian troops entered Kherson" in panel
    assert "2022-11-11" in panel
    opened.assert_clean()


def _assert_inert(page: Page) -> None:
    """No payload ran and none became markup: no new script, image, frame, svg or style."""
    assert page.evaluate("() => window.__pwned") is None
    counts = page.evaluate("""() => ['script', 'style', 'img, iframe, svg, object, embed']
        .map(sel => document.querySelectorAll(sel).length)""")
    assert counts == [3, 2, 0], counts


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_hostile_text_never_runs(browser: Browser, tmp_path: Path, bypass_csp: bool) -> None:
    """Without the CSP too: the page must be safe on textContent alone, CSP is a second wall."""
    store = _store(tmp_path, hostile_docs())
    out = tmp_path / "graph.html"
    write_html(store, out, communities=True)
    g = _projection(store)
    opened = open_page(browser, out, bypass_csp=bypass_csp)
    page = opened.page
    assert opened.count() == (g.number_of_nodes(), g.number_of_edges())
    pts = _screen_points(page)
    tooltips: list[str] = []
    for kind in ("nodes", "edges"):
        for x, y in pts[kind].values():
            page.mouse.move(x, y)
            page.wait_for_timeout(250)
            tip = page.locator("div.vis-tooltip")
            if tip.is_visible():
                tooltips.append(tip.inner_text())
            page.mouse.click(x, y)
    page.evaluate("""() => {
        for (const id of network.body.data.nodes.getIds()) { kg.focusNode(id); kg.showNode(id); }
        for (const id of network.body.data.edges.getIds()) kg.showEdge(id);
    }""")
    page.wait_for_timeout(300)
    _assert_inert(page)
    for query in ("<", "script", "img", "]]>", "{{"):
        page.fill("#search", query)
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    for cls in ("Person", "claims"):
        page.locator("#legend button", has_text=cls).click()
    page.wait_for_timeout(300)
    _assert_inert(page)
    assert any(HOSTILE["script"] in t for t in tooltips), tooltips  # shown as text
    boss = graph.find(g, HOSTILE["script"])
    page.evaluate("id => kg.showNode(id)", boss)
    panel = page.inner_text("#panel")
    assert HOSTILE["script"] in panel and HOSTILE["img"] in panel
    hrefs = page.evaluate("() => [...document.querySelectorAll('a')].map(a => a.href)")
    assert not [h for h in hrefs if h.lower().startswith("javascript")], hrefs
    assert PWN not in page.evaluate("() => document.title")
    opened.assert_clean()


def test_empty_store_shows_a_message(browser: Browser, tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "store"))
    out = tmp_path / "graph.html"
    write_html(store, out)
    opened = open_page(browser, out)
    assert opened.count() == (0, 0)
    assert opened.page.locator("#empty").is_visible()
    opened.assert_clean()


def test_node_cap_is_announced(browser: Browser, tmp_path: Path) -> None:
    store = _store(tmp_path, demo_docs())
    out = tmp_path / "graph.html"
    write_html(store, out, max_nodes=12, communities=True)
    opened = open_page(browser, out)
    assert opened.count()[0] == 12
    assert "12 most central" in opened.page.inner_text("#notes")
    assert opened.page.locator("#legend", has_text="Communities").count() == 1
    opened.assert_clean()


def test_built_store_round_trip(browser: Browser, tmp_path: Path) -> None:
    """Real extraction from the seed article: whatever it finds is exactly what is drawn."""
    store = open_store(str(tmp_path / "store"))
    build([ROOT / "seeds"], store)
    out = tmp_path / "graph.html"
    write_html(store, out)
    g = _projection(store)
    opened = open_page(browser, out)
    assert opened.count() == (g.number_of_nodes(), g.number_of_edges())
    assert not EXTERNAL.findall(out.read_text(encoding="utf-8"))
    opened.assert_clean()


def test_statements_mention_what_their_text_names(tmp_path: Path) -> None:
    """kg:mentions from real extraction: every mentioned entity's name or alias is in the
    statement's own text (not just in its sentence, where the speaker is named), and the
    store still conforms to the shapes."""
    from kg.validate import validate

    store = open_store(str(tmp_path / "store"))
    build([ROOT / "seeds"], store)
    rows = store.query("""
        PREFIX kg: <https://w3id.org/kg/ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?who ?s ?text ?m (GROUP_CONCAT(?name; separator="\u0001") AS ?names) WHERE {
          ?who kg:claims ?s . ?s rdf:value ?text ; kg:mentions ?m .
          { ?m rdfs:label ?name } UNION { ?m skos:altLabel ?name }
        } GROUP BY ?who ?s ?text ?m""")
    found = [(r[0].value, r[1].value, r[2].value, r[3].value, r[4].value.split("\u0001"))
             for r in rows]
    assert len({s for _, s, *_ in found}) >= 5, found
    for _who, _s, text, _m, names in found:
        assert any(n.casefold() in text.casefold() for n in names), (text, names)
    assert any(m.endswith("/Russia") for *_, m, _ in found)
    assert validate(store).conforms
    store.close()


# ---------------------------------------------------------------- `kg viz`, as a user runs it

KG = str(Path(sys.executable).parent / "kg")
DATA_BLOCK = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)


def kg_viz(store: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KG, "viz", "--store", str(store), "-o", str(out), *args],
                          capture_output=True, text=True, timeout=300)


def page_data(html: Path) -> dict:
    """The page's one data block, as the browser parses it."""
    m = DATA_BLOCK.search(html.read_text(encoding="utf-8"))
    assert m, "no kg-data block"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("viz-cli") / "store"
    make_store(path, demo_docs()).close()  # closed: the CLI opens it from another process
    return path


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """330 nodes (300 entities, 30 statements), connected, hubs and a long tail."""
    path = tmp_path_factory.mktemp("viz-big") / "store"
    make_store(path, synthetic_docs(300)).close()
    return path


def _demo_view(args: list[str]) -> nx.MultiDiGraph:
    """What each CLI case must draw, from the graph module directly."""
    g = graph.project(q for d in demo_docs() for q in d.quads)
    views = {
        "": g,
        "--focus Putin --depth 2": graph.focus(g, "Putin", 2),
        "--focus moscow": graph.focus(g, "Russia", 1),
        "--focus Russia --depth 0": graph.focus(g, "Russia", 0),
        "--top 5": graph.top(g, 5),
        "--relation claims --relation refuses": graph.relation(g, ["claims", "refuses"]),
        "--relation claims,refuses": graph.relation(g, ["claims", "refuses"]),
        "--relation controlledBy": graph.relation(g, "controlledBy"),
        "--max-nodes 12": graph.top(g, 12),
        "--focus Russia --depth 2 --relation affiliation,standsFor --top 4":
            graph.top(graph.focus(graph.relation(g, "affiliation,standsFor"), "Russia", 2), 4),
    }
    return views[" ".join(args)]


@pytest.mark.parametrize("args, note", [
    ([], None),
    (["--focus", "Putin", "--depth", "2"], "Neighbourhood of Vladimir Putin within 2 step(s)."),
    (["--focus", "moscow"], "Neighbourhood of Russia within 1 step(s)."),
    (["--focus", "Russia", "--depth", "0"], "Neighbourhood of Russia within 0 step(s)."),
    (["--top", "5"], "Showing the top 5 of 32 nodes by PageRank."),
    (["--relation", "claims", "--relation", "refuses"], "Only claims, refuses edges are shown."),
    (["--relation", "claims,refuses"], "Only claims, refuses edges are shown."),
    (["--relation", "controlledBy"], "Only controlledBy edges are shown."),
    (["--max-nodes", "12"], "only the 12 most central (PageRank) are drawn"),
    (["--focus", "Russia", "--depth", "2", "--relation", "affiliation,standsFor", "--top", "4"],
     "Showing the top 4 of"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_cli_options_choose_the_view(demo_store: Path, tmp_path: Path, args: list[str],
                                     note: str | None) -> None:
    out = tmp_path / "graph.html"
    done = kg_viz(demo_store, out, *args)
    assert done.returncode == 0, done.stderr
    want = _demo_view(args)
    data = page_data(out)
    assert {n["id"] for n in data["nodes"]} == set(want)
    assert len(data["edges"]) == want.number_of_edges()
    wanted_rels = {d["relation"] for *_, d in want.edges(data=True)}
    assert {e["rel"] for e in data["edges"]} == wanted_rels
    if note is None:
        assert data["notes"] == []
    else:
        assert any(note in n for n in data["notes"]), data["notes"]
        assert note.split(" (")[0] in done.stderr  # the terminal is told too
    assert f"({len(want)} of 32 nodes, {want.number_of_edges()} edges)" in done.stderr


def test_cli_communities(demo_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.html"
    done = kg_viz(demo_store, out, "--communities")
    assert done.returncode == 0, done.stderr
    data = page_data(out)
    groups = graph.communities(graph.project(q for d in demo_docs() for q in d.quads))
    assert sum(c["size"] for c in data["communities"]) == 32
    assert {n: i["community"] for n, i in data["info"]["nodes"].items()} == groups
    by_id = {n["id"]: n["color"]["background"] for n in data["nodes"]}
    assert len({by_id[n] for n in groups if groups[n] == 0}) == 1


@pytest.mark.parametrize("args, message", [
    (["--focus", "Atlantis"], "no entity matches 'Atlantis'"),
    (["--relation", "likes"], "unknown relation(s) likes"),
    (["--relation", "claims,likes"], "unknown relation(s) likes"),
    (["--relation", "claims", "--relation", "Refuses"], "unknown relation(s) Refuses"),
    (["--focus", "Zelensky", "--relation", "controlledBy"],
     "'Zelensky' has no controlledBy edges"),
], ids=["focus", "relation", "relation-list", "relation-repeated", "focus-outside-relation"])
def test_cli_unknown_names_are_usage_errors(demo_store: Path, tmp_path: Path, args: list[str],
                                            message: str) -> None:
    out = tmp_path / "graph.html"
    done = kg_viz(demo_store, out, *args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), done.stderr
    assert message in lines[0]
    assert not out.exists()


@pytest.mark.parametrize("cap", [50, 200], ids=["browser-layout", "python-layout"])
def test_big_store_is_cut_to_max_nodes_with_a_banner(browser: Browser, big_store: Path,
                                                      tmp_path: Path, cap: int) -> None:
    """More nodes than --max-nodes: the most central are drawn and the page says so. 50 nodes
    are laid out by the browser's physics, 200 by graph.layout: both paths end at rest."""
    out = tmp_path / "graph.html"
    done = kg_viz(big_store, out, "--max-nodes", str(cap))
    assert done.returncode == 0, done.stderr
    assert f"The graph has 330 nodes; only the {cap} most central" in done.stderr
    opened = open_page(browser, out)
    page = opened.page
    assert opened.count()[0] == cap
    assert page.locator("#notes").is_visible()
    banner = page.inner_text("#notes")
    assert "330 nodes" in banner and f"only the {cap} most central" in banner
    assert f"{cap} nodes" in page.inner_text("#stats")
    assert page.evaluate("() => network.physics.options.enabled") is False
    positioned = cap > BROWSER_LAYOUT_MAX
    assert all(("x" in n) == positioned for n in page_data(out)["nodes"])
    # Whatever laid it out, every node ends up inside the visible canvas.
    box = page.locator("#network").bounding_box()
    assert box is not None
    points = _screen_points(page)["nodes"].values()
    assert all(box["x"] <= x <= box["x"] + box["width"] and
               box["y"] <= y <= box["y"] + box["height"] for x, y in points)
    opened.assert_clean()


@pytest.mark.parametrize("args", [["--max-nodes", "100"], ["--top", "40"],
                                  ["--focus", "Entity 0", "--depth", "2"], [],
                                  ["--view", "overview", "--top", "60"]])
def test_page_is_the_same_in_every_process(big_store: Path, tmp_path: Path,
                                           args: list[str]) -> None:
    """Cut, focused or whole, the page is byte-identical whatever order this process's string
    hashing gives sets: a rebuild must not show a different picture of the same store."""
    pages = []
    for seed in ("1", "2", "3"):
        out = tmp_path / f"graph-{seed}.html"
        done = subprocess.run([KG, "viz", "--store", str(big_store), "-o", str(out), *args],
                              capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        pages.append(out.read_bytes())
    assert pages[0] == pages[1] == pages[2]


def test_positioned_page_draws_the_python_layout(browser: Browser, big_store: Path,
                                                 tmp_path: Path) -> None:
    """Past BROWSER_LAYOUT_MAX nodes the page draws graph.layout's positions as they are."""
    out = tmp_path / "graph.html"
    store = open_store(str(big_store), read_only=True)
    try:
        drawn = write_html(store, out)
        g = _projection(store)
    finally:
        store.close()
    assert (drawn.nodes, drawn.total_nodes, drawn.notes) == (330, 330, [])
    data = page_data(out)
    assert data["options"]["physics"]["enabled"] is False
    # Straight lines, except the curves that keep parallel edges apart.
    assert all(not e["smooth"]["enabled"] or e["smooth"]["type"].startswith("curved")
               for e in data["edges"])
    opened = open_page(browser, out)
    assert opened.count() == (330, g.number_of_edges())
    shown = opened.page.evaluate("() => network.getPositions()")
    for node in data["nodes"]:
        assert shown[node["id"]] == pytest.approx({"x": node["x"], "y": node["y"]}, abs=1)
    assert opened.page.evaluate("() => typeof window.kgTimes.ready") == "number"
    opened.assert_clean()


# ---------------------------------------------------------------- the overview of a big store

#: Drawn nodes, those with at least one drawn (visible) edge, and the claims edges drawn.
DRAWN_STATS = """() => {
    const ids = network.body.data.nodes.getIds();
    const degree = Object.fromEntries(ids.map(id => [id, 0]));
    const shown = network.body.data.edges.get({filter: e => !e.hidden});
    shown.forEach(e => { degree[e.from]++; degree[e.to]++; });
    return [ids.length, ids.filter(id => degree[id] > 0).length,
            shown.filter(e => e.rel === 'claims').length];
}"""


@pytest.fixture(scope="module")
def speech_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build (spaCy) of 80 generated articles in which people speak about each other,
    states and institutions: some 500 statements about 16 entities, too many for the cards."""
    root = tmp_path_factory.mktemp("speech")
    speech_articles(root / "in", 80)
    store = open_store(str(root / "store"))
    try:
        build([root / "in"], store)
    finally:
        store.close()
    return root / "store"


def _write(store_path: Path, out: Path, **kwargs: object) -> None:
    store = open_store(str(store_path), read_only=True)
    try:
        write_html(store, out, **kwargs)  # type: ignore[arg-type]
    finally:
        store.close()


def _clickable_edge(page: Page, ids: list[str]) -> tuple[str, tuple[float, float]]:
    """The first of `ids` whose midpoint a click would land on (no node, no other edge)."""
    points = _screen_points(page)["edges"]
    for eid in ids:
        x, y = points[eid]
        hit = page.evaluate("""([x, y]) => {
            const box = document.getElementById('network').getBoundingClientRect();
            const p = {x: x - box.left, y: y - box.top};
            return [network.getNodeAt(p) === undefined, network.getEdgeAt(p)];
        }""", [x, y])
        if hit == [True, eid]:
            return eid, (x, y)
    raise AssertionError("no claims edge can be clicked on its own")


def test_overview_of_a_real_build(browser: Browser, speech_store: Path, tmp_path: Path) -> None:
    """The issue's bar, on a corpus of our own: the build's page of a store whose statements
    do not fit is the overview; at least 80% of its drawn nodes have a drawn edge, it draws
    aggregated claims edges, it comes to rest; an edge lists its statements, newest first,
    ten to a page, each with its article."""
    out = tmp_path / "graph.html"
    _write(speech_store, out, max_nodes=300)
    data = page_data(out)
    assert data["mode"] == "overview"
    assert "too many to draw one by one" in data["notes"][0]
    opened = open_page(browser, out)
    page = opened.page
    assert page.evaluate("() => network.physics.options.enabled") is False
    drawn, linked, claims = page.evaluate(DRAWN_STATS)
    assert drawn == len(data["nodes"]) >= 10
    assert linked >= 0.8 * drawn and claims > 0
    info = data["info"]["edges"]
    heavy = sorted((e["id"] for e in data["edges"] if e["rel"] == "claims"),
                   key=lambda eid: -info[eid]["weight"])
    heavy = [eid for eid in heavy if info[eid]["total"] > 10] + heavy
    eid, point = _clickable_edge(page, heavy)
    page.mouse.click(*point)
    panel = page.inner_text("#panel")
    assert "statements naming" in panel.lower() and "newest first" in panel.lower()
    facts = [data["facts"][f] for f in info[eid]["facts"]]
    dates = [datetime.strptime(f["date"], "%B %d, %Y") for f in facts]  # as the datelines
    assert dates == sorted(dates, reverse=True)
    items = page.locator("#panel ul.facts li")
    assert items.count() == min(10, len(facts))
    assert items.first.locator("blockquote").inner_text() == facts[0]["text"]
    assert all(items.nth(i).locator("a").count() == 1 for i in range(items.count()))
    if len(facts) > 10:
        page.locator("#panel .pager button", has_text="Older").click()
        assert page.locator("#panel ul.facts li").first.locator("blockquote").inner_text() \
            == facts[10]["text"]
        assert "Page 2 of" in page.inner_text("#panel .pager")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "graph-overview.png"))
    opened.assert_clean()


def test_overview_expands_and_searches_hidden_nodes(browser: Browser, speech_store: Path,
                                                    tmp_path: Path) -> None:
    """Cut to 6 nodes: double-click adds a node's hidden neighbours from the page's own data,
    and search finds a node that is not drawn, adds it and focuses it."""
    out = tmp_path / "graph.html"
    _write(speech_store, out, view="overview", top=6)
    data = page_data(out)
    drawn = {n["id"] for n in data["nodes"]}
    hidden = {n["id"]: n["label"] for n in data["hidden"]["nodes"]}
    assert len(drawn) <= 6 and hidden and not drawn & set(hidden)
    opened = open_page(browser, out)
    page = opened.page
    shown = "() => network.body.data.nodes.getIds()"
    far = next(iter(hidden))
    page.fill("#search", hidden[far])
    page.keyboard.press("Enter")
    assert page.evaluate("() => network.getSelectedNodes()") == [far]
    assert page.inner_text("#panel h2") == hidden[far]
    now = set(page.evaluate(shown))
    assert far in now and page.evaluate("id => network.getConnectedNodes(id).length", far) > 0
    # A drawn node with a neighbour still hidden: double-click adds it, and its edges.
    anchor = next(e["from"] if e["from"] in now else e["to"] for e in data["hidden"]["edges"]
                  if (e["from"] in now) != (e["to"] in now))
    page.mouse.dblclick(*_screen_points(page)["nodes"][anchor])
    added = set(page.evaluate(shown)) - now
    assert added and added <= set(hidden)
    assert page.evaluate("() => network.getSelectedNodes()") == [anchor]
    assert all(page.evaluate("id => network.getConnectedNodes(id).length", v) for v in added)
    opened.assert_clean()


def test_overview_date_filter(browser: Browser, speech_store: Path, tmp_path: Path) -> None:
    """Articles dated January to June: from April on, an edge stays only with a fact dated
    then, a node only with an edge, and an edge's list shows only facts of the period."""
    out = tmp_path / "graph.html"
    _write(speech_store, out, view="overview")
    data = page_data(out)
    assert data["dates"]["min"].startswith("2024-01") and data["dates"]["max"].startswith("2024-06")
    opened = open_page(browser, out)
    page = opened.page
    assert page.locator("#dates").is_visible()
    page.fill("#date-from", "2024-04-01")
    info, facts = data["info"]["edges"], data["facts"]
    state = page.evaluate("""() => [network.body.data.edges.get().map(e => [e.id, !!e.hidden]),
                                    network.body.data.nodes.get().map(n => [n.id, !!n.hidden])]""")
    edges_hidden, nodes_hidden = dict(state[0]), dict(state[1])
    late = {eid for eid, e in info.items()
            if any(facts[f].get("day", "") >= "2024-04-01" for f in e["facts"])}
    keep = {eid for eid in edges_hidden if eid in late or not info[eid]["facts"]}
    assert late and {eid for eid, hid in edges_hidden.items() if not hid} == keep
    ends = {x for e in data["edges"] if e["id"] in keep for x in (e["from"], e["to"])}
    assert {n for n, hid in nodes_hidden.items() if not hid} == ends
    eid = next(iter(late))
    page.evaluate("id => kg.showEdge(id)", eid)
    shown = page.locator("#panel ul.facts li").count()
    assert shown == min(10, sum(facts[f].get("day", "") >= "2024-04-01"
                                for f in info[eid]["facts"]))
    assert "fall between 2024-04-01" in page.inner_text("#panel")
    page.fill("#date-from", "")
    assert page.evaluate("() => network.body.data.edges.get({filter: e => e.hidden}).length") == 0
    opened.assert_clean()


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_hostile_text_never_runs_in_the_overview(browser: Browser, tmp_path: Path,
                                                 bypass_csp: bool) -> None:
    store = _store(tmp_path, hostile_docs())
    out = tmp_path / "graph.html"
    write_html(store, out, view="overview")
    data = page_data(out)
    assert data["mode"] == "overview" and any(e["rel"] == "claims" for e in data["edges"])
    html = out.read_text(encoding="utf-8")
    assert not EXTERNAL.findall(html) and all(a not in html for a in HOSTILE.values())
    opened = open_page(browser, out, bypass_csp=bypass_csp)
    page = opened.page
    pts = _screen_points(page)
    for kind in ("nodes", "edges"):
        for x, y in pts[kind].values():
            page.mouse.move(x, y)
            page.wait_for_timeout(150)
            page.mouse.click(x, y)
    page.evaluate("""() => {
        for (const id of network.body.data.nodes.getIds()) { kg.expand(id); kg.focusNode(id); }
        for (const id of network.body.data.edges.getIds()) kg.showEdge(id);
        for (const id of network.body.data.nodes.getIds()) kg.showNode(id);
    }""")
    page.mouse.click(5, 300)  # the overview panel, with its also-mentioned list
    page.fill("#search", "<")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    _assert_inert(page)
    hrefs = page.evaluate("() => [...document.querySelectorAll('a')].map(a => a.href)")
    assert not [h for h in hrefs if h.lower().startswith("javascript")], hrefs
    opened.assert_clean()


def test_seed_page_keeps_statement_cards(browser: Browser, tmp_path: Path) -> None:
    """A small store is drawn as before, statements as cards; a card lists who it names."""
    store = open_store(str(tmp_path / "store"))
    build([ROOT / "seeds"], store)
    out = tmp_path / "graph.html"
    write_html(store, out)
    store.close()
    data = page_data(out)
    assert "mode" not in data and not data["notes"]
    cards = [n for n in data["nodes"] if n["cls"] == "Statement"]
    assert len(cards) >= 5 and all(n["shape"] == "box" for n in cards)
    naming = next(n["id"] for n in cards if data["info"]["nodes"][n["id"]].get("mentions"))
    opened = open_page(browser, out)
    page = opened.page
    page.mouse.click(*_screen_points(page)["nodes"][naming])
    assert page.inner_text("#panel h2") == "Statement"
    names = page.locator("#panel section", has_text="Names").locator("button")
    assert names.count() >= 1
    first = data["info"]["nodes"][naming]["mentions"][0]
    names.first.click()
    assert page.evaluate("() => network.getSelectedNodes()") == [first]
    opened.assert_clean()


def test_cli_chooses_the_overview_when_statements_do_not_fit(tmp_path: Path) -> None:
    store = tmp_path / "store"
    make_store(store, synthetic_docs(500, mentions=True)).close()
    auto, cards = tmp_path / "auto.html", tmp_path / "cards.html"
    done = kg_viz(store, auto, "--max-nodes", "300")
    assert done.returncode == 0, done.stderr
    assert page_data(auto)["mode"] == "overview" and "too many to draw" in done.stderr
    done = kg_viz(store, cards, "--max-nodes", "300", "--view", "statements")
    assert done.returncode == 0, done.stderr
    data = page_data(cards)
    assert "mode" not in data and len(data["nodes"]) == 300
    assert "only the 300 most central" in done.stderr


def test_cli_focus_in_the_overview(tmp_path: Path) -> None:
    """--focus with --view overview: one entity's neighbourhood in the aggregated graph, the
    entity selected when the page opens; a name with no link is a usage error."""
    store = tmp_path / "store"
    docs = synthetic_docs(300, mentions=True)
    make_store(store, docs).close()
    out = tmp_path / "graph.html"
    done = kg_viz(store, out, "--focus", "Entity 3", "--view", "overview")
    assert done.returncode == 0, done.stderr
    data = page_data(out)
    focus = data["focus"]
    assert data["mode"] == "overview" and focus.endswith("/synthetic_3")
    assert "Neighbourhood of Entity 3 within 1 step(s) in the overview" in done.stderr
    links = graph.overview_links(q for d in docs for q in d.quads)
    around = {x for lk in links if focus in (lk.source, lk.target)
              for x in (lk.source, lk.target)}
    assert focus in {n["id"] for n in data["nodes"]}
    assert {n["id"] for n in data["nodes"]} <= around
    done = kg_viz(store, out, "--focus", "Atlantis", "--view", "overview")
    assert done.returncode == 2 and "no entity matches 'Atlantis'" in done.stderr
