"""Parties behind names: a capital, a people or a seat of government stands for its country."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storylens import analyze
from storylens.link.polities import polity


@pytest.mark.parametrize(
    ("name", "label", "country"),
    [
        ("Caracas", "GPE", "venezuela"),
        ("Venezuela", "GPE", "venezuela"),
        ("Venezuelan", "NORP", "venezuela"),
        ("Havana", "GPE", "cuba"),
        ("Cuban", "NORP", "cuba"),
        ("the White House", "ORG", "united states"),
        ("Britain", "GPE", "united kingdom"),
    ],
)
def test_names_that_stand_for_a_country(name: str, label: str, country: str) -> None:
    assert polity(name, label) == f"polity:{country}"


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Korean", "NORP"),  # North or South: ambiguous
        ("Congolese", "NORP"),  # two countries of similar size
        ("Venezuelan Oil Workers Union", "ORG"),  # an organisation is not its country
        ("Muslim", "NORP"),  # a people that is no state
        ("Caracas", "PERSON"),
    ],
)
def test_names_that_do_not(name: str, label: str) -> None:
    assert polity(name, label) is None


def _run(tmp_path: Path, texts: list[str]) -> list[str]:
    rows = [{"text": t, "outlet": f"Outlet {i}", "published": "2025-05-06"} for i, t in enumerate(texts)]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return [c.explanation for c in analyze([str(path)]).contradictions if c.kind == "actor"]


def test_swap_seen_through_capital_names(tmp_path: Path) -> None:
    found = _run(tmp_path, [
        "Caracas shipped 40 tonnes of diesel to Havana last week, port officials said on Monday.",
        "Cuba shipped 40 tonnes of diesel to Venezuela last week, port officials said on Monday.",
    ])
    assert found and "Caracas" in found[0] and "Cuba" in found[0]


def test_same_roles_under_other_names_is_no_conflict(tmp_path: Path) -> None:
    found = _run(tmp_path, [
        "Caracas shipped 40 tonnes of diesel to Havana last week, port officials said on Monday.",
        "Venezuela shipped 40 tonnes of diesel to Cuba last week, port officials said on Monday.",
    ])
    assert found == []


def test_giver_who_is_the_receiver(tmp_path: Path) -> None:
    found = _run(tmp_path, [
        "Venezuelan officials were accused by several governments of supplying fuel and spare parts to Caracas.",
        "Cuba was accused by several governments of supplying fuel and spare parts to Venezuela.",
    ])
    assert found and "the giver is the receiver" in found[0]


def _kinds(tmp_path: Path, texts: list[str]) -> list[str]:
    rows = [{"text": t, "outlet": f"Outlet {i}", "published": "2025-05-06"} for i, t in enumerate(texts)]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return [c.kind for c in analyze([str(path)]).contradictions]


def test_allegation_against_denial_is_no_negation_conflict(tmp_path: Path) -> None:
    assert "negation" not in _kinds(tmp_path, [
        "Harbour director Ines Vold was accused by auditors of moving the pension funds to Osk Bank in May.",
        "Harbour director Ines Vold did not move the pension funds to Osk Bank in May, her lawyer said.",
    ])
