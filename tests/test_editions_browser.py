"""A reader browses a dated archive by date in a real headless Chromium, served under a subpath
on localhost: front page → 往期 → year → month → day → page → article and back up again, with
links alone, at 360 px and 1280 px. On every page on the way: no horizontal overflow, no console
error, and every link on it resolves.

Needs Debian's /usr/bin/chromium. Without it these tests skip locally but fail when CI=true.
"""
from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from editions_support import write_dated_archive
from site_support import SubpathServer, build
from test_site_browser import VIEWPORTS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The made-up dated archive, served at http://127.0.0.1:<port>/newsarchive/."""
    root = tmp_path_factory.mktemp("walk")
    server = SubpathServer()
    assert build(write_dated_archive(root / "content"), root / "site", base_url=server.base_url).ok
    with server.serving(root / "site"):
        yield server


class Walk:
    """One reader's tab: follows links by clicking and checks every page it lands on."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        self.checked: dict[str, int] = {}
        self.visited: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url}"))

    def open(self, path: str) -> None:
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None and response.status == 200
        self.check()

    def click(self, selector: str, expect: str) -> None:
        """Click the one link `selector` picks and land on a page whose URL ends with `expect`."""
        link = self.page.locator(selector)
        assert link.count() == 1, f"{selector} on {self.page.url}: {link.count()} matches"
        link.click()
        self.page.wait_for_load_state("load")
        assert self.page.url.endswith(expect), (selector, self.page.url, expect)
        self.check()

    def check(self) -> None:
        """No horizontal overflow, no console error, every link on the page answers 200."""
        # the page's own requests finish first: leaving a page earlier aborts them (a failed request)
        self.page.wait_for_load_state("networkidle")
        url = self.page.url
        self.visited.append(url[len(self.base_url):])
        width = self.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], f"{url} is {width[0]}px wide at {width[1]}px"
        assert self.errors == [], (url, self.errors)
        hrefs = self.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            target = href.split("#")[0]
            assert target.startswith(self.base_url) or not target.startswith("http://127.0.0.1"), href
            if not target.startswith(self.base_url) or target in self.checked:
                continue
            try:
                with urllib.request.urlopen(target) as response:
                    self.checked[target] = response.status
            except urllib.error.HTTPError as exc:
                self.checked[target] = exc.code
            assert self.checked[target] == 200, f"{url}: {href} gives {self.checked[target]}"


@pytest.mark.parametrize("width, height", VIEWPORTS, ids=[f"{w}px" for w, _ in VIEWPORTS])
def test_a_reader_goes_down_by_date_to_an_article_and_back_up(browser, served, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    walk = Walk(page, served.base_url)
    walk.open("index.html")
    # down: 往期 → the year → its January → the 31st → 第2版 → an article
    walk.click(".site-nav a:text-is('往期')", "editions/index.html")
    walk.click("main .year-list a:text-is('2021年')", "editions/2021/index.html")
    walk.click("nav.page-index a:text-is('1月')", "editions/2021/index.html#2021-01")
    assert page.evaluate("document.getElementById('2021-01').getBoundingClientRect().top") < height
    walk.click("table[id='2021-01'] a:text-is('31')", "editions/2021-01-31/index.html")
    walk.click("#p2 h2 a", "pages/2021-01-31-2/index.html")
    walk.click("ol.teasers h2 a:text-is('司机之家开放')", "articles/si-ji-zhi-jia-kai-fang/index.html")
    assert page.inner_text("h1") == "司机之家开放"
    # across: 上一篇 on the page, 下一版 to 第4版, 下一期 to the next month
    walk.click("nav.neighbours a[rel=prev]", "articles/kuai-di-xiao-ge-ru-hui/index.html")
    walk.click(".dateline a:text-is('第2版')", "pages/2021-01-31-2/index.html")
    walk.click("nav.neighbours a[rel=next]", "pages/2021-01-31-4/index.html")
    walk.click("nav.neighbours a[rel=next]", "editions/2021-02-01/index.html")
    assert page.inner_text("h1").startswith("2021年2月1日")
    walk.click("nav.neighbours:not(.neighbours-compact) a[rel=prev]", "editions/2021-01-31/index.html")
    # and back up by the breadcrumbs and the month link
    walk.click("#p1 h2 a", "pages/2021-01-31-1/index.html")
    walk.click(".breadcrumbs a:text-is('1月31日')", "editions/2021-01-31/index.html")
    walk.click(".list-kind a:text-is('2021年1月')", "editions/2021/index.html#2021-01")
    walk.click(".breadcrumbs a:text-is('往期')", "editions/index.html")
    walk.click(".breadcrumbs a:text-is('首页')", "index.html")
    # the front page's own calendar leads to the latest day and its month
    walk.click(".front-aside table.calendar a:text-is('1')", "editions/2021-02-01/index.html")
    assert len(walk.visited) == 18 and len(walk.checked) > 30
    page.close()


@pytest.mark.parametrize("width, height", VIEWPORTS, ids=[f"{w}px" for w, _ in VIEWPORTS])
def test_undated_pages_are_reached_from_the_back_issue_index(browser, served, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    walk = Walk(page, served.base_url)
    walk.open("editions/index.html")
    link = page.locator("#undated a").first
    link.click()
    page.wait_for_load_state("load")
    walk.check()
    assert page.inner_text("h1") == "未注明日期 版面1"
    walk.click("nav.neighbours a[rel=next]", "/index.html")
    assert page.inner_text("h1") == "未注明日期 版面2"
    walk.click(".breadcrumbs a:text-is('未注明日期')", "editions/index.html#undated")
    page.close()
