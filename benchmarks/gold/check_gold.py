#!/usr/bin/env python3
"""Validate hadath gold files and print counts.

Checks, for every ``*.gold.json`` given (default: benchmarks/gold/ant/):
  * JSON schema: required top-level fields, entity / event / quote fields and
    their types, entity types PER/ORG/LOC, the 16 PLOVER event types;
  * the article is found by ``docno`` in the ANT corpus and ``text_sha256``
    matches the sha256 of its UTF-8 ``text`` field (or, for a file with a
    ``source_file``, the text file next to it / in ../shared/seed/);
  * EVERY verbatim field (entity text, evidence, trigger, source, target,
    location, date_text, *_resolved, speaker, speaker_resolved, cue, quote
    text) is an exact substring of the article text; the trigger is also a
    substring of the evidence;
  * entity strings are listed once per type.
Prints per-file counts and totals (entities by type, events by type,
optional events, quotes).  Exit status 1 if any file has an error.

Usage: python benchmarks/gold/check_gold.py [FILE_OR_DIR ...]
Corpus: $HADATH_ANT, else ../shared/data/news/ant_v2.1_multisource.jsonl.gz
relative to the repository root.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import json
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED_CANDIDATES = [ROOT.parent / "shared", Path("/work/shared")]

PLOVER = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
ENT_TYPES = ("PER", "ORG", "LOC")
AFFIL_CODES = {"IGO", "UNO", "EUR", "NGO"}
ISO3 = re.compile(r"^[A-Z]{3}$")

TOP_ANT = {"docno": str, "corpus": str, "published": str, "text_sha256": str, "annotator": str,
           "scope": str, "language": str, "entities": list, "events": list, "quotes": list}
ENT_REQ = {"text": str, "type": str, "en": str}
EV_REQ = ("evidence", "trigger", "type", "source", "source_en", "target", "target_en", "location",
          "location_en", "date_text", "asserted_by_quote", "optional")
EV_VERBATIM = ("evidence", "trigger", "source", "target", "location", "date_text",
               "source_resolved", "target_resolved")
Q_REQ = ("speaker", "speaker_en", "cue", "text", "direct")
Q_VERBATIM = ("speaker", "speaker_resolved", "cue", "text")


def shared_dir() -> Path | None:
    for p in SHARED_CANDIDATES:
        if p.is_dir():
            return p
    return None


def corpus_path() -> Path | None:
    env = os.environ.get("HADATH_ANT")
    if env:
        return Path(env)
    sd = shared_dir()
    if sd is None:
        return None
    p = sd / "data" / "news" / "ant_v2.1_multisource.jsonl.gz"
    return p if p.exists() else None


def load_corpus(wanted: set[str]) -> dict[str, dict]:
    path = corpus_path()
    if path is None:
        return {}
    out = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            # cheap pre-filter before parsing
            m = re.search(r'"docno":\s*"([^"]+)"', line)
            if m and m.group(1) in wanted:
                d = json.loads(line)
                out[d["docno"]] = d
    return out


def article_text(gold: dict, path: Path, corpus: dict[str, dict]) -> str | None:
    if gold.get("source_file"):
        for cand in (path.parent / gold["source_file"],
                     *(p / "seed" / gold["source_file"] for p in SHARED_CANDIDATES)):
            if cand.exists():
                return cand.read_text(encoding="utf-8")
        return None
    d = corpus.get(gold.get("docno", ""))
    return None if d is None else d["text"]


def check_file(path: Path, gold: dict, text: str | None, corpus_doc: dict | None) -> list[str]:
    errs: list[str] = []

    def err(msg: str) -> None:
        errs.append(msg)

    def verbatim(value, what: str) -> None:
        if value is None:
            return
        if not isinstance(value, str) or not value:
            err(f"{what}: must be a non-empty string or null, got {value!r}")
        elif text is not None and value not in text:
            err(f"{what}: not a substring of the article text: {value!r}")

    is_ant = "source_file" not in gold
    if is_ant:
        for k, t in TOP_ANT.items():
            if k not in gold:
                err(f"missing top-level field {k!r}")
            elif not isinstance(gold[k], t):
                err(f"top-level field {k!r} must be {t.__name__}")
        if gold.get("corpus") not in (None, "ant_v2.1_multisource"):
            err(f"unexpected corpus {gold.get('corpus')!r}")
        if gold.get("scope") not in (None, "text"):
            err(f"unexpected scope {gold.get('scope')!r}")
        if path.name != f"{gold.get('docno')}.gold.json":
            err(f"file name does not match docno {gold.get('docno')!r}")
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", str(gold.get("published", ""))):
            err("published must be an ISO date YYYY-MM-DD")
        if corpus_doc is None:
            err("docno not found in the corpus")
    else:
        for k in ("entities", "events", "quotes"):
            if not isinstance(gold.get(k), list):
                err(f"missing list {k!r}")
    if text is None:
        err("article text not available; verbatim fields not checked")
    elif is_ant:
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if gold.get("text_sha256") != sha:
            err(f"text_sha256 mismatch (gold {gold.get('text_sha256')}, corpus {sha})")

    seen = set()
    for i, e in enumerate(gold.get("entities") or []):
        w = f"entities[{i}]"
        if not isinstance(e, dict):
            err(f"{w}: not an object"); continue
        for k, t in ENT_REQ.items():
            if not isinstance(e.get(k), t) or not e.get(k):
                err(f"{w}: missing/invalid {k!r}")
        if e.get("type") not in ENT_TYPES:
            err(f"{w}: bad type {e.get('type')!r}")
        verbatim(e.get("text"), f"{w}.text")
        key = (e.get("text"), e.get("type"))
        if key in seen:
            err(f"{w}: duplicate entity {key}")
        seen.add(key)
        if is_ant:
            if "country" not in e:
                err(f"{w}: missing 'country'")
            else:
                c = e["country"]
                if c is not None and not (isinstance(c, str) and ISO3.match(c)):
                    err(f"{w}: bad country {c!r} (ISO3, IGO/UNO/EUR/NGO or null)")
                if e.get("type") == "LOC" and c in AFFIL_CODES:
                    err(f"{w}: LOC country must be ISO3 or null")
            if "geonameid" in e:
                if e.get("type") != "LOC" or not isinstance(e["geonameid"], int):
                    err(f"{w}: geonameid only for LOC and must be an int")

    for i, ev in enumerate(gold.get("events") or []):
        w = f"events[{i}]"
        if not isinstance(ev, dict):
            err(f"{w}: not an object"); continue
        for k in EV_REQ:
            if k not in ev:
                err(f"{w}: missing {k!r}")
        if ev.get("type") not in PLOVER:
            err(f"{w}: bad PLOVER type {ev.get('type')!r}")
        for k in ("asserted_by_quote", "optional"):
            if k in ev and not isinstance(ev[k], bool):
                err(f"{w}.{k}: must be boolean")
        for k in ("source_en", "target_en", "location_en"):
            if ev.get(k) is not None and not isinstance(ev[k], str):
                err(f"{w}.{k}: must be string or null")
        for k in ("evidence", "trigger"):
            if not ev.get(k):
                err(f"{w}: empty {k!r}")
        for k in EV_VERBATIM:
            verbatim(ev.get(k), f"{w}.{k}")
        if ev.get("trigger") and ev.get("evidence") and ev["trigger"] not in ev["evidence"]:
            err(f"{w}: trigger not inside evidence")
        if ev.get("location") is not None and not ev.get("location_en"):
            err(f"{w}: location without location_en")

    for i, q in enumerate(gold.get("quotes") or []):
        w = f"quotes[{i}]"
        if not isinstance(q, dict):
            err(f"{w}: not an object"); continue
        for k in Q_REQ:
            if k not in q:
                err(f"{w}: missing {k!r}")
        if not isinstance(q.get("direct"), bool):
            err(f"{w}.direct: must be boolean")
        for k in ("cue", "text"):
            if not q.get(k):
                err(f"{w}: empty {k!r}")
        for k in Q_VERBATIM:
            verbatim(q.get(k), f"{w}.{k}")
    return errs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", default=[str(HERE / "ant")])
    ap.add_argument("-q", "--quiet", action="store_true", help="totals only")
    args = ap.parse_args(argv)

    files: list[Path] = []
    for p in map(Path, args.paths):
        files.extend(sorted(p.glob("*.gold.json")) if p.is_dir() else [p])
    if not files:
        print("no gold files found", file=sys.stderr)
        return 1

    golds = {}
    for f in files:
        try:
            golds[f] = json.loads(f.read_text(encoding="utf-8"))
        except Exception as exc:  # noqa: BLE001
            golds[f] = exc
    wanted = {g.get("docno") for g in golds.values() if isinstance(g, dict)}
    corpus = load_corpus(wanted)
    if corpus_path() is None:
        print("WARNING: ANT corpus not found (set HADATH_ANT); texts not checked", file=sys.stderr)

    tot_ent = collections.Counter()
    tot_ev = collections.Counter()
    tot_ev_scored = collections.Counter()
    totals = collections.Counter()
    n_bad = 0
    if not args.quiet:
        print(f"{'file':44s} {'PER':>4s} {'ORG':>4s} {'LOC':>4s} {'ev':>4s} {'opt':>4s} {'quo':>4s}  event types (scored+optional)")
    for f, g in golds.items():
        if isinstance(g, Exception):
            print(f"{f.name}: ERROR cannot parse JSON: {g}")
            n_bad += 1
            continue
        text = article_text(g, f, corpus)
        errs = check_file(f, g, text, corpus.get(g.get("docno")))
        ents = collections.Counter(e.get("type") for e in g.get("entities", []) if isinstance(e, dict))
        evs = [e for e in g.get("events", []) if isinstance(e, dict)]
        ev_types = collections.Counter(e.get("type") for e in evs)
        n_opt = sum(1 for e in evs if e.get("optional"))
        tot_ent.update(ents)
        tot_ev.update(ev_types)
        tot_ev_scored.update(e.get("type") for e in evs if not e.get("optional"))
        totals.update(files=1, events=len(evs), optional=n_opt, quotes=len(g.get("quotes", [])),
                      direct=sum(1 for q in g.get("quotes", []) if isinstance(q, dict) and q.get("direct")))
        if not args.quiet:
            tstr = " ".join(f"{t}:{c}" for t, c in sorted(ev_types.items()))
            print(f"{f.name:44s} {ents['PER']:4d} {ents['ORG']:4d} {ents['LOC']:4d} {len(evs):4d} {n_opt:4d} "
                  f"{len(g.get('quotes', [])):4d}  {tstr}")
        for e in errs:
            print(f"  ERROR {f.name}: {e}")
        if errs:
            n_bad += 1

    print()
    print(f"files: {totals['files']}  with errors: {n_bad}")
    print(f"entities: {sum(tot_ent.values())}  " + "  ".join(f"{t}: {tot_ent[t]}" for t in ENT_TYPES))
    print(f"events: {totals['events']}  scored: {totals['events'] - totals['optional']}  optional: {totals['optional']}")
    print(f"quotes: {totals['quotes']}  direct: {totals['direct']}  indirect: {totals['quotes'] - totals['direct']}")
    print(f"{'type':10s} {'all':>5s} {'scored':>6s}")
    for t in PLOVER:
        print(f"{t:10s} {tot_ev[t]:5d} {tot_ev_scored[t]:6d}")
    return 1 if n_bad else 0


if __name__ == "__main__":
    sys.exit(main())
