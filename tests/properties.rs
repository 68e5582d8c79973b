//! Property tests of the engine's invariants, each named by what it states.
#![cfg(not(target_arch = "wasm32"))]

use marginscope::engine::scenario::{
    Collateral, MarginBasis, MarginMode, Market, Num, Position, RatioTier, Scenario, Settlement,
    Side, Tier,
};
use marginscope::engine::{self, Evaluation, Status};
use marginscope::presets;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn dec(n: i64, scale: u32) -> Num {
    Num(Decimal::new(n, scale))
}

/// 1–4 contiguous tiers with rising rates; amounts derived by the engine.
fn tiers() -> impl Strategy<Value = Vec<Tier>> {
    prop::collection::vec((10_000i64..400_000, 1i64..40), 1..5).prop_map(|steps| {
        let mut floor = 0i64;
        let mut mmr = 40i64; // 0.0040
        let n = steps.len();
        steps
            .into_iter()
            .enumerate()
            .map(|(i, (width, rise))| {
                let t = Tier {
                    notional_floor: dec(floor, 0),
                    notional_cap: (i + 1 < n).then(|| dec(floor + width, 0)),
                    mmr: dec(mmr, 4),
                    maintenance_amount: None,
                    max_leverage: None,
                };
                floor += width;
                mmr += rise;
                t
            })
            .collect()
    })
}

#[derive(Debug, Clone)]
struct Pos {
    market: usize,
    side: Side,
    qty: i64,
    entry_bp: i64,
    leverage: i64,
    isolated: bool,
}

fn pos() -> impl Strategy<Value = Pos> {
    (
        0usize..3,
        any::<bool>(),
        1i64..20_000,
        -1500i64..1500,
        1i64..30,
        any::<bool>(),
    )
        .prop_map(|(market, long, qty, entry_bp, leverage, isolated)| Pos {
            market,
            side: if long { Side::Long } else { Side::Short },
            qty,
            entry_bp,
            leverage,
            isolated,
        })
}

const MARKETS: [(&str, &str, Settlement); 3] = [
    ("BTCUSDT", "BTC", Settlement::Linear),
    ("ETHUSDT", "ETH", Settlement::Linear),
    ("BTCUSD", "BTC", Settlement::Inverse),
];

prop_compose! {
    /// A hedge-mode portfolio on BTC and ETH, linear and inverse, mark or entry basis,
    /// with a quote wallet, a BTC wallet and BTC collateral.
    fn portfolio()(
        btc in 20_000i64..80_000,
        eth in 1_000i64..5_000,
        t in prop::collection::vec(tiers(), 3),
        entry_basis in prop::collection::vec(prop::bool::weighted(0.2), 3),
        positions in prop::collection::vec(pos(), 1..7),
        usd in 0i64..100_000,
        btc_wallet in 0i64..300,
        collateral in 0i64..300,
    ) -> Scenario {
        let mut s = Scenario { quote: "USD".into(), hedge_mode: true, ..Scenario::default() };
        s.prices.insert("BTC".into(), dec(btc, 0));
        s.prices.insert("ETH".into(), dec(eth, 0));
        for (i, (id, asset, settlement)) in MARKETS.iter().enumerate() {
            s.markets.insert(id.to_string(), Market {
                asset: asset.to_string(),
                settlement: *settlement,
                contract_size: if *settlement == Settlement::Inverse { dec(100, 0) } else { dec(1, 0) },
                margin_basis: if entry_basis[i] { MarginBasis::Entry } else { MarginBasis::Mark },
                tiers: t[i].clone(),
                source: None,
                premium: None,
                fees: None,
                funding: None,
                isolated_margin_rule: Default::default(),
            });
        }
        s.wallet.insert("USD".into(), dec(usd, 0));
        s.wallet.insert("BTC".into(), dec(btc_wallet, 2));
        s.collateral.push(Collateral {
            asset: "BTC".into(),
            qty: dec(collateral, 2),
            value_ratio_tiers: vec![
                RatioTier { qty_floor: dec(0, 0), qty_cap: Some(dec(1, 0)), ratio: dec(95, 2) },
                RatioTier { qty_floor: dec(1, 0), qty_cap: None, ratio: dec(8, 1) },
            ],
        });
        let mut taken = Vec::new();
        for p in positions {
            if taken.contains(&(p.market, p.side)) {
                continue;
            }
            taken.push((p.market, p.side));
            let (id, asset, settlement) = MARKETS[p.market];
            let mark = if asset == "BTC" { btc } else { eth };
            let entry = Decimal::from(mark) * (Decimal::ONE + Decimal::new(p.entry_bp, 4));
            let qty = if settlement == Settlement::Inverse { dec(p.qty / 20 + 1, 0) } else { dec(p.qty, 3) };
            s.positions.push(Position {
                id: None,
                market: id.into(),
                side: p.side,
                qty,
                entry_price: Num(entry),
                margin_mode: if p.isolated { MarginMode::Isolated } else { MarginMode::Cross },
                leverage: Some(dec(p.leverage, 0)),
                isolated_margin: None,
                opened_as: None,
                costs_paid: None,
            });
        }
        s
    }
}

fn with_price(s: &Scenario, asset: &str, price: Decimal) -> Scenario {
    let mut t = s.clone();
    t.prices.insert(asset.into(), Num(price));
    t
}

fn pool_gap(e: &Evaluation, pool: &str) -> Decimal {
    let p = e.pool(pool).expect("pool");
    p.equity - p.maintenance_margin
}

/// One unit of rust_decimal's last digit for a value of this size: 28
/// significant digits, and never finer than its 28 decimal places.
fn last_digit(magnitude: Decimal) -> Decimal {
    (magnitude.abs() * Decimal::new(1, 27)).max(Decimal::new(1, 28))
}

/// How far `equity − MM` may be from zero at a liquidation price rounded to
/// its last digit: the pool's largest slope times that digit, plus one last
/// digit for each rounded operation (a few per position).
fn rounding_bound(s: &Scenario, e: &Evaluation, pool: &str, asset: &str, at: Decimal) -> Decimal {
    let ulp = Decimal::new(1, at.scale());
    let p = e.pool(pool).expect("pool");
    let mut slope = Decimal::ZERO;
    // The sizes the solver's sums pass through: entry notionals as well as values now.
    let mut entry_notional = Decimal::ZERO;
    for id in &p.positions {
        let r = e.position(id).expect("position");
        let cs = s.markets[r.market.as_str()].contract_size.0;
        let linear = s.markets[r.market.as_str()].settlement == Settlement::Linear;
        entry_notional += if linear {
            r.qty * cs * r.entry_price
        } else {
            r.qty * cs / r.entry_price
        };
        if r.asset != asset {
            continue;
        }
        slope += if linear {
            Decimal::TWO * r.qty * cs
        } else {
            Decimal::TWO * r.qty * cs / (at * at)
        };
    }
    if pool == "cross" && asset == "BTC" {
        slope += s.collateral[0].qty.0;
    }
    let magnitude = p.equity.abs()
        + p.maintenance_margin.abs()
        + p.value.abs()
        + p.wallet_value.abs()
        + entry_notional;
    let operations = Decimal::from(4 * (p.positions.len() + 2));
    slope * ulp + last_digit(magnitude) * operations
}

proptest! {
    // 300 cases in the test command; PROPTEST_CASES=N for a longer run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300),
        ..ProptestConfig::default()
    })]

    #[test]
    fn liquidation_price_makes_equity_equal_maintenance_margin(s in portfolio()) {
        let r = engine::evaluate(&s).expect("valid portfolio");
        for view in [&r.as_given, &r.all_cross, &r.all_isolated] {
            for p in &view.positions {
                let Some(liq) = p.liquidation_price else { continue };
                let at = engine::evaluate(&with_price(&s, &p.asset, liq)).unwrap_or_else(|e| panic!("{}: at {liq}: {e}", p.id));
                let at = if std::ptr::eq(view, &r.as_given) {
                    at.as_given
                } else if std::ptr::eq(view, &r.all_cross) {
                    at.all_cross
                } else {
                    at.all_isolated
                };
                let gap = pool_gap(&at, &p.pool);
                let bound = rounding_bound(&s, &at, &p.pool, &p.asset, liq);
                prop_assert!(gap.abs() <= bound, "{}: equity − MM = {gap} at {liq} (bound {bound})", p.id);
            }
        }
    }

    #[test]
    fn just_past_the_liquidation_price_the_pool_is_liquidated_and_just_before_it_is_not(s in portfolio()) {
        let r = engine::evaluate(&s).expect("valid portfolio");
        for p in &r.as_given.positions {
            let Some(liq) = p.liquidation_price else { continue };
            if r.as_given.pool(&p.pool).expect("pool").status == Status::Liquidated {
                continue;
            }
            // One part in a billion of the price, away from the mark (past) and toward it (before).
            let away = if liq < p.mark_price { Decimal::NEGATIVE_ONE } else { Decimal::ONE };
            let step = liq * Decimal::new(1, 9) * away;
            let (past, before) = match (
                engine::evaluate(&with_price(&s, &p.asset, liq + step)),
                engine::evaluate(&with_price(&s, &p.asset, liq - step)),
            ) {
                (Ok(past), Ok(before)) => (past.as_given, before.as_given),
                // A price so extreme that the portfolio overflows there cannot be checked.
                (Err(e), _) | (_, Err(e)) if e.kind == engine::ErrorKind::Overflow => continue,
                (Err(e), _) | (_, Err(e)) => panic!("{}: {e}", p.id),
            };
            prop_assert_eq!(past.pool(&p.pool).expect("pool").status, Status::Liquidated, "{} past {}", p.id, liq);
            prop_assert_ne!(before.pool(&p.pool).expect("pool").status, Status::Liquidated, "{} before {}", p.id, liq);
        }
    }

    #[test]
    fn an_isolated_positions_liquidation_price_ignores_every_other_position(s in portfolio()) {
        let r = engine::evaluate(&s).expect("valid portfolio");
        for (i, p) in r.all_isolated.positions.iter().enumerate() {
            let mut alone = s.clone();
            alone.positions = vec![s.positions[i].clone()];
            let a = engine::evaluate(&alone).expect("valid alone");
            prop_assert_eq!(a.all_isolated.positions[0].liquidation_price, p.liquidation_price);
            prop_assert_eq!(a.all_isolated.positions[0].bankruptcy_price, p.bankruptcy_price);
        }
    }

    #[test]
    fn more_collateral_never_brings_a_cross_liquidation_price_closer(s in portfolio(), extra in 1i64..50_000) {
        let r = engine::evaluate(&s).expect("valid portfolio");
        let mut richer = s.clone();
        let usd = richer.wallet.get("USD").copied().unwrap_or_default().0;
        richer.wallet.insert("USD".into(), Num(usd + Decimal::from(extra)));
        richer.collateral[0].qty = Num(richer.collateral[0].qty.0 + Decimal::ONE);
        let q = engine::evaluate(&richer).expect("valid richer");
        for p in r.all_cross.positions.iter().filter(|p| p.pool == "cross") {
            if r.all_cross.pool("cross").expect("pool").status == Status::Liquidated {
                continue;
            }
            let Some(before) = p.liquidation_price else {
                // No liquidation price stays none... unless BTC collateral now moves it.
                continue;
            };
            let after = q.all_cross.position(&p.id).expect("same position").liquidation_price;
            if let Some(after) = after {
                let (d0, d1) = ((before - p.mark_price).abs(), (after - p.mark_price).abs());
                prop_assert!(d1 >= d0, "{}: {} -> {}", p.id, before, after);
            }
        }
    }

    #[test]
    fn all_cross_equity_equals_the_isolated_pools_equity_plus_the_free_wallet(s in portfolio()) {
        let r = engine::evaluate(&s).expect("valid portfolio");
        for cross in r.all_cross.pools.iter().filter(|p| p.mode == MarginMode::Cross) {
            let isolated: Decimal = r.all_isolated.pools.iter()
                .filter(|p| p.mode == MarginMode::Isolated && p.currency == cross.currency)
                .map(|p| p.equity)
                .sum();
            let free = r.all_isolated.pool(&cross.id).expect("same cross pool").equity;
            // Equal but for the order of additions, each rounded at the last digit.
            let terms = Decimal::from(2 * (cross.positions.len() + 2));
            let bound = last_digit(cross.wallet_value.abs() + cross.value.abs()) * terms;
            prop_assert!((cross.equity - (isolated + free)).abs() <= bound,
                "{}: {} vs {} + {}", cross.id, cross.equity, isolated, free);
        }
    }
}

/// Runs `check` on `n` values of `strategy` (more under `PROPTEST_CASES`)
/// and returns how many it called a success.
fn successes<T: std::fmt::Debug>(
    strategy: impl Strategy<Value = T>,
    n: u32,
    mut check: impl FnMut(T) -> bool,
) -> (u32, u32) {
    use proptest::strategy::ValueTree;
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(n);
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut ok = 0;
    for _ in 0..n {
        let value = strategy.new_tree(&mut runner).expect("a value").current();
        ok += u32::from(check(value));
    }
    (ok, n)
}

/// Never panics on a scenario file a person or a program could have
/// written wrong: a valid file with its values replaced by anything (huge,
/// tiny, negative, not numbers, markup) and a few characters cut or added.
/// Most such files still read, so the property reaches the engine, not
/// only the JSON reader; and some evaluate (most of the rest are refused
/// for a value out of its range).
#[test]
fn evaluate_never_panics_on_files_written_wrong() {
    // In place of a number: other numbers, four times in five; else
    // numbers a decimal cannot hold, and what is no number at all.
    const NUMBERS: &[&str] = &[
        "\"0\"",
        "\"-1\"",
        "\"2.5\"",
        "\"60000\"",
        "\"0.001\"",
        "\"1e6\"",
        "7",
        "0.25",
        "\"79228162514264337593543950335\"",
        "\"0.0000000000000000000000000001\"",
        "\"123456.789\"",
    ];
    const NOT_NUMBERS: &[&str] = &[
        "\"1e999\"",
        "\"1e-40\"",
        "\"abc\"",
        "\"<b>x</b>\"",
        "null",
        "1e300",
        "true",
        "[]",
    ];
    let value =
        prop_oneof![4 => prop::sample::select(NUMBERS), 1 => prop::sample::select(NOT_NUMBERS)];
    let strategy = (
        prop::sample::select(
            presets::LESSONS
                .iter()
                .map(|l| l.scenario().to_json())
                .collect::<Vec<_>>(),
        ),
        prop::collection::vec((any::<prop::sample::Index>(), value), 1..4),
        prop::option::weighted(
            0.15,
            (any::<prop::sample::Index>(), any::<char>(), any::<bool>()),
        ),
    );
    let mut read = 0;
    let (evaluated, n) = successes(strategy, 600, |(text, values, chars)| {
        let mut text = text;
        // Replace numbers: a value that is a quoted decimal.
        for (at, value) in values {
            let numbers: Vec<(usize, usize)> = text
                .match_indices(": \"")
                .filter_map(|(i, m)| {
                    let start = i + m.len() - 1;
                    let len = text[start + 1..].find('"')? + 2;
                    let inner = &text[start + 1..start + len - 1];
                    inner.parse::<Decimal>().is_ok().then_some((start, len))
                })
                .collect();
            let Some(&(start, len)) = numbers.get(at.index(numbers.len().max(1))) else {
                continue;
            };
            text.replace_range(start..start + len, value);
        }
        // Now and then a character cut or added anywhere.
        if let Some((at, c, cut)) = chars {
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            if let Some(&i) = bounds.get(at.index(bounds.len().max(1))) {
                if cut {
                    text.remove(i);
                } else {
                    text.insert(i, c);
                }
            }
        }
        let Ok(s) = Scenario::from_json(&text) else {
            return false;
        };
        read += 1;
        let _ = engine::problems(&s);
        engine::evaluate(&s).is_ok()
    });
    assert!(
        read * 2 > n,
        "only {read} of {n} files were read as scenarios"
    );
    assert!(
        evaluated * 10 > n,
        "only {evaluated} of {n} files evaluated"
    );
}

/// Never panics on numbers from anywhere in a decimal's range (mantissas
/// up to 9.2e18 at any of the 29 scales, and the largest decimal as a
/// price), mixed with ordinary ones; and most of these portfolios evaluate
/// (numbers that are all extreme would test only the refusals).
#[test]
fn evaluate_never_panics_on_numbers_across_the_decimal_range() {
    let number = prop_oneof![
        3 => (1i64..1_000_000_000, 0u32..9),
        1 => (1i64..i64::MAX, 0u32..29),
    ];
    let strategy = (portfolio(), prop::collection::vec(number, 8), any::<bool>());
    let (evaluated, n) = successes(strategy, 400, |(s, raw, mode)| {
        let d = |i: usize| Num(Decimal::new(raw[i].0, raw[i].1));
        let mut s = s;
        s.prices.insert("BTC".into(), d(0));
        s.wallet.insert("USD".into(), d(1));
        s.collateral[0].qty = d(2);
        if let Some(p) = s.positions.first_mut() {
            p.qty = d(3);
            p.entry_price = d(4);
            p.leverage = Some(d(5));
            p.isolated_margin = mode.then(|| d(6));
        }
        if let Some(m) = s.markets.get_mut("BTCUSD") {
            m.contract_size = d(7);
        }
        let r = engine::evaluate(&s);
        let ok = r.is_ok();
        s.prices.insert("ETH".into(), Num(Decimal::MAX));
        let _ = engine::evaluate(&s);
        ok
    });
    assert!(
        evaluated * 2 > n,
        "only {evaluated} of {n} portfolios evaluated"
    );
}

#[test]
fn a_perfectly_hedged_cross_pair_has_no_liquidation_price_from_its_pnl() {
    // Long and short of the same size at the same entry: PnL cancels at every
    // price, so no fall liquidates it; with the requirement valued at entry,
    // nothing does. (Valued at mark, the requirement grows with the price, and
    // the pair is liquidated where the requirement alone reaches the wallet.)
    for basis in ["entry", "mark"] {
        let s = Scenario::from_json(&format!(r#"{{
            "wallet": {{ "USD": "2000" }}, "prices": {{ "BTC": "60000" }}, "hedge_mode": true,
            "markets": {{ "BTCUSDT": {{ "asset": "BTC", "margin_basis": "{basis}",
                "tiers": [ {{ "notional_floor": "0", "mmr": "0.005" }} ] }} }},
            "positions": [
              {{ "market": "BTCUSDT", "side": "long", "qty": "2", "entry_price": "60000", "leverage": "50" }},
              {{ "market": "BTCUSDT", "side": "short", "qty": "2", "entry_price": "60000", "leverage": "50" }} ] }}"#))
        .expect("scenario");
        let r = engine::evaluate(&s).expect("report");
        let long = r.as_given.position("BTCUSDT:long").expect("long");
        let liq = long.liquidation_price;
        match basis {
            "entry" => assert_eq!(liq, None),
            _ => {
                // 2000 = (2 + 2) · P · 0.005  =>  P = 100,000, above the mark.
                let p = liq.expect("a mark-valued pair is liquidated where MM reaches the wallet");
                assert_eq!(p, Decimal::from(100_000));
            }
        }
        for price in ["1000", "30000", "90000"] {
            let moved = with_price(&s, "BTC", price.parse().expect("decimal"));
            let e = engine::evaluate(&moved).expect("report");
            assert_eq!(
                e.as_given.pool("cross").expect("cross").equity,
                Decimal::from(2000)
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    #[test]
    fn every_curve_point_is_the_engines_own_evaluation_at_that_price(s in portfolio()) {
        let model = engine::validate(&s).expect("valid");
        let btc = model.assets.iter().position(|a| a.name == "BTC").expect("BTC");
        let price = model.assets[btc].price;
        let curves = engine::Prepared::new(model).curves(engine::View::AsGiven, btc, price / Decimal::TWO, price * Decimal::TWO, 8)
            .expect("curves");
        for c in &curves {
            for pt in c.points.iter().step_by(3) {
                let at = engine::evaluate(&with_price(&s, "BTC", pt.price)).expect("valid").as_given;
                let pool = at.pool(&c.pool).expect("pool");
                let bound = last_digit(pool.wallet_value.abs() + pool.value.abs() + pool.equity.abs()) * Decimal::from(20);
                prop_assert!((pool.equity - pt.equity).abs() <= bound, "{} equity at {}: {} vs {}", c.pool, pt.price, pool.equity, pt.equity);
                prop_assert!((pool.maintenance_margin - pt.maintenance_margin).abs() <= bound);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    #[test]
    fn the_explained_equation_solves_to_the_liquidation_price(s in portfolio()) {
        let prepared = engine::Prepared::new(engine::validate(&s).expect("valid"));
        for view in [engine::View::AsGiven, engine::View::AllCross, engine::View::AllIsolated] {
            let report = prepared.view(view).expect("evaluates");
            for i in 0..prepared.model().positions.len() {
                let explained = prepared.explain_liquidation(view, i).expect("explains");
                // It explains the very price the report gives, or none when there is none.
                prop_assert_eq!(explained.as_ref().map(|w| w.price), report.positions[i].liquidation_price);
                let Some(why) = explained else { continue };
                // equity_const + equity_coef·x = mm_const + mm_coef·x, with x = P or 1/P.
                let x = (why.mm_const - why.equity_const) / (why.equity_coef - why.mm_coef);
                let solved = if why.per_price { Decimal::ONE / x } else { x };
                let rel = ((solved - why.price) / why.price).abs();
                // x = 1/P is held here to 28 decimal places: a tiny x (a
                // price in the billions) keeps fewer digits, and 1/x
                // magnifies its last place by 1/x (this re-solve's rounding,
                // not the engine's).
                let held = if why.per_price { Decimal::new(1, 27) / x.abs() } else { Decimal::ZERO };
                prop_assert!(rel < Decimal::new(1, 20) + held, "{}: {} vs {}", why.pool, solved, why.price);
                // The side `safe_above` names is where the equation's equity
                // exceeds its requirement: at the mark, when the mark is there.
                let mark = report.positions[i].mark_price;
                let at = if why.per_price { Decimal::ONE / mark } else { mark };
                let margin = why.equity_const - why.mm_const + (why.equity_coef - why.mm_coef) * at;
                if margin > Decimal::ZERO && mark != why.price {
                    prop_assert_eq!(why.safe_above(), Some(mark > why.price), "{}", why.pool);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    #[test]
    fn every_boundary_point_is_the_cross_liquidation_price_of_b_with_a_moved(s in portfolio()) {
        let model = engine::validate(&s).expect("valid");
        let (a, b) = (
            model.assets.iter().position(|x| x.name == "BTC").expect("BTC"),
            model.assets.iter().position(|x| x.name == "ETH").expect("ETH"),
        );
        let pa = model.assets[a].price;
        let points = engine::Prepared::new(model).liquidation_boundary(engine::View::AllCross, (a, b), pa / Decimal::TWO, pa * Decimal::TWO, 4)
            .expect("boundary");
        for pt in points {
            let moved = engine::evaluate(&with_price(&s, "BTC", pt.a)).expect("valid").all_cross;
            let Some(eth) = moved.positions.iter().find(|p| p.asset == "ETH" && p.pool == "cross") else { continue };
            let nearest = match (pt.b_down, pt.b_up) {
                (Some(d), Some(u)) => Some(if u - eth.mark_price < eth.mark_price - d { u } else { d }),
                (d, u) => d.or(u),
            };
            prop_assert_eq!(nearest, eth.liquidation_price);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    /// A link restores exactly what was shared: every field, every digit,
    /// any text in the names (quotes, markup, any script).
    #[test]
    fn a_share_link_restores_the_scenario_exactly(
        s in portfolio(),
        name in proptest::option::of("\\PC{0,80}"),
        notes in proptest::option::of("\\PC{0,200}"),
        selected in 0usize..8,
        moved in proptest::option::of(-5000i64..5000),
    ) {
        let mut s = s;
        s.name = name;
        s.notes = notes;
        let mut shared = marginscope::share::Snapshot::new(s);
        shared.selected = selected;
        shared.market_move = moved.map(|m| dec(m, 2));
        shared.reference = shared.scenario.prices.clone();
        let fragment = shared.to_fragment();
        prop_assert!(fragment.starts_with("v1."));
        prop_assert!(fragment.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'));
        let back = marginscope::share::Snapshot::from_fragment(&format!("#{fragment}"));
        prop_assert_eq!(back.as_ref(), Ok(&shared));
        // The saved copy is the same text, unpacked.
        let saved = marginscope::share::Snapshot::from_json(&shared.to_json());
        prop_assert_eq!(saved.as_ref(), Ok(&shared));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Moving a validated model's prices gives the same report as checking
    /// the scenario at those prices from the start (what the app does during
    /// a drag, instead of validating at every tick).
    #[test]
    fn a_model_moved_to_new_prices_reports_as_if_built_there(
        s in portfolio(),
        btc in 10_000i64..120_000,
        eth in 500i64..8_000,
    ) {
        let Ok(model) = engine::validate(&s) else { return Ok(()) };
        let moved = with_price(&with_price(&s, "BTC", Decimal::from(btc)), "ETH", Decimal::from(eth));
        let fast = model.with_prices(&moved.prices).expect("same assets, positive prices");
        prop_assert_eq!(engine::Prepared::new(fast).report().ok(), engine::evaluate(&moved).ok());
        let zero = with_price(&s, "BTC", Decimal::ZERO);
        prop_assert!(model.with_prices(&zero.prices).is_none());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// The app's two panels (all-cross, all-isolated, without the third view)
    /// show exactly what the full report says.
    #[test]
    fn the_apps_comparison_is_the_reports_cross_and_isolated(s in portfolio()) {
        let Ok(model) = engine::validate(&s) else { return Ok(()) };
        let prepared = engine::Prepared::new(model);
        let report = prepared.report();
        let pair = prepared.compare(None);
        prop_assert_eq!(
            pair.map(|c| (c.all_cross, c.all_isolated)),
            report.map(|r| (r.all_cross, r.all_isolated))
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// The report's three views share work (an isolated position's solve and
    /// reports, its own figures); each is what that view alone gives.
    #[test]
    fn each_view_of_the_report_is_that_view_evaluated_alone(s in portfolio()) {
        let Ok(model) = engine::validate(&s) else { return Ok(()) };
        let prepared = engine::Prepared::new(model);
        let report = prepared.report().expect("evaluates");
        for (view, shared) in [
            (engine::View::AsGiven, &report.as_given),
            (engine::View::AllCross, &report.all_cross),
            (engine::View::AllIsolated, &report.all_isolated),
        ] {
            let alone = prepared.view(view).expect("evaluates");
            prop_assert_eq!(shared, &alone, "{:?}", view);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// The largest-size question reads the cross pool's free margin from its
    /// sums alone; it is the report's own figure.
    #[test]
    fn the_cross_pools_free_margin_from_its_sums_is_the_reports(s in portfolio()) {
        use marginscope::engine::model::Currency;
        let Ok(model) = engine::validate(&s) else { return Ok(()) };
        let prepared = engine::Prepared::new(model);
        let report = prepared.view(engine::View::AsGiven).expect("evaluates");
        let want = report.pool("cross").map(|p| p.free_margin);
        prop_assert_eq!(prepared.free_margin(Currency::Quote).ok(), want);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// A slider tick compares the views again, taking from the last
    /// comparison each isolated pool that nothing has moved. Whatever moved
    /// (a price; the same price at another scale; a position's size), and
    /// over two ticks in a row, it is the comparison made afresh, to the
    /// last digit and scale.
    #[test]
    fn a_comparison_after_a_move_is_the_comparison_made_afresh(
        s in portfolio(),
        btc in prop::option::of(20_000i64..80_000),
        rescale_eth in any::<bool>(),
        resize_first in any::<bool>(),
        eth in 1_000i64..5_000,
    ) {
        let Ok(model) = engine::validate(&s) else { return Ok(()) };
        let model = engine::Prepared::new(model);
        let Ok(first) = model.compare(None) else { return Ok(()) };
        let mut moved = s.clone();
        if let Some(btc) = btc {
            moved = with_price(&moved, "BTC", Decimal::from(btc));
        }
        if rescale_eth {
            let mut p = s.prices["ETH"].0;
            p.rescale(p.scale() + 2);
            moved = with_price(&moved, "ETH", p);
        }
        if resize_first {
            moved.positions[0].qty.0 += Decimal::ONE;
        }
        let Ok(after) = engine::validate(&moved) else { return Ok(()) };
        let after = engine::Prepared::new(after);
        let text = |c: &engine::Comparison| {
            serde_json::to_string(&(&c.all_cross, &c.all_isolated)).expect("serialises")
        };
        let fresh = after.compare(None).map(|c| text(&c));
        let kept = after.compare(Some((&model, &first)));
        prop_assert_eq!(kept.as_ref().map(text).ok(), fresh.ok());
        // A second tick, from the comparison that itself took from the first.
        let Ok(kept) = kept else { return Ok(()) };
        let last = with_price(&moved, "ETH", Decimal::from(eth));
        let Ok(last) = engine::validate(&last) else { return Ok(()) };
        let last = engine::Prepared::new(last);
        let fresh = last.compare(None).map(|c| text(&c));
        let kept = last.compare(Some((&after, &kept)));
        prop_assert_eq!(kept.as_ref().map(text).ok(), fresh.ok());
    }
}
