//! Every position's own figures, and the pools they fall in with their sums.
//!
//! A pool is one way of sharing collateral: a cross pool per settlement
//! currency (every cross position in it), and an isolated pool per isolated
//! position. Each kind is a variant of [`PoolKey`]; a new kind of pool (one
//! that charges its requirement another way) is a new variant here, placed
//! by [`build_pools`], with its requirement worked out in a module of its own.

use super::portfolio::Unit;
use super::{overflow, View};
use crate::engine::error::Error;
use crate::engine::few::Few;
use crate::engine::liquidation::Roots;
use crate::engine::market;
use crate::engine::model::{Currency, Model, Position};
use crate::engine::name::Name;
use crate::engine::num::{Calc, Rounding, SafeMath};
use crate::engine::scenario::{MarginBasis, MarginMode, Settlement, Side};
use rust_decimal::Decimal;

/// Which pool: the kind of pool, and what tells two of a kind apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PoolKey {
    /// Every cross position settling in this currency.
    Cross(Currency),
    /// Every portfolio position settling in this currency: its requirement
    /// is its risk units' (`margin::portfolio`), not its positions'. A
    /// currency's positions share one pool, cross or portfolio.
    Portfolio(Currency),
    /// One isolated position (its index) and its own margin.
    Isolated(usize),
}

/// Per-position figures that do not need the rest of the pool.
#[derive(Clone, Copy)]
pub(crate) struct Figures {
    pub(crate) pool: usize,
    pub(crate) mode: MarginMode,
    pub(crate) price: Decimal,
    pub(crate) notional: Decimal,
    pub(crate) value: Decimal,
    pub(crate) pnl: Decimal,
    pub(crate) im: Decimal,
    pub(crate) mm: Decimal,
    pub(crate) tier: usize,
    /// How far rounding can have moved the PnL (what the position adds to
    /// its pool's equity).
    pub(crate) rounding: Rounding,
    /// In a model after costs, the funding over the holding period that
    /// the PnL is net of (with the fee to close): a constant as prices move.
    pub(crate) funding: Decimal,
}

pub(crate) struct Pool {
    pub(crate) key: PoolKey,
    /// [`pool_id`], named once: reports, thresholds and sweeps all repeat it.
    pub(crate) id: Name,
    pub(crate) currency: Currency,
    pub(crate) members: Few<usize>,
    pub(crate) wallet: Decimal,
    pub(crate) collateral_value: Decimal,
    pub(crate) collateral_full: Decimal,
    pub(crate) pnl: Decimal,
    pub(crate) im: Decimal,
    pub(crate) mm: Decimal,
    pub(crate) value: Decimal,
    /// How far rounding can have moved the equity's sum: its wallet (less
    /// what isolated positions hold), collateral and PnLs.
    pub(crate) rounding: Rounding,
    /// The size of the wallet's terms (the wallet, what isolated positions
    /// hold): with the groups' sizes, how exact a part of the pool is.
    pub(crate) wallet_size: Decimal,
    /// Assets the pool is exposed to, each with its positions and moving collateral.
    /// (A scan finds an asset's: a pool holds a few assets.)
    pub(crate) groups: Few<Group>,
}

/// A pool's figures as its report has them ([`Pool::settled`]).
pub(crate) struct Settled {
    pub(crate) equity: Decimal,
    pub(crate) maintenance_margin: Decimal,
    pub(crate) over_maintenance: Decimal,
    pub(crate) free_margin: Decimal,
}

pub(crate) struct Group {
    pub(crate) asset: usize,
    pub(crate) members: Few<usize>,
    /// Collateral quantity at its value ratios (moves with the asset's price).
    pub(crate) weighted_qty: Decimal,
    /// `pnl − mm` plus collateral value of this group at current prices.
    pub(crate) net: Decimal,
    /// `pnl` plus collateral value (for bankruptcy).
    pub(crate) net_equity: Decimal,
    /// The size of the terms of `net` (each PnL's, each requirement, the
    /// collateral's value): how exact the group's part of a sum is.
    pub(crate) size: Decimal,
    pub(crate) liquidation: Roots,
    pub(crate) bankruptcy: Roots,
    /// In a portfolio pool, the risk unit its positions form.
    pub(crate) unit: Option<Unit>,
}

impl Pool {
    /// The group of `asset`, if the pool is exposed to it.
    pub(crate) fn group_of(&self, asset: usize) -> Option<&Group> {
        self.groups.iter().find(|g| g.asset == asset)
    }

    fn group(&mut self, asset: usize) -> &mut Group {
        let i = match self.groups.iter().position(|g| g.asset == asset) {
            Some(i) => i,
            None => {
                self.groups.push(Group {
                    asset,
                    members: Few::default(),
                    weighted_qty: Decimal::ZERO,
                    net: Decimal::ZERO,
                    net_equity: Decimal::ZERO,
                    size: Decimal::ZERO,
                    liquidation: Roots::default(),
                    bankruptcy: Roots::default(),
                    unit: None,
                });
                self.groups.len() - 1
            }
        };
        &mut self.groups[i]
    }

    /// Wallet, collateral and PnL; zero where no farther from it than
    /// rounding can have moved it (a pool at its own bankruptcy price):
    /// the one place a residue of rounding is told from a value (the
    /// figures below, and every ratio and total made from them, follow).
    pub(crate) fn equity(&self) -> Calc<Decimal> {
        let equity = self.wallet.add(self.collateral_value)?.add(self.pnl)?;
        Ok(self.rounding.settle(equity))
    }

    /// The pool's equity, its maintenance margin, what the one has over
    /// the other and its free margin, each settled: a residue of rounding
    /// where the model has zero is zero.
    pub(crate) fn settled(&self) -> Calc<Settled> {
        let equity = self.equity()?;
        // Each position's maintenance margin may have been rounded.
        let mm_rounding = Rounding::none().rounded_terms(self.mm, self.members.len());
        let over = equity.sub(self.mm)?;
        Ok(Settled {
            equity,
            maintenance_margin: mm_rounding.settle(self.mm),
            // Zero (the pool at its maintenance margin, and so liquidated)
            // when within rounding of it.
            over_maintenance: self.rounding.and(mm_rounding).settle(over),
            free_margin: self.free_margin(equity)?,
        })
    }

    /// Equity (the pool's [`Pool::equity`]) less the initial margin: what
    /// could still back new positions.
    pub(crate) fn free_margin(&self, equity: Decimal) -> Calc<Decimal> {
        let free = equity.sub(self.im)?;
        let im = Rounding::none().rounded_terms(self.im, self.members.len());
        Ok(self.rounding.and(im).settle(free))
    }

    /// Equity and requirement of everything in the pool but group `g`, at the
    /// current prices: what stays fixed while `g`'s asset moves.
    pub(crate) fn rest_of(
        &self,
        g: &Group,
        figures: &[Figures],
        price: Decimal,
    ) -> Calc<(Decimal, Decimal)> {
        let (mut group_equity, mut group_mm) = (g.weighted_qty.mul(price)?, Decimal::ZERO);
        for &i in &g.members {
            group_equity = group_equity.add(figures[i].pnl)?;
            group_mm = group_mm.add(figures[i].mm)?;
        }
        // A risk unit's requirement is the unit's, not its positions'.
        if let Some(u) = &g.unit {
            group_mm = u.maintenance_margin;
        }
        Ok((self.equity()?.sub(group_equity)?, self.mm.sub(group_mm)?))
    }
}

/// Puts every position and collateral asset into its pool, with the pool
/// sums, taking each position's figures from `known` when they are already
/// worked out (they do not depend on the view; only `pool` and `mode` do).
pub(crate) fn build_pools(
    model: &Model,
    view: View,
    known: Option<&[Figures]>,
) -> Result<(Vec<Pool>, Vec<Figures>), Error> {
    // A pool per currency and one per isolated position, made in place: a
    // pool is large, and a growing vector of a thousand would copy them.
    let isolated = model
        .positions
        .iter()
        .filter(|p| view.mode(p.mode) == MarginMode::Isolated)
        .count();
    let mut pools: Vec<Pool> = Vec::with_capacity(model.assets.len() + 1 + isolated);
    // The cross pool of each currency, by slot: the quote first, then each
    // asset's coin (an isolated pool is new for every position that has one).
    let slot = |c: Currency| match c {
        Currency::Quote => 0,
        Currency::Coin(a) => a + 1,
    };
    let mut cross: Vec<Option<usize>> = vec![None; model.assets.len() + 1];
    let new_pool = |key: PoolKey, currency: Currency, wallet: Decimal, rounding: Rounding| Pool {
        id: pool_id(model, key),
        key,
        currency,
        members: Few::default(),
        wallet,
        collateral_value: Decimal::ZERO,
        collateral_full: Decimal::ZERO,
        pnl: Decimal::ZERO,
        im: Decimal::ZERO,
        mm: Decimal::ZERO,
        value: Decimal::ZERO,
        rounding,
        wallet_size: wallet.abs(),
        groups: Few::default(),
    };
    // A currency's shared pool is a portfolio pool where its positions are
    // margined so (validation keeps cross and portfolio positions apart).
    let mut portfolio = vec![view == View::AllPortfolio; model.assets.len() + 1];
    if view == View::AsGiven {
        for p in model
            .positions
            .iter()
            .filter(|p| p.mode == MarginMode::Portfolio)
        {
            if let Some(s) = portfolio.get_mut(slot(model.markets[p.market].currency())) {
                *s = true;
            }
        }
    }
    for c in model.currencies() {
        let wallet = model.wallet.get(&c).copied().unwrap_or_default();
        if let Some(s) = cross.get_mut(slot(c)) {
            *s = Some(pools.len());
        }
        let key = if portfolio.get(slot(c)).copied().unwrap_or(false) {
            PoolKey::Portfolio(c)
        } else {
            PoolKey::Cross(c)
        };
        pools.push(new_pool(key, c, wallet, Rounding::none().exact(wallet)));
    }

    // Positions: their own figures, then into their pools.
    let mut figures = Vec::with_capacity(model.positions.len());
    for (i, p) in model.positions.iter().enumerate() {
        let m = &model.markets[p.market];
        let mode = view.mode(p.mode);
        let currency = m.currency();
        // Every currency has its cross pool (`Model::currencies`).
        let cross_pool = cross
            .get(slot(currency))
            .copied()
            .flatten()
            .ok_or_else(|| Error::invalid(format!("positions[{i}]"), "its currency has no pool"))?;
        let pool = match mode {
            MarginMode::Cross | MarginMode::Portfolio => cross_pool,
            MarginMode::Isolated => {
                // Set to the initial margin, it is a quotient, perhaps rounded.
                let margin = |r: Rounding| {
                    if p.margin_derived {
                        r.rounded(p.isolated_margin)
                    } else {
                        r.exact(p.isolated_margin)
                    }
                };
                pools.push(new_pool(
                    PoolKey::Isolated(i),
                    currency,
                    p.isolated_margin,
                    margin(Rounding::none()),
                ));
                let cp = &mut pools[cross_pool];
                cp.rounding = margin(cp.rounding);
                cp.wallet_size = cp.wallet_size.saturating_add(p.isolated_margin.abs());
                cp.wallet = cp
                    .wallet
                    .sub(p.isolated_margin)
                    .map_err(overflow(|| "wallet".into(), "wallet balance"))?;
                pools.len() - 1
            }
        };
        let f = match known.and_then(|k| k.get(i)) {
            Some(&k) => Figures { pool, mode, ..k },
            None => position_figures(model, p, pool, mode)
                .map_err(overflow(|| format!("positions[{i}]"), "margin"))?,
        };
        let pl = &mut pools[pool];
        pl.members.push(i);
        let calc = (|| -> Calc<()> {
            pl.pnl = pl.pnl.add(f.pnl)?;
            pl.im = pl.im.add(f.im)?;
            pl.mm = pl.mm.add(f.mm)?;
            pl.value = pl.value.add(f.value)?;
            pl.rounding = pl.rounding.and(f.rounding);
            let g = pl.group(m.asset);
            g.members.push(i);
            g.net = g.net.add(f.pnl.sub(f.mm)?)?;
            g.net_equity = g.net_equity.add(f.pnl)?;
            let size = f.rounding.size().unwrap_or(Decimal::MAX);
            g.size = g.size.saturating_add(size).saturating_add(f.mm.abs());
            Ok(())
        })();
        calc.map_err(overflow(|| format!("positions[{i}]"), "pool total"))?;
        figures.push(f);
    }

    // Collateral backs the quote currency's cross pool and moves with its asset.
    for (i, c) in model.collateral.iter().enumerate() {
        let quote_pool = cross.first().copied().flatten().ok_or_else(|| {
            Error::invalid(format!("collateral[{i}]"), "the quote currency has no pool")
        })?;
        let price = model.assets[c.asset].price;
        let calc = (|| -> Calc<()> {
            let pl = &mut pools[quote_pool];
            let v = price.mul(c.weighted_qty)?;
            pl.collateral_value = pl.collateral_value.add(v)?;
            pl.rounding = pl
                .rounding
                .product(v, price.scale() + c.weighted_qty.scale());
            pl.collateral_full = pl.collateral_full.add(price.mul(c.qty)?)?;
            let g = pl.group(c.asset);
            g.weighted_qty = g.weighted_qty.add(c.weighted_qty)?;
            g.net = g.net.add(v)?;
            g.net_equity = g.net_equity.add(v)?;
            g.size = g.size.saturating_add(v.abs());
            Ok(())
        })();
        calc.map_err(overflow(|| format!("collateral[{i}]"), "collateral value"))?;
    }

    // A portfolio pool's requirement is its units': each group of positions
    // on one asset is charged as a whole.
    for pool in pools
        .iter_mut()
        .filter(|p| matches!(p.key, PoolKey::Portfolio(_)))
    {
        let id = pool.id.clone();
        charge_units(model, &figures, pool)
            .map_err(overflow(|| format!("pools.{id}"), "portfolio requirement"))?;
    }
    Ok((pools, figures))
}

/// Replaces a portfolio pool's requirements (its positions' own) by its
/// risk units'.
fn charge_units(model: &Model, figures: &[Figures], pool: &mut Pool) -> Calc<()> {
    let (mut mm, mut im) = (Decimal::ZERO, Decimal::ZERO);
    for g in pool.groups.iter_mut() {
        if g.members.is_empty() {
            g.net = g.net_equity;
            continue;
        }
        let Some(params) = model.assets[g.asset].portfolio.as_deref() else {
            // Validation gives every portfolio position's asset parameters;
            // an all-portfolio view is asked only when every asset has them.
            return Err(crate::engine::num::NumError::Overflow);
        };
        let mark = |i: usize| figures.get(i).map_or(Decimal::ZERO, |f| f.price);
        let u = super::portfolio::unit(model, params, &g.members, mark)?;
        g.net = g.net_equity.sub(u.maintenance_margin)?;
        g.size = g.size.saturating_add(u.maintenance_margin.abs());
        mm = mm.add(u.maintenance_margin)?;
        im = im.add(u.initial_margin)?;
        g.unit = Some(u);
    }
    pool.mm = mm;
    pool.im = im;
    Ok(())
}

pub(crate) fn position_figures(
    model: &Model,
    p: &Position,
    pool: usize,
    mode: MarginMode,
) -> Calc<Figures> {
    let m = &model.markets[p.market];
    let price = m.mark_at(model.assets[m.asset].price)?;
    let basis = market::basis_price(m, p.entry_price, price);
    // The size once (a slider tick works these out for every position);
    // on a mark basis the notional is the value, and a side's sign is a
    // negation, not a product: the same digits either way.
    let size = market::size(m, p.qty)?;
    let notional = market::notional_of(m, size, basis)?;
    let value = match m.basis {
        MarginBasis::Mark => notional,
        MarginBasis::Entry => market::notional_of(m, size, price)?,
    };
    let signed = match p.side {
        Side::Long => size,
        Side::Short => -size,
    };
    let (mm, tier) = market::maintenance(&m.tiers, notional)?;
    let mut pnl = market::pnl_of(m, signed, p.entry_price, price)?;
    let mut rounding = match m.settlement {
        // `±size · (P − e)`: exact when neither step gave up a place.
        Settlement::Linear => Rounding::none().product(
            pnl,
            signed.scale() + price.scale().max(p.entry_price.scale()),
        ),
        // `±size / e ∓ size / P`: two quotients, the position's notional at
        // entry and its value now.
        Settlement::Inverse => Rounding::none().rounded(p.entry_notional).rounded(value),
    };
    // After costs, the PnL is net of the funding and the fee to close.
    let mut funding = Decimal::ZERO;
    if model.charge_costs {
        let (f, fee) = market::position_cost(
            model,
            p,
            price,
            model.assets[m.asset].price,
            model.holding_hours,
        )?;
        pnl = pnl.sub(f)?.sub(fee)?;
        rounding = rounding.rounded(f).rounded(fee);
        funding = f;
    }
    Ok(Figures {
        pool,
        mode,
        price,
        notional,
        value,
        pnl,
        im: notional.div(p.leverage)?,
        mm,
        tier,
        rounding,
        funding,
    })
}

pub(crate) fn pool_id(model: &Model, key: PoolKey) -> Name {
    match key {
        PoolKey::Cross(Currency::Quote) => "cross".into(),
        PoolKey::Cross(c) => format!("cross:{}", model.currency_name(c)).into(),
        PoolKey::Portfolio(Currency::Quote) => "portfolio".into(),
        PoolKey::Portfolio(c) => format!("portfolio:{}", model.currency_name(c)).into(),
        PoolKey::Isolated(i) => model.positions[i].id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{validate, Scenario};

    fn model(json: &str) -> Model {
        let s = Scenario::from_json(json).expect("a scenario");
        validate(&s).expect("valid")
    }

    const BOOK: &str = r#"{ "quote": "USD", "wallet": { "USD": "10000", "BTC": "1" },
        "prices": { "BTC": "60000", "ETH": "3000" },
        "collateral": [ { "asset": "ETH", "qty": "2" } ],
        "markets": {
            "BTCUSDT": { "asset": "BTC", "tiers": [ { "notional_floor": "0", "mmr": "0.005" } ] },
            "ETHUSDT": { "asset": "ETH", "tiers": [ { "notional_floor": "0", "mmr": "0.01" } ] },
            "BTCUSD": { "asset": "BTC", "settlement": "inverse", "contract_size": "100",
                        "tiers": [ { "notional_floor": "0", "mmr": "0.01" } ] } },
        "positions": [
            { "market": "BTCUSDT", "side": "long", "qty": "0.5", "entry_price": "60000", "leverage": "10" },
            { "market": "ETHUSDT", "side": "short", "qty": "4", "entry_price": "3000", "leverage": "5",
              "margin_mode": "isolated", "isolated_margin": "2400" },
            { "market": "BTCUSD", "side": "long", "qty": "10", "entry_price": "50000", "leverage": "10" } ] }"#;

    #[test]
    fn each_position_falls_in_the_pool_its_mode_and_currency_give_it() {
        let m = model(BOOK);
        let (pools, figures) = build_pools(&m, View::AsGiven, None).expect("pools");
        let keys: Vec<PoolKey> = pools.iter().map(|p| p.key).collect();
        // The quote's cross pool, the BTC coin's, then the isolated ETH short.
        assert_eq!(
            keys,
            [
                PoolKey::Cross(Currency::Quote),
                PoolKey::Cross(Currency::Coin(0)),
                PoolKey::Isolated(1)
            ]
        );
        assert_eq!(
            figures.iter().map(|f| f.pool).collect::<Vec<_>>(),
            [0, 2, 1]
        );
        // The isolated margin leaves the cross wallet; collateral backs the quote's pool.
        assert_eq!(pools[0].wallet, Decimal::from(10000 - 2400));
        assert_eq!(pools[2].wallet, Decimal::from(2400));
        assert_eq!(pools[0].collateral_value, Decimal::from(6000));
        assert_eq!(pools[1].wallet, Decimal::ONE);
        // All cross: one pool per currency.
        let (all_cross, _) = build_pools(&m, View::AllCross, None).expect("pools");
        assert_eq!(all_cross.len(), 2);
        assert_eq!(&*all_cross[0].members, &[0, 1]);
    }

    #[test]
    fn a_pool_holds_one_group_per_asset_with_its_collateral() {
        let m = model(BOOK);
        let (pools, figures) = build_pools(&m, View::AllCross, None).expect("pools");
        let quote = &pools[0];
        let assets: Vec<usize> = quote.groups.iter().map(|g| g.asset).collect();
        assert_eq!(assets, [0, 1]);
        let eth = quote.group_of(1).expect("ETH");
        assert_eq!(eth.weighted_qty, Decimal::TWO);
        // What stays when ETH moves: everything but ETH's positions and collateral.
        let (rest_equity, rest_mm) = quote
            .rest_of(eth, &figures, Decimal::from(3000))
            .expect("sums");
        assert_eq!(rest_equity, Decimal::from(10000)); // the wallet, and BTC's PnL of 0
        assert_eq!(rest_mm, figures[0].mm);
    }
}
