//! The portfolio editor: wallet, positions and collateral. Every field shows
//! the engine's message for its path right beside it; a bad value changes
//! nothing else.

use super::state::{Action, Field, State, POSITIONS_SHOWN};
use crate::engine::scenario::{MarginMode, Scenario, Side};
use crate::engine::Error;
use crate::presets;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties)]
pub struct EditorProps {
    pub state: UseReducerHandle<State>,
    pub problems: Rc<Vec<Error>>,
    /// `State::edits` when drawn (a reducer handle always reads the latest
    /// state, so it cannot tell two renders apart).
    pub edits: u64,
}

/// Equal while nothing the editor shows has changed: a price move (every
/// tick of a drag) leaves it as it is.
impl PartialEq for EditorProps {
    fn eq(&self, other: &Self) -> bool {
        self.edits == other.edits && self.problems == other.problems
    }
}

/// Above this many markets, a position's market is typed (with suggestions
/// from one shared list) instead of chosen from a list per position, which
/// would grow with the square of the portfolio.
const MARKET_MENU_MAX: usize = 24;

/// The message for a path: the typed text's, else the engine's.
pub fn message_for(state: &State, problems: &[Error], path: &str) -> Option<String> {
    if let Some((_, m)) = state.invalid.get(path) {
        return Some(m.clone());
    }
    problems
        .iter()
        .find(|e| e.path == path)
        .map(|e| e.message.clone())
}

/// What a number box shows: its text (as typed, while it does not parse)
/// and the message beside it. The parent works these out, so that a box is
/// drawn again when they change, not whenever anything in the state does:
/// with hundreds of positions, every keystroke used to redraw every box.
#[derive(Clone, PartialEq)]
pub struct Shown {
    pub text: AttrValue,
    pub message: Option<AttrValue>,
}

impl Shown {
    pub fn of(state: &State, problems: &[Error], field: &Field) -> Shown {
        Shown {
            text: state.text(field).into(),
            message: message_for(state, problems, &field.path()).map(AttrValue::from),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct NumberProps {
    pub label: AttrValue,
    pub field: Field,
    pub shown: Shown,
    pub dispatch: UseReducerDispatcher<State>,
    #[prop_or_default]
    pub placeholder: AttrValue,
}

/// A number box with its label and, beside it, the message for its path.
#[function_component(NumberField)]
pub fn number_field(p: &NumberProps) -> Html {
    let id = format!("f-{}", p.field.path().replace(['[', ']', '.'], "-"));
    let message = p.shown.message.clone();
    let oninput = {
        let (dispatch, field) = (p.dispatch.clone(), p.field.clone());
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            dispatch.dispatch(Action::Type(field.clone(), input.value()));
        })
    };
    let error_id = format!("{id}-error");
    html! {
        <div class={classes!("field", message.is_some().then_some("invalid"))}>
            <label for={id.clone()}>{ p.label.clone() }</label>
            <input id={id} type="text" inputmode="decimal" autocomplete="off" value={p.shown.text.clone()}
                placeholder={p.placeholder.clone()} {oninput}
                aria-invalid={message.is_some().to_string()} aria-describedby={error_id.clone()} />
            <span class="field-error" id={error_id} role="status">{ message.unwrap_or_default() }</span>
        </div>
    }
}

/// One position's fields, with everything they show as props: a keystroke
/// in one position redraws that position alone.
#[derive(Properties, PartialEq)]
pub struct PositionProps {
    pub index: usize,
    /// The position's id, as the legend gives it.
    pub id: AttrValue,
    pub market: AttrValue,
    pub side: Side,
    pub mode: MarginMode,
    /// The markets to choose from; `None`: typed, with the shared suggestions.
    pub menu: Option<Rc<[String]>>,
    pub qty: Shown,
    pub entry: Shown,
    pub leverage: Shown,
    pub isolated_margin: Shown,
    /// The message about the position as a whole (its market or id).
    pub problem: Option<AttrValue>,
    /// Where its market's tiers come from.
    pub source: Option<AttrValue>,
    pub selected: bool,
    pub dispatch: UseReducerDispatcher<State>,
}

#[function_component(PositionEditor)]
pub fn position_editor(p: &PositionProps) -> Html {
    let i = p.index;
    let act = |make: fn(usize) -> Action| {
        let d = p.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(make(i)))
    };
    // A menu's new value (or the market's, typed once there are many
    // markets), as the action it asks for.
    let on_change = |make: fn(usize, String) -> Action| {
        let d = p.dispatch.clone();
        Callback::from(move |e: Event| {
            let value = match e.target_dyn_into::<HtmlSelectElement>() {
                Some(sel) => sel.value(),
                None => e.target_unchecked_into::<HtmlInputElement>().value(),
            };
            d.dispatch(make(i, value));
        })
    };
    let on_market = on_change(Action::SetMarket);
    let on_side = on_change(|i, v| {
        Action::SetSide(
            i,
            if v == "short" {
                Side::Short
            } else {
                Side::Long
            },
        )
    });
    let on_mode = on_change(|i, v| {
        let mode = if v == "isolated" {
            MarginMode::Isolated
        } else {
            MarginMode::Cross
        };
        Action::SetMode(i, mode)
    });
    let number = |label: &'static str, field: Field, shown: &Shown, placeholder: &'static str| {
        html! {
            <NumberField {label} {field} shown={shown.clone()} dispatch={p.dispatch.clone()} {placeholder} />
        }
    };
    html! {
        <fieldset class="position">
            <legend>{ format!("Position {}: {}", i + 1, p.id) }</legend>
            <div class="field">
                <label for={format!("market-{i}")}>{ "Market" }</label>
                if let Some(menu) = &p.menu {
                    <select id={format!("market-{i}")} onchange={on_market}>
                        { for menu.iter().map(|m| html! {
                            <option value={m.clone()} selected={*m == *p.market}>{ m.clone() }</option>
                        }) }
                    </select>
                } else {
                    <input id={format!("market-{i}")} list="market-ids" value={p.market.clone()} onchange={on_market} autocomplete="off" />
                }
            </div>
            <div class="field">
                <label for={format!("side-{i}")}>{ "Side" }</label>
                <select id={format!("side-{i}")} onchange={on_side}>
                    <option value="long" selected={p.side == Side::Long}>{ "Long" }</option>
                    <option value="short" selected={p.side == Side::Short}>{ "Short" }</option>
                </select>
            </div>
            { number("Size (contracts)", Field::Qty(i), &p.qty, "") }
            { number("Entry price", Field::Entry(i), &p.entry, "") }
            { number("Leverage", Field::Leverage(i), &p.leverage, "tier max") }
            <div class="field">
                <label for={format!("mode-{i}")}>{ "Margin" }</label>
                <select id={format!("mode-{i}")} onchange={on_mode}>
                    <option value="cross" selected={p.mode == MarginMode::Cross}>{ "Cross" }</option>
                    <option value="isolated" selected={p.mode == MarginMode::Isolated}>{ "Isolated" }</option>
                </select>
            </div>
            { number("Isolated margin", Field::IsolatedMargin(i), &p.isolated_margin, "initial margin") }
            <div class="row-actions">
                <button type="button" onclick={act(Action::DuplicatePosition)}>{ "Duplicate" }</button>
                <button type="button" onclick={act(Action::RemovePosition)}>{ "Remove" }</button>
                <button type="button" onclick={act(Action::Select)} aria-pressed={p.selected.to_string()}>{ "Chart this" }</button>
            </div>
            if let Some(source) = &p.source {
                <p class="hint source">{ format!("{} tiers: {source}", p.market) }</p>
            }
            if let Some(m) = &p.problem { <p class="field-error" role="status">{ m.clone() }</p> }
        </fieldset>
    }
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

/// By position: whether a message is about it (the engine's, or a typed
/// text's that does not parse).
fn with_problems(st: &State, problems: &[Error], n: usize) -> Vec<bool> {
    let mut flagged = vec![false; n];
    let paths = problems.iter().map(|e| e.path.as_str());
    for path in paths.chain(st.invalid.keys().map(String::as_str)) {
        let index = path
            .strip_prefix("positions[")
            .and_then(|rest| rest.split(']').next())
            .and_then(|i| i.parse::<usize>().ok());
        if let Some(f) = index.and_then(|i| flagged.get_mut(i)) {
            *f = true;
        }
    }
    flagged
}

#[function_component(Editor)]
pub fn editor(p: &EditorProps) -> Html {
    let st = &p.state;
    let s = &st.scenario;
    let add = super::on_click(st, Action::AddPosition);
    let mut market_ids: Vec<String> = s.markets.keys().cloned().collect();
    for (id, _) in presets::MARKETS {
        if !market_ids.iter().any(|m| m == id) {
            market_ids.push(id.to_string());
        }
    }
    let mut currencies = vec![s.quote.clone()];
    for m in s.markets.values() {
        if m.settlement == crate::engine::scenario::Settlement::Inverse
            && !currencies.contains(&m.asset)
        {
            currencies.push(m.asset.clone());
        }
    }
    let dispatch = st.dispatcher();
    let n = s.positions.len();
    let shown = st.positions_shown.min(n);
    // Past the first few, a position is drawn when it has a problem (every
    // message stays beside its field), and stays drawn once edited.
    let flagged = if shown < n {
        with_problems(st, &p.problems, n)
    } else {
        Vec::new()
    };
    let drawn = |i: usize| {
        i < shown || flagged.get(i).copied().unwrap_or(false) || st.positions_kept.contains(&i)
    };
    let hidden = (shown..n).filter(|&i| !drawn(i)).count();
    let toggle = {
        let (d, all) = (dispatch.clone(), shown < n);
        Callback::from(move |_| d.dispatch(Action::ShowAllPositions(all)))
    };
    let menu: Option<Rc<[String]>> =
        (market_ids.len() <= MARKET_MENU_MAX).then(|| market_ids.as_slice().into());
    html! {
        <section class="editor" aria-labelledby="editor-title">
            <h2 id="editor-title">{ "Portfolio" }</h2>
            if market_ids.len() > MARKET_MENU_MAX {
                <datalist id="market-ids">
                    { for market_ids.iter().map(|m| html! { <option value={m.clone()} /> }) }
                </datalist>
            }
            <div class="wallets">
                { for currencies.iter().map(|c| html! {
                    <NumberField label={format!("Wallet ({c})")} field={Field::Wallet(c.clone())}
                        shown={Shown::of(st, &p.problems, &Field::Wallet(c.clone()))} dispatch={dispatch.clone()} />
                }) }
            </div>
            <div class="positions">
                { for s.positions.iter().enumerate().filter(|&(i, _)| drawn(i)).map(|(i, pos)| {
                    let shown = |field: Field| Shown::of(st, &p.problems, &field);
                    let problem = message_for(st, &p.problems, &format!("positions[{i}].market"))
                        .or_else(|| message_for(st, &p.problems, &format!("positions[{i}].id")))
                        .or_else(|| message_for(st, &p.problems, &format!("positions[{i}]")));
                    let source = s.markets.get(&pos.market).and_then(|m| m.source.clone());
                    html! {
                        <PositionEditor key={format!("pos-{i}")} index={i} id={s.position_id(i)}
                            market={pos.market.clone()} side={pos.side} mode={pos.margin_mode} menu={menu.clone()}
                            qty={shown(Field::Qty(i))} entry={shown(Field::Entry(i))}
                            leverage={shown(Field::Leverage(i))} isolated_margin={shown(Field::IsolatedMargin(i))}
                            problem={problem.map(AttrValue::from)} source={source.map(AttrValue::from)}
                            selected={st.selected == i} dispatch={dispatch.clone()} />
                    }
                }) }
            </div>
            if n > POSITIONS_SHOWN {
                <p class="more">
                    if hidden > 0 {
                        { format!("{hidden} more {} not shown. ", if hidden == 1 { "position" } else { "positions" }) }
                    }
                    <button type="button" class="show-all" onclick={toggle} aria-expanded={(shown == n).to_string()}>
                        { if shown < n { "Show all" } else { "Show fewer" } }
                    </button>
                </p>
            }
            <button type="button" class="add" onclick={add}>{ "Add a position" }</button>
            <super::tiers::TierTables state={st.clone()} problems={p.problems.clone()} />
            <h3 class="collateral-title">{ "Collateral" }</h3>
            <p class="hint">{ format!("Assets held beside the {} wallet, counted toward the cross pool at their value ratios; their price moves with the asset's slider.", s.quote) }</p>
            { for s.collateral.iter().enumerate().map(|(i, c)| {
                let del = { let st = st.clone(); Callback::from(move |_| st.dispatch(Action::RemoveCollateral(i))) };
                let asset_problem = message_for(st, &p.problems, &format!("collateral[{i}].asset"));
                html! {
                    <div class="collateral-row" key={format!("col-{i}")}>
                        <NumberField label={format!("{} held", c.asset)} field={Field::CollateralQty(i)}
                            shown={Shown::of(st, &p.problems, &Field::CollateralQty(i))} dispatch={dispatch.clone()} />
                        <button type="button" onclick={del} aria-label={format!("Remove {} collateral", c.asset)}>{ "Remove" }</button>
                        if let Some(m) = asset_problem { <span class="field-error" role="status">{ m }</span> }
                    </div>
                }
            }) }
            <div class="row-actions">
                { for presets::PRICES.iter().map(|(asset, _)| {
                    let on = { let st = st.clone(); Callback::from(move |_| st.dispatch(Action::AddCollateral(asset.to_string()))) };
                    html! { <button type="button" onclick={on}>{ format!("+ {asset} collateral") }</button> }
                }) }
            </div>
        </section>
    }
}
