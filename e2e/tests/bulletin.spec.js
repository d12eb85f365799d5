// A bulletin as ODEPA publishes it (issue 30), dropped or pasted whole:
// title rows, months down and years across with 2026** and «Promedio» /
// «Var. %» rows, footnotes; the regional workbook with a nominal and a real
// sheet. Leche finds the national nominal series, says which sheet, column
// and rows it read, offers the others (a real one never taken silently),
// warns when revisions all go one way, and inserts exactly what it said.
// The workbooks are tests/fixtures/boletin_*.xlsx (scripts/spreadsheets.py:
// the shipped prices to 2021-02, invented ones to 2026-10).
'use strict';
const path = require('node:path');
const { test, expect, open, storeRecords } = require('../lib/fixtures');

const FIXTURES = path.join(__dirname, '..', '..', 'tests', 'fixtures');
const prices = async (page) => (await storeRecords(page, ['milk_price'])).milk_price;
/** The stored row of `month` ("YYYY-MM" keys, rows as arrays of numbers). */
const row = (records, month) => records.find(([k]) => k === month)?.[1];

test('the national bulletin dropped whole: its table under the titles is read, said, inserted, and the home page forecasts from 2026-10', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page, '#/datos');
  // The picker in the page's words, whatever the browser's language; then the file chosen.
  const picker = page.locator('.dropzone .file-picker');
  await expect(picker).toContainText('Elegir archivos');
  await expect(picker.locator('.file-chosen')).toHaveText('Ningún archivo elegido');
  await page.locator('#upload-files').setInputFiles(path.join(FIXTURES, 'boletin_nacional.xlsx'));
  await expect(picker.locator('.file-chosen')).toHaveText('Elegido: boletin_nacional.xlsx');
  const read = page.locator('#upload-report .series-read');
  await expect(read).toContainText('boletin_nacional.xlsx: se leyó hoja «Precio nacional», tabla de meses por años (2020 a 2026**), filas 5–16: 82 meses, 2020-01 a 2026-10.');
  // One series: no choice to offer.
  await expect(page.locator('#upload-report select')).toHaveCount(0);
  const report = page.locator('#upload-report .file-report[data-source="milk_price"]');
  await expect(report).toHaveAttribute('data-insert', '68');
  await expect(report).toHaveAttribute('data-present', '14');
  await expect(report).toHaveAttribute('data-conflicts', '0');
  await page.locator('#insert').click();
  await expect(page.locator('#upload-status')).toContainText('Listo');
  await open(page, '#/');
  await expect(page.locator('#headline')).toHaveAttribute('data-month', '2026-11');
  await expect(page.locator('#data-age')).toContainText('octubre de 2026');
});

test('a workbook dropped on the zone is read as a picked one, and the line beside the button names it', async ({ page }) => {
  await open(page, '#/datos');
  await expect(page.locator('#upload-files')).toBeEnabled({ timeout: 30_000 });
  const bytes = [...require('node:fs').readFileSync(path.join(FIXTURES, 'boletin_nacional.xlsx'))];
  await page.evaluate((data) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(data)], 'boletin_nacional.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
    document.querySelector('.dropzone').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, bytes);
  await expect(page.locator('.dropzone .file-chosen')).toHaveText('Elegido: boletin_nacional.xlsx');
  await expect(page.locator('#upload-report .series-read')).toContainText('boletin_nacional.xlsx: se leyó hoja «Precio nacional»');
});

test('the regional workbook: the nominal national column by default, the real one only when chosen and said', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page, '#/datos');
  const before = await prices(page);
  await page.locator('#upload-files').setInputFiles(path.join(FIXTURES, 'boletin_regional.xlsx'));
  const read = page.locator('#upload-report .series-read');
  await expect(read).toContainText('se leyó hoja «4A nominal», columna «Nacional», filas 3–38: 34 meses, 2024-01 a 2026-10.');
  const select = page.locator('#upload-series-0');
  await expect(select.locator('option')).toHaveCount(12);
  // Grouped by sheet, each option only its column: a phone's select shows it whole.
  await expect(select.locator('optgroup')).toHaveCount(2);
  expect(await select.locator('optgroup').evaluateAll((gs) => gs.map((g) => g.label))).toEqual(['Hoja «4A nominal»', 'Hoja «4B real»']);
  await expect(select.locator('optgroup[label="Hoja «4A nominal»"] option:checked')).toHaveText('columna «Nacional»');
  await expect(select.locator('option').last()).toHaveText('columna «Nacional» — precios reales');
  // The sheet with no table is named.
  await expect(page.locator('#upload-report')).toContainText('hoja «Portada»: sin tabla de precios ni encabezado reconocido, se omite');

  // Choosing the real national column reads the file again with it: nothing written yet.
  await select.selectOption({ label: 'columna «Nacional» — precios reales' });
  await expect(read).toContainText('se leyó hoja «4B real», columna «Nacional» (precios reales, elegidos por usted)');
  await expect(page.locator('#upload-series-0 option:checked')).toHaveText('columna «Nacional» — precios reales');
  expect(await prices(page)).toEqual(before);
  // A region, then back to the national column.
  await page.locator('#upload-series-0').selectOption({ label: 'columna «Los Ríos»' });
  await expect(read).toContainText('se leyó hoja «4A nominal», columna «Los Ríos»');
  await page.locator('#upload-series-0').selectOption({ label: 'columna «Nacional»' });
  await expect(read).toContainText('se leyó hoja «4A nominal», columna «Nacional»');
  await page.locator('#cancel-upload').click();
  expect(await prices(page)).toEqual(before);
});

test('after the nominal bulletin, the real table brings revisions all one way: «¿precios reales?», the stored prices kept', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page, '#/datos');
  await page.locator('#upload-files').setInputFiles(path.join(FIXTURES, 'boletin_nacional.xlsx'));
  await page.locator('#insert').click();
  await expect(page.locator('#upload-status')).toContainText('Listo');
  const nominal = await prices(page);

  await page.locator('#upload-files').setInputFiles(path.join(FIXTURES, 'boletin_regional.xlsx'));
  await page.locator('#upload-series-0').selectOption({ label: 'columna «Nacional» — precios reales' });
  const report = page.locator('#upload-report');
  await expect(report).toContainText('¿Son precios reales? Leche guarda precios nominales');
  await expect(report.locator('.file-report[data-source="milk_price"]')).toHaveAttribute('data-conflicts', '33');
  // Nothing new to insert; the revisions are kept as stored unless replaced.
  await expect(page.locator('#upload-summary')).toHaveAttribute('data-writes', '0');
  await expect(page.locator('#insert')).toBeDisabled();
  await page.locator('#cancel-upload').click();
  expect(await prices(page)).toEqual(nominal);
});

/** The national table as someone selects it in the bulletin and copies it:
 * title rows, the header with 2026**, «Promedio», «Var. %», footnotes. */
const COPIED = [
  'Precio de la leche cruda pagado a productores',
  'Nominal, $/litro sin IVA',
  '',
  'Mes\t2021\t2022\t2026**',
  'Enero\t\t310,2\t401,5',
  'Febrero\t\t311\t403',
  'Marzo\t300,5\t312,4\t',
  'Abril\t301,2\t313\t',
  'Promedio\t300,9\t311,7\t402,3',
  'Var. %\t\t3,6\t',
  '',
  '** Cifras provisorias: enero y febrero.',
  'Fuente: ODEPA con información de las plantas lecheras.',
].join('\n');

test('a bulletin table copied whole into «Agregar meses»: titles, summaries and notes left out, every month read', async ({ page }) => {
  await open(page, '#/datos');
  await page.locator('#paste-box').fill(COPIED);
  await page.locator('#add-review').click();
  await expect(page.locator('#add-preview-summary')).toHaveText('8 nuevos, 0 ya guardados, 0 revisiones, 0 rechazados. 7 líneas omitidas (encabezados, títulos, notas o resúmenes).');
  await expect(page.locator('#add-report .series-read')).toContainText('Texto pegado: se leyó tabla de meses por años (2021 a 2026**), líneas 5–8: 8 meses, 2021-03 a 2026-02.');
  await expect(page.locator('#add-preview-table tr[data-month="2026-02"] th')).toHaveText('línea 6, 2026**');
  await expect(page.locator('#add-preview-table tr[data-state="omitted"]').first()).toContainText('texto (título o nota), se omite');
  await page.locator('#add-insert').click();
  await expect(page.locator('#add-status')).toContainText('Listo');
  const stored = await prices(page);
  expect(row(stored, '2026-02')).toEqual([403]);
  expect(row(stored, '2021-03')).toEqual([300.5]);
});

test('a repeated month whose first line is refused keeps the line that was read', async ({ page }) => {
  await open(page, '#/datos');
  await page.locator('#paste-box').fill('2022-01\t0,5\n2022-01\t300');
  await page.locator('#add-review').click();
  await expect(page.locator('#add-preview-summary')).toHaveText('1 nuevos, 0 ya guardados, 0 revisiones, 1 rechazados.');
  await expect(page.locator('#add-preview-table tr[data-state="new"] th')).toHaveText('línea 2');
  await expect(page.locator('#add-preview-table')).not.toContainText('se conserva la línea 1');
});
