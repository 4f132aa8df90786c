"""Pinyin slugs for articles: short, unique across the archive, assigned once."""
from __future__ import annotations

from ..search.segment import run_syllables, runs

MAX_SYLLABLES = 9   # DESIGN.md: chao-yang-qu-ju-ban-chan-ye-gong-ren


def pinyin_slug(text: str, max_syllables: int = MAX_SYLLABLES) -> str:
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


def unique_slug(base: str, taken: set[str]) -> str:
    """base, or base-2, base-3 … whichever is not taken yet."""
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
