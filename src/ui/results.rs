//! What the engine says of the page's state: [`use_results`], the one place
//! the UI asks the engine to validate and evaluate.

use super::by_ptr::ByPtr;
use super::state::State;
use crate::engine::{self, validator, Comparison, Prepared};
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// The figures the page shows, derived from its state.
#[derive(Clone, PartialEq)]
pub struct Results {
    /// Every problem the engine finds, each said beside its field.
    pub problems: Rc<Vec<engine::Error>>,
    /// The scenario validated, with its positions' figures worked out once
    /// for every part that asks (the charts, the explanation, the answers);
    /// `None` while the scenario has problems.
    pub prepared: Option<ByPtr<Prepared>>,
    /// The two views the panels draw: this scenario's, or while it has
    /// problems the last valid one of the same portfolio (then `stale`).
    pub comparison: Option<ByPtr<Comparison>>,
    pub stale: bool,
}

/// The last valid evaluation, which a price move starts from, and the last
/// comparison shown, which stays (marked stale) while the scenario has problems.
#[derive(Default)]
struct Last {
    /// `State::portfolio_edits` of `prepared`.
    edits: u64,
    prepared: Option<Rc<Prepared>>,
    comparison: Option<Rc<Comparison>>,
    /// `State::loads` when the last comparison was shown.
    loads: u64,
    shown: Option<Rc<Comparison>>,
}

/// Validates once per change of the portfolio: during a drag only prices
/// change, so the last model is moved to the new prices
/// (`Model::with_prices`) instead of being checked again, and the
/// comparison takes from the last one every isolated pool the move left
/// alike. Worked out again when the prices, the holding period or the portfolio change, not on
/// any other change of state.
#[hook]
pub fn use_results(state: &State) -> Results {
    let last = use_mut_ref(Last::default);
    let evaluated = {
        let last = last.clone();
        let scenario = state.scenario.clone();
        use_memo(
            (
                state.scenario.prices.clone(),
                state.scenario.holding_hours,
                state.portfolio_edits,
            ),
            move |(prices, _, edits)| evaluate(&scenario, prices, *edits, &last),
        )
    };
    let (problems, prepared, comparison) = (*evaluated).clone();
    // While the scenario is invalid, the last comparison it had stays,
    // marked stale; not one from before a load, which is another portfolio's.
    let mut last = last.borrow_mut();
    let (comparison, stale) = match comparison {
        Some(c) => {
            last.loads = state.loads;
            last.shown = Some(c.clone());
            (Some(c), false)
        }
        None => (
            last.shown.clone().filter(|_| last.loads == state.loads),
            true,
        ),
    };
    Results {
        problems,
        prepared: prepared.map(ByPtr),
        comparison: comparison.map(ByPtr),
        stale,
    }
}

type Evaluated = (
    Rc<Vec<engine::Error>>,
    Option<Rc<Prepared>>,
    Option<Rc<Comparison>>,
);

fn evaluate(
    scenario: &engine::Scenario,
    prices: &std::collections::BTreeMap<String, engine::scenario::Num>,
    edits: u64,
    last: &RefCell<Last>,
) -> Evaluated {
    let mut last = last.borrow_mut();
    let moved = last
        .prepared
        .as_ref()
        .filter(|_| last.edits == edits)
        .and_then(|p| p.model().with_prices(prices))
        // The holding period moves like a price: a control beside the sliders.
        .and_then(|m| m.held_for(scenario.holding_hours.map_or(Decimal::ZERO, |h| h.0)));
    let model = match moved {
        Some(m) => m,
        None => match validator::build(scenario) {
            Ok(m) => m,
            Err(problems) => return (Rc::new(problems), None, None),
        },
    };
    let prepared = Rc::new(Prepared::new(model));
    let before = match (&last.prepared, &last.comparison) {
        (Some(p), Some(c)) => Some((&**p, &**c)),
        _ => None,
    };
    // A figure too large to compute exactly is a problem like any other:
    // said beside its field.
    let (problems, comparison) = match prepared.compare(before) {
        Ok(c) => (Vec::new(), Some(Rc::new(c))),
        Err(e) => (vec![e], None),
    };
    last.edits = edits;
    last.prepared = Some(prepared.clone());
    last.comparison = comparison.clone();
    (Rc::new(problems), Some(prepared), comparison)
}
