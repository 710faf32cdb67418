"""Claims against claims: a capture or refusal that only one side claims is kept as the claim's
content (kg:asserts, kg:status kg:Claimed, no shortcut triple), and a rebuttal is linked to the
statement it answers (kg:disputes). Sentences of our own, the real model, store and CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from build_fixtures import kg
from helpers_extract import controls, name, refusals, run
from spacy.language import Language

from kg.nlp import load_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


CLAIM_AND_REBUTTAL = ("The militia's leader, Omar Jalo, said his fighters had captured the town "
                      "of Kafr Nabl on Sunday. The army said that was false.")


def test_rebutted_capture_is_claimed_not_asserted(nlp: Language) -> None:
    facts = run(nlp, CLAIM_AND_REBUTTAL)
    assert controls(facts) == set()
    [claimed] = [c for c in facts.controls if c.claimed]
    region = facts.entities[claimed.region]  # (the label may be the gazetteer's spelling)
    assert "Kafr Nabl" in {region.name, *region.aliases}
    assert name(facts, claimed.controller) == "his fighters"
    relations = {(name(facts, link.source.claimant), link.relation) for link in facts.links}
    assert relations == {("Omar Jalo", "asserts"), ("army", "disputes")}


def test_undisputed_report_is_asserted_and_linked(nlp: Language) -> None:
    facts = run(nlp, "A local official said government troops had retaken Kherson on Friday.")
    assert controls(facts) == {("Kherson", "government troops")}
    assert [link.relation for link in facts.links] == ["asserts"]


def test_claimed_refusal(nlp: Language) -> None:
    facts = run(nlp, "A pro-war blogger claimed that the 14th Brigade had refused to advance on "
                     "Kreminna.")
    assert refusals(facts) == set()
    assert refusals(facts, claimed=True) == {("14th Brigade", "advance", "Kreminna")}


def test_denial_of_a_clause_disputes_the_statement_that_said_it(nlp: Language) -> None:
    facts = run(nlp, "Kateryna Bondar, a local councillor, said two marine companies had refused "
                     "to advance on Krynky. The navy's commander denied that any marine company "
                     "had refused to advance.")
    disputes = [link for link in facts.links if link.relation == "disputes"]
    assert len(disputes) == 1
    assert name(facts, disputes[0].target.claimant) == "Kateryna Bondar"
    # denied in the very next sentence: the article reports both sides and asserts neither
    assert refusals(facts) == set()
    assert refusals(facts, claimed=True) == {("two marine companies", "advance", "Krynky")}


def test_store_queries_and_shapes(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Rebels claim Kafr Nabl\n\nAMMAN, 4 March 2024 (Reuters) - "
                               + CLAIM_AND_REBUTTAL + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert kg("build", str(src), "--out", str(out)).returncode == 0
    store = str(out / "store")
    ttl = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "controlledBy" not in ttl and "kg:Claimed" in ttl and "kg:disputes" in ttl

    def rows(query: str) -> list[dict[str, str]]:
        done = kg("query", "--store", store, "--format", "csv", query)
        assert done.returncode == 0, done.stderr
        return list(csv.DictReader(io.StringIO(done.stdout)))

    claimed = rows("claimed-vs-reported")
    assert [(r["status"], r["kind"], r["claimant"], r["disputedBy"], r["date"])
            for r in claimed] == [("claimed", "control", "Omar Jalo", "army", "2024-03-03")]
    assert [(r["claimant"], r["disputedBy"]) for r in rows("disputes")] == [
        ("Omar Jalo", "army")]
    done = kg("validate", "--store", store)
    assert done.returncode == 0, done.stdout + done.stderr
