// Datos (counts), reset with confirmation, the two logs (view, download,
// clear) and what survives a reload.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const {
  test,
  expect,
  open,
  reveal,
  predict,
  waitForRows,
  monthRange,
  interactionLog,
  download,
  numbersIn,
  expectedPredictions,
  readArtifact,
  TOL,
} = require('../lib/fixtures');

const SHIPPED = { rainfall: 496, 'central_bank': 81, 'milk_price': 506, joined: 76 };
const EXPECTED = new Map(expectedPredictions().map((r) => [r.month, r]));

async function counts(page) {
  const out = {};
  for (const id of Object.keys(SHIPPED)) {
    out[id] = Number(await page.locator(`#count-${id}`).getAttribute('data-value'));
  }
  return out;
}

/** Deletes 2019 from the three stored tables, behind the app's back (as a broken or edited store would be). */
async function deleteYear2019(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('leche');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const names = ['rainfall', 'central_bank', 'milk_price'];
          const missing = names.filter((n) => !db.objectStoreNames.contains(n));
          if (missing.length) return reject(new Error(`no object stores ${missing} in ${[...db.objectStoreNames]}`));
          const tx = db.transaction(names, 'readwrite');
          for (const n of names) tx.objectStore(n).delete(IDBKeyRange.bound('2019-01', '2019-12'));
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

test('Datos shows the shipped counts and no gaps', async ({ page }) => {
  await open(page, '#/datos');
  expect(await counts(page)).toEqual(SHIPPED);
  for (const id of ['rainfall', 'central_bank', 'milk_price']) {
    await expect(page.locator(`#gaps-${id}`)).toHaveAttribute('data-value', '0');
  }
});

test('reset: cancel changes nothing; confirm restores the shipped rows and is logged', async ({ page }) => {
  await open(page, '#/datos');
  await deleteYear2019(page);
  await page.reload();
  await open(page, '#/datos');
  // The edit persisted (a reload does not silently reseed over it).
  const damaged = await counts(page);
  expect(damaged.rainfall).toBe(SHIPPED.rainfall - 12);
  expect(damaged['central_bank']).toBe(SHIPPED['central_bank'] - 12);
  expect(damaged['milk_price']).toBe(SHIPPED['milk_price'] - 12);
  expect(damaged.joined).toBeLessThan(SHIPPED.joined);
  await expect(page.locator('#gaps-rainfall')).not.toHaveAttribute('data-value', '0');

  // Cancel: the dialog closes and nothing changes.
  await reveal(page, '#reset');
  await page.locator('#reset').click();
  await expect(page.locator('#confirm-reset')).toBeVisible();
  await expect(page.locator('dialog[open]')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(page.locator('#confirm-reset')).toBeHidden();
  await page.waitForTimeout(200);
  expect(await counts(page)).toEqual(damaged);

  // Confirm: shipped counts are back.
  await reveal(page, '#reset');
  await page.locator('#reset').click();
  await page.locator('#confirm-reset').click();
  await expect(page.locator('#confirm-reset')).toBeHidden();
  await expect.poll(() => counts(page)).toEqual(SHIPPED);
  await expect(page.locator('#status')).not.toBeEmpty();
  await expect(page.locator('#gaps-rainfall')).toHaveAttribute('data-value', '0');

  // The restored data forecasts 2019 exactly as shipped again.
  await open(page, '#/?q=2019-06&modelo=recommended');
  const [row] = await waitForRows(page, ['2019-06']);
  expect(Math.abs(row.predicted - EXPECTED.get('2019-06').predicted)).toBeLessThanOrEqual(TOL);

  await open(page, '#/registros');
  await expect(page.locator('#interaction-log li[data-kind="reinicio"]')).toHaveCount(1);
  // And a reset survives a reload (it is in IndexedDB, not just on screen).
  await page.reload();
  await open(page, '#/datos');
  expect(await counts(page)).toEqual(SHIPPED);
});

test('training log: shown and downloaded as the artifact', async ({ page }) => {
  const artifact = readArtifact('train.log');
  await open(page, '#/registros');
  await expect(page.locator('pre#train-log')).toContainText('Parámetros elegidos');
  const { name, text } = await download(page, '#download-train-log');
  expect(name).toMatch(/\.log$/);
  expect(text).toContain('Parámetros elegidos');
  expect(text).toContain(artifact.trim());
});

test('interaction log: predictions are listed, downloaded with their outputs, and can be cleared', async ({ page }) => {
  await open(page, '#/');
  await predict(page, '2020-01');
  const [row] = await waitForRows(page, ['2020-01']);
  await predict(page, 'hola');
  await expect(page.locator('#error')).not.toHaveText('');

  await interactionLog(page);
  await expect(page.locator('#interaction-log li[data-kind="prediccion"]')).toHaveCount(1);
  await expect(page.locator('#interaction-log li[data-kind="entrada_invalida"]')).toHaveCount(1);
  await expect(page.locator('#interaction-log li[data-kind="prediccion"]')).toContainText('2020-01');
  await expect(page.locator('#interaction-log li[data-kind="entrada_invalida"]')).toContainText('hola');

  const { name, text } = await download(page, '#download-interaction-log');
  expect(name).toMatch(/\.log$/);
  expect(text).toContain('2020-01');
  expect(text).toContain('hola');
  // The prediction's output is in the file at full precision.
  const want = EXPECTED.get('2020-01').predicted;
  expect(Math.abs(row.predicted - want)).toBeLessThanOrEqual(TOL);
  expect(numbersIn(text).some((n) => Math.abs(n - want) <= TOL), `${want} in:\n${text}`).toBe(true);
  // Every line starts with an ISO timestamp or is an indented detail.
  for (const line of text.split('\n').filter(Boolean)) {
    expect(line).toMatch(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z |\s)/);
  }

  // Clear: cancel keeps everything, confirm empties it (leaving at most the note that it was cleared).
  const before = await page.locator('#interaction-log li').count();
  await page.locator('#clear-log').click();
  await expect(page.locator('#confirm-clear')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('#confirm-clear')).toBeHidden();
  await expect(page.locator('#interaction-log li')).toHaveCount(before);
  await page.locator('#clear-log').click();
  await page.locator('#confirm-clear').click();
  await expect.poll(() => page.locator('#interaction-log li').count()).toBeLessThanOrEqual(1);
  await expect(page.locator('#interaction-log')).not.toContainText('2020-01');
  await page.reload();
  await open(page, '#/registros');
  expect(await page.locator('#interaction-log li').count()).toBeLessThanOrEqual(1);
  await expect(page.locator('#interaction-log')).not.toContainText('hola');
});

test('a long interaction log shows its 50 latest entries, numbered as in the whole log, and the earlier ones on request', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page, '#/');
  const typed = Array.from({ length: 55 }, (_, i) => `malo-${i + 1}`);
  for (const t of typed) {
    await predict(page, t);
    await expect(page.locator('#query')).toHaveAttribute('aria-invalid', 'true');
  }
  await interactionLog(page);
  const log = page.locator('#interaction-log');
  await expect(page.locator('#log-count')).toHaveText(/^Se muestran las 50 entradas más recientes de \d+\.$/);
  const total = Number((await page.locator('#log-count').innerText()).match(/de (\d+)/)[1]);
  expect(total).toBeGreaterThanOrEqual(56);
  await expect(log.locator('li')).toHaveCount(50);
  await expect(log).toHaveAttribute('start', String(total - 49));
  await expect(log.locator('li').last()).toContainText('malo-55');
  await expect(log).not.toContainText('malo-1»');
  await page.locator('#log-earlier').click();
  await expect(log.locator('li')).toHaveCount(total);
  await expect(log).toHaveAttribute('start', '1');
  await expect(log).toContainText('malo-1»');
  await expect(page.locator('#log-earlier')).toHaveCount(0);
  // The download has every entry, shown or not.
  const { text } = await download(page, '#download-interaction-log');
  for (const t of ['malo-1»', 'malo-55»']) expect(text).toContain(t);
});

test('reload keeps the interaction log and the query', async ({ page }) => {
  await open(page, '#/');
  await predict(page, '2019-06 2020-05', 'replica');
  const months = monthRange('2019-06', '2020-05');
  const rows = await waitForRows(page, months);
  await expect(page).toHaveURL(/#\/\?q=2019-06\+2020-05&modelo=replica$/);

  await page.reload();
  await expect(page.locator('input#query')).toHaveValue('2019-06 2020-05');
  await expect(page.locator('select#model')).toHaveValue('replica');
  expect(await waitForRows(page, months)).toEqual(rows);

  await interactionLog(page);
  // carga inicial + 2 predictions (before and after the reload)
  await expect(page.locator('#interaction-log li[data-kind="prediccion"]')).toHaveCount(2);
  const log = await page.locator('#interaction-log li').allInnerTexts();
  expect(log.length).toBeGreaterThanOrEqual(3);
  await page.reload();
  await open(page, '#/registros');
  expect(await page.locator('#interaction-log li').allInnerTexts()).toEqual(log);

  // A second tab of the same browser sees the same stored log (IndexedDB, not memory).
  const other = await page.context().newPage();
  await open(other, '#/registros');
  expect(await other.locator('#interaction-log li').allInnerTexts()).toEqual(log);
  await other.close();
});

test('a first visit is usable before IndexedDB opens; a prediction made then is logged all the same', async ({ page }) => {
  // Another connection, at an older version, holds the app's upgrade of
  // the database (IndexedDB's "blocked") until the test lets it go.
  await page.addInitScript(() => {
    const held = indexedDB.open('leche', 1);
    held.onsuccess = () => {
      window.__heldDb = held.result;
    };
  });
  await page.goto('./#/');
  await page.waitForFunction(() => window.__heldDb !== undefined);
  // Usable from the published files (no seeded flag yet in this browser)
  // while the store cannot open.
  await expect(page.locator('input#query')).toBeEditable();
  await predict(page, '2020-01');
  await waitForRows(page, ['2020-01']);
  await expect(page.locator('main#main')).toHaveAttribute('data-store', 'saving');
  await page.evaluate(() => window.__heldDb.close());
  await expect(page.locator('main#main')).toHaveAttribute('data-store', 'saved', { timeout: 20_000 });
  expect(await page.evaluate(() => localStorage.getItem('leche:seeded'))).toMatch(/^\d{4}-\d\d-\d\dT/);
  await interactionLog(page);
  await expect(page.locator('#interaction-log li[data-kind="prediccion"]')).toHaveCount(1);
  await expect(page.locator('#interaction-log li[data-kind="prediccion"]')).toContainText('2020-01');
});

test('a lost start-up flag: a later visit still shows what this browser stored, not the published data', async ({ page }) => {
  await open(page, '#/datos');
  // A month the published data lacks, stored by the store's own reset-free path: an upload.
  await page.locator('#upload-files').setInputFiles({
    name: 'precio_leche_extra.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('Anio,Mes,Precio_leche\n2021,Mar,254.5\n'),
  });
  await expect(page.locator('#upload-report')).toBeVisible();
  await page.locator('#insert').click();
  await expect(page.locator('#upload-status')).toContainText('Listo');
  await expect(page.locator('#count-milk_price')).toHaveAttribute('data-value', String(SHIPPED['milk_price'] + 1));

  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await open(page, '#/datos');
  await expect(page.locator('#count-milk_price')).toHaveAttribute('data-value', String(SHIPPED['milk_price'] + 1));
  await expect(page.locator('#batches tr[data-batch]')).toHaveCount(1);
  expect(await page.evaluate(() => localStorage.getItem('leche:seeded'))).not.toBeNull();
});

test('works from a sub-path of a static host, directly on a deep link', async ({ browser, server }) => {
  // Serve the parent of a symlink to dist, so the app lives under /leche/.
  const os = require('node:os');
  const { startServer } = require('../lib/server');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'leche-sub-'));
  fs.symlinkSync(server.dir, path.join(root, 'leche'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>otro sitio</title>');
  const sub = await startServer(root);
  try {
    const context = await browser.newContext({ baseURL: `${sub.url}leche/` });
    const page = await context.newPage();
    const failed = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await page.goto('./#/datos');
    // Every file the page asks for must come from under /leche/ (relative URLs).
    await page.waitForLoadState('networkidle');
    expect(failed, 'requests that failed from the sub-path (absolute URLs in index.html? trunk public_url)').toEqual([]);
    await open(page, '#/datos');
    expect(await counts(page)).toEqual(SHIPPED);
    await open(page, '#/?q=2020-01&modelo=recommended');
    const [row] = await waitForRows(page, ['2020-01']);
    expect(Math.abs(row.predicted - EXPECTED.get('2020-01').predicted)).toBeLessThanOrEqual(TOL);
    expect(failed).toEqual([]);
    await context.close();
  } finally {
    await sub.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
