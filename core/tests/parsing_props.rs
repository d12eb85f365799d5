//! No text in any cell, header or file makes parsing panic.

#![cfg(not(target_arch = "wasm32"))]

use leche_core::clean::{decode_index, decode_integer, parse_float, read_file};
use leche_core::query::parse_query;
use proptest::prelude::*;

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
        let _ = read_file("x.csv", text.as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_file("x.csv", &bytes);
    }

    #[test]
    fn dated_rows_with_junk_values_never_panic(year in 0u32..10000, month in 0u32..15, day in 0u32..40, v in any::<String>()) {
        let text = format!("{}\n{year:04}-{month:02}-{day:02},{v},1,1,1,1,1,1,1\n", HEADERS[0]);
        let _ = read_file("x.csv", text.as_bytes());
    }
}
