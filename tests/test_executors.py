"""Executors: the same stages in this process, a process pool and a Dask LocalCluster give
byte-identical digests; models load once per worker; streams keep their order."""

from __future__ import annotations

import functools
import json
import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest_material import PAGES, page_html, warc_file
from synoptic.config import DossierSettings, IngestSettings, ScaleSettings, Settings
from synoptic.errors import UsageError
from synoptic.executors import (
    BUFFERED,
    DaskExecutor,
    Executor,
    InProcessExecutor,
    ProcessPoolExecutor,
    Spilled,
    _ordered_window,
    make_executor,
    one_blas_thread,
    partitions,
    warm_models,
    worker_state,
)
from synoptic.ingest import read_inputs
from synoptic.ingest.pending import PendingPage, PendingRecord, resolve
from synoptic.pipeline import digest
from synoptic.records import Digest
from synoptic.render import render_json

MULTINEWS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "mds" / "multinews_dev.jsonl"
N_JSONL = 12


def _write_corpus(root: Path, example_dir: Path) -> list[str]:
    """The example, a CC-NEWS-like WARC.gz of real pages, one HTML page, and (when the eval kit
    is there) a JSONL of real Multi-News source articles with outlets: several formats, mixed."""
    shutil.copytree(example_dir, root / "example")
    (root / "crawl.warc.gz").write_bytes(warc_file(gzipped=True))
    (root / "page.html").write_bytes(page_html(PAGES[0]))
    paths = [str(root / "example"), str(root / "crawl.warc.gz"), str(root / "page.html")]
    if MULTINEWS.is_file():
        n = 0
        with MULTINEWS.open(encoding="utf-8") as src, (root / "multinews.jsonl").open("w") as out:
            for line in src:
                item = json.loads(line)
                for i, text in enumerate(item["documents"]):
                    if n >= N_JSONL:
                        break
                    record = {"text": text.replace(" \n \n ", "\n\n"), "outlet": f"Outlet {i}"}
                    out.write(json.dumps(record) + "\n")
                    n += 1
            out.write("not json\n")  # one bad line: a failure that must come back in place
        paths.append(str(root / "multinews.jsonl"))
    return paths


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, example_dir: Path) -> list[str]:
    return _write_corpus(tmp_path_factory.mktemp("scale"), example_dir)


@pytest.fixture(scope="module")
def settings() -> Settings:
    # small partitions so that even this corpus is spread over many tasks and both workers;
    # dossiers without the spaCy stage (the example test below runs it)
    return Settings().with_section(
        scale=ScaleSettings(partition_size=7), dossier=DossierSettings(entities_and_quotes=False)
    )


def _as_json(result: Digest) -> str:
    return render_json(result) + json.dumps([f.message() for f in result.failures])


def _digest_json(paths: list[str], settings: Settings, executor: Executor | None = None) -> str:
    return _as_json(digest(paths, settings, executor=executor))


@pytest.fixture(scope="module")
def in_process(corpus: list[str], settings: Settings) -> Digest:
    return digest(corpus, settings)


@pytest.fixture(scope="module")
def baseline(in_process: Digest) -> str:
    """The in-process digest (dossiers JSON plus the failures, in order)."""
    return _as_json(in_process)


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor]:
    with ProcessPoolExecutor(2) as executor:
        yield executor


def test_partitions_are_consecutive_and_lazy() -> None:
    assert list(partitions(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(partitions([], 3)) == []
    endless = partitions(iter(int, 1), 2)  # an endless stream: only what is asked for is read
    assert next(endless) == [0, 0]
    with pytest.raises(ValueError, match="positive"):
        list(partitions([1], 0))


def test_deferred_reading_resolves_to_the_direct_reading(corpus: list[str]) -> None:
    settings = IngestSettings()
    direct = list(read_inputs(corpus, settings))
    deferred = list(read_inputs(corpus, settings, deferred=True))
    kinds = {type(item) for item in deferred}
    assert PendingPage in kinds
    if MULTINEWS.is_file():
        assert PendingRecord in kinds
    resolved = [resolve(i) if isinstance(i, PendingPage | PendingRecord) else i for i in deferred]
    assert resolved == direct


def test_in_process_digest_keeps_input_order(corpus: list[str], in_process: Digest) -> None:
    result = in_process
    sources = [a.source for a in result.articles]
    assert sources[0].startswith(corpus[0])  # the example first, as given
    assert any("crawl.warc.gz#" in s for s in sources)
    if MULTINEWS.is_file():
        assert len(result.articles) >= N_JSONL
        assert [f.code for f in result.failures] == ["E009"]


def test_process_pool_matches_in_process(
    corpus: list[str], settings: Settings, baseline: str, pool: ProcessPoolExecutor
) -> None:
    assert _digest_json(corpus, settings, pool) == baseline
    states = list(pool.map(worker_state, range(8)))
    assert len({pid for pid, _ in states}) <= 2  # long-lived workers, not a process per task


@pytest.mark.slow
def test_dask_local_cluster_matches_in_process(
    corpus: list[str], settings: Settings, baseline: str, in_process: Digest, example_dir: Path
) -> None:
    with DaskExecutor("local", workers=2) as dask:
        assert dask.workers == 2
        got = _digest_json(corpus, settings, dask)
        full = Settings().with_section(scale=ScaleSettings(partition_size=2))  # every dossier stage
        example = _digest_json([str(example_dir)], full, dask)
        # every task asks for the hashing embedder again; each worker built it once
        list(dask.map(functools.partial(_warm_and_report, ("hashing",)), range(12)))
        states = list(dask.map(worker_state, range(12)))
    assert got == baseline
    assert example == _digest_json([str(example_dir)], full)
    pids = {pid for pid, _ in states}
    assert len(pids) <= 2
    assert all(loads["hashing"] == 1 for _, loads in states)


@pytest.mark.slow
def test_dask_sends_a_stage_function_and_each_partition_once_not_inside_the_task_graph() -> None:
    """A stage's function carries shared data (a ``functools.partial`` over the document
    frequencies: tens of MB at 100k) and its partitions are lists of articles: both go to the
    workers as data, not inside each task's graph, which the scheduler holds and which Dask
    warns about past 10 MB. A LocalCluster's kept results wait in scratch files, as a process
    pool's do (its workers share this machine's memory); a remote cluster's stay on its workers."""
    table = bytes(12_000_000)
    part = [b"x" * 1_000_000] * 12
    with DaskExecutor("local", workers=2) as dask, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mapped = list(dask.map(functools.partial(_sized, table), [[1], [2, 3], part]))
        kept = dask.keep(functools.partial(_sized, table), [part, [4]])
        files = [k.path for k in kept if isinstance(k, Spilled)]
        assert len(files) == 2
        assert all(os.path.exists(f) for f in files)
        both = list(dask.map_kept(_sized_pair, [(kept[0], part), (kept[1], [5])]))
        called = dask.keep_calls(_sized_pair, [(kept[0], [1]), (kept[1], part)])
        after = list(dask.map_kept(_sized_pair, [(called[0], [2]), (called[1], [])]))
        dask.release(kept)
        assert not any(os.path.exists(f) for f in files)
        assert not kept
        with DaskExecutor(dask.client.scheduler_info()["address"]) as remote:
            held = remote.keep(functools.partial(_sized, table), [part, [4]])
            assert not any(isinstance(k, Spilled) for k in held)
            remote_both = list(remote.map_kept(_sized_pair, [(held[0], part), (held[1], [5])]))
            remote.release(held)
    assert mapped == [12_000_001, 12_000_005, 24_000_000]
    assert both == remote_both == [36_000_000, 12_000_009]
    assert after == [24_000_003, 24_000_004]
    assert not [w for w in caught if "large graph" in str(w.message)]


def _sized(table: bytes, items: list[Any]) -> int:
    return len(table) + sum(len(x) if isinstance(x, bytes) else x for x in items)


def _sized_pair(done: int, items: list[Any]) -> int:
    return done + _sized(b"", items)


def _warm_and_report(names: tuple[str, ...], _: int) -> int:
    warm_models(names)
    return worker_state()[0]


def test_results_come_back_in_order_when_workers_finish_out_of_order(pool: ProcessPoolExecutor) -> None:
    delays = [0.3, 0.0, 0.2, 0.0, 0.1, 0.0]
    assert list(pool.map(_sleep_then_return, delays)) == delays


def _sleep_then_return(delay: float) -> float:
    import time

    time.sleep(delay)
    return delay


class _Held:
    """A future that finishes when the test says so."""

    def __init__(self, value: int, finished: bool) -> None:
        self.value, self.finished = value, finished

    def done(self) -> bool:
        return self.finished

    def result(self) -> int:
        assert self.finished, "handed back before it was done"
        return self.value

    def cancel(self) -> None:
        pass


def test_a_slow_partition_does_not_idle_the_workers_behind_it_and_results_keep_their_order() -> None:
    # the first partition runs long; the others finish at once: they are handed back in
    # order after it, but meanwhile more are submitted (up to the buffer), so a worker that
    # finished one gets the next instead of waiting for the slow one
    submitted: list[_Held] = []
    waits: list[int] = []

    def submit(k: int) -> _Held:
        submitted.append(_Held(k, finished=k != 0))
        return submitted[-1]

    def wait_any(running: list[_Held]) -> None:
        waits.append(len(submitted))
        running[0].finished = True  # the slow one ends

    window = 2
    assert list(_ordered_window(submit, _Held.result, range(20), window, wait_any)) == list(range(20))
    assert waits == [window * BUFFERED]  # waited once, with the buffer full, not after `window`


def test_make_executor_and_bad_settings() -> None:
    assert isinstance(make_executor(ScaleSettings()), InProcessExecutor)
    assert make_executor(ScaleSettings()).in_process  # declared: callers never test the class
    with make_executor(ScaleSettings(workers=3)) as made:
        assert isinstance(made, ProcessPoolExecutor)
        assert made.workers == 3
        assert not made.in_process
    with pytest.raises(UsageError):
        Settings().with_section(scale=ScaleSettings(workers=0))
    with pytest.raises(UsageError):
        Settings().with_section(scale=ScaleSettings(dask="nonsense"))


def _stream() -> Iterator[int]:
    yield from range(50)


def test_a_consumer_that_stops_early_does_not_hang(pool: ProcessPoolExecutor) -> None:
    results = pool.map(abs, _stream())
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    del results  # closing the generator cancels what was queued
    assert list(pool.map(abs, [-1, -2])) == [1, 2]


def _blas_threads(_: object = None) -> list[int]:
    from threadpoolctl import threadpool_info

    return [int(i["num_threads"]) for i in threadpool_info() if i["user_api"] == "blas"]


def test_stages_and_workers_run_numpy_blas_on_one_thread(pool: ProcessPoolExecutor) -> None:
    # one thread is faster on the stages' small products and gives the same sums everywhere
    with one_blas_thread():
        assert set(_blas_threads()) == {1}
    assert all(set(threads) == {1} for threads in pool.map(_blas_threads, range(4)))


def test_store_ingest_on_a_pool_matches_in_process(
    tmp_path: Path, corpus: list[str], settings: Settings, pool: ProcessPoolExecutor
) -> None:
    from synoptic.pipeline import read_and_clean
    from synoptic.store import SQLiteStore, ingest_articles

    articles, _ = read_and_clean(corpus, settings)
    cut = len(articles) * 2 // 3  # a full regroup, then a near one (fewer new than stored)

    def stored(executor: Executor | None, name: str) -> tuple[object, list[str], list[str]]:
        with SQLiteStore(tmp_path / f"{name}.db") as store:
            first = ingest_articles(store, articles[:cut], settings, executor=executor)
            second = ingest_articles(store, articles[cut:], settings, executor=executor)
            assert first.regroup is not None
            assert second.regroup is not None
            memberships = store.memberships()
            dossiers = [repr(store.get_dossier(sid)) for sid in sorted(memberships)]
            return memberships, dossiers, [*first.regroup.new, *second.regroup.changed]

    in_process = stored(None, "in-process")
    assert in_process[1]  # stories made
    assert in_process[2]  # ... and some changed by the second ingest
    watched = _Watched(pool)
    assert stored(watched, "pool") == in_process  # type: ignore[arg-type]
    assert watched.maps >= 4  # the grouping and the dossiers of both ingests went to the pool


class _Watched:
    """An executor that counts the ``map`` calls it is given (did the work go to it?)."""

    def __init__(self, inner: Executor) -> None:
        self._inner = inner
        self.maps = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def map(self, fn: Any, items: Any) -> Any:
        self.maps += 1
        return self._inner.map(fn, items)
