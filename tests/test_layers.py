"""The import-linter contract in pyproject.toml keeps the stages in order: the real tree keeps it,
and a copy of it with one backward import breaks it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter", reason="import-linter is not installed (the test extra has it)")

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = "Stages import downwards only"
# Run the command line in a child process: the package under test is found through PYTHONPATH,
# never the plancheck this process has already imported.
LINT_IMPORTS = (
    "import sys; from importlinter.cli import lint_imports_command; "
    "sys.exit(lint_imports_command())"
)


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports on ``project`` (a folder with pyproject.toml and src/plancheck)."""
    env = {**os.environ, "PYTHONPATH": str(project / "src"), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the package and its pyproject.toml, to add a forbidden import to."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        ROOT / "src" / "plancheck",
        tmp_path / "src" / "plancheck",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return tmp_path


def add_import(project: Path, module: str, statement: str) -> None:
    """Put ``statement`` after the module's ``from __future__`` line (or first, without one)."""
    path = project / "src" / "plancheck" / module
    text = path.read_text(encoding="utf-8")
    future = "from __future__ import annotations\n"
    if future in text:
        text = text.replace(future, future + statement + "\n", 1)
    else:
        text = statement + "\n" + text
    path.write_text(text, encoding="utf-8")


def test_the_tree_keeps_the_layers() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{CONTRACT} KEPT" in result.stdout


@pytest.mark.parametrize(
    ("module", "statement", "broken"),
    [
        # the shared contract reaching up to the engine
        (
            "api/rule.py",
            "import plancheck.engine.linter",
            "plancheck.api is not allowed to import plancheck.engine",
        ),
        # a reader that knows the grammar's output
        (
            "reading/source.py",
            "from plancheck.parsing.ast import Plan",
            "plancheck.reading is not allowed to import plancheck.parsing",
        ),
        # siblings on one layer: a rule that formats its own report
        (
            "checks/run.py",
            "import plancheck.output.json",
            "plancheck.checks is not allowed to import plancheck.output",
        ),
        # indirectly, through the package root, which loads the engine
        (
            "output/plain.py",
            "from plancheck import Linter",
            "plancheck.output is not allowed to import plancheck.engine",
        ),
    ],
)
def test_a_backward_import_breaks_the_contract(
    copy: Path, module: str, statement: str, broken: str
) -> None:
    add_import(copy, module, statement)
    result = lint_imports(copy)
    assert result.returncode != 0
    assert f"{CONTRACT} BROKEN" in result.stdout
    assert broken in result.stdout


def test_an_import_for_annotations_only_is_allowed(copy: Path) -> None:
    """``if TYPE_CHECKING:`` imports are left out of the contract: they do not run."""
    add_import(
        copy,
        "api/results.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import plancheck.engine.linter",
    )
    result = lint_imports(copy)
    assert result.returncode == 0, result.stdout + result.stderr
