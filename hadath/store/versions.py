"""Which annotations are stale: the hadath version and a digest of the models and
data files that shaped an article's annotations."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import hadath

_PACKAGE = Path(hadath.__file__).resolve().parent
_DATA_DIRS = ("actors/data", "events/data", "geo/data", "text/data", "ner/data", "quotes/data", "dates/data")


@lru_cache(maxsize=8)
def model_version(ner: str = "hybrid") -> str:
    """``<profile>-<12 hex digits>`` over the shipped weights (unless the profile uses
    none: ``rules``, ``fast``) and every lexicon, gazetteer and knowledge-base file.
    ``ner`` is :attr:`hadath.options.ExtractOptions.profile`."""
    digest = hashlib.sha256(ner.encode())
    files = [f for d in _DATA_DIRS for f in sorted((_PACKAGE / d).rglob("*"))
             if f.is_file() and f.suffix not in (".sqlite", ".pyc")]
    entity_stage, _, event_check = ner.partition("+")
    if entity_stage not in ("rules", "fast"):
        files += sorted((_PACKAGE / "models" / "ner").rglob("*.npz"))
    if event_check:
        files += sorted((_PACKAGE / "models" / "events").rglob("*.npz"))
    for path in files:
        digest.update(str(path.relative_to(_PACKAGE)).encode())
        digest.update(path.read_bytes())
    return f"{ner}-{digest.hexdigest()[:12]}"


def hadath_version() -> str:
    return hadath.__version__
