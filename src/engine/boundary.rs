//! A cross pool's liquidation boundary over two assets' prices: for each
//! price of one, the prices of the other that liquidate the pool.

use crate::engine::error::Error;
use crate::engine::liquidation::{self, Problem, Roots, Term};
use crate::engine::margin::pools::{build_pools, Figures, Group, PoolKey};
use crate::engine::margin::solve::term;
use crate::engine::margin::{overflow, Prepared, View};
use crate::engine::market::{self, AtPrice};
use crate::engine::model::{Currency, Model};
use crate::engine::num::{Calc, SafeMath};
use crate::engine::scenario::{MarginBasis, Settlement};
use rust_decimal::Decimal;

/// One exact point of a cross pool's liquidation boundary over two assets:
/// at price `a` of the first asset, the prices of the second that liquidate
/// the pool, nearest its mark below and above.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BoundaryPoint {
    pub a: Decimal,
    pub b_down: Option<Decimal>,
    pub b_up: Option<Decimal>,
    /// Whether the pool is liquidated at `a` with `b` at its mark: then the
    /// liquidated prices of `b` lie between the roots, else outside them.
    pub liquidated_at_mark: bool,
}

impl Prepared {
    /// The quote currency's cross pool under `view`: which pairs of prices
    /// of assets `a` and `b` liquidate it. Each point is solved exactly for
    /// `b`, at the ends of `[lo, hi]`, at `a`'s tier breakpoints and at
    /// `samples` even steps.
    pub fn liquidation_boundary(
        &self,
        view: View,
        (a, b): (usize, usize),
        lo: Decimal,
        hi: Decimal,
        samples: usize,
    ) -> Result<Vec<BoundaryPoint>, Error> {
        boundary(self.model(), self.known(), view, (a, b), (lo, hi), samples)
    }
}

fn boundary(
    model: &Model,
    known: Option<&[Figures]>,
    view: View,
    (a, b): (usize, usize),
    (lo, hi): (Decimal, Decimal),
    samples: usize,
) -> Result<Vec<BoundaryPoint>, Error> {
    let err = || "boundary".to_string();
    let mut prices = vec![lo, hi];
    let step = hi
        .sub(lo)
        .and_then(|d| d.div(Decimal::from(samples.max(1) as u64)))
        .map_err(overflow(err, "price step"))?;
    for k in 1..samples {
        let at = step
            .mul(Decimal::from(k as u64))
            .and_then(|x| lo.add(x))
            .map_err(overflow(err, "price step"))?;
        prices.push(at);
    }
    for p in model
        .positions
        .iter()
        .filter(|p| model.markets[p.market].asset == a)
    {
        let m = &model.markets[p.market];
        if m.basis == MarginBasis::Mark && m.settlement == Settlement::Linear {
            for t in m.tiers.iter().skip(1) {
                if let Some(at) = market::size(m, p.qty)
                    .ok()
                    .and_then(|q| t.floor.checked_div(q))
                    .filter(|x| *x > lo && *x < hi)
                {
                    prices.push(at);
                }
            }
        }
    }
    prices.sort();
    prices.dedup();
    // The pool is built once; as `a` moves, only its own group changes.
    let (pools, figures) = build_pools(model, view, known)?;
    let Some(pool) = pools
        .iter()
        .find(|p| p.key == PoolKey::Cross(Currency::Quote) && !p.members.is_empty())
    else {
        return Ok(Vec::new());
    };
    let group = |asset: usize| pool.group_of(asset);
    let (group_a, group_b) = (group(a), group(b));
    let calc = || -> Calc<Vec<BoundaryPoint>> {
        // Equity and requirement of `a`'s group at a price of `a`, and its
        // net (`pnl − mm` plus collateral) summed in the order `build_pools`
        // sums it, so that each point is exactly the liquidation price that
        // evaluating the portfolio with `a` moved would give.
        let a_members = match group_a {
            Some(g) => g
                .members
                .iter()
                .map(|&i| AtPrice::new(model, i))
                .collect::<Calc<Vec<_>>>()?,
            None => Vec::new(),
        };
        let a_at = |price: Decimal| -> Calc<(Decimal, Decimal, Decimal)> {
            if group_a.is_none() {
                return Ok((Decimal::ZERO, Decimal::ZERO, Decimal::ZERO));
            }
            let (mut equity, mut mm, mut net) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
            for member in &a_members {
                let (pnl, req) = member.at(price)?;
                equity = equity.add(pnl)?;
                mm = mm.add(req)?;
                net = net.add(pnl.sub(req)?)?;
            }
            for c in model.collateral.iter().filter(|c| c.asset == a) {
                let v = price.mul(c.weighted_qty)?;
                equity = equity.add(v)?;
                net = net.add(v)?;
            }
            Ok((equity, mm, net))
        };
        let (a_equity_now, a_mm_now, _) = a_at(model.assets[a].price)?;
        let equity_now = pool.equity()?;
        let b_index = pool.groups.iter().position(|g| g.asset == b);
        // `b`'s constant: the wallet and every group before it, plus every
        // group after it summed from the end, as `solve_groups` does.
        let rest = |a_net: Decimal| -> Calc<Decimal> {
            let net = |g: &Group| if g.asset == a { a_net } else { g.net };
            let Some(bi) = b_index else {
                return Ok(Decimal::ZERO);
            };
            let mut prefix = pool.wallet;
            for g in &pool.groups[..bi] {
                prefix = prefix.add(net(g))?;
            }
            let mut suffix = Decimal::ZERO;
            for g in pool.groups[bi + 1..].iter().rev() {
                suffix = suffix.add(net(g))?;
            }
            prefix.add(suffix)
        };
        // `b`'s group, solved at each point with only its constant changed.
        let mut problem = match group_b {
            Some(g) => {
                let terms = g
                    .members
                    .iter()
                    .map(|&i| term(model, &figures, i, Decimal::ONE))
                    .collect::<Calc<Vec<Term>>>()?;
                let start = model.assets[b].price;
                Some(Problem::new(
                    terms,
                    Decimal::ZERO,
                    g.weighted_qty,
                    true,
                    start,
                )?)
            }
            None => None,
        };
        let mut out = Vec::with_capacity(prices.len());
        for pa in prices {
            let (a_equity, a_mm, a_net) = a_at(pa)?;
            let roots = match problem.as_mut() {
                Some(problem) => {
                    problem.constant = rest(a_net)?;
                    liquidation::roots(problem)?
                }
                None => Roots::default(),
            };
            let equity = equity_now.sub(a_equity_now)?.add(a_equity)?;
            let mm = pool.mm.sub(a_mm_now)?.add(a_mm)?;
            out.push(BoundaryPoint {
                a: pa,
                b_down: roots.down,
                b_up: roots.up,
                liquidated_at_mark: equity <= mm,
            });
        }
        Ok(out)
    };
    calc().map_err(overflow(err, "boundary"))
}

#[cfg(test)]
mod tests {
    use crate::engine::{test_book, validate, Prepared, View};
    use rust_decimal::Decimal;

    /// At the first asset's own price, the boundary's root nearest the
    /// second asset's mark is the second asset's liquidation price in the
    /// report (all cross, where the two share the pool).
    #[test]
    fn at_the_first_assets_price_the_boundary_is_the_second_assets_liquidation_price() {
        let p = Prepared::new(validate(&test_book()).expect("valid"));
        let btc = Decimal::from(60000);
        let points = p
            .liquidation_boundary(View::AllCross, (0, 1), btc, Decimal::from(70000), 2)
            .expect("boundary");
        assert_eq!(points[0].a, btc);
        let report = p.view(View::AllCross).expect("evaluates");
        let eth = report.position("ETHUSDT").expect("ETH");
        let roots = crate::engine::liquidation::Roots {
            down: points[0].b_down,
            up: points[0].b_up,
        };
        assert_eq!(roots.nearest(eth.mark_price), eth.liquidation_price);
        assert!(!points[0].liquidated_at_mark);
    }
}
