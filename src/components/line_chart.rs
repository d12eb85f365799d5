//! The one chart component: draws a [`Chart`] (laid out by the pure
//! [`crate::chart`]) as SVG — grid, ticks, bands, lines and focusable
//! points whose text shows under the chart on hover or keyboard focus.
//! The price chart, the fan, the backtest and error-by-horizon charts and
//! the series explorer all use it.

use leche_core::Month;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::chart::Chart;
use crate::format::{exact, number};

/// What to call a chart and what its points say.
pub struct Figure {
    /// Element id of the `<svg>`.
    pub id: &'static str,
    pub title: String,
    /// A sentence for screen readers (the table nearby has the values).
    pub desc: String,
    /// The x extent as months, for `data-first` / `data-last`.
    pub months: Option<(Month, Month)>,
    /// Where a hovered or focused point's text goes (`None`: no details).
    pub detail: Option<RwSignal<Option<String>>>,
}

/// Draws `chart`.
pub fn line_chart(chart: &Chart, figure: Figure) -> impl IntoView {
    let layout = chart.layout();
    let (left, top, right, bottom) = layout.plot;
    let points: usize = chart.lines.iter().map(|l| l.points.len()).sum();
    let y_ticks = layout
        .y_ticks
        .iter()
        .map(|&(y, v)| {
            let yy = format!("{y:.1}");
            view! {
                <line class="grid" x1=left x2=right y1=yy.clone() y2=yy.clone() />
                <text class="tick" x=left - 6.0 y=yy text-anchor="end" dy="0.32em">{number(v, chart.y_decimals)}</text>
            }
        })
        .collect_view();
    let x_ticks = layout
        .x_ticks
        .into_iter()
        .map(|(x, label)| view! { <text class="tick" x=format!("{x:.1}") y=chart.height - 8.0 text-anchor="middle">{label}</text> })
        .collect_view();
    let highlight = layout.highlight.map(|(x, w)| {
        view! { <rect class="asked" x=format!("{x:.1}") y=top width=format!("{w:.1}") height=bottom - top /> }
    });
    let bands = layout
        .bands
        .into_iter()
        .zip(&chart.bands)
        .map(|((class, d), b)| view! { <path class=class d=d data-points=b.points.len().to_string() /> })
        .collect_view();
    let lines = layout
        .lines
        .into_iter()
        .zip(&chart.lines)
        .map(|((class, name, d), l)| view! { <path class=class d=d data-points=l.points.len().to_string()><title>{name}</title></path> })
        .collect_view();
    let marks = chart
        .marks
        .iter()
        .filter(|m| m.x.is_finite() && m.y.is_finite())
        .zip(layout.marks)
        .map(|(m, (cx, cy))| {
            view! {
                <circle class=m.class r=m.radius cx=format!("{cx:.1}") cy=format!("{cy:.1}") tabindex=if m.tab_stop { "0" } else { "-1" }
                    data-month=m.month.map(|mo| mo.to_string()) data-value=m.value.map(|v| exact(Some(v)))
                    aria-label=m.label.clone()>
                    <title>{m.label.clone()}</title>
                </circle>
            }
        })
        .collect_view();
    // Hover and focus are handled once on the <svg> (both bubble there), not
    // with two listeners per point: a range has ~90 points.
    let show = move |target: Option<web_sys::EventTarget>| {
        let Some(detail) = figure.detail else { return };
        let label = target
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("circle[aria-label]").ok().flatten())
            .and_then(|c| c.get_attribute("aria-label"));
        if label.is_some() {
            detail.set(label);
        }
    };
    let title_id = format!("{}-title", figure.id);
    let desc_id = format!("{}-desc", figure.id);
    let labelled_by = format!("{title_id} {desc_id}");
    view! {
        <svg id=figure.id class="chart" viewBox=format!("0 0 {} {}", chart.width, chart.height) role="group"
            aria-labelledby=labelled_by
            data-points=points.to_string() data-lines=chart.lines.len().to_string() data-marks=chart.marks.len().to_string()
            data-first=figure.months.map(|m| m.0.to_string()) data-last=figure.months.map(|m| m.1.to_string())
            on:mouseover=move |ev| show(ev.target()) on:focusin=move |ev| show(ev.target())>
            <title id=title_id>{figure.title}</title>
            <desc id=desc_id>{figure.desc}</desc>
            {highlight}
            {bands}
            {y_ticks}
            {x_ticks}
            {lines}
            {marks}
        </svg>
    }
}
