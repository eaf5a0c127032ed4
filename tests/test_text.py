"""The text layer: normalisation offsets, tokens, clitic words, sentences, quotations."""
from hypothesis import given, settings, strategies as st

from hadath.doc import Document
from hadath.text.clitics import WordFrequencies, lookup_keys, segment
from hadath.text.normalize import fold, normalize
from hadath.text.sentences import quoted_regions, split_sentences
from hadath.text.stage import TextStage
from hadath.text.tokenize import tokenize

FREQ = WordFrequencies.load()


def test_fold_removes_marks_and_variants():
    assert fold("إِدَانَةُ") == "ادانه"
    assert fold("مـــصـــر") == "مصر"
    assert fold("مستشفى") == "مستشفي"
    assert fold("٢٠٢٣") == "2023"
    assert fold("«دمشق»") == '"دمشق"'


def test_offsets_point_into_raw_text():
    raw = "وأكدتْ الفصـــائلُ في «دِمَشْقَ» يوم ٢٧ شباط"
    folded = normalize(raw)
    i = folded.text.index("دمشق")
    start, end = folded.raw_span(i, i + 4)
    assert raw[start:end] == "دِمَشْقَ"
    j = folded.text.index("الفصائل")
    s2, e2 = folded.raw_span(j, j + len("الفصائل"))
    assert fold(raw[s2:e2]) == "الفصائل"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ابتةىأإآـًٌٍَُِّْ ،«»\"٠١2aZ\u200f\u200c\ufefb")), max_size=60))
def test_offset_map_round_trips(raw):
    folded = normalize(raw)
    assert len(folded.to_raw) == len(folded.text) + 1
    assert list(folded.to_raw) == sorted(folded.to_raw)
    for i in range(len(folded.text)):
        start, end = folded.raw_span(i, i + 1)
        assert 0 <= start < end <= len(raw)
        assert folded.text[i] in normalize(raw[start:end]).text


def test_tokens_cover_words_numbers_and_punctuation():
    tokens = tokenize('قال: "مقتل 5 أشخاص"، U.N.')
    kinds = [(t.text, t.kind) for t in tokens]
    assert ("قال", "word") in kinds and ("5", "number") in kinds and ("،", "punct") in kinds
    assert all(t.text == 'قال: "مقتل 5 أشخاص"، U.N.'[t.start:t.end] for t in tokens)


def test_clitics_use_frequencies():
    assert segment("واكدت", FREQ)[:2] == [("و", "conj"), ("اكدت", "stem")]
    assert segment("وزير", FREQ) == [("وزير", "stem")]
    assert segment("بدران", FREQ) == [("بدران", "stem")]
    assert segment("للمسجد", FREQ) == [("ل", "prep"), ("ال", "det"), ("مسجد", "stem")]
    assert ("تضامن", "stem") in segment("وتضامنها", FREQ)
    assert segment("الفلسطينيه", FREQ, ta_marbuta=True) == [("ال", "det"), ("فلسطيني" + "ه", "stem")]


def test_lookup_keys_offer_stripped_readings():
    keys = lookup_keys("وبالسلطه")
    assert "السلطه" in keys and "سلطه" in keys
    assert "المسجد" in lookup_keys("للمسجد")


def test_words_keep_raw_offsets():
    doc = TextStage(FREQ)(Document("وأكدت الفصائل للمسجد"))
    texts = [(w.text, doc.text[w.start:w.end], w.role) for w in doc.words]
    assert ("و", "و", "conj") in texts and ("اكدت", "أكدت", "stem") in texts
    assert ("مسجد", "مسجد", "stem") in texts


def test_sentences_respect_quotations_and_paragraphs():
    text = 'وقال "إن الوضع خطير. ونحن نتابع." وأضاف أن الحل قريب.\nفقرة ثانية بلا نقطة'
    tokens = tokenize(text)
    sentences = split_sentences(text, tokens)
    assert [text[s.start:s.end] for s in sentences] == [
        'وقال "إن الوضع خطير. ونحن نتابع."', "وأضاف أن الحل قريب.", "فقرة ثانية بلا نقطة"]
    quotes = quoted_regions(text, tokens)
    assert [q.text for q in quotes] == ["إن الوضع خطير. ونحن نتابع."]


def test_guillemets_and_unclosed_quotes():
    text = "أكد «الوحدة الوطنية» ثم قال \"بلا إغلاق"
    quotes = quoted_regions(text, tokenize(text))
    assert [q.text for q in quotes] == ["الوحدة الوطنية", "بلا إغلاق"]
