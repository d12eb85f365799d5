//! The series explorer (the original challenge's plots): any stored series
//! over a chosen range, two side by side, and rainfall month by month for
//! chosen years, one line per year.

use leche_core::query::parse_query;
use leche_core::{Database, Month, Source};
use leptos::prelude::*;

use crate::app::Ctx;
use crate::chart::{month_x, nice_ticks, path, year_ticks, Scale};
use crate::format::number;

/// Width of a chart in a pair (each takes half the card); a chart alone
/// takes the whole card, so it is drawn twice as wide and its text keeps
/// the same size on screen.
const W: f64 = 400.0;
const WIDE: f64 = 800.0;
const H: f64 = 220.0;

/// Every stored series as (source, column index, name).
fn all_series() -> Vec<(Source, usize, &'static str)> {
    Source::ALL.iter().flat_map(|&s| s.columns().into_iter().enumerate().map(move |(i, c)| (s, i, c))).collect()
}

fn key(s: Source, i: usize) -> String {
    format!("{}:{i}", s.file_name())
}

fn values(db: &Database, s: Source, i: usize, first: Month, last: Month) -> Vec<(Month, f64)> {
    db.table(s).range(first..=last).filter_map(|(m, row)| row.get(i).map(|v| (*m, *v))).collect()
}

/// A line chart `width` wide of one or more named series on a shared scale; `x` places each point.
fn line_chart(id: String, title: String, lines: Vec<(String, Vec<(Month, f64)>)>, x_ticks: Vec<(f64, String)>, x: Scale, width: f64) -> impl IntoView {
    let all = lines.iter().flat_map(|(_, l)| l.iter().map(|p| p.1));
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let points: usize = lines.iter().map(|l| l.1.len()).sum();
    let body = (points > 0).then(|| {
        let y = Scale::new((lo, hi), (H - 24.0, 10.0));
        let y_ticks = nice_ticks(lo, hi, 4)
            .into_iter()
            .map(|v| {
                let yy = format!("{:.1}", y.at(v));
                view! {
                    <line class="grid" x1="48" x2=width - 6.0 y1=yy.clone() y2=yy.clone() />
                    <text class="tick" x="44" y=yy text-anchor="end" dy="0.32em">{number(v, if hi - lo < 10.0 { 1 } else { 0 })}</text>
                }
            })
            .collect_view();
        let xt = x_ticks
            .into_iter()
            .map(|(v, label)| view! { <text class="tick" x=format!("{:.1}", x.at(v)) y=H - 6.0 text-anchor="middle">{label}</text> })
            .collect_view();
        let paths = lines
            .iter()
            .enumerate()
            .map(|(i, (name, l))| view! { <path class=format!("series s{}", i % 6) d=path(l, &x, &y)><title>{name.clone()}</title></path> })
            .collect_view();
        view! { {y_ticks} {xt} {paths} }
    });
    let legend = (lines.len() > 1).then(|| {
        lines.iter().enumerate().map(|(i, (name, _))| view! { <span class="legend-item"><span class=format!("key s{}", i % 6)></span>" " {name.clone()} " "</span> }).collect_view()
    });
    view! {
        <figure class="series-figure">
            <svg id=id class="chart" viewBox=format!("0 0 {width} {H}") role="img" aria-label=title.clone() data-points=points.to_string() data-lines=lines.len().to_string()>
                <title>{title.clone()}</title>
                {body}
            </svg>
            <figcaption class="hint">{title} {legend}</figcaption>
        </figure>
    }
}

#[component]
pub fn SeriesExplorer() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let first_key = key(Source::MilkPrice, 0);
    let a = RwSignal::new(first_key);
    let b = RwSignal::new(key(Source::Rainfall, 6));
    let range_text = RwSignal::new("2011-01 2020-12".to_string());
    let region = RwSignal::new(6usize);
    let years_text = RwSignal::new("2010 2015 2019".to_string());
    let find = move |k: &str| all_series().into_iter().find(|(s, i, _)| key(*s, *i) == k);

    let side_by_side = move || {
        let (first, last) = parse_query(&range_text.get()).ok()?;
        let x = Scale::new((month_x(first), month_x(last)), (48.0, W - 6.0));
        let ticks: Vec<(f64, String)> = year_ticks(first, last, 5).into_iter().map(|m| (month_x(m), m.year().to_string())).collect();
        let chart = |id: &str, k: String| {
            let (s, i, name) = find(&k)?;
            let line = ctx.db.with(|db| values(db, s, i, first, last));
            Some(line_chart(id.to_string(), format!("{name} ({first} a {last})"), vec![(name.to_string(), line)], ticks.clone(), x, W))
        };
        Some(view! { <div class="pair">{chart("series-a", a.get())}{chart("series-b", b.get())}</div> })
    };
    let by_year = move || {
        let i = region.get();
        let name = Source::Rainfall.columns().get(i).copied()?;
        let years: Vec<i32> = years_text.get().split(|c: char| !c.is_ascii_digit()).filter_map(|y| y.parse().ok()).take(6).collect();
        let lines: Vec<(String, Vec<(Month, f64)>)> = years
            .iter()
            .filter_map(|&y| {
                let (Some(a), Some(b)) = (Month::new(y, 1), Month::new(y, 12)) else { return None };
                // Every year on the same January…December axis (year 2000's months).
                let line = ctx.db.with(|db| values(db, Source::Rainfall, i, a, b));
                Some((y.to_string(), line.into_iter().filter_map(|(m, v)| Month::new(2000, m.month()).map(|mm| (mm, v))).collect()))
            })
            .collect();
        let x = Scale::new((month_x(Month::new(2000, 1)?), month_x(Month::new(2000, 12)?)), (48.0, WIDE - 6.0));
        let ticks = [1u32, 4, 7, 10].iter().filter_map(|&m| Month::new(2000, m).map(|mm| (month_x(mm), mm.spanish_name().to_string()))).collect();
        Some(line_chart("rain-by-year".into(), format!("Precipitaciones en {name}, mes a mes."), lines, ticks, x, WIDE))
    };
    let options = |selected: RwSignal<String>| {
        all_series()
            .into_iter()
            .map(|(s, i, name)| {
                let k = key(s, i);
                let is = k.clone();
                view! { <option value=k prop:selected=move || selected.get() == is>{format!("{} · {name}", s.label())}</option> }
            })
            .collect_view()
    };
    view! {
        <section class="card" aria-labelledby="series-title">
            <h2 id="series-title">"Explorar series"</h2>
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
        </section>
    }
}
