/*
 * Client-side search over the files newsarchive/search/index.py writes under search/:
 * catalog.json.gz (always loaded: document count, years, facets, the directory of index
 * parts), terms/*.json.gz (lunr indexes over ranges of terms, loaded for the terms a query
 * asks for), docs/*.json.gz (display data of a few articles, loaded for the results shown;
 * their snippets are cut from the text of the article pages themselves, `.article-body`),
 * fold.json.gz (segment.js's folding table and pinyin syllables) and pinyin.json.gz (the
 * readings of the archive's characters, loaded for pinyin queries and partial matches).
 *
 * The files are gzip as stored. They are fetched as bytes and decompressed here with
 * DecompressionStream: hosts such as GitHub Pages send them as application/gzip without
 * Content-Encoding. Bytes that do not start with the gzip magic (a server that did send
 * Content-Encoding: gzip, so that the browser already decompressed them) are parsed as is.
 * Index parts come in the compact form of newsarchive/search/lunrjson.py and are expanded
 * into lunr's own serialisation before lunr.Index.load.
 *
 * Queries are never given to index.search(): the text is segmented like the index
 * (segment.js) and each of its terms is looked up with index.query() in the parts that hold
 * it. Han bigrams, numbers and single characters (trailing wildcard) are all required;
 * Latin words and pinyin keys (trailing wildcard) are optional, and a query of words only
 * finds what matches any of them. Ranking: a match in the text (headline, body, title
 * pinyin) before a match in names only (people, districts, tags and their aliases), then by
 * lunr's scores (BM25, headline above body), then newest first. A query that finds nothing,
 * or a long one, is also matched in part (部分匹配): by how much of it an article holds,
 * weighing rare terms more, and by the pinyin of its characters (朝杨 finds 朝阳).
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
      if (root.document.body) { root.document.body.setAttribute("data-search-state", "loading"); }
      root.document.addEventListener("DOMContentLoaded", function () { api.start(root.document); });
    }
  }
}(typeof self !== "undefined" ? self : this, function (lunr, seg) {
  "use strict";

  var OPTIONAL = lunr.Query.presence.OPTIONAL;
  var TRAILING = lunr.Query.wildcard.TRAILING;
  var NO_MATCH_DATA = Object.freeze({});   // lunr's per-posting metadata; ours is always empty
  var NO_DECOMPRESSION = "no-decompression";
  var TEXT_FIELDS = ["h", "b", "n"];       // where Han terms and words are looked up
  var PINYIN_FIELDS = ["p", "q"];          // pinyin keys: of the title, of the names
  var NAME_FIELDS = { n: true, q: true };  // a match only here is a match "in names only"
  var K1 = 1.2;                            // lunr's BM25 k1 (b = 0: see lunrjson.py)
  var LONG_QUERY = 8;                      // Han terms from which a query is also matched in part
  var PAGE_SIZE = 10;
  var PART_CACHE_POSTINGS = 200000;        // loaded parts kept for the next query, by postings

  /* ------------------------------------------------------------ files and the index */

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

  // Digits of the compact form (lunrjson.py POSTING_DIGITS): printable ASCII but the space,
  // '"' and the backslash. A number is written in base POSTING_BASE, most significant digit
  // first: the first half of the digits end a number, the others lead.
  var POSTING_BASE = 46;
  var DIGIT_VALUE = (function () {
    var values = new Int16Array(128), digit = 0;
    for (var c = 0; c < 128; c++) {
      values[c] = c > 0x20 && c < 0x7F && c !== 0x22 && c !== 0x5C ? digit++ : -1;
    }
    return values;
  }());

  /** lunr's idf of a term in `df` of `count` documents (lunr.idf). */
  function idf(df, count) {
    return Math.log(1 + Math.abs((count - df + 0.5) / (df + 0.5)));
  }

  /** lunr's score of a posting: BM25 with b = 0, times the field's boost, to 3 places. */
  function postingScore(termIdf, tf, boost) {
    return Math.round(termIdf * (K1 + 1) * tf / (K1 + tf) * boost * 1000) / 1000;
  }

  /**
   * Read one field's postings: calls visit(term, doc, k) for each, k counting the field's
   * postings from 0. `encoded` is the compact form's string (per term, the gaps between its
   * document numbers in POSTING_BASE digits; terms separated by a space).
   */
  function readPostings(encoded, termCount, visit) {
    var value = 0, t = 0, doc = -1, k = 0, i;
    for (i = 0; i < encoded.length; i++) {
      var c = encoded.charCodeAt(i);
      if (c === 0x20) {
        if (t >= termCount - 1) { break; }
        t++;
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
        visit(t, doc, k++);
      }
    }
    if ((termCount && t !== termCount - 1) || i !== encoded.length || value !== 0) {
      throw new Error("search index: postings do not match the terms");
    }
    return k;
  }

  /**
   * lunr's serialisation of an index part in the compact form (see lunrjson.py), for an
   * archive of `count` documents whose fields have the given boosts ({field: boost}). Refs
   * are document numbers in decimal. Returns {index: <lunr's serialisation>, df: {term: df}}.
   */
  function expandIndex(data, count, boosts) {
    var terms = data.terms ? data.terms.split(" ") : [], fields = data.fields;
    var postings = terms.map(function () { return {}; });
    var counts = new Int32Array(terms.length);
    var read = fields.map(function (field, f) {
      var list = [];
      readPostings(data.postings[f] || "", terms.length, function (t, doc) {
        list.push(t, doc);
        counts[t]++;
      });
      return list;
    });
    var df = {}, idfs = terms.map(function (term, t) {
      df[term] = counts[t];
      return idf(counts[t], count);
    });
    var vectors = {}, order = [];
    fields.forEach(function (field, f) {
      var list = read[f], tf = data.tf ? data.tf[f] || "" : "", boost = boosts[field] || 1;
      if (tf && tf.length * 2 !== list.length) { throw new Error("search index: term frequencies do not match"); }
      var docs = null, lastTerm = -1;
      for (var k = 0; k < list.length; k += 2) {
        var t = list[k], doc = list[k + 1];
        if (t !== lastTerm) {
          docs = postings[t][field] = {};
          lastTerm = t;
        }
        docs[doc] = NO_MATCH_DATA;
        var key = field + "/" + doc, vector = vectors[key];
        if (!vector) {
          vector = vectors[key] = [];
          order.push(key);
        }
        var frequency = tf ? DIGIT_VALUE[tf.charCodeAt(k / 2)] : 1;
        vector.push(t, postingScore(idfs[t], frequency, boost));
      }
    });
    var inverted = terms.map(function (term, t) {
      fields.forEach(function (field) { if (!postings[t][field]) { postings[t][field] = {}; } });
      postings[t]._index = t;
      return [term, postings[t]];
    });
    return {
      index: { version: data.version, fields: fields,
               fieldVectors: order.map(function (key) { return [key, vectors[key]]; }),
               invertedIndex: inverted, pipeline: data.pipeline },
      df: df
    };
  }

  /** The score of `term` in a lunr field vector (0 when it holds none). */
  function vectorValue(vector, termIndex) {
    var e = vector.elements, lo = 0, hi = e.length / 2 - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, at = e[mid * 2];
      if (at === termIndex) { return e[mid * 2 + 1]; }
      if (at < termIndex) { lo = mid + 1; } else { hi = mid - 1; }
    }
    return 0;
  }

  /** The last position in the sorted array of strings `list` whose value is <= key (0 at least). */
  function lastAtOrBefore(list, key) {
    var lo = 0, hi = list.length - 1, found = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] <= key) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  /**
   * The archive's search files: the catalog, and index parts, display chunks and the
   * readings table on demand. `fetchFile(path)` gives a promise of a file's JSON value
   * (path relative to search/), `fetchBody(url)` one of an article's body text (url relative
   * to the site root; none: no snippets).
   */
  function Archive(catalog, fetchFile, fetchBody) {
    this.catalog = catalog;
    this.count = catalog.count;
    this.chunkSize = catalog.chunk;
    this.facets = catalog.facets;
    this.boosts = {};
    var boosts = this.boosts;
    catalog.fields.forEach(function (f) { boosts[f[0]] = f[1]; });
    this.files = catalog.parts.files ? catalog.parts.files.split(" ") : [];
    this.firsts = this.files.length ? catalog.parts.first.split(" ") : [];
    if (this.firsts.length) { this.firsts[0] = ""; }   // the first part holds everything before the second
    this.fetchFile = fetchFile;
    this.fetchBody = fetchBody || function () { return Promise.resolve(""); };
    this.parts = {};          // part number -> promise of {index, df}
    this.partSizes = {};      // part number -> its postings, once loaded
    this.partOrder = [];      // parts asked for, least recently used first
    this.cacheBudget = PART_CACHE_POSTINGS;   // postings of loaded parts kept between queries
    this.chunks = {};
    this.readingsPromise = null;
    // document number -> year ("" when undated)
    var years = this.years = [];
    this.yearOf = new Array(catalog.count);
    var at = 0, yearOf = this.yearOf;
    catalog.years.forEach(function (run) {
      for (var i = 0; i < run[1]; i++) { yearOf[at++] = run[0]; }
      if (run[0] && years.indexOf(run[0]) < 0) { years.push(run[0]); }
    });
    years.sort().reverse();
  }

  /** The part holding `term`. */
  Archive.prototype.partFor = function (term) {
    return lastAtOrBefore(this.firsts, term);
  };

  /** The parts that may hold terms starting with `prefix`. */
  Archive.prototype.partsForPrefix = function (prefix) {
    var first = this.partFor(prefix), out = [first];
    for (var i = first + 1; i < this.firsts.length && this.firsts[i].lastIndexOf(prefix, 0) === 0; i++) {
      out.push(i);
    }
    return out;
  };

  /** A promise of part i as {index: lunr.Index, df: {term: df}}. */
  Archive.prototype.part = function (i) {
    var self = this;
    if (!this.parts[i]) {
      this.parts[i] = this.fetchFile("terms/" + this.files[i] + ".json.gz").then(function (data) {
        var expanded = expandIndex(data, self.count, self.boosts);
        var size = 0;
        Object.keys(expanded.df).forEach(function (t) { size += expanded.df[t]; });
        self.partSizes[i] = size;
        return { index: lunr.Index.load(expanded.index), df: expanded.df };
      }, function (error) {
        delete self.parts[i];
        throw error;
      });
    }
    this.partOrder = this.partOrder.filter(function (p) { return p !== i; }).concat([i]);
    return this.parts[i];
  };

  /** Let go of loaded parts beyond the cache budget, least recently used first (keep `used`). */
  Archive.prototype.trimParts = function (used) {
    var self = this, total = 0;
    var loaded = this.partOrder.filter(function (i) { return self.partSizes[i] !== undefined; });
    loaded.forEach(function (i) { total += self.partSizes[i]; });
    for (var k = 0; k < loaded.length && total > this.cacheBudget; k++) {
      var i = loaded[k];
      if (used[i]) { continue; }
      total -= this.partSizes[i];
      delete this.parts[i];
      delete this.partSizes[i];
    }
    this.partOrder = this.partOrder.filter(function (i) { return self.parts[i]; });
  };

  /** A promise of the display rows of chunk n (an array of rows, see index.py chunk_row). */
  Archive.prototype.chunk = function (n) {
    var self = this;
    if (!this.chunks[n]) {
      this.chunks[n] = this.fetchFile("docs/" + n + ".json.gz?v=" + this.catalog.build).then(function (data) {
        return data.docs;
      }, function (error) {
        delete self.chunks[n];
        throw error;
      });
    }
    return this.chunks[n];
  };

  /** A promise of the display data of document `doc` with its body text (for the snippet). */
  Archive.prototype.doc = function (doc) {
    var size = this.chunkSize, self = this;
    return this.chunk(Math.floor(doc / size)).then(function (rows) {
      var r = rows[doc % size];
      var row = { doc: doc, url: r[0], kicker: r[1], title: r[2], subtitle: r[3], date: r[4], page: r[5],
                  names: r[6], body: "" };
      // without its page, a result still shows its headline group and names
      return self.fetchBody(row.url).then(function (body) { row.body = body || ""; return row; },
                                          function () { return row; });
    });
  };

  /** A promise of the readings table: character -> its toneless readings. */
  Archive.prototype.readings = function () {
    var self = this;
    if (!this.readingsPromise) {
      this.readingsPromise = this.fetchFile("pinyin.json.gz").then(function (data) {
        var table = {};
        Object.keys(data).forEach(function (syllable) {
          Array.from(data[syllable]).forEach(function (ch) { (table[ch] = table[ch] || []).push(syllable); });
        });
        return table;
      }, function (error) {
        self.readingsPromise = null;
        throw error;
      });
    }
    return this.readingsPromise;
  };

  /* ------------------------------------------------------------ matching */

  /** A clause's matches: documents (ascending), their scores and whether a text field matched. */
  function Matches(map) {
    var docs = Object.keys(map).map(Number).sort(function (a, b) { return a - b; });
    this.docs = Int32Array.from(docs);
    this.score = new Float64Array(docs.length);
    this.text = new Uint8Array(docs.length);
    for (var i = 0; i < docs.length; i++) {
      var m = map[docs[i]];
      this.score[i] = m.score;
      this.text[i] = m.text ? 1 : 0;
    }
    this.df = 0;
  }

  /**
   * Look a term up: `term` on `fields` (a prefix with `prefix`), in every part that may hold
   * it. A promise of Matches (with `df`, the term's document frequency when it is exact).
   */
  function lookUp(archive, term, fields, prefix, used) {
    if (!archive.files.length) { return Promise.resolve(new Matches({})); }
    var parts = prefix ? archive.partsForPrefix(term) : [archive.partFor(term)];
    return Promise.all(parts.map(function (i) {
      used[i] = true;
      return archive.part(i);
    })).then(function (loaded) {
      var map = {}, df = 0;
      loaded.forEach(function (part) {
        var index = part.index;
        if (!prefix && part.df[term] !== undefined) { df = part.df[term]; }
        index.query(function (q) {
          q.term(term, { fields: fields, presence: OPTIONAL, wildcard: prefix ? TRAILING : lunr.Query.wildcard.NONE,
                         usePipeline: false });
        }).forEach(function (result) {
          var m = map[result.ref] || (map[result.ref] = { score: 0, text: false });
          var metadata = result.matchData.metadata;
          Object.keys(metadata).forEach(function (matched) {
            var termIndex = index.invertedIndex[matched]._index;
            Object.keys(metadata[matched]).forEach(function (field) {
              m.score += vectorValue(index.fieldVectors[field + "/" + result.ref], termIndex);
              if (!NAME_FIELDS[field]) { m.text = true; }
            });
          });
        });
      });
      var matches = new Matches(map);
      matches.df = df;
      return matches;
    });
  }

  /** What a query asks for: segment.js queryParts plus {han, empty, clauses}. */
  function parseQuery(text) {
    var parts = seg.queryParts(text || "");
    parts.han = parts.bigrams.length + parts.numbers.length + parts.chars.length > 0;
    parts.empty = !parts.han && parts.words.length === 0 && parts.pinyin.length === 0;
    parts.clauses = parts.bigrams.length + parts.numbers.length + parts.chars.length;
    parts.source = text || "";
    return parts;
  }

  /** The query's look-ups: [{kind, term, fields, prefix}] (kind: required, optional). */
  function lookUps(parsed) {
    var out = [];
    parsed.bigrams.concat(parsed.numbers).forEach(function (t) {
      out.push({ kind: "required", term: t, fields: TEXT_FIELDS, prefix: false });
    });
    parsed.chars.forEach(function (t) { out.push({ kind: "required", term: t, fields: TEXT_FIELDS, prefix: true }); });
    parsed.words.forEach(function (t) { out.push({ kind: "optional", term: t, fields: TEXT_FIELDS, prefix: false }); });
    parsed.pinyin.forEach(function (t) { out.push({ kind: "optional", term: t, fields: PINYIN_FIELDS, prefix: true }); });
    return out;
  }

  /** Per document (by number): how many clauses it matched, their scores, in text or names only. */
  function tally(list, into) {
    for (var i = 0; i < list.docs.length; i++) {
      var d = list.docs[i], t = into[d] || (into[d] = { clauses: 0, score: 0, text: 0, names: 0 });
      t.clauses++;
      t.score += list.score[i];
      if (list.text[i]) { t.text++; } else { t.names++; }
    }
  }

  /**
   * Run a parsed query: a promise of {strict: [doc], partial: [doc], hits: {doc: tally},
   * terms} where strict holds the documents that match the query and partial those that
   * match it in part (none unless the strict query found nothing or the query is long),
   * each ranked by relevance.
   */
  function runSearch(archive, parsed) {
    var used = {}, clauses = lookUps(parsed);
    if (parsed.empty) { return Promise.resolve({ strict: [], partial: [], hits: {} }); }
    return Promise.all(clauses.map(function (c) {
      return lookUp(archive, c.term, c.fields, c.prefix, used);
    })).then(function (found) {
      var hits = {}, required = 0, optionalTally = {};
      clauses.forEach(function (c, i) {
        if (c.kind === "required") {
          required++;
          tally(found[i], hits);
        } else {
          tally(found[i], optionalTally);
        }
      });
      var strict = [];
      if (parsed.han) {
        Object.keys(hits).forEach(function (d) {
          if (hits[d].clauses === required) {
            var extra = optionalTally[d];
            if (extra) { hits[d].score += extra.score; }
            strict.push(Number(d));
          }
        });
      } else {
        hits = optionalTally;
        strict = Object.keys(hits).map(Number);
      }
      rankByRelevance(strict, hits, !parsed.han);
      var result = { strict: strict, partial: [], hits: hits, parts: used };
      if (!parsed.han || (strict.length && parsed.clauses < LONG_QUERY)) {
        archive.trimParts({});   // the query is answered: what it loaded may go too
        return result;
      }
      return partialMatch(archive, parsed, clauses, found, strict, used).then(function (partial) {
        result.partial = partial.docs;
        result.partialHits = partial.hits;
        result.sounds = partial.sounds;
        archive.trimParts({});   // the query is answered: what it loaded may go too
        return result;
      });
    });
  }

  /** Sort document numbers by relevance: text matches first, then (words) more clauses, score, newest. */
  function rankByRelevance(docs, hits, byClauses) {
    docs.sort(function (a, b) {
      var x = hits[a], y = hits[b];
      return (y.text > 0) - (x.text > 0) || (byClauses ? y.clauses - x.clauses : 0) ||
             y.score - x.score || b - a;
    });
  }

  /** Every pinyin spelling of a Han run (the readings of each character combined), at most `cap`. */
  function runSpellings(run, readings, cap) {
    var out = [""];
    Array.from(run).forEach(function (ch) {
      var options = readings[ch];
      if (!options) { out = []; return; }
      var next = [];
      out.forEach(function (s) {
        options.forEach(function (r) { if (next.length < cap) { next.push(s + r); } });
      });
      out = next;
    });
    return out;
  }

  /**
   * The partial match of a Han query: documents holding enough of its bigrams and numbers,
   * weighed by idf (a term no article holds: see below), or whose titles or names
   * sound like one of its Han runs (each spelling of the run a pinyin prefix look-up: 朝杨
   * finds 朝阳), which then covers that run's bigrams. Sounds are tried only when the strict
   * query found nothing. A document needs half the weight (a third for a long query); ranked
   * by the weight it holds, then the weight it holds in its text (not only in its names), its
   * scores and newest first.
   * A promise of {docs, hits}.
   */
  function partialMatch(archive, parsed, clauses, found, strict, used) {
    var count = archive.count, terms = [], weights = [], total = 0;
    var masks = new Map(), textMasks = new Map(), hits = {};
    function cover(d, mask, text) {
      masks.set(d, (masks.get(d) || 0) | mask);
      if (text) { textMasks.set(d, (textMasks.get(d) || 0) | mask); }
    }
    function hit(d, score, text) {
      var t = hits[d] || (hits[d] = { clauses: 0, score: 0, text: 0, names: 0, covered: 0 });
      t.clauses++;
      t.score += score;
      if (text) { t.text++; } else { t.names++; }
    }
    var long = parsed.clauses >= LONG_QUERY, heaviest = 0, unheld = [];
    clauses.forEach(function (c, i) {
      if (c.kind !== "required" || c.prefix || terms.length >= 30) { return; }
      var bit = 1 << terms.length, m = found[i];
      terms.push(c.term);
      weights.push(m.df ? idf(m.df, count) : 0);
      heaviest = Math.max(heaviest, weights[weights.length - 1]);
      if (!m.df) { unheld.push(weights.length - 1); }
      for (var k = 0; k < m.docs.length; k++) {
        cover(m.docs[k], bit, m.text[k]);
        hit(m.docs[k], m.score[k], m.text[k]);
      }
    });
    // a term no article holds: in a short query a wrong character or word, which weighs as
    // the query's heaviest term (as the rarest when there is no other), so that a document
    // needs most of the rest, or the sound of the run; in a sentence, characters of two
    // words side by side, which weigh nothing
    unheld.forEach(function (b) { weights[b] = long ? 0 : heaviest || idf(1, count); });
    weights.forEach(function (w) { total += w; });
    var runs = seg.runs(seg.searchForm(parsed.source)).filter(function (r) {
      var length = Array.from(r[1]).length;
      return r[0] === "han" && length > 1 && length <= 8;
    });
    var spellings = [];
    var sounds = strict.length ? Promise.resolve([]) : archive.readings().then(function (readings) {
      return Promise.all(runs.map(function (r) {
        return Promise.all(runSpellings(r[1], readings, 8).map(function (s) {
          spellings.push(s);
          return lookUp(archive, s, PINYIN_FIELDS, true, used);
        }));
      }));
    });
    return sounds.then(function (byRun) {
      byRun.forEach(function (lists, r) {
        var runMask = 0;
        seg.hanTokens(runs[r][1]).slice(0, -1).forEach(function (t) {
          var at = terms.indexOf(t);
          if (at >= 0) { runMask |= 1 << at; }
        });
        var seen = {};
        lists.forEach(function (list) {
          for (var k = 0; k < list.docs.length; k++) {
            var d = list.docs[k];
            if (seen[d]) { continue; }
            seen[d] = true;
            cover(d, runMask, list.text[k]);
            hit(d, list.score[k], list.text[k]);
          }
        });
      });
      var isStrict = {}, docs = [];
      strict.forEach(function (d) { isStrict[d] = true; });
      var need = total * (long ? 1 / 3 : 1 / 2);
      function weigh(mask) {
        var sum = 0;
        for (var b = 0; b < terms.length; b++) { if (mask & (1 << b)) { sum += weights[b]; } }
        return sum;
      }
      masks.forEach(function (mask, d) {
        var covered = weigh(mask);
        hits[d].covered = covered;
        hits[d].textCovered = weigh(textMasks.get(d) || 0);
        if (!isStrict[d] && covered > 0 && covered >= need - 1e-9) { docs.push(d); }
      });
      docs.sort(function (a, b) {
        var x = hits[a], y = hits[b];
        return y.covered - x.covered || y.textCovered - x.textCovered || y.score - x.score || b - a;
      });
      return { docs: docs, hits: hits, sounds: spellings };
    });
  }

  /* ------------------------------------------------------------ filters and order */

  /** A promise of the set ({doc: true}) of documents with name `name` of facet `facet` (index). */
  function facetDocs(archive, facet, name) {
    var j = archive.facets[facet].names.indexOf(name);
    if (j < 0) { return Promise.resolve({}); }
    return lookUp(archive, "f" + facet + "n" + j, ["f"], false, {}).then(function (m) {
      var set = {};
      for (var i = 0; i < m.docs.length; i++) { set[m.docs[i]] = true; }
      return set;
    });
  }

  /**
   * The results a reader sees: `docs` ranked, narrowed by year and facet filters, ordered by
   * `sort` ("" relevance, "newest", "oldest": undated last). A promise of an array.
   */
  function arrange(archive, docs, options) {
    var filters = [];
    archive.facets.forEach(function (facet, i) {
      var name = options.filters && options.filters[facet.key];
      if (name && facet.filter) { filters.push(facetDocs(archive, i, name)); }
    });
    return Promise.all(filters).then(function (sets) {
      var year = options.year || "";
      var out = docs.filter(function (d) {
        if (year && archive.yearOf[d] !== year) { return false; }
        for (var s = 0; s < sets.length; s++) { if (!sets[s][d]) { return false; } }
        return true;
      });
      if (options.sort === "newest") {
        out.sort(function (a, b) { return b - a; });
      } else if (options.sort === "oldest") {
        out.sort(function (a, b) {
          return (archive.yearOf[a] === "") - (archive.yearOf[b] === "") || a - b;
        });
      }
      return out;
    });
  }

  /* ------------------------------------------------------------ highlighting */

  /** Characters of `text` with their offsets: the search form of each and where it came from. */
  function searchForms(text) {
    var norm = "", back = [], offset = 0;
    Array.from(text || "").forEach(function (ch) {
      var n = seg.searchForm(ch);
      for (var k = 0; k < n.length; k++) { back.push(offset); }
      norm += n;
      offset += ch.length;
    });
    back.push(offset);
    return { norm: norm, back: back };
  }

  /** Merge [start, end) ranges into sorted, non-overlapping ones. */
  function mergeRanges(ranges) {
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) { last[1] = Math.max(last[1], r[1]); } else { merged.push(r.slice()); }
    });
    return merged;
  }

  /**
   * Ranges [start, end) in `text` (original, un-normalised) to highlight for the query: each
   * Han run, number and word of the query where it occurs whole; a Han run found nowhere whole
   * is highlighted by its bigrams, unless `whole`. Matching is on the search form (NFKC, lower
   * case, folded) of the characters, mapped back.
   */
  function highlightRanges(text, query, whole) {
    var forms = searchForms(text), norm = forms.norm, back = forms.back;
    var needles = [];
    seg.runs(seg.searchForm(query || "")).forEach(function (r) {
      if (r[0] === "han" && !whole && norm.indexOf(r[1]) < 0 && Array.from(r[1]).length > 2) {
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
    return mergeRanges(ranges);
  }

  /**
   * Ranges of `text` whose characters spell the pinyin `key` (in full, or as initials, as the
   * index's pinyin keys are made), the key possibly ending inside the last syllable, as a
   * prefix query matches: gongjiang and gjxy mark 工匠 and 工匠学院 in 首都工匠学院.
   */
  function pinyinRanges(text, key, readings) {
    var chars = Array.from(text || ""), offsets = [], at = 0, ranges = [];
    chars.forEach(function (ch) { offsets.push(at); at += ch.length; });
    offsets.push(at);
    function spell(i, pos, initials) {   // end (exclusive) of a match from chars[i] at key[pos]
      if (pos >= key.length) { return i; }
      if (i >= chars.length) { return -1; }
      var options = readings[seg.searchForm(chars[i])] || readings[chars[i]];
      if (!options) { return -1; }
      for (var k = 0; k < options.length; k++) {
        var r = options[k];
        if (initials) {
          if (r.charAt(0) === key.charAt(pos)) {
            var e = spell(i + 1, pos + 1, true);
            if (e >= 0) { return e; }
          }
        } else if (key.lastIndexOf(r, pos) === pos && key.substr(pos, r.length) === r) {
          var end = spell(i + 1, pos + r.length, false);
          if (end >= 0) { return end; }
        } else if (key.length - pos < r.length && r.lastIndexOf(key.slice(pos), 0) === 0) {
          return i + 1;
        }
      }
      return -1;
    }
    for (var i = 0; i < chars.length; i++) {
      var end = spell(i, 0, false);
      if (end < 0) { end = spell(i, 0, true); }
      if (end > i) {
        ranges.push([offsets[i], offsets[end]]);
        i = end - 1;
      }
    }
    return ranges;
  }

  /**
   * Highlight ranges of `text` for a parsed query: its Chinese, and its pinyin with `readings`
   * (`whole`: a Han run of the query only where it stands whole).
   */
  function markRanges(text, parsed, readings, whole) {
    var ranges = parsed.han || parsed.words.length ? highlightRanges(text, parsed.source, whole) : [];
    if (readings) {
      // what a pinyin query spelled, or what sounded like a query that matched nothing as written
      (parsed.han ? parsed.sounds || [] : parsed.pinyin).forEach(function (key) {
        ranges = ranges.concat(pinyinRanges(text, key, readings));
      });
    }
    return mergeRanges(ranges);
  }

  /** A window of `text` around the first highlight: {text, ranges} (ranges relative to it). */
  function snippet(text, parsed, readings, width) {
    width = width || 90;
    text = (text || "").replace(/\s+/g, " ").trim();
    var ranges = markRanges(text, parsed, readings);
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

  /** The names of a document that the query matched (by their text, an alias or pinyin). */
  function matchedNames(archive, row, parsed, readings) {
    var out = {};
    archive.facets.forEach(function (facet) {
      (row.names[facet.key] || []).forEach(function (name) {
        var texts = [name].concat((facet.aliases || {})[name] || []);
        for (var k = 0; k < texts.length; k++) {
          if (markRanges(texts[k], parsed, readings, true).length) { out[facet.key + "\u0000" + name] = true; break; }
        }
      });
    });
    return out;
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

  // The page's wording: the theme's strings.toml, which the page carries as JSON (#search-wording),
  // so that an archive rewords or translates its search page with the rest of its site.
  var W = {};

  /** The wording entry `key` with its {placeholders} filled from `values`. */
  function fill(key, values) {
    return String(W[key] || "").replace(/\{(\w+)\}/g, function (_, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : "";
    });
  }

  /** 2024-11-20 as readers write it (the wording's full_date: 2024年11月20日). */
  function displayDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? fill("full_date", { year: m[1], month: Number(m[2]), day: Number(m[3]) }) : "";
  }

  /** The element for one result. */
  function renderResult(doc, rootPath, archive, row, parsed, readings, partial) {
    var li = doc.createElement("li");
    li.className = "search-result";
    var h = doc.createElement("h2");
    h.className = "search-result-title";
    var a = doc.createElement("a");
    // article URLs are relative to the site root; anything with a scheme is not ours
    a.href = /^[a-z][a-z0-9+.-]*:|^\/\//i.test(row.url) ? "#" : rootPath + row.url;
    if (row.kicker) {
      var kicker = doc.createElement("span");
      kicker.className = "search-result-kicker";
      appendMarked(doc, kicker, row.kicker, markRanges(row.kicker, parsed, readings));
      a.appendChild(kicker);
      a.appendChild(doc.createTextNode(" "));
    }
    appendMarked(doc, a, row.title, markRanges(row.title, parsed, readings));
    h.appendChild(a);
    li.appendChild(h);
    if (row.subtitle) {
      var sub = doc.createElement("p");
      sub.className = "search-result-subtitle";
      appendMarked(doc, sub, row.subtitle, markRanges(row.subtitle, parsed, readings));
      li.appendChild(sub);
    }
    var meta = doc.createElement("p");
    meta.className = "search-result-meta";
    if (partial) {
      var badge = doc.createElement("span");
      badge.className = "search-partial";
      badge.textContent = fill("search_partial_badge");
      meta.appendChild(badge);
    }
    [displayDate(row.date), row.page].filter(Boolean).forEach(function (bit) {
      var span = doc.createElement("span");
      span.textContent = bit;
      meta.appendChild(span);
    });
    var matched = matchedNames(archive, row, parsed, readings);
    archive.facets.forEach(function (facet) {
      (row.names[facet.key] || []).forEach(function (name) {
        var span = doc.createElement("span");
        span.className = "search-result-name";
        span.setAttribute("data-facet", facet.key);
        if (matched[facet.key + "\u0000" + name]) {
          var mark = doc.createElement("mark");
          mark.textContent = name;
          span.appendChild(mark);
        } else {
          span.textContent = name;
        }
        meta.appendChild(span);
      });
    });
    li.appendChild(meta);
    var snip = snippet(row.body, parsed, readings);
    var p = doc.createElement("p");
    p.className = "search-result-snippet";
    appendMarked(doc, p, snip.text, snip.ranges);
    li.appendChild(p);
    return li;
  }

  /** The page's state as its URL says: {q, sort, year, filters: {key: name}, page}. */
  function stateFromURL(win, facets) {
    var params = new win.URL(win.location.href).searchParams;
    var filters = {};
    (facets || []).forEach(function (f) { if (f.filter && params.get(f.key)) { filters[f.key] = params.get(f.key); } });
    var page = parseInt(params.get("page") || "1", 10);
    var sort = params.get("sort") || "";
    return { q: params.get("q") || "", sort: sort === "newest" || sort === "oldest" ? sort : "",
             year: params.get("year") || "", filters: filters, page: page > 0 ? page : 1 };
  }

  /** The URL (search part) of a state. */
  function stateQuery(state) {
    var params = [];
    function add(k, v) { if (v) { params.push(encodeURIComponent(k) + "=" + encodeURIComponent(v)); } }
    add("q", state.q);
    add("sort", state.sort);
    add("year", state.year);
    Object.keys(state.filters).sort().forEach(function (k) { add(k, state.filters[k]); });
    if (state.page > 1) { add("page", String(state.page)); }
    return params.length ? "?" + params.join("&") : "";
  }

  /** Wire up the search page (search/index.html). */
  function start(doc) {
    var win = doc.defaultView, body = doc.body;
    var form = doc.getElementById("search-form");
    var input = doc.getElementById("search-input");
    var list = doc.getElementById("search-results");
    var status = doc.getElementById("search-status");
    var sortSelect = doc.getElementById("search-sort");
    var yearSelect = doc.getElementById("search-year");
    var filterBox = doc.getElementById("search-filters");
    var pager = doc.getElementById("search-pages");
    if (!form || !input || !list) { return; }
    var wording = doc.getElementById("search-wording");
    W = wording ? JSON.parse(wording.textContent) : {};
    var rootPath = body.getAttribute("data-root") || "../";
    var base = rootPath + "search/";
    var archive = null, facetSelects = {}, generation = 0, lastQuery = null, lastResult = null;
    var current = stateFromURL(win, []);

    function setState(kind, total) {
      body.setAttribute("data-search-state", kind);
      if (total !== undefined) { body.setAttribute("data-search-total", String(total)); }
    }
    setState("loading", 0);
    function say(text) { if (status) { status.textContent = text; } }

    // an article's body text, from its own page: the paragraphs of its .article-body
    function fetchBody(url) {
      if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url)) { return Promise.resolve(""); }
      return win.fetch(rootPath + url).then(function (response) {
        if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
        return response.text();
      }).then(function (html) {
        // an inert document: nothing in it runs or loads
        var page = new win.DOMParser().parseFromString(html, "text/html");
        var body = page.querySelector(".article-body");
        if (!body) { return ""; }
        var paragraphs = body.querySelectorAll("p");
        return paragraphs.length ? Array.prototype.map.call(paragraphs, function (p) { return p.textContent; }).join("\n")
                                 : body.textContent;
      });
    }

    // the search files are gzip as stored: fetch the bytes and decompress them here
    function fetchFile(path) {
      return win.fetch(base + path).then(function (response) {
        if (!response.ok) { throw new Error(path + ": HTTP " + response.status); }
        return response.arrayBuffer();
      }).then(decodeJSON);
    }

    function readForm() {
      var filters = {};
      Object.keys(facetSelects).forEach(function (k) { if (facetSelects[k].value) { filters[k] = facetSelects[k].value; } });
      return { q: input.value, sort: sortSelect ? sortSelect.value : "", year: yearSelect ? yearSelect.value : "",
               filters: filters, page: 1 };
    }

    function showState(state) {
      input.value = state.q;
      if (sortSelect) { sortSelect.value = state.sort; }
      if (yearSelect) { yearSelect.value = state.year; }
      Object.keys(facetSelects).forEach(function (k) { facetSelects[k].value = state.filters[k] || ""; });
    }

    function go(state, how) {
      current = state;
      var url = stateQuery(state) || win.location.pathname;
      try {
        if (how === "push") { win.history.pushState(null, "", url); } else if (how === "replace") { win.history.replaceState(null, "", url); }
      } catch (e) { /* file:// may refuse */ }
      run(state);
    }

    function renderPager(state, total) {
      if (!pager) { return; }
      while (pager.firstChild) { pager.removeChild(pager.firstChild); }
      var pages = Math.ceil(total / PAGE_SIZE);
      if (pages <= 1) { return; }
      function link(page, label, rel) {
        var a = doc.createElement("a");
        a.href = stateQuery({ q: state.q, sort: state.sort, year: state.year, filters: state.filters, page: page });
        a.textContent = label;
        if (rel) { a.setAttribute("rel", rel); }
        if (page === state.page) { a.setAttribute("aria-current", "page"); }
        a.addEventListener("click", function (event) {
          event.preventDefault();
          go({ q: state.q, sort: state.sort, year: state.year, filters: state.filters, page: page }, "push");
          win.scrollTo(0, 0);
        });
        pager.appendChild(a);
      }
      if (state.page > 1) { link(state.page - 1, fill("previous_page"), "prev"); }
      var shown = {};
      [1, state.page - 2, state.page - 1, state.page, state.page + 1, state.page + 2, pages].forEach(function (p) {
        if (p >= 1 && p <= pages) { shown[p] = true; }
      });
      var last = 0;
      Object.keys(shown).map(Number).sort(function (a, b) { return a - b; }).forEach(function (p) {
        if (last && p > last + 1) {
          var gap = doc.createElement("span");
          gap.textContent = "…";
          pager.appendChild(gap);
        }
        link(p, String(p));
        last = p;
      });
      if (state.page < pages) { link(state.page + 1, fill("next_page"), "next"); }
    }

    function run(state) {
      var mine = ++generation;
      var parsed = parseQuery(state.q);
      parsed.source = state.q;
      if (parsed.empty) {
        while (list.firstChild) { list.removeChild(list.firstChild); }
        renderPager(state, 0);
        say(state.q.trim() ? fill("search_no_terms") : "");
        setState("done", 0);
        return;
      }
      setState("loading");
      say(fill("search_searching"));
      var searched = lastQuery === state.q ? Promise.resolve(lastResult) : runSearch(archive, parsed);
      searched.then(function (result) {
        if (mine !== generation) { return null; }
        lastQuery = state.q;
        // kept for paging and filtering: the order of the results, not how each matched
        lastResult = { strict: result.strict, partial: result.partial, sounds: result.sounds };
        var ordered = result.strict.concat(result.partial);
        return arrange(archive, ordered, state).then(function (docs) {
          var partialSet = {};
          result.partial.forEach(function (d) { partialSet[d] = true; });
          var pages = Math.max(1, Math.ceil(docs.length / PAGE_SIZE));
          var page = Math.min(state.page, pages);
          var shown = docs.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
          parsed.sounds = result.sounds || [];
          var needsReadings = (!parsed.han && parsed.pinyin.length > 0) || parsed.sounds.length > 0;
          return Promise.all([Promise.all(shown.map(function (d) { return archive.doc(d); })),
                              needsReadings ? archive.readings().catch(function () { return null; }) : null])
            .then(function (loaded) {
              if (mine !== generation) { return; }
              var rows = loaded[0], readings = loaded[1];
              var focused = doc.activeElement && list.contains(doc.activeElement) ? doc.activeElement.href : null;
              while (list.firstChild) { list.removeChild(list.firstChild); }
              list.setAttribute("start", String((page - 1) * PAGE_SIZE + 1));
              rows.forEach(function (row) {
                var item = renderResult(doc, rootPath, archive, row, parsed, readings, partialSet[row.doc]);
                list.appendChild(item);
                if (focused && item.querySelector("a").href === focused) { item.querySelector("a").focus(); }
              });
              var strictShown = docs.filter(function (d) { return !partialSet[d]; }).length;
              var text;
              if (!docs.length) {
                text = fill("search_none", { query: state.q.trim() });
              } else if (!strictShown) {
                text = fill("search_partial_only", { count: docs.length });
              } else {
                text = fill(docs.length > strictShown ? "search_total_and_partial" : "search_total",
                            { count: strictShown, partial: docs.length - strictShown });
              }
              if (pages > 1) { text += fill("search_page_of", { number: page, count: pages }); }
              say(text);
              renderPager({ q: state.q, sort: state.sort, year: state.year, filters: state.filters, page: page }, docs.length);
              body.setAttribute("data-search-strict", String(strictShown));
              setState("done", docs.length);
            });
        });
      }).catch(function (error) {
        if (mine !== generation) { return; }
        say(fill("search_read_failed", { error: error.message }));
        setState("done", 0);
      });
    }

    function addFilters() {
      if (yearSelect) {
        archive.years.forEach(function (y) {
          var o = doc.createElement("option");
          o.value = y;
          o.textContent = fill("year", { year: y });
          yearSelect.appendChild(o);
        });
      }
      archive.facets.forEach(function (facet) {
        if (!facet.filter || !filterBox) { return; }
        var label = doc.createElement("label");
        label.className = "search-control";
        var span = doc.createElement("span");
        span.textContent = facet.label;
        var select = doc.createElement("select");
        select.name = facet.key;
        select.id = "search-filter-" + facet.key;
        var all = doc.createElement("option");
        all.value = "";
        all.textContent = fill("search_all", { label: facet.label });
        select.appendChild(all);
        facet.names.forEach(function (name) {
          var o = doc.createElement("option");
          o.value = name;
          o.textContent = name;
          select.appendChild(o);
        });
        select.addEventListener("change", function () { if (archive) { go(readForm(), "push"); } });
        label.appendChild(span);
        label.appendChild(select);
        filterBox.appendChild(label);
        facetSelects[facet.key] = select;
      });
    }

    var timer = null;
    input.addEventListener("input", function () {
      win.clearTimeout(timer);
      timer = win.setTimeout(function () { if (archive) { go(readForm(), "replace"); } }, 250);
    });
    form.addEventListener("submit", function (event) {
      // Enter searches: it never opens a result
      event.preventDefault();
      win.clearTimeout(timer);
      if (archive) { go(readForm(), "push"); }
    });
    [sortSelect, yearSelect].forEach(function (select) {
      if (select) { select.addEventListener("change", function () { if (archive) { go(readForm(), "push"); } }); }
    });
    win.addEventListener("popstate", function () {
      if (!archive) { return; }
      var state = stateFromURL(win, archive.facets);
      showState(state);
      go(state, null);
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

    input.value = current.q;
    say(fill("search_loading"));
    Promise.all([fetchFile("catalog.json.gz"), fetchFile("fold.json.gz")]).then(function (files) {
      seg.setData(files[1]);
      archive = new Archive(files[0], fetchFile, fetchBody);
      addFilters();
      var state = stateFromURL(win, archive.facets);
      showState(state);
      body.setAttribute("data-search-ready", "true");
      go(state, null);
    }).catch(function (error) {
      setState("done", 0);
      say(win.location.protocol === "file:" ? fill("search_from_disk")
        : error.code === NO_DECOMPRESSION ? fill("search_no_decompression")
          : fill("search_load_failed", { error: error.message }));
    });
  }

  return { decodeJSON: decodeJSON, expandIndex: expandIndex, idf: idf, postingScore: postingScore,
           Archive: Archive, parseQuery: parseQuery, runSearch: runSearch, arrange: arrange,
           highlightRanges: highlightRanges, pinyinRanges: pinyinRanges, markRanges: markRanges,
           snippet: snippet, matchedNames: matchedNames, stateFromURL: stateFromURL, stateQuery: stateQuery,
           PAGE_SIZE: PAGE_SIZE, start: start };
}));
