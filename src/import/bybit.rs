//! Bybit v5: `position/list`, `account/wallet-balance`, `market/risk-limit`.
//!
//! The risk-limit table's rates may be written as percentages (`"0.5"` for
//! 0.5 %): the initial margin rate times the maximum leverage is 1 when they
//! are fractions and 100 when they are percentages, which tells the two apart.

use super::piece::{half_ulp, Contract, Piece, Pos, Tiers};
use super::text::Value;
use crate::engine::num::{plus, times};
use crate::engine::scenario::{MarginMode, Num, Side, Tier};
use rust_decimal::Decimal;

pub fn read(v: &Value) -> Option<(&'static str, Result<Piece, String>)> {
    if !v.has("retCode") && !v.has("retMsg") {
        return None;
    }
    let result = v.get("result")?;
    let list = result.get("list").and_then(Value::as_array)?;
    let category = result
        .get("category")
        .and_then(Value::text)
        .unwrap_or("linear");
    let Some(first) = list.first() else {
        let piece = Piece {
            notes: vec!["its list is empty".into()],
            ..Piece::default()
        };
        return Some(("a Bybit v5 response", Ok(piece)));
    };
    let first = Some(first);
    if first.is_some_and(|f| f.has("coin") && f.has("accountType")) {
        return Some(("GET /v5/account/wallet-balance", Ok(wallet(list))));
    }
    if first
        .is_some_and(|f| f.has("riskLimitValue") && f.has("maintenanceMargin") && !f.has("size"))
    {
        return Some(("GET /v5/market/risk-limit", Ok(risk_limits(list, category))));
    }
    if first.is_some_and(|f| f.has("positionIdx") && f.has("size")) {
        return Some(("GET /v5/position/list", positions(list, category)));
    }
    None
}

/// A symbol's asset and settlement currency.
fn split(symbol: &str, category: &str) -> (String, String, bool) {
    if category == "inverse" {
        // BTCUSD, or a dated BTCUSDH25.
        let base = symbol.split("USD").next().unwrap_or(symbol).to_string();
        return (base.clone(), base, true);
    }
    for q in ["USDT", "USDC"] {
        if let Some(base) = symbol.strip_suffix(q).filter(|b| !b.is_empty()) {
            return (base.to_string(), q.to_string(), false);
        }
    }
    // USDC perpetuals are named `BTCPERP`; dated ones `BTC-26DEC25`.
    let base = symbol
        .trim_end_matches("PERP")
        .split('-')
        .next()
        .unwrap_or(symbol)
        .to_string();
    (base, "USDC".into(), false)
}

fn positions(list: &[Value], category: &str) -> Result<Piece, String> {
    let mut piece = Piece::default();
    for p in list {
        let field = |k: &str| p.get(k).and_then(Value::decimal);
        let symbol = p
            .get("symbol")
            .and_then(Value::text)
            .unwrap_or_default()
            .to_string();
        let qty = field("size").unwrap_or_default();
        if qty.is_zero() {
            continue;
        }
        let side = match p.get("side").and_then(Value::text) {
            Some("Buy") => Side::Long,
            Some("Sell") => Side::Short,
            other => return Err(format!("{symbol}: side {other:?} is neither Buy nor Sell")),
        };
        let entry = field("avgPrice").ok_or_else(|| format!("{symbol}: no avgPrice"))?;
        // `tradeMode` is deprecated on unified accounts (always 0, the mode
        // being the account's); 1 still says isolated where it is given.
        let mode = match p.get("tradeMode").and_then(Value::decimal) {
            Some(m) if m == Decimal::ONE => MarginMode::Isolated,
            _ => MarginMode::Cross,
        };
        let isolated_margin = (mode == MarginMode::Isolated)
            .then(|| {
                field("positionBalance")
                    .filter(|b| !b.is_zero())
                    .or_else(|| field("positionIM"))
            })
            .flatten();
        let (asset, settle, inverse) = split(&symbol, category);
        let entry_rounding = if inverse {
            // An inverse position's constant is `size / entry`.
            Decimal::ZERO
        } else {
            times(qty, half_ulp(entry)).unwrap_or_default()
        };
        piece.contracts.push((
            symbol.clone(),
            Contract {
                asset: Some(asset),
                settle: Some(settle),
                inverse: Some(inverse),
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
            mode: Some(mode),
            isolated_margin,
            hedge: matches!(p.get("positionIdx").and_then(Value::decimal), Some(i) if !i.is_zero()),
            venue_liquidation: field("liqPrice"),
            venue_maintenance: field("positionMM"),
            inputs_rounding: plus(
                entry_rounding,
                isolated_margin.map(half_ulp).unwrap_or_default(),
            )
            .unwrap_or_default(),
            max_leverage: None,
            paid_fees: None,
            paid_funding: None,
        });
    }
    Ok(piece)
}

fn wallet(list: &[Value]) -> Piece {
    let mut piece = Piece::default();
    for account in list {
        for c in account.get("coin").and_then(Value::as_array).unwrap_or(&[]) {
            if let (Some(coin), Some(w)) = (
                c.get("coin").and_then(Value::text),
                c.get("walletBalance").and_then(Value::decimal),
            ) {
                piece.wallets.push((coin.to_string(), w));
            }
        }
    }
    piece
}

fn risk_limits(list: &[Value], category: &str) -> Piece {
    let mut piece = Piece::default();
    let mut symbols: Vec<&str> = Vec::new();
    for r in list {
        if let Some(s) = r.get("symbol").and_then(Value::text) {
            if !symbols.contains(&s) {
                symbols.push(s);
            }
        }
    }
    for symbol in symbols {
        let rows: Vec<&Value> = list
            .iter()
            .filter(|r| r.get("symbol").and_then(Value::text) == Some(symbol))
            .collect();
        let mut tiers = Vec::with_capacity(rows.len());
        let mut floor = Decimal::ZERO;
        let mut percent = false;
        for (i, r) in rows.iter().enumerate() {
            let field = |k: &str| r.get(k).and_then(Value::decimal);
            let (Some(cap), Some(mm), Some(lev)) = (
                field("riskLimitValue"),
                field("maintenanceMargin"),
                field("maxLeverage"),
            ) else {
                continue;
            };
            // Percentages: initial margin × max leverage is 100, not 1.
            percent = field("initialMargin")
                .and_then(|im| times(im, lev))
                .is_some_and(|x| x > Decimal::TEN);
            let scale = |d: Decimal| {
                if percent {
                    d.checked_div(Decimal::ONE_HUNDRED).unwrap_or(d)
                } else {
                    d
                }
            };
            tiers.push(Tier {
                notional_floor: Num(floor),
                notional_cap: (i.saturating_add(1) < rows.len()).then_some(Num(cap)),
                mmr: Num(scale(mm)),
                maintenance_amount: field("mmDeduction").map(Num),
                max_leverage: Some(Num(lev)),
            });
            floor = cap;
        }
        if !tiers.is_empty() {
            let unit = if category == "inverse" {
                "coin"
            } else {
                "quote"
            };
            let how = if percent {
                "; its rates are percentages, read as such"
            } else {
                ""
            };
            piece.tiers.push((
                symbol.to_string(),
                Tiers {
                    tiers,
                    source: format!("Bybit risk-limit for {symbol} (limits in {unit}){how}"),
                    by_size: false,
                },
            ));
        }
    }
    piece
}
