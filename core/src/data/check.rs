//! One validation for every way data comes in (SPEC §6): an upload's plan,
//! a backup's tables and batches, a new deploy's shipped tables, batches
//! read back from the browser's store before they are undone or re-applied.
//! Each is checked against the same rules before anything is written:
//! every row as wide as its table, every month one that can be written as
//! `YYYY-MM` (years 1000–9999), every value finite and within its column's
//! physical bounds ([`crate::data::bounds`]); batch records also against each
//! other and the tables they claim to have written.
//!
//! Problems are collected, not thrown at the first, so a refusal names them;
//! past [`MAX_LISTED`] only the count grows (a damaged 100,000-row backup
//! must not build a 100,000-line message).

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::data::bounds::ValueProblem;
use crate::data::clean::echo;
use crate::data::month::Month;
use crate::data::source::Source;
use crate::data::tables::Database;
use crate::data::upload::{Batch, Plan, WriteKind};

/// How many problems are kept in detail.
pub const MAX_LISTED: usize = 100;

/// How many problems a message spells out.
const SHOWN: usize = 5;

/// Batch keys must be below this (2^31). The browser's store numbers each
/// upload with its key generator, one past the largest key stored, and the
/// app reads keys as `u32`: a restored key of 4,294,967,295 made the next
/// upload 2^32, which every later read refused. Below 2^31 there are two
/// billion uploads to go before that (and keys also fit an `i32`).
pub const MAX_BATCH_KEY: u32 = 1 << 31;

/// Where a problem is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Place {
    Table(Source),
    /// A row of batch `key` (its number in the store).
    Batch { key: u32, source: Source },
    /// The list of batches as a whole.
    Batches,
    /// A plan for an uploaded file.
    Plan { file: String, source: Source },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Table(s) => write!(f, "tabla {}", s.label()),
            Place::Batch { key, source } => write!(f, "carga {key}, tabla {}", source.label()),
            Place::Batches => f.write_str("lista de cargas"),
            Place::Plan { file, source } => write!(f, "{file} ({})", source.label()),
        }
    }
}

/// What is wrong.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reason {
    /// Outside the years 1000–9999: it cannot be stored as `YYYY-MM`.
    MonthOutOfRange,
    Width { expected: usize, found: usize },
    Value(ValueProblem),
    /// One batch writes one month twice.
    RepeatedMonth,
    /// Two batches share one key.
    RepeatedKey,
    /// The table holds other values than the last active batch that wrote the month.
    TableDisagrees { table: Option<String> },
    /// A row's replaced value is not what the previous active batch wrote.
    ReplacedDisagrees,
    /// An insert of a month an earlier active batch already wrote.
    InsertOverBatch,
    /// An insert that claims to have replaced a value: undoing it would
    /// write that value instead of removing the month.
    InsertReplaced,
    /// A key at or past [`MAX_BATCH_KEY`].
    KeyTooLarge,
    /// A month after `latest`, the last that can have been observed.
    Future { latest: Month },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::MonthOutOfRange => f.write_str("mes fuera del rango que se puede guardar (1000-01 a 9999-12)"),
            Reason::Width { expected, found } => {
                write!(f, "la fila tiene {found} valores y la tabla {expected} columnas")
            }
            Reason::Value(p) => p.fmt(f),
            Reason::RepeatedMonth => f.write_str("la carga escribe el mismo mes dos veces"),
            Reason::RepeatedKey => f.write_str("dos cargas tienen el mismo número"),
            Reason::TableDisagrees { table: Some(t) } => {
                write!(f, "la tabla guarda otro valor ({t}) que el escrito por la última carga activa de ese mes")
            }
            Reason::TableDisagrees { table: None } => {
                f.write_str("la tabla no tiene el mes que escribió la última carga activa de ese mes")
            }
            Reason::ReplacedDisagrees => {
                f.write_str("el valor que dice reemplazar no es el que escribió la carga activa anterior")
            }
            Reason::InsertOverBatch => f.write_str("dice insertar un mes nuevo que una carga anterior ya había escrito"),
            Reason::InsertReplaced => {
                f.write_str("dice insertar un mes nuevo y a la vez haber reemplazado un valor (una inserción no reemplaza nada)")
            }
            Reason::KeyTooLarge => write!(
                f,
                "número de carga demasiado grande (debe ser menor que {MAX_BATCH_KEY}: el navegador numera las cargas siguientes a partir del mayor)"
            ),
            Reason::Future { latest } => {
                write!(f, "mes futuro; lo último que puede estar observado es {latest} (el mes actual y uno de gracia)")
            }
        }
    }
}

/// One problem, located and named.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub place: Place,
    pub month: Option<Month>,
    pub column: Option<String>,
    /// The value as text, cut to a few dozen characters.
    pub value: Option<String>,
    pub reason: Reason,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.place)?;
        if let Some(m) = self.month {
            write!(f, ", mes {m}")?;
        }
        if let Some(c) = &self.column {
            write!(f, ", columna {c}")?;
        }
        if let Some(v) = &self.value {
            write!(f, ": «{v}»")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// Every problem found: the first [`MAX_LISTED`] in detail, and how many in all.
#[derive(Clone, Debug, PartialEq, Error, Serialize, Deserialize)]
pub struct Problems {
    pub first: Vec<Problem>,
    pub total: usize,
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: Vec<String> = self.first.iter().take(SHOWN).map(ToString::to_string).collect();
        write!(f, "{}", shown.join("; "))?;
        if self.total > shown.len() {
            write!(f, " (y {} problemas más)", self.total - shown.len())?;
        }
        Ok(())
    }
}

/// Collects problems up to [`MAX_LISTED`], counting the rest.
#[derive(Default)]
struct Found {
    first: Vec<Problem>,
    total: usize,
}

impl Found {
    fn push(&mut self, problem: Problem) {
        self.total += 1;
        if self.first.len() < MAX_LISTED {
            self.first.push(problem);
        }
    }

    fn extend(&mut self, other: Result<(), Problems>) {
        if let Err(p) = other {
            self.total += p.total;
            let room = MAX_LISTED.saturating_sub(self.first.len());
            self.first.extend(p.first.into_iter().take(room));
        }
    }

    fn result(self) -> Result<(), Problems> {
        if self.total == 0 {
            Ok(())
        } else {
            Err(Problems { first: self.first, total: self.total })
        }
    }

    /// The month, the width and every value of one row.
    fn row(&mut self, place: &Place, source: Source, month: Month, values: &[f64]) {
        let at = |column: Option<String>, value: Option<String>, reason: Reason| Problem {
            place: place.clone(),
            month: Some(month),
            column,
            value,
            reason,
        };
        if !month.in_range() {
            self.push(at(None, None, Reason::MonthOutOfRange));
        }
        if values.len() != source.width() {
            let reason = Reason::Width { expected: source.width(), found: values.len() };
            return self.push(at(None, Some(row_text(values)), reason));
        }
        let names = source.columns();
        for (i, (&v, name)) in values.iter().zip(names).enumerate() {
            if let Err(p) = source.check_value(i, v) {
                self.push(at(Some(name.to_string()), Some(echo(&format!("{v:?}"))), Reason::Value(p)));
            }
        }
    }
}

/// Values as text for a message, cut.
fn row_text(values: &[f64]) -> String {
    echo(&values.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(", "))
}

impl Database {
    /// Every table's rows: month in range, width, finite values within their
    /// column's physical bounds.
    ///
    /// ```
    /// use leche_core::{Database, Month};
    /// let mut db = Database::default();
    /// db.milk_price.insert(Month::new(2020, 1).unwrap(), vec![5e-324]);
    /// let e = db.check().unwrap_err();
    /// assert!(e.to_string().starts_with("tabla precio de la leche, mes 2020-01, columna Precio_leche: «5e-324»"));
    /// ```
    pub fn check(&self) -> Result<(), Problems> {
        let mut found = Found::default();
        for source in Source::ALL {
            let place = Place::Table(source);
            for (&month, values) in self.table(source) {
                found.row(&place, source, month, values);
            }
        }
        found.result()
    }

    /// No month after `today`'s next (one month of grace), as an upload
    /// requires: for data from a user (a backup), not for the shipped tables,
    /// which must load whatever the visitor's clock says.
    ///
    /// ```
    /// use leche_core::{Database, Month};
    /// let mut db = Database::default();
    /// db.milk_price.insert(Month::new(2999, 1).unwrap(), vec![250.0]);
    /// assert!(db.check().is_ok());
    /// assert!(db.check_observed(Month::new(2026, 11).unwrap()).is_err());
    /// ```
    pub fn check_observed(&self, today: Month) -> Result<(), Problems> {
        let latest = today.next();
        let mut found = Found::default();
        for source in Source::ALL {
            for &month in self.table(source).range(latest.next()..).map(|(m, _)| m) {
                found.push(Problem { place: Place::Table(source), month: Some(month), column: None, value: None, reason: Reason::Future { latest } });
            }
        }
        found.result()
    }
}

impl Batch {
    /// The batch's own rows (key `key` names it in messages): each month in
    /// range and written once per table, values and replaced values of the
    /// table's width and within bounds, no insert with a replaced value.
    pub fn check(&self, key: u32) -> Result<(), Problems> {
        let mut found = Found::default();
        let mut seen = HashMap::new();
        for w in &self.written {
            let place = Place::Batch { key, source: w.source };
            found.row(&place, w.source, w.month, &w.values);
            if let Some(replaced) = &w.replaced {
                found.row(&place, w.source, w.month, replaced);
                if w.kind == WriteKind::Insert {
                    let value = Some(row_text(replaced));
                    found.push(Problem { place: place.clone(), month: Some(w.month), column: None, value, reason: Reason::InsertReplaced });
                }
            }
            if seen.insert((w.source, w.month), ()).is_some() {
                found.push(Problem { place, month: Some(w.month), column: None, value: None, reason: Reason::RepeatedMonth });
            }
        }
        found.result()
    }
}

/// Batch records against each other and the tables they were applied to:
/// keys unique and below [`MAX_BATCH_KEY`], each batch valid ([`Batch::check`]), and, over the active
/// batches in key order, each month's last writer equal to the table, each
/// `replaced` equal to the previous writer's values, no insert over an
/// earlier batch's month. Undo and re-apply are exact only on such records.
///
/// ```
/// use leche_core::{data::check::check_batches, data::clean::read_file, data::upload::{plan, Batch}, Database, Month};
/// let today = Month::new(2026, 11).unwrap();
/// let file = read_file("p.csv", b"Anio,Mes,Precio_leche\n2020,Ene,250\n", today).unwrap();
/// let mut db = Database::default();
/// let b = Batch::apply(&plan(&db, &[file]).unwrap(), &mut db, false, "t".into());
/// assert!(check_batches(&db, &[(1, b.clone())]).is_ok());
/// assert!(check_batches(&Database::default(), &[(1, b)]).is_err());
/// ```
pub fn check_batches(tables: &Database, batches: &[(u32, Batch)]) -> Result<(), Problems> {
    let mut found = Found::default();
    let mut keys = HashMap::new();
    for (key, batch) in batches {
        if keys.insert(*key, ()).is_some() {
            let value = Some(key.to_string());
            found.push(Problem { place: Place::Batches, month: None, column: None, value, reason: Reason::RepeatedKey });
        }
        if *key >= MAX_BATCH_KEY {
            let value = Some(key.to_string());
            found.push(Problem { place: Place::Batches, month: None, column: None, value, reason: Reason::KeyTooLarge });
        }
        found.extend(batch.check(*key));
    }
    if found.total > 0 {
        return found.result();
    }
    let mut ordered: Vec<&(u32, Batch)> = batches.iter().filter(|(_, b)| !b.undone).collect();
    ordered.sort_by_key(|(k, _)| *k);
    let mut last: BTreeMap<(Source, Month), &Vec<f64>> = BTreeMap::new();
    for (key, batch) in ordered {
        for w in &batch.written {
            let problem = |reason| Problem {
                place: Place::Batch { key: *key, source: w.source },
                month: Some(w.month),
                column: None,
                value: Some(row_text(&w.values)),
                reason,
            };
            if let Some(previous) = last.insert((w.source, w.month), &w.values) {
                if w.kind == WriteKind::Insert {
                    found.push(problem(Reason::InsertOverBatch));
                }
                if w.replaced.as_ref() != Some(previous) {
                    found.push(problem(Reason::ReplacedDisagrees));
                }
            }
        }
    }
    for ((source, month), values) in last {
        let stored = tables.table(source).get(&month);
        if stored != Some(values) {
            let table = stored.map(|v| row_text(v));
            let place = Place::Table(source);
            let value = Some(row_text(values));
            found.push(Problem { place, month: Some(month), column: None, value, reason: Reason::TableDisagrees { table } });
        }
    }
    found.result()
}

impl Plan {
    /// Every row the plan would write or compare (a plan that crossed from
    /// the Web Worker as text is checked before it is used).
    pub fn check(&self) -> Result<(), Problems> {
        let mut found = Found::default();
        for t in &self.tables {
            let place = Place::Plan { file: t.file.clone(), source: t.source };
            for (&month, values) in t.insert.iter().chain(&t.already_present) {
                found.row(&place, t.source, month, values);
            }
            for c in &t.conflicts {
                found.row(&place, t.source, c.month, &c.incoming);
                found.row(&place, t.source, c.month, &c.stored);
            }
        }
        found.result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::upload::{Written, WriteKind};

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    #[test]
    fn wrong_widths_out_of_range_months_and_bad_values_are_named() {
        let mut db = Database::default();
        db.rainfall.insert(m("2020-01"), vec![1.0; 7]);
        db.milk_price.insert(m("9999-12").next(), vec![250.0]);
        db.milk_price.insert(m("2020-02"), vec![f64::INFINITY]);
        db.milk_price.insert(m("2020-03"), vec![-0.0]);
        let e = db.check().expect_err("four problems");
        assert_eq!(e.total, 4);
        let text: Vec<String> = e.first.iter().map(ToString::to_string).collect();
        assert_eq!(text[0], "tabla precipitaciones, mes 2020-01: «1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0»: la fila tiene 7 valores y la tabla 8 columnas");
        assert!(text[1].contains("2020-02") && text[1].contains("inf"), "{text:?}");
        assert!(text[3].contains("10000-01") && text[3].contains("rango"), "{text:?}");
        assert!(Database::default().check().is_ok());
    }

    #[test]
    fn a_huge_damaged_table_lists_a_bounded_number_of_problems() {
        let mut db = Database::default();
        for i in 0..10_000 {
            db.milk_price.insert(m("1500-01").offset(i), vec![0.0]);
        }
        let e = db.check().expect_err("bad");
        assert_eq!((e.first.len(), e.total), (MAX_LISTED, 10_000));
        assert!(e.to_string().ends_with("(y 9995 problemas más)"), "{e}");
    }

    fn row(month: &str, values: f64, kind: WriteKind, replaced: Option<f64>) -> Written {
        Written { source: Source::MilkPrice, month: m(month), values: vec![values], kind, replaced: replaced.map(|r| vec![r]) }
    }

    fn batch(written: Vec<Written>) -> Batch {
        Batch { time: "t".into(), files: vec!["p.csv".into()], written, undone: false }
    }

    #[test]
    fn batches_are_checked_against_each_other_and_the_tables() {
        let mut db = Database::default();
        db.milk_price.insert(m("2020-01"), vec![105.0]);
        let a = batch(vec![row("2020-01", 100.0, WriteKind::Insert, None)]);
        let b = batch(vec![row("2020-01", 105.0, WriteKind::Replace, Some(100.0))]);
        assert_eq!(check_batches(&db, &[(1, a.clone()), (2, b.clone())]), Ok(()));
        // Regression (issue 15): a backup whose batches repeat a key was accepted.
        let e = check_batches(&db, &[(1, a.clone()), (1, b.clone())]).expect_err("repeated key");
        assert_eq!(e.first[0].reason, Reason::RepeatedKey);
        let wrong = batch(vec![row("2020-01", 105.0, WriteKind::Replace, Some(99.0))]);
        let e = check_batches(&db, &[(1, a.clone()), (2, wrong)]).expect_err("replaced");
        assert_eq!(e.first[0].reason, Reason::ReplacedDisagrees);
        let mut other = db.clone();
        other.milk_price.insert(m("2020-01"), vec![7.0]);
        let e = check_batches(&other, &[(1, a.clone()), (2, b)]).expect_err("table");
        assert!(e.to_string().contains("7.0"), "{e}");
        let twice = batch(vec![row("2020-01", 100.0, WriteKind::Insert, None), row("2020-01", 100.0, WriteKind::Insert, None)]);
        assert_eq!(check_batches(&db, &[(1, twice)]).expect_err("twice").first[0].reason, Reason::RepeatedMonth);
        let second_insert = batch(vec![row("2020-01", 105.0, WriteKind::Insert, None)]);
        assert_eq!(check_batches(&db, &[(1, a), (2, second_insert)]).expect_err("insert").first[0].reason, Reason::InsertOverBatch);
        // An insert row that also claims a replaced value, an earlier batch or not.
        let second_insert_alone = batch(vec![row("2020-01", 105.0, WriteKind::Insert, Some(100.0))]);
        assert_eq!(check_batches(&db, &[(2, second_insert_alone)]).expect_err("insert").first[0].reason, Reason::InsertReplaced);
        // Regression (issue 15): a wrong-width row in a restored batch was later written into the tables.
        let mut wide = batch(vec![row("2020-01", 105.0, WriteKind::Insert, None)]);
        wide.written[0].values.push(1.0);
        assert!(matches!(wide.check(4).expect_err("width").first[0].reason, Reason::Width { expected: 1, found: 2 }));
    }

    /// Issue 21, finding 4: a restored key of 4294967295 made the browser
    /// number the next upload 2^32, which every later read refused.
    #[test]
    fn issue_21_a_batch_key_past_two_to_the_31_is_refused() {
        let mut db = Database::default();
        db.milk_price.insert(m("2020-01"), vec![100.0]);
        let a = batch(vec![row("2020-01", 100.0, WriteKind::Insert, None)]);
        let e = check_batches(&db, &[(4_294_967_295, a.clone())]).expect_err("key");
        assert_eq!(
            e.to_string(),
            "lista de cargas: «4294967295»: número de carga demasiado grande (debe ser menor que 2147483648: el navegador numera las cargas siguientes a partir del mayor)"
        );
        assert_eq!(check_batches(&db, &[(MAX_BATCH_KEY, a.clone())]).expect_err("2^31").first[0].reason, Reason::KeyTooLarge);
        assert_eq!(check_batches(&db, &[(MAX_BATCH_KEY - 1, a)]), Ok(()));
    }

    /// Issue 21, finding 5: an insert row claiming a replaced value passed
    /// when no earlier batch wrote its month, and undoing it wrote that
    /// value (never stored) instead of removing the month.
    #[test]
    fn issue_21_an_insert_that_claims_to_have_replaced_a_value_is_refused() {
        let mut db = Database::default();
        db.milk_price.insert(m("2020-01"), vec![100.0]);
        let lying = batch(vec![row("2020-01", 100.0, WriteKind::Insert, Some(90.0))]);
        let e = check_batches(&db, &[(1, lying)]).expect_err("insert with replaced");
        assert_eq!(
            e.to_string(),
            "carga 1, tabla precio de la leche, mes 2020-01: «90.0»: dice insertar un mes nuevo y a la vez haber reemplazado un valor (una inserción no reemplaza nada)"
        );
        let honest = batch(vec![row("2020-01", 100.0, WriteKind::Insert, None)]);
        assert_eq!(check_batches(&db, &[(1, honest)]), Ok(()));
    }
}
