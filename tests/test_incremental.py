"""Incremental builds: after edits, additions and deletions the site equals a fresh full build
byte for byte; unchanged inputs write nothing; bad caches are ignored; failures change nothing."""
from __future__ import annotations

import os
import pickle
import shutil
import time
from dataclasses import replace

import pytest

from newsarchive import builder
from newsarchive.render import THEME_DIR
from site_support import REPO, build, copy_fixture_content, page_path, tree_bytes, tree_stats


@pytest.fixture()
def archive(tmp_path):
    """An editable fixture archive and its site, fully built once."""
    content = copy_fixture_content(tmp_path / "content")
    out = tmp_path / "public" / "site"
    report = build(content, out)
    assert report.ok and report.mode == "full"
    return content, out


def fresh_build(content, tmp_path) -> dict[str, bytes]:
    """What a full build of `content` into a new directory writes."""
    out = tmp_path / f"fresh-{time.monotonic_ns()}" / "site"
    report = build(content, out)
    assert report.ok and report.mode == "full"
    return tree_bytes(out)


def edit(path, old: str, new: str) -> None:
    """Replace text in a content file."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_editing_one_article_rewrites_only_the_pages_that_show_it(archive, tmp_path):
    content, out = archive
    before = tree_stats(out)
    edit(content / "zhi-gong-tu-bu-huo-dong.md", "职工徒步活动强健体魄", "职工徒步活动增进交流")
    report = build(content, out)
    assert report.ok and report.mode == "incremental"
    assert tree_bytes(out) == fresh_build(content, tmp_path)
    after = tree_stats(out)
    html_changed = {p for p in after if p.endswith(".html") and after[p] != before.get(p)}
    assert "articles/zhi-gong-tu-bu-huo-dong/index.html" in html_changed
    assert page_path("004_c42b05819928b75e") in html_changed
    assert "articles/chao-yang-qu-ju-ban-chan-ye-gong-ren/index.html" not in html_changed
    assert "districts/haidian/index.html" not in html_changed
    assert len(html_changed) < len([p for p in after if p.endswith(".html")]) / 2


def test_a_body_edit_rewrites_only_that_article_page(archive, tmp_path):
    """An edit below the summary changes no outline: only the article's own page is looked at."""
    content, out = archive
    before = tree_stats(out)
    edit(content / "chao-yang-qu-ju-ban-chan-ye-gong-ren.md", "以及各条战线取得的创新工作室成果。",
         "以及各条战线取得的创新工作室成果和职工技术创新成果。")
    report = build(content, out)
    assert report.ok and report.mode == "incremental"
    assert report.counts["considered"] == 1  # of all the pages, only the article's own was looked at
    assert report.counts["written"] == 2     # the article page and the feed (which shows bodies)
    assert tree_bytes(out) == fresh_build(content, tmp_path)
    after = tree_stats(out)
    changed = {p for p in after if not p.startswith("search/") and after[p] != before.get(p)}
    assert changed == {"articles/chao-yang-qu-ju-ban-chan-ye-gong-ren/index.html", "feed.xml"}


def test_a_body_edit_that_changes_the_summary_updates_the_lists(archive, tmp_path):
    content, out = archive
    before = tree_stats(out)
    edit(content / "chao-yang-qu-ju-ban-chan-ye-gong-ren.md", "\n---\n", "\n---\n新添的开头一句。")
    report = build(content, out)
    assert report.ok and report.mode == "incremental"
    assert tree_bytes(out) == fresh_build(content, tmp_path)
    after = tree_stats(out)
    assert after["districts/chaoyang/index.html"] != before["districts/chaoyang/index.html"]
    assert "新添的开头一句" in (out / "districts/chaoyang/index.html").read_text(encoding="utf-8")


SHARED = "mi-yun-zhi-gong-shu-hua-zhan.md"   # two districts, a tag, three credits, page 004


@pytest.mark.parametrize("name, old, new", [
    # its page neighbour 海淀劳模工匠风采展开幕 shares no group with it: linked only as 上一篇
    ("chao-yang-qu-ju-ban-chan-ye-gong-ren.md", "title: 朝阳区举办产业工人队伍建设改革博览会",
     "title: 朝阳区举办产业工人队伍建设改革成果展"),
    (SHARED, "title: 职工书画展在经开区开展", "title: 职工书画展在经开区开幕"),
    (SHARED, "title: 职工书画展在经开区开展", "kicker: 翰墨颂匠心\ntitle: 职工书画展在经开区开展"),
    (SHARED, "title: 职工书画展在经开区开展", "title: 职工书画展在经开区开展\nsubtitle: 展出作品120余件"),
    (SHARED, "kind: news", "kind: photo"),
    (SHARED, "kind: news", "kind: news\nsource: 中工网"),
    (SHARED, "---\n近日，", "---\n日前，"),                 # the summary
])
def test_an_article_changed_in_place_rewrites_the_pages_that_show_it(archive, tmp_path, name, old, new):
    """Edits that keep the article's place (URL, date, page, groups) look only at the pages
    that show it, and give what a full build gives."""
    content, out = archive
    edit(content / name, old, new)
    report = build(content, out)
    assert report.ok and report.mode == "incremental"
    assert 0 < report.counts["considered"] < report.counts["page_outputs"] / 2
    assert tree_bytes(out) == fresh_build(content, tmp_path)


def test_an_article_moved_to_another_group_looks_at_every_page(archive, tmp_path):
    content, out = archive
    edit(content / SHARED, "tags: [职工文化]", "tags: [职工文化, 送温暖]")
    report = build(content, out)
    assert report.ok and report.counts["considered"] == report.counts["page_outputs"]
    assert tree_bytes(out) == fresh_build(content, tmp_path)


def test_adding_an_article(archive, tmp_path):
    content, out = archive
    text = (content / "hai-dian-lao-mo-gong-jiang-zhan.md").read_text(encoding="utf-8")
    (content / "new-article.md").write_text(
        text.replace("slug: hai-dian-lao-mo-gong-jiang-zhan", "slug: xin-wen-zhang")
            .replace("海淀劳模工匠风采展开幕", "新加的图片新闻").replace("position: 2", "position: 3")
            .replace("[海淀区]", "[延庆区]").replace("[马超]", "[新摄影]"), encoding="utf-8")
    report = build(content, out)
    assert report.ok and report.mode == "incremental"
    assert (out / "articles/xin-wen-zhang/index.html").is_file()
    assert (out / "people/xin-she-ying/index.html").is_file()
    assert tree_bytes(out) == fresh_build(content, tmp_path)


def test_deleting_an_article_removes_its_pages(archive, tmp_path):
    content, out = archive
    (content / "xss-test-article.md").unlink()
    report = build(content, out)
    assert report.ok and report.mode == "incremental" and report.counts["deleted"] > 0
    assert not (out / "articles/xss-test-article").exists()
    assert not (out / "people/zeng-zhi").exists()          # only credited there
    assert not (out / page_path("002_8bc5961090bece20")).exists()
    assert not (out / "tags/song-wen-nuan").exists()
    assert tree_bytes(out) == fresh_build(content, tmp_path)


def test_edit_add_delete_together_in_parallel(archive, tmp_path, monkeypatch):
    content, out = archive
    monkeypatch.setattr(builder, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setattr(builder, "CHUNK_PAGES", 4)
    edit(content / "shou-du-gong-jiang-xue-yuan-ji-neng-jing-sai.md", "tags: [工匠学院, 劳动和技能竞赛]",
         "tags: [工匠学院, 职工文化]")
    shutil.copy(content / "zhi-gong-tu-bu-huo-dong.md", content / "another.md")
    edit(content / "another.md", "slug: zhi-gong-tu-bu-huo-dong", "slug: ling-yi-pian")
    (content / "wai-mai-xiao-ge-nuan-xin-yi-zhan.md").unlink()
    report = build(content, out, jobs=2)
    assert report.ok and report.mode == "incremental"
    assert tree_bytes(out) == fresh_build(content, tmp_path)


def test_page_metadata_change_is_picked_up(archive, tmp_path):
    content, out = archive
    edit(content / "pages.toml", 'name = "要闻"', 'name = "综合新闻"')
    report = build(content, out)
    assert report.ok and report.mode == "incremental"
    assert "第3版 · 综合新闻" in (out / "pages/2024-11-20-3/index.html").read_text(encoding="utf-8")
    assert tree_bytes(out) == fresh_build(content, tmp_path)


def test_nothing_changed_writes_nothing(archive):
    content, out = archive
    before = tree_stats(out)
    for _ in range(2):
        report = build(content, out)
        assert report.ok and report.mode == "unchanged"
    assert tree_stats(out) == before


def test_touching_a_file_without_changing_it_writes_nothing(archive):
    content, out = archive
    before = tree_stats(out)
    path = content / "zhi-gong-tu-bu-huo-dong.md"
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    report = build(content, out)
    assert report.ok and report.mode == "unchanged"
    assert "load" not in report.timings          # the one touched file re-hashed, no parse read
    assert tree_stats(out) == before


def test_a_racy_file_that_changed_again_is_rebuilt(archive, tmp_path):
    """Written twice within one clock tick at the same size, a file keeps its stat: only its
    bytes tell. A stat taken moments before the build is not trusted, so they are hashed."""
    content, out = archive
    path = content / "zhi-gong-tu-bu-huo-dong.md"
    edit(path, "300余名", "400余名")
    first = path.stat().st_mtime_ns
    assert build(content, out).mode == "incremental"
    state = pickle.loads((cache_dir(out) / "state.pickle").read_bytes())[1]
    assert (path.name, -1, path.stat().st_size) in state.content_stats   # recorded as racy
    edit(path, "400余名", "500余名")        # same length in bytes
    os.utime(path, ns=(first, first))      # and, as within one tick, the same mtime
    report = build(content, out)
    assert report.ok and report.mode == "incremental"
    assert tree_bytes(out) == fresh_build(content, tmp_path)


def test_the_fast_path_trusts_settled_stats(archive):
    content, out = archive
    past = time.time_ns() - 60_000_000_000
    for path in content.iterdir():
        os.utime(path, ns=(past, past))
    assert build(content, out).mode == "unchanged"   # re-hashed once: the files had been racy
    started = time.perf_counter()
    report = build(content, out)
    assert report.mode == "unchanged" and "load" not in report.timings  # decided from stats alone
    assert time.perf_counter() - started < 2


def cache_dir(out):
    """Where the build keeps its cache for `out`."""
    return out.parent / ".cache" / out.name


def test_a_corrupt_cache_is_ignored_with_a_message(archive, tmp_path, capsys):
    content, out = archive
    (cache_dir(out) / "state.pickle").write_bytes(b"not a pickle")
    (cache_dir(out) / "content.pickle").write_bytes(pickle.dumps("wrong")[:5])
    edit(content / "zhi-gong-tu-bu-huo-dong.md", "300余名", "400余名")
    report = builder.build_site(content, out, __import__("site_support").fixture_config(), jobs=1, verbose=True)
    assert report.ok and report.mode == "full"
    assert "unreadable" in capsys.readouterr().out
    assert tree_bytes(out) == fresh_build(content, tmp_path)


def test_another_content_reader_rebuilds_the_search_shards(archive, monkeypatch):
    """Shards are keyed by file hashes: when the code that reads the files changes, the
    search cache goes, since the same bytes may now give other fields."""
    content, out = archive
    marker = cache_dir(out) / "search" / "marker"
    marker.write_text("from the last build")
    real = builder.make_stamps
    monkeypatch.setattr(builder, "make_stamps",
                        lambda *args: replace(real(*args), parse="another content reader"))
    edit(content / "zhi-gong-tu-bu-huo-dong.md", "300余名", "400余名")
    assert build(content, out).ok
    assert not marker.exists()


def test_a_cache_from_another_version_is_ignored(archive, capsys):
    content, out = archive
    path = cache_dir(out) / "state.pickle"
    stamp, state = pickle.loads(path.read_bytes())
    path.write_bytes(pickle.dumps(("another-version", state)))
    report = builder.build_site(content, out, __import__("site_support").fixture_config(), jobs=1, verbose=True)
    assert report.ok and report.mode == "full"
    assert "another version" in capsys.readouterr().out


def test_a_theme_change_rebuilds_everything(archive, tmp_path):
    content, out = archive
    theme = tmp_path / "theme"
    shutil.copytree(THEME_DIR, theme)
    footer = theme / "templates" / "_footer.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace("{{ ui.feed_link }}", "订阅"), encoding="utf-8")
    report = build(content, out, theme=theme)
    assert report.ok and report.mode == "full"
    assert report.counts["parsed"] == 0  # the theme does not touch parsed content: that cache holds
    assert "订阅（Atom）" not in (out / "index.html").read_text(encoding="utf-8")


def test_a_failed_incremental_build_changes_nothing(archive, tmp_path):
    content, out = archive
    before = tree_bytes(out)
    edit(content / "zhi-gong-tu-bu-huo-dong.md", "title: 职工徒步活动强健体魄", "title: [未闭合")
    (content / "more.md").write_text("---\ntitle: 新\nslug: zhi-gong-tu-bu-huo-dong\n---\n正文\n", encoding="utf-8")
    report = build(content, out)
    assert not report.ok
    assert tree_bytes(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == [".cache", "site"]
    (content / "more.md").unlink()
    edit(content / "zhi-gong-tu-bu-huo-dong.md", "title: [未闭合", "title: 修好了")
    report = build(content, out)
    assert report.ok and report.mode == "incremental"
    assert tree_bytes(out) == fresh_build(content, tmp_path)


# --- editions: dates and pages.toml -----------------------------------------------------------

def test_an_article_moved_to_another_date(archive, tmp_path):
    """The only article of 2024-11-19 moves to the 21st: the old edition goes, a new one comes,
    and its page (dated by its articles) moves with it."""
    content, out = archive
    edit(content / "xss-test-article.md", "date: 2024-11-19", "date: 2024-11-21")
    report = build(content, out)
    assert report.ok and report.mode == "incremental"
    assert not (out / "editions/2024-11-19").exists() and (out / "editions/2024-11-21/index.html").is_file()
    assert tree_bytes(out) == fresh_build(content, tmp_path)


def test_an_article_dated_apart_from_its_page(archive, tmp_path):
    """An article given another date than its page's shows in both days' editions."""
    content, out = archive
    edit(content / "hai-dian-lao-mo-gong-jiang-zhan.md", "date: 2024-11-20", "date: 2024-11-22")
    report = build(content, out)
    assert report.ok and report.mode == "incremental"
    assert "海淀劳模工匠风采展开幕" in (out / "editions/2024-11-22/index.html").read_text(encoding="utf-8")
    assert "海淀劳模工匠风采展开幕" in (out / "editions/2024-11-20/index.html").read_text(encoding="utf-8")
    assert tree_bytes(out) == fresh_build(content, tmp_path)


def test_a_date_gains_its_only_article(archive, tmp_path):
    content, out = archive
    text = (content / "zhi-gong-tu-bu-huo-dong.md").read_text(encoding="utf-8")
    (content / "new-day.md").write_text(
        text.replace("slug: zhi-gong-tu-bu-huo-dong", "slug: xin-de-yi-tian\ndate: 2024-12-02")
            .replace("page: 004_c42b05819928b75e", "page: 2024-12-02_01")
            .replace("职工徒步活动强健体魄", "新的一天"), encoding="utf-8")
    report = build(content, out)
    assert report.ok and report.mode == "incremental"
    assert (out / "editions/2024-12-02/index.html").is_file() and (out / "pages/2024-12-02-1/index.html").is_file()
    assert "editions/2024-12-02/index.html" in (out / "index.html").read_text(encoding="utf-8")
    assert tree_bytes(out) == fresh_build(content, tmp_path)


def test_a_date_loses_its_only_article(archive, tmp_path):
    content, out = archive
    (content / "xss-test-article.md").unlink()
    report = build(content, out)
    assert report.ok and report.mode == "incremental"
    assert not (out / "editions/2024-11-19").exists()
    assert "2024-11-19" not in (out / "editions/2024/index.html").read_text(encoding="utf-8")
    assert tree_bytes(out) == fresh_build(content, tmp_path)


@pytest.mark.parametrize("old, new", [
    ('number = 3\nname = "要闻"', 'number = 2\nname = "要闻"'),            # another 版次: another URL
    ("date = 2024-11-20", "date = 2024-11-19"),                             # another day's edition
    ('["001_4f9c27a6aa4a58cf"]\nnumber = 1',                                # an undated page gets a date
     '["001_4f9c27a6aa4a58cf"]\nnumber = 1\n\n["004_c42b05819928b75e"]\ndate = 2024-11-21\nissue = 9'),
])
def test_pages_toml_changes(archive, tmp_path, old, new):
    content, out = archive
    edit(content / "pages.toml", old, new)
    report = build(content, out)
    assert report.ok and report.mode == "incremental"
    assert tree_bytes(out) == fresh_build(content, tmp_path)


def test_a_headline_edit_on_a_dated_archive_updates_its_edition(tmp_path):
    """Only the headline changes (the article keeps its place): the pages that show it are
    looked at, its edition's page and the front page's latest edition among them."""
    from editions_support import write_dated_archive
    content = write_dated_archive(tmp_path / "content")
    out = tmp_path / "public" / "site"
    assert build(content, out).mode == "full"
    edit(content / "er-yue-kai-pian.md", "title: 二月开篇：工会服务再提速", "title: 二月开篇：工会服务提速")
    report = build(content, out)
    assert report.ok and report.mode == "incremental"
    assert 0 < report.counts["considered"] < report.counts["page_outputs"] / 2
    assert "二月开篇：工会服务提速" in (out / "editions/2021-02-01/index.html").read_text(encoding="utf-8")
    assert tree_bytes(out) == fresh_build(content, tmp_path)
