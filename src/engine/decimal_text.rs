//! The decimal text format: numbers read from what a person or a file
//! writes (`0.5`, `1e-9`), and written without exponent or trailing zeros.

use rust_decimal::Decimal;
use std::str::FromStr;

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

/// Digits a group of [`DecimalText::digits`] holds at most: 10^9.
const GROUP: u64 = 1_000_000_000;

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
        // Nine digits at a time, each group in 32 bits, where dividing by a
        // constant is a multiplication (a 64-bit division is a hardware
        // divide in wasm, and a u128 one a software routine). A mantissa
        // beyond 64 bits (below 2^96) is first cut down by long division of
        // its three 32-bit words: twice at most, since 2^96 / 10^18 < 2^64.
        let mut rest = match u64::try_from(m) {
            Ok(small) => small,
            Err(_) => {
                let mut words = [(m >> 64) as u32, (m >> 32) as u32, m as u32];
                loop {
                    let mut group = 0u64;
                    for word in &mut words {
                        let part = (group << 32) | u64::from(*word);
                        *word = (part / GROUP) as u32;
                        group = part % GROUP;
                    }
                    text.digits(group as u32, 9);
                    if words[0] == 0 {
                        break (u64::from(words[1]) << 32) | u64::from(words[2]);
                    }
                }
            }
        };
        while rest >= GROUP {
            text.digits((rest % GROUP) as u32, 9);
            rest /= GROUP;
        }
        // The leading group, never zero (the mantissa is not), unpadded.
        text.digits(rest as u32, 0);
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
    fn digits(&mut self, mut n: u32, width: usize) {
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

    /// Every power of ten a mantissa holds, one below and one above it, at
    /// every scale: the edges of the nine-digit groups the text is written in
    /// (a group of zeros inside a number, a leading group of one digit).
    #[test]
    fn text_at_the_edges_of_each_group() {
        for k in 0..=28u32 {
            let p = 10i128.pow(k);
            for m in [p - 1, p, p + 1, 2 * p, p * 9 + 1] {
                for scale in 0..=28 {
                    for m in [m, -m] {
                        let Ok(d) = Decimal::try_from_i128_with_scale(m, scale) else {
                            continue;
                        };
                        assert_eq!(
                            DecimalText::new(d).as_str(),
                            d.normalize().to_string(),
                            "{m} at scale {scale}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn formats_without_exponent_or_trailing_zeros() {
        assert_eq!(format_decimal(d("2E+2")), "200");
        assert_eq!(format_decimal(d("1.500")), "1.5");
    }
}
