"""`kg eval`: scores a build against gold cases, in this process, through a builder command or
from graphs built earlier, with the reference scorer's matching rules. The cases are our own
(tests/data/eval_cases): one war report, one political story whose "took control of the
chamber" is a trap, and one whose gold holds a claim and a control fact no system finds, so
that misses and false facts are counted too."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from build_fixtures import kg

from kg.eval import CaseError, FactGraph, evaluate, load_cases, read_from, score_graph

CASES = Path(__file__).parent / "data" / "eval_cases"
SCORE_PY = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"
KG = str(Path(sys.executable).parent / "kg")


def test_in_process_figures_and_lists() -> None:
    report = evaluate(load_cases(CASES))
    by_case = {c.name: {k: (t.tp, t.gold, t.fp) for k, t in c.tallies.items()}
               for c in report.cases}
    assert by_case["kalemie"] == {"claims": (3, 3, 0), "refusals": (1, 1, 0),
                                  "control": (1, 1, 0)}
    assert by_case["budget"]["control"] == (0, 0, 0)  # the chamber is no territory
    mixed = next(c for c in report.cases if c.name == "mixed")
    assert mixed.tallies["claims"].tp == 2 and mixed.tallies["claims"].gold == 3
    assert any("port authority" in m for m in mixed.tallies["claims"].misses)
    assert mixed.tallies["control"].misses == ["controlport -> port authority"]  # as score.py
    p, r, f = report.micro.prf()
    assert 0 < p <= 1 and 0 < r < 1 and f == pytest.approx(2 * p * r / (p + r))
    assert report.summary().startswith("claims P=")


def test_cli_verbose_lists_misses_and_false_facts() -> None:
    done = kg("eval", str(CASES), "-v")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1].startswith("claims P=") and "micro" in lines[-1]
    assert any(line.startswith("    miss  claim  port authority") for line in lines)
    assert any(line.startswith("mixed: claims 2/3") for line in lines)
    gate = kg("eval", str(CASES), "--min-f1", "0.99")
    assert gate.returncode == 1 and gate.stdout.splitlines()[-1] == lines[-1]


def test_graphs_built_earlier_and_builder_command_agree(tmp_path: Path) -> None:
    built = tmp_path / "built"
    for case in load_cases(CASES):
        done = kg("build", str(case.article), "--out", str(built / case.name))
        assert done.returncode == 0, done.stderr
    from_graphs = kg("eval", str(CASES), "--graphs", str(built))
    by_cmd = kg("eval", str(CASES), "--cmd", KG + " build {input} --out {out}")
    here = kg("eval", str(CASES))
    assert from_graphs.stdout == by_cmd.stdout == here.stdout
    missing = evaluate(load_cases(CASES), read_from(tmp_path / "nothing"))
    assert all(c.error for c in missing.cases) and missing.micro.tp == 0


@pytest.mark.skipif(not SCORE_PY.exists(), reason="the shared reference scorer is not here")
def test_figures_agree_with_the_reference_scorer(tmp_path: Path) -> None:
    ours = kg("eval", str(CASES), "-v").stdout.splitlines()
    ref = subprocess.run([sys.executable, str(SCORE_PY), str(CASES), "--cmd",
                          KG + " build {input} --out {out}", "-v"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert ours[-1] == ref[-1]
    assert sorted(ours) == sorted(ref)


def test_scoring_rules_on_a_hand_made_graph() -> None:
    """Alias containment, the described-group head and the 60%/50% claim overlaps."""
    gold = json.loads((CASES / "kalemie.json").read_text(encoding="utf-8"))
    iri = ("iri", "https://example.org/")
    triples = [
        ((iri[0], iri[1] + "klA"), "http://x#label", ("lit", "the Kivu Liberation Army")),
        ((iri[0], iri[1] + "kal"), "http://x#label", ("lit", "Kalemie")),
        ((iri[0], iri[1] + "kal"), "http://x#controlledBy", (iri[0], iri[1] + "klA")),
        ((iri[0], iri[1] + "ak"), "http://x#label", ("lit", "Kasongo")),
        ((iri[0], iri[1] + "ak"), "http://x#claims", (iri[0], iri[1] + "s1")),
        ((iri[0], iri[1] + "s1"), "http://x#value",
         ("lit", "We will hold Kalemie until the government talks")),
    ]
    t = score_graph(FactGraph(triples), gold)
    assert (t["control"].tp, t["control"].fp) == (1, 0)
    assert (t["claims"].tp, t["claims"].fp, t["claims"].gold) == (1, 0, 3)


@pytest.mark.parametrize("layout", ["not-a-folder", "empty", "bad-json", "no-article"])
def test_bad_case_folders_are_one_line_errors(tmp_path: Path, layout: str) -> None:
    folder = tmp_path / "cases"
    if layout != "not-a-folder":
        folder.mkdir()
    if layout == "bad-json":
        (folder / "a.json").write_text("{not json", encoding="utf-8")
        (folder / "a.txt").write_text("Text.", encoding="utf-8")
    if layout == "no-article":
        shutil.copy(CASES / "budget.json", folder / "budget.json")
    with pytest.raises(CaseError):
        load_cases(folder)
    done = kg("eval", str(folder))
    assert done.returncode == 2
    assert done.stderr.startswith("kg: error: ") and len(done.stderr.strip().splitlines()) == 1
