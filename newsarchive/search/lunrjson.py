"""Bulk tokenizing and the compact form of lunr indexes (what search.js expands for lunr.js).

lunr.py builds an index one document at a time in pure Python, which takes minutes for ten
thousand Chinese articles. Here every article of a batch is tokenized at once with numpy, with
exactly the tokens of text/segment.py's `segment` (tests compare them), and index parts are
written straight as bytes in a compact form that search.js expands into lunr's own
serialisation before `lunr.Index.load` (tests compare the expansion with one computed in
Python, load it with the vendored lunr.js 2.3.9 and query it):

    {"version":"2.3.9","fields":["h","b",…],"terms":"<the terms in UTF-16 order, space-separated>",
     "postings":["<per field: per term, the gaps of its document numbers in digits, terms
                  separated by a space>",…],
     "tf":["<per field: one digit per posting, its term frequency (capped at 91), in the order
             of the postings; empty when every one is 1>",…],"pipeline":[]}

Document numbers are the archive's (the catalog says how many there are). A term's gaps are
its first document number, then each next one minus the one before minus 1, each written in
base POSTING_BASE (46) with the 92 digits of POSTING_DIGITS (printable ASCII but the space,
'"' and the backslash): leading digits from the second half, the last digit from the first
half, so numbers need no separator. Terms never contain spaces, so one string holds them all.

The expansion (search.js expandIndex) gives lunr's serialisation: the inverted index with an
empty metadata object per posting, `_index` the term's position, and a field vector per
document and field with a posting, holding [term index, score] for the part's terms, where the
score is lunr's BM25 with b = 0: idf × (k1 + 1) × tf / (k1 + tf) × the field's boost, lunr's
idf (log(1 + |(N - df + 0.5) / (df + 0.5)|), df counting the postings of every field) and
k1 = 1.2, rounded to 3 places. Article lengths are not normalised (b = 0), so that an edit of
one article changes only its own postings, never another article's score.

Term codes order terms as lunr.js needs (UTF-16 code units): a Han term is
(utf16_rank(first) << 21) | utf16_rank(second) (second 0 for a single character), where
utf16_rank keeps code points below U+D800, puts astral characters after them and BMP
characters from U+E000 after those; a word (Latin/digit run, number with its unit, pinyin key,
facet term) is numbered by a TermTable while collecting (WORD_LOCAL + its number) and given its
rank among all words before output (words sort before Han: they start with a character below
U+0250, and every Han rank is at least 0x3007 << 21).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from lunr import __TARGET_JS_VERSION__ as LUNR_JS_VERSION

from ..text.segment import (HAN_RANGES, NUMBER_MULTIPLIERS, WORD_RANGES, _token_text, fold_table,
                            safe_ranges)

_SHIFT = 21
_LOW = (1 << _SHIFT) - 1
WORD_LOCAL = 1 << 42       # word codes while collecting: WORD_LOCAL + the TermTable's number
HAN_START = 0x3007 << _SHIFT   # no Han code is below this; every word rank is
_UNSAFE_TERM = re.compile(r'[\s"\\\x00-\x1f]')
# Digits of the compact form: printable ASCII but the space (it separates terms), '"' and '\\'
# (JSON would escape them). A number is written in base POSTING_BASE, most significant digit
# first: its last digit from the first half, any leading ones from the second.
POSTING_DIGITS = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"\\')
POSTING_BASE = len(POSTING_DIGITS) // 2
MAX_TF = len(POSTING_DIGITS) - 1
_DIGIT_BYTES = np.frombuffer(POSTING_DIGITS.encode(), dtype=np.uint8)


class TermTable:
    """Numbers for word terms (Latin/digit runs, numbers with units, pinyin keys, facet terms)."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self._ids: dict[str, int] = {}

    def codes(self, terms: Sequence[str]) -> np.ndarray:
        """The codes of word terms (WORD_LOCAL + number), numbering new ones in order of first sight.

        A word must start with a word character (so that it sorts before every Han term) and
        hold no space, quote, backslash or control character (the compact form joins terms
        with spaces, inside a JSON string).
        """
        ids = self._ids
        new = [t for t in dict.fromkeys(terms) if t not in ids]
        # one check over all new terms: none empty, none starting at U+0250 or later, nothing unsafe
        if new and (not all(new) or max(t[0] for t in new) >= "\u0250" or _UNSAFE_TERM.search("".join(new))):
            bad = next(t for t in new if not t or ord(t[0]) >= 0x250 or _UNSAFE_TERM.search(t))
            raise ValueError(f"not a word term: {bad!r}")
        ids.update(zip(new, range(len(self.words), len(self.words) + len(new))))
        self.words += new
        return np.fromiter(map(ids.__getitem__, terms), dtype=np.uint64, count=len(terms)) + np.uint64(WORD_LOCAL)


_HAN, _WORD_CHAR, _SAFE, _FOLDED, _DIGIT, _MULTIPLIER = 1, 2, 4, 8, 16, 32


@lru_cache(maxsize=1)
def _classes() -> np.ndarray:
    """A lookup table over all code points: the bits above (see segment)."""
    table = np.zeros(0x110000, dtype=np.uint8)
    for bit, ranges in ((_HAN, HAN_RANGES), (_WORD_CHAR, WORD_RANGES), (_SAFE, safe_ranges())):
        for lo, hi in ranges:
            table[lo:hi + 1] |= bit
    # A-Z are word characters once lower-cased, and tokenize lower-cases the words it takes
    table[ord("A"):ord("Z") + 1] |= _WORD_CHAR
    table[ord("0"):ord("9") + 1] |= _DIGIT
    for ch in NUMBER_MULTIPLIERS:
        table[ord(ch)] |= _MULTIPLIER
    table[list(fold_table())] |= _FOLDED
    return table


@lru_cache(maxsize=1)
def _fold_array() -> np.ndarray:
    """Code point -> its folded code point (segment.fold_table), over all code points."""
    folded = np.arange(0x110000, dtype=np.uint32)
    table = fold_table()
    folded[list(table)] = [ord(t) for t in table.values()]
    return folded


def _code_points(text: str) -> np.ndarray:
    """The code points of a string (uint32)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def _normalised_join(texts: Sequence[str]) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    """The texts normalised as segmentation needs (segment._token_text) but for lower case,
    joined by "\n"; the length of each; the code points of the joined text and their classes
    (_classes()).

    Lower-casing changes only A-Z in texts made only of ASCII, BMP Han and inert separators
    (so lengths stay): those are left as they are (the words taken from them are lower-cased,
    and A-Z count as word characters). Only texts holding other characters, found with one
    table lookup, go through _token_text one by one.
    """
    joined = "\n".join(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    cps = _code_points(joined)
    classes = _classes()[cps]
    safe = (classes & _SAFE).astype(bool)
    if safe.all():
        return joined, lengths, cps, classes
    doc_of = np.repeat(np.arange(len(texts)), lengths + 1)[:len(cps)]   # a separator goes with the text before it
    redo = set(np.flatnonzero(np.bincount(doc_of[~safe], minlength=len(texts))).tolist())
    normalised = [_token_text(t) if i in redo else t for i, t in enumerate(texts)]
    joined = "\n".join(normalised)
    cps = _code_points(joined)
    return joined, np.fromiter(map(len, normalised), dtype=np.int64, count=len(texts)), cps, _classes()[cps]


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) of each run of True in a boolean array."""
    edges = np.diff(mask, prepend=False, append=False)    # True where a run starts or ends
    bounds = np.flatnonzero(edges)
    return bounds[0::2], bounds[1::2]


def utf16_rank(cps: np.ndarray) -> np.ndarray:
    """Code points as numbers in UTF-16 order (see the module docstring), uint64."""
    ranks = cps.astype(np.uint64)
    high = np.flatnonzero(cps >= 0xD800)     # few: astral and private-use or compatibility characters
    if len(high):
        values = cps[high].astype(np.int64)
        ranks[high] = np.where(values >= 0x10000, values - 0x10000 + 0xD800, values + 0x100000).astype(np.uint64)
    return ranks


def from_utf16_rank(ranks: np.ndarray) -> np.ndarray:
    """utf16_rank undone (0 stays 0)."""
    ranks = ranks.astype(np.int64)
    return np.where(ranks < 0xD800, ranks, np.where(ranks >= 0x10E000, ranks - 0x100000, ranks - 0xD800 + 0x10000))


def _number_terms(joined: str, cps: np.ndarray, classes: np.ndarray, folded: np.ndarray, han: np.ndarray,
                  word_at: np.ndarray, word_end: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Positions and texts of the numbers with their unit (segment.number_unit): word runs of
    digits only that a Han run follows directly. `cps` are folded, `classes` of the text as
    written (`folded` marks where they differ)."""
    if not len(word_at):
        return np.zeros(0, np.int64), []
    digit = (classes & _DIGIT).astype(bool)
    non_digits = np.concatenate([[0], np.cumsum(~digit)])
    at_han = word_end < len(cps)
    candidates = at_han & (non_digits[word_end] == non_digits[word_at])
    candidates[at_han] &= han[word_end[at_han]]
    starts, ends = word_at[candidates], word_end[candidates]
    if not len(starts):
        return starts, []
    # the unit: multipliers, then one more Han character if the run goes on
    multiplier = (classes & _MULTIPLIER).astype(bool)
    if folded.any():   # 萬 is 万 once folded
        multiplier[folded] = (_classes()[cps[folded]] & _MULTIPLIER).astype(bool)
    # (each list of positions ends with the text's end, for a number whose unit ends the text)
    not_multiplier = np.append(np.flatnonzero(~multiplier), len(cps))
    after = not_multiplier[np.searchsorted(not_multiplier, ends)]
    unit_end = np.minimum(after + 1, len(cps))
    # a Han run ends the unit early
    not_han = np.append(np.flatnonzero(~han), len(cps))
    unit_end = np.minimum(unit_end, not_han[np.searchsorted(not_han, ends)])
    texts = "\n".join([joined[a:b] for a, b in zip(starts.tolist(), unit_end.tolist())])
    return starts, texts.translate(fold_table()).lower().split("\n")


def tokenize(texts: Sequence[str], table: TermTable) -> tuple[np.ndarray, np.ndarray]:
    """All tokens of `texts` as (document number, term code) arrays; per document the same
    multiset of terms as segment.segment(text), order not kept."""
    joined, lengths, cps, classes = _normalised_join(texts)   # "\n" separates: no token spans two documents
    folded = (classes & _FOLDED).astype(bool)
    if folded.any():
        cps = cps.copy()
        cps[folded] = _fold_array()[cps[folded]]
    han = (classes & _HAN).astype(bool)
    if len(han):
        bigram_at = np.flatnonzero(han[:-1] & han[1:])
        single_at = np.flatnonzero(han[:-1] & ~han[1:])
        if han[-1]:
            single_at = np.append(single_at, len(han) - 1)
    else:
        bigram_at = single_at = np.zeros(0, np.int64)
    word_at, word_end = _runs((classes & _WORD_CHAR).astype(bool))
    words = [joined[a:b].lower() for a, b in zip(word_at.tolist(), word_end.tolist())]
    number_at, numbers = _number_terms(joined, cps, classes, folded, han, word_at, word_end)
    positions = np.concatenate([bigram_at, single_at, word_at, number_at])
    # ranks only where terms start (arrays as long as the text are what a batch's memory is)
    codes = np.concatenate([(utf16_rank(cps[bigram_at]) << np.uint64(_SHIFT)) | utf16_rank(cps[bigram_at + 1]),
                            utf16_rank(cps[single_at]) << np.uint64(_SHIFT), table.codes(words), table.codes(numbers)])
    # document of each position: each document ends with its separator
    docs = np.searchsorted(np.cumsum(lengths + 1), positions, side="right")
    return docs, codes


def string_terms(term_lists: Sequence[Sequence[str]], table: TermTable) -> tuple[np.ndarray, np.ndarray]:
    """(document number, term code) arrays for fields given as ready-made word-term lists."""
    counts = np.fromiter(map(len, term_lists), dtype=np.int64, count=len(term_lists))
    docs = np.repeat(np.arange(len(term_lists), dtype=np.int64), counts)
    return docs, table.codes([t for terms in term_lists for t in terms])


def utf16_key(term: str) -> bytes:
    """Sort key giving JavaScript's string order (UTF-16 code units)."""
    return term.encode("utf-16-be", "surrogatepass")


def posting_digits(n_terms: int, term_ids: np.ndarray, doc_ids: np.ndarray) -> bytes:
    """One field's postings in the compact form (module docstring): per term (all n_terms, in
    order; documents sorted within each) the gaps of its document numbers, each in base
    POSTING_BASE, terms separated by a space."""
    if n_terms == 0:
        return b""
    base = np.uint32(POSTING_BASE)
    gaps = doc_ids.astype(np.int64)   # a copy
    if len(gaps) > 1:
        gaps[1:] -= np.where(term_ids[1:] == term_ids[:-1], doc_ids[:-1] + 1, 0)
    gaps = gaps.astype(np.uint32)     # unsigned 32-bit: division by a constant is fast
    digits = np.ones(len(gaps), dtype=np.int64)
    top = int(gaps.max()) if len(gaps) else 0
    limit = POSTING_BASE
    while top >= limit:
        digits += gaps >= limit
        limit *= POSTING_BASE
    at = np.cumsum(digits)
    at += term_ids
    at -= 1                           # each gap's last digit (after one space per term before)
    out = np.full(int(digits.sum()) + n_terms - 1, ord(" "), dtype=np.uint8)
    value = gaps // base
    out[at] = _DIGIT_BYTES[gaps - value * base]
    while True:   # leading digits, right to left
        more = np.flatnonzero(value)
        if not len(more):
            return out.tobytes()
        at, value = at[more] - 1, value[more]
        quotient = value // base
        out[at] = _DIGIT_BYTES[POSTING_BASE + (value - quotient * base)]
        value = quotient


def tf_digits(tf: np.ndarray) -> bytes:
    """Term frequencies as one digit each (capped at MAX_TF); b"" when every one is 1."""
    if not len(tf) or int(tf.max()) == 1:
        return b""
    return _DIGIT_BYTES[np.minimum(tf, MAX_TF)].tobytes()


def _utf8_matrix(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """UTF-8 of one- or two-character Han terms (second = 0: none), one row of 8 bytes per
    term, and the mask of the bytes used. All Han is U+3007 and up, so each character takes
    3 or 4 bytes."""
    columns, masks = [], []
    for chars, present in ((first, np.ones(len(first), bool)), (second, second > 0)):
        four = chars >= 0x10000
        columns += [np.where(four, 0xF0 | (chars >> 18), 0xE0 | (chars >> 12)),
                    np.where(four, 0x80 | ((chars >> 12) & 0x3F), 0x80 | ((chars >> 6) & 0x3F)),
                    np.where(four, 0x80 | ((chars >> 6) & 0x3F), 0x80 | (chars & 0x3F)),
                    0x80 | (chars & 0x3F)]
        masks += [present, present, present, present & four]
    return np.stack(columns, axis=1).astype(np.uint8), np.stack(masks, axis=1)


def han_chars(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first and second code points (0: none) of Han term codes."""
    first = from_utf16_rank((codes >> np.uint64(_SHIFT)).astype(np.int64))
    second = from_utf16_rank((codes & np.uint64(_LOW)).astype(np.int64))
    return first, second


def term_texts(codes: np.ndarray, words: Sequence[str]) -> bytes:
    """The terms of sorted final codes (word ranks into `words`, then Han codes), UTF-8,
    separated by spaces."""
    han_from = int(np.searchsorted(codes, np.uint64(HAN_START)))
    pieces = []
    if han_from:
        pieces.append(" ".join([words[int(c)] for c in codes[:han_from].tolist()]).encode())
    if han_from < len(codes):
        first, second = han_chars(codes[han_from:])
        mat, mask = _utf8_matrix(first, second)
        mat = np.concatenate([mat, np.full((len(first), 1), ord(" "), np.uint8)], axis=1)
        mask = np.concatenate([mask, np.ones((len(first), 1), bool)], axis=1)
        pieces.append(mat[mask][:-1].tobytes())
    return b" ".join(pieces)


def compact_index(fields: Sequence[str], terms: bytes, n_terms: int,
                  postings: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> bytes:
    """An index part in the compact form: `terms` as term_texts gives them, and per field its
    postings as (term numbers, document numbers, term frequencies), sorted by term, then document."""
    return b"".join([b'{"version":"', LUNR_JS_VERSION.encode(), b'","fields":["', '","'.join(fields).encode(),
                     b'"],"terms":"', terms, b'","postings":["',
                     b'","'.join([posting_digits(n_terms, t, d) for t, d, _ in postings]), b'"],"tf":["',
                     b'","'.join([tf_digits(tf) for _, _, tf in postings]), b'"],"pipeline":[]}'])
