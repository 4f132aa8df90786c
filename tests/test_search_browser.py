"""The search page in a real headless Chromium, served over HTTP under a subpath.

Two sites built by `python build.py build` with the real theme: the made-up archive
(search_support.MADE_UP: articles written for these tests, with a hostile title and astral
characters) and the real seed archive. Expected articles always come from the data
(search_support's oracle), never from the index under test.

The search files are gzip as stored. Python's http.server, like GitHub Pages, sends them as
application/gzip without Content-Encoding, so search.js decompresses them itself; one test
serves them with Content-Encoding: gzip instead (the browser then decompresses them first),
another takes DecompressionStream away.

The page's contract: <body data-search-state="loading|done" data-search-total="N">, result
links `#search-results a[href*="articles/"]`.
"""
from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

import pytest

from search_support import (HOSTILE_TITLE, ROOT, content_docs, expected_docs, made_up_by_slug, made_up_docs,
                            write_made_up_content)

pytestmark = pytest.mark.browser

SUBPATH = "/sub/archive/"
BRIEF_QUERIES = ["工匠学院", "孟大鹏", "陈曦", "朝阳", "chaoyang", "gongjiang", "gjxy", "暖", "SMC",
                 "2024年", "“产改”", "工匠:学院", "工會", "没有这样的文章xyz"]
AWKWARD_QUERIES = ["“产改”", "工匠:学院", ":", "^~*+-", "title:工匠 +学院 -劳模 暖* 职工^2 chaoyang~1",
                   "\\", "“", "<script>alert(1)</script>", "😀", "%", "?q=1&x=2"]
RESULT_LINKS = "#search-results a[href*='articles/']"


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


def _build(content: Path, site: Path) -> None:
    proc = subprocess.run([sys.executable, "build.py", "-q", "build", "--content", str(content), "--out", str(site)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def made_up_www(tmp_path_factory):
    """The made-up archive built into <www>/sub/archive/."""
    root = tmp_path_factory.mktemp("made-up")
    write_made_up_content(root / "content")
    www = root / "www"
    _build(root / "content", www / SUBPATH.strip("/"))
    return www


@pytest.fixture(scope="module")
def made_up_site(made_up_www):
    """The made-up site served as GitHub Pages does (.gz as application/gzip, no encoding)."""
    server, base = _serve(made_up_www)
    yield base
    server.shutdown()


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    """The real seed archive built by `python build.py build` (skips until content/ exists)."""
    content = ROOT / "content"
    if not any(content.glob("*.md")):
        pytest.skip("content/ has no articles yet")
    www = tmp_path_factory.mktemp("www-real")
    site = www / SUBPATH.strip("/")
    _build(content, site)
    server, base = _serve(www)
    yield base, site
    server.shutdown()


class SearchPage:
    """One browser page on the search page, recording alerts and script errors."""

    def __init__(self, browser, base: str, **options):
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.base = base
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, query: str | None = None, path: str = "search/index.html", **params) -> None:
        """Open the search page (with ?q= and other parameters) and wait until it is done."""
        fields = ({"q": query} if query is not None else {}) | params
        self.page.goto(self.base + path + ("?" + urllib.parse.urlencode(fields) if fields else ""))
        self.page.wait_for_selector("body[data-search-ready]")
        self.wait_done()

    def wait_done(self) -> None:
        """Wait for the page's "done" state."""
        self.page.wait_for_selector("body[data-search-state=done]", state="attached", timeout=20000)

    def act(self, action) -> None:
        """Do something that starts a search (typing, a click, a key) and wait until it is done."""
        self.page.evaluate("document.body.setAttribute('data-search-state', 'acting')")
        action()
        self.wait_done()

    def results(self) -> list[dict]:
        """The result links: href (absolute), title text."""
        return self.page.eval_on_selector_all(
            RESULT_LINKS, "els => els.map(e => ({href: e.href, text: e.textContent}))")

    def result_paths(self) -> list[str]:
        """The result URLs relative to the site root, in page order."""
        return [r["href"][len(self.base):] for r in self.results() if r["href"].startswith(self.base)]

    def every_result_path(self) -> list[str]:
        """The result URLs of every page of results, following the pager's next links."""
        paths = self.result_paths()
        while self.page.query_selector("#search-pages a[rel=next]"):
            self.act(lambda: self.page.click("#search-pages a[rel=next]"))
            paths += self.result_paths()
        return paths

    def strict_paths(self) -> list[str]:
        """The result URLs of the results not labelled as partial matches."""
        hrefs = self.page.eval_on_selector_all(
            "#search-results li", "els => els.filter(li => !li.querySelector('.search-partial'))"
            ".map(li => li.querySelector('a').href)")
        return [h[len(self.base):] for h in hrefs if h.startswith(self.base)]

    def total(self) -> int:
        return int(self.page.get_attribute("body", "data-search-total"))

    def params(self) -> dict[str, str]:
        """The page URL's query parameters."""
        return dict(urllib.parse.parse_qsl(urllib.parse.urlparse(self.page.url).query))

    def status(self) -> str:
        """The status line."""
        return self.page.text_content("#search-status") or ""

    def close(self) -> None:
        """Close the page."""
        self.context.close()


@pytest.fixture
def made_up_page(browser, made_up_site):
    """A page on the made-up site."""
    page = SearchPage(browser, made_up_site)
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


URL = made_up_by_slug()
SITE_URL = {slug: f"articles/{slug}/index.html" for slug in URL}   # the built site's own URLs


def _expected(query: str) -> set[str]:
    """The built site's URLs of the made-up articles a query must find."""
    found = {d.url for d in expected_docs(made_up_docs(), query)}
    return {SITE_URL[slug] for slug, url in URL.items() if url in found}


def _made_up(slug_or_url: str):
    """The made-up article of a site URL."""
    slug = slug_or_url.split("/")[1]
    return next(d for d in made_up_docs() if d.url == URL[slug])


# ---- the made-up archive -------------------------------------------------------------------

@pytest.mark.parametrize("path", ["search/index.html", "search/"])
def test_query_in_the_url_runs_on_load(made_up_page, path):
    made_up_page.open("工匠学院", path)
    assert set(made_up_page.result_paths()) == _expected("工匠学院")
    assert made_up_page.total() == len(_expected("工匠学院"))
    assert "工匠学院" in made_up_page.results()[0]["text"]
    assert made_up_page.page.eval_on_selector_all("#search-results mark", "m => m.map(x => x.textContent)")


def test_hostile_title_is_shown_as_text(made_up_page):
    made_up_page.open("img")
    assert HOSTILE_TITLE in [r["text"] for r in made_up_page.results()]
    assert made_up_page.page.query_selector_all("#search-results img") == []


def test_astral_characters_are_found(made_up_page):
    made_up_page.open("𠀀")
    assert [r["text"] for r in made_up_page.results()] == ["新𠀀字与职工😀之家"]


def test_typing_updates_results_and_url(made_up_page):
    made_up_page.open()
    made_up_page.act(lambda: made_up_page.page.fill("#search-input", "陈曦"))
    made_up_page.page.wait_for_function("location.search.includes('q=')")
    assert made_up_page.params()["q"] == "陈曦"
    assert set(made_up_page.result_paths()) == _expected("陈曦")
    marks = made_up_page.page.eval_on_selector_all(".search-result-name mark", "m => m.map(x => x.textContent)")
    assert marks and set(marks) == {"陈曦"}      # the person the name query matched


def test_enter_searches_and_does_not_open_a_result(made_up_page):
    made_up_page.open("工会")
    page = made_up_page.page
    assert made_up_page.results()            # a first result that Enter must not open
    made_up_page.act(lambda: page.press("#search-input", "Enter"))
    page.wait_for_timeout(300)
    assert page.url.startswith(made_up_page.base + "search/index.html?") and made_up_page.results()
    page.fill("#search-input", "职工书屋")
    made_up_page.act(lambda: page.press("#search-input", "Enter"))
    page.wait_for_timeout(300)
    assert page.url.startswith(made_up_page.base + "search/index.html?")
    assert made_up_page.params()["q"] == "职工书屋"
    assert made_up_page.result_paths()[0] == SITE_URL["zhi-gong-shu-wu"]   # the headline match first
    made_up_page.act(lambda: page.go_back())                                # Enter made a history entry
    assert made_up_page.params()["q"] == "工会"


def test_paging_reaches_every_result(made_up_page):
    made_up_page.open("工会")
    expected = _expected("工会")
    assert made_up_page.total() == len(expected) > 20
    assert len(made_up_page.result_paths()) == 10
    page = made_up_page.page
    seen = made_up_page.every_result_path()
    assert len(seen) == len(expected) and set(seen) == expected
    assert made_up_page.params()["page"] == str((len(expected) + 9) // 10)
    assert page.get_attribute("#search-pages [aria-current=page]", "href").endswith(f"page={made_up_page.params()['page']}")


def test_sort_by_date(made_up_page):
    made_up_page.open("工会")
    page = made_up_page.page
    dates = lambda: [_made_up(p).date for p in made_up_page.result_paths()]
    made_up_page.act(lambda: page.select_option("#search-sort", "newest"))
    assert made_up_page.params()["sort"] == "newest"
    newest = dates()
    assert newest == sorted(newest, reverse=True) and newest[0] == max(d.date for d in made_up_docs())
    made_up_page.act(lambda: page.select_option("#search-sort", "oldest"))
    oldest = dates()
    assert oldest == sorted(oldest)


def test_filters_by_year_and_by_each_facet(made_up_page):
    made_up_page.open("工会")
    page = made_up_page.page
    every = _expected("工会")
    made_up_page.act(lambda: page.select_option("#search-year", "2023"))
    assert made_up_page.params()["year"] == "2023"
    assert set(made_up_page.result_paths()) == {u for u in every if _made_up(u).date.startswith("2023")}
    assert made_up_page.total() == len(set(made_up_page.result_paths()))
    made_up_page.act(lambda: page.select_option("#search-year", ""))
    # the filter facets come from the catalog: one select each, labelled by the facet
    labels = page.eval_on_selector_all("#search-filters label", "ls => ls.map(l => l.textContent.split('全部')[0])")
    from newsarchive.vocab import Vocabulary
    assert labels == [t.name for t in Vocabulary.read().taxonomies if t.filter]    # in the data's order
    assert set(labels) == {"地区", "标签"}
    made_up_page.act(lambda: page.select_option("#search-filter-districts", "朝阳区"))
    assert made_up_page.params()["districts"] == "朝阳区"
    assert set(made_up_page.result_paths()) == {u for u in every if "朝阳区" in _made_up(u).names["districts"]}
    made_up_page.act(lambda: page.select_option("#search-filter-districts", ""))
    made_up_page.act(lambda: page.select_option("#search-filter-tags", "送温暖"))
    assert set(made_up_page.result_paths()) == {u for u in every if "送温暖" in _made_up(u).names["tags"]}
    assert made_up_page.result_paths()


def test_the_url_holds_query_filters_sort_and_page(browser, made_up_site):
    page = SearchPage(browser, made_up_site)
    page.open("工会", sort="oldest", year="2024", districts="朝阳区")
    assert page.page.input_value("#search-input") == "工会"
    assert page.page.input_value("#search-sort") == "oldest"
    assert page.page.input_value("#search-year") == "2024"
    assert page.page.input_value("#search-filter-districts") == "朝阳区"
    expected = sorted((u for u in _expected("工会") if _made_up(u).date.startswith("2024")
                       and "朝阳区" in _made_up(u).names["districts"]), key=lambda u: _made_up(u).date)
    assert page.result_paths() == expected
    page.open("工会", page="3")
    assert page.page.get_attribute("#search-results", "start") == "21"
    assert page.errors == []
    page.close()


def test_back_button_restores_the_earlier_state(made_up_page):
    made_up_page.open("工会")
    page = made_up_page.page
    first = made_up_page.result_paths()
    made_up_page.act(lambda: page.click("#search-pages a[rel=next]"))
    made_up_page.act(lambda: page.select_option("#search-filter-tags", "送温暖"))
    assert made_up_page.params() == {"q": "工会", "tags": "送温暖"}
    made_up_page.act(lambda: page.go_back())
    assert made_up_page.params() == {"q": "工会", "page": "2"}
    assert page.input_value("#search-filter-tags") == ""
    made_up_page.act(lambda: page.go_back())
    assert made_up_page.params() == {"q": "工会"} and made_up_page.result_paths() == first
    made_up_page.act(lambda: page.go_forward())
    assert made_up_page.params()["page"] == "2"


def test_pinyin_and_initials_queries_highlight_the_chinese_they_matched(made_up_page):
    marks = lambda: made_up_page.page.eval_on_selector_all(".search-result-title mark", "m => m.map(x => x.textContent)")
    made_up_page.open("gongjiang")
    assert "工匠" in marks()
    made_up_page.open("gjxy")
    assert marks() == ["工匠学院"]
    made_up_page.open("chaoyang")
    names = made_up_page.page.eval_on_selector_all(".search-result-name mark", "m => m.map(x => x.textContent)")
    assert set(names) == {"朝阳区"} and "朝阳" in marks()


def test_partial_matches_are_labelled(made_up_page):
    made_up_page.open("通洲")
    assert SITE_URL["tong-zhou-zhi-gong-zhi-jia"] in made_up_page.result_paths()
    assert "部分匹配" in made_up_page.status()
    badges = made_up_page.page.eval_on_selector_all(".search-partial", "b => b.length")
    assert badges == len(made_up_page.results()) > 0
    made_up_page.open("北京今年新增了几家首都工匠学院")
    assert made_up_page.result_paths()[0] == SITE_URL["xin-zeng-gong-jiang-xue-yuan"]


def test_results_are_keyboard_navigable(made_up_page):
    made_up_page.open("职工")
    links = made_up_page.results()
    assert len(links) >= 2
    page = made_up_page.page
    page.focus("#search-input")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") == links[0]["href"]
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") == links[1]["href"]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "search-input"


@pytest.mark.parametrize("query", AWKWARD_QUERIES)
def test_awkward_queries_do_not_throw(made_up_page, query):
    made_up_page.open(query)
    assert set(made_up_page.strict_paths()) == _expected(query)
    assert int(made_up_page.page.get_attribute("body", "data-search-strict") or 0) == len(_expected(query))


def test_no_match_says_so(made_up_page):
    made_up_page.open("没有这样的文章xyz")
    assert made_up_page.results() == [] and made_up_page.total() == 0
    assert "没有找到" in made_up_page.status()


def test_one_search_box_and_named_landmarks(made_up_page):
    made_up_page.open("工会")
    page = made_up_page.page
    assert page.eval_on_selector_all("input[type=search]", "i => i.length") == 1
    landmarks = page.eval_on_selector_all("[role=search], search",
                                          "els => els.map(e => e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || '')")
    assert landmarks == ["检索文章"]
    navs = page.eval_on_selector_all("nav", "els => els.map(e => e.getAttribute('aria-label') || '')")
    assert all(navs) and len(set(navs)) == len(navs)
    # any other page has the masthead's search form, its only one
    page.goto(made_up_page.base + "index.html")
    assert page.eval_on_selector_all("[role=search]", "els => els.length") == 1


CLS_SCRIPT = """window.__cls = 0; new PerformanceObserver((list) => {
  for (const e of list.getEntries()) { if (!e.hadRecentInput) window.__cls += e.value; }
}).observe({type: "layout-shift", buffered: true});"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 360, "height": 740}])
def test_no_layout_shift_while_results_arrive(browser, made_up_site, viewport):
    page = SearchPage(browser, made_up_site, viewport=viewport)
    page.page.add_init_script(CLS_SCRIPT)
    page.open("工会")
    page.page.wait_for_timeout(300)
    assert page.page.evaluate("window.__cls") < 0.001
    page.close()


def test_no_horizontal_overflow_at_360_px(browser, made_up_site):
    page = SearchPage(browser, made_up_site, viewport={"width": 360, "height": 740})
    for query in ("工会", "北京今年新增了几家首都工匠学院", "gongjiang"):
        page.open(query)
        assert page.page.evaluate("document.documentElement.scrollWidth") <= 360, query
        assert page.page.evaluate("document.body.scrollWidth") <= 360, query
    page.close()


CONTRAST_SCRIPT = """(selectors) => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return {rgb: p.slice(0, 3), a: p.length > 3 ? p[3] : 1}; };
  const lum = (rgb) => { const c = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
  const background = (el) => { for (; el; el = el.parentElement) { const b = parse(getComputedStyle(el).backgroundColor);
    if (b && b.a > 0.99) return b.rgb; } return [255, 255, 255]; };
  const out = {};
  for (const sel of selectors) {
    const el = document.querySelector(sel); if (!el) { out[sel] = null; continue; }
    const fg = parse(getComputedStyle(el).color).rgb, bg = background(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    out[sel] = (a + 0.05) / (b + 0.05);
  }
  return out;
}"""
CONTRAST_SELECTORS = ["#search-results mark", ".search-result-title a", ".search-result-meta span",
                      ".search-result-snippet", "#search-status", ".search-control span", "#search-sort",
                      "#search-input", ".search-box button", "#search-pages a", "#search-pages a[aria-current]",
                      ".search-result-name mark", ".list-note"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_contrast_is_aa_in_both_colour_schemes(browser, made_up_site, scheme):
    page = SearchPage(browser, made_up_site, color_scheme=scheme)
    page.open("陈曦")
    page.open("工会", page="2")
    ratios = page.page.evaluate(CONTRAST_SCRIPT, CONTRAST_SELECTORS)
    page.open("陈曦")
    ratios[".search-result-name mark"] = page.page.evaluate(CONTRAST_SCRIPT, [".search-result-name mark"])[
        ".search-result-name mark"]
    assert all(ratios[s] is not None for s in CONTRAST_SELECTORS), ratios
    low = {s: round(r, 2) for s, r in ratios.items() if r < 4.5}
    assert not low, low
    page.close()


def test_search_files_are_served_as_stored_gzip(made_up_page):
    response = made_up_page.page.request.get(made_up_page.base + "search/catalog.json.gz")
    assert response.ok and response.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in response.headers
    assert response.body()[:2] == b"\x1f\x8b"


def test_server_content_encoding_is_handled(browser, made_up_www):
    server, base = _serve(made_up_www, _EncodingHandler)
    page = SearchPage(browser, base)
    try:
        response = page.page.request.get(base + "search/catalog.json.gz")
        assert response.headers.get("content-encoding") == "gzip"
        for query in ("工匠学院", "陈曦", "chaoyang"):
            page.open(query)
            assert set(page.result_paths()) == _expected(query), query
        assert page.errors == [] and page.dialogs == []
    finally:
        page.close()
        server.shutdown()


def test_browser_without_decompression_is_told_so(browser, made_up_site):
    page = SearchPage(browser, made_up_site)
    page.page.add_init_script("delete window.DecompressionStream;")
    page.page.goto(made_up_site + "search/index.html?q=" + urllib.parse.quote("工匠"))
    page.wait_done()
    assert "DecompressionStream" in page.status() and "浏览器" in page.status()
    assert page.results() == [] and page.errors == []
    page.close()


# ---- the real seed archive, built by the site builder -----------------------------------

@pytest.mark.parametrize("query", BRIEF_QUERIES + ["2024", "smc", "ＳＭＣ"])
def test_real_archive_queries(real_page, query):
    real_page.open(query)
    expected = _urls(expected_docs(content_docs(ROOT / "content"), query))
    assert real_page.total() == len(expected)
    assert set(real_page.every_result_path()) == expected
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
    real_page.wait_done()
    assert set(real_page.result_paths()) == _urls(expected_docs(content_docs(ROOT / "content"), "工匠学院"))


def test_file_url_explains_that_search_needs_a_server(browser, real_site):
    _, site = real_site
    page = browser.new_page()
    page.goto((site / "search" / "index.html").as_uri() + "?q=" + urllib.parse.quote("工匠"))
    page.wait_for_selector("body[data-search-state=done]", state="attached", timeout=10000)
    assert "服务器" in page.text_content("#search-status")
    page.close()


def test_the_page_and_its_script_speak_the_archives_wording(browser, tmp_path):
    """An archive's theme/strings.toml rewords the search page, its script's messages included."""
    from newsarchive.builder import build_site
    from newsarchive.config import load_config
    from newsarchive.theme import Theme
    overrides = tmp_path / "theme"
    overrides.mkdir()
    (overrides / "strings.toml").write_text(
        'search = "Search"\nsearch_total = "{count} results."\nsearch_all = "All {label}"\n'
        'search_sort_newest = "Newest first"\nfull_date = "{day}/{month}/{year}"\n', encoding="utf-8")
    www = tmp_path / "www"
    content = tmp_path / "content"
    write_made_up_content(content)
    report = build_site(content, www / SUBPATH.strip("/"), load_config(ROOT / "site.toml"), jobs=1,
                        theme=Theme.select(None, tmp_path, overrides))
    assert report.ok, [str(e) for e in report.errors]
    server, base = _serve(www)
    try:
        page = SearchPage(browser, base)
        page.open("工会")
        assert page.page.inner_text("h1") == "Search"
        assert " results." in page.status() and "条结果" not in page.status(), page.status()
        assert page.page.inner_text("#search-sort option[value=newest]") == "Newest first"
        assert page.page.inner_text("#search-filters select option[value='']").startswith("All ")
        meta = page.page.inner_text("#search-results .search-result-meta")
        assert "/20" in meta and "年" not in meta, meta
        assert page.errors == []
        page.context.close()
    finally:
        server.shutdown()
