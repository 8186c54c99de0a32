// The first page's JavaScript budget (issue: initial JS ≤ 100 KB gzip; every other route is lazy).
// Sums the gzip size of the entry script and everything index.html preloads; fails the build above it.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const BUDGET = 100 * 1024;
const dist = new URL('../dist/', import.meta.url).pathname;
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const scripts = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
if (scripts.length === 0) {
  console.error('check-budget: no entry script found in dist/index.html');
  process.exit(1);
}
let total = 0;
for (const file of scripts) {
  const size = zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;
  total += size;
  console.log(`  ${file}: ${(size / 1024).toFixed(1)} KB gzip`);
}
console.log(`initial JavaScript: ${(total / 1024).toFixed(1)} KB gzip (budget ${BUDGET / 1024} KB)`);
if (total > BUDGET) {
  console.error('check-budget: the first page loads more JavaScript than the budget; lazy-load it');
  process.exit(1);
}
