// A panic is a bug, never a dead end (issue 21). Runs only on a debug build
// (scripts/test.sh builds dist-debug/ and sets LECHE_CRASH_TEST=1), whose
// test-only query `panico-de-prueba` panics on purpose (src/crash/mod.rs);
// release builds do not contain it.
'use strict';
const { test, expect, open, waitReady, predict, waitForRows, interactionLog } = require('../lib/fixtures');

const PANIC = './#/?q=panico-de-prueba';

async function crash(page) {
  await page.goto(PANIC);
  await expect(page.locator('#crash')).toBeVisible();
  await expect(page.locator('#crash h1')).toHaveText(/error/);
  await expect(page.locator('#crash-detail')).toHaveText(/pánico de prueba/, { useInnerText: false });
}

test('a panic shows the crash screen; a reload skips the query that crashed and logs it', async ({ page }) => {
  await open(page, '#/');
  await crash(page);
  // A plain reload: the query is still in the URL and must not run again.
  await page.reload();
  await waitReady(page);
  expect(new URL(page.url()).hash).toBe('#/');
  await expect(page.locator('#crashed')).toBeVisible();
  await predict(page, '2020-01', 'recommended');
  await waitForRows(page, ['2020-01']);
  const log = (await interactionLog(page)).join('\n');
  expect(log).toContain('La página falló y se recargó');
  expect(log).toContain('pánico de prueba');
});

test('the crash screen goes back home, and downloads a backup of what is stored', async ({ page }) => {
  await open(page, '#/');
  await crash(page);
  await page.click('#crash-home');
  await waitReady(page);
  expect(new URL(page.url()).search).toBe('');
  await predict(page, '2020-02', 'recommended');
  await waitForRows(page, ['2020-02']);

  await crash(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#crash-backup')]);
  expect(download.suggestedFilename()).toBe('leche_respaldo.json');
  const backup = JSON.parse(require('node:fs').readFileSync(await download.path(), 'utf8'));
  expect(backup.kind).toBe('leche-respaldo');
  expect(new URL(page.url()).search).toBe('');
  expect(new URL(page.url()).hash).toBe('#/datos');
});
