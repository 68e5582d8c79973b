//! Why a liquidation price is what it is: the pool's equity and requirement
//! as functions of the asset's price, with the portfolio's own numbers.

use crate::engine::error::Error;
use crate::engine::margin::pools::{build_pools, Figures};
use crate::engine::margin::solve::{solve_pool, Terms};
use crate::engine::margin::{overflow, Prepared, View};
use crate::engine::market;
use crate::engine::model::Model;
use crate::engine::num::{Calc, SafeMath};
use crate::engine::scenario::{MarginBasis, Settlement};
use rust_decimal::Decimal;

/// One position's part in a liquidation equation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WhyTerm {
    pub position: String,
    /// `+size` for a long, `−size` for a short (size = qty × contract size).
    pub signed_size: Decimal,
    pub entry_price: Decimal,
    /// Tier in force at the liquidation price (1-based), its rate and amount;
    /// `None` when the requirement is valued at entry (fixed).
    pub tier: Option<(usize, Decimal, Decimal)>,
    /// The fixed requirement when valued at entry.
    pub fixed_maintenance: Option<Decimal>,
    /// The market's mark per unit of the asset's price P (1 but for a
    /// premium: a dated future at a basis).
    pub ratio: Decimal,
    /// After costs: the funding over the holding period, at today's prices,
    /// that its PnL is net of (zero in the venue's equation).
    pub funding: Decimal,
    /// After costs: the taker rate of the fee to close, `t·size·P` (or
    /// `t·size/P`) out of its PnL (zero in the venue's equation).
    pub close_fee_rate: Decimal,
}

/// A portfolio pool's risk unit in a liquidation equation: its maintenance
/// margin, `mm_factor · max(worst loss + roll + basis, floor)`, scales with
/// the price (or its inverse): `per_price · P` (or `per_price / P`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UnitWhy {
    pub per_price: Decimal,
    /// The scenario that gives the worst loss at the current prices.
    pub worst_scenario: Option<Decimal>,
    pub mm_factor: Decimal,
}

/// Why a liquidation price is what it is: the pool's equity and requirement
/// as functions of the asset's price P, with this portfolio's numbers.
/// Linear: `equity = equity_const + equity_coef·P`, `MM = mm_const + mm_coef·P`;
/// inverse (`per_price`): the same with `1/P` in place of `P`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LiquidationWhy {
    pub pool: String,
    pub asset: String,
    pub currency: String,
    pub per_price: bool,
    /// Everything else in the pool, held at current prices: equity and requirement.
    pub rest_equity: Decimal,
    pub rest_maintenance: Decimal,
    /// Collateral quantity (at its value ratios) that moves with P.
    pub collateral_qty: Decimal,
    pub terms: Vec<WhyTerm>,
    pub equity_const: Decimal,
    pub equity_coef: Decimal,
    pub mm_const: Decimal,
    pub mm_coef: Decimal,
    pub price: Decimal,
    /// The position's own market's mark when the asset is at `price`: the
    /// price the panels show (a dated future's, at its basis).
    pub mark_price: Decimal,
    /// In a portfolio pool, the risk unit whose requirement is `mm_coef`'s
    /// (the positions' own tiers do not count there).
    pub unit: Option<UnitWhy>,
}

impl LiquidationWhy {
    /// Whether the pool is safe above the price (equity above the requirement
    /// there): a long's is, a short's is not. Rounded toward its safe side, a
    /// price shown is never past the true one, wherever the mark is (the
    /// panels round toward the mark, which is the safe side until the mark
    /// crosses the price). `None` for a flat equation, which has no side.
    pub fn safe_above(&self) -> Option<bool> {
        // Rising in x (equity gains on the requirement as x grows) is rising
        // in P, except with x = 1/P.
        match self.equity_coef.cmp(&self.mm_coef) {
            std::cmp::Ordering::Greater => Some(!self.per_price),
            std::cmp::Ordering::Less => Some(self.per_price),
            std::cmp::Ordering::Equal => None,
        }
    }
}

impl Prepared {
    /// The equation behind position `index`'s liquidation price under
    /// `view`, or `None` when it has none.
    pub fn explain_liquidation(
        &self,
        view: View,
        index: usize,
    ) -> Result<Option<LiquidationWhy>, Error> {
        explain(self.model(), self.known(), view, index)
    }
}

fn explain(
    model: &Model,
    known: Option<&[Figures]>,
    view: View,
    index: usize,
) -> Result<Option<LiquidationWhy>, Error> {
    // Only the position's own pool is solved (as evaluating would solve it),
    // not the whole view: the explanation is redrawn at every slider tick.
    let (mut pools, figures) = build_pools(model, view, known)?;
    let Some(f) = figures.get(index) else {
        return Ok(None);
    };
    let Some(pool) = pools.get_mut(f.pool) else {
        return Ok(None);
    };
    solve_pool(model, &figures, &mut Terms::once(), pool)?;
    let pool = &*pool;
    let asset = model.markets[model.positions[index].market].asset;
    let Some(g) = pool.group_of(asset) else {
        return Ok(None);
    };
    let Some(price) = g.liquidation.nearest(model.assets[asset].price) else {
        return Ok(None);
    };
    let calc = || -> Calc<LiquidationWhy> {
        let (rest_equity, rest_maintenance) =
            pool.rest_of(g, &figures, model.assets[asset].price)?;
        let mut why = LiquidationWhy {
            pool: pool.id.to_string(),
            asset: model.assets[asset].name.to_string(),
            currency: model.currency_name(pool.currency).to_string(),
            per_price: false,
            rest_equity,
            rest_maintenance,
            collateral_qty: g.weighted_qty,
            terms: Vec::new(),
            equity_const: rest_equity,
            equity_coef: g.weighted_qty,
            mm_const: rest_maintenance,
            mm_coef: Decimal::ZERO,
            price,
            mark_price: model.markets[model.positions[index].market].mark_at_root(price)?,
            unit: None,
        };
        for &i in &g.members {
            let p = &model.positions[i];
            let m = &model.markets[p.market];
            let sq = market::size(m, p.qty)?.mul(p.side.sign())?;
            let q = market::size(m, p.qty)?;
            let inverse = m.settlement == Settlement::Inverse;
            why.per_price = inverse;
            // The market's price is `ratio · P`: its size per unit of P.
            let ratio = m.ratio()?;
            let (sq_p, q_p) = match (m.premium.is_some(), inverse) {
                (false, _) => (sq, q),
                (true, false) => (sq.mul(ratio)?, q.mul(ratio)?),
                (true, true) => (sq.div(ratio)?, q.div(ratio)?),
            };
            // equity: linear sq·(kP − e); inverse sq/e − (sq/k)·(1/P)
            if inverse {
                why.equity_const = why.equity_const.add(sq.div(p.entry_price)?)?;
                why.equity_coef = why.equity_coef.sub(sq_p)?;
            } else {
                why.equity_const = why.equity_const.sub(sq.mul(p.entry_price)?)?;
                why.equity_coef = why.equity_coef.add(sq_p)?;
            }
            let mut term = WhyTerm {
                position: p.id.to_string(),
                signed_size: sq,
                entry_price: p.entry_price,
                tier: None,
                fixed_maintenance: None,
                ratio,
                funding: Decimal::ZERO,
                close_fee_rate: Decimal::ZERO,
            };
            // After costs: the funding out of the constant, the fee to close
            // out of the PnL's own coefficient.
            if model.charge_costs {
                let funding = figures.get(i).map_or(Decimal::ZERO, |f| f.funding);
                let taker = m.costs.taker;
                why.equity_const = why.equity_const.sub(funding)?;
                why.equity_coef = why.equity_coef.sub(q_p.mul(taker)?)?;
                term.funding = funding;
                term.close_fee_rate = taker;
            }
            if g.unit.is_some() {
                // Its unit's requirement counts, not its own (below).
            } else if m.basis == MarginBasis::Entry {
                let fixed =
                    market::maintenance(&m.tiers, market::notional(m, p.qty, p.entry_price)?)?.0;
                why.mm_const = why.mm_const.add(fixed)?;
                term.fixed_maintenance = Some(fixed);
            } else {
                let mark = m.mark_at_root(price)?;
                let (_, t) = market::maintenance(&m.tiers, market::notional(m, p.qty, mark)?)?;
                let tier = &m.tiers[t];
                why.mm_const = why.mm_const.sub(tier.amount)?;
                why.mm_coef = why.mm_coef.add(q_p.mul(tier.mmr)?)?;
                term.tier = Some((t + 1, tier.mmr, tier.amount));
            }
            why.terms.push(term);
        }
        if let (Some(u), Some(params)) = (&g.unit, model.assets[asset].portfolio.as_deref()) {
            why.mm_coef = why.mm_coef.add(u.mm_per)?;
            why.unit = Some(UnitWhy {
                per_price: u.mm_per,
                worst_scenario: u.worst_shock,
                mm_factor: params.mm_factor,
            });
        }
        Ok(why)
    };
    calc()
        .map(Some)
        .map_err(overflow(|| format!("positions[{index}]"), "explanation"))
}

#[cfg(test)]
mod tests {
    use crate::engine::{test_book, validate, Prepared, View};
    use rust_decimal::Decimal;

    #[test]
    fn the_equation_solves_to_the_reports_liquidation_price() {
        let p = Prepared::new(validate(&test_book()).expect("valid"));
        for view in [View::AllCross, View::AllIsolated] {
            let report = p.view(view).expect("evaluates");
            for i in 0..2 {
                let why = p
                    .explain_liquidation(view, i)
                    .expect("explained")
                    .expect("a price");
                assert_eq!(Some(why.price), report.positions[i].liquidation_price);
                // equity_const + equity_coef·P = mm_const + mm_coef·P (linear contracts).
                let lhs = why
                    .equity_coef
                    .checked_sub(why.mm_coef)
                    .expect("difference");
                let rhs = why
                    .mm_const
                    .checked_sub(why.equity_const)
                    .expect("difference");
                let solved = rhs.checked_div(lhs).expect("quotient");
                let off = solved.checked_sub(why.price).expect("difference").abs();
                assert!(
                    off < Decimal::new(1, 18),
                    "{view:?} {i}: {solved} vs {}",
                    why.price
                );
                // A long is safe above its price, a short below.
                assert_eq!(why.safe_above(), Some(i == 0), "{view:?} {i}");
            }
        }
    }
}
