//! "Import your account": the venue's API responses, pasted or dropped
//! (no key, no request leaves the page), read by `crate::import` as they
//! come; what each was, what is missing and how to fetch it; then the
//! account opened as a new scenario or added to this one. And, beside the
//! panels, each imported position held against the venue's own figures.

use super::format;
use super::hooks::{on_click, use_details_open};
use super::session;
use super::state::{Action, VenueCheck};
use super::table_scroll::table_scroll;
use crate::import::{import_account, Imported};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ImportProps {
    pub on_action: Callback<Action>,
}

/// The texts pasted so far, each one response.
type Texts = Rc<Vec<String>>;

#[component]
pub fn AccountImport(p: &ImportProps) -> Html {
    let (open, ontoggle) = use_details_open();
    let texts = use_state(Texts::default);
    let draft = use_state(String::new);
    let imported = {
        let texts = (*texts).clone();
        use_memo(texts, |t| {
            let refs: Vec<&str> = t.iter().map(String::as_str).collect();
            (!refs.is_empty()).then(|| import_account(&refs))
        })
    };
    let add = |t: &UseStateHandle<Texts>, text: String| {
        if text.trim().is_empty() {
            return;
        }
        let mut v: Vec<String> = (**t).as_ref().clone();
        v.push(text);
        t.set(Rc::new(v));
    };
    let on_input = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            draft.set(area.value());
        })
    };
    let on_add = {
        let (texts, draft) = (texts.clone(), draft.clone());
        Callback::from(move |_: MouseEvent| {
            add(&texts, (*draft).clone());
            draft.set(String::new());
        })
    };
    let on_files = {
        let texts = texts.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(files) = input.files() else { return };
            for i in 0..files.length() {
                if let Some(file) = files.get(i) {
                    let texts = texts.clone();
                    session::read_file(file, move |text| {
                        // A file that cannot be read is a text that says so.
                        add(&texts, text.unwrap_or_else(|e| e));
                    });
                }
            }
            input.set_value("");
        })
    };
    let on_drop = {
        let texts = texts.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let Some(files) = e.data_transfer().and_then(|d| d.files()) else {
                return;
            };
            for i in 0..files.length() {
                if let Some(file) = files.get(i) {
                    let texts = texts.clone();
                    session::read_file(file, move |text| add(&texts, text.unwrap_or_else(|e| e)));
                }
            }
        })
    };
    let on_drag_over = Callback::from(|e: DragEvent| e.prevent_default());
    let clear = {
        let texts = texts.clone();
        Callback::from(move |_: MouseEvent| texts.set(Texts::default()))
    };
    let result = (*imported).clone();
    html! {
        <details class="account-import" id="account-import" {open} {ontoggle} ondrop={on_drop} ondragover={on_drag_over}>
            <summary>{ "Import your account" }</summary>
            if open {
                <p class="hint">{ "Paste what your venue's API returned (Binance, Bybit, OKX or Hyperliquid), one response at a time, or drop the files. Nothing is sent anywhere and no key is ever asked for: you run the requests, and each piece still missing below names the one that fetches it." }</p>
                <label for="import-paste" class="visually-hidden">{ "A response of your venue's API" }</label>
                <textarea id="import-paste" rows="5" value={(*draft).clone()} oninput={on_input}
                    placeholder="{ \"assetPositions\": [ … ] }" spellcheck="false" autocomplete="off" />
                <div class="row-actions">
                    <button type="button" id="import-add" onclick={on_add}>{ "Read this response" }</button>
                    <label class="button" for="import-files">{ "Or choose files" }</label>
                    <input id="import-files" class="visually-hidden" type="file" multiple=true accept=".json,.txt,application/json,text/plain" onchange={on_files} />
                    if !texts.is_empty() { <button type="button" onclick={clear}>{ "Start over" }</button> }
                </div>
                if let Some(r) = result { { outcome(&r, &p.on_action) } }
            }
        </details>
    }
}

/// What the pasted texts made: each one's reading, what is missing, and the
/// ways to open the account.
fn outcome(r: &Imported, on_action: &Callback<Action>) -> Html {
    let check = r.venue.map(|v| {
        Rc::new(VenueCheck {
            venue: v.name().to_string(),
            summary: r.summary(),
            checks: r.checks.clone(),
        })
    });
    let actions = r.scenario.clone().zip(check).map(|(s, check)| {
        let open = on_click(on_action, Action::OpenAccount(Box::new(s.clone()), check.clone()));
        let add = on_click(on_action, Action::AddAccount(Box::new(s), check));
        html! {
            <div class="row-actions">
                <button type="button" id="import-open" onclick={open}>{ "Open as a new scenario" }</button>
                <button type="button" id="import-merge" onclick={add}>{ "Add to my scenario" }</button>
            </div>
        }
    });
    html! {
        <div class="import-outcome" role="status">
            <ol class="import-sources">
                { for r.sources.iter().map(|s| html! {
                    <li class={classes!(s.problem.is_some().then_some("problem"))} data-k="source">
                        { match (&s.problem, &s.endpoint) {
                            (Some(p), _) => format!("Not read: {p}."),
                            (None, Some(e)) => format!("{} {e}: {}.", s.venue.map(|v| v.name()).unwrap_or(""), s.brought),
                            (None, None) => s.brought.clone(),
                        } }
                    </li>
                }) }
            </ol>
            if let Some(p) = &r.problem { <p class="field-error" data-k="import-problem">{ format!("{p}.") }</p> }
            if !r.missing.is_empty() {
                <h4>{ "Still missing" }</h4>
                <ul class="import-missing">
                    { for r.missing.iter().map(|m| html! {
                        <li><strong>{ m.what.clone() }</strong>{ format!(": {}.", m.why) }<br /><code>{ m.request.clone() }</code></li>
                    }) }
                </ul>
            }
            if !r.notes.is_empty() {
                <ul class="hint">{ for r.notes.iter().map(|n| html! { <li>{ format!("{n}.") }</li> }) }</ul>
            }
            if r.scenario.is_some() { <p data-k="import-summary">{ r.summary() }</p> }
            { for actions }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckProps {
    pub check: Rc<VenueCheck>,
    pub on_action: Callback<Action>,
}

/// Each imported position's liquidation price and maintenance margin, ours
/// beside the venue's, as imported: a price moved since moves ours, not theirs.
#[component]
pub fn VenueCheckCard(p: &CheckProps) -> Html {
    let c = &p.check;
    let dismiss = on_click(&p.on_action, Action::DismissVenueCheck);
    let show =
        |d: Option<rust_decimal::Decimal>| d.map(format::price).unwrap_or_else(|| "—".into());
    let diff = |a: Option<rust_decimal::Decimal>, b: Option<rust_decimal::Decimal>| match (a, b) {
        (Some(a), Some(b)) => crate::engine::num::minus(a, b)
            .map(format::price)
            .unwrap_or_default(),
        _ => "—".into(),
    };
    html! {
        <section class="venue-check" id="venue-check" aria-labelledby="venue-check-title">
            <h3 id="venue-check-title">{ format!("Held against {}", c.venue) }</h3>
            <p class="headline" data-k="venue-summary">{ c.summary.clone() }</p>
            <p class="hint">{ "As imported: the venue's figures are of that moment; a price moved since moves ours, not theirs. They agree when they differ by no more than the venue's own rounding explains." }</p>
            { table_scroll("Each position against the venue", html! {
            <table class="positions-table">
                <thead><tr><th scope="col">{ "Position" }</th><th scope="col">{ "Venue's liquidation" }</th><th scope="col">{ "Ours" }</th><th scope="col">{ "Difference" }</th>
                    <th scope="col">{ "Venue's MM" }</th><th scope="col">{ "Ours" }</th><th scope="col">{ "Agrees" }</th></tr></thead>
                <tbody>
                { for c.checks.iter().map(|x| html! {
                    <>
                    <tr data-position={x.position.clone()} class={classes!((!x.agrees && x.checked).then_some("differs"))}>
                        <th scope="row">{ x.position.clone() }</th>
                        <td data-k="venue-liq">{ show(x.venue_liquidation_price) }</td>
                        <td data-k="our-liq">{ show(x.liquidation_price) }</td>
                        <td data-k="liq-diff">{ diff(x.liquidation_price, x.venue_liquidation_price) }</td>
                        <td data-k="venue-mm">{ show(x.venue_maintenance_margin) }</td>
                        <td data-k="our-mm">{ show(x.maintenance_margin) }</td>
                        <td data-k="agrees">{ if !x.checked { "not reported" } else if x.agrees { "yes" } else { "no" } }</td>
                    </tr>
                    </>
                }) }
                </tbody>
            </table>
            }) }
            // Below the table, not in it: a narrow screen scrolls the table, not the reasons.
            <ul class="reasons">
                { for c.checks.iter().filter_map(|x| x.reason.as_ref().map(|r| html! {
                    <li data-position={x.position.clone()}><strong>{ x.position.clone() }</strong>{ format!(": likely {r}.") }</li>
                })) }
            </ul>
            <button type="button" onclick={dismiss}>{ "Dismiss" }</button>
        </section>
    }
}
