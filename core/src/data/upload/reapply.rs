//! Carrying the user's batches over to a new deploy's shipped tables.

use super::{Batch, Superseded};
use crate::data::tables::Database;

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
    pub superseded: Vec<Superseded>,
}

/// Re-applies the active batches of `batches` (in key order: the order they
/// were applied) on `shipped`, a new deploy's tables.
///
/// ```
/// use leche_core::{data::clean::read_file, data::upload::{plan, reapply, Batch}, Database, Month};
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
    let (mut kept, mut superseded) = (0, Vec::new());
    for (_, b) in ordered.iter_mut().filter(|(_, b)| !b.undone) {
        superseded.extend(b.rebase(&mut tables));
        kept += b.written.len();
    }
    Reapplied { tables, batches: ordered, kept, superseded }
}
