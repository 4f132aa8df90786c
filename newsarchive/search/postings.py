"""The archive's postings, collected in batches of articles and cut into index parts by term.

A batch (BATCH_DOCS consecutive document numbers) is tokenized in one go (lunrjson.tokenize)
into (term, field, document, term frequency) postings, sorted by term code; batches can be
collected in worker processes, and kept in the build cache (save_batch) so that an incremental
build tokenizes again only the batches whose articles changed (new articles come last, in
the last batch). `Postings` then holds every batch and knows every term of the
archive in lunr.js's order; `cut_parts` groups consecutive terms into parts of about
PART_MIN..PART_MAX bytes and `parts_json` writes runs of consecutive parts in lunrjson's compact form.

Where parts are cut depends on the terms themselves (a part ends before a term whose hash
says so, once the part is big enough), not on a running total from the first term: an edit
that adds or drops postings moves no cut far from the terms it touched, so the other parts keep
their bytes and are reused from the cache. A term whose postings alone exceed PART_MAX (工会 in
most articles) is a part of its own.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .lunrjson import HAN_START, WORD_LOCAL, TermTable, compact_index, string_terms, term_texts, tokenize, utf16_key

BATCH_DOCS = 1024           # documents per batch (document numbers within a batch fit 16 bits)
PART_MIN = 24_000           # estimated JSON bytes before a part may end
PART_MAX = 96_000           # ... and after which it must
CUT_ONE_IN = 16             # a term ends a part (once past PART_MIN) when its hash is 0 modulo this
_DOC_BITS, _FIELD_BITS = 16, 3
FIELD_SLOTS = range(1 << _FIELD_BITS)


@dataclass(frozen=True)
class FieldInput:
    """One field of a batch: its name and, per document, either a text to segment or a list
    of ready-made word terms."""

    name: str
    texts: Sequence[str] | None = None
    terms: Sequence[Sequence[str]] | None = None


@dataclass
class Batch:
    """The postings of one batch of documents, sorted by (term code, field, document).

    `codes` are the batch's distinct term codes and `starts` where each one's postings begin
    (len(codes) + 1 entries). Word codes are WORD_LOCAL + the word's place in `words`, which
    are sorted as lunr.js sorts them, until Postings ranks them among all words."""

    first: int
    codes: np.ndarray
    starts: np.ndarray
    field: np.ndarray       # uint8
    doc: np.ndarray         # uint16, relative to `first`
    tf: np.ndarray          # uint8, capped at 255
    words: list[str]


def sort_order(words: Sequence[str]) -> list[int]:
    """The positions of words in lunr.js's order (UTF-16 code units): Python's own order unless
    a word holds a character from U+D800 on (there the two differ)."""
    if words and max("".join(words)) >= "\ud800":
        return sorted(range(len(words)), key=lambda i: utf16_key(words[i]))
    return sorted(range(len(words)), key=words.__getitem__)


def sort_words(words: Sequence[str]) -> list[str]:
    """Words in lunr.js's order (see sort_order)."""
    return [words[i] for i in sort_order(words)]


def collect_batch(first: int, count: int, fields: Sequence[FieldInput], field_names: Sequence[str]) -> Batch:
    """Tokenize one batch: `count` documents numbered from `first`."""
    if count > 1 << _DOC_BITS:
        raise ValueError("a batch holds at most 65536 documents")
    table = TermTable()
    all_docs, all_codes, all_fields = [], [], []
    for field in fields:
        docs, codes = (tokenize(field.texts, table) if field.texts is not None
                       else string_terms(field.terms or [], table))
        all_docs.append(docs)
        all_codes.append(codes)
        all_fields.append(np.full(len(docs), field_names.index(field.name), np.uint64))
    codes = np.concatenate(all_codes) if all_codes else np.zeros(0, np.uint64)
    # number the words in sorted order, so that the batch's word postings are in term order too
    order = sort_order(table.words)
    words = [table.words[i] for i in order]
    if words:
        renumber = np.empty(len(words), np.uint64)
        renumber[order] = np.arange(len(words), dtype=np.uint64)
        local = codes >= np.uint64(WORD_LOCAL)
        codes[local] = renumber[(codes[local] - np.uint64(WORD_LOCAL)).astype(np.int64)] + np.uint64(WORD_LOCAL)
    keys = (codes << np.uint64(_DOC_BITS + _FIELD_BITS)) | (np.concatenate(all_fields) << np.uint64(_DOC_BITS)) \
        | np.concatenate(all_docs).astype(np.uint64)
    keys, tf = np.unique(keys, return_counts=True)
    codes = keys >> np.uint64(_DOC_BITS + _FIELD_BITS)
    boundary = np.flatnonzero(np.concatenate([[True], codes[1:] != codes[:-1]])) if len(codes) else np.zeros(0, np.int64)
    return Batch(first, codes[boundary], np.append(boundary, len(codes)).astype(np.int64),
                 ((keys >> np.uint64(_DOC_BITS)) & np.uint64((1 << _FIELD_BITS) - 1)).astype(np.uint8),
                 (keys & np.uint64((1 << _DOC_BITS) - 1)).astype(np.uint16),
                 np.minimum(tf, 255).astype(np.uint8), words)


_BATCH_ARRAYS = ("codes", "starts", "field", "doc", "tf")


def save_batch(batch: Batch, folder: Path) -> None:
    """Keep a batch in a folder of .npy files (read back memory-mapped), which appears whole
    or not at all."""
    tmp = folder.with_name(f".tmp-{os.getpid()}-{folder.name}")
    tmp.mkdir(parents=True, exist_ok=True)
    for name in _BATCH_ARRAYS:
        np.save(tmp / f"{name}.npy", getattr(batch, name))
    (tmp / "words.txt").write_text("\n".join(batch.words), encoding="utf-8")
    (tmp / "first.txt").write_text(str(batch.first), encoding="utf-8")
    if folder.exists():    # a damaged one, that load_batch could not read
        shutil.rmtree(folder)
    os.replace(tmp, folder)


def load_batch(folder: Path) -> Batch | None:
    """A batch kept by save_batch, its arrays memory-mapped (the page cache holds them, shared
    by every process that reads them); None when there is none or it cannot be read."""
    try:
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _BATCH_ARRAYS}
        words = (folder / "words.txt").read_text(encoding="utf-8")
        first = int((folder / "first.txt").read_text(encoding="utf-8"))
    except (OSError, ValueError, EOFError):
        return None
    if len(arrays["starts"]) != len(arrays["codes"]) + 1 or not (
            len(arrays["field"]) == len(arrays["doc"]) == len(arrays["tf"]) == (arrays["starts"][-1] if len(arrays["starts"]) else 0)):
        return None
    # plain array views of the maps: numpy's memmap subclass costs on every slice
    return Batch(first, *(arrays[name].view(np.ndarray) for name in _BATCH_ARRAYS), words.split("\n") if words else [])


class Postings:
    """Every batch, with word codes replaced by their rank among all words (so that codes
    sort as lunr.js sorts terms), and the archive's terms in that order.

    A batch's postings stay where they are: its Han terms, then its words, each block in term
    order; the postings of a range of terms are at most two slices of each batch."""

    def __init__(self, batches: Sequence[Batch]) -> None:
        self.words = sort_words(list({w for b in batches for w in b.words}))
        self.rank = rank = {w: i for i, w in enumerate(self.words)}   # word -> its term code
        self.batches = []
        for batch in batches:
            codes = np.array(batch.codes, dtype=np.uint64)
            han = int(np.searchsorted(codes, np.uint64(WORD_LOCAL)))   # Han codes come first
            if han < len(codes):
                ranks = np.fromiter(map(rank.__getitem__, batch.words), dtype=np.uint64, count=len(batch.words))
                codes[han:] = ranks[(codes[han:] - np.uint64(WORD_LOCAL)).astype(np.int64)]
            self.batches.append((batch, codes, han))
        every = [codes for _, codes, _ in self.batches]
        self.codes = np.unique(np.concatenate(every)) if every else np.zeros(0, np.uint64)
        self.counts = np.zeros(len(self.codes), np.int64)   # postings per term, all fields
        for batch, codes, _ in self.batches:
            self.counts += np.bincount(np.searchsorted(self.codes, codes), weights=np.diff(batch.starts),
                                       minlength=len(self.codes)).astype(np.int64)

    def han_characters(self) -> str:
        """Every Han character of the archive's terms."""
        from .lunrjson import han_chars
        han = self.codes[int(np.searchsorted(self.codes, np.uint64(HAN_START))):]
        first, second = han_chars(han)
        found = np.unique(np.concatenate([first, second[second > 0]]))
        return "".join(map(chr, found.tolist()))

    def term_indices(self, han: np.ndarray, words: set[str]) -> np.ndarray:
        """The sorted term numbers of these Han codes and words, those the archive still has."""
        codes = np.concatenate([np.asarray(han, np.uint64),
                                np.array(sorted(self.rank[w] for w in words if w in self.rank), np.uint64)])
        at = np.searchsorted(self.codes, codes)
        found = at < len(self.codes)
        found[found] = self.codes[at[found]] == codes[found]
        return np.unique(at[found])

    def term_text(self, i: int) -> str:
        """The i-th term."""
        return term_texts(self.codes[i:i + 1], self.words).decode()

    def terms_at(self, indices: Sequence[int]) -> list[str]:
        """The terms at these increasing term numbers, in one go (no term holds a space)."""
        if not len(indices):
            return []
        return term_texts(self.codes[np.asarray(indices, np.int64)], self.words).decode().split(" ")

    def cut(self, ranges: Sequence[tuple[int, int]]) -> None:
        """Find, once for all parts, where each part's terms are in each batch (see gather_parts)."""
        firsts = self.codes[[start for start, _ in ranges]] if ranges else np.zeros(0, np.uint64)
        self.bounds = []
        for _, codes, han in self.batches:
            # per block: the index of each part's first term (and the block's end after them)
            self.bounds.append([np.append(lo + np.searchsorted(codes[lo:hi], firsts), hi).tolist()
                                for lo, hi in ((0, han), (han, len(codes)))])
        self.part_of = {start: i for i, (start, _) in enumerate(ranges)}

    def gather_parts(self, ranges: Sequence[tuple[int, int]]
                     ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
        """The postings of each of these consecutive ranges (given to `cut`, in order) as (term
        number from the range's first, field, document, tf), sorted by field, term, document.

        They are collected from each batch in one go: a slice per batch for the whole run of
        ranges, not one per range and batch (of those there are parts times batches, some
        100,000 at 100,000 articles)."""
        if not ranges:
            return
        first_part, count = self.part_of[ranges[0][0]], len(ranges)
        low, high = ranges[0][0], ranges[-1][1]
        if any(self.part_of.get(start) != first_part + i for i, (start, _) in enumerate(ranges)) \
                or any(ranges[i][1] != ranges[i + 1][0] for i in range(count - 1)):
            raise ValueError("gather_parts: the ranges are not consecutive parts")
        wanted = self.codes[low:high]
        terms, fields, docs, tfs = [], [], [], []
        for (batch, codes, _), blocks in zip(self.batches, self.bounds):
            for bounds in blocks:     # the Han block, the word block
                lo, hi = bounds[first_part], bounds[first_part + count]
                if lo == hi:
                    continue
                # a batch's codes in the range are among the wanted ones (those are all there are)
                starts = batch.starts[lo:hi + 1]
                a, b = int(starts[0]), int(starts[-1])
                terms.append(np.repeat(np.searchsorted(wanted, codes[lo:hi]), starts[1:] - starts[:-1]))
                fields.append(batch.field[a:b])
                docs.append(batch.doc[a:b].astype(np.int64) + batch.first)
                tfs.append(batch.tf[a:b])
        if terms:
            term, field, doc, tf = (np.concatenate(x) for x in (terms, fields, docs, tfs))
        else:
            term = doc = np.zeros(0, np.int64)
            field = tf = np.zeros(0, np.uint8)
        # the postings by part, each batch's in its order (a stable radix sort on small integers)
        offsets = np.array([start - low for start, _ in ranges] + [high - low], np.int64)
        part = np.searchsorted(offsets, term, side="right") - 1
        order = np.argsort(part.astype(np.uint16 if count < 1 << 16 else np.uint32), kind="stable")
        cuts = np.searchsorted(part[order], np.arange(count + 1))
        for i, (start, end) in enumerate(ranges):
            mine = order[cuts[i]:cuts[i + 1]]
            # each batch is sorted by (term, field, document) and batches come in document order:
            # a stable sort by (field, term) finishes the job
            key = field[mine].astype(np.int64) * (end - start) + (term[mine] - offsets[i])
            mine = mine[np.argsort(key.astype(np.uint16 if len(FIELD_SLOTS) * (end - start) < 1 << 16 else np.uint32),
                                   kind="stable")]
            yield term[mine] - offsets[i], field[mine], doc[mine], tf[mine]


_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9),
        np.uint64(0xD6E8FEB86659FD93), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))


def term_digests(batch: Batch) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
    """A 128-bit digest of each of the batch's terms' postings (field, document, tf): its Han
    codes with theirs, then its words with theirs (digests as two uint64 columns).

    An incremental build compares a changed batch's digests with those of its last version:
    a term whose digest is the same has the same postings in the batch (see changed_terms)."""
    with np.errstate(over="ignore"):
        doc = batch.doc.astype(np.uint64) + np.uint64(batch.first)
        field, tf = batch.field.astype(np.uint64), batch.tf.astype(np.uint64)
        columns = []
        for a, b, c in (_MIX[:3], _MIX[3:]):
            x = doc * a ^ (field + np.uint64(1)) * b ^ (tf + np.uint64(7)) * c
            x ^= x >> np.uint64(33)
            x *= _MIX[4]
            x ^= x >> np.uint64(29)
            columns.append(np.add.reduceat(x, batch.starts[:-1].astype(np.int64)) if len(batch.codes) else x[:0])
    digests = np.stack(columns, axis=1) if columns else np.zeros((0, 2), np.uint64)
    codes = np.asarray(batch.codes, np.uint64)
    han = int(np.searchsorted(codes, np.uint64(WORD_LOCAL)))
    words = [batch.words[int(c)] for c in (codes[han:] - np.uint64(WORD_LOCAL)).tolist()]
    return codes[:han], digests[:han], words, digests[han:]


def changed_terms(old: Batch | None, new: Batch | None) -> tuple[np.ndarray, set[str]]:
    """The Han codes and the words whose postings differ between two versions of a batch (a
    missing version has no terms)."""
    empty = (np.zeros(0, np.uint64), np.zeros((0, 2), np.uint64), [], np.zeros((0, 2), np.uint64))
    old_han, old_hd, old_words, old_wd = term_digests(old) if old is not None else empty
    new_han, new_hd, new_words, new_wd = term_digests(new) if new is not None else empty
    common, at_old, at_new = np.intersect1d(old_han, new_han, assume_unique=True, return_indices=True)
    differ = common[(old_hd[at_old] != new_hd[at_new]).any(axis=1)]
    han = np.union1d(np.setxor1d(old_han, new_han, assume_unique=True), differ)
    before = dict(zip(old_words, map(tuple, old_wd.tolist())))
    after = dict(zip(new_words, map(tuple, new_wd.tolist())))
    words = {w for w in before.keys() | after.keys() if before.get(w) != after.get(w)}
    return han, words


def _term_hash(codes: np.ndarray) -> np.ndarray:
    """A cheap, fixed hash of term codes (the high bits of a multiplicative hash)."""
    return (codes * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(56)


def cut_parts(postings: Postings) -> list[tuple[int, int]]:
    """Consecutive term ranges [start, end), one per part (see the module docstring)."""
    n = len(postings.codes)
    if n == 0:
        return []
    words = postings.codes < np.uint64(HAN_START)
    # estimated bytes: the term and a space, about 1.5 bytes per posting (gap and tf digits)
    size = np.where(words, 8, 7) + (postings.counts * 3) // 2
    total = np.concatenate([[0], np.cumsum(size)])
    ends_here = np.flatnonzero(_term_hash(postings.codes) % np.uint64(CUT_ONE_IN) == 0) + 1
    big = np.flatnonzero(size >= PART_MAX)
    candidates = np.unique(np.concatenate([ends_here, big, big + 1, [n]]))
    candidates = candidates[(candidates > 0) & (candidates <= n)]
    big_start = set(big.tolist())
    cuts, last = [0], 0
    for end in candidates.tolist():
        while total[end] - total[last] > PART_MAX and end - last > 1:
            # too big before the next candidate: cut where PART_MAX is reached
            at = int(np.searchsorted(total, total[last] + PART_MAX, side="right")) - 1
            at = min(max(at, last + 1), end - 1)
            cuts.append(at)
            last = at
        if end == n or end - 1 in big_start or end in big_start or total[end] - total[last] >= PART_MIN:
            if end > last:
                cuts.append(end)
                last = end
    return list(zip(cuts[:-1], cuts[1:]))


def parts_json(postings: Postings, ranges: Sequence[tuple[int, int]], field_names: Sequence[str]) -> list[bytes]:
    """Each of these consecutive ranges (given to `cut`) as a part in lunrjson's compact form:
    its terms and their postings."""
    out = []
    for (start, end), (term, field, doc, tf) in zip(ranges, postings.gather_parts(ranges)):
        bounds = np.searchsorted(field, np.arange(len(field_names) + 1))
        per_field = [(term[a:b], doc[a:b], tf[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
        out.append(compact_index(field_names, term_texts(postings.codes[start:end], postings.words), end - start,
                                 per_field))
    return out
