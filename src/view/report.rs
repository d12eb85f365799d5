//! What the data page shows before «Insertar» for files picked or dropped:
//! the library's upload report ([`leche_core::data::upload::report`], the
//! one the trainer prints). Months typed or pasted have theirs in
//! [`crate::view::paste_preview`].
//!
//! Files are read by the library's one reader ([`incoming`]), with the
//! user's choice of series per file ([`Choices`]): choosing another series
//! reads the files again with it, so the report always describes exactly
//! what «Insertar» would write.

use std::collections::BTreeMap;

use leche_core::data::clean::MAX_FILE_BYTES;
use leche_core::data::incoming::{self, Incoming, IncomingError};
use leche_core::data::upload::report;
use leche_core::{Database, Month};

pub use leche_core::data::upload::report::{months_text, summary_text, FileReport, Prepared, Report};

/// The most files one upload takes (one per source).
pub const MAX_FILES: usize = 3;

/// The series the user chose, per file name (a paste is [`PASTE_NAME`]);
/// a file not named takes its default series.
pub type Choices = BTreeMap<String, usize>;

/// Reads, cleans and plans `files` (name, bytes) against `db`: CSV files
/// and text, not workbooks (whose reader only the worker links). `today` is
/// the browser's current month (`None` when its clock is outside the years
/// a month can have: then no upload can say which months are observed).
pub fn prepare(db: &Database, files: &[(String, Vec<u8>)], today: Option<Month>, choices: &Choices) -> Prepared {
    prepare_by(db, files, today, choices, incoming::read_text)
}

/// [`prepare`], with workbooks (`.xlsx`, `.xls`, `.ods`) read too. Only the
/// worker calls it: it is what links calamine.
pub fn prepare_with_workbooks(db: &Database, files: &[(String, Vec<u8>)], today: Option<Month>, choices: &Choices) -> Prepared {
    prepare_by(db, files, today, choices, incoming::read)
}

type ReadFile = fn(&str, &[u8], Month) -> Result<Incoming, IncomingError>;

fn prepare_by(db: &Database, files: &[(String, Vec<u8>)], today: Option<Month>, choices: &Choices, read: ReadFile) -> Prepared {
    let Some(today) = today else {
        return Prepared::refused("La fecha de este equipo no es válida: corríjala para saber qué meses ya se observaron.");
    };
    if files.is_empty() {
        return Prepared::refused("Elija entre uno y tres archivos (CSV o planillas .xlsx, .xls, .ods).");
    }
    if files.len() > MAX_FILES {
        return Prepared::refused(format!("Se eligieron {} archivos; suba como máximo {MAX_FILES}, uno por fuente.", files.len()));
    }
    let (mut cleaned, mut series, mut notes, mut reasons) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (name, bytes) in files {
        let taken = read(name, bytes, today).map_err(|e| e.to_string()).and_then(|i| i.take(choices.get(name).copied(), today).map_err(|e| format!("{name}: {e}")));
        match taken {
            Ok(t) => {
                cleaned.extend(t.files);
                series.extend(t.series);
                notes.extend(t.notes);
            }
            Err(reason) => reasons.push(format!("Archivo rechazado: {reason}.")),
        }
    }
    if !reasons.is_empty() {
        reasons.push("No se escribió nada: corrija o quite los archivos rechazados.".into());
        return Report::Refused { reasons }.into();
    }
    let mut prepared = report::prepare(db, &cleaned, series);
    if let Report::Ready { notes: report_notes, .. } = &mut prepared.report {
        report_notes.extend(notes);
    }
    prepared
}

/// The size limit, for the page's help text.
pub fn size_limit_text() -> String {
    format!("{} MB por archivo", MAX_FILE_BYTES / (1024 * 1024))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use leche_core::data::upload::report::LISTED;

    fn today() -> Option<Month> {
        "2026-11".parse().ok()
    }

    fn none() -> Choices {
        Choices::new()
    }

    fn file(name: &str, text: &str) -> (String, Vec<u8>) {
        (name.to_string(), text.as_bytes().to_vec())
    }

    #[test]
    fn a_bad_file_refuses_the_whole_upload_naming_file_row_and_column() {
        let db = Database::default();
        let r = prepare(&db, &[file("p.csv", "Anio,Mes,Precio_leche\n2020,Ene,abc\n")], today(), &none()).report;
        let Report::Refused { reasons } = r else { panic!("refused expected") };
        assert!(reasons[0].contains("p.csv") && reasons[0].contains("fila 2") && reasons[0].contains("Precio_leche"), "{reasons:?}");
        let r = prepare(&db, &[file("x.csv", "a,b\n1,2\n")], today(), &none()).report;
        assert!(matches!(r, Report::Refused { reasons } if reasons[0].contains("x.csv")));
    }

    /// Fourteen milk prices from 2020-01 (250, 251, …): the stored months the previews' tests revise.
    pub(crate) fn prices() -> Database {
        let mut db = Database::default();
        let first: Month = "2020-01".parse().expect("month");
        for i in 0..14 {
            db.milk_price.insert(first.offset(i), vec![250.0 + f64::from(i)]);
        }
        db
    }

    #[test]
    fn a_lone_rainfall_file_is_explained() {
        let db = Database::default();
        let text = "date,Coquimbo,Valparaiso,Metropolitana_de_Santiago,Libertador_Gral__Bernardo_O_Higgins,Maule,Biobio,La_Araucania,Los_Rios\n2020-05-01,1,1,1,1,1,1,1,1\n";
        let Prepared { report: Report::Ready { files, notes, writes, .. }, plan: Some(plan) } = prepare(&db, &[file("lluvia.csv", text)], today(), &none()) else { panic!("ready") };
        assert_eq!(writes, plan.writes(false));
        assert_eq!((files[0].insert.count, files[0].insert.text.as_str()), (1, "2020-05"));
        assert!(notes[0].contains("Banco Central"), "{notes:?}");
    }

    #[test]
    fn long_lists_of_flags_are_cut_but_counted() {
        let mut db = Database::default();
        db.milk_price.insert("2020-01".parse().expect("m"), vec![250.0]);
        db.milk_price.insert("2020-02".parse().expect("m"), vec![260.0]);
        let mut text = String::from("Anio,Mes,Precio_leche\n");
        for y in 1990..2000 {
            for m in leche_core::data::month::SPANISH_MONTHS {
                text.push_str(&format!("{y},{m},9000\n"));
            }
        }
        let Report::Ready { files, .. } = prepare(&db, &[file("raro.csv", &text)], today(), &none()).report else { panic!("ready") };
        assert_eq!((files[0].flags.len(), files[0].flags_total), (LISTED, 120));
        assert!(files[0].flags[0].contains("raro.csv, 1990-01"), "{:?}", files[0].flags[0]);
    }

    #[test]
    fn a_file_of_future_months_is_refused_saying_why() {
        // Regression (issue 15): 2999-01 was offered for insertion.
        let db = Database::default();
        let text = "Anio,Mes,Precio_leche\n2999,Ene,250\n2999,Feb,250\n";
        let Report::Refused { reasons } = prepare(&db, &[file("futuro.csv", text)], today(), &none()).report else { panic!("refused") };
        assert!(reasons[0].starts_with("futuro.csv: se omitieron las 2 filas"), "{reasons:?}");
        assert!(reasons[1].contains("mes futuro") && reasons[1].contains("2026-12"), "{reasons:?}");
        let Report::Refused { reasons } = prepare(&db, &[file("p.csv", "Anio,Mes,Precio_leche\n2020,Ene,250\n")], None, &none()).report else {
            panic!("no clock, no upload")
        };
        assert!(reasons[0].contains("fecha"), "{reasons:?}");
    }

    #[test]
    fn thousands_of_unreadable_cells_are_counted_not_all_listed() {
        let db = Database::default();
        let mut text = String::from("Anio,Mes,Precio_leche\n");
        for i in 0..5_000 {
            text.push_str(&format!("{},{},abc\n", 1500 + i / 12, leche_core::data::month::SPANISH_MONTHS[i % 12]));
        }
        let Report::Refused { reasons } = prepare(&db, &[file("p.csv", &text)], today(), &none()).report else { panic!("refused") };
        assert_eq!(reasons.len(), LISTED + 2);
        assert_eq!(reasons.last().map(String::as_str), Some("5.000 valores ilegibles: no se escribió nada."));
    }

    /// Two tabs planning the same month (issue 15): the re-check finds the
    /// other tab's row, and the report turns the insert into a conflict.
    #[test]
    fn a_replanned_report_shows_what_another_tab_wrote_meanwhile() {
        let db = Database::default();
        let text = "Anio,Mes,Precio_leche\n2020,Ene,100\n2020,Feb,101\n";
        let Prepared { report, plan: Some(plan) } = prepare(&db, &[file("p.csv", text)], today(), &none()) else { panic!("ready") };
        let mut other = Database::default();
        other.milk_price.insert("2020-02".parse().expect("m"), vec![105.0]);
        let recheck = plan.recheck(&other);
        assert_eq!(recheck.changed.len(), 1);
        let Report::Ready { files, writes, .. } = report.replanned(&recheck.plan) else { panic!("ready") };
        assert_eq!((files[0].insert.count, files[0].conflicts.count, writes), (1, 1, 1));
        assert_eq!(files[0].rows_read, 2);
    }

    /// A bulletin as ODEPA publishes it, saved as CSV: a nominal and a real
    /// table, titles and notes (invented prices).
    const BULLETIN: &str = "Precio de la leche a productor\n\
        Cuadro 1. Precio nominal ($/litro)\n\
        Mes;2021;2022\n\
        Enero;280,1;300,2\n\
        Febrero;282,3;305,9\n\
        Promedio;281,2;303,1\n\
        \n\
        Cuadro 2. Precio real ($ de octubre de 2026)\n\
        Mes;2021;2022\n\
        Enero;380,5;390,6\n\
        Febrero;381,2;392,8\n\
        Fuente: ODEPA.\n";

    #[test]
    fn a_bulletin_file_reads_its_nominal_table_says_so_and_offers_the_real_one() {
        let db = prices();
        let Prepared { report: Report::Ready { files, series, .. }, plan: Some(plan) } = prepare(&db, &[file("boletin.csv", BULLETIN)], today(), &none()) else { panic!("ready") };
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].text(), "boletin.csv: se leyó tabla de meses por años (2021 a 2022), filas 4–5: 4 meses, 2021-01 a 2022-02.");
        assert_eq!(series[0].options.len(), 2);
        assert_eq!((files[0].insert.text.as_str(), files[0].conflicts.count), ("2022-01 a 2022-02 (2 meses)", 2));
        assert_eq!(plan.tables[0].insert.get(&"2022-02".parse().expect("m")), Some(&vec![305.9]));
        // The real one, chosen: read, and said to be real.
        let choices = Choices::from([("boletin.csv".to_string(), 1)]);
        let Report::Ready { series, .. } = prepare(&db, &[file("boletin.csv", BULLETIN)], today(), &choices).report else { panic!("ready") };
        assert!(series[0].text().contains("(precios reales, elegidos por usted)"), "{}", series[0].text());
    }

    #[test]
    fn a_real_table_alone_reads_nothing_until_chosen() {
        let real = BULLETIN.split("\n\n").nth(1).expect("the real table");
        let Prepared { report: Report::Ready { files, series, writes, .. }, plan: None } = prepare(&prices(), &[file("real.csv", real)], today(), &none()) else { panic!("ready, no plan") };
        assert_eq!((files.len(), writes, series[0].chosen), (0, 0, None));
        assert!(series[0].text().contains("solo tiene precios reales"), "{}", series[0].text());
    }

    #[test]
    fn revisions_all_higher_suggest_real_prices_and_are_not_refused() {
        // Stored 2020-01 … 2021-02 at 250 + i; the file brings them 30 % higher.
        let rows: String = (0..14).map(|i| { let m = "2020-01".parse::<Month>().expect("m").offset(i); format!("{m}\t{}\n", (250.0 + f64::from(i)) * 1.3) }).collect();
        let Report::Ready { notes, files, .. } = prepare(&prices(), &[file("real.txt", &format!("Mes\tPrecio\n{rows}"))], today(), &none()).report else { panic!("ready") };
        assert_eq!(files[0].conflicts.count, 14);
        assert!(notes.iter().any(|n| n.contains("¿Son precios reales?") && n.contains("+30,0 %")), "{notes:?}");
        // A revision or two, either way, is a bulletin's revision: nothing said.
        let Report::Ready { notes, .. } = prepare(&prices(), &[file("rev.txt", "2020-01\t251\n2020-02\t250\n")], today(), &none()).report else { panic!("ready") };
        assert!(!notes.iter().any(|n| n.contains("reales")), "{notes:?}");
    }
}

