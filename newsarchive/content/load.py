"""Load a content directory: every article file parsed (in workers when many), reusing cached parses."""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import ArchiveError
from ..progress import Progress
from ..vocab import Vocabulary
from .article import ARTICLE_FIELDS, OUTLINE_FIELDS, PLACEMENT_FIELDS, Article, content_hash, fields_hash
from .pages import PAGES_FILE, PageInfo, load_page_info
from .parse import parse_article

PARALLEL_MIN_FILES = 200   # below this, starting worker processes costs more than it saves
CHUNK_FILES = 250


@dataclass(frozen=True, slots=True)
class CachedFile:
    """A content file's parse, valid while the file's stat (or, failing that, its hash) holds."""

    mtime_ns: int
    size: int
    hash: str
    article: Article
    outline: str = ""      # hash of the article's outline (see OUTLINE_FIELDS)
    placement: str = ""    # hash of where the article is placed (see PLACEMENT_FIELDS)

    def row(self) -> tuple:
        """Plain values for the cache file (see from_row)."""
        article = self.article
        return (self.mtime_ns, self.size, self.hash, self.outline, self.placement,
                tuple([getattr(article, name) for name in ARTICLE_FIELDS]))

    @classmethod
    def from_row(cls, row: tuple) -> "CachedFile":
        """The CachedFile that `row` was made from."""
        mtime_ns, size, digest, outline, placement, values = row
        return cls(mtime_ns, size, digest, Article(*values), outline, placement)

    @classmethod
    def of(cls, mtime_ns: int, size: int, digest: str, article: Article) -> "CachedFile":
        """A fresh parse with its outline and placement hashes."""
        return cls(mtime_ns, size, digest, article, fields_hash(article, OUTLINE_FIELDS),
                   fields_hash(article, PLACEMENT_FIELDS))


@dataclass
class ContentLoad:
    """The outcome of loading `content/`: valid articles, every error, and what to cache."""

    articles: list[Article]
    errors: list[ArchiveError]
    files: dict[str, CachedFile]
    parsed: int
    pages: dict[str, PageInfo]


def load_content(content_dir: Path, cached: dict[str, CachedFile], jobs: int,
                 vocab: Vocabulary | None = None,
                 stats: list[tuple[str, int, int]] | None = None, verbose: bool = False) -> ContentLoad:
    """Every `*.md` in `content_dir`, reusing `cached` parses of files whose stat is unchanged
    (`stats`: the folder's scan_content, when the caller has it already; `verbose`: show
    progress while many files are parsed)."""
    if not content_dir.is_dir():
        raise ArchiveError("content directory not found", content_dir,
                           hint="run `python build.py ingest` first, or pass --content DIR")
    vocab = vocab or Vocabulary.read()
    files: dict[str, CachedFile] = {}
    todo: list[tuple[str, int, int, str | None]] = []
    for name, mtime_ns, size in scan_content(content_dir) if stats is None else stats:
        if name == PAGES_FILE:
            continue
        old = cached.get(name)
        if old is not None and (old.mtime_ns, old.size) == (mtime_ns, size):
            files[name] = old
        else:
            todo.append((name, mtime_ns, size, old.hash if old is not None else None))
    stats = {name: (mtime_ns, size) for name, mtime_ns, size, _ in todo}
    errors: list[ArchiveError] = []
    progress = Progress("load", len(todo), "articles", enabled=verbose)
    for done, (name, outcome) in enumerate(_parse_all(content_dir, todo, jobs, vocab), start=1):
        progress.update(done)
        if isinstance(outcome, CachedFile):
            files[name] = outcome
        elif outcome is None:  # touched but byte-identical: keep the old parse with the new stat
            mtime_ns, size = stats[name]
            old = cached[name]
            files[name] = CachedFile(mtime_ns, size, old.hash, old.article, old.outline, old.placement)
        else:
            errors.extend(outcome)
    progress.close()
    pages: dict[str, PageInfo] = {}
    try:
        pages = load_page_info(content_dir)
    except ArchiveError as exc:
        errors.append(exc)
    articles = [files[name].article for name in sorted(files)]
    errors.sort(key=lambda e: (str(e.path), e.line or 0))
    return ContentLoad(articles, errors, files, len(todo), pages)


def scan_content(content_dir: Path) -> list[tuple[str, int, int]]:
    """(name, mtime_ns, size) of each Markdown file and of pages.toml, in name order."""
    found = []
    with os.scandir(content_dir) as entries:
        for entry in entries:
            wanted = entry.name.endswith(".md") or entry.name == PAGES_FILE
            if wanted and not entry.name.startswith(".") and entry.is_file():
                st = entry.stat()
                found.append((entry.name, st.st_mtime_ns, st.st_size))
    return sorted(found)


def _parse_all(content_dir: Path, todo: list[tuple[str, int, int, str | None]], jobs: int,
               vocab: Vocabulary) -> Iterator[tuple[str, CachedFile | None | list[ArchiveError]]]:
    """Parse the files in `todo`, in worker processes when there are many; in order."""
    tasks = [(content_dir, name, mtime_ns, size, old_hash, vocab)
             for name, mtime_ns, size, old_hash in todo]
    if jobs <= 1 or len(tasks) < PARALLEL_MIN_FILES:
        yield from map(_parse_one, tasks)
        return
    chunks = [tasks[i:i + CHUNK_FILES] for i in range(0, len(tasks), CHUNK_FILES)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for chunk in pool.imap(_parse_chunk, chunks):
            for name, outcome in chunk:
                yield name, CachedFile.from_row(outcome) if isinstance(outcome, tuple) else outcome


def _parse_chunk(tasks: list[tuple]) -> list[tuple[str, tuple | None | list[ArchiveError]]]:
    """Parse several files in a worker process; parses travel back as rows (quicker to unpickle)."""
    results = []
    for name, outcome in map(_parse_one, tasks):
        results.append((name, outcome.row() if isinstance(outcome, CachedFile) else outcome))
    return results


def _parse_one(task: tuple) -> tuple[str, CachedFile | None | list[ArchiveError]]:
    """Read, hash and parse one file; None when its bytes hash to `old_hash`."""
    content_dir, name, mtime_ns, size, old_hash, vocab = task
    path = content_dir / name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return name, [ArchiveError(f"cannot read: {exc.strerror}", path)]
    digest = content_hash(data)
    if digest == old_hash:
        return name, None
    outcome = parse_article(path, data, vocab, digest)
    if isinstance(outcome, list):
        return name, outcome
    return name, CachedFile.of(mtime_ns, size, digest, outcome)
