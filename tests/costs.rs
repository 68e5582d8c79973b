//! Costs over time: funding and the fee to close in PnL, equity and the
//! liquidation price. Hand-computed books (linear and inverse, long and
//! short, positive and negative rates, 1 h and 8 h intervals, mark and index
//! pricing), the properties the model promises, and extreme inputs.
#![cfg(not(target_arch = "wasm32"))]

use marginscope::engine::report::{Evaluation, PositionCosts};
use marginscope::engine::scenario::{Fees, Funding, FundingPrice, Num, Scenario};
use marginscope::engine::{evaluate, market, sample, validate, Prepared, View};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().expect("a decimal")
}

fn q(a: &str, b: &str) -> Decimal {
    d(a).checked_div(d(b)).expect("a quotient")
}

/// One isolated position on a one-tier market, with costs.
fn book(position: &str, market_extra: &str, holding: &str) -> Scenario {
    Scenario::from_json(&format!(
        r#"{{ "quote": "USD", "wallet": {{ "USD": "100000", "BTC": "1" }},
        "prices": {{ "X": "1000", "BTC": "50000" }},
        "holding_hours": "{holding}",
        "markets": {{
            "XUSD": {{ "asset": "X", "tiers": [ {{ "notional_floor": "0", "mmr": "0.01" }} ] {market_extra} }},
            "BTCUSD": {{ "asset": "BTC", "settlement": "inverse", "contract_size": "10",
                        "tiers": [ {{ "notional_floor": "0", "mmr": "0.005" }} ] {market_extra} }} }},
        "positions": [ {position} ] }}"#
    ))
    .expect("a scenario")
}

fn isolated(s: &Scenario) -> Evaluation {
    evaluate(s).expect("evaluates").all_isolated
}

fn costs(e: &Evaluation) -> &PositionCosts {
    e.positions[0].costs.as_ref().expect("costs")
}

#[test]
fn a_linear_long_pays_positive_funding_on_the_mark_every_8_hours() {
    // 1 X at 1,000, 10×: margin 100. Funding 0.01 % every 8 h for 10 days
    // (30 payments): 1,000 × 0.0001 × 30 = 3. Fee to close 0.05 % of 1,000.
    let s = book(
        r#"{ "market": "XUSD", "side": "long", "qty": "1", "entry_price": "1000", "leverage": "10", "margin_mode": "isolated" }"#,
        r#", "fees": { "maker": "0.0002", "taker": "0.0005" }, "funding": { "rate": "0.0001", "interval_hours": "8" }"#,
        "240",
    );
    let e = isolated(&s);
    let p = &e.positions[0];
    let c = costs(&e);
    assert_eq!(c.funding, d("3"));
    assert_eq!(c.funding_per_day, d("0.3"));
    assert_eq!(c.close_fee, d("0.5"));
    assert_eq!(c.paid, d("0.5"), "the fee to open, at the taker rate");
    assert_eq!(c.pnl, d("-3.5"));
    // The venue's: 100 + (P − 1000) = 0.01·P. After costs:
    // 100 + (P − 1000) − 3 − 0.0005·P = 0.01·P.
    assert_eq!(p.liquidation_price, Some(q("900", "0.99")));
    assert_eq!(c.liquidation_price, Some(q("903", "0.9895")));
    assert_eq!(c.bankruptcy_price, Some(q("903", "0.9995")));
    // A day more of funding: 0.3 more to cover.
    let drift = q("903.3", "0.9895") - q("903", "0.9895");
    assert_eq!(c.liquidation_drift_per_day, Some(drift));
    // Break-even: P − 1000 = 3 + 0.5 (paid) + 0.0005·P.
    assert_eq!(c.break_even_price, Some(q("1003.5", "0.9995")));
    // The pool: its own margin pays; liquidated at today's price after
    // (100 − 0.5 − 10) / (0.3 / 24) hours.
    let pool = e
        .pool("XUSD")
        .and_then(|p| p.costs.as_ref())
        .expect("pool costs");
    assert_eq!(pool.equity, d("96.5"));
    assert_eq!(pool.funding, d("3"));
    assert_eq!(pool.close_fees, d("0.5"));
    assert_eq!(pool.liquidated_after_hours, Some(q("89.5", "0.0125")));
}

#[test]
fn a_linear_short_pays_a_negative_rate_every_hour() {
    // 2 X short at 1,000 (entry 1,000), rate −0.02 % hourly for 2 days: the
    // short pays 2,000 × 0.0002 × 48 = 19.2. No fees.
    let s = book(
        r#"{ "market": "XUSD", "side": "short", "qty": "2", "entry_price": "1000", "leverage": "5", "margin_mode": "isolated" }"#,
        r#", "funding": { "rate": "-0.0002", "interval_hours": "1" }"#,
        "48",
    );
    let e = isolated(&s);
    let c = costs(&e);
    assert_eq!(c.funding, d("19.2"));
    assert_eq!(c.close_fee, d("0"));
    assert_eq!(c.pnl, d("-19.2"));
    // Margin 400: 400 − 2·(P − 1000) − 19.2 = 0.02·P.
    assert_eq!(e.positions[0].liquidation_price, Some(q("2400", "2.02")));
    assert_eq!(c.liquidation_price, Some(q("2380.8", "2.02")));
    // A short's liquidation price falls toward the mark as it pays.
    assert!(c.liquidation_drift_per_day.expect("a drift") < Decimal::ZERO);
    // Break-even: −2·(P − 1000) = 19.2 → P = 990.4.
    assert_eq!(c.break_even_price, Some(d("990.4")));
    // A positive rate: the short is paid, and its price moves away.
    let s = book(
        r#"{ "market": "XUSD", "side": "short", "qty": "2", "entry_price": "1000", "leverage": "5", "margin_mode": "isolated" }"#,
        r#", "funding": { "rate": "0.0002", "interval_hours": "1" }"#,
        "48",
    );
    let e = isolated(&s);
    assert_eq!(costs(&e).funding, d("-19.2"));
    assert_eq!(costs(&e).liquidation_price, Some(q("2419.2", "2.02")));
    assert_eq!(
        e.pool("XUSD")
            .and_then(|p| p.costs.as_ref())
            .map(|c| c.liquidated_after_hours),
        Some(None)
    );
}

#[test]
fn an_inverse_long_pays_its_funding_and_fee_in_the_coin() {
    // 100 contracts of 10 USD at 50,000: 0.02 BTC; 10×: margin 0.002 BTC.
    // 0.01 % every 8 h for 80 h (10 payments): 0.02 × 0.001 = 0.00002 BTC;
    // fee to close 0.02 × 0.0005 = 0.00001 BTC.
    let s = book(
        r#"{ "market": "BTCUSD", "side": "long", "qty": "100", "entry_price": "50000", "leverage": "10", "margin_mode": "isolated" }"#,
        r#", "fees": { "taker": "0.0005" }, "funding": { "rate": "0.0001" }"#,
        "80",
    );
    let e = isolated(&s);
    let c = costs(&e);
    assert_eq!(c.funding, d("0.00002"));
    assert_eq!(c.close_fee, d("0.00001"));
    // 0.002 + 1000/50000 − 1000/P − 0.00002 − 0.0005·1000/P = 0.005·1000/P
    assert_eq!(c.liquidation_price, Some(q("1005.5", "0.02198")));
    assert_eq!(
        e.positions[0].liquidation_price,
        Some(q("1005", "0.022")),
        "the venue's: 0.002 + 0.02 − 1000/P = 5/P"
    );
    // Break-even: 1000/50000 − 1000/P = 0.00002 + 0.00001 (paid) + 0.5/P.
    assert_eq!(c.break_even_price, Some(q("1000.5", "0.01997")));
}

#[test]
fn an_inverse_short_pays_a_negative_rate() {
    let s = book(
        r#"{ "market": "BTCUSD", "side": "short", "qty": "100", "entry_price": "50000", "leverage": "10", "margin_mode": "isolated" }"#,
        r#", "funding": { "rate": "-0.0001", "interval_hours": "1" }"#,
        "10",
    );
    let c = costs(&isolated(&s)).clone();
    assert_eq!(c.funding, d("0.00002"));
    // 0.002 − (0.02 − 1000/P) − 0.00002 = 5/P → P = 995 / 0.01802... no:
    // 0.002 − 0.02 + 1000/P − 0.00002 = 5/P → 995/P = 0.01802.
    assert_eq!(c.liquidation_price, Some(q("995", "0.01802")));
}

#[test]
fn funding_is_charged_on_the_mark_or_on_the_index() {
    // A market at a premium: its mark is 1,010 when X is at 1,000.
    let premium = r#", "premium": { "asset_price": "1000", "mark_price": "1010" }"#;
    let on = |price: &str| {
        let s = book(
            r#"{ "market": "XUSD", "side": "long", "qty": "1", "entry_price": "1010", "leverage": "10", "margin_mode": "isolated" }"#,
            &format!(
                r#"{premium}, "funding": {{ "rate": "0.001", "interval_hours": "8", "price": "{price}" }}"#
            ),
            "8",
        );
        costs(&isolated(&s)).funding
    };
    assert_eq!(on("mark"), d("1.01"));
    assert_eq!(on("index"), d("1"));
}

#[test]
fn bybits_isolated_rule_holds_the_fee_to_close_at_the_bankruptcy_price() {
    // 1 X long at 1,000, 10×: bankrupt at 900, fee 0.06 % of 900 = 0.54.
    let s = book(
        r#"{ "market": "XUSD", "side": "long", "qty": "1", "entry_price": "1000", "leverage": "10", "margin_mode": "isolated" }"#,
        r#", "fees": { "taker": "0.0006" }, "isolated_margin_rule": "initial_margin_and_close_fee""#,
        "0",
    );
    let e = isolated(&s);
    assert_eq!(e.positions[0].isolated_margin, Some(d("100.54")));
    // The venue's price with it: 100.54 + P − 1000 = 0.01·P.
    assert_eq!(e.positions[0].liquidation_price, Some(q("899.46", "0.99")));
    // A short: bankrupt at 1,100.
    let s = book(
        r#"{ "market": "XUSD", "side": "short", "qty": "1", "entry_price": "1000", "leverage": "10", "margin_mode": "isolated" }"#,
        r#", "fees": { "taker": "0.0006" }, "isolated_margin_rule": "initial_margin_and_close_fee""#,
        "0",
    );
    assert_eq!(isolated(&s).positions[0].isolated_margin, Some(d("100.66")));
}

#[test]
fn a_cross_pool_pays_every_positions_funding_out_of_the_shared_equity() {
    let s = book(
        r#"{ "market": "XUSD", "side": "long", "qty": "1", "entry_price": "1000", "leverage": "10" }"#,
        r#", "funding": { "rate": "0.0001", "interval_hours": "8" }"#,
        "240",
    );
    let e = evaluate(&s).expect("evaluates").all_cross;
    let pool = e.pools.iter().find(|p| &*p.id == "cross").expect("cross");
    let c = pool.costs.as_ref().expect("costs");
    assert_eq!(c.equity, pool.equity - d("3"));
    // 100,000 + (P − 1000) − 3 = 0.01·P
    assert_eq!(
        e.positions[0]
            .costs
            .as_ref()
            .and_then(|c| c.liquidation_price),
        None,
        "a long on 100,000 of cross equity is not liquidated above zero"
    );
}

#[test]
fn the_why_equation_carries_the_cost_terms_and_solves_to_the_price_after_costs() {
    let s = book(
        r#"{ "market": "XUSD", "side": "long", "qty": "1", "entry_price": "1000", "leverage": "10", "margin_mode": "isolated" }"#,
        r#", "fees": { "taker": "0.0005" }, "funding": { "rate": "0.0001", "interval_hours": "8" }"#,
        "240",
    );
    let prepared = Prepared::new(validate(&s).expect("valid"));
    let costed = prepared.costed().expect("costs are set");
    let why = costed
        .explain_liquidation(View::AllIsolated, 0)
        .expect("explained")
        .expect("a price");
    assert_eq!(why.terms[0].funding, d("3"));
    assert_eq!(why.terms[0].close_fee_rate, d("0.0005"));
    // equity 100 − 1000 − 3 + 0.9995·P; requirement 0.01·P.
    assert_eq!(why.equity_const, d("-903"));
    assert_eq!(why.equity_coef, d("0.9995"));
    assert_eq!(why.price, q("903", "0.9895"));
    // Against holding time: 0, 10 and 20 days.
    let over = prepared
        .liquidation_over_time(View::AllIsolated, 0, &[d("0"), d("240"), d("480")])
        .expect("solved");
    assert_eq!(
        over,
        [
            Some(q("900", "0.9895")),
            Some(q("903", "0.9895")),
            Some(q("906", "0.9895"))
        ]
    );
}

#[test]
fn without_costs_the_report_has_no_costs_and_is_todays() {
    let s = sample::portfolio(30);
    let json = serde_json::to_string(&evaluate(&s).expect("evaluates")).expect("json");
    assert!(!json.contains("\"costs\""));
}

#[test]
fn extreme_rates_and_periods_give_figures_or_a_named_overflow() {
    for (rate, hours) in [
        ("1", "240"),
        ("-1", "240"),
        ("0", "240"),
        ("0.0003", "876000"),
        ("1", "876000"),
        ("-1", "876000"),
    ] {
        for side in ["long", "short"] {
            for market in ["XUSD", "BTCUSD"] {
                let s = book(
                    &format!(
                        r#"{{ "market": "{market}", "side": "{side}", "qty": "1", "entry_price": "1000", "leverage": "10", "margin_mode": "isolated" }}"#
                    ),
                    &format!(
                        r#", "fees": {{ "taker": "1" }}, "funding": {{ "rate": "{rate}", "interval_hours": "1" }}"#
                    ),
                    hours,
                );
                match evaluate(&s) {
                    Ok(r) => {
                        let c = r.all_isolated.positions[0].costs.clone().expect("costs");
                        if rate == "0" {
                            assert_eq!(c.funding, Decimal::ZERO);
                        }
                    }
                    Err(e) => assert!(
                        e.message.contains("too large") || e.message.contains("too small"),
                        "{rate} {hours} {side} {market}: {e:?}"
                    ),
                }
            }
        }
    }
    // Out of range: named.
    let s = book(
        r#"{ "market": "XUSD", "side": "long", "qty": "1", "entry_price": "1000" }"#,
        r#", "funding": { "rate": "2", "interval_hours": "0" }"#,
        "-1",
    );
    let problems: Vec<String> = marginscope::engine::problems(&s)
        .into_iter()
        .map(|e| e.path)
        .collect();
    assert_eq!(
        problems,
        [
            "markets.BTCUSD.funding.rate",
            "markets.BTCUSD.funding.interval_hours",
            "markets.XUSD.funding.rate",
            "markets.XUSD.funding.interval_hours",
            "holding_hours"
        ]
    );
}

/// A generated book with every market's fees and funding set.
fn with_costs(mut s: Scenario, taker: Decimal, rate: Decimal, hours: u32, index: bool) -> Scenario {
    for m in s.markets.values_mut() {
        m.fees = Some(Fees {
            maker: Num(Decimal::ZERO),
            taker: Num(taker),
        });
        m.funding = Some(Funding {
            rate: Num(rate),
            interval_hours: Num(Decimal::from(8)),
            price: if index {
                FundingPrice::Index
            } else {
                FundingPrice::Mark
            },
        });
    }
    s.holding_hours = Some(Num(Decimal::from(hours)));
    s
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48),
        ..ProptestConfig::default()
    })]

    /// Zero rates for any holding period: every figure after costs is
    /// today's, to the last digit, in every view.
    #[test]
    fn zero_costs_reproduce_todays_report(n in 1usize..30, hours in 0u32..20_000, index: bool) {
        let s = with_costs(sample::portfolio(n), Decimal::ZERO, Decimal::ZERO, hours, index);
        let r = evaluate(&s).expect("evaluates");
        let plain = evaluate(&sample::portfolio(n)).expect("evaluates");
        for (e, p) in [(&r.as_given, &plain.as_given), (&r.all_cross, &plain.all_cross), (&r.all_isolated, &plain.all_isolated)] {
            for (x, y) in e.positions.iter().zip(&p.positions) {
                let c = x.costs.as_ref().expect("costs");
                prop_assert_eq!(c.pnl, y.pnl);
                prop_assert_eq!(c.liquidation_price, y.liquidation_price);
                prop_assert_eq!(c.bankruptcy_price, y.bankruptcy_price);
                prop_assert_eq!(c.funding, Decimal::ZERO);
                let mut bare = x.clone();
                bare.costs = None;
                prop_assert_eq!(&bare, y);
            }
            for (x, y) in e.pools.iter().zip(&p.pools) {
                let c = x.costs.as_ref().expect("costs");
                prop_assert_eq!(c.equity, y.equity);
                prop_assert_eq!(c.margin_ratio, y.margin_ratio);
                prop_assert_eq!(c.status, y.status);
            }
        }
    }

    /// A positive rate moves a long's liquidation price toward the mark (up)
    /// and a short's away from it (up too): a long pays, a short is paid.
    #[test]
    fn a_positive_rate_moves_a_longs_price_toward_the_mark_and_a_shorts_away(
        n in 1usize..30, rate in 1u32..300, hours in 1u32..2_000,
    ) {
        let s = with_costs(sample::portfolio(n), Decimal::ZERO, Decimal::new(rate.into(), 6), hours, false);
        let e = evaluate(&s).expect("evaluates").all_isolated;
        for p in &e.positions {
            let c = p.costs.as_ref().expect("costs");
            if let (Some(venue), Some(after)) = (p.liquidation_price, c.liquidation_price) {
                prop_assert!(after >= venue, "{}: {after} < {venue}", p.id);
                match p.side {
                    marginscope::engine::scenario::Side::Long => {
                        prop_assert!((p.mark_price - after).abs() <= (p.mark_price - venue).abs())
                    }
                    marginscope::engine::scenario::Side::Short => {
                        prop_assert!((p.mark_price - after).abs() >= (p.mark_price - venue).abs())
                    }
                }
            }
        }
    }

    /// At the liquidation price after costs, an isolated pool's equity net
    /// of its costs (funding projected at today's prices, the fee to close
    /// there) is its maintenance margin, within 28-digit rounding.
    #[test]
    fn at_the_price_after_costs_equity_net_of_costs_is_the_maintenance_margin(
        n in 1usize..30, taker in 0u32..2_000, rate in -300i32..300, hours in 0u32..5_000,
    ) {
        let s = with_costs(sample::portfolio(n), Decimal::new(taker.into(), 6), Decimal::new(rate.into(), 6), hours, false);
        let model = validate(&s).expect("valid");
        let e = evaluate(&s).expect("evaluates").all_isolated;
        for (i, p) in e.positions.iter().enumerate() {
            let c = p.costs.as_ref().expect("costs");
            let Some(liq) = c.liquidation_price else { continue };
            let mp = &model.positions[i];
            let m = &model.markets[mp.market];
            let notional = market::notional(m, mp.qty, liq).expect("notional");
            let fee = notional * m.costs.taker;
            let pnl = market::pnl(m, mp.side, mp.qty, mp.entry_price, liq).expect("pnl");
            let equity = mp.isolated_margin + pnl - c.funding - fee;
            let basis = market::basis_price(m, mp.entry_price, liq);
            let mm = market::maintenance(&m.tiers, market::notional(m, mp.qty, basis).expect("n")).expect("mm").0;
            let scale = equity.abs().max(mm.abs()).max(mp.isolated_margin.abs()).max(Decimal::ONE);
            prop_assert!((equity - mm).abs() <= scale * Decimal::new(1, 20), "{}: {equity} vs {mm}", p.id);
        }
    }
}
