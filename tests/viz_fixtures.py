"""Hand-made article graphs for the graph/viz tests, written as quads the way kg/rdf.py does.

Extraction is still moving, so these give the projection and the browser deterministic input:
a small but realistic corpus to look at, and a hostile one whose every string tries to escape.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from kg.namespaces import DCTERMS, ID, KG, NIF, OWL, PROV, RDF, RDFS, SKOS, WD, XSD
from kg.store import Store, open_store

A = NamedNode(RDF + "type")


def kg(name: str) -> NamedNode:
    return NamedNode(KG + name)


class Doc:
    """One article's named graph, built fact by fact."""

    def __init__(self, iri: str, title: str, date: str | None = None) -> None:
        self.g = NamedNode(iri)
        self.quads: list[Quad] = []
        self.add(self.g, A, kg("Article"))
        self.add(self.g, kg("contentHash"), Literal(hashlib.sha256(iri.encode()).hexdigest()))
        self.add(self.g, NamedNode(DCTERMS + "title"), Literal(title))
        if date:
            self.add(self.g, NamedNode(DCTERMS + "date"), Literal(date))

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.quads.append(Quad(s, p, o, self.g))

    def entity(self, key: str, name: str, cls: str, *aliases: str, qid: str | None = None,
               same_as: str | None = None, role: str | None = None) -> NamedNode:
        s = NamedNode(ID + key)
        self.add(s, A, kg(cls))
        self.add(s, NamedNode(RDFS + "label"), Literal(name))
        for alias in aliases:
            self.add(s, NamedNode(SKOS + "altLabel"), Literal(alias))
        self.add(s, kg("mentionedIn"), self.g)
        if qid or same_as:
            self.add(s, NamedNode(OWL + "sameAs"), NamedNode(same_as or WD + str(qid)))
        if role:
            self.add(s, kg("role"), Literal(role))
        return s

    def _fact(self, kind: str, *parts: object) -> NamedNode:
        h = hashlib.sha1("\x1f".join(map(str, (self.g.value, *parts))).encode()).hexdigest()
        return NamedNode(f"{ID}{kind}/{h[:20]}")

    def _prov(self, node: NamedNode, evidence: str) -> None:
        self.add(node, NamedNode(PROV + "wasDerivedFrom"), self.g)
        self.add(node, NamedNode(NIF + "anchorOf"), Literal(evidence))
        for p, n in (("beginIndex", 0), ("endIndex", len(evidence))):
            self.add(node, NamedNode(NIF + p),
                     Literal(str(n), datatype=NamedNode(XSD + "nonNegativeInteger")))

    def claim(self, actor: NamedNode, text: str, evidence: str, verb: str = "said",
              negated: bool = False, direct: bool = False,
              mentions: Sequence[NamedNode] = ()) -> NamedNode:
        node = self._fact("statement", actor.value, text)
        for whom in mentions:
            self.add(node, kg("mentions"), whom)
        self.add(actor, kg("claims"), node)
        self.add(node, A, kg("Statement"))
        self.add(node, NamedNode(RDF + "value"), Literal(text))
        self.add(node, kg("direct"),
                 Literal(str(direct).lower(), datatype=NamedNode(XSD + "boolean")))
        self.add(node, kg("reportingVerb"), Literal(verb))
        self.add(node, kg("polarity"), kg("Negative" if negated else "Positive"))
        self._prov(node, evidence)
        return node

    def refuse(self, actor: NamedNode, action: str, place: NamedNode | None, label: str,
               evidence: str) -> NamedNode:
        node = self._fact("deployment", actor.value, action, place.value if place else "")
        self.add(actor, kg("refuses"), node)
        self.add(node, A, kg("Deployment"))
        self.add(node, kg("action"), Literal(action))
        self.add(node, NamedNode(RDFS + "label"), Literal(label))
        if place is not None:
            self.add(node, kg("location"), place)
        self._prov(node, evidence)
        return node

    def control(self, region: NamedNode, controller: NamedNode, evidence: str,
                date: str | None = None) -> NamedNode:
        self.add(region, kg("controlledBy"), controller)
        node = self._fact("control", region.value, controller.value)
        self.add(node, A, kg("ControlFact"))
        self.add(node, kg("region"), region)
        self.add(node, kg("controller"), controller)
        if date:
            self.add(node, kg("date"), Literal(date))
        self._prov(node, evidence)
        return node

    def link(self, s: NamedNode, rel: str, o: NamedNode) -> None:
        self.add(s, kg(rel), o)


def demo_docs() -> list[Doc]:
    """Three articles about the war in Ukraine: every class and relation, some shared entities."""
    a = Doc("https://news.example/lpr-refusal", "LPR fighters refuse to fight in Donetsk",
            "2022-08-16")
    lpr_unit = a.entity("LPR_unit", "LPR 2nd Army Corps unit", "MilitaryUnit", "LPR unit",
                        "the fighters")
    lpr = a.entity("Luhansk_People's_Republic", "Luhansk People's Republic", "Group", "LPR")
    mod = a.entity("UK_Ministry_of_Defence", "UK Ministry of Defence", "Organization", "MOD",
                   "MoD", qid="Q1141459")
    uk = a.entity("United_Kingdom", "United Kingdom", "Country", "UK", qid="Q145")
    russia = a.entity("Russia", "Russia", "Country", "Russian Federation", qid="Q159")
    donetsk = a.entity("Donetsk_Oblast", "Donetsk Oblast", "Region", "Donetsk", qid="Q2142")
    luhansk = a.entity("Luhansk_Oblast", "Luhansk Oblast", "Region", "Luhansk", qid="Q171965")
    army = a.entity("Russian_Armed_Forces", "Russian Armed Forces", "MilitaryUnit",
                    "Russian army")
    putin = a.entity("Vladimir_Putin", "Vladimir Putin", "Person", "Putin", qid="Q7747",
                     role="President")
    kremlin = a.entity("Kremlin", "the Kremlin", "Organization", "Kremlin")
    a.link(mod, "affiliation", uk)
    a.link(putin, "affiliation", russia)
    a.link(kremlin, "standsFor", russia)
    a.link(lpr_unit, "affiliation", lpr)
    a.link(army, "affiliation", russia)
    a.refuse(lpr_unit, "fight", donetsk, "fight in Donetsk Oblast",
             "A unit of pro-Russian militias said they refused to fight in the Donetsk region.")
    a.control(luhansk, lpr, "The fighters said they had secured the LPR's control over all of "
              "Luhansk, which was taken in July 2022.", "2022-07")
    a.claim(mod, "the Russian army was struggling to bolster its forces with new recruits",
            "The MOD's analysts said that the Russian army was struggling to bolster its forces.")
    a.claim(mod, "Russian commanders were resorting to direct financial incentives",
            "They claimed that Russian commanders were resorting to direct financial incentives.",
            verb="claimed")
    a.claim(putin, "the special military operation is going according to plan",
            "Putin insisted the special military operation is going according to plan.",
            verb="insisted")
    a.claim(kremlin, "there is no mutiny in the ranks",
            "The Kremlin denied there is any mutiny in the ranks.", verb="denied", negated=True)

    b = Doc("https://news.example/kherson", "Ukraine retakes Kherson", "2022-11-11")
    ukraine = b.entity("Ukraine", "Ukraine", "Country", qid="Q212")
    kherson = b.entity("Kherson", "Kherson", "City", qid="Q158976")
    zelensky = b.entity("Volodymyr_Zelensky", "Volodymyr Zelensky", "Person", "Zelensky",
                        qid="Q3881051", role="President")
    afu = b.entity("Armed_Forces_of_Ukraine", "Armed Forces of Ukraine", "MilitaryUnit", "AFU")
    shoigu = b.entity("Sergei_Shoigu", "Sergei Shoigu", "Person", "Shoigu", qid="Q315514",
                      role="Defence Minister")
    russia_b = b.entity("Russia", "Russia", "Country", "Moscow", qid="Q159")
    dnipro = b.entity("Dnipro_River", "Dnipro river", "Place", "Dnieper")
    b.link(zelensky, "affiliation", ukraine)
    b.link(afu, "affiliation", ukraine)
    b.link(shoigu, "affiliation", russia_b)
    b.control(kherson, ukraine, "Ukrainian troops entered Kherson on Friday.", "2022-11-11")
    b.claim(zelensky, "Kherson is ours", "\u201cKherson is ours,\u201d Zelensky said.",
            direct=True)
    b.claim(shoigu, "troops will withdraw to the left bank of the Dnipro",
            "Shoigu ordered troops to withdraw to the left bank of the Dnipro.", verb="ordered")
    b.refuse(afu, "advance", dnipro, "advance across the Dnipro river",
             "Ukrainian commanders declined to advance across the river.")

    c = Doc("https://news.example/reservists", "Mobilised reservists refuse orders", "2022-10-02")
    reservists = c.entity("Belgorod_reservists", "Belgorod reservists", "Group",
                          "mobilised reservists")
    belgorod = c.entity("Belgorod", "Belgorod", "City", qid="Q4023")
    isw = c.entity("Institute_for_the_Study_of_War", "Institute for the Study of War",
                   "Organization", "ISW", qid="Q6039293")
    wagner = c.entity("Wagner_Group", "Wagner Group", "Group", "Wagner", "PMC Wagner",
                      qid="Q19830596")
    prigozhin = c.entity("Yevgeny_Prigozhin", "Yevgeny Prigozhin", "Person", "Prigozhin",
                         qid="Q4526776")
    bakhmut = c.entity("Bakhmut", "Bakhmut", "City", "Artemivsk", qid="Q163909")
    lyman = c.entity("Lyman", "Lyman", "City", qid="Q497346")
    ukraine_c = c.entity("Ukraine", "Ukraine", "Country", qid="Q212")
    russia_c = c.entity("Russia", "Russia", "Country", qid="Q159")
    donetsk_c = c.entity("Donetsk_Oblast", "Donetsk Oblast", "Region", qid="Q2142")
    c.link(reservists, "affiliation", belgorod)
    c.link(prigozhin, "affiliation", wagner)
    c.link(wagner, "affiliation", russia_c)
    c.refuse(reservists, "deploy", None, "deploy to the front",
             "Reservists from Belgorod refused to deploy to the front without training.")
    c.refuse(reservists, "fight", donetsk_c, "fight in Donetsk Oblast",
             "They said they would not fight in Donetsk Oblast.")
    c.control(lyman, ukraine_c, "Ukraine recaptured the rail hub of Lyman.", "2022-10-01")
    c.control(bakhmut, wagner, "Wagner fighters hold the eastern districts of Bakhmut.")
    c.claim(isw, "Russia's mobilisation is failing to generate combat power",
            "The ISW assessed that Russia's mobilisation is failing to generate combat power.",
            verb="assessed")
    c.claim(prigozhin, "Wagner is doing the fighting that the army will not",
            "Prigozhin said Wagner is doing the fighting that the army will not.")
    return [a, b, c]


#: Strings that try every way out of JSON, a script block, an attribute or a tooltip.
PWN = "window.__pwned=1"
HOSTILE = {
    "script": f"<script>{PWN}</script>",
    "img": f'<img src=x onerror="{PWN}">',
    "cdata": '"]]> \' </script><script>' + PWN + "</script>",
    "comment": "<!-- \u2028 \u2029 <script>" + PWN + "</script> -->",
    "svg": f"<svg onload={PWN}>",
    "marker": "{{DATA}} {{APP_JS}} ${x} </style><style>*{display:none}</style>",
    "iframe": f'<iframe src="javascript:{PWN}"></iframe>',
    "attr": f'" onmouseover="{PWN}" x="',
}
HOSTILE_ARTICLE = "javascript:window.__pwned=1//news"


def hostile_docs() -> list[Doc]:
    """One article whose title, labels, aliases, statements and evidence are all attacks."""
    h = HOSTILE
    d = Doc(HOSTILE_ARTICLE, h["img"] + h["script"], h["attr"])
    boss = d.entity("pwn_person", h["script"], "Person", h["img"], h["cdata"], h["attr"],
                    same_as=f"javascript:{PWN}//www.wikidata.org/", role=h["svg"])
    org = d.entity("pwn_org", h["img"], "Organization", h["comment"])
    place = d.entity("pwn_place", h["cdata"], "Region", h["marker"])
    other = d.entity("pwn_city", h["comment"] + h["svg"], "City", h["iframe"])
    d.link(boss, "affiliation", org)
    d.link(org, "standsFor", other)
    d.claim(boss, h["script"] + h["marker"], h["cdata"] + h["img"], verb=h["svg"],
            mentions=[org, place, other])
    d.claim(org, h["iframe"], h["comment"], negated=True, mentions=[boss])
    d.refuse(boss, h["svg"], place, h["img"], h["script"])
    d.refuse(org, h["attr"], None, h["iframe"] + h["cdata"], h["marker"])
    d.control(place, org, h["comment"] + h["img"], h["attr"])
    d.control(other, boss, h["marker"])
    return [d]


class Quads:
    """A list of quads with the store's `quads` filters: input for graph.overview without a
    store."""

    def __init__(self, docs: list[Doc]) -> None:
        self.all = [q for d in docs for q in d.quads]

    def quads(self, *, subjects: Collection[str] | None = None,
              predicates: Collection[str] | None = None) -> Iterable[Quad]:
        return [q for q in self.all
                if (subjects is None or q.subject.value in subjects)
                and (predicates is None or q.predicate.value in predicates)]


def write_docs(store: Store, docs: list[Doc]) -> Store:
    store.replace_articles([(d.g, d.quads) for d in docs])
    return store


def make_store(path: Path, docs: list[Doc]) -> Store:
    return write_docs(open_store(str(path)), docs)


SYNTH_CLASSES = ("Person",) * 4 + ("Organization",) * 3 + ("MilitaryUnit", "Group",
                                                            "Country", "Region", "City", "Place")
SYNTH_LINKS = ("affiliation",) * 3 + ("controlledBy", "refuses", "standsFor")


def synthetic_docs(entities: int, *, claims: int | None = None, per_article: int = 50,
                   seed: int = 7, mentions: bool = False) -> list[Doc]:
    """A large, deterministic store: `entities` entity nodes and `claims` statement nodes.

    Links follow preferential attachment (each new entity joins one or two earlier ones,
    the popular ones more often), so the graph has hubs and a long tail like a news corpus.
    Every edge the projection draws joins two entities except claims, which add one
    statement node each (entities // 10 by default). With `mentions`, each statement also
    names one or two entities (popular ones more often), as kg:mentions.
    """
    import random

    rnd = random.Random(seed)
    claims = entities // 10 if claims is None else claims
    docs: list[Doc] = []
    nodes: list[NamedNode] = []
    ends: list[int] = []  # one entry per edge end: picking from it favours hubs
    for i in range(entities):
        if i % per_article == 0:
            docs.append(Doc(f"https://news.example/synthetic/{i // per_article}",
                            f"Synthetic report {i // per_article}", "2024-03-01"))
        doc = docs[-1]
        node = doc.entity(f"synthetic_{i}", f"Entity {i}", rnd.choice(SYNTH_CLASSES),
                          f"E{i}")
        nodes.append(node)
        for _ in range(min(i, rnd.choice((1, 1, 2)))):
            j = rnd.choice(ends) if ends and rnd.random() < 0.7 else rnd.randrange(i)
            rel = rnd.choice(SYNTH_LINKS)
            if rel == "controlledBy":
                doc.control(node, nodes[j], f"Entity {j} holds Entity {i}.")
            elif rel == "refuses":
                doc.refuse(node, "fight", nodes[j], f"fight in Entity {j}",
                           f"Entity {i} refused to fight in Entity {j}.")
            else:
                doc.link(node, rel, nodes[j])
            ends += [i, j]
    for k in range(claims):
        j = rnd.choice(ends) if ends else rnd.randrange(max(entities, 1))
        doc = docs[j // per_article]
        named = []
        if mentions and entities > 1:
            for _ in range(rnd.choice((1, 1, 2))):
                m = rnd.choice(ends) if ends and rnd.random() < 0.7 else rnd.randrange(entities)
                if m != j:
                    named.append(nodes[m])
        doc.claim(nodes[j], f"synthetic statement {k}", f"Entity {j} said statement {k}.",
                  mentions=named)
        ends.append(j)
    return docs


#: Speakers and the people, bodies and places they talk about, for `speech_articles`.
SPEAKERS = ("Maria Delgado", "Thomas Becker", "Angela Whitfield", "Robert Kaminski",
            "Susan Okafor", "David Harrington", "Laura Mendes", "Peter Lindqvist")
SUBJECTS = ("Maria Delgado", "Thomas Becker", "Angela Whitfield", "Robert Kaminski",
            "the European Commission", "the World Bank", "Germany", "Brazil", "Canada",
            "NATO", "Poland", "the United Nations")
_SAID = ("{s} said that {o} had misled voters about the budget.",
         "{s} said {o} would lose the next vote in parliament.",
         "{s} told reporters that {o} was blocking the trade agreement.",
         "According to {s}, {o} has not paid its share of the costs.",
         "{s} claimed that {o} and {p} were negotiating in secret.",
         "{s} insisted that the deal with {o} was still possible.")
_MONTHS = ("January", "February", "March", "April", "May", "June")


def speech_articles(folder: Path, count: int = 30, seed: int = 11) -> list[Path]:
    """`count` short news texts in which named people speak about each other, states and
    institutions: raw input for a real build whose statements name entities (kg:mentions),
    so the overview has claims edges to aggregate. Each has a title and a dateline."""
    import random

    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        speakers = rnd.sample(SPEAKERS, 3)
        lines = []
        for s in speakers:
            for _ in range(2):
                o, p = rnd.sample([x for x in SUBJECTS if x != s], 2)
                sentence = rnd.choice(_SAID).format(s=s, o=o, p=p)
                lines.append(sentence[0].upper() + sentence[1:])
        date = f"{_MONTHS[i % len(_MONTHS)]} {1 + i % 28}, 2024"
        title = f"{speakers[0]} and {speakers[1]} clash over the budget talks"
        text = f"{title}\n\n{date}\n\n" + "\n\n".join(
            " ".join(lines[k:k + 2]) for k in range(0, len(lines), 2)) + "\n"
        path = folder / f"speech_{i:03d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
