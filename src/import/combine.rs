//! The pieces of one venue's account put together into a scenario: each
//! position on its market, with the venue's tiers where a response gave
//! them (else example tiers, marked so), its mark, its wallet, its leverage
//! and margin mode; and what is still missing, with the request for it.

use super::hyperliquid;
use super::piece::{half_ulp, Contract, Piece, Pos, Tiers, Venue};
use super::Missing;
use crate::engine::num::plus;
use crate::engine::scenario::{
    CostsPaid, MarginBasis, MarginMode, Market, Num, Position, Scenario, Settlement, Tier,
};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What the check needs to know of each imported position, beside the scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub pos: Pos,
    /// Its market's tiers are an example, not the venue's.
    pub example_tiers: bool,
    /// Its asset's price is from another response than its own mark.
    pub mark_elsewhere: bool,
}

pub struct Combined {
    pub scenario: Scenario,
    pub positions: Vec<Imported>,
    pub missing: Vec<Missing>,
    pub notes: Vec<String>,
    pub venue_total_maintenance: Option<(String, Decimal)>,
}

/// The request that fetches a piece, without a key: a public endpoint as a
/// curl line, a signed one as the request to run from one's own client.
fn request(venue: Venue, what: &str, symbol: &str) -> String {
    match (venue, what) {
        (Venue::Binance, "tiers") => format!("GET https://fapi.binance.com/fapi/v1/leverageBracket?symbol={symbol} (signed: run it from your own API client; Marginscope never takes a key)"),
        (Venue::Binance, "settings") => format!("GET https://fapi.binance.com/fapi/v1/symbolConfig?symbol={symbol} (signed)"),
        (Venue::Binance, "wallet") => "GET https://fapi.binance.com/fapi/v3/account (signed)".into(),
        (Venue::Binance, _) => format!("curl 'https://fapi.binance.com/fapi/v1/premiumIndex?symbol={symbol}'"),
        (Venue::Bybit, "tiers") => format!("curl 'https://api.bybit.com/v5/market/risk-limit?category=linear&symbol={symbol}'"),
        (Venue::Bybit, "wallet") => "GET https://api.bybit.com/v5/account/wallet-balance?accountType=UNIFIED (signed)".into(),
        (Venue::Bybit, _) => format!("curl 'https://api.bybit.com/v5/market/tickers?category=linear&symbol={symbol}'"),
        (Venue::Okx, "tiers") => format!(
            "curl 'https://www.okx.com/api/v5/public/position-tiers?instType=SWAP&tdMode=cross&instFamily={}'",
            super::okx::family(symbol)
        ),
        (Venue::Okx, "contract") => format!("curl 'https://www.okx.com/api/v5/public/instruments?instType=SWAP&instId={symbol}'"),
        (Venue::Okx, "wallet") => "GET https://www.okx.com/api/v5/account/balance (signed)".into(),
        (Venue::Okx, _) => format!("curl 'https://www.okx.com/api/v5/public/mark-price?instType=SWAP&instId={symbol}'"),
        (Venue::Hyperliquid, "tiers") => "curl -s https://api.hyperliquid.xyz/info -H 'Content-Type: application/json' -d '{\"type\":\"meta\"}'".into(),
        (Venue::Hyperliquid, "wallet") => "curl -s https://api.hyperliquid.xyz/info -H 'Content-Type: application/json' -d '{\"type\":\"clearinghouseState\",\"user\":\"<your address>\"}'".into(),
        (Venue::Hyperliquid, _) => "curl -s https://api.hyperliquid.xyz/info -H 'Content-Type: application/json' -d '{\"type\":\"metaAndAssetCtxs\"}'".into(),
    }
}

/// An example tier table for an asset the venue's table was not pasted
/// for: the preset market's on the same asset, else one tier at the
/// position's highest leverage (Hyperliquid's first tier exactly).
fn example_tiers(venue: Venue, asset: &str, max_leverage: Option<Decimal>) -> Tiers {
    if let (Venue::Hyperliquid, Some(lev)) = (venue, max_leverage) {
        if let Some(tiers) = hyperliquid::derived(&[(Decimal::ZERO, lev)]) {
            return Tiers {
                tiers,
                source: format!("Hyperliquid: one tier from the position's maxLeverage {lev} (meta gives the rest)"),
                by_size: false,
            };
        }
    }
    let preset = crate::presets::MARKETS
        .iter()
        .filter_map(|(_, json)| serde_json::from_str::<Market>(json).ok())
        .find(|m| m.asset == asset);
    let tiers = preset.map(|m| m.tiers).unwrap_or_else(|| {
        vec![Tier {
            notional_floor: Num(Decimal::ZERO),
            notional_cap: None,
            mmr: Num(Decimal::new(5, 3)),
            maintenance_amount: None,
            max_leverage: max_leverage.map(Num),
        }]
    });
    Tiers {
        tiers,
        source: format!(
            "Example tiers ({asset}), not {}'s: its table was not pasted",
            venue.name()
        ),
        by_size: false,
    }
}

/// A by-size table (OKX) as the one tier a position of `qty` contracts is
/// in: its tier does not move with the price, so the model's one-tier table
/// is exact for it.
fn tier_by_size(t: &Tiers, qty: Decimal) -> Tiers {
    let tier = t
        .tiers
        .iter()
        .rev()
        .find(|x| x.notional_floor.0 <= qty)
        .or(t.tiers.first())
        .cloned();
    let tiers = tier
        .map(|x| {
            vec![Tier {
                notional_floor: Num(Decimal::ZERO),
                notional_cap: None,
                ..x
            }]
        })
        .unwrap_or_default();
    Tiers {
        tiers,
        source: format!("{}: the tier of a position of {qty} contracts", t.source),
        by_size: false,
    }
}

pub fn combine(venue: Venue, pieces: Vec<Piece>) -> Combined {
    let mut positions: Vec<Pos> = Vec::new();
    let mut wallets: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut tiers: BTreeMap<String, Tiers> = BTreeMap::new();
    let mut marks: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut contracts: BTreeMap<String, Contract> = BTreeMap::new();
    let mut settings: BTreeMap<String, (Option<Decimal>, Option<MarginMode>)> = BTreeMap::new();
    let mut notes = Vec::new();
    let mut venue_total_maintenance = None;
    for piece in pieces {
        positions.extend(piece.positions);
        wallets.extend(piece.wallets);
        tiers.extend(piece.tiers);
        marks.extend(piece.marks);
        for (symbol, c) in piece.contracts {
            let e = contracts.entry(symbol).or_default();
            e.asset = e.asset.take().or(c.asset);
            e.settle = e.settle.take().or(c.settle);
            e.inverse = e.inverse.or(c.inverse);
            // An instrument's own contract value wins over a default.
            if c.size.is_some() && (e.size.is_none() || e.size == Some(Decimal::ONE)) {
                e.size = c.size;
            }
        }
        for (symbol, lev, mode) in piece.settings {
            settings.insert(symbol, (lev, mode));
        }
        notes.extend(piece.notes);
        venue_total_maintenance = venue_total_maintenance.or(piece.venue_total_maintenance);
    }
    let quote = match venue {
        Venue::Hyperliquid => hyperliquid::QUOTE.to_string(),
        _ => positions
            .iter()
            .filter_map(|p| contracts.get(&p.symbol))
            .filter(|c| c.inverse == Some(false))
            .find_map(|c| c.settle.clone())
            .unwrap_or_else(|| "USDT".into()),
    };
    let mut s = Scenario {
        quote: quote.clone(),
        ..Scenario::default()
    };
    let mut missing: Vec<Missing> = Vec::new();
    let mut imported = Vec::new();
    let mut need = |what: String, why: String, req: String| {
        if !missing.iter().any(|m: &Missing| m.what == what) {
            missing.push(Missing {
                what,
                why,
                request: req,
            });
        }
    };
    for mut p in positions {
        let c = contracts.get(&p.symbol).cloned().unwrap_or_default();
        let asset = c.asset.clone().unwrap_or_else(|| p.symbol.clone());
        let inverse = c.inverse.unwrap_or(false);
        let size = match (venue, c.size) {
            (_, Some(size)) => size,
            (Venue::Okx, None) => {
                need(
                    format!("{}'s contract value", p.symbol),
                    "OKX sizes positions in contracts; without ctVal the position is read as 1 contract = 1 unit".into(),
                    request(venue, "contract", &p.symbol),
                );
                Decimal::ONE
            }
            _ => Decimal::ONE,
        };
        // The market's tiers: the venue's, by symbol or family, else an example.
        let family = super::okx::family(&p.symbol);
        let table = tiers.get(&p.symbol).or_else(|| tiers.get(&family)).cloned();
        let example = table.is_none();
        let table = match table {
            Some(t) if t.by_size => tier_by_size(&t, p.qty),
            Some(t) => t,
            None => {
                need(
                    format!("{}'s tier table", p.symbol),
                    "example tiers are used, and marked so, until the venue's table is pasted"
                        .into(),
                    request(venue, "tiers", &p.symbol),
                );
                example_tiers(venue, &asset, p.max_leverage)
            }
        };
        let (lev, mode) = settings.get(&p.symbol).cloned().unwrap_or((None, None));
        if p.leverage.is_none() {
            p.leverage = lev;
        }
        if p.mode.is_none() {
            p.mode = mode;
        }
        if p.leverage.is_none() || p.mode.is_none() {
            need(
                format!("{}'s leverage and margin mode", p.symbol),
                "positionRisk v3 no longer carries them: until symbolConfig is pasted the position is cross at the tier's highest leverage".into(),
                request(venue, "settings", &p.symbol),
            );
        }
        // Its asset's price: its own mark, else a market response's.
        let own = p.mark;
        let other = marks.get(&p.symbol).copied();
        if let (Some(a), Some(b)) = (own, other) {
            if a != b {
                notes.push(format!(
                    "{}'s mark is {a} in the positions and {b} in the market response (another moment); the positions' own is used",
                    p.symbol
                ));
            }
        }
        let mark = own.or(other);
        match mark {
            Some(m) => {
                s.prices.entry(asset.clone()).or_insert(Num(m));
            }
            None => need(
                format!("{asset}'s mark price"),
                "the entry price stands in for it".into(),
                request(venue, "mark", &p.symbol),
            ),
        }
        s.prices.entry(asset.clone()).or_insert(Num(p.entry));
        let settle = if inverse {
            asset.clone()
        } else {
            c.settle.clone().unwrap_or_else(|| quote.clone())
        };
        s.markets.entry(p.symbol.clone()).or_insert_with(|| Market {
            asset: asset.clone(),
            settlement: if inverse {
                Settlement::Inverse
            } else {
                Settlement::Linear
            },
            contract_size: Num(size),
            margin_basis: MarginBasis::Mark,
            tiers: table.tiers.clone(),
            source: Some(table.source.clone()),
            premium: None,
            fees: None,
            funding: None,
            isolated_margin_rule: Default::default(),
        });
        if p.hedge {
            s.hedge_mode = true;
        }
        let mode = p.mode.unwrap_or(MarginMode::Cross);
        s.positions.push(Position {
            id: None,
            market: p.symbol.clone(),
            side: p.side,
            qty: Num(p.qty),
            entry_price: Num(p.entry),
            margin_mode: mode,
            leverage: p.leverage.map(Num),
            isolated_margin: p
                .isolated_margin
                .filter(|_| mode == MarginMode::Isolated)
                .map(Num),
            opened_as: None,
            costs_paid: (p.paid_fees.is_some() || p.paid_funding.is_some()).then(|| CostsPaid {
                fees: p.paid_fees.map(Num),
                funding: Num(p.paid_funding.unwrap_or_default()),
            }),
        });
        // A cross position's pool also holds the wallet, as rounded as the venue printed it.
        if mode == MarginMode::Cross {
            let w = wallets
                .get(&settle)
                .copied()
                .map(half_ulp)
                .unwrap_or_default();
            p.inputs_rounding = plus(p.inputs_rounding, w).unwrap_or(p.inputs_rounding);
        }
        imported.push(Imported {
            pos: p,
            example_tiers: example,
            mark_elsewhere: own.is_none() && other.is_some(),
        });
    }
    // Wallets: each currency a position settles in.
    let settled: Vec<String> = s
        .positions
        .iter()
        .filter_map(|p| s.settlement_currency(&p.market).map(str::to_string))
        .fold(Vec::new(), |mut acc, c| {
            if !acc.contains(&c) {
                acc.push(c);
            }
            acc
        });
    for c in settled {
        match wallets.get(&c) {
            Some(w) => {
                s.wallet.insert(c, Num(*w));
            }
            None if !s.positions.is_empty() => {
                need(
                    format!("the {c} wallet"),
                    "its balance is taken as 0: cross positions are then backed by nothing".into(),
                    request(venue, "wallet", ""),
                );
                s.wallet.insert(c, Num(Decimal::ZERO));
            }
            None => {}
        }
    }
    s.name = Some(format!("Imported from {}", venue.name()));
    Combined {
        scenario: s,
        positions: imported,
        missing,
        notes,
        venue_total_maintenance,
    }
}
