//! The months ahead, first thing on the home page — after the notice that
//! the data are old, when they are ([`crate::view::freshness`]) — (markup from
//! [`crate::view::ahead_html`], the renderer the snapshot in `index.html` shares), the
//! fan drawn at its box's width, the text of the point of the fan tapped,
//! hovered or focused, a «¿Por qué?» link beside the headline and, once kept
//! forecasts have prices, one line on how the last ones did
//! (`#recent-track`). Both contents are the pages module's ([`super::why`]),
//! loaded on demand: this module, all a first visit downloads, neither
//! explains nor scores. The fan shown is kept for the track record
//! ([`crate::view::track`]). On the first paint the card is the snapshot's,
//! taken over node for node when it is this card ([`crate::components::snapshot`]).

use leche_core::ModelId;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::view::ahead_html::{fan_html, head_html, tail_html, DETAIL_HINT};
use crate::browser::clock;
use crate::components::line_chart::chart_box;
use crate::components::snapshot::{markup, Snapshot};
use crate::view::snapshot::Card;
use crate::view::freshness;
use crate::view::route::predict_hash;
use crate::browser::{local_storage, scope};
use crate::session::Session;
use leche_core::{Database, Month};

/// Where this browser notes the first month it kept a forecast for.
fn kept_key() -> String {
    format!("{}:kept-from", scope::name())
}

/// Whether kept forecasts may have prices by now (the data reach the first
/// month one was kept for): then the pages module is loaded, even on the home
/// page, to score them and write the track line. A first visit has none.
pub fn track_due(db: &Database) -> bool {
    let first = local_storage::get(&kept_key()).and_then(|m| m.parse::<Month>().ok());
    matches!((first, db.last_price_month()), (Some(f), Some(last)) if f <= last)
}

/// `shown`: the query the page shows results for, and their model: the
/// headline's «¿Por qué?» keeps it in the address (closing the explanation,
/// or reloading, shows the results again).
#[component]
pub fn Ahead(model: RwSignal<ModelId>, shown: Signal<Option<(String, ModelId)>>) -> impl IntoView {
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
        fan.with(|f| {
            session.keep_forecasts(id, f);
            // Noted once: later fans start later (the published prices are never taken away).
            if let (Some(first), None) = (f.first(), local_storage::get(&kept_key())) {
                local_storage::set(&kept_key(), &first.month.to_string());
            }
        });
    });
    // Read once: a page left open across a month's end keeps its first answer.
    let today = clock::this_month();
    // A memo: the card is not drawn again unless the link changes.
    let why = Memo::new(move |_| {
        let id = model.get();
        shown.with(|s| match s {
            Some((q, m)) if *m == id => predict_hash(q, id),
            _ => format!("#/?modelo={}", id.key()),
        })
    });
    let why = move || why.get();
    // The snapshot in index.html, when it shows this very card: its nodes become this card's (no second drawing).
    let snapshot = fan.with_untracked(|f| session.db().with_untracked(|db| Snapshot::matching(&Card::new(db, f, Some(&why())).key())));
    let head = move || fan.with(|f| session.db().with(|db| head_html(db, f, today, Some(&why()))));
    let notice = move || session.db().with(|db| freshness::stale_notice_html(db, today));
    let tail = move || fan.with(|f| tail_html(f));
    // Before it is measured (the app mounts hidden), drawn as the snapshot draws it: the same box.
    let chart = move |width: Option<f64>| fan.with(|f| session.db().with(|db| fan_html(db, f, width)));
    // The snapshot's notice is the app's when both show one (its script wrote today's words).
    let shows_notice = untrack(|| !notice().is_empty());
    let first_notice = snapshot.as_ref().map(|s| s.stale.clone()).filter(|s| s.first_child().is_some() == shows_notice);
    let (notice_box, head_box, tail_box) = (NodeRef::new(), NodeRef::new(), NodeRef::new());
    // The snapshot's fan, scaled to its box, until the page is idle: then drawn at the box's width.
    // Sooner when the fan changes (another tab's upload): the snapshot's is no longer this one.
    let idle = RwSignal::new(false);
    if snapshot.is_some() {
        spawn_local(async move {
            clock::idle().await;
            idle.set(true);
        });
        Effect::new(move |first: Option<()>| {
            fan.track();
            if first.is_some() {
                idle.set(true);
            }
        });
    }
    view! {
        <div class="stale" node_ref=notice_box inner_html=markup(notice_box, first_notice, notice)></div>
        <section class="card headline-card" aria-labelledby="headline-title">
            <div class="card-body" node_ref=head_box inner_html=markup(head_box, snapshot.as_ref().map(|s| s.head.clone()), head)></div>
            <p id="recent-track" class="recent-track" hidden></p>
            {chart_box(chart, Some(detail), snapshot.as_ref().map(|s| (s.fan.clone(), idle.into())))}
            <p id="fan-detail" class="hint" aria-live="polite">{move || detail.get().unwrap_or_else(|| DETAIL_HINT.into())}</p>
            <div class="card-body" node_ref=tail_box inner_html=markup(tail_box, snapshot.map(|s| s.tail), tail)></div>
        </section>
    }
}
