//! The batch records' property: any sequence of uploads, undos (in any
//! order) and new deploys leaves the tables equal to the shipped ones
//! overlaid with each active batch's rows, and a backup of any such state
//! restores (its records pass `check_batches`), undoes to the shipped tables
//! and re-applies to itself. An integration test: it joins the upload and
//! the check modules, which must not import each other (tests/modules.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use leche_core::data::check::check_batches;
use leche_core::data::clean::CleanFile;
use leche_core::data::tables::Rows;
use leche_core::data::upload::{plan, reapply, undo, Batch, WriteKind};
use leche_core::{Database, Month, Source};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Step {
    /// Upload prices for these (month offset, value) pairs, replacing revisions or not.
    Upload(Vec<(u8, u8)>, bool),
    /// Undo the n-th active batch (modulo how many there are).
    Undo(usize),
    /// A new deploy shipping these months.
    Deploy(Vec<(u8, u8)>),
}

fn rows(pairs: &[(u8, u8)]) -> Rows {
    let first = Month::new(2030, 1).expect("month");
    pairs.iter().map(|&(o, v)| (first.offset(i32::from(o % 6)), vec![f64::from(v % 4) + 100.0])).collect()
}

fn step() -> impl Strategy<Value = Step> {
    let pairs = prop::collection::vec((any::<u8>(), any::<u8>()), 0..5);
    prop_oneof![
        4 => (pairs.clone(), any::<bool>()).prop_map(|(p, r)| Step::Upload(p, r)),
        3 => any::<usize>().prop_map(Step::Undo),
        1 => pairs.prop_map(Step::Deploy),
    ]
}

/// What each batch meant to do when it was applied, kept apart from the
/// records the functions under test rewrite: (key, undone, rows).
type Intents = Vec<(u32, bool, Vec<(Month, Vec<f64>, WriteKind)>)>;

/// The shipped prices overlaid with every active batch's intended rows, in order.
fn recomputed(shipped: &Database, intents: &Intents) -> Database {
    let mut db = shipped.clone();
    for (_, _, rows) in intents.iter().filter(|(_, undone, _)| !undone) {
        for (month, values, _) in rows {
            db.milk_price.insert(*month, values.clone());
        }
    }
    db
}

fn assert_replaced_invariant(shipped: &Database, batches: &[(u32, Batch)]) {
    let mut previous = shipped.clone();
    for (k, b) in batches.iter().filter(|(_, b)| !b.undone) {
        for w in &b.written {
            assert_eq!(w.replaced.as_ref(), previous.table(w.source).get(&w.month), "batch {k} {}", w.month);
            previous.table_mut(w.source).insert(w.month, w.values.clone());
        }
    }
}

/// A backup of this state, restored: its batch records (through JSON, as
/// a backup carries them) pass `check_batches`; undoing every active one
/// gives the shipped tables; re-applying the restored records on those
/// gives the backup's tables back.
fn assert_restore_round_trips(shipped: &Database, tables: &Database, batches: &[(u32, Batch)]) {
    let text = serde_json::to_string(batches).expect("batches to JSON");
    let restored: Vec<(u32, Batch)> = serde_json::from_str(&text).expect("batches from JSON");
    assert_eq!(check_batches(tables, &restored), Ok(()), "a backup's records pass the restore's check");
    let (mut undone, mut records) = (tables.clone(), restored.clone());
    let active: Vec<u32> = restored.iter().filter(|(_, b)| !b.undone).map(|(k, _)| *k).collect();
    for key in active {
        let u = undo(&records, key).expect("undo a restored batch");
        for w in &u.writes {
            w.apply(&mut undone);
        }
        for (k, b) in u.batches {
            if let Some(slot) = records.iter_mut().find(|(key, _)| *key == k) {
                slot.1 = b;
            }
        }
    }
    assert_eq!(&undone, shipped, "undoing every restored batch leaves the shipped tables");
    assert_eq!(&reapply(&undone, &restored).tables, tables, "re-applying the restored batches gives the backup's tables");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_apply_undo_deploy_sequence_equals_the_recomputation(steps in prop::collection::vec(step(), 1..14)) {
        let mut shipped = Database::default();
        let mut db = Database::default();
        let mut batches: Vec<(u32, Batch)> = Vec::new();
        let mut intents: Intents = Vec::new();
        for (i, s) in steps.into_iter().enumerate() {
            match s {
                Step::Upload(pairs, replace) => {
                    let file = CleanFile {
                        file: "leche.csv".into(),
                        source: Source::MilkPrice,
                        rows_read: 0,
                        rows: rows(&pairs),
                        row_of: BTreeMap::new(),
                        skipped: Vec::new(),
                        skipped_total: 0,
                        rejected: Vec::new(),
                        rejected_total: 0,
                    };
                    let p = plan(&db, &[file]).expect("plan");
                    prop_assert!(p.recheck(&db).changed.is_empty());
                    let b = Batch::apply(&p, &mut db, replace, i.to_string());
                    if !b.written.is_empty() {
                        intents.push((i as u32 + 1, false, b.written.iter().map(|w| (w.month, w.values.clone(), w.kind)).collect()));
                        batches.push((i as u32 + 1, b));
                    }
                }
                Step::Undo(n) => {
                    let active: Vec<u32> = batches.iter().filter(|(_, b)| !b.undone).map(|(k, _)| *k).collect();
                    if let Some(&key) = active.get(n % active.len().max(1)) {
                        if let Some(intent) = intents.iter_mut().find(|(k, _, _)| *k == key) {
                            intent.1 = true;
                        }
                        let u = undo(&batches, key).expect("undo");
                        for w in &u.writes {
                            w.apply(&mut db);
                        }
                        for (k, b) in u.batches {
                            if let Some(slot) = batches.iter_mut().find(|(key, _)| *key == k) {
                                slot.1 = b;
                            }
                        }
                    }
                }
                Step::Deploy(pairs) => {
                    shipped.milk_price = rows(&pairs);
                    // The official value wins over an insert, never over a confirmed replacement.
                    for (_, _, rows) in &mut intents {
                        rows.retain(|(month, _, kind)| *kind == WriteKind::Replace || !shipped.milk_price.contains_key(month));
                    }
                    let r = reapply(&shipped, &batches);
                    db = r.tables;
                    batches = r.batches;
                }
            }
            prop_assert_eq!(&db, &recomputed(&shipped, &intents));
            assert_replaced_invariant(&shipped, &batches);
            assert_restore_round_trips(&shipped, &db, &batches);
        }
    }
}
