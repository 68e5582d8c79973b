//! OKX v5: `account/positions`, `account/balance`, `public/position-tiers`
//! and `public/instruments`.
//!
//! OKX sizes positions in contracts: a contract is `ctVal` (times `ctMult`)
//! of the asset for a linear swap, or `ctVal` of USD for an inverse one, so
//! the instruments response is needed to know a position's size. Its tiers
//! are by size in contracts, not by notional.

use super::piece::{half_ulp, Contract, Piece, Pos, Tiers};
use super::text::Value;
use crate::engine::num::{plus, times};
use crate::engine::scenario::{MarginMode, Num, Side, Tier};
use rust_decimal::Decimal;

pub fn read(v: &Value) -> Option<(&'static str, Result<Piece, String>)> {
    let code = v.get("code").and_then(Value::text)?;
    let data = v.get("data").and_then(Value::as_array)?;
    if code != "0" {
        let msg = v.get("msg").and_then(Value::text).unwrap_or("");
        return Some((
            "an OKX v5 response",
            Err(format!("it is an error (code {code}): {msg}")),
        ));
    }
    let Some(first) = data.first() else {
        let piece = Piece {
            notes: vec!["its data is empty".into()],
            ..Piece::default()
        };
        return Some(("an OKX v5 response", Ok(piece)));
    };
    if first.has("details") && (first.has("totalEq") || first.has("adjEq")) {
        return Some(("GET /api/v5/account/balance", Ok(balance(first))));
    }
    if first.has("pos") && first.has("mgnMode") && first.has("avgPx") {
        return Some(("GET /api/v5/account/positions", positions(data)));
    }
    if first.has("tier") && first.has("mmr") && (first.has("maxSz") || first.has("minSz")) {
        return Some(("GET /api/v5/public/position-tiers", Ok(tiers(data))));
    }
    if first.has("ctVal") && first.has("instId") {
        return Some(("GET /api/v5/public/instruments", Ok(instruments(data))));
    }
    None
}

/// `BTC-USDT-SWAP` → (`BTC`, `USDT`, linear); `BTC-USD-SWAP` → (`BTC`, `BTC`, inverse).
pub fn split(inst: &str) -> (String, String, bool) {
    let mut parts = inst.split('-');
    let base = parts.next().unwrap_or(inst).to_string();
    match parts.next() {
        Some("USD") => (base.clone(), base, true),
        Some(q) => (base, q.to_string(), false),
        None => (base, "USDT".into(), false),
    }
}

/// The instrument family a swap or future belongs to (`BTC-USDT`).
pub fn family(inst: &str) -> String {
    inst.split('-').take(2).collect::<Vec<_>>().join("-")
}

fn positions(data: &[Value]) -> Result<Piece, String> {
    let mut piece = Piece::default();
    let mut left_out = 0usize;
    for p in data {
        let field = |k: &str| p.get(k).and_then(Value::decimal);
        let inst = p
            .get("instId")
            .and_then(Value::text)
            .unwrap_or_default()
            .to_string();
        match p.get("instType").and_then(Value::text) {
            Some("SWAP" | "FUTURES") | None => {}
            Some(_) => {
                // Spot margin (borrowing) and options are not futures.
                left_out = left_out.saturating_add(1);
                continue;
            }
        }
        let pos = field("pos").unwrap_or_default();
        if pos.is_zero() {
            continue;
        }
        let (hedge, side) = match p.get("posSide").and_then(Value::text) {
            Some("long") => (true, Side::Long),
            Some("short") => (true, Side::Short),
            _ => (
                false,
                if pos > Decimal::ZERO {
                    Side::Long
                } else {
                    Side::Short
                },
            ),
        };
        let entry = field("avgPx").ok_or_else(|| format!("{inst}: no avgPx"))?;
        let mode = match p.get("mgnMode").and_then(Value::text) {
            Some("isolated") => MarginMode::Isolated,
            _ => MarginMode::Cross,
        };
        let isolated_margin = (mode == MarginMode::Isolated)
            .then(|| field("margin"))
            .flatten();
        let qty = pos.abs();
        let (asset, settle, inverse) = split(&inst);
        piece.contracts.push((
            inst.clone(),
            Contract {
                asset: Some(asset),
                settle: Some(settle),
                inverse: Some(inverse),
                size: None,
            },
        ));
        piece.positions.push(Pos {
            symbol: inst,
            side,
            qty,
            entry,
            mark: field("markPx"),
            leverage: field("lever"),
            mode: Some(mode),
            isolated_margin,
            hedge,
            venue_liquidation: field("liqPx"),
            venue_maintenance: field("mmr"),
            inputs_rounding: plus(
                if inverse {
                    Decimal::ZERO
                } else {
                    times(qty, half_ulp(entry)).unwrap_or_default()
                },
                isolated_margin.map(half_ulp).unwrap_or_default(),
            )
            .unwrap_or_default(),
            max_leverage: None,
            // `fee` and `fundingFee` are the account's gains: a fee
            // charged and funding paid are negative.
            paid_fees: field("fee").map(|f| -f),
            paid_funding: field("fundingFee").map(|f| -f),
        });
    }
    if left_out > 0 {
        piece.notes.push(format!(
            "{left_out} spot-margin or option {} left out: not futures",
            if left_out == 1 {
                "position"
            } else {
                "positions"
            }
        ));
    }
    Ok(piece)
}

fn balance(account: &Value) -> Piece {
    let mut piece = Piece::default();
    for d in account
        .get("details")
        .and_then(Value::as_array)
        .unwrap_or(&[])
    {
        // Cash, without unrealised PnL (which the positions bring).
        if let (Some(ccy), Some(cash)) = (
            d.get("ccy").and_then(Value::text),
            d.get("cashBal").and_then(Value::decimal),
        ) {
            piece.wallets.push((ccy.to_string(), cash));
        }
    }
    piece
}

fn tiers(data: &[Value]) -> Piece {
    let mut piece = Piece::default();
    let key = |t: &Value| {
        ["instFamily", "uly", "instId"]
            .iter()
            .filter_map(|k| t.get(k).and_then(Value::text))
            .find(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut families: Vec<String> = Vec::new();
    for t in data {
        if let Some(k) = key(t) {
            if !families.contains(&k) {
                families.push(k);
            }
        }
    }
    for fam in families {
        let rows: Vec<&Value> = data
            .iter()
            .filter(|t| key(t).as_deref() == Some(fam.as_str()))
            .collect();
        let n = rows.len();
        let tiers: Vec<Tier> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, t)| {
                let field = |k: &str| t.get(k).and_then(Value::decimal);
                Some(Tier {
                    notional_floor: Num(if i == 0 {
                        Decimal::ZERO
                    } else {
                        field("minSz")?
                    }),
                    notional_cap: if i.saturating_add(1) < n {
                        field("maxSz").map(Num)
                    } else {
                        None
                    },
                    mmr: Num(field("mmr")?),
                    maintenance_amount: Some(Num(Decimal::ZERO)),
                    max_leverage: field("maxLever").map(Num),
                })
            })
            .collect();
        if tiers.len() == n && n > 0 {
            piece.tiers.push((
                fam.clone(),
                Tiers {
                    tiers,
                    source: format!("OKX position-tiers for {fam} (by size in contracts)"),
                    by_size: true,
                },
            ));
        }
    }
    piece
}

fn instruments(data: &[Value]) -> Piece {
    let mut piece = Piece::default();
    for i in data {
        let field = |k: &str| i.get(k).and_then(Value::decimal);
        let Some(inst) = i.get("instId").and_then(Value::text) else {
            continue;
        };
        let inverse = i.get("ctType").and_then(Value::text) == Some("inverse");
        let size =
            field("ctVal").map(|v| times(v, field("ctMult").unwrap_or(Decimal::ONE)).unwrap_or(v));
        let (asset, settle, _) = split(inst);
        let settle = i
            .get("settleCcy")
            .and_then(Value::text)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .unwrap_or(settle);
        piece.contracts.push((
            inst.to_string(),
            Contract {
                asset: Some(asset),
                settle: Some(settle),
                inverse: Some(inverse),
                size,
            },
        ));
    }
    piece
}
