"""`kg eval`: score what kg extracts against hand-made gold cases.

A case is NAME.txt (the article, exactly) + NAME.json (its gold facts), the format of the shared
evaluation sets: `entities` with aliases, `claims`, `refusals`, `control`, and `optional` facts
that are neither rewarded nor penalised. Users who adapt the lexicons to their own domain
write a few such cases and measure each change with this command.

The matching rules are the published ones, so that figures agree with the reference scorer:
a system name matches a gold entity when it equals one of its aliases, contains one as whole
words, or is the head of a described group ("two men" for "two men mobilised in ..."); a claim
matches when the gold statement is at least 60% covered by the system's words and the system
statement is mostly made of that claimant's gold words; refusals and control match by names.

Facts are read from RDF by predicate local name (`claims`, `refuses`, `controlledBy`), exactly
as an outside tool would read `graph.ttl`, so the scorer checks the contract, not our dataclasses.

    >>> from kg.eval import evaluate, load_cases              # doctest: +SKIP
    >>> report = evaluate(load_cases(Path("cases")))          # doctest: +SKIP
    >>> report.micro.prf()                                    # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal

KINDS = ("claims", "refusals", "control")

NAME_PREDICATES = frozenset({"label", "preflabel", "altlabel", "name", "hiddenlabel"})
TEXT_PREDICATES = frozenset({"value", "text", "label", "statement", "quote", "content",
                             "hasstatement"})
#: Gold aliases that are pronouns never name anything on their own.
PRONOUNS = frozenset("he she it they we i you him her them his its their us this that who "
                     "which".split())
#: Words that carry no content when claim texts are compared.
STOP = frozenset("""a an the of to in on at by for from with and or but as is are was were be
been being that this these those it its their they them he she his her we our you your i
which who whom whose what when where while had has have having do does did not no so
than then there here into over under about after before during since until up down out
s said says say""".split())

#: A term as read from a graph: ("iri", value) or ("lit", value); blank nodes are IRIs here.
Term = tuple[str, str]


def norm_name(s: str) -> str:
    s = unicodedata.normalize("NFKC", str(s)).replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"'s\b", "", s.lower())
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    return re.sub(r"^(the|a|an) ", "", s)


def tokens(s: str) -> set[str]:
    s = unicodedata.normalize("NFKC", str(s)).replace("\u2019", "'").lower()
    s = re.sub(r"'s\b", "", s)
    return {t for t in re.findall(r"[a-z0-9]+", s) if t not in STOP}


def local_name(iri: str) -> str:
    return re.split(r"[#/:]", iri)[-1].lower()


def names_match(system_names: Iterable[str], aliases: set[str]) -> bool:
    for n in system_names:
        for a in aliases:
            if not a:
                continue
            if n == a or re.search(r"(^| )" + re.escape(a) + r"( |$)", n):
                return True
            if " " in n and a.startswith(n + " "):
                return True
    return False


def overlaps(text: str, other: str, need: float) -> bool:
    a, b = tokens(text), tokens(other)
    return bool(a) and len(a & b) / len(a) >= need


class FactGraph:
    """The triples of one case's graph, indexed by subject, and the three kinds of fact."""

    def __init__(self, triples: Iterable[tuple[Term, str, Term]]) -> None:
        self.triples = list(triples)
        self.out: dict[Term, list[tuple[str, Term]]] = {}
        for s, p, o in self.triples:
            self.out.setdefault(s, []).append((p, o))

    @classmethod
    def from_file(cls, path: Path) -> FactGraph:
        from pyoxigraph import RdfFormat, parse

        fmt = {".trig": RdfFormat.TRIG, ".nq": RdfFormat.N_QUADS, ".nt": RdfFormat.N_TRIPLES}.get(
            path.suffix, RdfFormat.TURTLE)
        with path.open("rb") as fh:
            return cls(
                (_term(q.subject), q.predicate.value, _term(q.object))
                for q in parse(fh, format=fmt))

    @classmethod
    def from_quads(cls, quads: Iterable[object]) -> FactGraph:
        return cls((_term(q.subject), q.predicate.value, _term(q.object))  # type: ignore[attr-defined]
                   for q in quads)

    def names(self, node: Term) -> set[str]:
        if node[0] == "lit":
            return {norm_name(node[1])}
        found = {norm_name(o[1]) for p, o in self.out.get(node, [])
                 if o[0] == "lit" and local_name(p) in NAME_PREDICATES}
        if not found:  # fall back to the IRI's local name
            found = {norm_name(re.sub(r"[_-]", " ", local_name(node[1])))}
        return {n for n in found if n}

    def texts(self, node: Term) -> list[str]:
        if node[0] == "lit":
            return [node[1]]
        return [o[1] for p, o in self.out.get(node, [])
                if o[0] == "lit" and local_name(p) in TEXT_PREDICATES]

    def reach_names(self, node: Term) -> set[str]:
        """Names of a node and of the nodes one step away: a deployment names its place."""
        found = set(self.names(node)) | {norm_name(t) for t in self.texts(node)}
        for _, o in self.out.get(node, []):
            if o[0] != "lit":
                found |= self.names(o)
        return found

    def facts(self, pred: str) -> list[tuple[Term, Term]]:
        return [(s, o) for s, p, o in self.triples if local_name(p) == pred.lower()]


def _term(t: object) -> Term:
    return ("lit", t.value) if isinstance(t, Literal) else ("iri", str(getattr(t, "value", t)))


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    gold: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.gold += other.gold
        self.misses += other.misses
        self.false += other.false

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def aliases_of(gold: dict, name: str | None) -> set[str]:
    if name is None:
        return set()
    for e in gold["entities"]:
        if e["name"] == name:
            return {norm_name(a) for a in [e["name"], *e.get("aliases", [])]
                    if norm_name(a) not in PRONOUNS}
    return {norm_name(name)}


def score_claims(g: FactGraph, gold: dict) -> Tally:
    t = Tally()
    system: list[tuple[set[str], str]] = []
    seen: set[tuple[frozenset[str], str]] = set()
    for s, o in g.facts("claims"):
        names, texts = g.names(s), g.texts(o)
        text = max(texts, key=len) if texts else ""
        key = (frozenset(names), norm_name(text))
        if key not in seen:
            seen.add(key)
            system.append((names, text))
    by_claimant: dict[str, set[str]] = {}
    for c in gold["claims"]:
        by_claimant.setdefault(c["claimant"], set()).update(tokens(c["statement"]))
    clean = []  # system claims mostly made of words of their claimant's gold statements
    for names, text in system:
        toks = tokens(text)
        if any(names_match(names, aliases_of(gold, who)) and toks
               and len(toks & gold_toks) / len(toks) >= 0.5
               for who, gold_toks in by_claimant.items()):
            clean.append((names, text))
        elif not any(o["kind"] == "claim" and overlaps(text, o["text"], 0.5)
                     for o in gold.get("optional", [])):
            t.fp += 1
            t.false.append(f"claim  {sorted(names)} -> {text[:90]!r}")
    for c in gold["claims"]:
        t.gold += 1
        al = aliases_of(gold, c["claimant"])
        if any(names_match(n, al) and overlaps(c["statement"], txt, 0.6) for n, txt in clean):
            t.tp += 1
        else:
            t.misses.append(f"claim  {c['claimant']} -> {c['statement'][:90]!r}")
    return t


def score_pairs(g: FactGraph, gold: dict, kind: str) -> Tally:
    """Refusals (agent, location) or control (region, controller), matched by names."""
    pred, left, right, golds = (
        ("refuses", "agent", "location", gold["refusals"]) if kind == "refusal"
        else ("controlledBy", "region", "controller", gold["control"]))
    t = Tally()
    system: list[tuple[set[str], set[str]]] = []
    seen: set[tuple[frozenset[str], frozenset[str]]] = set()
    for s, o in g.facts(pred):
        a, b = g.names(s), (g.reach_names(o) if kind == "refusal" else g.names(o))
        key = (frozenset(a), frozenset(b))
        if key not in seen:
            seen.add(key)
            system.append((a, b))

    def hit(a: set[str], b: set[str], f: dict) -> bool:
        if not names_match(a, aliases_of(gold, f[left])):
            return False
        return f.get(right) is None or names_match(b, aliases_of(gold, f[right]))

    for a, b in system:
        if any(hit(a, b, f) for f in golds):
            continue
        if any(o["kind"] == kind and all(any(x and x in norm_name(o["text"]) for x in side)
                                         for side in (a, b))
               for o in gold.get("optional", [])):
            continue
        t.fp += 1
        t.false.append(f"{kind:7}{sorted(a)} -> {sorted(b)}")
    for f in golds:
        t.gold += 1
        if any(hit(a, b, f) for a, b in system):
            t.tp += 1
        else:
            t.misses.append(f"{kind:7}{f[left]} -> {f.get(right)}")
    return t


def score_graph(g: FactGraph | None, gold: dict) -> dict[str, Tally]:
    if g is None:
        return {k: Tally(gold=len(gold[k]), misses=[f"{k}: (no graph)"]) for k in KINDS}
    return {"claims": score_claims(g, gold), "refusals": score_pairs(g, gold, "refusal"),
            "control": score_pairs(g, gold, "control")}


@dataclass(frozen=True)
class Case:
    name: str
    article: Path
    gold: dict


class CaseError(Exception):
    """A case folder or gold file that cannot be read; the message names the file."""


def load_cases(folder: Path) -> list[Case]:
    """Every NAME.json with its NAME.txt under `folder`, sorted by name."""
    if not folder.is_dir():
        raise CaseError(f"{folder}: not a folder of gold cases")
    cases = []
    for gold_path in sorted(folder.glob("*.json")):
        article = gold_path.with_suffix(".txt")
        if not article.exists():
            raise CaseError(f"{gold_path}: no article {article.name} beside it")
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise CaseError(f"{gold_path}: not valid JSON ({e})") from e
        missing = [k for k in ("entities", *KINDS) if not isinstance(gold.get(k), list)]
        if missing:
            raise CaseError(f"{gold_path}: gold lacks the list(s) {', '.join(missing)}")
        cases.append(Case(gold_path.stem, article, gold))
    if not cases:
        raise CaseError(f"{folder}: no gold cases (NAME.txt + NAME.json)")
    return cases


@dataclass
class CaseResult:
    name: str
    tallies: dict[str, Tally]
    error: str | None = None


@dataclass
class Report:
    cases: list[CaseResult] = field(default_factory=list)

    def total(self, kind: str) -> Tally:
        t = Tally()
        for c in self.cases:
            t.add(c.tallies[kind])
        return t

    @property
    def micro(self) -> Tally:
        t = Tally()
        for k in KINDS:
            t.add(self.total(k))
        return t

    def summary(self) -> str:
        parts = []
        for k in KINDS:
            p, r, f = self.total(k).prf()
            parts.append(f"{k} P={p:.2f} R={r:.2f} F1={f:.2f}")
        p, r, f = self.micro.prf()
        return " | ".join(parts) + f" | micro P={p:.2f} R={r:.2f} F1={f:.2f}"

    def lines(self, verbose: bool = False) -> Iterator[str]:
        for c in self.cases:
            if c.error:
                yield f"{c.name}: {c.error}"
            yield f"{c.name}: " + "  ".join(f"{k} {t.tp}/{t.gold} fp={t.fp}"
                                             for k, t in c.tallies.items())
            if verbose:
                for t in c.tallies.values():
                    yield from (f"    miss  {m}" for m in t.misses)
                    yield from (f"    false {m}" for m in t.false)
        yield self.summary()


#: Gives a case's graph, or an error message in its place.
GraphSource = Callable[[Case], "FactGraph | str"]


def built_here(model: str | None = None) -> GraphSource:
    """Extract each case in this process with the model loaded once: the quads `kg build`
    would store for the article, read as the Turtle export would show them."""
    from kg.article import ArticleError, read_file
    from kg.build import extract_batch

    def source(case: Case) -> FactGraph | str:
        try:
            article = read_file(case.article)
        except ArticleError as e:
            return str(e)
        out = extract_batch([article], model)[0]
        return out if isinstance(out, str) else FactGraph.from_quads(out[1])

    return source


def built_by(cmd: str) -> GraphSource:
    """Run a builder command per case ({input} and {out} are filled in) and read what it wrote."""
    def source(case: Case) -> FactGraph | str:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / case.name
            run = subprocess.run(cmd.format(input=shlex.quote(str(case.article)),
                                            out=shlex.quote(str(out))),
                                 shell=True, capture_output=True, text=True)
            graph = _find_graph(out)
            if graph is None:
                tail = run.stderr.strip()[-400:]
                return f"no graph written (exit {run.returncode}): {tail}"
            return FactGraph.from_file(graph)

    return source


def read_from(folder: Path) -> GraphSource:
    """Read graphs built earlier into FOLDER/NAME/graph.ttl (or .trig, .nq, .nt)."""
    def source(case: Case) -> FactGraph | str:
        graph = _find_graph(folder / case.name)
        return FactGraph.from_file(graph) if graph else f"no graph under {folder / case.name}"

    return source


def _find_graph(out: Path) -> Path | None:
    if not out.exists():
        return None
    for name in ("graph.ttl", "graph.trig", "graph.nq", "graph.nt"):
        if (out / name).exists():
            return out / name
    found = sorted(out.rglob("*.ttl")) + sorted(out.rglob("*.trig"))
    return found[0] if found else None


def evaluate(cases: list[Case], source: GraphSource | None = None,
             on_case: Callable[[CaseResult], None] = lambda r: None) -> Report:
    """Score every case; a case whose graph cannot be had scores as all misses, and says why."""
    source = source or built_here()
    report = Report()
    for case in cases:
        got = source(case)
        error = got if isinstance(got, str) else None
        result = CaseResult(case.name, score_graph(None if error else got, case.gold), error)
        report.cases.append(result)
        on_case(result)
    return report
