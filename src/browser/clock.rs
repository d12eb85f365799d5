//! The browser's clock: timestamps for the logs, and the current month (which
//! bounds the observation months an upload may carry).

use js_sys::Date;
use leche_core::Month;

/// Now, as an ISO 8601 UTC string.
pub fn now_iso() -> String {
    Date::new_0().to_iso_string().into()
}

/// The current month (local time); `None` for a clock set outside the years a
/// month can have.
pub fn this_month() -> Option<Month> {
    let d = Date::new_0();
    Month::new(d.get_full_year() as i32, d.get_month() + 1)
}
