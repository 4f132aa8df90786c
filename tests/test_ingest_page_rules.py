"""Page-splitting rules on made-up pages shaped like the paper's (not the seed pages' text)."""
from __future__ import annotations

from newsarchive.ingest.articles import split_headline
from newsarchive.ingest.page import split_page
from newsarchive.ingest.pipeline import read_rules

RULES = read_rules()[0]


def split(text: str):
    return split_page(text, RULES).articles


def test_title_like_fragment_continues_the_paragraph():
    page = ("丰台区总工会举办职工运动会\n\n本报讯（记者 王小明）近日，丰台区总工会举办运动会。\n\n"
            "区总工会主席在年度工作会议\n\n上表示，将继续办好运动会。\n\n"
            "石景山区职工书屋揭牌\n\n本报讯（通讯员 李华 赵强）近日，书屋揭牌。")
    first, second = split(page)
    assert first.paragraphs == ["近日，丰台区总工会举办运动会。", "区总工会主席在年度工作会议上表示，将继续办好运动会。"]
    assert second.headline == ["石景山区职工书屋揭牌"]
    assert second.byline.correspondents == ["李华", "赵强"]


def test_column_break_mid_word_across_a_picture_gap():
    page = "怀柔区工会服务站启用\n\n本报讯（记者 陈一）近日，怀柔区工会服务\n\n\n\n站正式启用，职工可以在此休息。"
    (art,) = split(page)
    assert art.paragraphs == ["近日，怀柔区工会服务站正式启用，职工可以在此休息。"]


def test_photo_caption_with_its_own_credit_line_and_a_reprint_after_a_picture_gap():
    page = ("房山区职工摄影展开幕\n\n本报讯（记者 周五）近日，摄影展开幕。\n\n\n\n"
            "冬日里的坚守\n\n环卫职工在街头清扫积雪。\n\n本报记者 吴六 摄\n\n\n\n"
            "外省工会经验一则\n\n某市总工会推出新举措，受到职工欢迎。\n\n转自《工人日报》")
    news, photo, reprint = split(page)
    assert photo.headline == ["冬日里的坚守"] and photo.photo_story and photo.byline.photographers == ["吴六"]
    assert not news.photo_story
    assert reprint.source == "工人日报" and reprint.paragraphs == ["某市总工会推出新举措，受到职工欢迎。"]


def test_four_headline_lines_make_the_first_a_rubric_and_a_very_short_line_is_a_rubric():
    page = ("基层工会巡礼\n\n顺义区某镇总工会探索新路子\n\n让职工之家更有温度\n\n三个举措服务职工\n\n"
            "本报讯（记者 钱七）近日，某镇总工会……。\n\n劳模风采\n\n密云区一名劳模扎根山区三十年\n\n本报讯（记者 孙八）他叫……。")
    first, second = split(page)
    assert first.rubric == "基层工会巡礼" and first.headline == ["顺义区某镇总工会探索新路子", "让职工之家更有温度", "三个举措服务职工"]
    assert second.rubric == "劳模风采" and second.headline == ["密云区一名劳模扎根山区三十年"]


def test_dangling_rubric_at_the_end_of_a_page_is_not_an_article():
    page = "某区工会开展活动\n\n本报讯（记者 郑九）近日，活动开展。\n\n学习贯彻党的二十大精神"
    split_ = split_page(page, RULES)
    assert len(split_.articles) == 1 and "rubric with no article" in split_.notes[0].message
    assert not split_.notes[0].doubt and split_.notes[0].line == 5


def test_headline_roles_follow_the_documented_rule():
    assert split_headline(["只有主题"]).title == "只有主题"
    two_long_then_short = split_headline(["引题比主题长得多的一行文字", "主题较短"])
    assert (two_long_then_short.kicker, two_long_then_short.title) == ("引题比主题长得多的一行文字", "主题较短")
    title_then_sub = split_headline(["主题较短", "副题比主题长得多的一行文字"])
    assert (title_then_sub.title, title_then_sub.subtitle) == ("主题较短", "副题比主题长得多的一行文字")
    three = split_headline(["引题", "主题", "副题"])
    assert (three.kicker, three.title, three.subtitle) == ("引题", "主题", "副题")
