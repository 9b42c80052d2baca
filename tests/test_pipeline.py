"""End to end: the bundled example through the whole pipeline, as `synoptic digest` runs it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from synoptic.config import Settings
from synoptic.pipeline import digest, digest_stream
from synoptic.records import Digest, Dossier, IngestFailure
from synoptic.render.json import digest_from_json, digest_to_json, iter_json, render_json

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def example_digest(example_dir: Path) -> Digest:
    return digest([str(example_dir)], Settings().validate())


def test_the_five_seeds_are_one_story_with_every_section(example_digest: Digest) -> None:
    assert len(example_digest.articles) == 5
    assert len(example_digest.dossiers) == 1
    d = example_digest.dossiers[0]
    assert len(d.story.articles) == 5
    for section in ("entities", "quotes", "timeline", "claims", "outlets", "summary"):
        assert getattr(d, section), f"the example story has no {section}"


def test_every_citation_resolves_to_a_real_span(example_digest: Digest) -> None:
    texts = {a.id: a.text for a in example_digest.articles}
    d = example_digest.dossiers[0]
    citations = [c for s in d.summary for c in s.citations]
    citations += [c for claim in d.claims for c in claim.citations]
    citations += [c for e in d.timeline for c in e.citations]
    assert citations
    for c in citations:
        start, end = c.span
        assert c.article in texts
        assert 0 <= start < end <= len(texts[c.article])
    for s in d.summary:
        assert any(texts[c.article][c.span[0] : c.span[1]] == s.text for c in s.citations)
    for q in d.quotes:
        start, end = q.content_span
        assert texts[q.article][start:end] == q.content


def test_undated_articles_get_an_inferred_date_inside_the_gold_range(
    example_digest: Digest, seed_gold: dict[str, object]
) -> None:
    gold = seed_gold["articles"]
    assert isinstance(gold, dict)
    checked = 0
    for article in example_digest.articles:
        name = Path(article.source).name
        want = gold[name]["published"]
        if want.get("value") is None and "inferred_range" in want:
            lo, hi = (dt.date.fromisoformat(v) for v in want["inferred_range"])
            got = article.published
            assert got is not None, name
            assert got.kind == "inferred", name
            assert got.range is not None, name
            assert lo <= got.range[0], (name, got.range, (lo, hi))
            assert got.range[1] <= hi, (name, got.range, (lo, hi))
            checked += 1
    assert checked == 3


def test_dossier_json_keeps_the_contract_and_round_trips(example_digest: Digest) -> None:
    data = json.loads(render_json(example_digest))
    assert data["schema"] == "synoptic/2"
    story = data["stories"][0]
    for key in ("id", "label", "articles", "entities", "quotes", "timeline", "claims", "outlets", "summary"):
        assert key in story
    assert {"speaker", "content", "direct", "article", "span"} <= story["quotes"][0].keys()
    assert {"date", "text", "sources"} <= story["timeline"][0].keys()
    assert {"text", "sources", "single_source", "conflicts"} <= story["claims"][0].keys()
    assert {"article", "span"} <= story["summary"][0]["citations"][0].keys()
    assert digest_to_json(digest_from_json(data)) == data


def test_indented_records_read_back_as_json_writes_them() -> None:
    """The records are written by orjson: the same text as json.dumps(indent=2) but a number
    below 1e-4 (the same value); what orjson refuses, json writes."""
    from synoptic.render.json import _dumps

    record = {"text": "Xi “arrives” <b>\u2028\x00", "score": 0.125, "n": [1, {}, []], "no": None}
    record["tiny"] = 1e-05
    written = _dumps(record, indent=2)
    assert json.loads(written) == record
    assert written.replace("0.00001", "1e-05") == json.dumps(record, ensure_ascii=False, indent=2)
    odd = {"lone": "\ud800", "big": 2**70}
    assert _dumps(odd, indent=2) == json.dumps(odd, ensure_ascii=False, indent=2)


def test_json_written_record_by_record_is_the_indented_document(example_digest: Digest) -> None:
    # iter_json streams a large digest; its bytes must be exactly json.dumps(..., indent=2)'s
    failure = IngestFailure(source="broken.html", reason="no text", hint="check the file", code="E005")
    cases = [
        example_digest,
        dataclasses.replace(example_digest, failures=(failure,)),
        Digest(articles=(), copies=(), dossiers=(), failures=()),
    ]
    for case in cases:
        expected = json.dumps(digest_to_json(case), ensure_ascii=False, indent=2) + "\n"
        assert render_json(case) == expected
        assert "".join(iter_json(case)) == expected


def test_a_streamed_digest_writes_each_dossier_as_it_is_built(example_dir: Path) -> None:
    # `synoptic digest -f json` writes dossiers as they come: the same bytes as the digest held
    # whole, the undated articles carrying the dates the dossiers inferred, and each dossier
    # asked for only when the text before it has been given out
    settings = Settings().fast().validate()
    whole = render_json(digest([str(example_dir)], settings))
    stream = digest_stream([str(example_dir)], settings)
    pulled: list[str] = []

    def watched(dossiers: Iterator[Dossier]) -> Iterator[Dossier]:
        for dossier in dossiers:
            pulled.append(dossier.story.id)
            yield dossier

    pieces = iter_json(dataclasses.replace(stream, dossiers=watched(stream.dossiers)))
    head = next(pieces)
    assert head.startswith('{\n  "schema"')
    assert not pulled
    assert head + "".join(pieces) == whole
    assert len(pulled) == stream.stories == 1


@pytest.mark.slow
def test_the_dossiers_do_not_encode_again_what_the_copy_search_encoded(
    example_dir: Path, minilm_calls: list[tuple[bool, list[str]]]
) -> None:
    digest(sorted(str(p) for p in example_dir.iterdir()), Settings())
    searched = {t for by_copy_search, texts in minilm_calls if by_copy_search for t in texts}
    later = [t for by_copy_search, texts in minilm_calls if not by_copy_search for t in texts]
    assert searched  # the rewritten wire copy is compared with the others sentence by sentence
    assert later  # the cross-check's clauses, which the copy search does not compare
    assert searched.isdisjoint(later)


def test_known_vectors_are_bounded_and_given_once() -> None:
    import numpy as np

    from synoptic.nlp.embeddings import KnownVectors

    known = KnownVectors(capacity=3)
    rows = np.eye(2, dtype=np.float32)
    known.add("a1", ["One sentence.", "Two sentences."], rows)
    known.add("a2", ["Past the bound.", "Not kept."], rows)  # 4 rows > 3: the dossier encodes it
    found = known.take("a1")
    assert found is not None
    assert found[0] == ["One sentence.", "Two sentences."]
    assert known.take("a1") is None  # given once: its memory comes back
    assert known.take("a2") is None
    assert known.rows == 0
