//! Text the user downloads: the results table as CSV and a prediction's
//! log details.

use leche_core::{Forecast, ForecastError};

/// The results table as CSV: the core's one forecast-CSV writer, the same
/// format as the trainer's `predictions.csv`, so the two compare value for value.
pub fn results_csv(forecasts: &[Forecast]) -> String {
    leche_core::artifact::forecast_csv(forecasts)
}

/// A prediction's outputs for the interaction log, one month per line.
pub fn prediction_details(forecasts: &[Forecast], unavailable: &[ForecastError]) -> String {
    let mut out = String::new();
    for f in forecasts {
        let opt = |v: Option<f64>| v.map(|x| format!("{x:?}")).unwrap_or_else(|| "-".into());
        out.push_str(&format!(
            "{} h={} predicho={:?} real={} error={}\n",
            f.month,
            f.horizon,
            f.predicted,
            opt(f.real),
            opt(f.error())
        ));
    }
    for u in unavailable {
        out.push_str(&format!("{u}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use leche_core::Month;

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    #[test]
    fn details_list_outputs_then_missing_months() {
        let f = [Forecast { month: m("2020-06"), horizon: 4, predicted: 250.5, real: None, band80: None, band50: None }];
        let d = prediction_details(&f, &[]);
        assert_eq!(d, "2020-06 h=4 predicho=250.5 real=- error=-\n");
        assert_eq!(results_csv(&f).lines().nth(1), Some("2020-06,4,250.5,,,,,,"));
    }
}
