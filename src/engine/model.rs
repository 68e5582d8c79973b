//! The validated model: a scenario with names resolved to indices and
//! defaults filled in (leverage, isolated margin, maintenance amounts), the
//! form every calculation runs on. [`super::validator`] builds it from a
//! [`Scenario`](super::scenario::Scenario), or says every problem.
//!
//! Nothing here depends on prices except each asset's price, so that
//! evaluating at new prices (every slider tick) does no lookups by name and
//! no validation ([`Model::with_prices`]).

use super::name::Name;
use super::num::{Calc, NumError, SafeMath};
use super::scenario::{
    FundingPrice, IsolatedMarginRule, MarginBasis, MarginMode, Settlement, Side,
};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::rc::Rc;

/// The currency a pool is kept in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Currency {
    /// The scenario's quote currency: linear contracts and collateral.
    Quote,
    /// An asset's own coin (index into `Model::assets`): inverse contracts.
    Coin(usize),
}

/// Alike to the last digit and scale: `1.0` and `1.00` are equal decimals,
/// but what is worked out from them need not be alike, so figures taken
/// over from one model into another are taken only from inputs this alike.
fn same(a: Decimal, b: Decimal) -> bool {
    a.serialize() == b.serialize()
}

fn same_opt(a: Option<Decimal>, b: Option<Decimal>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same(a, b),
        (a, b) => a.is_none() && b.is_none(),
    }
}

#[derive(Debug, Clone)]
pub struct Asset {
    pub name: Name,
    pub price: Decimal,
    /// How portfolio margin charges this asset's risk unit, when the
    /// scenario says.
    pub portfolio: Option<Rc<Portfolio>>,
}

/// Portfolio margin's parameters for one asset (`scenario::PortfolioParams`,
/// validated).
#[derive(Debug, Clone, PartialEq)]
pub struct Portfolio {
    /// Relative moves of the asset's price, ascending, each above −1.
    pub shocks: Vec<Decimal>,
    pub gain_weight: Decimal,
    pub roll_rate: Decimal,
    pub basis_rate: Decimal,
    pub floor_rate: Decimal,
    pub mm_factor: Decimal,
    pub im_factor: Decimal,
}

/// One maintenance-margin tier of a market, its amount derived where the
/// scenario leaves it out.
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    pub floor: Decimal,
    pub cap: Option<Decimal>,
    pub mmr: Decimal,
    pub amount: Decimal,
    pub max_leverage: Option<Decimal>,
}

#[derive(Debug, Clone)]
pub struct Market {
    pub id: Name,
    pub asset: usize,
    pub settlement: Settlement,
    pub contract_size: Decimal,
    pub basis: MarginBasis,
    pub tiers: Vec<Tier>,
    /// The requirement is continuous across tier floors (always so when the
    /// amounts are derived); when it is not, the solver checks for jumps.
    pub continuous: bool,
    /// The requirement is convex in the notional: continuous, and no tier's
    /// rate below the one before it. Then a pool's `equity − requirement` is
    /// concave in the price (in its inverse for inverse contracts), which lets
    /// the solver rule out a root without walking every tier breakpoint.
    pub convex: bool,
    /// The market's mark against its asset's price, `(mark, asset price)`,
    /// when it differs from it (a dated future at a basis).
    pub premium: Option<(Decimal, Decimal)>,
    /// What holding a position on it costs: zero when the scenario sets none.
    pub costs: Costs,
    /// How an isolated position's margin is set when it does not say.
    pub isolated_rule: IsolatedMarginRule,
}

/// A market's fee rates and funding (`scenario::Fees`, `scenario::Funding`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Costs {
    /// The scenario sets fees or funding for the market (perhaps zero).
    pub given: bool,
    pub maker: Decimal,
    pub taker: Decimal,
    /// The rate per interval (zero: no funding).
    pub funding_rate: Decimal,
    /// The interval in hours (above zero).
    pub funding_hours: Decimal,
    pub funding_price: FundingPrice,
}

impl Market {
    pub fn currency(&self) -> Currency {
        match self.settlement {
            Settlement::Linear => Currency::Quote,
            Settlement::Inverse => Currency::Coin(self.asset),
        }
    }

    /// The market's mark when its asset's price is `price`: the price
    /// itself, or the premium's ratio of it (exact at the premium's own
    /// asset price: the product first, then the quotient).
    pub fn mark_at(&self, price: Decimal) -> Calc<Decimal> {
        match self.premium {
            None => Ok(price),
            Some((mark, at)) => price.mul(mark)?.div(at),
        }
    }

    /// The market's mark at a liquidation or bankruptcy root of its asset's
    /// price: [`Market::mark_at`], but rounded at the 28th decimal place
    /// however small the root. A root is known only to its equation's
    /// rounding, at best a unit in the 28th decimal place, so its mark
    /// loses nothing the root had; a tiny root (a pool left within a
    /// fraction of a cent of its requirement, say) is then reported, not
    /// refused for its few significant digits. The same digits as
    /// `mark_at` wherever that gives any.
    pub fn mark_at_root(&self, root: Decimal) -> Calc<Decimal> {
        match self.premium {
            None => Ok(root),
            Some((mark, at)) => super::num::times(root, mark)
                .and_then(|m| m.checked_div(at))
                .ok_or(NumError::Overflow),
        }
    }

    /// The mark per unit of the asset's price (1 without a premium).
    pub fn ratio(&self) -> Calc<Decimal> {
        match self.premium {
            None => Ok(Decimal::ONE),
            Some((mark, at)) => mark.div(at),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Position {
    pub id: Name,
    pub market: usize,
    pub side: Side,
    pub qty: Decimal,
    pub entry_price: Decimal,
    pub mode: MarginMode,
    pub leverage: Decimal,
    /// Given, or the initial margin at entry (and the fee to close, by the
    /// market's rule); used whenever the position is isolated.
    pub isolated_margin: Decimal,
    /// The isolated margin was worked out (a quotient, perhaps rounded),
    /// not given.
    pub margin_derived: bool,
    /// Notional at the entry price, in the settlement currency.
    pub entry_notional: Decimal,
    /// Margin committed at opening (`entry_notional / leverage`): the ROE denominator.
    pub entry_margin: Decimal,
    /// What the position has cost since it was opened (fees and funding,
    /// positive: paid): given, or the fee to open at its rate.
    pub paid: Decimal,
}

impl Market {
    /// The same market to the last digit (see [`same`]). Every field is
    /// named, so that a field added later cannot be left out.
    fn alike(&self, o: &Market) -> bool {
        let Market {
            id,
            asset,
            settlement,
            contract_size,
            basis,
            tiers,
            continuous,
            convex,
            premium,
            costs,
            isolated_rule,
        } = self;
        let same_premium = match (premium, o.premium) {
            (Some((m, a)), Some((n, b))) => same(*m, n) && same(*a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        let Costs {
            given,
            maker,
            taker,
            funding_rate,
            funding_hours,
            funding_price,
        } = costs;
        same_premium
            && *isolated_rule == o.isolated_rule
            && *given == o.costs.given
            && same(*maker, o.costs.maker)
            && same(*taker, o.costs.taker)
            && same(*funding_rate, o.costs.funding_rate)
            && same(*funding_hours, o.costs.funding_hours)
            && *funding_price == o.costs.funding_price
            && *id == o.id
            && *asset == o.asset
            && *settlement == o.settlement
            && same(*contract_size, o.contract_size)
            && *basis == o.basis
            && *continuous == o.continuous
            && *convex == o.convex
            && tiers.len() == o.tiers.len()
            && tiers.iter().zip(&o.tiers).all(|(t, u)| {
                let Tier {
                    floor,
                    cap,
                    mmr,
                    amount,
                    max_leverage,
                } = t;
                same(*floor, u.floor)
                    && same_opt(*cap, u.cap)
                    && same(*mmr, u.mmr)
                    && same(*amount, u.amount)
                    && same_opt(*max_leverage, u.max_leverage)
            })
    }
}

impl Position {
    /// The same position to the last digit (see [`same`]), every field named.
    fn alike(&self, o: &Position) -> bool {
        let Position {
            id,
            market,
            side,
            qty,
            entry_price,
            mode,
            leverage,
            isolated_margin,
            margin_derived,
            entry_notional,
            entry_margin,
            paid,
        } = self;
        *id == o.id
            && *market == o.market
            && *side == o.side
            && same(*qty, o.qty)
            && same(*entry_price, o.entry_price)
            && *mode == o.mode
            && same(*leverage, o.leverage)
            && same(*isolated_margin, o.isolated_margin)
            && *margin_derived == o.margin_derived
            && same(*entry_notional, o.entry_notional)
            && same(*entry_margin, o.entry_margin)
            && same(*paid, o.paid)
    }
}

#[derive(Debug, Clone)]
pub struct Collateral {
    pub asset: usize,
    pub qty: Decimal,
    /// `Σ slice_qty · ratio`: the quantity that counts, so that value = price · weighted_qty.
    pub weighted_qty: Decimal,
}

/// A validated scenario, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Model {
    pub quote: Name,
    pub assets: Vec<Asset>,
    pub markets: Vec<Market>,
    pub positions: Vec<Position>,
    pub collateral: Vec<Collateral>,
    /// Wallet balance per currency (zero where absent), isolated margins included.
    pub wallet: BTreeMap<Currency, Decimal>,
    /// The holding period in hours (zero when the scenario sets none).
    pub holding_hours: Decimal,
    /// Whether each position's PnL is net of its costs over the holding
    /// period (funding projected at today's prices, the fee to close at the
    /// mark): the model "after costs" ([`Model::after_costs`]). Off, every
    /// figure is the venue's, which leaves costs out.
    pub charge_costs: bool,
}

impl Model {
    /// This model at other prices, without checking the rest again: `None`
    /// unless `prices` names exactly the same assets, each above zero (then
    /// [`super::validator::build`] must run, and report what is wrong). Prices are the
    /// only part of a model that moves during a drag; nothing else in it is
    /// derived from them.
    pub fn with_prices(&self, prices: &BTreeMap<String, super::scenario::Num>) -> Option<Model> {
        if prices.len() != self.assets.len() {
            return None;
        }
        let mut next = self.clone();
        for a in &mut next.assets {
            let p = prices.get(&*a.name)?.0;
            if p <= Decimal::ZERO {
                return None;
            }
            a.price = p;
        }
        Some(next)
    }

    /// Whether position `i`'s isolated pool is the same in `other` as here:
    /// the position, its market, its asset and the quote currency's name
    /// alike to the last digit and scale (`1.0` and `1.00` are equal, but
    /// what is worked out from them need not be), so that its reports can
    /// be taken as they are.
    pub fn isolated_alike(&self, other: &Model, i: usize) -> bool {
        let (Some(p), Some(q)) = (self.positions.get(i), other.positions.get(i)) else {
            return false;
        };
        let (Some(m), Some(n)) = (self.markets.get(p.market), other.markets.get(q.market)) else {
            return false;
        };
        let (Some(a), Some(b)) = (self.assets.get(m.asset), other.assets.get(n.asset)) else {
            return false;
        };
        self.quote == other.quote
            && same(self.holding_hours, other.holding_hours)
            && self.charge_costs == other.charge_costs
            && p.alike(q)
            && m.alike(n)
            && a.name == b.name
            && same(a.price, b.price)
    }

    /// Whether the scenario sets fees or funding for any market, or a
    /// position has paid some (an imported account's): then the figures
    /// after costs are shown beside the venue's.
    pub fn has_costs(&self) -> bool {
        self.markets.iter().any(|m| m.costs.given)
            || self.positions.iter().any(|p| !p.paid.is_zero())
    }

    /// This model with another holding period, without checking the rest
    /// again: `None` unless it is from 0 to a century (then the validator
    /// must run, and say so).
    pub fn held_for(mut self, hours: Decimal) -> Option<Model> {
        if !holding_in_range(hours) {
            return None;
        }
        self.holding_hours = hours;
        Some(self)
    }

    /// This model after holding its positions for `hours`: each PnL net of
    /// the funding over that time and the fee to close.
    pub fn after_costs(&self, hours: Decimal) -> Model {
        Model {
            holding_hours: hours,
            charge_costs: true,
            ..self.clone()
        }
    }

    pub fn currency_name(&self, c: Currency) -> &Name {
        match c {
            Currency::Quote => &self.quote,
            Currency::Coin(a) => &self.assets[a].name,
        }
    }

    pub fn position_currency(&self, p: &Position) -> Currency {
        self.markets[p.market].currency()
    }

    /// Every currency that has a wallet or a position, quote first.
    pub fn currencies(&self) -> Vec<Currency> {
        let mut out: Vec<Currency> = vec![Currency::Quote];
        for c in self.wallet.keys() {
            if !out.contains(c) {
                out.push(*c);
            }
        }
        for m in &self.markets {
            let c = m.currency();
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }
}

/// Whether a holding period is one the engine takes: from 0 hours to a century.
pub fn holding_in_range(hours: Decimal) -> bool {
    hours >= Decimal::ZERO && hours <= Decimal::from(super::scenario::limits::MAX_HOLDING_HOURS)
}

#[cfg(test)]
mod tests {
    use crate::engine::scenario::Num;
    use crate::engine::{test_book, validate};
    use rust_decimal::Decimal;

    #[test]
    fn a_model_moves_to_new_prices_only_for_the_same_assets_each_above_zero() {
        let s = test_book();
        let m = validate(&s).expect("valid");
        let mut prices = s.prices.clone();
        prices.insert("BTC".into(), Num(Decimal::from(55000)));
        let moved = m.with_prices(&prices).expect("moved");
        assert_eq!(moved.assets[0].price, Decimal::from(55000));
        prices.insert("BTC".into(), Num(Decimal::ZERO));
        assert!(m.with_prices(&prices).is_none());
        prices.remove("BTC");
        assert!(m.with_prices(&prices).is_none());
    }

    #[test]
    fn an_isolated_pool_is_alike_only_to_the_last_digit_and_scale() {
        let s = test_book();
        let m = validate(&s).expect("valid");
        let mut other = s.clone();
        other.positions[1].qty = Num(Decimal::new(500, 2)); // 5.00, equal to 5
        let n = validate(&other).expect("valid");
        assert!(m.isolated_alike(&m, 1));
        assert!(!m.isolated_alike(&n, 1), "5 and 5.00 are equal, not alike");
        // A price on another asset leaves it alike.
        let mut moved = s.clone();
        moved.prices.insert("BTC".into(), Num(Decimal::from(1)));
        assert!(m.isolated_alike(&validate(&moved).expect("valid"), 1));
    }
}
