//! The scenario: what a trader enters, in the documented JSON format
//! `marginscope/1` (see `docs/scenario-format.md`).
//!
//! These types are plain data: they are what is parsed, stored, shared in a
//! link and edited by the UI. Nothing here is trusted; [`crate::engine::model`]
//! validates a scenario into the model the calculations run on.

use super::decimal_text::{beyond_decimal, format_decimal, parse_decimal, BEYOND_DECIMAL};
use super::error::{Error, ErrorKind};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// The format tag this build writes and reads.
pub const FORMAT: &str = "marginscope/1";

/// Size limits, checked before any expensive work. Each is far above what a
/// person enters by hand and high enough for the benchmarks.
pub mod limits {
    /// Bytes of scenario JSON.
    pub const MAX_BYTES: usize = 8 * 1024 * 1024;
    pub const MAX_POSITIONS: usize = 10_000;
    pub const MAX_MARKETS: usize = 10_000;
    pub const MAX_ASSETS: usize = 1_000;
    pub const MAX_COLLATERAL: usize = 200;
    pub const MAX_TIERS: usize = 64;
    /// Characters of any name, id or note.
    pub const MAX_TEXT: usize = 2_000;
    /// Hours in a (365-day) year: the longest funding interval.
    pub const HOURS_A_YEAR: i64 = 8_760;
    /// The longest holding period: a century.
    pub const MAX_HOLDING_HOURS: i64 = HOURS_A_YEAR * 100;
}

/// A decimal as it travels in JSON: a string (`"0.5"`, `"1e-9"`), or a finite
/// number, which is read from its shortest round-trip text (what JavaScript's
/// `String(x)` prints), so `0.1` is 0.1 and not 0.1000000000000000055.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Num(pub Decimal);

impl Num {
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl From<Decimal> for Num {
    fn from(d: Decimal) -> Self {
        Num(d)
    }
}

impl fmt::Debug for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_decimal(self.0))
    }
}

impl std::str::FromStr for Num {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        parse_decimal(s).map(Num).ok_or(())
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_decimal(self.0))
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        const EXPECTED: &str = "a decimal number such as \"0.5\"";
        impl serde::de::Visitor<'_> for V {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(EXPECTED)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Num, E> {
                parse_decimal(v).map(Num).ok_or_else(|| {
                    E::custom(if beyond_decimal(v) {
                        format!("{v:?} is {BEYOND_DECIMAL}")
                    } else {
                        format!("{v:?} is not {EXPECTED}")
                    })
                })
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num(Decimal::from(v)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num(Decimal::from(v)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Num, E> {
                if !v.is_finite() {
                    return Err(E::custom(format!("{v} is not {EXPECTED}")));
                }
                // Rust's `{}` for f64 is the shortest text that reads back as v.
                self.visit_str(&format!("{v}"))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Long,
    Short,
}

impl Side {
    pub fn sign(self) -> Decimal {
        match self {
            Side::Long => Decimal::ONE,
            Side::Short => Decimal::NEGATIVE_ONE,
        }
    }
    pub fn opposite(self) -> Side {
        match self {
            Side::Long => Side::Short,
            Side::Short => Side::Long,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Long => "long",
            Side::Short => "short",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarginMode {
    #[default]
    Cross,
    Isolated,
    /// In the portfolio pool of its settlement currency, which charges each
    /// risk unit (its positions on one asset) the worst loss over a grid of
    /// price scenarios (`Scenario::portfolio_margin`).
    Portfolio,
}

/// How a contract settles: in the quote currency (linear, `USDT`-margined) or
/// in its base coin (inverse, coin-margined, PnL curved in price).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Settlement {
    #[default]
    Linear,
    Inverse,
}

/// The price at which a position's margin requirements are valued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarginBasis {
    /// At the mark price (Binance, Hyperliquid, dYdX): the requirement moves with price.
    #[default]
    Mark,
    /// At the entry price (Bybit's classic isolated rule): the requirement is fixed.
    Entry,
}

/// One maintenance-margin tier (a "bracket" or "risk limit" level).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub notional_floor: Num,
    /// `None`: unbounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notional_cap: Option<Num>,
    /// Maintenance margin rate.
    pub mmr: Num,
    /// Subtracted from `notional · mmr`; derived when absent so that the
    /// requirement is continuous across tiers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance_amount: Option<Num>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_leverage: Option<Num>,
}

/// A market whose mark differs from its asset's price by a ratio (a dated
/// future at a basis to the perpetual): when the asset is at `asset_price`,
/// the market's mark is `mark_price`, and the two keep that ratio as the
/// asset's price moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Premium {
    pub asset_price: Num,
    pub mark_price: Num,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Market {
    /// The asset whose price drives this market (a key of `prices`); the
    /// markets of one asset form one risk unit under portfolio margin.
    pub asset: String,
    #[serde(default)]
    pub settlement: Settlement,
    /// Linear: base units per contract; inverse: quote value of one contract.
    #[serde(default = "one")]
    pub contract_size: Num,
    #[serde(default)]
    pub margin_basis: MarginBasis,
    pub tiers: Vec<Tier>,
    /// Where the tier table comes from, for presets ("Binance, 2025-06, example").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Absent: the market's mark is its asset's price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub premium: Option<Premium>,
    /// Trading fee rates. Absent: no fees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<Fees>,
    /// Funding of a perpetual. Absent: none (a dated future's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding: Option<Funding>,
    /// How an isolated position's margin is set when the position does not say.
    #[serde(default, skip_serializing_if = "IsolatedMarginRule::is_default")]
    pub isolated_margin_rule: IsolatedMarginRule,
}

/// A market's trading fee rates, as fractions of the notional traded
/// (`0.0005` is 0.05 %; a maker rebate is negative).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fees {
    #[serde(default)]
    pub maker: Num,
    #[serde(default)]
    pub taker: Num,
}

/// A perpetual's funding: every `interval_hours`, a long pays `rate` times
/// its value at the funding price to the shorts (a negative rate: the
/// shorts pay the longs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    pub rate: Num,
    #[serde(default = "eight")]
    pub interval_hours: Num,
    #[serde(default)]
    pub price: FundingPrice,
}

fn eight() -> Num {
    Num(Decimal::from(8))
}

/// The price funding is charged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundingPrice {
    /// The market's mark (Binance, Bybit, OKX).
    #[default]
    Mark,
    /// The index (oracle) price: the asset's price, without the market's
    /// premium (Hyperliquid).
    Index,
}

/// What an isolated position holds when its margin is not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IsolatedMarginRule {
    /// The initial margin at entry.
    #[default]
    InitialMargin,
    /// The initial margin and the fee to close at the bankruptcy price
    /// (Bybit's position margin).
    InitialMarginAndCloseFee,
}

impl IsolatedMarginRule {
    fn is_default(&self) -> bool {
        *self == IsolatedMarginRule::InitialMargin
    }
}

/// How an order was filled: its fee is the maker or the taker rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Liquidity {
    Maker,
    #[default]
    Taker,
}

/// What a position has cost since it was opened, in its settlement
/// currency (positive: paid), when known (an imported account's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostsPaid {
    /// Trading fees. Absent: the fee to open, at the rate `opened_as` says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<Num>,
    #[serde(default)]
    pub funding: Num,
}

/// How portfolio margin charges one asset's risk unit (every portfolio
/// position on markets of that asset): the model in docs/scenario-format.md.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortfolioParams {
    /// The scenarios: relative moves of the asset's price, ascending, each above −1.
    pub shocks: Vec<Num>,
    /// A scenario's net gain counts at this weight (0: gains do not offset losses).
    #[serde(default)]
    pub gain_weight: Num,
    /// Charged on the unit's gross notional.
    #[serde(default)]
    pub roll_rate: Num,
    /// Charged on the unit's net delta (its absolute value).
    #[serde(default)]
    pub basis_rate: Num,
    /// The requirement is at least this times the net delta.
    #[serde(default)]
    pub floor_rate: Num,
    /// Maintenance margin as a multiple of the requirement.
    pub mm_factor: Num,
    /// Initial margin as a multiple of the requirement.
    pub im_factor: Num,
    /// Where the set comes from ("Deribit PM, 2024 docs").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Market {
    /// The currency this market settles in: the quote currency for a linear
    /// contract, the asset's own coin for an inverse one. Its PnL, margins
    /// and notionals are counted in it, and its cross pool is kept in it.
    pub fn settles_in<'a>(&'a self, quote: &'a str) -> &'a str {
        match self.settlement {
            Settlement::Linear => quote,
            Settlement::Inverse => &self.asset,
        }
    }
}

fn one() -> Num {
    Num(Decimal::ONE)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// Unique; defaults to the market id (one-way mode) or `MARKET:long` /
    /// `MARKET:short` (hedge mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub market: String,
    pub side: Side,
    /// Contracts (linear with contract size 1: base units).
    pub qty: Num,
    pub entry_price: Num,
    #[serde(default)]
    pub margin_mode: MarginMode,
    /// Absent: the highest leverage the position's tier allows, or 1× when
    /// the tier sets no maximum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leverage: Option<Num>,
    /// Isolated only. Absent: the initial margin at the chosen leverage,
    /// valued at the entry price (what an exchange sets aside at opening).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isolated_margin: Option<Num>,
    /// The fee paid to open: the maker or the taker rate (taker when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened_as: Option<Liquidity>,
    /// What the position has cost so far; counted in its break-even price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub costs_paid: Option<CostsPaid>,
}

/// A quantity slice of collateral and the share of its value that counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatioTier {
    pub qty_floor: Num,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qty_cap: Option<Num>,
    pub ratio: Num,
}

/// An asset held as collateral for the quote currency's cross pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collateral {
    pub asset: String,
    pub qty: Num,
    /// Empty: counted at full value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub value_ratio_tiers: Vec<RatioTier>,
}

/// A whole what-if: account, markets, positions and current prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// `"marginscope/1"`; absent means the current format.
    #[serde(default = "format_tag")]
    pub format: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The valuation currency: linear contracts settle in it and account totals are in it.
    #[serde(default = "default_quote")]
    pub quote: String,
    /// Balances by settlement currency (`quote`, or an inverse market's coin),
    /// including what isolated positions hold.
    #[serde(default)]
    pub wallet: BTreeMap<String, Num>,
    /// Mark price of every asset, in the quote currency.
    #[serde(default)]
    pub prices: BTreeMap<String, Num>,
    #[serde(default)]
    pub collateral: Vec<Collateral>,
    #[serde(default)]
    pub markets: BTreeMap<String, Market>,
    #[serde(default)]
    pub positions: Vec<Position>,
    /// One-way mode (false) allows one position per market; hedge mode one long and one short.
    #[serde(default)]
    pub hedge_mode: bool,
    /// Portfolio margin's parameters, by asset.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub portfolio_margin: BTreeMap<String, PortfolioParams>,
    /// How long the positions are to be held, in hours: their funding over
    /// it, projected at today's prices, counts in the figures after costs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holding_hours: Option<Num>,
}

fn format_tag() -> String {
    FORMAT.to_string()
}

fn default_quote() -> String {
    "USD".to_string()
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            format: format_tag(),
            name: None,
            notes: None,
            quote: default_quote(),
            wallet: BTreeMap::new(),
            prices: BTreeMap::new(),
            collateral: Vec::new(),
            markets: BTreeMap::new(),
            positions: Vec::new(),
            hedge_mode: false,
            portfolio_margin: BTreeMap::new(),
            holding_hours: None,
        }
    }
}

impl Scenario {
    /// Parses scenario JSON, refusing oversized text before reading it and
    /// naming the path of the first field that does not fit the format.
    pub fn from_json(text: &str) -> Result<Scenario, Error> {
        if text.len() > limits::MAX_BYTES {
            return Err(Error::new(
                ErrorKind::Limit,
                "",
                format!(
                    "the scenario is {} bytes; the limit is {} bytes",
                    text.len(),
                    limits::MAX_BYTES
                ),
            ));
        }
        // Read without tracking where: only a text that fails is scanned
        // again to say which field (`json_path`).
        let mut de = serde_json::Deserializer::from_str(text);
        let scenario = Scenario::deserialize(&mut de).map_err(|e| format_error(text, &e))?;
        de.end()
            .map_err(|e| Error::new(ErrorKind::Format, "", format!("not valid JSON: {e}")))?;
        Ok(scenario)
    }

    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The currency market `id` settles in ([`Market::settles_in`]).
    pub fn settlement_currency(&self, id: &str) -> Option<&str> {
        self.markets.get(id).map(|m| m.settles_in(&self.quote))
    }

    /// Every currency a wallet may hold: the quote first, then the coin of
    /// each inverse market, once each.
    pub fn wallet_currencies(&self) -> Vec<&str> {
        let mut out = vec![self.quote.as_str()];
        for m in self.markets.values() {
            let c = m.settles_in(&self.quote);
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// The asset position `p` trades (its market's), if its market exists.
    pub fn asset_of(&self, p: &Position) -> Option<&str> {
        self.markets.get(&p.market).map(|m| m.asset.as_str())
    }

    /// The asset of every position, in the positions' order.
    pub fn traded_assets(&self) -> Vec<String> {
        self.positions
            .iter()
            .filter_map(|p| self.asset_of(p).map(str::to_string))
            .collect()
    }

    /// The id a position is known by: its own, or the default for its mode.
    pub fn position_id(&self, index: usize) -> String {
        match self.positions.get(index) {
            Some(p) => p.id.clone().unwrap_or_else(|| {
                if self.hedge_mode {
                    format!("{}:{}", p.market, p.side.as_str())
                } else {
                    p.market.clone()
                }
            }),
            None => String::new(),
        }
    }
}

/// Turns serde_json's error in reading `text` into ours: the path of the
/// field it is about, and a readable sentence.
pub fn format_error(text: &str, e: &serde_json::Error) -> Error {
    let raw = e.to_string();
    let variant = raw.starts_with("unknown variant `");
    let path = super::json_path::path_at(text, e.line(), e.column(), variant);
    // serde_json appends " at line L column C"; keep it, it helps in a file.
    let message = if let Some(field) = raw
        .strip_prefix("unknown field `")
        .and_then(|r| r.split('`').next())
    {
        format!("unknown field \"{field}\"")
    } else if let Some(rest) = raw.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        format!("missing field \"{field}\"")
    } else if let Some(rest) = raw.strip_prefix("unknown variant `") {
        let mut parts = rest.split('`');
        let got = parts.next().unwrap_or_default();
        let expected: Vec<&str> = parts.skip(1).step_by(2).collect();
        format!("\"{got}\" is not one of {}", expected.join(", "))
    } else {
        raw
    };
    Error::new(ErrorKind::Format, path, message)
}
