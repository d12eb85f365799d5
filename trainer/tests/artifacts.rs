//! The trainer end to end on the real files: deterministic, equal to the
//! committed artifacts, and clear about bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ARTIFACTS: [&str; 5] = ["database.json", "models.json", "evaluation.json", "predictions.csv", "train.log"];

fn root() -> PathBuf {
    challenge_data::workspace_root()
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("leche-trainer-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn trainer(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trainer")).args(args).output().expect("trainer runs")
}

fn train(data: &Path, out: &Path) {
    let o = trainer(&["--data", &data.display().to_string(), "--out", &out.display().to_string()]);
    assert!(o.status.success(), "trainer failed: {}", String::from_utf8_lossy(&o.stderr));
}

#[test]
#[ignore = "needs LECHE_DATA"]
fn two_runs_are_byte_identical_and_match_the_committed_artifacts() {
    let data = challenge_data::dir();
    let (a, b) = (scratch("a"), scratch("b"));
    train(&data, &a);
    train(&data, &b);
    let committed = root().join("public/artifacts");
    for name in ARTIFACTS {
        let x = std::fs::read(a.join(name)).expect("artifact written");
        assert_eq!(x, std::fs::read(b.join(name)).expect("artifact written"), "{name} differs between runs");
        let c = std::fs::read(committed.join(name)).unwrap_or_default();
        assert!(
            x == c,
            "public/artifacts/{name} is stale: regenerate with `cargo run --release -p trainer -- --data $LECHE_DATA`"
        );
    }
}

#[test]
#[ignore = "needs LECHE_DATA"]
fn seed_protocol_writes_the_replica_only() {
    let data = challenge_data::dir();
    let out = scratch("seed");
    let o = trainer(&["--data", &data.display().to_string(), "--out", &out.display().to_string(), "--protocol", "seed"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let models: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("models.json")).expect("models")).expect("json");
    let ids: Vec<&str> = models["models"].as_array().expect("list").iter().filter_map(|m| m["id"].as_str()).collect();
    assert_eq!(ids, vec!["replica"]);
    assert_eq!(models["models"][0]["method"]["lag_pipeline"]["hyper"], serde_json::json!({"k": 7, "degree": 1, "alpha": 0.1}));
}

#[test]
fn missing_file_and_bad_header_are_named_with_a_nonzero_exit() {
    let dir = scratch("bad");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let o = trainer(&["--data", &dir.display().to_string(), "--out", &dir.join("out").display().to_string()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("precipitaciones.csv"));

    let bad = dir.join("x.csv");
    std::fs::write(&bad, "fecha,valor\n2020-01-01,3\n").expect("write");
    let o = trainer(&["--data", &bad.display().to_string()]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("x.csv") && err.contains("encabezado no reconocido"), "{err}");

    std::fs::write(&bad, "Anio,Mes,Precio_leche\n2020,Ene,abc\n").expect("write");
    let o = trainer(&["--data", &bad.display().to_string()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success() && err.contains("fila 2") && err.contains("Precio_leche"), "{err}");
}
