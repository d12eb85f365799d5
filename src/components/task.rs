//! Async work started by a component ends with it: a task spawned through
//! [`Tasks`] is dropped, unfinished, when its component is unmounted, so it
//! never touches the component's signals after they are gone. (Writes are
//! not lost that way: the session runs them to the end as its own tasks and
//! only the answer is dropped.)

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

/// The component being built; create it in the component's body. `Copy`,
/// so any number of event handlers can hold it.
#[derive(Clone, Copy)]
pub struct Tasks(StoredValue<Option<Owner>, LocalStorage>);

impl Tasks {
    pub fn here() -> Tasks {
        Tasks(StoredValue::new_local(Owner::current()))
    }

    /// Runs `work` until it ends or the component is unmounted (once it is
    /// gone, nothing starts).
    pub fn spawn(&self, work: impl Future<Output = ()> + 'static) {
        if let Some(owner) = self.0.try_get_value().flatten() {
            owner.with(|| spawn_local_scoped_with_cancellation(work));
        }
    }
}
