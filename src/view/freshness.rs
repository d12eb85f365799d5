//! How old the data is, told from the browser's clock (issue 20).
//!
//! The forecasts start the month after the last price, whatever today is:
//! on the shipped data (prices to 2021-02) a visitor in 2026 would read
//! "próximos meses" that are years gone. So every page that shows a
//! forecast says which month the data reach and how long ago that is, and
//! the home page leads with a notice when the last price is more than
//! [`STALE_AFTER`] months before the current month.
//!
//! The clock is the visitor's and may be wrong: a month before the data's
//! last month (a clock at 1970) or more than [`MAX_AGE`] months after it (a
//! clock at 9999) gives no age at all, never a negative or absurd one.

use leche_core::{Database, ForecastError, Month, Source};

use crate::view::chart::escape;
use crate::view::format::month_long;

/// Months between the last price and the current month past which the
/// "next months" are no longer next: two months is how late the producer
/// price is usually published.
pub const STALE_AFTER: i32 = 2;

/// The parameter of the link to «Agregar meses» (`#/datos?agregar`): the
/// data page puts that card in view and focus.
pub const ADD_PARAM: &str = "agregar";

/// The oldest age believed (a century): past it the clock is wrong, not the data.
pub const MAX_AGE: i32 = 1200;

/// Whole months from `last` to `today`, when the clock is believable.
pub fn months_since(last: Month, today: Month) -> Option<i32> {
    let age = last.months_until(today);
    (0..=MAX_AGE).contains(&age).then_some(age)
}

/// "hace 5 años y 10 meses", "hace 1 mes", "este mes"; `None` when the
/// clock is not believable.
pub fn ago(last: Month, today: Month) -> Option<String> {
    let age = months_since(last, today)?;
    let (years, months) = (age / 12, age % 12);
    let unit = |n: i32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    Some(match (years, months) {
        (0, 0) => "este mes".to_string(),
        (0, m) => format!("hace {}", unit(m, "mes", "meses")),
        (y, 0) => format!("hace {}", unit(y, "año", "años")),
        (y, m) => format!("hace {} y {}", unit(y, "año", "años"), unit(m, "mes", "meses")),
    })
}

/// Whether the months the home page calls "próximos" have already passed.
pub fn is_stale(last_price: Month, today: Month) -> bool {
    months_since(last_price, today).is_some_and(|age| age > STALE_AFTER)
}

/// "febrero de 2021, hace 5 años y 10 meses" (or only the month without a
/// believable clock).
pub fn last_and_age(last: Month, today: Option<Month>) -> String {
    match today.and_then(|t| ago(last, t)) {
        Some(age) => format!("{}, {age}", month_long(last)),
        None => month_long(last),
    }
}

/// The line under the headline: the last month of each table (the price
/// first: it is what the forecast starts from), with the age when `today`
/// is known. The snapshot in `index.html` cannot know today and passes
/// `None`: its first-paint script writes the age ([`crate::view::snapshot`]).
pub fn data_line_html(db: &Database, today: Option<Month>) -> String {
    let Some(last_price) = db.last_price_month() else { return String::new() };
    let others: Vec<String> = [Source::Rainfall, Source::CentralBank]
        .into_iter()
        .filter_map(|s| db.table(s).keys().next_back().map(|m| format!("{} hasta {}", s.label(), month_long(*m))))
        .collect();
    let others = if others.is_empty() { String::new() } else { format!(" ({})", others.join("; ")) };
    format!(
        "<p id=\"data-age\" class=\"hint\" data-last=\"{last_price}\">Último precio: <strong>{}</strong>{}.</p>",
        escape(&last_and_age(last_price, today)),
        escape(&others)
    )
}

/// The notice that leads the home page when the data are old: what it
/// means for the forecast and the one action that fixes it. Empty when the
/// data are current or the clock is not believable. What depends on today
/// is marked (`data-today`, `.age`, `.today`): the snapshot in `index.html`
/// carries the notice as a template its first-paint script fills in
/// ([`crate::view::snapshot`]).
pub fn stale_notice_html(db: &Database, today: Option<Month>) -> String {
    let (Some(last), Some(today)) = (db.last_price_month(), today) else { return String::new() };
    if !is_stale(last, today) {
        return String::new();
    }
    let age = ago(last, today).unwrap_or_default();
    format!(
        concat!(
            "<section id=\"stale-notice\" class=\"card notice\" role=\"note\" aria-labelledby=\"stale-title\" data-last=\"{last}\" data-today=\"{today}\">",
            "<h2 id=\"stale-title\">Los datos llegan hasta {long}</h2>",
            "<p>El último precio es de {long} (<span class=\"age\">{age}</span>). Los meses que esta página llama «próximos» ya pasaron: ",
            "el pronóstico parte del último precio guardado, no de hoy (<span class=\"today\">{today_long}</span>).</p>",
            "<p>Agregue los precios de los meses recientes para pronosticar desde hoy.</p>",
            "<p><a id=\"stale-action\" class=\"button\" href=\"#/datos?{add}\">Agregar precios recientes</a></p>",
            "</section>"
        ),
        add = ADD_PARAM,
        last = last,
        today = today,
        long = escape(&month_long(last)),
        age = escape(&age),
        today_long = escape(&month_long(today)),
    )
}

/// What a query refused as too far ahead of the data needs: «Para
/// pronosticar diciembre de 2026 faltan los precios de marzo de 2021 a
/// diciembre de 2025, por lo menos.» (the latest month refused sets how far
/// the prices must reach). `None` when nothing was refused for that reason,
/// or when those prices cannot exist yet by `today` (then adding data is no
/// way out, and the refusal says enough).
pub fn catch_up_text(unavailable: &[ForecastError], today: Option<Month>) -> Option<String> {
    let (month, last_price, max) = unavailable
        .iter()
        .filter_map(|u| match u {
            ForecastError::BeyondHorizon { month, last_price, max, .. } => Some((*month, *last_price, *max)),
            _ => None,
        })
        .max_by_key(|(month, ..)| *month)?;
    let (from, through) = (last_price.next(), month.offset(-(max as i32)));
    if today.is_none_or(|today| through >= today) {
        return None;
    }
    let missing = if from == through {
        format!("falta el precio de {}", month_long(from))
    } else {
        format!("faltan los precios de {} a {}", month_long(from), month_long(through))
    };
    Some(format!("Para pronosticar {} {missing}, por lo menos.", month_long(month)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    #[test]
    fn a_month_too_far_ahead_says_which_prices_it_needs() {
        let beyond = |month: &str| ForecastError::BeyondHorizon { month: m(month), last_price: m("2021-02"), horizon: 0, max: 12 };
        let missing = ForecastError::BeforeModel { month: m("1990-01"), first: m("2000-01") };
        let today = Some(m("2026-12"));
        assert_eq!(
            catch_up_text(&[beyond("2026-11"), beyond("2026-12"), missing.clone()], today).as_deref(),
            Some("Para pronosticar diciembre de 2026 faltan los precios de marzo de 2021 a diciembre de 2025, por lo menos.")
        );
        assert_eq!(catch_up_text(&[beyond("2022-03")], today).as_deref(), Some("Para pronosticar marzo de 2022 falta el precio de marzo de 2021, por lo menos."));
        assert_eq!(catch_up_text(&[missing], today), None);
        assert_eq!(catch_up_text(&[], today), None);
        // Prices that cannot have been published yet, or no believable clock: no advice.
        assert_eq!(catch_up_text(&[beyond("2027-12")], today), None);
        assert_eq!(catch_up_text(&[beyond("2026-12")], None), None);
    }

    #[test]
    fn the_age_reads_as_a_person_says_it() {
        assert_eq!(ago(m("2021-02"), m("2026-12")).as_deref(), Some("hace 5 años y 10 meses"));
        assert_eq!(ago(m("2021-02"), m("2021-02")).as_deref(), Some("este mes"));
        assert_eq!(ago(m("2021-02"), m("2021-03")).as_deref(), Some("hace 1 mes"));
        assert_eq!(ago(m("2021-02"), m("2022-02")).as_deref(), Some("hace 1 año"));
        assert_eq!(ago(m("2021-02"), m("2023-05")).as_deref(), Some("hace 2 años y 3 meses"));
        assert_eq!(ago(m("2021-02"), m("2022-03")).as_deref(), Some("hace 1 año y 1 mes"));
    }

    #[test]
    fn a_clock_set_to_nonsense_gives_no_age() {
        assert_eq!(ago(m("2021-02"), m("1970-01")), None);
        assert_eq!(ago(m("2021-02"), m("9999-12")), None);
        assert!(!is_stale(m("2021-02"), m("1970-01")));
        assert!(!is_stale(m("2021-02"), m("9999-12")));
        assert_eq!(last_and_age(m("2021-02"), Some(m("9999-12"))), "febrero de 2021");
    }

    #[test]
    fn the_next_months_are_past_when_the_last_price_is_more_than_two_months_old() {
        assert!(!is_stale(m("2021-02"), m("2021-03")));
        assert!(!is_stale(m("2021-02"), m("2021-04")));
        assert!(is_stale(m("2021-02"), m("2021-05")));
        assert!(is_stale(m("2021-02"), m("2026-12")));
    }

    fn db() -> Database {
        let mut db = Database::default();
        db.milk_price.insert(m("2021-01"), vec![290.0]);
        db.milk_price.insert(m("2021-02"), vec![295.24]);
        db.rainfall.insert(m("2020-04"), vec![1.0; 8]);
        db
    }

    #[test]
    fn the_notice_shows_on_old_data_only_and_says_the_month_and_its_age() {
        let notice = stale_notice_html(&db(), Some(m("2026-12")));
        assert!(notice.contains("hasta febrero de 2021") && notice.contains("hace 5 años y 10 meses"), "{notice}");
        assert!(notice.contains("href=\"#/datos?agregar\""));
        assert_eq!(stale_notice_html(&db(), Some(m("2021-03"))), "");
        assert_eq!(stale_notice_html(&db(), None), "");
        assert_eq!(stale_notice_html(&Database::default(), Some(m("2026-12"))), "");
    }

    #[test]
    fn the_data_line_names_each_tables_last_month_and_the_age_only_with_a_clock() {
        let live = data_line_html(&db(), Some(m("2026-12")));
        assert!(live.contains("febrero de 2021, hace 5 años y 10 meses"), "{live}");
        assert!(live.contains("precipitaciones hasta abril de 2020") && !live.contains("Banco Central"), "{live}");
        let snapshot = data_line_html(&db(), None);
        assert!(snapshot.contains("id=\"data-age\"") && snapshot.contains("febrero de 2021") && !snapshot.contains("hace"), "{snapshot}");
    }
}
