"""Pinyin readings of Han text: syllables, search keys, from pypinyin's dictionaries.

Slugs (text/slugs.py) and search keys (search/) read Han text through the same table, so a
slug and the pinyin a reader types never disagree (朝阳 is chao-yang, not zhao-yang).
"""
from __future__ import annotations

import pickle
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from ..files import atomic_writer
from .segment import runs

# Cap of a pinyin key in syllables (DESIGN: "capped at 8 syllables").
PINYIN_MAX_SYLLABLES = 8
# Readings pypinyin gets wrong for this archive: 朝阳 is the district Cháoyáng, not zhāoyáng.
PINYIN_OVERRIDES: dict[str, tuple[str, ...]] = {"朝阳": ("chao", "yang")}


@dataclass(frozen=True)
class PinyinTable:
    """What the readings are looked up in, taken from pypinyin's dictionaries: the phrases
    (with their toneless readings, None when a phrase's reading does not fit its length), every
    prefix of a phrase (for cutting runs into words), each character's first reading and all
    its readings (heteronyms: 朝 is zhao and chao)."""

    version: str
    phrases: dict[str, tuple[str, ...] | None]
    prefixes: frozenset[str]
    characters: dict[str, str]
    readings: dict[str, tuple[str, ...]]


# Where the table is kept between runs (the site build keeps it in the user's cache folder):
# importing pypinyin's dictionaries costs a quarter of a second or more, reading the table back
# a third of that. The file is checked against pypinyin's version, and made again if it differs.
_table_file: Path | None = None


def keep_pinyin_table(path: Path | None) -> None:
    """Keep the pinyin table in `path` (None: build it from pypinyin in every process)."""
    global _table_file
    _table_file = path
    _pinyin_table.cache_clear()
    pinyin_syllables.cache_clear()


@lru_cache(maxsize=1)
def _pinyin_table() -> PinyinTable:
    """The table: from the kept file if it was made from this pypinyin, else made now."""
    version = _pypinyin_version()
    if _table_file is not None:
        try:
            with open(_table_file, "rb") as f:
                # plain values, not the dataclass: a file made by another version of this
                # module then still loads (and is made again if its version differs)
                table = PinyinTable(*pickle.load(f))
            if table.version == version:
                return table
        except Exception:  # noqa: BLE001 - missing or damaged, whatever the damage: made again below
            pass
    table = _make_pinyin_table(version)
    if _table_file is not None:
        try:
            with atomic_writer(_table_file) as f:
                pickle.dump((table.version, table.phrases, table.prefixes, table.characters, table.readings), f,
                            protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            pass   # a cache: not keeping it only costs time
    return table


def _pypinyin_version() -> str:
    """The installed pypinyin's version (and this file's readings rules)."""
    from importlib.metadata import version
    return f"{version('pypinyin')} {TABLE_FORMAT}"


TABLE_FORMAT = 3


def _make_pinyin_table(version: str) -> PinyinTable:
    """The table, from pypinyin's phrase and character dictionaries."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    # pypinyin's cutter (seg.mmseg) matches the longest phrase among these prefixes;
    # tests/test_search_segment.py checks han_words against it.
    prefixes = {word[:i] for word in PHRASES_DICT for i in range(1, len(word) + 1)}
    fitting = [(word, readings) for word, readings in PHRASES_DICT.items() if len(readings) == len(word)]
    # Every reading made toneless in one pass over all of them, not one call per syllable.
    first = [r[0] for _, readings in fitting for r in readings]
    every = [reading.split(",") for reading in PINYIN_DICT.values()]
    first += [r for readings in every for r in readings]
    toneless = iter(_toneless_all(first))
    phrases: dict[str, tuple[str, ...] | None] = dict.fromkeys(PHRASES_DICT)
    for word, readings in fitting:
        phrases[word] = tuple(next(toneless) for _ in readings)
    readings = {chr(code): tuple(dict.fromkeys(next(toneless) for _ in r)) for code, r in zip(PINYIN_DICT, every)}
    characters = {ch: r[0] for ch, r in readings.items()}
    return PinyinTable(version, phrases, frozenset(prefixes), characters, readings)


def _toneless_all(syllables: list[str]) -> list[str]:
    """_toneless of each syllable, computed over all of them at once."""
    decomposed = unicodedata.normalize("NFD", "\n".join(syllables).lower()).replace("u\u0308", "v")
    return re.sub("[^a-z\n]", "", decomposed).split("\n")


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Every toneless syllable some character reads as (a, ai, …, zuo; ü written v)."""
    return frozenset(s for readings in _pinyin_table().readings.values() for s in readings if s)


def character_readings(characters: str) -> dict[str, tuple[str, ...]]:
    """Every toneless reading of each of these characters that has one (heteronyms included,
    the first as pypinyin reads the character alone)."""
    readings = _pinyin_table().readings
    return {ch: readings[ch] for ch in characters if readings.get(ch) and any(readings[ch])}


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
