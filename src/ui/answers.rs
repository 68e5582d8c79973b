//! Quick answers for the selected position, from the engine's calculator
//! questions: target price for an ROE, the largest size that can still be
//! opened, the average entry after a fill, and PnL at an exit price.

use super::by_ptr::ByPtr;
use super::format;
use crate::engine::decimal_text::parse_decimal;
use crate::engine::{questions, Prepared, Scenario};
use rust_decimal::Decimal;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AnswersProps {
    /// The scenario as of its last change but a price's: three of the four
    /// answers do not depend on the current prices, and are kept while only
    /// prices move.
    pub portfolio: Rc<Scenario>,
    pub selected: usize,
    /// The scenario validated at the current prices, when it is valid.
    pub prepared: Option<ByPtr<Prepared>>,
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

#[component]
pub fn Answers(p: &AnswersProps) -> Html {
    let roe = use_state(|| "50".to_string());
    let leverage = use_state(|| "10".to_string());
    let fill_qty = use_state(String::new);
    let fill_price = use_state(String::new);
    let exit = use_state(String::new);
    let s = &*p.portfolio;
    let position = s.positions.get(p.selected);
    let id = s.position_id(p.selected);
    let currency = position
        .and_then(|pos| s.settlement_currency(&pos.market))
        .unwrap_or(&s.quote)
        .to_string();
    let num = |t: &str| parse_decimal(t);
    // Entry-based answers: the same at every price, so not worked out at every tick.
    let fixed = {
        let side = position.map(|pos| pos.side);
        let (id, currency) = (id.clone(), currency.clone());
        let key = (
            p.portfolio.clone(),
            p.selected,
            (*roe).clone(),
            (*fill_qty).clone(),
            (*fill_price).clone(),
            (*exit).clone(),
        );
        use_memo(key, move |(s, _, roe, fill_qty, fill_price, exit)| {
            let say = |r: Result<String, crate::engine::Error>| r.map_err(|e| e.to_string());
            let roe = match num(roe) {
                // A percentage as a fraction: a division by 100 never fails.
                Some(r) => say(questions::exit_price_for_roe(
                    s,
                    &id,
                    r.checked_div(Decimal::ONE_HUNDRED).unwrap_or(r),
                )
                .map(|o| match o {
                    Some(o) => format!("exit at {}", format::price(o.exit_price)),
                    None => "no price gives it".into(),
                })),
                None => Err("enter an ROE in %".to_string()),
            };
            let fill = match (num(fill_qty), num(fill_price), side) {
                (Some(q), Some(px), Some(side)) => say(questions::apply_fill(s, &id, side, q, px)
                    .map(|f| {
                        f.position
                            .map(|after| {
                                format!("average entry {}", format::price(after.entry_price))
                            })
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
    let Some(pos) = position else {
        return html! {};
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
            let asked = match &p.prepared {
                Some(m) => questions::max_open_in(m, s.hedge_mode, &pos.market, pos.side, l),
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
