"""The benchmark's generator writes pages the real ingest reads as intended (no timings here)."""
from __future__ import annotations

import statistics
import tomllib
from pathlib import Path

import pytest

from newsarchive.bench import DEFAULT_PROFILE, PROFILES, archive_stats, generate, han_count
from newsarchive.ingest.pipeline import run_ingest
from newsarchive.vocab import Vocabulary

from conftest import read_article


def test_generated_pages_ingest_as_planned(tmp_path: Path) -> None:
    seeds, content = tmp_path / "seeds", tmp_path / "content"
    plans = generate(80, seeds, seed=7)      # every district planted at least once
    assert len(plans) == 80
    pages = sorted(seeds.glob("*.txt"))
    assert all(4 <= sum(1 for a in plans if a.page == p.stem) <= 8 for p in pages[:-1])
    meta = tomllib.loads((seeds / "pages.toml").read_text(encoding="utf-8"))
    assert set(meta) == {p.stem for p in pages}
    assert all(1 <= m["number"] <= 8 and m["name"] and m["date"].year >= 2019 for m in meta.values())
    raw = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert "摄影报道" in raw and "转自《" in raw and "\n\n\n\n" in raw and "本报讯（" in raw

    report = run_ingest(seeds, content, verbose=False)
    assert report.ok, report.errors
    got = {}
    for path in content.glob("*.md"):
        front, body = read_article(path)
        got[(front["page"], front["position"])] = (front, body)
    assert len(got) == len(plans) == report.written

    planted_districts = set()
    for plan in plans:
        front, body = got[(plan.page, plan.position)]
        assert front["title"] == plan.title
        assert front["kind"] == plan.kind
        assert front["reporters"] == plan.reporters
        assert front["correspondents"] == plan.correspondents
        assert front["photographers"] == plan.photographers
        assert front.get("source") == plan.source
        assert set(plan.districts) <= set(front["districts"]), (plan.title, front["districts"])
        assert set(plan.tags) <= set(front["tags"]), (plan.title, front["tags"])
        assert str(front["date"]) == meta[plan.page]["date"].isoformat()
        assert not any(p.startswith("本报讯") or p.endswith("摄") for p in body)
        planted_districts |= set(plan.districts)
    assert planted_districts == {d.name for d in Vocabulary.read().districts}
    assert any(plan.tags for plan in plans)
    news = [han_count("".join(got[(a.page, a.position)][1])) for a in plans if a.kind == "news"]
    mean_han = PROFILES[DEFAULT_PROFILE].mean_han
    assert 0.5 * mean_han <= sum(news) / len(news) <= 2 * mean_han


def test_heavy_profile_ingests_as_planned(tmp_path: Path) -> None:
    seeds, content = tmp_path / "seeds", tmp_path / "content"
    plans = generate(24, seeds, seed=3, profile="heavy")
    report = run_ingest(seeds, content, verbose=False)
    assert report.ok and report.written == len(plans) == 24
    got = {}
    for path in content.glob("*.md"):
        front, body = read_article(path)
        got[(front["page"], front["position"])] = (front, body)
    for plan in plans:
        front, _ = got[(plan.page, plan.position)]
        assert front["title"] == plan.title and set(plan.districts) <= set(front["districts"])
    news = [han_count("".join(got[(a.page, a.position)][1])) for a in plans if a.kind == "news"]
    assert 800 <= sum(news) / len(news) <= 1700


def _per_article(content: Path) -> dict[str, float]:
    """Per-article figures of an ingested content/ folder, read from its files."""
    han, tags, districts, people = [], [], [], []
    for path in content.glob("*.md"):
        front, body = read_article(path)
        han.append(sum(han_count(p) for p in body))
        tags.append(len(front["tags"]))
        districts.append(len(front["districts"]))
        people.append(len(front["reporters"]) + len(front["correspondents"]) + len(front["photographers"]))
    return {"han": statistics.fmean(han), "spread": statistics.pstdev(han) / statistics.fmean(han),
            "tags": statistics.fmean(tags), "districts": statistics.fmean(districts),
            "people": statistics.fmean(people), "articles": len(han)}


def test_default_archive_is_seed_like(tmp_path: Path, seeds_copy: Path) -> None:
    """Body length (mean and spread), tags, districts and people per article of the ingested
    synthetic archive are within 20% of the ingested seeds' (figures from seeds/, not fixed)."""
    run_ingest(seeds_copy, tmp_path / "seed-content", verbose=False)
    want = _per_article(tmp_path / "seed-content")
    seeds, content = tmp_path / "synthetic", tmp_path / "content"
    generate(300, seeds, seed=11)
    assert run_ingest(seeds, content, verbose=False).ok
    got = _per_article(content)
    assert got["articles"] == 300
    for key in ("han", "spread", "tags", "districts", "people"):
        assert got[key] == pytest.approx(want[key], rel=0.2), (key, got, want)
    # The benchmark's own profile line (ingest's code in-process, nothing written) agrees.
    stats = archive_stats(sorted(seeds.glob("*.txt")))
    assert (stats.articles, stats.tags, stats.districts, stats.people) == pytest.approx(
        (300, got["tags"], got["districts"], got["people"]))
    assert stats.han_mean == pytest.approx(got["han"])


def test_site_files_are_counted_by_kind_of_page() -> None:
    from newsarchive.bench import page_kind
    kinds = {path: page_kind(path) for path in (
        "index.html", "articles/a/index.html", "pages/2021-03-12-3/index.html", "editions/index.html",
        "editions/2021/index.html", "editions/2021-03-12/index.html", "tags/index.html",
        "tags/x/page/2/index.html", "columns/y/index.html", "search/catalog.json.gz", "sitemap.xml")}
    assert list(kinds.values()) == ["front page", "article", "newspaper page", "back-issue index", "year",
                                    "edition", "A-Z index", "list page", "list page", "search", "other"]
