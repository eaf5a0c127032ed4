"""The tagger's encoder in ONNX Runtime, built in memory from the shipped ``.npz``.

Why: in NumPy every layer is a chain of float32 matmuls and temporaries. ONNX Runtime
runs the same layers (:mod:`hadath.encoders.layers`) with int8 weights (the shipped
per-row int8 matrices, used as they are) on the CPU's integer dot-product
instructions, and fuses LayerNorm and GELU. Nothing extra is shipped.

``precision="int8"`` (the default: the matrices in :data:`INT8_PARTS` in int8) or
``"float32"`` (every matrix dequantised; it gives the NumPy path's tags).
"""
from __future__ import annotations

import json
from typing import Optional

import numpy as np

from hadath.encoders.layers import (
    default_threads,
    onnx_model,
    ort_session,
)

PRECISIONS = ("int8", "float32")
# Matrices run in int8. The attention output and the second feed-forward matrix stay
# float32: their inputs (attention context, GELU output) have outliers that per-tensor
# activation scales flatten: all six in int8 cost 1.1 points of dev F1 (79.26 -> 78.14),
# these four 0.05 (79.21), at 2.2x NumPy's speed.
INT8_PARTS = ("q", "k", "v", "fi")


class NpzWeights:
    """The tagger file's layer weights: int8 rows with a scale each, float32 vectors."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.arrays = arrays

    def int8_rows(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        return self.arrays[name + ".q"], self.arrays[name + ".s"].astype(np.float32)

    def matrix(self, name: str) -> np.ndarray:
        q, s = self.int8_rows(name)
        return q.astype(np.float32) * s[:, None]

    def vector(self, name: str) -> np.ndarray:
        return self.arrays[name].astype(np.float32)


def build_model(arrays: dict[str, np.ndarray], precision: str = "int8", exact_gelu: bool = False) -> bytes:
    """Serialised ONNX model: ``x`` [B, L, H], ``bias`` [B, 1, 1, L] -> ``logits`` [B, L, K]."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
    meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
    return onnx_model(NpzWeights(arrays), layers=int(meta["layers"]), hidden=int(meta["hidden"]),
                      heads=int(meta["heads"]), eps=float(meta["layer_norm_eps"]),
                      int8_parts=INT8_PARTS if precision == "int8" else (),
                      head=(arrays["head.w"].astype(np.float32), arrays["head.b"].astype(np.float32)),
                      exact_gelu=exact_gelu, name="hadath-ner-encoder")


class OrtEncoder:
    """An ONNX Runtime session over :func:`build_model`'s graph (``threads``: intra-op
    threads, default :func:`~hadath.encoders.layers.default_threads`)."""

    def __init__(self, arrays: dict[str, np.ndarray], precision: str = "int8", *,
                 threads: Optional[int] = None, exact_gelu: bool = False):
        self.precision = precision
        self.session = ort_session(build_model(arrays, precision, exact_gelu), threads or default_threads())

    def __call__(self, x: np.ndarray, bias: np.ndarray) -> np.ndarray:
        return self.session.run(["logits"], {"x": np.ascontiguousarray(x, dtype=np.float32),
                                             "bias": np.ascontiguousarray(bias, dtype=np.float32)})[0]
