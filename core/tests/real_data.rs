//! The library on the real challenge files: cleaning, features, and the
//! train/predict paths agreeing.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use leche_core::bounds::CENTRAL_BANK_LARGEST;
use leche_core::check::check_batches;
use leche_core::clean::SkipReason;
use leche_core::original_csv::write_table;
use leche_core::upload::{undo, Batch};
use leche_core::features::{predict_row, Inputs, TrainMatrix, Window};
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
    use leche_core::clean::read_file;
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
    let plan = leche_core::upload::plan(&db, &files).expect("dummy files are clean");
    let months = |t: &leche_core::tables::Rows| t.keys().map(|m| m.to_string()).collect::<Vec<_>>();
    let by = |s: leche_core::Source| plan.tables.iter().find(|t| t.source == s).expect("table");
    let rain = by(leche_core::Source::Rainfall);
    let bank = by(leche_core::Source::CentralBank);
    let price = by(leche_core::Source::MilkPrice);
    assert_eq!((months(&rain.insert).first().cloned(), months(&rain.insert).last().cloned()), (Some("2020-05".into()), Some("2021-03".into())));
    assert_eq!(months(&bank.insert).first().map(String::as_str), Some("2020-10"));
    assert_eq!(months(&price.insert), vec!["2021-03"]);
    let conflicts = |t: &leche_core::upload::TablePlan| t.conflicts.iter().map(|c| c.month.to_string()).collect::<Vec<_>>();
    assert_eq!(conflicts(bank), vec!["2020-05", "2020-06", "2020-07", "2020-08", "2020-09"]);
    assert_eq!(conflicts(price), vec!["2020-05"]);
    let before = db.clone();
    let batch = Batch::apply(&plan, &mut db, false, "t".into());
    assert_eq!(check_batches(&db, &[(1, batch.clone())]), Ok(()));
    let again = leche_core::upload::plan(&db, &files).expect("plan");
    assert_eq!(again.writes(false), 0, "the same files again insert nothing");
    for w in undo(&[(1, batch)], 1).expect("undo").writes {
        w.apply(&mut db);
    }
    assert_eq!(db, before);
}

fn dummies(dir: &std::path::Path) -> Vec<leche_core::clean::CleanFile> {
    ["precipitaciones_dummy.csv", "banco_central_dummy.csv", "precio_leche_dummy.csv"].iter().map(|n| common::read(dir, n)).collect()
}

#[test]
#[ignore = "needs LECHE_DATA"]
fn the_tables_export_after_an_upload_with_revisions_and_reimport_identically() {
    // Regression (issue 15): an upload could store a value the table's own export could not write.
    let dir = common::data();
    let mut db = common::original_db(&dir);
    let plan = leche_core::upload::plan(&db, &dummies(&dir)).expect("dummy files are clean");
    Batch::apply(&plan, &mut db, true, "t".into());
    assert_eq!(db.check(), Ok(()));
    for source in leche_core::Source::ALL {
        let text = write_table(source, db.table(source)).expect("every stored value is writable");
        let back = leche_core::clean::read_file(source.file_name(), text.as_bytes(), common::today()).expect("re-import");
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
