"""One options object, built once (from CLI flags or by the caller) and passed down."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional


#: The learned check of ASSAULT/PROTEST events (hadath/models/events): ``verify`` drops the
#: lexicon's events the classifier rejects; ``unlinked`` only those whose source is no named
#: knowledge-base actor; ``+add`` also codes events the classifier finds at a lexicon trigger
#: word the coder's rules left out; ``off`` runs no check.
EVENT_CLASSIFIER_MODES = ("off", "unlinked", "unlinked+add", "verify", "verify+add")
DEFAULT_EVENT_CHECK = "unlinked+add"


@dataclass(frozen=True)
class ExtractOptions:
    published: Optional[date] = None      # reference date when an article has none
    ner: str = "hybrid"                   # entity stage: hybrid (tagger + rules) | rules | tagger
    fast: bool = False                    # no neural model anywhere: rule entities, dictionary romanisation
    event_classifier: str = DEFAULT_EVENT_CHECK  # learned check of ASSAULT/PROTEST events (EVENT_CLASSIFIER_MODES)
    entities: bool = True
    events: bool = True
    quotes: bool = True
    geocode: bool = True
    dates: bool = True
    calibrate: bool = True                # event confidence calibrated (hadath/events/calibration.py)
    batch_size: int = 32

    def __post_init__(self) -> None:
        if self.fast and self.ner != "rules":
            raise ValueError(f"fast mode uses the rule-based entity stage, not {self.ner!r}")
        if self.event_classifier not in EVENT_CLASSIFIER_MODES:
            raise ValueError(f"event_classifier must be one of {EVENT_CLASSIFIER_MODES}, not {self.event_classifier!r}")

    @property
    def uses_event_classifier(self) -> bool:
        """The learned event check runs unless switched off or in fast mode (it is neural)."""
        return self.event_classifier != "off" and not self.fast

    @property
    def profile(self) -> str:
        """The name recorded with every annotated article: the entity stage plus the event
        check's mode (``hybrid+unlinked+add``), or ``fast``."""
        if self.fast:
            return "fast"
        return self.ner + (f"+{self.event_classifier}" if self.uses_event_classifier else "")
