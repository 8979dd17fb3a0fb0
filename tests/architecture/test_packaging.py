"""`pip install .` alone gives a working storylens: what the code imports is declared."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import storylens

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(storylens.__file__).parent


def _requirement_name(spec: str) -> str:
    for sep in ("==", ">=", "<=", "~=", "<", ">", "[", ";", " "):
        spec = spec.split(sep, 1)[0]
    return spec.strip().lower().replace("_", "-")


def _declared() -> tuple[set[str], dict[str, set[str]]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {_requirement_name(s) for s in project["dependencies"]}
    extras = {k: {_requirement_name(s) for s in v} for k, v in project.get("optional-dependencies", {}).items()}
    return core, extras


def _top_level_imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            out.add(node.module.split(".")[0])
    return out


def test_every_third_party_import_is_a_declared_dependency() -> None:
    core, extras = _declared()
    optional = set().union(*extras.values()) if extras else set()
    dists = packages_distributions()
    missing: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        for mod in _top_level_imports(path):
            if mod == "storylens" or mod in sys.stdlib_module_names or mod == "__future__":
                continue
            names = {d.lower().replace("_", "-") for d in dists.get(mod, [])}
            if not names & (core | optional):
                missing.setdefault(mod, []).append(str(path.relative_to(PACKAGE)))
    assert missing == {}


def test_the_embedding_tokenizer_ships_in_the_package() -> None:
    from storylens.embed import _tokenizer_path

    path = _tokenizer_path()
    assert path.is_file() and path.is_relative_to(PACKAGE)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "data/*" in project["tool"]["setuptools"]["package-data"]["storylens"]


def test_server_libraries_are_core_dependencies_once_code_imports_them() -> None:
    """`storylens serve` must work after `pip install .`: what serve imports is not an extra."""
    core, extras = _declared()
    imported = set().union(*(_top_level_imports(p) for p in PACKAGE.rglob("*.py")))
    for dist, module in (("fastapi", "fastapi"), ("uvicorn", "uvicorn"), ("python-multipart", "multipart")):
        if module in imported or dist != "python-multipart":
            assert dist in core, dist
        else:
            assert dist in core or dist in extras.get("serve", set())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = project["tool"]["setuptools"]["package-data"]["storylens"]
    assert "serve/templates/*" in data and "serve/static/*" in data
