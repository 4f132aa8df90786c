"""The paper profile (data/profile.toml): how a paper prints its pages, as data.

Datelines and credits, role words, agencies, rubric names and patterns, the headline-role
rule and thresholds differ between papers and decades. The engine's profile is this paper's;
an archive's own `data/profile.toml` replaces single keys of it, table by table. Every value
is checked when read, and a bad one is an ArchiveError naming the file, the key and its line.

The profile keeps the merged plain values it was made from (`values`): the rules fingerprint
is computed from them, and every matcher ingest uses is compiled from them in `load_profile`,
so a fingerprint can never describe other rules than the ones in use.
"""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..archive import PACKAGE_DATA, DataFiles
from ..errors import ArchiveError

PROFILE_FILE = "profile.toml"
# Rubrics lived in their own file before the profile took them in.
OLD_RUBRICS_FILE = "rubrics.toml"

BYLINE_FIELDS = ("reporters", "correspondents", "photographers")
HEADLINE_ROLES = ("shortest-is-title", "first-is-title")


@dataclass(frozen=True)
class RubricRules:
    """Known rubric names and the patterns rubric lines follow in this paper."""

    names: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    short_line_chars: int
    place_kicker: re.Pattern[str]
    brief_boxes: frozenset[str] = frozenset()

    def is_rubric(self, line: str, over_headline: bool = False) -> bool:
        """True when a headline-like line is a rubric rather than a headline; `over_headline`
        says another headline line follows it (a very short line there is a rubric, unless it
        is a place kicker such as 延庆区)."""
        if line in self.names or line in self.brief_boxes or any(p.search(line) for p in self.patterns):
            return True
        return over_headline and len(line) <= self.short_line_chars and not self.place_kicker.match(line)


@dataclass(frozen=True)
class HeadlineRule:
    """Which printed line of a headline group is kicker, title and subtitle."""

    roles: str
    place_kicker: re.Pattern[str]


@dataclass(frozen=True)
class PaperProfile:
    """One paper's typography as ingest reads it (see data/profile.toml for each key)."""

    values: dict[str, dict[str, Any]] = field(repr=False, compare=False)
    path: Path      # the archive's profile file when it has one, else the engine's
    headline_max_chars: int
    headline_commas: bool
    picture_gap_lines: int
    long_article_ratio: float
    long_article_min_chars: int
    min_body_han_share: float
    headline: HeadlineRule
    rubrics: RubricRules
    subrubric: re.Pattern[str]
    roles: dict[str, str]
    own_datelines: tuple[re.Pattern[str], ...]
    agencies: tuple[str, ...]
    agency_dateline: str     # a pattern with {agency} where an agency's name stands
    suspect_dateline: re.Pattern[str]
    name: str
    photo_verbs: tuple[str, ...]
    photo_story_verbs: tuple[str, ...]
    text_and_photo_verbs: tuple[str, ...]
    agency_photo_verbs: tuple[str, ...]
    source_words: tuple[str, ...]
    author_marks: str
    unmarked_field: str
    not_names: frozenset[str]
    surnames: str
    suspect_credit: re.Pattern[str]
    continued_from: re.Pattern[str]
    continued_to: re.Pattern[str]
    picture_caption: re.Pattern[str]
    qr_caption: re.Pattern[str]
    list_item: re.Pattern[str]
    story_lead: re.Pattern[str]
    aside: re.Pattern[str]
    question_answer: re.Pattern[str]

    def key(self) -> str:
        """The profile as one canonical string, for the rules fingerprint."""
        return json.dumps(self.values, ensure_ascii=False, sort_keys=True)


# -- reading --------------------------------------------------------------------------------

def load_profile(data: DataFiles | None = None) -> PaperProfile:
    """The profile in force: the engine's, with the archive's data/profile.toml over it."""
    data = data or DataFiles()
    default = PACKAGE_DATA / PROFILE_FILE
    values = _read(default)
    sources = {(table, key): default for table, keys in values.items() for key in keys}
    own = default
    if data.own is not None:
        if (data.own / OLD_RUBRICS_FILE).is_file():
            raise ArchiveError("rubrics are now part of the paper profile; this file is not read",
                               data.own / OLD_RUBRICS_FILE,
                               hint=f"move its keys under [rubrics] in {data.own / PROFILE_FILE} and delete it")
        own = data.own / PROFILE_FILE
        if own.is_file():
            for table, keys in _read(own).items():
                if not isinstance(keys, dict):
                    raise ArchiveError(f"'{table}' stands outside any table", own,
                                       hint="put each key under its table ([page], [headline], …)")
                if table not in values:
                    raise _error(own, table, None, f"unknown table [{table}]",
                                 "known tables: " + ", ".join(f"[{t}]" for t in values))
                for key, value in keys.items():
                    if key not in values[table] and table != "roles":
                        raise _error(own, table, key, f"unknown key '{key}' in [{table}]",
                                     "known keys: " + ", ".join(values[table]))
                    values[table][key] = value
                    sources[(table, key)] = own
    return _build(values, sources, own if data.own is not None and own.is_file() else default)


def _read(path: Path) -> dict[str, dict[str, Any]]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ArchiveError(f"cannot read the paper profile: {exc}", path) from exc
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise ArchiveError(f"not valid TOML: {exc}", path, int(line.group(1)) if line else None) from exc


def _line_of(path: Path, table: str, key: str | None) -> int | None:
    """The line where `key` of [table] (or the table itself) is set in the file, if found."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    in_table = False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = stripped.strip("[] ") == table
            if in_table and key is None:
                return number
        elif in_table and key is not None and re.match(rf'^["\']?{re.escape(key)}["\']?\s*=', stripped):
            return number
    return None


def _error(path: Path, table: str, key: str | None, message: str, hint: str | None = None) -> ArchiveError:
    return ArchiveError(message, path, _line_of(path, table, key), hint)


class _Reader:
    """Typed access to the merged profile values, with errors naming the file, key and line."""

    def __init__(self, values: dict[str, dict[str, Any]], sources: dict[tuple[str, str], Path]) -> None:
        self.values = values
        self.sources = sources

    def fail(self, table: str, key: str, problem: str, hint: str | None = None) -> ArchiveError:
        return _error(self.sources[(table, key)], table, key, f"[{table}] {key}: {problem}", hint)

    def get(self, table: str, key: str, kind: type, check: Callable[[Any], bool] = lambda v: True,
            expect: str = "") -> Any:
        if (table, key) not in self.sources:
            raise ArchiveError(f"the paper profile has no [{table}] {key}", PACKAGE_DATA / PROFILE_FILE)
        value = self.values[table][key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool or not check(value):
            raise self.fail(table, key, f"expected {expect or kind.__name__}, found {value!r:.60}")
        return value

    def words(self, table: str, key: str, allow_empty: bool = False) -> tuple[str, ...]:
        value = self.get(table, key, list, lambda v: all(isinstance(w, str) and w for w in v)
                         and (allow_empty or v), "a list of non-empty strings")
        return tuple(value)

    def pattern(self, table: str, key: str, text: str | None = None) -> re.Pattern[str]:
        text = self.get(table, key, str, bool, "a regular expression") if text is None else text
        try:
            return re.compile(text)
        except re.error as exc:
            raise self.fail(table, key, f"bad regular expression: {exc}",
                            "write patterns in '…' (TOML literal strings), Python re syntax") from exc


def _build(values: dict[str, dict[str, Any]], sources: dict[tuple[str, str], Path], path: Path) -> PaperProfile:
    r = _Reader(values, sources)
    positive_int = dict(check=lambda v: v > 0, expect="a whole number above 0")
    place_kicker = r.pattern("headline", "place_kicker")
    roles = {word: r.get("roles", word, str, lambda v: v in BYLINE_FIELDS, " or ".join(BYLINE_FIELDS))
             for word in values["roles"]}
    if not roles or not all(roles):
        raise _error(sources.get(("roles", next(iter(roles), "")), PACKAGE_DATA / PROFILE_FILE), "roles", None,
                     "[roles] needs at least one role word, and no empty one")
    subrubric = r.pattern("rubrics", "subrubric")
    if "name" not in subrubric.groupindex:
        raise r.fail("rubrics", "subrubric", "the pattern needs a group (?P<name>…) for the sub-rubric's name")
    for word in r.words("rubrics", "patterns", allow_empty=True):
        r.pattern("rubrics", "patterns", word)
    unmarked = r.get("credits", "unmarked_field", str, lambda v: v in BYLINE_FIELDS, " or ".join(BYLINE_FIELDS))
    agency_dateline = r.get("datelines", "agency_dateline", str, lambda v: "{agency}" in v,
                            "a regular expression with {agency} where the agency's name stands")
    r.pattern("datelines", "agency_dateline", agency_dateline.replace("{agency}", "(?P<agency>新华社)"))
    name = r.get("credits", "name", str, bool, "a regular expression")
    r.pattern("credits", "name", name)
    return PaperProfile(
        values=values,
        path=path,
        headline_max_chars=r.get("page", "headline_max_chars", int, **positive_int),
        headline_commas=r.get("page", "headline_commas", bool, expect="true or false"),
        picture_gap_lines=r.get("page", "picture_gap_lines", int, lambda v: v >= 3, "a whole number, 3 or more"),
        long_article_ratio=r.get("page", "long_article_ratio", float, lambda v: v > 1, "a number above 1"),
        long_article_min_chars=r.get("page", "long_article_min_chars", int, **positive_int),
        min_body_han_share=r.get("page", "min_body_han_share", float, lambda v: 0 <= v <= 1,
                                 "a number from 0 to 1"),
        headline=HeadlineRule(r.get("headline", "roles", str, lambda v: v in HEADLINE_ROLES,
                                    " or ".join(f'"{v}"' for v in HEADLINE_ROLES)), place_kicker),
        rubrics=RubricRules(frozenset(r.words("rubrics", "names", allow_empty=True)),
                            tuple(re.compile(p) for p in r.words("rubrics", "patterns", allow_empty=True)),
                            r.get("rubrics", "short_line_chars", int, lambda v: v >= 0, "a whole number, 0 or more"),
                            place_kicker, frozenset(r.words("rubrics", "brief_boxes", allow_empty=True))),
        subrubric=subrubric,
        roles=roles,
        own_datelines=tuple(r.pattern("datelines", "own", p) for p in r.words("datelines", "own")),
        agencies=r.words("datelines", "agencies", allow_empty=True),
        agency_dateline=agency_dateline,
        suspect_dateline=r.pattern("datelines", "suspect"),
        name=name,
        photo_verbs=r.words("credits", "photo"),
        photo_story_verbs=r.words("credits", "photo_story", allow_empty=True),
        text_and_photo_verbs=r.words("credits", "text_and_photo", allow_empty=True),
        agency_photo_verbs=r.words("credits", "agency_photo", allow_empty=True),
        source_words=r.words("credits", "sources"),
        author_marks=r.get("credits", "author_marks", str),
        unmarked_field=unmarked,
        not_names=frozenset(r.words("credits", "not_names", allow_empty=True)),
        surnames=r.get("credits", "surnames", str),
        suspect_credit=r.pattern("credits", "suspect"),
        continued_from=r.pattern("markers", "continued_from"),
        continued_to=r.pattern("markers", "continued_to"),
        picture_caption=r.pattern("markers", "picture_caption"),
        qr_caption=r.pattern("markers", "qr_caption"),
        list_item=r.pattern("markers", "list_item"),
        story_lead=r.pattern("markers", "story_lead"),
        aside=r.pattern("markers", "aside"),
        question_answer=r.pattern("markers", "question_answer"),
    )
