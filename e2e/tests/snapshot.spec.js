// The first visit (issue 14): index.html carries a static snapshot of the
// home page, so the published forecast shows before any JavaScript or
// WebAssembly, and with JavaScript disabled; the app takes its place once
// it starts, showing the same forecast to the displayed cent.
'use strict';
const { test, expect, open, expectedPredictions, watchPage } = require('../lib/fixtures');

const NEXT = expectedPredictions().filter((r) => r.horizon === 1).pop();

test('with JavaScript disabled the published forecast is visible, and says the rest needs JavaScript', async ({ browser, server }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: server.url });
  const page = await context.newPage();
  await page.goto('./');
  const headline = page.locator('#snapshot-headline');
  await expect(headline).toBeVisible();
  await expect(headline).toHaveAttribute('data-month', NEXT.month);
  expect(Number(await headline.getAttribute('data-value'))).toBe(NEXT.predicted);
  await expect(page.locator('#snapshot-headline-interval')).toHaveAttribute('data-lower', String(NEXT.lower));
  await expect(page.locator('#snapshot-fan-chart circle.point')).toHaveCount(12);
  await expect(page.locator('#snapshot-version')).toContainText('versión');
  // The data's last month; its age needs today, which only the running app knows.
  await expect(page.locator('#snapshot-data-age')).toContainText('Último precio: febrero de 2021');
  await expect(page.locator('#snapshot-data-age')).not.toContainText('hace');
  const note = page.locator('main.snapshot .alert');
  await expect(note).toBeVisible();
  await expect(note).toContainText('active JavaScript');
  await context.close();
});

test('the app takes the snapshot\'s place showing the same forecast, with no console error', async ({ page }) => {
  const watch = await watchPage(page);
  // The snapshot as served, before any script ran.
  const response = await page.request.get('./');
  const html = await response.text();
  const snapshotText = html.match(/<p id="snapshot-headline"[^>]*>([\s\S]*?)<\/p>/);
  expect(snapshotText, 'index.html carries the snapshot headline').toBeTruthy();
  const plain = (s) => s.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
  await open(page, '#/');
  await expect(page.locator('#snapshot')).toHaveCount(0);
  await expect(page.locator('#app')).toBeVisible();
  const app = page.locator('#headline');
  await expect(app).toHaveAttribute('data-month', NEXT.month);
  // Word for word (the displayed cents included) the same text.
  expect(plain(await app.innerHTML())).toBe(plain(snapshotText[1]));
  expect(watch.errors).toEqual([]);
  expect(await watch.csp()).toEqual([]);
});
