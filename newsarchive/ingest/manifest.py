"""What ingest wrote, with hashes: how a rebuild tells hand edits and deletions from its own files."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

MANIFEST_NAME = ".ingest-manifest.json"
MANIFEST_VERSION = 1


def sha256_text(text: str) -> str:
    """Hex digest of text as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_bytes(data: bytes, suffix: str = "") -> str:
    """Hex digest of bytes followed by `suffix` as UTF-8."""
    return hashlib.sha256(data + suffix.encode("utf-8")).hexdigest()


def sha256_file(path: Path) -> str | None:
    """Hex digest of a file's bytes, or None when it does not exist."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


@dataclass
class WrittenArticle:
    """One article file ingest wrote: where, under which slug, with which content hash."""

    position: int
    title: str
    slug: str
    file: str
    sha256: str
    deleted: bool = False     # the editor deleted the file: never write it again


@dataclass
class PageRecord:
    """One seed page as last ingested."""

    text_sha256: str
    articles: list[WrittenArticle] = field(default_factory=list)
    raw_sha256: str = ""      # of the file's bytes: an unchanged file is not even decoded again


@dataclass
class Manifest:
    """All pages ingest has written, and the rules (vocabularies, ingest version) it used."""

    rules: str = ""
    pages: dict[str, PageRecord] = field(default_factory=dict)

    def slugs(self) -> set[str]:
        """Every slug ever assigned, deleted articles included (slugs are never reused)."""
        return {a.slug for page in self.pages.values() for a in page.articles}

    def to_json(self) -> str:
        """Stable JSON, one article per line, so that git diffs stay readable."""
        pages = {stem: asdict(rec) for stem, rec in sorted(self.pages.items())}
        return json.dumps({"version": MANIFEST_VERSION, "rules": self.rules, "pages": pages},
                          ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def load_manifest(content: Path) -> tuple[Manifest, str | None]:
    """The manifest in content/, or an empty one and a warning if it is missing or unreadable."""
    path = content / MANIFEST_NAME
    if not path.exists():
        return Manifest(), None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != MANIFEST_VERSION:
            raise ValueError(f"version {data.get('version')!r}")
        pages = {stem: PageRecord(rec["text_sha256"], [WrittenArticle(**a) for a in rec["articles"]],
                                  rec.get("raw_sha256", ""))
                 for stem, rec in data["pages"].items()}
        return Manifest(data.get("rules", ""), pages), None
    except (ValueError, KeyError, TypeError) as exc:
        return Manifest(), (f"{path}: unreadable ({exc}); treating every existing article file as "
                            "possibly hand-edited (they are kept, not overwritten)")

