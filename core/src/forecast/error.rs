//! Why a candidate could not be fitted, a month not forecast, or a stored
//! model not trusted — each message says what is wrong and what to do.

use thiserror::Error;

use super::interval::BandProblem;
use crate::data::bounds::ValueProblem;
use crate::forecast::features::MissingData;
use crate::data::month::Month;

/// A fit that could not be made (the protocol skips that candidate at that
/// origin, or reports it when it was the one chosen).
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum FitError {
    #[error("hay {rows} meses de entrenamiento antes de {origin}; se necesitan al menos {needed}")]
    TooFewRows { origin: Month, rows: usize, needed: usize },
    #[error("la partición original deja {rows} meses de entrenamiento; se necesitan al menos {needed}")]
    SeedTooFewRows { rows: usize, needed: usize },
    #[error("el ajuste de ridge falló antes de {0} (sistema no definido positivo)")]
    NotPositiveDefinite(Month),
    #[error("precio no positivo en {0}: los candidatos en logaritmos necesitan precios mayores que cero")]
    NonPositivePrice(Month),
    #[error("la descomposición estacional (MSTL) falló antes de {origin}: {reason}")]
    Decomposition { origin: Month, reason: String },
    #[error("hiperparámetros no válidos para «{candidate}»: {reason}")]
    BadHyperParameters { candidate: &'static str, reason: String },
    #[error("la partición original nombra el mes {0}, que no está en la matriz de entrenamiento")]
    SplitMonthMissing(Month),
    #[error("ningún candidato tiene pronósticos fuera de muestra antes de {0}")]
    NoEligibleCandidate(Month),
    /// The walks handed to the protocol's last step are not one per fitted candidate.
    #[error("la prueba retrospectiva necesita {expected} recorridos, uno por candidato ajustado; llegaron {got} que no calzan")]
    WalksMismatch { expected: usize, got: usize },
}

/// A month a model cannot forecast.
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum ForecastError {
    /// The inputs of some earlier months are missing (named).
    #[error(transparent)]
    Missing(#[from] MissingData),
    #[error("{month} está a {horizon} meses del último precio ({last_price}); el máximo es {max} meses")]
    BeyondHorizon { month: Month, last_price: Month, horizon: u32, max: u32 },
    #[error("este modelo pronostica solo el mes siguiente a sus datos (hasta {next}); {month} necesitaría datos que no existen")]
    OneStepOnly { month: Month, next: Month },
    #[error("{month} es anterior a los datos con que se ajustó el modelo (desde {first})")]
    BeforeModel { month: Month, first: Month },
}

impl ForecastError {
    /// The month that could not be forecast.
    pub fn month(&self) -> Month {
        match self {
            ForecastError::Missing(m) => m.month,
            ForecastError::BeyondHorizon { month, .. }
            | ForecastError::OneStepOnly { month, .. }
            | ForecastError::BeforeModel { month, .. } => *month,
        }
    }
}

/// A stored model (a backup, an adopted model) whose shape the forecasting
/// code could not safely index: refused before any forecast.
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum CheckError {
    #[error("modelo «{model}»: {what} tiene {got} valores; se esperaban {expected}")]
    Length { model: String, what: &'static str, got: usize, expected: usize },
    #[error("modelo «{model}»: {what} = {value:?} está fuera de [{min:?}, {max:?}]")]
    OutOfRange { model: String, what: &'static str, value: f64, min: f64, max: f64 },
    /// More polynomial terms than the trainer's grid can give
    /// ([`crate::fit::pipeline::MAX_TERMS`]); `terms` is `None` past `usize`.
    #[error("modelo «{model}»: el polinomio de grado {degree} sobre {inputs} variables tiene {}; el entrenador ajusta a lo más {max} términos", count(*.terms))]
    TooManyTerms { model: String, inputs: usize, degree: usize, terms: Option<usize>, max: usize },
    /// A price the model stores (MSTL's forecasts) that no price can be.
    #[error("modelo «{model}»: {what}, valor {position} = {value:?}: {problem}")]
    Price { model: String, what: &'static str, position: usize, value: f64, problem: ValueProblem },
    #[error("modelo «{model}»: la banda del horizonte {horizon} {problem}")]
    Band { model: String, horizon: u32, problem: BandProblem },
    /// Forecasting with the tables at hand gives a value no forecast may
    /// have ([`crate::Model::check_on`]).
    #[error("modelo «{model}»: al pronosticar {month} (horizonte {horizon}), {problem}")]
    Unusable { model: String, month: Month, horizon: u32, problem: UseProblem },
    #[error("modelo «{model}»: {what} no es un número finito")]
    NotFinite { model: String, what: &'static str },
    #[error("modelo «{model}»: la variable {index} no existe (hay {names})")]
    UnknownFeature { model: String, index: usize, names: usize },
    #[error("modelo «{model}»: {reason}")]
    Shape { model: String, reason: String },
}

/// What is wrong with one forecast of a model that passed its shape check.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum UseProblem {
    #[error("el pronóstico {value:?} no es un pronóstico que se pueda mostrar (límite {limit} en valor absoluto)")]
    Absurd { value: f64, limit: f64 },
    #[error("la banda del {level} % va de {lower:?} a {upper:?}: sus límites deben ser números finitos (límite {limit} en valor absoluto)")]
    BandAbsurd { level: u8, lower: f64, upper: f64, limit: f64 },
    #[error("las bandas no están ordenadas (80 %: {lower80:?} a {upper80:?}; 50 %: {lower50:?} a {upper50:?})")]
    Unordered { lower80: f64, lower50: f64, upper50: f64, upper80: f64 },
}

/// A term count for a message.
fn count(terms: Option<usize>) -> String {
    terms.map_or_else(|| "más términos de los que se pueden contar".to_string(), |t| format!("{t} términos"))
}
