"""The benchmark's generator writes pages the real ingest reads as intended (no timings here)."""
from __future__ import annotations

import tomllib
from pathlib import Path

from newsarchive.bench import generate, han_count
from newsarchive.ingest.pipeline import run_ingest
from newsarchive.vocab import load_districts

from conftest import read_article


def test_generated_pages_ingest_as_planned(tmp_path: Path) -> None:
    seeds, content = tmp_path / "seeds", tmp_path / "content"
    plans = generate(40, seeds, seed=7)
    assert len(plans) == 40
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
    assert planted_districts == {d.name for d in load_districts()}
    assert any(plan.tags for plan in plans)
    news = [han_count("".join(got[(a.page, a.position)][1])) for a in plans if a.kind == "news"]
    assert 700 <= sum(news) / len(news) <= 1700
