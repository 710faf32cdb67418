"""Quotation spans in an article, including quotes that run over paragraphs.

News style opens every paragraph of a long quote with a quotation mark and closes only the last
one, so the scan carries an open quote across paragraph breaks. Each paragraph's part is its own
segment (one claim per quoted segment), linked to the segment it continues.

Feeds write quotes four ways: curly “…”, straight "…", single ‘…’ and, in archives that came
through a typewriter-era pipeline (the New York Times' among them), doubled apostrophes ''…''.
A doubled apostrophe is one mark two characters wide; it can never be an apostrophe, so it is
the most reliable of the four.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.article import Article

OPEN_CLOSE = {"\u201c": "\u201d", "\u2018": "\u2019", '"': '"', "\u00ab": "\u00bb", "''": "''"}
#: Marks that open a quote which may run on into the next paragraph (not the single quote,
#: which is too often an apostrophe to be trusted that far).
_CARRIED = ("\u201d", '"', "\u00bb", "''")
_DOUBLE = ('"', "\u201d")
_MARK = re.compile("[\"'\u201c\u201d\u2018\u2019\u00ab\u00bb]")


@dataclass(frozen=True)
class Segment:
    start: int  # offsets of the quoted words, marks excluded
    end: int
    paragraph: int
    continues: bool  # carried on from the previous paragraph's open quote
    closed: bool  # the closing mark is in this paragraph
    outer_start: int = -1  # offsets with the marks, which may be two characters wide
    outer_end: int = -1

    def text(self, article: Article) -> str:
        return article.text[self.start:self.end]


def _is_open_single(text: str, i: int) -> bool:
    prev = text[i - 1] if i else " "
    return not prev.isalnum()


def _is_close_single(text: str, i: int) -> bool:
    """A closing ’ ends a word and is not followed by one ("don’t" and "’s" are apostrophes)."""
    nxt = text[i + 1] if i + 1 < len(text) else " "
    prev = text[i - 1] if i else " "
    return not nxt.isalnum() and prev != " "


def _open_at(text: str, i: int) -> str | None:
    """The opening mark at `i`, if one opens a quote there."""
    if text.startswith("''", i):
        return "''" if _is_open_single(text, i) and text[i + 2:i + 3].strip() else None
    ch = text[i]
    if ch in ("\u201c", '"', "\u00ab") or (ch == "\u2018" and _is_open_single(text, i)):
        return ch
    return None


def _close_at(text: str, i: int, close: str) -> int:
    """Width of the closing mark `close` at `i` (0 when there is none). In '…it,''' he said'
    a single quote closes inside the doubled one: the doubled mark is the last two."""
    if close == "''":
        if not text.startswith("''", i):
            return 0
        return 3 if text.startswith("'''", i) else 2
    if text[i] == close and (close != "\u2019" or _is_close_single(text, i)):
        return 1
    if close in _DOUBLE and text[i] in _DOUBLE and i and not text[i - 1].isspace():
        return 1  # feeds mix straight and curly marks: '"We won,” she said'
    return 0


def find_segments(article: Article) -> list[Segment]:
    segs: list[Segment] = []
    carry: str | None = None  # closing mark of a quote left open by the previous paragraph
    for pi, para in enumerate(article.paragraphs):
        text = para.text
        i = 0
        close: str | None = None
        start = opened = 0
        continues = False
        if carry:
            mark = _open_at(text, 0)
            if mark and OPEN_CLOSE[mark] == carry:
                close, start, continues, i = carry, len(mark), True, len(mark)
                opened = 0
        carry = None
        while True:
            m = _MARK.search(text, i)  # only a quote character can open or close a quote
            if m is None:
                break
            i = m.start()
            if close is None:
                mark = _open_at(text, i)
                if mark:
                    close, start, opened = OPEN_CLOSE[mark], i + len(mark), i
                    i += len(mark)
                    continue
            else:
                width = _close_at(text, i, close)
                if width:
                    end = i + width - len(close)  # the inner single quote stays in the words
                    if end > start:
                        segs.append(Segment(para.start + start, para.start + end, pi,
                                            continues, True, para.start + opened,
                                            para.start + i + width))
                    close, continues = None, False
                    i += width
                    continue
            i += 1
        if close is not None and close in _CARRIED and len(text) > start:
            segs.append(Segment(para.start + start, para.end, pi, continues, False,
                                para.start + opened, para.end))
            carry = close
    return segs
