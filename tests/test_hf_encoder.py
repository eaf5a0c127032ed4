"""A BERT-family encoder from a Hugging Face folder (hadath.encoders.hf_bert): read into
hadath's encoder shapes, checked against ``transformers`` itself, fine-tuned into a tagger
and used through ``--ner-model``.  The folders are tiny random models written here: nothing
is downloaded."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

for _module in ("numpy", "tokenizers", "safetensors"):
    if importlib.util.find_spec(_module) is None:
        pytest.skip(f"needs {_module}: pip install -e '.[hf]'", allow_module_level=True)

SENTENCES = ["وقال الرئيس الفرنسي جاك شيراك في باريس إن الحكومة ستصدر بيانا اليوم .",
             "وأعلنت منظمة العفو الدولية أن انفجارا وقع في بغداد صباح الأحد .",
             "التقى وزير الخارجية المصري أحمد أبو الغيط نظيره الأردني في عمان ."] * 4


def write_tiny_bert(folder, hidden: int = 32, layers: int = 2, heads: int = 4, seed: int = 0):
    """A random BERT in Hugging Face's layout, written with tokenizers + safetensors only."""
    import numpy as np
    from safetensors.numpy import save_file
    from tokenizers import BertWordPieceTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = BertWordPieceTokenizer(lowercase=False, strip_accents=False)
    tokenizer.train_from_iterator(SENTENCES, vocab_size=400, min_frequency=1)
    tokenizer.save_model(str(folder))
    vocab = tokenizer.get_vocab_size()
    config = {"model_type": "bert", "vocab_size": vocab, "hidden_size": hidden, "num_hidden_layers": layers,
              "num_attention_heads": heads, "intermediate_size": 2 * hidden, "max_position_embeddings": 128,
              "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu"}
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    rng = np.random.default_rng(seed)

    def w(*shape):
        return (0.05 * rng.standard_normal(shape)).astype(np.float32)

    tensors = {"bert.embeddings.word_embeddings.weight": w(vocab, hidden),
               "bert.embeddings.position_embeddings.weight": w(128, hidden),
               "bert.embeddings.token_type_embeddings.weight": w(2, hidden),
               "bert.embeddings.LayerNorm.weight": np.ones(hidden, np.float32),
               "bert.embeddings.LayerNorm.bias": np.zeros(hidden, np.float32),
               "cls.predictions.bias": w(vocab)}              # a pretraining head: ignored
    for i in range(layers):
        p = f"bert.encoder.layer.{i}."
        for name, (rows, cols) in {"attention.self.query": (hidden, hidden), "attention.self.key": (hidden, hidden),
                                   "attention.self.value": (hidden, hidden),
                                   "attention.output.dense": (hidden, hidden),
                                   "intermediate.dense": (2 * hidden, hidden),
                                   "output.dense": (hidden, 2 * hidden)}.items():
            tensors[p + name + ".weight"], tensors[p + name + ".bias"] = w(rows, cols), w(rows)
        for name in ("attention.output.LayerNorm", "output.LayerNorm"):
            tensors[p + name + ".weight"] = np.ones(hidden, np.float32)
            tensors[p + name + ".bias"] = np.zeros(hidden, np.float32)
    save_file(tensors, str(folder / "model.safetensors"))
    return folder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return write_tiny_bert(tmp_path_factory.mktemp("bert") / "tiny")


def test_folder_is_read_into_the_encoders_shapes(tiny):
    from hadath.encoders.hf_bert import HFTokenizer, load_hf_bert

    f = load_hf_bert(tiny)
    assert (f.config.hidden, f.config.layers, f.config.heads) == (32, 2, 4)
    assert f.weight("l1.fo.w").shape == (32, 64) and f.weight("emb.word").shape[1] == 32
    tokenizer = HFTokenizer.from_folder(tiny)
    text = SENTENCES[0]
    enc = tokenizer.encode(text)
    assert enc.ids[0] == tokenizer.bos and enc.ids[-1] == tokenizer.eos and enc.special[0] and enc.special[-1]
    pieces = [text[a:b] for (a, b), special in zip(enc.offsets, enc.special) if not special]
    assert "".join(pieces) == text.replace(" ", "")          # offsets cover the text, in order
    assert tokenizer.content_ids(text) == enc.ids[1:-1]


def test_bad_folders_fail_clearly(tmp_path, tiny):
    import shutil

    from hadath.encoders.hf_bert import EncoderDirError, load_hf_bert

    with pytest.raises(EncoderDirError, match="config.json"):
        load_hf_bert(tmp_path)
    other = tmp_path / "roberta"
    shutil.copytree(tiny, other)
    config = json.loads((other / "config.json").read_text())
    (other / "config.json").write_text(json.dumps(config | {"model_type": "roberta"}))
    with pytest.raises(EncoderDirError, match="not supported"):
        load_hf_bert(other)
    (other / "config.json").write_text(json.dumps(config | {"num_hidden_layers": 3}))
    with pytest.raises(EncoderDirError, match="lack"):
        load_hf_bert(other)


def test_same_hidden_states_as_transformers(tmp_path):
    """The encoder built from the folder gives ``transformers``' BertModel's hidden states."""
    torch = pytest.importorskip("torch", reason="needs PyTorch (pip install torch==2.13.0)")
    transformers = pytest.importorskip("transformers", reason="the reference is transformers' BertModel")
    from hadath.encoders.e5_torch import build_encoder
    from hadath.encoders.hf_bert import HFTokenizer, load_hf_bert

    folder = write_tiny_bert(tmp_path / "tiny", seed=3)
    reference = transformers.BertModel.from_pretrained(folder).eval()
    tokenizer = HFTokenizer.from_folder(folder)
    ids = torch.tensor([tokenizer.encode(SENTENCES[1]).ids])
    ours = build_encoder(file=load_hf_bert(folder)).eval()
    with torch.no_grad():
        diff = (ours(ids) - reference(ids).last_hidden_state).abs().max()
    assert float(diff) < 1e-4


def test_a_tagger_fine_tuned_from_the_folder_runs_in_hadath(tmp_path, tiny):
    """``train --encoder-dir`` (one short epoch) writes a tagger that NerModel and
    ``hadath extract --ner-model`` run with the folder's tokenizer; without the folder the
    error says so."""
    pytest.importorskip("torch", reason="training needs PyTorch (pip install torch==2.13.0)")
    from hadath.ner.tagger import NerModel
    from hadath.ner.train import TRAIN_FILE, train

    if not TRAIN_FILE.exists():
        pytest.skip(f"needs {TRAIN_FILE} (../shared beside the repository)")
    out = tmp_path / "tiny-ner.npz"
    train(out, encoder_dir=tiny, epochs=1, train_limit=40, max_len=64, threads=1, ant_limit=0, bf16=False,
          rule_features=False)
    model = NerModel.load(out)
    assert model.meta["encoder"]["kind"] == "hf-bert" and model.hidden == 32
    words = SENTENCES[0].split()
    (tags,) = model.tag_words([words])
    assert len(tags) == len(words) and set(tags) <= set(model.labels)
    run = [sys.executable, "-m", "hadath.cli", "extract", "examples/article.txt", "--ner", "tagger",
           "--event-check", "off", "--ner-model", str(out)]
    result = subprocess.run(run, capture_output=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["text"]
    tiny.rename(tiny.with_name("elsewhere"))
    try:
        result = subprocess.run(run, capture_output=True, cwd=ROOT, timeout=300)
    finally:
        tiny.with_name("elsewhere").rename(tiny)
    assert result.returncode != 0 and b"folder is missing" in result.stderr and b"Traceback" not in result.stderr
