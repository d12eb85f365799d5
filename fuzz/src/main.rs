//! A seeded fuzzer for every way data comes into Leche: CSV uploads (read,
//! plan, apply, undo, export), backup restores (parse, checks, undo,
//! re-apply, forecast), restored models (check, check by use, forecast),
//! the predict box's query grammar, and the view layer the pages draw
//! with (charts, cards and tables for any query).
//!
//! Why a seeded harness and not `cargo-fuzz`: libFuzzer needs a nightly
//! compiler for its sanitizer flags (this machine has stable 1.95 only), and
//! the inputs worth trying are structured (CSV cells, backup JSON fields,
//! month tokens): mutations that know the structure, from a corpus of real
//! files, reach the checks a byte flipper rarely gets past. Every case is a
//! pure function of (seed, target, case number), so any finding replays.
//!
//! For each case it asserts: no panic (overflow checks are on: the dev
//! profile), no hang (a case over [`SLOW`] is reported, one over [`HANG`]
//! stops the run), and that whatever is accepted satisfies the invariants of
//! the validation (see [`targets`]). Findings are written to
//! `target/fuzz-findings/` and the exit status is non-zero.
//!
//! ```text
//! cargo run -p leche-fuzz --bin fuzz -- [--seconds 50] [--cases N] [--seed 1] [--target upload|backup|paste|query|model|view]…
//! cargo run -p leche-fuzz --bin fuzz -- --target upload --replay target/fuzz-findings/upload-1-123
//! ```

mod corpus;
mod mutate;
mod targets;
mod view;

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use proptest::test_runner::{RngAlgorithm, TestRng};

use crate::corpus::Corpus;
use crate::targets::{Input, Target};

/// A case slower than this is reported.
const SLOW: Duration = Duration::from_secs(1);
/// A case slower than this is a hang: the run stops and saves it.
const HANG: Duration = Duration::from_secs(20);

struct Args {
    seconds: u64,
    cases: Option<u64>,
    seed: u64,
    targets: Vec<Target>,
    replay: Option<PathBuf>,
    findings: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        seconds: 50,
        cases: None,
        seed: 1,
        targets: Vec::new(),
        replay: None,
        findings: challenge_data::workspace_root().join("target/fuzz-findings"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--seconds" => args.seconds = value()?.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--cases" => args.cases = Some(value()?.parse().map_err(|e| format!("--cases: {e}"))?),
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--target" => args.targets.push(Target::parse(&value()?)?),
            "--replay" => args.replay = Some(PathBuf::from(value()?)),
            "--findings" => args.findings = PathBuf::from(value()?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.targets.is_empty() {
        args.targets = Target::ALL.to_vec();
    }
    Ok(args)
}

/// The case being run, for the watchdog.
#[derive(Default)]
struct Running {
    started: Option<Instant>,
    target: Option<Target>,
    case: u64,
    input: Option<Input>,
}

#[derive(Default)]
struct Stats {
    cases: u64,
    accepted: u64,
    slowest: Duration,
    slow: Vec<(u64, Duration)>,
}

fn rng_for(seed: u64, target: Target, case: u64) -> TestRng {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&(target as u64).to_le_bytes());
    bytes[16..24].copy_from_slice(&case.to_le_bytes());
    bytes[24..].copy_from_slice(b"leche-fz");
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

/// Runs one case, turning a panic into its message.
fn run_case(corpus: &Corpus, target: Target, input: &Input) -> Result<bool, String> {
    panic::catch_unwind(AssertUnwindSafe(|| targets::run(corpus, target, input))).map_err(|e| {
        e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default()
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("fuzz: {e}");
            return ExitCode::from(2);
        }
    };
    // Panics are findings, reported once by the runner with their input.
    let last_panic: Arc<Mutex<String>> = Arc::default();
    let recorded = Arc::clone(&last_panic);
    panic::set_hook(Box::new(move |info| {
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        if let Ok(mut p) = recorded.lock() {
            let payload = info.payload();
            let message = payload.downcast_ref::<String>().map(String::as_str).or_else(|| payload.downcast_ref::<&str>().copied());
            *p = format!("{}{at}", message.unwrap_or("panic"));
        }
    }));
    let corpus = Corpus::load();
    println!("fuzz: corpus {}", corpus.describe());

    if let Some(path) = &args.replay {
        let Some(&target) = args.targets.first() else { return ExitCode::from(2) };
        let input = match Input::load(target, path) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("fuzz: cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        };
        let started = Instant::now();
        let result = run_case(&corpus, target, &input);
        let detail = last_panic.lock().map(|p| p.clone()).unwrap_or_default();
        println!("fuzz: replay {} in {:.3} s: {:?} {detail}", path.display(), started.elapsed().as_secs_f64(), result);
        return if result.is_ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE };
    }

    let running: Arc<Mutex<Running>> = Arc::default();
    spawn_watchdog(Arc::clone(&running), args.findings.clone(), args.seed);

    let began = Instant::now();
    let deadline = began + Duration::from_secs(args.seconds);
    let mut stats: Vec<Stats> = args.targets.iter().map(|_| Stats::default()).collect();
    let mut findings = 0u64;
    let mut case = 0u64;
    while Instant::now() < deadline && args.cases.is_none_or(|n| case < n) {
        let slot = (case % args.targets.len() as u64) as usize;
        let target = args.targets[slot];
        let mut rng = rng_for(args.seed, target, case);
        let input = targets::generate(&corpus, target, &mut rng);
        if let Ok(mut r) = running.lock() {
            *r = Running { started: Some(Instant::now()), target: Some(target), case, input: Some(input.clone()) };
        }
        let started = Instant::now();
        let result = run_case(&corpus, target, &input);
        let took = started.elapsed();
        if let Ok(mut r) = running.lock() {
            r.started = None;
        }
        let s = &mut stats[slot];
        s.cases += 1;
        s.slowest = s.slowest.max(took);
        if took > SLOW {
            s.slow.push((case, took));
            println!("fuzz: SLOW {} case {case}: {:.2} s (seed {})", target.name(), took.as_secs_f64(), args.seed);
        }
        match result {
            Ok(accepted) => s.accepted += u64::from(accepted),
            Err(_) => {
                findings += 1;
                let message = last_panic.lock().map(|p| p.clone()).unwrap_or_default();
                let saved = save(&args.findings, target, args.seed, case, &input);
                println!("fuzz: FINDING {} case {case} (seed {}): {message}\n      input: {saved}", target.name(), args.seed);
            }
        }
        case += 1;
    }
    for (target, s) in args.targets.iter().zip(&stats) {
        println!(
            "fuzz: {:<7} {:>8} cases, {:>7} accepted, slowest {:>7.1} ms, {} over {} s",
            target.name(),
            s.cases,
            s.accepted,
            s.slowest.as_secs_f64() * 1e3,
            s.slow.len(),
            SLOW.as_secs()
        );
    }
    println!("fuzz: {case} cases with seed {} in {:.0} s; {findings} findings", args.seed, began.elapsed().as_secs_f64());
    if findings == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Stops the run when a case hangs, saving its input first.
fn spawn_watchdog(running: Arc<Mutex<Running>>, findings: PathBuf, seed: u64) {
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_millis(200));
        let Ok(r) = running.lock() else { continue };
        if let (Some(started), Some(target), Some(input)) = (r.started, r.target, &r.input) {
            if started.elapsed() > HANG {
                let saved = save(&findings, target, seed, r.case, input);
                println!("fuzz: HANG {} case {} (seed {seed}) over {} s\n      input: {saved}", target.name(), r.case, HANG.as_secs());
                std::process::exit(3);
            }
        }
    });
}

fn save(dir: &Path, target: Target, seed: u64, case: u64, input: &Input) -> String {
    let path = dir.join(format!("{}-{seed}-{case}", target.name()));
    match input.save(&path) {
        Ok(()) => path.display().to_string(),
        Err(e) => format!("(not saved: {e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The harness itself works: a few hundred cases of each target run and
    /// find nothing (the long runs are `cargo run -p leche-fuzz`).
    #[test]
    fn two_hundred_cases_per_target_run_clean() {
        let corpus = Corpus::load();
        for target in Target::ALL {
            let accepted = (0..200)
                .filter(|&case| {
                    let input = targets::generate(&corpus, target, &mut rng_for(7, target, case));
                    targets::run(&corpus, target, &input)
                })
                .count();
            assert!(accepted > 0, "{}: some cases are accepted, so their invariants are checked", target.name());
        }
    }
}
