// Test harness: load a built search/ folder with the vendored lunr.js and search.js, run
// queries through the browser's own code, print JSON results. The files are gzip as stored:
// they are gunzipped with node's zlib (the browser's DecompressionStream path is tested on
// its own). Input on stdin:
//   {"dir": "<site>/search", "queries": ["工匠学院", ...]}
// Output: {"<query>": {"catalog": [ids], "all": [ids ranked], "tiers": {id: tier},
//          "snippets": {id: {"text": ..., "marked": [...]}}}}
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const NewsSearch = require(path.join(__dirname, "..", "newsarchive", "themes", "default", "static", "search.js"));

let input = "";
process.stdin.setEncoding("utf8");   // a character split between two chunks stays whole
process.stdin.on("data", (d) => { input += d; });
process.stdin.on("end", () => {
  const { dir, queries } = JSON.parse(input);
  const read = (f) => JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(dir, f))).toString("utf8"));
  const catalog = new NewsSearch.Catalog(read("catalog.json.gz"));
  const shards = catalog.shards.map((s) => new NewsSearch.Shard(read(s.file)));
  const out = {};
  for (const query of queries) {
    const parsed = NewsSearch.parseQuery(query);
    const catalogHits = parsed.empty ? {} : catalog.search(parsed);
    const hits = Object.assign({}, catalogHits);
    for (const shard of shards) {
      if (!parsed.empty) NewsSearch.mergeHits(hits, shard.search(parsed));
    }
    const ranked = NewsSearch.rank(catalog, hits);
    const snippets = {};
    for (const r of ranked) {
      let body = null;
      for (const s of shards) if (s.texts[r.doc.id] !== undefined) body = s.texts[r.doc.id];
      const snip = NewsSearch.snippet(body || r.doc.lead, query);
      snippets[r.doc.id] = { text: snip.text, marked: snip.ranges.map((x) => snip.text.slice(x[0], x[1])) };
    }
    out[query] = {
      catalog: Object.keys(catalogHits).sort(),
      all: ranked.map((r) => r.doc.id),
      tiers: Object.fromEntries(ranked.map((r) => [r.doc.id, r.tier])),
      snippets,
    };
  }
  process.stdout.write(JSON.stringify(out));
});
