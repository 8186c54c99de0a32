// Lighthouse (mobile, simulated slow 4G and a 4× slower CPU — its defaults) on the store's pages through
// Debian's Chromium. Args: base URL, session cookie ("name=value") for the signed-in pages.
// Prints one line per page with the three scores and writes the JSON reports next to the run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const [base, cookie, out] = process.argv.slice(2);
const pages = [
  { name: 'search', path: '/search?q=' + encodeURIComponent('Маузер') },
  { name: 'premiere', path: '/premiere/1' },
  { name: 'checkout', path: '/checkout', signedIn: true },
];
const categories = ['performance', 'accessibility', 'best-practices'];

const rows = [];
for (const page of pages) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lighthouse-'));
  const chrome = await chromeLauncher.launch({
    chromePath: '/usr/bin/chromium',
    userDataDir: profile,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  try {
    const result = await lighthouse(base + page.path, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: categories,
      extraHeaders: page.signedIn ? { Cookie: cookie } : undefined,
    });
    fs.writeFileSync(path.join(out, `${page.name}.json`), result.report);
    const lhr = result.lhr;
    const scores = Object.fromEntries(categories.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]));
    const failing = Object.values(lhr.audits)
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary')
      .map((a) => a.id);
    rows.push({ page: page.name, ...scores, lcp_ms: Math.round(lhr.audits['largest-contentful-paint'].numericValue),
      tbt_ms: Math.round(lhr.audits['total-blocking-time'].numericValue), cls: lhr.audits['cumulative-layout-shift'].numericValue.toFixed(3),
      failing: failing.join(' ') });
  } finally {
    await chrome.kill();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
console.log('page       perf  a11y  best   LCP ms  TBT ms  CLS    failing audits');
for (const r of rows)
  console.log(`${r.page.padEnd(10)} ${String(r.performance).padStart(4)}  ${String(r.accessibility).padStart(4)}  ${String(r['best-practices']).padStart(4)}  ${String(r.lcp_ms).padStart(7)} ${String(r.tbt_ms).padStart(7)}  ${r.cls}  ${r.failing}`);
console.log('goals: performance ≥ 95, accessibility 100, best practices 100 (issue 9)');
for (const r of rows) {
  for (const [c, goal] of [['performance', 95], ['accessibility', 100], ['best-practices', 100]])
    console.log(`RESULT|lighthouse|${r.page} ${c}|${r[c]}|-|-|>= ${goal}|${r[c] >= goal ? 'yes' : 'no'}`);
}
