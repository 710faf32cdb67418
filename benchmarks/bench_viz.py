"""How long the HTML graph takes to draw and come to rest in headless Chromium.

    .venv/bin/python benchmarks/bench_viz.py                    # 1,000 and 20,000 entities
    .venv/bin/python benchmarks/bench_viz.py --entities 1000 --runs 5

For each size a synthetic store is built (tests/viz_fixtures.synthetic_docs: the given number
of entities, a tenth as many statements, hub-and-tail links), `kg.viz.write_html` writes the
page with its defaults (so 20,000 entities are cut to max_nodes by PageRank), and the page is
opened offline in Chromium. The page records `window.kgTimes` (ms since navigation start);
`ready` is when stabilisation has ended and physics is off, i.e. the graph is at rest.

Baselines are measured in the same run, on the same browser, so the ratios survive a noisy
shared machine:
  blank     a page with nothing but the same inlined vis-network script (parse + run cost)
  static    the same page and graph with physics forced off: whatever positions the page
            ships with are drawn as they are (data + canvas cost, no layout work at all)
  physics   the page as it was before kg.graph.layout: vis-network's physics lays the graph
            out in the browser (--physics-runs, slow at 2,000 nodes)
Target: a 1,000-node page at rest within 3 s. The synthetic pages are drawn with
view="statements" (every node drawn as such, up to max_nodes), the drawing cost this measures.

    .venv/bin/kg build ../shared/eval/polnear/train --out /tmp/pn_build --jobs 2
    .venv/bin/python benchmarks/bench_viz.py --store /tmp/pn_build/store

measures a real corpus's page as `kg build` writes it (the overview, when its statements do
not fit): drawn nodes, the share of them with a drawn edge, the aggregated claims edges, page
size, and the time to rest against the blank page. Target (issue 15): >= 80% of drawn nodes
with an edge, claims edges drawn, at rest within 3 s.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from viz_fixtures import make_store, synthetic_docs  # noqa: E402

from kg import graph, viz  # noqa: E402
from kg.viz import _csp, _script_safe, _vis, script_json, write_html  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
READY = "() => window.kgReady === true"
DATA = re.compile(r'(<script type="application/json" id="kg-data">)(.*?)(</script>)', re.S)


def open_timed(browser: Browser, page_file: Path, wait: str, read: str) -> float:
    """Milliseconds since navigation start that `read` reports once `wait` holds."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        page = context.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                   else r.abort())
        page.goto(page_file.resolve().as_uri())
        page.wait_for_function(wait, timeout=300_000, polling=50)
        return float(page.evaluate(read))
    finally:
        context.close()


def blank_page(path: Path) -> None:
    """The same vis-network script, inlined the same way, and nothing else."""
    vis = _script_safe(_vis("vis-network.min.js"))
    mark = "window.kgBlank = performance.now();"
    path.write_text(
        '<!doctype html><html><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_csp(vis, mark)}"></head>'
        f"<body><script>{vis}</script><script>{mark}</script></body></html>",
        encoding="utf-8")


def static_page(page: Path, path: Path) -> None:
    """`page` with physics switched off in its data block (the data is not hashed by the CSP)."""
    html = page.read_text(encoding="utf-8")
    m = DATA.search(html)
    assert m, "no kg-data block"
    data = json.loads(m.group(2))
    data["options"]["physics"] = {"enabled": False}
    path.write_text(html[:m.start(2)] + script_json(data) + html[m.end(2):], encoding="utf-8")


def page_stats(page: Path) -> tuple[int, int, bool]:
    m = DATA.search(page.read_text(encoding="utf-8"))
    assert m
    data = json.loads(m.group(2))
    return len(data["nodes"]), len(data["edges"]), bool(data["notes"])


def bench(browser: Browser, work: Path, entities: int, runs: int, physics_runs: int) -> None:
    t = time.perf_counter()
    store = make_store(work / f"store-{entities}", synthetic_docs(entities))
    loaded = time.perf_counter() - t
    page = work / f"graph-{entities}.html"
    spent: list[float] = []
    real_layout = graph.layout

    def timed_layout(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return real_layout(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - t0)

    graph.layout = timed_layout  # type: ignore[assignment]
    try:
        t = time.perf_counter()
        write_html(store, page, view="statements")
        written = time.perf_counter() - t
    finally:
        graph.layout = real_layout  # type: ignore[assignment]
    before = work / f"physics-{entities}.html"
    if physics_runs:
        # The page as it was before graph.layout: vis-network physics lays out every graph.
        limit, viz.BROWSER_LAYOUT_MAX = viz.BROWSER_LAYOUT_MAX, 10 ** 9
        try:
            write_html(store, before, view="statements")
        finally:
            viz.BROWSER_LAYOUT_MAX = limit
    store.close()
    nodes, edges, banner = page_stats(page)
    static = work / f"static-{entities}.html"
    static_page(page, static)
    blank = work / "blank.html"
    blank_page(blank)

    print(f"{entities:,} entities (+{entities // 10:,} statements): store {loaded:.1f} s, "
          f"write_html {written:.1f} s (of which graph.layout {sum(spent):.1f} s), "
          f"page {page.stat().st_size / 1e6:.1f} MB")
    print(f"  draws {nodes:,} nodes / {edges:,} edges"
          f"{', reduced by default, banner shown' if banner else ''}")
    ready = [open_timed(browser, page, READY, "() => window.kgTimes.ready")
             for _ in range(runs)]
    after = [open_timed(browser, page, READY, "() => kgTimes.ready - kgTimes.network")
             for _ in range(runs)]
    still = [open_timed(browser, static, READY, "() => window.kgTimes.ready")
             for _ in range(runs)]
    empty = [open_timed(browser, blank, "() => window.kgBlank !== undefined",
                        "() => window.kgBlank") for _ in range(runs)]
    r, a, s, b = (statistics.median(x) for x in (ready, after, still, empty))
    verdict = "ok" if r <= 3000 else "OVER"
    print(f"  at rest (navigation -> physics off) {r / 1000:6.2f} s  median of {runs} "
          f"({', '.join(f'{x / 1000:.2f}' for x in ready)}); target <= 3 s: {verdict}")
    print(f"    from new vis.Network() to at rest {a / 1000:6.2f} s")
    print("  baselines, same browser, same run:")
    print(f"    blank page, vis-network only      {b / 1000:6.2f} s  ratio {r / b:6.2f}x")
    print(f"    same page, physics forced off     {s / 1000:6.2f} s  ratio {r / s:6.2f}x")
    if physics_runs:
        old = statistics.median(open_timed(browser, before, READY, "() => window.kgTimes.ready")
                                for _ in range(physics_runs))
        print(f"    in-browser physics (the old page) {old / 1000:6.2f} s  ratio {r / old:6.2f}x"
              f"  ({old / r:.1f}x faster now)")
    print()


DRAWN = """() => {
    const ids = network.body.data.nodes.getIds();
    const degree = Object.fromEntries(ids.map(id => [id, 0]));
    const edges = network.body.data.edges.get();
    edges.forEach(e => { degree[e.from]++; degree[e.to]++; });
    return [ids.length, ids.filter(id => degree[id] > 0).length,
            edges.filter(e => e.rel === 'claims').length, edges.length];
}"""


def bench_store(browser: Browser, work: Path, location: str, runs: int) -> None:
    """A built store's page as `kg build` draws it, measured as the issue asks."""
    from kg.cli import BUILD_PAGE_NODES
    from kg.store import open_store

    page = work / "corpus.html"
    store = open_store(location, read_only=True)
    try:
        t = time.perf_counter()
        drawn = write_html(store, page, max_nodes=BUILD_PAGE_NODES)
        written = time.perf_counter() - t
    finally:
        store.close()
    m = DATA.search(page.read_text(encoding="utf-8"))
    assert m
    mode = json.loads(m.group(2)).get("mode", "statements")
    blank = work / "blank.html"
    blank_page(blank)
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        tab = context.new_page()
        tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                  else r.abort())
        tab.goto(page.resolve().as_uri())
        tab.wait_for_function(READY, timeout=300_000, polling=50)
        nodes, linked, claims, edges = tab.evaluate(DRAWN)
    finally:
        context.close()
    ready = [open_timed(browser, page, READY, "() => window.kgTimes.ready") for _ in range(runs)]
    empty = [open_timed(browser, blank, "() => window.kgBlank !== undefined",
                        "() => window.kgBlank") for _ in range(runs)]
    r, b = statistics.median(ready), statistics.median(empty)
    share = linked / max(nodes, 1)
    print(f"{location}: {drawn.total_nodes:,} nodes in the store; page ({mode}) written in "
          f"{written:.1f} s, {page.stat().st_size / 1e6:.1f} MB")
    print(f"  draws {nodes:,} nodes, {linked:,} of them with an edge ({share:.0%}; target "
          f">= 80%: {'ok' if share >= 0.8 else 'UNDER'}), {edges:,} edges of which {claims:,} "
          f"claims ({'ok' if claims else 'NONE'})")
    print(f"  at rest {r / 1000:.2f} s median of {runs} "
          f"({', '.join(f'{x / 1000:.2f}' for x in ready)}); target <= 3 s: "
          f"{'ok' if r <= 3000 else 'OVER'}; blank vis-network page {b / 1000:.2f} s, "
          f"ratio {r / b:.2f}x")
    print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entities", type=int, nargs="+", default=None,
                    help="synthetic store sizes (default 1000 and 20000, unless --store)")
    ap.add_argument("--store", action="append", default=[],
                    help="a built store to measure as `kg build` draws it (repeatable)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--physics-runs", type=int, default=1,
                    help="runs of the old in-browser-physics page (slow; 0 to skip)")
    args = ap.parse_args()
    sizes = args.entities if args.entities is not None else [] if args.store else [1000, 20000]
    with tempfile.TemporaryDirectory(prefix="kg-bench-viz-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for location in args.store:
                bench_store(browser, Path(tmp), location, args.runs)
            for n in sizes:
                bench(browser, Path(tmp), n, args.runs, args.physics_runs)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
