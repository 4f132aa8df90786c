"""The theme's wording (strings.toml): every text a reader sees that is not an article's, in one
table that templates and the site code share, so that an archive can reword or translate its
site without touching code or templates."""
from __future__ import annotations

import difflib
import tomllib
from datetime import date as Date
from pathlib import Path

from .archive import DEFAULT_THEME
from .errors import ArchiveError

STRINGS_FILE = "strings.toml"


class Strings:
    """The wording in force: `ui.home` for a plain entry, `ui.fill("key", name=…)` for one with
    {placeholders}; a key the table lacks is an error, not an empty text."""

    def __init__(self, table: dict[str, str]) -> None:
        self._table = dict(table)

    @classmethod
    def read(cls, files: list[Path]) -> "Strings":
        """The table of the first file, each later file replacing single entries of it."""
        table: dict[str, str] = {}
        for number, path in enumerate(files):
            entries = _read_table(path)
            for key, value in entries.items():
                if number and key not in table:
                    close = difflib.get_close_matches(key, list(table), n=1)
                    raise ArchiveError(f"unknown wording key '{key}'", path, _line_of(path, key),
                                       hint=f"did you mean '{close[0]}'?" if close else
                                       f"the keys are those of {files[0]}")
                table[key] = value
        return cls(table)

    @classmethod
    def default(cls) -> "Strings":
        """The default theme's wording."""
        return cls.read([DEFAULT_THEME / STRINGS_FILE])

    def __getattr__(self, key: str) -> str:
        try:
            return self._table[key]
        except KeyError:
            raise AttributeError(f"no wording '{key}' in {STRINGS_FILE}") from None

    def table(self) -> dict[str, str]:
        """Every entry, for a script that words a page itself (the search page's)."""
        return dict(self._table)

    def fill(self, key: str, **values: object) -> str:
        """The entry `key` with its {placeholders} filled in."""
        try:
            return self._table[key].format(**values)
        except KeyError as exc:
            raise AttributeError(f"no wording '{key}' in {STRINGS_FILE}, or no value for {exc}") from None

    def date(self, iso: str | None) -> str:
        """A date as readers write it (2024年11月20日); "" when unknown."""
        if not iso:
            return ""
        day = Date.fromisoformat(iso)
        return self.fill("full_date", year=day.year, month=day.month, day=day.day)

    def weekday(self, iso: str) -> str:
        """The weekday of a date (星期三)."""
        return self.fill("day_of_week", name=self.weekday_names[Date.fromisoformat(iso).weekday()])

    def __repr__(self) -> str:
        return f"Strings({sorted(self._table.items())!r})"


def _read_table(path: Path) -> dict[str, str]:
    """One strings file: every value must be text."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ArchiveError(f"cannot read the wording: {exc}", path) from exc
    for key, value in data.items():
        if not isinstance(value, str):
            raise ArchiveError(f"'{key}' must be text in quotes", path, _line_of(path, key))
    return data


def _line_of(path: Path, key: str) -> int | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.split("=", 1)[0].strip().strip('"') == key:
            return number
    return None
