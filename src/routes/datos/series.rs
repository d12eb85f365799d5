//! The series explorer (the original challenge's plots), one tap away: any
//! stored series over a chosen range, two side by side, and rainfall month
//! by month for chosen years, one line per year.

use leche_core::data::query::parse_query;
use leche_core::Source;
use leptos::prelude::*;

use crate::view::chart::Labels;
use crate::view::format::capitalize;
use crate::components::disclosure::more;
use crate::components::line_chart::line_chart;
use crate::view::plots::{self, all_series};
use crate::session::Session;

/// A series' `<option>` value: its table's key and its column (`milk_price:0`).
fn key(s: Source, i: usize) -> String {
    format!("{}:{i}", s.key())
}

/// The years typed (at most six).
fn years(text: &str) -> Vec<i32> {
    text.split(|c: char| !c.is_ascii_digit()).filter_map(|y| y.parse().ok()).take(6).collect()
}

fn labels(id: &str, title: String, months: Option<(leche_core::Month, leche_core::Month)>) -> Labels {
    Labels { id: id.into(), desc: title.clone(), title, months }
}

#[component]
pub fn SeriesExplorer() -> impl IntoView {
    let session = Session::get();
    let a = RwSignal::new(key(Source::MilkPrice, 0));
    let b = RwSignal::new(key(Source::Rainfall, 6));
    let range_text = RwSignal::new("2011-01 2020-12".to_string());
    let region = RwSignal::new(6usize);
    let years_text = RwSignal::new("2010 2015 2019".to_string());
    let find = move |k: &str| all_series().into_iter().find(|(s, i, _)| key(*s, *i) == k);

    let side_by_side = move || {
        let (first, last) = parse_query(&range_text.get()).ok()?;
        let chart = |id: &'static str, k: String| {
            let (s, i, name) = find(&k)?;
            let c = session.db().with(|db| plots::series(db, s, i, name, first, last));
            let title = format!("{name} ({first} a {last})");
            Some(view! { <figure class="series-figure">{line_chart(&c, &labels(id, title.clone(), Some((first, last))), None)}<figcaption class="hint">{title}</figcaption></figure> })
        };
        Some(view! { <div class="pair">{chart("series-a", a.get())}{chart("series-b", b.get())}</div> })
    };
    let by_year = move || {
        let i = region.get();
        let name = Source::Rainfall.columns().get(i).copied()?;
        let ys = years(&years_text.get());
        let c = session.db().with(|db| plots::rain_by_year(db, i, &ys));
        let title = format!("Precipitaciones en {name}, mes a mes.");
        let legend = c
            .lines
            .iter()
            .map(|l| view! { <span class="legend-item"><span class=format!("key {}", l.class.trim_start_matches("series "))></span>" " {l.name.clone()} " "</span> })
            .collect_view();
        Some(view! {
            <figure class="series-figure">
                {line_chart(&c, &labels("rain-by-year", title.clone(), None), None)}
                <figcaption class="hint">{title} {legend}</figcaption>
            </figure>
        })
    };
    // Grouped by table, each option only its column: a phone's select shows the name whole.
    let options = |selected: RwSignal<String>| {
        Source::ALL
            .into_iter()
            .map(|s| {
                let columns = s
                    .columns()
                    .into_iter()
                    .enumerate()
                    .map(|(i, name)| {
                        let k = key(s, i);
                        let is = k.clone();
                        view! { <option value=k prop:selected=move || selected.get() == is>{name}</option> }
                    })
                    .collect_view();
                view! { <optgroup label=capitalize(s.label())>{columns}</optgroup> }
            })
            .collect_view()
    };
    view! {
        <section class="card" aria-labelledby="series-title">
            <h2 id="series-title">"Explorar series"</h2>
            <p class="hint">"Cualquier serie guardada en un rango de meses, dos a la vez, y las lluvias mes a mes por año."</p>
            {more("Elegir series y ver sus gráficos", view! {
                <div class="series-controls">
                    <div class="field">
                        <label for="series-a-select">"Serie A"</label>
                        <select id="series-a-select" on:change=move |ev| a.set(event_target_value(&ev))>{options(a)}</select>
                    </div>
                    <div class="field">
                        <label for="series-b-select">"Serie B"</label>
                        <select id="series-b-select" on:change=move |ev| b.set(event_target_value(&ev))>{options(b)}</select>
                    </div>
                    <div class="field">
                        <label for="series-range">"Meses (desde hasta)"</label>
                        <input id="series-range" type="text" prop:value=move || range_text.get() on:change=move |ev| range_text.set(event_target_value(&ev)) />
                    </div>
                </div>
                {side_by_side}
                <div class="series-controls">
                    <div class="field">
                        <label for="rain-region">"Región"</label>
                        <select id="rain-region" on:change=move |ev| region.set(event_target_value(&ev).parse().unwrap_or(0))>
                            {Source::Rainfall.columns().into_iter().enumerate().map(|(i, c)| view! { <option value=i.to_string() prop:selected=move || region.get() == i>{c}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="rain-years">"Años (hasta 6)"</label>
                        <input id="rain-years" type="text" prop:value=move || years_text.get() on:change=move |ev| years_text.set(event_target_value(&ev)) />
                    </div>
                </div>
                {by_year}
            })}
        </section>
    }
}
