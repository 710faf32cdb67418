"""Statements about facts and about each other: which control or refusal a statement's words
state (`asserts`), and which statement answers which (`disputes`).

War reporting is claims against claims. The extractors keep a capture that only one side
claims as that claim's content rather than as a fact; this module ties it to the statement
that claims it, and ties a denial ("the army said that was false", "the ministry denied that
any unit had refused") to the statement it answers. Pure over the extracted records: no
parse is read here, only offsets and words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from kg.facts import ArticleFacts, Claim, Control, Link, Refusal
from kg.resources import load_lines, load_set

#: How far back (characters) a denial looks for the statement it answers: about two sentences
#: of news; a rebuttal further away names what it rebuts.
DISPUTE_WINDOW = 600


def links(facts: ArticleFacts, text: str) -> list[Link]:
    """The statements' links, after marking as claimed every fact whose only word is a
    statement someone disputes ("his fighters had captured Y" ... "the army said that was
    false"): the article reports both sides and asserts neither. `text` is the article's
    text as parsed (the offsets' frame); `facts` is updated in place."""
    found = list(_disputes(facts))
    disputes = [link for link, _ in found]
    # Only a flat rebuttal takes the fact from the article: "denied that any unit had refused"
    # answers a claim without showing that the refusal it reports did not happen.
    answered = {id(link.target) for link, flat in found if flat}
    asserts = []
    for link in _asserts(facts, text):
        fact = link.target
        if id(link.source) in answered and not fact.claimed:  # type: ignore[union-attr]
            claimed = replace(fact, claimed=True)  # type: ignore[type-var]
            kind = facts.controls if isinstance(fact, Control) else facts.refusals
            kind[kind.index(fact)] = claimed  # type: ignore[index, arg-type]
            link = Link(link.source, "asserts", claimed)
        asserts.append(link)
    return [*asserts, *disputes]


def content_span(text: str, claim: Claim) -> tuple[int, int]:
    """Character span of the claimed text within its evidence. The claim text is a slice of
    the article, trimmed ("that ..." cut, a closing quote added) or, rarely, two slices
    joined around the speaker; so: the exact text, else from its head to its tail, else the
    evidence sentence itself."""
    ev = claim.evidence
    lo_w, hi_w = max(0, ev.start - 1), min(len(text), ev.end + 1)
    at = text.find(claim.text, lo_w, hi_w)
    if at >= 0:
        return at, at + len(claim.text)
    words = claim.text.split()
    if len(words) >= 2:
        head, tail = " ".join(words[:3]), " ".join(words[-3:]).rstrip("\"\u201d")
        a = text.find(head, lo_w, hi_w)
        b = text.rfind(tail, lo_w, hi_w) if tail else -1
        if 0 <= a and a < b:
            return a, b + len(tail)
    return ev.start, ev.end


def _asserts(facts: ArticleFacts, text: str) -> Iterator[Link]:
    spans = [(c, content_span(text, c)) for c in facts.claims]
    fact: Control | Refusal
    for fact in [*facts.controls, *facts.refusals]:
        if fact.at < 0:
            continue
        for claim, span in spans:
            if span[0] <= fact.at < span[1]:
                yield Link(claim, "asserts", fact)
                break


def _disputes(facts: ArticleFacts) -> Iterator[tuple[Link, bool]]:
    """Each denial with the statement it answers, and whether it is a flat rebuttal ("that
    was false") rather than a denial of a clause ("denied that S")."""
    denials = load_set("lexicon/denial_verbs.txt")
    rebuttals = [re.compile(r"\b" + re.escape(w) + r"\b") for w in load_lines(
        "lexicon/rebuttals.txt")]
    claims = sorted(facts.claims, key=lambda c: c.evidence.start)
    for i, claim in enumerate(claims):
        text = claim.text.lower()
        rebuts = any(r.search(text) for r in rebuttals) and len(text.split()) <= 8
        if not (rebuts or claim.verb.lower() in denials):
            continue
        earlier = [c for c in claims[:i] if c.claimant != claim.claimant
                   and claim.evidence.start - c.evidence.start <= DISPUTE_WINDOW]
        if not rebuts:  # "denied that S": only a statement that said S is answered
            earlier = [c for c in earlier if _same_content(c.text, claim.text)]
        if earlier:
            yield Link(claim, "disputes", earlier[-1]), rebuts


_WORD = re.compile(r"[a-z0-9]+")


def _same_content(a: str, b: str) -> bool:
    """Most of the denied clause's content words were in the earlier statement."""
    stop = load_set("lexicon/stopwords.txt")
    wa = {w for w in _WORD.findall(a.lower()) if w not in stop}
    wb = {w for w in _WORD.findall(b.lower()) if w not in stop}
    return bool(wb) and len(wa & wb) / len(wb) >= 0.5
