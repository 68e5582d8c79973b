//! Binance USDⓈ-M futures: `positionRisk` (v2 with leverage and margin
//! type; v3 without them, which `symbolConfig` gives), `account` (v2 or v3:
//! the balances), `leverageBracket` (the tier tables).

use super::piece::{half_ulp, Contract, Piece, Pos, Tiers};
use super::text::Value;
use crate::engine::num::{plus, times};
use crate::engine::scenario::{MarginMode, Num, Side, Tier};
use rust_decimal::Decimal;

/// The quote assets a USDⓈ-M symbol ends with.
const QUOTES: [&str; 4] = ["USDT", "USDC", "FDUSD", "BUSD"];

/// A symbol's asset and quote (`BTCUSDT` → `BTC`, `USDT`).
pub fn split(symbol: &str) -> (String, String) {
    for q in QUOTES {
        if let Some(base) = symbol.strip_suffix(q).filter(|b| !b.is_empty()) {
            return (base.to_string(), q.to_string());
        }
    }
    (symbol.to_string(), "USDT".into())
}

pub fn read(v: &Value) -> Option<(&'static str, Result<Piece, String>)> {
    // The WebSocket API wraps the same list in `result`.
    let v = match v.get("result") {
        Some(r @ Value::Arr(_)) if v.has("status") => r,
        _ => v,
    };
    if v.has("totalWalletBalance") && v.has("assets") {
        return Some(("GET /fapi/v3/account (or v2)", account(v)));
    }
    let items: Vec<&Value> = match v {
        Value::Arr(items) => items.iter().collect(),
        obj @ Value::Obj(_) => vec![obj],
        _ => return None,
    };
    let first = items.first()?;
    if first.has("brackets") && first.has("symbol") {
        return Some(("GET /fapi/v1/leverageBracket", Ok(brackets(&items))));
    }
    if first.has("positionAmt") && first.has("symbol") && first.has("entryPrice") {
        let v3 = items
            .iter()
            .any(|p| p.has("maintMargin") || p.has("marginAsset"))
            && !items.iter().any(|p| p.has("leverage"));
        let endpoint = if v3 {
            "GET /fapi/v3/positionRisk"
        } else {
            "GET /fapi/v2/positionRisk"
        };
        return Some((endpoint, positions(&items)));
    }
    if first.has("marginType") && first.has("leverage") && first.has("symbol") {
        return Some(("GET /fapi/v1/symbolConfig", Ok(settings(&items))));
    }
    None
}

fn mode(text: Option<&str>) -> Option<MarginMode> {
    match text?.to_ascii_lowercase().as_str() {
        "isolated" => Some(MarginMode::Isolated),
        "cross" | "crossed" => Some(MarginMode::Cross),
        _ => None,
    }
}

fn positions(items: &[&Value]) -> Result<Piece, String> {
    let mut piece = Piece::default();
    for p in items {
        let field = |k: &str| p.get(k).and_then(Value::decimal);
        let symbol = p
            .get("symbol")
            .and_then(Value::text)
            .unwrap_or_default()
            .to_string();
        let amt = field("positionAmt").ok_or_else(|| format!("{symbol}: no positionAmt"))?;
        if amt.is_zero() {
            continue;
        }
        let entry = field("entryPrice").ok_or_else(|| format!("{symbol}: no entryPrice"))?;
        let hedge_side = match p.get("positionSide").and_then(Value::text) {
            Some("LONG") => Some(Side::Long),
            Some("SHORT") => Some(Side::Short),
            _ => None,
        };
        let side = hedge_side.unwrap_or(if amt > Decimal::ZERO {
            Side::Long
        } else {
            Side::Short
        });
        let mode = mode(p.get("marginType").and_then(Value::text)).or_else(|| {
            // v3: an isolated wallet says isolated; none says nothing.
            field("isolatedWallet")
                .filter(|w| !w.is_zero())
                .map(|_| MarginMode::Isolated)
        });
        let isolated_margin =
            field("isolatedWallet").filter(|w| !w.is_zero() && mode == Some(MarginMode::Isolated));
        let qty = amt.abs();
        let entry_rounding = times(qty, half_ulp(entry)).unwrap_or_default();
        let inputs_rounding = plus(
            entry_rounding,
            isolated_margin.map(half_ulp).unwrap_or_default(),
        )
        .unwrap_or_default();
        let (asset, quote) = split(&symbol);
        let settle = p
            .get("marginAsset")
            .and_then(Value::text)
            .map(str::to_string)
            .unwrap_or(quote);
        piece.contracts.push((
            symbol.clone(),
            Contract {
                asset: Some(asset),
                settle: Some(settle),
                inverse: Some(false),
                size: Some(Decimal::ONE),
            },
        ));
        piece.positions.push(Pos {
            symbol,
            side,
            qty,
            entry,
            mark: field("markPrice"),
            leverage: field("leverage"),
            mode,
            isolated_margin,
            hedge: hedge_side.is_some(),
            // Binance writes "0" where a position has no liquidation price.
            venue_liquidation: field("liquidationPrice").filter(|l| !l.is_zero()),
            venue_maintenance: field("maintMargin"),
            inputs_rounding,
            max_leverage: None,
            paid_fees: None,
            paid_funding: None,
        });
    }
    Ok(piece)
}

fn settings(items: &[&Value]) -> Piece {
    let mut piece = Piece::default();
    for s in items {
        if let Some(symbol) = s.get("symbol").and_then(Value::text) {
            piece.settings.push((
                symbol.to_string(),
                s.get("leverage").and_then(Value::decimal),
                mode(s.get("marginType").and_then(Value::text)),
            ));
        }
    }
    piece
}

fn account(v: &Value) -> Result<Piece, String> {
    let mut piece = Piece::default();
    for a in v.get("assets").and_then(Value::as_array).unwrap_or(&[]) {
        if let (Some(asset), Some(w)) = (
            a.get("asset").and_then(Value::text),
            a.get("walletBalance").and_then(Value::decimal),
        ) {
            piece.wallets.push((asset.to_string(), w));
        }
    }
    if piece.wallets.is_empty() {
        if let Some(w) = v.get("totalWalletBalance").and_then(Value::decimal) {
            piece.wallets.push(("USDT".into(), w));
        }
    }
    if let Some(mm) = v.get("totalMaintMargin").and_then(Value::decimal) {
        piece.venue_total_maintenance = Some(("USDT".into(), mm));
    }
    piece
        .notes
        .push("positions are read from positionRisk, which has their entry prices".into());
    Ok(piece)
}

fn brackets(items: &[&Value]) -> Piece {
    let mut piece = Piece::default();
    for s in items {
        let Some(symbol) = s.get("symbol").and_then(Value::text) else {
            continue;
        };
        let rows = s.get("brackets").and_then(Value::as_array).unwrap_or(&[]);
        let n = rows.len();
        let tiers: Vec<Tier> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                let field = |k: &str| b.get(k).and_then(Value::decimal);
                Some(Tier {
                    notional_floor: Num(field("notionalFloor")?),
                    // The last bracket's cap is where trading stops; above
                    // it the model keeps the last tier.
                    notional_cap: if i.saturating_add(1) < n {
                        field("notionalCap").map(Num)
                    } else {
                        None
                    },
                    mmr: Num(field("maintMarginRatio")?),
                    maintenance_amount: field("cum").map(Num),
                    max_leverage: field("initialLeverage").map(Num),
                })
            })
            .collect();
        if tiers.len() == n && n > 0 {
            let mut source = format!("Binance leverageBracket for {symbol}");
            if let Some(coef) = s
                .get("notionalCoef")
                .and_then(Value::decimal)
                .filter(|c| *c != Decimal::ONE)
            {
                source.push_str(&format!(" (the account's brackets, notionalCoef {coef})"));
            }
            piece.tiers.push((
                symbol.to_string(),
                Tiers {
                    tiers,
                    source,
                    by_size: false,
                },
            ));
        } else {
            piece.notes.push(format!(
                "{symbol}: a bracket without its floor or rate was left out"
            ));
        }
    }
    piece
}
