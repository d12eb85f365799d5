//! One model's card: what it does, the data it needs, what was chosen and
//! fitted, its bands, how its forecasts in this browser did once their
//! prices arrived ([`crate::view::track`]), and — one tap away — its
//! weights.

use leche_core::forecast::original::LagPipeline;
use leche_core::forecast::price_change::ChangeModel;
use leche_core::forecast::seasonal_drift::{DriftRule, DRIFT_MONTHS, YEARS};
use leche_core::data::month::SPANISH_MONTH_NAMES;
use leche_core::forecast::Method;
use leche_core::Model;
use leptos::prelude::*;

use crate::browser::clock;
use crate::components::disclosure::more;
use crate::components::scroll_table::scroll_region;
use crate::view::format::{capitalize, count, exact, number, signed, significant, span};
use crate::view::freshness::last_and_age;
use crate::session::SessionError;
use crate::view::track::{summary_line, TrackRecord};

pub fn model_card(m: Model, track: Memo<Option<Result<TrackRecord, SessionError>>>) -> impl IntoView {
    let id = m.id.key();
    let model = m.id;
    // Only once some of its forecasts have a price: a line of waiting says nothing here.
    let track_line = move || {
        track.with(|t| {
            let s = t.as_ref()?.as_ref().ok()?.summary(model).filter(|s| s.count > 0)?;
            Some((s.count, summary_line(s)))
        })
    };
    let trained = match span(m.trained_from, m.trained_to) {
        Some(span) => format!("ajustado con {} meses, de {span}", count(m.trained_rows)),
        None => "regla sin ajuste: no se entrena con datos".to_string(),
    };
    // Which months it was chosen on, and how long ago that is by this browser's clock.
    let chosen = m.trained_to.map(|last| format!("Elegido con datos hasta {}.", last_and_age(last, clock::this_month())));
    let interval = m.band(1).map(|i| {
        format!(
            "Intervalo de 80 % a un mes: pronóstico {} % a +{} %, de {} errores fuera de muestra.",
            number(i.below80 * 100.0, 2),
            number(i.above80 * 100.0, 2),
            count(i.errors)
        )
    });
    let (what, weights) = method_view(&m.method);
    view! {
        <section class="card model-card" data-model=id aria-labelledby=format!("card-{id}")>
            <h2 id=format!("card-{id}")>{m.name.clone()}</h2>
            {what}
            <p>"Necesita: " {m.needs()} "."</p>
            <p class="hint">{trained}</p>
            {chosen.map(|t| view! { <p class="hint chosen">{t}</p> })}
            {interval.map(|t| view! { <p class="hint">{t}</p> })}
            {move || track_line().map(|(n, t)| view! {
                <p class="track-line" data-count=n.to_string()>"En este navegador (ver Registros): " {t}</p>
            })}
            {weights}
        </section>
    }
}

/// What the model does, and its weights behind a summary (for the original
/// pipeline at degree 1 also in original units: per unit of each lag
/// feature), for the card to put first and last.
fn method_view(method: &Method) -> (AnyView, Option<AnyView>) {
    if let Some(LagPipeline { selected_names, hyper, pipeline, .. }) = method.form::<LagPipeline>() {
        // The polynomial's terms start with the bias (weight 0: the
        // intercept carries it); at degree 1 the next k are the features.
        let degree1 = pipeline.degree == 1 && pipeline.coef.len() == selected_names.len() + 1;
        let rows = selected_names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let scaled = degree1.then(|| pipeline.coef[i + 1]);
                let original = scaled.zip(pipeline.scaler.scale.get(i)).map(|(c, s)| c / s);
                view! {
                    <tr>
                        <th scope="row"><code>{name.clone()}</code></th>
                        <td class="num coef" data-value=exact(scaled)>{scaled.map(|c| number(c, 4)).unwrap_or_else(|| "—".into())}</td>
                        <td class="num">{original.map(|c| significant(c, 4)).unwrap_or_else(|| "—".into())}</td>
                    </tr>
                }
            })
            .collect_view();
        let what = view! {
            <p>{format!(
                "Regresión ridge sobre {} variables elegidas por información mutua (de las lags de M-1 a M-3), polinomio de grado {}, alpha = {}.",
                hyper.k, hyper.degree, number(hyper.alpha, 3)
            )}</p>
        };
        let weights = view! {
            {more(format!("Pesos de la regresión ({} variables)", selected_names.len()), view! {
                {scroll_region("Pesos de la regresión", view! {
                    <table class="coef">
                        <thead><tr><th scope="col">"Variable"</th><th scope="col" class="num">"Peso (escalado)"</th><th scope="col" class="num">"Peso por unidad original"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                })}
                <p class="hint">{format!("Intercepto: {} CLP/litro. Con grado mayor que 1 los pesos son de términos polinómicos (no se listan por variable).", number(pipeline.intercept, 3))}</p>
            })}
        };
        (what.into_any(), Some(weights.into_any()))
    } else if let Some(ChangeModel { hyper, fit }) = method.form::<ChangeModel>() {
        let used: Vec<(String, f64)> =
            leche_core::forecast::price_change::feature_names().into_iter().zip(&fit.coef).filter(|(_, c)| **c != 0.0).map(|(n, c)| (n, *c)).collect();
        let rows = used
            .into_iter()
            .map(|(n, c)| view! { <tr><th scope="row"><code>{n}</code></th><td class="num">{number(c, 4)}</td></tr> })
            .collect_view();
        let what = view! {
            <p>{format!("Pronostica el cambio relativo del precio con ridge ({}); el pronóstico es el precio del mes anterior × (1 + {} × cambio).", hyper.describe(), number(fit.weight, 2))}</p>
        };
        let weights = more("Pesos del modelo de cambio", scroll_region("Pesos del modelo de cambio", view! {
            <table class="coef">
                <thead><tr><th scope="col">"Variable"</th><th scope="col" class="num">"Peso"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }));
        (what.into_any(), Some(weights.into_any()))
    } else if let Some(DriftRule { season, drift }) = method.form::<DriftRule>() {
        let rows = season
            .iter()
            .zip(SPANISH_MONTH_NAMES)
            .map(|(s, name)| {
                let change = (s + drift).exp_m1() * 100.0;
                view! { <tr><th scope="row">{capitalize(name)}</th><td class="num" data-value=exact(Some(*s))>{format!("{} %", signed(change))}</td></tr> }
            })
            .collect_view();
        let what = view! {
            <p>{format!(
                "Cada mes, el precio del mes anterior × el cambio habitual de ese mes: su estación (promedio de {} a {} años) más la deriva de largo plazo, {} % al mes ({} % al año, medida en {} años).",
                YEARS[0], YEARS[YEARS.len() - 1], number(drift.exp_m1() * 100.0, 2), number((12.0 * drift).exp_m1() * 100.0, 1), DRIFT_MONTHS / 12
            )}</p>
        };
        let weights = more("Cambio esperado en cada mes", scroll_region("Cambio esperado en cada mes", view! {
            <table class="coef season">
                <thead><tr><th scope="col">"Mes"</th><th scope="col" class="num">"Cambio esperado respecto del mes anterior"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }));
        (what.into_any(), Some(weights.into_any()))
    } else {
        (view! { <p>{format!("{}: {}.", method.candidate().label(), method.describe())}</p> }.into_any(), None)
    }
}

