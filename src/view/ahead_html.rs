//! "Próximos meses", the first thing on the home page, as markup: the next
//! month's forecast with its 50 % and 80 % bands, the fan chart of the
//! months after the last price, and the same numbers as a table. One
//! renderer for the live page ([`crate::routes::predict`]) and for the
//! snapshot written into `index.html` ([`crate::view::snapshot`]), so the two show
//! the same forecast to the cent, with the same element ids: the app takes
//! the snapshot's nodes over rather than drawing a second copy.

use leche_core::{Band, Database, Forecast, Month, MAX_HORIZON};

use crate::view::chart::{escape, svg, svg_classed, Labels};
use crate::view::format::{band, clp, exact, month_long};
use crate::view::explanation;
use crate::view::freshness;
use crate::view::plots;

/// The headline, the data's last month (and age, when `today` is known:
/// the snapshot cannot know it) and the fan's legend; the fan itself is
/// [`fan_html`]. `why`: the hash naming the fan's model (`#/?modelo=…`),
/// for the «¿Por qué?» link beside the headline.
pub fn head_html(db: &Database, fan: &[Forecast], today: Option<Month>, why: Option<&str>) -> String {
    let mut out = "<h2 id=\"headline-title\">Próximos meses</h2>".to_string();
    let Some(next) = fan.first() else {
        out.push_str("<p id=\"headline\" data-month=\"\" data-value=\"\">No hay datos suficientes para pronosticar el próximo mes.</p>");
        return out;
    };
    let span = |id: &str, b: Option<Band>, text: &str| {
        b.map(|b| {
            format!(
                "<span id=\"{id}\" data-lower=\"{}\" data-upper=\"{}\">{text}{} – {}</span>",
                exact(Some(b.lower)),
                exact(Some(b.upper)),
                clp(b.lower),
                clp(b.upper)
            )
        })
        .unwrap_or_default()
    };
    let close = if next.band80.is_some() || next.band50.is_some() { ")" } else { "" };
    out.push_str(&format!(
        "<p id=\"headline\" data-month=\"{m}\" data-value=\"{v}\">Pronóstico para <strong>{long}</strong> ({m}): <strong class=\"big\">{p} CLP/litro</strong>{b80}{b50}{close}</p>",
        m = next.month,
        v = exact(Some(next.predicted)),
        long = escape(&month_long(next.month)),
        p = clp(next.predicted),
        b80 = span("headline-interval", next.band80, " (80 %: "),
        b50 = span("headline-band50", next.band50, if next.band80.is_some() { "; 50 %: " } else { " (50 %: " }),
    ));
    if let Some(hash) = why {
        out.push_str(&format!("<p class=\"why-open\">{}</p>", explanation::link_html(hash, next.month, "headline-why")));
    }
    out.push_str(&freshness::data_line_html(db, today));
    out.push_str(concat!(
        "<p class=\"legend hint\"><span class=\"legend-item\"><span class=\"key real\"></span> real</span> <span class=\"legend-item\"><span class=\"key predicted\"></span> pronóstico</span> ",
        "<span class=\"legend-item\"><span class=\"key fan50\"></span> 50 %</span> <span class=\"legend-item\"><span class=\"key fan80\"></span> 80 %</span></p>"
    ));
    out
}

/// The snapshot's fan is drawn for a box this wide when the box is
/// narrower than [`crate::view::chart::NARROW`] (else at its design width)
/// and scaled to the box; style.css steps its text size with the box.
pub const FAN_NARROW_DESIGN: f64 = 300.0;

/// The fan chart, drawn for a box `width` CSS px wide; with no width (the
/// snapshot, which cannot measure, and the app before it has) twice: for a
/// narrow box and a wide one, of which style.css shows the one that fits
/// (`fan-narrow`, `fan-wide`). Either way the box has the height the app
/// draws it at once measured, so nothing moves when the app takes over.
pub fn fan_html(db: &Database, fan: &[Forecast], width: Option<f64>) -> String {
    let (Some(chart), Some(next), Some(last)) = (plots::fan(db, fan), fan.first(), fan.last()) else { return String::new() };
    let labels = |id: &str| Labels {
        id: id.to_string(),
        title: "Los próximos meses".into(),
        desc: format!(
            "Precio real de los últimos {} meses y pronóstico de {} a {} ({} meses) con bandas de 50 % y 80 %; los valores están en la tabla.",
            plots::FAN_HISTORY,
            next.month,
            last.month,
            fan.len()
        ),
        months: Some((next.month, last.month)),
    };
    match width {
        Some(w) => svg(&chart.at_width(w), &labels("fan-chart")),
        None => {
            let wide = svg_classed(&chart, &labels("fan-chart"), "fan-wide");
            wide + &svg_classed(&chart.at_width(FAN_NARROW_DESIGN), &labels("fan-chart-narrow"), "fan-narrow")
        }
    }
}

/// The table of the fan's months and the note on how far ahead and how sure.
pub fn tail_html(fan: &[Forecast]) -> String {
    let mut out = String::new();
    if !fan.is_empty() {
        out.push_str(concat!(
            "<details class=\"fan-table\"><summary>Ver los meses como tabla</summary><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Meses del pronóstico\"><table id=\"fan-table\">",
            "<thead><tr><th scope=\"col\">Mes</th><th scope=\"col\" class=\"num\">h</th><th scope=\"col\" class=\"num\">Pronóstico</th>",
            "<th scope=\"col\" class=\"num\">50 %</th><th scope=\"col\" class=\"num\">80 %</th></tr></thead><tbody>"
        ));
        for f in fan {
            let bounds = |b: Option<Band>| format!("data-lower=\"{}\" data-upper=\"{}\"", exact(b.map(|b| b.lower)), exact(b.map(|b| b.upper)));
            out.push_str(&format!(
                concat!(
                    "<tr data-month=\"{m}\"><th scope=\"row\" class=\"date\">{m}</th><td class=\"num horizon\" data-value=\"{h}\">h = {h}</td>",
                    "<td class=\"num predicted\" data-value=\"{v}\">{p}</td><td class=\"num band50\" {a50}>{b50}</td>",
                    "<td class=\"num band80\" {a80}>{b80}</td></tr>"
                ),
                m = f.month,
                h = f.horizon,
                v = exact(Some(f.predicted)),
                p = clp(f.predicted),
                a50 = bounds(f.band50),
                b50 = band(f.band50),
                a80 = bounds(f.band80),
                b80 = band(f.band80),
            ));
        }
        out.push_str("</tbody></table></div></details>");
    }
    let note = if fan.len() == 1 {
        "La réplica del modelo original pronostica solo el mes siguiente a sus datos: los meses posteriores necesitarían datos que aún no existen.".to_string()
    } else {
        format!(
            "Se pronostica hasta {MAX_HORIZON} meses después del último precio conocido; la banda de 80 % debería contener el precio real 8 de cada 10 veces y la de 50 %, la mitad (según los errores pasados del modelo a esa distancia)."
        )
    };
    out.push_str(&format!("<p class=\"note\" id=\"horizon-note\">{note}</p>"));
    out
}

/// What the line under the fan says before a point is tapped or hovered.
pub const DETAIL_HINT: &str = "Toque el gráfico o pase el cursor sobre él para ver cada mes.";

#[cfg(test)]
mod tests {
    use super::*;
    use leche_core::Month;

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    fn fan() -> (Database, Vec<Forecast>) {
        let mut db = Database::default();
        for (i, mo) in m("2019-01").through(m("2021-02")).enumerate() {
            db.milk_price.insert(mo, vec![250.0 + i as f64]);
        }
        let b = |v: f64, w: f64| Some(Band { lower: v - w, upper: v + w });
        let fan = (1..=12).map(|h| Forecast { month: m("2021-02").offset(h), horizon: h as u32, predicted: 308.3245, real: None, band80: b(308.3245, 16.0), band50: b(308.3245, 4.0) }).collect();
        (db, fan)
    }

    #[test]
    fn the_headline_names_the_month_its_forecast_and_both_bands() {
        let (db, fan) = fan();
        let html = head_html(&db, &fan, None, None);
        assert!(html.contains("<p id=\"headline\" data-month=\"2021-03\" data-value=\"308.3245\">Pronóstico para <strong>marzo de 2021</strong> (2021-03): <strong class=\"big\">308,32 CLP/litro</strong>"), "{html}");
        assert!(html.contains("<span id=\"headline-interval\" data-lower=\"292.3245\" data-upper=\"324.3245\"> (80 %: 292,32 – 324,32</span>"));
        assert!(html.contains("; 50 %: 304,32 – 312,32</span>)</p>"));
        assert!(!html.contains("why-link"));
        let linked = head_html(&db, &fan, None, Some("#/?modelo=recommended"));
        assert!(linked.contains("id=\"headline-why\" href=\"#/?modelo=recommended&amp;porque=2021-03\""), "{linked}");
        assert!(head_html(&db, &[], None, None).contains("No hay datos suficientes"));
    }

    #[test]
    fn the_fan_is_drawn_at_a_measured_width_or_for_both_boxes() {
        let (db, fan) = fan();
        let measured = fan_html(&db, &fan, Some(294.0));
        assert!(measured.starts_with("<svg id=\"fan-chart\" class=\"chart\" viewBox=\"0 0 294 220.5\""), "{measured}");
        assert_eq!(measured.matches("<svg").count(), 1);
        let both = fan_html(&db, &fan, None);
        assert!(both.starts_with("<svg id=\"fan-chart\" class=\"chart fan-wide\" viewBox=\"0 0 800 260\""), "{both}");
        assert!(both.contains("<svg id=\"fan-chart-narrow\" class=\"chart fan-narrow\" viewBox=\"0 0 300 225\""));
        // The app, once measured, draws the box the snapshot had: the same proportions.
        assert!(fan_html(&db, &fan, Some(600.0)).contains("viewBox=\"0 0 600 195\""));
        assert_eq!(fan_html(&db, &[], Some(300.0)), "");
    }

    #[test]
    fn the_table_lists_every_month_with_its_horizon() {
        let (_, fan) = fan();
        let html = tail_html(&fan);
        assert_eq!(html.matches("<tr data-month=").count(), 12);
        assert!(html.contains("<td class=\"num horizon\" data-value=\"4\">h = 4</td>"));
        assert!(html.contains("hasta 12 meses"));
        assert!(tail_html(&fan[..1]).contains("solo el mes siguiente"));
    }
}
