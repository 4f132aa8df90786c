"""Command line: `python build.py [ingest|build|serve]`; no command runs ingest then build."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import load_config
from .errors import ArchiveError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python build.py",
        description="Turn raw newspaper pages into a searchable static archive. "
                    "With no command: ingest new or changed seeds, then build site/.")
    p.add_argument("--config", type=Path, default=Path("site.toml"), help="site settings (default: site.toml)")
    p.add_argument("-q", "--quiet", action="store_true", help="only print errors and the summary")
    sub = p.add_subparsers(dest="command")

    ing = sub.add_parser("ingest", help="split raw pages (seeds/*.txt) into Markdown articles (content/)")
    ing.add_argument("--seeds", type=Path, default=Path("seeds"))
    ing.add_argument("--content", type=Path, default=Path("content"))

    bld = sub.add_parser("build", help="render content/ into the static site")
    _add_build_args(bld)

    srv = sub.add_parser("serve", help="build, serve on localhost and rebuild on change")
    _add_build_args(srv)
    srv.add_argument("--seeds", type=Path, default=Path("seeds"))
    srv.add_argument("--port", type=int, default=8000)
    srv.add_argument("--host", default="127.0.0.1")
    return p


def _add_build_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", type=Path, default=Path("content"))
    p.add_argument("--out", type=Path, default=Path("site"))
    p.add_argument("--base-url", default=None, help="absolute URL the site is served from (default: site.toml)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")


def main(argv: list[str] | None = None) -> int:
    """Run one command and return the exit status."""
    args = _parser().parse_args(argv)
    try:
        config = load_config(args.config).with_base_url(getattr(args, "base_url", None))
        if args.command == "ingest":
            return _ingest(args.seeds, args.content, args.quiet)
        if args.command == "build":
            return _build(args, config)
        if args.command == "serve":
            from .serve import serve
            return serve(args, config)
        status = _ingest(Path("seeds"), Path("content"), args.quiet)
        args.content, args.out, args.jobs = Path("content"), Path("site"), None
        return max(status, _build(args, config))
    except ArchiveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _ingest(seeds: Path, content: Path, quiet: bool) -> int:
    from .ingest.pipeline import run_ingest
    report = run_ingest(seeds, content, verbose=not quiet)
    return 0 if report.ok else 1


def _build(args: argparse.Namespace, config) -> int:
    from .builder import build_site
    report = build_site(args.content, args.out, config, jobs=args.jobs, verbose=not args.quiet)
    return 0 if report.ok else 1
