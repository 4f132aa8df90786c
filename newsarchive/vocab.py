"""The archive's controlled vocabularies: the districts and the tag list (districts.toml,
tags.toml, the archive's own or the engine's)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .archive import DataFiles
from .errors import ArchiveError

DISTRICTS_FILE = "districts.toml"
TAGS_FILE = "tags.toml"


@dataclass(frozen=True)
class District:
    """One of the districts: canonical name, fixed slug, short form, other names."""

    name: str
    slug: str
    short: str
    short_alone: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tag:
    """One controlled tag: the term as published, its fixed pinyin slug, and aliases that mean it."""

    term: str
    slug: str
    aliases: tuple[str, ...] = ()
    title_only: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """The names front matter may use for districts and tags, read once per run (so an edit
    of a data file is seen by the next run, never hidden by a cache)."""

    districts: tuple[District, ...]
    tags: tuple[Tag, ...]
    district_by_name: dict[str, District] = field(init=False, repr=False, compare=False)
    tag_by_term: dict[str, Tag] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "district_by_name", {d.name: d for d in self.districts})
        object.__setattr__(self, "tag_by_term", {t.term: t for t in self.tags})

    @classmethod
    def read(cls, data: DataFiles | None = None) -> "Vocabulary":
        """The districts and tags in force for `data` (default: the engine's own)."""
        data = data or DataFiles()
        return cls(load_districts(data.path(DISTRICTS_FILE)), load_tags(data.path(TAGS_FILE)))


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ArchiveError(f"cannot read vocabulary: {exc}", path) from exc


def load_districts(path: Path) -> tuple[District, ...]:
    """The districts in display order."""
    try:
        return tuple(District(d["name"], d["slug"], d["short"], bool(d.get("short_alone", False)),
                              tuple(d.get("aliases", ())))
                     for d in _read_toml(path)["district"])
    except (KeyError, TypeError) as exc:
        raise ArchiveError(f"bad district entry: missing {exc}", path,
                           hint="each [[district]] needs name, slug and short") from exc


def load_tags(path: Path) -> tuple[Tag, ...]:
    """The tag vocabulary in file order; refuses duplicate terms, slugs or aliases."""
    try:
        tags = tuple(Tag(t["term"], t["slug"], tuple(t.get("aliases", ())), tuple(t.get("title_only", ())))
                     for t in _read_toml(path)["tag"])
    except (KeyError, TypeError) as exc:
        raise ArchiveError(f"bad tag entry: missing {exc}", path,
                           hint="each [[tag]] needs term and slug") from exc
    seen: dict[str, str] = {}
    for tag in tags:
        for key in (tag.term, tag.slug, *tag.aliases, *tag.title_only):
            if key in seen and seen[key] != tag.term:
                raise ArchiveError(f"'{key}' is used by both '{seen[key]}' and '{tag.term}'", path,
                                   hint="each term, alias and slug may belong to one tag only")
            seen[key] = tag.term
    return tags
