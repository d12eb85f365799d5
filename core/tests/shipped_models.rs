//! The shipped models predict, on this target, exactly the bits the native
//! trainer wrote to `predictions.csv`. Runs natively with `cargo test` and in
//! headless Chromium with `cargo test --target wasm32-unknown-unknown`.

use leche_core::artifact::{DatabaseArtifact, ModelsArtifact};

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
    let expected: Vec<(String, f64)> = PREDICTIONS
        .lines()
        .skip(1)
        .map(|l| {
            let mut cells = l.split(',');
            let month = cells.next().expect("month").to_string();
            (month, cells.next().expect("predicted").parse().expect("number"))
        })
        .collect();
    let got = model.forecast_all(&db.tables).forecasts;
    assert_eq!(got.len(), expected.len());
    assert!(got.len() > 70);
    for (f, (month, value)) in got.iter().zip(&expected) {
        assert_eq!(&f.month.to_string(), month);
        assert_eq!(f.predicted.to_bits(), value.to_bits(), "{month}: {} vs {value}", f.predicted);
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_shipped_model_forecasts_the_month_after_the_data() {
    let db: DatabaseArtifact = serde_json::from_str(DATABASE).expect("database artifact");
    let models: ModelsArtifact = serde_json::from_str(MODELS).expect("models artifact");
    for model in &models.models {
        let next = model.next_month(&db.tables).expect("data present");
        assert_eq!(next.to_string(), "2020-05");
        let f = model.forecast(&db.tables, next).expect("forecastable");
        assert!(f.predicted.is_finite() && f.real.is_some());
    }
}
