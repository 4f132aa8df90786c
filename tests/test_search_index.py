"""The search index: lunr.py-equivalent serialisation, loading and querying in node with the
vendored lunr.js, shard caching, determinism across jobs."""
from __future__ import annotations

import gzip
import json
import random
import zlib
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from lunr.builder import Builder

from newsarchive.search.index import (CATALOG_NAME, LEAD_SOURCE_CHARS, SHARD_DIR, SHARD_MAX_CHARS,
                                      SHARD_SPAN, base36, base36_list, build_search_index, catalog_gzip, doc_id,
                                      gzip_bytes, plan_shards)
from newsarchive.search.lunrjson import (POSTING_BASE, POSTING_DIGITS, BulkBuilder, TermTable,
                                         tokenize, utf16_key)
from newsarchive.text.segment import normalize, runs, segment
from search_support import (HOSTILE_TITLE, expected_ids, fixture_docs, node_search,
                            read_search_json, run_node, seed_paragraphs)

QUERIES = ["工匠学院", "孟大鹏", "陈曦", "朝阳", "chaoyang", "gongjiang", "gjxy", "暖", "SMC", "smc",
           "2024年", "“产改”", "工匠:学院", "𠀀", "新𠀀", "😀", "职工之家", "img", "ＳＭＣ",
           "title:工匠 +学院 -劳模 暖* 职工^2 chaoyang~1", "\\", "“", "没有这样的文章xyz", ""]


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture archive's search folder."""
    out = tmp_path_factory.mktemp("site") / "search"
    stats = build_search_index(fixture_docs(), out, None, jobs=1)
    return out, stats


def _lunr_py_reference(docs: list[dict], fields: list[tuple[str, int]]) -> str:
    """lunr.py's own Builder on space-joined segmented text, re-sorted as lunr.js needs:
    terms in UTF-16 order, each `_index` its position, field vectors renumbered to match."""
    builder = Builder()
    builder.ref("id")
    for name, boost in fields:
        builder.field(name, boost)
    for doc in docs:
        builder.add({"id": doc["id"], **{f: " ".join(segment(doc[f])) for f, _ in fields}})
    ser = builder.build().serialize()
    terms = sorted((t for t, _ in ser["invertedIndex"]), key=utf16_key)
    new = {t: i for i, t in enumerate(terms)}
    postings = dict(ser["invertedIndex"])
    old_to_new = {p["_index"]: new[t] for t, p in ser["invertedIndex"]}
    ser["invertedIndex"] = [[t, {**postings[t], "_index": new[t]}] for t in terms]
    vectors = []
    for ref, el in ser["fieldVectors"]:
        pairs = sorted((old_to_new[el[i]], el[i + 1]) for i in range(0, len(el), 2))
        vectors.append([ref, [x for pair in pairs for x in pair]])
    ser["fieldVectors"] = vectors
    return json.dumps(ser, ensure_ascii=False, separators=(",", ":"))


def test_bulk_builder_writes_what_lunr_py_writes():
    rng = random.Random(7)
    text = "\n".join(seed_paragraphs())
    docs = []
    for i in range(60):
        at = rng.randrange(len(text) - 500)
        head = text[at:at + rng.randint(0, 30)] + ("𠀀新字😀ＳＭＣ2024年" if i % 9 == 0 else "")
        docs.append({"id": f"d{i}", "head": head, "body": text[at:at + rng.randint(0, 500)]})
    fields = [("head", 10), ("body", 1)]
    builder = BulkBuilder([d["id"] for d in docs], fields, TermTable())
    for field, _ in fields:
        builder.add_texts(field, [d[field] for d in docs])
    assert builder.serialize_json() == _lunr_py_reference(docs, fields)


def test_bulk_tokenizer_counts_what_segment_counts():
    paras = seed_paragraphs()
    texts = paras[:50] + ["", "２０２４年ＳＭＣ", "新𠀀字😀", "a-b", "暖", "SMC2024年Ab工会", "Café ÉCOLE ABC",
                          "ＡＢＣ和ABC", "ǅungla İstanbul"]
    table = TermTable()
    docs, codes = tokenize(texts, table)
    builder = BulkBuilder([str(i) for i in range(len(texts))], [("f", 1)], table)
    for i, text in enumerate(texts):
        mine = Counter()
        for c in codes[docs == i].tolist():
            if c >= 1 << 62:
                mine[table.words[c - (1 << 62)]] += 1
            else:   # (first << 21) | second, second 0 for a single character
                mine[chr(c >> 21) + (chr(c & ((1 << 21) - 1)) if c & ((1 << 21) - 1) else "")] += 1
        assert mine == Counter(segment(text)), text
    del builder


def test_catalog_and_shards_are_written(built):
    out, stats = built
    assert sorted(p.name for p in out.iterdir()) == [CATALOG_NAME, SHARD_DIR] == ["catalog.json.gz", "shards"]
    catalog = read_search_json(out / CATALOG_NAME)
    assert catalog["lunr"] == "2.3.9" and catalog["index"]["pipeline"] == []
    assert catalog["namesIndex"]["pipeline"] == []
    files = [s["file"] for s in catalog["shards"]]
    assert len(files) == stats.shard_count >= 3
    assert sorted(p.relative_to(out).as_posix() for p in (out / SHARD_DIR).iterdir()) == sorted(files)
    assert all(f.endswith(".json.gz") for f in files)
    shards = [read_search_json(out / file) for file in files]
    for shard in shards:
        assert shard["index"]["pipeline"] == [] and shard["pinyin"]["pipeline"] == []
    # newest first, and every article in exactly one shard
    docs = fixture_docs()
    newest_first = [doc_id(d) for d in sorted(docs, key=lambda d: -d.order)]
    assert [ref for shard in shards for ref, _ in shard["texts"]] == newest_first
    assert [s["count"] for s in catalog["shards"]] == [len(shard["texts"]) for shard in shards]
    # display data by column: every column holds one value per article
    assert len(catalog["docs"]) == len(catalog["columns"])
    assert {len(column) for column in catalog["docs"]} == {len(docs)}
    rows = [dict(zip(catalog["columns"], values)) for values in zip(*catalog["docs"])]
    assert [row["id"] for row in rows] == newest_first
    assert HOSTILE_TITLE in [row["title"] for row in rows]
    assert stats.shards_rebuilt == stats.shard_count and stats.shards_reused == 0
    # sizes: as stored (gzip) and decompressed
    assert stats.catalog_bytes == (out / CATALOG_NAME).stat().st_size
    assert stats.catalog_json_bytes == len(gzip.decompress((out / CATALOG_NAME).read_bytes()))
    stored = {f: (out / f).stat().st_size for f in files}
    largest = max(files, key=lambda f: (stored[f], f))
    assert stats.max_shard_bytes == stored[largest]
    assert stats.max_shard_json_bytes == len(gzip.decompress((out / largest).read_bytes()))
    assert stats.total_bytes == stats.catalog_bytes + sum(stored.values())
    assert stats.total_json_bytes == stats.catalog_json_bytes + sum(
        len(gzip.decompress((out / f).read_bytes())) for f in files)


def test_files_are_deterministic_gzip(built):
    out, _ = built
    for path in [out / CATALOG_NAME, *sorted((out / SHARD_DIR).iterdir())]:
        data = path.read_bytes()
        # one gzip member: magic, deflate, no flags, no time, OS "unknown"; no file name in it
        assert data[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", path
        text = gzip.decompress(data)
        member = zlib.decompressobj(16 + zlib.MAX_WBITS)   # exactly one member, nothing after it
        assert member.decompress(data) == text and member.eof and member.unused_data == b"", path
        # the catalog's start up to its shard list is deflated on its own (it is cached)
        assert (catalog_gzip if path.name == CATALOG_NAME else gzip_bytes)(text) == data
        json.loads(text)
    assert gzip.decompress(gzip_bytes(b"")) == b""
    for first, last in [(b"", b""), (b"abc" * 1000, b""), (b"", b"xyz"), (b"abc" * 1000, b"abc" * 999)]:
        data = gzip_bytes(first, last)
        member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        assert member.decompress(data) == first + last and member.eof and member.unused_data == b""


def _compact_pair(docs: list[dict], fields: list[str]) -> tuple[str, str]:
    """An index without vectors in the compact form and in lunr's form."""
    builder = BulkBuilder([d["id"] for d in docs], [(f, 1) for f in fields], TermTable(),
                          omit_empty_vectors=True, vectors=False)
    for field in fields:
        builder.add_texts(field, [d[field] for d in docs])
    return builder.serialize_compact_bytes().decode(), builder.serialize_json()


def _gap_lists(compact: str) -> str:
    """The compact index with its postings as format 3 wrote them: per field, per term, the
    list of gaps (decoded here independently of the writer)."""
    data = json.loads(compact)
    digits = {c: i for i, c in enumerate(POSTING_DIGITS)}
    lists = []
    for encoded in data["postings"]:
        field = []
        for term in encoded.split(" "):
            gaps, value = [], 0
            for c in term:
                if digits[c] >= POSTING_BASE:
                    value = value * POSTING_BASE + digits[c] - POSTING_BASE
                else:
                    gaps.append(value * POSTING_BASE + digits[c])
                    value = 0
            assert value == 0
            field.append(gaps)
        lists.append(field if data["terms"] else [])
    return json.dumps({**data, "postings": lists}, ensure_ascii=False)


def test_compact_index_expands_to_the_lunr_serialisation():
    rng = random.Random(11)
    text = "\n".join(seed_paragraphs())
    docs = []
    for i in range(80):
        at = rng.randrange(len(text) - 400)
        head = text[at:at + rng.randint(0, 30)] + ("𠀀新字😀ＳＭＣ2024年café" if i % 7 == 0 else "")
        docs.append({"id": base36(i * 37), "h": head, "b": "" if i % 5 == 0 else text[at:at + rng.randint(0, 400)]})
    # many documents, few with text: gaps of one, two and three digits, at each digit boundary
    base = POSTING_BASE
    sparse = {0, 1, base - 1, base, base + 1, 2 * base, base * base - 1, base * base, base * base + 1,
              base * base + base, 3 * base * base, 3 * base * base + 1}
    many = [{"id": base36(i), "t": f"工匠学院{i}号" + ("职工" if i % 2 else "") if i in sparse else ""}
            for i in range(max(sparse) + 2)]
    cases = [_compact_pair(docs, ["h", "b"]), _compact_pair(docs, ["b"]), _compact_pair([], ["t"]),
             _compact_pair([{"id": "0", "t": ""}], ["t"]), _compact_pair(many, ["t"])]
    assert max(len(term) for term in json.loads(cases[-1][0])["postings"][0].split(" ")) >= 3 * 2
    # format 3's lists of gaps are read too (a browser may hold an older catalog)
    cases += [(_gap_lists(compact), full) for compact, full in cases]
    script = """
    const NewsSearch = require("./newsarchive/themes/default/static/search.js");
    let input = ""; process.stdin.setEncoding("utf8"); process.stdin.on("data", d => { input += d; });
    process.stdin.on("end", () => {
      const out = JSON.parse(input).map(([compact, full, refs]) => {
        const expanded = JSON.stringify(NewsSearch.expandIndex(JSON.parse(compact), refs));
        const lunrForm = JSON.parse(full);
        // both load, and lunr's form passes through unchanged
        new NewsSearch.Catalog({columns: ["id", "names"], docs: [refs, refs.map(() => [])], names: [],
                                index: JSON.parse(compact), namesIndex: lunrForm, shards: []});
        return [expanded === JSON.stringify(lunrForm),
                NewsSearch.expandIndex(lunrForm, []) === lunrForm];
      });
      process.stdout.write(JSON.stringify(out));
    });"""
    refs = [[d["id"] for d in docs], [d["id"] for d in docs], [], ["0"], [d["id"] for d in many]] * 2
    result = run_node(script, [[c, f, r] for (c, f), r in zip(cases, refs)])
    assert result == [[True, True]] * len(cases)
    assert len(cases[0][0]) < len(cases[0][1]) / 3


def test_compact_postings_are_rejected_when_they_do_not_match_the_terms():
    compact = json.loads(_compact_pair([{"id": "0", "t": "工匠"}, {"id": "1", "t": "学院"}], ["t"])[0])
    assert compact["terms"] == "匠 学院 工匠 院" and compact["postings"] == ["! # ! #"]
    script = """
    const NewsSearch = require("./newsarchive/themes/default/static/search.js");
    let input = ""; process.stdin.setEncoding("utf8"); process.stdin.on("data", d => { input += d; });
    process.stdin.on("end", () => {
      const out = JSON.parse(input).map(([index, refs]) => {
        try { NewsSearch.expandIndex(index, refs); return "loaded"; } catch (e) { return e.message; }
      });
      process.stdout.write(JSON.stringify(out));
    });"""
    # too few terms, too many, a character that is no digit, a number without its last digit
    bad = ["! # !", "! # ! # !", "! # ! #\\", "! # ! #é", "! # ! |"]
    result = run_node(script, [[compact, ["0", "1"]]] + [[{**compact, "postings": [b]}, ["0", "1"]] for b in bad])
    assert result[0] == "loaded"
    assert all("search index:" in r for r in result[1:]), result


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


@pytest.mark.parametrize("query", [q for q in QUERIES if q])
def test_node_finds_what_the_data_says(built, query):
    out, _ = built
    docs = fixture_docs()
    result = node_search(out, [query])[query]
    assert set(result["all"]) == expected_ids(docs, query)


def test_node_queries_of_the_brief_are_not_empty(built):
    out, _ = built
    results = node_search(out, QUERIES)
    for query in ["工匠学院", "孟大鹏", "陈曦", "朝阳", "chaoyang", "gongjiang", "gjxy", "暖", "SMC",
                  "2024年", "“产改”", "工匠:学院", "𠀀", "新𠀀"]:
        assert results[query]["all"], query
    assert results["没有这样的文章xyz"]["all"] == []
    assert results[""]["all"] == []
    ids = {d.title: doc_id(d) for d in fixture_docs()}
    # a name deep in a body is found only through its shard, and its snippet marks it
    deep = ids["全市职工技能竞赛"]
    assert deep in results["孟大鹏"]["all"] and results["孟大鹏"]["catalog"] == []
    assert results["孟大鹏"]["snippets"][deep]["marked"] == ["孟大鹏"]
    # headline matches rank before body matches
    first = results["工匠学院"]["all"][0]
    assert first == ids["首都工匠学院开班"] and results["工匠学院"]["tiers"][first] == 0
    # the astral title loads in lunr.js and is found
    assert results["𠀀"]["all"] == [ids["新𠀀字与职工😀之家"]]
    # full-width query finds half-width text
    assert ids["SMC公司举办技能大赛"] in results["ＳＭＣ"]["all"]
    # wherever a body holds a query's Han run or word, the snippet marks it
    bodies = {doc_id(d): normalize(d.body) for d in fixture_docs()}
    for query in QUERIES:
        needles = [run for _, run in runs(query)]
        for ref in results[query]["all"]:
            if any(n in bodies[ref] for n in needles):
                marked = results[query]["snippets"][ref]["marked"]
                assert marked and all(any(n in normalize(m) for n in needles) for m in marked), (query, ref)


def test_shard_cache_rebuilds_only_the_changed_shard(tmp_path):
    docs = fixture_docs()
    cache = tmp_path / "cache"
    first = build_search_index(docs, tmp_path / "a", cache)
    assert first.shards_rebuilt == first.shard_count and first.shards_reused == 0
    before = _files(tmp_path / "a")
    changed = docs[4]
    docs2 = [replace(d, body=d.body + "新增一句。", content_hash="changed") if d is changed else d for d in docs]
    second = build_search_index(docs2, tmp_path / "a", cache)
    assert second.shards_rebuilt == 1 and second.shards_reused == second.shard_count - 1
    after = _files(tmp_path / "a")
    gone = sorted(set(before) - set(after))
    new = sorted(set(after) - set(before))
    assert len(gone) == len(new) == 1      # the changed shard's file (its name holds its key)
    assert all(before[p] == after[p] for p in before if p in after and p != CATALOG_NAME)
    assert len([s for s in plan_shards(docs) if changed in s]) == 1
    # the cache keeps only the shards in use
    assert len(list((cache / "search-shards").glob("*.json.gz"))) == second.shard_count
    assert len(list((cache / "search-shards").glob("*.meta"))) == second.shard_count
    # a fresh output folder gets byte-identical copies from the cache
    third = build_search_index(docs2, tmp_path / "b", cache)
    assert third.shards_rebuilt == 0
    assert _files(tmp_path / "b") == after


def _long_body(docs):
    """Position of the fixture doc with the longest body (longer than its lead reads)."""
    i = max(range(len(docs)), key=lambda i: len(docs[i].body))
    assert len(docs[i].body) > LEAD_SOURCE_CHARS + 10
    return i


# edits of one article, and whether the catalog's start may come from the cache after it
# (an edit of the article's content file changes its content_hash, which keys its shard)
CATALOG_EDITS = {
    "body after the lead": (dict(body=lambda d: d.body[:LEAD_SOURCE_CHARS] + "新增一句。"
                                 + d.body[LEAD_SOURCE_CHARS:]), True),
    "content hash only": ({}, True),
    "position and page stem": (dict(position=lambda d: 9, page=lambda d: "p9"), True),
    "lead": (dict(body=lambda d: "新的开头。" + d.body), False),
    "title": (dict(title=lambda d: d.title + "续"), False),
    "kicker": (dict(kicker=lambda d: "引题"), False),
    "subtitle": (dict(subtitle=lambda d: "副题"), False),
    "url": (dict(url=lambda d: "articles/moved/"), False),
    "date": (dict(date=lambda d: None), False),
    "page label": (dict(page_label=lambda d: "第9版"), False),
    "people": (dict(people=lambda d: (*d.people, "王芳")), False),
    "districts": (dict(districts=lambda d: ("西城区",)), False),
    "tags": (dict(tags=lambda d: (*d.tags, "职工之家")), False),
    "order": (dict(order=lambda d: d.order + 1), False),
}


def _edit(doc, changes):
    """The doc with the changes applied and a new content hash."""
    return replace(doc, content_hash="edited", **{field: f(doc) for field, f in changes.items()})


@pytest.mark.parametrize("edit", sorted(CATALOG_EDITS))
def test_catalog_start_is_reused_only_while_its_inputs_are_unchanged(tmp_path, edit):
    docs = fixture_docs()
    cache = tmp_path / "cache"
    first = build_search_index(docs, tmp_path / "a", cache)
    assert not first.catalog_reused
    change, reused = CATALOG_EDITS[edit]
    at = _long_body(docs)
    docs2 = [_edit(d, change) if i == at else d for i, d in enumerate(docs)]
    second = build_search_index(docs2, tmp_path / "b", cache, jobs=2)
    assert second.catalog_reused is reused
    # reused or not, the files are those of a build without a cache
    build_search_index(docs2, tmp_path / "fresh", None)
    assert _files(tmp_path / "b") == _files(tmp_path / "fresh")
    assert len(list((cache / "search-catalog").glob("*.deflate"))) == 1
    assert len(list((cache / "search-catalog").glob("*.meta"))) == 1


def test_a_damaged_cached_catalog_start_is_rebuilt(tmp_path):
    docs = fixture_docs()
    cache = tmp_path / "cache"
    build_search_index(docs, tmp_path / "a", cache)
    assert build_search_index(docs, tmp_path / "b", cache).catalog_reused
    [cached] = (cache / "search-catalog").glob("*.deflate")
    data = cached.read_bytes()
    for damaged in (data[:-1], data[:100] + bytes([data[100] ^ 1]) + data[101:]):   # cut short, one bit
        cached.write_bytes(damaged)
        again = build_search_index(docs, tmp_path / "c", cache)
        assert not again.catalog_reused
        assert _files(tmp_path / "c") == _files(tmp_path / "a")
        assert build_search_index(docs, tmp_path / "d", cache).catalog_reused   # written anew


def test_refs_in_base36():
    values = [0, 1, 35, 36, 37, 1295, 1296, 46655, 46656, 10 ** 6, 36 ** 7 - 1, 36 ** 7]
    assert base36_list(values) == [base36(v) for v in values]
    assert [base36(v) for v in values[:6]] == ["0", "1", "z", "10", "11", "zz"]
    assert base36_list(range(0)) == [] and base36_list(range(3)) == ["0", "1", "2"]
    with pytest.raises(ValueError):
        base36_list([3, -1])


def test_shards_are_buckets_of_orders_cut_below_the_size_limit():
    rng = random.Random(3)
    base = fixture_docs()[0]
    orders = rng.sample(range(5 * SHARD_SPAN), 300)
    # bodies from tiny to a third of a shard: some buckets must be cut into parts
    docs = [replace(base, ref=f"d{o}", order=o, body="字" * rng.choice([10, 1000, SHARD_MAX_CHARS // 3]))
            for o in orders]
    shards = plan_shards(docs)
    assert [d.order for shard in shards for d in shard] == sorted(orders, reverse=True)
    cut = 0
    for i, shard in enumerate(shards):
        assert len({d.order // SHARD_SPAN for d in shard}) == 1
        assert sum(len(d.body) for d in shard) <= SHARD_MAX_CHARS or len(shard) == 1
        # a part ends where the next older article would not have fitted
        older = shards[i + 1] if i + 1 < len(shards) else []
        if older and older[0].order // SHARD_SPAN == shard[0].order // SHARD_SPAN:
            cut += 1
            assert sum(len(d.body) for d in older) + len(shard[-1].body) > SHARD_MAX_CHARS
    assert cut >= 3
    assert plan_shards([]) == []


def test_jobs_do_not_change_the_output(tmp_path):
    docs = fixture_docs()
    build_search_index(docs, tmp_path / "one", None, jobs=1)
    build_search_index(docs, tmp_path / "two", None, jobs=2)
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


def test_stale_shards_are_removed(tmp_path):
    docs = fixture_docs()
    build_search_index(docs, tmp_path / "s", None)
    # files of the earlier, uncompressed format go too
    (tmp_path / "s" / "catalog.json").write_text("{}")
    (tmp_path / "s" / SHARD_DIR / "00000-0-0123456789ab.json").write_text("{}")
    build_search_index(docs[:2], tmp_path / "s", None)
    catalog = read_search_json(tmp_path / "s" / CATALOG_NAME)
    listed = sorted(s["file"] for s in catalog["shards"])
    assert sorted(f"{SHARD_DIR}/{p.name}" for p in (tmp_path / "s" / SHARD_DIR).iterdir()) == listed
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [CATALOG_NAME, SHARD_DIR]


def test_empty_archive_builds_and_loads(tmp_path):
    stats = build_search_index([], tmp_path / "search", None)
    assert stats.docs == 0 and stats.shard_count == 0
    assert node_search(tmp_path / "search", ["工匠"])["工匠"]["all"] == []


def test_duplicate_orders_are_refused(tmp_path):
    docs = fixture_docs()
    with pytest.raises(ValueError):
        build_search_index([docs[0], replace(docs[1], order=docs[0].order)], tmp_path, None)
