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
from .files import (JINJA_TEMPORARY, WRITER_TEMPORARY, exchange, make_temp_dir, process_alive,
                    remove_stale_temporaries, temp_dir_pattern, write_new)
from .heap import long_run, settle
from .model import Output, SiteModel, build_model, check_output_paths, check_unique_slugs
from .progress import Progress
from .render import TEASER_TEMPLATE, Renderer, fingerprint
from .search import Facet, SearchDoc
from .text.pinyin import keep_pinyin_table
from .strings import Strings
from .theme import Theme
from .views import INDEX_TEMPLATES, VIEWS, Shown, Views, extra_outputs
from .vocab import Vocabulary

CHUNK_PAGES = 200           # pages per task handed to a render worker
PARALLEL_MIN_PAGES = 400    # below this, one process is faster than starting workers
WORKER_CHUNKS = 50          # tasks a render worker takes before a fresh one replaces it
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
               verbose: bool = False, theme: Theme | Path | None = None,
               data: DataFiles | None = None) -> BuildReport:
    """Build `out` from the articles in `content`; errors are printed and reported, not raised.
    `theme`: the theme in force (or one theme folder; default: the engine's default theme);
    `data`: the data files in force (default: the engine's own)."""
    if not isinstance(theme, Theme):
        theme = Theme.of(theme) if theme is not None else Theme.of()
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
                 theme: Theme, data: DataFiles) -> None:
        self.content = content
        self.out = out
        self.config = config
        self.jobs = jobs
        self.verbose = verbose
        self.theme = theme
        self.data = data
        self.vocab: Vocabulary | None = None   # read when the build starts
        self.ui: Strings | None = None         # the theme's wording, likewise
        self.report = BuildReport(ok=False)
        self.temporary: list[Path] = []   # directories to remove however the build ends
        self.written: dict[str, tuple[int, int]] = {}   # pages written: path -> (size, mtime_ns)
        self.site_state = "previous"      # what `out` holds: the "previous" site, a "mixed" one, the "new" one

    def run(self) -> BuildReport:
        """Run the build; print errors and a one-line summary.

        This is the build's error boundary: every problem, the operating system's refusals (disk
        full, read-only folder …) included, is reported as `file: message`, and the temporary
        folders go however the build ends."""
        started = time.perf_counter()
        try:
            with long_run():
                self._build()
            self.report.ok = True
        except ArchiveError as exc:
            self.report.errors.append(exc)
        except OSError as exc:
            self.report.errors.append(ArchiveError.from_os_error(exc, self.out))
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
        cache = BuildCache.for_output(self.out)
        self.prepare_output(cache)
        inputs = self.stage("scan", self.scan_inputs)
        state = cache.load_state()
        damaged = self.stage("verify", self.damaged_outputs, state) if state else set()
        if state and not damaged and self._unchanged(inputs, state, cache):
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
        if damaged:
            # missing or altered since the last build: written again, whatever their fingerprint
            previous = {path: fp for path, fp in previous.items() if path not in damaged}
        new_state = BuildState(
            inputs.stamps, settled(inputs.content_stats), content_digest=files_digest(loaded, "hash"),
            outline_digest=files_digest(loaded, "outline"), placement_digest=files_digest(loaded, "placement"),
            file_hashes={name: cached.hash for name, cached in loaded.files.items()},
            outlines={name: cached.outline for name, cached in loaded.files.items()})
        if (incremental and state and not damaged and state.content_digest == new_state.content_digest
                and state.stamps == inputs.stamps):
            # Only file times changed: nothing to render; remember the new times.
            new_state.manifest, new_state.output_stats = previous, state.output_stats
            cache.save(new_state, settled_files(loaded.files))
            self.report.mode = "unchanged"
            return
        last_shown = cache.load_shown() if incremental else None
        todo = self.pages_to_look_at(outputs, model, loaded, new_state, state if incremental else None,
                                     last_shown)
        if damaged and todo is not outputs:
            looked_at = {o.path for o in todo}
            todo = todo + [o for o in outputs if o.path in damaged and o.path not in looked_at]
        self.report.counts.update(considered=len(todo), page_outputs=len(outputs))
        target = self.make_target(incremental)
        views, renderer = Views(model), self.stage("templates", self.load_templates, cache.directory / "templates")
        if len(todo) >= PARALLEL_MIN_PAGES:
            views.prepare_teasers()
        settle()   # the model and views, before render and search workers are forked
        manifest, shown = self.stage("render", self.render_pages, RenderJob(views, renderer, todo, target, previous))
        if todo is not outputs:
            manifest = {o.path: previous.get(o.path, "") for o in outputs} | manifest
            shown = {o.path: last_shown[o.path] for o in outputs if o.path not in shown} | shown
        if not (state and state.stamps.parse == inputs.stamps.parse):
            # Search shards are keyed by their files' hashes; another content reader may read
            # other fields from the same bytes.
            shutil.rmtree(cache.directory / "search", ignore_errors=True)
        manifest.update(self.stage("search", self.build_search, model, target, cache.directory))
        manifest.update(self.stage("extras", self.render_extras, RenderJob(views, renderer, extras, target, previous)))
        manifest.update(self.stage("static", self.copy_static, target, previous))
        new_state.manifest = manifest
        cache.forget_state()   # from here until the new state is saved, the old one is wrong
        if incremental:
            moved = self.stage("swap", self.move_in, target, manifest, previous)
            kept = {path: stat for path, stat in state.output_stats.items() if path in manifest}
            new_state.output_stats = kept | output_stats(self.out, (p for p in moved if p not in self.written)) \
                | self.written
        else:
            self.stage("swap", self.swap_in, target)
            # the pages' stats came from the writers (a rename keeps them); the rest are looked up
            new_state.output_stats = output_stats(self.out, (p for p in manifest if p not in self.written)) \
                | self.written
        self.site_state = "new"
        self.stage("cache", cache.save, new_state, settled_files(loaded.files), shown)
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
        self.ui = self.theme.strings()
        return Inputs(make_stamps(self.theme.stamp(), repr(self.config), repr(self.vocab)),
                      scan_content(self.content))

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

    def damaged_outputs(self, state: BuildState) -> set[str]:
        """The output files missing or altered (by size or time) since the last build wrote them."""
        damaged = set()
        out = str(self.out)
        for path, (size, mtime_ns) in state.output_stats.items():
            try:
                st = os.stat(f"{out}/{path}")
            except OSError:
                damaged.add(path)
                continue
            if st.st_size != size or st.st_mtime_ns != mtime_ns:
                damaged.add(path)
        if damaged:
            shown = ", ".join(sorted(damaged)[:3]) + (" …" if len(damaged) > 3 else "")
            self.say(f"{len(damaged)} output file(s) missing or changed since the last build, "
                     f"written again: {shown}")
        return damaged

    def load(self, cache: BuildCache, inputs: Inputs) -> ContentLoad:
        """Load every article, reusing cached parses of unchanged files."""
        parses = cache.load_parses(inputs.stamps.parse)
        for note in cache.notes:
            self.say(note)
        loaded = load_content(self.content, parses, self.jobs, self.vocab, inputs.content_stats,
                              verbose=self.verbose)
        self.report.counts["parsed"] = loaded.parsed
        self.say(f"load: {len(loaded.articles)} articles, {loaded.parsed} file(s) read")
        return loaded

    def build_model(self, loaded: ContentLoad) -> SiteModel:
        """The site model, after refusing duplicate slugs."""
        self.fail_on(check_unique_slugs(loaded.articles))
        return build_model(loaded.articles, self.config, self.vocab, loaded.pages, self.ui)

    def pages_to_look_at(self, outputs: list[Output], model: SiteModel, loaded: ContentLoad,
                         new: BuildState, last: BuildState | None,
                         last_shown: dict[str, Shown] | None) -> list[Output]:
        """The pages whose fingerprints may have changed since the `last` build.

        All of them, unless every page was written then, what each showed was recorded and no
        article moved (the placement of every article is as it was: same URL, list position,
        newspaper page and groups, so every page lists the same articles). Then only the pages
        that showed a changed article: its outline (headline, summary …) if that changed,
        else its body (see views.Views.shows)."""
        if (last is None or last_shown is None or last.placement_digest != new.placement_digest
                or any(o.path not in last.manifest or o.path not in last_shown for o in outputs)):
            return outputs
        outlines, bodies = set(), set()
        for entry in model.articles:
            name = os.path.basename(entry.article.path)
            cached = loaded.files[name]
            if last.outlines.get(name) != cached.outline:
                outlines.add(entry.index)
            elif last.file_hashes.get(name) != cached.hash:
                bodies.add(entry.index)
        todo = [o for o in outputs if not outlines.isdisjoint(last_shown[o.path].articles)
                or not bodies.isdisjoint(last_shown[o.path].bodies)]
        self.say(f"render: {len(outlines)} article outline(s) and {len(bodies)} bod(y/ies) changed; "
                 f"looking at the {len(todo)} page(s) that show them")
        return todo

    TEMPORARY_KINDS = ("build", "stage", "old")   # .<out>.<kind>-<pid>-<random> beside `out`

    def prepare_output(self, cache: BuildCache) -> None:
        """Refuse an output path the build must not replace, and remove what killed builds left.

        A full build replaces `out` as a whole, so `out` must be a folder holding a site (or be
        empty, or absent): never a file or someone's folder. Temporary folders beside `out`
        (and temporary files in its cache) are removed when the build that made them is over
        (files.remove_stale_temporaries): a build running beside this one keeps its own. If a
        build was killed between the two renames of a swap without renameat2, `out` is missing
        and its previous site is put back.
        """
        if self.out.exists() and not self.out.is_dir():
            raise ArchiveError("is a file, not a folder: the build would replace it with the site", self.out,
                               hint="give the site a folder of its own with --out DIR")
        if self.out.is_dir() and not (self.out / "index.html").exists() and any(self.out.iterdir()):
            raise ArchiveError("is a folder that holds no site (no index.html): the build would replace "
                               "it and everything in it", self.out,
                               hint="build into a new or empty folder with --out DIR, or empty this one")
        parent = self.out.resolve().parent
        kinds = [temp_dir_pattern(f".{self.out.name}.{kind}-") for kind in self.TEMPORARY_KINDS]
        if not self.out.exists():
            self._put_back_previous_site(parent, kinds[2])
        for path in remove_stale_temporaries(parent, *kinds):
            self.say(f"removed {path}/, left by a build that did not finish")
        for folder, _, _ in os.walk(cache.directory):   # the cache's own folders and its parts' (search …)
            remove_stale_temporaries(Path(folder), WRITER_TEMPORARY, JINJA_TEMPORARY)

    def _put_back_previous_site(self, parent: Path, old_pattern) -> None:
        """The site a killed swap left in `.<out>.old-*/site` back at `out` (see prepare_output)."""
        if not parent.is_dir():
            return
        candidates = sorted(p for p in parent.iterdir() if old_pattern.fullmatch(p.name) and (p / "site").is_dir())
        for old in candidates:
            pid = old_pattern.fullmatch(old.name).group("pid")
            if pid is None or not process_alive(int(pid)):
                os.rename(old / "site", self.out)
                print(f"note: put back {self.out}/ from {old}/, left by a build that stopped while "
                      "swapping the site in", file=sys.stderr)
                return

    def make_target(self, incremental: bool) -> Path:
        """A fresh directory next to `out` to render into (the new site, or the changed files)."""
        kind = "stage" if incremental else "build"
        target = make_temp_dir(self.out.resolve().parent, f".{self.out.name}.{kind}-")
        self.temporary.append(target)
        return target

    def load_templates(self, compiled_dir: Path) -> Renderer:
        """The theme's templates, compiled once (before workers fork, so they share them)."""
        renderer = Renderer(self.theme, compiled_dir, self.ui)
        renderer.preload(sorted({template for template, _ in VIEWS.values() if template}
                                | set(INDEX_TEMPLATES.values()) | {TEASER_TEMPLATE}))
        return renderer

    def render_pages(self, job: "RenderJob") -> tuple[dict[str, str], dict[str, Shown]]:
        """Render every page whose fingerprint changed; the fingerprint of every page and the
        articles it shows."""
        outputs = job.outputs
        ranges = [(i, min(i + CHUNK_PAGES, len(outputs))) for i in range(0, len(outputs), CHUNK_PAGES)]
        fingerprints: list[str] = []
        shown: list[Shown] = []
        with Progress("render", len(outputs), "pages", enabled=self.verbose) as progress:
            for chunk_fingerprints, chunk_shown, chunk_written in self._map_render(job, ranges):
                fingerprints += chunk_fingerprints
                shown += chunk_shown
                self.written.update(chunk_written)
                progress.update(len(fingerprints))
        self.report.counts["written"] = len(self.written)
        return ({o.path: fp for o, fp in zip(outputs, fingerprints)},
                {o.path: s for o, s in zip(outputs, shown)})

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
        fingerprints, _, written = job.run(0, len(job.outputs))
        self.written.update(written)
        self.report.counts["written"] = len(self.written)
        return {o.path: fp for o, fp in zip(job.outputs, fingerprints)}

    def copy_static(self, target: Path, previous: dict[str, str]) -> dict[str, str]:
        """Copy the theme's static files (CSS, JS, icons) into `target/static/`."""
        manifest = {}
        for name, path in self.theme.static_files().items():
            relative = "static/" + name
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
            manifest[relative] = digest
            if previous.get(relative) != digest:
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target / relative)
        return manifest

    def swap_in(self, target: Path) -> None:
        """Replace `out` with the freshly built `target`: in one atomic exchange of the two
        names where the system has one (Linux), so that `out` is at every moment the complete
        old or the complete new site, and `target` then holds the old one, removed with the
        other temporaries. Elsewhere with two renames (prepare_output puts the old site back
        if a build is killed between them)."""
        if self.out.exists() and exchange(target, self.out):
            return
        if self.out.exists():
            old = make_temp_dir(target.parent, f".{self.out.name}.old-")
            self.temporary.append(old)
            os.rename(self.out, old / "site")
        os.rename(target, self.out)
        self.temporary.remove(target)

    def move_in(self, stage: Path, manifest: dict[str, str], previous: dict[str, str]) -> list[str]:
        """Move staged files into `out` and delete the files no page produces any more (one
        file at a time: a failure here leaves a mixed site, which the next build completes);
        the paths moved in."""
        self.site_state = "mixed"
        moved = []
        for directory, _, names in os.walk(stage):
            for name in names:
                source = Path(directory) / name
                relative = source.relative_to(stage)
                destination = self.out / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, destination)
                moved.append(relative.as_posix())
        deleted = 0
        for path in sorted(set(previous) - set(manifest)):
            (self.out / path).unlink(missing_ok=True)
            _prune_empty_dirs((self.out / path).parent, self.out)
            deleted += 1
        self.report.counts["deleted"] = deleted
        return moved

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
            print(f"build failed: {len(self.report.errors)} error(s); " + {
                "previous": f"{self.out}/ left unchanged",
                "mixed": f"{self.out}/ was partly updated: build again to finish it",
                "new": f"{self.out}/ holds the new site, but the build cache was not saved "
                       "(the next build does this one's work again)"}[self.site_state], file=sys.stderr)
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


@dataclass
class RenderJob:
    """Render a range of outputs into `target`, skipping those whose fingerprint is unchanged."""

    views: Views
    renderer: Renderer
    outputs: list[Output]
    target: Path
    previous: dict[str, str]

    def run(self, start: int, end: int) -> tuple[list[str], list[Shown], dict[str, tuple[int, int]]]:
        """The fingerprints of outputs[start:end], the articles each shows, and the files
        written, with their (size, mtime_ns)."""
        fingerprints, shown = [], []
        written = {}
        for output in self.outputs[start:end]:
            template, context, articles = self.views.context_and_shown(output)
            fp = fingerprint(template, context)
            if self.previous.get(output.path) != fp:
                written[output.path] = write_new(self.target / output.path, self.renderer.render(template, context))
            fingerprints.append(fp)
            shown.append(articles)
        return fingerprints, shown, written


# A render worker's job: set once per forked worker by the pool's initializer (multiprocessing
# hands tasks only to module-level functions), never in the parent.
_worker_job: RenderJob | None = None


def _start_render_worker(job: RenderJob) -> None:
    """Pool initializer: remember the inherited job."""
    global _worker_job
    _worker_job = job


def _render_range(bounds: tuple[int, int]) -> tuple[list[str], list[Shown], int] | ArchiveError:
    """Pool task: render one range; errors are returned so they arrive intact."""
    assert _worker_job is not None
    try:
        return _worker_job.run(*bounds)
    except ArchiveError as exc:
        return exc


def output_stats(out: Path, paths) -> dict[str, tuple[int, int]]:
    """(size, mtime_ns) of each output file at `paths` (relative to `out`) that exists."""
    stats = {}
    root = str(out)
    for path in paths:
        try:
            st = os.stat(f"{root}/{path}")
        except OSError:
            continue
        stats[path] = (st.st_size, st.st_mtime_ns)
    return stats


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
    the taxonomies search knows (those with `search`; the ones with `filter` as filters), their
    names with the other names the vocabulary gives them (朝阳区: 朝阳)."""
    aliases = {"districts": {d.name: tuple(dict.fromkeys(a for a in (d.short, *d.aliases) if a and a != d.name))
                             for d in vocab.districts},
               "tags": {t.term: t.aliases for t in vocab.tags if t.aliases}}
    searched = [t for t, holder in enumerate(model.taxonomies) if holder.taxonomy.search]
    facets = [Facet(holder.taxonomy.key, holder.taxonomy.name, tuple(g.name for g in holder.groups),
                    aliases.get(holder.taxonomy.vocabulary, {}), filter=holder.taxonomy.filter)
              for holder in (model.taxonomies[t] for t in searched)]
    count = len(model.articles)
    # (taxonomy number, its key, the names of its groups): looked up 100,000+ times
    names_of = [(t, model.taxonomies[t].taxonomy.key, [g.name for g in model.taxonomies[t].groups]) for t in searched]
    docs = []
    for entry in model.articles:
        article = entry.article
        page_label = model.pages[entry.page].label if entry.page is not None else ""
        groups = entry.groups
        docs.append(SearchDoc(
            ref=article.slug, url=entry.url, title=article.title, kicker=article.kicker,
            subtitle=article.subtitle, body=article.body,
            names={key: tuple([names[g] for g in groups[t]]) if groups[t] else () for t, key, names in names_of},
            date=article.date, page=article.page, page_label=page_label,
            position=article.position, content_hash=article.content_hash,
            order=count - 1 - entry.index))
    return docs, facets
