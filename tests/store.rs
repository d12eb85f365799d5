//! The store against real IndexedDB, in headless Chromium:
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p leche --test store`
#![cfg(target_arch = "wasm32")]

use leche::interaction::{Kind, LogEntry};
use leche::store::Store;
use leche_core::artifact::{Columns, DatabaseArtifact, ModelsArtifact, SCHEMA_VERSION};
use leche_core::{Database, ModelId, Month};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn m(s: &str) -> Month {
    s.parse().expect("month")
}

/// A small database whose values have awkward bits (they must come back exactly).
fn small_database() -> Database {
    let mut db = Database::default();
    for (i, month) in m("2019-10").through(m("2020-06")).enumerate() {
        let x = i as f64;
        db.rainfall.insert(month, (0..8).map(|j| 0.1 * x + f64::from(j) / 3.0).collect());
        db.central_bank.insert(month, (0..38).map(|j| 1e-300 * x + 102.796 + f64::from(j) * 0.7).collect());
    }
    // The price runs two months longer (as the shipped data does), with a gap.
    for (i, month) in m("2019-10").through(m("2020-08")).enumerate().filter(|(i, _)| *i != 4) {
        db.milk_price.insert(month, vec![230.0 + (i as f64) * 1.1 + 0.1 + 0.2]);
    }
    db
}

fn database_artifact(db: Database, version: &str) -> DatabaseArtifact {
    DatabaseArtifact { schema_version: SCHEMA_VERSION, version: version.into(), columns: Columns::default(), tables: db }
}

/// The shipped models file, compiled in (no fetch): real coefficients must round-trip too.
fn models_artifact(version: &str) -> ModelsArtifact {
    let mut models: ModelsArtifact =
        serde_json::from_str(include_str!("../public/artifacts/models.json")).expect("models.json parses");
    models.version = version.into();
    models
}

fn entry(kind: Kind, message: &str) -> LogEntry {
    LogEntry::new("2020-01-01T00:00:00.000Z", kind, message, "detalle 1\ndetalle 2")
}

/// Tables equal bit for bit (`==` on f64 would accept 0.0 for -0.0).
fn assert_same_bits(a: &Database, b: &Database) {
    for (x, y) in [(&a.rainfall, &b.rainfall), (&a.central_bank, &b.central_bank), (&a.milk_price, &b.milk_price)] {
        assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>());
        for (month, row) in x {
            let bits = |r: &Vec<f64>| r.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(row), bits(&y[month]), "row {month}");
        }
    }
}

async fn fresh(name: &str) -> Store {
    Store::delete_named(name).await.expect("delete");
    Store::open_named(name).await.expect("open")
}

#[wasm_bindgen_test]
async fn seeding_stores_tables_models_and_version_in_one_go() {
    let store = fresh("leche-test-seed").await;
    assert_eq!(store.meta().await.expect("meta").artifact_version, None);
    assert_eq!(store.read_models().await.expect("models"), None);

    let shipped = database_artifact(small_database(), "v1");
    let models = models_artifact("v1");
    store.replace_shipped(&shipped, &shipped.tables, &models, &[], &entry(Kind::CargaInicial, "sembrado"), "2020-01-01T00:00:00.000Z").await.expect("seed");

    let meta = store.meta().await.expect("meta");
    assert_eq!(meta.artifact_version.as_deref(), Some("v1"));
    assert_eq!(meta.schema_version, Some(leche::store::SCHEMA_VERSION));
    assert_same_bits(&store.read_database().await.expect("read"), &shipped.tables);
    let stored = store.read_models().await.expect("models").expect("seeded");
    assert_eq!(stored.verdict, models.verdict);
    assert_eq!(stored.default_model, models.default_model);
    for id in [ModelId::Recommended, ModelId::Replica] {
        let find = |a: &ModelsArtifact| a.models.iter().find(|x| x.id == id).cloned();
        assert_eq!(find(&stored), find(&models), "{id:?} round-trips exactly");
    }
    let log = store.read_log().await.expect("log");
    assert_eq!(log, vec![entry(Kind::CargaInicial, "sembrado")]);
    store.close();
}

#[wasm_bindgen_test]
async fn reading_a_month_range_returns_only_those_months() {
    let store = fresh("leche-test-range").await;
    let shipped = database_artifact(small_database(), "v1");
    store.replace_shipped(&shipped, &shipped.tables, &models_artifact("v1"), &[], &entry(Kind::CargaInicial, "x"), "t").await.expect("seed");

    let got = store.read_range(m("2019-12"), m("2020-07")).await.expect("range");
    let mut want = shipped.tables.clone();
    for rows in [&mut want.rainfall, &mut want.central_bank, &mut want.milk_price] {
        rows.retain(|k, _| *k >= m("2019-12") && *k <= m("2020-07"));
    }
    assert_same_bits(&got, &want);
    assert_eq!(got.milk_price.len(), 7, "2020-02 is a gap in the price");
    assert!(store.read_range(m("1990-01"), m("1990-12")).await.expect("empty range").milk_price.is_empty());

    // A forecast from the range equals one from the whole database.
    let models = models_artifact("v1");
    let replica = models.models.iter().find(|x| x.id == ModelId::Replica).expect("replica");
    let whole = replica.forecast_range(&shipped.tables, m("2020-01"), m("2020-07"));
    let ranged = store.read_range(m("2020-01").offset(-3), m("2020-07")).await.expect("range");
    assert_eq!(replica.forecast_range(&ranged, m("2020-01"), m("2020-07")), whole);
    store.close();
}

#[wasm_bindgen_test]
async fn reset_restores_exactly_the_shipped_rows_and_keeps_the_log() {
    let store = fresh("leche-test-reset").await;
    let shipped = database_artifact(small_database(), "v1");
    let models = models_artifact("v1");
    store.replace_shipped(&shipped, &shipped.tables, &models, &[], &entry(Kind::CargaInicial, "sembrado"), "t").await.expect("seed");

    // Something else lands in the store: a changed value, an extra month, a lost month.
    let mut changed = shipped.tables.clone();
    changed.milk_price.insert(m("2020-01"), vec![-0.0]);
    changed.rainfall.insert(m("2030-01"), vec![1.0; 8]);
    changed.central_bank.remove(&m("2019-10"));
    let other = database_artifact(changed, "v2");
    store.replace_shipped(&other, &other.tables, &models_artifact("v2"), &[], &entry(Kind::Actualizacion, "otra"), "t").await.expect("other");
    assert_eq!(store.read_database().await.expect("read").rainfall.len(), shipped.tables.rainfall.len() + 1);

    store.replace_shipped(&shipped, &shipped.tables, &models, &[], &entry(Kind::Reinicio, "restaurado"), "t").await.expect("reset");
    assert_same_bits(&store.read_database().await.expect("read"), &shipped.tables);
    assert_eq!(store.meta().await.expect("meta").artifact_version.as_deref(), Some("v1"));
    let kinds: Vec<Kind> = store.read_log().await.expect("log").iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![Kind::CargaInicial, Kind::Actualizacion, Kind::Reinicio]);
    store.close();
}

#[wasm_bindgen_test]
async fn the_interaction_log_persists_across_a_reopen_until_cleared() {
    let name = "leche-test-log";
    let store = fresh(name).await;
    store.append_log(&entry(Kind::Prediccion, "2020-01")).await.expect("append");
    store.append_log(&entry(Kind::EntradaInvalida, "«hola»")).await.expect("append");
    store.close();

    let reopened = Store::open_named(name).await.expect("reopen");
    let log = reopened.read_log().await.expect("log");
    assert_eq!(log, vec![entry(Kind::Prediccion, "2020-01"), entry(Kind::EntradaInvalida, "«hola»")]);

    reopened.clear_log(&entry(Kind::RegistroBorrado, "borrado")).await.expect("clear");
    assert_eq!(reopened.read_log().await.expect("log"), vec![entry(Kind::RegistroBorrado, "borrado")]);
    reopened.close();
}

#[wasm_bindgen_test]
async fn an_upload_batch_is_written_in_one_go_and_undone_exactly() {
    use leche_core::clean::read_file;
    use leche_core::upload::{plan, Batch};
    let store = fresh("leche-test-batch").await;
    let shipped = database_artifact(small_database(), "v1");
    store.replace_shipped(&shipped, &shipped.tables, &models_artifact("v1"), &[], &entry(Kind::CargaInicial, "s"), "t").await.expect("seed");

    // One new month, one revised month replaced, one month already present.
    let file = read_file("leche.csv", b"Anio,Mes,Precio_leche\n2020,Sep,300.5\n2020,Ene,1.25\n2019,Oct,230.3\n", m("2026-11")).expect("file");
    let upload = plan(&shipped.tables, &[file]).expect("plan");
    let mut db = shipped.tables.clone();
    let batch = Batch::apply(&upload, &mut db, true, "t".into());
    let key = store.apply_batch(&batch, &entry(Kind::Carga, "carga")).await.expect("apply");
    assert_same_bits(&store.read_database().await.expect("read"), &db);
    let batches = store.read_batches().await.expect("batches");
    assert_eq!(batches, vec![(key, batch.clone())]);

    store.undo_batch(key, &batch, &entry(Kind::Deshacer, "deshecho")).await.expect("undo");
    assert_same_bits(&store.read_database().await.expect("read"), &shipped.tables);
    assert!(store.read_batches().await.expect("batches")[0].1.undone);
    let kinds: Vec<Kind> = store.read_log().await.expect("log").iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![Kind::CargaInicial, Kind::Carga, Kind::Deshacer]);
    store.close();
}

#[wasm_bindgen_test]
async fn a_failure_in_the_middle_of_an_upload_write_leaves_the_store_unchanged() {
    use leche_core::upload::{Batch, WriteKind, Written};
    use leche_core::Source;
    let store = fresh("leche-test-abort").await;
    let shipped = database_artifact(small_database(), "v1");
    store.replace_shipped(&shipped, &shipped.tables, &models_artifact("v1"), &[], &entry(Kind::CargaInicial, "s"), "t").await.expect("seed");
    // Two good rows are written first; the third is corrupt and aborts the transaction.
    let batch = Batch {
        time: "t".into(),
        files: vec!["x.csv".into()],
        written: [
            (Source::MilkPrice, m("2021-01"), vec![300.0]),
            (Source::Rainfall, m("2019-10"), vec![9.0; 8]),
            (Source::CentralBank, m("2021-01"), vec![1.0; 3]),
        ]
        .into_iter()
        .map(|(source, month, values)| Written { source, month, values, kind: WriteKind::Insert, replaced: None })
        .collect(),
        undone: false,
    };
    let err = store.apply_batch(&batch, &entry(Kind::Carga, "carga")).await.expect_err("corrupt row");
    assert!(err.to_string().contains("2021-01"), "{err}");
    assert_same_bits(&store.read_database().await.expect("read"), &shipped.tables);
    assert!(store.read_batches().await.expect("batches").is_empty());
    assert_eq!(store.read_log().await.expect("log").len(), 1, "only the seeding entry");
    store.close();
}

#[wasm_bindgen_test]
async fn an_adopted_model_persists_across_a_reopen_and_reset_restores_the_shipped_one() {
    use leche_core::artifact::{Adoption, EvaluationArtifact};
    let name = "leche-test-adopt";
    let store = fresh(name).await;
    let shipped = database_artifact(small_database(), "v1");
    let models = models_artifact("v1");
    store.replace_shipped(&shipped, &shipped.tables, &models, &[], &entry(Kind::CargaInicial, "sembrado"), "t").await.expect("seed");

    // A retrained model: the replica's fit standing in as the new recommended one.
    let evaluation: EvaluationArtifact =
        serde_json::from_str(include_str!("../public/artifacts/evaluation.json")).expect("evaluation.json parses");
    let mut adopted = models.clone();
    let mut model = adopted.models.iter().find(|m| m.id == ModelId::Replica).expect("replica").clone();
    model.id = ModelId::Recommended;
    model.name = "reentrenado".into();
    adopted.models.retain(|m| m.id != ModelId::Recommended);
    adopted.models.push(model.clone());
    adopted.verdict = "otro veredicto".into();
    adopted.adopted = Some(Adoption { at: "t2".into(), data: "datos".into(), evaluation: evaluation.honest.expect("honest") });
    store.adopt(&adopted, &entry(Kind::Reentrenamiento, "adoptado")).await.expect("adopt");
    store.close();

    let store = Store::open_named(name).await.expect("reopen");
    let read = store.read_models().await.expect("read").expect("models");
    assert_eq!(read.adopted, adopted.adopted);
    assert_eq!(read.verdict, "otro veredicto");
    assert_eq!(read.models.iter().find(|m| m.id == ModelId::Recommended), Some(&model));
    // The tables were not touched.
    assert_same_bits(&store.read_database().await.expect("read"), &shipped.tables);

    store.replace_shipped(&shipped, &shipped.tables, &models, &[], &entry(Kind::Reinicio, "restaurado"), "t").await.expect("reset");
    let read = store.read_models().await.expect("read").expect("models");
    assert_eq!(read.models.iter().find(|m| m.id == ModelId::Recommended), models.models.iter().find(|m| m.id == ModelId::Recommended));
    assert_eq!((read.adopted, read.verdict), (None, models.verdict));
    let kinds: Vec<Kind> = store.read_log().await.expect("log").iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![Kind::CargaInicial, Kind::Reentrenamiento, Kind::Reinicio]);
    store.close();
}

/// A large upload is written (and undone) in several tasks, so the page
/// stays responsive, but still as one transaction: every row lands, or none does.
#[wasm_bindgen_test]
async fn a_large_upload_is_written_across_tasks_as_one_transaction() {
    use leche_core::upload::{Batch, WriteKind, Written};
    use leche_core::Source;
    let store = fresh("leche-test-large").await;
    let shipped = database_artifact(small_database(), "v1");
    store.replace_shipped(&shipped, &shipped.tables, &models_artifact("v1"), &[], &entry(Kind::CargaInicial, "s"), "t").await.expect("seed");
    let first = m("3000-01");
    let rows = |n: i32| -> Vec<Written> {
        (0..n)
            .map(|i| Written { source: Source::Rainfall, month: first.offset(i), values: vec![f64::from(i); 8], kind: WriteKind::Insert, replaced: None })
            .collect()
    };
    let batch = |written| Batch { time: "t".into(), files: vec!["grande.csv".into()], written, undone: false };

    // A corrupt row well past the first hand-back to the event loop: nothing is kept.
    let mut corrupt = rows(2_500);
    corrupt[2_200].values.pop();
    store.apply_batch(&batch(corrupt), &entry(Kind::Carga, "carga")).await.expect_err("corrupt row");
    assert_same_bits(&store.read_database().await.expect("read"), &shipped.tables);

    let good = batch(rows(2_500));
    let key = store.apply_batch(&good, &entry(Kind::Carga, "carga")).await.expect("written");
    let db = store.read_database().await.expect("read");
    assert_eq!(db.rainfall.len(), shipped.tables.rainfall.len() + 2_500);
    assert_eq!(db.rainfall[&first.offset(2_499)], vec![2_499.0; 8]);

    // Undone across tasks too: exactly the shipped rows again.
    store.undo_batch(key, &good, &entry(Kind::Deshacer, "deshecha")).await.expect("undone");
    assert_same_bits(&store.read_database().await.expect("read"), &shipped.tables);
    store.close();
}
