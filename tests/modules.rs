//! The module graph has no cycles: in the app (`src/`) and in the library
//! (`core/src/`), a top-level module that uses another is never used by it,
//! directly or through others. Arrows that run one way keep each part
//! testable and replaceable on its own (issue 16). In the app the top-level
//! modules are the folders that draw the layers, and each may use only the
//! layers listed for it in [`APP_LAYERS`] (issue 22): `view` nothing else of
//! the app, the pages not the shell nor the worker; in the library likewise
//! [`CORE_LAYERS`] (data and fit use nothing, the forecasters only them).
//! Read from the sources, so a new cycle or a new arrow fails `cargo test`
//! with it named.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return out };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The top-level module a file belongs to (`src/routes/datos/upload.rs` → `routes`).
fn module_of(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap_or(file);
    let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    first.trim_end_matches(".rs").to_string()
}

/// The top-level modules a file's code names through `crate::` (comments skipped).
fn uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines().map(str::trim_start).filter(|l| !l.starts_with("//")) {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                out.extend(inner.split(',').map(|p| ident(p.trim())).filter(|m| !m.is_empty()));
            } else {
                out.insert(ident(rest));
            }
        }
    }
    out.remove("");
    out
}

fn ident(text: &str) -> String {
    text.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// Edges between top-level modules of the crate rooted at `root` (self edges dropped).
fn graph(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in sources(root) {
        let from = module_of(root, &file);
        let text = fs::read_to_string(&file).unwrap_or_default();
        let to: BTreeSet<String> = uses(&text).into_iter().filter(|m| *m != from).collect();
        g.entry(from).or_default().extend(to);
    }
    g
}

/// A cycle through `start`, if any, as the modules along it.
fn cycle_from(g: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    fn walk(g: &BTreeMap<String, BTreeSet<String>>, at: &str, start: &str, path: &mut Vec<String>, seen: &mut BTreeSet<String>) -> bool {
        for next in g.get(at).into_iter().flatten() {
            if next == start {
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(g, next, start, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    walk(g, start, start, &mut path, &mut BTreeSet::new()).then(|| {
        path.push(start.to_string());
        path
    })
}

fn assert_acyclic(root: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(root);
    let g = graph(&root);
    assert!(g.len() > 5, "no modules found under {}", root.display());
    let cycles: Vec<String> = g.keys().filter_map(|m| cycle_from(&g, m)).map(|c| c.join(" → ")).collect();
    assert!(cycles.is_empty(), "module cycles in {}:\n{}", root.display(), cycles.join("\n"));
}

#[test]
fn the_app_modules_form_no_cycle() {
    assert_acyclic("src");
}

/// Each top-level module of the app and the others it may use (`lib.rs`,
/// `main.rs` and `bin/` reach the library as `leche::`, never `crate::`).
const APP_LAYERS: &[(&str, &[&str])] = &[
    ("view", &[]),
    ("wire", &["view"]),
    ("browser", &["view"]),
    ("components", &["browser", "view"]),
    ("crash", &["browser", "view"]),
    ("store", &["browser", "view"]),
    ("worker", &["browser", "store", "view", "wire"]),
    ("session", &["browser", "store", "view", "wire", "worker"]),
    ("routes", &["browser", "components", "crash", "session", "view"]),
    ("shell", &["browser", "components", "crash", "routes", "session", "view"]),
    ("lib", &[]),
    ("main", &[]),
    ("bin", &[]),
];

/// The arrows of `g` that `layers` does not allow, and the modules it does not place.
fn outside_layers(g: &BTreeMap<String, BTreeSet<String>>, layers: &[(&str, &[&str])]) -> Vec<String> {
    let mut out = Vec::new();
    for (from, to) in g {
        let Some((_, allowed)) = layers.iter().find(|(m, _)| m == from) else {
            out.push(format!("{from}: not placed in the layers"));
            continue;
        };
        out.extend(to.iter().filter(|m| !allowed.contains(&m.as_str())).map(|m| format!("{from} → {m}")));
    }
    out
}

#[test]
fn the_app_modules_use_only_the_layers_below_them() {
    let g = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(g.contains_key("view") && g.contains_key("shell"), "the layers' folders are there");
    let wrong = outside_layers(&g, APP_LAYERS);
    assert!(wrong.is_empty(), "arrows outside tests/modules.rs's APP_LAYERS:\n{}", wrong.join("\n"));
}

#[test]
fn the_checker_sees_grouped_and_inline_uses() {
    let text = "use crate::{a::X, b};\n// crate::commented\nlet y = crate::c::f();";
    assert_eq!(uses(text), ["a", "b", "c"].iter().map(|s| s.to_string()).collect());
    let g: BTreeMap<String, BTreeSet<String>> =
        [("a", ["b"]), ("b", ["a"])].iter().map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect())).collect();
    assert_eq!(cycle_from(&g, "a"), Some(vec!["a".into(), "b".into(), "a".into()]));
    let layers: &[(&str, &[&str])] = &[("a", &["b"]), ("b", &[])];
    assert_eq!(outside_layers(&g, layers), vec!["b → a".to_string()]);
    let unplaced: BTreeMap<String, BTreeSet<String>> = [("c".to_string(), BTreeSet::new())].into();
    assert_eq!(outside_layers(&unplaced, layers), vec!["c: not placed in the layers".to_string()]);
}

#[test]
fn the_library_modules_form_no_cycle() {
    assert_acyclic("core/src");
}

/// The library's layers (issue 22): what comes in, the numerical pieces,
/// the forecasters, the shipped model, and what chooses, watches and
/// publishes models.
const CORE_LAYERS: &[(&str, &[&str])] = &[
    ("data", &[]),
    ("fit", &[]),
    ("forecast", &["data", "fit"]),
    ("model", &["data", "fit", "forecast"]),
    ("drift", &["data", "fit", "model"]),
    ("protocol", &["data", "fit", "forecast", "model"]),
    ("artifact", &["data", "fit", "forecast", "model", "protocol"]),
    ("lib", &["data", "forecast", "model"]),
];

#[test]
fn the_library_modules_use_only_the_layers_below_them() {
    let g = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("core/src"));
    assert!(g.contains_key("data") && g.contains_key("fit"), "the layers' folders are there");
    let wrong = outside_layers(&g, CORE_LAYERS);
    assert!(wrong.is_empty(), "arrows outside tests/modules.rs's CORE_LAYERS:\n{}", wrong.join("\n"));
}
