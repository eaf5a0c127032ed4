"""Quality floors on the 30-article development gold set (benchmarks/gold/ant).

The floors sit a little under the scores measured when they were pinned (see the
README); a change that drops below them fails CI.  This is a development set:
rules were tuned while looking at it, so the figures are not an independent test.
"""
from __future__ import annotations

import pytest

from tests.conftest import ANT, ROOT, need

FLOORS = {
    "entities (lenient)": 0.87,     # measured 0.891 (hybrid entity stage)
    "events: type": 0.45,           # 0.481
    "events: type+source": 0.26,    # 0.285
    "quotes (cue+content)": 0.73,   # 0.757
    "quotes (+speaker)": 0.57,      # 0.601
}


@pytest.fixture(scope="module")
def dev_report():
    from hadath.eval.run import evaluate

    return evaluate(ROOT / "benchmarks" / "gold" / "ant", corpus=need(ANT))


@pytest.mark.parametrize("measure,floor", sorted(FLOORS.items()))
def test_f1_floor(dev_report, measure, floor):
    assert dev_report.scores[measure].f1 >= floor, dev_report.table()


# accuracies (hadath/eval/linking.py) over the gold entities the system found
ACCURACY_FLOORS = {
    "actor linking (found)": 0.89,          # measured 0.912
    "English name given (found)": 0.97,     # 0.996
    "geocoding country (found)": 0.96,      # 0.993
    "geocoding place (found)": 0.95,        # 0.993
}


@pytest.mark.parametrize("measure,floor", sorted(ACCURACY_FLOORS.items()))
def test_accuracy_floor(dev_report, measure, floor):
    assert dev_report.accuracies[measure].total >= 100
    assert dev_report.accuracies[measure].value >= floor, dev_report.table()
