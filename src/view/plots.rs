//! The app's charts as data: which lines, bands and points each chart
//! shows, built from the tables and forecasts by plain functions (tested
//! natively); [`crate::components::line_chart`] draws them.

use leche_core::forecast::backtest::{HorizonScore, Row};
use leche_core::{Database, Forecast, Month, Source};

use crate::view::chart::{by_month, month_x, runs, year_labels, Band, Chart, Line, Mark, Strip};
use crate::view::format::{clp, signed};
use crate::view::table_coverage::TableCoverage;

/// Design width of a chart in a pair (each takes half the card) and of a
/// chart alone: with the design height, its proportions on a wide box
/// (every chart is drawn at the width it measures: [`Chart::at_width`]).
pub const HALF: f64 = 400.0;
pub const WIDE: f64 = 800.0;

/// Every stored series as (source, column index, name).
pub fn all_series() -> Vec<(Source, usize, &'static str)> {
    Source::ALL.iter().flat_map(|&s| s.columns().into_iter().enumerate().map(move |(i, c)| (s, i, c))).collect()
}

fn values(db: &Database, s: Source, i: usize, first: Month, last: Month) -> Vec<(Month, f64)> {
    if first > last {
        return Vec::new();
    }
    db.table(s).range(first..=last).filter_map(|(m, row)| row.get(i).map(|v| (*m, *v))).collect()
}

/// One stored series over `first..=last`.
pub fn series(db: &Database, source: Source, column: usize, name: &str, first: Month, last: Month) -> Chart {
    let mut c = Chart::new(HALF, 220.0);
    c.narrow_ratio = Some(0.6);
    c.left = 48.0;
    c.bottom = 24.0;
    c.x_domain = Some((month_x(first), month_x(last)));
    c.x_ticks = year_labels(first, last, 5);
    c.lines.push(Line { class: "series s0".into(), name: name.to_string(), points: by_month(values(db, source, column, first, last)) });
    decimals_for_span(&mut c);
    c
}

/// Rainfall of one region month by month, one line per year on a shared
/// January…December axis.
pub fn rain_by_year(db: &Database, region: usize, years: &[i32]) -> Chart {
    let mut c = Chart::new(WIDE, 220.0);
    c.narrow_ratio = Some(0.6);
    c.left = 48.0;
    c.bottom = 24.0;
    c.x_domain = Some((1.0, 12.0));
    c.x_ticks = [1u32, 4, 7, 10]
        .iter()
        .filter_map(|&m| Month::new(2000, m).map(|mm| (f64::from(m), mm.spanish_name().to_string())))
        .collect();
    for (i, &y) in years.iter().enumerate() {
        let (Some(a), Some(b)) = (Month::new(y, 1), Month::new(y, 12)) else { continue };
        let points = values(db, Source::Rainfall, region, a, b).into_iter().map(|(m, v)| (f64::from(m.month()), v)).collect();
        c.lines.push(Line { class: format!("series s{}", i % 6), name: y.to_string(), points });
    }
    decimals_for_span(&mut c);
    c
}

/// Small spans get a decimal on the y labels.
fn decimals_for_span(c: &mut Chart) {
    let values: Vec<f64> = c.lines.iter().flat_map(|l| l.points.iter().map(|p| p.1)).collect();
    let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    c.y_decimals = if hi - lo < 10.0 { 1 } else { 0 };
}

/// The data page's coverage: a strip per table, a bar per run of
/// consecutive months, so gaps show as breaks (`None` with no months at all).
pub fn coverage(tables: &[TableCoverage]) -> Option<Chart> {
    let first = tables.iter().filter_map(|t| t.coverage.first).min()?;
    let last = tables.iter().filter_map(|t| t.coverage.last).max()?;
    let strips = tables
        .iter()
        .map(|t| {
            let c = &t.coverage;
            let months: Vec<Month> = match (c.first, c.last) {
                (Some(a), Some(b)) => a.through(b).filter(|m| c.gaps.binary_search(m).is_err()).collect(),
                _ => Vec::new(),
            };
            let runs: Vec<(f64, f64, String)> =
                runs(&months).into_iter().map(|(a, b)| (month_x(a), month_x(b) + 1.0, format!("{}: {a} a {b}", t.label))).collect();
            let data = vec![("table", t.id.to_string()), ("months", c.count.to_string()), ("runs", runs.len().to_string())];
            Strip { label: t.short.to_string(), runs, data }
        })
        .collect();
    let mut c = Chart::strips(WIDE, (month_x(first), month_x(last) + 1.0), strips);
    c.x_ticks = year_labels(first, last, 9);
    Some(c)
}

/// What a forecast point says on hover or focus.
pub fn point_text(f: &Forecast) -> String {
    match (f.real, f.error()) {
        (Some(r), Some(e)) => format!("{}: real {}, predicho {}, error {}", f.month, clp(r), clp(f.predicted), signed(e)),
        _ => format!("{}: predicho {} (sin precio real)", f.month, clp(f.predicted)),
    }
}

/// The months the price chart shows: the whole series, around the asked
/// months, or the last ten years.
///
/// Total over every query that parses, refused or not: asked months that
/// the chart cannot reach (a month years after the fan, such as this month
/// on data that end in 2021) give the last ten years instead of a window
/// that ends before it starts. The window is never reversed.
pub fn price_window(db: &Database, end: Month, whole: bool, asked: Option<(Month, Month)>) -> Option<(Month, Month)> {
    let first_real = *db.milk_price.keys().next()?;
    let recent = (end.offset(-120).min(end), end);
    Some(match (whole, asked) {
        (true, _) => (first_real.min(end), end),
        (false, Some((a, b))) => {
            let (from, to) = (a.offset(-12), b.offset(3).min(end.offset(3)));
            if from <= to {
                (from, to)
            } else {
                recent
            }
        }
        (false, None) => recent,
    })
}

/// The predict page's chart exactly as the page draws it, from the model's
/// one-step history and fan (`all`, in month order), the next month's
/// forecast, the "whole series" toggle and the asked months: the window
/// and the chart. A total function of its inputs (the fuzzer's view
/// target runs it on random queries, data and models); `None` only when
/// there is no price at all.
pub fn price_for_query(db: &Database, all: &[Forecast], next: Option<&Forecast>, whole: bool, asked: Option<(Month, Month)>) -> Option<((Month, Month), Chart)> {
    let last_real = db.last_price_month()?;
    let end = all.last().map_or(last_real, |f| f.month.max(last_real));
    let window = price_window(db, end, whole, asked)?;
    Some((window, price(db, window, all, next, asked)))
}

/// The part of the asked months inside the window, if any: the shading.
fn asked_inside(window: (Month, Month), asked: Option<(Month, Month)>) -> Option<(Month, Month)> {
    let (a, b) = asked?;
    let (from, to) = (a.max(window.0), b.min(window.1));
    (from <= to).then_some((from, to))
}

/// The predict page's chart: the real price, the model's forecasts with
/// their 80 % band, the next month marked, the asked months shaded.
pub fn price(db: &Database, window: (Month, Month), forecasts: &[Forecast], next: Option<&Forecast>, asked: Option<(Month, Month)>) -> Chart {
    let inside = |m: &Month| *m >= window.0 && *m <= window.1;
    let shown: Vec<&Forecast> = forecasts.iter().filter(|f| inside(&f.month)).collect();
    let mut c = Chart::new(WIDE, 300.0);
    c.x_domain = Some((month_x(window.0), month_x(window.1)));
    c.x_ticks = year_labels(window.0, window.1, 8);
    c.highlight = asked_inside(window, asked).map(|(a, b)| (month_x(a), month_x(b)));
    let band: Vec<(f64, f64, f64)> = shown.iter().filter_map(|f| Some((month_x(f.month), f.band80?.lower, f.band80?.upper))).collect();
    if !band.is_empty() {
        c.bands.push(Band { class: "interval".into(), points: band });
    }
    let real = db.milk_price.range(window.0..=window.1.max(window.0)).filter_map(|(m, v)| v.first().map(|p| (*m, *p)));
    c.lines.push(Line { class: "real".into(), name: "real".into(), points: by_month(real) });
    c.lines.push(Line { class: "predicted".into(), name: "predicho".into(), points: shown.iter().map(|f| (month_x(f.month), f.predicted)).collect() });
    c.marks = shown
        .iter()
        .map(|f| Mark { class: "point", x: month_x(f.month), y: f.predicted, radius: 3.5, label: point_text(f), month: Some(f.month), value: Some(f.predicted), tab_stop: true })
        .collect();
    if let Some(f) = next.filter(|f| inside(&f.month)) {
        let label = format!("Próximo mes, {}: pronóstico {} CLP/litro", f.month, clp(f.predicted));
        c.marks.push(Mark { class: "next", x: month_x(f.month), y: f.predicted, radius: 6.0, label, month: Some(f.month), value: Some(f.predicted), tab_stop: true });
    }
    c
}

/// Months of real prices the fan chart shows before the forecasts.
pub const FAN_HISTORY: i32 = 24;

/// The home page's fan: the last two years of real prices, then the
/// forecasts for the months after the last price with their 50 % and 80 %
/// bands (one month for a one-step model such as the replica).
pub fn fan(db: &Database, fan: &[Forecast]) -> Option<Chart> {
    let last_real = *db.milk_price.keys().next_back()?;
    let first = last_real.offset(-(FAN_HISTORY - 1));
    let end = fan.last().map_or(last_real, |f| f.month.max(last_real));
    let mut c = Chart::new(WIDE, 260.0);
    c.x_domain = Some((month_x(first), month_x(end)));
    c.x_ticks = year_labels(first, end, 4);
    let band = |pick: fn(&Forecast) -> Option<leche_core::Band>| -> Vec<(f64, f64, f64)> {
        fan.iter().filter_map(|f| pick(f).map(|b| (month_x(f.month), b.lower, b.upper))).collect()
    };
    c.bands.push(Band { class: "fan80".into(), points: band(|f| f.band80) });
    c.bands.push(Band { class: "fan50".into(), points: band(|f| f.band50) });
    let real = db.milk_price.range(first..=last_real).filter_map(|(m, v)| v.first().map(|p| (*m, *p)));
    c.lines.push(Line { class: "real".into(), name: "real".into(), points: by_month(real) });
    // The forecast line starts at the last price, so it visibly continues the series.
    let mut ahead = db.price(last_real).map(|p| vec![(month_x(last_real), p)]).unwrap_or_default();
    ahead.extend(fan.iter().map(|f| (month_x(f.month), f.predicted)));
    c.lines.push(Line { class: "predicted".into(), name: "pronóstico".into(), points: ahead });
    c.marks = fan
        .iter()
        .map(|f| Mark {
            class: "point",
            x: month_x(f.month),
            y: f.predicted,
            radius: 3.5,
            label: fan_text(f),
            month: Some(f.month),
            value: Some(f.predicted),
            // The same months are in the table under the chart.
            tab_stop: false,
        })
        .collect();
    Some(c)
}

/// What a point of the fan says: horizon, month, forecast and both bands.
pub fn fan_text(f: &Forecast) -> String {
    let band = |b: Option<leche_core::Band>, level: &str| b.map(|b| format!("; {level}: {} a {}", clp(b.lower), clp(b.upper))).unwrap_or_default();
    format!("h = {}, {}: {} CLP/litro{}{}", f.horizon, f.month, clp(f.predicted), band(f.band50, "50 %"), band(f.band80, "80 %"))
}

/// Mean absolute error by horizon: the procedure and both baselines.
pub fn horizon_errors(scores: &[HorizonScore]) -> Option<Chart> {
    if scores.is_empty() {
        return None;
    }
    let line = |class: &str, name: &str, f: fn(&HorizonScore) -> f64| Line {
        class: class.into(),
        name: name.into(),
        points: scores.iter().map(|s| (f64::from(s.horizon), f(s))).collect(),
    };
    let mut c = Chart::new(WIDE, 260.0);
    c.narrow_ratio = Some(0.6);
    c.x_domain = Some((1.0, f64::from(leche_core::MAX_HORIZON)));
    c.x_ticks = (1..=leche_core::MAX_HORIZON).map(|h| (f64::from(h), h.to_string())).collect();
    c.y_decimals = 1;
    c.lines = vec![
        line("naive", "ingenuo", |s| s.naive_mae),
        line("seasonal", "ingenuo estacional", |s| s.seasonal_naive_mae),
        line("predicted", "procedimiento recomendado", |s| s.mae),
    ];
    c.marks = scores
        .iter()
        .map(|s| Mark {
            class: "point",
            x: f64::from(s.horizon),
            y: s.mae,
            radius: 3.0,
            label: format!("h = {}: MAE {} (ingenuo {}, estacional {})", s.horizon, crate::view::format::number(s.mae, 2), crate::view::format::number(s.naive_mae, 2), crate::view::format::number(s.seasonal_naive_mae, 2)),
            month: None,
            value: Some(s.mae),
            tab_stop: false,
        })
        .collect();
    Some(c)
}

/// The backtest: real price, the procedure's forecast and naive's.
pub fn backtest(rows: &[Row]) -> Option<Chart> {
    let (first, last) = (rows.first()?.month, rows.last()?.month);
    let line = |class: &str, name: &str, f: fn(&Row) -> f64| Line {
        class: class.into(),
        name: name.into(),
        points: rows.iter().map(|r| (month_x(r.month), f(r))).collect(),
    };
    let mut c = Chart::new(WIDE, 260.0);
    c.narrow_ratio = Some(0.6);
    c.x_ticks = year_labels(first, last, 6);
    c.lines = vec![line("real", "real", |r| r.real), line("naive", "ingenuo", |r| r.naive), line("predicted", "procedimiento", |r| r.predicted)];
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    fn db() -> Database {
        let mut db = Database::default();
        for (i, mo) in m("2019-01").through(m("2020-12")).enumerate() {
            db.milk_price.insert(mo, vec![200.0 + i as f64]);
            db.rainfall.insert(mo, vec![i as f64; 8]);
        }
        db
    }

    #[test]
    fn coverage_draws_a_strip_per_table_broken_at_gaps() {
        let mut d = db();
        d.milk_price.remove(&m("2020-03"));
        let tables = crate::view::table_coverage::tables(&d);
        let c = coverage(&tables).expect("chart");
        assert_eq!(c.strips.len(), tables.len());
        let price = c.strips.iter().find(|s| s.data.contains(&("table", "milk_price".into()))).expect("price strip");
        assert_eq!(price.runs.len(), 2, "the missing month breaks the bar");
        assert!(price.data.contains(&("months", "23".into())) && price.data.contains(&("runs", "2".into())));
        assert_eq!(price.runs[0].2, "Precio de la leche: 2019-01 a 2020-02");
        assert!(coverage(&crate::view::table_coverage::tables(&Database::default())).is_none());
    }

    #[test]
    fn a_series_covers_only_its_months() {
        let c = series(&db(), Source::MilkPrice, 0, "Precio_leche", m("2020-01"), m("2020-06"));
        assert_eq!(c.lines[0].points.len(), 6);
        assert!(series(&db(), Source::MilkPrice, 0, "x", m("2020-06"), m("2020-01")).lines[0].points.is_empty());
    }

    #[test]
    fn rain_by_year_draws_one_line_per_year_on_a_shared_axis() {
        let c = rain_by_year(&db(), 6, &[2019, 2020, 1990]);
        assert_eq!(c.lines.iter().map(|l| l.points.len()).collect::<Vec<_>>(), vec![12, 12, 0]);
        assert_eq!(c.lines[1].points[0], (1.0, 12.0));
    }

    #[test]
    fn the_fan_continues_the_last_price_with_both_bands() {
        let d = db();
        let band = |v: f64, w: f64| Some(leche_core::Band { lower: v - w, upper: v + w });
        let ahead: Vec<Forecast> = (1..=12)
            .map(|h| {
                let month = m("2020-12").offset(h);
                Forecast { month, horizon: h as u32, predicted: 300.0, real: None, band80: band(300.0, 10.0), band50: band(300.0, 5.0) }
            })
            .collect();
        let c = fan(&d, &ahead).expect("chart");
        assert_eq!(c.bands.iter().map(|b| b.points.len()).collect::<Vec<_>>(), vec![12, 12]);
        assert_eq!(c.lines[0].points.len(), 24, "two years of real prices");
        assert_eq!(c.lines[1].points.first(), Some(&(month_x(m("2020-12")), 223.0)), "the forecast line starts at the last price");
        assert_eq!(c.marks.len(), 12);
        assert_eq!(fan_text(&ahead[3]), "h = 4, 2021-04: 300,00 CLP/litro; 50 %: 295,00 a 305,00; 80 %: 290,00 a 310,00");
    }

    /// Issue 21: `#/?q=2026-12` on data that end in 2021-02 (fan to
    /// 2022-02) asked for a window from 2025-12 to 2022-05 and the range
    /// over it panicked, killing the page on every reload.
    #[test]
    fn a_month_far_past_the_fan_draws_the_last_ten_years() {
        let d = db();
        let end = m("2021-12");
        for asked in [(m("2026-12"), m("2026-12")), (m("2023-06"), m("2023-06")), (m("9999-12"), m("9999-12")), (m("2022-06"), m("2040-01"))] {
            let window = price_window(&d, end, false, Some(asked)).expect("window");
            assert!(window.0 <= window.1, "{asked:?} gave {window:?}");
            let c = price(&d, window, &[], None, Some(asked));
            assert!(c.highlight.is_none() || asked.0 <= end.offset(3), "{asked:?}: no shading outside the window");
            let layout = c.layout();
            assert!(layout.lines.iter().all(|(_, _, path)| !path.contains("inf") && !path.contains("NaN")), "{asked:?}");
        }
        assert_eq!(price_window(&d, end, false, Some((m("2026-12"), m("2026-12")))), Some((m("2011-12"), end)));
        // Months before the data still get their own (empty) window.
        assert_eq!(price_window(&d, end, false, Some((m("1950-01"), m("1950-02")))), Some((m("1949-01"), m("1950-05"))));
    }

    #[test]
    fn values_near_the_largest_float_draw_finite_coordinates() {
        let d = db();
        let huge = |v: f64| Forecast { month: m("2020-03"), horizon: 1, predicted: v, real: None, band80: Some(leche_core::Band { lower: -v, upper: v }), band50: None };
        let window = (m("2019-01"), m("2020-12"));
        let c = price(&d, window, &[huge(f64::MAX)], None, None);
        let layout = c.layout();
        let finite = |v: f64| v.is_finite();
        assert!(layout.marks.iter().all(|(x, y)| finite(*x) && finite(*y)), "{:?}", layout.marks);
        assert!(layout.y_ticks.iter().all(|(y, label)| finite(*y) && !label.contains("inf") && !label.contains("NaN")));
        assert!(layout.bands.iter().all(|(_, path)| !path.contains("inf") && !path.contains("NaN")));
    }

    #[test]
    fn the_price_chart_marks_forecasts_inside_its_window_only() {
        let d = db();
        let band = |v: f64| Some(leche_core::Band { lower: v - 1.0, upper: v + 1.0 });
        let f = |s: &str, v: f64| Forecast { month: m(s), horizon: 1, predicted: v, real: d.price(m(s)), band80: band(v), band50: None };
        let forecasts = [f("2019-06", 1.0), f("2020-03", 2.0), f("2020-04", 3.0)];
        let window = price_window(&d, m("2020-12"), false, Some((m("2020-03"), m("2020-04")))).expect("window");
        assert_eq!(window, (m("2019-03"), m("2020-07")));
        let c = price(&d, window, &forecasts, None, Some((m("2020-03"), m("2020-04"))));
        assert_eq!(c.marks.iter().map(|k| k.month).collect::<Vec<_>>(), vec![Some(m("2019-06")), Some(m("2020-03")), Some(m("2020-04"))]);
        assert_eq!(c.bands[0].points.len(), 3);
        assert_eq!(c.lines[0].points.len(), 17, "real prices 2019-03 … 2020-07");
    }
}
