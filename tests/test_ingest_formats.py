"""Every format the paper prints (issue 12's list), on made-up pages in the paper's style: each
alone, mixed with ordinary stories on one page, with column breaks inside, and in GB18030,
CRLF and U+3000-indented copies. None of this text is from a real article."""
from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.content.pages import PageMeta
from newsarchive.ingest.articles import assemble
from newsarchive.ingest.decode import page_text
from newsarchive.ingest.markdown_out import IngestedArticle
from newsarchive.ingest.page import PageSplit, split_page
from newsarchive.ingest.pipeline import read_rules

RULES, CLASSIFIERS, _ = read_rules()


def copies(text: str) -> dict[str, bytes]:
    """The page as the e-paper hands it over: UTF-8, GB18030 with CRLF, U+3000-indented."""
    indented = "\n".join("\u3000\u3000" + line if line else line for line in text.split("\n"))
    return {"utf-8": text.encode("utf-8"),
            "gb18030-crlf": text.replace("\n", "\r\n").encode("gb18030"),
            "u3000-indent": indented.encode("utf-8"),
            "all-at-once": ("\ufeff" + indented.replace("\n", "\r\n")).encode("utf-8")}


def read(text: str) -> tuple[list[IngestedArticle], PageSplit]:
    """The page's articles as ingest writes them, and its split (notes), after checking that
    every copy of the page reads exactly the same."""
    results = []
    for data in copies(text).values():
        split = split_page(page_text(data, Path("page.txt")), RULES)
        articles = [assemble(a, "page", n, PageMeta(), CLASSIFIERS) for n, a in enumerate(split.articles, start=1)]
        results.append(([vars(a) for a in articles], split.notes, articles, split))
    for other in results[1:]:
        assert other[:2] == results[0][:2]
    return results[0][2], results[0][3]


def body(article: IngestedArticle) -> str:
    return "\n".join(article.paragraphs)


# -- 1. photo credits -------------------------------------------------------------------

PHOTO_CREDITS = """

职工书屋迎来新读者

近日，某区职工书屋迎来一批快递员读者，工会为他们办理了借阅卡，做好服务保障。本报记者 赵小川 摄影报道

某区工会开展岗位练兵

本报讯（记者 钱多多）近日，某区工会开展岗位练兵，一线职工现场切磋

交流。张晶晶 摄

冬日送温暖

□本报记者 周明明 文/摄

寒风中，某公司工会主席把一箱箱慰问品送到一线职工手中。

“天冷了，工会要让大家暖暖和和过冬。”他说。



外地职工技能比武现场

某地举行职工技能比武，参赛选手同台竞技。新华社发

港口工人装卸忙

某港口工人在码头装卸集装箱，确保物资运输畅通。新华社记者 吴建华 摄

青年突击队夜战保供

深夜，某供热公司青年突击队抢修管线，保障居民温暖过冬。

本报记者 田国栋 本报通讯员 孔令华 摄
"""


def test_photo_credits_in_all_their_forms():
    arts, split = read(PHOTO_CREDITS)
    assert [a.title for a in arts] == ["职工书屋迎来新读者", "某区工会开展岗位练兵", "冬日送温暖", "外地职工技能比武现场",
                                       "港口工人装卸忙", "青年突击队夜战保供"]
    glued, no_role, text_and_photo, agency, agency_reporter, two_roles = arts
    # glued to the last sentence: the story is photo news, the credit out of the body
    assert (glued.kind, glued.photographers) == ("photo", ["赵小川"])
    assert glued.paragraphs == ["近日，某区职工书屋迎来一批快递员读者，工会为他们办理了借阅卡，做好服务保障。"]
    # without a role, after a column break: a photographer of a dateline story (news)
    assert (no_role.kind, no_role.reporters, no_role.photographers) == ("news", ["钱多多"], ["张晶晶"])
    assert no_role.paragraphs == ["近日，某区工会开展岗位练兵，一线职工现场切磋交流。"]
    # □本报记者 … 文/摄: reporter and photographer, and the line opens the story
    assert (text_and_photo.reporters, text_and_photo.photographers) == (["周明明"], ["周明明"])
    assert text_and_photo.kind == "news" and len(text_and_photo.paragraphs) == 2
    assert "文/摄" not in body(text_and_photo)
    # an agency's picture: its photo news is the agency's
    assert (agency.kind, agency.source, agency.photographers) == ("photo", "新华社", [])
    assert agency.paragraphs == ["某地举行职工技能比武，参赛选手同台竞技。"]
    assert (agency_reporter.photographers, agency_reporter.source, agency_reporter.kind) == (["吴建华"], "新华社", "photo")
    assert "新华社" not in body(agency_reporter)
    # several roles in one credit line: all are photographers
    assert (two_roles.kind, two_roles.photographers, two_roles.correspondents) == ("photo", ["田国栋", "孔令华"], [])
    assert not split.doubts


# -- 2. agency copy and bracketed datelines ----------------------------------------------

AGENCY = """

全国职工书法展在京开幕

新华社北京11月26日电（记者 王晓东）第五届全国职工书法展26日在京开幕，展出作品

二百余件。

展览将持续至12月底。

某地铁路职工坚守岗位

【新华社北京十三日电】春运期间，某地铁路职工坚守岗位，保障旅客平安出行。

本市职工健步走活动启动

【本市讯】为倡导健康生活，本市职工健步走活动日前启动，数千名职工参加。

各地工会开展冬季送温暖活动

据新华社电 入冬以来，各地工会开展送温暖活动，走访慰问困难职工。

一九五六年劳动竞赛总结大会召开

新华社讯（记者 李文章）全国劳动竞赛总结大会日前召开。
"""


def test_agency_copy_and_bracketed_datelines():
    arts, split = read(AGENCY)
    xinhua, bracketed, local, reported, older = arts
    assert (reported.source, reported.paragraphs) == ("新华社", ["入冬以来，各地工会开展送温暖活动，走访慰问困难职工。"])
    assert (older.source, older.reporters, older.paragraphs) == ("新华社", ["李文章"], ["全国劳动竞赛总结大会日前召开。"])
    assert (xinhua.source, xinhua.reporters) == ("新华社", ["王晓东"])
    assert xinhua.paragraphs == ["第五届全国职工书法展26日在京开幕，展出作品二百余件。", "展览将持续至12月底。"]
    assert (bracketed.source, bracketed.paragraphs) == ("新华社", ["春运期间，某地铁路职工坚守岗位，保障旅客平安出行。"])
    assert local.source is None and local.paragraphs[0].startswith("为倡导健康生活")
    assert all("电" not in body(a)[:12] and "讯】" not in body(a) for a in arts)
    assert not split.doubts


# -- 3. datelines without parentheses ------------------------------------------------------

NO_PARENTHESES = """

山西职工技能大赛收官

本报太原专电 近日，山西省职工技能大赛落下帷幕，三百余名选手获奖。

安徽工会驿站覆盖全省

本报合肥18日电 记者从安徽省总工会获悉，全省已建成工会驿站五千余家。

本报热线电话开通以来，已为职工解答问题两千余个。
"""


def test_datelines_without_parentheses():
    arts, split = read(NO_PARENTHESES)
    shanxi, anhui = arts[:2]
    assert shanxi.paragraphs == ["近日，山西省职工技能大赛落下帷幕，三百余名选手获奖。"]
    # 本报热线电话… is a sentence, not a dateline: it stays in the body
    assert anhui.paragraphs == ["记者从安徽省总工会获悉，全省已建成工会驿站五千余家。",
                                "本报热线电话开通以来，已为职工解答问题两千余个。"]
    assert len(arts) == 2 and not split.doubts


# -- 4. end-of-article bylines ------------------------------------------------------------

END_BYLINES = """

法律服务进园区

本报讯 近日，某区总工会法律服务队走进产业园区，为职工解答劳动合同等方面的问题，发放资料八十件。（李向东）

某集团举办青年职工座谈会

本报讯 近日，某集团工会举办青年职工座谈会，二十余名青年职工畅谈成长体会。

（本报记者 曲欣然 史红宇 孙振东）

劳模工作室结对帮扶

近日，某劳模创新工作室与三家中小企业结对，开展技术帮扶，并聘请两名技术专家为

顾问。本报记者齐连生

职工运动会开幕

本报讯（记者 王小明）近日，某区职工运动会开幕，千余名职工参加此次活动。记者昨天获

悉，运动会将持续一周。记者王小明

在现场看到，拔河比赛最受欢迎。
"""


def test_end_of_article_bylines():
    arts, split = read(END_BYLINES)
    assert [a.title for a in arts] == ["法律服务进园区", "某集团举办青年职工座谈会", "劳模工作室结对帮扶", "职工运动会开幕"]
    parens, own_line, glued, sentence = arts
    assert parens.reporters == ["李向东"] and parens.paragraphs[-1].endswith("发放资料八十件。")
    assert own_line.reporters == ["曲欣然", "史红宇", "孙振东"] and len(own_line.paragraphs) == 1
    assert glued.reporters == ["齐连生"] and glued.paragraphs == [
        "近日，某劳模创新工作室与三家中小企业结对，开展技术帮扶，并聘请两名技术专家为顾问。"]
    # "…。记者昨天获" is a sentence a column break cut, not a byline (昨 is no surname); "…。记者王小明"
    # looks like one, but the story goes on after it
    assert sentence.reporters == ["王小明"]
    assert sentence.paragraphs == ["近日，某区职工运动会开幕，千余名职工参加此次活动。记者昨天获悉，运动会将持续一周。"
                                   "记者王小明在现场看到，拔河比赛最受欢迎。"]
    assert not any("（" in p or "本报记者" in p for a in arts for p in a.paragraphs)
    assert not split.doubts


@pytest.mark.parametrize("text,byline", [
    ("…发放资料八十件。（李向东）", ["李向东"]),
    ("…发放资料八十件。（本报记者 曲欣然 史红宇）", ["曲欣然", "史红宇"]),
    ("…并聘请两名技术专家为顾问。本报记者齐连生", ["齐连生"]),
    ("…参加此次活动。记者昨天获", None),        # no surname: a sentence cut by a column break
    ("…参加此次活动。本报记者从市总", None),
    ("…参加此次活动。（待续）", None),
    ("…参加此次活动。（据新华社）", None),
    ("…参加此次活动（李向东）", None),           # no sentence end before it
])
def test_end_bylines_need_a_sentence_end_and_a_name(text, byline):
    rest, credit = RULES.forms.split_end_byline(text)
    if byline is None:
        assert (rest, credit) == (text, None)
    else:
        assert [name for _, name in credit.names] == byline and rest.endswith("。")


# -- 5. stories with an author line and no dateline -------------------------------------------

AUTHOR_LINES = """

某区工会开展职工心理健康讲座

本报讯（记者 孙小燕）近日，某区总工会邀请专家为职工开展心理健康讲座。

讲座结束后，专家还为职工进行了一对一咨询。

工会论坛

让职工在家门口享受服务

□ 王建平

职工服务阵地建在哪里，关系到服务能不能真正走进职工。

把阵地建在职工身边，服务才能常态长效。

（作者单位：某区总工会）

把好事办到职工心坎上

本报评论员

办好职工身边的实事，是工会工作的出发点和落脚点。
"""


def test_stories_opened_by_an_author_line():
    arts, split = read(AUTHOR_LINES)
    assert [a.title for a in arts] == ["某区工会开展职工心理健康讲座", "让职工在家门口享受服务", "把好事办到职工心坎上"]
    news, column, editorial = arts
    assert len(news.paragraphs) == 2 and news.rubric is None
    assert (column.reporters, column.rubric, len(column.paragraphs)) == (["王建平"], "工会论坛", 3)
    assert column.paragraphs[-1] == "（作者单位：某区总工会）"      # a line in parentheses: never a headline
    assert (editorial.kicker, editorial.title) == (None, "把好事办到职工心坎上")
    assert editorial.reporters == [] and editorial.paragraphs == ["办好职工身边的实事，是工会工作的出发点和落脚点。"]
    assert "□" not in body(column) and "评论员" not in body(editorial)
    assert not split.doubts


# -- 6. a short district kicker ---------------------------------------------------------------

KICKER = """

延庆区

延庆区总工会为山区职工送健康

本报讯（记者 孙小燕）近日，延庆区总工会组织医疗专家走进山区，为职工义诊。

平谷区工会举办职工书画展

本报讯（记者 孙小燕）近日，平谷区总工会举办职工书画展，展出作品百余件。
"""


def test_a_short_district_line_is_a_kicker_not_a_rubric():
    arts, split = read(KICKER)
    yanqing, pinggu = arts
    assert (yanqing.kicker, yanqing.title, yanqing.rubric) == ("延庆区", "延庆区总工会为山区职工送健康", None)
    assert pinggu.rubric is None and pinggu.kicker is None
    assert (yanqing.districts, pinggu.districts) == (["延庆区"], ["平谷区"])
    # the rule that makes very short lines rubrics still holds for other words
    arts, _ = read(KICKER.replace("延庆区\n\n延庆区总工会", "劳模风采\n\n延庆区总工会"))
    assert (arts[0].rubric, arts[0].kicker, arts[1].rubric) == ("劳模风采", None, "劳模风采")


# -- 7. lists, Q&A and QR captions --------------------------------------------------------------

LISTS = """

某公司工会多措并举服务职工

本报讯（记者 王小明）今年以来，某公司工会多措并举服务职工，主要做法如下：

（一）建强阵地

公司工会新建职工之家两处，

配齐健身器材。

（二）办好实事

一是开展体检，覆盖全体职工；

二是设立帮扶基金，帮扶困难职工。



扫码观看视频《职工之家里的幸福生活》

公司工会负责人表示，下一步将继续把实事办好。

劳模谈创新

本报讯（记者 张晓）近日，记者专访了全国劳模、某公司高级技师刘大勇。

问：您是怎样走上创新之路的？

答：刚参加工作时，我就爱琢磨

设备上的小毛病。

问：对青年职工有什么建议

答：多动手，多琢磨。
"""


def test_colon_before_a_list_q_and_a_and_qr_captions():
    arts, split = read(LISTS)
    service, interview = arts
    assert service.paragraphs == [
        "今年以来，某公司工会多措并举服务职工，主要做法如下：", "（一）建强阵地", "公司工会新建职工之家两处，配齐健身器材。",
        "（二）办好实事", "一是开展体检，覆盖全体职工；", "二是设立帮扶基金，帮扶困难职工。",
        "公司工会负责人表示，下一步将继续把实事办好。"]
    assert interview.paragraphs == [
        "近日，记者专访了全国劳模、某公司高级技师刘大勇。", "问：您是怎样走上创新之路的？",
        "答：刚参加工作时，我就爱琢磨设备上的小毛病。", "问：对青年职工有什么建议", "答：多动手，多琢磨。"]
    # the QR caption is kept out of the body, and reported (not as a doubt) with its story
    (qr,) = [n for n in split.notes if "QR" in n.message]
    qr_line = LISTS.split("\n").index("扫码观看视频《职工之家里的幸福生活》") + 1
    assert (qr.line, qr.doubt, qr.article) == (qr_line, False, 0) and "扫码观看视频《职工之家里的幸福生活》" in qr.message
    assert not split.doubts


# -- 8. continued stories and picture captions -------------------------------------------------

CONTINUED = """（上接第1版）各级工会要把服务职工的工作做细做实，让职工

感受到温暖。

据悉，相关活动将持续到年底。

某区工会开展安全生产月活动

本报讯（记者 王小明）近日，某区总工会开展安全生产月宣传活动。

活动现场，专家为职工讲解安全知识，三百余名职工参加。（下转第3版）

某街道工会慰问环卫工人

本报讯（记者 李华）近日，某街道工会走访辖区环卫站，慰问一线环卫工人。



图为工会干部为环卫工人送上慰问品。本报记者 张小兵 摄

据介绍，该街道工会今年已开展慰问活动十余次。

某区职工跳绳比赛举行

本报讯（记者 李华）近日，某区职工跳绳比赛举行，二百余名职工参赛。本报记者 张小兵 摄



图为比赛现场。
"""


def test_continued_text_is_not_an_article_and_captions_stay_with_their_story():
    arts, split = read(CONTINUED)
    assert [a.title for a in arts] == ["某区工会开展安全生产月活动", "某街道工会慰问环卫工人", "某区职工跳绳比赛举行"]
    safety, visit, rope = arts
    assert safety.paragraphs[-1] == "活动现场，专家为职工讲解安全知识，三百余名职工参加。"
    assert visit.paragraphs == ["近日，某街道工会走访辖区环卫站，慰问一线环卫工人。", "图为工会干部为环卫工人送上慰问品。",
                                "据介绍，该街道工会今年已开展慰问活动十余次。"]
    assert visit.photographers == ["张小兵"] and visit.kind == "news"
    # a caption under a story its credit ended stays with that story
    assert rope.paragraphs[-1] == "图为比赛现场。" and rope.photographers == ["张小兵"]
    (continued,) = [n for n in split.notes if "continued" in n.message]
    assert (continued.line, continued.doubt, continued.article) == (1, False, None)
    assert "2 paragraph" in continued.message
    assert not split.doubts


# -- 9. boxes of brief items ---------------------------------------------------------------

BRIEFS = """

简讯

某区工会举办插花培训

近日，某区总工会举办插花培训班，四十余名女职工参加。（王小丽）

某公司开展消防演练

近日，某公司工会联合安保部门开展消防演练，提高职工

应急能力。（陈建军）

某街道工会为职工义诊

近日，某街道总工会邀请医生为职工义诊，百余名职工受益。

（赵小虎）

某区职工足球赛开赛

本报讯（记者 孙小燕）近日，某区职工足球赛开赛，十六支球队参赛。
"""


def test_brief_items_are_separate_articles_under_their_rubric():
    arts, split = read(BRIEFS)
    assert [(a.title, a.rubric, a.reporters) for a in arts] == [
        ("某区工会举办插花培训", "简讯", ["王小丽"]), ("某公司开展消防演练", "简讯", ["陈建军"]),
        ("某街道工会为职工义诊", "简讯", ["赵小虎"]), ("某区职工足球赛开赛", None, ["孙小燕"])]
    assert arts[1].paragraphs == ["近日，某公司工会联合安保部门开展消防演练，提高职工应急能力。"]
    assert not split.doubts


# -- all of it on one page -------------------------------------------------------------------

ORDINARY = """

深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面

某区总工会召开年度工作会议

本报讯（记者 王小明 通讯员 李华）近日，某区总工会召开年度工作会议，总结一年来的工作，部署下一

阶段任务。

会议指出，要聚焦职工急难愁盼，持续办好民生实事。
"""

FORMATS = {"photo": PHOTO_CREDITS, "agency": AGENCY, "no-parentheses": NO_PARENTHESES, "end-bylines": END_BYLINES,
           "author-lines": AUTHOR_LINES, "kicker": KICKER, "lists": LISTS, "briefs": BRIEFS}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_format_between_ordinary_stories(name):
    """The format's stories read the same with an ordinary story before and after them (one
    blank line between, no picture gap)."""
    alone, _ = read(FORMATS[name])
    pages = (ORDINARY, FORMATS[name], ORDINARY.replace("年度工作会议", "年终总结会议"))
    mixed, split = read("\n\n".join(page.strip("\n") for page in pages))
    first, *middle, last = mixed
    assert first.title == "某区总工会召开年度工作会议" and last.title == "某区总工会召开年终总结会议"
    for a in (first, last):
        assert (a.reporters, a.correspondents, len(a.paragraphs)) == (["王小明"], ["李华"], 2)
    fields = ("title", "kicker", "subtitle", "kind", "reporters", "correspondents", "photographers", "source",
              "paragraphs", "districts", "tags")
    assert [[getattr(a, f) for f in fields] for a in middle] == [[getattr(a, f) for f in fields] for a in alone]
    assert not split.doubts


def cut_columns(text: str, gap: str) -> str:
    """The page with every long paragraph cut where a column ends: two characters after its
    first comma (mid-word), with a blank line or a picture (`gap`) in between."""
    lines = []
    for line in text.split("\n"):
        comma = line.find("，")
        if len(line) > 16 and 0 < comma < len(line) - 5:
            line = line[:comma + 3] + gap + line[comma + 3:]
        lines.append(line)
    return "\n".join(lines)


@pytest.mark.parametrize("gap", ["\n\n", "\n\n\n\n"], ids=["blank-line", "picture"])
@pytest.mark.parametrize("name", sorted(FORMATS) + ["continued"])
def test_column_breaks_inside_each_format(name, gap):
    page = FORMATS.get(name, CONTINUED)
    cut = cut_columns(page, gap)
    assert cut.count("\n") >= page.count("\n") + 2 * len(gap)
    (whole, whole_split), (pieces, split) = read(page), read(cut)
    assert [vars(a) for a in pieces] == [vars(a) for a in whole]
    assert [n.message for n in split.notes] == [n.message for n in whole_split.notes]


def test_every_format_on_one_page():
    """All the formats after one another on one page (the continued text in the middle of
    it): every story reads as it does alone, and nothing is doubtful."""
    order = ["briefs", "photo", "kicker", "end-bylines", "lists", "agency", "author-lines", "no-parentheses"]
    pages = [ORDINARY] + [FORMATS[name] for name in order] + [CONTINUED]
    arts, split = read("\n\n".join(page.strip("\n") for page in pages))
    fields = ("title", "kicker", "subtitle", "kind", "reporters", "correspondents", "photographers", "source",
              "paragraphs", "districts", "tags")
    alone = [a for page in pages for a in read(page)[0]]
    assert [[getattr(a, f) for f in fields] for a in arts] == [[getattr(a, f) for f in fields] for a in alone]
    assert not split.doubts
    assert len([n for n in split.notes if "continued" in n.message]) == 1
