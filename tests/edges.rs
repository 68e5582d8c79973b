//! A book at its own edges: priced at its bankruptcy price (as the page
//! shows it, and as typed to 12 or 17 digits, or in full), a pool exactly
//! at its maintenance margin. A residue of rounding where the model has
//! zero is zero: every such book gives figures, never an error.
#![cfg(not(target_arch = "wasm32"))]

use marginscope::engine::scenario::Num;
use marginscope::engine::{self, Scenario};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).expect("a decimal")
}

/// One isolated inverse position, alone, with a one-tier table.
fn book(
    side: &str,
    qty: &str,
    size: &str,
    entry: &str,
    leverage: &str,
    price: Decimal,
) -> Scenario {
    let mut s = Scenario::from_json(&format!(
        r#"{{ "quote": "USD", "wallet": {{ "BTC": "0" }}, "prices": {{ "BTC": "1" }},
        "markets": {{ "M": {{ "asset": "BTC", "settlement": "inverse", "contract_size": "{size}",
            "tiers": [ {{ "notional_floor": "0", "mmr": "0.005" }} ] }} }},
        "positions": [ {{ "market": "M", "side": "{side}", "qty": "{qty}", "entry_price": "{entry}",
            "leverage": "{leverage}", "margin_mode": "isolated" }} ] }}"#
    ))
    .expect("a scenario");
    s.prices.insert("BTC".into(), Num(price));
    s
}

/// `text` rounded to `digits` significant digits, as a person types what a page shows.
fn typed(price: Decimal, digits: u32) -> Decimal {
    let exponent = price.abs().log10_floor();
    let places = (i64::from(digits) - 1 - exponent).clamp(0, 28) as u32;
    price.round_dp(places)
}

trait Log10 {
    fn log10_floor(self) -> i64;
}

impl Log10 for Decimal {
    fn log10_floor(self) -> i64 {
        let digits = self.mantissa().unsigned_abs().to_string().len() as i64;
        digits - 1 - i64::from(self.scale())
    }
}

#[test]
fn the_issues_two_books_at_their_bankruptcy_price() {
    // 100 contracts of 100, long from 0.15 at 2×: bankrupt at 0.1.
    let r = engine::evaluate(&book("long", "100", "100", "0.15", "2", d("0.1"))).expect("figures");
    let pool = r.as_given.pool("M").expect("its pool");
    assert_eq!(pool.equity, Decimal::ZERO);
    assert_eq!(pool.margin_ratio, None);
    // 1 contract of 100, long from 150 at 2×: bankrupt at 100; at 99, past it.
    let at = |price: &str| engine::evaluate(&book("long", "1", "100", "150", "2", d(price)));
    let r = at("100").expect("figures");
    let pool = r.as_given.pool("M").expect("its pool");
    assert_eq!(pool.equity, Decimal::ZERO);
    assert_eq!(pool.margin_ratio, None);
    assert_eq!(pool.effective_leverage, None);
    let past = at("99").expect("figures");
    let pool = past.as_given.pool("M").expect("its pool");
    assert!(pool.equity < Decimal::ZERO);
}

/// The issue's 378 books: 2× to 50× leverage, long and short, entries from
/// 0.15 to 97,093.7, each priced at its own bankruptcy price as the report
/// gives it, typed to 12 digits, to 17, or in full. Each gives figures,
/// with the pool's equity zero or as small as the typing leaves it.
#[test]
fn every_inverse_book_at_its_own_bankruptcy_price_gives_figures() {
    let leverages = ["2", "3", "5", "10", "20", "25", "50"];
    let entries = [
        "0.15", "1", "7.3", "150", "999.99", "3000", "42195.5", "65000", "97093.7",
    ];
    let mut books = 0;
    for side in ["long", "short"] {
        for leverage in leverages {
            for entry in entries {
                let start = book(side, "100", "100", entry, leverage, d(entry));
                let report = engine::evaluate(&start).expect("figures at entry");
                let bankrupt = report.as_given.positions[0]
                    .bankruptcy_price
                    .expect("a bankruptcy price");
                for digits in [12, 17, 28] {
                    let price = typed(bankrupt, digits);
                    let s = book(side, "100", "100", entry, leverage, price);
                    let r = engine::evaluate(&s).unwrap_or_else(|e| {
                        panic!("{side} {entry} at {leverage}×, at {price} ({digits} digits): {e}")
                    });
                    let pool = r.as_given.pool("M").expect("its pool");
                    if digits == 28 {
                        assert_eq!(
                            pool.equity,
                            Decimal::ZERO,
                            "{side} {entry} at {leverage}×, at {price}"
                        );
                        assert_eq!(pool.margin_ratio, None);
                    }
                    books += 1;
                }
            }
        }
    }
    assert_eq!(books, 378);
}

/// A price typed to 17 digits at one position's liquidation price leaves,
/// in the all-cross view, the pool a fraction of a cent from its
/// requirement: the BTC longs' liquidation price is then about 1e-14, a
/// root kept at the digits its terms allow. Its tier and the dated
/// future's mark at it are worked out from it, not refused (a random book
/// of `tests/reference.rs` found the refusal).
#[test]
fn a_root_kept_at_the_digits_its_terms_allow_has_a_tier_and_a_mark() {
    let s = Scenario::from_json(r#"{"format": "marginscope/1", "quote": "USD", "wallet": {"BTC": "0", "ETH": "0", "USD": "102978"}, "prices": {"BTC": "14103", "ETH": "354228.83253969691"}, "collateral": [], "markets": {"BTCUSD": {"asset": "BTC", "settlement": "inverse", "contract_size": "100", "margin_basis": "mark", "tiers": [{"notional_floor": "0", "mmr": "0.004"}]}, "BTCUSD-0327": {"asset": "BTC", "settlement": "inverse", "contract_size": "100", "margin_basis": "mark", "tiers": [{"notional_floor": "0", "mmr": "0.004"}], "premium": {"asset_price": "14103", "mark_price": "16146.52"}}, "BTCUSDT": {"asset": "BTC", "settlement": "linear", "contract_size": "1", "margin_basis": "mark", "tiers": [{"notional_floor": "0", "mmr": "0.004"}]}, "BTCUSDT-0327": {"asset": "BTC", "settlement": "linear", "contract_size": "1", "margin_basis": "mark", "tiers": [{"notional_floor": "0", "notional_cap": "22700", "mmr": "0.004"}, {"notional_floor": "22700", "mmr": "0.0041"}], "premium": {"asset_price": "14103", "mark_price": "16146.52"}}, "ETHUSD": {"asset": "ETH", "settlement": "inverse", "contract_size": "10", "margin_basis": "mark", "tiers": [{"notional_floor": "0", "mmr": "0.004"}]}, "ETHUSDT": {"asset": "ETH", "settlement": "linear", "contract_size": "1", "margin_basis": "mark", "tiers": [{"notional_floor": "0", "notional_cap": "650", "mmr": "0.004"}, {"notional_floor": "650", "mmr": "0.0042"}]}}, "positions": [{"market": "BTCUSD", "side": "short", "qty": "1", "entry_price": "14103", "margin_mode": "cross"}, {"market": "ETHUSDT", "side": "short", "qty": "0.077", "entry_price": "762.71", "margin_mode": "cross"}, {"market": "BTCUSDT-0327", "side": "long", "qty": "1.384", "entry_price": "15928.54", "margin_mode": "isolated"}, {"market": "BTCUSDT", "side": "long", "qty": "3.346", "entry_price": "16019.6", "margin_mode": "isolated"}], "hedge_mode": false, "portfolio_margin": {"BTC": {"shocks": ["0"], "gain_weight": "0", "roll_rate": "0", "basis_rate": "0", "floor_rate": "0", "mm_factor": "0.5", "im_factor": "0.5"}, "ETH": {"shocks": ["0"], "gain_weight": "0", "roll_rate": "0", "basis_rate": "0", "floor_rate": "0", "mm_factor": "0.5", "im_factor": "0.5"}}}"#).expect("a scenario");
    let report = engine::evaluate(&s).expect("figures, not an error");
    let cross = &report.all_cross.positions;
    let perpetual = cross[3].liquidation_price.expect("a root");
    let future = cross[2].liquidation_price.expect("a root");
    assert!(
        perpetual > Decimal::ZERO && perpetual < d("1e-12"),
        "{perpetual}"
    );
    // The same root at the future's mark: the premium's ratio of it.
    let mark = perpetual
        .checked_mul(d("16146.52"))
        .and_then(|m| m.checked_div(d("14103")))
        .expect("a mark");
    assert_eq!(future, mark);
}
