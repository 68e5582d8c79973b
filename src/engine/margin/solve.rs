//! Each (pool, asset) group's liquidation and bankruptcy prices: the rest of
//! the pool is held at its current value while the asset's price moves, and
//! `liquidation.rs` solves the equation.

use super::overflow;
use super::pools::{pool_id, Figures, Pool};
use crate::engine::error::Error;
use crate::engine::few::Few;
use crate::engine::liquidation::{self, Coef, Problem, Term};
use crate::engine::model::{Currency, Model};
use crate::engine::num::{Calc, SafeMath};
use crate::engine::scenario::MarginMode;
use rust_decimal::Decimal;

/// [`solve_groups`], its error naming the pool.
pub(crate) fn solve_pool<'a>(
    model: &'a Model,
    figures: &[Figures],
    terms: &mut Terms<'a>,
    pool: &mut Pool,
) -> Result<(), Error> {
    let key = pool.key;
    solve_groups(model, figures, terms, pool).map_err(overflow(
        || format!("pools.{}", pool_id(model, key)),
        "liquidation price",
    ))
}

/// Solves every (pool, asset) group: the rest of the pool is held at its
/// current value while this asset's price moves.
fn solve_groups<'a>(
    model: &'a Model,
    figures: &[Figures],
    terms: &mut Terms<'a>,
    pool: &mut Pool,
) -> Calc<()> {
    // The rest of the pool for group g is everything before it plus everything
    // after it: prefix and suffix sums keep this linear in the number of assets.
    let n = pool.groups.len();
    // (A pool of one group, as every isolated pool is, has nothing after
    // it: no sums, and no allocation.)
    let mut suffix = Vec::new();
    if n > 1 {
        suffix = vec![(Decimal::ZERO, Decimal::ZERO); n + 1];
        for gi in (0..n).rev() {
            let g = &pool.groups[gi];
            suffix[gi] = (
                suffix[gi + 1].0.add(g.net)?,
                suffix[gi + 1].1.add(g.net_equity)?,
            );
        }
    }
    let after = |gi: usize| {
        suffix
            .get(gi + 1)
            .copied()
            .unwrap_or((Decimal::ZERO, Decimal::ZERO))
    };
    let mut prefix = (pool.wallet, pool.wallet);
    let sizes = pool
        .groups
        .iter()
        .fold(pool.wallet_size, |total, g| total.saturating_add(g.size));
    for gi in 0..n {
        let rest = (prefix.0.add(after(gi).0)?, prefix.1.add(after(gi).1)?);
        prefix = (
            prefix.0.add(pool.groups[gi].net)?,
            prefix.1.add(pool.groups[gi].net_equity)?,
        );
        let g = &pool.groups[gi];
        let price = model.assets[g.asset].price;
        let group_terms = g
            .members
            .iter()
            .map(|&i| terms.at_asset_price(model, figures, i))
            .collect::<Calc<Few<Term>>>()?;
        let mut problem = Problem::new(group_terms, rest.0, g.weighted_qty, true, price)?;
        if let Some(u) = &g.unit {
            problem.unit = unit_requirement(pool.currency, u.mm_per, Decimal::ONE)?;
        }
        // The rest of the pool is a sum of its wallet and the other groups'
        // PnLs, collateral and requirements: as exact as they are.
        problem.constant_size = sizes.saturating_sub(g.size);
        let liquidation = liquidation::roots(&problem)?;
        problem.constant = rest.1;
        problem.with_maintenance = false;
        let bankruptcy = liquidation::roots(&problem)?;
        let g = &mut pool.groups[gi];
        g.liquidation = liquidation;
        g.bankruptcy = bankruptcy;
    }
    Ok(())
}

/// A risk unit's maintenance margin as `− (b·v or c/v)`, with its asset's
/// price `scale · v`: linear contracts' grows with the price, inverse ones'
/// with its inverse.
pub(crate) fn unit_requirement(currency: Currency, mm_per: Decimal, scale: Decimal) -> Calc<Coef> {
    Ok(match currency {
        Currency::Quote => Coef {
            b: -mm_per.mul(scale)?,
            ..Coef::default()
        },
        Currency::Coin(_) => Coef {
            c: -mm_per.div(scale)?,
            ..Coef::default()
        },
    })
}

/// Each position's terms of the solver, built when first asked and then
/// taken as they are by every view of one evaluation (a term depends on
/// the position, its market and its figures, which no view changes; only
/// whether it is charged, which [`charged_as`] sets): a term is a few
/// products, and a report of four views would build most of them six times.
pub(crate) struct Terms<'a> {
    /// By position: its price the asset's (times its market's ratio).
    asset_price: Vec<Option<Term<'a>>>,
    /// By position: its price its mark (a uniform move of every price).
    mark: Vec<Option<Term<'a>>>,
}

impl<'a> Terms<'a> {
    pub(crate) fn new(positions: usize) -> Terms<'a> {
        Terms {
            asset_price: vec![None; positions],
            mark: vec![None; positions],
        }
    }

    /// No cache: each term built when asked and none kept, for one pool
    /// solved once (the explanation, a point of the holding chart, the
    /// whole-market moves alone), where a cache of every position would be
    /// allocated, barely filled and dropped at every slider tick.
    pub(crate) fn once() -> Terms<'a> {
        Terms {
            asset_price: Vec::new(),
            mark: Vec::new(),
        }
    }

    /// Position `i` with its price `ratio · v`, `v` its asset's price.
    pub(crate) fn at_asset_price(
        &mut self,
        model: &'a Model,
        figures: &[Figures],
        i: usize,
    ) -> Calc<Term<'a>> {
        let ratio = || model.markets[model.positions[i].market].ratio();
        let t = cached(&mut self.asset_price, i, || {
            charged_term(model, figures, i, ratio()?)
        })?;
        Ok(charged_as(t, figures.get(i)))
    }

    /// Position `i` with its price `mark · v`, `v` a uniform move.
    pub(crate) fn at_mark(
        &mut self,
        model: &'a Model,
        figures: &[Figures],
        i: usize,
    ) -> Calc<Term<'a>> {
        let mark = figures.get(i).map_or(Decimal::ZERO, |f| f.price);
        let t = cached(&mut self.mark, i, || charged_term(model, figures, i, mark))?;
        Ok(charged_as(t, figures.get(i)))
    }
}

/// The term in `slot` `i`, built by `build` the first time (every time
/// where there is no slot: [`Terms::once`]).
fn cached<'a>(
    slot: &mut [Option<Term<'a>>],
    i: usize,
    build: impl FnOnce() -> Calc<Term<'a>>,
) -> Calc<Term<'a>> {
    match slot.get_mut(i) {
        Some(Some(t)) => Ok(t.clone()),
        Some(empty) => Ok(empty.insert(build()?).clone()),
        None => build(),
    }
}

/// Position `i` as a term of the solver, its price being `scale · v`; the
/// walk starts at the current prices, where its tier is the one in `figures`.
/// In a portfolio pool, its own requirement is left out (its unit's counts).
pub(crate) fn term<'a>(
    model: &'a Model,
    figures: &[Figures],
    i: usize,
    scale: Decimal,
) -> Calc<Term<'a>> {
    Ok(charged_as(
        charged_term(model, figures, i, scale)?,
        figures.get(i),
    ))
}

/// A term charged as its figures' mode has it: not in a portfolio pool.
fn charged_as<'a>(t: Term<'a>, f: Option<&Figures>) -> Term<'a> {
    match f {
        Some(f) if f.mode == MarginMode::Portfolio => t.uncharged(),
        _ => t,
    }
}

/// [`term`] before its mode is known: its requirement charged.
fn charged_term<'a>(
    model: &'a Model,
    figures: &[Figures],
    i: usize,
    scale: Decimal,
) -> Calc<Term<'a>> {
    let p = &model.positions[i];
    let t = Term::new(
        &model.markets[p.market],
        p.side,
        p.qty,
        p.entry_price,
        scale,
    )?;
    // After costs, its PnL is net of its funding (a constant) and the fee
    // to close (the form of the PnL).
    let t = if model.charge_costs {
        let m = &model.markets[p.market];
        let funding = match figures.get(i) {
            Some(f) => f.funding,
            None => {
                let index = model.assets[m.asset].price;
                let mark = m.mark_at(index)?;
                crate::engine::market::funding(model, p, mark, index, model.holding_hours)?
            }
        };
        t.with_costs(funding, m.costs.taker)?
    } else {
        t
    };
    Ok(match figures.get(i) {
        Some(f) => t.starting_in(f.tier),
        None => t,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::margin::pools::build_pools;
    use crate::engine::margin::View;
    use crate::engine::{validate, Scenario};

    /// A BTC long of 0.5 from 60,000 on a 1,000 wallet, 0.5 % maintenance:
    /// `1000 + 0.5·(P − 60000) = 0.5·P·0.005`, so P = 29000 / 0.4975; and
    /// bankrupt where `1000 + 0.5·(P − 60000) = 0`, at 58,000.
    #[test]
    fn a_lone_linear_long_is_liquidated_where_the_equation_says() {
        let s = Scenario::from_json(
            r#"{ "quote": "USD", "wallet": { "USD": "1000" }, "prices": { "BTC": "60000" },
            "markets": { "BTCUSDT": { "asset": "BTC", "tiers": [ { "notional_floor": "0", "mmr": "0.005" } ] } },
            "positions": [ { "market": "BTCUSDT", "side": "long", "qty": "0.5", "entry_price": "60000", "leverage": "10" } ] }"#,
        )
        .expect("a scenario");
        let m = validate(&s).expect("valid");
        let (mut pools, figures) = build_pools(&m, View::AllCross, None).expect("pools");
        let mut terms = Terms::new(m.positions.len());
        solve_pool(&m, &figures, &mut terms, &mut pools[0]).expect("solved");
        let g = pools[0].group_of(0).expect("BTC");
        let want = Decimal::from(29000)
            .checked_div(Decimal::new(4975, 4))
            .expect("quotient");
        assert_eq!(g.liquidation.down, Some(want));
        assert_eq!(g.liquidation.up, None);
        assert_eq!(
            g.bankruptcy.nearest(Decimal::from(60000)),
            Some(Decimal::from(58000))
        );
    }
}
