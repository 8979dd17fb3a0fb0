"""RESULTS.md keeps hand-written notes when a benchmark rewrites its own section."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.collect import sections


def test_notes_follow_their_section_and_survive_a_rewrite(tmp_path: Path) -> None:
    (tmp_path / "a_speed.md").write_text("## Speed\nrun 1\n", encoding="utf-8")
    (tmp_path / "a_speed.notes.md").write_text("Rerun by hand: quiet machine.\n", encoding="utf-8")
    (tmp_path / "b_other.md").write_text("## Other\n", encoding="utf-8")
    assert sections(tmp_path) == ["## Speed\nrun 1", "Rerun by hand: quiet machine.", "## Other"]
    # A benchmark rerun rewrites only its own file; the note is still there.
    (tmp_path / "a_speed.md").write_text("## Speed\nrun 2\n", encoding="utf-8")
    assert sections(tmp_path)[:2] == ["## Speed\nrun 2", "Rerun by hand: quiet machine."]


def test_a_note_without_its_results_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "gone.notes.md").write_text("orphan\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="gone.notes.md"):
        sections(tmp_path)
