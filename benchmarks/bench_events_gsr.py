"""Event detection and actor spans on the OEDA Arabic event gold standard (issue 4).

    python benchmarks/bench_events_gsr.py [--split dev|test|train|all] [--ner rules|hybrid]
                                          [--errors N] [--data DIR] [--classifier [MODEL]] [--no-add]

Runs hadath on every sentence (one sentence = one document) and prints, per
dataset (ASSAULT, PROTEST) and split: scored sentences, P/R/F1 of "an event of
the type happened here", false positives on easy / difficult negatives, and the
accuracy of the source and target actors against the annotators' spans.  The
split, the exclusions and the matching rule are documented in
``hadath/eval/event_gsr.py``.  The test split is for the record only:
``--errors`` (listing misses and false alarms) refuses it.

``--classifier`` adds :class:`hadath.events.classifier.EventVerifier` after the event
coder (the shipped model unless a path is given): the learned sentence classifier
drops lexicon ASSAULT/PROTEST events it scores under the threshold chosen on dev,
and adds one where it is confident and the lexicon saw a trigger word
(``--no-add``: verify only).  ``--classifier --ant N`` times instead the first N ANT
articles (``../shared/data/news/ant_v2.1_multisource.jsonl.gz``) through the pipeline
with and without the verifier (best of 3 rounds) and how many sentences it encoded.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from hadath.eval.event_gsr import DATASETS, DEFAULT_DIR, SPLITS
    from hadath.options import EVENT_CLASSIFIER_MODES

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="dev")
    parser.add_argument("--ner", choices=["rules", "hybrid"], default="rules", help="entity stage")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="print N false negatives and N false positives per dataset (not on test)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--classifier", nargs="?", const="default", default=None, metavar="MODEL",
                        help="verify the coder's events with the event classifier (hadath/models/events)")
    parser.add_argument("--no-add", action="store_true", help="with --classifier: verify only, add no events")
    parser.add_argument("--event-check", choices=list(EVENT_CLASSIFIER_MODES), default="off",
                        help="the pipeline's own event check (ExtractOptions.event_classifier; hadath's default is "
                             "unlinked); off (the default here) is the lexicon coder alone")
    parser.add_argument("--undated", action="store_true",
                        help="run without publication dates (by default each sentence gets its article's date "
                             "from its id, which lets hadath mark background events as historical)")
    parser.add_argument("--threads", type=int, default=1, help="ONNX Runtime threads of the classifier")
    parser.add_argument("--precision", choices=("int8", "mixed", "float32"), default="int8",
                        help="the classifier's ONNX Runtime matrices (see hadath.events.classifier.E5Encoder)")
    parser.add_argument("--ant", type=int, default=0, metavar="N",
                        help="with --classifier: time N ANT articles with and without the verifier")
    args = parser.parse_args()
    if args.ant:
        return _time_ant(args)
    if not args.data.exists():
        print(f"skipped: {args.data} not found (needs ../shared)")
        return 0
    if args.errors and args.split in ("test", "all"):
        parser.error("--errors is for train/dev only: test errors must not guide the coder")

    from hadath.engine import Resources, build_pipeline
    from hadath.eval.event_gsr import load_gsr, published_of, run_pipeline, score_detection, score_spans
    from hadath.options import ExtractOptions

    data = load_gsr(args.data)
    splits = list(SPLITS) if args.split == "all" else [args.split]
    sentences = [s for s in data.sentences if s.split in splits]
    started = time.perf_counter()
    check = "off" if args.classifier else args.event_check
    pipeline = build_pipeline(ExtractOptions(ner=args.ner, event_classifier=check), Resources())
    label = f", event check {check}" if check != "off" else ""
    if args.classifier:
        pipeline = with_verifier(pipeline, args.classifier, add=not args.no_add, threads=args.threads,
                                 precision=args.precision)
        label = f", event classifier {'verify only' if args.no_add else 'verify + add'}"
    published = {} if args.undated else {s.text: published_of(s) for s in sentences}
    events = run_pipeline(pipeline, (s.text for s in sentences), published=published)
    seconds = time.perf_counter() - started

    print(f"arabic_event_gsr, entity stage {args.ner}{label}: {len(events)} distinct sentences in {seconds:.1f} s")
    print()
    _print_counts(data)
    print(f"{'dataset':<8} {'split':<6} {'n':>5} {'yes':>4} {'P':>6} {'R':>6} {'F1':>6} {'TP':>4} {'FP':>4} {'FN':>4}"
          f"  {'FP easy':>9} {'FP diff':>9}  {'src acc':>12} {'tgt acc':>12}")
    details = []
    for dataset, event_type in DATASETS.items():
        for split in splits:
            chosen = [s for s in sentences if s.dataset == dataset and s.split == split]
            det = score_detection(chosen, events)
            roles = score_spans(data.select_spans(dataset, split), events)
            c = det.counts
            fp = det.fp_by_label
            neg = det.negatives_by_label
            src, tgt = roles["source"], roles["target"]
            print(f"{event_type:<8} {split:<6} {det.n:5d} {c.tp + c.fn:4d} {c.precision:6.3f} {c.recall:6.3f} "
                  f"{c.f1:6.3f} {c.tp:4d} {c.fp:4d} {c.fn:4d}  {fp['easy no']:4d}/{neg['easy no']:<4d} "
                  f"{fp['difficult no']:4d}/{neg['difficult no']:<4d}  {src.accuracy:5.3f} ({src.right:3d}/{src.gold:3d})"
                  f" {tgt.accuracy:5.3f} ({tgt.right:3d}/{tgt.gold:3d})")
            details.append((event_type, split, det, roles))
    print()
    print("span accuracy given a coded event of the type (source / target); records where fewer than half of the "
          "annotator readings mark the role, and hadath leaves it empty too:")
    for event_type, split, _, roles in details:
        src, tgt = roles["source"], roles["target"]
        print(f"  {event_type:<8} {split:<6} {src.accuracy_detected:5.3f} ({src.right}/{src.detected}) / "
              f"{tgt.accuracy_detected:5.3f} ({tgt.right}/{tgt.detected});  empty gold agreed: source "
              f"{src.empty_agreed}/{src.empty_gold}, target {tgt.empty_agreed}/{tgt.empty_gold}")
    print("n: scored sentences (ambiguous excluded); FP easy/diff: false positives / negatives with that label;"
          " src/tgt acc: right / span records of 'yes' sentences whose role at least half of the readings mark")
    _print_annotators(data, splits)
    if args.errors:
        _print_errors(details, events, args.errors)
    return 0


def _print_annotators(data, splits) -> None:
    """The human reference: one annotator scored against the others by the same rules
    (gold only; see hadath.eval.event_gsr.annotator_agreement)."""
    from hadath.eval.event_gsr import DATASETS, annotator_agreement

    print()
    print("reference: one annotator against the others (leave-one-out, same rules; gold only, no system run)")
    print(f"{'dataset':<8} {'split':<6} {'P':>6} {'R':>6} {'F1':>6}  {'src acc':>7} {'tgt acc':>7}")
    for dataset, event_type in DATASETS.items():
        for split in splits:
            agreement = annotator_agreement(data.select(dataset, split), data.select_spans(dataset, split))
            c = agreement.detection
            print(f"{event_type:<8} {split:<6} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}  "
                  f"{agreement.source:7.3f} {agreement.target:7.3f}")


def with_verifier(pipeline, model: str = "default", *, add: bool = True, threads: int = 1, precision: str = "int8"):
    """The pipeline with an :class:`EventVerifier` right after its event coder."""
    from hadath.events.classifier import EventClassifier, EventVerifier
    from hadath.events.coder import EventCoder
    from hadath.pipeline import Pipeline

    kw = {"threads": threads, "precision": precision}
    clf = EventClassifier.load(**kw) if model == "default" else EventClassifier.load(model, **kw)
    stages = list(pipeline.stages)
    k = next(i for i, stage in enumerate(stages) if isinstance(stage, EventCoder))
    stages.insert(k + 1, EventVerifier(clf, coder=stages[k], add=add))
    return Pipeline(stages)


def _time_ant(args) -> int:
    """Time per article of the pipeline with and without the EventVerifier."""
    import gzip
    import json

    from hadath.engine import Resources, build_pipeline, make_document
    from hadath.events.classifier import EventVerifier
    from hadath.options import ExtractOptions

    path = ROOT.parent / "shared" / "data" / "news" / "ant_v2.1_multisource.jsonl.gz"
    if not path.exists():
        print(f"skipped: {path} not found (needs ../shared)")
        return 0
    texts = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            texts.append(json.loads(line)["text"])
            if len(texts) >= args.ant:
                break
    base = build_pipeline(ExtractOptions(ner=args.ner, event_classifier="off"), Resources())
    t0 = time.perf_counter()
    verified = with_verifier(base, args.classifier or "default", add=not args.no_add, threads=args.threads,
                             precision=args.precision)
    load = time.perf_counter() - t0
    verifier = next(s for s in verified.stages if isinstance(s, EventVerifier))
    encoded = []
    predict = verifier.classifier.predict

    def counting(batch):
        encoded.append(len(batch))
        return predict(batch)

    verifier.classifier.predict = counting
    for pipeline in (base, verified):                      # warm-up
        for text in texts[:5]:
            pipeline(make_document(text))
    best = {}
    for _ in range(3):
        for name, pipeline in (("without", base), ("with", verified)):
            encoded.clear()
            t0 = time.perf_counter()
            for i, text in enumerate(texts):
                pipeline(make_document(text, id=str(i)))
            best[name] = min(best.get(name, 1e9), time.perf_counter() - t0)
    n_sent = sum(encoded)
    per_article = {k: 1000 * v / len(texts) for k, v in best.items()}
    added = per_article["with"] - per_article["without"]
    print(f"{len(texts)} ANT articles, entity stage {args.ner}, verifier {'verify only' if args.no_add else 'verify + add'}"
          f", {args.threads} thread(s), {args.precision}; classifier load {load:.2f} s")
    print(f"  pipeline without verifier: {per_article['without']:.2f} ms/article")
    print(f"  pipeline with verifier:    {per_article['with']:.2f} ms/article (+{added:.2f} ms, "
          f"+{100 * added / per_article['without']:.0f} %)")
    print(f"  sentences encoded: {n_sent} ({n_sent / len(texts):.2f}/article); "
          f"{1000 * (best['with'] - best['without']) / max(1, n_sent):.1f} ms per encoded sentence")
    return 0


def _print_counts(data) -> None:
    """Sentences per label in every split (label counts only: no scores)."""
    from hadath.eval.event_gsr import LABELS, SPLITS

    counts = data.counts()
    print(f"{'dataset':<8} {'split':<6} " + " ".join(f"{label:>13}" for label in LABELS) + f" {'total':>6} {'spans':>6}")
    for dataset in ("assault", "protest"):
        for split in SPLITS:
            c = counts.get((dataset, split), {})
            spans = sum(1 for g in data.select_spans(dataset, split) if g.sentence.positive)
            print(f"{dataset.upper():<8} {split:<6} " + " ".join(f"{c.get(label, 0):13d}" for label in LABELS)
                  + f" {sum(c.values()):6d} {spans:6d}")
    print("spans: span records linked to a 'yes' sentence (the ones scored)")
    print()


def _print_errors(details, events, limit: int) -> None:
    """Misses (with any other event types hadath found) and false alarms (with their triggers)."""
    from hadath.eval.event_gsr import happened

    for event_type, split, det, _ in details:
        print(f"\n== {event_type} {split}: {len(det.false_negatives)} false negatives")
        other = Counter()
        for s in det.false_negatives:
            found = events[s.text]
            other.update({f"{e.type}{'' if happened(e) else '(not happened)'}" for e in found} or {"none"})
        print("   event types hadath coded instead:", ", ".join(f"{k} {v}" for k, v in other.most_common()))
        for s in det.false_negatives[:limit]:
            found = ", ".join(f"{e.type}:{e.trigger.text}{'' if happened(e) else '(neg/mod)'}" for e in events[s.text])
            print(f"  FN {s.id} [{found or '-'}]\n     {s.text}")
        print(f"== {event_type} {split}: {len(det.false_positives)} false positives")
        triggers = Counter(e.trigger.text for s in det.false_positives for e in events[s.text]
                           if e.type == event_type and happened(e))
        print("   triggers:", ", ".join(f"{k} {v}" for k, v in triggers.most_common(25)))
        for s in det.false_positives[:limit]:
            found = ", ".join(e.trigger.text for e in events[s.text] if e.type == event_type and happened(e))
            print(f"  FP {s.id} ({s.label}) [{found}]\n     {s.text}")


if __name__ == "__main__":
    sys.exit(main())
