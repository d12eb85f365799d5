//! The honest protocol: a nested, per-horizon walk-forward backtest of
//! every candidate and of the choice among them, then the recommended
//! model — the same choice made at the end of the data.

use serde::{Deserialize, Serialize};

use crate::forecast::backtest::{first_origin, rows, Comparison, HorizonScore, Row, Walk, SELECTION_MONTHS, WARM_UP};
use crate::forecast::{CandidateId, FitError, CANDIDATES, MAX_HORIZON};
use crate::locale::number;
use crate::model::{Model, ModelId};
use crate::month::Month;
use crate::tables::Database;

/// The first origin of the long backtest (the data allowing).
pub const FIRST_ORIGIN: (i32, u32) = (2012, 1);
/// The one-step window earlier versions reported, kept so turns compare.
pub const REFERENCE_WINDOW: [(i32, u32); 2] = [(2018, 5), (2020, 4)];
/// The months after it (to the last price), reported apart: a procedure
/// must not win one window and lose the next.
pub const LATER_FROM: (i32, u32) = (2020, 5);

/// The candidates the procedure chooses among (the others are evaluated
/// and reported, never chosen; [`note`] says why for each). Decided on the
/// long backtest, as the issue asks ("keep a candidate only if it earns its
/// place"): making every price-only candidate selectable gave a worse
/// procedure (one-step 0.651 × naive against 0.628), and choosing per
/// horizon a worse one beyond six months.
pub const SELECTABLE: [CandidateId; 5] =
    [CandidateId::Naive, CandidateId::SeasonalChange, CandidateId::ShrunkSeasonal, CandidateId::MstlLog, CandidateId::Median];

/// Why a candidate is or is not among [`SELECTABLE`], in plain Spanish.
pub fn note(id: CandidateId) -> &'static str {
    match id {
        CandidateId::Original => "no elegible: pronostica solo un mes, solo desde 2014 (sus fuentes), y erró más que el ingenuo",
        CandidateId::Naive => "elegible: la referencia; si nada la supera en los meses recientes, se usa",
        CandidateId::SeasonalNaive => "referencia, no elegible: peor que el ingenuo hasta 4 meses",
        CandidateId::SeasonalChange => "elegible: regla sin ajuste, fuerte a 3–6 meses",
        CandidateId::PriceChange => "no elegible: peor que el cambio suavizado en todo horizonte; entra en la mediana",
        CandidateId::HalfChange => "no elegible: mejor solo a 10–12 meses; hacerlo elegible empeoró el procedimiento",
        CandidateId::ShrunkSeasonal => "elegible",
        CandidateId::MstlLevel => "no elegible: casi igual a MSTL en logaritmos (que se conserva)",
        CandidateId::MstlLog => "elegible: el mejor a 1–6 meses",
        CandidateId::Median => "elegible: la combinación",
    }
}

/// How far a run of [`honest_observed`] has got: `done` of `total` steps
/// (one per candidate and origin fitted, plus the final fit).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    /// The candidate being backtested, or `None` for the final fit.
    pub candidate: Option<CandidateId>,
}

/// One candidate's backtest over the long window, with its own bands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CandidateScore {
    pub candidate: CandidateId,
    pub label: String,
    /// Whether the procedure may choose it ([`SELECTABLE`]), and why ([`note`]).
    pub kept: bool,
    pub note: String,
    pub horizons: Vec<HorizonScore>,
    /// Horizon 1 over the long window.
    pub one_step: Comparison,
    /// Its score in the final choice (MAE ÷ naive's over the months before the end; `None`: not eligible).
    pub selection_score: Option<f64>,
}

/// What the procedure chose at one origin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub origin: Month,
    pub candidate: CandidateId,
    /// What that candidate's fit chose, in words.
    pub how: String,
}

/// The procedure's one-step forecasts over a calendar window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WindowScore {
    pub first: Month,
    pub last: Month,
    pub comparison: Comparison,
}

/// Everything the honest backtest measured (what `evaluation.json` and an
/// adopted model keep).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub first_origin: Month,
    pub last_origin: Month,
    pub candidates: Vec<CandidateScore>,
    /// The procedure (choice included), per horizon.
    pub horizons: Vec<HorizonScore>,
    /// The procedure at horizon 1 over the whole long window.
    pub comparison: Comparison,
    /// The procedure at horizon 1 over [`REFERENCE_WINDOW`] and from [`LATER_FROM`].
    pub windows: Vec<WindowScore>,
    /// The procedure's rows: every origin, every horizon with a known price.
    pub rows: Vec<Row>,
    pub choices: Vec<Choice>,
    /// The procedure's one-step MAE is below naive's.
    pub beats_naive: bool,
    pub winner: CandidateId,
    /// Why the winner won, in plain Spanish.
    pub reason: String,
}

impl Evaluation {
    /// The procedure's one-step rows, in month order.
    pub fn one_step(&self) -> Vec<Row> {
        self.rows.iter().filter(|r| r.horizon == 1).cloned().collect()
    }

    /// The procedure's MAE ÷ naive's pooled over horizons `from..=to`
    /// (the verdict's horizon bands), or `None` without rows there.
    pub fn mae_over_naive(&self, from: u32, to: u32) -> Option<f64> {
        let (mut model, mut naive) = (0.0, 0.0);
        let mut any = false;
        for r in self.rows.iter().filter(|r| (from..=to).contains(&r.horizon)) {
            model += (r.real - r.predicted).abs();
            naive += (r.real - r.naive).abs();
            any = true;
        }
        any.then(|| model / naive)
    }
}

/// The honest protocol's outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HonestReport {
    pub evaluation: Evaluation,
    pub model: Model,
}

fn month(ym: (i32, u32)) -> Result<Month, FitError> {
    Month::new(ym.0, ym.1).ok_or(FitError::BadHyperParameters { candidate: "protocolo", reason: format!("{ym:?}") })
}

/// The lowest selection score among [`SELECTABLE`] at `origin` (the first
/// in candidate order on ties), and every candidate's score.
fn choose(db: &Database, walks: &[Walk], origin: Month) -> (Option<usize>, Vec<Option<f64>>) {
    let scores: Vec<Option<f64>> = walks
        .iter()
        .map(|w| if SELECTABLE.contains(&w.id) { w.selection_score(db, origin) } else { None })
        .collect();
    let mut best: Option<usize> = None;
    for (i, s) in scores.iter().enumerate() {
        if let Some(v) = s {
            if best.is_none_or(|b| scores[b].is_none_or(|bv| *v < bv)) {
                best = Some(i);
            }
        }
    }
    (best, scores)
}

/// Nested walk-forward backtest of every candidate and of the choice among
/// them, then the recommended model: the same choice at the end of the data.
pub fn honest(db: &Database) -> Result<HonestReport, FitError> {
    honest_observed(db, &mut |_| ())
}

/// [`honest`], reporting its [`Progress`] to `observe` (the browser's
/// retrain shows it; the work and its result are the same).
pub fn honest_observed(db: &Database, observe: &mut dyn FnMut(Progress)) -> Result<HonestReport, FitError> {
    let first = first_origin(db, month(FIRST_ORIGIN)?)?;
    let last = db.last_price_month().ok_or(FitError::TooFewRows { origin: first, rows: 0, needed: 1 })?;
    if last < first {
        return Err(FitError::TooFewRows { origin: first, rows: 0, needed: 1 });
    }
    let end = last.next();
    let warm = first.offset(-(WARM_UP as i32));
    let fitted: Vec<CandidateId> = CANDIDATES.iter().copied().filter(|&c| c != CandidateId::Median).collect();
    let per = warm.months_until(last) as usize + 1;
    let total = fitted.len() * per + 1;
    let mut done = 0;
    let mut walks: Vec<Walk> = Vec::with_capacity(CANDIDATES.len());
    for &id in &fitted {
        let candidate = id.candidate()?;
        let steps = if id.one_step_only() { 1 } else { MAX_HORIZON };
        walks.push(Walk::run(db, candidate.as_ref(), warm.through(last), steps, &mut || {
            observe(Progress { done, total, candidate: Some(id) });
            done += 1;
        }));
    }
    let median_members = CandidateId::Median.candidate()?.members();
    let members: Vec<&Walk> = median_members.iter().filter_map(|m| walks.iter().find(|w| w.id == *m)).collect();
    let median = Walk::median(CandidateId::Median, &members);
    walks.push(median);
    walks.sort_by_key(|w| w.id);
    let walks: Vec<Walk> = walks.into_iter().map(|w| w.with_raw_bands(db)).collect();

    // The procedure, origin by origin.
    let mut procedure = Vec::new();
    let mut choices = Vec::new();
    for origin in first.through(last) {
        let (Some(w), _) = choose(db, &walks, origin) else { continue };
        let walk = &walks[w];
        let Some(path) = walk.paths.get(&origin) else { continue };
        let bands = walk.bands_before(db, origin);
        for (i, &p) in path.iter().enumerate() {
            procedure.extend(Row::new(db, origin, i as u32 + 1, p, bands.get(i).copied().flatten()));
        }
        choices.push(Choice { origin, candidate: walk.id, how: walk.how.get(&origin).cloned().unwrap_or_default() });
    }
    if procedure.is_empty() {
        return Err(FitError::NoEligibleCandidate(first));
    }
    let one_step: Vec<Row> = procedure.iter().filter(|r| r.horizon == 1).cloned().collect();
    let window = |from: Month, to: Month| {
        let rows: Vec<Row> = one_step.iter().filter(|r| from <= r.month && r.month <= to).cloned().collect();
        (!rows.is_empty()).then(|| WindowScore { first: from, last: to, comparison: Comparison::of(&rows) })
    };
    let windows: Vec<WindowScore> = [
        window(month(REFERENCE_WINDOW[0])?, month(REFERENCE_WINDOW[1])?),
        window(month(LATER_FROM)?, last),
    ]
    .into_iter()
    .flatten()
    .collect();

    // The final choice, at the end of the data.
    let (winner, scores) = choose(db, &walks, end);
    let winner = winner.ok_or(FitError::NoEligibleCandidate(end))?;
    let candidates: Vec<CandidateScore> = walks
        .iter()
        .zip(&scores)
        .map(|(w, &selection_score)| {
            let r = rows(db, w, first.through(last));
            let one: Vec<Row> = r.iter().filter(|r| r.horizon == 1).cloned().collect();
            CandidateScore {
                candidate: w.id,
                label: w.id.label().to_string(),
                kept: SELECTABLE.contains(&w.id),
                note: note(w.id).to_string(),
                horizons: HorizonScore::of(&r),
                one_step: Comparison::of(&one),
                selection_score,
            }
        })
        .collect();
    let id = walks[winner].id;
    let reason = reason(&candidates, id, end);

    observe(Progress { done, total, candidate: None });
    let fit = id.candidate()?.fit(db, end)?;
    let model_id = ModelId::Recommended;
    let model = Model {
        id: model_id,
        name: format!("{}: {}", model_id.label(), id.label()),
        bands: walks[winner].bands_before(db, end).into_iter().flatten().collect(),
        method: fit.method,
        trained_from: fit.trained_from,
        trained_to: fit.trained_to,
        trained_rows: fit.trained_rows,
    };
    let comparison = Comparison::of(&one_step);
    Ok(HonestReport {
        evaluation: Evaluation {
            first_origin: first,
            last_origin: last,
            candidates,
            horizons: HorizonScore::of(&procedure),
            beats_naive: comparison.model.mae < comparison.naive.mae,
            comparison,
            windows,
            rows: procedure,
            choices,
            winner: id,
            reason,
        },
        model,
    })
}

/// Why `winner` won: every selectable candidate's score in the final choice.
fn reason(candidates: &[CandidateScore], winner: CandidateId, end: Month) -> String {
    let scores: Vec<String> = candidates
        .iter()
        .filter(|c| c.kept)
        .map(|c| match c.selection_score {
            Some(s) => format!("{} {}", c.label, number(s, 3)),
            None => format!("{} sin pronósticos suficientes", c.label),
        })
        .collect();
    format!(
        "Se eligió «{}» porque sus pronósticos a 1–{MAX_HORIZON} meses de los {SELECTION_MONTHS} meses anteriores ({} … {}), cada uno hecho solo con datos anteriores, tuvieron el menor error relativo al pronóstico ingenuo (MAE ÷ MAE del ingenuo, promedio de los horizontes): {}.",
        winner.label(),
        end.offset(-(SELECTION_MONTHS as i32)),
        end.prev(),
        scores.join("; ")
    )
}

