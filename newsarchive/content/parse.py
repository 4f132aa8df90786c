"""Parse one content file into an Article: front matter checked key by key, every error kept.

Every problem becomes an `ArchiveError` naming the file and the line of the offending key, and
all problems of a build are collected (not just the first), so an editor fixes them in one pass.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

from ..errors import EXCERPT_CHARS, ArchiveError, excerpt
from ..text.controls import describe, first_forbidden
from ..vocab import Vocabulary
from .article import KEYS, KINDS, TEXT_KEYS, Article, content_hash, join_paragraphs, split_paragraphs, summarize
from .frontmatter import DATE_RE, key_lines, load_yaml, split_front_matter

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
PAGE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def parse_article(path: Path, data: bytes, vocab: Vocabulary,
                  digest: str | None = None) -> Article | list[ArchiveError]:
    """The article in `data` (the bytes of `path`, hashing to `digest`), or every error in it."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [ArchiveError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path,
                             hint="save the file as UTF-8")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    forbidden = first_forbidden(text)
    if forbidden is not None:
        line, column, char = forbidden
        return [ArchiveError(f"holds the control character {describe(char)} (column {column})", path, line,
                             hint="delete it: articles hold no control characters but tab and newline")]
    split = split_front_matter(path, text)
    if isinstance(split, ArchiveError):
        return [split]
    front, body = split
    fields = load_yaml(path, front)
    if isinstance(fields, ArchiveError):
        return [fields]
    checker = _FieldChecker(path, key_lines(front), vocab)
    values = checker.check(fields)
    if checker.errors:
        return checker.errors
    paragraphs = split_paragraphs(body)
    if not paragraphs:
        return [ArchiveError("the article has no text after its front matter", path, front.count("\n") + 3,
                             hint="write its paragraphs below this '---' line, or delete the file "
                                  "to remove the article")]
    return Article(path=str(path), body=join_paragraphs(paragraphs), summary=summarize(paragraphs),
                   content_hash=digest or content_hash(data), slug_line=checker.line("slug"), **values)


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
        terms = tuple((key, names) for key in self.taxonomy_keys() if (names := self._terms(fields, key)))
        return {
            "terms": terms,
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

    def taxonomy_keys(self) -> tuple[str, ...]:
        """The list keys the archive's taxonomies add to the content format (organisations …)."""
        return tuple(key for taxonomy in self.vocab.taxonomies for key in taxonomy.fields if key not in KEYS)

    def _terms(self, fields: dict, key: str) -> tuple[str, ...]:
        """The names of a taxonomy's own key; with a vocabulary, only names it knows."""
        names = self._list(fields, key)
        taxonomy = next(t for t in self.vocab.taxonomies if key in t.fields)
        known = {"districts": self.vocab.district_by_name, "tags": self.vocab.tag_by_term}.get(taxonomy.vocabulary)
        if known is None:
            return names
        for name in names:
            if name not in known:
                self.fail(key, f"unknown {taxonomy.name} {excerpt(name)}",
                          hint=f"use one of: {' '.join(list(known)[:40])}")
        return tuple(n for n in names if n in known)

    def _check_keys(self, fields: dict) -> None:
        """Refuse unknown and repeated keys (a typo would otherwise silently drop a value)."""
        keys = (*KEYS, *self.taxonomy_keys())
        for key in fields:
            if key not in keys:
                close = difflib.get_close_matches(str(key), keys, n=1) if len(str(key)) < 40 else []
                hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(keys)
                self.fail(str(key), f"unknown key {excerpt(key)}", hint)
        for key, lines in self.key_lines.items():
            if len(lines) > 1:
                self.errors.append(ArchiveError(f"key {excerpt(key)} is set twice (also on line {lines[0]})",
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
            self.fail("kind", f"kind must be one of {', '.join(KINDS)}, not {excerpt(value)}")
            return "news"
        return value

    def _list(self, fields: dict, key: str) -> tuple[str, ...]:
        """A list of text items; a bare string or a mapping is an error, not a one-item list."""
        value = fields.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            short = isinstance(value, str) and len(value) <= EXCERPT_CHARS and value.isprintable()
            self.fail(key, f"'{key}' must be a list, not {_type_name(value)}",
                      hint=f"write {key}: [{value if short else '…'}]")
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
            if name not in self.vocab.district_by_name:
                self.fail("districts", f"unknown district {excerpt(name)}", hint=self._district_hint(name))
        return tuple(n for n in names if n in self.vocab.district_by_name)

    def _district_hint(self, name: str) -> str:
        """Which canonical name was probably meant, and the full list."""
        everything = "use one of: " + " ".join(self.vocab.district_by_name)
        for district in self.vocab.districts:
            if name in (district.short, *district.aliases) or name == district.short + "区":
                return f"did you mean '{district.name}'? {everything}"
        return everything

    def _tags(self, fields: dict) -> tuple[str, ...]:
        """Terms from the controlled vocabulary; an alias is pointed to its term."""
        terms = self._list(fields, "tags")
        for term in terms:
            if term not in self.vocab.tag_by_term:
                self.fail("tags", f"unknown tag {excerpt(term)}", hint=self._tag_hint(term))
        return tuple(t for t in terms if t in self.vocab.tag_by_term)

    def _tag_hint(self, term: str) -> str:
        """The term an alias belongs to, or where new terms are added."""
        where = "tags must be terms from newsarchive/data/tags.toml; add new topics there"
        for tag in self.vocab.tags:
            if term in tag.aliases or term in tag.title_only or term == tag.slug:
                return f"did you mean '{tag.term}'? {where}"
        close = difflib.get_close_matches(term, list(self.vocab.tag_by_term), n=1) if len(term) < 40 else []
        return f"did you mean '{close[0]}'? {where}" if close else where

    def _page(self, fields: dict) -> str:
        """The seed page stem, safe to use as a path segment."""
        page = self._text(fields, "page")
        if page and not PAGE_RE.fullmatch(page):
            self.fail("page", f"page {excerpt(page)} must be a seed page stem (letters, digits, '_', '-')")
            return ""
        return page

    def _position(self, fields: dict) -> int:
        """Order on the page, from 1 (1 when absent)."""
        value = fields.get("position", 1)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail("position", f"position must be a whole number from 1, not {excerpt(value)}")
            return 1
        return value

    def _slug(self, fields: dict) -> str:
        """The article's URL slug: lower-case pinyin words joined with '-'."""
        slug = self._text(fields, "slug", required=True)
        if slug and not SLUG_RE.fullmatch(slug):
            self.fail("slug", f"slug {excerpt(slug)} may only hold a-z, 0-9 and single '-' between words",
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
        self.fail("date", f"date must be a real day written YYYY-MM-DD, not {excerpt(value)}",
                  hint="omit the key when the date is not known")
        return None


def _type_name(value: object) -> str:
    """How an editor would call a YAML value's type."""
    if isinstance(value, str):
        return f"the text {excerpt(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value)"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {excerpt(value)}"
