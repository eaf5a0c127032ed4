"""CoNLL reading, BIO spans and `hadath eval ner`."""
from __future__ import annotations

import subprocess
import sys

from hadath.ner.conll import read_conll, spans
from tests.conftest import ROOT, SHARED, need


def test_bio_spans_exact():
    assert spans(["B-PERS", "I-PERS", "O", "B-LOC", "B-LOC", "I-ORG"]) == {
        (0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC"), (5, 6, "ORG")}


def test_read_conll_and_errors(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("\u200eخليل B-PERS\nالحية I-PERS\nفي O\n\nدمشق B-LOC\n", encoding="utf-8")
    sentences = read_conll(good)
    assert [s.tokens for s in sentences] == [("خليل", "الحية", "في"), ("دمشق",)]
    bad = tmp_path / "b.txt"
    bad.write_text("خليل\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "hadath.cli", "eval", "ner", str(bad)], capture_output=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 2 and b"expected 'token TAG'" in result.stderr


def test_eval_ner_scores_a_small_file(tmp_path):
    conll = tmp_path / "c.txt"
    conll.write_text("التقى O\nخليل B-PERS\nالحية I-PERS\nفي O\nدمشق B-LOC\n. O\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "hadath.cli", "eval", "ner", str(conll)], capture_output=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "PER" in out and "100.0" in out


def test_anercorp_test_split_baseline():
    """The rule-based recogniser on ANERcorp test: a floor under the figure in the README."""
    need(SHARED / "data/ner/anercorp/ANERCorp_CamelLab_test.txt")
    from hadath.engine import build_pipeline
    from hadath.ner.conll import evaluate_conll
    from hadath.options import ExtractOptions

    report = evaluate_conll(SHARED / "data/ner/anercorp/ANERCorp_CamelLab_test.txt",
                            build_pipeline(ExtractOptions(events=False, quotes=False, dates=False)))
    assert report.micro_over(("PER", "LOC", "ORG")).f1 >= 0.50
