//! The report's wire form, from the engine to the JS API's glue (`glue.js`),
//! which turns it back into the documented `Report`.
//!
//! Why not the report's own JSON: most of its bytes are keys, and figures a
//! position has in all three views, written three times; and even without
//! them, JSON.parse must scan every character of every value (what that
//! costs against the evaluation: `docs/performance.md`). Here the wire is three arrays,
//! read in a fixed order: every string value (decimals, names, tags) back to
//! back in one text, where each one ends (in UTF-16 units, as JS counts), and
//! the integers (counts, flags, tiers, booleans). The glue decodes the text
//! once and cuts each value out of it. A later view writes only a flag in
//! place of a position or pool that is all as in the first view (a position
//! isolated as given, and its pool, in the all-isolated view), or of the
//! view-independent half of a position, so that the glue reuses the same
//! strings.
//!
//! The order, which `glue.js` reads back in the same order (`#` an integer,
//! `?` a decimal or nothing, which is an empty string; the rest strings):
//!
//! ```text
//! report    format view view view #p view?     (as given, all cross, all isolated;
//!                                              all portfolio when #p is 1)
//! view      #n position×n  #n (#0 pool | #k)×n  account   (#k: the first view's pool k−1)
//! position  #2 | #1 shared own | #0 own       (2: as in the first view; 0: its shared half)
//! own       margin_mode pool ?isolated_margin ?liquidation_price ?bankruptcy_price
//!           ?liquidation_distance ?liquidation_distance_ratio #liquidated #c pcosts?
//!                                                 (pcosts when #c is 1)
//! pcosts    funding funding_per_day close_fee paid pnl ?break_even_price
//!           ?liquidation_price ?bankruptcy_price ?liquidation_drift_per_day
//! shared    id market asset side currency qty entry_price mark_price leverage notional
//!           value pnl roe initial_margin maintenance_margin mmr maintenance_amount #tier
//! pool      id mode currency #n name×n wallet_balance collateral_value wallet_value pnl
//!           equity initial_margin maintenance_margin value ?margin_ratio
//!           ?collateral_ratio ?effective_leverage free_margin status #n unit×n
//!           #c qcosts?                            (qcosts when #c is 1)
//! qcosts    funding close_fees equity ?margin_ratio free_margin status
//!           ?liquidated_after_hours
//! unit      asset #n name×n worst_loss ?worst_scenario roll_charge basis_charge
//!           floor_charge requirement maintenance_margin initial_margin delta gross
//! account   quote total_equity collateral_value wallet_value status #liquidated_pools
//!           #liquidated_positions #n threshold×n #n sweep×n
//! threshold pool ?down ?up
//! sweep     asset price #n hit×n #n hit×n       (down, then up)
//! hit       pool price
//! ```

use crate::engine::decimal_text::DecimalText;
use crate::engine::scenario::MarginMode;
use crate::engine::{
    AccountReport, Evaluation, PoolReport, PositionReport, Report, Status, SweepHit,
};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The first view, when writing a later one: its positions by place, its
/// pools by id.
#[derive(Default)]
struct Given<'a> {
    view: Option<&'a Evaluation>,
    pools: HashMap<&'a str, usize>,
}

/// A report on the wire: see the module's documentation for the order.
pub struct Wire {
    /// Every string value, back to back, in UTF-8.
    pub text: Vec<u8>,
    /// Where each string value ends in the text, in UTF-16 units.
    pub ends: Vec<u32>,
    pub ints: Vec<u32>,
    /// The text's length in UTF-16 units.
    units: u32,
}

/// How a later view's position is written: all of it; its own half only, the
/// shared half as in the first view; nothing, all of it as in the first view.
const WHOLE: usize = 1;
const OWN_ONLY: usize = 0;
const AS_GIVEN: usize = 2;

impl Wire {
    pub fn of(report: &Report) -> Wire {
        let n = report.as_given.positions.len();
        let mut w = Wire {
            text: Vec::with_capacity(1024 + 600 * n),
            ends: Vec::with_capacity(64 + 50 * n),
            ints: Vec::with_capacity(64 + 8 * n),
            units: 0,
        };
        w.str(report.format);
        let given = Given {
            view: Some(&report.as_given),
            pools: report
                .as_given
                .pools
                .iter()
                .enumerate()
                .map(|(i, p)| (&*p.id, i))
                .collect(),
        };
        w.view(&report.as_given, &Given::default());
        w.view(&report.all_cross, &given);
        w.view(&report.all_isolated, &given);
        match &report.all_portfolio {
            Some(all) => {
                w.int(1);
                w.view(all, &given);
            }
            None => w.int(0),
        }
        w
    }

    fn str(&mut self, s: &str) {
        let units = if s.is_ascii() {
            s.len()
        } else {
            s.encode_utf16().count()
        };
        self.text.extend_from_slice(s.as_bytes());
        self.end_after(units);
    }

    fn end_after(&mut self, units: usize) {
        // A scenario is at most a few megabytes: its report's text fits.
        self.units = self
            .units
            .saturating_add(u32::try_from(units).unwrap_or(u32::MAX));
        self.ends.push(self.units);
    }

    fn int(&mut self, n: usize) {
        // Counts and tiers are bounded by the scenario's limits.
        self.ints.push(u32::try_from(n).unwrap_or(u32::MAX));
    }

    fn dec(&mut self, d: Decimal) {
        // ASCII: as many UTF-16 units as bytes.
        let text = DecimalText::new(d);
        self.text.extend_from_slice(text.as_bytes());
        self.end_after(text.as_bytes().len());
    }

    fn opt(&mut self, d: Option<Decimal>) {
        match d {
            Some(d) => self.dec(d),
            None => self.str(""),
        }
    }

    fn mode(&mut self, m: MarginMode) {
        self.str(match m {
            MarginMode::Cross => "cross",
            MarginMode::Isolated => "isolated",
            MarginMode::Portfolio => "portfolio",
        });
    }

    fn status(&mut self, s: Status) {
        self.str(match s {
            Status::Healthy => "healthy",
            Status::BelowInitialMargin => "below_initial_margin",
            Status::Liquidated => "liquidated",
        });
    }

    fn view(&mut self, v: &Evaluation, given: &Given) {
        let positions = given.view.map_or(&[][..], |g| &g.positions);
        self.int(v.positions.len());
        for (i, p) in v.positions.iter().enumerate() {
            match positions.get(i) {
                Some(g) if g == p => {
                    self.int(AS_GIVEN);
                    continue;
                }
                Some(g) if same_shared_half(g, p) => self.int(OWN_ONLY),
                _ => {
                    self.int(WHOLE);
                    self.shared(p);
                }
            }
            self.mode(p.margin_mode);
            self.str(&p.pool);
            self.opt(p.isolated_margin);
            self.opt(p.liquidation_price);
            self.opt(p.bankruptcy_price);
            self.opt(p.liquidation_distance);
            self.opt(p.liquidation_distance_ratio);
            self.int(usize::from(p.liquidated));
            match &p.costs {
                Some(c) => {
                    self.int(1);
                    for d in [c.funding, c.funding_per_day, c.close_fee, c.paid, c.pnl] {
                        self.dec(d);
                    }
                    self.opt(c.break_even_price);
                    self.opt(c.liquidation_price);
                    self.opt(c.bankruptcy_price);
                    self.opt(c.liquidation_drift_per_day);
                }
                None => self.int(0),
            }
        }
        self.int(v.pools.len());
        for pool in &v.pools {
            // A pool as in the first view (an isolated one, in the
            // all-isolated view) is written as its place there, plus one.
            let same = given
                .pools
                .get(&*pool.id)
                .copied()
                .filter(|&k| given.view.and_then(|g| g.pools.get(k)) == Some(pool));
            match same {
                Some(k) => self.int(k + 1),
                None => {
                    self.int(0);
                    self.pool(pool);
                }
            }
        }
        self.account(&v.account);
    }

    fn shared(&mut self, p: &PositionReport) {
        self.str(&p.id);
        self.str(&p.market);
        self.str(&p.asset);
        self.str(p.side.as_str());
        self.str(&p.currency);
        for d in [
            p.qty,
            p.entry_price,
            p.mark_price,
            p.leverage,
            p.notional,
            p.value,
            p.pnl,
            p.roe,
            p.initial_margin,
            p.maintenance_margin,
            p.mmr,
            p.maintenance_amount,
        ] {
            self.dec(d);
        }
        self.int(p.tier);
    }

    fn pool(&mut self, p: &PoolReport) {
        self.str(&p.id);
        self.mode(p.mode);
        self.str(&p.currency);
        self.int(p.positions.len());
        for name in &p.positions {
            self.str(name);
        }
        for d in [
            p.wallet_balance,
            p.collateral_value,
            p.wallet_value,
            p.pnl,
            p.equity,
            p.initial_margin,
            p.maintenance_margin,
            p.value,
        ] {
            self.dec(d);
        }
        self.opt(p.margin_ratio);
        self.opt(p.collateral_ratio);
        self.opt(p.effective_leverage);
        self.dec(p.free_margin);
        self.status(p.status);
        self.int(p.units.len());
        for u in &p.units {
            self.str(&u.asset);
            self.int(u.positions.len());
            for name in &u.positions {
                self.str(name);
            }
            self.dec(u.worst_loss);
            self.opt(u.worst_scenario);
            for d in [
                u.roll_charge,
                u.basis_charge,
                u.floor_charge,
                u.requirement,
                u.maintenance_margin,
                u.initial_margin,
                u.delta,
                u.gross,
            ] {
                self.dec(d);
            }
        }
        match &p.costs {
            Some(c) => {
                self.int(1);
                self.dec(c.funding);
                self.dec(c.close_fees);
                self.dec(c.equity);
                self.opt(c.margin_ratio);
                self.dec(c.free_margin);
                self.status(c.status);
                self.opt(c.liquidated_after_hours);
            }
            None => self.int(0),
        }
    }

    fn account(&mut self, a: &AccountReport) {
        self.str(&a.quote);
        self.dec(a.total_equity);
        self.dec(a.collateral_value);
        self.dec(a.wallet_value);
        self.status(a.status);
        self.int(a.liquidated_pools);
        self.int(a.liquidated_positions);
        self.int(a.thresholds.len());
        for t in &a.thresholds {
            self.str(&t.pool);
            self.opt(t.down);
            self.opt(t.up);
        }
        self.int(a.sweeps.len());
        for s in &a.sweeps {
            self.str(&s.asset);
            self.dec(s.price);
            self.hits(&s.down);
            self.hits(&s.up);
        }
    }

    fn hits(&mut self, hits: &[SweepHit]) {
        self.int(hits.len());
        for h in hits {
            self.str(&h.pool);
            self.dec(h.price);
        }
    }
}

/// Whether a position's view-independent half (everything `shared` writes)
/// is the same in both views, so that the glue may reuse the first view's.
fn same_shared_half(a: &PositionReport, b: &PositionReport) -> bool {
    a.id == b.id
        && a.market == b.market
        && a.asset == b.asset
        && a.side == b.side
        && a.currency == b.currency
        && a.qty == b.qty
        && a.entry_price == b.entry_price
        && a.mark_price == b.mark_price
        && a.leverage == b.leverage
        && a.notional == b.notional
        && a.value == b.value
        && a.pnl == b.pnl
        && a.roe == b.roe
        && a.initial_margin == b.initial_margin
        && a.maintenance_margin == b.maintenance_margin
        && a.mmr == b.mmr
        && a.maintenance_amount == b.maintenance_amount
        && a.tier == b.tier
}
