"""Evaluative wording: the subjectivity lexicon shipped in TextBlob.

``textblob/en/en-sentiment.xml`` (from the Pattern project) gives hand-tagged
polarity and subjectivity per adjective sense; we read it once and keep, per
word form, the mean over senses. No rating of outlets comes from anywhere.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from importlib import resources

__all__ = ["subjectivity", "polarity", "lexicon"]


@functools.cache
def lexicon() -> dict[str, tuple[float, float]]:
    """word → (polarity, subjectivity), averaged over senses."""
    path = resources.files("textblob") / "en" / "en-sentiment.xml"
    root = ET.fromstring(path.read_bytes())
    sums: dict[str, list[float]] = {}
    for w in root.iter("word"):
        form = (w.get("form") or "").lower()
        if not form or " " in form:
            continue
        try:
            pol = float(w.get("polarity") or 0)
            subj = float(w.get("subjectivity") or 0)
        except ValueError:
            continue
        acc = sums.setdefault(form, [0.0, 0.0, 0.0])
        acc[0] += pol
        acc[1] += subj
        acc[2] += 1
    return {k: (v[0] / v[2], v[1] / v[2]) for k, v in sums.items()}


def subjectivity(word: str) -> float:
    return lexicon().get(word.lower(), (0.0, 0.0))[1]


def polarity(word: str) -> float:
    return lexicon().get(word.lower(), (0.0, 0.0))[0]
