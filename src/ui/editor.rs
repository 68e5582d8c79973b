//! The portfolio editor: wallet, positions and collateral. Every field shows
//! the engine's message for its path right beside it; a bad value changes
//! nothing else.

use super::state::{Action, Field, State};
use crate::engine::scenario::{MarginMode, Side};
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

#[derive(Properties, PartialEq)]
pub struct NumberProps {
    pub label: AttrValue,
    pub field: Field,
    pub state: UseReducerHandle<State>,
    pub problems: Rc<Vec<Error>>,
    #[prop_or_default]
    pub placeholder: AttrValue,
}

/// A number box with its label and, beside it, the message for its path.
#[function_component(NumberField)]
pub fn number_field(p: &NumberProps) -> Html {
    let path = p.field.path();
    let id = format!("f-{}", path.replace(['[', ']', '.'], "-"));
    let message = message_for(&p.state, &p.problems, &path);
    let oninput = {
        let (state, field) = (p.state.clone(), p.field.clone());
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            state.dispatch(Action::Type(field.clone(), input.value()));
        })
    };
    let error_id = format!("{id}-error");
    html! {
        <div class={classes!("field", message.is_some().then_some("invalid"))}>
            <label for={id.clone()}>{ p.label.clone() }</label>
            <input id={id} type="text" inputmode="decimal" autocomplete="off" value={p.state.text(&p.field)}
                placeholder={p.placeholder.clone()} {oninput}
                aria-invalid={message.is_some().to_string()} aria-describedby={error_id.clone()} />
            <span class="field-error" id={error_id} role="status">{ message.unwrap_or_default() }</span>
        </div>
    }
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
                        state={st.clone()} problems={p.problems.clone()} />
                }) }
            </div>
            <div class="positions">
                { for s.positions.iter().enumerate().map(|(i, pos)| {
                    let pos_problem = message_for(st, &p.problems, &format!("positions[{i}].market"))
                        .or_else(|| message_for(st, &p.problems, &format!("positions[{i}].id")))
                        .or_else(|| message_for(st, &p.problems, &format!("positions[{i}]")));
                    let on_market = { let st = st.clone(); Callback::from(move |e: Event| {
                        // A <select>, or a text box once there are many markets.
                        let value = match e.target_dyn_into::<HtmlSelectElement>() {
                            Some(sel) => sel.value(),
                            None => e.target_unchecked_into::<HtmlInputElement>().value(),
                        };
                        st.dispatch(Action::SetMarket(i, value));
                    })};
                    let on_side = { let st = st.clone(); Callback::from(move |e: Event| {
                        let sel: HtmlSelectElement = e.target_unchecked_into();
                        st.dispatch(Action::SetSide(i, if sel.value() == "short" { Side::Short } else { Side::Long }));
                    })};
                    let on_mode = { let st = st.clone(); Callback::from(move |e: Event| {
                        let sel: HtmlSelectElement = e.target_unchecked_into();
                        st.dispatch(Action::SetMode(i, if sel.value() == "isolated" { MarginMode::Isolated } else { MarginMode::Cross }));
                    })};
                    let dup = { let st = st.clone(); Callback::from(move |_| st.dispatch(Action::DuplicatePosition(i))) };
                    let del = { let st = st.clone(); Callback::from(move |_| st.dispatch(Action::RemovePosition(i))) };
                    let select = { let st = st.clone(); Callback::from(move |_| st.dispatch(Action::Select(i))) };
                    let selected = st.selected == i;
                    let id = s.position_id(i);
                    html! {
                        <fieldset class="position" key={format!("pos-{i}")}>
                            <legend>{ format!("Position {}: {id}", i + 1) }</legend>
                            <div class="field">
                                <label for={format!("market-{i}")}>{ "Market" }</label>
                                if market_ids.len() <= MARKET_MENU_MAX {
                                    <select id={format!("market-{i}")} onchange={on_market}>
                                        { for market_ids.iter().map(|m| html! {
                                            <option value={m.clone()} selected={*m == pos.market}>{ m.clone() }</option>
                                        }) }
                                    </select>
                                } else {
                                    <input id={format!("market-{i}")} list="market-ids" value={pos.market.clone()} onchange={on_market} autocomplete="off" />
                                }
                            </div>
                            <div class="field">
                                <label for={format!("side-{i}")}>{ "Side" }</label>
                                <select id={format!("side-{i}")} onchange={on_side}>
                                    <option value="long" selected={pos.side == Side::Long}>{ "Long" }</option>
                                    <option value="short" selected={pos.side == Side::Short}>{ "Short" }</option>
                                </select>
                            </div>
                            <NumberField label="Size (contracts)" field={Field::Qty(i)} state={st.clone()} problems={p.problems.clone()} />
                            <NumberField label="Entry price" field={Field::Entry(i)} state={st.clone()} problems={p.problems.clone()} />
                            <NumberField label="Leverage" field={Field::Leverage(i)} state={st.clone()} problems={p.problems.clone()} placeholder="tier max" />
                            <div class="field">
                                <label for={format!("mode-{i}")}>{ "Margin" }</label>
                                <select id={format!("mode-{i}")} onchange={on_mode}>
                                    <option value="cross" selected={pos.margin_mode == MarginMode::Cross}>{ "Cross" }</option>
                                    <option value="isolated" selected={pos.margin_mode == MarginMode::Isolated}>{ "Isolated" }</option>
                                </select>
                            </div>
                            <NumberField label="Isolated margin" field={Field::IsolatedMargin(i)} state={st.clone()} problems={p.problems.clone()} placeholder="initial margin" />
                            <div class="row-actions">
                                <button type="button" onclick={dup}>{ "Duplicate" }</button>
                                <button type="button" onclick={del}>{ "Remove" }</button>
                                <button type="button" onclick={select} aria-pressed={selected.to_string()}>{ "Chart this" }</button>
                            </div>
                            if let Some(source) = s.markets.get(&pos.market).and_then(|m| m.source.clone()) {
                                <p class="hint source">{ format!("{} tiers: {source}", pos.market) }</p>
                            }
                            if let Some(m) = pos_problem { <p class="field-error" role="status">{ m }</p> }
                        </fieldset>
                    }
                }) }
            </div>
            <button type="button" class="add" onclick={add}>{ "Add a position" }</button>
            <super::tiers::TierTables state={st.clone()} problems={p.problems.clone()} />
            <h3 class="collateral-title">{ "Collateral" }</h3>
            <p class="hint">{ format!("Assets held beside the {} wallet, counted toward the cross pool at their value ratios; their price moves with the asset's slider.", s.quote) }</p>
            { for s.collateral.iter().enumerate().map(|(i, c)| {
                let del = { let st = st.clone(); Callback::from(move |_| st.dispatch(Action::RemoveCollateral(i))) };
                let asset_problem = message_for(st, &p.problems, &format!("collateral[{i}].asset"));
                html! {
                    <div class="collateral-row" key={format!("col-{i}")}>
                        <NumberField label={format!("{} held", c.asset)} field={Field::CollateralQty(i)} state={st.clone()} problems={p.problems.clone()} />
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
