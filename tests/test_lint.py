"""The house style is checked, not hoped for: ruff's linter and formatter, configured in ruff.toml."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", *args, "."], cwd=ROOT, capture_output=True, text=True)


def test_the_code_passes_the_linter():
    found = _ruff("check", "--no-cache", "--output-format=concise")
    assert found.returncode == 0, found.stdout + found.stderr


def test_the_code_is_formatted_as_the_formatter_writes_it():
    found = _ruff("format", "--no-cache", "--check")
    assert found.returncode == 0, found.stdout + found.stderr
