"""The entity stage that combines the trained tagger with the rule-based recogniser.

Knowledge-base and gazetteer matches (and the surnames that repeat them) carry actor
links and are precise, so they always stay; the tagger decides everywhere else,
replacing the rules' pattern guesses where the two disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from hadath.doc import Document, Entity
from hadath.spans import SpanIndex

KEEP_RULE_ORIGINS = {"kb", "gazetteer", "coref"}


def merge_entities(rules: Iterable[Entity], tagger: Iterable[Entity]) -> tuple[Entity, ...]:
    """Rule entities linked to the knowledge base or gazetteer, then tagger entities that
    do not overlap them, then the remaining rule patterns that the tagger left alone."""
    rules = list(rules)
    tagger = list(tagger)
    kept = [e for e in rules if e.origin in KEEP_RULE_ORIGINS]
    kept_index = SpanIndex(kept)
    neural = [e for e in tagger if not kept_index.overlapping(e.start, e.end)]
    neural_index = SpanIndex(neural)
    patterns = [e for e in rules if e.origin not in KEEP_RULE_ORIGINS
                and not neural_index.overlapping(e.start, e.end)]
    return tuple(sorted(kept + neural + patterns, key=lambda e: (e.start, -e.end)))


@dataclass
class HybridRecognizer:
    rules: object      # hadath.ner.rules.RuleBasedRecognizer
    tagger: object     # hadath.ner.tagger.NeuralRecognizer
    name: str = "entities"
    requires: tuple[str, ...] = ("tokens", "sentences")
    provides: tuple[str, ...] = ("entities",)

    def __call__(self, doc: Document) -> Document:
        found_by_rules = self.rules(doc).entities
        shared = [found_by_rules] if self._rules_match_features() else None
        found_by_tagger = self.tagger.pipe([doc], shared)[0].entities
        doc.entities = merge_entities(found_by_rules, found_by_tagger)
        return doc

    def _rules_match_features(self) -> bool:
        """Whether this stage's rules are the ones the tagger reads as features (same
        knowledge base and gazetteer): then their entities are passed on, not recomputed."""
        features = getattr(self.tagger.model, "features", None) if self.tagger.model.feature_kind else None
        theirs = getattr(features, "rules", None)
        return theirs is not None and all(getattr(theirs, name) is getattr(self.rules, name)
                                          for name in ("kb", "word_frequencies", "given_names", "gazetteer"))
