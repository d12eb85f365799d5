//! No candidate sees the month it forecasts or anything later: fitted for
//! month t on the full database or on the database cut just before t, every
//! candidate makes the same choices and the same forecast, to the bit.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use leche_core::candidate::CANDIDATES;
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
        }
    }
}
