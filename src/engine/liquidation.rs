//! Liquidation and bankruptcy prices, solved exactly, tier by tier.
//!
//! A pool is liquidated where `equity − maintenance margin = 0`. Move some
//! prices together, each asset's price being `k · v` for one variable `v`
//! (`k = 1` and `v` the asset's price for a liquidation price; `k` the mark
//! and `v = 1 + x` for a uniform market move). Within a range of `v` where
//! no position changes tier, every term of the pool is of the form
//! `a + b·v` (linear contracts, collateral) or `a + c/v` (inverse contracts),
//! so the pool's `f(v) = A + B·v + C/v` has its root at `−A/B` or `−C/A`: one
//! division, exact to 28 digits. Tiers change only at known notionals, so
//! walking outward from the current price across those breakpoints, updating
//! `A, B, C` as each position changes tier, finds the nearest root on each
//! side in `O(n log n)`, without sampling.
//!
//! The bankruptcy price is the same walk with the requirement left out.

use super::market::{self, TierSpec};
use super::model::MarketSpec;
use super::num::{Calc, Overflow, SafeMath};
use super::scenario::{MarginBasis, Settlement, Side};
use rust_decimal::Decimal;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// One position whose price moves with `v`.
#[derive(Debug, Clone)]
pub struct Term<'a> {
    pub market: &'a MarketSpec,
    pub side: Side,
    pub qty: Decimal,
    pub entry_price: Decimal,
    /// Price = `scale · v`.
    pub scale: Decimal,
}

/// `f(v) = constant + linear·v + Σ terms`, with or without the requirement.
#[derive(Debug, Clone)]
pub struct Problem<'a> {
    pub terms: Vec<Term<'a>>,
    /// Everything that does not move: the rest of the pool, less its requirement.
    pub constant: Decimal,
    /// Coefficient of `v` from collateral that moves (`weighted_qty · scale`).
    pub linear: Decimal,
    /// Include the maintenance margin (liquidation) or not (bankruptcy).
    pub with_maintenance: bool,
    /// The current value of `v`; the walk starts here.
    pub start: Decimal,
}

/// The nearest root below and above the start (either may be the start itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Roots {
    pub down: Option<Decimal>,
    pub up: Option<Decimal>,
}

impl Roots {
    /// The root nearest `start`; on a tie, the lower.
    pub fn nearest(&self, start: Decimal) -> Option<Decimal> {
        match (self.down, self.up) {
            (Some(d), Some(u)) => Some(if u - start < start - d { u } else { d }),
            (d, u) => d.or(u),
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Coef {
    a: Decimal,
    b: Decimal,
    c: Decimal,
}

impl Coef {
    fn add(self, o: Coef) -> Calc<Coef> {
        Ok(Coef {
            a: self.a.add(o.a)?,
            b: self.b.add(o.b)?,
            c: self.c.add(o.c)?,
        })
    }
    fn at(self, v: Decimal) -> Calc<Decimal> {
        let mut f = self.a.add(self.b.mul(v)?)?;
        if !self.c.is_zero() {
            f = f.add(self.c.div(v)?)?;
        }
        Ok(f)
    }

    /// The root of `a + b·v + c/v` in `[lo, hi]` (`hi = None`: unbounded), `v > 0`.
    fn root_in(self, lo: Decimal, hi: Option<Decimal>, toward_hi: bool) -> Calc<Option<Decimal>> {
        // A root too large for a decimal (above about 7.9e28) is no price at all.
        let v = match (self.b.is_zero(), self.c.is_zero()) {
            (true, true) => {
                // Flat: zero everywhere (the walk's start is the nearest root) or nowhere.
                return Ok(self.a.is_zero().then_some(if toward_hi {
                    lo
                } else {
                    hi.unwrap_or(lo)
                }));
            }
            (false, true) => match Decimal::ZERO.sub(self.a)?.checked_div(self.b) {
                Some(v) => v,
                None => return Ok(None),
            },
            (true, false) => match Decimal::ZERO.sub(self.c)?.checked_div(self.a) {
                Some(v) => v,
                None => return Ok(None),
            },
            // A pool never mixes linear and inverse contracts (they settle in
            // different currencies), so this is unreachable by construction.
            (false, false) => return Err(Overflow),
        };
        let inside = v > Decimal::ZERO && v >= lo && hi.is_none_or(|h| v <= h);
        Ok(inside.then_some(v))
    }
}

impl Term<'_> {
    fn size(&self) -> Calc<Decimal> {
        market::size(self.market, self.qty)
    }

    fn tiers(&self) -> &[TierSpec] {
        &self.market.tiers
    }

    /// Whether the requirement of this term changes with `v`.
    fn tiered(&self, with_mm: bool) -> bool {
        with_mm && self.market.basis == MarginBasis::Mark && self.tiers().len() > 1
    }

    /// The tier in force at `v`.
    fn tier_at(&self, v: Decimal) -> Calc<usize> {
        let price = self.scale.mul(v)?;
        let basis = market::basis_price(self.market, self.entry_price, price);
        Ok(market::tier_of(
            self.tiers(),
            market::notional(self.market, self.qty, basis)?,
        ))
    }

    /// `pnl − requirement` as `a + b·v + c/v`, the requirement at tier `t`.
    fn coef(&self, t: usize, with_mm: bool) -> Calc<Coef> {
        let q = self.size()?;
        let sq = q.mul(self.side.sign())?;
        let e = self.entry_price;
        let k = self.scale;
        let mut co = match self.market.settlement {
            Settlement::Linear => Coef {
                a: Decimal::ZERO.sub(sq.mul(e)?)?,
                b: sq.mul(k)?,
                c: Decimal::ZERO,
            },
            Settlement::Inverse => Coef {
                a: sq.div(e)?,
                b: Decimal::ZERO,
                c: Decimal::ZERO.sub(sq.div(k)?)?,
            },
        };
        if !with_mm {
            return Ok(co);
        }
        match self.market.basis {
            MarginBasis::Entry => {
                let n = market::notional(self.market, self.qty, e)?;
                co.a = co.a.sub(market::maintenance(self.tiers(), n)?.0)?;
            }
            MarginBasis::Mark => {
                let Some(tier) = self.tiers().get(t) else {
                    return Ok(co);
                };
                co.a = co.a.add(tier.amount)?;
                match self.market.settlement {
                    Settlement::Linear => co.b = co.b.sub(q.mul(k)?.mul(tier.mmr)?)?,
                    Settlement::Inverse => co.c = co.c.sub(q.mul(tier.mmr)?.div(k)?)?,
                }
            }
        }
        Ok(co)
    }

    /// How `pnl − requirement` changes when the tier goes from `from` to `to`
    /// (mark basis): only the amount and the rate's term move.
    fn tier_change(&self, from: usize, to: usize) -> Calc<Coef> {
        let (Some(old), Some(new)) = (self.tiers().get(from), self.tiers().get(to)) else {
            return Ok(Coef::default());
        };
        let rate = new.mmr.sub(old.mmr)?;
        let q = self.size()?;
        let mut co = Coef {
            a: new.amount.sub(old.amount)?,
            ..Coef::default()
        };
        match self.market.settlement {
            Settlement::Linear => co.b = Decimal::ZERO.sub(q.mul(self.scale)?.mul(rate)?)?,
            Settlement::Inverse => co.c = Decimal::ZERO.sub(q.mul(rate)?.div(self.scale)?)?,
        }
        Ok(co)
    }

    /// `v` at which the notional reaches tier `j`'s floor; `None` when that
    /// is beyond the decimal range (no price reaches the tier).
    fn boundary(&self, j: usize) -> Option<Decimal> {
        let floor = self.tiers().get(j)?.floor;
        let size = self.size().ok()?;
        match self.market.settlement {
            Settlement::Linear => floor.checked_div(size.checked_mul(self.scale)?),
            Settlement::Inverse => size.checked_div(self.scale.checked_mul(floor)?),
        }
    }

    /// The next tier change walking from tier `t` upward (or downward) in `v`:
    /// where it happens and the tier after it.
    fn next_change(&self, t: usize, up: bool) -> Calc<Option<(Decimal, usize)>> {
        let linear = self.market.settlement == Settlement::Linear;
        // Linear notional rises with v, inverse notional falls.
        if linear == up {
            let j = t + 1;
            if j < self.tiers().len() {
                return Ok(self.boundary(j).map(|v| (v, j)));
            }
        } else if t >= 1 {
            return Ok(self.boundary(t).map(|v| (v, t - 1)));
        }
        Ok(None)
    }
}

/// Walks from `p.start` downward and upward to the nearest root on each side.
pub fn roots(p: &Problem) -> Calc<Roots> {
    let mut tiers_now = Vec::with_capacity(p.terms.len());
    let mut base = Coef {
        a: p.constant,
        b: p.linear,
        c: Decimal::ZERO,
    };
    for term in &p.terms {
        let t = term.tier_at(p.start)?;
        tiers_now.push(t);
        base = base.add(term.coef(t, p.with_maintenance)?)?;
    }
    Ok(Roots {
        down: walk(p, &tiers_now, base, false)?,
        up: walk(p, &tiers_now, base, true)?,
    })
}

fn walk(p: &Problem, tiers_now: &[usize], mut co: Coef, up: bool) -> Calc<Option<Decimal>> {
    let with_mm = p.with_maintenance;
    let mut tiers = tiers_now.to_vec();
    // Pending tier changes, nearest first: a min-heap upward, a max-heap downward.
    let mut heap: BinaryHeap<(Reverse<Decimal>, Decimal, usize, usize)> = BinaryHeap::new();
    let key = |v: Decimal| {
        if up {
            (Reverse(v), Decimal::ZERO)
        } else {
            (Reverse(Decimal::ZERO), v)
        }
    };
    for (i, term) in p.terms.iter().enumerate() {
        if term.tiered(with_mm) {
            if let Some((v, t)) = term.next_change(tiers[i], up)? {
                let (r, d) = key(v);
                heap.push((r, d, i, t));
            }
        }
    }
    let jumps = p
        .terms
        .iter()
        .any(|t| t.tiered(with_mm) && !t.market.continuous);
    let mut cur = p.start;
    loop {
        let next = heap.peek().map(|(r, d, _, _)| if up { r.0 } else { *d });
        // The interval between `cur` and the next change, in walking order.
        let (lo, hi) = if up {
            (cur, next)
        } else {
            (next.unwrap_or(Decimal::ZERO), Some(cur))
        };
        if let Some(v) = co.root_in(lo, hi, up)? {
            return Ok(Some(v));
        }
        let Some(at) = next else { return Ok(None) };
        if at <= Decimal::ZERO {
            return Ok(None);
        }
        let before = if jumps { Some(co.at(at)?) } else { None };
        while let Some(&(r, d, i, t)) = heap.peek() {
            let v = if up { r.0 } else { d };
            if v != at {
                break;
            }
            heap.pop();
            let term = &p.terms[i];
            co = co.add(term.tier_change(tiers[i], t)?)?;
            tiers[i] = t;
            if let Some((v2, t2)) = term.next_change(t, up)? {
                let (r2, d2) = key(v2);
                heap.push((r2, d2, i, t2));
            }
        }
        // A requirement that jumps at a tier floor (amounts given, not derived)
        // can cross zero without a root: the pool is liquidated at the floor.
        if let Some(before) = before {
            let after = co.at(at)?;
            if after.is_zero()
                || (before.is_sign_negative() != after.is_sign_negative() && !before.is_zero())
            {
                return Ok(Some(at));
            }
        }
        cur = at;
    }
}
