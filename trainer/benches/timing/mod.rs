//! The bench binaries' one timing loop: run a closure `runs` times and
//! print the median, min and max (numbers to read, never assertions).
//! A plain loop rather than criterion: each figure is one line that
//! scripts/bench.sh prints, and the slow protocol runs need few repeats.

use std::time::{Duration, Instant};

/// Runs `f` `runs` times and prints its median, minimum and maximum.
pub fn bench<T>(name: &str, runs: usize, mut f: impl FnMut() -> T) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Option<&Duration>| d.map_or(f64::NAN, |d| d.as_secs_f64() * 1e3);
    println!(
        "{name:<56} median {:>9.3} ms   min {:>9.3}   max {:>9.3}   ({runs} runs)",
        ms(times.get(times.len() / 2)),
        ms(times.first()),
        ms(times.last())
    );
}
