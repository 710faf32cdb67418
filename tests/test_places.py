"""Places linked to the world (issue 16): the GeoNames/ISO table built from the real data
packages, the reading of ambiguous names by phrase and article, owl:sameAs and coordinates in
the graph, one IRI per GeoNames id across articles, and the shipped places query. Real model,
real packages; the sentences are made up for these tests."""

from __future__ import annotations

import io

import pytest
from helpers_extract import run
from spacy.language import Language

from kg.article import make_article
from kg.extract import extract, places
from kg.namespaces import GEO, OWL
from kg.nlp import load_pipeline
from kg.query import run_query
from kg.rdf import article_iri, entity_iri, to_quads
from kg.resources import path as data_path
from kg.store import open_store

SAME = OWL + "sameAs"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


# ------------------------------------------------------------------ the table
@pytest.mark.parametrize(("form", "kwargs", "name", "kind", "country"), [
    ("Luhansk", {}, "Luhansk", "City", "UA"),
    ("Luhansk Oblast", {}, "Luhansk Oblast", "Region", "UA"),
    ("Luhansk", {"want": "Region"}, "Luhansk Oblast", "Region", "UA"),
    ("Kherson region", {}, "Kherson Oblast", "Region", "UA"),
    ("Kursk region", {}, "Kursk Oblast", "Region", "RU"),  # from 'Kurskaya oblast''
    ("Gezira state", {}, "Gezira State", "Region", "SD"),
    ("Georgia", {}, "Georgia", "Country", "GE"),
    ("Georgia", {"countries": ["US"]}, "Georgia", "Region", "US"),
    ("Jordan", {"countries": ["US"]}, "Jordan", "Country", "JO"),  # not a US village
    ("Tripoli", {"countries": ["LB"]}, "Tripoli", "City", "LB"),
    ("Tripoli", {}, "Tripoli", "City", "LY"),
    ("Alabama", {}, "Alabama", "Region", "US"),  # the state, not its village namesake
    ("al-Jubah", {}, "Al Jubah District", "Region", "YE"),
    ("Ust-Ilimsk", {}, "Ust\u2019-Ilimsk", "City", "RU"),
])
def test_choose_reads_the_name_by_phrase_and_article(form: str, kwargs: dict, name: str,
                                                     kind: str, country: str) -> None:
    place = places.choose(form, **kwargs)
    assert place is not None
    assert (place.name, place.kind, place.country) == (name, kind, country)


def test_cities_have_coordinates_and_capitals_their_state() -> None:
    kyiv = places.choose("Kyiv")
    assert kyiv is not None and kyiv.gid == 703448
    assert kyiv.lat is not None and 50 < kyiv.lat < 51 and 30 < (kyiv.lon or 0) < 31
    ukraine = places.choose("Ukraine")
    assert ukraine is not None and kyiv.capital_of == ukraine.gid


def test_words_that_are_towns_are_common_words() -> None:
    """The guard that keeps 'Mobile' or 'Reading' from being retyped from NER's ORG."""
    words = places.common_words()
    assert {"mobile", "reading", "of", "buffalo"} <= words
    assert "sudzha" not in words and "djibo" not in words


def test_table_lookups_are_cheap() -> None:
    """The table is opened, not loaded: thousands of lookups take well under a second."""
    import time

    places.choose("Kyiv")  # open (or build) once
    names = [f"Town{i}" for i in range(3000)]
    t0 = time.perf_counter()
    for n in names:
        places.candidates(n)
    assert time.perf_counter() - t0 < 1.0


# ------------------------------------------------------------------ in extraction
def _entity(facts, name: str):  # type: ignore[no-untyped-def]
    found = [e for e in facts.entities.values() if name in {e.name, *e.aliases}]
    assert found, f"no entity named {name!r}: {sorted(facts.entities)}"
    return found[0]


def test_a_town_the_model_knows_is_linked_with_coordinates(nlp: Language) -> None:
    facts = run(nlp, "Ukrainian troops retook Izium after fierce fighting, officials in "
                     "Kyiv said.")
    izium = _entity(facts, "Izium")
    assert izium.geonames == places.choose("Izyum").gid  # type: ignore[union-attr]
    assert izium.type == "City" and izium.coords is not None


def test_the_region_reading_after_region(nlp: Language) -> None:
    facts = run(nlp, "Russian forces shelled villages in the Kharkiv region on Monday, "
                     "Ukraine's military said.")
    region = [e for e in facts.entities.values() if e.geonames == 706482]
    assert region and region[0].type == "Region"


def test_georgia_beside_atlanta_is_the_state(nlp: Language) -> None:
    facts = run(nlp, "Voters in Atlanta lined up for hours. Officials in Georgia, a state "
                     "the United States watches closely, said turnout was high.")
    georgia = _entity(facts, "Georgia")
    assert georgia.geonames == 4197000 and georgia.type == "Region"


def test_a_village_namesake_abroad_is_not_linked(nlp: Language) -> None:
    """'Horace' is a village in North Dakota; a poet in an Italian story is not it."""
    facts = run(nlp, "Milan's banker Alberto Nagel quoted the poet Horace in a letter, "
                     "Italian papers said.")
    assert all(e.geonames is None for e in facts.entities.values()
               if e.name in {"Horace", "Nagel", "Alberto Nagel"})


# ------------------------------------------------------------------ in the graph
def _facts(nlp: Language, text: str, aid: str):  # type: ignore[no-untyped-def]
    art = make_article(f"Test report\n\n{text}", id=aid)
    return extract(nlp(art.text), art)


def test_graph_has_same_as_and_wgs84_point(nlp: Language) -> None:
    facts = _facts(nlp, "Rebels seized Djibo in Burkina Faso, the army said.", "p1")
    djibo = _entity(facts, "Djibo")
    quads = list(to_quads(facts))
    s = entity_iri(djibo.key)
    objs = {(q.predicate.value, q.object.value) for q in quads if q.subject == s}
    assert (SAME, f"https://sws.geonames.org/{djibo.geonames}/") in objs
    lat = [float(v) for p, v in objs if p == GEO + "lat"]
    assert lat and 13 < lat[0] < 15
    country = _entity(facts, "Burkina Faso")
    c_objs = {o.value for q in quads if q.subject == entity_iri(country.key)
              and q.predicate.value == SAME for o in [q.object]}
    assert any(v.startswith("https://sws.geonames.org/") for v in c_objs)


def test_two_spellings_one_iri_and_the_places_query(nlp: Language, tmp_path) -> None:
    """'Izium' and 'Izyum' in two articles are one node, found by `kg query places`."""
    a = _facts(nlp, "Ukrainian troops retook Izium on Saturday, officials said.", "s1")
    b = _facts(nlp, "Ukrainian forces entered Izyum, Ukraine's army said.", "s2")
    ka = _entity(a, "Izium").key
    kb = _entity(b, "Izyum").key
    assert entity_iri(ka) == entity_iri(kb)
    store = open_store(str(tmp_path / "store"))
    store.replace_articles([(article_iri(f.article), list(to_quads(f))) for f in (a, b)])
    out = io.BytesIO()
    run_query(store, (data_path("queries") / "places.rq").read_text(), "tsv", out)
    rows = [r.split("\t") for r in out.getvalue().decode().splitlines()[1:]]
    izium = [r for r in rows if "sws.geonames.org/707292/" in r[2]]
    assert izium and izium[0][-1].strip('"') == "2" and izium[0][4]  # two articles, a latitude
    store.close()


# ------------------------------------------------------------------ actors
def test_actor_table_is_large_and_every_country_is_known() -> None:
    from kg.extract import gazetteer as gz

    rows = gz._rows("gazetteer_actors.tsv")
    assert len(rows) >= 300
    entries = gz.entries()
    assert all(r["country"] in entries for r in rows if r["country"])
    assert gz.by_form()["fardc"] == "Armed Forces of the Democratic Republic of the Congo"


def test_mod_is_the_ministry_the_article_named(nlp: Language) -> None:
    """'MoD' after 'Britain's Ministry of Defence' is that ministry, not a second entity."""
    facts = run(nlp, "Britain's Ministry of Defence said two drones had been shot down. "
                     "The MoD said on Tuesday that the crews were safe.")
    speakers = {facts.entities[c.claimant].name for c in facts.claims}
    assert speakers == {"British Ministry of Defence"}
    mod = facts.entities["British Ministry of Defence"]
    assert mod.affiliation == "United Kingdom"


def test_two_spellings_in_one_article_are_one_entity(nlp: Language) -> None:
    facts = run(nlp, "Ukrainian forces entered Izium on Friday. Officials in Izyum said the "
                     "Russian troops had left.")
    linked = [e for e in facts.entities.values() if e.geonames == 707292]
    assert len(linked) == 1 and {"Izium", "Izyum"} <= {linked[0].name, *linked[0].aliases}


def test_all_of_luhansk_is_the_oblast(nlp: Language) -> None:
    facts = run(nlp, "Russian forces now control almost all of Luhansk, Ukraine's military "
                     "said, while shelling continued in Luhansk city.")
    oblast = places.choose("Luhansk Oblast")
    assert oblast is not None
    assert any(e.geonames == oblast.gid for e in facts.entities.values())
