// Bad input shows a clear message and changes nothing else: not the URL,
// not the results; the interaction log records it.
'use strict';
const { test, expect, open, waitReady, predict, resultRows, waitForRows, interactionLog, watchPage } = require('../lib/fixtures');

const BAD = [
  { input: '2020-13', why: 'month 13' },
  { input: 'hola', why: 'not a month' },
  { input: '2020-05 2020-01', why: 'reversed range (the original answered an empty success)' },
  { input: '2019-01 2019-02 2019-03', why: 'three tokens' },
  { input: '2000-01 2020-12', why: 'more than 240 months', says: /240/ },
  { input: '', why: 'empty' },
  { input: '   ', why: 'only spaces' },
];

test('each bad input shows a message and leaves the URL and results alone', async ({ page }) => {
  await open(page, '#/');
  const messages = [];
  for (const bad of BAD) {
    // A valid prediction first: error cleared, one known row, a known hash.
    await predict(page, '2020-01', 'recommended');
    await waitForRows(page, ['2020-01']);
    await expect(page.locator('#error')).toHaveText('');
    const hash = new URL(page.url()).hash;
    const before = await resultRows(page);

    await predict(page, bad.input);
    const error = page.locator('#error');
    await expect(error, `message for ${bad.why}`).not.toHaveText('');
    await expect(error).toBeVisible();
    await expect(error).toHaveAttribute('role', 'alert');
    if (bad.says) await expect(error).toHaveText(bad.says);
    messages.push(await error.innerText());

    // Nothing else happened, even a moment later.
    await page.waitForTimeout(150);
    expect(new URL(page.url()).hash, `hash after ${bad.why}`).toBe(hash);
    expect(await resultRows(page), `results after ${bad.why}`).toEqual(before);
    await expect(page.locator('input#query')).toHaveAttribute('aria-invalid', 'true');
  }
  // Messages are specific, not one generic text for everything.
  expect(new Set(messages).size, messages.join(' | ')).toBeGreaterThanOrEqual(4);

  await interactionLog(page);
  // One entry per bad input (and one per valid prediction).
  await expect(page.locator('#interaction-log li[data-kind="entrada_invalida"]')).toHaveCount(BAD.length);
  await expect(page.locator('#interaction-log li[data-kind="prediccion"]')).toHaveCount(BAD.length);
  const log = (await interactionLog(page)).join('\n');
  for (const bad of BAD.filter((b) => b.input.trim() !== '')) {
    expect(log, `interaction log mentions «${bad.input}»`).toContain(bad.input);
  }
});

test('a bad query in a shared link shows the message and no results', async ({ page }) => {
  await open(page, '#/?q=2020-13&modelo=recommended');
  await expect(page.locator('#error')).not.toHaveText('');
  expect(await resultRows(page)).toEqual([]);
  await expect(page.locator('input#query')).toHaveValue('2020-13');
});

// Issue 21: this month, typed today, panicked the module (a reversed chart
// window) and, the query being in the URL, every reload died again.
const FAR = [
  { hash: '#/?q=2026-12', says: /2026-12.*meses del último precio/ },
  { hash: '#/?q=2023-06', says: /2023-06.*meses del último precio/ },
  { hash: '#/?q=2022-06&modelo=replica', says: /solo el mes siguiente/ },
  { hash: '#/?q=9999-12&modelo=recommended', says: /9999-12.*meses del último precio/ },
];

test('this month, months far past the fan and year 9999 answer in Spanish; the page and a reload keep working', async ({ page }) => {
  const { errors } = await watchPage(page);
  await open(page, '#/');
  for (const far of FAR) {
    await page.goto(`./${far.hash}`);
    await waitReady(page);
    await expect(page.locator('#error'), far.hash).toHaveText(far.says);
    // The chart shows what it can (the last ten years), not nothing and not a dead page.
    await expect(page.locator('#price-chart path.real'), far.hash).toHaveCount(1);
    await page.reload();
    await waitReady(page);
    await expect(page.locator('#error'), `${far.hash} after a reload`).toHaveText(far.says);
    await predict(page, '2020-01', 'recommended');
    await waitForRows(page, ['2020-01']);
  }
  expect(errors.filter((e) => /panicked|unreachable|RuntimeError/.test(e))).toEqual([]);
});
