"""The Arabic event gold standard: loader, the fixed split, and the scoring rules.

The loader tests need ../shared/data/events/arabic_event_gsr and are skipped
without it; the span matcher and the scorers are tested on hand-made cases.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import pytest

from hadath.doc import Event, Participant, TextSpan
from hadath.eval.event_gsr import (DEFAULT_DIR, LABELS, SPLITS, GsrSentence, SpanAnnotation, SpanGold,
                                   annotator_agreement, load_gsr, parse_id, score_detection, score_spans, span_matches, split_of)
from tests.conftest import need

# The split is fixed: these are its label counts (benchmarks/README.md).  A change
# here means the test set moved, which must never happen silently.
EXPECTED_COUNTS = {
    ("assault", "train"): {"yes": 170, "easy no": 1203, "difficult no": 315, "ambiguous": 92},
    ("assault", "dev"): {"yes": 54, "easy no": 316, "difficult no": 82, "ambiguous": 21},
    ("assault", "test"): {"yes": 111, "easy no": 646, "difficult no": 171, "ambiguous": 43},
    ("protest", "train"): {"yes": 53, "easy no": 973, "difficult no": 227, "ambiguous": 182},
    ("protest", "dev"): {"yes": 10, "easy no": 229, "difficult no": 53, "ambiguous": 43},
    ("protest", "test"): {"yes": 34, "easy no": 518, "difficult no": 137, "ambiguous": 95},
}


@pytest.fixture(scope="module")
def data():
    return load_gsr(need(DEFAULT_DIR))


# --------------------------------------------------------------------------- loader and split

def test_parse_id_both_shapes():
    assert parse_id("AAW_ARB_20071026.0026-2") == ("AAW_ARB_20071026.0026", 2)
    assert parse_id("e6874d82b9c4d010_11") == ("e6874d82b9c4d010", 11)
    with pytest.raises(ValueError):
        parse_id("no-number-")


def test_split_of_is_a_stable_hash():
    assert split_of("AAW_ARB_20071026.0026") == split_of("AAW_ARB_20071026.0026")
    shares = defaultdict(int)
    for i in range(3000):
        shares[split_of(f"doc{i}")] += 1
    assert abs(shares["test"] / 3000 - 0.30) < 0.03 and abs(shares["dev"] / 3000 - 0.15) < 0.03


@pytest.mark.shared
def test_counts_are_the_documented_split(data):
    assert {key: dict(c) for key, c in data.counts().items()} == EXPECTED_COUNTS
    for counts in EXPECTED_COUNTS.values():
        assert all(counts[label] > 0 for label in LABELS)


@pytest.mark.shared
def test_loading_is_deterministic(data):
    again = load_gsr(DEFAULT_DIR)
    assert [(s.id, s.split) for s in again.sentences] == [(s.id, s.split) for s in data.sentences]


@pytest.mark.shared
def test_no_article_or_sentence_text_straddles_splits(data):
    by_doc, by_text = defaultdict(set), defaultdict(set)
    for s in data.sentences:
        by_doc[s.doc_id].add(s.split)
        by_text[s.text].add(s.split)
    assert all(len(v) == 1 for v in by_doc.values())
    assert all(len(v) == 1 for v in by_text.values())   # the same story under two article ids


@pytest.mark.shared
def test_rows_are_well_formed(data):
    assert len(data.sentences) == 3224 + 2554
    for s in data.sentences:
        assert s.label in LABELS and s.split in SPLITS
        assert s.event_type == {"assault": "ASSAULT", "protest": "PROTEST"}[s.dataset]
        assert s.text.strip() and s.accept + s.reject == s.total


@pytest.mark.shared
def test_every_span_record_is_linked_to_its_sentence(data):
    assert data.unlinked_spans == 0
    assert len(data.select_spans("assault")) == 373 and len(data.select_spans("protest")) == 272
    positive = [g for g in data.spans if g.sentence.positive]
    assert len(positive) == 335 + 92
    for gold in data.spans:
        assert gold.annotations
        tokens = [t for a in gold.annotations for t in a.source + a.target + a.verb]
        assert all(t in gold.sentence.text for t in tokens)  # spans are tokens of the sentence
    # the protest file's ``source`` is not always the sentence id: linking is by text
    assert sum(not g.linked_by_id for g in data.spans) == 61


# --------------------------------------------------------------------------- span matching

@pytest.mark.parametrize("predicted, gold, sentence", [
    ("الحركة", ("الحركة",), ""),
    ("عشرات العاملين الاجانب", ("العاملين", "الاجانب"), ""),   # a quantifier is not the head
    ("والشرطة", ("الشرطة",), ""),                               # clitics
    ("آلاف المتظاهرين", ("المتظاهرين",), ""),
    ("الرئيس محمود عباس", ("محمود", "عباس"), ""),               # the gold head is inside the prediction
    ("محمود عباس", ("الرئيس", "محمود", "عباس"), ""),            # the predicted head is inside the gold span
    ("إسرائيل", ("اسرائيل",), ""),                              # folding
    ("مسلحين", ("«", "مسلحين"), ""),                            # punctuation tokens
    ("مفجرون", ("انتحاريون", "مفجرون"), "كما هاجم مفجرون انتحاريون سياسيين"),  # click order != text order
])
def test_span_matches(predicted, gold, sentence):
    assert span_matches(predicted, gold, sentence)


@pytest.mark.parametrize("predicted, gold", [
    ("الحكومة العراقية", ("القوات", "العراقية")),     # only a modifier in common
    ("البلدية مهدي حنبلي", ("مسلحون", "مقنعون")),
    ("الآلاف", ("الآلاف", "من", "المتظاهرين")),         # no head word at all
    ("", ("الشرطة",)),
    ("الشرطة", ()),
])
def test_span_does_not_match(predicted, gold):
    assert not span_matches(predicted, gold)


def test_gold_head_follows_text_order():
    """Annotators' token lists are in click order; the gold head is the first word
    in the sentence.  رجال مفجرون has its own head outside the gold span, so it
    matches only through the gold head مفجرون."""
    gold = ("انتحاريون", "مفجرون")
    assert span_matches("رجال مفجرون", gold, "كما هاجم مفجرون انتحاريون سياسيين")
    assert not span_matches("رجال مفجرون", gold)            # click order: the head would be انتحاريون
    assert not span_matches("سياسيين", gold, "كما هاجم مفجرون انتحاريون سياسيين")


# --------------------------------------------------------------------------- scoring

def _sentence(text: str, label: str, dataset: str = "assault") -> GsrSentence:
    return GsrSentence(dataset, dataset.upper(), f"D-{text}", "D", 1, label, 0, 0, 0, text)  # type: ignore[arg-type]


def _event(kind: str, trigger: str, source: str = "", target: str = "", **flags) -> Event:
    span = TextSpan(trigger, 0, len(trigger))
    return Event(kind, "190", span, span, Participant(source, 0, 1) if source else None,
                 Participant(target, 0, 1) if target else None, **flags)


def test_detection_counts_only_events_that_happened():
    sentences = [_sentence("a", "yes"), _sentence("b", "yes"), _sentence("c", "difficult no"),
                 _sentence("d", "easy no"), _sentence("e", "ambiguous"), _sentence("f", "yes")]
    events = {
        "a": (_event("ASSAULT", "قتل"),),
        "b": (_event("ASSAULT", "قتل", negated=True), _event("PROTEST", "تظاهر")),
        "c": (_event("ASSAULT", "اغتيال"),),
        "d": (_event("ASSAULT", "هجوم", modality="future"),),
        "e": (_event("ASSAULT", "قتل"),),
        "f": (_event("ASSAULT", "قتل", in_quote=True),),   # reported events count
    }
    score = score_detection(sentences, events)
    assert (score.counts.tp, score.counts.fp, score.counts.fn) == (2, 1, 1)
    assert score.n == 5 and score.excluded == 1
    assert score.fp_by_label == {"difficult no": 1}
    assert score.negatives_by_label == {"difficult no": 1, "easy no": 1}


def test_span_scoring_rules():
    s = _sentence("قتلت القوات الأميركية 11 مسلحا", "yes")
    reading = SpanAnnotation(("القوات", "الأميركية"), ("قتلت",), ("مسلحا",))
    passive = SpanAnnotation((), ("قتلت",), ("مسلحا",))
    gold = SpanGold(s, (reading, reading, passive), "", "", "", True)
    right = {s.text: (_event("ASSAULT", "قتلت", "القوات الأميركية", "11 مسلحا"),)}
    scores = score_spans([gold], right)
    assert (scores["source"].right, scores["source"].gold) == (1, 1)
    assert (scores["target"].right, scores["target"].gold) == (1, 1)
    # the event on the gold verb is the one scored when there are several
    two = {s.text: (_event("ASSAULT", "قتلت", "الجيش", ""), _event("ASSAULT", "هجوم", "القوات الأميركية", ""))}
    assert score_spans([gold], two)["source"].right == 0
    # a missed event makes the role wrong; a negated one is no event
    missed = score_spans([gold], {s.text: (_event("ASSAULT", "قتلت", "القوات الأميركية", negated=True),)})
    assert missed["source"].right == 0 and missed["source"].detected == 0
    # one reading of three marks a source: the role is "empty" in the gold
    lonely = SpanGold(s, (passive, passive, reading), "", "", "", True)
    scores = score_spans([lonely], {s.text: (_event("ASSAULT", "قتلت", "", "مسلحا"),)})
    assert scores["source"].gold == 0 and (scores["source"].empty_gold, scores["source"].empty_agreed) == (1, 1)
    # sentences that are not 'yes' are not span-scored
    other = SpanGold(_sentence("x", "ambiguous"), (reading,), "", "", "", True)
    assert score_spans([other], {})["source"].gold == 0


def _votes(label: str, accept: int, reject: int) -> GsrSentence:
    return replace(_sentence(f"{label}{accept}{reject}", label), accept=accept, reject=reject, total=accept + reject)


def test_annotator_agreement_detection_is_leave_one_out():
    # unanimous yes (3-0): each annotator agrees with the other two -> 1 TP
    # 1-2 difficult no: the acceptor (1/3) says yes against two rejections -> 1/3 FP;
    #   a rejector leaves 1-1, still no: no FN
    # 2-1 scored as negative by the file: dropping the lone rejector leaves 2-0, a yes
    #   the rejector missed -> 1/3 FN; each acceptor leaves 1-1 -> 2/3 FP
    # easy no 0-3 and ambiguous rows add nothing
    sentences = [_votes("yes", 3, 0), _votes("difficult no", 1, 2), _votes("difficult no", 2, 1),
                 _votes("easy no", 0, 3), _votes("ambiguous", 2, 1)]
    c = annotator_agreement(sentences, []).detection
    assert c.tp == pytest.approx(1.0)
    assert c.fp == pytest.approx(1 / 3 + 2 / 3)
    assert c.fn == pytest.approx(1 / 3)


def test_annotator_agreement_spans():
    s = _sentence("قتلت القوات الأميركية 11 مسلحا", "yes")
    army = SpanAnnotation(("القوات", "الأميركية"), ("قتلت",), ("مسلحا",))
    other = SpanAnnotation(("مسلحا",), ("قتلت",), ())
    agreement = annotator_agreement([], [SpanGold(s, (army, army, other), "", "", "", True)])
    # source: both "army" readings match the other army reading; the odd one matches neither
    assert agreement.source == pytest.approx(2 / 3)
    # target: the two army readers see 1 of 2 others marking it (half: scored) and agree
    # with it; the odd reader leaves it empty against two marks: wrong
    assert agreement.target == pytest.approx(2 / 3)
