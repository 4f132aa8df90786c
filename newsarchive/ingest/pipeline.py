"""The ingest run: read every seed page, split it, and write new or changed articles safely."""
from __future__ import annotations

import hashlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..archive import DataFiles
from ..content.parse import PAGE_RE
from ..errors import ArchiveError, excerpt
from ..files import write_atomic
from ..vocab import Vocabulary
from .articles import Classifiers, assemble
from .decode import page_text, read_page_bytes
from .districts import TOWNSHIPS_FILE, Gazetteer, load_townships
from .manifest import (MANIFEST_NAME, Manifest, PageRecord, WrittenArticle, load_manifest, sha256_bytes,
                       sha256_file, sha256_text)
from .markdown_out import IngestedArticle, render_article
from .page import split_page
from ..content.pages import PageMeta, load_pages_meta
from .rubrics import RUBRICS_FILE, RubricRules, load_rubric_rules
from ..text.slugs import article_slug, unique_slug
from .tags import TagMatcher

# Bump when a change to the ingest rules should re-ingest every page.
INGEST_VERSION = "1"


@dataclass
class IngestReport:
    """What an ingest run did, for the summary line and the exit status."""

    pages_read: int = 0
    pages_unchanged: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    kept_deleted: int = 0
    conflicts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every page was ingested."""
        return not self.errors

    def summary(self) -> str:
        """One line: pages read, articles written, unchanged, conflicts, errors."""
        extra = ""
        if self.removed:
            extra += f", {self.removed} removed"
        if self.kept_deleted:
            extra += f", {self.kept_deleted} deleted by hand (not recreated)"
        return (f"ingest: {self.pages_read} pages read ({self.pages_unchanged} unchanged), "
                f"{self.written} articles written, {self.unchanged} unchanged{extra}, "
                f"{len(self.conflicts)} conflicts, {len(self.errors)} errors")


@dataclass(frozen=True)
class Rules:
    """Everything that decides ingest output besides the page text."""

    rubrics: RubricRules
    classifiers: Classifiers
    fingerprint: str
    pages: dict[str, PageMeta]


def read_rules(data: DataFiles | None = None) -> tuple[RubricRules, Classifiers, str]:
    """Rubric rules, gazetteer and tag matcher from the data files in force, and one
    fingerprint for them.

    The fingerprint is made from the very objects the matchers are built from, so an edit of a
    data file can never be recorded as applied while an older reading of it is used."""
    data = data or DataFiles()
    vocab = Vocabulary.read(data)
    townships = load_townships(data.path(TOWNSHIPS_FILE))
    rubrics = load_rubric_rules(data.path(RUBRICS_FILE))
    digest = hashlib.sha256(repr((INGEST_VERSION, vocab, townships, rubrics.key())).encode("utf-8"))
    classifiers = Classifiers(Gazetteer(vocab.districts, townships), TagMatcher(vocab.tags))
    return rubrics, classifiers, digest.hexdigest()


def load_rules(seeds: Path, data: DataFiles | None = None) -> Rules:
    """The rules in force (see read_rules) and the seeds' page metadata."""
    return Rules(*read_rules(data), load_pages_meta(seeds / "pages.toml"))


def run_ingest(seeds: Path, content: Path, verbose: bool = True, data: DataFiles | None = None) -> IngestReport:
    """Ingest every `*.txt` page in seeds into content/, never overwriting a hand edit
    (`data`: the data files in force, default the engine's)."""
    report = IngestReport()
    started = time.perf_counter()
    try:
        if not seeds.is_dir():
            raise ArchiveError("no such seeds folder", seeds)
        pages = seed_pages(seeds, report)
        if not pages and not report.errors:
            raise ArchiveError("no pages (*.txt) to ingest", seeds)
        rules = load_rules(seeds, data)
    except ArchiveError as exc:
        report.errors.append(str(exc))
        _finish(report, verbose, started)
        return report
    content.mkdir(parents=True, exist_ok=True)
    manifest, warning = load_manifest(content)
    if warning:
        report.notes.append(warning)
    changed = False
    if manifest.rules != rules.fingerprint and manifest.pages:
        report.notes.append("ingest rules or vocabularies changed: every page is ingested again")
    _copy_pages_meta(seeds, content)
    existing = {p.stem for p in content.glob("*.md")}
    taken = manifest.slugs() | existing
    orphans = _orphan_files(content, existing - manifest.slugs())
    for n, path in enumerate(pages, start=1):
        try:
            changed |= _ingest_page(path, content, rules, manifest, taken, orphans, report)
        except ArchiveError as exc:
            report.errors.append(str(exc))
        if verbose and len(pages) >= 200 and n % 100 == 0:
            print(f"ingest: {n}/{len(pages)} pages", file=sys.stderr, flush=True)
    if changed or manifest.rules != rules.fingerprint:
        manifest.rules = rules.fingerprint
        write_atomic(content / MANIFEST_NAME, manifest.to_json())
    _finish(report, verbose, started)
    return report


def seed_pages(seeds: Path, report: IngestReport) -> list[Path]:
    """The pages to ingest: the regular files `*.txt` directly inside `seeds`, in name order,
    whose stem the build accepts as a page name (content.parse.PAGE_RE: it is the page's URL).
    Any other `*.txt` entry is reported and skipped: a symbolic link (it could publish any file
    on the machine), a folder, a name the build would refuse. Hidden files are not pages."""
    pages = []
    with os.scandir(seeds) as entries:
        for entry in entries:
            if not entry.name.endswith(".txt") or entry.name.startswith("."):
                continue
            path = seeds / entry.name
            stem = entry.name[:-len(".txt")]
            if entry.is_symlink():
                report.errors.append(str(ArchiveError(
                    "is a symbolic link: not read", path,
                    hint="ingest reads only regular files inside seeds/; copy the page there instead")))
            elif not entry.is_file(follow_symlinks=False):
                report.errors.append(str(ArchiveError(
                    "is not a regular file: not read", path, hint="ingest reads only regular files inside seeds/")))
            elif not PAGE_RE.fullmatch(stem):
                report.errors.append(str(ArchiveError(
                    f"the page name {excerpt(stem)} is not one the site can use: not read", path,
                    hint="the name is the page's URL: rename the file with ASCII letters, digits, "
                         "'_' and '-', starting with a letter or digit (e.g. 2024-11-20_03.txt)")))
            else:
                pages.append(path)
    return sorted(pages)


def _copy_pages_meta(seeds: Path, content: Path) -> None:
    """Keep content/pages.toml (page numbers and names for the site) in step with the seeds'."""
    source, target = seeds / "pages.toml", content / "pages.toml"
    if source.exists():
        text = source.read_text(encoding="utf-8-sig")
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            write_atomic(target, text)


def _finish(report: IngestReport, verbose: bool, started: float) -> None:
    for note in report.notes if verbose else []:
        print(f"note: {note}", file=sys.stderr)
    for conflict in report.conflicts:
        print(f"conflict: {conflict}", file=sys.stderr)
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    print(f"{report.summary()} in {time.perf_counter() - started:.2f}s", file=sys.stderr)


def _ingest_page(path: Path, content: Path, rules: Rules, manifest: Manifest,
                 taken: set[str], orphans: dict[str, list[WrittenArticle]], report: IngestReport) -> bool:
    """Ingest one page: skip it if unchanged, else plan every file first and then write.
    Returns whether the page's manifest record changed."""
    data = read_page_bytes(path)
    report.pages_read += 1
    stem = path.stem
    meta = rules.pages.get(stem, PageMeta())
    raw_hash = sha256_bytes(data, f"\n{meta!r}")
    record = manifest.pages.get(stem)
    same_rules = manifest.rules == rules.fingerprint
    if record and same_rules and record.raw_sha256 == raw_hash:
        report.pages_unchanged += 1
        report.unchanged += sum(1 for a in record.articles if not a.deleted)
        return False
    text = page_text(data, path)
    text_hash = sha256_text(f"{text}\n{meta!r}")
    if record and same_rules and record.text_sha256 == text_hash:
        # The same text in other bytes (another encoding or line ends): nothing to write but
        # the new bytes' hash.
        report.pages_unchanged += 1
        report.unchanged += sum(1 for a in record.articles if not a.deleted)
        record.raw_sha256 = raw_hash
        return True
    if not text.strip():
        raise ArchiveError("page is empty", path)
    split = split_page(text, rules.rubrics)
    if not split.articles:
        raise ArchiveError("holds no article (no dateline such as 本报讯（记者 …） and no headline "
                           "followed by text)", path)
    report.notes.extend(f"{path}:{note}" for note in split.notes)
    articles = [assemble(a, stem, i, meta, rules.classifiers) for i, a in enumerate(split.articles, start=1)]
    old = record.articles if record else orphans.pop(stem, [])
    new_record = PageRecord(text_hash, _write_articles(articles, old, content, taken, report), raw_hash)
    manifest.pages[stem] = new_record
    return new_record != record


def _match(article: IngestedArticle, old: list[WrittenArticle]) -> WrittenArticle | None:
    """The earlier version of an article: same title, else same position on the page."""
    for candidates in ([o for o in old if o.title == article.title],
                       [o for o in old if o.position == article.position]):
        if candidates:
            old.remove(candidates[0])
            return candidates[0]
    return None


def _write_articles(articles: list[IngestedArticle], old_records: list[WrittenArticle], content: Path,
                    taken: set[str], report: IngestReport) -> list[WrittenArticle]:
    """Decide every file's fate (write, keep, conflict, remove), then carry it out."""
    unmatched = list(old_records)
    plan: list[tuple[Path, str]] = []
    records: list[WrittenArticle] = []
    for article in articles:
        previous = _match(article, unmatched)
        if previous:
            article.slug = previous.slug
        else:
            article.slug = unique_slug(article_slug(article.title), taken)
            taken.add(article.slug)
        text = render_article(article)
        new_hash = sha256_text(text)
        path = content / f"{article.slug}.md"
        record = WrittenArticle(article.position, article.title, article.slug, path.name, new_hash)
        current = sha256_file(path)
        if previous and (previous.deleted or current is None):
            record.deleted, record.sha256 = True, previous.sha256
            report.kept_deleted += 1
        elif current == new_hash:
            report.unchanged += 1
        elif previous is None and current is None or previous and current == previous.sha256:
            plan.append((path, text))
        else:
            record.sha256 = previous.sha256 if previous else ""
            report.conflicts.append(f"{path} was edited by hand; kept the edit (the page's new "
                                    "version of this article was not written)")
        records.append(record)
    removals = []
    for gone in unmatched:
        path = content / gone.file
        current = sha256_file(path)
        if not gone.deleted and current is not None and current != gone.sha256:
            report.conflicts.append(f"{path} is no longer on its page but was edited by hand; kept it")
            records.append(gone)
            continue
        if current is not None:
            removals.append(path)
        records.append(WrittenArticle(gone.position, gone.title, gone.slug, gone.file, gone.sha256, True))
    for path, text in plan:
        write_atomic(path, text)
        report.written += 1
    for path in removals:
        path.unlink()
        report.removed += 1
    return records


def _orphan_files(content: Path, stems: set[str]) -> dict[str, list[WrittenArticle]]:
    """Article files the manifest does not know (it was lost, or files were copied in), by page.

    They are adopted as possibly hand-edited, so they are kept unless ingest would write
    exactly the same text."""
    adopted: dict[str, list[WrittenArticle]] = {}
    for stem in sorted(stems):
        path = content / f"{stem}.md"
        head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        try:
            data = yaml.safe_load(head.removeprefix("---")) or {}
        except yaml.YAMLError:
            continue
        if isinstance(data, dict) and isinstance(data.get("page"), str):
            adopted.setdefault(data["page"], []).append(WrittenArticle(
                int(data.get("position", 0) or 0), str(data.get("title", "")), stem, path.name,
                sha256_text("adopted")))
    return adopted
