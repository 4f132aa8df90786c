"""Write an ingested article as a Markdown file with YAML front matter (DESIGN.md's format)."""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml


@dataclass
class IngestedArticle:
    """One article as ingest writes it: front-matter fields plus body paragraphs."""

    title: str
    page: str
    position: int
    paragraphs: list[str]
    kicker: str | None = None
    subtitle: str | None = None
    rubric: str | None = None
    section: str | None = None
    kind: str = "news"
    reporters: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    source: str | None = None
    districts: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    slug: str = ""
    date: dt.date | None = None


# Key order of DESIGN.md; optional scalars are omitted when empty, lists always written.
_SCALARS_BEFORE = ("title", "kicker", "subtitle", "rubric", "section", "kind")
_LISTS = ("reporters", "correspondents", "photographers")
_AFTER = ("source",)
_LISTS2 = ("districts", "tags")
_TAIL = ("page", "position", "slug", "date")
_PLAIN_UNSAFE = re.compile(r"^[\s\-?:,\[\]{}#&*!|>'\"%@`]|: | #|:$|\s$")


_RESOLVER = yaml.resolver.Resolver()


def _scalar(value: object) -> str:
    """A YAML scalar: plain when YAML reads it back as the same string, else double-quoted."""
    if isinstance(value, (int, dt.date)):
        return str(value)
    return _text_scalar(str(value))


@lru_cache(maxsize=1 << 16)   # names, districts, tags and rubrics repeat across thousands of files
def _text_scalar(text: str) -> str:
    plain_ok = (text and not _PLAIN_UNSAFE.search(text) and "\n" not in text
                and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str")
    return text if plain_ok else json.dumps(text, ensure_ascii=False)


_FLOW_INDICATOR = re.compile(r"[,\[\]{}]")


def _flow_item(value: str) -> str:
    """A list item in a flow sequence `[a, b]`: quoted when it holds flow indicators."""
    return json.dumps(value, ensure_ascii=False) if _FLOW_INDICATOR.search(value) else _text_scalar(value)


def _escape_paragraph(text: str) -> str:
    """Keep a paragraph from reading as Markdown syntax (a heading, list or quote)."""
    if re.match(r"^(?:#|>|[-+*]\s|\d+[.)]\s|=+$|-+$)", text):
        text = "\\" + text
    return text


def render_article(article: IngestedArticle) -> str:
    """The whole Markdown file for an article."""
    lines = ["---"]
    fields = vars(article)
    for key in _SCALARS_BEFORE:
        if fields[key]:
            lines.append(f"{key}: {_scalar(fields[key])}")
    for key in _LISTS + _AFTER + _LISTS2:
        value = fields[key]
        if key in _AFTER:
            if value:
                lines.append(f"{key}: {_scalar(value)}")
        else:
            lines.append(f"{key}: [{', '.join(_flow_item(v) for v in value)}]")
    for key in _TAIL:
        if fields[key] is not None and fields[key] != "":
            lines.append(f"{key}: {_scalar(fields[key])}")
    lines.append("---")
    lines.append("")
    lines.append("\n\n".join(_escape_paragraph(p) for p in article.paragraphs))
    return "\n".join(lines) + "\n"
