"""How often the trigger and cue lexicons fire on real news (ANT corpus).

For the first N articles (default 3000) of the selected ANT categories, every
Arabic token is matched against the bundled lexicons the way the event coder
does it (verbs: the token minus و/ف and the future س; nouns: every clitic
reading, also without a suffix pronoun), phrases are counted when one of their
objects follows within four words.  The report lists

  (a) forms that never occur (candidates for removal or for checking spelling),
  (b) the most frequent forms with their type, so a human can spot ambiguous
      ones (قتل، حذر، بحث، دعم ...), and per-type totals,

for triggers and for reporting cues.  ``--kwic FORM`` prints occurrences of
one form in context instead.

    python scripts/lexicon_coverage.py                       # 3000 politics articles
    python scripts/lexicon_coverage.py -n 0 --cats all       # the whole corpus
    python scripts/lexicon_coverage.py --kwic حذر --kwic-n 20
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import random
import re
import sys
from pathlib import Path
from typing import Iterable, Iterator, Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hadath.events.lexicon import TriggerEntry, TriggerLexicon, load_triggers  # noqa: E402
from hadath.quotes.lexicon import load_cues  # noqa: E402
from hadath.text.normalize import fold  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "news" / "ant_v2.1_multisource.jsonl.gz"
WORD = re.compile(r"[\u0621-\u064A\u0671-\u06D3]+")
WINDOW = 4

try:  # the clitic readings the event coder uses
    from hadath.text.clitics import CONJUNCTIONS, FUTURE, IMPERFECTIVE_PREFIXES, lookup_keys, strip_enclitic

    def verb_keys(norm: str) -> list[str]:
        keys = [norm]
        if norm[:1] in CONJUNCTIONS and len(norm) > 3:
            keys.append(norm[1:])
        for key in list(keys):
            if key[:1] == FUTURE and key[1:2] in IMPERFECTIVE_PREFIXES and len(key) > 3:
                keys.append(key[1:])
        return keys

    def noun_keys(norm: str) -> list[str]:
        keys = lookup_keys(norm)
        for key in list(keys):
            keys.extend(strip_enclitic(key))
        return list(dict.fromkeys(keys))
except ImportError:  # pragma: no cover - fall back to the lexicon's reference readings
    def verb_keys(norm: str) -> list[str]:
        return [c.key for c in TriggerLexicon.candidates(norm) if not c.suffix and "ال" not in c.prefix]

    def noun_keys(norm: str) -> list[str]:
        return [c.key for c in TriggerLexicon.candidates(norm) if not c.prefix.endswith("س")]


def articles(path: Path, n: int, cats: Optional[set[str]]) -> Iterator[str]:
    count = 0
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if cats is not None and record.get("cat") not in cats:
                continue
            yield record.get("text") or ""
            count += 1
            if n and count >= n:
                return


def tokenize(text: str) -> list[str]:
    return WORD.findall(fold(text))


class TriggerCounter:
    def __init__(self, lexicon: TriggerLexicon, window: int = WINDOW):
        self.lex = lexicon
        self.window = window
        self.form_hits: collections.Counter[tuple[int, str]] = collections.Counter()   # (line, form)
        self.head_hits: collections.Counter[tuple[int, str]] = collections.Counter()   # phrase heads
        self.blocked: collections.Counter[tuple[int, str]] = collections.Counter()
        self._vcache: dict[str, tuple[Optional[str], tuple[TriggerEntry, ...]]] = {}
        self._ncache: dict[str, tuple[Optional[str], tuple[TriggerEntry, ...]]] = {}
        self._kcache: dict[str, list[str]] = {}
        self._pcache: dict[str, list[tuple[str, TriggerEntry]]] = {}

    def _first(self, keys: Iterable[str], nominal: bool) -> tuple[Optional[str], tuple[TriggerEntry, ...]]:
        for key in keys:
            entries = tuple(e for e in self.lex.by_form.get(key, ()) if e.nominal == nominal and not e.is_phrase)
            if entries:
                return key, entries
        return None, ()

    def _phrases(self, norm: str) -> list[tuple[str, TriggerEntry]]:
        out = []
        for key in dict.fromkeys(verb_keys(norm) + noun_keys(norm)):
            out.extend((key, e) for e in self.lex.by_form.get(key, ()) if e.is_phrase)
        return out

    def keys(self, norm: str) -> list[str]:
        hit = self._kcache.get(norm)
        if hit is None:
            hit = self._kcache[norm] = noun_keys(norm)
        return hit

    def _supported(self, tokens: list[str], i: int, entry: TriggerEntry) -> bool:
        if not entry.support:
            return False
        return any(k in entry.support for t in tokens[max(0, i - 7):i] for k in verb_keys(t))

    def feed(self, tokens: list[str]) -> None:
        """Like TriggerLexicon.select: a phrase whose object follows wins (longest
        object); otherwise the verbal reading, or the nominal one when no verb
        matches or its support verb precedes it."""
        for i, norm in enumerate(tokens):
            if norm not in self._vcache:
                self._vcache[norm] = self._first(verb_keys(norm), nominal=False)
                self._ncache[norm] = self._first(noun_keys(norm), nominal=True)
                self._pcache[norm] = self._phrases(norm)
            phrases = self._pcache[norm]
            verbal, nominal = self._vcache[norm], self._ncache[norm]
            if not (phrases or verbal[1] or nominal[1]):
                continue
            following = [self.keys(t) for t in tokens[i + 1:i + 1 + self.window + 3]]
            prev = self.keys(tokens[i - 1]) if i else []
            best: Optional[tuple[str, TriggerEntry, tuple[int, int]]] = None
            for key, e in phrases:
                self.head_hits[(e.line, key)] += 1
                if any(p in e.block_prev for p in prev):
                    self.blocked[(e.line, key)] += 1
                    continue
                hit = e.object_hit(following, self.window)
                if hit is not None and (best is None or hit[1] > best[2]):
                    best = (key, e, hit[1])
            if best is not None:
                self.form_hits[(best[1].line, best[0])] += 1
                continue
            readings = [verbal] if verbal[1] else []
            if nominal[1] and (not verbal[1] or self._supported(tokens, i, nominal[1][0])):
                readings = [nominal]  # like the coder: the noun wins only under its support verb
            for key, entries in readings:
                e = entries[0]
                if any(p in e.block_prev for p in prev) or \
                        (following and any(k in e.block_next for k in following[0])):
                    self.blocked[(e.line, key)] += 1
                    continue
                for e in entries:
                    self.form_hits[(e.line, key)] += 1


def cue_keys(norm: str) -> list[str]:
    return verb_keys(norm)


def run(args: argparse.Namespace) -> None:
    lex = load_triggers()
    cues = load_cues()
    cats = None if args.cats == "all" else set(args.cats.split(","))
    counter = TriggerCounter(lex, args.window)
    cue_hits: collections.Counter[tuple[str, str]] = collections.Counter()
    n_articles = n_tokens = 0
    for text in articles(Path(args.corpus), args.n, cats):
        tokens = tokenize(text)
        n_articles += 1
        n_tokens += len(tokens)
        counter.feed(tokens)
        for norm in tokens:
            for key in cue_keys(norm):
                if key in cues.by_form:
                    for entry in cues.by_form[key]:
                        cue_hits[(entry.lemma, key)] += 1
                    break
    by_line = {e.line: e for e in lex}
    print(f"# {n_articles} articles, {n_tokens} tokens ({'all categories' if cats is None else ', '.join(sorted(cats))})")
    print(f"# trigger lexicon: {len(lex)} entries, {len(lex.by_form)} forms; cue lexicon: {len(cues)} entries")

    # ---- triggers: per type
    per_type: collections.Counter[str] = collections.Counter()
    for (line, _), c in counter.form_hits.items():
        per_type[by_line[line].plover] += c
    print("\n## Trigger hits per PLOVER type")
    print(f"{'type':<10} {'entries':>7} {'hits':>8}")
    for t, c in sorted(per_type.items(), key=lambda kv: -kv[1]):
        print(f"{t:<10} {len(lex.by_type(t)):>7} {c:>8}")

    # ---- (b) most frequent forms
    print(f"\n## (b) The {args.top} most frequent trigger forms (check for ambiguity)")
    print(f"{'hits':>7}  {'form':<14} {'type':<9} {'pos':<6} {'lemma':<22} amb  (phrase heads: head hits)")
    for (line, key), c in counter.form_hits.most_common(args.top):
        e = by_line[line]
        amb = "yes" if e.is_ambiguous(key) else ""
        extra = f"  head {counter.head_hits[(line, key)]}" if e.is_phrase else ""
        print(f"{c:>7}  {key:<14} {e.plover:<9} {e.pos:<6} {e.lemma:<22} {amb:<4}{extra}")

    # ---- blocked
    if counter.blocked:
        print("\n## Matches cancelled by block_prev/block_next")
        for (line, key), c in counter.blocked.most_common(15):
            print(f"{c:>7}  {key:<14} {by_line[line].lemma}")

    # ---- (a) forms that never occur
    zero: list[tuple[TriggerEntry, str]] = []
    for e in lex:
        for f in e.folded_forms:
            if not counter.form_hits[(e.line, f)] and not (e.is_phrase and counter.head_hits[(e.line, f)]):
                zero.append((e, f))
    dead = [e for e in lex if not any(counter.form_hits[(e.line, f)] for f in e.folded_forms)]
    print(f"\n## (a) Trigger forms that never occur: {len(zero)} of "
          f"{sum(len(e.folded_forms) for e in lex)}; entries with no hit at all: {len(dead)}")
    grouped: dict[int, list[str]] = collections.defaultdict(list)
    for e, f in zero:
        grouped[e.line].append(f)
    shown = 0
    for line, forms in grouped.items():
        if shown >= args.zero:
            print("  ...")
            break
        e = by_line[line]
        print(f"  {e.plover:<9} {e.lemma:<22} {' '.join(forms)}")
        shown += 1
    if dead:
        print("  entries never matched: " + "، ".join(f"{e.lemma} ({e.plover})" for e in dead))

    # ---- cues
    print(f"\n## Cues: the {args.top} most frequent forms")
    cue_by_lemma = {e.lemma: e for e in cues}
    for (lemma, key), c in cue_hits.most_common(args.top):
        e = cue_by_lemma[lemma]
        print(f"{c:>7}  {key:<14} {e.cls:<10} {lemma:<10} {'amb' if e.is_ambiguous(key) else ''}")
    per_lemma: collections.Counter[str] = collections.Counter()
    for (lemma, _), c in cue_hits.items():
        per_lemma[lemma] += c
    czero = [(e.lemma, f) for e in cues for f in e.folded_forms if not cue_hits[(e.lemma, f)]]
    print(f"\n## Cue forms that never occur: {len(czero)} of {sum(len(e.folded_forms) for e in cues)}")
    group: dict[str, list[str]] = collections.defaultdict(list)
    for lemma, f in czero:
        group[lemma].append(f)
    for lemma, forms in list(group.items())[: args.zero]:
        print(f"  {lemma:<10} {' '.join(forms)}")
    print("\n## Cue lemmas by frequency")
    print("  " + "، ".join(f"{lemma} {c}" for lemma, c in per_lemma.most_common()))
    unused = [e.lemma for e in cues if not per_lemma[e.lemma]]
    if unused:
        print("  never: " + "، ".join(unused))


def kwic(args: argparse.Namespace) -> None:
    target = fold(args.kwic)
    cats = None if args.cats == "all" else set(args.cats.split(","))
    hits = []
    for text in articles(Path(args.corpus), args.n, cats):
        tokens = tokenize(text)
        for i, norm in enumerate(tokens):
            if target in verb_keys(norm) or target in noun_keys(norm):
                hits.append(" ".join(tokens[max(0, i - 7):i]) + " [" + norm + "] " + " ".join(tokens[i + 1:i + 8]))
    random.Random(0).shuffle(hits)
    print(f"{len(hits)} occurrences of {target}")
    for h in hits[: args.kwic_n]:
        print("  " + h)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="ANT JSONL.gz (field 'text')")
    parser.add_argument("-n", type=int, default=3000, help="articles to read (0 = all)")
    parser.add_argument("--cats", default="internationalNews,middleEast",
                        help="comma-separated ANT categories, or 'all' (the file is ordered by source "
                             "and category, so 'all' with a small -n reads culture/economy first)")
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--window", type=int, default=WINDOW,
                        help="words within which a phrase object must start (default 4)")
    parser.add_argument("--zero", type=int, default=400, help="max entries listed under (a)")
    parser.add_argument("--kwic", help="print contexts of this form instead of the report")
    parser.add_argument("--kwic-n", type=int, default=15)
    args = parser.parse_args()
    if not Path(args.corpus).exists():
        sys.exit(f"corpus not found: {args.corpus}")
    if args.kwic:
        kwic(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
