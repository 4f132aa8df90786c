"""`newsarchive new DIR` and `newsarchive data [NAME]`: a new archive folder, and the archive's
own copies of the engine's data files."""
from __future__ import annotations

import shutil
from pathlib import Path

from .archive import PACKAGE_DATA, PACKAGE_DIR, Archive
from .errors import ArchiveError
from .files import write_atomic

STARTER_DIR = PACKAGE_DIR / "starter"     # the files of a new archive
DEMO_SEEDS = PACKAGE_DIR / "demo" / "seeds"   # the five pages of the demo archive
# Files of the starter folder written under another name (a dot-file would be left out of
# the package by some tools).
_RENAMED = {"gitignore": ".gitignore"}


def create_archive(root: Path, demo: bool = False, title: str | None = None) -> list[Path]:
    """Make a new archive in `root` (which must not exist or be empty): settings, a README
    saying how to add pages, tags and districts, empty seeds/ and content/ folders, data/ and
    theme/ with notes on overriding; with `demo`, the five demo pages in seeds/. The files made."""
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ArchiveError("a new archive needs an empty or new folder", root,
                           hint="choose another folder, or run newsarchive there if it is an archive")
    made = []
    archive = Archive(root)
    for source in sorted(STARTER_DIR.rglob("*")):
        if not source.is_file():
            continue
        relative = source.relative_to(STARTER_DIR)
        target = root / relative.parent / _RENAMED.get(relative.name, relative.name)
        text = source.read_text(encoding="utf-8")
        if relative.as_posix() == "README.md":
            text = text.replace("{title}", title or root.resolve().name)
        if title and relative.as_posix() == "site.toml":
            text = text.replace('title = "报纸档案"', f'title = "{_toml_text(title)}"')
        write_atomic(target, text)
        made.append(target)
    archive.content.mkdir(parents=True, exist_ok=True)
    if demo:
        for page in sorted(DEMO_SEEDS.glob("*.txt")):
            target = archive.seeds / page.name
            shutil.copyfile(page, target)
            made.append(target)
    return made


def _toml_text(text: str) -> str:
    """Text for a TOML basic string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def data_files(archive: Archive) -> list[tuple[str, Path, bool]]:
    """Every engine data file by name, the file in force and whether it is the archive's own."""
    rows = []
    for default in sorted(PACKAGE_DATA.iterdir()):
        if default.is_file():
            path = archive.data.path(default.name)
            rows.append((default.name, path, path != default))
    return rows


def copy_data_file(archive: Archive, name: str) -> Path:
    """Copy the engine's data file `name` into the archive's data/ folder, for editing."""
    source = PACKAGE_DATA / name
    if "/" in name or not source.is_file():
        known = ", ".join(n for n, _, _ in data_files(archive))
        raise ArchiveError(f"no engine data file '{name}'", hint=f"data files: {known}")
    target = archive.root / "data" / name
    if target.exists():
        raise ArchiveError("the archive has its own copy already; edit it", target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target
