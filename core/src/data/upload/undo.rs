//! Undoing one batch in any order, whatever later batches are active.

use std::collections::HashMap;

use thiserror::Error;

use super::{Batch, RowWrite};
use crate::data::month::Month;
use crate::data::source::Source;

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
/// use leche_core::{data::clean::read_file, data::upload::{plan, undo, Batch}, Database, Month};
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
