// Lighthouse against the release dist/ behind deploy/nginx (a benchmark, never
// a test: `scripts/bench.sh lighthouse` runs it and writes its figures into
// docs/benchmarks.md). Each run is a cold first visit (Lighthouse starts
// Chromium with a fresh profile), RUNS times with the mobile profile (simulated
// slow 4G, 4× slower CPU, a 412 px phone) and RUNS times with the desktop one;
// it prints the median of each score and metric with its range, and writes every
// run's figures to e2e/test-results/lighthouse.json.
//
// Lighthouse 12.2.3 (tools/lighthouse/, installed by scripts/bench.sh on first
// use: 13 needs Node 22) with Debian's Chromium, no sandbox as root, and the
// background traffic off (the machine has no internet).
'use strict';
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer } = require('./lib/server');

const ROOT = path.resolve(__dirname, '..');
const LIGHTHOUSE = path.join(ROOT, 'tools', 'lighthouse', 'node_modules', '.bin', 'lighthouse');
const RUNS = Number(process.env.LIGHTHOUSE_RUNS || 3);
// Routes measured (a first visit to each): the home page, and with LIGHTHOUSE_ROUTES=all the others too.
const ROUTES = process.env.LIGHTHOUSE_ROUTES === 'all' ? ['#/', '#/datos', '#/modelo', '#/registros'] : ['#/'];
const CHROME_FLAGS = [
  '--headless=new',
  ...(process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : []),
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-extensions',
];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const METRICS = {
  fcp: 'first-contentful-paint',
  lcp: 'largest-contentful-paint',
  tbt: 'total-blocking-time',
  cls: 'cumulative-layout-shift',
  si: 'speed-index',
  tti: 'interactive',
  max_fid: 'max-potential-fid',
};

function lighthouse(url, preset) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'leche-lh-')), 'report.json');
  const args = [
    url,
    '--output=json',
    `--output-path=${out}`,
    `--only-categories=${CATEGORIES.join(',')}`,
    `--chrome-flags=${CHROME_FLAGS.join(' ')}`,
    '--quiet',
    ...(preset === 'desktop' ? ['--preset=desktop'] : []),
  ];
  return new Promise((resolve, reject) => {
    execFile(LIGHTHOUSE, args, { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH || '/usr/bin/chromium' }, maxBuffer: 1 << 26 }, (err, _stdout, stderr) => {
      if (err) return reject(new Error(`lighthouse failed: ${err.message}\n${stderr}`));
      const report = JSON.parse(fs.readFileSync(out, 'utf8'));
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
      resolve(report);
    });
  });
}

/** One run's figures: scores 0–100, metrics in ms (CLS unitless), bytes transferred, main-thread tasks over 50 ms. */
function figures(report) {
  const a = report.audits;
  const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round(report.categories[c].score * 100)]));
  const metrics = Object.fromEntries(Object.entries(METRICS).map(([k, id]) => [k, a[id] ? a[id].numericValue : null]));
  const requests = (a['network-requests'] && a['network-requests'].details.items) || [];
  const tasks = (a['long-tasks'] && a['long-tasks'].details && a['long-tasks'].details.items) || [];
  // What costs points: every audit a category weighs that did not score full marks.
  const failed = Object.values(report.categories)
    .flatMap((c) => c.auditRefs.filter((ref) => ref.weight > 0 && a[ref.id].score !== null && a[ref.id].score < 1))
    .map((ref) => ref.id);
  return {
    scores,
    metrics,
    transfer_bytes: requests.reduce((s, r) => s + (r.transferSize || 0), 0),
    requests: requests.length,
    long_tasks_ms: tasks.map((t) => Math.round(t.duration)),
    below_full_marks: failed,
    warnings: report.runWarnings,
  };
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
  const n = s.length;
  if (!n) return null;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

function summary(runs) {
  const pick = (f) => runs.map(f);
  const range = (xs, fmt) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
  const ms = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);
  const lines = [];
  lines.push(`  scores       ${CATEGORIES.map((c) => `${c} ${range(pick((r) => r.scores[c]), String)}`).join(', ')}`);
  lines.push(`  first paint  ${range(pick((r) => r.metrics.fcp), ms)}, largest paint ${range(pick((r) => r.metrics.lcp), ms)}, speed index ${range(pick((r) => r.metrics.si), ms)}`);
  lines.push(`  blocking     total ${range(pick((r) => r.metrics.tbt), ms)}, max potential input delay ${range(pick((r) => r.metrics.max_fid), ms)}, interactive ${range(pick((r) => r.metrics.tti), ms)}`);
  lines.push(`  layout shift ${range(pick((r) => r.metrics.cls), (x) => x.toFixed(3))}`);
  lines.push(`  transferred  ${range(pick((r) => r.transfer_bytes / 1024), (x) => `${x.toFixed(1)} KiB`)} in ${median(pick((r) => r.requests))} requests`);
  lines.push(`  long tasks   ${runs.map((r) => `[${r.long_tasks_ms.join(', ')}]`).join(' ')} ms (Lighthouse's list of main-thread tasks over 50 ms, per run; mobile's at its 4× slower CPU)`);
  const failed = [...new Set(runs.flatMap((r) => r.below_full_marks))];
  if (failed.length) lines.push(`  below full marks ${failed.join(', ')}`);
  const warnings = [...new Set(runs.flatMap((r) => r.warnings))];
  if (warnings.length) lines.push(`  warnings     ${warnings.join(' / ')}`);
  return lines.join('\n');
}

(async () => {
  if (!fs.existsSync(LIGHTHOUSE)) throw new Error(`no ${LIGHTHOUSE}: npm ci --prefix tools/lighthouse (scripts/bench.sh lighthouse does)`);
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'tools', 'lighthouse', 'node_modules', 'lighthouse', 'package.json'), 'utf8')).version;
  const server = await startServer();
  const all = {};
  try {
    console.log(`Lighthouse ${version}, ${server.kind} server, ${RUNS} runs each, medians (min–max)`);
    for (const preset of ['mobile', 'desktop']) {
      for (const route of ROUTES) {
        const runs = [];
        for (let i = 0; i < RUNS; i += 1) runs.push(figures(await lighthouse(`${server.url}${route}`, preset)));
        all[`${preset} ${route}`] = runs;
        console.log(`${preset} ${route}\n${summary(runs)}`);
      }
    }
  } finally {
    await server.stop();
  }
  const out = path.join(__dirname, 'test-results', 'lighthouse.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), lighthouse: version, runs: all }, null, 2)}\n`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
