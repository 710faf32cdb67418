"""The `kg` command line. Each command is a thin shell over one stage of the pipeline.

Exit codes: 0 success, 1 when any input or query failed, 2 for usage errors.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import click

from kg.store import StoreError, open_store

DEFAULT_STORE = "outputs/store"
#: `kg build` draws an overview; `kg viz --max-nodes` draws more. Laying out thousands of nodes
#: would cost more than parsing a small corpus, and the page says when it was cut.
BUILD_PAGE_NODES = 500


def _fail(msg: str, code: int = 1) -> None:
    click.echo(f"kg: error: {msg}", err=True)
    sys.exit(code)


class _Group(click.Group):
    """Unexpected errors become one line and exit 1; `--debug` shows the traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("kg: interrupted; finished articles are stored, rerun to complete",
                       err=True)
            sys.exit(130)
        except Exception as e:  # noqa: BLE001 - the one place that turns bugs into a line
            if "--debug" in sys.argv[1:]:
                raise
            msg = str(e).splitlines()[0] if str(e) else type(e).__name__
            click.echo(f"kg: error: {msg} (rerun with --debug for details)", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Where extraction runs: here, or on dask.distributed.")
@click.option("--scheduler", default=None,
              help="dask scheduler address (tcp://host:port); default: a LocalCluster.")
def build(inputs: tuple[Path, ...], out: Path, location: str | None, jobs: int,
          model: str | None, force: bool, executor: str, scheduler: str | None) -> None:
    """Extract facts from articles (.txt/.md/.html files, folders, .jsonl) into the store."""
    from kg.build import build as run_build
    from kg.export import export
    from kg.progress import progress

    out.mkdir(parents=True, exist_ok=True)
    location = location or str(out / "store")
    store = _open(location)
    try:
        with progress(list(inputs)) as advance:
            report = run_build(list(inputs), store, model=model, force=force, jobs=jobs,
                               executor=executor, scheduler=scheduler, advance=advance)
    finally:
        store.close()
    # Writing is over, so the Turtle and the page read read-only views, which RocksDB opens
    # reliably only once no writer is mid-flush. Given more than one core, the page is drawn
    # by a forked process while this one writes the Turtle.
    with _beside(jobs > 1, _draw_page, location, out / "graph.html"):
        view = _open(location, read_only=True)
        try:
            with (out / "graph.ttl").open("wb") as fh:
                export(view, "turtle", fh)
        finally:
            view.close()
    click.echo(f"kg: {report.built} built, {report.skipped} unchanged, "
               f"{len(report.errors)} failed -> {out}/graph.ttl, {out}/graph.html", err=True)
    if report.errors:
        sys.exit(1)


@main.command()
@click.argument("query")
@click.option("--store", "location", default=DEFAULT_STORE, show_default=True,
              help="Store folder or SPARQL endpoint URL.")
@click.option("--format", "fmt", default="table",
              type=click.Choice(["table", "csv", "tsv", "json"]), show_default=True,
              help="For SELECT and ASK; CONSTRUCT and DESCRIBE always print Turtle.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Seconds before the query is stopped.")
def query(query: str, location: str, fmt: str, timeout: float | None) -> None:
    """Run SPARQL (a string, a .rq file, `-` for stdin, or a shipped query's name such as
    who-claimed-what) over every article's facts. The kg:, rdfs:, prov: ... prefixes are
    predeclared and the default graph is the union of all articles."""
    from kg.query import QueryError, read_query, run_query

    try:
        text = read_query(query)
    except (QueryError, OSError) as e:
        _fail(str(e))
    store = _open(location, read_only=True)
    try:
        run_query(store, text, fmt, sys.stdout.buffer, timeout=timeout)
        sys.stdout.flush()
    except QueryError as e:
        where = f"{query}: " if query.endswith(".rq") or " " not in query else ""
        if e.syntax or timeout is None:
            _fail(where + str(e), 2 if e.syntax else 1)
        # A timed-out query may still be running in a worker thread; do not wait for it.
        click.echo(f"kg: error: {where}{e}", err=True)
        sys.stdout.flush()
        os._exit(1)
    finally:
        store.close()


@main.command("export")
@click.option("--store", "location", default=DEFAULT_STORE, show_default=True,
              help="Store folder or SPARQL endpoint URL.")
@click.option("--format", "fmt", default="turtle", show_default=True,
              type=click.Choice(["turtle", "trig", "nt", "nq", "jsonld", "jsonld-dataset",
                                 "graphml"]),
              help="turtle, nt and jsonld merge the articles into one graph; trig, nq and "
                   "jsonld-dataset keep each article's named graph.")
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
    except (StoreError, OSError) as e:
        _fail(str(e).splitlines()[0])
    finally:
        store.close()


@main.command()
@click.option("--store", "location", default=DEFAULT_STORE, show_default=True,
              help="Store folder or SPARQL endpoint URL.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(0),
              help="How many central actors to list.")
def stats(location: str, top: int) -> None:
    """Count articles, entities by class and facts by relation; rank actors by centrality."""
    from kg.stats import format_stats
    from kg.stats import stats as compute

    store = _open(location, read_only=True)
    try:
        click.echo(format_stats(compute(store, top)), nl=False)
    except StoreError as e:
        _fail(str(e))
    finally:
        store.close()


@main.command()
@click.option("--store", "location", default=DEFAULT_STORE, show_default=True,
              help="Store folder or SPARQL endpoint URL.")
@click.option("--shapes", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="SHACL shapes (default: ontologies/shapes.ttl).")
def validate(location: str, shapes: Path | None) -> None:
    """Check the store against the SHACL shapes; exit 1 with a report on violations."""
    from kg.validate import validate as check

    store = _open(location, read_only=True)
    try:
        verdict = check(store, shapes)
    except StoreError as e:
        _fail(str(e))
    finally:
        store.close()
    if verdict.conforms:
        click.echo(f"kg: {location} conforms to the shapes ({verdict.triples} triples)")
        return
    click.echo(verdict.report.rstrip())
    click.echo(f"kg: {location} does not conform: {verdict.violations} violation(s) "
               f"in {verdict.triples} triples")
    sys.exit(1)


@main.command()
@click.option("--store", "location", default=DEFAULT_STORE, show_default=True,
              help="Store folder.")
@click.option("--bind", default="127.0.0.1:7878", show_default=True,
              help="Host and port; other hosts can reach it only if you bind beyond 127.0.0.1.")
@click.option("--allow-updates", is_flag=True,
              help="Accept SPARQL Update and Graph Store writes (locks out `kg build`).")
@click.option("--timeout", type=click.IntRange(1), default=None,
              help="Seconds a query may run on the server.")
def serve(location: str, bind: str, allow_updates: bool, timeout: int | None) -> None:
    """Serve the store as a SPARQL endpoint (http://BIND/query) with Oxigraph's server.

    Read-only unless --allow-updates. The default graph is the union of all articles, as
    in `kg query`. A read-only server sees the store as it was when started: restart it
    after a build."""
    if "://" in location:
        _fail(f"{location}: kg serve needs a store folder, not a URL")
    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists():
        binary = Path(shutil.which("oxigraph") or binary)
    if not binary.exists():
        _fail("the oxigraph server is not installed (pip install oxigraph)")
    # Open once ourselves so a missing or locked store fails with our one-line message.
    _open(location, read_only=not allow_updates).close()
    mode = "serve" if allow_updates else "serve-read-only"
    argv = [str(binary), mode, "--location", location, "--bind", bind, "--union-default-graph"]
    if timeout:
        argv += ["--timeout-s", str(timeout)]
    click.echo(f"kg: serving {location} {'read-write' if allow_updates else 'read-only'} at "
               f"http://{bind}/query (Ctrl-C to stop)", err=True)
    sys.stderr.flush()
    os.execv(argv[0], argv)


@main.command()
@click.option("--store", "location", default=DEFAULT_STORE, show_default=True,
              help="Store folder or SPARQL endpoint URL.")
@click.option("-o", "output", type=click.Path(path_type=Path), default=Path("graph.html"),
              show_default=True, help="Where to write the page.")
@click.option("--focus", metavar="NAME", default=None,
              help="Only this entity's neighbourhood (a label, alias or IRI).")
@click.option("--depth", type=click.IntRange(0), default=1, show_default=True,
              help="Steps out from --focus, following edges either way.")
@click.option("--top", type=click.IntRange(1), default=None, metavar="N",
              help="Only the N most central nodes (PageRank).")
@click.option("--relation", "relations", multiple=True, metavar="REL[,REL]",
              help="Only edges of these relations: claims, refuses, controlledBy, standsFor, "
                   "affiliation (repeat the option or separate with commas).")
@click.option("--communities", is_flag=True,
              help="Colour nodes by community (Louvain) instead of by class.")
@click.option("--max-nodes", type=click.IntRange(1), default=2000, show_default=True,
              metavar="N", help="Draw at most N nodes, the most central; the page says so.")
@click.option("--view", type=click.Choice(["auto", "overview", "statements"]), default="auto",
              show_default=True,
              help="overview: actors and places, statements folded into weighted claims "
                   "edges; statements: each statement a card; auto: the overview when the "
                   "statements do not fit.")
def viz(location: str, output: Path, focus: str | None, depth: int, top: int | None,
        relations: tuple[str, ...], communities: bool, max_nodes: int, view: str) -> None:
    """Write the interactive HTML graph (works offline).

    A store whose statements do not fit is drawn as an overview (--view): actors and places,
    statements folded into weighted claims edges; otherwise big stores are cut to the
    --max-nodes most central nodes. Either way a banner on the page says so. --focus, --top
    and --relation choose a smaller view first."""
    from kg.graph import ViewError
    from kg.viz import write_html

    store = _open(location, read_only=True)
    try:
        drawn = write_html(store, output, focus=focus, depth=depth, top=top,
                           relation=list(relations) or None, communities=communities,
                           max_nodes=max_nodes, view=view)
    except ViewError as e:
        _fail(str(e), 2)
    finally:
        store.close()
    for note in drawn.notes:
        click.echo(f"kg: {note}", err=True)
    click.echo(f"kg: wrote {output} ({drawn.nodes} of {drawn.total_nodes} nodes, "
               f"{drawn.edges} edges)", err=True)


@main.command("eval")
@click.argument("cases", type=click.Path(path_type=Path))
@click.option("--cmd", default=None, metavar="CMD",
              help="Build each case with this command ({input} and {out} filled in) instead "
                   "of in this process, e.g. 'kg build {input} --out {out}'.")
@click.option("--graphs", type=click.Path(path_type=Path), default=None,
              help="Read graphs built earlier into GRAPHS/NAME/graph.ttl instead of building.")
@click.option("--model", default=None, help="An installed spaCy pipeline package.")
@click.option("--min-f1", type=click.FloatRange(0, 1), default=None,
              help="Exit 1 when micro F1 is below this.")
@click.option("-v", "--verbose", is_flag=True, help="List every miss and false fact.")
def eval_cmd(cases: Path, cmd: str | None, graphs: Path | None, model: str | None,
             min_f1: float | None, verbose: bool) -> None:
    """Score extraction against gold cases (NAME.txt + NAME.json, the format of the shared
    evaluation sets): precision, recall and F1 per kind and micro; -v lists each miss and
    false fact. By default each case is built in this process with the model loaded once."""
    from kg.eval import CaseError, built_by, built_here, evaluate, load_cases, read_from

    if cmd and graphs:
        _fail("give --cmd or --graphs, not both", 2)
    try:
        loaded = load_cases(cases)
    except CaseError as e:
        _fail(str(e), 2)
    source = read_from(graphs) if graphs else built_by(cmd) if cmd else built_here(model)
    report = evaluate(loaded, source)
    for line in report.lines(verbose):
        click.echo(line)
    if min_f1 is not None and report.micro.prf()[2] < min_f1:
        sys.exit(1)


def _draw_page(location: str, path: Path) -> None:
    from kg.viz import write_html

    with open_store(location, read_only=True) as store:
        write_html(store, path, max_nodes=BUILD_PAGE_NODES)


@contextmanager
def _beside(parallel: bool, fn: Callable[..., None], *args: object) -> Iterator[None]:
    """Run fn(*args) in a forked process for the length of the block, or here after it;
    either way its exception is raised on leaving the block."""
    if not parallel or "fork" not in multiprocessing.get_all_start_methods():
        yield  # (Windows has no fork)
        fn(*args)
        return
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        future = pool.submit(fn, *args)
        yield
        future.result()


def _open(location: str, read_only: bool = False):
    try:
        return open_store(location, read_only=read_only)
    except StoreError as e:
        _fail(str(e))


if __name__ == "__main__":
    main()
