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
        "BTCUSDT-0327",
        r#"{ "asset": "BTC", "premium": { "asset_price": "60000", "mark_price": "60900" },
        "source": "Example dated future (linear, March expiry) at a 1.5 % premium to BTC, tiers as BTCUSDT's", "tiers": [
        { "notional_floor": "0", "notional_cap": "50000", "mmr": "0.004", "max_leverage": "125" },
        { "notional_floor": "50000", "notional_cap": "600000", "mmr": "0.005", "max_leverage": "100" },
        { "notional_floor": "600000", "notional_cap": "3000000", "mmr": "0.0065", "max_leverage": "75" },
        { "notional_floor": "3000000", "notional_cap": "12000000", "mmr": "0.01", "max_leverage": "50" },
        { "notional_floor": "12000000", "mmr": "0.02", "max_leverage": "25" } ] }"#,
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

/// A published set of portfolio margin parameters, named and dated, with
/// what it says for an asset (`None`: the set says nothing for it).
pub struct PortfolioSet {
    /// Stable, for the editor's menu.
    pub id: &'static str,
    pub name: &'static str,
    /// Where it comes from.
    pub source: &'static str,
    /// The parameters' JSON for an asset, in the `portfolio_margin` format.
    params: fn(&str) -> &'static str,
}

impl PortfolioSet {
    /// The set's parameters for `asset`, with their source.
    pub fn params(&self, asset: &str) -> Option<crate::engine::scenario::PortfolioParams> {
        let mut p: crate::engine::scenario::PortfolioParams =
            serde_json::from_str((self.params)(asset)).ok()?;
        let which = match asset {
            "BTC" | "ETH" => asset.to_string(),
            _ => format!("{asset}, by the set's line for other assets"),
        };
        p.source = Some(format!("{} ({which})", self.name));
        Some(p)
    }
}

/// The sets a user can pick (docs/scenario-format.md, "Portfolio margin"):
/// data, dated; they change, and any can be edited once picked.
pub const PORTFOLIO_SETS: &[PortfolioSet] = &[
    PortfolioSet {
        id: "deribit-2024",
        name: "Deribit PM, 2024 docs",
        source: "docs.deribit.com, private/pme/simulate: model_params (price_range, 4 buckets a side; min_annualised_move; mm_factor 0.8)",
        params: |asset| match asset {
            "BTC" => r#"{ "shocks": ["-0.16", "-0.12", "-0.08", "-0.04", "0", "0.04", "0.08", "0.12", "0.16"],
                "gain_weight": "0", "roll_rate": "0.01", "mm_factor": "0.8", "im_factor": "1" }"#,
            _ => r#"{ "shocks": ["-0.18", "-0.135", "-0.09", "-0.045", "0", "0.045", "0.09", "0.135", "0.18"],
                "gain_weight": "0", "roll_rate": "0.005", "mm_factor": "0.8", "im_factor": "1" }"#,
        },
    },
    PortfolioSet {
        id: "okx-2025-01",
        name: "OKX PM, 2025-01",
        source: "OKX help centre, portfolio margin mode (MR1 shocks from 2025-01-06; MR4 basis 0.2 % and MR7 floor 0.45 % of |delta| as in OKX's BTC example; IM = 1.3 × MM)",
        params: |asset| match asset {
            "BTC" | "ETH" => r#"{ "shocks": ["-0.12", "-0.08", "-0.04", "0", "0.04", "0.08", "0.12"],
                "gain_weight": "0", "basis_rate": "0.002", "floor_rate": "0.0045", "mm_factor": "1", "im_factor": "1.3" }"#,
            _ => r#"{ "shocks": ["-0.18", "-0.12", "-0.06", "0", "0.06", "0.12", "0.18"],
                "gain_weight": "0", "basis_rate": "0.002", "floor_rate": "0.0045", "mm_factor": "1", "im_factor": "1.3" }"#,
        },
    },
];

pub fn portfolio_set(id: &str) -> Option<&'static PortfolioSet> {
    PORTFOLIO_SETS.iter().find(|s| s.id == id)
}

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
    /// Fees and funding given to each of its markets (a JSON fragment; empty: none).
    costs: &'static str,
    /// Its "try this" as moves a presenter plays one at a time: an asset's
    /// price, or (`holding_days`) the holding period.
    pub moves: &'static [Move],
}

/// One move of a lesson's "try this".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move {
    /// An asset (a key of the scenario's prices), or `holding_days`.
    pub what: &'static str,
    pub to: &'static str,
}

const fn mv(what: &'static str, to: &'static str) -> Move {
    Move { what, to }
}

impl Lesson {
    pub fn scenario(&self) -> Scenario {
        let markets: Vec<String> = self
            .markets
            .iter()
            .filter_map(|id| MARKETS.iter().find(|(m, _)| m == id))
            .map(
                |(id, m)| match (self.costs, m.trim_end().strip_suffix('}')) {
                    ("", _) | (_, None) => format!("\"{id}\": {m}"),
                    (costs, Some(open)) => format!("\"{id}\": {open}, {costs} }}"),
                },
            )
            .collect();
        let text = format!(
            r#"{{ "format": "marginscope/1", "name": {}, "notes": {}, "markets": {{ {} }}, {} }}"#,
            json_string(self.title),
            json_string(&format!("{} Try this: {}", self.story, self.try_this)),
            markets.join(", "),
            self.body
        );
        // Fixed text, checked by tests/presets.rs; the default is never reached.
        let mut s = Scenario::from_json(&text).unwrap_or_default();
        // Every lesson shows its book under portfolio margin too: an asset
        // the lesson gives no parameters gets the first published set's.
        if let Some(set) = PORTFOLIO_SETS.first() {
            for asset in s.traded_assets() {
                if let std::collections::btree_map::Entry::Vacant(e) =
                    s.portfolio_margin.entry(asset)
                {
                    if let Some(params) = set.params(e.key()) {
                        e.insert(params);
                    }
                }
            }
        }
        s
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

pub const LESSONS: &[Lesson] = &[
    Lesson {
        id: "one-bad-trade",
        title: "One bad trade drains a cross account",
        story: "Three positions at 10x on an 8,000 USD wallet. Under cross margin the SOL loss eats the shared wallet: at SOL 98.957 all three positions are liquidated at once. Under isolated margin the SOL position dies alone, at 136.40, and BTC and ETH keep their margin. Portfolio margin (Deribit's grid) nets nothing in a book with no hedge: it asks 9,630.00 to keep these three, more than the whole wallet.",
        try_this: "drag SOL down to 95.",
        body: r#""quote": "USD", "wallet": { "USD": "8000" }, "prices": { "BTC": "60000", "ETH": "3000", "SOL": "150" },
        "positions": [
        { "market": "BTCUSDT", "side": "long", "qty": "0.5", "entry_price": "60000", "leverage": "10" },
        { "market": "ETHUSDT", "side": "short", "qty": "5", "entry_price": "3000", "leverage": "10" },
        { "market": "SOLUSDT", "side": "long", "qty": "150", "entry_price": "150", "leverage": "10" } ]"#,
        markets: &["BTCUSDT", "ETHUSDT", "SOLUSDT"],
        costs: "",
        moves: &[mv("SOL", "95")],
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
        costs: "",
        moves: &[mv("BTC", "57000"), mv("BTC", "63000")],
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
        costs: "",
        moves: &[mv("BTC", "41000")],
    },
    Lesson {
        id: "crossing-tiers",
        title: "A large short climbs the maintenance tiers",
        story: "A 45 BTC short: 2.7 million USD of notional, in the 0.65 % tier. As BTC rises its notional passes 3 million at 66,666.67 and the rate steps up to 1 %: the dashed maintenance line bends there, and the liquidation price, 72,859.18, is solved in the higher tier.",
        try_this: "drag BTC up past 66,667 and watch the maintenance margin and the tier in the explanation.",
        body: r#""quote": "USD", "wallet": { "USD": "600000" }, "prices": { "BTC": "60000" },
        "positions": [ { "market": "BTCUSDT", "side": "short", "qty": "45", "entry_price": "60000", "leverage": "5" } ]"#,
        markets: &["BTCUSDT"],
        costs: "",
        moves: &[mv("BTC", "66700")],
    },
    Lesson {
        id: "inverse-curve",
        title: "An inverse contract's PnL is a curve",
        story: "1,000 coin-margined contracts of 100 USD each, long from 60,000, on 0.5 BTC. The PnL is counted in BTC, 100,000 ÷ 60,000 − 100,000 ÷ P, so it is a curve: a rise to 90,000 earns 0.555556 BTC, a fall to 30,000 loses 1.666667 BTC. The position is liquidated at 46,338.47.",
        try_this: "drag BTC from 30,000 to 90,000 and watch the equity curve bend.",
        body: r#""quote": "USD", "wallet": { "BTC": "0.5" }, "prices": { "BTC": "60000" },
        "positions": [ { "market": "BTCUSD_PERP", "side": "long", "qty": "1000", "entry_price": "60000", "leverage": "20" } ]"#,
        markets: &["BTCUSD_PERP"],
        costs: "",
        moves: &[mv("BTC", "30000"), mv("BTC", "90000")],
    },
    Lesson {
        id: "add-margin",
        title: "Adding margin to an isolated position",
        story: "A 150 SOL long at 10x, isolated with 2,250 USD of margin: liquidated at 136.40. Adding margin moves the liquidation price away without touching the rest of the wallet: with 4,500 it is 121.22.",
        try_this: "type 4500 in the position's Isolated margin field.",
        body: r#""quote": "USD", "wallet": { "USD": "10000" }, "prices": { "SOL": "150" },
        "positions": [ { "market": "SOLUSDT", "side": "long", "qty": "150", "entry_price": "150", "leverage": "10", "margin_mode": "isolated", "isolated_margin": "2250" } ]"#,
        markets: &["SOLUSDT"],
        costs: "",
        moves: &[],
    },
    Lesson {
        id: "hedged-future",
        title: "A hedged future needs a fraction of the margin under portfolio margin",
        story: "A 2 BTC perpetual long against a 2 BTC March future short, at a 1.5 % premium, on 3,000 USD. Cross margin charges each leg its own requirement: 24,180.00 of initial margin and 1,109.00 of maintenance, so this account is below its initial margin. Portfolio margin (OKX's 2025 parameters) charges the BTC unit once, on its net delta: its worst scenario, BTC up 12 %, loses 216.00, and a basis charge adds 3.60: 285.48 of initial margin and 219.60 of maintenance, a fifth of cross's. Isolated, each leg dies alone: the long at 54,246.24, the short when the future reaches 66,681.59.",
        try_this: "drag BTC from 50,000 to 70,000: the isolated legs die, the portfolio pool barely moves.",
        body: r#""quote": "USD", "wallet": { "USD": "3000" }, "prices": { "BTC": "60000" },
        "portfolio_margin": { "BTC": { "shocks": ["-0.12", "-0.08", "-0.04", "0", "0.04", "0.08", "0.12"],
            "gain_weight": "0", "basis_rate": "0.002", "floor_rate": "0.0045", "mm_factor": "1", "im_factor": "1.3",
            "source": "OKX PM, 2025-01 (BTC)" } },
        "positions": [
        { "market": "BTCUSDT", "side": "long", "qty": "2", "entry_price": "60000", "leverage": "10", "margin_mode": "portfolio" },
        { "market": "BTCUSDT-0327", "side": "short", "qty": "2", "entry_price": "60900", "leverage": "10", "margin_mode": "portfolio" } ]"#,
        markets: &["BTCUSDT", "BTCUSDT-0327"],
        costs: "",
        moves: &[mv("BTC", "50000"), mv("BTC", "70000")],
    },
    Lesson {
        id: "naked-long-portfolio",
        title: "A naked long needs more under portfolio margin",
        story: "A naked 2 BTC long from 60,000 at 10×, on 20,000 USD. Cross margin asks 12,000.00 to open and 550.00 to maintain; it is liquidated at 50,226.14. Portfolio margin (Deribit's parameters) charges the worst scenario, BTC down 16 %: a loss of 19,200.00 and a roll charge of 1,200.00, so 20,400.00 to open, more than the wallet, and 16,320.00 to maintain: it is liquidated at 57,870.38, only 3.55 % below the mark. Netting helps a hedge, not a bet.",
        try_this: "drag BTC down to 57,000 and compare the three panels.",
        body: r#""quote": "USD", "wallet": { "USD": "20000" }, "prices": { "BTC": "60000" },
        "portfolio_margin": { "BTC": { "shocks": ["-0.16", "-0.12", "-0.08", "-0.04", "0", "0.04", "0.08", "0.12", "0.16"],
            "gain_weight": "0", "roll_rate": "0.01", "mm_factor": "0.8", "im_factor": "1",
            "source": "Deribit PM, 2024 docs (BTC)" } },
        "positions": [
        { "market": "BTCUSDT", "side": "long", "qty": "2", "entry_price": "60000", "leverage": "10", "margin_mode": "portfolio" } ]"#,
        markets: &["BTCUSDT"],
        costs: "",
        moves: &[mv("BTC", "57000")],
    },
    Lesson {
        id: "funding-eats-isolated",
        title: "Funding eats an isolated long",
        story: "A 10 ETH long from 3,000 at 20×, isolated with its own 1,500 USD of margin. The venue puts its liquidation price at 2,864.33, today and every day after. But funding at +0.03 % every 8 hours costs this long 27.00 USD a day, out of that margin, and closing it costs 15.00: after 30 days its liquidation price is 2,947.21, having climbed 2.71 a day. Held 49.4 days, it reaches today's price: the position is liquidated without the price moving at all. Cross margin pays the same funding out of the whole 10,000 USD wallet, which moves its liquidation price only from 2,010.06 to 2,092.51.",
        try_this: "drag the holding period to 50 days and watch the isolated liquidation price pass today's; then set ETHUSDT's funding rate to 0.0001.",
        body: r#""quote": "USD", "wallet": { "USD": "10000" }, "prices": { "ETH": "3000" }, "holding_hours": "720",
        "positions": [
        { "market": "ETHUSDT", "side": "long", "qty": "10", "entry_price": "3000", "leverage": "20", "margin_mode": "isolated" } ]"#,
        markets: &["ETHUSDT"],
        costs: r#""fees": { "maker": "0.0002", "taker": "0.0005" }, "funding": { "rate": "0.0003", "interval_hours": "8" }"#,
        moves: &[mv("holding_days", "50")],
    },
];

/// The scenario the app opens with: the first lesson.
pub fn opening() -> Scenario {
    LESSONS[0].scenario()
}

pub fn lesson(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.id == id)
}
