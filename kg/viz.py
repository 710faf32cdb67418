"""Placeholder until the viz work lands."""

from __future__ import annotations

from pathlib import Path

from kg.store import Store


def write_html(store: Store, path: Path) -> None:
    path.write_text("<!doctype html><title>kg</title>", encoding="utf-8")
