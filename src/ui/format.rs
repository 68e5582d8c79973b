//! Numbers as text, through the engine's one rounding rule (`engine::display`).

use crate::engine::display::{grouped, price_places, round_up_or_down};
use crate::engine::num::times;
use rust_decimal::Decimal;

/// Money in a currency: 2 places for fiat-like quotes, 6 for coins.
pub fn money(d: Decimal, currency: &str) -> String {
    let places = if matches!(currency, "USD" | "USDT" | "USDC" | "EUR") {
        2
    } else {
        6
    };
    grouped(d, places)
}

pub fn price(d: Decimal) -> String {
    grouped(d, price_places(d))
}

/// An axis's two end labels, with the places the larger end needs: a scale
/// from 75 to 225 reads "75.00" and "225.00", not "75.000" beside "225.00"
/// (each price alone would take the places of its own size).
pub fn axis_ends(lo: Decimal, hi: Decimal) -> (String, String) {
    let places = price_places(lo.abs().max(hi.abs()));
    (grouped(lo, places), grouped(hi, places))
}

/// A liquidation price, rounded toward the mark so it is never shown past the true one.
pub fn liquidation(d: Decimal, mark: Decimal) -> String {
    liquidation_safe_side(d, mark > d)
}

/// [`liquidation`], or "none" where there is no liquidation price.
pub fn liquidation_or_none(d: Option<Decimal>, mark: Decimal) -> String {
    d.map_or_else(|| "none".into(), |d| liquidation(d, mark))
}

/// A liquidation price rounded toward the side where its pool is safe (up
/// for `safe_above`): as [`liquidation`] rounds it while the mark is on that
/// side, and the same once the mark has crossed it.
pub fn liquidation_safe_side(d: Decimal, safe_above: bool) -> String {
    let places = price_places(d);
    grouped(round_up_or_down(d, safe_above, places), places)
}

/// A fraction as a percentage with 2 places: 0.0512 → `5.12 %`.
pub fn percent(d: Decimal) -> String {
    percent_with(d, 2)
}

/// A fraction as a percentage with `places` places; one too large to be a
/// decimal times a hundred (a ratio of two extreme values) as the multiple
/// it is, `123×`, rather than a crash.
pub fn percent_with(d: Decimal, places: u32) -> String {
    match times(d, Decimal::ONE_HUNDRED) {
        Some(p) => format!("{} %", grouped(p, places)),
        None => ratio(d),
    }
}

pub fn signed_percent(d: Decimal) -> String {
    let text = percent(d);
    if d > Decimal::ZERO {
        format!("+{text}")
    } else {
        text
    }
}

pub fn ratio(d: Decimal) -> String {
    format!("{}×", grouped(d, 2))
}
