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

/// Seeds `store` with `tables` as the published data of `version` (no batches kept).
async fn seed(store: &Store, tables: &Database, version: &str, kind: Kind, message: &str) {
    let shipped = database_artifact(tables.clone(), version);
    store.reseed(&shipped, &models_artifact(version), |_| entry(kind, message), "2020-01-01T00:00:00.000Z").await.expect("seed");
}

/// Resets `store` to `tables` (what the reset button does: no batches, log kept).
async fn reset(store: &Store, tables: &Database, version: &str, kind: Kind, message: &str) {
    store.replace_all(version, tables, &models_artifact(version), &[], None, &entry(kind, message), "t").await.expect("reset");
}

async fn tables(store: &Store) -> Database {
    store.snapshot().await.expect("snapshot").db
}

#[wasm_bindgen_test]
async fn seeding_stores_tables_models_and_version_in_one_go() {
    let store = fresh("leche-test-seed").await;
    let empty = store.snapshot().await.expect("snapshot");
    assert_eq!((empty.meta.artifact_version, empty.models), (None, None));

    let models = models_artifact("v1");
    seed(&store, &small_database(), "v1", Kind::CargaInicial, "sembrado").await;

    let snapshot = store.snapshot().await.expect("snapshot");
    assert_eq!(snapshot.meta.artifact_version.as_deref(), Some("v1"));
    assert_eq!(snapshot.meta.schema_version, Some(leche::store::SCHEMA_VERSION));
    assert_same_bits(&snapshot.db, &small_database());
    let stored = snapshot.models.expect("seeded");
    assert_eq!(stored.verdict, models.verdict);
    assert_eq!(stored.default_model, models.default_model);
    for id in [ModelId::Recommended, ModelId::Replica] {
        let find = |a: &ModelsArtifact| a.models.iter().find(|x| x.id == id).cloned();
        assert_eq!(find(&stored), find(&models), "{id:?} round-trips exactly");
    }
    assert_eq!(store.read_log().await.expect("log"), vec![entry(Kind::CargaInicial, "sembrado")]);
    store.close();
}

#[wasm_bindgen_test]
async fn reset_restores_exactly_the_shipped_rows_and_keeps_the_log() {
    let store = fresh("leche-test-reset").await;
    let shipped = small_database();
    seed(&store, &shipped, "v1", Kind::CargaInicial, "sembrado").await;

    // Something else lands in the store: a changed value, an extra month, a lost month.
    let mut changed = shipped.clone();
    changed.milk_price.insert(m("2020-01"), vec![-0.0]);
    changed.rainfall.insert(m("2030-01"), vec![1.0; 8]);
    changed.central_bank.remove(&m("2019-10"));
    seed(&store, &changed, "v2", Kind::Actualizacion, "otra").await;
    assert_eq!(tables(&store).await.rainfall.len(), shipped.rainfall.len() + 1);

    reset(&store, &shipped, "v1", Kind::Reinicio, "restaurado").await;
    assert_same_bits(&tables(&store).await, &shipped);
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
    let shipped = small_database();
    seed(&store, &shipped, "v1", Kind::CargaInicial, "s").await;

    // One new month, one revised month replaced, one month already present.
    let file = read_file("leche.csv", b"Anio,Mes,Precio_leche\n2020,Sep,300.5\n2020,Ene,1.25\n2019,Oct,230.3\n").expect("file");
    let upload = plan(&shipped, &[file], None).expect("plan");
    let mut db = shipped.clone();
    let batch = Batch::apply(&upload, &mut db, true, "t".into());
    let key = store.apply_batch(&batch, &entry(Kind::Carga, "carga")).await.expect("apply");
    let snapshot = store.snapshot().await.expect("snapshot");
    assert_same_bits(&snapshot.db, &db);
    assert_eq!(snapshot.batches, vec![(key, batch.clone())]);

    store.undo_batch(key, &batch, &entry(Kind::Deshacer, "deshecho")).await.expect("undo");
    let snapshot = store.snapshot().await.expect("snapshot");
    assert_same_bits(&snapshot.db, &shipped);
    assert!(snapshot.batches[0].1.undone);
    let kinds: Vec<Kind> = store.read_log().await.expect("log").iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![Kind::CargaInicial, Kind::Carga, Kind::Deshacer]);
    store.close();
}

/// A new deploy reseeds in one transaction that also reads the batches:
/// the user's rows come back on top of the new shipped data.
#[wasm_bindgen_test]
async fn a_new_deploy_keeps_the_users_rows_in_one_transaction() {
    use leche_core::clean::read_file;
    use leche_core::upload::{plan, Batch};
    let store = fresh("leche-test-deploy").await;
    let shipped = small_database();
    seed(&store, &shipped, "v1", Kind::CargaInicial, "s").await;
    let file = read_file("leche.csv", b"Anio,Mes,Precio_leche\n2020,Sep,300.5\n2020,Oct,301.5\n").expect("file");
    let mut db = shipped.clone();
    let batch = Batch::apply(&plan(&shipped, &[file], None).expect("plan"), &mut db, false, "t".into());
    store.apply_batch(&batch, &entry(Kind::Carga, "carga")).await.expect("apply");

    // The new deploy ships September officially, with another value.
    let mut next = shipped.clone();
    next.milk_price.insert(m("2020-09"), vec![299.0]);
    let done = store
        .reseed(&database_artifact(next.clone(), "v2"), &models_artifact("v2"), |d| entry(Kind::Actualizacion, &format!("{} filas", d.kept_rows)), "t")
        .await
        .expect("reseed");
    assert_eq!(done.kept_rows, 1, "October is the user's; September is now official");
    let snapshot = store.snapshot().await.expect("snapshot");
    assert_eq!(snapshot.db.price(m("2020-09")), Some(299.0));
    assert_eq!(snapshot.db.price(m("2020-10")), Some(301.5));
    assert_eq!(snapshot.meta.artifact_version.as_deref(), Some("v2"));
    assert_eq!(store.read_log().await.expect("log").last(), Some(&entry(Kind::Actualizacion, "1 filas")));
    store.close();
}

#[wasm_bindgen_test]
async fn a_failure_in_the_middle_of_an_upload_write_leaves_the_store_unchanged() {
    use leche_core::upload::{Batch, Undo};
    use leche_core::Source;
    let store = fresh("leche-test-abort").await;
    let shipped = small_database();
    seed(&store, &shipped, "v1", Kind::CargaInicial, "s").await;
    // Two good rows are written first; the third is corrupt and aborts the transaction.
    let batch = Batch {
        time: "t".into(),
        files: vec!["x.csv".into()],
        written: vec![
            (Source::MilkPrice, m("2021-01"), vec![300.0]),
            (Source::Rainfall, m("2019-10"), vec![9.0; 8]),
            (Source::CentralBank, m("2021-01"), vec![1.0; 3]),
        ],
        undo: Undo::default(),
        undone: false,
    };
    let err = store.apply_batch(&batch, &entry(Kind::Carga, "carga")).await.expect_err("corrupt row");
    assert!(err.to_string().contains("2021-01"), "{err}");
    let snapshot = store.snapshot().await.expect("snapshot");
    assert_same_bits(&snapshot.db, &shipped);
    assert!(snapshot.batches.is_empty());
    assert_eq!(store.read_log().await.expect("log").len(), 1, "only the seeding entry");
    store.close();
}

#[wasm_bindgen_test]
async fn an_adopted_model_persists_across_a_reopen_and_reset_restores_the_shipped_one() {
    use leche_core::artifact::{Adoption, EvaluationArtifact};
    let name = "leche-test-adopt";
    let store = fresh(name).await;
    let shipped = small_database();
    let models = models_artifact("v1");
    seed(&store, &shipped, "v1", Kind::CargaInicial, "sembrado").await;

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
    let snapshot = store.snapshot().await.expect("snapshot");
    let read = snapshot.models.expect("models");
    assert_eq!(read.adopted, adopted.adopted);
    assert_eq!(read.verdict, "otro veredicto");
    assert_eq!(read.models.iter().find(|m| m.id == ModelId::Recommended), Some(&model));
    // The tables were not touched.
    assert_same_bits(&snapshot.db, &shipped);

    // A new deploy replaces the adopted model with its own, and says so.
    let done = store.reseed(&database_artifact(shipped.clone(), "v2"), &models, |_| entry(Kind::Actualizacion, "v2"), "t").await.expect("reseed");
    assert!(done.replaced_adopted);
    let read = store.snapshot().await.expect("snapshot").models.expect("models");
    assert_eq!(read.models.iter().find(|m| m.id == ModelId::Recommended), models.models.iter().find(|m| m.id == ModelId::Recommended));
    assert_eq!((read.adopted, read.verdict), (None, models.verdict));
    let kinds: Vec<Kind> = store.read_log().await.expect("log").iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![Kind::CargaInicial, Kind::Reentrenamiento, Kind::Actualizacion]);
    store.close();
}

/// A damaged record is an error naming it, never a panic; the recovery
/// download still gets every record, damaged ones included.
#[wasm_bindgen_test]
async fn damaged_records_are_named_and_still_downloadable() {
    let name = "leche-test-damaged";
    let store = fresh(name).await;
    seed(&store, &small_database(), "v1", Kind::CargaInicial, "s").await;
    store.close();
    for (key, value) in [("2020-01", wasm_bindgen::JsValue::from_str("no es una fila")), ("no-es-mes", js_sys::Array::of1(&1.0.into()).into())] {
        raw_put(name, "milk_price", key, &value).await;
        let store = Store::open_named(name).await.expect("open");
        let err = store.snapshot().await.expect_err("damaged");
        assert!(err.to_string().contains("milk_price"), "{err}");
        let dump = store.dump().await.expect("dump");
        let parsed: serde_json::Value = serde_json::from_str(&dump).expect("the dump is JSON");
        assert!(parsed["rainfall"].as_array().is_some_and(|r| r.len() == 9), "every rainfall row is in the dump");
        assert!(dump.contains(key), "the damaged record too");
        store.close();
        raw_delete(name, "milk_price", key).await;
    }
    // A row of the wrong width is damaged too.
    raw_put(name, "rainfall", "2020-01", &js_sys::Array::of2(&1.0.into(), &2.0.into()).into()).await;
    let store = Store::open_named(name).await.expect("open");
    let err = store.snapshot().await.expect_err("wrong width");
    assert!(err.to_string().contains("2020-01") && err.to_string().contains("rainfall"), "{err}");
    store.close();
}

/// Writes a raw value into an object store, as a bug or another program might.
async fn raw_put(db: &str, store: &str, key: &str, value: &wasm_bindgen::JsValue) {
    let factory = idb::Factory::new().expect("factory");
    let db = factory.open(db, None).expect("open").await.expect("opened");
    let tx = db.transaction(&[store], idb::TransactionMode::ReadWrite).expect("tx");
    tx.object_store(store).expect("store").put(value, Some(&wasm_bindgen::JsValue::from_str(key))).expect("put");
    tx.commit().expect("commit").await.expect("committed");
    db.close();
}

async fn raw_delete(db: &str, store: &str, key: &str) {
    let factory = idb::Factory::new().expect("factory");
    let db = factory.open(db, None).expect("open").await.expect("opened");
    let tx = db.transaction(&[store], idb::TransactionMode::ReadWrite).expect("tx");
    tx.object_store(store).expect("store").delete(wasm_bindgen::JsValue::from_str(key)).expect("delete");
    tx.commit().expect("commit").await.expect("committed");
    db.close();
}
