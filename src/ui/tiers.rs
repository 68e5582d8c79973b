//! Each market's maintenance tier table, editable: the presets are examples,
//! and a teacher or trader may want a venue's current table, or a made-up one
//! that shows a point. The engine checks the table (contiguous, ascending,
//! rates below 1) and its messages appear beside the cell at fault.

use super::editor::{message_for, NumberField, Shown};
use super::glossary::Term;
use super::state::{Action, Field, State, TierCol};
use crate::engine::Error;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TierTablesProps {
    pub state: UseReducerHandle<State>,
    pub problems: Rc<Vec<Error>>,
}

#[function_component(TierTables)]
pub fn tier_tables(p: &TierTablesProps) -> Html {
    let st = &p.state;
    let s = &st.scenario;
    // A closed table is not drawn: a portfolio of hundreds of markets would
    // otherwise carry thousands of hidden fields.
    let open = use_state(std::collections::BTreeSet::<String>::new);
    // Only the markets in use: a table nobody trades on explains nothing.
    let used: Vec<&String> = s
        .markets
        .keys()
        .filter(|id| s.positions.iter().any(|pos| &pos.market == *id))
        .collect();
    html! {
        <div class="tier-tables">
            <h3 class="collateral-title"><Term term="Maintenance tier" label="Maintenance tiers" /></h3>
            { for used.into_iter().map(|id| {
                let Some(market) = s.markets.get(id) else { return html! {} };
                let unit = if market.settlement == crate::engine::scenario::Settlement::Inverse { market.asset.clone() } else { s.quote.clone() };
                let add = { let (st, id) = (st.clone(), id.clone()); Callback::from(move |_| st.dispatch(Action::AddTier(id.clone()))) };
                let table_problem = message_for(st, &p.problems, &format!("markets.{id}.tiers"));
                let is_open = open.contains(id);
                let ontoggle = { let (open, id) = (open.clone(), id.clone()); super::on_toggle(move |is_open| {
                    let mut set = (*open).clone();
                    if is_open { set.insert(id.clone()); } else { set.remove(&id); }
                    open.set(set);
                })};
                html! {
                    <details class="tiers" key={id.clone()} open={is_open} {ontoggle}>
                        <summary>{ format!("{id}: {} tiers (notional in {unit})", market.tiers.len()) }</summary>
                        if is_open {
                        { for market.tiers.iter().enumerate().map(|(j, t)| {
                            let field = |c: TierCol| Field::Tier(id.clone(), j, c);
                            let shown = |c: TierCol| Shown::of(st, &p.problems, &field(c));
                            let del = { let (st, id) = (st.clone(), id.clone()); Callback::from(move |_| st.dispatch(Action::RemoveTier(id.clone(), j))) };
                            let rate = super::format::percent_with(t.mmr.0, 3);
                            html! {
                                <fieldset class="tier" key={format!("{id}-{j}")}>
                                    <legend>{ format!("Tier {}: {rate}", j + 1) }</legend>
                                    <NumberField label="From notional" field={field(TierCol::Floor)} shown={shown(TierCol::Floor)} dispatch={st.dispatcher()} />
                                    <NumberField label="To notional" field={field(TierCol::Cap)} shown={shown(TierCol::Cap)} dispatch={st.dispatcher()} placeholder="no cap" />
                                    <NumberField label="MM rate (0.005 = 0.5 %)" field={field(TierCol::Mmr)} shown={shown(TierCol::Mmr)} dispatch={st.dispatcher()} />
                                    <NumberField label="Max leverage" field={field(TierCol::MaxLeverage)} shown={shown(TierCol::MaxLeverage)} dispatch={st.dispatcher()} placeholder="none" />
                                    if market.tiers.len() > 1 {
                                        <button type="button" onclick={del} aria-label={format!("Remove tier {} of {id}", j + 1)}>{ "Remove" }</button>
                                    }
                                </fieldset>
                            }
                        }) }
                        <button type="button" onclick={add}>{ "Add a tier" }</button>
                        }
                        if let Some(m) = table_problem { <p class="field-error" role="status">{ m }</p> }
                    </details>
                }
            }) }
        </div>
    }
}
