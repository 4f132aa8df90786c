"""What ingest wrote, with hashes: how a rebuild tells hand edits and deletions from its own files."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import ArchiveError, excerpt

MANIFEST_NAME = ".ingest-manifest.json"
MANIFEST_VERSION = 1


def sha256_text(text: str) -> str:
    """Hex digest of text as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_bytes(data: bytes, suffix: str = "") -> str:
    """Hex digest of bytes followed by `suffix` as UTF-8."""
    return hashlib.sha256(data + suffix.encode("utf-8")).hexdigest()


def sha256_file(path: Path) -> str | None:
    """Hex digest of a file's bytes, or None when it does not exist; ArchiveError when a folder
    or anything else but a regular file stands at `path` (ingest could not write there)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ArchiveError("is a folder where an article file belongs", path,
                           hint="move the folder away; ingest writes this article there") from None


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
    adopting: bool = False    # being rebuilt from content/ (ingest --adopt): nothing else is written

    def slugs(self) -> set[str]:
        """Every slug ever assigned, deleted articles included (slugs are never reused)."""
        return {a.slug for page in self.pages.values() for a in page.articles}

    def to_json(self) -> str:
        """Stable JSON, one article per line, so that git diffs stay readable."""
        pages = {stem: asdict(rec) for stem, rec in sorted(self.pages.items())}
        return json.dumps({"version": MANIFEST_VERSION, "rules": self.rules, "pages": pages},
                          ensure_ascii=False, indent=1, sort_keys=True) + "\n"


ADOPT_HINT = ("ingest stops here so that no article deleted by hand comes back. Restore the file "
              "(git checkout content/.ingest-manifest.json), or run `ingest --adopt`: it rebuilds "
              "the manifest from the article files in content/, lists the articles of the seed pages "
              "that have no file, and writes none of them")


def load_manifest(content: Path) -> Manifest | None:
    """The manifest in content/, or None when there is none. ArchiveError saying what is wrong
    (and how to go on: ADOPT_HINT) when it cannot be read or is not a manifest of this version."""
    path = content / MANIFEST_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ArchiveError("is a folder, not the ingest manifest", path, hint=ADOPT_HINT) from None
    except OSError as exc:
        raise ArchiveError(f"cannot be read: {exc.strerror}", path, hint=ADOPT_HINT) from exc
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ArchiveError(f"is damaged: not UTF-8 text (byte {exc.start})", path, hint=ADOPT_HINT) from None
    except json.JSONDecodeError as exc:
        what = "empty" if not raw.strip() else f"not valid JSON ({exc.msg.lower().removesuffix(' at')})"
        raise ArchiveError(f"is damaged: {what}", path, exc.lineno if raw.strip() else None,
                           hint=ADOPT_HINT) from None
    if not isinstance(data, dict):
        raise ArchiveError(f"is damaged: it holds {_json_kind(data)}, not the manifest's object",
                           path, hint=ADOPT_HINT)
    if data.get("version") != MANIFEST_VERSION:
        raise ArchiveError(f"has version {excerpt(data.get('version'))}; this newsarchive reads version "
                           f"{MANIFEST_VERSION}", path, hint=ADOPT_HINT)
    try:
        return Manifest(_text(data.get("rules", "")), {
            _text(stem): PageRecord(_text(rec["text_sha256"]), [_article(a) for a in _list(rec["articles"])],
                                    _text(rec.get("raw_sha256", "")))
            for stem, rec in _mapping(data["pages"]).items()})
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        problem = f"no {exc.args[0]!s:.40} field" if isinstance(exc, KeyError) else str(exc)
        raise ArchiveError(f"is damaged: {problem}", path, hint=ADOPT_HINT) from None


def _article(data: object) -> WrittenArticle:
    """One article record, every field of its type."""
    record = _mapping(data)
    missing = {"position", "title", "slug", "file", "sha256"} - set(record)
    if missing or set(record) - {"position", "title", "slug", "file", "sha256", "deleted"}:
        raise ValueError(f"an article record has no {min(missing)} field" if missing
                         else "an article record has unknown fields")
    article = WrittenArticle(**record)
    for name, kind in (("position", int), ("title", str), ("slug", str), ("file", str), ("sha256", str),
                       ("deleted", bool)):
        if not isinstance(getattr(article, name), kind):
            raise ValueError(f"an article's {name} is {_json_kind(getattr(article, name))}")
    if "/" in article.file or article.file.startswith(".") or not article.file.endswith(".md"):
        raise ValueError(f"an article's file {excerpt(article.file)} is not a file name in content/")
    return article


def _mapping(value: object) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"found {_json_kind(value)} where an object belongs")
    return value


def _list(value: object) -> list:
    if not isinstance(value, list):
        raise ValueError(f"found {_json_kind(value)} where a list belongs")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"found {_json_kind(value)} where text belongs")
    return value


def _json_kind(value: object) -> str:
    """How a JSON value is called in a message."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {excerpt(value)}"
    if isinstance(value, str):
        return f"the text {excerpt(value)}"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    return "an object"
