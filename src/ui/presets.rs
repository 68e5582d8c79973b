//! Market presets and the opening scenario. The tier tables are illustrative,
//! in the style of the venues named in each `source`, not live venue data.

use crate::engine::Scenario;

/// Markets a trader can add from the editor: id and JSON of the market.
pub const MARKETS: &[(&str, &str)] = &[
    (
        "BTCUSDT",
        r#"{ "asset": "BTC", "source": "Example in the style of Binance USDT-margined brackets (2024)", "tiers": [
        { "notional_floor": "0", "notional_cap": "50000", "mmr": "0.004", "max_leverage": "125" },
        { "notional_floor": "50000", "notional_cap": "600000", "mmr": "0.005", "max_leverage": "100" },
        { "notional_floor": "600000", "notional_cap": "3000000", "mmr": "0.0065", "max_leverage": "75" },
        { "notional_floor": "3000000", "notional_cap": "12000000", "mmr": "0.01", "max_leverage": "50" },
        { "notional_floor": "12000000", "mmr": "0.02", "max_leverage": "25" } ] }"#,
    ),
    (
        "ETHUSDT",
        r#"{ "asset": "ETH", "source": "Example in the style of Binance USDT-margined brackets (2024)", "tiers": [
        { "notional_floor": "0", "notional_cap": "50000", "mmr": "0.005", "max_leverage": "100" },
        { "notional_floor": "50000", "notional_cap": "500000", "mmr": "0.0065", "max_leverage": "75" },
        { "notional_floor": "500000", "notional_cap": "4000000", "mmr": "0.01", "max_leverage": "50" },
        { "notional_floor": "4000000", "mmr": "0.02", "max_leverage": "25" } ] }"#,
    ),
    (
        "SOLUSDT",
        r#"{ "asset": "SOL", "source": "Example in the style of Bybit risk limits (2024)", "tiers": [
        { "notional_floor": "0", "notional_cap": "20000", "mmr": "0.01", "max_leverage": "50" },
        { "notional_floor": "20000", "notional_cap": "200000", "mmr": "0.02", "max_leverage": "25" },
        { "notional_floor": "200000", "mmr": "0.05", "max_leverage": "10" } ] }"#,
    ),
    (
        "DOGEUSDT",
        r#"{ "asset": "DOGE", "source": "Example small-coin brackets in the style of Binance (2024)", "tiers": [
        { "notional_floor": "0", "notional_cap": "5000", "mmr": "0.02", "max_leverage": "25" },
        { "notional_floor": "5000", "notional_cap": "50000", "mmr": "0.05", "max_leverage": "10" },
        { "notional_floor": "50000", "mmr": "0.1", "max_leverage": "5" } ] }"#,
    ),
    (
        "BTCUSD_PERP",
        r#"{ "asset": "BTC", "settlement": "inverse", "contract_size": "100",
        "source": "Example in the style of Binance COIN-M brackets, in BTC (2024)", "tiers": [
        { "notional_floor": "0", "notional_cap": "5", "mmr": "0.004", "max_leverage": "125" },
        { "notional_floor": "5", "notional_cap": "10", "mmr": "0.005", "max_leverage": "100" },
        { "notional_floor": "10", "notional_cap": "20", "mmr": "0.01", "max_leverage": "50" },
        { "notional_floor": "20", "mmr": "0.025", "max_leverage": "20" } ] }"#,
    ),
];

/// Default mark prices for the preset assets.
pub const PRICES: &[(&str, &str)] = &[
    ("BTC", "60000"),
    ("ETH", "3000"),
    ("SOL", "150"),
    ("DOGE", "0.15"),
];

/// The opening lesson: one bad SOL trade among three. Drag SOL down: under
/// cross margin its loss drains the shared wallet until every position is
/// liquidated at once; under isolated margin only the SOL position dies.
pub fn opening() -> Scenario {
    let mut text = String::from(
        r#"{ "format": "marginscope/1", "name": "One bad trade drains a cross account",
        "notes": "Drag SOL down. Cross: the SOL loss eats the shared wallet and liquidates all three positions at once. Isolated: only SOL dies.",
        "quote": "USD", "wallet": { "USD": "8000" }, "prices": {"#,
    );
    let prices: Vec<String> = PRICES
        .iter()
        .take(3)
        .map(|(a, p)| format!("\"{a}\": \"{p}\""))
        .collect();
    text.push_str(&prices.join(", "));
    text.push_str("}, \"markets\": {");
    let markets: Vec<String> = MARKETS
        .iter()
        .take(3)
        .map(|(id, m)| format!("\"{id}\": {m}"))
        .collect();
    text.push_str(&markets.join(", "));
    text.push_str(
        r#"}, "positions": [
        { "market": "BTCUSDT", "side": "long", "qty": "0.5", "entry_price": "60000", "leverage": "10" },
        { "market": "ETHUSDT", "side": "short", "qty": "5", "entry_price": "3000", "leverage": "10" },
        { "market": "SOLUSDT", "side": "long", "qty": "150", "entry_price": "150", "leverage": "10" } ] }"#,
    );
    Scenario::from_json(&text).unwrap_or_default()
}
