"""Pinyin slugs: articles, people, columns. Short, unique across the archive, assigned once."""
from __future__ import annotations

from typing import Callable

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


def unique_slug(base: str, taken: set[str]) -> str:
    """base, or base-2, base-3 … whichever is not taken yet."""
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def unique_slugs(names: list[str], slugify: Callable[[str], str], fallback: str) -> dict[str, str]:
    """A slug per name, in the given order of precedence; clashes get -2, -3 …"""
    taken: set[str] = set()
    slugs = {}
    for name in names:
        slugs[name] = slug = unique_slug(slugify(name) or fallback, taken)
        taken.add(slug)
    return slugs
