"""Stated refusals -> Refusal(agent, action, place).

Only a stated refusal counts (refused, declined, unwilling, would not, "their refusal to be
deployed"); the action must map to the closed set in refusal_actions.tsv, so "declined to
comment" and "refusal to implement a mobilisation" fall away by data, not by code.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from kg.extract import gazetteer as gz
from kg.extract.claims import subject_of
from kg.extract.cues import at_war, denied, disputed, generic, hedged, tokens_with, unasserted
from kg.extract.entities import PLACE_TYPES, Mentions
from kg.facts import Evidence, Refusal
from kg.resources import load_lines, load_set, load_table


def _cues() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for line in load_lines("lexicon/refusal_cues.txt"):
        kind, _, word = line.partition(":")
        out.setdefault(kind, set()).add(word.strip().lower())
    return out


def _action_keys(t: Token) -> list[str]:
    """How the lexicon may name the action at `t`: with its particle and object first ("hand
    over weapon", "open fire"), then the phrasal verb ("show up"), then the verb alone."""
    lemma = t.lemma_.lower()
    prt = " ".join(c.lower_ for c in t.children if c.dep_ == "prt")
    objs = [c.lemma_.lower() for c in t.children if c.dep_ in {"dobj", "attr"}]
    objs += [o.lemma_.lower() for p in t.children if p.dep_ == "prep"
             for o in p.children if o.dep_ == "pobj"]  # "take part in", "fire on"
    keys = []
    for obj in objs:
        if prt:
            keys.append(f"{lemma} {prt} {obj}")
        keys.append(f"{lemma} {obj}")
    if prt:
        keys.append(f"{lemma} {prt}")
    keys.append(lemma)
    return keys


def _action_of(tok: Token, actions: dict[str, str]) -> tuple[str, Token, bool] | None:
    """The refused action: the verb itself, or the verb its complement chain leads to, with
    whether anyone (not only those who serve) can refuse it."""
    for t in [tok, *[c for c in tok.children if c.dep_ == "xcomp"]]:
        passive = any(c.dep_ == "auxpass" for c in t.children)
        for key in _action_keys(t):
            value = actions.get(key)
            if value is None and passive:
                value = actions.get(f"{key} (passive)")  # "refused to be sent"
            if value:
                act, _, who = value.partition("\t")
                return act, t, who == "anyone"
    return None


#: A match: the cue, the clause whose subject refuses, the action, the action's own token,
#: and whether anyone (not only those who serve) can refuse that action.
Match = tuple[Token, Token, str, Token, bool]


class RefusalFinder:
    def __init__(self, doc: Doc, mentions: Mentions, body_start: int) -> None:
        self.doc, self.m, self.body_start = doc, mentions, body_start
        self.cues, self.actions = _cues(), load_table("lexicon/refusal_actions.tsv")
        self.conquest = load_set("lexicon/conquest_verbs.txt")
        self.units = load_set("lexicon/unit_nouns.txt") | load_set("lexicon/group_nouns.txt")
        self.serving = self.units | load_set("lexicon/army_nouns.txt") | \
            load_set("lexicon/service_nouns.txt")
        self.refs = mentions.references
        self.civil = load_set("lexicon/civil_service_nouns.txt")
        self.ambiguous_units = load_set("lexicon/ambiguous_unit_nouns.txt")
        self.ranks = load_set("lexicon/military_ranks.txt")
        self.civil_titles = load_set("lexicon/civil_titles.txt")
        self.at_war = at_war(doc)

    def run(self) -> Iterator[Refusal]:
        cue_words = {w.partition("=")[0].split()[0] for ws in self.cues.values() for w in ws}
        for tok in tokens_with(self.doc, cue_words, self.body_start):
            found = self._match(tok)
            if found:
                yield from self._refusal(*found)

    def _match(self, tok: Token) -> Match | None:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lemma in self.cues.get("verb", ()):
            orders_only = lemma in {"reject", "defy", "disobey"}  # a rejected offer is no refusal
            for c in tok.children:
                if c.dep_ == "xcomp" and not orders_only:
                    a = _action_of(c, self.actions)
                    if a:
                        return tok, tok, a[0], a[1], a[2]
                if c.dep_ == "prep" and c.lower_ in {"at", "from"} and not orders_only:
                    # "balked at deploying", "shied away from fighting"
                    for g in c.children:
                        a = _action_of(g, self.actions) if g.tag_ == "VBG" else None
                        if a:
                            return tok, tok, a[0], a[1], a[2]
                if c.dep_ == "dobj" and c.tag_ == "NN" and not orders_only:
                    a = _action_of(c, self.actions)  # "refused deployment to Kherson"
                    if a:
                        return tok, tok, a[0], a[1], a[2]
                if c.dep_ == "dobj" and c.lemma_.lower() in {"order", "orders", "command"}:
                    # "refused orders to bomb the market": an order only the armed get
                    ordered = next((a for x in c.children if x.dep_ in {"acl", "relcl"}
                                    if (a := _action_of(x, self.actions))), None)
                    return tok, tok, "obey orders", c, bool(ordered and ordered[2])
        if tok.pos_ == "ADJ" and lemma in self.cues.get("adj", ()):
            for c in tok.children:
                if c.dep_ == "xcomp":
                    a = _action_of(c, self.actions)
                    if a:
                        return tok, tok.head if tok.dep_ == "acomp" else tok, *a
        if tok.pos_ == "NOUN" and lemma in self.cues.get("noun", ()):
            for c in tok.children:
                if c.dep_ in {"acl", "xcomp", "relcl"}:
                    a = _action_of(c, self.actions)
                    if a:
                        return tok, tok, *a
        if tok.lower_ in self.cues.get("neg", ()) and tok.dep_ == "aux":
            head = tok.head
            # "would not be used to attack" says what others will do with them: no refusal.
            if any(c.dep_ == "neg" for c in head.children) and \
                    not any(c.dep_ == "auxpass" for c in head.children):
                a = _action_of(head, self.actions)
                if a:
                    return tok, head, *a
        for cue in self.cues.get("phrase", ()):
            phrase, _, only = cue.partition("=")
            words = phrase.split()
            if tok.lower_ == words[0] and [t.lower_ for t in self.doc[tok.i:tok.i + len(words)]] \
                    == words and tok.i + len(words) < len(self.doc):
                verb = self.doc[tok.i + len(words)]
                a = _action_of(verb, self.actions)
                if a and (not only or a[0] == only):
                    # the clause whose subject refuses: "they fled rather than carry out orders"
                    clause = next((c for c in (tok.head, verb.head, verb)
                                   if subject_of(c) is not None), tok.head)
                    return tok, clause, *a
        return None

    def _agent(self, cue: Token, clause: Token) -> Token | None:
        if cue.pos_ == "NOUN":
            return next((c for c in cue.children if c.dep_ == "poss"), None)
        agent = subject_of(clause)
        if agent is not None and clause.dep_ == "relcl":
            # "soldiers from a garrison in the Leningrad region who had refused": the parser
            # hangs the clause on the nearest noun; the refusers are the people it belongs to.
            agent = self._serving_owner(agent) or agent
        return agent

    def _serving_owner(self, tok: Token) -> Token | None:
        """The outermost noun of people who serve up the chain of prepositions: "soldiers"
        rather than "garrison" in "soldiers from a garrison in the X region"."""
        node, found = tok, None
        for _ in range(8):
            if self._serves_word(node):
                found = node
            if node.dep_ not in {"pobj", "prep", "compound"} or node.head is node:
                break
            node = node.head
        return found

    def _serves_word(self, tok: Token) -> bool:
        return tok.pos_ in {"NOUN", "PROPN"} and (
            tok.lower_ in self.serving or tok.lemma_.lower() in self.serving)

    def _refusal(self, cue: Token, clause: Token, action: str, verb: Token,
                 anyone: bool) -> Iterator[Refusal]:
        if denied(cue) and cue.pos_ != "AUX" and cue.lower_ not in self.cues.get("neg", ()):
            return
        if any(a.lemma_.lower() in {"deny"} for a in cue.ancestors):
            return
        if cue.pos_ == "NOUN" and cue.dep_ not in {"dobj", "pobj", "nsubj", "attr", "conj",
                                                   "ROOT"}:
            return
        if hedged(clause) and cue.lower_ not in self.cues.get("neg", ()):
            return
        claimed = disputed(clause) or unasserted(clause)  # the claim's content, not a fact
        agent_tok = self._agent(cue, clause)
        if agent_tok is None or generic(agent_tok):
            return
        if clause.dep_ == "relcl" and (clause.tag_ in {"VBP", "VBZ"} or _bare_plural(agent_tok)):
            return  # "soldiers who refuse(d) to fight ... risk being shot": anyone, no event
        agent = self.m.resolve(agent_tok, anchor=cue)
        if agent_tok.lower_ in {"we", "i"}:  # "We will not advance," the colonel said
            agent = self.refs.quoted_speaker(agent_tok) or agent
        if agent is not None and self.m.entities[agent].type == "Country" and (
                agent_tok.lemma_.lower() in self.serving | self.units):
            agent = self.m.forces_of(agent, agent_tok)  # "Guinean troops would not advance"
        if agent is None or self.m.entities[agent].type in PLACE_TYPES:
            return
        if not anyone and not self._serves(agent, agent_tok):
            return  # a politician "refusing to attack his rivals", a striker, a delegation
        if action in {"deploy", "advance"} and not self.at_war and \
                verb.lemma_.lower() not in {"deploy", "redeploy"} and \
                self._civil(agent, agent_tok):
            return  # police who "refused to enter the stadium": no deployment, in peacetime
        if verb.lemma_.lower() not in self.actions and any(
                c.dep_ == "auxpass" for c in verb.children) and not self._is_unit(agent):
            return  # "refused to be sent/transferred": only a unit is deployed (not a player)
        place = self._place(verb, agent_tok)
        sent = cue.sent
        yield Refusal(agent, action, place, Evidence(sent.start_char, sent.end_char, sent.text),
                      claimed=claimed, at=cue.idx)

    def _serves(self, key: str, tok: Token) -> bool:
        """Soldiers, units, armed groups, police and named servicemen refuse deployments and
        orders; states, politicians and players do not."""
        ent = self.m.entities[key]
        if ent.type == "MilitaryUnit":
            return True
        if ent.type == "Country":
            return False
        if ent.type == "Person" and self._ranked(tok):
            return True  # "General Anatoly Kvashnin", "Lt. Gen. X" (not "Attorney General X")
        owned = self._owner_serves(tok)
        if tok.lemma_.lower() in self.ambiguous_units and (self.at_war or owned):
            return True  # "his company", "the column": a unit in a war, a firm elsewhere
        if owned and tok.lemma_.lower() in self.civil | self.serving:
            return True  # "its officers" of a police post, "his men" of a colonel
        words = " ".join(filter(None, (ent.name, ent.role, *ent.aliases))).lower().split()
        # "her son Pavel and five other men from his unit", "Dmitri, a contract soldier"
        return bool(set(words) & self.serving) or any(
            self._serves_word(t) for t in tok.subtree if t.dep_ != "relcl")

    def _ranked(self, tok: Token) -> bool:
        words = [t.lower_.rstrip(".") for t in self.doc[tok.left_edge.i:tok.i]]
        ranks = [i for i, w in enumerate(words) if w in self.ranks]
        return bool(ranks) and not any(w in self.civil_titles for w in words[:ranks[0]])

    def _owner_serves(self, tok: Token) -> bool:
        """Whose they are serves: "his company" of an army officer, "its officers" of a
        police post."""
        for c in tok.children:
            if c.dep_ != "poss":
                continue
            if self._serves_word(c):
                return True
            key = self.m.resolve(c, anchor=tok)
            if key is None or key not in self.m.entities:
                continue
            ent = self.m.entities[key]
            words = " ".join(filter(None, (ent.name, ent.role, *ent.aliases))).lower().split()
            return ent.type == "MilitaryUnit" or bool(set(words) & self.serving)
        return False

    def _civil(self, key: str, tok: Token) -> bool:
        """Only police or guards, nothing military in the name: they are sent into stadiums
        and hospitals as well as into battle."""
        ent = self.m.entities[key]
        words = set(" ".join(filter(None, (ent.name, *ent.aliases))).lower().split()) | {
            t.lower_ for t in tok.subtree}
        return ent.type != "MilitaryUnit" and bool(words & self.civil) and \
            not words & (self.serving - self.civil)

    def _is_unit(self, key: str) -> bool:
        ent = self.m.entities[key]
        return ent.type == "MilitaryUnit" or bool(set(ent.name.lower().split()) & self.units)

    def _place(self, verb: Token, agent_tok: Token) -> str | None:
        """Where the refused action was to happen: in its own arguments ("to fight in X",
        "orders to bomb protesters in X"), else in the refusers' description ("officers in X"),
        else in the clause around ("during a raid to retake part of X"). The article's main
        place is no fallback: a sentence that names none gives none."""
        for t in verb.subtree:  # "advance on Vuhledar", "attack Marinka", "an operation to
            # retake Damboa": the target place
            if t.dep_ == "dobj" and t.pos_ == "PROPN" and (
                    self.actions.get(t.head.lemma_.lower()) in {"advance", "fight"} or
                    t.head.lemma_.lower() in self.conquest):
                key = self._named_place(t)
                if key:
                    return key
        left = [t for t in verb.sent if t.i < agent_tok.left_edge.i]
        agent_span = {t.i for t in agent_tok.subtree}
        head = clause_of(verb)
        # (not a coordinated event: "refused orders to counter-attack and withdrew towards X")
        other = {t.i for c in head.children if c.dep_ == "conj" for t in c.subtree}
        clause = [t for t in head.subtree if t.i not in agent_span and t.i not in other]
        # "an order from NATO's commander, U.S. Gen. X, to block ...": who gave the order
        source = {x.i for p in head.subtree if p.lower_ in {"from", "by"} and p.dep_ in {
            "prep", "agent"} and p.head.lemma_.lower() in _ORDERED for x in p.subtree}
        # "shot young men in Kissy who refused": the place the parser hung on their verb
        around = [t for p in agent_tok.head.children if p.dep_ == "prep" and p.lower_ in
                  {"in", "at"} and p.i > agent_tok.i for t in p.subtree] \
            if agent_tok.dep_ in {"dobj", "nsubjpass"} else []
        for scope in (list(verb.subtree), list(agent_tok.subtree), clause, left, around):
            for t in scope:
                if t.i in source or _names_a_person(t):
                    continue
                if t.ent_type_ in {"DATE", "TIME"}:
                    continue
                if t.pos_ == "PROPN" and t.dep_ == "pobj" and t.head.lower_ in LOCATIVE:
                    key = self._named_place(t)  # the slot says place, whatever NER said
                    key = key and self.refs.part(t, key)  # "in south Lebanon": that part
                elif t.pos_ == "ADJ" or t.ent_type_ in {"NORP", "ORG"} or t.head.lower_ in {
                        "from", "of", "by"} and t.head.head.lower_ not in {"part", "parts",
                                                                           "outskirts"}:
                    continue  # "Libyan pilots", "the governor of X", "The Washington Post"
                else:
                    key = self.m.entity_at(t) or self.refs.place(t) or self.refs.post_place(t)
                if key and self.m.entities[key].type in PLACE_TYPES:
                    return key
        return None

    def _named_place(self, t: Token) -> str | None:
        """A name in a place slot ("in Daraa", "to Bakhmut") is a place, whatever NER said,
        unless it names someone who spoke or is known to the gazetteer as something else."""
        key = self.m.entity_at(t) or self.m.resolve(t, role="place")
        if key is None:
            return None
        ent = self.m.entities[key]
        if ent.type not in PLACE_TYPES and key not in gz.entries() and not ent.role and \
                key not in {k for _, k in self.m.last_speaker}:
            ent.type = "Place"
        return key if ent.type in PLACE_TYPES else None


#: Where "from X"/"by X" names who gave an order, not where it was to be carried out.
_ORDERED = {"order", "command", "instruction", "refuse", "defy", "disobey", "reject"}
#: Prepositions whose object is where an action happens or goes.
LOCATIVE = {"in", "into", "to", "towards", "toward", "on", "at", "for"}


def _names_a_person(t: Token) -> bool:
    """ "U.S. Gen. Mark Ellis", "Kherson governor X": a place in a person's title."""
    node = t
    while node.dep_ == "compound" and node.head.i != node.i:
        node = node.head
    return node.i != t.i and node.ent_type_ == "PERSON"


def _bare_plural(noun: Token) -> bool:
    """'soldiers' with nothing to tell which: no determiner, number, possessive or modifier."""
    return noun.tag_ == "NNS" and not any(
        c.dep_ in {"det", "nummod", "poss", "amod", "compound", "prep", "quantmod"}
        for c in noun.children)


def clause_of(tok: Token) -> Token:
    """The verb heading the clause `tok` is in: up through complements and objects, but not
    past a reporting verb's clause ("X said [they refused orders to bomb Y]")."""
    node = tok
    while node.dep_ in {"xcomp", "dobj", "acl", "prep", "pobj", "advcl", "conj", "acomp"} \
            and node.head is not node:
        node = node.head
    return node


def find_refusals(doc: Doc, mentions: Mentions, body_start: int) -> Iterator[Refusal]:
    yield from RefusalFinder(doc, mentions, body_start).run()

