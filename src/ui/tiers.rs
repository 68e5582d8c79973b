//! Each market's maintenance tier table, editable: the presets are examples,
//! and a teacher or trader may want a venue's current table, or a made-up one
//! that shows a point. The engine checks the table (contiguous, ascending,
//! rates below 1) and its messages appear beside the cell at fault. Under
//! the tiers, the market's fees and funding.

use super::field::{FieldText, NumberField};
use super::glossary::{Term, TermLabel};
use super::hooks::{on_click, on_toggle};
use super::state::{message_for, Action, CostCol, Field, TierCol, Typed};
use crate::engine::scenario::{FundingPrice, IsolatedMarginRule, Market};
use crate::engine::{Error, Scenario};
use std::collections::BTreeSet;
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TierTablesProps {
    pub portfolio: Rc<Scenario>,
    pub typed: Typed,
    pub problems: Rc<Vec<Error>>,
    pub on_action: Callback<Action>,
}

#[component]
pub fn TierTables(p: &TierTablesProps) -> Html {
    // A closed table is not drawn: a portfolio of hundreds of markets would
    // otherwise carry thousands of hidden fields.
    let open = use_state(BTreeSet::<String>::new);
    let s = &*p.portfolio;
    let on = &p.on_action;
    // Only the markets in use: a table nobody trades on explains nothing.
    let used = s
        .markets
        .iter()
        .filter(|(id, _)| s.positions.iter().any(|pos| &pos.market == *id));
    html! {
        <div class="tier-tables">
            <h3 class="collateral-title"><TermLabel term={Term::MaintenanceTier} label="Maintenance tiers" /></h3>
            { for used.map(|(id, market)| {
                let unit = market.settles_in(&s.quote);
                let table_problem = message_for(&p.typed, &p.problems, &format!("markets.{id}.tiers"));
                let is_open = open.contains(id);
                let ontoggle = {
                    let (open, id) = (open.clone(), id.clone());
                    on_toggle(move |is_open| {
                        let mut set = (*open).clone();
                        if is_open { set.insert(id.clone()); } else { set.remove(&id); }
                        open.set(set);
                    })
                };
                html! {
                    <details class="tiers" key={id.clone()} open={is_open} {ontoggle}>
                        <summary>{ format!("{id}: {} tiers (notional in {unit}){}", market.tiers.len(),
                            if market.fees.is_some() || market.funding.is_some() { ", fees and funding" } else { "" }) }</summary>
                        if is_open {
                        { for market.tiers.iter().enumerate().map(|(j, t)| {
                            let field = |c: TierCol| Field::Tier(id.clone(), j, c);
                            let text = |c: TierCol| FieldText::of(s, &p.typed, &p.problems, &field(c));
                            let rate = super::format::percent_with(t.mmr.0, 3);
                            html! {
                                <fieldset class="tier" key={format!("{id}-{j}")}>
                                    <legend>{ format!("Tier {}: {rate}", j + 1) }</legend>
                                    <NumberField label="From notional" field={field(TierCol::Floor)} shown={text(TierCol::Floor)} on_action={on.clone()} />
                                    <NumberField label="To notional" field={field(TierCol::Cap)} shown={text(TierCol::Cap)} on_action={on.clone()} placeholder="no cap" />
                                    <NumberField label="MM rate (0.005 = 0.5 %)" field={field(TierCol::Mmr)} shown={text(TierCol::Mmr)} on_action={on.clone()} />
                                    <NumberField label="Max leverage" field={field(TierCol::MaxLeverage)} shown={text(TierCol::MaxLeverage)} on_action={on.clone()} placeholder="none" />
                                    if market.tiers.len() > 1 {
                                        <button type="button" onclick={on_click(on, Action::RemoveTier(id.clone(), j))} aria-label={format!("Remove tier {} of {id}", j + 1)}>{ "Remove" }</button>
                                    }
                                </fieldset>
                            }
                        }) }
                        <button type="button" onclick={on_click(on, Action::AddTier(id.clone()))}>{ "Add a tier" }</button>
                        { costs_fields(id, market, s, p) }
                        }
                        if let Some(m) = table_problem { <p class="field-error" role="status">{ m }</p> }
                    </details>
                }
            }) }
        </div>
    }
}

/// A market's fees and funding: what holding its positions costs.
fn costs_fields(id: &str, market: &Market, s: &Scenario, p: &TierTablesProps) -> Html {
    let on = &p.on_action;
    let field = |c: CostCol| Field::Cost(id.to_string(), c);
    let text = |c: CostCol| FieldText::of(s, &p.typed, &p.problems, &field(c));
    let price = market.funding.as_ref().map(|f| f.price);
    let on_price = {
        let id = id.to_string();
        on.reform(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            let price = if sel.value() == "index" {
                FundingPrice::Index
            } else {
                FundingPrice::Mark
            };
            Action::SetFundingPrice(id.clone(), price)
        })
    };
    let on_rule = {
        let id = id.to_string();
        on.reform(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            let rule = if sel.value() == "close-fee" {
                IsolatedMarginRule::InitialMarginAndCloseFee
            } else {
                IsolatedMarginRule::InitialMargin
            };
            Action::SetIsolatedRule(id.clone(), rule)
        })
    };
    let rule_close_fee =
        market.isolated_margin_rule == IsolatedMarginRule::InitialMarginAndCloseFee;
    html! {
        <fieldset class="tier costs" key={format!("{id}-costs")}>
            <legend>{ "Fees and funding" }</legend>
            <NumberField label="Maker fee (0.0002 = 0.02 %)" field={field(CostCol::Maker)} shown={text(CostCol::Maker)} on_action={on.clone()} placeholder="none" />
            <NumberField label="Taker fee (0.0005 = 0.05 %)" field={field(CostCol::Taker)} shown={text(CostCol::Taker)} on_action={on.clone()} placeholder="none" />
            <NumberField label="Funding rate per interval (0.0001 = 0.01 %)" field={field(CostCol::FundingRate)} shown={text(CostCol::FundingRate)} on_action={on.clone()} placeholder="none" />
            if let Some(price) = price {
                <NumberField label="Funding every (hours)" field={field(CostCol::FundingHours)} shown={text(CostCol::FundingHours)} on_action={on.clone()} />
                <label class="select-field">{ "Funding charged on " }
                    <select onchange={on_price} aria-label={format!("{id}: funding charged on")}>
                        <option value="mark" selected={price == FundingPrice::Mark}>{ "the mark (Binance, Bybit, OKX)" }</option>
                        <option value="index" selected={price == FundingPrice::Index}>{ "the index or oracle (Hyperliquid)" }</option>
                    </select>
                </label>
            }
            <label class="select-field">{ "Isolated margin " }
                <select onchange={on_rule} aria-label={format!("{id}: isolated margin")}>
                    <option value="initial" selected={!rule_close_fee}>{ "the initial margin" }</option>
                    <option value="close-fee" selected={rule_close_fee}>{ "plus the fee to close at bankruptcy (Bybit)" }</option>
                </select>
            </label>
        </fieldset>
    }
}
