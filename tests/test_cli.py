"""The CLI end to end: formats, output files, exit codes, one-line errors, schema, --quiet.

Inputs are built in temporary directories; nothing touches the network.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

import storylens.cli as cli
from storylens.errors import CATALOGUE, EXIT_NO_DOCUMENTS, EXIT_OK, EXIT_SOME_INPUTS_FAILED, EXIT_USAGE
from storylens.models import SCHEMA_ID, Analysis, invalid_spans, iter_spans

ROOT = Path(__file__).resolve().parent.parent
ERROR_LINE = re.compile(r"^(?P<source>.+): error (?P<code>SL\d{3}): (?P<reason>.+)$")

ARTICLES = {
    "ferry.txt": (
        "Ferry Fire Forces Evacuation on Lake Varden\n\n"
        "A fire broke out on the passenger ferry Aurora Star on Lake Varden late on Tuesday, "
        "and all 212 passengers were rescued, the coast guard said.\n\n"
        "Coast guard spokeswoman Ilona Varga said the fire started in the engine room shortly "
        "after 11 pm and was put out within two hours.\n\n"
        "\"Every passenger is safe and accounted for,\" Varga told reporters in Port Kessel on Wednesday.\n\n"
        "Northline Ferries, which operates the vessel, said it would suspend the route until Friday.\n"
    ),
    "ferry_wire.md": (
        "# Ferry passengers rescued\n\n"
        "Rescuers brought 212 people to safety after a fire on the ferry Aurora Star on Lake Varden "
        "on Tuesday night, officials said.\n\n"
        "The fire began in the engine room, according to coast guard spokeswoman Ilona Varga.\n\n"
        "Northline Ferries said services on the route would be suspended until Friday while "
        "investigators examine the ship.\n"
    ),
    "ferry_page.html": (
        "<!doctype html><html><head><title>Aurora Star fire</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>NAVMARKERQZ</a></nav>"
        "<article><h1>Aurora Star fire: 212 rescued</h1>"
        "<p>All 212 passengers aboard the Aurora Star were rescued after a fire on Lake Varden on Tuesday.</p>"
        "<p>Mayor Dmitry Sokolov of Port Kessel praised the rescue crews and said the town hall "
        "would open as a shelter for passengers who could not travel home.</p>"
        "<p>Northline Ferries said the route would stay closed until Friday.</p></article>"
        "<footer>FOOTERMARKERQZ Copyright 2031 Port Kessel Post. All rights reserved.</footer>"
        "</body></html>"
    ),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three good articles about one event, one in a nested folder."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "nested").mkdir()
    for name, text in ARTICLES.items():
        target = root / "nested" / name if name.endswith(".html") else root / name
        target.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """name -> (source as reported, expected code)."""
    root = tmp_path_factory.mktemp("bad")
    empty = root / "empty.txt"
    empty.write_bytes(b"")
    binary = root / "image.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(1024))
    shell = root / "shell.html"
    shell.write_text("<html><body><nav><a href='/'>Home</a></nav><div id='app'></div></body></html>")
    nothing = root / "nothing"
    nothing.mkdir()
    missing = root / "missing.txt"
    return {
        "empty": (str(empty), "SL002"),
        "binary": (str(binary), "SL003"),
        "shell": (str(shell), "SL006"),
        "dir": (str(nothing), "SL010"),
        "missing": (str(missing), "SL001"),
        "url": ("https://news.example/story", "SL011"),
    }


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli.app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr
    return result


def messages(stderr: str) -> list[str]:
    """stderr without the plain progress lines (printed when stderr is not a terminal)."""
    return [line for line in stderr.splitlines() if not line.startswith("progress: ")]


def error_lines(stderr: str) -> list[tuple[str, str]]:
    """(source, code) of every `SOURCE: error SLnnn: reason` line; other lines must be known."""
    found = []
    for line in stderr.splitlines():
        match = ERROR_LINE.match(line)
        if match:
            assert match["reason"].startswith(CATALOGUE[match["code"]]), line
            found.append((match["source"], match["code"]))
        else:
            assert line.startswith(("error: no document", "wrote ", "progress: ")), line
    return found


def test_analyze_directory_json(corpus: Path) -> None:
    result = invoke("analyze", str(corpus), "-f", "json")
    assert result.exit_code == EXIT_OK, result.stderr
    # not a terminal: plain progress lines only, one per stage and step
    assert all(line.startswith("progress: ") for line in result.stderr.splitlines()), result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == SCHEMA_ID == "storylens/analysis/v1"
    analysis = Analysis.model_validate(data)
    assert sorted(Path(d.source).name for d in analysis.documents) == sorted(ARTICLES)
    assert analysis.errors == []
    assert analysis.stats["documents"] == 3
    page = next(d for d in analysis.documents if d.source.endswith(".html"))
    assert "NAVMARKERQZ" not in page.text and "FOOTERMARKERQZ" not in page.text
    # every citation points into its document
    spans = list(iter_spans(analysis))
    assert len(spans) > 10
    assert invalid_spans(analysis) == []
    for span in spans:
        assert analysis.document(span.doc).text[span.start : span.end] == span.text


def test_analyze_markdown_to_file(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "ferry.md"
    result = invoke("analyze", str(corpus), "-f", "md", "-o", str(out))
    assert result.exit_code == EXIT_OK, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1] == f"wrote {out} (3 documents)"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert "## Documents" in text
    lines = text.splitlines()
    header = lines.index("| # | outlet / source | title | author | date | words | boilerplate removed |")
    assert lines[header + 1].startswith("|---")
    rows = [ln for ln in lines[header + 2 :] if ln.startswith("| ")]
    assert len(rows) >= 3
    assert [row.split("|")[1].strip() for row in rows[:3]] == ["1", "2", "3"]


def test_quiet_output_file_prints_nothing(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "quiet.json"
    result = invoke("analyze", str(corpus), "-o", str(out), "--quiet")
    assert result.exit_code == EXIT_OK
    assert result.stdout == "" and result.stderr == ""
    assert Analysis.model_validate_json(out.read_text(encoding="utf-8")).stats["documents"] == 3


def test_some_inputs_failed(corpus: Path, bad_inputs: dict[str, tuple[str, str]]) -> None:
    sources = [source for source, _ in bad_inputs.values()]
    result = invoke("analyze", *sources, str(corpus), "-f", "json")
    assert result.exit_code == EXIT_SOME_INPUTS_FAILED == 1
    # exactly one line per bad input, naming it, with its stable code
    assert sorted(error_lines(result.stderr)) == sorted(bad_inputs.values())
    assert len(messages(result.stderr)) == len(bad_inputs)
    analysis = Analysis.model_validate_json(result.stdout)
    assert len(analysis.documents) == 3
    assert sorted((e.source, e.code) for e in analysis.errors) == sorted(bad_inputs.values())
    assert analysis.stats["inputs_failed"] == len(bad_inputs)
    assert invalid_spans(analysis) == []


def test_nothing_usable(bad_inputs: dict[str, tuple[str, str]]) -> None:
    sources = [source for source, _ in bad_inputs.values()]
    result = invoke("analyze", *sources)
    assert result.exit_code == EXIT_NO_DOCUMENTS == 3
    assert result.stdout == ""
    assert sorted(error_lines(result.stderr)) == sorted(bad_inputs.values())
    assert result.stderr.splitlines()[-1] == "error: no document could be analysed"


def test_quiet_still_reports_errors(bad_inputs: dict[str, tuple[str, str]]) -> None:
    source, code = bad_inputs["empty"]
    result = invoke("analyze", source, "--quiet")
    assert result.exit_code == EXIT_NO_DOCUMENTS
    assert error_lines(result.stderr) == [(source, code)]


def test_exact_duplicate_reported_once(tmp_path: Path) -> None:
    text = ARTICLES["ferry.txt"]
    (tmp_path / "first.txt").write_text(text, encoding="utf-8")
    (tmp_path / "second_copy.txt").write_text(text, encoding="utf-8")
    (tmp_path / "other.md").write_text(ARTICLES["ferry_wire.md"], encoding="utf-8")
    result = invoke("analyze", str(tmp_path))
    assert result.exit_code == EXIT_OK, result.stderr
    analysis = Analysis.model_validate_json(result.stdout)
    assert sorted(Path(d.source).name for d in analysis.documents) == ["first.txt", "other.md"]
    first = next(d for d in analysis.documents if d.source.endswith("first.txt"))
    assert analysis.stats["exact_duplicates"] == [
        {"source": str(tmp_path / "second_copy.txt"), "same_as": first.id}
    ]


def test_max_mb_flag(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(ARTICLES["ferry.txt"] * 40, encoding="utf-8")
    small = tmp_path / "small.md"
    small.write_text(ARTICLES["ferry_wire.md"], encoding="utf-8")
    assert big.stat().st_size > 10_000 > small.stat().st_size
    result = invoke("analyze", str(big), str(small), "--max-mb", "0.01")  # 10,485 bytes
    assert result.exit_code == EXIT_SOME_INPUTS_FAILED
    assert error_lines(result.stderr) == [(str(big), "SL005")]
    assert [d.source for d in Analysis.model_validate_json(result.stdout).documents] == [str(small)]
    help_text = invoke("analyze", "--help").stdout
    assert "--max-mb" in help_text


@pytest.mark.parametrize(
    "args",
    [
        ["-f", "xml"],
        ["--max-mb", "0"],
        ["--max-mb", "lots"],
        ["--timeout", "-1"],
        ["--min-confidence", "1.5"],
        ["--no-such-flag"],
    ],
)
def test_usage_errors(corpus: Path, args: list[str]) -> None:
    result = invoke("analyze", str(corpus), *args)
    assert result.exit_code == EXIT_USAGE == 2
    assert result.stdout == ""
    assert result.stderr.strip() != ""


def test_no_sources_is_a_usage_error() -> None:
    result = invoke("analyze")
    assert result.exit_code == EXIT_USAGE


def test_unwritable_output(corpus: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    result = invoke("analyze", str(corpus), "-o", str(blocker / "out.json"))
    assert result.exit_code == EXIT_USAGE
    lines = messages(result.stderr)
    assert len(lines) == 1 and lines[0].startswith(f"{blocker / 'out.json'}: error: cannot write output")


def test_error_line_names_odd_file_names_exactly(corpus: Path, tmp_path: Path) -> None:
    odd = tmp_path / "notes :fire: [bold]x.txt"
    odd.write_bytes(b"")
    broken = tmp_path / "two\nlines.txt"
    broken.write_bytes(b"")
    result = invoke("analyze", str(odd), str(broken), str(corpus))
    assert result.exit_code == EXIT_SOME_INPUTS_FAILED
    lines = messages(result.stderr)
    assert len(lines) == 2
    assert f"{odd}: error SL002: file is empty" in lines
    assert str(broken).replace("\n", "\\n") + ": error SL002: file is empty" in lines


def test_schema_command() -> None:
    result = invoke("schema")
    assert result.exit_code == EXIT_OK
    schema = json.loads(result.stdout)
    assert schema["$id"] == SCHEMA_ID
    assert schema["type"] == "object"
    for key in ("schema", "documents", "claims", "errors", "stats"):
        assert key in schema["properties"]
    assert "Span" in schema["$defs"] and "Document" in schema["$defs"]
    assert schema["$defs"]["Span"]["required"] == ["doc", "start", "end", "text"]


def test_progress_shown_on_terminal_and_suppressed_by_quiet(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pretend stderr is a terminal so the progress bar is drawn
    monkeypatch.setattr(
        cli, "err", Console(stderr=True, highlight=False, soft_wrap=True, emoji=False, force_terminal=True)
    )
    loud = invoke("analyze", str(corpus), "-o", str(tmp_path / "loud.json"))
    assert loud.exit_code == EXIT_OK
    assert "annotate" in loud.stderr and "3/3" in loud.stderr
    # every named cross-document step reports, not only annotate
    assert "link: claims" in loud.stderr and "storify: briefing" in loud.stderr
    quiet = invoke("analyze", str(corpus), "-o", str(tmp_path / "quiet.json"), "--quiet")
    assert quiet.exit_code == EXIT_OK
    assert quiet.stderr == ""


def test_installed_entry_point_subprocess(corpus: Path, tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "storylens"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "storylens.cli"]
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    long_name = str(tmp_path / ("n" * 300 + ".txt"))
    fifo = tmp_path / "pipe.txt"
    sources = [str(corpus), str(empty), long_name, "ftp://files.example/a.txt"]
    expected = [(str(empty), "SL002"), (long_name, "SL001"), ("ftp://files.example/a.txt", "SL016")]
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
        sources.append(str(fifo))
        expected.append((str(fifo), "SL011"))
    proc = subprocess.run(
        [*command, "analyze", *sources, "-f", "json"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**os.environ, "COLUMNS": "40"},  # narrow terminal: error lines still must not wrap
    )
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    assert proc.returncode == EXIT_SOME_INPUTS_FAILED, proc.stderr
    assert sorted(error_lines(proc.stderr)) == sorted(expected)
    assert len(messages(proc.stderr)) == len(expected)
    analysis = Analysis.model_validate_json(proc.stdout)
    assert len(analysis.documents) == 3
    assert invalid_spans(analysis) == []


def test_plain_progress_names_every_step_when_stderr_is_not_a_terminal(corpus: Path, tmp_path: Path) -> None:
    from storylens.api import STEPS

    result = invoke("analyze", str(corpus), "-o", str(tmp_path / "plain.json"))
    assert result.exit_code == EXIT_OK
    lines = result.stderr.splitlines()
    for step in STEPS:
        assert any(f"{step.stage}: {step.name}" in line for line in lines), step.name
    assert any("annotate 3/3" in line for line in lines)
    assert "\x1b[" not in result.stderr  # no terminal control codes in a log file


def test_render_saved_analysis_in_every_format(corpus: Path, tmp_path: Path) -> None:
    saved = tmp_path / "analysis.json"
    assert invoke("analyze", str(corpus), "-o", str(saved), "-q").exit_code == EXIT_OK
    md = invoke("render", str(saved), "-f", "md")
    assert md.exit_code == EXIT_OK and md.stdout.startswith("# storylens report")
    csv_out = invoke("render", str(saved), "-f", "csv")
    assert csv_out.exit_code == EXIT_OK
    header = csv_out.stdout.splitlines()[0]
    assert header.startswith("story,claim,status,independent_sources,text")
    n_claims = len(Analysis.model_validate_json(saved.read_text(encoding="utf-8")).claims)
    import csv as csv_module
    import io

    assert len(list(csv_module.reader(io.StringIO(csv_out.stdout)))) == n_claims + 1
    html = invoke("render", str(saved), "-f", "html", "-o", str(tmp_path / "r.html"))
    assert html.exit_code == EXIT_OK and (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema": "storylens/analysis/v1", "documents": 3}', encoding="utf-8")
    bad = invoke("render", str(broken), "-f", "md")
    assert bad.exit_code == EXIT_USAGE and len(bad.stderr.splitlines()) == 1 and "broken.json" in bad.stderr
    missing = invoke("render", str(tmp_path / "nope.json"))
    assert missing.exit_code == EXIT_USAGE and "file not found" in missing.stderr
    wrong = invoke("render", str(saved), "-f", "pdf")
    assert wrong.exit_code == EXIT_USAGE and "csv" in wrong.stderr


def test_version_and_help_without_type_noise() -> None:
    version = invoke("--version")
    assert version.exit_code == EXIT_OK and version.stdout.startswith("storylens ")
    text = invoke("analyze", "--help").stdout
    assert "<bool>" not in text and "{" not in text and "SOURCE..." in text and "--outlet" in text


def test_dash_reads_an_article_from_stdin_and_outlet_names_it() -> None:
    text = ("Bridge budget approved\n\nThe council approved the new bridge budget on Tuesday after a long "
            "debate. Work on the crossing is expected to start next spring, officials said.\n")
    result = CliRunner().invoke(cli.app, ["analyze", "-", "-f", "json", "--outlet", "Harbour Herald", "-q"],
                                input=text)
    assert result.exit_code == EXIT_OK, result.stderr
    analysis = Analysis.model_validate_json(result.stdout)
    assert [(d.source, d.outlet) for d in analysis.documents] == [("<stdin>", "Harbour Herald")]
