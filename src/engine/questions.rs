//! The exchange calculator's questions, answered for a whole portfolio:
//! PnL and ROE at an exit price, the exit price for a target ROE, the largest
//! size that can still be opened, and the position after a fill.

use super::error::Error;
use super::market;
use super::model::{Model, Position};
use super::num::{Calc, SafeMath};
use super::report::PositionReport;
use super::scenario::{Num, Scenario, Settlement, Side};
use super::validate;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExitOutcome {
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub exit_price: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub pnl: Decimal,
    /// PnL over the margin committed at opening (entry notional / leverage).
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub roe: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaxOpen {
    /// Contracts that can be added at `leverage`.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub qty: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub notional: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub initial_margin: Decimal,
    /// The free margin it draws on (the cross pool of the settlement currency).
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub free_margin: Decimal,
    /// The largest total notional the tier table allows at this leverage (`None`: unbounded).
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub notional_limit: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FillOutcome {
    /// PnL realised on the part closed by an opposite fill (zero when adding).
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub realised_pnl: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub closed_qty: Decimal,
    /// The scenario after the fill (the realised PnL is in the wallet).
    pub scenario: Scenario,
    /// The position after the fill, evaluated; `None` when closed completely.
    pub position: Option<PositionReport>,
}

fn question_positive(name: &str, d: Decimal) -> Result<(), Error> {
    if d <= Decimal::ZERO {
        return Err(Error::invalid(
            format!("question.{name}"),
            "must be greater than 0",
        ));
    }
    Ok(())
}

fn find<'m>(model: &'m Model, id: &str) -> Result<(usize, &'m Position), Error> {
    model
        .positions
        .iter()
        .enumerate()
        .find(|(_, p)| &*p.id == id)
        .ok_or_else(|| {
            Error::invalid(
                "question.position",
                format!("no position has the id \"{id}\""),
            )
        })
}

fn over(what: &'static str) -> impl Fn(super::num::NumError) -> Error {
    move |e| Error::numeric("question", what, e)
}

/// PnL and ROE if the position were closed at `exit_price`.
pub fn pnl_at_exit(
    s: &Scenario,
    position: &str,
    exit_price: Decimal,
) -> Result<ExitOutcome, Error> {
    question_positive("exit_price", exit_price)?;
    let model = validate(s)?;
    let (_, p) = find(&model, position)?;
    let m = &model.markets[p.market];
    let pnl = market::pnl(m, p.side, p.qty, p.entry_price, exit_price).map_err(over("PnL"))?;
    let roe = pnl.div(p.entry_margin).map_err(over("ROE"))?;
    Ok(ExitOutcome {
        exit_price,
        pnl,
        roe,
    })
}

/// The exit price at which the position's ROE is `roe` (0.5 = +50 %);
/// `None` when no positive price gives it (a long cannot lose more than 100 % of notional).
pub fn exit_price_for_roe(
    s: &Scenario,
    position: &str,
    roe: Decimal,
) -> Result<Option<ExitOutcome>, Error> {
    let model = validate(s)?;
    let (_, p) = find(&model, position)?;
    let m = &model.markets[p.market];
    let calc = || -> Calc<Option<Decimal>> {
        let pnl = roe.mul(p.entry_margin)?;
        let sq = market::size(m, p.qty)?.mul(p.side.sign())?;
        let price = match m.settlement {
            // pnl = sq · (P − e)
            Settlement::Linear => p.entry_price.add(pnl.div(sq)?)?,
            // pnl = sq · (1/e − 1/P)
            Settlement::Inverse => {
                let inv = Decimal::ONE.div(p.entry_price)?.sub(pnl.div(sq)?)?;
                if inv <= Decimal::ZERO {
                    return Ok(None);
                }
                Decimal::ONE.div(inv)?
            }
        };
        Ok((price > Decimal::ZERO).then_some(price))
    };
    match calc().map_err(over("exit price"))? {
        Some(price) => pnl_at_exit(s, position, price).map(Some),
        None => Ok(None),
    }
}

/// The largest quantity of `market` that can be opened on `side` at
/// `leverage` from the free margin of the cross pool it settles in, with the
/// tier table's leverage caps applied to the resulting total notional.
pub fn max_open(
    s: &Scenario,
    market_id: &str,
    side: Side,
    leverage: Decimal,
) -> Result<MaxOpen, Error> {
    question_positive("leverage", leverage)?;
    let priced = super::margin::Prepared::new(validate(s)?);
    max_open_in(&priced, s.hedge_mode, market_id, side, leverage)
}

/// [`max_open`] on a model already validated (the app asks it at every tick).
pub fn max_open_in(
    priced: &super::margin::Prepared,
    hedge_mode: bool,
    market_id: &str,
    side: Side,
    leverage: Decimal,
) -> Result<MaxOpen, Error> {
    question_positive("leverage", leverage)?;
    let model = priced.model();
    let (mi, m) = model
        .markets
        .iter()
        .enumerate()
        .find(|(_, m)| &*m.id == market_id)
        .ok_or_else(|| {
            Error::invalid("question.market", format!("unknown market \"{market_id}\""))
        })?;
    // Only the cross pool it settles in matters, and only its sums.
    let free = priced.free_margin(m.currency())?;
    let calc = || -> Calc<MaxOpen> {
        let price = m.mark_at(model.assets[m.asset].price)?;
        // The tiers a total notional may reach at this leverage: the prefix allowing it.
        let allowed = m
            .tiers
            .iter()
            .take_while(|t| t.max_leverage.is_none_or(|l| l >= leverage))
            .count();
        let limit = if allowed == m.tiers.len() {
            None
        } else if allowed == 0 {
            Some(Decimal::ZERO)
        } else {
            m.tiers[allowed - 1].cap
        };
        let held = model
            .positions
            .iter()
            .filter(|p| p.market == mi && (p.side == side || !hedge_mode))
            .map(|p| market::notional(m, p.qty, market::basis_price(m, p.entry_price, price)))
            .try_fold(Decimal::ZERO, |acc, n| acc.add(n?))?;
        let by_margin = free.max(Decimal::ZERO).mul(leverage)?;
        let notional = match limit {
            Some(l) => by_margin.min(l.sub(held)?.max(Decimal::ZERO)),
            None => by_margin,
        };
        let size = notional_to_size(m.settlement, notional, price)?;
        Ok(MaxOpen {
            qty: size.div(m.contract_size)?,
            notional,
            initial_margin: notional.div(leverage)?,
            free_margin: free,
            notional_limit: limit,
        })
    };
    calc().map_err(over("largest size"))
}

fn notional_to_size(settlement: Settlement, notional: Decimal, price: Decimal) -> Calc<Decimal> {
    match settlement {
        Settlement::Linear => notional.div(price),
        Settlement::Inverse => notional.mul(price),
    }
}

/// The portfolio after a fill of `qty` at `price` on `side` against a position:
/// the same side averages the entry (harmonically for inverse contracts);
/// the opposite side realises PnL on the closed part and, past zero, flips
/// into a new position entered at `price`.
pub fn apply_fill(
    s: &Scenario,
    position: &str,
    side: Side,
    qty: Decimal,
    price: Decimal,
) -> Result<FillOutcome, Error> {
    question_positive("qty", qty)?;
    question_positive("price", price)?;
    let model = validate(s)?;
    let (i, p) = find(&model, position)?;
    let m = &model.markets[p.market];
    let mut next = s.clone();
    let given = &mut next.positions[i];
    let mut calc = || -> Calc<(Decimal, Decimal)> {
        if side == p.side {
            let total = p.qty.add(qty)?;
            let entry = match m.settlement {
                Settlement::Linear => p.qty.mul(p.entry_price)?.add(qty.mul(price)?)?.div(total)?,
                Settlement::Inverse => {
                    total.div(p.qty.div(p.entry_price)?.add(qty.div(price)?)?)?
                }
            };
            if let Some(margin) = given.isolated_margin {
                let added = market::notional(m, qty, price)?.div(p.leverage)?;
                given.isolated_margin = Some(Num(margin.0.add(added)?));
            }
            given.qty = Num(total);
            given.entry_price = Num(entry);
            return Ok((Decimal::ZERO, Decimal::ZERO));
        }
        let closed = qty.min(p.qty);
        let realised = market::pnl(m, p.side, closed, p.entry_price, price)?;
        let remaining = p.qty.sub(closed)?;
        let flipped = qty.sub(closed)?;
        if remaining > Decimal::ZERO {
            if let Some(margin) = given.isolated_margin {
                given.isolated_margin = Some(Num(margin.0.mul(remaining)?.div(p.qty)?));
            }
            given.qty = Num(remaining);
        } else if flipped > Decimal::ZERO {
            // A hedge-mode id names the side; let the new side's default apply.
            let old_default = format!("{}:{}", given.market, p.side.as_str());
            if given.id.as_deref() == Some(old_default.as_str()) {
                given.id = None;
            }
            given.side = side;
            given.qty = Num(flipped);
            given.entry_price = Num(price);
            given.isolated_margin = None;
        }
        Ok((realised, closed))
    };
    let (realised, closed) = calc().map_err(over("fill"))?;
    let gone = side != p.side && qty == p.qty;
    if gone {
        next.positions.remove(i);
    }
    if !realised.is_zero() {
        let currency = match m.settlement {
            Settlement::Linear => next.quote.clone(),
            Settlement::Inverse => model.assets[m.asset].name.to_string(),
        };
        let w = next.wallet.entry(currency).or_default();
        w.0 = w.0.add(realised).map_err(over("wallet balance"))?;
    }
    let position = if gone {
        None
    } else {
        let after = validate(&next)?;
        let id = next.position_id(i);
        super::margin::Prepared::new(after)
            .view(super::View::AsGiven)?
            .position(&id)
            .cloned()
    };
    Ok(FillOutcome {
        realised_pnl: realised,
        closed_qty: closed,
        scenario: next,
        position,
    })
}
