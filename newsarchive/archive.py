"""An archive folder and the engine's defaults: where settings, seeds, content, data, theme
overrides and the output live, and which data file wins.

An archive is a folder (Hugo's and Zola's "site"):

    site.toml   settings           seeds/    raw pages (+ pages.toml)
    content/    articles           data/     overrides of the engine's data files, same names
    theme/      template and static-file overrides of the selected theme
    site/       the output

The engine ships this paper's data and the default theme as package data; an archive's file
of the same name replaces the engine's.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_DATA = PACKAGE_DIR / "data"
THEMES_DIR = PACKAGE_DIR / "themes"
DEFAULT_THEME = THEMES_DIR / "default"


@dataclass(frozen=True)
class DataFiles:
    """The data files in force: the archive's `data/` folder over the engine's defaults."""

    own: Path | None = None     # the archive's data/ folder (None: the engine's defaults only)

    def path(self, name: str) -> Path:
        """The file `name`: the archive's own if it has one, else the engine's default."""
        if self.own is not None:
            mine = self.own / name
            if mine.is_file():
                return mine
        return PACKAGE_DATA / name


@dataclass(frozen=True)
class Archive:
    """The folders and files of one archive, from its root folder."""

    root: Path

    @property
    def settings(self) -> Path:
        return self.root / "site.toml"

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def out(self) -> Path:
        return self.root / "site"

    @property
    def theme_overrides(self) -> Path:
        return self.root / "theme"

    @property
    def data(self) -> DataFiles:
        return DataFiles(self.root / "data")


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """A hash of every Python module of the engine: results made by other code (build cache,
    search shards) are never reused. Every module counts, so no list has to be kept in step."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
