"""How many of the gold places that a build names are linked to the world (issue 16).

    .venv/bin/python benchmarks/place_links.py ../shared/eval/dev ../shared/eval/dev2 [-v]

For every case NAME.txt + NAME.json in the folders, builds the article with `kg build` and
takes the gold entities typed Country, Region or City. A gold place is *named* when some
entity of the graph has its name or one of its aliases as rdfs:label or skos:altLabel (compared
as the scorer does: case, punctuation and a leading article ignored); it is *linked* when that
entity has an owl:sameAs to GeoNames or Wikidata. Prints linked / named per folder and overall;
-v lists the named places left unlinked. The issue's bar is 90%.

Also counts gold entities (any type) *split*: named by two or more graph nodes that neither
share a link (owl:sameAs) nor stand for one another (kg:standsFor, the metonym design). Only
the names that are this entity's alone count here: a string the gold lists under two entities
of the article ("Khartoum" the city and the government, "the city", "Marib" the town and the
governorate) says nothing of which node is which. Splits of places (Country, Region, City) are
counted apart, as are those whose nodes are all minted from proper names (a descriptor node
such as "the country's second city" is a coreference miss rather than a split of a name).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDFS, SKOS

BIN = Path(sys.executable).parent
PLACE_TYPES = {"Country", "Region", "City"}
LINKS = ("https://sws.geonames.org/", "http://www.wikidata.org/entity/")


def norm(s: str) -> str:
    """The scorer's name normalisation: what counts as the same name."""
    s = unicodedata.normalize("NFKC", s).replace("\u2019", "'").lower()
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", unicodedata.normalize("NFKD", s)).strip()
    return re.sub(r"^(the|a|an) ", "", s)


def names_in(graph: rdflib.Graph) -> dict[str, set[rdflib.term.Node]]:
    """Normalised label or alias -> the nodes so named."""
    out: dict[str, set[rdflib.term.Node]] = {}
    for pred in (RDFS.label, SKOS.altLabel):
        for node, label in graph.subject_objects(pred):
            out.setdefault(norm(str(label)), set()).add(node)
    return out


def linked(graph: rdflib.Graph, node: rdflib.term.Node) -> bool:
    return any(str(o).startswith(LINKS) for o in graph.objects(node, OWL.sameAs))


STANDS_FOR = rdflib.URIRef("https://w3id.org/kg/ns#standsFor")


def split(graph: rdflib.Graph, nodes: set[rdflib.term.Node]) -> bool:
    """More than one node, not joined by a shared link or a standsFor between them."""
    groups: list[set[rdflib.term.Node]] = []
    for n in nodes:
        links = {o for o in graph.objects(n, OWL.sameAs)}
        joined = [g for g in groups if any(
            links & {o for o in graph.objects(m, OWL.sameAs)} or
            (n, STANDS_FOR, m) in graph or (m, STANDS_FOR, n) in graph for m in g)]
        merged = set().union({n}, *joined)
        groups = [g for g in groups if g not in joined] + [merged]
    return len(groups) > 1


def own_names(gold: dict) -> list[set[str]]:
    """Each gold entity's normalised names that no other entity of the article lists."""
    names = [{norm(n) for n in (e["name"], *e.get("aliases", ()))} - {""}
             for e in gold["entities"]]
    return [mine - set().union(*(o for j, o in enumerate(names) if j != i))
            for i, mine in enumerate(names)]


@dataclass
class Score:
    linked: int = 0
    named: int = 0
    splits: int = 0
    place_splits: int = 0
    name_splits: int = 0

    def __iadd__(self, other: Score) -> Score:
        for f in dataclasses.fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self


def descriptor_node(node: rdflib.term.Node) -> bool:
    """An article-local node minted from a descriptor ('.../d06/country's_second_city')."""
    return "%2F" in str(node).rsplit("/", 1)[-1]


def score_case(txt: Path, tmp: Path, verbose: bool) -> Score:
    gold = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
    out = tmp / txt.stem
    subprocess.run([str(BIN / "kg"), "build", str(txt), "--out", str(out)], check=True,
                   capture_output=True)
    graph = rdflib.Dataset()
    graph.parse(out / "graph.ttl", format="trig" if (out / "graph.trig").exists() else "turtle")
    by_name = names_in(graph)
    score = Score()
    for ent, own in zip(gold["entities"], own_names(gold), strict=True):
        owned = set().union(*(by_name.get(n, set()) for n in own))
        if split(graph, owned):
            score.splits += 1
            score.place_splits += ent["type"] in PLACE_TYPES
            score.name_splits += not any(descriptor_node(n) for n in owned)
            if verbose:
                print(f"  {txt.stem}: split {ent['name']!r} ({ent['type']}): "
                      f"{sorted(str(n).rsplit('/', 1)[-1] for n in owned)}")
        nodes = set().union(*(by_name.get(norm(n), set())
                              for n in (ent["name"], *ent.get("aliases", ()))))
        if ent["type"] not in PLACE_TYPES or not nodes:
            continue
        score.named += 1
        if any(linked(graph, n) for n in nodes):
            score.linked += 1
        elif verbose:
            print(f"  {txt.stem}: unlinked {ent['name']!r} ({ent['type']})")
    return score


def report(label: str, s: Score) -> str:
    return (f"{label}: {s.linked}/{s.named} named gold places linked "
            f"({s.linked / max(s.named, 1):.0%}); {s.splits} gold entities split "
            f"({s.place_splits} places; {s.name_splits} between named nodes only)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    total = Score()
    with tempfile.TemporaryDirectory() as tmp:
        for folder in args.folders:
            score = Score()
            for txt in sorted(folder.glob("*.txt")):
                score += score_case(txt, Path(tmp), args.verbose)
            print(report(str(folder), score))
            total += score
    print(report("all", total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
