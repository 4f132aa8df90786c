"""Editions: page dates and 版次 from pages.toml and file names, the back-issue index, years as
calendars, one day's edition, 上一期/下一期 and 上一版/下一版 across month and year ends, page
labels without stems, JSON-LD issues, GB/T 7714 citations, and the seed build without stems."""
from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import tomllib
from pathlib import Path

import html5lib
import pytest

from editions_support import STEMS, write_dated_archive
from newsarchive.builder import build_site
from newsarchive.config import SiteConfig, load_config
from newsarchive.content.load import load_content
from newsarchive.content.pages import PageMeta, load_pages_meta, page_meta, plain_pages_toml, stem_meta
from newsarchive.errors import ArchiveError
from newsarchive.ingest.pipeline import run_ingest
from newsarchive.model import build_model
from newsarchive.views import gbt7714_newspaper
from newsarchive.vocab import Vocabulary
from site_support import FIXTURE_CONTENT, REPO, build

SEED_STEMS = sorted(p.stem for p in (REPO / "seeds").glob("*.txt"))


def parse(path: Path):
    """An HTML page as an element tree (strict HTML5)."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(path.read_bytes(), transport_encoding="utf-8")


def text_of(element) -> str:
    """All text inside an element."""
    return "".join(element.itertext())


def turns(tree) -> dict[str, tuple[str, str]]:
    """The page's steps (上一版, 下一期 …) as kind -> (label, href)."""
    found = {}
    for li in tree.findall(".//nav[@class='neighbours']/ul/li"):
        link = li.find("a")
        if link is not None:
            found[text_of(li.find("span"))] = (text_of(link), link.get("href"))
    return found


def jsonld(tree) -> dict:
    """The page's one JSON-LD object."""
    scripts = tree.findall(".//script[@type='application/ld+json']")
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    """The made-up dated archive, built."""
    root = tmp_path_factory.mktemp("dated")
    content = write_dated_archive(root / "content")
    report = build(content, root / "site")
    assert report.ok, [str(e) for e in report.errors]
    return root / "site"


# --- page metadata ------------------------------------------------------------------------

@pytest.mark.parametrize("stem, date, number", [
    ("2021-03-12_03", dt.date(2021, 3, 12), 3),
    ("20210312-03", dt.date(2021, 3, 12), 3),
    ("2021-03-12", dt.date(2021, 3, 12), None),
    ("20210312_12", dt.date(2021, 3, 12), 12),
    ("000_64f2a29f122b40da", None, None),   # the seeds: an order and a hash, no date
    ("20211332-01", None, None),            # no 13th month: not a date, and none is guessed
    ("2021-0312_03", None, None),           # mixed forms
    ("12345678-01", None, None),            # a number, not a year
    ("10000101-01", None, None),            # a counter that happens to spell a date long before print
    ("2021-03-12_03_extra", None, None),
    ("2021-03-12_00", dt.date(2021, 3, 12), None),
])
def test_file_names_give_a_date_and_number_only_when_they_spell_them(stem, date, number):
    meta = stem_meta(stem)
    assert (meta.date, meta.number) == (date, number)


def test_pages_toml_wins_over_the_file_name_field_by_field(tmp_path):
    (tmp_path / "pages.toml").write_text(
        '["2021-03-12_03"]\nnumber = 5\nname = "要闻"\n\n["20210312-04"]\ndate = 2021-03-13\n', encoding="utf-8")
    table = load_pages_meta(tmp_path / "pages.toml")
    assert page_meta("2021-03-12_03", table) == PageMeta(dt.date(2021, 3, 12), 5, "要闻")
    assert page_meta("20210312-04", table) == PageMeta(dt.date(2021, 3, 13), 4, None)
    assert page_meta("003_31f1b2df397274cc", table) == PageMeta()


def test_one_date_with_two_issue_numbers_is_refused_with_its_line(tmp_path):
    path = tmp_path / "pages.toml"
    path.write_text('[a]\ndate = 2021-03-12\nissue = 7\n\n[b]\ndate = 2021-03-12\nissue = 8\n', encoding="utf-8")
    with pytest.raises(ArchiveError) as caught:
        load_pages_meta(path)
    assert caught.value.line == 5 and "issue" in str(caught.value)


MADE_UP_PAGE = """贯彻落实北京市工会十五大精神

区工会为快递员送上热饮
本报讯（记者 林森）近日，某区总工会在三个驿站为快递员送上热饮和暖手宝，并介绍了入会办法。

活动还设立了咨询台，为快递员解答劳动合同方面的疑问。
"""


def test_ingest_dates_articles_from_the_file_name(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "2021-03-12_03.txt").write_text(MADE_UP_PAGE, encoding="utf-8")
    (seeds / "20210313-01.txt").write_text(MADE_UP_PAGE.replace("热饮", "午餐"), encoding="utf-8")
    (seeds / "pages.toml").write_text('["20210313-01"]\ndate = 2021-03-14\n', encoding="utf-8")
    report = run_ingest(seeds, tmp_path / "content", verbose=False)
    assert report.ok and report.written == 2
    dates = sorted(re.search(r"^date: (.*)$", p.read_text(encoding="utf-8"), re.M)[1]
                   for p in (tmp_path / "content").glob("*.md"))
    assert dates == ["2021-03-12", "2021-03-14"]   # pages.toml wins over 20210313


# --- the model ----------------------------------------------------------------------------

def test_two_pages_with_one_date_and_number_are_refused(tmp_path):
    content = write_dated_archive(tmp_path / "content")
    text = (content / "pages.toml").read_text(encoding="utf-8")
    (content / "pages.toml").write_text(text.replace("number = 4", "number = 2"), encoding="utf-8")
    loaded = load_content(content, {}, 1)
    with pytest.raises(ArchiveError) as caught:
        build_model(loaded.articles, SiteConfig(), Vocabulary.read(), loaded.pages)
    assert "p0131b" in str(caught.value) and "p0131d" in str(caught.value) and "第2版" in str(caught.value)
    report = build(content, tmp_path / "site")
    assert not report.ok and not (tmp_path / "site").exists()


def test_undated_pages_are_labelled_by_their_order_and_first_headline(dated):
    titles = {text_of(parse(p).find(".//title")) for p in (dated / "pages").glob("*/index.html")}
    assert "未注明日期 版面1：无日期版面上的头条报道等 - 北京工会报 · 测试档案" in titles   # 002_… before 010_…
    assert "未注明日期 版面2：无日期版面上的第二篇报道 - 北京工会报 · 测试档案" in titles


def test_every_newspaper_page_title_is_unique_and_carries_its_date(dated):
    titles = [text_of(parse(p).find(".//title")) for p in sorted((dated / "pages").glob("*/index.html"))]
    assert len(titles) == len(STEMS) and len(set(titles)) == len(titles)
    dated_titles = [t for t in titles if not t.startswith("未注明日期")]
    assert len(dated_titles) == 10
    assert all(re.match(r"\d{4}年\d{1,2}月\d{1,2}日 第\d版", t) for t in dated_titles), dated_titles
    assert "2021年2月1日 第2版 · 综合新闻 - 北京工会报 · 测试档案" in titles  # pages.toml's 2, not the name's 5


# --- pages --------------------------------------------------------------------------------

def test_back_issue_index_lists_the_years_with_counts_and_the_undated_pages(dated):
    tree = parse(dated / "editions/index.html")
    items = tree.findall(".//ul[@class='year-list year-list-full']/li")
    years = [(text_of(li.find("a")), li.find("a").get("href"), text_of(li.find("span"))) for li in items]
    assert years == [("2021年", "../editions/2021/index.html", "3期 · 8篇"),
                     ("2020年", "../editions/2020/index.html", "2期 · 5篇"),
                     ("未注明日期", "../editions/index.html#undated", "2个版面 · 3篇")]
    months = [[(text_of(a), a.get("href")) for a in li.findall("span[@class='months']/a")] for li in items]
    assert months == [[("1月", "../editions/2021/index.html#2021-01"), ("2月", "../editions/2021/index.html#2021-02")],
                      [("12月", "../editions/2020/index.html#2020-12")], []]
    undated = [text_of(a) for a in tree.findall(".//section[@id='undated']//li/a")]
    assert undated == ["未注明日期 版面1：无日期版面上的头条报道等", "未注明日期 版面2：无日期版面上的第二篇报道"]


def test_a_year_is_twelve_monday_first_calendars_linking_only_edition_days(dated):
    tree = parse(dated / "editions/2021/index.html")
    months = tree.findall(".//table[@class='calendar']")
    assert [m.get("id") for m in months] == [f"2021-{n:02d}" for n in range(1, 13)]
    february = months[1]
    assert [text_of(th) for th in february.findall(".//th")] == list("一二三四五六日")
    rows = february.findall(".//tbody/tr")
    assert all(len(row.findall("td")) == 7 for row in rows)
    assert text_of(rows[0].findall("td")[0]) == "1"     # 2021-02-01 was a Monday
    january = months[0]
    assert [text_of(td) for td in january.findall(".//tbody/tr")[0]] == ["", "", "", "", "1", "2", "3"]
    links = {text_of(a): a.get("href") for a in tree.findall(".//table[@class='calendar']//a")}
    assert links == {"4": "../../editions/2021-01-04/index.html", "31": "../../editions/2021-01-31/index.html",
                     "1": "../../editions/2021-02-01/index.html"}
    assert turns(tree) == {"上一年": ("2020年", "../../editions/2020/index.html")}


def test_an_edition_lists_its_pages_in_print_order_with_their_articles(dated):
    tree = parse(dated / "editions/2021-01-31/index.html")
    assert text_of(tree.find(".//h1")) == "2021年1月31日 星期日"
    sections = tree.findall(".//section[@class='edition-page']")
    assert [text_of(s.find("h2")) for s in sections] == ["第1版 · 要闻", "第2版", "第4版 · 文化周刊"]
    assert [s.get("id") for s in sections] == ["p1", "p2", "p4"]
    first = sections[0].find(".//li")
    assert text_of(first.find("a")) == "月末技能大赛决出十名能手"
    assert text_of(first.find("span[@class='people']")) == "许言 宋溪 白桦 邵阳"
    assert text_of(tree.find(".//p[@class='list-note']")).startswith("第1201期")
    month = tree.find(".//p[@class='list-kind']/a")
    assert month.get("href") == "../../editions/2021/index.html#2021-01" and text_of(month) == "2021年1月"
    crumbs = [(text_of(li), (li.find("a").get("href") if li.find("a") is not None else ""))
              for li in tree.findall(".//nav[@class='breadcrumbs']//li")]
    assert crumbs == [("首页", "../../index.html"), ("2021年", "../../editions/2021/index.html#2021-01"),
                      ("1月31日", "")]


def test_an_article_on_no_page_shows_in_its_dates_edition(dated):
    tree = parse(dated / "editions/2021-02-01/index.html")
    others = tree.find(".//section[@id='others']")
    assert [text_of(a) for a in others.findall(".//a")] == ["号外：职工服务热线开通"]


@pytest.mark.parametrize("edition, previous, following", [
    ("2020-12-30", None, ("2020年12月31日", "2020-12-31")),
    ("2020-12-31", ("2020年12月30日", "2020-12-30"), ("2021年1月4日", "2021-01-04")),     # a year end
    ("2021-01-04", ("2020年12月31日", "2020-12-31"), ("2021年1月31日", "2021-01-31")),
    ("2021-01-31", ("2021年1月4日", "2021-01-04"), ("2021年2月1日", "2021-02-01")),       # a month end
    ("2021-02-01", ("2021年1月31日", "2021-01-31"), None),
])
def test_previous_and_next_issue_cross_month_and_year_ends(dated, edition, previous, following):
    found = turns(parse(dated / f"editions/{edition}/index.html"))
    expected = {}
    if previous:
        expected["上一期"] = (previous[0], f"../../editions/{previous[1]}/index.html")
    if following:
        expected["下一期"] = (following[0], f"../../editions/{following[1]}/index.html")
    assert found == expected


@pytest.mark.parametrize("page, previous, following", [
    ("2020-12-31-2", ("上一版", "第1版", "2020-12-31-1"), ("下一期", "2021年1月4日", None)),       # year end
    ("2021-01-04-1", ("上一期", "2020年12月31日", None), ("下一期", "2021年1月31日", None)),       # single page
    ("2021-01-31-1", ("上一期", "2021年1月4日", None), ("下一版", "第2版", "2021-01-31-2")),
    ("2021-01-31-2", ("上一版", "第1版 · 要闻", "2021-01-31-1"), ("下一版", "第4版 · 文化周刊", "2021-01-31-4")),
    ("2021-01-31-4", ("上一版", "第2版", "2021-01-31-2"), ("下一期", "2021年2月1日", None)),        # no 第3版; month end
    ("2021-02-01-1", ("上一期", "2021年1月31日", None), ("下一版", "第2版 · 综合新闻", "2021-02-01-2")),
])
def test_previous_and_next_page_stay_in_the_edition_and_then_name_the_issue(dated, page, previous, following):
    found = turns(parse(dated / f"pages/{page}/index.html"))
    expected = {}
    for kind, label, target in (previous, following):
        if kind.endswith("期"):
            date = dt.date(*map(int, re.findall(r"\d+", label)))
            expected[kind] = (label, f"../../editions/{date.isoformat()}/index.html")
        else:
            expected[kind] = (label, f"../../pages/{target}/index.html")
    assert found == expected


def test_undated_pages_step_among_themselves(dated):
    pages = {text_of(parse(p).find(".//h1")): p for p in (dated / "pages").glob("*/index.html")}
    first, second = pages["未注明日期 版面1"], pages["未注明日期 版面2"]
    assert turns(parse(first)) == {"下一版": ("版面2", "../../" + second.relative_to(dated).as_posix())}
    assert turns(parse(second)) == {"上一版": ("版面1", "../../" + first.relative_to(dated).as_posix())}


def test_newspaper_pages_and_articles_carry_the_date_linked_to_the_edition(dated):
    page = parse(dated / "pages/2021-01-31-4/index.html")
    assert text_of(page.find(".//h1")) == "2021年1月31日 第4版 · 文化周刊"
    assert page.find(".//h1/a").get("href") == "../../editions/2021-01-31/index.html"
    article = parse(dated / "articles/kuai-di-xiao-ge-ru-hui/index.html")
    crumbs = [(text_of(li), li.find("a").get("href") if li.find("a") is not None else "")
              for li in article.findall(".//nav[@class='breadcrumbs']//li")]
    assert crumbs == [("首页", "../../index.html"), ("2021年", "../../editions/2021/index.html#2021-01"),
                      ("1月31日", "../../editions/2021-01-31/index.html"),
                      ("第2版", "../../pages/2021-01-31-2/index.html"), ("快递小哥集中入会", "")]
    dateline = article.findall(".//p[@class='dateline']/a")
    assert [(text_of(a), a.get("href")) for a in dateline] == [
        ("2021年1月31日", "../../editions/2021-01-31/index.html"), ("第2版", "../../pages/2021-01-31-2/index.html")]
    # A date shown in a list links to its edition, at the article's page.
    listing = parse(dated / "people/xu-yan/index.html")
    assert {(text_of(a), a.get("href")) for a in listing.findall(".//ul[@class='teasers']/li/p/a")} == {
        ("2021-01-31 第1版 · 要闻", "../../editions/2021-01-31/index.html#p1"),
        ("2021-01-31 第2版", "../../editions/2021-01-31/index.html#p2")}


def test_an_article_dated_by_its_file_name_is_in_that_issue(dated):
    article = parse(dated / "articles/kua-nian-zhi-ban-zhi-gong/index.html")
    assert jsonld(article)["datePublished"] == "2020-12-31"
    assert text_of(article.find(".//section[@class='cite']/p")) == \
        "周禾. 跨年值班职工收到慰问[N]. 北京工会报, 2020-12-31(1)."


def test_front_page_shows_the_latest_edition_its_month_and_the_years(dated):
    tree = parse(dated / "index.html")
    latest = tree.find(".//section[@aria-labelledby='latest-edition']")
    assert latest.find(".//h2/a").get("href") == "editions/2021-02-01/index.html"
    cards = latest.findall(".//li[@class='page-card']")
    assert [text_of(c.find("h3")) for c in cards] == ["第1版", "第2版 · 综合新闻", "未注明版面"]
    month = tree.find(".//table[@class='calendar']")
    assert text_of(month.find("caption/a")) == "2021年2月"
    assert [a.get("href") for a in month.findall(".//td/a")] == ["editions/2021-02-01/index.html"]
    years = [text_of(a) for a in tree.findall(".//ul[@class='year-list']/li/a")]
    assert years == ["2021年", "2020年", "未注明日期"]
    headlines = [text_of(a) for a in latest.findall(".//li/a")]
    assert len(headlines) == len(set(headlines)) == 3    # the edition once; no other list repeats it
    assert tree.find(".//ul[@class='teasers']") is None


def test_json_ld_of_editions_and_articles_names_the_issue(dated):
    issue = jsonld(parse(dated / "editions/2021-01-31/index.html"))
    assert issue == {"@context": "https://schema.org", "@type": "PublicationIssue",
                     "@id": "https://example.org/archive/editions/2021-01-31/#issue",
                     "url": "https://example.org/archive/editions/2021-01-31/",
                     "datePublished": "2021-01-31", "issueNumber": "1201",
                     "isPartOf": {"@type": "Periodical", "name": "北京工会报"}}
    assert "issueNumber" not in jsonld(parse(dated / "editions/2021-02-01/index.html"))   # not known
    article = jsonld(parse(dated / "articles/si-ji-zhi-jia-kai-fang/index.html"))
    assert article["isPartOf"] == {"@type": "PublicationIssue", "@id": issue["@id"]}
    assert article["datePublished"] == "2021-01-31" and article["printPage"] == "2"
    undated = jsonld(parse(dated / "articles/wu-ri-qi-yi/index.html"))
    assert "isPartOf" not in undated and "datePublished" not in undated


# --- citations ----------------------------------------------------------------------------

def test_citation_of_a_fixture_article_is_the_gbt7714_newspaper_form(tmp_path):
    out = tmp_path / "site"
    assert build(FIXTURE_CONTENT, out).ok
    cite = parse(out / "articles/chao-yang-qu-ju-ban-chan-ye-gong-ren/index.html").find(".//section[@class='cite']")
    paragraphs = [text_of(p) for p in cite.findall("p")]
    assert paragraphs == ["刘欣欣. 朝阳区举办产业工人队伍建设改革博览会[N]. 北京工会报, 2024-11-20(3).",
                          "https://example.org/archive/articles/chao-yang-qu-ju-ban-chan-ye-gong-ren/"]
    three = parse(out / "articles/shou-du-gong-jiang-xue-yuan-ji-neng-jing-sai/index.html")
    assert text_of(three.find(".//section[@class='cite']/p")) == \
        "陈曦, 赵娟, 王蕾. 首都工匠学院开展技能竞赛集训[N]. 北京工会报, 2024-11-18(1)."
    undated = parse(out / "articles/zhi-gong-tu-bu-huo-dong/index.html")
    assert text_of(undated.find(".//section[@class='cite']/p")) == "段妍. 职工徒步活动强健体魄[N]. 北京工会报."


def test_citation_with_more_than_three_authors_and_unknown_parts():
    assert gbt7714_newspaper(("许言", "宋溪", "白桦", "邵阳"), "月末技能大赛", "北京工会报", "2021-01-31", 1) == \
        "许言, 宋溪, 白桦, 等. 月末技能大赛[N]. 北京工会报, 2021-01-31(1)."
    assert gbt7714_newspaper((), "插画里的劳动者", "", "2021-01-31", None) == "插画里的劳动者[N]. 2021-01-31."
    assert gbt7714_newspaper(("林森",), "无日期", "北京工会报", "", 3) == "林森. 无日期[N]. 北京工会报."


def test_citation_on_the_made_up_archive_counts_four_authors_as_three_and_more(dated):
    cite = parse(dated / "articles/yue-mo-ji-neng-da-sai/index.html").find(".//section[@class='cite']/p")
    assert text_of(cite) == "许言, 宋溪, 白桦, 等. 月末技能大赛决出十名能手[N]. 北京工会报, 2021-01-31(1)."


# --- the seed build: no stems, no empty feed ----------------------------------------------

REAL_CONTENT = REPO / "content"


@pytest.mark.skipif(not any(REAL_CONTENT.glob("*.md")), reason="content/ has not been ingested")
def test_no_page_stem_is_shown_anywhere_in_the_seed_build(tmp_path):
    out = tmp_path / "site"
    report = build_site(REAL_CONTENT, out, load_config(REPO / "site.toml"), jobs=1)
    assert report.ok, [str(e) for e in report.errors]
    assert len(SEED_STEMS) == 5
    texts = {}
    for path in sorted(out.rglob("*")):
        if path.suffix in (".html", ".xml", ".json", ".txt"):
            texts[path] = path.read_text(encoding="utf-8")
        elif path.name.endswith(".json.gz"):    # the search catalog and shards: labels shown in results
            texts[path] = gzip.decompress(path.read_bytes()).decode("utf-8")
    assert any(p.name == "catalog.json.gz" for p in texts) and len(texts) > 60
    for path, text in texts.items():
        for stem in SEED_STEMS:
            assert stem not in text and stem.split("_")[1] not in text, f"{path} shows {stem}"
    titles = [text_of(parse(p).find(".//title")) for p in (out / "pages").glob("*/index.html")]
    assert len(set(titles)) == 5 and all(t.startswith("未注明日期 版面") for t in titles)
    # No article is dated: no feed, and no page links to one.
    assert not (out / "feed.xml").exists()
    for path, text in texts.items():
        assert "feed.xml" not in text and "1970" not in text, path
    assert (out / "editions/index.html").is_file() and not any(p.is_dir() for p in (out / "editions").iterdir())


PLAIN_TOML = [
    '["003_31f1b2df397274cc"]\ndate = 2024-11-20\nnumber = 3\nname = "要闻"\n',
    '# a comment\n\n[p1]\r\ndate=2021-03-12\r\nnumber = +7\r\nissue = 12345\n  [ "p-2" ]  \n  name = ""\n',
    '[a]\n[b]\nnumber = 0\n',
    '',
]
NOT_PLAIN_TOML = [
    '[a]\nnumber = 1_000\n',                 # an integer with underscores
    '[a]\nname = "要\\u95fb"\n',              # an escape
    '[a]\nnumber = 3  # front page\n',       # a comment after the value
    '[a]\ndate = 2021-03-12T08:00:00\n',     # a date with a time
    '[a.b]\nnumber = 1\n',                   # a dotted table
    '[[a]]\nnumber = 1\n',                   # an array of tables
    'number = 1\n[a]\n',                     # a key outside every table
    '[a]\nnumber = 1\n[a]\nnumber = 2\n',    # a table twice
    '[a]\nnumber = 1\nnumber = 2\n',         # a key twice
    '[a]\nnumber = 012\n',                   # a leading zero (tomllib refuses it)
    '[a]\ndate = 2021-02-30\n',              # no such day (tomllib refuses it)
    "[a]\nname = '要闻'\n",                   # a literal string
]


@pytest.mark.parametrize("text", PLAIN_TOML)
def test_plain_pages_toml_reads_as_tomllib_reads(text):
    assert plain_pages_toml(text) == tomllib.loads(text)


@pytest.mark.parametrize("text", NOT_PLAIN_TOML)
def test_other_toml_is_left_to_tomllib(text):
    assert plain_pages_toml(text) is None
