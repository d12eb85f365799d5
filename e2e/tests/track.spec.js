// The track record (issue 20 item 5): the home page's fan is kept for the
// months with no price yet; once an upload brings those prices, Registros
// shows each forecast beside the real price, its error, naive's error and
// whether the bands held — and the record survives a reload.
'use strict';
const { test, expect, open, storeRecords } = require('../lib/fixtures');

// The shipped prices end 2021-02: 2021-05 is the fan's third month.
const PRICES = 'Anio,Mes,Precio_leche\n2021,Mar,298.5\n2021,Abr,301.25\n2021,May,304.75\n';
const REAL_MAY = 304.75;

/**
 * In the page: a table row's numbers (`data-value` of the cells in `values`),
 * bands (`data-lower`/`data-upper` of the cells in `bands`, null without one)
 * and attributes (`attrs`).
 */
function readRow(tr, { values = {}, bands = {}, attrs = [] }) {
  const out = {};
  for (const [name, sel] of Object.entries(values)) out[name] = Number(tr.querySelector(sel).getAttribute('data-value'));
  for (const [name, sel] of Object.entries(bands)) {
    const td = tr.querySelector(sel);
    const [lo, hi] = [td.getAttribute('data-lower'), td.getAttribute('data-upper')];
    out[name] = lo === '' || hi === '' ? null : [Number(lo), Number(hi)];
  }
  for (const a of attrs) out[a] = tr.getAttribute(a);
  return out;
}

/** What the fan table shows for 2021-05. */
async function fanMay(page) {
  const row = page.locator('#fan-table tr[data-month="2021-05"]');
  await expect(row.locator('td.horizon')).toHaveAttribute('data-value', '3');
  return row.evaluate(readRow, { values: { predicted: 'td.predicted' }, bands: { band50: 'td.band50', band80: 'td.band80' } });
}

/** Registros' row for 2021-05 (h = 3, made from 2021-02) agrees with what the fan showed and the price that came. */
async function expectScored(page, shown, naive) {
  const row = page.locator('#track-table tr[data-month="2021-05"][data-horizon="3"][data-model="recommended"][data-origin="2021-02"]');
  await expect(row).toHaveCount(1);
  const got = await row.evaluate(readRow, {
    values: { predicted: 'td.predicted', real: 'td.real', error: 'td.error', naiveError: 'td.naive-error' },
    bands: { band50: 'td.held50', band80: 'td.held80' },
    attrs: ['data-held50', 'data-held80'],
  });
  expect(got.predicted).toBe(shown.predicted);
  expect(got.real).toBe(REAL_MAY);
  expect(got.error).toBe(REAL_MAY - shown.predicted);
  expect(got.naiveError).toBe(REAL_MAY - naive);
  const held = (band) => (band ? String(band[0] <= REAL_MAY && REAL_MAY <= band[1]) : '');
  expect([got.band50, got.band80]).toEqual([shown.band50, shown.band80]);
  expect([got['data-held50'], got['data-held80']]).toEqual([held(shown.band50), held(shown.band80)]);
  // 2021-03 … 2021-05 are scored, the other nine months of the fan wait.
  await expect(page.locator('#track-table tbody tr[data-model="recommended"]')).toHaveCount(3);
  const summary = page.locator('#track-record .track-summary[data-model="recommended"]');
  await expect(summary).toHaveAttribute('data-count', '3');
  await expect(summary).toHaveAttribute('data-waiting', '9');
  await expect(summary).toContainText('3 pronósticos con precio conocido: error medio absoluto');
  await expect(summary).toContainText('9 esperan su precio.');
}

test('a forecast of the fan is scored once its price is uploaded, and the record survives a reload', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page, '#/');
  await expect(page.locator('select#model')).toHaveValue('recommended');
  const shown = await fanMay(page);
  const stored = await storeRecords(page, ['milk_price']);
  const naive = stored.milk_price.find(([k]) => k === '2021-02')[1][0];

  // Kept while no month has its price: the fan's twelve months wait.
  await open(page, '#/registros');
  const summary = page.locator('#track-record .track-summary[data-model="recommended"]');
  await expect(summary).toHaveAttribute('data-waiting', '12', { timeout: 15_000 });
  await expect(summary).toHaveAttribute('data-count', '0');
  await expect(page.locator('#track-empty')).toBeVisible();
  await expect(page.locator('#track-table')).toHaveCount(0);

  // The prices of 2021-03 … 2021-05 arrive through Datos' upload.
  await open(page, '#/datos');
  await page.locator('#upload-files').setInputFiles({ name: 'precio_leche_nuevo.csv', mimeType: 'text/csv', buffer: Buffer.from(PRICES) });
  await expect(page.locator('#upload-report')).toBeVisible();
  await page.locator('#insert').click();
  await expect(page.locator('#upload-status')).toContainText('Listo');

  await open(page, '#/registros');
  await expectScored(page, shown, naive);
  const records = await storeRecords(page, ['forecasts']);
  expect(records.forecasts.map(([k]) => k)).toContain('recommended/2021-02/2021-05');

  // The model card says the same line for the model.
  await open(page, '#/modelo');
  await expect(page.locator('.model-card[data-model="recommended"] .track-line')).toContainText('3 pronósticos con precio conocido');

  await page.reload();
  await open(page, '#/registros');
  await expectScored(page, shown, naive);
});
