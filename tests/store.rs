//! The store against real IndexedDB, in headless Chromium:
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p leche --test store`
#![cfg(target_arch = "wasm32")]

use leche::view::interaction::{Kind, LogEntry};
use leche::store::Store;
use leche_core::artifact::{DatabaseArtifact, ModelsArtifact};
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
        // Values the Central Bank's own CSV format can write: whole PIB figures, index decimals.
        let pib = (0..28).map(|j| 5_691_837.0 + f64::from(j) * 1_000.0 + x);
        let index = (0..10).map(|j| [102.796, 96.133, 97.8, 105.46][(j + i) % 4]);
        db.central_bank.insert(month, pib.chain(index).collect());
    }
    // The price runs two months longer (as the shipped data does), with a gap.
    for (i, month) in m("2019-10").through(m("2020-08")).enumerate().filter(|(i, _)| *i != 4) {
        db.milk_price.insert(month, vec![230.0 + (i as f64) * 1.1 + 0.1 + 0.2]);
    }
    db
}

fn database_artifact(db: Database, version: &str) -> DatabaseArtifact {
    DatabaseArtifact::new(version.into(), db)
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
    let models = models_artifact(version);
    let contents = leche::store::Contents { version, tables, models: &models, batches: &[], log: None };
    store.replace_all(contents, &entry(kind, message), "t").await.expect("reset");
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
    changed.milk_price.insert(m("2020-01"), vec![1.25]);
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

/// A price file read as of November 2026 (no month of it is in the future).
fn price_file(body: &str) -> leche_core::data::clean::CleanFile {
    leche_core::data::clean::read_file("leche.csv", format!("Anio,Mes,Precio_leche\n{body}").as_bytes(), m("2026-11")).expect("file")
}

/// Plans `body` against what `store` holds and writes it as one upload.
async fn upload(store: &Store, body: &str, replace: bool) -> (u32, Database) {
    let now = tables(store).await;
    let plan = leche_core::data::upload::plan(&now, &[price_file(body)]).expect("plan");
    let mut after = now.clone();
    let batch = leche_core::data::upload::Batch::apply(&plan, &mut after, replace, "t".into());
    let key = store.insert(&plan, &batch, &entry(Kind::Carga, "carga")).await.expect("insert");
    (key, after)
}

#[wasm_bindgen_test]
async fn an_upload_is_written_in_one_go_and_undone_exactly() {
    let store = fresh("leche-test-batch").await;
    let shipped = small_database();
    seed(&store, &shipped, "v1", Kind::CargaInicial, "s").await;

    // One new month, one revised month replaced, one month already present
    // (written as its shortest round-trip text, so it reads back the same).
    let present = shipped.price(m("2019-10")).expect("shipped price");
    let (key, db) = upload(&store, &format!("2020,Sep,300.5\n2020,Ene,1.25\n2019,Oct,{present:?}\n"), true).await;
    let snapshot = store.snapshot().await.expect("snapshot");
    assert_same_bits(&snapshot.db, &db);
    assert_eq!(snapshot.batches.len(), 1);
    assert_eq!(snapshot.batches[0].1.written.len(), 2);

    store.undo(key, &entry(Kind::Deshacer, "deshecho")).await.expect("undo");
    let snapshot = store.snapshot().await.expect("snapshot");
    assert_same_bits(&snapshot.db, &shipped);
    assert!(snapshot.batches[0].1.undone);
    assert!(store.undo(key, &entry(Kind::Deshacer, "otra vez")).await.is_err(), "an undone upload cannot be undone twice");
    let kinds: Vec<Kind> = store.read_log().await.expect("log").iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![Kind::CargaInicial, Kind::Carga, Kind::Deshacer]);
    store.close();
}

/// Regression (issue 15): undo ignored order — undoing A while B was active
/// deleted B's row, and undoing B afterwards brought back A's value.
#[wasm_bindgen_test]
async fn undo_in_any_order_restores_exactly_what_each_upload_changed() {
    let store = fresh("leche-test-undo-order").await;
    let shipped = small_database();
    seed(&store, &shipped, "v1", Kind::CargaInicial, "s").await;
    let sep = m("2020-09");
    let (a, _) = upload(&store, "2020,Sep,300\n", false).await;
    let (b, _) = upload(&store, "2020,Sep,305\n", true).await;
    assert_eq!(tables(&store).await.price(sep), Some(305.0));

    store.undo(a, &entry(Kind::Deshacer, "A")).await.expect("undo A");
    assert_eq!(tables(&store).await.price(sep), Some(305.0), "B's revision stays");
    store.undo(b, &entry(Kind::Deshacer, "B")).await.expect("undo B");
    assert_same_bits(&tables(&store).await, &shipped);

    // The other order gives the same end.
    let store = fresh("leche-test-undo-order-2").await;
    seed(&store, &shipped, "v1", Kind::CargaInicial, "s").await;
    let (a, _) = upload(&store, "2020,Sep,300\n", false).await;
    let (b, _) = upload(&store, "2020,Sep,305\n", true).await;
    store.undo(b, &entry(Kind::Deshacer, "B")).await.expect("undo B");
    assert_eq!(tables(&store).await.price(sep), Some(300.0), "A's value is back");
    store.undo(a, &entry(Kind::Deshacer, "A")).await.expect("undo A");
    assert_same_bits(&tables(&store).await, &shipped);
    store.close();
}

/// Regression (issue 15): a new deploy re-applied uploads by skipping months
/// already present, so a revision the user confirmed came back as the older value.
#[wasm_bindgen_test]
async fn a_revision_the_user_confirmed_survives_a_new_deploy() {
    let store = fresh("leche-test-revision-deploy").await;
    let shipped = small_database();
    seed(&store, &shipped, "v1", Kind::CargaInicial, "s").await;
    upload(&store, "2020,Sep,300\n", false).await;
    upload(&store, "2020,Sep,305\n2020,Ene,1.25\n", true).await;
    let done = store
        .reseed(&database_artifact(shipped.clone(), "v2"), &models_artifact("v2"), |_| entry(Kind::Actualizacion, "v2"), "t")
        .await
        .expect("reseed");
    let now = store.snapshot().await.expect("snapshot");
    assert_eq!(now.db.price(m("2020-09")), Some(305.0));
    assert_eq!(now.db.price(m("2020-01")), Some(1.25), "a confirmed revision of a shipped month too");
    assert_eq!(done.kept_rows, 3);
    assert!(now.batches.iter().all(|(_, b)| !b.written.is_empty()), "both uploads still show their rows");
    store.close();
}

/// A new deploy reseeds in one transaction that also reads the batches:
/// the user's rows come back on top of the new shipped data, where it has
/// a month the user only inserted, the official value wins.
#[wasm_bindgen_test]
async fn a_new_deploy_keeps_the_users_rows_in_one_transaction() {
    let store = fresh("leche-test-deploy").await;
    let shipped = small_database();
    seed(&store, &shipped, "v1", Kind::CargaInicial, "s").await;
    upload(&store, "2020,Sep,300.5\n2020,Oct,301.5\n", false).await;
    let mut next = shipped.clone();
    next.milk_price.insert(m("2020-09"), vec![299.0]);
    let done = store
        .reseed(&database_artifact(next, "v2"), &models_artifact("v2"), |d| entry(Kind::Actualizacion, &format!("{} filas", d.kept_rows)), "t")
        .await
        .expect("reseed");
    assert_eq!((done.kept_rows, done.superseded.len()), (1, 1));
    let snapshot = store.snapshot().await.expect("snapshot");
    assert_eq!(snapshot.db.price(m("2020-09")), Some(299.0));
    assert_eq!(snapshot.db.price(m("2020-10")), Some(301.5));
    assert_eq!(snapshot.meta.artifact_version.as_deref(), Some("v2"));
    assert_eq!(store.read_log().await.expect("log").last(), Some(&entry(Kind::Actualizacion, "1 filas")));
    store.close();
}

/// Regression (issue 15): a plan was built when the file was read and
/// written later without looking again, overwriting another tab's rows.
#[wasm_bindgen_test]
async fn two_tabs_planning_the_same_month_get_a_conflict_not_an_overwrite() {
    let store = fresh("leche-test-two-tabs").await;
    let shipped = small_database();
    seed(&store, &shipped, "v1", Kind::CargaInicial, "s").await;
    // This tab plans September as a new month…
    let plan = leche_core::data::upload::plan(&shipped, &[price_file("2020,Sep,300\n")]).expect("plan");
    let mut mine = shipped.clone();
    let batch = leche_core::data::upload::Batch::apply(&plan, &mut mine, false, "t".into());
    // …while another tab writes it first.
    upload(&store, "2020,Sep,310\n", false).await;
    let before = store.snapshot().await.expect("snapshot");
    let err = store.insert(&plan, &batch, &entry(Kind::Carga, "carga")).await.expect_err("changed meanwhile");
    let leche::store::StoreError::Changed { months, plan: now } = err else { panic!("a change, got {err}") };
    assert_eq!(months, vec![(leche_core::Source::MilkPrice, m("2020-09"))]);
    assert_eq!(now.tables[0].conflicts[0].stored, vec![310.0], "the other tab's value, to confirm");
    assert!(now.tables[0].insert.is_empty());
    assert_eq!(store.snapshot().await.expect("snapshot"), before, "nothing written");
    store.close();
}

#[wasm_bindgen_test]
async fn a_failure_in_the_middle_of_an_upload_write_leaves_the_store_unchanged() {
    use leche_core::data::upload::{Batch, WriteKind, Written};
    use leche_core::Source;
    let store = fresh("leche-test-abort").await;
    let shipped = small_database();
    seed(&store, &shipped, "v1", Kind::CargaInicial, "s").await;
    let plan = leche_core::data::upload::plan(&shipped, &[price_file("2021,Ene,300\n")]).expect("plan");
    // Two good rows are written first; the third is corrupt and aborts the transaction.
    let row = |source, month: &str, values: Vec<f64>| Written { source, month: m(month), values, kind: WriteKind::Insert, replaced: None };
    let batch = Batch {
        time: "t".into(),
        files: vec!["x.csv".into()],
        written: vec![
            row(Source::MilkPrice, "2021-01", vec![300.0]),
            row(Source::Rainfall, "2019-10", vec![9.0; 8]),
            row(Source::CentralBank, "2021-01", vec![1.0; 3]),
        ],
        undone: false,
    };
    let err = store.insert(&plan, &batch, &entry(Kind::Carga, "carga")).await.expect_err("corrupt row");
    assert!(err.to_string().contains("2021-01"), "{err}");
    let snapshot = store.snapshot().await.expect("snapshot");
    assert_same_bits(&snapshot.db, &shipped);
    assert!(snapshot.batches.is_empty());
    assert_eq!(store.read_log().await.expect("log").len(), 1, "only the seeding entry");
    store.close();
}

/// A large upload is written (and undone) in several tasks, so the page
/// stays responsive, but still as one transaction: every row lands, or none does.
#[wasm_bindgen_test]
async fn a_large_upload_is_written_across_tasks_as_one_transaction() {
    use leche_core::Source;
    let store = fresh("leche-test-large").await;
    let shipped = small_database();
    seed(&store, &shipped, "v1", Kind::CargaInicial, "s").await;
    // 2,400 months of rainfall, 1800-01 … 1999-12: past two hand-backs to the event loop.
    let mut body = String::from("date,Coquimbo,Valparaiso,Metropolitana_de_Santiago,Libertador_Gral__Bernardo_O_Higgins,Maule,Biobio,La_Araucania,Los_Rios\n");
    for (i, month) in m("1800-01").through(m("1999-12")).enumerate() {
        body.push_str(&format!("{month}-01,{},1,1,1,1,1,1,1\n", i % 1_000));
    }
    let file = leche_core::data::clean::read_file("lluvia.csv", body.as_bytes(), m("2026-11")).expect("file");
    let plan = leche_core::data::upload::plan(&shipped, &[file]).expect("plan");
    let mut after = shipped.clone();
    let mut batch = leche_core::data::upload::Batch::apply(&plan, &mut after, false, "t".into());
    assert_eq!(batch.written.len(), 2_400);

    // A corrupt row well past the first hand-back: nothing is kept.
    batch.written[2_200].values.pop();
    store.insert(&plan, &batch, &entry(Kind::Carga, "carga")).await.expect_err("corrupt row");
    assert_same_bits(&tables(&store).await, &shipped);

    batch.written[2_200].values.push(1.0);
    let key = store.insert(&plan, &batch, &entry(Kind::Carga, "carga")).await.expect("written");
    let db = tables(&store).await;
    assert_eq!(db.rainfall.len(), shipped.rainfall.len() + 2_400);
    assert_eq!(db.table(Source::Rainfall)[&m("1999-12")][0], 399.0);

    // Undone across tasks too: exactly the shipped rows again.
    store.undo(key, &entry(Kind::Deshacer, "deshecha")).await.expect("undone");
    assert_same_bits(&tables(&store).await, &shipped);
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

/// Forecasts of 2020-09 … 2020-11 from the small database (last price 2020-08).
fn kept_forecasts(predicted: f64) -> Vec<leche::view::track::KeptForecast> {
    let forecasts: Vec<leche_core::Forecast> = (1..=3)
        .map(|h| leche_core::Forecast {
            month: m("2020-08").offset(h),
            horizon: h as u32,
            predicted: predicted + 0.1 * f64::from(h),
            real: None,
            band50: Some(leche_core::Band { lower: predicted - 1.0, upper: predicted + 1.0 }),
            band80: None,
        })
        .collect();
    leche::view::track::keep(ModelId::Recommended, &forecasts, &small_database(), "2020-09-01T00:00:00.000Z")
}

#[wasm_bindgen_test]
async fn kept_forecasts_read_back_the_first_of_a_key_stands_and_resets_leave_them() {
    let name = "leche-test-forecasts";
    let store = fresh(name).await;
    seed(&store, &small_database(), "v1", Kind::CargaInicial, "s").await;
    let first = kept_forecasts(250.0);
    assert_eq!(store.keep_forecasts(&first).await.expect("keep"), 3);
    // The same months from the same origin again (another showing, another model version): nothing new.
    assert_eq!(store.keep_forecasts(&kept_forecasts(999.0)).await.expect("keep again"), 0);
    let mut read = store.read_forecasts().await.expect("read");
    read.sort_by_key(|k| k.month);
    assert_eq!(read, first, "exactly the first ones, bits included");

    // Reset, a new deploy and clearing the log leave the history.
    reset(&store, &small_database(), "v1", Kind::Reinicio, "r").await;
    seed(&store, &small_database(), "v2", Kind::Actualizacion, "n").await;
    store.clear_log(&entry(Kind::RegistroBorrado, "b")).await.expect("clear");
    assert_eq!(store.read_forecasts().await.expect("read").len(), 3);
    assert!(store.dump().await.expect("dump").contains("recommended/2020-08/2020-09"), "in the recovery dump");
    store.close();

    // A record under another key is damaged, and named.
    let value = serde_json::to_string(&first[0]).expect("json");
    raw_put(name, "forecasts", "otra-clave", &js_sys::JSON::parse(&value).expect("parse")).await;
    let store = Store::open_named(name).await.expect("open");
    let err = store.read_forecasts().await.expect_err("damaged");
    assert!(err.to_string().contains("forecasts") && err.to_string().contains("otra-clave"), "{err}");
    store.snapshot().await.expect("the data are still readable");
    store.close();
}

/// A database of the previous layout (version 2: no `forecasts`) opens
/// upgraded, with its rows and log as they were.
#[wasm_bindgen_test]
async fn a_version_2_database_upgrades_with_its_data_intact() {
    let name = "leche-test-upgrade";
    Store::delete_named(name).await.expect("delete");
    let factory = idb::Factory::new().expect("factory");
    let mut request = factory.open(name, Some(2)).expect("open v2");
    request.on_upgrade_needed(|event| {
        use idb::DatabaseEvent;
        let db = event.database().expect("database");
        for s in ["rainfall", "central_bank", "milk_price", "meta", "models"] {
            db.create_object_store(s, idb::ObjectStoreParams::new()).expect("create");
        }
        for s in ["interaction_log", "batches"] {
            let mut params = idb::ObjectStoreParams::new();
            params.auto_increment(true);
            db.create_object_store(s, params).expect("create");
        }
    });
    let old = request.await.expect("opened v2");
    let log = entry(Kind::Prediccion, "antes");
    let tx = old.transaction(&["milk_price", "interaction_log"], idb::TransactionMode::ReadWrite).expect("tx");
    let row = js_sys::Array::of1(&230.3.into());
    tx.object_store("milk_price").expect("store").put(&row, Some(&wasm_bindgen::JsValue::from_str("2020-08"))).expect("put");
    let log_value = js_sys::JSON::parse(&serde_json::to_string(&log).expect("json")).expect("parse");
    tx.object_store("interaction_log").expect("store").add(&log_value, None).expect("add");
    tx.commit().expect("commit").await.expect("committed");
    old.close();

    let store = Store::open_named(name).await.expect("upgrade");
    let snapshot = store.snapshot().await.expect("snapshot");
    assert_eq!(snapshot.db.price(m("2020-08")).map(f64::to_bits), Some(230.3f64.to_bits()));
    assert_eq!(store.read_log().await.expect("log"), vec![log]);
    assert_eq!(store.read_forecasts().await.expect("empty"), vec![]);
    assert_eq!(store.keep_forecasts(&kept_forecasts(250.0)).await.expect("keep"), 3);
    store.close();
}
