//! The library on the real challenge files: cleaning, features, and the
//! train/predict paths agreeing.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use leche_core::data::bounds::CENTRAL_BANK_LARGEST;
use leche_core::data::check::check_batches;
use leche_core::data::clean::SkipReason;
use leche_core::data::original_csv::write_table;
use leche_core::data::upload::{undo, Batch};
use leche_core::forecast::features::{predict_row, Inputs, TrainMatrix, Window};
use leche_core::Month;

fn m(s: &str) -> Month {
    s.parse().expect("month literal")
}


#[test]
#[ignore = "needs LECHE_DATA"]
fn cleaning_covers_the_documented_months() {
    let dir = common::data();
    let db = common::original_db(&dir);
    let features = db.feature_months();
    assert_eq!((features[0], *features.last().expect("features")), (m("2014-01"), m("2020-04")));
    assert_eq!(features.len(), 76);
    let prices: Vec<&Month> = db.milk_price.keys().collect();
    assert_eq!((*prices[0], **prices.last().expect("prices")), (m("1979-01"), m("2021-02")));
    assert_eq!(db.rainfall.len(), 496);
    assert_eq!(db.rainfall.keys().next(), Some(&m("1979-01")));
}

#[test]
#[ignore = "needs LECHE_DATA"]
fn central_bank_duplicates_and_impossible_period_are_skipped() {
    let dir = common::data();
    let f = common::read(&dir, "banco_central.csv");
    let repeated: Vec<Month> = f
        .skipped
        .iter()
        .filter(|s| matches!(s.reason, SkipReason::Repeated { .. }))
        .filter_map(|s| s.month)
        .collect();
    assert_eq!(repeated, vec![m("2018-08"), m("2019-08")]);
    let not_dates: Vec<&SkipReason> =
        f.skipped.iter().map(|s| &s.reason).filter(|r| matches!(r, SkipReason::NotADate { .. })).collect();
    assert_eq!(not_dates, vec![&SkipReason::NotADate { value: "2020-13-01 00:00:00 UTC".into() }]);
    assert!(f.rejected.is_empty());
    assert_eq!(f.rows.len(), 81);
    // Earlier periods lack some used column, so the cleaned table starts in 2014-01.
    assert_eq!(f.rows.keys().next(), Some(&m("2014-01")));
    assert_eq!(f.rows.keys().next_back(), Some(&m("2020-09")));
}

#[test]
#[ignore = "needs LECHE_DATA"]
fn predict_row_equals_the_train_matrix_row_for_every_month() {
    let dir = common::data();
    let db = common::original_db(&dir);
    let tm = TrainMatrix::build(&db, Inputs::AllSources, Window::Calendar);
    assert_eq!(tm.months.first(), Some(&m("2014-04")));
    assert_eq!(tm.months.last(), Some(&m("2020-04")));
    for (i, &month) in tm.months.iter().enumerate() {
        let row = predict_row(&db, Inputs::AllSources, month).expect("predictable month");
        assert_eq!(row.as_slice(), tm.x.row(i), "{month}");
    }
}

#[test]
#[ignore = "needs LECHE_DATA"]
fn seed_rows_add_only_the_two_month_first_row() {
    let dir = common::data();
    let db = common::original_db(&dir);
    let seed = TrainMatrix::build(&db, Inputs::AllSources, Window::SeedRows);
    let calendar = TrainMatrix::build(&db, Inputs::AllSources, Window::Calendar);
    assert_eq!(seed.months.len(), 74);
    assert_eq!(seed.months[0], m("2014-03"));
    assert_eq!(seed.x.data[seed.x.cols..], calendar.x.data[..], "identical after the first row");
}

#[test]
#[ignore = "needs LECHE_DATA"]
fn missing_months_are_named() {
    let dir = common::data();
    let db = common::original_db(&dir);
    let err = predict_row(&db, Inputs::AllSources, m("2014-03")).expect_err("needs 2013-12");
    assert_eq!(err.missing.iter().map(|x| x.month).collect::<Vec<_>>(), vec![m("2013-12")]);
    let err = predict_row(&db, Inputs::AllSources, m("2020-07")).expect_err("needs 2020-05, 2020-06");
    assert_eq!(err.missing.iter().map(|x| x.month).collect::<Vec<_>>(), vec![m("2020-05"), m("2020-06")]);
    assert!(err.to_string().contains("2020-05"));
}

#[test]
#[ignore = "needs LECHE_DATA"]
fn the_database_exports_in_the_original_formats_and_reimports_identically() {
    use leche_core::data::clean::read_file;
    let dir = common::data();
    let db = common::original_db(&dir);
    for source in leche_core::Source::ALL {
        let text = write_table(source, db.table(source)).expect("every shipped value is writable");
        let back = read_file(source.file_name(), text.as_bytes(), common::today()).expect("the export re-imports");
        assert_eq!(&back.rows, db.table(source), "{source:?}");
        assert!(back.skipped.is_empty() && back.rejected.is_empty(), "{source:?}");
    }
}

#[test]
#[ignore = "needs LECHE_DATA"]
fn the_dummy_upload_does_what_the_issue_says() {
    let dir = common::data();
    let mut db = common::original_db(&dir);
    let files = dummies(&dir);
    let plan = leche_core::data::upload::plan(&db, &files).expect("dummy files are clean");
    let months = |t: &leche_core::data::tables::Rows| t.keys().map(|m| m.to_string()).collect::<Vec<_>>();
    let by = |s: leche_core::Source| plan.tables.iter().find(|t| t.source == s).expect("table");
    let rain = by(leche_core::Source::Rainfall);
    let bank = by(leche_core::Source::CentralBank);
    let price = by(leche_core::Source::MilkPrice);
    assert_eq!((months(&rain.insert).first().cloned(), months(&rain.insert).last().cloned()), (Some("2020-05".into()), Some("2021-03".into())));
    assert_eq!(months(&bank.insert).first().map(String::as_str), Some("2020-10"));
    assert_eq!(months(&price.insert), vec!["2021-03"]);
    let conflicts = |t: &leche_core::data::upload::TablePlan| t.conflicts.iter().map(|c| c.month.to_string()).collect::<Vec<_>>();
    assert_eq!(conflicts(bank), vec!["2020-05", "2020-06", "2020-07", "2020-08", "2020-09"]);
    assert_eq!(conflicts(price), vec!["2020-05"]);
    let before = db.clone();
    let batch = Batch::apply(&plan, &mut db, false, "t".into());
    assert_eq!(check_batches(&db, &[(1, batch.clone())]), Ok(()));
    let again = leche_core::data::upload::plan(&db, &files).expect("plan");
    assert_eq!(again.writes(false), 0, "the same files again insert nothing");
    for w in undo(&[(1, batch)], 1).expect("undo").writes {
        w.apply(&mut db);
    }
    assert_eq!(db, before);
}

/// The per-horizon table is what its rows say: every metric and both
/// coverages recomputed here from the procedure's rows (and the baselines
/// from the prices themselves), not through the library's scoring code.
#[test]
#[ignore = "needs LECHE_DATA"]
fn the_per_horizon_table_is_recomputed_from_the_backtest_rows() {
    use leche_core::protocol::honest;
    use leche_core::MAX_HORIZON;

    let dir = common::data();
    let db = common::original_db(&dir);
    let e = honest(&db).expect("protocol").evaluation;
    let price = |month: Month| db.price(month).expect("a price");
    let close = |a: f64, b: f64, what: &str| assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{what}: {a} vs {b}");
    let origins = e.first_origin.months_until(e.last_origin) as usize + 1;
    assert_eq!((e.first_origin, e.last_origin, origins), (m("2012-01"), m("2021-02"), 110));
    assert_eq!(e.horizons.len(), MAX_HORIZON as usize);
    for score in &e.horizons {
        let h = score.horizon;
        let rows: Vec<_> = e.rows.iter().filter(|r| r.horizon == h).collect();
        // One row per origin whose month h - 1 later has a price.
        assert_eq!(rows.len(), origins - (h as usize - 1), "h={h}");
        assert_eq!(score.n, rows.len());
        let (mut abs, mut sq, mut naive, mut seasonal) = (0.0, 0.0, 0.0, 0.0);
        let (mut banded80, mut inside80, mut banded50, mut inside50) = (0, 0, 0, 0);
        for r in &rows {
            assert_eq!(r.month, r.origin.offset(h as i32 - 1));
            assert_eq!(r.real, price(r.month));
            abs += (r.real - r.predicted).abs();
            sq += (r.real - r.predicted) * (r.real - r.predicted);
            naive += (r.real - price(r.origin.prev())).abs();
            seasonal += (r.real - price(r.month.offset(-12))).abs();
            if let Some(b) = r.band80 {
                banded80 += 1;
                inside80 += usize::from(b.lower <= r.real && r.real <= b.upper);
            }
            if let Some(b) = r.band50 {
                banded50 += 1;
                inside50 += usize::from(b.lower <= r.real && r.real <= b.upper);
            }
        }
        let n = rows.len() as f64;
        close(score.mae, abs / n, "MAE");
        close(score.rmse, (sq / n).sqrt(), "RMSE");
        close(score.naive_mae, naive / n, "naive MAE");
        close(score.seasonal_naive_mae, seasonal / n, "seasonal naive MAE");
        close(score.mae_over_naive, abs / naive, "MAE ÷ naive");
        close(score.mae_over_seasonal_naive, abs / seasonal, "MAE ÷ seasonal naive");
        assert_eq!(banded80, rows.len(), "every row of the procedure has a band");
        assert_eq!(score.coverage80, Some(inside80 as f64 / banded80 as f64), "h={h}");
        assert_eq!(score.coverage50, Some(inside50 as f64 / banded50 as f64), "h={h}");
        close(e.mae_over_naive(h, h).expect("rows"), abs / naive, "verdict ratio");
    }
    // The one-step figure the earlier versions reported, from the same rows.
    let window: Vec<_> = e.rows.iter().filter(|r| r.horizon == 1 && m("2018-05") <= r.month && r.month <= m("2020-04")).collect();
    let reference = e.windows.iter().find(|w| w.first == m("2018-05")).expect("reference window");
    assert_eq!((window.len(), reference.comparison.model.n), (24, 24));
    let mae = window.iter().map(|r| (r.real - r.predicted).abs()).sum::<f64>() / 24.0;
    close(reference.comparison.model.mae, mae, "2018-05 … 2020-04 MAE");
    // Every origin has a choice among the kept candidates.
    assert_eq!(e.choices.len(), origins);
    assert!(e.choices.iter().all(|c| e.candidates.iter().any(|s| s.candidate == c.candidate && s.kept)));
}

fn dummies(dir: &std::path::Path) -> Vec<leche_core::data::clean::CleanFile> {
    ["precipitaciones_dummy.csv", "banco_central_dummy.csv", "precio_leche_dummy.csv"].iter().map(|n| common::read(dir, n)).collect()
}

#[test]
#[ignore = "needs LECHE_DATA"]
fn the_tables_export_after_an_upload_with_revisions_and_reimport_identically() {
    // Regression (issue 15): an upload could store a value the table's own export could not write.
    let dir = common::data();
    let mut db = common::original_db(&dir);
    let plan = leche_core::data::upload::plan(&db, &dummies(&dir)).expect("dummy files are clean");
    Batch::apply(&plan, &mut db, true, "t".into());
    assert_eq!(db.check(), Ok(()));
    for source in leche_core::Source::ALL {
        let text = write_table(source, db.table(source)).expect("every stored value is writable");
        let back = leche_core::data::clean::read_file(source.file_name(), text.as_bytes(), common::today()).expect("re-import");
        assert_eq!(&back.rows, db.table(source), "{source:?}");
    }
}

#[test]
#[ignore = "needs LECHE_DATA"]
fn the_shipped_tables_pass_the_checks_every_input_goes_through() {
    let db = common::original_db(&common::data());
    assert_eq!(db.check(), Ok(()));
}

#[test]
#[ignore = "needs LECHE_DATA"]
fn the_central_bank_bound_table_is_the_shipped_maximum_of_each_column() {
    let f = common::read(&common::data(), "banco_central.csv");
    let largest: Vec<f64> = (0..38).map(|i| f.rows.values().filter_map(|r| r.get(i).copied()).fold(f64::MIN, f64::max)).collect();
    assert_eq!(largest, CENTRAL_BANK_LARGEST.to_vec());
}

/// The trainer's run (walks on every core), the one-thread run (one walk
/// after another, reporting progress) and the browser's (each walk apart, in
/// whichever worker is free, handed back in any order) give the same report
/// to the bit; the progress ends at its total, and a walk missing is an error.
#[test]
#[ignore = "needs LECHE_DATA"]
fn the_protocol_is_the_same_on_every_core_and_on_one() {
    use leche_core::forecast::FitError;
    use leche_core::protocol::{finish, fitted, honest, honest_observed, walk_observed};

    let db = common::original_db(&common::data());
    let parallel = honest(&db).expect("protocol");
    let mut seen = Vec::new();
    let serial = honest_observed(&db, &mut |p| seen.push(p)).expect("protocol");
    let json = |r| serde_json::to_string(r).expect("a report serializes");
    assert!(json(&parallel) == json(&serial), "the reports differ");
    let last = seen.last().expect("progress");
    assert_eq!((last.done + 1, last.candidate), (last.total, None));
    // As the browser's workers do: one walk at a time, handed back in any order.
    let mut walks: Vec<_> = fitted().into_iter().rev().map(|id| walk_observed(&db, id, &mut |_| ()).expect("walk")).collect();
    let apart = finish(&db, walks.clone()).expect("protocol from its walks");
    assert!(json(&apart) == json(&serial), "the report from separate walks differs");
    walks.pop();
    assert!(matches!(finish(&db, walks), Err(FitError::WalksMismatch { .. })));
}
