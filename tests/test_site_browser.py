"""The built fixture site in a real headless Chromium, served under a subpath on localhost: no
horizontal overflow on a 360 px phone or a 1280 px desktop, no console errors, keyboard basics.

Needs Debian's /usr/bin/chromium. Without it these tests skip locally but fail when CI=true.
"""
from __future__ import annotations

import pytest

from site_support import FIXTURE_CONTENT, SubpathServer, build

PAGES = ["index.html", "articles/xss-test-article/index.html",
         "articles/chao-yang-qu-ju-ban-chan-ye-gong-ren/index.html",
         "tags/zhi-gong-wen-hua/index.html", "districts/chaoyang/index.html",
         "districts/index.html", "tags/index.html", "pages/2024-11-20-3/index.html",
         "editions/index.html", "editions/2024/index.html", "editions/2024-11-20/index.html"]
VIEWPORTS = [(360, 740), (1280, 800)]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The fixture site, served at http://127.0.0.1:<port>/newsarchive/."""
    server = SubpathServer()
    out = tmp_path_factory.mktemp("browser") / "site"
    assert build(FIXTURE_CONTENT, out, base_url=server.base_url).ok
    with server.serving(out):
        yield server


def open_page(browser, served, path: str, width: int, height: int, dialogs: list[str] | None = None):
    """A page at `path` in a fresh tab of the given size, with its console errors (and any
    dialogs it opens) collected."""
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(f"request failed: {request.url}"))
    if dialogs is not None:
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    response = page.goto(served.base_url + path, wait_until="load")
    assert response is not None and response.status == 200, path
    return page, errors


@pytest.mark.parametrize("width, height", VIEWPORTS, ids=[f"{w}px" for w, _ in VIEWPORTS])
@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_overflow_and_no_console_errors(browser, served, path, width, height):
    page, errors = open_page(browser, served, path, width, height)
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll_width <= client_width, f"{path} at {width}px is {scroll_width}px wide"
    assert page.evaluate("getComputedStyle(document.body).lineHeight") != "normal"
    assert errors == [], errors
    page.close()


def test_hostile_title_is_inert_text_in_the_browser(browser, served):
    dialogs: list[str] = []
    page, errors = open_page(browser, served, "articles/xss-test-article/index.html", 1280, 800, dialogs)
    assert page.inner_text("h1") == "<script>alert(1)</script> {{ 7*7 }}"
    assert dialogs == [] and errors == []
    page.close()


def test_skip_link_is_the_first_stop_and_focus_is_visible(browser, served):
    page, _ = open_page(browser, served, "index.html", 360, 740)
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip-link", "#main"]
    box = page.evaluate("JSON.stringify(document.activeElement.getBoundingClientRect())")
    assert '"top":' in box and page.evaluate("document.activeElement.getBoundingClientRect().top >= 0")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.close()


def test_search_form_submits_to_the_search_page(browser, served):
    page, _ = open_page(browser, served, "tags/index.html", 1280, 800)
    page.fill("#site-search-q", "工匠学院")
    page.press("#site-search-q", "Enter")
    page.wait_for_load_state("load")
    assert page.url.startswith(served.base_url + "search/index.html?q=")
    page.close()


def test_reading_polish_on_a_phone(browser, served):
    """Balanced headlines, kicker and subtitle at least body size and told apart, CJK faces
    before system-ui, district tile labels of at least 12 px."""
    page, errors = open_page(browser, served, "articles/shou-du-gong-jiang-xue-yuan-ji-neng-jing-sai/index.html", 360, 740)
    style = "([selector, prop]) => getComputedStyle(document.querySelector(selector)).getPropertyValue(prop)"
    assert page.evaluate(style, ["h1", "text-wrap"]).startswith("balance") or \
        page.evaluate(style, ["h1", "text-wrap-style"]) == "balance"
    body = float(page.evaluate(style, ["body", "font-size"])[:-2])
    kicker = float(page.evaluate(style, [".kicker", "font-size"])[:-2])
    assert kicker >= body
    families = page.evaluate(style, ["body", "font-family"])
    assert families.index("PingFang SC") < families.index("system-ui")
    kicker_color = page.evaluate(style, [".kicker", "color"])
    # each page left only once its requests are done: leaving earlier aborts them (a failed request)
    page.wait_for_load_state("networkidle")
    page.goto(served.base_url + "articles/chao-yang-qu-ju-ban-chan-ye-gong-ren/index.html", wait_until="networkidle")
    assert float(page.evaluate(style, [".subtitle", "font-size"])[:-2]) >= body
    assert page.evaluate(style, [".subtitle", "color"]) != kicker_color
    page.goto(served.base_url + "districts/index.html", wait_until="networkidle")
    sizes = page.eval_on_selector_all(".tile-name", "tiles => tiles.map(t => parseFloat(getComputedStyle(t).fontSize))")
    assert len(sizes) == 17 and min(sizes) >= 12
    assert errors == []
    page.close()


def test_print_keeps_the_rubric_readable_and_the_citation(browser, served):
    page, _ = open_page(browser, served, "articles/chao-yang-qu-ju-ban-chan-ye-gong-ren/index.html", 1280, 800)
    page.emulate_media(media="print")
    style = "([selector, prop]) => getComputedStyle(document.querySelector(selector)).getPropertyValue(prop)"
    # Printers drop background colours: the rubric must not be white text on its red fill.
    assert page.evaluate(style, [".rubric a", "color"]) == "rgb(0, 0, 0)"
    assert page.evaluate(style, [".rubric a", "border-top-style"]) == "solid"
    assert page.evaluate(style, [".cite", "display"]) != "none"
    cite = page.inner_text(".cite")
    assert "[N]. 北京工会报, 2024-11-20(3)." in cite and "articles/chao-yang-qu-ju-ban-chan-ye-gong-ren/" in cite
    assert page.evaluate(style, [".breadcrumbs", "display"]) == "none"
    page.close()
