"""The built fixture site: page kinds and counts, valid HTML5, links under a subpath and from
disk, JSON-LD, feed, sitemap, escaping of hostile text; and the real seed archive."""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest
import yaml
from markupsafe import Markup, escape

from newsarchive import builder
from newsarchive.render import Renderer, html_text
from newsarchive.theme import Theme
from site_support import (FIXTURE_CONTENT, REPO, SubpathServer, build, local_path, page_links,
                          resolve_internal, tree_bytes)

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOSTILE_TITLE = "<script>alert(1)</script> {{ 7*7 }}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The fixture archive built for, and served at, http://127.0.0.1:<port>/newsarchive/."""
    server = SubpathServer()
    out = tmp_path_factory.mktemp("fixture") / "site"
    report = build(FIXTURE_CONTENT, out, base_url=server.base_url)
    assert report.ok, [str(e) for e in report.errors]
    with server.serving(out):
        yield out, server


def front_matter() -> list[dict]:
    """The fixture articles' front matter, read independently of the package."""
    docs = []
    for path in sorted(FIXTURE_CONTENT.glob("*.md")):
        docs.append(yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1]))
    return docs


def parse(path: Path):
    """An HTML page as an element tree (strict HTML5: any parse error raises)."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(path.read_bytes(), transport_encoding="utf-8")


def text_of(element) -> str:
    """All text inside an element."""
    return "".join(element.itertext())


def html_pages(site: Path) -> list[Path]:
    """Every HTML file of the site."""
    return sorted(site.rglob("*.html"))


def test_every_page_kind_exists_with_the_right_counts(site):
    out, _ = site
    docs = front_matter()
    assert (out / "index.html").is_file()
    assert (out / "search/index.html").is_file()
    for name in ("feed.xml", "sitemap.xml", "robots.txt", "404.html", "static/style.css"):
        assert (out / name).is_file(), name
    assert sorted(p.name for p in (out / "articles").iterdir()) == sorted(d["slug"] for d in docs)
    assert len(list((out / "pages").iterdir())) == len({d["page"] for d in docs})
    assert sorted(p.name for p in (out / "pages").iterdir() if "-" in p.name) == ["2024-11-18-1", "2024-11-20-3"]
    assert sorted(p.name for p in (out / "editions").iterdir()) == [
        "2024", "2024-11-18", "2024-11-19", "2024-11-20", "index.html"]
    district_dirs = [p for p in (out / "districts").iterdir() if p.is_dir()]
    assert len(district_dirs) == 17  # all districts, even those without articles
    tags = {t for d in docs for t in d["tags"]}
    assert len([p for p in (out / "tags").iterdir() if p.is_dir()]) == len(tags)
    people = {n for d in docs for key in ("reporters", "correspondents", "photographers") for n in d[key]}
    assert len([p for p in (out / "people").iterdir() if p.is_dir()]) == len(people)
    rubrics = {d["rubric"] for d in docs if d.get("rubric")}
    assert len(list((out / "columns").iterdir())) == len(rubrics)
    assert not (out / "columns/index.html").exists()  # not in DESIGN's table


def test_lists_are_paginated_by_the_configured_size(site):
    out, _ = site
    # 朝阳区 has three fixture articles and the fixture pages hold two.
    first, second = out / "districts/chaoyang/index.html", out / "districts/chaoyang/page/2/index.html"
    assert first.is_file() and second.is_file()
    assert not (out / "districts/chaoyang/page/3").exists()
    assert len(parse(first).findall(".//ul[@class='teasers']/li")) == 2
    assert len(parse(second).findall(".//ul[@class='teasers']/li")) == 1
    pager = parse(second).find(".//nav[@class='pager']")
    assert pager.find(".//a[@rel='prev']").get("href") == "../../../../districts/chaoyang/index.html"


def test_every_html_page_is_valid_html5(site):
    out, _ = site
    pages = html_pages(out)
    assert len(pages) > 40
    for page in pages:
        parse(page)  # raises on the first parse error


def test_pages_carry_language_open_graph_and_canonical(site):
    out, server = site
    for page in html_pages(out):
        tree = parse(page)
        assert tree.get("lang") == "zh-CN", page
        canonical = tree.find(".//link[@rel='canonical']")
        assert canonical is not None and canonical.get("href").startswith(server.base_url), page
        assert tree.find(".//meta[@property='og:title']") is not None, page
        assert tree.find(".//meta[@name='description']") is not None, page
        assert tree.find(".//body").get("data-root") is not None, page
        form = tree.find(".//form[@role='search']")
        assert form is not None and form.get("action").endswith("search/index.html"), page


def test_every_internal_link_and_asset_resolves_under_a_subpath(site):
    out, server = site
    checked: dict[str, int] = {}
    for page in html_pages(out):
        page_url = server.base_url + page.relative_to(out).as_posix()
        links, ids = page_links(page.read_text(encoding="utf-8"))
        for link in links:
            if link.startswith("#"):
                assert link[1:] in ids, f"{page}: no element with id {link}"
                continue
            target = resolve_internal(page_url, link, server.base_url)
            assert target is not None or not link.startswith(("/", "..")), f"{page}: {link} leaves the site"
            if target is None:
                continue
            url = target.split("#")[0]
            if url not in checked:
                try:
                    with urllib.request.urlopen(url) as response:
                        checked[url] = response.status
                except urllib.error.HTTPError as exc:
                    checked[url] = exc.code
            assert checked[url] == 200, f"{page}: {link} -> {url} gives {checked[url]}"
    assert len(checked) > 50
    with pytest.raises(urllib.error.HTTPError):  # the server really is confined to the subpath
        urllib.request.urlopen(f"http://127.0.0.1:{server.port}/index.html")


def test_links_work_from_disk(site):
    """Relative links name files (…/index.html), so the site works opened from file://."""
    out, server = site
    for page in html_pages(out):
        if page.name == "404.html":  # served at any depth, so its links are absolute
            continue
        links, _ = page_links(page.read_text(encoding="utf-8"))
        for link in links:
            if link.startswith(("#", "http:", "https:", "data:")):
                continue
            assert not link.endswith("/"), f"{page}: directory link {link} fails from disk"
            target = (page.parent / link.split("#")[0].split("?")[0]).resolve()
            assert target.is_file(), f"{page}: {link} -> {target}"


def test_no_file_is_loaded_from_another_host(site):
    out, server = site
    for page in html_pages(out):
        tree = parse(page)
        for element in tree.iter():
            if element.tag in ("script", "img", "iframe") or (element.tag == "link" and element.get("rel") != "canonical"):
                url = element.get("src") or element.get("href") or ""
                assert not url.startswith(("http:", "https:", "//")) or url.startswith(server.base_url), \
                    f"{page}: {element.tag} {url}"


def test_article_page_shows_headline_group_byline_page_and_neighbours(site):
    out, _ = site
    tree = parse(out / "articles/shou-du-gong-jiang-xue-yuan-ji-neng-jing-sai/index.html")
    assert text_of(tree.find(".//p[@class='kicker']")) == "以赛促学 以赛促训"
    assert text_of(tree.find(".//h1")) == "首都工匠学院开展技能竞赛集训"
    byline = {text_of(a): a.get("href") for a in tree.findall(".//p[@class='byline']/a")}
    assert byline == {"陈曦": "../../people/chen-xi/index.html", "赵娟": "../../people/zhao-juan/index.html",
                      "王蕾": "../../people/wang-lei/index.html"}
    chips = {text_of(a) for a in tree.findall(".//footer[@class='article-footer']//a")}
    assert chips == {"西城区", "东城区", "工匠学院", "劳动和技能竞赛"}
    assert tree.find(".//a[@rel='next']").get("href") == "../../articles/wai-mai-xiao-ge-nuan-xin-yi-zhan/index.html"
    date_link, page_link = tree.findall(".//p[@class='dateline']/a")
    assert date_link.get("href") == "../../editions/2024-11-18/index.html"
    assert text_of(date_link) == "2024年11月18日"  # from the articles: pages.toml gives no date
    assert page_link.get("href") == "../../pages/2024-11-18-1/index.html"
    assert text_of(page_link) == "第1版"  # from content/pages.toml


def test_related_articles_share_tags_or_districts(site):
    out, _ = site
    tree = parse(out / "articles/chao-yang-qu-ju-ban-chan-ye-gong-ren/index.html")
    related = {a.get("href") for a in tree.findall(".//aside[@class='related']//a")}
    assert related == {"../../articles/xss-test-article/index.html",              # share 朝阳区
                       "../../articles/zhi-gong-shu-hua-zhan-jing-kai-qu/index.html"}


def test_related_articles_leave_out_the_page_neighbours(site):
    out, _ = site
    # Its one related candidate (职工文化, 经开区) is next to it on page 004: linked once, as a neighbour.
    tree = parse(out / "articles/zhi-gong-tu-bu-huo-dong/index.html")
    neighbours = {a.get("href") for a in tree.findall(".//nav[@class='neighbours']//a")}
    assert "../../articles/zhi-gong-shu-hua-zhan-jing-kai-qu/index.html" in neighbours
    assert tree.find(".//aside[@class='related']") is None


def test_newspaper_page_lists_articles_in_printed_order(site):
    out, _ = site
    tree = parse(out / "pages/2024-11-20-3/index.html")
    assert text_of(tree.find(".//h1")) == "2024年11月20日 第3版 · 要闻"
    titles = [text_of(a) for a in tree.findall(".//ol[@class='teasers teasers-numbered']/li/h2/a")]
    assert titles == ["朝阳区举办产业工人队伍建设改革博览会", "海淀劳模工匠风采展开幕"]


def test_lists_show_newest_first_and_undated_last(site):
    out, _ = site
    tree = parse(out / "districts/chaoyang/index.html")
    dates = [text_of(a)[:10] for a in tree.findall(".//ul[@class='teasers']/li/p/a")]
    assert len(dates) > 1 and all(re.fullmatch(r"\d{4}-\d\d-\d\d", d) for d in dates)
    assert dates == sorted(dates, reverse=True)
    people = parse(out / "people/duan-yan/index.html")  # two undated articles, page 004
    titles = [text_of(a) for a in people.findall(".//ul[@class='teasers']/li/h2/a")]
    assert titles == ["职工书画展在经开区开展", "职工徒步活动强健体魄"]  # printed order on an undated page


def test_list_pages_show_summaries_not_full_text(site):
    out, _ = site
    listing = (out / "tags/chuang-xin-gong-zuo-shi/index.html").read_text(encoding="utf-8")
    assert "近日，朝阳区产业工人队伍建设改革博览会举行。" in listing
    assert "以及各条战线取得的创新工作室成果" not in listing  # the third paragraph


def test_tags_and_people_are_listed_a_to_z_with_letters_and_counts(site):
    out, _ = site
    tree = parse(out / "tags/index.html")
    letters = [text_of(h) for h in tree.findall(".//section/h2")]
    assert letters == sorted(letters) and "Z" in letters
    entries = [(text_of(li.find("a")), text_of(li.find("span"))) for li in tree.findall(".//ul[@class='term-list']/li")]
    assert ("职工文化", "2篇") in entries
    people = parse(out / "people/index.html")
    assert "zeng-zhi" in {a.get("href").split("/")[2] for a in people.findall(".//ul[@class='term-list']//a")}


def test_districts_index_lists_all_seventeen_with_counts(site):
    out, _ = site
    tree = parse(out / "districts/index.html")
    rows = tree.findall(".//ol[@class='district-bars']/li")
    assert len(rows) == 17
    counts = {text_of(r.find("a")): text_of(r.find("span[@class='count']")) for r in rows}
    assert counts["朝阳区"] == "3篇" and counts["延庆区"] == "0篇"


def test_json_ld_is_a_news_article_and_parses(site):
    out, server = site
    for page in (out / "articles").glob("*/index.html"):
        scripts = parse(page).findall(".//script[@type='application/ld+json']")
        assert len(scripts) == 1, page
        data = json.loads(scripts[0].text)
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == text_of(parse(page).find(".//h1"))
        assert ("isPartOf" in data) == ("datePublished" in data)  # dated articles name their issue


def test_hostile_text_is_shown_as_text_everywhere(site):
    out, _ = site
    article = out / "articles/xss-test-article/index.html"
    tree = parse(article)
    assert text_of(tree.find(".//h1")) == HOSTILE_TITLE
    assert text_of(tree.find(".//title")).startswith(HOSTILE_TITLE)
    body = text_of(tree.find(".//div[@class='article-body']"))
    assert "<script>alert(3)</script>" in body and "{{ 7*7 }}" in body and "{% raw %}" in body
    assert "<img src=x onerror=alert(4)>" in body and "[链接](javascript:alert(5))" in body
    assert tree.find(".//div[@class='article-body']//img") is None
    assert tree.find(".//div[@class='article-body']//a") is None
    ld = tree.find(".//script[@type='application/ld+json']").text
    assert "<" not in ld and ">" not in ld
    assert json.loads(ld)["headline"] == HOSTILE_TITLE
    assert json.loads(ld)["alternativeHeadline"] == "</script><script>alert(2)</script>"
    for page in html_pages(out):
        if page.parent.name == "search":
            continue  # the search page's own scripts are checked by the search tests
        for script in parse(page).iter("script"):
            assert script.get("type") == "application/ld+json", f"{page}: unexpected script"
        raw = page.read_text(encoding="utf-8")
        assert "<script>alert" not in raw and "<img src=x" not in raw and "<i>张三</i>" not in raw, page
        assert "49" not in text_of(parse(page).find(".//title")), page


def test_feed_is_atom_with_only_dated_entries(site):
    out, server = site
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3  # paging.feed_entries in the fixture's site.toml
    assert feed.find(f"{ATOM}updated").text == "2024-11-20T00:00:00+08:00"  # the newest article date
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert "职工书画展在经开区开展" not in titles  # undated: no invented date
    for entry in entries:
        assert entry.find(f"{ATOM}id").text.startswith(server.base_url + "articles/")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00\+08:00", entry.find(f"{ATOM}updated").text)
    hostile = [e for e in entries if e.find(f"{ATOM}title").text == HOSTILE_TITLE]
    assert hostile and "&lt;script&gt;" in hostile[0].find(f"{ATOM}content").text


def test_sitemap_robots_and_404_use_the_absolute_base_url(site):
    out, server = site
    urls = [u.find(f"{SITEMAP}loc").text for u in ET.parse(out / "sitemap.xml").getroot()]
    html_count = len([p for p in html_pages(out) if p.name != "404.html" and p.parent.name != "search"])
    assert len(urls) == html_count
    assert all(u.startswith(server.base_url) for u in urls)
    assert server.base_url + "articles/xss-test-article/" in urls
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {server.base_url}sitemap.xml" in robots
    links, _ = page_links((out / "404.html").read_text(encoding="utf-8"))
    assert links and all(link.startswith(server.base_url) for link in links if link != "#main")


def test_parallel_build_matches_a_one_process_build(tmp_path, monkeypatch):
    """Two worker processes write exactly what one process writes."""
    one = build(FIXTURE_CONTENT, tmp_path / "one" / "site", jobs=1)
    monkeypatch.setattr(builder, "PARALLEL_MIN_PAGES", 0)   # use the pool even for a small site
    monkeypatch.setattr(builder, "CHUNK_PAGES", 3)
    two = build(FIXTURE_CONTENT, tmp_path / "two" / "site", jobs=2)
    assert one.ok and two.ok
    assert tree_bytes(tmp_path / "one" / "site") == tree_bytes(tmp_path / "two" / "site")


REAL_CONTENT = REPO / "content"


@pytest.mark.skipif(not any(REAL_CONTENT.glob("*.md")), reason="content/ has not been ingested")
def test_the_real_seed_archive_builds_with_every_link_resolving(tmp_path):
    out = tmp_path / "site"
    from newsarchive.config import load_config
    report = builder.build_site(REAL_CONTENT, out, load_config(REPO / "site.toml"), jobs=2)
    assert report.ok, [str(e) for e in report.errors]
    files = sorted(REAL_CONTENT.glob("*.md"))
    assert len(files) == 29
    slugs = {yaml.safe_load(f.read_text(encoding="utf-8").split("---\n")[1])["slug"] for f in files}
    assert {p.name for p in (out / "articles").iterdir()} == slugs
    assert report.counts["articles"] == 29
    assert len(list((out / "pages").iterdir())) == len(list((REPO / "seeds").glob("*.txt")))
    assert len([p for p in (out / "districts").iterdir() if p.is_dir()]) == 17
    for page in html_pages(out):
        parse(page)
        if page.name == "404.html":
            continue
        links, ids = page_links(page.read_text(encoding="utf-8"))
        for link in links:
            if link.startswith(("http:", "https:")):
                continue
            if link.startswith("#"):
                assert link[1:] in ids, f"{page}: {link}"
                continue
            assert (page.parent / link.split("#")[0].split("?")[0]).resolve().is_file(), f"{page}: {link}"


class _Html:
    """Something that renders itself as HTML (markupsafe's protocol)."""

    def __html__(self) -> str:
        return "<b>as it says</b>"


class _Text(str):
    """A str subclass without __html__."""


@pytest.mark.parametrize("value", ["plain", "<a href='x'>&\"</a>", "工会<职工>", "", 49, 3.5, None,
                                   Markup("<i>kept</i>"), _Html(), _Text("<sub>")])
def test_printed_values_are_escaped_as_markupsafe_escapes_them(value):
    assert html_text(value) == str(escape(value))
    assert type(html_text(value)) in (str, Markup)


def test_templates_print_through_html_text():
    """The compiled templates call html_text (a Jinja that stopped calling the code generator's
    hook would compile them to markupsafe's escape again) and print the same text."""
    renderer = Renderer(Theme.of())
    assert "html_text(" in renderer.env.compile("<p>{{ x }}</p>", raw=True)
    template = renderer.env.from_string("<p>{{ x }}{{ y }}{% set z %}{{ x }}{% endset %}{{ z }}</p>")
    assert template.render(x="<i>&", y=Markup("<br>")) == "<p>&lt;i&gt;&amp;<br>&lt;i&gt;&amp;</p>"
