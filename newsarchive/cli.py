"""Command line: `newsarchive [ingest|build|serve]` on an archive folder (default: the current
directory); no command runs ingest then build. `python build.py` is this repository's demo archive."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .archive import Archive
from .config import load_config
from .errors import ArchiveError


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
    return p


def _add_build_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", type=Path, default=None, help="articles (default: ARCHIVE/content)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: ARCHIVE/site)")
    p.add_argument("--base-url", default=None, help="absolute URL the site is served from (default: site.toml)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")


def _fill_defaults(args: argparse.Namespace, archive: Archive) -> None:
    """Folders not given on the command line are the archive's."""
    for name in ("seeds", "content", "out"):
        if getattr(args, name, None) is None:
            setattr(args, name, getattr(archive, name))
    for name in ("base_url", "jobs"):
        if not hasattr(args, name):
            setattr(args, name, None)


def main(argv: list[str] | None = None, archive: Path | None = None, prog: str = "newsarchive") -> int:
    """Run one command and return the exit status (`archive`: the default archive folder)."""
    args = _parser(prog).parse_args(argv)
    folder = Archive(args.archive or archive or Path("."))
    _fill_defaults(args, folder)
    try:
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


def _ingest(args: argparse.Namespace, archive: Archive) -> int:
    from .ingest.pipeline import run_ingest
    report = run_ingest(args.seeds, args.content, verbose=not args.quiet, data=archive.data,
                        adopt=getattr(args, "adopt", False))
    return 0 if report.ok else 1


def _build(args: argparse.Namespace, config, archive: Archive) -> int:
    from .builder import build_site
    report = build_site(args.content, args.out, config, jobs=args.jobs, verbose=not args.quiet,
                        data=archive.data)
    return 0 if report.ok else 1
