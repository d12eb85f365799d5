//! Uploads as the app lists and logs them: the months each wrote, per table,
//! and how the active model's error moved with it. Pure, so it is tested
//! natively.

use leche_core::drift::{Drift, Skill};
use leche_core::data::upload::Batch;

use crate::view::format::{count, number};
use crate::view::report::months_text;

/// The months a batch wrote, one table per line ("Precio de la leche: 2020-05 a 2021-03 (11 meses)").
pub fn months_written(batch: &Batch) -> Vec<String> {
    batch.months().iter().map(|(s, ms)| format!("{}: {}", s.label(), months_text(ms))).collect()
}

/// A batch's log details: the months it wrote, and the drift when measured.
pub fn batch_details(batch: &Batch, drift: Option<&(Drift, Drift)>) -> String {
    let mut out = months_written(batch);
    if let Some((before, after)) = drift {
        out.push(drift_text(before, after));
    }
    out.join("\n")
}

/// The batch's time as the list shows it ("2026-11-29 03:12:45").
pub fn when(batch: &Batch) -> String {
    batch.time.replace('T', " ").chars().take(19).collect()
}

fn skill_text(s: &Option<Skill>) -> String {
    match s {
        None => "sin meses con precio real".into(),
        Some(s) => format!(
            "RMSE {} y R² {} en {} meses",
            number(s.rmse, 2),
            s.r2.map(|r| number(r, 3)).unwrap_or_else(|| "—".into()),
            count(s.months)
        ),
    }
}

/// How the active model's error moved with an upload.
pub fn drift_text(before: &Drift, after: &Drift) -> String {
    format!(
        "Modelo activo, todos los meses: antes {}; ahora {}.\nMeses posteriores a su entrenamiento (después de {}): antes {}; ahora {}.",
        skill_text(&before.all),
        skill_text(&after.all),
        after.trained_to.map_or_else(|| "—".to_string(), |m| m.to_string()),
        skill_text(&before.after_training),
        skill_text(&after.after_training)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use leche_core::data::clean::read_file;
    use leche_core::data::upload::plan;
    use leche_core::Database;

    #[test]
    fn details_name_each_table_and_its_months() {
        let mut db = Database::default();
        let file = read_file("p.csv", b"Anio,Mes,Precio_leche\n2020,Ene,100\n2020,Feb,101\n2020,Abr,103\n", "2026-11".parse().expect("m")).expect("file");
        let upload = plan(&db, &[file]).expect("plan");
        let batch = Batch::apply(&upload, &mut db, false, "2020-05-01T10:11:12.000Z".into());
        assert_eq!(batch_details(&batch, None), "precio de la leche: 2020-01 a 2020-04 (3 meses, sin 2020-03)");
        assert_eq!(when(&batch), "2020-05-01 10:11:12");
    }
}
