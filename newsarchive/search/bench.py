"""Search index benchmark on synthetic articles cut from the seed pages.

    python -m newsarchive.search.bench 1000 10000 [--jobs 2] [--seeds seeds] [--browser]

One line per size: the build's SearchStats (`*_bytes`: the files as stored, gzip;
`*_json_bytes`: the JSON they hold), stored bytes per article, CPU time, peak memory and a
warm rebuild. With --browser, also the search page in headless Chromium (/usr/bin/chromium
through playwright) on that index: time to load the catalog, and from typing a query to the
first results and to all shards searched (peak_rss_mb_children of the sizes after the first
then includes the browser's processes).

The project benchmark may call `synthetic_docs` and `bench_search` directly.
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import http.server
import random
import re
import resource
import shutil
import tempfile
import threading
import time
from dataclasses import asdict, replace
from pathlib import Path

from typing import Sequence

from . import SearchDoc
from .index import SearchStats, build_search_index

_DISTRICTS = ("东城区 西城区 朝阳区 海淀区 丰台区 石景山区 门头沟区 房山区 通州区 顺义区 昌平区 大兴区 "
              "怀柔区 平谷区 密云区 延庆区 经开区").split()
_TAGS = ("产业工人队伍建设改革 工匠学院 劳动和技能竞赛 创新工作室 劳模工匠 新就业形态劳动者 送温暖 集体协商 "
         "职工之家 职工文化").split()
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏晓曦欣妍蕾阳宇浩然博文"


def seed_paragraphs(seeds: Path) -> list[str]:
    """Paragraphs (lines of 20+ characters) of the seed pages."""
    lines = []
    for path in sorted(seeds.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line) >= 20:
                lines.append(line)
    if not lines:
        raise FileNotFoundError(f"no seed text in {seeds}")
    return lines


def synthetic_docs(n: int, seeds: Path = Path("seeds"), body_chars: int = 1500, seed: int = 1) -> list[SearchDoc]:
    """`n` articles with ~body_chars of seed text each, titles cut from seed sentences."""
    rng = random.Random(seed)
    # a paper has a few hundred regular reporters and correspondents
    staff = sorted({rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))
                    for _ in range(500)})
    paragraphs = seed_paragraphs(seeds)
    sentences = [s for p in paragraphs for s in re.split(r"[。！？；]", p) if 8 <= len(s) <= 60]
    docs = []
    for i in range(n):
        body_parts: list[str] = []
        while sum(map(len, body_parts)) < body_chars:
            body_parts.append(rng.choice(paragraphs))
        body = "\n".join(body_parts)
        sentence = rng.choice(sentences)
        start = rng.randrange(max(1, len(sentence) - 12))
        title = sentence[start:start + rng.randint(10, 26)].strip("，、：“” ")
        kicker = rng.choice(sentences)[:16] if rng.random() < 0.3 else ""
        subtitle = rng.choice(sentences)[:24] if rng.random() < 0.3 else ""
        people = tuple(sorted(set(rng.sample(staff, rng.randint(0, 3)))))
        districts = tuple(sorted(set(rng.sample(_DISTRICTS, rng.choice((0, 1, 1, 1, 2))))))
        tags = tuple(rng.sample(_TAGS, rng.choice((0, 1, 1, 2, 3))))
        page = i // 8
        docs.append(SearchDoc(
            ref=f"article-{i:06d}", url=f"articles/article-{i:06d}/", title=title or "无题",
            kicker=kicker, subtitle=subtitle, body=body, districts=districts, tags=tags, people=people,
            date=f"{2000 + page // 3000}-{(page // 250) % 12 + 1:02d}-{page % 28 + 1:02d}",
            page=f"{page:06d}", page_label=f"第{i % 8 + 1}版", position=i % 8 + 1,
            content_hash=hashlib.sha256(f"{title}{body}{people}{districts}{tags}".encode()).hexdigest()[:16],
            order=i))
    return docs


def _cpu_seconds(who: int) -> float:
    """User + system CPU time of this process or of its finished children."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


_STATIC = Path(__file__).resolve().parent.parent / "themes" / "default" / "static"
_CHROMIUM = "/usr/bin/chromium"
# A bare search page with the element ids search.js expects (the site's page is themed).
_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>bench</title></head>
<body data-root="../"><form id="search-form"><input type="search" id="search-input"></form>
<p id="search-status"></p><p id="search-count"></p><ol id="search-results"></ol>
<script src="../static/lunr.js"></script><script src="../static/segment.js"></script>
<script src="../static/search.js"></script></body></html>
"""
BROWSER_QUERIES = ("工匠学院", "职工", "gongjiang", "没有这样的文章xyz")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def browser_timings(search_dir: Path, queries: Sequence[str] = BROWSER_QUERIES) -> dict:
    """Open a search page over `search_dir` (served by http.server on localhost, as stored:
    .gz without Content-Encoding) in headless Chromium; seconds from navigation to the
    catalog loaded, and per query from typing it (one fill, then the page's own 150 ms
    debounce) to the first result shown and to every shard searched."""
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(search_dir, site / "search")
        shutil.copytree(_STATIC, site / "static")
        (site / "search" / "index.html").write_text(_PAGE, encoding="utf-8")
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=_CHROMIUM, args=["--headless", "--no-sandbox"])
                page = browser.new_page()
                started = time.perf_counter()
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/index.html")
                try:
                    page.wait_for_selector("body[data-search-ready]", timeout=60000)
                except Exception as error:
                    raise RuntimeError(f"search page not ready: {page.text_content('#search-status')!r}") from error
                result: dict = {"catalog_loaded_s": round(time.perf_counter() - started, 3)}
                status = "document.getElementById('search-status').textContent"
                for query in queries:
                    page.fill("#search-input", "")
                    page.wait_for_function(f"{status} === ''")
                    typed = time.perf_counter()
                    page.fill("#search-input", query)
                    page.wait_for_function("document.querySelector('#search-results li') ||"
                                           f" {status}.includes('已搜索全部')", timeout=60000, polling="raf")
                    first = round(time.perf_counter() - typed, 3)
                    page.wait_for_function(f"{status}.includes('已搜索全部')", timeout=120000, polling="raf")
                    done = round(time.perf_counter() - typed, 3)
                    shown = page.eval_on_selector_all("#search-results li", "els => els.length")
                    # a query without results has no first result: its first time is None
                    result[query] = {"first_results_s": first if shown else None, "all_shards_s": done,
                                     "shown": shown}
                browser.close()
        finally:
            server.shutdown()
    return result


def bench_search(n: int, jobs: int = 2, seeds: Path = Path("seeds"), out: Path | None = None,
                 browser: bool = False) -> dict:
    """Build the search index of `n` synthetic articles twice: cold (empty cache), then warm
    with one article changed; return the cold build's stats plus CPU time, peak RSS and the
    warm rebuild's time and shard counts (and with `browser`, browser_timings of the index,
    measured last so that the browser's memory is not counted). Wall time depends on what
    else the machine runs; cpu_seconds (this process and its workers) does much less."""
    docs = synthetic_docs(n, seeds)
    with tempfile.TemporaryDirectory() as tmp:
        target = out or Path(tmp) / "search"
        cpu_self, cpu_children = _cpu_seconds(resource.RUSAGE_SELF), _cpu_seconds(resource.RUSAGE_CHILDREN)
        stats: SearchStats = build_search_index(docs, target, Path(tmp) / "cache", jobs=jobs)
        cpu = (_cpu_seconds(resource.RUSAGE_SELF) - cpu_self) + (_cpu_seconds(resource.RUSAGE_CHILDREN) - cpu_children)
        changed = list(docs)
        changed[-1] = replace(changed[-1], body=changed[-1].body + "更正。", content_hash="changed")
        warm = build_search_index(changed, target, Path(tmp) / "cache", jobs=jobs)
        rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        rss_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        timings = browser_timings(target) if browser else None
    result = asdict(stats)
    result["stored_bytes_per_doc"] = round(stats.total_bytes / max(1, stats.docs))
    result["cpu_seconds"] = round(cpu, 2)
    result["warm_seconds"] = warm.seconds
    result["warm_rebuilt"] = warm.shards_rebuilt
    result["warm_reused"] = warm.shards_reused
    result["peak_rss_mb_self"] = rss_self
    result["peak_rss_mb_children"] = rss_children
    if timings is not None:
        result["browser"] = timings
    return result


def main(argv: list[str] | None = None) -> None:
    """Print one line of stats per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seeds", type=Path, default=Path("seeds"))
    parser.add_argument("--browser", action="store_true", help="also time the search page in headless Chromium")
    args = parser.parse_args(argv)
    for n in args.sizes:
        print(bench_search(n, args.jobs, args.seeds, browser=args.browser), flush=True)


if __name__ == "__main__":
    main()
