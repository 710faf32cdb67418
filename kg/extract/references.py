"""References to places: "the city", "the provincial capital", "the enclave", "it" -> the named
place they stand for, or nothing.

One resolver serves every extractor: control needs "retook it" and "the town fell", refusals
need "refused to return to the city", and `Mentions` sends its own place descriptors here
("the region said" never happens, but "the region's governor" does). Which nouns refer to which
kinds of place is data (`lexicon/place_references.tsv`). Actors ("the rebels", "his men",
"they") go through the speaker-aware resolution in `Mentions.resolve`, which knows descriptors,
pronouns and metonyms; it uses this module for the places among them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from spacy.tokens import Token

from kg.extract import gazetteer as gz
from kg.extract.cues import window_start
from kg.extract.entities import ACTOR_TYPES, PLACE_TYPES, Mentions
from kg.facts import Claim
from kg.nlp import datelines, doc_text
from kg.resources import load_set, load_table

#: How far back (in tokens) a place reference looks: about two paragraphs of news.
PLACE_WINDOW = 400
#: Determiners with which a noun refers back ("the town", "this city", "its capital"); with
#: "a"/"another" it introduces a new place and refers to nothing.
_REFERRING = {"the", "this", "that", "its", "their", "his", "her"}
#: Prepositions that put posts inside a place ("positions in south Lebanon"), unlike "near".
_WITHIN = {"in", "inside", "at", "across", "throughout", "within"}
#: Reference nouns for towns and cities, which a facility never is.
_SETTLEMENTS = {"city", "town", "village", "capital", "port", "hub", "settlement"}


@cache
def place_nouns() -> dict[str, tuple[str, ...]]:
    """Reference noun -> the entity types it can refer to, the likeliest first."""
    return {noun: tuple(t.strip() for t in types.split(","))
            for noun, types in load_table("lexicon/place_references.tsv").items()}


class References:
    """Resolves a token that refers to a place or an actor, given the article's mentions."""

    def __init__(self, mentions: Mentions) -> None:
        self.m = mentions
        self.doc = mentions.doc
        self.directions = load_set("lexicon/direction_words.txt")
        self.posts = load_set("lexicon/post_nouns.txt")
        self.events = load_set("lexicon/campaign_nouns.txt")
        self.features = load_set("lexicon/feature_nouns.txt")
        self.facilities = load_set("lexicon/facility_nouns.txt") - set(place_nouns())
        self._quoted: list[tuple[int, int, str]] = []
        # "BAKU, Oct 15 (Reuters) -": where the reporter filed from, not a place in the story
        self._datelines = [(m.start(), m.end()) for m in datelines(doc_text(self.doc))]

    def place(self, tok: Token) -> str | None:
        """The place `tok` names or refers back to: a name, "the town", "the eastern city",
        "its capital", or "it" as the thing taken or held."""
        key = self.m.entity_at(tok)
        if key:
            return key if self.m.entities[key].type in PLACE_TYPES else None
        if tok.pos_ == "PRON":
            return self._it(tok) if tok.lower_ == "it" else None
        types = place_nouns().get(tok.lemma_.lower())
        if types is None and tok.pos_ == "NOUN" and self._refers_back(tok):
            return self._named_facility(tok)  # "the airport": "Pristina's Slatina airport"
        if types is None or tok.pos_ != "NOUN" or not self._refers_back(tok):
            return None
        for c in tok.children:  # "the town, Palma," / "the city Armenians call Stepanakert"
            k = self.m.entity_at(c) if c.dep_ in {"appos", "relcl", "acl"} else None
            if k and self.m.entities[k].type in PLACE_TYPES:
                return k
        return self._recent_place(tok, types)

    def note_quotes(self, claims: Iterable[Claim]) -> None:
        """Remember whose words each direct quote is, so that "we" and "our forces" inside one
        resolve to its speaker's side."""
        self._quoted = [(c.evidence.start + at, c.evidence.start + at + len(c.text), c.claimant)
                        for c in claims if c.direct
                        for at in [c.evidence.text.find(c.text)] if at >= 0]

    def quoted_speaker(self, tok: Token) -> str | None:
        """Who says the direct quote `tok` stands in, if it stands in one."""
        key = next((k for start, end, k in self._quoted if start <= tok.idx < end), None)
        return key if key in self.m.entities else None

    def part(self, tok: Token, key: str) -> str:
        """The place a name stands for with its directional words: "south Lebanon", "western
        and southern Tigray" are regions of their own, not all of the country; a city has no
        such parts in the news."""
        dirs = [c for c in tok.children if c.dep_ in {"amod", "compound"} and
                c.lower_ in self.directions and c.i < tok.i]
        if not dirs or self.m.entities[key].type == "City":
            return key
        return self.m.add_place(self.doc[min(c.left_edge.i for c in dirs):tok.i + 1])

    def post_place(self, tok: Token) -> str | None:
        """Where "its posts", "their positions", "the base" are, or where "the invasion" or
        "the war" happens: where the article last placed such posts or a campaign ("positions
        in south Lebanon" ... "refused to leave its posts near the Blue Line"; "a second tour
        in Ukraine" ... "would not rejoin the invasion"). A line or landmark the posts are near
        is not where they are, and posts placed in this phrase ("its posts in X") are not a
        reference at all."""
        lemma = tok.lemma_.lower()
        kind = self.posts if lemma in self.posts else self.events if lemma in self.events \
            else None
        if kind is None or tok.pos_ != "NOUN" or not any(
                c.dep_ in {"det", "poss"} and c.lower_ in _REFERRING for c in tok.children):
            return None
        if self._post_in(tok):
            return None
        for t in reversed(self.doc[max(0, tok.i - PLACE_WINDOW):tok.i]):
            if t.lemma_.lower() in kind and t.pos_ == "NOUN":
                found = self._post_in(t)
                if found:
                    return found
        return None

    def _post_in(self, tok: Token) -> str | None:
        within = _WITHIN | ({"of", "on", "into"} if tok.lemma_.lower() in self.events else set())
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.lower_ not in within:
                continue
            for obj in prep.children:
                key = self.m.entity_at(obj) if obj.dep_ == "pobj" else None
                if key and self.m.entities[key].type in PLACE_TYPES:
                    return self.part(obj, key)
        return None

    def _refers_back(self, tok: Token) -> bool:
        dets = {c.lower_ for c in tok.children if c.dep_ in {"det", "poss"}}
        if not dets & _REFERRING or tok.tag_ == "NNS":
            return False  # "a town" is new; "the regions" are several
        if any(c.dep_ in {"relcl", "acl"} and c.i > tok.i and self.doc[c.left_edge.i - 1].text
               != "," for c in tok.children):
            return False  # "the region it controls": defined here, not named before
        # "the city of X" names X; "the Kherson region" is a name with a descriptor
        return not any(c.pos_ == "PROPN" or self.m.entity_at(c) for c in tok.children) and \
            not any(c.dep_ == "prep" and c.lower_ == "of" and any(
                self.m.entity_at(o) for o in c.children) for c in tok.children)

    def _recent_place(self, tok: Token, types: tuple[str, ...]) -> str | None:
        """The place a descriptor refers back to. A place the article introduced with this noun
        wins ("the town of X" ... "the town"); then the most salient compatible place of the
        last paragraphs (mentioned most, this sentence and the one before counting extra),
        which beats a nearer place named once in passing (a dateline, "Baku's control")."""
        noun = tok.lemma_.lower()
        near = window_start(tok)
        here = {m.key for m in self.m.mentions if tok.sent.start <= m.start < tok.i and
                self.m.entities[m.key].type in set(types) - {"Country"} and
                not self._names_a_feature(self.doc[m.start]) and
                self.doc[m.start].pos_ != "ADJ" and not self._in_dateline(self.doc[m.start])}
        if len(here) == 1:  # "retook Tskhinvali on Friday, but troops retook the city by Sunday"
            return here.pop()
        score: dict[str, float] = {}
        for mention in self.m.mentions:
            if mention.start >= tok.i or tok.i - mention.start > PLACE_WINDOW:
                continue
            ent = self.m.entities[mention.key]
            first = self.doc[mention.start]
            if first.pos_ == "ADJ" or self._in_dateline(first) or self._names_a_feature(first):
                continue  # (nor "the Sunzha river", whatever town shares its name)
            called = self._called(self.doc[mention.start:mention.end].root, noun)
            if called and ent.type in ACTOR_TYPES - {"Country"} and mention.key not in gz.entries():
                ent.type = types[0].rstrip("?")  # "Palma, the gas hub": NER said PERSON
            if ent.type not in types and not (f"{ent.type}?" in types and called) and not (
                    called and ent.type in PLACE_TYPES):
                continue  # (the article's own "the town of X" beats a gazetteer's district X)
            if ent.stands_for and (first.dep_ in {"poss", "nsubj"} or first.head.dep_ == "poss"
                                   or first.head.lower_ == "by"):
                continue  # "Baku's control", "funded by Washington": the state, not the place
            if noun in _SETTLEMENTS and self._facility(ent.name):
                continue  # "the capital" is no hospital or airport, however often named
            if called:  # (not its aliases: a wrong guess of ours would stick)
                return mention.key
            primary = 2 if ent.type == types[0] else 0  # a Region for "the region"
            score[mention.key] = score.get(mention.key, 0) + (3 if mention.start >= near else 1) \
                + primary + mention.start / 10_000  # ties: the nearer
        return max(score, key=lambda k: score[k]) if score else None

    def _named_facility(self, tok: Token) -> str | None:
        """The last place named with this noun ("Slatina airport", "the Hantoub bridge") for
        "the airport", "the bridge"; nothing when none was."""
        noun = tok.lemma_.lower()
        if noun not in self.facilities:
            return None
        for mention in reversed(self.m.mentions):
            if mention.start >= tok.i or tok.i - mention.start > PLACE_WINDOW:
                continue
            ent = self.m.entities[mention.key]
            if ent.type in PLACE_TYPES and ent.name.lower().split()[-1:] in ([noun],
                                                                             [tok.lower_]):
                return mention.key
        return None

    def _names_a_feature(self, tok: Token) -> bool:
        end = tok
        while end.dep_ == "compound" and end.head.i != end.i:
            end = end.head
        return end.i != tok.i and end.lemma_.lower() in self.features

    def _in_dateline(self, tok: Token) -> bool:
        return any(start <= tok.idx < end for start, end in self._datelines)

    @staticmethod
    def _called(name: Token, noun: str) -> bool:
        """Was this mention introduced with the noun, or one for the same kind of place: "the
        town of Djibo", "Djibo, a town", "the Baba Amr district" for "the neighbourhood"?"""
        kinds = place_nouns()

        def same(word: Token) -> bool:
            w = word.lemma_.lower()
            return w == noun or (w in kinds and kinds[w] == kinds.get(noun))

        head = name.head
        if name.dep_ == "pobj" and head.lower_ == "of" and same(head.head) and not any(
                c.dep_ == "compound" and c.pos_ == "PROPN" for c in head.head.children):
            return True  # (in "the Baba Amr district of Homs" the district is Baba Amr)
        if name.dep_ == "compound" and same(head):
            return True
        return any(c.dep_ == "appos" and same(c) for c in name.children)

    @staticmethod
    def _facility(name: str) -> bool:
        words = set(name.lower().split())
        return bool(words & (load_set("lexicon/facility_nouns.txt") - _SETTLEMENTS))

    def _it(self, pron: Token) -> str | None:
        """ "retook it", "had held it": the nearest place below a country in this sentence or
        the one before; a country is not "it" here (it would be the country's own)."""
        start = window_start(pron)
        for mention in reversed(self.m.mentions):
            if mention.start >= pron.i:
                continue
            if mention.start < start:
                break
            ent = self.m.entities[mention.key]
            first = self.doc[mention.start]
            if first.pos_ == "ADJ" or (ent.stands_for and first.dep_ in {"poss", "nsubj"}):
                continue
            if first.dep_ == "pobj" and first.head.lower_ in {"of", "near", "from", "outside"} \
                    and first.head.head.lower_ not in place_nouns():
                continue  # "Rastan, north of Homs": a landmark, not the place spoken of
            if ent.type in PLACE_TYPES - {"Country"}:
                return mention.key
        return None
