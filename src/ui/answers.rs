//! Quick answers for the selected position, from the engine's calculator
//! questions: target price for an ROE, the largest size that can still be
//! opened, the average entry after a fill, and PnL at an exit price.

use super::format;
use super::state::State;
use crate::engine::decimal_text::parse_decimal;
use crate::engine::questions;
use rust_decimal::Decimal;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AnswersProps {
    /// The session, not a copy of its scenario: a copy per tick of a drag
    /// (and another for the answers kept between ticks) costs more than the answers.
    pub state: UseReducerHandle<State>,
    pub selected: usize,
    /// The portfolio's edit count (`State::edits`): three of the four answers
    /// do not depend on the current prices and are kept between ticks.
    pub edits: u64,
    /// The validated model, when the scenario is valid.
    pub model: Option<super::Checked>,
}

fn text_input(id: &'static str, label: &'static str, value: &UseStateHandle<String>) -> Html {
    let oninput = {
        let value = value.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            value.set(input.value());
        })
    };
    html! {
        <div class="field">
            <label for={id}>{ label }</label>
            <input {id} type="text" inputmode="decimal" value={(**value).clone()} {oninput} />
        </div>
    }
}

#[function_component(Answers)]
pub fn answers(p: &AnswersProps) -> Html {
    let roe = use_state(|| "50".to_string());
    let leverage = use_state(|| "10".to_string());
    let fill_qty = use_state(String::new);
    let fill_price = use_state(String::new);
    let exit = use_state(String::new);
    let s = &p.state.scenario;
    let Some(pos) = s.positions.get(p.selected) else {
        return html! {};
    };
    let id = s.position_id(p.selected);
    let market = s.markets.get(&pos.market);
    let currency = match market.map(|m| m.settlement) {
        Some(crate::engine::scenario::Settlement::Inverse) => {
            market.map(|m| m.asset.clone()).unwrap_or_default()
        }
        _ => s.quote.clone(),
    };
    let num = |t: &str| parse_decimal(t);
    // Entry-based answers: the same at every price, so not worked out at every tick.
    let fixed = {
        let state = p.state.clone();
        let (id, side) = (id.clone(), pos.side);
        let currency = currency.clone();
        let key = (
            p.edits,
            p.selected,
            (*roe).clone(),
            (*fill_qty).clone(),
            (*fill_price).clone(),
            (*exit).clone(),
        );
        use_memo(key, move |(_, _, roe, fill_qty, fill_price, exit)| {
            let s = &state.scenario;
            let say = |r: Result<String, crate::engine::Error>| r.map_err(|e| e.to_string());
            let roe = match num(roe) {
                Some(r) => say(
                    questions::exit_price_for_roe(s, &id, r / Decimal::ONE_HUNDRED).map(
                        |o| match o {
                            Some(o) => format!("exit at {}", format::price(o.exit_price)),
                            None => "no price gives it".into(),
                        },
                    ),
                ),
                None => Err("enter an ROE in %".to_string()),
            };
            let fill = match (num(fill_qty), num(fill_price)) {
                (Some(q), Some(px)) => say(questions::apply_fill(s, &id, side, q, px).map(|f| {
                    f.position
                        .map(|after| format!("average entry {}", format::price(after.entry_price)))
                        .unwrap_or_default()
                })),
                _ => Ok("enter a size and a price".to_string()),
            };
            let exit = match num(exit) {
                Some(x) => say(questions::pnl_at_exit(s, &id, x).map(|o| {
                    format!(
                        "PnL {} (ROE {})",
                        format::money(o.pnl, &currency),
                        format::signed_percent(o.roe)
                    )
                })),
                None => Ok("enter an exit price".to_string()),
            };
            [roe, fill, exit]
        })
    };
    let show = |r: &Result<String, String>| match r {
        Ok(t) => html! { <output>{ t.clone() }</output> },
        Err(e) => html! { <output class="field-error">{ e.clone() }</output> },
    };
    let [roe_answer, fill_answer, exit_answer] = [&fixed[0], &fixed[1], &fixed[2]].map(show);
    // The free margin moves with every price: asked at every tick, of the
    // validated model (no validation, no liquidation prices).
    let max_answer = show(&match num(&leverage) {
        Some(l) => {
            let asked = match &p.model {
                Some(m) => questions::max_open_in(&m.0, s.hedge_mode, &pos.market, pos.side, l),
                None => questions::max_open(s, &pos.market, pos.side, l),
            };
            asked
                .map(|m| {
                    format!(
                        "{} more contracts (notional {})",
                        format::price(m.qty),
                        format::money(m.notional, &currency)
                    )
                })
                .map_err(|e| e.to_string())
        }
        None => Err("enter a leverage".to_string()),
    });
    html! {
        <section class="answers" aria-labelledby="answers-title">
            <h2 id="answers-title">{ format!("Quick answers: {id}") }</h2>
            <div class="answer">{ text_input("q-roe", "Target ROE (%)", &roe) }{ roe_answer }</div>
            <div class="answer">{ text_input("q-leverage", "Leverage for a new order", &leverage) }{ max_answer }</div>
            <div class="answer">
                { text_input("q-fill-qty", "Add size", &fill_qty) }
                { text_input("q-fill-price", "at price", &fill_price) }
                { fill_answer }
            </div>
            <div class="answer">{ text_input("q-exit", "Exit price", &exit) }{ exit_answer }</div>
        </section>
    }
}
