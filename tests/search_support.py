"""Helpers for the search tests: find node (fail under CI, skip locally) and run JS with it."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "newsarchive" / "themes" / "default" / "static"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def in_ci() -> bool:
    """True when running under CI (env CI=true), where missing tools must fail, not skip."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_tool(path_or_name: str, what: str) -> str:
    """The tool's path; fails under CI and skips locally when it is missing."""
    found = path_or_name if os.path.isabs(path_or_name) and os.access(path_or_name, os.X_OK) \
        else shutil.which(path_or_name)
    if not found:
        message = f"{what} not found ({path_or_name})"
        if in_ci():
            pytest.fail(message + " - CI must install it")
        pytest.skip(message)
    return found


def run_node(script: str, payload: object, timeout: float = 120) -> object:
    """Run a node script with `payload` as JSON on stdin; return its stdout parsed as JSON."""
    node = require_tool("node", "node.js")
    proc = subprocess.run([node, "-e", script], input=json.dumps(payload, ensure_ascii=False),
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout,
                          cwd=ROOT)
    if proc.returncode != 0:
        raise AssertionError(f"node failed ({proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout)


def read_search_json(path: Path) -> object:
    """A search file as written (gzip-compressed JSON), decompressed and parsed."""
    return json.loads(gzip.decompress(Path(path).read_bytes()).decode("utf-8"))


# ---- search fixtures and the oracle the node/browser results are checked against ----------

def seed_paragraphs() -> list[str]:
    """Paragraphs of the real seed pages (lines of 20+ characters)."""
    out = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        out += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if len(line.strip()) >= 20]
    return out


HOSTILE_TITLE = '<img src=x onerror=alert(1)>职工"之家"&amp;'


def fixture_facets():
    """The taxonomies of the fixture archives: districts and tags (filters, with the engine's
    aliases), people (names only); as the builder makes them from the vocabulary."""
    from newsarchive.search import Facet
    from newsarchive.vocab import Vocabulary
    vocab = Vocabulary.read()
    return [
        Facet("districts", "地区", tuple(d.name for d in vocab.districts),
              {d.name: tuple(dict.fromkeys(a for a in (d.short, *d.aliases) if a and a != d.name))
               for d in vocab.districts}, filter=True),
        Facet("tags", "标签", tuple(t.term for t in vocab.tags), {t.term: t.aliases for t in vocab.tags}, filter=True),
        Facet("people", "人物", ()),
    ]


def make_doc(i: int, title: str, body: str, districts=(), tags=(), people=(), kicker: str = "", subtitle: str = "",
             date: str | None = None, order: int | None = None, prefix: str = "fixture"):
    """One SearchDoc of a fixture archive."""
    from newsarchive.search import SearchDoc
    return SearchDoc(
        ref=f"{prefix}-{i}", url=f"articles/{prefix}-{i}/index.html", title=title, kicker=kicker, subtitle=subtitle,
        body=body, names={"districts": tuple(districts), "tags": tuple(tags), "people": tuple(people)},
        date=date, page=f"p{i // 3}", page_label=f"第{i % 8 + 1}版", position=i % 3 + 1,
        content_hash=f"hash-{prefix}-{i}", order=i if order is None else order)


def fixture_docs():
    """A small archive: seed text plus titles and bodies that test astral characters, hostile
    HTML, Latin, digits, quotes and names deep in a body."""
    paras = seed_paragraphs()
    specs = [
        # (title, kicker, subtitle, body, districts, tags, people)
        ("朝阳区举办产业工人队伍建设改革博览会", "", "发布19万字“产改”图书", paras[3] + "\n" + paras[4],
         ("朝阳区",), ("产业工人队伍建设改革",), ("刘欣欣",)),
        ("首都工匠学院开班", "深化产业工人队伍建设改革", "", paras[10], (), ("工匠学院",), ("陈曦", "赵娟")),
        (HOSTILE_TITLE, "", "", paras[20], ("海淀区",), (), ()),
        ("新𠀀字与职工😀之家", "", "", paras[30], (), ("职工之家",), ("段妍",)),
        ("SMC公司举办技能大赛", "", "", "本届大赛由SMC（中国）有限公司承办。" + paras[40], ("经开区",), ("劳动和技能竞赛",), ()),
        ("暖心驿站温暖户外劳动者", "", "", paras[50] + "暖", ("东城区",), ("送温暖",), ("马超",)),
        ("全市职工技能竞赛", "", "", "\n".join(paras[60:66]) + "\n获奖者孟大鹏表示，将继续钻研技术。", (), (), ("孙妍",)),
        ("2024年职工运动会开幕", "", "", "2024年职工运动会在京开幕。" + paras[70], ("朝阳区", "丰台区"), (), ("陈曦",)),
        ("工匠:学院？冒号标题", "", "", paras[80], (), (), ()),
        ("ＳＭＣ全角字母标题", "", "", paras[90], (), (), ()),
    ]
    return [make_doc(i, title, body, districts, tags, people, kicker, subtitle, date=f"2024-11-{i + 1:02d}",
                     order=i * 60)
            for i, (title, kicker, subtitle, body, districts, tags, people) in enumerate(specs)]


def doc_tokens(doc, facets) -> set[str]:
    """Every search token of an article: headline group, body, and its names with their aliases."""
    from newsarchive.search.index import headline_text, name_texts
    from newsarchive.text.segment import segment
    tokens = set(segment(headline_text(doc)) + segment(doc.body))
    for facet in facets:
        for name in doc.names.get(facet.key, ()):
            for text in name_texts(facet, name):
                tokens.update(segment(text))
    return tokens


def doc_pinyin(doc, facets) -> list[str]:
    """The pinyin keys of an article's title and of its names (not of their aliases)."""
    from newsarchive.text.pinyin import pinyin_keys
    keys = pinyin_keys(doc.title)
    for facet in facets:
        for name in doc.names.get(facet.key, ()):
            keys += pinyin_keys(name)
    return keys


def expected_docs(docs, query: str, facets=None) -> list:
    """The articles a query must find (strictly), computed from the data, not from the index:
    with Han terms, those holding every bigram and number and, for each single character, a
    token that starts with it, anywhere in the headline group, body or names (with aliases);
    otherwise those holding any of the query's words, or a pinyin key of the title or names
    (not aliases) that starts with one of the query's pinyin keys."""
    from newsarchive.text.segment import query_parts
    facets = fixture_facets() if facets is None else facets
    parts = query_parts(query)
    exact = parts["bigrams"] + parts["numbers"]
    found = []
    for doc in docs:
        tokens = doc_tokens(doc, facets)
        if exact or parts["chars"]:
            hit = (all(t in tokens for t in exact)
                   and all(any(t.startswith(c) for t in tokens) for c in parts["chars"]))
        else:
            keys = doc_pinyin(doc, facets)
            hit = (any(w in tokens for w in parts["words"])
                   or any(k.startswith(p) for p in parts["pinyin"] for k in keys))
        if hit:
            found.append(doc)
    return found


def expected_ids(docs, query: str, facets=None) -> set[str]:
    """The urls of expected_docs."""
    return {d.url for d in expected_docs(docs, query, facets)}


def content_docs(content: Path) -> list:
    """SearchDocs read straight from content/*.md (front matter and paragraphs), for oracles
    that must not depend on the site builder's reading of the same files."""
    import yaml
    from newsarchive.search import SearchDoc
    docs = []
    for i, path in enumerate(sorted(content.glob("*.md"))):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
        people = tuple(dict.fromkeys(meta.get("reporters", []) + meta.get("correspondents", [])
                                     + meta.get("photographers", [])))
        docs.append(SearchDoc(
            ref=meta["slug"], url=f"articles/{meta['slug']}/index.html", title=meta["title"],
            kicker=meta.get("kicker", ""), subtitle=meta.get("subtitle", ""), body="\n".join(paragraphs),
            names={"districts": tuple(meta.get("districts", [])), "tags": tuple(meta.get("tags", [])),
                   "people": people},
            date=str(meta["date"]) if meta.get("date") else None, page=meta.get("page", ""),
            page_label="", position=meta.get("position", 0), content_hash=path.name, order=i))
    return docs


def node_search(search_dir: Path, queries: list, docs=None) -> dict:
    """Run queries with the browser's code (search.js + vendored lunr.js) in node; `docs` give
    the body texts the page would read from the article pages."""
    script = (Path(__file__).parent / "search_query.js").read_text(encoding="utf-8")
    script = script.replace("__dirname", json.dumps(str(Path(__file__).parent)))
    bodies = {d.url: d.body for d in docs or []}
    return run_node(script, {"dir": str(search_dir), "queries": queries, "bodies": bodies})


# ---- made-up articles for the quality tests (written for these tests, in the paper's style) --

# (slug, title, kicker, body, districts, tags, people, date)
MADE_UP = [
    ("bei-qi-ji-neng-jing-sai", "北汽集团工会举办职工技能竞赛", "",
     "近日，北汽集团工会举办第五届职工技能竞赛，来自各生产一线的200余名职工参赛。比赛设置钳工、电工等项目。",
     (), ("劳动和技能竞赛",), ("陈曦",), "2024-05-10"),
    ("chao-yang-song-qing-liang", "朝阳区总工会为快递小哥送清凉", "",
     "入夏以来，朝阳区总工会在辖区内设立20个暖心驿站，为快递小哥、外卖骑手等新就业形态劳动者送去清凉饮品。",
     ("朝阳区",), ("新就业形态劳动者", "送温暖"), ("刘欣欣",), "2024-07-02"),
    ("xin-zeng-gong-jiang-xue-yuan", "本市今年新增10家首都工匠学院", "深化产业工人队伍建设改革",
     "记者从北京市总工会获悉，今年本市新增10家首都工匠学院，首都工匠学院总数达到35家。新增的工匠学院覆盖制造、建筑、交通等行业。",
     (), ("工匠学院",), ("陈曦",), "2024-03-15"),
    ("hai-dian-lao-dong-jing-sai", "海淀区开展劳动竞赛 5200多人参与", "",
     "海淀区总工会组织开展重点工程劳动竞赛，全区共有5200多人参与，比上年增加了800人。",
     ("海淀区",), ("劳动和技能竞赛",), ("赵娟",), "2023-09-20"),
    ("tong-zhou-zhi-gong-zhi-jia", "通州区职工之家建设提质增效", "",
     "通州区总工会推进职工之家建设，2023年新建职工之家30家，惠及职工5200名。",
     ("通州区",), ("职工之家",), ("马超",), "2023-06-11"),
    ("lao-mo-biao-zhang", "2023年首都劳模表彰大会召开", "",
     "2023年首都劳模表彰大会在京召开，表彰了一批在各条战线作出突出贡献的劳模工匠。",
     (), ("劳模工匠", "表彰"), ("宗晓畅",), "2023-04-28"),
    ("zhi-gong-shu-wu", "职工书屋里书香浓", "",
     "丰台区一家物流企业建起阅览室，藏书3000册，职工下班后常来这里读书。",
     ("丰台区",), ("职工文化",), ("孙妍",), "2022-11-05"),
    ("qi-ye-wen-hua-jian-wen", "企业文化建设见闻", "",
     "走进这家企业，职工书屋、健身房一应俱全，职工书屋成为青年职工喜爱的去处。",
     (), ("职工文化",), ("段妍",), "2024-08-20"),
    ("han-dong-song-wen-nuan", "寒冬送温暖 关爱暖人心", "",
     "春节前夕，市总工会走访困难职工，送去米面油等生活用品。",
     (), ("送温暖",), ("边磊",), "2024-01-20"),
    ("hu-wai-xie-jiao-di", "户外劳动者有了歇脚地", "",
     "西城区在街道设立户外劳动者服务驿站，配备饮水机、微波炉和充电设施。",
     ("西城区",), ("新就业形态劳动者",), ("王亚清",), "2022-08-08"),
    ("xin-jiu-ye-ru-hui", "新就业形态劳动者入会集中行动启动", "",
     "本市启动新就业形态劳动者入会集中行动，推动快递员、网约车司机等群体加入工会。",
     (), ("新就业形态劳动者",), ("陈曦",), "2023-03-03"),
    ("chang-ping-quan-yi", "昌平区推动新就业形态劳动者权益保障", "",
     "昌平区总工会聚焦新就业形态劳动者急难愁盼问题，开展法律咨询和技能培训。",
     ("昌平区",), ("新就业形态劳动者",), ("张晶",), "2022-05-16"),
    ("xiang-gang-gong-lian", "香港工會聯合會代表團來京交流", "",
     "香港工會聯合會代表團一行到訪北京市總工會，雙方就職工服務交流經驗。",
     (), (), (), "2024-02-02"),
    ("dong-cheng-wai-mai", "东城区工会为外卖骑手送上暖心礼包", "",
     "东城区总工会为辖区外卖小哥送去冬季保暖用品，让新就业形态劳动者感受到温暖。",
     ("东城区",), ("送温暖", "新就业形态劳动者"), ("孙斌",), "2023-12-22"),
    ("smc-ji-neng-bi-wu", "SMC公司举办2023年度技能比武", "",
     "SMC（中国）有限公司举办2023年度技能比武，共设12个项目，公司工会全程参与组织。",
     ("经开区",), ("劳动和技能竞赛",), ("盛丽",), "2023-10-15"),
    ("jing-jin-ji-jiao-liu", "京津冀青年职工交流活动举行", "",
     "来自京津冀三地的2023届新入职青年职工参加交流活动，今年共有300名青年参加。",
     (), ("京津冀协同发展",), ("张杰",), "2023-07-07"),
    ("yan-qing-bing-xue", "延庆区举办职工冰雪运动会", "",
     "延庆区总工会举办职工冰雪运动会，5200多人次参与冰雪体验活动。",
     ("延庆区",), ("职工文化",), ("陈美伊",), "2024-12-28"),
    ("jian-kuo-hao-biao-ti", HOSTILE_TITLE, "",
     "这是一篇标题里带有尖括号和引号的稿件，页面只能把它当作文字显示。",
     (), ("职工之家",), (), "2022-03-01"),
    ("xin-zi-zhi-gong-zhi-jia", "新𠀀字与职工😀之家", "",
     "职工之家里来了新朋友，大家一起读书、下棋。",
     (), ("职工之家",), ("段妍",), "2022-04-01"),
]
# Year-end meetings of district unions: enough articles with 工会 to page through.
_MEETINGS = [("朝阳区", "2022-12-20"), ("朝阳区", "2023-12-19"), ("朝阳区", "2024-12-18"), ("海淀区", "2022-12-21"),
             ("海淀区", "2023-12-22"), ("丰台区", "2022-12-23"), ("丰台区", "2024-12-20"), ("通州区", "2023-12-26"),
             ("西城区", "2024-12-23"), ("东城区", "2022-12-27"), ("顺义区", "2023-12-28"), ("大兴区", "2024-12-24"),
             ("昌平区", "2022-12-29"), ("房山区", "2023-12-29"), ("密云区", "2024-12-26")]
MADE_UP += [(f"nian-du-gong-zuo-hui-{i}", f"{district}总工会召开{date[:4]}年度工作会", "",
             f"{district}总工会召开年度工作会，总结{date[:4]}年工作成绩，部署来年重点任务。",
             (district,), (), ("宋雨",), date)
            for i, (district, date) in enumerate(_MEETINGS)]


def made_up_docs():
    """The made-up articles as SearchDocs, ordered as the site orders them (by date)."""
    ordered = sorted(MADE_UP, key=lambda a: (a[7], a[0]))
    return [make_doc(i, title, body, districts, tags, people, kicker, date=date, prefix="made-up")
            for i, (slug, title, kicker, body, districts, tags, people, date) in enumerate(ordered)]


def made_up_by_slug():
    """slug -> the SearchDoc url of made_up_docs() (their urls are made-up-<n>)."""
    ordered = sorted(MADE_UP, key=lambda a: (a[7], a[0]))
    return {a[0]: f"articles/made-up-{i}/index.html" for i, a in enumerate(ordered)}


def write_made_up_content(folder: Path) -> None:
    """The made-up articles as content files (front matter and paragraphs), one page per article."""
    import yaml
    folder.mkdir(parents=True, exist_ok=True)
    for n, (slug, title, kicker, body, districts, tags, people, date) in enumerate(MADE_UP):
        front = {"title": title, **({"kicker": kicker} if kicker else {}), "kind": "news",
                 "reporters": list(people), "correspondents": [], "photographers": [],
                 "districts": list(districts), "tags": list(tags), "page": f"made-up-{n:02d}", "position": 1,
                 "slug": slug, "date": date}
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, default_flow_style=None) + "---\n\n"
        (folder / f"{slug}.md").write_text(text + body + "\n", encoding="utf-8")
