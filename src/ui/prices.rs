//! Price controls: a slider and a number box per asset, a whole-market
//! slider, and resets. Every `input` event updates the prices (not on release).

use super::format;
use super::hooks::on_click;
use super::state::{Action, Typed};
use crate::engine::display::{price_places, round};
use crate::engine::num::{plus, times};
use crate::engine::scenario::Num;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PricesProps {
    /// Every asset's price now.
    pub prices: BTreeMap<String, Num>,
    /// The prices the sliders are centred on (`State::reference`).
    pub reference: BTreeMap<String, Decimal>,
    /// Text typed into the fields that does not parse (a price box's among them).
    pub typed: Typed,
    /// The whole-market move, in percent.
    pub market_move: Decimal,
    /// The currency prices are in, which a slider announces with its value.
    pub quote: AttrValue,
    pub on_action: Callback<Action>,
}

/// The prices a slider spans: half its reference to one and a half times
/// it, the top held at the largest decimal for a reference near it (a price
/// read from a file or a link may be anything a decimal holds).
pub fn range(reference: Decimal) -> (Decimal, Decimal) {
    // Halving a decimal never fails; the fallback is never taken.
    let half = |d: Decimal| d.checked_div(Decimal::TWO).unwrap_or(d);
    let top = match times(reference, Decimal::from(3)) {
        Some(triple) => half(triple),
        None => plus(reference, half(reference)).unwrap_or(Decimal::MAX),
    };
    (half(reference), top)
}

/// The slider's step: about a thousandth of the reference price, rounded to a power of ten.
pub fn step(reference: Decimal) -> Decimal {
    let mut step = Decimal::ONE;
    let target = reference
        .checked_div(Decimal::from(2000))
        .unwrap_or(reference);
    while step > target && step > Decimal::new(1, 8) {
        step = step.checked_div(Decimal::TEN).unwrap_or(step);
    }
    while let Some(up) = times(step, Decimal::TEN).filter(|up| *up <= target) {
        step = up;
    }
    step
}

/// The number box shows the asset's usual precision (six significant digits
/// of its reference); typing into it sets the price exactly as typed.
fn box_text(price: Decimal, reference: Decimal) -> String {
    round(price, price_places(reference))
        .normalize()
        .to_string()
}

#[component]
pub fn Prices(p: &PricesProps) -> Html {
    let market_input = p.on_action.reform(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Action::MoveMarket(input.value())
    });
    let reset_mark = on_click(&p.on_action, Action::ResetToMark);
    let reset_entry = on_click(&p.on_action, Action::ResetToEntry);
    let move_text = p.market_move.normalize().to_string();
    html! {
        <section class="prices" aria-labelledby="prices-title">
            <h2 id="prices-title">{ "Prices" }</h2>
            { for p.prices.iter().map(|(asset, price)| html! {
                <PriceRow key={asset.clone()} asset={asset.clone()} price={price.0} quote={p.quote.clone()}
                    reference={p.reference.get(asset).copied().unwrap_or(price.0)}
                    typed={p.typed.get(&format!("prices.{asset}")).cloned()}
                    on_action={p.on_action.clone()} />
            }) }
            <div class="price-row market">
                <label for="market-move">{ "Whole market" }</label>
                <input id="market-move" type="range" min="-50" max="50" step="0.5" value={move_text.clone()}
                    oninput={market_input} aria-valuemin="-50" aria-valuemax="50" aria-valuenow={move_text.clone()}
                    aria-valuetext={format!("{move_text} percent")} />
                <output for="market-move">{ format!("{move_text} %") }</output>
            </div>
            <div class="row-actions">
                <button type="button" onclick={reset_mark}>{ "Reset to mark" }</button>
                <button type="button" onclick={reset_entry}>{ "Reset to entry" }</button>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct PriceRowProps {
    asset: AttrValue,
    quote: AttrValue,
    price: Decimal,
    reference: Decimal,
    /// Text typed into the box that is not a price, with its message.
    typed: Option<(String, String)>,
    on_action: Callback<Action>,
}

/// One asset's slider and box: a component, so that dragging one slider
/// redraws that row alone.
#[component]
fn PriceRow(p: &PriceRowProps) -> Html {
    let (asset, price, reference) = (&p.asset, p.price, p.reference);
    let (min, max) = range(reference);
    let step = step(reference);
    let value = price.max(min).min(max);
    let typed = p.typed.as_ref();
    let oninput = {
        let asset = asset.to_string();
        p.on_action.reform(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Action::SetPrice(asset.clone(), input.value())
        })
    };
    let slider_id = format!("price-{asset}");
    html! {
        <div class="price-row">
            <label for={slider_id.clone()}>{ asset.clone() }</label>
            <input id={slider_id} type="range" min={min.normalize().to_string()} max={max.normalize().to_string()}
                step={step.normalize().to_string()} value={value.normalize().to_string()} oninput={oninput.clone()}
                aria-valuemin={min.normalize().to_string()} aria-valuemax={max.normalize().to_string()}
                aria-valuenow={price.normalize().to_string()} aria-valuetext={format!("{asset} {} {}", format::price(price), p.quote)} />
            <input id={format!("price-box-{asset}")} class="price-box" type="text" inputmode="decimal"
                aria-label={format!("{asset} price")}
                value={typed.map(|t| t.0.clone()).unwrap_or_else(|| box_text(price, reference))} {oninput}
                aria-invalid={typed.is_some().to_string()} />
            if let Some((_, m)) = typed { <span class="field-error" role="status">{ m.clone() }</span> }
        </div>
    }
}
