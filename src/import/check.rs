//! Our figures held against the venue's, position by position.
//!
//! The rule (docs/import.md): a figure agrees when ours differs from the
//! venue's by no more than the venue's own rounding can explain: half a unit
//! in the last place the venue printed it to, plus what half a unit in the
//! last place of each rounded input moves it. For a liquidation price the
//! inputs are the balance backing the pool and the entry price, and they
//! move the price by their size over the slope of the pool's equation there
//! (from the engine's explanation); for a maintenance margin, the mark.

use super::combine::Imported;
use super::piece::half_ulp;
use super::Check;
use crate::engine::num::{minus, plus, times};
use crate::engine::scenario::{MarginMode, Scenario, Settlement};
use crate::engine::{validate, Prepared, View};
use rust_decimal::Decimal;

fn quotient(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_div(b)
}

pub fn checks(
    s: &Scenario,
    imported: &[Imported],
    venue_total_maintenance: Option<&(String, Decimal)>,
) -> Result<Vec<Check>, String> {
    let prepared = Prepared::new(validate(s).map_err(|e| format!("{}: {}", e.path, e.message))?);
    let report = prepared
        .view(View::AsGiven)
        .map_err(|e| format!("{}: {}", e.path, e.message))?;
    let mut out = Vec::new();
    for (i, imp) in imported.iter().enumerate() {
        let p = &imp.pos;
        let Some(ours) = report.positions.get(i) else {
            continue;
        };
        let market = &s.markets[&s.positions[i].market];
        let inverse = market.settlement == Settlement::Inverse;
        let size = times(p.qty, market.contract_size.0).unwrap_or(p.qty);
        // The pool's equation's slope at our liquidation price.
        let why = prepared
            .explain_liquidation(View::AsGiven, i)
            .ok()
            .flatten();
        let liq_tolerance = match (p.venue_liquidation, ours.liquidation_price, why) {
            (Some(v), Some(at), Some(w)) => {
                let coef = minus(w.equity_coef, w.mm_coef).unwrap_or_default().abs();
                let slope = if w.per_price {
                    quotient(coef, times(at, at).unwrap_or(Decimal::MAX))
                } else {
                    Some(coef)
                };
                let moved = slope
                    .filter(|s| !s.is_zero())
                    .and_then(|s| quotient(p.inputs_rounding, s));
                moved.and_then(|m| plus(m, half_ulp(v)))
            }
            (Some(v), _, _) => Some(half_ulp(v)),
            _ => None,
        };
        // Where the venue prints no price (Binance's "0", Bybit's "": none,
        // or beyond its price range) there is nothing to hold ours against.
        let liq_ok = match (p.venue_liquidation, ours.liquidation_price) {
            (Some(v), Some(o)) => liq_tolerance
                .zip(minus(o, v))
                .is_some_and(|(t, d)| d.abs() <= t),
            (Some(_), None) => false,
            (None, _) => true,
        };
        let mm_tolerance = p.venue_maintenance.map(|v| {
            let mark = ours.mark_price;
            let per = if inverse {
                quotient(
                    times(size, ours.mmr).unwrap_or_default(),
                    times(mark, mark).unwrap_or(Decimal::MAX),
                )
            } else {
                times(size, ours.mmr)
            };
            let moved = per
                .and_then(|d| times(d, half_ulp(p.mark.unwrap_or(mark))))
                .unwrap_or_default();
            plus(half_ulp(v), moved).unwrap_or(half_ulp(v))
        });
        let mm_ok = match (p.venue_maintenance, mm_tolerance) {
            (Some(v), Some(t)) => minus(ours.maintenance_margin, v).is_some_and(|d| d.abs() <= t),
            _ => true,
        };
        let has_figure = p.venue_liquidation.is_some() || p.venue_maintenance.is_some();
        let agrees = has_figure && liq_ok && mm_ok;
        let reason = (has_figure && !agrees).then(|| {
            let pool_mm = report.pool(&ours.pool).map(|x| x.maintenance_margin);
            let missing_positions = match (venue_total_maintenance, pool_mm) {
                (Some((c, total)), Some(mm)) if *c == *ours.currency && s.positions[i].margin_mode == MarginMode::Cross => {
                    minus(*total, mm).is_some_and(|d| d.abs() > half_ulp(*total).max(Decimal::new(1, 8)))
                        .then(|| format!("positions missing from the paste: the account's maintenance margin is {total}, the pasted positions make {mm}"))
                }
                _ => None,
            };
            if imp.example_tiers {
                "a different tier table: the venue's was not pasted, so example tiers are used".to_string()
            } else if let Some(m) = missing_positions {
                m
            } else if imp.mark_elsewhere {
                "a price we do not have: the position's mark is from another response, another moment".to_string()
            } else {
                let far = match (p.venue_liquidation, ours.liquidation_price, liq_tolerance) {
                    (Some(v), Some(o), Some(t)) => minus(o, v).is_some_and(|d| d.abs() > times(t, Decimal::ONE_HUNDRED).unwrap_or(t)),
                    _ => true,
                };
                if far {
                    "a figure beyond this model or from another moment (a fee or funding reserve, another position's margin, the venue's own rules)".to_string()
                } else {
                    "rounding: the venue's printed figures carry fewer digits than the difference needs".to_string()
                }
            }
        });
        out.push(Check {
            position: ours.id.to_string(),
            venue_liquidation_price: p.venue_liquidation,
            liquidation_price: ours.liquidation_price,
            liquidation_tolerance: liq_tolerance,
            venue_maintenance_margin: p.venue_maintenance,
            maintenance_margin: Some(ours.maintenance_margin),
            maintenance_tolerance: mm_tolerance,
            agrees,
            checked: has_figure,
            reason,
        });
    }
    Ok(out)
}
