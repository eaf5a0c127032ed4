"""The Ray engine: Ray Data runs the same annotator in actors, on this machine or
a cluster (``ray.init(address=...)``), and the driver writes each chunk's parts.

A chunk is one row of the dataset (its articles as JSON); ``map_batches`` with a
callable class builds the pipeline once per actor and annotates one chunk per
call.  Results stream back as they finish.  Chunks are sent in windows, so the
object store holds a bounded part of the corpus; each window starts its actors
afresh, which costs one pipeline load per actor per window.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Optional

from hadath.batch.annotate import (
    Annotator,
    article_from_dict,
    article_to_dict,
    limit_threads,
)
from hadath.batch.local import available_cores
from hadath.batch.model import BatchError, Chunk, Rows
from hadath.batch.sources import first_line
from hadath.options import ExtractOptions

OnResult = Callable[[Chunk, Rows, tuple[str, str]], None]


class RayAnnotator:
    """``map_batches`` callable class: the pipeline loads in ``__init__``, once per actor."""

    def __init__(self, options: ExtractOptions, debug: bool = False):
        limit_threads(1)            # one CPU per actor (num_cpus=1)
        self.annotator = Annotator(options, debug)

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        results = []
        for payload in batch.column("articles").to_pylist():
            articles = [article_from_dict(item) for item in json.loads(payload)]
            rows = self.annotator.annotate(articles)
            results.append(json.dumps({"rows": rows, "versions": self.annotator.versions}, ensure_ascii=False))
        return pa.table({"part": batch.column("part"), "result": pa.array(results, pa.string())})


def import_ray() -> Any:
    try:
        import ray
        import ray.data  # the Data library is a separate extra of ray
    except ImportError as error:
        raise BatchError(f"--engine ray needs Ray Data: pip install 'hadath[ray]' ({first_line(error)})") from error
    return ray


@dataclass
class RayEngine:
    workers: Optional[int]
    options: ExtractOptions
    address: Optional[str] = None
    debug: bool = False
    window: int = 0                 # chunks per Ray dataset; 0: max(512, 32 per worker)

    def run(self, chunks: Iterator[Chunk], on_result: OnResult) -> None:
        ray = import_ray()
        started = self._connect(ray)
        try:
            workers = self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
            window = self.window or max(512, 32 * workers)
            pending: list[Chunk] = []
            for chunk in chunks:
                pending.append(chunk)
                if len(pending) >= window:
                    self._window(ray, pending, workers, on_result)
                    pending = []
            if pending:
                self._window(ray, pending, workers, on_result)
        except ray.exceptions.RayError as error:
            raise BatchError(f"Ray failed: {first_line(error)}") from error
        finally:
            if started:
                ray.shutdown()

    def _connect(self, ray: Any) -> bool:
        """Join the cluster at ``address``, or the one this process already joined,
        or start a local one; True when this run started it (and must stop it)."""
        if ray.is_initialized():
            return False
        import logging

        if self.address:
            _check_reachable(self.address)
        try:
            if self.address:
                ray.init(address=self.address, logging_level=logging.WARNING, log_to_driver=self.debug)
            else:
                ray.init(num_cpus=max(available_cores(), self.workers or 1), include_dashboard=False,
                         logging_level=logging.WARNING, log_to_driver=self.debug)
        except (ConnectionError, RuntimeError, ValueError) as error:
            where = f"the Ray cluster at {self.address}" if self.address else "a local Ray instance"
            raise BatchError(f"cannot start or reach {where}: {first_line(error)}") from error
        return True

    def _window(self, ray: Any, chunks: list[Chunk], workers: int, on_result: OnResult) -> None:
        if not self.debug:
            import logging

            logging.getLogger("ray.data").setLevel(logging.ERROR)      # per-dataset chatter
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False            # hadath's own bar counts articles
        context.print_on_execution_start = False
        context.enable_auto_log_stats = False
        by_part = {chunk.part: chunk for chunk in chunks}
        items = [{"part": chunk.part, "articles": json.dumps([article_to_dict(a) for a in chunk.articles],
                                                             ensure_ascii=False)} for chunk in chunks]
        dataset = ray.data.from_items(items, override_num_blocks=len(items)).map_batches(
            RayAnnotator, fn_constructor_kwargs={"options": self.options, "debug": self.debug},
            batch_size=1, batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=min(workers, len(items))), num_cpus=1)
        for row in dataset.iter_rows():
            result = json.loads(row["result"])
            on_result(by_part[int(row["part"])], result["rows"], tuple(result["versions"]))


def _check_reachable(address: str) -> None:
    """Fail in seconds on a wrong ``host:port``; Ray itself retries for minutes."""
    import socket

    target = address.removeprefix("ray://")
    host, _, port = target.rpartition(":")
    if address in ("auto", "local") or not host or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=5).close()
    except OSError as error:
        raise BatchError(f"cannot reach the Ray cluster at {address}: {error.strerror or error}") from error
