"""Helpers for the search tests: find node (fail under CI, skip locally) and run JS with it."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "newsarchive" / "themes" / "default" / "static"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def in_ci() -> bool:
    """True when running under CI (env CI=true), where missing tools must fail, not skip."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_tool(path_or_name: str, what: str) -> str:
    """The tool's path; fails under CI and skips locally when it is missing."""
    found = path_or_name if os.path.isabs(path_or_name) and os.access(path_or_name, os.X_OK) \
        else shutil.which(path_or_name)
    if not found:
        message = f"{what} not found ({path_or_name})"
        if in_ci():
            pytest.fail(message + " - CI must install it")
        pytest.skip(message)
    return found


def run_node(script: str, payload: object, timeout: float = 120) -> object:
    """Run a node script with `payload` as JSON on stdin; return its stdout parsed as JSON."""
    node = require_tool("node", "node.js")
    proc = subprocess.run([node, "-e", script], input=json.dumps(payload, ensure_ascii=False),
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout,
                          cwd=ROOT)
    if proc.returncode != 0:
        raise AssertionError(f"node failed ({proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout)


def read_search_json(path: Path) -> object:
    """A search file as written (gzip-compressed JSON), decompressed and parsed."""
    return json.loads(gzip.decompress(Path(path).read_bytes()).decode("utf-8"))


# ---- search fixtures and the oracle the node/browser results are checked against ----------

def seed_paragraphs() -> list[str]:
    """Paragraphs of the real seed pages (lines of 20+ characters)."""
    out = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        out += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if len(line.strip()) >= 20]
    return out


HOSTILE_TITLE = '<img src=x onerror=alert(1)>职工"之家"&amp;'


def fixture_facets():
    """The taxonomies of the fixture archives: districts and tags (filters, with the engine's
    aliases), people (names only); as the builder makes them from the vocabulary."""
    from newsarchive.search import Facet
    from newsarchive.vocab import Vocabulary
    vocab = Vocabulary.read()
    return [
        Facet("districts", "地区", tuple(d.name for d in vocab.districts),
              {d.name: tuple(dict.fromkeys(a for a in (d.short, *d.aliases) if a and a != d.name))
               for d in vocab.districts}, filter=True),
        Facet("tags", "标签", tuple(t.term for t in vocab.tags), {t.term: t.aliases for t in vocab.tags}, filter=True),
        Facet("people", "人物", ()),
    ]


def make_doc(i: int, title: str, body: str, districts=(), tags=(), people=(), kicker: str = "", subtitle: str = "",
             date: str | None = None, order: int | None = None, prefix: str = "fixture"):
    """One SearchDoc of a fixture archive."""
    from newsarchive.search import SearchDoc
    return SearchDoc(
        ref=f"{prefix}-{i}", url=f"articles/{prefix}-{i}/index.html", title=title, kicker=kicker, subtitle=subtitle,
        body=body, names={"districts": tuple(districts), "tags": tuple(tags), "people": tuple(people)},
        date=date, page=f"p{i // 3}", page_label=f"第{i % 8 + 1}版", position=i % 3 + 1,
        content_hash=f"hash-{prefix}-{i}", order=i if order is None else order)


def fixture_docs():
    """A small archive: seed text plus titles and bodies that test astral characters, hostile
    HTML, Latin, digits, quotes and names deep in a body."""
    paras = seed_paragraphs()
    specs = [
        # (title, kicker, subtitle, body, districts, tags, people)
        ("朝阳区举办产业工人队伍建设改革博览会", "", "发布19万字“产改”图书", paras[3] + "\n" + paras[4],
         ("朝阳区",), ("产业工人队伍建设改革",), ("刘欣欣",)),
        ("首都工匠学院开班", "深化产业工人队伍建设改革", "", paras[10], (), ("工匠学院",), ("陈曦", "赵娟")),
        (HOSTILE_TITLE, "", "", paras[20], ("海淀区",), (), ()),
        ("新𠀀字与职工😀之家", "", "", paras[30], (), ("职工之家",), ("段妍",)),
        ("SMC公司举办技能大赛", "", "", "本届大赛由SMC（中国）有限公司承办。" + paras[40], ("经开区",), ("劳动和技能竞赛",), ()),
        ("暖心驿站温暖户外劳动者", "", "", paras[50] + "暖", ("东城区",), ("送温暖",), ("马超",)),
        ("全市职工技能竞赛", "", "", "\n".join(paras[60:66]) + "\n获奖者孟大鹏表示，将继续钻研技术。", (), (), ("孙妍",)),
        ("2024年职工运动会开幕", "", "", "2024年职工运动会在京开幕。" + paras[70], ("朝阳区", "丰台区"), (), ("陈曦",)),
        ("工匠:学院？冒号标题", "", "", paras[80], (), (), ()),
        ("ＳＭＣ全角字母标题", "", "", paras[90], (), (), ()),
    ]
    return [make_doc(i, title, body, districts, tags, people, kicker, subtitle, date=f"2024-11-{i + 1:02d}",
                     order=i * 60)
            for i, (title, kicker, subtitle, body, districts, tags, people) in enumerate(specs)]


def doc_tokens(doc, facets) -> set[str]:
    """Every search token of an article: headline group, body, and its names with their aliases."""
    from newsarchive.search.index import headline_text, name_texts
    from newsarchive.text.segment import segment
    tokens = set(segment(headline_text(doc)) + segment(doc.body))
    for facet in facets:
        for name in doc.names.get(facet.key, ()):
            for text in name_texts(facet, name):
                tokens.update(segment(text))
    return tokens


def doc_pinyin(doc, facets) -> list[str]:
    """The pinyin keys of an article's title and of its names (with their aliases)."""
    from newsarchive.search.index import name_texts
    from newsarchive.text.pinyin import pinyin_keys
    keys = pinyin_keys(doc.title)
    for facet in facets:
        for name in doc.names.get(facet.key, ()):
            for text in name_texts(facet, name):
                keys += pinyin_keys(text)
    return keys


def expected_docs(docs, query: str, facets=None) -> list:
    """The articles a query must find (strictly), computed from the data, not from the index:
    with Han terms, those holding every bigram and number and, for each single character, a
    token that starts with it, anywhere in the headline group, body or names (with aliases);
    otherwise those holding any of the query's words, or a pinyin key of the title or names
    that starts with one of the query's pinyin keys."""
    from newsarchive.text.segment import query_parts
    facets = fixture_facets() if facets is None else facets
    parts = query_parts(query)
    exact = parts["bigrams"] + parts["numbers"]
    found = []
    for doc in docs:
        tokens = doc_tokens(doc, facets)
        if exact or parts["chars"]:
            hit = (all(t in tokens for t in exact)
                   and all(any(t.startswith(c) for t in tokens) for c in parts["chars"]))
        else:
            keys = doc_pinyin(doc, facets)
            hit = (any(w in tokens for w in parts["words"])
                   or any(k.startswith(p) for p in parts["pinyin"] for k in keys))
        if hit:
            found.append(doc)
    return found


def expected_ids(docs, query: str, facets=None) -> set[str]:
    """The urls of expected_docs."""
    return {d.url for d in expected_docs(docs, query, facets)}


def content_docs(content: Path) -> list:
    """SearchDocs read straight from content/*.md (front matter and paragraphs), for oracles
    that must not depend on the site builder's reading of the same files."""
    import yaml
    from newsarchive.search import SearchDoc
    docs = []
    for i, path in enumerate(sorted(content.glob("*.md"))):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
        people = tuple(dict.fromkeys(meta.get("reporters", []) + meta.get("correspondents", [])
                                     + meta.get("photographers", [])))
        docs.append(SearchDoc(
            ref=meta["slug"], url=f"articles/{meta['slug']}/index.html", title=meta["title"],
            kicker=meta.get("kicker", ""), subtitle=meta.get("subtitle", ""), body="\n".join(paragraphs),
            names={"districts": tuple(meta.get("districts", [])), "tags": tuple(meta.get("tags", [])),
                   "people": people},
            date=str(meta["date"]) if meta.get("date") else None, page=meta.get("page", ""),
            page_label="", position=meta.get("position", 0), content_hash=path.name, order=i))
    return docs


def node_search(search_dir: Path, queries: list[str]) -> dict:
    """Run queries with the browser's code (search.js + vendored lunr.js) in node."""
    script = (Path(__file__).parent / "search_query.js").read_text(encoding="utf-8")
    script = script.replace("__dirname", json.dumps(str(Path(__file__).parent)))
    return run_node(script, {"dir": str(search_dir), "queries": queries})
