//! Labels kept apart: a chart's labels, each placed as near its own point
//! as the others let it, a line of text apart and within the chart's band.

/// Each label's baseline, in the order of `wanted` (where each would sit
/// alone): at least `gap` apart, none above `top` or below `bottom`, each
/// moved as little as that allows when the band has room for them all
/// (labels pushed down by the ones above, then up from the bottom). In
/// whole units of the chart's view box: a label needs no finer place.
pub fn spread(wanted: &[i64], gap: i64, top: i64, bottom: i64) -> Vec<i64> {
    // Top to bottom, ties in their order: an insertion sort (a chart has
    // a few labels, and a library sort is kilobytes of wasm per use).
    let mut order: Vec<usize> = Vec::with_capacity(wanted.len());
    for (i, w) in wanted.iter().enumerate() {
        let at = order
            .iter()
            .position(|&j| wanted[j] > *w)
            .unwrap_or(order.len());
        order.insert(at, i);
    }
    let mut at = wanted.to_vec();
    let mut floor = top;
    for &i in &order {
        at[i] = at[i].max(floor);
        floor = at[i].saturating_add(gap);
    }
    let mut ceiling = bottom;
    for &i in order.iter().rev() {
        at[i] = at[i].min(ceiling);
        ceiling = at[i].saturating_sub(gap);
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spread_ints(wanted: &[i64]) -> Vec<i64> {
        spread(wanted, 13, 12, 164)
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
        // Equal ones keep their order.
        assert_eq!(spread_ints(&[80, 80, 80]), [80, 93, 106]);
    }

    #[test]
    fn labels_below_the_band_come_up_into_it_and_keep_apart() {
        // Two lines ending at the bottom: the lower label at the band's
        // bottom, the other a line above it; one above the band comes down.
        assert_eq!(spread_ints(&[190, 170, 2]), [164, 151, 12]);
    }
}
