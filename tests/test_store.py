"""Both back-ends keep the same promises: whole-article replacement, idempotent rebuilds,
hashes for skipping, pyoxigraph result types, and the union default graph."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import (
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
)
from pyoxigraph import Store as OxStore
from samples import HOSTILE, article, facts

from kg.store import QueryTimeout, Store, StoreError, as_rdflib, open_store
from kg.store.local import LocalStore
from kg.store.remote import STAGE, RemoteStore

pytest_plugins = ["server_fixtures"]
HEAVY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
         "VALUES ?x { 1 2 3 4 5 6 } }")


def stored(quads: list[Quad]) -> set[Quad]:
    """Quads as a store keeps them: Oxigraph stores integer subtypes as xsd:integer."""
    mem = OxStore()
    mem.extend(quads)
    return set(mem)


@pytest.fixture(params=["local", "remote"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "local":
        s = open_store(str(tmp_path / "store"))
    else:
        s = open_store(request.getfixturevalue("empty_server"))
    yield s
    s.close()


def graph_quads(store: Store, graph: NamedNode) -> set[Quad]:
    return {q for q in store.quads() if q.graph_name == graph}


def test_replace_puts_each_article_in_its_own_graph(store: Store) -> None:
    g1, q1 = article(facts("a1"))
    g2, q2 = article(facts("a2"))
    store.replace_articles([(g1, q1), (g2, q2)])
    assert graph_quads(store, g1) == stored(q1)
    assert graph_quads(store, g2) == stored(q2)


def test_quads_by_subject_and_predicate(store: Store) -> None:
    g1, q1 = article(facts("a1"))
    g2, q2 = article(facts("a2"))
    store.replace_articles([(g1, q1), (g2, q2)])
    every = set(store.quads())
    subjects = {q.subject.value for q in list(every)[:3]} | {"http://absent.example/x"}
    predicates = {q.predicate.value for q in list(every)[:2]}
    assert set(store.quads(subjects=subjects)) == \
        {q for q in every if q.subject.value in subjects}
    assert set(store.quads(predicates=predicates)) == \
        {q for q in every if q.predicate.value in predicates}
    assert set(store.quads(subjects=subjects, predicates=predicates)) == \
        {q for q in every if q.subject.value in subjects and q.predicate.value in predicates}
    assert list(store.quads(subjects=set())) == []


def test_rebuild_is_idempotent(store: Store) -> None:
    g, quads = article(facts("a1"))
    store.replace_articles([(g, quads)])
    first = set(store.quads())
    store.replace_articles([(g, quads)])
    assert set(store.quads()) == first


def test_revision_replaces_old_facts(store: Store) -> None:
    old, new = facts("a1", revision=1), facts("a1", revision=2)
    store.replace_articles([article(old)])
    store.replace_articles([article(new)])
    g, quads = article(new)
    assert graph_quads(store, g) == stored(quads)
    assert store.article_hash(g) == new.article.sha256 != old.article.sha256
    texts = {str(row[0].value) for row in store.query("SELECT ?t WHERE { ?s rdf:value ?t }")}
    assert not any("revision 1" in t for t in texts)
    assert any("revision 2" in t for t in texts)


def test_article_hash(store: Store) -> None:
    f = facts("a1")
    g, quads = article(f)
    assert store.article_hash(g) is None
    store.replace_articles([(g, quads)])
    assert store.article_hash(g) == f.article.sha256


def test_article_hash_with_hostile_id(store: Store) -> None:
    f = facts('x"> } ; DROP ALL ; <y \u202e😀\n')
    g, quads = article(f)
    store.replace_articles([(g, quads)])
    assert store.article_hash(g) == f.article.sha256
    assert len(list(store.quads())) == len(stored(quads))


def test_query_result_types(store: Store) -> None:
    store.replace_articles([article(facts("a1"))])
    assert isinstance(store.query("SELECT ?s WHERE { ?s a kg:Article }"), QuerySolutions)
    ask = store.query("ASK { ?s a kg:Statement }")
    assert isinstance(ask, QueryBoolean) and bool(ask)
    triples = store.query("CONSTRUCT { ?s a kg:Article } WHERE { ?s a kg:Article }")
    assert isinstance(triples, QueryTriples) and len(list(triples)) == 1
    described = store.query("DESCRIBE ?s WHERE { ?s a kg:Article }")
    assert isinstance(described, QueryTriples)


def test_union_default_graph(store: Store) -> None:
    store.replace_articles([article(facts("a1")), article(facts("a2"))])
    rows = list(store.query(
        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { kgid:Russia kg:mentionedIn ?a }"))
    assert rows[0][0].value == "2"


def test_syntax_error_is_a_syntax_error(store: Store) -> None:
    with pytest.raises(SyntaxError, match="1:"):
        store.query("SELECT ?s WHERE { ?s ?p }")


def test_hostile_strings_survive(store: Store) -> None:
    g, quads = article(facts("h1", hostile=True))
    store.replace_articles([(g, quads)])
    assert graph_quads(store, g) == stored(quads)
    values = {row[0].value for row in store.query("SELECT ?v WHERE { ?s rdf:value ?v }")}
    assert HOSTILE in values


def test_dump_triples_are_deduplicated(store: Store) -> None:
    store.replace_articles([article(facts("a1")), article(facts("a2"))])
    out = io.BytesIO()
    store.dump(out, RdfFormat.N_TRIPLES)
    lines = out.getvalue().decode().splitlines()
    assert len(lines) == len(set(lines))
    russia = [x for x in lines if x.startswith("<https://w3id.org/kg/id/Russia> "
                                               "<http://www.w3.org/2000/01/rdf-schema#label>")]
    assert len(russia) == 1
    quads = io.BytesIO()
    store.dump(quads, RdfFormat.N_QUADS)
    assert quads.getvalue().count(b"/Russia> <http://www.w3.org/2000/01/rdf-schema#label>") == 2


def test_timeout(store: Store) -> None:
    store.replace_articles([article(facts("a1"))])
    with pytest.raises(QueryTimeout, match="stopped|no answer"):
        list(store.query(HEAVY, timeout=0.2))  # type: ignore[arg-type]


def test_query_with_time_to_spare_returns_the_same_types(store: Store) -> None:
    store.replace_articles([article(facts("a1"))])
    rows = store.query("SELECT ?s WHERE { ?s a kg:Article }", timeout=30)
    assert isinstance(rows, QuerySolutions) and len(list(rows)) == 1
    ask = store.query("ASK { ?s a kg:Article }", timeout=30)
    assert isinstance(ask, QueryBoolean) and bool(ask)
    triples = store.query("CONSTRUCT WHERE { ?s a kg:Article }", timeout=30)
    assert isinstance(triples, QueryTriples) and len(list(triples)) == 1


# -- local only


def test_failed_write_leaves_article_absent_not_half(tmp_path: Path) -> None:
    with LocalStore(str(tmp_path / "s")) as s:
        g, quads = article(facts("a1", revision=1))
        s.replace_articles([(g, quads)])
        _, new = article(facts("a1", revision=2))
        with pytest.raises(TypeError):
            s.replace_articles([(g, [*new, "not a quad"])])  # type: ignore[list-item]
        assert graph_quads(s, g) == set()
        assert s.article_hash(g) is None


def test_killed_writer_leaves_each_article_whole_or_absent(tmp_path: Path) -> None:
    where = str(tmp_path / "s")
    writer = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from samples import article, facts
        from kg.store.local import LocalStore
        store = LocalStore({where!r})
        revisions = [[article(facts(f"a{{i}}", revision=r)) for i in range(40)] for r in (1, 2)]
        store.replace_articles(revisions[0])
        print("ready", flush=True)
        n = 1
        while True:
            store.replace_articles(revisions[n % 2])
            n += 1
    """)
    proc = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    time.sleep(1.0)  # let it get well into rewriting, then pull the plug mid-write
    proc.kill()
    proc.wait()
    with LocalStore(where) as s:
        for i in range(40):
            versions = [article(facts(f"a{i}", revision=r)) for r in (1, 2)]
            got = graph_quads(s, versions[0][0])
            assert got in (set(), stored(versions[0][1]), stored(versions[1][1])), i


def test_large_batches_split_at_article_boundaries(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.store import local

    monkeypatch.setattr(local, "MAX_INGEST", 40)
    monkeypatch.setattr(local, "SMALL_WRITE", 1)
    batch = [article(facts(f"a{i}")) for i in range(5)]
    with LocalStore(str(tmp_path / "s")) as s:
        s.replace_articles(batch)
        for g, quads in batch:
            assert graph_quads(s, g) == stored(quads)


def test_second_writer_gets_one_clear_line(tmp_path: Path) -> None:
    with LocalStore(str(tmp_path / "s")):
        with pytest.raises(StoreError) as e:
            LocalStore(str(tmp_path / "s"))
    msg = str(e.value)
    assert "\n" not in msg and "locked by another kg process" in msg


def test_reader_beside_writer(tmp_path: Path) -> None:
    with LocalStore(str(tmp_path / "s")) as w:
        w.replace_articles([article(facts("a1"))])
        with LocalStore(str(tmp_path / "s"), read_only=True) as r:
            assert bool(r.query("ASK { ?s a kg:Article }"))


def test_missing_store_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here"):
        open_store(str(tmp_path / "nope"), read_only=True)


def test_refuses_a_folder_of_other_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a kg store"):
        open_store(str(tmp_path))


def test_as_rdflib_is_a_view_over_the_store(tmp_path: Path) -> None:
    with LocalStore(str(tmp_path / "s")) as s:
        s.replace_articles([article(facts("a1")), article(facts("a2"))])
    ds = as_rdflib(tmp_path / "s")
    rows = list(ds.query("SELECT DISTINCT ?a WHERE { ?a a kg:Article }"))
    assert len(rows) == 2
    assert len(list(ds.graphs())) >= 2


# -- remote only


@pytest.fixture
def remote(empty_server: str) -> RemoteStore:
    return RemoteStore(empty_server)


def test_remote_oversized_article_is_staged_then_swapped(remote: RemoteStore) -> None:
    f = facts("big", hostile=True)
    g, quads = article(f)
    remote.replace_articles([article(facts("big", revision=1))])
    remote.max_request_bytes = 2000  # forces several chunks
    remote.replace_articles([(g, quads)])
    assert graph_quads(remote, g) == stored(quads)
    assert not [q for q in remote.quads() if q.graph_name.value.startswith(STAGE)]
    assert remote.article_hash(g) == f.article.sha256


def test_remote_staged_records_are_invisible_to_queries(remote: RemoteStore) -> None:
    from kg.store.remote import _staged_chunks

    g, quads = article(facts("a1"))
    stage = NamedNode(STAGE + "crashed")
    for chunk in _staged_chunks(stage, quads, 1000):  # an upload that never got swapped in
        remote._put(stage, chunk, "POST")
    assert not bool(remote.query("ASK { ?s a kg:Statement }"))
    assert not bool(remote.query("ASK { ?s kg:claims ?o }"))


def test_remote_endpoints_from_fragment(oxigraph_server: str) -> None:
    s = RemoteStore(f"{oxigraph_server}/#query=query&update=update&store=store")
    assert s.query_url == f"{oxigraph_server}/query"
    assert RemoteStore(f"{oxigraph_server}/query#query=.").query_url == f"{oxigraph_server}/query"
    with pytest.raises(StoreError, match="404"):
        RemoteStore(f"{oxigraph_server}#query=no/such/endpoint")


def test_remote_unreachable_is_one_line() -> None:
    with pytest.raises(StoreError, match="cannot reach") as e:
        open_store("http://127.0.0.1:9")
    assert "\n" not in str(e.value)


def test_remote_read_only_refuses_writes(oxigraph_server: str) -> None:
    s = open_store(oxigraph_server, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        s.replace_articles([article(facts("a1"))])


def test_remote_literal_types_match_local(remote: RemoteStore, tmp_path: Path) -> None:
    batch = [article(facts("a1", hostile=True))]
    remote.replace_articles(batch)
    with LocalStore(str(tmp_path / "s")) as local:
        local.replace_articles(batch)
        assert set(local.quads()) == set(remote.quads())
    (row,) = remote.query("SELECT ?b WHERE { ?s kg:direct ?b } LIMIT 1")
    assert isinstance(row[0], Literal) and row[0].datatype.value.endswith("#boolean")


ENTITIES = NamedNode("https://w3id.org/kg/id/graph/entities")


def test_entity_graph_merges_articles_and_forgets_replaced_aliases(store: Store) -> None:
    """The merged entity graph is derived from the article graphs, so a revised article that
    stops using an alias takes that alias out of it, while the other article's stay."""
    from kg.resources import path

    refresh = path("updates/entities.ru").read_text(encoding="utf-8")
    first, other = facts("a1"), facts("a2")
    first.entities["Luhansk"].aliases.add("Lugansk")
    store.replace_articles([article(first), article(other)])
    store.update(refresh)

    def aliases() -> set[str]:
        return {q.object.value for q in graph_quads(store, ENTITIES)
                if q.predicate.value.endswith("altLabel") and "Luhansk" in q.subject.value}

    def articles_of_luhansk() -> int:
        return sum(1 for q in graph_quads(store, ENTITIES)
                   if q.predicate.value.endswith("mentionedIn") and "Luhansk" in q.subject.value)

    assert aliases() == {"Luhansk", "Lugansk"}
    assert articles_of_luhansk() == 2
    store.replace_articles([article(facts("a1", revision=1))])  # its hash changes
    store.update(refresh)
    assert aliases() == {"Luhansk"}
    assert articles_of_luhansk() == 2


def test_entity_graph_merges_only_new_articles(store: Store) -> None:
    """An article is merged once; one stored without a merge (a build cut short) is merged by
    the next refresh, and merging twice changes nothing."""
    from kg.resources import path

    refresh = path("updates/entities.ru").read_text(encoding="utf-8")
    store.replace_articles([article(facts("a1"))])
    store.update(refresh)
    merged = graph_quads(store, ENTITIES)
    store.update(refresh)
    assert graph_quads(store, ENTITIES) == merged
    store.replace_articles([article(facts("a2")), article(facts("a3"))])  # no refresh: cut short
    store.replace_articles([article(facts("a4"))])
    store.update(refresh)
    mentioned = {q.object.value.rsplit("/", 1)[-1] for q in graph_quads(store, ENTITIES)
                 if q.predicate.value.endswith("mentionedIn") and "Luhansk" in q.subject.value}
    assert mentioned == {"a1", "a2", "a3", "a4"}
    assert merged < graph_quads(store, ENTITIES)
