//! Market presets and the workshop lessons. The tier tables are illustrative,
//! in the style of the venues named in each `source`, not live venue data.
//! Pure data: the UI shows them, and `tests/presets.rs` checks that every
//! number a lesson's story states is what the engine computes.

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

/// A worked scenario for a workshop: what it shows, and what to try.
pub struct Lesson {
    /// Stable, for links and embeds (`?preset=hedged-pair`).
    pub id: &'static str,
    pub title: &'static str,
    pub story: &'static str,
    /// The slider move (or edit) that makes the point.
    pub try_this: &'static str,
    /// The prices, wallet and positions; the markets are added from `MARKETS`.
    body: &'static str,
    markets: &'static [&'static str],
}

impl Lesson {
    pub fn scenario(&self) -> Scenario {
        let markets: Vec<String> = self
            .markets
            .iter()
            .filter_map(|id| MARKETS.iter().find(|(m, _)| m == id))
            .map(|(id, m)| format!("\"{id}\": {m}"))
            .collect();
        let text = format!(
            r#"{{ "format": "marginscope/1", "name": {}, "notes": {}, "markets": {{ {} }}, {} }}"#,
            json_string(self.title),
            json_string(&format!("{} Try this: {}", self.story, self.try_this)),
            markets.join(", "),
            self.body
        );
        // Fixed text, checked by tests/presets.rs; the default is never reached.
        Scenario::from_json(&text).unwrap_or_default()
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

pub const LESSONS: &[Lesson] = &[
    Lesson {
        id: "one-bad-trade",
        title: "One bad trade drains a cross account",
        story: "Three positions at 10x on an 8,000 USD wallet. Under cross margin the SOL loss eats the shared wallet: at SOL 98.957 all three positions are liquidated at once. Under isolated margin the SOL position dies alone, at 136.40, and BTC and ETH keep their margin.",
        try_this: "drag SOL down to 95.",
        body: r#""quote": "USD", "wallet": { "USD": "8000" }, "prices": { "BTC": "60000", "ETH": "3000", "SOL": "150" },
        "positions": [
        { "market": "BTCUSDT", "side": "long", "qty": "0.5", "entry_price": "60000", "leverage": "10" },
        { "market": "ETHUSDT", "side": "short", "qty": "5", "entry_price": "3000", "leverage": "10" },
        { "market": "SOLUSDT", "side": "long", "qty": "150", "entry_price": "150", "leverage": "10" } ]"#,
        markets: &["BTCUSDT", "ETHUSDT", "SOLUSDT"],
    },
    Lesson {
        id: "hedged-pair",
        title: "A hedged pair survives in cross, dies in isolated",
        story: "In hedge mode, 1 BTC long and 1 BTC short at 20x on a 6,000 USD wallet. Cross: the two PnLs cancel, so no price on the slider liquidates the pool. Isolated: each side has only its 3,000, so the long dies below 57,236.19 and the short above 62,736.31, and the other side's gain cannot save it.",
        try_this: "drag BTC down to 57,000, then up to 63,000.",
        body: r#""quote": "USD", "hedge_mode": true, "wallet": { "USD": "6000" }, "prices": { "BTC": "60000" },
        "positions": [
        { "market": "BTCUSDT", "side": "long", "qty": "1", "entry_price": "60000", "leverage": "20" },
        { "market": "BTCUSDT", "side": "short", "qty": "1", "entry_price": "60000", "leverage": "20" } ]"#,
        markets: &["BTCUSDT"],
    },
    Lesson {
        id: "double-exposure",
        title: "BTC collateral behind a BTC long: hit twice",
        story: "A 2 BTC long backed by 1 BTC of collateral (counted at 95 %) and nothing else. When BTC falls the position loses and the collateral shrinks with it: the pool is liquidated at 40,799.32. The same collateral value held as 57,000 USD would hold until 31,633.17.",
        try_this: "drag BTC down to 41,000; then remove the BTC collateral and type 57000 in the USD wallet.",
        body: r#""quote": "USD", "wallet": { "USD": "0" }, "prices": { "BTC": "60000" },
        "collateral": [ { "asset": "BTC", "qty": "1", "value_ratio_tiers": [ { "qty_floor": "0", "ratio": "0.95" } ] } ],
        "positions": [ { "market": "BTCUSDT", "side": "long", "qty": "2", "entry_price": "60000", "leverage": "20" } ]"#,
        markets: &["BTCUSDT"],
    },
    Lesson {
        id: "crossing-tiers",
        title: "A large short climbs the maintenance tiers",
        story: "A 45 BTC short: 2.7 million USD of notional, in the 0.65 % tier. As BTC rises its notional passes 3 million at 66,666.67 and the rate steps up to 1 %: the dashed maintenance line bends there, and the liquidation price, 72,859.18, is solved in the higher tier.",
        try_this: "drag BTC up past 66,667 and watch the maintenance margin and the tier in the explanation.",
        body: r#""quote": "USD", "wallet": { "USD": "600000" }, "prices": { "BTC": "60000" },
        "positions": [ { "market": "BTCUSDT", "side": "short", "qty": "45", "entry_price": "60000", "leverage": "5" } ]"#,
        markets: &["BTCUSDT"],
    },
    Lesson {
        id: "inverse-curve",
        title: "An inverse contract's PnL is a curve",
        story: "1,000 coin-margined contracts of 100 USD each, long from 60,000, on 0.5 BTC. The PnL is counted in BTC, 100,000 ÷ 60,000 − 100,000 ÷ P, so it is a curve: a rise to 90,000 earns 0.555556 BTC, a fall to 30,000 loses 1.666667 BTC. The position is liquidated at 46,338.47.",
        try_this: "drag BTC from 30,000 to 90,000 and watch the equity curve bend.",
        body: r#""quote": "USD", "wallet": { "BTC": "0.5" }, "prices": { "BTC": "60000" },
        "positions": [ { "market": "BTCUSD_PERP", "side": "long", "qty": "1000", "entry_price": "60000", "leverage": "20" } ]"#,
        markets: &["BTCUSD_PERP"],
    },
    Lesson {
        id: "add-margin",
        title: "Adding margin to an isolated position",
        story: "A 150 SOL long at 10x, isolated with 2,250 USD of margin: liquidated at 136.40. Adding margin moves the liquidation price away without touching the rest of the wallet: with 4,500 it is 121.22.",
        try_this: "type 4500 in the position's Isolated margin field.",
        body: r#""quote": "USD", "wallet": { "USD": "10000" }, "prices": { "SOL": "150" },
        "positions": [ { "market": "SOLUSDT", "side": "long", "qty": "150", "entry_price": "150", "leverage": "10", "margin_mode": "isolated", "isolated_margin": "2250" } ]"#,
        markets: &["SOLUSDT"],
    },
];

/// The scenario the app opens with: the first lesson.
pub fn opening() -> Scenario {
    LESSONS[0].scenario()
}

pub fn lesson(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.id == id)
}
