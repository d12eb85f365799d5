//! The view target: what the user touches, natively (issue 21). The query
//! grammar alone was fuzzed while the page crashed on the first valid
//! query past the fan: the chart drew a reversed window. Here every case is
//! a query (mutated from the corpus), a clock and a database (the shipped
//! one, cut to end at a random month, or extended by the dummy upload) run
//! through the functions the pages draw with — the price chart for the
//! query, the fan, the months-ahead card, the results table, the data's age,
//! the «¿Por qué?» of the first month asked — for each shipped model.
//!
//! Invariants: no panic; the chart's window is ordered; every coordinate
//! drawn is finite (no `inf`/`NaN` in the SVG); the card and table are
//! produced whatever the query.

use leche::view::ahead_html::{fan_html, head_html, tail_html};
use leche::view::chart::{svg, Labels};
use leche::view::explanation::why_html;
use leche::view::freshness;
use leche::view::plots;
use leche::view::results_table::rows_html;
use leche_core::data::query::parse_query;
use leche_core::{Database, Month};
use proptest::prelude::RngExt;
use proptest::test_runner::TestRng;

use crate::corpus::Corpus;
use crate::mutate;

/// One view case, saved as text: `query\nclock\ncut\nwhole`.
pub fn generate(corpus: &Corpus, rng: &mut TestRng) -> String {
    let seed = &corpus.queries[rng.random_range(0..corpus.queries.len())];
    let query = if rng.random_bool(0.2) { seed.clone() } else { mutate::query(rng, seed) };
    let query = query.replace('\n', " ");
    let clock = match rng.random_range(0..4) {
        0 => "1970-01".to_string(),
        1 => "9999-12".to_string(),
        _ => format!("{}-{:02}", rng.random_range(2000..2040), rng.random_range(1..=12)),
    };
    let cut = format!("{}-{:02}", rng.random_range(1979..2022), rng.random_range(1..=12));
    format!("{query}\n{clock}\n{cut}\n{}", rng.random_bool(0.3))
}

/// Runs one case; `true` when the query parsed.
pub fn run(corpus: &Corpus, text: &str) -> bool {
    let mut lines = text.split('\n');
    let query = lines.next().unwrap_or_default();
    let today: Option<Month> = lines.next().and_then(|l| l.parse().ok());
    let cut: Option<Month> = lines.next().and_then(|l| l.parse().ok());
    let whole = lines.next() == Some("true");
    let mut db = corpus.db.clone();
    if let Some(cut) = cut {
        cut_after(&mut db, cut);
    }
    let asked = parse_query(query).ok();
    for model in &corpus.models {
        let all = model.history_and_fan(&db);
        let fan = model.fan(&db);
        let next = model.next_month(&db).and_then(|n| all.iter().find(|f| f.month == n));
        if let Some((window, chart)) = plots::price_for_query(&db, &all, next, whole, asked) {
            assert!(window.0 <= window.1, "«{query}»: window {window:?}");
            drawn(&svg(&chart, &labels(Some(window))), query);
        }
        if let Some(chart) = plots::fan(&db, &fan) {
            drawn(&svg(&chart, &labels(None)), query);
        }
        drawn(&head_html(&db, &fan, today, Some("#/?modelo=recommended")), query);
        // The snapshot's two boxes, and a phone's and a desktop's measured width.
        for width in [None, Some(294.0), Some(894.0)] {
            drawn(&fan_html(&db, &fan, width), query);
        }
        std::hint::black_box(tail_html(&fan));
        if let Some((first, last)) = asked {
            let r = model.forecast_range(&db, first, last);
            std::hint::black_box(rows_html(&r.forecasts, Some("#/?q=x&modelo=recommended")));
            if let Ok(html) = why_html(model, &db, first) {
                drawn(&html, query);
            }
        }
    }
    std::hint::black_box(freshness::stale_notice_html(&db, today));
    asked.is_some()
}

/// Keeps only the months up to `cut` in every table: data that end earlier.
fn cut_after(db: &mut Database, cut: Month) {
    for source in leche_core::Source::ALL {
        db.table_mut(source).retain(|m, _| *m <= cut);
    }
}

fn labels(months: Option<(Month, Month)>) -> Labels {
    Labels { id: "fuzz".into(), title: "fuzz".into(), desc: String::new(), months }
}

/// Markup a browser can draw: no non-finite number in it (`inf`, `NaN`
/// as words of their own: "información" is fine).
fn drawn(markup: &str, query: &str) {
    let letter = |c: Option<char>| c.is_some_and(char::is_alphabetic);
    for bad in ["inf", "NaN"] {
        let found = markup.match_indices(bad).any(|(i, _)| !letter(markup[..i].chars().next_back()) && !letter(markup[i + bad.len()..].chars().next()));
        assert!(!found, "«{query}»: «{bad}» in the markup");
    }
}
