"""``hadath batch``: a corpus of any size through the pipeline into Parquet tables
(articles, entities, events, quotes, problems), on local worker processes or a
Ray cluster, written chunk by chunk and resumable after a crash.

Nothing heavy is imported here: the engines, NumPy and pyarrow load when a run starts.
"""
from __future__ import annotations

from typing import Any

from hadath.batch.model import TABLES, BatchError, BatchOptions, BatchSummary

__all__ = ["TABLES", "BatchError", "BatchOptions", "BatchSummary", "run_batch"]


def __getattr__(name: str) -> Any:
    """``run_batch`` is imported on first use: a worker process that imports this
    package must still be able to set its thread limits before NumPy loads."""
    if name == "run_batch":
        from hadath.batch.run import run_batch

        return run_batch
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
