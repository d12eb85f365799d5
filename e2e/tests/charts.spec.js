// The price chart (issue 6): the right points for the shipped data, values
// equal to predictions.csv, hover/focus details, whole-series toggle.
'use strict';
const { test, expect, open, predict, waitForRows, monthRange, expectedPredictions, TOL } = require('../lib/fixtures');

const EXPECTED = expectedPredictions();

async function chartState(page) {
  const svg = page.locator('#price-chart');
  await expect(svg).toBeVisible();
  return svg.evaluate((e) => ({
    first: e.dataset.first,
    last: e.dataset.last,
    real: Number(e.dataset.realPoints),
    predicted: Number(e.dataset.predictedPoints),
    circles: [...e.querySelectorAll('circle.point')].map((c) => [c.dataset.month, Number(c.dataset.predicted)]),
  }));
}

test('the chart plots the model over the asked months, values equal predictions.csv', async ({ page }) => {
  await open(page, '#/');
  await predict(page, '2014-04 2020-05', 'recommended');
  await waitForRows(page, monthRange('2014-04', '2020-05'));
  const s = await chartState(page);
  expect(s.first).toBe('2013-04');
  const inside = EXPECTED.filter((r) => r.month >= s.first && r.month <= s.last);
  expect(s.predicted).toBe(inside.length);
  expect(s.circles.map((c) => c[0])).toEqual(inside.map((r) => r.month));
  s.circles.forEach(([, v], i) => expect(Math.abs(v - inside[i].predicted)).toBeLessThanOrEqual(TOL));
  // Every month with a price in the window is on the real line: 2013-04 … 2020-08.
  expect(s.real).toBe(monthRange('2013-04', s.last < '2021-02' ? s.last : '2021-02').length);

  // Hover and keyboard focus show the values.
  const point = page.locator('#price-chart circle.point[data-month="2020-01"]');
  await point.hover();
  await expect(page.locator('#chart-detail')).toContainText('2020-01: real');
  await page.locator('#price-chart circle.point[data-month="2019-06"]').focus();
  await expect(page.locator('#chart-detail')).toContainText('2019-06');

  // The whole series: every price since 1979.
  await page.locator('#chart-whole').click();
  await expect(page.locator('#price-chart')).toHaveAttribute('data-first', '1979-01');
  expect((await chartState(page)).real).toBe(506);
});
