//! Benchmarks (a bench binary, not timed tests): cleaning, the seed grid
//! search, the honest protocol with horizons 1–12 (and each candidate's
//! walk), the 12-month fan the page draws, and whole trainer runs including
//! peak memory.
//!
//! `cargo bench -p trainer --bench pipeline` (the data in data/, or LECHE_DATA)

use std::path::PathBuf;
use std::process::Command;

use leche_core::data::clean::read_file;
use leche_core::forecast::backtest::{Walk, WARM_UP};
use leche_core::forecast::{CANDIDATES, MAX_HORIZON};
mod timing;

use leche_core::protocol::{self, SeedSplit};
use leche_core::data::upload::plan;
use leche_core::{Database, Month, Source};

use timing::bench;

fn main() {
    let Some(data) = challenge_data::find() else {
        eprintln!("!!! {}", challenge_data::missing_message());
        std::process::exit(1);
    };
    let files: Vec<(&str, Vec<u8>)> = Source::ALL.iter().map(|s| (s.file_name(), challenge_data::read(s.file_name()))).collect();
    // Any month after the data's last (2021-03): none of it is "future".
    let today = Month::new(2026, 11).unwrap_or_else(|| panic!("a valid month"));
    let load = || {
        let cleaned: Vec<_> = files.iter().filter_map(|(n, b)| read_file(n, b, today).ok()).collect();
        let mut db = Database::default();
        if let Ok(p) = plan(&db, &cleaned) {
            p.apply(&mut db, false);
        }
        db
    };
    let db = load();
    let split: SeedSplit =
        serde_json::from_str(include_str!("../seed_split.json")).unwrap_or_else(|e| panic!("seed split: {e}"));

    println!("leche benchmarks on {} ({} cores)", data.display(), std::thread::available_parallelism().map_or(1, |n| n.get()));
    bench("clean: read + clean the 3 CSVs", 20, load);
    bench("seed protocol: grid search 210x3 + refit", 10, || protocol::seed(&db, &split));
    bench("honest protocol: every candidate x 1-12 months", 5, || protocol::honest(&db));
    // Each candidate's share: one walk over the protocol's origins.
    let (Some(last), Ok(first)) = (db.last_price_month(), "2012-01".parse::<leche_core::Month>()) else {
        eprintln!("!!! no prices");
        std::process::exit(1);
    };
    for id in CANDIDATES {
        let Ok(c) = id.candidate() else { continue };
        let steps = if id.one_step_only() { 1 } else { MAX_HORIZON };
        bench(&format!("  walk of {id:?}"), 3, || Walk::run(&db, c.as_ref(), first.offset(-(WARM_UP as i32)).through(last), steps, &mut || ()));
    }
    let Ok(report) = protocol::honest(&db) else {
        eprintln!("!!! the honest protocol failed");
        std::process::exit(1);
    };
    let recommended = report.model;
    bench("fan: the recommended model's 12 months", 200, || recommended.fan(&db));
    bench("history_and_fan: every month + fan (predictions.csv)", 20, || recommended.history_and_fan(&db));

    let exe = PathBuf::from(env!("CARGO_BIN_EXE_trainer"));
    let out = std::env::temp_dir().join("leche-bench-artifacts");
    for (name, extra) in [("trainer run --protocol seed (process)", vec!["--protocol", "seed"]), ("trainer run, default (process)", vec![])] {
        let mut peak = String::new();
        bench(name, 5, || {
            let o = Command::new(&exe)
                .args(["--data", &data.display().to_string(), "--out", &out.display().to_string()])
                .args(&extra)
                .output()
                .unwrap_or_else(|e| panic!("trainer: {e}"));
            peak = String::from_utf8_lossy(&o.stderr).lines().last().unwrap_or_default().to_string();
        });
        println!("    last run says: {peak}");
    }
}
