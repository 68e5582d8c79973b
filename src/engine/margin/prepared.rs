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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{sample, test_book, validate, View};
    use rust_decimal::Decimal;

    /// A model whose figures are worked out once answers every operation as
    /// one that works them out in each (what it does when they cannot be).
    #[test]
    fn figures_worked_out_once_give_the_answers_worked_out_each_time() {
        let mut books = vec![test_book()];
        books.extend([1, 5, 40].map(sample::portfolio));
        books.extend(crate::presets::LESSONS.iter().map(|l| l.scenario()));
        for s in books {
            let model = validate(&s).expect("valid");
            let once = Prepared::new(model.clone());
            assert!(once.known().is_some());
            let each = Prepared {
                model,
                figures: None,
            };
            assert_eq!(once.report(), each.report());
            assert_eq!(once.compare(None), each.compare(None));
            let quote = crate::engine::model::Currency::Quote;
            assert_eq!(once.free_margin(quote), each.free_margin(quote));
            let price = once.model().assets[0].price;
            let (lo, hi) = (price.checked_div(Decimal::TWO).expect("half"), price);
            for view in [View::AsGiven, View::AllCross, View::AllIsolated] {
                assert_eq!(once.thresholds(view), each.thresholds(view));
                assert_eq!(
                    once.curves(view, 0, lo, hi, 8),
                    each.curves(view, 0, lo, hi, 8)
                );
                for i in 0..once.model().positions.len() {
                    assert_eq!(
                        once.explain_liquidation(view, i),
                        each.explain_liquidation(view, i)
                    );
                }
                if once.model().assets.len() > 1 {
                    assert_eq!(
                        once.liquidation_boundary(view, (0, 1), lo, hi, 4),
                        each.liquidation_boundary(view, (0, 1), lo, hi, 4)
                    );
                }
            }
        }
    }
}
