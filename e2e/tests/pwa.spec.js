// Installable and strict: the manifest and its icons, the CSP (no violation,
// and enforced), every request to the page's own origin, the worker under a
// sub-path on every route, and two tabs kept consistent.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test, expect, open, reveal, predict, waitForRows, waitForWorker, watchPage } = require('../lib/fixtures');
const { startServer } = require('../lib/server');

const ROUTES = ['#/', '#/datos', '#/registros'];

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buffer) {
  expect(buffer.subarray(1, 4).toString('latin1')).toBe('PNG');
  return `${buffer.readUInt32BE(16)}x${buffer.readUInt32BE(20)}`;
}

test('only the page\'s own origin is contacted, and the CSP reports no violation', async ({ page, baseURL }) => {
  const watch = await watchPage(page);
  await open(page, '#/');
  await waitForWorker(page);
  await predict(page, '2019-06 2020-05', 'replica');
  await waitForRows(page, ['2019-06', '2019-07', '2019-08', '2019-09', '2019-10', '2019-11', '2019-12', '2020-01', '2020-02', '2020-03', '2020-04', '2020-05']);
  for (const route of ROUTES) {
    await open(page, route);
    await page.reload();
    await open(page, route);
  }
  const origin = new URL(baseURL).origin;
  expect(watch.requests.length).toBeGreaterThan(0);
  expect(watch.requests.filter((u) => new URL(u).origin !== origin)).toEqual([]);
  expect(await watch.csp()).toEqual([]);
  expect(watch.errors).toEqual([]);

  // The policy is really enforced: an injected inline script does not run.
  const ran = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true;';
    document.body.append(s);
    await new Promise((r) => setTimeout(r, 100));
    return window.__injected === true;
  });
  expect(ran).toBe(false);
  expect((await watch.csp()).join('\n')).toContain('script-src');
});

test('the web app manifest is valid and its icons load at their sizes', async ({ page, request }) => {
  await open(page, '#/');
  const href = await page.locator('link[rel="manifest"]').evaluate((l) => l.href);
  const response = await request.get(href);
  expect(response.status()).toBe(200);
  const manifest = JSON.parse(await response.text());
  expect(manifest).toMatchObject({
    name: 'Leche · precio de la leche',
    short_name: 'Leche',
    start_url: './',
    scope: './',
    display: 'standalone',
    lang: 'es',
  });
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  const sizes = [];
  for (const icon of manifest.icons) {
    const r = await request.get(new URL(icon.src, href).href);
    expect(r.status(), icon.src).toBe(200);
    expect(r.headers()['content-type']).toBe('image/png');
    expect(pngSize(await r.body())).toBe(icon.sizes);
    sizes.push(`${icon.sizes} ${icon.purpose}`);
  }
  expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
});

test('under a sub-path, every route loads directly and on reload, online and offline, with the worker', async ({ browser, server }) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'leche-sub-'));
  fs.symlinkSync(server.dir, path.join(root, 'leche'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>otro sitio</title>');
  const sub = await startServer(root);
  try {
    const base = `${sub.url}leche/`;
    const context = await browser.newContext({ baseURL: base });
    const page = await context.newPage();
    const watch = await watchPage(page);
    const failed = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await open(page, '#/registros');
    await waitForWorker(page);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).scope)).toBe(base);
    for (const offline of [false, true]) {
      await context.setOffline(offline);
      for (const route of ROUTES) {
        const fresh = await context.newPage();
        await open(fresh, route);
        await fresh.reload();
        await open(fresh, route);
        expect(await fresh.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
        await fresh.close();
      }
    }
    expect(failed).toEqual([]);
    expect(await watch.csp()).toEqual([]);
    await context.close();
  } finally {
    await sub.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('two tabs: a reset and a log clear in one show in the other without reloading', async ({ page }) => {
  await open(page, '#/datos');
  const other = await page.context().newPage();
  await open(other, '#/registros');
  await expect(other.locator('#interaction-log li[data-kind="reinicio"]')).toHaveCount(0);

  await reveal(page, '#reset');
  await page.locator('#reset').click();
  await page.locator('#confirm-reset').click();
  await expect(page.locator('#status')).toContainText('Listo');
  await expect(other.locator('#interaction-log li[data-kind="reinicio"]')).toHaveCount(1);

  // A prediction (a log append) shows too.
  await open(page, '#/');
  await predict(page, '2020-01', 'recommended');
  await waitForRows(page, ['2020-01']);
  await expect(other.locator('#interaction-log li[data-kind="prediccion"]')).toHaveCount(1);

  await open(page, '#/registros');
  await page.locator('#clear-log').click();
  await page.locator('#confirm-clear').click();
  await expect(other.locator('#interaction-log li')).toHaveCount(1);
  await expect(other.locator('#interaction-log li[data-kind="registro_borrado"]')).toHaveCount(1);
  await other.close();
});
