//! No candidate sees the month it forecasts or anything later: fitted for
//! month t on the full database or on the database cut just before t, every
//! candidate makes the same choices and the same forecast, to the bit.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use leche_core::candidate::CANDIDATES;
use leche_core::protocol::honest;
use leche_core::{Database, Month};

/// `db` without any month at or after `month`, in every table.
fn before(db: &Database, month: Month) -> Database {
    let cut = |rows: &leche_core::tables::Rows| rows.range(..month).map(|(m, v)| (*m, v.clone())).collect();
    Database { rainfall: cut(&db.rainfall), central_bank: cut(&db.central_bank), milk_price: cut(&db.milk_price) }
}

#[test]
fn every_candidate_forecasts_the_same_without_the_future() {
    let Some(dir) = common::data_dir() else { return };
    let db = common::original_db(&dir);
    let mut checked = 0;
    // The first and last backtest months, one between, and (price-only) one after the features end.
    for t in ["2018-05", "2019-03", "2020-04", "2020-11"] {
        let t: Month = t.parse().expect("month");
        let cut = before(&db, t);
        assert!(cut.milk_price.keys().all(|m| *m < t));
        for c in CANDIDATES {
            if !c.can_forecast(&db, t) {
                assert!(!c.can_forecast(&cut, t), "{c:?} {t}");
                continue;
            }
            let full = c.fit_before(&db, t).expect("fit on full data");
            let truncated = c.fit_before(&cut, t).expect("fit on truncated data");
            assert_eq!(full, truncated, "{c:?} fitted for {t} differs when later months exist");
            let (a, b) = (full.method.predict(&db, t).expect("forecast"), truncated.method.predict(&cut, t).expect("forecast"));
            assert_eq!(a.to_bits(), b.to_bits(), "{c:?} {t}: {a} vs {b}");
            if let Some(last) = full.trained_to {
                assert!(last < t, "{c:?} for {t} trained on {last}");
            }
            checked += 1;
        }
    }
    // Every candidate at every month, except the original after its features end.
    assert_eq!(checked, 4 * CANDIDATES.len() - 1);
}

#[test]
fn the_backtest_scores_each_candidate_with_what_it_could_have_known() {
    let Some(dir) = common::data_dir() else { return };
    let db = common::original_db(&dir);
    let report = honest(&db).expect("honest protocol");
    for result in &report.candidates {
        for s in result.backtest.iter().step_by(7) {
            let cut = before(&db, s.month);
            let fit = result.candidate.fit_before(&cut, s.month).expect("fit");
            let p = fit.method.predict(&cut, s.month).expect("forecast");
            assert_eq!(p.to_bits(), s.predicted.to_bits(), "{:?} {}", result.candidate, s.month);
        }
    }
    // The recommended model is the lowest MAE over the final selection months, not the best backtest.
    let best = report
        .candidates
        .iter()
        .filter_map(|c| Some((c.selection_mae?, c.candidate)))
        .fold(None::<(f64, _)>, |b, (mae, c)| if b.is_none_or(|(bm, _)| mae < bm) { Some((mae, c)) } else { b });
    assert_eq!(best.map(|b| b.1), Some(report.winner));
}
