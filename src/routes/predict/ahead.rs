//! The months ahead, first thing on the home page — after the notice that
//! the data are old, when they are ([`crate::view::freshness`]) — (markup from
//! [`crate::view::ahead_html`], the renderer the snapshot in `index.html` shares), the
//! fan drawn at its box's width, and the text of the point of the fan
//! tapped, hovered or focused. The fan shown is kept for the track record
//! ([`crate::view::track`]).

use leche_core::ModelId;
use leptos::prelude::*;

use crate::view::ahead_html::{fan_html, head_html, tail_html, DETAIL_HINT};
use crate::browser::clock;
use crate::components::line_chart::chart_box;
use crate::view::freshness;
use crate::session::Session;

#[component]
pub fn Ahead(model: RwSignal<ModelId>) -> impl IntoView {
    let session = Session::get();
    let detail = RwSignal::new(None::<String>);
    // The fan of the selected model on the stored tables.
    let fan = Memo::new(move |_| {
        let m = session.models().with(|ms| ms.as_ref()?.models.iter().find(|x| x.id == model.get()).cloned());
        m.map(|m| session.db().with(|db| m.fan(db))).unwrap_or_default()
    });
    // The fan shown is a forecast to score once its months have prices:
    // kept whenever the model or the data change (not on every render).
    Effect::new(move |_| {
        let id = model.get();
        fan.with(|f| session.keep_forecasts(id, f));
    });
    // Read once: a page left open across a month's end keeps its first answer.
    let today = clock::this_month();
    let head = move || fan.with(|f| session.db().with(|db| head_html(db, f, today, "")));
    let notice = move || session.db().with(|db| freshness::stale_notice_html(db, today));
    let tail = move || fan.with(|f| tail_html(f, ""));
    // Before it is measured (the app mounts hidden), drawn as the snapshot draws it: the same box.
    let chart = move |width: Option<f64>| fan.with(|f| session.db().with(|db| fan_html(db, f, "", width)));
    view! {
        <div class="stale" inner_html=notice></div>
        <section class="card headline-card" aria-labelledby="headline-title">
            <div class="card-body" inner_html=head></div>
            {chart_box(chart, Some(detail))}
            <p id="fan-detail" class="hint" aria-live="polite">{move || detail.get().unwrap_or_else(|| DETAIL_HINT.into())}</p>
            <div class="card-body" inner_html=tail></div>
        </section>
    }
}
