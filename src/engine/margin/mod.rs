//! One evaluation of the portfolio at the current prices: positions, pools
//! (isolated ones and a cross pool per settlement currency), account totals,
//! liquidation prices and thresholds.
//!
//! A room per step, each depending only on those above it:
//! - [`pools`]: every position's own figures, and the pools they fall in
//!   with their sums (the kinds of pool are [`pools::PoolKey`]'s variants);
//! - [`portfolio`]: portfolio margin's requirement of a risk unit;
//! - [`solve`]: each (pool, asset) group's liquidation and bankruptcy
//!   prices, through `liquidation.rs`;
//! - [`reports`]: pool and account reports, the whole-market thresholds,
//!   the sweeps and the free margin;
//! - [`evaluate`]: the views, and what one view (or an earlier evaluation)
//!   lends another;
//! - [`costs`]: what holding a position costs (funding, the fee to close),
//!   and the figures after costs beside the venue's;
//! - [`prepared`]: [`Prepared`], a model with its positions' figures worked
//!   out once, on which every operation is a method (here and in
//!   `curves.rs`, `explain.rs`, `boundary.rs`).
//!
//! The pool sums are computed once; each (pool, asset) pair is solved once,
//! and every position on that asset in that pool shares the answer. The cost
//! is linear in positions (plus a sort over tier breakpoints).

pub(crate) mod costs;
pub(crate) mod evaluate;
pub(crate) mod pools;
pub(crate) mod portfolio;
pub(crate) mod prepared;
pub(crate) mod reports;
pub(crate) mod solve;

use super::error::Error;
use super::num::NumError;
use super::scenario::MarginMode;

pub use evaluate::Comparison;
pub use prepared::Prepared;

/// Which margin modes to evaluate the portfolio under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    AsGiven,
    AllCross,
    AllIsolated,
    /// Every position in its currency's portfolio pool (asked only when
    /// every asset with a position has portfolio margin's parameters).
    AllPortfolio,
}

impl View {
    fn mode(self, given: MarginMode) -> MarginMode {
        match self {
            View::AsGiven => given,
            View::AllCross => MarginMode::Cross,
            View::AllIsolated => MarginMode::Isolated,
            View::AllPortfolio => MarginMode::Portfolio,
        }
    }
}

/// Maps an overflow to an error naming `path`, which is only formatted when
/// there is an error (this runs for every position at every slider tick).
pub(crate) fn overflow<'a, P: FnOnce() -> String + 'a>(
    path: P,
    what: &'a str,
) -> impl FnOnce(NumError) -> Error + 'a {
    move |e| Error::numeric(path(), what, e)
}
