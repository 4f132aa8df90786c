"""Load and validate `content/*.md`: YAML front matter between `---` lines, then Markdown paragraphs.

Every problem becomes an `ArchiveError` naming the file and the line of the offending key, and
all problems of a build are collected (not just the first), so an editor fixes them in one pass.
"""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import html
import multiprocessing
import os
import re
from dataclasses import dataclass, fields as dataclass_fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import ArchiveError
from .vocab import District, Tag, load_districts, load_tags

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


class _YamlLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader, except that a date that does not exist (2024-02-30) stays text, so
    that validation can report it on its line instead of PyYAML failing without one."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    """A YAML timestamp, or its text when it names no real day or time."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

KINDS = ("news", "photo")
LIST_KEYS = ("reporters", "correspondents", "photographers", "districts", "tags")
TEXT_KEYS = ("kicker", "subtitle", "rubric", "section", "source")
KEYS = ("title", *TEXT_KEYS, "kind", *LIST_KEYS, "page", "position", "slug", "date")
SUMMARY_CHARS = 80
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
PAGE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KEY_LINE_RE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:")
_BLOCK_SPLIT_RE = re.compile(r"\n[ \t\u3000]*\n")


@dataclass(frozen=True, slots=True)
class Article:
    """One article as its content file states it, validated (plain data, no HTML)."""

    path: str                      # the content file, as the editor would open it
    slug: str
    title: str
    kicker: str
    subtitle: str
    rubric: str
    section: str
    kind: str
    reporters: tuple[str, ...]
    correspondents: tuple[str, ...]
    photographers: tuple[str, ...]
    source: str                    # the publication a reprint is taken from
    districts: tuple[str, ...]
    tags: tuple[str, ...]
    page: str                      # seed page stem; "" when the article belongs to no page
    position: int
    date: str | None               # ISO date, only when known
    body: str                      # Markdown paragraphs joined with "\n" (see join_paragraphs)
    summary: str                   # plain text opening for list pages
    content_hash: str
    slug_line: int                 # where the slug is set, for the duplicate-slug error

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The body's Markdown paragraphs."""
        return split_body(self.body)

    def credits(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The byline roles as printed (记者, 通讯员, 摄影) with the people in each."""
        return (("记者", self.reporters), ("通讯员", self.correspondents), ("摄影", self.photographers))

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone credited, each name once, in byline order."""
        return tuple(dict.fromkeys((*self.reporters, *self.correspondents, *self.photographers)))


@dataclass(frozen=True)
class Vocabulary:
    """The names front matter may use for districts and tags."""

    districts: dict[str, District]
    tags: dict[str, Tag]

    @classmethod
    def load(cls) -> "Vocabulary":
        """The archive's districts and tag list from newsarchive/data/."""
        return cls({d.name: d for d in load_districts()}, {t.term: t for t in load_tags()})


# Every field of an article but its body and the hash of its file: all that pages other than
# the article's own page (and the feed) show of it. See builder.SiteBuild.body_edits.
ARTICLE_FIELDS = tuple(f.name for f in dataclass_fields(Article))
OUTLINE_FIELDS = tuple(name for name in ARTICLE_FIELDS if name not in ("body", "content_hash"))


# What places an article in the site: its URL, its place in the newest-first list, and the
# lists, newspaper page and groups it belongs to. Other outline fields (headline group,
# summary, kind, source …) only change how it is shown. See builder.SiteBuild.outline_edits.
PLACEMENT_FIELDS = ("path", "slug", "date", "page", "position", "districts", "tags",
                    "reporters", "correspondents", "photographers", "rubric")


def fields_hash(article: Article, names: tuple[str, ...]) -> str:
    """A hash of the article's fields `names`."""
    text = repr(tuple([getattr(article, name) for name in names])).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=16).hexdigest()


def content_hash(data: bytes) -> str:
    """A stable hash of a content file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def parse_article(path: Path, data: bytes, vocab: Vocabulary,
                  digest: str | None = None) -> Article | list[ArchiveError]:
    """The article in `data` (the bytes of `path`, hashing to `digest`), or every error in it."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [ArchiveError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path,
                             hint="save the file as UTF-8")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    split = _split_front_matter(path, text)
    if isinstance(split, ArchiveError):
        return [split]
    front, body = split
    fields = _load_yaml(path, front)
    if isinstance(fields, ArchiveError):
        return [fields]
    checker = _FieldChecker(path, _key_lines(front), vocab)
    values = checker.check(fields)
    if checker.errors:
        return checker.errors
    paragraphs = split_paragraphs(body)
    return Article(path=str(path), body=join_paragraphs(paragraphs), summary=summarize(paragraphs),
                   content_hash=digest or content_hash(data), slug_line=checker.line("slug"), **values)


def _split_front_matter(path: Path, text: str) -> tuple[str, str] | ArchiveError:
    """The front matter and the body, split at the `---` lines."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return ArchiveError("missing front matter: the file must start with a line '---'", path, 1,
                            hint="then 'title: …', 'slug: …' and a closing '---'")
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() == "---":
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1:])
    return ArchiveError("front matter is not closed: no second '---' line", path, 1)


def _load_yaml(path: Path, front: str) -> dict | ArchiveError:
    """The front matter as a mapping; the YAML error's own line when it does not parse."""
    fields = simple_front_matter(front)
    if fields is not None:
        return fields
    try:
        fields = yaml.load(front, Loader=_YamlLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2  # +1 for 1-based, +1 for the '---' line
        problem = getattr(exc, "problem", None) or str(exc)
        return ArchiveError(f"invalid YAML: {problem}", path, line,
                            hint="quote values that contain ':' or start with '[', '{', '*' or '&'")
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        return ArchiveError("front matter must be 'key: value' lines", path, 2)
    return fields


# --- A fast path for the front matter ingest writes ---------------------------------------
# PyYAML costs ~0.25 ms per file, most of a 100,000-article build's loading time. Ingest writes
# a tiny subset of YAML (`key: plain scalar` and `key: [a, b]`); `simple_front_matter` reads
# exactly that subset, resolving scalars with PyYAML's own resolver, and returns None for
# anything else, which then goes to PyYAML. tests/test_site_errors.py checks both agree.

_SIMPLE_LINE_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_INT_RE = re.compile(r"0|[1-9][0-9]*")
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
_NOT_SIMPLE = object()


def simple_front_matter(front: str) -> dict | None:
    """The front matter if it is in the simple subset ingest writes, else None."""
    fields: dict[str, Any] = {}
    for line in front.split("\n"):
        if not line or line.startswith("#"):
            continue
        match = _SIMPLE_LINE_RE.fullmatch(line.rstrip(" "))
        if match is None or match.group(1) in fields:
            return None
        value = _simple_value(match.group(2) or "")
        if value is _NOT_SIMPLE:
            return None
        fields[match.group(1)] = value
    return fields


def _simple_value(raw: str) -> Any:
    """A value: nothing, a flow list of plain words, a quoted or a plain scalar."""
    if raw == "":
        return None
    if not raw.isprintable():
        return _NOT_SIMPLE
    if raw[0] == "[":
        if raw[-1] != "]":
            return _NOT_SIMPLE
        inner = raw[1:-1].strip()
        if not inner:
            return []
        items = [_plain_scalar(item.strip(), flow=True) for item in inner.split(",")]
        return _NOT_SIMPLE if any(item is _NOT_SIMPLE for item in items) else items
    if raw[0] in "\"'":
        quote = raw[0]
        inner = raw[1:-1]
        if len(raw) < 2 or raw[-1] != quote or quote in inner or "\\" in inner:
            return _NOT_SIMPLE
        return inner
    return _plain_scalar(raw, flow=False)


@lru_cache(maxsize=1 << 16)  # names, districts and tags repeat across thousands of files
def _plain_scalar(text: str, flow: bool) -> Any:
    """An unquoted scalar as YAML reads it: text, a whole number or a date; else _NOT_SIMPLE."""
    if not text or text[0] in _INDICATORS or ": " in text or " #" in text or text.endswith(":"):
        return _NOT_SIMPLE
    if flow and any(c in text for c in ",[]{}:#"):
        return _NOT_SIMPLE
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    if tag == _STR_TAG:
        return text
    if tag.endswith(":int") and _INT_RE.fullmatch(text) and not flow:
        return int(text)
    if tag.endswith(":timestamp") and DATE_RE.fullmatch(text) and not flow:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return _NOT_SIMPLE
    return _NOT_SIMPLE


def _key_lines(front: str) -> dict[str, list[int]]:
    """File line numbers of each top-level key (a key may wrongly appear twice)."""
    lines: dict[str, list[int]] = {}
    for number, line in enumerate(front.split("\n"), start=2):
        match = _KEY_LINE_RE.match(line)
        if match:
            lines.setdefault(match.group(1), []).append(number)
    return lines


class _FieldChecker:
    """Validates front matter fields one key at a time, collecting errors with their lines."""

    def __init__(self, path: Path, key_lines: dict[str, list[int]], vocab: Vocabulary) -> None:
        self.path = path
        self.key_lines = key_lines
        self.vocab = vocab
        self.errors: list[ArchiveError] = []

    def line(self, key: str) -> int:
        """The line of `key` (the front matter's first line when it is absent)."""
        return self.key_lines.get(key, [2])[0]

    def fail(self, key: str, message: str, hint: str | None = None) -> None:
        """Record one error at the line of `key`."""
        self.errors.append(ArchiveError(message, self.path, self.line(key), hint))

    def check(self, fields: dict) -> dict[str, Any]:
        """The validated values for Article's front matter fields."""
        self._check_keys(fields)
        return {
            "title": self._text(fields, "title", required=True),
            **{key: self._text(fields, key) for key in TEXT_KEYS},
            "kind": self._kind(fields),
            "reporters": self._names(fields, "reporters"),
            "correspondents": self._names(fields, "correspondents"),
            "photographers": self._names(fields, "photographers"),
            "districts": self._districts(fields),
            "tags": self._tags(fields),
            "page": self._page(fields),
            "position": self._position(fields),
            "slug": self._slug(fields),
            "date": self._date(fields),
        }

    def _check_keys(self, fields: dict) -> None:
        """Refuse unknown and repeated keys (a typo would otherwise silently drop a value)."""
        for key in fields:
            if key not in KEYS:
                close = difflib.get_close_matches(str(key), KEYS, n=1)
                hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(KEYS)
                self.fail(str(key), f"unknown key '{key}'", hint)
        for key, lines in self.key_lines.items():
            if len(lines) > 1:
                self.errors.append(ArchiveError(f"key '{key}' is set twice (also on line {lines[0]})",
                                                self.path, lines[1]))

    def _text(self, fields: dict, key: str, required: bool = False) -> str:
        """A one-line text value; "" when absent."""
        value = fields.get(key)
        if value is None or value == "":
            if required:
                self.fail(key, f"missing '{key}'" if key not in fields else f"'{key}' is empty",
                          hint=f"add a line '{key}: …' to the front matter")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(key, f"'{key}' must be text, not {_type_name(value)}",
                      hint=f"write {key}: \"…\" with quotes")
            return ""
        return str(value).strip()

    def _kind(self, fields: dict) -> str:
        """'news' (the default) or 'photo'."""
        value = fields.get("kind", "news")
        if value not in KINDS:
            self.fail("kind", f"kind must be one of {', '.join(KINDS)}, not {value!r}")
            return "news"
        return value

    def _list(self, fields: dict, key: str) -> tuple[str, ...]:
        """A list of text items; a bare string or a mapping is an error, not a one-item list."""
        value = fields.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(key, f"'{key}' must be a list, not {_type_name(value)}",
                      hint=f"write {key}: [{value if isinstance(value, str) else '…'}]")
            return ()
        items = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, (str, int)) or str(item).strip() == "":
                self.fail(key, f"'{key}' items must be text, found {_type_name(item)}")
                continue
            items.append(str(item).strip())
        return tuple(dict.fromkeys(items))

    def _names(self, fields: dict, key: str) -> tuple[str, ...]:
        """People's names for one byline role."""
        return self._list(fields, key)

    def _districts(self, fields: dict) -> tuple[str, ...]:
        """Canonical district names; short forms and aliases are pointed to their canonical name."""
        names = self._list(fields, "districts")
        for name in names:
            if name not in self.vocab.districts:
                self.fail("districts", f"unknown district '{name}'", hint=self._district_hint(name))
        return tuple(n for n in names if n in self.vocab.districts)

    def _district_hint(self, name: str) -> str:
        """Which canonical name was probably meant, and the full list."""
        everything = "use one of: " + " ".join(self.vocab.districts)
        for district in self.vocab.districts.values():
            if name in (district.short, *district.aliases) or name == district.short + "区":
                return f"did you mean '{district.name}'? {everything}"
        return everything

    def _tags(self, fields: dict) -> tuple[str, ...]:
        """Terms from the controlled vocabulary; an alias is pointed to its term."""
        terms = self._list(fields, "tags")
        for term in terms:
            if term not in self.vocab.tags:
                self.fail("tags", f"unknown tag '{term}'", hint=self._tag_hint(term))
        return tuple(t for t in terms if t in self.vocab.tags)

    def _tag_hint(self, term: str) -> str:
        """The term an alias belongs to, or where new terms are added."""
        where = "tags must be terms from newsarchive/data/tags.toml; add new topics there"
        for tag in self.vocab.tags.values():
            if term in tag.aliases or term in tag.title_only or term == tag.slug:
                return f"did you mean '{tag.term}'? {where}"
        close = difflib.get_close_matches(term, list(self.vocab.tags), n=1)
        return f"did you mean '{close[0]}'? {where}" if close else where

    def _page(self, fields: dict) -> str:
        """The seed page stem, safe to use as a path segment."""
        page = self._text(fields, "page")
        if page and not PAGE_RE.fullmatch(page):
            self.fail("page", f"page '{page}' must be a seed page stem (letters, digits, '_', '-')")
            return ""
        return page

    def _position(self, fields: dict) -> int:
        """Order on the page, from 1 (1 when absent)."""
        value = fields.get("position", 1)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail("position", f"position must be a whole number from 1, not {value!r}")
            return 1
        return value

    def _slug(self, fields: dict) -> str:
        """The article's URL slug: lower-case pinyin words joined with '-'."""
        slug = self._text(fields, "slug", required=True)
        if slug and not SLUG_RE.fullmatch(slug):
            self.fail("slug", f"slug '{slug}' may only hold a-z, 0-9 and single '-' between words",
                      hint="e.g. chao-yang-qu-ju-ban-bo-lan-hui")
        return slug

    def _date(self, fields: dict) -> str | None:
        """The ISO date, or None when the date is not known."""
        value = fields.get("date")
        if value is None:
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, str) and DATE_RE.fullmatch(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        self.fail("date", f"date must be a real day written YYYY-MM-DD, not {value!r}",
                  hint="omit the key when the date is not known")
        return None


def _type_name(value: object) -> str:
    """How an editor would call a YAML value's type."""
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value)"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


def split_paragraphs(body: str) -> tuple[str, ...]:
    """The body's paragraphs: blocks separated by blank lines, trimmed."""
    blocks = (block.strip() for block in _BLOCK_SPLIT_RE.split(body))
    return tuple(block for block in blocks if block)


# An article's body is kept as one string, the paragraphs joined with "\n": the form search
# indexes, so the text is held once however many parts of the build read it. A line break inside
# a paragraph (rare: Markdown lists, hard-wrapped lines) is kept as U+2028 LINE SEPARATOR.
_INNER_BREAK = "\u2028"


def join_paragraphs(paragraphs: tuple[str, ...]) -> str:
    """The body string of `paragraphs`."""
    return "\n".join(p.replace("\n", _INNER_BREAK) for p in paragraphs)


def split_body(body: str) -> tuple[str, ...]:
    """The paragraphs of a body string (the inverse of join_paragraphs)."""
    return tuple(p.replace(_INNER_BREAK, "\n") for p in body.split("\n") if p)


def summarize(paragraphs: tuple[str, ...], limit: int = SUMMARY_CHARS) -> str:
    """The opening of the text, at most `limit` characters, ending in '…' when cut."""
    text = " ".join(" ".join(p.split()) for p in paragraphs[:3])
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


# --- Markdown -----------------------------------------------------------------------------
# Article text is untrusted: raw HTML, links and images are switched off, and &, <, > are
# escaped before Markdown sees them, so `<script>` or `&lt;` shows as the characters typed.

_PLAIN_RE = re.compile(r"(?!\d+\.\s)[^\s#>+=*_\-\\`\[\]<&\x00-\x1f][^\\`*_\[\]<>&\x00-\x1f]*")
_UNSAFE_INLINE = ("reference", "link", "image_link", "image_reference", "short_reference",
                  "short_image_ref", "autolink", "automail", "html")


@lru_cache(maxsize=1)
def _markdown():
    """The Markdown converter without raw HTML, links or images (made on first use)."""
    import markdown  # most bodies never need it (see render_body), so it is imported late

    md = markdown.Markdown()
    for name in _UNSAFE_INLINE:
        md.inlinePatterns.deregister(name)
    md.parser.blockprocessors.deregister("reference")
    md.preprocessors.deregister("html_block")
    return md


def render_body(paragraphs: tuple[str, ...]) -> str:
    """The body as HTML, one <p> per paragraph; Markdown markup applies, raw HTML does not."""
    # Newspaper paragraphs are almost always plain text, for which Markdown's output is exactly
    # <p>text</p>; skipping the converter for them keeps 100,000-article builds fast.
    if all(_PLAIN_RE.fullmatch(p) for p in paragraphs):
        return "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return markdown_html(paragraphs)


def markdown_html(paragraphs: tuple[str, ...]) -> str:
    """The body through the restricted Markdown converter (no shortcut)."""
    source = "\n\n".join(html.escape(p, quote=False) for p in paragraphs)
    converter = _markdown()
    converter.reset()
    return converter.convert(source)


# --- Loading a content directory ----------------------------------------------------------

PARALLEL_MIN_FILES = 200   # below this, starting worker processes costs more than it saves
CHUNK_FILES = 250


@dataclass(frozen=True, slots=True)
class CachedFile:
    """A content file's parse, valid while the file's stat (or, failing that, its hash) holds."""

    mtime_ns: int
    size: int
    hash: str
    article: Article
    outline: str = ""      # hash of the article's outline (see OUTLINE_FIELDS)
    placement: str = ""    # hash of where the article is placed (see PLACEMENT_FIELDS)

    def row(self) -> tuple:
        """Plain values for the cache file (see from_row)."""
        article = self.article
        return (self.mtime_ns, self.size, self.hash, self.outline, self.placement,
                tuple([getattr(article, name) for name in ARTICLE_FIELDS]))

    @classmethod
    def from_row(cls, row: tuple) -> "CachedFile":
        """The CachedFile that `row` was made from."""
        mtime_ns, size, digest, outline, placement, values = row
        return cls(mtime_ns, size, digest, Article(*values), outline, placement)

    @classmethod
    def of(cls, mtime_ns: int, size: int, digest: str, article: Article) -> "CachedFile":
        """A fresh parse with its outline and placement hashes."""
        return cls(mtime_ns, size, digest, article, fields_hash(article, OUTLINE_FIELDS),
                   fields_hash(article, PLACEMENT_FIELDS))


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What `content/pages.toml` says of a printed page: date, number (版次), name (版名)."""

    date: str | None
    number: int | None
    name: str | None


PAGES_FILE = "pages.toml"


@dataclass
class ContentLoad:
    """The outcome of loading `content/`: valid articles, every error, and what to cache."""

    articles: list[Article]
    errors: list[ArchiveError]
    files: dict[str, CachedFile]
    parsed: int
    pages: dict[str, PageInfo]


def load_page_info(content_dir: Path) -> dict[str, PageInfo]:
    """Page metadata from the optional `content/pages.toml` (ingest copies it from seeds/)."""
    # One reader for one format: the ingest stage's, which validates it with file and line.
    from .ingest.pages_meta import load_pages_meta

    return {stem: PageInfo(meta.date.isoformat() if meta.date else None, meta.number, meta.name)
            for stem, meta in load_pages_meta(content_dir / PAGES_FILE).items()}


def load_content(content_dir: Path, cached: dict[str, CachedFile], jobs: int,
                 vocab: Vocabulary | None = None,
                 stats: list[tuple[str, int, int]] | None = None) -> ContentLoad:
    """Every `*.md` in `content_dir`, reusing `cached` parses of files whose stat is unchanged
    (`stats`: the folder's scan_content, when the caller has it already)."""
    if not content_dir.is_dir():
        raise ArchiveError("content directory not found", content_dir,
                           hint="run `python build.py ingest` first, or pass --content DIR")
    vocab = vocab or Vocabulary.load()
    files: dict[str, CachedFile] = {}
    todo: list[tuple[str, int, int, str | None]] = []
    for name, mtime_ns, size in scan_content(content_dir) if stats is None else stats:
        if name == PAGES_FILE:
            continue
        old = cached.get(name)
        if old is not None and (old.mtime_ns, old.size) == (mtime_ns, size):
            files[name] = old
        else:
            todo.append((name, mtime_ns, size, old.hash if old is not None else None))
    stats = {name: (mtime_ns, size) for name, mtime_ns, size, _ in todo}
    errors: list[ArchiveError] = []
    for name, outcome in _parse_all(content_dir, todo, jobs, vocab):
        if isinstance(outcome, CachedFile):
            files[name] = outcome
        elif outcome is None:  # touched but byte-identical: keep the old parse with the new stat
            mtime_ns, size = stats[name]
            old = cached[name]
            files[name] = CachedFile(mtime_ns, size, old.hash, old.article, old.outline, old.placement)
        else:
            errors.extend(outcome)
    pages: dict[str, PageInfo] = {}
    try:
        pages = load_page_info(content_dir)
    except ArchiveError as exc:
        errors.append(exc)
    articles = [files[name].article for name in sorted(files)]
    errors.sort(key=lambda e: (str(e.path), e.line or 0))
    return ContentLoad(articles, errors, files, len(todo), pages)


def scan_content(content_dir: Path) -> list[tuple[str, int, int]]:
    """(name, mtime_ns, size) of each Markdown file and of pages.toml, in name order."""
    found = []
    with os.scandir(content_dir) as entries:
        for entry in entries:
            wanted = entry.name.endswith(".md") or entry.name == PAGES_FILE
            if wanted and not entry.name.startswith(".") and entry.is_file():
                st = entry.stat()
                found.append((entry.name, st.st_mtime_ns, st.st_size))
    return sorted(found)


def _parse_all(content_dir: Path, todo: list[tuple[str, int, int, str | None]], jobs: int,
               vocab: Vocabulary) -> list[tuple[str, CachedFile | None | list[ArchiveError]]]:
    """Parse the files in `todo`, in worker processes when there are many."""
    tasks = [(content_dir, name, mtime_ns, size, old_hash, vocab)
             for name, mtime_ns, size, old_hash in todo]
    if jobs <= 1 or len(tasks) < PARALLEL_MIN_FILES:
        return [_parse_one(task) for task in tasks]
    chunks = [tasks[i:i + CHUNK_FILES] for i in range(0, len(tasks), CHUNK_FILES)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return [(name, CachedFile.from_row(outcome) if isinstance(outcome, tuple) else outcome)
                for chunk in pool.imap(_parse_chunk, chunks) for name, outcome in chunk]


def _parse_chunk(tasks: list[tuple]) -> list[tuple[str, tuple | None | list[ArchiveError]]]:
    """Parse several files in a worker process; parses travel back as rows (quicker to unpickle)."""
    results = []
    for name, outcome in map(_parse_one, tasks):
        results.append((name, outcome.row() if isinstance(outcome, CachedFile) else outcome))
    return results


def _parse_one(task: tuple) -> tuple[str, CachedFile | None | list[ArchiveError]]:
    """Read, hash and parse one file; None when its bytes hash to `old_hash`."""
    content_dir, name, mtime_ns, size, old_hash, vocab = task
    path = content_dir / name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return name, [ArchiveError(f"cannot read: {exc.strerror}", path)]
    digest = content_hash(data)
    if digest == old_hash:
        return name, None
    outcome = parse_article(path, data, vocab, digest)
    if isinstance(outcome, list):
        return name, outcome
    return name, CachedFile.of(mtime_ns, size, digest, outcome)
