//! The one chart component: puts the markup of [`crate::view::chart::svg`] in the
//! page (one string, parsed once: a chart has up to a few hundred elements
//! and no state of its own) and shows a point's text under the chart when
//! it is hovered or focused. The price, fan, backtest, error-by-horizon and
//! series charts all use it; the snapshot in `index.html` uses the same
//! renderer.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::view::chart::{svg, Chart, Labels};

/// The text of the chart point an event happened on (or inside), if any.
pub fn point_label(target: Option<web_sys::EventTarget>) -> Option<String> {
    target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("circle[aria-label]").ok().flatten())
        .and_then(|c| c.get_attribute("aria-label"))
}

/// Draws `chart`; `detail`, when given, receives the text of the point under
/// the pointer or with the keyboard focus.
pub fn line_chart(chart: &Chart, labels: &Labels, detail: Option<RwSignal<Option<String>>>) -> impl IntoView {
    // Hover and focus are handled once on the wrapper (both bubble there),
    // not with two listeners per point.
    let show = move |target: Option<web_sys::EventTarget>| {
        if let (Some(detail), Some(label)) = (detail, point_label(target)) {
            detail.set(Some(label));
        }
    };
    view! {
        <div class="chart-wrap" inner_html=svg(chart, labels)
            on:mouseover=move |ev| show(ev.target()) on:focusin=move |ev| show(ev.target())></div>
    }
}
