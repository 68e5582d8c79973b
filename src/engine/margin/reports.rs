//! Pool and account reports, the whole-market thresholds, the sweeps and
//! the free margin: what a view says about its pools once they are solved.

use super::pools::{build_pools, pool_id, Figures, Pool, PoolKey};
use super::prepared::Prepared;
use super::solve::{unit_requirement, Terms};
use super::{overflow, View};
use crate::engine::error::Error;
use crate::engine::liquidation::{self, Problem, Roots, Term};
use crate::engine::model::{Currency, Model};
use crate::engine::num::{ratio, Calc, SafeMath};
use crate::engine::report::{
    AccountReport, AssetSweep, PoolReport, PositionReport, Status, SweepHit, Threshold, UnitReport,
};
use crate::engine::scenario::MarginMode;
use rust_decimal::Decimal;

impl Prepared {
    /// The free margin (equity − initial margin) of the cross pool settling
    /// in `currency`, as given: pool sums only, no liquidation prices (a
    /// question like "how much more can I open" asks it at every price tick).
    pub fn free_margin(&self, currency: Currency) -> Result<Decimal, Error> {
        let model = self.model();
        let (pools, _) = build_pools(model, View::AsGiven, self.known())?;
        let shared = |p: &&super::pools::Pool| {
            p.key == PoolKey::Cross(currency) || p.key == PoolKey::Portfolio(currency)
        };
        let Some(pool) = pools.iter().find(shared) else {
            return Ok(Decimal::ZERO);
        };
        pool.equity()
            .and_then(|equity| pool.free_margin(equity))
            .map_err(overflow(
                || format!("pools.{}", pool_id(model, pool.key)),
                "pool figure",
            ))
    }

    /// The uniform market moves that liquidate each cross pool under `view`.
    pub fn thresholds(&self, view: View) -> Result<Vec<Threshold>, Error> {
        let model = self.model();
        let (pools, figures) = build_pools(model, view, self.known())?;
        thresholds(model, &figures, &mut Terms::once(), &pools)
            .map_err(overflow(|| "account".into(), "threshold"))
    }
}

pub(crate) fn pool_report(model: &Model, p: &Pool) -> Result<PoolReport, Error> {
    let id = &p.id;
    let calc = || -> Calc<PoolReport> {
        // Each figure is settled (`Pool::equity`): a residue of rounding
        // where the model has zero is zero, and what follows from it (a
        // ratio over it, the pool's status) follows from zero.
        let super::pools::Settled {
            equity,
            maintenance_margin: mm,
            over_maintenance,
            free_margin,
        } = p.settled()?;
        let positive = equity > Decimal::ZERO;
        let status = if !p.members.is_empty() && over_maintenance <= Decimal::ZERO {
            Status::Liquidated
        } else if !p.members.is_empty() && free_margin < Decimal::ZERO {
            Status::BelowInitialMargin
        } else {
            Status::Healthy
        };
        Ok(PoolReport {
            id: id.clone(),
            mode: match p.key {
                PoolKey::Cross(_) => MarginMode::Cross,
                PoolKey::Isolated(_) => MarginMode::Isolated,
                PoolKey::Portfolio(_) => MarginMode::Portfolio,
            },
            currency: model.currency_name(p.currency).clone(),
            positions: p
                .members
                .iter()
                .map(|&i| model.positions[i].id.clone())
                .collect(),
            wallet_balance: p.wallet,
            collateral_value: p.collateral_value,
            wallet_value: p.wallet.add(p.collateral_full)?,
            pnl: p.pnl,
            equity,
            initial_margin: p.im,
            maintenance_margin: mm,
            value: p.value,
            margin_ratio: if positive { ratio(mm, equity) } else { None },
            collateral_ratio: if mm > Decimal::ZERO {
                ratio(equity, mm)
            } else {
                None
            },
            effective_leverage: if positive {
                ratio(p.value, equity)
            } else {
                None
            },
            free_margin,
            status,
            units: p
                .groups
                .iter()
                .filter_map(|g| {
                    let u = g.unit.as_ref()?;
                    Some(UnitReport {
                        asset: model.assets[g.asset].name.clone(),
                        positions: g
                            .members
                            .iter()
                            .map(|&i| model.positions[i].id.clone())
                            .collect(),
                        worst_loss: u.worst_loss,
                        worst_scenario: u.worst_shock,
                        roll_charge: u.roll_charge,
                        basis_charge: u.basis_charge,
                        floor_charge: u.floor_charge,
                        requirement: u.requirement,
                        maintenance_margin: u.maintenance_margin,
                        initial_margin: u.initial_margin,
                        delta: u.delta,
                        gross: u.gross,
                    })
                })
                .collect(),
            costs: None,
        })
    };
    calc().map_err(overflow(
        || format!("pools.{}", pool_id(model, p.key)),
        "pool figure",
    ))
}

/// The price of a pool's currency in quote (1 for the quote itself).
fn currency_price(model: &Model, c: Currency) -> Decimal {
    match c {
        Currency::Quote => Decimal::ONE,
        Currency::Coin(a) => model.assets[a].price,
    }
}

pub(crate) fn account_report<'a>(
    model: &'a Model,
    figures: &[Figures],
    terms: &mut Terms<'a>,
    pools: &[Pool],
    reports: &[PoolReport],
    positions: &[PositionReport],
) -> Result<AccountReport, Error> {
    // Each figure's error names it: a total, or the whole-market move.
    let failed = |what| overflow(|| "account".into(), what);
    let totals = || -> Calc<(Decimal, Decimal, Decimal)> {
        let mut total_equity = Decimal::ZERO;
        let mut collateral_value = Decimal::ZERO;
        let mut wallet_value = Decimal::ZERO;
        for (p, r) in pools.iter().zip(reports) {
            let px = currency_price(model, p.currency);
            total_equity = total_equity.add(p.rounding.times(r.equity, px)?)?;
            collateral_value = collateral_value.add(p.collateral_value)?;
            let wallet = if matches!(p.key, PoolKey::Isolated(_)) {
                p.wallet
            } else {
                r.wallet_value
            };
            wallet_value = wallet_value.add(wallet.mul(px)?)?;
        }
        Ok((total_equity, collateral_value, wallet_value))
    };
    let (total_equity, collateral_value, wallet_value) =
        totals().map_err(failed("account total"))?;
    let thresholds =
        thresholds(model, figures, terms, pools).map_err(failed("whole-market move"))?;
    // Every pool's liquidation prices, by asset: one pass over the pools
    // (not one per asset, which grows as assets × pools).
    let mut hits: Vec<(Vec<SweepHit>, Vec<SweepHit>)> = Vec::new();
    hits.resize_with(model.assets.len(), Default::default);
    for p in pools.iter().filter(|p| !p.members.is_empty()) {
        for g in &p.groups {
            let (Some((down, up)), Roots { down: d, up: u }) =
                (hits.get_mut(g.asset), g.liquidation)
            else {
                continue;
            };
            if d.is_none() && u.is_none() {
                continue;
            }
            let pool = p.id.clone();
            if let Some(price) = d {
                down.push(SweepHit {
                    pool: pool.clone(),
                    price,
                });
            }
            if let Some(price) = u {
                up.push(SweepHit { pool, price });
            }
        }
    }
    let mut sweeps = Vec::new();
    for (asset, (mut down, mut up)) in model.assets.iter().zip(hits) {
        if down.is_empty() && up.is_empty() {
            continue;
        }
        // One sort's code for both (a key each would be two): falling
        // prices highest first are the negated prices lowest first.
        let by: fn(&SweepHit) -> Decimal = |h| h.price;
        let by_fall: fn(&SweepHit) -> Decimal = |h| -h.price;
        down.sort_by_key(by_fall);
        up.sort_by_key(by);
        sweeps.push(AssetSweep {
            asset: asset.name.clone(),
            price: asset.price,
            down,
            up,
        });
    }
    let liquidated_pools = reports
        .iter()
        .filter(|r| r.status == Status::Liquidated)
        .count();
    Ok(AccountReport {
        quote: model.quote.to_string(),
        total_equity,
        collateral_value,
        wallet_value,
        status: reports
            .iter()
            .map(|r| r.status)
            .max()
            .unwrap_or(Status::Healthy),
        liquidated_pools,
        liquidated_positions: positions.iter().filter(|p| p.liquidated).count(),
        thresholds,
        sweeps,
    })
}

fn thresholds<'a>(
    model: &'a Model,
    figures: &[Figures],
    terms: &mut Terms<'a>,
    pools: &[Pool],
) -> Calc<Vec<Threshold>> {
    let mut out = Vec::new();
    for p in pools
        .iter()
        .filter(|p| matches!(p.key, PoolKey::Cross(_) | PoolKey::Portfolio(_)))
        .filter(|p| !p.members.is_empty())
    {
        let roots = uniform_move(model, figures, terms, p)?;
        out.push(Threshold {
            pool: p.id.clone(),
            down: roots.down.map(|m| m.sub(Decimal::ONE)).transpose()?,
            up: roots.up.map(|m| m.sub(Decimal::ONE)).transpose()?,
        });
    }
    Ok(out)
}

/// Every price times `m`: the `m` nearest 1 on each side that liquidates pool `p`.
fn uniform_move<'a>(
    model: &'a Model,
    figures: &[Figures],
    terms: &mut Terms<'a>,
    p: &Pool,
) -> Calc<Roots> {
    let mut linear = Decimal::ZERO;
    for g in &p.groups {
        linear = linear.add(g.weighted_qty.mul(model.assets[g.asset].price)?)?;
    }
    // Each position's price is its mark times the move.
    let moving = p
        .members
        .iter()
        .map(|&i| terms.at_mark(model, figures, i))
        .collect::<Calc<Vec<Term>>>()?;
    let mut problem = Problem::new(moving, p.wallet, linear, true, Decimal::ONE)?;
    for g in &p.groups {
        if let Some(u) = &g.unit {
            let price = model.assets[g.asset].price;
            problem.unit = problem
                .unit
                .plus(unit_requirement(p.currency, u.mm_per, price)?)?;
        }
    }
    liquidation::roots(&problem)
}

#[cfg(test)]
mod tests {
    use crate::engine::{validate, Prepared, Scenario, Status, View};
    use rust_decimal::Decimal;

    /// One BTC long of 1 from 60,000, 10× (initial margin 6,000), 1 %
    /// maintenance (600 at the mark), at a wallet that puts it in each state.
    fn at_wallet(wallet: &str) -> Prepared {
        let s = Scenario::from_json(&format!(
            r#"{{ "quote": "USD", "wallet": {{ "USD": "{wallet}" }}, "prices": {{ "BTC": "60000" }},
            "markets": {{ "BTCUSDT": {{ "asset": "BTC", "tiers": [ {{ "notional_floor": "0", "mmr": "0.01" }} ] }} }},
            "positions": [ {{ "market": "BTCUSDT", "side": "long", "qty": "1", "entry_price": "60000", "leverage": "10" }} ] }}"#
        ))
        .expect("a scenario");
        Prepared::new(validate(&s).expect("valid"))
    }

    #[test]
    fn a_pool_is_healthy_below_initial_margin_or_liquidated_by_its_equity() {
        for (wallet, status) in [
            ("6000", Status::Healthy),
            ("5999.99", Status::BelowInitialMargin),
            ("600.01", Status::BelowInitialMargin),
            ("600", Status::Liquidated),
            ("0", Status::Liquidated),
        ] {
            let e = at_wallet(wallet).view(View::AsGiven).expect("evaluates");
            assert_eq!(e.pool("cross").map(|p| p.status), Some(status), "{wallet}");
        }
    }

    #[test]
    fn free_margin_from_the_pool_sums_is_the_reports() {
        let p = at_wallet("7000");
        let report = p.view(View::AsGiven).expect("evaluates");
        let pool = report.pool("cross").expect("cross");
        assert_eq!(pool.free_margin, Decimal::from(1000));
        let quote = crate::engine::model::Currency::Quote;
        assert_eq!(p.free_margin(quote), Ok(Decimal::from(1000)));
    }

    #[test]
    fn the_whole_market_move_that_liquidates_a_lone_long_is_its_own_move() {
        // One asset: every price times 1 + x is the BTC price times 1 + x.
        let p = at_wallet("6000");
        let t = p.thresholds(View::AllCross).expect("thresholds");
        let liq = p.view(View::AllCross).expect("evaluates").positions[0]
            .liquidation_price
            .expect("a price");
        let down = t[0].down.expect("a fall");
        let moved = Decimal::from(60000)
            .checked_mul(Decimal::ONE + down)
            .expect("product");
        assert!(
            (moved - liq).abs() < Decimal::new(1, 20),
            "{moved} vs {liq}"
        );
        assert_eq!(t[0].up, None);
    }
}
