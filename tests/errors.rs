//! Every error the engine can give about a scenario: the path it names and
//! the sentence it says. Each case changes one thing in a valid scenario.
#![cfg(not(target_arch = "wasm32"))]

use marginscope::engine::scenario::{limits, Side};
use marginscope::engine::{self, questions, ErrorKind, Scenario};
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn base() -> Value {
    json!({
        "format": "marginscope/1",
        "quote": "USD",
        "wallet": { "USD": "10000", "BTC": "1" },
        "prices": { "BTC": "60000", "ETH": "3000" },
        "collateral": [ { "asset": "ETH", "qty": "2", "value_ratio_tiers": [
            { "qty_floor": "0", "qty_cap": "10", "ratio": "0.9" }, { "qty_floor": "10", "ratio": "0.5" } ] } ],
        "markets": {
            "BTCUSDT": { "asset": "BTC", "tiers": [
                { "notional_floor": "0", "notional_cap": "50000", "mmr": "0.004", "max_leverage": "125" },
                { "notional_floor": "50000", "mmr": "0.005", "max_leverage": "100" } ] },
            "BTCUSD": { "asset": "BTC", "settlement": "inverse", "contract_size": "100",
                "tiers": [ { "notional_floor": "0", "mmr": "0.005" } ] }
        },
        "positions": [
            { "market": "BTCUSDT", "side": "long", "qty": "1", "entry_price": "60000", "leverage": "10" },
            { "market": "BTCUSD", "side": "short", "qty": "10", "entry_price": "60000", "margin_mode": "isolated" }
        ]
    })
}

/// Applies `change` to the base scenario and returns the first error.
fn first_error(change: impl FnOnce(&mut Value)) -> engine::Error {
    let mut v = base();
    change(&mut v);
    let text = v.to_string();
    match Scenario::from_json(&text) {
        Err(e) => e,
        Ok(s) => engine::evaluate(&s)
            .err()
            .unwrap_or_else(|| panic!("no error for {text}")),
    }
}

fn expect(change: impl FnOnce(&mut Value), kind: ErrorKind, path: &str, message: &str) {
    let e = first_error(change);
    assert_eq!((e.kind, e.path.as_str()), (kind, path), "{e}");
    assert!(e.message.contains(message), "wanted {message:?} in {e}");
    assert_eq!(
        e.to_string(),
        if path.is_empty() {
            e.message.clone()
        } else {
            format!("{path}: {}", e.message)
        }
    );
}

use ErrorKind::{Format, Invalid, Limit, Overflow};

#[test]
fn the_base_scenario_is_valid() {
    let s = Scenario::from_json(&base().to_string()).expect("valid");
    assert!(engine::problems(&s).is_empty());
    engine::evaluate(&s).expect("evaluates");
}

#[test]
fn format_errors_name_the_field() {
    let e = Scenario::from_json("{ not json").expect_err("not json");
    assert_eq!(e.kind, Format);
    let e = Scenario::from_json(
        &base()
            .to_string()
            .replace("\"quote\"", "\"quote\": \"USD\", \"colour\""),
    )
    .expect_err("x");
    assert_eq!(
        (e.path.as_str(), e.message.as_str()),
        ("colour", "unknown field \"colour\"")
    );
    expect(
        |v| {
            v["positions"][1]["colour"] = json!("red");
        },
        Format,
        "positions[1].colour",
        "unknown field \"colour\"",
    );
    expect(
        |v| {
            v["positions"][0]
                .as_object_mut()
                .expect("obj")
                .remove("side");
        },
        Format,
        "positions[0]",
        "missing field \"side\"",
    );
    expect(
        |v| {
            v["positions"][0]["side"] = json!("up");
        },
        Format,
        "positions[0].side",
        "\"up\" is not one of long, short",
    );
    expect(
        |v| {
            v["positions"][0]["qty"] = json!("1,5");
        },
        Format,
        "positions[0].qty",
        "\"1,5\" is not a decimal number",
    );
    expect(
        |v| {
            v["positions"][0]["qty"] = json!("1e999");
        },
        Format,
        "positions[0].qty",
        "\"1e999\" is outside what an exact decimal holds",
    );
    expect(
        |v| {
            v["prices"]["BTC"] = json!(true);
        },
        Format,
        "prices.BTC",
        "a decimal number",
    );
    expect(
        |v| {
            v["markets"]["BTCUSDT"]["settlement"] = json!("quanto");
        },
        Format,
        "markets.BTCUSDT.settlement",
        "is not one of linear, inverse",
    );
    let e = Scenario::from_json(&format!("{} trailing", base())).expect_err("trailing");
    assert_eq!(e.kind, Format);
}

#[test]
fn numbers_may_be_json_numbers_read_from_their_shortest_text() {
    let mut v = base();
    v["positions"][0]["qty"] = json!(0.1);
    let s = Scenario::from_json(&v.to_string()).expect("valid");
    assert_eq!(s.positions[0].qty.0, Decimal::new(1, 1));
}

#[test]
fn limits_are_stated() {
    let huge = " ".repeat(limits::MAX_BYTES + 1);
    let e = Scenario::from_json(&huge).expect_err("too big");
    assert_eq!(e.kind, Limit);
    assert!(e.message.contains(&limits::MAX_BYTES.to_string()), "{e}");
    let position = base()["positions"][0].clone();
    expect(
        |v| {
            v["positions"] = Value::Array(vec![position; limits::MAX_POSITIONS + 1]);
        },
        Limit,
        "positions",
        &format!(
            "{} positions; the limit is {}",
            limits::MAX_POSITIONS + 1,
            limits::MAX_POSITIONS
        ),
    );
    let tier = json!({ "notional_floor": "0", "mmr": "0.01" });
    expect(
        |v| {
            v["markets"]["BTCUSD"]["tiers"] = Value::Array(vec![tier; limits::MAX_TIERS + 1]);
        },
        Limit,
        "markets.BTCUSD.tiers",
        &format!("the limit is {}", limits::MAX_TIERS),
    );
    expect(
        |v| {
            v["notes"] = json!("x".repeat(limits::MAX_TEXT + 1));
        },
        Limit,
        "notes",
        "longer than",
    );
    let mut many = serde_json::Map::new();
    for i in 0..=limits::MAX_ASSETS {
        many.insert(format!("A{i}"), json!("1"));
    }
    expect(
        |v| {
            v["prices"] = Value::Object(many);
        },
        Limit,
        "prices",
        "assets; the limit is",
    );
}

#[test]
fn scenario_level_errors() {
    expect(
        |v| {
            v["format"] = json!("marginscope/9");
        },
        Invalid,
        "format",
        "\"marginscope/9\" is not a format this version reads; it reads \"marginscope/1\"",
    );
    expect(
        |v| {
            v["quote"] = json!(" ");
        },
        Invalid,
        "quote",
        "must not be empty",
    );
    expect(
        |v| {
            v["prices"]["USD"] = json!("1");
        },
        Invalid,
        "prices.USD",
        "is the quote currency",
    );
    expect(
        |v| {
            v["prices"]["BTC"] = json!("0");
        },
        Invalid,
        "prices.BTC",
        "must be greater than 0",
    );
    expect(
        |v| {
            v["prices"]["BTC"] = json!("-5");
        },
        Invalid,
        "prices.BTC",
        "must be greater than 0",
    );
    expect(
        |v| {
            v["wallet"]["USD"] = json!("-1");
        },
        Invalid,
        "wallet.USD",
        "must not be negative",
    );
    expect(
        |v| {
            v["wallet"]["EUR"] = json!("1");
        },
        Invalid,
        "wallet.EUR",
        "neither the quote currency (USD) nor the coin of an inverse market",
    );
}

#[test]
fn market_errors() {
    expect(
        |v| {
            v["markets"]["BTCUSDT"]["asset"] = json!("DOGE");
        },
        Invalid,
        "markets.BTCUSDT.asset",
        "unknown asset \"DOGE\"; give it a price in prices",
    );
    expect(
        |v| {
            v["markets"]["BTCUSDT"]["contract_size"] = json!("0");
        },
        Invalid,
        "markets.BTCUSDT.contract_size",
        "must be greater than 0",
    );
    expect(
        |v| {
            v["markets"]["BTCUSDT"]["tiers"] = json!([]);
        },
        Invalid,
        "markets.BTCUSDT.tiers",
        "needs at least one tier",
    );
    expect(
        |v| {
            v["markets"]["BTCUSDT"]["tiers"][0]["notional_floor"] = json!("1");
        },
        Invalid,
        "markets.BTCUSDT.tiers[0].notional_floor",
        "the first tier must start at 0",
    );
    expect(
        |v| {
            v["markets"]["BTCUSDT"]["tiers"][1]["notional_floor"] = json!("40000");
        },
        Invalid,
        "markets.BTCUSDT.tiers[1].notional_floor",
        "must equal the previous tier's cap (50000)",
    );
    expect(
        |v| {
            v["markets"]["BTCUSDT"]["tiers"][0]["notional_cap"] = Value::Null;
        },
        Invalid,
        "markets.BTCUSDT.tiers[0].notional_cap",
        "only the last tier may be without a cap",
    );
    expect(
        |v| {
            v["markets"]["BTCUSDT"]["tiers"][0]["notional_cap"] = json!("0");
            v["markets"]["BTCUSDT"]["tiers"][1]["notional_floor"] = json!("0");
        },
        Invalid,
        "markets.BTCUSDT.tiers[0].notional_cap",
        "must be greater than the tier's floor",
    );
    expect(
        |v| {
            v["markets"]["BTCUSDT"]["tiers"][1]["mmr"] = json!("1");
        },
        Invalid,
        "markets.BTCUSDT.tiers[1].mmr",
        "must be at least 0 and less than 1",
    );
    expect(
        |v| {
            v["markets"]["BTCUSDT"]["tiers"][1]["mmr"] = json!("-0.1");
        },
        Invalid,
        "markets.BTCUSDT.tiers[1].mmr",
        "must be at least 0 and less than 1",
    );
    expect(
        |v| {
            v["markets"]["BTCUSDT"]["tiers"][1]["max_leverage"] = json!("0");
        },
        Invalid,
        "markets.BTCUSDT.tiers[1].max_leverage",
        "must be greater than 0",
    );
    expect(
        |v| {
            v["markets"][""] = v["markets"]["BTCUSD"].clone();
        },
        Invalid,
        "markets.",
        "must not be empty",
    );
}

#[test]
fn collateral_errors() {
    expect(
        |v| {
            v["collateral"][0]["asset"] = json!("XRP");
        },
        Invalid,
        "collateral[0].asset",
        "unknown asset \"XRP\"",
    );
    expect(
        |v| {
            v["collateral"][0]["qty"] = json!("-2");
        },
        Invalid,
        "collateral[0].qty",
        "must not be negative",
    );
    let t = "collateral[0].value_ratio_tiers";
    expect(
        |v| {
            v["collateral"][0]["value_ratio_tiers"][0]["qty_floor"] = json!("1");
        },
        Invalid,
        &format!("{t}[0].qty_floor"),
        "the first tier must start at 0",
    );
    expect(
        |v| {
            v["collateral"][0]["value_ratio_tiers"][1]["qty_floor"] = json!("11");
        },
        Invalid,
        &format!("{t}[1].qty_floor"),
        "must equal the previous tier's cap (10)",
    );
    expect(
        |v| {
            v["collateral"][0]["value_ratio_tiers"][0]["qty_cap"] = Value::Null;
        },
        Invalid,
        &format!("{t}[0].qty_cap"),
        "only the last tier may be without a cap",
    );
    expect(
        |v| {
            v["collateral"][0]["value_ratio_tiers"][1]["qty_cap"] = json!("5");
        },
        Invalid,
        &format!("{t}[1].qty_cap"),
        "must be greater than the tier's floor",
    );
    expect(
        |v| {
            v["collateral"][0]["value_ratio_tiers"][0]["ratio"] = json!("1.2");
        },
        Invalid,
        &format!("{t}[0].ratio"),
        "must be between 0 and 1",
    );
}

#[test]
fn position_errors() {
    expect(
        |v| {
            v["positions"][0]["market"] = json!("ETHUSDT");
        },
        Invalid,
        "positions[0].market",
        "unknown market \"ETHUSDT\"",
    );
    expect(
        |v| {
            v["positions"][0]["qty"] = json!("0");
        },
        Invalid,
        "positions[0].qty",
        "must be greater than 0",
    );
    expect(
        |v| {
            v["positions"][1]["entry_price"] = json!("0");
        },
        Invalid,
        "positions[1].entry_price",
        "must be greater than 0",
    );
    expect(
        |v| {
            v["positions"][0]["leverage"] = json!("0");
        },
        Invalid,
        "positions[0].leverage",
        "must be greater than 0",
    );
    expect(
        |v| {
            v["positions"][1]["isolated_margin"] = json!("-1");
        },
        Invalid,
        "positions[1].isolated_margin",
        "must not be negative",
    );
    expect(
        |v| {
            v["positions"][0]["leverage"] = json!("101");
        },
        Invalid,
        "positions[0].leverage",
        "101× is above the 100× that BTCUSDT allows for a notional of 60000 (tier 2)",
    );
    expect(
        |v| {
            v["positions"][1]["id"] = json!("BTCUSDT");
        },
        Invalid,
        "positions[1].id",
        "\"BTCUSDT\" is already the id of positions[0]",
    );
    expect(
        |v| {
            v["positions"][1]["id"] = json!("");
        },
        Invalid,
        "positions[1].id",
        "must not be empty",
    );
    let dup = base()["positions"][0].clone();
    expect(|v| { v["positions"].as_array_mut().expect("arr").push(dup.clone()); v["positions"][2]["id"] = json!("again"); }, Invalid, "positions[2].market",
        "one-way mode allows one position per market and positions[0] is already on BTCUSDT; turn on hedge mode");
    expect(
        |v| {
            v["hedge_mode"] = json!(true);
            v["positions"].as_array_mut().expect("arr").push(dup);
            v["positions"][2]["id"] = json!("again");
        },
        Invalid,
        "positions[2].market",
        "hedge mode allows one long position per market; positions[0] is already long BTCUSDT",
    );
}

/// Ids left to be derived from their markets (and sides, in hedge mode):
/// each duplicate names the position before it that has the same id, and
/// the same slot, in the order the positions come.
#[test]
fn ids_derived_from_markets_are_told_apart_as_ids_given_by_hand_are() {
    let problems = |change: &dyn Fn(&mut Value)| {
        let mut v = base();
        change(&mut v);
        let s = Scenario::from_json(&v.to_string()).expect("parses");
        engine::problems(&s)
            .into_iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
    };
    let btc_long = base()["positions"][0].clone();
    let push =
        |v: &mut Value, p: &Value| v["positions"].as_array_mut().expect("arr").push(p.clone());
    let one_way = "one-way mode allows one position per market and positions";
    assert_eq!(
        problems(&|v| {
            push(v, &btc_long);
            push(v, &btc_long);
        }),
        [
            "positions[2].id: \"BTCUSDT\" is already the id of positions[0]".to_string(),
            format!("positions[2].market: {one_way}[0] is already on BTCUSDT; turn on hedge mode to hold a long and a short"),
            "positions[3].id: \"BTCUSDT\" is already the id of positions[2]".to_string(),
            format!("positions[3].market: {one_way}[2] is already on BTCUSDT; turn on hedge mode to hold a long and a short"),
        ]
    );
    // Hedge mode: a long and a short share a market, not their ids.
    let mut btc_short = btc_long.clone();
    btc_short["side"] = json!("short");
    assert_eq!(
        problems(&|v| {
            v["hedge_mode"] = json!(true);
            push(v, &btc_short);
            push(v, &btc_long);
        }),
        [
            "positions[3].id: \"BTCUSDT:long\" is already the id of positions[0]",
            "positions[3].market: hedge mode allows one long position per market; positions[0] is already long BTCUSDT",
        ]
    );
    // A market that does not exist: its positions' ids are still compared.
    let mut nowhere = btc_long.clone();
    nowhere["market"] = json!("XRPUSDT");
    assert_eq!(
        problems(&|v| {
            push(v, &nowhere);
            push(v, &nowhere);
        }),
        [
            "positions[2].market: unknown market \"XRPUSDT\"",
            "positions[3].id: \"XRPUSDT\" is already the id of positions[2]",
            "positions[3].market: unknown market \"XRPUSDT\"",
        ]
    );
    // An id given by hand may equal a derived one, either way round.
    assert_eq!(
        problems(&|v| {
            v["positions"][0]["id"] = json!("BTCUSD");
        }),
        ["positions[1].id: \"BTCUSD\" is already the id of positions[0]"]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut v = base();
    v["positions"][0]["qty"] = json!("-1");
    v["prices"]["ETH"] = json!("0");
    v["wallet"]["USD"] = json!("-3");
    let s = Scenario::from_json(&v.to_string()).expect("parses");
    let mut paths: Vec<String> = engine::problems(&s).into_iter().map(|e| e.path).collect();
    paths.sort();
    assert_eq!(paths, ["positions[0].qty", "prices.ETH", "wallet.USD"]);
}

#[test]
fn overflow_is_an_error_that_says_so() {
    expect(
        |v| {
            v["positions"][0]["qty"] = json!("79228162514264337593543950335");
            v["positions"][0]["leverage"] = Value::Null;
        },
        Overflow,
        "positions[0]",
        "too large to compute exactly (decimal overflow)",
    );
    expect(
        |v| {
            v["wallet"]["USD"] = json!("79228162514264337593543950335");
            v["collateral"][0]["qty"] = json!("79228162514264337593543950335");
        },
        Overflow,
        "collateral[0]",
        "too large to compute exactly",
    );
}

#[test]
fn question_errors() {
    let s = Scenario::from_json(&base().to_string()).expect("valid");
    let e = questions::pnl_at_exit(&s, "nope", Decimal::ONE).expect_err("unknown");
    assert_eq!(
        e.to_string(),
        "question.position: no position has the id \"nope\""
    );
    let e = questions::pnl_at_exit(&s, "BTCUSDT", Decimal::ZERO).expect_err("zero");
    assert_eq!(e.to_string(), "question.exit_price: must be greater than 0");
    let e = questions::max_open(&s, "XRPUSDT", Side::Long, Decimal::TEN).expect_err("market");
    assert_eq!(e.to_string(), "question.market: unknown market \"XRPUSDT\"");
    let e = questions::max_open(&s, "BTCUSDT", Side::Long, Decimal::ZERO).expect_err("leverage");
    assert_eq!(e.to_string(), "question.leverage: must be greater than 0");
    let e = questions::apply_fill(&s, "BTCUSDT", Side::Long, Decimal::ZERO, Decimal::ONE)
        .expect_err("qty");
    assert_eq!(e.to_string(), "question.qty: must be greater than 0");
    let e = questions::apply_fill(&s, "BTCUSDT", Side::Long, Decimal::ONE, Decimal::ZERO)
        .expect_err("price");
    assert_eq!(e.to_string(), "question.price: must be greater than 0");
}

#[test]
fn the_documented_example_is_valid() {
    let doc = include_str!("../docs/scenario-format.md");
    let json = doc
        .split("```json")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("an example");
    let s = Scenario::from_json(json).expect("the example parses");
    let r = engine::evaluate(&s).expect("the example evaluates");
    assert_eq!(
        r.as_given.pools.len(),
        3,
        "cross, cross:BTC and the isolated short"
    );
}
