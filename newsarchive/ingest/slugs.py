"""Pinyin slugs for articles: short, unique across the archive, assigned once."""
from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

MAX_SYLLABLES = 9   # DESIGN.md: chao-yang-qu-ju-ban-chan-ye-gong-ren


def pinyin_slug(text: str, max_syllables: int = MAX_SYLLABLES) -> str:
    """`朝阳区举办产业工人…` -> `chao-yang-qu-ju-ban-chan-ye-gong-ren` (pypinyin's phrase
    dictionary reads 朝阳 as chao-yang); Latin and digits are kept, everything else dropped."""
    words: list[str] = []
    # pypinyin is slow per character; a slug never needs more than the title's first words.
    for chunk in lazy_pinyin(text[:max_syllables + 8], style=Style.NORMAL, errors=lambda s: re.findall(r"[A-Za-z0-9]+", s)):
        words += re.findall(r"[a-z0-9]+", chunk.lower().replace("ü", "v"))
    return "-".join(words[:max_syllables]) or "article"


def unique_slug(base: str, taken: set[str]) -> str:
    """base, or base-2, base-3 … whichever is not taken yet."""
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
