//! The margin engine: pure Rust, no web dependencies, no floats in money math.
//!
//! Data flows one way: [`Scenario`] (what the trader entered) →
//! [`Model::build`] (validated, defaults filled in) → [`evaluate`] (a
//! [`Report`] of the portfolio as given, all-cross and all-isolated).

pub mod display;
pub mod error;
pub mod few;
pub mod json_path;
pub mod liquidation;
pub mod margin;
pub mod market;
pub mod model;
pub mod num;
pub mod questions;
pub mod report;
pub mod sample;
pub mod scenario;

pub use error::{Error, ErrorKind};
pub use margin::{Priced, View};
pub use model::Model;
pub use report::*;
pub use scenario::{Scenario, FORMAT};

/// Evaluates a scenario three ways: as given, all-cross and all-isolated.
pub fn evaluate(s: &Scenario) -> Result<Report, Error> {
    let model = validate(s)?;
    evaluate_model(&model)
}

/// [`evaluate`] for a model already validated (the UI validates once per edit,
/// then evaluates at every slider tick).
pub fn evaluate_model(model: &Model) -> Result<Report, Error> {
    let [as_given, all_cross, all_isolated] = margin::evaluate_all(model)?;
    Ok(Report {
        format: REPORT_FORMAT,
        as_given,
        all_cross,
        all_isolated,
    })
}

/// The two views the app sets side by side: every position cross, every
/// position isolated (the portfolio as given is the JS API's business).
#[derive(Debug, Clone)]
pub struct Comparison {
    pub all_cross: Evaluation,
    pub all_isolated: Evaluation,
    /// What the all-isolated view solved, for [`compare_after`].
    solved: margin::Solved,
}

/// Two comparisons are equal when their views are.
impl PartialEq for Comparison {
    fn eq(&self, other: &Self) -> bool {
        self.all_cross == other.all_cross && self.all_isolated == other.all_isolated
    }
}

impl Comparison {
    /// The view asked for, if this comparison holds it.
    pub fn get(&self, view: View) -> Option<&Evaluation> {
        match view {
            View::AllCross => Some(&self.all_cross),
            View::AllIsolated => Some(&self.all_isolated),
            View::AsGiven => None,
        }
    }
}

/// All-cross against all-isolated, exactly as [`evaluate_model`] reports
/// them, without the third view (a slider tick in the app needs only these).
pub fn compare(model: &Model) -> Result<Comparison, Error> {
    compare_after(model, None)
}

/// [`compare`], taking from `before` (the comparison of an earlier model,
/// such as the same portfolio before a slider tick) each isolated pool that
/// nothing has moved since: the same result, with less work.
pub fn compare_after(
    model: &Model,
    before: Option<(&Model, &Comparison)>,
) -> Result<Comparison, Error> {
    let before = before.map(|(m, c)| (m, &c.all_isolated, &c.solved));
    comparison(margin::evaluate_pair_after(model, before)?)
}

/// [`compare_after`] for a model whose positions' figures are already
/// worked out, which the app's charts and questions then share.
pub fn compare_priced(
    priced: &Priced,
    before: Option<(&Model, &Comparison)>,
) -> Result<Comparison, Error> {
    let before = before.map(|(m, c)| (m, &c.all_isolated, &c.solved));
    comparison(priced.evaluate_pair_after(before)?)
}

fn comparison(
    ([all_cross, all_isolated], solved): ([Evaluation; 2], margin::Solved),
) -> Result<Comparison, Error> {
    Ok(Comparison {
        all_cross,
        all_isolated,
        solved,
    })
}

/// Validates a scenario; the error is the first problem found.
pub fn validate(s: &Scenario) -> Result<Model, Error> {
    Model::build(s).map_err(|mut errors| {
        if errors.is_empty() {
            Error::invalid("", "invalid scenario")
        } else {
            errors.swap_remove(0)
        }
    })
}

/// Every problem in a scenario, for an editor that marks each field.
pub fn problems(s: &Scenario) -> Vec<Error> {
    Model::build(s).err().unwrap_or_default()
}
