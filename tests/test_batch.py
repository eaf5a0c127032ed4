"""`hadath batch`: the same records from every engine and worker count, problems
instead of crashes, Parquet that pyarrow and DuckDB read, and resuming after a
kill without losing or repeating a record."""
from __future__ import annotations

import gzip
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from hadath.batch import TABLES, BatchError, BatchOptions, BatchSummary, run_batch  # noqa: E402
from hadath.batch.output import MANIFEST  # noqa: E402
from tests.conftest import ANT, need  # noqa: E402

N_GOOD = 40
BATCH = 8
CLI = [sys.executable, "-c", "import hadath.cli_batch; from hadath.cli import run; run()", "batch"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """40 ANT articles (half of them political news, where events are dense), one
    English article and one line that is not JSON."""
    source = need(ANT)
    with gzip.open(source, "rt", encoding="utf-8") as lines:
        first = list(itertools.islice(lines, 20))
        political = list(itertools.islice((line for line in lines if "middleEast" in line), N_GOOD - 20))
    path = tmp_path_factory.mktemp("batch") / "corpus.jsonl"
    bad = [json.dumps({"id": "english", "text": "An English article about the weather, not Arabic at all."}) + "\n",
           "this line is not JSON\n"]
    path.write_text("".join(first[:10] + bad[:1] + first[10:] + political + bad[1:]), encoding="utf-8")
    return path


def batch(corpus: "Path | str", out: Path, **kwargs) -> BatchSummary:
    options = {"inputs": (str(corpus),), "output": out, "ner": "rules", "batch_size": BATCH, "workers": 1, **kwargs}
    return run_batch(BatchOptions(**options))


def records(out: Path) -> dict[str, list[str]]:
    """Every row of every table, comparable across runs: the PLOVER record's coding
    time is dropped, rows are sorted."""
    tables = {}
    for table in TABLES:
        rows = pq.read_table(out / table).to_pylist()
        for row in rows:
            if "plover" in row:
                plover = json.loads(row["plover"])
                plover.pop("coded_date"), plover.pop("coded_time")
                row["plover"] = plover
        tables[table] = sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in rows)
    return tables


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> Path:
    """A clean run with one worker (in-process): what every other run must give."""
    out = tmp_path_factory.mktemp("reference") / "out"
    summary = batch(corpus, out)
    assert summary.articles == N_GOOD and summary.problems == 2, summary.line()
    return out


def test_tables_hold_every_article_once(reference):
    articles = pq.read_table(reference / "articles").to_pylist()
    ids = [row["id"] for row in articles]
    assert len(ids) == len(set(ids)) == N_GOOD
    assert {row["model_version"].split("-")[0] for row in articles} == {"rules+unlinked+add"}   # the default event check ran
    events = pq.read_table(reference / "events")
    assert events.num_rows == sum(row["n_events"] for row in articles) > 0
    assert set(events.column("article_id").to_pylist()) <= set(ids)
    record = json.loads(events.column("plover")[0].as_py())
    assert record["id"] == events.column("event_id")[0].as_py() == events.column("record_id")[0].as_py()
    assert pq.read_table(reference / "entities").num_rows == sum(row["n_entities"] for row in articles)
    assert pq.read_table(reference / "quotes").num_rows == sum(row["n_quotes"] for row in articles)
    problems = pq.read_table(reference / "problems").to_pylist()
    assert sorted(p["message"].split(":")[1].strip() for p in problems) == [
        "invalid JSON", "not Arabic text (0% Arabic letters)"]
    parts = sorted(p.name for p in (reference / "events").iterdir())
    assert parts == [f"part-{n:05d}.parquet" for n in range(len(parts))] and len(parts) == N_GOOD // BATCH


def test_duckdb_reads_the_tables(reference):
    duckdb = pytest.importorskip("duckdb")
    (count,), = duckdb.sql(f"SELECT count(*) FROM '{reference}/articles/*.parquet'").fetchall()
    (joined,), = duckdb.sql(f"SELECT count(*) FROM '{reference}/events/*.parquet' e "
                         f"JOIN '{reference}/articles/*.parquet' a ON a.id = e.article_id").fetchall()
    assert count == N_GOOD and joined == pq.read_table(reference / "events").num_rows


def test_two_workers_give_the_same_records(corpus, reference, tmp_path):
    summary = batch(corpus, tmp_path / "out", workers=2, batch_size=5)
    assert summary.articles == N_GOOD
    assert records(tmp_path / "out") == records(reference)


@pytest.fixture
def local_ray():
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'hadath[ray]')")
    pytest.importorskip("ray.data", reason="Ray Data is not installed (pip install 'hadath[ray]')")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")      # Ray's own, from its DataContext
def test_ray_gives_the_same_records(corpus, reference, tmp_path, local_ray):
    summary = batch(corpus, tmp_path / "out", engine="ray", workers=2)
    assert summary.articles == N_GOOD and summary.problems == 2
    assert records(tmp_path / "out") == records(reference)
    assert local_ray.is_initialized()       # a cluster the caller started is left running


def test_a_crashing_article_becomes_a_problem(corpus, reference, tmp_path, monkeypatch):
    from hadath.pipeline import Pipeline

    victim = pq.read_table(reference / "articles").column("id")[3].as_py()
    original = Pipeline.__call__

    def crash(self, doc):
        if doc.id == victim:
            raise RuntimeError("boom")
        return original(self, doc)

    monkeypatch.setattr(Pipeline, "__call__", crash)
    summary = batch(corpus, tmp_path / "out")
    assert summary.articles == N_GOOD - 1 and summary.problems == 3
    problems = pq.read_table(tmp_path / "out" / "problems").to_pylist()
    assert [p["message"] for p in problems if p["article_id"] == victim] == ["processing failed: RuntimeError: boom"]
    assert victim not in pq.read_table(tmp_path / "out" / "articles").column("id").to_pylist()


def _drop_last_line(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]) + '{"part": 4, "key": "torn', encoding="utf-8")


def test_resume_after_a_lost_part_redoes_only_that_chunk(reference, corpus, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    last = max((out / "events").iterdir()).name
    (out / "events" / last).unlink()                                  # never written
    (out / "articles" / last).write_bytes(b"PAR1 half a part")        # killed mid-write
    (out / "quotes" / f".{last}.tmp").write_bytes(b"leftover")
    _drop_last_line(out / MANIFEST)                                   # torn manifest line
    summary = batch(corpus, out)
    assert summary.resumed_parts == N_GOOD // BATCH - 1 and summary.articles == N_GOOD
    assert records(out) == records(reference)
    assert not list((out / "quotes").glob(".*"))
    assert len((out / MANIFEST).read_text().splitlines()) == 1 + N_GOOD // BATCH


def test_resume_after_sigkill_loses_and_repeats_nothing(reference, corpus, tmp_path):
    out = tmp_path / "out"
    args = CLI + [str(corpus), "-o", str(out), "--ner", "rules", "--batch-size", "2", "--workers", "1"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    manifest = out / MANIFEST
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if manifest.exists() and len(manifest.read_text().splitlines()) >= 4:
            break
        time.sleep(0.01)
    killed = process.poll() is None
    if killed:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert killed, "the batch finished before it could be killed"
    done = len(manifest.read_text().splitlines()) - 1
    assert 0 < done < N_GOOD // 2 + 1
    finished = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert f"{N_GOOD} articles (" in finished.stderr
    ids = pq.read_table(out / "articles").column("id").to_pylist()
    assert len(ids) == len(set(ids)) == N_GOOD
    assert records(out) == records(reference)


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds worker processes through /proc")
def test_workers_exit_when_the_driver_is_killed(reference, corpus, tmp_path):
    out = tmp_path / "out"
    args = CLI + [str(corpus), "-o", str(out), "--ner", "rules", "--batch-size", "2", "--workers", "2"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if (out / MANIFEST).exists() and len((out / MANIFEST).read_text().splitlines()) >= 3:
                break
            time.sleep(0.01)
        workers = _children(process.pid)
        assert process.poll() is None and len(workers) >= 2, "the batch finished before it could be killed"
        process.kill()                          # the driver only, as the OOM killer would
        process.wait(timeout=30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.1)
        assert not [pid for pid in workers if _alive(pid)], "worker processes outlived their driver"
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    summary = batch(corpus, out, batch_size=2)
    assert summary.resumed_parts > 0 and summary.articles == N_GOOD
    assert records(out) == records(reference)


def test_parquet_input_gives_the_same_articles(corpus, reference, tmp_path):
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()[:12]
            if line.startswith("{")]
    table = pa.table({"text": [r["text"] for r in rows], "docno": [r.get("docno", r.get("id")) for r in rows],
                      "title": [r.get("title") for r in rows], "time": [r.get("time") for r in rows],
                      "url": [r.get("url") for r in rows], "source": [r.get("src") for r in rows]})
    source = tmp_path / "corpus.parquet"
    pq.write_table(table, source, row_group_size=5)
    summary = batch(source, tmp_path / "out")
    assert summary.articles == 11 and summary.problems == 1
    got = {r["id"]: r for r in pq.read_table(tmp_path / "out" / "articles").to_pylist()}
    want = {r["id"]: r for r in pq.read_table(reference / "articles").to_pylist() if r["id"] in got}
    assert len(want) == 11
    for key in ("published", "title", "url", "source", "n_entities", "n_events", "n_quotes", "focus_country"):
        assert {i: r[key] for i, r in got.items()} == {i: r[key] for i, r in want.items()}, key
    assert got[rows[0]["docno"]]["origin"] == f"{source}#1"


def test_a_uri_folder_reads_jsonl_gz_and_parquet(corpus, reference, tmp_path):
    """``scheme://`` paths go through pyarrow's filesystems (``file://`` stands in for s3://)."""
    folder = tmp_path / "bucket"
    folder.mkdir()
    (folder / "a.jsonl.gz").write_bytes(gzip.compress(corpus.read_bytes()))
    pq.write_table(pq.read_table(reference / "articles" / "part-00000.parquet").slice(0, 3), folder / "b.parquet")
    (folder / "_SUCCESS").write_text("")
    summary = batch(f"file://{folder}", tmp_path / "out", workers=2)
    assert summary.articles == N_GOOD + 3 and summary.problems == 2
    articles = pq.read_table(tmp_path / "out" / "articles").to_pylist()
    again = [a for a in articles if a["origin"].startswith(f"file://{folder}/b.parquet#")]
    assert [a["id"] for a in again] == [f"{a['id']}~2" for a in articles[:3]]      # ids unique over the run
    assert articles[0]["origin"] == f"file://{folder}/a.jsonl.gz:1"


def test_resume_refuses_other_options_unless_forced(corpus, reference, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    with pytest.raises(BatchError, match=r"other options \(batch_size: 8 -> 4\).*--force"):
        batch(corpus, out, batch_size=4)
    summary = batch(corpus, out, batch_size=4, force=True)
    assert summary.resumed_parts == 0 and summary.parts == N_GOOD // 4
    assert records(out) == records(reference)


def test_a_folder_of_other_files_is_refused(corpus, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(BatchError, match="not empty and holds no hadath batch"):
        batch(corpus, tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def cli(*args: str):
    import hadath.cli_batch  # noqa: F401 - registers the command
    from hadath.cli import main

    return CliRunner().invoke(main, ["batch", *args], catch_exceptions=False)


def test_cli_errors_are_one_line(corpus, tmp_path, monkeypatch):
    missing = cli(str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "out"))
    assert missing.exit_code == 2 and missing.stderr.strip() == f"hadath: {tmp_path / 'nope.jsonl'}: no such file or directory"
    blocker = tmp_path / "file"
    blocker.write_text("x")
    unwritable = cli(str(corpus), "-o", str(blocker / "out"), "--ner", "rules")
    assert unwritable.exit_code == 2 and unwritable.stderr.startswith(f"hadath: cannot write to {blocker / 'out'}")
    engine = cli(str(corpus), "-o", str(tmp_path / "out"), "--engine", "spark")
    assert engine.exit_code == 2 and "Invalid value for '--engine'" in engine.stderr
    monkeypatch.setitem(sys.modules, "ray", None)
    no_ray = cli(str(corpus), "-o", str(tmp_path / "out"), "--engine", "ray", "--ner", "rules")
    assert no_ray.exit_code == 2 and "--engine ray needs Ray Data: pip install 'hadath[ray]'" in no_ray.stderr
    assert not (tmp_path / "out").exists()
    address = cli(str(corpus), "-o", str(tmp_path / "out"), "--ray-address", "auto")
    assert address.exit_code == 2 and "--ray-address needs --engine ray" in address.stderr


def test_cli_summary_line(corpus, tmp_path):
    result = cli(str(corpus), "-o", str(tmp_path / "out"), "--ner", "rules", "--batch-size", "16", "--workers", "1")
    assert result.exit_code == 0, result.stderr
    assert f"hadath: {N_GOOD} articles, 2 problems, 3 parts" in result.stderr
    assert "articles/s" in result.stderr.splitlines()[-1]
    assert "skipped" in result.stderr and "line 11: not Arabic text" in result.stderr


def test_fast_mode_is_recorded_and_resumes_only_as_fast(corpus, reference, tmp_path):
    """--fast stamps its own model version, and a resumed run must keep the mode."""
    out = tmp_path / "out"
    summary = batch(corpus, out, fast=True)
    assert summary.articles == N_GOOD
    versions = set(pq.read_table(out / "articles").column("model_version").to_pylist())
    assert len(versions) == 1 and versions.pop().startswith("fast-")
    fast_entities = pq.read_table(out / "entities").num_rows
    assert fast_entities == pq.read_table(reference / "entities").num_rows     # same rule entity stage
    with pytest.raises(BatchError, match="fast"):
        batch(corpus, out)


def test_fast_refuses_a_neural_entity_stage(corpus, tmp_path):
    result = cli(str(corpus), "-o", str(tmp_path / "out"), "--fast", "--ner", "hybrid")
    assert result.exit_code == 2 and result.stderr.startswith("hadath: --fast") and "Traceback" not in result.stderr
