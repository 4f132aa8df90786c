"""Ingest edge cases: encodings and layouts, editors' hand edits and deletions, bad pages."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive.ingest.manifest import MANIFEST_NAME
from newsarchive.ingest.pipeline import run_ingest

from conftest import ROOT, SEEDS, read_article


def snapshot(content: Path) -> dict[str, bytes]:
    """Every file in a content folder, by name."""
    return {p.name: p.read_bytes() for p in sorted(content.iterdir()) if p.is_file()}


def ingest(seeds: Path, content: Path):
    report = run_ingest(seeds, content, verbose=False)
    return report


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, bytes]:
    """The content written from the plain UTF-8 seed pages."""
    content = tmp_path_factory.mktemp("ref")
    assert ingest(SEEDS, content).ok
    return snapshot(content)


def _variant(text: str, kind: str) -> bytes:
    if kind == "gb18030":
        return text.encode("gb18030")
    if kind == "gb18030-crlf":
        return text.replace("\n", "\r\n").encode("gb18030")
    if kind == "utf8-bom-crlf":
        return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    if kind == "ideographic-indent":
        return "\n".join(("\u3000\u3000" + line) if line else line for line in text.split("\n")).encode("utf-8")
    if kind == "all-at-once":
        lines = [("\u3000\u3000" + line + " ") if line else "\u3000" for line in text.split("\n")]
        return "\r\n".join(lines).encode("gb18030")
    raise ValueError(kind)


@pytest.mark.parametrize("kind", ["gb18030", "gb18030-crlf", "utf8-bom-crlf", "ideographic-indent", "all-at-once"])
def test_encodings_and_layouts_give_byte_identical_content(tmp_path, reference, kind):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for page in SEEDS.glob("*.txt"):
        (seeds / page.name).write_bytes(_variant(page.read_text(encoding="utf-8"), kind))
    content = tmp_path / "content"
    assert ingest(seeds, content).ok
    # Identical files, except that the manifest remembers the hash of the bytes it read.
    assert without_raw_hashes(snapshot(content)) == without_raw_hashes(reference)


def without_raw_hashes(files: dict[str, bytes]) -> dict[str, bytes]:
    """The snapshot with the manifest's raw_sha256 lines taken out."""
    manifest = files[MANIFEST_NAME].decode("utf-8").splitlines(keepends=True)
    kept = "".join(line for line in manifest if '"raw_sha256":' not in line)
    return {**files, MANIFEST_NAME: kept.encode("utf-8")}


def test_the_same_text_in_other_bytes_writes_only_the_manifest(tmp_path, seeds_copy):
    content = tmp_path / "content"
    assert ingest(seeds_copy, content).written == 29
    page = next(seeds_copy.glob("*.txt"))
    page.write_bytes(_variant(page.read_text(encoding="utf-8"), "gb18030-crlf"))
    stamps = {p: p.stat().st_mtime_ns for p in content.iterdir()}
    report = ingest(seeds_copy, content)
    assert (report.written, report.unchanged, report.pages_unchanged) == (0, 29, 5)
    changed = {p.name for p in content.iterdir() if p.stat().st_mtime_ns != stamps[p]}
    assert changed == {MANIFEST_NAME}
    stamps = {p: p.stat().st_mtime_ns for p in content.iterdir()}
    ingest(seeds_copy, content)      # and now those bytes are known: nothing at all
    assert {p: p.stat().st_mtime_ns for p in content.iterdir()} == stamps


def test_rerun_on_unchanged_seeds_writes_nothing(tmp_path, seeds_copy):
    content = tmp_path / "content"
    assert ingest(seeds_copy, content).written == 29
    stamps = {p: p.stat().st_mtime_ns for p in content.iterdir()}
    report = ingest(seeds_copy, content)
    assert (report.written, report.unchanged, report.pages_unchanged) == (0, 29, 5)
    assert {p: p.stat().st_mtime_ns for p in content.iterdir()} == stamps


def _edit_seed(seeds: Path, prefix: str, old: str, new: str) -> None:
    page = next(seeds.glob(f"{prefix}_*.txt"))
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new), encoding="utf-8")


def _by_title(content: Path) -> dict[str, Path]:
    return {read_article(p)[0]["title"]: p for p in content.glob("*.md")}


def test_changed_seed_is_reingested_but_hand_edits_are_kept(tmp_path, seeds_copy):
    content = tmp_path / "content"
    ingest(seeds_copy, content)
    files = _by_title(content)
    edited = files["北汽集团2000余职工家庭乐享“家”年华"]
    edited.write_text(edited.read_text(encoding="utf-8").replace("tags: [职工文化]", "tags: [职工文化, 送温暖]"),
                      encoding="utf-8")
    hand_version = edited.read_bytes()
    # The paper fixes a sentence in two articles of page 000, one of them hand-edited.
    _edit_seed(seeds_copy, "000", "本次活动以“因爱 向新”为主题", "本次活动以“因爱 向新”为主题词")
    _edit_seed(seeds_copy, "000", "共同分享读书乐趣。", "共同分享读书的乐趣。")
    report = ingest(seeds_copy, content)
    assert edited.read_bytes() == hand_version
    assert len(report.conflicts) == 1 and edited.name in report.conflicts[0]
    assert report.written == 1
    assert "共同分享读书的乐趣。" in files["建工城乡集团开发公司职工分享读书心得"].read_text(encoding="utf-8")
    # Slugs are assigned once: the re-ingested articles keep their files.
    assert set(_by_title(content).values()) == set(files.values())


def test_deleted_article_does_not_come_back(tmp_path, seeds_copy):
    content = tmp_path / "content"
    ingest(seeds_copy, content)
    victim = _by_title(content)["徒步活动收获快乐"]
    victim.unlink()
    _edit_seed(seeds_copy, "002", "感受大自然的魔力。", "感受大自然的魅力。")
    report = ingest(seeds_copy, content)
    assert not victim.exists()
    assert report.kept_deleted == 1 and report.ok
    # A later change of the vocabulary re-ingests every page; still not recreated.
    ingest(seeds_copy, content)
    assert not victim.exists()
    assert len(list(content.glob("*.md"))) == 28


def test_lost_manifest_never_overwrites_existing_files(tmp_path, seeds_copy):
    content = tmp_path / "content"
    ingest(seeds_copy, content)
    target = _by_title(content)["温暖战疫职工"]
    target.write_text(target.read_text(encoding="utf-8") + "\n编者按：手工补充。\n", encoding="utf-8")
    hand = target.read_bytes()
    (content / MANIFEST_NAME).unlink()
    files = snapshot(content)
    report = ingest(seeds_copy, content)             # stops: it cannot tell what was deleted
    assert not report.ok and MANIFEST_NAME in report.errors[0] and "--adopt" in report.errors[0]
    assert snapshot(content) == files
    report = run_ingest(seeds_copy, content, verbose=False, adopt=True)
    assert report.ok and report.written == 0 and target.read_bytes() == hand
    _edit_seed(seeds_copy, "004", "开展慰问防疫一线职工活动", "开展慰问防疫一线职工的活动")  # its text changes
    report = ingest(seeds_copy, content)
    assert target.read_bytes() == hand
    assert len(report.conflicts) == 1 and report.written == 0
    assert len(list(content.glob("*.md"))) == 29


@pytest.mark.parametrize("name,data,message", [
    ("900_bad_bytes.txt", "本报讯（记者 王".encode("gb18030") + b"\x80\xff\xff\n", "cannot be decoded"),
    ("901_empty.txt", "\n\u3000\r\n\n".encode("utf-8"), "page is empty"),
    ("902_rubric_only.txt", "深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面\n\n贯彻落实工会十八大精神\n".encode(),
     "holds no article"),
    ("903_binary.txt", b"PK\x03\x04\x00\x00\x08\x00binary", "cannot be read as text"),
])
def test_bad_page_is_reported_and_the_rest_ingested(tmp_path, seeds_copy, name, data, message):
    (seeds_copy / name).write_bytes(data)
    content = tmp_path / "content"
    report = ingest(seeds_copy, content)
    assert not report.ok
    assert len(report.errors) == 1 and name in report.errors[0] and message in report.errors[0]
    assert len(list(content.glob("*.md"))) == 29
    assert not [p for p in content.iterdir() if p.name.endswith(".tmp")]


def test_cli_exit_status_and_summary(tmp_path, seeds_copy):
    (seeds_copy / "905_empty.txt").write_bytes(b"")
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "ingest", "--seeds", str(seeds_copy),
                          "--content", str(tmp_path / "content")], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 1
    assert "905_empty.txt" in run.stderr and "page is empty" in run.stderr
    assert "ingest: 6 pages read (0 unchanged), 29 articles written, 0 unchanged, 0 conflicts, 1 errors" in run.stderr


def test_pages_toml_dates_articles_and_bad_metadata_names_the_line(tmp_path, seeds_copy):
    (seeds_copy / "pages.toml").write_text(
        '["003_31f1b2df397274cc"]\ndate = 2024-11-20\nnumber = 3\nname = "要闻"\n', encoding="utf-8")
    content = tmp_path / "content"
    assert ingest(seeds_copy, content).ok
    dated = [read_article(p)[0] for p in content.glob("*.md") if "date" in read_article(p)[0]]
    assert len(dated) == 5 and all(str(m["date"]) == "2024-11-20" for m in dated)
    assert (content / "pages.toml").read_text(encoding="utf-8") == (seeds_copy / "pages.toml").read_text(encoding="utf-8")
    (seeds_copy / "pages.toml").write_text('["003_31f1b2df397274cc"]\ndate = "next week"\n', encoding="utf-8")
    report = ingest(seeds_copy, tmp_path / "other")
    assert not report.ok and "pages.toml:1:" in report.errors[0]
