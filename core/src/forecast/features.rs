//! Lag features: what the model sees of the three months before the month it
//! forecasts (SPEC §4).
//!
//! For every column c of the joined table (46 features and `Precio_leche`):
//! `c_shift3_mean`, `c_shift3_std` (sample std, n-1) and `c_mes_anterior`,
//! in that block order. Training rows and prediction rows are built by the
//! same function, so the train and predict paths cannot drift apart.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::fit::matrix::Matrix;
use crate::data::month::Month;
use crate::data::tables::{Database, Rows};

/// How the three-month window is found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// Months t-1, t-2, t-3 must all exist (every model we ship predicts this way).
    Calendar,
    /// The original's pandas windows over previous *rows* (rolling, min_periods=1,
    /// then rows with an undefined std dropped): on the shipped data identical to
    /// `Calendar` except that it also keeps the first usable row (2014-03) with a
    /// two-month window. Only the `seed` protocol trains on it.
    SeedRows,
}

/// Names of the lag features for `base` columns, in the original order.
pub fn lag_names(base: &[&str]) -> Vec<String> {
    let mut names = Vec::with_capacity(base.len() * 3);
    for suffix in ["shift3_mean", "shift3_std", "mes_anterior"] {
        names.extend(base.iter().map(|c| format!("{c}_{suffix}")));
    }
    names
}

/// The lag features from previous rows, oldest first (2 or 3 rows).
pub fn lag_row(previous: &[&[f64]]) -> Vec<f64> {
    let width = previous.first().map_or(0, |r| r.len());
    let n = previous.len() as f64;
    let mut means = Vec::with_capacity(width);
    let mut stds = Vec::with_capacity(width);
    for j in 0..width {
        let mut s = 0.0;
        for r in previous {
            s += r[j];
        }
        let m = s / n;
        let mut ss = 0.0;
        for r in previous {
            let d = r[j] - m;
            ss += d * d;
        }
        means.push(m);
        stds.push((ss / (n - 1.0)).sqrt());
    }
    let mut row = means;
    row.extend(stds);
    if let Some(last) = previous.last() {
        row.extend_from_slice(last);
    }
    row
}

/// What a month lacks to be forecast.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missing {
    pub month: Month,
    /// Parts of the data that month lacks (e.g. "precipitaciones", "precio de la leche").
    pub lacks: Vec<String>,
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (falta {})", self.month, self.lacks.join(", "))
    }
}

/// A month that cannot be forecast, and the months it needs but lacks.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("no se puede pronosticar {month}: faltan datos de {}", missing.iter().map(|m| m.to_string()).collect::<Vec<_>>().join("; "))]
pub struct MissingData {
    pub month: Month,
    pub missing: Vec<Missing>,
}

/// Which inputs a model reads for each of the three previous months.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Inputs {
    /// Rainfall, Central Bank and milk price (the original's features).
    AllSources,
    /// The milk price alone: forecastable up to twelve months after the last
    /// price even when the other sources lag.
    PriceHistory,
}

impl Inputs {
    /// The base columns a lag row is built from.
    pub fn base_names(self) -> Vec<&'static str> {
        match self {
            Inputs::AllSources => Database::joined_names(),
            Inputs::PriceHistory => vec![crate::data::source::MILK_PRICE],
        }
    }

    /// A plain-language statement of what a forecast of month M needs.
    pub fn describe(self) -> &'static str {
        match self {
            Inputs::AllSources => {
                "precipitaciones, Banco Central y precio de la leche de los tres meses anteriores (M-1, M-2, M-3); por eso pronostica solo el mes siguiente a sus datos"
            }
            Inputs::PriceHistory => "solo el precio de la leche de los meses anteriores; no usa precipitaciones ni Banco Central",
        }
    }

    /// The base table: one row per month with every input present.
    pub fn base_rows(self, db: &Database) -> Rows {
        match self {
            Inputs::AllSources => db.joined(),
            Inputs::PriceHistory => db.milk_price.clone(),
        }
    }

    /// What `month` lacks among the inputs, if anything.
    fn lacks(self, db: &Database, month: Month) -> Vec<String> {
        let checks: [(bool, &str); 3] = [
            (db.rainfall.contains_key(&month), "precipitaciones"),
            (db.central_bank.contains_key(&month), "Banco Central"),
            (db.milk_price.contains_key(&month), "precio de la leche"),
        ];
        match self {
            Inputs::AllSources => checks.iter().filter(|(ok, _)| !ok).map(|(_, l)| l.to_string()).collect(),
            Inputs::PriceHistory => checks[2..].iter().filter(|(ok, _)| !ok).map(|(_, l)| l.to_string()).collect(),
        }
    }
}

/// Training data: one row per month with its lag features and its price.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainMatrix {
    pub months: Vec<Month>,
    pub names: Vec<String>,
    pub x: Matrix,
    pub y: Vec<f64>,
}

impl TrainMatrix {
    /// Build from the base rows of `inputs`; the label is the last base column.
    pub fn build(db: &Database, inputs: Inputs, window: Window) -> TrainMatrix {
        let base = inputs.base_rows(db);
        let names = lag_names(&inputs.base_names());
        let entries: Vec<(&Month, &Vec<f64>)> = base.iter().collect();
        let mut months = Vec::new();
        let mut rows = Vec::new();
        let mut y = Vec::new();
        for (i, (&month, row)) in entries.iter().enumerate() {
            let previous: Vec<&[f64]> = match window {
                Window::Calendar => {
                    let prev: Vec<&[f64]> =
                        (1..=3).rev().filter_map(|k| base.get(&month.offset(-k)).map(|r| r.as_slice())).collect();
                    if prev.len() < 3 {
                        continue;
                    }
                    prev
                }
                Window::SeedRows => {
                    if i < 2 {
                        continue;
                    }
                    entries[i.saturating_sub(3)..i].iter().map(|(_, r)| r.as_slice()).collect()
                }
            };
            let Some(&label) = row.last() else { continue };
            months.push(month);
            rows.push(lag_row(&previous));
            y.push(label);
        }
        let x = Matrix::from_rows(&rows, names.len());
        TrainMatrix { months, names, x, y }
    }

    /// Index of each month's row.
    pub fn index(&self) -> BTreeMap<Month, usize> {
        self.months.iter().enumerate().map(|(i, &m)| (m, i)).collect()
    }
}

/// The lag features to forecast `month`, from the three calendar months before it.
pub fn predict_row(db: &Database, inputs: Inputs, month: Month) -> Result<Vec<f64>, MissingData> {
    let base = inputs.base_rows(db);
    let mut previous = Vec::with_capacity(3);
    let mut missing = Vec::new();
    for k in (1..=3).rev() {
        let m = month.offset(-k);
        match base.get(&m) {
            Some(r) => previous.push(r.as_slice()),
            None => missing.push(Missing { month: m, lacks: inputs.lacks(db, m) }),
        }
    }
    if missing.is_empty() {
        Ok(lag_row(&previous))
    } else {
        Err(MissingData { month, missing })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lag_row_mean_std_previous() {
        let a = [1.0, 10.0];
        let b = [2.0, 20.0];
        let c = [4.0, 30.0];
        let r = lag_row(&[&a, &b, &c]);
        assert_eq!(r[0], 7.0 / 3.0);
        assert_eq!(r[1], 20.0);
        // sample std of 10, 20, 30 is 10
        assert_eq!(r[3], 10.0);
        assert_eq!(&r[4..], &[4.0, 30.0]);
    }

    #[test]
    fn names_follow_the_original_order() {
        let n = lag_names(&["a", "b"]);
        assert_eq!(n, vec!["a_shift3_mean", "b_shift3_mean", "a_shift3_std", "b_shift3_std", "a_mes_anterior", "b_mes_anterior"]);
    }
}
