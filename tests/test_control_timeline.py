"""Control over time: dates as written become calendar values resolved against the article's
date, and the shipped control query lists a place taken and retaken in time order, across
articles. Built and queried through the real CLI and store."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from build_fixtures import kg

from kg.dates import article_day, normalise


@pytest.mark.parametrize(("words", "base", "expected"), [
    ("on Saturday", "Monday 12 September 2022", "2022-09-10"),
    ("in April", "12 September 2022", "2022-04"),
    ("since early March", "12 September 2022", "2022-03"),
    ("since 2015", None, "2015"),
    ("in April", None, None),          # of which year? the article does not say
    ("weeks later", "12 September 2022", None),
])
def test_dates_resolve_against_the_article(words: str, base: str | None,
                                           expected: str | None) -> None:
    assert normalise(words, article_day(base)) == expected


FIRST = """Rebels take Kalemie

KINSHASA, 3 March 2023 (Reuters) - Rebels of the Kivu Liberation Army captured the town of
Kalemie on Saturday after a week of fighting, the army said. Troops and militia fighters fled.
"""

SECOND = """Army retakes Kalemie

KINSHASA, 20 June 2023 (Reuters) - Congolese troops retook Kalemie on Monday after heavy
shelling, ending a siege by the rebels and militia fighters.
"""


def test_taken_and_retaken_in_time_order(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    # named so that file order is the reverse of time order
    (tmp_path / "in" / "a_second.txt").write_text(SECOND, encoding="utf-8")
    (tmp_path / "in" / "b_first.txt").write_text(FIRST, encoding="utf-8")
    done = kg("build", str(tmp_path / "in"), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    res = kg("query", "--store", str(tmp_path / "out" / "store"), "--format", "csv", "control")
    assert res.returncode == 0, res.stderr
    rows = [r for r in csv.DictReader(io.StringIO(res.stdout)) if r["place"] == "Kalemie"]
    assert [(r["controller"], r["date"], r["dateText"]) for r in rows] == [
        ("Kivu Liberation Army", "2023-02-25", "Saturday"),
        ("Democratic Republic of the Congo", "2023-06-19", "Monday"),
    ]
