"""``storylens add`` of ECB+ into a fresh SQLite file and a fresh PostgreSQL database.

Runs the real command line (one process per database, one call with the whole JSONL),
times it, and checks that both databases end with the same stories (same documents in
each, same ids), the same claims and the same contradictions. ARI against the gold
sub-topics is given for orientation only (story quality is the story-assignment
benchmark's subject). PostgreSQL is a throwaway cluster with fsync on, on a Unix socket
(tests/store/pgserver.py).

Then ``--one-by-one`` further articles (ECB+ documents of the split with a closing line
appended, so their text is new) are added one ``storylens add`` call each: the latency a
user feeding articles as they arrive sees (process start, reading the assigner's state
from the database, annotating, assigning, storing, re-linking the story it joined).

With ``--split all`` the input is the ECB+ file itself, as the issue states it:
``storylens add ../shared/data/ecbplus/docs.jsonl.gz``.

Run:  .venv/bin/python -m benchmarks.store_ecbplus --split dev     (or --split all)
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sklearn.metrics import adjusted_rand_score

from benchmarks.common import machine, revision, write_result
from storylens.store import open_store

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "ecbplus" / "docs.jsonl.gz"
sys.path.insert(0, str(ROOT / "tests" / "store"))
from pgserver import PostgresServer, pg_bindir  # noqa: E402


def _state(url: str) -> dict[str, Any]:
    from sqlalchemy import func, select

    from storylens.store import schema as t

    with open_store(url, create=False) as store, store.read() as conn:
        members: dict[str, list[str]] = {}
        for sid, did in conn.execute(select(t.story_members.c.story_id, t.story_members.c.doc_id)):
            members.setdefault(sid, []).append(did)
        return {
            "stories": {k: sorted(v) for k, v in members.items()},
            "claims": conn.execute(select(func.count()).select_from(t.claims)).scalar_one(),
            "claim_rows": sorted(tuple(r) for r in conn.execute(select(t.claims.c.story_id, t.claims.c.id,
                                                                       t.claims.c.status))),
            "contradiction_rows": sorted(tuple(r) for r in conn.execute(
                select(t.contradictions.c.story_id, t.contradictions.c.id, t.contradictions.c.kind))),
            "line_of": {d: int(src.rsplit(":", 1)[1]) for d, src in conn.execute(
                select(t.documents.c.id, t.documents.c.source)) if src.rsplit(":", 1)[-1].isdigit()},
            "pending": conn.execute(select(func.count()).select_from(t.stories).where(
                t.stories.c.needs_link.is_(True))).scalar_one(),
        }


def _db_size(url: str, path: Path | None) -> int:
    if path is not None:
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if not p.name.endswith(".lock"))
    from sqlalchemy import text

    with open_store(url, create=False) as store, store.read() as conn:
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())


def _add(src: Path, url: str) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "storylens.cli", "add", str(src), "--db", url],
                          env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"storylens add failed on {url}: {proc.stderr.strip()[-500:]}")
    return elapsed, proc.stderr.strip().splitlines()[-1]


def run(split: str, one_by_one: int) -> str:
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    if split != "all":
        rows = [r for r in rows if r["split"] == split]
    tmp = Path(tempfile.mkdtemp(prefix="sl-ecb-"))
    if split == "all":
        src = DATA
    else:
        src = tmp / f"ecbplus-{split}.jsonl"
        # the same fields a user's dump would have: text and the article's URL
        src.write_text("".join(json.dumps({"text": r["text"], "url": r.get("source_url") or None}) + "\n"
                               for r in rows), encoding="utf-8")
    singles = []
    for k, r in enumerate(rows[:: max(1, len(rows) // max(1, one_by_one))][:one_by_one]):
        path = tmp / f"single{k}.txt"
        path.write_text(r["text"] + "\n\nThis article was updated after publication.\n", encoding="utf-8")
        singles.append(path)
    bindir = pg_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL is not installed (initdb not found)")
    server = PostgresServer(bindir, durable=True)
    server.start()
    try:
        sqlite_path = tmp / "ecb.db"
        sqlite_url = f"sqlite:///{sqlite_path}"
        pg_url = server.new_database()
        results = {}
        for name, url, path in (("SQLite", sqlite_url, sqlite_path), ("PostgreSQL", pg_url, None)):
            elapsed, summary = _add(src, url)
            results[name] = {"seconds": elapsed, "summary": summary, "state": _state(url),
                             "size": _db_size(url, path)}
            results[name]["singles"] = sorted(_add(single, url)[0] for single in singles)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    a, b = results["SQLite"]["state"], results["PostgreSQL"]["state"]
    same_stories = a["stories"] == b["stories"]
    same_claims = a["claim_rows"] == b["claim_rows"] and a["contradiction_rows"] == b["contradiction_rows"]
    # ARI for orientation: a stored document's source is "FILE:LINE", LINE its row (1-based)
    story_of = {d: s for s, docs in a["stories"].items() for d in docs}
    keys = [d for d in story_of if d in a["line_of"]]
    ari = adjusted_rand_score([rows[a["line_of"][d] - 1]["subtopic_id"] for d in keys], [story_of[d] for d in keys])
    n = len(rows)
    lines = [
        f"## Store: `storylens add` of ECB+ ({split}) into SQLite and PostgreSQL",
        "",
        f"Command: `.venv/bin/python -m benchmarks.store_ecbplus --split {split} --one-by-one {one_by_one}`  ",
        f"Machine: {machine()}  ",
        f"Code: {revision()}; date {time.strftime('%Y-%m-%d')}; 1-minute load average at the end "
        f"{os.getloadavg()[0]:.1f} (the machine was shared)  ",
        f"Input: {n} ECB+ documents, one `storylens add` call per database "
        f"({'the ECB+ file itself' if split == 'all' else 'as one JSONL with `text` and `url`'}); "
        "PostgreSQL 15 with fsync on, Unix socket. Same stories, claims and contradictions are compared "
        "after the one-call add (before the one-by-one articles).",
        "",
        "| database | one call: wall s | articles/s | ms / article | stories | claims | contradictions | "
        f"DB size MB | then one call per article ({len(singles)}): median s (min-max) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, res in results.items():
        st = res["state"]
        one = res["singles"]
        per_one = (f"{statistics.median(one):.1f} ({one[0]:.1f}-{one[-1]:.1f})" if one else "-")
        lines.append(f"| {name} | {res['seconds']:.1f} | {n / res['seconds']:.2f} | {1000 * res['seconds'] / n:.0f} | "
                     f"{len(st['stories'])} | {st['claims']} | {len(st['contradiction_rows'])} | "
                     f"{res['size'] / 1e6:.1f} | {per_one} |")
    lines += [
        "",
        f"Same stories (same documents under the same ids) on both: **{'yes' if same_stories else 'NO'}**; "
        f"same claims and contradictions: **{'yes' if same_claims else 'NO'}**; stories left unlinked: "
        f"{a['pending']} / {b['pending']}.",
        f"Sub-topic ARI of the stored stories against ECB+ gold, for orientation ({len(keys)} documents; "
        f"story quality is the story-stream benchmark's subject): {ari:.3f}.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="dev", choices=["train", "dev", "test", "all"])
    parser.add_argument("--one-by-one", type=int, default=5)
    args = parser.parse_args()
    report = run(args.split, args.one_by_one)
    print(report)
    write_result(f"store_ecbplus_{args.split}", report)


if __name__ == "__main__":
    main()
