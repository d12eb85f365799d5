//! What crosses a boundary the app does not control, as serde types checked
//! where they arrive: the published artifacts ([`leche_core::artifact`]),
//! backup files ([`backup`]), and the messages between the page and its Web
//! Worker ([`worker`]).

pub mod backup;
pub mod worker;
