//! The whole app state and every change to it, named (`Action`): plain
//! data and a pure function from a state and an action to the next state
//! ([`State::next`]), so that each change is tested natively, without a
//! browser (the tests below). The report is not state: the view derives it
//! from `scenario`. Yew's `Reducible` is implemented over [`State::next`]
//! in `ui::app`.

use crate::engine::decimal_text::{beyond_decimal, parse_decimal, BEYOND_DECIMAL};
use crate::engine::error::Error;
use crate::engine::num::{plus, times};
use crate::engine::scenario::{
    Collateral, Fees, Funding, FundingPrice, IsolatedMarginRule, MarginMode, Market, Num,
    PortfolioParams, Position, Scenario, Side, Tier,
};
use crate::presets;
use crate::share::Snapshot;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// A field a person types into; its path is the engine's path for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Wallet(String),
    Qty(usize),
    Entry(usize),
    Leverage(usize),
    IsolatedMargin(usize),
    CollateralQty(usize),
    /// A cell of a market's maintenance tier table.
    Tier(String, usize, TierCol),
    /// One of an asset's portfolio margin parameters.
    Portfolio(String, PortfolioCol),
    /// One of a market's fee or funding figures.
    Cost(String, CostCol),
}

/// A market's editable costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostCol {
    Maker,
    Taker,
    FundingRate,
    FundingHours,
}

impl CostCol {
    pub const ALL: [CostCol; 4] = [
        CostCol::Maker,
        CostCol::Taker,
        CostCol::FundingRate,
        CostCol::FundingHours,
    ];

    fn key(self) -> &'static str {
        match self {
            CostCol::Maker => "fees.maker",
            CostCol::Taker => "fees.taker",
            CostCol::FundingRate => "funding.rate",
            CostCol::FundingHours => "funding.interval_hours",
        }
    }

    /// Its name beside its field and in a message read away from it.
    pub fn name(self) -> &'static str {
        match self {
            CostCol::Maker => "maker fee",
            CostCol::Taker => "taker fee",
            CostCol::FundingRate => "funding rate",
            CostCol::FundingHours => "funding every (hours)",
        }
    }
}

/// The editable parameters of portfolio margin for one asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortfolioCol {
    /// The scenarios, as a list: `-0.16, -0.12, …`.
    Shocks,
    GainWeight,
    RollRate,
    BasisRate,
    FloorRate,
    MmFactor,
    ImFactor,
}

impl PortfolioCol {
    pub const ALL: [PortfolioCol; 7] = [
        PortfolioCol::Shocks,
        PortfolioCol::GainWeight,
        PortfolioCol::RollRate,
        PortfolioCol::BasisRate,
        PortfolioCol::FloorRate,
        PortfolioCol::MmFactor,
        PortfolioCol::ImFactor,
    ];

    fn key(self) -> &'static str {
        match self {
            PortfolioCol::Shocks => "shocks",
            PortfolioCol::GainWeight => "gain_weight",
            PortfolioCol::RollRate => "roll_rate",
            PortfolioCol::BasisRate => "basis_rate",
            PortfolioCol::FloorRate => "floor_rate",
            PortfolioCol::MmFactor => "mm_factor",
            PortfolioCol::ImFactor => "im_factor",
        }
    }

    /// Its name in a message read away from its field.
    fn name(self) -> &'static str {
        match self {
            PortfolioCol::Shocks => "price scenarios",
            PortfolioCol::GainWeight => "weight of a gain",
            PortfolioCol::RollRate => "roll charge",
            PortfolioCol::BasisRate => "basis charge",
            PortfolioCol::FloorRate => "floor",
            PortfolioCol::MmFactor => "maintenance factor",
            PortfolioCol::ImFactor => "initial factor",
        }
    }

    /// Its label in the editor.
    pub fn label(self) -> &'static str {
        match self {
            PortfolioCol::Shocks => "Price scenarios (moves, e.g. -0.16, 0, 0.16)",
            PortfolioCol::GainWeight => "Weight of a gain (0 to 1)",
            PortfolioCol::RollRate => "Roll charge (on gross notional)",
            PortfolioCol::BasisRate => "Basis charge (on net delta)",
            PortfolioCol::FloorRate => "Floor (on net delta)",
            PortfolioCol::MmFactor => "Maintenance margin × requirement",
            PortfolioCol::ImFactor => "Initial margin × requirement",
        }
    }
}

/// The editable columns of a tier table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TierCol {
    Floor,
    Cap,
    Mmr,
    MaxLeverage,
}

impl TierCol {
    fn key(self) -> &'static str {
        match self {
            TierCol::Floor => "notional_floor",
            TierCol::Cap => "notional_cap",
            TierCol::Mmr => "mmr",
            TierCol::MaxLeverage => "max_leverage",
        }
    }
}

impl Field {
    pub fn path(&self) -> String {
        match self {
            Field::Wallet(c) => format!("wallet.{c}"),
            Field::Qty(i) => format!("positions[{i}].qty"),
            Field::Entry(i) => format!("positions[{i}].entry_price"),
            Field::Leverage(i) => format!("positions[{i}].leverage"),
            Field::IsolatedMargin(i) => format!("positions[{i}].isolated_margin"),
            Field::CollateralQty(i) => format!("collateral[{i}].qty"),
            Field::Tier(m, j, c) => format!("markets.{m}.tiers[{j}].{}", c.key()),
            Field::Portfolio(a, c) => format!("portfolio_margin.{a}.{}", c.key()),
            Field::Cost(m, c) => format!("markets.{m}.{}", c.key()),
        }
    }

    fn optional(&self) -> bool {
        matches!(
            self,
            Field::Leverage(_)
                | Field::IsolatedMargin(_)
                | Field::Tier(_, _, TierCol::Cap | TierCol::MaxLeverage)
                | Field::Cost(..)
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Typed text into a number field.
    Type(Field, String),
    SetSide(usize, Side),
    SetMode(usize, MarginMode),
    SetMarket(usize, String),
    AddPosition,
    DuplicatePosition(usize),
    RemovePosition(usize),
    AddCollateral(String),
    RemoveCollateral(usize),
    /// Adds a tier on top of a market's table.
    AddTier(String),
    /// Gives every asset with a position the parameters of a published
    /// portfolio margin set (`presets::PORTFOLIO_SETS`), by its id.
    UsePortfolioSet(String),
    RemoveTier(String, usize),
    /// Typed or dragged an asset's price.
    SetPrice(String, String),
    /// Typed or dragged the holding period, in days.
    SetHolding(String),
    /// The price a market's funding is charged on.
    SetFundingPrice(String, FundingPrice),
    /// How a market's isolated positions hold their margin.
    SetIsolatedRule(String, IsolatedMarginRule),
    /// Moved every price by this percentage from its reference.
    MoveMarket(String),
    ResetToMark,
    ResetToEntry,
    Select(usize),
    /// Replaces the scenario (a preset, a file): the one replaced can be had back.
    Load(Box<Scenario>, String),
    /// Opens an imported account, with its check against the venue.
    OpenAccount(Box<Scenario>, Rc<VenueCheck>),
    /// Adds an imported account's positions to the scenario being edited.
    AddAccount(Box<Scenario>, Rc<VenueCheck>),
    DismissVenueCheck,
    /// A file that could not be read: its message; the scenario stays.
    ImportFailed(String),
    /// The browser refused to write the exported file: its message.
    ExportFailed(String),
    /// Back to the scenario before the last `Load`.
    Undo,
    DismissNotice,
    /// Another tab saved this text (the browser's `storage` event).
    OtherTabSaved(String),
    /// Open the scenario the other tab saved (this one can be had back with Undo).
    TakeOtherTab,
    /// Keep this tab's scenario: saving resumes, over the other tab's.
    KeepThisTab,
    /// The editor draws every position (`true`) or the first few.
    ShowAllPositions(bool),
}

impl Action {
    /// The position whose own fields this edits, if any.
    fn position_edited(&self) -> Option<usize> {
        match self {
            Action::Type(
                Field::Qty(i) | Field::Entry(i) | Field::Leverage(i) | Field::IsolatedMargin(i),
                _,
            )
            | Action::SetSide(i, _)
            | Action::SetMode(i, _)
            | Action::SetMarket(i, _) => Some(*i),
            _ => None,
        }
    }
}

/// A message at the top of the page: what just happened that the person
/// did not see happen (a link that could not be read, a load that can be undone).
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub problem: bool,
    /// Offer "Undo" (there is a scenario to go back to).
    pub undo: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Shared with what the page derives from it (a snapshot, the editor's
    /// copy), not copied; a change makes a new one.
    pub scenario: Rc<Scenario>,
    /// Fields whose text is not a number: path → (the text, the message).
    /// The scenario keeps the last valid value, so nothing else changes.
    pub invalid: Typed,
    /// The marks the sliders are centred on, and "reset to mark" returns to.
    pub reference: BTreeMap<String, Decimal>,
    /// The whole-market move, in percent.
    pub market_move: Decimal,
    /// The position the quick answers are about.
    pub selected: usize,
    pub notice: Option<Notice>,
    /// What the last `Load` replaced.
    pub previous: Option<Rc<Snapshot>>,
    /// Counts the changes to the portfolio: the scenario's every part but its
    /// prices. What is worked out from the portfolio alone (the validated
    /// model, the editor's fields) is worked out again only when this moves,
    /// never during a drag.
    pub portfolio_edits: u64,
    /// Counts the scenarios loaded in place of the one shown (a file, a
    /// lesson, an undo, the other tab's): figures kept from before a load
    /// are another portfolio's.
    pub loads: u64,
    /// A different scenario another tab saved since: until the person chooses
    /// between it and this tab's, this tab does not save, so neither is lost.
    pub other_tab: Option<Rc<Snapshot>>,
    /// How many positions, from the first, the editor draws (and any with a
    /// problem): an imported portfolio of hundreds would otherwise put
    /// thousands of fields on the page, all drawn again at each keystroke.
    pub positions_shown: usize,
    /// Positions past those that were drawn for a problem and edited since:
    /// still drawn once fixed, so that a box being typed in stays on screen.
    pub positions_kept: BTreeSet<usize>,
    /// An imported account's figures held against its venue's, as imported.
    pub venue_check: Option<Rc<VenueCheck>>,
}

/// The outcome of an account import's check, shown beside the panels.
#[derive(Debug, Clone, PartialEq)]
pub struct VenueCheck {
    /// The venue's name (`Hyperliquid`).
    pub venue: String,
    /// "n of m positions agree with the venue".
    pub summary: String,
    pub checks: Vec<crate::import::Check>,
}

/// Positions the editor draws until asked for all.
pub const POSITIONS_SHOWN: usize = 50;

impl State {
    pub fn new(scenario: Scenario) -> State {
        State::of(Rc::new(scenario))
    }

    fn of(scenario: Rc<Scenario>) -> State {
        // Built by insertion, not `collect` (which sorts first, a sort's code
        // for each kind of map collected): the prices are in order already.
        let mut reference = BTreeMap::new();
        reference.extend(scenario.prices.iter().map(|(a, p)| (a.clone(), p.0)));
        // The last position entered is usually the one being studied.
        let selected = scenario.positions.len().saturating_sub(1);
        State {
            scenario,
            invalid: BTreeMap::new(),
            reference,
            market_move: Decimal::ZERO,
            selected,
            notice: None,
            previous: None,
            portfolio_edits: 0,
            loads: 0,
            other_tab: None,
            positions_shown: POSITIONS_SHOWN,
            positions_kept: BTreeSet::new(),
            venue_check: None,
        }
    }

    /// The state a link or a saved copy describes.
    pub fn from_snapshot(shared: Snapshot) -> State {
        let mut st = State::of(shared.scenario);
        if !shared.reference.is_empty() {
            st.reference.clear();
            st.reference
                .extend(shared.reference.into_iter().map(|(a, p)| (a, p.0)));
        }
        st.market_move = shared.market_move.map(|m| m.0).unwrap_or_default();
        st.selected = shared
            .selected
            .min(st.scenario.positions.len().saturating_sub(1));
        st
    }

    /// What a link or a saved copy keeps of this state (not typed-but-invalid text).
    pub fn to_snapshot(&self) -> Snapshot {
        Snapshot {
            scenario: self.scenario.clone(),
            selected: self.selected,
            reference: {
                let mut r = BTreeMap::new();
                r.extend(self.reference.iter().map(|(a, p)| (a.clone(), Num(*p))));
                r
            },
            market_move: (!self.market_move.is_zero()).then_some(Num(self.market_move)),
        }
    }

    /// Whether `shared` is what [`to_snapshot`](Self::to_snapshot) would give
    /// now (compared in place: this is asked at every slider tick while a
    /// copied link is on show).
    pub fn is_snapshot(&self, shared: &Snapshot) -> bool {
        // Every field named, so that one added to `Snapshot` (and to
        // `to_snapshot`) cannot be left out of the comparison.
        let Snapshot {
            scenario,
            selected,
            reference,
            market_move,
        } = shared;
        self.scenario == *scenario
            && self.selected == *selected
            && self.reference.len() == reference.len()
            && self
                .reference
                .iter()
                .zip(reference)
                .all(|((a, p), (b, q))| a == b && *p == q.0)
            && market_move.map_or(Decimal::ZERO, |m| m.0) == self.market_move
    }

    pub fn with_notice(mut self, text: String, problem: bool) -> State {
        self.notice = Some(Notice {
            text,
            problem,
            undo: false,
        });
        self
    }

    /// The text a field shows: what was typed when invalid, else the value.
    pub fn text(&self, field: &Field) -> String {
        field_text(&self.scenario, &self.invalid, field)
    }

    fn type_into(&mut self, field: Field, text: String) {
        let path = field.path();
        if let Field::Portfolio(asset, PortfolioCol::Shocks) = &field {
            return self.type_shocks(asset.clone(), path, text);
        }
        let trimmed = text.trim();
        let value = if trimmed.is_empty() && field.optional() {
            Some(None)
        } else {
            parse_decimal(trimmed).map(|d| Some(Num(d)))
        };
        let Some(value) = value else {
            let message = if trimmed.is_empty() {
                "enter a number".to_string()
            } else if beyond_decimal(trimmed) {
                format!("\"{trimmed}\" is {BEYOND_DECIMAL}")
            } else {
                format!("\"{trimmed}\" is not a number")
            };
            self.invalid.insert(path, (text, message));
            return;
        };
        self.invalid.remove(&path);
        let s = self.scenario_mut();
        match field {
            Field::Wallet(c) => {
                s.wallet.insert(c, value.unwrap_or_default());
            }
            Field::Qty(i) => set(s.positions.get_mut(i), |p| {
                p.qty = value.unwrap_or_default()
            }),
            Field::Entry(i) => set(s.positions.get_mut(i), |p| {
                p.entry_price = value.unwrap_or_default()
            }),
            Field::Leverage(i) => set(s.positions.get_mut(i), |p| p.leverage = value),
            Field::IsolatedMargin(i) => set(s.positions.get_mut(i), |p| p.isolated_margin = value),
            Field::CollateralQty(i) => set(s.collateral.get_mut(i), |c| {
                c.qty = value.unwrap_or_default()
            }),
            Field::Tier(m, j, c) => {
                if let Some(market) = s.markets.get_mut(&m) {
                    mark_edited(market);
                    set(market.tiers.get_mut(j), |t| match c {
                        TierCol::Floor => t.notional_floor = value.unwrap_or_default(),
                        TierCol::Cap => t.notional_cap = value,
                        TierCol::Mmr => t.mmr = value.unwrap_or_default(),
                        TierCol::MaxLeverage => t.max_leverage = value,
                    });
                }
            }
            Field::Portfolio(a, c) => {
                if let Some(p) = s.portfolio_margin.get_mut(&a) {
                    mark_params_edited(p);
                    let v = value.unwrap_or_default();
                    match c {
                        PortfolioCol::Shocks => {}
                        PortfolioCol::GainWeight => p.gain_weight = v,
                        PortfolioCol::RollRate => p.roll_rate = v,
                        PortfolioCol::BasisRate => p.basis_rate = v,
                        PortfolioCol::FloorRate => p.floor_rate = v,
                        PortfolioCol::MmFactor => p.mm_factor = v,
                        PortfolioCol::ImFactor => p.im_factor = v,
                    }
                }
            }
            Field::Cost(m, c) => {
                if let Some(market) = s.markets.get_mut(&m) {
                    set_cost(market, c, value);
                }
            }
        }
    }

    /// The price scenarios typed as a list: `-0.16, -0.08, 0, 0.08, 0.16`.
    fn type_shocks(&mut self, asset: String, path: String, text: String) {
        let items: Vec<&str> = text
            .split([',', ';', ' '])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect();
        let parsed: Option<Vec<Num>> = items.iter().map(|t| parse_decimal(t).map(Num)).collect();
        let Some(shocks) = parsed.filter(|v| !v.is_empty()) else {
            let bad = items.iter().find(|t| parse_decimal(t).is_none());
            let message = match bad {
                Some(t) => format!("\"{t}\" is not a number"),
                None => "enter the price scenarios, such as -0.1, 0, 0.1".to_string(),
            };
            self.invalid.insert(path, (text, message));
            return;
        };
        self.invalid.remove(&path);
        if let Some(p) = self.scenario_mut().portfolio_margin.get_mut(&asset) {
            mark_params_edited(p);
            p.shocks = shocks;
        }
    }

    /// Puts a preset market (and its asset's default price) into the scenario if missing.
    fn ensure_market(&mut self, id: &str) {
        if self.scenario.markets.contains_key(id) {
            return;
        }
        let Some(market) = presets::MARKETS
            .iter()
            .find(|(m, _)| *m == id)
            .and_then(|(_, json)| serde_json::from_str::<Market>(json).ok())
        else {
            return;
        };
        self.ensure_asset(&market.asset.clone());
        self.scenario_mut().markets.insert(id.to_string(), market);
    }

    /// Position i's margin mode. Portfolio margin is an account's, not a
    /// position's: turning it on or off for one position turns it on or
    /// off for every position sharing that position's wallet (bar the
    /// isolated ones), since cross and portfolio cannot share a wallet. An
    /// asset that has no portfolio parameters yet gets the first published
    /// set's, which the editor shows and any of which can be changed.
    fn set_mode(&mut self, i: usize, mode: MarginMode) {
        let s = &self.scenario;
        let Some(position) = s.positions.get(i) else {
            return;
        };
        let was = position.margin_mode;
        let wallet = s.settlement_currency(&position.market).map(str::to_string);
        let account = |from: MarginMode| {
            matches!(
                (from, mode),
                (MarginMode::Cross, MarginMode::Portfolio)
                    | (MarginMode::Portfolio, MarginMode::Cross)
            )
        };
        let also: Vec<usize> = s
            .positions
            .iter()
            .enumerate()
            .filter(|&(j, p)| {
                j != i
                    && account(p.margin_mode)
                    && (was == MarginMode::Portfolio || mode == MarginMode::Portfolio)
                    && s.settlement_currency(&p.market).map(str::to_string) == wallet
            })
            .map(|(j, _)| j)
            .collect();
        let s = self.scenario_mut();
        for j in also.iter().copied().chain([i]) {
            set(s.positions.get_mut(j), |p| p.margin_mode = mode);
        }
        self.give_portfolio_params();
        if !also.is_empty() {
            let n = also.len();
            let what = match mode {
                MarginMode::Portfolio => "portfolio margin",
                _ => "cross margin",
            };
            let wallet = wallet.unwrap_or_default();
            self.notice = Some(Notice {
                text: format!(
                    "The {wallet} wallet is margined as one account: {n} other {} {what} too.",
                    if n == 1 {
                        "position now uses"
                    } else {
                        "positions now use"
                    }
                ),
                problem: false,
                undo: false,
            });
        }
    }

    /// Every asset a portfolio position trades, given parameters if it has
    /// none: the first published set's.
    fn give_portfolio_params(&mut self) {
        let s = &self.scenario;
        let missing: Vec<String> = s
            .positions
            .iter()
            .filter(|p| p.margin_mode == MarginMode::Portfolio)
            .filter_map(|p| s.asset_of(p).map(str::to_string))
            .filter(|a| !s.portfolio_margin.contains_key(a))
            .collect();
        let Some(set) = presets::PORTFOLIO_SETS.first() else {
            return;
        };
        for asset in missing {
            if let Some(params) = set.params(&asset) {
                self.scenario_mut().portfolio_margin.insert(asset, params);
            }
        }
    }

    fn ensure_asset(&mut self, asset: &str) {
        if self.scenario.prices.contains_key(asset) {
            return;
        }
        if let Some(price) = presets::PRICES
            .iter()
            .find(|(a, _)| *a == asset)
            .and_then(|(_, p)| parse_decimal(p))
        {
            self.scenario_mut()
                .prices
                .insert(asset.to_string(), Num(price));
            self.reference.insert(asset.to_string(), price);
        }
    }

    /// Removing or inserting a row shifts the paths after it: drop their pending texts.
    fn forget_rows(&mut self, prefix: &str) {
        self.invalid.retain(|path, _| !path.starts_with(prefix));
    }
}

/// The longest holding period the control takes, in days: the engine's.
pub const HOLDING_DAYS_MOST: i64 = crate::engine::scenario::limits::MAX_HOLDING_HOURS / 24;

/// Text typed into fields that does not parse, by the field's path: the
/// text as typed and what is wrong with it.
pub type Typed = BTreeMap<String, (String, String)>;

/// The text `field` shows: what was typed when it does not parse, else the
/// scenario's value.
pub fn field_text(s: &Scenario, typed: &Typed, field: &Field) -> String {
    if let Some((text, _)) = typed.get(&field.path()) {
        return text.clone();
    }
    let value = match field {
        Field::Wallet(c) => s.wallet.get(c).copied(),
        Field::Qty(i) => s.positions.get(*i).map(|p| p.qty),
        Field::Entry(i) => s.positions.get(*i).map(|p| p.entry_price),
        Field::Leverage(i) => s.positions.get(*i).and_then(|p| p.leverage),
        Field::IsolatedMargin(i) => s.positions.get(*i).and_then(|p| p.isolated_margin),
        Field::CollateralQty(i) => s.collateral.get(*i).map(|c| c.qty),
        Field::Tier(m, j, c) => {
            s.markets
                .get(m)
                .and_then(|m| m.tiers.get(*j))
                .and_then(|t| match c {
                    TierCol::Floor => Some(t.notional_floor),
                    TierCol::Cap => t.notional_cap,
                    TierCol::Mmr => Some(t.mmr),
                    TierCol::MaxLeverage => t.max_leverage,
                })
        }
        Field::Portfolio(a, c) => {
            let p = s.portfolio_margin.get(a);
            match c {
                PortfolioCol::Shocks => {
                    return p.map_or_else(String::new, |p| {
                        let shocks: Vec<String> = p.shocks.iter().map(|x| x.to_string()).collect();
                        shocks.join(", ")
                    })
                }
                PortfolioCol::GainWeight => p.map(|p| p.gain_weight),
                PortfolioCol::RollRate => p.map(|p| p.roll_rate),
                PortfolioCol::BasisRate => p.map(|p| p.basis_rate),
                PortfolioCol::FloorRate => p.map(|p| p.floor_rate),
                PortfolioCol::MmFactor => p.map(|p| p.mm_factor),
                PortfolioCol::ImFactor => p.map(|p| p.im_factor),
            }
        }
        Field::Cost(m, c) => s.markets.get(m).and_then(|m| match c {
            CostCol::Maker => m.fees.as_ref().map(|f| f.maker),
            CostCol::Taker => m.fees.as_ref().map(|f| f.taker),
            CostCol::FundingRate => m.funding.as_ref().map(|f| f.rate),
            CostCol::FundingHours => m.funding.as_ref().map(|f| f.interval_hours),
        }),
    };
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// The message for a field's path: the typed text's, else the engine's.
pub fn message_for(typed: &Typed, problems: &[Error], path: &str) -> Option<String> {
    if let Some((_, m)) = typed.get(path) {
        return Some(m.clone());
    }
    problems
        .iter()
        .find(|e| e.path == path)
        .map(|e| e.message.clone())
}

/// A field's path as the person sees it named in the editor, for a message
/// read away from its field: `positions[55].qty` is "Position 56 (M55),
/// size (contracts)". A path the editor has no field for is given as it is.
pub fn field_name(path: &str, s: &Scenario) -> String {
    // `prefix[i]` and what follows it (without its dot).
    fn indexed<'a>(path: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
        let (i, rest) = path
            .strip_prefix(prefix)?
            .strip_prefix('[')?
            .split_once(']')?;
        Some((i.parse().ok()?, rest.strip_prefix('.').unwrap_or(rest)))
    }
    let with = |whole: String, part: &str| {
        if part.is_empty() {
            whole
        } else {
            format!("{whole}, {part}")
        }
    };
    if let Some((i, field)) = indexed(path, "positions") {
        let part = match field {
            "qty" => "size (contracts)",
            "entry_price" => "entry price",
            "isolated_margin" => "isolated margin",
            "margin_mode" => "margin",
            other => other,
        };
        return with(format!("Position {} ({})", i + 1, s.position_id(i)), part);
    }
    if let Some((i, field)) = indexed(path, "collateral") {
        let asset = s.collateral.get(i).map_or("", |c| c.asset.as_str());
        let part = if field == "qty" { "held" } else { field };
        return with(format!("Collateral {} ({asset})", i + 1), part);
    }
    if let Some(rest) = path.strip_prefix("portfolio_margin.") {
        let (asset, field) = rest.split_once('.').unwrap_or((rest, ""));
        let whole = format!("Portfolio margin ({asset})");
        if let Some((j, _)) = indexed(field, "shocks") {
            return with(whole, &format!("price scenario {}", j + 1));
        }
        let part = PortfolioCol::ALL
            .into_iter()
            .find(|c| c.key() == field)
            .map_or(field, |c| c.name());
        return with(whole, part);
    }
    if path == "holding_hours" {
        return "Holding period".into();
    }
    if path == "account" {
        // A figure of the whole account (a total, the whole-market move).
        return "Account".into();
    }
    if let Some(c) = path.strip_prefix("wallet.") {
        return format!("Wallet ({c})");
    }
    if let Some(asset) = path.strip_prefix("prices.") {
        return format!("Price of {asset}");
    }
    if let Some(rest) = path.strip_prefix("markets.") {
        // The longest id the path starts with: `markets.A.B.tiers[0]` is
        // market `A.B`'s, beside a market `A`.
        let id = s
            .markets
            .keys()
            .filter(|id| {
                rest.strip_prefix(id.as_str())
                    .is_some_and(|tail| tail.is_empty() || tail.starts_with('.'))
            })
            .max_by_key(|id| id.len());
        if let Some(id) = id {
            let tail = rest[id.len()..].trim_start_matches('.');
            if let Some(c) = CostCol::ALL.into_iter().find(|c| c.key() == tail) {
                return with(id.clone(), c.name());
            }
            if tail == "funding.price" {
                return with(id.clone(), "funding on");
            }
            if let Some((j, col)) = indexed(tail, "tiers") {
                let part = match col {
                    "notional_floor" => "from notional",
                    "notional_cap" => "to notional",
                    "mmr" => "MM rate",
                    "max_leverage" => "max leverage",
                    other => other,
                };
                return with(format!("{id} tier {}", j + 1), part);
            }
            return with(id.clone(), tail);
        }
    }
    path.to_string()
}

/// A preset's source no longer describes a table someone has changed: say so.
/// Sets one of a market's costs (`None`: cleared). Fees or funding left all
/// cleared are removed, so that a market without costs is written as before.
fn set_cost(market: &mut Market, c: CostCol, value: Option<Num>) {
    match c {
        CostCol::Maker | CostCol::Taker => {
            let fees = market.fees.get_or_insert(Fees {
                maker: Num::default(),
                taker: Num::default(),
            });
            let v = value.unwrap_or_default();
            if c == CostCol::Maker {
                fees.maker = v;
            } else {
                fees.taker = v;
            }
            if value.is_none() && fees.maker.0.is_zero() && fees.taker.0.is_zero() {
                market.fees = None;
            }
        }
        CostCol::FundingRate => match value {
            Some(rate) => {
                market
                    .funding
                    .get_or_insert(Funding {
                        rate,
                        interval_hours: Num(Decimal::from(8)),
                        price: FundingPrice::default(),
                    })
                    .rate = rate
            }
            None => market.funding = None,
        },
        CostCol::FundingHours => {
            if let Some(f) = market.funding.as_mut() {
                f.interval_hours = value.unwrap_or(Num(Decimal::from(8)));
            }
        }
    }
}

fn mark_edited(market: &mut Market) {
    const EDITED: &str = " (edited here)";
    match &mut market.source {
        Some(s) if !s.ends_with(EDITED) => s.push_str(EDITED),
        Some(_) => {}
        None => market.source = Some(EDITED.trim_start().to_string()),
    }
}

/// A published set's source no longer describes parameters someone has changed.
fn mark_params_edited(p: &mut PortfolioParams) {
    const EDITED: &str = " (edited here)";
    match &mut p.source {
        Some(s) if !s.ends_with(EDITED) => s.push_str(EDITED),
        Some(_) => {}
        None => p.source = Some(EDITED.trim_start().to_string()),
    }
}

/// A new top tier: it starts where the table now ends, at twice the rate
/// (below 1) and half the leverage, the way venues' tables climb.
fn add_tier(market: &mut Market) {
    let Some(last) = market.tiers.last_mut() else {
        market.tiers.push(Tier {
            notional_floor: Num(Decimal::ZERO),
            notional_cap: None,
            mmr: Num(Decimal::new(5, 3)),
            maintenance_amount: None,
            max_leverage: Some(Num(Decimal::from(100))),
        });
        return;
    };
    let floor = match last.notional_cap {
        Some(c) => c.0,
        None => {
            let start = last.notional_floor.0;
            let cap = if start.is_zero() {
                Decimal::from(10_000)
            } else {
                times(start, Decimal::from(4)).unwrap_or(start)
            };
            last.notional_cap = Some(Num(cap));
            cap
        }
    };
    let mmr = times(last.mmr.0, Decimal::TWO)
        .filter(|r| *r < Decimal::ONE)
        .unwrap_or(last.mmr.0);
    let max_leverage = last.max_leverage.map(|l| {
        let half = l.0.checked_div(Decimal::TWO).unwrap_or(l.0);
        Num(half.max(Decimal::ONE).round_dp(0))
    });
    market.tiers.push(Tier {
        notional_floor: Num(floor),
        notional_cap: None,
        mmr: Num(mmr),
        maintenance_amount: None,
        max_leverage,
    });
}

/// Removes tier j and closes the gap: the tier below takes over its cap.
fn remove_tier(market: &mut Market, j: usize) {
    if j >= market.tiers.len() || market.tiers.len() == 1 {
        return;
    }
    let removed = market.tiers.remove(j);
    if j > 0 {
        if let Some(below) = market.tiers.get_mut(j - 1) {
            below.notional_cap = removed.notional_cap;
        }
    } else if let Some(first) = market.tiers.first_mut() {
        first.notional_floor = Num(Decimal::ZERO);
    }
}

fn set<T>(item: Option<&mut T>, f: impl FnOnce(&mut T)) {
    if let Some(item) = item {
        f(item);
    }
}

impl State {
    /// The state after `action`: every change the page makes to its state.
    pub fn next(&self, action: Action) -> State {
        let prices_only = matches!(
            action,
            Action::SetPrice(..)
                | Action::SetHolding(_)
                | Action::MoveMarket(_)
                | Action::ResetToMark
                | Action::ResetToEntry
        );
        let loaded = match action {
            Action::Load(..) | Action::OpenAccount(..) => true,
            Action::Undo => self.previous.is_some(),
            Action::TakeOtherTab => self.other_tab.is_some(),
            _ => false,
        };
        let about_other_tab = matches!(
            action,
            Action::OtherTabSaved(_) | Action::TakeOtherTab | Action::KeepThisTab
        );
        let st = self.clone().apply(action);
        let edited = !prices_only && !same_portfolio(&self.scenario, &st.scenario);
        State {
            // A loaded scenario is a new `State`: the counts carry on, and
            // so does a choice between tabs not yet made.
            portfolio_edits: self.portfolio_edits + u64::from(edited),
            loads: self.loads + u64::from(loaded),
            other_tab: if about_other_tab {
                st.other_tab.clone()
            } else {
                self.other_tab.clone()
            },
            ..st
        }
    }

    /// The scenario, to change: a copy of it if the page still holds it.
    fn scenario_mut(&mut self) -> &mut Scenario {
        Rc::make_mut(&mut self.scenario)
    }
}

/// Whether two scenarios are the same but for their prices (the same
/// allocation, or alike field by field; every field is named, so that one
/// added later cannot be left out).
fn same_portfolio(a: &Rc<Scenario>, b: &Rc<Scenario>) -> bool {
    if Rc::ptr_eq(a, b) {
        return true;
    }
    let Scenario {
        format,
        name,
        notes,
        quote,
        wallet,
        prices: _,
        collateral,
        markets,
        positions,
        hedge_mode,
        portfolio_margin,
        holding_hours: _,
    } = &**a;
    *format == b.format
        && *name == b.name
        && *notes == b.notes
        && *quote == b.quote
        && *wallet == b.wallet
        && *collateral == b.collateral
        && *markets == b.markets
        && *positions == b.positions
        && *hedge_mode == b.hedge_mode
        && *portfolio_margin == b.portfolio_margin
}

impl State {
    fn apply(self, action: Action) -> State {
        let mut st = self;
        if let Some(i) = action
            .position_edited()
            .filter(|&i| i >= st.positions_shown)
        {
            st.positions_kept.insert(i);
        }
        match action {
            Action::Type(field, text) => st.type_into(field, text),
            Action::SetSide(i, side) => {
                set(st.scenario_mut().positions.get_mut(i), |p| p.side = side)
            }
            Action::SetMode(i, mode) => st.set_mode(i, mode),
            Action::SetMarket(i, market) => {
                st.ensure_market(&market);
                set(st.scenario_mut().positions.get_mut(i), |p| {
                    p.market = market
                });
                st.give_portfolio_params();
            }
            Action::AddPosition => {
                let used: Vec<&str> = st
                    .scenario
                    .positions
                    .iter()
                    .map(|p| p.market.as_str())
                    .collect();
                let market = presets::MARKETS
                    .iter()
                    .map(|(id, _)| *id)
                    .find(|id| !used.contains(id))
                    .unwrap_or("BTCUSDT")
                    .to_string();
                st.ensure_market(&market);
                let asset = st
                    .scenario
                    .markets
                    .get(&market)
                    .map(|m| m.asset.clone())
                    .unwrap_or_default();
                let entry = st
                    .scenario
                    .prices
                    .get(&asset)
                    .copied()
                    .unwrap_or(Num(Decimal::ONE));
                st.scenario_mut().positions.push(Position {
                    id: None,
                    market,
                    side: Side::Long,
                    qty: Num(Decimal::ONE),
                    entry_price: entry,
                    margin_mode: MarginMode::Cross,
                    leverage: Some(Num(Decimal::TEN)),
                    isolated_margin: None,
                    opened_as: None,
                    costs_paid: None,
                });
                st.selected = st.scenario.positions.len() - 1;
                // The new position is last: it is drawn, so all before it are.
                st.positions_shown = st.positions_shown.max(st.scenario.positions.len());
            }
            Action::DuplicatePosition(i) => {
                if let Some(p) = st.scenario.positions.get(i).cloned() {
                    // A copy on the same market needs hedge mode or another market;
                    // keep it, and let the engine say what to change.
                    st.scenario_mut()
                        .positions
                        .insert(i + 1, Position { id: None, ..p });
                    st.forget_rows("positions[");
                    st.positions_kept.clear();
                    // The copy is drawn beside its original, which stays drawn.
                    if i < st.positions_shown {
                        st.positions_shown = st.positions_shown.saturating_add(1);
                    }
                }
            }
            Action::RemovePosition(i) => {
                if i < st.scenario.positions.len() {
                    st.scenario_mut().positions.remove(i);
                    st.forget_rows("positions[");
                    st.positions_kept.clear();
                    st.selected = st
                        .selected
                        .min(st.scenario.positions.len().saturating_sub(1));
                }
            }
            Action::AddCollateral(asset) => {
                st.ensure_asset(&asset);
                st.scenario_mut().collateral.push(Collateral {
                    asset,
                    qty: Num(Decimal::ONE),
                    value_ratio_tiers: Vec::new(),
                });
            }
            Action::RemoveCollateral(i) => {
                if i < st.scenario.collateral.len() {
                    st.scenario_mut().collateral.remove(i);
                    st.forget_rows("collateral[");
                }
            }
            Action::UsePortfolioSet(id) => {
                if let Some(set) = presets::portfolio_set(&id) {
                    let s = st.scenario_mut();
                    for asset in s.traded_assets() {
                        if let Some(params) = set.params(&asset) {
                            s.portfolio_margin.insert(asset, params);
                        }
                    }
                    st.invalid
                        .retain(|path, _| !path.starts_with("portfolio_margin."));
                }
            }
            Action::AddTier(m) => {
                if let Some(market) = st.scenario_mut().markets.get_mut(&m) {
                    mark_edited(market);
                    add_tier(market);
                }
            }
            Action::RemoveTier(m, j) => {
                if let Some(market) = st.scenario_mut().markets.get_mut(&m) {
                    mark_edited(market);
                    remove_tier(market, j);
                }
                st.forget_rows(&format!("markets.{m}.tiers["));
            }
            Action::SetHolding(text) => {
                let path = "holding_hours".to_string();
                let most = Decimal::from(HOLDING_DAYS_MOST);
                match parse_decimal(text.trim())
                    .filter(|d| *d >= Decimal::ZERO && *d <= most)
                    .and_then(|d| times(d, Decimal::from(24)))
                {
                    Some(hours) => {
                        st.invalid.remove(&path);
                        st.scenario_mut().holding_hours =
                            (!hours.is_zero()).then_some(Num(hours.normalize()));
                    }
                    None => {
                        st.invalid.insert(
                            path,
                            (text, format!("enter a number of days from 0 to {most}")),
                        );
                    }
                }
            }
            Action::SetFundingPrice(m, price) => {
                if let Some(f) = st
                    .scenario_mut()
                    .markets
                    .get_mut(&m)
                    .and_then(|m| m.funding.as_mut())
                {
                    f.price = price;
                }
            }
            Action::SetIsolatedRule(m, rule) => {
                if let Some(market) = st.scenario_mut().markets.get_mut(&m) {
                    market.isolated_margin_rule = rule;
                }
            }
            Action::SetPrice(asset, text) => {
                let path = format!("prices.{asset}");
                match parse_decimal(&text) {
                    Some(p) if p > Decimal::ZERO => {
                        st.invalid.remove(&path);
                        st.scenario_mut().prices.insert(asset, Num(p));
                    }
                    _ => {
                        st.invalid
                            .insert(path, (text, "enter a price above 0".into()));
                    }
                }
            }
            Action::MoveMarket(text) => {
                if let Some(pct) = parse_decimal(&text).filter(|p| *p > Decimal::from(-100)) {
                    st.market_move = pct;
                    let factor = plus(
                        Decimal::ONE,
                        pct.checked_div(Decimal::ONE_HUNDRED).unwrap_or_default(),
                    )
                    .unwrap_or(Decimal::ONE);
                    let prices = &mut Rc::make_mut(&mut st.scenario).prices;
                    for (asset, reference) in &st.reference {
                        if let Some(p) = times(*reference, factor) {
                            prices.insert(asset.clone(), Num(p));
                        }
                    }
                    st.invalid.retain(|path, _| !path.starts_with("prices."));
                }
            }
            Action::ResetToMark => {
                let prices = &mut Rc::make_mut(&mut st.scenario).prices;
                for (asset, reference) in &st.reference {
                    prices.insert(asset.clone(), Num(*reference));
                }
                st.market_move = Decimal::ZERO;
                st.invalid.retain(|path, _| !path.starts_with("prices."));
            }
            Action::ResetToEntry => {
                let s = &st.scenario;
                let mut entries: BTreeMap<String, Num> = BTreeMap::new();
                for p in &s.positions {
                    if let Some(asset) = s.asset_of(p) {
                        entries.entry(asset.to_string()).or_insert(p.entry_price);
                    }
                }
                st.scenario_mut().prices.extend(entries);
                st.invalid.retain(|path, _| !path.starts_with("prices."));
            }
            Action::Select(i) => st.selected = i,
            Action::Load(s, what) => {
                let previous = Rc::new(st.to_snapshot());
                st = State::new(*s);
                st.previous = Some(previous);
                st.notice = Some(Notice {
                    text: format!("Opened {what}."),
                    problem: false,
                    undo: true,
                });
            }
            Action::OpenAccount(s, check) => {
                let venue = check.venue.clone();
                st = st.apply(Action::Load(
                    s,
                    format!("the account imported from {venue}"),
                ));
                st.venue_check = Some(check);
            }
            Action::AddAccount(s, check) => match crate::import::merged(&st.scenario, &s) {
                Ok(both) => {
                    let n = s.positions.len();
                    for (asset, p) in &s.prices {
                        st.reference.insert(asset.clone(), p.0);
                    }
                    *st.scenario_mut() = both;
                    st.notice = Some(Notice {
                        text: format!(
                            "Added the {n} {} imported from {}.",
                            if n == 1 { "position" } else { "positions" },
                            check.venue
                        ),
                        problem: false,
                        undo: false,
                    });
                    st.venue_check = Some(check);
                }
                Err(why) => {
                    st.notice = Some(Notice {
                        text: format!("Could not add the imported account: {why}."),
                        problem: true,
                        undo: false,
                    });
                }
            },
            Action::DismissVenueCheck => st.venue_check = None,
            Action::ImportFailed(message) => {
                st.notice = Some(Notice {
                    text: format!(
                        "Could not import that file: {message}. Your scenario is unchanged."
                    ),
                    problem: true,
                    undo: false,
                });
            }
            Action::ExportFailed(message) => {
                st.notice = Some(Notice {
                    text: format!("Could not export the scenario: {message}."),
                    problem: true,
                    undo: false,
                });
            }
            Action::Undo => {
                if let Some(previous) = st.previous.take() {
                    st = State::from_snapshot((*previous).clone());
                    st.notice = Some(Notice {
                        text: "Back to the scenario you had before.".into(),
                        problem: false,
                        undo: false,
                    });
                }
            }
            Action::DismissNotice => st.notice = None,
            Action::OtherTabSaved(text) => {
                // What cannot be read is not a scenario to choose; the same
                // scenario needs no choice.
                st.other_tab = Snapshot::from_json(&text)
                    .ok()
                    .filter(|other| other.scenario != st.scenario)
                    .map(Rc::new);
            }
            Action::TakeOtherTab => {
                if let Some(other) = st.other_tab.take() {
                    let previous = Rc::new(st.to_snapshot());
                    st = State::from_snapshot((*other).clone());
                    st.previous = Some(previous);
                    st.notice = Some(Notice {
                        text: "Opened the scenario saved in the other tab.".into(),
                        problem: false,
                        undo: true,
                    });
                }
            }
            Action::KeepThisTab => st.other_tab = None,
            Action::ShowAllPositions(all) => {
                st.positions_shown = if all { usize::MAX } else { POSITIONS_SHOWN };
                st.positions_kept.clear();
            }
        }
        st
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_a_bad_number_keeps_its_text_and_the_last_good_value() {
        let st = State::new(presets::opening());
        let before = st.scenario.positions[0].qty;
        let st = st.next(Action::Type(Field::Qty(0), "1,5".into()));
        assert_eq!(st.scenario.positions[0].qty, before);
        assert_eq!(st.text(&Field::Qty(0)), "1,5");
        let st = st.next(Action::Type(Field::Qty(0), "2".into()));
        assert!(st.invalid.is_empty());
        assert_eq!(st.scenario.positions[0].qty.to_string(), "2");
    }

    #[test]
    fn adding_and_removing_tiers_keeps_the_table_contiguous() {
        let st = State::new(presets::opening());
        let tiers = |st: &State| st.scenario.markets["SOLUSDT"].tiers.clone();
        let n = tiers(&st).len();
        let st = st.next(Action::AddTier("SOLUSDT".into()));
        let t = tiers(&st);
        assert_eq!(t.len(), n + 1);
        assert_eq!(t[n - 1].notional_cap, Some(t[n].notional_floor));
        assert!(t[n].notional_cap.is_none());
        assert!(crate::engine::validate(&st.scenario).is_ok());
        let st = st.next(Action::RemoveTier("SOLUSDT".into(), 1));
        let t = tiers(&st);
        assert_eq!(t.len(), n);
        assert_eq!(t[0].notional_cap, Some(t[1].notional_floor));
        assert!(crate::engine::validate(&st.scenario).is_ok());
    }

    #[test]
    fn loading_a_scenario_can_be_undone_and_a_failed_import_changes_nothing() {
        let st = State::new(presets::opening());
        let st = st.next(Action::Type(Field::Wallet("USD".into()), "9100".into()));
        let mine = st.scenario.clone();
        let st = st.next(Action::ImportFailed("bad".into()));
        assert_eq!(*st.scenario, *mine);
        assert!(st.notice.as_ref().is_some_and(|n| n.problem));
        let lesson = presets::lesson("hedged-pair").expect("lesson");
        let st = st.next(Action::Load(Box::new(lesson.scenario()), "a lesson".into()));
        assert_eq!(st.scenario.name.as_deref(), Some(lesson.title));
        let st = st.next(Action::Undo);
        assert_eq!(*st.scenario, *mine);
    }

    #[test]
    fn a_price_move_is_not_an_edit_but_a_load_is() {
        let st = State::new(presets::opening());
        let asset = st.scenario.prices.keys().next().expect("a price").clone();
        let moved = st.next(Action::SetPrice(asset, "1".into()));
        let moved_loads = moved.loads;
        assert_eq!(
            moved.portfolio_edits, st.portfolio_edits,
            "the editor must not redraw during a drag"
        );
        let typed = moved.next(Action::Type(Field::Wallet("USD".into()), "9100".into()));
        assert_eq!(typed.portfolio_edits, st.portfolio_edits + 1);
        let typed_loads = typed.loads;
        let lesson = presets::lesson("hedged-pair").expect("lesson");
        let loaded = typed.next(Action::Load(Box::new(lesson.scenario()), "a lesson".into()));
        assert_eq!(
            loaded.portfolio_edits,
            st.portfolio_edits + 2,
            "a new scenario redraws the editor"
        );
        // Figures kept from before a load are another portfolio's: a load, and
        // its undo, are counted apart from edits; a price move and a typed value not.
        assert_eq!((moved_loads, typed_loads), (st.loads, st.loads));
        assert_eq!(loaded.loads, st.loads + 1);
        let undone = loaded.next(Action::Undo);
        assert_eq!(undone.loads, st.loads + 2);
        assert_eq!(undone.next(Action::Undo).loads, undone.loads);
    }

    #[test]
    fn another_tabs_save_pauses_this_one_until_the_person_chooses() {
        use crate::share::Snapshot;
        let st = State::new(presets::opening());
        let mine = st.scenario.clone();
        let lesson = presets::lesson("hedged-pair").expect("lesson");
        let theirs = Snapshot::new(lesson.scenario()).to_json();
        // The same scenario saved elsewhere asks nothing; unreadable text neither.
        let same = st
            .clone()
            .next(Action::OtherTabSaved(st.to_snapshot().to_json()));
        assert!(same.other_tab.is_none());
        let garbage = st.next(Action::OtherTabSaved("{".into()));
        assert!(garbage.other_tab.is_none());
        // A different one: this tab keeps its own and waits, through edits and loads.
        let waiting = st.next(Action::OtherTabSaved(theirs));
        assert!(waiting.other_tab.is_some());
        assert_eq!(*waiting.scenario, *mine);
        let edited = waiting.next(Action::Type(Field::Wallet("USD".into()), "9100".into()));
        assert!(edited.other_tab.is_some(), "an edit does not end the wait");
        let mine = edited.scenario.clone();
        // Keeping this one ends the wait; taking theirs can be undone.
        let kept = edited.next(Action::KeepThisTab);
        assert!(kept.other_tab.is_none());
        assert_eq!(*kept.scenario, *mine);
        let taken = edited.next(Action::TakeOtherTab);
        assert!(taken.other_tab.is_none());
        assert_eq!(*taken.scenario, lesson.scenario());
        let back = taken.next(Action::Undo);
        assert_eq!(*back.scenario, *mine);
    }

    #[test]
    fn the_editor_draws_a_new_a_copied_and_an_edited_position() {
        let st = State::new(crate::engine::sample::portfolio(60));
        assert_eq!(st.positions_shown, POSITIONS_SHOWN);
        let last = POSITIONS_SHOWN - 1;
        let copied = st.next(Action::DuplicatePosition(last));
        assert_eq!(
            copied.positions_shown,
            POSITIONS_SHOWN + 1,
            "the copy of the last position drawn is drawn beside it"
        );
        let added = st.next(Action::AddPosition);
        assert_eq!(
            added.positions_shown, 61,
            "a new position is last, and drawn"
        );
        // A position past those drawn can be edited only when drawn for its
        // problem; from then on it stays drawn, fixed or not.
        let typed = st.next(Action::Type(Field::Qty(55), "1".into()));
        assert!(typed.positions_kept.contains(&55));
        let fewer = typed.next(Action::ShowAllPositions(false));
        assert!(fewer.positions_kept.is_empty());
        let inside = st.next(Action::Type(Field::Qty(3), "1".into()));
        assert!(inside.positions_kept.is_empty());
    }

    #[test]
    fn a_message_read_away_from_its_field_names_it_as_the_editor_does() {
        let mut s = presets::opening();
        let btc = s.markets.values().next().expect("a market").clone();
        s.markets.insert("A".into(), btc.clone());
        s.markets.insert("A.B".into(), btc);
        let id = s.position_id(1);
        for (path, named) in [
            (
                "positions[1].qty",
                format!("Position 2 ({id}), size (contracts)"),
            ),
            (
                "positions[1].entry_price",
                format!("Position 2 ({id}), entry price"),
            ),
            ("positions[1]", format!("Position 2 ({id})")),
            (
                "markets.A.B.tiers[0].mmr",
                "A.B tier 1, MM rate".to_string(),
            ),
            (
                "markets.A.tiers[2].notional_cap",
                "A tier 3, to notional".to_string(),
            ),
            ("markets.A.B.asset", "A.B, asset".to_string()),
            ("wallet.USD", "Wallet (USD)".to_string()),
            ("prices.BTC", "Price of BTC".to_string()),
            ("account", "Account".to_string()),
            (
                "portfolio_margin.BTC.shocks[2]",
                "Portfolio margin (BTC), price scenario 3".to_string(),
            ),
            (
                "portfolio_margin.BTC.roll_rate",
                "Portfolio margin (BTC), roll charge".to_string(),
            ),
            (
                "positions[1].margin_mode",
                format!("Position 2 ({id}), margin"),
            ),
            ("format", "format".to_string()),
        ] {
            assert_eq!(field_name(path, &s), named, "{path}");
        }
    }

    #[test]
    fn portfolio_margin_is_turned_on_and_off_for_a_whole_wallet() {
        let st = State::new(presets::opening());
        let s = &st.scenario;
        let wallet = |st: &State, i: usize| {
            st.scenario
                .settlement_currency(&st.scenario.positions[i].market)
                .map(str::to_string)
        };
        let on = st.next(Action::SetMode(0, MarginMode::Portfolio));
        for (i, (before, after)) in s.positions.iter().zip(&on.scenario.positions).enumerate() {
            let expected = if before.margin_mode == MarginMode::Cross
                && wallet(&st, i) == wallet(&st, 0)
                || i == 0
            {
                MarginMode::Portfolio
            } else {
                before.margin_mode
            };
            assert_eq!(after.margin_mode, expected, "position {i}");
        }
        // Every asset it now trades in portfolio margin has parameters: the
        // scenario is valid as it stands.
        assert!(crate::engine::validate(&on.scenario).is_ok());
        assert_eq!(on.scenario.portfolio_margin.len(), 3, "BTC, ETH and SOL");
        assert!(
            on.notice.as_ref().is_some_and(|n| n
                .text
                .contains("2 other positions now use portfolio margin")),
            "the person is told the others moved with it"
        );
        let off = on.next(Action::SetMode(0, MarginMode::Cross));
        for (i, (a, b)) in s.positions.iter().zip(&off.scenario.positions).enumerate() {
            let expected = if a.margin_mode == MarginMode::Isolated && i == 0 {
                MarginMode::Cross
            } else {
                a.margin_mode
            };
            assert_eq!(b.margin_mode, expected, "position {i}");
        }
        assert!(crate::engine::validate(&off.scenario).is_ok());
    }

    #[test]
    fn a_published_set_replaces_every_traded_assets_parameters_and_a_bad_shock_is_kept_as_typed() {
        let lesson = presets::lesson("hedged-future").expect("lesson");
        let st = State::new(lesson.scenario());
        let st = st.next(Action::UsePortfolioSet("okx-2025-01".into()));
        let btc = &st.scenario.portfolio_margin["BTC"];
        assert_eq!(btc.shocks.len(), 7);
        assert!(btc.source.as_deref().is_some_and(|s| s.starts_with("OKX")));
        let field = Field::Portfolio("BTC".into(), PortfolioCol::Shocks);
        let typed = st.next(Action::Type(field.clone(), "-0.1, x, 0.1".into()));
        assert_eq!(typed.scenario.portfolio_margin["BTC"].shocks, btc.shocks);
        assert_eq!(typed.text(&field), "-0.1, x, 0.1");
        let good = typed.next(Action::Type(field.clone(), "-0.1 0 0.1".into()));
        let shocks: Vec<String> = good.scenario.portfolio_margin["BTC"]
            .shocks
            .iter()
            .map(|x| x.to_string())
            .collect();
        assert_eq!(shocks, ["-0.1", "0", "0.1"]);
        assert!(good.invalid.is_empty());
        assert!(good.scenario.portfolio_margin["BTC"]
            .source
            .as_deref()
            .is_some_and(|s| s.ends_with("(edited here)")));
    }

    #[test]
    fn only_a_change_of_the_portfolio_counts_as_a_portfolio_edit() {
        let st = State::new(presets::opening());
        for action in [
            Action::Select(0),
            Action::ShowAllPositions(true),
            Action::DismissNotice,
            Action::ImportFailed("bad".into()),
            Action::ExportFailed("refused".into()),
            // Text that does not parse changes only what the box shows.
            Action::Type(Field::Qty(0), "1,5".into()),
            // The same value typed again changes nothing.
            Action::Type(Field::Wallet("USD".into()), "8000".into()),
        ] {
            let next = st.next(action.clone());
            assert_eq!(next.portfolio_edits, st.portfolio_edits, "{action:?}");
        }
        let next = st.next(Action::SetSide(0, Side::Short));
        assert_eq!(next.portfolio_edits, st.portfolio_edits + 1);
    }
}
