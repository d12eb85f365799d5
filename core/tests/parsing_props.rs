//! No text in any cell, header or file makes parsing panic, and whatever
//! is read passes the checks every stored row must pass.

#![cfg(not(target_arch = "wasm32"))]

use leche_core::data::clean::{read_file, CleanFile};
use leche_core::data::numbers::{decode_index, decode_integer, parse_float};
use leche_core::data::query::parse_query;
use leche_core::{Database, Month};
use proptest::prelude::*;

fn today() -> Month {
    Month::new(2026, 11).expect("month")
}

/// What was read can be stored: its rows pass [`Database::check`].
fn stored_rows_pass_the_checks(f: &CleanFile) {
    let mut db = Database::default();
    *db.table_mut(f.source) = f.rows.clone();
    assert_eq!(db.check(), Ok(()), "{:?}", f.rows);
}

const HEADERS: [&str; 3] = [
    "date,Coquimbo,Valparaiso,Metropolitana_de_Santiago,Libertador_Gral__Bernardo_O_Higgins,Maule,Biobio,La_Araucania,Los_Rios",
    "Anio,Mes,Precio_leche",
    "Periodo,Imacec_empalmado,PIB",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn cell_decoders_never_panic(s in any::<String>()) {
        let _ = decode_index(&s);
        let _ = decode_integer(&s);
        let _ = parse_float(&s, true);
        let _ = parse_query(&s);
    }

    #[test]
    fn any_cell_text_in_a_known_file_never_panics(h in 0usize..3, cells in prop::collection::vec(any::<String>(), 0..12)) {
        let body = cells.join(",");
        let text = format!("{}\n{}\n{}\n", HEADERS[h], body, body);
        if let Ok(f) = read_file("x.csv", text.as_bytes(), today()) {
            stored_rows_pass_the_checks(&f);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(f) = read_file("x.csv", &bytes, today()) {
            stored_rows_pass_the_checks(&f);
        }
    }

    #[test]
    fn dated_rows_with_junk_values_never_panic(year in 0u32..10000, month in 0u32..15, day in 0u32..40, v in any::<String>()) {
        let text = format!("{}\n{year:04}-{month:02}-{day:02},{v},1,1,1,1,1,1,1\n", HEADERS[0]);
        if let Ok(f) = read_file("x.csv", text.as_bytes(), today()) {
            stored_rows_pass_the_checks(&f);
        }
    }

    #[test]
    fn any_number_text_read_is_within_bounds(h in 0usize..3, v in any::<f64>(), text in "[-+]?[0-9.eE]{1,12}") {
        for cell in [format!("{v:?}"), format!("{v:e}"), text.clone()] {
            let body = match h {
                0 => format!("2020-01-01,{cell},{cell},{cell},{cell},{cell},{cell},{cell},{cell}"),
                1 => format!("2020,Ene,{cell}"),
                _ => format!("2020-01-01 00:00:00 UTC{}", format!(",{cell}").repeat(38)),
            };
            let header = match h {
                2 => format!("Periodo,{}", leche_core::Source::CentralBank.raw_columns().join(",")),
                _ => HEADERS[h].to_string(),
            };
            let text = format!("{header}\n{body}\n");
            if let Ok(f) = read_file("x.csv", text.as_bytes(), today()) {
                stored_rows_pass_the_checks(&f);
            }
        }
    }
}
