"""Query output for people (the table) and for programs (CSV, TSV, JSON), plus the shipped
queries, which must run as they are and find the facts they are named after."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results
from samples import HOSTILE, article, facts

from kg.query import QueryError, read_query, run_query, width_of
from kg.resources import path as data_path
from kg.store import Store, open_store

pytest_plugins = ["server_fixtures"]
QUERIES = sorted(data_path("queries").glob("*.rq"))
SELECT = "SELECT ?name ?class WHERE { ?e rdfs:label ?name ; a ?class } ORDER BY ?name"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = open_store(str(tmp_path_factory.mktemp("q") / "store"))
    s.replace_articles([article(facts("a1")), article(facts("a2", shared="Ukraine")),
                        article(facts("h1", hostile=True))])
    yield s
    s.close()


def run(store: Store, text: str, fmt: str = "table", width: int = 100) -> str:
    out = io.BytesIO()
    run_query(store, text, fmt, out, width=width)
    return out.getvalue().decode()


def test_table_is_aligned_and_fits_the_width(store: Store) -> None:
    text = run(store, "SELECT ?s ?v WHERE { ?s rdf:value ?v }", width=60)
    lines = text.splitlines()
    assert lines[0].split() == ["s", "v"]
    assert set(lines[1]) <= {"─", " "}
    assert all(width_of(line) <= 60 for line in lines)
    assert any(line.rstrip().endswith("…") for line in lines[2:])
    assert lines[-1].endswith("rows)")


def test_table_neutralises_hostile_text(store: Store) -> None:
    text = run(store, "SELECT ?v WHERE { ?s rdf:value ?v }", width=400)
    assert "\x1b" not in text and "\u202e" not in text and "\x01" not in text
    assert "\\u202e" in text and "↵" in text
    assert len(text.splitlines()) == 2 + 6 + 1  # header, rule, one row per statement, count


def test_table_uses_prefixed_names(store: Store) -> None:
    text = run(store, SELECT)
    assert "kg:Country" in text and "https://w3id.org/kg/ns#" not in text


def test_csv(store: Store) -> None:
    rows = list(csv.reader(io.StringIO(run(store, SELECT, "csv"))))
    assert rows[0] == ["name", "class"]
    assert ["Russia", "https://w3id.org/kg/ns#Country"] in rows


def test_tsv(store: Store) -> None:
    lines = run(store, SELECT, "tsv").splitlines()
    assert lines[0] == "?name\t?class"
    assert '"Russia"\t<https://w3id.org/kg/ns#Country>' in lines


def test_json_is_sparql_results_json(store: Store) -> None:
    text = run(store, "SELECT ?v WHERE { ?s rdf:value ?v }", "json")
    doc = json.loads(text)
    assert doc["head"]["vars"] == ["v"]
    assert HOSTILE in {b["v"]["value"] for b in doc["results"]["bindings"]}
    assert len(list(parse_query_results(text.encode(), QueryResultsFormat.JSON))) == 6


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_ask(store: Store, fmt: str) -> None:
    text = run(store, "ASK { ?s a kg:Deployment }", fmt)
    assert "true" in text


@pytest.mark.parametrize("form", ["CONSTRUCT { ?s a kg:Article } WHERE { ?s a kg:Article }",
                                  "DESCRIBE kgid:Russia"])
def test_construct_and_describe_print_turtle(store: Store, form: str) -> None:
    text = run(store, form)
    assert "@prefix kg:" in text
    assert len(list(parse(text.encode(), RdfFormat.TURTLE))) >= 3


def test_syntax_error_is_one_line_with_position(store: Store) -> None:
    with pytest.raises(QueryError) as e:
        run(store, "SELECT ?s\nWHERE { ?s ?p }")
    assert e.value.syntax
    msg = str(e.value)
    assert msg.startswith("SPARQL syntax error at line 2 column ")
    assert "\n" not in msg


def test_undeclared_prefix_is_named_plainly(store: Store) -> None:
    with pytest.raises(QueryError, match=r"^SPARQL syntax error at line 1 column \d+: "
                                         r"undeclared prefix$"):
        run(store, "SELECT * WHERE { ?s nope:x ?o }")


def test_timeout_is_a_query_error(store: Store) -> None:
    heavy = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
             "VALUES ?x { 1 2 } }")
    with pytest.raises(QueryError, match="stopped") as e:
        run_query(store, heavy, "table", io.BytesIO(), timeout=0.05)
    assert not e.value.syntax


def test_read_query_finds_files_and_shipped_names(tmp_path: Path) -> None:
    q = tmp_path / "mine.rq"
    q.write_text("ASK {}")
    assert read_query(str(q)) == "ASK {}"
    assert read_query("refusals").startswith("# ")
    assert read_query("refusals.rq") == read_query("refusals")
    assert read_query("ASK { ?s ?p ?o }") == "ASK { ?s ?p ?o }"
    with pytest.raises(QueryError, match="no such query file"):
        read_query(str(tmp_path / "missing.rq"))


def test_there_are_shipped_queries() -> None:
    names = {q.name for q in QUERIES}
    assert {"who-claimed-what.rq", "refusals.rq", "control.rq", "entity-aliases.rq",
            "articles.rq"} <= names


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.stem)
def test_shipped_query_opens_with_what_it_answers(query: Path) -> None:
    first = query.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ") and len(first) > 20


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.stem)
def test_shipped_query_finds_rows(store: Store, query: Path) -> None:
    doc = json.loads(run(store, read_query(str(query)), "json"))
    assert doc["results"]["bindings"], f"{query.name} found nothing"


def test_shipped_queries_answer_their_questions(store: Store) -> None:
    claims = json.loads(run(store, read_query("who-claimed-what"), "json"))
    stances = {(b["claimant"]["value"], b["stance"]["value"])
               for b in claims["results"]["bindings"]}
    assert ("officials", "denies") in stances and ("Ministry spokesman", "asserts") in stances
    control = json.loads(run(store, read_query("control"), "json"))["results"]["bindings"]
    assert {(b["place"]["value"], b["controller"]["value"]) for b in control} == {
        ("Luhansk Oblast", "Russia"), ("Luhansk Oblast", "Ukraine")}
    refusals = json.loads(run(store, read_query("refusals"), "json"))["results"]["bindings"]
    assert {(b["actor"]["value"], b["action"]["value"], b["place"]["value"])
            for b in refusals} == {("LPR unit", "fight", "Donetsk Oblast")}


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.stem)
def test_shipped_query_runs_on_a_server(empty_server: str, query: Path) -> None:
    remote = open_store(empty_server)
    remote.replace_articles([article(facts("a1"))])
    doc = json.loads(run(remote, read_query(str(query)), "json"))
    assert doc["results"]["bindings"]
