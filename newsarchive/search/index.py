"""Write the search files under `<site>/search/`: an always-loaded catalog and full-text shards.

Every file is JSON stored gzip-compressed (`.json.gz`), since GitHub Pages counts the bytes
as stored and serves them as they are: search.js fetches the bytes and decompresses them
itself (DecompressionStream), whatever Content-Type or Content-Encoding the server sends.
The gzip bytes are deterministic (fixed header, no time or name in it): the same JSON gives
the same file, for any number of jobs, and a cached shard is reused byte for byte.

`catalog.json.gz` (always loaded):
  - `docs`: display data of every article, newest first, stored by column (`columns` names
    them: lunr ref, url, headline group, district, tag and people numbers into `names`,
    date, page label, a short lead for snippets): one list per column gzips far smaller
    than one list per article (10,000 synthetic articles: 341 KB against 595 KB);
  - `names`: the districts, tags and people the articles name, as [kind, text];
  - `index`: a lunr index over the headline group of every article, in the compact form
    of lunrjson.py (document numbers are positions in the columns of `docs`);
  - `namesIndex`: a lunr index over `names`: their text (with district and tag aliases) and
    their pinyin keys, so `chaoyang`, `gongjiang` and `gjxy` find names and through them
    articles, and `陈曦` or `朝阳` find the articles that name them;
  - `shards`, last: the shard files, newest first, with the number of articles each holds
    (they are the articles of `docs` in the same order; the shard itself names them).
`shards/<bucket>-<part>-<key>.json.gz` (loaded on demand, newest first), for a bounded group
of articles: `texts`, [ref, body] of each (bodies for snippets); `index`, a lunr index whose
one field holds all their text (headline group, people/districts/tags, body), so that a
query whose words are spread over headline and body still matches; `pinyin`, a lunr index
over the pinyin keys of their titles. Both in the compact form, document numbers being
positions in `texts`.

Pinyin of titles lives in the shards, not the catalog: title keys are nearly all distinct
strings, and at 10,000 articles they alone would take the catalog past its 2 MB gzip budget;
names (a small shared vocabulary) keep their pinyin in the catalog.

Article indexes have no scores (`vectors=False`: empty field vectors): lunr matches and
expands wildcards, and the browser ranks (most query parts matched, then headline, name and
body matches, then newest first). BM25 vectors cost about as much as the postings, in bytes
and in build time (measured on format 2, with indexes in lunr's own form, 10,000 synthetic
articles: catalog 2.34 MB gzipped with them, 1.29 MB without; largest shard 833 KB against
323 KB; build CPU 9.0 s against 5.3 s); the small names index keeps them. Without vectors
the article indexes can be stored in lunrjson.py's compact form.

Articles go to shards by `order` bucket (SHARD_SPAN consecutive orders); new articles get
higher orders and so never move old ones. A bucket whose text is too long for one shard is
split inside itself. Each shard is keyed by a hash of the format version and everything it
is built from (the search code, and each article's ref, order and content hash); with a
cache_dir, an unchanged shard is copied byte for byte from the cache instead of being rebuilt.

The catalog's shard list changes whenever an article's text does (shard names hold their
key), the rest of it only when a field it shows or indexes does. So the shard list comes
last, and the gzip member deflates the catalog's start on its own, ending in a sync flush
(byte-aligned, not final), then the shard list as the final blocks. With a cache_dir, the
deflated start is cached under catalog_key (a hash of the search code, vocabulary and every
catalog field of every article) and reused while the key holds: editing one body rebuilds
one shard and compresses a few kilobytes of shard list, and gives the same bytes as a build
without a cache.

A document's lunr ref is its `order` in base 36. The compact indexes number documents by
position instead, so refs are not repeated in every posting.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import multiprocessing
import operator
import os
import pickle
import re
import shutil
import time
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from ..archive import code_stamp
from ..files import write_atomic
from ..vocab import Vocabulary
from . import SearchDoc
from .lunrjson import LUNR_JS_VERSION, BulkBuilder, TermTable
from ..text.pinyin import pinyin_keys, pinyin_syllables, preload_pinyin
from ..text.segment import fold_table

FORMAT_VERSION = 4
CATALOG_NAME = "catalog.json.gz"
OLD_CATALOG_NAMES = ("catalog.json",)   # written by earlier formats; removed when found
SHARD_DIR = "shards"
SHARD_SPAN = 128             # orders per bucket: about 0.5 MB gzipped of typical articles
SHARD_MAX_CHARS = 600_000    # a bucket with more text than this is split (far below 3 MB gzip)
LEAD_CHARS = 40              # snippet shown before the article's shard has loaded
LEAD_SOURCE_CHARS = 4 * LEAD_CHARS   # the lead is made from this much of the body at most
# Field names are one letter: every term of an index repeats each of its field names.
CATALOG_FIELDS = (("h", 1),)               # headline group
NAME_FIELDS = (("n", 3), ("p", 1))         # name (with aliases), pinyin keys
SHARD_FIELDS = (("t", 1),)                 # headline group, people/districts/tags and body
SHARD_PINYIN_FIELDS = (("p", 1),)          # pinyin keys of the title
DOC_COLUMNS = ("id", "url", "title", "kicker", "subtitle", "names", "date", "page", "lead")
NAME_KINDS = (("d", "districts"), ("t", "tags"), ("p", "people"))
# zlib level of the stored files. Measured on a shard of 0.91 MB of JSON: level 4 12.7 ms and
# 232 KB, level 6 36.3 ms and 210 KB, level 9 ~170 ms and 2% smaller than 6. Level 4 saves
# about a second of a 10,000-article build for 10% more bytes on disk.
GZIP_LEVEL = 4
# zlib memLevel (hash table and buffer sizes). On format 4's files of 10,000 synthetic articles
# at level 4, zlib's default 8 gives 16.33 MB in 1.02 s of CPU, 9 gives 16.46 MB in 1.10 s.
GZIP_MEM_LEVEL = 8
# gzip member header: magic, deflate, no flags, mtime 0, no extra flags, OS "unknown"
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_SHARD_FILE = re.compile(r"^\d{5,}-\d+-[0-9a-f]{12}\.json(\.gz)?$")   # also earlier formats' names
_CACHE_FILE = re.compile(r"^([0-9a-f]{64})\.(json|json\.gz|deflate|meta)$")
SHARD_CACHE = "search-shards"       # under cache_dir: shards by key (.json.gz and .meta)
CATALOG_CACHE = "search-catalog"    # under cache_dir: the deflated catalog start (.deflate and .meta)
_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_DIGIT_BYTES36 = np.frombuffer(_DIGITS36.encode(), dtype=np.uint8)
_CATALOG_TAIL = b',"shards":'
_ORDER = operator.attrgetter("order")
_KEY_CHUNK = 4096   # articles per pickle hashed by catalog_key
# The fields of a SearchDoc the catalog shows or indexes, but the body (only its lead is).
_CATALOG_INPUTS = operator.attrgetter("order", "url", "title", "kicker", "subtitle", "date", "page_label",
                                      "districts", "tags", "people")


@dataclass(frozen=True)
class SearchStats:
    """Sizes and timings of one search index build.

    `*_bytes` are the files as stored (gzip: what the host stores and sends); `*_json_bytes`
    the JSON they decompress to. The largest shard is the largest as stored.
    """

    docs: int
    catalog_bytes: int
    catalog_json_bytes: int
    shard_count: int
    max_shard_bytes: int
    max_shard_json_bytes: int
    total_bytes: int
    total_json_bytes: int
    shards_rebuilt: int
    shards_reused: int
    catalog_reused: bool     # the catalog's start came from the cache (only its shard list was new)
    seconds: float


@dataclass(frozen=True)
class _ShardTask:
    """One shard to write: its file name, cache key and its articles, newest first."""

    name: str
    key: str
    docs: tuple[SearchDoc, ...]


@dataclass(frozen=True)
class _ShardResult:
    """A written shard's file name, size as stored (gzip) and size of its JSON."""

    name: str
    size: int
    json_size: int
    rebuilt: bool


def base36(n: int) -> str:
    """A non-negative integer in base 36 (lowercase)."""
    digits = ""
    while True:
        n, r = divmod(n, 36)
        digits = _DIGITS36[r] + digits
        if n == 0:
            return digits


def base36_list(values: Sequence[int]) -> list[str]:
    """base36 of each non-negative integer, computed for all at once."""
    numbers = np.fromiter(values, dtype=np.int64, count=len(values))
    if not len(numbers):
        return []
    if int(numbers.min()) < 0:
        raise ValueError("base36 of a negative number")
    width = len(base36(int(numbers.max())))
    powers = 36 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = np.empty((len(numbers), width + 1), dtype=np.uint8)
    digits[:, :width] = _DIGIT_BYTES36[(numbers[:, None] // powers) % 36]
    digits[:, width] = ord(" ")
    used = np.ones(digits.shape, dtype=bool)      # no leading zeros, but "0" itself
    used[:, :width - 1] = numbers[:, None] >= powers[:-1]
    return digits[used].tobytes().decode("ascii").split()


def doc_id(doc: SearchDoc) -> str:
    """The article's lunr ref: its `order` in base 36."""
    return base36(doc.order)


def _check_docs(docs: Sequence[SearchDoc]) -> None:
    """Refuse duplicate refs or orders, and negative orders (they name the lunr refs)."""
    orders = [doc.order for doc in docs]
    refs = [doc.ref for doc in docs]
    if len(set(orders)) == len(orders) and len(set(refs)) == len(refs) and (not orders or min(orders) >= 0):
        return
    seen_refs: set[str] = set()
    seen_orders: set[int] = set()
    for doc in docs:
        if doc.order < 0 or doc.order in seen_orders:
            raise ValueError(f"search: order {doc.order} of {doc.ref!r} is negative or not unique")
        if doc.ref in seen_refs:
            raise ValueError(f"search: duplicate ref {doc.ref!r}")
        seen_refs.add(doc.ref)
        seen_orders.add(doc.order)


def headline_text(doc: SearchDoc) -> str:
    """Kicker, title and subtitle on separate lines (lines separate bigrams)."""
    return "\n".join((doc.kicker, doc.title, doc.subtitle))


def meta_text(doc: SearchDoc) -> str:
    """People, districts and tags, one per line."""
    return "\n".join((*doc.people, *doc.districts, *doc.tags))


def lead(body: str) -> str:
    """The start of the body on one line, cut at LEAD_CHARS characters with an ellipsis."""
    limit = LEAD_CHARS
    text = " ".join(body[:LEAD_SOURCE_CHARS].split())
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def plan_shards(docs: Sequence[SearchDoc]) -> list[list[SearchDoc]]:
    """Group docs into shards, newest shard first, each newest doc first.

    Bucket = order // SHARD_SPAN, so adding newer articles leaves older buckets alone; a
    bucket whose bodies exceed SHARD_MAX_CHARS is cut, in order, into parts below that.
    """
    newest = _newest_first(docs)
    sizes = [len(doc.body) for doc in newest]
    shards: list[list[SearchDoc]] = []
    end = 0
    while end < len(newest):
        # the bucket of newest[end], newest first
        start, bucket = end, newest[end].order // SHARD_SPAN
        end = start + 1
        while end < len(newest) and newest[end].order // SHARD_SPAN == bucket:
            end += 1
        if sum(sizes[start:end]) <= SHARD_MAX_CHARS:
            shards.append(newest[start:end])
            continue
        parts: list[list[SearchDoc]] = [[]]   # cut oldest first, then listed newest first
        size = 0
        for doc, length in zip(newest[start:end][::-1], sizes[start:end][::-1]):
            if parts[-1] and size + length > SHARD_MAX_CHARS:
                parts.append([])
                size = 0
            parts[-1].append(doc)
            size += length
        shards.extend(list(reversed(part)) for part in reversed(parts))
    return shards


def _version(package: str) -> str:
    """An installed package's version ("" when unknown)."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return ""


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the search code and the libraries whose output it stores (pinyin readings,
    lunr's scoring, zlib): a file built by other code is never reused from the cache."""
    digest = hashlib.sha256(f"{FORMAT_VERSION} {LUNR_JS_VERSION} {SHARD_FIELDS} {SHARD_PINYIN_FIELDS} "
                            f"{GZIP_LEVEL} {GZIP_MEM_LEVEL} {zlib.ZLIB_RUNTIME_VERSION} {_version('pypinyin')} "
                            f"{_version('lunr')}".encode())
    digest.update(code_stamp().encode())
    return digest.hexdigest()


def _shard_task(docs: list[SearchDoc], part: int) -> _ShardTask:
    """The task for one shard: its articles, and a key over the code version and, per article,
    its ref, order and content hash (the content file holds every text a shard is built from)."""
    digest = hashlib.sha256(code_version().encode())
    digest.update("".join([f"\x1e{doc.ref}\x1f{doc.order}\x1f{doc.content_hash}" for doc in docs]).encode())
    key = digest.hexdigest()
    return _ShardTask(f"{docs[0].order // SHARD_SPAN:05d}-{part}-{key[:12]}.json.gz", key, tuple(docs))


def _shard_tasks(docs: Sequence[SearchDoc]) -> list[_ShardTask]:
    """One task per planned shard, newest first; `part` counts from the bucket's oldest part."""
    tasks = []
    parts: dict[int, int] = {}     # parts of each bucket seen so far, oldest first
    for shard in reversed(plan_shards(docs)):
        bucket = shard[0].order // SHARD_SPAN
        part = parts.get(bucket, 0)
        parts[bucket] = part + 1
        tasks.append(_shard_task(shard, part))
    return tasks[::-1]


def _dumps(value: object) -> bytes:
    """Compact JSON, UTF-8 kept as is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class _Deflated:
    """Data deflated on its own, ending in a sync flush (byte-aligned, not final), so that
    further deflate blocks may follow it in one stream: the compressed bytes, and the CRC-32
    and length of the data."""

    data: bytes
    crc: int
    size: int


def _deflate_part(data: bytes | Sequence[bytes]) -> _Deflated:
    """`data` (bytes, or pieces of them) as the deflate blocks of a part of a gzip member
    (see gzip_bytes): the same blocks however the bytes are cut into pieces."""
    pieces = [data] if isinstance(data, bytes) else data
    deflate = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS, GZIP_MEM_LEVEL)
    blocks, crc, size = [], 0, 0
    for piece in pieces:
        blocks.append(deflate.compress(piece))
        crc = zlib.crc32(piece, crc)
        size += len(piece)
    blocks.append(deflate.flush(zlib.Z_SYNC_FLUSH))
    return _Deflated(b"".join(blocks), crc, size)


def _gzip_member(first: _Deflated | None, last: bytes) -> bytes:
    """One gzip member with a fixed header: the deflated `first` part if any, then `last`
    deflated as the final blocks; the CRC and length cover all the data."""
    deflate = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS, GZIP_MEM_LEVEL)
    body = deflate.compress(last) + deflate.flush()
    crc = zlib.crc32(last, first.crc if first else 0) & 0xFFFFFFFF
    size = (first.size if first else 0) + len(last)
    return b"".join([_GZIP_HEADER, first.data if first else b"", body,
                     crc.to_bytes(4, "little"), (size & 0xFFFFFFFF).to_bytes(4, "little")])


def gzip_bytes(data: bytes, last: bytes | None = None) -> bytes:
    """`data` as one gzip member with a fixed header (no time, no name): the same input
    always gives the same bytes (with the same zlib).

    With `last`, the member holds data + last: `data` deflated on its own (ending in a sync
    flush), then `last` deflated on its own as the final blocks. A file whose start rarely
    changes can keep the deflated start in a cache and compress only `last` anew, and get
    the bytes gzip_bytes(data, last) gives.
    """
    if last is None:
        return _gzip_member(None, data)
    return _gzip_member(_deflate_part(data), last)


def shard_json(task: _ShardTask) -> bytes:
    """A shard's JSON: the bodies for snippets, a lunr index over all the text of its articles
    (one field: a query's terms may be spread over headline and body) and a lunr index over
    the pinyin keys of their titles (separate: pinyin clauses are optional, never required,
    so they need not share an index with the text, and every text term is shorter for it);
    both indexes compact, numbering documents by their position in `texts`."""
    refs = base36_list([d.order for d in task.docs])
    text = BulkBuilder(refs, SHARD_FIELDS, TermTable(), omit_empty_vectors=True, vectors=False)
    text.add_texts("t", ["\n".join((headline_text(d), meta_text(d), d.body)) for d in task.docs])
    pinyin = BulkBuilder(refs, SHARD_PINYIN_FIELDS, TermTable(), omit_empty_vectors=True, vectors=False)
    pinyin.add_terms("p", [pinyin_keys(d.title) for d in task.docs])
    head = _dumps({"format": FORMAT_VERSION, "shard": task.name})
    return b"".join([head[:-1], b',"texts":', _dumps([[r, d.body] for r, d in zip(refs, task.docs)]),
                     b',"index":', text.serialize_compact_bytes(), b',"pinyin":', pinyin.serialize_compact_bytes(),
                     b"}"])


def catalog_names(docs: Sequence[SearchDoc]) -> list[tuple[str, str]]:
    """The districts, tags and people the docs name, as (kind, text): by kind, then text."""
    names = []
    for kind, attr in NAME_KINDS:
        found = set().union(*map(operator.attrgetter(attr), docs))
        found.discard("")
        names += [(kind, text) for text in sorted(found)]
    return names


def name_texts(kind: str, text: str, vocab: Vocabulary) -> list[str]:
    """A name and the other names it goes by (district short form and aliases, tag aliases)."""
    if kind == "d" and text in vocab.district_by_name:
        district = vocab.district_by_name[text]
        return [text, district.short, *district.aliases]
    if kind == "t" and text in vocab.tag_by_term:
        return [text, *vocab.tag_by_term[text].aliases]
    return [text]


def catalog_key(docs: Sequence[SearchDoc], vocab: Vocabulary) -> str:
    """A hash of everything the catalog is built from but its shard list: the search code,
    the district and tag vocabulary (aliases) and, per article newest first, every field the
    catalog holds or indexes (of the body, only the lead it shows)."""
    docs = _newest_first(docs)
    digest = hashlib.sha256(code_version().encode())
    digest.update(repr(vocab).encode())
    for start in range(0, len(docs), _KEY_CHUNK):   # in chunks: the pickle of all is large
        chunk = docs[start:start + _KEY_CHUNK]
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=5)
        pickler.fast = True   # no memo: the bytes depend on the values, not on which objects are shared
        pickler.dump((list(map(_CATALOG_INPUTS, chunk)), [lead(d.body) for d in chunk]))
        digest.update(buffer.getbuffer())
    return digest.hexdigest()


def _newest_first(docs: Sequence[SearchDoc]) -> list[SearchDoc]:
    """The docs by descending order: the order of the catalog's rows and of the shards."""
    return sorted(docs, key=_ORDER, reverse=True)


def catalog_head_parts(docs: Sequence[SearchDoc], vocab: Vocabulary) -> list[bytes]:
    """The catalog's JSON up to its shard list, in pieces: display data newest first by
    column, names, headline index (compact, numbering documents by their row) and names index
    (lunr's form, with vectors); an object left open for catalog_tail_json. Each column is
    dumped on its own, and the pieces are compressed one by one, so that no copy of the
    whole catalog is made."""
    docs = _newest_first(docs)
    ids = base36_list([d.order for d in docs])
    names = catalog_names(docs)
    numbers: dict[str, dict[str, int]] = {kind: {} for kind, _ in NAME_KINDS}
    for i, (kind, text) in enumerate(names):
        numbers[kind][text] = i
    getters = [(operator.attrgetter(attr), numbers[kind]) for kind, attr in NAME_KINDS]
    # each column is made when it is dumped, and let go after
    columns = {"id": lambda: ids, "url": lambda: [d.url for d in docs], "title": lambda: [d.title for d in docs],
               "kicker": lambda: [d.kicker for d in docs], "subtitle": lambda: [d.subtitle for d in docs],
               "names": lambda: [[number[t] for get, number in getters for t in get(d) if t] for d in docs],
               "date": lambda: [d.date or "" for d in docs], "page": lambda: [d.page_label for d in docs],
               "lead": lambda: [lead(d.body) for d in docs]}
    headlines = BulkBuilder(ids, CATALOG_FIELDS, TermTable(), omit_empty_vectors=True, vectors=False)
    headlines.add_texts("h", [headline_text(d) for d in docs])
    name_index = BulkBuilder(base36_list(range(len(names))), NAME_FIELDS, TermTable())
    texts = [name_texts(kind, text, vocab) for kind, text in names]
    name_index.add_texts("n", ["\n".join(t) for t in texts])
    name_index.add_terms("p", [[k for t in ts for k in pinyin_keys(t)] for ts in texts])
    # the bytes of _dumps({"format": ..., "lunr": ..., "columns": ..., "docs": [...], "names": ...})
    # without its closing brace, then the indexes
    head = _dumps({"format": FORMAT_VERSION, "lunr": LUNR_JS_VERSION, "columns": list(DOC_COLUMNS)})
    parts = [head[:-1], b',"docs":[']
    for i, column in enumerate(DOC_COLUMNS):
        parts += [b"," if i else b"", _dumps(columns[column]())]
    return parts + [b'],"names":', _dumps([list(n) for n in names]),
                    b',"index":', headlines.serialize_compact_bytes(),
                    b',"namesIndex":', name_index.serialize_bytes()]


def catalog_tail_json(shards: Sequence[_ShardTask]) -> bytes:
    """The end of the catalog's JSON: its shard list (the part that changes whenever an
    article's text does, since shard names hold their key)."""
    return b"".join([_CATALOG_TAIL, _dumps([{"file": f"{SHARD_DIR}/{t.name}", "count": len(t.docs)}
                                            for t in shards]), b"}"])


def catalog_gzip(text: bytes) -> bytes:
    """The catalog file for the catalog's JSON: gzip with the start up to the shard list
    deflated on its own (see gzip_bytes), so that it can be reused from the cache."""
    at = text.rindex(_CATALOG_TAIL)   # the last key: no JSON string holds an unescaped quote
    return gzip_bytes(text[:at], text[at:])


def _place(source: Path, target: Path) -> None:
    """Put a copy of `source` at `target`: a hard link where possible (shards are never
    modified in place, and linking saves writing the bytes twice), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".tmp-{os.getpid()}-{target.name}")
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def _build_shard(task: _ShardTask, out_dir: Path, cache: Path | None) -> _ShardResult:
    """Build one shard into out_dir (and the cache); runs in worker processes."""
    text = shard_json(task)
    data = gzip_bytes(text)
    target = out_dir / SHARD_DIR / task.name
    if cache is None:
        write_atomic(target, data)
    else:
        # the data first: a cache entry counts only once its .meta exists
        write_atomic(cache / f"{task.key}.json.gz", data)
        write_atomic(cache / f"{task.key}.meta", json.dumps({"bytes": len(data), "json_bytes": len(text)}).encode())
        _place(cache / f"{task.key}.json.gz", target)
    return _ShardResult(task.name, len(data), len(text), True)


# What forked workers build: set before the pool forks, so tasks are not pickled to them.
_FORKED: tuple[list[_ShardTask], Path, Path | None] = ([], Path(), None)


def _build_forked(i: int) -> _ShardResult:
    """_build_shard for the i-th task handed to the pool (see _FORKED)."""
    tasks, out_dir, cache = _FORKED
    return _build_shard(tasks[i], out_dir, cache)


def _reuse_shard(task: _ShardTask, out_dir: Path, cache: Path) -> _ShardResult | None:
    """Copy a cached shard into out_dir unchanged; None when it is not cached."""
    data_path, meta_path = cache / f"{task.key}.json.gz", cache / f"{task.key}.meta"
    try:
        meta = json.loads(meta_path.read_text())
        size, json_size = int(meta["bytes"]), int(meta["json_bytes"])
        if data_path.stat().st_size != size:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    target = out_dir / SHARD_DIR / task.name
    if not (target.exists() and target.stat().st_size == size):
        _place(data_path, target)
    return _ShardResult(task.name, size, json_size, False)


def _catalog(docs: Sequence[SearchDoc], tasks: Sequence[_ShardTask],
             cache: Path | None, vocab: Vocabulary) -> tuple[bytes, int, str, bool]:
    """The catalog file, the size of its JSON, its cache key and whether the cache held its
    start. With a cache, the deflated start of the catalog (everything but the shard list) is
    reused while catalog_key is unchanged, and only the shard list is compressed anew: the
    same bytes as catalog_gzip of the whole catalog's JSON."""
    tail = catalog_tail_json(tasks)
    key = catalog_key(docs, vocab)
    head = _cached_catalog_head(cache, key) if cache is not None else None
    reused = head is not None
    if head is None:
        head = _deflate_part(catalog_head_parts(docs, vocab))
        if cache is not None:
            # the data first: a cache entry counts only once its .meta exists
            write_atomic(cache / f"{key}.deflate", head.data)
            write_atomic(cache / f"{key}.meta", json.dumps(
                {"bytes": len(head.data), "sha256": hashlib.sha256(head.data).hexdigest(), "crc": head.crc,
                 "json_bytes": head.size}).encode())
    return _gzip_member(head, tail), head.size + len(tail), key, reused


def _cached_catalog_head(cache: Path, key: str) -> _Deflated | None:
    """The deflated catalog start cached under `key`; None when it is not cached (or the
    cached bytes are not those written: they are read whole anyway, and hashed in a moment)."""
    try:
        meta = json.loads((cache / f"{key}.meta").read_text())
        data = (cache / f"{key}.deflate").read_bytes()
        if len(data) != int(meta["bytes"]) or hashlib.sha256(data).hexdigest() != meta["sha256"]:
            return None
        return _Deflated(data, int(meta["crc"]), int(meta["json_bytes"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _prune_cache(cache: Path, keep: set[str]) -> None:
    """Delete cached files this build did not use, so the cache holds one archive's files."""
    for path in cache.iterdir():
        found = _CACHE_FILE.match(path.name)
        if found and found.group(1) not in keep:
            path.unlink()


def _remove_stale_shards(out_dir: Path, keep: set[str]) -> None:
    """Delete shard files of earlier builds that the new catalog no longer lists, and the
    catalog of an earlier format."""
    for name in OLD_CATALOG_NAMES:
        (out_dir / name).unlink(missing_ok=True)
    folder = out_dir / SHARD_DIR
    if folder.is_dir():
        for path in folder.iterdir():
            if _SHARD_FILE.match(path.name) and path.name not in keep:
                path.unlink()


def build_search_index(docs: Sequence[SearchDoc], out_dir: Path, cache_dir: Path | None = None,
                       jobs: int | None = 1, vocab: Vocabulary | None = None) -> SearchStats:
    """Write catalog.json.gz and shards/ under out_dir (the site's search/ folder).

    With cache_dir, shards whose inputs did not change are copied from it, not rebuilt, and
    so is the deflated start of the catalog when catalog_key did not change. `jobs` > 1 builds shards in that many forked processes (None: one per CPU) while this
    process builds the catalog; the output is the same for any number of jobs.
    """
    started = time.perf_counter()
    vocab = vocab or Vocabulary.read()
    _check_docs(docs)
    out_dir = Path(out_dir)
    cache = Path(cache_dir) / SHARD_CACHE if cache_dir is not None else None
    catalog_cache = Path(cache_dir) / CATALOG_CACHE if cache_dir is not None else None
    for folder in (cache, catalog_cache):
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
    tasks = _shard_tasks(docs)
    results: dict[str, _ShardResult] = {}
    to_build = []
    for task in tasks:
        reused = _reuse_shard(task, out_dir, cache) if cache is not None else None
        if reused is not None:
            results[task.name] = reused
        else:
            to_build.append(task)
    jobs = (os.cpu_count() or 1) if jobs is None else max(1, jobs)
    global _FORKED
    pool = None
    if jobs > 1 and len(to_build) > 1:
        preload_pinyin()  # once here, not in every forked worker
        _FORKED = (to_build, out_dir, cache)
        pool = multiprocessing.get_context("fork").Pool(min(jobs, len(to_build)))
        pending = pool.map_async(_build_forked, range(len(to_build)), chunksize=1)
    try:
        # meanwhile the pool builds shards
        catalog, catalog_json_size, catalog_entry, catalog_reused = _catalog(docs, tasks, catalog_cache, vocab)
        if pool is None:
            for task in to_build:
                results[task.name] = _build_shard(task, out_dir, cache)
        else:
            for result in pending.get():
                results[result.name] = result
    finally:
        _FORKED = ([], Path(), None)
        if pool is not None:
            pool.close()
            pool.join()
    write_atomic(out_dir / CATALOG_NAME, catalog)   # last: it lists the shards
    _remove_stale_shards(out_dir, {t.name for t in tasks})
    if cache is not None and catalog_cache is not None:
        _prune_cache(cache, {t.key for t in tasks})
        _prune_cache(catalog_cache, {catalog_entry})
    return _stats(len(docs), len(catalog), catalog_json_size, catalog_reused, list(results.values()),
                  time.perf_counter() - started)


def _stats(n_docs: int, catalog_bytes: int, catalog_json_bytes: int, catalog_reused: bool,
           shards: list[_ShardResult], seconds: float) -> SearchStats:
    """Sum up sizes for the report."""
    largest = max(shards, key=lambda s: (s.size, s.name), default=None)
    return SearchStats(
        docs=n_docs,
        catalog_bytes=catalog_bytes,
        catalog_json_bytes=catalog_json_bytes,
        shard_count=len(shards),
        max_shard_bytes=largest.size if largest else 0,
        max_shard_json_bytes=largest.json_size if largest else 0,
        total_bytes=catalog_bytes + sum(s.size for s in shards),
        total_json_bytes=catalog_json_bytes + sum(s.json_size for s in shards),
        shards_rebuilt=sum(s.rebuilt for s in shards),
        shards_reused=sum(not s.rebuilt for s in shards),
        catalog_reused=catalog_reused,
        seconds=round(seconds, 3),
    )


def browser_data(characters: str | None = None) -> dict[str, str]:
    """What segment.js needs from the build (segment.py's own tables): the traditional ->
    simplified pairs of fold_table, as one string of character pairs, limited to those folding
    to one of `characters` (the archive's; None: all), and the pinyin syllables."""
    wanted = None if characters is None else set(characters)
    pairs = [chr(code) + target for code, target in sorted(fold_table().items())
             if wanted is None or target in wanted]
    return {"fold": "".join(pairs), "syllables": " ".join(sorted(pinyin_syllables()))}
