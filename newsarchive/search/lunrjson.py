"""A bulk lunr index writer: lunr.py's Builder fed whole fields of pre-segmented terms.

lunr.py builds an index one document at a time in pure Python (tokenizer, pipeline, a posting
dict per term and document, a Vector insert per term, then a TokenSet), which takes minutes
for ten thousand Chinese articles. `BulkBuilder` keeps lunr.py's Builder configuration and its
scoring formula (BM25 with b, k1 and field boosts, lunr's idf over field postings, scores
rounded to 3 places) but does the per-term work with numpy and writes the serialisation as
bytes directly, without the TokenSet (it is not serialised) and without per-posting objects.

The JSON is byte for byte what `json.dumps(lunr.Index.serialize(), ensure_ascii=False,
separators=(",", ":"))` gives for the same documents, with two deliberate differences, both
required or allowed by lunr.js 2.3.9 (tests compare the two):

- the inverted index is sorted by UTF-16 code units, as lunr.js's TokenSet.Builder requires
  (lunr.py sorts by code point, which breaks loading once a term holds an astral character);
- each term's `_index` is its position in that order (lunr.py numbers terms in order of first
  appearance); field vectors use the same numbers, so postings and vectors stay consistent.

Optionally, field vectors of empty fields are left out (`omit_empty_vectors`): lunr.js only
looks a vector up for a field a query term matched, and an empty field matches nothing.

An index without vectors (`vectors=False`, `omit_empty_vectors=True`) can also be written in
a compact form (`serialize_compact_bytes`) that search.js expands into exactly the JSON above
before lunr.Index.load (tests compare the two):

    {"version":"2.3.9","fields":["t"],"terms":"<the terms in UTF-16 order, space-separated>",
     "postings":["<per field: per term, the gaps of its document numbers in digits, terms
                  separated by a space>"],"pipeline":[]}

Document numbers are positions in the refs list, which the file holding the index supplies
(catalog rows, shard texts). A term's gaps are its first document number, then each next
one minus the one before minus 1, each written in base POSTING_BASE (46) with the 92 digits
of POSTING_DIGITS (printable ASCII but the space, '"' and the backslash): leading digits
from the second half, the last digit from the first half, so numbers need no separator
(in a shard of 128 articles nearly every gap is one character). Terms never contain spaces
(they are Han runs or word runs), so one string holds them all. Empty field vectors are
implied (one for each document and field with a posting). Measured on 10,000 synthetic
articles, shard postings take 9.4 MB (3.5 MB gzipped) in this form, 20.4 MB (5.3 MB) as
format 3's JSON lists of decimal gaps, and about twice that again in lunr's own form, where
refs and `{}`/`_index` repeat per term.

Terms are coded as integers whose order is the terms' order: a Han bigram is (a << 21) | b,
a single Han character (c << 21), and a word (Latin/digit run, pinyin key) is WORD_BASE plus
its number in a TermTable while collecting, then its rank among the words (words sort before
Han in UTF-16 and all Han codes are >= 0x3007 << 21). For characters below U+D800 code order
is UTF-16 order, so postings sorted by code are already in the order lunr.js needs; terms
with astral or U+E000+ characters are re-ranked exactly.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from lunr import __TARGET_JS_VERSION__ as LUNR_JS_VERSION
from lunr.builder import Builder

from ..text.segment import _WORD, HAN_RANGES, WORD_RANGES, _token_text, safe_ranges

_SHIFT = 21
_LOW = (1 << _SHIFT) - 1
WORD_BASE = 1 << 62
_WORD_ONLY = re.compile(f"[{_WORD}]+\\Z")
_JSON_UNSAFE = re.compile(r'["\\\x00-\x1f]')
# Digits of the compact form's postings: printable ASCII but the space (it separates terms),
# '"' and '\\' (JSON would escape them). A number is written in base POSTING_BASE, most
# significant digit first: its last digit from the first half, any leading ones from the second.
POSTING_DIGITS = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"\\')
POSTING_BASE = len(POSTING_DIGITS) // 2
_DIGIT_BYTES = np.frombuffer(POSTING_DIGITS.encode(), dtype=np.uint8)


class TermTable:
    """Numbers for word terms (Latin/digit runs, pinyin keys), shared by the fields of one index."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self._ids: dict[str, int] = {}

    def codes(self, terms: Sequence[str]) -> np.ndarray:
        """The codes of word terms, numbering new ones in order of first sight.

        Only word characters are allowed: they all sort before Han characters in UTF-16,
        which the writer relies on, and none needs escaping in JSON.
        """
        ids = self._ids
        new = list(dict.fromkeys(terms))
        if ids:
            new = [t for t in new if t not in ids]
        # one regex over the new terms joined: all word characters iff each term is
        if new and (not all(new) or not _WORD_ONLY.match("".join(new))):
            bad = next(t for t in new if not _WORD_ONLY.match(t))
            raise ValueError(f"not a word term: {bad!r}")
        ids.update(zip(new, range(len(self.words), len(self.words) + len(new))))
        self.words += new
        return np.fromiter(map(ids.__getitem__, terms), dtype=np.uint64, count=len(terms)) + np.uint64(WORD_BASE)


@lru_cache(maxsize=1)
def _classes() -> np.ndarray:
    """A lookup table over all code points: _HAN, _WORD_CHAR and _SAFE bits (see segment)."""
    table = np.zeros(0x110000, dtype=np.uint8)
    for bit, ranges in ((_HAN, HAN_RANGES), (_WORD_CHAR, WORD_RANGES), (_SAFE, safe_ranges())):
        for lo, hi in ranges:
            table[lo:hi + 1] |= bit
    # A-Z are word characters once lower-cased, and tokenize lower-cases the words it takes
    table[ord("A"):ord("Z") + 1] |= _WORD_CHAR
    return table


_HAN, _WORD_CHAR, _SAFE = 1, 2, 4


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


def tokenize(texts: Sequence[str], table: TermTable) -> tuple[np.ndarray, np.ndarray]:
    """All tokens of `texts` as (document number, term code) arrays; per document the same
    multiset of terms as segment.segment(text), order not kept."""
    joined, lengths, cps, classes = _normalised_join(texts)   # "\n" separates: no token spans two documents
    han = (classes & _HAN).astype(bool)
    if len(han):
        han_pair = han[:-1] & han[1:]
        bigram_at = np.flatnonzero(han_pair)
        single_at = np.flatnonzero(han[:-1] & ~han[1:])
        if han[-1]:
            single_at = np.append(single_at, len(han) - 1)
    else:
        bigram_at = single_at = np.zeros(0, np.int64)
    word_at, word_end = _runs((classes & _WORD_CHAR).astype(bool))
    words = [joined[a:b].lower() for a, b in zip(word_at.tolist(), word_end.tolist())]
    positions = np.concatenate([bigram_at, single_at, word_at])
    codes = np.concatenate([(cps[bigram_at].astype(np.uint64) << np.uint64(_SHIFT)) | cps[bigram_at + 1],
                            cps[single_at].astype(np.uint64) << np.uint64(_SHIFT), table.codes(words)])
    # document of each position (each document and its separator)
    docs = np.repeat(np.arange(len(texts), dtype=np.int64), lengths + 1)[positions] if len(positions) \
        else np.zeros(0, np.int64)
    return docs, codes


def string_terms(term_lists: Sequence[Sequence[str]], table: TermTable) -> tuple[np.ndarray, np.ndarray]:
    """(document number, term code) arrays for fields given as ready-made word-term lists."""
    counts = np.fromiter(map(len, term_lists), dtype=np.int64, count=len(term_lists))
    docs = np.repeat(np.arange(len(term_lists), dtype=np.int64), counts)
    return docs, table.codes([t for terms in term_lists for t in terms])


def utf16_key(term: str) -> bytes:
    """Sort key giving JavaScript's string order (UTF-16 code units)."""
    return term.encode("utf-16-be", "surrogatepass")


def _exclusive_cumsum(values: np.ndarray) -> np.ndarray:
    """Running totals before each element."""
    out = np.zeros(len(values), dtype=np.int64)
    if len(values) > 1:
        np.cumsum(values[:-1], out=out[1:])
    return out


def _rank_in_groups(groups: np.ndarray) -> np.ndarray:
    """For a sorted array, each element's position within its run of equal values."""
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64)
    index = np.arange(len(groups), dtype=np.int64)
    starts = np.where(np.concatenate([[True], groups[1:] != groups[:-1]]), index, 0)
    return index - np.maximum.accumulate(starts)


def _last_in_groups(groups: np.ndarray) -> np.ndarray:
    """For a sorted array, True at the last element of each run of equal values."""
    return np.concatenate([groups[1:] != groups[:-1], [True]]) if len(groups) else np.zeros(0, bool)


def _small_ints(values: np.ndarray) -> np.ndarray:
    """The values in the narrowest unsigned type, so that a stable argsort is a radix sort."""
    top = int(values.max()) if len(values) else 0
    return values.astype(np.uint16 if top < 1 << 16 else np.uint32 if top < 1 << 32 else np.uint64)


class _Pieces:
    """Byte strings laid out in one buffer; the output is assembled from piece numbers.

    Joining a Python list of hundreds of thousands of small strings costs more than
    building the index; a numpy gather over one buffer does it in a few array operations,
    and pieces made with numpy (numbers, Han terms) never become Python objects.
    """

    _CHUNK = 1 << 20  # pieces per gather: bounds the index arrays on very large indexes

    def __init__(self) -> None:
        self._blocks: list[np.ndarray] = []
        self._starts: list[np.ndarray] = []
        self._lengths: list[np.ndarray] = []
        self._count = 0
        self._size = 0

    def add(self, items: Sequence[bytes]) -> int:
        """Append byte strings as pieces; returns the number of the first."""
        lengths = np.fromiter(map(len, items), dtype=np.int64, count=len(items))
        return self.add_buffer(np.frombuffer(b"".join(items), dtype=np.uint8), _exclusive_cumsum(lengths), lengths)

    def add_buffer(self, buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> int:
        """Append pieces given as (start, length) slices of a byte buffer; returns the first number."""
        base = self._count
        self._blocks.append(buf)
        self._starts.append(starts + self._size)
        self._lengths.append(lengths)
        self._size += len(buf)
        self._count += len(lengths)
        return base

    def add_trimmed(self, first: int, count: int) -> int:
        """Append copies of pieces first..first+count-1 lacking their last byte (no new bytes)."""
        starts, lengths = self._pieces()
        self._starts.append(starts[first:first + count])
        self._lengths.append(lengths[first:first + count] - 1)
        base = self._count
        self._count += count
        return base

    def _pieces(self) -> tuple[np.ndarray, np.ndarray]:
        """Start and length of every piece so far."""
        if not self._starts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(self._starts), np.concatenate(self._lengths)

    def assemble(self, ids: np.ndarray) -> bytes:
        """The pieces with the given numbers, concatenated."""
        buf = np.concatenate(self._blocks) if self._blocks else np.zeros(0, np.uint8)
        all_starts, all_lengths = self._pieces()
        out = []
        for lo in range(0, len(ids), self._CHUNK):
            chunk = ids[lo:lo + self._CHUNK]
            lengths = all_lengths[chunk]
            total = int(lengths.sum())
            kind = np.int32 if max(total, len(buf)) < 2**31 else np.int64
            index = np.repeat((all_starts[chunk] - _exclusive_cumsum(lengths)).astype(kind), lengths)
            index += np.arange(total, dtype=kind)
            out.append(buf[index].tobytes())
        return b"".join(out)


def _decimal_pieces(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """"n," for each non-negative integer as (buffer, starts, lengths); the piece without its
    comma is (start, length - 1)."""
    values = values.astype(np.int64)
    width = len(str(int(values.max()))) if len(values) else 1
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    mat = np.empty((len(values), width + 1), dtype=np.uint8)
    mat[:, :width] = (values[:, None] // powers) % 10 + 48
    mat[:, width] = ord(",")
    mask = np.ones(mat.shape, dtype=bool)
    mask[:, :width] = values[:, None] >= powers
    mask[:, width - 1] = True
    lengths = mask.sum(axis=1, dtype=np.int64)
    return mat[mask], _exclusive_cumsum(lengths), lengths


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (np.unique without its hash table, which is far slower
    for large integer arrays)."""
    return _distinct(np.sort(values))


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array."""
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


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


def _utf16_units(chars: np.ndarray) -> np.ndarray:
    """UTF-16 code units of code points as two columns (0 = none; 0 also marks "no character")."""
    astral = chars >= 0x10000
    high = np.where(astral, 0xD800 + ((chars - 0x10000) >> 10), chars)
    low = np.where(astral, 0xDC00 + ((chars - 0x10000) & 0x3FF), 0)
    return np.stack([high, low], axis=1)


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


def _utf8_pieces(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """UTF-8 of one- or two-character Han terms (second = 0: none) as (buffer, starts, lengths)."""
    mat, mask = _utf8_matrix(first, second)
    lengths = mask.sum(axis=1, dtype=np.int64)
    return mat[mask], _exclusive_cumsum(lengths), lengths


def _utf8_spaced(first: np.ndarray, second: np.ndarray) -> bytes:
    """UTF-8 of one- or two-character Han terms (second = 0: none), separated by spaces."""
    if not len(first):
        return b""
    mat, mask = _utf8_matrix(first, second)
    mat = np.concatenate([mat, np.full((len(first), 1), ord(" "), np.uint8)], axis=1)
    mask = np.concatenate([mask, np.ones((len(first), 1), bool)], axis=1)
    return mat[mask][:-1].tobytes()


def _idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    """lunr's idf, with math.log on each distinct document frequency (exactly as lunr.py)."""
    values, inverse = np.unique(df, return_inverse=True)
    idf = np.array([math.log(1 + abs((n_docs - d + 0.5) / (d + 0.5))) for d in values.tolist()])
    return idf[inverse.ravel()] if len(df) else np.zeros(0)


@lru_cache(maxsize=1 << 16)
def _score_text(thousandths: int) -> bytes:
    """A score as lunr.py writes it: repr(round(score, 3)) (cached: scores repeat a lot)."""
    return repr(thousandths / 1000).encode()


def _round3(scores: np.ndarray) -> np.ndarray:
    """round(score, 3) as thousandths, exactly as Python rounds (half to even on the true value)."""
    scaled = scores * 1000.0
    thousandths = np.rint(scaled)
    # scaled carries a rounding error of its own; near a .5 tie let Python decide
    near_tie = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    for i in near_tie.tolist():
        thousandths[i] = round(round(float(scores[i]), 3) * 1000)
    return thousandths.astype(np.int64)


class BulkBuilder(Builder):
    """lunr.py's Builder for documents given as refs and whole fields of term codes.

    `vectors=False` writes every field vector empty: lunr.js then still matches (postings
    decide that) but scores every result 0, and the caller ranks; it saves about half of a
    small index (see newsarchive/search/index.py for where that is used).
    """

    def __init__(self, refs: Sequence[str], fields: Sequence[tuple[str, int]], table: TermTable,
                 omit_empty_vectors: bool = False, vectors: bool = True) -> None:
        super().__init__()  # empty pipelines: text arrives segmented, lunr.js must not trim/stem
        for name, boost in fields:
            self.field(name, boost)
        for ref in refs:
            if _JSON_UNSAFE.search(ref):
                raise ValueError(f"ref needs JSON escaping: {ref!r}")
        self.refs = list(refs)
        self.document_count = len(self.refs)
        self.table = table
        self.omit_empty_vectors = omit_empty_vectors
        self.vectors = vectors
        self._occurrences: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def add_field(self, field: str, docs: np.ndarray, codes: np.ndarray) -> None:
        """Set one field for all documents: the document number and term code of every token."""
        if field not in self._fields or _JSON_UNSAFE.search(field):
            raise ValueError(f"unknown field {field!r}")
        self._occurrences[field] = (docs, codes)

    def add_texts(self, field: str, texts: Sequence[str]) -> None:
        """Set one field from raw texts (one per document), segmented like segment.segment."""
        self.add_field(field, *tokenize(texts, self.table))

    def add_terms(self, field: str, term_lists: Sequence[Sequence[str]]) -> None:
        """Set one field from ready-made word-term lists (one per document)."""
        self.add_field(field, *string_terms(term_lists, self.table))

    def _fields_occurrences(self) -> list[tuple[str, np.ndarray, np.ndarray]]:
        """(field, docs, codes) in field order; a field never added is empty."""
        empty = (np.zeros(0, np.int64), np.zeros(0, np.uint64))
        return [(f, *self._occurrences.get(f, empty)) for f in self._fields]

    def _word_ranks(self) -> tuple[np.ndarray, list[str]]:
        """Each word number's rank among the table's words, and the words in that order."""
        words = self.table.words
        order = sorted(range(len(words)), key=words.__getitem__)  # below U+0250: UTF-16 order
        rank = np.empty(len(words), dtype=np.uint64)
        rank[order] = np.arange(len(words), dtype=np.uint64)
        return rank, list(map(words.__getitem__, order))

    def _collect(self, counts: bool = True) -> tuple[list, np.ndarray, list[str]]:
        """Per field, the sorted unique (code, doc) postings with term frequencies and field
        lengths (None without `counts`); the sorted codes of all terms; the words in rank order."""
        n_docs = len(self.refs)
        doc_bits = max(n_docs - 1, 1).bit_length()
        word_rank, words = self._word_ranks()
        collected = []
        for field, docs, codes in self._fields_occurrences():
            is_word = codes >= WORD_BASE
            if is_word.any():
                codes = codes.copy()
                codes[is_word] = word_rank[(codes[is_word] - np.uint64(WORD_BASE)).astype(np.int64)]
            keys = (codes << np.uint64(doc_bits)) | docs.astype(np.uint64)
            if counts:
                keys, tf = np.unique(keys, return_counts=True)
                lengths = np.bincount(docs, minlength=n_docs)
            else:
                keys, tf, lengths = _sorted_unique(keys), None, None
            collected.append((field, keys >> np.uint64(doc_bits),
                              (keys & np.uint64((1 << doc_bits) - 1)).astype(np.int64), tf, lengths))
        field_codes = [_distinct(c[1]) for c in collected]   # postings are sorted by code
        all_codes = field_codes[0] if len(field_codes) == 1 else _sorted_unique(
            np.concatenate(field_codes or [np.zeros(0, np.uint64)]))
        return collected, all_codes, words

    @staticmethod
    def _han_order(han: np.ndarray, han_start: int) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
        """For the sorted codes of Han terms (after han_start word codes): each code's rank
        in UTF-16 order of all terms (None when every code's rank is its position), and the
        terms' first and second characters (0: none) in that order."""
        first = (han >> np.uint64(_SHIFT)).astype(np.int64)
        second = (han & np.uint64(_LOW)).astype(np.int64)
        if not len(han) or max(int(first.max()), int(second.max())) < 0xD800:
            return None, first, second
        # code point order differs from UTF-16 order here: rank by code units
        units = np.hstack([_utf16_units(first), _utf16_units(second)])
        han_order = np.lexsort(units.T[::-1])
        rank = np.arange(han_start + len(han), dtype=np.int64)
        rank[han_start + han_order] = np.arange(han_start, han_start + len(han))
        return rank, first[han_order], second[han_order]

    def _vocabulary(self, pieces: _Pieces, all_codes: np.ndarray,
                    words: list[str]) -> tuple[np.ndarray | None, np.ndarray]:
        """Each sorted code's rank in UTF-16 order of its term (None when every code's rank is
        its position), and the piece number of each term's UTF-8 text, by rank."""
        han_start = int(np.searchsorted(all_codes, np.uint64(0x3007 << _SHIFT)))
        rank, first, second = self._han_order(all_codes[han_start:], han_start)
        word_base = pieces.add([words[int(c)].encode() for c in all_codes[:han_start].tolist()])
        han_base = pieces.add_buffer(*_utf8_pieces(first, second))
        term_piece = np.concatenate([word_base + np.arange(han_start), han_base + np.arange(len(first))])
        return rank, term_piece

    def serialize_json(self) -> str:
        """The serialisation as text (see serialize_bytes)."""
        return self.serialize_bytes().decode("utf-8")

    def serialize_bytes(self) -> bytes:
        """The index as lunr.js 2.3.9 loads it, UTF-8 (see the module docstring for the format)."""
        n_docs = len(self.refs)
        pieces = _Pieces()
        term_piece, postings, df = self._term_postings(pieces)
        n_terms = len(term_piece)
        idf = _idf(df, n_docs)
        numbers = pieces.add_buffer(*_decimal_pieces(np.arange(n_terms)))
        head = pieces.add([b'{"version":' + json.dumps(LUNR_JS_VERSION).encode() + b',"fields":'
                           + json.dumps(list(self._fields), separators=(",", ":")).encode() + b',"fieldVectors":['])
        vectors = self._vector_pieces(pieces, numbers, postings, idf)
        middle = pieces.add([b'],"invertedIndex":['])
        inverted = self._inverted_pieces(pieces, numbers, term_piece, postings)
        tail = pieces.add([b'],"pipeline":[]}'])
        return pieces.assemble(np.concatenate([[head], vectors, [middle], inverted, [tail]]).astype(np.int64))

    def serialize_compact_bytes(self) -> bytes:
        """The index in the compact form (module docstring), UTF-8; only without vectors."""
        if self.vectors or not self.omit_empty_vectors:
            raise ValueError("the compact form is for indexes without vectors (vectors=False, "
                             "omit_empty_vectors=True)")
        collected, all_codes, words = self._collect(counts=False)
        han_start = int(np.searchsorted(all_codes, np.uint64(0x3007 << _SHIFT)))
        rank, first, second = self._han_order(all_codes[han_start:], han_start)
        terms = b" ".join(([" ".join(map(words.__getitem__, all_codes[:han_start].tolist())).encode()]
                           if han_start else []) + ([_utf8_spaced(first, second)] if len(first) else []))
        postings = self._term_ids(collected, all_codes, rank)
        n_terms = len(all_codes)
        return b"".join([b'{"version":', json.dumps(LUNR_JS_VERSION).encode(), b',"fields":',
                         json.dumps(list(self._fields), separators=(",", ":")).encode(), b',"terms":"', terms,
                         b'","postings":["',
                         b'","'.join([posting_digits(n_terms, term_ids, doc_ids)
                                      for _, term_ids, doc_ids, _, _ in postings]),
                         b'"],"pipeline":[]}'])

    def _term_postings(self, pieces: _Pieces) -> tuple[np.ndarray, list, np.ndarray]:
        """The piece number of each term's text (terms in UTF-16 order), the postings of each
        field as (field, term numbers, document numbers, term frequencies, field lengths),
        sorted by term then document, and each term's document frequency over all fields."""
        collected, all_codes, words = self._collect()
        rank, term_piece = self._vocabulary(pieces, all_codes, words)
        postings = self._term_ids(collected, all_codes, rank)
        df = np.zeros(len(all_codes), dtype=np.int64)
        for _, term_ids, _, _, _ in postings:
            df += np.bincount(term_ids, minlength=len(all_codes))
        return term_piece, postings, df

    @staticmethod
    def _term_ids(collected: list, all_codes: np.ndarray, rank: np.ndarray | None) -> list:
        """The postings of each field as (field, term numbers, document numbers, term
        frequencies, field lengths), sorted by term number then document."""
        postings = []
        for field, codes, docs, tf, lengths in collected:
            # postings are sorted by (code, doc): map each run of one code to its term number
            starts = np.flatnonzero(np.concatenate([[True], codes[1:] != codes[:-1]])) if len(codes) \
                else np.zeros(0, dtype=np.int64)
            run_terms = np.searchsorted(all_codes, codes[starts])
            term_ids = np.repeat(run_terms, np.diff(np.append(starts, len(codes))))
            if rank is not None:
                term_ids = rank[term_ids]
                order = np.argsort(term_ids, kind="stable")     # by term, then document
                term_ids, docs = term_ids[order], docs[order]
                tf = tf[order] if tf is not None else None
            postings.append((field, term_ids, docs, tf, lengths))
        return postings

    def _scores(self, field: str, doc_ids: np.ndarray, term_ids: np.ndarray, tf: np.ndarray,
                lengths: np.ndarray, idf: np.ndarray) -> np.ndarray:
        """Scores in thousandths, computed as lunr.Builder._create_field_vectors does."""
        if len(doc_ids) == 0:
            return np.zeros(0, dtype=np.int64)
        avg = int(lengths.sum()) / len(self.refs)
        k1, b = self._k1, self._b
        # the same floating-point operations in the same order as lunr.py
        norm = k1 * (1 - b + b * (lengths[doc_ids] / avg))
        scores = idf[term_ids] * ((k1 + 1) * tf) / (norm + tf)
        return _round3(scores * self._fields[field].boost)

    def _vector_pieces(self, table: _Pieces, numbers: int, postings: list, idf: np.ndarray) -> np.ndarray:
        """Piece numbers of the fieldVectors entries, ["field/ref",[index,score,...]] per
        document and field; `numbers` is the first of the "0,", "1,", ... pieces."""
        n_docs, n_fields = len(self.refs), len(postings)
        counts = np.zeros((n_docs, n_fields), dtype=np.int64)
        elements = []
        for f, (field, term_ids, doc_ids, tf, lengths) in enumerate(postings):
            counts[:, f] = np.bincount(doc_ids, minlength=n_docs)
            if not self.vectors:
                continue
            order = np.argsort(_small_ints(doc_ids), kind="stable")   # document-major
            doc_ids, term_ids, tf = doc_ids[order], term_ids[order], tf[order]
            unique_k, k_id = np.unique(self._scores(field, doc_ids, term_ids, tf, lengths, idf),
                                       return_inverse=True)
            text = list(map(_score_text, unique_k.tolist()))
            last = _last_in_groups(doc_ids)    # the last score of an entry takes no comma
            base = table.add([t + b"," for t in text] + text)
            elements.append((f, doc_ids, numbers + term_ids, base + k_id.ravel() + len(text) * last))
        emitted = (counts > 0) | (not self.omit_empty_vectors)
        sizes = 2 * counts if self.vectors else np.zeros_like(counts)
        entry_len = np.where(emitted, sizes + 2, 0).ravel()   # header, elements, "]]"
        entry_start = _exclusive_cumsum(entry_len)
        pieces = np.empty(int(entry_len.sum()), dtype=np.int64)
        closing = table.add([b"]]"])
        headers = []
        for i, ref in enumerate(self.refs):
            for f, (field, *_rest) in enumerate(postings):
                if emitted[i, f]:
                    # lunr's FieldRef is "field/ref" (split at the first "/")
                    headers.append(b'%s["%s/%s",[' % (b"," if headers else b"", field.encode(), ref.encode()))
        used = entry_len > 0
        pieces[entry_start[used]] = table.add(headers) + np.arange(len(headers))
        pieces[entry_start[used] + entry_len[used] - 1] = closing
        for f, doc_ids, number_ids, score_ids in elements:
            at = entry_start[doc_ids * n_fields + f] + 1 + 2 * _rank_in_groups(doc_ids)
            pieces[at] = number_ids
            pieces[at + 1] = score_ids
        return pieces

    def _inverted_pieces(self, table: _Pieces, numbers: int, term_piece: np.ndarray,
                         postings: list) -> np.ndarray:
        """Piece numbers of the invertedIndex entries, ["term",{"field":{"ref":{},...},...,
        "_index":n}] in term order.

        Per term: '["' (',["' after the first), the term, '",{"field":{', the member pieces
        of each field's documents with the openings of the next fields between them, then
        '},"_index":', the number and '}]'.
        """
        n_terms, n_fields = len(term_piece), len(postings)
        if n_terms == 0:
            return np.zeros(0, dtype=np.int64)
        fields = [p[0].encode() for p in postings]
        base = table.add([b'["', b',["', b'",{"%s":{' % fields[0], b'},"_index":', b"}]"])
        opening, later_opening, after_term, index_key, closing = range(base, base + 5)
        between = [table.add([b'},"%s":{' % f]) for f in fields[1:]]
        members = [b'"%s":{}' % r.encode() for r in self.refs]
        member_base = table.add([m + b"," for m in members] + members)
        # the number pieces end in a comma; the _index wants the number alone
        numbers_bare = table.add_trimmed(numbers, n_terms)
        slots = 3 + 2 * n_fields + 2     # header (3), members and openings, footer (3)
        per_term = np.zeros((n_terms, slots), dtype=np.int64)
        per_term[:, 0:3] = 1
        per_term[:, 4:3 + 2 * n_fields:2] = 1
        per_term[:, -3:] = 1
        for f, (_, term_ids, _, _, _) in enumerate(postings):
            per_term[:, 3 + 2 * f] = np.bincount(term_ids, minlength=n_terms)
        slot_start = (np.cumsum(per_term.ravel()) - per_term.ravel()).reshape(per_term.shape)
        pieces = np.empty(int(per_term.sum()), dtype=np.int64)
        term_index = np.arange(n_terms)
        pieces[slot_start[:, 0]] = np.where(term_index > 0, later_opening, opening)
        pieces[slot_start[:, 1]] = term_piece
        pieces[slot_start[:, 2]] = after_term
        for f, piece in enumerate(between):
            pieces[slot_start[:, 4 + 2 * f]] = piece
        pieces[slot_start[:, -3]] = index_key
        pieces[slot_start[:, -2]] = numbers_bare + term_index
        pieces[slot_start[:, -1]] = closing
        for f, (_, term_ids, doc_ids, _, _) in enumerate(postings):
            at = slot_start[term_ids, 3 + 2 * f] + _rank_in_groups(term_ids)
            pieces[at] = member_base + doc_ids + len(members) * _last_in_groups(term_ids)
        return pieces
