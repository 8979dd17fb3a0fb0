"""The CLI under hostile conditions (issue 13): option values, terminal injection,
report writes that never leave half a file, a full stdout, Ctrl-C and SIGTERM
with worker processes. Real processes, real signals, real files.
"""

from __future__ import annotations

import errno
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import storylens.cli as cli
import storylens.output as output
from storylens.errors import EXIT_OK, EXIT_SOME_INPUTS_FAILED, EXIT_USAGE
from storylens.interrupt import EXIT_SIGINT, EXIT_SIGTERM
from storylens.models import Analysis

GOOD = (
    "Ferry Fire Forces Evacuation on Lake Varden\n\n"
    "A fire broke out on the passenger ferry Aurora Star on Lake Varden late on Tuesday, "
    "and all 212 passengers were rescued, the coast guard said.\n\n"
    "Coast guard spokeswoman Ilona Varga said the fire started in the engine room shortly "
    "after 11 pm and was put out within two hours.\n"
)
COMMAND = [sys.executable, "-m", "storylens.cli"]


def messages(stderr: str) -> list[str]:
    """stderr without the plain progress lines (printed when stderr is not a terminal)."""
    return [line for line in stderr.splitlines() if not line.startswith("progress: ")]


def cli_env() -> dict[str, str]:
    src = str(Path(cli.__file__).resolve().parent.parent)
    return {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("good") / "ferry.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- option values


@pytest.mark.parametrize("args", [
    ["--max-mb", "nan"], ["--max-mb", "inf"], ["--max-mb", "-inf"], ["--max-mb", "1e-12"],
    ["--max-mb", "1e300"], ["--timeout", "nan"], ["--timeout", "inf"], ["--timeout", "0"],
    ["--max-chars", "0"], ["--max-chars", "2000000"], ["--max-records", "0"], ["--processes", "0"],
    ["--processes", "100000"], ["--llm-url", "file:///etc/passwd"],
])
def test_bad_option_values_are_one_line_usage_errors(good: Path, args: list[str]) -> None:
    result = CliRunner().invoke(cli.app, ["analyze", str(good), *args])
    assert result.exit_code == EXIT_USAGE, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {args[0]} must be"), lines
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["--max-mb", "lots"], ["--max-records", "1.5"], ["--no-such-flag"], []])
def test_parse_errors_are_one_line_from_the_entry_point(good: Path, args: list[str]) -> None:
    proc = subprocess.run([*COMMAND, "analyze", str(good), *args] if args else [*COMMAND, "analyze"],
                          capture_output=True, text=True, timeout=60, env=cli_env())
    assert proc.returncode == EXIT_USAGE
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr


finite_or_not = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**12, 10**12))


@settings(max_examples=200, deadline=None)
@given(max_mb=finite_or_not, timeout=finite_or_not, max_chars=st.integers(-10**9, 10**9),
       max_records=st.integers(-10**12, 10**12), processes=st.integers(-1000, 1000))
def test_options_are_valid_or_refused_in_one_line(max_mb: float, timeout: float, max_chars: int,
                                                   max_records: int, processes: int) -> None:
    try:
        options = cli.options_from_cli(fetch=False, allow_private=False, max_mb=max_mb, timeout=timeout,
                                       processes=processes, max_chars=max_chars, max_records=max_records,
                                       llm_url=None, quiet=True)
    except cli.UsageProblem as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith("--")
        return
    assert math.isfinite(options.timeout) and options.timeout > 0
    assert options.max_bytes >= 1 and 1 <= options.max_chars <= 1_000_000
    assert options.max_records >= 1 and options.n_process >= 1


# --------------------------------------------------------------------------- terminal injection


def test_control_characters_in_a_file_name_are_quoted(tmp_path: Path, good: Path) -> None:
    evil = tmp_path / "clear\x1b[2J\x1b]52;c;aGk=\x07\u202eevil.txt"
    evil.write_bytes(b"")
    result = CliRunner().invoke(cli.app, ["analyze", str(evil), str(good), "-f", "md"])
    assert result.exit_code == EXIT_SOME_INPUTS_FAILED
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr and "\u202e" not in result.stderr
    assert messages(result.stderr) == [
        f"{tmp_path}/clear\\x1b[2J\\x1b]52;c;aGk=\\x07\\u202eevil.txt: error SL002: file is empty"
    ]
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout  # nor in the report


def test_control_characters_never_reach_md_or_html_reports(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    text = GOOD.replace("passenger ferry", "passenger\x1b[31m ferry\x1b[0m")
    path.write_text(
        '{"text": ' + _json(text) + ', "title": ' + _json("Fire\x1b]0;pwned\x07 on the lake") +
        ', "published": ' + _json("2031-03-04 | <b>x</b>") + "}\n", encoding="utf-8")
    for fmt in ("md", "html"):
        result = CliRunner().invoke(cli.app, ["analyze", str(path), "-f", fmt])
        assert result.exit_code == EXIT_OK, result.stderr
        assert not any(ord(c) < 32 and c not in "\n\t" for c in result.stdout), fmt
        assert "\x9b" not in result.stdout


def _json(value: str) -> str:
    import json

    return json.dumps(value)


# --------------------------------------------------------------------------- output files


def test_output_location_is_checked_before_the_analysis(good: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the analysis ran before the output location was checked")

    monkeypatch.setattr(cli, "analyze_api", must_not_run)
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    for target in (blocker / "out.json", tmp_path):
        result = CliRunner().invoke(cli.app, ["analyze", str(good), "-o", str(target)])
        assert result.exit_code == EXIT_USAGE
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"{target}: error: cannot write output ("), lines


def test_failed_write_leaves_the_previous_report(good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = tmp_path / "report.json"
    report.write_text("PREVIOUS REPORT", encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output.os, "fsync", disk_full)
    result = CliRunner().invoke(cli.app, ["analyze", str(good), "-o", str(report)])
    assert result.exit_code == EXIT_USAGE
    assert messages(result.stderr) == [f"{report}: error: cannot write output (No space left on device)"]
    assert report.read_text(encoding="utf-8") == "PREVIOUS REPORT"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no temporary file left


def test_report_replaces_the_old_one_whole(good: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("PREVIOUS REPORT", encoding="utf-8")
    report.chmod(0o640)
    result = CliRunner().invoke(cli.app, ["analyze", str(good), "-o", str(report), "-q"])
    assert result.exit_code == EXIT_OK
    assert Analysis.model_validate_json(report.read_text(encoding="utf-8")).stats["documents"] == 1
    assert report.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_stdout_is_one_line_without_traceback(good: Path) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run([*COMMAND, "analyze", str(good)], stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=120, env=cli_env())
    assert proc.returncode == EXIT_USAGE
    assert messages(proc.stderr) == ["stdout: error: cannot write output (No space left on device)"]


# --------------------------------------------------------------------------- signals and workers


def _children(pid: int) -> set[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(x) for x in text.split()}


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid``: the resource tracker, the fork server and the workers it forked."""
    found = _children(pid)
    for child in list(found):
        found |= _descendants(child)
    return found


def _workers(pid: int) -> set[int]:
    """annotate's worker processes: forked by the fork server, which is a child of the CLI."""
    return {worker for child in _children(pid) for worker in _children(child)}


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture(scope="module")
def busy_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough text that two spaCy workers are busy for a while."""
    root = tmp_path_factory.mktemp("busy")
    for i in range(60):
        (root / f"article{i:02d}.txt").write_text(
            f"Report number {i} from the harbour.\n\n" + (GOOD.split("\n\n", 1)[1] + "\n\n") * 30, encoding="utf-8")
    return root


def _start_with_workers(corpus: Path, out: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([*COMMAND, "analyze", str(corpus), "-j", "2", "-o", str(out), "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=cli_env(), start_new_session=True)
    deadline = time.monotonic() + 90
    while len(_workers(proc.pid)) < 2:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"workers never started: {proc.communicate()}")
        time.sleep(0.05)
    return proc


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", ["ctrl-c to the group", "sigint to the parent", "sigterm to the parent"])
def test_interrupt_stops_parent_and_workers_cleanly(busy_corpus: Path, tmp_path: Path, how: str) -> None:
    out = tmp_path / "report.json"
    out.write_text("PREVIOUS REPORT")
    proc = _start_with_workers(busy_corpus, out)
    workers = _descendants(proc.pid)
    if how == "ctrl-c to the group":
        os.killpg(proc.pid, signal.SIGINT)
    elif how == "sigint to the parent":
        os.kill(proc.pid, signal.SIGINT)
    else:
        os.kill(proc.pid, signal.SIGTERM)
    _, stderr = proc.communicate(timeout=30)
    expected = EXIT_SIGTERM if "sigterm" in how else EXIT_SIGINT
    assert proc.returncode == expected, stderr
    assert "Traceback" not in stderr
    assert messages(stderr) == ["storylens: terminated" if expected == EXIT_SIGTERM else "storylens: interrupted"]
    # the resource tracker (a child too) exits by itself once it has removed the workers' semaphores
    deadline = time.monotonic() + 10
    while [w for w in workers if _alive(w)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "workers left behind"
    assert out.read_text() == "PREVIOUS REPORT"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and uses prctl")
def test_kill_9_of_the_parent_takes_the_workers_down(busy_corpus: Path, tmp_path: Path) -> None:
    proc = _start_with_workers(busy_corpus, tmp_path / "report.json")
    workers = _descendants(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while [w for w in workers if _alive(w)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "workers outlived a killed parent"
