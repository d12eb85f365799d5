// Regenerates the documentation's screenshots from the release dist/
// (`scripts/screenshots.sh`, or `node e2e/screenshots.js` after
// `trunk build --release --offline`): the README's (docs/screenshot.png, a
// desktop window with a query) and every page on a phone, 360 × 740 CSS px,
// whole page with its sections closed as a first visit shows it
// (docs/screens/*.png, shown in docs/pages.md). The clock is fixed, so the
// data's age reads the same on every run.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('@playwright/test');
const { startServer } = require('./lib/server');

const DOCS = path.join(__dirname, '..', 'docs');
const TODAY = new Date('2026-12-02T12:00:00Z');

// Each page on a phone: its file, its route and what shows once it is ready.
const PHONE = [
  ['pronostico', '#/', '#fan-chart'],
  ['pronostico-consulta', '#/?q=2019-06%202020-05', '#results tr[data-month="2020-05"]'],
  ['datos', '#/datos', '#coverage-summary'],
  ['modelo', '#/modelo', '#horizon-chart'],
  ['registros', '#/registros', 'pre#train-log'],
];

async function shoot(browser, server, { width, height, mobile }, hash, ready, file, fullPage) {
  const context = await browser.newContext({ viewport: { width, height }, isMobile: mobile, hasTouch: mobile, locale: 'es-CL' });
  const page = await context.newPage();
  await page.clock.setFixedTime(TODAY);
  await page.goto(`${server.url}${hash}`);
  await page.locator('main#main[data-store="saved"]').waitFor();
  await page.locator(ready).first().waitFor();
  // Two frames: the charts redraw at the width they measured.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: file, fullPage });
  await context.close();
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

(async () => {
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' });
  try {
    const desktop = { width: 1100, height: 900, mobile: false };
    await shoot(browser, server, desktop, '#/?q=2019-06%202020-05', '#results tr[data-month="2020-05"]', path.join(DOCS, 'screenshot.png'), false);
    fs.mkdirSync(path.join(DOCS, 'screens'), { recursive: true });
    const phone = { width: 360, height: 740, mobile: true };
    for (const [name, hash, ready] of PHONE) {
      await shoot(browser, server, phone, hash, ready, path.join(DOCS, 'screens', `${name}-360.png`), true);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
