//! The human-readable training log (`train.log`): what was read, what the
//! grid search chose, and how the models compare with the naive forecast.
//! No timings: the log is part of the deterministic artifacts.

use leche_core::clean::{CleanFile, SkipReason};
use leche_core::model::Method;
use leche_core::protocol::{Comparison, HonestReport, Scored, SeedReport};
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

    fn selected_names(&mut self, method: &Method) {
        if let Method::LagPipeline { selected_names, .. } = method {
            self.line(&format!("Variables seleccionadas: {}", selected_names.join(", ")));
        }
    }

    /// One row per forecaster over the same backtest months.
    fn candidate_table(&mut self, r: &HonestReport) {
        self.line(&format!(
            "{:<48} {:>7} {:>7} {:>7} {:>7} {:>11} {:>10}",
            "pronóstico", "RMSE", "MAE", "MAPE %", "R²", "> ingenuo", "cob. 80 %"
        ));
        let coverage = |c: &Comparison| match c.coverage {
            Some(v) => format!("{:.0} % ({})", 100.0 * v, c.months_with_interval),
            None => "–".to_string(),
        };
        let mut row = |name: &str, c: &Comparison, naive: bool| {
            let m = if naive { &c.naive } else { &c.model };
            let beats = if naive { "–".to_string() } else { format!("{} de {}", c.months_beating_naive, m.n) };
            let cov = if naive { "–".to_string() } else { coverage(c) };
            self.line(&format!(
                "{:<48} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>11} {:>10}",
                name, m.rmse, m.mae, m.mape, m.r2, beats, cov
            ));
        };
        for c in &r.candidates {
            row(&c.label, &c.comparison, false);
        }
        row("selección mes a mes (procedimiento recomendado)", &r.comparison, false);
        row("ingenuo (próximo mes = este mes)", &r.comparison, true);
    }

    fn backtest_months(&mut self, scored: &[Scored]) {
        self.line("    mes      real   modelo  ingenuo   inf 80%  sup 80%  elección");
        let bound = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| format!("{v:.2}"));
        for s in scored {
            self.line(&format!(
                "  {} {:>8.2} {:>8.2} {:>8.2} {:>8} {:>8}  {}",
                s.month,
                s.real,
                s.predicted,
                s.naive,
                bound(s.lower),
                bound(s.upper),
                s.how
            ));
        }
    }

    pub fn seed(&mut self, r: &SeedReport) {
        self.line("\n== Protocolo seed (réplica del servicio original: partición aleatoria 80/20, CV de 3 bloques, R²)");
        self.grid(&r.grid);
        self.selected_names(&r.model.method);
        self.comparison("Prueba", &r.comparison);
    }

    pub fn honest(&mut self, r: &HonestReport) {
        self.line("\n== Protocolo honesto (candidatos comparados en un backtest anidado mes a mes)");
        self.line("En cada mes t, cada candidato se ajusta solo con meses anteriores a t (incluida la elección de sus");
        self.line("parámetros por MAE en bloques temporales); el candidato usado en t es el de menor MAE en los 12 meses");
        self.line("anteriores, y su intervalo del 80 % son los cuantiles 10 % y 90 % de sus errores relativos de los 48 meses");
        self.line("anteriores (o los que haya, mínimo 12).");
        let (first, last) = (r.backtest.first().map(|s| s.month), r.backtest.last().map(|s| s.month));
        if let (Some(f), Some(l)) = (first, last) {
            self.line(&format!("\nBacktest {f} … {l} ({} meses), mismos meses para todos:", r.backtest.len()));
        }
        self.candidate_table(r);
        for c in &r.candidates {
            self.line(&format!("\n-- {}", c.label));
            self.backtest_months(&c.backtest);
        }
        self.line("\n-- selección mes a mes (procedimiento recomendado)");
        self.backtest_months(&r.backtest);
        self.comparison("Backtest del procedimiento", &r.comparison);
        self.line("\nModelo recomendado: la misma elección hecha al final de los datos.");
        self.line(&r.reason);
        let m = &r.model;
        self.line(&format!("Modelo: {} ({})", m.name, m.method.describe()));
        self.line(&format!("Necesita: {}", m.needs));
        if let Some(i) = m.interval {
            self.line(&format!(
                "Intervalo del 80 %: pronóstico {:+.2} % … {:+.2} % (de {} errores relativos fuera de muestra)",
                100.0 * i.below,
                100.0 * i.above,
                i.errors
            ));
        }
        self.selected_names(&m.method);
    }
}
