// Regenerates the README's screenshot (docs/screenshot.png) from the release
// dist/: `node e2e/screenshot.js` after `trunk build --release --offline`.
'use strict';
const path = require('node:path');
const { chromium } = require('@playwright/test');
const { startServer } = require('./lib/server');

(async () => {
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, locale: 'es-CL' });
    await page.goto(`${server.url}#/?q=2019-06%202020-05`);
    await page.locator('main#main[data-store="saved"]').waitFor();
    await page.locator('#results tr[data-month="2020-05"]').waitFor();
    const out = path.join(__dirname, '..', 'docs', 'screenshot.png');
    await page.screenshot({ path: out, fullPage: false });
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
    await server.stop();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
