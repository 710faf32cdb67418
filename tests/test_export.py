"""Every export format reads back as the same graph, through pyoxigraph, rdflib and rapper,
hostile strings included; the Turtle is grouped, prefixed and byte-stable; and the export alone
satisfies the SHACL shapes in pyshacl, with no ontology graph."""

from __future__ import annotations

import io
import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from build_fixtures import SEED, kg
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, parse
from rdflib.collection import Collection
from samples import HOSTILE, article, facts

from kg.export import ALL_FORMATS, EXPORT_PREFIXES, compact, export, union
from kg.namespaces import ID, KG, RDF
from kg.store import Store, open_store
from kg.validate import validate

pytest_plugins = ["server_fixtures"]
PARSE = {"turtle": RdfFormat.TURTLE, "trig": RdfFormat.TRIG, "nt": RdfFormat.N_TRIPLES,
         "nq": RdfFormat.N_QUADS, "jsonld": RdfFormat.JSON_LD,
         "jsonld-dataset": RdfFormat.JSON_LD}
RDFLIB = {"turtle": "turtle", "trig": "trig", "nt": "nt", "nq": "nquads", "jsonld": "json-ld",
          "jsonld-dataset": "json-ld"}
UNION_FORMATS = ["turtle", "nt", "jsonld"]
ROOT = Path(__file__).resolve().parent.parent
SHAPES = ROOT / "ontologies" / "shapes.ttl"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
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


@pytest.mark.parametrize("fmt", ["trig", "nq", "jsonld-dataset"])
def test_dataset_formats_keep_every_graph(store: Store, fmt: str) -> None:
    back = set(parse(exported(store, fmt), PARSE[fmt]))
    assert back == set(store.quads())


@pytest.mark.parametrize("fmt", UNION_FORMATS)
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


@pytest.mark.parametrize("fmt", ["jsonld", "jsonld-dataset"])
def test_jsonld_is_compacted_with_our_prefixes(store: Store, fmt: str) -> None:
    data = exported(store, fmt)
    doc = json.loads(data)
    assert doc["@context"] == EXPORT_PREFIXES
    text = data.decode()
    assert '"kg:claims"' in text and '"rdfs:label"' in text and '"statement:' in text
    assert KG + "claims" not in text
    assert len(data) < len(exported(store, "nq"))


def test_jsonld_loads_into_a_plain_graph_as_the_turtle_does(store: Store) -> None:
    """Users parse JSON-LD into rdflib.Graph, which keeps only the default graph."""
    ttl = rdflib.Graph().parse(data=exported(store, "turtle"), format="turtle")
    plain = rdflib.Graph().parse(data=exported(store, "jsonld"), format="json-ld")
    named = rdflib.Graph().parse(data=exported(store, "jsonld-dataset"), format="json-ld")
    assert len(plain) == len(ttl) > 100
    assert set(plain) == set(ttl)
    assert len(named) == 0  # the dataset form is for Dataset/ConjunctiveGraph readers


def test_union_is_the_same_whatever_the_page_size(store: Store) -> None:
    assert list(union(store, page_quads=7)) == list(union(store))


def test_union_keeps_blank_nodes_from_other_tools(tmp_path: Path) -> None:
    """kg mints none, but a store filled by other tools may hold some: none is dropped."""
    g, quads = article(facts("a1"))
    extra = [Quad(BlankNode("b1"), NamedNode(RDF + "value"), Literal("x"), g),
             Quad(BlankNode("b1"), NamedNode(KG + "about"), NamedNode(ID + "Russia"), g)]
    with open_store(str(tmp_path / "s")) as s:
        s.replace_articles([(g, quads + extra)])
        want = len({q.triple for q in s.quads()})
        for fmt in UNION_FORMATS:
            assert len(rdflib.Graph().parse(data=exported(s, fmt), format=RDFLIB[fmt])) == want

def test_turtle_is_byte_identical_between_exports_and_stores(store: Store,
                                                            tmp_path: Path) -> None:
    """The order comes from the IRIs, not from the store: two exports of one store, and
    exports of two stores (embedded and server) holding the same quads, are the same bytes."""
    first = exported(store, "turtle")
    assert exported(store, "turtle") == first
    with open_store(str(tmp_path / "other")) as other:
        other.replace_articles(reversed(BATCH))
        assert exported(other, "turtle") == first
        assert exported(other, "jsonld") == exported(store, "jsonld")


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


def shacl(data: bytes, fmt: str = "turtle") -> tuple[bool, str]:
    """pyshacl over an export with the shipped shapes alone: no ontology graph, no inference."""
    from pyshacl import validate as pyshacl_validate

    conforms, _, text = pyshacl_validate(
        rdflib.Graph().parse(data=data, format=fmt),
        shacl_graph=rdflib.Graph().parse(SHAPES, format="turtle"),
        ont_graph=None, inference="none", abort_on_first=False)
    return bool(conforms), str(text)


@pytest.mark.parametrize("fmt", UNION_FORMATS)
def test_export_alone_conforms_to_the_shapes(store: Store, fmt: str) -> None:
    conforms, report = shacl(exported(store, fmt), RDFLIB[fmt])
    assert conforms, report


def _closure(onto: rdflib.Graph, cls: rdflib.URIRef) -> set[rdflib.URIRef]:
    return set(onto.transitive_subjects(rdflib.RDFS.subClassOf, cls))


@pytest.mark.parametrize("name", ["Entity", "Actor", "Place"])
def test_shape_class_lists_match_the_ontology(name: str) -> None:
    """The shapes list concrete classes so data validates without inference; the lists must
    stay the subclass closure that kg.ttl declares."""
    onto = rdflib.Graph().parse(ROOT / "ontologies" / "kg.ttl", format="turtle")
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    kg_ns = rdflib.Namespace(KG)
    shape = rdflib.URIRef("https://w3id.org/kg/shapes#" + name)
    members = Collection(shapes, shapes.value(shape, SH["or"]))
    listed = {shapes.value(m, SH["class"]) for m in members}
    assert listed == _closure(onto, kg_ns[name])


def test_no_constraint_relies_on_subclass_inference() -> None:
    """Outside the three class lists, sh:class names only classes without subclasses."""
    onto = rdflib.Graph().parse(ROOT / "ontologies" / "kg.ttl", format="turtle")
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    superclasses = set(onto.objects(None, rdflib.RDFS.subClassOf))
    in_lists = {m for n in ("Entity", "Actor", "Place")
                for m in Collection(shapes, shapes.value(
                    rdflib.URIRef("https://w3id.org/kg/shapes#" + n), SH["or"]))}
    elsewhere = {c for s, c in shapes.subject_objects(SH["class"]) if s not in in_lists}
    assert elsewhere and not elsewhere & superclasses



def _broken(tmp_path: Path, extra: list[tuple], action: str = "fight") -> Store:
    f = facts("a1")
    f.refusals = [replace(r, action=action) for r in f.refusals]
    g, quads = article(f)
    s = open_store(str(tmp_path / "broken"))
    s.replace_articles([(g, quads + [Quad(*q, g) for q in extra])])
    return s


@pytest.mark.parametrize("what,extra,action,expect", [
    ("unknown action", [], "dance", "InConstraintComponent"),
    ("statement without claimant",
     [(NamedNode(ID + "statement/y"), NamedNode(RDF + "type"), NamedNode(KG + "Statement"))],
     "fight", "Result Path: [ sh:inversePath kg:claims ]"),
    ("a person controlled",
     [(NamedNode(ID + "Spokesman"), NamedNode(KG + "controlledBy"), NamedNode(ID + "Russia"))],
     "fight", "NodeConstraintComponent"),
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


# -- a real build of the seed article, read by tools other than kg


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed")
    done = kg("build", str(SEED), "--out", str(out))
    assert done.returncode == 0, done.stderr
    for fmt in [*UNION_FORMATS, "trig", "nq", "jsonld-dataset"]:
        done = kg("export", "--store", str(out / "store"), "--format", fmt,
                  "-o", str(out / f"export.{fmt}"))
        assert done.returncode == 0, done.stderr
    return out


def rapper_count(path: Path, syntax: str) -> int:
    done = subprocess.run(["rapper", "-i", syntax, "-c", str(path)], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert "rapper: Error" not in done.stderr and "Warning" not in done.stderr, done.stderr
    found = re.search(r"returned (\d+) (?:triples|statements)", done.stderr)
    assert found, done.stderr
    return int(found.group(1))


def test_seed_exports_hold_the_same_triples_in_every_tool(seed_build: Path) -> None:
    graph_ttl = seed_build / "graph.ttl"
    ttl = rdflib.Graph().parse(graph_ttl, format="turtle")
    counts = {
        "rdflib graph.ttl": len(ttl),
        "pyoxigraph graph.ttl": len(list(parse(path=str(graph_ttl),
                                               format=RdfFormat.TURTLE))),
        "rapper graph.ttl": rapper_count(graph_ttl, "turtle"),
        "rapper nt": rapper_count(seed_build / "export.nt", "ntriples"),
        "rdflib jsonld": len(rdflib.Graph().parse(seed_build / "export.jsonld",
                                                  format="json-ld")),
        "rdflib nt": len(rdflib.Graph().parse(seed_build / "export.nt", format="nt")),
    }
    assert len(set(counts.values())) == 1 and len(ttl) > 200, counts
    union = rdflib.Graph().parse(seed_build / "export.jsonld", format="json-ld")
    assert set(union) == set(ttl)
    for fmt in ("trig", "nq", "jsonld-dataset"):  # every article graph, and the same union
        ds = rdflib.Dataset(default_union=True)
        ds.parse(seed_build / f"export.{fmt}", format=RDFLIB[fmt])
        assert set(ds.triples((None, None, None))) == set(ttl), fmt
    assert rapper_count(seed_build / "export.trig", "trig") > len(ttl)


def test_build_turtle_is_the_export_and_stable(seed_build: Path) -> None:
    ttl = (seed_build / "graph.ttl").read_bytes()
    assert (seed_build / "export.turtle").read_bytes() == ttl
    again = kg("export", "--store", str(seed_build / "store"))
    assert again.returncode == 0, again.stderr
    assert again.stdout.encode() == ttl


def test_build_turtle_reads_well(seed_build: Path) -> None:
    """Each subject once, rdf:type first, and a prefix per IRI family so no local name needs
    an escaped slash."""
    text = (seed_build / "graph.ttl").read_text(encoding="utf-8")
    assert "\\/" not in text
    for family in ("article", "statement", "deployment", "control"):
        assert f"@prefix {family}: <https://w3id.org/kg/id/{family}/> ." in text
    blocks = [b for b in re.split(r"\n(?=[^\s@])", text) if not b.startswith("@prefix")]
    subjects = [b.split(" ", 1)[0] for b in blocks]
    assert len(subjects) == len(set(subjects)) == len(set(
        rdflib.Graph().parse(data=text, format="turtle").subjects()))
    assert all(b.split(" ", 2)[1] == "a" for b in blocks), [b[:80] for b in blocks]
    assert subjects[0].startswith("article:") and subjects[1].startswith("statement:")
    assert any(s.startswith("kgid:") for s in subjects)


def test_build_turtle_alone_conforms_to_the_shapes(seed_build: Path) -> None:
    conforms, report = shacl((seed_build / "graph.ttl").read_bytes())
    assert conforms, report
    done = kg("validate", "--store", str(seed_build / "store"))
    assert done.returncode == 0, done.stderr
