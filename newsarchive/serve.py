"""`python build.py serve`: ingest and build, serve the site on localhost, rebuild on change."""
from __future__ import annotations

import argparse
import functools
import os
import stat
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .archive import Archive
from .builder import build_site
from .config import SiteConfig, load_config
from .errors import ArchiveError
from .cli import selected_theme

POLL_SECONDS = 1.0


def serve(args: argparse.Namespace, config: SiteConfig, archive: Archive) -> int:
    """Build, serve `args.out` until Ctrl-C, rebuilding when seeds, content, data, theme or
    settings change (settings and theme are read again for each rebuild)."""
    theme = selected_theme(args, config, archive)
    watched = [Path(args.seeds), Path(args.content), *theme.folders, archive.data.own,
               args.config or archive.settings]
    rebuild(args, archive)
    try:
        server = _server(Path(args.out), args.host, args.port)
    except OSError as exc:
        print(f"error: cannot serve on {args.host}:{args.port}: {exc.strerror}")
        return 1
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving {args.out}/ at http://{args.host}:{server.server_address[1]}/ (Ctrl-C to stop)",
          flush=True)
    snapshot = snapshot_inputs(watched)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            current = snapshot_inputs(watched)
            if current != snapshot:
                print("change detected: rebuilding", flush=True)
                rebuild(args, archive)
                snapshot = snapshot_inputs(watched)  # ingest may have written content/ itself
    except KeyboardInterrupt:
        print("stopped")
    finally:
        server.shutdown()
        server.server_close()
    return 0


def rebuild(args: argparse.Namespace, archive: Archive) -> bool:
    """Read the settings, ingest new or changed seeds, then build; True when all succeeded."""
    from .ingest.pipeline import run_ingest

    try:
        config = load_config(args.config or archive.settings)
        theme = selected_theme(args, config, archive)
    except ArchiveError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return False
    # Without --base-url the preview's absolute links (404 page, canonical) point at itself.
    config = config.with_base_url(args.base_url or f"http://{args.host}:{args.port}/")
    ingested = run_ingest(Path(args.seeds), Path(args.content), verbose=not args.quiet, data=archive.data)
    built = build_site(Path(args.content), Path(args.out), config, jobs=args.jobs, verbose=not args.quiet,
                       theme=theme, data=archive.data)
    return ingested.ok and built.ok


def snapshot_inputs(directories: list[Path]) -> frozenset[tuple[str, int, int]]:
    """(path, mtime_ns, size) of every file under `directories`: a change shows as a difference."""
    files = set()
    for directory in directories:
        if os.path.isfile(directory):
            st = os.stat(directory)
            files.add((str(directory), st.st_mtime_ns, st.st_size))
            continue
        for folder, _, names in os.walk(directory):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except FileNotFoundError:  # removed while we looked
                    continue
                files.add((path, st.st_mtime_ns, st.st_size))
    return frozenset(files)


class _Handler(SimpleHTTPRequestHandler):
    """Serves the site quietly, answering unknown paths with the site's own 404 page.

    Only regular files inside the output folder are served, as GitHub Pages would: a symbolic
    link anywhere below the folder (to /etc/passwd, or to another page) and a folder without
    index.html (no listings) are "not found". The base class already drops `..` from paths."""

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        """Keep the terminal for build output."""

    def send_head(self):
        """What the base class would send, for a path that names a servable file; else 404."""
        if not servable(Path(self.directory), Path(self.translate_path(self.path))):
            self.send_error(404)
            return None
        return super().send_head()

    def list_directory(self, path):  # noqa: ANN001 - the base class's signature
        """No folder listings."""
        self.send_error(404)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Use 404.html for 'not found', like GitHub Pages does."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not servable(Path(self.directory), page):
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def servable(root: Path, path: Path) -> bool:
    """Whether `path` is a regular file inside `root`, or a folder there with a regular
    index.html, reached without following a symbolic link below `root` (nor a way out of it)."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    if ".." in parts:
        return False
    try:
        mode = root.stat().st_mode
    except OSError:
        return False
    current = root
    for part in parts:
        current = current / part
        try:
            mode = current.lstat().st_mode
        except OSError:   # missing, or a name the file system refuses
            return False
        if stat.S_ISLNK(mode):
            return False
    if stat.S_ISDIR(mode):
        return servable(root, current / "index.html")
    return stat.S_ISREG(mode)


def _server(out: Path, host: str, port: int) -> ThreadingHTTPServer:
    """An HTTP server for the directory `out`."""
    return ThreadingHTTPServer((host, port), functools.partial(_Handler, directory=str(out)))
