"""End-to-end speed: ``storylens analyze`` beside a bare spaCy pass, on ECB+ and on long articles.

What a user sees: articles per second and seconds per 1,000 articles for the whole
``analyze`` (ingest, annotate, link, storify, briefing), with the bare ``nlp.pipe`` of the
same spaCy model over the same cleaned texts in the same run as the peer, a per-stage
table (``Analysis.stats["seconds"]``, which times every step of ``api.STEPS``), and peak
RSS. Corpora (see ``benchmarks/long_corpus.py`` for how the long articles are made):

- **ECB+**: every k-th ECB+ document (short news reports, about 330 words);
- **long**: the extraction-benchmark pages with 250+ words and ECB+ documents joined into
  ~1,000-word articles, interleaved;
- **length**: the ECB+ documents of a fixed set of topics cut into articles of about 250,
  1,000 and 3,000 words (the same text each time), to show how link time per document
  follows document length;
- **memory** (``--memory-docs``): peak RSS of ``analyze`` over that many long articles: the main
  process, the largest other process, and all processes at once, as summed RSS and summed
  PSS (sampled from /proc every 0.2 s).

Each measurement runs in a fresh child process with the spaCy model loaded and warmed up
and the embedding model loaded before the clock starts; ``bare`` and ``analyze`` of one
corpus run one after the other, so they share the machine's load. Both use
``n_process=--jobs`` (``-j``). The peer is the model's own ``nlp.pipe`` with every pipe the
model has (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner, and storylens's quote
component, which is in ``get_nlp``), batch size 16, its workers forked from the warmed-up
process by spaCy. ``analyze``'s workers are forked from a fork server that the warm-up
``analyze`` started with the model loaded (``annotate.preload``). CPU seconds are those of
the process, of the children it reaped (spaCy's workers) and of its live children and what
they reaped (the fork server and its workers).

    .venv/bin/python -m benchmarks.speed_e2e [--jobs 2] [--ecb 300] [--long 300] [--memory-docs 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

from benchmarks.common import machine, revision, write_result
from benchmarks.long_corpus import Article, ecb_joined, long_batch, thousand_long, write_texts

ROOT = Path(__file__).resolve().parent.parent
COMMAND = ".venv/bin/python -m benchmarks.speed_e2e"
#: topics whose ECB+ text is cut into articles of each length (about 39,000 words)
LENGTH_TOPICS = set(range(1, 7))
LENGTHS = (250, 1000, 3000)
STEP_ORDER = ("ingest", "annotate", "quotes", "syndication", "entities", "quote_speakers", "stories", "claims",
              "timelines", "framing", "briefing")


def _ecb_sample(n: int) -> list[Article]:
    from benchmarks.long_corpus import _ecb_rows

    if n <= 0:
        return []
    rows = _ecb_rows()
    step = max(1, len(rows) // n)
    return [Article(id=str(r["doc_id"]), text=str(r["text"]), group=str(r["topic"])) for r in rows[::step][:n]]


def child(mode: str, n_process: int, corpus: str) -> dict[str, Any]:
    """One timed run in this fresh process."""
    from storylens import analyze
    from storylens.annotate.nlp import get_nlp
    from storylens.embed import get_embedder
    from storylens.ingest import ingest
    from storylens.options import Options

    options = Options(n_process=n_process)
    if mode == "bare" or n_process == 1:
        # with -j 2 `analyze` parses in worker processes only: its main process never loads spaCy
        nlp = get_nlp()
        list(nlp.pipe(["Warm-up sentence for the model, in London on Monday."]))
    if mode == "analyze":
        # one small analyze first (with the same -j): model files, word lists and libraries
        # that the first call loads are not part of the time per article
        # two different texts: ingest drops exact duplicates, and one document is annotated
        # in this process, so with two copies of one text -j's workers were never started here
        with tempfile.TemporaryDirectory() as warm:
            for k in range(2):
                (Path(warm) / f"w{k}.txt").write_text(
                    f"Officials said on Monday that bridge number {k + 1} in London would reopen. "
                    "The mayor said repairs cost 2 million pounds.\n", encoding="utf-8")
            warmed = analyze([warm], options)
            if len(warmed.documents) != 2:
                raise SystemExit("the warm-up did not annotate two documents")
        get_embedder().encode(["Warm-up sentence for the embedder."])
    texts = [d.text for d in ingest([corpus], options).documents] if mode == "bare" else []

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime + _live_children_cpu()

    tree = _TreeRss()
    c0, t0 = cpu(), time.perf_counter()
    stages: dict[str, float] = {}
    if mode == "bare":
        count = len(list(get_nlp().pipe(texts, batch_size=options.batch_size, n_process=n_process)))
    else:
        analysis = analyze([corpus], options)
        count = len(analysis.documents)
        stages = dict(analysis.stats.get("seconds", {}))
    seconds, cpu_seconds = time.perf_counter() - t0, cpu() - c0
    return {"mode": mode, "seconds": seconds, "cpu": cpu_seconds, "docs": count, "stages": stages,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **tree.stop(),
            "load": os.getloadavg()[0]}


def _live_children_cpu() -> float:
    """CPU seconds of this process's live children and of the children they have reaped:
    annotate's workers are forked by a fork server (a child of this process), which reaps
    them, so their time is in the fork server's ``cutime``, not in our RUSAGE_CHILDREN."""
    me, total = os.getpid(), 0.0
    for pid in _TreeRss._kids(me):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime
    return total


def _pipe_names() -> list[str]:
    from storylens.annotate.nlp import get_nlp

    return list(get_nlp().pipe_names)


class _TreeRss:
    """Peaks of the summed resident memory of this process and all its descendants (the
    fork server and the worker processes of -j), sampled every 0.2 s from /proc:
    ``ru_maxrss`` gives only the largest single process, not what the machine must hold at
    once. Summed RSS counts a page shared by forked processes (the spaCy model the workers
    inherit from the fork server) once per process; summed PSS splits each shared page
    among its sharers, so it is what the processes hold together. Also the largest peak
    (VmHWM) of a single descendant: workers are reaped by the fork server, not by us, so
    RUSAGE_CHILDREN does not see them."""

    def __init__(self) -> None:
        import threading

        self.peak = 0.0
        self.peak_pss = 0.0
        self.largest_descendant = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _kids(pid: int) -> list[int]:
        try:
            return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []

    @staticmethod
    def _field_mb(pid: int, name: str, key: str) -> float:
        try:
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                if line.startswith(key):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def _run(self) -> None:
        while not self._done.wait(0.2):
            pids = [os.getpid()]
            for pid in pids:
                pids += self._kids(pid)
            self.peak = max(self.peak, sum(self._field_mb(p, "status", "VmRSS:") for p in pids))
            self.peak_pss = max(self.peak_pss, sum(self._field_mb(p, "smaps_rollup", "Pss:") for p in pids))
            self.largest_descendant = max([self.largest_descendant,
                                           *(self._field_mb(p, "status", "VmHWM:") for p in pids[1:])])

    def stop(self) -> dict[str, float]:
        self._done.set()
        self._thread.join()
        return {"tree_rss_mb": self.peak, "tree_pss_mb": self.peak_pss, "workers_rss_mb": self.largest_descendant}


def run_child(mode: str, n_process: int, corpus: Path) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.speed_e2e", "--child", mode, str(n_process), str(corpus)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"child {mode} on {corpus} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"# {corpus.name} {mode}: {result['seconds']:.1f}s wall, {result['cpu']:.1f}s CPU, "
          f"{result['docs']} docs, load {result['load']:.1f}", file=sys.stderr)
    return result


def _rss(r: dict[str, Any]) -> str:
    """Main process peak (+ the largest other process's peak; all processes at once, summed RSS / PSS)."""
    own = f"{r['rss_mb']:.0f}"
    if r["workers_rss_mb"] > 1:
        own += (f" (+ largest other {r['workers_rss_mb']:.0f}; all at once {r.get('tree_rss_mb', 0.0):.0f} RSS, "
                f"{r.get('tree_pss_mb', 0.0):.0f} PSS)")
    return own


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", "-j", type=int, default=2, help="n_process for both bare spaCy and analyze")
    parser.add_argument("--ecb", type=int, default=300, help="ECB+ documents")
    parser.add_argument("--long", type=int, default=300, help="long articles")
    parser.add_argument("--memory-docs", type=int, default=0, help="also measure peak RSS on this many long articles")
    parser.add_argument("--no-lengths", action="store_true", help="skip the 250/1,000/3,000-word table")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "N_PROCESS", "CORPUS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]), args.child[2])))
        return ""
    j = args.jobs
    corpora: list[tuple[str, list[Article]]] = [
        (name, arts) for name, arts, n in (("ECB+", _ecb_sample(args.ecb), args.ecb), ("long", long_batch(args.long), args.long))
        if n > 0]
    lengths = [] if args.no_lengths else [(f"{w} words", ecb_joined(w, topics=LENGTH_TOPICS)) for w in LENGTHS]
    results: dict[str, dict[str, dict[str, Any]]] = {}
    words: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="storylens-e2e-") as tmp:
        for name, articles in corpora + lengths:
            folder = Path(tmp) / name.replace(" ", "_").replace("+", "p")
            words[name] = write_texts(articles, folder)
            modes = ("bare", "analyze") if (name, articles) in corpora else ("analyze",)
            results[name] = {m: run_child(m, j, folder) for m in modes}
        if args.memory_docs:
            folder = Path(tmp) / "memory"
            words["memory"] = write_texts(thousand_long(args.memory_docs), folder)
            results["memory"] = {"analyze": run_child("analyze", j, folder)}
    loads = [r["load"] for rs in results.values() for r in rs.values()]

    from storylens.annotate.nlp import MODEL_PACKAGE

    flags = (f" --jobs {j}" if j != 2 else "") + (f" --ecb {args.ecb}" if args.ecb != 300 else "") + (
        f" --long {args.long}" if args.long != 300 else "") + (
        f" --memory-docs {args.memory_docs}" if args.memory_docs else "") + (" --no-lengths" if args.no_lengths else "")
    out = [
        "## End-to-end speed (ECB+ and long articles)",
        "",
        f"- Command: `{COMMAND}{flags}`",
        f"- Machine: {machine()}; Code: {revision()}; Date: {dt.date.today().isoformat()}",
        f"- spaCy {version('spacy')}, model `{MODEL_PACKAGE}`; `n_process={j}` (`-j {j}`) for both the bare pass and "
        "`analyze`; each row one fresh process, models loaded and warmed up before the clock starts.",
        f"- The peer (bare spaCy): `get_nlp().pipe(texts, batch_size=16, n_process={j})` over the same cleaned texts: "
        f"the same model with every pipe it has ({', '.join(_pipe_names())}), nothing disabled; its workers are forked "
        "by spaCy from the warmed-up process. `analyze`'s workers are forked from the fork server that the warm-up "
        "`analyze` started with the model loaded (`annotate/preload.py`). CPU s: the process, its reaped children and "
        "its live children with what they reaped (the fork server reaps its workers).",
        f"- 1-minute load average at the end of the runs: {min(loads):.1f} to {max(loads):.1f} on "
        f"{os.cpu_count()} CPUs (the machine was shared with other engineers' jobs: wall times are noisy; "
        "the ratios compare runs made one after the other under the same load, CPU s is the steadier measure).",
        "",
        "| corpus | articles | words | bare spaCy s | `analyze` s | articles/s | s per 1,000 articles | "
        "end to end vs bare (wall) | (CPU) | link + storify / annotate | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, _ in corpora:
        bare, full = results[name]["bare"], results[name]["analyze"]
        st = full["stages"]
        link = st.get("link", 0.0) + st.get("storify", 0.0)
        out.append(
            f"| {name} | {full['docs']} | {words[name]:,} | {bare['seconds']:.1f} | {full['seconds']:.1f} | "
            f"{full['docs'] / full['seconds']:.2f} | {1000 * full['seconds'] / full['docs']:.0f} | "
            f"{bare['seconds'] / full['seconds']:.2f}× | {bare['cpu'] / full['cpu']:.2f}× | "
            f"{link / max(st.get('annotate', 1e-9), 1e-9):.2f}× | {_rss(full)} |")
    columns = corpora + lengths
    out += [] if not columns else ["", "Per stage, seconds (from `Analysis.stats[\"seconds\"]` of the `analyze` rows; link and storify "
            "are the sums of their steps):", "",
            "| step | " + " | ".join(n for n, _ in columns) + " |",
            "|---|" + "---|" * len(columns)]
    for step in (*STEP_ORDER, "link", "storify") if columns else ():
        cells = [f"{results[n]['analyze']['stages'].get(step, 0.0):.2f}" for n, _ in corpora + lengths]
        out.append(f"| {step} | " + " | ".join(cells) + " |")
    if lengths:
        out += ["", f"Link time against document length: ECB+ topics {min(LENGTH_TOPICS)}–{max(LENGTH_TOPICS)} "
                "(the same text) cut into articles of about 250, 1,000 and 3,000 words. Linear growth means a "
                "constant time per 1,000 words.", "",
                "| article length | articles | words | annotate s | link + storify s | ms per article | "
                "ms per 1,000 words | per-article time vs 250 words | length vs 250 words | peak RSS MB |",
                "|---|---|---|---|---|---|---|---|---|---|"]
        base_ms = None
        base_words = None
        for name, arts in lengths:
            r = results[name]["analyze"]
            st = r["stages"]
            link = st.get("link", 0.0) + st.get("storify", 0.0)
            per_doc = 1000 * link / r["docs"]
            avg_words = words[name] / max(len(arts), 1)
            base_ms = base_ms or per_doc
            base_words = base_words or avg_words
            out.append(f"| {name} | {r['docs']} | {words[name]:,} | {st.get('annotate', 0.0):.1f} | {link:.1f} | "
                       f"{per_doc:.0f} | {1e6 * link / words[name]:.0f} | {per_doc / base_ms:.1f}× | "
                       f"{avg_words / base_words:.1f}× | {_rss(r)} |")
    if "memory" in results:
        r = results["memory"]["analyze"]
        out += ["", f"Memory: `analyze` over {r['docs']} long articles ({words['memory']:,} words; "
                "`long_corpus.thousand_long`: the long batch, then ECB+ joined into ~1,000-word articles with other "
                f"cut points) took {r['seconds']:.0f} s with peak RSS {_rss(r)} MB."]
    out += ["", "Targets (issue 12):"]
    for name, _ in corpora:
        bare, full = results[name]["bare"], results[name]["analyze"]
        st = full["stages"]
        e2e = bare["seconds"] / full["seconds"]
        link = (st.get("link", 0.0) + st.get("storify", 0.0)) / max(st.get("annotate", 1e-9), 1e-9)
        out.append(f"- {name}: end to end {e2e:.2f}× bare spaCy ({'meets' if e2e >= 0.45 else 'misses'} ≥ 0.45×); "
                   f"link + storify {link:.2f}× annotate ({'meets' if link <= 1.0 else 'misses'} ≤ 1.0×).")
    if "memory" in results:
        mem = results["memory"]["analyze"]
        peak = max(mem["rss_mb"], mem.get("tree_rss_mb", 0.0))
        pss = max(mem["rss_mb"], mem.get("tree_pss_mb", 0.0))
        out.append(f"- peak memory of all processes at once at {mem['docs']} long articles: summed RSS {peak:.0f} MB "
                   f"({'meets' if peak <= 2048 else 'misses'} ≤ 2 GB; pages shared by the forked workers counted "
                   f"once per process), summed PSS {pss:.0f} MB ({'meets' if pss <= 2048 else 'misses'}).")
    text = "\n".join(out) + "\n"
    write_result("speed_e2e", text)
    sys.stdout.write(text)
    return text


if __name__ == "__main__":
    main()
