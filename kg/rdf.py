"""ArticleFacts -> quads in the article's own named graph.

IRIs are minted here and only here. Fact nodes get IRIs hashed from their content rather than
blank nodes, so the same article always yields the same quads (rebuilds are idempotent) and
SPARQL servers that reject blank nodes in updates accept them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Quad

from kg.article import Article
from kg.facts import ArticleFacts, Claim, Control, Entity, Evidence, Refusal
from kg.namespaces import DCTERMS, GEO, GN, ID, KG, NIF, OWL, PROV, RDF, RDFS, SKOS, WD, XSD

A = NamedNode(RDF + "type")
LABEL = NamedNode(RDFS + "label")
ALT = NamedNode(SKOS + "altLabel")
VALUE = NamedNode(RDF + "value")


def kg(name: str) -> NamedNode:
    return NamedNode(KG + name)


def slug(name: str) -> str:
    """A readable, percent-encoded IRI segment for a canonical name."""
    s = unicodedata.normalize("NFKC", name).replace("\u2019", "'").strip()
    s = re.sub(r"\s+", "_", s)
    return quote(s, safe="_-.~") or "_"


def fold_accents(name: str) -> str:
    """The name without diacritics, for an alias: what users type and other sources spell."""
    decomposed = unicodedata.normalize("NFKD", name)
    return unicodedata.normalize("NFC", "".join(
        c for c in decomposed if not unicodedata.combining(c)))


def entity_iri(key: str) -> NamedNode:
    return NamedNode(ID + slug(key))


def article_iri(article: Article) -> NamedNode:
    if article.url and re.match(r"^https?://[^\s<>\"{}|\\^`]+$", article.url):
        try:
            return NamedNode(article.url)
        except ValueError:  # not a valid IRI ("[", "%zz", control characters): use the id
            pass
    return NamedNode(ID + "article/" + quote(article.id, safe=""))


FACT_KINDS = ("statement", "deployment", "control")
_FACT_PREFIXES = tuple(f"{ID}{k}/" for k in FACT_KINDS)


def minted_per_article(subject: object, graph: object) -> bool:
    """True for subjects whose triples only one article graph can hold: the article itself and
    the fact nodes hashed from it. Exports use this to deduplicate the union cheaply."""
    if not isinstance(subject, NamedNode):
        return False
    if isinstance(graph, NamedNode) and subject == graph:
        return True
    return subject.value.startswith(_FACT_PREFIXES)


def _fact_iri(kind: str, graph: NamedNode, *parts: object) -> NamedNode:
    h = hashlib.sha1("\x1f".join(map(str, (graph.value, *parts))).encode("utf-8")).hexdigest()
    return NamedNode(f"{ID}{kind}/{h[:20]}")


def _int(n: int) -> Literal:
    return Literal(str(n), datatype=NamedNode(XSD + "nonNegativeInteger"))


def to_quads(facts: ArticleFacts) -> Iterator[Quad]:
    art = facts.article
    g = article_iri(art)

    def q(s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> Quad:
        return Quad(s, p, o, g)

    yield q(g, A, kg("Article"))
    yield q(g, kg("contentHash"), Literal(art.sha256))
    yield q(g, NamedNode(DCTERMS + "identifier"), Literal(art.id))
    if art.title:
        yield q(g, NamedNode(DCTERMS + "title"), Literal(art.title))
    if art.date:
        yield q(g, NamedNode(DCTERMS + "date"), Literal(art.date))
    if art.url:
        yield q(g, NamedNode(DCTERMS + "source"), Literal(art.url))

    used = _used_entities(facts)
    for ent in facts.entities.values():
        if ent.key in used:
            yield from _entity(ent, g, q, facts)

    def provenance(node: NamedNode, ev: Evidence) -> Iterator[Quad]:
        yield q(node, NamedNode(PROV + "wasDerivedFrom"), g)
        yield q(node, NamedNode(NIF + "anchorOf"), Literal(ev.text))
        yield q(node, NamedNode(NIF + "beginIndex"), _int(ev.start))
        yield q(node, NamedNode(NIF + "endIndex"), _int(ev.end))

    for c in facts.claims:
        node = fact_node(g, c)
        yield q(entity_iri(c.claimant), kg("claims"), node)
        yield q(node, A, kg("Statement"))
        yield q(node, VALUE, Literal(c.text))
        yield q(node, kg("direct"),
                Literal(str(c.direct).lower(), datatype=NamedNode(XSD + "boolean")))
        yield q(node, kg("reportingVerb"), Literal(c.verb))
        yield q(node, kg("polarity"), kg("Negative" if c.negated else "Positive"))
        for key in c.mentions:
            if key in facts.entities:
                yield q(node, kg("mentions"), entity_iri(key))
        yield from provenance(node, c.evidence)

    for r in facts.refusals:
        node = fact_node(g, r)
        if r.claimed:  # only the statement that claims it says so; the article does not
            yield q(node, kg("status"), kg("Claimed"))
            yield q(node, kg("agent"), entity_iri(r.agent))
        else:
            yield q(entity_iri(r.agent), kg("refuses"), node)
        yield q(node, A, kg("Deployment"))
        yield q(node, kg("action"), Literal(r.action))
        yield q(node, LABEL, Literal(_deployment_label(r.action, r.location, facts)))
        if r.location:
            yield q(node, kg("location"), entity_iri(r.location))
        yield from provenance(node, r.evidence)

    for c in facts.controls:
        region, ctl = entity_iri(c.region), entity_iri(c.controller)
        node = fact_node(g, c)
        if c.claimed:
            yield q(node, kg("status"), kg("Claimed"))
        else:
            yield q(region, kg("controlledBy"), ctl)
        yield q(node, A, kg("ControlFact"))
        yield q(node, kg("region"), region)
        yield q(node, kg("controller"), ctl)
        if c.when:  # typed, so that SPARQL orders and filters by time
            yield q(node, kg("date"), Literal(c.when, datatype=NamedNode(XSD + _XSD_DATE[
                len(c.when.split("-"))])))
        if c.date:
            yield q(node, kg("dateText"), Literal(c.date))
        yield from provenance(node, c.evidence)


    for link in facts.links:  # statement -> kg:asserts -> fact, statement -> kg:disputes -> ...
        yield q(fact_node(g, link.source), kg(link.relation), fact_node(g, link.target))


def fact_node(g: NamedNode, fact: Claim | Refusal | Control) -> NamedNode:
    """The IRI of a fact's node, hashed from its content within its article."""
    if isinstance(fact, Claim):
        return _fact_iri("statement", g, fact.claimant, fact.text, fact.evidence.start)
    if isinstance(fact, Refusal):
        return _fact_iri("deployment", g, fact.agent, fact.action, fact.location,
                         fact.evidence.start, *(("claimed",) if fact.claimed else ()))
    return _fact_iri("control", g, fact.region, fact.controller, fact.evidence.start,
                     *(("claimed",) if fact.claimed else ()))


#: A calendar value's XSD type by how many parts it has: 2022, 2022-09, 2022-09-10.
_XSD_DATE = {1: "gYear", 2: "gYearMonth", 3: "date"}


def _deployment_label(action: str, location: str | None, facts: ArticleFacts) -> str:
    if not location:
        return action
    ent = facts.entities.get(location)
    return f"{action} in {ent.name if ent else location}"


def _used_entities(facts: ArticleFacts) -> set[str]:
    used: set[str] = set()
    for c in facts.claims:
        used.add(c.claimant)
    for r in facts.refusals:
        used.add(r.agent)
        if r.location:
            used.add(r.location)
    for k in facts.controls:
        used |= {k.region, k.controller}
    # Everything the article names is worth a node, but keep the links closed over used ones.
    used |= set(facts.entities)
    for key in list(used):
        ent = facts.entities.get(key)
        while ent is not None and ent.stands_for and ent.stands_for not in used:
            used.add(ent.stands_for)
            ent = facts.entities.get(ent.stands_for)
    return used


def _entity(ent: Entity, g: NamedNode, q, facts: ArticleFacts) -> Iterator[Quad]:
    s = entity_iri(ent.key)
    yield q(s, A, kg(ent.type))
    yield q(s, LABEL, Literal(ent.name))
    names = {ent.name, *ent.aliases}
    # "Mocímboa da Praia" is also searched, typed and reported as "Mocimboa da Praia"
    names |= {folded for n in names if (folded := fold_accents(n)) != n}
    for alias in sorted(names):
        if alias != ent.name:
            yield q(s, ALT, Literal(alias))
    yield q(s, kg("mentionedIn"), g)
    if ent.qid:
        yield q(s, NamedNode(OWL + "sameAs"), NamedNode(WD + ent.qid))
    if ent.geonames:
        yield q(s, NamedNode(OWL + "sameAs"), NamedNode(f"{GN}{ent.geonames}/"))
    if ent.coords:  # W3C wgs84_pos: what map tools and SPARQL users read for a point
        for prop, value in zip(("lat", "long"), ent.coords, strict=True):
            yield q(s, NamedNode(GEO + prop),
                    Literal(f"{value:.5f}", datatype=NamedNode(XSD + "decimal")))
    if ent.stands_for and ent.stands_for in facts.entities:
        yield q(s, kg("standsFor"), entity_iri(ent.stands_for))
    if ent.role:
        yield q(s, kg("role"), Literal(ent.role))
    if ent.affiliation and ent.affiliation in facts.entities:
        yield q(s, kg("affiliation"), entity_iri(ent.affiliation))
