//! A table wider than a phone: its wrapper scrolls, so it takes focus
//! (arrow keys scroll it) and is a region named by the table's caption.

use leptos::prelude::*;

/// The table `id` with `caption`, the header row's cells `head` and the
/// body's `rows`, in the focusable, labelled scrolling wrapper.
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
