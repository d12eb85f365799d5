//! A batch: the record of one applied upload, row by row with what each
//! row replaced, in the stored format (and the first format, migrated); and
//! re-applying it on a new deploy's tables.

use std::collections::HashMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Plan;
use crate::data::month::Month;
use crate::data::source::Source;
use crate::data::tables::Database;

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
    /// earlier active batches already re-applied (see [`reapply`](super::reapply()), which
    /// calls this in order). Inserts are written where `db` lacks the month
    /// and dropped where it has it (the official value wins: two active
    /// batches never both insert one month, so a month present here is a
    /// shipped one); confirmed replacements are written again. Each kept
    /// row's `replaced` is rebuilt against `db`. Returns the inserts dropped,
    /// with the user's value and the published one.
    pub fn rebase(&mut self, db: &mut Database) -> Vec<Superseded> {
        let rows = std::mem::take(&mut self.written);
        let mut dropped = Vec::new();
        for mut w in rows {
            let table = db.table_mut(w.source);
            let current = table.get(&w.month).cloned();
            if let (WriteKind::Insert, Some(published)) = (w.kind, &current) {
                dropped.push(Superseded { source: w.source, month: w.month, yours: w.values, published: published.clone() });
                continue;
            }
            table.insert(w.month, w.values.clone());
            w.replaced = current;
            self.written.push(w);
        }
        dropped
    }
}

/// A month the user had inserted that a new deploy's data now has: the
/// published value is kept.
#[derive(Clone, Debug, PartialEq)]
pub struct Superseded {
    pub source: Source,
    pub month: Month,
    pub yours: Vec<f64>,
    pub published: Vec<f64>,
}

impl Superseded {
    /// Whether the published value differs from the user's (a revision the
    /// user should hear of), rather than confirming it.
    pub fn differs(&self) -> bool {
        self.yours != self.published
    }
}
