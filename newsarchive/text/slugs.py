"""Pinyin slugs: articles, people, columns. Short, unique across the archive, assigned once."""
from __future__ import annotations

from typing import Callable, Iterable

from .pinyin import run_syllables
from .segment import runs

MAX_SYLLABLES = 9   # DESIGN.md: chao-yang-qu-ju-ban-chan-ye-gong-ren

# Surnames whose reading differs from the character's most common one (pypinyin reads a
# lone 曾 as "ceng"); applied to a person's first character only.
SURNAME_READINGS = {"曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "查": "zha", "朴": "piao",
                    "区": "ou", "盖": "ge", "乐": "yue", "覃": "qin", "尉": "yu", "缪": "miao",
                    "翟": "zhai", "瞿": "qu", "万俟": "mo-qi"}


def article_slug(text: str, max_syllables: int = MAX_SYLLABLES) -> str:
    """`朝阳区举办产业工人…` -> `chao-yang-qu-ju-ban-chan-ye-gong-ren`; Latin and digits kept."""
    return "-".join(pinyin_words(text, max_syllables)) or "article"


def pinyin_words(text: str, max_syllables: int) -> list[str]:
    """The first pinyin syllables and Latin/digit words of text, lower case.

    The readings are search's (pypinyin's dictionaries with the archive's overrides, 朝阳 is
    chao-yang), so slugs and the pinyin search keys never disagree."""
    words: list[str] = []
    for kind, run in runs(text[:max_syllables + 12]):
        if kind == "han":
            words += [s.replace("ü", "v") for s in run_syllables(run) if s]
        else:
            words.append("".join(ch for ch in run if ch.isascii() and ch.isalnum()))
        if len(words) >= max_syllables:
            break
    return [w for w in words[:max_syllables] if w]


def pinyin_slug(text: str) -> str:
    """Lower-case pinyin syllables and Latin words of `text`, joined with '-' (the same
    readings as article slugs and search keys: 朝阳 is chao-yang)."""
    return "-".join(pinyin_words(text, max_syllables=len(text)))


def person_slug(name: str) -> str:
    """A person's slug: pinyin with surname readings (曾 → zeng)."""
    for surname, reading in SURNAME_READINGS.items():
        if name.startswith(surname) and len(name) > len(surname):
            rest = pinyin_slug(name[len(surname):])
            return f"{reading}-{rest}" if rest else reading
    return pinyin_slug(name)


class TakenSlugs:
    """The slugs in use, handing out base, base-2, base-3 … for a new one: the lowest free
    suffix, remembered per base, so that many articles of one title cost no rescans."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken = set(taken)
        self._next: dict[str, int] = {}

    def __contains__(self, slug: str) -> bool:
        return slug in self._taken

    def add(self, slug: str) -> None:
        """Mark `slug` as in use."""
        self._taken.add(slug)

    def claim(self, base: str) -> str:
        """A slug for `base` not in use yet (base itself when free), now marked in use."""
        slug = base
        if slug in self._taken:
            n = self._next.get(base, 2)
            while f"{base}-{n}" in self._taken:
                n += 1
            self._next[base] = n + 1
            slug = f"{base}-{n}"
        self._taken.add(slug)
        return slug


def unique_slugs(names: list[str], slugify: Callable[[str], str], fallback: str) -> dict[str, str]:
    """A slug per name, in the given order of precedence; clashes get -2, -3 …"""
    taken = TakenSlugs()
    return {name: taken.claim(slugify(name) or fallback) for name in names}
