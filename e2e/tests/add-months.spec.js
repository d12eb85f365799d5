// «Agregar meses» (issue 20): recent prices without a file. Twelve months
// pasted in a mix of the formats people copy (and two bad lines) preview as
// twelve new and two refused with their reasons; "Insertar" writes them as
// one batch through the upload path; the home page then forecasts from the
// new last price (a query refused before is answered, with no reload); undo
// restores the store exactly; a reload keeps it.
'use strict';
const { test, expect, open, reveal, storeRecords } = require('../lib/fixtures');

const PASTE = [
  'Mes\tPrecio',
  '2021-03\t300,5',
  '2021/04\t301.2',
  '05/2021\t$ 302,75',
  '06-2021;303',
  'jul-2021\t304,1',
  'ago 2021 305',
  'septiembre de 2021\t306,4',
  'Octubre 2021\t307',
  '01-11-2021\t308,5',
  '2021-12\t1.309,0',
  'ene 2022\t310,2',
  'Febrero 2022\t311',
  '13/2022\t300',
  '2022-03\tabc',
].join('\n');

const tables = (page) => storeRecords(page, ['rainfall', 'central_bank', 'milk_price', 'batches']);

test('twelve pasted months: preview, insert, the forecast starts from 2022-02, undo restores exactly, a reload keeps it', async ({ page }) => {
  test.setTimeout(120_000);
  // A month too far ahead of the shipped data is refused…
  await open(page, '#/');
  await page.locator('#query').fill('2022-03');
  await page.locator('#predict').click();
  await expect(page.locator('#error')).toContainText('2022-03 está a 13 meses del último precio (2021-02)');
  // …saying which price it needs, with the way to add it.
  await expect(page.locator('#catch-up')).toContainText('Para pronosticar marzo de 2022 falta el precio de marzo de 2021, por lo menos.');
  await expect(page.locator('#catch-up-action')).toHaveAttribute('href', '#/datos?agregar');
  await open(page, '#/datos');
  const shipped = await tables(page);

  await page.locator('#paste-box').fill(PASTE);
  await page.locator('#add-review').click();
  await expect(page.locator('#add-preview-summary')).toHaveText('12 nuevos, 0 ya guardados, 0 revisiones, 2 rechazados. Una línea omitida (encabezado, título, nota o resumen).');
  await expect(page.locator('#add-preview-table tr[data-state="new"]')).toHaveCount(12);
  const refused = page.locator('#add-preview-table tr[data-state="refused"]');
  await expect(refused).toHaveCount(2);
  await expect(refused.nth(0)).toContainText('línea 14');
  await expect(refused.nth(0)).toContainText('mes no válido');
  await expect(refused.nth(1)).toContainText('línea 15');
  await expect(refused.nth(1)).toContainText('abc');
  // 1.309,0 is 1309 CLP: inserted, and flagged as far from the stored range.
  await expect(page.locator('#add-preview-table tr[data-month="2021-12"]')).toContainText('1.309,00');
  await expect(page.locator('#add-report .file-report[data-source="milk_price"]')).toHaveAttribute('data-insert', '12');

  await page.locator('#add-insert').click();
  await expect(page.locator('#add-status')).toContainText('Listo');
  // …and the same query, back in the same tab with no reload, is answered
  // from the months just added: the page follows the data as they arrive.
  await open(page, '#/?q=2022-03');
  await expect(page.locator('#results tr[data-month="2022-03"]')).toHaveCount(1);
  await expect(page.locator('#error')).toBeEmpty();
  await expect(page.locator('#catch-up')).toHaveCount(0);

  await open(page, '#/datos');
  await expect(page.locator('#batches tr[data-batch]')).toHaveCount(1);
  await open(page, '#/');
  await expect(page.locator('#headline')).toHaveAttribute('data-month', '2022-03');
  await expect(page.locator('#fan-table tbody tr').first()).toHaveAttribute('data-month', '2022-03');
  await expect(page.locator('#data-age')).toContainText('febrero de 2022');
  await page.reload();
  await expect(page.locator('#headline')).toHaveAttribute('data-month', '2022-03');

  await open(page, '#/datos');
  await reveal(page, '#batches button.undo');
  await page.locator('#batches button.undo').click();
  await page.locator('#confirm-undo').click();
  await expect(page.locator('#batch-status')).toContainText('deshecha');
  const after = await tables(page);
  for (const t of ['rainfall', 'central_bank', 'milk_price']) expect(after[t], t).toEqual(shipped[t]);
  await open(page, '#/');
  await expect(page.locator('#headline')).toHaveAttribute('data-month', '2021-03');
});

test('a home page showing a refused month answers it once another tab adds the prices, untouched', async ({ page }) => {
  await open(page, '#/');
  await page.locator('#query').fill('2022-03');
  await page.locator('#predict').click();
  await expect(page.locator('#catch-up')).toContainText('falta el precio de marzo de 2021');

  const other = await page.context().newPage();
  await open(other, '#/datos');
  await other.locator('#paste-box').fill(PASTE);
  await other.locator('#add-review').click();
  await other.locator('#add-insert').click();
  await expect(other.locator('#add-status')).toContainText('Listo');
  await other.close();

  await expect(page.locator('#results tr[data-month="2022-03"] td.horizon')).toHaveText('h = 1');
  await expect(page.locator('#error')).toBeEmpty();
  await expect(page.locator('#catch-up')).toHaveCount(0);
  expect(page.url()).toMatch(/#\/\?q=2022-03/);
});

test('a table of months by years, as a bulletin prints it, is read cell by cell and inserts the same months', async ({ page }) => {
  await open(page, '#/datos');
  const table = [
    'Mes\t2021\t2022',
    'Enero\t\t310,2',
    'Febrero\t\t311',
    'Marzo\t300,5\t',
    'Abril\t301.2\t',
    'Mayo\t$ 302,75\t',
    'Junio\t303\t',
    'Julio\t304,1\t',
    'Agosto\t305\t',
    'Septiembre\t306,4\t',
    'Octubre\t307\t',
    'Noviembre\t308,5\t',
    'Diciembre\t1.309,0\t',
    'Promedio\t329,6\t310,6',
  ].join('\n');
  await page.locator('#paste-box').fill(table);
  await page.locator('#add-review').click();
  await expect(page.locator('#add-preview-summary')).toHaveText('12 nuevos, 0 ya guardados, 0 revisiones, 0 rechazados. 2 líneas omitidas (encabezados, títulos, notas o resúmenes).');
  await expect(page.locator('#add-preview-table tr[data-month="2022-02"] th')).toHaveText('línea 3, 2022');
  // «Promedio» is no month: left out, not refused.
  await expect(page.locator('#add-preview-table tr[data-state="omitted"]').last()).toContainText('fila de resumen');
  await page.locator('#add-insert').click();
  await expect(page.locator('#add-status')).toContainText('Listo');
  const fromTable = (await tables(page)).milk_price;

  // The same store as the twelve months pasted as lines.
  await reveal(page, '#batches button.undo');
  await page.locator('#batches button.undo').click();
  await page.locator('#confirm-undo').click();
  await expect(page.locator('#batch-status')).toContainText('deshecha');
  await page.locator('#paste-box').fill(PASTE);
  await page.locator('#add-review').click();
  await page.locator('#add-insert').click();
  await expect(page.locator('#add-status')).toContainText('Listo');
  expect((await tables(page)).milk_price).toEqual(fromTable);
  await open(page, '#/');
  await expect(page.locator('#headline')).toHaveAttribute('data-month', '2022-03');
});

test('the grid: a month typed with a gap after the data is allowed and the gap said', async ({ page }) => {
  await open(page, '#/datos');
  await page.locator('#add-grid input.grid-month').first().fill('2021-06');
  await page.locator('#add-grid input.grid-price').first().fill('305,5');
  await page.locator('#add-review').click();
  await expect(page.locator('#add-preview-table tr[data-state="new"] th')).toHaveText('cuadrícula, fila 1');
  await expect(page.locator('#add-report')).toContainText('Faltan 3 meses entre el último precio guardado (2021-02) y el primero agregado (2021-06)');
  await page.locator('#add-cancel').click();
  await expect(page.locator('#add-report')).toHaveCount(0);
});

test('the same twelve months as .xlsx, .ods and .xls give the same store as pasted', async ({ page }) => {
  test.setTimeout(180_000);
  const path = require('node:path');
  const fixtures = path.join(__dirname, '..', '..', 'tests', 'fixtures');
  // The fixtures' prices (scripts/spreadsheets.py) are the pasted ones, with 2021-12 at 1.309,0.
  await open(page, '#/datos');
  const shipped = await tables(page);
  await page.locator('#paste-box').fill(PASTE);
  await page.locator('#add-review').click();
  await page.locator('#add-insert').click();
  await expect(page.locator('#add-status')).toContainText('Listo');
  const pasted = await tables(page);

  const undo = async () => {
    await reveal(page, '#batches button.undo');
    await page.locator('#batches button.undo').first().click();
    await page.locator('#confirm-undo').click();
    await expect(page.locator('#batch-status')).toContainText('deshecha');
    expect((await tables(page)).milk_price).toEqual(shipped.milk_price);
  };
  await undo();
  for (const ext of ['xlsx', 'ods', 'xls']) {
    await page.locator('#upload-files').setInputFiles(path.join(fixtures, `precios_2021-03_2022-02.${ext}`));
    const report = page.locator('#upload-report .file-report[data-source="milk_price"]');
    await expect(report, ext).toHaveAttribute('data-insert', '12');
    await expect(report.locator('h3')).toContainText(`precios_2021-03_2022-02.${ext}, hoja «Precios»`);
    if (ext === 'xlsx') await expect(page.locator('#upload-report')).toContainText('hoja «Notas»: sin tabla de precios ni encabezado reconocido, se omite');
    await page.locator('#insert').click();
    await expect(page.locator('#upload-status')).toContainText('Listo');
    expect((await tables(page)).milk_price, ext).toEqual(pasted.milk_price);
    await undo();
  }
});

test('a protected workbook is refused naming the file, and nothing is written', async ({ page }) => {
  const path = require('node:path');
  await open(page, '#/datos');
  const before = await tables(page);
  await page.locator('#upload-files').setInputFiles(path.join(__dirname, '..', '..', 'tests', 'fixtures', 'protegida.xlsx'));
  await expect(page.locator('#upload-refused')).toContainText('protegida.xlsx: la planilla está protegida con contraseña');
  expect(await tables(page)).toEqual(before);
});
