"""The archive's vocabularies: the districts, the tag list and the taxonomies (districts.toml,
tags.toml, taxonomies.toml, the archive's own or the engine's)."""
from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from .archive import DataFiles
from .errors import ArchiveError

DISTRICTS_FILE = "districts.toml"
TAGS_FILE = "tags.toml"
TAXONOMIES_FILE = "taxonomies.toml"


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
class Taxonomy:
    """One way articles are grouped (see data/taxonomies.toml for what each field means)."""

    key: str
    name: str
    fields: tuple[str, ...]
    roles: tuple[str, ...] = ()
    vocabulary: str = ""
    slugs: str = "pinyin"
    index: str = "letters"
    list_empty: bool = False
    article: str = "chips"
    front: str = "none"
    filter: bool = False
    search: bool = True
    related: int = 0
    schema: str = "none"


# The values a taxonomy's text settings may take (its key: any URL-safe word but these).
TAXONOMY_CHOICES = {"vocabulary": ("", "districts", "tags"), "slugs": ("pinyin", "person"),
                    "index": ("letters", "map", "none"), "article": ("chips", "byline", "rubric", "none"),
                    "front": ("map", "popular", "none"), "schema": ("author", "contentLocation", "about", "none")}
RESERVED_SECTIONS = ("articles", "pages", "editions", "search", "static", "page")
_TAXONOMY_KEY_RE = re.compile(r"[a-z][a-z0-9-]*")
_FIELD_RE = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Vocabulary:
    """The names front matter may use for districts and tags, read once per run (so an edit
    of a data file is seen by the next run, never hidden by a cache)."""

    districts: tuple[District, ...]
    tags: tuple[Tag, ...]
    taxonomies: tuple[Taxonomy, ...] = ()
    district_by_name: dict[str, District] = field(init=False, repr=False, compare=False)
    tag_by_term: dict[str, Tag] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "district_by_name", {d.name: d for d in self.districts})
        object.__setattr__(self, "tag_by_term", {t.term: t for t in self.tags})

    @classmethod
    def read(cls, data: DataFiles | None = None) -> "Vocabulary":
        """The districts and tags in force for `data` (default: the engine's own)."""
        data = data or DataFiles()
        return cls(load_districts(data.path(DISTRICTS_FILE)), load_tags(data.path(TAGS_FILE)),
                   load_taxonomies(data.path(TAXONOMIES_FILE)))

    def taxonomy(self, key: str) -> Taxonomy | None:
        """The taxonomy with URL section `key`, if there is one."""
        return next((t for t in self.taxonomies if t.key == key), None)


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


def load_taxonomies(path: Path) -> tuple[Taxonomy, ...]:
    """The taxonomies in file order, each checked: unknown settings, wrong types, unknown
    choices, clashing keys or fields are errors naming the file and line."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    entries = _read_toml(path).get("taxonomy", [])
    if not isinstance(entries, list):
        raise ArchiveError("taxonomies must be [[taxonomy]] tables", path)
    known = {f.name: f for f in fields(Taxonomy)}
    taxonomies: list[Taxonomy] = []
    for number, entry in enumerate(entries, start=1):
        line = _nth_table_line(text, "taxonomy", number)

        def fail(message: str, hint: str | None = None) -> ArchiveError:
            return ArchiveError(f"taxonomy {number}: {message}", path, line, hint)
        values = {}
        for key, value in entry.items():
            if key not in known:
                close = difflib.get_close_matches(key, list(known), n=1)
                raise fail(f"unknown setting '{key}'", f"did you mean '{close[0]}'?" if close else
                           "settings: " + ", ".join(known))
            default = known[key].default
            if key in ("fields", "roles"):
                if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                    raise fail(f"'{key}' must be a list of texts")
                value = tuple(value)
            elif isinstance(default, bool) or key in ("filter", "search", "list_empty"):
                if not isinstance(value, bool):
                    raise fail(f"'{key}' must be true or false")
            elif key == "related":
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise fail("'related' must be a whole number from 0")
            elif not isinstance(value, str):
                raise fail(f"'{key}' must be text in quotes")
            if key in TAXONOMY_CHOICES and value not in TAXONOMY_CHOICES[key]:
                raise fail(f"{key} = {value!r} is not one of {', '.join(map(repr, TAXONOMY_CHOICES[key]))}")
            values[key] = value
        for required in ("key", "name", "fields"):
            if required not in values:
                raise fail(f"missing '{required}'")
        taxonomy = Taxonomy(**values)
        if not _TAXONOMY_KEY_RE.fullmatch(taxonomy.key) or taxonomy.key in RESERVED_SECTIONS:
            raise fail(f"key {taxonomy.key!r} must be a lower-case word for its URLs, not one of "
                       + ", ".join(RESERVED_SECTIONS))
        if not taxonomy.fields or not all(_FIELD_RE.fullmatch(f) for f in taxonomy.fields):
            raise fail("fields must name front matter keys (lower-case words)")
        if taxonomy.roles and len(taxonomy.roles) != len(taxonomy.fields):
            raise fail("roles must name each of the fields")
        for other in taxonomies:
            if other.key == taxonomy.key:
                raise fail(f"the key '{taxonomy.key}' is used twice")
            shared = set(other.fields) & set(taxonomy.fields)
            if shared:
                raise fail(f"field '{shared.pop()}' belongs to taxonomy '{other.key}' already")
        taxonomies.append(taxonomy)
    return tuple(taxonomies)


def _nth_table_line(text: str, name: str, number: int) -> int | None:
    """The line of the `number`-th [[name]] header in `text`."""
    seen = 0
    for line_number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == f"[[{name}]]":
            seen += 1
            if seen == number:
                return line_number
    return None
