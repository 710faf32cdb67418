"""Regenerate README's screenshots: the seed's page and the overview of a real corpus.

    .venv/bin/kg build ../shared/eval/polnear/train --out /tmp/pn_build --jobs 2
    .venv/bin/python docs/screenshots.py --corpus-store /tmp/pn_build/store

Headless Chromium as the tests run it (the system's /usr/bin/chromium, network cut off). The
overview is shown with its heaviest claims edge between two people clicked, so the picture
has the statement list the edge folds.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from kg.build import build
from kg.cli import BUILD_PAGE_NODES
from kg.store import open_store
from kg.viz import write_html

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1500, "height": 920}


def shoot(page: Page, html: Path, png: Path, script: str | None = None) -> None:
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
               else r.abort())
    page.goto(html.resolve().as_uri())
    page.wait_for_function("() => window.kgReady === true", timeout=60_000)
    if script:
        page.evaluate(script)
    page.wait_for_timeout(700)
    page.screenshot(path=str(png))


HEAVIEST_PAIR = """() => {
    const data = JSON.parse(document.getElementById('kg-data').textContent);
    const people = new Set(data.nodes.filter(n => n.cls === 'Person').map(n => n.id));
    const edges = data.edges.filter(e => e.rel === 'claims' && people.has(e.from) &&
                                    people.has(e.to));
    edges.sort((a, b) => data.info.edges[b.id].weight - data.info.edges[a.id].weight);
    network.selectEdges([edges[0].id]);
    kg.showEdge(edges[0].id);
}"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus-store", type=Path, required=True,
                    help="a store built from a real corpus (see above)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        seed_store = open_store(str(Path(tmp) / "seed"))
        build([ROOT / "seeds"], seed_store)
        write_html(seed_store, Path(tmp) / "seed.html", max_nodes=BUILD_PAGE_NODES)
        seed_store.close()
        corpus = open_store(str(args.corpus_store), read_only=True)
        write_html(corpus, Path(tmp) / "corpus.html", max_nodes=BUILD_PAGE_NODES)
        corpus.close()
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            for html, png, script in ((Path(tmp) / "seed.html", "graph.png", None),
                                      (Path(tmp) / "corpus.html", "graph-overview.png",
                                       HEAVIEST_PAIR)):
                page = browser.new_context(viewport=VIEWPORT).new_page()
                shoot(page, html, args.out / png, script)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
