//! Contract arithmetic: notional, PnL and the tiered maintenance margin.
//!
//! Formulas (the conformance model, `tests/data/README.md`):
//! - notional at P: linear `qty · cs · P` (quote); inverse `qty · cs / P` (coin);
//! - PnL at P: linear `side · qty · cs · (P − entry)`; inverse `side · qty · cs · (1/entry − 1/P)`;
//! - maintenance margin: `N · mmr − maintenance_amount`, the tier being the one with
//!   `floor ≤ N < cap`; above the last cap the last tier still applies;
//! - funding over `H` hours: `side · notional at the funding price · rate · H / interval`.

use super::model::{Market, Model, Position, Tier};
use super::num::{Calc, SafeMath};
use super::scenario::{FundingPrice, MarginBasis, Settlement, Side};
use rust_decimal::Decimal;

/// Index of the tier a notional falls in (tiers are contiguous from 0).
pub fn tier_of(tiers: &[Tier], notional: Decimal) -> usize {
    // The last tier whose floor is ≤ notional.
    tiers
        .partition_point(|t| t.floor <= notional)
        .saturating_sub(1)
}

/// `qty · contract_size`: base units (linear) or quote value (inverse).
pub fn size(m: &Market, qty: Decimal) -> Calc<Decimal> {
    qty.mul(m.contract_size)
}

pub fn notional(m: &Market, qty: Decimal, price: Decimal) -> Calc<Decimal> {
    notional_of(m, size(m, qty)?, price)
}

/// [`notional`] of a [`size`] already worked out.
pub fn notional_of(m: &Market, size: Decimal, price: Decimal) -> Calc<Decimal> {
    match m.settlement {
        Settlement::Linear => size.mul(price),
        Settlement::Inverse => size.div(price),
    }
}

pub fn pnl(m: &Market, side: Side, qty: Decimal, entry: Decimal, price: Decimal) -> Calc<Decimal> {
    let q = size(m, qty)?.mul(side.sign())?;
    pnl_of(m, q, entry, price)
}

/// [`pnl`] of a signed size (`±size`, `+` long) already worked out.
pub fn pnl_of(m: &Market, signed: Decimal, entry: Decimal, price: Decimal) -> Calc<Decimal> {
    match m.settlement {
        Settlement::Linear => signed.mul(price.sub(entry)?),
        // q/e − q/P, not q·(1/e − 1/P): a reciprocal below 1 keeps fewer
        // significant digits (28 decimal places at most), and q would magnify the loss.
        Settlement::Inverse => signed.div(entry)?.sub(signed.div(price)?),
    }
}

/// The price margin requirements are valued at.
pub fn basis_price(m: &Market, entry: Decimal, mark: Decimal) -> Decimal {
    match m.basis {
        MarginBasis::Mark => mark,
        MarginBasis::Entry => entry,
    }
}

/// Maintenance margin of a notional, with the tier it falls in.
pub fn maintenance(tiers: &[Tier], notional: Decimal) -> Calc<(Decimal, usize)> {
    let t = tier_of(tiers, notional);
    match tiers.get(t) {
        Some(tier) => Ok((notional.mul(tier.mmr)?.sub(tier.amount)?, t)),
        None => Ok((Decimal::ZERO, 0)),
    }
}

/// What holding position `p` costs when its market's mark is `mark` and
/// its asset's price `index`: its funding over `hours` (positive: paid) and
/// the fee to close at the mark.
pub fn position_cost(
    model: &Model,
    p: &Position,
    mark: Decimal,
    index: Decimal,
    hours: Decimal,
) -> Calc<(Decimal, Decimal)> {
    let m = &model.markets[p.market];
    let size = size(m, p.qty)?;
    let fee = notional_of(m, size, mark)?.mul(m.costs.taker)?;
    Ok((funding(model, p, mark, index, hours)?, fee))
}

/// Position `p`'s funding over `hours` at today's prices: `side · value at
/// the funding price · rate · hours / interval`.
pub fn funding(
    model: &Model,
    p: &Position,
    mark: Decimal,
    index: Decimal,
    hours: Decimal,
) -> Calc<Decimal> {
    let m = &model.markets[p.market];
    let c = &m.costs;
    if c.funding_rate.is_zero() || hours.is_zero() {
        return Ok(Decimal::ZERO);
    }
    let price = match c.funding_price {
        FundingPrice::Mark => mark,
        FundingPrice::Index => index,
    };
    let value = notional(m, p.qty, price)?;
    let paid = value
        .mul(c.funding_rate)?
        .mul(hours)?
        .div(c.funding_hours)?;
    Ok(match p.side {
        Side::Long => paid,
        Side::Short => -paid,
    })
}

/// Position `i`'s PnL and maintenance margin as its asset's price moves,
/// with what no price changes worked out once: a curve or a map asks them
/// at each of its points, for each position on the asset. Each figure is
/// the same operations on the same decimals as `market::pnl` and
/// `market::maintenance` at `market::notional`, so the same to the last digit.
pub struct AtPrice<'a> {
    market: &'a Market,
    size: Decimal,
    /// `size · side`.
    signed: Decimal,
    entry: Decimal,
    /// Inverse contracts: `signed / entry`, the PnL's fixed part.
    at_entry: Decimal,
    /// Entry basis: the requirement, which no price moves.
    fixed_mm: Option<Decimal>,
    /// In a model after costs, the funding the PnL is net of (a constant)
    /// and the taker rate of the fee to close; zero otherwise.
    funding: Decimal,
    taker: Decimal,
}

impl<'a> AtPrice<'a> {
    pub fn new(model: &'a Model, i: usize) -> Calc<AtPrice<'a>> {
        let p = &model.positions[i];
        let m = &model.markets[p.market];
        let size = size(m, p.qty)?;
        let signed = size.mul(p.side.sign())?;
        let at_entry = match m.settlement {
            Settlement::Linear => Decimal::ZERO,
            Settlement::Inverse => signed.div(p.entry_price)?,
        };
        let fixed_mm = match m.basis {
            MarginBasis::Mark => None,
            MarginBasis::Entry => {
                Some(maintenance(&m.tiers, notional(m, p.qty, p.entry_price)?)?.0)
            }
        };
        let (funding, taker) = if model.charge_costs {
            let index = model.assets[m.asset].price;
            let mark = m.mark_at(index)?;
            let funding = funding(model, p, mark, index, model.holding_hours)?;
            (funding, m.costs.taker)
        } else {
            (Decimal::ZERO, Decimal::ZERO)
        };
        Ok(AtPrice {
            market: m,
            size,
            signed,
            entry: p.entry_price,
            at_entry,
            fixed_mm,
            funding,
            taker,
        })
    }

    /// PnL and maintenance margin when the asset's price is `asset_price`
    /// (the market's mark is its premium's ratio of it, if it has one).
    pub fn at(&self, asset_price: Decimal) -> Calc<(Decimal, Decimal)> {
        let price = self.market.mark_at(asset_price)?;
        let (mut pnl, notional) = match self.market.settlement {
            Settlement::Linear => (
                self.signed.mul(price.sub(self.entry)?)?,
                self.size.mul(price),
            ),
            Settlement::Inverse => {
                // `signed` is `±size`, and a quotient's digits do not depend
                // on the signs: one division serves the PnL and the notional.
                let per_price = self.signed.div(price)?;
                (self.at_entry.sub(per_price)?, Ok(per_price.abs()))
            }
        };
        let notional = notional?;
        if !(self.funding.is_zero() && self.taker.is_zero()) {
            // The same operations as `margin::costs::position_cost`.
            pnl = pnl.sub(self.funding)?.sub(notional.mul(self.taker)?)?;
        }
        let mm = match self.fixed_mm {
            Some(mm) => mm,
            None => maintenance(&self.market.tiers, notional)?.0,
        };
        Ok((pnl, mm))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::decimal_text::parse_decimal;

    fn d(s: &str) -> Decimal {
        parse_decimal(s).expect("literal")
    }

    fn tiers() -> Vec<Tier> {
        // Binance's documented brackets (FAQ example), amounts derived.
        let rows = [
            ("0", Some("50000"), "0.004", "0"),
            ("50000", Some("250000"), "0.005", "50"),
            ("250000", None, "0.01", "1300"),
        ];
        rows.iter()
            .map(|(f, c, r, a)| Tier {
                floor: d(f),
                cap: c.map(d),
                mmr: d(r),
                amount: d(a),
                max_leverage: None,
            })
            .collect()
    }

    #[test]
    fn a_floor_belongs_to_the_tier_it_starts() {
        let t = tiers();
        assert_eq!(tier_of(&t, d("0")), 0);
        assert_eq!(tier_of(&t, d("49999.99")), 0);
        assert_eq!(tier_of(&t, d("50000")), 1);
        assert_eq!(tier_of(&t, d("250000")), 2);
        assert_eq!(tier_of(&t, d("1e12")), 2);
    }

    #[test]
    fn maintenance_is_continuous_at_a_tier_floor() {
        let t = tiers();
        assert_eq!(maintenance(&t, d("50000")).map(|m| m.0), Ok(d("200")));
        assert_eq!(maintenance(&t, d("49999")).map(|m| m.0), Ok(d("199.996")));
        assert_eq!(maintenance(&t, d("264000")).map(|m| m.0), Ok(d("1340")));
    }
}
