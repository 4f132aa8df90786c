"""A real install: the wheel (not an editable install) in a fresh virtual environment outside the
repository, a new archive made there, a page added, the site built and checked (issue 13).

The environment gets the engine's dependencies from the package index like any user's (pip's
cache makes later runs quick); without an index to reach, the test fails, it does not skip.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from site_support import REPO, page_links


def run(argv: list, cwd: Path, timeout: int = 600) -> str:
    proc = subprocess.run([str(a) for a in argv], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(map(str, argv))} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout + proc.stderr


def test_the_wheel_installs_makes_an_archive_and_builds_it(tmp_path):
    # built from a copy of the sources: setuptools writes build/ into the tree it builds
    source = tmp_path / "source"
    for name in ("pyproject.toml", "README.md"):
        source.mkdir(exist_ok=True)
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "seeds", source / "seeds")
    shutil.copytree(REPO / "newsarchive", source / "newsarchive", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, source], tmp_path)
    wheel = next(dist.glob("newsarchive-*.whl"))
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], tmp_path)
    python, command = venv / "bin" / "python", venv / "bin" / "newsarchive"
    run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel], tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    location = run([python, "-c", "import newsarchive; print(newsarchive.__file__)"], work)
    assert str(venv) in location and str(REPO) not in location, location

    run([command, "new", "myarchive", "--title", "测试报 · 档案"], work)
    archive = work / "myarchive"
    assert (archive / "README.md").read_text(encoding="utf-8").startswith("# 测试报 · 档案")
    page = sorted((REPO / "seeds").glob("*.txt"))[0]
    shutil.copy(page, archive / "seeds" / "2024-11-20_01.txt")
    run([command], archive)                               # ingest, then build, in the archive folder

    site = archive / "site"
    articles = sorted((archive / "content").glob("*.md"))
    assert articles and all((site / "articles" / a.stem / "index.html").is_file() for a in articles)
    assert (site / "search" / "catalog.json.gz").is_file() and (site / "static" / "style.css").is_file()
    assert "测试报 · 档案" in (site / "index.html").read_text(encoding="utf-8")
    for html in site.rglob("*.html"):
        if html.name == "404.html":
            continue
        links, ids = page_links(html.read_text(encoding="utf-8"))
        for link in links:
            if link.startswith(("http:", "https:")):
                continue
            if link.startswith("#"):
                assert link[1:] in ids, f"{html}: {link}"
                continue
            assert (html.parent / link.split("#")[0].split("?")[0]).resolve().is_file(), f"{html}: {link}"

    # the engine's data and theme come from the wheel; the benchmark needs no checkout either
    listing = run([command, "data"], archive)
    assert str(venv) in listing and "tags.toml" in listing
    bench = run([python, "-m", "newsarchive.bench", "--articles", "120", "--no-artifact"], work)
    assert "build (full, no cache)" in bench and "exit 1" not in bench
