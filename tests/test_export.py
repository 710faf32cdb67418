"""Every export format reads back as the same graph, through pyoxigraph, rdflib and rapper,
hostile strings included; and the store's content satisfies the SHACL shapes."""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from pyoxigraph import NamedNode, Quad, RdfFormat, parse
from samples import HOSTILE, article, facts

from kg.export import ALL_FORMATS, compact, export
from kg.namespaces import KG, PREFIXES, RDF
from kg.store import Store, open_store
from kg.validate import validate

pytest_plugins = ["server_fixtures"]
PARSE = {"turtle": RdfFormat.TURTLE, "trig": RdfFormat.TRIG, "nt": RdfFormat.N_TRIPLES,
         "nq": RdfFormat.N_QUADS, "jsonld": RdfFormat.JSON_LD}
RDFLIB = {"turtle": "turtle", "trig": "trig", "nt": "nt", "nq": "nquads", "jsonld": "json-ld"}
BATCH = [article(facts("a1")), article(facts("a2", shared="Ukraine")),
         article(facts("h1", hostile=True))]


@pytest.fixture(scope="module", params=["local", "remote"])
def store(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    if request.param == "local":
        s = open_store(str(tmp_path_factory.mktemp("x") / "store"))
    else:
        s = open_store(request.getfixturevalue("oxigraph_server"))
        s._update("DROP ALL")  # type: ignore[attr-defined]  (other modules share the server)
    s.replace_articles(BATCH)
    yield s
    s.close()


def exported(store: Store, fmt: str) -> bytes:
    out = io.BytesIO()
    export(store, fmt, out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["trig", "nq", "jsonld"])
def test_dataset_formats_keep_every_graph(store: Store, fmt: str) -> None:
    back = set(parse(exported(store, fmt), PARSE[fmt]))
    assert back == set(store.quads())


@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_triple_formats_are_the_deduplicated_union(store: Store, fmt: str) -> None:
    data = exported(store, fmt)
    back = [q.triple for q in parse(data, PARSE[fmt])]
    assert set(back) == {q.triple for q in store.quads()}
    assert len(back) == len(set(back))


@pytest.mark.parametrize("fmt", list(RDFLIB))
def test_rdflib_reads_every_format(store: Store, fmt: str) -> None:
    data = exported(store, fmt)
    ds = rdflib.Dataset(default_union=True)
    ds.parse(data=data, format=RDFLIB[fmt])
    values = {str(o) for o in ds.objects(None, rdflib.URIRef(RDF + "value"))}
    assert HOSTILE in values


@pytest.mark.parametrize("fmt,syntax", [("turtle", "turtle"), ("nt", "ntriples"),
                                        ("trig", "trig"), ("nq", "nquads")])
def test_rapper_accepts_the_output(store: Store, tmp_path: Path, fmt: str, syntax: str) -> None:
    f = tmp_path / f"graph.{fmt}"
    f.write_bytes(exported(store, fmt))
    done = subprocess.run(["rapper", "-i", syntax, "-c", str(f)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "returned 0 " not in done.stderr


def test_jsonld_is_compacted_with_our_prefixes(store: Store) -> None:
    data = exported(store, "jsonld")
    doc = json.loads(data)
    assert doc["@context"] == PREFIXES
    text = data.decode()
    assert '"kg:claims"' in text and '"rdfs:label"' in text
    assert KG + "claims" not in text
    assert len(data) < len(exported(store, "nq"))


def test_compact_never_makes_an_absolute_looking_name() -> None:
    assert compact(KG + "claims") == "kg:claims"
    assert compact(KG + "//x") == KG + "//x"
    assert compact("http://example.org/x") == "http://example.org/x"


def test_graphml_is_the_graph_projection_flattened(store: Store) -> None:
    g = nx.read_graphml(io.BytesIO(exported(store, "graphml")))
    relations = {d["relation"] for _, _, d in g.edges(data=True)}
    assert {"claims", "refuses", "controlledBy"} <= relations
    russia = g.nodes["https://w3id.org/kg/id/Russia"]
    assert russia["label"] == "Russia" and russia["class"] == "Country"
    assert "the Russian Federation" in russia["aliases"]  # a list, joined
    assert russia["articles"].count("|") == 1  # two articles
    texts = [d.get("text", "") for _, _, d in g.edges(data=True)]
    assert any("\ufffd" in t and "😀" in t for t in texts)  # \x01 cannot be XML; emoji can


def test_unknown_format(store: Store) -> None:
    with pytest.raises(ValueError, match="graphml"):
        export(store, "rdfxml", io.BytesIO())
    assert "graphml" in ALL_FORMATS


# -- SHACL


def test_store_conforms_to_the_shapes(store: Store) -> None:
    verdict = validate(store)
    assert verdict.conforms, verdict.report
    assert verdict.triples > 100


def _broken(tmp_path: Path, extra: list[tuple], action: str = "fight") -> Store:
    f = facts("a1")
    f.refusals = [replace(r, action=action) for r in f.refusals]
    g, quads = article(f)
    s = open_store(str(tmp_path / "broken"))
    s.replace_articles([(g, quads + [Quad(*q, g) for q in extra])])
    return s


ID = "https://w3id.org/kg/id/"


@pytest.mark.parametrize("what,extra,action,expect", [
    ("unknown action", [], "dance", "InConstraintComponent"),
    ("statement without claimant",
     [(NamedNode(ID + "statement/y"), NamedNode(RDF + "type"), NamedNode(KG + "Statement"))],
     "fight", "Result Path: [ sh:inversePath kg:claims ]"),
    ("a person controlled",
     [(NamedNode(ID + "Spokesman"), NamedNode(KG + "controlledBy"), NamedNode(ID + "Russia"))],
     "fight", "ClassConstraintComponent"),
    ("unlabelled entity",
     [(NamedNode(ID + "Nobody"), NamedNode(KG + "mentionedIn"), NamedNode(ID + "article/a1"))],
     "fight", "Result Path: rdfs:label"),
])
def test_shapes_catch_violations(tmp_path: Path, what: str, extra: list[tuple], action: str,
                                 expect: str) -> None:
    s = _broken(tmp_path, extra, action)
    try:
        verdict = validate(s)
    finally:
        s.close()
    assert not verdict.conforms, what
    assert verdict.violations >= 1
    assert expect in verdict.report, verdict.report
