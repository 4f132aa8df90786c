"""The ingest run: read every seed page, split it, and write new or changed articles safely."""
from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

from ..archive import DataFiles
from ..content.frontmatter import load_yaml, split_front_matter
from ..content.parse import PAGE_RE
from ..errors import ArchiveError, excerpt
from ..files import WRITER_TEMPORARY, remove_stale_temporaries, write_atomic
from ..heap import long_run
from ..progress import Progress
from ..vocab import Vocabulary
from .articles import Classifiers, assemble
from .decode import page_text, read_page_bytes
from .districts import TOWNSHIPS_FILE, Gazetteer, load_townships
from .manifest import (ADOPT_HINT, MANIFEST_NAME, Manifest, PageRecord, WrittenArticle, load_manifest, sha256_bytes,
                       sha256_file, sha256_text)
from .markdown_out import IngestedArticle, render_article
from .page import Note, PageRules, PageSplit, split_page
from .profile import load_profile
from ..content.pages import PageMeta, load_pages_meta, page_meta
from ..text.slugs import TakenSlugs, article_slug
from .tags import TagMatcher

# Bump when a change to the ingest rules should re-ingest every page.
INGEST_VERSION = "2"


@dataclass(frozen=True)
class ReviewNote:
    """A place on a page that ingest noticed: a doubtful split (`doubt`) or information, with
    the content file of the article it concerns (None: no article)."""

    page: Path
    line: int
    message: str
    doubt: bool
    article: Path | None

    def __str__(self) -> str:
        where = f" (article: {self.article})" if self.article else ""
        return f"{self.page}:{self.line}: {self.message}{where}"


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
    review: list[ReviewNote] = field(default_factory=list)
    reviewed_all: bool = False     # every page was split (ingest --review): `review` is complete

    @property
    def ok(self) -> bool:
        """True when every page was ingested."""
        return not self.errors

    @property
    def doubts(self) -> list[ReviewNote]:
        """The doubtful splits found (on every page with --review, else on the pages split)."""
        return [n for n in self.review if n.doubt]

    def summary(self) -> str:
        """One line: pages read, articles written, unchanged, conflicts, errors, doubts."""
        extra = ""
        if self.removed:
            extra += f", {self.removed} removed"
        if self.kept_deleted:
            extra += f", {self.kept_deleted} deleted by hand (not recreated)"
        doubts = len(self.doubts)
        tail = ""
        if doubts or self.reviewed_all:
            tail = f", {doubts} doubtful place{'' if doubts == 1 else 's'}"
            if doubts and not self.reviewed_all:
                tail += " (ingest --review lists them)"
        return (f"ingest: {self.pages_read} pages read ({self.pages_unchanged} unchanged), "
                f"{self.written} articles written, {self.unchanged} unchanged{extra}, "
                f"{len(self.conflicts)} conflicts, {len(self.errors)} errors{tail}")


@dataclass(frozen=True)
class Rules:
    """Everything that decides ingest output besides the page text."""

    page: PageRules
    classifiers: Classifiers
    fingerprint: str
    pages: dict[str, PageMeta]


def read_rules(data: DataFiles | None = None) -> tuple[PageRules, Classifiers, str]:
    """The page rules (the paper profile), gazetteer and tag matcher from the data files in
    force, and one fingerprint for them.

    The fingerprint is made from the very objects the matchers are built from, so an edit of a
    data file can never be recorded as applied while an older reading of it is used."""
    data = data or DataFiles()
    vocab = Vocabulary.read(data)
    townships = load_townships(data.path(TOWNSHIPS_FILE))
    unknown = sorted({district for _, district in townships} - set(vocab.district_by_name))
    if unknown:
        # an archive with districts of its own and the engine's (Beijing) township register
        raise ArchiveError(f"the township register names {len(unknown)} district(s) that "
                           f"{data.path('districts.toml')} does not have, such as {excerpt(unknown[0])}",
                           data.path(TOWNSHIPS_FILE),
                           hint=f"give the archive a register of its own in data/{TOWNSHIPS_FILE} "
                                "(a file holding only its header line 'code<TAB>name<TAB>district' "
                                "when there is none), or add the districts")
    profile = load_profile(data)
    # the vocabulary's districts and tags (what the matchers use), not its taxonomies
    digest = hashlib.sha256(repr((INGEST_VERSION, vocab.districts, vocab.tags, townships, profile.key()))
                            .encode("utf-8"))
    classifiers = Classifiers(Gazetteer(vocab.districts, townships), TagMatcher(vocab.tags), profile.headline)
    return PageRules.of(profile), classifiers, digest.hexdigest()


def load_rules(seeds: Path, data: DataFiles | None = None) -> Rules:
    """The rules in force (see read_rules) and the seeds' page metadata."""
    return Rules(*read_rules(data), load_pages_meta(seeds / "pages.toml"))


def run_ingest(seeds: Path, content: Path, verbose: bool = True, data: DataFiles | None = None,
               review: bool = False, adopt: bool = False) -> IngestReport:
    """Ingest every page in seeds into content/, never overwriting a hand edit nor writing again
    an article deleted by hand (`data`: the data files in force, default the engine's). With
    `review`, unchanged pages are split again too (nothing is written for them), so
    `report.review` holds every doubtful split of the archive, and the list is printed. With
    `adopt`, rebuild the manifest from the article files in content/ instead and write nothing
    else (see _write_articles).

    This is ingest's error boundary: every problem, the operating system's refusals included,
    ends in the report as `file: message`."""
    report = IngestReport(reviewed_all=review)
    started = time.perf_counter()
    try:
        with long_run():
            _ingest_all(seeds, content, data, adopt, report, verbose)
    except ArchiveError as exc:
        report.errors.append(str(exc))
    except OSError as exc:
        report.errors.append(str(ArchiveError.from_os_error(exc, content)))
    _finish(report, verbose or adopt, started)
    return report


def _ingest_all(seeds: Path, content: Path, data: DataFiles | None, adopt: bool, report: IngestReport,
                verbose: bool) -> None:
    """The ingest run (see run_ingest)."""
    if not seeds.is_dir():
        raise ArchiveError("no such seeds folder", seeds)
    pages = seed_pages(seeds, report)
    rules = load_rules(seeds, data)
    content.mkdir(parents=True, exist_ok=True)
    if not pages and not report.errors and not adopt:
        report.notes.append(f"{seeds}: no pages (*.txt) yet: put page files there to ingest them")
        return
    for path in remove_stale_temporaries(content, WRITER_TEMPORARY):   # a killed run's half-written files
        report.notes.append(f"removed {path}, left by a run that did not finish")
    entries, files = _article_entries(content)
    manifest = _open_manifest(content, files, adopt)
    if adopt:
        report.notes.append(f"--adopt: rebuilding {content / MANIFEST_NAME} from the {len(files)} article "
                            "files in content/; no article is written")
    elif manifest.rules != rules.fingerprint and manifest.pages:
        report.notes.append("ingest rules or vocabularies changed: every page is ingested again")
    _copy_pages_meta(seeds, content)
    taken = TakenSlugs(manifest.slugs() | entries)
    orphans = _orphan_files(content, entries - manifest.slugs(), files, report)
    changed = adopt
    try:
        with Progress("ingest", len(pages), "pages", enabled=verbose) as progress:
            for n, path in enumerate(pages, start=1):
                try:
                    changed |= _ingest_page(path, content, rules, manifest, taken, orphans, report)
                except ArchiveError as exc:
                    report.errors.append(str(exc))
                progress.update(n)
    except BaseException:
        # Cut short (disk full, Ctrl-C): keep the records of the pages done, under the old rules
        # fingerprint, so the next run redoes the rest; a second failure must not hide the first.
        if changed:
            with contextlib.suppress(OSError):
                write_atomic(content / MANIFEST_NAME, manifest.to_json())
        raise
    if changed or manifest.rules != rules.fingerprint:
        manifest.rules = rules.fingerprint
        write_atomic(content / MANIFEST_NAME, manifest.to_json())
    if adopt and orphans:
        names = sorted(a.file for records in orphans.values() for a in records)
        report.notes.append(f"{len(names)} article file(s) name a page that is not in {seeds}/ and stay as "
                            f"they are, outside the manifest: {', '.join(names[:10])}"
                            + (" …" if len(names) > 10 else ""))


def _article_entries(content: Path) -> tuple[set[str], set[str]]:
    """The stems of every `*.md` entry in content/ (slugs taken, whatever stands there) and of
    the regular files among them (following symbolic links, as the build does)."""
    entries, files = set(), set()
    with os.scandir(content) as found:
        for entry in found:
            if entry.name.endswith(".md") and not entry.name.startswith("."):
                entries.add(entry.name[:-len(".md")])
                if entry.is_file():
                    files.add(entry.name[:-len(".md")])
    return entries, files


def _open_manifest(content: Path, files: set[str], adopt: bool) -> Manifest:
    """The manifest to work with: a new one to fill when adopting, else the one in content/.

    A lost manifest is never silent: with article files present, nothing would tell ingest
    which articles the editors deleted, so it stops (ArchiveError, ADOPT_HINT). Before the first
    article of a new archive is written, an empty manifest is: a first run cut short leaves
    one, and the next run adopts the files it wrote by their page, position and title."""
    if adopt:
        return Manifest(adopting=True)
    manifest = load_manifest(content)
    if manifest is None:
        if files:
            raise ArchiveError(f"missing, but content/ holds {len(files)} article file(s)",
                               content / MANIFEST_NAME, hint=ADOPT_HINT)
        manifest = Manifest()
        write_atomic(content / MANIFEST_NAME, manifest.to_json())
    return manifest


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
    if report.reviewed_all:
        doubts = report.doubts
        pages = len({n.page for n in doubts})
        print(f"review: {len(doubts)} doubtful place{'' if len(doubts) == 1 else 's'} on {pages} "
              f"page{'' if pages == 1 else 's'}", file=sys.stderr)
    for note in report.review if verbose or report.reviewed_all else []:
        print(f"{'doubt' if note.doubt else 'note'}: {note}", file=sys.stderr)
    for conflict in report.conflicts:
        print(f"conflict: {conflict}", file=sys.stderr)
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    print(f"{report.summary()} in {time.perf_counter() - started:.2f}s", file=sys.stderr)


def _review(report: IngestReport, path: Path, notes: list[Note], files: list[Path]) -> None:
    """Keep a page's notes with the content file of the article each concerns."""
    for note in notes:
        article = files[note.article] if note.article is not None and note.article < len(files) else None
        report.review.append(ReviewNote(path, note.line, note.message, note.doubt, article))


def _split(path: Path, text: str, rules: Rules) -> PageSplit:
    """The page's articles; ArchiveError when it holds none, or nothing that reads as news."""
    if not text.strip():
        raise ArchiveError("page is empty", path)
    split = split_page(text, rules.page)
    if not split.articles:
        raise ArchiveError("holds no article (no dateline such as 本报讯（记者 …） and no headline "
                           "followed by text): not a newspaper page; nothing was written for it", path)
    if not split.newspaper:
        raise ArchiveError("is not a newspaper page: no dateline, byline or credit, and no headline over "
                           "Chinese text; nothing was written for it", path,
                           hint="only newspaper page text belongs in seeds/")
    return split


def _review_unchanged(path: Path, data: bytes, text: str | None, content: Path, rules: Rules,
                      record: PageRecord, report: IngestReport) -> None:
    """ingest --review: split an unchanged page again for its notes (nothing is written)."""
    split = _split(path, text if text is not None else page_text(data, path), rules)
    _review(report, path, split.notes, [content / a.file for a in record.articles])


def _ingest_page(path: Path, content: Path, rules: Rules, manifest: Manifest,
                 taken: TakenSlugs, orphans: dict[str, list[WrittenArticle]], report: IngestReport) -> bool:
    """Ingest one page: skip it if unchanged, else plan every file first and then write.
    Returns whether the page's manifest record changed."""
    data = read_page_bytes(path)
    report.pages_read += 1
    stem = path.stem
    meta = page_meta(stem, rules.pages)
    raw_hash = sha256_bytes(data, f"\n{meta!r}")
    record = manifest.pages.get(stem)
    same_rules = manifest.rules == rules.fingerprint
    if record and same_rules and record.raw_sha256 == raw_hash:
        report.pages_unchanged += 1
        report.unchanged += sum(1 for a in record.articles if not a.deleted)
        if report.reviewed_all:
            _review_unchanged(path, data, None, content, rules, record, report)
        return False
    text = page_text(data, path)
    text_hash = sha256_text(f"{text}\n{meta!r}")
    if record and same_rules and record.text_sha256 == text_hash:
        # The same text in other bytes (another encoding or line ends): nothing to write but
        # the new bytes' hash.
        report.pages_unchanged += 1
        report.unchanged += sum(1 for a in record.articles if not a.deleted)
        record.raw_sha256 = raw_hash
        if report.reviewed_all:
            _review_unchanged(path, data, text, content, rules, record, report)
        return True
    split = _split(path, text, rules)
    articles = [assemble(a, stem, i, meta, rules.classifiers) for i, a in enumerate(split.articles, start=1)]
    old = record.articles if record else orphans.pop(stem, [])
    new_record = PageRecord(text_hash, _write_articles(articles, old, content, taken, report, manifest.adopting),
                            raw_hash)
    manifest.pages[stem] = new_record
    _review(report, path, split.notes, [content / f"{a.slug}.md" for a in articles])
    return new_record != record


class PreviousVersions:
    """The articles a page's last ingest wrote, looked up by title and position, by title and by
    position on the page (a dictionary each, so matching a page of n articles takes time in n,
    not n²)."""

    def __init__(self, records: list[WrittenArticle]) -> None:
        self.records = list(records)
        self.taken: set[int] = set()
        self.by_both: dict[tuple[str, int], deque[int]] = defaultdict(deque)
        self.by_title: dict[str, deque[int]] = defaultdict(deque)
        self.by_position: dict[int, deque[int]] = defaultdict(deque)
        for n, record in enumerate(self.records):
            self.by_both[(record.title, record.position)].append(n)
            self.by_title[record.title].append(n)
            self.by_position[record.position].append(n)

    def take(self, article: IngestedArticle) -> WrittenArticle | None:
        """The earlier version of an article: the first not yet taken with the same title and
        position, else the same title, else the same position on the page."""
        for found in (self.by_both.get((article.title, article.position)), self.by_title.get(article.title),
                      self.by_position.get(article.position)):
            while found and found[0] in self.taken:
                found.popleft()
            if found:
                n = found.popleft()
                self.taken.add(n)
                return self.records[n]
        return None

    def left(self) -> list[WrittenArticle]:
        """The records no article of the page's new version took, in their order."""
        return [r for n, r in enumerate(self.records) if n not in self.taken]


def _write_articles(articles: list[IngestedArticle], old_records: list[WrittenArticle], content: Path,
                    taken: TakenSlugs, report: IngestReport, adopting: bool = False) -> list[WrittenArticle]:
    """Decide every file's fate (write, keep, conflict, remove), then carry it out.

    `adopting` (ingest --adopt): the old records are the article files found in content/ for
    this page; nothing is written or removed. A file equal to what ingest writes now is recorded
    as ingest's, one that differs as a hand edit, and an article with no file as deleted by hand
    (listed in the notes: ingest cannot tell whether it was ever written)."""
    previous_versions = PreviousVersions(old_records)
    plan: list[tuple[Path, str]] = []
    records: list[WrittenArticle] = []
    for article in articles:
        previous = previous_versions.take(article)
        if previous:
            article.slug = previous.slug
        else:
            article.slug = taken.claim(article_slug(article.title))
        text = render_article(article)
        new_hash = sha256_text(text)
        path = content / f"{article.slug}.md"
        record = WrittenArticle(article.position, article.title, article.slug, path.name, new_hash)
        current = sha256_file(path)
        if adopting:
            _adopt(article, record, current, report)
        elif previous and (previous.deleted or current is None):
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
    if adopting:
        for stray in previous_versions.left():
            report.notes.append(f"{content / stray.file} names page {articles[0].page} but matches none of its "
                                "articles (by title or position): left as it is, outside the manifest")
        return records
    removals = []
    for gone in previous_versions.left():
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


def _adopt(article: IngestedArticle, record: WrittenArticle, current: str | None, report: IngestReport) -> None:
    """Record what content/ holds of one seed article (see _write_articles' `adopting`)."""
    if current is None:
        record.deleted = True
        report.kept_deleted += 1
        report.notes.append(f"page {article.page}, article {article.position} 「{excerpt(article.title)[1:-1]}」 "
                            f"has no file in content/: recorded as deleted, not written (it would be "
                            f"{record.file})")
        return
    report.unchanged += 1
    if current != record.sha256:
        report.notes.append(f"{record.file} differs from what ingest writes for it now: kept as a hand edit")


def _orphan_files(content: Path, stems: set[str], files: set[str],
                  report: IngestReport) -> dict[str, list[WrittenArticle]]:
    """Article files the manifest does not know (copied in, or all of them when adopting), by
    the page their front matter names, with their position and title.

    Outside --adopt they are taken as possibly hand-edited, so they are kept unless ingest
    would write exactly the same text. A file that cannot be read this far (not UTF-8, broken
    front matter, a folder named *.md) is reported: the build would refuse it too."""
    adopted: dict[str, list[WrittenArticle]] = {}
    for stem in sorted(stems):
        path = content / f"{stem}.md"
        fields = _front_matter(path) if stem in files else ArchiveError(
            "is not a regular file", path, hint="article files are regular files named <slug>.md: move it away")
        if isinstance(fields, ArchiveError):
            report.errors.append(str(fields))
            continue
        page, position, title = fields.get("page"), fields.get("position"), fields.get("title")
        if isinstance(page, str) and page:
            adopted.setdefault(page, []).append(WrittenArticle(
                position if isinstance(position, int) and not isinstance(position, bool) else 0,
                title if isinstance(title, str) else "", stem, path.name, sha256_text("adopted")))
    return adopted


def _front_matter(path: Path) -> dict | ArchiveError:
    """The front matter of an article file, read as the build reads it."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return ArchiveError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path, hint="save the file as UTF-8")
    split = split_front_matter(path, text.replace("\r\n", "\n").replace("\r", "\n"))
    return split if isinstance(split, ArchiveError) else load_yaml(path, split[0])
