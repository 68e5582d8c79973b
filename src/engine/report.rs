//! What the engine answers: plain data, serialized with decimals as strings.
//!
//! Every value is exact to rust_decimal's 28 significant digits (divisions
//! round half-even at the last digit); nothing is rounded for display here.
//! [`super::display`] rounds, once, where a value is shown.

use super::name::Name;
use super::num::plus;
use super::scenario::{MarginMode, Side};
use rust_decimal::Decimal;
use serde::Serialize;

/// The format tag of a serialized [`Report`].
pub const REPORT_FORMAT: &str = "marginscope-report/2";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Healthy,
    /// Equity below the initial margin: no new positions, not yet liquidated.
    BelowInitialMargin,
    /// Equity at or below the maintenance margin: the pool is liquidated.
    Liquidated,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Healthy => "healthy",
            Status::BelowInitialMargin => "below initial margin",
            Status::Liquidated => "liquidated",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PositionReport {
    pub id: Name,
    pub market: Name,
    pub asset: Name,
    pub side: Side,
    pub margin_mode: MarginMode,
    /// Id of the pool the position belongs to (`cross`, `cross:BTC`, or its own id).
    pub pool: Name,
    /// Settlement currency: every money value of this position is in it.
    pub currency: Name,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub qty: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub entry_price: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub mark_price: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub leverage: Decimal,
    /// Notional on the market's margin basis, the one requirements use.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub notional: Decimal,
    /// Notional at the mark price (position value).
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub value: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub pnl: Decimal,
    /// PnL over the margin committed at opening (entry notional / leverage).
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub roe: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub initial_margin: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub maintenance_margin: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub mmr: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub maintenance_amount: Decimal,
    /// 1-based tier number in force.
    pub tier: usize,
    /// The margin the position holds when isolated.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub isolated_margin: Option<Decimal>,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub liquidation_price: Option<Decimal>,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub bankruptcy_price: Option<Decimal>,
    /// `liquidation_price − mark_price`.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub liquidation_distance: Option<Decimal>,
    /// The same as a fraction of the mark price (−0.05 is 5 % below).
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub liquidation_distance_ratio: Option<Decimal>,
    /// Its pool is liquidated at the current prices.
    pub liquidated: bool,
    /// What holding it costs, and its figures after those costs: present
    /// when the scenario sets fees or funding for any market.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub costs: Option<PositionCosts>,
}

/// A position's costs over the holding period and its figures after them
/// (docs/scenario-format.md, "Costs over time"). Money is in the position's
/// settlement currency; a cost is positive when paid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PositionCosts {
    /// Funding over the holding period, projected at today's prices.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub funding: Decimal,
    /// Funding over a day at today's prices.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub funding_per_day: Decimal,
    /// The taker fee on the notional at the mark.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub close_fee: Decimal,
    /// What it has cost since it was opened (given, or the fee to open).
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub paid: Decimal,
    /// PnL net of the funding over the period and the fee to close.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub pnl: Decimal,
    /// Where the PnL pays for the funding, the fee to close there and what
    /// it has paid; `None` where no positive price does.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub break_even_price: Option<Decimal>,
    /// The liquidation price after the holding period's costs (the report's
    /// own `liquidation_price` is the venue's formula, without them).
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub liquidation_price: Option<Decimal>,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub bankruptcy_price: Option<Decimal>,
    /// How far one more day of funding moves the liquidation price after costs.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub liquidation_drift_per_day: Option<Decimal>,
}

/// A pool's costs over the holding period and its figures after them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoolCosts {
    /// Its positions' funding over the period (an isolated pool pays its
    /// own out of its margin, a cross pool out of the shared equity).
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub funding: Decimal,
    /// Its positions' fees to close at the mark.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub close_fees: Decimal,
    /// Equity net of both.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub equity: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub margin_ratio: Option<Decimal>,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub free_margin: Decimal,
    pub status: Status,
    /// Hours of funding, at today's prices, after which equity less the fees
    /// to close falls to the maintenance margin: 0 when it already has,
    /// `None` when funding does not bring it there (received, or none).
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub liquidated_after_hours: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoolReport {
    pub id: Name,
    pub mode: MarginMode,
    pub currency: Name,
    pub positions: Vec<Name>,
    /// Cross: the wallet balance less what isolated positions hold; isolated: its margin.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub wallet_balance: Decimal,
    /// Collateral assets at their value ratios (cross pool of the quote currency).
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub collateral_value: Decimal,
    /// Wallet balance plus collateral at full value.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub wallet_value: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub pnl: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub equity: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub initial_margin: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub maintenance_margin: Decimal,
    /// Sum of position values at mark.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub value: Decimal,
    /// Maintenance margin over equity, as exchanges show it: liquidation at 1.
    /// `None` when equity is zero or negative.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub margin_ratio: Option<Decimal>,
    /// Equity over maintenance margin: how many times the requirement is covered.
    /// `None` when the requirement is zero.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub collateral_ratio: Option<Decimal>,
    /// Position value over equity; `None` when equity is zero or negative.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub effective_leverage: Option<Decimal>,
    /// Equity less initial margin (negative when below initial margin).
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub free_margin: Decimal,
    pub status: Status,
    /// A portfolio pool's risk units, by asset (empty for any other pool):
    /// its requirement is theirs.
    pub units: Vec<UnitReport>,
    /// Present when the scenario sets costs, as for positions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub costs: Option<PoolCosts>,
}

/// A risk unit of a portfolio pool: its positions on one asset, charged as
/// a whole (docs/scenario-format.md, "Portfolio margin").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitReport {
    pub asset: Name,
    pub positions: Vec<Name>,
    /// The largest loss over the price scenarios, gains counted at their weight.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub worst_loss: Decimal,
    /// The scenario (a relative move of the asset's price) that gives it;
    /// `None` when no scenario loses.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub worst_scenario: Option<Decimal>,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub roll_charge: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub basis_charge: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub floor_charge: Decimal,
    /// `max(worst loss + roll + basis, floor)`.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub requirement: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub maintenance_margin: Decimal,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub initial_margin: Decimal,
    /// `Σ side · notional`: what the scenarios move.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub delta: Decimal,
    /// `Σ notional`: what the roll charge is on.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub gross: Decimal,
}

/// The uniform move of every price (all times `1 + x`) that liquidates a cross pool.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Threshold {
    pub pool: Name,
    /// Largest fall that keeps it alive: `x < 0`, or `None` when no fall liquidates it.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub down: Option<Decimal>,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_opt_decimal")]
    pub up: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepHit {
    pub pool: Name,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub price: Decimal,
}

/// As one asset's price moves away from its mark, which pools are liquidated, in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssetSweep {
    pub asset: Name,
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub price: Decimal,
    /// Falling price: highest first.
    pub down: Vec<SweepHit>,
    /// Rising price: lowest first.
    pub up: Vec<SweepHit>,
}

impl AssetSweep {
    /// How far the asset's price moves from `price` to reach `hit`, as a
    /// fraction of `price` (−0.0907 is 9.07 % down); `None` beyond a decimal.
    pub fn move_to(&self, hit: &SweepHit) -> Option<Decimal> {
        super::num::minus(hit.price, self.price)?.checked_div(self.price)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountReport {
    pub quote: String,
    /// Every pool's equity, valued in the quote currency.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub total_equity: Decimal,
    /// Collateral assets at their value ratios, in quote.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub collateral_value: Decimal,
    /// Wallets and collateral at full value, in quote.
    #[serde(serialize_with = "crate::engine::decimal_text::ser_decimal")]
    pub wallet_value: Decimal,
    pub status: Status,
    pub liquidated_pools: usize,
    pub liquidated_positions: usize,
    pub thresholds: Vec<Threshold>,
    pub sweeps: Vec<AssetSweep>,
}

/// One way of margining the portfolio, evaluated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub positions: Vec<PositionReport>,
    pub pools: Vec<PoolReport>,
    pub account: AccountReport,
}

/// What a book needs in one way of margining, in one currency: to open
/// (initial margin) and to keep (maintenance margin), over every pool kept in
/// that currency. `None`: a sum beyond what a decimal holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub currency: Name,
    pub initial_margin: Option<Decimal>,
    pub maintenance_margin: Option<Decimal>,
}

impl Evaluation {
    /// By currency, in the order the pools come, what the book needs: the
    /// panels side by side show each mode's capital efficiency at a glance.
    pub fn requirements(&self) -> Vec<Requirement> {
        let mut out: Vec<Requirement> = Vec::new();
        for p in self.pools.iter().filter(|p| !p.positions.is_empty()) {
            match out.iter_mut().find(|r| r.currency == p.currency) {
                Some(r) => {
                    r.initial_margin = r.initial_margin.and_then(|x| plus(x, p.initial_margin));
                    r.maintenance_margin = r
                        .maintenance_margin
                        .and_then(|x| plus(x, p.maintenance_margin));
                }
                None => out.push(Requirement {
                    currency: p.currency.clone(),
                    initial_margin: Some(p.initial_margin),
                    maintenance_margin: Some(p.maintenance_margin),
                }),
            }
        }
        out
    }

    pub fn position(&self, id: &str) -> Option<&PositionReport> {
        self.positions.iter().find(|p| &*p.id == id)
    }
    pub fn pool(&self, id: &str) -> Option<&PoolReport> {
        self.pools.iter().find(|p| &*p.id == id)
    }
}

/// The portfolio as given, all-cross, all-isolated and all-portfolio, side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub format: &'static str,
    pub as_given: Evaluation,
    pub all_cross: Evaluation,
    pub all_isolated: Evaluation,
    /// `None` when an asset with a position has no portfolio margin
    /// parameters (`Scenario::portfolio_margin`).
    pub all_portfolio: Option<Evaluation>,
}

#[cfg(test)]
mod tests {
    use crate::engine::{evaluate, sample};
    use rust_decimal::Decimal;

    #[test]
    fn a_books_requirements_are_its_pools_by_currency_each_once() {
        // Inverse markets among them: pools kept in coins beside the quote.
        let report = evaluate(&sample::portfolio(40)).expect("a valid book");
        for e in [&report.as_given, &report.all_cross, &report.all_isolated] {
            let needs = e.requirements();
            let mut currencies: Vec<&str> = needs.iter().map(|r| &*r.currency).collect();
            currencies.sort_unstable();
            currencies.dedup();
            assert_eq!(currencies.len(), needs.len(), "each currency once");
            assert!(
                needs.len() > 1,
                "the sample keeps pools in several currencies"
            );
            for r in &needs {
                let pools = e
                    .pools
                    .iter()
                    .filter(|p| p.currency == r.currency && !p.positions.is_empty());
                let (im, mm) = pools.fold((Decimal::ZERO, Decimal::ZERO), |(im, mm), p| {
                    (im + p.initial_margin, mm + p.maintenance_margin)
                });
                assert_eq!(r.initial_margin, Some(im), "{}", r.currency);
                assert_eq!(r.maintenance_margin, Some(mm), "{}", r.currency);
            }
        }
    }
}
