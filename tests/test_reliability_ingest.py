"""Ingest reads only what it should: regular files inside seeds/ named as the build names pages,
holding text without control characters; everything else is reported by file (and line), and
nothing is written for it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive.builder import build_site
from newsarchive.config import load_config
from newsarchive.ingest.pipeline import run_ingest

from conftest import ROOT, read_article


def ingest(seeds: Path, content: Path, **kwargs):
    return run_ingest(seeds, content, verbose=False, **kwargs)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`python build.py …` as an editor runs it."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})


def articles(content: Path) -> dict[str, dict]:
    """Front matter of every article file, by file name."""
    return {p.name: read_article(p)[0] for p in sorted(content.glob("*.md"))}


def first_page(seeds: Path) -> Path:
    return sorted(seeds.glob("0*.txt"))[0]


# --- Only regular files inside seeds/ ---------------------------------------------------------

def test_a_symlink_to_a_file_outside_seeds_is_reported_and_not_read(tmp_path, seeds_copy):
    secret = tmp_path / "secret.txt"
    secret.write_text(first_page(seeds_copy).read_text(encoding="utf-8"), encoding="utf-8")  # would ingest
    (seeds_copy / "005_link.txt").symlink_to(secret)
    (seeds_copy / "006_passwd.txt").symlink_to("/etc/passwd")
    content = tmp_path / "content"
    report = ingest(seeds_copy, content)
    assert not report.ok
    assert len(report.errors) == 2, report.errors
    for name in ("005_link.txt", "006_passwd.txt"):
        assert any(f"{seeds_copy / name}: " in e and "symbolic link" in e for e in report.errors), report.errors
    assert report.pages_read == 5
    assert {meta["page"] for meta in articles(content).values()} == {p.stem for p in seeds_copy.glob("0*_*.txt")
                                                                    if not p.is_symlink()}


def test_a_symlink_to_a_page_inside_seeds_is_reported_too(tmp_path, seeds_copy):
    (seeds_copy / "009_again.txt").symlink_to(first_page(seeds_copy).name)
    report = ingest(seeds_copy, tmp_path / "content")
    assert len(report.errors) == 1 and "009_again.txt" in report.errors[0] and "symbolic link" in report.errors[0]
    assert len(list((tmp_path / "content").glob("*.md"))) == 29


def test_a_folder_named_like_a_page_is_reported(tmp_path, seeds_copy):
    (seeds_copy / "007_folder.txt").mkdir()
    report = ingest(seeds_copy, tmp_path / "content")
    assert len(report.errors) == 1 and f"{seeds_copy / '007_folder.txt'}: " in report.errors[0], report.errors
    assert len(list((tmp_path / "content").glob("*.md"))) == 29


def test_the_cli_reports_a_symlinked_page_and_exits_non_zero(tmp_path, seeds_copy):
    (seeds_copy / "006_passwd.txt").symlink_to("/etc/passwd")
    run = cli("ingest", "--seeds", str(seeds_copy), "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert run.returncode == 1
    assert "006_passwd.txt" in run.stderr and "symbolic link" in run.stderr and "Traceback" not in run.stderr
    assert "root:" not in "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "content").glob("*.md"))


# --- Page names: what ingest accepts, the build accepts ----------------------------------------

@pytest.mark.parametrize("name", ["005 space.txt", "005_页面.txt", "a..b.txt", "-dash.txt", "x.y.txt",
                                  "bad\u200bname.txt"])
def test_a_page_name_the_build_would_refuse_is_reported_with_a_hint(tmp_path, seeds_copy, name):
    shutil.copy(first_page(seeds_copy), seeds_copy / name)
    content = tmp_path / "content"
    report = ingest(seeds_copy, content)
    assert len(report.errors) == 1, report.errors
    error = report.errors[0]
    assert name.encode("unicode_escape").decode() in error or name in error, error
    assert "letters, digits" in error
    assert len(list(content.glob("*.md"))) == 29          # nothing written for it
    assert all(meta["page"] != Path(name).stem for meta in articles(content).values())


def test_dated_page_names_are_accepted_and_build(tmp_path, seeds_copy):
    """Issue 9's page names: the date with the page number (two forms, two pages of one day)."""
    pages = sorted(seeds_copy.glob("*.txt"))
    pages[0].rename(seeds_copy / "2021-03-12_03.txt")
    pages[1].rename(seeds_copy / "20210312-04.txt")
    content = tmp_path / "content"
    report = ingest(seeds_copy, content)
    assert report.ok, report.errors
    assert {"2021-03-12_03", "20210312-04"} <= {meta["page"] for meta in articles(content).values()}
    built = build_site(content, tmp_path / "site", load_config(ROOT / "site.toml"), jobs=1)
    assert built.ok, [str(e) for e in built.errors]


def test_hidden_files_are_not_pages(tmp_path, seeds_copy):
    shutil.copy(first_page(seeds_copy), seeds_copy / ".backup.txt")
    (seeds_copy / ".#000_lock.txt").symlink_to("nowhere")   # an editor's lock file
    report = ingest(seeds_copy, tmp_path / "content")
    assert report.ok and report.pages_read == 5


# --- Control characters in a page -----------------------------------------------------------------

@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x00", "\x7f", "\x85", "\u2028", "\u2029", "\ufffe"])
def test_a_page_with_a_control_character_is_reported_on_its_line_and_nothing_written(tmp_path, seeds_copy, char):
    page = first_page(seeds_copy)
    lines = page.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("本报讯"))
    lines[at] = lines[at][:10] + char + lines[at][10:]
    page.write_text("\n".join(lines), encoding="utf-8")
    content = tmp_path / "content"
    report = ingest(seeds_copy, content)
    assert len(report.errors) == 1
    assert report.errors[0].startswith(f"{page}:{at + 1}: cannot be read as text"), report.errors
    assert f"U+{ord(char):04X}" in report.errors[0]
    assert all(meta["page"] != page.stem for meta in articles(content).values())
    written = "".join(p.read_text(encoding="utf-8") for p in content.iterdir() if p.is_file())
    assert char not in written
