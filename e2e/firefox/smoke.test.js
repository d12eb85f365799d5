// End-to-end smoke in Firefox: Debian's Firefox ESR, driven over WebDriver
// BiDi by puppeteer-core (Playwright drives only its own patched Firefox
// build, which cannot be downloaded here). One visitor's session, in order:
// predict a range (equal to the shipped predictions.csv), see the data's
// age, ask for this month and years ahead (an answer, never a crash),
// retrain on the shipped data (every core's worker; the shipped model), paste
// twelve months and undo them, upload the three
// dummy files and insert (the replica then forecasts the new months exactly
// as the native trainer does with the same batch), undo that batch, insert
// again and reset, and finally reload with the server stopped (the service
// worker serves the site, IndexedDB the data) and predict.
//
// Run: `node --test firefox/smoke.test.js` in e2e/ (scripts/test.sh does,
// after building dist/ and the trainer). FIREFOX_PATH picks the browser
// (default /usr/bin/firefox-esr); LECHE_SERVER the server (lib/server.js).
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const { test } = require('node:test');
const puppeteer = require('puppeteer-core');
const { startServer } = require('../lib/server');
const { dataDir, expectedPredictions, monthRange, replicaPredictions, TOL } = require('../lib/fixtures');

const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
const DUMMIES = ['precipitaciones_dummy.csv', 'banco_central_dummy.csv', 'precio_leche_dummy.csv'];
const SHIPPED = { rainfall: '496', 'central_bank': '81', 'milk_price': '506' };
const WAIT = { timeout: 30_000 };

/** Waits until `selector` has `attribute` and it matches `pattern` (a RegExp source). */
async function waitAttribute(page, selector, attribute, pattern) {
  await page.waitForFunction(
    (s, a, p) => {
      const e = document.querySelector(s);
      return e !== null && e.hasAttribute(a) && new RegExp(p).test(e.getAttribute(a));
    },
    WAIT,
    selector,
    attribute,
    pattern,
  );
}

/** Waits until the text of `selector` contains `text`. */
async function waitText(page, selector, text) {
  await page.waitForFunction((s, t) => (document.querySelector(s)?.textContent || '').includes(t), WAIT, selector, text);
}

/** Opens, by clicking its summary, each collapsed section (<details>) that holds `selector`, outermost first. */
async function reveal(page, selector) {
  await page.waitForSelector(selector, WAIT);
  for (;;) {
    const summary = await page.evaluateHandle((s) => {
      const closed = [];
      for (let d = document.querySelector(s).closest('details'); d; d = d.parentElement.closest('details')) if (!d.open) closed.push(d);
      return closed.length ? closed[closed.length - 1].querySelector(':scope > summary') : null;
    }, selector);
    const element = summary.asElement();
    if (!element) return;
    await element.click();
  }
}

/** Opens a route and waits until the app has booted on it (the same signals as the Playwright fixtures). */
async function open(page, hash) {
  await page.goto(new URL(`./${hash}`, page.url()).href);
  await ready(page, hash);
}

async function ready(page, hash) {
  await waitAttribute(page, 'main#main', 'data-store', '^saved$');
  if (hash.startsWith('#/datos')) {
    await waitAttribute(page, '#count-joined', 'data-value', '^\\d+$');
  } else {
    await waitAttribute(page, '#headline', 'data-month', '');
  }
}

async function counts(page) {
  return page.evaluate((ids) => Object.fromEntries(ids.map((id) => [id, document.getElementById(`count-${id}`)?.getAttribute('data-value')])), Object.keys(SHIPPED));
}

/** Predicts `query` with `model` and returns [[month, predicted]] once exactly `months` have values. */
async function predictRows(page, query, model, months) {
  await page.select('select#model', model);
  await page.locator('input#query').fill(query);
  await page.locator('button#predict').click();
  await page.waitForFunction(
    (want) => {
      const rows = [...document.querySelectorAll('#results tr[data-month]')];
      return (
        rows.map((r) => r.getAttribute('data-month')).join() === want.join() &&
        rows.every((r) => Number.isFinite(Number.parseFloat(r.querySelector('td.predicted')?.getAttribute('data-value'))))
      );
    },
    WAIT,
    months,
  );
  return page.$$eval('#results tr[data-month]', (rows) =>
    rows.map((r) => [r.getAttribute('data-month'), Number(r.querySelector('td.predicted').getAttribute('data-value'))]),
  );
}

function assertClose(shown, expected) {
  for (const [month, value] of shown) {
    assert.ok(expected.has(month), `expected a prediction for ${month}`);
    assert.ok(Math.abs(value - expected.get(month)) <= TOL, `${month}: shown ${value}, expected ${expected.get(month)}`);
  }
}

test('Firefox ESR: predict, upload, undo, reset, offline reload', { timeout: 300_000 }, async (t) => {
  const data = dataDir();
  if (!data) {
    // Under CI the data must be there: a smoke that checked nothing must not pass.
    if (process.env.CI) assert.fail('the challenge CSVs are missing: set LECHE_DATA');
    t.skip('the challenge CSVs are missing: set LECHE_DATA to the folder with them (see data/README.md)');
    return;
  }
  let server = await startServer();
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  const errors = [];
  try {
    t.diagnostic(`${await browser.version()} via WebDriver BiDi, ${server.kind} server at ${server.url}`);
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}#/`);
    await ready(page, '#/');

    await t.test('a range forecast equals the shipped predictions.csv', async () => {
      const months = monthRange('2019-06', '2020-05');
      const shown = await predictRows(page, '2019-06 2020-05', 'recommended', months);
      assert.equal(shown.length, 12);
      assertClose(shown, new Map(expectedPredictions().map((r) => [r.month, r.predicted])));
    });

    await t.test('the data\'s age by the clock, and the notice before the fan', async () => {
      await waitText(page, '#data-age', 'Último precio: febrero de 2021, hace ');
      const before = await page.evaluate(() => {
        const n = document.querySelector('#stale-notice');
        const fan = document.querySelector('#fan-chart');
        return Boolean(n && fan && n.compareDocumentPosition(fan) & Node.DOCUMENT_POSITION_FOLLOWING);
      });
      assert.equal(before, true, 'the notice leads the home page, before the fan');
    });

    await t.test('this month, months far past the fan and 9999 answer in Spanish; a reload works', async () => {
      for (const [hash, says] of [
        ['#/?q=2026-12', 'meses del último precio'],
        ['#/?q=2023-06', 'meses del último precio'],
        ['#/?q=2022-06&modelo=replica', 'solo el mes siguiente'],
        ['#/?q=9999-12&modelo=recommended', 'meses del último precio'],
      ]) {
        // Set as a link would (a hash change), then read again from the address (a reload).
        await page.evaluate((h) => {
          location.hash = h;
        }, hash);
        await waitText(page, '#error', says);
        await page.reload();
        await ready(page, '#/');
        await waitText(page, '#error', says);
      }
      const [[month]] = await predictRows(page, '2020-01', 'recommended', ['2020-01']);
      assert.equal(month, '2020-01');
    });

    await t.test('a retrain in Firefox\'s workers on the shipped data gives the shipped model', async () => {
      await page.goto(new URL('./#/modelo', page.url()).href);
      await waitAttribute(page, 'main#main', 'data-store', '^saved$');
      await page.waitForSelector('#retrain-start:not([disabled])', WAIT);
      await page.locator('#retrain-start').click();
      await page.waitForSelector('#retrain-compare', { timeout: 180_000 });
      const rows = await page.$$eval('#retrain-compare tr[data-row]', (trs) =>
        trs.map((tr) => [tr.getAttribute('data-row'), [...tr.querySelectorAll('td')].map((td) => td.textContent)]),
      );
      assert.ok(rows.length >= 8, `the comparison has its rows: ${JSON.stringify(rows)}`);
      for (const [row, [current, fresh]] of rows) assert.equal(fresh, current, row);
      await page.locator('#retrain-discard').click();
      await waitText(page, '#retrain-status', 'Descartado');
      await open(page, '#/');
    });

    await t.test('twelve pasted months: previewed, inserted, the forecast starts after 2022-02, undone', async () => {
      await open(page, '#/datos');
      const lines = ['2021-03\t300,5', '2021/04\t301.2', '05/2021\t$ 302,75', '06-2021;303', 'jul-2021\t304,1', 'ago 2021 305',
        'septiembre de 2021\t306,4', 'Octubre 2021\t307', '01-11-2021\t308,5', '2021-12\t309', 'ene 2022\t310,2', 'Febrero 2022\t311',
        '13/2022\t300', '2022-03\tabc'];
      await page.locator('#paste-box').fill(lines.join('\n'));
      await page.locator('#add-review').click();
      await waitText(page, '#add-preview-summary', '12 nuevos, 0 ya guardados, 0 revisiones, 2 rechazados.');
      await page.locator('#add-insert').click();
      await waitText(page, '#add-status', 'Listo');
      await open(page, '#/');
      await waitAttribute(page, '#headline', 'data-month', '^2022-03$');
      await open(page, '#/datos');
      await reveal(page, '#batches button.undo');
      await page.locator('#batches button.undo').click();
      await page.locator('#confirm-undo').click();
      await waitText(page, '#batch-status', 'deshecha');
      assert.deepEqual(await counts(page), SHIPPED);
    });

    const upload = async () => {
      await open(page, '#/datos');
      const input = await page.waitForSelector('#upload-files', WAIT);
      await input.uploadFile(...DUMMIES.map((f) => path.join(data, f)));
      await page.waitForSelector('#upload-report', { ...WAIT, visible: true });
      await waitAttribute(page, '#upload-report .file-report[data-source="rainfall"]', 'data-insert', '^11$');
      await waitAttribute(page, '#upload-report .file-report[data-source="central_bank"]', 'data-insert', '^6$');
      await waitAttribute(page, '#upload-report .file-report[data-source="milk_price"]', 'data-insert', '^1$');
      await page.locator('#insert').click();
      await waitText(page, '#upload-status', 'Listo');
      await waitAttribute(page, '#count-rainfall', 'data-value', '^507$');
    };

    await t.test('the three dummy files upload and insert; the replica forecasts like the native trainer', async () => {
      await upload();
      assert.deepEqual(await counts(page), { rainfall: '507', 'central_bank': '87', 'milk_price': '507' });
      // The pasted months' batch, undone above, stays listed as undone.
      assert.equal((await page.$$('#batches tr[data-batch][data-undone="false"]')).length, 1);
      const native = replicaPredictions([DUMMIES]);
      assert.equal(native.reason, undefined, native.reason);
      await open(page, '#/');
      const months = monthRange('2020-06', '2021-04');
      const shown = await predictRows(page, '2020-06 2021-04', 'replica', months);
      assertClose(shown, new Map(native.rows.map((r) => [r.month, r.predicted])));
    });

    await t.test('undoing the batch restores the shipped counts', async () => {
      await open(page, '#/datos');
      await reveal(page, '#batches button.undo');
      await page.locator('#batches button.undo').click();
      await page.locator('#confirm-undo').click();
      await waitText(page, '#batch-status', 'deshecha');
      await waitAttribute(page, '#count-rainfall', 'data-value', `^${SHIPPED.rainfall}$`);
      assert.deepEqual(await counts(page), SHIPPED);
    });

    await t.test('reset after a new insert restores the shipped data and drops the batch', async () => {
      await upload();
      await reveal(page, '#reset');
      await page.locator('#reset').click();
      await page.locator('#confirm-reset').click();
      await waitText(page, '#status', 'Listo');
      await waitAttribute(page, '#count-rainfall', 'data-value', `^${SHIPPED.rainfall}$`);
      assert.deepEqual(await counts(page), SHIPPED);
      await page.waitForFunction(() => document.querySelectorAll('#batches tr[data-batch]').length === 0, WAIT);
    });

    await t.test('with the server stopped, a reload is served by the service worker and predicts', async () => {
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        if (!navigator.serviceWorker.controller) {
          await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
        }
      });
      await server.stop();
      server = null;
      await open(page, '#/');
      await page.reload();
      await ready(page, '#/');
      // The server is really gone: a request the worker has not cached fails.
      const probe = await page.evaluate(() => fetch(`./sin-cache?${Date.now()}`).then((r) => `HTTP ${r.status}`, () => 'no network'));
      assert.equal(probe, 'no network');
      const [[month, value]] = await predictRows(page, '2020-01', 'recommended', ['2020-01']);
      const expected = expectedPredictions().find((r) => r.month === month).predicted;
      assert.ok(Math.abs(value - expected) <= TOL, `2020-01 offline: shown ${value}, expected ${expected}`);
      assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true);
    });

    // The probe's failed fetch is the one error expected.
    assert.deepEqual(errors.filter((e) => !e.includes('/sin-cache?')), [], 'console errors in Firefox');
  } finally {
    await browser.close();
    if (server) await server.stop();
  }
});
