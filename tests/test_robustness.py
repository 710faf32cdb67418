"""What a build survives: oversized files, kill -9 halfway through a corpus, a second writer,
readers during a build, and any text at all.

Hostile text is pushed through the whole chain, build -> Turtle -> rapper -> SPARQL -> HTML, by
hypothesis (in-process, the spaCy model loaded once); crash and concurrency tests drive the
real CLI, since a SIGKILL has to hit a real process.
"""

from __future__ import annotations

import io
import json
import re
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from build_fixtures import (
    article_counts,
    error_lines,
    kg,
    one_line_error,
    open_read_only,
    popen_kg,
    short_seed,
    write_corpus,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse, serialize

import kg.article as article_mod
from kg.article import Article
from kg.build import build
from kg.export import export
from kg.namespaces import DCTERMS, ID
from kg.nlp import load_pipeline
from kg.query import run_query
from kg.rdf import article_iri, entity_iri
from kg.store import open_store
from kg.viz import write_html

CORPUS_SIZE = 60
HOSTILE = ('He said "no" and """triple""" ]]> <script>alert(1)</script> </script><!-- '
           "\u202eevil\u202c \u05e2\u05d1\u05e8\u05d9\u05ea "
           "\u0627\u0644\u0639\u0631\u0628\u064a\u0629"
           " emoji \U0001f600\U0001f1fa\U0001f1e6 ctrl \x01\x07\x1b[31m \x7f \x85 \u2028\u2029 "
           "nul \x00 bom \ufeff nonchar \uffff\ufffe \U0010ffff } {{ }} \\ ' ; . @prefix")
LONG_SENTENCE = " ".join(["soldiers", "in", "Kyiv", "held", "the", "bridge", "near", "the",
                          "river", "and"] * 1000)  # 10,000 words


@pytest.fixture(scope="module")
def nlp() -> None:
    load_pipeline()  # cached for the process: every in-process build below reuses it


def rapper_ok(data: bytes, syntax: str) -> int:
    """Run `rapper -c` on serialised RDF; return the triple count it read."""
    with tempfile.NamedTemporaryFile(suffix=".rdf") as fh:
        fh.write(data)
        fh.flush()
        check = subprocess.run(["rapper", "-i", syntax, "-c", fh.name], capture_output=True,
                               text=True)
    assert check.returncode == 0, check.stderr
    assert "Error" not in check.stderr and "Warning" not in check.stderr, check.stderr
    return int(re.search(r"returned (\d+) triple", check.stderr).group(1))


# ------------------------------------------------------------------------ oversized files

def test_file_over_max_bytes_is_one_error_and_the_rest_lands(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nlp: None) -> None:
    body = short_seed()
    (tmp_path / "big.txt").write_text(body + "\n\n" + "More text follows. " * 200)
    (tmp_path / "small.txt").write_text(body)
    limit = len(body.encode()) + 10
    monkeypatch.setattr(article_mod, "MAX_BYTES", limit)
    errors: list[str] = []
    with open_store(str(tmp_path / "store")) as store:
        report = build([tmp_path / "big.txt", tmp_path / "small.txt"], store,
                       on_error=errors.append)
        assert report.built == 1
        assert store.article_hash(NamedNode(f"{ID}article/small")) is not None
        assert store.article_hash(NamedNode(f"{ID}article/big")) is None
    (msg,) = errors
    assert msg.startswith(f"{tmp_path / 'big.txt'}: ") and "\n" not in msg
    assert f"over the {limit}-byte limit" in msg


# ------------------------------------------------------------------------ crash safety

@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, nlp: None) -> tuple[Path, dict[str, int]]:
    """A 60-article JSONL corpus and each article graph's size after a clean build."""
    d = tmp_path_factory.mktemp("corpus")
    path = d / "corpus.jsonl"
    ids = write_corpus(path, CORPUS_SIZE)
    with open_store(str(d / "clean")) as store:
        report = build([path], store)
    assert report.built == CORPUS_SIZE and not report.errors
    sizes = article_counts(d / "clean")
    assert sorted(sizes) == sorted(f"{ID}article/{i}" for i in ids)
    return path, sizes


def wait_for(what: Callable[[], object], proc: subprocess.Popen[str],
             timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        assert proc.poll() is None, f"build ended first: {proc.communicate()}"
        assert time.monotonic() < deadline, "timed out waiting for the build"
        time.sleep(0.05)


def test_kill_9_leaves_articles_whole_or_absent_and_a_rerun_completes(
        tmp_path: Path, corpus: tuple[Path, dict[str, int]]) -> None:
    path, clean = corpus
    out = tmp_path / "out"
    proc = popen_kg("build", str(path), "--out", str(out))
    try:
        wait_for(lambda: article_counts(out / "store"), proc)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL

    partial = article_counts(out / "store")
    assert 0 < len(partial) < CORPUS_SIZE, "the kill came too late to test anything"
    for graph, n in partial.items():
        assert n == clean[graph], f"{graph} is half there: {n} of {clean[graph]} quads"

    done = kg("build", str(path), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert (f"{CORPUS_SIZE - len(partial)} built, {len(partial)} unchanged, 0 failed"
            in done.stderr), done.stderr
    assert article_counts(out / "store") == clean  # all 60, each exactly as a clean build
    rapper_ok((out / "graph.ttl").read_bytes(), "turtle")


# ------------------------------------------------------------------------ concurrency

def test_second_build_is_refused_and_readers_work_during_a_build(
        tmp_path: Path, corpus: tuple[Path, dict[str, int]]) -> None:
    path, clean = corpus
    out, store = tmp_path / "out", tmp_path / "out" / "store"
    other = tmp_path / "other.txt"
    other.write_text(short_seed().replace("July 2022", "March 2001"))
    first = popen_kg("build", str(path), "--out", str(out))
    try:
        wait_for(lambda: (store / "LOCK").exists() and open_read_only(store) is not None,
                 first)
        second = kg("build", str(other), "--store", str(store), "--out", str(tmp_path / "o2"))
        reader = kg("query", "--store", str(store), "--format", "json",
                    "SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Article }")
        still_running = first.poll() is None
        _, stderr = first.communicate(timeout=180)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    assert still_running, "the first build ended before the others ran; use a bigger corpus"

    assert second.returncode == 1
    assert "locked by another kg process" in one_line_error(second)
    assert not (tmp_path / "o2" / "graph.ttl").exists()

    if reader.returncode == 0:
        (row,) = json.loads(reader.stdout)["results"]["bindings"]
        assert 0 <= int(row["n"]["value"]) <= CORPUS_SIZE
    else:
        assert reader.returncode == 1
        one_line_error(reader)

    assert first.returncode == 0, stderr
    assert not error_lines(stderr)
    assert article_counts(store) == clean  # nothing lost, nothing from the refused build
    rapper_ok((out / "graph.ttl").read_bytes(), "turtle")


# ------------------------------------------------------------------------ any text at all

class ScriptScan(HTMLParser):
    """Every <script> with its attributes and text, and any on* handler attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.handlers: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handlers += [k for k, _ in attrs if k.startswith("on")]
        if tag == "script":
            self.scripts.append((dict(attrs), ""))
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def check_html(html: str) -> dict:
    """No markup from the data: three scripts (ours), the data block without a raw '<'."""
    assert "<script>alert" not in html
    scan = ScriptScan()
    scan.feed(html)
    scan.close()
    assert scan.handlers == []
    assert len(scan.scripts) == 3, [a for a, _ in scan.scripts]
    data = [t for a, t in scan.scripts if a.get("type") == "application/json"]
    assert len(data) == 1
    for attrs, text in scan.scripts:
        if attrs.get("type") != "application/json":
            assert "alert(1)" not in text
    assert "<" not in data[0] and ">" not in data[0]
    return json.loads(data[0])


def roundtrip(tmp: Path, record: dict) -> None:
    """One JSONL article through build, Turtle/N-Triples (rapper), SPARQL and the HTML page."""
    feed = tmp / "feed.jsonl"
    feed.write_text(json.dumps(record) + "\n", encoding="utf-8")
    errors: list[str] = []
    with open_store(str(tmp / "store")) as store:
        report = build([feed], store, on_error=errors.append)
        assert errors == [] and report.built == 1

        ttl, nt = io.BytesIO(), io.BytesIO()
        export(store, "turtle", ttl)
        export(store, "nt", nt)
        triples = len(list(parse(ttl.getvalue(), format=RdfFormat.TURTLE)))
        assert rapper_ok(ttl.getvalue(), "turtle") == triples
        assert rapper_ok(nt.getvalue(), "ntriples") == triples

        # Text survives the store and Turtle unchanged (bar noncharacters, made U+FFFD).
        title = record["title"].translate({0xFFFE: 0xFFFD, 0xFFFF: 0xFFFD})
        ttl_titles = {str(t.object.value) for t in parse(ttl.getvalue(), format=RdfFormat.TURTLE)
                      if t.predicate == NamedNode(DCTERMS + "title")}
        assert ttl_titles == {title}
        for fmt in ("json", "table", "csv", "tsv"):
            buf = io.BytesIO()
            run_query(store, "SELECT ?t ?v WHERE { ?a dcterms:title ?t . "
                      "OPTIONAL { ?w kg:claims ?s . ?s rdf:value ?v } }", fmt, buf)
            assert buf.getvalue()
            if fmt == "json":
                rows = json.loads(buf.getvalue())["results"]["bindings"]
                assert {r["t"]["value"] for r in rows} == {title}

        write_html(store, tmp / "graph.html")
    payload = check_html((tmp / "graph.html").read_text(encoding="utf-8"))
    assert payload["nodes"]


unicode_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=120)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=unicode_text.filter(str.strip), said=unicode_text, ident=unicode_text)
@example(title=HOSTILE, said=HOSTILE, ident=HOSTILE)
@example(title="<script>alert(1)</script>", said='"<script>alert(1)</script>"', ident="]]>")
@example(title='"""', said='"""x"""', ident='"""')
@example(title="Long", said=LONG_SENTENCE, ident="long")
def test_any_text_survives_the_whole_chain(title: str, said: str, ident: str, nlp: None) -> None:
    record = {
        "id": ident, "title": title, "url": f"https://example.org/{ident}",
        "text": (f"The ministry said that {said}.\n\n\u201c{said},\u201d the army said.\n\n"
                 "Russian forces seized Bakhmut."),
    }
    with tempfile.TemporaryDirectory() as tmp:
        roundtrip(Path(tmp), record)


def test_hostile_text_yields_claims_that_read_back(tmp_path: Path, nlp: None) -> None:
    """The hostile string really reaches a statement (not only a title) and reads back."""
    said = HOSTILE.replace("\x00", "").replace("\n", " ")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "h", "text": f"Officials said that {said}."}) + "\n")
    with open_store(str(tmp_path / "store")) as store:
        assert build([feed], store).built == 1
        values = [r[0].value for r in store.query(
            "SELECT ?v WHERE { ?w kg:claims ?s . ?s rdf:value ?v }")]
        write_html(store, tmp_path / "graph.html")
    assert any("<script>alert(1)</script>" in v for v in values), values
    payload = check_html((tmp_path / "graph.html").read_text(encoding="utf-8"))
    assert "<script>alert(1)</script>" in json.dumps(payload, ensure_ascii=False)


# ------------------------------------------------------------------------ minted IRIs

def _quads(names: list[str], urls: list[str]) -> Iterator[Quad]:
    p = NamedNode("https://w3id.org/kg/ns#p")
    for name, url in zip(names, urls, strict=False):
        g = article_iri(Article(id=name, text="x", url=url))
        yield Quad(entity_iri(name), p, g, g)
        yield Quad(g, p, Literal(name), g)


@settings(max_examples=25, deadline=None)
@given(names=st.lists(unicode_text, min_size=1, max_size=20),
       urls=st.lists(st.one_of(unicode_text.map(lambda s: "https://example.org/" + s),
                               unicode_text.map(lambda s: "http://" + s),
                               unicode_text), min_size=1, max_size=20))
@example(names=[" ", "", "a b\tc", "Zo\u00eb O\u2019Brien", "\u202e", "%zz", "<>\"{}|^`\\",
                "#frag", "?q=1", "\uffff", "\U0001f600", "../..", "\u0130stanbul"],
         urls=["https://example.org/a[1]", "http://[::1", "http://a/%zz", "https://x/\x01",
               "https://x/\uffff", "https://x/\u200e", "http://a:99999999/"])
def test_minted_iris_are_valid_turtle_and_ntriples(names: list[str], urls: list[str]) -> None:
    names = [n.translate({0xFFFE: 0xFFFD, 0xFFFF: 0xFFFD}) for n in names]  # as make_article
    urls = [u.translate({0xFFFE: 0xFFFD, 0xFFFF: 0xFFFD}) for u in urls]
    quads = list(_quads(names, urls))
    triples = {q.triple for q in quads}
    for fmt, syntax in ((RdfFormat.TURTLE, "turtle"), (RdfFormat.N_TRIPLES, "ntriples")):
        data = serialize(triples, format=fmt)
        assert rapper_ok(data, syntax) == len(triples)
    for q in quads:
        assert re.fullmatch(r"[^\x00-\x20<>\"{}|^`\\]+", q.subject.value), q.subject
