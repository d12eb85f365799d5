//! The messages between the page and its Web Worker. They travel as JSON
//! text (the `File`s of an upload travel beside it, as the browser's own
//! objects), so both sides share one definition and a malformed message is
//! an error, not a guess.

use leche_core::protocol::{HonestReport, Progress};
use leche_core::data::upload::Plan;
use leche_core::Month;
use serde::{Deserialize, Serialize};

use crate::view::report::Report;

/// What the page asks the worker. The worker reads the tables from this
/// deployment's IndexedDB itself (nothing large is copied between them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "task", rename_all = "snake_case")]
pub enum Request {
    /// Read, clean and plan the files sent beside the request against the stored tables.
    Prepare { today: Month },
    /// Run the honest protocol on the stored tables.
    Retrain,
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "snake_case")]
pub enum Reply {
    /// Listening: the page may send its request.
    Ready,
    /// A step of a retrain (any number of these, then the answer).
    Progress { progress: Progress },
    /// An upload's report, and its plan when the user may insert it.
    Prepared { report: Report, plan: Option<Plan> },
    /// A retrain's result.
    Retrained { report: Box<HonestReport>, millis: f64 },
    Failed { message: String },
}
