//! The honest protocol on the real prices, checked for what it promises
//! rather than for its numbers: the rule it ships is the one that scored
//! best, its bands are shaped as a forecaster trusts (never narrower
//! farther out, the point inside the 50 % band inside the 80 % one), and
//! the reference forecasters' scores computed here equal the ones their
//! script computed in Python.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use leche_core::forecast::backtest::Row;
use leche_core::protocol::anchors::{AnchorFile, Anchors};
use leche_core::protocol::{honest, HonestReport, PROCEDURE, RULES};

fn report() -> (leche_core::Database, HonestReport) {
    let db = common::original_db(&common::data());
    let r = honest(&db).expect("protocol");
    (db, r)
}

#[test]
#[ignore = "needs LECHE_DATA"]
fn the_shipped_rule_is_the_one_whose_backtest_scored_best() {
    let (_, r) = report();
    let e = &r.evaluation;
    assert_eq!(e.rules.iter().map(|r| r.rule).collect::<Vec<_>>(), RULES.to_vec());
    let best = e.rules.iter().min_by(|a, b| a.score.total_cmp(&b.score)).expect("rules");
    assert_eq!(best.rule, PROCEDURE, "on the shipped data «{}» now scores best: revisit PROCEDURE", best.label);
    assert_eq!(e.rule, PROCEDURE);
    let shipped = e.rules.iter().find(|r| r.rule == PROCEDURE).expect("the procedure's rule");
    assert_eq!(shipped.horizons, e.horizons, "the procedure's rows are its rule's");
}

/// Every banded row of the procedure: the point strictly inside its 50 %
/// band, that strictly inside the 80 % one; at every origin the bands'
/// relative widths never shrink with the horizon; the shipped model's
/// bands likewise.
#[test]
#[ignore = "needs LECHE_DATA"]
fn the_fans_widen_and_nest_around_their_point() {
    let (_, r) = report();
    let rows: Vec<&Row> = r.evaluation.rows.iter().filter(|r| r.band80.is_some()).collect();
    assert!(rows.len() > 1000, "{} banded rows", rows.len());
    for row in &rows {
        let (Some(b80), Some(b50)) = (row.band80, row.band50) else { panic!("{row:?}: one band without the other") };
        assert!(b80.lower < b50.lower && b50.lower < row.predicted && row.predicted < b50.upper && b50.upper < b80.upper, "{row:?}");
    }
    for pair in rows.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a.origin == b.origin && b.horizon == a.horizon + 1 {
            let width = |r: &Row, band: Option<leche_core::forecast::interval::Band>| band.map(|x| (x.upper - x.lower) / r.predicted);
            assert!(width(b, b.band80) >= width(a, a.band80), "80 % narrower at {} h = {}", b.origin, b.horizon);
            assert!(width(b, b.band50) >= width(a, a.band50), "50 % narrower at {} h = {}", b.origin, b.horizon);
        }
    }
    let bands = &r.model.bands;
    assert_eq!(bands.len(), 12);
    for w in bands.windows(2) {
        assert!(w[1].above80 - w[1].below80 >= w[0].above80 - w[0].below80 && w[1].above50 - w[1].below50 >= w[0].above50 - w[0].below50);
    }
}

#[test]
#[ignore = "needs LECHE_DATA"]
fn the_anchors_scored_here_equal_their_scripts_figures() {
    let db = common::original_db(&common::data());
    let text = std::fs::read_to_string(common::workspace_root().join("trainer/anchors.json")).expect("trainer/anchors.json");
    let file: AnchorFile = serde_json::from_str(&text).expect("anchors.json");
    let scored = Anchors::score(&file, &db);
    assert_eq!(scored.scores.len(), file.summary.len());
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
    let mut compared = 0;
    for s in &scored.scores {
        let script = &file.summary[&s.name];
        assert_eq!(s.horizons.len(), script.len(), "{}", s.name);
        for (ours, theirs) in s.horizons.iter().zip(script) {
            let what = format!("{} h = {}", s.name, ours.horizon);
            assert_eq!((ours.horizon, ours.n), (theirs.horizon, theirs.n), "{what}");
            assert!(close(ours.mae, theirs.mae) && close(ours.naive_mae, theirs.naive_mae), "{what}: MAE {} / {}", ours.mae, theirs.mae);
            assert!(close(ours.coverage80.unwrap_or(-1.0), theirs.coverage80), "{what}: 80 %");
            assert!(close(ours.coverage50.unwrap_or(-1.0), theirs.coverage50), "{what}: 50 %");
            assert!(close(ours.interval_score80.unwrap_or(-1.0), theirs.interval_score80), "{what}: interval score 80 %");
            assert!(close(ours.interval_score50.unwrap_or(-1.0), theirs.interval_score50), "{what}: interval score 50 %");
            compared += 1;
        }
    }
    assert_eq!(compared, 4 * 12);
    // The anchors' origins are the backtest's.
    let (_, r) = report();
    assert_eq!((file.first_origin, file.last_origin), (r.evaluation.first_origin, r.evaluation.last_origin));
}
