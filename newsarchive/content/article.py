"""An article as its content file states it: the fields, the body's paragraphs, hashes."""
from __future__ import annotations

import hashlib
import operator
import re
from dataclasses import dataclass, fields as dataclass_fields
from typing import Callable


KINDS = ("news", "photo")
LIST_KEYS = ("reporters", "correspondents", "photographers", "districts", "tags")
TEXT_KEYS = ("kicker", "subtitle", "rubric", "section", "source")
KEYS = ("title", *TEXT_KEYS, "kind", *LIST_KEYS, "page", "position", "slug", "date")
SUMMARY_CHARS = 80
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
    terms: tuple[tuple[str, tuple[str, ...]], ...] = ()   # (key, names) of other taxonomies' keys

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The body's Markdown paragraphs."""
        return split_body(self.body)

    def names_in(self, key: str) -> tuple[str, ...]:
        """The names the front matter key `key` gives: a list key's items, a text key's one
        value, nothing when it is not set (see vocab.Taxonomy.fields)."""
        return names_getter(key)(self)

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone credited, each name once, in byline order."""
        return tuple(dict.fromkeys((*self.reporters, *self.correspondents, *self.photographers)))




def names_getter(key: str) -> Callable[[Article], tuple[str, ...]]:
    """A function giving the names an article's front matter key `key` gives (see
    Article.names_in): made once per key, used for every article."""
    if key in LIST_KEYS:
        return operator.attrgetter(key)
    if key in TEXT_KEYS:
        text = operator.attrgetter(key)
        return lambda article: (value,) if (value := text(article)) else ()
    return lambda article: next((names for k, names in article.terms if k == key), ())


# Every field of an article but its body and the hash of its file: all that pages other than
# the article's own page (and the feed) show of it. See builder.SiteBuild.body_edits.
ARTICLE_FIELDS = tuple(f.name for f in dataclass_fields(Article))
OUTLINE_FIELDS = tuple(name for name in ARTICLE_FIELDS if name not in ("body", "content_hash"))


# What places an article in the site: its URL, its place in the newest-first list, and the
# lists, newspaper page and groups it belongs to. Other outline fields (headline group,
# summary, kind, source …) only change how it is shown. See builder.SiteBuild.outline_edits.
PLACEMENT_FIELDS = ("path", "slug", "date", "page", "position", "districts", "tags",
                    "reporters", "correspondents", "photographers", "rubric", "terms")


def fields_hash(article: Article, names: tuple[str, ...]) -> str:
    """A hash of the article's fields `names`."""
    text = repr(tuple([getattr(article, name) for name in names])).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=16).hexdigest()


def content_hash(data: bytes) -> str:
    """A stable hash of a content file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


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
