//! A paste through the upload path on the shipped data: the months it adds
//! and the lines it refuses.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use leche_core::data::paste::{read_paste, Outcome};
use leche_core::data::upload::plan;
use leche_core::Month;

/// 2021-03 … 2022-02 in a mix of formats, and two bad lines.
const MIXED: &str = "Mes\tPrecio ($/l)\n\
    2021-03\t300,5\n\
    2021/04;301.25\n\
    05/2021 $ 302,00\n\
    jun-2021\t303\n\
    julio de 2021\t$ 304,5\n\
    \n\
    Agosto 2021\t305,75\n\
    01-09-2021\t306\n\
    2021-10-01\t307.5\n\
    1/11/2021\t308\n\
    dic 2021\t1.309,5\n\
    13/2021\t300\n\
    01-2022\t310\n\
    2022-02\t311,25\n\
    mar-2022\t$ 5e-3\n";

#[test]
#[ignore = "needs LECHE_DATA"]
fn twelve_pasted_months_and_two_bad_lines_plan_as_an_upload() {
    let db = common::original_db(&common::data());
    let pasted = read_paste(MIXED, common::today()).expect("a readable paste");
    let refused: Vec<String> = pasted.refused().map(ToString::to_string).collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(refused[0].starts_with("línea 13: «13/2021»: mes no válido"), "{refused:?}");
    assert!(refused[1].starts_with("línea 16: «$ 5e-3»: Precio_leche") && refused[1].contains("fuera de los límites físicos"), "{refused:?}");
    let read: Vec<Month> = pasted.lines.iter().filter_map(|l| match l.outcome { Outcome::Read { month, .. } => Some(month), _ => None }).collect();
    let first: Month = "2021-03".parse().expect("month");
    assert_eq!(read, first.through(first.offset(11)).collect::<Vec<_>>());
    let p = plan(&db, &[pasted.file]).expect("a plan");
    assert_eq!(p.writes(false), 12);
    let t = &p.tables[0];
    assert_eq!((t.insert.len(), t.already_present.len(), t.conflicts.len()), (12, 0, 0));
    assert_eq!(t.insert.get(&"2021-12".parse().expect("month")), Some(&vec![1309.5]));
}
