"""Segmentation shared by search and the browser (themes/default/static/segment.js gives identical output).

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
HAN_RANGES = ((0x3007, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
              (0x20000, 0x2FA1F), (0x30000, 0x323AF))
# Word characters: ASCII digits and lowercase letters (text is lower-cased first), Latin-1
# and Latin Extended-A/B letters.
WORD_RANGES = ((0x30, 0x39), (0x61, 0x7A), (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x24F))


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    """The inside of a regex character class for code point ranges."""
    return "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in ranges)


_HAN = _char_class(HAN_RANGES)
_WORD = _char_class(WORD_RANGES)
_RUN = re.compile(f"([{_HAN}]+)|([{_WORD}]+)")



def normalize(text: str) -> str:
    """NFKC, then lower case: the form both segmenters and the highlighter work on."""
    return unicodedata.normalize("NFKC", text).lower()


def _inert_separators() -> tuple[int, ...]:
    """Code points of non-ASCII characters that separate runs both before and after NFKC.

    Such a character (full-width comma, ideographic space, curly quotes, dashes, ...) is a
    separator whether or not NFKC rewrites it, never composes with a neighbour and never
    lets its NFKC form do so, so segmentation may leave it un-normalised.
    """
    han_or_word = re.compile(f"[{_HAN}{_WORD}]")
    ranges = [(0x80, 0x250), (0x2000, 0x2C00), (0x3000, 0x3040), (0xFE10, 0xFE70), (0xFF00, 0xFFF0)]
    inert = []
    for lo, hi in ranges:
        for cp in range(lo, hi):
            ch = chr(cp)
            nfkc = unicodedata.normalize("NFKC", ch)
            if (unicodedata.category(ch) in ("Cn", "Co", "Cs") or unicodedata.combining(ch)
                    or ch.lower() != ch or han_or_word.search(ch + nfkc + nfkc.lower())
                    or any(unicodedata.combining(c) for c in nfkc)):
                continue
            inert.append(cp)
    return tuple(inert)


@lru_cache(maxsize=1)
def safe_ranges() -> tuple[tuple[int, int], ...]:
    """Characters that never change segmentation under NFKC: ASCII, BMP unified Han and the
    inert separators (found on first use: that takes 50 ms)."""
    return ((0x00, 0x7F), (0x4E00, 0x9FFF)) + tuple((cp, cp) for cp in _inert_separators())


@lru_cache(maxsize=1)
def _suspect() -> re.Pattern:
    """Runs of characters that may change segmentation under NFKC."""
    return re.compile(f"[^{_char_class(safe_ranges())}]+")


def _token_text(text: str) -> str:
    """Text that segments exactly like normalize(text), NFKC-ing only where it can matter.

    NFKC over a whole article costs more than segmenting it. It distributes over a split made
    before any ASCII, BMP Han or inert character (these are starters that never compose with
    what precedes them), so only each suspect span and the character before it need NFKC;
    inert separators are left as they are since they separate either way.
    """
    suspect = _suspect()
    if suspect.search(text) is None:
        return text.lower()
    pieces, last = [], 0
    for match in suspect.finditer(text):
        start = max(match.start() - 1, last)
        pieces.append(text[last:start])
        pieces.append(unicodedata.normalize("NFKC", text[start:match.end()]))
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces).lower()


def runs(text: str) -> list[tuple[str, str]]:
    """The Han and word runs of normalised `text` in order, as ("han" | "word", run) pairs."""
    return [("han", m[1]) if m[1] else ("word", m[2]) for m in _RUN.finditer(normalize(text))]


def han_tokens(run: str) -> list[str]:
    """A Han run's bigrams plus its last character (a one-character run gives itself)."""
    return [run[i:i + 2] for i in range(len(run) - 1)] + [run[-1]]


def segment(text: str) -> list[str]:
    """The search tokens of `text`, in text order, repeats kept (they count as term frequency)."""
    tokens: list[str] = []
    for match in _RUN.finditer(_token_text(text)):
        han = match[1]
        if han:
            # inline han_tokens: this loop runs over every article body, so calls matter
            tokens.extend([han[i:i + 2] for i in range(len(han) - 1)])
            tokens.append(han[-1])
        else:
            tokens.append(match[2])
    return tokens


def query_parts(text: str) -> dict[str, list[str]]:
    """What a query asks for, as the browser builds it (segment.js queryParts).

    bigrams: of Han runs longer than one character (required terms); chars: one-character
    Han runs (required, trailing wildcard); words: Latin/digit runs (optional). The trailing
    character of a longer run is dropped: it is only indexed where a run ends. Each list is
    deduplicated, in order of first appearance (a term goes to the first list it appears in).
    """
    parts: dict[str, list[str]] = {"bigrams": [], "chars": [], "words": []}
    seen: set[str] = set()

    def add(kind: str, term: str) -> None:
        if term not in seen:
            seen.add(term)
            parts[kind].append(term)
    for kind, run in runs(text):
        if kind == "word":
            add("words", run)
        elif len(run) == 1:
            add("chars", run)
        else:
            for token in han_tokens(run)[:-1]:
                add("bigrams", token)
    return parts
