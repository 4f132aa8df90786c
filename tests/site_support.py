"""Shared helpers of the site tests: the fixture archive, building it, serving a site under a subpath."""
from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from newsarchive.builder import BuildReport, build_site
from newsarchive.config import SiteConfig, load_config
from newsarchive.content.pages import PageInfo
from newsarchive.model import Urls, page_key

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "site"
FIXTURE_CONTENT = FIXTURE / "content"
FIXTURE_CONFIG = FIXTURE / "site.toml"
GOLDEN = FIXTURE / "golden"
SUBPATH = "/newsarchive/"


def fixture_config(base_url: str | None = None) -> SiteConfig:
    """The fixture archive's settings, optionally with another base URL."""
    return load_config(FIXTURE_CONFIG).with_base_url(base_url)


def copy_fixture_content(destination: Path) -> Path:
    """A private, editable copy of the fixture articles."""
    shutil.copytree(FIXTURE_CONTENT, destination)
    return destination


def build(content: Path, out: Path, base_url: str | None = None, jobs: int = 1,
          **kwargs) -> BuildReport:
    """Build `content` into `out` with the fixture settings."""
    return build_site(content, out, fixture_config(base_url), jobs=jobs, verbose=False, **kwargs)


def page_path(stem: str, date: str | None = None, number: int | None = None) -> str:
    """Where the newspaper page `stem` is written (its URL names its date and 版次, or else a
    digest of its stem: never the stem itself)."""
    return Urls.page(page_key(stem, PageInfo(date, number, None)))


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under `root` by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def tree_stats(root: Path) -> dict[str, tuple[int, int]]:
    """(mtime_ns, size) of every file under `root`."""
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in sorted(root.rglob("*")) if p.is_file()}


class SubpathServer:
    """Serves a directory at http://127.0.0.1:<port>/newsarchive/ (like a GitHub Pages project site)."""

    def __init__(self) -> None:
        self.directory: Path | None = None
        handler = functools.partial(_SubpathHandler, server_holder=self)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}{SUBPATH}"

    @contextlib.contextmanager
    def serving(self, directory: Path):
        """Serve `directory` while the block runs."""
        self.directory = directory
        thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.httpd.shutdown()
            self.httpd.server_close()


class _SubpathHandler(http.server.SimpleHTTPRequestHandler):
    """Maps /newsarchive/<path> to the served directory; everything else is 404."""

    def __init__(self, *args, server_holder: SubpathServer, **kwargs) -> None:
        self.server_holder = server_holder
        super().__init__(*args, directory=str(server_holder.directory), **kwargs)

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(SUBPATH):
            return str(Path(self.directory) / "__outside_the_subpath__")
        return super().translate_path("/" + path[len(SUBPATH):])

    def log_message(self, format, *args) -> None:  # noqa: A002
        pass


class LinkCollector(HTMLParser):
    """The href/src/action URLs and the ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for name in ("href", "src", "action"):
            if values.get(name) and not (tag == "link" and values.get("rel") == "canonical") \
                    and not (tag == "meta"):
                self.links.append(values[name])


def page_links(html: str) -> tuple[list[str], set[str]]:
    """The links and ids of an HTML page."""
    collector = LinkCollector()
    collector.feed(html)
    return collector.links, collector.ids


def resolve_internal(page_url: str, link: str, base_url: str) -> str | None:
    """The absolute URL of `link` on the page at `page_url` if it stays inside the site, else None."""
    if link.startswith(("mailto:", "javascript:", "data:")):
        return None
    target = urljoin(page_url, link)
    return target if target.startswith(base_url) else None


def local_path(site: Path, url: str, base_url: str) -> Path:
    """The file a site URL names (directory URLs name their index.html)."""
    path = unquote(urlsplit(url).path)[len(urlsplit(base_url).path):]
    if path == "" or path.endswith("/"):
        path += "index.html"
    return site / path


# Golden output: every file the site builder itself writes. search/ is the search module's (its
# page template included) and static/ holds copies of theme files, so both are left out.
GOLDEN_EXCLUDE = ("search/", "static/")


def golden_tree(site: Path) -> dict[str, bytes]:
    """The files of a built fixture site that the golden copy holds."""
    return {path: data for path, data in tree_bytes(site).items() if not path.startswith(GOLDEN_EXCLUDE)}
