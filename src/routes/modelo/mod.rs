//! The model card: for each shipped model what it is, the data it needs,
//! what was chosen and fitted, and how it did — the honest backtest of every
//! candidate next to naive on the same months, with a chart — plus the
//! caveats in plain Spanish. The evaluation artifact is fetched when the
//! page opens (it is not part of the first visit).

use leche_core::artifact::{EvaluationArtifact, EVALUATION_FILE};
use leptos::prelude::*;

mod card;
mod evaluation;
mod retrain;

use crate::browser::fetch::{self, artifact_url};
use crate::routes::registros::track_record;
use crate::session::Session;
use card::model_card;
use evaluation::{evaluation_view, span};
use retrain::RetrainSection;

#[component]
pub fn ModeloPage() -> impl IntoView {
    let session = Session::get();
    let evaluation = LocalResource::new(|| async {
        fetch::json::<EvaluationArtifact>(&artifact_url(EVALUATION_FILE), false).await
    });
    let adopted = move || session.models().with(|m| m.as_ref().and_then(|m| m.adopted.clone()));
    // The evaluation behind the active recommended model: an adopted model's own, else the shipped one.
    let current = Signal::derive(move || {
        adopted().map(|a| a.evaluation).or_else(|| evaluation.get().and_then(|r| r.ok()).and_then(|e| e.honest))
    });
    let track = track_record(session);
    let models = move || session.models().with(|m| m.as_ref().map(|m| m.models.clone()).unwrap_or_default());
    view! {
        <h1>"Ficha de los modelos"</h1>
        <p class="hint">{move || session.models().with(|m| m.as_ref().map(|m| format!("Versión de los artefactos: {}.", m.version)).unwrap_or_default())}</p>
        {move || adopted().map(|a| view! {
            <p class="note" id="adopted-note">
                {format!("El modelo recomendado activo se reentrenó en este navegador y se adoptó el {}. Datos usados: ", a.at.get(..10).unwrap_or(&a.at))}
                {a.data.replace('\n', "; ")}
                " «Restaurar datos originales» (página Datos) vuelve al modelo publicado."
            </p>
        })}
        {move || models().into_iter().map(|m| model_card(m, track)).collect_view()}
        <RetrainSection current/>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Cargando la evaluación…"</p> }>
            {move || evaluation.get().map(|r| match r {
                Ok(mut e) => {
                    if let Some(a) = adopted() {
                        e.honest = Some(a.evaluation);
                    }
                    evaluation_view(e).into_any()
                }
                Err(e) => view! { <p class="alert" role="alert">"No se pudo cargar la evaluación: " {e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
        <section class="card" aria-labelledby="caveats-title">
            <h2 id="caveats-title">"Advertencias"</h2>
            <ul>
                <li>"Cada pronóstico se calcula con datos de meses anteriores; a más meses de distancia del último precio, más error (ver la tabla por horizonte). La réplica pronostica solo un mes."</li>
                <li>{move || format!(
                    "Las cifras de precisión vienen de una prueba retrospectiva de {} meses ({}): un período concreto; no garantizan el futuro.",
                    current.get().map(|e| e.one_step().len()).unwrap_or_default(),
                    current.get().and_then(|e| span(&e.one_step())).unwrap_or_default()
                )}</li>
                <li>"Las bandas de 50 % y 80 % se estiman con los errores pasados del modelo a cada distancia; la tabla muestra cuántas veces contuvieron el precio real en la prueba (no siempre lo prometido)."</li>
                <li>"Precios nominales en CLP por litro, sin IVA: la inflación no se descuenta."</li>
                <li>"La réplica reproduce el modelo original tal cual, incluidas sus debilidades: en su propia partición aleatoria no supera al pronóstico ingenuo."</li>
            </ul>
        </section>
    }
}
