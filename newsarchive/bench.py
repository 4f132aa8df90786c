"""Benchmark: generate a synthetic archive of N articles as raw pages, then time the real CLI.

    python -m newsarchive.bench --articles 10000 [--workdir DIR] [--keep] [--jobs J]
                                [--profile seeds|heavy] [--mean-han H] [--generate-only | --ingest-only]

The generator writes raw page text shaped like seeds/*.txt (rubric lines, headline groups of
1-3 lines, datelines, column breaks, picture gaps, photo news, reprints) plus a pages.toml
(4-8 articles a page, one edition of 4-8 pages a day over 2019-2024), from sentences of the
real seed pages recombined with other names, numbers and organisations. Every district and
many township names of the register appear, and tag terms or aliases are planted in headlines.
It is deterministic for a given --seed.

--profile sets how heavy the stories are (PROFILES):

* seeds (default): calibrated so that the ingested archive matches seeds/ as ingest reads
  them, per article: Han characters per body (mean about 470 and a similar skewed spread,
  photo news and reprints included), tags (about 2.3), districts (about 0.5) and people
  credited (about 1.1). Bodies are log-normal in length, drawn from seed sentences that name
  no place (so a story's districts are the one in its headline), and half the dateline
  stories name a district or township in the headline.
* heavy: the generator as it was before (same pages for the same --seed): 1,200 Han
  characters a story, body sentences that name other districts, more bylines with two or
  three names. Per article about 2.5 times the seeds' body length and tags, five times their
  districts and 1.3 times their people; use it to compare with figures measured before.

--mean-han changes only the body length the profile aims at (longer bodies also name more
topics, so tags per article grow with it). After generating, one line compares the archive
with seeds/ (Han characters per body, tags, districts and people per article, share under a
rubric): both are split and classified in this process by ingest's own code, on a fixed
sample of at most 200 generated pages, so it costs about a second at any size.

Each stage runs the real command line (`python -m newsarchive -C WORKDIR ingest|build …`, with
this engine on PYTHONPATH, so an installed wheel benchmarks itself) as a subprocess of
its own, so its wall time and peak RSS are its own: ingest, full build without cache,
no-change rebuild, rebuild after one article was edited, and ingest again with no change.
Peak RSS is the largest single process (os.wait4's ru_maxrss); "tree RSS" is the peak of the
sum over the stage's whole process tree (workers included), sampled from /proc every 20 ms
(never reported below the peak RSS, which a short-lived peak between samples could be). RSS
counts a page shared by forked workers once per process; "tree PSS", the peak of the sum of
proportional set sizes (sampled every 0.2 s), counts it once: the memory the build takes.
A benchmark, not a test: it reports figures and exits non-zero only when a stage fails.
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gzip
import hashlib
import json
import math
import os
import pstats
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .ingest.districts import township_variants
from .ingest.page import balanced_brackets, paragraph_ends

PACKAGE_DIR = Path(__file__).resolve().parent
DATA = PACKAGE_DIR / "data"
SEED_DIR = PACKAGE_DIR / "demo" / "seeds"   # the demo archive's pages (package data)
# The engine the timed commands run: this one, wherever it is (a checkout or an installed wheel).
ENGINE_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    p for p in (str(PACKAGE_DIR.parent), os.environ.get("PYTHONPATH", "")) if p)}
BASE_URL = "https://example.org/archive/"
# The benchmark archive's settings: the demo archive's (site.toml of the repository).
SETTINGS = """title = "北京工会报 · 数字档案"
description = "北京市工会日报版面与文章档案：按版面、区、标签、人物浏览，支持中文与拼音检索。"
language = "zh-CN"
base_url = "https://example.org/archive/"

[paging]
articles_per_page = 100
feed_entries = 50
"""
GIB = 1 << 30
PLAN_NAME = "bench-plan.json"

# ---------------------------------------------------------------------------------------
# Material: what the synthetic pages are made of
# ---------------------------------------------------------------------------------------

# Reporters, correspondents and photographers (the seeds' own names first).
STAFF = """周美玉 马超 陈曦 赵娟 边磊 王亚清 孙艳 张晶 宗晓畅 刘欣欣 孙斌 盛丽 孙妍 段妍 张杰 陈美伊
李明 王芳 张伟 刘洋 陈静 杨帆 赵磊 黄蕾 周涛 吴敏 徐晨 孙悦 马骁 朱婷 胡斌 郭阳 何平 林琳
罗佳 梁爽 宋雨 郑凯 谢楠 韩冰 冯瑶 于洋 董洁 程鹏 曹颖 袁野 许诺 傅强 沈丹 曾琪 彭博 吕萌
苏畅 卢静 蒋涛 蔡琳 贾楠 丁一凡 魏巍 薛冰 余晖 潘悦 杜娟""".split()

# People named in stories; the seeds' names are swapped for these.
NEWSMAKERS = """王建国 李秀英 张立新 刘志强 陈红梅 杨振华 赵永刚 黄丽娟 周海涛 吴春燕 徐卫东 孙玉兰
胡国庆 朱文杰 高淑芬 林志远 何建平 郭晓东 马春生 罗敏 梁国栋 宋丽华 郑海燕 谢志明 韩雪梅
唐建军 冯晓光 于洪波 董立军 萧红 程志刚 曹秀兰 袁文华 邓丽 许国华 傅小平 沈建英 曾宪文""".split()
SEED_PEOPLE = """孟大鹏 胡小宁 程旭东 孟艺兵 杨才胜 王勇 刘钰峰 常洪霞 安春玲 张子康 杨冬梅 薛雪菲 李志东
桂彩丽 王敬东 郑宇 张克斌 杨蓓蓓 姬文革 王雷 纪颖 郭天光 李卫华 吕德成 张双 郭欣彦 任振余""".split()

ORGS = """北京公交集团 北汽集团 北京地铁公司 首发集团 北京城建集团 北京建工集团 市自来水集团 北京燃气集团
北京热力集团 首钢集团 京能集团 北京控股集团 国网北京电力公司 北京联通 三元食品 同仁堂集团 首旅集团
北京保障房中心 中铁六局 中铁建工集团 北京住总集团 北京排水集团 北京环卫集团 北辰集团 首农食品集团
北京二商集团 金隅集团 祥龙公司 北京出版集团 歌华传媒集团 北京邮政 北京铁路局 京投公司 北京祥龙博瑞
北京银行 北京城市排水公司 北京电子控股公司 燕京啤酒集团 北京市政路桥集团 北京首创集团""".split()
SEED_ORGS = sorted("""北京公交集团 北汽集团 北京铁路局 北京地铁公司 首发集团 北京城建集团 市自来水集团 三元食品
北京保障房中心 中铁资本保理公司 中铁六局物贸公司 物贸公司 北京建工城乡集团开发公司 开发公司 京投公司 祥龙公司
北京星宇车科技有限公司""".split(), key=len, reverse=True)

OTHER_CITIES = """山东临沂市 江苏苏州市 浙江杭州市 广东深圳市 四川成都市 湖北武汉市 河南郑州市 福建厦门市
辽宁大连市 陕西西安市 安徽合肥市 湖南长沙市 天津市滨海新区 河北石家庄市 江西南昌市 云南昆明市""".split()
SOURCES = ["中工网", "工人日报", "中工网", "人民网", "新华网"]

RUBRICS = ["深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面", "贯彻落实北京市工会十五大精神",
           "贯彻落实工会十八大精神", "工会重点工作创新案例", "学习贯彻中国工会十八大精神",
           "“产改”进行时", "送温暖在行动", "新春走基层", "劳动者新风采", "职工服务专栏"]
BOX_RUBRICS = ["工会重点工作创新案例", "职工服务专栏", "“产改”进行时"]
SECTIONS = [("北京经验", "他山之石"), ("基层实践", "他山之石"), ("一线声音", "各地动态")]
PAGE_NAMES = ["要闻", "综合新闻", "区县工会", "产业工会", "基层动态", "职工生活", "劳动保障", "文化周刊"]

# Headline phrases per tag: each holds the term or one of its aliases (checked on load).
TAG_PHRASES = {
    "产业工人队伍建设改革": ["深入推进产业工人队伍建设改革", "召开“产改”工作推进会", "举办产业工人队伍建设改革博览会"],
    "工匠学院": ["揭牌首都工匠学院", "推进劳模工匠学院建设", "新建一批工匠学院"],
    "劳动和技能竞赛": ["举办职工职业技能大赛", "开展岗位练兵活动", "举行技能竞赛决赛", "开展劳动竞赛"],
    "创新工作室": ["为职工创新工作室授牌", "成立创新工作室联盟", "命名一批劳模创新工作室"],
    "劳模工匠": ["召开劳模座谈会", "举办首都工匠事迹报告会", "开展大国工匠进企业活动"],
    "新就业形态劳动者": ["为快递小哥送去贴心关爱", "推动新就业形态劳动者入会", "服务货车司机"],
    "送温暖": ["开展送温暖活动", "为坚守岗位的职工送去慰问", "打造暖心驿站"],
    "集体协商": ["开展工资集体协商", "签订集体合同", "召开集体协商要约会"],
    "职工之家": ["建设职工之家", "命名一批模范职工之家", "升级司机之家服务阵地"],
    "职工文化": ["举办职工书画展", "开展读书活动", "举办职工文体活动"],
    "疫情防控": ["为防疫一线职工送去慰问品", "助力疫情防控", "慰问战疫职工"],
    "学习贯彻党的二十大精神": ["开展“学习二十大”主题活动", "学习宣传党的二十大精神"],
    "职工技能培训": ["开展职工技能培训", "举办高技能人才培训班"],
    "职工创新": ["征集职工创效“金点子”", "发布职工技术创新成果"],
    "京津冀协同发展": ["举办京津冀职工交流活动", "召开“通武廊”工会联席会"],
    "工会干部培训": ["为工会干部“充电”", "召开专题培训会"],
    "职工身心健康": ["为职工免费健康体检", "开展职工心理健康讲座"],
    "女职工": ["建设爱心母婴室", "开展女职工权益保护宣传"],
    "困难职工帮扶": ["走访慰问困难职工", "开展困难帮扶"],
    "志愿服务": ["组织职工志愿者服务社区", "开展捐赠活动"],
    "宣讲": ["举办劳模宣讲会", "开展“建功新时代”宣讲"],
    "表彰": ["举行先进集体和个人表彰活动", "开展评选表彰"],
    "婚恋交友": ["举办单身职工联谊会", "搭建青年职工交友平台"],
}
GENERIC_PHRASES = ["召开职代会", "开展“我为职工办实事”活动", "调研基层工会建设", "召开年度工作会",
                   "举办职工运动会", "开展安全生产月活动", "推进基层工会规范化建设"]
KICKERS = ["深化“我为职工办实事”实践活动 聚焦职工急难愁盼问题", "把职工“诉求清单”兑现成“幸福账单”",
           "以实际行动助推首都高质量发展 凝聚职工干事创业强大合力", "发挥工会组织桥梁纽带作用 服务职工成长成才",
           "激发广大职工干事创业热情和创新创造活力", "打造一体化阶梯式产业工人培养体系",
           "持续擦亮职工服务品牌 让“娘家人”的关怀直达身边", "着力搭建职工技能竞赛和创新平台",
           "立足岗位建功立业 奋进新征程", "服务大局 服务职工 服务基层"]
SUBTITLES = ["{a}家单位参与 {b}名职工受益", "全年累计服务职工{a}万人次", "三地创新工作室代表进行交流分享",
             "{a}支代表队同台竞技 {b}名选手获奖", "发布{a}万字“产改”图书 展示“五新联动”工作机制",
             "{a}个基层工会{b}名工会干部参加", "覆盖单位{a}家 职工近{b}人"]
PHOTO_TITLES = ["职工健步走迎新春", "冬日送暖情意浓", "技能比武展风采", "书香浸润职工心", "趣味运动会欢乐多",
                "义诊服务进社区", "徒步活动收获快乐", "温暖战疫职工", "巧手剪纸迎新春", "清凉饮品送到工地"]
PURPOSES = ["进一步激发广大职工的劳动热情和创造活力", "切实把党和政府的关怀送到职工身边",
            "为推动区域高质量发展凝聚工会力量", "不断增强职工的获得感、幸福感、安全感",
            "团结引导广大职工建功新时代", "推动工会工作提质增效", "营造比学赶超的良好氛围",
            "为职工群众办实事、解难题"]
EXTRA_SENTENCES = ["记者了解到，这一做法受到职工普遍欢迎。", "据悉，相关工作将在全年持续推进。",
                   "活动现场气氛热烈，职工们纷纷点赞。"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_SENTENCE = re.compile(r"[^。！？]*[。！？]+[”’」』）)]*")


def han_count(text: str) -> int:
    """Number of Han characters in text."""
    return len(_HAN.findall(text))


def seed_paragraphs(page: Path) -> list[str]:
    """Body paragraphs of a real seed page, as ingest reads them (column breaks repaired,
    datelines, credits and sources taken off)."""
    from .ingest.decode import read_page
    from .ingest.page import split_page
    from .ingest.pipeline import read_rules
    split = split_page(read_page(page), read_rules()[0])
    return [p for article in split.articles for p in article.paragraphs]


@dataclass
class Material:
    """Sentences from the seeds and the vocabularies the generator plants."""

    sentences: list[str]
    clean: list[str]                            # sentences naming no district or township
    districts: list[str]
    townships: dict[str, list[tuple[str, str]]]  # district -> [(name as printed, district)]
    ambiguous: set[str]
    tags: dict[str, list[str]]                  # term -> headline phrases
    topical: dict[str, list[str]] = field(default_factory=dict)  # term -> clean sentences naming it


def load_material(seeds: Path = SEED_DIR) -> Material:
    """Read the seed pages, districts.toml, tags.toml and the township register."""
    districts_toml = tomllib.loads((DATA / "districts.toml").read_text(encoding="utf-8"))["district"]
    districts = [d["name"] for d in districts_toml]
    place_names = set(districts)
    for d in districts_toml:
        place_names |= {d["short"], *d.get("aliases", ())}
    owners: dict[str, set[str]] = {}
    rows = []
    for line in (DATA / "beijing_townships.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and not line.startswith("code\t"):
            _, name, district = line.split("\t")
            rows.append((name, district))
            for variant in township_variants(name):
                owners.setdefault(variant, set()).add(district)
                place_names.add(variant)
    townships: dict[str, list[tuple[str, str]]] = {d: [] for d in districts}
    for name, district in rows:
        townships.setdefault(district, []).append((name, district))
        variants = township_variants(name)
        if len(variants) > 1 and not any(len(owners[v]) > 1 for v in variants):
            townships[district].append((variants[1], district))      # 高碑店乡 printed 高碑店地区
    ambiguous = {n for n, o in owners.items() if len(o) > 1}

    tags_toml = tomllib.loads((DATA / "tags.toml").read_text(encoding="utf-8"))["tag"]
    tags: dict[str, list[str]] = {}
    body_words: dict[str, list[str]] = {}
    for t in tags_toml:
        body_words[t["term"]] = [t["term"], *t.get("aliases", ())]
        words = [t["term"], *t.get("aliases", ()), *t.get("title_only", ())]
        phrases = [p for p in TAG_PHRASES.get(t["term"], []) if any(w in p for w in words)]
        tags[t["term"]] = phrases or [f"聚焦{t['term']}开展专项工作"]

    sentences: list[str] = []
    for page in sorted(seeds.glob("*.txt")):
        for para in seed_paragraphs(page):
            for s in _SENTENCE.findall(para):
                s = s.strip()
                if 12 <= len(s) <= 220 and balanced_brackets(s) and s[0] not in "，、。：；”’）》…":
                    sentences.append(s)
    sentences = list(dict.fromkeys(sentences))
    places = re.compile("|".join(sorted(map(re.escape, place_names), key=len, reverse=True)))
    clean = [s for s in sentences if not places.search(s)]
    topical = {term: [s for s in clean if any(w in s for w in words)] for term, words in body_words.items()}
    return Material(sentences, clean, districts, townships, ambiguous, tags, topical)


# ---------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------

@dataclass
class PlannedArticle:
    """What the generator put on a page, for checking ingest against it."""

    page: str
    position: int
    title: str
    kind: str = "news"
    reporters: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    source: str | None = None
    districts: list[str] = field(default_factory=list)     # planted in the headline
    tags: list[str] = field(default_factory=list)          # planted in the headline
    han: int = 0


@dataclass(frozen=True)
class Profile:
    """How heavy the generated stories are: body lengths and how often they name places, topics
    and people. Everything else (page layout, headline forms, photo news, reprints) is shared."""

    name: str
    mean_han: int                 # Han characters a dateline story's body aims at, on average
    lognormal: bool               # body length log-normal (skewed like the seeds') or normal
    han_spread: float             # sigma of the log (log-normal) or sd / mean (normal)
    paragraph_sentences: int      # at most this many seed sentences a paragraph
    place_share: float            # non-city dateline stories with a district or township headline
    body_places: bool             # body sentences may name places (other districts than the story's)
    byline: tuple[float, ...]     # cumulative shares of the seven byline forms (see _byline)
    photographer: float           # dateline stories that end in a photo credit
    topical: bool                 # the sentence after the lead names the story's topic again
    page_rubric: float            # pages that open with a rubric line


PROFILES = {
    # Calibrated against seeds/ as ingest reads them: body length (mean and spread, photo news
    # and reprints included), tags, districts and people per article (tests/test_bench.py).
    "seeds": Profile("seeds", mean_han=450, lognormal=True, han_spread=0.7, paragraph_sentences=3,
                     place_share=0.52, body_places=False,
                     byline=(0.62, 0.74, 0.79, 0.95, 0.97, 0.99), photographer=0.02, topical=True,
                     page_rubric=0.9),
    # The generator before calibration, page for page: stories of 1,200 Han characters; per
    # article 2.5 times the seeds' body length and tags, 5 times their districts, 1.3 times
    # their people.
    "heavy": Profile("heavy", mean_han=1200, lognormal=False, han_spread=0.3, paragraph_sentences=4,
                     place_share=0.7, body_places=True,
                     byline=(0.40, 0.70, 0.75, 0.85, 0.90, 0.95), photographer=0.10, topical=False,
                     page_rubric=0.7),
}
DEFAULT_PROFILE = "seeds"


@dataclass
class _Story:
    """One article's blocks before they are laid out on a page."""

    plan: PlannedArticle
    headline: list[str]
    blocks: list[str]            # body blocks in order (the dateline block first, if any)
    credit_line: str | None = None


class Generator:
    """Deterministic synthetic pages from the seed material."""

    def __init__(self, material: Material, seed: int = 20241120, mean_han: int | None = None,
                 profile: Profile | str = DEFAULT_PROFILE) -> None:
        self.m = material
        self.rng = random.Random(seed)
        self.profile = PROFILES[profile] if isinstance(profile, str) else profile
        self.mean_han = mean_han or self.profile.mean_han
        self.body_pool = material.sentences if self.profile.body_places else material.clean
        self.district_cycle: list[str] = []

    # -- small pieces ----------------------------------------------------------------------

    def _pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def _next_district(self) -> str:
        if not self.district_cycle:
            self.district_cycle = list(self.m.districts)
            self.rng.shuffle(self.district_cycle)
        return self.district_cycle.pop()

    def _place(self) -> tuple[str, str]:
        """A place for a headline (as printed) and the district it plants."""
        district = self._next_district()
        towns = self.m.townships.get(district) or []
        if towns and self.rng.random() < 0.6:
            name, _ = self._pick(towns)
            if name in self.m.ambiguous:
                name = district + name
            return name, district
        if district == "经开区" and self.rng.random() < 0.5:
            return "北京经济技术开发区", district
        return district, district

    def _vary(self, sentence: str, org: str) -> str:
        """Another organisation, other people, other numbers."""
        for seed_org in SEED_ORGS:
            if seed_org in sentence:
                sentence = sentence.replace(seed_org, org)
        for person in SEED_PEOPLE:
            if person in sentence:
                sentence = sentence.replace(person, self._pick(NEWSMAKERS))

        def number(m: re.Match) -> str:
            digits = m.group(0)
            if len(digits) == 4 and digits.startswith("20") and m.string[m.end():m.end() + 1] == "年":
                return str(self.rng.randint(2013, 2024))
            if m.string[m.end():m.end() + 1] == "%":
                return str(self.rng.randint(10, 99))
            if len(digits) == 1:
                return str(self.rng.randint(1, 9))
            return str(self.rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))
        return re.sub(r"\d+", number, sentence)

    def _paragraph(self, pool: list[str], org: str, n: int) -> str:
        return "".join(self._vary(self._pick(pool), org) for _ in range(n))

    def _byline(self, plan: PlannedArticle) -> str:
        r = self.rng.random()
        names = self.rng.sample(STAFF, 4)
        cut = self.profile.byline
        if r < cut[0]:
            plan.reporters = names[:1]
        elif r < cut[1]:
            plan.reporters, plan.correspondents = names[:1], names[1:2]
        elif r < cut[2]:
            plan.reporters = names[:1]
            return f"本报讯（实习记者 {names[0]}）"
        elif r < cut[3]:
            plan.correspondents = names[:1]
        elif r < cut[4]:
            plan.correspondents = names[:2]
        elif r < cut[5]:
            plan.reporters = names[:2]
        else:
            plan.reporters, plan.correspondents = names[:1], names[1:3]
        parts = []
        if plan.reporters:
            parts.append("记者 " + " ".join(plan.reporters))
        if plan.correspondents:
            parts.append("通讯员 " + " ".join(plan.correspondents))
        return f"本报讯（{' '.join(parts)}）"

    def _body_target(self) -> int:
        """How many Han characters a dateline story's body is written to (at least)."""
        mean = self.mean_han
        if not self.profile.lognormal:
            return max(200, int(self.rng.gauss(mean, mean * self.profile.han_spread)))
        sigma = self.profile.han_spread
        han = self.rng.lognormvariate(math.log(mean) - sigma * sigma / 2, sigma)
        return int(min(max(han, 150), 3.5 * mean))

    def _numbers(self, template: str) -> str:
        return template.format(a=self.rng.randint(2, 90), b=self.rng.randint(100, 9000))

    def _headline(self, title: str) -> list[str]:
        """1-3 lines whose main title ingest reads as `title` (the shorter line of two is the
        title; of three, the middle one)."""
        r = self.rng.random()
        kicker = self._pick(KICKERS)
        subtitle = self._numbers(self._pick(SUBTITLES))
        if r < 0.55:
            return [title]
        if r < 0.75 and len(kicker) > len(title):
            return [kicker, title]
        if r < 0.90 and len(subtitle) >= len(title):
            return [title, subtitle]
        if r >= 0.90:
            return [kicker, title, subtitle]
        return [title]

    # -- stories ---------------------------------------------------------------------------

    def news(self, page: str, city_wide: bool = False) -> _Story:
        """A dateline story: headline group, 本报讯（…） lead, paragraphs of seed sentences."""
        org = self._pick(ORGS)
        tag = self._pick(list(self.m.tags))
        phrase = self._pick(self.m.tags[tag]) if self.rng.random() < 0.85 else self._pick(GENERIC_PHRASES)
        planted_tags = [tag] if phrase in self.m.tags[tag] else []
        r = self.rng.random()
        if city_wide:
            subject, districts = self._pick(["市总工会", "本市各级工会", "全市工会"]), []
        elif r < self.profile.place_share:
            place, district = self._place()
            subject, districts = place + self._pick(["总工会", "总工会", "工会", "职工服务中心"]), [district]
        else:
            subject, districts = org + "工会", []
        title = subject + phrase
        plan = PlannedArticle(page, 0, title, districts=districts, tags=planted_tags)
        dateline = self._byline(plan)
        lead = (f"{self._pick(['近日', '日前', '连日来', '记者近日获悉'])}，{subject}{phrase}，"
                f"{self._pick(PURPOSES)}。")
        target = self._body_target()
        on_topic = self.m.topical.get(tag) if self.profile.topical and planted_tags else None
        if on_topic:
            first = (lead + self._vary(self._pick(on_topic), org)
                     + self._paragraph(self.body_pool, org, self.rng.randint(0, 2)))
        else:
            first = lead + self._paragraph(self.body_pool, org, self.rng.randint(1, 3))
        paragraphs = [first]
        han = han_count(first)
        while han < target:
            n = self.rng.randint(1, self.profile.paragraph_sentences)
            if self.profile.lognormal:      # stop at the sentence that reaches the target
                p = ""
                for _ in range(n):
                    sentence = self._vary(self._pick(self.body_pool), org)
                    p += sentence
                    han += han_count(sentence)
                    if han >= target:
                        break
            else:                           # whole paragraphs (the heavy profile, as before)
                p = self._paragraph(self.body_pool, org, n)
                han += han_count(p)
            paragraphs.append(p)
        if planted_tags and self.rng.random() < 0.5:
            paragraphs[-1] += f"{subject}相关负责人表示，将继续{phrase}，{self._pick(PURPOSES)}。"
        if self.rng.random() < self.profile.photographer:
            photographer = self._pick(STAFF)
            plan.photographers = [photographer]
            paragraphs[-1] += f" 本报记者 {photographer} 摄"
        paragraphs[0] = dateline + paragraphs[0]
        return _Story(plan, self._headline(title), paragraphs)

    def photo(self, page: str) -> _Story:
        """Photo news: a short headline, one paragraph, `本报记者 X 摄影报道`."""
        place, district = self._place()
        tag = self._pick(list(self.m.tags))
        phrase = self._pick(self.m.tags[tag])
        title = place + self._pick(PHOTO_TITLES)
        photographer = self._pick(STAFF)
        plan = PlannedArticle(page, 0, title, kind="photo", photographers=[photographer], districts=[district])
        org = self._pick(ORGS)
        on_topic = self.m.topical.get(tag) if self.profile.topical else None
        if on_topic:      # the topic named twice, as in the seeds' photo news
            text = (f"近日，{place}总工会{phrase}。" + self._vary(self._pick(on_topic), org)
                    + self._paragraph(self.m.clean, org, self.rng.randint(0, 1)))
        else:
            text = f"近日，{place}总工会{phrase}。" + self._paragraph(self.m.clean, org, self.rng.randint(1, 2))
        return _Story(plan, [title], [text], credit_line=f"本报记者 {photographer} 摄影报道")

    def reprint(self, page: str) -> _Story:
        """A reprint from another paper: no dateline, ends in `转自《中工网》`."""
        city = self._pick(OTHER_CITIES)
        tag = self._pick(list(self.m.tags))
        phrase = self._pick(self.m.tags[tag])
        title = f"{city}总工会{phrase}"
        source = self._pick(SOURCES)
        plan = PlannedArticle(page, 0, title, source=source, tags=[tag])
        org = self._pick(ORGS)
        paragraphs = [f"{city}总工会{phrase}，{self._pick(PURPOSES)}。" + self._paragraph(self.m.clean, org, 2)]
        for _ in range(self.rng.randint(1, 3)):
            n = self.rng.randint(2, self.profile.paragraph_sentences)
            paragraphs.append(self._paragraph(self.m.clean, org, n))
        paragraphs[-1] += f" 转自《{source}》"
        return _Story(plan, [title], paragraphs)

    # -- layout ----------------------------------------------------------------------------

    def _cut(self, paragraph: str) -> list[str]:
        """Cut a paragraph once where a column ends (the page text shows a blank line there)."""
        if len(paragraph) < 130 or self.rng.random() > 0.3:
            return [paragraph]
        for _ in range(8):
            at = self.rng.randint(60, len(paragraph) - 20)
            head, tail = paragraph[:at], paragraph[at:]
            if not paragraph_ends(head) and head[-1] not in " 摄" and not tail.startswith(("本报", " ", "转自")):
                return [head, tail]
        return [paragraph]

    def page(self, stem: str, count: int) -> tuple[str, list[PlannedArticle]]:
        """The raw text of one page with `count` articles, and what was planted."""
        kinds = ["news"] * count
        r = self.rng.random()
        boxed = count >= 3 and r < 0.15
        if boxed:
            at = self.rng.randint(0, count - 2)
            kinds[at], kinds[at + 1] = "box-news", "box-reprint"
        for i in range(count):
            if kinds[i] == "news":
                x = self.rng.random()
                kinds[i] = "photo" if x < 0.07 else "reprint" if x < 0.10 else "city" if x < 0.18 else "news"
        out: list[str] = ["", ""]          # the seeds start with two empty lines
        if self.rng.random() < self.profile.page_rubric:
            out.append(self._pick(RUBRICS[:2]))
            out.append("")
        plans = []
        for i, kind in enumerate(kinds, start=1):
            if kind == "photo":
                story = self.photo(stem)
            elif kind in ("reprint", "box-reprint"):
                story = self.reprint(stem)
            else:
                story = self.news(stem, city_wide=kind == "city")
            story.plan.position = i
            story.plan.han = han_count("".join(story.headline + story.blocks))
            plans.append(story.plan)
            # A removed picture (3+ newlines) before the story, or before its rubric lines:
            # never between a rubric and the headline under it.
            if (kind == "photo" or self.rng.random() < 0.12) and out[-1] == "":
                if not (i == 1 and len(out) > 2):
                    out += ["", ""]
            if kind == "box-news":
                pair = self._pick(SECTIONS)
                out += [self._pick(BOX_RUBRICS), "", f">> {pair[0]} <<", ""]
            elif kind == "box-reprint":
                out += [f">> {self._pick(SECTIONS)[1]} <<", ""]
            elif i > 1 and kind in ("news", "city") and self.rng.random() < 0.12:
                out += [self._pick(RUBRICS[1:]), ""]
            for line in story.headline:
                out += [line, ""]
            if story.blocks[0].startswith("本报讯") and self.rng.random() < 0.05:
                out += ["", ""]            # a picture between headline and dateline
            for block in story.blocks:
                pieces = self._cut(block)
                for n, piece in enumerate(pieces):
                    out.append(piece)
                    out.append("")
                    if n == 0 and len(pieces) > 1 and self.rng.random() < 0.2:
                        out += ["", ""]    # the column break falls at a picture
            if story.credit_line:
                out += [story.credit_line, ""]
        if self.rng.random() < 0.1:
            out.append(self._pick(RUBRICS[1:3]))   # a rubric at the page's end, no story after it
        return "\n".join(out).rstrip("\n") + ("\n" if self.rng.random() < 0.5 else ""), plans


def _editions(pages: int, rng: random.Random) -> list[tuple[dt.date, int]]:
    """(date, number of pages) per edition: 4-8 pages a day on distinct days, 2019-2024 (or
    further back when there are more editions than days)."""
    sizes = []
    left = pages
    while left > 0:
        k = min(rng.randint(4, 8), left)
        sizes.append(k)
        left -= k
    end = dt.date(2024, 12, 31)
    span = max((end - dt.date(2019, 1, 1)).days + 1, len(sizes))
    days = sorted(rng.sample(range(span), len(sizes)))
    start = end - dt.timedelta(days=span - 1)
    return [(start + dt.timedelta(days=d), k) for d, k in zip(days, sizes)]


def generate(articles: int, seeds_dir: Path, seed: int = 20241120, mean_han: int | None = None,
             material: Material | None = None,
             profile: Profile | str = DEFAULT_PROFILE) -> list[PlannedArticle]:
    """Write raw pages holding `articles` articles and pages.toml into seeds_dir; return the plan
    (also written to seeds_dir/../bench-plan.json)."""
    rng = random.Random(seed)
    gen = Generator(material or load_material(), seed=seed + 1, mean_han=mean_han, profile=profile)
    counts = []
    left = articles
    while left > 0:
        k = min(rng.randint(4, 8), left)
        counts.append(k)
        left -= k
    seeds_dir.mkdir(parents=True, exist_ok=True)
    plans: list[PlannedArticle] = []
    meta: list[str] = []
    n = 0
    for date, size in _editions(len(counts), rng):
        for number in range(1, size + 1):
            stem = f"{n:06d}_{hashlib.sha1(f'{seed}:{n}'.encode()).hexdigest()[:16]}"
            text, planned = gen.page(stem, counts[n])
            (seeds_dir / f"{stem}.txt").write_text(text, encoding="utf-8")
            plans += planned
            meta.append(f'[{stem}]\ndate = {date.isoformat()}\nnumber = {number}\n'
                        f'name = "{PAGE_NAMES[number - 1]}"\n')
            n += 1
    (seeds_dir / "pages.toml").write_text("\n".join(meta), encoding="utf-8")
    (seeds_dir.parent / PLAN_NAME).write_text(
        json.dumps([asdict(p) for p in plans], ensure_ascii=False, indent=0), encoding="utf-8")
    return plans


# ---------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------

@dataclass
class ArchiveStats:
    """Per-article figures of an archive as ingest reads it."""

    articles: int
    pages: int
    han_mean: float             # Han characters per body (headline, dateline, credits not counted)
    han_median: float
    han_sd: float
    tags: float                 # per article
    districts: float
    people: float               # reporters + correspondents + photographers
    rubric: float               # share of articles under a rubric

    def figures(self) -> str:
        return (f"{self.han_mean:.0f} Han chars per body (median {self.han_median:.0f}, "
                f"sd {self.han_sd:.0f}), {self.tags:.2f} tags, {self.districts:.2f} districts, "
                f"{self.people:.2f} people per article, {100 * self.rubric:.0f}% under a rubric")


def archive_stats(pages: list[Path]) -> ArchiveStats:
    """Split and classify pages in this process exactly as ingest does (its own split_page and
    assemble, nothing written) and average the per-article figures."""
    import statistics

    from .content.pages import PageMeta
    from .ingest.articles import assemble
    from .ingest.decode import read_page
    from .ingest.page import split_page
    from .ingest.pipeline import read_rules
    rubrics, classifiers, _ = read_rules()
    arts = []
    for page in pages:
        split = split_page(read_page(page), rubrics)
        arts += [assemble(a, page.stem, i, PageMeta(), classifiers)
                 for i, a in enumerate(split.articles, start=1)]
    if not arts:
        return ArchiveStats(0, len(pages), 0, 0, 0, 0, 0, 0, 0)
    han = [sum(han_count(p) for p in a.paragraphs) for a in arts]
    n = len(arts)
    people = sum(len(a.reporters) + len(a.correspondents) + len(a.photographers) for a in arts)
    return ArchiveStats(n, len(pages), statistics.fmean(han), statistics.median(han), statistics.pstdev(han),
                        sum(len(a.tags) for a in arts) / n, sum(len(a.districts) for a in arts) / n,
                        people / n, sum(1 for a in arts if a.rubric) / n)


def profile_line(synthetic: ArchiveStats, seeds: ArchiveStats, pages: int) -> str:
    """One line comparing the generated archive (synthetic: a sample of its `pages`) with seeds/."""
    def pair(a: float, b: float, fmt: str) -> str:
        return f"{a:{fmt}} vs {b:{fmt}} ({100 * (a / b - 1) if b else 0:+.0f}%)"
    sample = f" sampled of {pages:,}" if synthetic.pages < pages else ""
    return (f"profile, as ingest reads it ({synthetic.articles:,} articles on {synthetic.pages:,}{sample} "
            f"pages vs seeds/' {seeds.articles}): Han chars per body "
            f"{pair(synthetic.han_mean, seeds.han_mean, '.0f')}, median {synthetic.han_median:.0f} vs "
            f"{seeds.han_median:.0f}; tags {pair(synthetic.tags, seeds.tags, '.2f')}; "
            f"districts {pair(synthetic.districts, seeds.districts, '.2f')}; "
            f"people {pair(synthetic.people, seeds.people, '.2f')}; "
            f"under a rubric {100 * synthetic.rubric:.0f}% vs {100 * seeds.rubric:.0f}%")


def sample_pages(seeds_dir: Path, limit: int = 200, seed: int = 0) -> list[Path]:
    """Up to `limit` of the pages in seeds_dir, a fixed random sample when there are more."""
    pages = sorted(seeds_dir.glob("*.txt"))
    if len(pages) <= limit:
        return pages
    return sorted(random.Random(seed).sample(pages, limit))


@dataclass
class StageResult:
    name: str
    argv: list[str]
    wall: float
    maxrss_mb: float            # largest single process (ru_maxrss)
    tree_mb: float              # peak of the sampled RSS sum over the process tree
    pss_mb: float               # peak of the sampled PSS sum over the process tree
    status: int
    stdout: str
    stderr: str


def _tree(root: int) -> dict[int, int]:
    """Root and all its descendants, from /proc: pid -> resident bytes."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        children.setdefault(int(stat[1]), []).append(pid)
        rss[pid] = int(stat[21]) * page
    tree, todo = {}, [root]
    while todo:
        pid = todo.pop()
        tree[pid] = rss.get(pid, 0)
        todo += children.get(pid, [])
    return tree


def _pss(pid: int) -> int:
    """Proportional set size of one process: its private memory plus its share of pages it
    shares (forked workers share most of their parent's), from /proc/<pid>/smaps_rollup."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_stage(name: str, argv: list[str], logdir: Path) -> StageResult:
    """Run one CLI command in a subprocess; wall time, ru_maxrss via os.wait4, sampled tree RSS."""
    out_path, err_path = logdir / f"{name}.stdout", logdir / f"{name}.stderr"
    peak = [0, 0]                  # RSS and PSS sums over the tree
    done = threading.Event()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=logdir, env=ENGINE_ENV, stdout=out, stderr=err)

        def sample() -> None:
            n = 0
            while not done.is_set():
                try:
                    tree = _tree(proc.pid)
                    peak[0] = max(peak[0], sum(tree.values()))
                    if n % 10 == 0:    # smaps_rollup walks page tables: every 0.2 s only
                        peak[1] = max(peak[1], sum(map(_pss, tree)))
                except OSError:
                    pass
                n += 1
                done.wait(0.02)
        sampler = threading.Thread(target=sample, daemon=True)
        if Path("/proc/self/stat").exists():
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        proc.returncode = os.waitstatus_to_exitcode(status)
    if sampler.is_alive():
        sampler.join()
    maxrss = usage.ru_maxrss * 1024
    # The tree's peak is at least its largest process's peak (sampling can miss a short one).
    return StageResult(name, argv, wall, maxrss / 2**20, max(peak[0], maxrss) / 2**20, peak[1] / 2**20,
                       proc.returncode,
                       out_path.read_text(encoding="utf-8", errors="replace"),
                       err_path.read_text(encoding="utf-8", errors="replace"))


def _sizes(path: Path) -> tuple[int, int]:
    """(bytes on disk, bytes a browser handles): a .gz file is stored compressed and
    decompressed in the browser; any other file is gzipped here for the comparison."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        return len(data), len(gzip.decompress(data))
    return len(gzip.compress(data, 6)), len(data)


def dir_stats(root: Path) -> tuple[int, int]:
    """(files, bytes) under root."""
    files = size = 0
    for dirpath, _, names in os.walk(root):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(dirpath, name))
    return files, size


def page_kind(path: str) -> str:
    """The kind of page a file of site/ is, from its path (see the URL table in README.md)."""
    parts = path.split("/")
    top = parts[0] if len(parts) > 1 else ""
    if top == "editions":
        if len(parts) == 2:
            return "back-issue index"
        return "edition" if "-" in parts[1] else "year"
    if top in ("tags", "districts", "people", "columns"):
        return "list page" if len(parts) > 2 else "A-Z index"
    return {"articles": "article", "pages": "newspaper page", "search": "search",
            "static": "static"}.get(top, "front page" if path == "index.html" else "other")


def kind_report(root: Path, articles: int) -> list[str]:
    """Files and bytes of site/ per kind of page, with bytes per file and per article."""
    totals: dict[str, list[int]] = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            full = os.path.join(dirpath, name)
            kind = totals.setdefault(page_kind(os.path.relpath(full, root).replace(os.sep, "/")), [0, 0])
            kind[0] += 1
            kind[1] += os.path.getsize(full)
    lines = [f"  {'kind':<18} {'files':>7} {'bytes':>13} {'per file':>9} {'per article':>12}"]
    for kind, (files, size) in sorted(totals.items(), key=lambda item: -item[1][1]):
        lines.append(f"  {kind:<18} {files:>7,} {size:>13,} {size // files:>9,} {size / max(1, articles):>12,.0f}")
    return lines


def pages_artifact_bytes(root: Path) -> int | None:
    """The size of `root` packed as GitHub Pages deploys it: actions/upload-pages-artifact
    tars the folder and the artifact upload deflates it (gzip -6 here); None without tar/gzip."""
    if not (shutil.which("tar") and shutil.which("gzip")):
        return None
    tar = subprocess.Popen(["tar", "-cf", "-", "-C", str(root), "."], stdout=subprocess.PIPE)
    gz = subprocess.Popen(["gzip", "-6"], stdin=tar.stdout, stdout=subprocess.PIPE)
    assert tar.stdout is not None and gz.stdout is not None
    tar.stdout.close()
    size = 0
    while chunk := gz.stdout.read(1 << 20):
        size += len(chunk)
    return size if gz.wait() == 0 and tar.wait() == 0 else None


def search_report(search: Path) -> list[str]:
    """Sizes of the search files under site/search/, by folder (catalog and tables, index
    parts, display chunks): gzip (as stored and served) and decompressed (what the browser
    parses), with the largest file of each."""
    if not search.is_dir():
        return [f"  {search}: not there"]
    files = sorted(p for p in search.rglob("*") if p.is_file())
    lines = [f"  search/: {len(files)} files, {sum(p.stat().st_size for p in files):,} bytes on disk"]
    groups: dict[str, list[Path]] = {}
    for path in files:
        if path.suffix.lower() not in (".html", ".css", ".js", ".map"):
            relative = path.relative_to(search)
            groups.setdefault(relative.parts[0] + "/" if len(relative.parts) > 1 else "(top)", []).append(path)
    for name, paths in sorted(groups.items()):
        sizes = [(_sizes(p), p) for p in paths]
        (gz, raw), big = max(sizes, key=lambda s: s[0][0])
        lines.append(f"  {name}: {len(paths)} files, {sum(s[0][0] for s in sizes):,} bytes gzip "
                     f"({sum(s[0][1] for s in sizes):,} decompressed); largest {big.relative_to(search)} "
                     f"{gz:,} gzip, {raw:,} decompressed")
    return lines


_TIMING = re.compile(r"\d+(?:\.\d+)?\s*(?:s|ms|sec|seconds)\b")


def timing_lines(result: StageResult) -> list[str]:
    """The lines of a stage's own output that report times."""
    return [line for line in (result.stdout + result.stderr).splitlines() if _TIMING.search(line)]


def edit_one_article(content: Path) -> Path:
    """Append a sentence to the first body paragraph of one content file (the middle one)."""
    files = sorted(content.glob("*.md"))
    path = files[len(files) // 2]
    text = path.read_text(encoding="utf-8")
    head, body = text[4:].split("\n---\n", 1)
    paragraphs = body.strip("\n").split("\n\n")
    paragraphs[0] += "记者了解到，这一做法受到职工普遍欢迎。"
    path.write_text("---\n" + head + "\n---\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path



def profile_ingest(seeds: Path, content: Path, top: int = 20) -> None:
    """Profile (cProfile, in this process) a fresh ingest and then a no-change ingest; print
    each one's hotspots as file:line:function with shares of the run's time."""
    from newsarchive.ingest.pipeline import run_ingest
    shutil.rmtree(content, ignore_errors=True)
    for label in ("fresh ingest", "no-change ingest"):
        prof = cProfile.Profile()
        started = time.perf_counter()
        prof.runcall(run_ingest, seeds, content, False)
        total = time.perf_counter() - started
        rows = []
        for (filename, line, func), (_, nc, tt, ct, _) in pstats.Stats(prof).stats.items():
            name = f"{Path(filename).name}:{line}:{func}" if line else func
            rows.append((tt, ct, nc, f"[lib] {name}" if "-packages" in filename else name))
        print(f"\nprofile of a {label} ({total:.2f}s under cProfile)")
        for title, key in (("self time", 0), ("cumulative time", 1)):
            print(f"  top {top} by {title}:")
            print(f"    {'self %':>7} {'cum %':>7} {'calls':>10}  function")
            for tt, ct, nc, name in sorted(rows, key=lambda r: -r[key])[:top]:
                print(f"    {100 * tt / total:6.1f}% {100 * ct / total:6.1f}% {nc:>10}  {name}")


# ---------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m newsarchive.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--articles", type=int, required=True, help="number of articles to generate")
    p.add_argument("--workdir", type=Path, help="where to write seeds/, content/, site/ (kept; "
                                                "default: a temporary folder, removed unless --keep)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    p.add_argument("--jobs", type=int, help="passed to `build --jobs`")
    p.add_argument("--seed", type=int, default=20241120, help="random seed of the generator")
    p.add_argument("--profile", choices=sorted(PROFILES), default=DEFAULT_PROFILE,
                   help="story weight: 'seeds' (default) imitates seeds/ in body length and in tags, districts "
                        "and people per article; 'heavy' is the generator before calibration (1,200 Han "
                        "characters a story; 2.5 times the seeds' tags, 5 times their districts)")
    p.add_argument("--mean-han", type=int,
                   help="Han characters a dateline story's body aims at, on average (default: the profile's, "
                        + ", ".join(f"{k} {v.mean_han}" for k, v in PROFILES.items()) + ")")
    p.add_argument("--no-artifact", dest="artifact", action="store_false",
                   help="skip measuring site/ packed as a GitHub Pages artifact (tar + gzip)")
    p.add_argument("--ingest-only", action="store_true", help="time the ingest stages only")
    p.add_argument("--generate-only", action="store_true", help="write the raw pages and stop")
    p.add_argument("--profile-ingest", action="store_true", help="also profile a fresh ingest (cProfile)")
    args = p.parse_args(argv)

    workdir = args.workdir.resolve() if args.workdir else Path(tempfile.mkdtemp(prefix="newsarchive-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    seeds, content, out = workdir / "seeds", workdir / "content", workdir / "site"
    (workdir / "site.toml").write_text(SETTINGS, encoding="utf-8")
    cache = out.parent / ".cache" / out.name
    logs = workdir / "logs"
    for d in (seeds, content, out, cache, logs):
        shutil.rmtree(d, ignore_errors=True)
    logs.mkdir()
    try:
        started = time.perf_counter()
        plans = generate(args.articles, seeds, seed=args.seed, mean_han=args.mean_han,
                         profile=args.profile)
        pages = len(list(seeds.glob("*.txt")))
        raw = sum(f.stat().st_size for f in seeds.glob("*.txt"))
        kinds = {k: sum(1 for a in plans if a.kind == k) for k in ("news", "photo")}
        print(f"generated {len(plans)} articles on {pages} pages in {time.perf_counter() - started:.1f}s "
              f"(profile {args.profile}, mean-han {args.mean_han or PROFILES[args.profile].mean_han}; "
              f"{raw:,} bytes raw text; {kinds['photo']} photo news, {sum(1 for a in plans if a.source)} "
              f"reprints) in {workdir}")
        started = time.perf_counter()
        print(profile_line(archive_stats(sample_pages(seeds)), archive_stats(sample_pages(SEED_DIR)), pages)
              + f" ({time.perf_counter() - started:.1f}s)", flush=True)
        if args.generate_only:
            return 0
        python = sys.executable
        ingest = [python, "-m", "newsarchive", "-C", str(workdir), "ingest", "--seeds", str(seeds),
                  "--content", str(content)]
        build = [python, "-m", "newsarchive", "-C", str(workdir), "build", "--content", str(content), "--out", str(out),
                 "--base-url", BASE_URL] + (["--jobs", str(args.jobs)] if args.jobs else [])
        do_build = not args.ingest_only
        results: list[StageResult] = []

        def stage(name: str, cmd: list[str]) -> bool:
            r = run_stage(name, cmd, logs)
            results.append(r)
            print(f"  {name}: {r.wall:.2f}s, exit {r.status}", flush=True)
            if r.status != 0:
                print(f"stage '{name}' failed (exit {r.status}): {' '.join(cmd)}\n--- stderr ---\n"
                      f"{r.stderr[-6000:]}\n--- stdout ---\n{r.stdout[-2000:]}", file=sys.stderr)
                return False
            return True

        ok = stage("ingest", ingest)
        edited = None
        if ok and do_build:
            shutil.rmtree(cache, ignore_errors=True)
            ok = stage("build (full, no cache)", build)
            if ok:
                site_files, site_bytes = dir_stats(out)
                kinds = kind_report(out, len(plans))
                artifact_bytes = pages_artifact_bytes(out) if args.artifact else None
                search_lines = search_report(out / "search")
                ok = stage("build (no change)", build)
            if ok:
                edited = edit_one_article(content)
                ok = stage("build (1 article edited)", build)
        if ok:
            ok = stage("ingest (no change)", ingest)

        articles_written = len(list(content.glob("*.md")))
        print(f"\n{args.articles} articles, {pages} pages, {articles_written} content files; "
              f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
              + (f", build --jobs {args.jobs}" if args.jobs else ""))
        print(f"{'stage':<28} {'wall s':>8} {'peak RSS MB':>12} {'tree RSS MB':>12} {'tree PSS MB':>12} {'exit':>5}")
        for r in results:
            print(f"{r.name:<28} {r.wall:>8.2f} {r.maxrss_mb:>12.1f} {r.tree_mb:>12.1f} {r.pss_mb:>12.1f} {r.status:>5}")
        if results and results[0].status == 0:
            print(f"ingest rate: {pages / results[0].wall:.1f} pages/s, {len(plans) / results[0].wall:.1f} articles/s "
                  f"(target >= 100 pages/s)")
        if do_build and len(results) > 1 and results[1].status == 0:
            print(f"site/: {site_files:,} files, {site_bytes:,} bytes = {site_bytes / GIB:.3f} GiB "
                  f"({site_bytes / max(1, args.articles):,.0f} bytes per article)")
            print("\n".join(kinds))
            if artifact_bytes is not None:
                print(f"  as a GitHub Pages artifact (tar, gzip -6): {artifact_bytes:,} bytes = "
                      f"{artifact_bytes / GIB:.3f} GiB (actions/deploy-pages warns above 1 GiB)")
            print("\n".join(search_lines))
        if edited:
            print(f"edited for the one-article rebuild: {edited.name}")
        for r in results:
            lines = timing_lines(r)
            if lines:
                print(f"\n{r.name}: its own timing lines")
                for line in lines[-25:]:
                    print(f"  | {line}")
        if args.profile_ingest:
            profile_ingest(seeds, workdir / "content-profile")
        return 0 if ok else 1
    finally:
        if not args.workdir and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        elif not args.workdir:
            print(f"kept {workdir}")


if __name__ == "__main__":
    sys.exit(main())
