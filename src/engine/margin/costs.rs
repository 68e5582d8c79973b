//! Costs over time: what holding a position costs, and the figures after
//! those costs beside the venue's, which leave them out.
//!
//! The model (docs/scenario-format.md, "Costs over time"):
//! - a funding payment is the position's value at the funding price (the
//!   market's mark, or its asset's index price) times the rate; a long pays
//!   a positive rate, a short a negative one;
//! - over a holding period of `H` hours, `H / interval` payments, projected
//!   at today's prices: a constant while a price moves;
//! - the fee to close is the taker rate on the notional at the closing
//!   price: `t·size·P` (linear) or `t·size/P` (inverse), the form of the PnL;
//! - after costs, a position's PnL is net of both, so its pool's equity is:
//!   an isolated pool pays its funding out of its own margin, a cross pool out
//!   of the shared equity.
//!
//! The figures after costs are the same evaluation of the same model with
//! each PnL net of its costs ([`Model::after_costs`]): one code path gives
//! the venue's figures and the figures after costs.

use super::{overflow, Prepared, View};
use crate::engine::error::Error;
use crate::engine::market;
use crate::engine::model::{Model, Position};
use crate::engine::num::{Calc, SafeMath};
use crate::engine::report::{Evaluation, PoolCosts, PositionCosts};
use crate::engine::scenario::Settlement;
use rust_decimal::Decimal;

/// Hours in a day: the liquidation price's drift is per day of funding.
const DAY: i64 = 24;

/// The price at which the position's PnL pays for its costs: the funding
/// over the holding period, the fee to close there, and what it has paid
/// since it was opened. `None` where no positive price does.
///
/// Linear: `s·q·(P − e) − F − paid − t·q·P = 0`, so
/// `P = (F + paid + s·q·e) / (q·(s − t))`; inverse (in the coin):
/// `s·q·(1/e − 1/P) − F − paid − t·q/P = 0`, so
/// `P = q·(s + t) / (s·q/e − F − paid)`.
fn break_even(model: &Model, p: &Position, funding: Decimal) -> Calc<Option<Decimal>> {
    let m = &model.markets[p.market];
    let q = market::size(m, p.qty)?;
    let t = m.costs.taker;
    let s = p.side.sign();
    let owed = funding.add(p.paid)?;
    let (num, den) = match m.settlement {
        Settlement::Linear => (owed.add(s.mul(q)?.mul(p.entry_price)?)?, q.mul(s.sub(t)?)?),
        Settlement::Inverse => (q.mul(s.add(t)?)?, s.mul(q)?.div(p.entry_price)?.sub(owed)?),
    };
    if den.is_zero() {
        return Ok(None);
    }
    let price = num.div(den)?;
    Ok((price > Decimal::ZERO).then_some(price))
}

impl Prepared {
    /// The same portfolio after its costs over the holding period, and a
    /// day after that: the figures after costs and their drift. `None` when
    /// the scenario sets no costs (or this is already a model after costs).
    fn after_costs(&self) -> Option<(Prepared, Prepared)> {
        let held = self.costed()?;
        let model = self.model();
        let a_day_more = model.holding_hours.add(Decimal::from(DAY)).ok()?;
        Some((held, Prepared::new(model.after_costs(a_day_more))))
    }

    /// The prepared portfolio after its costs over the holding period
    /// (`None` without costs): its views, explanations and curves are the
    /// figures after costs.
    pub fn costed(&self) -> Option<Prepared> {
        let model = self.model();
        (!model.charge_costs && model.has_costs())
            .then(|| Prepared::new(model.after_costs(model.holding_hours)))
    }

    /// Each position's and pool's costs, and its figures after them, set in
    /// each of `views` (the venue's figures of a view), when the scenario
    /// sets costs. The models after costs are built once for them all.
    pub(crate) fn add_costs(&self, views: &mut [(View, &mut Evaluation)]) -> Result<(), Error> {
        let Some((held, day)) = self.after_costs() else {
            return Ok(());
        };
        for (view, e) in views.iter_mut() {
            self.add_view_costs(&held, &day, *view, e)?;
        }
        Ok(())
    }

    /// [`Prepared::add_costs`] for one view, with the models after costs
    /// (`held`) and a day later (`day`).
    fn add_view_costs(
        &self,
        held: &Prepared,
        day: &Prepared,
        view: View,
        e: &mut Evaluation,
    ) -> Result<(), Error> {
        let after = held.view(view)?;
        let next = day.view(view)?;
        let model = self.model();
        let hours = model.holding_hours;
        // By pool: funding over the period, per hour, and the fees to close.
        let mut sums = vec![(Decimal::ZERO, Decimal::ZERO, Decimal::ZERO); e.pools.len()];
        let pool_index: std::collections::HashMap<&str, usize> = e
            .pools
            .iter()
            .enumerate()
            .map(|(k, p)| (&*p.id, k))
            .collect();
        for (i, r) in e.positions.iter_mut().enumerate() {
            let (Some(a), Some(n)) = (after.positions.get(i), next.positions.get(i)) else {
                continue;
            };
            let p = &model.positions[i];
            let m = &model.markets[p.market];
            let index = model.assets[m.asset].price;
            let k = pool_index.get(&*r.pool).copied();
            let mut calc = || -> Calc<PositionCosts> {
                let (funding, close_fee) =
                    market::position_cost(model, p, r.mark_price, index, hours)?;
                let per_day = market::funding(model, p, r.mark_price, index, Decimal::from(DAY))?;
                if let Some(s) = k.and_then(|k| sums.get_mut(k)) {
                    *s = (
                        s.0.add(funding)?,
                        s.1.add(per_day.div(Decimal::from(DAY))?)?,
                        s.2.add(close_fee)?,
                    );
                }
                let drift = match (a.liquidation_price, n.liquidation_price) {
                    (Some(x), Some(y)) => Some(y.sub(x)?),
                    _ => None,
                };
                Ok(PositionCosts {
                    funding,
                    funding_per_day: per_day,
                    close_fee,
                    paid: p.paid,
                    pnl: a.pnl,
                    break_even_price: break_even(model, p, funding)?,
                    liquidation_price: a.liquidation_price,
                    bankruptcy_price: a.bankruptcy_price,
                    liquidation_drift_per_day: drift,
                })
            };
            r.costs = Some(calc().map_err(overflow(|| format!("positions[{i}]"), "costs"))?);
        }
        for ((pool, a), (funding, per_hour, fees)) in e.pools.iter_mut().zip(&after.pools).zip(sums)
        {
            let calc = || -> Calc<PoolCosts> {
                // When funding, at today's prices, brings the equity less the
                // fees to close down to the maintenance margin.
                let slack = pool.equity.sub(fees)?.sub(pool.maintenance_margin)?;
                let liquidated_after_hours = if slack <= Decimal::ZERO {
                    Some(Decimal::ZERO)
                } else if per_hour > Decimal::ZERO {
                    Some(slack.div(per_hour)?)
                } else {
                    None
                };
                Ok(PoolCosts {
                    funding,
                    close_fees: fees,
                    equity: a.equity,
                    margin_ratio: a.margin_ratio,
                    free_margin: a.free_margin,
                    status: a.status,
                    liquidated_after_hours,
                })
            };
            let id = pool.id.clone();
            pool.costs = Some(calc().map_err(overflow(|| format!("pools.{id}"), "costs"))?);
        }
        Ok(())
    }
}

impl Prepared {
    /// Position `index`'s liquidation price under `view` after holding it
    /// for each of `hours` (its funding projected at today's prices, the
    /// fee to close included): the chart against holding time. Only the
    /// position's own pool is solved at each point, as evaluating would.
    pub fn liquidation_over_time(
        &self,
        view: View,
        index: usize,
        hours: &[Decimal],
    ) -> Result<Vec<Option<Decimal>>, Error> {
        let mut out = Vec::with_capacity(hours.len());
        for &h in hours {
            let model = self.model().after_costs(h);
            let (mut pools, figures) = super::pools::build_pools(&model, view, None)?;
            let Some(f) = figures.get(index) else {
                return Ok(Vec::new());
            };
            let Some(pool) = pools.get_mut(f.pool) else {
                return Ok(Vec::new());
            };
            super::solve::solve_pool(&model, &figures, &mut super::solve::Terms::once(), pool)?;
            let m = &model.markets[model.positions[index].market];
            let now = model.assets[m.asset].price;
            let root = pool
                .group_of(m.asset)
                .and_then(|g| g.liquidation.nearest(now));
            out.push(
                root.map(|v| m.mark_at_root(v))
                    .transpose()
                    .map_err(overflow(
                        || format!("positions[{index}]"),
                        "liquidation price",
                    ))?,
            );
        }
        Ok(out)
    }
}
