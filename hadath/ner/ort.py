"""The tagger's encoder layers and head as an ONNX Runtime graph, built in memory.

Why: in NumPy every layer is a chain of float32 matmuls and temporaries. ONNX Runtime
runs the same layers with int8 weights (the shipped per-row int8 matrices, used as
they are: ``DynamicQuantizeMatMul`` quantises the activations per call) on the
CPU's integer dot-product instructions, and fuses LayerNorm and GELU. Nothing
extra is shipped: the graph is rebuilt from the ``.npz`` arrays at load time.

``precision="int8"`` (the default: the query/key/value and first feed-forward matrices
in int8, see :data:`INT8_PARTS`) or ``"float32"`` (the same graph with dequantised
weights and plain MatMul; it gives the NumPy path's tags).

Needs ``onnx`` (to build the graph) and ``onnxruntime``; :func:`available` tells
whether both import.
"""
from __future__ import annotations

import json
from typing import Optional

import numpy as np

PRECISIONS = ("int8", "float32")
# Matrices run in int8. The attention output and the second feed-forward matrix stay
# float32: their inputs (attention context, GELU output) have outliers that per-tensor
# activation scales flatten: all six in int8 cost 1.1 points of dev F1 (79.26 -> 78.14),
# these four 0.05 (79.21), at 2.2x NumPy's speed.
INT8_PARTS = ("q", "k", "v", "fi")


def available() -> bool:
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


class _Graph:
    """A small helper that names nodes and collects initialisers."""

    def __init__(self):
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes, self.inits, self.n = [], [], 0

    def const(self, name: str, value: np.ndarray) -> str:
        self.inits.append(self.numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(self, kind: str, inputs: list[str], domain: Optional[str] = None, **attrs) -> str:
        self.n += 1
        out = f"{kind.lower()}_{self.n}"
        kw = {"domain": domain} if domain else {}
        self.nodes.append(self.helper.make_node(kind, inputs, [out], name=out, **kw, **attrs))
        return out


def build_model(arrays: dict[str, np.ndarray], precision: str = "int8", exact_gelu: bool = False) -> bytes:
    """Serialised ONNX model: input ``x`` [B, L, H] (embeddings after their LayerNorm)
    and ``bias`` [B, 1, 1, L] (0 or -1e30 per key position) -> ``logits`` [B, L, K]."""
    from onnx import TensorProto, helper

    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
    meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
    H, NH = int(meta["hidden"]), int(meta["heads"])
    hd = H // NH
    eps = float(meta["layer_norm_eps"])
    g = _Graph()
    ms = "com.microsoft"

    def linear(x: str, p: str, name: str) -> str:
        q, s, b = arrays[p + name + ".q"], arrays[p + name + ".s"].astype(np.float32), arrays[p + name + ".b"]
        bias = g.const(p + name + ".b", b.astype(np.float32))
        if precision == "int8" and name in INT8_PARTS:
            w = g.const(p + name + ".wq", np.ascontiguousarray(q.T.astype(np.int8)))
            scale = g.const(p + name + ".ws", s)
            return g.op("DynamicQuantizeMatMul", [x, w, scale, "", bias], domain=ms)
        w = g.const(p + name + ".wt", (q.astype(np.float32) * s[:, None]).T)
        return g.op("Add", [g.op("MatMul", [x, w]), bias])

    def layer_norm(x: str, w: np.ndarray, b: np.ndarray, name: str) -> str:
        return g.op("LayerNormalization", [x, g.const(name + ".w", w.astype(np.float32)),
                                           g.const(name + ".b", b.astype(np.float32))], axis=-1, epsilon=eps)

    shape_qkv = g.const("shape_qkv", np.array([0, 0, NH, hd], dtype=np.int64))
    shape_ctx = g.const("shape_ctx", np.array([0, 0, H], dtype=np.int64))
    scale = g.const("attn_scale", np.array(1.0 / np.sqrt(hd), dtype=np.float32))
    x = "x"
    for i in range(int(meta["layers"])):
        p = f"l{i}."
        heads = []
        for part in ("q", "k", "v"):
            h = g.op("Reshape", [linear(x, p, part), shape_qkv])          # B L NH hd
            heads.append(g.op("Transpose", [h], perm=[0, 2, 1, 3]))       # B NH L hd
        q = g.op("Mul", [heads[0], scale])
        kt = g.op("Transpose", [heads[1]], perm=[0, 1, 3, 2])
        scores = g.op("Add", [g.op("MatMul", [q, kt]), "bias"])
        probs = g.op("Softmax", [scores], axis=-1)
        ctx = g.op("Reshape", [g.op("Transpose", [g.op("MatMul", [probs, heads[2]])], perm=[0, 2, 1, 3]), shape_ctx])
        a = g.op("Add", [linear(ctx, p, "ao"), x])
        x = layer_norm(a, arrays[p + "aln.w"], arrays[p + "aln.b"], p + "aln")
        h = linear(x, p, "fi")
        h = g.op("Gelu", [h], domain=ms) if exact_gelu else g.op("FastGelu", [h], domain=ms)
        o = g.op("Add", [linear(h, p, "fo"), x])
        x = layer_norm(o, arrays[p + "oln.w"], arrays[p + "oln.b"], p + "oln")
    head_w = g.const("head.wt", arrays["head.w"].astype(np.float32).T)
    logits = g.op("Add", [g.op("MatMul", [x, head_w]), g.const("head.b", arrays["head.b"].astype(np.float32))])
    g.nodes.append(helper.make_node("Identity", [logits], ["logits"]))
    K = int(arrays["head.w"].shape[0])
    graph = helper.make_graph(
        g.nodes, "hadath-ner-encoder",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["B", "L", H]),
         helper.make_tensor_value_info("bias", TensorProto.FLOAT, ["B", 1, 1, "L"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["B", "L", K])],
        initializer=g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(ms, 1)],
                              producer_name="hadath")
    model.ir_version = 8
    return model.SerializeToString()


def default_threads() -> int:
    """``OMP_NUM_THREADS`` when set (``hadath batch`` sets it per worker), else the cores
    this process may use."""
    import os

    value = os.environ.get("OMP_NUM_THREADS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class OrtEncoder:
    """An ONNX Runtime session over :func:`build_model`'s graph.

    ``threads``: intra-op threads (default :func:`default_threads`). Spinning is off:
    idle pool threads that spin steal the core other work (the rule stage, another
    worker process) needs.
    """

    def __init__(self, arrays: dict[str, np.ndarray], precision: str = "int8", *,
                 threads: Optional[int] = None, exact_gelu: bool = False):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = max(1, int(threads or default_threads()))
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.log_severity_level = 3
        self.precision = precision
        self.session = ort.InferenceSession(build_model(arrays, precision, exact_gelu), opts,
                                            providers=["CPUExecutionProvider"])

    def __call__(self, x: np.ndarray, bias: np.ndarray) -> np.ndarray:
        return self.session.run(["logits"], {"x": np.ascontiguousarray(x, dtype=np.float32),
                                             "bias": np.ascontiguousarray(bias, dtype=np.float32)})[0]
