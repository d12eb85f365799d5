//! The human-readable training log (`train.log`): what was read, what the
//! grid search chose, and how the candidates and the procedure compare with
//! the baselines at each horizon. No timings: the log is part of the
//! deterministic artifacts.

use leche_core::data::clean::{CleanFile, SkipReason};
use leche_core::forecast::backtest::{Comparison, HorizonScore};
use leche_core::forecast::original::LagPipeline;
use leche_core::forecast::Method;
use leche_core::protocol::anchors::Anchors;
use leche_core::protocol::{Evaluation, HonestReport, SeedReport};
use leche_core::data::tables::Coverage;
use leche_core::data::upload::Plan;
use leche_core::fit::cross_validation::{GridResult, Scoring};
use leche_core::{Database, Source};

#[derive(Default)]
pub struct TrainLog {
    text: String,
}

/// A share as a whole percentage, or a dash.
fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), |v| format!("{:.0} %", 100.0 * v))
}

impl TrainLog {
    pub fn line(&mut self, s: &str) {
        self.text.push_str(s);
        self.text.push('\n');
    }

    pub fn finish(self) -> String {
        self.text
    }

    /// One batch applied; `replace` says whether its revisions replaced (a
    /// batch `add` wrote) or were kept as stored (the challenge's files).
    pub fn batch(&mut self, files: &[CleanFile], plan: &Plan, replace: bool) {
        let names: Vec<&str> = files.iter().map(|f| f.file.as_str()).collect();
        self.line(&format!("== Lote de datos: {}", names.join(", ")));
        for (f, t) in files.iter().zip(&plan.tables) {
            let count = |pred: fn(&SkipReason) -> bool| f.skipped.iter().filter(|s| pred(&s.reason)).count();
            self.line(&format!(
                "{} ({}): {} filas leídas, {} limpias; omitidas: {} con fecha inválida, {} repetidas, {} con celdas vacías; {} nuevas, {} ya presentes, {} revisiones ({})",
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
                if replace { "reemplazan lo almacenado" } else { "se conserva lo almacenado" },
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
        self.line(&format!(
            "  meses en que el modelo supera al ingenuo: {} de {}; intervalo 80 %: {}",
            c.months_beating_naive,
            c.model.n,
            percent(c.coverage)
        ));
    }

    fn selected_names(&mut self, method: &Method) {
        if let Some(p) = method.form::<LagPipeline>() {
            self.line(&format!("Variables seleccionadas: {}", p.selected_names.join(", ")));
        }
    }

    /// One row per horizon: MAE, RMSE, the ratios to both baselines,
    /// coverage, the median relative error and the interval scores.
    fn horizons(&mut self, scores: &[HorizonScore]) {
        self.line("     h    n      MAE     RMSE  ÷ingenuo  ÷estacional  MAE ing.  MAE est.  cob.80  cob.50  err.med.  IS 80   IS 50");
        let signed = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| format!("{:+.1} %", 100.0 * v));
        let score = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| format!("{v:.2}"));
        for s in scores {
            self.line(&format!(
                "  {:>4} {:>4} {:>8.3} {:>8.3} {:>9.3} {:>12.3} {:>9.3} {:>9.3} {:>7} {:>7} {:>9} {:>6} {:>7}",
                s.horizon,
                s.n,
                s.mae,
                s.rmse,
                s.mae_over_naive,
                s.mae_over_seasonal_naive,
                s.naive_mae,
                s.seasonal_naive_mae,
                percent(s.coverage80),
                percent(s.coverage50),
                signed(s.median_error),
                score(s.interval_score80),
                score(s.interval_score50)
            ));
        }
    }

    /// The reference forecasters per horizon, scored on the backtest's rows.
    pub fn anchors(&mut self, a: &Anchors) {
        self.line(&format!(
            "\n== Referencias: statsforecast {} (ventana de {} meses), orígenes {} … {}",
            a.statsforecast, a.window, a.first_origin, a.last_origin
        ));
        for s in &a.scores {
            self.line(&format!("\n-- {} (por horizonte)", s.name));
            self.horizons(&s.horizons);
        }
    }

    pub fn seed(&mut self, r: &SeedReport) {
        self.line("\n== Protocolo seed (réplica del servicio original: partición aleatoria 80/20, CV de 3 bloques, R²)");
        self.grid(&r.evaluation.grid);
        self.selected_names(&r.model.method);
        self.comparison("Prueba", &r.evaluation.comparison);
    }

    fn evaluation(&mut self, e: &Evaluation) {
        self.line(&format!(
            "\nOrígenes {} … {}: en cada origen cada candidato se ajusta solo con los meses anteriores y pronostica 1 a 12 meses.",
            e.first_origin, e.last_origin
        ));
        self.line("Resumen a 1, 3, 6 y 12 meses (MAE ÷ MAE del ingenuo; cobertura del intervalo 80 %):");
        self.line(&format!("{:<56} {:>13} {:>13} {:>13} {:>13} {:>7}", "pronóstico", "h=1", "h=3", "h=6", "h=12", "elegible"));
        let cell = |s: &[HorizonScore], h: u32| {
            s.iter().find(|x| x.horizon == h).map_or_else(|| "–".to_string(), |x| format!("{:.3} {:>5}", x.mae_over_naive, percent(x.coverage80)))
        };
        for c in &e.candidates {
            let row = format!(
                "{:<56} {:>13} {:>13} {:>13} {:>13} {:>7}",
                c.label,
                cell(&c.horizons, 1),
                cell(&c.horizons, 3),
                cell(&c.horizons, 6),
                cell(&c.horizons, 12),
                if c.kept { "sí" } else { "no" }
            );
            self.line(&row);
        }
        for r in &e.rules {
            let row = format!(
                "{:<56} {:>13} {:>13} {:>13} {:>13} {:>7}",
                format!("regla: {}", r.label).chars().take(56).collect::<String>(),
                cell(&r.horizons, 1),
                cell(&r.horizons, 3),
                cell(&r.horizons, 6),
                cell(&r.horizons, 12),
                format!("{:.4}", r.score)
            );
            self.line(&row);
        }
        self.line(&format!("Procedimiento: {}", e.rule.label()));
        for c in &e.candidates {
            self.line(&format!("\n-- {} (por horizonte)", c.label));
            self.horizons(&c.horizons);
        }
        self.line("\n-- procedimiento recomendado (por horizonte)");
        self.horizons(&e.horizons);
        self.comparison("\nProcedimiento a 1 mes, todos los orígenes", &e.comparison);
        for w in &e.windows {
            self.comparison(&format!("Procedimiento a 1 mes, {} … {}", w.first, w.last), &w.comparison);
        }
        self.line("\nCandidato por origen:");
        for c in &e.choices {
            self.line(&format!("  {}  {}: {}", c.origin, c.candidate.label(), c.how));
        }
    }

    pub fn honest(&mut self, r: &HonestReport) {
        self.line("\n== Protocolo honesto (backtest anidado por horizonte)");
        self.line("En cada origen t, cada candidato se ajusta solo con meses anteriores a t (incluida la elección de sus");
        self.line("parámetros) y pronostica t … t+11; cada regla (elegir en t el candidato cuyo error a 1–12 meses en los 36");
        self.line("meses anteriores fue menor frente al ingenuo, o usar siempre el mismo) da un procedimiento. Las bandas del");
        self.line("80 % y 50 % de un candidato en t: simétricas en logaritmos, de semiancho c·h^b ajustado a los cuantiles de sus");
        self.line("errores absolutos en logaritmos a cada horizonte en los 48 orígenes anteriores cuyo mes ya se conocía en t.");
        self.evaluation(&r.evaluation);
        self.line("\nModelo recomendado: la regla del procedimiento aplicada al final de los datos.");
        self.line(&r.evaluation.reason);
        let m = &r.model;
        self.line(&format!("Modelo: {} ({})", m.name, m.method.describe()));
        self.line(&format!("Necesita: {}", m.needs()));
        for b in &m.bands {
            self.line(&format!(
                "  h={:>2}: 80 % {:+.2} % … {:+.2} %, 50 % {:+.2} % … {:+.2} % ({} errores)",
                b.horizon,
                100.0 * b.below80,
                100.0 * b.above80,
                100.0 * b.below50,
                100.0 * b.above50,
                b.errors
            ));
        }
        self.selected_names(&m.method);
    }
}
