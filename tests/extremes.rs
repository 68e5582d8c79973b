//! Numbers at the edges of what a decimal holds: every figure is checked
//! against exact rational arithmetic, or the evaluation is refused with an
//! error that names the field and says overflow or underflow. Never a panic,
//! never a value silently rounded away.
#![cfg(not(target_arch = "wasm32"))]

use marginscope::engine::num::MIN_DIGITS;
use marginscope::engine::sample;
use marginscope::engine::scenario::{
    MarginBasis, MarginMode, Market, Num, Position, Scenario, Settlement, Side, Tier,
};
use marginscope::engine::{self, Error, ErrorKind, Evaluation};
use num_bigint::BigInt;
use num_rational::BigRational;
use proptest::prelude::*;
use rust_decimal::Decimal;

type Q = BigRational;

fn q(d: Decimal) -> Q {
    Q::new(BigInt::from(d.mantissa()), BigInt::from(10).pow(d.scale()))
}

fn abs(x: &Q) -> Q {
    if x < &Q::from_integer(0.into()) {
        -x.clone()
    } else {
        x.clone()
    }
}

/// The engine promises every rounded result at least `MIN_DIGITS` significant
/// digits; a figure is a few operations, so it may be off by a few units of
/// the last of them.
fn epsilon() -> Q {
    Q::new(4.into(), BigInt::from(10).pow(MIN_DIGITS - 1))
}

/// `reported` is `exact` to within `epsilon` of `magnitude` (the size of the
/// terms it is made of: a difference of large terms is only as exact as they are).
fn assert_close(what: &str, reported: Decimal, exact: &Q, magnitude: &Q) {
    let error = abs(&(q(reported) - exact));
    let bound = epsilon() * magnitude;
    assert!(
        error <= bound,
        "{what}: reported {reported}, exactly {exact} (off by {error}, allowed {bound})"
    );
}

/// A decimal anywhere in its range: the extremes themselves, any number of
/// digits at any scale, and (most often, so that whole portfolios come out
/// valid) the 1e-12 to 1e15 a market can really have.
fn extreme() -> impl Strategy<Value = Decimal> {
    let digits = |max_digits: u32, max_scale: u32| {
        (1..=max_digits, 0..=max_scale, any::<u128>()).prop_map(|(digits, scale, bits)| {
            let mantissa = (bits % 10u128.pow(digits)).max(1);
            Decimal::from_i128_with_scale(mantissa as i128, scale)
        })
    };
    prop_oneof![
        1 => Just(Decimal::MAX),
        1 => Just(Decimal::new(1, 28)),
        1 => Just(Decimal::ONE),
        4 => digits(28, 28),
        8 => digits(15, 12),
    ]
}

/// A maintenance rate, leverage or similar: extreme too, but mostly in range.
fn rate() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        3 => (1i64..10_000).prop_map(|n| Decimal::new(n, 4)),
        1 => extreme(),
    ]
}

#[derive(Debug, Clone)]
struct Case {
    price: Decimal,
    wallet_quote: Decimal,
    wallet_coin: Decimal,
    linear_size: Decimal,
    inverse_size: Decimal,
    mmr: Decimal,
    positions: Vec<(bool, Side, Decimal, Decimal, Decimal, Option<Decimal>)>,
}

prop_compose! {
    fn case()(
        price in extreme(),
        wallet_quote in extreme(),
        wallet_coin in extreme(),
        linear_size in prop_oneof![Just(Decimal::ONE), extreme()],
        inverse_size in prop_oneof![Just(Decimal::from(100)), extreme()],
        mmr in rate(),
        positions in prop::collection::vec(
            (any::<bool>(), any::<bool>(), extreme(), extreme(), rate(), prop::option::of(extreme())),
            1..5,
        ),
    ) -> Case {
        let mut seen = Vec::new();
        let positions = positions
            .into_iter()
            .map(|(inverse, long, qty, entry, lev, margin)| {
                let side = if long { Side::Long } else { Side::Short };
                (inverse, side, qty, entry, lev.checked_mul(Decimal::from(100)).map_or(lev, |l| l + Decimal::ONE), margin)
            })
            .filter(|p| {
                let fresh = !seen.contains(&(p.0, p.1));
                seen.push((p.0, p.1));
                fresh
            })
            .collect();
        Case { price, wallet_quote, wallet_coin, linear_size, inverse_size, mmr, positions }
    }
}

const LINEAR: &str = "XUSD";
const INVERSE: &str = "XUSD_INV";

fn market(settlement: Settlement, size: Decimal, mmr: Decimal) -> Market {
    Market {
        asset: "X".into(),
        settlement,
        contract_size: Num(size),
        margin_basis: MarginBasis::Mark,
        tiers: vec![Tier {
            notional_floor: Num(Decimal::ZERO),
            notional_cap: None,
            mmr: Num(mmr),
            maintenance_amount: None,
            max_leverage: None,
        }],
        source: None,
        premium: None,
        fees: None,
        funding: None,
        isolated_margin_rule: Default::default(),
    }
}

fn scenario(c: &Case) -> Scenario {
    let mut s = Scenario {
        quote: "USD".into(),
        hedge_mode: true,
        ..Scenario::default()
    };
    s.prices.insert("X".into(), Num(c.price));
    s.wallet.insert("USD".into(), Num(c.wallet_quote));
    s.wallet.insert("X".into(), Num(c.wallet_coin));
    s.markets.insert(
        LINEAR.into(),
        market(Settlement::Linear, c.linear_size, c.mmr),
    );
    s.markets.insert(
        INVERSE.into(),
        market(Settlement::Inverse, c.inverse_size, c.mmr),
    );
    for (inverse, side, qty, entry, leverage, margin) in &c.positions {
        s.positions.push(Position {
            id: None,
            market: if *inverse { INVERSE } else { LINEAR }.into(),
            side: *side,
            qty: Num(*qty),
            entry_price: Num(*entry),
            margin_mode: if margin.is_some() {
                MarginMode::Isolated
            } else {
                MarginMode::Cross
            },
            leverage: Some(Num(*leverage)),
            isolated_margin: margin.map(Num),
            opened_as: None,
            costs_paid: None,
        });
    }
    s
}

/// A refusal must say where and why, and say overflow or underflow when that is the cause.
fn assert_clear(e: &Error) {
    assert!(!e.message.is_empty(), "an error without words: {e:?}");
    match e.kind {
        ErrorKind::Overflow => {
            assert!(!e.path.is_empty() && e.message.contains("overflow"), "{e}")
        }
        ErrorKind::Underflow => {
            assert!(!e.path.is_empty() && e.message.contains("underflow"), "{e}")
        }
        ErrorKind::Invalid => assert!(!e.path.is_empty(), "{e}"),
        ErrorKind::Format | ErrorKind::Limit => panic!("a built scenario is never {e}"),
    }
}

/// Every position's figures and the cross pool's equity, against exact rationals.
fn check_exact(c: &Case, e: &Evaluation) {
    let zero = Q::from_integer(0.into());
    let price = q(c.price);
    let mmr = q(c.mmr);
    let mut cross_equity = q(c.wallet_quote);
    let mut cross_terms = abs(&cross_equity);
    for ((inverse, side, qty, entry, leverage, margin), r) in c.positions.iter().zip(&e.positions) {
        let id = &r.id;
        let sign = Q::from_integer(if *side == Side::Long { 1 } else { -1 }.into());
        let size = q(*qty)
            * q(if *inverse {
                c.inverse_size
            } else {
                c.linear_size
            });
        let entry = q(*entry);
        let (notional, pnl, pnl_terms) = if *inverse {
            let (at_entry, now) = (&size / &entry, &size / &price);
            (
                now.clone(),
                &sign * (&at_entry - &now),
                abs(&at_entry) + abs(&now),
            )
        } else {
            let (at_entry, now) = (&size * &entry, &size * &price);
            (
                now.clone(),
                &sign * (&now - &at_entry),
                abs(&(&now - &at_entry)),
            )
        };
        assert_close(
            &format!("{id} notional"),
            r.notional,
            &notional,
            &abs(&notional),
        );
        assert_close(&format!("{id} value"), r.value, &notional, &abs(&notional));
        assert_close(&format!("{id} pnl"), r.pnl, &pnl, &pnl_terms);
        let mm = &notional * &mmr;
        assert_close(
            &format!("{id} maintenance margin"),
            r.maintenance_margin,
            &mm,
            &abs(&mm),
        );
        let im = &notional / q(*leverage);
        assert_close(
            &format!("{id} initial margin"),
            r.initial_margin,
            &im,
            &abs(&im),
        );
        match margin {
            Some(m) if !*inverse => {
                cross_equity -= q(*m);
                cross_terms += q(*m);
                check_isolated_liquidation(
                    r.liquidation_price,
                    &sign,
                    &size,
                    &entry,
                    &q(*m),
                    &mmr,
                    id,
                );
            }
            Some(_) => {}
            None if !*inverse => {
                cross_equity += &pnl;
                cross_terms += &pnl_terms;
            }
            None => {}
        }
    }
    if let Some(pool) = e.pool("cross") {
        assert_close("cross equity", pool.equity, &cross_equity, &cross_terms);
    }
    assert!(e
        .positions
        .iter()
        .all(|p| p.liquidation_price.is_none_or(|l| q(l) > zero)));
}

/// One linear isolated position, one tier: `m + sQ(P − e) = QP·mmr` at
/// `P = (sQe − m) / (Q(s − mmr))`.
fn check_isolated_liquidation(
    reported: Option<Decimal>,
    sign: &Q,
    size: &Q,
    entry: &Q,
    margin: &Q,
    mmr: &Q,
    id: &str,
) {
    let zero = Q::from_integer(0.into());
    let slope = size * (sign - mmr);
    if slope == zero {
        return;
    }
    let root = (sign * size * entry - margin) / &slope;
    let in_range = root > zero && root < q(Decimal::MAX);
    match reported {
        Some(p) => {
            let magnitude = (abs(&(size * entry)) + abs(margin)) / abs(&slope);
            assert_close(&format!("{id} liquidation price"), p, &root, &magnitude);
        }
        // None only when no positive price within the decimal range solves it.
        None => assert!(
            !in_range,
            "{id}: no liquidation price reported, but it is {root}"
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(500),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_decimals_give_exact_figures_or_a_named_error(c in case()) {
        let s = scenario(&c);
        match engine::evaluate(&s) {
            Ok(report) => check_exact(&c, &report.as_given),
            Err(e) => assert_clear(&e),
        }
    }
}

fn one_position(price: &str, qty: &str, entry: &str, wallet: &str) -> Scenario {
    let d = |t: &str| marginscope::engine::decimal_text::parse_decimal(t).expect("literal");
    scenario(&Case {
        price: d(price),
        wallet_quote: d(wallet),
        wallet_coin: Decimal::ZERO,
        linear_size: Decimal::ONE,
        inverse_size: Decimal::from(100),
        mmr: Decimal::new(5, 3),
        positions: vec![(false, Side::Long, d(qty), d(entry), Decimal::TEN, None)],
    })
}

#[test]
fn a_price_of_a_trillionth_is_computed_exactly() {
    // 1e4 contracts at 1e-12: a notional of 1e-8, and 0.5 % of it exactly.
    let r = engine::evaluate(&one_position("1e-12", "1e4", "2e-12", "1")).expect("evaluates");
    let p = &r.as_given.positions[0];
    assert_eq!(p.notional, Decimal::new(1, 8));
    assert_eq!(p.maintenance_margin, Decimal::new(5, 11));
    assert_eq!(p.pnl, Decimal::new(-1, 8));
    assert!(
        p.liquidation_price.is_none(),
        "a wallet of 1 backs a notional of 1e-8 to zero"
    );
}

#[test]
fn the_smallest_price_a_decimal_holds_is_refused_where_digits_would_be_lost() {
    // The figures at 1e-28 are exact, but a liquidation price near it
    // cannot have 16 significant digits: refused by name, not rounded.
    let mut s = one_position("1e-28", "1e20", "2e-28", "0");
    s.positions[0].margin_mode = MarginMode::Isolated;
    s.positions[0].isolated_margin = Some(Num(Decimal::new(3, 9)));
    let e = engine::evaluate(&s).expect_err("underflow");
    assert_eq!(e.kind, ErrorKind::Underflow, "{e}");
    assert!(
        e.message.contains("liquidation price") && e.message.contains("underflow"),
        "{e}"
    );
}

#[test]
fn a_wallet_at_the_largest_decimal_still_evaluates() {
    let r = engine::evaluate(&one_position(
        "60000",
        "1",
        "61000",
        "79228162514264337593543950335",
    ))
    .expect("a loss on the largest wallet fits");
    assert_eq!(
        r.as_given.pool("cross").expect("cross").equity,
        Decimal::MAX - Decimal::from(1000)
    );
}

#[test]
fn a_requirement_too_small_to_keep_its_digits_is_refused_as_underflow() {
    // Notional 1e-28 (exact), but 0.5 % of it is 5e-31: below a decimal's last place.
    let e = engine::evaluate(&one_position("1e-14", "1e-14", "1e-14", "1")).expect_err("underflow");
    assert_eq!(e.kind, ErrorKind::Underflow, "{e}");
    assert_eq!(e.path, "positions[0]");
    assert!(e.message.contains("too small"), "{e}");
}

#[test]
fn a_value_past_the_largest_decimal_is_refused_as_overflow() {
    let e = engine::evaluate(&one_position(
        "79228162514264337593543950335",
        "2",
        "1",
        "1",
    ))
    .expect_err("overflow");
    assert_eq!(e.kind, ErrorKind::Overflow, "{e}");
    assert!(e.path.starts_with("positions[0]"), "{e}");
}

#[test]
fn leverage_at_its_limits() {
    // The tier's maximum is allowed, a hair above it is refused by name.
    let mut s = one_position("60000", "1", "60000", "100000");
    let tier = &mut s.markets.get_mut(LINEAR).expect("market").tiers[0];
    tier.max_leverage = Some(Num(Decimal::from(125)));
    s.positions[0].leverage = Some(Num(Decimal::from(125)));
    let r = engine::evaluate(&s).expect("125× is allowed");
    assert_eq!(r.as_given.positions[0].initial_margin, Decimal::from(480));
    s.positions[0].leverage = Some(Num(Decimal::from_i128_with_scale(
        1_250_000_000_000_000_000_000_000_001,
        25,
    )));
    let e = engine::evaluate(&s).expect_err("a hair above 125×");
    assert_eq!(e.path, "positions[0].leverage", "{e}");
    // The smallest leverage a decimal holds: an initial margin too large to hold.
    s.markets.get_mut(LINEAR).expect("market").tiers[0].max_leverage = None;
    s.positions[0].leverage = Some(Num(Decimal::new(1, 28)));
    let e = engine::evaluate(&s).expect_err("6e32 of margin");
    assert_eq!(
        (e.kind, e.path.as_str()),
        (ErrorKind::Overflow, "positions[0]"),
        "{e}"
    );
}

/// 64 tiers (the limit), floors from 1 to 1e21: each position's tier and
/// requirement, including the derived amounts, against exact arithmetic.
#[test]
fn sixty_four_tiers_choose_and_charge_exactly() {
    let mut s = one_position("1", "1", "1", "1000000");
    let mut tiers = Vec::new();
    let mut floor = Decimal::ZERO;
    for i in 0..64u32 {
        let cap = Decimal::from_i128_with_scale(10i128.pow(i / 3) * [1, 2, 5][(i % 3) as usize], 0);
        tiers.push(Tier {
            notional_floor: Num(floor),
            notional_cap: (i < 63).then_some(Num(cap)),
            mmr: Num(Decimal::new(i64::from(4 + i), 3)),
            maintenance_amount: None,
            max_leverage: None,
        });
        floor = cap;
    }
    s.markets.get_mut(LINEAR).expect("market").tiers = tiers.clone();
    s.positions[0].leverage = Some(Num(Decimal::ONE));
    for qty in [
        "0.5",
        "1",
        "3",
        "7.77",
        "1999.5",
        "2e7",
        "123456789012",
        "5e20",
        "9e21",
    ] {
        s.positions[0].qty =
            Num(marginscope::engine::decimal_text::parse_decimal(qty).expect("qty"));
        let r = engine::evaluate(&s).expect("evaluates");
        let p = &r.as_given.positions[0];
        // Exactly: the tier whose [floor, cap) holds the notional, and the
        // amount that makes the requirement continuous at every floor.
        let n = q(p.notional);
        let mut amount = Q::from_integer(0.into());
        let mut tier = 0;
        for (i, t) in tiers.iter().enumerate().skip(1) {
            if n < q(t.notional_floor.0) {
                break;
            }
            amount += q(t.notional_floor.0) * (q(t.mmr.0) - q(tiers[i - 1].mmr.0));
            tier = i;
        }
        assert_eq!(p.tier, tier + 1, "qty {qty}");
        let mm = &n * q(tiers[tier].mmr.0) - &amount;
        assert_eq!(
            q(p.maintenance_margin),
            mm,
            "qty {qty}: the requirement is exact"
        );
    }
}

#[test]
fn ten_thousand_positions_evaluate() {
    // The position limit, with every liquidation price positive.
    let s = sample::portfolio(marginscope::engine::scenario::limits::MAX_POSITIONS);
    let r = engine::evaluate(&s).expect("the limit itself is allowed");
    assert_eq!(r.as_given.positions.len(), 10_000);
    for view in [&r.as_given, &r.all_cross, &r.all_isolated] {
        assert!(view
            .positions
            .iter()
            .all(|p| p.liquidation_price.is_none_or(|l| l > Decimal::ZERO)));
    }
}

/// The opening lesson with BTC typed at 5e28: the fall that liquidates the
/// cross pool is all but the whole price, and the multiple of the prices it
/// leaves cannot keep its digits. The error names that figure.
#[test]
fn a_whole_market_move_too_small_to_keep_its_digits_is_named_as_such() {
    let mut s = marginscope::presets::opening();
    let price = marginscope::engine::decimal_text::parse_decimal("5e28").expect("a decimal");
    s.prices
        .insert("BTC".into(), marginscope::engine::scenario::Num(price));
    let e = engine::evaluate(&s).expect_err("an underflow");
    assert_eq!(e.kind, ErrorKind::Underflow, "{e}");
    assert_eq!(e.path, "account");
    assert!(e.message.starts_with("the whole-market move "), "{e}");
}
