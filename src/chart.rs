//! The geometry of the app's SVG charts: scales, "nice" axis ticks and
//! path data. Pure, so it is tested natively; the components only lay the
//! results out. Hand-written SVG keeps the wasm small (no charting crate).

use leche_core::Month;

/// A linear map from data values to SVG coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl Scale {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Scale {
        // A flat domain would divide by zero: widen it around its value.
        let domain = if domain.1 > domain.0 { domain } else { (domain.0 - 1.0, domain.0 + 1.0) };
        Scale { domain, range }
    }

    pub fn at(&self, v: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        r0 + (v - d0) / (d1 - d0) * (r1 - r0)
    }
}

/// A month as a number for the x axis (months since year 0).
pub fn month_x(m: Month) -> f64 {
    f64::from(m.year()) * 12.0 + f64::from(m.month() - 1)
}

/// About `count` round tick values covering `min..=max` (steps of 1, 2 or 5 × 10^k).
pub fn nice_ticks(min: f64, max: f64, count: usize) -> Vec<f64> {
    if !(min.is_finite() && max.is_finite()) || max <= min || count == 0 {
        return vec![min];
    }
    let raw = (max - min) / count as f64;
    let mut power = 1.0;
    while power * 10.0 <= raw {
        power *= 10.0;
    }
    while power > raw {
        power /= 10.0;
    }
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|k| k * power).find(|s| *s >= raw).unwrap_or(power * 10.0);
    let mut v = (min / step).ceil() * step;
    let mut out = Vec::new();
    while v <= max + step * 1e-9 {
        out.push(v);
        v += step;
    }
    out
}

/// January of the years that are multiples of a round step (1, 2, 5, 10,
/// 20 or 50 years) within `first..=last`: the smallest step giving at most
/// `max` labels.
pub fn year_ticks(first: Month, last: Month, max: usize) -> Vec<Month> {
    let with_step = |step: i32| -> Vec<Month> {
        (first.year()..=last.year())
            .filter(|y| y % step == 0)
            .filter_map(|y| Month::new(y, 1))
            .filter(|m| *m >= first && *m <= last)
            .collect()
    };
    [1, 2, 5, 10, 20, 50].into_iter().map(with_step).find(|t| t.len() <= max.max(1)).unwrap_or_default()
}

/// SVG path data through the points; a gap (a missing month) starts a new
/// segment, so a line never bridges missing data.
pub fn path(points: &[(Month, f64)], x: &Scale, y: &Scale) -> String {
    let mut out = String::with_capacity(points.len() * 14);
    let mut prev: Option<Month> = None;
    for &(m, v) in points {
        let cmd = if prev.map(|p| p.next()) == Some(m) { 'L' } else { 'M' };
        out.push_str(&format!("{cmd}{:.1},{:.1}", x.at(month_x(m)), y.at(v)));
        prev = Some(m);
    }
    out
}

/// SVG path data for a band between `(month, lower, upper)` points: one
/// closed shape per run of consecutive months (upper edge forward, lower
/// edge back), so a band, like a line, never bridges missing months.
pub fn band(points: &[(Month, f64, f64)], x: &Scale, y: &Scale) -> String {
    let mut out = String::with_capacity(points.len() * 28);
    let mut start = 0;
    for end in 1..=points.len() {
        if end < points.len() && points[end - 1].0.next() == points[end].0 {
            continue;
        }
        let run = &points[start..end];
        for (i, &(m, _, hi)) in run.iter().enumerate() {
            out.push_str(&format!("{}{:.1},{:.1}", if i == 0 { 'M' } else { 'L' }, x.at(month_x(m)), y.at(hi)));
        }
        for &(m, lo, _) in run.iter().rev() {
            out.push_str(&format!("L{:.1},{:.1}", x.at(month_x(m)), y.at(lo)));
        }
        out.push('Z');
        start = end;
    }
    out
}

/// Consecutive months as runs `(first, last)`: a coverage strip draws one
/// bar per run, so gaps show as breaks.
pub fn runs(months: &[Month]) -> Vec<(Month, Month)> {
    let mut out: Vec<(Month, Month)> = Vec::new();
    for &m in months {
        match out.last_mut() {
            Some((_, last)) if last.next() == m => *last = m,
            _ => out.push((m, m)),
        }
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
    fn scales_map_ends_to_ends_and_survive_flat_data() {
        let s = Scale::new((0.0, 10.0), (100.0, 0.0));
        assert_eq!((s.at(0.0), s.at(10.0), s.at(5.0)), (100.0, 0.0, 50.0));
        let flat = Scale::new((3.0, 3.0), (0.0, 10.0));
        assert_eq!(flat.at(3.0), 5.0);
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(nice_ticks(0.0, 10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(nice_ticks(183.0, 341.0, 4), vec![200.0, 250.0, 300.0]);
        assert_eq!(year_ticks(m("2010-05"), m("2020-05"), 5), vec![m("2012-01"), m("2014-01"), m("2016-01"), m("2018-01"), m("2020-01")]);
    }

    #[test]
    fn runs_break_at_gaps() {
        let ms = [m("2020-01"), m("2020-02"), m("2020-04"), m("2020-05"), m("2020-07")];
        assert_eq!(runs(&ms), vec![(m("2020-01"), m("2020-02")), (m("2020-04"), m("2020-05")), (m("2020-07"), m("2020-07"))]);
        assert!(runs(&[]).is_empty());
    }

    #[test]
    fn a_band_is_one_closed_shape_per_run() {
        let x = Scale::new((month_x(m("2020-01")), month_x(m("2020-04"))), (0.0, 30.0));
        let y = Scale::new((0.0, 10.0), (10.0, 0.0));
        let d = band(&[(m("2020-01"), 1.0, 3.0), (m("2020-02"), 2.0, 4.0), (m("2020-04"), 5.0, 6.0)], &x, &y);
        assert_eq!(d, "M0.0,7.0L10.0,6.0L10.0,8.0L0.0,9.0ZM30.0,4.0L30.0,5.0Z");
        assert_eq!(band(&[], &x, &y), "");
    }

    #[test]
    fn a_missing_month_breaks_the_line() {
        let x = Scale::new((month_x(m("2020-01")), month_x(m("2020-04"))), (0.0, 30.0));
        let y = Scale::new((0.0, 10.0), (10.0, 0.0));
        let d = path(&[(m("2020-01"), 0.0), (m("2020-02"), 10.0), (m("2020-04"), 5.0)], &x, &y);
        assert_eq!(d, "M0.0,10.0L10.0,0.0M30.0,5.0");
    }
}
