"""Page metadata (`pages.toml`): date, number (版次) and name (版名) per page stem.

Ingest reads it from `seeds/` and copies it to `content/`, where the site build reads it."""
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


def _page_meta(stem: str, entry: object) -> PageMeta:
    """One page's metadata; ValueError saying what is wrong with it."""
    if not isinstance(entry, dict):
        raise ValueError(f"'{stem}' must be a table: [{stem}] with date, number, name")
    unknown = set(entry) - {"date", "number", "name"}
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(sorted(unknown))} for page {stem}")
    date = entry.get("date")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            raise ValueError(f"date of page {stem} is not YYYY-MM-DD: {date!r}") from None
    if date is not None and (not isinstance(date, dt.date) or isinstance(date, dt.datetime)):
        raise ValueError(f"date of page {stem} must be a date such as 2024-11-20")
    number = entry.get("number")
    if number is not None and (not isinstance(number, int) or isinstance(number, bool) or number < 1):
        raise ValueError(f"number (版次) of page {stem} must be a positive integer")
    name = entry.get("name")
    if name is not None and not isinstance(name, str):
        raise ValueError(f"name (版名) of page {stem} must be a string")
    return PageMeta(date, number, name)


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
        try:
            meta[stem] = _page_meta(stem, entry)
        except ValueError as exc:
            # Line numbers are looked up only for the error: scanning per stem is quadratic.
            raise ArchiveError(str(exc), path, _line_of(text, stem), hint="keys: date, number, name") from exc
    return meta


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What `content/pages.toml` says of a printed page: date, number (版次), name (版名)."""

    date: str | None
    number: int | None
    name: str | None


PAGES_FILE = "pages.toml"


def load_page_info(content_dir: Path) -> dict[str, PageInfo]:
    """Page metadata from the optional `content/pages.toml` (ingest copies it from seeds/)."""
    return {stem: PageInfo(meta.date.isoformat() if meta.date else None, meta.number, meta.name)
            for stem, meta in load_pages_meta(content_dir / PAGES_FILE).items()}
