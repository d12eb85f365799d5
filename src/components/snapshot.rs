//! The snapshot in `index.html` ([`crate::view::snapshot`]) taken over: the
//! home page's card keeps the nodes the visitor already sees — the notice,
//! the headline, the fan, its table — instead of drawing them a second time.
//! The largest paint stays the first one, and the page parses none of that
//! markup again. Only a card whose own markup would be the snapshot's (the
//! same [`Card::key`](crate::view::snapshot::Card::key)) takes it over; any
//! other (the visitor's uploads, another model) draws its own, and the
//! snapshot goes when the app shows (`crate::shell::app`). The nodes move
//! then, in that same task ([`take_over`]): the app draws its page hidden,
//! over several tasks, and no frame may show the snapshot without them.

use std::cell::RefCell;

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// The moves of snapshot nodes into the boxes that take them over, made when the app shows.
    static MOVES: RefCell<Vec<Box<dyn FnOnce()>>> = RefCell::new(Vec::new());
}

/// Moves the snapshot's nodes into the boxes that take them over: the
/// shell calls it as the app shows, just before the snapshot goes.
pub fn take_over() {
    for adopt in MOVES.with(|m| m.take()) {
        adopt();
    }
}

/// The snapshot card's boxes, found while the snapshot is still in the page.
pub struct Snapshot {
    /// The notice that the data are old (empty when they are not).
    pub stale: web_sys::Element,
    pub head: web_sys::Element,
    pub fan: web_sys::Element,
    pub tail: web_sys::Element,
}

impl Snapshot {
    /// The snapshot's card if the page still shows it and it is the card
    /// whose key is `key`; `None` otherwise (gone, or another card).
    pub fn matching(key: &str) -> Option<Snapshot> {
        let document = web_sys::window()?.document()?;
        let card = document.get_element_by_id("snapshot-card")?;
        if card.get_attribute("data-content").as_deref() != Some(key) {
            return None;
        }
        let get = |id: &str| document.get_element_by_id(id);
        Some(Snapshot { stale: get("snapshot-stale")?, head: get("snapshot-head")?, fan: get("snapshot-fan")?, tail: get("snapshot-tail")? })
    }
}

/// The `inner_html` of a box that may start as `first`'s nodes: when
/// `first` is given, its children are moved into the box when the app
/// shows ([`take_over`]), and the box keeps them for as long as `html()` gives what it gave at
/// first (the same card); once `html()` gives other markup (the data, the
/// model or the width changed) the box shows that. `html` is called every
/// time, so the box follows what it reads from the first call on.
pub fn markup(node: NodeRef<Div>, first: Option<web_sys::Element>, html: impl Fn() -> String + Send + Sync + 'static) -> impl Fn() -> String + Send + Sync + 'static {
    // The box's own markup for what it shows while it shows the snapshot's nodes.
    let kept = StoredValue::new(None::<String>);
    let started = StoredValue::new(false);
    let adopting = first.is_some();
    if let Some(from) = first {
        node.on_load(move |to| {
            let to: web_sys::Element = to.unchecked_into();
            let adopt = move || {
                // Drawn meanwhile: that drawing is current.
                if kept.try_with_value(Option::is_none).unwrap_or(true) {
                    return;
                }
                while let Some(child) = from.first_child() {
                    // A node that cannot move stays in the snapshot, which goes when the app shows.
                    if to.append_child(&child).is_err() {
                        break;
                    }
                }
            };
            MOVES.with(|m| m.borrow_mut().push(Box::new(adopt)));
        });
    }
    move || {
        let markup = html();
        if !started.get_value() {
            started.set_value(true);
            if adopting {
                kept.set_value(Some(markup));
                return String::new();
            }
            return markup;
        }
        // The empty string tells the renderer nothing changed: the snapshot's nodes stay.
        if kept.with_value(|k| k.as_deref() == Some(markup.as_str())) {
            return String::new();
        }
        // Leaving the snapshot's nodes for nothing: the renderer, which thinks the box empty, would not clear it.
        if kept.with_value(Option::is_some) && markup.is_empty() {
            if let Some(el) = node.get_untracked() {
                el.set_inner_html("");
            }
        }
        kept.set_value(None);
        markup
    }
}
