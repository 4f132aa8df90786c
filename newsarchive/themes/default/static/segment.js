/*
 * Search segmentation, identical to newsarchive/text/segment.py (tests run one table of
 * cases through both). NFKC, lower case, traditional characters folded to simplified ones;
 * a Han run gives its character bigrams plus its last character; ASCII digit/letter and
 * Latin-letter runs stay whole words; a number directly followed by Han also gives the
 * number with its unit (2023年, 5200多人); everything else separates. Character classes are
 * explicit code-point ranges so both languages agree.
 *
 * The folding table and the pinyin syllables come from the archive's build (search/fold.json.gz,
 * made from OpenCC's and pypinyin's data): setData() installs them. Until then nothing is
 * folded and spaced pinyin is not joined.
 * Works as a browser script (window.NewsSegment) and as a node module (require).
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.NewsSegment = api;
  }
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var HAN = "\\u3007\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff" +
            "\\u{20000}-\\u{2fa1f}\\u{30000}-\\u{323af}";
  var WORD = "0-9a-z\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u024f";
  var RUN_SOURCE = "([" + HAN + "]+)|([" + WORD + "]+)";
  var NUMBER_MULTIPLIERS = "十百千万亿多余";
  var DIGITS = /^[0-9]+$/;
  var FOLD_CANDIDATE = /[\u3400-\u9fff\uf900-\ufaff\ud840-\ud8bf]/;   // Han: the only characters folded

  var folding = null;        // traditional -> simplified, by character
  var syllables = null;      // pinyin syllables, as an object used as a set

  /**
   * Install the build's data: `fold` is a string of character pairs (traditional then
   * simplified), `syllables` the pinyin syllables separated by spaces.
   */
  function setData(data) {
    folding = null;
    syllables = null;
    if (data && data.fold) {
      folding = new Map();
      var chars = Array.from(data.fold);
      for (var i = 0; i + 1 < chars.length; i += 2) { folding.set(chars[i], chars[i + 1]); }
    }
    if (data && data.syllables) {
      syllables = Object.create(null);
      data.syllables.split(" ").forEach(function (s) { syllables[s] = true; });
    }
  }

  /** Traditional characters folded to simplified ones (nothing before setData). */
  function fold(text) {
    if (!folding || !FOLD_CANDIDATE.test(text)) { return text; }
    var out = "";
    for (var ch of text) {
      var to = folding.get(ch);
      out += to === undefined ? ch : to;
    }
    return out;
  }

  /** NFKC, then lower case (the same order as Python); not folded. */
  function normalize(text) {
    return String(text).normalize("NFKC").toLowerCase();
  }

  /** The form search reads: normalised, then folded. */
  function searchForm(text) {
    return fold(normalize(text));
  }

  /** Han and word runs of normalised (not folded) text, as [kind, run] pairs in order. */
  function runs(text) {
    var re = new RegExp(RUN_SOURCE, "gu"), out = [], m;
    var s = normalize(text);
    while ((m = re.exec(s)) !== null) {
      out.push(m[1] ? ["han", m[1]] : ["word", m[2]]);
    }
    return out;
  }

  /** Runs of the text as search reads it: [han, word, follows] (follows: starts where the last ended). */
  function searchRuns(text) {
    var re = new RegExp(RUN_SOURCE, "gu"), out = [], m, end = -1;
    var s = searchForm(text);
    while ((m = re.exec(s)) !== null) {
      out.push([m[1] || null, m[2] || null, m.index === end]);
      end = m.index + m[0].length;
    }
    return out;
  }

  /** A Han run's bigrams plus its last character, by code point (astral characters stay whole). */
  function hanTokens(run) {
    var chars = Array.from(run), out = [];
    for (var i = 0; i + 1 < chars.length; i++) {
      out.push(chars[i] + chars[i + 1]);
    }
    out.push(chars[chars.length - 1]);
    return out;
  }

  /** The unit a Han run gives the number before it: its multipliers and the character after them. */
  function numberUnit(han) {
    var chars = Array.from(han), n = 0;
    while (n < chars.length && NUMBER_MULTIPLIERS.indexOf(chars[n]) >= 0) { n++; }
    return chars.slice(0, n + 1).join("");
  }

  /** The search tokens of text, in order, repeats kept. */
  function segment(text) {
    var out = [], number = "";
    searchRuns(text).forEach(function (r) {
      if (r[0]) {
        if (number && r[2]) { out.push(number + numberUnit(r[0])); }
        Array.prototype.push.apply(out, hanTokens(r[0]));
        number = "";
      } else {
        out.push(r[1]);
        number = DIGITS.test(r[1]) ? r[1] : "";
      }
    });
    return out;
  }

  /** A Latin word as a pinyin key: tone marks removed, ü written v; "" unless all letters. */
  function toneless(word) {
    var letters = word.normalize("NFD").replace(/u\u0308/g, "v").replace(/[\u0300-\u036f]/g, "");
    return /^[a-z]+$/.test(letters) ? letters : "";
  }

  /** True when a toneless word is pinyin syllables written together. */
  function spellsPinyin(word) {
    if (!syllables || !word) { return false; }
    var canEnd = [true];
    for (var end = 1; end <= word.length; end++) {
      canEnd[end] = false;
      for (var start = Math.max(0, end - 6); start < end && !canEnd[end]; start++) {
        canEnd[end] = canEnd[start] && syllables[word.slice(start, end)] === true;
      }
    }
    return canEnd[word.length];
  }

  /**
   * What a query asks for (segment.py query_parts): bigrams of Han runs longer than one
   * character, single Han characters (matched with a trailing wildcard), numbers with their
   * unit, words, and pinyin keys of the words made of letters (spaced syllables joined).
   * Each list is deduplicated and keeps first-appearance order.
   */
  function queryParts(text) {
    var parts = { bigrams: [], chars: [], numbers: [], words: [], pinyin: [] }, seen = {};
    var number = "", letters = [];
    function add(list, term) {
      if (term && !Object.prototype.hasOwnProperty.call(seen, term)) {
        seen[term] = true;
        list.push(term);
      }
    }
    searchRuns(text).forEach(function (r) {
      var han = r[0], word = r[1];
      if (word) {
        if (number) { add(parts.words, number); }
        number = DIGITS.test(word) ? word : "";
        if (!number) {
          add(parts.words, word);
          letters.push(toneless(word));
        }
        return;
      }
      if (number && r[2]) {
        var unit = numberUnit(han);
        add(parts.numbers, number + unit);
        number = "";
        if (unit === han) { return; }
      } else if (number) {
        add(parts.words, number);
        number = "";
      }
      var tokens = hanTokens(han);
      if (tokens.length === 1) {
        add(parts.chars, tokens[0]);
      } else {
        // the trailing character token is dropped: it is only indexed where a run ends
        tokens.slice(0, -1).forEach(function (t) { add(parts.bigrams, t); });
      }
    });
    if (number) { add(parts.words, number); }
    var keys = letters.filter(Boolean);
    if (letters.length > 1 && keys.length === letters.length &&
        (keys.every(function (k) { return k.length === 1; }) || keys.every(spellsPinyin))) {
      keys = [keys.join("")];
    }
    keys.forEach(function (k) { if (parts.pinyin.indexOf(k) < 0) { parts.pinyin.push(k); } });
    return parts;
  }

  return { setData: setData, fold: fold, normalize: normalize, searchForm: searchForm, runs: runs,
           hanTokens: hanTokens, segment: segment, toneless: toneless, queryParts: queryParts };
}));
