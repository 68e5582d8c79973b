//! The portfolio editor: wallet, positions and collateral. Every field shows
//! the engine's message for its path right beside it; a bad value changes
//! nothing else.

use super::field::{FieldText, NumberField};
use super::hooks::on_click;
use super::state::{message_for, Action, Field, Typed, POSITIONS_SHOWN};
use crate::engine::scenario::{MarginMode, Scenario, Side};
use crate::engine::Error;
use crate::presets;
use std::collections::BTreeSet;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The scenario as of its last change but a price's: the editor shows
    /// no price, so a drag leaves it as it is.
    pub portfolio: Rc<Scenario>,
    pub typed: Typed,
    pub problems: Rc<Vec<Error>>,
    /// How many positions, from the first, are drawn (`State::positions_shown`).
    pub positions_shown: usize,
    /// Positions past those drawn that stay drawn (`State::positions_kept`).
    pub positions_kept: BTreeSet<usize>,
    pub selected: usize,
    pub on_action: Callback<Action>,
}

/// Above this many markets, a position's market is typed (with suggestions
/// from one shared list) instead of chosen from a list per position, which
/// would grow with the square of the portfolio.
const MARKET_MENU_MAX: usize = 24;

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
    pub qty: FieldText,
    pub entry: FieldText,
    pub leverage: FieldText,
    pub isolated_margin: FieldText,
    /// The message about the position as a whole (its market or id).
    pub problem: Option<AttrValue>,
    /// The message about its margin mode (an asset without portfolio
    /// parameters; cross and portfolio sharing a wallet).
    pub mode_problem: Option<AttrValue>,
    /// Where its market's tiers come from.
    pub source: Option<AttrValue>,
    pub selected: bool,
    pub on_action: Callback<Action>,
}

#[component]
pub fn PositionEditor(p: &PositionProps) -> Html {
    let i = p.index;
    let act = |make: fn(usize) -> Action| on_click(&p.on_action, make(i));
    // A menu's new value (or the market's, typed once there are many
    // markets), as the action it asks for.
    let on_change = |make: fn(usize, String) -> Action| {
        p.on_action.reform(move |e: Event| {
            let value = match e.target_dyn_into::<HtmlSelectElement>() {
                Some(sel) => sel.value(),
                None => e.target_unchecked_into::<HtmlInputElement>().value(),
            };
            make(i, value)
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
        let mode = match v.as_str() {
            "isolated" => MarginMode::Isolated,
            "portfolio" => MarginMode::Portfolio,
            _ => MarginMode::Cross,
        };
        Action::SetMode(i, mode)
    });
    let number = |label: &'static str,
                  field: Field,
                  shown: &FieldText,
                  placeholder: &'static str| {
        html! {
            <NumberField {label} {field} shown={shown.clone()} on_action={p.on_action.clone()} {placeholder} />
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
                    <option value="portfolio" selected={p.mode == MarginMode::Portfolio}>{ "Portfolio" }</option>
                </select>
                if let Some(m) = &p.mode_problem { <span class="field-error" role="status">{ m.clone() }</span> }
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

/// By position: whether a message is about it (the engine's, or a typed
/// text's that does not parse).
fn with_problems(typed: &Typed, problems: &[Error], n: usize) -> Vec<bool> {
    let mut flagged = vec![false; n];
    let paths = problems.iter().map(|e| e.path.as_str());
    for path in paths.chain(typed.keys().map(String::as_str)) {
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

#[component]
pub fn Editor(p: &EditorProps) -> Html {
    let s = &*p.portfolio;
    let on = &p.on_action;
    let add = on_click(on, Action::AddPosition);
    let mut market_ids: Vec<String> = s.markets.keys().cloned().collect();
    for (id, _) in presets::MARKETS {
        if !market_ids.iter().any(|m| m == id) {
            market_ids.push(id.to_string());
        }
    }
    let n = s.positions.len();
    let shown = p.positions_shown.min(n);
    // Past the first few, a position is drawn when it has a problem (every
    // message stays beside its field), and stays drawn once edited.
    let flagged = if shown < n {
        with_problems(&p.typed, &p.problems, n)
    } else {
        Vec::new()
    };
    let drawn = |i: usize| {
        i < shown || flagged.get(i).copied().unwrap_or(false) || p.positions_kept.contains(&i)
    };
    let hidden = (shown..n).filter(|&i| !drawn(i)).count();
    let toggle = on_click(on, Action::ShowAllPositions(shown < n));
    let menu: Option<Rc<[String]>> =
        (market_ids.len() <= MARKET_MENU_MAX).then(|| market_ids.as_slice().into());
    let text = |field: Field| FieldText::of(s, &p.typed, &p.problems, &field);
    let message = |path: &str| message_for(&p.typed, &p.problems, path);
    html! {
        <section class="editor" aria-labelledby="editor-title">
            <h2 id="editor-title">{ "Portfolio" }</h2>
            if market_ids.len() > MARKET_MENU_MAX {
                <datalist id="market-ids">
                    { for market_ids.iter().map(|m| html! { <option value={m.clone()} /> }) }
                </datalist>
            }
            <div class="wallets">
                { for s.wallet_currencies().into_iter().map(|c| html! {
                    <NumberField label={format!("Wallet ({c})")} field={Field::Wallet(c.to_string())}
                        shown={text(Field::Wallet(c.to_string()))} on_action={on.clone()} />
                }) }
            </div>
            <div class="positions">
                { for s.positions.iter().enumerate().filter(|&(i, _)| drawn(i)).map(|(i, pos)| {
                    let problem = message(&format!("positions[{i}].market"))
                        .or_else(|| message(&format!("positions[{i}].id")))
                        .or_else(|| message(&format!("positions[{i}]")));
                    let source = s.markets.get(&pos.market).and_then(|m| m.source.clone());
                    html! {
                        <PositionEditor key={format!("pos-{i}")} index={i} id={s.position_id(i)}
                            market={pos.market.clone()} side={pos.side} mode={pos.margin_mode} menu={menu.clone()}
                            qty={text(Field::Qty(i))} entry={text(Field::Entry(i))}
                            leverage={text(Field::Leverage(i))} isolated_margin={text(Field::IsolatedMargin(i))}
                            problem={problem.map(AttrValue::from)}
                            mode_problem={message(&format!("positions[{i}].margin_mode")).map(AttrValue::from)} source={source.map(AttrValue::from)}
                            selected={p.selected == i} on_action={on.clone()} />
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
            <super::tiers::TierTables portfolio={p.portfolio.clone()} typed={p.typed.clone()} problems={p.problems.clone()} on_action={on.clone()} />
            <super::portfolio_params::PortfolioParams portfolio={p.portfolio.clone()} typed={p.typed.clone()} problems={p.problems.clone()} on_action={on.clone()} />
            <h3 class="collateral-title">{ "Collateral" }</h3>
            <p class="hint">{ format!("Assets held beside the {} wallet, counted toward the cross pool at their value ratios; their price moves with the asset's slider.", s.quote) }</p>
            { for s.collateral.iter().enumerate().map(|(i, c)| {
                let del = on_click(on, Action::RemoveCollateral(i));
                let asset_problem = message(&format!("collateral[{i}].asset"));
                html! {
                    <div class="collateral-row" key={format!("col-{i}")}>
                        <NumberField label={format!("{} held", c.asset)} field={Field::CollateralQty(i)}
                            shown={text(Field::CollateralQty(i))} on_action={on.clone()} />
                        <button type="button" onclick={del} aria-label={format!("Remove {} collateral", c.asset)}>{ "Remove" }</button>
                        if let Some(m) = asset_problem { <span class="field-error" role="status">{ m }</span> }
                    </div>
                }
            }) }
            <div class="row-actions">
                { for presets::PRICES.iter().map(|(asset, _)| {
                    let add = on_click(on, Action::AddCollateral(asset.to_string()));
                    html! { <button type="button" onclick={add}>{ format!("+ {asset} collateral") }</button> }
                }) }
            </div>
        </section>
    }
}
