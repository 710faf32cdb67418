"""How many of the gold places that a build names are linked to the world (issue 16).

    .venv/bin/python benchmarks/place_links.py ../shared/eval/dev ../shared/eval/dev2 [-v]

For every case NAME.txt + NAME.json in the folders, builds the article with `kg build` and
takes the gold entities typed Country, Region or City. A gold place is *named* when some
entity of the graph has its name or one of its aliases as rdfs:label or skos:altLabel (compared
as the scorer does: case, punctuation and a leading article ignored); it is *linked* when that
entity has an owl:sameAs to GeoNames or Wikidata. Prints linked / named per folder and overall;
-v lists the named places left unlinked. The issue's bar is 90%.

Also counts gold entities (any type) *split*: named by two or more graph nodes that neither
share a link (owl:sameAs) nor stand for one another (kg:standsFor, the metonym design).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
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


def score_case(txt: Path, tmp: Path, verbose: bool) -> tuple[int, int, int]:
    gold = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
    out = tmp / txt.stem
    subprocess.run([str(BIN / "kg"), "build", str(txt), "--out", str(out)], check=True,
                   capture_output=True)
    graph = rdflib.Dataset()
    graph.parse(out / "graph.ttl", format="trig" if (out / "graph.trig").exists() else "turtle")
    by_name = names_in(graph)
    named = hit = splits = 0
    for ent in gold["entities"]:
        nodes = set().union(*(by_name.get(norm(n), set())
                              for n in (ent["name"], *ent.get("aliases", ()))))
        if split(graph, nodes):
            splits += 1
            if verbose:
                print(f"  {txt.stem}: split {ent['name']!r} ({ent['type']}): "
                      f"{sorted(str(n).rsplit('/', 1)[-1] for n in nodes)}")
        if ent["type"] not in PLACE_TYPES or not nodes:
            continue
        named += 1
        if any(linked(graph, n) for n in nodes):
            hit += 1
        elif verbose:
            print(f"  {txt.stem}: unlinked {ent['name']!r} ({ent['type']})")
    return hit, named, splits


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    total_hit = total_named = 0
    with tempfile.TemporaryDirectory() as tmp:
        for folder in args.folders:
            hit = named = splits = 0
            for txt in sorted(folder.glob("*.txt")):
                h, n, s = score_case(txt, Path(tmp), args.verbose)
                hit, named, splits = hit + h, named + n, splits + s
            print(f"{folder}: {hit}/{named} named gold places linked "
                  f"({hit / max(named, 1):.0%}); {splits} gold entities split")
            total_hit, total_named = total_hit + hit, total_named + named
    print(f"all: {total_hit}/{total_named} ({total_hit / max(total_named, 1):.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
