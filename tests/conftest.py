"""Shared fixtures: one set of services for the whole test run, and ../shared."""
from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_TEXT = SHARED / "seed" / "000_6a46131283f92863.txt"
SEED_GOLD = SHARED / "seed" / "000_6a46131283f92863.gold.json"
ANT = SHARED / "data" / "news" / "ant_v2.1_multisource.jsonl.gz"


def assert_fresh_python_ok(code: str, timeout: int = 120) -> None:
    """Run ``code`` in a new interpreter (so nothing is imported before it) and assert it
    exits cleanly after printing ``ok``."""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0 and "ok" in out.stdout, out.stderr


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"needs {path} (the ../shared data folder beside the repository)")
    return path


@pytest.fixture(scope="session")
def resources():
    from hadath.engine import Resources

    return Resources()


@pytest.fixture(scope="session")
def pipeline(resources):
    from hadath.engine import build_pipeline

    return build_pipeline(resources=resources)


@pytest.fixture(scope="session")
def annotate(pipeline):
    """Run the default pipeline on one written text, published on 2019-03-07 (the role
    tests' sentences say أمس and need a reference date)."""
    import datetime

    from hadath.engine import make_document

    def _annotate(text: str):
        return pipeline(make_document(text, published=datetime.date(2019, 3, 7)))
    return _annotate


@pytest.fixture(scope="session")
def rules_coded(resources):
    """Run the lexicon coder alone on one written text: rule entities and no learned event
    check, so a test sees what the coder's own role rules read."""
    from hadath.engine import build_pipeline, make_document
    from hadath.options import ExtractOptions

    coder = build_pipeline(ExtractOptions(ner="rules", event_classifier="off"), resources)
    return lambda text: coder(make_document(text))


POSTGRES_URL_ENV = "HADATH_TEST_POSTGRES"


def postgres_url() -> str:
    """The test server's URL; .ci/run starts one and sets the variable."""
    import os

    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        pytest.skip(f"needs a PostgreSQL server: set {POSTGRES_URL_ENV}=postgresql://... (.ci/run starts one)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("needs psycopg (pip install 'hadath[postgres]')")
    return url


@contextmanager
def backend_url(kind: str, folder: Path):
    """A fresh, empty database: a SQLite file in ``folder``, or a PostgreSQL
    schema of its own on the test server (dropped afterwards)."""
    if kind == "sqlite":
        yield str(folder / "corpus.db")
        return
    base = postgres_url()
    import uuid
    from urllib.parse import quote

    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def store_url(request, tmp_path):
    with backend_url(getattr(request, "param", "sqlite"), tmp_path) as url:
        yield url


BACKENDS = pytest.mark.parametrize("store_url", ["sqlite", "postgresql"], indirect=True)
