"""extract(doc, article) -> ArticleFacts: the extractors, run in order over one parsed Doc.

Entities first (every later step resolves noun phrases through them), then claims (which
record speakers that pronouns later lean on), then refusals and control.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from kg.article import Article
from kg.facts import ArticleFacts, Claim

if TYPE_CHECKING:
    from kg.extract.entities import Mentions


def body_start(article: Article) -> int:
    """Offset of the first paragraph after the headline and dateline: headlines are not facts."""
    paras = article.paragraphs
    if article.title and paras and paras[0].text == article.title:
        i = 1
        while i < len(paras) and (article.date and article.date in paras[i].text
                                  and len(paras[i].text) < 80):
            i += 1
        return paras[i].start if i < len(paras) else 0
    return 0


def extract(doc: Doc, article: Article) -> ArticleFacts:
    from kg.extract.claims import find_claims
    from kg.extract.control import find_controls
    from kg.extract.entities import Mentions
    from kg.extract.links import links
    from kg.extract.refusals import find_refusals

    start = body_start(article)
    mentions = Mentions(doc, article, skip_chars=start)
    claims = _with_mentions(_unique(find_claims(doc, article, mentions, start)), mentions)
    mentions.references.note_quotes(claims)  # "our forces", "we will not advance"
    controls = _unique(find_controls(doc, mentions, start))
    refusals = _unique(find_refusals(doc, mentions, start))
    places_named = {c.region for c in controls} | {r.location for r in refusals if r.location}
    _speakers_are_actors({c.claimant for c in claims} - places_named, mentions)
    mentions.link_places(places_named)
    remap = mentions.merge_linked()  # one node per GeoNames id, named alike in every article
    if remap:
        def k(key: str | None) -> str | None:
            return remap.get(key, key) if key else key

        claims = [replace(c, claimant=k(c.claimant),
                          mentions=tuple(dict.fromkeys(remap.get(m, m) for m in c.mentions)))
                  for c in claims]
        controls = _unique([replace(c, region=k(c.region), controller=k(c.controller))
                            for c in controls])
        refusals = _unique([replace(r, agent=k(r.agent), location=k(r.location))
                            for r in refusals])
    facts = ArticleFacts(article=article, entities=mentions.entities, claims=claims,
                         refusals=refusals, controls=controls)
    facts.links = links(facts, mentions.text)
    return facts


def _speakers_are_actors(speakers: set[str], mentions: Mentions) -> None:
    """Whoever speaks is someone: a name NER took for a place ("gave his name only as
    Wilfredo", a town of that name exists; "Brothers in Arms said") is a person or a group,
    unless it stands for a state ("Kyiv said") or is a place the facts use as one."""
    from kg.extract.entities import PLACE_TYPES

    for key in speakers:
        ent = mentions.entities.get(key)
        if ent is None or ent.type not in PLACE_TYPES - {"Country"} or ent.stands_for:
            continue
        ent.type = "Person" if len(ent.name.split()) <= 2 and not ent.name.endswith("s") \
            else "Group"
        ent.geonames = ent.coords = None


def _with_mentions(claims: list[Claim], mentions: Mentions) -> list[Claim]:
    """Each claim with the entities named inside its claimed text (kg:mentions).

    Exact by offsets: a mention counts when its characters fall inside the claimed text's
    span, so the speaker named before "said" is not what the statement is about, and a name
    that only appears elsewhere in the sentence is not either.
    """
    from kg.extract.links import content_span

    doc = mentions.doc
    spans = sorted((doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1]), m.key)
                   for m in mentions.mentions if m.end > m.start)
    out = []
    for c in claims:
        lo, hi = content_span(mentions.text, c)
        keys = dict.fromkeys(key for a, b, key in spans if lo <= a and b <= hi)
        out.append(replace(c, mentions=tuple(keys)) if keys else c)
    return out


def _unique(items):  # type: ignore[no-untyped-def]
    seen, out = set(), []
    for it in items:
        if it not in seen:
            seen.add(it)
            out.append(it)
    return out
