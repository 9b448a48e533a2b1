#!/usr/bin/env node
// What a query on the search page downloads, from a built output folder: the files the
// theme's script (themes/default/static/versus.js) would fetch for it, and their bytes raw
// and gzipped (transfer headers not counted). Node 18+, no dependencies.
//
//   node bench/search_download.js /dev/shm/c10k-out django "worker pool"
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

const [out, ...queries] = process.argv.slice(2);
const read = (file) => fs.readFileSync(path.join(out, file));
const m = JSON.parse(read("search-index.json"));
const weights = [1, 2, 4, 10];
const words = (t) => t.normalize("NFC").toLowerCase().split(/[^\p{Alphabetic}\p{N}]+/u).filter(Boolean);
const shardOf = (term) => {
  let hash = 0x811c9dc5;
  for (const c of Array.from(term).slice(0, m.prefix)) hash = Math.imul(hash ^ c.codePointAt(0), 0x01000193);
  return (hash >>> 0) % m.shards;
};

for (const query of queries) {
  const fetched = new Set(["search-index.json"]);
  const all = words(query);
  const terms = all.filter((t, i) => Array.from(t).length >= m.min && all.indexOf(t) === i);
  let total = null;
  for (const term of terms) {
    const file = m.terms.replace("{n}", shardOf(term));
    fetched.add(file);
    const shard = JSON.parse(read(file));
    const best = new Map();
    for (const key of Object.keys(shard)) {
      if (!key.startsWith(term)) continue;
      const factor = key === term ? 2 : 1;
      let page = 0;
      for (const value of shard[key]) {
        page += Math.floor(value / 4);
        const score = weights[value % 4] * factor;
        if (!(best.get(page) >= score)) best.set(page, score);
      }
    }
    if (!total) { total = best; continue; }
    const next = new Map();
    total.forEach((score, page) => { if (best.has(page)) next.set(page, score + best.get(page)); });
    total = next;
  }
  const hits = Array.from(total || []).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 30);
  for (const [page] of hits) fetched.add(m.docs.replace("{n}", Math.floor(page / m.chunk)));
  let raw = 0;
  let gzip = 0;
  for (const file of fetched) {
    const bytes = read(file);
    raw += bytes.length;
    gzip += zlib.gzipSync(bytes).length;
  }
  console.log(`${JSON.stringify(query)}: ${hits.length} results, ${fetched.size} files, ${raw} B (${gzip} B gzipped)`);
}
