"""Ingest time is linear in page size: the time per MB of splitting a page and classifying its
articles does not grow with the page (a 50 MB page once took 92 s where 6.6 MB took 1.3 s).

Four shapes, each at 1 MB and 4 MB: ordinary stories; stories without dateline, each
recognised by looking ahead to its source line; one story whose paragraphs never end (every
fragment is rejoined to the paragraph before it); one story naming an ambiguous township
(八里庄街道 is in two districts) over and over with no district near it."""
from __future__ import annotations

import gc
import time
from contextlib import contextmanager

import pytest

from newsarchive.content.pages import PageMeta
from newsarchive.ingest.articles import assemble
from newsarchive.ingest.page import split_page
from newsarchive.ingest.pipeline import read_rules

RULES, CLASSIFIERS, _ = read_rules()
MB = 1024 * 1024


@contextmanager
def no_gc():
    """Time the work, not a collection of the whole test process's heap that happens to fall
    into the larger run (the suite's heap is large by the time these tests run)."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def stories(size: int) -> str:
    """Made-up dateline stories until the page holds `size` bytes of UTF-8."""
    parts, total, n = [], 0, 0
    while total < size:
        n += 1
        story = (f"第{n}届职工运动会在某区开幕\n\n本报讯（记者 王小明 通讯员 李华）近日，某区总工会举办第{n}届职工运动会，"
                 "来自各单位的职工参加比赛。\n\n比赛设置拔河、跳绳等项目，职工们在赛场上展现了良好的精神风貌，"
                 "赛出了水平。\n\n区总工会相关负责人表示，将继续丰富职工文化生活。\n\n")
        parts.append(story)
        total += len(story.encode("utf-8"))
    return "".join(parts)


def reprints(size: int) -> str:
    """Dateline stories each followed by a reprint (no dateline, ending in its source): every
    reprint's headline is decided by looking ahead to the end of the story under it."""
    parts, total, n = [], 0, 0
    while total < size:
        n += 1
        story = (f"某区工会活动{n}\n\n本报讯（记者 王明）近日开展活动。\n\n"
                 f"外省工会经验{n}\n\n某市推出新举措。转自《工人日报》\n\n")
        parts.append(story)
        total += len(story.encode("utf-8"))
    return "".join(parts)


def unending(size: int) -> str:
    """One story whose fragments never end a sentence: all of it is one paragraph."""
    line = "近日，某区总工会在各街道举办职工运动会，来自各单位的职工参加比赛，"
    count = size // len(line.encode("utf-8"))
    return "某区工会开展活动\n\n本报讯（记者 郑九）" + "\n\n".join([line] * count) + "。"


def ambiguous(size: int) -> str:
    """One story naming a township of two districts in every sentence, no district near it."""
    line = "近日，八里庄街道总工会举办职工运动会，来自各单位的职工参加比赛。"
    count = size // len(line.encode("utf-8"))
    return "某区工会开展活动\n\n本报讯（记者 郑九）" + "\n\n".join([line] * count)


def seconds(text: str, runs: int) -> float:
    """Best of `runs`, in CPU seconds (the machine may be shared): split the page and make
    every article's fields."""
    best = float("inf")
    for _ in range(runs):
        with no_gc():
            started = time.process_time()
            split = split_page(text, RULES)
            for n, article in enumerate(split.articles, start=1):
                assemble(article, "big", n, PageMeta(), CLASSIFIERS)
            best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize("shape", [stories, reprints, unending, ambiguous], ids=lambda f: f.__name__)
def test_time_per_mb_does_not_grow_with_the_page(shape):
    small, large = shape(1 * MB), shape(4 * MB)
    per_mb_small = seconds(small, runs=2)
    per_mb_large = seconds(large, runs=2) / 4
    # Linear work gives the same time per MB; 0.05 s/MB of slack keeps timer noise on a tiny
    # figure from failing the test. Quadratic work would give four times as much.
    assert per_mb_large <= 1.5 * per_mb_small + 0.05, (per_mb_small, per_mb_large)


def test_matching_a_pages_new_articles_to_its_old_files_is_linear():
    """Ingesting a changed page again finds each article's earlier file by title, else by
    position: a page of 40,000 articles takes four times as long as one of 10,000, not
    sixteen times (a 4 MB page took 4.3 s to re-ingest, 1 MB 0.5 s)."""
    from newsarchive.ingest.manifest import WrittenArticle
    from newsarchive.ingest.markdown_out import IngestedArticle
    from newsarchive.ingest.pipeline import PreviousVersions

    def per_article(n: int) -> float:
        old = [WrittenArticle(i, f"标题{i}", f"slug-{i}", f"slug-{i}.md", "") for i in range(1, n + 1)]
        # half keep their title (found by title), half were retitled (found by position)
        new = [IngestedArticle(f"标题{i}" if i % 2 else f"新标题{i}", "page", i, []) for i in range(1, n + 1)]
        best = float("inf")
        for _ in range(3):
            with no_gc():
                started = time.process_time()
                versions = PreviousVersions(old)
                assert all(versions.take(article) is not None for article in new) and not versions.left()
                best = min(best, time.process_time() - started)
        return best / n

    small, large = per_article(10_000), per_article(40_000)
    assert large <= 1.5 * small + 1e-6, (small, large)
