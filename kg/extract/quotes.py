"""Quotation spans in an article, including quotes that run over paragraphs.

News style opens every paragraph of a long quote with a quotation mark and closes only the last
one, so the scan carries an open quote across paragraph breaks. Each paragraph's part is its own
segment (one claim per quoted segment), linked to the segment it continues.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.article import Article

OPEN_CLOSE = {"\u201c": "\u201d", "\u2018": "\u2019", '"': '"', "\u00ab": "\u00bb"}


@dataclass(frozen=True)
class Segment:
    start: int  # offsets of the quoted words, marks excluded
    end: int
    paragraph: int
    continues: bool  # carried on from the previous paragraph's open quote
    closed: bool  # the closing mark is in this paragraph

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


def find_segments(article: Article) -> list[Segment]:
    segs: list[Segment] = []
    carry: str | None = None  # closing mark of a quote left open by the previous paragraph
    for pi, para in enumerate(article.paragraphs):
        text = para.text
        i = 0
        open_mark: str | None = None
        start = 0
        continues = False
        if carry and text[:1] in OPEN_CLOSE:
            open_mark, start, continues, i = carry, 1, True, 1
        carry = None
        while i < len(text):
            ch = text[i]
            if open_mark is None:
                if ch in ("\u201c", '"', "\u00ab") or (ch == "\u2018" and _is_open_single(text, i)):
                    open_mark, start = OPEN_CLOSE[ch], i + 1
            elif ch == open_mark and (open_mark != "\u2019" or _is_close_single(text, i)):
                if i > start:
                    segs.append(Segment(para.start + start, para.start + i, pi, continues, True))
                open_mark, continues = None, False
            i += 1
        if open_mark is not None:
            if len(text) > start and open_mark in ("\u201d", '"', "\u00bb"):
                segs.append(Segment(para.start + start, para.end, pi, continues, False))
                carry = open_mark
    return segs
