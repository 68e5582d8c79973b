//! Portfolio margin's requirement: a risk unit (a portfolio pool's
//! positions on one asset) is charged the worst loss over a grid of price
//! scenarios, plus a roll charge on its gross notional and a basis charge on
//! its net delta, and at least a floor (docs/scenario-format.md, "Portfolio
//! margin"). The unit's maintenance and initial margins are factors of that
//! requirement. Collateral counts in the pool's equity but is in no unit.

use crate::engine::model::{Model, Portfolio};
use crate::engine::num::{Calc, Rounding, SafeMath};
use crate::engine::scenario::Settlement;
use rust_decimal::Decimal;

/// One risk unit's charges at its positions' marks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unit {
    pub(crate) worst_loss: Decimal,
    /// The scenario (a relative move) that gives the worst loss; `None`
    /// when no scenario loses.
    pub(crate) worst_shock: Option<Decimal>,
    pub(crate) roll_charge: Decimal,
    pub(crate) basis_charge: Decimal,
    pub(crate) floor_charge: Decimal,
    /// `max(worst loss + roll + basis, floor)`.
    pub(crate) requirement: Decimal,
    pub(crate) maintenance_margin: Decimal,
    pub(crate) initial_margin: Decimal,
    /// `Σ side · notional` and `Σ notional`, at the marks.
    pub(crate) delta: Decimal,
    pub(crate) gross: Decimal,
    /// The maintenance margin as the asset's price `v` moves: `mm_per · v`
    /// for linear contracts, `mm_per / v` for inverse ones (delta-one
    /// contracts: every charge scales with the price, or its inverse).
    pub(crate) mm_per: Decimal,
}

/// One position as the scenarios see it: its signed size and its mark.
#[derive(Clone, Copy)]
struct Leg {
    signed: Decimal,
    mark: Decimal,
}

impl Leg {
    /// Its notional on the market's terms: quote for linear, coin for inverse.
    fn notional(self, inverse: bool) -> Calc<Decimal> {
        if inverse {
            self.signed.div(self.mark)
        } else {
            self.signed.mul(self.mark)
        }
    }
}

/// What a notional gains when its mark moves by `shock` (`0.1`: up 10 %),
/// per unit of notional: linear `s`; inverse, in the coin, `s / (1 + s)`.
fn scenario_move(inverse: bool, shock: Decimal) -> Calc<Decimal> {
    if inverse {
        shock.div(Decimal::ONE.add(shock)?)
    } else {
        Ok(shock)
    }
}

/// The charges of a unit whose positions are `legs`, under `params`.
///
/// Every leg is delta-one: its PnL in a scenario is its notional times the
/// scenario's move, so the unit's PnL in each scenario is its net delta's,
/// and each scenario of the grid costs one product whatever the number of
/// legs. The grid is walked in full (not only its ends, where a monotone
/// PnL has its extremes): an instrument whose PnL is not monotone adds its
/// own PnL in each scenario to the net delta's.
fn charges(params: &Portfolio, inverse: bool, legs: &[Leg]) -> Calc<Unit> {
    let (mut delta, mut gross) = (Decimal::ZERO, Decimal::ZERO);
    // Legs that cancel leave a net delta of zero, or a residue of the
    // notionals' rounding (an inverse one is a quotient): zero too
    // (docs/scenario-format.md, "A residue of rounding is zero").
    let mut rounding = Rounding::none();
    for leg in legs {
        let n = leg.notional(inverse)?;
        rounding = if inverse {
            rounding.rounded(n)
        } else {
            rounding.product(n, leg.signed.scale() + leg.mark.scale())
        };
        delta = delta.add(n)?;
        gross = gross.add(n.abs())?;
    }
    let delta = rounding.settle(delta);
    // A product of a net delta that was never exact to its last place is
    // rounded there, not refused (`Rounding::times`).
    let of_delta = |factor: Decimal| rounding.times(delta, factor);
    let (mut worst_loss, mut worst_shock) = (Decimal::ZERO, None);
    for &shock in &params.shocks {
        let pnl = of_delta(scenario_move(inverse, shock)?)?;
        // A gain counts at its weight; a loss in full.
        let counted = if pnl > Decimal::ZERO {
            rounding.times(pnl, params.gain_weight)?
        } else {
            pnl
        };
        let loss = -counted;
        if loss > worst_loss {
            worst_loss = loss;
            worst_shock = Some(shock);
        }
    }
    let roll_charge = params.roll_rate.mul(gross)?;
    let basis_charge = of_delta(params.basis_rate)?.abs();
    let floor_charge = of_delta(params.floor_rate)?.abs();
    let requirement = worst_loss
        .add(roll_charge)?
        .add(basis_charge)?
        .max(floor_charge);
    Ok(Unit {
        worst_loss,
        worst_shock,
        roll_charge,
        basis_charge,
        floor_charge,
        requirement,
        maintenance_margin: params.mm_factor.mul(requirement)?,
        initial_margin: params.im_factor.mul(requirement)?,
        delta,
        gross,
        mm_per: Decimal::ZERO,
    })
}

/// The unit whose positions are `members`, at their marks (`mark(i)`:
/// position `i`'s); with its maintenance margin per unit of the asset's
/// price (the same charges with every mark at its ratio to the asset's
/// price, as at a price of 1).
pub(crate) fn unit(
    model: &Model,
    params: &Portfolio,
    members: &[usize],
    mark: impl Fn(usize) -> Decimal,
) -> Calc<Unit> {
    let mut legs = Vec::with_capacity(members.len());
    let mut per_price = Vec::with_capacity(members.len());
    let mut inverse = false;
    for &i in members {
        let p = &model.positions[i];
        let m = &model.markets[p.market];
        inverse = m.settlement == Settlement::Inverse;
        let size = crate::engine::market::size(m, p.qty)?;
        let signed = match p.side {
            crate::engine::scenario::Side::Long => size,
            crate::engine::scenario::Side::Short => -size,
        };
        legs.push(Leg {
            signed,
            mark: mark(i),
        });
        per_price.push(Leg {
            signed,
            mark: m.ratio()?,
        });
    }
    let mut unit = charges(params, inverse, &legs)?;
    unit.mm_per = charges(params, inverse, &per_price)?.maintenance_margin;
    Ok(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().expect("a decimal")
    }

    fn params(shocks: &[&str]) -> Portfolio {
        Portfolio {
            shocks: shocks.iter().map(|s| d(s)).collect(),
            gain_weight: Decimal::ZERO,
            roll_rate: d("0.01"),
            basis_rate: Decimal::ZERO,
            floor_rate: Decimal::ZERO,
            mm_factor: d("0.8"),
            im_factor: Decimal::ONE,
        }
    }

    /// Deribit's documented example (`private/pme/simulate`): a BTC
    /// perpetual long of 20,731.40 USD at 65,910.57 and a June future short
    /// of 80.006 USD at 67,371.75, inverse, ±16 % in four steps, 1 % roll.
    #[test]
    fn deribits_documented_example() {
        let p = params(&[
            "-0.16", "-0.12", "-0.08", "-0.04", "0", "0.04", "0.08", "0.12", "0.16",
        ]);
        let legs = [
            Leg {
                signed: d("20731.40285810748"),
                mark: d("65910.57"),
            },
            Leg {
                signed: d("-80.00624376450"),
                mark: d("67371.75"),
            },
        ];
        let u = charges(&p, true, &legs).expect("charges");
        let close = |got: Decimal, want: &str, tol: &str| {
            assert!((got - d(want)).abs() <= d(tol), "{got} vs {want}");
        };
        close(u.worst_loss, "0.05968587238095239", "1e-15");
        assert_eq!(u.worst_shock, Some(d("-0.16")));
        close(u.roll_charge, "0.00315725898", "1e-11");
        close(u.initial_margin, "0.06284313098", "1e-9");
        close(u.maintenance_margin, "0.050274504784", "1e-9");
    }

    #[test]
    fn a_unit_with_no_net_delta_pays_only_its_roll_charge() {
        let p = params(&["-0.1", "0", "0.1"]);
        let legs = [
            Leg {
                signed: d("2"),
                mark: d("100"),
            },
            Leg {
                signed: d("-2"),
                mark: d("100"),
            },
        ];
        let u = charges(&p, false, &legs).expect("charges");
        assert_eq!(u.worst_loss, Decimal::ZERO);
        assert_eq!(u.delta, Decimal::ZERO);
        assert_eq!(u.requirement, d("4")); // 1 % of a gross of 400
        assert_eq!(u.worst_shock, None);
    }

    #[test]
    fn a_gain_counts_at_its_weight_and_the_floor_holds() {
        let mut p = params(&["-0.1", "0.1"]);
        p.roll_rate = Decimal::ZERO;
        p.gain_weight = d("0.5");
        p.floor_rate = d("0.2");
        let long = [Leg {
            signed: d("1"),
            mark: d("100"),
        }];
        let u = charges(&p, false, &long).expect("charges");
        // The fall loses 10; a gain never raises the worst loss; the floor is 20.
        assert_eq!(u.worst_loss, d("10"));
        assert_eq!(u.requirement, d("20"));
        assert_eq!(u.floor_charge, d("20"));
    }
}
