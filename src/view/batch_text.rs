//! Uploads as the app lists and logs them: the months each wrote, per table,
//! and how the active model's error moved with it. Pure, so it is tested
//! natively.

use leche_core::drift::{Drift, Skill};
use leche_core::data::upload::{Batch, Superseded};

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

/// What a new deploy did to the months the user had added that its data
/// now has (the published value is kept): how many, and each one whose
/// value differs, with both values, so a revision is never silent. Empty
/// when there were none.
pub fn superseded_text(rows: &[Superseded]) -> String {
    const SHOWN: usize = 6;
    if rows.is_empty() {
        return String::new();
    }
    let mut text = format!("; {} meses que usted había cargado vienen ahora en los datos publicados (se usa el valor publicado)", count(rows.len()));
    let differing: Vec<String> = rows
        .iter()
        .filter(|r| r.differs())
        .map(|r| {
            let values = |v: &[f64]| v.iter().map(|x| number(*x, 2)).collect::<Vec<_>>().join(" · ");
            format!("{} {} (suyo {}; publicado {})", r.source.label(), r.month, values(&r.yours), values(&r.published))
        })
        .collect();
    if !differing.is_empty() {
        let more = differing.len().saturating_sub(SHOWN);
        let shown = differing.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
        let rest = if more > 0 { format!(" y {} más", count(more)) } else { String::new() };
        let verb = if differing.len() == 1 { "difiere" } else { "difieren" };
        text.push_str(&format!("; {} {verb} del publicado: {shown}{rest}", count(differing.len())));
    }
    text
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

    #[test]
    fn superseded_months_name_each_revision() {
        let m = |t: &str| t.parse::<leche_core::Month>().expect("month");
        let row = |month: &str, yours: f64, published: f64| Superseded { source: leche_core::Source::MilkPrice, month: m(month), yours: vec![yours], published: vec![published] };
        assert_eq!(superseded_text(&[]), "");
        let text = superseded_text(&[row("2021-03", 300.0, 300.0), row("2021-04", 301.5, 302.25)]);
        assert_eq!(text, "; 2 meses que usted había cargado vienen ahora en los datos publicados (se usa el valor publicado); 1 difiere del publicado: precio de la leche 2021-04 (suyo 301,50; publicado 302,25)");
    }
}
