"""Hostile or broken article files: YAML bombs, huge values, control characters, multi-line
titles and empty bodies are refused with `file:line` and a short message, fast, and no output
ever carries a control character (every XML file the build writes parses as XML)."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from newsarchive import views
from newsarchive.content.parse import parse_article
from newsarchive.vocab import Vocabulary
from site_support import FIXTURE_CONFIG, FIXTURE_CONTENT, REPO, build, copy_fixture_content, tree_bytes
from test_site_errors import GOOD

#   line:  2 title, 3 kind, 4 reporters, 5 districts, 6 tags, 7 page, 8 position, 9 slug, 11 body


def with_line(key: str, line: str) -> str:
    """GOOD with the line of `key` replaced by `line` (which may span several lines)."""
    return "\n".join(line if old.startswith(f"{key}:") else old for old in GOOD.split("\n"))


def errors_of(tmp_path: Path, text: str, name: str = "bad.md"):
    """parse_article's errors for a file holding `text` (fails if the file is accepted)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    outcome = parse_article(path, path.read_bytes(), Vocabulary.read())
    assert isinstance(outcome, list) and outcome, f"accepted: {text!r}"
    return path, outcome


def limited_memory() -> None:
    """A child's address space capped at 1.5 GB: a YAML bomb must not take the machine down."""
    resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))


def run_build(content: Path, out: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python build.py build` in a child process with bounded memory and time."""
    return subprocess.run([sys.executable, "build.py", "--config", str(FIXTURE_CONFIG), "build", "--jobs", "1",
                           "--content", str(content), "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=timeout, preexec_fn=limited_memory,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


# --- YAML bombs and huge values: refused fast, with a short message -------------------------

def laughs(key: str) -> str:
    """GOOD with `key` set to a "billion laughs": nine levels of nine aliases, 9**9 strings."""
    bomb = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    bomb += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 9)]
    bomb += [f"{key}: [{', '.join(['*l8'] * 9)}]"]
    lines = [line for line in GOOD.split("\n") if not line.startswith(f"{key}:")]
    at = lines.index("---", 1)
    return "\n".join(lines[:at] + bomb + lines[at:])


@pytest.mark.parametrize("key", ["position", "kind", "date"])
def test_a_billion_laughs_is_refused_at_its_first_anchor_fast_and_briefly(tmp_path, key):
    text = laughs(key)
    started = time.perf_counter()
    path, errors = errors_of(tmp_path, text)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5, f"{elapsed:.2f}s"
    message = str(errors[0])
    assert len(message) < 400, message[:400]
    first_anchor = next(n for n, line in enumerate(text.split("\n"), start=1) if "&l0" in line)
    assert message.startswith(f"{path}:{first_anchor}: "), message
    assert "alias" in message or "anchor" in message


def test_a_billion_laughs_build_fails_in_a_second_with_little_memory(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "bomb.md").write_text(laughs("position"), encoding="utf-8")
    started = time.perf_counter()
    result = run_build(content, tmp_path / "site")
    elapsed = time.perf_counter() - started
    assert result.returncode == 1, result.stderr[-2000:]
    assert len(result.stderr) < 2000, len(result.stderr)
    assert f"{content / 'bomb.md'}:" in result.stderr and "Traceback" not in result.stderr
    assert elapsed < 10, f"{elapsed:.1f}s"   # a whole interpreter start included; the parse is milliseconds


def test_deeply_nested_yaml_is_refused_without_crashing(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "deep.md").write_text(with_line("tags", "tags: " + "[" * 100_000 + "]" * 100_000), encoding="utf-8")
    result = run_build(content, tmp_path / "site")
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])  # not a segfault (-11)
    assert f"{content / 'deep.md'}:6: " in result.stderr and "nested" in result.stderr
    assert len(result.stderr) < 2000


@pytest.mark.parametrize("key, line, number", [
    ("kind", "kind: " + "x" * 5_000_000, 3),
    ("position", "position: " + "9" * 100_000 + "x", 8),
    ("title", "title: [" + ", ".join(["很长的标题"] * 100_000) + "]", 2),
    ("tags", "tags: [" + "不存在" * 1_000_000 + "]", 6),
    ("districts", "districts: " + "朝阳" * 1_000_000, 5),
    ("slug", "slug: " + "Bad " * 1_000_000, 9),
    ("page", "page: " + "../" * 1_000_000, 7),
    ("date", "date: " + "2024-" * 1_000_000, 2),
], ids=lambda value: value if isinstance(value, str) and len(value) < 20 else "")
def test_a_huge_bad_value_gives_a_short_escaped_message(tmp_path, key, line, number):
    text = with_line(key, line) if key != "date" else GOOD.replace("---\n正文", line + "\n---\n正文")
    number = number if key != "date" else 10
    started = time.perf_counter()
    path, errors = errors_of(tmp_path, text)
    assert time.perf_counter() - started < 2
    message = str(errors[0])
    assert message.startswith(f"{path}:{number}: "), message[:300]
    assert len(message) < 600, message[:600]


def test_a_bad_value_is_quoted_escaped(tmp_path):
    _, errors = errors_of(tmp_path, with_line("kind", "kind: \"video\\e[2J\\a\""))
    message = str(errors[0])
    assert "\x1b" not in message and "\x07" not in message, message
    assert "'kind'" in message and "U+001B" in message


# --- Control characters: refused with file:line ----------------------------------------------

CONTROL_CASES = [
    # (case, file text, line, character named)
    ("bel-in-title", with_line("title", "title: 测试\x07文章"), 2, "U+0007"),
    ("nul-in-body", GOOD.replace("正文第一段。", "正文\x00第一段。"), 11, "U+0000"),
    ("esc-in-tag", with_line("tags", "tags: [送温暖\x1b[31m]"), 6, "U+001B"),
    ("del-in-reporter", with_line("reporters", "reporters: [刘欣\x7f欣]"), 4, "U+007F"),
    ("c1-in-body", GOOD.replace("正文第一段。", "正文\n\n第二段\x85。"), 13, "U+0085"),
    ("form-feed-in-body", GOOD.replace("正文第一段。", "正文第一段。\x0c"), 11, "U+000C"),
    ("line-separator-in-title", with_line("title", "title: 测试\u2028文章"), 2, "U+2028"),
    ("paragraph-separator-in-body", GOOD.replace("正文第一段。", "正文\u2029第一段。"), 11, "U+2029"),
    ("noncharacter-in-body", GOOD.replace("正文第一段。", "正文\uffff第一段。"), 11, "U+FFFF"),
    ("escaped-bel-in-quoted-title", with_line("title", 'title: "测试\\a文章"'), 2, "U+0007"),
    ("escaped-nul-in-subtitle", GOOD.replace("kind: news", 'subtitle: "副\\0题"\nkind: news'), 3, "U+0000"),
    ("escaped-line-separator-in-title", with_line("title", 'title: "测试\\L文章"'), 2, "U+2028"),
    ("escaped-esc-in-list", with_line("reporters", 'reporters: ["刘\\e欣欣"]'), 4, "U+001B"),
]


@pytest.mark.parametrize("case, text, line, named", CONTROL_CASES, ids=[c[0] for c in CONTROL_CASES])
def test_control_characters_are_refused_with_file_and_line(tmp_path, case, text, line, named):
    path, errors = errors_of(tmp_path, text)
    message = str(errors[0])
    assert message.startswith(f"{path}:{line}: "), message
    assert named in message
    assert not any(c in message for c in "\x00\x07\x1b\x7f\x85\x0c\u2028\u2029\uffff")


def test_tabs_and_crlf_line_ends_are_fine(tmp_path):
    path = tmp_path / "ok.md"
    path.write_bytes(with_line("title", "title: 测试\t文章").replace("\n", "\r\n").encode("utf-8"))
    article = parse_article(path, path.read_bytes(), Vocabulary.read())
    assert not isinstance(article, list), [str(e) for e in article]
    assert article.title == "测试\t文章"


def test_a_build_with_control_characters_fails_and_publishes_nothing(tmp_path):
    """The study's case: BEL in a title (here as a YAML escape) and NUL in a body made feed.xml
    invalid XML, and the build exited 0."""
    content = copy_fixture_content(tmp_path / "content")
    out = tmp_path / "public" / "site"
    assert build(content, out).ok
    before = tree_bytes(out)
    bell = content / "chao-yang-qu-ju-ban-chan-ye-gong-ren.md"
    bell.write_text(bell.read_text(encoding="utf-8").replace(
        "title: 朝阳区举办产业工人队伍建设改革博览会", 'title: "\\a朝阳区举办产业工人队伍建设改革博览会"', 1),
                    encoding="utf-8")
    nul = content / "zhi-gong-tu-bu-huo-dong.md"
    nul.write_text(nul.read_text(encoding="utf-8").replace("\n---\n", "\n---\n\x00", 1), encoding="utf-8")
    report = build(content, out)
    assert not report.ok
    messages = [str(e) for e in report.errors]
    assert any(m.startswith(f"{bell}:2: ") and "U+0007" in m for m in messages), messages
    assert any(m.startswith(f"{nul}:") and "U+0000" in m for m in messages), messages
    assert tree_bytes(out) == before


# --- Multi-line titles and empty bodies --------------------------------------------------------

MULTILINE_TITLES = [
    ("literal-block", "title: |\n  朝阳区举办\n  产业工人博览会"),
    ("folded-block", "title: >\n  朝阳区举办\n  产业工人博览会"),
    ("one-line-block", "title: |\n  朝阳区举办产业工人博览会"),
    ("quoted-over-two-lines", 'title: "朝阳区举办\n  产业工人博览会"'),
    ("plain-over-two-lines", "title: 朝阳区举办\n  产业工人博览会"),
    ("escaped-newline", 'title: "朝阳区举办\\n产业工人博览会"'),
]


@pytest.mark.parametrize("case, line", MULTILINE_TITLES, ids=[c[0] for c in MULTILINE_TITLES])
def test_a_multi_line_title_is_refused_on_its_line(tmp_path, case, line):
    path, errors = errors_of(tmp_path, with_line("title", line))
    message = str(errors[0])
    assert message.startswith(f"{path}:2: ") and "one line" in message, message


def test_a_multi_line_list_item_is_refused(tmp_path):
    path, errors = errors_of(tmp_path, with_line("reporters", "reporters:\n  - |\n    刘欣欣\n    王五"))
    assert str(errors[0]).startswith(f"{path}:4: ") and "one line" in str(errors[0])


def test_a_flow_list_over_several_lines_is_fine(tmp_path):
    path = tmp_path / "ok.md"
    path.write_text(with_line("tags", "tags: [送温暖,\n  职工之家]"), encoding="utf-8")
    article = parse_article(path, path.read_bytes(), Vocabulary.read())
    assert not isinstance(article, list), [str(e) for e in article]
    assert article.tags == ("送温暖", "职工之家")


@pytest.mark.parametrize("body", ["", "\n", "\n\n  \n\u3000\n"])
def test_an_empty_body_is_refused(tmp_path, body):
    text = GOOD.split("---\n正文")[0] + "---\n" + body
    path, errors = errors_of(tmp_path, text)
    assert str(errors[0]).startswith(f"{path}:10: ") and "no text" in str(errors[0]), str(errors[0])


# --- Every XML output parses as XML ------------------------------------------------------------

def xml_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.xml"))


def test_every_xml_file_of_the_fixture_site_is_well_formed(tmp_path, monkeypatch):
    monkeypatch.setattr(views, "SITEMAP_URLS", 7)   # a sitemap index and numbered sitemaps too
    out = tmp_path / "site"
    assert build(FIXTURE_CONTENT, out).ok
    names = {p.name for p in xml_files(out)}
    assert {"feed.xml", "sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"} <= names, names
    for path in xml_files(out):
        ET.parse(path)   # raises on anything that is not well-formed XML
    index = ET.parse(out / "sitemap.xml").getroot()
    assert index.tag.endswith("sitemapindex")


def test_every_xml_file_of_the_seed_site_is_well_formed(tmp_path):
    from newsarchive.builder import build_site
    from newsarchive.config import load_config
    out = tmp_path / "site"
    assert build_site(REPO / "content", out, load_config(REPO / "site.toml"), jobs=1).ok
    assert xml_files(out)
    for path in xml_files(out):
        ET.parse(path)
