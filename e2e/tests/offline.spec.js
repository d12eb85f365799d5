// Offline after one visit (service worker + IndexedDB), the control run that
// proves it (service workers blocked), a new deploy taking over through the
// update prompt, and the warm offline load time (printed, never asserted).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const {
  test,
  expect,
  open,
  reveal,
  waitReady,
  predict,
  waitForRows,
  interactionLog,
  expectedPredictions,
  waitForWorker,
  watchPage,
  copyDist,
  restamp,
  dataDir,
  storeRecords,
  TOL,
} = require('../lib/fixtures');
const { startServer } = require('../lib/server');

const EXPECTED_2020_01 = expectedPredictions().find((r) => r.month === '2020-01').predicted;

/** Copies of dist/ made by these tests ("deploys"), removed at the end. */
const copies = [];
function deploy() {
  const dir = copyDist();
  copies.push(dir);
  return dir;
}
test.afterAll(() => {
  for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
});

/** Each test serves its own copy of the site, so it can stop or replace it. */
async function site(browser, dir, options = {}) {
  const server = await startServer(dir);
  const context = await browser.newContext({ baseURL: server.url, ...options });
  const page = await context.newPage();
  return { server, context, page };
}

async function counts(page) {
  return page.$$eval('td[id^="count-"]', (cells) => cells.map((c) => `${c.id}=${c.getAttribute('data-value')}`));
}

test('after one visit the site works offline: renders, predicts and resets from IndexedDB', async ({ browser }) => {
  const { server, context, page } = await site(browser, deploy());
  const watch = await watchPage(page);
  await open(page, '#/datos');
  const shipped = await counts(page);
  await waitForWorker(page);

  // Offline twice over: the browser has no network and the server is gone.
  await context.setOffline(true);
  await server.stop();
  await expect(page.locator('#offline')).toContainText('Sin conexión');

  await page.reload();
  await open(page, '#/?q=2020-01&modelo=recommended');
  await expect(page.locator('#offline')).toBeVisible();
  const [row] = await waitForRows(page, ['2020-01']);
  expect(Math.abs(row.predicted - EXPECTED_2020_01)).toBeLessThanOrEqual(TOL);

  // Reset re-reads the published artifacts: from the worker's cache.
  await open(page, '#/datos');
  await reveal(page, '#reset');
  await page.locator('#reset').click();
  await page.locator('#confirm-reset').click();
  await expect(page.locator('#status')).toContainText('Listo');
  expect(await counts(page)).toEqual(shipped);
  await interactionLog(page);
  await expect(page.locator('#interaction-log li[data-kind="reinicio"]')).toHaveCount(1);
  await expect(page.locator('#interaction-log li[data-kind="prediccion"]')).toHaveCount(1);
  // The footer says how much the browser stores (navigator.storage.estimate()).
  await expect(page.locator('#storage')).toContainText('Datos en este navegador');
  expect(Number(await page.locator('#storage').getAttribute('data-usage'))).toBeGreaterThan(0);

  expect(await watch.csp()).toEqual([]);
  expect(watch.errors).toEqual([]);
  await context.close();
});

test('control: with service workers blocked the same offline reload fails', async ({ browser }) => {
  const { server, context, page } = await site(browser, deploy(), { serviceWorkers: 'block' });
  await open(page, '#/');
  await context.setOffline(true);
  await server.stop();
  await expect(page.reload()).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
  await context.close();
});

test('a new deploy: the update prompt appears, accepting it shows the new build, the log survives', async ({ browser }) => {
  const a = deploy();
  // Build B: new artifacts version (so the store is reseeded) and a new title.
  const b = deploy();
  for (const file of ['database.json', 'models.json']) {
    const p = path.join(b, 'artifacts', file);
    fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace(/"version":"([^"]+)"/, '"version":"$1-b"'));
  }
  const index = path.join(b, 'index.html');
  fs.writeFileSync(index, fs.readFileSync(index, 'utf8').replace('<title>Leche', '<title>Leche B'));
  restamp(b);

  let { server, context, page } = await site(browser, a);
  const watch = await watchPage(page);
  const failed = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await open(page, '#/?q=2020-01&modelo=recommended');
  await waitForRows(page, ['2020-01']);
  await waitForWorker(page);
  const logA = await interactionLog(page);
  expect(logA.length).toBeGreaterThanOrEqual(2);
  const title = await page.title();
  expect(title).toMatch(/^Leche ·/);

  // Deploy B on the same origin.
  const { port } = server;
  await server.stop();
  server = await startServer(b, { port });
  await page.reload();
  await waitReady(page);
  // Still build A (served whole from its cache) until the user accepts.
  expect(await page.title()).toBe(title);
  await expect(page.locator('#update')).toContainText('Nueva versión disponible', { timeout: 30_000 });
  await page.locator('#update-reload').click();
  await expect(page).toHaveTitle(/^Leche B/, { timeout: 20_000 });
  await waitReady(page);
  await expect(page.locator('#update')).toHaveCount(0);

  // The store was reseeded for B's artifacts; A's log entries are still there.
  const logB = await interactionLog(page);
  expect(logB.slice(0, logA.length)).toEqual(logA);
  await expect(page.locator('#interaction-log li[data-kind="actualizacion"]')).toHaveCount(1);
  // Only B's cache is left.
  expect(await page.evaluate(() => caches.keys())).toHaveLength(1);
  expect(failed).toEqual([]);
  expect(await watch.csp()).toEqual([]);
  expect(watch.errors).toEqual([]);
  await context.close();
  await server.stop();
});

/**
 * What the site's owner does to publish fresh data (issue 30): `trainer add`
 * on a copy of data/ with `lines` pasted into a text file, writing the
 * artifacts into the deploy `dir`. The release trainer (scripts/test.sh builds it).
 */
function publishWithTrainer(dir, lines) {
  const { execFileSync } = require('node:child_process');
  const os = require('node:os');
  const root = path.resolve(__dirname, '..', '..');
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'leche-owner-'));
  for (const f of ['precipitaciones.csv', 'banco_central.csv', 'precio_leche.csv']) fs.copyFileSync(path.join(dataDir(), f), path.join(data, f));
  const bulletin = path.join(data, 'boletin.txt');
  fs.writeFileSync(bulletin, lines.join('\n'));
  const bin = process.env.LECHE_TRAINER || path.join(root, 'target', 'release', 'trainer');
  const args = ['add', '--out', path.join(dir, 'artifacts'), '--snapshot', path.join(data, 'snapshot.html'), bulletin];
  const said = fs.existsSync(bin)
    ? execFileSync(bin, args, { cwd: root, env: { ...process.env, LECHE_DATA: data }, timeout: 120_000 })
    : execFileSync('cargo', ['run', '--release', '--offline', '-q', '-p', 'trainer', '--', ...args], { cwd: root, env: { ...process.env, LECHE_DATA: data }, timeout: 900_000 });
  fs.rmSync(data, { recursive: true, force: true });
  return String(said);
}

test('a deploy with the owner\'s fresh data: the visitor\'s own months are kept, those now published take the published value, each difference said', async ({ browser }) => {
  test.setTimeout(300_000);
  const a = deploy();
  const b = deploy();
  const said = publishWithTrainer(b, ['Mes\tPrecio', '2021-03\t300,5', '2021-04\t302', '2021-05\t303']);
  expect(said).toContain('Se insertarán 3 filas.');
  restamp(b);

  let { server, context, page } = await site(browser, a);
  await open(page, '#/datos');
  await waitForWorker(page);
  // The visitor typed four months before the owner published three of them (one differently).
  await page.locator('#paste-box').fill('2021-03\t300,5\n2021-04\t301\n2021-05\t303\n2021-06\t305');
  await page.locator('#add-review').click();
  await page.locator('#add-insert').click();
  await expect(page.locator('#add-status')).toContainText('Listo');

  const { port } = server;
  await server.stop();
  server = await startServer(b, { port });
  await page.reload();
  await waitReady(page);
  await expect(page.locator('#update')).toContainText('Nueva versión disponible', { timeout: 30_000 });
  await page.locator('#update-reload').click();
  await waitReady(page);
  await expect(page.locator('#update')).toHaveCount(0, { timeout: 20_000 });

  const prices = (await storeRecords(page, ['milk_price'])).milk_price;
  const row = (month) => prices.find(([k]) => k === month)?.[1];
  expect([row('2021-03'), row('2021-04'), row('2021-05'), row('2021-06')]).toEqual([[300.5], [302], [303], [305]]);
  const log = await interactionLog(page);
  const update = log.find((l) => l.includes('Nueva publicación'));
  expect(update).toContain('3 meses que usted había cargado vienen ahora en los datos publicados (se usa el valor publicado)');
  expect(update).toContain('1 difiere del publicado: precio de la leche 2021-04 (suyo 301,00; publicado 302,00)');
  expect(update).toContain('1 filas cargadas por usted se conservan');
  await context.close();
  await server.stop();
});

test('warm offline load time (navigation start → #headline has a value)', async ({ browser }) => {
  const { server, context, page } = await site(browser, deploy());
  await watchPage(page);
  await open(page, '#/');
  await waitForWorker(page);
  await context.setOffline(true);
  await server.stop();
  const runs = [];
  for (let i = 0; i < 7; i += 1) {
    await page.reload();
    await page.waitForFunction(() => window.__headlineAt !== undefined, null, { timeout: 20_000 });
    runs.push(
      await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        return { headline: window.__headlineAt, responseEnd: nav.responseEnd, domContentLoaded: nav.domContentLoadedEventEnd };
      }),
    );
  }
  const warm = runs.slice(1).map((r) => r.headline).sort((x, y) => x - y);
  const perf = {
    runs: warm.length,
    median_ms: warm[Math.floor(warm.length / 2)],
    min_ms: warm[0],
    max_ms: warm[warm.length - 1],
    first_offline_ms: runs[0].headline,
    median_shell_response_ms: runs.slice(1).map((r) => r.responseEnd).sort((x, y) => x - y)[Math.floor(warm.length / 2)],
  };
  console.log(`PERF_OFFLINE ${JSON.stringify(perf)}`);
  for (const r of runs) expect(r.headline).toBeGreaterThan(0);
  await context.close();
});
