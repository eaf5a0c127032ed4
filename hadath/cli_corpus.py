"""The corpus commands of the ``hadath`` CLI: ingest, reprocess, export, serve, stats.

Registered on :data:`hadath.cli.main`; kept apart from the single-article commands.
"""
from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any, Callable, Optional

import click

from hadath.cli import DATE, EVENT_CHECK, EXIT_NO_INPUT, FAST, NER_CHOICE, _fail, _options, main

DB_OPTION = click.option("--db", "db_url", default=None, metavar="URL",
                         help="A SQLite file (created on first use), sqlite:///PATH or postgresql://... "
                              "Default: $HADATH_DB or ./hadath.db.")


def _open_store(db_url: Optional[str], must_exist: bool = False):
    """The store; with ``must_exist``, a SQLite file that is not there is an error
    (a command that only reads must not create an empty database from a typo)."""
    from hadath.store import Store, StoreError
    from hadath.store.db import sqlite_path

    try:
        path = sqlite_path(db_url)
        if must_exist and path is not None and path != ":memory:" and not Path(path).exists():
            _fail(f"no database at {path}: ingest articles first or give --db")
        return Store.open(db_url)
    except StoreError as error:
        _fail(str(error))


class _Progress:
    """A progress bar on standard error (rate and ETA when the total is known)."""

    def __init__(self, enabled: bool, total: Optional[int], unit: str = "article"):
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=f" {unit}", file=sys.stderr, dynamic_ncols=True, smoothing=0.05)
        self.counts: dict[str, int] = {}

    def step(self, status: str) -> None:
        self.counts[status] = self.counts.get(status, 0) + 1
        if self.bar is not None:
            self.bar.update(1)
            if sum(self.counts.values()) % 25 == 1:
                self.bar.set_postfix(self.counts, refresh=False)

    def write(self, message: str) -> None:
        if self.bar is not None:
            self.bar.write(message, file=sys.stderr)
        else:
            click.echo(message, err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.set_postfix(self.counts, refresh=False)
            self.bar.close()


def _show_progress(flag: Optional[bool]) -> bool:
    return sys.stderr.isatty() if flag is None else flag


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@DB_OPTION
@click.option("--published", type=DATE, default=None, help="Reference date for articles that carry none.")
@click.option("--fetch", is_flag=True, help="Fetch http(s):// inputs (off by default).")
@click.option("--allow-private", is_flag=True,
              help="With --fetch: allow private, loopback and link-local addresses (refused by default).")
@click.option("--fetch-timeout", type=click.FloatRange(0.1, 600), default=20.0, show_default=True,
              help="With --fetch: seconds allowed for one URL, redirects included.")
@click.option("--max-redirects", type=click.IntRange(0, 20), default=5, show_default=True,
              help="With --fetch: redirects followed (each one checked like the first address).")
@click.option("--max-bytes", type=int, default=5_000_000, show_default=True, help="Largest article accepted.")
@click.option("--min-arabic", type=float, default=0.3, show_default=True,
              help="Smallest share of Arabic letters for an article to be stored.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@click.option("--log", "log_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Append one JSON line per article once it is committed (origin, id, status, article_id).")
@click.option("--strict", is_flag=True, help="Exit non-zero when any input is skipped.")
@NER_CHOICE
@FAST
@EVENT_CHECK
@click.pass_context
def ingest(ctx: click.Context, inputs: tuple[str, ...], db_url: Optional[str], published: Optional[date],
           fetch: bool, allow_private: bool, fetch_timeout: float, max_redirects: int, max_bytes: int,
           min_arabic: float, progress: Optional[bool], log_path: Optional[Path], strict: bool, ner: Optional[str],
           fast: bool, event_check: str) -> None:
    """Annotate articles and store them: files, directories, JSONL(.gz), HTML, RSS/Atom
    feeds, WARC files, URLs (with --fetch), or - for stdin.  Re-ingesting an article
    changes nothing; a new version at the same URL replaces the old one."""
    from hadath.engine import build_pipeline
    from hadath.ingest.loader import ingest_items
    from hadath.ingest.model import IngestOptions
    from hadath.ingest.reader import read_inputs

    store = _open_store(db_url)
    options = _options(published=published, ner=ner, fast=fast, event_classifier=event_check)
    read_options = IngestOptions(max_bytes=max_bytes, min_arabic_ratio=min_arabic, fetch=fetch,
                                 allow_private=allow_private, fetch_timeout=fetch_timeout,
                                 max_redirects=max_redirects)
    try:
        log = open(log_path, "a", encoding="utf-8") if log_path else None
    except OSError as error:
        store.close()
        _fail(f"cannot write {log_path}: {error.strerror or error}")
        return

    def logged(article, result) -> None:
        if log is not None:
            log.write(json.dumps({"origin": article.origin, "id": article.id, "status": result.status,
                                  "article_id": result.article_id}, ensure_ascii=False) + "\n")
            log.flush()

    bar = _Progress(_show_progress(progress), _count_hint(inputs) if _show_progress(progress) else None)
    try:
        pipeline = build_pipeline(options)
        summary = ingest_items(read_inputs(list(inputs), read_options, stdin=sys.stdin.buffer), store, pipeline,
                               options, report=lambda m: bar.write(f"hadath: {m}"), on_article=bar.step,
                               on_saved=logged, debug=ctx.obj["debug"])
        if summary.stored:
            store.optimize()
    finally:
        bar.close()
        store.close()
        if log is not None:
            log.close()
    click.echo(f"hadath: {summary.line()}", err=True)
    if summary.stored + summary.unchanged + summary.older == 0:
        _fail(f"no usable input ({summary.skipped} skipped)" if summary.skipped else "no input found")
    if summary.skipped and strict:
        sys.exit(EXIT_NO_INPUT)


def _count_hint(inputs: tuple[str, ...]) -> Optional[int]:
    """How many articles the inputs hold, when cheap to know (JSONL lines, files
    in folders); None when any input is a stream, feed, archive or URL."""
    import gzip

    from hadath.ingest.reader import kind_of

    total = 0
    for name in inputs:
        path = Path(name)
        if name == "-" or "://" in name:
            return None
        if path.is_dir():
            total += sum(1 for p in path.rglob("*") if p.is_file() and kind_of(p.name)[0] in ("text", "html"))
            continue
        kind, compressed = kind_of(name)
        if kind in ("text", "html"):
            total += 1
        elif kind == "jsonl" and path.is_file():
            try:
                with (gzip.open(path, "rb") if compressed else open(path, "rb")) as handle:
                    total += sum(1 for line in handle if line.strip())
            except (OSError, EOFError):
                return None
        else:
            return None
    return total


@main.command()
@DB_OPTION
@click.option("--limit", type=int, default=None, help="At most this many articles.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@NER_CHOICE
@FAST
def reprocess(db_url: Optional[str], limit: Optional[int], progress: Optional[bool], ner: Optional[str],
              fast: bool) -> None:
    """Annotate again the stored articles that an older hadath or other models produced."""
    from hadath.engine import build_pipeline
    from hadath.ingest.loader import reprocess as run_reprocess

    store = _open_store(db_url, must_exist=True)
    options = _options(ner=ner, fast=fast)
    stale = len(store.stale(options.profile, limit))
    bar = _Progress(_show_progress(progress), stale)
    try:
        done, failed = run_reprocess(store, build_pipeline(options), options, limit=limit,
                                     report=lambda m: bar.write(f"hadath: {m}"), on_article=bar.step)
        if done:
            store.optimize()
    finally:
        bar.close()
        store.close()
    click.echo(f"hadath: {done} article(s) reprocessed, {failed} failed, of {stale} stale", err=True)
    if failed:
        sys.exit(1)


def event_filters(func: Callable) -> Callable:
    """The event filters shared by export (and mirrored by the API)."""
    options = [
        click.option("--since", type=DATE, default=None, help="Events on or after this date."),
        click.option("--until", type=DATE, default=None, help="Events on or before this date."),
        click.option("--type", "types", multiple=True, help="PLOVER event type (repeatable)."),
        click.option("--cameo-root", default=None, help="Two-digit CAMEO root, e.g. 19."),
        click.option("--actor", default=None, help="Actor id as source or target."),
        click.option("--country", default=None, help="ISO3 of the event location."),
        click.option("--actor-country", default=None, help="ISO3 of the source or the target."),
        click.option("--bbox", default=None, help="min_lon,min_lat,max_lon,max_lat"),
        click.option("--outlet", default=None, help="Source outlet of the article."),
        click.option("--min-confidence", type=float, default=None),
        click.option("--include-unreal", is_flag=True,
                     help="Also negated, future, hypothetical and conditional events."),
        click.option("--exclude-historical", is_flag=True,
                     help="Leave out background events dated well before their article."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_query(filters: dict[str, Any]):
    from hadath.store import BBox, EventQuery, QueryError

    try:
        bbox = BBox.parse(filters.pop("bbox")) if filters.get("bbox") else None
        filters.pop("bbox", None)
        filters["types"] = tuple(t.upper() for t in filters.get("types") or ())
        return EventQuery(bbox=bbox, **filters)
    except QueryError as error:
        _fail(str(error))


@main.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["plover", "csv", "parquet", "geojson"]), default="plover",
              show_default=True, help="PLOVER JSONL, flat CSV, Parquet, or GeoJSON of located events.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here (required for parquet; default: standard output).")
@click.option("--limit", type=int, default=None, help="At most this many events.")
@event_filters
def export(db_url: Optional[str], fmt: str, output: Optional[Path], limit: Optional[int], **filters: Any) -> None:
    """Stored events matching the filters, newest first."""
    from hadath.export.corpus import BINARY, export_events

    if fmt in BINARY and output is None:
        _fail(f"--format {fmt} writes a binary file: give -o PATH")
    query = build_query(filters)
    store = _open_store(db_url, must_exist=True)
    tmp = None
    try:
        if output is None:
            written = export_events(store, query, fmt, sys.stdout, limit)
        else:
            tmp = output.with_name(output.name + ".part")
            with open(tmp, "wb" if fmt in BINARY else "w", **({} if fmt in BINARY else {"encoding": "utf-8",
                                                                                        "newline": ""})) as out:
                written = export_events(store, query, fmt, out, limit)
            os.replace(tmp, output)
            tmp = None
    except BrokenPipeError:
        raise
    except OSError as error:
        _fail(f"cannot write {output}: {error.strerror or error}")
        return
    finally:
        if tmp is not None and tmp.exists():
            tmp.unlink()
        store.close()
    click.echo(f"hadath: {written} event(s) exported", err=True)


@main.command()
@DB_OPTION
def stats(db_url: Optional[str]) -> None:
    """What the corpus holds."""
    store = _open_store(db_url, must_exist=True)
    try:
        click.echo(json.dumps(store.stats(), ensure_ascii=False, indent=1))
    finally:
        store.close()


@main.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--api-key", default=None, envvar="HADATH_API_KEY",
              help="Key that writes (POST /api/articles) must send as X-API-Key; without one, writes are "
                   "refused. Also read from $HADATH_API_KEY.")
@NER_CHOICE
def serve(db_url: Optional[str], host: str, port: int, api_key: Optional[str], ner: Optional[str]) -> None:
    """The HTTP API (/api/..., OpenAPI document at /openapi.json) and the web explorer (/) over a corpus."""
    from hadath.store import StoreError

    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401

        from hadath.api import serve as run_server
    except ImportError:
        _fail("serving needs FastAPI and uvicorn: pip install 'hadath[serve]'")
        return

    try:
        run_server(db_url, host=host, port=port, api_key=api_key, ner=_options(ner=ner).ner)
    except StoreError as error:
        _fail(str(error))
