"""Build the static site from `content/`.

The build reads as a story: scan the inputs → load content → build the model → check output
paths → render pages → search index → feed, sitemap, robots, 404 and static files → swap in.

Full builds render into a temporary directory next to `out` and swap it in with a rename, so a
failed build leaves the previous site untouched. When a usable cache says the theme, settings and
code are unchanged, the build is incremental: every page's fingerprint (a hash of its view) is
compared with the last build's, only changed pages are rendered into a staging directory, and
only after everything succeeded are they moved into place and vanished pages deleted.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, TypeVar

from .archive import DataFiles
from .cache import BuildCache, BuildState, Stamps, make_stamps, user_cache_dir
from .config import SiteConfig
from .content.article import content_hash
from .content.load import CachedFile, ContentLoad, load_content, scan_content
from .errors import ArchiveError
from .files import make_temp_dir, write_new
from .model import Output, SiteModel, build_model, check_output_paths, check_unique_slugs
from .render import TEASER_TEMPLATE, THEME_DIR, Renderer, fingerprint
from .search import Facet, SearchDoc
from .text.pinyin import keep_pinyin_table
from .views import VIEWS, Views, extra_outputs, pages_showing
from .vocab import Vocabulary

CHUNK_PAGES = 200           # pages per task handed to a render worker
PARALLEL_MIN_PAGES = 400    # below this, one process is faster than starting workers
WORKER_CHUNKS = 50          # tasks a render worker takes before a fresh one replaces it
PROGRESS_EVERY = 2.0        # seconds between progress lines
T = TypeVar("T")


@dataclass
class BuildReport:
    """What a build did: success, how (full, incremental, unchanged), stage timings and counts."""

    ok: bool
    mode: str = "failed"
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[ArchiveError] = field(default_factory=list)


def build_site(content: Path, out: Path, config: SiteConfig, jobs: int | None = None,
               verbose: bool = False, theme: Path = THEME_DIR, data: DataFiles | None = None) -> BuildReport:
    """Build `out` from the articles in `content`; errors are printed and reported, not raised.
    `data`: the data files in force (default: the engine's own)."""
    return SiteBuild(Path(content), Path(out), config, resolve_jobs(jobs), verbose, theme,
                     data or DataFiles()).run()


def resolve_jobs(jobs: int | None) -> int:
    """Worker processes to use: as asked, else one per available core."""
    if jobs is not None:
        return max(1, jobs)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass
class Inputs:
    """The stamps and file list that decide whether, and how much, to rebuild."""

    stamps: Stamps
    content_stats: list[tuple[str, int, int]]


class SiteBuild:
    """One run of the build (see the module docstring for the story)."""

    def __init__(self, content: Path, out: Path, config: SiteConfig, jobs: int, verbose: bool,
                 theme: Path, data: DataFiles) -> None:
        self.content = content
        self.out = out
        self.config = config
        self.jobs = jobs
        self.verbose = verbose
        self.theme = theme
        self.data = data
        self.vocab: Vocabulary | None = None   # read when the build starts
        self.report = BuildReport(ok=False)
        self.temporary: list[Path] = []   # directories to remove however the build ends

    def run(self) -> BuildReport:
        """Run the build; print errors and a one-line summary."""
        started = time.perf_counter()
        try:
            self._build()
            self.report.ok = True
        except ArchiveError as exc:
            self.report.errors.append(exc)
        except _BuildFailed:
            pass
        finally:
            for directory in self.temporary:
                shutil.rmtree(directory, ignore_errors=True)
        self.report.timings["total"] = time.perf_counter() - started
        self._print_summary()
        return self.report

    def _build(self) -> None:
        """The story of a build."""
        inputs = self.stage("scan", self.scan_inputs)
        cache = BuildCache.for_output(self.out)
        state = cache.load_state()
        if state and self._unchanged(inputs, state, cache):
            self.report.mode = "unchanged"
            return
        keep_pinyin_table(user_cache_dir() / "pinyin-table-3.pickle")   # its format is pinyin.TABLE_FORMAT
        loaded = self.stage("load", self.load, cache, inputs)
        self.fail_on(loaded.errors)
        model = self.stage("model", self.build_model, loaded)
        outputs, extras = model.outputs(), extra_outputs(model)
        self.fail_on(self.stage("check", check_output_paths, outputs + extras))
        incremental = bool(state and state.stamps.page == inputs.stamps.page
                           and (self.out / "index.html").exists())
        previous = state.manifest if (state and incremental) else {}
        new_state = BuildState(
            inputs.stamps, settled(inputs.content_stats), content_digest=files_digest(loaded, "hash"),
            outline_digest=files_digest(loaded, "outline"), placement_digest=files_digest(loaded, "placement"),
            file_hashes={name: cached.hash for name, cached in loaded.files.items()},
            outlines={name: cached.outline for name, cached in loaded.files.items()})
        if (incremental and state and state.content_digest == new_state.content_digest
                and state.stamps == inputs.stamps):
            # Only file times changed: nothing to render; remember the new times.
            new_state.manifest = previous
            cache.save(new_state, settled_files(loaded.files))
            self.report.mode = "unchanged"
            return
        todo = self.pages_to_look_at(outputs, model, loaded, new_state, state if incremental else None)
        self.report.counts.update(considered=len(todo), page_outputs=len(outputs))
        target = self.make_target(incremental)
        views, renderer = Views(model), self.stage("templates", self.load_templates, cache.directory / "templates")
        manifest = self.stage("render", self.render_pages, RenderJob(views, renderer, todo, target, previous))
        if todo is not outputs:
            manifest = {o.path: previous[o.path] for o in outputs} | manifest
        if not (state and state.stamps.parse == inputs.stamps.parse):
            # Search shards are keyed by their files' hashes; another content reader may read
            # other fields from the same bytes.
            shutil.rmtree(cache.directory / "search", ignore_errors=True)
        manifest.update(self.stage("search", self.build_search, model, target, cache.directory))
        manifest.update(self.stage("extras", self.render_extras, RenderJob(views, renderer, extras, target, previous)))
        manifest.update(self.stage("static", self.copy_static, target, previous))
        new_state.manifest = manifest
        if incremental:
            self.stage("swap", self.move_in, target, manifest, previous)
        else:
            self.stage("swap", self.swap_in, target)
        self.stage("cache", cache.save, new_state, settled_files(loaded.files))
        self.report.mode = "incremental" if incremental else "full"
        self.report.counts.update(articles=len(model.articles), pages=len(model.pages),
                                  outputs=len(manifest))

    # --- stages ---------------------------------------------------------------------------

    def stage(self, name: str, step: Callable[..., T], *args) -> T:
        """Run one step, timing it."""
        started = time.perf_counter()
        try:
            return step(*args)
        finally:
            self.report.timings[name] = self.report.timings.get(name, 0.0) + time.perf_counter() - started

    def fail_on(self, errors: list[ArchiveError]) -> None:
        """Stop the build when a step found errors (before anything was written)."""
        if errors:
            self.report.errors.extend(errors)
            raise _BuildFailed()

    def scan_inputs(self) -> Inputs:
        """Stamp the code, theme and settings, and list the content files with their stat."""
        if not self.content.is_dir():
            raise ArchiveError("content directory not found", self.content,
                               hint="run `python build.py ingest` first, or pass --content DIR")
        self.vocab = Vocabulary.read(self.data)
        return Inputs(make_stamps(self.theme, repr(self.config), repr(self.vocab)), scan_content(self.content))

    def _unchanged(self, inputs: Inputs, state: BuildState, cache: BuildCache) -> bool:
        """Nothing changed since the last build: same code, theme, settings and files.

        A file whose stat differs is re-hashed; if its bytes are the ones last built (it was
        touched, or too recently written for its stat to be trusted), the new stat is
        remembered and nothing else is done.
        """
        if state.stamps != inputs.stamps or not (self.out / "index.html").exists():
            return False
        if state.content_stats == inputs.content_stats:
            return True
        old = {name: (mtime, size) for name, mtime, size in state.content_stats}
        if old.keys() != {name for name, _, _ in inputs.content_stats}:
            return False
        for name, mtime, size in inputs.content_stats:
            if old[name] != (mtime, size):
                known = state.file_hashes.get(name)
                if known is None or old[name][1] != size or file_hash(self.content / name) != known:
                    return False
        cache.save_state(replace(state, content_stats=settled(inputs.content_stats)))
        return True

    def load(self, cache: BuildCache, inputs: Inputs) -> ContentLoad:
        """Load every article, reusing cached parses of unchanged files."""
        parses = cache.load_parses(inputs.stamps.parse)
        for note in cache.notes:
            self.say(note)
        loaded = load_content(self.content, parses, self.jobs, self.vocab, inputs.content_stats)
        self.report.counts["parsed"] = loaded.parsed
        self.say(f"load: {len(loaded.articles)} articles, {loaded.parsed} file(s) read")
        return loaded

    def build_model(self, loaded: ContentLoad) -> SiteModel:
        """The site model, after refusing duplicate slugs."""
        self.fail_on(check_unique_slugs(loaded.articles))
        return build_model(loaded.articles, self.config, self.vocab, loaded.pages)

    def pages_to_look_at(self, outputs: list[Output], model: SiteModel, loaded: ContentLoad,
                         new: BuildState, last: BuildState | None) -> list[Output]:
        """The pages whose fingerprints may have changed since the `last` build: all of them
        unless every page was written then and no article moved (see body_edits, outline_edits)."""
        if last is None or any(o.path not in last.manifest for o in outputs):
            return outputs
        if last.outline_digest == new.outline_digest:
            return self.body_edits(outputs, model, last)
        if last.placement_digest == new.placement_digest:
            return self.outline_edits(outputs, model, last, loaded)
        return outputs

    def body_edits(self, outputs: list[Output], model: SiteModel, state: BuildState) -> list[Output]:
        """The pages to look at when only article bodies changed: those articles' own pages.

        Every other page shows articles only through their outlines (titles, summaries,
        links, dates), so when no outline changed, their fingerprints cannot have changed.
        The feed, which shows bodies too, is an extra and is looked at in every build.
        """
        todo = [o for o in outputs if o.kind == "article"
                and state.file_hashes.get(os.path.basename(model.articles[o.ref].article.path))
                != model.articles[o.ref].article.content_hash]
        self.say(f"render: only article bodies changed; looking at {len(todo)} page(s)")
        return todo

    def outline_edits(self, outputs: list[Output], model: SiteModel, state: BuildState,
                      loaded: ContentLoad) -> list[Output]:
        """The pages to look at when articles changed but every one keeps its place (URL,
        date, newspaper page, groups): the pages that show the changed articles."""
        wanted: set[tuple[str, int, int]] = set()
        for entry in model.articles:
            name = os.path.basename(entry.article.path)
            cached = loaded.files[name]
            if state.outlines.get(name) != cached.outline:
                wanted |= pages_showing(model, entry)
            elif state.file_hashes.get(name) != cached.hash:
                wanted.add(("article", entry.index, 1))
        todo = [o for o in outputs if (o.kind, o.ref, o.number) in wanted]
        self.say(f"render: articles changed in place; looking at {len(todo)} page(s) that show them")
        return todo

    def make_target(self, incremental: bool) -> Path:
        """A fresh directory next to `out` to render into (the new site, or the changed files)."""
        kind = "stage" if incremental else "build"
        target = make_temp_dir(self.out.resolve().parent, f".{self.out.name}.{kind}-")
        self.temporary.append(target)
        return target

    def load_templates(self, compiled_dir: Path) -> Renderer:
        """The theme's templates, compiled once (before workers fork, so they share them)."""
        renderer = Renderer(self.theme, compiled_dir)
        renderer.preload(sorted({template for template, _ in VIEWS.values()} | {TEASER_TEMPLATE}))
        return renderer

    def render_pages(self, job: "RenderJob") -> dict[str, str]:
        """Render every page whose fingerprint changed; the fingerprints of all pages."""
        outputs = job.outputs
        ranges = [(i, min(i + CHUNK_PAGES, len(outputs))) for i in range(0, len(outputs), CHUNK_PAGES)]
        fingerprints: list[str] = []
        written = 0
        progress = Progress(self, "render", len(outputs))
        for chunk_fingerprints, chunk_written in self._map_render(job, ranges):
            fingerprints += chunk_fingerprints
            written += chunk_written
            progress.update(len(fingerprints))
        self.report.counts["written"] = self.report.counts.get("written", 0) + written
        return {o.path: fp for o, fp in zip(outputs, fingerprints)}

    def _map_render(self, job: "RenderJob", ranges: list[tuple[int, int]]):
        """Results of `job` over `ranges`, in order, from worker processes when worthwhile."""
        if self.jobs == 1 or len(job.outputs) < PARALLEL_MIN_PAGES:
            for start, end in ranges:
                yield job.run(start, end)
            return
        # fork: workers inherit the model and compiled templates instead of unpickling them.
        context = multiprocessing.get_context("fork")
        # A worker copies every page of shared memory it touches (reference counts are writes):
        # a fresh worker every WORKER_CHUNKS tasks gives those copies back.
        with context.Pool(self.jobs, initializer=_start_render_worker, initargs=(job,),
                          maxtasksperchild=WORKER_CHUNKS) as pool:
            for result in pool.imap(_render_range, ranges):
                if isinstance(result, ArchiveError):
                    raise result
                yield result

    def build_search(self, model: SiteModel, target: Path, cache_dir: Path) -> dict[str, str]:
        """Write the search index under `target/search/`; list what it wrote."""
        from .search.index import build_search_index  # the search module's entry point

        search_dir = target / "search"
        docs, facets = search_docs(model, self.vocab)
        stats = build_search_index(docs, search_dir, cache_dir / "search", self.jobs, facets)
        self.say(f"search: {stats}")
        return {path.relative_to(target).as_posix(): "search"
                for path in sorted(search_dir.rglob("*")) if path.is_file()}

    def render_extras(self, job: "RenderJob") -> dict[str, str]:
        """The feed, sitemap, robots.txt and 404.html."""
        fingerprints, written = job.run(0, len(job.outputs))
        self.report.counts["written"] = self.report.counts.get("written", 0) + written
        return {o.path: fp for o, fp in zip(job.outputs, fingerprints)}

    def copy_static(self, target: Path, previous: dict[str, str]) -> dict[str, str]:
        """Copy the theme's static files (CSS, JS, icons) into `target/static/`."""
        manifest = {}
        static = self.theme / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else ():
            if not path.is_file():
                continue
            relative = "static/" + path.relative_to(static).as_posix()
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
            manifest[relative] = digest
            if previous.get(relative) != digest:
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target / relative)
        return manifest

    def swap_in(self, target: Path) -> None:
        """Replace `out` with the freshly built `target` (two renames)."""
        old = None
        if self.out.exists():
            old = make_temp_dir(target.parent, f".{self.out.name}.old-")
            self.temporary.append(old)
            os.rename(self.out, old / "site")
        os.rename(target, self.out)
        self.temporary.remove(target)

    def move_in(self, stage: Path, manifest: dict[str, str], previous: dict[str, str]) -> None:
        """Move staged files into `out` and delete the files no page produces any more."""
        for directory, _, names in os.walk(stage):
            for name in names:
                source = Path(directory) / name
                destination = self.out / source.relative_to(stage)
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, destination)
        deleted = 0
        for path in sorted(set(previous) - set(manifest)):
            (self.out / path).unlink(missing_ok=True)
            _prune_empty_dirs((self.out / path).parent, self.out)
            deleted += 1
        self.report.counts["deleted"] = deleted

    # --- printing -------------------------------------------------------------------------

    def say(self, message: str) -> None:
        """Progress output (only with verbose)."""
        if self.verbose:
            print(message, flush=True)

    def _print_summary(self) -> None:
        """Every error as `file:line: message`, then one summary line."""
        for error in self.report.errors:
            print(error, file=sys.stderr)
        total = self.report.timings.get("total", 0.0)
        if not self.report.ok:
            print(f"build failed: {len(self.report.errors)} error(s); {self.out}/ left unchanged",
                  file=sys.stderr)
            return
        if self.report.mode == "unchanged":
            print(f"{self.out}/ is up to date ({total:.2f}s)")
            return
        counts = self.report.counts
        stages = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in self.report.timings.items()
                           if name != "total")
        print(f"built {self.out}/ ({self.report.mode}): {counts.get('articles', 0)} articles, "
              f"{counts.get('pages', 0)} newspaper pages, {counts.get('written', 0)} files written, "
              f"{counts.get('deleted', 0)} deleted in {total:.2f}s")
        self.say(f"timings: {stages}")


class _BuildFailed(Exception):
    """Raised inside the build once the errors are recorded in the report."""


class Progress:
    """Prints 'render: 4000/12000' now and then during long steps."""

    def __init__(self, build: SiteBuild, name: str, total: int) -> None:
        self.build = build
        self.name = name
        self.total = total
        self.last = time.perf_counter()

    def update(self, done: int) -> None:
        """Report `done` if enough time has passed since the last line."""
        now = time.perf_counter()
        if now - self.last >= PROGRESS_EVERY and done < self.total:
            self.build.say(f"{self.name}: {done}/{self.total}")
            self.last = now


@dataclass
class RenderJob:
    """Render a range of outputs into `target`, skipping those whose fingerprint is unchanged."""

    views: Views
    renderer: Renderer
    outputs: list[Output]
    target: Path
    previous: dict[str, str]

    def run(self, start: int, end: int) -> tuple[list[str], int]:
        """The fingerprints of outputs[start:end] and how many files were written."""
        fingerprints = []
        written = 0
        for output in self.outputs[start:end]:
            template, context = self.views.context(output)
            fp = fingerprint(template, context)
            if self.previous.get(output.path) != fp:
                write_new(self.target / output.path, self.renderer.render(template, context))
                written += 1
            fingerprints.append(fp)
        return fingerprints, written


# A render worker's job: set once per forked worker by the pool's initializer (multiprocessing
# hands tasks only to module-level functions), never in the parent.
_worker_job: RenderJob | None = None


def _start_render_worker(job: RenderJob) -> None:
    """Pool initializer: remember the inherited job."""
    global _worker_job
    _worker_job = job


def _render_range(bounds: tuple[int, int]) -> tuple[list[str], int] | ArchiveError:
    """Pool task: render one range; errors are returned so they arrive intact."""
    assert _worker_job is not None
    try:
        return _worker_job.run(*bounds)
    except ArchiveError as exc:
        return exc


def file_hash(path: Path) -> str | None:
    """The content hash of a file's bytes, None if it cannot be read."""
    try:
        return content_hash(path.read_bytes())
    except OSError:
        return None


def _prune_empty_dirs(directory: Path, root: Path) -> None:
    """Remove `directory` and its parents while they are empty, stopping at `root`."""
    while directory != root and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent


# A file changed twice within one clock tick keeps its mtime; if its size is kept too, its stat
# cannot tell the versions apart. So the cache does not trust the stat of a file modified in the
# last seconds before the build: it is re-hashed next time (and re-parsed only if it differs).
RACY_NS = 2_000_000_000


def settled(stats: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """`stats` with the mtime of recently modified files replaced by -1 (never matches)."""
    cutoff = time.time_ns() - RACY_NS
    return [(name, mtime if mtime < cutoff else -1, size) for name, mtime, size in stats]


def settled_files(files: dict[str, CachedFile]) -> dict[str, CachedFile]:
    """The parse cache with recently modified files marked for re-hashing."""
    cutoff = time.time_ns() - RACY_NS
    return {name: cached if cached.mtime_ns < cutoff else replace(cached, mtime_ns=-1)
            for name, cached in files.items()}


def files_digest(loaded: ContentLoad, kind: str) -> str:
    """A hash over every content file's `kind` hash ("hash", "outline" or "placement") and
    the page metadata."""
    digest = hashlib.blake2b(kind.encode(), digest_size=16)
    for name in sorted(loaded.files):
        digest.update(f"{name}\0{getattr(loaded.files[name], kind)}\n".encode())
    digest.update(repr(sorted(loaded.pages.items())).encode())
    return digest.hexdigest()


def search_docs(model: SiteModel, vocab: Vocabulary) -> tuple[list[SearchDoc], list[Facet]]:
    """One search document per article (plain text; the search module escapes on display) and
    the taxonomies search knows: districts and tags as filters, people as names to find."""
    districts = model.districts
    facets = [
        Facet("districts", "地区", tuple(g.name for g in districts),
              {d.name: tuple(dict.fromkeys(a for a in (d.short, *d.aliases) if a and a != d.name))
               for d in vocab.districts}, filter=True),
        Facet("tags", "标签", tuple(g.name for g in model.tags),
              {t.term: t.aliases for t in vocab.tags if t.aliases}, filter=True),
        Facet("people", "人物", tuple(g.name for g in model.people)),
    ]
    count = len(model.articles)
    docs = []
    for entry in model.articles:
        article = entry.article
        page_label = model.pages[entry.page].label if entry.page is not None else ""
        docs.append(SearchDoc(
            ref=article.slug, url=entry.url, title=article.title, kicker=article.kicker,
            subtitle=article.subtitle, body=article.body,
            names={"districts": article.districts, "tags": article.tags, "people": article.people},
            date=article.date, page=article.page, page_label=page_label,
            position=article.position, content_hash=article.content_hash,
            order=count - 1 - entry.index))
    return docs, facets
