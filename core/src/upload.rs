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

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
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
    /// `cells` lists the first unreadable cells (at most
    /// [`crate::clean::MAX_DETAILS`] per file), `total` counts them all.
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
/// use leche_core::{clean::read_file, upload::plan, Database, Month};
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
    /// use leche_core::{clean::read_file, upload::plan, Database, Month};
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

/// What one row of a batch did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteKind {
    /// The month was new when the batch was applied: where a new deploy
    /// ships the month, the official value wins.
    Insert,
    /// The user confirmed replacing a revised month: re-applied on every
    /// deploy, so the revision is never lost.
    Replace,
}

/// One row a batch wrote.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Written {
    pub source: Source,
    pub month: Month,
    pub values: Vec<f64>,
    pub kind: WriteKind,
    /// What this row replaced: the previous active writer's values (an
    /// earlier batch not undone, else the shipped data); `None` when the
    /// month was absent. Re-pointed when that earlier batch is undone.
    pub replaced: Option<Vec<f64>>,
}

/// One row write for the store to perform.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RowWrite {
    Put { source: Source, month: Month, values: Vec<f64> },
    Delete { source: Source, month: Month },
}

impl RowWrite {
    /// The same write on an in-memory database.
    pub fn apply(&self, db: &mut Database) {
        match self {
            RowWrite::Put { source, month, values } => {
                db.table_mut(*source).insert(*month, values.clone());
            }
            RowWrite::Delete { source, month } => {
                db.table_mut(*source).remove(month);
            }
        }
    }
}

/// One applied upload as the browser keeps it: enough to list it, undo it,
/// and carry the user's rows over to a new deploy's shipped data.
///
/// Stored form: see [`BATCH_FORMAT`]; records of the first format (before
/// rows had a kind) are read and migrated.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    /// When it was applied (ISO 8601, UTC).
    pub time: String,
    pub files: Vec<String>,
    /// Every row it wrote (one per table and month).
    pub written: Vec<Written>,
    pub undone: bool,
}

/// Version of the stored batch record. 2: each row carries its kind and the
/// value it replaced (`{"format":2,"time",…,"written":[{"source","month",
/// "values","kind","replaced"}],"undone"}`). 1 (no `format` field): rows
/// were `[source, month, values]` with a separate `undo.before` list of
/// `[source, month, values or null]`; read as kind `insert` where the
/// before value is null, `replace` otherwise (exactly what the first app
/// wrote: it replaced only confirmed revisions).
pub const BATCH_FORMAT: u32 = 2;

#[derive(Serialize, Deserialize)]
struct BatchRecord {
    format: u32,
    time: String,
    files: Vec<String>,
    written: Vec<Written>,
    undone: bool,
}

#[derive(Deserialize)]
struct LegacyUndo {
    before: Vec<(Source, Month, Option<Vec<f64>>)>,
}

#[derive(Deserialize)]
struct LegacyRecord {
    time: String,
    files: Vec<String>,
    written: Vec<(Source, Month, Vec<f64>)>,
    undo: LegacyUndo,
    undone: bool,
}

impl From<LegacyRecord> for Batch {
    fn from(r: LegacyRecord) -> Batch {
        let before: HashMap<(Source, Month), Option<Vec<f64>>> =
            r.undo.before.into_iter().map(|(s, m, v)| ((s, m), v)).collect();
        let written = r
            .written
            .into_iter()
            .map(|(source, month, values)| {
                let replaced = before.get(&(source, month)).cloned().flatten();
                let kind = if replaced.is_some() { WriteKind::Replace } else { WriteKind::Insert };
                Written { source, month, values, kind, replaced }
            })
            .collect();
        Batch { time: r.time, files: r.files, written, undone: r.undone }
    }
}

impl Serialize for Batch {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        BatchRecord {
            format: BATCH_FORMAT,
            time: self.time.clone(),
            files: self.files.clone(),
            written: self.written.clone(),
            undone: self.undone,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Batch {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Batch, D::Error> {
        use serde::de::Error;
        let value = serde_json::Value::deserialize(d)?;
        match value.get("format").map(serde_json::Value::as_u64) {
            None => serde_json::from_value::<LegacyRecord>(value)
                .map(Batch::from)
                .map_err(|e| D::Error::custom(format!("carga con formato 1 ilegible: {e}"))),
            Some(Some(f)) if f == u64::from(BATCH_FORMAT) => {
                let r: BatchRecord = serde_json::from_value(value).map_err(|e| D::Error::custom(format!("carga ilegible: {e}")))?;
                Ok(Batch { time: r.time, files: r.files, written: r.written, undone: r.undone })
            }
            Some(other) => Err(D::Error::custom(format!(
                "carga con formato {} que esta página no conoce (conoce 1 y {BATCH_FORMAT})",
                other.map_or_else(|| "ilegible".to_string(), |f| f.to_string())
            ))),
        }
    }
}

impl Batch {
    /// Applies `plan` to `db` and records it.
    pub fn apply(plan: &Plan, db: &mut Database, replace_revisions: bool, time: String) -> Batch {
        let batch = plan.batch(replace_revisions, time);
        for w in batch.writes() {
            w.apply(db);
        }
        batch
    }

    /// The row writes that apply this batch.
    pub fn writes(&self) -> Vec<RowWrite> {
        self.written
            .iter()
            .map(|w| RowWrite::Put { source: w.source, month: w.month, values: w.values.clone() })
            .collect()
    }

    /// The months it wrote per table, in [`Source::ALL`] order.
    pub fn months(&self) -> Vec<(Source, Vec<Month>)> {
        Source::ALL
            .iter()
            .map(|&s| (s, self.written.iter().filter(|w| w.source == s).map(|w| w.month).collect::<Vec<_>>()))
            .filter(|(_, ms)| !ms.is_empty())
            .collect()
    }

    /// Re-applies the batch on `db`: a new deploy's shipped tables with the
    /// earlier active batches already re-applied (see [`reapply`], which
    /// calls this in order). Inserts are written where `db` lacks the month
    /// and dropped where it has it (the official value wins: two active
    /// batches never both insert one month, so a month present here is a
    /// shipped one); confirmed replacements are written again. Each kept
    /// row's `replaced` is rebuilt against `db`. Returns how many rows it wrote.
    pub fn rebase(&mut self, db: &mut Database) -> usize {
        let rows = std::mem::take(&mut self.written);
        for mut w in rows {
            let table = db.table_mut(w.source);
            let current = table.get(&w.month).cloned();
            if w.kind == WriteKind::Insert && current.is_some() {
                continue;
            }
            table.insert(w.month, w.values.clone());
            w.replaced = current;
            self.written.push(w);
        }
        self.written.len()
    }
}

/// The active batches re-applied on a new deploy's shipped tables.
#[derive(Clone, Debug, PartialEq)]
pub struct Reapplied {
    /// What the store must hold: the shipped tables with every active batch on top.
    pub tables: Database,
    /// Every batch (undone ones unchanged), with its rows rebuilt.
    pub batches: Vec<(u32, Batch)>,
    /// Rows written again.
    pub kept: usize,
    /// Inserted rows dropped because the new shipped data has the month.
    pub superseded: usize,
}

/// Re-applies the active batches of `batches` (in key order: the order they
/// were applied) on `shipped`, a new deploy's tables.
///
/// ```
/// use leche_core::{clean::read_file, upload::{plan, reapply, Batch}, Database, Month};
/// let today = Month::new(2031, 1).unwrap();
/// let file = |t: &str| read_file("p.csv", format!("Anio,Mes,Precio_leche\n{t}").as_bytes(), today).unwrap();
/// let mut db = Database::default();
/// let a = Batch::apply(&plan(&db, &[file("2030,Ene,100\n")]).unwrap(), &mut db, false, "a".into());
/// let b = Batch::apply(&plan(&db, &[file("2030,Ene,105\n")]).unwrap(), &mut db, true, "b".into());
/// let r = reapply(&Database::default(), &[(1, a), (2, b)]);
/// assert_eq!(r.tables.price(Month::new(2030, 1).unwrap()), Some(105.0));
/// ```
pub fn reapply(shipped: &Database, batches: &[(u32, Batch)]) -> Reapplied {
    let mut ordered = batches.to_vec();
    ordered.sort_by_key(|(k, _)| *k);
    let mut tables = shipped.clone();
    let (mut kept, mut superseded) = (0, 0);
    for (_, b) in ordered.iter_mut().filter(|(_, b)| !b.undone) {
        let before = b.written.len();
        let now = b.rebase(&mut tables);
        kept += now;
        superseded += before - now;
    }
    Reapplied { tables, batches: ordered, kept, superseded }
}

/// Why a batch cannot be undone.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum UndoError {
    #[error("no hay una carga con número {0}")]
    Unknown(u32),
    #[error("la carga {0} ya estaba deshecha")]
    AlreadyUndone(u32),
}

/// What undoing one batch takes: row writes and the batch records to store
/// (the undone batch, and later batches whose `replaced` was re-pointed).
#[derive(Clone, Debug, PartialEq)]
pub struct Undo {
    pub writes: Vec<RowWrite>,
    pub batches: Vec<(u32, Batch)>,
}

/// Undoes batch `key` among `batches` (all of them, any order; keys give
/// the order they were applied), whatever later batches are active.
///
/// ```
/// use leche_core::{clean::read_file, upload::{plan, undo, Batch}, Database, Month};
/// let today = Month::new(2031, 1).unwrap();
/// let file = |t: &str| read_file("p.csv", format!("Anio,Mes,Precio_leche\n{t}").as_bytes(), today).unwrap();
/// let mut db = Database::default();
/// let a = Batch::apply(&plan(&db, &[file("2030,Ene,100\n")]).unwrap(), &mut db, false, "a".into());
/// let b = Batch::apply(&plan(&db, &[file("2030,Ene,105\n")]).unwrap(), &mut db, true, "b".into());
/// // Undoing A while B is active keeps B's row.
/// let u = undo(&[(1, a), (2, b)], 1).unwrap();
/// assert!(u.writes.is_empty());
/// assert_eq!(u.batches[1].1.written[0].replaced, None);
/// ```
pub fn undo(batches: &[(u32, Batch)], key: u32) -> Result<Undo, UndoError> {
    let target = batches.iter().find(|(k, _)| *k == key).ok_or(UndoError::Unknown(key))?;
    if target.1.undone {
        return Err(UndoError::AlreadyUndone(key));
    }
    // The first later active writer of each month.
    let mut later: Vec<(u32, Batch)> = batches.iter().filter(|(k, b)| *k > key && !b.undone).cloned().collect();
    later.sort_by_key(|(k, _)| *k);
    let mut next_writer: HashMap<(Source, Month), (usize, usize)> = HashMap::new();
    for (bi, (_, b)) in later.iter().enumerate() {
        for (ri, w) in b.written.iter().enumerate() {
            next_writer.entry((w.source, w.month)).or_insert((bi, ri));
        }
    }
    let mut writes = Vec::new();
    let mut touched = vec![false; later.len()];
    for w in &target.1.written {
        match next_writer.get(&(w.source, w.month)) {
            Some(&(bi, ri)) => {
                if let Some(row) = later.get_mut(bi).and_then(|(_, b)| b.written.get_mut(ri)) {
                    row.replaced = w.replaced.clone();
                }
                if let Some(t) = touched.get_mut(bi) {
                    *t = true;
                }
            }
            None => writes.push(match &w.replaced {
                Some(values) => RowWrite::Put { source: w.source, month: w.month, values: values.clone() },
                None => RowWrite::Delete { source: w.source, month: w.month },
            }),
        }
    }
    let mut undone = target.clone();
    undone.1.undone = true;
    let mut records = vec![undone];
    records.extend(later.into_iter().zip(touched).filter(|(_, t)| *t).map(|(b, _)| b));
    Ok(Undo { writes, batches: records })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::read_file;

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
        assert_eq!((r.kept, r.superseded), (1, 1));
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
