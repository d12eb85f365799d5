//! «¿Por qué este precio?»: a forecast's own arithmetic
//! ([`leche_core::forecast::explanation`]) in a producer's words and pesos,
//! the band in words, and the recommended model's parts as pictures.
//!
//! Every number is computed from the model and the tables, none typed. The
//! pesos of a step add up exactly, as shown, to the forecast shown: each
//! part becomes the pesos it adds (a change of the running price, or a term
//! of a sum), and the rounding to cents is shared out so that the rounded
//! lines sum to the rounded forecast ([`Reading::cents`]). The exact
//! forecast rides in `data-value`, as on the results table, for tests to
//! compare bits.

use leche_core::forecast::explanation::{Base, Explanation, Group, Link, Part, Step};
use leche_core::forecast::seasonal_drift::{DriftRule, SeasonSpread};
use leche_core::{Database, Forecast, ForecastError, Model, Month};

use crate::view::chart::{escape, month_x, svg, year_labels, Band, Chart, Labels, Line, Mark};
use crate::view::format::{clp, count, exact, month_long, number};
use crate::view::plots::HALF;

/// The parameter of a predict link that opens «¿Por qué?» for a month.
pub const PARAM: &str = "porque";

/// `hash` without «¿Por qué?» (what closing it leaves; an empty hash is
/// the home page's).
pub fn close_hash(hash: &str) -> String {
    let h = if hash.is_empty() || hash == "#" { "#/" } else { hash };
    let (path, params) = h.split_once('?').unwrap_or((h, ""));
    let kept: Vec<&str> = params.split('&').filter(|p| !p.is_empty() && p.split('=').next() != Some(PARAM)).collect();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

/// The «¿Por qué?» link beside the forecast of `month`: `hash`, a predict
/// hash with parameters that names the model shown (`#/?modelo=…`, or the
/// query's `#/?q=…&modelo=…`), with `porque` added (a later `porque` wins).
/// Built here in the home module, so kept to one `format!`.
pub fn link_html(hash: &str, month: Month, id: &str) -> String {
    format!(
        "<a class=\"why-link\" id=\"{id}\" href=\"{}&amp;{PARAM}={month}\" aria-label=\"¿Por qué este pronóstico para {}?\">¿Por qué?</a>",
        escape(hash),
        month_long(month)
    )
}

/// One line of a step: what it is, the pesos it adds, and the change it
/// stands for (a share: 0.039 = +3,9 %) where it is one.
#[derive(Clone, Debug, PartialEq)]
pub struct Addend {
    pub label: String,
    pub pesos: f64,
    pub change: Option<f64>,
}

/// A step as a producer reads it: a starting price, then lines that add to
/// the forecast (or, for a median, the members' forecasts and the middle one).
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub month: Month,
    pub start: Option<(String, f64)>,
    pub addends: Vec<Addend>,
    pub value: f64,
    pub median: bool,
}

const MONTHS: [&str; 12] =
    ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];

fn month_name(m: u32) -> &'static str {
    MONTHS[(m as usize + 11) % 12]
}

fn base_label(b: &Base) -> String {
    if b.forecast {
        format!("pronóstico de {}", month_long(b.month))
    } else {
        format!("precio de {}", month_long(b.month))
    }
}

fn group_label(g: Group) -> &'static str {
    match g {
        Group::Prices => "precios anteriores de la leche",
        Group::Rainfall => "precipitaciones",
        Group::CentralBank => "Banco Central (PIB, Imacec, IVCM)",
        Group::Calendar => "mes del año",
        Group::Mixed => "combinaciones de fuentes",
    }
}

/// What a part is called, in a step linked by `link`.
fn part_label(part: &Part, link: Link) -> String {
    match part {
        Part::Season(m) if link == Link::LogChange => format!("cambio habitual de {} a {}", month_name(m + 11), month_name(*m)),
        Part::Season(m) => format!("estación de {}", month_name(*m)),
        Part::Drift => "tendencia de largo plazo".into(),
        Part::Momentum => "parte de la sorpresa del mes anterior".into(),
        Part::LastYear => "cambio del mismo mes el año pasado".into(),
        Part::Term { group, .. } => group_label(*group).into(),
        Part::Constant => "constante del modelo".into(),
        Part::Level => "nivel de fondo del precio".into(),
        Part::Trend => "tendencia".into(),
        Part::Member(id) => id.label().into(),
        Part::Kept => "valor calculado al ajustar el modelo (este método no guarda sus partes)".into(),
    }
}

/// The terms of a sum gathered by what they are (a linear fit's terms by
/// group, in the order groups first appear, and its constants last;
/// everything else as it is).
fn gathered(parts: &[(Part, f64)], link: Link) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    let mut constant = None;
    for (part, v) in parts {
        let label = part_label(part, link);
        match (part, out.iter_mut().find(|(l, _)| *l == label)) {
            (Part::Constant, _) => *constant.get_or_insert(0.0) += v,
            (Part::Term { .. }, Some(line)) => line.1 += v,
            _ => out.push((label, *v)),
        }
    }
    out.extend(constant.map(|c| (part_label(&Part::Constant, link), c)));
    out
}

/// A step's reading: its parts as pesos.
pub fn reading(step: &Step) -> Reading {
    let value = step.value();
    let mut r = Reading { month: step.month, start: step.base.map(|b| (base_label(&b), b.price)), addends: Vec::new(), value, median: false };
    // A chain of changes: each adds what it moves the running price by; the
    // last one ends exactly at the forecast.
    let chain = |r: &mut Reading, from: f64, parts: &[(Part, f64)], link: Link| {
        let mut running = from;
        for (i, (part, v)) in parts.iter().enumerate() {
            let next = if i + 1 == parts.len() { value } else { running * libm::exp(*v) };
            r.addends.push(Addend { label: part_label(part, link), pesos: next - running, change: Some(libm::expm1(*v)) });
            running = next;
        }
    };
    match step.link {
        Link::Same => {}
        Link::LogChange => {
            let from = r.start.as_ref().map_or(f64::NAN, |s| s.1);
            chain(&mut r, from, &step.parts, step.link);
        }
        Link::LogLevel => {
            let (level, rest) = match step.parts.split_first() {
                Some(((Part::Level, l), rest)) => (libm::exp(*l), rest),
                _ => (1.0, &step.parts[..]),
            };
            r.start = Some((part_label(&Part::Level, step.link), level));
            chain(&mut r, level, rest, step.link);
        }
        Link::Change { weight } => {
            let base = r.start.as_ref().map_or(f64::NAN, |s| s.1);
            r.addends = gathered(&step.parts, step.link)
                .into_iter()
                .map(|(label, v)| Addend { label, pesos: base * weight * v, change: Some(weight * v) })
                .collect();
        }
        Link::Level => r.addends = gathered(&step.parts, step.link).into_iter().map(|(label, v)| Addend { label, pesos: v, change: None }).collect(),
        Link::Median => {
            r.median = true;
            r.addends = step.parts.iter().map(|(p, v)| Addend { label: part_label(p, step.link), pesos: *v, change: None }).collect();
        }
    }
    r
}

impl Reading {
    /// The start and each line in whole cents, rounded so that they sum to
    /// the forecast's rounded cents: each is rounded down, and the cents
    /// left over go to the largest remainders (a median's lines are rounded each on its own).
    pub fn cents(&self) -> (Option<i64>, Vec<i64>) {
        let exact: Vec<f64> = self.start.iter().map(|s| s.1).chain(self.addends.iter().map(|a| a.pesos)).map(|v| v * 100.0).collect();
        let mut cents: Vec<i64> = exact.iter().map(|v| v.floor() as i64).collect();
        if !self.median {
            let target = (self.value * 100.0).round() as i64;
            let mut order: Vec<usize> = (0..exact.len()).collect();
            order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
            let short = target - cents.iter().sum::<i64>();
            for &i in order.iter().cycle().take(short.unsigned_abs() as usize) {
                cents[i] += short.signum();
            }
        } else {
            cents = exact.iter().map(|v| v.round() as i64).collect();
        }
        let start = self.start.as_ref().map(|_| cents.remove(0));
        (start, cents)
    }
}

fn pesos(cents: i64) -> String {
    number(cents as f64 / 100.0, 2)
}

fn signed_pesos(cents: i64) -> String {
    let s = pesos(cents.abs());
    match cents.signum() {
        1 => format!("+{s}"),
        -1 => format!("−{s}"),
        _ => s,
    }
}

/// A change as a signed percentage, with two decimals below 1 % (the sign
/// is a true minus, the space before «%» does not break).
pub fn change_text(share: f64) -> String {
    let pct = share * 100.0;
    let s = number(pct.abs(), if pct.abs() < 1.0 { 2 } else { 1 });
    if s.chars().all(|c| c == '0' || c == ',') {
        return format!("{s}\u{a0}%");
    }
    format!("{}{s}\u{a0}%", if pct < 0.0 { "−" } else { "+" })
}

/// A step in one line: «295,24 (precio de febrero de 2021) → cambio
/// habitual de febrero a marzo +3,9 % → tendencia de largo plazo +0,40 %
/// al mes → 307,99»; a sum without a starting price, «Banco Central
/// −4,12; precios anteriores de la leche +96,43; constante del modelo
/// +226,53 → 318,84»; a median, its members then the middle one.
pub fn arrows(r: &Reading) -> String {
    let mut out = r.start.as_ref().map(|(label, v)| format!("{} ({label})", clp(*v))).unwrap_or_default();
    for a in &r.addends {
        let what = match a.change {
            Some(c) => format!("{} {}", a.label, change_text(c)),
            None if r.median => format!("{} {}", a.label, clp(a.pesos)),
            None => format!("{} {}", a.label, signed_pesos((a.pesos * 100.0).round() as i64)),
        };
        if !out.is_empty() {
            out.push_str(if a.change.is_some() { " → " } else { "; " });
        }
        out.push_str(&what);
        if a.label == part_label(&Part::Drift, Link::LogChange) {
            out.push_str(" al mes");
        }
    }
    if r.median {
        out.push_str(&format!(" → el del medio: {}", clp(r.value)));
    } else {
        out.push_str(&format!(" → {}", clp(r.value)));
    }
    out
}

/// The table of a step in pesos: start, each line, and the forecast they sum to.
fn sum_table(r: &Reading) -> String {
    let (start, cents) = r.cents();
    let mut rows = String::new();
    if let (Some((label, _)), Some(c)) = (&r.start, start) {
        rows.push_str(&format!("<tr class=\"start\"><th scope=\"row\">{}</th><td class=\"num\">{}</td></tr>", escape(&capitalize_first(label)), pesos(c)));
    }
    for (a, c) in r.addends.iter().zip(cents) {
        let change = a.change.map(|c| format!(" ({})", change_text(c))).unwrap_or_default();
        let shown = if r.median || r.start.is_none() && r.addends.len() == 1 { pesos(c) } else { signed_pesos(c) };
        rows.push_str(&format!(
            "<tr class=\"part\" data-pesos=\"{}\"><th scope=\"row\">{}{}</th><td class=\"num\">{shown}</td></tr>",
            exact(Some(a.pesos)),
            escape(&capitalize_first(&a.label)),
            escape(&change)
        ));
    }
    let total = if r.median { "El del medio (mediana)" } else { "Suma: pronóstico" };
    rows.push_str(&format!(
        "<tr class=\"total\"><th scope=\"row\">{total}</th><td class=\"num\" data-value=\"{}\">{}</td></tr>",
        exact(Some(r.value)),
        clp(r.value)
    ));
    format!("<table class=\"why-sum\" data-month=\"{}\"><tbody>{rows}</tbody></table>", r.month)
}

fn capitalize_first(text: &str) -> String {
    crate::view::format::capitalize(text)
}

/// How the form computes, in one sentence before its steps.
fn how(e: &Explanation, model: &Model) -> String {
    let step = e.steps.last();
    let chain = e.steps.len() > 1;
    let what = match step.map(|s| s.link) {
        Some(Link::LogChange) if model.method.form::<DriftRule>().is_some() => {
            "Este modelo toma el último precio y le aplica, mes a mes, el cambio habitual de ese mes del año y la tendencia de largo plazo."
        }
        Some(Link::LogChange | Link::Change { .. } | Link::Same) => "Este modelo parte del último precio y le aplica un cambio calculado con los precios anteriores.",
        Some(Link::LogLevel) => "Este modelo parte del nivel de fondo del precio (suavizado y sin estación) y le suma la tendencia y la estación del mes.",
        Some(Link::Level) if model.method.candidate().one_step_only() => {
            "La réplica del modelo original suma el aporte de cada dato que eligió entre las precipitaciones, el Banco Central y los precios de los tres meses anteriores, más una constante; pronostica solo el mes siguiente a sus datos."
        }
        Some(Link::Level) => "Este modelo guarda sus pronósticos al ajustarse.",
        Some(Link::Median) => "Este modelo pronostica con tres métodos y se queda con el del medio.",
        None => "",
    };
    if chain {
        format!("{what} Para {} encadena {} pasos: cada mes parte del pronóstico del mes anterior.", month_long(e.month), count(e.steps.len()))
    } else {
        what.to_string()
    }
}

/// The band in words: where past errors at this horizon fell, and the band
/// it gives the forecast.
pub fn band_html(model: &Model, f: &Forecast) -> String {
    let (Some(b), Some(b80), Some(b50)) = (model.band(f.horizon), f.band80, f.band50) else {
        return "<p id=\"why-band\">Este modelo no tiene banda: no se evaluó con pronósticos pasados.</p>".into();
    };
    let months = if f.horizon == 1 { "1 mes".to_string() } else { format!("{} meses", f.horizon) };
    format!(
        concat!(
            "<p id=\"why-band\" data-lower=\"{l80}\" data-upper=\"{u80}\">8 de cada 10 errores de {n} pronósticos pasados a {months} estuvieron entre ",
            "<strong>{below80}</strong> y <strong>{above80}</strong> (ajustado para que la banda crezca pareja con la distancia y según cuánto se mueve el precio hoy); ",
            "por eso la banda de 80 % va de <strong>{lo80}</strong> a <strong>{hi80}</strong> CLP/litro. ",
            "La mitad de esos errores estuvo entre {below50} y {above50}: la banda de 50 % va de {lo50} a {hi50}.</p>"
        ),
        months = months,
        l80 = exact(Some(b80.lower)),
        u80 = exact(Some(b80.upper)),
        n = count(b.errors),
        below80 = change_text(b.below80),
        above80 = change_text(b.above80),
        lo80 = clp(b80.lower),
        hi80 = clp(b80.upper),
        below50 = change_text(b.below50),
        above50 = change_text(b.above50),
        lo50 = clp(b50.lower),
        hi50 = clp(b50.upper),
    )
}

/// The recommended model's season as a picture: each calendar month's usual
/// change (a point), and the range of that month's changes over the years
/// it was measured on, less the trend (a band).
pub fn season_chart(spread: &[SeasonSpread]) -> Chart {
    let pct = |v: f64| libm::expm1(v) * 100.0;
    let mut c = Chart::new(HALF, 220.0);
    c.left = 40.0;
    c.bottom = 24.0;
    c.x_domain = Some((1.0, 12.0));
    c.x_ticks = [1u32, 3, 5, 7, 9, 11].iter().map(|&m| (f64::from(m), month_name(m)[..3].to_string())).collect();
    c.y_decimals = 0;
    let range = |s: &SeasonSpread| {
        let values = s.years.iter().map(|y| pct(y.1));
        values.fold(None, |acc: Option<(f64, f64)>, v| Some(acc.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v)))))
    };
    c.bands.push(Band { class: "fan80".into(), points: spread.iter().filter_map(|s| range(s).map(|(lo, hi)| (f64::from(s.month), lo, hi))).collect() });
    c.lines.push(Line { class: "predicted".into(), name: "cambio habitual".into(), points: spread.iter().map(|s| (f64::from(s.month), pct(s.usual))).collect() });
    c.marks = spread
        .iter()
        .map(|s| {
            let years = match (s.years.first(), s.years.last(), range(s)) {
                (Some(a), Some(b), Some((lo, hi))) => format!(" (entre {} y {} en {}–{})", change_text(lo / 100.0), change_text(hi / 100.0), a.0.year(), b.0.year()),
                _ => String::new(),
            };
            Mark {
                class: "point",
                x: f64::from(s.month),
                y: pct(s.usual),
                radius: 3.5,
                label: format!("{}: cambio habitual {}{years}", crate::view::format::capitalize(month_name(s.month)), change_text(libm::expm1(s.usual))),
                month: None,
                value: Some(pct(s.usual)),
                tab_stop: true,
            }
        })
        .collect();
    c
}

/// The long-run trend as a picture: the prices of the window the drift was
/// measured on and the steady growth at the drift between its ends.
pub fn trend_chart(db: &Database, rule: &DriftRule, first: Month, last: Month) -> Chart {
    let mut c = Chart::new(HALF, 220.0);
    c.left = 40.0;
    c.bottom = 24.0;
    c.x_domain = Some((month_x(first), month_x(last)));
    c.x_ticks = year_labels(first, last, 4);
    let real: Vec<(f64, f64)> = db.milk_price.range(first..=last).filter_map(|(m, v)| Some((month_x(*m), *v.first()?))).collect();
    let start = db.price(first).unwrap_or(f64::NAN);
    let trend: Vec<(f64, f64)> = first.through(last).enumerate().map(|(i, m)| (month_x(m), start * libm::exp(rule.drift * i as f64))).collect();
    c.lines.push(Line { class: "real".into(), name: "precio".into(), points: real });
    c.lines.push(Line { class: "predicted".into(), name: "tendencia".into(), points: trend });
    c
}

/// The model's parts as pictures, for the recommended rule only (other
/// forms have no season and drift to draw).
fn parts_html(model: &Model, db: &Database) -> String {
    let (Some(rule), Some(last), Some(from)) = (model.method.form::<DriftRule>(), model.trained_to, model.trained_from) else { return String::new() };
    let spread = rule.spread(db, last);
    let years: usize = spread.iter().map(|s| s.years.len()).max().unwrap_or(0);
    let season = svg(
        &season_chart(&spread),
        &Labels {
            id: "why-season".into(),
            title: "Cambio habitual de cada mes".into(),
            desc: format!("Para cada mes del año, el cambio habitual del precio respecto del mes anterior (punto) y, en la franja, del menor al mayor cambio de ese mes en los {years} años medidos, descontada la tendencia."),
            months: None,
        },
    );
    let trend = svg(
        &trend_chart(db, rule, from, last),
        &Labels {
            id: "why-trend".into(),
            title: "Tendencia de largo plazo".into(),
            desc: format!("Precio de {} a {} y la tendencia de {} al mes que une sus extremos.", from, last, change_text(libm::expm1(rule.drift))),
            months: Some((from, last)),
        },
    );
    format!(
        concat!(
            "<h3 id=\"why-parts-title\">Las partes del modelo</h3>",
            "<figure class=\"why-figure\"><figcaption>Cambio habitual de cada mes del año respecto del anterior, en % (puntos) y, en la franja, del menor al mayor cambio de ese mes en los últimos {years} años, descontada la tendencia.</figcaption>{season}</figure>",
            "<figure class=\"why-figure\"><figcaption>Tendencia de largo plazo: <strong>{monthly} al mes</strong> ({yearly} al año), lo que subió en promedio el precio de {first} a {last}.</figcaption>{trend}</figure>"
        ),
        years = count(years),
        season = season,
        monthly = change_text(libm::expm1(rule.drift)),
        yearly = change_text(libm::expm1(12.0 * rule.drift)),
        first = from,
        last = last,
        trend = trend,
    )
}

/// The whole «¿Por qué?» of `model`'s forecast of `month`: the sentence of
/// how it computes, each step in one line, the last step in pesos that add
/// up to the forecast, the band in words and the model's parts.
pub fn why_html(model: &Model, db: &Database, month: Month) -> Result<String, ForecastError> {
    let f = model.forecast(db, month)?;
    let e = model.explain(db, month)?;
    let readings: Vec<Reading> = e.steps.iter().map(reading).collect();
    let mut out = format!(
        "<h2 id=\"why-title\" data-month=\"{month}\" data-value=\"{}\">¿Por qué {} CLP/litro en {}?</h2><p class=\"why-how\">{}</p>",
        exact(Some(f.predicted)),
        clp(f.predicted),
        escape(&month_long(month)),
        escape(&how(&e, model))
    );
    if readings.len() > 1 {
        out.push_str("<ol class=\"why-chain\">");
        for r in &readings {
            out.push_str(&format!("<li data-month=\"{}\" data-value=\"{}\"><strong>{}:</strong> {}</li>", r.month, exact(Some(r.value)), escape(&crate::view::format::capitalize(&month_long(r.month))), escape(&arrows(r))));
        }
        out.push_str("</ol>");
    } else if let Some(r) = readings.first() {
        out.push_str(&format!("<p class=\"why-line\">{}</p>", escape(&arrows(r))));
    }
    if let Some(r) = readings.last() {
        out.push_str(&format!("<p class=\"hint\">En pesos por litro{}:</p>", if readings.len() > 1 { format!(", el último paso ({})", month_long(r.month)) } else { String::new() }));
        out.push_str(&sum_table(r));
    }
    out.push_str("<h3>¿Por qué esa banda?</h3>");
    out.push_str(&band_html(model, &f));
    out.push_str(&parts_html(model, db));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use leche_core::artifact::{DatabaseArtifact, ModelsArtifact};
    use leche_core::forecast::explanation::Link;
    use leche_core::ModelId;

    const DATABASE: &str = include_str!("../../public/artifacts/database.json");
    const MODELS: &str = include_str!("../../public/artifacts/models.json");

    fn shipped() -> (Database, Vec<Model>) {
        let db: DatabaseArtifact = serde_json::from_str(DATABASE).expect("database artifact");
        let models: ModelsArtifact = serde_json::from_str(MODELS).expect("models artifact");
        (db.tables, models.models)
    }

    fn model(models: &[Model], id: ModelId) -> &Model {
        models.iter().find(|m| m.id == id).expect("shipped model")
    }

    /// The line for the recommended model's next month, every
    /// number from the rule and the tables: «295,24 (precio de febrero de
    /// 2021) → cambio habitual de febrero a marzo +3,9 % → tendencia de
    /// largo plazo +0,40 % al mes → 307,99».
    #[test]
    fn the_recommended_models_next_month_reads_last_price_season_and_trend() {
        let (db, models) = shipped();
        let model = model(&models, ModelId::Recommended);
        let rule = model.method.form::<DriftRule>().expect("the recommended model is the seasonal drift rule");
        let next = model.next_month(&db).expect("next month");
        let f = model.forecast(&db, next).expect("forecast");
        let html = why_html(model, &db, next).expect("explained");
        let last = next.prev();
        let line = format!(
            "{} (precio de {}) → cambio habitual de {} a {} {} → tendencia de largo plazo {} al mes → {}",
            clp(db.price(last).expect("last price")),
            month_long(last),
            month_name(last.month()),
            month_name(next.month()),
            change_text(libm::expm1(rule.season[next.month() as usize - 1])),
            change_text(libm::expm1(rule.drift)),
            clp(f.predicted)
        );
        assert!(html.contains(&format!("<p class=\"why-line\">{}</p>", escape(&line))), "{line}\n{html}");
        assert!(html.contains(&format!("<h2 id=\"why-title\" data-month=\"{next}\" data-value=\"{}\">", exact(Some(f.predicted)))));
        // The band in words, from the horizon's errors and the forecast's band.
        let (b, b80) = (model.band(1).expect("band"), f.band80.expect("80 % band"));
        for text in [change_text(b.below80), change_text(b.above80), clp(b80.lower), clp(b80.upper), count(b.errors)] {
            assert!(html.contains(&text), "{text}");
        }
        // The parts as pictures: twelve calendar months, and the trend.
        assert!(html.contains("<svg id=\"why-season\"") && html.contains("data-marks=\"12\""));
        assert!(html.contains("<svg id=\"why-trend\""));
        assert!(html.contains(&format!("{} al mes", change_text(libm::expm1(rule.drift)))));
    }

    /// For h > 1 the chain runs month by month, each from the one before.
    #[test]
    fn a_later_month_chains_its_steps_from_the_month_after_the_last_price() {
        let (db, models) = shipped();
        let model = model(&models, ModelId::Recommended);
        let next = model.next_month(&db).expect("next month");
        let third = next.offset(2);
        let html = why_html(model, &db, third).expect("explained");
        assert_eq!(html.matches("<li data-month=").count(), 3);
        let first = model.forecast(&db, next).expect("forecast").predicted;
        let second = model.forecast(&db, next.next()).expect("forecast").predicted;
        assert!(html.contains(&format!("{} (pronóstico de {})", clp(first), month_long(next))), "{html}");
        assert!(html.contains(&format!("{} (pronóstico de {})", clp(second), month_long(next.next()))));
        assert!(html.contains("encadena 3 pasos"));
    }

    /// Every step of every shipped forecast (the history and the fan of
    /// both models): the pesos shown add up, cent for cent, to the forecast
    /// shown, and before rounding to within a rounding error of it.
    #[test]
    fn every_shipped_step_adds_up_to_its_forecast_in_cents() {
        let (db, models) = shipped();
        let mut steps = 0;
        for model in &models {
            for f in model.history_and_fan(&db) {
                let e = model.explain(&db, f.month).expect("explained");
                assert_eq!(e.value().to_bits(), f.predicted.to_bits(), "{} {}", model.id.key(), f.month);
                for step in &e.steps {
                    let r = reading(step);
                    assert!(!r.median);
                    let (start, cents) = r.cents();
                    let shown = (r.value * 100.0).round() as i64;
                    assert_eq!(start.unwrap_or(0) + cents.iter().sum::<i64>(), shown, "{} {}: {r:?}", model.id.key(), step.month);
                    let exact = r.start.as_ref().map_or(0.0, |s| s.1) + r.addends.iter().map(|a| a.pesos).sum::<f64>();
                    assert!((exact - r.value).abs() < 1e-9 * r.value.abs(), "{exact} vs {}", r.value);
                    steps += 1;
                }
            }
        }
        assert!(steps > 150, "{steps}");
    }

    /// The replica's forecast is its terms by source and its constant.
    #[test]
    fn the_replica_sums_its_contributions_by_source() {
        let (db, models) = shipped();
        let model = model(&models, ModelId::Replica);
        let next = model.next_month(&db).expect("next month");
        let e = model.explain(&db, next).expect("explained");
        assert_eq!(e.steps.len(), 1);
        assert_eq!(e.steps[0].link, Link::Level);
        let r = reading(&e.steps[0]);
        let labels: Vec<&str> = r.addends.iter().map(|a| a.label.as_str()).collect();
        assert_eq!(labels.last(), Some(&"constante del modelo"));
        let sources = [group_label(Group::Rainfall), group_label(Group::CentralBank), group_label(Group::Prices), group_label(Group::Mixed)];
        assert!(labels[..labels.len() - 1].iter().all(|l| sources.contains(l)), "{labels:?}");
        // Each source once: its terms are gathered.
        let mut unique = labels.clone();
        unique.dedup();
        assert_eq!(unique.len(), labels.len());
        let html = why_html(model, &db, next).expect("explained");
        assert!(html.contains("Este modelo no tiene banda"));
        assert!(!html.contains("why-season"));
    }

    #[test]
    fn cents_are_shared_out_to_the_largest_remainders() {
        let r = Reading {
            month: "2021-03".parse().expect("month"),
            start: Some(("precio".into(), 100.004)),
            addends: vec![
                Addend { label: "a".into(), pesos: 0.333, change: None },
                Addend { label: "b".into(), pesos: 0.338, change: None },
            ],
            value: 100.675,
            median: false,
        };
        // Floors 10000 + 33 + 33 = 10066, short of the forecast's cents: the
        // first missing cent goes to b (remainder 0,8), the next to the start (0,4).
        let (start, cents) = r.cents();
        assert_eq!(start.unwrap_or(0) + cents.iter().sum::<i64>(), (100.675f64 * 100.0).round() as i64);
        assert_eq!(cents[1], 34);
    }

    #[test]
    fn the_link_opens_for_its_month_keeping_the_query_and_closing_drops_it() {
        let m: Month = "2021-02".parse().expect("month");
        let link = link_html("#/?q=2021-01+2021-03&modelo=recommended", m, "x");
        let open = "#/?q=2021-01+2021-03&modelo=recommended&porque=2021-02";
        assert!(link.contains(&format!("href=\"{}\"", escape(open))), "{link}");
        let r = crate::view::route::parse(open);
        assert_eq!((r.why, r.model, r.query.as_deref()), (Some(m), Some(ModelId::Recommended), Some("2021-01 2021-03")));
        assert_eq!(close_hash(open), "#/?q=2021-01+2021-03&modelo=recommended");
        // A link made while another month's was open: the later one wins, and closing drops both.
        let again = "#/?modelo=replica&porque=2021-01&porque=2021-02";
        assert_eq!(crate::view::route::parse(again).why, Some(m));
        assert_eq!(close_hash(again), "#/?modelo=replica");
        assert_eq!(close_hash("#/?porque=2021-02"), "#/");
        assert_eq!(crate::view::route::parse("#/?porque=2021-13").why, None);
    }

    #[test]
    fn the_season_chart_draws_each_calendar_month_with_its_spread() {
        let (db, models) = shipped();
        let model = model(&models, ModelId::Recommended);
        let rule = model.method.form::<DriftRule>().expect("seasonal drift");
        let spread = rule.spread(&db, model.trained_to.expect("trained"));
        assert_eq!(spread.len(), 12);
        assert!(spread.iter().all(|s| s.years.len() == 10), "ten years measured for each month");
        let c = season_chart(&spread);
        assert_eq!(c.marks.len(), 12);
        for (mark, s) in c.marks.iter().zip(&spread) {
            assert_eq!(mark.value, Some(libm::expm1(s.usual) * 100.0));
            assert!(mark.label.starts_with(&capitalize_first(month_name(s.month))), "{}", mark.label);
        }
        let band = &c.bands[0].points;
        assert_eq!(band.len(), 12);
        assert!(band.iter().zip(&c.marks).all(|(b, m)| b.1 <= b.2 && m.x == b.0));
    }

    #[test]
    fn changes_read_with_their_sign_and_enough_decimals() {
        assert_eq!(change_text(0.039), "+3,9\u{a0}%");
        assert_eq!(change_text(0.004), "+0,40\u{a0}%");
        assert_eq!(change_text(-0.041), "−4,1\u{a0}%");
        assert_eq!(change_text(0.0), "0,00\u{a0}%");
    }
}
