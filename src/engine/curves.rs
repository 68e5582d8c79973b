//! Each pool's equity and maintenance margin as one asset's price moves,
//! every other price held: the chart's lines, as exact points.

use crate::engine::error::Error;
use crate::engine::margin::pools::{build_pools, pool_id, Figures, PoolKey};
use crate::engine::margin::{overflow, Prepared, View};
use crate::engine::market::{self, AtPrice};
use crate::engine::model::{Currency, Model};
use crate::engine::num::{Calc, SafeMath};
use crate::engine::scenario::{MarginBasis, MarginMode, Settlement};
use rust_decimal::Decimal;

/// One point of a pool's curve against one asset's price.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CurvePoint {
    pub price: Decimal,
    pub equity: Decimal,
    pub maintenance_margin: Decimal,
}

/// A pool's equity and maintenance margin as one asset's price moves, every
/// other price held: exact values at the ends, at every tier breakpoint in
/// between (where the lines bend) and, for inverse contracts, whose curves
/// are hyperbolas, at `samples` evenly spaced prices.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PoolCurve {
    pub pool: String,
    pub mode: MarginMode,
    pub currency: String,
    pub points: Vec<CurvePoint>,
}

impl Prepared {
    /// The curves of every pool exposed to `asset` (positions or collateral
    /// on it) between the prices `lo` and `hi` under `view`.
    pub fn curves(
        &self,
        view: View,
        asset: usize,
        lo: Decimal,
        hi: Decimal,
        samples: usize,
    ) -> Result<Vec<PoolCurve>, Error> {
        curves(self.model(), self.known(), view, asset, (lo, hi), samples)
    }
}

fn curves(
    model: &Model,
    known: Option<&[Figures]>,
    view: View,
    asset: usize,
    (lo, hi): (Decimal, Decimal),
    samples: usize,
) -> Result<Vec<PoolCurve>, Error> {
    let (pools, figures) = build_pools(model, view, known)?;
    let mut out = Vec::new();
    for pool in pools.iter().filter(|p| !p.members.is_empty()) {
        let Some(g) = pool.group_of(asset) else {
            continue;
        };
        let calc = || -> Calc<PoolCurve> {
            let (rest_equity, rest_mm) = pool.rest_of(g, &figures, model.assets[asset].price)?;
            let mut prices = vec![lo, hi];
            let mut curved = false;
            for &i in &g.members {
                let p = &model.positions[i];
                let m = &model.markets[p.market];
                curved |= m.settlement == Settlement::Inverse;
                if m.basis == MarginBasis::Mark {
                    for t in m.tiers.iter().skip(1) {
                        // The price at which this position's notional reaches the tier's floor.
                        let mut size = market::size(m, p.qty)?;
                        if m.premium.is_some() {
                            size = size.mul(m.ratio()?)?;
                        }
                        let at = match m.settlement {
                            Settlement::Linear => t.floor.checked_div(size),
                            Settlement::Inverse => size.checked_div(t.floor),
                        };
                        if let Some(at) = at.filter(|a| *a > lo && *a < hi) {
                            prices.push(at);
                        }
                    }
                }
            }
            if curved && samples > 1 {
                let step = hi.sub(lo)?.div(Decimal::from(samples as u64))?;
                for k in 1..samples {
                    prices.push(lo.add(step.mul(Decimal::from(k as u64))?)?);
                }
            }
            prices.sort();
            prices.dedup();
            prices.retain(|p| *p > Decimal::ZERO);
            let members = if prices.is_empty() {
                Vec::new()
            } else {
                g.members
                    .iter()
                    .map(|&i| AtPrice::new(model, i))
                    .collect::<Calc<Vec<_>>>()?
            };
            let mut points = Vec::with_capacity(prices.len());
            for price in prices {
                let mut equity = rest_equity.add(g.weighted_qty.mul(price)?)?;
                let mut mm = rest_mm;
                for member in &members {
                    let (pnl, req) = member.at(price)?;
                    equity = equity.add(pnl)?;
                    if g.unit.is_none() {
                        mm = mm.add(req)?;
                    }
                }
                // A risk unit's requirement at this price (portfolio margin).
                if let Some(u) = &g.unit {
                    mm = mm.add(match pool.currency {
                        Currency::Quote => u.mm_per.mul(price)?,
                        Currency::Coin(_) => u.mm_per.div(price)?,
                    })?;
                }
                points.push(CurvePoint {
                    price,
                    equity,
                    maintenance_margin: mm,
                });
            }
            Ok(PoolCurve {
                pool: pool.id.to_string(),
                mode: match pool.key {
                    PoolKey::Cross(_) => MarginMode::Cross,
                    PoolKey::Isolated(_) => MarginMode::Isolated,
                    PoolKey::Portfolio(_) => MarginMode::Portfolio,
                },
                currency: model.currency_name(pool.currency).to_string(),
                points,
            })
        };
        out.push(calc().map_err(overflow(
            || format!("pools.{}", pool_id(model, pool.key)),
            "curve",
        ))?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::engine::{test_book, validate, Prepared, View};
    use rust_decimal::Decimal;

    #[test]
    fn a_curve_has_its_ends_and_its_tier_breakpoint_and_reads_the_pool_at_the_mark() {
        let p = Prepared::new(validate(&test_book()).expect("valid"));
        let (lo, hi) = (Decimal::from(30000), Decimal::from(90000));
        let curves = p.curves(View::AllCross, 0, lo, hi, 8).expect("curves");
        let cross = curves
            .iter()
            .find(|c| c.pool == "cross")
            .expect("the cross pool");
        let prices: Vec<Decimal> = cross.points.iter().map(|pt| pt.price).collect();
        // The ends, and 50,000 where 1 BTC's notional enters the second tier.
        assert_eq!(prices, [lo, Decimal::from(50000), hi]);
        // Through the mark, the line is the pool's own figures there.
        let report = p.view(View::AllCross).expect("evaluates");
        let pool = report.pool("cross").expect("cross");
        let at = |price: i64| {
            let mark = p
                .curves(View::AllCross, 0, Decimal::from(price), hi, 8)
                .expect("curves");
            let c = mark.into_iter().find(|c| c.pool == "cross").expect("cross");
            (c.points[0].equity, c.points[0].maintenance_margin)
        };
        assert_eq!(at(60000), (pool.equity, pool.maintenance_margin));
    }
}
