"""A build or ingest removes what a killed earlier run left (temporary folders beside the output,
temporary files in content/ and in the build cache), recognised by name and only when the run
that made them is over; it never touches anything else, nor the temporaries of a run going on
beside it."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsarchive import builder, files
from newsarchive.ingest.pipeline import run_ingest
from site_support import build, copy_fixture_content, tree_bytes


def dead_pid() -> int:
    """The id of a process that has ended (and been waited for)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def live_pid():
    """The id of a process that runs while the test does."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield child.pid
    child.kill()
    child.wait()


def old(path: Path) -> Path:
    """`path` made two hours old."""
    stamp = time.time() - 7200
    os.utime(path, (stamp, stamp))
    return path


def make_dir(path: Path, with_site: bool = False) -> Path:
    path.mkdir()
    (path / "index.html").write_text("half a site", encoding="utf-8")
    if with_site:
        (path / "site").mkdir()
        (path / "site" / "index.html").write_text("the old site", encoding="utf-8")
    return path


@pytest.fixture
def built(tmp_path):
    content = copy_fixture_content(tmp_path / "content")
    public = tmp_path / "public"
    assert build(content, public / "site").ok
    return content, public


def test_a_build_removes_what_killed_builds_left(built, live_pid):
    content, public = built
    site = tree_bytes(public / "site")
    gone = dead_pid()
    leftovers = [make_dir(public / f".site.build-{gone}-abcd1234"),
                 make_dir(public / f".site.stage-{gone}-x_y_z_00"),
                 make_dir(public / f".site.old-{gone}-00000000", with_site=True),
                 old(make_dir(public / ".site.build-k2j4h5g6")),                # an older version's name
                 public / ".cache" / "site" / f".state.pickle.{gone}-qwertyui.tmp",
                 public / ".cache" / "site" / "search" / ".00001-0-abc.json.gz.asdfghjk.tmp",
                 public / ".cache" / "site" / "search" / "search-shards" / f".1a2b.json.gz.{gone}-asdfghjk.tmp"]
    for path in leftovers[-3:]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half")
    old(leftovers[-2])
    templates = public / ".cache" / "site" / "templates"      # compiled templates being written
    for name in ("__newsarchive_html_text_0a1b2c3d.cacheab_cd_12.tmp", "__jinja2_0a1b2c3d.cacheab_cd_12.tmp"):
        (templates / name).write_bytes(b"half")
        leftovers.append(old(templates / name))
    kept = [make_dir(public / f".site.build-{live_pid}-abcd1234"),               # a build running beside
            make_dir(public / ".site.build-a1b2c3d4"),                           # too recent to judge
            make_dir(public / ".site.notes"), make_dir(public / f".other.build-{gone}-abcd1234"),
            make_dir(public / f".site.build-{gone}-notes"), make_dir(public / "site.build-12-abcd1234")]
    (public / ".site.keep.tmp.txt").write_text("mine", encoding="utf-8")
    kept.append(public / ".site.keep.tmp.txt")
    report = build(content, public / "site")          # nothing changed: even so
    assert report.ok and report.mode == "unchanged"
    assert [p for p in leftovers if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []
    assert tree_bytes(public / "site") == site


def test_the_temporaries_of_a_killed_process_not_yet_collected_are_removed(built):
    """A build's workers, killed with it, stay zombies until someone collects them: they no
    longer run, so what they were writing is a leftover (a rerun right after kill -9)."""
    content, public = built
    zombie = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        zombie.kill()
        time.sleep(0.2)                      # killed, not waited for: a zombie
        leftover = make_dir(public / f".site.build-{zombie.pid}-abcd1234")
        assert build(content, public / "site").ok
        assert not leftover.exists()
    finally:
        zombie.wait()


def test_ingest_removes_what_killed_runs_left_in_content(tmp_path, seeds_copy, live_pid):
    content = tmp_path / "content"
    assert run_ingest(seeds_copy, content, verbose=False).ok
    gone = dead_pid()
    leftovers = [content / f".zhi-gong.md.{gone}-abcdefgh.tmp", content / f"..ingest-manifest.json.{gone}-12345678.tmp",
                 content / ".pages.toml.zxcvbnm_.tmp"]
    kept = [content / f".zhi-gong.md.{live_pid}-abcdefgh.tmp", content / ".keep.tmp.txt", content / ".notes.20240101.tmp",
            content / ".recent.md.poiuytre.tmp", content / "notes.tmp"]
    for path in leftovers + kept:
        path.write_text("x", encoding="utf-8")
    old(leftovers[-1])
    before = {p.name: p.read_bytes() for p in content.glob("*.md")}
    assert run_ingest(seeds_copy, content, verbose=False).ok
    assert [p for p in leftovers if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []
    assert {p.name: p.read_bytes() for p in content.glob("*.md")} == before


def test_a_site_left_by_a_swap_cut_in_half_is_put_back(built):
    """Without renameat2 the swap is two renames; a build killed between them leaves no site at
    all, and the old one in .site.old-*: the next build puts it back before anything else."""
    content, public = built
    site = tree_bytes(public / "site")
    stale = public / f".site.old-{dead_pid()}-abcdefgh"
    stale.mkdir()
    (public / "site").rename(stale / "site")
    report = build(content, public / "site")
    assert report.ok and report.mode == "unchanged"
    assert tree_bytes(public / "site") == site and not stale.exists()


def test_the_site_is_swapped_in_by_one_atomic_exchange(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    make_dir(first)
    second.mkdir()
    (second / "mark").write_text("2", encoding="utf-8")
    if not getattr(files, "exchange", lambda a, b: False)(first, second):
        pytest.skip("no renameat2 RENAME_EXCHANGE on this system")
    assert (first / "mark").exists() and (second / "index.html").exists()


def test_a_full_rebuild_never_shows_a_missing_site(built, monkeypatch):
    """The swap exchanges the two folders: at no moment is there no site (with two renames there
    is one, between them). Looked at after every step of the swap that moves folders."""
    content, public = built
    seen = []

    def looking(step):
        def wrapped(*args):
            done = step(*args)
            seen.append((public / "site" / "index.html").exists())
            return done
        return wrapped

    monkeypatch.setattr(builder, "exchange", looking(getattr(builder, "exchange", None)), raising=False)
    monkeypatch.setattr(builder.os, "rename", looking(os.rename))
    assert build(content, public / "site", base_url="https://example.net/").ok
    assert seen and all(seen), seen
