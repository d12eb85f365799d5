#!/usr/bin/env python3
"""Writes the spreadsheet fixtures in tests/fixtures/ (run by hand; the files are committed).

The same twelve milk prices, 2021-03 … 2022-02, in the formats publishers'
downloads come in, each written by a library independent of the one that
reads them (calamine): openpyxl (.xlsx, dates in the 1904 system), odfpy
(.ods), xlwt (.xls, BIFF8, 1900 system); plus the challenge's own
precio_leche layout in an .xlsx, and a password-protected copy
(msoffcrypto-tool) to check the refusal.

    python3 -m venv /tmp/ss && /tmp/ss/bin/pip install -r scripts/requirements-spreadsheets.txt
    /tmp/ss/bin/python scripts/spreadsheets.py
"""
import datetime as dt
import io
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
MONTHS = [dt.date(2021, 3, 1) + dt.timedelta(days=31 * i) for i in range(12)]
MONTHS = [d.replace(day=1) for d in MONTHS]
PRICES = [300.5, 301.2, 302.75, 303.0, 304.1, 305.0, 306.4, 307.0, 308.5, 1309.0, 310.2, 311.0]
SPANISH = ["Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sep", "Oct", "Nov", "Dic"]
STEM = "precios_2021-03_2022-02"


def xlsx(path, epoch_1904):
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.Workbook()
    if epoch_1904:
        wb.epoch = CALENDAR_MAC_1904
    notes = wb.active
    notes.title = "Notas"
    notes["A1"] = "Precio a productor, CLP por litro, sin IVA. Fuente: ODEPA."
    sheet = wb.create_sheet("Precios")
    sheet.append(["Mes", "Precio"])
    for month, price in zip(MONTHS, PRICES):
        sheet.append([month, price])
        sheet.cell(row=sheet.max_row, column=1).number_format = "mmm-yyyy"
    wb.save(path)


def xlsx_original(path):
    import openpyxl

    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "precio_leche"
    sheet.append(["Anio", "Mes", "Precio_leche"])
    for month, price in zip(MONTHS, PRICES):
        sheet.append([month.year, SPANISH[month.month - 1], price])
    wb.save(path)


def ods(path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Precios")

    def text_cell(value):
        cell = TableCell(valuetype="string")
        cell.addElement(P(text=value))
        return cell

    header = TableRow()
    header.addElement(text_cell("Mes"))
    header.addElement(text_cell("Precio"))
    table.addElement(header)
    for month, price in zip(MONTHS, PRICES):
        row = TableRow()
        date = TableCell(valuetype="date", datevalue=month.isoformat())
        date.addElement(P(text=month.strftime("%m/%Y")))
        row.addElement(date)
        number = TableCell(valuetype="float", value=str(price))
        number.addElement(P(text=str(price)))
        row.addElement(number)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


def xls(path):
    import xlwt

    wb = xlwt.Workbook()
    sheet = wb.add_sheet("Precios")
    style = xlwt.easyxf(num_format_str="MMM-YYYY")
    sheet.write(0, 0, "Mes")
    sheet.write(0, 1, "Precio")
    for i, (month, price) in enumerate(zip(MONTHS, PRICES), start=1):
        sheet.write(i, 0, dt.datetime(month.year, month.month, 1), style)
        sheet.write(i, 1, price)
    wb.save(str(path))


def protected(source, path):
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with open(source, "rb") as f:
        office = OOXMLFile(f)
        office.encrypt("leche", out)
    path.write_bytes(out.getvalue())


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    xlsx(OUT / f"{STEM}.xlsx", epoch_1904=True)
    ods(OUT / f"{STEM}.ods")
    xls(OUT / f"{STEM}.xls")
    xlsx_original(OUT / "precio_leche_original.xlsx")
    protected(OUT / f"{STEM}.xlsx", OUT / "protegida.xlsx")
    for p in sorted(OUT.iterdir()):
        print(f"{p.name}: {p.stat().st_size} bytes")


if __name__ == "__main__":
    main()
