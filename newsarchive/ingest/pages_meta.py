"""Optional page metadata from `seeds/pages.toml`: date, number (版次) and name (版名) per page stem."""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import ArchiveError


@dataclass(frozen=True)
class PageMeta:
    """What is known of a printed page; every field may be unknown."""

    date: dt.date | None = None
    number: int | None = None
    name: str | None = None


def _line_of(text: str, stem: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().strip("[]\"' ") == stem:
            return number
    return None


def load_pages_meta(path: Path) -> dict[str, PageMeta]:
    """Page stem -> PageMeta; a missing file means no page is dated (dates are never invented)."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ArchiveError(f"invalid TOML: {exc}", path) from exc
    meta: dict[str, PageMeta] = {}
    for stem, entry in data.items():
        line = _line_of(text, stem)
        if not isinstance(entry, dict):
            raise ArchiveError(f"'{stem}' must be a table: [{stem}] with date, number, name", path, line)
        unknown = set(entry) - {"date", "number", "name"}
        if unknown:
            raise ArchiveError(f"unknown key(s) {', '.join(sorted(unknown))} for page {stem}", path, line,
                               hint="keys: date, number, name")
        date = entry.get("date")
        if isinstance(date, str):
            try:
                date = dt.date.fromisoformat(date)
            except ValueError as exc:
                raise ArchiveError(f"date of page {stem} is not YYYY-MM-DD: {date!r}", path, line) from exc
        if date is not None and (not isinstance(date, dt.date) or isinstance(date, dt.datetime)):
            raise ArchiveError(f"date of page {stem} must be a date such as 2024-11-20", path, line)
        number = entry.get("number")
        if number is not None and (not isinstance(number, int) or isinstance(number, bool) or number < 1):
            raise ArchiveError(f"number (版次) of page {stem} must be a positive integer", path, line)
        name = entry.get("name")
        if name is not None and not isinstance(name, str):
            raise ArchiveError(f"name (版名) of page {stem} must be a string", path, line)
        meta[stem] = PageMeta(date, number, name)
    return meta
