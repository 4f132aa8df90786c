"""No silent loss: what ingest could only guess is noted by file and line, `ingest --review`
lists it with the article it went to, and `--strict` fails on it. Made-up pages only."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive.cli import main
from newsarchive.ingest.page import split_page
from newsarchive.ingest.pipeline import read_rules, run_ingest

from conftest import ROOT, SEEDS

RULES = read_rules()[0]

STORY_A = ("某区总工会召开年度工作会议\n\n本报讯（记者 王小明）近日，某区总工会召开年度工作会议，总结一年来的工作。\n\n"
           "会议指出，要聚焦职工急难愁盼，持续办好民生实事。")


def line_of(page: str, text: str) -> int:
    return page.split("\n").index(text) + 1


def doubts(page: str):
    return split_page(page, RULES).doubts


# -- each kind of doubt, on its own page -----------------------------------------------------

def test_two_stories_glued_are_noted_where_the_second_starts():
    page = STORY_A + "\n\n某公司举办职工趣味运动会\n\n为丰富职工文化生活，某公司工会举办趣味运动会，三百余名职工参加。"
    split = split_page(page, RULES)
    assert len(split.articles) == 1            # nothing marks the second story ...
    (note,) = split.doubts                      # ... but the place is named
    assert note.line == line_of(page, "某公司举办职工趣味运动会") and note.article == 0
    assert "headline-like line read as body text" in note.message


def test_a_story_opened_without_dateline_is_noted_too():
    page = STORY_A + "\n\n某公司举办职工趣味运动会\n\n近日，某公司工会举办趣味运动会，三百余名职工参加。"
    split = split_page(page, RULES)
    assert [a.headline for a in split.articles] == [["某区总工会召开年度工作会议"], ["某公司举办职工趣味运动会"]]
    (note,) = split.doubts
    assert (note.line, note.article) == (line_of(page, "某公司举办职工趣味运动会"), 1)


def test_unknown_dateline_form_is_noted_and_kept_in_the_body():
    page = STORY_A + "\n\n某区职工书屋揭牌\n\n本刊讯（记者 张小军）近日，某区职工书屋揭牌。"
    split = split_page(page, RULES)
    assert len(split.articles) == 2            # it still opens the story ...
    (note,) = split.doubts
    assert note.line == line_of(page, "本刊讯（记者 张小军）近日，某区职工书屋揭牌。") and note.article == 1
    assert "unknown dateline form" in note.message and "本刊讯" in note.message
    assert split.articles[1].paragraphs == ["本刊讯（记者 张小军）近日，某区职工书屋揭牌。"]   # ... and loses nothing


@pytest.mark.parametrize("credit", ["本报记者 欧阳小小明 摄", "东方IC 摄", "某区总工会供图"])
def test_credit_read_as_a_rubric_is_noted(credit):
    page = STORY_A + f"\n\n{credit}"
    (note,) = doubts(page)
    assert note.line == line_of(page, credit) and "looks like a credit but was read as a rubric" in note.message


def test_credit_read_as_a_headline_is_noted():
    page = STORY_A + "\n\n某区总工会供图\n\n某区职工书屋揭牌\n\n本报讯（记者 张小军）近日，某区职工书屋揭牌。"
    (note,) = doubts(page)
    assert note.line == line_of(page, "某区总工会供图") and "read as a headline" in note.message


def test_photo_credit_lines_are_credits_not_rubrics():
    """The notes that were wrong: photo credits reported as rubrics, their photographers lost."""
    page = (STORY_A + "\n\n\n\n徒步活动收获快乐\n\n近日，某公司工会组织职工徒步。\n\n本报记者 马小超 摄影报道\n\n\n\n"
            "职工风采\n\n某公司职工在岗位上。\n\n本报记者 田国栋 本报通讯员 孔令华 摄")
    split = split_page(page, RULES)
    assert split.notes == []
    assert [a.byline.photographers for a in split.articles] == [[], ["马小超"], ["田国栋", "孔令华"]]


def test_credit_before_any_article_and_text_after_a_finished_story_are_noted():
    page = ("本报记者 马小超 摄\n\n" + STORY_A.replace("民生实事。", "民生实事。转自《中工网》")
            + "\n\n会议还表彰了一批先进集体。")
    first, second = doubts(page)
    assert first.line == 1 and "credit or byline before any article" in first.message and first.article is None
    assert second.line == line_of(page, "会议还表彰了一批先进集体。") and second.article == 0
    assert "left out" in second.message and "会议还表彰了一批先进集体" in second.message


def test_an_article_several_times_longer_than_the_others_is_noted():
    short = "某区工会开展活动{n}\n\n本报讯（记者 王小明）近日，某区工会开展活动，职工踊跃参加。\n\n" + "活动丰富了职工生活。" * 25
    page = "\n\n".join(short.format(n=n) for n in range(3)) + "\n\n某公司工会举办年度表彰\n\n本报讯（记者 李华）" + (
        "近日，某公司工会举办年度表彰大会，表彰先进集体和个人。" * 120)
    split = split_page(page, RULES)
    (note,) = split.doubts
    assert note.article == 3 and note.line == line_of(page, "某公司工会举办年度表彰")
    assert "times as long as the page's others" in note.message


def test_seed_pages_notes_are_right():
    """On the real seeds: the one title-like fragment of a paragraph is a doubt worth a look,
    and the rubric at the end of page 003 is information, not a doubt."""
    notes = {}
    for page in sorted(SEEDS.glob("*.txt")):
        from newsarchive.ingest.decode import read_page
        for note in split_page(read_page(page), RULES).notes:
            notes[(page.name[:3], note.line)] = (note.doubt, note.message.split(":")[0])
    assert notes == {("000", 27): (True, "headline-like line read as body text"),
                     ("003", 83): (False, "rubric with no article after it")}


# -- the run: --review lists, --strict fails --------------------------------------------------

GLUED = STORY_A + "\n\n某公司举办职工趣味运动会\n\n为丰富职工文化生活，某公司工会举办趣味运动会，三百余名职工参加。\n"
CLEAN = STORY_A.replace("年度工作会议", "年终总结会议") + "\n"
UNKNOWN = STORY_A + "\n\n某区职工书屋揭牌\n\n本刊讯（记者 张小军）近日，某区职工书屋揭牌。\n"
RUBRIC = STORY_A + "\n\n本报记者 欧阳小小明 摄\n"


def archive(tmp_path: Path, pages: dict[str, str]) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name, text in pages.items():
        (seeds / name).write_text(text, encoding="utf-8")
    return seeds


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`python build.py ingest …` as an editor runs it."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "ingest", *args], capture_output=True,
                          text=True, cwd=cwd)


def newsarchive(capsys, *args: str) -> tuple[int, str]:
    """`newsarchive ingest …` in this process: exit status and what it printed."""
    capsys.readouterr()
    status = main(["ingest", *args])
    return status, capsys.readouterr().err


def test_review_names_page_line_and_article_file_and_strict_fails(tmp_path, capsys):
    seeds = archive(tmp_path, {"001_glued.txt": GLUED, "002_clean.txt": CLEAN, "003_unknown.txt": UNKNOWN,
                               "004_rubric.txt": RUBRIC})
    content = tmp_path / "content"
    report = run_ingest(seeds, content, verbose=False)
    assert report.ok and report.written == 5
    assert {(n.page.name, n.line) for n in report.doubts} == {
        ("001_glued.txt", 7), ("003_unknown.txt", 9), ("004_rubric.txt", 7)}
    for note in report.doubts:
        assert note.article is not None and note.article.parent == content and note.article.exists()
    glued = next(n for n in report.doubts if n.page.name == "001_glued.txt")
    assert "趣味运动会" in glued.article.read_text(encoding="utf-8")       # the article it went to

    status, err = newsarchive(capsys, "--seeds", str(seeds), "--content", str(content))
    assert status == 0 and "doubt" not in err          # nothing split again: nothing to say
    status, err = newsarchive(capsys, "--seeds", str(seeds), "--content", str(content), "--review")
    assert status == 0
    assert "review: 3 doubtful places on 3 pages" in err
    for page, line in (("001_glued.txt", 7), ("003_unknown.txt", 9), ("004_rubric.txt", 7)):
        assert f"doubt: {seeds / page}:{line}: " in err
    assert f"(article: {glued.article})" in err
    assert "0 articles written" in err                 # a review writes nothing new
    strict = cli("--seeds", str(seeds), "--content", str(content), "--strict", cwd=tmp_path)
    assert strict.returncode == 1 and "strict: 3 doubtful places" in strict.stderr
    assert f"{seeds / '001_glued.txt'}:7: " in strict.stderr
    capsys.readouterr()
    assert main(["-q", "ingest", "--seeds", str(seeds), "--content", str(content), "--review"]) == 0
    assert f"doubt: {seeds / '003_unknown.txt'}:9: " in capsys.readouterr().err    # asked for: listed even when quiet


@pytest.mark.parametrize("name", ["001_glued.txt", "003_unknown.txt", "004_rubric.txt"])
def test_strict_fails_on_each_kind_alone_and_passes_on_a_clean_page(tmp_path, capsys, name):
    text = {"001_glued.txt": GLUED, "003_unknown.txt": UNKNOWN, "004_rubric.txt": RUBRIC}[name]
    seeds = archive(tmp_path, {name: text, "002_clean.txt": CLEAN})
    status, err = newsarchive(capsys, "--seeds", str(seeds), "--content", str(tmp_path / "c1"), "--strict")
    assert status == 1 and f"{seeds / name}:" in err
    (seeds / name).unlink()
    assert newsarchive(capsys, "--seeds", str(seeds), "--content", str(tmp_path / "c2"), "--strict")[0] == 0


# -- what is not a newspaper page -------------------------------------------------------------

NOT_PAGES = {
    "passwd.txt": "".join(f"user{n}:x:{1000 + n}:{1000 + n}:User {n},,,:/home/user{n}:/bin/bash\n" for n in range(40))
                  + "root:x:0:0:root:/root:/bin/bash but this line is long enough to be read as text by ingest\n",
    "table.txt": "姓名,单位,电话\n\n" + "\n\n".join(f"张{n},某公司工会办公室综合科,010-6{n:03d}8888,北京市朝阳区某街道{n}号院" for n in range(30)),
    "readme.txt": "Newsarchive\n\nThis is an English README for a static site generator. It explains how to install "
                  "the tool, how to run it, and where the output goes.\n\nInstall\n\nRun pip install newsarchive "
                  "and then newsarchive new my-archive to make a folder for your pages and articles.",
}


@pytest.mark.parametrize("name", sorted(NOT_PAGES))
def test_text_that_is_not_a_newspaper_page_is_refused_and_nothing_written(tmp_path, name):
    seeds = archive(tmp_path, {name: NOT_PAGES[name], "002_clean.txt": CLEAN})
    content = tmp_path / "content"
    report = run_ingest(seeds, content, verbose=False)
    assert not report.ok and len(report.errors) == 1
    assert name in report.errors[0] and "not a newspaper page" in report.errors[0]
    assert report.written == 1 and len(list(content.glob("*.md"))) == 1
