"""Is an event's ``confidence`` calibrated?  Reliability tables on hadath's ANT gold.

    python benchmarks/bench_calibration.py [--gold benchmarks/gold/ant] [--gold benchmarks/gold/ant_test]
                                           [--ner rules|hybrid] [--raw]

For every predicted event that happened (not negated, asserted or historical) in the
gold articles, "right" means it matches a gold event of its type (the ``events: type``
rule of ``hadath eval``; events matching only an ``optional`` gold event are left
out).  Printed per gold folder:

* reliability: events by confidence bin, their mean confidence and the share that is
  right (a calibrated confidence has the two about equal), and the expected
  calibration error (ECE, the count-weighted mean gap);
* thresholds: keeping only events with confidence >= t, precision and recall (recall
  over all non-optional gold events) -- what a user trades by raising the threshold.

``--raw`` runs the pipeline without the calibration stage
(:mod:`hadath.events.calibration`), to compare.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "data" / "news" / "ant_v2.1_multisource.jsonl.gz"
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)
THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def main() -> int:
    from hadath.eval.gold import event_outcomes
    from hadath.eval.run import gold_predictions
    from hadath.options import ExtractOptions

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, action="append", help="gold folder (repeatable); default: ant and ant_test")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--ner", choices=["rules", "hybrid"], default="hybrid")
    parser.add_argument("--raw", action="store_true", help="score the confidence before calibration")
    args = parser.parse_args()
    folders = args.gold or [ROOT / "benchmarks" / "gold" / "ant", ROOT / "benchmarks" / "gold" / "ant_test"]
    if not args.corpus.exists():
        print(f"{args.corpus}: missing (../shared must be beside the repository)", file=sys.stderr)
        return 2
    options = ExtractOptions(ner=args.ner, calibrate=not args.raw)
    field = "raw confidence" if args.raw else "calibrated confidence"
    for folder in folders:
        scored: list[tuple[float, bool]] = []
        gold_total = 0
        for _, gold, text, predicted in gold_predictions(folder, corpus=args.corpus, options=options):
            outcomes, gold_count = event_outcomes(text, gold, predicted)
            gold_total += gold_count
            scored.extend((float(event["confidence"]), right) for event, right in outcomes)
        print(f"\n{folder.name}: {len(scored)} predicted events, {gold_total} gold events; {field}")
        print(f"{'bin':<11} {'events':>6} {'mean conf':>9} {'right':>6}")
        gap = 0.0
        for low, high in zip(BINS, BINS[1:]):
            chosen = [(c, r) for c, r in scored if low <= c < high]
            if not chosen:
                print(f"{low:.1f}-{min(high, 1.0):.1f}    {0:>6}")
                continue
            mean = sum(c for c, _ in chosen) / len(chosen)
            right = sum(r for _, r in chosen) / len(chosen)
            gap += len(chosen) * abs(mean - right)
            print(f"{low:.1f}-{min(high, 1.0):.1f}    {len(chosen):>6} {mean:>9.3f} {right:>6.3f}")
        print(f"ECE {gap / max(1, len(scored)):.3f}")
        print(f"{'threshold':<9} {'kept':>5} {'P':>6} {'R':>6}")
        for t in THRESHOLDS:
            kept = [r for c, r in scored if c >= t]
            tp = sum(kept)
            print(f"{t:<9.1f} {len(kept):>5} {tp / max(1, len(kept)):>6.3f} {tp / max(1, gold_total):>6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
