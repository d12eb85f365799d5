//! The data page's "coverage at a glance": months present per table and
//! joined, first, last and gaps.

use leche_core::data::tables::Coverage;
use leche_core::{Database, Month, Source};

use crate::view::format::span;

/// Gaps in words, as the upload report writes them.
pub use leche_core::data::upload::report::gaps_text;

/// One row of the coverage table.
#[derive(Clone, Debug, PartialEq)]
pub struct TableCoverage {
    /// Suffix of the row's element ids (`count-<id>`): a source's
    /// [`Source::key`], or `features`, `joined`.
    pub id: &'static str,
    pub label: &'static str,
    /// The row's name beside its strip in the coverage chart.
    pub short: &'static str,
    pub coverage: Coverage,
}

/// The three source tables, then their join (features), then the model
/// table (features with a price).
pub fn tables(db: &Database) -> Vec<TableCoverage> {
    let row = |id, label, short, months: Vec<Month>| TableCoverage { id, label, short, coverage: Coverage::of(&months) };
    let table = |s: Source, label, short| row(s.key(), label, short, db.table(s).keys().copied().collect());
    vec![
        table(Source::Rainfall, "Precipitaciones", "Precipitaciones"),
        table(Source::CentralBank, "Banco Central", "Banco Central"),
        table(Source::MilkPrice, "Precio de la leche", "Precio"),
        row("features", "Variables (precipitaciones y Banco Central)", "Variables", db.feature_months()),
        row("joined", "Variables y precio (filas del modelo)", "Filas del modelo", db.joined().keys().copied().collect()),
    ]
}

/// One line per table, for the interaction log.
pub fn summary(db: &Database) -> String {
    tables(db)
        .iter()
        .map(|t| {
            let c = &t.coverage;
            let span = span(c.first, c.last).unwrap_or_else(|| "sin datos".into());
            format!("{}: {} meses, {}, huecos: {}\n", t.label, c.count, span, gaps_text(&c.gaps, 6))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    #[test]
    fn join_counts_need_every_source() {
        let mut db = Database::default();
        for s in ["2020-01", "2020-02", "2020-04"] {
            db.rainfall.insert(m(s), vec![0.0; 8]);
        }
        db.central_bank.insert(m("2020-02"), vec![1.0; 38]);
        db.central_bank.insert(m("2020-04"), vec![1.0; 38]);
        db.milk_price.insert(m("2020-04"), vec![250.0]);
        let t = tables(&db);
        let counts: Vec<(&str, usize)> = t.iter().map(|t| (t.id, t.coverage.count)).collect();
        assert_eq!(counts, vec![("rainfall", 3), ("central_bank", 2), ("milk_price", 1), ("features", 2), ("joined", 1)]);
        assert_eq!(t[0].coverage.gaps, vec![m("2020-03")]);
        assert!(summary(&db).starts_with("Precipitaciones: 3 meses, 2020-01 a 2020-04, huecos: 2020-03\n"));
    }

    #[test]
    fn long_gap_lists_are_shortened() {
        let gaps: Vec<Month> = m("2020-01").through(m("2020-10")).collect();
        assert_eq!(gaps_text(&gaps, 3), "2020-01, 2020-02, 2020-03 y 7 más");
        assert_eq!(gaps_text(&[], 3), "ninguno");
    }
}
