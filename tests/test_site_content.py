"""Content loading: the fast readers (front matter subset, plain paragraphs) agree with PyYAML and
Markdown; the model's slugs and order; the parse cache."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from newsarchive.config import SiteConfig
from newsarchive.vocab import Vocabulary
from newsarchive.content.frontmatter import simple_front_matter
from newsarchive.content.load import load_content
from newsarchive.content.markdown import markdown_html, render_body
from newsarchive.content.parse import parse_article
from newsarchive.model import build_model
from newsarchive.text.slugs import person_slug, pinyin_slug
from site_support import FIXTURE_CONTENT, REPO

SCALARS = ["朝阳区", "chao-yang", "123", "0", "012", "1.5", "yes", "No", "on", "null", "~", "2024-11-20",
           "2024-13-45", "a: b", "a #b", "a:b", '"q"', "'s'", "[a, b]", "[]", "[a,]", "[1, 2]", "[yes]",
           "[朝阳区, 海淀区]", "-x", "x-", "@x", "%x", "<script>alert(1)</script>", "{{ 7*7 }}", "[a: b]",
           '["a"]', "'it''s'", '"a\\nb"', "2024-11-20 10:00", "1e3", "0x1F", "0o17", "+1", ".inf", "=", "<<",
           "a  b", "a\tb", "\u3000全角", "中文: 冒号", "中文：全角冒号", "Tom & Jerry", "x!", "a,b", "[a b, c]",
           "True", "FALSE", "1_000", "190", "1:20", "[2024-11-20]", "&anchor x", "*alias", "!tag x", "|",
           ">", "\"unterminated", "[unterminated", "'", '"', "a'b", 'a"b', "—— 破折号", "《书名》", "#注释"]


def front_matter_files() -> list[Path]:
    """Front matter seen in practice: the fixtures and the ingested seed archive."""
    return sorted(FIXTURE_CONTENT.glob("*.md")) + sorted((REPO / "content").glob("*.md"))


@pytest.mark.parametrize("value", SCALARS)
def test_simple_front_matter_agrees_with_pyyaml_or_declines(value):
    front = f"title: {value}\nposition: 3\ntags: [产改, 工匠]\nreporters: []\ndate: 2024-11-20"
    fast = simple_front_matter(front)
    if fast is None:
        return  # PyYAML reads it
    assert fast == yaml.safe_load(front)


def test_simple_front_matter_reads_real_files_like_pyyaml():
    files = front_matter_files()
    assert len(files) >= 7
    taken = 0
    for path in files:
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        fast = simple_front_matter(front)
        if fast is not None:
            taken += 1
            assert fast == yaml.safe_load(front), path
    assert taken >= len(files) - 1  # ingest's output is in the subset (the hostile fixture is not)


def test_plain_paragraph_shortcut_matches_markdown():
    rng = random.Random(7)
    alphabet = list("中文段落，。、“”《》") + list("abc 123.-+*_#>=|~!()[]{}<&:'\"\\`\t\u3000")
    checked = 0
    for _ in range(20000):
        paragraph = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))).strip()
        if paragraph:
            assert render_body((paragraph,)) == markdown_html((paragraph,)), repr(paragraph)
            checked += 1
    assert checked > 15000


def test_markdown_keeps_raw_html_links_and_images_out():
    html = markdown_html(("<b>粗</b> [链接](javascript:x) ![图](http://evil/x.png) <http://x.com> **强调**",))
    assert "<b>" not in html and "<a" not in html and "<img" not in html
    assert "&lt;b&gt;" in html and "<strong>强调</strong>" in html


def test_person_and_column_slugs_are_pinyin():
    assert pinyin_slug("朝阳区") == "chao-yang-qu"
    assert person_slug("曾志") == "zeng-zhi" and person_slug("单霁翔") == "shan-ji-xiang"
    assert person_slug("Tom李") == "tom-li"


def article(tmp: Path, name: str, **fields) -> Path:
    """Write a minimal article file."""
    lines = [f"{key}: {value}" for key, value in fields.items()]
    path = tmp / f"{name}.md"
    path.write_text("---\n" + "\n".join(lines) + "\n---\n正文。\n", encoding="utf-8")
    return path


def test_people_with_the_same_pinyin_get_distinct_stable_slugs(tmp_path):
    article(tmp_path, "a", title="甲", slug="a", page="p1", reporters="[孙妍]", date="2024-01-01")
    article(tmp_path, "b", title="乙", slug="b", page="p2", reporters="[孙艳]", date="2024-02-01")
    loaded = load_content(tmp_path, {}, 1)
    model = build_model(loaded.articles, SiteConfig(), Vocabulary.read())
    slugs = {g.name: g.slug for g in model.groups("people")}
    assert slugs == {"孙妍": "sun-yan", "孙艳": "sun-yan-2"}  # the earlier article's person keeps the plain slug


def test_archive_order_is_newest_first_with_undated_last_in_printed_order(tmp_path):
    article(tmp_path, "u2", title="无日期二", slug="u2", page="p9", position=2)
    article(tmp_path, "u1", title="无日期一", slug="u1", page="p9", position=1)
    article(tmp_path, "old", title="旧", slug="old", page="p1", date="2024-01-01")
    article(tmp_path, "new2", title="新二", slug="new2", page="p2", position=2, date="2024-03-01")
    article(tmp_path, "new1", title="新一", slug="new1", page="p2", position=1, date="2024-03-01")
    loaded = load_content(tmp_path, {}, 1)
    model = build_model(loaded.articles, SiteConfig(), Vocabulary.read())
    assert [a.article.slug for a in model.articles] == ["new1", "new2", "old", "u1", "u2"]
    assert [p.stem for p in model.pages] == ["p2", "p1", "p9"]


def test_the_parse_cache_is_used_only_for_unchanged_files(tmp_path):
    path = article(tmp_path, "a", title="甲", slug="a")
    article(tmp_path, "b", title="乙", slug="b")
    first = load_content(tmp_path, {}, 1)
    assert first.parsed == 2
    again = load_content(tmp_path, first.files, 1)
    assert again.parsed == 0 and again.articles == first.articles
    path.write_text(path.read_text(encoding="utf-8").replace("甲", "丙"), encoding="utf-8")
    edited = load_content(tmp_path, first.files, 1)
    assert edited.parsed == 1 and edited.articles[0].title == "丙"


def test_every_fixture_article_is_valid():
    vocab = Vocabulary.read()
    for path in sorted(FIXTURE_CONTENT.glob("*.md")):
        assert not isinstance(parse_article(path, path.read_bytes(), vocab), list), path
