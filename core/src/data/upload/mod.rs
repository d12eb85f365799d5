//! Adding cleaned files to a database with SPEC §6's rules, and keeping
//! every upload (a *batch*) undoable and re-appliable without losing a row.
//!
//! **Planning** is pure and separate from writing: new months are inserted,
//! identical months reported as present, revised months kept as stored
//! unless the user explicitly replaces them, odd values flagged. The browser
//! shows the plan's report, waits for "Insertar", then writes in one
//! transaction; inside it, [`Plan::recheck`] compares the plan with the rows
//! stored *now* (another tab may have written meanwhile), so a changed
//! month becomes a conflict to confirm, never an overwrite.
//!
//! **A batch's effect is defined against what it replaced.** Each row a
//! batch wrote records its kind (an insert of a new month, or a confirmed
//! replacement of a revised one) and the value it replaced — the value of
//! the previous *active* writer of that month (an earlier batch not undone,
//! else the shipped data; `None` when the month was absent). With that
//! invariant every operation is local and exact:
//!
//! - [`undo`] batch k, in any order: where no later active batch wrote the
//!   month, put back what k replaced; where one did, the current value stays
//!   and the next writer now replaces what k replaced;
//! - [`reapply`] the active batches on a new deploy's shipped tables, in
//!   order: inserts where the shipped data lacks the month (the official
//!   value wins where it has it), every confirmed replacement again;
//! - so the stored tables always equal the shipped tables overlaid with each
//!   active batch's rows in order (the property test in `tests/batch_sequences.rs` checks
//!   it against that recomputation over random sequences).
//!
//! All of it is pure: the store runs these functions and performs the
//! [`RowWrite`]s they return inside one IndexedDB transaction.
//!
//! One file per verb: [`plan`](fn@plan) (and its re-check), the [`Batch`]
//! record, [`undo`](fn@undo) and [`reapply`](fn@reapply).

mod batch;
mod plan;
mod reapply;
pub mod report;
mod undo;

pub use batch::{Batch, RowWrite, Superseded, WriteKind, Written, BATCH_FORMAT};
pub use plan::{plan, Conflict, Flag, FlagReason, Plan, Recheck, TablePlan, UploadError};
pub use reapply::{reapply, Reapplied};
pub use undo::{undo, Undo, UndoError};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::clean::CleanFile;
    use crate::data::month::Month;
    use crate::data::source::Source;
    use crate::data::tables::Database;
    use crate::data::clean::read_file;

    fn price_file(body: &str) -> CleanFile {
        read_file("leche.csv", format!("Anio,Mes,Precio_leche\n{body}").as_bytes(), "2040-12".parse().expect("m"))
            .expect("valid test file")
    }

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    /// Stores `undo`'s records in `batches` and performs its writes on `db`.
    fn perform(db: &mut Database, batches: &mut [(u32, Batch)], u: &Undo) {
        for w in &u.writes {
            w.apply(db);
        }
        for (k, b) in &u.batches {
            if let Some(slot) = batches.iter_mut().find(|(key, _)| key == k) {
                slot.1 = b.clone();
            }
        }
    }

    #[test]
    fn insert_present_conflict_and_undo() {
        let mut db = Database::default();
        plan(&db, &[price_file("2020,Ene,100\n2020,Feb,110\n")]).expect("plan").apply(&mut db, false);
        let original = db.clone();
        let second = plan(&db, &[price_file("2020,Ene,100\n2020,Feb,111\n2020,Mar,500\n")]).expect("plan");
        let t = &second.tables[0];
        assert_eq!(t.already_present.len(), 1);
        assert_eq!(t.conflicts.len(), 1);
        assert_eq!(t.insert.len(), 1);
        assert_eq!(t.flags.len(), 1, "500 is far outside 100..110");
        let batch = Batch::apply(&second, &mut db, true, "t".into());
        assert_eq!(db.price(m("2020-02")), Some(111.0));
        let kinds: Vec<(WriteKind, Option<Vec<f64>>)> = batch.written.iter().map(|w| (w.kind, w.replaced.clone())).collect();
        assert_eq!(kinds, vec![(WriteKind::Insert, None), (WriteKind::Replace, Some(vec![110.0]))]);
        let mut batches = vec![(1, batch)];
        let u = undo(&batches, 1).expect("undo");
        perform(&mut db, &mut batches, &u);
        assert_eq!(db, original);
        assert!(batches[0].1.undone);
        assert_eq!(undo(&batches, 1), Err(UndoError::AlreadyUndone(1)));
        assert_eq!(undo(&batches, 7), Err(UndoError::Unknown(7)));
    }

    /// The issue's scenario: A inserts 2030-01 = 100, B replaces it with 105.
    fn revision_scenario() -> (Database, Vec<(u32, Batch)>) {
        let mut db = Database::default();
        let a = Batch::apply(&plan(&db, &[price_file("2030,Ene,100\n")]).expect("plan"), &mut db, false, "a".into());
        let p = plan(&db, &[price_file("2030,Ene,105\n")]).expect("plan");
        assert_eq!(p.tables[0].conflicts.len(), 1);
        let b = Batch::apply(&p, &mut db, true, "b".into());
        (db, vec![(1, a), (2, b)])
    }

    #[test]
    fn a_users_revision_is_kept_across_a_deploy() {
        // Regression (issue 15): `rebase` skipped months already present, so
        // 2030-01 came back as 100 and B showed 0 rows.
        let (_, batches) = revision_scenario();
        let r = reapply(&Database::default(), &batches);
        assert_eq!(r.tables.price(m("2030-01")), Some(105.0));
        assert_eq!(r.batches[1].1.written.len(), 1, "B keeps its row");
        assert_eq!(r.batches[1].1.written[0].replaced, Some(vec![100.0]));
        // The official value wins over an insert, never over a confirmed revision.
        let mut shipped = Database::default();
        shipped.milk_price.insert(m("2030-01"), vec![90.0]);
        let r = reapply(&shipped, &batches);
        assert_eq!(r.tables.price(m("2030-01")), Some(105.0));
        assert_eq!((r.kept, r.superseded.len()), (1, 1));
        // A's 100 gave way to the official 90: a difference the user hears of.
        assert_eq!((r.superseded[0].yours.clone(), r.superseded[0].published.clone(), r.superseded[0].differs()), (vec![100.0], vec![90.0], true));
        assert!(r.batches[0].1.written.is_empty(), "A's insert gave way to the official value");
        assert_eq!(r.batches[1].1.written[0].replaced, Some(vec![90.0]));
        // Undoing B on the new deploy brings back the official value.
        let (mut db, mut batches) = (r.tables, r.batches);
        let u = undo(&batches, 2).expect("undo");
        perform(&mut db, &mut batches, &u);
        assert_eq!(db, shipped);
    }

    #[test]
    fn undo_out_of_order_restores_exactly_what_each_batch_changed() {
        // Regression (issue 15): undoing A while B is active deleted B's row,
        // and undoing B afterwards brought back A's value.
        let (mut db, mut batches) = revision_scenario();
        let u = undo(&batches, 1).expect("undo A");
        assert!(u.writes.is_empty(), "B's 105 stays: {:?}", u.writes);
        perform(&mut db, &mut batches, &u);
        assert_eq!(db.price(m("2030-01")), Some(105.0));
        assert_eq!(batches[1].1.written[0].replaced, None, "B now replaces what A replaced");
        let u = undo(&batches, 2).expect("undo B");
        perform(&mut db, &mut batches, &u);
        assert_eq!(db, Database::default(), "nothing of A comes back");
    }

    #[test]
    fn two_tabs_planning_the_same_month_get_a_conflict_not_an_overwrite() {
        let db = Database::default();
        let mine = plan(&db, &[price_file("2030,Ene,100\n2030,Feb,101\n")]).expect("plan");
        assert_eq!(mine.touched(), vec![(Source::MilkPrice, m("2030-01")), (Source::MilkPrice, m("2030-02"))]);
        let unchanged = mine.recheck(&db);
        assert!(unchanged.changed.is_empty());
        assert_eq!(unchanged.plan, mine);
        // The other tab writes 2030-01 = 105 first.
        let mut now = db.clone();
        plan(&now, &[price_file("2030,Ene,105\n")]).expect("plan").apply(&mut now, false);
        let r = mine.recheck(&now);
        assert_eq!(r.changed, vec![(Source::MilkPrice, m("2030-01"))]);
        let t = &r.plan.tables[0];
        assert_eq!(t.conflicts, vec![Conflict { month: m("2030-01"), stored: vec![105.0], incoming: vec![100.0] }]);
        assert_eq!(t.insert.keys().copied().collect::<Vec<_>>(), vec![m("2030-02")]);
        // Without the user's confirmation, the rechecked plan writes only the new month.
        let mut after = now.clone();
        r.plan.apply(&mut after, false);
        assert_eq!(after.price(m("2030-01")), Some(105.0));
        // A confirmed replacement whose stored value changed meanwhile is a change too.
        let revise = plan(&now, &[price_file("2030,Ene,110\n")]).expect("plan");
        let mut other = now.clone();
        plan(&other, &[price_file("2030,Ene,120\n")]).expect("plan").apply(&mut other, true);
        assert_eq!(revise.recheck(&other).changed, vec![(Source::MilkPrice, m("2030-01"))]);
    }

    #[test]
    fn unreadable_cells_block_the_whole_upload() {
        let db = Database::default();
        let err = plan(&db, &[price_file("2020,Ene,100\n2020,Feb,x\n")]);
        assert!(matches!(err, Err(UploadError::Unreadable { cells, total: 1 }) if cells.len() == 1));
    }

    #[test]
    fn the_first_record_format_is_read_and_migrated() {
        // What the first app stored: an insert and a confirmed replacement.
        let old = r#"{"time":"2026-01-02T03:04:05.000Z","files":["leche.csv"],
            "written":[["milk_price","2030-01",[100.0]],["milk_price","2020-02",[111.0]]],
            "undo":{"before":[["milk_price","2030-01",null],["milk_price","2020-02",[110.0]]]},"undone":false}"#;
        let b: Batch = serde_json::from_str(old).expect("old record");
        let rows: Vec<(Month, WriteKind, Option<Vec<f64>>)> = b.written.iter().map(|w| (w.month, w.kind, w.replaced.clone())).collect();
        assert_eq!(rows, vec![(m("2030-01"), WriteKind::Insert, None), (m("2020-02"), WriteKind::Replace, Some(vec![110.0]))]);
        let text = serde_json::to_string(&b).expect("json");
        assert!(text.starts_with(r#"{"format":2,"#), "{text}");
        assert_eq!(serde_json::from_str::<Batch>(&text).expect("new record"), b);
        let future = text.replace(r#""format":2"#, r#""format":9"#);
        let err = serde_json::from_str::<Batch>(&future).expect_err("unknown format").to_string();
        assert!(err.contains("formato 9"), "{err}");
    }
}
