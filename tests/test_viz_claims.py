"""The page shows who says otherwise: facts one side only claims are drawn apart from reported
ones (their own dotted style and legend entry), a dispute is an edge between the two
statements, the details panel says "claimed by X on D, disputed by Y", and the overview's date
filter hides control edges outside the chosen period by the facts' own dates. Built with the
real pipeline from articles of our own, checked in headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from build_fixtures import kg
from playwright.sync_api import Browser
from test_control_timeline import FIRST as TAKEN
from test_control_timeline import SECOND as RETAKEN
from test_viz import open_page, page_data

CLAIMED = """Rebels claim Kafr Nabl

AMMAN, 4 March 2024 (Reuters) - The militia's leader, Omar Jalo, said his fighters had captured
the town of Kafr Nabl on Sunday after a night of shelling. The army said that was false.
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("claims")
    src = root / "in"
    src.mkdir()
    for name, text in (("claimed", CLAIMED), ("taken", TAKEN), ("retaken", RETAKEN)):
        (src / f"{name}.txt").write_text(text, encoding="utf-8")
    done = kg("build", str(src), "--out", str(root / "out"))
    assert done.returncode == 0, done.stderr
    return root / "out" / "store"


def _viz(store: Path, out: Path, *args: str) -> Path:
    done = kg("viz", "--store", str(store), "-o", str(out), *args)
    assert done.returncode == 0, done.stderr
    return out


def test_claimed_and_disputed_are_drawn_apart(browser: Browser, store: Path,
                                              tmp_path: Path) -> None:
    html = _viz(store, tmp_path / "cards.html", "--view", "statements")
    data = page_data(html)
    by_rel = {}
    for e in data["edges"]:
        by_rel.setdefault(e["rel"], []).append(e)
    assert set(by_rel) >= {"claimedControl", "disputes", "controlledBy", "claims"}
    claimed = by_rel["claimedControl"][0]
    assert claimed["dashes"] and claimed["color"]["color"] != by_rel["controlledBy"][0][
        "color"]["color"]
    legend = {r["name"] for r in data["relations"]}
    assert {"claimedControl", "disputes"} <= legend

    opened = open_page(browser, html)
    page = opened.page
    assert "claimedControl" in page.inner_text("#legend")
    page.evaluate("id => kg.showEdge(id)", claimed["id"])
    panel = page.inner_text("#panel")
    assert "claimed by Omar Jalo on 2024-03-03, disputed by army" in panel
    dispute = by_rel["disputes"][0]
    page.evaluate("id => kg.showEdge(id)", dispute["id"])
    assert "was false" in page.inner_text("#panel")
    opened.assert_clean()


def test_overview_date_filter_uses_the_facts_own_dates(browser: Browser, store: Path,
                                                       tmp_path: Path) -> None:
    html = _viz(store, tmp_path / "overview.html", "--view", "overview")
    data = page_data(html)
    opened = open_page(browser, html)
    page = opened.page
    control = {e["id"]: e for e in data["edges"] if e["rel"] == "controlledBy"}
    name = {n["id"]: n["label"] for n in data["nodes"]}
    assert {name[e["to"]] for e in control.values()} >= {
        "Kivu Liberation Army", "Democratic Republic of the Congo"}
    page.fill("#date-from", "2023-06-01")
    hidden = dict(page.evaluate(
        "() => network.body.data.edges.get().map(e => [e.id, !!e.hidden])"))
    shown = {name[control[eid]["to"]] for eid in control if not hidden[eid]}
    assert shown == {"Democratic Republic of the Congo"}  # retaken on 2023-06-19
    page.fill("#date-from", "")
    page.fill("#date-to", "2023-03-31")
    hidden = dict(page.evaluate(
        "() => network.body.data.edges.get().map(e => [e.id, !!e.hidden])"))
    shown = {name[control[eid]["to"]] for eid in control if not hidden[eid]}
    assert shown == {"Kivu Liberation Army"}  # taken on 2023-02-25
    opened.assert_clean()
