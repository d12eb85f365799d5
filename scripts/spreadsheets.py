#!/usr/bin/env python3
"""Writes the spreadsheet fixtures in tests/fixtures/ (run by hand; the files are committed).

The same twelve milk prices, 2021-03 … 2022-02, in the formats publishers'
downloads come in, each written by a library independent of the one that
reads them (calamine): openpyxl (.xlsx, dates in the 1904 system), odfpy
(.ods), xlwt (.xls, BIFF8, 1900 system); plus the challenge's own
precio_leche layout in an .xlsx, and a password-protected copy
(msoffcrypto-tool) to check the refusal.

And two bulletins laid out as ODEPA lays out its tables (issue 30), with
invented prices from 2021-03 on (the months before are the shipped ones,
read from data/precio_leche.csv, so a bulletin overlaps the stored data as
a real one does): boletin_nacional.xlsx (one sheet: title rows, months down
and years across, the current year marked 2026**, «Promedio» and «Var. %»
rows, footnotes) and boletin_regional.xlsx (sheets «Portada», «4A nominal»
and «4B real»: Año · Mes · five regions · Nacional, the year written once
per block; the real table is the nominal one in October 2026 pesos).

    python3 -m venv /tmp/ss && /tmp/ss/bin/pip install -r scripts/requirements-spreadsheets.txt
    /tmp/ss/bin/python scripts/spreadsheets.py              # every fixture
    /tmp/ss/bin/python scripts/spreadsheets.py bulletins    # only the two bulletins
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


MONTH_NAMES = ["Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto", "Septiembre", "Octubre", "Noviembre", "Diciembre"]
REGIONS = ["Maule", "Biobío", "La Araucanía", "Los Ríos", "Los Lagos"]


def bulletin_prices():
    """(year, month) -> nominal national price: the shipped prices of 2020-01 …
    2021-02, then 68 invented months to 2026-10 (a seasonal path with a
    drift, rounded to cents as bulletins print them)."""
    import csv
    import math

    data = Path(__file__).resolve().parent.parent / "data" / "precio_leche.csv"
    prices = {}
    with open(data, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            year, month = int(row["Anio"]), SPANISH.index(row["Mes"]) + 1
            if (year, month) >= (2020, 1):
                prices[(year, month)] = float(row["Precio_leche"])
    level = prices[(2021, 2)]
    year, month = 2021, 3
    for i in range(68):
        season = 6.0 * math.sin(2 * math.pi * (month - 4) / 12)
        prices[(year, month)] = round(level * (1.0055 ** (i + 1)) + season, 2)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return prices


def cpi_factor(year, month):
    """Invented deflator to October 2026 pesos: 4 % a year."""
    months_before = (2026 - year) * 12 + (10 - month)
    return 1.04 ** (months_before / 12)


def bulletin_national(path):
    import openpyxl

    prices = bulletin_prices()
    years = list(range(2020, 2027))
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Precio nacional"
    sheet.append(["Precio de la leche cruda pagado a productores"])
    sheet.append(["Nominal, $/litro sin IVA"])
    sheet.append([])
    sheet.append(["Mes"] + [f"{y}**" if y == 2026 else y for y in years])
    for month in range(1, 13):
        sheet.append([MONTH_NAMES[month - 1]] + [prices.get((y, month)) for y in years])
    averages = []
    for y in years:
        values = [prices[(y, m)] for m in range(1, 13) if (y, m) in prices]
        averages.append(round(sum(values) / len(values), 2))
    sheet.append(["Promedio"] + averages)
    sheet.append(["Var. %", None] + [round(100 * (b / a - 1), 1) for a, b in zip(averages, averages[1:])])
    sheet.append([])
    sheet.append(["** Cifras provisorias: enero a octubre."])
    sheet.append(["Fuente: ODEPA con información de las plantas lecheras."])
    wb.save(path)


def bulletin_regional(path):
    import openpyxl

    prices = bulletin_prices()
    # Each region a steady share of the national price, as regional prices move together.
    shares = [0.97, 0.99, 1.01, 1.02, 1.005]
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Portada"
    cover.append(["Boletín de la leche"])
    cover.append(["Precios a productor por región, octubre de 2026"])
    for title, real in (("4A nominal", False), ("4B real", True)):
        sheet = wb.create_sheet(title)
        what = "Precio real ($ de octubre de 2026 por litro)" if real else "Precio nominal ($/litro)"
        sheet.append([f"Cuadro {title[:2]}. {what}, por región"])
        sheet.append(["Año", "Mes"] + REGIONS + ["Nacional"])
        for year in range(2024, 2027):
            months = [m for m in range(1, 13) if (year, m) in prices]
            for k, month in enumerate(months):
                national = prices[(year, month)] * (cpi_factor(year, month) if real else 1.0)
                label = (f"{year}**" if year == 2026 else year) if k == 0 else None
                row = [label, MONTH_NAMES[month - 1]] + [round(national * s, 2) for s in shares] + [round(national, 2)]
                sheet.append(row)
            sheet.append([f"Total {year}", None] + [None] * len(REGIONS) + [None])
        sheet.append(["** Cifras provisorias."])
    wb.save(path)


def protected(source, path):
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with open(source, "rb") as f:
        office = OOXMLFile(f)
        office.encrypt("leche", out)
    path.write_bytes(out.getvalue())


def main():
    import sys

    OUT.mkdir(parents=True, exist_ok=True)
    bulletin_national(OUT / "boletin_nacional.xlsx")
    bulletin_regional(OUT / "boletin_regional.xlsx")
    if sys.argv[1:] == ["bulletins"]:
        return
    xlsx(OUT / f"{STEM}.xlsx", epoch_1904=True)
    ods(OUT / f"{STEM}.ods")
    xls(OUT / f"{STEM}.xls")
    xlsx_original(OUT / "precio_leche_original.xlsx")
    protected(OUT / f"{STEM}.xlsx", OUT / "protegida.xlsx")
    for p in sorted(OUT.iterdir()):
        print(f"{p.name}: {p.stat().st_size} bytes")


if __name__ == "__main__":
    main()
