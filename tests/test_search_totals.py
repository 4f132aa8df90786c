"""Totals are exact: on a generated archive of a few thousand articles, the total the search
page shows (data-search-total) equals a count made here in Python from content/ (front matter
and paragraphs, read without the site builder), for queries of every kind and with filters."""
from __future__ import annotations

import subprocess
import sys

import pytest

from newsarchive.bench import generate
from newsarchive.ingest.pipeline import run_ingest
from newsarchive.text.segment import query_parts
from search_support import ROOT, content_docs, doc_pinyin, doc_tokens, fixture_facets
from test_search_browser import SUBPATH, SearchPage, _serve

pytestmark = pytest.mark.browser

ARTICLES = 3000
QUERIES = ["工会", "集体协商", "谢志明", "gongjiang", "工匠学院 朝阳", "工會", "2023年", "chaoyang", "劳模 gjxy", "驿站"]
FILTERED = [("工会", {"year": "2022"}), ("职工", {"districts": "朝阳区"}), ("职工", {"tags": "送温暖", "year": "2023"})]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated archive: pages, ingested, built; served; with its articles read from content/."""
    root = tmp_path_factory.mktemp("generated")
    generate(ARTICLES, root / "seeds", seed=11)
    report = run_ingest(root / "seeds", root / "content", verbose=False)
    assert report.ok, report.errors
    site = root / "www" / SUBPATH.strip("/")
    proc = subprocess.run([sys.executable, "build.py", "-q", "build", "--content", str(root / "content"),
                           "--out", str(site)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    server, base = _serve(root / "www")
    docs = content_docs(root / "content")
    facets = fixture_facets()
    read = [(d, doc_tokens(d, facets), doc_pinyin(d, facets)) for d in docs]
    yield base, read, site
    server.shutdown()


def count(read, query: str, year: str = "", filters: dict | None = None) -> int:
    """The articles a query finds (search_support.expected_docs' rules) that pass the filters."""
    parts = query_parts(query)
    exact = parts["bigrams"] + parts["numbers"]
    total = 0
    for doc, tokens, keys in read:
        if exact or parts["chars"]:
            hit = (all(t in tokens for t in exact)
                   and all(any(t.startswith(c) for t in tokens) for c in parts["chars"]))
        else:
            hit = (any(w in tokens for w in parts["words"])
                   or any(k.startswith(p) for p in parts["pinyin"] for k in keys))
        hit = hit and (not year or (doc.date or "").startswith(year))
        hit = hit and all(name in doc.names.get(key, ()) for key, name in (filters or {}).items())
        total += hit
    return total


def test_shown_totals_are_counts_from_the_content(browser, generated):  # noqa: F811 - the fixture
    base, read, _ = generated
    assert len(read) == ARTICLES
    page = SearchPage(browser, base)
    seen = {}
    for query in QUERIES:
        page.open(query)
        seen[query] = (page.total(), count(read, query))
        assert int(page.page.get_attribute("body", "data-search-strict")) == page.total()   # no partial matches
    for query, params in FILTERED:
        page.open(query, **params)
        filters = {k: v for k, v in params.items() if k != "year"}
        seen[f"{query} {params}"] = (page.total(), count(read, query, params.get("year", ""), filters))
    assert all(shown == counted for shown, counted in seen.values()), seen
    assert all(counted > 0 for _, counted in seen.values()), seen
    assert page.errors == []
    page.close()


def test_a_common_word_fetches_a_fraction_of_the_index(browser, generated):  # noqa: F811 - the fixture
    base, _, site = generated
    page = SearchPage(browser, base)
    fetched = []
    page.context.on("requestfinished", lambda request: fetched.append(request))
    page.open("工会")
    search = [r for r in fetched if "/search/" in r.url and r.url.split("?")[0].endswith(".json.gz")]
    fetched_bytes = sum(r.sizes()["responseBodySize"] for r in search)
    stored = sum(p.stat().st_size for p in (site / "search").rglob("*.json.gz"))
    assert fetched_bytes < stored / 5
    assert len([r for r in search if "/terms/" in r.url]) <= 2
    page.close()
