// Retraining in the browser (issue 8): the honest protocol runs in a Web
// Worker on the stored tables; adopting stores the new model, which then
// predicts exactly what the native trainer predicts on the same batches;
// reload keeps it, a backup carries it, reset restores the shipped one;
// cancel leaves everything as it was; the page answers while it runs.
'use strict';
const path = require('node:path');
const { test, expect, open, reveal, predict, waitForRows, monthRange, download, dataDir, storeRecords, trainerPredictions, readArtifact } = require('../lib/fixtures');

const DUMMIES = ['precipitaciones_dummy.csv', 'banco_central_dummy.csv', 'precio_leche_dummy.csv'];
const SHIPPED = JSON.parse(readArtifact('models.json'));
const recommended = (models) => models.models.find((m) => m.id === 'recommended');

/** The stored models and models_info, read straight from IndexedDB. */
async function storedModels(page) {
  const records = await storeRecords(page, ['models', 'meta']);
  const info = records.meta.find(([k]) => k === 'models_info');
  return { models: records.models.map(([, v]) => v), info: info && info[1] };
}

/** The interaction log as { time, kind, message }, reached through the menu (no reload). */
async function logEntries(page) {
  await page.locator('nav a[href="#/registros"]').click();
  await expect(page.locator('#interaction-log li').first()).toBeVisible();
  return page.$$eval('#interaction-log li', (items) =>
    items.map((li) => ({
      time: li.querySelector('time').getAttribute('datetime'),
      kind: li.dataset.kind,
      message: li.querySelector('.message').textContent,
    })),
  );
}

async function predictedValues(page, query, months) {
  await predict(page, query, 'recommended');
  await waitForRows(page, months);
  return page.$$eval('#results tr[data-month]', (rows) =>
    rows.map((r) => [r.getAttribute('data-month'), r.querySelector('td.predicted').getAttribute('data-value')]),
  );
}

test.beforeEach(() => {
  test.skip(!dataDir(), 'the challenge CSVs are missing: set LECHE_DATA to the folder with them (see data/README.md)');
});

test('upload the dummy files, retrain, adopt: predictions equal the native trainer run on the same batches; reload keeps it, the backup carries it, reset restores the shipped one', async ({ page }) => {
  test.setTimeout(240_000);
  const native = trainerPredictions([DUMMIES], 'all');
  expect(native.reason, native.reason).toBeUndefined();

  await open(page, '#/datos');
  await page.locator('#upload-files').setInputFiles(DUMMIES.map((f) => path.join(dataDir(), f)));
  await page.locator('#insert').click();
  await expect(page.locator('#upload-status')).toContainText('Listo');
  const before = await storedModels(page);

  await open(page, '#/modelo');
  await page.locator('#retrain-start').click();
  await expect(page.locator('#retrain-progress')).toBeVisible();
  // The page answers while the worker computes: another page, a prediction, and back.
  await page.locator('nav a[href="#/"]').click();
  await predictedValues(page, '2020-01', ['2020-01']);
  await page.locator('nav a[href="#/modelo"]').click();
  await expect(page.locator('#retrain-compare')).toBeVisible({ timeout: 120_000 });
  // Nothing is stored before the user chooses.
  expect(await storedModels(page)).toEqual(before);
  const log = await logEntries(page);
  const asked = log.find((e) => e.kind === 'prediccion' && e.message.includes('2020-01'));
  const finished = log.find((e) => e.message.startsWith('Reentrenamiento terminado'));
  expect(asked && finished, JSON.stringify(log)).toBeTruthy();
  expect(asked.time < finished.time, 'the prediction asked during the run was answered before the run ended').toBe(true);

  await page.locator('nav a[href="#/modelo"]').click();
  // The finished run waited for the user across page changes.
  await expect(page.locator('#retrain-compare tr[data-row="mae"] td').nth(1)).not.toBeEmpty();
  await page.locator('#retrain-adopt').click();
  await expect(page.locator('#retrain-status')).toContainText('Adoptado');
  await expect(page.locator('#adopted-note')).toBeVisible();

  // The stored model is the trainer's, parameter for parameter.
  const stored = await storedModels(page);
  expect(recommended(stored)).toEqual(recommended(native.models));
  expect(stored.info.verdict).toBe(native.models.verdict);
  expect(stored.info.adopted.evaluation.winner).toBeTruthy();

  // Predictions for 2020-06 … 2021-04 equal the trainer's, to the bit.
  const months = monthRange('2020-06', '2021-04');
  const want = new Map(native.rows.map((r) => [r.month, r.predicted]));
  await open(page, '#/');
  const shown = await predictedValues(page, '2020-06 2021-04', months);
  expect(shown.map(([m]) => m)).toEqual(months);
  for (const [month, value] of shown) expect(Number(value), month).toBe(want.get(month));

  // A reload keeps it.
  await page.reload();
  await open(page, '#/');
  expect(await predictedValues(page, '2020-06 2021-04', months)).toEqual(shown);

  // A full backup carries it.
  await open(page, '#/datos');
  await reveal(page, '#export-backup');
  const { text } = await download(page, '#export-backup');
  const backup = JSON.parse(text);
  expect(recommended(backup.models)).toEqual(recommended(native.models));
  expect(backup.models.adopted.evaluation).toEqual(stored.info.adopted.evaluation);

  // Reset restores the shipped model.
  await reveal(page, '#reset');
  await page.locator('#reset').click();
  await page.locator('#confirm-reset').click();
  await expect(page.locator('#count-rainfall')).toHaveAttribute('data-value', '496');
  const reset = await storedModels(page);
  expect(recommended(reset)).toEqual(recommended(SHIPPED));
  expect(reset.info.adopted ?? null).toBeNull();
  await open(page, '#/modelo');
  await expect(page.locator('#adopted-note')).toHaveCount(0);

  const retrains = (await logEntries(page)).filter((e) => e.kind === 'reentrenamiento').map((e) => e.message);
  expect(retrains.some((m) => m.startsWith('Reentrenamiento terminado')), retrains.join('\n')).toBe(true);
  expect(retrains.some((m) => m.startsWith('Modelo reentrenado adoptado')), retrains.join('\n')).toBe(true);
  expect(retrains).toHaveLength(2);
});

test('retraining on the shipped data gives the shipped recommended model; cancel mid-run leaves the current model untouched', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  // What the page and its workers say in the console (a dedicated worker's console reaches the page's).
  const said = [];
  page.on('console', (m) => ['warning', 'error'].includes(m.type()) && said.push(`${m.type()}: ${m.text()}`));
  await open(page, '#/modelo');
  const before = await storedModels(page);

  // Cancel once the worker is busy: nothing changes, and it can run again.
  await page.locator('#retrain-start').click();
  await expect.poll(async () => Number(await page.locator('#retrain-progress').getAttribute('value')), { timeout: 60_000 }).toBeGreaterThan(0);
  await page.locator('#retrain-cancel').click();
  await expect(page.locator('#retrain-status')).toContainText('cancelado');
  await expect(page.locator('#retrain-progress')).toHaveCount(0);
  await expect(page.locator('#retrain-start')).toBeEnabled();
  expect(await storedModels(page)).toEqual(before);

  // A full run on the shipped tables: the same model the trainer shipped.
  await page.locator('#retrain-start').click();
  await expect(page.locator('#retrain-compare')).toBeVisible({ timeout: 120_000 });
  const compare = page.locator('#retrain-compare');
  const shot = testInfo.outputPath('modelo-reentrenado.png');
  await page.locator('#retrain').screenshot({ path: shot });
  await testInfo.attach('modelo-reentrenado', { path: shot, contentType: 'image/png' });
  const cells = async (row) => compare.locator(`tr[data-row="${row}"] td`).allTextContents();
  for (const row of ['name', 'params', 'fit', 'months', 'mae', 'naive', 'gain', 'coverage']) {
    const [current, fresh] = await cells(row);
    expect(fresh, row).toBe(current);
  }
  await page.locator('#retrain-discard').click();
  await expect(page.locator('#retrain-status')).toContainText('Descartado');
  expect(await storedModels(page)).toEqual(before);
  const entries = (await logEntries(page)).map((e) => e.message).join('\n');
  expect(entries).toContain('Reentrenamiento cancelado');
  expect(entries).toContain('descartado');
  // Nothing warned, in the page or in any of the pool's workers (each worker once
  // warned of wasm-bindgen's deprecated start-up call). Chromium's notice on the
  // integrity attribute of trunk's wasm preload link is the browser's, not ours.
  expect(said.filter((s) => !/`integrity` attribute is currently ignored for preload/.test(s))).toEqual([]);
});

test('an upload that makes the active model err much more suggests retraining; an ordinary one does not', async ({ page }) => {
  const fs = require('node:fs');
  const os = require('node:os');
  await open(page, '#/datos');
  // Ordinary: rainfall and Central Bank months the price-only model does not read.
  // (The dummy price for 2021-03, 254.1, is a 14 % drop the shipped model
  // forecast at 308: for it that upload is not ordinary.)
  await page.locator('#upload-files').setInputFiles(DUMMIES.slice(0, 2).map((f) => path.join(dataDir(), f)));
  await page.locator('#insert').click();
  await expect(page.locator('#upload-status')).toContainText('Listo');
  await expect(page.locator('#retrain-suggestion')).toHaveCount(0);

  // A price far from anything before: the active model's error jumps.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leche-drift-'));
  const file = path.join(dir, 'precio_leche_salto.csv');
  fs.writeFileSync(file, 'Anio,Mes,Precio_leche\n2021,Mar,900\n');
  await page.locator('#upload-files').setInputFiles(file);
  await page.locator('#insert').click();
  await expect(page.locator('#upload-status')).toContainText('Listo');
  await expect(page.locator('#retrain-suggestion')).toContainText('25 %');
  await page.locator('#retrain-suggestion a').click();
  await expect(page.locator('#retrain-start')).toBeVisible();
  fs.rmSync(dir, { recursive: true, force: true });
});
