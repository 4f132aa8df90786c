"""Search benchmark: what a reader's browser pays per query, on a built site.

    python -m newsarchive.search.bench SITE [--query Q ...] [--pagefind] [--runs N] [--json]

SITE is a site folder built by `python build.py build` (for instance a benchmark archive's:
`python -m newsarchive.bench --articles 10000 --workdir /tmp/b10k` leaves /tmp/b10k/site).
The folder is served on localhost by Python's http.server as GitHub Pages serves it: the
search files as stored (gzip, sent as they are, no Content-Encoding), HTML, CSS and JavaScript
gzip-encoded on the fly (with --plain, uncompressed as http.server sends them). Each query runs in a fresh browser context of headless Chromium (/usr/bin/chromium
through playwright), so nothing is cached: the page is opened as search/index.html?q=… and
the figures are

- bytes: every response's bytes over the wire (headers and body as sent, playwright's
  request sizes, workers' requests included), all of them and those of the search files
  alone (under search/, or pagefind/ for Pagefind);
- first: seconds from navigation to the first result shown;
- done: seconds to the complete first page of results (body[data-search-state=done]);
- heap: the page's JavaScript heap after a forced garbage collection (CDP), in MB;
- total: the results the page reports.

With --pagefind the same queries also run against Pagefind (an `npx pagefind` 1.5 build of
the same site must exist in SITE/pagefind: `npx pagefind --site SITE`), on a page of its own
written here (SITE/pagefind-bench.html) that calls Pagefind's JS API and loads the display
data of the first ten results, as our page does.

The queries (DEFAULT_QUERIES) are a common word, a mid-frequency term, a rare name, a pinyin
query and a two-term query, chosen for the benchmark's generated archives.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import statistics
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Sequence

CHROMIUM = "/usr/bin/chromium"
# In the benchmark's generated archives 工会 is in nearly every article, 集体协商 in one in six,
# 谢志明 (the rarest of the people its stories name) in one in fifty, 工匠学院 朝阳 in about 1%.
DEFAULT_QUERIES = (("common word", "工会"), ("mid-frequency term", "集体协商"), ("rare name", "谢志明"),
                   ("pinyin", "gongjiang"), ("two terms", "工匠学院 朝阳"))
PAGEFIND_PAGE = "pagefind-bench.html"
# A page of our own for Pagefind: its JS API, the display data of the first ten results.
_PAGEFIND_HTML = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>pagefind bench</title></head>
<body data-search-state="loading"><ol id="search-results"></ol><script type="module">
const q = new URL(location.href).searchParams.get("q") || "";
const pagefind = await import("./pagefind/pagefind.js");
const search = await pagefind.search(q);
const list = document.getElementById("search-results");
const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
for (const d of data) {
  const li = document.createElement("li"), a = document.createElement("a");
  a.href = d.url; a.textContent = d.meta.title || d.url; li.appendChild(a); list.appendChild(li);
}
document.body.setAttribute("data-search-total", String(search.results.length));
document.body.setAttribute("data-search-state", "done");
</script></body></html>
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _PagesHandler(_QuietHandler):
    """Text files gzip-encoded for clients that accept it, as GitHub Pages sends them."""

    _TEXT = (".html", ".js", ".mjs", ".css", ".json", ".svg")

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (path.suffix in self._TEXT and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        data = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


def serve(root: Path, compress: bool = True) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `root` on a free localhost port in a thread; (server, base URL)."""
    handler = _PagesHandler if compress else _QuietHandler
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def measure_query(browser, url: str, data_marker: str) -> dict:
    """Open `url` in a fresh context; bytes, times, heap and total (see the module docstring)."""
    context = browser.new_context()
    page = context.new_page()
    finished = []    # every request the page and its workers made (Pagefind fetches in a worker)
    context.on("requestfinished", lambda request: finished.append(request))
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function("document.querySelector('#search-results li') || "
                           "document.body.getAttribute('data-search-state') === 'done'", polling="raf", timeout=120000)
    first = time.perf_counter() - started
    page.wait_for_selector("body[data-search-state=done]", state="attached", timeout=120000)
    done = time.perf_counter() - started
    page.wait_for_timeout(200)    # let the last responses finish
    total = int(page.get_attribute("body", "data-search-total") or 0)
    shown = page.eval_on_selector_all("#search-results li", "els => els.length")
    cdp = context.new_cdp_session(page)
    cdp.send("HeapProfiler.enable")
    cdp.send("HeapProfiler.collectGarbage")
    heap = cdp.send("Runtime.getHeapUsage")["usedSize"]
    sizes = [(r.url, r.sizes()) for r in finished]
    wire = [(u, s["responseBodySize"] + s["responseHeadersSize"]) for u, s in sizes]
    all_bytes = sum(n for _, n in wire)
    data_bytes = sum(n for u, n in wire if data_marker in u)
    context.close()
    return {"bytes": int(all_bytes), "data_bytes": int(data_bytes), "requests": len(wire),
            "first_s": round(first, 3) if shown else None, "done_s": round(done, 3),
            "heap_mb": round(heap / 1e6, 1), "total": total, "shown": shown}


def bench_site(site: Path, queries: Sequence[tuple[str, str]] = DEFAULT_QUERIES, pagefind: bool = False,
               runs: int = 1, compress: bool = True) -> list[dict]:
    """Measure each query on our search page (and Pagefind's, with `pagefind`); with runs > 1,
    the median of each time and heap over the runs (bytes do not vary)."""
    from playwright.sync_api import sync_playwright
    site = Path(site).resolve()
    engines = [("ours", "search/index.html", "/search/")]
    if pagefind:
        if not (site / "pagefind" / "pagefind.js").exists():
            raise SystemExit(f"{site}/pagefind/pagefind.js not found: run `npx pagefind --site {site}` first")
        (site / PAGEFIND_PAGE).write_text(_PAGEFIND_HTML, encoding="utf-8")
        engines.append(("pagefind", PAGEFIND_PAGE, "/pagefind/"))
    server, base = serve(site, compress)
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            for kind, query in queries:
                for engine, page, marker in engines:
                    url = f"{base}{page}?q={urllib.parse.quote(query)}"
                    measured = [measure_query(browser, url, marker) for _ in range(runs)]
                    row = dict(measured[0])
                    for key in ("first_s", "done_s", "heap_mb"):
                        values = [m[key] for m in measured if m[key] is not None]
                        row[key] = round(statistics.median(values), 3) if values else None
                    rows.append({"engine": engine, "kind": kind, "query": query, **row})
            browser.close()
    finally:
        server.shutdown()
        if pagefind:
            (site / PAGEFIND_PAGE).unlink(missing_ok=True)
    return rows


def table(rows: list[dict]) -> str:
    """The figures as a Markdown table."""
    lines = ["| engine | query | results | KB fetched (all / search data) | requests | first result s | "
             "complete s | JS heap MB |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        first = f"{r['first_s']:.2f}" if r["first_s"] is not None else "–"
        lines.append(f"| {r['engine']} | {r['kind']}: {r['query']} | {r['total']:,} | {r['bytes'] / 1000:,.0f} / "
                     f"{r['data_bytes'] / 1000:,.0f} | {r['requests']} | {first} | {r['done_s']:.2f} | {r['heap_mb']:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Print the figures of each query as a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site folder")
    parser.add_argument("--query", action="append", help="a query (repeat; default: the five of DEFAULT_QUERIES)")
    parser.add_argument("--pagefind", action="store_true", help="also measure Pagefind's index in SITE/pagefind")
    parser.add_argument("--runs", type=int, default=1, help="runs per query (times and heap: the median)")
    parser.add_argument("--json", action="store_true", help="print JSON rows instead of a table")
    parser.add_argument("--plain", action="store_true", help="send HTML, CSS and JavaScript uncompressed")
    args = parser.parse_args(argv)
    queries = [("query", q) for q in args.query] if args.query else list(DEFAULT_QUERIES)
    rows = bench_site(args.site, queries, args.pagefind, args.runs, not args.plain)
    print(json.dumps(rows, ensure_ascii=False, indent=1) if args.json else table(rows))


if __name__ == "__main__":
    main()
