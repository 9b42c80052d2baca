"""Cross-checking: claims against the seed gold, agreement with copies, conflicts, wordings,
and the stage properties (citations resolve, order invariance, determinism)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from synoptic.config import NlpSettings, Settings
from synoptic.crosscheck import compare_outlets, cross_check, find_claims
from synoptic.crosscheck.units import find_slots
from synoptic.eval.seeds import gold_outlets, match_claim, outlet_names
from synoptic.records import (
    Article,
    Citation,
    Claim,
    CopyLink,
    Event,
    Outlet,
    OutletReport,
    Quote,
    StoryFacts,
    TimeExpression,
    article_id,
)

FAST = Settings(nlp=NlpSettings(embedder="hashing"))


def article(text: str, outlet: str, source: str | None = None) -> Article:
    return Article(
        id=article_id(text + outlet), source=source or f"{outlet}.txt", text=text, outlet=Outlet(outlet)
    )


def cited(art: dict[str, Article], claim: Claim) -> list[tuple[str, str]]:
    return [(art[c.article].outlet_name, art[c.article].text[c.span[0] : c.span[1]]) for c in claim.citations]


def match_gold(claims: tuple[Claim, ...], arts: dict[str, Article], gold_claim: str) -> Claim | None:
    return match_claim(claims, lambda claim: cited(arts, claim), gold_claim)


@pytest.fixture(scope="module")
def seeds(example_dir: Path) -> tuple[dict[str, Article], tuple[Claim, ...], tuple[OutletReport, ...]]:
    from synoptic.pipeline import read_and_clean

    arts, _ = read_and_clean(sorted(str(p) for p in example_dir.iterdir()), Settings())
    claims, reports = cross_check(arts, [], Settings())
    return {a.id: a for a in arts}, claims, reports


# --------------------------------------------------------------------------- seeds vs gold


@pytest.mark.slow
@pytest.mark.eval
def test_gold_claims_found_with_their_outlets(seeds: Any, seed_gold: dict[str, Any]) -> None:
    arts, claims, _ = seeds
    found = []
    for gold in seed_gold["claims"]:
        claim = match_gold(claims, arts, gold["claim"])
        want = gold_outlets(gold, outlet_names(arts.values()))
        if claim is not None and len(set(claim.outlets) ^ want) <= 1:
            found.append(gold["claim"])
    # 12 until CNN's "heads to Moscow ..., since Putin launched his invasion" stopped being credited
    # with the "no limits" claim (a wrong credit that made the outlet set match the gold's); its
    # "borderless friendship" sentence, the right one, scores 0.37 against that claim
    assert len(found) >= 11, f"only {len(found)} of 14: {found}"


@pytest.mark.eval
def test_gold_claims_with_the_hashing_backend(example_dir: Path, seed_gold: dict[str, Any]) -> None:
    """The model-free backend (its own thresholds) on the seeds: a fast gate for the grouping."""
    from synoptic.pipeline import read_and_clean

    arts, _ = read_and_clean(sorted(str(p) for p in example_dir.iterdir()), Settings())
    claims = find_claims(arts, [], FAST)
    by_id = {a.id: a for a in arts}
    found = 0
    for gold in seed_gold["claims"]:
        claim = match_gold(claims, by_id, gold["claim"])
        want = gold_outlets(gold, outlet_names(arts))
        found += claim is not None and len(set(claim.outlets) ^ want) <= 1
        if gold.get("single_source"):
            assert claim is not None
            assert claim.single_source
    # 12 before the support check (issue 12); the bag-of-words cosine of the hashing backend is
    # low for paraphrases, so the check credits fewer of them: precision first, 10 of 14 kept
    assert found >= 10


@pytest.mark.slow
@pytest.mark.eval
def test_single_source_gold_claims_are_marked(seeds: Any, seed_gold: dict[str, Any]) -> None:
    arts, claims, reports = seeds
    singles = [g for g in seed_gold["claims"] if g.get("single_source")]
    assert len(singles) == 4
    for gold in singles:
        claim = match_gold(claims, arts, gold["claim"])
        assert claim is not None, gold["claim"]
        assert claim.single_source, gold["claim"]
        (outlet,) = gold_outlets(gold, outlet_names(arts.values()))
        assert claim.outlets == (outlet,)
        report = next(r for r in reports if r.outlet == outlet)
        assert claim.id in report.unique_claims


@pytest.mark.slow
@pytest.mark.eval
def test_no_limits_wordings_side_by_side(seeds: Any) -> None:
    arts, claims, reports = seeds
    claim = match_gold(
        claims,
        arts,
        "Xi and Putin declared a 'no limits' friendship/partnership in February 2022",
    )
    assert claim is not None
    texts = " | ".join(w.text for w in claim.wordings)
    # 004's "borderless" sentence is its own claim since the support check (issue 12) picks one
    # supporting sentence per article; the rewritten copy still shows its own word for it
    assert re.search(r"no.limits", texts), texts
    assert re.search(r"borderless|infinite", texts), texts
    # two outlets side by side: the third (CNN in Mint's "no limits" claim) came with a wrong
    # credit, refused since its sentence quotes no term ("heads to Moscow ..., since Putin
    # launched his invasion"); CNN's own words are in its "borderless" claim, matched here
    assert len({w.outlet for w in claim.wordings}) >= 2
    for w in claim.wordings:  # each wording is a real, short span of its outlet's article
        a = arts[w.citation.article]
        assert a.text[w.citation.span[0] : w.citation.span[1]] == w.text
        assert a.outlet_name == w.outlet
        assert len(w.text.split()) <= 8
    rewritten = next(r for r in reports if r.outlet == "CNN (credited)")
    assert {m for w in rewritten.wording for m in re.findall(r"borderless|infinite", w.text)}


@pytest.mark.slow
@pytest.mark.eval
def test_seed_citations_resolve_and_outlets_are_consistent(seeds: Any) -> None:
    arts, claims, reports = seeds
    assert len({c.id for c in claims}) == len(claims)
    for claim in claims:
        texts = [t for _, t in cited(arts, claim)]
        assert all(t.strip() and t == t.strip() for t in texts)
        assert claim.text in texts
        assert set(claim.outlets) <= {arts[c.article].outlet_name for c in claim.citations}
        assert claim.single_source == (len(claim.outlets) == 1 and not claim.related)
        for r in claim.related:  # a pointer to another outlet's own words, never a credit
            assert len(claim.outlets) == 1
            assert arts[r.article].outlet_name not in claim.outlets
            assert arts[r.article].text[r.span[0] : r.span[1]].strip()
        assert not claim.conflicts, claim.conflicts  # the five reports do not contradict each other
    assert [r.outlet for r in reports] == sorted(arts[a].outlet_name for a in arts)


# --------------------------------------------------------------------------- conflicts

FLOOD = (
    "Heavy rain caused flash floods across the region on Tuesday night.\n\n"
    "{n} people died in the floods in the town of Valverde, the regional government said.\n\n"
    "Rescue teams were still searching for the missing on Wednesday morning."
)


def _pair(n1: str, n2: str) -> list[Article]:
    return [article(FLOOD.format(n=n1), "Daily A"), article(FLOOD.format(n=n2), "Gazette B")]


def test_different_death_tolls_conflict_with_both_sides_cited() -> None:
    arts = _pair("Twelve", "15")
    claims = find_claims(arts, [], FAST)
    conflicts = [k for c in claims for k in c.conflicts]
    assert len(conflicts) == 1
    conflict = conflicts[0]
    assert conflict.what == "people"
    assert {s.value for s in conflict.sides} == {"12", "15"}
    by_id = {a.id: a for a in arts}
    for side in conflict.sides:
        for cite in side.citations:
            stated = by_id[cite.article].text[cite.span[0] : cite.span[1]]
            assert stated.lower() in ("twelve people", "15 people")
    assert {by_id[c.article].outlet_name for s in conflict.sides for c in s.citations} == {
        "Daily A",
        "Gazette B",
    }


@pytest.mark.parametrize(("n1", "n2"), [("12", "12"), ("Twelve", "12"), ("12", "12 more")])
def test_same_numbers_do_not_conflict(n1: str, n2: str) -> None:
    claims = find_claims(_pair(n1, n2), [], FAST)
    assert all(not c.conflicts for c in claims)


def test_different_units_and_different_facts_do_not_conflict() -> None:
    a = article("The summit will last three days, officials in the capital said on Friday.", "A")
    b = article("The summit will last three weeks, officials in the capital said on Friday.", "B")
    assert all(not c.conflicts for c in find_claims([a, b], [], FAST))
    c = article("The storm destroyed 40 houses along the northern coast, the mayor said.", "C")
    d = article("The city council approved a budget of 40 million euros for new schools.", "D")
    assert all(not c.conflicts for c in find_claims([c, d], [], FAST))


def test_visit_length_conflict() -> None:
    a = article("The president began a three-day state visit to the neighbouring country on Monday.", "A")
    b = article("The president began a two-day state visit to the neighbouring country on Monday.", "B")
    conflicts = [k for c in find_claims([a, b], [], FAST) for k in c.conflicts]
    assert [(k.what, sorted(s.value for s in k.sides)) for k in conflicts] == [("day", ["2", "3"])]


def test_same_quote_given_to_different_speakers_conflicts() -> None:
    sentence = (
        '"We will not give up an inch of our land," {who} told reporters in the capital on Sunday'
        " after talks with the visiting foreign delegation ended."
    )
    a = article(sentence.format(who="Ivanov"), "A")
    b = article(sentence.format(who="Petrov"), "B")
    quotes = []
    for art, speaker in ((a, "Ivanov"), (b, "Petrov")):
        start = art.text.index("We will")
        end = art.text.index(",", start)
        quotes.append(Quote(art.id, speaker, art.text[start:end], (start, end), True))
    claims = find_claims([a, b], [], FAST, facts=StoryFacts(quotes=tuple(quotes)))
    by_speaker = [k for c in claims for k in c.conflicts if k.what == "speaker"]
    assert by_speaker
    assert {side.value for side in by_speaker[0].sides} == {"Ivanov", "Petrov"}


def test_weekday_range_is_a_duration() -> None:
    slots = find_slots("The visit will take place from Monday to Wednesday next week.", 0, 6)
    assert [(s.kind, s.key, s.value) for s in slots] == [("quantity", "day", "3")]
    assert [(s.key, s.value) for s in find_slots("a three-day visit", 0, 6)] == [("day", "3")]
    assert [(s.key, s.value) for s in find_slots("talks lasted four and a half hours", 0, 6)] == [
        ("hour", "4.5")
    ]
    assert find_slots("a one-on-one meeting", 0, 6) == ()


# --------------------------------------------------------------------------- single source

BRIDGE = (
    "Heavy rain caused flash floods across the northern region on Tuesday night.\n\n"
    "The old stone bridge over the river Lenna collapsed before dawn, the mayor said.\n\n"
    "The governor praised the volunteers who filled sandbags through the night.",
    "Flash floods hit the northern region on Tuesday night after heavy rain.\n\n"
    "Officials said the stone bridge over the Lenna had given way before dawn.\n\n"
    "Schools in the valley will stay closed until Friday.",
    "Heavy rain brought flash floods to the northern region on Tuesday night.\n\n"
    "Farmers in the valley counted their losses on Wednesday.",
)


@pytest.mark.parametrize("settings", [FAST, Settings()], ids=["hashing", "minilm"])
def test_a_fact_another_outlet_words_differently_is_unconfirmed_not_single_source(settings: Settings) -> None:
    """The support check does not credit "collapsed" / "had given way" (other verbs, the mayor /
    officials), so each bridge sentence is cited for one outlet. That is no evidence that only
    that outlet reports it: each points to the other as related and neither is single-source,
    nor unique to its outlet. What nothing elsewhere comes close to stays single-source, also
    where a word of it recurs ("valley")."""
    outlets = ("Daily A", "Gazette B", "Courier C")
    arts = [article(text, outlet) for text, outlet in zip(BRIDGE, outlets, strict=True)]
    by_id = {a.id: a for a in arts}
    claims, reports = cross_check(arts, [], settings)
    floods = next(c for c in claims if "floods" in c.text)
    assert len(floods.outlets) == 3
    assert not floods.related
    bridges = [c for c in claims if "bridge" in c.text]
    assert sorted(c.outlets for c in bridges) == [("Daily A",), ("Gazette B",)]
    for claim in bridges:
        assert not claim.single_source
        (pointer,) = claim.related
        pointed = by_id[pointer.article]
        assert pointed.outlet_name != claim.outlets[0]
        assert "bridge" in pointed.text[pointer.span[0] : pointer.span[1]]
        report = next(r for r in reports if r.outlet == claim.outlets[0])
        assert claim.id not in report.unique_claims
    for words in ("sandbags", "Schools in the valley", "Farmers in the valley"):
        claim = next(c for c in claims if words in c.text)
        assert claim.single_source, words
        assert not claim.related
        report = next(r for r in reports if r.outlet == claim.outlets[0])
        assert claim.id in report.unique_claims


def test_a_sentence_the_timeline_dates_with_another_outlets_is_unconfirmed() -> None:
    """Two reports of one event in other words ("left the harbour" / "boarded the boat at dusk")
    that neither the check nor the cosine ties: the timeline, which merged them as one dated
    event, makes each the other's related statement; without that event both are single-source."""
    a = article("The ferry finally left the harbour on Monday evening after the storm.", "Daily A")
    b = article("Passengers boarded the boat at dusk on Monday, hours late.", "Gazette B")
    alone = find_claims([a, b], [], FAST)
    assert all(c.single_source and not c.related for c in alone)
    event = Event(
        dt.date(2024, 3, 4),
        dt.date(2024, 3, 4),
        "day",
        "The ferry left the harbour",
        (Citation(a.id, (0, len(a.text))), Citation(b.id, (0, len(b.text)))),
    )
    claims = find_claims([a, b], [], FAST, facts=StoryFacts(timeline=(event,)))
    ferry = next(c for c in claims if "ferry" in c.text)
    assert not ferry.single_source
    (pointer,) = ferry.related
    assert (pointer.article, pointer.span) == (b.id, (0, len(b.text)))


# --------------------------------------------------------------------------- copies

REPORT = (
    "The central bank raised its main interest rate to 4.5 percent on Thursday.\n\n"
    "The governor said inflation was still far above the target of two percent.\n\n"
    "{extra}"
)


def test_copies_count_once() -> None:
    original = article(REPORT.format(extra="Markets in the capital fell sharply after the decision."), "Wire")
    copy = article(REPORT.format(extra="Analysts had expected the rise for several weeks."), "Copier")
    other = article("Shares of the national carmaker rose after it reported record profits.", "Other")
    arts = [original, copy, other]
    for kind in ("syndicated", "credited"):
        links = [CopyLink(original.id, copy.id, kind, "test")]
        claims, reports = cross_check(arts, links, FAST)
        rate = next(c for c in claims if "interest rate" in c.text)
        assert set(rate.sources) == {original.id, copy.id}
        assert rate.outlets == ("Wire",)
        assert rate.single_source
        copier = next(r for r in reports if r.outlet == "Copier")
        assert rate.id not in copier.unique_claims
    claims, _ = cross_check(arts, [], FAST)  # without the link they are two outlets
    rate = next(c for c in claims if "interest rate" in c.text)
    assert rate.outlets == ("Copier", "Wire")
    assert not rate.single_source


def test_missing_claims_are_what_most_others_report() -> None:
    base = "The bridge over the river collapsed on Sunday evening during heavy traffic."
    arts = [
        article(base + f"\n\nLocal note number {i} about the weather and the traffic lights.", f"O{i}")
        for i in range(3)
    ]
    arts.append(article("The football club appointed a new coach for the coming season.", "O3"))
    claims = find_claims(arts, [], FAST)
    reports = {r.outlet: r for r in compare_outlets(arts, claims, [], FAST.crosscheck)}
    bridge = next(c for c in claims if "bridge" in c.text)
    assert bridge.outlets == ("O0", "O1", "O2")
    assert bridge.id in reports["O3"].missing_claims
    assert all(bridge.id not in reports[f"O{i}"].missing_claims for i in range(3))
    assert len(reports["O3"].unique_claims) == 1


# --------------------------------------------------------------------------- stage properties

POOL = [
    "The government announced new measures to cut energy prices on Monday.",
    "Officials said 30 people were injured in the blast at the factory.",
    "The minister resigned after weeks of pressure from her own party.",
    "“We will rebuild,” the mayor said during a visit to the damaged district.",
    "Talks between the two sides lasted four and a half hours, state media said.",
    "Опасения растут, заявили официальные лица в столице.",
    "中国外交部表示，双方将举行会谈。",
    "Police arrested three men, aged 19, 24 and 31, in connection with the attack.",
    "The storm, which hit the coast on Friday, left thousands of homes without power.",
]


def _articles(draw_sets: list[list[int]]) -> list[Article]:
    out = []
    for k, idx in enumerate(draw_sets):
        text = "\n\n".join(POOL[i] for i in idx)
        out.append(article(text, f"Outlet {k % 3}", source=f"src{k}.txt"))
    return list({a.id: a for a in out}.values())


ARTICLE_SETS = st.lists(
    st.lists(st.integers(0, len(POOL) - 1), min_size=1, max_size=5), min_size=1, max_size=4
)


@given(ARTICLE_SETS)
@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_citations_always_resolve_to_real_spans(draw_sets: list[list[int]]) -> None:
    arts = _articles(draw_sets)
    by_id = {a.id: a for a in arts}
    claims, reports = cross_check(arts, [], FAST)
    for claim in claims:
        assert claim.citations
        for c in claim.citations:
            text = by_id[c.article].text
            assert 0 <= c.span[0] < c.span[1] <= len(text)
            assert text[c.span[0] : c.span[1]].strip()
        for w in claim.wordings:
            assert by_id[w.citation.article].text[w.citation.span[0] : w.citation.span[1]] == w.text
        for k in claim.conflicts:
            for side in k.sides:
                for c in side.citations:
                    assert 0 <= c.span[0] < c.span[1] <= len(by_id[c.article].text)
    ids = {c.id for c in claims}
    for r in reports:
        assert set(r.unique_claims) <= ids
        assert set(r.missing_claims) <= ids


@given(ARTICLE_SETS, st.randoms(use_true_random=False))
@hsettings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_order_invariant_and_deterministic(draw_sets: list[list[int]], rnd: Any) -> None:
    arts = _articles(draw_sets)
    first = cross_check(arts, [], FAST)
    shuffled = list(arts)
    rnd.shuffle(shuffled)
    assert cross_check(shuffled, [], FAST) == first
    assert cross_check(arts, [], FAST) == first


def test_empty_input() -> None:
    assert cross_check([], [], FAST) == ((), ())
    assert cross_check([article("\n\n", "A")], [], FAST)[0] == ()


def test_different_dates_for_the_same_event_conflict() -> None:
    text = "The new bridge over the river was opened to traffic on {d}, the transport ministry said."
    a = article(text.format(d="20 March"), "A")
    b = article(text.format(d="March 21"), "B")
    conflicts = [k for c in find_claims([a, b], [], FAST) for k in c.conflicts]
    assert [(k.what, sorted(s.value for s in k.sides)) for k in conflicts] == [("date", ["03-20", "03-21"])]
    same = article(text.format(d="March 20"), "C")
    assert all(not c.conflicts for c in find_claims([a, same], [], FAST))


def test_resolved_times_from_facts_are_used() -> None:
    text = "Rescuers found the missing climbers alive on {d} after a long search in the mountains."
    a = article(text.format(d="Monday"), "A")
    b = article(text.format(d="Tuesday"), "B")
    times = []
    for art, day, word in ((a, 20, "Monday"), (b, 21, "Tuesday")):
        start = art.text.index(word)
        span = (start, start + len(word))
        times.append(TimeExpression(art.id, span, word, f"2023-03-{day}", "day"))
    assert all(not c.conflicts for c in find_claims([a, b], [], FAST))  # weekdays alone: no dates
    claims = find_claims([a, b], [], FAST, facts=StoryFacts(times=tuple(times)))
    conflicts = [k for c in claims for k in c.conflicts]
    assert [(k.what, sorted(s.value for s in k.sides)) for k in conflicts] == [("date", ["03-20", "03-21"])]


# --------------------------------------------------------------------------- fast paths agree with plain ones


def test_case_traps_are_the_non_ascii_characters_that_match_ascii_letters() -> None:
    from synoptic.nlp.casefold import CASE_TRAPS

    everything = "".join(map(chr, range(128, 0x110000)))
    assert set(re.findall("[a-z]", everything, re.IGNORECASE)) == CASE_TRAPS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a SIX-DAY visit", ("quantity", "day", "6")),
        ("FROM Monday TO Wednesday", ("quantity", "day", "3")),
        ("on 20 March", ("date", "date", "03-20")),
        ("in 1999", ("year", "year", "1999")),
        ("twenty-one people", ("quantity", "people", "21")),
    ],
)
def test_find_slots_prefilters_keep_every_value(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in {(s.kind, s.key, s.value) for s in find_slots(text, 0, 6)}


@pytest.mark.parametrize("text", ["on 20 ſeptember", "from monday to wedneſday", "from ſunday to Friday"])
def test_case_variants_of_month_and_weekday_names_do_not_crash(text: str) -> None:
    # case-insensitive patterns match "ſ" (long s) for "s"; such a name is no month or weekday
    assert not [s for s in find_slots(text, 0, 6) if s.kind == "date" or s.key == "day"]


@given(st.lists(st.floats(-1.0, 2.0, width=32), min_size=1, max_size=40))
def test_plain_mean_is_numpys(values: list[float]) -> None:
    import numpy as np

    from synoptic.crosscheck.claims import _mean

    row = np.array(values, dtype=np.float32)
    assert _mean(row) == float(row.mean())


def _units_with_slots(data: st.DataObject) -> list[Any]:
    from synoptic.crosscheck.units import Slot, Unit

    units = []
    n = data.draw(st.integers(1, 14))
    for i in range(n):
        article_no = data.draw(st.integers(0, 2))
        sentence = data.draw(st.integers(0, 3))
        start = sentence * 100 + data.draw(st.integers(0, 40))
        end = start + data.draw(st.integers(1, 50))
        values = data.draw(
            st.lists(
                st.tuples(st.sampled_from(["quantity", "date", "term"]), st.sampled_from("ab")), max_size=3
            )
        )
        slots = tuple(Slot(kind, "k", value, (start, end)) for kind, value in values)
        units.append(Unit(f"a{article_no}", sentence, (start, end), f"u{i}", clause=bool(i % 2), slots=slots))
    return units


@given(st.data())
@hsettings(max_examples=60, deadline=None)
def test_similarity_bonus_is_the_incidence_count(data: st.DataObject) -> None:
    import numpy as np

    from synoptic.crosscheck.claims import similarity

    units = _units_with_slots(data)
    cfg = Settings().crosscheck
    rng = np.random.default_rng(len(units))
    vectors = rng.random((len(units), 8)).astype(np.float32)
    # the plain formulation: per kind, a unit-by-value incidence matrix, shared when the product > 0
    n = len(units)
    shared = np.zeros((n, n), dtype=np.int32)
    for kind in sorted({s.kind for u in units for s in u.slots}):
        index: dict[tuple[str, str], int] = {}
        cells = [
            (i, index.setdefault((s.key, s.value), len(index)))
            for i, u in enumerate(units)
            for s in u.slots
            if s.kind == kind
        ]
        incidence = np.zeros((n, len(index)), dtype=np.int32)
        for i, k in cells:
            incidence[i, k] = 1
        shared += (incidence @ incidence.T > 0).astype(np.int32)
    expected = (vectors @ vectors.T).astype(np.float32)
    bonus = cfg.slot_bonus * np.minimum(shared, 2).astype(np.float32)
    np.fill_diagonal(bonus, 0.0)
    expected += bonus
    for i, u in enumerate(units):
        for j, v in enumerate(units):
            if u.article == v.article and u.sentence == v.sentence:
                expected[i, j] = 0.0
    np.fill_diagonal(expected, 1.0)
    assert np.array_equal(similarity(units, vectors, cfg), expected)


@given(st.data())
@hsettings(max_examples=80, deadline=None)
def test_nested_claims_dropped_as_by_a_scan_of_all_pairs(data: st.DataObject) -> None:
    import numpy as np

    from synoptic.crosscheck.claims import _drop_nested_claims, _inside

    units = _units_with_slots(data)
    n = len(units)
    groups = [
        sorted(set(g))
        for g in data.draw(st.lists(st.lists(st.integers(0, n - 1), min_size=1, max_size=4), max_size=8))
    ]
    sim = np.random.default_rng(n).random((n, n)).astype(np.float32)

    def tightness(g: list[int]) -> tuple[int, float, int]:
        mean = float(sim[np.ix_(g, g)].mean())
        return (len({units[i].article for i in g}), mean, -sum(len(units[i].text) for i in g))

    def nested(small: list[int], big: list[int]) -> bool:
        return all(
            any(units[i].article == units[j].article and _inside(units[i].span, units[j].span) for j in big)
            for i in small
        )

    dropped: set[int] = set()
    for x in range(len(groups)):
        for y in range(x + 1, len(groups)):
            if (
                x not in dropped
                and y not in dropped
                and (nested(groups[x], groups[y]) or nested(groups[y], groups[x]))
            ):
                dropped.add(y if tightness(groups[x]) >= tightness(groups[y]) else x)
    expected = [g for k, g in enumerate(groups) if k not in dropped]
    assert _drop_nested_claims(groups, units, sim) == expected


@given(st.integers(2, 14), st.integers(0, 10_000), st.sampled_from([0.3, 0.5, 0.625, 0.66]))
@hsettings(max_examples=150, deadline=None)
def test_average_linkage_cut_is_scipys_fcluster(n: int, seed: int, threshold: float) -> None:
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    from synoptic.crosscheck.claims import _average_linkage

    rng = np.random.default_rng(seed)
    sim = (rng.integers(0, 9, size=(n, n)) / 8).astype(np.float32)  # eighths: ties at the cut
    sim = np.maximum(sim, sim.T)
    np.fill_diagonal(sim, 1.0)
    dist = np.clip(1.0 - sim.astype(np.float64), 0.0, 2.0)
    np.fill_diagonal(dist, 0.0)
    labels = fcluster(
        linkage(squareform(dist, checks=False), method="average"), t=1.0 - threshold, criterion="distance"
    )
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), []).append(i)
    assert _average_linkage(sim, threshold) == sorted(groups.values(), key=lambda g: g[0])


@given(st.integers(1, 30), st.integers(0, 10_000))
@hsettings(max_examples=40, deadline=None)
def test_condensed_distances_are_those_of_whole_matrix_arithmetic(n: int, seed: int) -> None:
    import numpy as np
    from scipy.spatial.distance import squareform

    from synoptic.hierarchy import condensed_distances

    rng = np.random.default_rng(seed)
    sim = rng.uniform(-1.5, 1.2, size=(n, n)).astype(np.float32)  # not symmetric, beyond the clip
    d = np.clip(1.0 - sim.astype(np.float64), 0.0, 2.0)
    np.fill_diagonal(d, 0.0)
    expected = squareform((d + d.T) / 2, checks=False)
    assert np.array_equal(condensed_distances(sim), expected)


def test_support_memo_answers_every_pair_as_the_check_itself() -> None:
    # copies repeat sentences word for word: the checker decides such a pair once, and a sentence
    # whose dates resolve differently (other publication days) is another statement
    from synoptic.crosscheck.claims import _Checker, story_units
    from synoptic.crosscheck.support import SupportContext, support
    from synoptic.nlp.embeddings import make_embedder

    said = "Rescuers found the missing climbers alive on Monday after a long search in the mountains."
    other = "The two climbers were flown to a hospital in the valley, where doctors said both were well."
    arts = [article(f"{said} {other}", outlet) for outlet in "ABC"] + [article(f"{other} {said}", "D")]
    times = []
    for art, day in zip(arts, (20, 20, 27, 20), strict=True):
        start = art.text.index("Monday")
        times.append(TimeExpression(art.id, (start, start + 6), "Monday", f"2023-03-{day}", "day"))
    facts = StoryFacts(times=tuple(times))
    units = story_units(arts, FAST.crosscheck.for_embedder("hashing"), facts)
    vectors = make_embedder("hashing").encode([u.text for u in units])
    cosine = (vectors @ vectors.T).astype("float32")
    context = SupportContext((), (a.text for a in arts))
    checker = _Checker(units, cosine, arts, facts, FAST.support, context)
    answers = {}
    for i, a in enumerate(units):
        for j, b in enumerate(units):
            plain = support(
                context.statement(a.article, a.span, a.text, slots=a.slots),
                context.statement(b.article, b.span, b.text, slots=b.slots),
                float(cosine[i, j]),
                context,
                FAST.support,
            )
            assert checker.check(i, j) == plain
            answers[(a.text, b.text, tuple(s.value for s in a.slots + b.slots))] = plain.accepted
    # the repeated sentence supports itself in another article, not when its date differs
    assert answers[(said, said, ("03-20", "03-20"))]
    assert not answers[(said, said, ("03-20", "03-27"))]


def test_units_state_their_values_where_the_article_does(example_dir: Path) -> None:
    # a sentence's units and values are read once per text and placed in each article holding it
    from synoptic.crosscheck.units import article_units, normalise_term
    from synoptic.pipeline import read_and_clean

    arts, _ = read_and_clean(sorted(str(p) for p in example_dir.iterdir()), Settings())
    first = arts[0]
    copy = article("A lead paragraph of its own.\n\n" + first.text, "Copy")
    shared: dict[str, Any] = {}
    alone = article_units(copy, min_clause_words=4, max_term_words=6)
    assert article_units(first, min_clause_words=4, max_term_words=6, pieces=shared)
    assert article_units(copy, min_clause_words=4, max_term_words=6, pieces=shared) == alone
    units = [u for a in (*arts, copy) for u in article_units(a, min_clause_words=4, max_term_words=6)]
    assert any(u.clause and u.slots for u in units)
    texts = {a.id: a.text for a in (*arts, copy)}
    for u in units:
        assert texts[u.article][u.span[0] : u.span[1]] == u.text
        for slot in u.slots:
            assert u.span[0] <= slot.span[0] < slot.span[1] <= u.span[1]
            if slot.kind == "term":
                assert slot.value in normalise_term(texts[u.article][slot.span[0] : slot.span[1]])


def test_the_cosine_matrix_of_sparse_vectors_is_the_dense_product() -> None:
    import numpy as np

    from synoptic.crosscheck.claims import cosine_matrix
    from synoptic.nlp.embeddings import HashingEmbedder

    texts = [f"Outlet {k} says the summit in Moscow ended with {k % 7} agreements signed" for k in range(700)]
    vectors = HashingEmbedder().encode(texts)
    assert np.count_nonzero(vectors) * 10 <= vectors.size  # the sparse path, over two row blocks
    np.testing.assert_allclose(cosine_matrix(vectors), vectors @ vectors.T, atol=1e-6)
    dense = np.random.default_rng(3).random((40, 16), dtype=np.float32)
    np.testing.assert_allclose(cosine_matrix(dense), dense @ dense.T, rtol=1e-6)


def test_repeated_texts_are_encoded_once_and_get_the_whole_products_cosines() -> None:
    from synoptic.crosscheck.claims import cosine_matrix, text_cosines
    from synoptic.nlp.embeddings import HashingEmbedder

    distinct = [
        f"Outlet {k} says the summit in Moscow ended with {k % 7} agreements signed" for k in range(300)
    ]
    texts = [distinct[(k * 37) % 300] for k in range(900)]  # each text three times, scattered
    encoded: list[int] = []

    class Counting(HashingEmbedder):
        def encode(self, texts):  # type: ignore[no-untyped-def]
            encoded.append(len(texts))
            return super().encode(texts)

    vectors, cosines = text_cosines(texts, Counting())
    assert encoded == [300]
    whole = HashingEmbedder().encode(texts)
    assert (vectors == whole).all()
    assert (cosines == cosine_matrix(whole)).all()  # bitwise: the sparse product, row by row


@given(st.lists(st.lists(st.integers(0, 29), min_size=2, max_size=12, unique=True), max_size=8))
def test_units_sharing_values_of_a_kind_count_once_by_either_way(groups: list[list[int]]) -> None:
    import numpy as np

    from synoptic.crosscheck.claims import _count_kind

    # 30 units: a pair matrix when the groups hold more than an eighth of the pairs; 300: a list
    for n in (30, 300):
        expected = np.zeros((n, n), dtype=np.int8)
        for g in groups:
            expected[np.ix_(g, g)] = 1
        counted = np.ones((n, n), dtype=np.int8)  # added to what is there
        _count_kind(counted, groups)
        assert (counted == expected + 1).all()


# --------------------------------------------------------------------------- one-article stories

TRIALS = (
    "Researchers trained rats on two challenges to test the effect of THC. "
    "Choosing the easy challenge turned on a light for one second, which the rats could easily detect "
    "and respond to by poking it with their nose, earning one sugar pellet as a reward. "
    "In the more difficult challenge, the light turned on for only 0.2 seconds, rewarding the rat with "
    "two sugar pellets if they responded with a nose poke. "
    "The team found that rats given THC chose the easy challenge more often."
)


def test_a_one_article_story_keeps_two_facts_of_the_article_apart() -> None:
    # MiniLM puts the two trials at 0.8 and merged them as a repeat: one claim citing both
    from synoptic.dossier import build_dossier
    from synoptic.records import Story

    lone = article(TRIALS, "Science Daily")
    dossier = build_dossier(Story(id="s1", articles=(lone.id,)), [lone], [], Settings())
    easy, hard = (c for c in dossier.claims if "challenge" in c.text and "light" in c.text)
    assert len(easy.citations) == len(hard.citations) == 1
    assert "one second" in easy.text
    assert "0.2 seconds" in hard.text


class _Counting:
    """The hashing embedder under MiniLM's name, counting the texts it is given."""

    name, dim = "minilm", 1024

    def __init__(self) -> None:
        from synoptic.nlp.embeddings import HashingEmbedder

        self.inner, self.texts = HashingEmbedder(), []

    def encode(self, texts: Any) -> Any:
        self.texts += list(texts)
        return self.inner.encode(texts)


def test_only_stories_of_several_articles_are_given_to_the_runs_sentence_encoder() -> None:
    from synoptic.config import DossierSettings
    from synoptic.dossier import build_read_dossiers, read_story
    from synoptic.records import Story

    lone = article(TRIALS, "Science Daily")
    pair = [article("Xi Jinping arrived in Moscow on Monday for talks with Vladimir Putin.", o) for o in "AB"]
    stories = [Story(id="s1", articles=(lone.id,)), Story(id="s2", articles=tuple(a.id for a in pair))]
    settings = Settings().with_section(dossier=DossierSettings(facts=False))
    run = _Counting()
    lone_dossier, pair_dossier = build_read_dossiers(
        [read_story(s, [lone, *pair], [], settings) for s in stories], settings, run
    )
    assert run.texts
    assert not any(t in TRIALS for t in run.texts)
    assert len(lone_dossier.claims) == 4
    assert len(pair_dossier.claims[0].citations) == 2
