//! Adding cleaned files to a database with SPEC §6's rules: new months are
//! inserted, identical months reported as present, revised months kept as
//! stored (unless the user explicitly replaces them), odd values flagged.
//!
//! Planning is pure and separate from applying, so the browser can show the
//! report, wait for "Insertar", and then write everything in one transaction.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::clean::{CellIssue, CleanFile};
use crate::month::Month;
use crate::source::Source;
use crate::tables::{Database, Rows};

/// An upload that must write nothing.
#[derive(Clone, Debug, PartialEq, Error, Serialize, Deserialize)]
pub enum UploadError {
    #[error("no se entregó ningún archivo")]
    NoFiles,
    #[error("{first} y {second} son ambos de {source_label}: suba un archivo por fuente")]
    SameSourceTwice { first: String, second: String, source_label: String },
    #[error("{} valores ilegibles; no se escribió nada", .0.len())]
    Unreadable(Vec<CellIssue>),
}

/// A stored month whose incoming values differ.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub month: Month,
    pub stored: Vec<f64>,
    pub incoming: Vec<f64>,
}

/// Why an inserted value deserves a second look.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FlagReason {
    /// Outside the stored range of its column by more than half that range.
    OutOfRange { min: f64, max: f64 },
    /// More than 12 months after the current month.
    FarFuture { today: Month },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub month: Month,
    pub column: String,
    pub value: f64,
    pub reason: FlagReason,
}

/// What one file of an upload would do to its table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TablePlan {
    pub source: Source,
    pub file: String,
    pub insert: Rows,
    pub already_present: Vec<Month>,
    pub conflicts: Vec<Conflict>,
    pub flags: Vec<Flag>,
}

/// The whole upload, ready to apply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub tables: Vec<TablePlan>,
}

/// Rows a batch changed, so it can be undone exactly: for every touched
/// month, what was stored before (`None` when the month was new).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Undo {
    pub before: Vec<(Source, Month, Option<Vec<f64>>)>,
}

/// Plan an upload of cleaned files against `db`. `today` enables the
/// far-future flag (the browser passes the current month).
pub fn plan(db: &Database, files: &[CleanFile], today: Option<Month>) -> Result<Plan, UploadError> {
    if files.is_empty() {
        return Err(UploadError::NoFiles);
    }
    let rejected: Vec<CellIssue> = files.iter().flat_map(|f| f.rejected.iter().cloned()).collect();
    if !rejected.is_empty() {
        return Err(UploadError::Unreadable(rejected));
    }
    let mut seen: BTreeMap<Source, &str> = BTreeMap::new();
    for f in files {
        if let Some(first) = seen.insert(f.source, &f.file) {
            return Err(UploadError::SameSourceTwice {
                first: first.to_string(),
                second: f.file.clone(),
                source_label: f.source.label().to_string(),
            });
        }
    }
    Ok(Plan { tables: files.iter().map(|f| plan_table(db.table(f.source), f, today)).collect() })
}

fn plan_table(stored: &Rows, file: &CleanFile, today: Option<Month>) -> TablePlan {
    let mut t = TablePlan {
        source: file.source,
        file: file.file.clone(),
        insert: Rows::new(),
        already_present: Vec::new(),
        conflicts: Vec::new(),
        flags: Vec::new(),
    };
    let names = file.source.columns();
    let ranges = column_ranges(stored, names.len());
    for (&month, values) in &file.rows {
        match stored.get(&month) {
            Some(old) if old == values => t.already_present.push(month),
            Some(old) => t.conflicts.push(Conflict { month, stored: old.clone(), incoming: values.clone() }),
            None => {
                for (i, &v) in values.iter().enumerate() {
                    if let Some((min, max)) = ranges[i] {
                        let slack = (max - min) / 2.0;
                        if v < min - slack || v > max + slack {
                            let column = names[i].to_string();
                            t.flags.push(Flag { month, column, value: v, reason: FlagReason::OutOfRange { min, max } });
                        }
                    }
                }
                if let Some(today) = today {
                    if today.months_until(month) > 12 {
                        let column = names[0].to_string();
                        t.flags.push(Flag { month, column, value: values[0], reason: FlagReason::FarFuture { today } });
                    }
                }
                t.insert.insert(month, values.clone());
            }
        }
    }
    t
}

/// Min and max of each stored column (`None` for an empty table).
fn column_ranges(stored: &Rows, columns: usize) -> Vec<Option<(f64, f64)>> {
    (0..columns)
        .map(|i| {
            stored.values().filter_map(|r| r.get(i).copied()).fold(None, |acc, v| match acc {
                None => Some((v, v)),
                Some((lo, hi)) => Some((f64::min(lo, v), f64::max(hi, v))),
            })
        })
        .collect()
}

impl Plan {
    /// Months that would be written (inserted, or replaced when `replace_revisions`).
    pub fn writes(&self, replace_revisions: bool) -> usize {
        self.tables
            .iter()
            .map(|t| t.insert.len() + if replace_revisions { t.conflicts.len() } else { 0 })
            .sum()
    }

    /// Apply to `db`; returns what is needed to undo it.
    pub fn apply(&self, db: &mut Database, replace_revisions: bool) -> Undo {
        let mut undo = Undo::default();
        for t in &self.tables {
            let table = db.table_mut(t.source);
            for (m, v) in &t.insert {
                undo.before.push((t.source, *m, table.insert(*m, v.clone())));
            }
            if replace_revisions {
                for c in &t.conflicts {
                    undo.before.push((t.source, c.month, table.insert(c.month, c.incoming.clone())));
                }
            }
        }
        undo
    }
}

impl Undo {
    /// Restore exactly what the batch changed.
    pub fn revert(&self, db: &mut Database) {
        for (source, month, before) in self.before.iter().rev() {
            let table = db.table_mut(*source);
            match before {
                Some(v) => table.insert(*month, v.clone()),
                None => table.remove(month),
            };
        }
    }
}

/// One applied upload as the browser keeps it: enough to list it, undo it,
/// and carry the user's rows over to a new deploy's shipped data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    /// When it was applied (ISO 8601, UTC).
    pub time: String,
    pub files: Vec<String>,
    /// Every row it wrote, in order.
    pub written: Vec<(Source, Month, Vec<f64>)>,
    pub undo: Undo,
    pub undone: bool,
}

impl Batch {
    /// Applies `plan` to `db` and records it.
    pub fn apply(plan: &Plan, db: &mut Database, replace_revisions: bool, time: String) -> Batch {
        let undo = plan.apply(db, replace_revisions);
        let written = undo
            .before
            .iter()
            .filter_map(|(s, m, _)| db.table(*s).get(m).map(|v| (*s, *m, v.clone())))
            .collect();
        Batch { time, files: plan.tables.iter().map(|t| t.file.clone()).collect(), written, undo, undone: false }
    }

    /// The months it wrote per table, in [`Source::ALL`] order.
    pub fn months(&self) -> Vec<(Source, Vec<Month>)> {
        Source::ALL
            .iter()
            .map(|&s| (s, self.written.iter().filter(|(ws, _, _)| *ws == s).map(|(_, m, _)| *m).collect::<Vec<_>>()))
            .filter(|(_, ms)| !ms.is_empty())
            .collect()
    }

    /// Re-applies the batch on top of new shipped data (a new deploy): rows
    /// the new data lacks are inserted again; rows it has win, as the
    /// official values. The undo record is rebuilt against `db`. Returns how
    /// many rows were inserted again.
    pub fn rebase(&mut self, db: &mut Database) -> usize {
        let mut undo = Undo::default();
        let mut kept = Vec::new();
        for (source, month, values) in &self.written {
            let table = db.table_mut(*source);
            if table.contains_key(month) {
                continue;
            }
            undo.before.push((*source, *month, table.insert(*month, values.clone())));
            kept.push((*source, *month, values.clone()));
        }
        self.written = kept;
        self.undo = undo;
        self.written.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::read_file;

    fn price_file(body: &str) -> CleanFile {
        read_file("leche.csv", format!("Anio,Mes,Precio_leche\n{body}").as_bytes()).expect("valid test file")
    }

    #[test]
    fn insert_present_conflict_and_undo() {
        let mut db = Database::default();
        let first = plan(&db, &[price_file("2020,Ene,100\n2020,Feb,110\n")], None).expect("plan");
        first.apply(&mut db, false);
        let original = db.clone();
        let second = plan(&db, &[price_file("2020,Ene,100\n2020,Feb,111\n2020,Mar,500\n")], None).expect("plan");
        let t = &second.tables[0];
        assert_eq!(t.already_present.len(), 1);
        assert_eq!(t.conflicts.len(), 1);
        assert_eq!(t.insert.len(), 1);
        assert_eq!(t.flags.len(), 1, "500 is far outside 100..110");
        let undo = second.apply(&mut db, true);
        assert_eq!(db.price("2020-02".parse().expect("m")), Some(111.0));
        undo.revert(&mut db);
        assert_eq!(db, original);
    }

    #[test]
    fn a_batch_rebases_onto_new_shipped_data_without_losing_user_rows() {
        let mut db = Database::default();
        plan(&db, &[price_file("2020,Ene,100\n")], None).expect("plan").apply(&mut db, false);
        let upload = plan(&db, &[price_file("2020,Feb,110\n2020,Mar,120\n")], None).expect("plan");
        let mut batch = Batch::apply(&upload, &mut db, false, "t".into());
        assert_eq!(batch.months()[0].1.len(), 2);
        // A new deploy ships February officially (another value) but not March.
        let mut shipped = Database::default();
        plan(&shipped, &[price_file("2020,Ene,100\n2020,Feb,111\n")], None).expect("plan").apply(&mut shipped, false);
        let before = shipped.clone();
        assert_eq!(batch.rebase(&mut shipped), 1);
        assert_eq!(shipped.price("2020-02".parse().expect("m")), Some(111.0), "official value wins");
        assert_eq!(shipped.price("2020-03".parse().expect("m")), Some(120.0), "user row kept");
        batch.undo.revert(&mut shipped);
        assert_eq!(shipped, before);
    }

    #[test]
    fn unreadable_cells_block_the_whole_upload() {
        let db = Database::default();
        let err = plan(&db, &[price_file("2020,Ene,100\n2020,Feb,x\n")], None);
        assert!(matches!(err, Err(UploadError::Unreadable(cells)) if cells.len() == 1));
    }
}
