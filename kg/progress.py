"""A progress bar for long builds: articles/s and ETA on a terminal, silent otherwise.

The total is counted up front (files, and lines of JSON Lines corpora), which is cheap next to
parsing; output that is piped or logged gets no bar, so logs stay one line per problem.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.article import SUFFIXES


def count_articles(inputs: list[Path]) -> int:
    total = 0
    for inp in inputs:
        files = sorted(p for p in inp.rglob("*") if p.is_file()) if inp.is_dir() else [inp]
        for f in files:
            suffix = f.suffix.lower()
            if suffix == ".jsonl":
                try:
                    with f.open("rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except OSError:
                    total += 1
            elif suffix in SUFFIXES and not f.name.startswith("."):
                total += 1
    return total


@contextmanager
def progress(inputs: list[Path], *, enabled: bool | None = None) -> Iterator[Callable[[int], None]]:
    """Yield `advance(n)`; draws a tqdm bar on stderr only when stderr is a terminal."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield lambda n: None
        return
    from tqdm import tqdm

    width = shutil.get_terminal_size().columns or 80  # a pty of unknown size reports 0
    with tqdm(total=count_articles(inputs), unit="article", file=sys.stderr, ncols=width,
              leave=False) as bar:
        yield bar.update
