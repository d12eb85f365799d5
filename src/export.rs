//! Text the user downloads: the results table as CSV and a prediction's
//! log details.

use leche_core::features::MissingData;
use leche_core::Forecast;

/// `month,predicted,real,error,lower,upper` (lower/upper: the 80%
/// interval), full precision (Rust's shortest round-trip form), a point as
/// decimal separator and unknown values empty: the same conventions as the
/// trainer's `predictions.csv`, so the two can be compared value for value.
pub fn results_csv(forecasts: &[Forecast]) -> String {
    let mut out = String::from("month,predicted,real,error,lower,upper\n");
    for f in forecasts {
        let opt = |v: Option<f64>| v.map(|x| format!("{x:?}")).unwrap_or_default();
        out.push_str(&format!(
            "{},{:?},{},{},{},{}\n",
            f.month,
            f.predicted,
            opt(f.real),
            opt(f.error()),
            opt(f.lower),
            opt(f.upper)
        ));
    }
    out
}

/// A prediction's outputs for the interaction log, one month per line.
pub fn prediction_details(forecasts: &[Forecast], unavailable: &[MissingData]) -> String {
    let mut out = String::new();
    for f in forecasts {
        let opt = |v: Option<f64>| v.map(|x| format!("{x:?}")).unwrap_or_else(|| "-".into());
        out.push_str(&format!(
            "{} predicho={:?} real={} error={}\n",
            f.month,
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
    fn csv_keeps_full_precision_and_leaves_unknowns_empty() {
        let f = [
            Forecast { month: m("2020-01"), predicted: 233.23651545642127, real: Some(232.47), lower: None, upper: None },
            Forecast { month: m("2020-06"), predicted: 250.0, real: None, lower: Some(241.5), upper: Some(258.25) },
        ];
        let csv = results_csv(&f);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "month,predicted,real,error,lower,upper");
        assert_eq!(lines[1], format!("2020-01,233.23651545642127,232.47,{:?},,", 232.47 - 233.23651545642127));
        assert_eq!(lines[2], "2020-06,250.0,,,241.5,258.25");
    }

    #[test]
    fn details_list_outputs_then_missing_months() {
        let f = [Forecast { month: m("2020-06"), predicted: 250.5, real: None, lower: None, upper: None }];
        let d = prediction_details(&f, &[]);
        assert_eq!(d, "2020-06 predicho=250.5 real=- error=-\n");
    }
}
