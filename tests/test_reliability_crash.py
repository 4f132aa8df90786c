"""The fault study's promises, kept: kill -9 at a random moment of a build leaves the complete
old or the complete new site, and of an ingest whole files only; the next run finishes the work
and leaves nothing behind; builds and ingest running at the same time end correct.

The archive is a synthetic one from the benchmark's generator (pages written in the paper's
style, not real articles), large enough that a build takes about a second. Each kill happens at
a random moment of the run (the seed is in every assertion message)."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsarchive.bench import generate
from site_support import REPO, tree_bytes

ARTICLES = 200
URLS = ("https://one.example/", "https://two.example/")


def run(*args: str, wait: bool = True):
    """`newsarchive …` in a child process (both cores)."""
    command = [sys.executable, str(REPO / "build.py"), *args]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if not wait:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


def killed(args: list[str], after: float, when_exists: Path | None = None) -> None:
    """Start `newsarchive args` and kill -9 it (and its workers) `after` seconds later, or, with
    `when_exists`, as soon as a file matching that glob pattern appears (within 60 s)."""
    child = subprocess.Popen([sys.executable, str(REPO / "build.py"), *args], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(REPO)},
                             start_new_session=True)
    if when_exists is not None:
        deadline = time.monotonic() + 60
        while not any(when_exists.parent.glob(when_exists.name)) and time.monotonic() < deadline \
                and child.poll() is None:
            time.sleep(0.002)
    time.sleep(after)
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    child.wait(timeout=60)
    deadline = time.monotonic() + 10     # its workers too are gone (or zombies) before we go on
    while group_running(child.pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def group_running(group: int) -> bool:
    """Whether a process of process group `group` still runs (Linux /proc; zombies do not)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            data = stat.read_bytes()
        except OSError:
            continue
        fields = data[data.rfind(b")") + 2:].split()   # state, parent, process group, …
        if int(fields[2]) == group and fields[0] not in (b"Z", b"X"):
            return True
    return False


def timed(*args: str) -> float:
    started = time.perf_counter()
    result = run(*args)
    assert result.returncode == 0, result.stderr
    return time.perf_counter() - started


def leftovers(*folders: Path) -> list[str]:
    """Our temporary files and folders under `folders`."""
    found = []
    for folder in folders:
        for path in folder.rglob(".*"):
            if path.name.endswith(".tmp") or any(f".{k}-" in path.name for k in ("build", "stage", "old")):
                found.append(str(path))
    return found


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Raw pages of a synthetic archive, ingested; a full build's time."""
    root = tmp_path_factory.mktemp("crash")
    generate(ARTICLES, root / "seeds", seed=11)
    assert run("ingest", "--seeds", str(root / "seeds"), "--content", str(root / "content")).returncode == 0
    references = {}
    for url in URLS:
        out = root / "reference" / url.split("//")[1].strip("/") / "site"
        run("build", "--content", str(root / "content"), "--out", str(out), "--base-url", url)
        references[url] = tree_bytes(out)
    return root, references


def test_kill_9_during_full_builds_leaves_the_old_or_the_new_site(archive, tmp_path):
    root, references = archive
    out = tmp_path / "public" / "site"
    args = ["build", "--content", str(root / "content"), "--out", str(out)]
    duration = timed(*args, "--base-url", URLS[0])
    rng = random.Random()
    seed = rng.randrange(10**6)
    rng.seed(seed)
    current = URLS[0]
    for attempt in range(3):
        other = URLS[1] if current == URLS[0] else URLS[0]
        delay = rng.uniform(0, 0.3) if attempt == 0 else rng.uniform(0.05, duration)
        killed([*args, "--base-url", other], delay,    # another base URL: a full build and swap
               when_exists=out.parent / ".site.build-*" if attempt == 0 else None)
        site = tree_bytes(out)
        assert site in (references[current], references[other]), f"seed {seed}, kill {attempt} at {delay:.2f}s"
        current = other if site == references[other] else current
    other = URLS[1] if current == URLS[0] else URLS[0]
    assert run(*args, "--base-url", other).returncode == 0
    assert tree_bytes(out) == references[other], f"seed {seed}"
    assert leftovers(tmp_path / "public") == [], f"seed {seed}"


def test_kill_9_during_incremental_builds_then_a_build_equals_a_full_one(archive, tmp_path):
    root, _ = archive
    content = tmp_path / "content"
    subprocess.run(["cp", "-a", str(root / "content"), str(content)], check=True)
    out = tmp_path / "public" / "site"
    args = ["build", "--content", str(content), "--out", str(out), "--base-url", URLS[0]]
    duration = timed(*args)
    rng = random.Random()
    seed = rng.randrange(10**6)
    rng.seed(seed)
    files = sorted(content.glob("*.md"))
    for attempt in range(2):
        for path in rng.sample(files, 5):      # edits of every kind: body, title, tags, deletion
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("\n---\n", "\n---\n补记一句。", 1) if attempt != 1
                            else text.replace("title: ", "title: 新", 1), encoding="utf-8")
        files[attempt].unlink(missing_ok=True)
        killed(args, rng.uniform(0.05, duration * 0.6))   # an incremental build takes less than a full one
    assert run(*args).returncode == 0
    fresh = tmp_path / "fresh" / "site"
    assert run("build", "--content", str(content), "--out", str(fresh), "--base-url", URLS[0]).returncode == 0
    assert tree_bytes(out) == tree_bytes(fresh), f"seed {seed}"
    assert leftovers(tmp_path / "public") == [], f"seed {seed}"


@pytest.mark.parametrize("first", [True, False], ids=["first-ingest", "re-ingest"])
def test_kill_9_during_ingest_then_ingest_finishes_it(archive, tmp_path, first):
    root, _ = archive
    seeds = tmp_path / "seeds"
    subprocess.run(["cp", "-a", str(root / "seeds"), str(seeds)], check=True)
    content = tmp_path / "content"
    if not first:
        subprocess.run(["cp", "-a", str(root / "content"), str(content)], check=True)
        for page in sorted(seeds.glob("*.txt"))[::3]:     # a third of the pages changed
            page.write_text(page.read_text(encoding="utf-8").replace("。", "。\n\n补记。", 1), encoding="utf-8")
    args = ["ingest", "--seeds", str(seeds), "--content", str(content)]
    before = tree_bytes(content) if not first else {}
    clean = tmp_path / "clean"
    if not first:
        subprocess.run(["cp", "-a", str(content), str(clean)], check=True)
    duration = timed("ingest", "--seeds", str(seeds), "--content", str(clean))
    after = tree_bytes(clean)
    rng = random.Random()
    seed = rng.randrange(10**6)
    rng.seed(seed)
    attempts = 4
    for attempt in range(attempts):            # as it writes its first article, then at random
        if first:
            subprocess.run(["rm", "-rf", str(content)], check=True)
        if attempt == 0:
            killed(args, 0, when_exists=content / "*.md")
        else:
            killed(args, duration * (attempt - 1 + rng.random()) / (attempts - 1))
        for path in content.glob("*.md"):      # every article file is whole: old or new
            assert path.read_bytes() in (before.get(path.name), after.get(path.name)), f"seed {seed}: {path.name}"
        if any(content.glob("*.md")):          # the manifest is written before the first article
            assert (content / ".ingest-manifest.json").is_file(), f"seed {seed}, kill {attempt}"
    result = run(*args)
    assert result.returncode == 0, f"seed {seed}: {result.stderr[-2000:]}"
    assert tree_bytes(content) == after, f"seed {seed}"
    assert leftovers(content) == [], f"seed {seed}"


def test_two_builds_at_once_and_ingest_beside_them_end_correct(archive, tmp_path):
    root, references = archive
    out = tmp_path / "public" / "site"
    args = ["build", "--content", str(root / "content"), "--out", str(out), "--base-url", URLS[0]]
    assert run(*args).returncode == 0
    builds = [run(*args[:-1], URLS[1], wait=False) for _ in range(2)]   # both full builds, one folder
    results = [(b.wait(timeout=300), b.stderr.read()) for b in builds]
    assert all(code == 0 for code, _ in results), results
    assert tree_bytes(out) == references[URLS[1]]
    # ingest of changed pages while a build reads the same content
    seeds = tmp_path / "seeds"
    content = tmp_path / "content"
    subprocess.run(["cp", "-a", str(root / "seeds"), str(seeds)], check=True)
    subprocess.run(["cp", "-a", str(root / "content"), str(content)], check=True)
    for page in sorted(seeds.glob("*.txt"))[::4]:
        page.write_text(page.read_text(encoding="utf-8").replace("。", "。\n\n补记。", 1), encoding="utf-8")
    other = tmp_path / "other" / "site"
    both = [run("ingest", "--seeds", str(seeds), "--content", str(content), wait=False),
            run("build", "--content", str(content), "--out", str(other), wait=False)]
    assert [p.wait(timeout=300) for p in both] == [0, 0], [p.stderr.read()[-2000:] for p in both]
    assert run("build", "--content", str(content), "--out", str(other)).returncode == 0
    fresh = tmp_path / "fresh" / "site"
    assert run("build", "--content", str(content), "--out", str(fresh)).returncode == 0
    assert tree_bytes(other) == tree_bytes(fresh)
    assert leftovers(tmp_path / "public", tmp_path / "other", content) == []


def test_a_build_stopped_between_the_swap_and_the_cache_is_not_taken_for_done(tmp_path, monkeypatch):
    """The cache says what the site was built from. Stopped after the new site is in place but
    before the cache is saved, a build must not leave the old cache claiming the old site: the
    next build with the old settings would find "nothing changed" and keep the wrong site."""
    from newsarchive import cache as cache_module
    from site_support import FIXTURE_CONTENT, build

    out = tmp_path / "public" / "site"
    assert build(FIXTURE_CONTENT, out, base_url=URLS[0]).ok
    first = tree_bytes(out)

    def killed_here(*args, **kwargs):
        raise KeyboardInterrupt   # as kill -9 would, right after the swap

    monkeypatch.setattr(cache_module.BuildCache, "save", killed_here)
    with pytest.raises(KeyboardInterrupt):
        build(FIXTURE_CONTENT, out, base_url=URLS[1])
    monkeypatch.undo()
    assert tree_bytes(out) != first                    # the new site is in place
    assert build(FIXTURE_CONTENT, out, base_url=URLS[0]).ok
    assert tree_bytes(out) == first
