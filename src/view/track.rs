//! How past forecasts did: the app keeps every forecast it showed for a
//! month that had no price yet ([`keep`]), and once that month's price
//! arrives (an upload, pasted months) scores it ([`score`]): the error, whether
//! the 50 % and 80 % bands held, and the running mean absolute error next to
//! what the naive forecast ("next month = the last price") said at the same
//! time. A backtest is the model judged on the past it was chosen on; this is
//! the model judged on months it could not have seen.
//!
//! A forecast is identified by model, origin (the last price month when it
//! was made) and month ([`KeptForecast::key`]): showing the same fan again
//! is not a new forecast, the first one stands. The records live in the
//! store's `forecasts` object store; the markup Registros shows is built
//! here ([`track_html`]) so it is tested natively.

use leche_core::{Band, Database, Forecast, ModelId, Month, MAX_HORIZON};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::view::chart::escape;
use crate::view::format::{band, capitalize, clp, count, exact, number, signed};

/// Models in the order summaries list them.
const MODEL_ORDER: [ModelId; 2] = [ModelId::Recommended, ModelId::Replica];

/// One forecast as kept in the `forecasts` object store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeptForecast {
    pub month: Month,
    /// Months after the data it was made from (the model's horizon).
    pub horizon: u32,
    pub predicted: f64,
    pub band50: Option<Band>,
    pub band80: Option<Band>,
    pub model: ModelId,
    /// The last month with a price when it was made.
    pub origin: Month,
    /// The price at `origin`: what naive forecast for every later month then.
    pub naive: f64,
    /// When it was made (ISO 8601 UTC).
    pub made: String,
}

/// Why a stored record is not a kept forecast; named in the store's error.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum TrackError {
    #[error("registro «{key}»: la clave no corresponde al pronóstico ({expected})")]
    Key { key: String, expected: String },
    #[error("registro «{key}»: {what} no es un número finito")]
    NotFinite { key: String, what: &'static str },
    #[error("registro «{key}»: banda de {level} % con el límite inferior sobre el superior")]
    Band { key: String, level: u32 },
    #[error("registro «{key}»: horizonte {horizon} fuera de 1 a {MAX_HORIZON}")]
    Horizon { key: String, horizon: u32 },
    #[error("registro «{key}»: el mes pronosticado no es posterior al último precio que tenía")]
    Order { key: String },
}

impl KeptForecast {
    /// The record's key: `model/origin/month`, e.g. `recommended/2021-02/2021-05`.
    pub fn key(&self) -> String {
        format!("{}/{}/{}", self.model.key(), self.origin, self.month)
    }

    /// Whether a record read under `key` is one [`keep`] could have made
    /// (scoring divides and compares its numbers; a damaged one is refused).
    pub fn check(&self, key: &str) -> Result<(), TrackError> {
        let expected = self.key();
        if key != expected {
            return Err(TrackError::Key { key: key.into(), expected });
        }
        let named = || key.to_string();
        let bands = [(50, self.band50), (80, self.band80)];
        let numbers = [("el pronóstico", Some(self.predicted)), ("el precio ingenuo", Some(self.naive))]
            .into_iter()
            .chain(bands.iter().flat_map(|(_, b)| [("una banda", b.map(|b| b.lower)), ("una banda", b.map(|b| b.upper))]));
        for (what, v) in numbers {
            if v.is_some_and(|v| !v.is_finite()) {
                return Err(TrackError::NotFinite { key: named(), what });
            }
        }
        if let Some((level, _)) = bands.iter().find(|(_, b)| b.is_some_and(|b| b.lower > b.upper)) {
            return Err(TrackError::Band { key: named(), level: *level });
        }
        if !(1..=MAX_HORIZON).contains(&self.horizon) {
            return Err(TrackError::Horizon { key: named(), horizon: self.horizon });
        }
        if self.month <= self.origin {
            return Err(TrackError::Order { key: named() });
        }
        Ok(())
    }
}

/// The forecasts of `model` worth keeping: those of months after the last
/// price in `db` (a month with a price is no forecast of the unknown), each
/// once by [`KeptForecast::key`], and only what [`KeptForecast::check`]
/// accepts (what is written must read back).
pub fn keep(model: ModelId, forecasts: &[Forecast], db: &Database, now: &str) -> Vec<KeptForecast> {
    let Some((origin, naive)) = db.last_price_month().and_then(|m| Some((m, db.price(m)?))) else {
        return Vec::new();
    };
    let mut kept: Vec<KeptForecast> = Vec::new();
    for f in forecasts.iter().filter(|f| f.month > origin) {
        let k = KeptForecast {
            month: f.month,
            horizon: f.horizon,
            predicted: f.predicted,
            band50: f.band50,
            band80: f.band80,
            model,
            origin,
            naive,
            made: now.into(),
        };
        let key = k.key();
        if k.check(&key).is_ok() && !kept.iter().any(|x| x.key() == key) {
            kept.push(k);
        }
    }
    kept
}

/// A kept forecast whose month now has a price.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub kept: KeptForecast,
    pub real: f64,
    /// Real − predicted.
    pub error: f64,
    /// Real − naive's forecast then.
    pub naive_error: f64,
    /// Whether the price fell inside the band (edges included); `None` without one.
    pub held50: Option<bool>,
    pub held80: Option<bool>,
    /// This model's mean absolute error over its scored forecasts up to this one (month order).
    pub mae: f64,
    /// Naive's, over the same forecasts.
    pub naive_mae: f64,
}

/// How often a band held the price.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Held {
    pub held: usize,
    /// Scored forecasts that had the band.
    pub of: usize,
}

/// One model's record.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub model: ModelId,
    /// Scored forecasts.
    pub count: usize,
    /// Mean absolute error of the scored forecasts and of naive's; `None` before any.
    pub mae: Option<f64>,
    pub naive_mae: Option<f64>,
    pub held50: Held,
    pub held80: Held,
    /// Kept forecasts whose month has no price yet.
    pub waiting: usize,
}

impl Summary {
    /// Our error over naive's (below 1: better than naive); `None` when naive's is 0 or unknown.
    pub fn ratio(&self) -> Option<f64> {
        let (ours, naive) = (self.mae?, self.naive_mae?);
        (naive > 0.0).then(|| ours / naive)
    }
}

/// Every scored forecast and each model's summary.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrackRecord {
    /// Ordered by month, then horizon, then model.
    pub rows: Vec<Scored>,
    /// One per model with kept forecasts (recommended first).
    pub summaries: Vec<Summary>,
}

impl TrackRecord {
    pub fn summary(&self, model: ModelId) -> Option<&Summary> {
        self.summaries.iter().find(|s| s.model == model)
    }
}

/// Scores the kept forecasts whose month has a price in `db`. Each model
/// is scored on its own: a running error mixing two models says nothing.
pub fn score(kept: &[KeptForecast], db: &Database) -> TrackRecord {
    let rank = |m: ModelId| MODEL_ORDER.iter().position(|x| *x == m);
    let mut known: Vec<(&KeptForecast, f64)> = kept.iter().filter_map(|k| Some((k, db.price(k.month)?))).collect();
    known.sort_by_key(|(k, _)| (k.month, k.horizon, rank(k.model), k.origin));
    let mut rows = Vec::with_capacity(known.len());
    let mut summaries: Vec<Summary> = Vec::new();
    for model in MODEL_ORDER {
        let waiting = kept.iter().filter(|k| k.model == model && db.price(k.month).is_none()).count();
        let mine: Vec<&(&KeptForecast, f64)> = known.iter().filter(|(k, _)| k.model == model).collect();
        if waiting == 0 && mine.is_empty() {
            continue;
        }
        let mut summary =
            Summary { model, count: 0, mae: None, naive_mae: None, held50: Held::default(), held80: Held::default(), waiting };
        let (mut sum, mut naive_sum) = (0.0, 0.0);
        for &&(k, real) in &mine {
            let (error, naive_error) = (real - k.predicted, real - k.naive);
            summary.count += 1;
            sum += error.abs();
            naive_sum += naive_error.abs();
            let held = |b: Option<Band>, tally: &mut Held| {
                let held = b.map(|b| b.contains(real));
                if let Some(h) = held {
                    tally.of += 1;
                    tally.held += usize::from(h);
                }
                held
            };
            let held50 = held(k.band50, &mut summary.held50);
            let held80 = held(k.band80, &mut summary.held80);
            let n = summary.count as f64;
            rows.push(Scored { kept: k.clone(), real, error, naive_error, held50, held80, mae: sum / n, naive_mae: naive_sum / n });
        }
        if summary.count > 0 {
            let n = summary.count as f64;
            summary.mae = Some(sum / n);
            summary.naive_mae = Some(naive_sum / n);
        }
        summaries.push(summary);
    }
    rows.sort_by_key(|s| (s.kept.month, s.kept.horizon, rank(s.kept.model), s.kept.origin));
    TrackRecord { rows, summaries }
}

/// One model's record in a sentence, e.g. «3 pronósticos con precio
/// conocido: error medio absoluto 4,12 CLP/litro; el ingenuo 6,50 (0,63 ×).
/// Banda 50 %: acertó 2 de 3; banda 80 %: acertó 3 de 3. 9 esperan su precio.»
pub fn summary_line(s: &Summary) -> String {
    let mut out = match (s.mae, s.naive_mae) {
        (Some(mae), Some(naive)) => {
            let ratio = s.ratio().map(|r| format!(" ({} ×)", number(r, 2))).unwrap_or_default();
            format!(
                "{} {} con precio conocido: error medio absoluto {} CLP/litro; el ingenuo {}{ratio}.",
                count(s.count),
                if s.count == 1 { "pronóstico" } else { "pronósticos" },
                clp(mae),
                clp(naive)
            )
        }
        _ => "Aún ningún pronóstico con precio conocido.".to_string(),
    };
    let bands: Vec<String> = [("50 %", s.held50), ("80 %", s.held80)]
        .into_iter()
        .filter(|(_, h)| h.of > 0)
        .map(|(name, h)| format!("banda {name}: acertó {} de {}", count(h.held), count(h.of)))
        .collect();
    if !bands.is_empty() {
        out.push_str(&format!(" {}.", capitalize(&bands.join("; "))));
    }
    if s.waiting > 0 {
        out.push_str(&format!(" {} {} su precio.", count(s.waiting), if s.waiting == 1 { "espera" } else { "esperan" }));
    }
    out
}

/// How the model's last forecasts did, in one line for the home page,
/// beside the forecast: its last `n` scored forecasts at the shortest
/// horizon it has scored, their mean absolute error as a share of the real
/// price and how many the 80 % band held, e.g. «Los últimos 6 pronósticos a
/// 1 mes con precio conocido erraron en promedio 1,2 %; la banda de 80 %
/// contuvo 5 de 6.» `None` before any forecast of the model is scored.
pub fn recent_line(record: &TrackRecord, model: ModelId, n: usize) -> Option<String> {
    let mine: Vec<&Scored> = record.rows.iter().filter(|s| s.kept.model == model).collect();
    let h = mine.iter().map(|s| s.kept.horizon).min()?;
    let last: Vec<&Scored> = mine.into_iter().filter(|s| s.kept.horizon == h).rev().take(n).collect();
    let k = last.len();
    let mean = last.iter().map(|s| (s.error / s.real).abs()).sum::<f64>() / k.max(1) as f64;
    let ahead = if h == 1 { "1 mes".to_string() } else { format!("{h} meses") };
    let error = format!("{} %", number(mean * 100.0, 1));
    let held: Vec<bool> = last.iter().filter_map(|s| s.held80).collect();
    let band = match (k, held.len()) {
        (_, 0) => String::new(),
        (1, _) if held[0] => "; su banda de 80 % lo contuvo".into(),
        (1, _) => "; su banda de 80 % no lo contuvo".into(),
        (_, of) => format!("; la banda de 80 % contuvo {} de {}", count(held.iter().filter(|h| **h).count()), count(of)),
    };
    Some(if k == 1 {
        format!("El último pronóstico a {ahead} con precio conocido erró {error}{band}.")
    } else {
        format!("Los últimos {} pronósticos a {ahead} con precio conocido erraron en promedio {error}{band}.", count(k))
    })
}

/// What an empty record says will appear.
const EMPTY: &str = "Cada pronóstico que la página muestra para un mes sin precio (los próximos meses de la portada, o una consulta) se guarda en este navegador. Cuando llegue el precio de ese mes (una carga en Datos), aparecerá aquí junto al pronóstico: su error, si las bandas de 50 % y 80 % acertaron y cómo le fue frente al pronóstico ingenuo (el mes siguiente = el último precio).";

/// The body of Registros' «Historial de pronósticos»: a summary line per
/// model, then the table of scored forecasts (`#track-table`) or, before
/// any price arrived, what will appear. Its region is labelled by `#track-title`,
/// the heading of the card it goes in.
pub fn track_html(record: &TrackRecord) -> String {
    let mut out = String::new();
    for s in &record.summaries {
        out.push_str(&format!(
            "<p class=\"track-summary\" data-model=\"{}\" data-count=\"{}\" data-waiting=\"{}\"><strong>{}:</strong> {}</p>",
            s.model.key(),
            s.count,
            s.waiting,
            escape(s.model.label()),
            escape(&summary_line(s))
        ));
    }
    if record.rows.is_empty() {
        let lead = if record.summaries.is_empty() { "Aún no hay pronósticos guardados. " } else { "" };
        out.push_str(&format!("<p id=\"track-empty\" class=\"hint\">{lead}{}</p>", escape(EMPTY)));
        return out;
    }
    out.push_str(concat!(
        // Wide: a keyboard user must be able to scroll it (the heading is Registros' card's).
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"track-title\"><table id=\"track-table\"><thead><tr>",
        "<th scope=\"col\">Mes</th><th scope=\"col\">Modelo</th><th scope=\"col\" class=\"num\">h</th>",
        "<th scope=\"col\">Con datos hasta</th><th scope=\"col\">Hecho el</th>",
        "<th scope=\"col\" class=\"num\">Pronóstico</th><th scope=\"col\" class=\"num\">Real</th>",
        "<th scope=\"col\" class=\"num\">Error</th><th scope=\"col\" class=\"num\">Error ingenuo</th>",
        "<th scope=\"col\">50 %</th><th scope=\"col\">80 %</th>",
        "<th scope=\"col\" class=\"num\">Error medio abs. acumulado</th><th scope=\"col\" class=\"num\">Ingenuo acumulado</th>",
        "</tr></thead><tbody>"
    ));
    for s in &record.rows {
        let k = &s.kept;
        let held_attr = |h: Option<bool>| h.map(|h| h.to_string()).unwrap_or_default();
        let held_cell = |class: &str, b: Option<Band>, h: Option<bool>| {
            let text = match h {
                Some(true) => format!("sí ({})", band(b)),
                Some(false) => format!("no ({})", band(b)),
                None => "—".to_string(),
            };
            format!(
                "<td class=\"{class}\" data-lower=\"{}\" data-upper=\"{}\">{}</td>",
                escape(&exact(b.map(|b| b.lower))),
                escape(&exact(b.map(|b| b.upper))),
                escape(&text)
            )
        };
        let value = |class: &str, v: f64, text: String| {
            format!("<td class=\"num {class}\" data-value=\"{}\">{}</td>", escape(&exact(Some(v))), escape(&text))
        };
        out.push_str(&format!(
            "<tr data-month=\"{m}\" data-horizon=\"{h}\" data-model=\"{model}\" data-origin=\"{o}\" data-held50=\"{h50}\" data-held80=\"{h80}\">",
            m = escape(&k.month.to_string()),
            h = k.horizon,
            model = k.model.key(),
            o = escape(&k.origin.to_string()),
            h50 = held_attr(s.held50),
            h80 = held_attr(s.held80),
        ));
        out.push_str(&format!(
            "<th scope=\"row\" class=\"date\">{}</th><td>{}</td><td class=\"num horizon\" data-value=\"{h}\">h = {h}</td><td class=\"date\">{}</td><td><time datetime=\"{}\">{}</time></td>",
            escape(&k.month.to_string()),
            escape(k.model.label()),
            escape(&k.origin.to_string()),
            escape(&k.made),
            escape(k.made.get(..10).unwrap_or(&k.made)),
            h = k.horizon,
        ));
        out.push_str(&value("predicted", k.predicted, clp(k.predicted)));
        out.push_str(&value("real", s.real, clp(s.real)));
        out.push_str(&value("error", s.error, signed(s.error)));
        out.push_str(&value("naive-error", s.naive_error, signed(s.naive_error)));
        out.push_str(&held_cell("held50", k.band50, s.held50));
        out.push_str(&held_cell("held80", k.band80, s.held80));
        out.push_str(&value("mae", s.mae, clp(s.mae)));
        out.push_str(&value("naive-mae", s.naive_mae, clp(s.naive_mae)));
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    /// Prices from 2020-11 to `last`, 300 + i.
    fn prices(last: &str) -> Database {
        let mut db = Database::default();
        for (i, mo) in m("2020-11").through(m(last)).enumerate() {
            db.milk_price.insert(mo, vec![300.0 + i as f64]);
        }
        db
    }

    fn forecast(month: &str, horizon: u32, predicted: f64, real: Option<f64>) -> Forecast {
        Forecast {
            month: m(month),
            horizon,
            predicted,
            real,
            band50: Some(Band { lower: predicted - 2.0, upper: predicted + 2.0 }),
            band80: Some(Band { lower: predicted - 5.0, upper: predicted + 5.0 }),
        }
    }

    const NOW: &str = "2021-03-10T12:00:00.000Z";

    #[test]
    fn only_months_after_the_last_price_are_kept_with_naive_then() {
        let db = prices("2021-02");
        let fs = [forecast("2021-01", 1, 301.0, Some(302.0)), forecast("2021-03", 1, 305.0, None), forecast("2021-05", 3, 307.0, None)];
        let kept = keep(ModelId::Recommended, &fs, &db, NOW);
        assert_eq!(kept.iter().map(|k| k.month).collect::<Vec<_>>(), vec![m("2021-03"), m("2021-05")]);
        let may = &kept[1];
        assert_eq!((may.origin, may.naive, may.horizon, may.made.as_str()), (m("2021-02"), 303.0, 3, NOW));
        assert_eq!(may.key(), "recommended/2021-02/2021-05");
        assert!(keep(ModelId::Recommended, &fs, &Database::default(), NOW).is_empty(), "no price, no origin");
    }

    #[test]
    fn the_same_forecast_twice_is_kept_once() {
        let db = prices("2021-02");
        let fs = [forecast("2021-05", 3, 307.0, None), forecast("2021-05", 3, 999.0, None)];
        let kept = keep(ModelId::Replica, &fs, &db, NOW);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].predicted, 307.0, "the first one stands");
    }

    #[test]
    fn a_forecast_that_would_not_read_back_is_not_kept() {
        let db = prices("2021-02");
        let mut bad = forecast("2021-04", 2, f64::NAN, None);
        bad.band50 = None;
        assert!(keep(ModelId::Recommended, &[bad, forecast("2021-03", 13, 1.0, None)], &db, NOW).is_empty());
    }

    #[test]
    fn a_forecast_is_scored_once_its_price_arrives() {
        let kept = keep(ModelId::Recommended, &[forecast("2021-05", 3, 307.0, None)], &prices("2021-02"), NOW);
        let before = score(&kept, &prices("2021-02"));
        assert!(before.rows.is_empty());
        assert_eq!((before.summaries[0].count, before.summaries[0].waiting, before.summaries[0].mae), (0, 1, None));

        // 2021-03 … 2021-05 arrive: 2021-05 is 306.
        let record = score(&kept, &prices("2021-05"));
        let row = &record.rows[0];
        assert_eq!((row.real, row.error, row.naive_error), (306.0, -1.0, 3.0));
        assert_eq!((row.held50, row.held80), (Some(true), Some(true)));
        let s = &record.summaries[0];
        assert_eq!((s.count, s.waiting, s.mae, s.naive_mae), (1, 0, Some(1.0), Some(3.0)));
        assert_eq!(s.ratio(), Some(1.0 / 3.0));
    }

    /// The home page's line: the last forecasts at the shortest horizon
    /// scored, their mean error as a share of the price, the 80 % band's count.
    #[test]
    fn the_recent_line_reads_the_last_scored_forecasts_at_the_shortest_horizon() {
        let db = prices("2021-02");
        // One forecast at h = 1 for each of 2021-03 … 2021-10, kept as each month's origin passed, and one at h = 3.
        let mut kept = keep(ModelId::Recommended, &[forecast("2021-05", 3, 250.0, None)], &db, NOW);
        for (i, month) in m("2021-03").through(m("2021-10")).enumerate() {
            let mut k = keep(ModelId::Recommended, &[forecast(&month.to_string(), 1, 300.0 + i as f64 + 3.0, None)], &prices(&month.prev().to_string()), NOW);
            kept.append(&mut k);
        }
        assert_eq!(recent_line(&score(&kept, &db), ModelId::Recommended, 6), None, "no price yet");
        // Prices 304 … 311 arrive: every h = 1 forecast erred by 1 (300 + i + 3 vs 300 + i + 4).
        let record = score(&kept, &prices("2021-10"));
        let last6: Vec<&Scored> = record.rows.iter().filter(|s| s.kept.horizon == 1).rev().take(6).collect();
        let mean = last6.iter().map(|s| (s.error / s.real).abs()).sum::<f64>() / 6.0;
        let held = last6.iter().filter(|s| s.held80 == Some(true)).count();
        assert_eq!(
            recent_line(&record, ModelId::Recommended, 6).as_deref(),
            Some(format!("Los últimos 6 pronósticos a 1 mes con precio conocido erraron en promedio {} %; la banda de 80 % contuvo {held} de 6.", number(mean * 100.0, 1)).as_str())
        );
        assert!(recent_line(&record, ModelId::Replica, 6).is_none());
        let one = recent_line(&score(&kept[..2], &prices("2021-10")), ModelId::Recommended, 6).expect("one at h = 1");
        assert!(one.starts_with("El último pronóstico a 1 mes con precio conocido erró "), "{one}");
    }

    #[test]
    fn band_edges_hold_and_a_missing_band_is_none() {
        let mut k = keep(ModelId::Recommended, &[forecast("2021-05", 3, 304.0, None)], &prices("2021-02"), NOW);
        // Real 306 is exactly the 50 % band's upper edge (304 + 2).
        let record = score(&k, &prices("2021-05"));
        assert_eq!(record.rows[0].held50, Some(true));
        k[0].predicted = 303.0;
        k[0].band50 = Some(Band { lower: 301.0, upper: 305.9 });
        k[0].band80 = None;
        let record = score(&k, &prices("2021-05"));
        assert_eq!((record.rows[0].held50, record.rows[0].held80), (Some(false), None));
        assert_eq!((record.summaries[0].held50, record.summaries[0].held80), (Held { held: 0, of: 1 }, Held { held: 0, of: 0 }));
    }

    #[test]
    fn the_running_error_accumulates_in_month_order_per_model() {
        let db = prices("2021-02");
        let ours = keep(ModelId::Recommended, &[forecast("2021-04", 2, 300.0, None), forecast("2021-03", 1, 300.0, None)], &db, NOW);
        let replica = keep(ModelId::Replica, &[forecast("2021-03", 1, 310.0, None)], &db, NOW);
        let kept: Vec<KeptForecast> = replica.into_iter().chain(ours).collect();
        // 2021-03 = 304, 2021-04 = 305; naive said 303 from 2021-02.
        let record = score(&kept, &prices("2021-04"));
        let order: Vec<(String, ModelId)> = record.rows.iter().map(|r| (r.kept.month.to_string(), r.kept.model)).collect();
        assert_eq!(
            order,
            vec![("2021-03".into(), ModelId::Recommended), ("2021-03".into(), ModelId::Replica), ("2021-04".into(), ModelId::Recommended)]
        );
        let ours: Vec<(f64, f64)> = record.rows.iter().filter(|r| r.kept.model == ModelId::Recommended).map(|r| (r.mae, r.naive_mae)).collect();
        assert_eq!(ours, vec![(4.0, 1.0), (4.5, 1.5)]);
        assert_eq!(record.rows[1].mae, 6.0, "the replica's own running error");
        assert_eq!(record.summaries.iter().map(|s| s.model).collect::<Vec<_>>(), vec![ModelId::Recommended, ModelId::Replica]);
    }

    #[test]
    fn a_damaged_record_is_named() {
        let mut k = keep(ModelId::Recommended, &[forecast("2021-05", 3, 307.0, None)], &prices("2021-02"), NOW).remove(0);
        assert_eq!(k.check("recommended/2021-02/2021-05"), Ok(()));
        assert!(matches!(k.check("otra"), Err(TrackError::Key { .. })));
        k.band80 = Some(Band { lower: 2.0, upper: 1.0 });
        let e = k.check(&k.key()).expect_err("band");
        assert!(e.to_string().contains("recommended/2021-02/2021-05") && e.to_string().contains("80 %"), "{e}");
        k.band80 = None;
        k.origin = m("2021-06");
        assert!(matches!(k.check(&k.key()), Err(TrackError::Order { .. })));
    }

    #[test]
    fn records_round_trip_as_json() {
        let k = keep(ModelId::Replica, &[forecast("2021-03", 1, 305.123456789, None)], &prices("2021-02"), NOW).remove(0);
        let text = serde_json::to_string(&k).expect("json");
        assert!(text.contains("\"model\":\"replica\"") && text.contains("\"month\":\"2021-03\""), "{text}");
        assert_eq!(serde_json::from_str::<KeptForecast>(&text).ok(), Some(k));
    }

    #[test]
    fn the_summary_line_says_it_in_chilean_spanish() {
        let s = Summary {
            model: ModelId::Recommended,
            count: 3,
            mae: Some(4.123),
            naive_mae: Some(6.5),
            held50: Held { held: 2, of: 3 },
            held80: Held { held: 3, of: 3 },
            waiting: 9,
        };
        assert_eq!(
            summary_line(&s),
            "3 pronósticos con precio conocido: error medio absoluto 4,12 CLP/litro; el ingenuo 6,50 (0,63 ×). Banda 50 %: acertó 2 de 3; banda 80 %: acertó 3 de 3. 9 esperan su precio."
        );
        let waiting = Summary { count: 0, mae: None, naive_mae: None, held50: Held::default(), held80: Held::default(), waiting: 1, ..s };
        assert_eq!(summary_line(&waiting), "Aún ningún pronóstico con precio conocido. 1 espera su precio.");
    }

    #[test]
    fn the_table_carries_every_exact_value() {
        let kept = keep(ModelId::Recommended, &[forecast("2021-05", 3, 307.5, None), forecast("2021-06", 4, 1.0, None)], &prices("2021-02"), NOW);
        let html = track_html(&score(&kept, &prices("2021-05")));
        assert!(html.contains("<p class=\"track-summary\" data-model=\"recommended\" data-count=\"1\" data-waiting=\"1\"><strong>Modelo recomendado:</strong> 1 pronóstico"), "{html}");
        assert!(html.contains("<tr data-month=\"2021-05\" data-horizon=\"3\" data-model=\"recommended\" data-origin=\"2021-02\" data-held50=\"true\" data-held80=\"true\">"), "{html}");
        assert!(html.contains("<td class=\"num predicted\" data-value=\"307.5\">307,50</td>"));
        assert!(html.contains("<td class=\"num real\" data-value=\"306.0\">306,00</td>"));
        assert!(html.contains("<td class=\"num error\" data-value=\"-1.5\">-1,50</td>"));
        assert!(html.contains("<td class=\"num naive-error\" data-value=\"3.0\">+3,00</td>"));
        assert!(html.contains("<td class=\"held50\" data-lower=\"305.5\" data-upper=\"309.5\">sí (305,50 – 309,50)</td>"));
        assert!(html.contains("<time datetime=\"2021-03-10T12:00:00.000Z\">2021-03-10</time>"));
        assert_eq!(html.matches("<tr data-month=").count(), 1, "2021-06 still waits");

        let empty = track_html(&TrackRecord::default());
        assert!(empty.contains("id=\"track-empty\"") && empty.contains("Aún no hay pronósticos guardados") && !empty.contains("track-table"));
    }
}
