"""A lost or damaged ingest manifest is never silent: ingest stops, says what happened and how to
go on, and never writes an article deleted by hand again; `ingest --adopt` rebuilds the manifest
from content/, listing the seed articles that have no file and writing none of them. Malformed
article files and folders in content/ are reported as `file: message`, without a traceback."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from newsarchive.ingest.manifest import MANIFEST_NAME
from newsarchive.ingest.pipeline import run_ingest

from conftest import ROOT, SEEDS, read_article
from test_reliability_ingest import cli


def ingest(seeds: Path, content: Path, adopt: bool = False):
    return run_ingest(seeds, content, verbose=False, **({"adopt": True} if adopt else {}))


def snapshot(content: Path) -> dict[str, bytes]:
    """Every file under content/ by name (folders as a marker)."""
    return {p.name: (p.read_bytes() if p.is_file() else b"<folder>") for p in sorted(content.iterdir())}


def by_title(content: Path) -> dict[str, Path]:
    return {read_article(p)[0]["title"]: p for p in content.glob("*.md")}


def edit_seed(seeds: Path, prefix: str, old: str, new: str) -> None:
    page = next(seeds.glob(f"{prefix}_*.txt"))
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def ingested(tmp_path, seeds_copy):
    """The seeds ingested into a fresh content/, and one article deleted by hand."""
    content = tmp_path / "content"
    assert ingest(seeds_copy, content).ok
    victim = by_title(content)["徒步活动收获快乐"]
    victim.unlink()
    assert ingest(seeds_copy, content).ok   # the manifest records the deletion
    return seeds_copy, content, victim


DAMAGE = {
    "deleted": None,
    "truncated": lambda text: text[:len(text) // 2],
    "empty": lambda text: "",
    "a list": lambda text: "[]",
    "a number": lambda text: "42",
    "another version": lambda text: text.replace('"version": 1', '"version": 2'),
    "no pages": lambda text: '{"version": 1, "rules": ""}',
    "pages a list": lambda text: '{"version": 1, "rules": "", "pages": []}',
    "articles not a list": lambda text: '{"version": 1, "rules": "", "pages": {"p": {"text_sha256": "", "articles": 7}}}',
    "article without a slug": lambda text: text.replace('"slug":', '"slog":', 1),
    "position as text": lambda text: text.replace('"position": 1', '"position": "1"', 1),
    "file outside content": lambda text: text.replace('"file": "', '"file": "../../', 1),
    "not utf-8": lambda text: b"\xff\xfe" + text.encode("utf-16-le"),
    "a folder": "folder",
}
EXPECTED = {"deleted": "missing, but content/ holds 28 article file(s)", "truncated": "not valid JSON",
            "empty": "is damaged: empty", "a list": "holds a list", "a number": "holds the number 42",
            "another version": "has version 2", "no pages": "no pages field", "pages a list": "a list where an object",
            "articles not a list": "where a list belongs", "article without a slug": "no slug field",
            "position as text": "position is the text", "file outside content": "not a file name in content/",
            "not utf-8": "not UTF-8", "a folder": "is a folder, not the ingest manifest"}


def damage(content: Path, how: str) -> None:
    path = content / MANIFEST_NAME
    change = DAMAGE[how]
    text = path.read_text(encoding="utf-8")
    path.unlink()
    if change == "folder":
        path.mkdir()
    elif change is not None:
        new = change(text)
        path.write_bytes(new if isinstance(new, bytes) else new.encode("utf-8"))


@pytest.mark.parametrize("how", list(DAMAGE))
def test_a_lost_or_damaged_manifest_stops_ingest_and_says_how_to_go_on(ingested, how):
    seeds, content, victim = ingested
    damage(content, how)
    before = snapshot(content)
    report = ingest(seeds, content)
    assert not report.ok and len(report.errors) == 1, report.errors
    error = report.errors[0]
    assert error.startswith(f"{content / MANIFEST_NAME}:"), error
    assert EXPECTED[how] in error, error
    assert "ingest --adopt" in error and "git checkout" in error
    assert report.written == 0 and snapshot(content) == before   # nothing written, nothing removed
    assert not victim.exists()


@pytest.mark.parametrize("how", ["deleted", "truncated", "a number", "a folder"])
def test_the_cli_names_the_manifest_and_exits_non_zero_without_a_traceback(ingested, tmp_path, how):
    seeds, content, victim = ingested
    damage(content, how)
    run = cli("ingest", "--seeds", str(seeds), "--content", str(content), cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert f"{content / MANIFEST_NAME}:" in run.stderr and "--adopt" in run.stderr
    assert "Traceback" not in run.stderr
    assert not victim.exists()


@pytest.mark.parametrize("how", ["deleted", "truncated", "a list", "another version", "a folder"])
def test_adopt_rebuilds_the_manifest_lists_the_missing_article_and_writes_none(ingested, tmp_path, how):
    seeds, content, victim = ingested
    damage(content, how)
    if how == "a folder":
        (content / MANIFEST_NAME).rmdir()
    articles = {name: data for name, data in snapshot(content).items() if name.endswith(".md")}
    run = cli("ingest", "--adopt", "--seeds", str(seeds), "--content", str(content), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "徒步活动收获快乐" in run.stderr and "has no file in content/" in run.stderr, run.stderr
    assert "1 deleted by hand (not recreated)" in run.stderr and "0 articles written" in run.stderr
    assert {n: d for n, d in snapshot(content).items() if n.endswith(".md")} == articles
    assert not victim.exists()
    # From now on ingest runs as before: the deleted article stays deleted, other pages update.
    report = ingest(seeds, content)
    assert report.ok and report.written == 0 and report.pages_unchanged == 5
    edit_seed(seeds, "002", "感受大自然的魔力。", "感受大自然的魅力。")
    report = ingest(seeds, content)
    assert report.ok and not victim.exists() and report.kept_deleted == 1
    assert len(list(content.glob("*.md"))) == 28


def test_adopting_an_unedited_archive_gives_the_manifest_ingest_wrote(tmp_path, seeds_copy):
    content = tmp_path / "content"
    assert ingest(seeds_copy, content).ok
    written = (content / MANIFEST_NAME).read_bytes()
    (content / MANIFEST_NAME).unlink()
    report = ingest(seeds_copy, content, adopt=True)
    assert report.ok and report.kept_deleted == 0 and report.unchanged == 29
    assert (content / MANIFEST_NAME).read_bytes() == written


def test_adopt_keeps_a_hand_edit_as_one(tmp_path, seeds_copy):
    content = tmp_path / "content"
    assert ingest(seeds_copy, content).ok
    edited = by_title(content)["北汽集团2000余职工家庭乐享“家”年华"]
    edited.write_text(edited.read_text(encoding="utf-8").replace("tags: [职工文化]", "tags: [职工文化, 送温暖]"),
                      encoding="utf-8")
    hand = edited.read_bytes()
    (content / MANIFEST_NAME).unlink()
    report = ingest(seeds_copy, content, adopt=True)
    assert report.ok and any(edited.name in note and "hand edit" in note for note in report.notes), report.notes
    edit_seed(seeds_copy, "000", "本次活动以“因爱 向新”为主题", "本次活动以“因爱 向新”为主题词")
    report = ingest(seeds_copy, content)
    assert edited.read_bytes() == hand and len(report.conflicts) == 1 and edited.name in report.conflicts[0]


def test_adopt_matches_files_by_page_and_position_when_the_title_was_edited(tmp_path, seeds_copy):
    content = tmp_path / "content"
    assert ingest(seeds_copy, content).ok
    retitled = by_title(content)["徒步活动收获快乐"]
    retitled.write_text(retitled.read_text(encoding="utf-8").replace("title: 徒步活动收获快乐", "title: 徒步收获快乐"),
                        encoding="utf-8")
    (content / MANIFEST_NAME).unlink()
    report = ingest(seeds_copy, content, adopt=True)
    assert report.ok and report.kept_deleted == 0, report.notes
    assert any(retitled.name in note and "hand edit" in note for note in report.notes)


def test_adopt_leaves_files_of_other_pages_alone_and_says_so(tmp_path, seeds_copy):
    content = tmp_path / "content"
    assert ingest(seeds_copy, content).ok
    own = content / "zi-ji-xie-de.md"
    own.write_text("---\ntitle: 自己写的\npage: 999_other\nposition: 1\nslug: zi-ji-xie-de\n---\n正文。\n",
                   encoding="utf-8")
    (content / MANIFEST_NAME).unlink()
    report = ingest(seeds_copy, content, adopt=True)
    assert report.ok and own.exists()
    assert any("zi-ji-xie-de.md" in note and "not in" in note for note in report.notes), report.notes
    assert "zi-ji-xie-de" not in (content / MANIFEST_NAME).read_text(encoding="utf-8")
    assert ingest(seeds_copy, content).ok


def test_a_first_ingest_cut_short_is_taken_up_by_the_next(tmp_path, seeds_copy):
    """The first run writes an empty manifest before any article: killed after some articles,
    the next run adopts them by page, position and title, writing nothing twice."""
    content = tmp_path / "content"
    assert ingest(seeds_copy, content).ok
    complete = snapshot(content)
    (content / MANIFEST_NAME).write_text('{"pages": {}, "rules": "", "version": 1}\n', encoding="utf-8")
    for path in sorted(content.glob("*.md"))[::2]:   # as if killed half-way
        path.unlink()
    report = ingest(seeds_copy, content)
    assert report.ok and report.conflicts == [], report.conflicts
    assert snapshot(content) == complete


# --- The committed demo manifest is stable ------------------------------------------------------

def test_ingesting_unchanged_seeds_into_the_repositorys_content_changes_nothing(tmp_path):
    """A fresh clone's first `python build.py` leaves content/ byte for byte as committed."""
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    seeds = shutil.copytree(SEEDS, tmp_path / "seeds")
    committed = snapshot(content)
    report = ingest(seeds, content)
    assert report.ok and report.written == 0 and report.pages_unchanged == len(list(seeds.glob("*.txt")))
    assert snapshot(content) == committed


def test_adopting_the_repositorys_content_gives_the_committed_manifest(tmp_path):
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    seeds = shutil.copytree(SEEDS, tmp_path / "seeds")
    committed = (content / MANIFEST_NAME).read_bytes()
    (content / MANIFEST_NAME).unlink()
    assert ingest(seeds, content, adopt=True).ok
    assert (content / MANIFEST_NAME).read_bytes() == committed


# --- Malformed files and folders in content/ -----------------------------------------------------

def test_a_folder_at_an_articles_path_is_reported_and_its_page_left_alone(tmp_path, seeds_copy):
    content = tmp_path / "content"
    assert ingest(seeds_copy, content).ok
    blocked = by_title(content)["徒步活动收获快乐"]
    blocked.unlink()
    blocked.mkdir()
    edit_seed(seeds_copy, "002", "感受大自然的魔力。", "感受大自然的魅力。")
    page_files = {p.name: p.read_bytes() for p in content.glob("*.md") if p.is_file()}
    report = ingest(seeds_copy, content)
    assert not report.ok
    assert any(e.startswith(f"{blocked}: is a folder where an article file belongs") for e in report.errors), report.errors
    assert {p.name: p.read_bytes() for p in content.glob("*.md") if p.is_file()} == page_files


@pytest.mark.parametrize("name, make", [
    ("notes.md", lambda path: path.mkdir()),
    ("latin1.md", lambda path: path.write_bytes("---\ntitle: caf\xe9\n---\nx\n".encode("latin-1"))),
    ("bomb.md", lambda path: path.write_text(
        "---\na: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\npage: 000_x\n---\nx\n",
        encoding="utf-8")),
])
def test_a_malformed_file_in_content_is_reported_by_ingest(tmp_path, seeds_copy, name, make):
    content = tmp_path / "content"
    assert ingest(seeds_copy, content).ok
    make(content / name)
    run = cli("ingest", "--seeds", str(seeds_copy), "--content", str(content), cwd=tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert f"{content / name}:" in run.stderr


def test_the_manifest_records_every_field_it_reads(tmp_path, seeds_copy):
    """A sanity check of the damage cases above: the good manifest has what they take away."""
    content = tmp_path / "content"
    assert ingest(seeds_copy, content).ok
    data = json.loads((content / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert data["version"] == 1 and isinstance(data["pages"], dict)
    article = next(iter(data["pages"].values()))["articles"][0]
    assert article["position"] == 1 and {"slug", "file", "sha256", "title", "deleted"} <= set(article)


def test_a_clone_with_line_end_conversion_keeps_the_committed_manifest(tmp_path):
    """core.autocrlf=true (git's default on Windows) must not change seeds/ or content/."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git work tree")
    clone = tmp_path / "clone"
    done = subprocess.run(["git", "-c", "core.autocrlf=true", "clone", "-q", "--no-hardlinks", str(ROOT), str(clone)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    committed = snapshot(clone / "content")
    report = ingest(clone / "seeds", clone / "content")
    assert report.ok and report.written == 0 and report.pages_unchanged == len(list((clone / "seeds").glob("*.txt")))
    assert snapshot(clone / "content") == committed
