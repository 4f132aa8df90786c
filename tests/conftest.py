"""Shared fixtures: the project's real seed pages and fresh ingests of them."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CHROMIUM = "/usr/bin/chromium"   # Debian's; CI installs it
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


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


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium (Debian's, through Playwright), one per test module; fails under CI
    and skips elsewhere when it is missing."""
    from search_support import require_tool
    path = require_tool(CHROMIUM, "Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
