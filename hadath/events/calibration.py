"""Calibrated event confidence: a stage that maps the raw confidence to an estimate of
how often such an event is right.

The raw confidence of an event is either the event classifier's probability (ASSAULT
and PROTEST when the learned check ran) or the coder's evidence score (0.5, plus 0.2
for a named source, 0.1 for a target, 0.1 for a verb, minus 0.3 inside a quotation).
Neither is a probability of being right: on hadath's ANT dev gold, events the coder
scored 0.85 were right 64% of the time.  Each kind gets a Platt scaling,
``sigmoid(a * logit(raw) + b)``, fitted by ``python -m hadath.events.calibration --fit``:

* ``rules``: events of every other type, on hadath's ANT dev gold (right = matches a
  gold event of its type, the ``events: type`` rule of ``hadath eval``);
* ``classifier``: ASSAULT/PROTEST events kept by the check, on the dev split of the
  OEDA Arabic gold (right = the sentence is a ``yes`` of that type).

The coefficients and the data they came from are in ``data/calibration.json``.
``benchmarks/bench_calibration.py`` prints reliability tables (``--raw`` for the
uncalibrated confidence).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional, Sequence

KINDS = ("rules", "classifier")


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class Platt:
    a: float = 1.0
    b: float = 0.0

    def __call__(self, raw: float) -> float:
        return 1.0 / (1.0 + math.exp(-(self.a * _logit(raw) + self.b)))


def load_calibration(path: Optional[Path] = None) -> dict[str, Platt]:
    """The shipped coefficients per kind (identity for a kind the file lacks)."""
    text = path.read_text(encoding="utf-8") if path else \
        (resources.files("hadath.events") / "data" / "calibration.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return {kind: Platt(**data["kinds"][kind]["platt"]) if kind in data.get("kinds", {}) else Platt()
            for kind in KINDS}


@dataclass
class ConfidenceCalibrator:
    """Pipeline stage after the event stages: ``confidence`` becomes calibrated.
    ``verified``: the types whose confidence the event check set (empty without it)."""

    maps: dict[str, Platt]
    verified: tuple[str, ...] = ()
    name: str = "event_calibration"
    requires: tuple[str, ...] = ("events",)
    provides: tuple[str, ...] = ("events",)
    _cache: dict = field(default_factory=dict, init=False, repr=False)

    def __call__(self, doc):
        doc.events = tuple(replace(e, confidence=self.calibrated(e.type, e.confidence)) for e in doc.events)
        return doc

    def calibrated(self, event_type: str, raw: float) -> float:
        kind = "classifier" if event_type in self.verified else "rules"
        key = (kind, round(raw, 4))
        if key not in self._cache:
            self._cache[key] = round(self.maps[kind](raw), 3)
        return self._cache[key]


def fit_platt(samples: Sequence[tuple[float, bool]], l2: float = 0.01, steps: int = 2000) -> Platt:
    """Logistic regression of right/wrong on logit(raw) (gradient descent, a small L2
    pull towards the identity map a=1, b=0 so that few samples cannot run wild)."""
    xs = [_logit(r) for r, _ in samples]
    ys = [1.0 if right else 0.0 for _, right in samples]
    a, b, n = 1.0, 0.0, max(1, len(xs))
    for _ in range(steps):
        ga = l2 * (a - 1.0)
        gb = l2 * b
        for x, y in zip(xs, ys):
            p = 1.0 / (1.0 + math.exp(-(a * x + b)))
            ga += (p - y) * x / n
            gb += (p - y) / n
        a -= 0.5 * ga
        b -= 0.5 * gb
    return Platt(round(a, 4), round(b, 4))


def _rules_samples(gold_dir: Path, corpus: Path) -> list[tuple[float, bool]]:
    from hadath.eval.gold import event_outcomes
    from hadath.eval.run import gold_predictions
    from hadath.events.classifier import VERIFIED_TYPES
    from hadath.options import ExtractOptions

    out = []
    options = ExtractOptions(calibrate=False)
    for _, gold, text, predicted in gold_predictions(gold_dir, corpus=corpus, options=options):
        outcomes, _ = event_outcomes(text, gold, predicted)
        out.extend((e["confidence"], right) for e, right in outcomes if e["type"] not in VERIFIED_TYPES)
    return out


def _classifier_samples() -> list[tuple[float, bool]]:
    from hadath.engine import Resources, build_pipeline
    from hadath.eval.event_gsr import load_gsr, published_of, run_pipeline
    from hadath.options import ExtractOptions

    data = load_gsr()
    sentences = [s for s in data.sentences if s.split == "dev" and s.scored]
    pipeline = build_pipeline(ExtractOptions(ner="rules", calibrate=False), Resources())
    events = run_pipeline(pipeline, [s.text for s in sentences], published={s.text: published_of(s) for s in sentences})
    out = []
    for s in sentences:
        kept = [e.confidence for e in events[s.text] if e.type == s.event_type and e.happened]
        if kept:
            out.append((max(kept), s.positive))
    return out


def fit(gold_dir: Path, corpus: Path, out: Path) -> dict:
    """Fit both maps and write them with their provenance."""
    from datetime import date

    report = {"fitted": date.today().isoformat(), "kinds": {}}
    for kind, samples, source in (
            ("rules", _rules_samples(gold_dir, corpus), f"hadath's ANT dev gold ({gold_dir.name}), default pipeline"),
            ("classifier", _classifier_samples(), "arabic_event_gsr dev split, --ner rules, kept ASSAULT/PROTEST")):
        platt = fit_platt(samples)
        report["kinds"][kind] = {"platt": {"a": platt.a, "b": platt.b}, "samples": len(samples),
                                 "right": sum(1 for _, r in samples if r), "data": source}
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return report


def main(argv: Optional[Iterable[str]] = None) -> int:
    import argparse

    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description="Fit the event-confidence calibration (see the module docstring).")
    parser.add_argument("--fit", action="store_true", required=True)
    parser.add_argument("--gold", type=Path, default=root / "benchmarks" / "gold" / "ant")
    parser.add_argument("--corpus", type=Path, default=root.parent / "shared" / "data" / "news"
                        / "ant_v2.1_multisource.jsonl.gz")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "data" / "calibration.json")
    args = parser.parse_args(list(argv) if argv is not None else None)
    print(json.dumps(fit(args.gold, args.corpus, args.out), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
