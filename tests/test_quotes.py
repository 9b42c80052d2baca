"""Quote attribution: seed gold, cue patterns, the eval adapter, a PolNeAR quality gate, edge cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from synoptic.cli import main
from synoptic.config import DossierSettings
from synoptic.eval import reference_score
from synoptic.eval.quotes import join_pieces, prediction
from synoptic.nlp.entities import parse_articles, resolve_entities
from synoptic.quotes import (
    CUE_FACTOR,
    SHAPE_FACTOR,
    SPEAKER_FACTOR,
    cue_class,
    find_quotes,
    marks_text,
    one_per_statement,
    quotation_spans,
    quote_confidence,
    without_relays,
)
from synoptic.records import Article, Entity, Mention, Quote, article_id

SHOWN = DossierSettings().show_threshold
SEED_SHOWN_FLOOR = 19
"""Seed gold quotes found with their speaker and shown by default: 21 of 22 today (Wang Yi's
"vowed to “continue …”" is an infinitive of an intention verb, below the threshold)."""

POLNEAR_ITEMS = 25
E2E_FLOOR = 0.47
CONTENT_FLOOR = 0.56
"""On the first 25 PolNeAR dev articles the system scores content F1 0.621 and end-to-end F1 0.533
(0.594 / 0.521 on all 924, bench/results/quotes.md); the floors sit about 0.05 below."""


def _article(text: str) -> Article:
    return Article(id=article_id(text or "empty"), source="t.txt", text=text)


def _quotes(text: str) -> tuple[Quote, ...]:
    article = _article(text)
    return find_quotes([article], resolve_entities([article]), link=False)


def _one(text: str, content: str) -> Quote:
    found = [q for q in _quotes(text) if content in q.content]
    assert found, (content, _quotes(text))
    return found[0]


def _gold_span(article: Article, content: str) -> tuple[int, int]:
    pos = article.text.replace("’", "'").find(content.replace("’", "'"))
    assert pos >= 0, content
    return pos, pos + len(content)


def _covers(q: Quote, span: tuple[int, int]) -> bool:
    overlap = min(q.content_span[1], span[1]) - max(q.content_span[0], span[0])
    return overlap >= 0.8 * (span[1] - span[0])


# --------------------------------------------------------------------------- seed gold


@pytest.mark.slow
@pytest.mark.eval
def test_seed_quotes_found_with_their_speaker(seed_gold: dict[str, Any], seed_story: dict[str, Any]) -> None:
    quotes: tuple[Quote, ...] = seed_story["quotes"]
    right = []
    for gold in seed_gold["quotes"]:
        article = seed_story["articles"][gold["article"]]
        span = _gold_span(article, gold["content"])
        if any(q.article == article.id and _covers(q, span) and q.speaker == gold["speaker"] for q in quotes):
            right.append(gold["content"])
    missed = [g["content"] for g in seed_gold["quotes"] if g["content"] not in right]
    assert len(right) >= 20, missed


@pytest.mark.slow
@pytest.mark.eval
def test_seed_statement_linked_across_outlets(seed_gold: dict[str, Any], seed_story: dict[str, Any]) -> None:
    quotes: tuple[Quote, ...] = seed_story["quotes"]
    for same in seed_gold["same_quote_across_outlets"]:
        statements = []
        for gold in seed_gold["quotes"]:
            if (
                gold["speaker"] == same["speaker"]
                and gold["article"] in same["articles"]
                and "same_as" in gold
            ):
                article = seed_story["articles"][gold["article"]]
                span = _gold_span(article, gold["content"])
                ids = {q.statement for q in quotes if q.article == article.id and _covers(q, span)}
                statements.append(ids)
        assert len(statements) == len(same["articles"])
        assert set.intersection(*statements) - {None}, statements
    # different statements of one speaker stay apart: not every Wang Wenbin quote shares one id
    wang = [q for q in quotes if q.speaker == "Wang Wenbin"]
    assert len({q.statement for q in wang}) > 1


@pytest.mark.slow
def test_seed_quote_spans_resolve(seed_story: dict[str, Any]) -> None:
    by_id = {a.id: a for a in seed_story["articles"].values()}
    entity_ids = {e.id: e for e in seed_story["entities"]}
    for q in seed_story["quotes"]:
        text = by_id[q.article].text
        assert text[q.content_span[0] : q.content_span[1]] == q.content
        assert q.cue_span is None or text[q.cue_span[0] : q.cue_span[1]] == q.cue
        if q.entity is not None:
            assert entity_ids[q.entity].name == q.speaker
        assert q.statement is not None


@pytest.mark.slow
def test_seed_quotes_are_deterministic_and_order_invariant(seed_story: dict[str, Any]) -> None:
    articles = list(seed_story["articles"].values())
    again = find_quotes(articles[::-1], seed_story["entities"], parsed=seed_story["parsed"])
    assert set(again) == set(seed_story["quotes"])


# --------------------------------------------------------------------------- cue patterns


def test_quotation_spans() -> None:
    text = "“We will win,” he said. “It is “hard”, but true."
    spans = quotation_spans(text)
    assert text[spans[0][0] : spans[0][1]] == "“We will win,”"
    assert quotation_spans('She said "no" and "I will not go."') == [(9, 13), (18, 34)]
    assert quotation_spans("“An open quote runs to the end") == [(0, 30)]
    assert quotation_spans("No quotes here.") == []
    assert quotation_spans('Mixed “marks" close too.') == [(6, 13)]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "content", "speaker", "direct"),
    [
        (
            "“China should not provide lethal aid to Russia,” Stoltenberg said.",
            "China should not provide",
            "Stoltenberg",
            True,
        ),
        ('"We are ready," said Foreign Minister Anna Smith.', "We are ready", "Anna Smith", True),
        (
            "The Kremlin said the talks would continue next week.",
            "the talks would continue",
            "Kremlin",
            False,
        ),
        (
            "Officials warned that the dam could fail within days.",
            "that the dam could fail",
            "Officials",
            False,
        ),
        ("According to the report, the economy shrank by 2%.", "the economy shrank", "report", False),
        (
            "The minister urged Ukraine and Russia to restart peace talks.",
            "Ukraine and Russia to restart",
            "minister",
            False,
        ),
        (
            "Mr Xi described the two countries as “good neighbours and reliable partners”.",
            "good neighbours",
            "Xi",
            True,
        ),
        ("The economy, the governor said, will recover next year.", "The economy", "governor", False),
    ],
)
def test_cue_patterns(text: str, content: str, speaker: str, direct: bool) -> None:
    q = _one(text, content)
    assert speaker in q.speaker
    assert q.direct is direct
    assert q.cue_span is not None


@pytest.mark.slow
def test_pronoun_speaker_goes_to_the_previous_subject() -> None:
    text = (
        "In February, Mr Zelensky said he wanted to speak to Mr Xi.\n\n"
        "“I really want to believe that China will not supply weapons to Russia,” he said."
    )
    q = _one(text, "I really want to believe")
    assert q.speaker == "Zelensky"
    assert q.speaker_span is not None
    assert text[q.speaker_span[0] : q.speaker_span[1]] == "he"


@pytest.mark.slow
def test_colon_paragraph_and_continued_quotes() -> None:
    text = (
        "Ukraine's Foreign Minister Dmytro Kuleba said his president was ready to talk.\n\n"
        "He added: “Russia was looking for a different position of China. Russia did not get what it wants.”"
    )
    q = _one(text, "Russia was looking for")
    assert q.speaker == "Dmytro Kuleba"
    assert q.content.endswith("what it wants.")


def test_join_pieces_of_one_quotation() -> None:
    text = "“This is in their heads,” said Caddell. “It is one of the things worrying them.”"
    a = Quote("x", "Caddell", "This is in their heads,", (1, 24), True)
    b = Quote("x", "Caddell", "It is one of the things worrying them.", (41, 79), True)
    c = Quote("x", "Someone", "other", (41, 79), True)
    assert [q.content_span for q in join_pieces([a, b], text)] == [(1, 79)]
    assert len(join_pieces([a, c], text)) == 2


# --------------------------------------------------------------------------- confidence (issue 12)


def _shown(text: str) -> list[Quote]:
    return [q for q in _quotes(text) if q.confidence >= SHOWN]


def test_confidence_factors_rank_the_features() -> None:
    best = quote_confidence("speech", "entity", "clause", "ccomp")
    assert best >= SHOWN
    # every weaker value of one feature lowers it, and none of these is shown with a speech verb
    for cue in ("act", "cognition", "naming"):
        assert quote_confidence(cue, "entity", "clause", "ccomp") < SHOWN
    for speaker in ("noun", "other", "unknown"):
        assert quote_confidence("speech", speaker, "clause", "ccomp") < SHOWN
    assert quote_confidence("speech", "entity", "fragment", "object-act") < SHOWN
    for table in (CUE_FACTOR, SPEAKER_FACTOR, SHAPE_FACTOR):
        assert all(0.0 <= v <= 1.0 for v in table.values())
    assert cue_class("say", "ccomp") == "speech"
    assert cue_class("according", "according") == "speech"
    for verb in ("refuse", "deny", "condemn", "cite", "accuse", "welcome", "seek", "decline", "blame"):
        assert cue_class(verb, "object-act") == "act", verb


@pytest.mark.slow
def test_pronoun_speaker_resolved_is_confident() -> None:
    text = (
        "Foreign Minister Dmytro Kuleba met reporters in Kyiv on Monday.\n\n"
        "He said the talks with Beijing had been useful and would continue next month."
    )
    q = _one(text, "the talks with Beijing")
    assert q.speaker == "Dmytro Kuleba"
    assert q.entity is not None
    assert q.confidence >= SHOWN


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "China refused to condemn the Russian invasion of Ukraine last year.",
        "Beijing has denied the allegations made by the two governments.",
        "Vladimir Putin welcomed Xi Jinping to the Kremlin on Monday afternoon.",
        "AFP reported the meeting, citing Russian news agencies and officials.",
        "A spokesman for the company, John Smith, declined to comment on the report.",
        "Russia blamed NATO for provoking the conflict in eastern Ukraine.",
    ],
)
def test_non_speech_verbs_are_not_confident(text: str) -> None:
    assert _shown(text) == [], _quotes(text)


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "The project seeks to extend Beijing's influence through economic cooperation.",
        "The visit confirmed that the war in Ukraine will be an essential part of the talks.",
        "China's refusal to acknowledge the nature of the conflict has angered Kyiv.",
        "They said the plan would not work without Washington.",
        "Two said the plan would not work without Washington.",
    ],
)
def test_non_speakers_are_not_confident(text: str) -> None:
    assert _shown(text) == [], _quotes(text)


@pytest.mark.slow
def test_reported_by_and_according_to_name_the_speaker() -> None:
    text = (
        "Putin on Monday told Chinese President Xi Jinping that he had looked at China's proposals "
        "with respect, reported Reuters.\n\n"
        "The talks lasted four and a half hours, reported Reuters.\n\n"
        "The two leaders will meet again on Tuesday, according to Kremlin spokesman Dmitry Peskov."
    )
    reuters = _one(text, "The talks lasted four and a half hours")
    assert reuters.speaker == "Reuters", _quotes(text)
    assert reuters.confidence >= SHOWN
    # what Reuters relays from Putin, named inside it, is Putin's quote alone (without_relays)
    relayed = {q.speaker for q in _shown(text) if "China's proposals" in q.content}
    assert relayed == {"Putin"}, _quotes(text)
    peskov = _one(text, "The two leaders will meet again")
    assert peskov.speaker == "Dmitry Peskov"
    assert peskov.confidence >= SHOWN


@pytest.mark.slow
def test_name_role_said_and_a_lost_subject() -> None:
    text = (
        "As reported by the news agency ANI, Oleg Nikolenko, spokesperson for the Ukrainian foreign "
        "ministry, has stated that Ukraine is counting on China to use its influence."
    )
    q = _one(text, "Ukraine is counting on China")
    assert q.speaker == "Oleg Nikolenko"
    assert q.confidence >= SHOWN


@pytest.mark.slow
def test_two_cues_of_one_statement_give_one_quote() -> None:
    text = (
        "A spokesman, Wang Wenbin, said the visit would increase the “mutual trust and understanding” "
        "between the two countries, which he said had “established a new paradigm for relations.”"
    )
    quotes = [q for q in _quotes(text) if "new paradigm" in q.content]
    assert len(quotes) == 1, quotes
    assert quotes[0].speaker == "Wang Wenbin"


def test_one_per_statement_keeps_the_confident_one() -> None:
    a = Quote("x", "Wang Wenbin", "the visit would help", (10, 30), False, entity="e1", confidence=0.95)
    b = Quote("x", "Wang Wenbin", "would help", (20, 30), False, entity="e1", confidence=0.85)
    c = Quote("x", "Hua Chunying", "would help", (20, 30), False, entity="e2", confidence=0.85)
    again = Quote(
        "x", "Wang Wenbin", "The visit would help the two countries.", (90, 129), False, entity="e1"
    )
    first = Quote("x", "Wang Wenbin", "the visit would help the two countries", (40, 78), False, entity="e1")
    assert one_per_statement([b, a, c]) == [a, c]
    assert len(one_per_statement([first, again])) == 1


def test_an_agency_relaying_a_named_speakers_words_is_not_a_second_speaker() -> None:
    # Mint: "Reuters reported Putin on Monday told Chinese President Xi Jinping that he had
    # looked at China's proposals": the words are Putin's, a quote of their own
    text = "Reuters reported Putin on Monday told Xi that he had looked at China's proposals."
    relayed = Quote("x", "Reuters", text[17:-1], (17, len(text) - 1), False, speaker_span=(0, 7))
    inner = Quote("x", "Vladimir Putin", text[38:-1], (38, len(text) - 1), False, speaker_span=(17, 22))
    assert without_relays([relayed, inner]) == [inner]
    # an agency's own report stays, and so does a person who names another inside his words
    alone = Quote("x", "Reuters", "the talks ended", (17, 32), False, speaker_span=(0, 7))
    person = Quote("x", "Dmitry Peskov", text[17:-1], (17, len(text) - 1), False, speaker_span=(0, 7))
    assert without_relays([alone, inner]) == [alone, inner]
    assert without_relays([person, inner]) == [person, inner]


@pytest.mark.slow
def test_people_sharing_a_token_are_not_merged() -> None:
    # "Romano" is Romano Prodi's first name and (here) a historian's surname: two people
    texts = [
        "Former Italian prime minister Romano Prodi said Europe must talk to Beijing.",
        "Romano, a historian and former ambassador to Moscow, said the talks had failed. "
        "“Nobody listened,” Romano said.",
    ]
    articles = [Article(id=article_id(t), source=f"{i}.txt", text=t) for i, t in enumerate(texts)]
    parsed = parse_articles(articles)
    entities = resolve_entities(articles, parsed)
    prodi = [e for e in entities if e.name == "Romano Prodi"]
    assert len(prodi) == 1
    assert {m.article for m in prodi[0].mentions} == {articles[0].id}
    quotes = find_quotes(articles, entities, parsed=parsed, link=False)
    assert {q.speaker for q in quotes if q.article == articles[1].id} == {"Romano"}


@pytest.mark.slow
def test_speaker_name_is_not_taken_from_a_possessor_or_a_relative_clause() -> None:
    text = "Prodi, a friend of Sergio Romano, said the talks had failed. Mr Xi's visit suggested it was over."
    article = _article(text)
    start = text.index("Sergio Romano")
    romano = Entity(
        "e-romano",
        "Sergio Romano",
        "person",
        mentions=(Mention(article.id, (start, start + 13), "Sergio Romano", "PERSON"),),
    )
    xi_at = text.index("Xi")
    xi = Entity(
        "e-xi", "Xi Jinping", "person", mentions=(Mention(article.id, (xi_at, xi_at + 2), "Xi", "PERSON"),)
    )
    quotes = find_quotes([article], [romano, xi], link=False)
    failed = [q for q in quotes if "the talks had failed" in q.content]
    assert failed, quotes
    assert failed[0].entity is None, quotes
    assert failed[0].speaker == "Prodi", quotes
    assert all(q.entity != "e-xi" for q in quotes), quotes


def test_doubled_apostrophes_are_quotation_marks() -> None:
    text = "''We will win,'' he said."
    assert len(marks_text(text)) == len(text)
    spans = quotation_spans(marks_text(text))
    assert spans
    assert text[spans[0][0] + 2 : spans[0][1] - 1].startswith("We will win")


def test_eval_prediction_carries_confidence_and_shown() -> None:
    sure = Quote("x", "Kuleba", "Russia did not get what it wants", (0, 32), True, confidence=0.95)
    unsure = Quote("x", "project", "to extend influence", (40, 59), False, confidence=0.04)
    rows = prediction([sure, unsure])
    assert [(r["confidence"], r["shown"]) for r in rows] == [(0.95, True), (0.04, False)]
    assert [r["speaker"] for r in prediction([sure, unsure], shown_only=True)] == ["Kuleba"]


@pytest.mark.slow
@pytest.mark.eval
def test_seed_gold_quotes_are_shown(seed_gold: dict[str, Any], seed_story: dict[str, Any]) -> None:
    quotes: tuple[Quote, ...] = seed_story["quotes"]
    assert all(0.0 <= q.confidence <= 1.0 for q in quotes)
    shown = []
    for gold in seed_gold["quotes"]:
        article = seed_story["articles"][gold["article"]]
        span = _gold_span(article, gold["content"])
        if any(
            q.article == article.id
            and _covers(q, span)
            and q.speaker == gold["speaker"]
            and q.confidence >= SHOWN
            for q in quotes
        ):
            shown.append(gold["content"])
    assert len(shown) >= SEED_SHOWN_FLOOR, [
        g["content"] for g in seed_gold["quotes"] if g["content"] not in shown
    ]


# --------------------------------------------------------------------------- edges


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "",
        "The river rose overnight and the bridge was closed to traffic.",
        "„Wir schaffen das“, sagte die Kanzlerin am Montag in Berlin.",
        "“我们准备好了，”外交部发言人说。",
        "“",
    ],
)
def test_edge_inputs(text: str) -> None:
    quotes = _quotes(text)
    for q in quotes:
        assert text[q.content_span[0] : q.content_span[1]] == q.content
    if text in ("", "The river rose overnight and the bridge was closed to traffic."):
        assert quotes == ()


def test_no_articles_no_quotes() -> None:
    assert find_quotes([], []) == ()


# --------------------------------------------------------------------------- quality gate


@pytest.mark.slow
@pytest.mark.eval
def test_polnear_quality_gate(eval_dir: Path, tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    with (eval_dir / "quotes" / "polnear_dev.jsonl").open(encoding="utf-8") as fh:
        gold.write_text("".join(next(fh) for _ in range(POLNEAR_ITEMS)), encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    assert main(["eval", "quotes", "--data", str(gold), "--out", str(pred), "-q"]) == 0
    result = reference_score(eval_dir / "score.py", "quotes", gold, pred, timeout=300)
    assert result["missing"] == 0
    assert result["content_f1"] >= CONTENT_FLOOR, result
    assert result["e2e_f1"] >= E2E_FLOOR, result


def test_quote_settings_are_validated() -> None:
    from synoptic.config import QuoteSettings, Settings
    from synoptic.errors import UsageError

    with pytest.raises(UsageError, match="link_similarity"):
        Settings().with_section(quotes=QuoteSettings(link_similarity=1.5))
    assert Settings().validate().quotes.link_similarity == QuoteSettings().link_similarity


def test_eval_quotes_missing_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["eval", "quotes", "--data", str(tmp_path / "none.jsonl"), "--out", str(tmp_path / "p.jsonl")]
    assert main(args) != 0
    err = capsys.readouterr().err
    assert "E040" in err
    assert "Traceback" not in err


def test_eval_quotes_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text('{"id": "a"}\n', encoding="utf-8")
    assert main(["eval", "quotes", "--data", str(data), "--out", str(tmp_path / "p.jsonl")]) != 0
    assert "E009" in capsys.readouterr().err


def test_a_straight_mark_closing_a_curly_quotation_inside_the_content_is_kept() -> None:
    from synoptic.quotes import _trim

    text = 'stating that they could be “one-sided and reflect only the Russian perspective."'
    s = text.index("that")
    assert text[slice(*_trim(text, (s, len(text))))].endswith('perspective."')
    # a straight mark closing a quotation opened before the content is still left out
    text = 'He called it "a plan that is dead" today'
    s = text.index("a plan")
    assert text[slice(*_trim(text, (s, text.index(" today"))))] == "a plan that is dead"
