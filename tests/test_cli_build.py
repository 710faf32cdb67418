"""`kg build` as a user runs it: the real CLI in its own process, end to end.

The seed must yield all three relations in a graph.ttl that rdflib and rapper read; rebuilds
skip unchanged articles, `--force` redoes them and a revised article replaces its old facts.
Every kind of bad input costs exactly one line on stderr naming it, the good articles of the
same run still land, and the exit status says what happened (1: an input failed, 2: usage).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib
import rdflib.compare
from build_fixtures import (
    KG,
    RELATIONS,
    SEED,
    error_lines,
    kg,
    one_line_error,
    seed_text,
    short_seed,
    write_corpus,
)

from kg.namespaces import ID
from kg.namespaces import KG as KG_NS

STATEMENTS = "SELECT ?v WHERE { ?who kg:claims ?s . ?s rdf:value ?v }"
ARTICLE_IDS = "SELECT ?id WHERE { ?a a kg:Article ; dcterms:identifier ?id }"


def summary(done: subprocess.CompletedProcess[str]) -> str:
    (line,) = [ln for ln in done.stderr.splitlines() if re.match(r"kg: \d+ built, ", ln)]
    return line


def select(store: Path, sparql: str) -> list[str]:
    """The first column of a SELECT, through `kg query --format json`."""
    done = kg("query", "--store", str(store), "--format", "json", sparql)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["results"]["bindings"]
    return [next(iter(row.values()))["value"] for row in rows]


def rapper(path: Path, syntax: str = "turtle") -> int:
    check = subprocess.run(["rapper", "-i", syntax, "-c", str(path)], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stderr
    assert "Error" not in check.stderr and "Warning" not in check.stderr, check.stderr
    return int(re.search(r"returned (\d+) triple", check.stderr).group(1))


# ------------------------------------------------------------------------ the seed, end to end

@pytest.fixture(scope="module")
def seed_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "out"
    done = kg("build", str(SEED), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == summary(done), done.stderr
    assert "1 built, 0 unchanged, 0 failed" in summary(done)
    return out


def test_seed_graph_has_all_three_relations(seed_out: Path) -> None:
    assert (seed_out / "store" / "CURRENT").is_file()
    assert (seed_out / "graph.html").stat().st_size > 10_000
    g = rdflib.Graph().parse(seed_out / "graph.ttl", format="turtle")
    used = {str(p)[len(KG_NS):] for p in g.predicates() if str(p).startswith(KG_NS)}
    assert used >= RELATIONS
    for rel in RELATIONS:
        assert len(list(g.triples((None, rdflib.URIRef(KG_NS + rel), None)))) >= 1, rel


def test_seed_graph_passes_rapper(seed_out: Path) -> None:
    triples = rapper(seed_out / "graph.ttl")
    assert triples == len(rdflib.Graph().parse(seed_out / "graph.ttl", format="turtle"))


def test_unchanged_article_is_skipped(seed_out: Path) -> None:
    before = (seed_out / "graph.ttl").read_bytes()
    done = kg("build", str(SEED), "--out", str(seed_out))
    assert done.returncode == 0, done.stderr
    assert "0 built, 1 unchanged, 0 failed" in summary(done)
    assert (seed_out / "graph.ttl").read_bytes() == before


def test_force_rebuilds(seed_out: Path) -> None:
    before = rdflib.Graph().parse(seed_out / "graph.ttl", format="turtle")
    done = kg("build", str(SEED), "--out", str(seed_out), "--force")
    assert done.returncode == 0, done.stderr
    assert "1 built, 0 unchanged, 0 failed" in summary(done)
    after = rdflib.Graph().parse(seed_out / "graph.ttl", format="turtle")
    assert rdflib.compare.isomorphic(before, after)  # idempotent: same facts, same IRIs


def test_revised_article_replaces_its_old_facts(tmp_path: Path) -> None:
    src, out = tmp_path / "report.txt", tmp_path / "out"
    old, new = "direct financial incentives", "generous cash bonuses"
    text = seed_text()
    assert old in text
    src.write_text(text, encoding="utf-8")
    assert kg("build", str(src), "--out", str(out)).returncode == 0
    assert any(old in s for s in select(out / "store", STATEMENTS))

    src.write_text(text.replace(old, new), encoding="utf-8")
    done = kg("build", str(src), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "1 built, 0 unchanged" in summary(done)
    statements = select(out / "store", STATEMENTS)
    assert not any(old in s for s in statements), statements
    assert any(new in s for s in statements), statements
    assert select(out / "store", ARTICLE_IDS) == ["report"]
    assert old not in (out / "graph.ttl").read_text(encoding="utf-8")
    assert old not in (out / "graph.html").read_text(encoding="utf-8")


MERGED = ("SELECT DISTINCT ?x WHERE { GRAPH <https://w3id.org/kg/id/graph/entities> { "
          "?e rdfs:label ?name ; %s ?x } FILTER(?name = 'Nordic Trade Council') }")


def test_entity_graph_follows_added_and_revised_articles(tmp_path: Path) -> None:
    """New articles are merged into the entity graph as they arrive; a revised article that
    drops an alias takes the alias out of it."""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    first = ("Council report\n\nThe Nordic Trade Council (NTC) said on Monday that tariffs "
             "would fall. The NTC also said exports had grown.\n")
    (corpus / "a1.txt").write_text(first, encoding="utf-8")
    (corpus / "a2.txt").write_text("Trade talks\n\nThe Nordic Trade Council said the talks "
                                   "had ended.\n", encoding="utf-8")
    assert kg("build", str(corpus), "--out", str(out)).returncode == 0
    assert "NTC" in select(out / "store", MERGED % "skos:altLabel")
    assert len(select(out / "store", MERGED % "kg:mentionedIn")) == 2

    (corpus / "a3.txt").write_text("More trade\n\nThe Nordic Trade Council said quotas "
                                   "would go.\n", encoding="utf-8")
    done = kg("build", str(corpus), "--out", str(out))
    assert "1 built, 2 unchanged" in summary(done)
    assert len(select(out / "store", MERGED % "kg:mentionedIn")) == 3

    (corpus / "a1.txt").write_text(first.replace(" (NTC)", "").replace("The NTC", "It"),
                                   encoding="utf-8")
    done = kg("build", str(corpus), "--out", str(out))
    assert "1 built, 2 unchanged" in summary(done)
    assert "NTC" not in select(out / "store", MERGED % "skos:altLabel")
    assert len(select(out / "store", MERGED % "kg:mentionedIn")) == 3


def test_entity_graph_heals_after_an_interrupted_build(tmp_path: Path) -> None:
    """Articles stored by a build that died before merging (here: stored directly, the merge
    skipped) are merged by the next build, even when that one has nothing to build; a
    revision stored the same way still clears its old alias."""
    from kg.article import read_file
    from kg.build import extract_batch
    from kg.store import open_store

    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    text = ("Council report\n\nThe Nordic Trade Council (NTC) said on Monday that tariffs "
            "would fall.\n")
    (corpus / "a1.txt").write_text(text, encoding="utf-8")
    assert kg("build", str(corpus), "--out", str(out)).returncode == 0
    assert "NTC" in select(out / "store", MERGED % "skos:altLabel")

    revised = text.replace(" (NTC)", "")
    (corpus / "a1.txt").write_text(revised, encoding="utf-8")
    (corpus / "a2.txt").write_text("Trade talks\n\nThe Nordic Trade Council said the talks "
                                   "had ended.\n", encoding="utf-8")
    store = open_store(str(out / "store"))
    try:  # what a build stopped after storing, before merging, leaves behind
        batch = [read_file(p) for p in sorted(corpus.glob("*.txt"))]
        store.replace_articles([o for o in extract_batch(batch) if not isinstance(o, str)])
    finally:
        store.close()
    done = kg("build", str(corpus), "--out", str(out))
    assert "0 built, 2 unchanged" in summary(done), done.stderr
    assert "NTC" not in select(out / "store", MERGED % "skos:altLabel")
    assert len(select(out / "store", MERGED % "kg:mentionedIn")) == 2


def test_jobs_2_writes_what_jobs_1_writes(tmp_path: Path) -> None:
    """Worker processes (half-size batches, N-Quads back to this process) and the page drawn
    beside the Turtle export give the same store, Turtle and page, byte for byte, and a bad
    line costs its one error line either way."""
    feed = tmp_path / "feed.jsonl"
    write_corpus(feed, 12)
    with feed.open("a", encoding="utf-8") as fh:
        fh.write('{not json\n')
    outs = {}
    for jobs in ("1", "2"):
        out = outs[jobs] = tmp_path / f"jobs-{jobs}"
        done = kg("build", str(feed), "--out", str(out), "--jobs", jobs)
        assert done.returncode == 1
        assert "12 built, 0 unchanged, 1 failed" in summary(done)
        (line,) = error_lines(done.stderr)
        assert "feed.jsonl:13" in line
    for name in ("graph.ttl", "graph.html"):
        assert (outs["1"] / name).read_bytes() == (outs["2"] / name).read_bytes(), name
    dumps = [kg("export", "--store", str(out / "store"), "--format", "nq") for out in outs.values()]
    assert all(d.returncode == 0 for d in dumps)
    assert sorted(dumps[0].stdout.splitlines()) == sorted(dumps[1].stdout.splitlines())


def test_interrupted_build_keeps_what_it_parsed(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C (here: raised by the progress callback after the second batch) still stores the
    articles parsed so far, though writes are gathered; the next build adds only the rest."""
    from kg.build import build
    from kg.store import open_store

    monkeypatch.setattr("kg.build.WRITE_SECONDS", 3600.0)  # nothing written before the end

    feed = tmp_path / "feed.jsonl"
    write_corpus(feed, 40)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if done >= 32:
            raise KeyboardInterrupt

    store = open_store(str(tmp_path / "store"))
    try:
        with pytest.raises(KeyboardInterrupt):
            build([feed], store, advance=advance)
    finally:
        store.close()
    assert len(select(tmp_path / "store", ARTICLE_IDS)) == 32
    out = tmp_path / "out"
    again = kg("build", str(feed), "--out", str(out), "--store", str(tmp_path / "store"))
    assert "8 built, 32 unchanged" in summary(again), again.stderr


# ------------------------------------------------------------------------ bad inputs

#: Each bad input of the mixed run (relative to its folder; file:line for JSONL lines) and
#: the problem its one error line must name.
BAD = {
    "empty.txt": "empty file",
    "blank.txt": "empty file",
    "image.txt": "binary file",
    "legacy.txt": "not UTF-8",
    "boiler.txt": "no article text",
    "huge.txt": "over the parser's 1000000-character limit",
    "archive.jsonl": "binary file",
    "empty.jsonl": "empty file",
    "blank.jsonl": "empty file",
    "menu.html": "no article text",
    "mixed/blank.md": "empty file",
    "mixed/good.txt": "duplicate article id 'good'",
    "notes": "holds no",
    "emptydir": "holds no",
    "dangling.txt": "no such file",
    "missing.txt": "no such file",
    "feed.jsonl:2": "malformed line",
    "feed.jsonl:3": 'no "text"',
    "feed.jsonl:4": "lone surrogate",
    "feed.jsonl:5": '"title" is not a string',
}


@dataclass
class BadRun:
    done: subprocess.CompletedProcess[str]
    out: Path
    folder: Path


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory) -> BadRun:
    """One build over every kind of bad input mixed with good articles."""
    d = tmp_path_factory.mktemp("bad")
    good = short_seed()
    files: dict[str, bytes] = {
        "good.txt": good.encode(),
        "empty.txt": b"",
        "blank.txt": b"  \n\t\r\n   \n",
        "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        "legacy.txt": b"Berg said \x81\x8d\x8f\x90\x9d the bridge was closed.",
        "boiler.txt": b"READ MORE: Putin's reunion dream\n\nSource link\n",
        # Over spaCy's 1,000,000-character limit, well under kg.article.MAX_BYTES.
        "huge.txt": ("Huge\n\n" + "The army said it held the town. " * 32_000).encode(),
        "archive.jsonl": b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\n" * 50,
        "empty.jsonl": b"",
        "blank.jsonl": b"\n   \n\n",
        "menu.html": b"<html><head><title>Home</title></head><body><nav>Home</nav></body></html>",
        "mixed/inner.md": good.replace("July 2022", "June 2021").encode(),
        "mixed/blank.md": b"\n\n\n",
        "mixed/good.txt": good.encode(),  # the same id as ./good.txt
        "notes/readme.csv": b"a,b\n1,2\n",
    }
    for name, data in files.items():
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        (d / name).write_bytes(data)
    (d / "emptydir").mkdir()
    (d / "dangling.txt").symlink_to(d / "gone-for-good.txt")
    lines = [
        json.dumps({"id": "feed-1", "text": good.replace("July 2022", "May 2020")}),
        "{not json at all",
        json.dumps({"id": "feed-3", "title": "No body"}),
        '{"id": "feed-4", "text": "Officials said the \\ud800 bridge was closed."}',
        json.dumps({"id": "feed-5", "title": {"nested": 1}, "text": "Officials said so."}),
        json.dumps({"id": "odd-url", "url": "https://example.org/a[1]%zz",
                    "text": good.replace("July 2022", "April 2019")}),
    ]
    (d / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    inputs = ["good.txt", *(b.split(":")[0] for b in BAD if "/" not in b), "mixed"]
    out = d / "out"
    done = kg("build", *(str(d / n) for n in dict.fromkeys(inputs)), "--out", str(out))
    return BadRun(done, out, d)


def test_bad_inputs_exit_1_without_traceback(bad_run: BadRun) -> None:
    assert bad_run.done.returncode == 1, bad_run.done.stderr
    assert "Traceback" not in bad_run.done.stderr
    assert bad_run.done.stdout == ""


def test_bad_inputs_cost_one_line_each_and_nothing_else(bad_run: BadRun) -> None:
    errors = error_lines(bad_run.done.stderr)
    assert len(errors) == len(BAD), bad_run.done.stderr
    # Besides the error lines, stderr holds only the summary.
    assert len(bad_run.done.stderr.splitlines()) == len(errors) + 1, bad_run.done.stderr
    assert f"4 built, 0 unchanged, {len(errors)} failed" in summary(bad_run.done)


@pytest.mark.parametrize("bad", BAD)
def test_each_bad_input_is_named_once_with_its_problem(bad_run: BadRun, bad: str) -> None:
    problem = BAD[bad]
    prefix = f"kg: error: {bad_run.folder}/{bad}: "
    mine = [ln for ln in error_lines(bad_run.done.stderr) if ln.startswith(prefix)]
    assert len(mine) == 1, (prefix, bad_run.done.stderr)
    assert problem in mine[0], mine[0]


def test_good_articles_of_a_bad_batch_land(bad_run: BadRun) -> None:
    store = bad_run.out / "store"
    assert sorted(select(store, ARTICLE_IDS)) == ["feed-1", "good", "inner", "odd-url"]
    graphs = select(store, "SELECT ?g WHERE { GRAPH ?g { ?g a kg:Article } }")
    # A URL that is no valid IRI falls back to an IRI minted from the id.
    assert f"{ID}article/odd-url" in graphs
    assert len(select(store, STATEMENTS)) >= 3 * 4
    rapper(bad_run.out / "graph.ttl")


def test_only_bad_inputs_still_write_a_valid_empty_graph(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    done = kg("build", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "out"))
    assert done.returncode == 1
    assert len(error_lines(done.stderr)) == 1 and "Traceback" not in done.stderr
    assert "0 built, 0 unchanged, 1 failed" in summary(done)
    rapper(tmp_path / "out" / "graph.ttl")


# ------------------------------------------------------------------------ usage and --debug

@pytest.mark.parametrize("args", [
    pytest.param([], id="no-input"),
    pytest.param(["{seed}", "--bogus"], id="unknown-option"),
    pytest.param(["{seed}", "--jobs", "0"], id="jobs-out-of-range"),
    pytest.param(["{seed}", "--jobs", "many"], id="jobs-not-a-number"),
    pytest.param(["{seed}", "--out"], id="option-without-value"),
    pytest.param(["{seed}", "--executor", "bogus"], id="unknown-executor"),
])
def test_usage_errors_exit_2(args: list[str]) -> None:
    argv = [a.replace("{seed}", str(SEED)) for a in args]
    done = kg("build", *argv, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "Error:" in done.stderr and "Traceback" not in done.stderr


def test_unexpected_failure_is_one_line_unless_debug(tmp_path: Path) -> None:
    args = ["build", str(SEED), "--out", str(tmp_path / "out"), "--model", "no_such_model_kg"]
    done = kg(*args)
    assert done.returncode == 1
    line = one_line_error(done)
    assert "no_such_model_kg" in line and "not installed" in line
    debug = kg("--debug", *args)
    assert debug.returncode == 1
    assert "Traceback (most recent call last)" in debug.stderr


def test_relative_paths_and_default_out(tmp_path: Path) -> None:
    """`kg build seed.txt` from the article's folder writes ./outputs, as `make run` does."""
    shutil.copy(SEED, tmp_path / "seed.txt")
    env = {**os.environ, "COLUMNS": "120"}
    done = subprocess.run([KG, "build", "seed.txt"],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "outputs" / "graph.ttl").is_file()
    assert (tmp_path / "outputs" / "store" / "CURRENT").is_file()
