"""Where stages run: in this process, in a local process pool, or on a Dask cluster.

A stage is a plain, pure function; an :class:`Executor` only decides where its calls happen.
The unit of work is a *partition*: a list of records (input items, articles) processed by one
call. ``Executor.map(fn, partitions)`` applies ``fn`` to each partition and yields the results
**in the order of the partitions**, whatever order the workers finish in, so a parallel run
produces exactly what the in-process run produces. Partitions are consumed lazily with a
bounded number in flight (``in_flight`` per worker), so a stream of any length (a directory of
WARC files) is processed in bounded memory.

Workers are long-lived processes. Models are loaded through :mod:`synoptic.nlp.models`
(``functools.cache``), i.e. once per worker process and never per task; ``warm`` names models
to load when a worker starts, so the first tasks do not all pay for it. Worker processes also
limit BLAS/torch threads to one each: parallelism comes from the processes, and N processes
each starting N threads on N cores only slow each other down.

- :class:`InProcessExecutor`: a plain loop (the default; what tests compare against).
- :class:`ProcessPoolExecutor`: ``concurrent.futures`` with the ``forkserver`` start method
  (``spawn`` where there is none): no fork of a process holding threads or loaded models.
- :class:`DaskExecutor`: a ``distributed.Client`` to ``tcp://host:8786``, or ``local`` for a
  ``LocalCluster`` of N single-threaded worker processes. Functions and partitions travel with
  cloudpickle; the workers need synoptic installed (same version).
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import functools
import itertools
import logging
import multiprocessing
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol, TypeVar

from synoptic.config import ScaleSettings
from synoptic.errors import UsageError

T = TypeVar("T")
R = TypeVar("R")

THREAD_ENV = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS")
"""Thread-count variables set to 1 in worker processes (read by numpy's BLAS and torch at import)."""


PRELOAD = ("synoptic.pipeline",)
"""Modules the forkserver imports before it forks workers (the stages and their libraries)."""


def partitions(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in consecutive lists of ``size`` (the last one shorter), lazily."""
    if size < 1:
        raise ValueError(f"partition size must be positive, got {size}")
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def warm_models(names: tuple[str, ...]) -> None:
    """Load the named models into this process's cache (``spacy``, ``minilm``, ``hashing``)."""
    for name in names:
        if name == "spacy":
            from synoptic.nlp.models import spacy_pipeline

            spacy_pipeline()
        elif name in ("minilm", "hashing"):
            from synoptic.nlp.embeddings import make_embedder

            make_embedder(name).encode(["warm up"])
        else:
            raise ValueError(f"unknown model {name!r}: use spacy, minilm or hashing")


def worker_state(_: object = None) -> tuple[int, dict[str, int]]:
    """``(pid, {model: times loaded})`` of the process that runs it, to check that a worker
    loads each model once however many tasks it runs (``_`` lets ``map`` call it)."""
    from synoptic.nlp import embeddings, models

    loads = {
        "spacy": models.spacy_pipeline.cache_info().misses,
        "minilm": models.sentence_transformer.cache_info().misses,
        "hashing": embeddings._hashing_vectorizer.cache_info().misses,
    }
    return os.getpid(), loads


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """numpy/scipy BLAS on one thread inside the block (torch's own threads are left alone).

    The stages multiply many small matrices (sentences x sentences of two articles); on two
    threads each product costs two to four times the CPU of one thread, and the summation order
    differs, so near-threshold decisions could differ between a worker and this process. Every
    stage entry point and every worker runs with one BLAS thread: faster, and identical results
    wherever they run."""
    _load_blas()
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _load_blas() -> None:
    """Import numpy's and scipy's BLAS: threadpoolctl only limits libraries already loaded."""
    import numpy  # noqa: F401
    import scipy.linalg  # noqa: F401


def init_worker(warm: tuple[str, ...] = ()) -> None:
    """Runs once in every worker process before its first task."""
    from threadpoolctl import threadpool_limits

    for var in THREAD_ENV:
        os.environ[var] = "1"
    _load_blas()
    threadpool_limits(limits=1, user_api="blas")  # numpy may be imported already: env is too late
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    try:  # torch may already be imported (Dask workers import the client's modules)
        import sys

        if "torch" in sys.modules:
            sys.modules["torch"].set_num_threads(1)
    except Exception:  # pragma: no cover - a torch without threads control
        pass
    warm_models(warm)


class Executor(Protocol):
    """Runs a pure function over partitions; results come back in partition order."""

    name: str
    workers: int
    in_process: bool
    """Whether the work runs in this process, one call after the other: then nothing runs
    beside it, and a caller that could overlap its own work with the executor's does it in turn."""

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``fn(item)`` for each item, in order, computed where this executor runs things."""
        ...

    def keep(self, fn: Callable[[T], Any], items: Iterable[T]) -> list[Any]:
        """``fn(item)`` for each item, results *left where they were computed* (a Dask future,
        a spilled file for a process pool, the value itself in process): handles to pass
        to :meth:`map_kept`, so large intermediate data never travels through this process."""
        ...

    def map_kept(self, fn: Callable[..., R], calls: Iterable[tuple[Any, ...]]) -> Iterator[R]:
        """``fn(*args)`` for each ``args`` (kept handles among them are replaced by their
        values where ``fn`` runs), results in order."""
        ...

    def keep_calls(self, fn: Callable[..., Any], calls: Iterable[tuple[Any, ...]]) -> list[Any]:
        """Like :meth:`map_kept`, but the results are kept too (a shuffle step)."""
        ...

    def release(self, kept: list[Any]) -> None:
        """Free what :meth:`keep` left behind."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Executor: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


class _Base:
    name = "base"
    workers = 1
    in_process = False

    def close(self) -> None:
        return None

    def __enter__(self) -> Any:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class InProcessExecutor(_Base):
    """Calls the function here, one partition after the other."""

    name = "in-process"
    in_process = True

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        for item in items:
            yield fn(item)

    def keep(self, fn: Callable[[T], Any], items: Iterable[T]) -> list[Any]:
        return [fn(item) for item in items]

    def map_kept(self, fn: Callable[..., R], calls: Iterable[tuple[Any, ...]]) -> Iterator[R]:
        for args in calls:
            yield fn(*args)

    def keep_calls(self, fn: Callable[..., Any], calls: Iterable[tuple[Any, ...]]) -> list[Any]:
        return [fn(*args) for args in calls]

    def release(self, kept: list[Any]) -> None:
        kept.clear()


@dataclass(frozen=True, slots=True)
class Spilled:
    """A result a pool worker wrote to the run's scratch folder (pickle), by path."""

    path: str


def _spill(fn: Callable[[T], Any], folder: str, index: int, item: T) -> Spilled:
    path = os.path.join(folder, f"kept-{index:06d}.pickle")
    with open(path + ".tmp", "wb") as fh:
        pickle.dump(fn(item), fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(path + ".tmp", path)
    return Spilled(path)


def _unspill(value: Any) -> Any:
    if isinstance(value, Spilled):
        with open(value.path, "rb") as fh:
            return pickle.load(fh)
    return value


def _call_unspilled(fn: Callable[..., R], args: tuple[Any, ...]) -> R:
    return fn(*(_unspill(a) for a in args))


def _spill_call(fn: Callable[..., Any], folder: str, index: int, args: tuple[Any, ...]) -> Spilled:
    return _spill(functools.partial(_call_unspilled, fn), folder, index, args)


def _spill_call_spread(fn: Callable[..., Any], folder: str, index: int, *args: Any) -> Spilled:
    """:func:`_spill_call` with the call's arguments spread (a Dask submit sends each list
    argument as data of its own)."""
    return _spill_call(fn, folder, index, args)


def _unspilled_call_spread(fn: Callable[..., R], *args: Any) -> R:
    return _call_unspilled(fn, args)


class _Scratch:
    """A run's folder of kept results (pickles), created on first use: for workers that share
    this machine's disk, so that what a stage keeps between steps does not stay in their memory
    (a LocalCluster or a pool shares the machine's memory with this process)."""

    def __init__(self) -> None:
        self._folder: str | None = None
        self._used = 0

    @property
    def folder(self) -> str | None:
        """The folder, once something was kept."""
        return self._folder

    def reserve(self, count: int) -> tuple[str, int]:
        """The folder and the first of ``count`` fresh file numbers."""
        if self._folder is None:
            self._folder = tempfile.mkdtemp(prefix="synoptic-kept-")
        start, self._used = self._used, self._used + count
        return self._folder, start

    @staticmethod
    def remove(kept: Iterable[Any]) -> None:
        for handle in kept:
            if isinstance(handle, Spilled):
                with contextlib.suppress(OSError):
                    os.remove(handle.path)

    def close(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


def _ordered_window(
    submit: Callable[[T], Any],
    result: Callable[[Any], R],
    items: Iterable[T],
    window: int,
    wait_any: Callable[[list[Any]], Any],
) -> Iterator[R]:
    """Keep up to ``window`` items running and hand results back in submission order.

    An item finished behind a slower one waits to be handed back without holding its worker
    idle: the next is submitted (``wait_any(futures)`` blocks until one of them is done), with
    at most ``window * BUFFERED`` submitted items not yet handed back. Waiting for the oldest
    instead left a worker idle whenever the partitions' costs differ (a store's regroup: its
    large stories' dossiers took 6% longer)."""
    pending: collections.deque[Any] = collections.deque()
    it = iter(items)
    try:
        for item in it:
            pending.append(submit(item))
            while pending:
                if pending[0].done():
                    yield result(pending.popleft())
                    continue
                running = [f for f in pending if not f.done()]
                if len(running) < window and len(pending) < window * BUFFERED:
                    break
                wait_any(running)
        while pending:
            yield result(pending.popleft())
    finally:
        for future in pending:  # a consumer that stops early (or an error) cancels the rest
            future.cancel()


BUFFERED = 4
"""Submitted items per running one that may wait, done, to be handed back in order."""


def _wait_any(futures: list[concurrent.futures.Future[Any]]) -> None:
    concurrent.futures.wait(futures, return_when=concurrent.futures.FIRST_COMPLETED)


def _dask_wait_any(futures: list[Any]) -> None:
    from distributed import wait

    wait(futures, return_when="FIRST_COMPLETED")  # type: ignore[no-untyped-call]


class ProcessPoolExecutor(_Base):
    """A pool of ``workers`` local processes (``--workers N``)."""

    name = "processes"

    def __init__(self, workers: int, *, warm: tuple[str, ...] = (), in_flight: int = 2) -> None:
        if workers < 1:
            raise UsageError("E020", f"--workers must be at least 1, got {workers}")
        self.workers = workers
        self.window = max(1, in_flight) * workers
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if context.get_start_method() == "forkserver":
            # the server imports the stages once and every worker starts as a fork of it,
            # instead of each worker importing numpy, scipy, sklearn... itself (seconds each)
            context.set_forkserver_preload(list(PRELOAD))
        self._pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=init_worker, initargs=(warm,)
        )
        self._scratch = _Scratch()

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        return _ordered_window(
            lambda item: self._pool.submit(fn, item), lambda f: f.result(), items, self.window, _wait_any
        )

    def keep(self, fn: Callable[[T], Any], items: Iterable[T]) -> list[Any]:
        return self._keep_with(_spill, fn, items)

    def keep_calls(self, fn: Callable[..., Any], calls: Iterable[tuple[Any, ...]]) -> list[Any]:
        return self._keep_with(_spill_call, fn, calls)

    def _keep_with(
        self, spill: Callable[..., Spilled], fn: Callable[..., Any], items: Iterable[Any]
    ) -> list[Any]:
        todo = list(items)
        folder, start = self._scratch.reserve(len(todo))
        futures = [self._pool.submit(spill, fn, folder, start + k, x) for k, x in enumerate(todo)]
        return [f.result() for f in futures]

    def map_kept(self, fn: Callable[..., R], calls: Iterable[tuple[Any, ...]]) -> Iterator[R]:
        def submit(args: tuple[Any, ...]) -> concurrent.futures.Future[R]:
            return self._pool.submit(_call_unspilled, fn, args)

        return _ordered_window(submit, lambda f: f.result(), calls, self.window, _wait_any)

    def release(self, kept: list[Any]) -> None:
        self._scratch.remove(kept)
        kept.clear()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._scratch.close()


def _call(fn: Callable[..., R], *args: Any) -> R:
    return fn(*args)


def _warm_plugin(warm: tuple[str, ...]) -> Any:
    """A Dask worker plugin running :func:`init_worker` on every worker (also ones that join later)."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class WarmPlugin(WorkerPlugin):
        name = "synoptic-warm"

        def __init__(self, warm: tuple[str, ...]) -> None:
            self.warm = warm

        def setup(self, worker: Any) -> None:
            init_worker(self.warm)

    return WarmPlugin(warm)


class DaskExecutor(_Base):
    """Tasks on a Dask cluster: ``address`` ``tcp://host:8786``, or ``local`` for a LocalCluster
    of ``workers`` single-threaded processes on this machine."""

    name = "dask"

    def __init__(
        self, address: str, *, workers: int = 2, warm: tuple[str, ...] = (), in_flight: int = 2
    ) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - distributed is a core dependency
            raise UsageError("E020", "--dask needs the 'distributed' package") from exc
        self._cluster: Any = None
        # a LocalCluster's workers share this machine (its memory, its disk): what a stage keeps
        # between steps goes to a scratch folder, as a process pool's does; a remote cluster's
        # workers keep it in their memory
        self._scratch = _Scratch() if address == "local" else None
        if address == "local":
            if workers < 1:
                raise UsageError("E020", f"--workers must be at least 1, got {workers}")
            self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self._client: Any = Client(self._cluster)  # type: ignore[no-untyped-call]
        else:
            try:
                self._client = Client(address, timeout=30)  # type: ignore[no-untyped-call]
            except OSError as exc:
                raise UsageError("E020", f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        self._client.register_plugin(_warm_plugin(warm), name="synoptic-warm")
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})) or workers)
        self.window = max(1, in_flight) * self.workers

    @property
    def client(self) -> Any:
        """The ``distributed.Client`` (for stages that keep data on the workers)."""
        return self._client

    def _sender(self, fn: Callable[..., R]) -> Callable[..., Any]:
        """A submit for calls of ``fn``: the function (with whatever a ``functools.partial``
        binds, such as a vocabulary's document frequencies) is sent to every worker once, and
        each partition (a list) goes to a worker as data, not inside the task graph that the
        scheduler holds (Dask warns about graphs over 10 MB: the 100k corpus's were)."""
        shared = self._client.scatter(fn, broadcast=True, hash=False)

        def submit(*args: Any) -> Any:
            # a list given to scatter is scattered item by item: wrapped, it goes as one
            sent = [self._client.scatter([a], hash=False)[0] if isinstance(a, list) else a for a in args]
            return self._client.submit(_call, shared, *sent, pure=False)

        return submit

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        submit = self._sender(fn)
        return _ordered_window(submit, lambda f: f.result(), items, self.window, _dask_wait_any)

    def keep(self, fn: Callable[[T], Any], items: Iterable[T]) -> list[Any]:
        if self._scratch is None:
            return self._settled([self._sender(fn)(item) for item in items])
        todo = list(items)
        folder, start = self._scratch.reserve(len(todo))
        submit = self._sender(functools.partial(_spill, fn, folder))
        return self._spilled([submit(start + k, item) for k, item in enumerate(todo)])

    def keep_calls(self, fn: Callable[..., Any], calls: Iterable[tuple[Any, ...]]) -> list[Any]:
        if self._scratch is None:
            submit = self._sender(fn)
            return self._settled([submit(*args) for args in calls])
        todo = list(calls)
        folder, start = self._scratch.reserve(len(todo))
        submit = self._sender(functools.partial(_spill_call_spread, fn, folder))
        return self._spilled([submit(start + k, *args) for k, args in enumerate(todo)])

    @staticmethod
    def _settled(futures: list[Any]) -> list[Any]:
        from distributed import wait

        wait(futures)  # type: ignore[no-untyped-call]
        for future in futures:  # errors surface here, not later in map_kept
            if future.status == "error":
                future.result()
        return futures

    def _spilled(self, futures: list[Any]) -> list[Any]:
        """The handles of spilled results (the futures, done, are let go)."""
        try:
            return [f.result() for f in self._settled(futures)]
        finally:
            for future in futures:
                future.release()

    def map_kept(self, fn: Callable[..., R], calls: Iterable[tuple[Any, ...]]) -> Iterator[R]:
        # futures among the arguments are resolved on the worker that runs the call, spilled
        # results read there
        submit = self._sender(functools.partial(_unspilled_call_spread, fn))
        return _ordered_window(
            lambda args: submit(*args), lambda f: f.result(), calls, self.window, _dask_wait_any
        )

    def release(self, kept: list[Any]) -> None:
        for handle in kept:
            if not isinstance(handle, Spilled):
                handle.release()
        if self._scratch is not None:
            self._scratch.remove(kept)
        kept.clear()

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        if self._scratch is not None:
            self._scratch.close()


def make_executor(scale: ScaleSettings) -> Executor:
    """The executor ``scale`` asks for (``dask`` address set: Dask; ``workers`` > 1: processes)."""
    if scale.dask:
        return DaskExecutor(scale.dask, workers=scale.workers, warm=scale.warm, in_flight=scale.in_flight)
    if scale.workers > 1:
        return ProcessPoolExecutor(scale.workers, warm=scale.warm, in_flight=scale.in_flight)
    return InProcessExecutor()
