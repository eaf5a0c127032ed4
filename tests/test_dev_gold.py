"""Quality floors on the 30-article development gold set (benchmarks/gold/ant).

The floors sit a little under the scores measured when they were pinned (see the
README); a change that drops below them fails CI.  This is a development set:
rules were tuned while looking at it, so the figures are not an independent test.
"""
from __future__ import annotations

import pytest

from tests.conftest import ANT, ROOT, need

FLOORS = {
    "entities (lenient)": 0.79,     # measured 0.815
    "events: type": 0.45,           # 0.479
    "events: type+source": 0.24,    # 0.261
    "quotes (cue+content)": 0.72,   # 0.743
    "quotes (+speaker)": 0.50,      # 0.532
}


@pytest.fixture(scope="module")
def dev_report():
    from hadath.eval.run import evaluate

    return evaluate(ROOT / "benchmarks" / "gold" / "ant", corpus=need(ANT))


@pytest.mark.parametrize("measure,floor", sorted(FLOORS.items()))
def test_f1_floor(dev_report, measure, floor):
    assert dev_report.scores[measure].f1 >= floor, dev_report.table()
