"""Copy detection: the kinds of copy on the bundled example, edge cases, and invariants."""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synoptic.config import DedupSettings, Settings
from synoptic.dedup import find_copies
from synoptic.nlp.embeddings import HashingEmbedder
from synoptic.pipeline import read_and_clean
from synoptic.records import Article, Outlet, article_id

NO_REWORDING = DedupSettings(reworded=False)


@pytest.fixture(scope="session")
def seeds(example_dir: Path) -> list[Article]:
    articles, failures = read_and_clean([str(example_dir)], Settings())
    assert not failures
    assert len(articles) == 5
    return articles


@pytest.fixture(scope="session")
def minilm():  # type: ignore[no-untyped-def]
    from synoptic.nlp.embeddings import make_embedder

    return make_embedder("minilm")


def seed(seeds: list[Article], prefix: str) -> Article:
    return next(a for a in seeds if Path(a.source).name.startswith(prefix))


def copy_of(article: Article, text: str, *, outlet: str | None = None, source: str | None = None) -> Article:
    return dataclasses.replace(
        article,
        id=article_id(text),
        text=text,
        outlet=Outlet(outlet) if outlet is not None else article.outlet,
        source=source or article.source,
        published=None,
    )


SWAPS = {
    "said": "stated",
    "says": "states",
    "visit": "trip",
    "leader": "head",
    "talks": "discussions",
    "meeting": "meeting held",
    "will": "is set to",
    "also": "as well",
    "war": "conflict",
    "week": "seven days",
    "country": "nation",
    "countries": "nations",
    "president": "head of state",
    "Chinese": "China's",
    "Russian": "Russia's",
    "the": "",
    "a": "",
    "and": "as well as",
    "has": "had",
    "of": "in",
}


def reword(text: str) -> str:
    """A mechanical paraphrase: the same sentences in order, most 5-word sequences broken."""
    return re.sub(r"\b\w+\b", lambda m: SWAPS.get(m.group(0), m.group(0)), text).replace("  ", " ")


def test_independent_reports_are_not_copies(seeds: list[Article]) -> None:
    links = find_copies(seeds, NO_REWORDING)
    assert not [c for c in links if c.kind != "credited"]


def test_cnn_credit_is_carried(seeds: list[Article]) -> None:
    assert "CNN" in seed(seeds, "004").credits


def test_credited_origin_links_to_that_outlets_article(seeds: list[Article]) -> None:
    s004 = seed(seeds, "004")
    # a CNN text that 004 does not repeat word for word: only the credit links them
    text = "China's leader will travel to Russia for talks."
    cnn = Article(id="cnn-original", source="cnn.html", text=text, outlet=Outlet("CNN"))
    links = find_copies([*seeds, cnn], NO_REWORDING)
    credited = [c for c in links if c.kind == "credited"]
    assert [(c.a, c.b) for c in credited] == [("cnn-original", s004.id)]
    assert "CNN" in credited[0].evidence


def test_short_text_inside_a_long_one_is_a_syndicated_copy(seeds: list[Article]) -> None:
    # shingles are counted exactly: a one-sentence text that 004 repeats is found however
    # small it is (LSH Ensemble, used before, missed such pairs), and the text overlap is
    # the stronger evidence than 004's credit
    s004 = seed(seeds, "004")
    cnn = Article(
        id="cnn-original",
        source="cnn.html",
        text="Xi Jinping heads to Moscow next week.",
        outlet=Outlet("CNN"),
    )
    links = find_copies([*seeds, cnn], NO_REWORDING)
    assert [(c.a, c.b, c.kind, c.score) for c in links] == [("cnn-original", s004.id, "syndicated", 1.0)]


def test_near_duplicate_within_one_outlet(seeds: list[Article]) -> None:
    s003 = seed(seeds, "003")
    updated = copy_of(
        s003, s003.text.replace("next week", "next Monday", 1) + "\n\nThis story has been updated."
    )
    links = find_copies([*seeds, updated], NO_REWORDING)
    assert [(c.kind, {c.a, c.b}) for c in links] == [("near-duplicate", {s003.id, updated.id})]
    assert "%" in links[0].evidence


def test_syndicated_under_another_outlet(seeds: list[Article]) -> None:
    s002 = seed(seeds, "002")
    paragraphs = s002.text.split("\n\n")
    wire = copy_of(s002, "\n\n".join(paragraphs[:-1]), outlet="Other Gazette", source="other.txt")
    links = find_copies([*seeds, wire], NO_REWORDING)
    assert [(c.kind, c.a, c.b) for c in links] == [
        ("syndicated", s002.id, wire.id)
    ]  # longer one is the original
    assert "Other Gazette" in links[0].evidence


def test_identical_articles_under_different_outlets(seeds: list[Article]) -> None:
    s001 = seed(seeds, "001")
    twin = dataclasses.replace(s001, id="twin", outlet=Outlet("Mirror Site"), source="mirror.txt")
    links = find_copies([s001, twin], NO_REWORDING)
    assert [c.kind for c in links] == ["duplicate"]
    assert "Mirror Site" in links[0].evidence


@pytest.mark.slow
def test_reworded_copy_is_found(seeds: list[Article], minilm) -> None:  # type: ignore[no-untyped-def]
    s004 = seed(seeds, "004")
    reworded = copy_of(s004, reword(s004.text), outlet="Rewrite Daily", source="rewrite.txt")
    links = find_copies([*seeds, reworded], DedupSettings(), embedder=minilm)
    found = [c for c in links if c.kind != "credited"]
    assert [(c.kind, {c.a, c.b}) for c in found] == [("reworded", {s004.id, reworded.id})]
    assert "in order" in found[0].evidence
    assert "%" in found[0].evidence


@pytest.mark.slow
def test_shuffled_sentences_are_not_a_reworded_copy(seeds: list[Article], minilm) -> None:  # type: ignore[no-untyped-def]
    s004 = seed(seeds, "004")
    paragraphs = reword(s004.text).split("\n\n")
    shuffled = "\n\n".join(paragraphs[::-1])
    other = copy_of(s004, shuffled, outlet="Rewrite Daily", source="rewrite.txt")
    links = find_copies([s004, other], DedupSettings(), embedder=minilm)
    assert not [c for c in links if c.kind == "reworded"]


def test_empty_and_one_word_articles() -> None:
    arts = [
        Article(id="e1", source="a.txt", text=""),
        Article(id="e2", source="b.txt", text="   "),
        Article(id="w1", source="c.txt", text="Breaking"),
        Article(id="w2", source="d.txt", text="breaking"),
        Article(id="w3", source="e.txt", text="Earthquake"),
    ]
    links = find_copies(arts, DedupSettings(), embedder=HashingEmbedder())
    assert [(c.kind, c.a, c.b) for c in links] == [("duplicate", "w1", "w2")]


def test_ten_thousand_copies_of_one_article(seeds: list[Article]) -> None:
    s000 = seed(seeds, "000")
    copies = [dataclasses.replace(s000, id=f"c{i:05d}", source=f"mirror{i}.txt") for i in range(10_000)]
    t0 = time.perf_counter()
    links = find_copies(copies, DedupSettings(), embedder=HashingEmbedder())
    assert time.perf_counter() - t0 < 30
    assert len(links) == 9_999
    assert {c.kind for c in links} == {"duplicate"}
    assert {c.a for c in links} == {"c00000"}


@settings(max_examples=5, deadline=None)
@given(st.randoms(use_true_random=False))
def test_order_invariant_and_idempotent(seeds: list[Article], rnd) -> None:  # type: ignore[no-untyped-def]
    s003 = seed(seeds, "003")
    extra = [
        copy_of(s003, s003.text + "\n\nUpdated."),
        dataclasses.replace(s003, id="twin", outlet=Outlet("Mirror")),
    ]
    base = [*seeds, *extra]
    expected = find_copies(base, NO_REWORDING)
    shuffled = list(base)
    rnd.shuffle(shuffled)
    assert find_copies(shuffled, NO_REWORDING) == expected
    assert find_copies(shuffled + shuffled[:3], NO_REWORDING) == expected


@settings(max_examples=8, deadline=None)
@given(st.randoms(use_true_random=False))
def test_settled_articles_links_are_those_of_the_whole_search_with_an_end_outside(
    seeds: list[Article],
    rnd,  # type: ignore[no-untyped-def]
) -> None:
    """A store's regroup passes the articles whose links it holds as ``settled``: the search
    then checks only pairs with another article, and must find exactly what the whole search
    finds for them (every kind: duplicate, near-duplicate, syndicated, reworded, credited)."""
    s000, s003 = seed(seeds, "000"), seed(seeds, "003")
    base = [
        *seeds,
        copy_of(s003, s003.text + "\n\nUpdated."),
        dataclasses.replace(s003, id="twin", outlet=Outlet("Mirror")),
        copy_of(s000, s000.text.split("\n\n")[0], outlet="Wire Mirror"),
        copy_of(s000, reword(s000.text), outlet="Rewriter"),
        dataclasses.replace(
            copy_of(
                s003,
                "Officials in Beijing said on Tuesday that a trade delegation would travel to "
                "Brasilia next month to discuss soybean exports and port fees.",
                outlet="Credits ITV",
            ),
            credits=("ITV News",),
        ),
    ]
    embedder = HashingEmbedder()
    whole = find_copies(base, DedupSettings(), embedder=embedder)
    assert {c.kind for c in whole} == {"duplicate", "near-duplicate", "syndicated", "reworded", "credited"}
    settled = {a.id for a in base if rnd.random() < 0.6}
    expected = [c for c in whole if not (c.a in settled and c.b in settled)]
    assert find_copies(base, DedupSettings(), embedder=embedder, settled=settled) == expected


# --------------------------------------------------------------------------- candidate generation

_FEW_WORDS = ["the", "minister", "said", "talks", "Moscow", "visit", "on"]  # so that shingles recur


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sets(st.integers(0, 40), min_size=1, max_size=25), min_size=2, max_size=30))
def test_shingle_candidates_include_every_pair_that_passes_a_bar(sets: list[set[int]]) -> None:
    from synoptic.dedup import _shingle_candidates

    cfg = DedupSettings(near_duplicate_jaccard=0.6, syndicated_containment=0.7)
    sh = {f"a{k:03d}": {str(x) for x in v} for k, v in enumerate(sets)}
    codes = {k: np.array(sorted(int(x) for x in v), dtype=np.uint64) for k, v in sh.items()}
    found = set(_shingle_candidates(codes, cfg))
    settled = frozenset(list(sh)[::3])
    assert set(_shingle_candidates(codes, cfg, settled)) == {
        (x, y) for x, y in found if not (x in settled and y in settled)
    }
    keys = sorted(sh)
    for i, x in enumerate(keys):
        for y in keys[i + 1 :]:
            inter = len(sh[x] & sh[y])
            passes = inter / len(sh[x] | sh[y]) >= 0.6 or inter / min(len(sh[x]), len(sh[y])) >= 0.7
            assert not passes or (x, y) in found, (x, y)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.sampled_from(["the", "minister", "said", "talks", "Moscow", "visit", "on"]), max_size=40),
    st.lists(st.sampled_from(["the", "minister", "said", "talks", "Moscow", "visit", "on"]), max_size=40),
)
def test_shingle_codes_count_and_overlap_as_the_shingles_do(a: list[str], b: list[str]) -> None:
    from synoptic.dedup import _shared, shingle_codes, shingles

    seen: dict[str, int] = {}
    ca, cb = shingle_codes(" ".join(a), 3, seen), shingle_codes(" ".join(b), 3, seen)
    sa, sb = shingles(" ".join(a), 3), shingles(" ".join(b), 3)
    assert (len(ca), len(cb)) == (len(sa), len(sb))
    assert len(np.intersect1d(ca, cb)) == len(sa & sb)
    assert _shared(ca, cb) == _shared(cb, ca) == len(sa & sb)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sets(st.integers(0, 30), min_size=5, max_size=20), min_size=2, max_size=40),
    st.sampled_from([0.01, 0.3, 0.6]),
    st.sampled_from([1, 2, 5]),
)
def test_close_banded_pairs_are_the_lsh_index_pairs_that_pass_the_containment_bar(
    sets: list[set[int]], bar: float, per_row: int
) -> None:
    from datasketch import MinHash, MinHashLSH

    from synoptic.dedup import _close_banded_pairs, _incidence, _minhash

    seen: dict[str, int] = {}  # items hashed once for all the sets: the same values as datasketch's
    hashes = [_minhash([str(x) for x in v], 128, seen) for v in sets]
    for v, m in zip(sets, hashes, strict=True):
        plain = MinHash(num_perm=128, seed=1)
        plain.update_batch([str(x).encode("utf-8") for x in v])
        assert np.array_equal(m.hashvalues, plain.hashvalues)
    lsh = MinHashLSH(threshold=0.3, num_perm=128)
    for k, m in enumerate(hashes):
        lsh.insert(k, m)
    proposed = {(min(k, o), max(k, o)) for k, m in enumerate(hashes) for o in lsh.query(m) if o != k}

    def share(p: tuple[int, int]) -> float:  # of the smaller set
        return len(sets[p[0]] & sets[p[1]]) / min(len(sets[p[0]]), len(sets[p[1]]))

    expected = {p for p in proposed if share(p) >= bar}
    signatures = np.vstack([m.hashvalues for m in hashes])
    incidence = _incidence([np.array(sorted(v), dtype=np.int32) for v in sets], 31)
    n = len(sets)
    # buckets counted pair by pair, and (product_bucket=2) every bucket by one sparse product
    for product_bucket in (30, 2):
        codes = _close_banded_pairs(signatures, incidence, 0.3, 128, bar, product_bucket)
        assert list(codes) == sorted(codes)
        assert {(int(c) // n, int(c) % n) for c in codes} == expected

    # capped: each row's per_row closest pairs (by share, ties by code), then the union
    closest = set()
    for r in range(n):
        mine = sorted((p for p in expected if r in p), key=lambda p: (-share(p), p[0] * n + p[1]))
        closest.update(mine[:per_row])
    for product_bucket in (30, 2):
        codes = _close_banded_pairs(signatures, incidence, 0.3, 128, bar, product_bucket, per_row)
        assert list(codes) == sorted(codes)
        assert {(int(c) // n, int(c) % n) for c in codes} == closest


def test_sentence_vectors_from_a_small_cache_equal_those_from_a_large_one() -> None:
    """The rewording check's bounded cache drops and re-encodes articles; what it hands out is
    the same as when everything fits."""
    from synoptic.dedup import _SentenceVectors

    arts = [
        Article(
            id=f"a{k}",
            source=f"a{k}.txt",
            text=" ".join(f"Sentence {j} of article {k} has words." for j in range(1 + k % 5)),
        )
        for k in range(12)
    ]
    pairs = [(x, y) for x in range(12) for y in range(x + 1, 12) if (x * y) % 3 != 1]
    first, second = (np.array(side, dtype=np.int64) for side in zip(*pairs, strict=True))
    emb = HashingEmbedder(64)
    small = _SentenceVectors(arts, 3, emb, batch=5, capacity=8)
    large = _SentenceVectors(arts, 3, emb)
    got = list(small.along(first, second))
    want = list(large.along(first, second))
    long_enough = [(x, y) for x, y in pairs if x % 5 >= 2 and y % 5 >= 2]
    assert [(x, y) for x, y, _, _ in got] == [(x, y) for x, y, _, _ in want] == long_enough
    for (_, _, gx, gy), (_, _, wx, wy) in zip(got, want, strict=True):
        assert np.array_equal(gx, wx)
        assert np.array_equal(gy, wy)
    assert small.encoded > large.encoded  # the small cache had to encode some articles again


@pytest.mark.parametrize("pairs", [1, 99, 399, 400, 682, 10_000, 40_001, 55_168])
def test_the_rewording_check_is_cut_into_even_runs_for_every_worker(pairs: int) -> None:
    from synoptic.dedup import REWORDED_RUN, reworded_run_size

    size = reworded_run_size(pairs)
    runs = -(-pairs // size)
    assert size <= REWORDED_RUN
    # a few hundred pairs (a thousand articles) are no longer one run on one worker
    assert runs >= min(4, pairs // 100)
    assert runs * size - pairs < runs  # the last run is short by less than one pair per run


class _CountingModel:
    """A stand-in for a model embedder (any name but ``hashing``): hashing vectors, every text
    it is given recorded."""

    name = "counting"
    dim = 64

    def __init__(self) -> None:
        self.inner = HashingEmbedder(self.dim)
        self.texts: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.encode(texts)


def _rewordings(count: int) -> list[Article]:
    """``count`` articles in chains of rewordings: each shares its sentences, reworded, with
    the next of its chain, so the candidate pairs chain the articles together."""
    topics = ["harbour", "reservoir", "railway", "hospital", "vineyard"]
    out = []
    for k in range(count):
        topic = topics[k % len(topics)]
        sentences = [
            f"The {topic} council met on day {k // len(topics) + j} to discuss the {topic} plan number {j}."
            for j in range(6)
        ]
        text = " ".join(reword(s) if k % 2 else s for s in sentences)
        out.append(Article(id=f"r{k:02d}", source=f"r{k:02d}.txt", text=text, outlet=Outlet(f"outlet{k}")))
    return out


def test_a_model_encodes_each_article_once_and_finds_the_links_of_the_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a model the rewording check encodes every article it reads once (in chunks, here of
    four sentences, so pairs wait for later chunks), and finds what the runs of pairs find
    (hashing vectors do not depend on the batch)."""
    from synoptic import dedup

    monkeypatch.setattr(dedup, "ENCODE_CHUNK", 4)
    monkeypatch.setattr(dedup, "REWORDED_MIN_RUN", 2)  # several runs, sharing articles
    arts = _rewordings(30)
    settings = DedupSettings(reworded_candidate_jaccard=0.05, reworded_candidate_containment=0.1)
    model = _CountingModel()
    once = find_copies(arts, settings, embedder=model)
    in_runs = find_copies(arts, settings, embedder=HashingEmbedder(model.dim))
    assert [c for c in once if c.kind == "reworded"]
    assert once == in_runs
    assert model.texts
    assert len(model.texts) == len(set(model.texts))  # every sentence of the corpus is distinct


def test_a_sentence_that_several_articles_hold_is_encoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wire story's copies repeat most of their sentences: with a model each distinct sentence
    is encoded once (here in chunks of four new sentences), every article still gets all of its
    vectors, and the links are those of the runs."""
    from synoptic import dedup
    from synoptic.dedup import _long_sentences
    from synoptic.nlp.embeddings import KnownVectors

    monkeypatch.setattr(dedup, "ENCODE_CHUNK", 4)
    monkeypatch.setattr(dedup, "REWORDED_MIN_RUN", 2)
    shared = "The regional council said every plan would be reviewed next spring by all its members."
    arts = [
        dataclasses.replace(a, text=f"{shared} {a.text} {shared if k % 3 == 0 else ''}".strip())
        for k, a in enumerate(_rewordings(24))
    ]
    settings = DedupSettings(reworded_candidate_jaccard=0.05, reworded_candidate_containment=0.1)
    model, known = _CountingModel(), KnownVectors()
    once = find_copies(arts, settings, embedder=model, known=known)
    assert once == find_copies(arts, settings, embedder=HashingEmbedder(model.dim))
    assert [c for c in once if c.kind == "reworded"]
    held = [t for a in arts for t in _long_sentences(a)]
    assert held.count(shared) == 32
    assert model.texts.count(shared) == 1
    assert len(model.texts) == len(set(model.texts)) < len(held)
    for art in arts:
        found = known.take(art.id)
        if found is not None:
            assert found[0] == _long_sentences(art)
            assert np.allclose(found[1], model.inner.encode(found[0]))


def test_the_vectors_a_model_encoded_for_the_rewording_check_are_kept_for_the_dossiers() -> None:
    from synoptic.dedup import _long_sentences
    from synoptic.nlp.embeddings import KnownVectors

    arts = _rewordings(10)
    settings = DedupSettings(reworded_candidate_jaccard=0.05, reworded_candidate_containment=0.1)
    model, known = _CountingModel(), KnownVectors()
    find_copies(arts, settings, embedder=model, known=known)
    kept = {a.id: known.take(a.id) for a in arts}
    assert any(kept.values())
    for art in arts:
        found = kept[art.id]
        if found is not None:
            texts, rows = found
            assert texts == _long_sentences(art)
            assert np.allclose(rows, model.inner.encode(texts))
    # hashing vectors are cheap to compute again: none are kept
    other = KnownVectors()
    find_copies(arts, settings, embedder=HashingEmbedder(64), known=other)
    assert all(other.take(a.id) is None for a in arts)
