"""The build cache under `<out's parent>/.cache/<out's name>/`: parsed content and what was written.

Both files carry a format number and the build's code stamp; a cache that is missing, corrupt or
written by another version is ignored (the build says so and starts from scratch).
"""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from importlib import metadata

from .content import CachedFile

CACHE_FORMAT = 1
PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass
class BuildState:
    """What the last successful build saw and wrote."""

    parse_stamp: str                       # code and vocabularies the parses were made with
    render_stamp: str                      # code, theme and settings the pages were made with
    content_stats: list[tuple[str, int, int]]
    content_digest: str                    # names and hashes of every article file
    manifest: dict[str, str] = field(default_factory=dict)  # output path -> fingerprint


def code_stamp() -> str:
    """A hash of the site code, vocabularies and the libraries whose output ends up in pages."""
    digest = hashlib.blake2b(digest_size=16)
    # Versions from package metadata: importing pypinyin just to ask would cost half a second.
    versions = [metadata.version(name) for name in ("jinja2", "markdown", "pypinyin", "PyYAML", "lunr")]
    digest.update(f"{CACHE_FORMAT} {versions}".encode())
    for path in sorted(PACKAGE_DIR.rglob("*")):
        relative = path.relative_to(PACKAGE_DIR)
        # Ingest code does not shape the site (except the pages.toml reader); the rest does.
        shapes_site = relative.parts[0] != "ingest" or relative.name == "pages_meta.py"
        if path.is_file() and shapes_site and path.suffix in (".py", ".toml", ".json", ".txt"):
            digest.update(str(relative).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def tree_stamp(root: Path) -> str:
    """A hash of every file's name and bytes under `root`."""
    digest = hashlib.blake2b(digest_size=16)
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class BuildCache:
    """Reads and writes the cache files; collects notes on why a cache was not used."""

    def __init__(self, directory: Path, stamp: str) -> None:
        self.directory = directory
        self.stamp = stamp
        self.notes: list[str] = []

    @classmethod
    def for_output(cls, out: Path, stamp: str) -> "BuildCache":
        """The cache that belongs to output directory `out`."""
        return cls(out.resolve().parent / ".cache" / out.resolve().name, stamp)

    def load_state(self) -> BuildState | None:
        """The last build's state, if usable."""
        state = self._read("state.pickle")
        return state if isinstance(state, BuildState) else None

    def load_parses(self) -> dict[str, CachedFile]:
        """Cached parses of content files by file name, if usable."""
        parses = self._read("content.pickle")
        return parses if isinstance(parses, dict) else {}

    def save(self, state: BuildState, parses: dict[str, CachedFile]) -> None:
        """Write both files (each atomically)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self._write("content.pickle", parses)
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
                stamp, payload = pickle.load(f)
        except Exception as exc:  # any damage at all means: do not trust it
            self.notes.append(f"build cache {path} is unreadable ({type(exc).__name__}); ignored")
            return None
        if stamp != self.stamp:
            self.notes.append(f"build cache {path} is from another version of the code; ignored")
            return None
        return payload

    def _write(self, name: str, payload: object) -> None:
        """Write one cache file via a temporary name, so a crash never leaves half a file."""
        path = self.directory / name
        temporary = path.with_name(f".{name}.{os.getpid()}")
        with temporary.open("wb") as f:
            pickler = pickle.Pickler(f, protocol=pickle.HIGHEST_PROTOCOL)
            # No memo: for 100,000 articles it would hold millions of entries (~200 MB) just to
            # share a few repeated strings; the payload has no cycles, which fast mode needs.
            pickler.fast = True
            pickler.dump((self.stamp, payload))
        os.replace(temporary, path)
