//! A longer part of a page behind a one-line summary: a `<details>`,
//! closed until the reader opens it (GOV.UK's details pattern). The model
//! card and the data page keep their full tables, long lists and
//! secondary tools there, so on a phone they are a few screens tall and
//! lead with what matters (issue 31); the browser's find-in-page opens one
//! that holds what is searched.

use leptos::prelude::*;

/// `body` behind `summary`, closed.
pub fn more(summary: impl IntoView, body: impl IntoView) -> impl IntoView {
    view! { <details class="more"><summary>{summary}</summary>{body}</details> }
}
