//! A table wider than a phone: its wrapper scrolls, so it takes focus
//! (arrow keys scroll it) and is a region with a name, the table's caption
//! or a label of its own. Every wide table goes through here: a wrapper
//! that scrolls without taking focus leaves keyboard users unable to read
//! its last columns.

use leptos::prelude::*;

/// The table `id` with `caption`, the header row's cells `head` and the
/// body's `rows`, in the focusable region the caption names.
pub fn scroll_table(id: &'static str, caption: &'static str, head: impl IntoView, rows: impl IntoView) -> impl IntoView {
    let caption_id = format!("{id}-caption");
    let labelled_by = caption_id.clone();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby=labelled_by>
            <table id=id>
                <caption id=caption_id>{caption}</caption>
                <thead><tr>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// A table built by its page (attributes of its own, a body from markup)
/// in the focusable region `label` names.
pub fn scroll_region(label: &'static str, table: impl IntoView) -> impl IntoView {
    view! { <div class="table-wrap" tabindex="0" role="region" aria-label=label>{table}</div> }
}
