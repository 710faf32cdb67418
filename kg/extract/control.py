"""Territorial control -> Control(region, controller).

Constructions: "X captured/seized/took/held Y", "Y, which has been held by X", "X's control
over Y", "in control of Y", "giving X control of Y", "Y was in X hands", "under X control",
"X-held Y", "lost Y to Z", "Y fell to Z" (or into Z's hands), "handed Y back to Z". Hedged,
denied and disputed ones are dropped (cues.py); state forces fold into their state.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Doc, Token

from kg.dates import article_day, normalise
from kg.extract import gazetteer as gz
from kg.extract.claims import subject_of
from kg.extract.cues import at_war, denied, disputed, hedged, tokens_with, unasserted, window_start
from kg.extract.entities import ACTOR_TYPES, PLACE_TYPES, Mentions
from kg.extract.references import place_nouns
from kg.facts import Control, Evidence
from kg.resources import load_set, load_table

PREP_OBJ = {"pobj"}
#: A match score ("2-1", "3–0"): a team fell to another, no place to anyone.
SCORE = re.compile(r"\b\d{1,3} ?[-\u2013] ?\d{1,3}\b")


#: The words besides control verbs and "-held" suffixes that `_match` starts from.
_OTHER_CUES = {"lose", "cede", "surrender", "hand", "return", "give", "fall", "control", "hands"}


class ControlFinder:
    def __init__(self, doc: Doc, mentions: Mentions, body_start: int) -> None:
        self.doc, self.m, self.body_start = doc, mentions, body_start
        self.body_start_token = next((t.i for t in doc if t.idx >= body_start), 0)
        self.force_nouns = load_set("lexicon/force_nouns.txt")
        self.captures = load_set("lexicon/capture_nouns.txt")
        self.state_titles = load_set("lexicon/state_titles.txt")
        # what a capture named as a noun may be the object of without having happened
        self.unreal = load_set("lexicon/nonfactual_verbs.txt") | load_set(
            "lexicon/contest_nouns.txt") | load_set("lexicon/unreal_capture_words.txt")
        self.features = load_set("lexicon/feature_nouns.txt")
        self.armies = load_set("lexicon/army_nouns.txt")
        self.parties = load_table("lexicon/armies_as_parties.tsv")
        self.verbs = load_set("lexicon/control_verbs.txt")
        self.facilities = load_set("lexicon/facility_nouns.txt")
        self.quantifiers = load_set("lexicon/quantifier_nouns.txt")
        self.held = load_set("lexicon/held_suffixes.txt")
        self.conquest = load_set("lexicon/conquest_verbs.txt")
        self.groups = load_set("lexicon/group_nouns.txt")
        # "captured rebel commander Ali Musa": a titled name is a person, whatever the verb.
        self.person_words = load_set("lexicon/titles.txt") | load_set("lexicon/person_nouns.txt")
        self.place_of = load_set("lexicon/place_of_nouns.txt")
        self.directions = load_set("lexicon/direction_words.txt")
        self.collectives = load_set("lexicon/collective_nouns.txt")
        self.holders = self.groups | load_set("lexicon/unit_nouns.txt") | \
            load_set("lexicon/army_nouns.txt") | load_set("lexicon/service_nouns.txt") | \
            load_set("lexicon/controller_nouns.txt")
        self.non_territory = load_set("lexicon/non_territory.txt")
        self.units = load_set("lexicon/unit_nouns.txt") | load_set("lexicon/army_nouns.txt")
        self.territory = load_set("lexicon/territory_nouns.txt")
        self.vague = load_set("lexicon/vague_counts.txt")
        self.at_war = at_war(doc)
        self.contests = load_set("lexicon/contest_nouns.txt")
        self.refs = mentions.references
        self._day = article_day(mentions.article.date)

    # ------------------------------------------------------------ resolution
    def regions(self, tok: Token, *, named_place: bool = False,
                conquest: bool = False) -> list[str]:
        """Places a noun phrase names, through "the city of X", "most of X" and conjunctions.
        `named_place`: the slot itself says it is a place ("the towns of X"), whatever NER said."""
        out: list[str] = []
        places = tok.lemma_.lower() in self.collectives | self.place_of | self.facilities
        for inc in (o for p in tok.children if p.lower_ == "including" for o in p.children
                    if o.dep_ == "pobj"):  # "several towns, including the port of Jilib"
            out.extend(self.regions(inc, named_place=named_place or places))
        for t in [tok, *self._conjuncts(tok)]:
            low = t.lower_
            if t.ent_type_ in {"DATE", "TIME"}:
                continue  # "holding out ... Tuesday"
            if t.lemma_.lower() in self.territory:
                # "Iraqi and Syrian territory" is Iraq's and Syria's; "more territory" is none
                out.extend(c for c in (self.m.country_of(m) for m in t.subtree
                                       if m.i < t.i and m.dep_ in {"amod", "conj", "compound",
                                                                   "poss"})
                           if c)  # ("a third of Yemen's territory")
                continue
            part = self._owned_part(t)
            if part:  # "the city's southern districts": southern Grozny
                out.append(part)
                continue
            of = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            of_obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
            if of_obj is not None and self._part(t) and self.regions(of_obj):
                # "western parts of X", "the north of the region": a region of its own
                k = self.m.resolve(t, role="place")
                if k:
                    self.m.entities[k].type = "Region"
                    out.append(k)
                continue
            named = next((c for c in t.children if c.dep_ == "compound" and c.pos_ == "PROPN"),
                         None) if of_obj is not None and (
                low in self.place_of or low in place_nouns()) else None
            if named is not None:  # "the Baba Amr district of Homs" is Baba Amr
                out.extend(self.regions(named, named_place=True))
                continue
            if of_obj is not None and (low in self.quantifiers or low in self.place_of
                                       or self._is_place(of_obj)):
                out.extend(self.regions(of_obj, named_place=low not in self.quantifiers,
                                        conquest=conquest))
                continue
            key = self.m.entity_at(t)
            titled = any(c.dep_ == "compound" and c.lower_ in self.person_words
                         for c in t.children) or (t.i > 0 and self.doc[t.i - 1].lower_ in
                                                  self.person_words)
            called = any(c.dep_ == "appos" and (c.lemma_.lower() in place_nouns() or
                                                c.lemma_.lower() in self.facilities)
                         for c in t.children)  # "Hsenwi, a town on the highway"
            if key and not titled and (self._misread_person(key) or
                                       (named_place or called) and self._misread_org(key)):
                self.m.entities[key].type = "Place"  # "seized Wad Madani": NER said PERSON
            if key and self.m.entities[key].type in PLACE_TYPES:
                out.append(self.refs.part(t, key))  # "south Lebanon": that part, not all
                continue
            if key:
                continue
            # "the city", "the enclave"; "it" only as what a conquest took ("retook it")
            ref = self.refs.place(t) if t.pos_ != "PRON" or conquest else None
            if ref:
                out.append(ref)
                continue
            if t.dep_ == "appos" and t.head.pos_ == "PROPN":
                # "Mount Dov, an area Israel has held", "X, a rail junction that had been in
                # Russian hands": the name is the place
                out.extend(self.regions(t.head, named_place=True))
                continue
            if of_obj is not None and low in self.collectives and \
                    of_obj.lemma_.lower() in self.facilities:
                # "a string of villages in the north of the region, including X": the group
                # of places is a region of its own, and each place it names is held too
                k = self.m.resolve(t, role="place")
                if k:
                    self.m.entities[k].type = "Region"
                    out.append(k)
                for inc in (o for p in of_obj.subtree if p.lower_ == "including"
                            for o in p.children if o.dep_ == "pobj"):
                    out.extend(self.regions(inc, named_place=True))
                continue
            named_feature = t.lemma_.lower() in self.features and any(
                c.dep_ == "compound" and (c.pos_ == "PROPN" or c.text[:1].isupper())
                for c in t.children)  # "the Jaffna peninsula", "the A9 highway"
            if t.lemma_.lower() in self.facilities or t.pos_ == "PROPN" or named_feature:
                k = self.m.resolve(t, role="place")
                if k and self.m.entities[k].type in PLACE_TYPES | {"Group"}:
                    if self.m.entities[k].type == "Group":
                        self.m.entities[k].type = "Place"  # a descriptor in a place slot
                    out.append(k)
        return out

    def _state_of(self, key: str) -> str | None:
        """The state an actor belongs to: itself, its affiliation, or the country or demonym
        its names carry ("Ukrainian President X", "Russia's defence ministry")."""
        ent = self.m.entities[key]
        if ent.type == "Country":
            return key
        for link in (ent.affiliation, ent.stands_for):
            if link and self.m.entities.get(link) and self.m.entities[link].type == "Country":
                return link
        for name in sorted(ent.aliases | {ent.name}):
            for word in re.findall(r"[A-Z][\w-]+", name):
                country = gz.by_demonym().get(word.lower()) or gz.by_form().get(word.lower())
                if country and gz.entries().get(country) and \
                        gz.entries()[country].type == "Country":
                    return self.m.ensure_gazetteer(country)
        return None

    def _territory(self, key: str) -> bool:
        """A place, not a date NER took for one nor an institution ("the Senate")."""
        ent = self.m.entities[key]
        words = ent.name.lower().split()
        if key.startswith(f"{self.m.article.id}/") and words[-1] in self.place_of and (
                words[0][:1].isdigit() or words[0] in self.vague):
            return False  # "82 settlements", "several towns": a count, not a place to find
        if key.startswith(f"{self.m.article.id}/") and len(words) < 2 and (
                "City" not in place_nouns().get(words[0], {"City"}) or words[0] in self.territory
                or words[0] in self.features):
            return False  # a bare "region", "area" or "hills" that refers to nothing named
        return ent.type in PLACE_TYPES and bool(words) and words[-1] not in self.non_territory

    def _owned_part(self, tok: Token) -> str | None:
        """ "the city's southern districts", "Kharkiv's northern suburbs": a region named by
        its direction and its place."""
        if tok.lemma_.lower() not in self.place_of | self.quantifiers:
            return None
        dirs = [c for c in tok.children if c.dep_ == "amod" and c.lower_ in self.directions]
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if not dirs or owner is None:
            return None
        key = self.m.entity_at(owner) or self.refs.place(owner)
        if key is None or self.m.entities[key].type not in PLACE_TYPES:
            return None
        name = " ".join([*(d.lower_ for d in dirs), self.m.entities[key].name])
        return self.m.add_place(self.doc[tok.left_edge.i:tok.i + 1], name=name)

    def _part(self, tok: Token) -> bool:
        """A directional part of a place: "western parts (of X)", "the north (of X)"."""
        low = tok.lower_
        if low in self.directions and tok.pos_ == "NOUN":
            return True
        return low in self.quantifiers and any(
            c.dep_ == "amod" and c.lower_ in self.directions for c in tok.children)

    def controllers(self, tok: Token, anchor: Token) -> list[str]:
        """The controller a noun phrase names, and those coordinated with it ("government
        troops and allied tribesmen")."""
        out = []
        for t in [tok, *(c for c in tok.children if c.dep_ == "conj" and c.pos_ in {
                "NOUN", "PROPN"})]:
            ctl = self.controller(t, anchor)
            for appos in (c for c in t.children if c.dep_ == "appos") if ctl is None else ():
                ctl = self.controller(appos, anchor)  # "another member, its fighters, took"
                if ctl:
                    break
            if ctl and ctl not in out:
                out.append(ctl)
        return out

    def _misread_person(self, key: str) -> bool:
        ent = self.m.entities[key]
        return ent.type == "Person" and key not in gz.entries() and not ent.role and \
            all(k != key for _, k in self.m.last_speaker)

    def _is_place(self, tok: Token) -> bool:
        """'the port of Hodeidah': the noun after 'of' names the place, not a part of a unit."""
        key = self.m.entity_at(tok)
        return key is not None and self.m.entities[key].type in PLACE_TYPES

    def _misread_org(self, key: str) -> bool:
        ent = self.m.entities[key]
        return ent.type == "Organization" and key not in gz.entries() and \
            all(k != key for _, k in self.m.last_speaker)

    def _conjuncts(self, tok: Token) -> list[Token]:
        # "X, as well as Y and Z": the parser makes Y the object of a "cc" as
        also = [o for c in tok.children if c.dep_ == "cc" and c.lower_ == "as"
                for o in c.children if o.dep_ == "pobj"]
        heads = {tok.i} | {x.i for x in tok.subtree if x.dep_ == "conj"} | {a.i for a in also}
        return also + [c for c in tok.subtree if c.dep_ == "conj" and (
            c.head.i in heads or c.lemma_.lower() in self.facilities)]

    def controller(self, tok: Token, anchor: Token) -> str | None:
        """Who a noun phrase says holds a place: a state for its forces, an armed group, a
        unit; or None when the phrase names no one who can hold territory."""
        key = self._bare_forces(tok, anchor) or self._controller(tok, anchor)
        return self._as_party(key, tok) if key else None

    def _bare_forces(self, tok: Token, anchor: Token) -> str | None:
        """Whose "troops", "the army", "our forces" are when the phrase does not say: the
        speaker's side for a quoted "our"; the side of a coordinated "Russian tanks and
        troops"; else the nearest forces this sentence or the one before named by their
        state ("three Israeli soldiers ... troops had occupied it"); a bare "the army" is the
        article's own state's. Nothing found: the phrase stays a descriptor of its own."""
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in self.force_nouns:
            return None
        loyal = next((o for a in tok.children if a.dep_ == "amod" and a.lower_ == "loyal"
                      for p in a.children if p.lower_ == "to" for o in p.children
                      if o.dep_ == "pobj"), None)
        if loyal is not None:  # "troops loyal to President X": X's side
            return self._side_of(loyal, anchor)
        kids = [c for c in tok.children if c.dep_ not in {"det", "punct", "cc", "conj"}
                and c.lower_ != "armed"]
        if any(c.dep_ != "poss" or c.lower_ != "our" for c in kids) or any(
                c.dep_ == "det" and c.lower_ != "the" for c in tok.children):
            return None
        if kids:  # "our forces": whoever is quoted
            return self._speakers_side(tok)
        node = tok
        while node.dep_ == "conj":
            node = node.head
            for c in node.children:
                state = self.m.country_of(c) if c.dep_ in {"amod", "compound"} else None
                if state:
                    return state
        start = window_start(tok)
        for t in reversed(self.doc[start:tok.i]):
            if t.lemma_.lower() in self.force_nouns | self.groups and t.pos_ == "NOUN":
                for c in t.children:
                    state = self.m.country_of(c) if c.dep_ in {"amod", "compound"} else None
                    if state:
                        return state
            key = self.m.entity_at(t)
            ent = self.m.entities[key] if key else None
            if ent is not None and ent.type == "MilitaryUnit" and ent.stands_for:
                return ent.stands_for
        if tok.lemma_.lower() in self.armies:  # "the army", "under army control"
            return self._article_state(tok.i)
        return None

    def _article_state(self, before: int) -> str | None:
        """The state the story is about so far: the most named country, else the first one
        a demonym named ("Somali government troops" before "our forces")."""
        state = self.m.focal_country(before)
        if state:
            return state
        for t in self.doc[self.body_start_token:before]:
            if t.ent_type_ == "NORP" or t.pos_ == "ADJ" and t.text[:1].isupper():
                state = self.m.country_of(t)
                if state:
                    return state
        return None

    def _side_of(self, tok: Token, anchor: Token) -> str | None:
        key = self.m.resolve(tok, anchor=anchor)
        return self._side(key, tok) if key else None

    def _speakers_side(self, tok: Token) -> str | None:
        speaker = self.refs.quoted_speaker(tok)  # "Our forces hold X," the minister said
        return self._side(speaker, tok) if speaker else None

    def _side(self, speaker: str, tok: Token) -> str | None:
        """The side a person or body is on: its state, the group it speaks for, or, for a
        president or minister of no named state, the state the story is about."""
        state = self._state_of(speaker)
        if state:
            return state
        ent = self.m.entities[speaker]
        if ent.type != "Person":
            return speaker if self._can_hold(speaker) else None
        if ent.affiliation in self.m.entities and self._can_hold(ent.affiliation):
            return ent.affiliation
        # "Seleka spokesman Eric Massi": the armed group his title names
        named = {w for a in ent.aliases for w in a.split() if w[:1].isupper()} - set(
            ent.name.split()) - self.state_titles
        for key, other in self.m.entities.items():
            if other.type in {"MilitaryUnit", "Organization", "Group"} and named & set(
                    other.name.split()) and self._can_hold(key):
                return key
        titles = set(" ".join(filter(None, (ent.role, *ent.aliases))).lower().split())
        # a president or minister speaking of "our forces"
        return self._article_state(tok.i) if titles & self.state_titles else None

    def _as_party(self, key: str, tok: Token) -> str:
        """A state's own forces are the state, except an army the conventions set apart as
        a party of its own (`lexicon/armies_as_parties.tsv`)."""
        ent = self.m.entities[key]
        army = self.parties.get(ent.name.lower()) if ent.type == "Country" else None
        if army is None or tok.lemma_.lower() not in self.force_nouns and tok.pos_ != "PRON":
            return key
        if army not in gz.entries():
            return key
        unit = self.m.ensure_gazetteer(army)
        self.m.entities[unit].aliases.add(self.m.np_span(tok).text)
        return unit

    def _controller(self, tok: Token, anchor: Token) -> str | None:
        if tok.lower_ == "we" and self.refs.quoted_speaker(tok):
            return self._speakers_side(tok)  # "We control the palace," the spokesman said
        owner = next((c for c in tok.children if c.dep_ == "poss"), None) \
            if tok.lower_ in self.groups and self.m.entity_at(tok) is None else None
        if owner is not None and owner.lower_ == "whose":  # "France, whose troops hold X"
            owner = next((a.head for a in owner.ancestors if a.dep_ == "relcl"), owner)
        if owner is not None:  # "his troops", "its forces": the state of whoever owns them
            owner_key = self.m.resolve(owner, anchor=anchor)
            state = self._state_of(owner_key) if owner_key else None
            if state:
                return state
        key = self.m.resolve(tok, role="controller", anchor=anchor)
        if key is None:
            return None
        ent = self.m.entities[key]
        if owner is not None and ent.type in {"Organization", "Person"} and \
                not ent.affiliation:
            state = self._state_of(key)  # "its forces" resolved to "Russia's defence ministry"
            if state:
                return state
        if ent.type not in ACTOR_TYPES | {"Place"} or ent.type in PLACE_TYPES - {"Country"}:
            return None
        if ent.type == "Organization" and ent.affiliation and \
                self.m.entities.get(ent.affiliation, ent).type == "Country":
            return ent.affiliation
        if ent.stands_for:
            return ent.stands_for
        return key if self._can_hold(key) else None

    def _can_hold(self, key: str) -> bool:
        """States, armed units and groups named as armed (or as crowds) hold territory;
        candidates, parties and reports do not, whatever verb the sentence used."""
        ent = self.m.entities[key]
        if ent.type in {"Country", "MilitaryUnit"}:
            return True
        if ent.type not in {"Organization", "Group", "Person"}:
            return False  # (a Person only when NER mistyped a unit: "the Farouq Battalion")
        entry = gz.entries().get(key)
        if entry is not None and entry.type != "Person" and ent.type != "Person":
            return True  # the curated actors: armed groups, de facto states, state bodies
        words = set(" ".join((ent.name, *ent.aliases)).lower().split())
        if words & self.holders:
            return ent.type != "Person" or bool(set(ent.name.lower().split()) & self.units)
        # a named organisation, in an article about fighting, is an armed one ("Kurdish" in
        # "Kurdish-controlled areas" is a people, not an organisation, whatever NER said)
        return self.at_war and ent.type == "Organization" and \
            not key.startswith(f"{self.m.article.id}/") and any(
                t.pos_ in {"PROPN", "NOUN"} and t.ent_type_ != "NORP" for m in self.m.mentions
                if m.key == key  # (its first word after "the")
                for t in [self.doc[m.start + (self.doc[m.start].pos_ == "DET" and
                                              m.end - m.start > 1)]])

    # ------------------------------------------------------------ patterns
    def run(self) -> Iterator[Control]:
        seen: set[tuple[str, str]] = set()
        cue_words = self.held | self.verbs | _OTHER_CUES | self.captures
        for tok in tokens_with(self.doc, cue_words, self.body_start):
            for region, ctl, head in self._match(tok):
                if region == ctl or (region, ctl) in seen or not self._territory(region) or \
                        not self._can_hold(ctl):
                    continue
                if hedged(head) or denied(head):
                    continue
                # Disputed or only claimed ("X claimed his men had taken Y, which Z denied"):
                # kept as the claim's content, never as the article's own fact.
                claimed = disputed(head) or unasserted(head)
                if not claimed:
                    seen.add((region, ctl))
                sent = tok.sent
                date = next((e.text for e in sent.ents if e.label_ == "DATE"
                             and e.root.head.i in {x.i for x in head.subtree}),
                            self.m.article.date)
                yield Control(region, ctl, Evidence(sent.start_char, sent.end_char, sent.text),
                              date, normalise(date, self._day) if date else None,
                              claimed=claimed, at=head.idx)

    def _match(self, tok: Token) -> Iterator[tuple[str, str, Token]]:
        lemma = tok.lemma_.lower()
        if tok.lower_ in self.held and tok.i > 1 and self.doc[tok.i - 1].text == "-":
            yield from self._hyphen_held(tok)
        elif tok.pos_ == "VERB" and lemma in self.verbs and not any(
                c.dep_ == "prt" and c.lower_ in {"out", "off", "up", "back", "on"}
                for c in tok.children):
            # "holding out for a miracle", "held off the attack", "take on our enemies"
            yield from self._verb(tok)
        elif tok.pos_ == "VERB" and lemma in {"lose", "cede", "surrender"}:
            yield from self._lost(tok)
        elif tok.pos_ == "VERB" and lemma in {"hand", "return", "give"}:
            yield from self._handed(tok)
        elif tok.pos_ == "VERB" and lemma == "fall":
            yield from self._fell(tok)
        elif lemma == "control" and (tok.pos_ == "NOUN" or tok.is_sent_start):
            yield from self._control_noun(tok)
        elif tok.lower_ == "hands" and tok.head.lower_ == "in":  # "fell into": _fell
            yield from self._in_hands(tok)
        elif tok.pos_ == "NOUN" and lemma in self.captures:
            yield from self._nominal(tok)

    def _nominal(self, noun: Token) -> Iterator[tuple[str, str, Token]]:
        """"the capture of X by Y", "Y's seizure of X", "the fall of X to Y": a capture named
        as a noun, unless feared, prevented or only sought ("a bid for the capture of X")."""
        of = next((o for p in noun.children if p.dep_ == "prep" and p.lower_ == "of"
                   for o in p.children if o.dep_ == "pobj"), None)
        if of is None or any(a.lemma_.lower() in self.unreal for a in noun.ancestors):
            return
        by = {"fall": "to"}.get(noun.lemma_.lower(), "by")
        owner = next((c for c in noun.children if c.dep_ == "poss"), None) \
            if by == "by" else None
        if owner is None:
            owner = next((o for p in noun.children if p.dep_ in {"prep", "agent"} and
                          p.lower_ == by for o in p.children if o.dep_ == "pobj"), None)
        ctl = self.controller(owner, noun) if owner is not None else None
        if ctl is None or by == "to" and not self._conqueror(ctl, of):
            return
        for r in self.regions(of, named_place=True, conquest=True):
            yield r, ctl, noun

    def _hyphen_held(self, part: Token) -> Iterator[tuple[str, str, Token]]:
        owner = self.doc[part.i - 2]
        ctl = self.controller(owner, part) if self.m.entity_at(owner) or \
            owner.lower_ in {"state", "government"} else None
        if ctl is None:
            ctl = self.m.anaphor(owner) or self.m.country_of(owner) or \
                self.m.resolve(owner, role="controller")
        if ctl:
            for r in self.regions(part.head, named_place=True):
                yield r, ctl, part

    def _verb(self, verb: Token) -> Iterator[tuple[str, str, Token]]:
        passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
        if passive:
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            if by is None:
                return
            ctl = self.controller(by, verb)
            subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            target = verb.head if verb.dep_ in {"relcl", "acl"} else subj
            if subj is not None and subj.lower_ not in {"which", "that", "who"}:
                target = subj
            if ctl and target is not None:
                for r in self.regions(target):
                    yield r, ctl, verb
            return
        obj = self._object(verb)
        if verb.dep_ == "relcl" and (obj is None or obj.lower_ in {"which", "that"}):
            # "Izium, which Russian forces captured", "an area Israel has held since 1967"
            obj = verb.head if obj is not None or subject_of(verb) != verb.head else None
        if obj is None:
            return
        if obj.lemma_.lower() == "control":
            yield from self._control_noun(obj)
            return
        subj = subject_of(verb)
        if subj is None:
            return
        conquest = verb.lemma_.lower() in self.conquest or verb.lemma_.lower() == "hold"
        named = obj.pos_ == "PROPN" and verb.lemma_.lower() in self.conquest
        if obj.lower_ == "it" and verb.dep_ == "relcl" and verb.head.dep_ == "pobj":
            # "retook the hospital from gangs that had held it": "it" is what was retaken
            taken = next((c for c in verb.head.head.head.children if c.dep_ == "dobj"), None)
            obj = taken if taken is not None else obj
        # "has taken X, a trading post, and Y, a town": the parser hangs Y on the verb
        more = [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "PROPN" and
                c.i > obj.i and not any(g.dep_ in {"nsubj", "dobj"} for g in c.children)]
        if obj.lemma_.lower() in self.collectives | self.place_of:
            # "retaken a string of villages in the north, including X": on the verb too
            more += [o for p in verb.subtree if p.lower_ == "including" and p.i > obj.i
                     and next(a for a in p.ancestors if a.pos_ in {"VERB", "AUX"}).i == verb.i
                     for o in p.children if o.dep_ == "pobj"]
        for ctl in self.controllers(subj, verb):
            # "captured El Fasher": a proper-name object of a conquest is a place
            for o in [obj, *more]:
                for r in self.regions(o, named_place=named, conquest=conquest):
                    yield r, ctl, verb

    def _object(self, verb: Token) -> Token | None:
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is None:  # the small parser sometimes hangs a bare place name as advmod
            obj = next((c for c in verb.children if c.i > verb.i
                        and (c.pos_ == "PROPN" or self.m.entity_at(c))
                        and c.dep_ in {"advmod", "npadvmod", "attr", "oprd"}), None)
        return obj

    def _lost(self, verb: Token) -> Iterator[tuple[str, str, Token]]:
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        to = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"), None)
        winner = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
        if obj is None or winner is None:
            return
        ctl = self.controller(winner, verb)
        if ctl:
            for r in self.regions(obj, conquest=True):  # "lost it to the ELN": a change of hands
                yield r, ctl, verb

    def _fell(self, verb: Token) -> Iterator[tuple[str, str, Token]]:
        """"Y fell to Z", "Y fell into Z hands / the hands of Z"."""
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        low = subj.lemma_.lower() if subj is not None else ""
        # A name, "the town of X" or "the airport"; not "Responsibility for Gaza".
        bare_name = subj is not None and subj.tag_ in {"NNP", "NNPS"} and \
            not any(c.dep_ == "prep" for c in subj.children)
        if subj is None or not (self.m.entity_at(subj) or bare_name or low in self.place_of
                                or low in self.facilities or low in self.quantifiers):
            return
        preps = [p for p in verb.children if p.dep_ == "prep" and p.lower_ in {"to", "into"}]
        if not preps:  # "Herat fell to the Taliban ... Kandahar fell hours later": the same
            preps = self._earlier_fell_to(verb)
        for prep in preps:
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is None:
                continue
            if obj.lower_ == "hands":
                ctl = self._hands_owner(obj)
            elif prep.lower_ == "to" and (self.m.entity_at(obj) or obj.pos_ == "PROPN"
                                          or obj.lower_ in self.groups):
                ctl = self.controller(obj, verb)  # not "fell to third place"
            else:
                continue
            if ctl is None or not self._conqueror(ctl, subj) or \
                    SCORE.search(self.doc[verb.left_edge.i:verb.right_edge.i + 1].text):
                continue
            for r in self.regions(subj):
                yield r, ctl, verb

    def _earlier_fell_to(self, verb: Token) -> list[Token]:
        """The "to Z" of the last "fell to Z" in this sentence or the one before."""
        start = window_start(verb)
        for t in reversed(self.doc[start:verb.i]):
            if t.lemma_.lower() == "fall" and t.pos_ == "VERB":
                return [p for p in t.children if p.dep_ == "prep" and p.lower_ == "to"][:1]
        return []

    def _conqueror(self, ctl: str, subj: Token) -> bool:
        """Things "fall to" rivals, voters and buyers too ("Tesla fell to Ford", "the seat fell
        to Labour", "Twitter fell into the hands of Musk"): a place falls to an armed group, or
        to a state when it is a place within one ("Kherson fell to Russia", "the city fell to
        Azerbaijan", not "Germany fell to Japan")."""
        kind = self.m.entities[ctl].type
        if kind in {"MilitaryUnit", "Group"}:
            return True
        return kind == "Country" and any(
            self.m.entities[r].type in PLACE_TYPES - {"Country"} for r in self.regions(subj))

    def _handed(self, verb: Token) -> Iterator[tuple[str, str, Token]]:
        obj = self._object(verb)
        if obj is None:
            return
        if obj.lemma_.lower() == "control":
            dative = next((c for c in verb.children if c.dep_ == "dative"), None)
            if dative is not None:
                ctl = self.controller(dative, verb)
                if ctl:
                    for r in self._of_regions(obj):
                        yield r, ctl, verb
            return
        back = next((c for c in verb.children if c.lower_ in {"back", "over"}), None)
        if back is None and verb.lemma_.lower() == "hand":
            back = verb  # "handed the city to the Taliban": a change of hands all the same
        if back is not None:  # "to" hangs on the verb or on "back"/"over"
            to = next((c for c in [*verb.children, *back.children]
                       if c.dep_ in {"prep", "dative"} and c.lower_ == "to"), None)
            who = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
            if who is not None:
                ctl = self.controller(who, verb)
                if ctl:
                    for r in self.regions(obj):
                        yield r, ctl, verb

    def _of_regions(self, control: Token) -> list[str]:
        """"control of/over X": the slot is territory, whatever NER called X."""
        out = []
        for o in self._of_objects(control):
            # ("under the control of X": X is who controls, not where)
            out.extend(self.regions(o, named_place=o.pos_ == "PROPN" and
                                    control.head.lower_ != "under"))
        return out

    @staticmethod
    def _of_objects(control: Token) -> list[Token]:
        return [o for p in control.children if p.dep_ == "prep" and p.lower_ in {"of", "over"}
                for o in p.children if o.dep_ == "pobj"]

    def _control_noun(self, noun: Token) -> Iterator[tuple[str, str, Token]]:
        regions = self._of_regions(noun)
        if not regions and noun.dep_ == "dobj":
            # "securing X's control over Y": the parser hangs "over" on the verb
            regions = self._of_regions(noun.head)
        owner = next((c for c in noun.children if c.dep_ in {"poss", "compound", "amod"}
                      and c.lower_ not in {"full", "complete", "total", "effective", "partial"}),
                     None)
        head = noun.head
        ctl_tok = owner
        if ctl_tok is None and noun.dep_ == "nsubj" and head.lemma_.lower() in {
                "pass", "revert", "shift", "go", "fall"}:
            # "control of X passed to Y", "reverted to Y"
            ctl_tok = next((o for p in head.children if p.dep_ == "prep" and p.lower_ == "to"
                            for o in p.children if o.dep_ == "pobj"), None)
            ctl = self.controller(ctl_tok, noun) if ctl_tok is not None else None
            if ctl and all(self._conqueror(ctl, o) for o in self._of_objects(noun)):
                for r in regions:
                    yield r, ctl, head
            return
        if ctl_tok is None:
            if head.lower_ in {"in", "under"} and head.dep_ == "prep":
                verb = head.head
                ctl_tok = subject_of(verb) if verb.pos_ in {"AUX", "VERB"} else None
                if head.lower_ == "under":  # "Y is under the control of X"
                    of = next((o for p in noun.children if p.dep_ == "prep" and p.lower_ == "of"
                               for o in p.children if o.dep_ == "pobj"), None)
                    if of is None or ctl_tok is None:
                        return  # "under control" with no owner is the idiom
                    ctl = self.controller(of, noun)
                    if ctl:
                        for r in self.regions(ctl_tok):
                            yield r, ctl, noun
                    return
            elif owner is not None and owner.dep_ == "poss" and not any(
                    a.lemma_.lower() in self.contests for a in noun.ancestors):
                ctl_tok = owner  # "reaffirming Baku's control of X" (not "a bid for ...")
                if head.lemma_.lower() == "claim":
                    return
            elif noun.dep_ == "dobj" and head.lemma_.lower() in {
                    "take", "seize", "gain", "have", "retain", "keep", "assume", "establish",
                    "claim", "regain", "retake", "wrest", "restore", "reestablish", "secure"}:
                if head.lemma_.lower() == "claim":
                    return  # "claimed control" is a claim, not a stated fact
                ctl_tok = subject_of(head)
        if ctl_tok is None or not regions:
            if owner is not None and head.lower_ == "under" and head.dep_ == "prep":
                ctl = self.controller(owner, noun) if self.m.entity_at(owner) else \
                    self.m.anaphor(owner) or self.controller(owner, noun)
                verb = target = head.head
                if target.pos_ in {"VERB", "AUX"}:  # "Y remains under X control"
                    target = subject_of(target) or target
                if ctl:
                    for r in self._relative_regions(verb, target) if verb.dep_ == "relcl" \
                            else self.regions(target):
                        yield r, ctl, noun
            return
        ctl = self.controller(ctl_tok, noun)
        if ctl:
            for r in regions:
                yield r, ctl, noun if noun.dep_ != "dobj" else head

    def _in_hands(self, hands: Token) -> Iterator[tuple[str, str, Token]]:
        verb = hands.head.head
        subj = subject_of(verb) if verb.pos_ in {"AUX", "VERB"} else None
        if subj is None:
            return
        owners = self._hands_owners(hands)
        for r in self._relative_regions(verb, subj) if owners else ():
            for ctl in owners:
                yield r, ctl, verb

    def _relative_regions(self, verb: Token, target: Token) -> list[str]:
        """The places a clause's subject names; for a relative clause the parser may hang on
        the nearest noun ("Kupiansk, a junction on the Oskil river that had been in Russian
        hands"), so up the prepositions to the noun that is a place."""
        # (a river or road a place lies on is where the clause was hung, seldom what it says)
        landmark = target.lemma_.lower() in self.features and target.dep_ == "pobj"
        if target.dep_ == "pobj" and target.head.lower_ in {"to", "towards", "from"} and \
                target.head.head.lemma_.lower() in self.features:
            return []  # "the road to Cucuta, which was under army control": the road, unnamed
        found = [] if landmark else self.regions(target)
        node = target
        while not found and verb.dep_ == "relcl" and node.dep_ == "pobj" and \
                node.head.dep_ == "prep":
            node = node.head.head
            found = self.regions(node)
        return found or (self.regions(target) if landmark else [])

    def _hands_owners(self, hands: Token) -> list[str]:
        """"in the hands of government troops and allied tribesmen": each of them."""
        of = next((o for p in hands.children if p.dep_ == "prep" and p.lower_ == "of"
                   for o in p.children if o.dep_ == "pobj"), None)
        if of is not None and not any(c.dep_ in {"poss", "compound", "amod"}
                                      for c in hands.children):
            owners = self.controllers(of, hands)
            # "... in the hands of government troops and allied tribesmen": the parser may
            # hang the second owner on the verb; it follows the first across "and"
            verb = hands.head.head
            nxt = of.right_edge.i + 1
            for c in verb.children:
                if c.dep_ == "conj" and c.pos_ == "NOUN" and nxt < c.i and \
                        self.doc[nxt].dep_ == "cc" and c.left_edge.i == nxt + 1:
                    ctl = self.controller(c, hands)
                    if ctl and ctl not in owners:
                        owners.append(ctl)
            return owners
        owner = self._hands_owner(hands)
        return [owner] if owner else []

    def _hands_owner(self, hands: Token) -> str | None:
        """Whose hands: "rebel hands", "Taliban hands", "their hands", "the hands of X"."""
        owner = next((c for c in hands.children if c.dep_ in {"poss", "compound", "amod"}), None)
        if owner is None:
            owner = next((o for p in hands.children if p.dep_ == "prep" and p.lower_ == "of"
                          for o in p.children if o.dep_ == "pobj"), None)
            return self.controller(owner, hands) if owner is not None else None
        if self.m.entity_at(owner) or owner.dep_ == "poss" or owner.pos_ == "PROPN":
            return self.controller(owner, hands)
        return self.m.anaphor(owner)


def find_controls(doc: Doc, mentions: Mentions, body_start: int) -> Iterator[Control]:
    yield from ControlFinder(doc, mentions, body_start).run()
