//! Performance API marks and measures: what `scripts/bench.sh` reads to
//! report the app's own timings (never asserted in tests).

/// Sets a mark.
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        // A refused mark only loses a benchmark figure.
        let _ = p.mark(name);
    }
}

/// Records a measure from mark `start` to now.
pub fn measure(name: &str, start: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        // As for marks: only a benchmark figure is at stake.
        let _ = p.measure_with_start_mark(name, start);
    }
}
