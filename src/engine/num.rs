//! Checked decimal arithmetic and the decimal text format.
//!
//! Money never touches `f64`: every operation is `rust_decimal`'s checked
//! variant, and an overflow (or a division by zero) becomes [`Overflow`],
//! which the caller turns into an [`Error`](super::Error) naming the field it
//! was computing. Modelled on Drift's `safe_math.rs`.

use rust_decimal::Decimal;
use std::str::FromStr;

/// A checked operation did not fit in a `Decimal` (about 7.9e28), or divided by zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

pub type Calc<T> = Result<T, Overflow>;

/// `checked_*` with `?`: `notional.mul(mmr)?` reads as the formula it is.
pub trait SafeMath: Sized {
    fn add(self, rhs: Self) -> Calc<Self>;
    fn sub(self, rhs: Self) -> Calc<Self>;
    fn mul(self, rhs: Self) -> Calc<Self>;
    fn div(self, rhs: Self) -> Calc<Self>;
}

impl SafeMath for Decimal {
    #[inline]
    fn add(self, rhs: Self) -> Calc<Self> {
        self.checked_add(rhs).ok_or(Overflow)
    }
    #[inline]
    fn sub(self, rhs: Self) -> Calc<Self> {
        self.checked_sub(rhs).ok_or(Overflow)
    }
    #[inline]
    fn mul(self, rhs: Self) -> Calc<Self> {
        self.checked_mul(rhs).ok_or(Overflow)
    }
    #[inline]
    fn div(self, rhs: Self) -> Calc<Self> {
        self.checked_div(rhs).ok_or(Overflow)
    }
}

/// Parses a decimal written as `123.45`, `-0.5`, `1e-9` or `2E+2`.
///
/// Returns `None` for anything else (empty, `NaN`, `1,5`, more than 28 significant
/// digits that cannot be represented), so the caller can say which field was wrong.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    let ok_chars = t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    if !ok_chars {
        return None;
    }
    if t.contains(['e', 'E']) {
        Decimal::from_scientific(t).ok()
    } else {
        Decimal::from_str(t).ok()
    }
}

/// Writes a decimal without trailing zeros and without exponent (`2E+2` -> `200`).
pub fn format_decimal(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Serializes a decimal as its normalized text (`"120"`, not `"120.0000"`):
/// the same value, without the scale that multiplication leaves behind.
pub fn ser_decimal<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_decimal(*d))
}

pub fn ser_opt_decimal<S: serde::Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => ser_decimal(d, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        parse_decimal(s).expect("test literal")
    }

    #[test]
    fn parses_plain_and_scientific() {
        assert_eq!(d("2E+2"), Decimal::from(200));
        assert_eq!(d("1e-9").to_string(), "0.000000001");
        assert_eq!(d(" 0.50 ").to_string(), "0.50");
        assert_eq!(d("-3"), Decimal::from(-3));
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        for bad in [
            "", "abc", "1,5", "NaN", "inf", "1.2.3", "--1", "0x10", "\u{661}",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        assert_eq!(Decimal::MAX.add(Decimal::ONE), Err(Overflow));
        assert_eq!(Decimal::MAX.mul(Decimal::TWO), Err(Overflow));
        assert_eq!(Decimal::ONE.div(Decimal::ZERO), Err(Overflow));
    }

    #[test]
    fn formats_without_exponent_or_trailing_zeros() {
        assert_eq!(format_decimal(d("2E+2")), "200");
        assert_eq!(format_decimal(d("1.500")), "1.5");
    }
}
