"""Site settings from `site.toml`, checked strictly: an unknown key or a value of the wrong type
is an error naming the file, the line and, for a misspelt key, the key that was meant."""
from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import MISSING, dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, get_type_hints

from .errors import ArchiveError, excerpt


@dataclass(frozen=True)
class Paging:
    """How many items list pages, the front page and the feed show."""

    articles_per_page: int = 20
    feed_entries: int = 50


@dataclass(frozen=True)
class SiteConfig:
    """The site's title, the newspaper it archives, language, base URL, theme and paging sizes."""

    title: str = "报纸档案"
    description: str = ""
    newspaper: str = ""          # 报纸名, for citations and schema.org; "" when not given
    language: str = "zh-CN"
    base_url: str = "http://localhost:8000/"
    theme: str = ""              # an engine theme's name or a theme folder (relative to the archive)
    paging: Paging = field(default_factory=Paging)

    def with_base_url(self, base_url: str | None) -> "SiteConfig":
        """This config with `base_url` overridden (normalised to end in '/')."""
        if not base_url:
            return self
        return replace(self, base_url=base_url.rstrip("/") + "/")


# Lower bounds of whole-number settings (a list page of 0 articles would never end).
_MINIMUM = {"articles_per_page": 1, "feed_entries": 0}
# Settings earlier versions read and this one does not: reported, never silently accepted.
_RETIRED = {("paging", "front_page_articles"): "the front page shows the latest edition whole; remove the line"}
_LANGUAGE_RE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_KEY_RE = re.compile(r"""\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*=""")
_TABLE_RE = re.compile(r"\s*\[\s*([A-Za-z0-9_.-]+)\s*\]")


def load_config(path: Path) -> SiteConfig:
    """Read `site.toml`; a missing file gives the defaults, a broken one an ArchiveError."""
    if not path.exists():
        return SiteConfig()
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise ArchiveError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path,
                           hint="save the file as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        raise ArchiveError(f"invalid TOML: {exc}", path, line) from exc
    except OSError as exc:
        raise ArchiveError(f"cannot read site settings: {exc.strerror}", path) from exc
    reader = _SettingsReader(path, text)
    config = reader.read(SiteConfig, data, ())
    if len(reader.errors) == 1:
        raise reader.errors[0]
    if reader.errors:
        raise ArchiveError("\n".join(str(e) for e in reader.errors))
    return config.with_base_url(config.base_url)


def _line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


class _SettingsReader:
    """Turns the TOML tables into the settings dataclasses, one error per bad key."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.errors: list[ArchiveError] = []

    def read(self, cls: type, data: dict[str, Any], table: tuple[str, ...]) -> Any:
        """An instance of the dataclass `cls` from the TOML table `data` (at `table`)."""
        known = {f.name: f for f in fields(cls)}
        hints = get_type_hints(cls)
        values: dict[str, Any] = {}
        for key, value in data.items():
            if (*table, key) in _RETIRED:
                self._fail(table, key, f"'{'.'.join((*table, key))}' is no longer used",
                           hint=_RETIRED[(*table, key)])
                continue
            if key not in known:
                self._unknown(key, table, list(known))
                continue
            kind = hints[key]
            if is_dataclass(kind):
                if not isinstance(value, dict):
                    self._fail(table, key, f"'{key}' must be a table: [{key}] on a line of its own, then its keys")
                    continue
                values[key] = self.read(kind, value, (*table, key))
            elif kind is int:
                if isinstance(value, bool) or not isinstance(value, int):
                    self._fail(table, key, f"'{key}' must be a whole number, not {excerpt(value)}")
                elif value < _MINIMUM.get(key, 0):
                    self._fail(table, key, f"'{key}' must be at least {_MINIMUM.get(key, 0)}, not {value}")
                else:
                    values[key] = value
            elif not isinstance(value, str):
                self._fail(table, key, f"'{key}' must be text in quotes, not {excerpt(value)}")
            else:
                values[key] = self._check_text(table, key, value)
        for name, spec in known.items():
            if name not in values and spec.default is MISSING and spec.default_factory is MISSING:
                self._fail(table, name, f"missing '{name}'")
        return cls(**values)

    def _check_text(self, table: tuple[str, ...], key: str, value: str) -> str:
        """Check the settings whose text has a form of its own."""
        if key == "base_url" and not re.match(r"https?://[^/\s]+(/\S*)?$", value):
            self._fail(table, key, f"base_url must be an absolute http(s) URL, not {excerpt(value)}",
                       hint='e.g. base_url = "https://user.github.io/archive/"')
        if key == "language" and not _LANGUAGE_RE.fullmatch(value):
            self._fail(table, key, f"language must be a language tag such as zh-CN or en, not {excerpt(value)}")
        return value

    def _unknown(self, key: str, table: tuple[str, ...], known: list[str]) -> None:
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        where = f"[{'.'.join(table)}]" if table else "site.toml"
        hint = f"did you mean '{close[0]}'?" if close else f"keys of {where}: {', '.join(known)}"
        self._fail(table, key, f"unknown setting '{'.'.join((*table, key))}'", hint=hint)

    def _fail(self, table: tuple[str, ...], key: str, message: str, hint: str | None = None) -> None:
        self.errors.append(ArchiveError(message, self.path, self._line_of(table, key), hint))

    def _line_of(self, table: tuple[str, ...], key: str) -> int | None:
        """The line where `key` is set inside `table` (None when not found)."""
        current: tuple[str, ...] = ()
        for number, line in enumerate(self.lines, start=1):
            header = _TABLE_RE.match(line)
            if header:
                current = tuple(header.group(1).split("."))
                if current == (*table, key):
                    return number
                continue
            match = _KEY_RE.match(line)
            if match and current == table and key in match.groups():
                return number
        return None
