//! Rounding for display: the one place a value is rounded, once, by a stated rule.
//!
//! - Money and ratios: half away from zero (`MidpointAwayFromZero`), the
//!   rule a trader expects from a calculator, to the precision given.
//! - Liquidation prices: toward the side where the pool is safe, so the
//!   price shown is never past the true one (a long's is rounded up, a
//!   short's down): a trader who acts at the shown price is not yet
//!   liquidated. The panels round toward the mark, which is that side
//!   until the mark crosses the price (then they show "now"); the
//!   explanation, which shows the price after that too, rounds toward the
//!   side its equation names (`LiquidationWhy::safe_above`).
//!
//! The report itself is never rounded (28 significant digits); only text is.

use super::decimal_text::DecimalText;
use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds half away from zero to `dp` decimal places.
pub fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Rounds `price` to `dp` places in the direction of `mark`.
pub fn round_toward(price: Decimal, mark: Decimal, dp: u32) -> Decimal {
    round_up_or_down(price, mark > price, dp)
}

/// Rounds `price` to `dp` places up (`up`) or down.
pub fn round_up_or_down(price: Decimal, up: bool, dp: u32) -> Decimal {
    let strategy = if up {
        RoundingStrategy::ToPositiveInfinity
    } else {
        RoundingStrategy::ToNegativeInfinity
    };
    price.round_dp_with_strategy(dp, strategy)
}

/// Decimal places that show a price of this size to about six significant
/// digits: 2 for 60,000, 4 for 1.2345, 8 for 0.00001234.
pub fn price_places(price: Decimal) -> u32 {
    let p = price.abs();
    if p >= Decimal::from(1000) || p.is_zero() {
        2
    } else {
        // Digits before the first significant one, plus five more.
        let mut places = 0u32;
        let mut x = p;
        while x < Decimal::from(100) && places < 20 {
            x = super::num::times(x, Decimal::TEN).unwrap_or(Decimal::MAX);
            places += 1;
        }
        (places + 2).min(20)
    }
}

/// `1234567.891` with 2 places → `1,234,567.89`: grouped thousands, fixed places.
/// (Written from the decimal's own digits: the panels show hundreds of these
/// at every tick of a drag, and `format!` costs several times as much.)
pub fn grouped(d: Decimal, dp: u32) -> String {
    let r = round(d, dp);
    let digits = DecimalText::new(r.abs());
    let text = digits.as_str();
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let places = dp as usize;
    let mut out = String::with_capacity(int.len() + int.len() / 3 + places + 4);
    if r.is_sign_negative() && !r.is_zero() {
        out.push('−');
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if places > 0 {
        // The text has no trailing zeros, and at most `dp` places once rounded.
        out.push('.');
        out.push_str(frac);
        out.extend(std::iter::repeat_n('0', places.saturating_sub(frac.len())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("literal")
    }

    #[test]
    fn money_rounds_half_away_from_zero() {
        assert_eq!(round(d("2.345"), 2), d("2.35"));
        assert_eq!(round(d("-2.345"), 2), d("-2.35"));
        assert_eq!(round(d("2.344"), 2), d("2.34"));
    }

    #[test]
    fn liquidation_prices_round_toward_the_mark() {
        // A long (liquidation below the mark) rounds up; a short rounds down.
        assert_eq!(
            round_toward(d("57228.9156626506"), d("60000"), 2),
            d("57228.92")
        );
        assert_eq!(
            round_toward(d("63286.8525896414"), d("60000"), 2),
            d("63286.85")
        );
    }

    #[test]
    fn grouping_keeps_every_digit_and_place() {
        // Against rust_decimal's own text of the rounded value, padded to the
        // places (core's `{:.N}` runs out of room past about 30 digits).
        for text in [
            "0",
            "-0.0",
            "1",
            "999.995",
            "-1234567.891",
            "0.000001234",
            "79228162514264337593543950335",
            "-7.9228162514264337593543950335",
            "123456789012345678.9",
            "0.5",
            "1000000",
        ] {
            for dp in 0..=20u32 {
                let r = round(d(text), dp);
                let plain = r.abs().to_string();
                let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
                let pad = "0".repeat(dp as usize - frac.len());
                let want = if dp == 0 {
                    int.to_string()
                } else {
                    format!("{int}.{frac}{pad}")
                };
                let got = grouped(d(text), dp);
                let digits: String = got.chars().filter(|&c| c != ',' && c != '−').collect();
                assert_eq!(digits, want, "{text} at {dp}");
                assert_eq!(
                    got.starts_with('−'),
                    r.is_sign_negative() && !r.is_zero(),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn grouping_and_places() {
        assert_eq!(grouped(d("1234567.891"), 2), "1,234,567.89");
        assert_eq!(grouped(d("-1000"), 0), "−1,000");
        assert_eq!(grouped(d("999.995"), 2), "1,000.00");
        assert_eq!(grouped(d("0.5"), 4), "0.5000");
        assert_eq!(price_places(d("60000")), 2);
        assert_eq!(price_places(d("143.59")), 2);
        assert_eq!(price_places(d("1.2345")), 4);
        assert_eq!(price_places(d("0.00001234")), 9);
    }
}
