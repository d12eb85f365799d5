//! Uploads as a hostile user would make them (issue 15), end to end through
//! the library: read, plan, and what would be stored.

#![cfg(not(target_arch = "wasm32"))]

use leche_core::data::clean::{read_file, SkipReason, MAX_DETAILS};
use leche_core::data::upload::plan;
use leche_core::{Database, Month};

const RAIN_HEADER: &str = "date,Coquimbo,Valparaiso,Metropolitana_de_Santiago,Libertador_Gral__Bernardo_O_Higgins,Maule,Biobio,La_Araucania,Los_Rios";

fn today() -> Month {
    Month::new(2026, 11).expect("month")
}

#[test]
fn a_60_mb_file_of_future_months_writes_nothing_and_says_why() {
    // Regression (issue 15): 3000-01 … 9999-12 was offered as "Se insertarán 84.000 filas".
    let value = format!("1.{}", "2".repeat(90));
    let row_values = format!(",{value}").repeat(8);
    let mut text = String::with_capacity(63 * 1024 * 1024);
    text.push_str(RAIN_HEADER);
    text.push('\n');
    for year in 3000..=9999 {
        for month in 1..=12 {
            text.push_str(&format!("{year:04}-{month:02}-01{row_values}\n"));
        }
    }
    assert!(text.len() > 60_000_000, "{} bytes", text.len());
    let f = read_file("futuro.csv", text.as_bytes(), today()).expect("a readable file");
    assert_eq!((f.rows_read, f.skipped_total, f.rows.len()), (84_000, 84_000, 0));
    assert_eq!(f.skipped.len(), MAX_DETAILS, "details stop at the cap");
    assert_eq!(f.skipped[0].reason, SkipReason::Future { latest: today().next() });
    let p = plan(&Database::default(), &[f]).expect("a plan");
    assert_eq!(p.writes(true), 0);
}

#[test]
fn a_2999_price_is_skipped_not_inserted() {
    // Regression (issue 15): a milk price for 2999-01 was inserted (flagged).
    let f = read_file("leche.csv", b"Anio,Mes,Precio_leche\n2999,Ene,250\n", today()).expect("readable");
    assert_eq!(plan(&Database::default(), &[f]).expect("plan").writes(true), 0);
}

#[test]
fn impossible_values_never_reach_the_tables() {
    // Regressions (issue 15): each was accepted before.
    let rain = format!(
        "{RAIN_HEADER}\n2020-01-01,1.7976931348623157e308,1,1,1,1,1,1,1\n2020-02-01,-0.0,0,0,0,0,0,0,0\n2020-03-01,5,5,5,5,5,5,5,5\n"
    );
    let price = "Anio,Mes,Precio_leche\n2020,Ene,5e-324\n2020,Feb,1e17\n2020,Mar,254.1\n";
    let files = [
        read_file("lluvia.csv", rain.as_bytes(), today()).expect("readable"),
        read_file("leche.csv", price.as_bytes(), today()).expect("readable"),
    ];
    let mut db = Database::default();
    plan(&db, &files).expect("plan").apply(&mut db, false);
    assert_eq!(db.rainfall.len(), 1);
    assert_eq!(db.milk_price.len(), 1);
    assert_eq!(db.check(), Ok(()));
}
