//! The JS API's report against the engine's: what `evaluate` hands to JS must
//! be the report itself, key for key, although it crosses the boundary in a
//! leaner form (`src/api/wire.rs`, `glue.js`). Runs in Node.
#![cfg(all(target_arch = "wasm32", feature = "js-api"))]

use marginscope::api::report_to_js;
use marginscope::engine::{self, sample, Report, Scenario};
use marginscope::presets;
use rust_decimal::Decimal;
use wasm_bindgen_test::*;

fn as_js_text(report: &Report) -> String {
    js_sys::JSON::stringify(&report_to_js(report))
        .expect("stringify")
        .as_string()
        .expect("a string")
}

fn check(name: &str, report: &Report) {
    let expected = serde_json::to_string(report).expect("the report's JSON");
    let got = as_js_text(report);
    if got != expected {
        // The texts are long: show where they part.
        let at = got
            .bytes()
            .zip(expected.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let from = at.saturating_sub(120);
        panic!(
            "{name}: the JS report differs from the report's JSON at byte {at}\n   JS: …{}\n JSON: …{}",
            got.get(from..(at + 80).min(got.len())).unwrap_or_default(),
            expected.get(from..(at + 80).min(expected.len())).unwrap_or_default(),
        );
    }
}

fn report(s: &Scenario) -> Report {
    engine::evaluate(s).expect("a valid scenario")
}

#[wasm_bindgen_test]
fn every_lesson_and_the_opening_scenario() {
    check("opening", &report(&presets::opening()));
    for lesson in presets::LESSONS {
        check(lesson.id, &report(&lesson.scenario()));
    }
}

#[wasm_bindgen_test]
fn generated_portfolios_of_every_size() {
    for n in [0, 1, 2, 7, 60, 400] {
        check(&format!("{n} positions"), &report(&sample::portfolio(n)));
    }
}

#[wasm_bindgen_test]
fn a_liquidated_portfolio() {
    let mut s = sample::portfolio(30);
    for price in s.prices.values_mut() {
        price.0 /= Decimal::TWO;
    }
    let r = report(&s);
    assert!(
        r.as_given.account.liquidated_positions > 0,
        "the move liquidates something"
    );
    check("halved prices", &r);
}

/// Today a position's size, prices and margins are the same in every view, and
/// an isolated pool the same in the all-isolated view as given, so the wire
/// reuses the first view's; when they differ, it must not.
#[wasm_bindgen_test]
fn a_later_view_whose_figures_differ_is_written_whole() {
    let mut r = report(&sample::portfolio(5));
    r.all_cross.positions[2].qty += Decimal::ONE;
    r.all_isolated.positions[3].tier += 1;
    r.all_isolated.positions.truncate(4);
    r.all_isolated
        .positions
        .push(r.as_given.positions[0].clone());
    // A pool of the first view, the same in a later one but for one figure.
    let shared = r
        .all_isolated
        .pools
        .iter()
        .position(|p| r.as_given.pools.iter().any(|g| g == p))
        .expect("an isolated pool in both views");
    r.all_isolated.pools[shared].equity += Decimal::ONE;
    check("altered views", &r);
}

/// A book under portfolio margin: the all-portfolio view and its pool's
/// risk units cross the boundary too (and the view as given is it).
#[wasm_bindgen_test]
fn a_portfolio_margined_book() {
    let s = Scenario::from_json(
        r#"{ "quote": "USD", "wallet": { "USD": "30000" }, "prices": { "BTC": "58000", "ETH": "3100" },
        "markets": {
            "BTCUSDT": { "asset": "BTC", "tiers": [ { "notional_floor": "0", "mmr": "0.005" } ] },
            "BTC-JUN": { "asset": "BTC", "tiers": [ { "notional_floor": "0", "mmr": "0.005" } ],
                         "premium": { "asset_price": "58000", "mark_price": "58870" } },
            "ETHUSDT": { "asset": "ETH", "tiers": [ { "notional_floor": "0", "mmr": "0.005" } ] } },
        "portfolio_margin": {
            "BTC": { "shocks": ["-0.12", "-0.08", "-0.04", "0", "0.04", "0.08", "0.12"], "basis_rate": "0.002",
                     "floor_rate": "0.0045", "mm_factor": "1", "im_factor": "1.3" },
            "ETH": { "shocks": ["-0.12", "0", "0.12"], "mm_factor": "1", "im_factor": "1.3" } },
        "positions": [
            { "market": "BTCUSDT", "side": "long", "qty": "1", "entry_price": "60000", "margin_mode": "portfolio" },
            { "market": "BTC-JUN", "side": "short", "qty": "0.5", "entry_price": "59000", "margin_mode": "portfolio" },
            { "market": "ETHUSDT", "side": "short", "qty": "20", "entry_price": "3000", "margin_mode": "portfolio" } ] }"#,
    )
    .expect("a scenario");
    let r = report(&s);
    let all = r.all_portfolio.as_ref().expect("the all-portfolio view");
    assert_eq!(all.pools[0].units.len(), 2);
    check("portfolio", &r);
    // Without an asset's parameters, the view is none, and says so as null.
    let mut bare = s.clone();
    bare.portfolio_margin.remove("ETH");
    for p in &mut bare.positions {
        p.margin_mode = engine::scenario::MarginMode::Cross;
    }
    let r = report(&bare);
    assert!(r.all_portfolio.is_none());
    check("no portfolio", &r);
}

/// `importAccount` hands JS the importer's own result, key for key, with
/// its summary; Hyperliquid's documented example agrees with the venue.
#[wasm_bindgen_test]
fn import_account_is_the_importers_result_with_its_summary() {
    let texts = [
        include_str!("data/venues/hyperliquid/clearinghouseState.json"),
        include_str!("data/venues/hyperliquid/meta.json"),
        "not json",
    ];
    let js: Vec<js_sys::JsString> = texts.iter().map(|t| js_sys::JsString::from(*t)).collect();
    let got = marginscope::api::import_account(js).expect("an import");
    let got: serde_json::Value = serde_json::from_str(
        &js_sys::JSON::stringify(&got)
            .expect("stringify")
            .as_string()
            .expect("a string"),
    )
    .expect("JSON");
    let imported = marginscope::import::import_account(&texts);
    let mut want = serde_json::to_value(&imported).expect("JSON");
    want["summary"] = imported.summary().into();
    assert_eq!(got, want);
    assert_eq!(got["summary"], "1 of 1 position agrees with the venue.");
    assert_eq!(got["checks"][0]["venue_liquidation_price"], "2866.26936529");
    assert!(got["sources"][2]["problem"]
        .as_str()
        .is_some_and(|p| p.contains("not a JSON value")));
}

fn js(s: &Scenario) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(&s.to_json()).expect("the scenario as a JS object")
}

fn text(v: &wasm_bindgen::JsValue) -> String {
    js_sys::JSON::stringify(v)
        .expect("stringify")
        .as_string()
        .expect("a string")
}

/// A prepared scenario gives, at its own prices and at others, the report
/// `evaluate` gives for the scenario with those prices; bad prices are
/// named and leave it as it was.
#[wasm_bindgen_test]
fn a_prepared_scenario_evaluates_at_new_prices_as_evaluate_does() {
    use marginscope::api::{evaluate, prepare};
    for s in [presets::opening(), sample::portfolio(40)] {
        let prepared = prepare(js(&s)).unwrap_or_else(|_| panic!("prepared"));
        let own = prepared
            .evaluate(wasm_bindgen::JsValue::NULL)
            .unwrap_or_else(|_| panic!("evaluated"));
        assert_eq!(
            text(&own),
            text(&evaluate(js(&s)).unwrap_or_else(|_| panic!("evaluated")))
        );
        for factor in ["0.7", "1.013", "1.4"] {
            let mut moved = s.clone();
            for p in moved.prices.values_mut() {
                p.0 = (p.0 * factor.parse::<Decimal>().expect("d")).normalize();
            }
            let prices = js_sys::JSON::parse(&serde_json::to_string(&moved.prices).expect("json"))
                .expect("prices");
            let got = prepared
                .evaluate(prices)
                .unwrap_or_else(|_| panic!("evaluated"));
            assert_eq!(
                text(&got),
                serde_json::to_string(&report(&moved)).expect("json"),
                "×{factor}"
            );
        }
        // A price missing, or at zero: an error naming it.
        let missing = js_sys::JSON::parse(r#"{"NOPE": "1"}"#).expect("prices");
        let e = prepared.evaluate(missing).expect_err("an error");
        let path = js_sys::Reflect::get(&e, &"path".into())
            .expect("path")
            .as_string();
        assert_eq!(path.as_deref(), Some("prices"));
        let mut zero = s.prices.clone();
        if let Some(first) = zero.values_mut().next() {
            first.0 = Decimal::ZERO;
        }
        let e = prepared
            .evaluate(
                js_sys::JSON::parse(&serde_json::to_string(&zero).expect("json")).expect("prices"),
            )
            .expect_err("an error");
        let path = js_sys::Reflect::get(&e, &"path".into())
            .expect("path")
            .as_string();
        assert!(path.is_some_and(|p| p.starts_with("prices.")));
        // Still its own report after both.
        let again = prepared
            .evaluate(wasm_bindgen::JsValue::UNDEFINED)
            .unwrap_or_else(|_| panic!("evaluated"));
        assert_eq!(text(&again), text(&own));
        drop(prepared);
    }
}
