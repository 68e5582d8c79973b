//! The whole app state and every change to it, named (`Action`), so that
//! each can be tested without a browser. The report is not state: it is
//! derived from `scenario` in the view.

use crate::engine::decimal_text::{beyond_decimal, parse_decimal, BEYOND_DECIMAL};
use crate::engine::num::{plus, times};
use crate::engine::scenario::{
    Collateral, MarginMode, Market, Num, Position, Scenario, Side, Tier,
};
use crate::presets;
use crate::share::Shared;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use yew::Reducible;

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
        }
    }

    fn optional(&self) -> bool {
        matches!(
            self,
            Field::Leverage(_)
                | Field::IsolatedMargin(_)
                | Field::Tier(_, _, TierCol::Cap | TierCol::MaxLeverage)
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
    RemoveTier(String, usize),
    /// Typed or dragged an asset's price.
    SetPrice(String, String),
    /// Moved every price by this percentage from its reference.
    MoveMarket(String),
    ResetToMark,
    ResetToEntry,
    Select(usize),
    /// Replaces the scenario (a preset, a file): the one replaced can be had back.
    Load(Scenario, String),
    /// A file that could not be read: its message; the scenario stays.
    ImportFailed(String),
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
    pub scenario: Scenario,
    /// Fields whose text is not a number: path → (the text, the message).
    /// The scenario keeps the last valid value, so nothing else changes.
    pub invalid: BTreeMap<String, (String, String)>,
    /// The marks the sliders are centred on, and "reset to mark" returns to.
    pub reference: BTreeMap<String, Decimal>,
    /// The whole-market move, in percent.
    pub market_move: Decimal,
    /// The position the quick answers are about.
    pub selected: usize,
    pub notice: Option<Notice>,
    /// What the last `Load` replaced.
    pub previous: Option<Rc<Shared>>,
    /// Counts every change but a price's: the editor (hundreds of fields in a
    /// large portfolio) redraws only when this moves, never during a drag.
    pub edits: u64,
    /// Counts the scenarios loaded in place of the one shown (a file, a
    /// lesson, an undo, the other tab's): figures kept from before a load
    /// are another portfolio's.
    pub loads: u64,
    /// A different scenario another tab saved since: until the person chooses
    /// between it and this tab's, this tab does not save, so neither is lost.
    pub other_tab: Option<Rc<Shared>>,
    /// How many positions, from the first, the editor draws (and any with a
    /// problem): an imported portfolio of hundreds would otherwise put
    /// thousands of fields on the page, all drawn again at each keystroke.
    pub positions_shown: usize,
    /// Positions past those that were drawn for a problem and edited since:
    /// still drawn once fixed, so that a box being typed in stays on screen.
    pub positions_kept: BTreeSet<usize>,
}

/// Positions the editor draws until asked for all.
pub const POSITIONS_SHOWN: usize = 50;

impl State {
    pub fn new(scenario: Scenario) -> State {
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
            edits: 0,
            loads: 0,
            other_tab: None,
            positions_shown: POSITIONS_SHOWN,
            positions_kept: BTreeSet::new(),
        }
    }

    /// The state a link or a saved copy describes.
    pub fn from_shared(shared: Shared) -> State {
        let mut st = State::new(shared.scenario);
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
    pub fn to_shared(&self) -> Shared {
        Shared {
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

    /// Whether `shared` is what [`to_shared`](Self::to_shared) would give
    /// now (compared in place: this is asked at every slider tick while a
    /// copied link is on show).
    pub fn is_shared_as(&self, shared: &Shared) -> bool {
        // Every field named, so that one added to `Shared` (and to
        // `to_shared`) cannot be left out of the comparison.
        let Shared {
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
        if let Some((text, _)) = self.invalid.get(&field.path()) {
            return text.clone();
        }
        let s = &self.scenario;
        let value = match field {
            Field::Wallet(c) => s.wallet.get(c).copied(),
            Field::Qty(i) => s.positions.get(*i).map(|p| p.qty),
            Field::Entry(i) => s.positions.get(*i).map(|p| p.entry_price),
            Field::Leverage(i) => s.positions.get(*i).and_then(|p| p.leverage),
            Field::IsolatedMargin(i) => s.positions.get(*i).and_then(|p| p.isolated_margin),
            Field::CollateralQty(i) => s.collateral.get(*i).map(|c| c.qty),
            Field::Tier(m, j, c) => s
                .markets
                .get(m)
                .and_then(|m| m.tiers.get(*j))
                .and_then(|t| match c {
                    TierCol::Floor => Some(t.notional_floor),
                    TierCol::Cap => t.notional_cap,
                    TierCol::Mmr => Some(t.mmr),
                    TierCol::MaxLeverage => t.max_leverage,
                }),
        };
        value.map(|v| v.to_string()).unwrap_or_default()
    }

    fn type_into(&mut self, field: Field, text: String) {
        let path = field.path();
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
        let s = &mut self.scenario;
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
        self.scenario.markets.insert(id.to_string(), market);
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
            self.scenario.prices.insert(asset.to_string(), Num(price));
            self.reference.insert(asset.to_string(), price);
        }
    }

    /// Removing or inserting a row shifts the paths after it: drop their pending texts.
    fn forget_rows(&mut self, prefix: &str) {
        self.invalid.retain(|path, _| !path.starts_with(prefix));
    }
}

/// A preset's source no longer describes a table someone has changed: say so.
fn mark_edited(market: &mut Market) {
    const EDITED: &str = " (edited here)";
    match &mut market.source {
        Some(s) if !s.ends_with(EDITED) => s.push_str(EDITED),
        Some(_) => {}
        None => market.source = Some(EDITED.trim_start().to_string()),
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
    let max_leverage = last
        .max_leverage
        .map(|l| Num((l.0 / Decimal::TWO).max(Decimal::ONE).round_dp(0)));
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

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let st = (*self).clone();
        let edited = !matches!(
            action,
            Action::SetPrice(..)
                | Action::MoveMarket(_)
                | Action::ResetToMark
                | Action::ResetToEntry
        );
        let loaded = match action {
            Action::Load(..) => true,
            Action::Undo => self.previous.is_some(),
            Action::TakeOtherTab => self.other_tab.is_some(),
            _ => false,
        };
        let about_other_tab = matches!(
            action,
            Action::OtherTabSaved(_) | Action::TakeOtherTab | Action::KeepThisTab
        );
        let st = st.apply(action);
        Rc::new(State {
            // A loaded scenario is a new `State`: the count carries on, and
            // so does a choice between tabs not yet made.
            edits: self.edits + u64::from(edited),
            loads: self.loads + u64::from(loaded),
            other_tab: if about_other_tab {
                st.other_tab.clone()
            } else {
                self.other_tab.clone()
            },
            ..st
        })
    }
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
            Action::SetSide(i, side) => set(st.scenario.positions.get_mut(i), |p| p.side = side),
            Action::SetMode(i, mode) => {
                set(st.scenario.positions.get_mut(i), |p| p.margin_mode = mode)
            }
            Action::SetMarket(i, market) => {
                st.ensure_market(&market);
                set(st.scenario.positions.get_mut(i), |p| p.market = market);
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
                st.scenario.positions.push(Position {
                    id: None,
                    market,
                    side: Side::Long,
                    qty: Num(Decimal::ONE),
                    entry_price: entry,
                    margin_mode: MarginMode::Cross,
                    leverage: Some(Num(Decimal::TEN)),
                    isolated_margin: None,
                });
                st.selected = st.scenario.positions.len() - 1;
                // The new position is last: it is drawn, so all before it are.
                st.positions_shown = st.positions_shown.max(st.scenario.positions.len());
            }
            Action::DuplicatePosition(i) => {
                if let Some(p) = st.scenario.positions.get(i).cloned() {
                    // A copy on the same market needs hedge mode or another market;
                    // keep it, and let the engine say what to change.
                    st.scenario
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
                    st.scenario.positions.remove(i);
                    st.forget_rows("positions[");
                    st.positions_kept.clear();
                    st.selected = st
                        .selected
                        .min(st.scenario.positions.len().saturating_sub(1));
                }
            }
            Action::AddCollateral(asset) => {
                st.ensure_asset(&asset);
                st.scenario.collateral.push(Collateral {
                    asset,
                    qty: Num(Decimal::ONE),
                    value_ratio_tiers: Vec::new(),
                });
            }
            Action::RemoveCollateral(i) => {
                if i < st.scenario.collateral.len() {
                    st.scenario.collateral.remove(i);
                    st.forget_rows("collateral[");
                }
            }
            Action::AddTier(m) => {
                if let Some(market) = st.scenario.markets.get_mut(&m) {
                    mark_edited(market);
                    add_tier(market);
                }
            }
            Action::RemoveTier(m, j) => {
                if let Some(market) = st.scenario.markets.get_mut(&m) {
                    mark_edited(market);
                    remove_tier(market, j);
                }
                st.forget_rows(&format!("markets.{m}.tiers["));
            }
            Action::SetPrice(asset, text) => {
                let path = format!("prices.{asset}");
                match parse_decimal(&text) {
                    Some(p) if p > Decimal::ZERO => {
                        st.invalid.remove(&path);
                        st.scenario.prices.insert(asset, Num(p));
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
                    let factor =
                        plus(Decimal::ONE, pct / Decimal::ONE_HUNDRED).unwrap_or(Decimal::ONE);
                    for (asset, reference) in &st.reference {
                        if let Some(p) = times(*reference, factor) {
                            st.scenario.prices.insert(asset.clone(), Num(p));
                        }
                    }
                    st.invalid.retain(|path, _| !path.starts_with("prices."));
                }
            }
            Action::ResetToMark => {
                for (asset, reference) in &st.reference {
                    st.scenario.prices.insert(asset.clone(), Num(*reference));
                }
                st.market_move = Decimal::ZERO;
                st.invalid.retain(|path, _| !path.starts_with("prices."));
            }
            Action::ResetToEntry => {
                let markets = &st.scenario.markets;
                let mut entries: BTreeMap<String, Num> = BTreeMap::new();
                for p in &st.scenario.positions {
                    if let Some(m) = markets.get(&p.market) {
                        entries.entry(m.asset.clone()).or_insert(p.entry_price);
                    }
                }
                st.scenario.prices.extend(entries);
                st.invalid.retain(|path, _| !path.starts_with("prices."));
            }
            Action::Select(i) => st.selected = i,
            Action::Load(s, what) => {
                let previous = Rc::new(st.to_shared());
                st = State::new(s);
                st.previous = Some(previous);
                st.notice = Some(Notice {
                    text: format!("Opened {what}."),
                    problem: false,
                    undo: true,
                });
            }
            Action::ImportFailed(message) => {
                st.notice = Some(Notice {
                    text: format!(
                        "Could not import that file: {message}. Your scenario is unchanged."
                    ),
                    problem: true,
                    undo: false,
                });
            }
            Action::Undo => {
                if let Some(previous) = st.previous.take() {
                    st = State::from_shared((*previous).clone());
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
                st.other_tab = Shared::from_json(&text)
                    .ok()
                    .filter(|other| other.scenario != st.scenario)
                    .map(Rc::new);
            }
            Action::TakeOtherTab => {
                if let Some(other) = st.other_tab.take() {
                    let previous = Rc::new(st.to_shared());
                    st = State::from_shared((*other).clone());
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
