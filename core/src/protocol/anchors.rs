//! What a forecaster would use instead: statsforecast's AutoETS, AutoARIMA,
//! AutoTheta and their median, refitted at every origin of the long
//! backtest on the 20 years before it, scored here on exactly the
//! backtest's rows with the code that scores Leche's candidates.
//!
//! Their forecasts come from `scripts/anchors.py` (run by hand: AutoARIMA
//! over the 110 origins takes minutes in Python, and statsforecast does not
//! run in a browser), committed as `trainer/anchors.json`; the file also
//! carries the script's own per-horizon summary, which the tests compare
//! with [`Anchors::score`] — two independent computations of the same MAE,
//! coverage and interval score. They are a reference measured on the
//! shipped data: a retrain in the browser does not recompute them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::forecast::backtest::{HorizonScore, Row};
use crate::forecast::interval::Band;
use crate::forecast::MAX_HORIZON;
use crate::data::month::Month;
use crate::data::tables::Database;

/// One anchor's forecasts from one origin: horizons 1 … 12 and both bands.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AnchorPath {
    pub point: Vec<f64>,
    pub lower80: Vec<f64>,
    pub upper80: Vec<f64>,
    pub lower50: Vec<f64>,
    pub upper50: Vec<f64>,
}

/// The script's own figures for one anchor at one horizon.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ScriptScore {
    pub horizon: u32,
    pub n: usize,
    pub mae: f64,
    pub naive_mae: f64,
    pub coverage80: f64,
    pub coverage50: f64,
    pub interval_score80: f64,
    pub interval_score50: f64,
}

/// `trainer/anchors.json` as `scripts/anchors.py` writes it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AnchorFile {
    pub statsforecast: String,
    pub window: usize,
    pub first_origin: Month,
    pub last_origin: Month,
    pub summary: BTreeMap<String, Vec<ScriptScore>>,
    pub forecasts: BTreeMap<String, BTreeMap<Month, AnchorPath>>,
}

/// One anchor's scores per horizon on the backtest's rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnchorScore {
    pub name: String,
    pub horizons: Vec<HorizonScore>,
}

/// Every anchor's scores, as the evaluation artifact keeps them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Anchors {
    /// The statsforecast version that made the forecasts.
    pub statsforecast: String,
    /// Months each fit read.
    pub window: usize,
    pub first_origin: Month,
    pub last_origin: Month,
    pub scores: Vec<AnchorScore>,
}

impl Anchors {
    /// Each anchor's rows (every origin and horizon whose month has a price
    /// in `db`) scored with [`HorizonScore::of`], as the backtest's own.
    pub fn score(file: &AnchorFile, db: &Database) -> Anchors {
        let scores = file
            .forecasts
            .iter()
            .map(|(name, paths)| {
                let mut rows = Vec::new();
                for (&origin, p) in paths {
                    for h in 1..=MAX_HORIZON {
                        let i = h as usize - 1;
                        let (Some(&point), Some(&l80), Some(&u80), Some(&l50), Some(&u50)) =
                            (p.point.get(i), p.lower80.get(i), p.upper80.get(i), p.lower50.get(i), p.upper50.get(i))
                        else {
                            continue;
                        };
                        rows.extend(Row::new(db, origin, h, point, None).map(|r| Row {
                            band80: Some(Band::between(l80, u80)),
                            band50: Some(Band::between(l50, u50)),
                            ..r
                        }));
                    }
                }
                AnchorScore { name: name.clone(), horizons: HorizonScore::of(&rows) }
            })
            .collect();
        Anchors { statsforecast: file.statsforecast.clone(), window: file.window, first_origin: file.first_origin, last_origin: file.last_origin, scores }
    }

    /// The lowest MAE ÷ naive's at `horizon` among the anchors, and whose.
    pub fn best(&self, horizon: u32) -> Option<(&str, &HorizonScore)> {
        self.scores
            .iter()
            .filter_map(|a| Some((a.name.as_str(), a.horizons.iter().find(|h| h.horizon == horizon)?)))
            .min_by(|a, b| a.1.mae_over_naive.total_cmp(&b.1.mae_over_naive))
    }
}
