"""Long-article batches for the speed benchmarks, built from the shared evaluation data.

Two sources, both real news text:

- **extraction pages**: the gold article bodies of the 181 pages of the article-extraction
  benchmark (``../shared/data/article-extraction-benchmark/ground-truth.json``), one article
  each (median about 500 words, longest about 8,000);
- **ECB+ joined**: the 982 ECB+ documents in (topic, sub-topic, document id) order, cut
  into consecutive, disjoint runs of paragraphs (lines) of about ``words`` words each; a
  run stays inside one topic (so its articles are about that topic's events and the
  articles of a topic form stories as a real batch would); a document's first line (its
  headline) is kept only when it opens an article. A topic's last run is kept when it has
  at least half the target length. Every paragraph is used at most once per length and
  phase, so no two articles of one batch share text.

Nothing here reads the seeds; nothing is tuned on these texts.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("STORYLENS_BENCH_DATA") or ROOT.parent / "shared" / "data")
ECB = DATA / "ecbplus" / "docs.jsonl.gz"
EXTRACTION = DATA / "article-extraction-benchmark" / "ground-truth.json"


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    #: the ECB+ topic (joined articles) or "page" (extraction pages)
    group: str

    @property
    def words(self) -> int:
        return len(self.text.split())


def _ecb_rows() -> list[dict[str, object]]:
    with gzip.open(ECB, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    rows.sort(key=lambda r: (int(r["topic"]), str(r["subtopic"]), str(r["doc_id"])))
    return rows


def ecb_joined(words: int, phase: float = 0.0, topics: set[int] | None = None) -> list[Article]:
    """ECB+ paragraphs joined into articles of about ``words`` words (see module doc).

    ``phase`` (0 to 1) moves every cut point by that share of ``words``: a batch built with
    another phase shares paragraphs with this one but cuts them into different articles.
    """
    by_topic: dict[int, list[dict[str, object]]] = {}
    for row in _ecb_rows():
        topic = int(str(row["topic"]))
        if topics is None or topic in topics:
            by_topic.setdefault(topic, []).append(row)
    out: list[Article] = []
    for topic, rows in by_topic.items():
        run: list[str] = []
        count = -int(phase * words)

        def flush(topic: int = topic) -> None:
            nonlocal run, count
            if run and count >= words // 2:
                out.append(Article(id=f"ecb{words}p{int(phase * 100)}_{topic}_{len(out)}",
                                   text="\n\n".join(run), group=str(topic)))
            run, count = [], 0

        for row in rows:
            lines = [line.strip() for line in str(row["text"]).split("\n") if line.strip()]
            for k, line in enumerate(lines):
                if count < 0:  # the phase: skip the start of the topic
                    count += len(line.split())
                    if count >= 0:
                        run, count = [], 0
                    continue
                if k == 0 and run:
                    continue  # a document's first line is its headline: dropped inside an article
                run.append(line)
                count += len(line.split())
                if count >= words:
                    flush()
        flush()
    return out


def extraction_pages(min_words: int = 0) -> list[Article]:
    """The gold bodies of the article-extraction benchmark's pages, as plain text articles."""
    gold = json.loads(EXTRACTION.read_text(encoding="utf-8"))
    out = []
    for page_id in sorted(gold):
        body = str(gold[page_id]["articleBody"]).strip()
        if len(body.split()) >= max(min_words, 1):
            out.append(Article(id=f"page_{page_id}", text=body, group="page"))
    return out


def long_batch(n: int | None = None) -> list[Article]:
    """The long-article batch: the extraction pages with 250+ words, then ECB+ joined into
    ~1,000-word articles; interleaved so any prefix mixes both; ``n`` caps the count."""
    pages = extraction_pages(min_words=250)
    joined = ecb_joined(1000)
    out: list[Article] = []
    for k in range(max(len(pages), len(joined))):
        out += [a[k] for a in (joined, pages) if k < len(a)]
    return out[:n] if n else out


def thousand_long(n: int = 1000) -> list[Article]:
    """``n`` long articles for the memory measurement: the long batch, then ECB+ joined into
    ~1,000-word articles with the cut points moved by half and by a quarter of an article.
    There is not enough distinct long text in the data for 1,000 articles, so these later
    articles share paragraphs with earlier ones (as copies of one wire story do) but no two
    are the same text."""
    out = long_batch() + ecb_joined(1000, phase=0.5) + ecb_joined(1000, phase=0.25)
    return out[:n]


def write_texts(articles: list[Article], directory: Path) -> int:
    """One ``.txt`` file per article; returns the number of words written."""
    directory.mkdir(parents=True, exist_ok=True)
    for a in articles:
        (directory / f"{a.id}.txt").write_text(a.text + "\n", encoding="utf-8")
    return sum(a.words for a in articles)


if __name__ == "__main__":
    for size in (250, 1000, 3000):
        arts = ecb_joined(size)
        print(f"ECB+ joined at {size}: {len(arts)} articles, {sum(a.words for a in arts):,} words")
    pages = extraction_pages(250)
    print(f"extraction pages ≥ 250 words: {len(pages)}, {sum(a.words for a in pages):,} words")
    batch = long_batch()
    print(f"long batch: {len(batch)} articles, {sum(a.words for a in batch):,} words")
