"""The gazetteer (ontologies/gazetteer.tsv) and the EntityRuler it feeds.

The ruler runs after the statistical NER and overwrites it, so known names get the right type
even where the small model guesses wrong ("Luhansk People's Republic" as PERSON).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace
from functools import cache

from spacy.language import Language

from kg.resources import load_set, path

SPACY_LABEL = {"Country": "GPE", "City": "GPE", "Region": "LOC", "Place": "LOC",
               "Organization": "ORG", "MilitaryUnit": "ORG", "Person": "PERSON"}


@dataclass(frozen=True)
class Entry:
    name: str
    type: str
    qid: str | None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    stands_for: str | None = None
    forms: tuple[str, ...] = field(default=())
    #: The state the body belongs to (gazetteer_actors.tsv): written as kg:affiliation.
    country: str | None = None


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (cell or "").split("|") if x.strip())


def _variants(s: str) -> set[str]:
    """The spellings news uses for one name: either apostrophe, and "UN"/"U.N." for a body
    named "United Nations ..." ("UN Interim Force in Lebanon")."""
    out = {s, s.replace("'", "\u2019"), s.replace("\u2019", "'")}
    if s.startswith("United Nations ") and len(s.split()) > 2:
        rest = s.removeprefix("United Nations ")
        out |= {f"UN {rest}", f"U.N. {rest}"}
    return out


#: The hand-made table first (its names and forms win), then the curated actors.
FILES = ("gazetteer.tsv", "gazetteer_actors.tsv")


@cache
def entries() -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for rows in map(_rows, FILES):
        for r in rows:
            name = r["name"].strip()
            if name in out:
                continue
            aliases = _split(r.get("aliases"))
            out[name] = Entry(name=name, type=r["type"].strip(), qid=(r.get("qid") or None),
                              aliases=aliases, demonyms=_split(r.get("demonyms")),
                              stands_for=(r.get("stands_for") or "").strip() or None,
                              forms=tuple(sorted({v for a in (name, *aliases)
                                                  for v in _variants(a)})),
                              country=(r.get("country") or "").strip() or None)
    return _with_state_army_forms(out)


_STATE_ARMY = re.compile(r"\b(?:Armed Forces|Defen[cs]e Forces|National Army)\b")


def _with_state_army_forms(out: dict[str, Entry]) -> dict[str, Entry]:
    """'Armed Forces of Sudan', the name kg gives a state's army it meets as 'the army' or
    'Sudan's army', as a form of the row that is that state's armed forces ('Sudanese Armed
    Forces', 'Armed Defence Forces of Mozambique'): one entity for one army, not a second one
    minted beside the table's. The state of a row is its `country`, the state it stands for,
    or the demonym its 'Armed Forces' opens with; a state with two such rows takes its 'Armed
    Forces', and a state with no single one gets no form."""
    demonyms = {d.lower(): e.name for e in out.values() if e.type == "Country"
                for d in e.demonyms}
    rows: dict[str, list[Entry]] = {}
    for e in out.values():
        if e.type != "MilitaryUnit" or not _STATE_ARMY.search(e.name):
            continue
        # by its demonym only as '<Demonym> Armed Forces': the Syrian National Army is no
        # state's army, and its row names no state
        state = e.country or e.stands_for or (
            demonyms.get(e.name.split()[0].lower()) if "Armed Forces" in e.name else None)
        if state in out and out[state].type == "Country":
            rows.setdefault(state, []).append(e)
    taken = {f.lower() for e in out.values() for f in e.forms}
    for state, found in rows.items():
        if len(found) > 1:
            found = [e for e in found if "Armed Forces" in e.name]
        form = f"Armed Forces of {state}"
        if len(found) == 1 and form.lower() not in taken:
            e = found[0]
            out[e.name] = replace(e, forms=tuple(sorted({*e.forms, form})))
    return out


def _rows(name: str) -> list[dict[str, str]]:
    if not path(name).exists():
        return []
    with path(name).open(encoding="utf-8") as fh:
        return list(csv.DictReader((line for line in fh if not line.startswith("#")),
                                   delimiter="\t"))


def _lookup(field: str) -> dict[str, str]:
    """Lower-cased surface strings of one kind -> canonical name; the first entry wins."""
    table: dict[str, str] = {}
    for e in entries().values():
        for s in getattr(e, field):
            table.setdefault(s.lower(), e.name)
    return table


@cache
def by_form() -> dict[str, str]:
    """Names and aliases (both apostrophes) -> canonical name."""
    return _lookup("forms")


@cache
def by_demonym() -> dict[str, str]:
    """'Russian' -> 'Russia'."""
    return _lookup("demonyms")


def add_entity_ruler(nlp: Language) -> None:
    if "kg_gazetteer" in nlp.pipe_names:
        return
    last = next((p for p in ("kg_org_suffixes", "ner") if p in nlp.pipe_names), None)
    ruler = nlp.add_pipe("entity_ruler", name="kg_gazetteer", after=last,
                         config={"overwrite_ents": True, "phrase_matcher_attr": "ORTH"})
    patterns = []
    for e in entries().values():
        for form in e.forms:
            patterns.append({"label": SPACY_LABEL.get(e.type, "ORG"), "pattern": form,
                             "id": e.name})
    # ORTH patterns need only the tokenizer; the ruler would otherwise run every pipe before
    # it (tagger, parser, NER) over each of its hundreds of names: half the model's load time.
    with nlp.select_pipes(enable=["kg_gazetteer"]):
        ruler.add_patterns(patterns)  # type: ignore[attr-defined]


def add_org_suffix_ruler(nlp: Language) -> None:
    """Proper nouns ending in a company word (lexicon/org_suffixes.txt) are an organisation.

    Its own component, before the gazetteer's, so that a gazetteer name of the same span
    ("Wagner Group") still wins and keeps its id.
    """
    if "kg_org_suffixes" in nlp.pipe_names:
        return
    ruler = nlp.add_pipe("entity_ruler", name="kg_org_suffixes",
                         after="ner" if "ner" in nlp.pipe_names else None,
                         config={"overwrite_ents": True})
    suffix = {"LOWER": {"IN": sorted(load_set("lexicon/org_suffixes.txt"))}, "IS_LOWER": False}
    ruler.add_patterns([{"label": "ORG",  # type: ignore[attr-defined]
                         "pattern": [{"POS": "PROPN", "OP": "+"}, suffix]}])
