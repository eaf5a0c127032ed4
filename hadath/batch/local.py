"""The local engine: worker processes on this machine, each loading the pipeline
once, fed one chunk at a time; the driver writes each result as it arrives.

Processes are started with ``spawn`` (a fresh interpreter, never a fork of a
driver that holds pyarrow and tqdm threads).  At most two chunks per worker are in
flight, so the corpus is read as fast as it is annotated, not all at once.  One
worker means no subprocess at all: the driver annotates in-process.
"""
from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Optional, Sequence

from hadath.batch.annotate import Annotator, limit_threads
from hadath.batch.model import BatchError, Chunk, Rows
from hadath.ingest.model import ArticleInput
from hadath.options import ExtractOptions

OnResult = Callable[[Chunk, Rows, tuple[str, str]], None]

_annotator: Optional[Annotator] = None     # one per worker process, built by _start


def available_cores() -> int:
    """Cores this process may use (a container's CPU set, not the host's count)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def _start(options: ExtractOptions, workers: int, cores: int, debug: bool) -> None:
    global _annotator
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C is the driver's to handle
    _exit_with_parent()
    limit_threads(max(1, cores // workers))
    _annotator = Annotator(options, debug)


def _exit_with_parent() -> None:
    """A worker whose driver was killed (SIGKILL, the OOM killer) exits, rather than
    wait for work forever holding its models in memory."""
    import multiprocessing
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="hadath-exit-with-parent", daemon=True).start()


def _work(articles: Sequence[ArticleInput]) -> tuple[Rows, tuple[str, str]]:
    assert _annotator is not None, "worker started without its pipeline"
    return _annotator.annotate(articles), _annotator.versions


@dataclass
class LocalEngine:
    workers: int
    options: ExtractOptions
    debug: bool = False

    def run(self, chunks: Iterator[Chunk], on_result: OnResult) -> None:
        if self.workers <= 1:
            annotator = Annotator(self.options, self.debug)
            for chunk in chunks:
                on_result(chunk, annotator.annotate(chunk.articles), annotator.versions)
            return
        self._pool(chunks, on_result)

    def _pool(self, chunks: Iterator[Chunk], on_result: OnResult) -> None:
        import multiprocessing
        from concurrent.futures import (
            FIRST_COMPLETED,
            Future,
            ProcessPoolExecutor,
            wait,
        )
        from concurrent.futures.process import BrokenProcessPool

        pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start, initargs=(self.options, self.workers, available_cores(),
                                                                 self.debug))
        flying: dict[Future, Chunk] = {}

        def settle(block: bool) -> None:
            finished, _ = wait(list(flying), return_when=FIRST_COMPLETED, timeout=None if block else 0)
            for future in sorted(finished, key=lambda f: flying[f].part):
                chunk = flying.pop(future)
                rows, versions = future.result()
                on_result(chunk, rows, versions)

        try:
            for chunk in chunks:
                while len(flying) >= 2 * self.workers:
                    settle(block=True)
                flying[pool.submit(_work, chunk.articles)] = chunk
                settle(block=False)
            while flying:
                settle(block=True)
        except BrokenProcessPool as error:
            raise BatchError("a worker process stopped (killed, out of memory, or its pipeline failed to load; "
                             "see above); rerun the same command to resume") from error
        except BaseException:
            _terminate(pool)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _terminate(pool: Any) -> None:
    """Stop workers now (Ctrl-C, a write error): their chunks are redone on resume."""
    stop = getattr(pool, "terminate_workers", None)        # Python 3.14+
    if callable(stop):
        stop()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
