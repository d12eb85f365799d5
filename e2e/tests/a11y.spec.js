// Accessibility (axe-core: no serious or critical violation) and no
// horizontal scrolling at 360 px, on every page, in the states users see.
'use strict';
const { default: AxeBuilder } = require('@axe-core/playwright');
const { test, expect, open, reveal, openSections, waitForRows, monthRange } = require('../lib/fixtures');

const STATES = [
  { name: 'predict (empty)', hash: '#/' },
  {
    name: 'predict (full range, results)',
    hash: '#/?q=2014-04+2020-05&modelo=recommended',
    ready: (page) => waitForRows(page, monthRange('2014-04', '2020-05')),
  },
  {
    name: 'predict (replica, missing months)',
    hash: '#/?q=2014-02+2014-05&modelo=replica',
    ready: (page) => expect(page.locator('#unavailable li')).toHaveCount(2),
  },
  {
    name: 'predict (bad input)',
    hash: '#/',
    ready: async (page) => {
      await page.locator('input#query').fill('hola');
      await page.locator('button#predict').click();
      await expect(page.locator('#error')).not.toHaveText('');
    },
  },
  { name: 'datos', hash: '#/datos' },
  {
    name: 'datos (every section opened)',
    hash: '#/datos',
    ready: (page) => openSections(page),
  },
  {
    name: 'datos (reset dialog open)',
    hash: '#/datos',
    ready: async (page) => {
      await reveal(page, '#reset');
      await page.locator('#reset').click();
      await expect(page.locator('#confirm-reset')).toBeVisible();
    },
  },
  { name: 'registros', hash: '#/registros' },
  { name: 'modelo', hash: '#/modelo', ready: (page) => expect(page.locator('#honest-verdict')).toBeVisible() },
  {
    name: 'modelo (every section opened)',
    hash: '#/modelo',
    ready: async (page) => {
      await expect(page.locator('#honest-verdict')).toBeVisible();
      await openSections(page);
      await expect(page.locator('#evaluation')).toBeVisible();
    },
  },
  {
    name: 'modelo (retrain running)',
    hash: '#/modelo',
    ready: async (page) => {
      await page.locator('#retrain-start').click();
      await expect(page.locator('#retrain-progress')).toBeVisible();
    },
  },
  {
    name: 'modelo (retrain finished, comparison)',
    hash: '#/modelo',
    ready: async (page) => {
      // In one page visiting every state, the run started by the previous state goes on.
      if (await page.locator('#retrain-start').isEnabled()) await page.locator('#retrain-start').click();
      await expect(page.locator('#retrain-compare')).toBeVisible({ timeout: 60_000 });
    },
  },
];

async function serious(page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

for (const state of STATES) {
  test(`axe: no serious or critical violations — ${state.name}`, async ({ page }) => {
    await open(page, state.hash);
    if (state.ready) await state.ready(page);
    expect(await serious(page)).toEqual([]);
  });
}

// What scrolls sideways at this width: each element, and whether the
// keyboard can reach it (focusable, so arrow keys scroll it) and a screen
// reader can name it.
const SCROLLERS = () =>
  [...document.querySelectorAll('body *')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.getClientRects().length > 0)
    .map((e) => ({
      what: e.id || e.querySelector('table')?.id || `${e.tagName.toLowerCase()}.${e.className}`,
      reachable: e.tabIndex >= 0 && !!(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')),
    }));

test('360 px wide: no horizontal scrolling on any page, and every table that scrolls is reachable from the keyboard', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  let scrolled = 0;
  for (const state of STATES) {
    await open(page, state.hash);
    if (state.ready) await state.ready(page);
    const widths = await page.evaluate(() => ({
      doc: document.documentElement.scrollWidth,
      body: document.body.scrollWidth,
      view: window.innerWidth,
    }));
    expect(widths.view).toBe(360);
    expect(widths.doc, `${state.name}: document scrollWidth`).toBeLessThanOrEqual(360);
    expect(widths.body, `${state.name}: body scrollWidth`).toBeLessThanOrEqual(360);
    const scrollers = await page.evaluate(SCROLLERS);
    expect(scrollers.filter((s) => !s.reachable).map((s) => s.what), `${state.name}: scrolls but the keyboard cannot reach it`).toEqual([]);
    scrolled += scrollers.length;
    await page.keyboard.press('Escape'); // close an open dialog before the next state
  }
  // Wide tables do scroll at this width (the check above is not vacuous).
  expect(scrolled).toBeGreaterThan(3);
});

test('keyboard: the nav links, query and button are reachable with Tab and work with Enter', async ({ page }) => {
  await open(page, '#/');
  const seen = [];
  for (let i = 0; i < 15; i += 1) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => document.activeElement && (document.activeElement.id || document.activeElement.getAttribute('href'))));
  }
  expect(seen).toContain('#/datos');
  expect(seen).toContain('query');
  expect(seen).toContain('model');
  expect(seen).toContain('predict');
  await page.locator('input#query').focus();
  await page.keyboard.type('2020-01');
  await page.keyboard.press('Enter');
  await waitForRows(page, ['2020-01']);
  // Navigate by keyboard: focus the Datos link and press Enter.
  await page.locator('a[href="#/datos"]').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#count-joined')).toHaveAttribute('data-value', '76');
});
