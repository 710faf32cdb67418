"""`kg stats`: how big the graph is and who sits at its centre.

Counts come from SPARQL over the union graph (with DISTINCT, since articles repeat entity
descriptions); centrality comes from kg.graph's projection, the one the HTML view and `kg
export --format graphml` draw, so every view of "who matters" agrees.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.export import compact
from kg.graph import pagerank, project
from kg.query import clean, fit
from kg.store import Store

ACTOR_CLASSES = {"Person", "Organization", "MilitaryUnit", "Group", "Country"}

_ARTICLES = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }"
_ENTITIES = """SELECT ?class (COUNT(DISTINCT ?e) AS ?n)
WHERE { GRAPH ?a { ?e kg:mentionedIn ?a ; a ?class } }
GROUP BY ?class ORDER BY DESC(?n) ?class"""
_FACTS = """SELECT ?rel (COUNT(*) AS ?n) WHERE {
  { SELECT DISTINCT ?s ?rel ?o WHERE {
      VALUES ?rel { kg:claims kg:refuses kg:controlledBy kg:location kg:standsFor
                    kg:affiliation kg:mentionedIn owl:sameAs }
      ?s ?rel ?o } }
} GROUP BY ?rel ORDER BY DESC(?n) ?rel"""


@dataclass
class Actor:
    iri: str
    label: str
    cls: str
    degree: int
    pagerank: float


@dataclass
class Stats:
    articles: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    facts: dict[str, int] = field(default_factory=dict)
    top: list[Actor] = field(default_factory=list)


def _counts(store: Store, sparql: str) -> dict[str, int]:
    return {compact(k.value): int(n.value) for k, n in store.query(sparql)}  # type: ignore[union-attr,misc]


def stats(store: Store, top: int = 10) -> Stats:
    out = Stats()
    out.articles = next(int(row[0].value) for row in store.query(_ARTICLES))  # type: ignore[union-attr]
    out.entities = _counts(store, _ENTITIES)
    out.facts = _counts(store, _FACTS)
    g = project(store.quads())
    if g.number_of_nodes():
        rank = pagerank(g)
        actors = [n for n, d in g.nodes(data=True)
                  if d.get("kind") == "entity" and d.get("class") in ACTOR_CLASSES]
        actors.sort(key=lambda n: (-rank.get(n, 0.0), -g.degree(n), n))
        out.top = [Actor(n, g.nodes[n]["label"], g.nodes[n]["class"], g.degree(n), rank[n])
                   for n in actors[:top]]
    return out


def format_stats(s: Stats) -> str:
    lines = [f"articles  {s.articles}", "", "entities by class"]
    lines += [f"  {k.removeprefix('kg:'):<16}{n:>8}" for k, n in s.entities.items()] or ["  -"]
    lines += ["", "facts by relation"]
    lines += [f"  {k:<16}{n:>8}" for k, n in s.facts.items()] or ["  -"]
    lines += ["", "top actors          degree  pagerank  class"]
    lines += [f"  {fit(clean(a.label), 18)}{a.degree:>6}  {a.pagerank:8.4f}  {a.cls}"
              for a in s.top]
    return "\n".join(lines) + "\n"
