"""The extractive summary: citations resolve by construction, budget, coverage of the seed story,
determinism, order invariance, claims/timeline/query inputs, and a ROUGE floor on a dev slice."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synoptic.config import Settings, SummarySettings
from synoptic.eval import reference_score
from synoptic.eval.mds import document_article, protocol_settings, protocol_words
from synoptic.nlp.sentences import split_sentences
from synoptic.pipeline import read_and_clean
from synoptic.records import Article, Citation, Claim, CopyLink, Event, SummarySentence, article_id
from synoptic.summarize import summarize, word_count

PARAMS = SummarySettings()


def make(text: str, source: str = "t.txt", published: dt.datetime | None = None) -> Article:
    from synoptic.records import PublishedDate

    return Article(
        id=article_id(text),
        source=source,
        text=text,
        published=PublishedDate(published) if published else None,
    )


def assert_resolves(summary: tuple[SummarySentence, ...], articles: list[Article]) -> None:
    by_id = {a.id: a for a in articles}
    for sentence in summary:
        assert sentence.citations, "every summary sentence cites its source"
        own = sentence.citations[0]
        assert by_id[own.article].text[own.span[0] : own.span[1]] == sentence.text
        for c in sentence.citations:
            spans = {s.span for s in split_sentences(by_id[c.article])}
            assert c.span in spans, "a citation is always a sentence span of a real article"


@pytest.fixture(scope="module")
def seeds(example_dir: Path) -> list[Article]:
    articles, failures = read_and_clean([str(example_dir)], Settings())
    assert not failures
    return articles


@pytest.fixture(scope="module")
def seed_summary(seeds: list[Article]) -> tuple[SummarySentence, ...]:
    return summarize(seeds, PARAMS)


def test_seed_summary_cites_real_spans_within_budget(
    seeds: list[Article], seed_summary: tuple[SummarySentence, ...]
) -> None:
    assert seed_summary
    assert_resolves(seed_summary, seeds)
    assert sum(word_count(s.text) for s in seed_summary) <= PARAMS.budget_words
    outlets = {c.article for s in seed_summary for c in s.citations}
    assert len(outlets) >= 3, "a multi-outlet story is summarised from several outlets"


def test_seed_summary_covers_the_main_facts(seed_summary: tuple[SummarySentence, ...]) -> None:
    text = " ".join(s.text for s in seed_summary)
    assert re.search(r"Monday to Wednesday|three-day|20 ?(?:-|to) ?22 March", text), "the visit's dates"
    assert re.search(r"invit\w+ (?:Russian President )?(?:Vladimir )?Putin to (?:visit )?China", text)
    assert re.search(r"peace (?:plan|proposal|talks)|proposals for a resolution", text)
    assert re.search(r"\b(?:ICC|International Criminal Court)\b.*warrant|warrant.*\bICC\b", text)


def test_seed_summary_is_neutral(seed_summary: tuple[SummarySentence, ...]) -> None:
    for s in seed_summary:
        assert not s.text.rstrip().endswith("?")
        assert not re.match(r"(?:He|She|They|It|This|But|However)\b", s.text)


def test_empty_and_zero_budget() -> None:
    assert summarize([], PARAMS) == ()
    one = make("The council approved the new budget on Tuesday after a long debate.")
    assert summarize([one], PARAMS, budget_words=0) == ()
    assert summarize([make("")], PARAMS) == ()


def test_one_article_in_article_order() -> None:
    paragraphs = [
        "The city council approved a budget of 3 million dollars for new bridges on Tuesday.",
        "The vote was seven to two after a debate that lasted most of the evening.",
        "Residents had asked for repairs to the river crossings for several years already.",
    ]
    article = make("\n\n".join(paragraphs))
    short = summarize([article], PARAMS, budget_words=20)
    assert len(short) == 1
    assert short[0].text in paragraphs
    assert short[0].citations == (
        Citation(
            article.id,
            (article.text.index(short[0].text), article.text.index(short[0].text) + len(short[0].text)),
        ),
    )
    whole = summarize([article], PARAMS, budget_words=100)
    assert [s.text for s in whole] == paragraphs


def test_deterministic_and_order_invariant(seeds: list[Article]) -> None:
    a = summarize(seeds, PARAMS, budget_words=120)
    b = summarize(list(reversed(seeds)), PARAMS, budget_words=120)
    c = summarize(seeds[2:] + seeds[:2], PARAMS, budget_words=120)
    assert a == b == c


def test_copies_count_once(seeds: list[Article]) -> None:
    copy = dataclasses.replace(seeds[0], id="copy-of-0", source="copy.txt")
    links = [CopyLink(seeds[0].id, copy.id, "duplicate", "same text")]
    with_copy = summarize([*seeds, copy], PARAMS, copies=links)
    for s in with_copy:  # never both the original and its copy as corroboration of one sentence
        arts = {c.article for c in s.citations}
        assert not {seeds[0].id, copy.id} <= arts


def test_claims_drive_corroboration_and_citations(seeds: list[Article]) -> None:
    # a claim that cites one sentence in each of three articles, and one bogus span
    sentences = {a.id: split_sentences(a) for a in seeds}
    targets = [next(s for s in sentences[a.id] if word_count(s.text) > 8) for a in seeds[:3]]
    claim = Claim(
        id="c1",
        text=targets[0].text,
        citations=(
            *(Citation(s.article, s.span) for s in targets),
            Citation(seeds[3].id, (10**6, 10**6 + 5)),
        ),
        outlets=("a", "b", "c"),
        single_source=False,
    )
    summary = summarize(seeds, PARAMS, claims=[claim], budget_words=300)
    assert_resolves(summary, seeds)
    chosen = {s.citations[0].span for s in summary}
    assert any(t.span in chosen for t in targets)


def test_timeline_orders_dated_sentences() -> None:
    first = make(
        "Officials opened the new harbour bridge to traffic on Friday morning.\n\n"
        "Engineers began building the bridge foundations in early spring two years ago.",
        "a.txt",
    )
    sentences = split_sentences(first)
    timeline = [
        Event(
            dt.date(2021, 4, 1),
            dt.date(2021, 4, 1),
            "day",
            "foundations",
            (Citation(first.id, sentences[1].span),),
        ),
        Event(
            dt.date(2023, 5, 5),
            dt.date(2023, 5, 5),
            "day",
            "opening",
            (Citation(first.id, sentences[0].span),),
        ),
    ]
    summary = summarize([first], PARAMS, timeline=timeline, budget_words=100)
    assert [s.text for s in summary] == [sentences[1].text, sentences[0].text]


def test_query_boosts_relevant_sentences() -> None:
    text = (
        "The regional government announced a new transport plan for the coming decade on Monday.\n\n"
        "The plan also includes money for rural hospitals and for training more nurses in the region."
    )
    article = make(text)
    transport = summarize([article], PARAMS, budget_words=18, query="transport plan for the next decade")
    health = summarize([article], PARAMS, budget_words=18, query="hospitals nurses health care funding")
    assert transport[0].text.startswith("The regional government")
    assert health[0].text.startswith("The plan also includes money for rural hospitals")


def test_overflow_only_when_asked() -> None:
    text = (
        "The river flooded three villages in the north of the province after days of heavy rain.\n\n"
        "Rescue teams evacuated more than two hundred people from their homes by boat overnight."
    )
    article = make(text)
    within = summarize([article], PARAMS, budget_words=20)
    assert sum(word_count(s.text) for s in within) <= 20
    over = summarize([article], dataclasses.replace(PARAMS, overflow=True), budget_words=20)
    assert len(over) == 2
    assert sum(word_count(s.text) for s in over) > 20


WORDS = st.sampled_from(
    "the council vote bridge river police minister said on Monday city new plan report court "
    "judge China Russia talks visit peace war aid 2023 three people border trade deal".split()
)
SENTENCE = st.lists(WORDS, min_size=3, max_size=18).map(lambda ws: " ".join(ws).capitalize() + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map(" ".join)
ARTICLE = st.lists(PARAGRAPH, min_size=1, max_size=5).map("\n\n".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(ARTICLE, min_size=1, max_size=4), st.integers(min_value=0, max_value=120), st.booleans())
def test_citations_always_resolve(texts: list[str], budget: int, overflow: bool) -> None:
    articles = [make(t, f"{n}.txt") for n, t in enumerate(texts)]
    params = dataclasses.replace(PARAMS, min_sentence_words=1, overflow=overflow)
    summary = summarize(articles, params, budget_words=budget)
    assert_resolves(summary, articles)
    if not overflow:
        assert sum(word_count(s.text) for s in summary) <= budget


def test_multinews_document_articles() -> None:
    raw = "Headline Here \n \n First paragraph of the story. \n \n Second one."
    article = document_article(raw, "x#doc0", titled=False)
    assert article.paragraphs == ["Headline Here", "First paragraph of the story.", "Second one."]
    titled = document_article("Title line\n\nBody text here.", "y#doc0", titled=True)
    assert titled.title == "Title line"
    assert titled.text == "Body text here."
    assert protocol_words(Path("multinews_dev.jsonl")) == 300
    assert protocol_words(Path("neus_test.jsonl")) == 65
    assert protocol_words(Path("duc2006.jsonl")) == 250
    assert protocol_settings(Path("neus_dev.jsonl"), PARAMS).weights != PARAMS.weights
    assert protocol_settings(Path("multinews_dev.jsonl"), PARAMS).overflow


MULTINEWS_SLICE = 40
MULTINEWS_R1_FLOOR = 45.0
"""On the first 40 dev clusters the summarizer scores ROUGE-1 46.9 (Lead: 45.2 on the same slice);
the floor leaves room for small changes and fails on a real regression."""


@pytest.mark.eval
def test_multinews_quality_gate(eval_dir: Path, tmp_path: Path) -> None:
    items = (eval_dir / "mds" / "multinews_dev.jsonl").read_text(encoding="utf-8").splitlines()
    data = tmp_path / "multinews_slice.jsonl"
    data.write_text("\n".join(items[:MULTINEWS_SLICE]) + "\n", encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    from synoptic.eval.mds import run

    result = run(data, pred, Settings())
    assert result.clusters == MULTINEWS_SLICE
    scores = reference_score(eval_dir / "score.py", "mds", data, pred)
    assert scores["rouge1"] >= MULTINEWS_R1_FLOOR, scores


def test_eval_mds_command(tmp_path: Path) -> None:
    from synoptic.cli import main
    from synoptic.errors import ExitCode

    docs = [
        "Storm closes port \n \n A storm closed the port of Hamburg on Sunday, stopping all ships. \n \n "
        "Officials said the port would reopen on Tuesday if the wind eased.",
        "The port of Hamburg was shut on Sunday as a storm hit the coast of northern Germany.",
    ]
    data = tmp_path / "duc_sample.jsonl"
    rows = [
        {"id": "a", "documents": docs, "query": "When will the port reopen?"},
        {"id": "b", "documents": []},
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    assert main(["eval", "mds", "--data", str(data), "--out", str(out), "--words", "25", "-q"]) == ExitCode.OK
    pred = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [p["id"] for p in pred] == ["a", "b"]
    assert pred[1]["summary"] == ""
    text = pred[0]["summary"]
    assert "reopen on Tuesday" in text  # the sentence that answers the query
    assert all(line in "\n\n".join(docs).replace(" \n \n ", "\n") for line in text.splitlines())
    assert len(text.split()) <= 25 + 20  # the protocol cuts; one sentence may cross the budget
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    assert main(["eval", "mds", "--data", str(bad), "--out", str(out), "-q"]) != ExitCode.OK


# --------------------------------------------------------------------------- fast paths agree with plain ones

TEXTS = st.lists(
    st.lists(
        st.sampled_from(
            "the The river rivers flooded flooding village villages 2023 12 police said says Mr "
            "don’t don't ſubscribe café naïve ÉTÉ Ünïcode K 3½ ² and of visit visits visited".split()
        ),
        max_size=25,
    ).map(" ".join),
    min_size=1,
    max_size=12,
)


@settings(max_examples=80, deadline=None)
@given(TEXTS, st.lists(st.text(max_size=30), max_size=2))
def test_tfidf_is_scikit_learns_bit_for_bit(texts: list[str], queries: list[str]) -> None:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from synoptic.summarize import _terms, _vectors

    mine, mine_extra = _vectors([_terms(t) for t in texts], [_terms(q) for q in queries])
    vectorizer = TfidfVectorizer(analyzer=_terms, sublinear_tf=True, norm="l2")
    try:
        theirs = vectorizer.fit_transform(texts)
    except ValueError:  # no terms at all
        assert mine.shape == (len(texts), 1)
        assert mine_extra.shape == (len(queries), 1)
        assert mine.nnz + mine_extra.nnz == 0
        return
    pairs = [(mine, theirs), (mine_extra, vectorizer.transform(queries))] if queries else [(mine, theirs)]
    for a, b in pairs:
        assert a.shape == b.shape
        assert np.array_equal(a.indptr, b.indptr)
        assert np.array_equal(a.indices, b.indices)
        assert np.array_equal(a.data, b.data)  # same values, not merely close


@settings(max_examples=40, deadline=None)
@given(TEXTS, st.data())
def test_document_means_are_scipys(texts: list[str], data: st.DataObject) -> None:
    import numpy as np

    from synoptic.summarize import _row_means, _terms, _vectors

    vecs, _ = _vectors([_terms(t) for t in texts], [])
    docs = np.array(sorted(data.draw(st.lists(st.integers(0, 3), min_size=len(texts), max_size=len(texts)))))
    ids = sorted(set(docs.tolist()))
    expected = [np.asarray(vecs[np.flatnonzero(docs == d)].mean(axis=0)).ravel() for d in ids]
    assert all(np.array_equal(a, b) for a, b in zip(_row_means(vecs, docs, ids), expected, strict=True))


PIECES = [
    *"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .:/@'’“”-0123456789",
    *["ſ", "ı", "İ", "K", "É", "ß", "Ⅰ", "Ⓐ", "²", "中", "Σ"],
    *["click", "ſubſcribe", "VIDEO", "watch", "photo by", "www.", ".com", "emaıl", "Cookies"],
]


@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_furniture_prefilter_and_letter_count_agree_with_the_plain_tests(text: str) -> None:
    from synoptic.summarize import _FURNITURE, _is_furniture, _letters

    letters = [c for c in text if c.isalpha()]
    assert _letters(text) == (len(letters), sum(c.isupper() for c in letters))
    params = dataclasses.replace(PARAMS, min_sentence_words=0, max_sentence_words=1000)
    plain = (
        not letters or sum(c.isupper() for c in letters) > 0.6 * len(letters) or bool(_FURNITURE.search(text))
    )
    assert _is_furniture(text, params) == plain


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sets(st.sampled_from("abcdefgh")), st.integers(0, 3)), min_size=1, max_size=12))
def test_coverage_weights_are_the_plain_counts(rows: list[tuple[set[str], int]]) -> None:
    import numpy as np

    from synoptic.summarize import COVERAGE_MENTIONS, _term_weights

    unigrams = [u for u, _ in rows]
    grp = np.array([g for _, g in rows])
    vocab = sorted(set().union(*unigrams))
    groups = set(grp.tolist())
    expected = np.zeros((len(rows), max(1, len(vocab))))
    for i, u in enumerate(unigrams):
        for t in u:
            mentions = sum(t in v for v in unigrams)
            sources = {g for v, g in rows if t in v}
            if len(groups) == 1 or len(sources) > 1:
                expected[i, vocab.index(t)] = min(1.0, (mentions - 1) / COVERAGE_MENTIONS)
    assert np.array_equal(_term_weights(unigrams, grp).toarray(), expected)


def test_loaded_words_counted_only_outside_quotes() -> None:
    from synoptic.summarize import _factor

    base = _factor("The minister presented the report on Monday.", PARAMS)
    assert base == 1.0
    twice = _factor("The minister presented the Shocking, shocking report on Monday.", PARAMS)
    assert twice == PARAMS.loaded_penalty**2
    assert _factor('The minister called the report "shocking" on Monday.', PARAMS) == base
    assert _factor("The minister presented the shockingly long report on Monday.", PARAMS) == base


def test_speakers_words_without_the_speaker_are_never_a_summary_sentence() -> None:
    # the second sentence of a quotation opened earlier is the speaker's claim, not the outlet's:
    # alone in a neutral summary it would read as fact
    body = (
        "Officials met in Geneva on Monday to discuss the grain corridor and the port blockade.\n\n"
        'The envoy added: "Russia was looking for a different position from the start of the talks. '
        "Russia did not get what it wants from the negotiators in Geneva this week. So it's complex.\""
    )
    summary = summarize([make(body)], dataclasses.replace(PARAMS, budget_words=200))
    texts = " ".join(s.text for s in summary)
    assert "Officials met in Geneva" in texts
    assert "did not get what it wants" not in texts


def test_a_verbless_standfirst_is_never_a_summary_sentence() -> None:
    standfirst = "Chinese President the first world leader to meet Russian leader after ICC issued a warrant"
    with_verb = "At a meeting in Moscow, President Xi said he had invited Putin to China"
    body = (
        f"{standfirst}\n\n{with_verb}\n\n"
        "The Chinese president met his Russian counterpart in Moscow on Monday for three days of talks."
    )
    texts = [s.text for s in summarize([make(body)], dataclasses.replace(PARAMS, budget_words=200))]
    assert standfirst not in texts
    assert with_verb in texts


def test_the_candidates_similarity_rows_are_the_rows_of_the_whole_product() -> None:
    import numpy as np

    from synoptic.summarize import _ROWS, _Similarity, _terms, _vectors

    texts = [
        f"Talks on grain exports {k % 9} resumed in Istanbul with {k % 4} delegations" for k in range(600)
    ]
    vecs, _ = _vectors([_terms(t) for t in texts], [])
    whole = np.asarray((vecs @ vecs.T).todense(), dtype=np.float64)
    sim = _Similarity(vecs)
    assert vecs.shape[0] == 600 > _ROWS
    for i in (0, 17, 599):
        assert np.array_equal(sim.row(i), whole[i])
    assert np.array_equal(np.vstack([sim.block(0, _ROWS), sim.block(_ROWS, 600)]), whole)
