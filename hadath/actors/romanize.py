"""English (Latin) names for mentions the knowledge base does not know.

Person names go through ``arabic-name-romanizer`` (MIT, offline, dictionary-first
with a small bundled ONNX model), which writes them as English newspapers do
(خليل الحية -> Khalil al-Hayya).  Organisation and place names are transliterated
the same way: a readable stand-in, not a translation.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Optional


@dataclass
class Romanizer:
    """Wraps the transliterator, created on first use (about 0.2 s).

    ``neural=False`` (hadath's fast mode) leaves out its small ONNX models: names in its
    dictionary come out the same, others by its letter rules (rarer names read less
    naturally), at a fraction of the time.
    """

    neural: bool = True
    _engine: Optional[Any] = field(default=None, repr=False)

    def __call__(self, text: str) -> Optional[str]:
        text = " ".join(text.split())
        if not text:
            return None
        if self._engine is None:
            self._engine = _single_threaded_transliterator(self.neural)
        return _cached(self._engine, text)

    @property
    def model_loaded(self) -> bool:
        """Whether a neural model has been loaded (never in fast mode)."""
        engine = self._engine
        return engine is not None and (engine.model is not None or engine.persian_model is not None)


def _single_threaded_transliterator(neural: bool = True) -> Any:
    """The transliterator with its ONNX models on one thread each.  Its default of
    two intra-op threads spin-waits between the many tiny calls a name makes,
    which doubled the CPU time of the actor stage on 2 cores for no gain."""
    from arabic_name_romanizer import Transliterator
    from arabic_name_romanizer.api import default_resources_dir
    from arabic_name_romanizer.inference import OnnxModel

    resources = default_resources_dir()
    if not neural:
        return Transliterator(auto_load_model=False)

    def model(folder):
        try:
            return OnnxModel(folder, intra_op_threads=1)
        except (OSError, KeyError, ValueError):     # no model there: the library falls back to rules
            return None

    return Transliterator(model=model(resources), persian_model=model(resources / "persian"))


@lru_cache(maxsize=50_000)
def _cached(engine: Any, text: str) -> Optional[str]:
    result = engine.transliterate(text)
    return str(result) if result else None
