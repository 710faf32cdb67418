"""Plain records that cross the stage boundary between extraction and RDF.

Extractors only ever produce these; they never see an IRI. Keeping them frozen and
hashable lets the pipeline deduplicate facts repeated across mentions for free.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.article import Article

#: Classes an entity can take; they mirror the ontology's Actor/Place subclasses.
ENTITY_TYPES = (
    "Person", "Organization", "MilitaryUnit", "Group", "Country", "Region", "City", "Place",
)


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: character offsets into the article's text."""

    start: int
    end: int
    text: str


@dataclass
class Entity:
    """One real-world thing, named canonically, with the surface strings that named it."""

    key: str
    name: str
    type: str
    aliases: set[str] = field(default_factory=set)
    qid: str | None = None
    #: Key of the entity this one stands for (the Kremlin -> Russia); not merged with it.
    stands_for: str | None = None
    role: str | None = None
    affiliation: str | None = None
    #: GeoNames id and (latitude, longitude) of a place the gazetteer links (kg.extract.places).
    geonames: int | None = None
    coords: tuple[float, float] | None = None


@dataclass(frozen=True)
class Claim:
    claimant: str
    text: str
    direct: bool
    verb: str
    evidence: Evidence
    negated: bool = False
    #: Keys of the entities the claimed text names, in text order: who the statement is
    #: about, so that "who speaks about whom" is a join rather than a text search.
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Refusal:
    agent: str
    action: str
    location: str | None
    evidence: Evidence
    #: Only claimed: inside an attribution the article disputes or withholds belief from
    #: ("X claimed that units had refused"); no kg:refuses shortcut is written for it.
    claimed: bool = False
    #: Offset of the word that states it, so the statement whose words hold it can be found.
    at: int = -1


@dataclass(frozen=True)
class Control:
    region: str
    controller: str
    evidence: Evidence
    #: The words that date it ("on Saturday"), from the sentence or the article.
    date: str | None = None
    #: Those words as a calendar value: "2022-09-10", "2022-09" or "2022".
    when: str | None = None
    #: Only claimed (see Refusal.claimed): no kg:controlledBy shortcut is written for it.
    claimed: bool = False
    #: Offset of the word that states it.
    at: int = -1


@dataclass(frozen=True)
class Link:
    """One statement about another fact: it `asserts` a control or refusal fact its words
    state, or `disputes` an earlier statement ("the army said that was false")."""

    source: Claim
    relation: str
    target: Claim | Control | Refusal


@dataclass
class ArticleFacts:
    """Everything extracted from one article: the unit that is written to the store at once."""

    article: Article
    entities: dict[str, Entity] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
