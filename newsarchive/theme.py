"""The theme in force: the selected theme's templates and static files, overridden file by file
by the archive's own `theme/` folder (as Hugo and Zola let a site override its theme)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .archive import DEFAULT_THEME, THEMES_DIR
from .errors import ArchiveError
from .strings import STRINGS_FILE, Strings


@dataclass(frozen=True)
class Theme:
    """A theme's folders, the one that wins first: each holds `templates/` and `static/`."""

    folders: tuple[Path, ...]

    @classmethod
    def of(cls, folder: Path = DEFAULT_THEME) -> "Theme":
        """The theme in one folder, with no overrides."""
        return cls((Path(folder),))

    @classmethod
    def select(cls, choice: str | Path | None, archive_root: Path, overrides: Path | None) -> "Theme":
        """The theme named by `choice` (an engine theme's name, or a folder, relative to the
        archive), or the default theme; with the archive's `overrides` folder in front."""
        base = resolve_theme(choice, archive_root)
        folders = (overrides, base) if overrides is not None and overrides.is_dir() else (base,)
        return cls(folders)

    @property
    def template_dirs(self) -> list[Path]:
        """Where templates are looked up, in order."""
        return [folder / "templates" for folder in self.folders if (folder / "templates").is_dir()]

    def static_files(self) -> dict[str, Path]:
        """Every static file by its path under `static/`; an override replaces the file of the
        same name."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            for path in sorted(static.rglob("*")) if static.is_dir() else ():
                if path.is_file():
                    found[path.relative_to(static).as_posix()] = path
        return dict(sorted(found.items()))

    def strings(self) -> Strings:
        """The wording in force: the default theme's table, with the entries of each theme
        folder's strings.toml over it (the archive's overrides last)."""
        files = [DEFAULT_THEME / STRINGS_FILE]
        files += [folder / STRINGS_FILE for folder in reversed(self.folders)
                  if folder != DEFAULT_THEME and (folder / STRINGS_FILE).is_file()]
        return Strings.read(files)

    def stamp(self) -> str:
        """A hash of the name and bytes of every file of the theme, overrides included."""
        digest = hashlib.blake2b(digest_size=16)
        for index, folder in enumerate(self.folders):
            for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
                if path.is_file():
                    digest.update(f"{index}\0{path.relative_to(folder).as_posix()}\0".encode())
                    digest.update(path.read_bytes())
        return digest.hexdigest()


def resolve_theme(choice: str | Path | None, archive_root: Path) -> Path:
    """The folder of the theme `choice`: empty means the default; a name of an engine theme
    (newsarchive/themes/<name>); else a folder, relative to the archive."""
    if choice is None or str(choice) == "":
        return DEFAULT_THEME
    text = str(choice)
    if "/" not in text and (THEMES_DIR / text / "templates").is_dir():
        return THEMES_DIR / text
    folder = (archive_root / text) if not Path(text).is_absolute() else Path(text)
    if (folder / "templates").is_dir():
        return folder
    engine = ", ".join(sorted(p.name for p in THEMES_DIR.iterdir() if (p / "templates").is_dir()))
    raise ArchiveError(f"theme '{text}' not found: neither an engine theme nor a folder with templates/",
                       folder, hint=f"engine themes: {engine}; or give a folder holding templates/ and static/")
