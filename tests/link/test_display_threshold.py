"""The display threshold (Options.min_confidence, set from the reliability table): a
contradiction less sure than it is left out, and its claim is not marked contested."""

from __future__ import annotations

import json
from pathlib import Path

from storylens import analyze
from storylens.models import invalid_spans
from storylens.options import Options

ONE = "Rescuers lifted 48 climbers off the Vessna glacier on Sunday after an ice bridge collapsed, the mountain service said."
TWO = "Rescuers lifted 63 climbers off the Vessna glacier on Sunday after an ice bridge collapsed, the mountain service said."


def test_contradictions_below_the_threshold_are_not_shown(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps({"outlet": o, "published": "2031-01-06", "text": t + " The glacier was closed."})
                              for o, t in (("Alpine Post", ONE), ("Valley Wire", TWO))), encoding="utf-8")
    shown = analyze([str(path)], Options(min_confidence=0.0))
    assert invalid_spans(shown) == []
    numbers = [c for c in shown.contradictions if c.kind == "number"]
    assert numbers, "the differing count is a contradiction"
    assert any(c.status == "contested" for c in shown.claims)
    above = max(c.confidence for c in numbers) + 0.01
    hidden = analyze([str(path)], Options(min_confidence=above))
    assert [c for c in hidden.contradictions if c.kind == "number"] == []
    assert all(c.confidence >= above for c in hidden.contradictions)
    assert not any(c.status == "contested" for c in hidden.claims if "climbers" in c.text)
    assert Options().min_confidence == 0.45
