//! The database: three cleaned source tables keyed by month.
//!
//! The source tables are what the artifacts ship and IndexedDB stores; the
//! feature table (rainfall ⋈ Central Bank) and the joined model table are
//! derived on demand, so a lone rainfall upload simply joins later.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::data::month::Month;
use crate::data::source::{Source, MILK_PRICE};

/// Rows of one table by month, values in the source's stored column order.
pub type Rows = BTreeMap<Month, Vec<f64>>;

/// The three cleaned source tables.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Database {
    pub rainfall: Rows,
    pub central_bank: Rows,
    pub milk_price: Rows,
}

/// Month coverage of one table, for the data page and the logs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub count: usize,
    pub first: Option<Month>,
    pub last: Option<Month>,
    /// Months missing between `first` and `last`.
    pub gaps: Vec<Month>,
}

impl Coverage {
    pub fn of<'a>(months: impl IntoIterator<Item = &'a Month>) -> Coverage {
        let months: Vec<Month> = months.into_iter().copied().collect();
        let (first, last) = (months.first().copied(), months.last().copied());
        let gaps = match (first, last) {
            (Some(f), Some(l)) => f.through(l).filter(|m| months.binary_search(m).is_err()).collect(),
            _ => Vec::new(),
        };
        Coverage { count: months.len(), first, last, gaps }
    }
}

impl Database {
    pub fn table(&self, source: Source) -> &Rows {
        match source {
            Source::Rainfall => &self.rainfall,
            Source::CentralBank => &self.central_bank,
            Source::MilkPrice => &self.milk_price,
        }
    }

    pub fn table_mut(&mut self, source: Source) -> &mut Rows {
        match source {
            Source::Rainfall => &mut self.rainfall,
            Source::CentralBank => &mut self.central_bank,
            Source::MilkPrice => &mut self.milk_price,
        }
    }

    /// Feature column names: the 8 regions, 28 `PIB*`, 9 `Imacec*`, `IVCM_num`.
    pub fn feature_names() -> Vec<&'static str> {
        let mut c = Source::Rainfall.columns();
        c.extend(Source::CentralBank.columns());
        c
    }

    /// Months with both rainfall and Central Bank data (the original's `features` table).
    pub fn feature_months(&self) -> Vec<Month> {
        self.rainfall.keys().filter(|m| self.central_bank.contains_key(m)).copied().collect()
    }

    /// One month's features (rainfall then Central Bank), if both are present.
    pub fn features(&self, month: Month) -> Option<Vec<f64>> {
        let r = self.rainfall.get(&month)?;
        let c = self.central_bank.get(&month)?;
        Some(r.iter().chain(c).copied().collect())
    }

    /// The milk price of a month.
    pub fn price(&self, month: Month) -> Option<f64> {
        self.milk_price.get(&month).and_then(|v| v.first().copied())
    }

    /// The model table: features and price for every month that has both, in
    /// month order; columns are [`Database::joined_names`].
    pub fn joined(&self) -> Rows {
        self.feature_months()
            .into_iter()
            .filter_map(|m| {
                let mut row = self.features(m)?;
                row.push(self.price(m)?);
                Some((m, row))
            })
            .collect()
    }

    /// Columns of [`Database::joined`]: the features then `Precio_leche`.
    pub fn joined_names() -> Vec<&'static str> {
        let mut c = Database::feature_names();
        c.push(MILK_PRICE);
        c
    }

    /// The last month with a price.
    pub fn last_price_month(&self) -> Option<Month> {
        self.milk_price.keys().next_back().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_lists_gaps() {
        let ms: Vec<Month> = ["2020-01", "2020-02", "2020-05"].iter().filter_map(|s| s.parse().ok()).collect();
        let c = Coverage::of(&ms);
        assert_eq!(c.count, 3);
        assert_eq!(c.gaps.iter().map(|m| m.to_string()).collect::<Vec<_>>(), vec!["2020-03", "2020-04"]);
    }

    #[test]
    fn features_join_needs_both_sources() {
        let mut db = Database::default();
        let m: Month = "2020-01".parse().expect("month");
        db.rainfall.insert(m, vec![1.0; 8]);
        assert!(db.features(m).is_none());
        db.central_bank.insert(m, vec![2.0; 38]);
        assert_eq!(db.features(m).map(|f| f.len()), Some(46));
        assert!(db.joined().is_empty());
        db.milk_price.insert(m, vec![250.0]);
        assert_eq!(db.joined()[&m].len(), 47);
    }
}
