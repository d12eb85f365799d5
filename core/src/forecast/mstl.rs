//! MSTL + AutoETS, from `augurs` (Grafana's time-series toolkit): the
//! series is split by STL into a yearly seasonal part and the rest, AutoETS
//! (non-seasonal: augurs-ets has no seasonal ETS yet) forecasts the rest,
//! and the last year's seasonal part is added back. Fitted on the last
//! [`WINDOW`] months before each origin, on prices or on log prices; a
//! third variant (on logs) fixes AutoETS's trend to a damped one — the
//! damped-trend ETS forecasters favour at long horizons (a trend that
//! flattens out) — where the automatic search may also pick none or an
//! undamped one.
//!
//! Why a library: STL's LOESS passes and ETS's likelihood optimisation are
//! what `augurs` is made for; we only choose the inputs. Why a fixed
//! ten-year window rather than one chosen inside: in a probe over origins
//! 2012-01 … 2021-02, 120 months, 240 months and the whole history gave
//! one-step MAE within 1 % of each other, and 120 months fits in 3 ms
//! against 10 ms.
//!
//! The fitted form ([`MstlFit`]) keeps what forecasting needs — the 12
//! forecasts after the window and the in-sample one-step values inside it —
//! so forecasting is a lookup: the page never links the optimiser, only the
//! worker that retrains does. The cost: the fitted form cannot take in
//! months after its window without refitting (a forecast's horizon then
//! counts from the model's last month, and the app suggests retraining).
//! augurs uses the platform's `ln`/`exp`, so native and wasm fits may differ
//! in the last bits (the issue allows 1e-9 relative there).

use augurs_core::{Fit as _, Predict};
use augurs_ets::trend::AutoETSTrendModel;
use augurs_ets::AutoETS;
use augurs_mstl::MSTLModel;
use serde::{Deserialize, Serialize};

use super::explanation::{Explanation, Link, Part, Step};
use super::prices;
use super::shape::Shape;
use super::{within_horizon, Candidate, CandidateId, CheckError, Fit, FitError, ForecastError, Forecaster, Form, Method, MAX_HORIZON};
use crate::data::bounds::check_price;
use crate::forecast::features::Inputs;
use crate::data::month::Month;
use crate::data::tables::Database;

/// Months each fit reads (ten years).
pub const WINDOW: usize = 120;
/// The seasonal period: a year of months.
pub const PERIOD: usize = 12;

/// A fitted MSTL model, as forecasts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MstlFit {
    /// Fitted on log prices (forecasts are back in CLP/litre).
    pub log: bool,
    /// The trend was fixed to a damped one (absent from older files: not).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub damped: bool,
    /// First month of the window it was fitted on.
    pub from: Month,
    /// In-sample one-step values, one per window month from `from`.
    pub fitted: Vec<f64>,
    /// Forecasts of the [`MAX_HORIZON`] months after the window.
    pub path: Vec<f64>,
}

impl MstlFit {
    /// The month after the window: horizon 1.
    pub fn origin(&self) -> Month {
        self.from.offset(self.fitted.len() as i32)
    }
}

/// The candidate on logs or on levels, damped or not.
fn candidate(log: bool, damped: bool) -> CandidateId {
    match (log, damped) {
        (_, true) => CandidateId::MstlDamped,
        (true, false) => CandidateId::MstlLog,
        (false, false) => CandidateId::MstlLevel,
    }
}

impl Form for MstlFit {
    fn candidate(&self) -> CandidateId {
        candidate(self.log, self.damped)
    }

    fn describe(&self) -> String {
        format!(
            "{}{}, ventana de {} meses desde {}",
            if self.log { "en logaritmos" } else { "en niveles" },
            if self.damped { ", tendencia amortiguada" } else { "" },
            self.fitted.len(),
            self.from
        )
    }

    /// Stored forecasts are forecast as they are: each must be a price.
    fn check(&self, model: &str) -> Result<(), CheckError> {
        let shape = Shape { model };
        if self.damped && !self.log {
            return Err(CheckError::Shape { model: shape.name(), reason: "la tendencia amortiguada se ajusta solo en logaritmos".into() });
        }
        shape.range("fitted", self.fitted.len() as f64, 1.0, 1200.0)?;
        shape.length("path", self.path.len(), MAX_HORIZON as usize)?;
        for (what, values) in [("fitted", &self.fitted), ("path", &self.path)] {
            for (i, &value) in values.iter().enumerate() {
                if let Err(problem) = check_price(value) {
                    return Err(CheckError::Price { model: shape.name(), what, position: i + 1, value, problem });
                }
            }
        }
        Ok(())
    }
}

/// Forecasting is a lookup: inside the window its one-step values, after
/// it the stored path, horizons counted from the window's end.
impl Forecaster for MstlFit {
    fn path(&self, _db: &Database, origin: Month, steps: u32) -> Result<Vec<f64>, ForecastError> {
        within_horizon(origin, steps)?;
        let anchor = self.origin();
        if origin < self.from {
            return Err(ForecastError::BeforeModel { month: origin, first: self.from });
        }
        if origin < anchor {
            // Inside the window: the in-sample one-step value (h = 1 only).
            if steps > 1 {
                return Err(ForecastError::OneStepOnly { month: origin.next(), next: origin });
            }
            let i = self.from.months_until(origin) as usize;
            return Ok(self.fitted.get(i).copied().into_iter().collect());
        }
        let skip = anchor.months_until(origin) as usize;
        match self.path.get(skip..skip + steps as usize) {
            Some(v) => Ok(v.to_vec()),
            None => Err(ForecastError::BeyondHorizon {
                month: origin.offset(steps as i32 - 1),
                last_price: anchor.prev(),
                horizon: skip as u32 + steps,
                max: MAX_HORIZON,
            }),
        }
    }

    /// The horizon counts from the model's own last month, not the data's.
    fn forecast_month(&self, db: &Database, month: Month) -> Result<(f64, u32), ForecastError> {
        let anchor = self.origin();
        if month < anchor {
            return Ok((self.path(db, month, 1)?.first().copied().unwrap_or(f64::NAN), 1));
        }
        let horizon = anchor.months_until(month) as u32 + 1;
        let value = self.path.get(horizon as usize - 1).copied().ok_or(ForecastError::BeyondHorizon {
            month,
            last_price: anchor.prev(),
            horizon,
            max: MAX_HORIZON,
        })?;
        Ok((value, horizon))
    }

    /// The values kept when it was fitted: its decomposition is not stored.
    fn explain_path(&self, db: &Database, origin: Month, steps: u32) -> Result<Vec<Step>, ForecastError> {
        let path = self.path(db, origin, steps)?;
        Ok(path.into_iter().enumerate().map(|(s, v)| kept(origin.offset(s as i32), v)).collect())
    }

    fn explain_month(&self, db: &Database, month: Month) -> Result<Explanation, ForecastError> {
        let (value, horizon) = self.forecast_month(db, month)?;
        Ok(Explanation { month, horizon, steps: vec![kept(month, value)] })
    }

    fn first_month(&self, _db: &Database) -> Option<Month> {
        Some(self.from)
    }

    fn needs(&self) -> String {
        format!(
            "solo el precio de la leche: ajustado con los {} meses desde {}, pronostica hasta {MAX_HORIZON} meses después de {}; no usa precipitaciones ni Banco Central",
            self.fitted.len(),
            self.from,
            self.origin().prev()
        )
    }

    fn inputs(&self) -> Inputs {
        Inputs::PriceHistory
    }

    /// It forecasts its horizons itself.
    fn rule_history(&self) -> Option<usize> {
        None
    }
}

/// The candidate, on levels or on logs, its trend damped or chosen.
/// A value the fit kept, as a step of its own.
fn kept(month: Month, value: f64) -> Step {
    Step { month, base: None, parts: vec![(Part::Kept, value)], link: Link::Level }
}

pub struct Mstl {
    pub log: bool,
    pub damped: bool,
}

impl Candidate for Mstl {
    fn id(&self) -> CandidateId {
        candidate(self.log, self.damped)
    }

    fn fit(&self, db: &Database, origin: Month) -> Result<Fit, FitError> {
        let h = prices::window(db, origin, WINDOW)?;
        let y: Vec<f64> = if self.log { prices::logs(&h, origin)? } else { h };
        let fail = |reason: String| FitError::Decomposition { origin, reason };
        let ets = if self.damped { AutoETS::new(1, "ZAN").and_then(|e| e.damped(true)).map_err(|e| fail(e.to_string()))? } else { AutoETS::non_seasonal() };
        let trend: AutoETSTrendModel = ets.into();
        let fitted = MSTLModel::new(vec![PERIOD], trend).fit(&y).map_err(|e| fail(e.to_string()))?;
        let inside = fitted.predict_in_sample(None).map_err(|e| fail(e.to_string()))?.point;
        let ahead = fitted.predict(MAX_HORIZON as usize, None).map_err(|e| fail(e.to_string()))?.point;
        if inside.len() != WINDOW || ahead.len() != MAX_HORIZON as usize {
            return Err(fail(format!("{} valores dentro y {} fuera de la ventana", inside.len(), ahead.len())));
        }
        let back = |v: Vec<f64>| -> Vec<f64> { if self.log { v.into_iter().map(libm::exp).collect() } else { v } };
        let (fitted, path) = (back(inside), back(ahead));
        if fitted.iter().chain(&path).any(|v| !v.is_finite()) {
            return Err(fail("pronósticos no finitos".into()));
        }
        let from = origin.offset(-(WINDOW as i32));
        Ok(Fit {
            method: Method::Mstl(MstlFit { log: self.log, damped: self.damped, from, fitted, path }),
            trained_from: Some(from),
            trained_to: Some(origin.prev()),
            trained_rows: WINDOW,
        })
    }
}
