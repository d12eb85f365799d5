//! The shipped models predict, on this target, exactly the bits the native
//! trainer wrote to `predictions.csv`. Runs natively with `cargo test` and in
//! headless Chromium with `cargo test --target wasm32-unknown-unknown`.

use leche_core::artifact::{DatabaseArtifact, ModelsArtifact};
use leche_core::features::Inputs;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const DATABASE: &str = include_str!("../../public/artifacts/database.json");
const MODELS: &str = include_str!("../../public/artifacts/models.json");
const PREDICTIONS: &str = include_str!("../../public/artifacts/predictions.csv");

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn default_model_reproduces_predictions_csv_to_the_bit() {
    let db: DatabaseArtifact = serde_json::from_str(DATABASE).expect("database artifact");
    let models: ModelsArtifact = serde_json::from_str(MODELS).expect("models artifact");
    assert_eq!(db.version, models.version);
    let model = models.models.iter().find(|m| m.id == models.default_model).expect("default model shipped");
    let mut lines = PREDICTIONS.lines();
    assert_eq!(lines.next(), Some("month,predicted,real,lower,upper"));
    let bound = |c: &str| (!c.is_empty()).then(|| c.parse::<f64>().expect("number").to_bits());
    let expected: Vec<(String, f64, Option<u64>, Option<u64>)> = lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[0].to_string(), cells[1].parse().expect("number"), bound(cells[3]), bound(cells[4]))
        })
        .collect();
    let got = model.forecast_all(&db.tables).forecasts;
    assert_eq!(got.len(), expected.len());
    assert!(got.len() > 70);
    for (f, (month, value, lower, upper)) in got.iter().zip(&expected) {
        assert_eq!(&f.month.to_string(), month);
        assert_eq!(f.predicted.to_bits(), value.to_bits(), "{month}: {} vs {value}", f.predicted);
        assert_eq!((f.lower.map(f64::to_bits), f.upper.map(f64::to_bits)), (*lower, *upper), "{month} interval");
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_shipped_model_forecasts_the_month_after_the_data_it_reads() {
    let db: DatabaseArtifact = serde_json::from_str(DATABASE).expect("database artifact");
    let models: ModelsArtifact = serde_json::from_str(MODELS).expect("models artifact");
    for model in &models.models {
        let next = model.next_month(&db.tables).expect("data present");
        // Features end in 2020-04; prices go on to 2021-02.
        let expected = match model.inputs {
            Inputs::AllSources => "2020-05",
            Inputs::PriceHistory => "2021-03",
        };
        assert_eq!(next.to_string(), expected, "{}", model.name);
        let f = model.forecast(&db.tables, next).expect("forecastable");
        assert!(f.predicted.is_finite());
        assert_eq!(f.real.is_some(), model.inputs == Inputs::AllSources);
        if let (Some(lo), Some(hi)) = (f.lower, f.upper) {
            assert!(lo <= f.predicted && f.predicted <= hi, "{lo} {} {hi}", f.predicted);
        }
    }
}

/// The browser's retrain is this same call on the stored tables: on the
/// shipped tables, on either target, it must give the shipped recommended
/// model exactly (every parameter, every bit), reporting its progress in
/// order up to the final fit.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn retraining_on_the_shipped_tables_gives_the_shipped_recommended_model() {
    use leche_core::protocol::{honest_observed, Progress};
    use leche_core::ModelId;

    let db: DatabaseArtifact = serde_json::from_str(DATABASE).expect("database artifact");
    let models: ModelsArtifact = serde_json::from_str(MODELS).expect("models artifact");
    let shipped = models.models.iter().find(|m| m.id == ModelId::Recommended).expect("recommended shipped");
    let mut seen: Vec<Progress> = Vec::new();
    let report = honest_observed(&db.tables, &mut |p| seen.push(p)).expect("protocol runs");
    assert_eq!(&report.model, shipped);
    assert_eq!(serde_json::to_string(&report.model).unwrap(), serde_json::to_string(shipped).unwrap());
    let last = seen.last().expect("progress reported");
    assert_eq!((last.done + 1, last.candidate), (last.total, None));
    assert!(seen.windows(2).all(|w| w[1].done == w[0].done + 1 && w[1].total == w[0].total));
    assert_eq!(report.beats_naive, models.beats_naive.expect("honest protocol shipped"));
}
