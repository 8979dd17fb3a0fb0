"""A plan of one party set against a past deed of another is no contradiction; the same
roles swapped between two deeds is one."""

from __future__ import annotations

from pathlib import Path

from storylens import analyze


def _actor_conflicts(tmp_path: Path, a: str, b: str) -> list[str]:
    (tmp_path / "a.txt").write_text(f"Morning Ledger\n\n{a}\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"Evening Courier\n\n{b}\n", encoding="utf-8")
    analysis = analyze([str(tmp_path)])
    return [c.explanation for c in analysis.contradictions if c.kind == "actor"]


def test_a_plan_against_another_partys_deed_is_no_conflict(nlp: object, tmp_path: Path) -> None:
    deed = "Critics say that Ostrana has supplied Velmar with rockets, drones and other military hardware."
    plan = "Under the treaty signed on Monday, Velmar will provide rockets and drones to Ostrana."
    swapped = "Critics say that Velmar has supplied Ostrana with rockets, drones and other military hardware."
    (tmp_path / "plan").mkdir()
    (tmp_path / "deeds").mkdir()
    assert _actor_conflicts(tmp_path / "plan", deed, plan) == []
    assert _actor_conflicts(tmp_path / "deeds", deed, swapped), "two deeds with giver and receiver swapped conflict"
