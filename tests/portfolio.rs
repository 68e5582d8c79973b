//! Properties of portfolio margin (`tests/data/README.md`, "Portfolio
//! margin"), each named by what it states, over random books of perpetuals
//! and dated futures on one or two assets, linear and inverse, under random
//! scenario grids and charges.
#![cfg(not(target_arch = "wasm32"))]

use marginscope::engine::report::UnitReport;
use marginscope::engine::scenario::{
    MarginMode, Market, Num, PortfolioParams, Position, Premium, Scenario, Settlement, Side, Tier,
};
use marginscope::engine::{self, Evaluation, Prepared, View};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn dec(n: i64, scale: u32) -> Num {
    Num(Decimal::new(n, scale))
}

/// Id, asset, settlement, contract size, dated (at a premium to its asset).
const MARKETS: [(&str, &str, Settlement, i64, bool); 5] = [
    ("BTCUSDT", "BTC", Settlement::Linear, 1, false),
    ("BTCUSDT-0327", "BTC", Settlement::Linear, 1, true),
    ("ETHUSDT", "ETH", Settlement::Linear, 1, false),
    ("BTCUSD", "BTC", Settlement::Inverse, 100, false),
    ("BTCUSD-0327", "BTC", Settlement::Inverse, 100, true),
];

fn params() -> impl Strategy<Value = PortfolioParams> {
    (
        prop::collection::btree_set(-50i64..=50, 1..8),
        0i64..=100,
        (0i64..200, 0i64..50, 0i64..100),
        (50i64..150, 0i64..100),
    )
        .prop_map(
            |(shocks, gain, (roll, basis, floor), (mm, im))| PortfolioParams {
                shocks: shocks.into_iter().map(|x| dec(x, 2)).collect(),
                gain_weight: dec(gain, 2),
                roll_rate: dec(roll, 4),
                basis_rate: dec(basis, 4),
                floor_rate: dec(floor, 4),
                mm_factor: dec(mm, 2),
                im_factor: dec(mm + im, 2),
                source: None,
            },
        )
}

#[derive(Debug, Clone)]
struct Leg {
    market: usize,
    long: bool,
    qty: i64,
    entry_bp: i64,
}

fn leg() -> impl Strategy<Value = Leg> {
    (0usize..5, any::<bool>(), 1i64..5_000, -2000i64..2000).prop_map(
        |(market, long, qty, entry_bp)| Leg {
            market,
            long,
            qty,
            entry_bp,
        },
    )
}

/// A hedge-mode book, every position in portfolio margin.
fn book(
    btc: i64,
    eth: i64,
    premium_bp: i64,
    pm: (PortfolioParams, PortfolioParams),
    usd: i64,
    coins: i64,
    legs: &[Leg],
) -> Scenario {
    let mut s = Scenario {
        quote: "USD".into(),
        hedge_mode: true,
        ..Scenario::default()
    };
    s.prices.insert("BTC".into(), dec(btc, 0));
    s.prices.insert("ETH".into(), dec(eth, 0));
    let premium = Premium {
        asset_price: dec(btc, 0),
        mark_price: Num(
            (Decimal::from(btc) * (Decimal::ONE + Decimal::new(premium_bp, 4))).round_dp(2),
        ),
    };
    for (id, asset, settlement, size, dated) in MARKETS {
        s.markets.insert(
            id.into(),
            Market {
                asset: asset.into(),
                settlement,
                contract_size: dec(size, 0),
                margin_basis: engine::scenario::MarginBasis::Mark,
                tiers: vec![Tier {
                    notional_floor: dec(0, 0),
                    notional_cap: None,
                    mmr: dec(5, 3),
                    maintenance_amount: None,
                    max_leverage: None,
                }],
                source: None,
                premium: dated.then(|| premium.clone()),
                fees: None,
                funding: None,
                isolated_margin_rule: Default::default(),
            },
        );
    }
    s.portfolio_margin.insert("BTC".into(), pm.0);
    s.portfolio_margin.insert("ETH".into(), pm.1);
    s.wallet.insert("USD".into(), dec(usd, 0));
    s.wallet.insert("BTC".into(), dec(coins, 2));
    let mut taken = Vec::new();
    for l in legs {
        if taken.contains(&(l.market, l.long)) {
            continue;
        }
        taken.push((l.market, l.long));
        let (id, asset, settlement, _, dated) = MARKETS[l.market];
        let mark = if dated {
            premium.mark_price.0
        } else {
            s.prices[asset].0
        };
        s.positions.push(Position {
            id: None,
            market: id.into(),
            side: if l.long { Side::Long } else { Side::Short },
            qty: if settlement == Settlement::Inverse {
                dec(l.qty / 50 + 1, 0)
            } else {
                dec(l.qty, 3)
            },
            entry_price: Num((mark * (Decimal::ONE + Decimal::new(l.entry_bp, 4))).round_dp(2)),
            margin_mode: MarginMode::Portfolio,
            leverage: Some(dec(10, 0)),
            isolated_margin: None,
            opened_as: None,
            costs_paid: None,
        });
    }
    s
}

prop_compose! {
    fn books()(
        btc in 1_000i64..90_000,
        eth in 100i64..5_000,
        premium_bp in -500i64..1500,
        pm in (params(), params()),
        usd in 0i64..100_000,
        coins in 0i64..1_000,
        legs in prop::collection::vec(leg(), 1..7),
    ) -> Scenario {
        book(btc, eth, premium_bp, pm, usd, coins, &legs)
    }
}

fn portfolio(s: &Scenario) -> Evaluation {
    let r = engine::evaluate(s).expect("a valid book");
    r.all_portfolio.expect("every asset has parameters")
}

fn unit<'a>(e: &'a Evaluation, pool: &str, asset: &str) -> Option<&'a UnitReport> {
    e.pool(pool)?.units.iter().find(|u| &*u.asset == asset)
}

/// One unit of the last of 28 significant digits of a value this size.
fn last_digit(size: Decimal) -> Decimal {
    (size.abs() * Decimal::new(1, 27)).max(Decimal::new(1, 28))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300),
        ..ProptestConfig::default()
    })]

    /// At a position's portfolio liquidation price, its pool's equity equals
    /// its maintenance margin: the book re-evaluated there, to within the
    /// rounding of the terms it is made of.
    #[test]
    fn at_a_portfolio_liquidation_price_equity_equals_maintenance_margin(s in books()) {
        let prepared = Prepared::new(engine::validate(&s).expect("valid"));
        let e = prepared.view(View::AllPortfolio).expect("figures");
        for (i, p) in e.positions.iter().enumerate() {
            if p.liquidation_price.is_none() || e.pool(&p.pool).is_some_and(|x| x.status == engine::Status::Liquidated) {
                continue;
            }
            // The asset's price there (a dated future's own mark is reported).
            let why = prepared.explain_liquidation(View::AllPortfolio, i).expect("explained").expect("a price");
            prop_assert_eq!(Some(why.mark_price), p.liquidation_price);
            let mut at = s.clone();
            at.prices.insert(p.asset.to_string(), Num(why.price));
            let there = match engine::evaluate(&at) {
                Ok(r) => r.all_portfolio.expect("parameters"),
                Err(e) if e.kind == engine::ErrorKind::Overflow => continue,
                Err(e) => panic!("{}: {e}", p.id),
            };
            let pool = there.pool(&p.pool).expect("its pool");
            let gap = pool.equity - pool.maintenance_margin;
            // The pool's slope in the price (its sizes, twice for the
            // requirement's), times the last place of the price; plus the
            // last digit of its largest terms, a few times a position.
            let ulp = Decimal::new(1, why.price.scale());
            let mut slope = Decimal::ZERO;
            let mut size = pool.wallet_value.abs() + pool.value.abs() + pool.maintenance_margin.abs();
            for u in &pool.units {
                size += u.gross.abs() * Decimal::TWO;
            }
            for id in &pool.positions {
                let x = there.position(id).expect("position");
                if x.asset != p.asset {
                    continue;
                }
                let m = &s.markets[x.market.as_str()];
                let per = x.qty * m.contract_size.0 * Decimal::from(4);
                slope += if m.settlement == Settlement::Inverse { per / (why.price * why.price) } else { per * (x.mark_price / why.price) };
            }
            let ops = Decimal::from(8 * (pool.positions.len() + 2));
            let bound = slope * ulp + last_digit(size) * ops;
            prop_assert!(gap.abs() <= bound, "{}: equity − MM = {gap} at {} (bound {bound})", p.id, why.price);
        }
    }

    /// A unit of delta-one contracts is charged in proportion to its price:
    /// the asset's price doubled doubles a linear unit's requirement and
    /// halves an inverse one's (every charge is of a notional).
    #[test]
    fn a_units_requirement_scales_with_its_price(s in books()) {
        let before = portfolio(&s);
        let mut doubled = s.clone();
        let btc = s.prices["BTC"].0;
        doubled.prices.insert("BTC".into(), Num(btc * Decimal::TWO));
        for m in doubled.markets.values_mut() {
            if let Some(p) = &mut m.premium {
                // The future keeps its ratio to the asset's price.
                p.asset_price = Num(p.asset_price.0 * Decimal::TWO);
                p.mark_price = Num(p.mark_price.0 * Decimal::TWO);
            }
        }
        let after = portfolio(&doubled);
        for (pool, factor) in [("portfolio", Decimal::TWO), ("portfolio:BTC", Decimal::new(5, 1))] {
            let (Some(a), Some(b)) = (unit(&before, pool, "BTC"), unit(&after, pool, "BTC")) else { continue };
            for (what, x, y) in [
                ("requirement", a.requirement, b.requirement),
                ("worst loss", a.worst_loss, b.worst_loss),
                ("maintenance margin", a.maintenance_margin, b.maintenance_margin),
            ] {
                let want = x * factor;
                let off = (y - want).abs();
                prop_assert!(off <= last_digit(a.gross.abs() * Decimal::TWO) * Decimal::from(16), "{pool} {what}: {y}, want {want}");
            }
            prop_assert_eq!(a.worst_scenario.is_some(), b.worst_scenario.is_some());
            // ETH's unit does not move with BTC.
            prop_assert_eq!(unit(&before, "portfolio", "ETH"), unit(&after, "portfolio", "ETH"));
        }
    }

    /// An opposite position on the same asset never makes the unit's worst
    /// loss exceed the two positions' worst losses alone, added.
    #[test]
    fn an_opposite_position_never_adds_more_than_its_own_worst_loss(
        btc in 1_000i64..90_000,
        premium_bp in -500i64..1500,
        pm in (params(), params()),
        a in leg(),
        b in leg(),
    ) {
        // Two BTC legs of one settlement, on opposite sides.
        let linear = [0usize, 1];
        let inverse = [3usize, 4];
        let markets = if a.market < 3 { linear } else { inverse };
        let a = Leg { market: markets[a.market % 2], long: true, ..a };
        let b = Leg { market: markets[b.market % 2], long: false, ..b };
        let pool = if a.market < 3 { "portfolio" } else { "portfolio:BTC" };
        let loss = |legs: &[Leg]| {
            let s = book(btc, 3_000, premium_bp, pm.clone(), 50_000, 100, legs);
            unit(&portfolio(&s), pool, "BTC").map(|u| (u.worst_loss, u.gross)).expect("a unit")
        };
        let (alone_a, ga) = loss(std::slice::from_ref(&a));
        let (alone_b, gb) = loss(std::slice::from_ref(&b));
        let (both, _) = loss(&[a, b]);
        let rounding = last_digit(ga + gb) * Decimal::from(8);
        prop_assert!(both <= alone_a + alone_b + rounding, "{both} > {alone_a} + {alone_b}");
    }

    /// A unit whose legs cancel, net delta zero, loses nothing in any
    /// scenario: it pays its roll charge alone.
    #[test]
    fn a_unit_with_zero_net_delta_pays_only_its_roll_charge(
        btc in 1_000i64..90_000,
        pm in (params(), params()),
        qty in 1i64..5_000,
        ratio in prop::sample::select(vec![(1i64, 1i64), (3, 2), (5, 4), (4, 5), (2, 1)]),
        inverse in any::<bool>(),
    ) {
        // A perpetual long of q·k against a future short of q·j whose mark is
        // k/j of the asset's price: the same notional each side.
        let (k, j) = ratio;
        let mut s = book(btc, 3_000, 0, pm.clone(), 50_000, 100, &[]);
        let (perp, dated) = if inverse { ("BTCUSD", "BTCUSD-0327") } else { ("BTCUSDT", "BTCUSDT-0327") };
        let price = Decimal::from(btc);
        if let Some(p) = &mut s.markets.get_mut(dated).expect("dated").premium {
            p.asset_price = Num(price);
            p.mark_price = Num(price * Decimal::from(k) / Decimal::from(j));
        }
        // Inverse: notional size/mark, so the future's size is k/j of the perpetual's.
        let (perp_qty, dated_qty) = if inverse { (qty * j, qty * k) } else { (qty * k, qty * j) };
        for (market, side, n) in [(perp, Side::Long, perp_qty), (dated, Side::Short, dated_qty)] {
            s.positions.push(Position {
                id: None,
                market: market.into(),
                side,
                qty: dec(n, 0),
                entry_price: Num(price),
                margin_mode: MarginMode::Portfolio,
                leverage: Some(dec(10, 0)),
                isolated_margin: None,
                opened_as: None,
                costs_paid: None,
            });
        }
        let e = portfolio(&s);
        let pool = if inverse { "portfolio:BTC" } else { "portfolio" };
        let u = unit(&e, pool, "BTC").expect("the BTC unit");
        let tiny = last_digit(u.gross) * Decimal::from(8);
        prop_assert!(u.delta.abs() <= tiny, "delta {}", u.delta);
        prop_assert!(u.worst_loss <= tiny, "worst loss {}", u.worst_loss);
        prop_assert!(u.basis_charge <= tiny && u.floor_charge <= tiny);
        prop_assert!((u.requirement - u.roll_charge).abs() <= tiny, "{} vs roll {}", u.requirement, u.roll_charge);
        let mm = pm.0.mm_factor.0 * u.roll_charge;
        prop_assert!((u.maintenance_margin - mm).abs() <= tiny * Decimal::TWO);
    }
}
