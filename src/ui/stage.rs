//! The workshop stage (presenter mode): on one screen, the selected asset's
//! slider in large type, each mode's headline figures, and the chart. The
//! keyboard moves the price (arrows a step, Page Up and Page Down ten, a
//! digit picks the asset), and a lesson's "try this" plays one move at a
//! time, so the presenter tells the story without typing.

use super::by_ptr::ByPtr;
use super::format;
use super::prices;
use super::state::Action;
use super::table_scroll::table_scroll;
use crate::engine::report::Status;
use crate::engine::{Comparison, View};
use crate::presets::Move;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StageProps {
    /// The asset on stage (the selected position's) and every asset's price.
    pub asset: AttrValue,
    /// The currency prices are in.
    pub quote: AttrValue,
    pub prices: BTreeMap<String, Decimal>,
    /// The prices the sliders are centred on.
    pub reference: BTreeMap<String, Decimal>,
    pub report: ByPtr<Comparison>,
    pub selected: usize,
    /// For each asset in order, a position on it to select (the digit keys).
    pub asset_positions: Vec<(String, usize)>,
    pub views: Vec<(View, &'static str)>,
    /// The holding period in hours: where the selected position has costs,
    /// a column of the liquidation price after them.
    pub holding_hours: Decimal,
    /// The "try this" moves of the lesson on stage (none if it is not one).
    pub moves: &'static [Move],
    pub on_action: Callback<Action>,
    /// The chart, drawn by the page (the same component as below the panels).
    pub chart: Html,
}

/// What a key on the page (outside a field) does on stage: the chart's
/// steps, from the price now, above zero.
fn stage_key(key: &str, price: Decimal, step: Decimal) -> Option<Decimal> {
    step.checked_mul(Decimal::from(super::chart::key_steps(key)?))
        .and_then(|d| price.checked_add(d))
        .filter(|v| *v > Decimal::ZERO)
}

/// A move as an action, and its words.
fn play(m: &Move) -> (Action, String) {
    if m.what == "holding_days" {
        (
            Action::SetHolding(m.to.to_string()),
            format!("hold for {} days", m.to),
        )
    } else {
        let to =
            m.to.parse::<Decimal>()
                .map(|d| crate::engine::display::grouped(d, d.scale()))
                .unwrap_or_else(|_| m.to.to_string());
        (
            Action::SetPrice(m.what.to_string(), m.to.to_string()),
            format!("{} to {to}", m.what),
        )
    }
}

#[component]
pub fn Stage(p: &StageProps) -> Html {
    // Hooks first: the next move to play, and the page's keys while on stage.
    let next_move = use_state_eq(|| 0usize);
    let price = p.prices.get(p.asset.as_str()).copied().unwrap_or_default();
    let reference = p.reference.get(p.asset.as_str()).copied().unwrap_or(price);
    let step = prices::step(reference);
    {
        let on = p.on_action.clone();
        let asset = p.asset.to_string();
        let positions = p.asset_positions.clone();
        use_effect_with(
            (asset, price, step, positions),
            move |(asset, price, step, positions)| {
                let (asset, price, step, positions) =
                    (asset.clone(), *price, *step, positions.clone());
                // Not passive: a key that moves the price must not also scroll the page.
                let listener = gloo::events::EventListener::new_with_options(
                    &gloo::utils::document(),
                    "keydown",
                    gloo::events::EventListenerOptions::enable_prevent_default(),
                    move |e| {
                        let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                            return;
                        };
                        // Keys typed into a field, or handled by a control, are theirs.
                        let target = e
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                        let in_control = target.as_ref().is_some_and(|t| {
                            matches!(
                                t.tag_name().as_str(),
                                "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON"
                            ) || t
                                .closest("svg, [role=slider], summary")
                                .ok()
                                .flatten()
                                .is_some()
                        });
                        // A box of figures that scrolls sideways (on a phone)
                        // takes the arrows it was focused for; one that fits
                        // leaves them to the price.
                        let in_scrolling_box = target.is_some_and(|t| {
                            t.closest("[role=region]")
                                .ok()
                                .flatten()
                                .is_some_and(|b| b.scroll_width() > b.client_width())
                        });
                        if in_control
                            || in_scrolling_box
                            || e.alt_key()
                            || e.ctrl_key()
                            || e.meta_key()
                            || e.default_prevented()
                        {
                            return;
                        }
                        if let Some(v) = stage_key(&e.key(), price, step) {
                            e.prevent_default();
                            on.emit(Action::SetPrice(asset.clone(), v.normalize().to_string()));
                        } else if let Some(i) = e
                            .key()
                            .parse::<usize>()
                            .ok()
                            .and_then(|d| d.checked_sub(1))
                            .and_then(|k| positions.get(k))
                            .map(|(_, i)| *i)
                        {
                            e.prevent_default();
                            on.emit(Action::Select(i));
                        }
                    },
                );
                move || drop(listener)
            },
        );
    }
    let (min, max) = prices::range(reference);
    let oninput = {
        let asset = p.asset.to_string();
        p.on_action.reform(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Action::SetPrice(asset.clone(), input.value())
        })
    };
    let moves = p.moves;
    let play_next = {
        let (on, next_move) = (p.on_action.clone(), next_move.clone());
        let moves = moves.to_vec();
        Callback::from(move |_: MouseEvent| {
            let k = *next_move;
            match moves.get(k) {
                Some(m) => {
                    on.emit(play(m).0);
                    next_move.set(k + 1);
                }
                None => {
                    on.emit(Action::ResetToMark);
                    on.emit(Action::SetHolding("0".into()));
                    next_move.set(0);
                }
            }
        })
    };
    let next_words = moves.get(*next_move).map(|m| play(m).1);
    let selected = p.report.all_cross.positions.get(p.selected);
    // The column after costs, where the selected position has them.
    let held = selected
        .is_some_and(|x| x.costs.is_some())
        .then_some(p.holding_hours);
    let id = selected.map(|x| x.id.to_string()).unwrap_or_default();
    let keys_hint = format!(
        "← → step {}, Page Up / Page Down ×10{}",
        step.normalize(),
        if p.asset_positions.len() > 1 {
            format!(", 1–{} pick the asset", p.asset_positions.len().min(9))
        } else {
            String::new()
        }
    );
    html! {
        <section class="stage" aria-labelledby="stage-title">
            <h2 id="stage-title" class="visually-hidden">{ "On stage" }</h2>
            <div class="stage-top">
                <div class="stage-slider">
                    <label for="stage-price">{ p.asset.clone() }</label>
                    <input id="stage-price" type="range" min={min.normalize().to_string()} max={max.normalize().to_string()}
                        step={step.normalize().to_string()} value={price.max(min).min(max).normalize().to_string()} {oninput}
                        aria-valuetext={format!("{} {} {}", p.asset, format::price(price), p.quote)} />
                    <output for="stage-price" class="stage-price" data-k="stage-price">{ format::price(price) }</output>
                </div>
                <p class="stage-keys">{ keys_hint }</p>
                if !moves.is_empty() {
                    <button type="button" class="stage-play" data-k="stage-play" onclick={play_next}>
                        { match &next_words {
                            Some(w) => format!("Play move {} of {}: {w}", *next_move + 1, moves.len()),
                            None => "Start again".to_string(),
                        } }
                    </button>
                }
            </div>
            { table_scroll("Each mode's figures", html! {
            <table class="stage-modes">
                <thead><tr><th scope="col">{ "Mode" }</th><th scope="col">{ "Equity" }</th><th scope="col">{ "Margin ratio" }</th>
                    <th scope="col">{ format!("{} liquidation", id) }</th>
                    if let Some(h) = held { <th scope="col">{ format!("after {}", super::holding::days_text(h)) }</th> }
                    </tr></thead>
                <tbody>
                { for p.views.iter().filter_map(|(v, name)| {
                    let e = p.report.get(*v)?;
                    let pos = e.positions.get(p.selected)?;
                    let pool = e.pool(&pos.pool)?;
                    let status = match pool.status {
                        Status::Healthy => "healthy",
                        Status::BelowInitialMargin => "below initial margin",
                        Status::Liquidated => "LIQUIDATED",
                    };
                    let liq = if pos.liquidated { "now".to_string() } else {
                        format::liquidation_or_none(pos.liquidation_price, pos.mark_price)
                    };
                    // After the holding period's costs: its pool may be liquidated by them.
                    let after = match (pos.costs.as_ref(), pool.costs.as_ref()) {
                        (_, Some(c)) if c.status == Status::Liquidated => "liquidated".to_string(),
                        (Some(c), _) => format::liquidation_or_none(c.liquidation_price, pos.mark_price),
                        _ => String::new(),
                    };
                    Some(html! {
                        <tr class={classes!("stage-mode", (pool.status == Status::Liquidated).then_some("danger"))} data-mode={name.to_ascii_lowercase()}>
                            <th scope="row">{ *name }<span class="stage-status" data-k="stage-status">{ status }</span></th>
                            <td data-k="stage-equity">{ format::money(pool.equity, &pool.currency) }</td>
                            <td data-k="stage-ratio">{ pool.margin_ratio.map(format::percent).unwrap_or_else(|| "no equity".into()) }</td>
                            <td data-k="stage-liq">{ liq }</td>
                            if held.is_some() {
                                <td data-k="stage-liq-after" class={classes!((after == "liquidated").then_some("gone"))}>{ after.clone() }</td>
                            }
                        </tr>
                    })
                }) }
                </tbody>
            </table>
            }) }
            <div class="stage-chart">{ p.chart.clone() }</div>
        </section>
    }
}
