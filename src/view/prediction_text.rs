//! Text the user downloads: the results table as CSV and a prediction's
//! log details.

use leche_core::{Forecast, ForecastError, Month};

use crate::view::freshness::last_and_age;

/// The results table as CSV: the core's one forecast-CSV writer, the same
/// format as the trainer's `predictions.csv`, so the two compare value for
/// value — after one `#` comment line that says which month the data reach
/// and how long before the download that was (a file read years later
/// must not pass for a current forecast).
pub fn results_csv(forecasts: &[Forecast], last_price: Option<Month>, today: Option<Month>) -> String {
    let reach = match last_price {
        Some(last) => format!("datos hasta {last} (último precio: {})", last_and_age(last, today)),
        None => "sin precios guardados".to_string(),
    };
    let when = today.map(|t| format!("; descargado en {t}")).unwrap_or_default();
    format!("# Leche: {reach}{when}\n{}", leche_core::artifact::forecast_csv(forecasts))
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

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    #[test]
    fn details_list_outputs_then_missing_months() {
        let f = [Forecast { month: m("2020-06"), horizon: 4, predicted: 250.5, real: None, band80: None, band50: None }];
        let d = prediction_details(&f, &[]);
        assert_eq!(d, "2020-06 h=4 predicho=250.5 real=- error=-\n");
        let csv = results_csv(&f, Some(m("2021-02")), Some(m("2026-12")));
        assert_eq!(csv.lines().next(), Some("# Leche: datos hasta 2021-02 (último precio: febrero de 2021, hace 5 años y 10 meses); descargado en 2026-12"));
        assert_eq!(csv.lines().nth(2), Some("2020-06,4,250.5,,,,,,"));
        let no_clock = results_csv(&f, Some(m("2021-02")), None);
        assert_eq!(no_clock.lines().next(), Some("# Leche: datos hasta 2021-02 (último precio: febrero de 2021)"));
    }
}
