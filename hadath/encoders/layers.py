"""The e5-small (BERT) encoder layers, written once for every model built on them:
the NER tagger, the event classifier and the plain sentence encoder.

A model hands in its weights through a :class:`LayerWeights` source (float matrices,
or int8 rows where it stores them so) and gets either

* :func:`onnx_model` + :func:`ort_session`: the layers as an ONNX Runtime graph built in
  memory, with the matrices named in ``int8_parts`` run as int8
  (``DynamicQuantizeMatMul``: weights int8 per output row, activations quantised per
  call), the others in float32; or
* :func:`numpy_layers` + :func:`run_numpy_layers`: the same layers in float32 NumPy.

Graph inputs: ``x`` [B, L, H] (embeddings after their LayerNorm) and ``bias``
[B, 1, 1, L] (0 for a real token, -1e30 for padding).  Outputs: ``logits`` when a
classification head is given, and ``h<n>`` (states after layer n, 1-based) for every
n in ``keep``.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Optional, Protocol

import numpy as np

PARTS = ("q", "k", "v", "ao", "fi", "fo")
MS = "com.microsoft"


class LayerWeights(Protocol):
    """Where a model keeps its layer weights; names are ``l<i>.<part>`` (``q``, ``k``,
    ``v``, ``ao``, ``fi``, ``fo``) and ``l<i>.<aln|oln>`` for the LayerNorms."""

    def matrix(self, name: str) -> np.ndarray:
        """Float32 ``[out, in]`` (torch Linear layout)."""

    def int8_rows(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """``(q int8 [out, in], scale float32 [out])`` with ``matrix ~= q * scale[:, None]``."""

    def vector(self, name: str) -> np.ndarray:
        """A bias (``l0.q.b``) or LayerNorm parameter (``l0.aln.w``), float32."""


def quantize_rows(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 per output row: ``w ~= q * s[:, None]``."""
    s = np.abs(w).max(axis=1) / 127.0
    s = np.where(s > 0, s, 1.0).astype(np.float32)
    q = np.clip(np.rint(w / s[:, None]), -127, 127).astype(np.int8)
    return q, s


class _Graph:
    """Names nodes and collects initialisers."""

    def __init__(self):
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes: list = []
        self.inits: list = []
        self.n = 0

    def const(self, name: str, value: np.ndarray) -> str:
        self.inits.append(self.numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(self, kind: str, inputs: list[str], domain: Optional[str] = None, **attrs) -> str:
        self.n += 1
        out = f"{kind.lower()}_{self.n}"
        kw = {"domain": domain} if domain else {}
        self.nodes.append(self.helper.make_node(kind, inputs, [out], name=out, **kw, **attrs))
        return out


def onnx_model(weights: LayerWeights, *, layers: int, hidden: int, heads: int, eps: float,
               int8_parts: Collection[str] = (), keep: Collection[int] = (),
               head: Optional[tuple[np.ndarray, np.ndarray]] = None, exact_gelu: bool = False,
               name: str = "hadath-e5") -> bytes:
    """The serialised ONNX model of ``layers`` encoder layers (and ``head``: ``(w [K, H],
    b [K])``, a linear layer over the last states giving ``logits``)."""
    from onnx import TensorProto, helper

    unknown = set(int8_parts) - set(PARTS)
    if unknown:
        raise ValueError(f"unknown matrices {sorted(unknown)} (known: {PARTS})")
    if len({part in int8_parts for part in ("q", "k", "v")}) != 1:
        raise ValueError("q, k and v run as one matrix: all three in int8 or none")
    hd = hidden // heads
    g = _Graph()

    def linear(x: str, p: str, part: str) -> str:
        bias = g.const(p + part + ".b", weights.vector(p + part + ".b").astype(np.float32))
        if part in int8_parts:
            q, s = weights.int8_rows(p + part)
            return g.op("DynamicQuantizeMatMul", [x, g.const(p + part + ".wq", np.ascontiguousarray(q.T)),
                                                  g.const(p + part + ".ws", s.astype(np.float32)), "", bias],
                        domain=MS)
        w = g.const(p + part + ".wt", np.ascontiguousarray(weights.matrix(p + part).T, dtype=np.float32))
        return g.op("Add", [g.op("MatMul", [x, w]), bias])

    def qkv(x: str, p: str) -> list[str]:
        """Query, key and value from one matrix: with int8 the input is quantised once
        for the three (the same scale each would get), and one larger product runs."""
        parts = ("q", "k", "v")
        bias = g.const(p + "qkv.b", np.concatenate([weights.vector(p + n + ".b") for n in parts]).astype(np.float32))
        if "q" in int8_parts:
            rows = [weights.int8_rows(p + n) for n in parts]
            q = np.concatenate([r[0] for r in rows], 0)
            s = np.concatenate([r[1] for r in rows]).astype(np.float32)
            out = g.op("DynamicQuantizeMatMul", [x, g.const(p + "qkv.wq", np.ascontiguousarray(q.T)),
                                                  g.const(p + "qkv.ws", s), "", bias], domain=MS)
        else:
            w = np.concatenate([weights.matrix(p + n) for n in parts], 0)
            out = g.op("Add", [g.op("MatMul", [x, g.const(p + "qkv.wt", np.ascontiguousarray(w.T, dtype=np.float32))]),
                               bias])
        split = g.const(p + "qkv.split", np.array([hidden] * 3, dtype=np.int64))
        g.n += 1
        names = [f"split_{g.n}_{n}" for n in parts]
        g.nodes.append(helper.make_node("Split", [out, split], names, name=f"split_{g.n}", axis=-1))
        return names

    def layer_norm(x: str, p: str, n: str) -> str:
        return g.op("LayerNormalization", [x, g.const(p + n + ".w", weights.vector(p + n + ".w")),
                                           g.const(p + n + ".b", weights.vector(p + n + ".b"))],
                    axis=-1, epsilon=eps)

    shape_heads = g.const("shape_heads", np.array([0, 0, heads, hd], dtype=np.int64))
    shape_ctx = g.const("shape_ctx", np.array([0, 0, hidden], dtype=np.int64))
    scale = g.const("attn_scale", np.array(1.0 / np.sqrt(hd), dtype=np.float32))
    outputs = []
    x = "x"
    for i in range(layers):
        p = f"l{i}."
        q, k, v = (g.op("Transpose", [g.op("Reshape", [part, shape_heads])], perm=[0, 2, 1, 3])
                   for part in qkv(x, p))                                          # B NH L hd
        scores = g.op("Add", [g.op("MatMul", [g.op("Mul", [q, scale]), g.op("Transpose", [k], perm=[0, 1, 3, 2])]),
                              "bias"])
        ctx = g.op("Reshape", [g.op("Transpose", [g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v])],
                                    perm=[0, 2, 1, 3]), shape_ctx])
        x = layer_norm(g.op("Add", [linear(ctx, p, "ao"), x]), p, "aln")
        h = g.op("Gelu" if exact_gelu else "FastGelu", [linear(x, p, "fi")], domain=MS)
        x = layer_norm(g.op("Add", [linear(h, p, "fo"), x]), p, "oln")
        if i + 1 in keep:
            g.nodes.append(helper.make_node("Identity", [x], [f"h{i + 1}"]))
            outputs.append(helper.make_tensor_value_info(f"h{i + 1}", TensorProto.FLOAT, ["B", "L", hidden]))
    if head is not None:
        w, b = head
        logits = g.op("Add", [g.op("MatMul", [x, g.const("head.wt", np.ascontiguousarray(w.T, dtype=np.float32))]),
                              g.const("head.b", b.astype(np.float32))])
        g.nodes.append(helper.make_node("Identity", [logits], ["logits"]))
        outputs.append(helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["B", "L", int(w.shape[0])]))
    if not outputs:
        raise ValueError("nothing to output: give a head or layers to keep")
    graph = helper.make_graph(g.nodes, name,
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["B", "L", hidden]),
                               helper.make_tensor_value_info("bias", TensorProto.FLOAT, ["B", 1, 1, "L"])],
                              outputs, initializer=g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(MS, 1)],
                              producer_name="hadath")
    model.ir_version = 8
    return model.SerializeToString()


def ort_session(model: bytes, threads: int):
    """An ONNX Runtime CPU session.  Spinning is off: idle pool threads that spin steal
    the core that other work (the rule stages, another worker process) needs."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = max(1, int(threads))
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.log_severity_level = 3
    return ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])


def onnx_available() -> bool:
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def choose_runtime(runtime: str) -> str:
    """``auto`` is ONNX Runtime when ``onnx`` and ``onnxruntime`` import, else NumPy; asking
    for ``onnx`` without them is an error rather than a silent fallback."""
    if runtime not in ("auto", "onnx", "numpy"):
        raise ValueError(f"runtime must be auto, onnx or numpy, not {runtime!r}")
    if runtime == "numpy":
        return runtime
    if onnx_available():
        return "onnx"
    if runtime == "onnx":
        raise RuntimeError("runtime='onnx' needs the onnx and onnxruntime packages")
    return "numpy"


def default_threads() -> int:
    """``OMP_NUM_THREADS`` when set (``hadath batch`` sets it per worker), else the cores
    this process may use."""
    import os

    value = os.environ.get("OMP_NUM_THREADS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


# -- NumPy ---------------------------------------------------------------------
def numpy_layers(weights: LayerWeights, layers: int) -> list[dict[str, np.ndarray]]:
    """The layers in float32, matrices transposed for ``x @ w`` (q, k and v joined)."""
    out = []
    for i in range(layers):
        p = f"l{i}."

        def wt(part: str) -> np.ndarray:
            return np.ascontiguousarray(weights.matrix(p + part).T, dtype=np.float32)

        out.append({
            "qkv_wt": np.ascontiguousarray(np.concatenate([wt("q"), wt("k"), wt("v")], 1)),
            "qkv_b": np.concatenate([weights.vector(p + n + ".b") for n in ("q", "k", "v")]).astype(np.float32),
            **{f"{n}_wt": wt(n) for n in ("ao", "fi", "fo")},
            **{f"{n}_b": weights.vector(p + n + ".b").astype(np.float32) for n in ("ao", "fi", "fo")},
            **{f"{n}_{k}": weights.vector(f"{p}{n}.{k}").astype(np.float32) for n in ("aln", "oln") for k in "wb"},
        })
    return out


def run_numpy_layers(layers: Sequence[dict[str, np.ndarray]], x: np.ndarray, bias: np.ndarray, *, heads: int,
                     eps: float, gelu: Callable[[np.ndarray], np.ndarray],
                     keep: Collection[int] = ()) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """``x`` [B, L, H] through ``layers``: (last states [B, L, H], {n: states after layer n}
    for n in ``keep``).  ``gelu`` works in place."""
    from hadath.encoders.e5_numpy import layer_norm

    B, L, H = x.shape
    hd = H // heads
    x = x.reshape(B * L, H)
    scale = np.float32(1.0 / np.sqrt(hd))
    kept: dict[int, np.ndarray] = {}
    for n, ly in enumerate(layers, 1):
        qkv = x @ ly["qkv_wt"]
        qkv += ly["qkv_b"]
        qkv = qkv.reshape(B, L, 3, heads, hd).transpose(2, 0, 3, 1, 4)          # [3, B, NH, L, hd]
        s = (qkv[0] * scale) @ qkv[1].transpose(0, 1, 3, 2)
        if B > 1:
            s += bias
        s -= s.max(-1, keepdims=True)
        np.exp(s, out=s)
        s /= s.sum(-1, keepdims=True)
        ctx = (s @ qkv[2]).transpose(0, 2, 1, 3).reshape(B * L, H)
        a = ctx @ ly["ao_wt"]
        a += ly["ao_b"]
        a += x
        x = layer_norm(a, ly["aln_w"], ly["aln_b"], eps)
        h = x @ ly["fi_wt"]
        h += ly["fi_b"]
        gelu(h)
        o = h @ ly["fo_wt"]
        o += ly["fo_b"]
        o += x
        x = layer_norm(o, ly["oln_w"], ly["oln_b"], eps)
        if n in keep:
            kept[n] = x.reshape(B, L, H)
    return x.reshape(B, L, H), kept
