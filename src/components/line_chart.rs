//! The one chart component: puts the markup of [`crate::view::chart::svg`]
//! in the page (one string, parsed once: a chart has up to a few hundred
//! elements and no state of its own), drawn at the width its box measures
//! — a ResizeObserver redraws it when the box changes, so its text stays
//! 12 CSS px on a phone and on a desktop alike — and shows the text of the
//! point nearest to a tap, the mouse pointer or the keyboard focus. The
//! price, fan, backtest, error-by-horizon, series and coverage charts all
//! use it; the snapshot in `index.html` uses the same renderer.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::components::snapshot;
use crate::view::chart::{svg, Chart, Labels};

/// The markup a box taken over from the snapshot reports while it keeps the snapshot's drawing.
const KEPT: &str = "snapshot";

/// What a chart's own line says before a point is picked.
pub const POINT_HINT: &str = "Toque el gráfico o pase el cursor sobre él para ver cada punto.";

/// Draws `chart` at its box's width; `detail`, when given, receives the
/// text of the point picked. Without one, a chart with points says it in a
/// line of its own under it (`{id}-detail`): a phone has no hover to show
/// a point's `<title>`.
pub fn line_chart(chart: &Chart, labels: &Labels, detail: Option<RwSignal<Option<String>>>) -> impl IntoView {
    let own = (detail.is_none() && !chart.marks.is_empty()).then(|| RwSignal::new(None::<String>));
    let line_id = format!("{}-detail", labels.id);
    let (chart, labels) = (chart.clone(), labels.clone());
    let draw = move |width: Option<f64>| match width {
        Some(w) => svg(&chart.at_width(w), &labels),
        None => svg(&chart, &labels),
    };
    view! {
        {chart_box(draw, detail.or(own), None)}
        {own.map(|text| view! {
            <p id=line_id class="hint chart-detail" aria-live="polite">{move || text.get().unwrap_or_else(|| POINT_HINT.into())}</p>
        })}
    }
}

/// A box that draws `render(width)` at its own measured width in CSS px
/// (`None` until it is measured: hidden in a closed section, or the app
/// before it shows), and puts in `detail` the text of the point nearest to
/// a tap or the mouse, or the one focused. `first`: the snapshot's drawing
/// of the same chart, taken over ([`snapshot::markup`]) and kept, scaled to
/// the box, until its signal says the box may be drawn at its width (the
/// page has nothing more urgent to do, or the chart changed).
pub fn chart_box(
    render: impl Fn(Option<f64>) -> String + Send + Sync + 'static,
    detail: Option<RwSignal<Option<String>>>,
    first: Option<(web_sys::Element, Signal<bool>)>,
) -> impl IntoView {
    let node: NodeRef<Div> = NodeRef::new();
    let width = RwSignal::new(None::<f64>);
    let (first, measured) = match first {
        Some((nodes, release)) => (Some(nodes), release),
        None => (None, Signal::stored(true)),
    };
    // Until then the snapshot's drawing is this chart's (the same card): not drawn again only to be compared.
    let drawing = snapshot::markup(node, first, move || if measured.get() { render(width.get()) } else { String::from(KEPT) });
    watch_width(node, width);
    let show = move |label: Option<String>| {
        if let (Some(detail), Some(label)) = (detail, label) {
            if detail.with_untracked(|d| d.as_deref() != Some(label.as_str())) {
                detail.set(Some(label));
            }
        }
    };
    // Every event is handled once on the box (they bubble there), not by a
    // listener per point. A finger's move is a scroll, not a pick: touch
    // picks on the tap (`click`).
    view! {
        <div class="chart-wrap" node_ref=node inner_html=drawing
            on:pointermove=move |ev: web_sys::PointerEvent| {
                if ev.pointer_type() != "touch" {
                    show(nearest_point(&ev));
                }
            }
            on:click=move |ev: web_sys::MouseEvent| show(nearest_point(&ev))
            on:focusin=move |ev: web_sys::FocusEvent| show(focused_point(ev.target()))></div>
    }
}

/// Keeps `width` at the box's width while it is shown.
fn watch_width(node: NodeRef<Div>, width: RwSignal<Option<f64>>) {
    type Watch = (web_sys::ResizeObserver, Closure<dyn FnMut(JsValue)>);
    let watch = StoredValue::new_local(None::<Watch>);
    Effect::new(move |_| {
        let Some(el) = node.get() else { return };
        if watch.with_value(Option::is_some) {
            return;
        }
        let target = el.clone();
        let on_resize = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
            let w = target.get_bounding_client_rect().width();
            // Zero while hidden: the last drawing stays until it shows again.
            if w > 0.0 && width.get_untracked() != Some(w) {
                width.set(Some(w));
            }
        });
        // Without a ResizeObserver the chart keeps its design size, scaled.
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&el);
            watch.set_value(Some((observer, on_resize)));
        }
    });
    on_cleanup(move || {
        watch.try_with_value(|w| {
            if let Some((observer, _)) = w {
                observer.disconnect();
            }
        });
    });
}

/// The point of the chart under `ev` nearest to it — by month first, then by
/// value — marked as selected, and its text. A tap anywhere on the chart
/// picks one: its points are a few pixels wide, a finger is not.
fn nearest_point(ev: &web_sys::MouseEvent) -> Option<String> {
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let chart = target.closest("svg.chart").ok()??;
    let points = chart.query_selector_all("circle[aria-label]").ok()?;
    let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
    let mut best: Option<(f64, web_sys::Element)> = None;
    for point in (0..points.length()).filter_map(|i| points.item(i)?.dyn_into::<web_sys::Element>().ok()) {
        let r = point.get_bounding_client_rect();
        let (dx, dy) = (r.x() + r.width() / 2.0 - x, r.y() + r.height() / 2.0 - y);
        let distance = dx * dx + dy * dy / 16.0;
        if best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, point));
        }
    }
    let (_, point) = best?;
    select(&chart, &point);
    point.get_attribute("aria-label")
}

/// The text of the chart point that took the focus, if the focus went to one.
fn focused_point(target: Option<web_sys::EventTarget>) -> Option<String> {
    let point = target?.dyn_into::<web_sys::Element>().ok()?.closest("circle[aria-label]").ok()??;
    let chart = point.closest("svg.chart").ok()??;
    select(&chart, &point);
    point.get_attribute("aria-label")
}

/// Marks `point` as the chart's selected one (style.css rings it).
fn select(chart: &web_sys::Element, point: &web_sys::Element) {
    if let Ok(selected) = chart.query_selector_all("circle.selected") {
        for old in (0..selected.length()).filter_map(|i| selected.item(i)?.dyn_into::<web_sys::Element>().ok()) {
            let _ = old.class_list().remove_1("selected");
        }
    }
    let _ = point.class_list().add_1("selected");
}
