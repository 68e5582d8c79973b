//! Runs the margin conformance vectors (`tests/data/README.md` gives the schema
//! and the model): every expectation of every vector, one line per failure,
//! then `N passed, M failed`. Reads `$MARGIN_VECTORS` when set, else the
//! project's copy. A vector the engine cannot express fails (each of its
//! expectations does), and so does a vector without expectations; nothing
//! is skipped.
//!
//! The adapter only translates the schema: each market gets its own price
//! (the positions' mark), collateral keeps its own, and the cross wallet plus
//! what isolated positions hold becomes the wallet of the cross pool's currency.

use marginscope::engine::decimal_text::parse_decimal;
use marginscope::engine::scenario::{
    Collateral, MarginBasis, Market, Num, PortfolioParams, Position, Premium, RatioTier, Scenario,
    Settlement, Side, Tier,
};
use marginscope::engine::{self, Evaluation};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;

fn main() {
    let path = std::env::var("MARGIN_VECTORS").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors.json").to_string()
    });
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(2);
        }
    };
    let doc: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{path} is not JSON: {e}");
            std::process::exit(2);
        }
    };
    if doc["schema"] != "margin-conformance/1" {
        eprintln!("{path}: unknown schema {}", doc["schema"]);
        std::process::exit(2);
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for v in doc["vectors"].as_array().into_iter().flatten() {
        let id = v["id"].as_str().unwrap_or("?");
        let expects = v["expect"].as_array().cloned().unwrap_or_default();
        // A vector that checks nothing is a vector that failed.
        if expects.is_empty() {
            failed += 1;
            println!("FAIL {id}: it has no expectations");
            continue;
        }
        let outcome = adapt(v).and_then(|(scenario, cross_pool)| {
            engine::evaluate(&scenario)
                .map(|r| (r.as_given, cross_pool))
                .map_err(|e| format!("engine error: {e}"))
        });
        for e in &expects {
            let metric = e["metric"].as_str().unwrap_or("?");
            let target = e["position"]
                .as_str()
                .map(|p| format!("position {p}"))
                .or_else(|| e["unit"].as_str().map(|u| format!("unit {u}")))
                .or_else(|| e["pool"].as_str().map(|p| format!("pool {p}")))
                .unwrap_or_else(|| "?".into());
            let want = e["value"].as_str().unwrap_or("?");
            let result = match &outcome {
                Ok((eval, cross_pool)) => check(eval, cross_pool, e),
                Err(why) => Err(why.clone()),
            };
            match result {
                Ok(()) => passed += 1,
                Err(got) => {
                    failed += 1;
                    println!("FAIL {id} {metric} ({target}): wanted {want}, got {got}");
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 || passed == 0 {
        std::process::exit(1);
    }
}

fn num(v: &Value) -> Result<Num, String> {
    v.as_str()
        .and_then(parse_decimal)
        .map(Num)
        .ok_or_else(|| format!("not a decimal: {v}"))
}

fn opt_num(v: &Value) -> Result<Option<Num>, String> {
    if v.is_null() {
        Ok(None)
    } else {
        num(v).map(Some)
    }
}

fn text(v: &Value) -> Result<String, String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("not a string: {v}"))
}

/// The vector as a scenario, and the id our engine gives its cross pool.
fn adapt(v: &Value) -> Result<(Scenario, String), String> {
    let mut s = Scenario {
        quote: "USD".into(),
        ..Scenario::default()
    };
    let collateral_names: Vec<String> = v["collateral"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["asset"].as_str().map(str::to_string))
        .collect();
    while collateral_names.contains(&s.quote) {
        s.quote.push('_');
    }
    let positions = v["positions"].as_array().cloned().unwrap_or_default();
    let mut asset_of = BTreeMap::new();
    // A market's mark is its positions' (they must agree); the markets of
    // one asset (the vector's `asset`, else the market's own id) share its
    // price, the first market's mark, and a market marked otherwise (a
    // dated future at a basis) keeps its mark through a premium.
    let mut premiums = BTreeMap::new();
    for (id, m) in v["markets"].as_object().into_iter().flatten() {
        let mut asset = m["asset"].as_str().unwrap_or(id).to_string();
        while collateral_names.contains(&asset) || asset == s.quote {
            asset.push('~');
        }
        let marks: Vec<Num> = positions
            .iter()
            .filter(|p| p["market"] == id.as_str())
            .map(|p| num(&p["mark_price"]))
            .collect::<Result<_, _>>()?;
        let price = marks.first().copied().unwrap_or(Num(Decimal::ONE));
        if marks.iter().any(|m| *m != price) {
            return Err(format!("positions on {id} have different mark prices"));
        }
        let asset_price = *s.prices.entry(asset.clone()).or_insert(price);
        if asset_price != price {
            premiums.insert(id.clone(), (asset_price, price));
        }
        let settlement = match m["settlement"].as_str() {
            Some("linear") => Settlement::Linear,
            Some("inverse") => Settlement::Inverse,
            other => return Err(format!("unknown settlement {other:?}")),
        };
        let margin_basis = match m["margin_basis"].as_str() {
            Some("mark") | None => MarginBasis::Mark,
            Some("entry") => MarginBasis::Entry,
            other => return Err(format!("unknown margin basis {other:?}")),
        };
        let tiers = m["tiers"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| {
                Ok(Tier {
                    notional_floor: num(&t["notional_floor"])?,
                    notional_cap: opt_num(&t["notional_cap"])?,
                    mmr: num(&t["mmr"])?,
                    maintenance_amount: opt_num(&t["maintenance_amount"])?,
                    max_leverage: opt_num(&t["max_leverage"])?,
                })
            })
            .collect::<Result<_, String>>()?;
        s.markets.insert(
            id.clone(),
            Market {
                asset: asset.clone(),
                settlement,
                contract_size: num(&m["contract_size"])?,
                margin_basis,
                tiers,
                source: None,
                premium: premiums.get(id).map(|&(asset_price, mark_price)| Premium {
                    asset_price,
                    mark_price,
                }),
                fees: None,
                funding: None,
                isolated_margin_rule: Default::default(),
            },
        );
        asset_of.insert(id.clone(), (asset, settlement));
    }
    for c in v["collateral"].as_array().into_iter().flatten() {
        let asset = text(&c["asset"])?;
        s.prices.insert(asset.clone(), num(&c["price"])?);
        let value_ratio_tiers = c["value_ratio_tiers"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| {
                Ok(RatioTier {
                    qty_floor: num(&t["qty_floor"])?,
                    qty_cap: opt_num(&t["qty_cap"])?,
                    ratio: num(&t["ratio"])?,
                })
            })
            .collect::<Result<_, String>>()?;
        s.collateral.push(Collateral {
            asset,
            qty: num(&c["qty"])?,
            value_ratio_tiers,
        });
    }
    for (asset, p) in v["portfolio_margin"].as_object().into_iter().flatten() {
        let rate = |k: &str| -> Result<Num, String> {
            if p[k].is_null() {
                Ok(Num(Decimal::ZERO))
            } else {
                num(&p[k])
            }
        };
        s.portfolio_margin.insert(
            asset.clone(),
            PortfolioParams {
                shocks: p["shocks"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(num)
                    .collect::<Result<_, _>>()?,
                gain_weight: rate("gain_weight")?,
                roll_rate: rate("roll_rate")?,
                basis_rate: rate("basis_rate")?,
                floor_rate: rate("floor_rate")?,
                mm_factor: num(&p["mm_factor"])?,
                im_factor: num(&p["im_factor"])?,
                source: None,
            },
        );
    }
    let mut sides: BTreeMap<String, Vec<Side>> = BTreeMap::new();
    for p in &positions {
        let side = match p["side"].as_str() {
            Some("long") => Side::Long,
            Some("short") => Side::Short,
            other => return Err(format!("unknown side {other:?}")),
        };
        let market = text(&p["market"])?;
        sides.entry(market.clone()).or_default().push(side);
        s.positions.push(Position {
            id: Some(text(&p["id"])?),
            market,
            side,
            qty: num(&p["qty"])?,
            entry_price: num(&p["entry_price"])?,
            margin_mode: match p["margin_mode"].as_str() {
                Some("cross") => marginscope::engine::scenario::MarginMode::Cross,
                Some("isolated") => marginscope::engine::scenario::MarginMode::Isolated,
                Some("portfolio") => marginscope::engine::scenario::MarginMode::Portfolio,
                other => return Err(format!("unknown margin mode {other:?}")),
            },
            leverage: opt_num(&p["leverage"])?,
            isolated_margin: opt_num(&p["isolated_margin"])?,
            opened_as: None,
            costs_paid: None,
        });
    }
    s.hedge_mode = sides
        .values()
        .any(|v| v.contains(&Side::Long) && v.contains(&Side::Short));

    // The one cross (or portfolio) pool of the schema is kept in its
    // positions' settlement currency.
    let mut cross_coins: Vec<Option<String>> = Vec::new();
    let portfolio = s
        .positions
        .iter()
        .any(|p| p.margin_mode == marginscope::engine::scenario::MarginMode::Portfolio);
    for p in &s.positions {
        if p.margin_mode != marginscope::engine::scenario::MarginMode::Isolated {
            let (asset, settlement) = &asset_of[&p.market];
            let coin = (*settlement == Settlement::Inverse).then(|| asset.clone());
            if !cross_coins.contains(&coin) {
                cross_coins.push(coin);
            }
        }
    }
    if cross_coins.len() > 1 {
        return Err("cross positions settle in more than one currency".into());
    }
    let cross_currency = cross_coins.pop().flatten();
    let kind = if portfolio { "portfolio" } else { "cross" };
    let cross_pool = cross_currency
        .as_ref()
        .map_or(kind.to_string(), |c| format!("{kind}:{c}"));

    // Wallets hold the cross balance and what each isolated position holds.
    let model = engine::validate(&s).map_err(|e| format!("engine error: {e}"))?;
    let mut wallet: BTreeMap<String, Decimal> = BTreeMap::new();
    let cross_key = cross_currency.clone().unwrap_or_else(|| s.quote.clone());
    let cross_balance = opt_num(&v["cross_wallet_balance"])?.map_or(Decimal::ZERO, |n| n.0);
    *wallet.entry(cross_key).or_default() += cross_balance;
    for (p, spec) in s.positions.iter().zip(&model.positions) {
        if p.margin_mode == marginscope::engine::scenario::MarginMode::Isolated {
            let (asset, settlement) = &asset_of[&p.market];
            let key = if *settlement == Settlement::Inverse {
                asset.clone()
            } else {
                s.quote.clone()
            };
            *wallet.entry(key).or_default() += spec.isolated_margin;
        }
    }
    s.wallet = wallet.into_iter().map(|(k, v)| (k, Num(v))).collect();
    Ok((s, cross_pool))
}

fn check(eval: &Evaluation, cross_pool: &str, e: &Value) -> Result<(), String> {
    let metric = e["metric"].as_str().unwrap_or_default();
    let want = num(&e["value"])?.0;
    let got: Option<Decimal> = if let Some(pid) = e["position"].as_str() {
        let p = eval.position(pid).ok_or("no such position")?;
        match metric {
            "liquidation_price" => p.liquidation_price,
            "bankruptcy_price" => p.bankruptcy_price,
            "maintenance_margin" => Some(p.maintenance_margin),
            "initial_margin" => Some(p.initial_margin),
            "notional" => Some(p.notional),
            _ => return Err(format!("unknown position metric {metric}")),
        }
    } else if let Some(asset) = e["unit"].as_str() {
        let pool = eval.pool(cross_pool).ok_or("no portfolio pool")?;
        let u = pool
            .units
            .iter()
            .find(|u| u.asset == asset)
            .ok_or("no such unit")?;
        match metric {
            "worst_loss" => Some(u.worst_loss),
            "roll_charge" => Some(u.roll_charge),
            "basis_charge" => Some(u.basis_charge),
            "floor_charge" => Some(u.floor_charge),
            "maintenance_margin" => Some(u.maintenance_margin),
            "initial_margin" => Some(u.initial_margin),
            _ => return Err(format!("unknown unit metric {metric}")),
        }
    } else if let Some(pool) = e["pool"].as_str() {
        let pool = if pool == "cross" || pool == "portfolio" {
            cross_pool
        } else {
            pool
        };
        let p = eval.pool(pool).ok_or("no such pool")?;
        match metric {
            "equity" => Some(p.equity),
            "maintenance_margin" => Some(p.maintenance_margin),
            "initial_margin" => Some(p.initial_margin),
            "margin_ratio" => p.margin_ratio,
            "collateral_value" => Some(p.collateral_value),
            "wallet_value" => Some(p.wallet_value),
            _ => return Err(format!("unknown pool metric {metric}")),
        }
    } else {
        return Err("expectation names neither a position, a unit nor a pool".into());
    };
    let got = got.ok_or("none")?;
    let diff = (got - want).abs();
    let tol = &e["tolerance"];
    let ok = if let Some(abs) = tol.get("abs") {
        diff <= num(abs)?.0
    } else if let Some(rel) = tol.get("rel") {
        diff <= num(rel)?.0 * want.abs()
    } else {
        diff.is_zero()
    };
    if ok {
        Ok(())
    } else {
        Err(got.normalize().to_string())
    }
}
