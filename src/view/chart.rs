//! The geometry of every chart in the app — price, backtest, series, fan,
//! error by horizon, the data's coverage strips — as one pure description
//! ([`Chart`]) laid out into SVG coordinates and path data
//! ([`Chart::layout`]) and written as markup by one renderer ([`svg`]); the
//! one component that puts it in the page is
//! [`crate::components::line_chart`]. Pure, so it is tested natively.
//! Hand-written SVG keeps the wasm small (no charting crate).
//!
//! A chart is drawn at the width its box measures ([`Chart::at_width`]), so
//! one unit of its viewBox is one CSS pixel and its text is
//! [`FONT_PX`] on any screen (a chart scaled down from a desktop width
//! wrote 5 px labels on a phone: issue 31); narrow boxes get their own
//! proportions ([`NARROW`]) and fewer, non-overlapping ticks.
//!
//! Any finite data lays out in bounded time: ticks are computed by index,
//! never by adding a step until a bound is passed (a step below the values'
//! precision would never pass it), and non-finite values are left out.

use leche_core::Month;

/// A linear map from data values to SVG coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl Scale {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Scale {
        // A flat (or unusable) domain would divide by zero: widen it around its value.
        let width = domain.1 - domain.0;
        let domain = if width > 0.0 && width.is_finite() {
            domain
        } else if domain.0.is_finite() {
            (domain.0 - 1.0, domain.0 + 1.0)
        } else {
            (0.0, 1.0)
        };
        Scale { domain, range }
    }

    /// Where `v` falls, always a finite coordinate: a value far outside the
    /// domain (or not a number) is pinned well outside the drawing instead
    /// of giving SVG an `inf` it cannot parse.
    pub fn at(&self, v: f64) -> f64 {
        const FAR: f64 = 1e6;
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        let at = r0 + (v - d0) / (d1 - d0) * (r1 - r0);
        if at.is_nan() {
            r0
        } else {
            at.clamp(-FAR, FAR)
        }
    }
}

/// A month as a number for the x axis (months since year 0).
pub fn month_x(m: Month) -> f64 {
    f64::from(m.year()) * 12.0 + f64::from(m.month() - 1)
}

/// The most ticks an axis ever gets.
const MAX_TICKS: usize = 20;

/// Chart text in CSS px (`.chart .tick` in style.css): drawn at its
/// measured width, a chart shows it at exactly this size.
pub const FONT_PX: f64 = 12.0;

/// Below this width (CSS px) a chart takes its narrow proportions. The
/// container query in style.css that picks the snapshot's fan for a
/// narrow box uses the same width, so the snapshot and the app draw the
/// same box.
pub const NARROW: f64 = 560.0;

/// A character of chart text is at most this many font sizes wide (digits
/// and capitals of the system sans-serif fonts): room kept for labels.
const CHAR_EM: f64 = 0.62;

/// Space between two x labels, in CSS px.
const LABEL_GAP: f64 = 10.0;

/// Margins above and right of the plot.
const TOP: f64 = 12.0;
const RIGHT: f64 = 16.0;

/// The width `text` takes as chart text, at most.
pub fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * CHAR_EM * FONT_PX
}

/// About `count` round tick values covering `min..=max` (steps of 1, 2 or 5
/// × 10^k). Empty when the range is not finite or too narrow for its
/// magnitude to hold distinct ticks.
pub fn nice_ticks(min: f64, max: f64, count: usize) -> Vec<f64> {
    let span = max - min;
    if !(min.is_finite() && max.is_finite() && span.is_finite()) || span <= 0.0 || count == 0 {
        return Vec::new();
    }
    let raw = span / count as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|k| k * power).find(|s| *s >= raw).unwrap_or(power * 10.0);
    let first = (min / step).ceil();
    let last = (max / step + 1e-9).floor();
    if !(first.is_finite() && last.is_finite()) || last < first || last - first > MAX_TICKS as f64 {
        return Vec::new();
    }
    let ticks: Vec<f64> = (0..=(last - first) as usize).map(|i| (first + i as f64) * step).collect();
    // Values too large for the step to change them would repeat.
    if ticks.windows(2).any(|w| w[0] >= w[1]) {
        return Vec::new();
    }
    ticks
}

/// January of the years that are multiples of a round step (1, 2, 5, 10,
/// 20, 50… years) within `first..=last`: the smallest step giving at most
/// `max` labels.
pub fn year_ticks(first: Month, last: Month, max: usize) -> Vec<Month> {
    // The first January inside the range.
    let from = if first.month() == 1 { first.year() } else { first.year() + 1 };
    let to = last.year();
    if to < from {
        return Vec::new();
    }
    let multiples = |step: i32| (from + (step - from.rem_euclid(step)) % step, to.div_euclid(step) * step);
    let count = |step: i32| {
        let (a, b) = multiples(step);
        if b < a { 0 } else { ((b - a) / step + 1) as usize }
    };
    let Some(step) = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000].into_iter().find(|s| count(*s) <= max.max(1)) else {
        return Vec::new();
    };
    let (a, _) = multiples(step);
    (0..count(step) as i32).filter_map(|i| Month::new(a + i * step, 1)).collect()
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

/// One line: points in x order; points more than [`Chart::step`] apart are
/// not joined (a missing month breaks the line).
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// CSS class (`real`, `predicted`, `naive`, `series s0`…).
    pub class: String,
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// A shaded band `(x, lower, upper)`, broken where the line would be.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub class: String,
    pub points: Vec<(f64, f64, f64)>,
}

/// A point the user can hover or focus, with its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub class: &'static str,
    pub x: f64,
    pub y: f64,
    pub radius: f64,
    pub label: String,
    /// `data-month` (tests and the page find points by month).
    pub month: Option<Month>,
    /// `data-value`: the exact value drawn.
    pub value: Option<f64>,
    /// A tab stop of its own (`false` where a table nearby has the same values,
    /// so keyboard users are not made to step through every point).
    pub tab_stop: bool,
}

/// A row of a strip chart: a label on the left and a bar per run `(from,
/// to, title)` along the x axis, with `data-` attributes for tests (the
/// data page's coverage: a strip per table, a bar per run of months).
#[derive(Clone, Debug, PartialEq)]
pub struct Strip {
    pub label: String,
    pub runs: Vec<(f64, f64, String)>,
    /// `data-{name}="{value}"` on the row's `<g>`.
    pub data: Vec<(&'static str, String)>,
}

/// Height of a strip's row, CSS px.
pub const STRIP_ROW: f64 = 26.0;

/// What a chart shows, in data units.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// Its design size: the viewBox before it is measured ([`Chart::at_width`]),
    /// and its proportions on a wide box.
    pub width: f64,
    pub height: f64,
    /// Height over width on a box narrower than [`NARROW`] (taller than on a
    /// desktop, or a phone would flatten the lines); `None`: the same height
    /// at every width (strips).
    pub narrow_ratio: Option<f64>,
    /// Space for the y labels (left) and the x labels (bottom).
    pub left: f64,
    pub bottom: f64,
    pub lines: Vec<Line>,
    pub bands: Vec<Band>,
    pub marks: Vec<Mark>,
    /// A shaded x range (the months asked for).
    pub highlight: Option<(f64, f64)>,
    /// x positions and their labels.
    pub x_ticks: Vec<(f64, String)>,
    /// The x extent; by default that of the data.
    pub x_domain: Option<(f64, f64)>,
    /// Largest x gap still drawn as a joined line.
    pub step: f64,
    /// Decimals of the y labels.
    pub y_decimals: usize,
    /// Rows of bars instead of a y axis (when not empty).
    pub strips: Vec<Strip>,
}

impl Chart {
    /// An empty chart `width` × `height` with the usual margins.
    pub fn new(width: f64, height: f64) -> Chart {
        Chart {
            width,
            height,
            narrow_ratio: Some(0.75),
            left: 52.0,
            bottom: 28.0,
            lines: Vec::new(),
            bands: Vec::new(),
            marks: Vec::new(),
            highlight: None,
            x_ticks: Vec::new(),
            x_domain: None,
            step: 1.0,
            y_decimals: 0,
            strips: Vec::new(),
        }
    }

    /// A chart of strips, one row each, over the x extent `x_domain`: as
    /// tall as its rows at any width.
    pub fn strips(width: f64, x_domain: (f64, f64), strips: Vec<Strip>) -> Chart {
        let height = TOP + STRIP_ROW * strips.len() as f64 + 24.0;
        Chart { narrow_ratio: None, left: 12.0, bottom: 24.0, x_domain: Some(x_domain), strips, ..Chart::new(width, height) }
    }

    /// This chart drawn for a box `width` CSS px wide: one viewBox unit per
    /// CSS pixel, its height from its proportions (its narrow ones below
    /// [`NARROW`]). Widths below 120 px are drawn at 120 (and scaled).
    pub fn at_width(&self, width: f64) -> Chart {
        let width = if width.is_finite() { width.max(120.0) } else { self.width };
        let height = match self.narrow_ratio {
            Some(ratio) if width < NARROW => width * ratio,
            Some(_) => width * self.height / self.width,
            None => self.height,
        };
        Chart { width, height, ..self.clone() }
    }

    /// Every finite value drawn, for the y extent.
    fn values(&self) -> impl Iterator<Item = f64> + '_ {
        let lines = self.lines.iter().flat_map(|l| l.points.iter().map(|p| p.1));
        let bands = self.bands.iter().flat_map(|b| b.points.iter().flat_map(|p| [p.1, p.2]));
        lines.chain(bands).chain(self.marks.iter().map(|m| m.y)).filter(|v| v.is_finite())
    }

    fn xs(&self) -> impl Iterator<Item = f64> + '_ {
        let lines = self.lines.iter().flat_map(|l| l.points.iter().map(|p| p.0));
        lines.chain(self.marks.iter().map(|m| m.x)).filter(|v| v.is_finite())
    }

    /// Whether there is anything to draw.
    pub fn is_empty(&self) -> bool {
        self.values().next().is_none() && self.strips.iter().all(|s| s.runs.is_empty())
    }

    /// SVG coordinates and path data: the y labels get the room they need
    /// on the left, and x labels are thinned (every second, third…) until
    /// they no longer overlap at this width.
    pub fn layout(&self) -> Layout {
        let (lo, hi) = extent(self.values());
        // A span that overflows (values near ±f64::MAX) takes no padding.
        let pad = ((hi - lo) * 0.05).max(hi.abs().max(lo.abs()) * 1e-9).max(1e-9);
        let (y0, y1) = if (hi + pad - (lo - pad)).is_finite() { (lo - pad, hi + pad) } else { (lo, hi) };
        let (bottom, right) = (self.height - self.bottom, self.width - RIGHT);
        // About one y label per 48 px of plot.
        let count = ((bottom - TOP) / 48.0).round().clamp(2.0, 6.0) as usize;
        let y_values = if self.strips.is_empty() { nice_ticks(y0, y1, count) } else { Vec::new() };
        let y_labels: Vec<String> = y_values.iter().map(|v| crate::view::format::number(*v, self.y_decimals)).collect();
        let widest = y_labels.iter().chain(self.strips.iter().map(|s| &s.label)).map(|l| text_width(l)).fold(0.0, f64::max);
        // Never more than half the width for labels.
        let left = self.left.max(widest + 10.0).min(self.width / 2.0);
        let x_domain = self.x_domain.unwrap_or_else(|| extent(self.xs()));
        let x = Scale::new(x_domain, (left, right));
        let y = Scale::new((y0, y1), (bottom, TOP));
        let strip_y = |i: usize| TOP + STRIP_ROW * i as f64 + 4.0;
        Layout {
            plot: (left, TOP, right, bottom),
            y_ticks: y_values.iter().zip(y_labels).map(|(v, label)| (y.at(*v), label)).collect(),
            x_ticks: thin(self.x_ticks.iter().map(|(v, label)| (x.at(*v), label.clone())).collect(), self.width),
            lines: self.lines.iter().map(|l| (l.class.clone(), l.name.clone(), path(&l.points, self.step, &x, &y))).collect(),
            bands: self.bands.iter().map(|b| (b.class.clone(), band(&b.points, self.step, &x, &y))).collect(),
            marks: self.marks.iter().filter(|m| m.x.is_finite() && m.y.is_finite()).map(|m| (x.at(m.x), y.at(m.y))).collect(),
            highlight: self.highlight.map(|(a, b)| {
                let (x0, x1) = (x.at(a - 0.5).max(left), x.at(b + 0.5).min(right));
                (x0, (x1 - x0).max(2.0))
            }),
            strips: self
                .strips
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let bars = s.runs.iter().map(|(a, b, _)| (x.at(*a), (x.at(*b) - x.at(*a)).max(1.0))).collect();
                    (strip_y(i), bars)
                })
                .collect(),
        }
    }
}

/// Every `k`-th x label, the smallest `k` that keeps them from overlapping,
/// each moved inside the chart if it would stick out of an edge.
fn thin(ticks: Vec<(f64, String)>, width: f64) -> Vec<(f64, String)> {
    let widest = ticks.iter().map(|(_, l)| text_width(l)).fold(0.0, f64::max);
    let closest = ticks.windows(2).map(|w| (w[1].0 - w[0].0).abs()).fold(f64::INFINITY, f64::min);
    let every = if closest.is_finite() && closest > 0.0 { ((widest + LABEL_GAP) / closest).ceil().clamp(1.0, MAX_TICKS as f64) as usize } else { 1 };
    ticks
        .into_iter()
        .step_by(every)
        .map(|(x, label)| {
            let half = text_width(&label) / 2.0;
            (x.clamp(half.min(width / 2.0), (width - half).max(width / 2.0)), label)
        })
        .collect()
}

/// Min and max of finite values; `(0, 1)` when there are none.
fn extent(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo <= hi {
        (lo, hi)
    } else {
        (0.0, 1.0)
    }
}

/// A chart laid out in SVG coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// The plot area: left, top, right, bottom.
    pub plot: (f64, f64, f64, f64),
    /// (y coordinate, label).
    pub y_ticks: Vec<(f64, String)>,
    /// (x coordinate, label).
    pub x_ticks: Vec<(f64, String)>,
    /// (class, name, path data).
    pub lines: Vec<(String, String, String)>,
    /// (class, path data).
    pub bands: Vec<(String, String)>,
    /// (cx, cy) of each finite mark, in order.
    pub marks: Vec<(f64, f64)>,
    /// x and width of the highlight.
    pub highlight: Option<(f64, f64)>,
    /// Each strip's top and its bars (x, width).
    pub strips: Vec<(f64, Vec<(f64, f64)>)>,
}

/// Consecutive points at most `step` apart, as runs.
fn runs_of<T>(points: &[T], x: impl Fn(&T) -> f64, step: f64) -> Vec<&[T]> {
    let mut out = Vec::new();
    let mut start = 0;
    for end in 1..=points.len() {
        if end < points.len() && x(&points[end]) - x(&points[end - 1]) <= step * 1.000_001 {
            continue;
        }
        if start < end {
            out.push(&points[start..end]);
        }
        start = end;
    }
    out
}

/// SVG path data through the points; a gap wider than `step` starts a new
/// segment, so a line never bridges missing data. Non-finite points are dropped.
pub fn path(points: &[(f64, f64)], step: f64, x: &Scale, y: &Scale) -> String {
    let finite: Vec<(f64, f64)> = points.iter().copied().filter(|p| p.0.is_finite() && p.1.is_finite()).collect();
    let mut out = String::with_capacity(finite.len() * 14);
    for run in runs_of(&finite, |p| p.0, step) {
        for (i, &(px, py)) in run.iter().enumerate() {
            out.push_str(&format!("{}{:.1},{:.1}", if i == 0 { 'M' } else { 'L' }, x.at(px), y.at(py)));
        }
    }
    out
}

/// SVG path data for a band: one closed shape per run (upper edge forward,
/// lower edge back).
pub fn band(points: &[(f64, f64, f64)], step: f64, x: &Scale, y: &Scale) -> String {
    let finite: Vec<(f64, f64, f64)> =
        points.iter().copied().filter(|p| p.0.is_finite() && p.1.is_finite() && p.2.is_finite()).collect();
    let mut out = String::with_capacity(finite.len() * 28);
    for run in runs_of(&finite, |p| p.0, step) {
        for (i, &(px, _, hi)) in run.iter().enumerate() {
            out.push_str(&format!("{}{:.1},{:.1}", if i == 0 { 'M' } else { 'L' }, x.at(px), y.at(hi)));
        }
        for &(px, lo, _) in run.iter().rev() {
            out.push_str(&format!("L{:.1},{:.1}", x.at(px), y.at(lo)));
        }
        out.push('Z');
    }
    out
}

/// What a chart is called, for its `<svg>` element.
#[derive(Clone, Debug, PartialEq)]
pub struct Labels {
    /// Element id of the `<svg>`.
    pub id: String,
    pub title: String,
    /// A sentence for screen readers (the table nearby has the values).
    pub desc: String,
    /// The x extent as months, for `data-first` / `data-last`.
    pub months: Option<(Month, Month)>,
}

/// The whole `<svg>` of `chart`, as markup: the plot's area, grid, ticks,
/// bands, lines, strips and points (focusable where they are tab stops,
/// each with its text as `aria-label` and `<title>`), with `data-` counts
/// for tests. One renderer for every chart, the live page's and the
/// snapshot in `index.html`; text is escaped.
pub fn svg(chart: &Chart, labels: &Labels) -> String {
    svg_classed(chart, labels, "")
}

/// A number for an attribute: one decimal, none when whole (`800`, `220.5`).
fn n(v: f64) -> String {
    format!("{}", (v * 10.0).round() / 10.0)
}

/// [`svg`] with more classes on the `<svg>` (the snapshot's fan, drawn for
/// a narrow and a wide box: [`crate::view::ahead_html::fan_html`]).
pub fn svg_classed(chart: &Chart, labels: &Labels, class: &str) -> String {
    let layout = chart.layout();
    let (left, top, right, bottom) = layout.plot;
    let id = escape(&labels.id);
    let points: usize = chart.lines.iter().map(|l| l.points.len()).sum();
    let mut out = String::with_capacity(4096 + 400 * chart.marks.len());
    // Strips have nothing to focus: one image. Line charts are a group of points.
    let role = if chart.strips.is_empty() { "group" } else { "img" };
    let class = if class.is_empty() { String::new() } else { format!(" {}", escape(class)) };
    out.push_str(&format!(
        "<svg id=\"{id}\" class=\"chart{class}\" viewBox=\"0 0 {} {}\" role=\"{role}\" aria-labelledby=\"{id}-title {id}-desc\" data-points=\"{points}\" data-lines=\"{}\" data-marks=\"{}\"",
        n(chart.width),
        n(chart.height),
        chart.lines.len(),
        chart.marks.len()
    ));
    if let Some((first, last)) = labels.months {
        out.push_str(&format!(" data-first=\"{first}\" data-last=\"{last}\""));
    }
    out.push_str(&format!(
        "><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(&labels.title),
        escape(&labels.desc)
    ));
    out.push_str(&format!("<rect class=\"plot\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", n(left), n(top), n(right - left), n(bottom - top)));
    if let Some((x, w)) = layout.highlight {
        out.push_str(&format!("<rect class=\"asked\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", n(x), n(top), n(w), n(bottom - top)));
    }
    for ((class, d), band) in layout.bands.iter().zip(&chart.bands) {
        out.push_str(&format!("<path class=\"{}\" d=\"{d}\" data-points=\"{}\"/>", escape(class), band.points.len()));
    }
    for (y, label) in &layout.y_ticks {
        out.push_str(&format!(
            "<line class=\"grid\" x1=\"{}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/><text class=\"tick\" x=\"{}\" y=\"{y:.1}\" text-anchor=\"end\" dy=\"0.32em\">{}</text>",
            n(left),
            n(right),
            n(left - 6.0),
            escape(label)
        ));
    }
    for (x, label) in &layout.x_ticks {
        out.push_str(&format!("<text class=\"tick\" x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>", n(chart.height - 8.0), escape(label)));
    }
    for ((y, bars), strip) in layout.strips.iter().zip(&chart.strips) {
        out.push_str("<g");
        for (name, value) in &strip.data {
            out.push_str(&format!(" data-{name}=\"{}\"", escape(value)));
        }
        let height = STRIP_ROW - 8.0;
        out.push_str(&format!(
            "><text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\" dy=\"0.32em\">{}</text>",
            n(left - 6.0),
            n(y + height / 2.0),
            escape(&strip.label)
        ));
        for ((x, w), (_, _, title)) in bars.iter().zip(&strip.runs) {
            out.push_str(&format!(
                "<rect class=\"run\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect>",
                n(*x),
                n(*y),
                n(*w),
                n(height),
                escape(title)
            ));
        }
        out.push_str("</g>");
    }
    for ((class, name, d), line) in layout.lines.iter().zip(&chart.lines) {
        out.push_str(&format!(
            "<path class=\"{}\" d=\"{d}\" data-points=\"{}\"><title>{}</title></path>",
            escape(class),
            line.points.len(),
            escape(name)
        ));
    }
    let marks = chart.marks.iter().filter(|m| m.x.is_finite() && m.y.is_finite());
    for (m, (cx, cy)) in marks.zip(&layout.marks) {
        let label = escape(&m.label);
        out.push_str(&format!(
            "<circle class=\"{}\" r=\"{}\" cx=\"{cx:.1}\" cy=\"{cy:.1}\" tabindex=\"{}\"",
            m.class,
            m.radius,
            if m.tab_stop { 0 } else { -1 }
        ));
        if let Some(month) = m.month {
            out.push_str(&format!(" data-month=\"{month}\""));
        }
        if let Some(v) = m.value {
            out.push_str(&format!(" data-value=\"{v:?}\""));
        }
        out.push_str(&format!(" aria-label=\"{label}\"><title>{label}</title></circle>"));
    }
    out.push_str("</svg>");
    out
}

/// HTML-escapes text for an element or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Month points as chart points.
pub fn by_month(points: impl IntoIterator<Item = (Month, f64)>) -> Vec<(f64, f64)> {
    points.into_iter().map(|(m, v)| (month_x(m), v)).collect()
}

/// Year labels for a month axis.
pub fn year_labels(first: Month, last: Month, max: usize) -> Vec<(f64, String)> {
    year_ticks(first, last, max).into_iter().map(|m| (month_x(m), m.year().to_string())).collect()
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
        assert_eq!(year_ticks(m("2000-01"), m("2000-12"), 5), vec![m("2000-01")]);
    }

    /// Regression (issue 15): a rainfall of 1.797e308 or prices of 1e17 hung
    /// the tab in the tick loop, whose step no longer changed the value.
    #[test]
    fn ticks_end_for_any_finite_range() {
        assert!(nice_ticks(1e17 - 1.0, 1e17 + 1.0, 5).is_empty() || nice_ticks(1e17 - 1.0, 1e17 + 1.0, 5).len() <= MAX_TICKS + 1);
        assert!(nice_ticks(0.0, f64::MAX, 5).len() <= MAX_TICKS + 1);
        assert!(nice_ticks(-f64::MAX, f64::MAX, 5).is_empty(), "the span overflows");
        assert!(nice_ticks(f64::MIN_POSITIVE, 2.0 * f64::MIN_POSITIVE, 5).len() <= MAX_TICKS + 1);
        assert!(nice_ticks(5e-324, 1e-323, 5).len() <= MAX_TICKS + 1);
        assert!(year_ticks(m("1000-01"), m("9999-12"), 8).len() <= 8);
    }

    #[test]
    fn charts_of_extreme_values_lay_out() {
        for values in [[0.0, 1.797_693_134_862_315_7e308], [1e17, 1e17 + 16.0], [5e-324, 1e-323], [-1e308, 1e308]] {
            let mut c = Chart::new(800.0, 300.0);
            c.lines.push(Line { class: "real".into(), name: "x".into(), points: vec![(0.0, values[0]), (1.0, values[1])] });
            let l = c.layout();
            assert!(l.y_ticks.len() <= MAX_TICKS + 1);
            assert!(!l.lines[0].2.contains("NaN"), "{values:?}: {}", l.lines[0].2);
        }
    }

    #[test]
    fn the_svg_carries_its_counts_labels_and_escaped_text() {
        let mut c = Chart::new(800.0, 300.0);
        c.lines.push(Line { class: "real".into(), name: "a<b".into(), points: vec![(0.0, 1.0), (1.0, 2.0)] });
        c.bands.push(Band { class: "interval".into(), points: vec![(0.0, 0.5, 1.5)] });
        c.marks.push(Mark { class: "point", x: 1.0, y: 2.0, radius: 3.5, label: "2020-02: \"x\"".into(), month: Some(m("2020-02")), value: Some(2.0), tab_stop: false });
        let labels = Labels { id: "c".into(), title: "T & t".into(), desc: "d".into(), months: Some((m("2020-01"), m("2020-02"))) };
        let svg = svg(&c, &labels);
        assert!(svg.starts_with("<svg id=\"c\" class=\"chart\" viewBox=\"0 0 800 300\" role=\"group\" aria-labelledby=\"c-title c-desc\" data-points=\"2\" data-lines=\"1\" data-marks=\"1\" data-first=\"2020-01\" data-last=\"2020-02\">"), "{svg}");
        assert!(svg.contains("<title id=\"c-title\">T &amp; t</title>"));
        assert!(svg.contains("<path class=\"interval\" d=\"M") && svg.contains("data-points=\"1\"/>"));
        assert!(svg.contains("<title>a&lt;b</title>"));
        assert!(svg.contains("tabindex=\"-1\" data-month=\"2020-02\" data-value=\"2.0\" aria-label=\"2020-02: &quot;x&quot;\">"));
        assert!(svg.ends_with("</svg>"));
        assert_eq!(escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }

    /// Issue 31: drawn for its box, a chart keeps one unit per CSS pixel (its
    /// text stays 12 px), takes its narrow proportions below NARROW and its
    /// design proportions above; strips keep their height.
    #[test]
    fn a_chart_is_drawn_at_its_width_in_its_proportions() {
        let c = Chart::new(800.0, 260.0);
        let phone = c.at_width(294.0);
        assert_eq!((phone.width, phone.height), (294.0, 294.0 * 0.75));
        let desktop = c.at_width(894.0);
        assert_eq!((desktop.width, desktop.height), (894.0, 894.0 * 260.0 / 800.0));
        assert_eq!(c.at_width(f64::NAN).width, 800.0);
        assert_eq!(c.at_width(10.0).width, 120.0);
        let strips = Chart::strips(800.0, (0.0, 10.0), vec![Strip { label: "a".into(), runs: vec![], data: vec![] }]);
        assert_eq!(strips.at_width(294.0).height, strips.height);
    }

    #[test]
    fn x_labels_are_thinned_until_they_do_not_overlap_and_stay_inside() {
        let mut c = Chart::new(800.0, 300.0);
        c.lines.push(Line { class: "real".into(), name: "p".into(), points: by_month([(m("1979-01"), 1.0), (m("2021-02"), 2.0)]) });
        c.x_domain = Some((month_x(m("1979-01")), month_x(m("2021-02"))));
        // Every fifth year: nine labels.
        c.x_ticks = year_labels(m("1979-01"), m("2021-02"), 20);
        let wide = c.at_width(894.0).layout().x_ticks;
        assert_eq!(wide.len(), 9);
        let narrow = c.at_width(294.0).layout().x_ticks;
        assert!(narrow.len() < wide.len(), "{narrow:?} vs {wide:?}");
        for ticks in [&wide, &narrow] {
            let width = if ticks.len() == wide.len() { 894.0 } else { 294.0 };
            for w in ticks.windows(2) {
                let room = (text_width(&w[0].1) + text_width(&w[1].1)) / 2.0;
                assert!(w[1].0 - w[0].0 >= room, "{ticks:?} overlap");
            }
            assert!(ticks.iter().all(|(x, l)| x - text_width(l) / 2.0 >= 0.0 && x + text_width(l) / 2.0 <= width), "{ticks:?}");
        }
    }

    #[test]
    fn the_y_labels_get_the_room_they_need() {
        let mut c = Chart::new(400.0, 220.0);
        c.left = 30.0;
        c.lines.push(Line { class: "series s0".into(), name: "PIB".into(), points: vec![(0.0, 1_000_000.0), (1.0, 9_000_000.0)] });
        let l = c.layout();
        let widest = l.y_ticks.iter().map(|(_, label)| text_width(label)).fold(0.0, f64::max);
        assert!(l.plot.0 >= widest + 10.0, "left {} for labels {:?}", l.plot.0, l.y_ticks);
        // Fewer labels on a short plot.
        assert!(c.at_width(200.0).layout().y_ticks.len() <= l.y_ticks.len());
    }

    #[test]
    fn strips_render_a_row_per_strip_with_its_bars_and_data() {
        let strip = |label: &str, runs: Vec<(f64, f64, String)>| Strip { label: label.into(), data: vec![("table", label.to_lowercase()), ("runs", runs.len().to_string())], runs };
        let c = Chart::strips(800.0, (0.0, 10.0), vec![strip("A", vec![(0.0, 4.0, "A: 0 a 4".into()), (6.0, 10.0, "A: 6 a 10".into())]), strip("B", vec![])]);
        let labels = Labels { id: "cov".into(), title: "t".into(), desc: "d".into(), months: None };
        let svg = svg(&c.at_width(300.0), &labels);
        assert!(svg.contains("role=\"img\""), "nothing to focus: one image");
        assert!(svg.contains("<g data-table=\"a\" data-runs=\"2\"><text class=\"tick\""));
        assert_eq!(svg.matches("<rect class=\"run\"").count(), 2);
        assert!(svg.contains("<title>A: 6 a 10</title></rect>"));
        assert!(svg.contains("<g data-table=\"b\" data-runs=\"0\">"));
    }

    #[test]
    fn runs_break_at_gaps() {
        let ms = [m("2020-01"), m("2020-02"), m("2020-04"), m("2020-05"), m("2020-07")];
        assert_eq!(runs(&ms), vec![(m("2020-01"), m("2020-02")), (m("2020-04"), m("2020-05")), (m("2020-07"), m("2020-07"))]);
        assert!(runs(&[]).is_empty());
    }

    #[test]
    fn a_band_is_one_closed_shape_per_run() {
        let x = Scale::new((0.0, 3.0), (0.0, 30.0));
        let y = Scale::new((0.0, 10.0), (10.0, 0.0));
        let d = band(&[(0.0, 1.0, 3.0), (1.0, 2.0, 4.0), (3.0, 5.0, 6.0)], 1.0, &x, &y);
        assert_eq!(d, "M0.0,7.0L10.0,6.0L10.0,8.0L0.0,9.0ZM30.0,4.0L30.0,5.0Z");
        assert_eq!(band(&[], 1.0, &x, &y), "");
    }

    #[test]
    fn a_missing_month_breaks_the_line() {
        let x = Scale::new((month_x(m("2020-01")), month_x(m("2020-04"))), (0.0, 30.0));
        let y = Scale::new((0.0, 10.0), (10.0, 0.0));
        let d = path(&by_month([(m("2020-01"), 0.0), (m("2020-02"), 10.0), (m("2020-04"), 5.0)]), 1.0, &x, &y);
        assert_eq!(d, "M0.0,10.0L10.0,0.0M30.0,5.0");
    }
}
