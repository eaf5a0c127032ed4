"""A batch run: check the inputs, open (or resume) the output folder, send the
chunks not done yet to an engine, write each result as it comes back."""
from __future__ import annotations

import json
import time
from typing import Any, Callable, Iterator, Optional

from hadath.batch.model import BatchError, BatchOptions, BatchSummary, Chunk, Rows
from hadath.batch.output import Output
from hadath.batch.sources import chunks as make_chunks
from hadath.batch.sources import resolve
from hadath.batch.tables import empty_rows, problem_row
from hadath.options import ExtractOptions

Progress = Callable[[int], None]


def header(options: BatchOptions, sources_labels: list[str]) -> dict[str, Any]:
    """What a resumed run must share with the first: anything that changes the records."""
    from hadath.store.versions import hadath_version, model_version

    value = {"inputs": sources_labels, "ner": options.ner, "fast": options.fast, "batch_size": options.batch_size,
             "published": options.published.isoformat() if options.published else None,
             "max_bytes": options.read.max_bytes, "min_arabic_ratio": options.read.min_arabic_ratio,
             "hadath_version": hadath_version(), "model_version": model_version(extract_options(options).profile)}
    return json.loads(json.dumps(value))


def extract_options(options: BatchOptions) -> ExtractOptions:
    """The pipeline options every worker builds its pipeline from."""
    return ExtractOptions(ner=options.ner, fast=options.fast, published=options.published)


def make_engine(options: BatchOptions, debug: bool) -> Any:
    if options.engine == "local":
        from hadath.batch.local import LocalEngine, available_cores

        return LocalEngine(options.workers or available_cores(), extract_options(options), debug)
    if options.engine == "ray":
        from hadath.batch.ray_engine import RayEngine, import_ray

        import_ray()            # fail before any work when Ray is missing
        return RayEngine(options.workers, extract_options(options), options.ray_address, debug)
    raise BatchError(f"unknown engine {options.engine!r} (local or ray)")


def run_batch(options: BatchOptions, *, progress: Optional[Progress] = None,
              report: Callable[[str], None] = lambda message: None, debug: bool = False) -> BatchSummary:
    """Annotate every input into Parquet tables under ``options.output``; ``progress``
    gets the number of inputs (articles and problems) each finished chunk covered."""
    if options.batch_size < 1:
        raise BatchError("--batch-size must be at least 1")
    if options.workers is not None and options.workers < 1:
        raise BatchError("--workers must be at least 1")
    started = time.perf_counter()
    sources = resolve(options.inputs)
    engine = make_engine(options, debug)
    out = Output.open(options.output, header(options, [s.label for s in sources]), options.force)
    summary = BatchSummary()
    parts: set[int] = set()
    expected = out.header

    def step(chunk: Chunk) -> None:
        if progress is not None:
            progress(len(chunk.articles) + len(chunk.problems))

    def write(chunk: Chunk, rows: Rows, versions: tuple[str, str]) -> None:
        if (versions[0], versions[1]) != (expected["hadath_version"], expected["model_version"]):
            raise BatchError(f"a worker runs hadath {versions[0]} with models {versions[1]}, the driver "
                             f"{expected['hadath_version']} with {expected['model_version']}: install the same "
                             "hadath everywhere")
        rows["problems"] = [problem_row(p.origin, p.message) for p in chunk.problems] + rows["problems"]
        entry = out.write(chunk, rows)
        summary.articles += entry["articles"]
        summary.problems += entry["problems"]
        for row in rows["problems"]:
            report(f"skipped {row['origin']}: {row['message']}")
        step(chunk)

    def pending() -> Iterator[Chunk]:
        for chunk in make_chunks(sources, options.read, options.batch_size):
            parts.add(chunk.part)
            entry = out.is_done(chunk)
            if entry is not None:
                summary.articles += entry["articles"]
                summary.problems += entry["problems"]
                summary.resumed_articles += entry["articles"]
                summary.resumed_parts += 1
                step(chunk)
            elif not chunk.articles:
                write(chunk, empty_rows(), (expected["hadath_version"], expected["model_version"]))
            else:
                yield chunk

    try:
        engine.run(pending(), write)
        out.finish(parts)
    finally:
        out.close()
    summary.parts = len(parts)
    summary.seconds = time.perf_counter() - started
    return summary
