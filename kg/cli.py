"""The `kg` command line. Each command is a thin shell over one stage of the pipeline.

Exit codes: 0 success, 1 when any input or query failed, 2 for usage errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.store import StoreError, open_store

DEFAULT_STORE = "outputs/store"


def _fail(msg: str, code: int = 1) -> None:
    click.echo(f"kg: error: {msg}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Turn news articles into a knowledge graph you can query, export and browse."""
    ctx.obj = {"debug": debug}


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out", default="outputs", type=click.Path(path_type=Path),
              help="Folder for graph.ttl and graph.html (and the store, unless --store).")
@click.option("--store", "location", default=None, help="Store folder or SPARQL endpoint URL.")
@click.option("--jobs", default=1, type=click.IntRange(1, 64), help="Parser processes.")
@click.option("--model", default=None, help="An installed spaCy pipeline package.")
@click.option("--force", is_flag=True, help="Re-extract articles whose text is unchanged.")
def build(inputs: tuple[Path, ...], out: Path, location: str | None, jobs: int,
          model: str | None, force: bool) -> None:
    """Extract facts from articles (.txt/.md files, folders, .jsonl) into the store."""
    from kg.build import build as run_build
    from kg.export import export
    from kg.viz import write_html

    out.mkdir(parents=True, exist_ok=True)
    store = _open(location or str(out / "store"))
    try:
        report = run_build(list(inputs), store, model=model, force=force, jobs=jobs)
        with (out / "graph.ttl").open("wb") as fh:
            export(store, "turtle", fh)
        write_html(store, out / "graph.html")
    finally:
        store.close()
    click.echo(f"kg: {report.built} built, {report.skipped} unchanged, "
               f"{len(report.errors)} failed -> {out}/graph.ttl, {out}/graph.html", err=True)
    if report.errors:
        sys.exit(1)


@main.command()
@click.argument("query")
@click.option("--store", "location", default=DEFAULT_STORE, show_default=True)
@click.option("--format", "fmt", default="table",
              type=click.Choice(["table", "csv", "tsv", "json"]), show_default=True)
@click.option("--timeout", type=float, default=None, help="Seconds before the query is stopped.")
def query(query: str, location: str, fmt: str, timeout: float | None) -> None:
    """Run SPARQL (a string or a .rq file) over every article's facts."""
    from kg.query import QueryError, read_query, run_query

    text = read_query(query)
    store = _open(location, read_only=True)
    try:
        sys.stdout.write(run_query(store, text, fmt, timeout=timeout))
    except QueryError as e:
        _fail(str(e), 2 if e.syntax else 1)
    finally:
        store.close()


@main.command("export")
@click.option("--store", "location", default=DEFAULT_STORE, show_default=True)
@click.option("--format", "fmt", default="turtle", show_default=True,
              type=click.Choice(["turtle", "trig", "nt", "nq", "jsonld", "graphml"]))
@click.option("-o", "output", type=click.Path(path_type=Path), default=None,
              help="File to write (default: standard output).")
def export_cmd(location: str, fmt: str, output: Path | None) -> None:
    """Serialise the store for other RDF tools."""
    from kg.export import export

    store = _open(location, read_only=True)
    try:
        if output is None:
            export(store, fmt, sys.stdout.buffer)
        else:
            with output.open("wb") as fh:
                export(store, fmt, fh)
    finally:
        store.close()


@main.command()
@click.option("--store", "location", default=DEFAULT_STORE, show_default=True)
@click.option("-o", "output", type=click.Path(path_type=Path), default=Path("graph.html"),
              show_default=True)
def viz(location: str, output: Path) -> None:
    """Write the interactive HTML graph (works offline)."""
    from kg.viz import write_html

    store = _open(location, read_only=True)
    try:
        write_html(store, output)
    finally:
        store.close()
    click.echo(f"kg: wrote {output}", err=True)


def _open(location: str, read_only: bool = False):
    try:
        return open_store(location, read_only=read_only)
    except StoreError as e:
        _fail(str(e))


if __name__ == "__main__":
    main()
