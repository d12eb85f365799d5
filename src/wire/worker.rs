//! The messages between the page and its Web Worker. They travel as JSON
//! text (the `File`s of an upload travel beside it, as the browser's own
//! objects), so both sides share one definition and a malformed message is
//! an error, not a guess.

use std::collections::BTreeMap;

use leche_core::data::upload::Plan;
use leche_core::forecast::backtest::Walk;
use leche_core::forecast::CandidateId;
use leche_core::protocol::{HonestReport, Progress};
use leche_core::Month;
use serde::{Deserialize, Serialize};

use crate::view::report::{Choices, Report};

/// What the page asks the worker. The worker reads the tables from this
/// deployment's IndexedDB itself (nothing large is copied between them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "task", rename_all = "snake_case")]
pub enum Request {
    /// Read, clean and plan the files sent beside the request against the
    /// stored tables, reading the bulletins' series the user chose.
    Prepare { today: Month, choices: Choices },
    /// Walk one candidate through the honest protocol's backtest on the
    /// stored tables (a retrain sends one of these per fitted candidate,
    /// spread over several workers).
    Walk { candidate: CandidateId },
    /// The protocol's last step: the report from every candidate's walk.
    Finish { walks: Vec<WalkWire> },
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "snake_case")]
pub enum Reply {
    /// Listening: the page may send its request.
    Ready,
    /// A step of a walk (any number of these, then the walk).
    Progress { progress: Progress },
    /// An upload's report, and its plan when the user may insert it.
    Prepared { report: Report, plan: Option<Plan> },
    /// One candidate's walk.
    Walked { walk: WalkWire },
    /// A retrain's result.
    Retrained { report: Box<HonestReport> },
    Failed { message: String },
}

/// A candidate's walk as it travels between workers: every forecast as the
/// bits of its float, so each value (NaN and infinities included, which
/// JSON numbers cannot carry) arrives exactly as it left, and the report
/// made from walks computed in several workers is the one a single worker
/// would make.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WalkWire {
    pub id: CandidateId,
    paths: BTreeMap<Month, Vec<u64>>,
    how: BTreeMap<Month, String>,
}

impl From<&Walk> for WalkWire {
    fn from(w: &Walk) -> WalkWire {
        let paths = w.paths.iter().map(|(&m, p)| (m, p.iter().map(|v| v.to_bits()).collect())).collect();
        WalkWire { id: w.id, paths, how: w.how.clone() }
    }
}

impl From<WalkWire> for Walk {
    fn from(w: WalkWire) -> Walk {
        let paths = w.paths.into_iter().map(|(m, p)| (m, p.into_iter().map(f64::from_bits).collect())).collect();
        Walk { id: w.id, paths, how: w.how }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every float of a walk, the ones JSON numbers cannot hold included,
    /// comes back with its bits.
    #[test]
    fn a_walk_crosses_as_json_bit_for_bit() {
        let month: Month = "2012-01".parse().expect("month");
        let values = vec![0.1 + 0.2, f64::NAN, f64::INFINITY, -0.0, 5e-324, f64::MAX];
        let walk = Walk {
            id: CandidateId::SeasonalDrift,
            paths: BTreeMap::from([(month, values.clone())]),
            how: BTreeMap::from([(month, "deriva «0,4 %»".to_string())]),
        };
        let text = serde_json::to_string(&Request::Finish { walks: vec![WalkWire::from(&walk)] }).expect("serializes");
        let Ok(Request::Finish { mut walks }) = serde_json::from_str::<Request>(&text) else { panic!("{text}") };
        let back = Walk::from(walks.remove(0));
        assert_eq!((back.id, &back.how), (walk.id, &walk.how));
        let bits = |w: &Walk| w.paths[&month].iter().map(|v| v.to_bits()).collect::<Vec<u64>>();
        assert_eq!(bits(&back), bits(&walk));
    }
}
