//! Planning an upload: what each file would insert, find already stored,
//! find revised (a conflict the user confirms) or flag as odd, and the
//! re-check of that plan against the rows stored when the write runs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{Batch, WriteKind, Written};
use crate::data::clean::{CellIssue, CleanFile};
use crate::data::month::Month;
use crate::data::source::Source;
use crate::data::tables::{Database, Rows};

/// An upload that must write nothing.
#[derive(Clone, Debug, PartialEq, Error, Serialize, Deserialize)]
pub enum UploadError {
    #[error("no se entregó ningún archivo")]
    NoFiles,
    #[error("{first} y {second} son ambos de {source_label}: suba un archivo por fuente")]
    SameSourceTwice { first: String, second: String, source_label: String },
    /// `cells` lists the first unreadable cells (at most
    /// [`crate::data::clean::MAX_DETAILS`] per file), `total` counts them all.
    #[error("{total} valores ilegibles; no se escribió nada")]
    Unreadable { cells: Vec<CellIssue>, total: u64 },
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
    /// Months stored with exactly the file's values (kept, so a re-check can
    /// tell whether they changed meanwhile).
    pub already_present: Rows,
    pub conflicts: Vec<Conflict>,
    pub flags: Vec<Flag>,
}

/// The whole upload, ready to write.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub tables: Vec<TablePlan>,
}

/// Plan an upload of cleaned files against `db`.
///
/// ```
/// use leche_core::{data::clean::read_file, data::upload::plan, Database, Month};
/// let today = Month::new(2026, 11).unwrap();
/// let file = read_file("p.csv", b"Anio,Mes,Precio_leche\n2020,Ene,250.5\n", today).unwrap();
/// let p = plan(&Database::default(), &[file]).unwrap();
/// assert_eq!(p.writes(false), 1);
/// ```
pub fn plan(db: &Database, files: &[CleanFile]) -> Result<Plan, UploadError> {
    if files.is_empty() {
        return Err(UploadError::NoFiles);
    }
    let total: u64 = files.iter().map(|f| f.rejected_total).sum();
    if total > 0 {
        let cells = files.iter().flat_map(|f| f.rejected.iter().cloned()).collect();
        return Err(UploadError::Unreadable { cells, total });
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
    Ok(Plan { tables: files.iter().map(|f| plan_table(db.table(f.source), f)).collect() })
}

/// The three ways an incoming month meets the stored table.
struct Classified {
    insert: Rows,
    present: Rows,
    conflicts: Vec<Conflict>,
}

fn classify(stored: &Rows, incoming: &Rows) -> Classified {
    let mut c = Classified { insert: Rows::new(), present: Rows::new(), conflicts: Vec::new() };
    for (&month, values) in incoming {
        match stored.get(&month) {
            Some(old) if old == values => {
                c.present.insert(month, values.clone());
            }
            Some(old) => c.conflicts.push(Conflict { month, stored: old.clone(), incoming: values.clone() }),
            None => {
                c.insert.insert(month, values.clone());
            }
        }
    }
    c
}

fn plan_table(stored: &Rows, file: &CleanFile) -> TablePlan {
    let c = classify(stored, &file.rows);
    let names = file.source.columns();
    let ranges = column_ranges(stored, names.len());
    let mut flags = Vec::new();
    for (&month, values) in &c.insert {
        for ((&v, range), name) in values.iter().zip(&ranges).zip(&names) {
            if let Some((min, max)) = *range {
                let slack = (max - min) / 2.0;
                if v < min - slack || v > max + slack {
                    flags.push(Flag { month, column: name.to_string(), value: v, reason: FlagReason::OutOfRange { min, max } });
                }
            }
        }
    }
    TablePlan {
        source: file.source,
        file: file.file.clone(),
        insert: c.insert,
        already_present: c.present,
        conflicts: c.conflicts,
        flags,
    }
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

/// A plan checked against the rows stored now.
#[derive(Clone, Debug, PartialEq)]
pub struct Recheck {
    /// The plan as it would be built now (flags kept from the original).
    pub plan: Plan,
    /// Months whose stored rows differ from what the plan saw, in plan
    /// order. Empty: write the original plan. Otherwise write nothing and
    /// show `plan`'s report again: a month that another tab wrote meanwhile
    /// is now a conflict (or already present) the user has not confirmed.
    pub changed: Vec<(Source, Month)>,
}

impl TablePlan {
    /// Every row of the file: inserts, present and conflicting months.
    fn incoming(&self) -> Rows {
        let mut rows = self.insert.clone();
        rows.extend(self.already_present.iter().map(|(m, v)| (*m, v.clone())));
        rows.extend(self.conflicts.iter().map(|c| (c.month, c.incoming.clone())));
        rows
    }
}

impl Plan {
    /// Months that would be written (inserted, or replaced when `replace_revisions`).
    pub fn writes(&self, replace_revisions: bool) -> usize {
        self.tables
            .iter()
            .map(|t| t.insert.len() + if replace_revisions { t.conflicts.len() } else { 0 })
            .sum()
    }

    /// Every month the plan looked at, per table: what the store must read
    /// inside its write transaction before calling [`Plan::recheck`].
    pub fn touched(&self) -> Vec<(Source, Month)> {
        self.tables.iter().flat_map(|t| t.incoming().into_keys().map(move |m| (t.source, m))).collect()
    }

    /// Compares the plan with `current`, which holds (at least) the stored
    /// rows of every [`Plan::touched`] month as they are now.
    ///
    /// ```
    /// use leche_core::{data::clean::read_file, data::upload::plan, Database, Month};
    /// let today = Month::new(2031, 1).unwrap();
    /// let file = |t: &str| read_file("p.csv", format!("Anio,Mes,Precio_leche\n{t}").as_bytes(), today).unwrap();
    /// let mine = plan(&Database::default(), &[file("2030,Ene,100\n")]).unwrap();
    /// // Another tab inserts 2030-01 = 105 before this one writes.
    /// let mut now = Database::default();
    /// plan(&now, &[file("2030,Ene,105\n")]).unwrap().apply(&mut now, false);
    /// let r = mine.recheck(&now);
    /// assert_eq!(r.changed.len(), 1);
    /// assert_eq!(r.plan.tables[0].conflicts[0].stored, vec![105.0]);
    /// ```
    pub fn recheck(&self, current: &Database) -> Recheck {
        let mut changed = Vec::new();
        let tables = self
            .tables
            .iter()
            .map(|t| {
                let incoming = t.incoming();
                let stored: Rows = incoming
                    .keys()
                    .filter_map(|m| current.table(t.source).get(m).map(|v| (*m, v.clone())))
                    .collect();
                let c = classify(&stored, &incoming);
                let before: BTreeMap<Month, Option<&Vec<f64>>> = t
                    .insert
                    .keys()
                    .map(|m| (*m, None))
                    .chain(t.already_present.iter().map(|(m, v)| (*m, Some(v))))
                    .chain(t.conflicts.iter().map(|c| (c.month, Some(&c.stored))))
                    .collect();
                changed.extend(
                    before.iter().filter(|(m, seen)| stored.get(*m) != **seen).map(|(m, _)| (t.source, *m)),
                );
                TablePlan {
                    source: t.source,
                    file: t.file.clone(),
                    flags: t.flags.iter().filter(|f| c.insert.contains_key(&f.month)).cloned().collect(),
                    insert: c.insert,
                    already_present: c.present,
                    conflicts: c.conflicts,
                }
            })
            .collect();
        Recheck { plan: Plan { tables }, changed }
    }

    /// The batch this plan writes: its inserts and, when
    /// `replace_revisions` (confirmed by the user), its conflicts. The
    /// replaced values are the plan's: call it after [`Plan::recheck`]
    /// found nothing changed.
    pub fn batch(&self, replace_revisions: bool, time: String) -> Batch {
        let mut written = Vec::new();
        for t in &self.tables {
            written.extend(t.insert.iter().map(|(m, v)| Written {
                source: t.source,
                month: *m,
                values: v.clone(),
                kind: WriteKind::Insert,
                replaced: None,
            }));
            if replace_revisions {
                written.extend(t.conflicts.iter().map(|c| Written {
                    source: t.source,
                    month: c.month,
                    values: c.incoming.clone(),
                    kind: WriteKind::Replace,
                    replaced: Some(c.stored.clone()),
                }));
            }
        }
        Batch { time, files: self.tables.iter().map(|t| t.file.clone()).collect(), written, undone: false }
    }

    /// Writes the plan into `db` (the trainer's batches, tests).
    pub fn apply(&self, db: &mut Database, replace_revisions: bool) {
        for w in self.batch(replace_revisions, String::new()).writes() {
            w.apply(db);
        }
    }
}
