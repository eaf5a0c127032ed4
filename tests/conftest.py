"""Shared fixtures: one set of services for the whole test run, and ../shared."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_TEXT = SHARED / "seed" / "000_6a46131283f92863.txt"
SEED_GOLD = SHARED / "seed" / "000_6a46131283f92863.gold.json"
ANT = SHARED / "data" / "news" / "ant_v2.1_multisource.jsonl.gz"


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
