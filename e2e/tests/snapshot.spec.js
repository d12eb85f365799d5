// The first visit (issues 14 and 32): index.html carries a static snapshot of
// the home page, so the published forecast shows before any WebAssembly, and
// with JavaScript disabled. Its first-paint script writes what depends on the
// visitor's clock and address before anything is painted, and the app takes
// the card's nodes over instead of drawing them again: the first paint is the
// largest, and nothing moves on any page's first visit.
'use strict';
const { test, expect, open, expectedPredictions, watchPage } = require('../lib/fixtures');

const NEXT = expectedPredictions().filter((r) => r.horizon === 1).pop();
const ROUTES = ['#/', '#/datos', '#/modelo', '#/registros'];

/** Holds back the home module's wasm until `release()`: the snapshot alone, as a slow phone shows it. */
async function holdWasm(page) {
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  await page.route(/leche-[0-9a-f]+_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

/** The texts the clock decides, as the page shows them now. */
function clockTexts(page) {
  return page.evaluate(() => {
    const text = (id) => {
      const e = document.getElementById(id);
      return e ? e.textContent.replace(/\s+/g, ' ').trim() : null;
    };
    const notice = document.getElementById('stale-notice');
    return { age: text('data-age'), notice: text('stale-notice'), today: notice && notice.getAttribute('data-today') };
  });
}

test('with JavaScript disabled the published forecast is visible, and says the rest needs JavaScript', async ({ browser, server }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: server.url });
  const page = await context.newPage();
  await page.goto('./');
  const headline = page.locator('#headline');
  await expect(headline).toBeVisible();
  await expect(headline).toHaveAttribute('data-month', NEXT.month);
  expect(Number(await headline.getAttribute('data-value'))).toBe(NEXT.predicted);
  await expect(page.locator('#headline-interval')).toHaveAttribute('data-lower', String(NEXT.lower));
  await expect(page.locator('#fan-chart circle.point')).toHaveCount(12);
  await expect(page.locator('#snapshot-version')).toContainText('versión');
  // The data's last month; its age needs today, which only a script knows.
  await expect(page.locator('#data-age')).toContainText('Último precio: febrero de 2021');
  await expect(page.locator('#data-age')).not.toContainText('hace');
  await expect(page.locator('#stale-notice')).toHaveCount(0);
  const note = page.locator('main.snapshot .alert');
  await expect(note).toBeVisible();
  await expect(note).toContainText('active JavaScript');
  await context.close();
});

test('the app takes the snapshot\'s nodes over: the same elements, the same forecast, no console error', async ({ page }) => {
  const watch = await watchPage(page);
  const release = await holdWasm(page);
  await page.clock.setSystemTime(new Date('2026-12-15T12:00:00'));
  await page.goto('./#/');
  // The snapshot as first painted, its script run: the notice leads it.
  await expect(page.locator('#snapshot #stale-notice')).toBeVisible();
  const before = await clockTexts(page);
  await page.evaluate(() => {
    for (const id of ['headline', 'stale-notice', 'fan-table', 'data-age']) document.getElementById(id).dataset.firstPaint = 'yes';
  });
  release();
  await open(page, '#/');
  await expect(page.locator('#snapshot')).toHaveCount(0);
  await expect(page.locator('#app')).toBeVisible();
  // The very nodes the visitor saw first, now in the app.
  for (const id of ['headline', 'stale-notice', 'fan-table', 'data-age']) {
    await expect(page.locator(`#app #${id}`)).toHaveAttribute('data-first-paint', 'yes');
  }
  await expect(page.locator('#headline')).toHaveAttribute('data-month', NEXT.month);
  expect(await clockTexts(page)).toEqual(before);
  expect(watch.errors).toEqual([]);
  expect(await watch.csp()).toEqual([]);
});

// The script's words and the app's (src/view/freshness.rs) are written twice,
// in JavaScript and in Rust: at each date, the snapshot alone and the app
// drawing its own card (told the snapshot is another card) say the same.
for (const date of ['2021-02-10', '2021-03-10', '2021-04-30', '2021-05-01', '2022-02-15', '2023-03-15', '2026-12-15', '1970-01-05', '9999-12-15']) {
  test(`on ${date} the first paint says what the app says`, async ({ browser, server }) => {
    const at = new Date(`${date}T12:00:00`);
    const first = await browser.newContext({ baseURL: server.url });
    const alone = await first.newPage();
    await alone.clock.setSystemTime(at);
    await alone.route(/_bg\.wasm$/, (route) => route.abort());
    await alone.goto('./#/');
    await expect(alone.locator('#snapshot #data-age')).toBeVisible();
    const snapshot = await clockTexts(alone);
    await first.close();

    const second = await browser.newContext({ baseURL: server.url });
    const page = await second.newPage();
    await page.clock.setSystemTime(at);
    await page.route(/\/(index\.html)?$/, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(/data-content="[0-9a-f]+"/, 'data-content="another-card"');
      await route.fulfill({ response, body: html });
    });
    const release = await holdWasm(page);
    await page.goto('./#/');
    await page.locator('#snapshot #headline').evaluate((e) => (e.dataset.firstPaint = 'yes'));
    release();
    await open(page, '#/');
    await expect(page.locator('#snapshot')).toHaveCount(0);
    // The app's own drawing, not the snapshot's nodes.
    await expect(page.locator('#headline')).not.toHaveAttribute('data-first-paint', 'yes');
    expect(await clockTexts(page)).toEqual(snapshot);
    await second.close();
  });
}

test('on another page\'s address the first paint marks that page and shows a loading line, not the forecast', async ({ page }) => {
  const release = await holdWasm(page);
  await page.goto('./#/modelo');
  await expect(page.locator('#snapshot nav a[aria-current="page"]')).toHaveText('Modelo');
  await expect(page.locator('#snapshot-loading')).toBeVisible();
  await expect(page.locator('#snapshot #headline')).toBeHidden();
  release();
  await open(page, '#/modelo');
  await expect(page.locator('nav a[aria-current="page"]')).toHaveText('Modelo');
});

test('every page\'s first visit: the largest paint is the first paint, and nothing moves', async ({ browser, server }) => {
  for (const viewport of [{ width: 412, height: 823 }, { width: 1350, height: 940 }]) {
    for (const route of ROUTES) {
      const context = await browser.newContext({ baseURL: server.url, viewport });
      const page = await context.newPage();
      await page.addInitScript(() => {
        window.__shifts = [];
        window.__largest = [];
        new PerformanceObserver((l) => window.__shifts.push(...l.getEntries().map((e) => e.value))).observe({ type: 'layout-shift', buffered: true });
        new PerformanceObserver((l) => window.__largest.push(...l.getEntries().map((e) => e.startTime))).observe({ type: 'largest-contentful-paint', buffered: true });
      });
      await open(page, route);
      // Two frames for a last paint to be reported.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const seen = await page.evaluate(() => ({
        shift: window.__shifts.reduce((a, b) => a + b, 0),
        largest: window.__largest,
        first: performance.getEntriesByName('first-contentful-paint')[0].startTime,
      }));
      const where = `${route} at ${viewport.width} px`;
      expect(seen.shift, `${where}: cumulative layout shift`).toBe(0);
      // The home page's largest paint is its first (the snapshot); another page's is its own content, later.
      if (route === '#/') expect(seen.largest, `${where}: every largest-paint candidate in the first paint`).toEqual(seen.largest.map(() => seen.first));
      await context.close();
    }
  }
});
