"""Page metadata: date, number (版次), name (版名) and issue number (期号) of each printed page.

Two sources say it: `pages.toml` (one table per page stem) and the seed file's own name when
it carries a date (`2021-03-12_03.txt`, `20210312-03.txt`: date, then 版次). `pages.toml` wins
where both speak, field by field. A name that does not spell a real date says nothing: dates
are never guessed.

Ingest reads `seeds/pages.toml` (for the articles' dates) and copies it to `content/`, where
the site build reads it (for the pages' labels and editions)."""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import ArchiveError

PAGES_FILE = "pages.toml"
KEYS = ("date", "number", "name", "issue")
EARLIEST_YEAR = 1800          # an eight-digit stem before this is a number, not a date

# The whole stem: a date (2021-03-12 or 20210312), optionally followed by _ or - and the 版次.
_DATED_STEM = re.compile(r"(?P<y>\d{4})(?P<sep>-?)(?P<m>\d{2})(?P=sep)(?P<d>\d{2})(?:[_-](?P<n>\d{1,3}))?")


@dataclass(frozen=True)
class PageMeta:
    """What is known of a printed page; every field may be unknown."""

    date: dt.date | None = None
    number: int | None = None
    name: str | None = None
    # Not in the repr: ingest hashes the repr to see whether a page must be read again, and
    # the issue number changes no article.
    issue: int | None = field(default=None, repr=False)


def stem_meta(stem: str) -> PageMeta:
    """The date and 版次 a seed file's name spells (`2021-03-12_03`, `20210312-03`), or nothing."""
    match = _DATED_STEM.fullmatch(stem)
    if not match:
        return PageMeta()
    try:
        date = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return PageMeta()
    if date.year < EARLIEST_YEAR:
        return PageMeta()
    number = int(match["n"]) if match["n"] else None
    return PageMeta(date, number if number else None)


def page_meta(stem: str, table: dict[str, PageMeta]) -> PageMeta:
    """Everything known of page `stem`: its `pages.toml` entry, completed by its file name."""
    named = stem_meta(stem)
    listed = table.get(stem)
    if listed is None:
        return named
    return replace(listed, date=listed.date or named.date,
                   number=listed.number if listed.number is not None else named.number)


def _line_of(text: str, stem: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().strip("[]\"' ") == stem:
            return number
    return None


def _positive(entry: dict, key: str, what: str, stem: str) -> int | None:
    value = entry.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise ValueError(f"{key} ({what}) of page {stem} must be a positive integer")
    return value


def _page_meta(stem: str, entry: object) -> PageMeta:
    """One page's metadata; ValueError saying what is wrong with it."""
    if not isinstance(entry, dict):
        raise ValueError(f"'{stem}' must be a table: [{stem}] with date, number, name")
    unknown = set(entry) - set(KEYS)
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
    number = _positive(entry, "number", "版次", stem)
    name = entry.get("name")
    if name is not None and not isinstance(name, str):
        raise ValueError(f"name (版名) of page {stem} must be a string")
    return PageMeta(date, number, name, _positive(entry, "issue", "期号", stem))


def load_pages_meta(path: Path) -> dict[str, PageMeta]:
    """Page stem -> PageMeta as `pages.toml` states it; a missing file states nothing.

    Two pages of one date must not give different issue numbers (an issue is one day's paper)."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8-sig")
    data = plain_pages_toml(text)
    if data is None:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ArchiveError(f"invalid TOML: {exc}", path) from exc
    meta: dict[str, PageMeta] = {}
    issues: dict[dt.date, tuple[int, str]] = {}
    for stem, entry in data.items():
        try:
            meta[stem] = _page_meta(stem, entry)
            date, issue = (meta[stem].date or stem_meta(stem).date), meta[stem].issue
            if date is not None and issue is not None:
                first = issues.setdefault(date, (issue, stem))
                if first[0] != issue:
                    raise ValueError(f"issue (期号) {issue} of page {stem} differs from issue {first[0]} "
                                     f"of page {first[1]}, of the same date {date.isoformat()}")
        except ValueError as exc:
            # Line numbers are looked up only for the error: scanning per stem is quadratic.
            raise ArchiveError(str(exc), path, _line_of(text, stem),
                               hint="keys: " + ", ".join(KEYS)) from exc
    return meta


# The lines of a pages.toml as ingest writes it and editors touch it: a table per page, keys
# with a date, an integer or a string without escapes (see plain_pages_toml).
_TABLE_LINE = re.compile(r'\s*\[\s*(?:([A-Za-z0-9_-]+)|"([^"\\\x00-\x1f\x7f]*)")\s*\]\s*')
_VALUE_LINE = re.compile(r'\s*([A-Za-z0-9_-]+)\s*=\s*(?:(\d{4})-(\d{2})-(\d{2})|([+-]?(?:0|[1-9]\d*))'
                         r'|"([^"\\\x00-\x1f\x7f]*)")\s*')


def plain_pages_toml(text: str) -> dict[str, dict] | None:
    """`text` read as tomllib reads it, when every line is a comment, a blank, a page's table
    header or a key with a date, an integer or a string without escapes; None when any line is
    anything else (then tomllib reads it, and reports what is wrong).

    tomllib, pure Python, takes most of a second over the 17,000 pages of 100,000 articles,
    in every build; these few shapes are all that ingest writes."""
    data: dict[str, dict] = {}
    table: dict | None = None
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        found = _TABLE_LINE.fullmatch(line)
        if found:
            name = found.group(1) if found.group(1) is not None else found.group(2)
            if name in data:
                return None
            table = data[name] = {}
            continue
        found = _VALUE_LINE.fullmatch(line)
        if not found or table is None or found.group(1) in table:
            return None
        key, year, month, day, number, string = found.groups()
        if year is not None:
            try:
                table[key] = dt.date(int(year), int(month), int(day))
            except ValueError:
                return None
        elif number is not None:
            table[key] = int(number)
        else:
            table[key] = string
    return data


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What the build knows of a printed page: date, number (版次), name (版名), issue (期号)."""

    date: str | None
    number: int | None
    name: str | None
    issue: int | None = None

    @classmethod
    def of(cls, meta: PageMeta) -> "PageInfo":
        """The build's view of `meta`."""
        return cls(meta.date.isoformat() if meta.date else None, meta.number, meta.name, meta.issue)


def load_page_info(content_dir: Path) -> dict[str, PageInfo]:
    """Page metadata from the optional `content/pages.toml` (ingest copies it from seeds/)."""
    return {stem: PageInfo.of(meta) for stem, meta in load_pages_meta(content_dir / PAGES_FILE).items()}


def known_page_info(stem: str, table: dict[str, PageInfo]) -> PageInfo | None:
    """Everything known of page `stem` (its `pages.toml` entry completed by its file name);
    None when nothing is."""
    named = stem_meta(stem)
    listed = table.get(stem)
    if listed is None:
        return PageInfo.of(named) if named.date else None
    date = listed.date or (named.date.isoformat() if named.date else None)
    number = listed.number if listed.number is not None else named.number
    return PageInfo(date, number, listed.name, listed.issue)
