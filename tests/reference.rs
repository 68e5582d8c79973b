//! A second, independent implementation of the model
//! (`tests/data/README.md`) in exact rationals, and random books checked
//! against it figure by figure: every position's notional, PnL, initial and
//! maintenance margin, liquidation and bankruptcy price (tiers re-selected
//! at the price), every pool's equity, maintenance and initial margin and
//! margin ratio, in each view (as given, all cross, all isolated, all
//! portfolio); and every portfolio pool's risk units, charge by charge.
//!
//! The books mix linear and inverse contracts, tier tables of one to four
//! tiers, one-way and hedge mode, cross and isolated positions, mark and
//! entry basis, collateral with value-ratio tiers; and on purpose they put a
//! dated futures at a premium to their asset, portfolio margin parameters
//! (scenario grids, gain weights, roll, basis and floor charges, factors)
//! and, as given, whole currencies margined by portfolio; and on purpose
//! they put a mark at a position's own liquidation or bankruptcy price (as the page
//! shows it, to 12 or 17 digits, or in full), exactly on a tier boundary, and
//! an isolated margin at what leaves its pool's equity zero.
//!
//! Agreement is within the rounding of 28 significant digits: a figure may
//! differ from the exact value by a few units in the last digit of the
//! largest term it is made of (a difference of large terms is only as exact
//! as they are); a ratio or a price, by what that moves it.
#![cfg(not(target_arch = "wasm32"))]

use marginscope::engine::scenario::{
    Collateral, MarginBasis, MarginMode, Market, Num, PortfolioParams, Position, Premium,
    RatioTier, Scenario, Settlement, Side, Tier,
};
use marginscope::engine::{self, Evaluation, View};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, Zero};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

type Q = BigRational;

fn q(d: Decimal) -> Q {
    Q::new(BigInt::from(d.mantissa()), BigInt::from(10).pow(d.scale()))
}

fn int(n: i64) -> Q {
    Q::from_integer(BigInt::from(n))
}

/// `x` rounded to `digits` significant digits, as a decimal (or `None`
/// when it does not fit in one).
fn to_decimal(x: &Q, digits: u32) -> Option<Decimal> {
    if x.is_zero() {
        return Some(Decimal::ZERO);
    }
    let ten = int(10);
    let mut exp = 0i32;
    let mut m = x.abs();
    while m >= ten {
        m /= &ten;
        exp += 1;
    }
    while m < int(1) {
        m *= &ten;
        exp -= 1;
    }
    // x = m · 10^exp with 1 ≤ m < 10: keep `digits` digits.
    let places = (i64::from(digits) - 1 - i64::from(exp)).clamp(0, 28) as u32;
    let scaled = x * Q::from_integer(BigInt::from(10).pow(places));
    let rounded = scaled.round().to_integer();
    let mantissa: i128 = rounded.try_into().ok()?;
    Decimal::try_from_i128_with_scale(mantissa, places).ok()
}

// ---------------------------------------------------------------------------
// The model, exactly.

#[derive(Debug, Clone)]
struct RTier {
    floor: Q,
    mmr: Q,
    amount: Q,
    max_leverage: Option<Q>,
}

#[derive(Debug, Clone)]
struct RMarket {
    asset: String,
    inverse: bool,
    size: Q,
    entry_basis: bool,
    tiers: Vec<RTier>,
    /// The market's mark per unit of its asset's price (a dated future's
    /// premium; 1 without one).
    ratio: Q,
}

impl RMarket {
    fn of(m: &Market) -> RMarket {
        let mut tiers: Vec<RTier> = Vec::new();
        for t in &m.tiers {
            let floor = q(t.notional_floor.0);
            let mmr = q(t.mmr.0);
            let amount = match (t.maintenance_amount, tiers.last()) {
                (Some(a), _) => q(a.0),
                (None, None) => Q::zero(),
                (None, Some(prev)) => &floor * (&mmr - &prev.mmr) + &prev.amount,
            };
            tiers.push(RTier {
                floor,
                mmr,
                amount,
                max_leverage: t.max_leverage.map(|l| q(l.0)),
            });
        }
        RMarket {
            asset: m.asset.clone(),
            inverse: m.settlement == Settlement::Inverse,
            size: q(m.contract_size.0),
            entry_basis: m.margin_basis == MarginBasis::Entry,
            tiers,
            ratio: m
                .premium
                .as_ref()
                .map_or_else(|| int(1), |p| q(p.mark_price.0) / q(p.asset_price.0)),
        }
    }

    fn notional(&self, size: &Q, price: &Q) -> Q {
        if self.inverse {
            size / price
        } else {
            size * price
        }
    }

    /// The tier of a notional: the last whose floor is at most it.
    fn tier(&self, n: &Q) -> usize {
        self.tiers.iter().rposition(|t| &t.floor <= n).unwrap_or(0)
    }

    fn mm(&self, n: &Q) -> Q {
        let t = &self.tiers[self.tier(n)];
        n * &t.mmr - &t.amount
    }
}

#[derive(Debug, Clone)]
struct RPos {
    id: String,
    market: String,
    sign: Q,
    size: Q,
    entry: Q,
    isolated: bool,
    portfolio: bool,
    leverage: Q,
    margin: Q,
}

/// An asset's portfolio margin parameters.
#[derive(Debug, Clone)]
struct RParams {
    shocks: Vec<Q>,
    gain_weight: Q,
    roll: Q,
    basis: Q,
    floor: Q,
    mm: Q,
    im: Q,
}

impl RParams {
    fn of(p: &PortfolioParams) -> RParams {
        RParams {
            shocks: p.shocks.iter().map(|x| q(x.0)).collect(),
            gain_weight: q(p.gain_weight.0),
            roll: q(p.roll_rate.0),
            basis: q(p.basis_rate.0),
            floor: q(p.floor_rate.0),
            mm: q(p.mm_factor.0),
            im: q(p.im_factor.0),
        }
    }
}

/// A risk unit's charges, exactly.
#[derive(Debug, Clone)]
struct RUnit {
    worst_loss: Q,
    roll: Q,
    basis: Q,
    floor: Q,
    requirement: Q,
    mm: Q,
    im: Q,
    /// The sizes its sums pass through: its gross notional and its charges.
    size: Q,
}

struct Reference {
    quote: String,
    prices: BTreeMap<String, Q>,
    markets: BTreeMap<String, RMarket>,
    positions: Vec<RPos>,
    wallet: BTreeMap<String, Q>,
    /// Asset and the quantity that counts (at its value ratios), full quantity.
    collateral: Vec<(String, Q, Q)>,
    params: BTreeMap<String, RParams>,
}

impl Reference {
    fn of(s: &Scenario) -> Reference {
        let markets: BTreeMap<String, RMarket> = s
            .markets
            .iter()
            .map(|(id, m)| (id.clone(), RMarket::of(m)))
            .collect();
        let positions = s
            .positions
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let m = &markets[&p.market];
                let size = q(p.qty.0) * &m.size;
                let entry = q(p.entry_price.0);
                let entry_notional = m.notional(&size, &entry);
                let leverage = match p.leverage {
                    Some(l) => q(l.0),
                    None => m.tiers[m.tier(&entry_notional)]
                        .max_leverage
                        .clone()
                        .unwrap_or_else(|| int(1)),
                };
                let margin = p
                    .isolated_margin
                    .map_or_else(|| &entry_notional / &leverage, |m| q(m.0));
                RPos {
                    id: s.position_id(i),
                    market: p.market.clone(),
                    sign: int(if p.side == Side::Long { 1 } else { -1 }),
                    size,
                    entry,
                    isolated: p.margin_mode == MarginMode::Isolated,
                    portfolio: p.margin_mode == MarginMode::Portfolio,
                    leverage,
                    margin,
                }
            })
            .collect();
        let collateral = s
            .collateral
            .iter()
            .map(|c| {
                let qty = q(c.qty.0);
                let mut weighted = Q::zero();
                for t in &c.value_ratio_tiers {
                    let floor = q(t.qty_floor.0);
                    if qty <= floor {
                        break;
                    }
                    let top = t
                        .qty_cap
                        .map_or(qty.clone(), |cap| qty.clone().min(q(cap.0)));
                    weighted += (top - floor) * q(t.ratio.0);
                }
                if c.value_ratio_tiers.is_empty() {
                    weighted = qty.clone();
                }
                (c.asset.clone(), weighted, qty)
            })
            .collect();
        Reference {
            quote: s.quote.clone(),
            prices: s.prices.iter().map(|(a, p)| (a.clone(), q(p.0))).collect(),
            markets,
            positions,
            wallet: s.wallet.iter().map(|(c, w)| (c.clone(), q(w.0))).collect(),
            collateral,
            params: s
                .portfolio_margin
                .iter()
                .map(|(a, p)| (a.clone(), RParams::of(p)))
                .collect(),
        }
    }

    /// The shared pool of currency `c` under `view`: a portfolio pool where
    /// its positions are margined so, else a cross pool.
    fn shared(&self, c: &str, view: View) -> String {
        let portfolio = match view {
            View::AllPortfolio => true,
            View::AsGiven => self
                .positions
                .iter()
                .any(|p| p.portfolio && self.currency(p) == c),
            View::AllCross | View::AllIsolated => false,
        };
        let kind = if portfolio { "portfolio" } else { "cross" };
        if c == self.quote {
            kind.to_string()
        } else {
            format!("{kind}:{c}")
        }
    }

    /// The unit of the positions `members` (all on one asset, in one
    /// currency) with its asset at `price`.
    fn unit(&self, members: &[usize], price: &Q) -> RUnit {
        let first = &self.positions[members[0]];
        let asset = &self.markets[&first.market].asset;
        let params = &self.params[asset];
        let inverse = self.markets[&first.market].inverse;
        // Each leg's notional at its mark: linear size·M, inverse size/M.
        let legs: Vec<Q> = members
            .iter()
            .map(|&i| {
                let p = &self.positions[i];
                let m = &self.markets[&p.market];
                m.notional(&(&p.sign * &p.size), &(price * &m.ratio))
            })
            .collect();
        let mut worst = Q::zero();
        for s in &params.shocks {
            // Linear: notional·s; inverse: notional·s/(1+s).
            let move_ = if inverse { s / (int(1) + s) } else { s.clone() };
            let pnl: Q = legs.iter().map(|n| n * &move_).sum();
            let counted = if pnl > Q::zero() {
                &pnl * &params.gain_weight
            } else {
                pnl
            };
            if -&counted > worst {
                worst = -counted;
            }
        }
        let delta: Q = legs.iter().sum();
        let gross: Q = legs.iter().map(Q::abs).sum();
        let roll = &params.roll * &gross;
        let basis = &params.basis * delta.abs();
        let floor = &params.floor * delta.abs();
        let requirement = (&worst + &roll + &basis).max(floor.clone());
        let factor = params.mm.clone().max(params.im.clone()).max(int(1));
        RUnit {
            size: (&gross * int(2) + &requirement) * factor,
            mm: &params.mm * &requirement,
            im: &params.im * &requirement,
            worst_loss: worst,
            roll,
            basis,
            floor,
            requirement,
        }
    }

    /// A portfolio pool's units, by asset, with its assets at `prices`.
    fn units(&self, pool: &RPool, prices: &BTreeMap<String, Q>) -> BTreeMap<String, RUnit> {
        let mut by_asset: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &i in &pool.members {
            let asset = &self.markets[&self.positions[i].market].asset;
            by_asset.entry(asset.clone()).or_default().push(i);
        }
        by_asset
            .into_iter()
            .map(|(a, members)| {
                let u = self.unit(&members, &prices[&a]);
                (a, u)
            })
            .collect()
    }

    fn currency(&self, p: &RPos) -> String {
        let m = &self.markets[&p.market];
        if m.inverse {
            m.asset.clone()
        } else {
            self.quote.clone()
        }
    }

    fn isolated_in(&self, p: &RPos, view: View) -> bool {
        match view {
            View::AsGiven => p.isolated,
            View::AllCross | View::AllPortfolio => false,
            View::AllIsolated => true,
        }
    }

    fn pool_of(&self, p: &RPos, view: View) -> String {
        if self.isolated_in(p, view) {
            p.id.clone()
        } else {
            self.shared(&self.currency(p), view)
        }
    }

    /// A position's figures at `price` of its asset: notional (on its
    /// basis), PnL, maintenance margin, initial margin; and the sizes of
    /// the terms each is made of (for the rounding allowed).
    fn figures(&self, p: &RPos, price: &Q) -> PosFigures {
        let m = &self.markets[&p.market];
        // The market's own mark: the asset's price at the market's ratio.
        let price = &(price * &m.ratio);
        let basis = if m.entry_basis {
            p.entry.clone()
        } else {
            price.clone()
        };
        let notional = m.notional(&p.size, &basis);
        let value = m.notional(&p.size, price);
        let at_entry = m.notional(&p.size, &p.entry);
        let pnl = if m.inverse {
            &p.sign * (&at_entry - &value)
        } else {
            &p.sign * (&value - &at_entry)
        };
        let mm = m.mm(&notional);
        let im = &notional / &p.leverage;
        PosFigures {
            pnl_size: if m.inverse {
                at_entry.abs() + value.abs()
            } else {
                pnl.abs() + value.abs()
            },
            notional,
            pnl,
            mm,
            im,
        }
    }

    /// Every pool under `view`: its members, and what is not a position's
    /// (wallet less what isolated positions hold, collateral): equity part
    /// and its size.
    fn pools(&self, view: View) -> BTreeMap<String, RPool> {
        let mut pools: BTreeMap<String, RPool> = BTreeMap::new();
        let mut currencies = vec![self.quote.clone()];
        currencies.extend(self.wallet.keys().filter(|c| **c != self.quote).cloned());
        for m in self.markets.values().filter(|m| m.inverse) {
            if !currencies.contains(&m.asset) {
                currencies.push(m.asset.clone());
            }
        }
        for c in currencies {
            let id = self.shared(&c, view);
            let wallet = self.wallet.get(&c).cloned().unwrap_or_else(Q::zero);
            pools.insert(
                id,
                RPool {
                    fixed: wallet.clone(),
                    fixed_size: wallet.abs(),
                    members: Vec::new(),
                },
            );
        }
        for (i, p) in self.positions.iter().enumerate() {
            let id = self.pool_of(p, view);
            if self.isolated_in(p, view) {
                let cross = self.shared(&self.currency(p), view);
                if let Some(c) = pools.get_mut(&cross) {
                    c.fixed -= &p.margin;
                    c.fixed_size += p.margin.abs();
                }
                pools.insert(
                    id.clone(),
                    RPool {
                        fixed: p.margin.clone(),
                        fixed_size: p.margin.abs(),
                        members: Vec::new(),
                    },
                );
            }
            if let Some(pool) = pools.get_mut(&id) {
                pool.members.push(i);
            }
        }
        pools
    }

    /// A pool's figures at `prices`: equity, maintenance and initial margin,
    /// and the size of the terms of each.
    fn pool_figures(&self, id: &str, pool: &RPool, prices: &BTreeMap<String, Q>) -> PoolFigures {
        let mut f = PoolFigures {
            equity: pool.fixed.clone(),
            equity_size: pool.fixed_size.clone(),
            mm: Q::zero(),
            mm_size: Q::zero(),
            im: Q::zero(),
        };
        // Collateral backs the quote currency's shared pool.
        if id == "cross" || id == "portfolio" {
            for (asset, weighted, _) in &self.collateral {
                let v = weighted * &prices[asset];
                f.equity_size += v.abs();
                f.equity += v;
            }
        }
        for &i in &pool.members {
            let p = &self.positions[i];
            let x = self.figures(p, &prices[&self.markets[&p.market].asset]);
            f.equity += &x.pnl;
            f.equity_size += &x.pnl_size;
            if !portfolio_pool(id) {
                f.mm_size += x.mm.abs();
                f.mm += &x.mm;
                f.im += &x.im;
            }
        }
        // A portfolio pool's requirement is its units', not its positions' own.
        if portfolio_pool(id) {
            for u in self.units(pool, prices).values() {
                f.mm += &u.mm;
                f.im += &u.im;
                f.mm_size += &u.size;
            }
        }
        f
    }

    /// The price of `asset` nearest its mark at which pool `id`'s equity
    /// equals its maintenance margin (or zero: `with_mm` false), with every
    /// other price held; tiers re-selected at the price. Returns the root
    /// and how far rounding could move it, or `None` when no positive price
    /// solves it; `Err` when the equation is flat (then no root is checked).
    fn root(
        &self,
        id: &str,
        pool: &RPool,
        asset: &str,
        with_mm: bool,
    ) -> Result<Option<(Q, Q)>, ()> {
        let mark = self.prices[asset].clone();
        let f = |price: &Q| -> (Q, Q) {
            let mut prices = self.prices.clone();
            prices.insert(asset.to_string(), price.clone());
            let x = self.pool_figures(id, pool, &prices);
            let value = if with_mm {
                &x.equity - &x.mm
            } else {
                x.equity.clone()
            };
            (value, x.equity_size + x.mm_size)
        };
        let portfolio = portfolio_pool(id);
        // Where any moving position changes tier.
        let mut breaks: Vec<Q> = Vec::new();
        for &i in &pool.members {
            let p = &self.positions[i];
            let m = &self.markets[&p.market];
            // A portfolio pool's requirement has no tiers.
            if m.asset != asset || m.entry_basis || !with_mm || portfolio {
                continue;
            }
            // The notional at the mark `ratio·P` reaches the floor.
            for t in m.tiers.iter().skip(1) {
                if t.floor > Q::zero() {
                    breaks.push(if m.inverse {
                        &p.size / (&t.floor * &m.ratio)
                    } else {
                        &t.floor / (&p.size * &m.ratio)
                    });
                }
            }
        }
        breaks.sort();
        breaks.dedup();
        // On each interval the tiers hold, and the equation is `a + b·P + c/P`.
        let mut bounds = vec![Q::zero()];
        bounds.extend(breaks.iter().cloned());
        // Everything that does not move with `asset`, at the current prices.
        let mut fixed = pool.fixed.clone();
        let mut linear = Q::zero();
        if id == "cross" || id == "portfolio" {
            for (a, weighted, _) in &self.collateral {
                if a == asset {
                    linear += weighted;
                } else {
                    fixed += weighted * &self.prices[a];
                }
            }
        }
        let moving: Vec<&RPos> = pool
            .members
            .iter()
            .map(|&i| &self.positions[i])
            .filter(|p| self.markets[&p.market].asset == asset)
            .collect();
        for &i in &pool.members {
            let p = &self.positions[i];
            let m = &self.markets[&p.market];
            if m.asset != asset {
                let x = self.figures(p, &self.prices[&m.asset]);
                fixed += &x.pnl;
                if with_mm && !portfolio {
                    fixed -= &x.mm;
                }
            }
        }
        // In a portfolio pool: every other unit's requirement held; the
        // moving unit's scales with P (linear) or 1/P (inverse): its charges
        // with every mark at its ratio, as at a price of 1.
        let mut unit_per = Q::zero();
        let mut unit_inverse = false;
        if portfolio && with_mm {
            let mut ones = self.prices.clone();
            ones.insert(asset.to_string(), int(1));
            for (a, u) in self.units(pool, &self.prices) {
                if a != asset {
                    fixed -= &u.mm;
                }
            }
            if let Some(u) = self.units(pool, &ones).get(asset) {
                unit_per = u.mm.clone();
                unit_inverse = moving.iter().any(|p| self.markets[&p.market].inverse);
            }
        }
        let mut roots: Vec<(Q, Q)> = Vec::new();
        for k in 0..bounds.len() {
            let lo = bounds[k].clone();
            let hi = bounds.get(k + 1).cloned();
            let inside = match &hi {
                Some(h) => (&lo + h) / int(2),
                None => {
                    if lo.is_zero() {
                        mark.clone()
                    } else {
                        &lo * int(2)
                    }
                }
            };
            let (mut a, mut b, mut c) = (fixed.clone(), linear.clone(), Q::zero());
            if unit_inverse {
                c -= &unit_per;
            } else {
                b -= &unit_per;
            }
            for p in &moving {
                let m = &self.markets[&p.market];
                let signed = &p.sign * &p.size;
                // PnL at the mark `ratio·P`: linear s·(ratio·P − e); inverse s·(1/e − 1/(ratio·P)).
                if m.inverse {
                    a += &signed / &p.entry;
                    c -= &signed / &m.ratio;
                } else {
                    a -= &signed * &p.entry;
                    b += &signed * &m.ratio;
                }
                if !with_mm || portfolio {
                    continue;
                }
                if m.entry_basis {
                    a -= m.mm(&m.notional(&p.size, &p.entry));
                } else {
                    let t = &m.tiers[m.tier(&m.notional(&p.size, &(&inside * &m.ratio)))];
                    a += &t.amount;
                    if m.inverse {
                        c -= &p.size * &t.mmr / &m.ratio;
                    } else {
                        b -= &p.size * &t.mmr * &m.ratio;
                    }
                }
            }
            let candidate = if !b.is_zero() && !c.is_zero() {
                return Err(()); // not this model's form
            } else if !b.is_zero() {
                Some(-&a / &b)
            } else if !c.is_zero() {
                (!a.is_zero()).then(|| -&c / &a)
            } else if a.is_zero() {
                return Err(()); // flat at zero
            } else {
                None
            };
            if let Some(r) = candidate.filter(|r| r > &lo && hi.as_ref().is_none_or(|h| r <= h)) {
                let slope = (&b - &c / (&r * &r)).abs();
                roots.push((r, slope));
            }
        }
        let nearest = roots.into_iter().min_by(|(a, _), (b, _)| {
            let (da, db) = ((a - &mark).abs(), (b - &mark).abs());
            da.cmp(&db).then(a.cmp(b))
        });
        // How far rounding can move the root: the terms' sizes there, over
        // the equation's slope there.
        let Some((r, slope)) = nearest else {
            return Ok(None);
        };
        if slope.is_zero() {
            return Err(());
        }
        let (_, size) = f(&r);
        Ok(Some((r, size / slope)))
    }
}

struct PosFigures {
    notional: Q,
    pnl: Q,
    pnl_size: Q,
    mm: Q,
    im: Q,
}

#[derive(Clone)]
struct RPool {
    fixed: Q,
    fixed_size: Q,
    members: Vec<usize>,
}

struct PoolFigures {
    equity: Q,
    equity_size: Q,
    mm: Q,
    /// The sizes the requirement's sums pass through.
    mm_size: Q,
    im: Q,
}

fn portfolio_pool(id: &str) -> bool {
    id == "portfolio" || id.starts_with("portfolio:")
}

// ---------------------------------------------------------------------------
// Agreement.

/// Units of the last of 28 digits of `size` that rounding may account for.
fn tolerance(size: &Q) -> Q {
    size * Q::new(BigInt::from(1), BigInt::from(10).pow(25))
        + Q::new(BigInt::from(1), BigInt::from(10).pow(26))
}

fn close(what: &str, got: Decimal, want: &Q, size: &Q) -> Result<(), String> {
    let off = (q(got) - want).abs();
    if off <= tolerance(size) {
        Ok(())
    } else {
        Err(format!(
            "{what}: engine {got}, exactly {} (off by {}, allowed {})",
            to_decimal(want, 28).map_or("?".into(), |d| d.to_string()),
            to_decimal(&off, 6).map_or("?".into(), |d| d.to_string()),
            to_decimal(&tolerance(size), 6).map_or("?".into(), |d| d.to_string())
        ))
    }
}

fn check(s: &Scenario, r: &Reference, view: View, e: &Evaluation) -> Result<usize, String> {
    let mut checked = 0;
    let pools = r.pools(view);
    for (i, p) in r.positions.iter().enumerate() {
        let got = &e.positions[i];
        let asset = &r.markets[&p.market].asset;
        let x = r.figures(p, &r.prices[asset]);
        let id = &p.id;
        close(
            &format!("{view:?} {id} notional"),
            got.notional,
            &x.notional,
            &x.notional,
        )?;
        close(&format!("{view:?} {id} pnl"), got.pnl, &x.pnl, &x.pnl_size)?;
        close(
            &format!("{view:?} {id} maintenance margin"),
            got.maintenance_margin,
            &x.mm,
            &(x.notional.abs() + x.mm.abs()),
        )?;
        close(
            &format!("{view:?} {id} initial margin"),
            got.initial_margin,
            &x.im,
            &x.im,
        )?;
        // The tier is the one the notional falls in: a floor belongs to the tier it starts.
        // (Or the tier beside it, when the notional is within rounding of the
        // floor between them: its product was rounded to that floor.)
        let m = &r.markets[&p.market];
        let tier = m.tier(&x.notional);
        let beside = |t: usize| {
            let floor = &m.tiers[t.max(tier)].floor;
            t.abs_diff(tier) == 1 && (&x.notional - floor).abs() <= tolerance(&x.notional)
        };
        let shown = got.tier.wrapping_sub(1);
        if !(shown == tier || (shown < m.tiers.len() && beside(shown)))
            || q(got.mmr) != m.tiers[shown.min(m.tiers.len() - 1)].mmr
        {
            return Err(format!(
                "{view:?} {id}: tier {} at {}, exactly tier {}",
                got.tier,
                got.notional,
                tier + 1
            ));
        }
        checked += 5;
        let pool_id = r.pool_of(p, view);
        let pool = &pools[&pool_id];
        for (with_mm, got, what) in [
            (true, got.liquidation_price, "liquidation price"),
            (false, got.bankruptcy_price, "bankruptcy price"),
        ] {
            let Ok(want) = r.root(&pool_id, pool, asset, with_mm) else {
                continue;
            };
            // Reported at the market's own mark: the asset's price at its ratio.
            let want = want.map(|(root, size)| (root * &m.ratio, size * &m.ratio));
            match (got, want) {
                (Some(got), Some((root, size))) => {
                    close(
                        &format!("{view:?} {id} {what}"),
                        got,
                        &root,
                        &(size * int(10)),
                    )?;
                }
                (None, None) => {}
                // A root too small to tell from zero, or beyond a decimal, is none.
                (None, Some((root, size))) => {
                    if !(root <= tolerance(&size) * int(1000) || root > q(Decimal::MAX)) {
                        return Err(format!(
                            "{view:?} {id} {what}: engine none, exactly {}",
                            to_decimal(&root, 28).map_or("?".into(), |d| d.to_string())
                        ));
                    }
                }
                (Some(got), None) => {
                    return Err(format!("{view:?} {id} {what}: engine {got}, exactly none"));
                }
            }
            checked += 1;
        }
    }
    for (id, pool) in &pools {
        let Some(got) = e.pool(id) else {
            return Err(format!("{view:?}: no pool {id} in the report"));
        };
        let x = r.pool_figures(id, pool, &r.prices);
        let eq_tol = tolerance(&x.equity_size);
        // A residue of rounding where the model has zero is reported as zero.
        close(
            &format!("{view:?} pool {id} equity"),
            got.equity,
            &x.equity,
            &x.equity_size,
        )?;
        if x.equity.is_zero() && !got.equity.is_zero() {
            return Err(format!(
                "{view:?} pool {id}: equity {}, exactly zero",
                got.equity
            ));
        }
        close(
            &format!("{view:?} pool {id} maintenance margin"),
            got.maintenance_margin,
            &x.mm,
            &x.mm_size,
        )?;
        close(
            &format!("{view:?} pool {id} initial margin"),
            got.initial_margin,
            &x.im,
            &(x.im.abs() + &x.mm_size),
        )?;
        checked += 3;
        if portfolio_pool(id) {
            let units = r.units(pool, &r.prices);
            if units.len() != got.units.len() {
                return Err(format!(
                    "{view:?} pool {id}: {} units, exactly {}",
                    got.units.len(),
                    units.len()
                ));
            }
            for (asset, u) in &units {
                let Some(g) = got.units.iter().find(|g| &*g.asset == asset) else {
                    return Err(format!("{view:?} pool {id}: no {asset} unit in the report"));
                };
                for (what, got, want) in [
                    ("worst loss", g.worst_loss, &u.worst_loss),
                    ("roll charge", g.roll_charge, &u.roll),
                    ("basis charge", g.basis_charge, &u.basis),
                    ("floor", g.floor_charge, &u.floor),
                    ("requirement", g.requirement, &u.requirement),
                    ("maintenance margin", g.maintenance_margin, &u.mm),
                    ("initial margin", g.initial_margin, &u.im),
                ] {
                    close(
                        &format!("{view:?} pool {id} {asset} unit {what}"),
                        got,
                        want,
                        &u.size,
                    )?;
                    checked += 1;
                }
            }
        }
        if !pool.members.is_empty() {
            match got.margin_ratio {
                // Over an equity rounding cannot move to zero: the exact ratio.
                Some(ratio) if x.equity > eq_tol => {
                    let want = &x.mm / &x.equity;
                    // As exact as its equity and its maintenance margin are.
                    let mm_tol = tolerance(&x.mm.abs());
                    let mm_relative = if x.mm.is_zero() {
                        Q::zero()
                    } else {
                        &mm_tol / x.mm.abs()
                    };
                    let relative = &eq_tol / &x.equity + mm_relative + tolerance(&int(1));
                    close(
                        &format!("{view:?} pool {id} margin ratio"),
                        ratio,
                        &want,
                        &(want.abs() * relative * Q::from_integer(BigInt::from(10).pow(25))),
                    )?;
                }
                // Over an equity within rounding of zero, reported only where
                // the engine's own sum was exact: its maintenance margin over it.
                Some(ratio) => {
                    if got.equity <= Decimal::ZERO {
                        return Err(format!(
                            "{view:?} pool {id}: a margin ratio {ratio} over an equity of {}",
                            got.equity
                        ));
                    }
                    let own = q(got.maintenance_margin) / q(got.equity);
                    close(
                        &format!("{view:?} pool {id} margin ratio"),
                        ratio,
                        &own,
                        &own.abs(),
                    )?;
                }
                None => {
                    if x.equity > eq_tol {
                        return Err(format!(
                            "{view:?} pool {id}: no margin ratio, but the equity is {}",
                            to_decimal(&x.equity, 28).map_or("?".into(), |d| d.to_string())
                        ));
                    }
                }
            }
            checked += 1;
        }
    }
    let _ = s;
    Ok(checked)
}

// ---------------------------------------------------------------------------
// Random books.

fn dec(n: i64, scale: u32) -> Num {
    Num(Decimal::new(n, scale))
}

fn tiers() -> impl Strategy<Value = Vec<Tier>> {
    (
        prop::collection::vec((1i64..300, 1i64..40), 1..5),
        any::<bool>(),
        1i64..1000,
    )
        .prop_map(|(steps, capped, unit)| {
            let (mut floor, mut mmr) = (0i64, 40i64);
            let n = steps.len();
            steps
                .into_iter()
                .enumerate()
                .map(|(i, (width, rise))| {
                    let t = Tier {
                        notional_floor: dec(floor * unit, 0),
                        notional_cap: (i + 1 < n).then(|| dec((floor + width) * unit, 0)),
                        mmr: dec(mmr, 4),
                        maintenance_amount: None,
                        max_leverage: capped.then(|| dec(100 / (i as i64 + 1), 0)),
                    };
                    floor += width;
                    mmr += rise;
                    t
                })
                .collect()
        })
}

/// Where a mark is put on purpose.
#[derive(Debug, Clone)]
enum Placement {
    AsItIs,
    /// At position `k`'s liquidation (or bankruptcy) price, to `digits` digits.
    AtItsPrice {
        k: usize,
        bankruptcy: bool,
        digits: u32,
    },
    /// Where position `k`'s notional reaches the floor of its tier `t`.
    OnATierFloor {
        k: usize,
        t: usize,
    },
    /// Position `k` isolated with the margin that leaves its equity zero.
    EquityZero {
        k: usize,
    },
}

#[derive(Debug, Clone)]
struct Book {
    scenario: Scenario,
    placement: Placement,
}

/// Id, asset, settlement, contract size, and whether dated (at a premium).
const MARKETS: [(&str, &str, Settlement, i64, bool); 6] = [
    ("BTCUSDT", "BTC", Settlement::Linear, 1, false),
    ("BTCUSD", "BTC", Settlement::Inverse, 100, false),
    ("ETHUSDT", "ETH", Settlement::Linear, 1, false),
    ("ETHUSD", "ETH", Settlement::Inverse, 10, false),
    ("BTCUSDT-0327", "BTC", Settlement::Linear, 1, true),
    ("BTCUSD-0327", "BTC", Settlement::Inverse, 100, true),
];

/// Portfolio margin parameters: 1 to 6 scenarios within ±60 %, a gain
/// weight, roll, basis and floor rates, and the two factors.
fn params() -> impl Strategy<Value = PortfolioParams> {
    (
        prop::collection::btree_set(-60i64..=60, 1..7),
        0i64..=100,
        (0i64..200, 0i64..50, 0i64..100),
        (50i64..150, 0i64..100),
    )
        .prop_map(
            |(shocks, gain, (roll, basis, floor), (mm, im))| PortfolioParams {
                shocks: shocks.into_iter().map(|x| dec(x, 2)).collect(),
                gain_weight: dec(gain, 2),
                roll_rate: dec(roll, 4),
                basis_rate: dec(basis, 4),
                floor_rate: dec(floor, 4),
                mm_factor: dec(mm, 2),
                im_factor: dec(mm + im, 2),
                source: None,
            },
        )
}

prop_compose! {
    fn book()(
        btc in 1_000i64..90_000,
        eth in 10i64..5_000,
        tables in prop::collection::vec(tiers(), 6),
        entry_basis in prop::collection::vec(prop::bool::weighted(0.2), 6),
        hedge in any::<bool>(),
        positions in prop::collection::vec(
            (0usize..6, any::<bool>(), 1i64..5_000, -3000i64..3000, prop::option::of(1i64..=10), any::<bool>(), prop::option::of(1i64..20_000)),
            1..7),
        premium_bp in -500i64..1500,
        pm in (params(), params()),
        by_portfolio in prop::collection::vec(prop::bool::weighted(0.3), 3),
        usd in 0i64..200_000,
        coins in (0i64..500, 0i64..5_000),
        collateral in prop::option::of((1i64..400, 50i64..100)),
        placement in prop_oneof![
            2 => Just(0u8), 3 => Just(1u8), 2 => Just(2u8), 1 => Just(3u8)],
        k in 0usize..7,
        bankruptcy in any::<bool>(),
        digits in prop::sample::select(vec![12u32, 17, 28]),
        t in 1usize..4,
    ) -> Book {
        let mut s = Scenario { quote: "USD".into(), hedge_mode: hedge, ..Scenario::default() };
        s.prices.insert("BTC".into(), dec(btc, 0));
        s.prices.insert("ETH".into(), dec(eth * 10 + 7, 1));
        // A dated future's mark at a premium (or a discount) to BTC.
        let premium = Premium {
            asset_price: dec(btc, 0),
            mark_price: Num((Decimal::from(btc) * (Decimal::ONE + Decimal::new(premium_bp, 4))).round_dp(2)),
        };
        s.portfolio_margin.insert("BTC".into(), pm.0);
        s.portfolio_margin.insert("ETH".into(), pm.1);
        for (i, (id, asset, settlement, size, dated)) in MARKETS.iter().enumerate() {
            s.markets.insert(id.to_string(), Market {
                asset: asset.to_string(),
                settlement: *settlement,
                contract_size: dec(*size, 0),
                margin_basis: if entry_basis[i] { MarginBasis::Entry } else { MarginBasis::Mark },
                tiers: if *settlement == Settlement::Inverse {
                    // Notionals in coins: a hundredth of the scale.
                    tables[i].iter().map(|t| Tier {
                        notional_floor: Num(t.notional_floor.0 / Decimal::from(1000)),
                        notional_cap: t.notional_cap.map(|c| Num(c.0 / Decimal::from(1000))),
                        ..t.clone()
                    }).collect()
                } else { tables[i].clone() },
                source: None,
                premium: dated.then(|| premium.clone()),
                fees: None,
                funding: None,
                isolated_margin_rule: Default::default(),
            });
        }
        s.wallet.insert("USD".into(), dec(usd, 0));
        s.wallet.insert("BTC".into(), dec(coins.0, 2));
        s.wallet.insert("ETH".into(), dec(coins.1, 2));
        if let Some((qty, ratio)) = collateral {
            s.collateral.push(Collateral {
                asset: "BTC".into(),
                qty: dec(qty, 2),
                value_ratio_tiers: vec![
                    RatioTier { qty_floor: dec(0, 0), qty_cap: Some(dec(1, 0)), ratio: dec(ratio, 2) },
                    RatioTier { qty_floor: dec(1, 0), qty_cap: None, ratio: dec(ratio / 2, 2) },
                ],
            });
        }
        let mut taken = Vec::new();
        for (m, long, qty, entry_bp, leverage, isolated, margin) in positions {
            let side = if long { Side::Long } else { Side::Short };
            let slot = if hedge { (m, long) } else { (m, true) };
            if taken.contains(&slot) { continue; }
            taken.push(slot);
            let (id, asset, settlement, _, dated) = MARKETS[m];
            let mark = if dated { premium.mark_price.0 } else { s.prices[asset].0 };
            // As given, a whole currency may be margined by portfolio.
            let currency = match (settlement, asset) {
                (Settlement::Linear, _) => 0,
                (Settlement::Inverse, "BTC") => 1,
                _ => 2,
            };
            let entry = mark * (Decimal::ONE + Decimal::new(entry_bp, 4));
            let qty = if settlement == Settlement::Inverse { dec(qty / 50 + 1, 0) } else { dec(qty, 3) };
            s.positions.push(Position {
                id: None,
                market: id.into(),
                side,
                qty,
                entry_price: Num(entry.round_dp(2)),
                margin_mode: if isolated {
                    MarginMode::Isolated
                } else if by_portfolio[currency] {
                    MarginMode::Portfolio
                } else {
                    MarginMode::Cross
                },
                leverage: leverage.map(|l| dec(l, 0)),
                isolated_margin: margin.filter(|_| isolated).map(|m| if settlement == Settlement::Inverse { dec(m, 5) } else { dec(m, 1) }),
                opened_as: None,
                costs_paid: None,
            });
        }
        let placement = match placement {
            0 => Placement::AsItIs,
            1 => Placement::AtItsPrice { k, bankruptcy, digits },
            2 => Placement::OnATierFloor { k, t },
            _ => Placement::EquityZero { k },
        };
        Book { scenario: s, placement }
    }
}

/// The book with its mark put where the placement says (when it can be).
fn placed(book: &Book) -> Scenario {
    let mut s = book.scenario.clone();
    let n = s.positions.len();
    match book.placement {
        Placement::AsItIs => {}
        Placement::AtItsPrice {
            k,
            bankruptcy,
            digits,
        } => {
            let k = k % n;
            let Ok(report) = engine::evaluate(&s) else {
                return s;
            };
            let p = &report.as_given.positions[k];
            if let Some(price) = if bankruptcy {
                p.bankruptcy_price
            } else {
                p.liquidation_price
            } {
                // The asset's price at which the market's mark is that price.
                let ratio = &Reference::of(&s).markets[p.market.as_str()].ratio;
                if let Some(typed) =
                    to_decimal(&(q(price) / ratio), digits).filter(|d| *d > Decimal::ZERO)
                {
                    s.prices.insert(p.asset.to_string(), Num(typed));
                }
            }
        }
        Placement::OnATierFloor { k, t } => {
            let k = k % n;
            let r = Reference::of(&s);
            let p = &r.positions[k];
            let m = &r.markets[&p.market];
            if let Some(tier) = m
                .tiers
                .get(t.min(m.tiers.len() - 1))
                .filter(|x| x.floor > Q::zero())
            {
                let at = if m.inverse {
                    &p.size / (&tier.floor * &m.ratio)
                } else {
                    &tier.floor / (&p.size * &m.ratio)
                };
                if let Some(price) = to_decimal(&at, 28).filter(|d| *d > Decimal::ZERO) {
                    s.prices.insert(m.asset.clone(), Num(price));
                }
            }
        }
        Placement::EquityZero { k } => {
            let k = k % n;
            let r = Reference::of(&s);
            let p = &r.positions[k];
            let x = r.figures(p, &r.prices[&r.markets[&p.market].asset]);
            // The margin that leaves equity zero at the mark: −PnL, in full.
            if let Some(margin) = to_decimal(&(-x.pnl), 28).filter(|m| *m > Decimal::ZERO) {
                s.positions[k].margin_mode = MarginMode::Isolated;
                s.positions[k].isolated_margin = Some(Num(margin));
            }
        }
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(3_000),
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_figure_agrees_with_exact_rationals(b in book()) {
        let s = placed(&b);
        let report = engine::evaluate(&s);
        prop_assert!(report.is_ok(), "the book is refused: {:?}\n{}", report.err(), s.to_json());
        let report = report.unwrap_or_else(|_| unreachable!());
        let r = Reference::of(&s);
        let Some(all_portfolio) = &report.all_portfolio else {
            prop_assert!(false, "no portfolio view, though every asset has parameters");
            unreachable!();
        };
        for (view, e) in [(View::AsGiven, &report.as_given), (View::AllCross, &report.all_cross), (View::AllIsolated, &report.all_isolated), (View::AllPortfolio, all_portfolio)] {
            if let Err(why) = check(&s, &r, view, e) {
                prop_assert!(false, "{why}\n{:?}\n{}", b.placement, s.to_json());
            }
        }
    }
}

/// The reference itself, on a book worked by hand: a BTC long of 1 from
/// 60,000 at 10×, cross, on 1,000 USD, 0.5 % maintenance.
#[test]
fn the_reference_solves_a_book_worked_by_hand() {
    let s = Scenario::from_json(
        r#"{ "quote": "USD", "wallet": { "USD": "1000" }, "prices": { "BTC": "60000" },
        "markets": { "BTCUSDT": { "asset": "BTC", "tiers": [ { "notional_floor": "0", "mmr": "0.005" } ] } },
        "positions": [ { "market": "BTCUSDT", "side": "long", "qty": "1", "entry_price": "60000", "leverage": "10" } ] }"#,
    )
    .expect("a scenario");
    let r = Reference::of(&s);
    let pools = r.pools(View::AsGiven);
    // 1000 + (P − 60000) = 0.005·P  =>  P = 59000 / 0.995; bankrupt at 59,000.
    let (liq, _) = r
        .root("cross", &pools["cross"], "BTC", true)
        .expect("solvable")
        .expect("a price");
    assert_eq!(
        liq,
        int(59000) / Q::new(BigInt::from(995), BigInt::from(1000))
    );
    let (bankrupt, _) = r
        .root("cross", &pools["cross"], "BTC", false)
        .expect("solvable")
        .expect("a price");
    assert_eq!(bankrupt, int(59000));
    let report = engine::evaluate(&s).expect("figures");
    assert!(check(&s, &r, View::AsGiven, &report.as_given).expect("agrees") > 5);
}
