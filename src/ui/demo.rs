//! The scenario the page opens with.

use crate::engine::Scenario;

pub const ENTRY: i64 = 60_000;

pub fn scenario() -> Scenario {
    let text = r#"{
      "format": "marginscope/1",
      "quote": "USD",
      "wallet": { "USD": "10000" },
      "prices": { "BTC": "60000" },
      "markets": { "BTCUSDT": { "asset": "BTC", "tiers": [
        { "notional_floor": "0", "notional_cap": "50000", "mmr": "0.004", "max_leverage": "125" },
        { "notional_floor": "50000", "notional_cap": "600000", "mmr": "0.005", "max_leverage": "100" },
        { "notional_floor": "600000", "mmr": "0.0065", "max_leverage": "75" } ] } },
      "positions": [ { "market": "BTCUSDT", "side": "long", "qty": "1", "entry_price": "60000", "leverage": "10" } ]
    }"#;
    Scenario::from_json(text).unwrap_or_default()
}
