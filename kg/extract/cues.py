"""Shared tests on a parse: is this clause stated as fact, or hedged, denied, disputed?

Refusals and control both count only when the article states them; the markers that say
otherwise live in lexicon files, so these checks read as the rules they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc, Token

from kg.resources import load_lines, load_set

MODALS = {"would", "could", "might", "may", "will", "shall", "should", "can"}


def hedged(tok: Token) -> bool:
    """True under a commissive or attitude verb ("vowed to retake"), a modal, or "if"."""
    nonfactual = load_set("lexicon/nonfactual_verbs.txt")
    for c in tok.children:
        if c.dep_ == "aux" and c.lower_ in MODALS:
            return True
        if c.dep_ == "mark" and c.lower_ in {"if", "unless", "whether"}:
            return True
    node = tok
    for anc in tok.ancestors:
        if node.dep_ == "relcl":
            break  # "failed to take the palace, which troops held": the clause is asserted
        if node.dep_ in {"xcomp", "ccomp", "advcl"} and anc.lemma_.lower() in nonfactual:
            return True
        if anc.lemma_.lower() == "short" and anc.head.lemma_.lower() in {"stop", "fall"}:
            return True  # "stopped short of saying they had regained control"
        if node.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in {"if", "unless"}
                                        for c in node.children):
            return True
        node = anc
    return False


def denied(tok: Token) -> bool:
    """Under "deny that" or a negation of the verb itself."""
    denials = load_set("lexicon/denial_verbs.txt")
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    return any(a.lemma_.lower() in denials for a in tok.ancestors)


def disputed(tok: Token) -> bool:
    """The clause sits in an attribution that the sentence then disputes or contradicts."""
    cues = load_lines("lexicon/dispute_cues.txt")
    sent = tok.sent
    tail = tok.doc[tok.i:sent.end].text.lower()
    lemmas = {t.lemma_.lower() for t in tok.doc[tok.i:sent.end]}
    reporter = _reporter(tok)
    attributed = reporter is not None
    if reporter is not None:
        for c in cues:
            if (" " in c and c in tail) or c in lemmas:
                return True
        if any(c.dep_ == "cc" and c.lower_ in {"but", "yet"} for c in reporter.children):
            return True  # "X insisted that S, but ...": the narrator contradicts S
    if attributed and sent.end < len(tok.doc):  # "… Kyiv has not confirmed the claim."
        later = tok.doc[sent.end:].sents
        following = next(later)
        text = following.text.lower()
        denials = load_set("lexicon/denial_verbs.txt")
        if any(c in text for c in cues if " " in c) or \
                any(t.lemma_.lower() in denials for t in following):
            return True
        # a sentence further on that rejects "the account"/"the report" by name, or says it
        # "could not verify the competing accounts"
        after = next(later, None)
        return after is not None and _rejects_account(after)
    return False


def _rejects_account(sent: Iterable[Token]) -> bool:
    denials = load_set("lexicon/denial_verbs.txt")
    doubts = load_set("lexicon/doubt_verbs.txt")
    accounts = load_set("lexicon/account_nouns.txt")
    for t in sent:
        lemma = t.lemma_.lower()
        if lemma in denials or lemma in doubts and any(c.dep_ == "neg" for c in t.children):
            if any(o.dep_ == "dobj" and o.lower_ in accounts for o in t.children):
                return True
    return False


def _reporter(tok: Token) -> Token | None:
    """The reporting verb whose reported clause (ccomp) holds `tok`, if any."""
    verbs = load_set("lexicon/reporting_verbs.txt")
    node = tok
    for anc in tok.ancestors:
        if anc.lemma_.lower() in verbs and node.dep_ == "ccomp":
            return anc
        node = anc
    return None


def generic(agent: Token) -> bool:
    """'any soldier who refuses', 'soldiers who refuse' (present tense): no one in particular."""
    if any(c.lower_ in {"any", "every", "no", "anyone", "whoever"} for c in agent.children
           if c.dep_ == "det"):
        return True
    return agent.lower_ in {"anyone", "whoever", "those"}


def unasserted(tok: Token) -> bool:
    """Inside an attribution whose verb itself withholds belief ("claimed that", "alleged
    that"): the article reports the claim, not the fact."""
    reporter = _reporter(tok)
    if reporter is None:
        return _rumoured(tok)
    if reporter.lemma_.lower() in load_set("lexicon/unasserted_verbs.txt"):
        return True
    # "Unconfirmed reports said ...", "rumours circulating online said ...": the source itself
    # is marked as unverified
    cues = load_set("lexicon/dispute_cues.txt") | load_set("lexicon/unasserted_verbs.txt")
    return any(t.lower_ in cues or t.lemma_.lower() in cues
               for c in reporter.children if c.dep_ in {"nsubj", "nsubjpass"}
               for t in c.subtree)


def _rumoured(tok: Token) -> bool:
    """ "Rumours swept the city that the guard had refused": the clause of a rumour or an
    allegation is what was said, not what happened."""
    rumours = load_set("lexicon/rumour_nouns.txt")

    def rumour(t: Token) -> bool:  # (a capitalised "Rumours" keeps its plural as its lemma)
        return t.lemma_.lower() in rumours or t.lower_.removesuffix("s") in rumours

    node = tok
    for anc in tok.ancestors:
        if node.dep_ in {"acl", "ccomp"} and rumour(anc):
            return True
        if node.dep_ == "ccomp" and any(  # "rumours swept the city that ..."
                c.dep_ == "nsubj" and rumour(c) for c in anc.children):
            return True
        node = anc
    return False


def at_war(doc: Doc) -> bool:
    """Is the article about fighting (three words of `lexicon/conflict_words.txt`)? Control
    and refusals both ask; it is counted once per Doc."""
    key = "kg.at_war"
    if key not in doc.user_data:
        war = load_set("lexicon/conflict_words.txt")
        doc.user_data[key] = sum(1 for _ in tokens_with(doc, war)) >= 3
    return bool(doc.user_data[key])


def window_start(tok: Token) -> int:
    """Where the sentence before `tok`'s begins (its own, for the first): the reach of "the
    city", "it" and a bare "troops" back into the text."""
    return tok.doc[tok.sent.start - 1].sent.start if tok.sent.start > 0 else 0


def tokens_with(doc: Doc, words: Iterable[str], start_char: int = 0) -> Iterator[Token]:
    """The tokens whose lemma or lower-cased form is one of `words`, from `start_char` on.

    An extractor's cues are a few dozen words; reading two attribute columns at once and
    making Token objects only where a cue stands skips most of the article, with the same
    result as testing every token (the first thing each matcher checks is one of these)."""
    import numpy as np
    from spacy.attrs import LEMMA, LOWER
    from spacy.strings import hash_string

    wanted = np.array(sorted({hash_string(w.lower()) for w in words}), dtype=np.uint64)
    cols = doc.to_array([LEMMA, LOWER])
    hit = np.isin(cols[:, 0], wanted) | np.isin(cols[:, 1], wanted)
    for i in np.flatnonzero(hit):
        tok = doc[int(i)]
        if tok.idx >= start_char:
            yield tok
