"""The archive's controlled vocabularies: the 17 districts and the tag list (data/*.toml)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import ArchiveError

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class District:
    """One of the 17 districts: canonical name, fixed slug, short form, other names."""

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


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ArchiveError(f"cannot read vocabulary: {exc}", path) from exc


@lru_cache(maxsize=None)
def load_districts(path: Path = DATA_DIR / "districts.toml") -> tuple[District, ...]:
    """The districts in display order."""
    return tuple(District(d["name"], d["slug"], d["short"], bool(d.get("short_alone", False)),
                          tuple(d.get("aliases", ())))
                 for d in _read_toml(path)["district"])


@lru_cache(maxsize=None)
def load_tags(path: Path = DATA_DIR / "tags.toml") -> tuple[Tag, ...]:
    """The tag vocabulary in file order; refuses duplicate terms, slugs or aliases."""
    tags = tuple(Tag(t["term"], t["slug"], tuple(t.get("aliases", ())), tuple(t.get("title_only", ())))
                 for t in _read_toml(path)["tag"])
    seen: dict[str, str] = {}
    for tag in tags:
        for key in (tag.term, tag.slug, *tag.aliases, *tag.title_only):
            if key in seen and seen[key] != tag.term:
                raise ArchiveError(f"'{key}' is used by both '{seen[key]}' and '{tag.term}'", path,
                                   hint="each term, alias and slug may belong to one tag only")
            seen[key] = tag.term
    return tags


def district_by_name() -> dict[str, District]:
    """Canonical district name -> District."""
    return {d.name: d for d in load_districts()}


def tag_by_term() -> dict[str, Tag]:
    """Published tag term -> Tag."""
    return {t.term: t for t in load_tags()}
