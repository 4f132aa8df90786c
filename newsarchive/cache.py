"""The build cache under `<out's parent>/.cache/<out's name>/`: parsed content and what was written.

Three stamps say what a cached result was made with, so that a change invalidates only what it
can affect: the parse stamp (the engine's code, the vocabularies, PyYAML) guards parsed
articles; the page stamp (that, the libraries, theme and settings) decides between an
incremental and a full render; the search stamp (code and lunr) only makes the search stage run
again. Every module of the engine counts in the code stamp (archive.code_stamp), so no list of
files can miss one. A cache file that is missing, unreadable or of another format is ignored,
and the build says so.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from .archive import code_stamp
from .content.load import CachedFile
from .files import atomic_writer

CACHE_FORMAT = 8
SHOWN_FILE = "shown.pickle"


@dataclass(frozen=True)
class Stamps:
    """Hashes of what the build's results are made with."""

    parse: str
    page: str
    search: str


@dataclass
class BuildState:
    """What the last successful build saw and wrote."""

    stamps: Stamps
    content_stats: list[tuple[str, int, int]]
    content_digest: str                    # names and hashes of every article file
    manifest: dict[str, str] = field(default_factory=dict)  # output path -> fingerprint
    outline_digest: str = ""               # every article but its body (content.OUTLINE_FIELDS)
    file_hashes: dict[str, str] = field(default_factory=dict)  # content file name -> hash
    placement_digest: str = ""             # where every article is placed (content.PLACEMENT_FIELDS)
    outlines: dict[str, str] = field(default_factory=dict)     # content file name -> outline hash
    output_stats: dict[str, tuple[int, int]] = field(default_factory=dict)  # output path -> (size, mtime_ns)


def make_stamps(theme: str, settings: str, vocabulary: str) -> Stamps:
    """The stamps of this build: code, library versions, vocabulary, theme files and settings."""
    # Versions from package metadata: importing pypinyin just to ask would cost half a second.
    code = code_stamp()
    parse = _hash([code, metadata.version("PyYAML"), vocabulary])
    page = _hash([parse, *(metadata.version(n) for n in ("jinja2", "markdown", "pypinyin")),
                  theme, settings])
    search = _hash([code, metadata.version("lunr")])
    return Stamps(parse, page, search)


def _hash(values: list[str]) -> str:
    """A hash of `values`."""
    return hashlib.blake2b(f"{CACHE_FORMAT} {values}".encode(), digest_size=16).hexdigest()


def user_cache_dir() -> Path:
    """The user's cache folder for what is derived from installed libraries, not from an
    archive (the pinyin table): $XDG_CACHE_HOME/newsarchive, else ~/.cache/newsarchive."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsarchive"


class BuildCache:
    """Reads and writes the cache files; collects notes on why a cache was not used."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.notes: list[str] = []

    @classmethod
    def for_output(cls, out: Path) -> "BuildCache":
        """The cache that belongs to output directory `out`."""
        return cls(out.resolve().parent / ".cache" / out.resolve().name)

    def load_state(self) -> BuildState | None:
        """The last build's state, if usable."""
        state = self._read("state.pickle")
        return state if isinstance(state, BuildState) else None

    def load_parses(self, parse_stamp: str) -> dict[str, CachedFile]:
        """Cached parses of content files by file name, if made by the same content reader."""
        payload = self._read("content.pickle")
        if not isinstance(payload, tuple) or len(payload) != 2:
            return {}
        stamp, rows = payload
        if stamp != parse_stamp:
            self.notes.append(f"parsed content in {self.directory} was made by another version "
                              "of the content reader; ignored")
            return {}
        try:
            return {name: CachedFile.from_row(row) for name, row in rows.items()}
        except (TypeError, ValueError, AttributeError) as exc:
            self.notes.append(f"parsed content in {self.directory} is damaged ({type(exc).__name__}); ignored")
            return {}

    def forget_state(self) -> None:
        """Delete the last build's state. Done before the site is changed: a build stopped between
        changing the site and saving its own state must not leave a state that describes the
        site as it was (the next build would trust it, and find nothing to do)."""
        (self.directory / "state.pickle").unlink(missing_ok=True)

    def save_state(self, state: BuildState) -> None:
        """Write the state file alone (atomically)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self._write("state.pickle", state)

    def load_shown(self) -> dict | None:
        """What each output showed in the last build (output path -> views.Shown), if usable."""
        shown = self._read(SHOWN_FILE)
        return shown if isinstance(shown, dict) else None

    def save(self, state: BuildState, parses: dict[str, CachedFile], shown: dict | None = None) -> None:
        """Write the cache files (each atomically); `shown`: what each output showed."""
        self.directory.mkdir(parents=True, exist_ok=True)
        if shown is not None:
            # apart from the state: read only when articles changed, not by every build
            self._write(SHOWN_FILE, shown)
        # Rows of plain values: a third of the time of pickling the dataclasses themselves.
        self._write("content.pickle", (state.stamps.parse, {name: cached.row() for name, cached in parses.items()}))
        self._write("state.pickle", state)

    def _read(self, name: str) -> object | None:
        """The payload of one cache file, or None with a note saying why it is ignored."""
        path = self.directory / name
        if not path.exists():
            note = f"no build cache in {self.directory}: building everything"
            if note not in self.notes:
                self.notes.append(note)
            return None
        try:
            with path.open("rb") as f:
                version, payload = pickle.load(f)
        except Exception as exc:  # any damage at all means: do not trust it
            self.notes.append(f"build cache {path} is unreadable ({type(exc).__name__}); ignored")
            return None
        if version != CACHE_FORMAT:
            self.notes.append(f"build cache {path} is from another version of the code; ignored")
            return None
        return payload

    def _write(self, name: str, payload: object) -> None:
        """Write one cache file via a temporary name, so a crash never leaves half a file."""
        with atomic_writer(self.directory / name) as f:
            pickler = pickle.Pickler(f, protocol=pickle.HIGHEST_PROTOCOL)
            # No memo: for 100,000 articles it would hold millions of entries (~200 MB) just to
            # share a few repeated strings; the payload has no cycles, which fast mode needs.
            pickler.fast = True
            pickler.dump((CACHE_FORMAT, payload))
