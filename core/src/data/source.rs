//! The three raw sources and their fixed columns.
//!
//! A file is recognised by its header, never by its name (SPEC §3). The
//! Central Bank columns are fixed by name: an upload cannot add columns by
//! matching `PIB`/`Imacec` anew, so a model trained on these 38 columns can
//! always read the stored table.

use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize, Serializer};

/// Which of the three inputs a file or table holds. Named everywhere by
/// [`Source::key`], its JSON too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Rainfall,
    CentralBank,
    MilkPrice,
}

/// The tables' keys, in [`Source::ALL`]'s order.
const KEYS: [&str; 3] = ["rainfall", "central_bank", "milk_price"];

impl Serialize for Source {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Source, D::Error> {
        deserialize_key(deserializer, &Source::ALL, &KEYS)
    }
}

/// Reads the one of `all` whose key (same position in `keys`) the JSON
/// holds, with serde's own message for an unknown one: what lets an id's
/// one spelling ([`Source::key`], `ModelId::key`) also be its JSON.
pub(crate) fn deserialize_key<'de, D: Deserializer<'de>, T: Copy>(
    deserializer: D,
    all: &[T],
    keys: &'static [&'static str],
) -> Result<T, D::Error> {
    let key = String::deserialize(deserializer)?;
    keys.iter().position(|k| *k == key).and_then(|i| all.get(i).copied()).ok_or_else(|| D::Error::unknown_variant(&key, keys))
}

/// Checks that every one of `all` is found by its key and that its JSON is
/// that key, both ways (so `all`'s order is the keys' order).
#[cfg(test)]
pub(crate) fn assert_keys_are_the_json<T>(all: &[T], key: fn(T) -> &'static str, from_key: fn(&str) -> Option<T>)
where
    T: Copy + PartialEq + std::fmt::Debug + Serialize + serde::de::DeserializeOwned,
{
    for &x in all {
        let json = format!("\"{}\"", key(x));
        assert_eq!(from_key(key(x)), Some(x));
        assert_eq!(serde_json::to_string(&x).ok().as_deref(), Some(json.as_str()));
        assert_eq!(serde_json::from_str::<T>(&json).ok(), Some(x));
    }
}

pub const RAINFALL_DATE: &str = "date";
pub const CENTRAL_BANK_PERIOD: &str = "Periodo";
pub const MILK_YEAR: &str = "Anio";
pub const MILK_MONTH: &str = "Mes";
pub const MILK_PRICE: &str = "Precio_leche";

/// Rainfall regions, in file order (mm per month).
pub const REGIONS: [&str; 8] = [
    "Coquimbo",
    "Valparaiso",
    "Metropolitana_de_Santiago",
    "Libertador_Gral__Bernardo_O_Higgins",
    "Maule",
    "Biobio",
    "La_Araucania",
    "Los_Rios",
];

/// The 28 columns of the original Central Bank file whose name contains `PIB`, in file order.
pub const PIB_COLUMNS: [&str; 28] = [
    "PIB_Agropecuario_silvicola",
    "PIB_Pesca",
    "PIB_Mineria",
    "PIB_Mineria_del_cobre",
    "PIB_Otras_actividades_mineras",
    "PIB_Industria_Manufacturera",
    "PIB_Alimentos",
    "PIB_Bebidas_y_tabaco",
    "PIB_Textil",
    "PIB_Maderas_y_muebles",
    "PIB_Celulosa",
    "PIB_Refinacion_de_petroleo",
    "PIB_Quimica",
    "PIB_Minerales_no_metalicos_y_metalica_basica",
    "PIB_Productos_metalicos",
    "PIB_Electricidad",
    "PIB_Construccion",
    "PIB_Comercio",
    "PIB_Restaurantes_y_hoteles",
    "PIB_Transporte",
    "PIB_Comunicaciones",
    "PIB_Servicios_financieros",
    "PIB_Servicios_empresariales",
    "PIB_Servicios_de_vivienda",
    "PIB_Servicios_personales",
    "PIB_Administracion_publica",
    "PIB_a_costo_de_factores",
    "PIB",
];

/// The 9 columns of the original Central Bank file whose name contains `Imacec`, in file order.
pub const IMACEC_COLUMNS: [&str; 9] = [
    "Imacec_empalmado",
    "Imacec_produccion_de_bienes",
    "Imacec_minero",
    "Imacec_industria",
    "Imacec_resto_de_bienes",
    "Imacec_comercio",
    "Imacec_servicios",
    "Imacec_a_costo_de_factores",
    "Imacec_no_minero",
];

/// The retail-sales index as the raw file names it …
pub const IVCM_RAW: &str = "Indice_de_ventas_comercio_real_no_durables_IVCM";
/// … and as the cleaned table stores it (last column).
pub const IVCM: &str = "IVCM_num";

/// How a Central Bank column's mangled number is read back (SPEC §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CentralBankRule {
    /// `PIB*`: drop every dot, read an integer.
    Integer,
    /// `Imacec*` and the retail-sales index: the original's `to_100` heuristic.
    Index,
}

impl Source {
    /// The one spelling of a table wherever the app names it: IndexedDB's
    /// object stores, the artifacts' and backups' JSON, the page's element
    /// ids and data attributes, the series explorer's keys.
    pub const fn key(self) -> &'static str {
        KEYS[self as usize]
    }

    /// The table a [`Source::key`] names.
    pub fn from_key(key: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Recognise a file from its (trimmed) header names.
    pub fn recognise<S: AsRef<str>>(header: &[S]) -> Option<Source> {
        let has = |name: &str| header.iter().any(|h| h.as_ref() == name);
        if has(MILK_YEAR) && has(MILK_MONTH) {
            Some(Source::MilkPrice)
        } else if has(CENTRAL_BANK_PERIOD) {
            Some(Source::CentralBank)
        } else if has(RAINFALL_DATE) {
            Some(Source::Rainfall)
        } else {
            None
        }
    }

    /// The value columns of the cleaned table, in stored order.
    pub fn columns(self) -> Vec<&'static str> {
        match self {
            Source::Rainfall => REGIONS.to_vec(),
            Source::CentralBank => {
                let mut c: Vec<&str> = PIB_COLUMNS.to_vec();
                c.extend(IMACEC_COLUMNS);
                c.push(IVCM);
                c
            }
            Source::MilkPrice => vec![MILK_PRICE],
        }
    }

    /// How many values a stored row of this table has (8, 38, 1).
    pub fn width(self) -> usize {
        match self {
            Source::Rainfall => REGIONS.len(),
            Source::CentralBank => PIB_COLUMNS.len() + IMACEC_COLUMNS.len() + 1,
            Source::MilkPrice => 1,
        }
    }

    /// The raw-file column each stored column is read from (same order as [`Source::columns`]).
    pub fn raw_columns(self) -> Vec<&'static str> {
        match self {
            Source::CentralBank => {
                let mut c: Vec<&str> = PIB_COLUMNS.to_vec();
                c.extend(IMACEC_COLUMNS);
                c.push(IVCM_RAW);
                c
            }
            other => other.columns(),
        }
    }

    /// The raw columns a file of this source must have: the key columns and the value columns.
    pub fn required_columns(self) -> Vec<&'static str> {
        let mut c = match self {
            Source::Rainfall => vec![RAINFALL_DATE],
            Source::CentralBank => vec![CENTRAL_BANK_PERIOD],
            Source::MilkPrice => vec![MILK_YEAR, MILK_MONTH],
        };
        c.extend(self.raw_columns());
        c
    }

    /// How stored column `i` of the Central Bank table is decoded.
    pub fn central_bank_rule(i: usize) -> CentralBankRule {
        if i < PIB_COLUMNS.len() {
            CentralBankRule::Integer
        } else {
            CentralBankRule::Index
        }
    }

    /// The Spanish name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Source::Rainfall => "precipitaciones",
            Source::CentralBank => "Banco Central",
            Source::MilkPrice => "precio de la leche",
        }
    }

    /// The file name of the original challenge data, used for exports and data directories.
    pub fn file_name(self) -> &'static str {
        match self {
            Source::Rainfall => "precipitaciones.csv",
            Source::CentralBank => "banco_central.csv",
            Source::MilkPrice => "precio_leche.csv",
        }
    }

    pub const ALL: [Source; 3] = [Source::Rainfall, Source::CentralBank, Source::MilkPrice];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognised_by_header_not_name() {
        assert_eq!(Source::recognise(&["date", "Maule"]), Some(Source::Rainfall));
        assert_eq!(Source::recognise(&["Periodo", "date"]), Some(Source::CentralBank));
        assert_eq!(Source::recognise(&["Mes", "Anio", "Precio_leche"]), Some(Source::MilkPrice));
        assert_eq!(Source::recognise(&["fecha", "valor"]), None);
    }

    #[test]
    fn one_key_per_table_and_it_is_the_json() {
        // What stored databases and backups hold: never to change.
        assert_eq!(Source::ALL.map(Source::key), ["rainfall", "central_bank", "milk_price"]);
        assert_keys_are_the_json(&Source::ALL, Source::key, Source::from_key);
        let unknown = serde_json::from_str::<Source>("\"lluvia\"").map_err(|e| e.to_string());
        assert_eq!(unknown, Err("unknown variant `lluvia`, expected one of `rainfall`, `central_bank`, `milk_price`".into()));
    }

    #[test]
    fn central_bank_has_38_columns_ivcm_last() {
        let c = Source::CentralBank.columns();
        assert_eq!(c.len(), 38);
        for s in Source::ALL {
            assert_eq!(s.width(), s.columns().len());
        }
        assert_eq!(c.last(), Some(&IVCM));
        assert_eq!(Source::central_bank_rule(27), CentralBankRule::Integer);
        assert_eq!(Source::central_bank_rule(28), CentralBankRule::Index);
    }
}
