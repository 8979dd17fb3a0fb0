"""Stage boundaries, checked on the source: who may import what."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import storylens
from storylens.api import STEPS, Step, check_steps

PACKAGE = Path(storylens.__file__).parent


def _imports(path: Path) -> set[str]:
    """Every module a file imports (absolute names; relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = ".".join(("storylens", *path.relative_to(PACKAGE).with_suffix("").parts))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: -node.level]
                out.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                out.add(node.module)
    return out


def _modules() -> dict[str, set[str]]:
    return {
        ".".join(p.relative_to(PACKAGE).with_suffix("").parts): _imports(p)
        for p in PACKAGE.rglob("*.py")
    }


def test_only_annotate_imports_spacy() -> None:
    offenders = {
        name: sorted(i for i in imports if i.split(".")[0] in ("spacy", "thinc"))
        for name, imports in _modules().items()
        if not name.startswith("annotate")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_report_renders_models_only() -> None:
    allowed = ("storylens.models", "storylens.report", "storylens._disjoint")
    offenders = {
        name: sorted(i for i in imports if i.startswith("storylens") and not i.startswith(allowed))
        for name, imports in _modules().items()
        if name.startswith("report")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_cross_document_stages_use_records_not_the_parse() -> None:
    offenders = {
        name: sorted(i for i in imports if i.startswith("storylens.annotate"))
        for name, imports in _modules().items()
        if name.startswith(("link", "storify", "report"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_layer_check_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import spacy\nfrom spacy.tokens import Doc\n", encoding="utf-8")
    tree_imports = {n.names[0].name if isinstance(n, ast.Import) else n.module
                    for n in ast.walk(ast.parse(bad.read_text())) if isinstance(n, ast.Import | ast.ImportFrom)}
    assert tree_imports == {"spacy", "spacy.tokens"}


def test_steps_read_only_what_earlier_steps_wrote() -> None:
    assert check_steps() == []
    assert [s.name for s in STEPS][-2:] == ["framing", "briefing"]
    reordered = [STEPS[-1], *STEPS[:-1]]
    assert any("briefing reads" in p for p in check_steps(reordered))
    assert check_steps([Step("x", "link", ("nowhere",), (), lambda s: None)]) == ["x reads nowhere before it is written"]


def test_link_steps_run_with_one_blas_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Link's matrix products are small: one BLAS thread (threads woken per product cost
    more than the product, and the similarities must not depend on the core count)."""
    from threadpoolctl import threadpool_info, threadpool_limits

    from storylens import api
    from storylens.models import Analysis
    from storylens.options import Options

    seen: list[int] = []

    def record(_state: object) -> None:
        seen.extend(p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas")

    monkeypatch.setattr(api, "STEPS", (Step("record", "link", (), (), record),))
    with threadpool_limits(limits=2, user_api="blas"):
        record(None)
        outside = list(seen)
        seen.clear()
        api.analyze_documents([], Options(), Analysis(documents=[]), {})
    assert seen and set(seen) == {1}
    assert 2 in outside  # the limit holds inside the steps only
