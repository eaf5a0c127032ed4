"""The text stage: tokens, clitic-split words, sentences and quotation regions."""
from __future__ import annotations

from dataclasses import dataclass

from hadath.doc import Document
from hadath.text.clitics import WordFrequencies, words_of
from hadath.text.sentences import quoted_regions, split_sentences
from hadath.text.tokenize import tokenize


@dataclass
class TextStage:
    word_frequencies: WordFrequencies
    name: str = "text"
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ("tokens", "words", "sentences", "quoted")

    def __call__(self, doc: Document) -> Document:
        doc.tokens = tokenize(doc.text)
        doc.words = tuple(word for token in doc.tokens for word in words_of(token, self.word_frequencies))
        doc.sentences = split_sentences(doc.text, doc.tokens)
        doc.quoted = quoted_regions(doc.text, doc.tokens)
        return doc
