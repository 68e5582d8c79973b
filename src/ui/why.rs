//! "Why this liquidation price?": the engine's equation for the selected
//! position, with its own numbers, in isolated, cross and portfolio margin.

use super::by_ptr::ByPtr;
use super::chart::DrawKey;
use super::format;
use crate::engine::explain::LiquidationWhy;
use crate::engine::{Comparison, Prepared, View};
use rust_decimal::Decimal;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WhyProps {
    pub prepared: ByPtr<Prepared>,
    /// The panels' figures: the liquidation prices the equations solve to.
    pub report: ByPtr<Comparison>,
    pub selected: usize,
    /// `State::portfolio_edits`.
    pub portfolio_edits: u64,
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
            // A dated future's mark is its ratio to the asset's price times P.
            let p = if t.ratio == Decimal::ONE {
                "P".to_string()
            } else {
                format!("{} × P", num(t.ratio))
            };
            let pnl = if w.per_price {
                format!(
                    "{} × (1/{} − 1/({p}))",
                    num(t.signed_size),
                    num(t.entry_price)
                )
            } else {
                format!("{} × ({p} − {})", num(t.signed_size), num(t.entry_price))
            };
            // After costs: the funding over the period, and the fee to close at P.
            let mut costs = String::new();
            if !t.funding.is_zero() {
                costs.push_str(&format!(" {} (funding)", signed(-t.funding)));
            }
            if !t.close_fee_rate.is_zero() {
                let at = if w.per_price {
                    format!("/ ({p})")
                } else {
                    format!("× {p}")
                };
                costs.push_str(&format!(
                    " − {} × {} {at} (fee to close)",
                    format::percent_with(t.close_fee_rate, 3),
                    num(t.signed_size.abs())
                ));
            }
            format!("{pnl}{costs}")
        })
        .collect();
    let unit_terms: Vec<String> = w
        .unit
        .iter()
        .map(|u| {
            let n = if w.per_price { "/ P" } else { "× P" };
            let worst = u.worst_scenario.map_or_else(
                || "no scenario loses".to_string(),
                |x| format!("worst scenario {}", format::signed_percent(x)),
            );
            format!(
                "{} {n} (the {} unit: {} × its requirement; {worst})",
                num(u.per_price),
                w.asset,
                num(u.mm_factor)
            )
        })
        .collect();
    let mm_terms: Vec<String> = w
        .terms
        .iter()
        .filter(|_| w.unit.is_none())
        .map(|t| match (t.tier, t.fixed_maintenance) {
            (_, Some(fixed)) => format!("{} (fixed at entry)", num(fixed)),
            (Some((tier, rate, amount)), _) => {
                let p = if t.ratio == Decimal::ONE {
                    "P".to_string()
                } else {
                    format!("({} × P)", num(t.ratio))
                };
                let n = if w.per_price {
                    format!("{} / {p}", num(t.signed_size.abs()))
                } else {
                    format!("{} × {p}", num(t.signed_size.abs()))
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
    // A dated future is liquidated at its own mark, which the panels show.
    let own = (w.mark_price != w.price).then(|| {
        let own = match w.safe_above() {
            Some(up) => format::liquidation_safe_side(w.mark_price, up),
            None => format::liquidation(w.mark_price, mark),
        };
        format!(" (its own mark then: {own})")
    });
    html! {
        <div class="why-mode">
            <h3>{ format!("{mode}: liquidated at {} = {price}{}", w.asset, own.unwrap_or_default()) }</h3>
            <p>{ if w.unit.is_some() {
                format!("Portfolio pool {}: every other unit and everything not on {} held at today's prices ({} of equity, {} of requirement). The {} unit is charged as a whole: its requirement moves in proportion to P.", w.pool, w.asset,
                    format::money(w.rest_equity, &w.currency), format::money(w.rest_maintenance, &w.currency), w.asset)
            } else if w.pool.starts_with("cross") {
                format!("Pool {}: everything not on {} held at today's prices ({} of equity, {} of requirement).", w.pool, w.asset,
                    format::money(w.rest_equity, &w.currency), format::money(w.rest_maintenance, &w.currency))
            } else {
                format!("Isolated pool {}: its own margin, {}, and nothing else.", w.pool, format::money(w.rest_equity, &w.currency))
            } }</p>
            <p class="formula">{ format!("equity(P) = {} {}{} = {} {} × {x}", num(w.rest_equity), pnl_terms.iter().map(|t| format!("+ {t} ")).collect::<String>(), collateral,
                num(w.equity_const), signed(w.equity_coef)) }</p>
            <p class="formula">{ format!("maintenance(P) = {} {}= {} {} × {x}", num(w.rest_maintenance), mm_terms.iter().chain(&unit_terms).map(|t| format!("+ {t} ")).collect::<String>(),
                num(w.mm_const), signed(w.mm_coef)) }</p>
            <p class="formula">{ format!("equal where {x} = ({} − {}) ÷ ({} − {}), so P = {}", num(w.mm_const), num(w.equity_const), num(w.equity_coef), num(w.mm_coef), price) }</p>
        </div>
    }
}

#[component]
pub fn Why(p: &WhyProps) -> Html {
    let prepared = &*p.prepared;
    let model = prepared.model();
    let position = model.positions.get(p.selected);
    // An equation is in the position's asset's price P, everything else
    // held: it changes with the portfolio, with any other price, or when
    // the root nearest the mark is another (the panels' liquidation price
    // moves); dragging P alone leaves it as it is, so it is not solved again
    // at every tick of that drag.
    let asset = position.map(|x| model.markets[x.market].asset);
    let liquidation = |v: View| {
        p.report
            .get(v)
            .and_then(|e| e.positions.get(p.selected))
            .and_then(|x| x.liquidation_price)
    };
    let key = (
        DrawKey::new(p.portfolio_edits, model, asset.as_slice()),
        p.selected,
        VIEWS.map(|(v, _)| liquidation(v)),
        model.holding_hours,
    );
    let parts = {
        let prepared = p.prepared.clone();
        let selected = p.selected;
        use_memo(key, move |_| explain_all(&prepared, selected))
    };
    let Some(position) = position else {
        return html! {};
    };
    let id = position.id.clone();
    html! {
        <details class="why" id="why" open=true>
            <summary>{ format!("Why is {id} liquidated where it is?") }</summary>
            <p>{ "A pool is liquidated when its equity falls to its maintenance margin. Move only this asset's price P and solve:" }</p>
            { for parts.iter().cloned() }
        </details>
    }
}

/// The modes explained, in the panels' order.
const VIEWS: [(View, &str); 3] = [
    (View::AllIsolated, "Isolated"),
    (View::AllCross, "Cross"),
    (View::AllPortfolio, "Portfolio"),
];

/// Position `selected`'s equation in each mode (portfolio margin's where
/// the book has its parameters).
fn explain_all(prepared: &Prepared, selected: usize) -> Vec<Html> {
    let model = prepared.model();
    let Some(position) = model.positions.get(selected) else {
        return Vec::new();
    };
    // Where the equation has no side, rounded as the panels round it (toward the mark).
    let mark = model.assets[model.markets[position.market].asset].price;
    // With costs, each mode's equation after the holding period's costs
    // follows the venue's.
    let costed = prepared.costed();
    let after = format!(
        "after {} of costs",
        super::holding::days_text(model.holding_hours)
    );
    let one = |p: &Prepared, view: View, mode: &str| match p.explain_liquidation(view, selected) {
        Ok(Some(w)) => equation(&w, mode, mark),
        Ok(None) => {
            html! { <div class="why-mode"><h3>{ format!("{mode}: no liquidation price") }</h3>
            <p>{ "No positive price of this asset brings the pool's equity down to its maintenance margin." }</p></div> }
        }
        Err(e) => html! { <p class="field-error">{ e.to_string() }</p> },
    };
    VIEWS
        .into_iter()
        .filter(|(v, _)| *v != View::AllPortfolio || prepared.portfolio_priced())
        .flat_map(|(view, mode)| {
            let mut out = vec![one(prepared, view, mode)];
            if let Some(c) = &costed {
                out.push(one(c, view, &format!("{mode}, {after}")));
            }
            out
        })
        .collect()
}
