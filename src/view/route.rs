//! Hash routes (`#/`, `#/datos`, `#/registros`) and the predict query in the
//! hash (`#/?q=2019-06+2020-05&modelo=replica`).
//!
//! Hash routes need no server rewrite rules, so `dist/` works from any static
//! host, at the root or under a sub-path, directly and on reload.

use leche_core::{ModelId, Month};

/// The pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Predict,
    Datos,
    Modelo,
    Registros,
}

/// A parsed location hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub page: Page,
    /// The predict query exactly as typed (decoded), if any.
    pub query: Option<String>,
    /// The model named in the hash; unknown names are ignored.
    pub model: Option<ModelId>,
    /// The month whose «¿Por qué?» is open (`porque=2021-03`; see [`crate::view::explanation`]).
    pub why: Option<Month>,
}

impl Page {
    /// The hash that opens this page (without a query).
    pub fn hash(self) -> &'static str {
        match self {
            Page::Predict => "#/",
            Page::Datos => "#/datos",
            Page::Modelo => "#/modelo",
            Page::Registros => "#/registros",
        }
    }
}

/// The model a `modelo` value names, if any: its [`ModelId::key`] (what
/// links are written with), or its Spanish name typed by hand.
pub fn parse_model(value: &str) -> Option<ModelId> {
    ModelId::from_key(value).or(match value {
        "recomendado" => Some(ModelId::Recommended),
        "réplica" => Some(ModelId::Replica),
        _ => None,
    })
}

/// Reads `location.hash` (with or without the leading `#`). Anything
/// unknown opens the predict page, so an old or mistyped link still works.
///
/// ```
/// use leche::view::route::{parse, Page};
/// let r = parse("#/?q=2019-06+2020-05&modelo=replica");
/// assert_eq!((r.page, r.query.as_deref()), (Page::Predict, Some("2019-06 2020-05")));
/// ```
pub fn parse(hash: &str) -> Route {
    let h = hash.strip_prefix('#').unwrap_or(hash);
    let h = h.strip_prefix('/').unwrap_or(h);
    let (path, params) = h.split_once('?').unwrap_or((h, ""));
    let page = match path.trim_end_matches('/') {
        "datos" => Page::Datos,
        "modelo" => Page::Modelo,
        "registros" => Page::Registros,
        _ => Page::Predict,
    };
    let mut route = Route { page, query: None, model: None, why: None };
    for pair in params.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "q" => route.query = Some(decode(v)),
            "modelo" => route.model = parse_model(&decode(v)),
            crate::view::explanation::PARAM => route.why = decode(v).parse().ok(),
            _ => {}
        }
    }
    route
}

/// The hash that shares a prediction: the query with its whitespace
/// normalised to single spaces (written `+`), and the model.
pub fn predict_hash(query: &str, model: ModelId) -> String {
    let q = query.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("#/?q={}&modelo={}", encode(&q), model.key())
}

/// Percent-encoding for a hash parameter; a space becomes `+`.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The inverse of [`encode`]; a malformed escape is kept as typed.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_by_hash() {
        assert_eq!(parse("").page, Page::Predict);
        assert_eq!(parse("#/").page, Page::Predict);
        assert_eq!(parse("#/datos").page, Page::Datos);
        assert_eq!(parse("#/modelo").page, Page::Modelo);
        assert_eq!(parse("#/registros/").page, Page::Registros);
        assert_eq!(parse("#/nada").page, Page::Predict);
    }

    #[test]
    fn query_and_model_round_trip() {
        let h = predict_hash("  2019-06 \t 2020-05 ", ModelId::Replica);
        assert_eq!(h, "#/?q=2019-06+2020-05&modelo=replica");
        let r = parse(&h);
        assert_eq!(r.query.as_deref(), Some("2019-06 2020-05"));
        assert_eq!(r.model, Some(ModelId::Replica));
        assert_eq!(parse("#/?modelo=r%C3%A9plica").model, Some(ModelId::Replica));
        assert_eq!(parse("#/?modelo=recomendado").model, Some(ModelId::Recommended));
        let odd = "\"2020-1\" ñ%&=";
        assert_eq!(parse(&predict_hash(odd, ModelId::Recommended)).query.as_deref(), Some("\"2020-1\" ñ%&="));
    }

    #[test]
    fn malformed_escapes_and_unknown_models_are_harmless() {
        let r = parse("#/?q=50%&modelo=otro&x=1");
        assert_eq!(r.query.as_deref(), Some("50%"));
        assert_eq!(r.model, None);
        assert_eq!(parse("#/?q=%4").query.as_deref(), Some("%4"));
        assert_eq!(parse("#/?q=%zz").query.as_deref(), Some("%zz"));
        assert_eq!(parse("#/?q=%ñ").query.as_deref(), Some("%ñ"));
    }
}
