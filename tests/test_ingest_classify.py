"""Tags and districts of made-up stories the vocabulary was not grown from, each expected
value worked out by hand from the documented rules (README, "How ingest reads a page"):
a tag when its term or an alias stands in the headline group or in two body sentences; a
district when the headline names it (or a township of it), when the body names it twice, or
when it is the only district the body names; a city-level headline with no district in it
makes the story city-wide."""
from __future__ import annotations

import pytest

from newsarchive.content.pages import PageMeta
from newsarchive.ingest.articles import assemble
from newsarchive.ingest.page import split_page
from newsarchive.ingest.pipeline import read_rules

RULES, CLASSIFIERS, _ = read_rules()

STORIES = [
    # a township in the headline (长阳镇 is in 房山区); 技能大赛 is an alias of the contest tag
    ("长阳镇总工会举办职工技能大赛",
     "本报讯（记者 刘小明）近日，房山区长阳镇总工会举办第三届职工技能大赛，来自镇域企业的两百余名职工参赛。"
     "比赛设置电工、焊工两个项目。",
     ["房山区"], ["劳动和技能竞赛"]),
    # 本市… with no district in the headline: city-wide, whatever districts the body names
    ("本市启动新就业形态劳动者入会集中行动",
     "本报讯（记者 王晓）近日，市总工会启动新就业形态劳动者入会集中行动。行动期间，各区工会将在朝阳区、海淀区等地设立服务点。",
     [], ["新就业形态劳动者"]),
    # 八里庄街道 is in two districts: the district named just before it decides; 心理健康 is an
    # alias of 职工身心健康
    ("八里庄街道总工会开展职工心理健康讲座",
     "本报讯（记者 李文）近日，海淀区八里庄街道总工会邀请专家开展讲座，辖区五十余名职工参加。讲座围绕压力疏导等内容展开。",
     ["海淀区"], ["职工身心健康"]),
    # an abbreviation naming two districts in the headline
    ("海淀、丰台两区工会携手送温暖",
     "本报讯（记者 赵明）近日，两区总工会联合开展活动，为一线职工送去御寒衣物。",
     ["海淀区", "丰台区"], ["送温暖"]),
    # 通州区 twice in the body; 职工之家 in one sentence only is a passing mention
    ("某公司工会举办职工乒乓球赛",
     "本报讯（记者 孙丽）近日，位于通州区的某公司工会举办职工乒乓球赛。比赛在公司职工之家举行。"
     "赛后，通州区总工会相关负责人为获奖职工颁奖。",
     ["通州区"], []),
    # two districts named once each in the body: neither is what the story is about; 书画 once
    ("职工书法作品巡展启幕",
     "本报讯（记者 周一）近日，职工书法作品巡展启幕，首站设在东城区，此后将移至西城区展出。巡展展出书画作品百余件。",
     [], []),
    # one district named once in the body, and no other: the story is about it; 慰问 in two
    # sentences makes 送温暖
    ("环卫工人收到新年礼包",
     "本报讯（记者 周一）近日，某街道工会为辖区环卫工人送去新年礼包。礼包由延庆区一家企业捐赠。"
     "工会干部一一慰问环卫工人。大家表示，这份慰问让人暖心。",
     ["延庆区"], ["送温暖"]),
]


@pytest.mark.parametrize("title,text,districts,tags", STORIES, ids=[s[0] for s in STORIES])
def test_hand_checked_tags_and_districts(title, text, districts, tags):
    (printed,) = split_page(f"{title}\n\n{text}\n", RULES).articles
    article = assemble(printed, "page", 1, PageMeta(), CLASSIFIERS)
    assert article.title == title
    assert (article.districts, article.tags) == (districts, tags)
