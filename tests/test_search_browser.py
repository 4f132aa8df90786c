"""The search page in a real headless Chromium, served over HTTP under a subpath.

Two sites: the fixture archive (tests/search_support.fixture_docs, with a hostile title and
astral characters) behind a minimal page of our own, and the real seed archive built with
`python build.py build`. Expected articles always come from the data (search_support's
oracle), never from the index under test.

The search files are gzip as stored. Python's http.server, like GitHub Pages, sends them as
application/gzip without Content-Encoding, so search.js decompresses them itself; one test
serves them with Content-Encoding: gzip instead (the browser then decompresses them first),
another takes DecompressionStream away.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

import pytest

from newsarchive.search.index import build_search_index
from search_support import (FIXTURES, HOSTILE_TITLE, ROOT, STATIC, content_docs, expected_docs,
                            fixture_docs, in_ci)

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SUBPATH = "/sub/archive/"
BRIEF_QUERIES = ["工匠学院", "孟大鹏", "陈曦", "朝阳", "chaoyang", "gongjiang", "gjxy", "暖", "SMC",
                 "2024年", "“产改”", "工匠:学院", "没有这样的文章xyz"]
AWKWARD_QUERIES = ["“产改”", "工匠:学院", ":", "^~*+-", "title:工匠 +学院 -劳模 暖* 职工^2 chaoyang~1",
                   "\\", "“", "<script>alert(1)</script>", "😀", "%", "?q=1&x=2"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log every request."""

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _EncodingHandler(_QuietHandler):
    """Sends .gz files as the JSON they hold, with Content-Encoding: gzip (as some servers
    configured for precompressed files do): the browser decompresses them before search.js."""

    def end_headers(self):
        if self.path.split("?")[0].endswith(".json.gz"):
            self.send_header("Content-Encoding", "gzip")
        super().end_headers()

    def guess_type(self, path):
        return "application/json" if str(path).endswith(".json.gz") else super().guess_type(path)


def _serve(www: Path, handler_class=_QuietHandler):
    """Serve `www` on a free localhost port in a thread; returns (server, base URL of SUBPATH)."""
    handler = functools.partial(handler_class, directory=str(www))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium via Playwright; fails under CI, skips locally, when it is missing."""
    if not os.access(CHROMIUM, os.X_OK):
        if in_ci():
            pytest.fail(f"{CHROMIUM} is missing - CI must install Debian chromium")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def fixture_www(tmp_path_factory):
    """The fixture archive's search files, the theme's static files and the minimal page."""
    www = tmp_path_factory.mktemp("www")
    site = www / SUBPATH.strip("/")
    build_search_index(fixture_docs(), site / "search", None)
    shutil.copytree(STATIC, site / "static")
    shutil.copy(FIXTURES / "search" / "index.html", site / "search" / "index.html")
    return www


@pytest.fixture(scope="module")
def fixture_site(fixture_www):
    """The fixture site served as GitHub Pages does (.gz as application/gzip, no encoding)."""
    server, base = _serve(fixture_www)
    yield base
    server.shutdown()


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    """The real seed archive built by `python build.py build` (skips until content/ exists)."""
    content = ROOT / "content"
    if not any(content.glob("*.md")):
        pytest.skip("content/ has no articles yet")
    if not (ROOT / "newsarchive" / "builder.py").exists() or not (ROOT / "newsarchive" / "themes" / "default" / "templates" / "base.html").exists():
        pytest.skip("the site builder has not landed yet")
    www = tmp_path_factory.mktemp("www-real")
    site = www / SUBPATH.strip("/")
    proc = subprocess.run([sys.executable, "build.py", "-q", "build", "--content", str(content), "--out", str(site)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    server, base = _serve(www)
    yield base, site
    server.shutdown()


class SearchPage:
    """One browser page on the search page, recording alerts and script errors."""

    def __init__(self, browser, base: str):
        self.page = browser.new_page()
        self.base = base
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, query: str | None = None, path: str = "search/index.html") -> None:
        """Open the search page (with ?q=) and wait until every shard is searched."""
        url = self.base + path + ("?q=" + urllib.parse.quote(query) if query is not None else "")
        self.page.goto(url)
        self.page.wait_for_selector("body[data-search-ready]")
        if query:
            self.wait_done()

    def wait_done(self) -> None:
        """Wait for the "all shards searched" state."""
        self.page.wait_for_function(
            "document.getElementById('search-status').textContent.includes('已搜索全部')", timeout=20000)

    def results(self) -> list[dict]:
        """The result links: href (absolute), title text."""
        return self.page.eval_on_selector_all(
            "#search-results li h2 a", "els => els.map(e => ({href: e.href, text: e.textContent}))")

    def result_paths(self) -> set[str]:
        """The result URLs relative to the site root."""
        prefix = self.base
        return {r["href"][len(prefix):] for r in self.results() if r["href"].startswith(prefix)}

    def status(self) -> str:
        """The status line."""
        return self.page.text_content("#search-status") or ""

    def close(self) -> None:
        """Close the page."""
        self.page.close()


@pytest.fixture
def fixture_page(browser, fixture_site):
    """A page on the fixture site."""
    page = SearchPage(browser, fixture_site)
    yield page
    assert page.errors == [] and page.dialogs == []
    page.close()


@pytest.fixture
def real_page(browser, real_site):
    """A page on the real seed site."""
    page = SearchPage(browser, real_site[0])
    yield page
    assert page.errors == [] and page.dialogs == []
    page.close()


def _urls(docs) -> set[str]:
    return {d.url for d in docs}


# ---- the fixture archive ------------------------------------------------------------------

@pytest.mark.parametrize("path", ["search/index.html", "search/"])
def test_query_in_the_url_runs_on_load(fixture_page, path):
    fixture_page.open("工匠学院", path)
    assert fixture_page.result_paths() == _urls(expected_docs(fixture_docs(), "工匠学院"))
    first = fixture_page.results()[0]
    assert "工匠学院" in first["text"]
    assert fixture_page.page.text_content("#search-count").startswith("共 ")
    assert fixture_page.page.eval_on_selector_all("#search-results mark", "m => m.map(x => x.textContent)")


def test_hostile_title_is_shown_as_text(fixture_page):
    fixture_page.open("img")
    titles = [r["text"] for r in fixture_page.results()]
    assert HOSTILE_TITLE in titles
    assert fixture_page.page.query_selector_all("#search-results img") == []
    assert fixture_page.dialogs == []


def test_typing_updates_results_and_url(fixture_page):
    fixture_page.open()
    fixture_page.page.fill("#search-input", "孟大鹏")
    fixture_page.wait_done()
    fixture_page.page.wait_for_function("location.search.includes('q=')")
    query = urllib.parse.parse_qs(urllib.parse.urlparse(fixture_page.page.url).query)["q"][0]
    assert query == "孟大鹏"
    assert fixture_page.result_paths() == _urls(expected_docs(fixture_docs(), "孟大鹏"))
    marks = fixture_page.page.eval_on_selector_all("#search-results .search-result-snippet mark",
                                                   "m => m.map(x => x.textContent)")
    assert "孟大鹏" in marks


def test_enter_opens_the_first_result(fixture_page):
    fixture_page.open("SMC")
    first = fixture_page.results()[0]["href"]
    fixture_page.page.focus("#search-input")
    with fixture_page.page.expect_navigation():
        fixture_page.page.press("#search-input", "Enter")
    assert fixture_page.page.url == first


def test_results_are_keyboard_navigable(fixture_page):
    fixture_page.open("职工")
    links = fixture_page.results()
    assert len(links) >= 2
    page = fixture_page.page
    page.focus("#search-input")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") == links[0]["href"]
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") == links[1]["href"]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in ("BUTTON", "A", "SELECT")


@pytest.mark.parametrize("query", AWKWARD_QUERIES)
def test_awkward_queries_do_not_throw(fixture_page, query):
    fixture_page.open(query)
    assert fixture_page.result_paths() == _urls(expected_docs(fixture_docs(), query))
    assert fixture_page.errors == []


def test_no_match_says_so(fixture_page):
    fixture_page.open("没有这样的文章xyz")
    assert fixture_page.results() == []
    assert "没有找到" in fixture_page.status()


def test_astral_characters_are_found(fixture_page):
    fixture_page.open("𠀀")
    assert [r["text"] for r in fixture_page.results()] == ["新𠀀字与职工😀之家"]


def test_progress_is_shown_while_shards_load(fixture_page):
    page = fixture_page.page
    held, released = [], []

    def shard(route):
        # hold shard requests until the test has seen the progress state
        if released:
            route.continue_()
        else:
            held.append(route)
    page.route("**/shards/*.json.gz", shard)
    page.goto(fixture_page.base + "search/index.html?q=" + urllib.parse.quote("孟大鹏"))
    page.wait_for_selector("body[data-search-ready]")
    page.wait_for_function("document.getElementById('search-status').textContent.includes('正在搜索')")
    assert "已搜索 0/" in fixture_page.status()
    # a new query while shards are still loading replaces the old one
    page.fill("#search-input", "工匠学院")
    page.wait_for_function("location.search.includes('%E5%B7%A5')")
    released.append(True)
    for route in held:
        route.continue_()
    fixture_page.wait_done()
    assert fixture_page.result_paths() == _urls(expected_docs(fixture_docs(), "工匠学院"))


def test_filters_narrow_the_results(fixture_page):
    fixture_page.open("陈曦")
    before = fixture_page.result_paths()
    fixture_page.page.select_option("#search-district", "朝阳区")
    after = fixture_page.result_paths()
    docs = expected_docs(fixture_docs(), "陈曦")
    assert before == _urls(docs)
    assert after == _urls(d for d in docs if "朝阳区" in d.districts) and after < before
    fixture_page.page.select_option("#search-district", "")
    fixture_page.page.select_option("#search-tag", "工匠学院")
    assert fixture_page.result_paths() == _urls(d for d in docs if "工匠学院" in d.tags)


def test_search_files_are_served_as_stored_gzip(fixture_page):
    response = fixture_page.page.request.get(fixture_page.base + "search/catalog.json.gz")
    assert response.ok and response.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in response.headers
    assert response.body()[:2] == b"\x1f\x8b"


def test_server_content_encoding_is_handled(browser, fixture_www):
    server, base = _serve(fixture_www, _EncodingHandler)
    page = SearchPage(browser, base)
    try:
        response = page.page.request.get(base + "search/catalog.json.gz")
        assert response.headers.get("content-encoding") == "gzip"
        for query in ("工匠学院", "孟大鹏", "chaoyang"):
            page.open(query)
            assert page.result_paths() == _urls(expected_docs(fixture_docs(), query)), query
        assert page.errors == [] and page.dialogs == []
    finally:
        page.close()
        server.shutdown()


def test_browser_without_decompression_is_told_so(browser, fixture_site):
    page = SearchPage(browser, fixture_site)
    page.page.add_init_script("delete window.DecompressionStream;")
    page.page.goto(fixture_site + "search/index.html?q=" + urllib.parse.quote("工匠"))
    page.page.wait_for_function("!document.getElementById('search-status').textContent.includes('正在载入')"
                                " && document.getElementById('search-status').textContent.length > 0")
    assert "DecompressionStream" in page.status() and "浏览器" in page.status()
    assert page.results() == [] and page.errors == []
    page.close()


# ---- the real seed archive, built by the site builder -----------------------------------

@pytest.mark.parametrize("query", BRIEF_QUERIES + ["2024", "smc", "ＳＭＣ"])
def test_real_archive_queries(real_page, query):
    real_page.open(query)
    expected = _urls(expected_docs(content_docs(ROOT / "content"), query))
    assert real_page.result_paths() == expected
    if query == "没有这样的文章xyz":
        assert "没有找到" in real_page.status()
    else:
        assert expected, f"the seed archive should have articles for {query}"


def test_real_archive_marks_a_name_deep_in_a_body(real_page):
    real_page.open("孟大鹏")
    marks = real_page.page.eval_on_selector_all("#search-results .search-result-snippet mark",
                                                "m => m.map(x => x.textContent)")
    assert "孟大鹏" in marks


def test_real_archive_header_form_leads_to_results(real_page):
    real_page.page.goto(real_page.base + "index.html")
    real_page.page.fill("#site-search-q", "工匠学院")
    with real_page.page.expect_navigation():
        real_page.page.press("#site-search-q", "Enter")
    real_page.page.wait_for_selector("body[data-search-ready]")
    real_page.wait_done()
    assert real_page.result_paths() == _urls(expected_docs(content_docs(ROOT / "content"), "工匠学院"))


def test_file_url_explains_that_search_needs_a_server(browser, real_site):
    _, site = real_site
    page = browser.new_page()
    page.goto((site / "search" / "index.html").as_uri() + "?q=" + urllib.parse.quote("工匠"))
    page.wait_for_function("document.getElementById('search-status').textContent.length > 0")
    page.wait_for_function("!document.getElementById('search-status').textContent.includes('正在载入')",
                           timeout=10000)
    assert "服务器" in page.text_content("#search-status")
    page.close()
