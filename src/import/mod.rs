//! A trader's real account: the JSON bodies their venue's API returns,
//! pasted or dropped (no key, no network), read into a scenario, and each
//! position's figures held against the venue's own (docs/import.md).
//!
//! [`import_account`] takes the pasted texts and says what each was
//! (`sources`), what is still missing and the request that fetches it
//! (`missing`), and how each position compares (`checks`). Pure: the page
//! and the JS API call it; nothing here knows of either.

mod binance;
mod bybit;
mod check;
mod combine;
mod hyperliquid;
mod okx;
mod piece;
pub mod text;

pub use piece::Venue;

use crate::engine::decimal_text::ser_opt_decimal;
use crate::engine::scenario::Scenario;
use piece::Piece;
use rust_decimal::Decimal;
use serde::Serialize;

/// What one pasted text was.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// Its place among the texts, from 0.
    pub index: usize,
    pub venue: Option<Venue>,
    /// The endpoint it is a response of (`GET /fapi/v3/positionRisk`).
    pub endpoint: Option<String>,
    /// What it brought, in words.
    pub brought: String,
    /// Why it was not read; the other texts are read all the same.
    pub problem: Option<String>,
}

/// A piece still missing, and the request that fetches it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Missing {
    pub what: String,
    /// What stands in for it meanwhile.
    pub why: String,
    pub request: String,
}

/// One position, ours against the venue's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub position: String,
    #[serde(serialize_with = "ser_opt_decimal")]
    pub venue_liquidation_price: Option<Decimal>,
    #[serde(serialize_with = "ser_opt_decimal")]
    pub liquidation_price: Option<Decimal>,
    /// How far apart the two may be for the venue's rounding alone.
    #[serde(serialize_with = "ser_opt_decimal")]
    pub liquidation_tolerance: Option<Decimal>,
    #[serde(serialize_with = "ser_opt_decimal")]
    pub venue_maintenance_margin: Option<Decimal>,
    #[serde(serialize_with = "ser_opt_decimal")]
    pub maintenance_margin: Option<Decimal>,
    #[serde(serialize_with = "ser_opt_decimal")]
    pub maintenance_tolerance: Option<Decimal>,
    pub agrees: bool,
    /// The venue gave a figure to hold ours against.
    pub checked: bool,
    /// The likely reason, where they differ.
    pub reason: Option<String>,
}

/// What a set of pasted texts makes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Imported {
    /// The account as a scenario; none when no text brought a position.
    pub scenario: Option<Scenario>,
    pub venue: Option<Venue>,
    pub sources: Vec<Source>,
    pub missing: Vec<Missing>,
    pub checks: Vec<Check>,
    /// What was read past, and why.
    pub notes: Vec<String>,
    /// Why there is no scenario, when there is none.
    pub problem: Option<String>,
}

impl Imported {
    /// "n of m positions agree with the venue", or why none was checked.
    pub fn summary(&self) -> String {
        let checked = self.checks.iter().filter(|c| c.checked).count();
        let agree = self.checks.iter().filter(|c| c.agrees).count();
        match (self.checks.len(), checked) {
            (0, _) => "No position to hold against the venue.".into(),
            (_, 0) => {
                "The venue gave no liquidation price or maintenance margin to hold ours against."
                    .into()
            }
            (_, m) => format!(
                "{agree} of {m} {} {} with the venue.",
                if m == 1 { "position" } else { "positions" },
                if agree == 1 { "agrees" } else { "agree" }
            ),
        }
    }
}

/// Keys that only a credential has: a paste holding one is refused whole.
const SECRET_KEYS: [&str; 7] = [
    "secret",
    "apiSecret",
    "api_secret",
    "secretKey",
    "privateKey",
    "private_key",
    "passphrase",
];

fn holds_secret(v: &text::Value) -> bool {
    match v {
        text::Value::Obj(members) => members
            .iter()
            .any(|(k, v)| SECRET_KEYS.iter().any(|s| k.eq_ignore_ascii_case(s)) || holds_secret(v)),
        text::Value::Arr(items) => items.iter().any(holds_secret),
        _ => false,
    }
}

type Reader = fn(&text::Value) -> Option<(&'static str, Result<Piece, String>)>;

const READERS: [(Venue, Reader); 4] = [
    (Venue::Hyperliquid, hyperliquid::read),
    (Venue::Bybit, bybit::read),
    (Venue::Okx, okx::read),
    (Venue::Binance, binance::read),
];

fn brought(p: &Piece) -> String {
    let mut parts = Vec::new();
    let n = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    if !p.positions.is_empty() {
        let names: Vec<String> = p
            .positions
            .iter()
            .map(|x| format!("{} {}", x.symbol, x.side.as_str()))
            .collect();
        parts.push(format!(
            "{} ({})",
            n(p.positions.len(), "position", "positions"),
            names.join(", ")
        ));
    }
    if !p.wallets.is_empty() {
        let w: Vec<String> = p.wallets.iter().map(|(c, v)| format!("{v} {c}")).collect();
        parts.push(format!("balances {}", w.join(", ")));
    }
    if !p.tiers.is_empty() {
        parts.push(n(p.tiers.len(), "tier table", "tier tables"));
    }
    if !p.marks.is_empty() {
        parts.push(n(p.marks.len(), "mark price", "mark prices"));
    }
    if !p.settings.is_empty() {
        parts.push(format!(
            "leverage and margin mode of {}",
            n(p.settings.len(), "symbol", "symbols")
        ));
    }
    let contracts = p
        .contracts
        .iter()
        .filter(|(_, c)| c.size.is_some_and(|s| s != Decimal::ONE))
        .count();
    if contracts > 0 {
        parts.push(n(contracts, "contract value", "contract values"));
    }
    if parts.is_empty() {
        "nothing Marginscope uses".into()
    } else {
        parts.join("; ")
    }
}

/// Reads the pasted texts of one account (any order, any number), puts
/// them together and holds the result against the venue's figures.
pub fn import_account(texts: &[&str]) -> Imported {
    let mut sources = Vec::new();
    let mut pieces: Vec<(Venue, Piece)> = Vec::new();
    for (index, t) in texts.iter().enumerate() {
        let fail = |problem: String| Source {
            index,
            venue: None,
            endpoint: None,
            brought: String::new(),
            problem: Some(problem),
        };
        let v = match text::read(t) {
            Ok(v) => v,
            Err(e) => {
                sources.push(fail(e));
                continue;
            }
        };
        if holds_secret(&v) {
            sources.push(fail("it holds a secret or private key: Marginscope never takes one. Paste the API's response only".into()));
            continue;
        }
        let found = READERS
            .iter()
            .find_map(|(venue, read)| read(&v).map(|r| (*venue, r)));
        match found {
            Some((venue, (endpoint, Ok(piece)))) => {
                sources.push(Source {
                    index,
                    venue: Some(venue),
                    endpoint: Some(endpoint.into()),
                    brought: brought(&piece),
                    problem: None,
                });
                pieces.push((venue, piece));
            }
            Some((venue, (endpoint, Err(e)))) => {
                sources.push(Source {
                    index,
                    venue: Some(venue),
                    endpoint: Some(endpoint.into()),
                    brought: String::new(),
                    problem: Some(e),
                });
            }
            None => {
                let hint = if v.has("format") && v.has("positions") {
                    "it is a Marginscope scenario: open it with Import JSON"
                } else {
                    "it is none of the responses Marginscope reads (docs/import.md lists them)"
                };
                sources.push(fail(hint.into()));
            }
        }
    }
    let venues: Vec<Venue> = pieces
        .iter()
        .map(|(v, _)| *v)
        .fold(Vec::new(), |mut acc, v| {
            if !acc.contains(&v) {
                acc.push(v);
            }
            acc
        });
    let empty = |problem: String| Imported {
        scenario: None,
        venue: venues.first().copied(),
        sources: sources.clone(),
        missing: Vec::new(),
        checks: Vec::new(),
        notes: Vec::new(),
        problem: Some(problem),
    };
    let venue = match venues.as_slice() {
        [] => return empty("no text was a venue's response".into()),
        [v] => *v,
        many => {
            let names: Vec<&str> = many.iter().map(|v| v.name()).collect();
            return empty(format!(
                "the texts are from {}: import one account at a time",
                names.join(" and ")
            ));
        }
    };
    let mut c = combine::combine(venue, pieces.into_iter().map(|(_, p)| p).collect());
    if c.scenario.positions.is_empty() {
        let mut out = empty("no open position: paste the positions response too".into());
        out.missing = c.missing;
        out.notes = c.notes;
        return out;
    }
    let checks = match check::checks(
        &c.scenario,
        &c.positions,
        c.venue_total_maintenance.as_ref(),
    ) {
        Ok(checks) => checks,
        Err(e) => {
            c.notes.push(format!(
                "the figures could not be worked out ({e}), so nothing was held against the venue"
            ));
            Vec::new()
        }
    };
    Imported {
        scenario: Some(c.scenario),
        venue: Some(venue),
        sources,
        missing: c.missing,
        checks,
        notes: c.notes,
        problem: None,
    }
}

/// `imported` added to the scenario being edited (when the trader asks for
/// it): its markets where the scenario has none of that id, its prices and
/// balances (the venue's are the account's now), its positions after the
/// scenario's; hedge mode if either is in it. Refused when the two are
/// valued in different currencies.
pub fn merged(into: &Scenario, imported: &Scenario) -> Result<Scenario, String> {
    if into.quote != imported.quote {
        return Err(format!(
            "the account is valued in {} and the scenario in {}: open it as a new scenario instead",
            imported.quote, into.quote
        ));
    }
    let mut s = into.clone();
    for (id, m) in &imported.markets {
        s.markets.entry(id.clone()).or_insert_with(|| m.clone());
    }
    s.prices.extend(imported.prices.clone());
    s.wallet.extend(imported.wallet.clone());
    s.hedge_mode = s.hedge_mode || imported.hedge_mode;
    s.positions.extend(imported.positions.iter().cloned());
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_added_to_a_scenario_keeps_the_scenarios_own_and_adds_the_accounts() {
        let mine = crate::presets::opening();
        let text = r#"{"assetPositions":[{"position":{"coin":"HYPE","entryPx":"30","leverage":{"type":"cross","value":5},
          "liquidationPx":null,"maxLeverage":10,"positionValue":"300","szi":"10"},"type":"oneWay"}],
          "crossMarginSummary":{"accountValue":"500","totalRawUsd":"200"},"marginSummary":{"accountValue":"500"}}"#;
        let imported = import_account(&[text]).scenario.expect("a scenario");
        let refused = merged(&mine, &imported).expect_err("USDC into USD");
        assert!(refused.contains("USDC") && refused.contains("new scenario"));
        let mut mine = mine;
        mine.quote = "USDC".into();
        let usd = mine.wallet.remove("USD").expect("a USD wallet");
        mine.wallet.insert("USDC".into(), usd);
        let both = merged(&mine, &imported).expect("merged");
        assert!(
            crate::engine::validate(&both).is_ok(),
            "{:?}",
            crate::engine::problems(&both)
        );
        assert_eq!(both.positions.len(), mine.positions.len() + 1);
        assert_eq!(both.positions[..mine.positions.len()], mine.positions[..]);
        assert!(both.markets.contains_key("HYPE") && both.markets.contains_key("BTCUSDT"));
        assert_eq!(both.prices["BTC"], mine.prices["BTC"]);
        assert_eq!(both.wallet["USDC"], imported.wallet["USDC"]);
    }
}
