//! Labels kept apart: a chart's labels, each placed as near its own point
//! as the others let it, a line of text apart and within the chart's band.

use crate::engine::num::{minus, plus};
use rust_decimal::Decimal;

/// Each label's baseline, in the order of `wanted` (where each would sit
/// alone): at least `gap` apart, none above `top` or below `bottom`, each
/// moved as little as that allows when the band has room for them all
/// (labels pushed down by the ones above, then up from the bottom).
pub fn spread(wanted: &[Decimal], gap: Decimal, top: Decimal, bottom: Decimal) -> Vec<Decimal> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by_key(|&i| wanted[i]);
    let mut at = wanted.to_vec();
    let mut floor = top;
    for &i in &order {
        at[i] = at[i].max(floor);
        floor = plus(at[i], gap).unwrap_or(at[i]);
    }
    let mut ceiling = bottom;
    for &i in order.iter().rev() {
        at[i] = at[i].min(ceiling);
        ceiling = minus(at[i], gap).unwrap_or(at[i]);
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: i64) -> Decimal {
        Decimal::from(v)
    }

    fn spread_ints(wanted: &[i64]) -> Vec<i64> {
        let wanted: Vec<Decimal> = wanted.iter().map(|&v| d(v)).collect();
        spread(&wanted, d(13), d(12), d(164))
            .into_iter()
            .map(|v| i64::try_from(v.mantissa()).unwrap_or(i64::MAX))
            .collect()
    }

    #[test]
    fn labels_far_apart_stay_where_they_are() {
        assert_eq!(spread_ints(&[40, 100, 150]), [40, 100, 150]);
        assert_eq!(spread_ints(&[]), Vec::<i64>::new());
    }

    #[test]
    fn labels_too_close_are_pushed_a_line_apart_in_their_order() {
        // The second is pushed down from the first; the order is kept.
        assert_eq!(spread_ints(&[100, 50, 105]), [100, 50, 113]);
    }

    #[test]
    fn labels_below_the_band_come_up_into_it_and_keep_apart() {
        // Two lines ending at the bottom: the lower label at the band's
        // bottom, the other a line above it; one above the band comes down.
        assert_eq!(spread_ints(&[190, 170, 2]), [164, 151, 12]);
    }
}
