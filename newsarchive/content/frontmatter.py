"""Front matter: the YAML between the `---` lines, split from the body and read."""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import ArchiveError, excerpt
from ..text.controls import FORBIDDEN_RE, describe

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

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KEY_LINE_RE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:")


def split_front_matter(path: Path, text: str) -> tuple[str, str] | ArchiveError:
    """The front matter and the body, split at the `---` lines."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return ArchiveError("missing front matter: the file must start with a line '---'", path, 1,
                            hint="then 'title: …', 'slug: …' and a closing '---'")
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() == "---":
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1:])
    return ArchiveError("front matter is not closed: no second '---' line", path, 1)


def load_yaml(path: Path, front: str) -> dict | ArchiveError:
    """The front matter as a mapping; the YAML error's own line when it does not parse.

    Before PyYAML builds anything, the front matter's events are read once (libyaml, no
    recursion, no expansion) to refuse what no article needs and what would make reading it
    dangerous: anchors and aliases (a "billion laughs" expands nine short lines into a billion
    strings), nesting deeper than MAX_DEPTH (PyYAML's C composer recurses and crashes the
    process on a few thousand levels) and values over several lines (a title must be one line).
    """
    fields = simple_front_matter(front)
    if fields is not None:
        return fields
    try:
        refused = _refuse_unneeded_yaml(path, front)
        if refused is not None:
            return refused
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
    return _refuse_escaped_controls(path, front, fields) or fields


def _refuse_escaped_controls(path: Path, front: str, fields: dict) -> ArchiveError | None:
    """A line break or control character that a YAML escape ("\\n", "\\a", "\\x07", "\\L")
    puts in a value, as an error on its key's line. (The article's text was checked for raw ones
    before; the fast path's values hold no escapes.)"""
    lines = key_lines(front)
    for key, value in fields.items():
        for text in value if isinstance(value, list) else [value]:
            if not isinstance(text, str):
                continue
            line = lines.get(str(key), [2])[0]
            if "\n" in text.strip():
                return ArchiveError(f"'{excerpt(key)[1:-1]}' must be on one line, not {excerpt(text)}", path, line,
                                    hint="remove the line break (a '\\n' in a quoted value is one)")
            bad = FORBIDDEN_RE.search(text)
            if bad:
                return ArchiveError(f"'{excerpt(key)[1:-1]}' holds the control character {describe(bad.group())}",
                                    path, line, hint="remove it (a YAML escape such as '\\a' or '\\x07' in a "
                                                     "quoted value writes one)")
    return None


MAX_DEPTH = 8    # the front matter is a mapping of values and lists: depth 2 is all it needs
_OPENING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSING = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _refuse_unneeded_yaml(path: Path, front: str) -> ArchiveError | None:
    """The first anchor, alias, too deep nesting or multi-line value in the front matter, as an
    error on its line (the line of its key for a multi-line value); None when there is none.
    A syntax error anywhere (yaml.YAMLError) comes before a multi-line value: a missing ']' makes
    the lines after it one value."""
    multi_line: ArchiveError | None = None
    depth = 0
    key: tuple[str, int] | None = None      # the top-level key being read, and its line
    expect_key = False
    for event in yaml.parse(front, Loader=_BaseLoader):
        line = event.start_mark.line + 2
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            return ArchiveError("YAML anchors and aliases ('&name', '*name') are not allowed in front matter",
                                path, line, hint="write each value out in full")
        if isinstance(event, _OPENING):
            depth += 1
            if depth > MAX_DEPTH:
                return ArchiveError(f"values nested more than {MAX_DEPTH} levels deep", path, line,
                                    hint="front matter holds text, numbers, dates and lists of text")
            expect_key = depth == 1
            continue
        if isinstance(event, _CLOSING):
            depth -= 1
            expect_key = depth == 1
            continue
        if not isinstance(event, yaml.ScalarEvent):
            continue
        if depth == 1 and expect_key:
            key = (event.value, line)
        elif multi_line is None and (event.style in ("|", ">") or event.end_mark.line != event.start_mark.line):
            name, key_line = key if key is not None else ("value", line)
            multi_line = ArchiveError(f"'{excerpt(name)[1:-1]}' must be on one line", path, key_line,
                                hint="join its lines (a YAML block '|' or '>', or a value continued "
                                     "on the next lines, is not allowed)")
        if depth == 1:
            expect_key = not expect_key
    return multi_line


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


def key_lines(front: str) -> dict[str, list[int]]:
    """File line numbers of each top-level key (a key may wrongly appear twice)."""
    lines: dict[str, list[int]] = {}
    for number, line in enumerate(front.split("\n"), start=2):
        match = _KEY_LINE_RE.match(line)
        if match:
            lines.setdefault(match.group(1), []).append(number)
    return lines
