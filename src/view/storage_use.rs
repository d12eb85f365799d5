//! How much of the browser's storage the site uses, in words (the line the
//! footer shows; `browser::storage_manager` reads the numbers from
//! `navigator.storage.estimate()`).

use crate::view::format::number;

/// Above this share of the quota the footer warns: the browser may refuse
/// the next write (an upload) or evict the site's data.
pub const NEARLY_FULL: f64 = 0.8;

/// `navigator.storage.estimate()`, and whether `persist()` was granted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StorageUse {
    pub usage: f64,
    pub quota: f64,
    pub persisted: bool,
}

impl StorageUse {
    /// Used share of the quota (0 when the browser reports no quota).
    pub fn fraction(&self) -> f64 {
        if self.quota > 0.0 {
            self.usage / self.quota
        } else {
            0.0
        }
    }

    /// Whether to warn that storage is nearly full.
    pub fn nearly_full(&self) -> bool {
        self.fraction() > NEARLY_FULL
    }

    /// The footer line.
    ///
    /// ```
    /// use leche::view::storage_use::StorageUse;
    /// let s = StorageUse { usage: 1_500_000.0, quota: 300_000_000.0, persisted: true };
    /// assert_eq!(s.text(), "Datos en este navegador: 1,5 MB de 300 MB disponibles (0,5 %); almacenamiento persistente.");
    /// ```
    pub fn text(&self) -> String {
        let kept = if self.persisted {
            "almacenamiento persistente"
        } else {
            "el navegador podría borrarlos si le falta espacio"
        };
        format!(
            "Datos en este navegador: {} de {} disponibles ({} %); {kept}.",
            bytes(self.usage),
            bytes(self.quota),
            number(self.fraction() * 100.0, 1)
        )
    }
}

/// A size in kB, MB or GB (decimal units, one decimal below 10).
pub fn bytes(n: f64) -> String {
    let (value, unit) = match n {
        n if n >= 1e9 => (n / 1e9, "GB"),
        n if n >= 1e6 => (n / 1e6, "MB"),
        n => (n / 1e3, "kB"),
    };
    let decimals = if value < 10.0 { 1 } else { 0 };
    format!("{} {unit}", number(value, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_use_the_chilean_decimal_comma() {
        assert_eq!(bytes(512.0), "0,5 kB");
        assert_eq!(bytes(2_345_678.0), "2,3 MB");
        assert_eq!(bytes(61_000_000_000.0), "61 GB");
    }

    #[test]
    fn warns_above_eighty_percent_only() {
        let at = |usage| StorageUse { usage, quota: 100.0, persisted: false };
        assert!(!at(80.0).nearly_full());
        assert!(at(80.5).nearly_full());
        assert!(!StorageUse { usage: 5.0, quota: 0.0, persisted: false }.nearly_full());
    }
}
