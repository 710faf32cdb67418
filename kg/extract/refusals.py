"""Stated refusals -> Refusal(agent, action, place).

Only a stated refusal counts (refused, declined, unwilling, would not, "their refusal to be
deployed"); the action must map to the closed set in refusal_actions.tsv, so "declined to
comment" and "refusal to implement a mobilisation" fall away by data, not by code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from spacy.tokens import Doc, Token

from kg.extract.claims import subject_of
from kg.extract.cues import denied, disputed, generic, hedged
from kg.extract.entities import PLACE_TYPES, Mentions
from kg.facts import Evidence, Refusal
from kg.resources import load_lines, load_set, load_table


def _cues() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for line in load_lines("lexicon/refusal_cues.txt"):
        kind, _, word = line.partition(":")
        out.setdefault(kind, set()).add(word.strip().lower())
    return out


def _action_of(tok: Token, actions: dict[str, str]) -> tuple[str, Token] | None:
    """The refused action: the verb itself, or the verb its complement chain leads to."""
    for t in [tok, *[c for c in tok.children if c.dep_ == "xcomp"]]:
        act = actions.get(t.lemma_.lower())
        if act is None and any(c.dep_ == "auxpass" for c in t.children):
            act = actions.get(f"{t.lemma_.lower()} (passive)")  # "refused to be sent"
        if act:
            return act, t
    return None


class RefusalFinder:
    def __init__(self, doc: Doc, mentions: Mentions, body_start: int) -> None:
        self.doc, self.m, self.body_start = doc, mentions, body_start
        self.cues, self.actions = _cues(), load_table("lexicon/refusal_actions.tsv")
        self.units = load_set("lexicon/unit_nouns.txt") | load_set("lexicon/group_nouns.txt")
        self._focal = self._focal_place()

    def _focal_place(self) -> str | None:
        """The article's main place: most mentioned, the lead paragraph counting double."""
        lead_end = next((s.end_char for s in self.doc.sents if s.start_char >= self.body_start),
                        0)
        counts: Counter[str] = Counter()
        first: dict[str, int] = {}
        for m in self.m.mentions:
            if self.m.entities[m.key].type in PLACE_TYPES and \
                    self.doc[m.start].idx >= self.body_start and \
                    self.doc[m.start].pos_ != "ADJ" and self.doc[m.start].ent_type_ != "NORP":
                counts[m.key] += 3 if self.doc[m.start].idx < lead_end else 1
                first.setdefault(m.key, m.start)
        if not counts:
            return None
        return max(counts, key=lambda k: (counts[k], -first[k]))

    def run(self) -> Iterator[Refusal]:
        for tok in self.doc:
            if tok.idx < self.body_start:
                continue
            found = self._match(tok)
            if found:
                yield from self._refusal(*found)

    def _match(self, tok: Token) -> tuple[Token, Token, str, Token] | None:
        """(cue, clause head for agent, action, action verb) or None."""
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lemma in self.cues.get("verb", ()):
            orders_only = lemma in {"reject", "defy", "disobey"}  # a rejected offer is no refusal
            for c in tok.children:
                if c.dep_ == "xcomp" and not orders_only:
                    a = _action_of(c, self.actions)
                    if a:
                        return tok, tok, a[0], a[1]
                if c.dep_ == "dobj" and c.lemma_.lower() in {"order", "orders", "command"}:
                    return tok, tok, "obey orders", c
        if tok.pos_ == "ADJ" and lemma in self.cues.get("adj", ()):
            for c in tok.children:
                if c.dep_ == "xcomp":
                    a = _action_of(c, self.actions)
                    if a:
                        return tok, tok.head if tok.dep_ == "acomp" else tok, a[0], a[1]
        if tok.pos_ == "NOUN" and lemma in self.cues.get("noun", ()):
            for c in tok.children:
                if c.dep_ in {"acl", "xcomp", "relcl"}:
                    a = _action_of(c, self.actions)
                    if a:
                        return tok, tok, a[0], a[1]
        if tok.lower_ in self.cues.get("neg", ()) and tok.dep_ == "aux":
            head = tok.head
            if any(c.dep_ == "neg" for c in head.children):
                a = _action_of(head, self.actions)
                if a:
                    return tok, head, a[0], a[1]
        for phrase in self.cues.get("phrase", ()):
            words = phrase.split()
            if tok.lower_ == words[0] and [t.lower_ for t in self.doc[tok.i:tok.i + len(words)]] \
                    == words and tok.i + len(words) < len(self.doc):
                verb = self.doc[tok.i + len(words)]
                act = self.actions.get(verb.lemma_.lower())
                if act:
                    return tok, tok.head, act, verb
        return None

    def _agent(self, cue: Token, clause: Token) -> Token | None:
        if cue.pos_ == "NOUN":
            return next((c for c in cue.children if c.dep_ == "poss"), None)
        return subject_of(clause)

    def _refusal(self, cue: Token, clause: Token, action: str, verb: Token) -> Iterator[Refusal]:
        if denied(cue) and cue.pos_ != "AUX" and cue.lower_ not in self.cues.get("neg", ()):
            return
        if any(a.lemma_.lower() in {"deny"} for a in cue.ancestors):
            return
        if cue.pos_ == "NOUN" and cue.dep_ not in {"dobj", "pobj", "nsubj", "attr", "conj"}:
            return
        if hedged(clause) and cue.lower_ not in self.cues.get("neg", ()) or disputed(clause):
            return
        agent_tok = self._agent(cue, clause)
        if agent_tok is None or generic(agent_tok):
            return
        if clause.dep_ == "relcl" and clause.tag_ in {"VBP", "VBZ"}:
            return  # "soldiers who refuse to fight": a rule about anyone, not an event
        agent = self.m.resolve(agent_tok, anchor=cue)
        if agent is None or self.m.entities[agent].type in PLACE_TYPES - {"Country"}:
            return
        if verb.lemma_.lower() not in self.actions and not self._is_unit(agent):
            return  # "refused to be sent/transferred": only a unit is deployed (not a player)
        place = self._place(verb, agent_tok)
        sent = cue.sent
        yield Refusal(agent, action, place, Evidence(sent.start_char, sent.end_char, sent.text))

    def _is_unit(self, key: str) -> bool:
        ent = self.m.entities[key]
        return ent.type == "MilitaryUnit" or bool(set(ent.name.lower().split()) & self.units)

    def _place(self, verb: Token, agent_tok: Token) -> str | None:
        for t in verb.subtree:  # "advance on Vuhledar", "attack Marinka": the target place
            if t.pos_ == "PROPN" and (t.dep_ == "pobj" and t.head.lower_ in {
                    "in", "into", "to", "towards", "toward", "on", "at"} or t.dep_ == "dobj"
                    and self.actions.get(t.head.lemma_.lower()) in {"advance", "fight"}):
                key = self.m.entity_at(t) or self.m.resolve(t, role="place")
                if key and self.m.entities[key].type not in PLACE_TYPES and \
                        key not in {k for _, k in self.m.last_speaker}:
                    self.m.entities[key].type = "Place"
                if key and self.m.entities[key].type in PLACE_TYPES:
                    return key
        left = [t for t in verb.sent if t.i < verb.i]
        for scope in (list(verb.subtree), list(agent_tok.subtree), left):
            for t in scope:
                key = self.m.entity_at(t)
                if key and self.m.entities[key].type in PLACE_TYPES and \
                        t.head.lower_ not in {"from", "of"}:
                    return key
        return self._focal


def find_refusals(doc: Doc, mentions: Mentions, body_start: int) -> Iterator[Refusal]:
    yield from RefusalFinder(doc, mentions, body_start).run()

