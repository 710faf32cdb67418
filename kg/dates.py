"""Dates in the words of an article ("on Saturday", "in April", "since 2015") as calendar values,
resolved against the article's own date.

dateparser does the reading: it knows weekdays, month names, relative phrases ("a year ago",
"last week") and many formats, and reports how precise the result is, which becomes the XSD
type (xsd:date, xsd:gYearMonth or xsd:gYear). Written rules would cover a fraction of that. A
phrase that needs the article's date ("on Saturday", "in April") gives nothing when the article
has none; the words are kept either way.

    >>> normalise("on Saturday", article_day("Monday 12 September 2022"))   # doctest: +SKIP
    '2022-09-10'
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from kg.resources import load_lines

_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")


@lru_cache(maxsize=64)  # one per article date; bounded, so a long build's memory stays flat
def _parser(base: datetime | None):  # type: ignore[no-untyped-def]
    from dateparser.date import DateDataParser

    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    return DateDataParser(languages=["en"], settings=settings)


def article_day(date: str | None) -> datetime | None:
    """The article's own date as a day, when its metadata or dateline gives a full one."""
    if not date or not _YEAR.search(date):
        return None
    data = _parser(None).get_date_data(date)
    return data.date_obj if data.date_obj is not None and data.period == "day" else None


def normalise(words: str, base: datetime | None) -> str | None:
    """'2022-09-10', '2022-04' or '2015' for the words, or None when they name no day, month or
    year the article can pin down."""
    if base is None and not _YEAR.search(words):
        return None  # "in April" of which year? "on Saturday" of which week?
    for text in _readings(words):
        data = _parser(base).get_date_data(text)
        if data.date_obj is None:
            continue
        d = data.date_obj
        if base is not None and d > base:
            return None  # a date after the article's own is a misreading here
        if data.period == "day":
            return d.strftime("%Y-%m-%d")
        if data.period == "month":
            return d.strftime("%Y-%m")
        if data.period == "year":
            return d.strftime("%Y")
        return None  # "last week": no calendar unit of ours
    return None


def _readings(words: str) -> list[str]:
    """The words as written, then with the prepositions and hedges dateparser stumbles on
    dropped one by one from the front."""
    text = " ".join(words.replace("\u2019", "'").split())
    out = [text]
    prefixes = sorted(load_lines("lexicon/date_prefixes.txt"), key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for p in prefixes:
            low = text.lower()
            if low.startswith(p + " ") or (p.endswith("-") and low.startswith(p)):
                text = text[len(p):].lstrip(" -")
                out.append(text)
                changed = True
                break
    return [t for t in out if t]
