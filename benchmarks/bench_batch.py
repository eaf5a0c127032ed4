"""``hadath batch`` throughput: articles/second for the local engine with 1 and 2
worker processes, and Ray Data with 2 actors, on ANT articles, for each profile
(``fast``: no neural model; ``rules``; ``hybrid``: the default, with the tagger).

    python benchmarks/bench_batch.py [--n 400] [--n-hybrid 120] [--profiles fast,rules,hybrid]
        [--engines local:1,local:2,ray:2] [--id-contains middleEast]
        [--corpus ../shared/data/news/ant_v2.1_multisource.jsonl.gz]

Times are wall clock for a whole run into a fresh folder: reading, starting the
workers and loading their pipelines, annotating and writing Parquet.  The Ray
cluster is started before timing (as a running cluster would be), its actors are
not.  Each run is its own process, so "peak RSS per worker" is that of the
largest worker process (``RUSAGE_CHILDREN``; the run's own process for one local
worker, which works in-process; not measured for Ray actors).  Prints a Markdown
table and the machine it ran on.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared/data/news/ant_v2.1_multisource.jsonl.gz"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        memory = 0.0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cpu}, {cores} cores, {memory:.0f} GB, Python {platform.python_version()}, {platform.system()}"


def sample(corpus: Path, n: int, contains: str, into: Path) -> Path:
    """The first ``n`` JSONL lines whose text contains ``contains`` (all when empty)."""
    path = into / f"sample-{n}.jsonl"
    taken = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as lines, open(path, "w", encoding="utf-8") as out:
        for line in lines:
            if contains in line:
                out.write(line)
                taken += 1
                if taken >= n:
                    break
    return path


def run(path: Path, profile: str, engine: str, workers: int, into: Path) -> tuple[int, float, float]:
    """One run in a fresh process: (articles, seconds, peak RSS of a worker in MB)."""
    out = into / f"out-{profile}-{engine}-{workers}"
    shutil.rmtree(out, ignore_errors=True)
    result = subprocess.run([sys.executable, __file__, "--one", str(path), profile, engine, str(workers), str(out)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{profile} {engine}:{workers} failed:\n{result.stderr[-3000:]}")
    articles, seconds, peak = json.loads(result.stdout.strip().splitlines()[-1])
    return articles, seconds, peak


def run_one(path: str, profile: str, engine: str, workers: int, out: str) -> int:
    """The measured run (``--one``): prints ``[articles, seconds, peak worker RSS MB]``."""
    import resource

    from hadath.batch import BatchOptions, run_batch

    if engine == "ray":
        import ray

        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    ner = "rules" if profile == "fast" else profile
    started = time.perf_counter()
    summary = run_batch(BatchOptions(inputs=(path,), output=Path(out), engine=engine, workers=workers, ner=ner,
                                     fast=profile == "fast", batch_size=16))
    seconds = time.perf_counter() - started
    who = resource.RUSAGE_SELF if engine == "local" and workers == 1 else resource.RUSAGE_CHILDREN
    peak = resource.getrusage(who).ru_maxrss / 1024 if engine == "local" else float("nan")
    print(json.dumps([summary.articles, seconds, peak]))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=400, help="articles for --ner rules")
    parser.add_argument("--n-hybrid", type=int, default=120, help="articles for the tagger profile (slower)")
    parser.add_argument("--profiles", default="fast,rules,hybrid")
    parser.add_argument("--one", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--engines", default="local:1,local:2,ray:2")
    parser.add_argument("--id-contains", default="middleEast")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if args.one:
        path, profile, engine, workers, out = args.one
        return run_one(path, profile, engine, int(workers), out)
    if not args.corpus.exists():
        print(f"skipped: corpus {args.corpus} not found (needs ../shared)")
        return 0
    engines = [(name, int(workers)) for name, workers in (item.split(":") for item in args.engines.split(","))]
    if any(name == "ray" for name, _ in engines):
        try:
            import ray  # noqa: F401
        except ImportError:
            print("Ray is not installed: ray rows skipped (pip install 'hadath[ray]')", file=sys.stderr)
            engines = [e for e in engines if e[0] != "ray"]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for profile in args.profiles.split(","):
            n = args.n_hybrid if profile in ("hybrid", "tagger") else args.n
            path = sample(args.corpus, n, args.id_contains, folder)
            for engine, workers in engines:
                done, seconds, peak = run(path, profile, engine, workers, folder)
                rows.append((profile, engine, workers, done, seconds, peak))
                print(f"{profile} {engine}:{workers}: {done} articles in {seconds:.1f} s", file=sys.stderr)
    print(f"Machine: {machine()}\n")
    print("| profile | engine | workers | articles | seconds | articles / s | peak RSS per worker, MB |")
    print("|---|---|---|---|---|---|---|")
    for profile, engine, workers, done, seconds, peak in rows:
        memory = "-" if peak != peak else f"{peak:.0f}"
        print(f"| {profile} | {engine} | {workers} | {done} | {seconds:.1f} | {done / seconds:.1f} | {memory} |")
    return 0


if __name__ == "__main__":      # the local engine spawns workers that import this file
    sys.exit(main())
