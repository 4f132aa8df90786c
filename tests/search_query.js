// Test harness: load a built search/ folder with the vendored lunr.js and search.js, run
// queries through the browser's own code, print JSON results. The files are gzip as stored:
// they are gunzipped with node's zlib (the browser's DecompressionStream path is tested on
// its own). Input on stdin:
//   {"dir": "<site>/search", "queries": ["工匠学院", {"q": "职工", "sort": "newest", "year": "2023",
//                                                    "filters": {"districts": "朝阳区"}}, ...],
//    "bodies": {url: body text}}   (what the page cuts its snippets from: the article pages)
// Output: {"<query or its JSON>": {"strict": [url ranked], "partial": [url ranked],
//          "arranged": [url, as the page lists them], "hits": {url: {"text": n, "names": n, "score": s}},
//          "snippets": {url: {"text": ..., "marked": [...]}}, "titles": {url: [marked]},
//          "names": {url: [matched names]}, "fetched": [files read]}}
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const static_ = path.join(__dirname, "..", "newsarchive", "themes", "default", "static");
const seg = require(path.join(static_, "segment.js"));
const NewsSearch = require(path.join(static_, "search.js"));

let input = "";
process.stdin.setEncoding("utf8");   // a character split between two chunks stays whole
process.stdin.on("data", (d) => { input += d; });
process.stdin.on("end", async () => {
  const { dir, queries, bodies } = JSON.parse(input);
  const read = (f) => JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(dir, f.split("?")[0]))).toString("utf8"));
  seg.setData(read("fold.json.gz"));
  const out = {};
  for (const spec of queries) {
    const options = typeof spec === "string" ? { q: spec } : spec;
    const fetched = [];
    const fetchFile = (f) => { fetched.push(f.split("?")[0]); return Promise.resolve(read(f)); };
    const fetchBody = (url) => Promise.resolve((bodies || {})[url] || "");
    const archive = new NewsSearch.Archive(read("catalog.json.gz"), fetchFile, fetchBody);
    const parsed = NewsSearch.parseQuery(options.q);
    const result = await NewsSearch.runSearch(archive, parsed);
    parsed.sounds = result.sounds || [];
    const arranged = await NewsSearch.arrange(archive, result.strict.concat(result.partial),
      { sort: options.sort || "", year: options.year || "", filters: options.filters || {} });
    const readings = await archive.readings();
    const rows = {};
    for (const d of arranged.concat(result.strict, result.partial)) rows[d] = rows[d] || await archive.doc(d);
    const url = (d) => rows[d].url;
    const snippets = {}, titles = {}, names = {}, hits = {};
    for (const d of Object.keys(rows)) {
      const row = rows[d];
      const snip = NewsSearch.snippet(row.body, parsed, readings);
      snippets[row.url] = { text: snip.text, marked: snip.ranges.map((x) => snip.text.slice(x[0], x[1])) };
      titles[row.url] = NewsSearch.markRanges(row.title, parsed, readings).map((x) => row.title.slice(x[0], x[1]));
      names[row.url] = Object.keys(NewsSearch.matchedNames(archive, row, parsed, readings)).map((k) => k.split("\u0000")[1]);
      const h = (result.hits[d] || (result.partialHits || {})[d]);
      if (h) hits[row.url] = { text: h.text, names: h.names, score: h.score };
    }
    out[typeof spec === "string" ? spec : JSON.stringify(spec)] = {
      strict: result.strict.map(url), partial: result.partial.map(url), arranged: arranged.map(url),
      hits, snippets, titles, names, fetched,
    };
  }
  process.stdout.write(JSON.stringify(out));
});
