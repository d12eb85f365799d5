// Shared fixtures and helpers for the Leche end-to-end tests.
//
// One static server per worker (workers: 1, so one per run), started on a
// free port; `baseURL` points at it, so tests navigate with `page.goto('./#/…')`.
// Every test gets a fresh browser context, i.e. an empty IndexedDB: each test
// sees a first visit unless it reloads.
'use strict';
const base = require('@playwright/test');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startServer, distDir } = require('./server');

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.resolve(process.env.LECHE_ARTIFACTS || path.join(ROOT, 'public', 'artifacts'));

/** Parses `month,predicted,real[,lower,upper]` (the trainer's predictions.csv). */
function parsePredictionsCsv(text) {
  // The app's export starts with a `#` line saying how old the data are.
  const lines = text.trim().split(/\r?\n/).filter((l) => !l.startsWith('#'));
  const header = lines.shift().split(',');
  const col = (name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`predictions.csv has no column ${name}: ${header}`);
    return i;
  };
  const [m, h, p, r] = [col('month'), col('horizon'), col('predicted'), col('real')];
  const [lo, hi, lo50, hi50] = [col('lower80'), col('upper80'), col('lower50'), col('upper50')];
  return lines.map((line) => {
    const cells = line.split(',');
    return {
      month: cells[m],
      horizon: Number(cells[h]),
      predicted: num(cells[p]),
      real: num(cells[r]),
      lower: num(cells[lo]),
      upper: num(cells[hi]),
      lower50: num(cells[lo50]),
      upper50: num(cells[hi50]),
    };
  });
}

/** '' / undefined / null → null, else Number. */
function num(v) {
  return v === undefined || v === null || v === '' ? null : Number(v);
}

function readArtifact(name) {
  return fs.readFileSync(path.join(ARTIFACTS, name), 'utf8');
}

/** The default (recommended) model's predictions, as shipped. */
function expectedPredictions() {
  return parsePredictionsCsv(readArtifact('predictions.csv'));
}

/** The folder with the challenge CSVs (LECHE_DATA, relative to the repo root; else the committed data/), or null. */
function dataDir() {
  const candidates = [process.env.LECHE_DATA || 'data'];
  const hasCsvs = (d) => ['precipitaciones.csv', 'banco_central.csv', 'precio_leche.csv'].every((f) => fs.existsSync(path.join(d, f)));
  return candidates.map((d) => path.resolve(ROOT, d)).find(hasCsvs) || null;
}

/**
 * The native trainer's predictions.csv on the original files and then
 * `uploads` (each a list of files applied as one batch, as the browser's
 * upload does), with `protocol` 'seed' (only the replica is trained: its
 * predictions) or 'all' (the honest protocol too: the recommended model's
 * predictions, and its models.json) — used only if that run reproduces the
 * shipped replica model exactly (same data, same code). Returns
 * { rows, models } or { reason }.
 */
function trainerPredictions(uploads = [], protocol = 'seed') {
  const data = dataDir();
  if (!data) return { reason: 'no training data (set LECHE_DATA to the folder with the challenge CSVs)' };
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'leche-train-'));
  const batches = uploads.flatMap((files) => ['--data', files.map((f) => path.join(data, f)).join(',')]);
  const args = ['--data', data, ...batches, '--protocol', protocol, '--out', out];
  const bin = process.env.LECHE_TRAINER || path.join(ROOT, 'target', 'release', 'trainer');
  try {
    if (fs.existsSync(bin)) {
      execFileSync(bin, args, { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
    } else {
      execFileSync('cargo', ['run', '--release', '--offline', '-q', '-p', 'trainer', '--', ...args], {
        cwd: ROOT,
        stdio: 'pipe',
        timeout: 600_000,
      });
    }
    const shipped = JSON.parse(readArtifact('models.json')).models.find((m) => m.id === 'replica');
    const models = JSON.parse(fs.readFileSync(path.join(out, 'models.json'), 'utf8'));
    if (JSON.stringify(shipped) !== JSON.stringify(models.models.find((m) => m.id === 'replica'))) {
      return { reason: 'the trainer no longer reproduces the shipped replica model (stale artifacts or trainer binary)' };
    }
    return { rows: parsePredictionsCsv(fs.readFileSync(path.join(out, 'predictions.csv'), 'utf8')), models };
  } catch (e) {
    return { reason: `trainer run failed: ${String(e.message).split('\n')[0]}` };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** The replica's predictions from a native trainer run (see trainerPredictions). */
function replicaPredictions(uploads = []) {
  return trainerPredictions(uploads, 'seed');
}

const test = base.test.extend({
  server: [
    async ({}, use) => {
      const server = await startServer();
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
  replica: [
    async ({}, use) => {
      await use(replicaPredictions());
    },
    { scope: 'worker' },
  ],
});
const { expect } = base;

/** Opens a route (`#/`, `#/datos`, `#/registros`, or with a query) and waits until the app has booted. */
async function open(page, hash = '#/') {
  await page.goto(`./${hash}`);
  await waitReady(page);
}

/** Waits until the current page has rendered past "Cargando…". */
async function waitReady(page) {
  // On a first visit the page is usable before IndexedDB holds the data;
  // tests that look into the store need it written.
  await expect(page.locator('main#main')).toHaveAttribute('data-store', 'saved', { timeout: 20_000 });
  // The app draws its page hidden, in several tasks, beside the snapshot (two
  // #headline meanwhile); it shows, and the snapshot goes, once all is drawn.
  await expect(page.locator('#snapshot')).toHaveCount(0, { timeout: 20_000 });
  const route = await page.evaluate(() => location.hash);
  if (route.startsWith('#/datos')) {
    await expect(page.locator('#count-joined')).toHaveAttribute('data-value', /^\d+$/, { timeout: 20_000 });
  } else if (route.startsWith('#/registros')) {
    await expect(page.locator('pre#train-log')).toBeVisible({ timeout: 20_000 });
  } else if (route.startsWith('#/modelo')) {
    await expect(page.locator('.model-card').first()).toBeVisible({ timeout: 20_000 });
  } else {
    // #headline is rendered once the store is open (its value may be empty
    // when the model cannot forecast the next month).
    await expect(page.locator('#headline')).toHaveAttribute('data-month', /.*/, { timeout: 20_000 });
    await expect(page.locator('input#query')).toBeEditable();
  }
}

/**
 * Opens, as a reader would by tapping their summaries, the collapsed
 * sections (<details>) that hold `selector`, outermost first: the data and
 * model pages keep their longer parts closed (issue 31).
 */
async function reveal(page, selector) {
  const target = page.locator(selector).first();
  await target.waitFor({ state: 'attached' });
  for (;;) {
    const summary = await target.evaluateHandle((e) => {
      let outermost = null;
      for (let d = e.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) if (!d.open) outermost = d;
      return outermost && outermost.querySelector(':scope > summary');
    });
    const element = summary.asElement();
    if (!element) return;
    await element.click();
  }
}

/** Opens every collapsed section of the page, as a reader who wants it all would. */
async function openSections(page) {
  const closed = page.locator('main details:not([open]) > summary');
  while ((await closed.count()) > 0) await closed.first().click();
}

/** Types a query (and picks a model) and presses the predict button. */
async function predict(page, query, model) {
  if (model) await page.locator('select#model').selectOption(model);
  await page.locator('input#query').fill(query);
  await page.locator('button#predict').click();
}

/** The rendered results table: [{ month, predicted, real, error }] with numbers (null when empty). */
async function resultRows(page) {
  return page.$$eval('#results tr[data-month]', (rows) =>
    rows.map((r) => {
      const v = (sel) => {
        const td = r.querySelector(sel);
        if (!td) return undefined;
        const a = td.getAttribute('data-value');
        return a === null || a === '' ? null : Number(a);
      };
      return { month: r.getAttribute('data-month'), predicted: v('td.predicted'), real: v('td.real'), error: v('td.error') };
    }),
  );
}

/** Waits until exactly these months are in the results table, each with a predicted value. */
async function waitForRows(page, months, timeout = 15_000) {
  await expect
    .poll(
      async () => {
        const rows = await resultRows(page);
        return rows.map((r) => (Number.isFinite(r.predicted) ? r.month : `${r.month}:pending`));
      },
      { timeout, message: `results table should hold ${months.length} predicted months` },
    )
    .toEqual(months);
  return resultRows(page);
}

/** Months from a to b inclusive, as YYYY-MM. */
function monthRange(a, b) {
  let [y, m] = a.split('-').map(Number);
  const [y2, m2] = b.split('-').map(Number);
  const out = [];
  while (y < y2 || (y === y2 && m <= m2)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/** Entries of the interaction log as shown on #/registros (texts). */
async function interactionLog(page) {
  if (!(await page.evaluate(() => location.hash)).startsWith('#/registros')) {
    await page.goto('./#/registros');
    await waitReady(page);
  }
  return page.locator('#interaction-log li').allInnerTexts();
}

/** Every record of the named object stores of the app's IndexedDB, read behind its back: { store: [[key, value], …] }. */
async function storeRecords(page, names) {
  return page.evaluate(
    (names) =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('leche');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction(names, 'readonly');
          const out = {};
          for (const n of names) {
            const s = tx.objectStore(n);
            const keys = s.getAllKeys();
            const values = s.getAll();
            values.onsuccess = () => {
              out[n] = keys.result.map((k, i) => [k, values.result[i]]);
            };
          }
          tx.oncomplete = () => {
            db.close();
            resolve(out);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    names,
  );
}

/** Clicks a download button and returns { name, text }. */
async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

/** All numbers written in a text (for "the log contains this value" checks). */
function numbersIn(text) {
  return (text.match(/-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g) || []).map(Number);
}

const TOL = 1e-9;

// ---- Offline and installable (service worker, CSP, tabs) ----

/** Waits until a service worker controls the page (after its install cached the build). */
async function waitForWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}

/**
 * Records, from the page's first script on, CSP violations (window.__csp) and
 * when #headline first has a predicted value (window.__headlineAt, ms since
 * navigation start, Performance API clock).
 */
const PAGE_PROBE = () => {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
  );
  const seen = () => {
    const h = document.getElementById('headline');
    if (window.__headlineAt === undefined && h && h.getAttribute('data-value')) window.__headlineAt = performance.now();
  };
  new MutationObserver(seen).observe(document, { subtree: true, childList: true, attributes: true });
};

/**
 * Watches a page: every request URL, console errors, failed requests and
 * (with PAGE_PROBE) CSP violations. Returns { requests, errors, csp() }.
 */
async function watchPage(page) {
  await page.addInitScript(PAGE_PROBE);
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { requests, errors, csp: () => page.evaluate(() => window.__csp || []) };
}

/** A copy of the built site in a new temporary directory (a "deploy"). */
function copyDist(from = distDir()) {
  const to = fs.mkdtempSync(path.join(os.tmpdir(), 'leche-deploy-'));
  fs.cpSync(from, to, { recursive: true });
  return to;
}

/**
 * Re-runs the post-build step (CSP hash, sw.js build list) on a modified copy
 * of dist/, and dates its files a minute ahead: python's http.server answers
 * revalidations by Last-Modified in whole seconds, so a "deploy" made in the
 * same second as the previous one would get 304s for the old files.
 */
function restamp(dir) {
  execFileSync('python3', [path.join(ROOT, 'scripts', 'pwa_postbuild.py'), dir], { stdio: 'pipe' });
  const later = new Date(Date.now() + 60_000);
  for (const entry of fs.readdirSync(dir, { recursive: true })) {
    fs.utimesSync(path.join(dir, entry), later, later);
  }
}

module.exports = {
  dataDir,
  replicaPredictions,
  trainerPredictions,
  test,
  expect,
  open,
  waitReady,
  reveal,
  openSections,
  predict,
  resultRows,
  waitForRows,
  monthRange,
  interactionLog,
  storeRecords,
  download,
  numbersIn,
  expectedPredictions,
  parsePredictionsCsv,
  readArtifact,
  ARTIFACTS,
  ROOT,
  TOL,
  waitForWorker,
  watchPage,
  copyDist,
  restamp,
};
