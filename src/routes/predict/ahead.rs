//! The months ahead, first thing on the home page — after the notice that
//! the data are old, when they are ([`crate::view::freshness`]) — (markup from
//! [`crate::view::ahead_html`], the renderer the snapshot in `index.html` shares), and
//! the text of a point of the fan when it is hovered or focused, a
//! «¿Por qué?» link beside the headline (its content is the pages module's:
//! [`super::why`]) and, once kept forecasts have prices, one line on how the
//! last ones did. The fan shown is kept for the track record ([`crate::view::track`]).

use leche_core::ModelId;
use leptos::prelude::*;

use crate::view::ahead_html::{head_html, tail_html, DETAIL_HINT};
use crate::browser::clock;
use crate::components::line_chart::point_label;
use crate::view::freshness;
use crate::routes::registros::track_record;
use crate::session::Session;
use crate::view::track::recent_line;

/// How many of the last scored forecasts the home page's line averages.
const RECENT: usize = 6;

#[component]
pub fn Ahead(model: RwSignal<ModelId>) -> impl IntoView {
    let session = Session::get();
    let hash = expect_context::<RwSignal<String>>();
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
    let head = move || {
        let why = (hash.get(), model.get());
        fan.with(|f| session.db().with(|db| head_html(db, f, today, "", Some((&why.0, why.1)))))
    };
    let notice = move || session.db().with(|db| freshness::stale_notice_html(db, today));
    let tail = move || fan.with(|f| tail_html(f, ""));
    let record = track_record(session);
    let recent = move || record.with(|r| recent_line(r.as_ref()?.as_ref().ok()?, model.get(), RECENT));
    let show = move |target: Option<web_sys::EventTarget>| {
        if let Some(label) = point_label(target) {
            detail.set(Some(label));
        }
    };
    view! {
        <div class="stale" inner_html=notice></div>
        <section class="card headline-card" aria-labelledby="headline-title">
            <div class="card-body" inner_html=head on:mouseover=move |ev| show(ev.target()) on:focusin=move |ev| show(ev.target())></div>
            {move || recent().map(|line| view! {
                <p id="track-line" class="track-line">{line} " " <a href="#/registros">"Ver el historial"</a></p>
            })}
            <p id="fan-detail" class="hint" aria-live="polite">{move || detail.get().unwrap_or_else(|| DETAIL_HINT.into())}</p>
            <div class="card-body" inner_html=tail></div>
        </section>
    }
}
