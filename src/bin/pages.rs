//! The data, model and logs pages as their own module, loaded on demand by
//! the home page (see `leche::shell::pages`). Its one export is here, in the binary,
//! so that the home page's module (which links the same library) does not
//! keep these pages alive through it.

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn mount_pages(host: web_sys::HtmlElement) {
    leche::shell::pages::mount(host);
}

fn main() {}
