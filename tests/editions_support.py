"""A small made-up dated archive for the edition tests: a year end, a month end, a day whose
第3版 is missing, a single-page edition, pages dated by their file names and by pages.toml
(which wins where both speak), an issue number, an article on no page, and two undated pages.

The articles are invented in the paper's style; none is copied from a real page.
"""
from __future__ import annotations

from pathlib import Path

# (page stem, position, slug, title, reporters, date written in the front matter or None)
ARTICLES = [
    ("p1230a", 1, "nian-zhong-zong-jie-hui", "市总工会召开年终工作总结会", ["林森"], "2020-12-30"),
    ("p1230a", 2, "dong-ji-zhi-gong-yun-dong-hui", "冬季职工运动会开幕", ["林森", "何青"], "2020-12-30"),
    ("p1230b", 1, "song-wen-nuan-ru-hu", "送温暖活动走进百户职工家庭", [], "2020-12-30"),
    # dated by their file names only (ingest would copy the date; here the build finds it)
    ("2020-12-31_01", 1, "kua-nian-zhi-ban-zhi-gong", "跨年值班职工收到慰问", ["周禾"], None),
    ("2020-12-31_02", 1, "xin-nian-shu-hua-zhan", "新年职工书画展开展", [], None),
    ("20210104-01", 1, "xin-nian-di-yi-ke", "新年第一课聚焦安全生产", ["唐果"], "2021-01-04"),
    ("p0131a", 1, "yue-mo-ji-neng-da-sai", "月末技能大赛决出十名能手", ["许言", "宋溪", "白桦", "邵阳"], "2021-01-31"),
    ("p0131b", 1, "kuai-di-xiao-ge-ru-hui", "快递小哥集中入会", ["许言"], "2021-01-31"),
    ("p0131b", 2, "si-ji-zhi-jia-kai-fang", "司机之家开放", ["宋溪"], "2021-01-31"),
    ("p0131d", 1, "wen-hua-zhou-kan-cha-hua", "插画里的劳动者", [], "2021-01-31"),
    ("2021-02-01_01", 1, "er-yue-kai-pian", "二月开篇：工会服务再提速", ["林森"], "2021-02-01"),
    ("2021-02-01_05", 1, "chun-jie-qian-de-song-wen-nuan", "春节前的送温暖", ["何青"], "2021-02-01"),
    ("", 1, "hao-wai-gong-gao", "号外：职工服务热线开通", [], "2021-02-01"),
    ("010_9f8e7d6c5b4a3921", 1, "wu-ri-qi-er", "无日期版面上的第二篇报道", ["周禾"], None),
    ("002_1a2b3c4d5e6f7081", 1, "wu-ri-qi-yi", "无日期版面上的头条报道", [], None),
    ("002_1a2b3c4d5e6f7081", 2, "wu-ri-qi-yi-ci-tiao", "无日期版面上的次条", [], None),
]

PAGES_TOML = """\
# Made-up page metadata (see tests/editions_support.py).
[p1230a]
date = 2020-12-30
number = 1
name = "要闻"

[p1230b]
date = 2020-12-30
number = 2
name = "综合新闻"

["2020-12-31_02"]
name = "文化周刊"

[p0131a]
date = 2021-01-31
number = 1
name = "要闻"
issue = 1201

[p0131b]
date = 2021-01-31
number = 2
issue = 1201

[p0131d]
date = 2021-01-31
number = 4
name = "文化周刊"
issue = 1201

["2021-02-01_05"]
number = 2
name = "综合新闻"
"""

STEMS = sorted({stem for stem, *_ in ARTICLES if stem})


def write_dated_archive(content: Path) -> Path:
    """Write the made-up archive's articles and pages.toml into `content`."""
    content.mkdir(parents=True, exist_ok=True)
    for stem, position, slug, title, reporters, date in ARTICLES:
        lines = ["---", f"title: {title}", "kind: news", f"reporters: [{', '.join(reporters)}]",
                 "correspondents: []", "photographers: []", "districts: []", "tags: []"]
        if stem:
            lines += [f"page: {stem}", f"position: {position}"]
        lines.append(f"slug: {slug}")
        if date:
            lines.append(f"date: {date}")
        lines += ["---", f"本报讯 {title}。这是为测试编写的虚构报道，第一段交代事由和时间。", "",
                  "第二段写参加的人和他们说的话。", ""]
        (content / f"{slug}.md").write_text("\n".join(lines), encoding="utf-8")
    (content / "pages.toml").write_text(PAGES_TOML, encoding="utf-8")
    return content
