//! Mutations that know the inputs' structure: CSV lines and cells, backup
//! JSON fields, query tokens; plus plain byte edits for what no structure
//! expects.

use proptest::prelude::RngExt;
use proptest::test_runner::TestRng;
use serde_json::Value;

/// Cell texts that have broken, or could break, a reader or a check.
pub const HOSTILE_CELLS: [&str; 58] = [
    "", " ", "NaN", "nan", "inf", "-inf", "Infinity", "1e308", "1.7976931348623157e308", "-1.7976931348623157e308",
    "5e-324", "-5e-324", "-0.0", "-0", "0", "0.5", "05.1", "0.123.456", "9e15", "9000000000000000", "9223372036854775808",
    "99999999999999999999", "1e17", "-1", "2000", "2000.0000001", "10000", "10000.000001", "0.999", "1", "1,5", "1.2.3",
    "102.796.218", "10.546.824", "978.554.365", "96.133.164", "19.5", "..", ".", "-", "+", "e", "1e", "１２", "٣", "\u{feff}1",
    "\"", "\"\"", "a,b", "2999-01-01", "9999-12-01 00:00:00 UTC", "0999-01-01", "2020-13-01", "2020-02-30", "3000", "ENE",
    "Foo", "1e-7",
];

/// Text that has broken, or could break, a month, a key or a number.
const HOSTILE_STRINGS: [&str; 16] = [
    "", "9999-12", "10000-01", "0999-12", "2020-13", "2020-1", "-2020-01", "2020-00", "x", "\u{0}", "é", "2020-01-01T", "null",
    "milk_price", "replace", "insert",
];

const HOSTILE_NUMBERS: [f64; 16] = [
    0.0, -0.0, -1.0, 1.0, 0.5, 5e-324, 1e308, -1e308, 9e15, 1e17, 2000.0, 2000.5, 10000.0, 19.5, 4_294_967_295.0, 4_294_967_296.0,
];

fn pick<'a, T>(rng: &mut TestRng, items: &'a [T]) -> Option<&'a T> {
    if items.is_empty() {
        None
    } else {
        items.get(rng.random_range(0..items.len()))
    }
}

/// A few plain byte edits: flips, insertions, deletions, duplications, truncation.
pub fn bytes(rng: &mut TestRng, data: &mut Vec<u8>) {
    for _ in 0..rng.random_range(1..4) {
        let len = data.len();
        match rng.random_range(0..6) {
            0 if len > 0 => {
                let i = rng.random_range(0..len);
                data[i] ^= 1 << rng.random_range(0..8);
            }
            1 => {
                let i = rng.random_range(0..=len);
                let insert: &[u8] = pick(rng, &[&b","[..], b";", b"\n", b"\r\n", b"\"", b"\0", b"\xff", b".", b"-", b"9", b"e", b" "]).copied().unwrap_or(b",");
                data.splice(i..i, insert.iter().copied());
            }
            2 if len > 0 => {
                let a = rng.random_range(0..len);
                let b = (a + rng.random_range(1..64)).min(len);
                data.drain(a..b);
            }
            3 if len > 0 => {
                let a = rng.random_range(0..len);
                let b = (a + rng.random_range(1..256)).min(len);
                let copy = data[a..b].to_vec();
                data.splice(b..b, copy);
            }
            4 if len > 0 => data.truncate(rng.random_range(0..len)),
            _ => {
                let i = rng.random_range(0..=len);
                data.insert(i, rng.random());
            }
        }
    }
}

/// Edits that keep a CSV mostly a CSV: hostile cells, extra and missing
/// cells, repeated, moved and dropped lines, other separators and line ends.
pub fn csv(rng: &mut TestRng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    for _ in 0..rng.random_range(1..6) {
        let n = lines.len();
        // Mostly data lines; now and then the header.
        let i = if n > 1 && rng.random_bool(0.9) { rng.random_range(1..n) } else { 0 };
        let sep = if lines[i].contains(';') && !lines[i].contains(',') { ';' } else { ',' };
        let mut cells: Vec<String> = lines[i].split(sep).map(str::to_string).collect();
        match rng.random_range(0..10) {
            0..=3 => {
                let c = rng.random_range(0..cells.len());
                cells[c] = pick(rng, &HOSTILE_CELLS).copied().unwrap_or_default().to_string();
            }
            4 => cells.push(pick(rng, &HOSTILE_CELLS).copied().unwrap_or_default().to_string()),
            5 if cells.len() > 1 => {
                let c = rng.random_range(0..cells.len());
                cells.remove(c);
            }
            6 => {
                let line = lines[i].clone();
                for _ in 0..rng.random_range(1..50) {
                    lines.insert(i, line.clone());
                }
                continue;
            }
            7 if n > 1 => {
                let j = rng.random_range(0..n);
                lines.swap(i, j);
                continue;
            }
            8 if n > 1 => {
                lines.remove(i);
                continue;
            }
            _ => cells = cells.iter().map(|c| format!("\"{c}\"")).collect(),
        }
        lines[i] = cells.join(&sep.to_string());
    }
    let end = match rng.random_range(0..8) {
        0 => "\r\n",
        1 => "\r",
        _ => "\n",
    };
    let mut out = lines.join(end);
    if rng.random_bool(0.8) {
        out.push_str(end);
    }
    if rng.random_bool(0.05) {
        out = format!("\u{feff}{out}");
    }
    out
}

/// Structural edits to a JSON document: hostile numbers and strings, keys
/// dropped, array elements repeated or removed, types changed.
pub fn json(rng: &mut TestRng, value: &mut Value) {
    for _ in 0..rng.random_range(1..4) {
        // Walk down a random path (as a JSON pointer); stop at a leaf or at random.
        let mut pointer = String::new();
        let mut node = &*value;
        for _ in 0..rng.random_range(0..12) {
            let next = match node {
                Value::Object(map) if !map.is_empty() => {
                    let i = rng.random_range(0..map.len());
                    map.iter().nth(i).map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
                }
                Value::Array(items) if !items.is_empty() => {
                    let i = rng.random_range(0..items.len());
                    items.get(i).map(|v| (i.to_string(), v))
                }
                _ => None,
            };
            let Some((step, child)) = next else { break };
            pointer.push('/');
            pointer.push_str(&step);
            node = child;
        }
        if let Some(target) = value.pointer_mut(&pointer) {
            edit(rng, target);
        }
    }
}

fn edit(rng: &mut TestRng, node: &mut Value) {
    match (rng.random_range(0..8), &mut *node) {
        (0 | 1, Value::Number(_)) | (0, _) => {
            let n = pick(rng, &HOSTILE_NUMBERS).copied().unwrap_or_default();
            *node = serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number);
        }
        (1, Value::String(_)) | (2, _) => *node = Value::String(pick(rng, &HOSTILE_STRINGS).copied().unwrap_or_default().to_string()),
        (3, Value::Object(map)) if !map.is_empty() => {
            let i = rng.random_range(0..map.len());
            if let Some(key) = map.keys().nth(i).cloned() {
                map.remove(&key);
            }
        }
        (4, Value::Array(items)) if !items.is_empty() => {
            let i = rng.random_range(0..items.len());
            let copy = items[i].clone();
            items.insert(i, copy);
        }
        (5, Value::Array(items)) if !items.is_empty() => {
            let i = rng.random_range(0..items.len());
            items.remove(i);
        }
        (6, _) => *node = Value::Null,
        (_, Value::Number(n)) => {
            // Nearby integers (keys, years, lengths): off by one.
            if let Some(i) = n.as_i64() {
                *node = Value::from(i + rng.random_range(-1..=1));
            }
        }
        _ => *node = Value::Array(Vec::new()),
    }
}

/// Numbers a stored model has been, or could be, broken with: past the
/// largest finite value's neighbourhood, negative prices, zero, the
/// smallest subnormal, just outside the price bounds, offsets at −100 %.
const MODEL_NUMBERS: [f64; 20] = [
    1.797_693_134_862_315_7e308, -1.797_693_134_862_315_7e308, 1e308, 1e300, 1e10, 1e9, -1e9, -210.0, -1.0, -0.999_999, 0.0, -0.0,
    5e-324, 1e-300, 0.999, 1.0, 10_000.0, 10_000.5, 2.5, 1e-9,
];

/// Text a number field may be given instead (serde must refuse it).
const MODEL_STRINGS: [&str; 5] = ["NaN", "inf", "-inf", "1e999", ""];

/// Edits to a model's JSON: numbers to extremes, arrays resized, the
/// pipeline reshaped to another degree and k with a consistent number of
/// coefficients (so the count, not a length mismatch, is what is checked),
/// and [`json`]'s structural edits.
pub fn model(rng: &mut TestRng, value: &mut Value) {
    for _ in 0..rng.random_range(1..4) {
        match rng.random_range(0..8) {
            0 | 1 => {
                let numbers = leaves(value, &|v| v.is_number());
                if let Some(pointer) = pick(rng, &numbers).cloned() {
                    let n = pick(rng, &MODEL_NUMBERS).copied().unwrap_or_default();
                    if let Some(node) = value.pointer_mut(&pointer) {
                        *node = if rng.random_bool(0.1) {
                            Value::String(pick(rng, &MODEL_STRINGS).copied().unwrap_or_default().to_string())
                        } else {
                            serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
                        };
                    }
                }
            }
            2 | 3 => {
                let arrays = leaves(value, &|v| v.as_array().is_some_and(|a| !a.is_empty()));
                if let Some(Value::Array(items)) = pick(rng, &arrays).cloned().and_then(|p| value.pointer_mut(&p)) {
                    match rng.random_range(0..4) {
                        0 => items.truncate(rng.random_range(0..items.len())),
                        1 => items.clear(),
                        _ => {
                            let copy = items[rng.random_range(0..items.len())].clone();
                            let more = if rng.random_bool(0.5) { 1 } else { rng.random_range(1..2_000) };
                            items.extend(std::iter::repeat_n(copy, more));
                        }
                    }
                }
            }
            4 => reshape_pipeline(rng, value),
            _ => json(rng, value),
        }
    }
}

/// JSON pointers of every node (below the root) that `wanted` accepts.
fn leaves(value: &Value, wanted: &dyn Fn(&Value) -> bool) -> Vec<String> {
    fn walk(node: &Value, at: String, wanted: &dyn Fn(&Value) -> bool, out: &mut Vec<String>) {
        if !at.is_empty() && wanted(node) {
            out.push(at.clone());
        }
        match node {
            Value::Object(map) => {
                for (k, v) in map {
                    walk(v, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), wanted, out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, format!("{at}/{i}"), wanted, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), wanted, &mut out);
    out
}

/// The largest consistent pipeline a case builds (its JSON is ~20 bytes a coefficient).
const MAX_BUILT_TERMS: u64 = 200_000;

/// A lag pipeline (wherever it is) given another degree (1–9) and k (1–30),
/// with selected columns, names, scaler and coefficients of matching sizes.
fn reshape_pipeline(rng: &mut TestRng, value: &mut Value) {
    let pipelines = leaves(value, &|v| v.get("pipeline").is_some_and(|p| p.get("coef").is_some()));
    let Some(node) = pick(rng, &pipelines).cloned().and_then(|p| value.pointer_mut(&p)) else { return };
    let (degree, k) = (rng.random_range(1..=9u64), rng.random_range(1..=30u64));
    let Some(terms) = leche_core::fit::poly::terms(k, degree).filter(|&t| t <= MAX_BUILT_TERMS) else { return };
    let coef: Vec<Value> = (0..terms)
        .map(|_| {
            let c = if rng.random_bool(0.01) { pick(rng, &MODEL_NUMBERS).copied().unwrap_or_default() } else { rng.random_range(-2.0..2.0) };
            serde_json::Number::from_f64(c).map_or(Value::Null, Value::Number)
        })
        .collect();
    let selected: Vec<Value> = (0..k).map(|_| Value::from(rng.random_range(0..141u64))).collect();
    // Only fields still present are replaced (earlier edits may have
    // dropped or retyped them; `value[key] = …` would panic on a number).
    let fields = [
        ("/hyper/k", Value::from(k)),
        ("/hyper/degree", Value::from(degree)),
        ("/selected_names", Value::Array(vec![Value::String(String::new()); k as usize])),
        ("/pipeline/degree", Value::from(degree)),
        ("/pipeline/selected", Value::Array(selected)),
        ("/pipeline/scaler/mean", Value::Array(vec![Value::from(0.0); k as usize])),
        ("/pipeline/scaler/scale", Value::Array(vec![Value::from(1.0); k as usize])),
        ("/pipeline/coef", Value::Array(coef)),
    ];
    for (pointer, new) in fields {
        if let Some(slot) = node.pointer_mut(pointer) {
            *slot = new;
        }
    }
}

/// Character edits to a query: digits, dashes, every kind of space and quote.
pub fn query(rng: &mut TestRng, text: &str) -> String {
    const PIECES: [&str; 20] =
        ["0", "1", "9", "-", " ", "\t", "\u{a0}", "\u{3000}", "\"", "'", "«", "»", "“", "”", "2020-01", "9999-12", "10000", "-0", "\u{0}", "é"];
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..rng.random_range(1..4) {
        let i = rng.random_range(0..=chars.len());
        match rng.random_range(0..3) {
            0 if !chars.is_empty() => {
                chars.remove(i.min(chars.len() - 1));
            }
            _ => {
                let piece = pick(rng, &PIECES).copied().unwrap_or_default();
                chars.splice(i..i, piece.chars());
            }
        }
    }
    chars.into_iter().collect()
}

/// Pasted text changed where a paste's reading decides: separators, line
/// ends, month names, years, number marks, whole lines repeated or dropped.
pub fn paste(rng: &mut TestRng, text: &str) -> String {
    const PIECES: [&str; 24] = [
        "\t", ";", " ", "\n", "\r\n", "\t\t", "2024", "2999", "1899", "Enero", "ene", "Feb.", "setiembre", "Mes", "Año", ",", ".",
        "$", "-", "/", "1.234,5", "\u{0}", "\u{a0}", "é",
    ];
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..rng.random_range(1..6) {
        let i = rng.random_range(0..=lines.len());
        match rng.random_range(0..6) {
            0 if !lines.is_empty() => {
                lines.remove(i.min(lines.len() - 1));
            }
            1 if !lines.is_empty() => {
                let copy = lines[i.min(lines.len() - 1)].clone();
                lines.insert(i, copy);
            }
            _ => {
                let line = i.min(lines.len().saturating_sub(1));
                if let Some(l) = lines.get_mut(line) {
                    let mut chars: Vec<char> = l.chars().collect();
                    let at = rng.random_range(0..=chars.len());
                    let piece = pick(rng, &PIECES).copied().unwrap_or_default();
                    chars.splice(at..at, piece.chars());
                    *l = chars.into_iter().collect();
                } else {
                    lines.push(pick(rng, &PIECES).copied().unwrap_or_default().to_string());
                }
            }
        }
    }
    lines.join("\n")
}
