//! Performance API marks and measures: what `scripts/bench.sh` reads to
//! report the app's own timings (never asserted in tests).

/// Sets a mark.
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        // A refused mark only loses a benchmark figure.
        let _ = p.mark(name);
    }
}

/// Runs `work` and records how long it took as the measure `name` (the
/// start-up's steps: e2e/tests/perf.spec.js lists them per cold visit).
pub fn timed<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let start = format!("{name}:start");
    mark(&start);
    let out = work();
    measure(name, &start);
    out
}

/// Records a measure from mark `start` to now.
pub fn measure(name: &str, start: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        // As for marks: only a benchmark figure is at stake.
        let _ = p.measure_with_start_mark(name, start);
    }
}
