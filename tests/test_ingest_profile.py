"""The paper profile (data/profile.toml): an archive's own overrides the engine's, key by key;
a bad value names the file, key and line; and an edit of it (or of tags.toml) made between
two runs in one process reaches the content files (as under `serve`)."""
from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from newsarchive.archive import PACKAGE_DATA, Archive, DataFiles
from newsarchive.errors import ArchiveError
from newsarchive.ingest.page import split_page
from newsarchive.ingest.pipeline import read_rules, run_ingest
from newsarchive.ingest.profile import load_profile

from conftest import SEEDS, read_article

STORY = "某区职工书屋揭牌\n\n本刊讯（记者 张小军）近日，某区职工书屋揭牌。\n"


def own_profile(tmp_path: Path, text: str) -> DataFiles:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "profile.toml").write_text(text, encoding="utf-8")
    return DataFiles(data)


SPECIAL = {("headline", "roles"): "first-is-title", ("page", "min_body_han_share"): 0.25, ("credits", "unmarked_field"): "correspondents",
           ("rubrics", "subrubric"): r"^==(?P<name>.+)==$", ("credits", "author_marks"): "□■◎●▲"}


def changed(table: str, key: str, value):
    """Another valid value for a profile key."""
    if (table, key) in SPECIAL:
        return SPECIAL[(table, key)]
    if table == "roles":
        return "correspondents" if value != "correspondents" else "reporters"
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, list):
        return value + ["某某"]
    return value + "|某某"      # a pattern with one more alternative, or a longer word list


def test_every_profile_value_counts_in_the_rules_fingerprint(tmp_path):
    """The fingerprint is made from the values the matchers are made from: change any one of
    them and the rules are new (every page is ingested again)."""
    default = tomllib.loads((PACKAGE_DATA / "profile.toml").read_text(encoding="utf-8"))
    base = read_rules()[2]
    for table, keys in default.items():
        for key, value in keys.items():
            data = own_profile(tmp_path, f"[{table}]\n{json.dumps(key, ensure_ascii=False)} = "
                                         f"{json.dumps(changed(table, key, value), ensure_ascii=False)}\n")
            assert read_rules(data)[2] != base, (table, key)


def test_an_archive_profile_overrides_single_keys(tmp_path):
    assert split_page(STORY, read_rules()[0]).doubts         # 本刊讯 is no form of this paper
    data = own_profile(tmp_path, "[datelines]\nown = ['本报讯', '本刊讯']\n\n[headline]\nroles = \"first-is-title\"\n")
    rules, classifiers, _ = read_rules(data)
    split = split_page(STORY, rules)
    assert not split.doubts
    (article,) = split.articles
    assert (article.byline.reporters, article.paragraphs) == (["张小军"], ["近日，某区职工书屋揭牌。"])
    # the other keys stay the engine's: a photo credit is still read
    assert rules.profile.photo_verbs == load_profile().photo_verbs
    assert classifiers.headline.roles == "first-is-title"


def test_the_headline_role_rule_comes_from_the_profile(tmp_path, seeds_copy):
    data = own_profile(tmp_path, '[headline]\nroles = "first-is-title"\n')
    content = tmp_path / "content"
    assert run_ingest(seeds_copy, content, verbose=False, data=data).ok
    metas = [read_article(p)[0] for p in content.glob("*.md")]
    first = next(m for m in metas if m["page"].startswith("000") and m["position"] == 1)
    # two lines: under this paper's rule the shorter second line is the title; here the first
    assert (first["title"], first["subtitle"]) == ("北京市交通运输工会深入推进产业工人队伍建设改革", "让产业工人在新时代舞台绽放精彩")


@pytest.mark.parametrize("text,key,line,message", [
    ("[page]\nheadline_max = 40\n", "headline_max", 2, "unknown key 'headline_max' in [page]"),
    ("[paper]\nname = 1\n", None, 1, "unknown table [paper]"),
    ("headline_max_chars = 40\n", None, None, "'headline_max_chars' stands outside any table"),
    ("# comment\n[page]\n\nheadline_max_chars = \"50\"\n", "headline_max_chars", 4, "expected a whole number above 0"),
    ("[page]\npicture_gap_lines = 2\n", "picture_gap_lines", 2, "3 or more"),
    ("[page]\nlong_article_ratio = 0.5\n", "long_article_ratio", 2, "a number above 1"),
    ("[page]\nheadline_commas = 1\n", "headline_commas", 2, "true or false"),
    ("[datelines]\nsuspect = '(['\n", "suspect", 2, "bad regular expression"),
    ("[datelines]\nown = ['本报讯', '([']\n", "own", 2, "bad regular expression"),
    ("[datelines]\nown = []\n", "own", 2, "a list of non-empty strings"),
    ("[roles]\n\"编辑\" = \"editors\"\n", "编辑", 2, "reporters or correspondents or photographers"),
    ("[rubrics]\nsubrubric = '^>>(.+)<<$'\n", "subrubric", 2, "(?P<name>…)"),
    ("[headline]\nroles = \"longest-is-title\"\n", "roles", 2, "shortest-is-title"),
    ("[credits]\nunmarked_field = \"authors\"\n", "unmarked_field", 2, "reporters or correspondents"),
    ("[page]\nheadline_max_chars = 50\nheadline_max_chars = 40\n", None, 3, "not valid TOML"),
])
def test_a_bad_profile_value_names_the_file_key_and_line(tmp_path, text, key, line, message):
    data = own_profile(tmp_path, text)
    with pytest.raises(ArchiveError) as caught:
        load_profile(data)
    error = caught.value
    assert error.path == data.own / "profile.toml" and error.line == line
    assert message in str(error) and (key is None or key in str(error))


def test_a_bad_profile_stops_the_ingest_run_with_file_and_line(tmp_path, seeds_copy):
    data = own_profile(tmp_path, "[markers]\nqr_caption = '(扫码'\n")
    report = run_ingest(seeds_copy, tmp_path / "content", verbose=False, data=data)
    assert not report.ok and f"{data.own / 'profile.toml'}:2: [markers] qr_caption: bad regular expression" in report.errors[0]
    assert not (tmp_path / "content").exists() or not list((tmp_path / "content").glob("*.md"))


def test_an_old_rubrics_file_is_refused_with_a_hint(tmp_path):
    data = own_profile(tmp_path, "")
    (data.own / "rubrics.toml").write_text("names = []\n", encoding="utf-8")
    with pytest.raises(ArchiveError, match="rubrics are now part of the paper profile") as caught:
        read_rules(data)
    assert "[rubrics]" in caught.value.hint


def test_edits_of_tags_and_profile_between_runs_in_one_process_reach_the_content(tmp_path):
    """What `serve` does on a change of data/: ingest again in the same process. Nothing may
    keep the rules of the first run."""
    root = tmp_path / "archive"
    shutil.copytree(SEEDS, root / "seeds")
    (root / "data").mkdir()
    shutil.copy(PACKAGE_DATA / "tags.toml", root / "data" / "tags.toml")
    archive = Archive(root)

    def ingest() -> dict[str, dict]:
        report = run_ingest(archive.seeds, archive.content, verbose=False, data=archive.data)
        assert report.ok, report.errors
        return {read_article(p)[0]["title"]: read_article(p)[0] for p in archive.content.glob("*.md")}

    first = ingest()
    assert first["徒步活动收获快乐"]["tags"] == ["职工文化"]
    tags = archive.data.path("tags.toml")
    tags.write_text(tags.read_text(encoding="utf-8") + '\n[[tag]]\nterm = "户外运动"\nslug = "hu-wai-yun-dong"\n'
                    'aliases = ["国际徒步大道"]\ntitle_only = ["收获快乐"]\n', encoding="utf-8")
    second = ingest()
    assert second["徒步活动收获快乐"]["tags"] == ["职工文化", "户外运动"]
    assert {t: m for t, m in second.items() if t != "徒步活动收获快乐"} == {
        t: m for t, m in first.items() if t != "徒步活动收获快乐"}

    (root / "data" / "profile.toml").write_text('[headline]\nroles = "first-is-title"\n', encoding="utf-8")
    third = ingest()
    assert "北京市交通运输工会深入推进产业工人队伍建设改革" in third
    assert "让产业工人在新时代舞台绽放精彩" not in third
    (root / "data" / "profile.toml").unlink()
    fourth = ingest()
    assert set(fourth) == set(second)
