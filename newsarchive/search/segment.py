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

import os
import pickle
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from itertools import accumulate

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

# Cap of a pinyin key in syllables (DESIGN: "capped at 8 syllables").
PINYIN_MAX_SYLLABLES = 8
# Readings pypinyin gets wrong for this archive: 朝阳 is the district Cháoyáng, not zhāoyáng.
PINYIN_OVERRIDES: dict[str, tuple[str, ...]] = {"朝阳": ("chao", "yang")}


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


@dataclass(frozen=True)
class PinyinTable:
    """What the readings are looked up in, taken from pypinyin's dictionaries: the phrases
    (with their toneless readings, None when a phrase's reading does not fit its length), every
    prefix of a phrase (for cutting runs into words) and each character's first reading."""

    version: str
    phrases: dict[str, tuple[str, ...] | None]
    prefixes: frozenset[str]
    characters: dict[str, str]


# Where the table is kept between runs (the site build keeps it in the user's cache folder):
# importing pypinyin's dictionaries costs a quarter of a second or more, reading the table back
# a third of that. The file is checked against pypinyin's version, and made again if it differs.
_table_file: Path | None = None


def keep_pinyin_table(path: Path | None) -> None:
    """Keep the pinyin table in `path` (None: build it from pypinyin in every process)."""
    global _table_file
    _table_file = path
    _pinyin_table.cache_clear()


@lru_cache(maxsize=1)
def _pinyin_table() -> PinyinTable:
    """The table: from the kept file if it was made from this pypinyin, else made now."""
    version = _pypinyin_version()
    if _table_file is not None:
        try:
            with open(_table_file, "rb") as f:
                table = pickle.load(f)
            if isinstance(table, PinyinTable) and table.version == version:
                return table
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            pass   # missing or damaged: made again below
    table = _make_pinyin_table(version)
    if _table_file is not None:
        try:
            _table_file.parent.mkdir(parents=True, exist_ok=True)
            temporary = _table_file.with_name(f".{_table_file.name}.{os.getpid()}")
            with open(temporary, "wb") as f:
                pickle.dump(table, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, _table_file)
        except OSError:
            pass   # a cache: not keeping it only costs time
    return table


def _pypinyin_version() -> str:
    """The installed pypinyin's version (and this file's readings rules)."""
    from importlib.metadata import version
    return f"{version('pypinyin')} {TABLE_FORMAT}"


TABLE_FORMAT = 1


def _make_pinyin_table(version: str) -> PinyinTable:
    """The table, from pypinyin's phrase and character dictionaries."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    # pypinyin's cutter (seg.mmseg) matches the longest phrase among these prefixes;
    # tests/test_search_segment.py checks han_words against it.
    prefixes = {word[:i] for word in PHRASES_DICT for i in range(1, len(word) + 1)}
    fitting = [(word, readings) for word, readings in PHRASES_DICT.items() if len(readings) == len(word)]
    # Every reading made toneless in one pass over all of them, not one call per syllable.
    first = [r[0] for _, readings in fitting for r in readings]
    first += [reading.split(",")[0] for reading in PINYIN_DICT.values()]
    toneless = iter(_toneless_all(first))
    phrases: dict[str, tuple[str, ...] | None] = dict.fromkeys(PHRASES_DICT)
    for word, readings in fitting:
        phrases[word] = tuple(next(toneless) for _ in readings)
    characters = {chr(code): next(toneless) for code in PINYIN_DICT}
    return PinyinTable(version, phrases, frozenset(prefixes), characters)


def _toneless_all(syllables: list[str]) -> list[str]:
    """_toneless of each syllable, computed over all of them at once."""
    decomposed = unicodedata.normalize("NFD", "\n".join(syllables).lower()).replace("u\u0308", "v")
    return re.sub("[^a-z\n]", "", decomposed).split("\n")


def preload_pinyin() -> None:
    """Load the pinyin table now (before forking workers, so they share it)."""
    _pinyin_table()


def han_words(run: str) -> list[str]:
    """A Han run cut into words by pypinyin's phrase dictionary (maximum matching): the words
    of pypinyin's `seg.cut`, found without its generator and per-prefix method calls."""
    table = _pinyin_table()
    prefixes, phrases = table.prefixes, table.phrases
    words = []
    start, n = 0, len(run)
    while start < n:
        # the longest phrase starting here, among the prefixes of phrases that do
        found = 0
        end = start + 1
        while end <= n:
            word = run[start:end]
            if word not in prefixes:
                break
            if word in phrases:
                found = end
            end += 1
        if found:
            words.append(run[start:found])
            start = found
        elif end <= n:      # no phrase starts here: the character alone
            words.append(run[start])
            start += 1
        else:               # the rest only begins phrases: pypinyin gives its characters
            words.extend(run[start:])
            break
    return words


@lru_cache(maxsize=1024)
def _toneless(syllable: str) -> str:
    """A tone-marked syllable without tones, ü written v, [a-z] only: "lǜ" -> "lv"."""
    decomposed = unicodedata.normalize("NFD", syllable.lower()).replace("u\u0308", "v")
    return re.sub("[^a-z]", "", decomposed)


@lru_cache(maxsize=65536)
def _word_syllables(word: str) -> tuple[str, ...]:
    """Toneless pinyin of one word as pypinyin reads it: the phrase's reading, else each
    character's first reading ("" for a character without one). Cached: words recur."""
    table = _pinyin_table()
    phrase = table.phrases.get(word)
    if phrase is not None:
        return phrase
    return tuple(table.characters.get(ch, "") for ch in word)


@lru_cache(maxsize=65536)
def run_syllables(run: str) -> tuple[str, ...]:
    """Toneless pinyin of a Han run, one [a-z]* syllable per character (cached).

    The same readings as pypinyin.lazy_pinyin(run, Style.NORMAL) (a test compares them on the
    seed pages), looked up directly in pypinyin's dictionaries: lazy_pinyin converts every
    syllable through its style machinery and costs five times as much. Then PINYIN_OVERRIDES.
    """
    result = [s for word in han_words(run) for s in _word_syllables(word)]
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
        if not syllables:
            continue
        # slices of the run's whole spelling and initials, not joins per key
        full = "".join(syllables)
        initials = "".join([s[0] for s in syllables])
        starts = list(accumulate(map(len, syllables), initial=0))
        n, cap = len(syllables), PINYIN_MAX_SYLLABLES
        stops = (starts[cap:] + [starts[n]] * cap)[:n]   # the ends of cap syllables or fewer
        pairs = [""] * (2 * n)
        pairs[0::2] = [full[a:b] for a, b in zip(starts, stops)]
        pairs[1::2] = [initials[i:i + cap] for i in range(n)]
        keys.update(dict.fromkeys(pairs))
    return tuple(keys)


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
