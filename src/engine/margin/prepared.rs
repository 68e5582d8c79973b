//! [`Prepared`]: a validated model with every position's own figures worked
//! out once, the receiver of every operation on a portfolio. Each
//! operation's method lives with the operation (`evaluate.rs`,
//! `reports.rs`, and the engine's `curves.rs`, `explain.rs`, `boundary.rs`),
//! so this module depends on none of them.

use super::pools::{position_figures, Figures};
use crate::engine::model::Model;
use crate::engine::num::Calc;

/// A model with every position's own figures (notional, PnL, margins, tier)
/// worked out once. At a slider tick the app asks one model for the two
/// views, the curves, the two-asset map, the explanation and the largest
/// size: each would otherwise work out the same figures again.
pub struct Prepared {
    model: Model,
    /// `None` when they cannot be worked out: then each operation works
    /// them out itself, and says why it cannot, as it would without them.
    figures: Option<Vec<Figures>>,
}

impl Prepared {
    pub fn new(model: Model) -> Prepared {
        // A position's own figures are the same in every view (its pool and
        // mode, set per view, are placeholders here).
        let figures = model
            .positions
            .iter()
            .map(|p| position_figures(&model, p, 0, p.mode))
            .collect::<Calc<Vec<_>>>()
            .ok();
        Prepared { model, figures }
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The positions' figures, when they could be worked out.
    pub(crate) fn known(&self) -> Option<&[Figures]> {
        self.figures.as_deref()
    }
}
