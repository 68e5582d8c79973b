//! Every workshop lesson is a valid scenario, and every number its story
//! states is the engine's (shown by the app's rounding rule). A story that
//! drifts from the engine fails here, not in front of a class.
#![cfg(not(target_arch = "wasm32"))]

use marginscope::engine::display::{grouped, price_places, round_toward};
use marginscope::engine::scenario::Num;
use marginscope::engine::{self, Evaluation, Scenario, View};
use marginscope::presets::{lesson, LESSONS};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn at(s: &Scenario, asset: &str, price: &str) -> Scenario {
    let mut t = s.clone();
    t.prices.insert(asset.into(), Num(d(price)));
    t
}

fn eval(s: &Scenario) -> engine::Report {
    engine::evaluate(s).expect("a valid lesson")
}

/// A liquidation price as the panels show it.
fn shown(e: &Evaluation, id: &str) -> String {
    let p = e.position(id).expect("position");
    let liq = p.liquidation_price.expect("a liquidation price");
    let places = price_places(liq);
    grouped(round_toward(liq, p.mark_price, places), places)
}

fn liquidated(e: &Evaluation) -> Vec<&str> {
    e.positions
        .iter()
        .filter(|p| p.liquidated)
        .map(|p| p.id.as_str())
        .collect()
}

fn story(id: &str) -> String {
    let l = lesson(id).expect("lesson");
    format!("{} {}", l.story, l.try_this)
}

#[test]
fn there_are_at_least_six_lessons_each_valid_and_healthy_as_opened() {
    assert!(LESSONS.len() >= 6);
    for l in LESSONS {
        let s = l.scenario();
        assert_eq!(s.name.as_deref(), Some(l.title), "{}", l.id);
        let r = engine::evaluate(&s).unwrap_or_else(|e| panic!("{}: {e:?}", l.id));
        assert!(
            liquidated(&r.as_given).is_empty(),
            "{} opens liquidated",
            l.id
        );
        assert!(s.notes.as_deref().is_some_and(|n| n.contains("Try this:")));
    }
}

#[test]
fn one_bad_trade() {
    let s = lesson("one-bad-trade").expect("lesson").scenario();
    let r = eval(&s);
    let text = story("one-bad-trade");
    {
        let want = format!("at SOL {}", shown(&r.all_cross, "SOLUSDT"));
        assert!(text.contains(&want), "wanted {want:?} in: {text}");
    }
    {
        let want = format!("alone, at {}", shown(&r.all_isolated, "SOLUSDT"));
        assert!(text.contains(&want), "wanted {want:?} in: {text}");
    }
    {
        let portfolio = r.all_portfolio.as_ref().expect("the portfolio view");
        let (_, mm, status) = pool_money(portfolio);
        let want = format!("asks {mm} to keep these three, more than the whole wallet");
        assert!(text.contains(&want), "wanted {want:?} in: {text}");
        assert_eq!(status, "Liquidated");
        assert!(portfolio
            .pools
            .iter()
            .all(|p| p.maintenance_margin > d("8000")));
    }
    let moved = eval(&at(&s, "SOL", "95"));
    assert_eq!(liquidated(&moved.all_cross).len(), 3);
    assert_eq!(liquidated(&moved.all_isolated), ["SOLUSDT"]);
}

#[test]
fn hedged_pair() {
    let s = lesson("hedged-pair").expect("lesson").scenario();
    let r = eval(&s);
    let text = story("hedged-pair");
    {
        let want = format!("below {}", shown(&r.all_isolated, "BTCUSDT:long"));
        assert!(text.contains(&want), "wanted {want:?} in: {text}");
    }
    {
        let want = format!("above {}", shown(&r.all_isolated, "BTCUSDT:short"));
        assert!(text.contains(&want), "wanted {want:?} in: {text}");
    }
    // "No price on the slider": the slider spans half to one and a half times the mark.
    for p in ["30000", "57000", "63000", "90000"] {
        assert!(
            liquidated(&eval(&at(&s, "BTC", p)).all_cross).is_empty(),
            "cross at {p}"
        );
    }
    assert_eq!(
        liquidated(&eval(&at(&s, "BTC", "57000")).all_isolated),
        ["BTCUSDT:long"]
    );
    assert_eq!(
        liquidated(&eval(&at(&s, "BTC", "63000")).all_isolated),
        ["BTCUSDT:short"]
    );
}

#[test]
fn double_exposure() {
    let s = lesson("double-exposure").expect("lesson").scenario();
    let text = story("double-exposure");
    let r = eval(&s);
    {
        let want = format!("liquidated at {}", shown(&r.all_cross, "BTCUSDT"));
        assert!(text.contains(&want), "wanted {want:?} in: {text}");
    }
    // The same value in USD: 1 BTC × 60,000 × 95 %.
    let mut usd = s.clone();
    usd.collateral.clear();
    usd.wallet.insert("USD".into(), Num(d("57000")));
    let r = eval(&usd);
    {
        let want = format!("hold until {}", shown(&r.all_cross, "BTCUSDT"));
        assert!(text.contains(&want), "wanted {want:?} in: {text}");
    }
}

#[test]
fn crossing_tiers() {
    let s = lesson("crossing-tiers").expect("lesson").scenario();
    let text = story("crossing-tiers");
    let r = eval(&s);
    let liq = shown(&r.all_cross, "BTCUSDT");
    {
        let want = format!("liquidation price, {liq},");
        assert!(text.contains(&want), "wanted {want:?} in: {text}");
    }
    // 3,000,000 / 45: where the notional enters the next tier.
    assert!(text.contains(&grouped(d("3000000") / d("45"), 2)), "{text}");
    let model = engine::validate(&s).expect("valid");
    let why = engine::Prepared::new(model)
        .explain_liquidation(View::AllCross, 0)
        .expect("explained")
        .expect("a price");
    let (_, rate, _) = why.terms[0].tier.expect("tiered");
    assert_eq!(rate, d("0.01"));
}

#[test]
fn inverse_curve() {
    let s = lesson("inverse-curve").expect("lesson").scenario();
    let text = story("inverse-curve");
    let r = eval(&s);
    {
        let want = format!("liquidated at {}", shown(&r.all_cross, "BTCUSD_PERP"));
        assert!(text.contains(&want), "wanted {want:?} in: {text}");
    }
    let pnl = |p: &str| {
        engine::questions::pnl_at_exit(&s, "BTCUSD_PERP", d(p))
            .expect("answer")
            .pnl
    };
    {
        let want = format!("earns {} BTC", grouped(pnl("90000"), 6));
        assert!(text.contains(&want), "wanted {want:?} in: {text}");
    }
    {
        let want = format!("loses {} BTC", grouped(-pnl("30000"), 6));
        assert!(text.contains(&want), "wanted {want:?} in: {text}");
    }
}

#[test]
fn add_margin() {
    let s = lesson("add-margin").expect("lesson").scenario();
    let text = story("add-margin");
    let r = eval(&s);
    {
        let want = format!("liquidated at {}", shown(&r.as_given, "SOLUSDT"));
        assert!(text.contains(&want), "wanted {want:?} in: {text}");
    }
    let mut more = s.clone();
    more.positions[0].isolated_margin = Some(Num(d("4500")));
    let r = eval(&more);
    {
        let want = format!("with 4,500 it is {}", shown(&r.as_given, "SOLUSDT"));
        assert!(text.contains(&want), "wanted {want:?} in: {text}");
    }
}

/// The figures of a view's one pool with positions, as the panels show them.
fn pool_money(e: &Evaluation) -> (String, String, String) {
    let p = e
        .pools
        .iter()
        .find(|p| !p.positions.is_empty())
        .expect("a pool");
    (
        grouped(p.initial_margin, 2),
        grouped(p.maintenance_margin, 2),
        format!("{:?}", p.status),
    )
}

#[test]
fn hedged_future() {
    let s = lesson("hedged-future").expect("lesson").scenario();
    let r = eval(&s);
    let text = story("hedged-future");
    let (cross_im, cross_mm, cross_status) = pool_money(&r.all_cross);
    let portfolio = r.all_portfolio.as_ref().expect("the portfolio view");
    let (pm_im, pm_mm, _) = pool_money(portfolio);
    for want in [
        format!("{cross_im} of initial margin and {cross_mm} of maintenance"),
        format!("{pm_im} of initial margin and {pm_mm} of maintenance"),
        format!("the long at {}", shown(&r.all_isolated, "BTCUSDT")),
        format!("reaches {}", shown(&r.all_isolated, "BTCUSDT-0327")),
    ] {
        assert!(text.contains(&want), "wanted {want:?} in: {text}");
    }
    assert_eq!(cross_status, "BelowInitialMargin");
    let unit = &portfolio.pools[0].units[0];
    assert_eq!(unit.worst_scenario, Some(d("0.12")));
    assert!(
        text.contains(&format!("loses {}", grouped(unit.worst_loss, 2))),
        "{text}"
    );
    assert!(
        text.contains(&format!("adds {}", grouped(unit.basis_charge, 2))),
        "{text}"
    );
    // A fifth of cross's maintenance margin, and far less to open.
    let pm = &portfolio.pools[0];
    let cross = &r
        .all_cross
        .pools
        .iter()
        .find(|p| p.id == "cross")
        .expect("cross");
    assert!(pm.maintenance_margin * d("5") <= cross.maintenance_margin);
    assert!(pm.initial_margin * d("50") <= cross.initial_margin);
    // The try: at 50,000 and 70,000 the isolated legs die, the portfolio pool does not.
    for (price, leg) in [("50000", "BTCUSDT"), ("70000", "BTCUSDT-0327")] {
        let moved = eval(&at(&s, "BTC", price));
        assert_eq!(liquidated(&moved.all_isolated), [leg], "at {price}");
        assert!(liquidated(moved.all_portfolio.as_ref().expect("portfolio")).is_empty());
    }
}

#[test]
fn naked_long_portfolio() {
    let s = lesson("naked-long-portfolio").expect("lesson").scenario();
    let r = eval(&s);
    let text = story("naked-long-portfolio");
    let (cross_im, cross_mm, _) = pool_money(&r.all_cross);
    let portfolio = r.all_portfolio.as_ref().expect("the portfolio view");
    let (pm_im, pm_mm, pm_status) = pool_money(portfolio);
    let pm_liq = shown(portfolio, "BTCUSDT");
    let unit = &portfolio.pools[0].units[0];
    for want in [
        format!("asks {cross_im} to open and {cross_mm} to maintain"),
        format!("liquidated at {}", shown(&r.all_cross, "BTCUSDT")),
        format!("a loss of {}", grouped(unit.worst_loss, 2)),
        format!("roll charge of {}", grouped(unit.roll_charge, 2)),
        format!("so {pm_im} to open"),
        format!("and {pm_mm} to maintain"),
        format!("liquidated at {pm_liq}, only"),
    ] {
        assert!(text.contains(&want), "wanted {want:?} in: {text}");
    }
    assert_eq!(unit.worst_scenario, Some(d("-0.16")));
    assert_eq!(pm_status, "BelowInitialMargin");
    let p = portfolio.position("BTCUSDT").expect("the long");
    let below = format!(
        "{} %",
        grouped(
            -p.liquidation_distance_ratio.expect("a distance") * d("100"),
            2
        )
    );
    assert!(
        text.contains(&format!("only {below} below")),
        "{below} in {text}"
    );
    // At 57,000 the portfolio pool is liquidated; cross and isolated are not.
    let moved = eval(&at(&s, "BTC", "57000"));
    assert_eq!(
        liquidated(moved.all_portfolio.as_ref().expect("portfolio")),
        ["BTCUSDT"]
    );
    assert!(liquidated(&moved.all_cross).is_empty() && liquidated(&moved.all_isolated).is_empty());
}

#[test]
fn funding_eats_isolated() {
    let s = lesson("funding-eats-isolated").expect("lesson").scenario();
    let r = eval(&s);
    let text = story("funding-eats-isolated");
    let iso = r.all_isolated.position("ETHUSDT").expect("the long");
    let costs = iso.costs.as_ref().expect("costs");
    let after = |p: &engine::report::PositionReport| {
        let l = p
            .costs
            .as_ref()
            .and_then(|c| c.liquidation_price)
            .expect("a price");
        grouped(
            round_toward(l, p.mark_price, price_places(l)),
            price_places(l),
        )
    };
    let pool = r
        .all_isolated
        .pool("ETHUSDT")
        .and_then(|p| p.costs.as_ref())
        .expect("pool costs");
    let runway = pool.liquidated_after_hours.expect("funding liquidates it");
    let cross = r.all_cross.position("ETHUSDT").expect("the long");
    for want in [
        format!("liquidation price at {}", shown(&r.all_isolated, "ETHUSDT")),
        format!(
            "costs this long {} USD a day",
            grouped(costs.funding_per_day, 2)
        ),
        format!("closing it costs {}", grouped(costs.close_fee, 2)),
        format!("after 30 days its liquidation price is {}", after(iso)),
        format!(
            "climbed {} a day",
            grouped(costs.liquidation_drift_per_day.expect("a drift"), 2)
        ),
        format!("Held {} days", grouped(runway / d("24"), 1)),
        format!(
            "only from {} to {}",
            shown(&r.all_cross, "ETHUSDT"),
            after(cross)
        ),
    ] {
        assert!(text.contains(&want), "wanted {want:?} in: {text}");
    }
    assert_eq!(s.holding_hours, Some(Num(d("720"))), "30 days");
    // Held that long, at today's price, the isolated pool is at its
    // maintenance margin: liquidated by funding alone.
    let mut held = s.clone();
    held.holding_hours = Some(Num(runway));
    let r = eval(&held);
    let pool = r.all_isolated.pool("ETHUSDT").expect("pool");
    let c = pool.costs.as_ref().expect("costs");
    assert_eq!(c.status, engine::report::Status::Liquidated);
    // And the liquidation price after costs has reached today's.
    let p = r.all_isolated.position("ETHUSDT").expect("the long");
    let liq = p
        .costs
        .as_ref()
        .and_then(|c| c.liquidation_price)
        .expect("a price");
    assert!(liq >= p.mark_price - d("0.000001"), "{liq}");
}

/// A lesson's moves, played on stage, are prices its sliders reach (or a
/// holding period the control takes), and the first does what its story
/// tells where the story names a liquidation.
#[test]
fn every_lessons_moves_can_be_played() {
    for l in LESSONS {
        let s = l.scenario();
        for m in l.moves {
            let to = d(m.to);
            if m.what == "holding_days" {
                assert!(to >= Decimal::ZERO && to <= d("36500"), "{}", l.id);
                continue;
            }
            let now = s
                .prices
                .get(m.what)
                .unwrap_or_else(|| panic!("{}: {}", l.id, m.what))
                .0;
            assert!(
                to >= now / d("2") && to <= now * d("1.5"),
                "{}: {} to {to}",
                l.id,
                m.what
            );
        }
    }
    // The opening lesson's one move liquidates the cross pool, as its story says.
    let l = lesson("one-bad-trade").expect("lesson");
    let m = l.moves[0];
    let r = eval(&at(&l.scenario(), m.what, m.to));
    assert_eq!(liquidated(&r.all_cross).len(), 3);
}
