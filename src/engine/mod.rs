//! The margin engine: pure Rust, no web dependencies, no floats in money math.
//!
//! Data flows one way: [`Scenario`] (what the trader entered) →
//! [`validator::build`] (a [`Model`]: validated, names resolved, defaults
//! filled in) → [`Prepared`] (each position's own figures, once) → its
//! operations: [`Prepared::report`] (the portfolio as given, all-cross and
//! all-isolated), [`Prepared::compare`] (the two views the app draws),
//! curves, explanations, the two-asset boundary, thresholds and free margin.
//! [`evaluate`] is the whole path for a scenario.

pub mod boundary;
pub mod curves;
pub mod decimal_text;
pub mod display;
pub mod error;
pub mod explain;
pub mod few;
pub mod json_path;
pub mod liquidation;
pub mod margin;
pub mod market;
pub mod model;
pub mod name;
pub mod num;
pub mod questions;
pub mod report;
pub mod sample;
pub mod scenario;
pub mod validator;

pub use error::{Error, ErrorKind};
pub use margin::{Comparison, Prepared, View};
pub use model::Model;
pub use report::*;
pub use scenario::{Scenario, FORMAT};

/// Evaluates a scenario three ways: as given, all-cross and all-isolated.
pub fn evaluate(s: &Scenario) -> Result<Report, Error> {
    Prepared::new(validate(s)?).report()
}

/// Validates a scenario; the error is the first problem found.
pub fn validate(s: &Scenario) -> Result<Model, Error> {
    validator::build(s).map_err(|mut errors| {
        if errors.is_empty() {
            Error::invalid("", "invalid scenario")
        } else {
            errors.swap_remove(0)
        }
    })
}

/// Every problem in a scenario, for an editor that marks each field.
pub fn problems(s: &Scenario) -> Vec<Error> {
    validator::build(s).err().unwrap_or_default()
}

/// A small book for the engine's unit tests: a BTC long (cross) and an ETH
/// short (isolated), with USD collateral of ETH.
#[cfg(test)]
pub(crate) fn test_book() -> Scenario {
    Scenario::from_json(
        r#"{ "quote": "USD", "wallet": { "USD": "10000" },
        "prices": { "BTC": "60000", "ETH": "3000" },
        "collateral": [ { "asset": "ETH", "qty": "1" } ],
        "markets": {
            "BTCUSDT": { "asset": "BTC", "tiers": [
                { "notional_floor": "0", "notional_cap": "50000", "mmr": "0.004", "max_leverage": "125" },
                { "notional_floor": "50000", "mmr": "0.005", "max_leverage": "100" } ] },
            "ETHUSDT": { "asset": "ETH", "tiers": [ { "notional_floor": "0", "mmr": "0.01" } ] } },
        "positions": [
            { "market": "BTCUSDT", "side": "long", "qty": "1", "entry_price": "60000", "leverage": "10" },
            { "market": "ETHUSDT", "side": "short", "qty": "5", "entry_price": "3000", "leverage": "5",
              "margin_mode": "isolated" } ] }"#,
    )
    .unwrap_or_default()
}
