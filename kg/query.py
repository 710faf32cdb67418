"""`kg query`: SPARQL in, a table for people or CSV/TSV/JSON for programs out.

The ontology prefixes are predeclared and the default graph is the union of all articles, so
the shipped queries in ontologies/queries/ read as plainly as the questions they answer.

That union is a bag, not a set: an entity described by 300 articles matches `?e rdfs:label ?l`
300 times, and joins multiply the repeats. Count with DISTINCT, or match inside one article
with `GRAPH ?article { ... }` as the shipped queries do, which is also much faster.
"""

from __future__ import annotations

import re
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import (
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    serialize,
)

from kg.export import compact
from kg.namespaces import PREFIXES, XSD
from kg.resources import path as data_path
from kg.store import QueryTimeout, Store, StoreError

FORMATS = ("table", "csv", "tsv", "json")
_RESULTS = {"csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV,
            "json": QueryResultsFormat.JSON}
_POSITION = re.compile(r"^error at (\d+):(\d+):\s*(.*)$", re.S)
#: Characters that would break a table's alignment or reorder the terminal's text.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


class QueryError(Exception):
    def __init__(self, msg: str, syntax: bool = False) -> None:
        super().__init__(msg)
        self.syntax = syntax


def read_query(arg: str) -> str:
    """The query text: `-` for stdin, a .rq file, a shipped query's name, or SPARQL itself."""
    if arg == "-":
        return sys.stdin.read()
    if not re.search(r"\s", arg):
        for candidate in (Path(arg), data_path("queries") / arg,
                          data_path("queries") / f"{arg}.rq"):
            if candidate.suffix == ".rq" and candidate.is_file():
                return candidate.read_text(encoding="utf-8")
        if arg.endswith(".rq"):
            raise QueryError(f"{arg}: no such query file")
    return arg


def run_query(store: Store, text: str, fmt: str, out: BinaryIO, *,
              timeout: float | None = None, width: int | None = None) -> None:
    """Run `text` and write its results to `out`; CONSTRUCT and DESCRIBE print Turtle."""
    try:
        result = store.query(text, timeout=timeout)
    except SyntaxError as e:
        raise QueryError(syntax_message(e), syntax=True) from e
    except QueryTimeout as e:
        raise QueryError(str(e)) from e
    except (StoreError, OSError) as e:
        raise QueryError(str(e).splitlines()[0]) from e
    if isinstance(result, QueryTriples):
        serialize(result, out, RdfFormat.TURTLE, prefixes=PREFIXES)
    elif fmt == "table" and isinstance(result, QueryBoolean):
        out.write(b"true\n" if bool(result) else b"false\n")
    elif fmt == "table":
        out.write(table(result, width or shutil.get_terminal_size((100, 24)).columns).encode())
    else:
        result.serialize(out, _RESULTS[fmt])
        if isinstance(result, QueryBoolean) or fmt == "json":
            out.write(b"\n")


def syntax_message(e: SyntaxError) -> str:
    """One line: where the parser stopped and what it wanted, not its whole grammar dump."""
    text = str(e)
    m = _POSITION.match(text)
    if not m:
        return f"SPARQL syntax error: {text.splitlines()[0] if text else 'invalid query'}"
    line, col, why = m.groups()
    why = " ".join(why.split())
    if "Prefix not found" in why:
        why = "undeclared prefix"
    elif len(why) > 160:
        why = why[:157] + "..."
    return f"SPARQL syntax error at line {line} column {col}: {why}"


# -- the table


def cell(term: object) -> str:
    """A term as a person reads it: prefixed names, bare literal values, nothing escaped."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return compact(term.value)
    if isinstance(term, Literal):
        if term.language:
            return f"{term.value}@{term.language}"
        if term.datatype.value.startswith(XSD) or term.datatype.value.endswith("langString"):
            return term.value
        return f"{term.value}^^{compact(term.datatype.value)}"
    return str(term)


def clean(text: str) -> str:
    """Make text safe for one table cell: no line breaks, no bidi or control characters."""
    text = text.replace("\r\n", "\n").replace("\n", "↵").replace("\t", " ")
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def width_of(text: str) -> int:
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, width: int) -> str:
    """Cut to `width` terminal columns, marking the cut with an ellipsis."""
    if width_of(text) <= width:
        return text + " " * (width - width_of(text))
    out, used = [], 0
    for c in text:
        w = width_of(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…" + " " * (width - 1 - used)


def table(solutions: QuerySolutions, width: int) -> str:
    names = [v.value for v in solutions.variables]
    rows = [[clean(cell(t)) for t in sol] for sol in solutions]
    widths = [max([width_of(n), *(width_of(r[i]) for r in rows)]) for i, n in enumerate(names)]
    widths = _shrink(widths, width - 2 * max(len(names) - 1, 0))
    lines = ["  ".join(fit(n, w) for n, w in zip(names, widths, strict=True)).rstrip(),
             "  ".join("─" * w for w in widths)]
    lines += ["  ".join(fit(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(lines) + "\n"


def _shrink(widths: Sequence[int], room: int, least: int = 6) -> list[int]:
    """Cap the widest columns at one common width so the row fits in `room` columns."""
    if sum(widths) <= room:
        return list(widths)
    lo, hi = least, max(widths)
    while lo < hi:  # the largest cap that still fits
        mid = (lo + hi + 1) // 2
        if sum(min(w, mid) for w in widths) <= room:
            lo = mid
        else:
            hi = mid - 1
    return [min(w, lo) for w in widths]
