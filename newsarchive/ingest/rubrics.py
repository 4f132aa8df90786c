"""Rubrics (栏目): recognising a rubric line among headline lines (data/rubrics.toml)."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import ArchiveError


@dataclass(frozen=True)
class RubricRules:
    """Known rubric names and the patterns rubric lines follow in this paper."""

    names: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    short_line_chars: int = 0

    def key(self) -> tuple:
        """The rules as plain, ordered values (a frozenset's repr varies between runs)."""
        return (sorted(self.names), [p.pattern for p in self.patterns], self.short_line_chars)

    def is_rubric(self, line: str, over_headline: bool = False) -> bool:
        """True when a headline-like line is a rubric rather than a headline; `over_headline`
        says another headline line follows it (a very short line there is a rubric)."""
        if over_headline and len(line) <= self.short_line_chars:
            return True
        return line in self.names or any(p.search(line) for p in self.patterns)


RUBRICS_FILE = "rubrics.toml"


def load_rubric_rules(path: Path) -> RubricRules:
    """Read the rubric list and patterns; a bad pattern is reported with the file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        patterns = tuple(re.compile(p) for p in data.get("patterns", []))
    except (OSError, tomllib.TOMLDecodeError, re.error) as exc:
        raise ArchiveError(f"cannot read rubric rules: {exc}", path) from exc
    return RubricRules(frozenset(data.get("names", [])), patterns, int(data.get("short_line_chars", 0)))
