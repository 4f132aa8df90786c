"""Shared fixtures: the project's real seed pages and fresh ingests of them."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def read_article(path: Path) -> tuple[dict, list[str]]:
    """Front matter and body paragraphs of a content file."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head), [p for p in body.strip().split("\n\n") if p]


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the five seed pages."""
    dest = tmp_path / "seeds"
    dest.mkdir()
    for page in SEEDS.glob("*.txt"):
        shutil.copy(page, dest / page.name)
    return dest
