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
Target: a 1,000-node page at rest within 3 s.
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
        write_html(store, page)
        written = time.perf_counter() - t
    finally:
        graph.layout = real_layout  # type: ignore[assignment]
    before = work / f"physics-{entities}.html"
    if physics_runs:
        # The page as it was before graph.layout: vis-network physics lays out every graph.
        limit, viz.BROWSER_LAYOUT_MAX = viz.BROWSER_LAYOUT_MAX, 10 ** 9
        try:
            write_html(store, before)
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entities", type=int, nargs="+", default=[1000, 20000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--physics-runs", type=int, default=1,
                    help="runs of the old in-browser-physics page (slow; 0 to skip)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-viz-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for n in args.entities:
                bench(browser, Path(tmp), n, args.runs, args.physics_runs)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
