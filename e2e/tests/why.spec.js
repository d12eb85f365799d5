// «¿Por qué?» (issue 33): beside the headline and each row of a query, the
// forecast's own arithmetic, whose pesos add up to the forecast shown; the
// band in words; the recommended model's parts as pictures, on a phone and
// a desktop. Numbers are checked against the page's data-value attributes.
'use strict';
const { test, expect, open, predict, waitForRows, monthRange } = require('../lib/fixtures');

/** A Chilean-formatted amount ("1.234,56", "+11,55", "−0,40") in whole cents. */
function cents(text) {
  const t = text.trim().replace(/\./g, '').replace('−', '-').replace('+', '').replace(',', '.');
  const v = Number(t);
  expect(Number.isFinite(v), `«${text}» is a number`).toBe(true);
  return Math.round(v * 100);
}

/** The open dialog's sum: its lines' cents, the total's text and exact value. */
async function sumTable(page) {
  const table = page.locator('dialog#why table.why-sum');
  await expect(table).toBeVisible();
  return table.evaluate((t) => ({
    month: t.dataset.month,
    lines: [...t.querySelectorAll('tr.start td, tr.part td')].map((td) => td.textContent),
    labels: [...t.querySelectorAll('tr.start th, tr.part th')].map((th) => th.textContent),
    total: t.querySelector('tr.total td').textContent,
    value: t.querySelector('tr.total td').dataset.value,
  }));
}

/** The lines add up, cent for cent, to the total, which is `shown` (the forecast's exact value). */
function expectAddsUp(sum, shown) {
  expect(sum.value, 'the sum is the forecast, to the bit').toBe(shown);
  const total = sum.lines.map(cents).reduce((a, b) => a + b, 0);
  expect(total, `${sum.lines.join(' + ')} = ${sum.total}`).toBe(cents(sum.total));
  expect(cents(sum.total)).toBe(Math.round(Number(shown) * 100));
}

async function openedFor(page, month) {
  const dialog = page.locator('dialog#why');
  await expect(dialog).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('#why-title')).toHaveAttribute('data-month', month);
  return dialog;
}

test('the headline\'s «¿Por qué?»: last price, season and trend add up to the forecast, and the band in words', async ({ page }) => {
  await open(page, '#/');
  const headline = page.locator('#headline');
  const month = await headline.getAttribute('data-month');
  const value = await headline.getAttribute('data-value');
  await page.locator('#headline-why').click();
  await openedFor(page, month);
  expect(new URL(page.url()).hash).toBe(`#/?modelo=recommended&porque=${month}`);
  await expect(page.locator('#why-title')).toHaveAttribute('data-value', value);
  // The shown forecast, as the headline rounds it, ends the one-line arithmetic.
  const shown = (await headline.locator('strong.big').innerText()).replace(' CLP/litro', '');
  await expect(page.locator('.why-line')).toContainText('cambio habitual de');
  await expect(page.locator('.why-line')).toContainText('tendencia de largo plazo');
  expect((await page.locator('.why-line').innerText()).endsWith(`→ ${shown}`)).toBe(true);
  const sum = await sumTable(page);
  expect(sum.labels[0]).toMatch(/^Precio de /);
  expectAddsUp(sum, value);
  // The band in words gives the headline's 80 % band.
  const band = page.locator('#why-band');
  const interval = page.locator('#headline-interval');
  await expect(band).toHaveAttribute('data-lower', await interval.getAttribute('data-lower'));
  await expect(band).toHaveAttribute('data-upper', await interval.getAttribute('data-upper'));
  await expect(band).toContainText('8 de cada 10 errores');
  // Closing drops the parameter and leaves the page as it was.
  await page.locator('#why-close').click();
  await expect(page.locator('dialog#why')).toHaveCount(0);
  expect(new URL(page.url()).hash).toBe('#/?modelo=recommended');
  await expect(headline).toHaveAttribute('data-value', value);
});

test('a range: each row\'s «¿Por qué?» is that row\'s forecast, a chain of its horizon\'s months', async ({ page }) => {
  await open(page, '#/');
  await predict(page, '2020-12 2021-05', 'recommended');
  const months = monthRange('2020-12', '2021-05');
  await waitForRows(page, months);
  const hash = new URL(page.url()).hash;
  for (const month of ['2020-12', '2021-05']) {
    const row = page.locator(`#results tr[data-month="${month}"]`);
    const predicted = await row.locator('td.predicted').getAttribute('data-value');
    const horizon = Number(await row.locator('td.horizon').getAttribute('data-value'));
    await row.locator('a.why-link').click();
    const dialog = await openedFor(page, month);
    await expect(page.locator('#why-title')).toHaveAttribute('data-value', predicted);
    // One step a month from the month after the last price; the last is the row's forecast.
    if (horizon > 1) {
      const steps = dialog.locator('ol.why-chain li');
      await expect(steps).toHaveCount(horizon);
      await expect(steps.last()).toHaveAttribute('data-value', predicted);
      await expect(steps.nth(1)).toContainText('(pronóstico de');
    } else {
      await expect(dialog.locator('ol.why-chain')).toHaveCount(0);
    }
    expectAddsUp(await sumTable(page), predicted);
    // Escape closes it; the query and its results stay.
    await page.keyboard.press('Escape');
    await expect(page.locator('dialog#why')).toHaveCount(0);
    expect(new URL(page.url()).hash).toBe(hash);
    await waitForRows(page, months);
  }
  // The headline's keeps the query too: closed, and after a reload, the results are still there.
  const headline = await page.locator('#headline').getAttribute('data-month');
  await page.locator('#headline-why').click();
  await openedFor(page, headline);
  expect(new URL(page.url()).hash).toBe(`${hash}&porque=${headline}`);
  await page.locator('#why-close').click();
  await expect(page.locator('dialog#why')).toHaveCount(0);
  expect(new URL(page.url()).hash).toBe(hash);
  await page.reload();
  await waitForRows(page, months);
});

test('the replica\'s «¿Por qué?» sums its contributions by source', async ({ page }) => {
  await open(page, '#/');
  await predict(page, '2020-05', 'replica');
  await waitForRows(page, ['2020-05']);
  const predicted = await page.locator('#results tr[data-month="2020-05"] td.predicted').getAttribute('data-value');
  await page.locator('#results tr[data-month="2020-05"] a.why-link').click();
  await openedFor(page, '2020-05');
  const sum = await sumTable(page);
  expectAddsUp(sum, predicted);
  expect(sum.labels[sum.labels.length - 1]).toMatch(/^Constante del modelo/);
  for (const label of sum.labels.slice(0, -1)) {
    expect(label).toMatch(/^(Precipitaciones|Banco Central|Precios anteriores de la leche|Combinaciones de fuentes)/);
  }
  await expect(page.locator('#why-band')).toContainText('no tiene banda');
});

for (const [width, height] of [[360, 740], [1280, 900]]) {
  test(`the model's parts as pictures at ${width} px: twelve months with their values, and the trend`, async ({ page }, info) => {
    await page.setViewportSize({ width, height });
    await open(page, '#/');
    const month = await page.locator('#headline').getAttribute('data-month');
    await page.locator('#headline-why').click();
    const dialog = await openedFor(page, month);
    const season = dialog.locator('svg#why-season');
    await season.scrollIntoViewIfNeeded();
    await expect(season).toBeVisible();
    const points = await season.evaluate((svg) =>
      [...svg.querySelectorAll('circle.point')].map((c) => ({ label: c.getAttribute('aria-label'), value: Number(c.dataset.value) })),
    );
    const names = ['Enero', 'Febrero', 'Marzo', 'Abril', 'Mayo', 'Junio', 'Julio', 'Agosto', 'Septiembre', 'Octubre', 'Noviembre', 'Diciembre'];
    expect(points.map((p) => p.label.split(':')[0])).toEqual(names);
    for (const p of points) {
      expect(Number.isFinite(p.value)).toBe(true);
      // The label shows the value drawn, rounded («+3,9 %»).
      const shown = Number(p.label.match(/cambio habitual ([−+]?[\d,]+)\s%/)[1].replace('−', '-').replace(',', '.'));
      expect(Math.abs(shown - p.value)).toBeLessThanOrEqual(0.051);
    }
    // The season adds nothing over a year: usual rises and falls both appear.
    expect(points.some((p) => p.value > 0) && points.some((p) => p.value < 0)).toBe(true);
    const trend = dialog.locator('svg#why-trend');
    await trend.scrollIntoViewIfNeeded();
    await expect(trend).toBeVisible();
    await expect(trend.locator('path.real')).toHaveAttribute('data-points', /^\d{3}$/);
    // Nothing wider than the screen: the dialog and its charts fit.
    for (const el of [dialog, season, trend]) {
      const box = await el.boundingBox();
      expect(box.x >= -1 && box.x + box.width <= width + 1, `${await el.getAttribute('id')} fits ${width} px`).toBe(true);
    }
    await page.screenshot({ path: info.outputPath(`why-${width}.png`), fullPage: false });
  });
}

test('once a kept forecast has its price, the home page says in one line how it did', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page, '#/');
  const headline = page.locator('#headline');
  const month = await headline.getAttribute('data-month');
  expect(month).toBe('2021-03');
  const predicted = Number(await headline.getAttribute('data-value'));
  const interval = page.locator('#headline-interval');
  const [lower, upper] = [Number(await interval.getAttribute('data-lower')), Number(await interval.getAttribute('data-upper'))];
  await expect(page.locator('#recent-track')).toBeHidden();

  // The price of 2021-03 arrives through Datos' upload: the headline's forecast (h = 1) is scored.
  const real = 298.5;
  await open(page, '#/datos');
  await page.locator('#upload-files').setInputFiles({ name: 'precio_leche_nuevo.csv', mimeType: 'text/csv', buffer: Buffer.from(`Anio,Mes,Precio_leche\n2021,Mar,${real}\n`) });
  await expect(page.locator('#upload-report')).toBeVisible();
  await page.locator('#insert').click();
  await expect(page.locator('#upload-status')).toContainText('Listo');

  const error = ((Math.abs(real - predicted) / real) * 100).toFixed(1).replace('.', ',');
  const held = lower <= real && real <= upper ? 'lo contuvo' : 'no lo contuvo';
  const expected = `Modelo recomendado: el último pronóstico a 1 mes con precio conocido erró ${error} %; su banda de 80 % ${held}.`;
  for (const load of ['after the upload', 'after a reload']) {
    if (load === 'after a reload') await page.reload();
    await open(page, '#/');
    const line = page.locator('#recent-track');
    await expect(line, load).toBeVisible({ timeout: 20_000 });
    await expect(line, load).toContainText(expected);
    await expect(line.locator('a[href="#/registros"]')).toHaveText('Ver el historial');
  }
});
