"""The NER tagger on ANERcorp test: speed, memory and CoNLL exact-span scores.

    python benchmarks/bench_ner.py [--model hadath/models/ner/hadath-ner-e5s.npz] [--threads 2]
                                   [--runtime auto|onnx|numpy] [--precision int8|float32]
                                   [--full-pipeline 200]

Three measurements, all through the shipped inference path (no torch; by default the
encoder layers in ONNX Runtime with the int8 matrices, see hadath/ner/ort.py;
``--runtime numpy`` for the float32 NumPy layers):

1. ``words``: the model on ANERcorp's own tokens (``NerModel.tag_words``), the figure
   comparable with published ANERcorp results; also on the first 300 sentences (the
   subset tests/test_tagger.py checks in CI).
2. ``stage``: ``TextStage`` + ``NeuralRecognizer`` through ``evaluate_conll`` (sentences
   joined into pseudo-documents of 20, hadath's own tokens, clitics stripped from
   entity starts, MISC dropped), scored like ``hadath eval ner``.
3. ``--full-pipeline N``: hadath's whole pipeline with the tagger as its entity stage
   on the first N ANT articles: articles/s and the process's peak RSS.

Threads: ``--threads`` sets OPENBLAS/OMP thread counts before NumPy is imported.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TEST_FILE = SHARED / "data/ner/anercorp/ANERCorp_CamelLab_test.txt"
ANT_FILE = SHARED / "data/news/ant_v2.1_multisource.jsonl.gz"
CI_SUBSET = 300


def _rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) in MB."""
    import resource

    cur = 0.0
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                cur = int(line.split()[1]) / 1024
    return cur, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=ROOT / "hadath/models/ner/hadath-ner-e5s.npz")
    ap.add_argument("--conll", type=Path, default=TEST_FILE)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-tokens", type=int, default=512, help="padded tokens per NumPy batch")
    ap.add_argument("--runtime", choices=["auto", "onnx", "numpy"], default="auto")
    ap.add_argument("--precision", choices=["int8", "float32"], default="int8", help="ONNX Runtime only")
    ap.add_argument("--rounds", type=int, default=2, help="timed passes over the test words (best is kept)")
    ap.add_argument("--full-pipeline", type=int, default=0, metavar="N",
                    help="also run the whole pipeline with the tagger on N ANT articles")
    a = ap.parse_args(argv)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(a.threads)
    sys.path.insert(0, str(ROOT))
    if not a.conll.exists():
        print(f"needs {a.conll} (../shared beside the repository)", file=sys.stderr)
        return 2
    import time

    from hadath.files import sha256_file
    from hadath.ner.conll import evaluate_conll, read_conll
    from hadath.ner.tagger import NerModel, NeuralRecognizer
    from hadath.ner.train import report_dict, score

    rows: list[tuple[str, str]] = []
    t = time.perf_counter()
    model = NerModel.load(a.model, max_batch_tokens=a.batch_tokens, runtime=a.runtime, precision=a.precision,
                          threads=a.threads)
    load_s = time.perf_counter() - t
    rss_load = _rss_mb()[0]
    rows += [("model file", f"{a.model.name} ({a.model.stat().st_size:,} bytes)"),
             ("sha256", sha256_file(a.model)), ("load time", f"{load_s:.2f} s"),
             ("RSS after load", f"{rss_load:.0f} MB"), ("threads", str(a.threads)),
             ("runtime / precision", f"{model.runtime} / {model.precision}")]

    sentences = read_conll(a.conll)
    words = [list(s.tokens) for s in sentences]
    n_words = sum(len(w) for w in words)
    from hadath.ner.decode import join_words, plan_sentence

    n_sub = sum(len(ch.ids) for ws in words
                for ch in plan_sentence(model.tokenizer, *join_words(ws), model.max_len, model.prefix))
    best = None
    tags = None
    model.tag_words(words[:50])  # warm the tokenizer cache a little, like a running service
    for _ in range(max(1, a.rounds)):
        t = time.perf_counter()
        tags = model.tag_words(words)
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    rep = score(sentences, tags)
    sub = score(sentences[:CI_SUBSET], tags[:CI_SUBSET])
    rows += [("test sentences / words / subwords", f"{len(sentences)} / {n_words:,} / {n_sub:,}"),
             ("words/s (tag_words, best pass)", f"{n_words / best:,.0f}"),
             ("subword tokens/s (incl. <s> </s>)", f"{n_sub / best:,.0f}"),
             ("sentences/s", f"{len(sentences) / best:,.1f}")]

    stage = NeuralRecognizer(model)
    from hadath.engine import Resources
    from hadath.pipeline import Pipeline
    from hadath.text.stage import TextStage

    res = Resources()
    pipe = Pipeline([TextStage(res.word_frequencies), stage])
    t = time.perf_counter()
    stage_rep = evaluate_conll(a.conll, pipe)
    stage_s = time.perf_counter() - t
    rows += [("stage path (TextStage+tagger) words/s", f"{n_words / stage_s:,.0f}"),
             ("peak RSS (tagger + text stage)", f"{_rss_mb()[1]:.0f} MB")]

    if a.full_pipeline:
        from hadath.encoders.vocab import iter_jsonl_texts
        from hadath.engine import build_pipeline, make_document
        from hadath.options import ExtractOptions

        base = build_pipeline(ExtractOptions(), resources=res)
        full = Pipeline([stage if s.name == "entities" else s for s in base.stages])
        texts = list(iter_jsonl_texts(str(ANT_FILE), a.full_pipeline))
        t = time.perf_counter()
        n_tok = n_ent = 0
        for i, text in enumerate(texts):
            doc = full(make_document(text, id=str(i)))
            n_tok += len(doc.tokens)
            n_ent += len(doc.entities)
        dt = time.perf_counter() - t
        rows += [(f"whole pipeline, {len(texts)} ANT articles", f"{len(texts) / dt:.1f} articles/s, "
                  f"{n_tok / dt:,.0f} tokens/s, {n_ent / max(1, len(texts)):.1f} entities/article"),
                 ("whole-pipeline peak RSS", f"{_rss_mb()[1]:.0f} MB")]

    width = max(len(k) for k, _ in rows)
    print(f"\n{'measure':<{width}}  value")
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    for title, r in (("words: NumPy tagger on ANERcorp tokens, all test sentences", rep),
                     (f"words: first {CI_SUBSET} test sentences (the CI subset)", sub),
                     ("stage: TextStage + NeuralRecognizer via evaluate_conll (MISC dropped)", stage_rep)):
        print(f"\n{title}")
        d = report_dict(r)
        print(f"{'type':<18} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}")
        for k, v in d.items():
            print(f"{k:<18} {v['p']:6.2f} {v['r']:6.2f} {v['f1']:6.2f} {v['tp']:5d} {v['fp']:5d} {v['fn']:5d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
