"""``hadath batch``: registered on :data:`hadath.cli.main`, like the corpus commands."""
from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path
from typing import Optional

import click

from hadath.cli import DATE, FAST, NER_CHOICE, _fail, main


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the tables (created; an interrupted run in it is resumed).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Worker processes on this machine, or Ray (a local instance or --ray-address).")
@click.option("--ray-address", default=None, metavar="ADDR",
              help="With --engine ray: an existing cluster (auto, ray://host:10001, host:6379).")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Worker processes or Ray actors. Default: the cores here, or the Ray cluster's CPUs.")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=64, show_default=True,
              help="Articles per chunk: one part file per table, the unit of resuming.")
@click.option("--published", type=DATE, default=None, help="Reference date for articles that carry none.")
@click.option("--max-bytes", type=int, default=5_000_000, show_default=True, help="Largest article accepted.")
@click.option("--min-arabic", type=float, default=0.3, show_default=True,
              help="Smallest share of Arabic letters for an article to be annotated.")
@click.option("--force", is_flag=True, help="Start over in an output folder left by a run with other options.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@NER_CHOICE
@FAST
@click.pass_context
def batch(ctx: click.Context, inputs: tuple[str, ...], output: Path, engine: str, ray_address: Optional[str],
          workers: Optional[int], batch_size: int, published: Optional[date], max_bytes: int, min_arabic: float,
          force: bool, progress: Optional[bool], ner: Optional[str], fast: bool) -> None:
    """Annotate a corpus into Parquet tables in the --output folder: articles, entities,
    events, quotes and problems, each a folder of part files (DuckDB: 'DIR/events/*.parquet').
    Reads JSONL(.gz), JSON, text, HTML, feeds, WARC and Parquet; local paths or
    s3://, gs://, hdfs:// ... A rerun after an interruption skips what is done."""
    from hadath.batch import BatchError, BatchOptions, run_batch
    from hadath.ingest.model import IngestOptions

    if ray_address and engine != "ray":
        _fail("--ray-address needs --engine ray")
    if fast and ner not in (None, "rules"):
        _fail(f"--fast runs no neural model and uses the rule-based entity stage: drop --ner {ner}")
    if importlib.util.find_spec("pyarrow") is None:
        _fail("hadath batch writes Parquet and needs pyarrow: pip install 'hadath[parquet]'")
    options = BatchOptions(inputs=inputs, output=output, engine=engine, workers=workers, ray_address=ray_address,
                           ner="rules" if fast else ner or "hybrid", fast=fast, batch_size=batch_size, published=published,
                           read=IngestOptions(max_bytes=max_bytes, min_arabic_ratio=min_arabic), force=force)
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=_total(inputs), unit=" input", file=sys.stderr, dynamic_ncols=True, smoothing=0.05)

    def report(message: str) -> None:
        if bar is not None:
            bar.write(f"hadath: {message}", file=sys.stderr)
        else:
            click.echo(f"hadath: {message}", err=True)

    try:
        summary = run_batch(options, progress=bar.update if bar is not None else None, report=report,
                            debug=ctx.obj["debug"])
    except BatchError as error:
        _fail(str(error))
    finally:
        if bar is not None:
            bar.close()
    click.echo(f"hadath: {summary.line()}", err=True)
    if summary.articles == 0:
        _fail(f"no usable input ({summary.problems} problems)" if summary.problems else "no input found")


def _total(inputs: tuple[str, ...]) -> Optional[int]:
    """Articles and problems to expect, when cheap to know (JSONL lines, Parquet rows)."""
    from hadath.batch.sources import is_parquet, is_remote
    from hadath.cli_corpus import _count_hint

    total = 0
    for name in inputs:
        if is_parquet(name) and not is_remote(name) and Path(name).is_file():
            import pyarrow.parquet as pq

            try:
                total += pq.ParquetFile(name).metadata.num_rows
            except (OSError, ValueError):
                return None
            continue
        count = _count_hint((name,))
        if count is None:
            return None
        total += count
    return total
