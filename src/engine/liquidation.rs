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

use super::few::Few;
use super::market;
use super::model::{Market, Tier};
use super::num::{minus, plus, quotient_kept, rounding_bound, times, Calc, NumError, SafeMath};
use super::scenario::{MarginBasis, Settlement, Side};
use rust_decimal::Decimal;
use std::collections::BinaryHeap;

/// One position whose price moves with `v`, with what the solver asks of it
/// worked out once: a term is looked at several times per solve (start,
/// shortcut, walk), and each pool is solved twice (liquidation, bankruptcy).
#[derive(Debug, Clone)]
pub struct Term<'a> {
    pub market: &'a Market,
    /// `qty · contract_size`.
    size: Decimal,
    /// Price = `scale · v`.
    scale: Decimal,
    /// `size · scale` (linear contracts): the notional per unit of `v`.
    size_scaled: Decimal,
    /// The PnL as `a + b·v + c/v`.
    pnl: Coef,
    /// The requirement of an entry-basis market, which no price moves.
    fixed_mm: Decimal,
    /// The tier in force at the start, when the caller already knows it.
    tier_now: Option<usize>,
    /// Whether the position's own requirement counts (not in a portfolio
    /// pool, whose requirement is its units': `Problem::unit`).
    charged: bool,
}

/// `f(v) = constant + linear·v + Σ terms`, with or without the requirement.
#[derive(Debug, Clone)]
pub struct Problem<'a> {
    /// Fixed once built: `pnl` is their sum.
    terms: Few<Term<'a>>,
    /// Everything that does not move: the rest of the pool, less its requirement.
    pub constant: Decimal,
    /// The size of the terms `constant` was summed from (at least its own):
    /// a constant that is a small difference of large terms is only as exact
    /// as they are.
    pub constant_size: Decimal,
    /// Coefficient of `v` from collateral that moves (`weighted_qty · scale`).
    pub linear: Decimal,
    /// `− requirement` of risk units (portfolio margin) that moves with `v`:
    /// `b·v` (linear contracts) or `c/v` (inverse ones).
    pub unit: Coef,
    /// Include the maintenance margin (liquidation) or not (bankruptcy).
    pub with_maintenance: bool,
    /// The current value of `v`; the walk starts here.
    pub start: Decimal,
    /// The terms' PnL summed: the same for liquidation and bankruptcy.
    pnl: Coef,
}

impl<'a> Problem<'a> {
    pub fn new(
        terms: impl Into<Few<Term<'a>>>,
        constant: Decimal,
        linear: Decimal,
        with_maintenance: bool,
        start: Decimal,
    ) -> Calc<Problem<'a>> {
        let mut terms = terms.into();
        let mut pnl = Coef::default();
        for t in terms.iter_mut() {
            pnl = pnl.plus(t.pnl)?;
            // Each term's tier at the start, looked up once: the start, the
            // shortcut and the walk all ask it.
            if t.tier_now.is_none() && t.tiered(with_maintenance) {
                t.tier_now = Some(t.tier_at(start)?);
            }
        }
        Ok(Problem {
            terms,
            unit: Coef::default(),
            constant_size: constant.abs(),
            constant,
            linear,
            with_maintenance,
            start,
            pnl,
        })
    }

    /// How far from zero rounding alone can move the numerator of a root (the
    /// constant term for linear contracts, the `1/v` term for inverse): a last
    /// digit of the largest value that could be summed into it, per addition.
    /// A bound, so itself rounded freely; `None` if it does not fit.
    #[cold]
    fn rounding(&self, inverse: bool) -> Option<Decimal> {
        let mut magnitude = if inverse {
            self.unit.c.abs()
        } else {
            self.constant_size.max(self.constant.abs())
        };
        let mut additions = 2usize;
        for t in &self.terms {
            additions = additions.saturating_add(2);
            let tiers = t.tiers().iter();
            let part = if inverse {
                let rate = tiers.map(|x| x.mmr.abs()).max().unwrap_or_default();
                plus(
                    times(t.size, rate)?.checked_div(t.scale)?.abs(),
                    t.pnl.c.abs(),
                )?
            } else {
                let amount = tiers.map(|x| x.amount.abs()).max().unwrap_or_default();
                plus(plus(t.pnl.a.abs(), amount)?, t.fixed_mm.abs())?
            };
            magnitude = plus(magnitude, part)?;
        }
        rounding_bound(magnitude, additions)
    }

    /// `f`'s coefficients with every term's requirement at the tier `tier` gives it.
    fn coef_with(&self, tier: impl Fn(usize, &Term) -> Calc<usize>) -> Calc<Coef> {
        let mut co = Coef {
            a: self.constant,
            b: self.linear,
            c: Decimal::ZERO,
        }
        .plus(self.pnl)?;
        if self.with_maintenance {
            co = co.plus(self.unit)?;
            for (i, term) in self.terms.iter().enumerate() {
                co = co.plus(term.requirement(tier(i, term)?)?)?;
            }
        }
        Ok(co)
    }
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
            // Prices: neither distance can overflow.
            (Some(d), Some(u)) => Some(if minus(u, start) < minus(start, d) {
                u
            } else {
                d
            }),
            (d, u) => d.or(u),
        }
    }
}

/// `a + b·v + c/v`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Coef {
    pub a: Decimal,
    pub b: Decimal,
    pub c: Decimal,
}

impl Coef {
    pub fn plus(self, o: Coef) -> Calc<Coef> {
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

    /// The line these coefficients draw, with its root: one division, which
    /// then serves both sides of the start.
    fn line(self) -> Calc<Line> {
        let (num, den, inverse) = match (self.b.is_zero(), self.c.is_zero()) {
            (true, true) => {
                return Ok(Line::Flat {
                    zero: self.a.is_zero(),
                })
            }
            (false, true) => (-self.a, self.b, false),
            (true, false) => (-self.c, self.a, true),
            // A pool never mixes linear and inverse contracts (they settle in
            // different currencies), so this is unreachable by construction.
            (false, false) => return Err(NumError::Overflow),
        };
        // A root too large for a decimal (above about 7.9e28) is no price at all.
        Ok(Line::Root {
            num,
            den,
            inverse,
            v: num.checked_div(den),
        })
    }
}

/// One segment's `f = a + b·v + c/v`, by its root.
#[derive(Debug, Clone, Copy)]
enum Line {
    /// `b = c = 0`: zero everywhere (`zero`) or nowhere.
    Flat { zero: bool },
    /// `v = num / den` (`None` where the quotient overflows); `inverse`:
    /// the numerator is the `1/v` term's, not the constant's.
    Root {
        num: Decimal,
        den: Decimal,
        inverse: bool,
        v: Option<Decimal>,
    },
}

impl Line {
    /// The root in `[lo, hi]` (`hi = None`: unbounded), `v > 0`.
    /// `rounding(inverse)`: how far rounding alone may have moved the
    /// numerator from zero (asked only of a root too small to keep its digits).
    fn within(
        self,
        lo: Decimal,
        hi: Option<Decimal>,
        toward_hi: bool,
        rounding: impl FnOnce(bool) -> Option<Decimal>,
    ) -> Calc<Option<Decimal>> {
        let (num, den, inverse, v) = match self {
            // Flat: zero everywhere (the walk's start is the nearest root) or nowhere.
            Line::Flat { zero } => {
                return Ok(zero.then_some(if toward_hi { lo } else { hi.unwrap_or(lo) }))
            }
            Line::Root {
                num,
                den,
                inverse,
                v: Some(v),
            } => (num, den, inverse, v),
            Line::Root { v: None, .. } => return Ok(None),
        };
        let inside = v > Decimal::ZERO && v >= lo && hi.is_none_or(|h| v <= h);
        if !inside {
            return Ok(None);
        }
        // A root that is the answer keeps its digits, or is refused as an
        // underflow; except when its numerator is within the rounding of the
        // sums that made it from zero (a 1× long whose margin is its whole
        // notional, priced where the rest of its pool is all but spent): then
        // it cannot be told from a root at zero, which is no price. And a
        // numerator that rounding can have moved by more than the quotient
        // loses (a unit in its 28th place, times the denominator) never had
        // the digits the quotient would keep: the root is as exact as it can be.
        match quotient_kept(num, den, v) {
            Err(NumError::Underflow) => match rounding(inverse) {
                Some(r) if num.abs() <= r => Ok(None),
                Some(r) if times(den.abs(), Decimal::new(1, 28)).is_some_and(|lost| r >= lost) => {
                    Ok(Some(v))
                }
                _ => Err(NumError::Underflow),
            },
            kept => kept.map(Some),
        }
    }
}

impl<'a> Term<'a> {
    pub fn new(
        market: &'a Market,
        side: Side,
        qty: Decimal,
        entry: Decimal,
        scale: Decimal,
    ) -> Calc<Term<'a>> {
        let size = market::size(market, qty)?;
        let signed = match side {
            Side::Long => size,
            Side::Short => -size,
        };
        let (pnl, size_scaled) = match market.settlement {
            Settlement::Linear => {
                let size_scaled = size.mul(scale)?;
                let b = match side {
                    Side::Long => size_scaled,
                    Side::Short => -size_scaled,
                };
                (
                    Coef {
                        a: -signed.mul(entry)?,
                        b,
                        c: Decimal::ZERO,
                    },
                    size_scaled,
                )
            }
            Settlement::Inverse => (
                Coef {
                    a: signed.div(entry)?,
                    b: Decimal::ZERO,
                    c: -signed.div(scale)?,
                },
                Decimal::ZERO,
            ),
        };
        let fixed_mm = match market.basis {
            MarginBasis::Entry => {
                market::maintenance(&market.tiers, market::notional(market, qty, entry)?)?.0
            }
            MarginBasis::Mark => Decimal::ZERO,
        };
        Ok(Term {
            market,
            size,
            scale,
            size_scaled,
            pnl,
            fixed_mm,
            tier_now: None,
            charged: true,
        })
    }

    /// The same term, its tier at the start known (the position's current
    /// tier, when the walk starts at the current prices): not looked up again.
    pub fn starting_in(self, tier: usize) -> Self {
        Term {
            tier_now: Some(tier),
            ..self
        }
    }

    /// The same term with its PnL net of costs: `funding`, a constant, and
    /// the fee to close at the taker rate `taker`, which is `t·size·P`
    /// (linear) or `t·size/P` (inverse), the PnL's own form.
    pub fn with_costs(mut self, funding: Decimal, taker: Decimal) -> Calc<Self> {
        self.pnl.a = self.pnl.a.sub(funding)?;
        match self.market.settlement {
            Settlement::Linear => self.pnl.b = self.pnl.b.sub(self.size_scaled.mul(taker)?)?,
            Settlement::Inverse => {
                self.pnl.c = self.pnl.c.sub(self.size.mul(taker)?.div(self.scale)?)?
            }
        }
        Ok(self)
    }

    /// The same term, its own requirement left out (a portfolio pool's
    /// position: its unit is charged instead).
    pub fn uncharged(self) -> Self {
        Term {
            charged: false,
            ..self
        }
    }

    fn tiers(&self) -> &[Tier] {
        &self.market.tiers
    }

    /// Whether the requirement of this term changes with `v`.
    fn tiered(&self, with_mm: bool) -> bool {
        with_mm && self.charged && self.market.basis == MarginBasis::Mark && self.tiers().len() > 1
    }

    /// The tier in force at `v` (mark basis). The notional is only compared
    /// with the tiers' floors, so it is rounded at its 28th place however
    /// small: a root kept at the digits its terms allow (`Line::within`) may
    /// be too small for its notional to keep 16, and is in a tier all the same.
    fn tier_at(&self, v: Decimal) -> Calc<usize> {
        let price = times(self.scale, v).ok_or(NumError::Overflow)?;
        let notional = match self.market.settlement {
            Settlement::Linear => times(self.size, price),
            Settlement::Inverse => self.size.checked_div(price),
        }
        .ok_or(NumError::Overflow)?;
        Ok(market::tier_of(self.tiers(), notional))
    }

    /// The tier in force at the start.
    fn tier_at_start(&self, start: Decimal) -> Calc<usize> {
        match self.tier_now {
            Some(t) => Ok(t),
            None => self.tier_at(start),
        }
    }

    /// `− requirement` as `a + b·v + c/v`, at tier `t` when it is tiered.
    fn requirement(&self, t: usize) -> Calc<Coef> {
        let mut co = Coef::default();
        if !self.charged {
            return Ok(co);
        }
        match self.market.basis {
            MarginBasis::Entry => co.a = -self.fixed_mm,
            MarginBasis::Mark => {
                let Some(tier) = self.tiers().get(t) else {
                    return Ok(co);
                };
                co.a = tier.amount;
                match self.market.settlement {
                    Settlement::Linear => co.b = -self.size_scaled.mul(tier.mmr)?,
                    Settlement::Inverse => co.c = -self.size.mul(tier.mmr)?.div(self.scale)?,
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
        let mut co = Coef {
            a: new.amount.sub(old.amount)?,
            ..Coef::default()
        };
        match self.market.settlement {
            Settlement::Linear => co.b = -self.size_scaled.mul(rate)?,
            Settlement::Inverse => co.c = -self.size.mul(rate)?.div(self.scale)?,
        }
        Ok(co)
    }

    /// `v` at which the notional reaches tier `j`'s floor; `None` when that
    /// is beyond the decimal range (no price reaches the tier).
    fn boundary(&self, j: usize) -> Option<Decimal> {
        let floor = self.tiers().get(j)?.floor;
        match self.market.settlement {
            Settlement::Linear => floor.checked_div(self.size_scaled),
            Settlement::Inverse => self.size.checked_div(times(self.scale, floor)?),
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

/// The nearest root below and above `p.start`.
pub fn roots(p: &Problem) -> Calc<Roots> {
    let base = start(p)?;
    let line = base.line()?;
    let side = |up| match shortcut(p, line, base, up)? {
        Some(answer) => Ok(answer),
        None => walk(p, line, base, up),
    };
    Ok(Roots {
        down: side(false)?,
        up: side(true)?,
    })
}

/// [`roots`] by the full walk across every breakpoint, never the shortcut:
/// the reference that the shortcut is tested against.
#[cfg(all(test, not(target_arch = "wasm32")))]
fn roots_by_walk(p: &Problem) -> Calc<Roots> {
    let base = start(p)?;
    let line = base.line()?;
    Ok(Roots {
        down: walk(p, line, base, false)?,
        up: walk(p, line, base, true)?,
    })
}

/// `f`'s coefficients at the start.
fn start(p: &Problem) -> Calc<Coef> {
    p.coef_with(|_, term| term_start(p, term))
}

/// A term's tier at the start (0 where its requirement does not move).
fn term_start(p: &Problem, term: &Term) -> Calc<usize> {
    if term.tiered(p.with_maintenance) {
        term.tier_at_start(p.start)
    } else {
        Ok(0)
    }
}

/// The answer on one side without walking, when it can be had cheaply (most
/// of the time): `Some(root or none)`, or `None` when only the walk can tell.
///
/// First the root of the starting segment, extended without bound: tiers are
/// monotonic in the price, so if every term is in the same tier there as at
/// the start, no breakpoint lies between them and that root is exact. Failing
/// that, when `f` is concave (see `Market::convex`) and positive at the
/// start, its value or slope at the far end of the side rules a root out.
/// This costs a multiplication per term instead of a division and a heap
/// operation per breakpoint.
fn shortcut(p: &Problem, line: Line, co: Coef, up: bool) -> Calc<Option<Option<Decimal>>> {
    let with_mm = p.with_maintenance;
    let (lo, hi) = if up {
        (p.start, None)
    } else {
        (Decimal::ZERO, Some(p.start))
    };
    if let Some(v) = line.within(lo, hi, up, |inverse| p.rounding(inverse))? {
        for term in &p.terms {
            if term.tiered(with_mm) && term.tier_at(v)? != term.tier_at_start(p.start)? {
                return Ok(None);
            }
        }
        return Ok(Some(Some(v)));
    }
    let concave = p
        .terms
        .iter()
        .all(|t| !t.tiered(with_mm) || t.market.convex);
    if !concave || co.at(p.start)? <= Decimal::ZERO {
        return Ok(None);
    }
    let inverse = p
        .terms
        .iter()
        .any(|t| t.market.settlement == Settlement::Inverse);
    if inverse && !p.linear.is_zero() {
        return Ok(None);
    }
    // `f` on the last segment of this side: linear notionals grow with `v`,
    // inverse ones shrink, so the far end is the top tier or the first.
    let end_tier = |term: &Term| {
        let top = (term.market.settlement == Settlement::Linear) == up;
        if top && term.tiered(with_mm) {
            term.tiers().len() - 1
        } else {
            0
        }
    };
    // Where every term is in its end tier already (a book in its first
    // tiers, falling), the last segment is the first: `co`, the same sum.
    let mut at_end = true;
    for term in &p.terms {
        if term.tiered(with_mm) && term.tier_at_start(p.start)? != end_tier(term) {
            at_end = false;
            break;
        }
    }
    let end = if at_end {
        co
    } else {
        p.coef_with(|_, term| Ok(end_tier(term)))?
    };
    // Linear: concave in v, so rising from here it never turns down if its
    // final slope does not, and on (0, start] it is least at an end.
    // Inverse: the same in u = 1/v, where `f = a + c·u`.
    let no_root = match (inverse, up) {
        (false, true) => end.b >= Decimal::ZERO,
        (false, false) => end.a > Decimal::ZERO,
        (true, true) => end.a > Decimal::ZERO,
        (true, false) => end.c >= Decimal::ZERO,
    };
    Ok(no_root.then_some(None))
}

/// From the start outward across every tier breakpoint on one side; `line`
/// is the first segment's (`co`'s), already worked out.
fn walk(p: &Problem, mut line: Line, mut co: Coef, up: bool) -> Calc<Option<Decimal>> {
    let with_mm = p.with_maintenance;
    let mut tiers = p
        .terms
        .iter()
        .map(|term| term_start(p, term))
        .collect::<Calc<Vec<usize>>>()?;
    // Pending tier changes, nearest first: a max-heap of `−v` upward, of `v`
    // downward (negation is exact, and its own inverse). One decimal a change:
    // in a pool of thousands the heap's moves are most of the walk.
    let key = |v: Decimal| if up { -v } else { v };
    let mut pending = Vec::new();
    for (i, term) in p.terms.iter().enumerate() {
        if term.tiered(with_mm) {
            if let Some((v, t)) = term.next_change(tiers[i], up)? {
                pending.push((key(v), i, t));
            }
        }
    }
    let mut heap = BinaryHeap::from(pending);
    let jumps = p
        .terms
        .iter()
        .any(|t| t.tiered(with_mm) && !t.market.continuous);
    let mut cur = p.start;
    loop {
        let next = heap.peek().map(|&(k, _, _)| key(k));
        // The interval between `cur` and the next change, in walking order.
        let (lo, hi) = if up {
            (cur, next)
        } else {
            (next.unwrap_or(Decimal::ZERO), Some(cur))
        };
        if let Some(v) = line.within(lo, hi, up, |inverse| p.rounding(inverse))? {
            return Ok(Some(v));
        }
        let Some(at) = next else { return Ok(None) };
        if at <= Decimal::ZERO {
            return Ok(None);
        }
        let before = if jumps { Some(co.at(at)?) } else { None };
        while let Some(&(k, i, t)) = heap.peek() {
            if key(k) != at {
                break;
            }
            heap.pop();
            let term = &p.terms[i];
            co = co.plus(term.tier_change(tiers[i], t)?)?;
            tiers[i] = t;
            if let Some((v2, t2)) = term.next_change(t, up)? {
                heap.push((key(v2), i, t2));
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
        line = co.line()?;
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    // Tier tables of small integers: the operators read as the formulas.
    #![allow(clippy::arithmetic_side_effects)]
    use super::*;
    use proptest::prelude::*;

    /// A market with tiers of the given widths and rates (in basis points);
    /// amounts derived (continuous) or given as `jumps` (discontinuous).
    fn market(inverse: bool, entry_basis: bool, steps: &[(i64, i64)], jumps: &[i64]) -> Market {
        let mut tiers: Vec<Tier> = Vec::new();
        let mut floor = Decimal::ZERO;
        for (i, &(width, bp)) in steps.iter().enumerate() {
            let mmr = Decimal::new(bp, 4);
            let amount = match tiers.last() {
                None => Decimal::ZERO,
                Some(prev) => {
                    floor * (mmr - prev.mmr)
                        + prev.amount
                        + Decimal::from(jumps.get(i).copied().unwrap_or(0))
                }
            };
            let cap = floor + Decimal::from(width);
            tiers.push(Tier {
                floor,
                cap: (i + 1 < steps.len()).then_some(cap),
                mmr,
                amount,
                max_leverage: None,
            });
            floor = cap;
        }
        let continuous = jumps.iter().all(|j| *j == 0);
        Market {
            id: "M".into(),
            asset: 0,
            settlement: if inverse {
                Settlement::Inverse
            } else {
                Settlement::Linear
            },
            contract_size: if inverse {
                Decimal::from(100)
            } else {
                Decimal::ONE
            },
            basis: if entry_basis {
                MarginBasis::Entry
            } else {
                MarginBasis::Mark
            },
            continuous,
            convex: continuous && tiers.windows(2).all(|w| w[0].mmr <= w[1].mmr),
            tiers,
            premium: None,
            costs: Default::default(),
            isolated_rule: Default::default(),
        }
    }

    fn steps() -> impl Strategy<Value = Vec<(i64, i64)>> {
        prop::collection::vec(
            (5_000i64..400_000, prop_oneof![10i64..600, 600i64..5_000]),
            1..6,
        )
    }

    #[allow(clippy::expect_used, reason = "a test helper on small numbers")]
    fn problem<'a>(terms: Vec<Term<'a>>, constant: Decimal, start: i64) -> Problem<'a> {
        Problem::new(terms, constant, Decimal::ZERO, true, Decimal::from(start))
            .expect("no overflow")
    }

    #[allow(clippy::expect_used, reason = "a test helper on small numbers")]
    fn term(market: &Market, side: Side, qty: Decimal, entry: i64) -> Term<'_> {
        Term::new(market, side, qty, Decimal::from(entry), Decimal::ONE).expect("no overflow")
    }

    /// A hedge rising in price in the top tier: flat at first, then the long
    /// leg's requirement outgrows its gain. The starting segment has no root
    /// above, but the pool still dies higher up.
    #[test]
    fn a_linear_hedge_whose_slope_turns_down_is_walked() {
        let steep = market(false, false, &[(70_000, 100), (1_000_000, 9_000)], &[]);
        let flat = market(false, false, &[(1_000_000, 100)], &[]);
        let p = problem(
            vec![
                term(&steep, Side::Long, Decimal::new(11, 1), 60_000),
                term(&flat, Side::Short, Decimal::ONE, 60_000),
            ],
            Decimal::from(10_000),
            60_000,
        );
        let r = roots(&p).expect("no overflow");
        assert!(r.up.is_some());
        assert_eq!(r, roots_by_walk(&p).expect("no overflow"));
    }

    /// An inverse short above its first tier: the requirement's amount keeps
    /// the starting segment above zero all the way up, but once the notional
    /// falls into the first tier the amount is gone and the pool is short.
    #[test]
    fn an_inverse_short_leaving_its_tier_is_walked() {
        let m = market(true, false, &[(1, 100), (1_000_000, 2_000)], &[]);
        let p = problem(
            vec![term(&m, Side::Short, Decimal::from(1_000), 50_000)],
            Decimal::new(195, 2),
            50_000,
        );
        let r = roots(&p).expect("no overflow");
        assert!(r.up.is_some());
        assert_eq!(r, roots_by_walk(&p).expect("no overflow"));
    }

    /// A 1× long backed by its notional less a rounding's worth: `f` crosses
    /// zero at a price of 3.3…e-24, within the rounding of the sums from zero
    /// (and a quotient that cannot keep 16 digits). No
    /// liquidation price, where refusing would fail the whole evaluation.
    #[test]
    fn a_root_within_rounding_of_zero_far_below_the_price_is_none() {
        let m = market(false, false, &[(1_000_000, 100)], &[]);
        let mut p = problem(
            vec![term(&m, Side::Long, Decimal::from(3), 1_000)],
            Decimal::from(3_000) - Decimal::new(1, 23),
            1_000,
        );
        p.with_maintenance = false;
        assert_eq!(roots(&p), Ok(Roots::default()));
        // (Near the price itself, digits that cannot be kept are still
        // refused: tests/extremes.rs, the smallest price a decimal holds.)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        /// The shortcut finds exactly the roots the full walk finds, on pools
        /// of linear or inverse contracts, with rising, falling or jumping
        /// requirements, in liquidation and bankruptcy.
        #[test]
        fn the_shortcut_agrees_with_the_walk(
            inverse in any::<bool>(),
            markets in prop::collection::vec((steps(), prop::collection::vec(-50i64..50, 6), any::<bool>(), prop::bool::weighted(0.15)), 1..4),
            positions in prop::collection::vec((0usize..4, any::<bool>(), 1i64..50_000, 1_000i64..90_000), 1..8),
            constant in -200_000i64..400_000,
            collateral in 0i64..300,
            start in 1_000i64..90_000,
            with_maintenance in any::<bool>(),
        ) {
            let specs: Vec<Market> = markets
                .iter()
                .map(|(steps, jumps, jump, entry)| {
                    let none = [0i64; 0];
                    market(inverse, *entry, steps, if *jump { jumps } else { &none })
                })
                .collect();
            let terms = positions
                .iter()
                .map(|&(m, long, qty, entry)| {
                    let side = if long { Side::Long } else { Side::Short };
                    let qty = if inverse { Decimal::from(qty / 50 + 1) } else { Decimal::new(qty, 3) };
                    Term::new(&specs[m % specs.len()], side, qty, Decimal::from(entry), Decimal::ONE).expect("no overflow")
                })
                .collect::<Vec<_>>();
            let p = Problem::new(
                terms,
                if inverse { Decimal::new(constant, 5) } else { Decimal::from(constant) },
                if inverse { Decimal::ZERO } else { Decimal::new(collateral, 2) },
                with_maintenance,
                Decimal::from(start),
            ).expect("no overflow");
            prop_assert_eq!(roots(&p), roots_by_walk(&p));
        }
    }
}
