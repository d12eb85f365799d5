//! A confirmation dialog (native `<dialog>` opened modally: focus moves
//! into it, Escape cancels, the page behind is inert).

use leptos::html::Dialog;
use leptos::prelude::*;

/// What the dialog says and the ids its buttons get (tests rely on them).
pub struct Confirm {
    pub title_id: &'static str,
    pub title: &'static str,
    pub text: &'static str,
    pub confirm_id: &'static str,
    pub confirm_label: &'static str,
    pub cancel_id: &'static str,
}

/// Renders the (closed) dialog; open it with [`open`]. `on_confirm` runs
/// after the dialog closes.
pub fn confirm_dialog(node: NodeRef<Dialog>, c: Confirm, on_confirm: impl Fn() + 'static) -> impl IntoView {
    let close = move || {
        if let Some(d) = node.get_untracked() {
            d.close();
        }
    };
    view! {
        <dialog node_ref=node aria-labelledby=c.title_id class="confirm">
            <h2 id=c.title_id>{c.title}</h2>
            <p>{c.text}</p>
            <div class="actions">
                <button type="button" id=c.cancel_id on:click=move |_| close()>"Cancelar"</button>
                <button type="button" id=c.confirm_id class="danger" on:click=move |_| {
                    close();
                    on_confirm();
                }>{c.confirm_label}</button>
            </div>
        </dialog>
    }
}

/// Opens the dialog modally.
pub fn open(node: NodeRef<Dialog>) {
    if let Some(d) = node.get_untracked() {
        let _ = d.show_modal();
    }
}
