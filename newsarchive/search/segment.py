"""Search segmentation shared with the browser (theme/static/segment.js gives identical output).

Rules (DESIGN "Search"):

- The text is NFKC-normalised, then lower-cased (full-width ＳＭＣ２０２４ becomes smc2024).
- A *Han run* (consecutive Han characters, see `_HAN`) becomes its character bigrams plus its
  last character: 工匠学院 -> 工匠 匠学 学院 院; a one-character run gives just that character.
  The trailing character lets a one-character query match with a trailing wildcard (暖*).
- A *word run* (consecutive ASCII digits, ASCII letters and Latin letters U+00C0-U+024F) stays
  whole: "SMC", "2024", "5g", "café".
- Everything else separates runs: spaces, punctuation (，。：“”《》:-*^~+), symbols, emoji and
  other scripts. A run switches at every Han / word boundary, so a mixed run such as
  `2024年SMC` gives the word `2024`, the Han run `年` and the word `smc`.

Character classes are explicit code-point ranges (not Unicode categories) so that Python and
JavaScript, which ship different Unicode versions, classify every character the same way.
Tokens never contain spaces, hyphens or lunr query syntax, so they are safe lunr terms.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Han: CJK Unified Ideographs and extensions A-H (BMP and astral), compatibility ideographs
# (NFKC maps most to unified ones), and 〇 (U+3007, used in dates such as 二〇二四年).
_HAN = ("\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
        "\U00020000-\U0002fa1f\U00030000-\U000323af")
# Word characters: ASCII digits and letters, Latin-1 and Latin Extended-A/B letters.
_WORD = "0-9a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_RUN = re.compile(f"([{_HAN}]+)|([{_WORD}]+)")

# Cap of a pinyin key in syllables (DESIGN: "capped at 8 syllables").
PINYIN_MAX_SYLLABLES = 8
# Readings pypinyin gets wrong for this archive: 朝阳 is the district Cháoyáng, not zhāoyáng.
PINYIN_OVERRIDES: dict[str, tuple[str, ...]] = {"朝阳": ("chao", "yang")}


def normalize(text: str) -> str:
    """NFKC, then lower case: the form both segmenters and the highlighter work on."""
    return unicodedata.normalize("NFKC", text).lower()


def runs(text: str) -> list[tuple[str, str]]:
    """The Han and word runs of normalised `text` in order, as ("han" | "word", run) pairs."""
    return [("han", m[1]) if m[1] else ("word", m[2]) for m in _RUN.finditer(normalize(text))]


def han_tokens(run: str) -> list[str]:
    """A Han run's bigrams plus its last character (a one-character run gives itself)."""
    return [run[i:i + 2] for i in range(len(run) - 1)] + [run[-1]]


def segment(text: str) -> list[str]:
    """The search tokens of `text`, in text order, repeats kept (they count as term frequency)."""
    tokens: list[str] = []
    for match in _RUN.finditer(normalize(text)):
        han = match[1]
        if han:
            # inline han_tokens: this loop runs over every article body, so calls matter
            tokens.extend([han[i:i + 2] for i in range(len(han) - 1)])
            tokens.append(han[-1])
        else:
            tokens.append(match[2])
    return tokens


@lru_cache(maxsize=65536)
def run_syllables(run: str) -> tuple[str, ...]:
    """Toneless pinyin of a Han run, one [a-z]+ syllable per character (cached: pypinyin is slow)."""
    from pypinyin import Style, lazy_pinyin  # imported late: loading its dictionaries takes time
    syllables = lazy_pinyin(run, style=Style.NORMAL, errors="default")
    if len(syllables) != len(run):
        # pypinyin merges characters it has no reading for; convert one by one to stay aligned
        syllables = [lazy_pinyin(ch, style=Style.NORMAL, errors="default")[0] for ch in run]
    result = [re.sub("[^a-z]", "", s.lower()) for s in syllables]
    for phrase, fixed in PINYIN_OVERRIDES.items():
        start = run.find(phrase)
        while start >= 0:
            result[start:start + len(phrase)] = fixed
            start = run.find(phrase, start + len(phrase))
    return tuple(result)


def pinyin_keys(text: str) -> list[str]:
    """Syllable-aligned pinyin keys of the Han runs in `text`: full and initials, <= 8 syllables.

    For every syllable of a Han run, one key starts there and runs to the end of the run or
    for at most PINYIN_MAX_SYLLABLES syllables, once spelled in full and once as initials:
    朝阳区 -> chaoyangqu yangqu qu cyq yq q. A query is a prefix of a key (trailing wildcard),
    so `chaoyang`, `gongjiang` and `gjxy` match wherever the word starts in the text.
    Characters without a reading are skipped; keys are unique, in order of appearance.
    """
    return list(_pinyin_keys(text))


@lru_cache(maxsize=65536)
def _pinyin_keys(text: str) -> tuple[str, ...]:
    """pinyin_keys, cached: titles repeat across rebuilds, districts/tags/people across articles."""
    keys: dict[str, None] = {}
    for kind, run in runs(text):
        if kind != "han":
            continue
        syllables = [s for s in run_syllables(run) if s]
        for i in range(len(syllables)):
            span = syllables[i:i + PINYIN_MAX_SYLLABLES]
            keys["".join(span)] = None
            keys["".join(s[0] for s in span)] = None
    return tuple(keys)
