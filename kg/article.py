"""Articles as the rest of the pipeline sees them, read from files and JSON Lines.

Boilerplate (related-story links, "READ MORE", comment prompts, captions) is dropped here,
before parsing, so no extractor ever has to know about web furniture. The article text keeps
only real paragraphs; offsets in evidence refer to this cleaned text.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.resources import load_lines

SUFFIXES = {".txt", ".md", ".text", ".html", ".htm"}
#: Files larger than this are refused rather than read whole.
MAX_BYTES = 20 * 1024 * 1024


class ArticleError(Exception):
    """A bad input: the message names the file and the problem on one line."""


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    text: str


@dataclass
class Article:
    id: str
    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


_BOILERPLATE: list[re.Pattern[str]] | None = None


def _boilerplate() -> list[re.Pattern[str]]:
    global _BOILERPLATE
    if _BOILERPLATE is None:
        _BOILERPLATE = [re.compile(p, re.I) for p in load_lines("lexicon/boilerplate.txt")]
    return _BOILERPLATE


def is_boilerplate(line: str) -> bool:
    return any(p.search(line) for p in _boilerplate())


_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .'-]+,\s*)?(\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{1,2},? \d{4})$"
)
#: A dated wire dateline opening the lead ("KINSHASA, 3 March 2023 (Reuters) -") or a byline
#: date with its time ("Mon 5 Apr 2021 18.40 BST"): the article's date when nothing else is.
_WIRE_DATE = re.compile(
    r"^(?:[A-Z][A-Z .'\u2019-]+,\s*|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? )"
    r"(\d{1,2} [A-Z][a-z]+\.? \d{4}|[A-Z][a-z]+\.? \d{1,2},? \d{4})\b"
)


_NONCHARACTERS = {0xFFFE: 0xFFFD, 0xFFFF: 0xFFFD}


def make_article(raw: str, id: str, *, title: str | None = None, url: str | None = None,
                 date: str | None = None, source: str | None = None) -> Article:
    """Split raw text into paragraphs, keep the title, drop boilerplate lines."""
    # U+FFFE and U+FFFF are noncharacters that Turtle readers (raptor) reject: make them U+FFFD.
    raw, id = raw.translate(_NONCHARACTERS), id.translate(_NONCHARACTERS)
    title, url, date = (s.translate(_NONCHARACTERS) if s else s for s in (title, url, date))
    blocks = [b.strip() for b in re.split(r"\n\s*\n|\r\n\s*\r\n", raw.replace("\r\n", "\n"))]
    lines: list[str] = []
    for block in blocks:
        # A block may hold several single-line paragraphs (headline lists); judge each line.
        for line in block.split("\n") if _is_list(block) else [" ".join(block.split("\n"))]:
            line = " ".join(line.split())
            if line and not is_boilerplate(line):
                lines.append(line)
    if title is None and lines and raw.lstrip().startswith(lines[0]) and len(blocks) > 1:
        title = lines[0]
    if date is None:
        for line in lines[1:3]:
            m = _DATELINE.match(line) or _WIRE_DATE.match(line)
            if m:
                date = m.group(1)
                break
    if not lines:
        raise ArticleError("no article text (empty, or only boilerplate)")
    paragraphs: list[Paragraph] = []
    pos = 0
    for line in lines:
        paragraphs.append(Paragraph(pos, pos + len(line), line))
        pos += len(line) + 2
    text = "\n\n".join(lines)
    return Article(id=id, text=text, title=title, date=date, url=url, source=source,
                   paragraphs=paragraphs)


def _is_list(block: str) -> bool:
    """Lines that each look finished (headline lists) are paragraphs of their own; lines of
    hard-wrapped prose run on, so they are joined."""
    rows = [r.strip() for r in block.split("\n") if r.strip()]
    if len(rows) < 2:
        return False
    if all(re.search(r"[.!?\]\"”’:]$", r) for r in rows):
        return True
    return all(not r[:1].islower() and len(r.split()) < 14 and not re.search(r"[,;-]$", r)
               or re.search(r"\[[A-Z]+\]$", r) for r in rows)


def from_html(html: str, id: str, source: str | None = None) -> Article:
    """A web page's article text and metadata; trafilatura drops menus, footers and comments."""
    import trafilatura  # imported here: only HTML input pays for it

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      include_tables=False)
    text = (getattr(doc, "text", None) or "").strip()
    if len(text.split()) < 5:  # a menu word or two is what trafilatura finds on empty pages
        raise ArticleError("no article text found in the HTML page")
    title = getattr(doc, "title", None) or None
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if title and lines and lines[0] == title:
        lines = lines[1:]
    body = "\n\n".join(([title] if title else []) + lines)
    return make_article(body, id=id, title=title, url=getattr(doc, "url", None) or None,
                        date=getattr(doc, "date", None) or None, source=source)


def read_file(path: Path) -> Article:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ArticleError(f"{path}: file is {size} bytes, over the {MAX_BYTES}-byte limit")
        data = path.read_bytes()
    except OSError as e:
        raise ArticleError(f"{path}: cannot read: {e.strerror or e}") from e
    if b"\x00" in data[:8192]:
        raise ArticleError(f"{path}: binary file, not text")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            raw = data.decode("cp1252")
        except UnicodeDecodeError as e:
            raise ArticleError(f"{path}: not UTF-8 or Windows-1252 text") from e
    if not raw.strip():
        raise ArticleError(f"{path}: empty file")
    try:
        if path.suffix.lower() in {".html", ".htm"}:
            return from_html(raw, id=path.stem, source=str(path))
        return make_article(raw, id=path.stem, source=str(path))
    except ArticleError as e:
        raise ArticleError(f"{path}: {e}") from e


def _field(rec: dict, key: str) -> str | None:
    """A JSONL field as text: strings and numbers pass, lone surrogates ("\\ud800") and
    nested values do not (they would fail later, in hashing or IRI minting)."""
    value = rec.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"\"{key}\" is not a string")
    text = str(value)
    bad = re.search(r"[\ud800-\udfff]", text)
    if bad:
        raise ValueError(f"\"{key}\" holds a lone surrogate \\u{ord(bad.group()):04x}")
    return text


def read_jsonl(path: Path) -> Iterator[Article | ArticleError]:
    """Yield an article per good line and an error per bad one, so one bad line costs one."""
    try:
        with path.open("rb") as fh:
            binary = b"\x00" in fh.read(8192)
    except OSError as e:
        yield ArticleError(f"{path}: cannot read: {e.strerror or e}")
        return
    if binary:  # one line for the file, not one per "line" of, say, a gzipped corpus
        yield ArticleError(f"{path}: binary file, not text")
        return
    empty = True
    with path.open(encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            empty = False
            try:
                rec = json.loads(line)
                if not isinstance(rec, dict) or not (_field(rec, "text") or "").strip():
                    raise ValueError("no \"text\" field")
                title, url = _field(rec, "title"), _field(rec, "url")
                ident = _field(rec, "id") or url or f"{path.stem}-{n}"
                body = _field(rec, "text") or ""
                if title:
                    body = f"{title}\n\n{body}"
                yield make_article(body, id=ident, title=title, url=url,
                                   date=_field(rec, "date"), source=f"{path}:{n}")
            except (ValueError, ArticleError) as e:
                yield ArticleError(f"{path}:{n}: malformed line: {e}")
    if empty:
        yield ArticleError(f"{path}: empty file")


def iter_articles(inputs: list[Path]) -> Iterator[Article | ArticleError]:
    """Walk files and folders; bad inputs come back as errors in the same stream."""
    for inp in inputs:
        if not inp.exists():
            yield ArticleError(f"{inp}: no such file or folder")
            continue
        if inp.is_dir():
            files = sorted(p for p in inp.rglob("*") if p.is_file() and _wanted(p))
            if not files:
                yield ArticleError(f"{inp}: folder holds no .txt, .md, .html or .jsonl articles")
            for f in files:
                yield from _one(f)
        else:
            yield from _one(inp)


def _wanted(p: Path) -> bool:
    return p.suffix.lower() in SUFFIXES | {".jsonl"} and not p.name.startswith(".")


def _one(p: Path) -> Iterator[Article | ArticleError]:
    if p.suffix.lower() == ".jsonl":
        yield from read_jsonl(p)
        return
    try:
        yield read_file(p)
    except ArticleError as e:
        yield e
