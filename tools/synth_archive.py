#!/usr/bin/env python3
"""Write a synthetic content/ directory of N articles for timing the site build.

    python tools/synth_archive.py 10000 /tmp/synth/content

Articles are made from the seed pages' sentences, the real district and tag vocabularies and
a pool of invented names; the same N and seed always give the same files. Ten articles share
a page; pages are dated one per day going back from 2024-12-31.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉萍红鹏辉建国欣然晓宇浩博文雪梅海燕琳宁"
RUBRICS = ["深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面", "贯彻落实北京市工会十五大精神",
           "工会重点工作创新案例", "基层风采", "维权服务"]


def sentences() -> list[str]:
    """Sentences from the seed pages, to make bodies that look like the paper."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    parts = re.split(r"(?<=[。！？])", re.sub(r"\s+", "", text))
    return [s for s in parts if 12 <= len(s) <= 160]


def vocab(name: str, key: str) -> list[str]:
    """The `key` values of one data/*.toml vocabulary."""
    text = (ROOT / "newsarchive" / "data" / name).read_text(encoding="utf-8")
    return re.findall(rf'^{key} = "(.+)"', text, flags=re.M)


def article(n: int, rng: random.Random, pool: list[str], districts: list[str], tags: list[str],
            people: list[str]) -> str:
    """The Markdown file of synthetic article `n`."""
    page, position = divmod(n, 10)
    day = dt.date(2024, 12, 31) - dt.timedelta(days=page)
    title = rng.choice(pool)[:rng.randint(10, 24)].rstrip("，。、；：")
    body = "\n\n".join("".join(rng.choice(pool) for _ in range(rng.randint(1, 4)))
                       for _ in range(rng.randint(3, 8)))
    front = [
        f"title: \"{title}\"",
        f"rubric: {rng.choice(RUBRICS)}" if rng.random() < 0.5 else "",
        "kind: news",
        f"reporters: [{', '.join(rng.sample(people, rng.randint(0, 2)))}]",
        f"correspondents: [{', '.join(rng.sample(people, rng.randint(0, 2)))}]",
        "photographers: []",
        f"districts: [{', '.join(rng.sample(districts, rng.choice((0, 1, 1, 1, 2))))}]",
        f"tags: [{', '.join(rng.sample(tags, rng.randint(0, 3)))}]",
        f"page: p{page:06d}",
        f"position: {position + 1}",
        f"slug: synthetic-article-{n}",
        f"date: {day.isoformat()}",
    ]
    return "---\n" + "\n".join(line for line in front if line) + "\n---\n" + body + "\n"


def main() -> None:
    """Write the articles."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = sentences()
    districts, tags = vocab("districts.toml", "name"), vocab("tags.toml", "term")
    people = sorted({rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2))) for _ in range(3000)})
    args.out.mkdir(parents=True, exist_ok=True)
    for n in range(args.count):
        (args.out / f"synthetic-article-{n}.md").write_text(article(n, rng, pool, districts, tags, people),
                                                           encoding="utf-8")
    print(f"wrote {args.count} articles to {args.out}")


if __name__ == "__main__":
    main()
