//! Checked decimal arithmetic.
//!
//! Money never touches `f64`: every operation is `rust_decimal`'s checked
//! variant, and a result that is not exact enough becomes a [`NumError`],
//! which the caller turns into an [`Error`](super::Error) naming the field it
//! was computing. Modelled on Drift's `safe_math.rs`. The decimal text
//! format (reading and writing numbers) is [`super::decimal_text`].
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

/// A unit in the last place of a result rounded to 28 significant digits
/// (or, below 0.1, to 28 decimal places): the most its rounding moved it.
/// `None` when that does not fit in a decimal.
///
/// It is `|t| · 10⁻²⁷` as rust_decimal's product gives it (at least
/// `10⁻²⁸`), worked out in integers: the same digits 27 places down,
/// rounded half to even at the 28th place when they do not fit. Every
/// rounded sum asks it, so it stays off rust_decimal's rounding division.
pub fn ulp(t: Decimal) -> Option<Decimal> {
    let m = t.mantissa().unsigned_abs();
    let s = t.scale();
    let v = match s.checked_sub(1) {
        // At most one place: every digit fits 27 places down.
        None | Some(0) => Decimal::try_from_i128_with_scale(m as i128, s + 27).ok()?,
        Some(k) => {
            let p = *POW10.get(k as usize)?;
            let (q, r) = (m / p, m % p);
            let half = p / 2;
            let q = if r > half || (r == half && q % 2 == 1) {
                q + 1
            } else {
                q
            };
            Decimal::try_from_i128_with_scale(q as i128, MAX_SCALE).ok()?
        }
    };
    Some(v.max(Decimal::new(1, 28)))
}

/// [`ulp`] by rust_decimal's product: what it is tested against.
#[cfg(all(test, not(target_arch = "wasm32")))]
fn ulp_by_product(t: Decimal) -> Option<Decimal> {
    Some(times(t.abs(), Decimal::new(1, 27))?.max(Decimal::new(1, 28)))
}

/// How far rounding can have moved a sum from the value the model gives
/// it (docs/scenario-format.md, "Exactness and rounding"): a term rounded
/// at its 28th significant digit is off by at most a unit in that digit
/// ([`ulp`]), an exact term not at all; and each addition is off by at most
/// a unit in the last place of the largest partial sum, which the sum of
/// the terms' sizes bounds. A sum no farther from zero than that cannot be
/// told from zero ([`Rounding::settle`]).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rounding {
    /// The units in the last place of the rounded terms; `None` once a
    /// bound no longer fits in a decimal (then nothing is settled).
    ulps: Option<Decimal>,
    /// The sum of every term's size.
    size: Option<Decimal>,
    terms: u32,
}

impl Rounding {
    pub fn none() -> Rounding {
        Rounding {
            ulps: Some(Decimal::ZERO),
            size: Some(Decimal::ZERO),
            terms: 0,
        }
    }

    /// With a term known to be exact.
    pub fn exact(self, t: Decimal) -> Rounding {
        Rounding {
            size: self.size.and_then(|s| plus(s, t.abs())),
            terms: self.terms.saturating_add(1),
            ..self
        }
    }

    /// With a term that may have been rounded.
    pub fn rounded(self, t: Decimal) -> Rounding {
        Rounding {
            ulps: self.ulps.zip(ulp(t)).and_then(|(u, v)| plus(u, v)),
            ..self.exact(t)
        }
    }

    /// With a product whose factors have `places` decimal places between
    /// them: exact when it kept every one of them, else perhaps rounded. A
    /// zero is exact, whatever scale rust_decimal gives it (a product that
    /// rounded to zero is an underflow in this engine, never a zero).
    pub fn product(self, r: Decimal, places: u32) -> Rounding {
        if r.is_zero() || r.scale() == places {
            self.exact(r)
        } else {
            self.rounded(r)
        }
    }

    /// With `n` terms that add up to `total`, each of which may have been
    /// rounded (a bound: each is taken to be as large as their total).
    pub fn rounded_terms(self, total: Decimal, n: usize) -> Rounding {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        Rounding {
            ulps: self
                .ulps
                .zip(rounding_bound(total, n as usize))
                .and_then(|(u, v)| plus(u, v)),
            size: self.size.and_then(|s| plus(s, total.abs())),
            terms: self.terms.saturating_add(n),
        }
    }

    /// The rounding of a sum of both sums' terms.
    pub fn and(self, o: Rounding) -> Rounding {
        let add = |a: Option<Decimal>, b: Option<Decimal>| a.zip(b).and_then(|(a, b)| plus(a, b));
        Rounding {
            ulps: add(self.ulps, o.ulps),
            size: add(self.size, o.size),
            terms: self.terms.saturating_add(o.terms),
        }
    }

    /// The sum of the terms' sizes.
    pub fn size(self) -> Option<Decimal> {
        self.size
    }

    /// The most rounding can have moved the sum.
    pub fn bound(self) -> Option<Decimal> {
        let additions = times(self.size?, Decimal::new(1, 27))?;
        plus(self.ulps?, times(additions, Decimal::from(self.terms))?)
    }

    /// `sum · factor` (a pool's equity in the quote currency, say). A
    /// product too small to keep its digits is an underflow, unless the sum
    /// was never that exact: when rounding can have moved `sum` by more than
    /// a unit in the product's last place (over `factor`), rounding the
    /// product at its 28th decimal place loses nothing the sum had.
    pub fn times(self, sum: Decimal, factor: Decimal) -> Calc<Decimal> {
        match sum.mul(factor) {
            Err(NumError::Underflow) => {
                let lost = times(self.bound().unwrap_or_default(), factor.abs());
                match lost {
                    Some(l) if l >= Decimal::new(1, 28) => {
                        times(sum, factor).ok_or(NumError::Overflow)
                    }
                    _ => Err(NumError::Underflow),
                }
            }
            product => product,
        }
    }

    /// `sum` as the model has it: zero when no farther from zero than
    /// rounding can have moved it, else `sum` as it is.
    pub fn settle(self, sum: Decimal) -> Decimal {
        if self.clearly_beyond(sum) {
            return sum;
        }
        self.settle_by_bound(sum)
    }

    /// [`Rounding::settle`] with the bound worked out in every case: what
    /// the shortcut is tested against.
    fn settle_by_bound(self, sum: Decimal) -> Decimal {
        match self.bound() {
            Some(b) if sum.abs() <= b => Decimal::ZERO,
            _ => sum,
        }
    }

    /// Whether `sum` is certainly farther from zero than the bound, told
    /// from orders of magnitude alone (most sums are many digits beyond
    /// their rounding), so that the bound's rounded products are worked
    /// out only for a sum near it. The bound is `ulps + size·10⁻²⁷·terms`,
    /// each part rounded at its 28th digit: below `10^e` for the larger `e`
    /// of its parts, it is below `10^(e+1)`, which a sum of at least
    /// `10^(e+1)` exceeds. A bound that does not fit settles nothing, so a
    /// sum is beyond it.
    #[inline]
    fn clearly_beyond(self, sum: Decimal) -> bool {
        let (Some(ulps), Some(size)) = (self.ulps, self.size) else {
            return true;
        };
        let Some(at_least) = order_below(sum) else {
            return false;
        };
        let digits = self.terms.checked_ilog10().map_or(0, |l| l as i32 + 1);
        let parts = [
            order_above(ulps),
            order_above(size).map(|e| e - 27 + digits),
        ];
        let below = parts.into_iter().flatten().max();
        below.is_none_or(|e| at_least > e)
    }
}

/// An `e` with `|d| < 10^e`, from the bit length of `d`'s mantissa (cheap,
/// and never too small: `0.30103 > log₁₀ 2`); `None` for zero.
#[inline]
fn order_above(d: Decimal) -> Option<i32> {
    let bits = 128 - d.mantissa().unsigned_abs().leading_zeros();
    (bits > 0).then(|| (bits as i32 * 30_103 + 99_999) / 100_000 - d.scale() as i32)
}

/// An `e` with `|d| ≥ 10^e` (`0.30102 < log₁₀ 2`); `None` for zero.
#[inline]
fn order_below(d: Decimal) -> Option<i32> {
    let bits = 128 - d.mantissa().unsigned_abs().leading_zeros();
    (bits > 0).then(|| (bits as i32 - 1) * 30_102 / 100_000 - d.scale() as i32)
}

/// The most that rounding can have moved a sum of `roundings` values and
/// partial sums, each exact or rounded, whose sizes add up to at most
/// `magnitude` (a bound: every one of them is counted as rounded). `None`
/// when the bound itself does not fit in a decimal.
pub fn rounding_bound(magnitude: Decimal, roundings: usize) -> Option<Decimal> {
    times(ulp(magnitude)?, Decimal::from(roundings as u64))
}

/// A dimensionless ratio (margin ratio, leverage): rounded at its 28th decimal
/// place however small it is, because it is only compared with 1 or shown
/// as a percentage, where 1e-28 is nothing; and none where it is beyond a
/// decimal (a requirement 7.9e28 times an equity all but gone: the pool's
/// status says what it is), never an error for the whole report. Money is
/// divided with `div`.
pub fn ratio(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_div(b)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::decimal_text::parse_decimal;

    fn d(s: &str) -> Decimal {
        parse_decimal(s).expect("test literal")
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
    mod signs {
        use super::*;
        use proptest::prelude::*;

        /// A decimal of any mantissa size and scale, either sign.
        fn decimal() -> impl Strategy<Value = Decimal> {
            (
                any::<(u32, u32, u32)>(),
                0u32..=28,
                any::<bool>(),
                0usize..3,
            )
                .prop_map(|((lo, mid, hi), scale, negative, width)| {
                    // Small mantissas as often as wide ones.
                    let (mid, hi) = match width {
                        0 => (0, 0),
                        1 => (mid, 0),
                        _ => (mid, hi),
                    };
                    Decimal::from_parts(lo, mid, hi, negative, scale)
                })
        }

        proptest::proptest! {
            #![proptest_config(ProptestConfig::with_cases(20_000))]
            /// Settling by orders of magnitude gives what the bound gives,
            /// for sums near their bound (the same digits, shifted by a
            /// few places either way) and far from it.
            #[test]
            fn settling_by_magnitude_is_settling_by_the_bound(
                terms in proptest::collection::vec((decimal(), any::<bool>()), 0..6),
                sum in decimal(),
                near in any::<bool>(),
                shift in -3i64..=3,
            ) {
                let mut r = Rounding::none();
                for (t, rounded) in &terms {
                    r = if *rounded { r.rounded(*t) } else { r.exact(*t) };
                }
                // Near: the bound itself, a few places larger or smaller.
                let sum = match (near, r.bound()) {
                    (true, Some(b)) if !b.is_zero() => {
                        let ten = Decimal::from(10i64.pow(shift.unsigned_abs() as u32));
                        let moved = if shift >= 0 { times(b, ten) } else { b.checked_div(ten) };
                        moved.map_or(sum, |m| if sum.is_sign_negative() { -m } else { m })
                    }
                    _ => sum,
                };
                prop_assert_eq!(r.settle(sum).serialize(), r.settle_by_bound(sum).serialize());
            }

            /// A unit in the last place in integers is rust_decimal's
            /// product, digit for digit and scale for scale.
            #[test]
            fn a_unit_in_the_last_place_is_rust_decimals_product(
                t in decimal(),
                tie in any::<bool>(),
                k in 2u32..=28,
            ) {
                // Ties: a mantissa ending in 5 and zeros, at a scale that rounds there.
                let t = if tie {
                    let m = t.mantissa().unsigned_abs() % 1_000_000 * 10u128.pow(k - 1) + 5 * 10u128.pow(k - 2);
                    Decimal::from_i128_with_scale((m % (1u128 << 96)) as i128, k)
                } else {
                    t
                };
                prop_assert_eq!(ulp(t).map(|u| u.serialize()), ulp_by_product(t).map(|u| u.serialize()));
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
    }
}
