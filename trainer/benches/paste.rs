//! Benchmark: a paste's preview, as the data page would make it on each
//! edit: 240 pasted lines read (`read_paste`) and planned against the
//! shipped data (`upload::plan`). Target: at most 50 ms. And a bulletin
//! as published (`tests/fixtures/boletin_regional.xlsx`: three sheets,
//! twelve series) read whole, its default series taken and planned — what
//! the worker does on a drop, and again on each choice of series.
//!
//! `cargo bench -p trainer --bench paste`

mod timing;

use leche_core::data::clean::read_file;
use leche_core::data::incoming;
use leche_core::data::paste::read_paste;
use leche_core::data::upload::plan;
use leche_core::{Database, Month, Source};
use timing::bench;

fn main() {
    if challenge_data::find().is_none() {
        eprintln!("!!! {}", challenge_data::missing_message());
        std::process::exit(1);
    }
    let today = Month::new(2026, 11).unwrap_or_else(|| panic!("a valid month"));
    let cleaned: Vec<_> = Source::ALL.iter().filter_map(|s| read_file(s.file_name(), &challenge_data::read(s.file_name()), today).ok()).collect();
    let mut db = Database::default();
    plan(&db, &cleaned).unwrap_or_else(|e| panic!("shipped data: {e}")).apply(&mut db, false);
    // 240 months from 2001-01 in rotating formats: present, revised and new months.
    let first = Month::new(2001, 1).unwrap_or_else(|| panic!("a valid month"));
    let text: String = first
        .through(first.offset(239))
        .enumerate()
        .map(|(i, m)| match i % 4 {
            0 => format!("{m}\t{},5\n", 200 + i),
            1 => format!("{:02}/{}\t$ {},25\n", m.month(), m.year(), 200 + i),
            2 => format!("{} de {};{}.5\n", m.spanish_name(), m.year(), 200 + i),
            _ => format!("01-{:02}-{} 1.{:03}\n", m.month(), m.year(), i),
        })
        .collect();
    let refused = read_paste(&text, today).map(|p| p.refused().count()).unwrap_or(usize::MAX);
    assert_eq!(refused, 0, "every benchmark line reads");
    bench("paste preview, 240 lines (read_paste + plan on the shipped data)", 200, || {
        let pasted = read_paste(&text, today).unwrap_or_else(|e| panic!("paste: {e}"));
        plan(&db, &[pasted.file]).unwrap_or_else(|e| panic!("plan: {e}"))
    });
    let bulletin = std::fs::read(challenge_data::workspace_root().join("tests/fixtures/boletin_regional.xlsx")).unwrap_or_else(|e| panic!("the bulletin fixture: {e}"));
    bench("bulletin workbook, 3 sheets, 12 series (incoming::read + take + plan)", 200, || {
        let read = incoming::read("boletin_regional.xlsx", &bulletin, today).unwrap_or_else(|e| panic!("bulletin: {e}"));
        let taken = read.take(None, today).unwrap_or_else(|e| panic!("series: {e}"));
        plan(&db, &taken.files).unwrap_or_else(|e| panic!("plan: {e}"))
    });
}
