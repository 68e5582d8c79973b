//! Hyperliquid's `info` responses: `clearinghouseState` (the account),
//! `meta` (the universe and its margin tables) and `metaAndAssetCtxs` (the
//! same with each asset's mark).
//!
//! Hyperliquid's tiers are derived: a tier's maintenance margin rate is half
//! the initial margin at its maximum leverage, `1 / (2 · max leverage)`, and
//! its deduction follows the recurrence that keeps the requirement
//! continuous (the model's default when no amount is given).

use super::piece::{half_ulp, Contract, Piece, Pos, Tiers};
use super::text::Value;
use crate::engine::num::{plus, times};
use crate::engine::scenario::{MarginMode, Num, Side, Tier};
use rust_decimal::Decimal;

pub const QUOTE: &str = "USDC";

/// What the response is, and what it brings; `None` when it is not one of
/// Hyperliquid's.
pub fn read(v: &Value) -> Option<(&'static str, Result<Piece, String>)> {
    if v.has("assetPositions") && (v.has("marginSummary") || v.has("crossMarginSummary")) {
        return Some((
            "POST /info {\"type\": \"clearinghouseState\"}",
            clearinghouse(v),
        ));
    }
    if v.has("universe") && v.get("universe").and_then(Value::as_array).is_some() {
        return Some(("POST /info {\"type\": \"meta\"}", meta(v, None)));
    }
    if let Some([m, ctxs]) = v.as_array() {
        if m.has("universe") && ctxs.as_array().is_some() {
            return Some((
                "POST /info {\"type\": \"metaAndAssetCtxs\"}",
                meta(m, ctxs.as_array()),
            ));
        }
    }
    None
}

fn clearinghouse(v: &Value) -> Result<Piece, String> {
    let mut piece = Piece::default();
    let positions = v
        .get("assetPositions")
        .and_then(Value::as_array)
        .unwrap_or(&[]);
    // Cash of the cross account: its equity is this plus every cross
    // position's `szi · mark`, so a cross position's entry price cancels.
    let cross_cash = v
        .get("crossMarginSummary")
        .and_then(|s| s.get("totalRawUsd"))
        .and_then(Value::decimal);
    let mut wallet = cross_cash.unwrap_or_default();
    for (i, item) in positions.iter().enumerate() {
        let p = item.get("position").unwrap_or(item);
        let field = |k: &str| p.get(k).and_then(Value::decimal);
        let coin = p
            .get("coin")
            .and_then(Value::text)
            .ok_or_else(|| format!("assetPositions[{i}] has no coin"))?
            .to_string();
        let szi = field("szi").ok_or_else(|| format!("{coin}: no size (szi)"))?;
        if szi.is_zero() {
            continue;
        }
        let entry = field("entryPx").ok_or_else(|| format!("{coin}: no entry price (entryPx)"))?;
        let qty = szi.abs();
        let lev = p.get("leverage");
        let mode = match lev.and_then(|l| l.get("type")).and_then(Value::text) {
            Some("isolated") => MarginMode::Isolated,
            _ => MarginMode::Cross,
        };
        let signed_entry =
            times(szi, entry).ok_or_else(|| format!("{coin}: size × entry beyond a decimal"))?;
        // An isolated position's own account: its equity is `rawUsd + szi · mark`,
        // so its margin (PnL excluded) is `rawUsd + szi · entry`.
        let raw = lev.and_then(|l| l.get("rawUsd")).and_then(Value::decimal);
        let (isolated_margin, inputs_rounding) = match (mode, raw) {
            (MarginMode::Isolated, Some(raw)) => (
                Some(
                    plus(raw, signed_entry)
                        .ok_or_else(|| format!("{coin}: margin beyond a decimal"))?,
                ),
                half_ulp(raw),
            ),
            _ => (None, cross_cash.map(half_ulp).unwrap_or_default()),
        };
        wallet = plus(wallet, isolated_margin.unwrap_or(signed_entry)).unwrap_or(wallet);
        let mark = field("positionValue").and_then(|v| v.checked_div(qty));
        piece.positions.push(Pos {
            symbol: coin.clone(),
            side: if szi > Decimal::ZERO {
                Side::Long
            } else {
                Side::Short
            },
            qty,
            entry,
            mark,
            leverage: lev.and_then(|l| l.get("value")).and_then(Value::decimal),
            mode: Some(mode),
            isolated_margin,
            hedge: false,
            venue_liquidation: field("liquidationPx"),
            venue_maintenance: None,
            inputs_rounding,
            max_leverage: field("maxLeverage"),
            paid_fees: None,
            // `cumFunding.sinceOpen`: the funding the position has paid
            // since it was opened (received: negative).
            paid_funding: p
                .get("cumFunding")
                .and_then(|c| c.get("sinceOpen"))
                .and_then(Value::decimal),
        });
        piece.contracts.push((coin.clone(), contract(&coin)));
    }
    if cross_cash.is_some() {
        piece.wallets.push((QUOTE.into(), wallet));
    } else if !piece.positions.is_empty() {
        piece
            .notes
            .push("no crossMarginSummary: the wallet is not known".into());
    }
    if let Some(mm) = v.get("crossMaintenanceMarginUsed").and_then(Value::decimal) {
        piece.venue_total_maintenance = Some((QUOTE.into(), mm));
    }
    Ok(piece)
}

fn contract(coin: &str) -> Contract {
    Contract {
        asset: Some(coin.to_string()),
        settle: Some(QUOTE.into()),
        inverse: Some(false),
        size: Some(Decimal::ONE),
    }
}

/// The universe's tier tables, and with asset contexts, each asset's mark.
fn meta(m: &Value, ctxs: Option<&[Value]>) -> Result<Piece, String> {
    let mut piece = Piece::default();
    let universe = m.get("universe").and_then(Value::as_array).unwrap_or(&[]);
    let tables: Vec<(Decimal, &Value)> = m
        .get("marginTables")
        .and_then(Value::as_array)
        .unwrap_or(&[])
        .iter()
        .filter_map(|t| match t.as_array() {
            Some([id, table]) => Some((id.decimal()?, table)),
            _ => None,
        })
        .collect();
    for (i, asset) in universe.iter().enumerate() {
        let Some(name) = asset.get("name").and_then(Value::text) else {
            continue;
        };
        if asset.get("isDelisted").and_then(Value::boolean) == Some(true) {
            continue;
        }
        let max = asset.get("maxLeverage").and_then(Value::decimal);
        let table = asset
            .get("marginTableId")
            .and_then(Value::decimal)
            .and_then(|id| tables.iter().find(|(t, _)| *t == id))
            .and_then(|(_, t)| t.get("marginTiers"))
            .and_then(Value::as_array);
        let steps: Vec<(Decimal, Decimal)> = match table {
            Some(rows) => rows
                .iter()
                .filter_map(|r| {
                    Some((
                        r.get("lowerBound")?.decimal()?,
                        r.get("maxLeverage")?.decimal()?,
                    ))
                })
                .collect(),
            None => max.map(|l| vec![(Decimal::ZERO, l)]).unwrap_or_default(),
        };
        if let Some(tiers) = derived(&steps) {
            let how = if table.is_some() {
                "its margin table"
            } else {
                "its maximum leverage, one tier"
            };
            piece.tiers.push((
                name.to_string(),
                Tiers {
                    tiers,
                    source: format!("Hyperliquid meta: {how}; MMR = 1 / (2 · max leverage)"),
                    by_size: false,
                },
            ));
        }
        piece.contracts.push((name.to_string(), contract(name)));
        if let Some(mark) = ctxs
            .and_then(|c| c.get(i))
            .and_then(|c| c.get("markPx"))
            .and_then(Value::decimal)
        {
            piece.marks.push((name.to_string(), mark));
        }
    }
    Ok(piece)
}

/// Tiers from `(lower bound, max leverage)` steps: each tier's rate is half
/// the initial margin at its leverage; its amount is left to the model's
/// continuity rule, Hyperliquid's deduction recurrence.
pub fn derived(steps: &[(Decimal, Decimal)]) -> Option<Vec<Tier>> {
    let mut out = Vec::with_capacity(steps.len());
    for (i, (floor, lev)) in steps.iter().enumerate() {
        let mmr = Decimal::ONE.checked_div(times(*lev, Decimal::TWO)?)?;
        let cap = steps.get(i.saturating_add(1)).map(|(f, _)| Num(*f));
        out.push(Tier {
            notional_floor: Num(if i == 0 { Decimal::ZERO } else { *floor }),
            notional_cap: cap,
            mmr: Num(mmr),
            maintenance_amount: None,
            max_leverage: Some(Num(*lev)),
        });
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_are_half_the_initial_margin_at_each_leverage() {
        let t = derived(&[
            (Decimal::ZERO, Decimal::from(10)),
            (Decimal::from(3_000_000), Decimal::from(5)),
        ])
        .expect("tiers");
        assert_eq!(t[0].mmr.0, Decimal::new(5, 2));
        assert_eq!(t[1].mmr.0, Decimal::new(1, 1));
        assert_eq!(t[0].notional_cap, Some(Num(Decimal::from(3_000_000))));
        assert_eq!(t[1].notional_cap, None);
    }
}
