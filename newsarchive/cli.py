"""Command line: `newsarchive [ingest|build|serve]` on an archive folder (default: the current
directory); no command runs ingest then build. `python build.py` is this repository's demo archive."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .archive import Archive
from .config import SiteConfig, load_config
from .errors import ArchiveError

if TYPE_CHECKING:
    from .theme import Theme


def _parser(prog: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=prog,
        description="Turn raw newspaper pages into a searchable static archive. "
                    "With no command: ingest new or changed seeds, then build site/.")
    p.add_argument("-C", "--archive", type=Path, default=None, metavar="DIR",
                   help="the archive folder (default: the current directory)")
    p.add_argument("--config", type=Path, default=None, help="site settings (default: ARCHIVE/site.toml)")
    p.add_argument("-q", "--quiet", action="store_true", help="only print errors and the summary")
    sub = p.add_subparsers(dest="command")

    ing = sub.add_parser("ingest", help="split raw pages (seeds/*.txt) into Markdown articles (content/)")
    ing.add_argument("--seeds", type=Path, default=None, help="raw pages (default: ARCHIVE/seeds)")
    ing.add_argument("--content", type=Path, default=None, help="articles (default: ARCHIVE/content)")
    ing.add_argument("--review", action="store_true",
                     help="split every page again and list each doubtful place with its article")
    ing.add_argument("--strict", action="store_true",
                     help="like --review, and exit non-zero when there is any doubtful place")
    ing.add_argument("--adopt", action="store_true",
                     help="rebuild a lost or damaged content/.ingest-manifest.json from the article files "
                          "in content/ (lists the seed articles that have no file; writes no article)")

    bld = sub.add_parser("build", help="render content/ into the static site")
    _add_build_args(bld)

    srv = sub.add_parser("serve", help="build, serve on localhost and rebuild on change")
    _add_build_args(srv)
    srv.add_argument("--seeds", type=Path, default=None, help="raw pages (default: ARCHIVE/seeds)")
    srv.add_argument("--port", type=int, default=8000)
    srv.add_argument("--host", default="127.0.0.1")

    new = sub.add_parser("new", help="make a new archive folder (settings, README, seeds/, content/, data/, theme/)")
    new.add_argument("folder", type=Path, help="the new archive's folder (new or empty)")
    new.add_argument("--title", default=None, help="the archive's title (default: 报纸档案)")
    new.add_argument("--demo", action="store_true", help="start with the five demo pages in seeds/")

    data = sub.add_parser("data", help="list the data files in force, or copy one of the engine's into data/")
    data.add_argument("name", nargs="?", help="copy this engine data file into the archive's data/ to edit it")
    return p


def _add_build_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", type=Path, default=None, help="articles (default: ARCHIVE/content)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: ARCHIVE/site)")
    p.add_argument("--base-url", default=None, help="absolute URL the site is served from (default: site.toml)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument("--theme", default=None, metavar="NAME|DIR",
                   help="an engine theme or a theme folder (default: site.toml's theme, else the default theme)")


def _fill_defaults(args: argparse.Namespace, archive: Archive) -> None:
    """Folders not given on the command line are the archive's."""
    for name in ("seeds", "content", "out"):
        if getattr(args, name, None) is None:
            setattr(args, name, getattr(archive, name))
    for name in ("base_url", "jobs", "theme"):
        if not hasattr(args, name):
            setattr(args, name, None)


def main(argv: list[str] | None = None, archive: Path | None = None, prog: str = "newsarchive") -> int:
    """Run one command and return the exit status (`archive`: the default archive folder)."""
    args = _parser(prog).parse_args(argv)
    folder = Archive(args.archive or archive or Path("."))
    _fill_defaults(args, folder)
    try:
        if args.command == "new":
            return _new(args)
        if args.command == "data":
            return _data(args, folder)
        config = load_config(args.config or folder.settings).with_base_url(args.base_url)
        if args.command == "ingest":
            return _ingest(args, folder)
        if args.command == "build":
            return _build(args, config, folder)
        if args.command == "serve":
            from .serve import serve
            return serve(args, config, folder)
        status = _ingest(args, folder)
        return max(status, _build(args, config, folder))
    except ArchiveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:   # the last boundary: run_ingest and the build report their own
        print(f"error: {ArchiveError.from_os_error(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _new(args: argparse.Namespace) -> int:
    from .starter import create_archive
    create_archive(args.folder, demo=args.demo, title=args.title)
    pages = "the five demo pages are in seeds/" if args.demo else "put page files (*.txt) into seeds/"
    print(f"made a new archive in {args.folder}/: {pages}, then run `newsarchive` there "
          f"(its README.md says how to add pages, tags and districts)")
    return 0


def _data(args: argparse.Namespace, archive: Archive) -> int:
    from .starter import copy_data_file, data_files
    if args.name:
        target = copy_data_file(archive, args.name)
        print(f"copied the engine's {args.name} to {target}: edit it there; it replaces the engine's")
        return 0
    for name, path, own in data_files(archive):
        print(f"{name:24} {'this archive' if own else 'engine default':14} {path}")
    return 0


def _ingest(args: argparse.Namespace, archive: Archive) -> int:
    from .ingest.pipeline import run_ingest
    strict = getattr(args, "strict", False)
    report = run_ingest(args.seeds, args.content, verbose=not args.quiet, data=archive.data,
                        review=strict or getattr(args, "review", False), adopt=getattr(args, "adopt", False))
    if strict and report.doubts:
        n = len(report.doubts)
        print(f"strict: {n} doubtful place{'' if n == 1 else 's'} (listed above)", file=sys.stderr)
        return 1
    return 0 if report.ok else 1


def _build(args: argparse.Namespace, config, archive: Archive) -> int:
    from .builder import build_site
    report = build_site(args.content, args.out, config, jobs=args.jobs, verbose=not args.quiet,
                        theme=selected_theme(args, config, archive), data=archive.data)
    return 0 if report.ok else 1


def selected_theme(args: argparse.Namespace, config: SiteConfig, archive: Archive) -> Theme:
    """The theme in force: --theme, else site.toml's, with the archive's theme/ overrides."""
    from .theme import Theme
    return Theme.select(args.theme or config.theme, archive.root, archive.theme_overrides)
