"""The engine and the archive folder: strict settings, themes and overrides, the archive's own
data files, file modes, outputs checked, code stamps (issue 13)."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from newsarchive.archive import DataFiles
from newsarchive.builder import build_site
from newsarchive.config import load_config
from newsarchive.errors import ArchiveError
from newsarchive.theme import Theme
from site_support import FIXTURE_CONFIG, FIXTURE_CONTENT, REPO, build, copy_fixture_content, tree_bytes


def settings(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- settings ---------------------------------------------------------------------------------

def test_an_unknown_setting_names_file_line_and_the_key_meant(tmp_path):
    path = settings(tmp_path, 'title = "报"\n\ntitel = "档案"\n')
    with pytest.raises(ArchiveError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}:3: unknown setting 'titel' (did you mean 'title'?)"


def test_a_misspelt_paging_key_is_named_with_its_table(tmp_path):
    path = settings(tmp_path, '[paging]\narticles_per_page = 10\nfeed_entires = 5\n')
    with pytest.raises(ArchiveError) as caught:
        load_config(path)
    assert str(caught.value) == (f"{path}:3: unknown setting 'paging.feed_entires' "
                                 "(did you mean 'feed_entries'?)")


@pytest.mark.parametrize("text, message", [
    ('[paging]\narticles_per_page = "10"\n', "2: 'articles_per_page' must be a whole number, not '10'"),
    ('[paging]\narticles_per_page = 0\n', "2: 'articles_per_page' must be at least 1, not 0"),
    ('title = 3\n', "1: 'title' must be text in quotes, not 3"),
    ('paging = 3\n', "1: 'paging' must be a table"),
    ('base_url = "example.org/x"\n', "1: base_url must be an absolute http(s) URL"),
    ('language = "Chinese please"\n', "1: language must be a language tag"),
    ('[pagin]\narticles_per_page = 3\n', "1: unknown setting 'pagin' (did you mean 'paging'?)"),
    ('[paging]\nfront_page_articles = 12\n', "2: 'paging.front_page_articles' is no longer used"),
    ('title = \n', "invalid TOML"),
])
def test_bad_settings_are_errors_with_file_and_line(tmp_path, text, message):
    path = settings(tmp_path, text)
    with pytest.raises(ArchiveError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}:") and message in str(caught.value)


def test_every_bad_setting_is_reported_at_once(tmp_path):
    path = settings(tmp_path, 'titel = "x"\n[paging]\nfeed_entries = -1\n')
    with pytest.raises(ArchiveError) as caught:
        load_config(path)
    assert str(caught.value).splitlines() == [
        f"{path}:1: unknown setting 'titel' (did you mean 'title'?)",
        f"{path}:3: 'feed_entries' must be at least 0, not -1"]


def test_the_repositorys_settings_are_valid():
    assert load_config(REPO / "site.toml").title
    assert load_config(FIXTURE_CONFIG).paging.articles_per_page == 2


def test_language_reaches_html_feed_and_json_ld(tmp_path):
    config = load_config(FIXTURE_CONFIG)
    from dataclasses import replace
    english = replace(config, language="en")
    out = tmp_path / "site"
    assert build_site(FIXTURE_CONTENT, out, english, jobs=1).ok
    page = (out / "articles" / "zhi-gong-tu-bu-huo-dong" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and '"inLanguage":"en"' in page
    assert 'xml:lang="en"' in (out / "feed.xml").read_text(encoding="utf-8")
    assert '<html lang="en">' in (out / "index.html").read_text(encoding="utf-8")


# --- themes -------------------------------------------------------------------------------------

def test_an_archive_theme_overrides_templates_and_static_files_by_name(tmp_path):
    overrides = tmp_path / "theme"
    (overrides / "templates").mkdir(parents=True)
    (overrides / "static").mkdir()
    footer = (Theme.of().template_dirs[0] / "_footer.html").read_text(encoding="utf-8")
    (overrides / "templates" / "_footer.html").write_text(footer + "<p>本档案的页脚</p>\n", encoding="utf-8")
    (overrides / "static" / "style.css").write_text("body{color:teal}\n", encoding="utf-8")
    (overrides / "static" / "extra.js").write_text("// mine\n", encoding="utf-8")
    out = tmp_path / "site"
    theme = Theme.select(None, tmp_path, overrides)
    assert build(copy_fixture_content(tmp_path / "content"), out, theme=theme).ok
    assert "本档案的页脚" in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "static" / "style.css").read_text(encoding="utf-8") == "body{color:teal}\n"
    assert (out / "static" / "extra.js").exists()
    default = Theme.of().folders[0] / "static"
    assert (out / "static" / "search.js").read_bytes() == (default / "search.js").read_bytes()
    # the engine's own theme is untouched
    assert "本档案的页脚" not in (Theme.of().template_dirs[0] / "_footer.html").read_text(encoding="utf-8")


def test_a_theme_is_chosen_by_name_or_folder_and_an_unknown_one_is_an_error(tmp_path):
    assert Theme.select("", tmp_path, None).folders == Theme.of().folders
    assert Theme.select("default", tmp_path, None).folders == Theme.of().folders
    mine = tmp_path / "themes" / "mine"
    shutil.copytree(Theme.of().folders[0], mine)
    assert Theme.select("themes/mine", tmp_path, None).folders == (mine,)
    with pytest.raises(ArchiveError) as caught:
        Theme.select("nosuchtheme", tmp_path, None)
    assert "theme 'nosuchtheme' not found" in str(caught.value) and "default" in str(caught.value)


# --- modes -------------------------------------------------------------------------------------

def test_content_and_site_files_honour_the_umask(tmp_path):
    """A web server or an rsync deploy must be able to read everything (644/755 under umask 022)."""
    script = """
import os, sys
os.umask(0o022)
from newsarchive.cli import main
sys.exit(main(sys.argv[1:]))
"""
    archive = tmp_path / "archive"
    shutil.copytree(REPO / "seeds", archive / "seeds")
    proc = subprocess.run([sys.executable, "-c", script, "-C", str(archive), "-q"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for folder in ("content", "site"):
        root = archive / folder
        for path in [root, *root.rglob("*")]:
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode == (0o755 if path.is_dir() else 0o644), (path, oct(mode))


# --- outputs checked ---------------------------------------------------------------------------

def test_a_deleted_or_altered_output_is_written_again(tmp_path):
    content, out = copy_fixture_content(tmp_path / "content"), tmp_path / "site"
    assert build(content, out).ok
    clean = tree_bytes(out)
    article = out / "articles" / "zhi-gong-tu-bu-huo-dong" / "index.html"
    article.unlink()
    (out / "tags" / "index.html").write_text("vandalised", encoding="utf-8")
    (out / "static" / "style.css").unlink()
    (out / "feed.xml").write_text("", encoding="utf-8")
    report = build(content, out)
    assert report.ok and report.mode == "incremental"
    assert tree_bytes(out) == clean
    assert build(content, out).mode == "unchanged"


# --- data files --------------------------------------------------------------------------------

def test_the_archives_data_files_replace_the_engines_of_the_same_name(tmp_path):
    own = tmp_path / "data"
    own.mkdir()
    (own / "tags.toml").write_text('[[tag]]\nterm = "测试话题"\nslug = "ce-shi"\n', encoding="utf-8")
    data = DataFiles(own)
    assert data.path("tags.toml") == own / "tags.toml"
    assert data.path("districts.toml") == DataFiles().path("districts.toml")
    from newsarchive.vocab import Vocabulary
    assert [t.term for t in Vocabulary.read(data).tags] == ["测试话题"]
    assert len(Vocabulary.read().tags) > 1     # the engine's own list is untouched


# --- the garbage collector ----------------------------------------------------------------------

def test_a_build_and_an_ingest_leave_the_garbage_collector_as_they_found_it(tmp_path, seeds_copy):
    """heap.long_run raises a threshold and the build freezes its model for its workers: a
    program that calls build_site or run_ingest gets its collector back unchanged."""
    import gc

    from newsarchive.ingest.pipeline import run_ingest

    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    report = run_ingest(seeds_copy, tmp_path / "content", verbose=False)
    assert not report.errors
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    assert build(tmp_path / "content", tmp_path / "site").ok
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


# --- code stamps -------------------------------------------------------------------------------

def test_any_change_to_the_engines_code_invalidates_the_build_cache(tmp_path):
    """Every module counts: a change to text/slugs.py (which no hand-kept list named) rebuilds."""
    engine = tmp_path / "engine"
    shutil.copytree(REPO / "newsarchive", engine / "newsarchive",
                    ignore=shutil.ignore_patterns("__pycache__"))
    archive = tmp_path / "archive"
    shutil.copytree(FIXTURE_CONTENT, archive / "content")
    shutil.copy(FIXTURE_CONFIG, archive / "site.toml")
    env = {**os.environ, "PYTHONPATH": str(engine)}

    def run() -> str:
        proc = subprocess.run([sys.executable, "-m", "newsarchive", "-C", str(archive), "build", "--jobs", "1"],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    assert "(full)" in run()
    assert "is up to date" in run()
    slugs = engine / "newsarchive" / "text" / "slugs.py"
    slugs.write_text(slugs.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert "is up to date" not in run()


# --- progress ----------------------------------------------------------------------------------

def test_progress_in_a_log_is_a_line_every_few_seconds_with_rate_and_time_left(monkeypatch):
    import io
    import time
    from newsarchive import progress as progress_module
    monkeypatch.setattr(progress_module, "LOG_EVERY", 0.2)
    stream = io.StringIO()
    started = time.perf_counter()
    with progress_module.Progress("ingest", 100_000, "pages", stream=stream) as progress:
        for done in range(1, 100_001):
            progress.update(done)
            if done % 10_000 == 0:
                time.sleep(0.05)
    elapsed = time.perf_counter() - started
    lines = stream.getvalue().splitlines()
    assert 1 <= len(lines) <= elapsed / 0.2 + 1, lines      # by time, not one per 100 pages
    assert all(line.startswith("ingest: ") and "pages (" in line and "/s, " in line and "s left" in line
               for line in lines), lines


def test_progress_on_a_terminal_is_a_live_bar(tmp_path):
    import pty
    from newsarchive.progress import Progress
    import fcntl
    import struct
    import termios
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))   # 100 columns
    with open(follower, "w", closefd=True) as terminal:
        with Progress("render", 1000, "pages", stream=terminal) as progress:
            assert progress.bar is not None
            for done in range(1, 1001):
                progress.update(done)
        terminal.flush()
        import select
        assert select.select([leader], [], [], 5)[0], "nothing shown on the terminal"
        shown = os.read(leader, 65536).decode("utf-8", "replace")   # before the terminal closes
    os.close(leader)
    assert "render" in shown and "/1000" in shown and "pages/s" in shown and "%|" in shown


def test_small_steps_show_no_progress():
    import io
    from newsarchive.progress import Progress
    stream = io.StringIO()
    with Progress("load", 10, stream=stream) as progress:
        progress.update(10)
    assert stream.getvalue() == "" and progress.bar is None


# --- wording -----------------------------------------------------------------------------------

def test_the_wording_comes_from_one_table_that_an_archive_overrides_entry_by_entry(tmp_path):
    overrides = tmp_path / "theme"
    overrides.mkdir()
    (overrides / "strings.toml").write_text(
        'editions = "Back issues"\nfull_date = "{day}/{month}/{year}"\nrelated = "See also"\n', encoding="utf-8")
    out = tmp_path / "site"
    assert build(copy_fixture_content(tmp_path / "content"), out,
                 theme=Theme.select(None, tmp_path, overrides)).ok
    front = (out / "index.html").read_text(encoding="utf-8")
    assert ">Back issues</a>" in front and ">往期</a>" not in front
    article = (out / "articles" / "chao-yang-qu-ju-ban-chan-ye-gong-ren" / "index.html").read_text(encoding="utf-8")
    assert "20/11/2024" in article and "<h2>See also</h2>" in article
    assert "2024年11月20日" not in article
    page_titles = [p.read_text(encoding="utf-8") for p in (out / "pages").rglob("index.html")]
    assert any("<title>20/11/2024 第3版" in text for text in page_titles)


def test_an_unknown_wording_key_is_an_error_naming_file_and_line(tmp_path):
    overrides = tmp_path / "theme"
    overrides.mkdir()
    (overrides / "strings.toml").write_text('home = "Home"\nrelatd = "See also"\n', encoding="utf-8")
    report = build(copy_fixture_content(tmp_path / "content"), tmp_path / "site",
                   theme=Theme.select(None, tmp_path, overrides))
    assert not report.ok
    assert str(report.errors[0]) == (f"{overrides / 'strings.toml'}:2: unknown wording key 'relatd' "
                                     "(did you mean 'related'?)")


def test_taken_slugs_give_the_lowest_free_suffix_once():
    from newsarchive.text.slugs import TakenSlugs
    taken = TakenSlugs(["gong-hui", "gong-hui-2", "zhi-gong"])
    assert [taken.claim("gong-hui"), taken.claim("gong-hui"), taken.claim("zhi-gong"), taken.claim("xin"),
            taken.claim("xin")] == ["gong-hui-3", "gong-hui-4", "zhi-gong-2", "xin", "xin-2"]
    assert "gong-hui-4" in taken and "gong-hui-5" not in taken


# --- taxonomies --------------------------------------------------------------------------------

ORGANISATIONS = '''
[[taxonomy]]
key = "organisations"
name = "机构"
fields = ["organisations"]
index = "letters"
filter = true
related = 1
'''


def organisations_archive(tmp_path: Path) -> tuple[Path, DataFiles]:
    """The fixture archive with an organisations taxonomy declared in its own data/."""
    data = tmp_path / "data"
    data.mkdir()
    engine = (REPO / "newsarchive" / "data" / "taxonomies.toml").read_text(encoding="utf-8")
    (data / "taxonomies.toml").write_text(engine + ORGANISATIONS, encoding="utf-8")
    content = copy_fixture_content(tmp_path / "content")
    for name, organisations in (("chao-yang-qu-ju-ban-chan-ye-gong-ren.md", "[北京市总工会, 朝阳区总工会]"),
                                ("hai-dian-lao-mo-gong-jiang-zhan.md", "[北京市总工会]")):
        path = content / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\nslug:", f"\norganisations: {organisations}\nslug:", 1), encoding="utf-8")
    return content, DataFiles(data)


def test_a_taxonomy_declared_in_data_gets_pages_a_menu_entry_and_chips(tmp_path):
    content, data = organisations_archive(tmp_path)
    out = tmp_path / "site"
    report = build(content, out, data=data)
    assert report.ok, [str(e) for e in report.errors]
    index = (out / "organisations" / "index.html").read_text(encoding="utf-8")
    assert "<h1>机构</h1>" in index and "北京市总工会" in index and "朝阳区总工会" in index
    listing = (out / "organisations" / "bei-jing-shi-zong-gong-hui" / "index.html").read_text(encoding="utf-8")
    assert "朝阳区举办产业工人队伍建设改革博览会" in listing and "海淀劳模工匠风采展开幕" in listing
    article = (out / "articles" / "chao-yang-qu-ju-ban-chan-ye-gong-ren" / "index.html").read_text(encoding="utf-8")
    assert '<span>机构</span> <a href="../../organisations/bei-jing-shi-zong-gong-hui/index.html"' in article
    assert 'href="../organisations/index.html">机构</a>' in (out / "tags" / "index.html").read_text(encoding="utf-8")
    import gzip
    catalog = json.loads(gzip.decompress((out / "search" / "catalog.json.gz").read_bytes()))
    [facet] = [f for f in catalog["facets"] if f["key"] == "organisations"]
    assert facet["label"] == "机构" and facet["filter"] is True
    assert set(facet["names"]) == {"北京市总工会", "朝阳区总工会"}
    # the engine's own data is untouched: without the archive's file there is no such taxonomy
    plain = tmp_path / "plain"
    report = build(copy_fixture_content(tmp_path / "content2"), plain)
    assert report.ok and not (plain / "organisations").exists()


def test_a_taxonomy_key_the_archive_does_not_declare_is_an_unknown_front_matter_key(tmp_path):
    content, data = organisations_archive(tmp_path)
    report = build(content, tmp_path / "site")           # the engine's taxonomies only
    assert not report.ok
    assert any("unknown key 'organisations'" in str(e) for e in report.errors), report.errors


@pytest.mark.parametrize("entry, message", [
    ('[[taxonomy]]\nkey = "orgs"\nname = "机构"\nfields = ["orgs"]\nindx = "letters"\n',
     "unknown setting 'indx' (did you mean 'index'?)"),
    ('[[taxonomy]]\nkey = "orgs"\nname = "机构"\nfields = ["orgs"]\nindex = "grid"\n', "index = 'grid' is not one of"),
    ('[[taxonomy]]\nkey = "orgs"\nname = "机构"\nfields = ["tags"]\n', "field 'tags' belongs to taxonomy 'tags'"),
    ('[[taxonomy]]\nkey = "search"\nname = "检索"\nfields = ["x"]\n', "key 'search' must be a lower-case word"),
])
def test_a_bad_taxonomy_is_an_error_with_its_line(tmp_path, entry, message):
    from newsarchive.vocab import Vocabulary
    data = tmp_path / "data"
    data.mkdir()
    engine = (REPO / "newsarchive" / "data" / "taxonomies.toml").read_text(encoding="utf-8")
    (data / "taxonomies.toml").write_text(engine + "\n" + entry, encoding="utf-8")
    with pytest.raises(ArchiveError) as caught:
        Vocabulary.read(DataFiles(data))
    line = engine.count("\n") + 2
    assert str(caught.value).startswith(f"{data / 'taxonomies.toml'}:{line}: taxonomy 5: ")
    assert message in str(caught.value)
def test_templates_and_views_hold_no_wording_of_their_own():
    """Every reader-facing text of the default theme is in strings.toml: no Han character in a
    template (comments aside), in the search page's script, or in a string literal of the site
    code but the GB/T 7714 '等' and messages to editors."""
    import ast
    import re
    han = re.compile(r"[\u4e00-\u9fff]")
    templates = Theme.of().template_dirs[0]
    for path in templates.iterdir():
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        assert not han.search(text), f"{path.name}: {han.search(text).group()!r}"
    script = (Theme.of().folders[0] / "static" / "search.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script, flags=re.S)
    assert not han.search(code), f"search.js: {han.search(code).group()!r}"
    for module in ("views.py", "model.py"):
        tree = ast.parse((REPO / "newsarchive" / module).read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Module)) and node.body
                      and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        # messages to editors (ArchiveError) speak of 版次 and 版名: they are not the site's wording
        messages = {id(inner) for node in ast.walk(tree) if isinstance(node, ast.Call)
                    and getattr(node.func, "id", "") == "ArchiveError" for inner in ast.walk(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings | messages:
                found = set(han.findall(node.value)) - {"等"}
                assert not found, f"{module}:{node.lineno}: {node.value!r}"


# --- an archive of another paper ---------------------------------------------------------------

PAGE_OF_ANOTHER_PAPER = """

书香职工家园读书栏目

滨河区职工读书会迎来新成员

本报讯（记者 王小明 通讯员 李清）近日，滨河区总工会在区职工之家举办职工读书会，四十余名一线职工围绕新书分享了读书心得。

活动现场，职工们轮流朗读自己喜爱的段落。区总工会有关负责人表示，今后将每月举办一次读书会，并为基层工会配送图书。

"""


def test_an_archive_of_its_own_builds_with_its_data_and_theme(tmp_path):
    """`newsarchive new`, then the archive's own districts, tags, paper profile and a theme
    override, through the real command line: ingest and build use them; the engine's files
    stay as they were."""
    engine_data = {p.name: p.read_bytes() for p in (REPO / "newsarchive" / "data").iterdir() if p.is_file()}
    archive = tmp_path / "binhe"

    def newsarchive(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "newsarchive", *args], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)

    assert newsarchive("new", str(archive), "--title", "滨河工人报").returncode == 0
    (archive / "data" / "districts.toml").write_text(
        '[[district]]\nname = "滨河区"\nslug = "binhe"\nshort = "滨河"\n', encoding="utf-8")
    (archive / "data" / "tags.toml").write_text(
        '[[tag]]\nterm = "职工读书会"\nslug = "zhi-gong-du-shu-hui"\naliases = ["读书会"]\n', encoding="utf-8")
    (archive / "data" / "profile.toml").write_text('[rubrics]\nnames = ["书香职工家园读书栏目"]\n', encoding="utf-8")
    (archive / "seeds" / "2024-05-06_02.txt").write_text(PAGE_OF_ANOTHER_PAPER, encoding="utf-8")
    run = newsarchive("-C", str(archive))          # Beijing's township register does not fit
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert "beijing_townships.tsv: the township register names 16 district(s)" in run.stderr
    (archive / "data" / "beijing_townships.tsv").write_text("code\tname\tdistrict\n", encoding="utf-8")
    footer = (Theme.of().template_dirs[0] / "_footer.html").read_text(encoding="utf-8")
    (archive / "theme" / "templates").mkdir(parents=True)
    (archive / "theme" / "templates" / "_footer.html").write_text(footer + "<p>滨河工人报社</p>\n", encoding="utf-8")
    (archive / "seeds" / "2024-05-06_02.txt").write_text(PAGE_OF_ANOTHER_PAPER, encoding="utf-8")

    run = newsarchive("-C", str(archive))
    assert run.returncode == 0, run.stdout + run.stderr
    [article] = list((archive / "content").glob("*.md"))
    front = yaml.safe_load(article.read_text(encoding="utf-8").split("---\n")[1])
    assert front["districts"] == ["滨河区"] and front["tags"] == ["职工读书会"]
    assert front["rubric"] == "书香职工家园读书栏目" and front["title"] == "滨河区职工读书会迎来新成员"
    assert str(front["date"]) == "2024-05-06" and front["reporters"] == ["王小明"]
    site = archive / "site"
    assert article.stem in (site / "districts" / "binhe" / "index.html").read_text(encoding="utf-8")
    assert article.stem in (site / "tags" / "zhi-gong-du-shu-hui" / "index.html").read_text(encoding="utf-8")
    assert not (site / "districts" / "chaoyang").exists()
    assert "滨河工人报社" in (site / "index.html").read_text(encoding="utf-8")
    assert {p.name: p.read_bytes() for p in (REPO / "newsarchive" / "data").iterdir() if p.is_file()} == engine_data
