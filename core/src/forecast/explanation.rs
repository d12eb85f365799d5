//! Why a forecast is what it is: its own arithmetic, as parts with values.
//!
//! Every fitted form explains itself beside its forecast
//! ([`super::Forecaster::explain_path`]; a [`super::PriceRule`] explains
//! one step and [`super::prices`] chains the steps as it chains the
//! forecasts). What it returns is data, not words: the app phrases it.
//!
//! # To the last bit
//!
//! A [`Step`] recomposes its month's forecast exactly: [`Step::value`]
//! sums the parts left to right from zero (the order a dot product or the
//! form's own expression adds them) and applies the step's [`Link`] — the
//! same operations, in the same order, as the form's forecast, so the value
//! shown as the sum of its parts is the forecast, not a rounding of it.
//! `tests/shipped_models.rs` checks it for every candidate and horizon on
//! the shipped data, natively and in the browser.

use super::combination::median;
use super::CandidateId;
use crate::data::month::Month;
use crate::data::source::Source;

/// The price a step starts from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Base {
    pub month: Month,
    pub price: f64,
    /// A forecast of the same chain (horizon > 1), not a published price.
    pub forecast: bool,
}

impl Base {
    /// The price `back` months before `month`: the `back`-th last of the history `h`.
    pub fn back(h: &[f64], back: usize, month: Month) -> Base {
        Base { month: month.offset(-(back as i32)), price: h[h.len() - back], forecast: false }
    }
}

/// Where a term of a linear fit comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    /// The milk price's own past (its changes, levels, deviations).
    Prices,
    Rainfall,
    CentralBank,
    /// Which month of the year is forecast.
    Calendar,
    /// A product of inputs from more than one source (a polynomial term).
    Mixed,
}

impl Group {
    /// The group of an input read from table `source`.
    pub fn of(source: Source) -> Group {
        match source {
            Source::Rainfall => Group::Rainfall,
            Source::CentralBank => Group::CentralBank,
            Source::MilkPrice => Group::Prices,
        }
    }
}

/// What one part of a step is.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// The usual log change into this calendar month (1–12).
    Season(u32),
    /// The long-run log change per month.
    Drift,
    /// The share of last month's surprise carried on.
    Momentum,
    /// Last year's relative change into the same calendar month.
    LastYear,
    /// A term of a linear fit: coefficient × (scaled) input, named by its feature.
    Term { name: String, group: Group },
    /// A fit's constant.
    Constant,
    /// The smoothed, seasonally adjusted log price at the origin.
    Level,
    /// The trend from the level to this month, in logs.
    Trend,
    /// A member's forecast of this month (a combination).
    Member(CandidateId),
    /// The forecast as the fit computed and kept it (MSTL forecasts its
    /// horizons when fitted; its decomposition is not stored).
    Kept,
}

/// How a step's base and the sum of its parts make its value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Link {
    /// The base itself.
    Same,
    /// base × exp(sum): the parts are log changes.
    LogChange,
    /// base × (1 + weight × sum): the parts are a relative change.
    Change { weight: f64 },
    /// exp(sum): the parts are a log price.
    LogLevel,
    /// sum: the parts are prices.
    Level,
    /// The median of the parts.
    Median,
}

/// One month's forecast as its parts.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub month: Month,
    pub base: Option<Base>,
    pub parts: Vec<(Part, f64)>,
    pub link: Link,
}

impl Step {
    /// The parts added left to right from zero.
    pub fn sum(&self) -> f64 {
        let mut s = 0.0;
        for (_, v) in &self.parts {
            s += v;
        }
        s
    }

    /// The forecast the parts make: the form's own arithmetic, bit for bit.
    pub fn value(&self) -> f64 {
        let base = self.base.map_or(f64::NAN, |b| b.price);
        match self.link {
            Link::Same => base,
            Link::LogChange => base * libm::exp(self.sum()),
            Link::Change { weight } => base * (1.0 + weight * self.sum()),
            Link::LogLevel => libm::exp(self.sum()),
            Link::Level => self.sum(),
            Link::Median => median(&mut self.parts.iter().map(|p| p.1).collect::<Vec<_>>()).unwrap_or(f64::NAN),
        }
    }
}

/// A month's forecast and the steps that make it: for a recursion, one a
/// month from the month after the last price (each starting from the one
/// before); otherwise the month's own step.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub month: Month,
    pub horizon: u32,
    pub steps: Vec<Step>,
}

impl Explanation {
    /// The forecast: the last step's value.
    pub fn value(&self) -> f64 {
        self.steps.last().map_or(f64::NAN, Step::value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        s.parse().expect("month")
    }

    #[test]
    fn each_link_applies_its_arithmetic_to_the_parts_in_order() {
        let base = Some(Base { month: m("2021-02"), price: 200.0, forecast: false });
        let step = |parts: Vec<f64>, link| Step { month: m("2021-03"), base, parts: parts.into_iter().map(|v| (Part::Constant, v)).collect(), link };
        assert_eq!(step(vec![0.1, 0.2], Link::LogChange).value(), 200.0 * libm::exp(0.1 + 0.2));
        assert_eq!(step(vec![0.1, 0.2], Link::Change { weight: 0.5 }).value(), 200.0 * (1.0 + 0.5 * (0.1 + 0.2)));
        assert_eq!(step(vec![1.0, 2.0], Link::LogLevel).value(), libm::exp(3.0));
        assert_eq!(step(vec![150.0, 50.0, 1.5], Link::Level).value(), 201.5);
        assert_eq!(step(vec![3.0, 1.0, 2.0], Link::Median).value(), 2.0);
        assert_eq!(step(vec![], Link::Same).value(), 200.0);
        // Left to right: (0.1 + 0.2) + 0.3, which is not 0.1 + (0.2 + 0.3) in floating point.
        assert_eq!(step(vec![0.1, 0.2, 0.3], Link::Level).sum(), (0.1 + 0.2) + 0.3);
    }
}
