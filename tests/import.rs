//! The account import: every venue's documented example responses
//! (`tests/data/venues/`) read field by field, the traps each venue sets,
//! Hyperliquid's documented liquidation price reproduced, bad input refused
//! with a message, and an imported scenario that survives its own format.
#![cfg(not(target_arch = "wasm32"))]

use marginscope::engine::scenario::{MarginMode, Num, Scenario, Settlement, Side};
use marginscope::import::{import_account, Imported, Venue};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().expect("a decimal")
}

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/data/venues/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn import(paths: &[&str]) -> Imported {
    let texts: Vec<String> = paths.iter().map(|p| fixture(p)).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    import_account(&refs)
}

fn scenario(i: &Imported) -> &Scenario {
    i.scenario
        .as_ref()
        .unwrap_or_else(|| panic!("no scenario: {:?}", i.problem))
}

fn missing(i: &Imported, what: &str) -> bool {
    i.missing.iter().any(|m| m.what.contains(what))
}

// --- Hyperliquid ------------------------------------------------------------

#[test]
fn hyperliquids_documented_isolated_eth_long_is_liquidated_where_the_venue_says() {
    let i = import(&[
        "hyperliquid/clearinghouseState.json",
        "hyperliquid/meta.json",
    ]);
    assert_eq!(i.venue, Some(Venue::Hyperliquid));
    let s = scenario(&i);
    assert_eq!(s.quote, "USDC");
    // Cross cash 13,104.514502 plus the isolated account's margin: rawUsd
    // −95.059824 plus 0.0335 × 2,986.3.
    assert_eq!(s.wallet["USDC"], Num(d("13109.495728")));
    assert_eq!(s.prices["ETH"], Num(d("2985.9")), "positionValue / szi");
    // `cumFunding.sinceOpen`, the funding paid since it was opened.
    let paid = s.positions[0].costs_paid.as_ref().expect("costs paid");
    assert_eq!((paid.fees, paid.funding), (None, Num(d("0.0"))));
    let p = &s.positions[0];
    assert_eq!(
        (p.side, p.qty.0, p.entry_price.0),
        (Side::Long, d("0.0335"), d("2986.3"))
    );
    assert_eq!(p.margin_mode, MarginMode::Isolated);
    assert_eq!(p.leverage, Some(Num(d("20"))));
    assert_eq!(p.isolated_margin, Some(Num(d("4.981226"))));
    // MMR = 1 / (2 · 50).
    assert_eq!(s.markets["ETH"].tiers[0].mmr.0, d("0.01"));
    let c = &i.checks[0];
    assert_eq!(c.venue_liquidation_price, Some(d("2866.26936529")));
    // Exactly: rawUsd + 0.0335·P = 0.0335·P·0.01, P = 95.059824 / 0.033165.
    let exact = d("95.059824") / d("0.033165");
    let ours = c.liquidation_price.expect("a liquidation price");
    assert!((ours - exact).abs() < d("1e-20"), "{ours} vs {exact}");
    // The venue's rawUsd has 6 places: half a unit there over the slope
    // 0.033165, plus half a unit of the price's 8th place.
    let tolerance = c.liquidation_tolerance.expect("a tolerance");
    assert_eq!(tolerance, d("0.0000005") / d("0.033165") + d("0.000000005"));
    assert!((ours - d("2866.26936529")).abs() <= tolerance);
    assert!(c.agrees && c.checked);
    assert_eq!(i.summary(), "1 of 1 position agrees with the venue.");
    assert!(i.missing.is_empty(), "{:?}", i.missing);
}

#[test]
fn without_meta_hyperliquids_first_tier_comes_from_the_positions_own_max_leverage() {
    let i = import(&["hyperliquid/clearinghouseState.json"]);
    let s = scenario(&i);
    assert_eq!(s.markets["ETH"].tiers[0].mmr.0, d("0.01"));
    assert!(s.markets["ETH"]
        .source
        .as_deref()
        .is_some_and(|x| x.contains("maxLeverage 50")));
    assert!(missing(&i, "tier table"), "meta is still asked for");
    assert!(i.checks[0].agrees, "one tier is exact for this position");
}

#[test]
fn hyperliquid_meta_derives_each_tier_and_leaves_delisted_assets_out() {
    let mut meta = fixture("hyperliquid/meta.json");
    // ETH on the documented 'tiered 10x' table.
    meta = meta.replacen(
        "\"name\": \"ETH\",",
        "\"name\": \"ETH\", \"marginTableId\": 51,",
        1,
    );
    // At 5× (the table allows 10× for this size).
    let ch =
        fixture("hyperliquid/clearinghouseState.json").replace("\"value\": 20", "\"value\": 5");
    let i = import_account(&[&ch, &meta]);
    let t = &scenario(&i).markets["ETH"].tiers;
    assert_eq!(t.len(), 2);
    assert_eq!((t[0].mmr.0, t[1].mmr.0), (d("0.05"), d("0.1")));
    assert_eq!(t[0].notional_cap, Some(Num(d("3000000.0"))));
    assert_eq!(t[1].max_leverage, Some(Num(d("5"))));
    // The model's continuity rule is Hyperliquid's deduction: 3,000,000 × (0.1 − 0.05).
    let model = marginscope::engine::validate(scenario(&i)).expect("valid");
    let eth = model.markets.iter().find(|m| &*m.id == "ETH").expect("ETH");
    assert_eq!(eth.tiers[1].amount, d("150000.0"));
    assert!(
        i.sources[1].brought.contains("3 tier tables"),
        "{}",
        i.sources[1].brought
    );
}

#[test]
fn marks_from_another_response_are_named_and_the_positions_own_kept() {
    let i = import(&[
        "hyperliquid/clearinghouseState.json",
        "hyperliquid/metaAndAssetCtxs.json",
    ]);
    assert_eq!(scenario(&i).prices["ETH"], Num(d("2985.9")));
    assert!(
        i.notes
            .iter()
            .any(|n| n.contains("6.0436") && n.contains("another moment")),
        "{:?}",
        i.notes
    );
    assert!(i.sources[1].brought.contains("3 mark prices"));
}

#[test]
fn cross_and_isolated_positions_in_one_hyperliquid_account_keep_its_equity() {
    // A cross BTC short beside the documented isolated ETH long.
    let text = r#"{"assetPositions":[
      {"position":{"coin":"BTC","entryPx":"60000.0","leverage":{"type":"cross","value":10},"liquidationPx":"70000.0",
       "marginUsed":"590.0","maxLeverage":50,"positionValue":"5900.0","szi":"-0.1","unrealizedPnl":"100.0"},"type":"oneWay"},
      {"position":{"coin":"ETH","entryPx":"2986.3","leverage":{"rawUsd":"-95.059824","type":"isolated","value":20},
       "liquidationPx":"2866.26936529","marginUsed":"4.967826","maxLeverage":50,"positionValue":"100.02765","szi":"0.0335","unrealizedPnl":"-0.0134"},"type":"oneWay"}],
      "crossMaintenanceMarginUsed":"59.0",
      "crossMarginSummary":{"accountValue":"2100.0","totalMarginUsed":"590.0","totalNtlPos":"5900.0","totalRawUsd":"8000.0"},
      "marginSummary":{"accountValue":"2104.967826","totalMarginUsed":"594.967826","totalNtlPos":"6000.02765","totalRawUsd":"7904.940176"},
      "time":1,"withdrawable":"0"}"#;
    let i = import_account(&[text]);
    let s = scenario(&i);
    assert_eq!(s.positions[0].margin_mode, MarginMode::Cross);
    assert_eq!(s.positions[1].margin_mode, MarginMode::Isolated);
    let report = marginscope::engine::evaluate(s).expect("figures");
    // The cross pool's equity is the venue's cross account value: cash 8,000 − 0.1 × 59,000.
    let cross = report.as_given.pool("cross").expect("the cross pool");
    assert_eq!(cross.equity, d("2100.0"));
    assert_eq!(
        report.as_given.pool("ETH").expect("isolated").equity,
        d("4.967826")
    );
}

// --- Binance ----------------------------------------------------------------

#[test]
fn binance_v3_positions_need_symbol_config_for_leverage_and_margin_type() {
    let i = import(&["binance/positionRisk-v3-hedge.txt"]);
    let s = scenario(&i);
    assert!(s.hedge_mode, "LONG and SHORT position sides");
    assert_eq!(s.position_id(0), "ADAUSDT:long");
    assert_eq!(s.position_id(1), "COMPUSDT:short");
    assert_eq!(
        (s.positions[1].side, s.positions[1].qty.0),
        (Side::Short, d("1.000"))
    );
    assert_eq!(s.prices["COMP"], Num(d("49.72023376")));
    assert!(s.positions.iter().all(|p| p.leverage.is_none()));
    assert!(missing(&i, "ADAUSDT's leverage and margin mode"));
    assert!(
        i.missing
            .iter()
            .all(|m| !m.request.to_lowercase().contains("secret")),
        "no request asks for a secret"
    );
    // Binance writes "0" for no liquidation price; its maintenance margin is read.
    assert_eq!(i.checks[0].venue_liquidation_price, None);
    assert_eq!(i.checks[0].venue_maintenance_margin, Some(d("0.08004280")));
    assert_eq!(
        i.checks[1].venue_liquidation_price,
        Some(d("2260.56757210"))
    );
    // With symbolConfig for ADAUSDT, its settings are filled in and no longer missing.
    let config = r#"[{"symbol":"ADAUSDT","marginType":"ISOLATED","isAutoAddMargin":false,"leverage":5,"maxNotionalValue":"1000000"}]"#;
    let v3 = fixture("binance/positionRisk-v3-hedge.txt");
    let j = import_account(&[&v3, config]);
    let ada = &scenario(&j).positions[0];
    assert_eq!(
        (ada.leverage, ada.margin_mode),
        (Some(Num(d("5"))), MarginMode::Isolated)
    );
    assert!(!missing(&j, "ADAUSDT's leverage"));
    assert!(missing(&j, "COMPUSDT's leverage"));
}

#[test]
fn binance_v2_positions_carry_their_leverage_and_an_empty_side_is_left_out() {
    let i = import(&[
        "binance/positionRisk-v2-hedge.txt",
        "binance/symbolConfig.txt",
    ]);
    let s = scenario(&i);
    assert_eq!(
        s.positions.len(),
        1,
        "the SHORT side of size 0 is no position"
    );
    let p = &s.positions[0];
    assert_eq!(
        (p.side, p.qty.0, p.entry_price.0),
        (Side::Long, d("0.001"), d("22185.2"))
    );
    // Its own leverage (4) over symbolConfig's (21): the position is what it is.
    assert_eq!(
        (p.leverage, p.margin_mode),
        (Some(Num(d("4"))), MarginMode::Cross)
    );
    assert!(missing(&i, "the USDT wallet"));
    assert_eq!(s.wallet["USDT"], Num(Decimal::ZERO));
    // A cross long with no wallet, on example tiers: the reason is the tiers.
    assert!(!i.checks[0].agrees);
    assert!(i.checks[0]
        .reason
        .as_deref()
        .is_some_and(|r| r.contains("tier table")));
}

#[test]
fn binances_one_way_example_holds_no_position_and_says_so() {
    let i = import(&["binance/positionRisk-v2-oneway.txt"]);
    assert!(i.scenario.is_none());
    assert!(i
        .problem
        .as_deref()
        .is_some_and(|p| p.contains("no open position")));
    assert_eq!(
        i.sources[0].endpoint.as_deref(),
        Some("GET /fapi/v2/positionRisk")
    );
}

#[test]
fn binance_brackets_account_and_symbol_config_read_past_the_docs_typos() {
    let i = import(&[
        "binance/positionRisk-v3.txt",
        "binance/account-v3.txt",
        "binance/leverageBracket.txt",
        "binance/symbolConfig.txt",
    ]);
    let endpoints: Vec<&str> = i
        .sources
        .iter()
        .filter_map(|s| s.endpoint.as_deref())
        .collect();
    assert_eq!(
        endpoints,
        [
            "GET /fapi/v3/positionRisk",
            "GET /fapi/v3/account (or v2)",
            "GET /fapi/v1/leverageBracket",
            "GET /fapi/v1/symbolConfig"
        ]
    );
    assert!(
        i.sources.iter().all(|s| s.problem.is_none()),
        "{:?}",
        i.sources
    );
    let s = scenario(&i);
    assert_eq!(s.wallet["USDT"], Num(d("23.72469206")));
    assert!(i.sources[1].brought.contains("103.12345678 USDC"));
    // The bracket is ETHUSDT's: ADAUSDT still needs its own.
    assert!(missing(&i, "ADAUSDT's tier table"));
    let with_eth = r#"[{"symbol":"ETHUSDT","positionSide":"BOTH","positionAmt":"2","entryPrice":"3000","markPrice":"3100","liquidationPrice":"0","isolatedMargin":"0","notional":"6200","marginAsset":"USDT","isolatedWallet":"0","initialMargin":"310","maintMargin":"40.3","updateTime":1}]"#;
    let brackets = fixture("binance/leverageBracket.txt");
    let j = import_account(&[with_eth, &brackets]);
    let eth = &scenario(&j).markets["ETHUSDT"];
    assert_eq!(eth.tiers.len(), 1);
    assert_eq!(eth.tiers[0].mmr.0, d("0.0065"));
    assert_eq!(eth.tiers[0].maintenance_amount, Some(Num(d("0"))));
    assert_eq!(eth.tiers[0].max_leverage, Some(Num(d("75"))));
    assert!(eth
        .source
        .as_deref()
        .is_some_and(|x| x.contains("notionalCoef 1.5")));
    // 2 × 3,100 × 0.65 % = 40.3: Binance's maintenance margin, ours to the cent.
    assert_eq!(j.checks[0].maintenance_margin, Some(d("40.3")));
    assert!(j.checks[0].agrees, "{:?}", j.checks[0]);
}

// --- Bybit ------------------------------------------------------------------

#[test]
fn bybits_inverse_example_settles_in_the_coin_and_its_percentages_are_read_as_such() {
    let i = import(&[
        "bybit/position-list.json",
        "bybit/wallet-balance.json",
        "bybit/risk-limit.txt",
    ]);
    assert_eq!(i.venue, Some(Venue::Bybit));
    let s = scenario(&i);
    let m = &s.markets["BTCUSD"];
    assert_eq!(
        (m.asset.as_str(), m.settlement),
        ("BTC", Settlement::Inverse)
    );
    assert_eq!(m.contract_size.0, Decimal::ONE);
    // "0.5" with an initial "1" at 100×: percentages, 0.5 % read as 0.005.
    assert_eq!(m.tiers[0].mmr.0, d("0.005"));
    assert_eq!(m.tiers[0].max_leverage, Some(Num(d("100.00"))));
    assert!(m
        .source
        .as_deref()
        .is_some_and(|x| x.contains("percentages")));
    let p = &s.positions[0];
    assert_eq!(
        (p.side, p.qty.0, p.entry_price.0),
        (Side::Short, d("300"), d("27464.50441675"))
    );
    assert_eq!(p.leverage, Some(Num(d("10"))));
    assert_eq!(s.prices["BTC"], Num(d("28224.50")));
    assert_eq!(
        s.wallet["BTC"],
        Num(Decimal::ZERO),
        "the documented BTC balance is 0"
    );
    assert!(
        !s.wallet.contains_key("USDT"),
        "no USDT position, no USDT wallet asked for"
    );
    // "" is no liquidation price; the position's maintenance margin is read.
    assert_eq!(i.checks[0].venue_liquidation_price, None);
    assert_eq!(i.checks[0].venue_maintenance_margin, Some(d("0.0000015")));
}

#[test]
fn a_bybit_table_of_fractions_is_read_as_fractions() {
    let table = r#"{"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[
      {"id":1,"symbol":"BTCUSDT","riskLimitValue":"2000000","maintenanceMargin":"0.005","initialMargin":"0.01","isLowestRisk":1,"maxLeverage":"100.00"},
      {"id":2,"symbol":"BTCUSDT","riskLimitValue":"4000000","maintenanceMargin":"0.01","initialMargin":"0.02","isLowestRisk":0,"maxLeverage":"50.00","mmDeduction":"10000"}]}}"#;
    let pos = r#"{"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[
      {"positionIdx":1,"symbol":"BTCUSDT","side":"Buy","size":"1","avgPrice":"60000","markPrice":"60000","leverage":"10","tradeMode":1,"positionIM":"6000","positionMM":"300","liqPrice":"54300"}]}}"#;
    let i = import_account(&[pos, table]);
    let s = scenario(&i);
    let t = &s.markets["BTCUSDT"].tiers;
    assert_eq!((t[0].mmr.0, t[1].mmr.0), (d("0.005"), d("0.01")));
    assert_eq!(
        (t[0].notional_cap, t[1].notional_floor.0),
        (Some(Num(d("2000000"))), d("2000000"))
    );
    assert_eq!(t[1].maintenance_amount, Some(Num(d("10000"))));
    assert!(s.hedge_mode, "positionIdx 1: the Buy side of hedge mode");
    assert_eq!(s.positions[0].margin_mode, MarginMode::Isolated);
    assert_eq!(s.positions[0].isolated_margin, Some(Num(d("6000"))));
    // 6,000 − (60,000 − P) = 0.005·P → P = 54,000 / 0.995: not the venue's 54,300 (Bybit
    // also reserves the closing fee), and said so.
    assert!(!i.checks[0].agrees);
    assert!(i.checks[0].reason.is_some());
}

// --- OKX --------------------------------------------------------------------

#[test]
fn okxs_documented_positions_are_spot_margin_and_left_out_by_name() {
    let i = import(&["okx/positions.json"]);
    assert!(i.scenario.is_none());
    assert_eq!(
        i.sources[0].endpoint.as_deref(),
        Some("GET /api/v5/account/positions")
    );
    assert!(
        i.notes
            .iter()
            .any(|n| n.contains("1 spot-margin or option position left out")),
        "{:?}",
        i.notes
    );
}

#[test]
fn okx_sizes_are_contracts_times_the_contract_value() {
    let swap = r#"{"code":"0","msg":"","data":[{"instType":"SWAP","instId":"BTC-USDT-SWAP","mgnMode":"cross","posSide":"net",
      "pos":"-25","avgPx":"60000","markPx":"61000","lever":"20","liqPx":"","mmr":"6.1","ccy":"USDT"}]}"#;
    let instruments = fixture("okx/instruments.json");
    let balance = fixture("okx/balance.json");
    let i = import_account(&[swap, &instruments, &balance]);
    let s = scenario(&i);
    let m = &s.markets["BTC-USDT-SWAP"];
    assert_eq!(m.contract_size.0, d("0.01"), "ctVal × ctMult");
    assert_eq!(
        (s.positions[0].side, s.positions[0].qty.0),
        (Side::Short, d("25"))
    );
    assert_eq!(
        s.wallet["USDT"],
        Num(d("4850.435693622894")),
        "cash, without unrealised PnL"
    );
    assert!(!missing(&i, "contract value"));
    // 25 contracts of 0.01 BTC at 61,000: a notional of 15,250.
    let report = marginscope::engine::evaluate(s).expect("figures");
    assert_eq!(report.as_given.positions[0].notional, d("15250.00"));
    // Without the instruments response the size is unknown, and asked for.
    let j = import_account(&[swap]);
    assert!(missing(&j, "BTC-USDT-SWAP's contract value"));
}

#[test]
fn okx_tiers_by_size_become_the_one_tier_a_position_is_in() {
    let swap = r#"{"code":"0","msg":"","data":[{"instType":"SWAP","instId":"BTC-USDT-SWAP","mgnMode":"isolated","posSide":"long",
      "pos":"1500","avgPx":"60000","markPx":"60000","lever":"10","liqPx":"54600","margin":"90000","mmr":"","ccy":"USDT"}]}"#;
    let tiers = r#"{"code":"0","msg":"","data":[
      {"instFamily":"BTC-USDT","tier":"1","minSz":"0","maxSz":"1000","mmr":"0.004","imr":"0.01","maxLever":"100"},
      {"instFamily":"BTC-USDT","tier":"2","minSz":"1000","maxSz":"2000","mmr":"0.006","imr":"0.0133","maxLever":"75"}]}"#;
    let i = import_account(&[swap, tiers]);
    let t = &scenario(&i).markets["BTC-USDT-SWAP"].tiers;
    assert_eq!(t.len(), 1);
    assert_eq!(
        (t[0].mmr.0, t[0].max_leverage),
        (d("0.006"), Some(Num(d("75"))))
    );
    assert!(scenario(&i).markets["BTC-USDT-SWAP"]
        .source
        .as_deref()
        .is_some_and(|x| x.contains("1500 contracts")));
    assert_eq!(
        scenario(&i).positions[0].isolated_margin,
        Some(Num(d("90000")))
    );
}

#[test]
fn okxs_2021_inverse_future_is_read_with_what_it_still_needs() {
    let i = import(&[
        "okx/positions-futures-2021.json",
        "okx/balance.json",
        "okx/position-tiers.json",
    ]);
    let s = scenario(&i);
    let m = &s.markets["ETH-USD-210430"];
    assert_eq!(
        (m.asset.as_str(), m.settlement),
        ("ETH", Settlement::Inverse)
    );
    let p = &s.positions[0];
    assert_eq!(
        (p.side, p.qty.0, p.margin_mode),
        (Side::Long, d("1"), MarginMode::Isolated)
    );
    assert_eq!(p.isolated_margin, Some(Num(d("0.0003896645377994"))));
    assert!(missing(&i, "ETH-USD-210430's contract value"));
    assert!(missing(&i, "the ETH wallet"));
    assert_eq!(
        i.checks[0].venue_liquidation_price,
        Some(d("2352.8496681818233"))
    );
    // Its costs so far: OKX writes a fee charged as a negative `fee`.
    let paid = p.costs_paid.as_ref().expect("costs paid");
    assert_eq!(
        (paid.fees, paid.funding),
        (Some(Num(d("0.0001"))), Num(d("0")))
    );
    // They count in its break-even price after costs.
    let r = marginscope::engine::evaluate(s).expect("evaluates");
    let c = r.as_given.positions[0]
        .costs
        .as_ref()
        .expect("costs are shown");
    assert_eq!(c.paid, d("0.0001"));
}

// --- Bad input --------------------------------------------------------------

#[test]
fn anything_else_gets_a_message_naming_what_it_is_and_nothing_else_breaks() {
    let good = fixture("hyperliquid/clearinghouseState.json");
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let huge = format!("[\"{}\"]", "x".repeat(9 * 1024 * 1024));
    let ours = Scenario::default().to_json();
    for (text, says) in [
        ("{\"a\": 1}", "none of the responses"),
        ("{\"assetPositions\": [", "ends inside a list"),
        (deep.as_str(), "nested deeper"),
        (huge.as_str(), "more than the"),
        ("<script>alert(1)</script>", "not a JSON value"),
        ("{\"apiKey\": \"k\", \"secret\": \"s\"}", "never takes one"),
        (ours.as_str(), "Import JSON"),
        ("", "empty"),
    ] {
        let i = import_account(&[text, &good]);
        let problem = i.sources[0]
            .problem
            .as_deref()
            .unwrap_or_else(|| panic!("no problem for {}", &text[..text.len().min(40)]));
        assert!(problem.contains(says), "{problem}");
        // The good text is read all the same.
        assert!(i.scenario.is_some(), "{}", &text[..text.len().min(40)]);
    }
}

#[test]
fn pastes_from_two_venues_are_refused_together() {
    let i = import(&[
        "hyperliquid/clearinghouseState.json",
        "bybit/position-list.json",
    ]);
    assert!(i.scenario.is_none());
    assert!(
        i.problem
            .as_deref()
            .is_some_and(|p| p.contains("Hyperliquid and Bybit v5")),
        "{:?}",
        i.problem
    );
}

#[test]
fn a_name_that_is_markup_stays_text() {
    let text = r#"{"assetPositions":[{"position":{"coin":"<img src=x onerror=alert(1)>","entryPx":"1","leverage":{"type":"cross","value":2},
      "liquidationPx":null,"maxLeverage":3,"positionValue":"1","szi":"1"},"type":"oneWay"}],
      "crossMarginSummary":{"accountValue":"10","totalMarginUsed":"0","totalNtlPos":"1","totalRawUsd":"9"},"marginSummary":{"accountValue":"10"}}"#;
    let i = import_account(&[text]);
    let s = scenario(&i);
    assert!(s.markets.contains_key("<img src=x onerror=alert(1)>"));
    // It is data: the scenario writes and reads back as it is.
    assert_eq!(Scenario::from_json(&s.to_json()).as_ref(), Ok(s));
}

// --- The scenario survives its own format -------------------------------------

prop_compose! {
    fn hyperliquid_account()(
        legs in prop::collection::vec((0usize..4, any::<bool>(), 1i64..100_000, 1i64..500_000, any::<bool>(), 1i64..50), 1..5),
        cash in 0i64..10_000_000,
    ) -> String {
        let coins = ["BTC", "ETH", "SOL", "HYPE"];
        let mut seen = Vec::new();
        // The venue's cash: what was paid in, less what cross longs cost, plus what cross shorts sold.
        let mut raw = Decimal::new(cash, 2);
        let positions: Vec<String> = legs.into_iter().filter(|(c, ..)| {
            let fresh = !seen.contains(c);
            seen.push(*c);
            fresh
        }).map(|(c, long, size, entry, isolated, lev)| {
            let szi = Decimal::new(if long { size } else { -size }, 4);
            let entry = Decimal::new(entry, 2);
            let cost = szi * entry;
            let kind = if isolated {
                // Its own account: the initial margin at its leverage, less what the position cost.
                let margin = (cost.abs() / Decimal::from(lev)).round_dp(6);
                format!(r#""type":"isolated","rawUsd":"{}""#, margin - cost)
            } else {
                raw -= cost;
                r#""type":"cross""#.to_string()
            };
            format!(r#"{{"position":{{"coin":"{}","entryPx":"{entry}","leverage":{{{kind},"value":{lev}}},"liquidationPx":null,
              "maxLeverage":50,"positionValue":"{}","szi":"{szi}"}},"type":"oneWay"}}"#, coins[c], cost.abs().normalize())
        }).collect();
        format!(r#"{{"assetPositions":[{}],"crossMarginSummary":{{"accountValue":"1","totalRawUsd":"{}"}},"marginSummary":{{"accountValue":"1"}}}}"#,
            positions.join(","), raw)
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200),
        ..ProptestConfig::default()
    })]

    #[test]
    fn an_imported_scenario_exported_and_imported_back_is_the_same(text in hyperliquid_account()) {
        let i = import_account(&[&text]);
        let s = i.scenario.expect("a scenario");
        let back = Scenario::from_json(&s.to_json());
        prop_assert_eq!(back.as_ref(), Ok(&s));
        // And the page's own Import JSON reads it as the same account.
        prop_assert!(marginscope::engine::validate(&s).is_ok(), "{:?}", marginscope::engine::problems(&s));
    }
}
