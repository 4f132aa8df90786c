"""The Python and the JS segmenter give the same tokens for one shared table of cases."""
from __future__ import annotations

import json
import random

import pytest

from newsarchive.text.pinyin import PINYIN_MAX_SYLLABLES, han_words, pinyin_keys, run_syllables
from newsarchive.text.segment import query_parts, runs, segment
from newsarchive.search.index import browser_data
from search_support import FIXTURES, STATIC, run_node

CASES = json.loads((FIXTURES / "segment_cases.json").read_text(encoding="utf-8"))["cases"]

# The build's folding table and pinyin syllables (search/fold.json.gz) are installed first,
# as the search page does.
NODE_SEGMENT = """
const seg = require(%s);
let data = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", d => data += d);
process.stdin.on("end", () => {
  const input = JSON.parse(data);
  seg.setData(input.data);
  const texts = input.texts;
  process.stdout.write(JSON.stringify(texts.map(t => seg.segment(t))));
});
""" % json.dumps(str(STATIC / "segment.js"))


def node_segment(texts: list[str], script: str = NODE_SEGMENT) -> list:
    """Run the JS segmenter (with the build's data installed) over texts."""
    return run_node(script, {"data": browser_data(), "texts": texts})


@pytest.mark.parametrize("case", CASES, ids=[c["note"] for c in CASES])
def test_python_segmenter_matches_table(case):
    assert segment(case["text"]) == case["tokens"]


def test_js_segmenter_matches_table():
    got = node_segment([c["text"] for c in CASES])
    mismatches = [(c["note"], c["tokens"], g) for c, g in zip(CASES, got) if g != c["tokens"]]
    assert not mismatches


def test_js_and_python_agree_on_seed_pages():
    texts = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES.parent.parent / "seeds").glob("*.txt"))]
    assert texts, "seeds/*.txt missing"
    assert node_segment(texts) == [segment(t) for t in texts]


def test_tokens_are_safe_lunr_terms():
    for case in CASES:
        for token in case["tokens"]:
            assert token and not set(token) & set(" -:*^~+\t\n")


def test_js_query_parts_drop_trailing_character_of_long_runs():
    script = NODE_SEGMENT.replace("seg.segment(t)", "seg.queryParts(t)")
    got = node_segment(["工匠学院", "2024 年", "暖", "工匠:学院 SMC"], script)
    empty = {"bigrams": [], "chars": [], "numbers": [], "words": [], "pinyin": []}
    assert got == [
        {**empty, "bigrams": ["工匠", "匠学", "学院"]},
        {**empty, "chars": ["年"], "words": ["2024"]},
        {**empty, "chars": ["暖"]},
        {**empty, "bigrams": ["工匠", "学院"], "words": ["smc"], "pinyin": ["smc"]},
    ]


def test_js_query_parts_match_python_on_the_table():
    script = NODE_SEGMENT.replace("seg.segment(t)", "seg.queryParts(t)")
    texts = [c["text"] for c in CASES] + QUERY_CASES
    assert node_segment(texts, script) == [query_parts(t) for t in texts]


# Queries as readers type them (each through both segmenters above, and checked here)
QUERY_CASES = ["gong jiang", "gōngjiàng", "Hǎidiàn", "lǜ", "nǚ gōng", "g j x y", "gong jiang xueyuan",
               "SMC 2024", "smc gong", "2023年", "5200多人", "2023年工会", "19万字 100 多", "工會 職工",
               "北京今年新增了几家首都工匠学院", "Chao Yang", "chao 2024", "a"]


def test_queries_as_readers_type_them():
    parts = {q: query_parts(q) for q in QUERY_CASES}
    assert parts["gong jiang"]["pinyin"] == ["gongjiang"]            # spaced pinyin: one key
    assert parts["gong jiang xueyuan"]["pinyin"] == ["gongjiangxueyuan"]
    assert parts["Chao Yang"]["pinyin"] == ["chaoyang"]
    assert parts["gōngjiàng"]["pinyin"] == ["gongjiang"]             # tone marks removed
    assert parts["Hǎidiàn"]["pinyin"] == ["haidian"]
    assert parts["lǜ"]["pinyin"] == ["lv"] and parts["nǚ gōng"]["pinyin"] == ["nvgong"]   # ü is v
    assert parts["g j x y"]["pinyin"] == ["gjxy"]                     # spaced initials
    assert parts["SMC 2024"]["pinyin"] == ["smc"]                     # not pinyin: kept apart
    assert parts["smc gong"]["pinyin"] == ["smc", "gong"]
    assert parts["chao 2024"]["pinyin"] == ["chao"] and parts["chao 2024"]["words"] == ["chao", "2024"]
    assert parts["2023年"] == {"bigrams": [], "chars": [], "numbers": ["2023年"], "words": [], "pinyin": []}
    assert parts["5200多人"]["numbers"] == ["5200多人"] and parts["5200多人"]["bigrams"] == []
    assert parts["2023年工会"]["numbers"] == ["2023年"] and "工会" in parts["2023年工会"]["bigrams"]
    assert parts["19万字 100 多"]["numbers"] == ["19万字"] and parts["19万字 100 多"]["words"] == ["100"]
    assert parts["工會 職工"]["bigrams"] == ["工会", "职工"]            # traditional folded
    assert len(parts["北京今年新增了几家首都工匠学院"]["bigrams"]) == 14


def test_pinyin_readings_are_pypinyins_on_the_seeds():
    from pypinyin import lazy_pinyin
    seeds = sorted((FIXTURES.parent.parent / "seeds").glob("*.txt"))
    han = [r for p in seeds for kind, r in runs(p.read_text(encoding="utf-8")) if kind == "han"]
    assert len(han) > 1000
    for run in han:
        expected = lazy_pinyin(run)
        start = run.find("朝阳")
        while start >= 0:  # the one deliberate difference: 朝阳 is the district chaoyang
            expected[start:start + 2] = ["chao", "yang"]
            start = run.find("朝阳", start + 2)
        assert list(run_syllables(run)) == expected, run


def test_han_words_cut_as_pypinyin_does():
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.seg.mmseg import seg
    seeds = sorted((FIXTURES.parent.parent / "seeds").glob("*.txt"))
    han = [r for p in seeds for kind, r in runs(p.read_text(encoding="utf-8")) if kind == "han"]
    # runs made of starts of phrases: a phrase cut short at the end of a run, a prefix that
    # is no phrase, phrases overlapping
    rng = random.Random(5)
    phrases = sorted(p for p in PHRASES_DICT if len(p) >= 3)
    for _ in range(3000):
        han.append("".join(p[:rng.randint(1, len(p))] for p in rng.sample(phrases, rng.randint(1, 3))))
    han += ["", "中", "中华人民共和", "中华人民共和国", "人民共和国国"]
    for run in han:
        assert han_words(run) == list(seg.cut(run)), run


def test_pinyin_keys_full_and_initials_from_every_syllable():
    assert pinyin_keys("朝阳区") == ["chaoyangqu", "cyq", "yangqu", "yq", "qu", "q"]
    assert "chaoyang" in pinyin_keys("朝阳")
    keys = pinyin_keys("首都工匠学院")
    assert "gongjiangxueyuan" in keys and "gjxy" in keys


def test_pinyin_keys_capped_and_skip_non_han():
    keys = pinyin_keys("深入学习贯彻党的二十大精神 SMC 2024")
    assert PINYIN_MAX_SYLLABLES == 8
    assert "shenruxuexiguanchedangde" in keys            # 8 syllables from the start
    assert not any(k.startswith("shenruxuexiguanchedangdee") for k in keys)
    assert "srxxgcdd" in keys and "smc" not in keys and "2024" not in keys
    assert pinyin_keys("") == [] and pinyin_keys("，。") == []


def test_a_kept_pinyin_table_reads_as_the_one_made_from_pypinyin(tmp_path):
    from newsarchive.text import pinyin as segment
    titles = ["朝阳区举办产业工人队伍建设改革博览会", "首都工匠学院技能竞赛", "重庆长安 银行行长", "乐亭 曾经 单位"]
    try:
        segment.keep_pinyin_table(None)
        segment._word_syllables.cache_clear(); segment.run_syllables.cache_clear()
        made = [segment.run_syllables(t.replace(" ", "")) for t in titles]
        kept = tmp_path / "table.pickle"
        segment.keep_pinyin_table(kept)
        segment.preload_pinyin()                       # makes the table and keeps it
        assert kept.exists()
        import pickle
        stale = pickle.dumps(("0.0 from another pypinyin", {}, frozenset(), {}))
        moved = b"cnewsarchive.search.segment\nPinyinTable\n)\x81."   # an earlier layout's class
        for damage in (None, b"not a pickle", stale, moved):
            if damage:
                kept.write_bytes(damage)               # a damaged table is made again
            segment.keep_pinyin_table(kept)
            segment._word_syllables.cache_clear(); segment.run_syllables.cache_clear()
            assert [segment.run_syllables(t.replace(" ", "")) for t in titles] == made
    finally:
        segment.keep_pinyin_table(None)
        segment._word_syllables.cache_clear(); segment.run_syllables.cache_clear()
