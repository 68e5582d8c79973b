//! Checked decimal arithmetic and the decimal text format.
//!
//! Money never touches `f64`: every operation is `rust_decimal`'s checked
//! variant, and a result that is not exact enough becomes a [`NumError`],
//! which the caller turns into an [`Error`](super::Error) naming the field it
//! was computing. Modelled on Drift's `safe_math.rs`.
//!
//! What "exact enough" means: a sum, difference or product is exact unless
//! its digits do not fit in 28 significant digits, where it is rounded at the
//! 28th (one part in 10^27: well past any currency's smallest unit for any
//! value a person can enter). A quotient is rounded the same way. The one
//! loss that would matter is at the other end: a decimal has at most 28
//! places after the point, so a tiny product or quotient (`1e-20 · 1e-20`)
//! would silently become a few digits or zero. That is an
//! [`NumError::Underflow`] unless the result is exact, so every value the
//! engine reports keeps at least [`MIN_DIGITS`] significant digits.

use rust_decimal::Decimal;
use std::str::FromStr;

/// Why a checked operation has no trustworthy result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumError {
    /// Larger than a decimal holds (about 7.9e28), or a division by zero.
    Overflow,
    /// A rounded result too small to keep [`MIN_DIGITS`] significant digits.
    Underflow,
}

pub type Calc<T> = Result<T, NumError>;

/// Significant digits every rounded result keeps: as many as a double-
/// precision float carries, for values down to 1e-12 (at 28 decimal places);
/// 28 for any value from 0.1 up.
pub const MIN_DIGITS: u32 = 16;

/// The largest scale a decimal has.
const MAX_SCALE: u32 = 28;

/// Results at least `10^(MIN_DIGITS − 1 − 28)` in size keep `MIN_DIGITS`
/// digits however they were rounded: with `s` places, a mantissa of at
/// least `10^(s − SMALL_PLACES)`.
const SMALL_PLACES: u32 = MAX_SCALE + 1 - MIN_DIGITS;

const POW10: [u128; 29] = {
    let mut t = [1u128; 29];
    let mut i = 1;
    while i < 29 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// Whether `r`, rounded or not, is large enough to keep `MIN_DIGITS` digits.
/// (A rounded result may have dropped trailing zeros, so its scale alone
/// does not say whether it was rounded.)
#[inline]
fn keeps_digits(r: Decimal) -> bool {
    let m = r.mantissa().unsigned_abs();
    let floor = POW10.get(r.scale().saturating_sub(SMALL_PLACES) as usize);
    m != 0 && floor.is_some_and(|f| m >= *f)
}

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
        self.checked_add(rhs).ok_or(NumError::Overflow)
    }
    #[inline]
    fn sub(self, rhs: Self) -> Calc<Self> {
        self.checked_sub(rhs).ok_or(NumError::Overflow)
    }
    #[inline]
    fn mul(self, rhs: Self) -> Calc<Self> {
        let r = self.checked_mul(rhs).ok_or(NumError::Overflow)?;
        // Fast path: the product kept every place it has, or is large enough
        // to keep MIN_DIGITS digits. Only a tiny product is looked at closely.
        if self.scale() + rhs.scale() <= MAX_SCALE || keeps_digits(r) {
            return Ok(r);
        }
        exact_or_underflow(product_is(self, rhs, r), r)
    }
    #[inline]
    fn div(self, rhs: Self) -> Calc<Self> {
        let r = self.checked_div(rhs).ok_or(NumError::Overflow)?;
        quotient_kept(self, rhs, r)
    }
}

/// `r`, the quotient `a / b` that `checked_div` gave, if it keeps its digits
/// (for a caller that needed the quotient before knowing it would use it).
#[inline]
pub fn quotient_kept(a: Decimal, b: Decimal, r: Decimal) -> Calc<Decimal> {
    if keeps_digits(r) {
        return Ok(r);
    }
    exact_or_underflow(a.is_zero() || product_is(r, b, a), r)
}

/// The rare path, kept out of line so that `mul` and `div` stay small.
#[cold]
#[inline(never)]
fn exact_or_underflow(exact: bool, r: Decimal) -> Calc<Decimal> {
    if exact {
        Ok(r)
    } else {
        Err(NumError::Underflow)
    }
}

/// rust_decimal's `checked_add`, `checked_sub` and `checked_mul`, out of
/// line: its algorithms are `#[inline(always)]`, so every direct call would
/// carry a copy of one (over a kilobyte of the app's wasm each). For code
/// off the hot path, where [`SafeMath`] (one copy, inlined where it is
/// hot) does not fit: bounds, checks and the UI's own sums.
#[inline(never)]
pub fn plus(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_add(b)
}

/// See [`plus`].
#[inline(never)]
pub fn minus(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_sub(b)
}

/// See [`plus`].
#[inline(never)]
pub fn times(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_mul(b)
}

/// A dimensionless ratio (margin ratio, leverage): rounded at its 28th decimal
/// place however small it is, because it is only compared with 1 or shown
/// as a percentage, where 1e-28 is nothing. Money is divided with `div`.
pub fn ratio(a: Decimal, b: Decimal) -> Calc<Decimal> {
    a.checked_div(b).ok_or(NumError::Overflow)
}

/// Whether `a · b` is exactly `r`, in integers: `ma · mb == mr · 10^k`. When
/// a side does not fit in 128 bits, the answer is "no": at worst a product
/// that was exact is refused, never a rounded one accepted.
#[cold]
#[inline(never)]
fn product_is(a: Decimal, b: Decimal, r: Decimal) -> bool {
    let negative = (a.is_sign_negative() != b.is_sign_negative()) && !a.is_zero() && !b.is_zero();
    if !r.is_zero() && r.is_sign_negative() != negative {
        return false;
    }
    let exact = a
        .mantissa()
        .unsigned_abs()
        .checked_mul(b.mantissa().unsigned_abs());
    let places = (a.scale() + b.scale()).checked_sub(r.scale());
    let scaled = places
        .and_then(|k| 10u128.checked_pow(k))
        .and_then(|p| r.mantissa().unsigned_abs().checked_mul(p));
    matches!((exact, scaled), (Some(x), Some(y)) if x == y)
}

/// Parses a decimal written as `123.45`, `-0.5`, `1e-9` or `2E+2`.
///
/// Returns `None` for anything else (empty, `NaN`, `1,5`, more than 28 significant
/// digits that cannot be represented), so the caller can say which field was wrong.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    if let Some(d) = plain_decimal(text.as_bytes()) {
        return Some(d);
    }
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

/// How a number [`parse_decimal`] refuses is beyond a decimal, in words.
pub const BEYOND_DECIMAL: &str = "outside what an exact decimal holds \
    (28 significant digits, at most 28 decimal places, up to about 7.9e28)";

/// Whether `text` is written as a number (`-1.5`, `2e-3`) that
/// [`parse_decimal`] still refuses: too large, too small or too long for an
/// exact decimal. Such a value is a number all the same, and the person who
/// typed it should hear why it is refused, not that it is not a number.
pub fn beyond_decimal(text: &str) -> bool {
    let t = text.trim();
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    fn unsigned(x: &str) -> &str {
        x.strip_prefix(['-', '+']).unwrap_or(x)
    }
    let m = unsigned(mantissa);
    let mantissa_ok = m.bytes().any(|b| b.is_ascii_digit())
        && m.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && m.bytes().filter(|&b| b == b'.').count() <= 1;
    let exponent_ok = exponent.is_none_or(|e| {
        let e = unsigned(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok && parse_decimal(t).is_none()
}

/// `-?digits(.digits)?` with at most 18 digits read in one pass, exactly as
/// `Decimal::from_str` reads it (the same mantissa and scale): almost every
/// decimal in a scenario, each read at every call of the JS API. `None` for
/// anything else, which the general reader takes.
fn plain_decimal(text: &[u8]) -> Option<Decimal> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    // 64 bits: a u128 product is a routine call in wasm.
    let mut mantissa: i64 = 0;
    let mut count = 0u32;
    let mut scale: Option<u32> = None;
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                count += 1;
                if count > 18 {
                    return None;
                }
                mantissa = mantissa * 10 + i64::from(b - b'0');
                if let Some(s) = scale.as_mut() {
                    *s += 1;
                }
            }
            b'.' if scale.is_none() => scale = Some(0),
            _ => return None,
        }
    }
    let scale = scale.unwrap_or(0);
    // "5.", "-", "-0": the general reader decides (and keeps a negative zero).
    if count == 0 || (scale == 0 && digits.last() == Some(&b'.')) || (negative && mantissa == 0) {
        return None;
    }
    Decimal::try_new(if negative { -mantissa } else { mantissa }, scale).ok()
}

/// Writes a decimal without trailing zeros and without exponent (`2E+2` -> `200`).
pub fn format_decimal(d: Decimal) -> String {
    DecimalText::new(d).as_str().to_string()
}

/// A decimal's normalized text (what `normalize().to_string()` gives), built
/// in place in a buffer on the stack: a report holds some 30 decimals per
/// position, and rust_decimal's `Display` divides its 96-bit mantissa by ten
/// three words at a time for every digit, after `normalize` has done the same
/// to strip zeros. The mantissa's digits are written right-aligned, two at a
/// time; then the point, leading zeros and sign go in front of them, so that
/// the text is never copied from one buffer into another.
pub struct DecimalText {
    buf: [u8; 40],
    /// The text is `buf[start..end]`.
    start: usize,
    end: usize,
}

const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

impl DecimalText {
    pub fn new(d: Decimal) -> DecimalText {
        let mut text = DecimalText {
            buf: [b'0'; 40],
            start: 40,
            end: 40,
        };
        let m = d.mantissa().unsigned_abs();
        if m == 0 {
            text.start = 39;
            return text;
        }
        match u64::try_from(m) {
            Ok(small) => text.digits(small, 0),
            Err(_) => {
                // Nine digits at a time by long division of its three 32-bit
                // words: 64-bit steps, where dividing the u128 itself is a
                // software routine (on wasm32 above all). Below 2^96.
                let mut words = [(m >> 64) as u32, (m >> 32) as u32, m as u32];
                loop {
                    let mut rest = 0u64;
                    for word in &mut words {
                        let part = (rest << 32) | u64::from(*word);
                        *word = (part / 1_000_000_000) as u32;
                        rest = part % 1_000_000_000;
                    }
                    if words == [0; 3] {
                        text.digits(rest, 0);
                        break;
                    }
                    text.digits(rest, 9);
                }
            }
        }
        // Trailing zeros after the point say nothing about the value.
        let mut scale = d.scale() as usize;
        while scale > 0 && text.end > text.start && text.buf.get(text.end - 1) == Some(&b'0') {
            text.end -= 1;
            scale -= 1;
        }
        let len = text.end - text.start;
        if scale >= len {
            // 0.000ddd: the zeros are already in the buffer, left of the digits.
            text.start -= scale - len;
            text.put_front(b'.');
            text.put_front(b'0');
        } else if scale > 0 {
            // The whole part moves one place left to make room for the point.
            let whole = len - scale;
            text.buf
                .copy_within(text.start..text.start + whole, text.start - 1);
            text.start -= 1;
            if let Some(point) = text.buf.get_mut(text.start + whole) {
                *point = b'.';
            }
        }
        if d.is_sign_negative() {
            text.put_front(b'-');
        }
        text
    }

    /// `n`'s digits in front of those written so far, zero-padded to `width`
    /// (the buffer starts as zeros, so padding only moves the start).
    fn digits(&mut self, mut n: u64, width: usize) {
        let end = self.start;
        while n >= 10 && self.start >= 2 {
            let pair = (n % 100) as usize * 2;
            n /= 100;
            self.start -= 2;
            if let (Some(to), Some(from)) = (
                self.buf.get_mut(self.start..self.start + 2),
                PAIRS.get(pair..pair + 2),
            ) {
                to.copy_from_slice(from);
            }
        }
        if n > 0 {
            self.put_front(b'0' + n as u8);
        }
        self.start = self.start.min(end.saturating_sub(width));
    }

    fn put_front(&mut self, byte: u8) {
        if self.start > 0 {
            self.start -= 1;
            if let Some(slot) = self.buf.get_mut(self.start) {
                *slot = byte;
            }
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits, '-' and '.' are ever written.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// The text's ASCII bytes, for a writer of bytes: checking that they are
    /// UTF-8 (`as_str`) costs as much as a third of writing them, in wasm.
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(self.start..self.end).unwrap_or_default()
    }
}

/// Serializes a decimal as its normalized text (`"120"`, not `"120.0000"`):
/// the same value, without the scale that multiplication leaves behind.
pub fn ser_decimal<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(DecimalText::new(*d).as_str())
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

    #[test]
    fn a_number_too_large_or_too_long_is_told_apart_from_one_that_is_no_number() {
        for beyond in ["1e999", "-1e29", "123456789012345678901234567890", "1e-40"] {
            assert!(beyond_decimal(beyond), "{beyond}");
        }
        for fine_or_not_a_number in [
            "1.5", "-2e3", "7.9e28", "", "abc", "1,5", "1.2.3", "1e", "--1", "e5", ".", "NaN",
        ] {
            assert!(
                !beyond_decimal(fine_or_not_a_number),
                "{fine_or_not_a_number}"
            );
        }
    }

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
        assert_eq!(Decimal::MAX.add(Decimal::ONE), Err(NumError::Overflow));
        assert_eq!(Decimal::MAX.mul(Decimal::TWO), Err(NumError::Overflow));
        assert_eq!(Decimal::ONE.div(Decimal::ZERO), Err(NumError::Overflow));
    }

    #[test]
    fn a_product_too_small_to_keep_its_digits_is_an_underflow() {
        // 1e-40 would be 0; 1.23e-26 would keep 3 digits.
        assert_eq!(d("1e-20").mul(d("1e-20")), Err(NumError::Underflow));
        assert_eq!(
            d("1.23e-13").mul(d("1.000000000000001e-13")),
            Err(NumError::Underflow)
        );
        assert_eq!(d("-1e-15").mul(d("3e-14")), Err(NumError::Underflow));
    }

    #[test]
    fn a_tiny_product_that_is_exact_is_kept() {
        // 29 places in the factors, 28 in the exact product (5 · 2 = 10).
        assert_eq!(d("5e-15").mul(d("2e-14")), Ok(d("1e-28")));
        assert_eq!(d("-1e-20").mul(d("1.0000000000")), Ok(d("-1e-20")));
        assert_eq!(
            d("0.0000000000000000000000000001").mul(Decimal::ZERO),
            Ok(Decimal::ZERO)
        );
    }

    #[test]
    fn a_product_rounded_at_its_28th_digit_is_kept() {
        // 1/3 to 28 places, times 3.1: 29 places, rounded at the 28th digit.
        let third = Decimal::ONE.div(Decimal::from(3)).expect("1/3");
        let r = third.mul(d("3.1")).expect("rounded, not refused");
        assert_eq!(r.to_string(), "1.0333333333333333333333333332");
    }

    #[test]
    fn a_quotient_keeps_twenty_digits_or_is_exact() {
        // 1/60000 (a BTC amount per dollar): 24 significant digits, kept.
        assert!(Decimal::ONE.div(Decimal::from(60_000)).is_ok());
        // 1e-12 / 3: 16 digits, kept; 1e-13 / 3: 15, refused.
        assert!(d("1e-12").div(Decimal::from(3)).is_ok());
        assert_eq!(d("1e-13").div(Decimal::from(3)), Err(NumError::Underflow));
        assert_eq!(d("1e-20").div(Decimal::from(3)), Err(NumError::Underflow));
        assert_eq!(
            d("1e-27").div(Decimal::from(1_000)),
            Err(NumError::Underflow)
        );
        assert_eq!(d("3e-27").div(Decimal::from(3)), Ok(d("1e-27")));
        assert_eq!(d("1e-28").div(Decimal::ONE), Ok(d("1e-28")));
        assert_eq!(Decimal::ZERO.div(d("7")), Ok(Decimal::ZERO));
    }

    // proptest is a native dev-dependency only.
    #[cfg(not(target_arch = "wasm32"))]
    mod text {
        use super::*;

        proptest::proptest! {
            /// The text is exactly rust_decimal's own for the normalized value,
            /// over the whole range of mantissas and scales.
            #[test]
            fn text_is_rust_decimals_normalized_text(
                lo in proptest::prelude::any::<u32>(),
                mid in proptest::prelude::any::<u32>(),
                hi in proptest::prelude::prop_oneof![proptest::prelude::Just(0u32), proptest::prelude::any::<u32>()],
                small in proptest::prelude::any::<bool>(),
                negative in proptest::prelude::any::<bool>(),
                scale in 0u32..=28,
                zeros in 0u32..=6,
            ) {
                let (mid, hi) = if small { (0, 0) } else { (mid, hi) };
                let d = Decimal::from_parts(lo, mid, hi, negative, scale);
                proptest::prop_assert_eq!(format_decimal(d), d.normalize().to_string());
                // Trailing zeros in the mantissa, as products leave them.
                let z = Decimal::from_i128_with_scale(i128::from(lo) * 10i128.pow(zeros), scale);
                proptest::prop_assert_eq!(format_decimal(z), z.normalize().to_string());
            }
        }

        proptest::proptest! {
            /// A quotient's digits and scale do not depend on the signs: the
            /// curves take a notional's `size / P` as `|(±size) / P|`, the
            /// PnL's quotient, instead of dividing twice.
            #[test]
            fn a_quotients_digits_do_not_depend_on_the_signs(
                (lo, mid, hi) in proptest::prelude::any::<(u32, u32, u32)>(),
                scale in 0u32..=28,
                (plo, pmid) in proptest::prelude::any::<(u32, u32)>(),
                pscale in 0u32..=28,
            ) {
                let a = Decimal::from_parts(lo, mid, hi, false, scale);
                let b = Decimal::from_parts(plo.max(1), pmid, 0, false, pscale);
                let (plus, minus) = (SafeMath::div(a, b), SafeMath::div(-a, b));
                proptest::prop_assert_eq!(plus.is_ok(), minus.is_ok());
                if let (Ok(p), Ok(m)) = (plus, minus) {
                    proptest::prop_assert_eq!(m.abs().serialize(), p.serialize());
                }
            }
        }

        proptest::proptest! {
            /// A plain decimal is read exactly as `Decimal::from_str` reads it:
            /// the same mantissa, scale and sign.
            #[test]
            fn a_plain_decimal_reads_as_from_str_reads_it(text in "-?[0-9]{0,30}(\\.[0-9]{0,30})?") {
                let general = Decimal::from_str(&text).ok();
                if let Some(d) = plain_decimal(text.as_bytes()) {
                    proptest::prop_assert_eq!(Some(d.serialize()), general.map(|g| g.serialize()));
                }
                proptest::prop_assert_eq!(
                    parse_decimal(&text).map(|d| d.serialize()),
                    general.map(|g| g.serialize())
                );
            }
        }
    }

    #[test]
    fn text_of_the_extremes() {
        for d in [
            Decimal::MAX,
            Decimal::MIN,
            Decimal::ZERO,
            -Decimal::ZERO,
            Decimal::new(1, 28),
            Decimal::new(-1, 28),
            Decimal::new(10, 1),
        ] {
            assert_eq!(
                DecimalText::new(d).as_str(),
                d.normalize().to_string(),
                "{d:?}"
            );
        }
    }

    #[test]
    fn formats_without_exponent_or_trailing_zeros() {
        assert_eq!(format_decimal(d("2E+2")), "200");
        assert_eq!(format_decimal(d("1.500")), "1.5");
    }
}
