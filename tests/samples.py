"""Hand-made article facts for the store, query and export tests.

Written by hand rather than extracted, so these tests pin the store, query and export
behaviour without depending on the NLP model.
"""

from __future__ import annotations

from pyoxigraph import NamedNode, Quad

from kg.article import Article
from kg.facts import ArticleFacts, Claim, Control, Entity, Evidence, Link, Refusal
from kg.rdf import article_iri, to_quads

HOSTILE = ('He said "no" and """triple""" then\nnewline > < & \\ \' emoji 😀🇺🇦 '
           "RTL \u202eevil\u202c עברית العربية ctrl \x01\x1b[31m tab\t "
           "<script>alert('x')</script> ]]> }} ;. \u2028 nul\x00 bom\ufeff \U0010ffff end")


def _ev(text: str, needle: str) -> Evidence:
    start = max(text.find(needle), 0)
    return Evidence(start, start + len(needle), needle)


def facts(article_id: str = "a1", *, revision: int = 0, hostile: bool = False,
          shared: str = "Russia") -> ArticleFacts:
    """One article naming a country, a unit, a spokesman and two places, with one fact of
    each kind; `revision` changes the claim so a rebuild has something to replace."""
    claim = HOSTILE if hostile else f"the offensive has stalled (revision {revision})"
    text = (f"The unit refused to fight in Donetsk. A spokesman for the ministry said {claim}. "
            f"Luhansk is held by {shared}. Officials denied the report.")
    art = Article(id=article_id, text=text, title=HOSTILE if hostile else f"Title {article_id}",
                  date="16 August 2022", url=None)
    ents = {
        shared: Entity(shared, shared, "Country", {shared, "the Russian Federation"}, "Q159"),
        "LPR unit": Entity("LPR unit", "LPR unit", "MilitaryUnit", {"the unit"}),
        "Ministry": Entity("Ministry", "Ministry of Defence", "Organization",
                           {HOSTILE} if hostile else set()),
        "Spokesman": Entity("Spokesman", "Ministry spokesman", "Person", set(),
                            role="a spokesman", affiliation="Ministry"),
        "Kremlin": Entity("Kremlin", "Kremlin", "Place", set(), stands_for=shared),
        "Donetsk": Entity("Donetsk", "Donetsk Oblast", "Region", {"Donetsk"}, "Q2012"),
        "Luhansk": Entity("Luhansk", "Luhansk Oblast", "Region", {"Luhansk"}),
        "Officials": Entity("Officials", "officials", "Group", set()),
    }
    said = Claim("Spokesman", claim, True, "say", _ev(text, "A spokesman"))
    denied = Claim("Officials", "the report", False, "deny", _ev(text, "Officials denied"),
                   negated=True)
    held = Control("Luhansk", shared, _ev(text, "Luhansk is held"), "July 2022", "2022-07")
    return ArticleFacts(
        article=art, entities=ents, claims=[said, denied],
        refusals=[Refusal("LPR unit", "fight", "Donetsk", _ev(text, "refused to fight"))],
        controls=[held],
        links=[Link(said, "asserts", held), Link(denied, "disputes", said)],
    )


def article(f: ArticleFacts) -> tuple[NamedNode, list[Quad]]:
    return article_iri(f.article), list(to_quads(f))
