"""Ingest of the five real seed pages: every article's headline, byline, places, topics, text."""
from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.ingest.pipeline import run_ingest

from conftest import SEEDS, read_article

BANNER = "深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面"

# (page prefix, position): kicker, title, subtitle, kind, reporters, correspondents,
# photographers, source, rubric, section, districts and tags (exactly, in vocabulary order;
# each tag checked by hand against the rule: term or alias in the headline group or in two
# sentences of the body), sentences that must stand whole in one paragraph (column breaks
# repaired), paragraph count.
EXPECTED = {
    ("000", 1): dict(kicker="北京市交通运输工会深入推进产业工人队伍建设改革", title="让产业工人在新时代舞台绽放精彩",
                     reporters=["周美玉"], rubric=BANNER, districts=[],
                     tags=["产业工人队伍建设改革", "工匠学院", "劳动和技能竞赛", "创新工作室", "劳模工匠", "职工创新"],
                     joined=["以车辆显示屏维修研发项目为例，北京铁路局北京车辆段王勇工作室联合北京地铁杨才胜工作室",
                             "北京地铁运营公司依托北京轨道人才发展有限公司",
                             "”北京铁路局工会相关负责人表示。",
                             "北京市工会十五大工作报告中指出，要深化产业工人队伍建设改革"],
                     starts=["北京市工会十五大工作报告中指出"], paragraphs=7),
    ("000", 2): dict(title="北汽集团2000余职工家庭乐享“家”年华", reporters=["马超"],
                     rubric="贯彻落实北京市工会十五大精神", districts=[], tags=["职工文化"],
                     joined=["北汽集团团工会相关负责人表示", "活动通过多种形式的北汽文化体验、展示改革成果和北汽产品"],
                     paragraphs=3),
    ("000", 3): dict(rubric="贯彻落实北京市工会十五大精神", title="西长安街街道总工会开展“两模三优”“双爱双评”表彰活动", reporters=["陈曦"],
                     correspondents=["赵娟"], districts=["西城区"], tags=["表彰"],
                     joined=["紧紧围绕“红墙意识”，把“服务”摆在最突出的位置"], paragraphs=2),
    ("000", 4): dict(rubric="贯彻落实北京市工会十五大精神", title="建工城乡集团开发公司职工分享读书心得", reporters=["边磊"], correspondents=["王亚清"],
                     districts=[], tags=["职工之家", "职工文化"], paragraphs=3),
    ("000", 5): dict(rubric="贯彻落实北京市工会十五大精神", kicker="经开区总工会联合多部门开展“志愿亦城·青爱童行”捐赠活动", title="多彩活动护航职工子女健康成长",
                     reporters=["孙艳"], districts=["经开区"], tags=["志愿服务"],
                     joined=["了解他们的身体健康状况", "交通安全和海姆立克急救法"], paragraphs=4),
    ("001", 1): dict(kicker="北京经济技术开发区总工会着力搭建职工技能竞赛、高水平人才创新和职工技能培训平台",
                     title="打造一体化阶梯式产业工人培养体系", reporters=["陈曦"], rubric=BANNER,
                     districts=["经开区"], tags=["产业工人队伍建设改革", "劳动和技能竞赛", "劳模工匠", "职工技能培训"],
                     joined=["有90余家世界500强企业", "张子康从一个刚刚参加工作", "开办职工夜校。"], paragraphs=8),
    ("001", 2): dict(title="西城区总工会专题培训为工会干部“充电”", reporters=["陈曦"], districts=["西城区"],
                     tags=["学习贯彻党的二十大精神", "工会干部培训"], joined=["关于工人阶级和工会工作重要论述进行了深入浅出的讲解",
                                                   "要结合学习宣传贯彻党的二十大精神，认真学习"], paragraphs=3),
    ("001", 3): dict(title="中铁六局物贸工会征集职工创效“金点子”", reporters=["马超"], correspondents=["陈美伊"],
                     districts=[], tags=["职工创新"],
                     joined=["据悉，“我为企业献一策”活动开展以来职工参与率达到100%。"], paragraphs=4),
    ("001", 4): dict(title="延庆区总工会召开“建功新时代”劳模宣讲会", reporters=["马超"], districts=["延庆区"],
                     tags=["劳模工匠", "学习贯彻党的二十大精神", "宣讲"], joined=["全国五一劳动奖章获得者、延庆区教育科学研究中心",
                                                      "精彩生动的宣讲报告，为大家"], paragraphs=3),
    ("001", 5): dict(title="北京公交客五工会暖心慰问送到站台", correspondents=["段妍"], districts=[],
                     tags=["送温暖"], joined=["对一线职工进行慰问。"], paragraphs=3),
    ("001", 6): dict(kicker="华润双鹤召开工会主席会议传达学习党的二十大精神", title="在深入领悟学用结合上下功夫",
                     reporters=["石海芹"], districts=[], tags=["学习贯彻党的二十大精神", "困难职工帮扶"],
                     joined=["在后续工作中要在全面深入领悟学习上下功夫", "真心真情真挚，关心关爱职工"], paragraphs=4),
    ("002", 1): dict(title="本市今年新增10家首都工匠学院", reporters=["张晶"], districts=[],
                     tags=["产业工人队伍建设改革", "工匠学院", "劳动和技能竞赛", "劳模工匠", "职工创新"],
                     joined=["共计培训职工6.94万人次", "设置了八大考核维度", "生物医药、现代服务业"], paragraphs=4),
    ("002", 2): dict(title="市交通运输工会暖“新”行动呵护职工身心健康", reporters=["周美玉"],
                     rubric="工会重点工作创新案例", section="北京经验", districts=[],
                     tags=["新就业形态劳动者", "职工身心健康"], joined=["增强工作针对性。"], paragraphs=3),
    ("002", 3): dict(title="山东临沂市总工会“三聚”工作法服务货车司机", source="中工网",
                     rubric="工会重点工作创新案例", section="他山之石", districts=[], tags=["新就业形态劳动者"],
                     joined=["发挥工会职能部门职责"], ends="近距离推动工作。", paragraphs=4),
    ("002", 4): dict(title="通州区9家区级职工创新工作室揭牌", subtitle="通武廊三地创新工作室代表进行交流分享",
                     reporters=["宗晓畅"], rubric=BANNER, districts=["通州区"],
                     tags=["创新工作室", "劳模工匠", "职工创新", "京津冀协同发展"],
                     joined=["领军人代表，以及通州区部分职工代表等参加座谈会。", "围绕各自领域内容"], paragraphs=3),
    ("002", 5): dict(title="徒步活动收获快乐", kind="photo", photographers=["马超"], districts=["平谷区"],
                     tags=["职工文化"], paragraphs=1),
    ("002", 6): dict(title="北京保障房中心工会举办单身职工联谊会", reporters=["盛丽"], districts=[],
                     tags=["婚恋交友"], joined=["游戏环节将活动带入热烈的氛围中，通过趣味游戏",
                                               "多位职工勇敢地走到台前，向心仪的另一半表达了爱意。"], paragraphs=3),
    ("003", 1): dict(title="朝阳区举办产业工人队伍建设改革博览会",
                     subtitle="发布19万字“产改”图书 展示“五新联动”工作机制和“六位一体”工作体系等",
                     reporters=["刘欣欣"], photographers=["孙妍"], districts=["朝阳区"],
                     tags=["产业工人队伍建设改革", "创新工作室"],
                     joined=["形成的“五新联动”创新工作机制", "树立了榜样，提供了宝贵经验。", "最大限度的激发企业主体的活力"],
                     ends="现场讲述自己的奋斗故事。", paragraphs=8),
    ("003", 2): dict(title="海淀区数字经济领域职业技能竞赛决赛举办", reporters=["宗晓畅"], districts=["海淀区"],
                     tags=["劳动和技能竞赛"], joined=["工业互联网发展联盟等单位"], paragraphs=3),
    ("003", 3): dict(kicker="中铁资本保理公司工会用心用力打造“暖心服务”", title="把职工“诉求清单”兑现成“幸福账单”",
                     reporters=["马超"], correspondents=["孙斌"], districts=[], tags=["送温暖", "职工文化"],
                     joined=["结合职工教育成长诉求，该公司组织培训近20期"], paragraphs=3),
    ("003", 4): dict(title="大兴区职工知识竞赛决赛开赛", reporters=["孙艳"], districts=["大兴区"],
                     tags=["职工文化", "学习贯彻党的二十大精神"], joined=["三个环节的激烈角逐，最终，瀛海镇总工会代表队", "深入基层、浸润人心"],
                     paragraphs=5),
    ("003", 5): dict(title="市自来水集团工会调研集体合同履行情况", reporters=["边磊"], districts=[],
                     tags=["集体协商", "女职工"], joined=["并结合本单位工作实际进行了沟通与交流。"], paragraphs=3),
    ("004", 1): dict(kicker="着重对劳模工匠精神培育进行创新性探索实践", title="东城区总工会凝聚起职工干事创业强大合力",
                     reporters=["边磊"], districts=["东城区"], tags=["产业工人队伍建设改革", "劳动和技能竞赛", "创新工作室", "劳模工匠", "新就业形态劳动者", "送温暖", "集体协商", "职工之家"],
                     joined=["在产业工人队伍建设改革中", "广泛开展技能竞赛，为职工搭建", "“在职工职业技能素养双助推计划”",
                             "选树工作。截至目前"], paragraphs=7),
    ("004", 2): dict(title="温暖战疫职工", kind="photo", photographers=["边磊"], districts=["东城区"],
                     tags=["送温暖", "疫情防控"], paragraphs=1),
    ("004", 3): dict(title="新街口街道总工会为一线职工送防疫包", reporters=["陈曦"], districts=["西城区"],
                     tags=["新就业形态劳动者", "送温暖", "疫情防控"], joined=["通知精神，新街口街道总工会积极筹措", "也让我们在接下来的工作中"],
                     paragraphs=4),
    ("004", 4): dict(title="高碑店地区总工会贴心服务外卖和快递小哥", reporters=["刘欣欣"], districts=["朝阳区"],
                     tags=["新就业形态劳动者", "送温暖"], joined=["并叮嘱他们在保障村民生活", "我们也将以更好的服务"], paragraphs=4),
    ("004", 5): dict(title="公交职工在线答题学习党的二十大精神", reporters=["盛丽"], districts=[],
                     tags=["学习贯彻党的二十大精神"], joined=["有效激发了广大职工在奋进北京公交新征程中"], paragraphs=3),
    ("004", 6): dict(title="三元食品职工获“中国质量工匠”称号", reporters=["陈曦"], districts=[], tags=["劳模工匠"],
                     joined=["张双作为检验室负责人"], paragraphs=2),
    ("004", 7): dict(title="北京城建集团举办职工书画篆刻展", correspondents=["张杰"], districts=[],
                     tags=["职工文化", "学习贯彻党的二十大精神"], joined=["均将职工艺术家的艺术风格和专业特长"], paragraphs=3),
}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> dict[tuple[str, int], tuple[dict, list[str], Path]]:
    """The seed archive ingested once: (page prefix, position) -> (front matter, paragraphs, path)."""
    content = tmp_path_factory.mktemp("content")
    report = run_ingest(SEEDS, content, verbose=False)
    assert report.ok, report.errors
    articles = {}
    for path in content.glob("*.md"):
        meta, paragraphs = read_article(path)
        articles[(meta["page"][:3], meta["position"])] = (meta, paragraphs, path)
    return articles


def test_all_29_articles_and_nothing_else(ingested):
    assert sorted(ingested) == sorted(EXPECTED)


@pytest.mark.parametrize("key", sorted(EXPECTED), ids=lambda k: f"{k[0]}-{k[1]}")
def test_article(ingested, key):
    meta, paragraphs, path = ingested[key]
    want = EXPECTED[key]
    assert meta["title"] == want["title"]
    assert meta.get("kicker") == want.get("kicker")
    assert meta.get("subtitle") == want.get("subtitle")
    assert meta["kind"] == want.get("kind", "news")
    assert meta["reporters"] == want.get("reporters", [])
    assert meta["correspondents"] == want.get("correspondents", [])
    assert meta["photographers"] == want.get("photographers", [])
    assert meta.get("source") == want.get("source")
    assert meta.get("rubric") == want.get("rubric", BANNER)     # the page's banner covers the rest
    assert meta.get("section") == want.get("section")
    assert meta["districts"] == want["districts"]
    assert meta["tags"] == want["tags"]
    assert len(paragraphs) == want["paragraphs"], [p[:12] for p in paragraphs]
    for sentence in want.get("joined", []):
        assert any(sentence in p for p in paragraphs), sentence
    for start in want.get("starts", []):
        assert any(p.startswith(start) for p in paragraphs), start
    if "ends" in want:
        assert paragraphs[-1].endswith(want["ends"])
    # The dateline and credits live in front matter, never in the body.
    body = "\n".join(paragraphs)
    assert "本报讯" not in body and "摄影报道" not in body and "转自《" not in body
    assert not any(p.endswith(" 摄") for p in paragraphs)
    assert path.name == f"{meta['slug']}.md"
    assert meta["page"] == next(SEEDS.glob(f"{key[0]}_*.txt")).stem


def test_every_paragraph_ends_where_the_papers_paragraph_ends(ingested):
    for meta, paragraphs, path in ingested.values():
        for p in paragraphs:
            assert p.rstrip("”’）") [-1] in "。！？…", (path.name, p[-20:])


def test_rubric_lines_and_dangling_rubric_are_not_articles(ingested):
    titles = {m["title"] for m, _, _ in ingested.values()} | {m.get("kicker") for m, _, _ in ingested.values()}
    for rubric in (BANNER, "贯彻落实北京市工会十五大精神", "工会重点工作创新案例", "贯彻落实工会十八大精神",
                   "北京市工会十五大工作报告"):
        assert rubric not in titles


def test_tags_come_only_from_the_vocabulary_and_districts_are_canonical(ingested):
    from newsarchive.vocab import Vocabulary
    vocab = Vocabulary.read()
    terms = {t.term for t in vocab.tags}
    names = {d.name for d in vocab.districts}
    for meta, _, path in ingested.values():
        assert set(meta["tags"]) <= terms, path
        assert set(meta["districts"]) <= names, path


def test_slugs_are_pinyin_short_and_unique(ingested):
    slugs = [m["slug"] for m, _, _ in ingested.values()]
    assert len(set(slugs)) == len(slugs) == 29
    chaoyang = ingested[("003", 1)][0]["slug"]
    assert chaoyang == "chao-yang-qu-ju-ban-chan-ye-gong-ren"
    for slug in slugs:
        assert len(slug.split("-")) <= 9 and slug.isascii() and slug == slug.lower()


def test_no_date_is_invented_without_pages_toml(ingested):
    assert all("date" not in m for m, _, _ in ingested.values())


def test_front_matter_keys_and_order_follow_the_design(ingested):
    order = ["title", "kicker", "subtitle", "rubric", "section", "kind", "reporters", "correspondents",
             "photographers", "source", "districts", "tags", "page", "position", "slug", "date"]
    for meta, _, path in ingested.values():
        keys = list(meta)
        assert keys == [k for k in order if k in meta], path
        assert all(meta[k] not in ("", None) for k in keys), path
