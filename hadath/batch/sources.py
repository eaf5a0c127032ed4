"""Inputs of a batch, turned into chunks of articles in a fixed order.

Local files and folders go through :func:`hadath.ingest.reader.read_inputs`, so
ids, limits and problems are those of ``hadath ingest``.  Parquet files (a column
``text``/``body``/``content`` plus optional ``id``/``docno``, ``title``,
``published``/``time``/``date``, ``url``, ``source``) and ``scheme://`` paths
(s3, gs, hdfs...) are read with pyarrow's filesystems; each Parquet row is checked
like a JSONL record.  Everything is read in the driver: chunk numbers and ids must
be the same in every run for a restarted batch to skip what is done.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence, Union

from hadath.batch.model import BatchError, Chunk
from hadath.ingest.model import ArticleInput, IngestOptions, InputProblem

Item = Union[ArticleInput, InputProblem]
PARQUET = (".parquet", ".parq")
_PROBLEMS_PER_CHUNK = 1024      # a file of garbage still moves on in bounded memory


@dataclass(frozen=True)
class Source:
    """One input as named, its stable label (absolute path or URI) and its reader."""

    name: str
    label: str
    items: Callable[[IngestOptions], Iterator[Item]]


def first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def is_parquet(name: str) -> bool:
    return name.lower().endswith(PARQUET)


def is_remote(name: str) -> bool:
    return "://" in name and not name.lower().startswith(("http://", "https://"))


def resolve(names: Sequence[str]) -> list[Source]:
    """Check every input before any work starts: a typo fails now, not hours later."""
    sources = []
    for name in names:
        if name == "-":
            raise BatchError("hadath batch cannot read standard input (a restarted batch must read it again); "
                             "name files")
        if name.lower().startswith(("http://", "https://")):
            raise BatchError(f"{name}: hadath batch reads files, not URLs (use hadath ingest --fetch)")
        sources.append(_remote(name) if is_remote(name) else _local(name))
    return sources


def _local(name: str) -> Source:
    path = Path(name)
    if not path.exists():
        raise BatchError(f"{name}: no such file or directory")
    label = os.path.abspath(name)
    if path.is_dir():
        from hadath.ingest.reader import kind_of, read_inputs

        files = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path).parts))
        tables = [p for p in files if is_parquet(p.name)]
        others = any(kind_of(p.name)[0] for p in files)

        def folder(options: IngestOptions) -> Iterator[Item]:
            if others or not tables:
                yield from read_inputs([name], options)
            for table in tables:
                yield from parquet_items(_local_fs(), str(table), str(table), options)
        return Source(name, label, folder)
    if is_parquet(name):
        return Source(name, label, lambda options: parquet_items(_local_fs(), name, name, options))

    def one(options: IngestOptions) -> Iterator[Item]:
        from hadath.ingest.reader import read_inputs

        yield from read_inputs([name], options)
    return Source(name, label, one)


def _remote(uri: str) -> Source:
    from pyarrow import ArrowException
    from pyarrow.fs import FileSelector, FileSystem, FileType

    try:
        fs, path = FileSystem.from_uri(uri)
        info = fs.get_file_info(path)
    except (OSError, ArrowException, ValueError) as error:
        raise BatchError(f"{uri}: cannot open: {first_line(error)}") from error
    if info.type == FileType.NotFound:
        raise BatchError(f"{uri}: no such file or directory")
    if info.type == FileType.File:
        return Source(uri, uri, lambda options: _remote_file(fs, path, uri, options))
    prefix = uri.rstrip("/")

    def folder(options: IngestOptions) -> Iterator[Item]:
        from hadath.ingest.reader import kind_of

        try:
            entries = fs.get_file_info(FileSelector(path, recursive=True))
        except (OSError, ArrowException) as error:
            yield InputProblem(uri, f"cannot list: {first_line(error)}")
            return
        found = 0
        for entry in sorted(entries, key=lambda e: e.path):
            relative = entry.path[len(path.rstrip("/")):].lstrip("/")
            if entry.type != FileType.File or _hidden(relative.split("/")):
                continue
            if is_parquet(entry.path) or kind_of(entry.path)[0]:
                found += 1
                yield from _remote_file(fs, entry.path, f"{prefix}/{relative}", options)
        if not found:
            yield InputProblem(uri, "no readable files (Parquet, JSON Lines, JSON, text, HTML, feeds, WARC)")
    return Source(uri, uri, folder)


def _remote_file(fs: Any, path: str, origin: str, options: IngestOptions) -> Iterator[Item]:
    if is_parquet(path):
        yield from parquet_items(fs, path, origin, options)
        return
    from pyarrow import ArrowException

    from hadath.ingest.reader import read_stream

    try:
        stream = fs.open_input_stream(path, compression=None)
    except (OSError, ArrowException) as error:
        yield InputProblem(origin, f"cannot read: {first_line(error)}")
        return
    with stream:
        yield from read_stream(stream, path, options, origin)


def parquet_items(fs: Any, path: str, origin: str, options: IngestOptions) -> Iterator[Item]:
    """Rows of a Parquet file as articles (``origin#row``, default id ``stem:row``)
    or problems, streamed a record batch at a time."""
    import pyarrow.parquet as pq
    from pyarrow import ArrowException

    from hadath.ingest.reader import stem_of
    from hadath.ingest.records import (
        ID_FIELDS,
        PUBLISHED_FIELDS,
        SOURCE_FIELDS,
        TEXT_FIELDS,
        TITLE_FIELDS,
        URL_FIELDS,
        Record,
        parse_record,
    )

    row = 0
    try:
        with fs.open_input_file(path) as handle:
            table = pq.ParquetFile(handle)
            names = set(table.schema_arrow.names)
            if not names.intersection(TEXT_FIELDS):
                yield InputProblem(origin, f"no text column (looked for {', '.join(TEXT_FIELDS)})")
                return
            fields = (TEXT_FIELDS, ID_FIELDS, TITLE_FIELDS, PUBLISHED_FIELDS, URL_FIELDS, SOURCE_FIELDS)
            columns = [name for group in fields for name in group if name in names]
            stem = stem_of(path)
            for batch in table.iter_batches(batch_size=1024, columns=columns):
                for values in batch.to_pylist():
                    row += 1
                    result = parse_record(values, options)
                    if isinstance(result, Record):
                        yield ArticleInput(id=result.id or f"{stem}:{row}", text=result.text, title=result.title,
                                           published=result.published, url=result.url, source=result.source,
                                           origin=f"{origin}#{row}")
                    else:
                        yield InputProblem(origin, f"row {row}: {result}")
    except (OSError, ArrowException) as error:
        yield InputProblem(origin, f"cannot read Parquet{f' after row {row}' if row else ''}: {first_line(error)}")
        return
    if row == 0:
        yield InputProblem(origin, "no rows")


def chunks(sources: Sequence[Source], options: IngestOptions, batch_size: int) -> Iterator[Chunk]:
    """Chunks of up to ``batch_size`` articles, never spanning two inputs; ids made
    unique over the whole run (``~2``, ``~3``... as ``read_inputs`` does)."""
    seen: set[str] = set()
    part = 0
    for source in sources:
        index = 0
        articles: list[ArticleInput] = []
        problems: list[InputProblem] = []
        for item in source.items(options):
            full = len(articles) >= batch_size if isinstance(item, ArticleInput) else \
                len(problems) >= _PROBLEMS_PER_CHUNK
            if full:        # emitted only when the next item needs room: trailing problems join the last chunk
                yield Chunk(part, source.label, index, tuple(articles), tuple(problems))
                part, index, articles, problems = part + 1, index + 1, [], []
            if isinstance(item, InputProblem):
                problems.append(item)
            else:
                unique = _unique(item.id, seen)
                articles.append(item if unique == item.id else replace(item, id=unique))
        if articles or problems:
            yield Chunk(part, source.label, index, tuple(articles), tuple(problems))
            part += 1


def _unique(candidate: str, seen: set[str]) -> str:
    unique, n = candidate, 2
    while unique in seen:
        unique, n = f"{candidate}~{n}", n + 1
    seen.add(unique)
    return unique


def _hidden(parts: Sequence[str]) -> bool:
    return any(part.startswith((".", "_")) for part in parts)


def _local_fs() -> Any:
    from pyarrow.fs import LocalFileSystem

    return LocalFileSystem()
