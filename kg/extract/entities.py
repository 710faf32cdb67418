"""Mentions -> canonical entities, and noun phrases -> the entity they refer to.

One Mentions object per document. It knows every named mention (NER + gazetteer), merges
aliases (acronym definitions, possessives, titles, surnames after full names, acronyms of known
names) and resolves the noun phrases extractors care about: speakers, agents, controllers,
places. Pronouns and definite descriptions resolve by recency and type, which is what news
prose relies on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from kg.article import Article
from kg.extract import gazetteer as gz
from kg.extract import places
from kg.facts import Entity
from kg.nlp import datelines
from kg.rdf import fold_accents

if TYPE_CHECKING:
    from kg.extract.references import References
from kg.resources import load_set, load_table

TYPE_OF_LABEL = {"PERSON": "Person", "ORG": "Organization", "GPE": "Place", "LOC": "Region",
                 "FAC": "Place", "NORP": "Group"}
PLACE_TYPES = {"Country", "Region", "City", "Place"}
ACTOR_TYPES = {"Person", "Organization", "MilitaryUnit", "Group", "Country"}
PRONOUNS_PERSON = {"he", "she", "him", "her", "his", "hers", "i", "me", "my", "we", "us", "our"}
PRONOUNS_THING = {"it", "its", "they", "them", "their", "theirs"}
#: "all of X", "most of X": a share of land, so X read as a region ("all of Luhansk").
SHARE_WORDS = {"all", "most", "much", "part", "parts", "half", "swathes", "swaths"}
#: Short names of a defence ministry: the one the article names, never an entity of their own.
MINISTRY_SHORT = {"MoD", "MOD", "MoDs"}
#: Words after a name that make it a subdivision ("Kherson region").
REGION_NOUNS = {"region", "oblast", "province", "governorate", "state", "district"}
PLACE_PREPOSITIONS = {"in", "from", "near", "outside", "around", "into", "towards", "toward"}
_APOS = re.compile(r"['\u2019]s?$")


def clean_name(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"^(the|a|an)\s+", "", text, flags=re.I)
    text = re.sub(r"\s*['\u2019]s?$", "", text)
    return text.strip(" ,.;:\"“”‘’'()")


@dataclass
class Mention:
    start: int  # token index
    end: int
    key: str


class Mentions:
    """The entities of one article and the resolution of noun phrases to them."""

    def __init__(self, doc: Doc, article: Article, skip_chars: int = 0) -> None:
        from kg.nlp import doc_text

        self.doc = doc
        self.text = doc_text(doc)  # Doc.text joins every token anew on each access
        self._dateline_places = [m.span("place") for m in datelines(self.text)]
        self.article = article
        self.entities: dict[str, Entity] = {}
        self.mentions: list[Mention] = []
        self.token_key: dict[int, str] = {}
        self.last_speaker: list[tuple[int, str]] = []  # (token index, key)
        self._titles = load_set("lexicon/titles.txt")
        self._groups = load_set("lexicon/group_nouns.txt")
        self._staff = load_set("lexicon/staff_nouns.txt")
        self._armies = load_set("lexicon/army_nouns.txt")
        self._descr = load_table("lexicon/descriptor_nouns.tsv")
        self._institutions = load_set("lexicon/institution_nouns.txt")
        self._documents = load_set("lexicon/document_nouns.txt")
        self._person_nouns = load_set("lexicon/person_nouns.txt")
        self._acronyms: dict[str, str] = {}
        taken = self._acronym_mentions(skip_chars)
        for ent in doc.ents:
            if ent.label_ in TYPE_OF_LABEL and ent.start_char >= skip_chars and \
                    not taken & set(range(ent.start, ent.end)):
                ent = self._widen(ent)
                key = self._key_for_ent(ent)
                if key:
                    self._add_mention(ent.start, ent.end, key, ent.text)

    # ------------------------------------------------------------ building
    def _widen(self, ent: Span) -> Span:
        """'Pavel [Chikov]' -> 'Pavel Chikov': the small model often clips a first name; a
        name with a person-noun apposition ('Yelena, a woman from ...') is a person."""
        if ent.ent_id_:
            return ent
        start = ent.start
        while start > 0:
            t = self.doc[start - 1]
            if t.pos_ == "PROPN" and t.dep_ == "compound" and not t.ent_type_ and \
                    t.lower_ not in self._titles and t.text[:1].isupper():
                start -= 1
            elif re.fullmatch(r"\d+(st|nd|rd|th)", t.lower_) and ent.label_ == "ORG":
                start -= 1  # "12th Regiment": the number is part of the unit's name
            else:
                break
        label = ent.label_
        if label != "PERSON" and any(c.dep_ == "appos" and c.lemma_.lower() in self._person_nouns
                                     for c in ent.root.children):
            label = "PERSON"
        elif label not in {"GPE", "LOC", "FAC"} and self._named_as_place(ent):
            label = "GPE"
        if start == ent.start and label == ent.label_:
            return ent
        return Span(self.doc, start, ent.end, label=label)

    def _named_as_place(self, ent: Span) -> bool:
        """'Laukkai, a town on the border', 'the village of Ber', a dateline's 'YANGON': the
        text says it is a place, whatever NER guessed (often a person or organisation)."""
        def place_noun(t: Token) -> bool:
            return self._descr.get(t.lower_) in {"City", "Region"}

        root = ent.root
        if any(c.dep_ == "appos" and place_noun(c) for c in root.children):
            return True
        if root.dep_ == "pobj" and root.head.lower_ == "of" and place_noun(root.head.head):
            return True
        return any(start <= ent.start_char and ent.end_char <= end
                   for start, end in self._dateline_places)

    def _acronym_mentions(self, skip_chars: int) -> set[int]:
        """'Myanmar National Democratic Alliance Army (MNDAA)': the words whose initials make
        the acronym are one name, whatever NER made of them (often a country and loose
        words), and the acronym names it wherever it appears. Returns the tokens so taken."""
        text, spans = self.text, []
        for m in re.finditer(r"\(([A-Z][A-Za-z0-9]{1,7})\)", text):
            abbr, end = m.group(1), len(text[:m.start()].rstrip())
            window = max(0, end - 160)
            words = list(re.finditer(r"[\w’'-]+", text[window:end]))[-10:]
            for n in range(1, len(words) + 1):  # the shortest run whose initials fit
                cand = [w.group() for w in words[-n:]]
                if not cand[0][:1].isupper():
                    continue
                initials = "".join(w[0] for w in cand if w[:1].isupper() or w.lower() == "of")
                if abbr.upper() in (initials.upper(),
                                    "".join(w[0] for w in cand if w[:1].isupper()).upper()):
                    self._acronyms[abbr] = " ".join(cand)
                    span = self.doc.char_span(window + words[-n].start(), end,
                                              alignment_mode="expand")
                    if span is not None and span.start_char >= skip_chars:
                        spans.append((abbr, span))
                    break
        taken: set[int] = set()
        for abbr, span in spans:
            if taken & set(range(span.start, span.end)):
                continue
            long = clean_name(span.text)
            canon = gz.by_form().get(long.lower())  # not by the letters: SAF is not SAF
            label = next((e.label_ for e in span.ents if e.start == span.start and
                          e.end == span.end), "ORG")
            key = self.ensure_gazetteer(canon) if canon else self._ensure(
                long, long, TYPE_OF_LABEL.get(label, "Organization")).key
            self.entities[key].aliases.add(abbr)
            uses = [span] + [self.doc[t.i:t.i + 1] for t in self.doc
                             if t.text == abbr and t.idx >= skip_chars]
            for use in uses:
                if not taken & set(range(use.start, use.end)):
                    self._add_mention(use.start, use.end, key, use.text)
                    taken |= set(range(use.start, use.end))
        self.mentions.sort(key=lambda m: m.start)
        return taken

    def _ensure(self, key: str, name: str, etype: str, qid: str | None = None,
                stands_for: str | None = None) -> Entity:
        ent = self.entities.get(key)
        if ent is None:
            ent = Entity(key=key, name=name, type=etype, qid=qid, stands_for=stands_for)
            self.entities[key] = ent
            if stands_for:
                self.ensure_gazetteer(stands_for)
        return ent

    @cached_property
    def references(self) -> References:
        """The article's place resolver, made once (it reads the datelines)."""
        from kg.extract.references import References

        return References(self)

    def add_place(self, span: Span, etype: str = "Region", name: str | None = None) -> str:
        """A place named by a phrase rather than by NER ("south Lebanon", "western and southern
        Tigray"): an entity of its own, with its mention, so references can find it later.
        `name` when the phrase says it in other words ("the city's southern districts")."""
        name = clean_name(name or span.text)
        self._ensure(name, name, etype).aliases.add(name)
        self._add_mention(span.start, span.end, name, name)
        self.mentions.sort(key=lambda m: m.start)
        return name

    def ensure_gazetteer(self, name: str) -> str:
        e = gz.entries().get(name)
        if e is None:
            return name
        ent = self._ensure(e.name, e.name, e.type, e.qid, e.stands_for)
        if e.country and ent.affiliation is None and e.country in gz.entries():
            ent.affiliation = self.ensure_gazetteer(e.country)  # 'Russian Ministry of Defence'
        if ent.geonames is None:
            self._link(ent, places.link_entry((e.name, *e.aliases), e.type, e.stands_for))
        return e.name

    def _link(self, ent: Entity, place: places.Place | None) -> None:
        """GeoNames id and coordinates for an entity the place table knows."""
        if place is not None and ent.type in PLACE_TYPES:
            ent.geonames = place.gid
            if place.lat is not None and place.lon is not None:
                ent.coords = (place.lat, place.lon)

    def link_places(self, places_named: set[str]) -> None:
        """After extraction, link every place entity still unlinked, whatever path made it
        (a control fact's region, 'the town of X', a refusal's location), and type the
        generic 'Place' as what it is. `places_named`: keys extractors used as places."""
        countries = self.article_countries()
        for key, ent in self.entities.items():
            if ent.geonames or ent.type == "Country" or (
                    ent.type not in PLACE_TYPES and key not in places_named):
                continue
            for form in (ent.name, *sorted(ent.aliases, key=len)):
                place = places.choose(form, countries=countries)
                if place is not None and (place.level < 2 or place.country in countries or
                                          place.population >= places.ALT_POPULATION * 10):
                    if ent.type not in {"Country", "Region", "City"}:
                        ent.type = place.kind
                    if ent.type == place.kind:
                        self._link(ent, place)
                    break
        self._reread_as_places(countries)

    def _reread_as_places(self, countries: list[str]) -> None:
        """NER's organisation or person read again as a place once the whole article is
        known: `_mistyped_place` judged each mention with the countries named so far
        ('DHAKA/NEW DELHI' opens the story before Bangladesh is named), and a name the article
        also writes as a place is that place ('after taking al-Abdiyah' (ORG) beside 'In
        al-Abdiyah' (GPE)), as is another name of a place it names ('Stepanakert' (PERSON),
        GeoNames' other name for Khankendi). Never a speaker, a gazetteer name, a role holder
        or a body of a state: whoever speaks or belongs to a state is no place."""
        speakers = {k for _, k in self.last_speaker}
        linked: dict[str, Entity] = {}
        for ent in self.entities.values():
            if ent.geonames and ent.type in {"Region", "City"}:
                for n in (ent.name, *ent.aliases):
                    linked.setdefault(places.fold(n), ent)
        gids = {e.geonames for e in linked.values()}
        for key, ent in self.entities.items():
            if ent.type not in {"Organization", "Person"} or ent.geonames or \
                    key in gz.entries() or key in speakers or ent.role or ent.affiliation or \
                    ent.stands_for or key.startswith(f"{self.article.id}/"):
                continue
            spans = [self.doc[m.start:m.end] for m in self.mentions if m.key == key]
            if any(s.root.dep_ in {"nsubj", "nsubjpass"} and not self._named_as_place(s)
                   for s in spans):
                continue  # "Liverpool beat Chelsea": what acts is the club, not the city
            if not spans:
                continue
            same = linked.get(places.fold(ent.name))
            place = places.get(same.geonames) if same and same.geonames else \
                places.choose(ent.name, want=self._place_cue(spans[0]), countries=countries)
            if place is None or place.kind == "Country":
                continue

            def placed(s: Span) -> bool:
                """In a dateline or after 'in/near/from': a name the whole article's
                countries alone do not make a place ('the NBC forum', 'Keith Lamont Scott')."""
                return self._named_as_place(s) or (
                    s.start > 0 and self.doc[s.start - 1].lower_ in PLACE_PREPOSITIONS and
                    not (s.text.isupper() and len(s.text) <= 4))

            if same is None and place.gid not in gids and not (
                    (place.level < 2 or place.country in countries or
                     place.population >= places.ALT_POPULATION * 10) and
                    all(self._mistyped_place(s, ent.name, place) and placed(s)
                        for s in spans)):
                continue
            ent.type = place.kind
            self._link(ent, place)

    def merge_linked(self) -> dict[str, str]:
        """One entity per GeoNames id, keyed as in every other article: a place linked late
        (by `link_places`) or twice ('MARIB' in the dateline, 'Marib' in the text) is rekeyed
        to its GeoNames name, or merged into the entity already so keyed. Returns the old key
        -> new key map, for the facts made before.

        The article's own words win over the table's guess: a district the table read from
        its bare name ('Palma' -> Palma District) where the article makes that name a town
        ('Palma, the northern gas hub', left unlinked: GeoNames' town is not in the table) is
        the town; and where the article names the city X, its region 'X province' is not
        also 'X' ('western parts of Kirkuk province' beside 'the oil city of Kirkuk')."""
        remap: dict[str, str] = {}
        fold = places.fold
        towns = {fold(e.name): e for e in self.entities.values() if e.type == "City"}
        for key, ent in list(self.entities.items()):
            place = places.get(ent.geonames) if ent.geonames and ent.type == "Region" else None
            if place is None or key in gz.entries():
                continue
            town = towns.get(fold(ent.name))
            if town is None:
                continue
            if not town.geonames and place.level == 2 and fold(place.name) != fold(ent.name):
                town.aliases |= ent.aliases | {ent.name}
                remap[key] = town.key
                del self.entities[key]
        for key, ent in list(self.entities.items()):
            if not ent.geonames or key in gz.entries() or ent.type == "Country":
                continue
            place = places.get(ent.geonames)
            if place is None:
                continue
            canon = places.hand_names().get(place.gid) or \
                fold_accents(place.name).replace("\u2019", "'")
            if canon in gz.entries() and places.hand_names().get(place.gid) != canon:
                canon = f"{canon} ({place.country})"
            other = self.entities.get(canon)
            if canon == key or (other is not None and other.geonames != ent.geonames):
                continue
            remap[key] = canon
            del self.entities[key]
            if other is None:
                ent.key = canon
                self.entities[canon] = ent
            else:
                other.aliases |= ent.aliases | {ent.name}
        towns = {fold(e.name): e for e in self.entities.values()
                 if e.type == "City" and e.geonames}
        for ent in self.entities.values():
            explicit = sorted(a for a in ent.aliases if fold(a).startswith(fold(ent.name) + " ")
                              and a.split()[-1].lower() in REGION_NOUNS)
            if ent.type == "Region" and ent.geonames and explicit and \
                    fold(ent.name) in towns and ent.key not in gz.entries():
                ent.aliases = {a for a in ent.aliases if fold(a) != fold(ent.name)}
                ent.name = explicit[0]
        if remap:
            for ent in self.entities.values():
                ent.stands_for = remap.get(ent.stands_for or "", ent.stands_for)
                ent.affiliation = remap.get(ent.affiliation or "", ent.affiliation)
            for m in self.mentions:
                m.key = remap.get(m.key, m.key)
            self.token_key = {i: remap.get(k, k) for i, k in self.token_key.items()}
        return remap

    def article_countries(self) -> list[str]:
        """ISO codes of the countries the article has named so far, to read its places by."""
        codes = {code for ent in self.entities.values() if ent.type == "Country"
                 and (code := places.country_code(ent.name))}
        for ent in self.entities.values():  # "Weston" after "Florida": the United States
            if ent.geonames and ent.type != "Country" and (p := places.get(ent.geonames)):
                codes.add(p.country)
        return sorted(codes)

    def _ministry_named(self, ent: Span, name: str) -> str | None:
        """'MoD', 'MOD': the defence ministry the article named last ('Britain's Ministry of
        Defence ... the MoD said'), else its state's; nothing when the article has no state."""
        for m in reversed(self.mentions):
            found = self.entities[m.key]
            if m.start < ent.start and found.type == "Organization" and \
                    re.search(r"\bdefen[cs]e\b", found.name, re.I):
                return found.key
        owner = self._owner_country(ent) or self.focal_country(ent.start)
        return self._state_body(owner, "Ministry of Defence", "Organization", name) \
            if owner else None

    def _state_of_that_name(self, ent: Span, name: str, canon: str) -> str | None:
        """'Georgia' beside Atlanta and the United States is the US state, not the country
        the hand-made gazetteer knows by that name: a country's name read as a subdivision
        of a country the article names and places in, when it does not name the country.
        Likewise a city or region the phrase reads as the other ('almost all of Luhansk')."""
        kind = gz.entries()[canon].type
        if ent.label_ in {"GPE", "LOC"} and kind in {"City", "Region"}:
            # "all of Luhansk", "the city of Kherson": the phrase says which of the two
            want = self._place_cue(ent)
            if want == "Region" and self._share_of_bare_name(ent, name):
                return None  # "most of Khartoum" where the article names Khartoum bare
            return self._place_key(ent, name) if want and want != kind else None
        if ent.label_ not in {"GPE", "LOC"} or kind != "Country" or canon in self.entities:
            return None
        place = places.choose(name, countries=self.article_countries())
        if place is None or place.kind != "Region":
            return None
        # and a town or state of that country is named: 'the US and Georgia' stays the country
        near = any(e.geonames and e.type != "Country" and (p := places.get(e.geonames)) and
                   p.country == place.country for e in self.entities.values())
        return self._place_key(ent, name) if near else None

    def _mistyped_place(self, ent: Span, name: str, place: places.Place) -> bool:
        """NER's organisation or person that is a place: 'officers from Krasnodar' (ORG),
        'fighting near Djibo' (PERSON). Only a name that is no English word or common name,
        of a town of some size or a subdivision, after a place preposition or in a country
        the article names; a longer NER name ('Michael Jackson') never gets here. WordNet
        also lists the world's great cities ('Dhaka'): a city of a million is no word."""
        before = self.doc[ent.start - 1].lower_ if ent.start else ""
        known_word = name.lower() in places.common_words() and place.population < 1_000_000
        # the phrase names the kind: "the al-Jubah and Jabal Murad districts", "X district"
        i = ent.end
        if i < len(self.doc) and self.doc[i].lower_ == "and":
            i += 1
            while i < len(self.doc) and self.doc[i].pos_ == "PROPN":
                i += 1
        kind_named = place.kind == "Region" and i < len(self.doc) and \
            self.doc[i].lemma_.lower() in REGION_NOUNS
        return not known_word and (
            place.population >= places.ALT_POPULATION or place.level < 2 or kind_named) and (
            before in PLACE_PREPOSITIONS or
            (place.country in self.article_countries() and place.kind != "Country"))

    def _share_of_bare_name(self, ent: Span, name: str) -> bool:
        """'all of X', 'part of X' (a share word, the weakest cue for a region) where the
        article also names X with no cue at all: one name keeps one reading in an article, so
        the share is of the place X names there ('All of Kirkuk is now in the hands of the
        peshmerga' after 'the oil city of Kirkuk', 'part of Kunduz' beside 'near Kunduz').
        With no bare X ('all of Luhansk' beside 'Luhansk Oblast', or beside 'Luhansk city',
        which sets the city apart) the share is the region's."""
        before = self.doc[ent.start - 1] if ent.start else None
        after = self.doc[ent.end] if ent.end < len(self.doc) else None
        if before is None or before.lower_ != "of" or ent.start < 2 or \
                self.doc[ent.start - 2].lower_ not in SHARE_WORDS or \
                (after is not None and after.lower_ in REGION_NOUNS):
            return False
        low = name.lower()
        return any(e.start != ent.start and clean_name(e.text).lower() == low and
                   self._place_cue(e) is None and e.label_ in {"GPE", "LOC"} and not (
                       e.end < len(self.doc) and self.doc[e.end].lower_ in {"city", "town"})
                   for e in self.doc.ents)

    def _place_cue(self, ent: Span) -> str | None:
        """The kind of place the phrase says: 'the city of X' -> City, 'X region' -> Region."""
        before = self.doc[ent.start - 1] if ent.start else None
        if before is not None and before.lower_ == "of" and ent.start >= 2:
            kind = self._descr.get(self.doc[ent.start - 2].lower_)
            if kind in {"City", "Region"}:
                return kind
            if self.doc[ent.start - 2].lower_ in SHARE_WORDS:
                return "Region"  # "almost all of Luhansk": the oblast, not the city
        after = self.doc[ent.end] if ent.end < len(self.doc) else None
        if after is not None and after.lower_ in REGION_NOUNS:
            return "Region"
        return None

    def _place_key(self, ent: Span, name: str) -> str | None:
        """A name NER typed a place that the place table knows: one entity per GeoNames id.
        The key (and so the IRI) is GeoNames' name, the same in every article ('Izium' and
        'Izyum' are one node); the label stays the name as the article writes it."""
        if ent.label_ not in {"GPE", "LOC", "ORG", "PERSON"}:
            return None
        want, countries = self._place_cue(ent), self.article_countries()
        if want == "Region" and self._share_of_bare_name(ent, name):
            want = None  # "All of Kirkuk" where the article names the city Kirkuk bare
        place = places.choose(name, want=want, countries=countries)
        if place is not None and place.kind == "Region" and re.search(r" [Cc]ity$", name):
            # "Marib city": the town, not the district GeoNames calls "Marib City"
            town = places.choose(name[:-5], want="City", countries=countries,
                                 kinds=("City",))
            place = town if town is not None and town.country == place.country else place
        if place is None or not (want or place.level < 2 or place.country in countries or
                                 place.population >= places.ALT_POPULATION * 10):
            return None  # a village of the same name abroad ('Horace', 'Nagel'): not linked
        if ent.label_ in {"ORG", "PERSON"} and not self._mistyped_place(ent, name, place):
            return None
        known = places.hand_names().get(place.gid)
        if known:  # the hand-made gazetteer's name for it ('Avdiyivka' is Avdiivka)
            return self.ensure_gazetteer(known)
        key = fold_accents(place.name).replace("\u2019", "'")
        if key in gz.entries():  # the US state Georgia beside the country Georgia
            key = f"{key} ({place.country})"
        # a capital stands for its state, as the hand-made capitals do ("Baku's control")
        capital_of = places.hand_names().get(place.capital_of or -1)
        obj = self._ensure(key, name, place.kind, stands_for=capital_of)
        self._link(obj, place)
        return key

    def _add_mention(self, start: int, end: int, key: str, surface: str) -> None:
        self.mentions.append(Mention(start, end, key))
        for i in range(start, end):
            self.token_key.setdefault(i, key)
        alias = clean_name(surface)
        if alias:
            self.entities[key].aliases.add(alias)

    def _key_for_ent(self, ent: Span) -> str | None:
        if ent.ent_id_ and ent.ent_id_ in gz.entries():
            return self._state_of_that_name(ent, clean_name(ent.text), ent.ent_id_) or \
                self.ensure_gazetteer(ent.ent_id_)
        toks = [t for t in ent if not (t.i == ent.start and t.lower_ in {"the", "a", "an"})]
        if len(toks) > 2 and toks[1].tag_ == "POS" and self.country_of(toks[0]):
            toks = toks[2:]  # "Norway's Equinor" is Equinor; the country is its own mention
        titles: list[str] = []
        while len(toks) > 1 and toks[0].lower_ in self._titles:
            titles.append(toks[0].text)
            toks = toks[1:]
        # Title words just before the name are its holder's role ("Prime Minister Ivo Petrov").
        i = ent.start - 1
        while i >= 0 and self.doc[i].lower_ in self._titles and self.doc[i].text[:1].isupper():
            titles.insert(0, self.doc[i].text)
            i -= 1
        # The text as written: joining tokens would turn "Prosecutor's" into "Prosecutor 's".
        name = clean_name(self.doc[toks[0].i:toks[-1].i + 1].text if toks else "")
        if not name or not any(c.isalpha() for c in name):
            return None
        canon = gz.by_form().get(name.lower())
        if canon:
            return self._state_of_that_name(ent, name, canon) or self.ensure_gazetteer(canon)
        country = gz.by_demonym().get(name.lower())
        if country:  # "Ukrainian" tagged GPE or NORP: the state
            return self.ensure_gazetteer(country)
        if ent.label_ == "NORP":
            return None
        if name in MINISTRY_SHORT:
            return self._ministry_named(ent, name)
        if name in self._acronyms:
            long = clean_name(self._acronyms[name])
            canon = gz.by_form().get(long.lower())
            return self.ensure_gazetteer(canon) if canon else self._ensure(
                long, long, TYPE_OF_LABEL[ent.label_]).key
        for abbr, long in self._acronyms.items():
            if clean_name(long) == name:
                self._ensure(name, name, TYPE_OF_LABEL[ent.label_]).aliases.add(abbr)
        etype = TYPE_OF_LABEL[ent.label_]
        if etype == "Person" and titles:
            key = self._surname_match(name, titled=True) or self.ensure_person(name)
            ent_obj = self.entities[key]
            ent_obj.role = ent_obj.role or " ".join(titles)
            return key
        if len(ent) == 1 and ent.end < len(self.doc) and \
                self.doc[ent.end].lower_ in self._titles and ent.label_ != "PERSON":
            return None  # "Trade Secretary", "Justice Minister": a department, not an entity
        if len(name.split()) == 1 or etype == "Person":
            key = self._surname_match(name)  # NER often types a lone surname ORG or GPE
            if key:
                return key
        elif len(name) <= 6 and name.isupper():
            key = self._initials_match(name)
            if key:
                return key
        if etype == "Organization" and self._is_generic_org(name):
            owner = self._owner_country(ent)
            if owner:
                surface = self.doc[ent.start - 2:ent.end] if ent.start >= 2 and \
                    self.doc[ent.start - 1].tag_ == "POS" else ent
                return self._state_body(owner, name, etype, clean_name(surface.text))
        return self._place_key(ent, name) or self._ensure(name, name, etype).key

    def ensure_person(self, name: str) -> str:
        return self._ensure(name, name, "Person").key

    def _is_generic_org(self, name: str) -> bool:
        return bool(re.match(r"^(Ministry|Department|Office|Parliament|Government|Army|"
                             r"Navy|Air Force|Interior Ministry|Defence Ministry|Defense)", name))

    def _owner_country(self, ent: Span) -> str | None:
        """'the UK's Ministry of Defence' -> United Kingdom (via possessive or compound)."""
        for t in ent.root.children:
            if t.dep_ in {"poss", "compound", "amod", "nmod"} and t.i < ent.start:
                c = self.country_of(t)
                if c:
                    return c
        if ent.start > 0:
            c = self.country_of(self.doc[ent.start - 1])
            if c:
                return c
        return None

    def country_of(self, t: Token) -> str | None:
        """The country a token names or is the demonym of ('UK', 'Russian'), if any."""
        txt = clean_name(t.text)
        canon = gz.by_form().get(txt.lower()) or gz.by_demonym().get(txt.lower())
        if canon and gz.entries()[canon].type == "Country":
            return self.ensure_gazetteer(canon)
        return None

    def short_form(self, tok: Token) -> str | None:
        """'the Commission' after 'the European Commission': an organisation by its last word."""
        if tok.pos_ != "PROPN" or not tok.text[:1].isupper():
            return None
        for m in reversed(self.mentions):
            words = self.entities[m.key].name.split()
            if m.start < tok.i and len(words) > 1 and words[-1] == tok.text and \
                    self.entities[m.key].type in {"Organization", "MilitaryUnit"}:
                return m.key
        return None

    def _surname_match(self, name: str, *, titled: bool = False) -> str | None:
        """The person a lone surname refers to: the last one with it. After "Mr./Ms./Sen."
        the surname names a person whatever NER typed the full name earlier ("Marta Lind"
        tagged a place): that entity is the person, and becomes one."""
        parts = name.split()
        for m in reversed(self.mentions):
            ent = self.entities[m.key]
            if titled and len(parts) == 1 and ent.type in {"Place", "Organization"} and \
                    not ent.qid and len(ent.name.split()) in {2, 3} and \
                    ent.name.split()[-1] == parts[0]:
                ent.type = "Person"
            if ent.type != "Person" or ent.key == name:
                continue
            words = ent.name.split()
            if len(parts) == 1 and parts[0] in words[1:]:
                return ent.key
            if len(parts) > 1 and len(words) == 1 and words[0] == parts[0]:
                return None
        return None

    def _initials_match(self, abbr: str) -> str | None:
        for key, ent in self.entities.items():
            for form in (ent.name, *ent.aliases):
                words = [w for w in re.split(r"[\s-]+", form) if w]
                if len(words) < 2:
                    continue
                initials = "".join(w[0] for w in words if w[0].isupper() or w.lower() == "of")
                if initials.upper() == abbr.upper():
                    return key
        return None

    # ------------------------------------------------------------ resolving
    def entity_at(self, tok: Token) -> str | None:
        return self.token_key.get(tok.i)

    def note_speaker(self, tok: Token, key: str) -> None:
        self.last_speaker.append((tok.i, key))

    def recent(self, before: int, types: set[str], *, window: int = 400) -> str | None:
        for m in reversed(self.mentions):
            if m.start < before and before - m.start < window and \
                    self.entities[m.key].type in types:
                return m.key
        return None

    def speaker_before(self, before: int, *, persons: bool | None = None) -> str | None:
        for i, key in reversed(self.last_speaker):
            if i < before:
                is_person = self.entities[key].type == "Person"
                if persons is None or persons == is_person:
                    return key
        return None

    def np_span(self, head: Token) -> Span:
        """The noun phrase of `head`: its subtree minus relative clauses, appositions and
        parentheses, cut at the first gap those leave."""
        drop = {"relcl", "appos"}
        skip: set[int] = set()
        for t in head.subtree:
            if t.i != head.i and (t.dep_ in drop or (t.dep_ == "acl" and (
                    t.tag_ != "VBN" or self.doc[t.left_edge.i - 1].text == ","))):
                skip |= {x.i for x in t.subtree}
        toks = [t for t in head.subtree if t.i not in skip]
        inner = [t for t in toks if t.text in "()"]
        if inner:
            cut = min(t.i for t in inner)
            toks = [t for t in toks if t.i < cut] if cut > head.i else toks
        while toks and toks[-1].dep_ == "punct":
            toks.pop()
        idx = [t.i for t in toks] or [head.i]
        lo, hi = min(idx), max(idx)
        gaps = [i for i in range(lo, hi + 1) if i not in set(idx)]
        if gaps:
            after = [g for g in gaps if g > head.i]
            before = [g for g in gaps if g < head.i]
            hi = min(after) - 1 if after else hi
            lo = max(before) + 1 if before else lo
        return self.doc[lo:hi + 1]

    def resolve(self, head: Token, *, role: str = "actor",
                anchor: Token | None = None) -> str | None:
        """The entity a noun phrase headed by `head` refers to, or a new descriptor entity.

        role "actor" keeps armies and descriptors as actors of their own; role "controller"
        folds state forces into the state.
        """
        low = head.lower_
        if head.pos_ == "PRON":
            return self._pronoun(head, anchor or head)
        key = self.entity_at(head) or self.short_form(head)
        if key:
            return self._as_actor(key, role)
        for c in head.subtree if head.pos_ == "NOUN" else head.children:
            k = self.entity_at(c) if c.dep_ == "appos" else None
            # "the mayor of X, Rui Matos,", "the manufacturer, BioVax,": the name is the actor.
            if k and (c.i == head.i + 1 or self.entities[k].type == "Person" or (
                    self.entities[k].type in ACTOR_TYPES - {"Country"} and
                    self.doc[c.left_edge.i - 1].text == ",")):
                return self.resolve(c, role=role, anchor=anchor)
        mods = [c for c in head.children
                if c.dep_ in {"poss", "compound", "amod", "nmod", "npadvmod"} and c.i < head.i]
        mod_keys = [(c, self._mod_key(c, anchor or head)) for c in mods]
        mod_keys = [(c, k) for c, k in mod_keys if k]
        states = {k for c, k in mod_keys if c.dep_ in {"amod", "compound"} and
                  self.entities[k].type == "Country" and c.pos_ in {"ADJ", "PROPN"}}
        if len(states) > 1 and low in self._groups | self._armies:
            # "Bosnian Serb forces", "Syrian Kurdish fighters": a people's forces within a
            # state, neither state's own
            return self._descriptor_entity(head, role)
        if low in self._groups or low in self._staff or low in self._armies:
            for _, k in mod_keys:
                ent = self.entities[k]
                if low in self._staff and ent.type not in {"Person", "Country"}:
                    ent.aliases.add(clean_name(self.np_span(head).text))
                    return k
                if ent.type == "Country" and (self._descr.get(low) == "NonState" or
                                              low in self._staff):
                    continue  # "Syrian rebels", "US officials": descriptors, not the state
                if ent.type == "Country":
                    if low in self._armies and role == "actor":
                        return self._army_of(k, head)
                    ent.aliases.add(clean_name(self.np_span(head).text))
                    return k
                if ent.type in {"MilitaryUnit", "Organization"}:
                    if role == "controller" and ent.stands_for:
                        return ent.stands_for
                    ent.aliases.add(clean_name(self.np_span(head).text))
                    return k
        owner = self._speaks_for(head, low)
        if owner:
            return self._as_actor(owner, role)
        det = {c.lower_ for c in head.children if c.dep_ == "det"}
        cls = self._descr.get(low)
        has_prep = any(c.dep_ in {"prep", "acl", "relcl"} for c in head.children)
        if cls == "Government" and det & {"the"} and not mod_keys and not has_prep:
            return self._descriptor(head, cls)
        if low in self._armies and det == {"the"} and not mod_keys and not has_prep:
            # "the army said", like "the government said": the article's state's own.
            country = self.focal_country(head.i)
            if country:
                return self._army_of(country, head) if role == "actor" else country
        if cls and det & {"the", "this", "that"} and not mod_keys and not has_prep:
            found = self._descriptor(head, cls)
            if found:
                return found
        if not cls and det == {"the"} and not mod_keys and not has_prep and \
                low not in self._armies and head.tag_ == "NN":
            found = self._named_by_head(head)
            if found:
                return self._as_actor(found, role)
        return self._descriptor_entity(head, role)

    def _named_by_head(self, head: Token) -> str | None:
        """"the alliance" after "the Three Brotherhood Alliance", "the front" after "the
        al-Nusra Front": the last named actor whose name ends in the noun."""
        word = head.lower_
        for m in reversed(self.mentions):
            if m.start >= head.i:
                continue
            ent = self.entities[m.key]
            last = ent.name.split()[-1] if ent.name else ""
            if ent.type in ACTOR_TYPES - {"Country", "Person"} and last.lower() == word and \
                    last[:1].isupper() and not m.key.startswith(f"{self.article.id}/"):
                return m.key
        return None

    def _as_actor(self, key: str, role: str) -> str:
        """A metonym as actor is the state it stands for; its surface stays an alias there."""
        ent = self.entities[key]
        if role != "place" and ent.stands_for and ent.type != "Person":
            self.entities[ent.stands_for].aliases.add(ent.name)
            return ent.stands_for
        return key

    def _speaks_for(self, head: Token, low: str) -> str | None:
        """'fighters from X', 'a spokesperson for X', 'a statement released by X' -> X."""
        if low in self._groups:
            preps = {"of", "from"}
        elif low in self._staff:
            preps = {"for", "of", "at"}
        elif low in self._documents:
            preps = {"by", "from", "of"}
        else:
            preps = set()
        for acl in head.children:  # "rebels led by X"
            if acl.dep_ == "acl" and acl.lemma_.lower() == "lead":
                for a in acl.children:
                    by = next((o for o in a.children if o.dep_ == "pobj"), None) \
                        if a.dep_ == "agent" else None
                    k = self.entity_at(by) if by is not None else None
                    if k and self.entities[k].type in ACTOR_TYPES:
                        return k
        for p in head.subtree if low in self._documents else head.children:
            if p.dep_ in {"prep", "agent"} and p.lower_ in preps:
                for o in p.children:
                    k = self.entity_at(o) if o.dep_ == "pobj" else None
                    if k and low in self._groups and self.entities[k].type == "Person":
                        continue  # "forces from neighbouring Amhara": a place NER called a person
                    if k and self.entities[k].type in ACTOR_TYPES:
                        if low not in self._documents:
                            self.entities[k].aliases.add(clean_name(self.np_span(head).text))
                        return k
        return None

    def _mod_key(self, mod: Token, anchor: Token) -> str | None:
        if mod.pos_ == "PRON":
            return self._pronoun(mod, anchor)
        key = self.entity_at(mod) or self.short_form(mod)
        if key:
            return key
        cls = self._descr.get(mod.lower_)
        if cls and mod.dep_ == "poss" and any(c.lower_ == "the" for c in mod.children):
            return self._descriptor(mod, cls)  # "the ministry's analysts"
        country = gz.by_demonym().get(mod.lower_)
        return self.ensure_gazetteer(country) if country else None

    def forces_of(self, country: str, head: Token) -> str:
        """The state's armed forces as an actor of their own ("Guinean troops would not
        advance"): a refusal is a unit's, not the state's."""
        return self._army_of(country, head)

    def _army_of(self, country: str, head: Token) -> str:
        name = f"Armed Forces of {country}"
        canon = gz.by_form().get(name.lower())
        if canon:
            key = self.ensure_gazetteer(canon)
            self.entities[key].aliases.add(clean_name(self.np_span(head).text))
            return key
        ent = self._ensure(name, name, "MilitaryUnit", stands_for=country)
        ent.aliases.add(clean_name(self.np_span(head).text))
        return name

    def anaphor(self, tok: Token) -> str | None:
        """A bare descriptor used as a modifier ('in rebel hands') -> the entity it stands for."""
        cls = self._descr.get(tok.lower_) or self._descr.get(tok.lower_ + "s")
        return self._descriptor(tok, cls) if cls else None

    def _descriptor(self, head: Token, cls: str) -> str | None:
        if cls in {"Speaker", "EarlierSpeaker"}:
            # "the ministry said": the last speaker so named, else the last organisation (an
            # EarlierSpeaker - "the union", "the regulator" - only one that has spoken: the
            # company or the employer named just before is more often its opposite).
            lemma = head.lemma_.lower()
            def named(key: str) -> bool:
                ent = self.entities[key]
                return any(lemma in a.lower() for a in (ent.name, *ent.aliases))

            def headed(key: str) -> bool:  # "the alliance": "Three Brotherhood Alliance"
                return self.entities[key].name.lower().split()[-1:] == [lemma]

            for test in (headed, named):  # (before "National Democratic Alliance Army")
                for i, key in reversed(self.last_speaker):
                    if i < head.i and test(key):
                        return key
                for m in reversed(self.mentions):
                    if m.start < head.i and self.entities[m.key].type != "Person" and \
                            test(m.key):
                        return m.key
            if any(c.dep_ in {"compound", "amod"} for c in head.children):
                return None  # "the shipping agency" is its own, not the last speaker's
            found = self.speaker_before(head.i, persons=False)
            if found is None and head.tag_ == "NN" and cls == "Speaker":  # not "analysts"
                found = self.recent(head.i, {"Organization"}, window=2000)
            return found
        if cls == "Government":  # "government hands", "the regime": the article's state
            return self.focal_country(head.i)
        if cls == "NonState":
            key = self._recent_non_state(head.i)
            if key:
                self.entities[key].aliases.add(clean_name(self.np_span(head).text))
            return key
        if cls == "Person":  # "the minister": the last person so titled
            noun = head.lower_
            for m in reversed(self.mentions):
                ent = self.entities[m.key]
                if m.start < head.i and ent.type == "Person" and noun in " ".join(
                        filter(None, (ent.role, *ent.aliases))).lower().split():
                    return m.key
            return None
        if cls in PLACE_TYPES:  # "the city", "the region": one resolver for every extractor
            key = self.references.place(head)
            if key:
                self.entities[key].aliases.add(clean_name(self.np_span(head).text))
            return key
        types = {cls}
        key = self.recent(head.i, types, window=2000)
        if key is None and cls == "MilitaryUnit":
            key = self.recent(head.i, {"Organization"}, window=2000)  # NER's ORG armed groups
        if key:
            self.entities[key].aliases.add(clean_name(self.np_span(head).text))
        return key

    def focal_country(self, before: int) -> str | None:
        """The country the article is about so far: the most mentioned one."""
        counts: dict[str, int] = {}
        for m in self.mentions:
            if m.start < before and self.entities[m.key].type == "Country":
                counts[m.key] = counts.get(m.key, 0) + 1
        return max(counts, key=lambda k: counts[k]) if counts else None

    def _recent_non_state(self, before: int) -> str | None:
        """'the rebels': the last armed group that is not a state's own army."""
        for types in ({"MilitaryUnit"}, {"Organization"}):
            for m in reversed(self.mentions):
                ent = self.entities[m.key]
                if m.start >= before or ent.type not in types or ent.stands_for or \
                        (ent.affiliation and self.entities[ent.affiliation].type == "Country"):
                    continue
                if any(w in ent.name.lower().split() for w in self._armies | {"government"}):
                    continue
                return m.key
        return None

    def _descriptor_entity(self, head: Token, role: str) -> str | None:
        span = self.np_span(head)
        if role in {"place", "controller"}:
            # "the hospital from gunmen", "army units and allied tribesmen": a place or a
            # controller ends before a source phrase or a second conjunct (each is its own)
            cut = next((t.i for t in span if t.i > head.i and t.head.i == head.i and (
                t.dep_ in {"cc", "conj"} or role == "place" and t.dep_ == "prep" and
                t.lower_ in {"from", "by", "to", "with", "including"})), None)
            if cut is not None:
                span = self.doc[span.start:cut]
        toks = list(span)
        proper = head.pos_ == "PROPN" and head.text[:1].isupper() or (
            role == "place" and any(c.dep_ == "compound" and c.pos_ == "PROPN"
                                    for c in head.children))
        if proper:
            toks = [t for t in toks if t.i >= head.i or t.pos_ == "PROPN"]
            while len(toks) > 1 and (toks[0].lower_ in self._titles or
                                     self.country_of(toks[0])):
                toks = toks[1:]
            first = toks[0].i
            if first > 0 and re.fullmatch(r"\d+(st|nd|rd|th)", self.doc[first - 1].lower_):
                first -= 1  # "the 12th Regiment", even when the parser split them
            span = self.doc[first:span.end]
        name = clean_name(span.text if proper else self._with_origin(span).text)
        # "37 of the 40 reservist pilots": a partitive names the people of its of-phrase
        part_of = next((o for p in head.children if p.dep_ == "prep" and p.lower_ == "of"
                        for o in p.children if o.dep_ == "pobj" and o.pos_ == "NOUN"),
                       None) if head.pos_ == "NUM" or head.lower_ in load_set(
                           "lexicon/partitive_heads.txt") else None
        if not name or (head.pos_ not in {"NOUN", "PROPN"} and part_of is None) or \
                len(name) > 120:
            return None
        low = (part_of if part_of is not None else head).lower_
        owned = self._institution(span, head)
        if owned:
            return owned
        etype = "MilitaryUnit" if low in self._groups | self._armies else (
            "Place" if role == "place" else "Group")
        if proper and len(name.split()) == 1:
            surname = self._surname_match(name)
            if surname:
                self._add_mention(span.start, span.end, surname, name)
                return surname
        if etype == "Group" and head.lemma_.lower() in self._person_nouns and \
                head.tag_ == "NN":
            etype = "Person"  # "a resident of X", "the teacher": one person, for he/she later
        if proper and etype == "Group":  # "Pavel, a contract soldier": a person NER missed
            etype = "Person" if head.ent_type_ == "PERSON" or any(
                c.dep_ == "appos" and c.lemma_.lower() in self._person_nouns and c.tag_ == "NN"
                for c in head.children) else "Organization"
        key = name if proper else f"{self.article.id}/{name}"
        ent = self._ensure(key, name, etype)
        ent.aliases.add(name)
        self.mentions.append(Mention(span.start, span.end, key))
        self.mentions.sort(key=lambda m: m.start)
        return key

    def _with_origin(self, span: Span) -> Span:
        """"12 officers from Krasnodar who refused": the small parser hangs "from X" on the verb,
        yet it is what tells these officers from others. Only the name grows; the mention
        stays the noun phrase, so X is still its own entity."""
        i = span.end
        if i + 1 >= len(self.doc) or self.doc[i].lower_ != "from":
            return span
        j = i + 1 + (self.doc[i + 1].lower_ == "the")
        k = j
        while k < len(self.doc) and self.doc[k].pos_ == "PROPN" and self.doc[k].dep_ in {
                "pobj", "compound"}:
            k += 1
        return self.doc[span.start:k] if k > j and self.doc[k - 1].dep_ == "pobj" else span

    def _institution(self, span: Span, head: Token) -> str | None:
        """"Mali's defence ministry" -> one entity, 'Malian defence ministry', of Mali."""
        words = [t for t in span if t.i <= head.i]
        rest = [t for t in words if t.dep_ not in {"poss", "case", "det"}
                and not self.country_of(t)]
        # Lower-case adjectives describe the body rather than name it: "Mali's military
        # government" is Mali's government; a capitalised one ("Foreign Ministry") is its name.
        while len(rest) > 1 and " ".join(t.lower_ for t in rest) not in self._institutions \
                and rest[0].pos_ == "ADJ" and rest[0].text.islower():
            rest = rest[1:]
        if not rest or (" ".join(t.lower_ for t in rest) not in self._institutions and
                        rest[-1].lower_ not in self._institutions):
            return None  # "economy ministry" is a ministry; "ministry building" is not
        owner = next((self.country_of(t) for t in words if self.country_of(t)),
                     None)
        if owner is None:
            return None
        key = self._state_body(owner, " ".join(t.text for t in rest),
                               "MilitaryUnit" if head.lower_ in self._armies else "Organization",
                               clean_name(span.text))
        self.mentions.append(Mention(span.start, span.end, key))
        self.mentions.sort(key=lambda m: m.start)
        return key

    def _state_body(self, owner: str, body: str, etype: str, surface: str) -> str:
        """One entity per body of a state, named with its demonym ('Malian defence ministry',
        'British Ministry of Defence') and affiliated with the state, whichever way it was
        written; the gazetteer's own name wins when it has one."""
        dem = (gz.entries()[owner].demonyms or (owner,))[0]
        name = f"{dem} {body}"
        canon = gz.by_form().get(name.lower())
        if canon:
            return self.ensure_gazetteer(canon)
        ent = self._ensure(name, name, etype)
        ent.affiliation = owner
        ent.aliases.add(surface)
        return name

    def _pronoun(self, pron: Token, anchor: Token) -> str | None:
        low = pron.lower_
        if low in {"i", "me", "my", "we", "us", "our", "you", "this", "that", "which", "who"}:
            return None
        person = low in PRONOUNS_PERSON
        # Inside its own sentence a pronoun refers to the subject of a clause above it:
        # "X said they ...", "a unit ... in which they said ...", "elements ... delivering their".
        own = pron.head if pron.dep_ in {"nsubj", "nsubjpass"} else None
        for anc in pron.ancestors:
            cand = None
            if anc is not own and anc.pos_ in {"VERB", "AUX"}:
                # "officers stood up and said they ...": a coordinated verb shares its subject
                verb = anc
                while verb.dep_ == "conj" and not any(
                        c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
                    verb = verb.head
                subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}
                            and c.i < pron.i and c is not pron
                            and c.lower_ not in {"who", "which", "that"}]
                # Two subjects is a parser slip ("Sudan's paramilitary X"): the named one.
                cand = next((c for c in subjects if c.ent_type_),
                            subjects[0] if subjects else None)
            if cand is None and anc.dep_ == "acl" and anc.head.pos_ in {"NOUN", "PROPN"} \
                    and anc.head.i < pron.i:
                cand = anc.head
            if cand is None and anc.dep_ == "advcl" and anc.tag_ == "VBG":
                # "showed elements ... delivering their ...": the object does the delivering
                cand = next((c for c in anc.head.children if c.dep_ == "dobj" and c.i < anc.i),
                            None)
            if cand is not None and not self._number_agrees(cand, low):
                # "an officer killed two soldiers because they would not fire": the object
                cand = next((c for c in anc.children if c.dep_ == "dobj" and c.i < pron.i
                             and c.tag_ == "NNS" and low in {"they", "them", "their"}), None) \
                    if anc.pos_ == "VERB" else None
            if cand is not None:
                key = self._pronoun(cand, anchor) if cand.pos_ == "PRON" else self.resolve(cand)
                plural = any(c.dep_ == "conj" for c in cand.children)  # "he and eight comrades"
                if key and (self._agrees(key, person) or (plural and not person)):
                    return key
        if low in {"they", "them", "their"}:
            # "an officer killed two soldiers ... because they would not fire": soldiers,
            # fighters or units just named in the sentence, before any earlier speaker
            near = next((t for t in reversed(pron.sent[:pron.i - pron.sent.start])
                         if t.tag_ == "NNS" and t.lower_ in self._groups
                         and t.head.lower_ != "by"), None)
            key = self.resolve(near) if near is not None else None
            if key and not self._agrees(key, True):
                return key
        prev = self._previous_subject(pron)
        if prev and self._agrees(prev, person):
            return prev
        spk = self.speaker_before(pron.i, persons=person)
        if spk and pron.i - max(i for i, k in self.last_speaker if k == spk) < 120:
            return spk
        types = {"Person"} if person else {"Organization", "MilitaryUnit", "Group", "Country"}
        return self.recent(pron.i, types, window=80)

    def _previous_subject(self, pron: Token) -> str | None:
        """The named subject of the sentence before, the most salient antecedent of a pronoun
        that opens a sentence or its attribution ("Larsen had been under pressure. '…,' he
        said"). Only a name or a name in apposition counts, and nothing is created here."""
        start = pron.sent.start
        if start == 0 or any(c.dep_ in {"nsubj", "nsubjpass"} for c in pron.sent
                             if c.i < pron.i and c.pos_ != "PRON"):
            return None
        prev = self.doc[start - 1].sent
        subjects = [c for c in prev.root.children if c.dep_ in {"nsubj", "nsubjpass"}]
        for subj in sorted(subjects, key=lambda c: not c.ent_type_):
            key = self.entity_at(subj) or next(
                (self.entity_at(c) for c in subj.children
                 if c.dep_ == "appos" and self.entity_at(c)), None)
            if key:
                return key
        return None

    def _number_agrees(self, cand: Token, pron: str) -> bool:
        """'they' wants a plural, a collective ('unit', 'army') or a name, not 'the video'."""
        if pron not in {"they", "them", "their", "theirs"} or cand.pos_ != "NOUN":
            return True
        low = cand.lower_
        return cand.tag_ == "NNS" or low in self._groups or low in self._armies or \
            low in self._descr

    def _agrees(self, key: str, person: bool) -> bool:
        return (self.entities[key].type == "Person") == person
