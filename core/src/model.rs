//! A shipped model: what it needs, how it forecasts, and its forecasts over
//! a range or a fan. Both the trainer (`predictions.csv`) and the browser
//! forecast through [`Model::forecast`], so their numbers are the same.

use serde::{Deserialize, Serialize};

use crate::forecast::features::Inputs;
use crate::forecast::interval::{Band, HorizonBand};
use crate::forecast::{CheckError, ForecastError, Method, UseProblem, MAX_HORIZON};
use crate::data::month::Month;
use crate::data::source::deserialize_key;
use crate::data::tables::Database;

/// Which shipped model this is. Named everywhere by [`ModelId::key`], its JSON too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ModelId {
    /// The `seed` protocol's model: the original service, reproduced.
    Replica,
    /// The honest protocol's winner, chosen by time-ordered validation.
    Recommended,
}

/// The models' keys, in [`ModelId::ALL`]'s order.
const KEYS: [&str; 2] = ["replica", "recommended"];

impl Serialize for ModelId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for ModelId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<ModelId, D::Error> {
        deserialize_key(deserializer, &ModelId::ALL, &KEYS)
    }
}

impl ModelId {
    pub const ALL: [ModelId; 2] = [ModelId::Replica, ModelId::Recommended];

    /// The one spelling of a model wherever the app names it: the
    /// artifacts' and backups' JSON, IndexedDB's keys (models, kept
    /// forecasts), the `modelo` parameter of a link, the page's data attributes.
    pub const fn key(self) -> &'static str {
        KEYS[self as usize]
    }

    /// The model a [`ModelId::key`] names.
    pub fn from_key(key: &str) -> Option<ModelId> {
        ModelId::ALL.into_iter().find(|m| m.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            ModelId::Replica => "Réplica del modelo original",
            ModelId::Recommended => "Modelo recomendado",
        }
    }
}

/// A fitted model with the facts a user needs to trust or doubt it. What it
/// reads ([`Model::inputs`], [`Model::needs`]) follows from its method, so
/// it is not stored apart from it: the JSON still carries both (the
/// artifacts' and backups' shape), written from the method and not
/// trusted on reading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(into = "Stored", from = "Stored")]
pub struct Model {
    pub id: ModelId,
    pub name: String,
    pub method: Method,
    /// The 80 % and 50 % bands per horizon, from the model's own
    /// out-of-sample errors at that horizon (none for the replica).
    pub bands: Vec<HorizonBand>,
    /// Months the final fit used (none for a rule without fitting).
    pub trained_from: Option<Month>,
    pub trained_to: Option<Month>,
    pub trained_rows: usize,
}

/// A [`Model`] as JSON: its fields, with what the method implies in the
/// places the artifacts have always had it.
#[derive(Serialize, Deserialize)]
struct Stored {
    id: ModelId,
    name: String,
    inputs: Inputs,
    needs: String,
    method: Method,
    bands: Vec<HorizonBand>,
    trained_from: Option<Month>,
    trained_to: Option<Month>,
    trained_rows: usize,
}

impl From<Model> for Stored {
    fn from(m: Model) -> Stored {
        Stored {
            id: m.id,
            name: m.name,
            inputs: m.method.inputs(),
            needs: m.method.needs(),
            method: m.method,
            bands: m.bands,
            trained_from: m.trained_from,
            trained_to: m.trained_to,
            trained_rows: m.trained_rows,
        }
    }
}

/// The stored `inputs` and `needs` are dropped: a file cannot make a model
/// claim to read other than what its method reads.
impl From<Stored> for Model {
    fn from(s: Stored) -> Model {
        Model {
            id: s.id,
            name: s.name,
            method: s.method,
            bands: s.bands,
            trained_from: s.trained_from,
            trained_to: s.trained_to,
            trained_rows: s.trained_rows,
        }
    }
}

/// One forecast month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    pub month: Month,
    /// 1 = the month right after the data it was made from: months inside
    /// the data are one-step forecasts; a month after the last price has
    /// h = months after it.
    pub horizon: u32,
    pub predicted: f64,
    pub real: Option<f64>,
    pub band80: Option<Band>,
    pub band50: Option<Band>,
}

impl Forecast {
    /// Real minus predicted, where the real price is known.
    pub fn error(&self) -> Option<f64> {
        self.real.map(|r| r - self.predicted)
    }
}

/// Forecasts for a range: the months that can be forecast and why the others cannot.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RangeForecast {
    pub forecasts: Vec<Forecast>,
    pub unavailable: Vec<ForecastError>,
}

/// The largest forecast (in absolute value) a model may give on the
/// tables it runs on: a thousand times the largest price a table may hold.
/// No honest fit comes near it; a damaged coefficient goes far past it.
pub const MAX_FORECAST: f64 = 1_000.0 * crate::data::bounds::PRICE.max;

impl Model {
    /// The tables a forecast reads.
    pub fn inputs(&self) -> Inputs {
        self.method.inputs()
    }

    /// Plain statement of the data a forecast of month M needs.
    pub fn needs(&self) -> String {
        self.method.needs()
    }

    /// The band offsets at `horizon`, if the model has them.
    pub fn band(&self, horizon: u32) -> Option<HorizonBand> {
        self.bands.iter().find(|b| b.horizon == horizon).copied()
    }

    /// Forecast one month: one step from the months before it when they
    /// have data, else up to [`MAX_HORIZON`] months after the last price.
    pub fn forecast(&self, db: &Database, month: Month) -> Result<Forecast, ForecastError> {
        let (predicted, horizon) = self.method.forecast_month(db, month)?;
        let band = self.band(horizon);
        Ok(Forecast {
            month,
            horizon,
            predicted,
            real: db.price(month),
            band80: band.map(|b| b.band80(predicted)),
            band50: band.map(|b| b.band50(predicted)),
        })
    }

    /// Why [`Model::forecast`] of `month` is what it is: its arithmetic,
    /// whose value is the forecast to the bit.
    pub fn explain(&self, db: &Database, month: Month) -> Result<crate::forecast::explanation::Explanation, ForecastError> {
        self.method.explain_month(db, month)
    }

    /// Forecast every month from `first` to `last`, both included.
    pub fn forecast_range(&self, db: &Database, first: Month, last: Month) -> RangeForecast {
        let mut out = RangeForecast::default();
        for m in first.through(last) {
            match self.forecast(db, m) {
                Ok(f) => out.forecasts.push(f),
                Err(e) => out.unavailable.push(e),
            }
        }
        out
    }

    /// Every month the model forecasts one step ahead with `db`: from the
    /// first with the history it reads to the month after its last data.
    pub fn forecast_all(&self, db: &Database) -> RangeForecast {
        let (Some(first), Some(next)) = (self.method.first_month(db), self.next_month(db)) else {
            return RangeForecast::default();
        };
        let mut all = self.forecast_range(db, first, next);
        all.unavailable.clear();
        all
    }

    /// [`Model::forecast_all`], then the rest of the [`Model::fan`] (horizons
    /// 2 … 12): what `predictions.csv` holds.
    pub fn history_and_fan(&self, db: &Database) -> Vec<Forecast> {
        let mut all = self.forecast_all(db).forecasts;
        let next = all.last().map(|f| f.month);
        all.extend(self.fan(db).into_iter().filter(|f| next.is_none_or(|n| f.month > n)));
        all
    }

    /// The month after the last month with every input this model reads:
    /// the forecast that matters (for a price-only model, the month after the last price).
    pub fn next_month(&self, db: &Database) -> Option<Month> {
        self.inputs().base_rows(db).keys().next_back().map(|m| m.next())
    }

    /// The fan: horizons 1 … [`MAX_HORIZON`] after the last price (only the
    /// next month for a one-step model such as the replica).
    pub fn fan(&self, db: &Database) -> Vec<Forecast> {
        let Some(next) = self.next_month(db) else { return Vec::new() };
        let months = if self.method.candidate().one_step_only() { 1 } else { MAX_HORIZON };
        next.through(next.offset(months as i32 - 1)).filter_map(|m| self.forecast(db, m).ok()).collect()
    }

    /// Every shape forecasting indexes on, for a model read from storage
    /// (a backup, an adopted model): after `Ok`, forecasting cannot panic.
    pub fn check(&self) -> Result<(), CheckError> {
        self.method.check(&self.name)?;
        if self.bands.len() > MAX_HORIZON as usize {
            return Err(CheckError::Length {
                model: self.name.clone(),
                what: "bands",
                got: self.bands.len(),
                expected: MAX_HORIZON as usize,
            });
        }
        for b in &self.bands {
            if !(1..=MAX_HORIZON).contains(&b.horizon) {
                return Err(CheckError::Shape {
                    model: self.name.clone(),
                    reason: format!("la banda del horizonte {} no es válida", b.horizon),
                });
            }
            b.check().map_err(|problem| CheckError::Band { model: self.name.clone(), horizon: b.horizon, problem })?;
        }
        Ok(())
    }

    /// [`Model::check`], then the check by use: every forecast the app would
    /// show with `db` (the history and the fan, bands included) computed
    /// and looked at. A shape can be sound and its forecasts not (a
    /// coefficient that turns a real month's inputs into a negative price):
    /// for a model read from storage, on the tables it will run on.
    ///
    /// Every forecast must be a number a page can show — finite and within
    /// [`MAX_FORECAST`] of zero — and every band finite and ordered, lower
    /// 80 % ≤ lower 50 % ≤ upper 50 % ≤ upper 80 %: what a damaged or
    /// hostile file gives (a 1e308 band, an exploding polynomial) is refused.
    ///
    /// Not required: that a forecast be a *plausible* price. The original
    /// replica, a polynomial on rainfall and Central Bank lags, extrapolates
    /// to negative prices on perfectly valid data (the store tests' tables
    /// give −73.7 CLP/l for a month): that is the model's honest answer,
    /// which the pages show with its error, and refusing the user's own
    /// backup, or sending every start-up to the recovery screen, for what
    /// their data make the model say would be a dead end. Nor is the
    /// forecast held inside its bands: the trainer's bands are symmetric
    /// around it now ([`HorizonBand::symmetric`]), but a band is stored as
    /// offsets, and an earlier version's bands (quantiles of one-sided
    /// errors, sometimes beside the forecast) are still a valid record.
    pub fn check_on(&self, db: &Database) -> Result<(), CheckError> {
        self.check()?;
        let sane = |v: f64| v.is_finite() && v.abs() <= MAX_FORECAST;
        for f in self.history_and_fan(db) {
            let unusable = |problem| CheckError::Unusable { model: self.name.clone(), month: f.month, horizon: f.horizon, problem };
            if !sane(f.predicted) {
                return Err(unusable(UseProblem::Absurd { value: f.predicted, limit: MAX_FORECAST }));
            }
            for (level, band) in [(80, f.band80), (50, f.band50)] {
                if let Some(b) = band.filter(|b| !(sane(b.lower) && sane(b.upper))) {
                    return Err(unusable(UseProblem::BandAbsurd { level, lower: b.lower, upper: b.upper, limit: MAX_FORECAST }));
                }
            }
            if let (Some(b80), Some(b50)) = (f.band80, f.band50) {
                let ends = [b80.lower, b50.lower, b50.upper, b80.upper];
                if !ends.windows(2).all(|w| w[0] <= w[1]) {
                    return Err(unusable(UseProblem::Unordered { lower80: ends[0], lower50: ends[1], upper50: ends[2], upper80: ends[3] }));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::combination::MedianFit;
    use crate::forecast::mstl::MstlFit;
    use crate::forecast::original::LagPipeline;
    use crate::forecast::price_change::{ChangeFit, ChangeHyper, ChangeModel, WIDTH};
    use crate::forecast::shrunk::ShrunkParams;
    use crate::fit::pipeline::{Fitted, Hyper, MAX_DEGREE, MAX_K, MAX_TERMS};
    use crate::fit::poly::Poly;
    use crate::fit::scaler::Scaler;

    #[test]
    fn one_key_per_model_and_it_is_the_json() {
        // What stored databases, backups and shared links hold: never to change.
        assert_eq!(ModelId::ALL.map(ModelId::key), ["replica", "recommended"]);
        crate::data::source::assert_keys_are_the_json(&ModelId::ALL, ModelId::key, ModelId::from_key);
        assert!(serde_json::from_str::<ModelId>("\"recomendado\"").is_err(), "the JSON knows only the key");
    }

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    fn model(method: Method) -> Model {
        Model {
            id: ModelId::Recommended,
            name: "prueba".into(),
            method,
            bands: Vec::new(),
            trained_from: None,
            trained_to: None,
            trained_rows: 0,
        }
    }

    fn ridge(width: usize) -> Method {
        Method::PriceChange(ChangeModel {
            hyper: ChangeHyper { alpha: 1.0, window: None },
            fit: ChangeFit {
                scaler: Scaler { mean: vec![0.0; width], scale: vec![1.0; width] },
                coef: vec![0.01; width],
                intercept: 0.0,
                weight: 1.0,
            },
        })
    }

    fn median(members: Vec<Method>) -> Method {
        Method::Median(MedianFit { members })
    }

    fn pipeline(degree: usize, selected: Vec<usize>, coef: usize) -> Method {
        let k = selected.len();
        Method::LagPipeline(LagPipeline {
            feature_names: crate::forecast::features::lag_names(&Database::joined_names()),
            selected_names: vec![String::new(); k],
            hyper: Hyper { k, degree, alpha: 1.0 },
            pipeline: Fitted { scaler: Scaler { mean: vec![0.0; k], scale: vec![1.0; k] }, selected, degree, coef: vec![0.5; coef], intercept: 1.0 },
        })
    }

    fn db() -> Database {
        let mut db = Database::default();
        for (i, mo) in m("2010-01").through(m("2012-12")).enumerate() {
            db.milk_price.insert(mo, vec![200.0 + (i % 12) as f64]);
        }
        db
    }

    #[test]
    fn check_refuses_every_shape_forecasting_would_index_wrongly() {
        assert_eq!(model(ridge(WIDTH)).check(), Ok(()));
        assert!(matches!(model(ridge(WIDTH - 1)).check(), Err(CheckError::Length { what: "coef", .. })));
        // A degree-40 pipeline would expand to C(k+40, 40) columns: refused before any forecast.
        assert!(matches!(model(pipeline(40, vec![0, 1], 861)).check(), Err(CheckError::OutOfRange { what: "degree", .. })));
        assert_eq!(model(pipeline(2, vec![0, 1], 6)).check(), Ok(()));
        assert!(matches!(model(pipeline(2, vec![0, 1], 5)).check(), Err(CheckError::Length { what: "coef", .. })));
        assert!(matches!(model(pipeline(1, vec![0, 999], 3)).check(), Err(CheckError::UnknownFeature { index: 999, .. })));
        let mut nan = ridge(WIDTH);
        if let Method::PriceChange(c) = &mut nan {
            c.fit.coef[3] = f64::NAN;
        }
        assert!(matches!(model(nan).check(), Err(CheckError::NotFinite { .. })));
        for years in [0, 21, 100_000] {
            let shrunk = Method::Shrunk(ShrunkParams { years, shrink: 1.0, momentum: 0.0 });
            assert!(model(shrunk).check().is_err(), "{years} years");
        }
        let mstl = |fitted: usize, path: usize| Method::Mstl(MstlFit { log: true, damped: false, from: m("2011-01"), fitted: vec![200.0; fitted], path: vec![210.0; path] });
        assert!(model(mstl(24, 11)).check().is_err());
        assert!(model(mstl(0, 12)).check().is_err());
        assert!(model(median(vec![Method::Naive, median(vec![Method::Naive, Method::SeasonalNaive])])).check().is_err());
        assert!(model(median(vec![Method::Naive])).check().is_err());
        let band = |horizon, below80| HorizonBand { horizon, below80, above80: 0.05, below50: -0.01, above50: 0.01, errors: 48 };
        let mut banded = model(Method::Naive);
        banded.bands = vec![band(13, -0.05)];
        assert!(banded.check().is_err());
        banded.bands = vec![band(1, 0.02)];
        assert!(banded.check().is_err(), "80 % band inside the 50 % one");
        banded.bands = vec![band(1, -0.05)];
        assert_eq!(banded.check(), Ok(()));
    }

    /// What a model reads is its method's, whatever a file says.
    #[test]
    fn stored_inputs_and_needs_are_written_from_the_method_and_not_trusted() {
        let x = model(Method::Naive);
        let mut json = serde_json::to_value(&x).expect("json");
        assert_eq!(json["inputs"], "price_history");
        assert_eq!(json["needs"], x.needs().as_str());
        json["inputs"] = "all_sources".into();
        json["needs"] = "nada".into();
        let read: Model = serde_json::from_value(json).expect("a model");
        assert_eq!((read.inputs(), read.needs()), (Inputs::PriceHistory, x.needs()));
        assert_eq!(model(pipeline(1, vec![0], 2)).inputs(), Inputs::AllSources);
    }

    /// Twelve sound bands, ±5 % and ±2 %.
    fn bands() -> Vec<HorizonBand> {
        (1..=MAX_HORIZON).map(|h| HorizonBand { horizon: h, below80: -0.05, above80: 0.05, below50: -0.02, above50: 0.02, errors: 48 }).collect()
    }

    /// Issue 21, finding 1: a recommended model whose upper 80 % offset is
    /// 1.7976931348623157e308 (finite) passed, and its band was inf at h = 1.
    #[test]
    fn issue_21_an_infinite_band_offset_is_refused() {
        let mut x = model(Method::Naive);
        x.bands = bands();
        x.bands[0].above80 = 1.797_693_134_862_315_7e308;
        assert_eq!(
            x.check().map_err(|e| e.to_string()),
            Err("modelo «prueba»: la banda del horizonte 1 mide 1.7976931348623157e308 veces el pronóstico; el máximo es 10".into())
        );
        assert_eq!(x.check_on(&db()), x.check(), "the use check starts with the shape check");
        x.bands[0].above80 = 0.05;
        assert_eq!(x.check_on(&db()), Ok(()));
    }

    /// Issue 21, finding 1: an MSTL model whose stored path is negative
    /// passed, and forecast negative prices.
    #[test]
    fn issue_21_a_negative_mstl_path_is_refused() {
        let mut path = vec![210.0; 12];
        path[3] = -210.0;
        let x = model(Method::Mstl(MstlFit { log: true, damped: false, from: m("2011-01"), fitted: vec![200.0; 24], path }));
        assert_eq!(
            x.check().map_err(|e| e.to_string()),
            Err("modelo «prueba»: path, valor 4 = -210.0: fuera de los límites físicos de la columna (1 a 10.000 CLP/l)".into())
        );
    }

    /// Issue 21, finding 1, by use: a ridge whose every number is finite and
    /// bounded, but whose intercept makes the recursion explode. Only
    /// forecasting on the tables shows it. A fit that merely forecasts a
    /// negative price (the replica does, on odd data) is the model's answer
    /// and passes.
    #[test]
    fn issue_21_a_sound_shape_that_forecasts_absurd_prices_is_refused_by_use() {
        let with_intercept = |intercept: f64| {
            let mut method = ridge(WIDTH);
            if let Method::PriceChange(c) = &mut method {
                c.fit.intercept = intercept;
            }
            let mut x = model(method);
            x.bands = bands();
            x
        };
        let exploding = with_intercept(1_000.0);
        assert_eq!(exploding.check(), Ok(()));
        let e = exploding.check_on(&db()).expect_err("absurd forecasts").to_string();
        assert!(e.starts_with("modelo «prueba»: al pronosticar 201"), "{e}");
        assert!(e.ends_with("no es un pronóstico que se pueda mostrar (límite 10000000 en valor absoluto)"), "{e}");
        let negative = with_intercept(-1.5);
        assert_eq!(negative.check_on(&db()), Ok(()), "a negative price is the model's honest answer");
        assert!(negative.fan(&db()).iter().any(|f| f.predicted < 0.0));
    }

    /// Issue 21, finding 2: a consistent degree-7 replica over 22 inputs
    /// (1,560,780 coefficients, an 11 MB backup; 2.4 s per forecast) passed.
    /// Refused by its term count, before any coefficient is read.
    #[test]
    fn issue_21_a_degree_7_pipeline_over_22_inputs_is_refused() {
        let terms = Poly { inputs: 22, degree: 7 }.columns();
        assert_eq!(terms, Some(1_560_780));
        let x = model(pipeline(7, (0..22).collect(), 1_560_780));
        assert_eq!(
            x.check().map_err(|e| e.to_string()),
            Err("modelo «prueba»: el polinomio de grado 7 sobre 22 variables tiene 1560780 términos; el entrenador ajusta a lo más 19448 términos".into())
        );
        // The largest the grid fits is accepted.
        assert_eq!(model(pipeline(MAX_DEGREE, (0..MAX_K).collect(), MAX_TERMS)).check(), Ok(()));
    }

    /// Issue 21, finding 3: `Poly::columns` multiplied unchecked: 5,000
    /// inputs panicked natively (overflow), and on wasm32 14,070 inputs at
    /// degree 7 wrapped to 743 columns, so a model with 743 coefficients passed.
    #[test]
    fn issue_21_term_counts_never_overflow() {
        let x = model(pipeline(7, vec![0; 5_000], 1));
        assert_eq!(
            x.check().map_err(|e| e.to_string()),
            Err("modelo «prueba»: el polinomio de grado 7 sobre 5000 variables tiene más términos de los que se pueden contar; el entrenador ajusta a lo más 19448 términos".into())
        );
        // The old count in 32-bit arithmetic, wrapping as wasm32's release build does.
        let mut wrapped: u32 = 1;
        for i in 1..=7u32 {
            wrapped = wrapped.wrapping_mul(14_070 + i) / i;
        }
        assert_eq!(wrapped, 743, "the reproducer is the one the issue reports");
        let wide = Poly { inputs: 14_070, degree: 7 };
        assert_eq!(wide.columns_as::<u32>(), None);
        assert_eq!(wide.columns(), None);
        // Counts that fit 64 bits but not 32 are refused on a 32-bit target, not wrapped.
        let cubic = Poly { inputs: 14_070, degree: 3 };
        assert_eq!(cubic.columns_as::<u64>(), Some(464_425_681_196));
        assert_eq!(cubic.columns_as::<u32>(), None);
        assert!(matches!(model(pipeline(7, vec![0; 14_070], 743)).check(), Err(CheckError::TooManyTerms { terms: None, .. })));
    }

    #[test]
    fn checked_models_forecast_every_month_without_panicking() {
        let db = db();
        let methods = vec![
            ridge(WIDTH),
            Method::Shrunk(ShrunkParams { years: 20, shrink: 0.5, momentum: 0.5 }),
            Method::Shrunk(ShrunkParams { years: 1, shrink: 0.5, momentum: 0.5 }),
            Method::Mstl(MstlFit { log: false, damped: false, from: m("2012-01"), fitted: vec![201.0; 12], path: vec![205.0; 12] }),
            median(vec![Method::Naive, Method::SeasonalChange, ridge(WIDTH)]),
            pipeline(2, vec![0, 140], 6),
        ];
        for method in methods {
            let mut x = model(method);
            x.bands = (1..=MAX_HORIZON).map(|h| HorizonBand { horizon: h, below80: -0.05, above80: 0.05, below50: -0.02, above50: 0.02, errors: 48 }).collect();
            x.check().expect("valid");
            for month in m("2009-01").through(m("2014-06")) {
                if let Ok(f) = x.forecast(&db, month) {
                    assert!((1..=MAX_HORIZON).contains(&f.horizon), "{month} {f:?}");
                }
            }
            let fan = x.fan(&db);
            assert!(fan.len() <= MAX_HORIZON as usize);
            let _ = x.history_and_fan(&db);
        }
        // Shrunk K = 20 needs 242 months: the missing ones are named, nothing panics.
        let long = model(Method::Shrunk(ShrunkParams { years: 20, shrink: 0.5, momentum: 0.5 }));
        assert!(matches!(long.forecast(&db, m("2012-06")), Err(ForecastError::Missing(_))));
        // Months after the last price: horizon counted from it, refused past twelve.
        let naive = model(Method::Naive);
        assert_eq!(naive.forecast(&db, m("2013-04")).map(|f| (f.horizon, f.predicted)), Ok((4, 211.0)));
        assert!(matches!(naive.forecast(&db, m("2014-01")), Err(ForecastError::BeyondHorizon { horizon: 13, .. })));
    }
}
