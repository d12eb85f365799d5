//! What holds the pages: the two apps that assemble them — the home module
//! ([`app`]: the session, the frame and the forecast page) and the pages
//! module ([`pages`]: data, model and logs, loaded on demand) — the frame
//! around every page ([`frame`]: banners and the storage line) and the
//! recovery screen for damaged stored data ([`recovery`]). Nothing below
//! the shell uses it.

pub mod app;
pub mod frame;
pub mod pages;
pub mod recovery;
