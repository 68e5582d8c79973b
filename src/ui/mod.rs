//! The Yew UI. It holds no margin math: it edits a [`Scenario`], asks the
//! engine for a report and shows it.

use crate::engine::{self, scenario::Num};
use yew::prelude::*;

mod demo;
pub use demo::scenario as demo_scenario;

/// The BTC price slider's range, as a fraction of the entry price either side.
const SLIDER_SPAN: i64 = 50;

#[function_component(App)]
pub fn app() -> Html {
    let scenario = use_state(demo::scenario);
    let report = {
        let s = (*scenario).clone();
        use_memo(s, engine::evaluate)
    };
    let price = scenario.prices.get("BTC").map(|p| p.0).unwrap_or_default();
    let on_input = {
        let scenario = scenario.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(p) = input.value().parse::<Num>() {
                let mut s = (*scenario).clone();
                s.prices.insert("BTC".into(), p);
                scenario.set(s);
            }
        })
    };
    let entry = demo::ENTRY;
    let (min, max) = (
        entry * (100 - SLIDER_SPAN) / 100,
        entry * (100 + SLIDER_SPAN) / 100,
    );
    let body = match &*report {
        Ok(r) => {
            let pool = r.as_given.pool("cross");
            let equity = pool
                .map(|p| p.equity.round_dp(2).to_string())
                .unwrap_or_default();
            let liq = r
                .as_given
                .positions
                .first()
                .and_then(|p| p.liquidation_price);
            html! {
                <dl class="figures">
                    <dt>{ "Cross equity (USD)" }</dt>
                    <dd id="equity">{ equity }</dd>
                    <dt>{ "Liquidation price" }</dt>
                    <dd id="liquidation">{ liq.map(|l| l.round_dp(2).to_string()).unwrap_or_else(|| "none".into()) }</dd>
                </dl>
            }
        }
        Err(e) => html! { <p class="error" role="alert">{ e.to_string() }</p> },
    };
    html! {
        <main class="app">
            <h1>{ "Marginscope" }</h1>
            <p>{ "A 1 BTC long at 60,000, 10× cross, with 10,000 USD in the wallet." }</p>
            <label for="price-BTC">{ "BTC price: " }<output id="price-out">{ price.to_string() }</output></label>
            <input id="price-BTC" type="range" min={min.to_string()} max={max.to_string()} step="10"
                value={price.to_string()} oninput={on_input}
                aria-valuemin={min.to_string()} aria-valuemax={max.to_string()} aria-valuenow={price.to_string()} />
            { body }
        </main>
    }
}
