"""Helpers for the search tests: find node (fail under CI, skip locally) and run JS with it."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "theme" / "static"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def in_ci() -> bool:
    """True when running under CI (env CI=true), where missing tools must fail, not skip."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_tool(path_or_name: str, what: str) -> str:
    """The tool's path; fails under CI and skips locally when it is missing."""
    found = path_or_name if os.path.isabs(path_or_name) and os.access(path_or_name, os.X_OK) \
        else shutil.which(path_or_name)
    if not found:
        message = f"{what} not found ({path_or_name})"
        if in_ci():
            pytest.fail(message + " - CI must install it")
        pytest.skip(message)
    return found


def run_node(script: str, payload: object, timeout: float = 120) -> object:
    """Run a node script with `payload` as JSON on stdin; return its stdout parsed as JSON."""
    node = require_tool("node", "node.js")
    proc = subprocess.run([node, "-e", script], input=json.dumps(payload, ensure_ascii=False),
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout,
                          cwd=ROOT)
    if proc.returncode != 0:
        raise AssertionError(f"node failed ({proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout)
