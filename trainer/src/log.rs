//! The human-readable training log (`train.log`): what was read, what the
//! grid search chose, and how the models compare with the naive forecast.
//! No timings: the log is part of the deterministic artifacts.

use leche_core::clean::{CleanFile, SkipReason};
use leche_core::protocol::{Comparison, HonestReport, SeedReport};
use leche_core::tables::Coverage;
use leche_core::upload::Plan;
use leche_core::validation::{GridResult, Scoring};
use leche_core::{Database, Source};

#[derive(Default)]
pub struct TrainLog {
    text: String,
}

impl TrainLog {
    pub fn line(&mut self, s: &str) {
        self.text.push_str(s);
        self.text.push('\n');
    }

    pub fn finish(self) -> String {
        self.text
    }

    pub fn batch(&mut self, files: &[CleanFile], plan: &Plan) {
        let names: Vec<&str> = files.iter().map(|f| f.file.as_str()).collect();
        self.line(&format!("== Lote de datos: {}", names.join(", ")));
        for (f, t) in files.iter().zip(&plan.tables) {
            let count = |pred: fn(&SkipReason) -> bool| f.skipped.iter().filter(|s| pred(&s.reason)).count();
            self.line(&format!(
                "{} ({}): {} filas leídas, {} limpias; omitidas: {} con fecha inválida, {} repetidas, {} con celdas vacías; {} nuevas, {} ya presentes, {} revisiones (se conserva lo almacenado)",
                f.file,
                f.source.label(),
                f.rows_read,
                f.rows.len(),
                count(|r| matches!(r, SkipReason::NotADate { .. })),
                count(|r| matches!(r, SkipReason::Repeated { .. })),
                count(|r| matches!(r, SkipReason::Missing { .. })),
                t.insert.len(),
                t.already_present.len(),
                t.conflicts.len(),
            ));
        }
    }

    pub fn tables(&mut self, db: &Database) {
        self.line("\n== Tablas limpias");
        let show = |c: Coverage| match (c.first, c.last) {
            (Some(f), Some(l)) => format!("{} meses, {f} … {l}, {} huecos", c.count, c.gaps.len()),
            _ => "vacía".to_string(),
        };
        for s in Source::ALL {
            self.line(&format!("{:<20} {}", s.label(), show(Coverage::of(db.table(s).keys()))));
        }
        self.line(&format!("{:<20} {}", "features (unión)", show(Coverage::of(&db.feature_months()))));
    }

    fn grid(&mut self, g: &GridResult) {
        let mut order: Vec<usize> = (0..g.scores.len()).collect();
        order.sort_by(|&a, &b| g.scores[b].mean.total_cmp(&g.scores[a].mean).then(a.cmp(&b)));
        let metric = match g.scoring {
            Scoring::R2 => "R² medio",
            Scoring::NegMae => "−MAE medio",
        };
        self.line(&format!("Grid search: {} combinaciones; las 10 mejores por {metric}:", g.scores.len()));
        self.line("   alpha  grado   k   puntaje");
        for &i in order.iter().take(10) {
            let s = &g.scores[i];
            self.line(&format!("  {:>6} {:>6} {:>3} {:>9.4}", s.hyper.alpha, s.hyper.degree, s.hyper.k, s.mean));
        }
        let b = g.best_hyper();
        self.line(&format!("Parámetros elegidos: alpha={}, grado={}, k={}", b.alpha, b.degree, b.k));
    }

    fn comparison(&mut self, what: &str, c: &Comparison) {
        self.line(&format!("{what} ({} meses)       RMSE     MAE   MAPE %      R²", c.model.n));
        for (name, m) in [("modelo", &c.model), ("ingenuo (mes anterior)", &c.naive)] {
            self.line(&format!("  {:<24} {:>7.3} {:>7.3} {:>8.3} {:>7.3}", name, m.rmse, m.mae, m.mape, m.r2));
        }
        self.line(&format!("  meses en que el modelo supera al ingenuo: {} de {}", c.months_beating_naive, c.model.n));
    }

    pub fn seed(&mut self, r: &SeedReport) {
        self.line("\n== Protocolo seed (réplica del servicio original: partición aleatoria 80/20, CV de 3 bloques, R²)");
        self.grid(&r.grid);
        self.line(&format!("Variables seleccionadas: {}", r.model.selected_names.join(", ")));
        self.comparison("Prueba", &r.comparison);
    }

    pub fn honest(&mut self, r: &HonestReport) {
        self.line("\n== Protocolo honesto (validación temporal por MAE; backtest anidado mes a mes)");
        self.line("Backtest: en cada mes t todo (escalado, selección, grid, ajuste) usa solo meses anteriores a t.");
        self.line("    mes      real   modelo  ingenuo  alpha grado  k");
        for s in &r.backtest {
            self.line(&format!(
                "  {} {:>8.2} {:>8.2} {:>8.2} {:>6} {:>5} {:>2}",
                s.month, s.real, s.predicted, s.naive, s.hyper.alpha, s.hyper.degree, s.hyper.k
            ));
        }
        self.comparison("Backtest", &r.comparison);
        self.line("Modelo recomendado: la misma selección repetida sobre todas las filas.");
        self.grid(&r.grid);
        self.line(&format!("Variables seleccionadas: {}", r.model.selected_names.join(", ")));
    }
}
