//! When the browser's store is (re)seeded from the shipped artifacts.
//!
//! The rule for a new deploy (the artifacts' `version` differs from the one
//! that seeded the store):
//! - the shipped tables and models are **replaced** by the new artifacts' in
//!   one transaction, so old and new shipped data never mix;
//! - months the user inserted are **kept**: every batch not undone is
//!   re-applied on top ([`leche_core::data::upload::Batch::rebase`]); where the new
//!   shipped data has the month, the official value wins;
//! - the interaction log is kept, and the upgrade is logged with both
//!   versions.
//!
//! When the artifacts cannot be downloaded (offline) a seeded store is used
//! as it is; an unseeded one cannot start.

/// What to do with the store at start-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SeedPlan {
    /// Nothing stored yet: seed from the artifacts.
    FirstVisit,
    /// Seeded by another deploy's artifacts: replace the shipped data.
    NewDeploy { from: String, to: String },
    /// Seeded by these artifacts: read the store.
    Current,
}

/// Decides from the version that seeded the store and the shipped one.
///
/// ```
/// use leche::view::seed::{plan, SeedPlan};
/// assert_eq!(plan(None, "a1"), SeedPlan::FirstVisit);
/// assert_eq!(plan(Some("a1"), "a1"), SeedPlan::Current);
/// ```
pub fn plan(seeded: Option<&str>, shipped: &str) -> SeedPlan {
    match seeded {
        None => SeedPlan::FirstVisit,
        Some(v) if v == shipped => SeedPlan::Current,
        Some(v) => SeedPlan::NewDeploy { from: v.to_string(), to: shipped.to_string() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_different_version_is_a_new_deploy() {
        assert_eq!(
            plan(Some("old"), "new"),
            SeedPlan::NewDeploy { from: "old".into(), to: "new".into() }
        );
    }
}
