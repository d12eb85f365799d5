// The data's age (issue 20): the home page says which month the data reach
// and how long ago that is by the browser's clock, and leads with a notice
// when the "next months" are already past; the model card and the CSV
// export say it too. A clock set to nonsense gives no age and no crash.
'use strict';
const { test, expect, open, predict, waitForRows, download } = require('../lib/fixtures');

async function at(page, iso) {
  await page.clock.setSystemTime(new Date(iso));
}

test('on 2026-12-15 the home page leads with the notice, before the fan, and says the age', async ({ page }) => {
  await at(page, '2026-12-15T12:00:00');
  await open(page, '#/');
  const notice = page.locator('#stale-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('febrero de 2021');
  await expect(notice).toContainText('hace 5 años y 10 meses');
  await expect(page.locator('#data-age')).toContainText('Último precio: febrero de 2021, hace 5 años y 10 meses');
  const before = await page.evaluate(() => {
    const n = document.querySelector('#stale-notice');
    const fan = document.querySelector('#fan-chart');
    return Boolean(n && fan && n.compareDocumentPosition(fan) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  expect(before, 'the notice comes before the fan').toBe(true);

  // The CSV export's first line says it too.
  await predict(page, '2020-01', 'recommended');
  await waitForRows(page, ['2020-01']);
  const { text } = await download(page, '#export-csv');
  expect(text.split('\n')[0]).toBe('# Leche: datos hasta 2021-02 (último precio: febrero de 2021, hace 5 años y 10 meses); descargado en 2026-12');

  // One action takes the user where prices are added.
  await page.locator('#stale-action').click();
  await expect(page).toHaveURL(/#\/datos\?agregar$/);
  await expect(page.locator('#add-grid input.grid-month').first()).toBeFocused();

  await open(page, '#/modelo');
  await expect(page.locator('.model-card[data-model="recommended"] .chosen')).toHaveText('Elegido con datos hasta febrero de 2021, hace 5 años y 10 meses.');
});

test('on 2021-03-10 there is no notice, and the age is a month', async ({ page }) => {
  await at(page, '2021-03-10T12:00:00');
  await open(page, '#/');
  await expect(page.locator('#data-age')).toContainText('febrero de 2021, hace 1 mes');
  await expect(page.locator('#stale-notice')).toHaveCount(0);
});

for (const nonsense of ['1970-01-05T12:00:00', '9999-12-15T12:00:00']) {
  test(`a clock at ${nonsense.slice(0, 4)} gives no age and no crash`, async ({ page }) => {
    await at(page, nonsense);
    await open(page, '#/');
    await expect(page.locator('#data-age')).toContainText('Último precio: febrero de 2021');
    await expect(page.locator('#data-age')).not.toContainText('hace');
    await expect(page.locator('#stale-notice')).toHaveCount(0);
    await predict(page, '2020-01', 'recommended');
    await waitForRows(page, ['2020-01']);
  });
}
