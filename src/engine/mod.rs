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
