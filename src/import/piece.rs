//! What one pasted response brings to an account: positions with the
//! venue's own figures, balances, tier tables, marks, contract values,
//! leverage and margin settings. Each venue's reader makes these; `combine`
//! puts them together.

use crate::engine::scenario::{MarginMode, Side, Tier};
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Venue {
    Binance,
    Bybit,
    Okx,
    Hyperliquid,
}

impl Venue {
    pub fn name(self) -> &'static str {
        match self {
            Venue::Binance => "Binance USD-M",
            Venue::Bybit => "Bybit v5",
            Venue::Okx => "OKX v5",
            Venue::Hyperliquid => "Hyperliquid",
        }
    }
}

/// A position as the venue reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pos {
    /// The venue's instrument id (`BTCUSDT`, `BTC-USDT-SWAP`, `ETH`).
    pub symbol: String,
    pub side: Side,
    /// In contracts of `contract_size` (1 unless the venue sizes in contracts).
    pub qty: Decimal,
    pub entry: Decimal,
    /// The mark the venue valued it at, when it says.
    pub mark: Option<Decimal>,
    pub leverage: Option<Decimal>,
    pub mode: Option<MarginMode>,
    /// An isolated position's own margin, PnL excluded.
    pub isolated_margin: Option<Decimal>,
    /// Hedge mode: the venue keeps a long and a short apart.
    pub hedge: bool,
    /// The venue's own liquidation price and maintenance margin.
    pub venue_liquidation: Option<Decimal>,
    pub venue_maintenance: Option<Decimal>,
    /// What half a unit in the last place of the venue's rounded inputs
    /// (its balance, its entry price) can move the pool's constant, in the
    /// pool's currency: how far our liquidation price may differ for the
    /// venue's rounding alone.
    pub inputs_rounding: Decimal,
    /// The highest leverage the venue allows the position (its first tier).
    pub max_leverage: Option<Decimal>,
    /// What the position has cost since it was opened, positive when paid,
    /// where the venue says: trading fees, and funding.
    pub paid_fees: Option<Decimal>,
    pub paid_funding: Option<Decimal>,
}

/// A market's terms, as far as a response says them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Contract {
    pub asset: Option<String>,
    /// The currency it settles in (`USDT`, or the coin for an inverse one).
    pub settle: Option<String>,
    pub inverse: Option<bool>,
    /// Linear: base units a contract; inverse: quote value a contract.
    pub size: Option<Decimal>,
}

/// A tier table and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Tiers {
    pub tiers: Vec<Tier>,
    pub source: String,
    /// The floors and caps are position sizes in contracts, not notionals
    /// (OKX): the tier a position is in does not move with the price.
    pub by_size: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Piece {
    pub positions: Vec<Pos>,
    /// Balances by currency, what isolated positions hold included.
    pub wallets: Vec<(String, Decimal)>,
    /// Tier tables by instrument (or instrument family: OKX).
    pub tiers: Vec<(String, Tiers)>,
    /// Marks by instrument, from a market endpoint.
    pub marks: Vec<(String, Decimal)>,
    pub contracts: Vec<(String, Contract)>,
    /// Leverage and margin mode by instrument (Binance's `symbolConfig`).
    pub settings: Vec<(String, Option<Decimal>, Option<MarginMode>)>,
    /// The account's own total maintenance margin, when it says.
    pub venue_total_maintenance: Option<(String, Decimal)>,
    /// What was read past, in words ("1 spot-margin position left out").
    pub notes: Vec<String>,
}

/// Half a unit in the last place `d` was written to: how far the value the
/// venue held can be from the one it printed.
pub fn half_ulp(d: Decimal) -> Decimal {
    Decimal::new(5, d.scale().saturating_add(1).min(28))
}
