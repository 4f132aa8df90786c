"""The operating system says no: a full disk, a read-only folder, a folder where a file belongs.
Every such case ends in `file: message` and a non-zero exit, never a traceback, and nothing is
half-written: the previous site and every content file stay as they were.

Disk full and read-only folders are real where the machine lets the tests mount a small tmpfs
(root in a container); elsewhere those tests are skipped and the same faults are injected at the
package's one write helper (newsarchive/files.py), which those tests always do."""
from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive import cli, files
from newsarchive.ingest.manifest import MANIFEST_NAME
from site_support import FIXTURE_CONFIG, FIXTURE_CONTENT, REPO, build, copy_fixture_content, tree_bytes

from conftest import SEEDS


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    """`python build.py …` as an editor runs it (the fixture archive's settings)."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--config", str(FIXTURE_CONFIG), *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


def leftovers(folder: Path) -> list[str]:
    """Temporary files and folders anywhere under `folder` (ours are hidden and end in .tmp, or
    are .<out>.build-/stage-/old- folders)."""
    found = []
    for path in folder.rglob(".*"):
        if path.name.endswith(".tmp") or any(f".{kind}-" in path.name for kind in ("build", "stage", "old")):
            found.append(str(path.relative_to(folder)))
    return found


@contextlib.contextmanager
def tmpfs(mount_point: Path, size_kb: int):
    """A tmpfs of `size_kb` at `mount_point` (skips the test where mounting is not allowed)."""
    mount_point.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=755", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); see the injected-fault tests")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def remount(mount_point: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(mount_point)], check=True, capture_output=True)


def fill(folder: Path, leave_kb: int) -> None:
    """Fill the file system of `folder` until about `leave_kb` are free."""
    free = shutil.disk_usage(folder).free - leave_kb * 1024
    (folder / "filler").write_bytes(b"\0" * max(free, 0))


def assert_reported(run: subprocess.CompletedProcess, path: Path, message: str) -> None:
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert f"{path}" in run.stderr and message in run.stderr, run.stderr


# --- Disk full, for real ---------------------------------------------------------------------------

def test_disk_full_during_a_first_build(tmp_path):
    with tmpfs(tmp_path / "public", 400) as public:
        run = run_cli("build", "--jobs", "1", "--content", str(FIXTURE_CONTENT), "--out", str(public / "site"))
        assert_reported(run, public, "No space left on device")
        assert not (public / "site").exists() and leftovers(public) == []


def test_disk_full_during_a_rebuild_leaves_the_previous_site(tmp_path):
    content = copy_fixture_content(tmp_path / "content")
    with tmpfs(tmp_path / "public", 2048) as public:
        out = public / "site"
        assert run_cli("build", "--content", str(content), "--out", str(out)).returncode == 0
        before = tree_bytes(out)
        fill(public, 200)
        run = run_cli("build", "--jobs", "1", "--base-url", "https://example.net/", "--content", str(content),
                      "--out", str(out))    # another base URL: every page is written again
        assert_reported(run, public, "No space left on device")
        assert "left unchanged" in run.stderr
        assert tree_bytes(out) == before and leftovers(public) == []


def test_disk_full_during_ingest_writes_no_half_file_and_the_next_run_finishes(tmp_path, seeds_copy):
    clean = tmp_path / "clean"
    assert run_cli("ingest", "--seeds", str(seeds_copy), "--content", str(clean)).returncode == 0
    with tmpfs(tmp_path / "content", 64) as content:
        run = run_cli("ingest", "--seeds", str(seeds_copy), "--content", str(content))
        assert_reported(run, content, "No space left on device")
        assert leftovers(content) == []
        for path in content.glob("*.md"):            # every file there is whole
            assert path.read_bytes() == (clean / path.name).read_bytes()
        remount(content, "size=2m")
        run = run_cli("ingest", "--seeds", str(seeds_copy), "--content", str(content))
        assert run.returncode == 0, run.stderr
        assert tree_bytes(content) == tree_bytes(clean)


# --- Read-only folders, for real ------------------------------------------------------------------

def test_a_read_only_output_folder(tmp_path):
    content = copy_fixture_content(tmp_path / "content")
    with tmpfs(tmp_path / "public", 4096) as public:
        out = public / "site"
        assert run_cli("build", "--content", str(content), "--out", str(out)).returncode == 0
        before = tree_bytes(out)
        remount(public, "ro")
        (content / "zhi-gong-tu-bu-huo-dong.md").unlink()                      # an incremental build
        run = run_cli("build", "--content", str(content), "--out", str(out))
        assert_reported(run, public, "Read-only file system")
        run = run_cli("build", "--base-url", "https://example.net/", "--content", str(content), "--out", str(out))
        assert_reported(run, public, "Read-only file system")                  # a full one
        assert tree_bytes(out) == before


def test_a_read_only_content_folder(tmp_path, seeds_copy):
    with tmpfs(tmp_path / "content", 4096) as content:
        assert run_cli("ingest", "--seeds", str(seeds_copy), "--content", str(content)).returncode == 0
        before = tree_bytes(content)
        remount(content, "ro")
        page = next(seeds_copy.glob("002_*.txt"))
        page.write_text(page.read_text(encoding="utf-8").replace("感受大自然的魔力。", "感受大自然的魅力。"),
                        encoding="utf-8")
        run = run_cli("ingest", "--seeds", str(seeds_copy), "--content", str(content))
        assert_reported(run, content, "Read-only file system")
        assert tree_bytes(content) == before


# --- The same faults injected at the write helper (no mount needed) --------------------------------

class FullDisk:
    """Stands for the `os` module in newsarchive/files.py: the disk takes `room` more bytes, then
    every write fails with ENOSPC, as a real full disk does (including atomic_writer's files)."""

    def __init__(self, room: int) -> None:
        self.room = room

    def __getattr__(self, name: str):
        return getattr(os, name)

    def write(self, fd: int, data) -> int:
        self._take(len(data))
        return os.write(fd, data)

    def fdopen(self, fd: int, mode: str = "r", *args, **kwargs):
        disk = self

        class Limited(io.FileIO):
            def write(self, data) -> int:
                disk._take(len(data))
                return super().write(data)

        return io.BufferedWriter(Limited(fd, "wb")) if "w" in mode else os.fdopen(fd, mode, *args, **kwargs)

    def _take(self, size: int) -> None:
        if size > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= size


class ReadOnly:
    """Stands for `os` and `tempfile` in newsarchive/files.py: nothing can be created."""

    def __getattr__(self, name: str):
        return getattr(os, name)

    @staticmethod
    def _refuse(path) -> OSError:
        return OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    def open(self, path, flags, mode=0o777, **kwargs):
        if flags & os.O_CREAT:
            raise self._refuse(path)
        return os.open(path, flags, mode, **kwargs)

    def mkdir(self, path, *args, **kwargs):
        raise self._refuse(path)

    def replace(self, source, target):
        raise self._refuse(source)

    def mkstemp(self, suffix=None, prefix=None, dir=None, text=False):
        raise self._refuse(dir)

    def mkdtemp(self, suffix=None, prefix=None, dir=None):
        raise self._refuse(dir)


def main(capsys, *args: str) -> tuple[int, str]:
    """The command line in this process (one job: no worker process escapes the injection)."""
    status = cli.main(["--config", str(FIXTURE_CONFIG), *args])
    return status, capsys.readouterr().err


@pytest.mark.parametrize("room", [0, 50_000, 150_000])
def test_injected_disk_full_during_a_build(tmp_path, monkeypatch, capsys, room):
    content = copy_fixture_content(tmp_path / "content")
    out = tmp_path / "public" / "site"
    assert build(content, out).ok
    before = tree_bytes(out)
    monkeypatch.setattr(files, "os", FullDisk(room))
    status, err = main(capsys, "build", "--jobs", "1", "--base-url", "https://example.net/",
                       "--content", str(content), "--out", str(out))
    assert status == 1 and "No space left on device" in err and str(tmp_path / "public") in err, err
    assert tree_bytes(out) == before and leftovers(tmp_path / "public") == []


@pytest.mark.parametrize("room", [0, 20_000, 60_000])
def test_injected_disk_full_during_ingest(tmp_path, seeds_copy, monkeypatch, capsys, room):
    content = tmp_path / "content"
    monkeypatch.setattr(files, "os", FullDisk(room))
    status, err = main(capsys, "ingest", "--seeds", str(seeds_copy), "--content", str(content))
    assert status == 1 and "No space left on device" in err and str(content) in err, err
    assert leftovers(content) == []
    monkeypatch.setattr(files, "os", os)
    status, err = main(capsys, "ingest", "--seeds", str(seeds_copy), "--content", str(content))
    assert status == 0, err
    clean = tmp_path / "clean"
    assert main(capsys, "ingest", "--seeds", str(seeds_copy), "--content", str(clean))[0] == 0
    assert tree_bytes(content) == tree_bytes(clean)


def test_injected_read_only_folders(tmp_path, seeds_copy, monkeypatch, capsys):
    content = tmp_path / "content"
    out = tmp_path / "public" / "site"
    assert main(capsys, "ingest", "--seeds", str(seeds_copy), "--content", str(content))[0] == 0
    assert main(capsys, "build", "--content", str(content), "--out", str(out))[0] == 0
    site, articles = tree_bytes(out), tree_bytes(content)
    page = next(seeds_copy.glob("002_*.txt"))
    page.write_text(page.read_text(encoding="utf-8").replace("感受大自然的魔力。", "感受大自然的魅力。"),
                    encoding="utf-8")
    monkeypatch.setattr(files, "os", ReadOnly())
    monkeypatch.setattr(files, "tempfile", ReadOnly())
    status, err = main(capsys, "ingest", "--seeds", str(seeds_copy), "--content", str(content))
    assert status == 1 and "Read-only file system" in err and str(content) in err, err
    status, err = main(capsys, "build", "--jobs", "1", "--base-url", "https://example.net/",
                       "--content", str(content), "--out", str(out))
    assert status == 1 and "Read-only file system" in err, err
    assert tree_bytes(out) == site and tree_bytes(content) == articles


# --- Folders and files where they do not belong --------------------------------------------------

def test_site_settings_that_are_a_folder(tmp_path):
    (tmp_path / "site.toml").mkdir()
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "-C", str(tmp_path), "build"], capture_output=True,
                         text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert f"{tmp_path / 'site.toml'}" in run.stderr


def test_page_metadata_that_is_a_folder(tmp_path, seeds_copy):
    (seeds_copy / "pages.toml").mkdir()
    run = run_cli("ingest", "--seeds", str(seeds_copy), "--content", str(tmp_path / "content"))
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert f"{seeds_copy / 'pages.toml'}" in run.stderr


def test_an_output_path_that_is_a_file(tmp_path):
    out = tmp_path / "site"
    out.write_text("not a folder", encoding="utf-8")
    run = run_cli("build", "--content", str(FIXTURE_CONTENT), "--out", str(out))
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert str(out) in run.stderr
    assert out.read_text(encoding="utf-8") == "not a folder"


def test_a_folder_that_holds_no_site_is_never_replaced(tmp_path):
    out = tmp_path / "Documents"
    out.mkdir()
    (out / "thesis.txt").write_text("years of work", encoding="utf-8")
    run = run_cli("build", "--content", str(FIXTURE_CONTENT), "--out", str(out))
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert f"{out}: " in run.stderr and "no site" in run.stderr
    assert tree_bytes(out) == {"thesis.txt": b"years of work"}


def test_serve_keeps_serving_when_a_rebuild_finds_the_disk_full(tmp_path, seeds_copy, monkeypatch, capsys):
    """`serve` rebuilds in its own process: a full disk must end that rebuild with a message,
    not end the server (each run has its own error boundary, not only the command line)."""
    import argparse

    from newsarchive.archive import Archive
    from newsarchive.serve import rebuild

    args = argparse.Namespace(seeds=seeds_copy, content=tmp_path / "content", out=tmp_path / "public" / "site",
                              quiet=True, jobs=1, config=FIXTURE_CONFIG, base_url=None, theme=None,
                              host="127.0.0.1", port=8000)
    archive = Archive(tmp_path)
    monkeypatch.setattr(files, "os", FullDisk(30_000))
    assert rebuild(args, archive) is False            # no exception
    err = capsys.readouterr().err
    assert err.count("No space left on device") == 2, err     # ingest's and the build's
    monkeypatch.setattr(files, "os", os)
    assert rebuild(args, archive) is True
