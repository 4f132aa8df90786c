"""Bad front matter, duplicate slugs and broken templates: `file:line: message`, a non-zero exit,
every error of the build reported, and the previous site left exactly as it was."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from newsarchive.vocab import Vocabulary
from newsarchive.content.parse import parse_article
from newsarchive.render import THEME_DIR
from site_support import FIXTURE_CONFIG, REPO, build, copy_fixture_content, tree_bytes

GOOD = """---
title: 测试文章
kind: news
reporters: [刘欣欣]
districts: [朝阳区]
tags: [送温暖]
page: 009_test
position: 1
slug: ce-shi-wen-zhang
---
正文第一段。
"""
#   line:  2 title, 3 kind, 4 reporters, 5 districts, 6 tags, 7 page, 8 position, 9 slug


def variant(replace: dict[str, str | None] | None = None, add: str = "") -> str:
    """The good article with some front matter lines replaced (None removes), or one added."""
    lines = GOOD.split("\n")
    for key, new in (replace or {}).items():
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        if new is None:
            del lines[at]
        else:
            lines[at] = new
    if add:
        lines.insert(lines.index("---", 1), add)
    return "\n".join(lines)


# (case, file text, expected line, text the message must contain, text the hint must contain)
CASES = [
    ("missing-title", variant({"title": None}), 2, "missing 'title'", "title: …"),
    ("empty-title", variant({"title": "title:"}), 2, "'title' is empty", None),
    ("unknown-district", variant({"districts": "districts: [朝阳]"}), 5, "unknown district '朝阳'", "朝阳区"),
    ("unknown-tag", variant({"tags": "tags: [不存在的话题]"}), 6, "unknown tag '不存在的话题'",
     "newsarchive/data/tags.toml"),
    ("tag-alias", variant({"tags": "tags: [产改]"}), 6, "unknown tag '产改'", "产业工人队伍建设改革"),
    ("tags-not-a-list", variant({"tags": 'tags: "abc"'}), 6, "'tags' must be a list", "tags: [abc]"),
    ("reporters-mapping", variant({"reporters": "reporters: {a: 1}"}), 4, "'reporters' must be a list", None),
    ("title-not-text", variant({"title": "title: [a, b]"}), 2, "'title' must be text", None),
    ("bad-position", variant({"position": "position: 0"}), 8, "position must be a whole number", None),
    ("bad-slug", variant({"slug": "slug: Not A Slug"}), 9, "slug 'Not A Slug' may only hold", None),
    ("missing-slug", variant({"slug": None}), 2, "missing 'slug'", None),
    ("bad-kind", variant({"kind": "kind: video"}), 3, "kind must be one of news, photo", None),
    ("bad-date", variant(add="date: 2024-02-30"), 10, "date must be a real day", None),
    ("unknown-key", variant(add="tilte: 错字"), 10, "unknown key 'tilte'", "did you mean 'title'?"),
    ("repeated-key", variant(add="kind: photo"), 10, "key 'kind' is set twice (also on line 3)", None),
    ("bad-page", variant({"page": "page: ../../etc"}), 7, "page '../../etc' must be a seed page stem", None),
    ("no-front-matter", "正文而已。\n", 1, "missing front matter", None),
    ("unclosed-front-matter", "---\ntitle: 标题\n正文。\n", 1, "front matter is not closed", None),
]


@pytest.mark.parametrize("case, text, line, message, hint", CASES, ids=[c[0] for c in CASES])
def test_each_bad_front_matter_names_file_line_and_fix(tmp_path, case, text, line, message, hint):
    path = tmp_path / f"{case}.md"
    path.write_text(text, encoding="utf-8")
    errors = parse_article(path, path.read_bytes(), Vocabulary.read())
    assert isinstance(errors, list) and errors, "the file was accepted"
    first = errors[0]
    assert str(first).startswith(f"{path}:{line}: "), str(first)
    assert message in first.message
    if hint:
        assert hint in (first.hint or ""), first.hint


def test_unknown_district_hint_lists_all_seventeen(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(variant({"districts": "districts: [朝阳]"}), encoding="utf-8")
    error = parse_article(path, path.read_bytes(), Vocabulary.read())[0]
    assert all(d.name in error.hint for d in Vocabulary.read().districts)


def test_invalid_yaml_reports_the_yaml_errors_own_line(tmp_path):
    text = variant({"reporters": "reporters: [刘欣欣", "tags": "tags: [送温暖]: x"})
    path = tmp_path / "broken.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(yaml.YAMLError) as raised:
        yaml.safe_load(text.split("---\n")[1])
    expected_line = raised.value.problem_mark.line + 2  # 1-based, after the opening '---'
    error = parse_article(path, path.read_bytes(), Vocabulary.read())[0]
    assert str(error).startswith(f"{path}:{expected_line}: invalid YAML"), str(error)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """`python build.py …` in the repository, as an editor would run it."""
    return subprocess.run([sys.executable, "build.py", "--config", str(FIXTURE_CONFIG), *args],
                          cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


@pytest.fixture()
def built(tmp_path):
    """An editable copy of the fixture content and a good site built from it."""
    content = copy_fixture_content(tmp_path / "content")
    out = tmp_path / "public" / "site"
    result = run_cli("build", "--content", str(content), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return content, out


def test_a_build_reports_every_bad_file_and_leaves_the_site_alone(built):
    content, out = built
    before = tree_bytes(out)
    expected = []
    for case, text, line, message, _ in CASES:
        (content / f"{case}.md").write_text(text, encoding="utf-8")
        expected.append(f"{content / case}.md:{line}: {message}")
    result = run_cli("build", "--content", str(content), "--out", str(out))
    assert result.returncode != 0
    for line in expected:
        assert line in result.stderr, f"{line!r} not in:\n{result.stderr}"
    assert len(re.findall(r"^\S+\.md:\d+: ", result.stderr, flags=re.M)) >= len(CASES)
    assert tree_bytes(out) == before
    assert not [p for p in out.parent.iterdir() if p.name != "site" and p.name != ".cache"]


def test_two_articles_with_one_slug_stop_the_build_before_anything_is_written(tmp_path):
    content = copy_fixture_content(tmp_path / "content")
    shutil.copy(content / "zhi-gong-tu-bu-huo-dong.md", content / "copy-of-tu-bu.md")
    out = tmp_path / "public" / "site"
    result = run_cli("build", "--content", str(content), "--out", str(out))
    assert result.returncode != 0
    assert f"{content / 'zhi-gong-tu-bu-huo-dong.md'}:" in result.stderr
    assert "copy-of-tu-bu.md" in result.stderr
    assert "articles/zhi-gong-tu-bu-huo-dong/index.html" in result.stderr
    assert not out.exists()
    assert not out.parent.exists()  # no temporary directory or cache either: nothing was written


def test_a_template_error_names_the_template_and_leaves_the_site_alone(tmp_path, built):
    content, out = built
    before = tree_bytes(out)
    theme = tmp_path / "theme"
    shutil.copytree(THEME_DIR, theme)
    page = theme / "templates" / "page.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{{ newspage.label }}", "{{ newspage.no_such_field }}"),
                    encoding="utf-8")
    report = build(content, out, theme=theme)
    assert not report.ok
    error = report.errors[0]
    assert Path(error.path).name == "page.html" and error.line == 5, str(error)
    assert tree_bytes(out) == before


def test_a_template_syntax_error_names_file_and_line(tmp_path, built):
    content, out = built
    theme = tmp_path / "theme"
    shutil.copytree(THEME_DIR, theme)
    (theme / "templates" / "letters.html").write_text("{% extends 'base.html' %}\n{% block content %}\n{% if %}\n",
                                                     encoding="utf-8")
    report = build(content, out, theme=theme)
    assert not report.ok
    assert str(report.errors[0]).startswith(f"{theme / 'templates' / 'letters.html'}:3: template error")


def test_a_missing_content_directory_is_an_error(tmp_path):
    result = run_cli("build", "--content", str(tmp_path / "nope"), "--out", str(tmp_path / "site"))
    assert result.returncode != 0
    assert f"{tmp_path / 'nope'}: content directory not found" in result.stderr
