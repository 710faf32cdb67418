"""The store-facing commands as a user runs them: `kg query`, `export`, `stats`, `validate`,
`serve`, each in its own process, with exit codes and one-line errors checked."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse
from samples import article, facts

from kg.store.local import LocalStore

pytest_plugins = ["server_fixtures"]
KG = str(Path(sys.executable).parent / "kg")
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def kg(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "120"}
    return subprocess.run([KG, *args], capture_output=True, text=True, timeout=timeout, env=env)


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("kg: error: ")
    return lines[0]


@pytest.fixture(scope="module")
def location(tmp_path_factory: pytest.TempPathFactory) -> str:
    where = str(tmp_path_factory.mktemp("cli") / "store")
    with LocalStore(where) as s:
        s.replace_articles([article(facts("a1")), article(facts("a2", shared="Ukraine")),
                            article(facts("h1", hostile=True))])
    return where


def test_query_table(location: str) -> None:
    done = kg("query", "--store", location, "who-claimed-what")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:2] == ["claimant", "stance"]
    assert all(len(line) <= 120 for line in lines)
    assert "Ministry spokesman" in done.stdout


def test_query_from_a_file(location: str, tmp_path: Path) -> None:
    q = tmp_path / "count.rq"
    q.write_text("# How many articles?\nSELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Article }\n")
    done = kg("query", "--store", location, "--format", "csv", str(q))
    assert done.returncode == 0, done.stderr
    assert list(csv.reader(io.StringIO(done.stdout))) == [["n"], ["3"]]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_query_formats(location: str, fmt: str) -> None:
    done = kg("query", "--store", location, "--format", fmt, "control")
    assert done.returncode == 0, done.stderr
    if fmt == "json":
        assert len(json.loads(done.stdout)["results"]["bindings"]) == 3
    elif fmt == "csv":  # a quoted CSV field may hold line breaks
        assert len(list(csv.reader(io.StringIO(done.stdout)))) == 1 + 3
    else:  # TSV escapes them
        assert len(done.stdout.strip().split("\n")) == 1 + 3


def test_query_ask_and_construct(location: str) -> None:
    assert kg("query", "--store", location, "ASK { ?s a kg:Article }").stdout == "true\n"
    done = kg("query", "--store", location, "CONSTRUCT WHERE { ?s a kg:Article }")
    assert done.returncode == 0, done.stderr
    assert len(list(parse(done.stdout.encode(), RdfFormat.TURTLE))) == 3


def test_query_syntax_error_is_one_line_and_exit_2(location: str) -> None:
    done = kg("query", "--store", location, "SELECT ?s WHERE {\n  ?s ?p\n}")
    assert done.returncode == 2
    line = one_line_error(done)
    assert re.search(r"SPARQL syntax error at line 3 column \d+: \S", line)


def test_query_on_missing_store(tmp_path: Path) -> None:
    done = kg("query", "--store", str(tmp_path / "none"), "ASK {}")
    assert done.returncode == 1
    assert "no store here" in one_line_error(done)


def test_query_missing_file(location: str) -> None:
    done = kg("query", "--store", location, "nope.rq")
    assert done.returncode == 1
    assert "no such query file" in one_line_error(done)


def test_query_timeout(location: str) -> None:
    done = kg("query", "--store", location, "--timeout", "0.5", HEAVY, timeout=60)
    assert done.returncode == 1
    assert "stopped after 0.5 s" in one_line_error(done)


def test_query_against_a_server(empty_server: str) -> None:
    from kg.store import open_store

    open_store(empty_server).replace_articles([article(facts("a1"))])
    done = kg("query", "--store", empty_server, "--format", "json", "refusals")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["results"]["bindings"][0]["action"]["value"] == "fight"
    bad = kg("query", "--store", empty_server, "SELECT ?s WHERE { ?s }")
    assert bad.returncode == 2 and "SPARQL syntax error at line 1" in one_line_error(bad)


def test_unreachable_server_is_one_line() -> None:
    done = kg("query", "--store", "http://127.0.0.1:9", "ASK {}")
    assert done.returncode == 1
    assert "cannot reach" in one_line_error(done)


def test_export_turtle_passes_rapper(location: str, tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    done = kg("export", "--store", location, "-o", str(out))
    assert done.returncode == 0, done.stderr
    check = subprocess.run(["rapper", "-i", "turtle", "-c", str(out)], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize("fmt", ["trig", "nq", "nt", "jsonld", "graphml"])
def test_export_to_stdout(location: str, fmt: str) -> None:
    done = kg("export", "--store", location, "--format", fmt)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout) > 1000


def test_stats(location: str) -> None:
    done = kg("stats", "--store", location)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("articles  3\n")
    assert "kg:claims" in done.stdout and "top actors" in done.stdout
    assert "Country" in done.stdout


def test_validate(location: str, tmp_path: Path) -> None:
    done = kg("validate", "--store", location)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1 and "conforms" in done.stdout
    f = facts("bad")
    f.claims[0] = replace(f.claims[0], claimant="Luhansk")  # a region cannot claim
    with LocalStore(str(tmp_path / "bad")) as s:
        s.replace_articles([article(f)])
    bad = kg("validate", "--store", str(tmp_path / "bad"))
    assert bad.returncode == 1
    assert "does not conform" in bad.stdout.splitlines()[-1]
    assert "kg:claims" in bad.stdout


def test_second_writer_is_refused_with_one_line(tmp_path: Path) -> None:
    where = str(tmp_path / "locked")
    seed = tmp_path / "a.txt"
    seed.write_text("Officials said the bridge was closed.\n")
    with LocalStore(where) as holder:
        holder.replace_articles([article(facts("a1"))])
        for args in (["build", str(seed), "--store", where, "--out", str(tmp_path / "o")],
                     ["serve", "--store", where, "--allow-updates"]):
            done = kg(*args)
            assert done.returncode == 1, done.stderr
            assert "locked by another kg process" in one_line_error(done)
        reader = kg("query", "--store", where, "ASK { ?s a kg:Article }")
        assert reader.returncode == 0, reader.stderr
        assert reader.stdout == "true\n"


@pytest.fixture
def served(location: str, start_server: Callable[[list[str]], str]) -> str:
    return start_server([KG, "serve", "--store", location, "--bind", "127.0.0.1:{port}"])


def test_serve_answers_queries_over_the_union_and_refuses_updates(served: str) -> None:
    from kg.store import open_store

    remote = open_store(served + "#union=server", read_only=True)
    (row,) = remote.query("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }")
    assert row[0].value == "3"
    req = urllib.request.Request(served + "/update", data=b"DROP ALL", method="POST",
                                 headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=10)
    assert e.value.code in (403, 405)


def test_serve_on_missing_store(tmp_path: Path) -> None:
    done = kg("serve", "--store", str(tmp_path / "none"))
    assert done.returncode == 1
    assert "no store here" in one_line_error(done)
