//! The home page: forecast one month or a range, with the headline
//! forecast for the month after the last data and the model's verdict.
//!
//! One way to results: text → query (parsed once) → URL → results. A
//! submit parses what was typed, records it in the hash
//! (`#/?q=…&modelo=…`, a new history entry that fires no `hashchange`) and
//! shows it; a hash the browser brings (a reload, a shared link, back and
//! forward) is parsed once and shown the same way. Bad input shows its
//! message and changes nothing else (not the hash, not the results, not
//! the data).

use leche_core::data::query::parse_query;
use leche_core::{ModelId, Month};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

mod ahead;
mod price_chart;
mod results;
pub mod why;

use crate::browser::{clock, location, performance};
use crate::view::prediction_text;
use crate::view::format::capitalize;
use crate::view::freshness::{self, ADD_PARAM};
use crate::view::interaction::Kind;
use crate::view::route::{self, parse_model, Page};
use crate::session::Session;
use ahead::Ahead;
pub use ahead::track_due;
use price_chart::PriceChart;
use results::{results_view, Outcome};

/// Models in the order the selector lists them.
const MODEL_ORDER: [ModelId; 2] = [ModelId::Recommended, ModelId::Replica];

/// Whether the home page has drawn all it shows. What lies below its first
/// screen (the price chart, the verdict) is drawn in a task after the rest,
/// so no task draws the whole page; the shell shows the app (and lets the
/// snapshot go) once this is true.
#[derive(Clone, Copy)]
pub struct Drawn(pub RwSignal<bool>);

#[component]
pub fn PredictPage() -> impl IntoView {
    let session = Session::get();
    let hash = expect_context::<RwSignal<String>>();
    let default_model = session.default_model();
    let input = RwSignal::new(String::new());
    let model = RwSignal::new(default_model);
    let error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<Outcome>);
    // What the results show, for a switch of model to ask again.
    let asked = StoredValue::new(None::<Asked>);

    // Text → query, once; bad input says why and is logged.
    let parse = move |text: &str, model: ModelId| {
        crate::crash::test_hook(text);
        match parse_query(text) {
            Ok((first, last)) => Some(Asked { text: text.to_string(), first, last, model }),
            Err(e) => {
                error.set(Some(format!("Entrada no válida: {e}.")));
                session.log(Kind::EntradaInvalida, format!("«{text}»: {e}"), "");
                None
            }
        }
    };

    // An outcome → the page: shown first, logged and kept after (neither is on the user's clock).
    let present = move |a: &Asked, o: Outcome| {
        let single_missing = o.forecasts.is_empty() && a.first == a.last;
        error.set(single_missing.then(|| o.unavailable.first().map(|u| capitalize(&u.to_string()))).flatten());
        let logged = o.clone();
        outcome.set(Some(o));
        log_outcome(session, &logged);
        // Months with no price yet are forecasts the track record scores later.
        session.keep_forecasts(a.model, &logged.forecasts);
    };

    // Query → results.
    let show = move |a: Asked| {
        asked.set_value(Some(a.clone()));
        let Some(o) = predict(session, a.model, a.first, a.last) else {
            let message = format!("el modelo «{}» no está disponible", a.model.label());
            error.set(Some(message.clone()));
            return session.log(Kind::Error, format!("pronóstico {}: {message}", a.text), "");
        };
        present(&a, o);
    };

    // New tables or models (months added on the data page, a reset, a
    // retrain adopted, another tab's write) answer the shown query again:
    // the pages module writes and this module's copy follows a moment
    // later, often after this page has answered from the old one. Only an
    // answer that changed is shown and logged again.
    Effect::new(move |seen: Option<()>| {
        session.db().track();
        session.models().track();
        let Some(a) = asked.get_value().filter(|_| seen.is_some()) else { return };
        let changed = |o: &Outcome| outcome.with_untracked(|shown| shown.as_ref() != Some(o));
        if let Some(o) = predict(session, a.model, a.first, a.last).filter(changed) {
            present(&a, o);
        }
    });

    // The page's own query → URL → results. The URL is pushed without a
    // `hashchange`, so the hash below does not run it a second time.
    let ask = move |a: Asked| {
        let url = route::predict_hash(&a.text, a.model);
        if url != location::hash() {
            location::push_hash(&url);
        }
        show(a);
    };

    // The browser's hash (a reload, a shared link, back and forward): the
    // model and query it names, shown.
    Effect::new(move |_| {
        let r = route::parse(&hash.get());
        if r.page != Page::Predict {
            return;
        }
        // A hash without a model leaves the selector as the user set it.
        let id = r.model.unwrap_or_else(|| model.get_untracked());
        model.set(id);
        if let Some(q) = r.query {
            // Opening or closing a month's «¿Por qué?» keeps the query: it is shown already.
            if asked.get_value().is_some_and(|a| a.text == q && a.model == id) {
                return;
            }
            input.set(q.clone());
            if let Some(a) = parse(&q, id) {
                show(a);
            }
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if let Some(a) = parse(&input.get_untracked(), model.get_untracked()) {
            ask(a);
        }
    };

    // Below the first screen, the price chart and then the verdict, each a
    // task of its own; then the page is whole.
    let below = RwSignal::new(0u8);
    let drawn = use_context::<Drawn>();
    spawn_local(async move {
        for step in 1..=2 {
            clock::next_task().await;
            below.set(step);
        }
        if let Some(Drawn(drawn)) = drawn {
            drawn.set(true);
        }
    });
    // Memos: the chart is not drawn again when the verdict comes.
    let (chart_due, verdict_due) = (Memo::new(move |_| below.get() >= 1), Memo::new(move |_| below.get() >= 2));

    let on_model = move |ev: leptos::ev::Event| {
        let id = parse_model(&event_target_value(&ev)).unwrap_or(default_model);
        model.set(id);
        // A shown prediction follows a switch to another model.
        if let Some(a) = asked.get_value().filter(|a| a.model != id) {
            ask(Asked { model: id, ..a });
        }
    };

    view! {
        <h1>"Pronóstico del precio de la leche"</h1>
        <Ahead model shown=Signal::derive(move || outcome.with(|o| o.as_ref().map(|o| (o.query(), o.model))))/>

        {query_form(session, QueryFields { input, model, error }, on_submit, on_model)}

        <div id="error" role="alert" class="alert">{move || error.get()}</div>
        {move || catch_up(outcome)}

        {move || outcome.get().map(results_view)}

        {move || chart_due.get().then(|| view! {
            <PriceChart model=model asked=Signal::derive(move || outcome.with(|o| o.as_ref().map(|o| (o.first, o.last)))) />
        })}
        {move || verdict_due.get().then(|| verdict_card(session))}
    }
}

/// A month refused for being too far ahead of old data: which prices it
/// needs, and the way to add them.
fn catch_up(outcome: RwSignal<Option<Outcome>>) -> Option<impl IntoView> {
    let text = outcome.with(|o| freshness::catch_up_text(&o.as_ref()?.unavailable, clock::this_month()))?;
    Some(view! {
        <p id="catch-up" class="hint">
            {text} " " <a id="catch-up-action" href=format!("#/datos?{ADD_PARAM}")>"Agregar precios recientes"</a>
        </p>
    })
}

/// A query asked of the page: as typed (for the URL and the log), its
/// months, and the model.
#[derive(Clone)]
struct Asked {
    text: String,
    first: Month,
    last: Month,
    model: ModelId,
}

/// The form's state: what is typed, the model chosen, the input's error.
#[derive(Clone, Copy)]
struct QueryFields {
    input: RwSignal<String>,
    model: RwSignal<ModelId>,
    error: RwSignal<Option<String>>,
}

/// The query box, the model selector with what each model needs, and the button.
fn query_form(
    session: Session,
    QueryFields { input, model, error }: QueryFields,
    on_submit: impl Fn(SubmitEvent) + 'static,
    on_model: impl Fn(leptos::ev::Event) + 'static,
) -> impl IntoView {
    let model_list = move || {
        session.models().with(|ms| {
            MODEL_ORDER
                .iter()
                .filter_map(|id| ms.as_ref()?.models.iter().find(|m| m.id == *id))
                .map(|m| (m.id, m.name.clone(), m.needs()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <form class="card query-form" on:submit=on_submit novalidate>
            <div class="field">
                <label for="query">"Mes o rango de meses"</label>
                <input id="query" name="q" type="text" autocomplete="off" spellcheck="false"
                    placeholder="2020-01 o 2019-06 2020-05" aria-describedby="query-help"
                    aria-invalid=move || error.get().is_some().then_some("true")
                    prop:value=move || input.get()
                    on:input=move |ev| input.set(event_target_value(&ev)) />
                <p id="query-help" class="hint">
                    "Un mes (AAAA-MM) o dos meses separados por un espacio; el rango incluye ambos extremos (máximo 240 meses) "
                    "y llega hasta 12 meses después del último precio."
                </p>
            </div>
            <div class="field">
                <label for="model">"Modelo"</label>
                <select id="model" name="modelo" on:change=on_model aria-describedby="model-needs">
                    // The short name, which a phone's select shows whole; the list below gives each model's full name.
                    {move || model_list().into_iter().map(|(id, _, _)| view! {
                        <option value=id.key() prop:selected=move || model.get() == id>{id.label()}</option>
                    }).collect_view()}
                </select>
                <ul id="model-needs" class="hint needs">
                    {move || model_list().into_iter().map(|(id, name, needs)| view! {
                        <li data-model=id.key()><strong>{name}</strong>": necesita " {needs} "."</li>
                    }).collect_view()}
                </ul>
            </div>
            <button id="predict" type="submit">"Pronosticar"</button>
        </form>
    }
}

/// The accuracy verdict, per horizon band, of the active models.
fn verdict_card(session: Session) -> impl IntoView {
    let verdict = move || session.models().with(|m| m.as_ref().map(|m| m.verdict.clone()).unwrap_or_default());
    view! {
        <section class="card" aria-labelledby="verdict-title">
            <h2 id="verdict-title">"¿Qué tan confiable es?"</h2>
            <p id="verdict">{verdict}</p>
        </section>
    }
}

/// Logs a prediction: its outputs, and the months it could not forecast with why.
fn log_outcome(session: Session, o: &Outcome) {
    let q = o.query();
    if !o.forecasts.is_empty() {
        session.log(
            Kind::Prediccion,
            format!("Pronóstico «{q}» con {}: {} meses", o.model.label(), o.forecasts.len()),
            prediction_text::prediction_details(&o.forecasts, &[]),
        );
    }
    if !o.unavailable.is_empty() {
        session.log(
            Kind::DatosFaltantes,
            format!("Pronóstico «{q}» con {}: {} meses sin datos suficientes", o.model.label(), o.unavailable.len()),
            prediction_text::prediction_details(&[], &o.unavailable),
        );
    }
}

/// Forecasts from the session's copy of the store; `None` when the model is not stored.
fn predict(session: Session, id: ModelId, first: Month, last: Month) -> Option<Outcome> {
    let model = session.model(id)?;
    performance::mark("leche:compute-start");
    let (r, last_price) = session.db().with_untracked(|db| (model.forecast_range(db, first, last), db.last_price_month()));
    performance::measure("leche:compute", "leche:compute-start");
    Some(Outcome { model: id, first, last, forecasts: r.forecasts, unavailable: r.unavailable, last_price })
}

