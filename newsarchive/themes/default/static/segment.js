/*
 * Search segmentation, identical to newsarchive/search/segment.py (tests run one table of
 * cases through both). NFKC, lower case; a Han run gives its character bigrams plus its last
 * character; ASCII digit/letter and Latin-letter runs stay whole words; everything else
 * separates. Character classes are explicit code-point ranges so both languages agree.
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

  /** NFKC, then lower case (the same order as Python). */
  function normalize(text) {
    return String(text).normalize("NFKC").toLowerCase();
  }

  /** Han and word runs of normalised text, as [kind, run] pairs in order. */
  function runs(text) {
    var re = new RegExp(RUN_SOURCE, "gu"), out = [], m;
    var s = normalize(text);
    while ((m = re.exec(s)) !== null) {
      out.push(m[1] ? ["han", m[1]] : ["word", m[2]]);
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

  /** The search tokens of text, in order, repeats kept. */
  function segment(text) {
    var out = [];
    runs(text).forEach(function (r) {
      if (r[0] === "han") {
        Array.prototype.push.apply(out, hanTokens(r[1]));
      } else {
        out.push(r[1]);
      }
    });
    return out;
  }

  /**
   * What a query asks for: bigrams of Han runs longer than one character, single Han
   * characters (one-character runs, to be matched with a trailing wildcard) and words.
   * Each list is deduplicated and keeps first-appearance order.
   */
  function queryParts(text) {
    var parts = { bigrams: [], chars: [], words: [] }, seen = {};
    function add(list, term) {
      if (!Object.prototype.hasOwnProperty.call(seen, term)) {
        seen[term] = true;
        list.push(term);
      }
    }
    runs(text).forEach(function (r) {
      if (r[0] === "word") {
        add(parts.words, r[1]);
        return;
      }
      var tokens = hanTokens(r[1]);
      if (tokens.length === 1) {
        add(parts.chars, tokens[0]);
      } else {
        // the trailing character token is dropped: it is only indexed where a run ends
        tokens.slice(0, -1).forEach(function (t) { add(parts.bigrams, t); });
      }
    });
    return parts;
  }

  return { normalize: normalize, runs: runs, hanTokens: hanTokens, segment: segment,
           queryParts: queryParts };
}));
