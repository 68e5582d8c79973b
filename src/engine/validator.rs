//! Validation: a [`Scenario`] in, a [`Model`] out, or every problem found,
//! each with the path of its field. One step per part of the scenario, in
//! the order the parts depend on each other: the format and sizes, the
//! prices (assets), the markets and their tiers, the wallets, the
//! collateral, the positions.

use super::error::{Error, ErrorKind};
use super::market;
use super::model::{Asset, Collateral, Costs, Currency, Market, Model, Portfolio, Position, Tier};
use super::name::Name;
use super::num::{Calc, SafeMath};
use super::scenario::{
    self, limits, CostsPaid, IsolatedMarginRule, Liquidity, MarginMode, RatioTier, Scenario,
    Settlement, Side, FORMAT,
};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

fn plain_name(t: &str) -> bool {
    !t.trim().is_empty() && t.chars().count() <= limits::MAX_TEXT
}

/// Validates `s`, collecting every problem rather than stopping at the
/// first, so that an editor can mark all the fields at once.
pub fn build(s: &Scenario) -> Result<Model, Vec<Error>> {
    let mut v = Validator::default();
    let model = v.build(s);
    if v.errors.is_empty() {
        model.ok_or_else(Vec::new)
    } else {
        Err(v.errors)
    }
}

#[derive(Default)]
struct Validator {
    errors: Vec<Error>,
}

impl Validator {
    fn err(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(Error::invalid(path, message));
    }

    fn limit(&mut self, path: &str, what: &str, n: usize, max: usize) -> bool {
        if n > max {
            self.errors.push(Error::new(
                ErrorKind::Limit,
                path,
                format!("{n} {what}; the limit is {max}"),
            ));
            return false;
        }
        true
    }

    fn text(&mut self, path: &str, t: &str) {
        if t.chars().count() > limits::MAX_TEXT {
            self.errors.push(Error::new(
                ErrorKind::Limit,
                path,
                format!("longer than {} characters", limits::MAX_TEXT),
            ));
        }
    }

    fn name(&mut self, path: &str, t: &str) -> bool {
        if t.trim().is_empty() {
            self.err(path, "must not be empty");
            return false;
        }
        self.text(path, t);
        true
    }

    fn positive(&mut self, path: &str, d: Decimal) -> bool {
        if d <= Decimal::ZERO {
            self.err(path, "must be greater than 0");
            return false;
        }
        true
    }

    fn not_negative(&mut self, path: &str, d: Decimal) -> bool {
        if d < Decimal::ZERO {
            self.err(path, "must not be negative");
            return false;
        }
        true
    }

    fn build(&mut self, s: &Scenario) -> Option<Model> {
        if !self.format_and_sizes(s) {
            return None;
        }
        self.texts(s);
        let (mut assets, asset_index) = self.prices(s);
        let (markets, market_index) = self.markets(s, &asset_index);
        self.portfolio_margin(s, &mut assets, &asset_index);
        let wallet = self.wallet(s, &asset_index, &markets);
        let collateral = self.collateral(s, &asset_index);
        let positions = self.positions(s, &markets, &market_index);
        self.margin_modes(s, &assets, &markets, &market_index);
        let holding_hours = self.holding(s);
        Some(Model {
            quote: s.quote.as_str().into(),
            assets,
            markets,
            positions,
            collateral,
            wallet,
            holding_hours,
            charge_costs: false,
        })
    }

    /// The format tag, then the sizes: nothing else is read when either is wrong.
    fn format_and_sizes(&mut self, s: &Scenario) -> bool {
        if s.format != FORMAT {
            self.err(
                "format",
                format!(
                    "\"{}\" is not a format this version reads; it reads \"{FORMAT}\"",
                    s.format
                ),
            );
            return false;
        }
        let sizes_ok = [
            self.limit(
                "positions",
                "positions",
                s.positions.len(),
                limits::MAX_POSITIONS,
            ),
            self.limit("markets", "markets", s.markets.len(), limits::MAX_MARKETS),
            self.limit("prices", "assets", s.prices.len(), limits::MAX_ASSETS),
            self.limit(
                "collateral",
                "collateral assets",
                s.collateral.len(),
                limits::MAX_COLLATERAL,
            ),
        ];
        !sizes_ok.contains(&false)
    }

    /// The scenario's own texts: its name, its notes and the quote currency.
    fn texts(&mut self, s: &Scenario) {
        if let Some(n) = &s.name {
            self.text("name", n);
        }
        if let Some(n) = &s.notes {
            self.text("notes", n);
        }
        self.name("quote", &s.quote);
    }

    /// Every asset with its price; by name, each asset's index.
    fn prices<'s>(&mut self, s: &'s Scenario) -> (Vec<Asset>, HashMap<&'s str, usize>) {
        let mut assets = Vec::with_capacity(s.prices.len());
        // Sized up front: growing a table rehashes every key in it.
        let mut asset_index = HashMap::with_capacity(s.prices.len());
        for (name, price) in &s.prices {
            // Paths are written only for an error: a scenario has thousands.
            let path = || format!("prices.{name}");
            if !plain_name(name) && !self.name(&path(), name) {
                continue;
            }
            if *name == s.quote {
                self.err(
                    path(),
                    format!("{name} is the quote currency; its price is always 1"),
                );
            }
            if price.0 <= Decimal::ZERO {
                self.positive(&path(), price.0);
            }
            asset_index.insert(name.as_str(), assets.len());
            assets.push(Asset {
                name: name.as_str().into(),
                price: price.0,
                portfolio: None,
            });
        }
        (assets, asset_index)
    }

    /// Every market with its tier table; by id, each market's index.
    fn markets<'s>(
        &mut self,
        s: &'s Scenario,
        asset_index: &HashMap<&str, usize>,
    ) -> (Vec<Market>, HashMap<&'s str, usize>) {
        let mut markets = Vec::with_capacity(s.markets.len());
        let mut market_index = HashMap::with_capacity(s.markets.len());
        for (id, m) in &s.markets {
            let path = || format!("markets.{id}");
            if !plain_name(id) {
                self.name(&path(), id);
            }
            if let Some(src) = &m.source {
                self.text(&format!("{}.source", path()), src);
            }
            let asset = match asset_index.get(m.asset.as_str()) {
                Some(a) => *a,
                None => {
                    self.err(
                        format!("{}.asset", path()),
                        format!("unknown asset \"{}\"; give it a price in prices", m.asset),
                    );
                    continue;
                }
            };
            if m.contract_size.0 <= Decimal::ZERO {
                self.positive(&format!("{}.contract_size", path()), m.contract_size.0);
            }
            let tiers = self.tiers(&|| format!("{}.tiers", path()), &m.tiers);
            let continuous = tiers.windows(2).all(|w| {
                let at_floor = |t: &Tier| {
                    super::num::times(w[1].floor, t.mmr)
                        .and_then(|x| super::num::minus(x, t.amount))
                };
                at_floor(&w[0]) == at_floor(&w[1])
            });
            let convex = continuous && tiers.windows(2).all(|w| w[0].mmr <= w[1].mmr);
            market_index.insert(id.as_str(), markets.len());
            let premium = m.premium.as_ref().and_then(|p| {
                let mark = self.positive(&format!("{}.premium.mark_price", path()), p.mark_price.0);
                let at = self.positive(&format!("{}.premium.asset_price", path()), p.asset_price.0);
                (mark && at).then_some((p.mark_price.0, p.asset_price.0))
            });
            let costs = self.costs(&path, m);
            markets.push(Market {
                continuous,
                convex,
                id: id.as_str().into(),
                asset,
                settlement: m.settlement,
                contract_size: m.contract_size.0,
                basis: m.margin_basis,
                tiers,
                premium,
                costs,
                isolated_rule: m.isolated_margin_rule,
            });
        }
        (markets, market_index)
    }

    /// A market's fee rates and funding: each rate at most 1 (100 %) either
    /// way, the interval above zero and at most a year.
    fn costs(&mut self, path: &dyn Fn() -> String, m: &scenario::Market) -> Costs {
        let mut rate = |field: &str, r: Decimal| {
            if r.abs() > Decimal::ONE {
                self.err(
                    format!("{}.{field}", path()),
                    "must be a fraction from -1 to 1 (0.0005 is 0.05 %)",
                );
                Decimal::ZERO
            } else {
                r
            }
        };
        let mut costs = Costs {
            given: m.fees.is_some() || m.funding.is_some(),
            funding_hours: Decimal::from(8),
            ..Costs::default()
        };
        if let Some(f) = &m.fees {
            costs.maker = rate("fees.maker", f.maker.0);
            costs.taker = rate("fees.taker", f.taker.0);
        }
        if let Some(f) = &m.funding {
            costs.funding_rate = rate("funding.rate", f.rate.0);
            costs.funding_price = f.price;
            let hours = f.interval_hours.0;
            if hours <= Decimal::ZERO || hours > Decimal::from(limits::HOURS_A_YEAR) {
                self.err(
                    format!("{}.funding.interval_hours", path()),
                    format!(
                        "must be above 0 and at most {} (a year)",
                        limits::HOURS_A_YEAR
                    ),
                );
            } else {
                costs.funding_hours = hours;
            }
        }
        costs
    }

    /// The holding period: not negative, at most a century.
    fn holding(&mut self, s: &Scenario) -> Decimal {
        let Some(h) = s.holding_hours else {
            return Decimal::ZERO;
        };
        if !super::model::holding_in_range(h.0) {
            self.err(
                "holding_hours",
                format!(
                    "must be from 0 to {} hours (a century)",
                    limits::MAX_HOLDING_HOURS
                ),
            );
            return Decimal::ZERO;
        }
        h.0
    }

    /// Portfolio margin's parameters, by asset: shocks ascending, each above
    /// −1; rates and factors not negative; a gain's weight from 0 to 1.
    fn portfolio_margin(
        &mut self,
        s: &Scenario,
        assets: &mut [Asset],
        asset_index: &HashMap<&str, usize>,
    ) {
        for (name, p) in &s.portfolio_margin {
            let path = format!("portfolio_margin.{name}");
            let Some(&a) = asset_index.get(name.as_str()) else {
                self.err(
                    &path,
                    format!("unknown asset \"{name}\"; give it a price in prices"),
                );
                continue;
            };
            let before = self.errors.len();
            if let Some(src) = &p.source {
                self.text(&format!("{path}.source"), src);
            }
            if p.shocks.is_empty() {
                self.err(
                    format!("{path}.shocks"),
                    "needs at least one price scenario",
                );
            }
            if p.shocks.len() > limits::MAX_TIERS {
                self.limit(
                    &format!("{path}.shocks"),
                    "scenarios",
                    p.shocks.len(),
                    limits::MAX_TIERS,
                );
            }
            for (j, shock) in p.shocks.iter().enumerate() {
                let at = || format!("{path}.shocks[{j}]");
                if shock.0 <= Decimal::NEGATIVE_ONE {
                    self.err(
                        at(),
                        "must be above -1 (a fall of 100 % or more leaves no price)",
                    );
                }
                if j > 0 && shock.0 <= p.shocks[j - 1].0 {
                    self.err(
                        at(),
                        "must be greater than the scenario before it: scenarios are ascending",
                    );
                }
            }
            for (field, value) in [
                ("roll_rate", p.roll_rate),
                ("basis_rate", p.basis_rate),
                ("floor_rate", p.floor_rate),
                ("mm_factor", p.mm_factor),
                ("im_factor", p.im_factor),
            ] {
                self.not_negative(&format!("{path}.{field}"), value.0);
            }
            if p.gain_weight.0 < Decimal::ZERO || p.gain_weight.0 > Decimal::ONE {
                self.err(format!("{path}.gain_weight"), "must be between 0 and 1");
            }
            if self.errors.len() == before {
                assets[a].portfolio = Some(std::rc::Rc::new(Portfolio {
                    shocks: p.shocks.iter().map(|x| x.0).collect(),
                    gain_weight: p.gain_weight.0,
                    roll_rate: p.roll_rate.0,
                    basis_rate: p.basis_rate.0,
                    floor_rate: p.floor_rate.0,
                    mm_factor: p.mm_factor.0,
                    im_factor: p.im_factor.0,
                }));
            }
        }
    }

    /// The balance of each currency: the quote, or an inverse market's coin.
    fn wallet(
        &mut self,
        s: &Scenario,
        asset_index: &HashMap<&str, usize>,
        markets: &[Market],
    ) -> BTreeMap<Currency, Decimal> {
        let mut wallet = BTreeMap::new();
        for (cur, amount) in &s.wallet {
            let path = format!("wallet.{cur}");
            let currency = if *cur == s.quote {
                Currency::Quote
            } else if let Some(a) = asset_index.get(cur.as_str()).copied().filter(|a| {
                markets
                    .iter()
                    .any(|m| m.asset == *a && m.settlement == Settlement::Inverse)
            }) {
                Currency::Coin(a)
            } else {
                self.err(
                    &path,
                    format!(
                        "{cur} is neither the quote currency ({}) nor the coin of an inverse market",
                        s.quote
                    ),
                );
                continue;
            };
            self.not_negative(&path, amount.0);
            wallet.insert(currency, amount.0);
        }
        wallet
    }

    /// Collateral assets, each with the quantity its value ratios count.
    fn collateral(&mut self, s: &Scenario, asset_index: &HashMap<&str, usize>) -> Vec<Collateral> {
        let mut collateral = Vec::with_capacity(s.collateral.len());
        for (i, c) in s.collateral.iter().enumerate() {
            let path = format!("collateral[{i}]");
            let Some(&asset) = asset_index.get(c.asset.as_str()) else {
                self.err(
                    format!("{path}.asset"),
                    format!("unknown asset \"{}\"; give it a price in prices", c.asset),
                );
                continue;
            };
            if !self.not_negative(&format!("{path}.qty"), c.qty.0) {
                continue;
            }
            if !self.ratio_tiers(&format!("{path}.value_ratio_tiers"), &c.value_ratio_tiers) {
                continue;
            }
            match weighted_qty(c.qty.0, &c.value_ratio_tiers) {
                Ok(weighted_qty) => collateral.push(Collateral {
                    asset,
                    qty: c.qty.0,
                    weighted_qty,
                }),
                Err(e) => self
                    .errors
                    .push(Error::numeric(path, "collateral value", e)),
            }
        }
        collateral
    }

    /// Positions: ids, one per market (or per side in hedge mode), sizes,
    /// leverage within the tier's limit, and the margin each opens with.
    fn positions(
        &mut self,
        s: &Scenario,
        markets: &[Market],
        market_index: &HashMap<&str, usize>,
    ) -> Vec<Position> {
        let mut positions = Vec::with_capacity(s.positions.len());
        // With every id derived from its market (and its side, in hedge
        // mode), two ids are the same exactly when their positions hold the
        // same slot below, so the slots find duplicates without a table of
        // names. An id given by hand may equal any other: then they all go
        // in the table.
        let derived = s.positions.iter().all(|p| p.id.is_none());
        let mut ids: HashMap<Name, usize> =
            HashMap::with_capacity(if derived { 0 } else { s.positions.len() });
        // By market (two to a market in hedge mode, a side each): the position holding it.
        let mut slots: Vec<Option<usize>> = vec![None; markets.len() * 2];
        for (i, p) in s.positions.iter().enumerate() {
            let path = || format!("positions[{i}]");
            let at = |field: &str| format!("positions[{i}].{field}");
            let market = market_index.get(p.market.as_str()).copied();
            let slot = market.map(|m| 2 * m + usize::from(s.hedge_mode && p.side == Side::Short));
            let id = match (&p.id, market) {
                (Some(own), _) => Name::from(own.as_str()),
                // The market's own name, shared rather than copied.
                (None, Some(m)) if !s.hedge_mode => markets[m].id.clone(),
                (None, _) => Name::from(s.position_id(i)),
            };
            if let Some(own) = &p.id {
                if !plain_name(own) {
                    self.name(&at("id"), own);
                }
            }
            let same_id = match slot.and_then(|k| slots.get(k)) {
                Some(&holder) if derived => holder,
                _ => ids.insert(id.clone(), i),
            };
            if let Some(prev) = same_id {
                self.err(
                    at("id"),
                    format!("\"{id}\" is already the id of positions[{prev}]"),
                );
            }
            let (Some(market), Some(holder)) = (market, slot.and_then(|k| slots.get_mut(k))) else {
                self.err(at("market"), format!("unknown market \"{}\"", p.market));
                continue;
            };
            if let Some(prev) = holder.replace(i) {
                let msg = if s.hedge_mode {
                    format!(
                        "hedge mode allows one {} position per market; positions[{prev}] is already {} {}",
                        p.side.as_str(),
                        p.side.as_str(),
                        p.market
                    )
                } else {
                    format!(
                        "one-way mode allows one position per market and positions[{prev}] is already on {}; turn on hedge mode to hold a long and a short",
                        p.market
                    )
                };
                self.err(at("market"), msg);
            }
            let qty_ok = p.qty.0 > Decimal::ZERO || self.positive(&at("qty"), p.qty.0);
            let entry_ok = p.entry_price.0 > Decimal::ZERO
                || self.positive(&at("entry_price"), p.entry_price.0);
            if let Some(l) = p.leverage.filter(|l| l.0 <= Decimal::ZERO) {
                self.positive(&at("leverage"), l.0);
            }
            if let Some(m) = p.isolated_margin.filter(|m| m.0 < Decimal::ZERO) {
                self.not_negative(&at("isolated_margin"), m.0);
            }
            if !(qty_ok && entry_ok) {
                continue;
            }
            let spec = &markets[market];
            let entry_notional = match market::notional(spec, p.qty.0, p.entry_price.0) {
                Ok(n) => n,
                Err(e) => {
                    self.errors.push(Error::numeric(path(), "notional", e));
                    continue;
                }
            };
            let tier = market::tier_of(&spec.tiers, entry_notional);
            let max_leverage = spec.tiers.get(tier).and_then(|t| t.max_leverage);
            let leverage = match (p.leverage, max_leverage) {
                (Some(l), Some(max)) if l.0 > max => {
                    self.err(
                        at("leverage"),
                        format!(
                            "{}× is above the {}× that {} allows for a notional of {} (tier {})",
                            l,
                            max.normalize(),
                            p.market,
                            entry_notional.normalize(),
                            tier + 1
                        ),
                    );
                    continue;
                }
                (Some(l), _) if l.0 > Decimal::ZERO => l.0,
                (Some(_), _) => continue,
                (None, Some(max)) => max,
                (None, None) => Decimal::ONE,
            };
            let entry_margin = match entry_notional.div(leverage) {
                Ok(m) => m,
                Err(e) => {
                    self.errors
                        .push(Error::numeric(path(), "initial margin", e));
                    continue;
                }
            };
            let costs = &spec.costs;
            let opening_rate = match p.opened_as.unwrap_or_default() {
                Liquidity::Maker => costs.maker,
                Liquidity::Taker => costs.taker,
            };
            let paid = match &p.costs_paid {
                Some(CostsPaid {
                    fees: Some(fees),
                    funding,
                }) => fees.0.add(funding.0),
                Some(CostsPaid {
                    fees: None,
                    funding,
                }) => entry_notional
                    .mul(opening_rate)
                    .and_then(|f| f.add(funding.0)),
                None => entry_notional.mul(opening_rate),
            };
            let derived_margin = match spec.isolated_rule {
                IsolatedMarginRule::InitialMargin => Ok(entry_margin),
                IsolatedMarginRule::InitialMarginAndCloseFee => {
                    close_fee_at_bankruptcy(spec, p.side, p.qty.0, p.entry_price.0, leverage)
                        .and_then(|fee| entry_margin.add(fee))
                }
            };
            let (paid, derived_margin) = match (paid, derived_margin) {
                (Ok(paid), Ok(margin)) => (paid, margin),
                (Err(e), _) | (_, Err(e)) => {
                    self.errors.push(Error::numeric(path(), "costs", e));
                    continue;
                }
            };
            positions.push(Position {
                id,
                market,
                side: p.side,
                qty: p.qty.0,
                entry_price: p.entry_price.0,
                mode: p.margin_mode,
                leverage,
                isolated_margin: p.isolated_margin.map_or(derived_margin, |m| m.0),
                margin_derived: p.isolated_margin.is_none(),
                entry_notional,
                entry_margin,
                paid,
            });
        }
        positions
    }

    /// Portfolio positions need their asset's parameters; and the positions
    /// settling in one currency share one pool, cross or portfolio, never both.
    fn margin_modes(
        &mut self,
        s: &Scenario,
        assets: &[Asset],
        markets: &[Market],
        market_index: &HashMap<&str, usize>,
    ) {
        // By currency, the first position margined cross, or portfolio.
        let mut first: BTreeMap<(Currency, bool), usize> = BTreeMap::new();
        for (i, p) in s.positions.iter().enumerate() {
            let Some(m) = market_index
                .get(p.market.as_str())
                .and_then(|&m| markets.get(m))
            else {
                continue;
            };
            let portfolio = match p.margin_mode {
                MarginMode::Isolated => continue,
                MarginMode::Cross => false,
                MarginMode::Portfolio => true,
            };
            let path = || format!("positions[{i}].margin_mode");
            if portfolio && assets.get(m.asset).is_some_and(|a| a.portfolio.is_none()) {
                let asset = &assets[m.asset].name;
                self.err(
                    path(),
                    format!("{asset} has no portfolio margin parameters; give them in portfolio_margin.{asset}"),
                );
            }
            let currency = m.currency();
            first.entry((currency, portfolio)).or_insert(i);
            if let Some(other) = first.get(&(currency, !portfolio)) {
                let name = match currency {
                    Currency::Quote => s.quote.as_str(),
                    Currency::Coin(a) => assets.get(a).map_or("", |a| a.name.as_str()),
                };
                self.err(
                    path(),
                    format!(
                        "positions[{other}] settles in {name} too, margined {}: the positions settling in one currency share one pool, cross or portfolio, not both",
                        if portfolio { "cross" } else { "portfolio" }
                    ),
                );
            }
        }
    }

    /// Checks a tier table and derives absent maintenance amounts.
    fn tiers(&mut self, path: &dyn Fn() -> String, tiers: &[scenario::Tier]) -> Vec<Tier> {
        if tiers.is_empty() {
            self.err(path(), "needs at least one tier");
            return Vec::new();
        }
        if tiers.len() > limits::MAX_TIERS {
            self.limit(&path(), "tiers", tiers.len(), limits::MAX_TIERS);
            return Vec::new();
        }
        let mut out: Vec<Tier> = Vec::with_capacity(tiers.len());
        for (i, t) in tiers.iter().enumerate() {
            let tp = || format!("{}[{i}]", path());
            let floor = t.notional_floor.0;
            let cap = t.notional_cap.map(|c| c.0);
            match out.last() {
                None if !floor.is_zero() => self.err(format!("{}.notional_floor", tp()), "the first tier must start at 0"),
                Some(prev) => match prev.cap {
                    Some(pc) if pc != floor => self.err(
                        format!("{}.notional_floor", tp()),
                        format!("must equal the previous tier's cap ({}): tiers must be ascending and contiguous", pc.normalize()),
                    ),
                    None => self.err(format!("{}[{}].notional_cap", path(), i - 1), "only the last tier may be without a cap"),
                    _ => {}
                },
                _ => {}
            }
            if let Some(c) = cap {
                if c <= floor {
                    self.err(
                        format!("{}.notional_cap", tp()),
                        "must be greater than the tier's floor",
                    );
                }
            }
            let mmr = t.mmr.0;
            if mmr < Decimal::ZERO || mmr >= Decimal::ONE {
                self.err(
                    format!("{}.mmr", tp()),
                    "must be at least 0 and less than 1",
                );
            }
            if let Some(l) = t.max_leverage.filter(|l| l.0 <= Decimal::ZERO) {
                self.positive(&format!("{}.max_leverage", tp()), l.0);
            }
            let amount = match (t.maintenance_amount, out.last()) {
                (Some(a), _) => a.0,
                (None, None) => Decimal::ZERO,
                // amountₙ = floorₙ · (mmrₙ − mmrₙ₋₁) + amountₙ₋₁: continuous requirement.
                (None, Some(prev)) => match mmr
                    .sub(prev.mmr)
                    .and_then(|d| floor.mul(d))
                    .and_then(|x| x.add(prev.amount))
                {
                    Ok(a) => a,
                    Err(e) => {
                        self.errors
                            .push(Error::numeric(tp(), "maintenance amount", e));
                        Decimal::ZERO
                    }
                },
            };
            out.push(Tier {
                floor,
                cap,
                mmr,
                amount,
                max_leverage: t.max_leverage.map(|l| l.0),
            });
        }
        out
    }

    fn ratio_tiers(&mut self, path: &str, tiers: &[RatioTier]) -> bool {
        let before = self.errors.len();
        if !self.limit(path, "tiers", tiers.len(), limits::MAX_TIERS) {
            return false;
        }
        let mut prev_cap: Option<Option<Decimal>> = None;
        for (i, t) in tiers.iter().enumerate() {
            let tp = format!("{path}[{i}]");
            match prev_cap {
                None if !t.qty_floor.0.is_zero() => self.err(format!("{tp}.qty_floor"), "the first tier must start at 0"),
                Some(Some(pc)) if pc != t.qty_floor.0 => self.err(
                    format!("{tp}.qty_floor"),
                    format!("must equal the previous tier's cap ({}): tiers must be ascending and contiguous", pc.normalize()),
                ),
                Some(None) => self.err(format!("{path}[{}].qty_cap", i - 1), "only the last tier may be without a cap"),
                _ => {}
            }
            if let Some(c) = t.qty_cap {
                if c.0 <= t.qty_floor.0 {
                    self.err(
                        format!("{tp}.qty_cap"),
                        "must be greater than the tier's floor",
                    );
                }
            }
            if t.ratio.0 < Decimal::ZERO || t.ratio.0 > Decimal::ONE {
                self.err(format!("{tp}.ratio"), "must be between 0 and 1");
            }
            prev_cap = Some(t.qty_cap.map(|c| c.0));
        }
        self.errors.len() == before
    }
}

/// `Σ_slices slice_qty · ratio`; no tiers means full value, and a quantity
/// above the last tier's cap counts for nothing.
/// The fee to close at the bankruptcy price, where the initial margin is
/// lost: `taker · notional` at `entry · (1 ∓ 1/leverage)` for linear
/// contracts, at `entry · L / (L ± 1)` for inverse ones (a short at 1× or
/// less never goes bankrupt on an inverse contract: no fee).
fn close_fee_at_bankruptcy(
    m: &Market,
    side: Side,
    qty: Decimal,
    entry: Decimal,
    leverage: Decimal,
) -> Calc<Decimal> {
    let taker = m.costs.taker;
    if taker.is_zero() {
        return Ok(Decimal::ZERO);
    }
    let size = market::size(m, qty)?;
    let fee = match (m.settlement, side) {
        (Settlement::Linear, Side::Long) => {
            let price = entry.sub(entry.div(leverage)?)?.max(Decimal::ZERO);
            size.mul(price)?
        }
        (Settlement::Linear, Side::Short) => size.mul(entry.add(entry.div(leverage)?)?)?,
        // size / (e·L/(L±1)) = size·(L±1) / (e·L)
        (Settlement::Inverse, Side::Long) => size
            .mul(leverage.add(Decimal::ONE)?)?
            .div(entry.mul(leverage)?)?,
        (Settlement::Inverse, Side::Short) if leverage > Decimal::ONE => size
            .mul(leverage.sub(Decimal::ONE)?)?
            .div(entry.mul(leverage)?)?,
        (Settlement::Inverse, Side::Short) => Decimal::ZERO,
    };
    fee.mul(taker)
}

fn weighted_qty(qty: Decimal, tiers: &[RatioTier]) -> Calc<Decimal> {
    if tiers.is_empty() {
        return Ok(qty);
    }
    let mut total = Decimal::ZERO;
    for t in tiers {
        let floor = t.qty_floor.0;
        if qty <= floor {
            break;
        }
        let top = t.qty_cap.map_or(qty, |c| qty.min(c.0));
        total = total.add(top.sub(floor)?.mul(t.ratio.0)?)?;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::test_book;

    fn problems(change: impl FnOnce(&mut Scenario)) -> Vec<String> {
        let mut s = test_book();
        change(&mut s);
        match build(&s) {
            Ok(_) => Vec::new(),
            Err(e) => e.iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_valid_book_resolves_names_and_fills_defaults() {
        let m = build(&test_book()).expect("valid");
        assert_eq!(m.assets.len(), 2);
        assert_eq!(m.positions[0].market, 0);
        // The ETH short's isolated margin defaults to its initial margin at entry.
        assert_eq!(m.positions[1].isolated_margin, Decimal::from(3000));
        // The second tier's amount is derived: 50,000 · (0.5 % − 0.4 %).
        assert_eq!(m.markets[0].tiers[1].amount, Decimal::from(50));
        assert!(m.markets[0].continuous && m.markets[0].convex);
    }

    #[test]
    fn every_step_reports_its_own_part_and_all_are_reported_at_once() {
        let found = problems(|s| {
            s.prices
                .insert("DOGE".into(), crate::engine::scenario::Num(Decimal::ZERO));
            if let Some(m) = s.markets.get_mut("ETHUSDT") {
                m.asset = "SOL".into();
            }
            s.wallet
                .insert("XYZ".into(), crate::engine::scenario::Num(Decimal::ONE));
            s.positions[0].qty = crate::engine::scenario::Num(Decimal::NEGATIVE_ONE);
        });
        assert_eq!(
            found,
            [
                "prices.DOGE: must be greater than 0",
                "markets.ETHUSDT.asset: unknown asset \"SOL\"; give it a price in prices",
                "wallet.XYZ: XYZ is neither the quote currency (USD) nor the coin of an inverse market",
                "positions[0].qty: must be greater than 0",
                "positions[1].market: unknown market \"ETHUSDT\"",
            ]
        );
    }

    #[test]
    fn the_format_and_the_sizes_are_checked_before_anything_else() {
        let found = problems(|s| {
            s.format = "marginscope/9".into();
            s.positions[0].qty = crate::engine::scenario::Num(Decimal::NEGATIVE_ONE);
        });
        assert_eq!(
            found,
            ["format: \"marginscope/9\" is not a format this version reads; it reads \"marginscope/1\""]
        );
    }
}
