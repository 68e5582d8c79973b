//! What the fuzz targets (`fuzz/`) check, kept in the library so that the
//! test command replays their corpus (`tests/fuzz_corpus.rs`) with exactly
//! the same code the fuzzer ran, on stable Rust and without libFuzzer.
//!
//! Each target takes any bytes. It panics only when the product is wrong: a
//! decoder or the engine panicking, or a property below failing. An input
//! being refused is the expected outcome for most bytes, not a failure.

use crate::engine::scenario::{
    Collateral, Fees, Funding, FundingPrice, IsolatedMarginRule, MarginBasis, MarginMode, Market,
    Num, Position, RatioTier, Scenario, Settlement, Side, Tier,
};
use crate::engine::{self, display, questions, Report};
use crate::share::Snapshot;
use rust_decimal::Decimal;

/// A scenario file as the Import button reads it: anything that parses must
/// survive its own JSON unchanged and evaluate without a panic.
pub fn scenario_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(s) = Scenario::from_json(text) else {
        return;
    };
    let again = Scenario::from_json(&s.to_json());
    assert_eq!(
        again.as_ref(),
        Ok(&s),
        "a scenario read back from its own JSON"
    );
    let _ = engine::problems(&s);
    if let Ok(report) = engine::evaluate(&s) {
        check_report(&report);
    }
}

/// Pasted venue responses as the account import reads them: the bytes are
/// one or more texts, split at each ASCII record separator (0x1E). Every
/// text gets an outcome, a scenario made from them survives its own JSON,
/// and evaluating it never panics.
pub fn import_account(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let texts: Vec<&str> = text.split('\u{1e}').take(8).collect();
    let imported = crate::import::import_account(&texts);
    assert_eq!(
        imported.sources.len(),
        texts.len(),
        "every text gets an outcome"
    );
    let _ = imported.summary();
    if let Some(s) = &imported.scenario {
        let again = Scenario::from_json(&s.to_json());
        assert_eq!(
            again.as_ref(),
            Ok(s),
            "an imported scenario read back from its JSON"
        );
        if let Ok(report) = engine::evaluate(s) {
            check_report(&report);
        }
    }
}

/// A share link's fragment as the page reads it from the address bar.
pub fn link_fragment(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(shared) = Snapshot::from_fragment(&text) else {
        return;
    };
    let again = Snapshot::from_fragment(&shared.to_fragment());
    assert_eq!(
        again.as_ref(),
        Ok(&shared),
        "a link made from what a link held"
    );
    let saved = Snapshot::from_json(&shared.to_json());
    assert_eq!(
        saved.as_ref(),
        Ok(&shared),
        "the saved copy of what a link held"
    );
    if let Ok(report) = engine::evaluate(&shared.scenario) {
        check_report(&report);
    }
}

/// The engine on a well-formed scenario whose numbers are anything a decimal
/// holds: the bytes choose the markets, tiers, positions and every number, so
/// the fuzzer reaches the margin math instead of stopping at the JSON reader.
pub fn evaluate(data: &[u8]) {
    let s = scenario_from_bytes(data);
    match engine::evaluate(&s) {
        Ok(report) => {
            check_report(&report);
            // The same scenario, as a file, gives the same report.
            let read = Scenario::from_json(&s.to_json()).map(|t| engine::evaluate(&t));
            assert_eq!(
                read,
                Ok(Ok(report)),
                "the report of the scenario read from its JSON"
            );
        }
        Err(e) => assert!(!e.message.is_empty(), "an error without a message: {e:?}"),
    }
    // The questions the JS API answers, on the first position and market.
    let mut b = Reader(data.get(data.len() / 2..).unwrap_or_default());
    let id = s.position_id(0);
    let price = b.num().0;
    let _ = questions::pnl_at_exit(&s, &id, price);
    let _ = questions::exit_price_for_roe(&s, &id, b.num().0);
    if let Some(market) = s.markets.keys().next() {
        let _ = questions::max_open(&s, market, b.side(), b.num().0);
    }
    let _ = questions::apply_fill(&s, &id, b.side(), b.num().0, price);
}

/// What holds of every report, whatever the input.
fn check_report(report: &Report) {
    for view in [&report.as_given, &report.all_cross, &report.all_isolated] {
        for p in &view.positions {
            let after = p.costs.as_ref();
            for price in [
                p.liquidation_price,
                p.bankruptcy_price,
                after.and_then(|c| c.liquidation_price),
                after.and_then(|c| c.bankruptcy_price),
                after.and_then(|c| c.break_even_price),
            ]
            .into_iter()
            .flatten()
            {
                assert!(
                    price > Decimal::ZERO,
                    "{}: a price at or below zero: {price}",
                    p.id
                );
            }
            assert!(
                view.pools.iter().any(|pool| pool.id == p.pool),
                "{} is in pool {} which is not reported",
                p.id,
                p.pool
            );
        }
    }
    // Serializing a report (what the JS API returns) never fails.
    assert!(serde_json::to_string(report).is_ok());
    // Nor does writing its figures as the page shows them (grouped digits
    // at a price's places, rounded toward the mark), whatever their size.
    for view in [&report.as_given, &report.all_cross, &report.all_isolated] {
        for p in &view.positions {
            for d in [p.pnl, p.notional, p.maintenance_margin, p.initial_margin] {
                let _ = display::grouped(d, 2);
                let _ = display::grouped(d, 6);
            }
            if let Some(liq) = p.liquidation_price {
                let places = display::price_places(liq);
                let _ = display::grouped(display::round_toward(liq, p.mark_price, places), places);
            }
        }
        for pool in &view.pools {
            for d in [pool.equity, pool.maintenance_margin, pool.free_margin] {
                let _ = display::grouped(d, 2);
                let _ = display::grouped(d, 6);
            }
        }
    }
}

/// Reads bytes as choices; past the end every choice is 0.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    fn side(&mut self) -> Side {
        if self.flag() {
            Side::Long
        } else {
            Side::Short
        }
    }

    /// Ordinary values most of the time, the edges of the decimal range often.
    fn num(&mut self) -> Num {
        let d = match self.byte() % 8 {
            0 => Decimal::ZERO,
            1 => Decimal::MAX,
            2 => Decimal::new(1, 28),
            3 => Decimal::from(self.byte()),
            4 => Decimal::new(i64::from(u16::from_le_bytes([self.byte(), self.byte()])), 2),
            _ => {
                let mut m = [0u8; 12];
                for b in &mut m {
                    *b = self.byte();
                }
                let lo = u32::from_le_bytes([m[0], m[1], m[2], m[3]]);
                let mid = u32::from_le_bytes([m[4], m[5], m[6], m[7]]);
                let hi = u32::from_le_bytes([m[8], m[9], m[10], m[11]]);
                let flags = self.byte();
                // Sizes from 1e-28 to 7.9e28, mostly positive.
                Decimal::from_parts(
                    lo,
                    mid,
                    hi >> (flags % 32),
                    flags & 0x80 != 0,
                    u32::from(self.byte() % 29),
                )
            }
        };
        Num(d)
    }

    fn opt_num(&mut self) -> Option<Num> {
        self.flag().then(|| self.num())
    }
}

const ASSETS: [&str; 3] = ["BTC", "ETH", "USD"];

/// A scenario built from bytes: up to 3 markets with up to 6 tiers, up to 12
/// positions, wallets and collateral. Names are fixed, numbers are anything.
pub fn scenario_from_bytes(data: &[u8]) -> Scenario {
    let mut b = Reader(data);
    let mut s = Scenario {
        hedge_mode: b.flag(),
        ..Scenario::default()
    };
    for asset in &ASSETS[..2] {
        s.prices.insert((*asset).into(), b.num());
    }
    for asset in ASSETS {
        if b.flag() {
            s.wallet.insert(asset.into(), b.num());
        }
    }
    for _ in 0..b.byte() % 3 {
        let asset = ASSETS[usize::from(b.byte()) % 3].to_string();
        let qty = b.num();
        let value_ratio_tiers = (0..b.byte() % 3)
            .map(|_| RatioTier {
                qty_floor: b.num(),
                qty_cap: b.opt_num(),
                ratio: b.num(),
            })
            .collect();
        s.collateral.push(Collateral {
            asset,
            qty,
            value_ratio_tiers,
        });
    }
    for m in 0..1 + b.byte() % 3 {
        let settlement = if b.flag() {
            Settlement::Inverse
        } else {
            Settlement::Linear
        };
        let tiers = (0..1 + b.byte() % 6)
            .map(|_| Tier {
                notional_floor: b.num(),
                notional_cap: b.opt_num(),
                mmr: b.num(),
                maintenance_amount: b.opt_num(),
                max_leverage: b.opt_num(),
            })
            .collect();
        s.markets.insert(
            format!("M{m}"),
            Market {
                asset: ASSETS[usize::from(b.byte()) % 3].into(),
                settlement,
                contract_size: b.num(),
                margin_basis: if b.flag() {
                    MarginBasis::Entry
                } else {
                    MarginBasis::Mark
                },
                tiers,
                source: None,
                premium: None,
                fees: None,
                funding: None,
                isolated_margin_rule: Default::default(),
            },
        );
    }
    let markets = s.markets.len();
    for _ in 0..b.byte() % 13 {
        s.positions.push(Position {
            id: None,
            market: format!("M{}", usize::from(b.byte()) % markets),
            side: b.side(),
            qty: b.num(),
            entry_price: b.num(),
            margin_mode: if b.flag() {
                MarginMode::Isolated
            } else {
                MarginMode::Cross
            },
            leverage: b.opt_num(),
            isolated_margin: b.opt_num(),
            opened_as: None,
            costs_paid: None,
        });
    }
    // Costs, read after everything else so that the inputs of older
    // corpora keep their books: fees and funding on some markets, a
    // holding period.
    if b.flag() {
        for m in s.markets.values_mut() {
            if b.flag() {
                m.fees = Some(Fees {
                    maker: b.num(),
                    taker: b.num(),
                });
            }
            if b.flag() {
                m.funding = Some(Funding {
                    rate: b.num(),
                    interval_hours: b.num(),
                    price: if b.flag() {
                        FundingPrice::Index
                    } else {
                        FundingPrice::Mark
                    },
                });
            }
            if b.flag() {
                m.isolated_margin_rule = IsolatedMarginRule::InitialMarginAndCloseFee;
            }
        }
        s.holding_hours = b.opt_num();
    }
    s
}
