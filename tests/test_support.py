"""The support check: an article is credited with a fact only where a span states that fact.

Each false case a reader found in a dossier (issue 12) has a test here: the opposite direction,
a different number, a different time or place, a pronoun or alias of one body, an underspecified
sentence, a fragment as a claim; and the property that every credit and citation of a dossier
points at a span the check accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from synoptic.config import NlpSettings, Settings, SupportSettings
from synoptic.crosscheck import find_claims
from synoptic.crosscheck.support import (
    SupportContext,
    is_proposition,
    proposition_quality,
    support,
)
from synoptic.records import Article, Entity, Mention, Outlet, article_id

SETTINGS = SupportSettings()
PEOPLE = (
    Entity("e-xi", "Xi Jinping", "person", ("Xi", "Mr Xi", "President Xi")),
    Entity("e-putin", "Vladimir Putin", "person", ("Putin", "Mr Putin")),
    Entity("e-ministry", "Chinese Foreign Ministry", "organisation", ("Beijing's foreign ministry",)),
)


def check(a: str, b: str, cosine: float = 0.8, entities: tuple[Entity, ...] = PEOPLE) -> tuple[bool, str]:
    ctx = SupportContext(entities, [a, b, "The visit was announced on Friday."])
    verdict = support(
        ctx.statement("a", (0, len(a)), a), ctx.statement("b", (0, len(b)), b), cosine, ctx, SETTINGS
    )
    return verdict.accepted, verdict.reason


def test_the_same_fact_in_other_words_is_supported() -> None:
    assert check(
        "Chinese President Xi Jinping has invited Russian President Vladimir Putin to visit China this year.",
        "Chinese President Xi Jinping has invited Vladimir Putin to visit China later this year.",
        cosine=0.95,
    ) == (True, "")


def test_opposite_direction_is_not_support() -> None:
    accepted, reason = check(
        "Xi Jinping has invited Vladimir Putin to visit China this year.",
        "Mr Xi had been invited to Russia by Mr Putin.",
    )
    assert not accepted
    assert reason in {"roles", "predicate", "participants"}


def test_swapped_agent_and_patient_on_a_directed_verb() -> None:
    assert check(
        "Putin welcomed Xi to the Kremlin on Monday.", "Xi welcomed Putin to the Kremlin on Monday."
    ) == (
        False,
        "roles",
    )


def test_a_different_number_is_not_support() -> None:
    assert check(
        "The first talks between the two leaders lasted four hours.",
        "The first talks between the two leaders lasted six hours.",
        cosine=0.97,
    ) == (False, "slot")


def test_a_different_relative_time_is_not_support() -> None:
    assert check(
        "Xi Jinping has invited Vladimir Putin to visit China later this year.",
        "Vladimir Putin visited China last year to meet Xi Jinping at the Winter Olympics.",
    ) == (False, "time")


def test_a_different_place_is_not_support() -> None:
    assert check(
        "Xi Jinping met Vladimir Putin in Moscow on Monday for talks.",
        "Xi Jinping met Vladimir Putin in Beijing for talks about trade.",
    ) == (False, "place")


def _with_places(*names: str) -> tuple[Entity, ...]:
    return PEOPLE + tuple(Entity(f"e-place-{k}", name, "place", ()) for k, name in enumerate(names))


def test_one_place_named_two_ways_is_the_same_place() -> None:
    # the climbers story (support gold): two outlets, one mountain; refused as another place,
    # the second outlet went uncredited
    assert check(
        "A 36-year-old Australian climber died after falling 150 metres at Aoraki Mount Cook.",
        "A 36-year-old Australian climber died after falling 150 metres in Aoraki / Mt. Cook National Park.",
        cosine=0.9,
        entities=_with_places("Aoraki Mount Cook", "Aoraki"),
    ) == (True, "")


@pytest.mark.parametrize(("one", "other"), [("South Korea", "Korea"), ("West Virginia", "Virginia")])
def test_a_qualified_place_name_is_another_place(one: str, other: str) -> None:
    assert check(
        f"Xi Jinping met Vladimir Putin in {one} on Monday for talks.",
        f"Xi Jinping met Vladimir Putin in {other} on Monday for talks.",
        cosine=0.9,
        entities=_with_places(one, other),
    ) == (False, "place")


def test_a_negated_statement_is_not_support() -> None:
    assert check(
        "Beijing has supplied weapons to Russia for the war in Ukraine.",
        "Beijing has not supplied weapons to Russia for the war in Ukraine.",
        cosine=0.95,
    ) == (False, "negation")


def test_a_sentence_that_leans_on_its_context_is_never_credited() -> None:
    assert check(
        "Beijing has denied the allegations.", "Beijing has denied the allegations.", cosine=1.0
    ) == (
        False,
        "underspecified",
    )


def test_aliases_of_one_body_are_one_participant() -> None:
    accepted, _ = check(
        "Beijing's foreign ministry said the visit will take place from Monday to Wednesday.",
        "The Chinese Foreign Ministry said the visit will take place from Monday to Wednesday.",
        cosine=0.9,
    )
    assert accepted


def test_fragments_are_not_propositions() -> None:
    assert not is_proposition("During his initial meeting with Mr Putin", clause=True)
    # a clause opening with a preposition leans on its sentence even with a verb form in it
    assert not is_proposition("In a message posted on Twitter on Friday", clause=True)
    assert not is_proposition("that they will discuss China's Ukraine peace plan.", clause=True)
    assert is_proposition("Mr Xi hailed China's close ties with Russia.")
    assert proposition_quality("So it's very complex.") < SHOW_THRESHOLD_FOR_TEST
    assert proposition_quality("Xi has met Putin in person 39 times since becoming China's leader.") == 1.0
    # a standfirst without a verb in its main clause is display text, not a claim; one with a verb is
    standfirst = "Chinese President the first world leader to meet Russian leader after ICC issued a warrant"
    assert proposition_quality(standfirst) < SHOW_THRESHOLD_FOR_TEST
    assert (
        proposition_quality("At a meeting in Moscow, President Xi said he had invited Putin to China") == 1.0
    )


SHOW_THRESHOLD_FOR_TEST = Settings().dossier.show_threshold


def _article(text: str, outlet: str) -> Article:
    return Article(id=article_id(text + outlet), source=f"{outlet}.txt", text=text, outlet=Outlet(outlet))


FAST = Settings(nlp=NlpSettings(embedder="hashing"))


def test_opposite_invitations_are_not_one_claim() -> None:
    a = _article(
        "Chinese President Xi Jinping has invited Russian President Vladimir Putin to visit China this year. "
        "The two leaders held talks in Moscow.",
        "A",
    )
    b = _article(
        "Mr Xi had been invited to Russia by Mr Putin for a three-day visit. "
        "The two leaders held talks in Moscow.",
        "B",
    )
    c = _article(
        "Xi Jinping has invited Vladimir Putin to visit China this year, the Kremlin said on Tuesday.", "C"
    )
    claims = find_claims([a, b, c], [], FAST)
    invitation = [cl for cl in claims if "invited" in cl.text and "visit China" in cl.text]
    assert invitation
    for claim in invitation:
        assert "B" not in claim.outlets


@pytest.mark.slow
@pytest.mark.eval
def test_every_credit_and_citation_is_a_span_the_check_accepts(example_dir: Path) -> None:
    """Property over the bundled example's dossier: each citation of a corroborated claim, and each
    summary citation beyond the sentence's own, is accepted by the support check against the claim's
    (the sentence's) text with the score it carries; no claim's text is a fragment by default."""
    from synoptic.nlp.embeddings import make_embedder
    from synoptic.pipeline import digest
    from synoptic.render.shown import shown_dossier

    settings = Settings()
    result = digest([str(p) for p in sorted(example_dir.iterdir())], settings)
    arts = {a.id: a for a in result.articles}
    embedder = make_embedder(settings.nlp.embedder)
    for dossier in result.dossiers:
        ctx = SupportContext(dossier.entities, (arts[i].text for i in dossier.story.articles))

        def accepted(claim_text: str, article: str, span: tuple[int, int], ctx: SupportContext = ctx) -> bool:
            text = arts[article].text[span[0] : span[1]]
            va, vb = embedder.encode([claim_text, text])
            verdict = support(
                ctx.statement("claim", (0, len(claim_text)), claim_text),
                ctx.statement(article, span, text),
                float(va @ vb),
                ctx,
                settings.support,
            )
            return verdict.accepted or text == claim_text

        checked = 0
        for claim in dossier.claims:
            if claim.single_source:
                continue
            for c in claim.citations:
                if arts[c.article].text[c.span[0] : c.span[1]] != claim.text:
                    checked += 1
                    assert accepted(claim.text, c.article, c.span) or _same_quote(dossier, c), claim.text
        for sentence in dossier.summary:
            for c in sentence.citations[1:]:
                checked += 1
                assert accepted(sentence.text, c.article, c.span), sentence.text
        assert checked >= 5
        for claim in shown_dossier(dossier).claims:
            assert proposition_quality(claim.text) >= settings.dossier.show_threshold, claim.text


def _same_quote(dossier: object, citation: object) -> bool:
    """Citations admitted as two translations of one quoted statement (the quote stage links them)."""
    quotes = getattr(dossier, "quotes", ())
    art, span = citation.article, citation.span
    return any(q.statement and q.article == art and span[0] <= q.content_span[0] < span[1] for q in quotes)


def test_mentions_unused_here_do_not_break_the_context() -> None:
    entity = Entity("e-x", "Xi Jinping", "person", ("Xi",), (Mention("a", (0, 2), "Xi", "PERSON"),))
    ctx = SupportContext([entity], ["Xi spoke."])
    assert "e-x" in ctx.statement("a", (0, 9), "Xi spoke.").names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He fell about 60m from a ridge.", ("quantity", "metre", "60")),
        ("He fell 200 metres down a gully.", ("quantity", "metre", "200")),
        ("He fell 200 feet down a gully.", ("quantity", "metre", "61")),
        ("He fell 2, 000 feet down a gully.", ("quantity", "metre", "609.6")),
        ("A 36 - year - old man died.", ("age", "age", "36")),
        ("Robert Buckley, 32, died on Saturday.", ("age", "age", "32")),
        ("He was stopped at 1:30 a.m. on Sunday.", ("clock", "clock", "01:30")),
        ("His wife was shot twice in the leg.", ("quantity", "time", "2")),
    ],
)
def test_values_news_states_in_other_units_and_forms(text: str, expected: tuple[str, str, str]) -> None:
    from synoptic.crosscheck.units import find_slots

    assert expected in [(s.kind, s.key, s.value) for s in find_slots(text, 0, 6)]


def test_money_in_millions_is_not_metres() -> None:
    from synoptic.crosscheck.units import find_slots

    assert not [s for s in find_slots("The club raised $3m for the new stadium.", 0, 6) if s.key == "metre"]


def test_rounded_conversions_are_one_value_and_real_differences_conflict() -> None:
    from synoptic.crosscheck.units import find_slots, slot_differences

    def slots(text: str) -> list[object]:
        return list(find_slots(text, 0, 6))

    assert not slot_differences(slots("He fell 200 ft."), slots("He fell about 60 m."))  # type: ignore[arg-type]
    assert slot_differences(slots("He fell 200 m."), slots("He fell 200 ft."))  # type: ignore[arg-type]


def test_values_of_different_people_do_not_conflict() -> None:
    a = _article(
        "The climber Robert Buckley, 31, died on Saturday on the mountain, "
        "a day after Duncan Rait died there.",
        "A",
    )
    b = _article(
        "The climber Duncan Rait, 36, died on Friday on the mountain, "
        "a day before Robert Buckley died there.",
        "B",
    )
    people = (
        Entity("e-b", "Robert Buckley", "person", ("Buckley",)),
        Entity("e-r", "Duncan Rait", "person", ("Rait",)),
    )
    from synoptic.records import StoryFacts

    claims = find_claims([a, b], [], FAST, facts=StoryFacts(entities=people))
    assert not [k for c in claims for k in c.conflicts if k.what == "age"]


def test_one_persons_different_ages_conflict() -> None:
    a = _article("The climber Robert Buckley, 32, died on Saturday while climbing to a hut on the peak.", "A")
    b = _article("The climber Robert Buckley, 31, died on Saturday while climbing to a hut on the peak.", "B")
    people = (Entity("e-b", "Robert Buckley", "person", ("Buckley",)),)
    from synoptic.records import StoryFacts

    claims = find_claims([a, b], [], FAST, facts=StoryFacts(entities=people))
    ages = [k for c in claims for k in c.conflicts if k.what == "age"]
    assert len(ages) == 1
    assert {s.value for s in ages[0].sides} == {"31", "32"}


def test_a_negation_of_what_the_other_states_is_not_support() -> None:
    zelensky = (*PEOPLE, Entity("e-z", "Volodymyr Zelensky", "person", ("Zelensky",)))
    accepted, reason = check(
        "Reports have claimed that Mr Xi will speak to Ukrainian President Volodymyr Zelensky soon.",
        "Xi has spoken to Putin often, but not a single phone call to President Volodymyr Zelensky.",
        entities=zelensky,
    )
    assert (accepted, reason) == (False, "negation")


def test_a_speakers_words_are_supported_by_the_same_words_not_the_topic() -> None:
    accepted, reason = check(
        "“China should not provide lethal aid to Russia,” Stoltenberg said.",
        "Western officials have raised concerns that China may be providing lethal assistance to Russia.",
        cosine=0.63,
    )
    assert (accepted, reason) == (False, "predicate")
