//! The results table's rows as HTML text. A full-range query has some 90
//! rows of seven cells; building them as one string and letting the browser
//! parse it once (Leptos `inner_html`) takes a fraction of the time of
//! creating ~700 nodes one reactive view at a time, and the rows hold no
//! state to keep in sync. Every value is a number or a month we formatted;
//! it is escaped anyway.

use leche_core::Forecast;

use crate::view::chart::escape;
use crate::view::format::{band, clp, exact, signed};

/// `<tr>`s for the results table: month (with its «¿Por qué?» link when
/// `why` gives the query's hash, `#/?q=…&modelo=…`), horizon, predicted,
/// 50 % and 80 % bands, real, error; each cell's exact value in `data-` attributes.
pub fn rows_html(forecasts: &[Forecast], why: Option<&str>) -> String {
    let mut out = String::with_capacity(forecasts.len() * 480);
    for f in forecasts {
        let dash = || "—".to_string();
        let attr = |v: Option<f64>| escape(&exact(v));
        out.push_str(&format!(
            concat!(
                "<tr data-month=\"{m}\"><th scope=\"row\"><span class=\"date\">{m}</span>{link}</th>",
                "<td class=\"horizon num\" data-value=\"{h}\">h = {h}</td>",
                "<td class=\"predicted num\" data-value=\"{p}\">{pt}</td>",
                "<td class=\"band50 num\" data-lower=\"{l50}\" data-upper=\"{u50}\">{b50}</td>",
                "<td class=\"interval num\" data-lower=\"{l80}\" data-upper=\"{u80}\">{b80}</td>",
                "<td class=\"real num\" data-value=\"{r}\">{rt}</td>",
                "<td class=\"error num\" data-value=\"{e}\">{et}</td></tr>"
            ),
            m = escape(&f.month.to_string()),
            link = why.map(|hash| format!(" {}", crate::view::explanation::link_html(hash, f.month, &format!("why-{}", f.month)))).unwrap_or_default(),
            h = f.horizon,
            p = attr(Some(f.predicted)),
            pt = escape(&clp(f.predicted)),
            l50 = attr(f.band50.map(|b| b.lower)),
            u50 = attr(f.band50.map(|b| b.upper)),
            b50 = escape(&band(f.band50)),
            l80 = attr(f.band80.map(|b| b.lower)),
            u80 = attr(f.band80.map(|b| b.upper)),
            b80 = escape(&band(f.band80)),
            r = attr(f.real),
            rt = escape(&f.real.map(clp).unwrap_or_else(dash)),
            e = attr(f.error()),
            et = escape(&f.error().map(signed).unwrap_or_else(dash)),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use leche_core::Band;

    #[test]
    fn a_row_carries_every_exact_value_and_shows_them_in_chilean_format() {
        let f = Forecast {
            month: "2021-06".parse().expect("month"),
            horizon: 4,
            predicted: 1234.5678,
            real: None,
            band80: Some(Band { lower: 1200.0, upper: 1270.25 }),
            band50: Some(Band { lower: 1220.0, upper: 1250.0 }),
        };
        let html = rows_html(std::slice::from_ref(&f), None);
        assert!(html.starts_with("<tr data-month=\"2021-06\"><th scope=\"row\"><span class=\"date\">2021-06</span></th>"), "{html}");
        assert!(html.contains("<td class=\"horizon num\" data-value=\"4\">h = 4</td>"));
        assert!(html.contains("data-value=\"1234.5678\">1.234,57</td>"));
        assert!(html.contains("<td class=\"band50 num\" data-lower=\"1220.0\" data-upper=\"1250.0\">1.220,00 – 1.250,00</td>"));
        assert!(html.contains("<td class=\"interval num\" data-lower=\"1200.0\" data-upper=\"1270.25\">"));
        assert!(html.contains("<td class=\"real num\" data-value=\"\">—</td>"));
        let linked = rows_html(&[f], Some("#/?q=2021-06&modelo=replica"));
        assert!(linked.starts_with("<tr data-month=\"2021-06\"><th scope=\"row\"><span class=\"date\">2021-06</span> <a class=\"why-link\" id=\"why-2021-06\" href=\"#/?q=2021-06&amp;modelo=replica&amp;porque=2021-06\""), "{linked}");
    }
}
