//! The data page's "coverage at a glance": months present per table and
//! joined, first, last and gaps.

use leche_core::tables::Coverage;
use leche_core::{Database, Month};

use crate::view::format::span;

/// One row of the coverage table.
#[derive(Clone, Debug, PartialEq)]
pub struct TableCoverage {
    /// Suffix of the row's element ids (`count-<id>`).
    pub id: &'static str,
    pub label: &'static str,
    pub coverage: Coverage,
}

/// The three source tables, then their join (features), then the model
/// table (features with a price).
pub fn tables(db: &Database) -> Vec<TableCoverage> {
    let row = |id, label, months: Vec<Month>| TableCoverage { id, label, coverage: Coverage::of(&months) };
    vec![
        row("rainfall", "Precipitaciones", db.rainfall.keys().copied().collect()),
        row("central-bank", "Banco Central", db.central_bank.keys().copied().collect()),
        row("milk-price", "Precio de la leche", db.milk_price.keys().copied().collect()),
        row("features", "Variables (precipitaciones y Banco Central)", db.feature_months()),
        row("joined", "Variables y precio (filas del modelo)", db.joined().keys().copied().collect()),
    ]
}

/// Gaps in words: "ninguno", or the months (the first `max`, then how many more).
pub fn gaps_text(gaps: &[Month], max: usize) -> String {
    if gaps.is_empty() {
        return "ninguno".into();
    }
    let shown: Vec<String> = gaps.iter().take(max).map(|m| m.to_string()).collect();
    match gaps.len().saturating_sub(max) {
        0 => shown.join(", "),
        more => format!("{} y {more} más", shown.join(", ")),
    }
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
        assert_eq!(counts, vec![("rainfall", 3), ("central-bank", 2), ("milk-price", 1), ("features", 2), ("joined", 1)]);
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
