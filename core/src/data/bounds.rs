//! The physical bounds of every stored column: what a value must satisfy
//! to be stored at all, whichever way it arrives (upload, backup, deploy,
//! re-applied batch).
//!
//! Bounds are hard limits of the quantity, far wider than anything
//! plausible: a value past them is not an unusual month but a broken file
//! (a rainfall of 1.8e308 mm hangs the chart's tick loop; a price of 5e-324
//! CLP/l turns every forecast into NaN). Plausible-but-unusual values are a
//! different matter: [`crate::data::upload`] inserts them and flags them.
//!
//! - rainfall: 0 to 2,000 mm in a month (the wettest Chilean station's
//!   yearly total is about twice that; the shipped maximum is 759 mm);
//! - milk price: 1 to 10,000 CLP per litre (shipped: 3.85 in 1979 to 318.88);
//! - Central Bank: 0 to 1,000 times the largest value the shipped table
//!   holds in that column ([`CENTRAL_BANK_LARGEST`]), and only values its
//!   own CSV format can write and read back ([`encode_central_bank`]), so
//!   an export of the table always re-imports to the same table.
//!
//! Everywhere: finite, and never `-0.0` (it compares equal to 0.0 but
//! prints as `-0`, so an export would not read back to the same bits).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::data::numbers::encode_central_bank;
use crate::data::locale::number;
use crate::data::source::Source;

/// The largest value of each Central Bank column in the shipped table (the
/// cleaned challenge file), in stored column order. Generated from the file;
/// `core/tests/real_data.rs` checks it against the file.
pub const CENTRAL_BANK_LARGEST: [f64; 38] = [
    704_614_473.0, // PIB_Agropecuario_silvicola
    989_463_387.0, // PIB_Pesca
    143_403_422.0, // PIB_Mineria
    898_640_963.0, // PIB_Mineria_del_cobre
    973_297_059.0, // PIB_Otras_actividades_mineras
    143_627_922.0, // PIB_Industria_Manufacturera
    398_773_275.0, // PIB_Alimentos
    204_002_273.0, // PIB_Bebidas_y_tabaco
    370_841_871.0, // PIB_Textil
    811_197_543.0, // PIB_Maderas_y_muebles
    997_447_314.0, // PIB_Celulosa
    996_693_781.0, // PIB_Refinacion_de_petroleo
    216_543_583.0, // PIB_Quimica
    809_769_321.0, // PIB_Minerales_no_metalicos_y_metalica_basica
    273_327_064.0, // PIB_Productos_metalicos
    373_852_576.0, // PIB_Electricidad
    994_838_717.0, // PIB_Construccion
    989_921_274.0, // PIB_Comercio
    268_398_632.0, // PIB_Restaurantes_y_hoteles
    683_658_628.0, // PIB_Transporte
    502_929_296.0, // PIB_Comunicaciones
    767_636_032.0, // PIB_Servicios_financieros
    135_637_537.0, // PIB_Servicios_empresariales
    999_642_722.0, // PIB_Servicios_de_vivienda
    967_677_302.0, // PIB_Servicios_personales
    619_801_512.0, // PIB_Administracion_publica
    985_454_361.0, // PIB_a_costo_de_factores
    140_573_677.0, // PIB
    122.347,       // Imacec_empalmado
    123.733,       // Imacec_produccion_de_bienes
    113.633,       // Imacec_minero
    112.46,        // Imacec_industria
    141.504,       // Imacec_resto_de_bienes
    137.234,       // Imacec_comercio
    123.902,       // Imacec_servicios
    120.908,       // Imacec_a_costo_de_factores
    123.293,       // Imacec_no_minero
    142.725,       // IVCM_num
];

/// How far past the largest published value a Central Bank value may go.
pub const CENTRAL_BANK_GROWTH: f64 = 1_000.0;

/// The milk price's physical bounds (see the module's list): for the stored
/// column and for every price a model forecasts or stores.
pub const PRICE: Bounds = Bounds { min: 1.0, max: 10_000.0 };
/// The unit [`PRICE`] is in.
pub const PRICE_UNIT: &str = "CLP/l";

/// The closed interval a column's values must lie in.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bounds {
    pub min: f64,
    pub max: f64,
}

/// Why a value cannot be stored in its column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ValueProblem {
    NotFinite,
    NegativeZero,
    OutOfBounds { bounds: Bounds, unit: String },
    /// A Central Bank value its CSV format would change on the way back.
    Unwritable,
    /// The table has no such column (a row wider than the table).
    NoSuchColumn,
}

impl fmt::Display for ValueProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueProblem::NotFinite => f.write_str("no es un número finito"),
            ValueProblem::NegativeZero => f.write_str("«-0» no es un valor válido (escriba 0)"),
            ValueProblem::OutOfBounds { bounds, unit } => write!(
                f,
                "fuera de los límites físicos de la columna ({} a {}{})",
                bound_text(bounds.min),
                bound_text(bounds.max),
                if unit.is_empty() { String::new() } else { format!(" {unit}") }
            ),
            ValueProblem::Unwritable => f.write_str(
                "el formato del Banco Central no puede escribir este valor sin cambiarlo (la regla de lectura lo leería distinto)",
            ),
            ValueProblem::NoSuchColumn => f.write_str("la tabla no tiene esa columna"),
        }
    }
}

/// A bound in Chilean format: whole numbers without decimals.
fn bound_text(v: f64) -> String {
    if v.fract() == 0.0 {
        number(v, 0)
    } else {
        number(v, 3)
    }
}

impl Source {
    /// The physical bounds of stored column `column`, and its unit; `None`
    /// past the table's width.
    ///
    /// ```
    /// use leche_core::Source;
    /// let (b, unit) = Source::MilkPrice.bounds(0).unwrap();
    /// assert_eq!((b.min, b.max, unit), (1.0, 10_000.0, "CLP/l"));
    /// ```
    pub fn bounds(self, column: usize) -> Option<(Bounds, &'static str)> {
        match self {
            Source::Rainfall => (column < self.width()).then_some((Bounds { min: 0.0, max: 2_000.0 }, "mm")),
            Source::MilkPrice => (column < self.width()).then_some((PRICE, PRICE_UNIT)),
            Source::CentralBank => CENTRAL_BANK_LARGEST
                .get(column)
                .map(|&largest| (Bounds { min: 0.0, max: CENTRAL_BANK_GROWTH * largest }, "")),
        }
    }

    /// Whether `value` may be stored in column `column` of this table.
    ///
    /// ```
    /// use leche_core::Source;
    /// assert!(Source::Rainfall.check_value(0, 12.5).is_ok());
    /// assert!(Source::Rainfall.check_value(0, 1.7976931348623157e308).is_err());
    /// assert!(Source::MilkPrice.check_value(0, 5e-324).is_err());
    /// ```
    pub fn check_value(self, column: usize, value: f64) -> Result<(), ValueProblem> {
        let Some((bounds, unit)) = self.bounds(column) else {
            return Err(ValueProblem::NoSuchColumn);
        };
        if !value.is_finite() {
            return Err(ValueProblem::NotFinite);
        }
        if value == 0.0 && value.is_sign_negative() {
            return Err(ValueProblem::NegativeZero);
        }
        if !(bounds.min..=bounds.max).contains(&value) {
            return Err(ValueProblem::OutOfBounds { bounds, unit: unit.to_string() });
        }
        if self == Source::CentralBank && encode_central_bank(value, Source::central_bank_rule(column)).is_none() {
            return Err(ValueProblem::Unwritable);
        }
        Ok(())
    }
}

/// Whether a model's price (a forecast, or one it stores) could be a
/// price: finite and within [`PRICE`]. Not [`Source::check_value`]: a
/// forecast is never written, so −0 is just a value below the bounds.
///
/// ```
/// use leche_core::data::bounds::check_price;
/// assert!(check_price(250.0).is_ok());
/// assert!(check_price(-210.0).is_err() && check_price(f64::INFINITY).is_err());
/// ```
pub fn check_price(value: f64) -> Result<(), ValueProblem> {
    if !value.is_finite() {
        Err(ValueProblem::NotFinite)
    } else if !(PRICE.min..=PRICE.max).contains(&value) {
        Err(ValueProblem::OutOfBounds { bounds: PRICE, unit: PRICE_UNIT.to_string() })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::source::CentralBankRule;

    #[test]
    fn the_bugs_values_are_out_of_bounds() {
        // Regression (issue 15): accepted before because they were finite / "> 0".
        assert!(matches!(Source::Rainfall.check_value(3, 1.797_693_134_862_315_7e308), Err(ValueProblem::OutOfBounds { .. })));
        assert!(matches!(Source::MilkPrice.check_value(0, 5e-324), Err(ValueProblem::OutOfBounds { .. })));
        assert!(matches!(Source::MilkPrice.check_value(0, 1e17), Err(ValueProblem::OutOfBounds { .. })));
        assert_eq!(Source::Rainfall.check_value(0, -0.0), Err(ValueProblem::NegativeZero));
        // Regression: a PIB of 9e15 was read but could not be written back.
        assert!(Source::CentralBank.check_value(27, 9e15).is_err());
    }

    #[test]
    fn edges_are_inside() {
        for (s, c, v) in [(Source::Rainfall, 7, 0.0), (Source::Rainfall, 0, 2_000.0), (Source::MilkPrice, 0, 1.0), (Source::MilkPrice, 0, 10_000.0)] {
            assert_eq!(s.check_value(c, v), Ok(()), "{s:?} {v}");
        }
        assert!(Source::Rainfall.check_value(0, 2_000.000_000_1).is_err());
        assert!(Source::MilkPrice.check_value(0, 0.999).is_err());
        assert!(Source::Rainfall.check_value(0, f64::NAN).is_err());
    }

    #[test]
    fn columns_past_the_width_are_refused() {
        assert_eq!(Source::Rainfall.check_value(8, 1.0), Err(ValueProblem::NoSuchColumn));
        assert_eq!(Source::MilkPrice.check_value(1, 250.0), Err(ValueProblem::NoSuchColumn));
        assert_eq!(Source::CentralBank.check_value(38, 100.0), Err(ValueProblem::NoSuchColumn));
    }

    #[test]
    fn every_central_bank_value_in_bounds_is_writable_up_to_the_bound() {
        // The largest allowed PIB stays far below 2^53: the integer format writes it exactly.
        let pib_max = CENTRAL_BANK_GROWTH * CENTRAL_BANK_LARGEST[..28].iter().copied().fold(0.0, f64::max);
        assert!(encode_central_bank(pib_max, CentralBankRule::Integer).is_some());
        assert_eq!(Source::CentralBank.check_value(28, 19.5), Err(ValueProblem::Unwritable));
        assert_eq!(Source::CentralBank.check_value(28, 102.796), Ok(()));
        assert_eq!(Source::CentralBank.check_value(0, 2.5), Err(ValueProblem::Unwritable));
    }

    #[test]
    fn messages_are_spanish_with_chilean_numbers() {
        let e = Source::Rainfall.check_value(0, 5_000.0).unwrap_err().to_string();
        assert_eq!(e, "fuera de los límites físicos de la columna (0 a 2.000 mm)");
    }
}
