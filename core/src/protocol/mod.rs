//! The two ways a model is chosen and judged.
//!
//! * [`seed`](mod@seed): the original service's evaluation, reproduced to prove
//!   fidelity — its random 80/20 split, 3-fold CV on the training rows in
//!   the order the split left them, R² scoring.
//! * [`honest`](mod@honest): every candidate forecasts 1 … 12 months from each origin
//!   with a fit on the months before it ([`crate::forecast::backtest`]); at
//!   each origin the procedure takes the candidate whose forecasts of the
//!   36 months before were best against naive, with 80 % and 50 % bands from
//!   its own earlier errors at each horizon. Nothing in any choice sees the
//!   origin's month or a later one. The recommended model is the same
//!   choice made once more at the end of the data.

pub mod anchors;
pub mod honest;
pub mod seed;

pub use honest::{finish, fitted, honest, honest_observed, walk_observed, CandidateScore, Choice, Evaluation, HonestReport, Progress, Rule, RuleScore, WindowScore, PROCEDURE, RULES};
pub use seed::{seed, SeedEvaluation, SeedReport, SeedSplit};
