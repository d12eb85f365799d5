//! Bulletins laid out as ODEPA lays out its tables (invented prices: the
//! layouts are what is tested).

use super::*;
use crate::data::sheet::Sheet;

fn today() -> Month {
    Month::new(2026, 11).expect("month")
}

fn m(s: &str) -> Month {
    s.parse().expect("month")
}

fn sheet(name: Option<&str>, text: &str) -> Sheet {
    Sheet { name: name.map(String::from), ..Sheet::from_pasted(text) }
}

fn labels(found: &Found) -> Vec<String> {
    found.series().into_iter().filter_map(|s| found.option(s)).map(|o| o.label()).collect()
}

/// The national table as published: two title rows, months down, years
/// across (the current one marked), «Promedio» and «Var. %» rows, footnotes.
const NATIONAL: &str = "Precio de la leche cruda pagado a productor\n\
    Nominal, $/litro sin IVA\n\
    \n\
    Mes\t2024\t2025\t2026**\n\
    Enero\t345,6\t360,1\t371,2\n\
    Febrero\t350\t362,4\t375\n\
    Marzo\t352,1\t365\t\n\
    Promedio\t349,2\t362,5\t373,1\n\
    Var. %\t\t3,8\t2,9\n\
    \n\
    ** Cifras provisorias.\n\
    Fuente: ODEPA con información de las plantas lecheras.\n";

#[test]
fn a_national_table_with_titles_and_footnotes_is_found_and_read() {
    let found = find(vec![sheet(None, NATIONAL)]);
    assert_eq!(labels(&found), vec!["tabla de meses por años (2024 a 2026**)".to_string()]);
    assert_eq!(found.sheets[0].tables[0].measure, Measure::Nominal);
    let r = found.read(found.default_series().expect("a default"), "boletin", today()).expect("read");
    assert_eq!(r.file.rows.len(), 8);
    assert_eq!(r.file.rows.get(&m("2026-02")), Some(&vec![375.0]));
    assert_eq!(r.file.rows.get(&m("2024-03")), Some(&vec![352.1]));
    assert_eq!(r.extent(), "líneas 5–7: 8 meses, 2024-01 a 2026-02");
    let kinds: Vec<&RowKind> = found.sheets[0].tables[0].rows.iter().map(|(_, k)| k).collect();
    assert!(matches!(kinds.as_slice(), [RowKind::Header, RowKind::Cells(_), RowKind::Cells(_), RowKind::Cells(_), RowKind::Summary, RowKind::Summary]), "{kinds:?}");
    assert_eq!(found.sheets[0].loose.iter().filter(|(_, k)| *k == RowKind::Note).count(), 4, "two titles, two footnotes");
}

/// The regional workbook's sheet: Año · Mes · regions · Nacional, the year
/// once per block, a total row per year.
const REGIONAL: &str = "Cuadro 4A. Precio nominal a productor por región ($/litro)\n\
    Año\tMes\tLos Ríos\tLos Lagos\tNacional\n\
    2025\tNoviembre\t340\t338,5\t341,2\n\
    \tDiciembre\t342\t341\t343,9\n\
    Total 2025\t\t341\t339,8\t342,6\n\
    2026**\tEnero\t350\t348\t351,5\n\
    \tFebrero\t\t349\t352\n";

#[test]
fn a_regional_table_gives_the_national_column_by_default_and_the_regions_as_options() {
    let found = find(vec![sheet(Some("4A nominal"), REGIONAL)]);
    assert_eq!(labels(&found), vec![
        "hoja «4A nominal», columna «Los Ríos»".to_string(),
        "hoja «4A nominal», columna «Los Lagos»".to_string(),
        "hoja «4A nominal», columna «Nacional»".to_string(),
    ]);
    assert_eq!(found.default_series(), Some(2));
    let r = found.read(2, "regional.xlsx, hoja «4A nominal»", today()).expect("read");
    let got: Vec<(Month, f64)> = r.file.rows.iter().map(|(m, v)| (*m, v[0])).collect();
    assert_eq!(got, vec![(m("2025-11"), 341.2), (m("2025-12"), 343.9), (m("2026-01"), 351.5), (m("2026-02"), 352.0)]);
    assert_eq!(r.extent(), "líneas 3–7: 4 meses, 2025-11 a 2026-02");
    // A region: its empty cell is a month not published, skipped silently.
    let r = found.read(0, "x", today()).expect("read");
    assert_eq!(r.file.rows.keys().copied().collect::<Vec<_>>(), vec![m("2025-11"), m("2025-12"), m("2026-01")]);
}

#[test]
fn a_real_table_is_never_taken_silently() {
    let real = "Precio real a productor ($ de octubre de 2026)\nMes\t2025\t2026\nEnero\t380\t390\n";
    let found = find(vec![sheet(None, real)]);
    assert_eq!(found.sheets[0].tables[0].measure, Measure::Real);
    assert_eq!(found.default_series(), None, "only a real table: the user must choose it");
    // Nominal and real on one sheet, real first: the nominal one is taken.
    let both = format!("{real}\nPrecio nominal a productor\nMes\t2025\t2026\nEnero\t340\t355\n** provisorio\n");
    let found = find(vec![sheet(None, &both)]);
    let measures: Vec<Measure> = found.sheets[0].tables.iter().map(|t| t.measure).collect();
    assert_eq!(measures, vec![Measure::Real, Measure::Nominal]);
    assert_eq!(found.default_series(), Some(1));
    // Two sheets named by what they hold, as the regional workbook's.
    let found = find(vec![sheet(Some("Portada"), "Boletín de la leche\nOctubre de 2026\n"), sheet(Some("4A nominal"), REGIONAL), sheet(Some("4B real"), &REGIONAL.replace("nominal", "real"))]);
    assert_eq!(found.sheets[2].tables[0].measure, Measure::Real);
    assert_eq!(found.default_series(), Some(2), "the nominal sheet's national column");
    assert!(found.sheets[0].tables.is_empty());
}

#[test]
fn regions_without_a_national_column_wait_for_the_users_choice() {
    let found = find(vec![sheet(None, "Mes\tLos Ríos\tLos Lagos\nene-2026\t340\t338\n")]);
    assert_eq!(found.series().len(), 2);
    assert_eq!(found.default_series(), None);
    let one = find(vec![sheet(None, "Mes\tPrecio\nene-2026\t340\n")]);
    assert_eq!(one.default_series(), Some(0));
}

#[test]
fn a_table_of_years_by_months_with_marks_and_short_names() {
    let text = "Año\tEne\tFeb\tMar\tAbr\tMay\tJun\tJul\tAgo\tSept.\tOct\tNov\tDic\n2025\t301\t302\t303\t304\t305\t306\t307\t308\t309\t0,5\t311\t312\n2026 (p)\t310\t\t\t\t\t\t\t\t\t\t\t\n";
    let found = find(vec![sheet(None, text)]);
    let r = found.read(0, "x", today()).expect("read");
    assert_eq!(r.file.rows.get(&m("2025-09")), Some(&vec![309.0]));
    assert_eq!(r.file.rows.get(&m("2026-01")), Some(&vec![310.0]));
    // A price under 1 CLP is out of bounds: skipped, and said.
    assert_eq!((r.file.rows.len(), r.file.skipped_total), (12, 1));
}

#[test]
fn a_csv_bulletin_reads_like_its_paste() {
    let csv = NATIONAL.replace('\t', ";");
    let from_csv = find(vec![Sheet::from_csv(&csv)]);
    let from_paste = find(vec![sheet(None, NATIONAL)]);
    let read = |f: &Found| f.read(0, "x", today()).expect("read").file.rows;
    assert_eq!(read(&from_csv), read(&from_paste));
    assert_eq!(from_csv.sheets[0].rows_are, RowWord::Row);
}

#[test]
fn a_grid_row_names_its_month_and_a_stray_number_is_refused() {
    let found = find(vec![sheet(None, "Mes\t2025\nEnero\t310\nEnerox\t300\n")]);
    let rows = &found.sheets[0].tables[0].rows;
    assert!(matches!(&rows[2].1, RowKind::Refused { cell, problem: LineProblem::NotATableLabel { .. } } if cell == "Enerox"), "{rows:?}");
}

#[test]
fn a_header_with_no_month_under_it_is_no_table() {
    let found = find(vec![sheet(None, "Anio\tMes\tPrecio_leche\n")]);
    assert!(found.series().is_empty());
    assert_eq!(found.sheets[0].loose, vec![(Row::line(1), RowKind::Note)]);
}
