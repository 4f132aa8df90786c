/*
 * Client-side search over the files newsarchive/search/index.py writes under search/:
 * catalog.json.gz (always loaded: display rows, names, a headline index and a names index
 * with pinyin) and shards/*.json.gz (full text, loaded on demand, newest first).
 *
 * The files are gzip as stored. They are fetched as bytes and decompressed here with
 * DecompressionStream: hosts such as GitHub Pages send them as application/gzip without
 * Content-Encoding. Bytes that do not start with the gzip magic (a server that did send
 * Content-Encoding: gzip, so that the browser already decompressed them) are parsed as is.
 * Article indexes come in the compact form of newsarchive/search/lunrjson.py and are
 * expanded into lunr's own serialisation before lunr.Index.load.
 *
 * Queries are never given to index.search(): the text is segmented like the index
 * (segment.js) and built with index.query(): Han bigrams and single characters (trailing
 * wildcard) are required, Latin/digit words and pinyin (trailing wildcard) optional.
 * Everything taken from the index reaches the page through textContent, never innerHTML.
 *
 * The core (everything but `start`) also runs in node for the tests:
 *   var NewsSearch = require("./search.js");
 */
(function (root, factory) {
  "use strict";
  var inNode = typeof module === "object" && module.exports;
  var api = factory(inNode ? require("./lunr.js") : root.lunr,
                    inNode ? require("./segment.js") : root.NewsSegment);
  if (inNode) {
    module.exports = api;
  } else {
    root.NewsSearch = api;
    if (root.document) {
      root.document.addEventListener("DOMContentLoaded", function () { api.start(root.document); });
    }
  }
}(typeof self !== "undefined" ? self : this, function (lunr, seg) {
  "use strict";

  var REQUIRED = lunr.Query.presence.REQUIRED;
  var OPTIONAL = lunr.Query.presence.OPTIONAL;
  var TRAILING = lunr.Query.wildcard.TRAILING;
  var TIER_HEADLINE = 0, TIER_NAME = 1, TIER_BODY = 2;
  var NO_MATCH_DATA = Object.freeze({});   // lunr's per-document metadata; ours is always empty
  var NO_DECOMPRESSION = "no-decompression";

  /** True when the bytes start with the gzip magic number 1f 8b. */
  function isGzip(bytes) {
    return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  }

  /**
   * The JSON value in an ArrayBuffer (or Uint8Array) of gzip or plain UTF-8 JSON: a promise.
   * Gzip needs DecompressionStream; without it the promise fails with an error whose
   * `code` is "no-decompression".
   */
  function decodeJSON(buffer) {
    var bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
    if (!isGzip(bytes)) {
      return Promise.resolve().then(function () { return JSON.parse(new TextDecoder("utf-8").decode(bytes)); });
    }
    if (typeof DecompressionStream !== "function") {
      var error = new Error("DecompressionStream is not available");
      error.code = NO_DECOMPRESSION;
      return Promise.reject(error);
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  // Digits of the compact form's postings (lunrjson.py POSTING_DIGITS): printable ASCII but
  // the space (it separates terms), '"' and the backslash. A number is written in base
  // POSTING_BASE, most significant digit first: the first half of the digits end a number,
  // the others lead.
  var POSTING_BASE = 46;
  var DIGIT_VALUE = (function () {
    var values = new Int16Array(128), digit = 0;
    for (var c = 0; c < 128; c++) {
      values[c] = c > 0x20 && c < 0x7F && c !== 0x22 && c !== 0x5C ? digit++ : -1;
    }
    return values;
  }());

  /**
   * Read one field's postings into `postings` (one object per term) and `seen` (documents with
   * a posting). `encoded` is the compact form's string (per term, the gaps between its
   * document numbers in POSTING_BASE digits; terms separated by a space) or, as format 3
   * wrote it, one list of gaps per term.
   */
  function readPostings(encoded, field, postings, refs, seen) {
    var t, doc, docs;
    if (typeof encoded !== "string") {
      for (t = 0; t < postings.length; t++) {
        var list = encoded[t];
        docs = {};
        doc = -1;
        for (var k = 0; k < list.length; k++) {
          doc += list[k] + 1;
          docs[refs[doc]] = NO_MATCH_DATA;
          seen[doc] = 1;
        }
        postings[t][field] = docs;
      }
      return;
    }
    var value = 0;
    t = 0;
    doc = -1;
    docs = {};
    for (var i = 0; i < encoded.length; i++) {
      var c = encoded.charCodeAt(i);
      if (c === 0x20) {
        if (t >= postings.length - 1) { break; }
        postings[t++][field] = docs;
        docs = {};
        doc = -1;
        continue;
      }
      var digit = c < 128 ? DIGIT_VALUE[c] : -1;
      if (digit < 0) { throw new Error("search index: bad posting digit"); }
      if (digit >= POSTING_BASE) {
        value = value * POSTING_BASE + digit - POSTING_BASE;
      } else {
        doc += value * POSTING_BASE + digit + 1;
        value = 0;
        docs[refs[doc]] = NO_MATCH_DATA;
        seen[doc] = 1;
      }
    }
    if (postings.length) { postings[t++][field] = docs; }
    if (t !== postings.length || i !== encoded.length || value !== 0) {
      throw new Error("search index: postings do not match the terms");
    }
  }

  /**
   * lunr's serialisation of an index in the compact form (see lunrjson.py): `refs` are the
   * documents' lunr refs by number. An index already in lunr's form is returned as it is.
   * Field vectors are empty, one per document and field with a posting, in ref order.
   */
  function expandIndex(data, refs) {
    if (data.invertedIndex) { return data; }
    var terms = data.terms ? data.terms.split(" ") : [], fields = data.fields;
    var postings = terms.map(function () { return {}; });
    var present = fields.map(function () { return new Uint8Array(refs.length); });
    fields.forEach(function (field, f) {
      readPostings(data.postings[f], field, postings, refs, present[f]);
    });
    var inverted = terms.map(function (term, t) {
      postings[t]._index = t;
      return [term, postings[t]];
    });
    var vectors = [];
    refs.forEach(function (ref, d) {
      fields.forEach(function (field, f) {
        if (present[f][d]) { vectors.push([field + "/" + ref, []]); }
      });
    });
    return { version: data.version, fields: fields, fieldVectors: vectors, invertedIndex: inverted,
             pipeline: data.pipeline };
  }

  /** A lunr.Index from either serialisation (see expandIndex). */
  function loadIndex(data, refs) {
    return lunr.Index.load(expandIndex(data, refs));
  }

  /** What a query asks for: {bigrams, chars, words, han (any Han term), empty}. */
  function parseQuery(text) {
    var parts = seg.queryParts(text || "");
    parts.han = parts.bigrams.length + parts.chars.length > 0;
    parts.empty = !parts.han && parts.words.length === 0;
    return parts;
  }

  /** Add the Han terms of a parsed query as required clauses on `fields`. */
  function addHanClauses(q, parsed, fields) {
    parsed.bigrams.forEach(function (t) {
      q.term(t, { fields: fields, presence: REQUIRED, usePipeline: false });
    });
    parsed.chars.forEach(function (t) {
      q.term(t, { fields: fields, presence: REQUIRED, wildcard: TRAILING, usePipeline: false });
    });
  }

  /** Add the Latin/digit words as optional clauses: exact on `fields`, prefix on `pinyinFields`. */
  function addWordClauses(q, parsed, fields, pinyinFields) {
    parsed.words.forEach(function (w) {
      q.term(w, { fields: fields, presence: OPTIONAL, boost: 10, usePipeline: false });
      if (pinyinFields.length) {
        q.term(w, { fields: pinyinFields, presence: OPTIONAL, wildcard: TRAILING, usePipeline: false });
      }
    });
  }

  /** Run one query on a lunr index; [] for an empty query. */
  function runQuery(index, parsed, fields, pinyinFields) {
    if (parsed.empty) { return []; }
    return index.query(function (q) {
      if (parsed.han) { addHanClauses(q, parsed, fields); }
      addWordClauses(q, parsed, fields, pinyinFields);
    });
  }

  /**
   * How many parts of the query (bigrams, characters, words) a lunr result matched: a
   * matched term covers a bigram or word it equals, a character it starts with (wildcard),
   * a word it starts with (pinyin prefix). Wildcard expansions do not count twice.
   */
  function partsMatched(result, parsed) {
    var covered = {};
    Object.keys(result.matchData.metadata).forEach(function (term) {
      parsed.bigrams.forEach(function (b) { if (term === b) { covered["b" + b] = true; } });
      parsed.chars.forEach(function (c) { if (term.indexOf(c) === 0) { covered["c" + c] = true; } });
      parsed.words.forEach(function (w) { if (term.indexOf(w) === 0) { covered["w" + w] = true; } });
    });
    return Object.keys(covered).length;
  }

  /** Record a match: a doc keeps its best tier and the most query parts any index matched. */
  function addHit(hits, id, tier, parts) {
    var old = hits[id];
    hits[id] = old ? { tier: Math.min(old.tier, tier), parts: Math.max(old.parts, parts) }
                   : { tier: tier, parts: parts };
  }

  /**
   * A loaded catalog: docs by id, names, the headline and names indexes, the shard list.
   * `data.docs` holds one list per column (`data.columns` names them), newest first.
   */
  function Catalog(data) {
    var columns = data.columns, self = this, count = columns.length ? data.docs[0].length : 0;
    this.docs = [];
    for (var position = 0; position < count; position++) {
      var doc = { position: position };
      for (var c = 0; c < columns.length; c++) { doc[columns[c]] = data.docs[c][position]; }
      this.docs.push(doc);
    }
    this.byId = {};
    this.docs.forEach(function (d) { self.byId[d.id] = d; });
    this.names = data.names;              // [kind, text]: d district, t tag, p person
    this.docsByName = {};
    this.docs.forEach(function (d) {
      d.names.forEach(function (n) { (self.docsByName[n] = self.docsByName[n] || []).push(d.id); });
    });
    this.index = loadIndex(data.index, this.docs.map(function (d) { return d.id; }));
    this.namesIndex = loadIndex(data.namesIndex, []);
    this.shards = data.shards;
  }

  /** Names of a doc of one kind ("d", "t", "p"). */
  Catalog.prototype.namesOf = function (doc, kind) {
    var names = this.names;
    return doc.names.filter(function (n) { return names[n][0] === kind; })
                    .map(function (n) { return names[n][1]; });
  };

  /**
   * Catalog matches of a parsed query: {id: {tier, parts}}. Headline matches come from the
   * headline index; names (districts, tags, people, by text or pinyin) bring their articles.
   */
  Catalog.prototype.search = function (parsed) {
    var hits = {}, self = this;
    runQuery(this.index, parsed, ["h"], []).forEach(function (r) {
      addHit(hits, r.ref, TIER_HEADLINE, partsMatched(r, parsed));
    });
    runQuery(this.namesIndex, parsed, ["n"], ["p"]).forEach(function (r) {
      var parts = partsMatched(r, parsed);
      (self.docsByName[parseInt(r.ref, 36)] || []).forEach(function (id) { addHit(hits, id, TIER_NAME, parts); });
    });
    return hits;
  };

  /** A loaded shard: its text and title-pinyin indexes and the body text of its articles. */
  function Shard(data) {
    var texts = {}, refs = data.texts.map(function (pair) { return pair[0]; });
    data.texts.forEach(function (pair) { texts[pair[0]] = pair[1]; });
    this.texts = texts;
    this.index = loadIndex(data.index, refs);
    this.pinyin = loadIndex(data.pinyin, refs);
  }

  /**
   * Shard matches of a parsed query: {id: {tier, parts}}. Text matches count as body matches
   * (the catalog already knows headline and name matches); title pinyin, which only a query
   * without Han terms asks for, counts as a headline match.
   */
  Shard.prototype.search = function (parsed) {
    var hits = {};
    runQuery(this.index, parsed, ["t"], []).forEach(function (r) {
      addHit(hits, r.ref, TIER_BODY, partsMatched(r, parsed));
    });
    if (!parsed.han && parsed.words.length) {
      this.pinyin.query(function (q) {
        parsed.words.forEach(function (w) {
          q.term(w, { fields: ["p"], presence: OPTIONAL, wildcard: TRAILING, usePipeline: false });
        });
      }).forEach(function (r) {
        addHit(hits, r.ref, TIER_HEADLINE, partsMatched(r, parsed));
      });
    }
    return hits;
  };

  /** Merge hit maps, keeping each doc's best tier and its most query parts. */
  function mergeHits(into, hits) {
    Object.keys(hits).forEach(function (id) { addHit(into, id, hits[id].tier, hits[id].parts); });
    return into;
  }

  /**
   * Ranked results: most query parts matched first (all Han parts are required, so this
   * ranks the optional words), then headline matches, names, body; then newest first.
   */
  function rank(catalog, hits) {
    return Object.keys(hits).filter(function (id) { return catalog.byId[id]; }).map(function (id) {
      return { doc: catalog.byId[id], tier: hits[id].tier, parts: hits[id].parts };
    }).sort(function (a, b) {
      return b.parts - a.parts || a.tier - b.tier || a.doc.position - b.doc.position;
    });
  }

  /**
   * Ranges [start, end) in `text` (original, un-normalised) to highlight for the query: each
   * Han run and word of the query where it occurs whole; a Han run found nowhere whole is
   * highlighted by its bigrams. Matching is on NFKC/lower-cased characters, mapped back.
   */
  function highlightRanges(text, query) {
    var norm = "", back = [], chars = Array.from(text || ""), offset = 0;
    chars.forEach(function (ch) {
      var n = seg.normalize(ch);
      for (var k = 0; k < n.length; k++) { back.push(offset); }
      norm += n;
      offset += ch.length;
    });
    back.push(offset);
    var needles = [];
    seg.runs(query).forEach(function (r) {
      if (r[0] === "han" && norm.indexOf(r[1]) < 0 && Array.from(r[1]).length > 2) {
        needles = needles.concat(seg.hanTokens(r[1]).slice(0, -1));
      } else {
        needles.push(r[1]);
      }
    });
    var ranges = [];
    needles.forEach(function (needle) {
      if (!needle) { return; }
      var at = norm.indexOf(needle);
      while (at >= 0) {
        ranges.push([back[at], back[at + needle.length]]);
        at = norm.indexOf(needle, at + needle.length);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) { last[1] = Math.max(last[1], r[1]); } else { merged.push(r.slice()); }
    });
    return merged;
  }

  /** A window of `text` around the first highlight: {text, ranges} (ranges relative to it). */
  function snippet(text, query, width) {
    width = width || 90;
    text = (text || "").replace(/\s+/g, " ").trim();
    var ranges = highlightRanges(text, query);
    var start = 0;
    if (ranges.length && ranges[0][0] > width / 3) {
      start = ranges[0][0] - Math.floor(width / 3);
    }
    var end = Math.min(text.length, start + width);
    // never cut a surrogate pair in half
    if (start > 0 && /[\uDC00-\uDFFF]/.test(text.charAt(start))) { start -= 1; }
    if (end < text.length && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) { end += 1; }
    var piece = text.slice(start, end);
    var inside = ranges.filter(function (r) { return r[1] > start && r[0] < end; }).map(function (r) {
      return [Math.max(r[0], start) - start, Math.min(r[1], end) - start];
    });
    return { text: (start > 0 ? "…" : "") + piece + (end < text.length ? "…" : ""),
             ranges: inside.map(function (r) { return start > 0 ? [r[0] + 1, r[1] + 1] : r; }) };
  }

  /* ---------------------------------------------------------------- the page */

  /** Append `text` to `parent` with <mark> around the ranges (text nodes only, no HTML). */
  function appendMarked(doc, parent, text, ranges) {
    var at = 0;
    ranges.forEach(function (r) {
      if (r[0] > at) { parent.appendChild(doc.createTextNode(text.slice(at, r[0]))); }
      var mark = doc.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      parent.appendChild(mark);
      at = r[1];
    });
    if (at < text.length) { parent.appendChild(doc.createTextNode(text.slice(at))); }
  }

  /** The element for one result. */
  function renderResult(doc, rootPath, catalog, result, query, bodyText) {
    var d = result.doc;
    var li = doc.createElement("li");
    li.className = "search-result";
    var h = doc.createElement("h2");
    h.className = "search-result-title";
    var a = doc.createElement("a");
    // article URLs are relative to the site root; anything with a scheme is not ours
    a.href = /^[a-z][a-z0-9+.-]*:|^\/\//i.test(d.url) ? "#" : rootPath + d.url;
    if (d.kicker) {
      var kicker = doc.createElement("span");
      kicker.className = "search-result-kicker";
      appendMarked(doc, kicker, d.kicker, highlightRanges(d.kicker, query));
      a.appendChild(kicker);
      a.appendChild(doc.createTextNode(" "));
    }
    appendMarked(doc, a, d.title, highlightRanges(d.title, query));
    h.appendChild(a);
    li.appendChild(h);
    if (d.subtitle) {
      var sub = doc.createElement("p");
      sub.className = "search-result-subtitle";
      appendMarked(doc, sub, d.subtitle, highlightRanges(d.subtitle, query));
      li.appendChild(sub);
    }
    var meta = doc.createElement("p");
    meta.className = "search-result-meta";
    var bits = catalog.namesOf(d, "d").concat([d.page, d.date]).filter(Boolean);
    meta.textContent = bits.join(" · ");
    li.appendChild(meta);
    var snip = snippet(bodyText || d.lead, query);
    var p = doc.createElement("p");
    p.className = "search-result-snippet";
    appendMarked(doc, p, snip.text, snip.ranges);
    li.appendChild(p);
    return li;
  }

  /** Fill a <select> with the names of one kind found in the catalog (after the first option). */
  function fillFilter(doc, select, catalog, kind) {
    if (!select) { return; }
    var present = {};
    Array.prototype.forEach.call(select.options, function (o) { present[o.value] = true; });
    catalog.names.forEach(function (n) {
      if (n[0] === kind && !present[n[1]]) {
        var o = doc.createElement("option");
        o.value = n[1];
        o.textContent = n[1];
        select.appendChild(o);
      }
    });
  }

  /** Wire up the search page (search/index.html). */
  function start(doc) {
    var win = doc.defaultView;
    var form = doc.getElementById("search-form");
    var input = doc.getElementById("search-input");
    var list = doc.getElementById("search-results");
    var status = doc.getElementById("search-status");
    var count = doc.getElementById("search-count");
    var districtFilter = doc.getElementById("search-district");
    var tagFilter = doc.getElementById("search-tag");
    if (!form || !input || !list) { return; }
    var rootPath = doc.body.getAttribute("data-root") || "../";
    var base = rootPath + "search/";
    var state = { catalog: null, shards: {}, generation: 0, query: "", hits: {}, searched: 0,
                  results: [], rendered: 0 };

    function setStatus(text) { if (status) { status.textContent = text; } }

    function visible() {
      var district = districtFilter ? districtFilter.value : "";
      var tag = tagFilter ? tagFilter.value : "";
      return state.results.filter(function (r) {
        return (!district || state.catalog.namesOf(r.doc, "d").indexOf(district) >= 0) &&
               (!tag || state.catalog.namesOf(r.doc, "t").indexOf(tag) >= 0);
      });
    }

    function bodyOf(id) {
      var files = state.catalog.shards;
      for (var i = 0; i < files.length; i++) {
        var s = state.shards[files[i].file];
        // a shard still loading is a promise in the cache
        if (s instanceof Shard && s.texts[id] !== undefined) { return s.texts[id]; }
      }
      return null;
    }

    function render() {
      var catalog = state.catalog, total = catalog.shards.length, done = state.searched >= total;
      var shown = visible();
      // results are rebuilt as shards arrive: keep the keyboard focus on the same article
      var focused = doc.activeElement && list.contains(doc.activeElement) ? doc.activeElement.href : null;
      while (list.firstChild) { list.removeChild(list.firstChild); }
      shown.slice(0, 200).forEach(function (r) {
        var item = renderResult(doc, rootPath, catalog, r, state.query, bodyOf(r.doc.id));
        list.appendChild(item);
        if (focused && item.querySelector("a").href === focused) { item.querySelector("a").focus(); }
      });
      state.rendered = Date.now();
      if (!state.query.trim()) {
        setStatus("");
        if (count) { count.textContent = ""; }
        return;
      }
      if (count) {
        count.textContent = shown.length ? "共 " + shown.length + " 条结果" +
          (shown.length > 200 ? "（显示前 200 条）" : "") : "";
      }
      if (done) {
        setStatus(shown.length ? "已搜索全部" : "没有找到与“" + state.query.trim() + "”匹配的文章。已搜索全部");
      } else {
        setStatus("正在搜索…（已搜索 " + state.searched + "/" + total + " 个分片）");
      }
    }

    // the search files are gzip as stored: fetch the bytes and decompress them here
    function fetchJSON(url) {
      return win.fetch(url).then(function (response) {
        if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
        return response.arrayBuffer();
      }).then(decodeJSON);
    }

    function loadShard(file) {
      if (!state.shards[file]) {
        state.shards[file] = fetchJSON(base + file).then(function (data) {
          var shard = new Shard(data);
          state.shards[file] = shard;
          return shard;
        }, function (error) {
          delete state.shards[file];   // let a later search try again
          throw error;
        });
      }
      return Promise.resolve(state.shards[file]);
    }

    function runSearch(query) {
      var generation = ++state.generation, catalog = state.catalog;
      state.query = query;
      var parsed = parseQuery(query);
      state.hits = parsed.empty ? {} : catalog.search(parsed);
      // a query with nothing searchable in it (only punctuation) is done at once
      state.searched = parsed.empty ? catalog.shards.length : 0;
      state.results = rank(catalog, state.hits);
      render();
      if (parsed.empty) { return; }
      var files = catalog.shards.map(function (s) { return s.file; });
      (function next(i) {
        if (generation !== state.generation || i >= files.length) { return; }
        // fetch the next shard meanwhile (its errors are reported when its turn comes)
        if (i + 1 < files.length) { loadShard(files[i + 1]).catch(function () {}); }
        loadShard(files[i]).then(function (shard) {
          if (generation !== state.generation) { return; }
          mergeHits(state.hits, shard.search(parsed));
          state.searched = i + 1;
          state.results = rank(catalog, state.hits);
          // redraw at most every 100 ms while searching, and once at the end
          if (i + 1 === files.length || Date.now() - state.rendered > 100) { render(); }
          // yield to the page between shards so typing stays responsive
          win.setTimeout(function () { next(i + 1); }, 0);
        }).catch(function (error) {
          if (generation === state.generation) { setStatus("无法读取检索分片：" + error.message); }
        });
      }(0));
    }

    function updateURL(query) {
      var url = new win.URL(win.location.href);
      if (query) { url.searchParams.set("q", query); } else { url.searchParams.delete("q"); }
      try { win.history.replaceState(null, "", url.toString()); } catch (e) { /* file:// may refuse */ }
    }

    var timer = null;
    input.addEventListener("input", function () {
      win.clearTimeout(timer);
      timer = win.setTimeout(function () {
        updateURL(input.value);
        if (state.catalog) { runSearch(input.value); }
      }, 150);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      win.clearTimeout(timer);
      updateURL(input.value);
      if (!state.catalog) { return; }
      if (input.value !== state.query) { runSearch(input.value); }
      var first = list.querySelector("a");
      if (first) { win.location.href = first.href; }
    });
    [districtFilter, tagFilter].forEach(function (select) {
      if (select) { select.addEventListener("change", function () { if (state.catalog) { render(); } }); }
    });
    // keyboard: arrows move between the input and the result links
    doc.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var at = links.indexOf(doc.activeElement);
      if (event.key === "ArrowDown" && (doc.activeElement === input || at >= 0)) {
        if (links[at + 1]) { links[at + 1].focus(); event.preventDefault(); }
      } else if (event.key === "ArrowUp" && at >= 0) {
        (at > 0 ? links[at - 1] : input).focus();
        event.preventDefault();
      } else if (event.key === "Escape" && at >= 0) {
        input.focus();
      }
    });

    var initial = new win.URL(win.location.href).searchParams.get("q") || "";
    input.value = initial;
    setStatus("正在载入检索索引…");
    fetchJSON(base + "catalog.json.gz").then(function (data) {
      state.catalog = new Catalog(data);
      fillFilter(doc, districtFilter, state.catalog, "d");
      fillFilter(doc, tagFilter, state.catalog, "t");
      doc.body.setAttribute("data-search-ready", "true");
      runSearch(input.value);
    }).catch(function (error) {
      setStatus(win.location.protocol === "file:"
        ? "直接打开文件时浏览器不允许读取检索索引，请通过网站服务器访问（例如 python build.py serve）。"
        : error.code === NO_DECOMPRESSION
          ? "此浏览器无法解压检索索引（不支持 DecompressionStream），检索不可用。请改用较新版本的浏览器，或按地区、标签浏览。"
          : "无法载入检索索引：" + error.message);
    });
  }

  return { decodeJSON: decodeJSON, expandIndex: expandIndex, parseQuery: parseQuery, runQuery: runQuery,
           Catalog: Catalog, Shard: Shard,
           mergeHits: mergeHits, rank: rank, highlightRanges: highlightRanges, snippet: snippet,
           start: start };
}));
