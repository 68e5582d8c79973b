//! "Why this liquidation price?": the engine's equation for the selected
//! position, with its own numbers, in cross and in isolated margin.

use super::by_ptr::ByPtr;
use super::format;
use crate::engine::explain::LiquidationWhy;
use crate::engine::{Prepared, View};
use rust_decimal::Decimal;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WhyProps {
    pub prepared: ByPtr<Prepared>,
    pub selected: usize,
}

fn num(d: Decimal) -> String {
    format::price(d)
}

fn signed(d: Decimal) -> String {
    if d < Decimal::ZERO {
        format!("− {}", num(-d))
    } else {
        format!("+ {}", num(d))
    }
}

fn equation(w: &LiquidationWhy, mode: &str, mark: Decimal) -> Html {
    let x = if w.per_price { "(1/P)" } else { "P" };
    let pnl_terms: Vec<String> = w
        .terms
        .iter()
        .map(|t| {
            if w.per_price {
                format!("{} × (1/{} − 1/P)", num(t.signed_size), num(t.entry_price))
            } else {
                format!("{} × (P − {})", num(t.signed_size), num(t.entry_price))
            }
        })
        .collect();
    let mm_terms: Vec<String> = w
        .terms
        .iter()
        .map(|t| match (t.tier, t.fixed_maintenance) {
            (_, Some(fixed)) => format!("{} (fixed at entry)", num(fixed)),
            (Some((tier, rate, amount)), _) => {
                let n = if w.per_price {
                    format!("{} / P", num(t.signed_size.abs()))
                } else {
                    format!("{} × P", num(t.signed_size.abs()))
                };
                format!(
                    "{n} × {} − {} (tier {tier})",
                    format::percent(rate),
                    num(amount)
                )
            }
            _ => String::new(),
        })
        .collect();
    let collateral = if w.collateral_qty.is_zero() {
        String::new()
    } else {
        format!(" + {} × P (collateral)", num(w.collateral_qty))
    };
    // Toward the pool's safe side: as the panels show it, and not a cent
    // lower once the mark has crossed it (toward the mark would flip then).
    let price = match w.safe_above() {
        Some(up) => format::liquidation_safe_side(w.price, up),
        None => format::liquidation(w.price, mark),
    };
    html! {
        <div class="why-mode">
            <h3>{ format!("{mode}: liquidated at {} = {price}", w.asset) }</h3>
            <p>{ if w.pool.starts_with("cross") {
                format!("Pool {}: everything not on {} held at today's prices ({} of equity, {} of requirement).", w.pool, w.asset,
                    format::money(w.rest_equity, &w.currency), format::money(w.rest_maintenance, &w.currency))
            } else {
                format!("Isolated pool {}: its own margin, {}, and nothing else.", w.pool, format::money(w.rest_equity, &w.currency))
            } }</p>
            <p class="formula">{ format!("equity(P) = {} {}{} = {} {} × {x}", num(w.rest_equity), pnl_terms.iter().map(|t| format!("+ {t} ")).collect::<String>(), collateral,
                num(w.equity_const), signed(w.equity_coef)) }</p>
            <p class="formula">{ format!("maintenance(P) = {} {}= {} {} × {x}", num(w.rest_maintenance), mm_terms.iter().map(|t| format!("+ {t} ")).collect::<String>(),
                num(w.mm_const), signed(w.mm_coef)) }</p>
            <p class="formula">{ format!("equal where {x} = ({} − {}) ÷ ({} − {}), so P = {}", num(w.mm_const), num(w.equity_const), num(w.equity_coef), num(w.mm_coef), price) }</p>
        </div>
    }
}

#[component]
pub fn Why(p: &WhyProps) -> Html {
    let prepared = &*p.prepared;
    let model = prepared.model();
    let Some(position) = model.positions.get(p.selected) else {
        return html! {};
    };
    let id = position.id.clone();
    // Where the equation has no side, rounded as the panels round it (toward the mark).
    let mark = model.assets[model.markets[position.market].asset].price;
    let parts: Vec<Html> = [(View::AllCross, "Cross"), (View::AllIsolated, "Isolated")]
        .into_iter()
        .map(|(view, mode)| match prepared.explain_liquidation(view, p.selected) {
            Ok(Some(w)) => equation(&w, mode, mark),
            Ok(None) => html! { <div class="why-mode"><h3>{ format!("{mode}: no liquidation price") }</h3>
                <p>{ "No positive price of this asset brings the pool's equity down to its maintenance margin." }</p></div> },
            Err(e) => html! { <p class="field-error">{ e.to_string() }</p> },
        })
        .collect();
    html! {
        <details class="why" id="why" open=true>
            <summary>{ format!("Why is {id} liquidated where it is?") }</summary>
            <p>{ "A pool is liquidated when its equity falls to its maintenance margin. Move only this asset's price P and solve:" }</p>
            { for parts }
        </details>
    }
}
