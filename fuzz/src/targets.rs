//! The ways in, and what must hold for whatever each accepts.
//!
//! - **upload**: one to three files through the page's path
//!   (`report::prepare`) and the library's (read, plan). An accepted plan
//!   passes `Plan::check` and survives its JSON crossing from the worker;
//!   re-checked against the same tables it changes nothing; applied (with
//!   and without replacing revisions) the tables pass `Database::check` and
//!   `check_observed`, the batch passes `check_batches`, every touched table
//!   exports and re-imports to the same rows, undo gives back the shipped
//!   tables exactly and re-applying on them gives the same tables.
//! - **backup**: a restore (`Backup::parse_as_of`). An accepted backup's
//!   tables and batches pass the checks, export round-trips, the backup
//!   re-serialises to itself, undoing any active batch and re-applying them
//!   all on the shipped tables (a later deploy) keep the checks, and both
//!   shipped models forecast every month without a panic.
//! - **model**: a stored model (a backup's, the store's), its JSON mutated:
//!   numbers to extremes, arrays resized, the pipeline reshaped. Where
//!   `Model::check` accepts it, forecasting the history and the fan on the
//!   shipped tables cannot panic or hang; where `Model::check_on` accepts
//!   it too, every forecast and band end is finite and within
//!   `MAX_FORECAST`, and the bands are ordered — checked here value by value.
//! - **paste**: text pasted in «Agregar meses» (`read_paste`), lines of
//!   months and prices and tables of months by years, mutated cell by cell.
//!   Every value read is in the file handed to the plan with its price and
//!   line, nothing else is, the file passes the tables' checks, and the
//!   plan against the shipped tables passes `Plan::check`.
//! - **query**: `parse_query`. An accepted range is ordered, at most
//!   `MAX_MONTHS` long, of writable months, and its text re-parses to it.
//! - **view**: a query, a clock and data that end at a random month through
//!   what the pages draw ([`crate::view`]): no panic, finite drawings.
//!
//! Charts' tick loops run on every accepted table (a 1.8e308 rainfall made
//! them spin forever).

use std::collections::BTreeMap;
use std::path::Path;

use leche::wire::backup::Backup;
use leche::view::chart::nice_ticks;
use leche::view::report::{prepare_with_workbooks, Choices, Report};
use leche_core::data::check::check_batches;
use leche_core::data::clean::{read_file, CleanFile, FileError, MAX_DETAILS};
use leche_core::data::original_csv::write_table;
use leche_core::data::incoming;
use leche_core::data::paste::{read_paste_as, Outcome, Pasted};
use leche_core::data::query::{parse_query, MAX_MONTHS};
use leche_core::data::upload::{plan, reapply, undo, Batch, Plan};
use leche_core::model::MAX_FORECAST;
use leche_core::{Database, Model, Source};
use proptest::prelude::RngExt;
use proptest::test_runner::TestRng;

use crate::corpus::{today, Corpus};
use crate::{mutate, view};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Upload,
    Backup,
    Paste,
    Query,
    Model,
    View,
}

impl Target {
    pub const ALL: [Target; 6] = [Target::Upload, Target::Backup, Target::Paste, Target::Query, Target::Model, Target::View];

    pub fn name(self) -> &'static str {
        match self {
            Target::Upload => "upload",
            Target::Backup => "backup",
            Target::Paste => "paste",
            Target::Query => "query",
            Target::Model => "model",
            Target::View => "view",
        }
    }

    pub fn parse(text: &str) -> Result<Target, String> {
        Target::ALL.into_iter().find(|t| t.name() == text).ok_or(format!("unknown target {text} (upload, backup, paste, query, model, view)"))
    }
}

/// One case's input.
#[derive(Clone, Debug)]
pub enum Input {
    Files(Vec<(String, Vec<u8>)>),
    Text(String),
}

impl Input {
    /// Files into a directory (`0-name`, `1-name`, …), text into a file.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        match self {
            Input::Files(files) => {
                std::fs::create_dir_all(path)?;
                for (i, (name, bytes)) in files.iter().enumerate() {
                    let safe: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '_' { c } else { '_' }).collect();
                    std::fs::write(path.join(format!("{i}-{safe}")), bytes)?;
                }
                Ok(())
            }
            Input::Text(text) => std::fs::write(path, text),
        }
    }

    pub fn load(target: Target, path: &Path) -> std::io::Result<Input> {
        match target {
            Target::Upload => {
                let mut entries: Vec<_> = std::fs::read_dir(path)?.collect::<Result<_, _>>()?;
                entries.sort_by_key(|e| e.file_name());
                entries
                    .into_iter()
                    .map(|e| {
                        let name = e.file_name().to_string_lossy().split_once('-').map_or(String::new(), |(_, n)| n.to_string());
                        Ok((name, std::fs::read(e.path())?))
                    })
                    .collect::<std::io::Result<_>>()
                    .map(Input::Files)
            }
            _ => Ok(Input::Text(String::from_utf8_lossy(&std::fs::read(path)?).into_owned())),
        }
    }
}

/// A new case for `target`, from the corpus.
pub fn generate(corpus: &Corpus, target: Target, rng: &mut TestRng) -> Input {
    match target {
        Target::Upload => {
            let files = (0..rng.random_range(1..=3))
                .map(|_| {
                    let (name, bytes) = corpus.csv[rng.random_range(0..corpus.csv.len())].clone();
                    let bytes = match rng.random_range(0..10) {
                        0 => bytes,
                        1 | 2 => {
                            let mut b = bytes;
                            mutate::bytes(rng, &mut b);
                            b
                        }
                        _ => mutate::csv(rng, &String::from_utf8_lossy(&bytes)).into_bytes(),
                    };
                    (name, bytes)
                })
                .collect();
            Input::Files(files)
        }
        Target::Backup => {
            let seed = &corpus.backups[rng.random_range(0..corpus.backups.len())];
            let text = match (rng.random_range(0..10), serde_json::from_str::<serde_json::Value>(seed)) {
                (0, _) | (_, Err(_)) => seed.clone(),
                (1, _) => {
                    let mut b = seed.clone().into_bytes();
                    mutate::bytes(rng, &mut b);
                    String::from_utf8_lossy(&b).into_owned()
                }
                (_, Ok(mut value)) => {
                    mutate::json(rng, &mut value);
                    value.to_string()
                }
            };
            Input::Text(text)
        }
        Target::View => Input::Text(view::generate(corpus, rng)),
        Target::Paste => {
            let seed = &corpus.pastes[rng.random_range(0..corpus.pastes.len())];
            Input::Text(if rng.random_bool(0.1) { seed.clone() } else { mutate::paste(rng, seed) })
        }
        Target::Query => {
            let seed = &corpus.queries[rng.random_range(0..corpus.queries.len())];
            Input::Text(if rng.random_bool(0.1) { seed.clone() } else { mutate::query(rng, seed) })
        }
        Target::Model => {
            let seed = &corpus.model_seeds[rng.random_range(0..corpus.model_seeds.len())];
            let text = match (rng.random_bool(0.1), serde_json::from_str::<serde_json::Value>(seed)) {
                (true, _) | (_, Err(_)) => seed.clone(),
                (false, Ok(mut value)) => {
                    mutate::model(rng, &mut value);
                    value.to_string()
                }
            };
            Input::Text(text)
        }
    }
}

/// Runs one case; `true` when the input was accepted. Panics when an invariant fails.
pub fn run(corpus: &Corpus, target: Target, input: &Input) -> bool {
    match (target, input) {
        (Target::Upload, Input::Files(files)) => upload(corpus, files),
        (Target::Backup, Input::Text(text)) => backup(corpus, text),
        (Target::Paste, Input::Text(text)) => paste(corpus, text),
        (Target::Query, Input::Text(text)) => query(text),
        (Target::Model, Input::Text(text)) => model(corpus, text),
        (Target::View, Input::Text(text)) => view::run(corpus, text),
        _ => false,
    }
}

fn upload(corpus: &Corpus, files: &[(String, Vec<u8>)]) -> bool {
    let prepared = prepare_with_workbooks(&corpus.db, files, Some(today()), &Choices::new());
    if let (Report::Ready { writes, .. }, Some(p)) = (&prepared.report, &prepared.plan) {
        assert_eq!(*writes, p.writes(false), "the report counts the plan's writes");
    }
    // Every series of every file, not only the default ones.
    let mut cleaned: Vec<CleanFile> = Vec::new();
    for (n, b) in files {
        let Ok(incoming) = incoming::read(n, b, today()) else { continue };
        for choice in std::iter::once(None).chain((0..incoming.found.series().len()).map(Some)) {
            cleaned.extend(incoming.take(choice, today()).into_iter().flat_map(|t| t.files));
        }
    }
    for f in &cleaned {
        assert!(f.skipped.len() <= MAX_DETAILS && f.rejected.len() <= MAX_DETAILS, "details are capped");
        assert!(f.skipped.len() as u64 <= f.skipped_total && f.rejected.len() as u64 <= f.rejected_total);
        let mut alone = Database::default();
        *alone.table_mut(f.source) = f.rows.clone();
        assert_eq!(alone.check(), Ok(()), "{}: rows read must pass the checks", f.file);
        assert_eq!(alone.check_observed(today()), Ok(()), "{}: no month after the next", f.file);
    }
    if cleaned.len() != files.len() {
        return false;
    }
    let Ok(p) = plan(&corpus.db, &cleaned) else { return false };
    assert_eq!(p.check(), Ok(()), "an accepted plan passes its check");
    let crossed: Plan = serde_json::from_str(&serde_json::to_string(&p).expect("plan to JSON")).expect("plan from JSON");
    assert_eq!(crossed, p, "the plan crosses from the worker unchanged");
    assert!(p.recheck(&corpus.db).changed.is_empty(), "nothing changed meanwhile");
    for replace in [false, true] {
        let mut db = corpus.db.clone();
        let batch = Batch::apply(&p, &mut db, replace, "t".into());
        assert_eq!(db.check(), Ok(()), "the tables after an upload pass the checks");
        assert_eq!(db.check_observed(today()), Ok(()));
        assert_eq!(check_batches(&db, &[(1, batch.clone())]), Ok(()), "the batch record is consistent");
        for t in &p.tables {
            round_trip(t.source, &db);
        }
        ticks(&db);
        let mut back = db.clone();
        for w in undo(&[(1, batch.clone())], 1).expect("undo").writes {
            w.apply(&mut back);
        }
        assert_eq!(back, corpus.db, "undo gives back the tables exactly");
        assert_eq!(reapply(&corpus.db, &[(1, batch)]).tables, db, "re-applying on the same shipped tables changes nothing");
    }
    true
}

/// The table exports in its original format and re-imports to the same
/// rows (an empty table exports a header, which an upload refuses as
/// empty: it re-imports to nothing, the same).
fn round_trip(source: Source, db: &Database) {
    let text = write_table(source, db.table(source)).unwrap_or_else(|e| panic!("export: {e}"));
    if db.table(source).is_empty() {
        assert!(matches!(read_file(source.file_name(), text.as_bytes(), today()), Err(FileError::HeaderOnly { .. })));
        return;
    }
    let back = read_file(source.file_name(), text.as_bytes(), today()).unwrap_or_else(|e| panic!("re-import: {e}"));
    assert!(back.rejected.is_empty() && back.skipped.is_empty(), "{:?} {:?}", back.rejected.first(), back.skipped.first());
    assert!(back.rows == *db.table(source), "{source:?}: the export re-imports to the same rows");
}

/// The charts' tick loop terminates, with a sane number of ticks, on every column.
fn ticks(db: &Database) {
    for source in Source::ALL {
        for c in 0..source.width() {
            let (lo, hi) = db.table(source).values().filter_map(|r| r.get(c)).fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
            if lo <= hi {
                assert!(nice_ticks(lo, hi, 6).len() <= 20, "{source:?} column {c}: ticks for {lo}..{hi}");
            }
        }
    }
}

fn backup(corpus: &Corpus, text: &str) -> bool {
    let Ok(b) = Backup::parse_as_of("fuzz.json", text, today()) else { return false };
    let tables = &b.database.tables;
    assert_eq!(tables.check(), Ok(()), "restored tables pass the checks");
    assert_eq!(check_batches(tables, &b.batches), Ok(()), "restored batches are consistent");
    for source in Source::ALL {
        round_trip(source, tables);
    }
    ticks(tables);
    let again = Backup::parse_as_of("fuzz.json", &serde_json::to_string(&b).expect("to JSON"), today()).expect("a restored backup reads back");
    assert!(again == b, "the backup re-serialises to itself");
    for (key, _) in b.batches.iter().filter(|(_, batch)| !batch.undone) {
        let u = undo(&b.batches, *key).expect("undo an active batch");
        let mut after = tables.clone();
        for w in &u.writes {
            w.apply(&mut after);
        }
        let mut batches = b.batches.clone();
        for (k, record) in u.batches {
            if let Some(slot) = batches.iter_mut().find(|(key, _)| *key == k) {
                slot.1 = record;
            }
        }
        assert_eq!(after.check(), Ok(()), "undoing batch {key} keeps the checks");
        assert_eq!(check_batches(&after, &batches), Ok(()), "undoing batch {key} keeps the records consistent");
    }
    let deployed = reapply(&corpus.db, &b.batches);
    assert_eq!(deployed.tables.check(), Ok(()), "a later deploy keeps the checks");
    assert_eq!(check_batches(&deployed.tables, &deployed.batches), Ok(()), "a later deploy keeps the records consistent");
    for model in &corpus.models {
        std::hint::black_box(model.forecast_all(tables));
    }
    true
}

fn model(corpus: &Corpus, text: &str) -> bool {
    let Ok(m) = serde_json::from_str::<Model>(text) else { return false };
    if m.check().is_err() {
        return false;
    }
    // Shape accepted: forecasting anything cannot panic (the harness catches it) or hang.
    let forecasts = m.history_and_fan(&corpus.db);
    if m.check_on(&corpus.db).is_err() {
        return false;
    }
    let sane = |v: f64| v.is_finite() && v.abs() <= MAX_FORECAST;
    for f in &forecasts {
        let p = f.predicted;
        assert!(sane(p), "{}: {} forecast {p:?}", m.name, f.month);
        for b in [f.band80, f.band50].into_iter().flatten() {
            assert!(sane(b.lower) && sane(b.upper), "{}: {} band {b:?}", m.name, f.month);
        }
        if let (Some(b80), Some(b50)) = (f.band80, f.band50) {
            assert!(b80.lower <= b50.lower && b50.lower <= b50.upper && b50.upper <= b80.upper, "{}: {} bands {b80:?} {b50:?}", m.name, f.month);
        }
    }
    // What a backup or the store holds reads back to the same model.
    let again: Model = serde_json::from_str(&serde_json::to_string(&m).expect("model to JSON")).expect("model from JSON");
    assert!(again == m, "{}: the model re-serialises to itself", m.name);
    true
}

fn paste(corpus: &Corpus, text: &str) -> bool {
    let Ok(first) = read_paste_as(text, today(), None) else { return false };
    // The default series, then every other one the paste offers.
    for choice in 0..first.options.len() {
        let again = read_paste_as(text, today(), Some(choice)).expect("a paste read once reads with any of its series");
        assert_eq!(again.chosen, Some(choice), "the series asked for is the one read");
        pasted(corpus, &again);
    }
    pasted(corpus, &first);
    true
}

/// What a paste read must be, whichever series: every value read is in the
/// file with its line, nothing else is, and the plan passes its check.
fn pasted(corpus: &Corpus, p: &Pasted) {
    let mut read = BTreeMap::new();
    for line in &p.lines {
        if let Outcome::Read { month, price } = line.outcome {
            assert!(read.insert(month, price).is_none(), "{month} read twice");
            assert_eq!(p.file.row_of.get(&month), Some(&line.row), "{month}: the line it was read from");
        }
    }
    let kept: BTreeMap<_, _> = p.file.rows.iter().map(|(m, v)| (*m, v.first().copied().unwrap_or(f64::NAN))).collect();
    assert_eq!(kept.len(), p.file.rows.len());
    assert!(kept.iter().all(|(m, v)| read.get(m).is_some_and(|r| r.to_bits() == v.to_bits())), "the file holds exactly the values read");
    assert_eq!(kept.len(), read.len(), "every value read is in the file");
    assert_eq!(p.file.rejected_total, 0, "a refused price refuses its line, not the paste");
    let alone = Database { milk_price: p.file.rows.clone(), ..Database::default() };
    assert_eq!(alone.check(), Ok(()), "values read must pass the checks");
    assert_eq!(alone.check_observed(today()), Ok(()), "no month after the next");
    if let Ok(plan) = plan(&corpus.db, std::slice::from_ref(&p.file)) {
        assert_eq!(plan.check(), Ok(()), "the paste's plan passes its check");
    }
}

fn query(text: &str) -> bool {
    let Ok((first, last)) = parse_query(text) else { return false };
    assert!(first <= last && first.months_until(last) < MAX_MONTHS, "{first} {last}");
    assert!(first.in_range() && last.in_range());
    assert_eq!(parse_query(&format!("{first} {last}")), Ok((first, last)), "the range's text re-parses to it");
    true
}
