//! The shipped models forecast, on this target, exactly the bits the native
//! trainer wrote to `predictions.csv` (every month, every horizon, both
//! bands); the fan, the horizon errors and the model check behave as the
//! app needs; retraining on the shipped tables gives the shipped model.
//! Runs natively with `cargo test` and in headless Chromium with
//! `cargo test --target wasm32-unknown-unknown`.

use leche_core::artifact::{DatabaseArtifact, EvaluationArtifact, ModelsArtifact};
use leche_core::forecast::features::Inputs;
use leche_core::{ForecastError, ModelId, Month, MAX_HORIZON};
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const DATABASE: &str = include_str!("../../public/artifacts/database.json");
const MODELS: &str = include_str!("../../public/artifacts/models.json");
const EVALUATION: &str = include_str!("../../public/artifacts/evaluation.json");
const PREDICTIONS: &str = include_str!("../../public/artifacts/predictions.csv");

fn shipped() -> (DatabaseArtifact, ModelsArtifact) {
    (serde_json::from_str(DATABASE).expect("database artifact"), serde_json::from_str(MODELS).expect("models artifact"))
}

fn m(s: &str) -> Month {
    s.parse().expect("month")
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn default_model_reproduces_predictions_csv_to_the_bit() {
    let (db, models) = shipped();
    assert_eq!(db.version, models.version);
    let model = models.models.iter().find(|m| m.id == models.default_model).expect("default model shipped");
    let mut lines = PREDICTIONS.lines();
    assert_eq!(lines.next(), Some("month,horizon,predicted,real,error,lower80,upper80,lower50,upper50"));
    let bits = |c: &str| (!c.is_empty()).then(|| c.parse::<f64>().expect("number").to_bits());
    let expected: Vec<Vec<String>> = lines.map(|l| l.split(',').map(String::from).collect()).collect();
    let got = model.history_and_fan(&db.tables);
    assert_eq!(got.len(), expected.len());
    assert!(got.len() > 70);
    for (f, cells) in got.iter().zip(&expected) {
        let month = &cells[0];
        assert_eq!(&f.month.to_string(), month);
        assert_eq!(f.horizon.to_string(), cells[1], "{month} horizon");
        assert_eq!(Some(f.predicted.to_bits()), bits(&cells[2]), "{month}: {} vs {}", f.predicted, cells[2]);
        let band = |b: Option<leche_core::Band>| (b.map(|b| b.lower.to_bits()), b.map(|b| b.upper.to_bits()));
        assert_eq!(band(f.band80), (bits(&cells[5]), bits(&cells[6])), "{month} 80 % band");
        assert_eq!(band(f.band50), (bits(&cells[7]), bits(&cells[8])), "{month} 50 % band");
    }
    // The file ends with the fan: h = 1 … 12 after the last price.
    let tail: Vec<u32> = got.iter().rev().take(MAX_HORIZON as usize).map(|f| f.horizon).collect();
    assert_eq!(tail, (1..=MAX_HORIZON).rev().collect::<Vec<_>>());
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn fans_horizons_and_their_limits() {
    let (db, models) = shipped();
    for model in &models.models {
        model.check().expect("a shipped model passes its own check");
        model.check_on(&db.tables).expect("a shipped model's forecasts on the shipped tables pass the use check");
        let next = model.next_month(&db.tables).expect("data present");
        // Features end in 2020-04; prices go on to 2021-02.
        let expected = match model.inputs() {
            Inputs::AllSources => "2020-05",
            Inputs::PriceHistory => "2021-03",
        };
        assert_eq!(next.to_string(), expected, "{}", model.name);
        let fan = model.fan(&db.tables);
        let want = if model.id == ModelId::Replica { 1 } else { MAX_HORIZON as usize };
        assert_eq!(fan.len(), want, "{}", model.name);
        for (i, f) in fan.iter().enumerate() {
            assert_eq!((f.month, f.horizon), (next.offset(i as i32), i as u32 + 1));
            assert!(f.predicted.is_finite());
            if let (Some(b80), Some(b50)) = (f.band80, f.band50) {
                assert!(b80.lower <= b50.lower && b50.lower <= b50.upper && b50.upper <= b80.upper, "{f:?}");
                assert!(b80.lower <= f.predicted && f.predicted <= b80.upper, "{f:?}");
            } else {
                assert_eq!(model.id, ModelId::Replica, "the recommended model has both bands at every horizon");
            }
        }
    }
    let recommended = models.models.iter().find(|m| m.id == ModelId::Recommended).expect("recommended");
    let june = recommended.forecast(&db.tables, m("2021-06")).expect("2021-06 is four months after 2021-02");
    assert!(june.horizon == 4 && june.band80.is_some() && june.band50.is_some() && june.real.is_none());
    match recommended.forecast(&db.tables, m("2022-03")) {
        Err(ForecastError::BeyondHorizon { month, last_price, horizon, max }) => {
            assert_eq!((month, last_price, horizon, max), (m("2022-03"), m("2021-02"), 13, 12));
        }
        other => panic!("13 months after the last price: {other:?}"),
    }
    let replica = models.models.iter().find(|m| m.id == ModelId::Replica).expect("replica");
    let err = replica.forecast(&db.tables, m("2021-04")).expect_err("one-step model");
    assert!(matches!(err, ForecastError::OneStepOnly { .. }), "{err:?}");
    assert!(err.to_string().contains("2021-04"));
    let err = replica.forecast(&db.tables, m("2020-07")).expect_err("inputs missing");
    assert!(err.to_string().contains("2020-05") && err.to_string().contains("2020-06"), "{err}");
}

/// Every number of `got` within `tol` relative of `want` (0: the same
/// bits), everything else equal.
fn assert_close(got: &Value, want: &Value, tol: f64, path: &str) {
    match (got, want) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().expect("number"), b.as_f64().expect("number"));
            if tol == 0.0 {
                assert_eq!(a.to_bits(), b.to_bits(), "{path}: {a} vs {b}");
            } else {
                assert!((a - b).abs() <= tol * b.abs().max(1e-300), "{path}: {a} vs {b}");
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{path}");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_close(x, y, tol, &format!("{path}[{i}]"));
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{path}");
            for (k, x) in a {
                assert_close(x, &b[k], tol, &format!("{path}.{k}"));
            }
        }
        _ => assert_eq!(got, want, "{path}"),
    }
}

/// The browser's retrain is this same call on the stored tables: on the
/// shipped tables it must give the shipped recommended model and evaluation
/// — to the bit natively (where the trainer ran), to 1e-9 relative in wasm,
/// where MSTL's fit (augurs, platform `ln`/`exp`) may differ in the last
/// bits — reporting its progress in order up to the final fit.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn retraining_on_the_shipped_tables_gives_the_shipped_recommended_model() {
    use leche_core::protocol::{honest_observed, Progress};

    let (db, models) = shipped();
    let evaluation: EvaluationArtifact = serde_json::from_str(EVALUATION).expect("evaluation artifact");
    let shipped = models.models.iter().find(|m| m.id == ModelId::Recommended).expect("recommended shipped");
    let mut seen: Vec<Progress> = Vec::new();
    let report = honest_observed(&db.tables, &mut |p| seen.push(p)).expect("protocol runs");
    let tol = if cfg!(target_arch = "wasm32") { 1e-9 } else { 0.0 };
    let json = |v: &dyn erased::Json| v.value();
    assert_close(&json(&report.model), &json(shipped), tol, "model");
    assert_close(&json(&report.evaluation), &json(evaluation.honest.as_ref().expect("honest evaluation")), tol, "evaluation");
    let last = seen.last().expect("progress reported");
    assert_eq!((last.done + 1, last.candidate), (last.total, None));
    assert!(seen.windows(2).all(|w| w[1].done == w[0].done + 1 && w[1].total == w[0].total));
    assert_eq!(report.evaluation.beats_naive, models.beats_naive.expect("honest protocol shipped"));
}

mod erased {
    /// Anything serialisable, as a JSON tree.
    pub trait Json {
        fn value(&self) -> serde_json::Value;
    }

    impl<T: serde::Serialize> Json for T {
        fn value(&self) -> serde_json::Value {
            serde_json::to_value(self).expect("serialisable")
        }
    }
}

/// Issue 22: the fitted forms behind `Method` (newtype variants where struct
/// variants were) and a model's `inputs` and `needs` (written from its
/// method) give the shipped JSON back to the byte.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_shipped_artifacts_read_and_write_byte_identically() {
    let (_, models) = shipped();
    assert_eq!(serde_json::to_string(&models).expect("models"), MODELS);
    let evaluation: EvaluationArtifact = serde_json::from_str(EVALUATION).expect("evaluation artifact");
    assert_eq!(serde_json::to_string(&evaluation).expect("evaluation"), EVALUATION);
}

/// Why each forecast is what it is, to the bit: every candidate, fitted on
/// the shipped tables at the month after its data, and both shipped models
/// explain every horizon of their fan, the path the recursion walks, and
/// the last two years one month ahead, with parts whose value
/// ([`leche_core::forecast::explanation::Step::value`]) is the forecast's
/// exact bits; a chain's steps each start from the one before.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_explanation_recomposes_its_forecast_to_the_bit() {
    use leche_core::forecast::explanation::Explanation;
    use leche_core::forecast::{Method, CANDIDATES};
    let (db, models) = shipped();
    let db = &db.tables;
    let next = |inputs: Inputs| inputs.base_rows(db).keys().next_back().expect("rows").next();
    let mut methods: Vec<(String, Method)> = models.models.iter().map(|m| (m.name.clone(), m.method.clone())).collect();
    for id in CANDIDATES {
        let inputs = if id.one_step_only() { Inputs::AllSources } else { Inputs::PriceHistory };
        let fit = id.candidate().expect("candidate").fit(db, next(inputs)).expect("fits on the shipped tables");
        methods.push((id.label().to_string(), fit.method));
    }
    assert_eq!(methods.len(), CANDIDATES.len() + 2);
    let chained = |name: &str, e: &Explanation| {
        for pair in e.steps.windows(2) {
            if let Some(b) = pair[1].base.filter(|b| b.forecast) {
                let from = e.steps.iter().find(|s| s.month == b.month).expect("a forecast base is a step of the chain");
                assert_eq!(b.price.to_bits(), from.value().to_bits(), "{name} {}: base {}", pair[1].month, b.month);
            }
        }
    };
    for (name, method) in &methods {
        let origin = next(method.inputs());
        let steps = if method.candidate().one_step_only() { 1 } else { MAX_HORIZON };
        let path = method.path(db, origin, steps).expect("path");
        let explained = method.explain_path(db, origin, steps).expect("explained path");
        assert_eq!(explained.len(), path.len(), "{name}");
        for (s, (step, value)) in explained.iter().zip(&path).enumerate() {
            assert_eq!((step.month, step.value().to_bits()), (origin.offset(s as i32), value.to_bits()), "{name} path step {s}");
        }
        let past = origin.offset(-24).through(origin.prev());
        for month in past.chain(origin.through(origin.offset(steps as i32 - 1))) {
            let (value, horizon) = method.forecast_month(db, month).expect("forecast");
            let e = method.explain_month(db, month).expect("explanation");
            assert_eq!((e.month, e.horizon), (month, horizon), "{name} {month}");
            assert_eq!(e.value().to_bits(), value.to_bits(), "{name} {month}: {} vs {value}", e.value());
            assert!(!e.steps.is_empty() && e.steps.iter().all(|s| !s.parts.is_empty() || s.base.is_some()), "{name} {month}");
            chained(name, &e);
        }
        // Past the fan, the explanation refuses as the forecast does.
        let beyond = origin.offset(MAX_HORIZON as i32);
        assert_eq!(method.explain_month(db, beyond).err(), method.forecast_month(db, beyond).err(), "{name}");
    }
}
