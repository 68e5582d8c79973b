//! Each traded asset's portfolio margin parameters, editable, and the
//! published sets to start from: the sets are dated examples, and a teacher
//! or trader may want a venue's current ones, or made-up ones that show a
//! point. The engine checks them, and its messages appear beside the field.

use super::field::{FieldText, NumberField};
use super::glossary::{Term, TermLabel};
use super::hooks::on_click;
use super::state::{message_for, Action, Field, PortfolioCol, Typed};
use crate::engine::{Error, Scenario};
use crate::presets::PORTFOLIO_SETS;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PortfolioParamsProps {
    pub portfolio: Rc<Scenario>,
    pub typed: Typed,
    pub problems: Rc<Vec<Error>>,
    pub on_action: Callback<Action>,
}

/// The assets the book trades, once each, in the order first traded.
fn traded(s: &Scenario) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for asset in s.positions.iter().filter_map(|p| s.asset_of(p)) {
        if !out.contains(&asset) {
            out.push(asset);
        }
    }
    out
}

#[component]
pub fn PortfolioParams(p: &PortfolioParamsProps) -> Html {
    let s = &*p.portfolio;
    let on = &p.on_action;
    let assets = traded(s);
    if assets.is_empty() {
        return html! {};
    }
    let missing: Vec<&str> = assets
        .iter()
        .copied()
        .filter(|a| !s.portfolio_margin.contains_key(*a))
        .collect();
    html! {
        <details class="portfolio-params" open={!missing.is_empty()}>
            <summary>
                { "Portfolio margin parameters" }
                { if missing.is_empty() { String::new() } else { format!(": none yet for {}", missing.join(", ")) } }
            </summary>
            <p class="hint"><TermLabel term={Term::PortfolioMargin} />{ ": start from a published set (for every asset traded), then change any value." }</p>
            <div class="row-actions sets">
                { for PORTFOLIO_SETS.iter().map(|set| html! {
                    <button type="button" onclick={on_click(on, Action::UsePortfolioSet(set.id.to_string()))}
                        title={set.source} data-set={set.id}>{ format!("Use {}", set.name) }</button>
                }) }
            </div>
            { for assets.iter().filter_map(|asset| {
                let params = s.portfolio_margin.get(*asset)?;
                let field = |c: PortfolioCol| Field::Portfolio(asset.to_string(), c);
                let text = |c: PortfolioCol| FieldText::of(s, &p.typed, &p.problems, &field(c));
                // The scenarios' messages, each about one of the list
                // (`shocks[2]`), are shown beside the one box that holds them all.
                let mut shocks = text(PortfolioCol::Shocks);
                if shocks.message.is_none() {
                    let prefix = format!("portfolio_margin.{asset}.shocks[");
                    shocks.message = p.problems.iter().find(|e| e.path.starts_with(&prefix)).map(|e| {
                        let j = e.path[prefix.len()..].split(']').next().and_then(|j| j.parse::<usize>().ok());
                        AttrValue::from(match j {
                            Some(j) => format!("scenario {}: {}", j + 1, e.message),
                            None => e.message.clone(),
                        })
                    });
                }
                let whole = message_for(&p.typed, &p.problems, &format!("portfolio_margin.{asset}"));
                Some(html! {
                    <fieldset class="portfolio-asset" key={asset.to_string()} data-asset={asset.to_string()}>
                        <legend>{ format!("{asset}: {} scenarios", params.shocks.len()) }</legend>
                        <NumberField label={PortfolioCol::Shocks.label()} field={field(PortfolioCol::Shocks)} shown={shocks} on_action={on.clone()} />
                        { for PortfolioCol::ALL.into_iter().skip(1).map(|c| html! {
                            <NumberField label={c.label()} field={field(c)} shown={text(c)} on_action={on.clone()} />
                        }) }
                        if let Some(source) = &params.source { <p class="hint source">{ format!("Source: {source}") }</p> }
                        if let Some(m) = whole { <p class="field-error" role="status">{ m }</p> }
                    </fieldset>
                })
            }) }
        </details>
    }
}
