"""Attribution -> Claim: reporting verbs with a clause, "according to", reporting nouns, quotes.

Sentences are walked in order so that each attribution can lean on the speakers before it:
"He added ..." and an unattributed quote paragraph both go to the last matching speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

import numpy as np
from spacy.attrs import LEMMA, LOWER, POS
from spacy.parts_of_speech import AUX, NOUN, VERB
from spacy.tokens import Doc, Span, Token

from kg.article import Article
from kg.extract.entities import Mentions, clean_name
from kg.extract.quotes import Segment, find_segments
from kg.facts import Claim, Evidence
from kg.resources import load_lines, load_set

_SENT_END = re.compile(r"[.!?](?:''|[\"”’)])?(?:\s+|$)")
_WORD_BEFORE = re.compile(r"([\w.']+)$")


def _sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence end in `text`. The stop after a title or an initial
    ("Mr. Rhodes said.", "George W. Bush") ends no sentence: cutting there would leave a
    quote's attribution without its speaker."""
    ends = []
    for m in _SENT_END.finditer(text):
        if m.group().startswith("."):
            word = _WORD_BEFORE.search(text, 0, m.start())
            w = word.group(1).lower().strip(".") if word else ""
            if w in _abbreviations() or (len(w) == 1 and w.isalpha()):
                continue
        ends.append(m.end())
    return ends


def _abbreviations() -> frozenset[str]:
    return load_set("lexicon/abbreviations.txt")


_SMALL_WORDS = {"a", "an", "the", "of", "to", "for", "and", "or", "in", "on", "at", "by",
                "with", "from", "is", "as"}


def _is_title(text: str) -> bool:
    """'In his book, “Doomed to Succeed,” he wrote': a short quote in title case names a
    work; it is not something said."""
    words = re.findall(r"[\w'’-]+", text)
    if not 1 < len(words) <= 8 or text.rstrip(" ,").endswith((".", "?", "!")):
        return False
    return words[0][:1].isupper() and all(
        w[:1].isupper() or w.lower() in _SMALL_WORDS for w in words)


def _issued() -> frozenset[str]:
    """What an actor issues and then speaks through: statements, reports, data."""
    return _document_nouns() | load_set("lexicon/evidence_nouns.txt") | \
        load_set("lexicon/reporting_nouns.txt")


def _unsaid() -> frozenset[str]:
    """Verbs whose infinitive did not happen: "declined to say", "plans to announce"."""
    return load_set("lexicon/nonfactual_verbs.txt") | load_set("lexicon/unsaid_verbs.txt")


def _finite_tag(verb: Token) -> str:
    """The tense a verb group shows: its first auxiliary's tag, else its own."""
    aux = next((c for c in verb.children if c.dep_ in {"aux", "auxpass"} and c.i < verb.i), None)
    return (aux or verb).tag_


def _document_nouns() -> frozenset[str]:
    return load_set("lexicon/document_nouns.txt")


def reporting_verbs() -> frozenset[str]:
    return load_set("lexicon/reporting_verbs.txt") | question_verbs()


def question_verbs() -> frozenset[str]:
    return load_set("lexicon/question_verbs.txt")


_WH = {"who", "whom", "which", "where", "whose", "when"}
#: Pronoun-like quantities that speak only through the noun they take ("some of the aides").
_QUANTIFIERS = {"some", "many", "most", "several", "others", "few", "all", "both", "one",
                "none", "half", "each", "either", "neither", "two", "three", "four"}
_REFLEXIVES = {"himself", "herself", "itself", "themselves", "myself", "ourselves", "yourself"}
#: Words that open a writer's comparison or elaboration after the reported clause.
_ASIDE_OPENERS = {"compared", "with", "despite", "including"}
#: Subordinators of a contrast the writer draws ("…, while others disagree").
_CONTRAST = {"while", "whereas"}

#: Verbs of telling someone: the noun right after them is the addressee ("told reporters S").
_TELLING = {"tell", "assure", "inform", "remind", "warn", "notify", "brief", "promise"}

_QUESTION_WORDS = {"whether", "if", "what", "who", "whom", "whose", "which", "why", "how",
                   "where", "when"}


def _is_question(comp: Token) -> bool:
    """'whether S', 'if S', 'what S', 'how S': a clause that asks."""
    first = comp.doc[comp.left_edge.i]
    return first.lower_ in _QUESTION_WORDS or any(
        c.dep_ == "mark" and c.lower_ in {"whether", "if"} for c in comp.children)


def subject_of(verb: Token) -> Token | None:
    """The grammatical speaker of a verb, borrowed from the verb it is coordinated with or
    the clause a participle hangs from ("..., saying it had ...")."""
    seen = 0
    while seen < 4:
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}
                    and c.lower_ not in {"that", "this", "which", "who"}]
        if subjects:  # two subjects is a parser slip: the named one is the speaker
            return next((c for c in subjects if c.ent_type_), subjects[-1])
        if verb.dep_ == "conj" and verb.head.dep_ == "ccomp" and \
                verb.head.head.lemma_.lower() in reporting_verbs() and \
                verb.lemma_.lower() in reporting_verbs():
            verb = verb.head.head  # "X said that S and claimed T": the parser hangs T on S
            seen += 1
            continue
        if verb.dep_ == "conj" or (verb.dep_ in {"advcl", "xcomp"} and verb.tag_ == "VBG"):
            verb = verb.head
            seen += 1
            continue
        if verb.dep_ == "relcl" and verb.head.pos_ in {"NOUN", "PROPN"}:
            return verb.head
        return None
    return None


def speaker_of(verb: Token) -> Token | None:
    """Who spoke through a reporting verb. Beyond its subject: "was prompted to say" and
    "went on to add" take the subject above, "forced him to admit" the object; "declined to
    say" and "plans to announce" said nothing. A passive report names its addressee or topic,
    not its speaker ("he was warned that S", "it was reported that S"): only "by X" speaks."""
    for _ in range(4):
        if verb.dep_ != "xcomp" or verb.tag_ != "VB":
            break
        if verb.head.lemma_.lower() in _unsaid():
            return None
        obj = next((c for c in verb.head.children if c.dep_ == "dobj"), None)
        if obj is not None and obj.i < verb.i:
            return obj
        verb = verb.head
    if verb.dep_ in {"acl", "relcl"} and verb.head.dep_ == "dobj" and \
            verb.head.lemma_.lower() in _issued() and \
            not any(c.dep_ == "nsubj" and c.lower_ not in {"that", "which"}
                    for c in verb.children):
        return subject_of(verb.head.head)  # "X issued a statement saying S", "X released
        # data that suggest S": the issuer speaks through what it issued
    if verb.tag_ == "VBG" and verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and \
            verb.head.head.pos_ in {"VERB", "AUX"}:
        return speaker_of(verb.head.head)  # "responded by saying S", "after telling them S"
    if verb.dep_ == "acl" and verb.head.pos_ == "PROPN" and (verb.tag_ == "VBD" or (
            verb.tag_ == "VBN" and verb.i and verb.doc[verb.i - 1].text == ",")):
        return verb.head  # "Mitt Romney, the nominee, tweeted: …" read as a reduced clause
    if verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.head.dep_ == "ccomp" and \
            verb.head.head.lemma_.lower() in reporting_verbs() and \
            not any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
        return speaker_of(verb.head.head)  # "told X that S, adding, “…”": the teller adds
    if verb.lemma_.lower() in reporting_verbs() and \
            any(c.dep_ == "nsubjpass" for c in verb.children) and \
            not any(c.dep_ == "nsubj" for c in verb.children):
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        return next((o for o in agent.children if o.dep_ == "pobj"), None) if agent else None
    return subject_of(verb)


#: The parts of speech of a plain noun phrase ("residents and an aid worker", "Kenya's police").
_NOUN_PHRASE = {"NOUN", "PROPN", "DET", "ADJ", "CCONJ", "NUM", "PART"}


def _evidence(doc: Doc, span: Span | Token) -> Evidence:
    sent = span.sent
    return Evidence(sent.start_char, sent.end_char, sent.text)


def _strip_statement(text: str) -> str:
    text = text.strip()
    text = re.sub(r"^(that|whether)\s+", "", text, flags=re.I)
    text = text.rstrip(" .,;:").strip()
    # 'supported "a fair outcome."': the closing quote came after the stop we cut at (not
    # 'the 75" model': an inch mark closes no quote).
    last = text.rfind('"')
    if text.count('"') % 2 and (last == 0 or text[last - 1].isspace()) and \
            text[last + 1:last + 2].strip():
        text += '"'
    if text.count("\u201c") > text.count("\u201d"):
        text += "\u201d"
    if text.count("''") % 2:
        text += "''"
    return text


#: What ClaimFinder.run starts at a token (see _cue_kinds).
_VERB_CUE, _ACCORDING_CUE, _NOUN_CUE = 1, 2, 3


class ClaimFinder:
    def __init__(self, doc: Doc, article: Article, mentions: Mentions, body_start: int) -> None:
        self.doc, self.article, self.m = doc, article, mentions
        self.body_start = body_start
        self.verbs = reporting_verbs()
        self.denials = load_set("lexicon/denial_verbs.txt")
        self.nouns = load_set("lexicon/reporting_nouns.txt")
        self.hearsay = load_set("lexicon/hearsay_nouns.txt")
        self.as_verbs = load_set("lexicon/as_report_verbs.txt")
        self.evidential = load_set("lexicon/evidential_verbs.txt")
        self.sources = (load_set("lexicon/evidence_nouns.txt") | _document_nouns() | self.nouns |
                        load_set("lexicon/person_nouns.txt") |
                        load_set("lexicon/staff_nouns.txt") | load_set("lexicon/group_nouns.txt"))
        self._person_nouns = load_set("lexicon/person_nouns.txt") | load_set("lexicon/titles.txt")
        self.adverbial = load_set("lexicon/adverbial_marks.txt")
        self.according = [p.split() for p in load_lines("lexicon/according_to.txt")]
        self.segments = [s for s in find_segments(article) if s.start >= body_start]
        self.claims: list[Claim] = []
        self._seg_speaker: dict[Segment, str] = {}
        #: (paragraph, speaker) of the last claim: a quote standing alone after it is theirs
        self._last_direct: tuple[int, str] | None = None
        self._para_starts = [p.start for p in article.paragraphs]
        self._pending: list[Segment] = []
        self._seg_verb: dict[Segment, str] = {}

    # ------------------------------------------------------------ helpers
    def in_quote(self, start: int, end: int) -> Segment | None:
        for s in self.segments:
            if s.start <= start and end <= s.end:
                return s
        return None

    def _quoted_report(self, verb: Token, seg: Segment) -> bool:
        """'X wrote: "Mayor Y claimed that S."': the quoted sentence is itself a report, by
        name, of what Y said (its top verb, with a named subject); Y's claim stands as the
        quoted speaker relays it."""
        top = not seg.start <= verb.head.idx < seg.end  # hangs on the verb that quotes it
        subj = subject_of(verb)
        return top and subj is not None and subj.pos_ == "PROPN" and subj.i < verb.i

    def _quoted_words(self, seg: Segment) -> bool:
        """A quote of a whole utterance (a sentence or more), not a quoted phrase or title."""
        return len(seg.text(self.article).split()) >= 6

    def _quoted_share(self, span: Span) -> float:
        inside = sum(1 for t in span if self.in_quote(t.idx, t.idx + len(t)))
        return inside / max(len(span), 1)

    def _speaker(self, verb: Token, subj: Token | None = None) -> str | None:
        subj = subj or speaker_of(verb)
        if subj is None or self._hearsay(subj) or not self._can_speak(subj, verb):
            return None
        surface = subj
        if subj.lower_ in _QUANTIFIERS and subj.pos_ in {"PRON", "DET", "ADJ", "NUM"} and \
                self._named_as(subj) is None:
            # "Some of Clinton's allies say": the allies speak, as the sentence names them;
            # "some who advocate X argue": no one the graph can name, so no claim.
            of = next((o for p in subj.children if p.dep_ == "prep" and p.lower_ == "of"
                       for o in p.children if o.dep_ == "pobj"), None)
            if of is None or of.pos_ == "PRON":
                return None
            subj = of
        named = self._named_as(subj)
        key = self._person(named) if named is not None else self.m.resolve(subj, anchor=verb)
        if key and surface is not subj:
            self._note_surface(surface, key)
        if key:
            self._note_role(subj, key)
            self._note_surface(subj, key)
            self.m.note_speaker(verb, key)
        return key

    def _named_as(self, head: Token) -> Token | None:
        """'One, who gave his name as Jallaabd,' and 'a sergeant identified only as Wilfredo':
        the name a speaker goes by, which later pronouns refer to."""
        for t in head.subtree:
            if t.dep_ in {"relcl", "acl"} and t.lemma_.lower() in {"give", "identify", "name",
                                                                     "call", "go"}:
                for p in t.children:
                    if p.dep_ == "prep" and p.lower_ in {"as", "by"}:
                        name = next((o for o in p.children if o.dep_ == "pobj"), None)
                        if name is not None and name.pos_ == "PROPN":
                            return name
                    if p.dep_ in {"oprd", "xcomp"} and p.pos_ == "PROPN":
                        return p  # "a man calling himself Paul Paul"
        return None

    def _person(self, name: Token) -> str:
        key = self.m.entity_at(name)
        if key and self.m.entities[key].type == "Person":
            return key
        return self.m.ensure_person(clean_name(self.m.np_span(name).text))

    def _can_speak(self, head: Token, verb: Token) -> bool:
        """'That impact suggests S' and 'the attack indicates S' are the writer's inference:
        through an evidential verb only an actor, a person or a source speaks."""
        if verb.lemma_.lower() not in self.evidential or head.pos_ in {"PROPN", "PRON"} or \
                self.m.entity_at(head):
            return True
        low = head.lemma_.lower()
        return low in self.sources or head.lower_ in self.sources

    def _hearsay(self, head: Token) -> bool:
        """'Unconfirmed reports said S', 'reports from across the country say S': talk that no
        one owns (plural, with no possessor, no "the", no named source) is no speaker."""
        if head.lemma_.lower() not in self.hearsay or head.tag_ != "NNS":
            return False
        if any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in {"the", "these", "those"})
               for c in head.children):
            return False
        return not any(self.m.entity_at(t) for t in head.subtree if t.i != head.i)

    def _note_surface(self, head: Token, key: str) -> None:
        """The speaker as this sentence wrote it ("the president", "Senate Majority Leader
        Mitch McConnell") is a name of the entity it resolved to: a reader of the graph looks
        for either, and later "the president said" finds its referent by it."""
        if head.pos_ == "PRON":
            return
        alias = clean_name(self.m.np_span(head).text)
        if alias and len(alias.split()) <= 8 and any(c.isalpha() for c in alias):
            self.m.entities[key].aliases.add(alias)
        if head.pos_ == "NOUN" and head.n_rights:  # "people briefed on the move": the
            whole = self.doc[head.left_edge.i:head.right_edge.i + 1]  # qualifier is part of
            if len(whole) <= 12 and not any(t.is_punct for t in whole):  # the description
                self.m.entities[key].aliases.add(clean_name(whole.text))

    def _note_role(self, subj: Token, key: str) -> None:
        ent = self.m.entities[key]
        before = self.doc[subj.left_edge.i - 1] if subj.left_edge.i else None
        if ent.type == "Organization" and not ent.qid and subj.pos_ == "PROPN" and \
                1 < len(ent.name.split()) <= 3 and before is not None and \
                not before.ent_type_ and before.lemma_.lower() in self._person_nouns:
            ent.type = "Person"  # "India's delegate Chandni Raina": NER saw no person there
        if ent.type == "Person" and subj.pos_ == "NOUN" and not ent.role:
            ent.role = clean_name(self.m.np_span(subj).text)  # "the mayor of X, Rui Matos,"
        for c in subj.children:
            if c.dep_ == "appos" and ent.type == "Person" and not ent.role:
                ent.role = clean_name(self.m.np_span(c).text)
                for p in c.children:
                    if p.dep_ == "prep" and p.lower_ in {"for", "of", "at", "with", "to"}:
                        for o in p.children:
                            aff = self.m.entity_at(o)
                            if aff and aff != key:
                                ent.affiliation = aff
        # Titles before the name ("Kremlin spokesman Dmitry Peskov") are a role too.
        if ent.type == "Person" and not ent.role:
            pre = [t for t in subj.lefts if t.dep_ == "compound" and self.m.entity_at(t) != key]
            if pre:
                ent.role = " ".join(t.text for t in pre)

    def _add(self, key: str, text: str, direct: bool, verb: str, ev: Evidence,
             negated: bool = False) -> None:
        text = text.strip()
        if len(text.split()) < 2 or not key:
            return
        self.claims.append(Claim(key, text, direct, verb, ev, negated))
        # "“A,” Cole said. “B.”" and a quote paragraph after "…, Clinton said.": news leaves
        # the speaker of a quote that follows a claim unsaid.
        self._last_direct = (bisect_right(self._para_starts, ev.start) - 1, key)

    # ------------------------------------------------------------ passes
    def run(self) -> list[Claim]:
        segments = sorted(self.segments, key=lambda s: s.start)
        cues = self._cue_kinds()
        next_seg = 0
        for sent in self.doc.sents:
            if sent.end_char <= self.body_start:
                continue
            while next_seg < len(segments) and segments[next_seg].start < sent.end_char:
                self._direct(segments[next_seg])  # once per segment, in reading order
                next_seg += 1
            for i in cues[sent.start:sent.end].nonzero()[0].tolist():
                tok, kind = self.doc[sent.start + i], cues[sent.start + i]
                if kind == _VERB_CUE:
                    self._indirect(tok)
                elif kind == _ACCORDING_CUE:
                    self._according(tok, sent)
                else:
                    self._noun(tok)
        return self.claims

    def _cue_kinds(self) -> np.ndarray:
        """Per token, which pass starts at it: a reporting verb, the first word of an
        "according to" phrase, a reporting noun (in that order, as tested token by token
        before), or none (0). Read as three columns with each distinct lemma looked up once,
        so Token objects are made only where a cue stands."""
        cols = self.doc.to_array([LEMMA, LOWER, POS])
        strings = self.doc.vocab.strings
        lemmas = np.unique(cols[:, 0]).tolist()
        low = {h: strings[h].lower() for h in lemmas}
        verb_lemma = np.isin(cols[:, 0], [h for h in lemmas if low[h] in self.verbs])
        noun_lemma = np.isin(cols[:, 0], [h for h in lemmas if low[h] in self.nouns])
        first = np.isin(cols[:, 1], [strings.add(p[0]) for p in self.according])
        pos = cols[:, 2]
        verb = verb_lemma & np.isin(pos, [VERB, AUX])
        kinds = np.zeros(len(cols), dtype=np.int8)
        kinds[noun_lemma & (pos == NOUN)] = _NOUN_CUE
        kinds[first] = _ACCORDING_CUE
        kinds[verb] = _VERB_CUE
        return kinds

    def _indirect(self, verb: Token) -> None:
        if any(c.dep_ == "neg" for c in verb.children):
            return
        if self._as_reported(verb) or self._aside_report(verb):
            return
        seg = self.in_quote(verb.idx, verb.idx + len(verb))
        if seg is not None and self._quoted_words(seg) and not self._quoted_report(verb, seg):
            return  # "“… what Obama said when he said we would be …”": the quoted speaker's
            # aside on someone's words, which the article does not vouch for
        comp = next((c for c in verb.children if c.dep_ == "ccomp" and not any(
            m.dep_ == "mark" and m.lower_ in self.adverbial for m in c.children)), None) or \
            self._misattached_that(verb) or self._noun_clause(verb)
        lead = None if comp is not None else self._leading_clause(verb)
        comp = comp or lead
        if comp is None or (verb.lemma_.lower() in question_verbs() and not _is_question(comp)):
            return
        if self.doc[comp.left_edge.i].lower_ in _REFLEXIVES:
            return  # "found himself under fire", "declared themselves unavailable"
        swallowed = self._swallowed_speaker(comp, verb) if lead is None else None
        if lead is None and comp.i < verb.i and swallowed is None and not (
                comp.right_edge.i + 1 < verb.i and "," in {
                    self.doc[comp.right_edge.i].text, self.doc[comp.right_edge.i + 1].text}):
            return  # a clause before its verb counts only as "S, X said"
        span = self._clause(comp, verb)
        if swallowed is not None:
            span = self.doc[span.start:min(span.end, swallowed[0])]
        if self._quoted_share(span) > 0.6 and self._direct_position(span) and \
                not self.in_quote(verb.idx, verb.idx + len(verb)):
            return  # the quote itself: handled as a direct claim
        key = self._speaker(verb, swallowed[1] if swallowed else None)
        if key is None:
            return
        negated = verb.lemma_.lower() in self.denials
        span = self._second_that(verb, comp, span)
        self._add(key, _strip_statement(self._quote_run_on(span)), False, verb.lemma_.lower(),
                  _evidence(self.doc, verb), negated)

    def _quote_run_on(self, span: Span) -> str:
        """'said that “only X can win. Y can't do it.”': a quote opened inside the reported
        clause runs on past the sentence the parser gave it; its words are all the speaker's."""
        last = span[-1]
        seg = self.in_quote(last.idx, last.idx + len(last))
        if seg is None or seg.start < span.start_char or seg.end <= span.end_char or \
                not seg.closed:
            return span.text
        return self.article.text[span.start_char:seg.end]

    def _as_reported(self, verb: Token) -> bool:
        """'As X observed, S' and 'S, as X noted': the clause the "as" hangs on is X's claim.
        Not 'as he said goodbye' (the verb has an object) nor 'as she told them that T'."""
        if verb.dep_ != "advcl" or verb.lemma_.lower() not in self.as_verbs or not any(
                c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
            return False
        if self.in_quote(verb.idx, verb.idx + len(verb)) or any(
                verb.idx < s.start <= verb.right_edge.idx + 6 for s in self.segments):
            return False  # "as they say in the brochures" in a quote; "as she said, “…”"
        if any(c.dep_ in {"ccomp", "xcomp"} or (c.dep_ == "dobj" and verb.lemma_ != "tell")
               for c in verb.children):
            return False
        main = verb.head
        if main.pos_ not in {"VERB", "AUX"} or main.lemma_.lower() in self.verbs:
            return True
        key = self._speaker(verb)
        if key is None:
            return True
        text = self._around(main, verb)
        self._add(key, _strip_statement(text), False, verb.lemma_.lower(),
                  _evidence(self.doc, verb))
        return True

    def _around(self, main: Token, verb: Token) -> str:
        """The clause of `main` without the attribution `verb` set inside or around it."""
        lo, hi = verb.left_edge.i, verb.right_edge.i
        if lo > 0 and self.doc[lo - 1].text == ",":
            lo -= 1  # the comma that opens the aside
        first = main.left_edge.i if main.left_edge.i < lo and not any(
            t.dep_ in {"nsubj", "nsubjpass", "expl"} and t.head.i == main.i
            for t in self.doc[hi + 1:main.i + 1]) else hi + 1  # "Of course, as X said, S"
        last = max(main.right_edge.i, hi)
        while last > hi and self.doc[last].is_punct:
            last -= 1
        parts = [self.doc[first:lo].text if first < lo else "",
                 self.doc[hi + 1:last + 1].text if last > hi else ""]
        return " ".join(p.strip(" ,") for p in parts if p.strip(" ,"))

    def _aside_report(self, verb: Token) -> bool:
        """'The good news, Woolson said, is that S' and 'S, Defense Secretary X told a panel':
        the parser hangs the saying inside or after the clause it attributes (a parataxis set
        off by commas, or a conjunct with no coordinator)."""
        if any(c.dep_ == "ccomp" for c in verb.children):
            return False
        if self._inverted(verb) or self._trailing(verb):
            return True
        if self._comma_before(verb) is None:
            return False
        main = verb.head
        middle = verb.dep_ == "parataxis" and main.i > verb.i and "," in {
            t.text for t in self.doc[verb.right_edge.i:verb.right_edge.i + 2]}
        after = verb.dep_ == "conj" and main.i < verb.i and \
            any(c.dep_ == "nsubj" for c in verb.children) and not any(
                c.dep_ == "cc" and main.i < c.i < verb.i for c in main.children)
        if not (middle or after) or main.pos_ not in {"VERB", "AUX"} or \
                main.lemma_.lower() in self.verbs:
            return False
        key = self._speaker(verb)
        if key is not None:
            self._add(key, _strip_statement(self._around(main, verb)), False,
                      verb.lemma_.lower(), _evidence(self.doc, verb))
        return True

    def _inverted(self, verb: Token) -> bool:
        """'S, said X, founder of Y': the parser makes S's subject a second subject of "said"
        and leaves no clause; S is all that comes before the comma."""
        comma = verb.i - 1 if verb.i and self.doc[verb.i - 1].text == "," else None
        speaker = next((c for c in verb.children if c.dep_ == "nsubj" and c.i > verb.i), None)
        lead = [c for c in verb.children if c.i < verb.i and c.dep_ not in {"punct", "cc"}]
        if comma is None or speaker is None or not lead or self.in_quote(
                self.doc[comma - 1].idx, self.doc[comma - 1].idx + 1) or \
                len(self.doc[lead[0].left_edge.i:comma]) < 4:
            return False
        key = self._speaker(verb, speaker)
        if key is not None:
            span = self.doc[lead[0].left_edge.i:comma]
            self._add(key, _strip_statement(span.text), False, verb.lemma_.lower(),
                      _evidence(self.doc, verb))
        return True

    def _trailing(self, verb: Token) -> bool:
        """'S, police said.' closing the sentence, when the parser hung S on the verb as
        anything but its clause (often an adverbial): S is all before the comma."""
        subj = speaker_of(verb)
        sent = verb.sent
        if subj is None or subj.i > verb.i or verb.i != sent.root.i:
            return False
        comma = subj.left_edge.i - 1
        if comma <= sent.start + 3 or self.doc[comma].text != "," or any(
                c.dep_ in {"dobj", "xcomp", "ccomp"} and c.lemma_ != "reporter"
                and verb.lemma_ != "tell" for c in verb.children):
            return False
        if any(t.pos_ in {"VERB", "AUX"} for t in self.doc[verb.i + 1:sent.end]) or \
                self.in_quote(self.doc[comma - 1].idx, self.doc[comma - 1].idx + 1):
            return False  # more follows, or the quote before is a direct claim
        key = self._speaker(verb, subj)
        if key is not None:
            self._add(key, _strip_statement(self.doc[sent.start:comma].text), False,
                      verb.lemma_.lower(), _evidence(self.doc, verb))
        return True

    def _swallowed_speaker(self, comp: Token, verb: Token) -> tuple[int, Token] | None:
        """'S toward X, residents and an aid worker said': with no subject on the saying verb,
        the parser has hung the speaker on S's last noun. The speaker is the noun phrase
        between S's last comma and the verb; returns (that comma, the phrase's head)."""
        if comp.i > verb.i or subject_of(verb) is not None:
            return None
        commas = [t.i for t in self.doc[comp.i:verb.i] if t.text == ","]
        if not commas:
            return None
        phrase = self.doc[commas[-1] + 1:verb.i]
        if not phrase or any(t.pos_ not in _NOUN_PHRASE for t in phrase):
            return None
        head = next((t for t in phrase if t.pos_ in {"NOUN", "PROPN"}
                     and not phrase.start <= t.head.i < phrase.end), None)
        return (commas[-1], head) if head is not None else None

    def _second_that(self, verb: Token, comp: Token, span: Span) -> Span:
        """'said that S but that T' is one saying of both, as when the parser hangs T on S;
        it also reads T's "that" as a determiner and hangs T on the saying verb."""
        if not any(c.dep_ == "mark" and c.lower_ == "that" for c in comp.children):
            return span  # "said growth slowed, but that was expected": a demonstrative
        for conj in verb.children:
            first = self.doc[conj.left_edge.i]
            if conj.dep_ == "conj" and conj.i > comp.i and first.lower_ == "that" and \
                    first.i > span.start + 1 and self.doc[first.i - 1].dep_ == "cc" and \
                    conj.lemma_.lower() not in self.verbs:
                return self.doc[span.start:conj.right_edge.i + 1]
        return span

    def _direct_position(self, span: Span) -> bool:
        """A quote after 'that' is a partial quote inside indirect speech, not a direct one."""
        seg = next((s for s in self.segments if s.start <= span[-1].idx < s.outer_end), None)
        if seg is None:
            return True
        b0, b1, _, _ = self._regions(seg)
        before = self.article.text[b0:b1].strip()
        return before == "" or before.endswith((":", ",", "("))

    def _leading_clause(self, verb: Token) -> Token | None:
        """'S, the club announced': the parser often hangs the saying on S as a parataxis."""
        if verb.dep_ == "parataxis" and verb.head.i < verb.i and self._comma_before(verb):
            return verb.head
        return None

    def _comma_before(self, tok: Token) -> int | None:
        """The comma that opens `tok`'s phrase (the parser puts it inside or just before)."""
        i = tok.left_edge.i if tok.left_edge.text == "," else tok.left_edge.i - 1
        return i if i >= 0 and self.doc[i].text == "," else None

    def _noun_clause(self, verb: Token) -> Token | None:
        """'denied reports that S', 'repeated claims that S': the clause hangs on the noun."""
        for obj in verb.children:
            if obj.dep_ == "dobj" and obj.lemma_.lower() in self.nouns | {"report"}:
                for c in obj.children:
                    if c.dep_ in {"acl", "ccomp"} and any(
                            t.lower_ == "that" and t.dep_ == "mark" for t in c.children):
                        return c
        return None

    def _misattached_that(self, verb: Token) -> Token | None:
        """'warned earlier in the week that S', 'said in a statement that S': the parser hangs
        S on the noun ('week', 'statement') as a relative clause."""
        for t in verb.subtree:
            if t.i <= verb.i or t.lower_ != "that" or t.head.pos_ not in {"VERB", "AUX"}:
                continue
            clause, noun = t.head, t.head.head
            if clause.dep_ == "relcl" and (noun.ent_type_ in {"DATE", "TIME"} or noun.lemma_ in
                                           {"week", "day", "month", "year", "time"}):
                return clause
            if t.dep_ == "mark" and clause.dep_ in {"acl", "relcl"} and noun.dep_ == "pobj" \
                    and noun.head.head == verb and noun.lower_ in _document_nouns():
                return clause
            if t.dep_ == "mark" and clause.dep_ in {"acl", "relcl"} and \
                    t.i == clause.left_edge.i and self._in_adjunct(noun, verb) and \
                    any(c.dep_ in {"nsubj", "nsubjpass"} for c in clause.children):
                return clause  # "said during a news conference that S": a "that" of a
                # relative clause is its subject or object, never a mark
        return None

    @staticmethod
    def _in_adjunct(noun: Token, verb: Token) -> bool:
        """`noun` sits in the verb's prepositional adjuncts ('during a visit to X on Friday')."""
        node = noun
        while node.i != verb.i:
            if node.dep_ not in {"pobj", "prep", "npadvmod"} or node.head.i == node.i:
                return False
            node = node.head
        return noun.dep_ == "pobj"

    def _clause(self, comp: Token, verb: Token | None = None) -> Span:
        """The reported clause, minus a trailing attribution of someone else's
        (", hours after X confirmed that ..."), a writer's aside and what the speaker did
        next."""
        end = min(comp.right_edge.i, self._own_end(comp, verb))
        for t in comp.subtree:  # "..., a claim Kyiv has not confirmed": the writer's aside
            if t.dep_ == "appos" and t.lemma_.lower() in self.nouns | {"charge", "accusation"} \
                    and self.doc[t.left_edge.i - 1].text == ",":
                end = min(end, t.left_edge.i - 2)
        for t in comp.subtree:  # "..., according to figures from X": a source, not the claim
            if t.i > comp.i and self.doc[t.i - 1].text == "," and self._according_at(t):
                end = min(end, t.i - 2)
        for c in comp.children:  # "S, the club announced": the saying is not the claim
            comma = self._comma_before(c) if c.dep_ == "parataxis" and c.i > comp.i and \
                c.lemma_.lower() in self.verbs else None
            if comma is not None:
                end = min(end, comma - 1)
        for c in comp.children:
            if c.i > comp.i and c.dep_ in {"advcl", "npadvmod", "prep"} and \
                    self.doc[c.left_edge.i - 1].text == "," and any(
                        self._reports(t) for t in c.subtree):  # not "even if they agree"
                end = min(end, c.left_edge.i - 2)
        while end > comp.i and (self.doc[end].dep_ == "cc" or self.doc[end].text in {",", ";"}):
            end -= 1  # "... a leadership role" but": the coordinator belongs to what follows
        start = comp.left_edge.i
        if self.doc[start].lower_ == "that" and comp.head.i < start:
            start += 1
        if verb is not None and start == verb.i + 1 and verb.lemma_.lower() in _TELLING and \
                self.doc[start].dep_ in {"nmod", "compound", "npadvmod"} and \
                self.doc[start].pos_ in {"NOUN", "PROPN"} and self.doc[start].head.i > start:
            start += 1  # "told reporters same-sex marriage was ...": the addressee, misparsed
        for c in comp.children:  # "said on Wednesday it had ...": the date is the saying's
            if c.i < comp.i and c.left_edge.i == start and c.dep_ in {"prep", "npadvmod"} and \
                    any(t.ent_type_ in {"DATE", "TIME"} for t in c.subtree) and \
                    any(s.dep_ in {"nsubj", "nsubjpass"} and s.i > c.right_edge.i
                        for s in comp.children):
                start = c.right_edge.i + 1
        semi = next((t.i for t in self.doc[start + 2:end + 1] if t.text == ";" and
                     not self.in_quote(t.idx, t.idx + 1)), None)
        if semi is not None:  # "S; T": whatever the parser hung on what, S ends at the ";"
            end = semi - 1
        return self.doc[start:max(end, start) + 1]

    def _own_end(self, comp: Token, verb: Token | None) -> int:
        """Where the reported clause ends before what the writer adds: a semicolon; a
        non-restrictive relative clause that closes it (", who also held a rally", ", where
        reporters filmed"); a verb coordinated with the saying, not the said ("acknowledged
        that no one got all they wanted, but called the deal fair": 'called' has the saying's
        tense, not the clause's, and a comma sets it off)."""
        end = comp.right_edge.i
        for t in comp.subtree:
            if t.i <= comp.i:
                continue
            if t.text == ";" and not self.in_quote(t.idx, t.idx + 1):
                end = min(end, t.i - 1)
            elif t.dep_ == "relcl" and t.right_edge.i >= comp.right_edge.i and \
                    self._wh_start(t) and self.doc[t.left_edge.i - 1].text == "," and \
                    t.head.pos_ in {"PROPN", "NOUN"}:
                end = min(end, t.left_edge.i - 2)
            elif t.right_edge.i >= comp.right_edge.i and t.head.i == comp.i and \
                    self.doc[t.left_edge.i - 1].text == "," and (
                        self.doc[t.left_edge.i].lower_ in _ASIDE_OPENERS or
                        (t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _CONTRAST
                                                   for c in t.children))):
                end = min(end, t.left_edge.i - 2)  # ", compared with 33 percent last month",
                # ", with similar levels among both", ", while 4 in 10 want one": the writer's
            elif t.dep_ == "conj" and t.head.i == comp.i and \
                    t.lemma_.lower() in self.verbs and any(c.dep_ == "nsubj" for c in t.children):
                end = min(end, t.left_edge.i - 1)  # ", and Sen. Y has argued that T": Y's
            elif verb is not None and t.dep_ == "conj" and t.head.i == comp.i and \
                    t.pos_ == "VERB" and t.tag_ != comp.tag_ and self._comma_cc(t) and \
                    _finite_tag(t) == _finite_tag(verb) and not any(
                        c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in t.children):
                end = min(end, t.left_edge.i - 1)
        return end

    def _wh_start(self, relcl: Token) -> bool:
        """A relative clause opened by a wh-word ('who', 'which', 'for whom', 'in which')."""
        first = self.doc[relcl.left_edge.i]
        second = self.doc[relcl.left_edge.i + 1] if relcl.left_edge.i + 1 < len(self.doc) \
            else first
        return first.lower_ in _WH or (first.pos_ == "ADP" and second.lower_ in _WH)

    def _comma_cc(self, conj: Token) -> bool:
        """', and T' / ', but T': the conjunct is set off by a comma before its coordinator."""
        i = conj.left_edge.i - 1
        while i > 0 and self.doc[i].dep_ in {"cc", "advmod"}:
            i -= 1
        return self.doc[i].text == "," and self.doc[i + 1].dep_ == "cc"

    def _according_at(self, tok: Token) -> list[str] | None:
        """The "according to" phrase (from the lexicon) starting at `tok`, if one does."""
        words = [t.lower_ for t in self.doc[tok.i:tok.i + 4]]
        return next((p for p in self.according if words[:len(p)] == p), None)

    def _according(self, tok: Token, sent: Span) -> None:
        phrase = self._according_at(tok)
        if phrase is None:
            return
        last = self.doc[tok.i + len(phrase) - 1]
        obj = next((c for c in last.children if c.dep_ == "pobj"), None)
        if obj is None:
            obj = next((c for c in tok.subtree if c.dep_ == "pobj"), None)
        if obj is None or self._hearsay(obj):
            return
        key = self.m.resolve(obj, anchor=tok)
        if key is None:
            return
        self._note_surface(obj, key)
        self.m.note_speaker(tok, key)
        attr = {t.i for t in tok.subtree} | set(range(tok.i, last.i + 1)) | \
            {t.i for t in obj.subtree}
        lo, hi = min(attr), max(attr)
        rest = [t for t in sent if t.i < lo or t.i > hi]
        if not rest or any(self._reports(t) for t in rest):
            return  # "X said Y, according to Z": Y is X's claim, found at "said"
        text = self.article.text[rest[0].idx:rest[-1].idx + len(rest[-1])] if rest[0].i > hi or \
            rest[-1].i < lo else \
            self.doc[rest[0].i:lo].text + " " + self.doc[hi + 1:rest[-1].i + 1].text
        text = _strip_statement(text.strip(" ,"))
        self._add(key, text, False, " ".join(phrase), _evidence(self.doc, tok))

    def _reports(self, tok: Token) -> bool:
        """A reporting verb with a speaker and a clause of its own."""
        return tok.pos_ == "VERB" and tok.lemma_.lower() in self.verbs and \
            any(c.dep_ == "nsubj" for c in tok.children) and \
            any(c.dep_ == "ccomp" for c in tok.children)

    def _noun(self, noun: Token) -> None:
        comp = next((c for c in noun.children if c.dep_ in {"acl", "ccomp"}
                     and any(t.lower_ == "that" and t.dep_ == "mark" for t in c.children)), None)
        poss = next((c for c in noun.children if c.dep_ == "poss"), None)
        if comp is None or poss is None:
            return
        key = self.m.resolve(poss, anchor=noun)
        if key:
            span = self.doc[comp.left_edge.i:comp.right_edge.i + 1]
            self._add(key, _strip_statement(span.text), False, noun.lemma_.lower(),
                      _evidence(self.doc, noun))

    # ------------------------------------------------------------ direct quotes
    def _regions(self, seg: Segment) -> tuple[int, int, int, int]:
        para = self.article.paragraphs[seg.paragraph]
        prev_end = max([s.outer_end for s in self.segments
                        if s.paragraph == seg.paragraph and s.end < seg.start] or [para.start])
        next_start = min([s.outer_start for s in self.segments
                          if s.paragraph == seg.paragraph and s.start > seg.end] or [para.end])
        before = self.article.text[prev_end:max(prev_end, seg.outer_start)]
        cut = _sentence_ends(before)
        b0 = prev_end + (cut[-1] if cut else 0)
        after = self.article.text[seg.outer_end:next_start]
        ends = _sentence_ends(after)
        a1 = seg.outer_end + (ends[0] if ends else len(after))
        return b0, seg.outer_start, seg.outer_end, a1

    def _verb_just_before(self, seg: Segment) -> bool:
        """'…, writing “S.”': a reporting verb right before the quote, with no object between,
        introduces it as well as a colon would."""
        span = self.doc.char_span(seg.outer_start, seg.outer_start + 1, alignment_mode="expand")
        if span is None or span.start == 0:
            return False
        prev = self.doc[span.start - 1]
        return prev.lemma_.lower() in self.verbs and prev.pos_ == "VERB" and \
            prev.lemma_.lower() not in question_verbs()

    def _colon_intro(self, seg: Segment, verb_name: str) -> tuple[str | None, str]:
        """'Breitbart News responded:' / '¶ “…”': a paragraph that ends in a colon after a
        reporting verb introduces the quote that opens the next one."""
        prev = self.article.paragraphs[seg.paragraph - 1]
        if not prev.text.rstrip().endswith(":") or seg.start - prev.end > 3:
            return None, verb_name
        cut = _sentence_ends(prev.text.rstrip()[:-1])
        verbs = self._verbs_in(prev.start + (cut[-1] if cut else 0), prev.end)
        if not verbs:
            return None, verb_name
        return self._quote_speaker(seg, verbs[-1]), verbs[-1].lemma_.lower()

    def _quote_speaker(self, seg: Segment, verb: Token) -> str | None:
        """The speaker of a quote through its attributing verb. '“A,” Gene Sperling, an
        adviser, said': the small parser often hangs the name inside the quote, and finds the
        verb no subject or one of the quote's own words; the speaker is then the noun phrase
        between the closing mark and the verb."""
        subj = speaker_of(verb)
        if subj is not None and self.in_quote(subj.idx, subj.idx + len(subj)):
            subj = next((c for c in verb.children if c.dep_ == "nsubj" and
                         not self.in_quote(c.idx, c.idx + len(c))), None)
        if verb.idx > seg.end and (subj is None or subj.idx < seg.outer_end):
            subj = self._phrase_between(seg.outer_end, verb) or self._phrase_after(verb)
            if subj is None:
                return None
        elif subj is None and verb.idx < seg.start and subject_of(verb) is None:
            subj = self._phrase_before(verb)  # "In a statement, her adviser, Jake Sullivan,
            if subj is None:  # said: “…”": the parser hung the name on the statement
                return None
        return self._speaker(verb, subj)

    def _phrase_after(self, verb: Token) -> Token | None:
        """'“…,” said Jim Bopp, a member of ..., told POLITICO': the name right after an
        inverted "said", when the parser gave it to another verb."""
        run: list[Token] = []
        for t in self.doc[verb.i + 1:min(verb.i + 8, verb.sent.end)]:
            if t.pos_ in {"PROPN", "NOUN"}:
                run.append(t)
            elif run or t.pos_ not in {"DET", "ADJ"}:
                break
        return run[-1] if run else None

    def _phrase_before(self, verb: Token) -> Token | None:
        """The name set off by commas just before a verb that has no subject of its own."""
        i = verb.i - 1
        while i >= verb.sent.start and self.doc[i].text == ",":
            i -= 1
        run: list[Token] = []
        while i >= verb.sent.start and self.doc[i].pos_ in {"PROPN", "NOUN"} and \
                self.doc[i].text != ",":
            run.insert(0, self.doc[i])
            i -= 1
        if not run or (i >= verb.sent.start and self.doc[i].text != ","):
            return None
        return run[-1]

    def _phrase_between(self, start: int, verb: Token) -> Token | None:
        """The head of the name or noun phrase that fills the text from `start` to `verb`
        ('William M. Daley, Obama's former chief of staff,'): its first run of nouns, past a
        possessor ("the paper's editor"). None when anything but a noun phrase is there."""
        toks = [t for t in self.doc[max(verb.i - 40, 0):verb.i] if t.idx >= start]
        aside = {d.i for t in toks if t.dep_ in {"relcl", "acl"} for d in t.subtree}
        toks = [t for t in toks if t.i not in aside]  # "the guru who founded the site"
        words = [t for t in toks if not t.is_punct and not t.is_space]
        if not words or any(t.pos_ in {"VERB", "AUX"} for t in words):
            return None
        run: list[Token] = []
        for t in toks:
            if t.is_punct or t.is_space:
                if run and t.text == ",":
                    break  # "X, the governor's chief of staff,": the apposition follows
                continue
            if t.pos_ in {"PROPN", "NOUN"}:
                run.append(t)
            elif run and t.tag_ == "POS":
                run = []
            elif run:
                break
            elif t.pos_ not in {"DET", "ADJ", "NUM"}:
                return None
        return run[-1] if run else None

    def _verbs_in(self, start: int, end: int) -> list[Token]:
        span = self.doc.char_span(start, end, alignment_mode="expand") if end > start else None
        if span is None:
            return []
        # Not a verb of a relative clause: "“…,” X, the senator who wrote it, said".
        return [t for t in span if t.lemma_.lower() in self.verbs and t.pos_ in {"VERB", "AUX"}
                and not self.in_quote(t.idx, t.idx + len(t)) and not (
                    t.dep_ == "relcl" and any(c.lower_ in {"who", "which", "that"}
                                              for c in t.children))]

    def _direct(self, seg: Segment) -> None:
        if seg in self._seg_speaker:
            return
        text = seg.text(self.article).strip()
        b0, b1, a0, a1 = self._regions(seg)
        before = self.article.text[b0:b1].strip()
        direct_pos = before == "" or before.endswith((":", ",", "(")) or \
            self._verb_just_before(seg)
        if not direct_pos or len(text.split()) < 2 or _is_title(text):
            self._seg_speaker[seg] = ""
            return
        key = None
        verb_name = "say"
        if seg.continues:
            prev = [s for s in self._seg_speaker
                    if s.paragraph == seg.paragraph - 1 and not s.closed]
            key = self._seg_speaker.get(prev[-1]) if prev else None
            verb_name = self._seg_verb.get(prev[-1], verb_name) if prev else verb_name
        attributed = False  # a verb names a speaker the graph cannot ('one of them
        # told'): then the quote is no one else's either
        if not key:
            after_first = text.endswith((",", "?", "!")) or before == ""
            cands = (self._verbs_in(a0, a1)[:1], self._verbs_in(b0, b1)[-1:])
            for verbs in (cands if after_first else cands[::-1]):
                if verbs:
                    key = self._quote_speaker(seg, verbs[0])
                    verb_name = verbs[0].lemma_.lower()
                    named = speaker_of(verbs[0])
                    attributed = named is not None and named.pos_ != "PRON"
                    break
        if not key and before == "" and seg.paragraph > 0 and not seg.continues:
            key, verb_name = self._colon_intro(seg, verb_name)
        if not key and not attributed and before == "" and self._last_direct and \
                seg.paragraph - self._last_direct[0] <= 1:
            key = self._last_direct[1]
        self._seg_speaker[seg] = key or ""
        self._seg_verb[seg] = verb_name
        if not key:
            if not seg.closed:
                self._pending.append(seg)  # "“A … / “B …,” she said": named at the end
            return
        if seg.continues:
            for p in self._pending:
                self._seg_speaker[p] = key
                self._add(key, p.text(self.article).strip().rstrip(","), True, verb_name,
                          Evidence(p.start, p.end, p.text(self.article)))
        self._pending = []
        self._last_direct = (seg.paragraph, key)
        lo, hi = min(b0, seg.outer_start), max(a1, seg.outer_end)
        ev = Evidence(lo, hi, self.article.text[lo:hi].strip())
        self._add(key, text.rstrip(",").rstrip(), True, verb_name, ev)


def find_claims(doc: Doc, article: Article, mentions: Mentions, body_start: int) -> Iterator[Claim]:
    yield from ClaimFinder(doc, article, mentions, body_start).run()
