//! The Yew UI. It holds no margin math: it edits a `Scenario` (in `state`),
//! asks the engine for a report and shows it.

mod answers;
mod boundary;
mod chart;
mod editor;
mod format;
mod glossary;
mod panels;
mod presets;
mod prices;
pub mod state;
mod tiers;
mod why;

use crate::engine::{self, Report};
use panels::Panel;
use state::State;
use std::rc::Rc;
use yew::prelude::*;

pub use presets::opening as demo_scenario;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| State::new(presets::opening()));
    let scenario = state.scenario.clone();
    // Validate once per scenario: the problems for the editor, the report for the rest.
    let checked = use_memo(scenario, |s| match engine::Model::build(s) {
        Ok(model) => (
            Rc::new(Vec::new()),
            engine::evaluate_model(&model).map(Rc::new).ok(),
        ),
        Err(problems) => (Rc::new(problems), None),
    });
    let problems = checked.0.clone();
    // While the scenario is invalid, keep showing the last report it had, marked stale.
    let last_good = use_mut_ref(|| None::<Rc<Report>>);
    let (report, stale) = match &checked.1 {
        Some(r) => {
            *last_good.borrow_mut() = Some(r.clone());
            (Some(r.clone()), false)
        }
        None => (last_good.borrow().clone(), true),
    };
    let s = &state.scenario;
    // "why?" beside a liquidation price: explain that position, and show the explanation.
    let on_why = {
        let state = state.clone();
        Callback::from(move |i: usize| {
            state.dispatch(state::Action::Select(i));
            if let Some(el) = gloo::utils::document().get_element_by_id("why") {
                el.scroll_into_view();
            }
        })
    };
    html! {
        <div class="app">
            <header class="top">
                <h1>{ "Marginscope" }</h1>
                <p class="tagline">{ "Cross against isolated margin, exactly." }</p>
            </header>
            if let Some(name) = &s.name {
                <section class="story">
                    <h2>{ name.clone() }</h2>
                    if let Some(notes) = &s.notes { <p>{ notes.clone() }</p> }
                </section>
            }
            <div class="workspace">
                <div class="controls">
                    <prices::Prices state={state.clone()} />
                    <editor::Editor state={state.clone()} problems={problems.clone()} />
                    if !stale {
                        <answers::Answers scenario={state.scenario.clone()} selected={state.selected} />
                    }
                    <details class="scenario-json">
                        <summary>{ "The scenario as JSON (marginscope/1)" }</summary>
                        <pre id="scenario-json">{ state.scenario.to_json() }</pre>
                    </details>
                </div>
                <div class={classes!("results", stale.then_some("stale"))}>
                    if stale {
                        <p class="stale-note" role="status">{ "Some values need fixing: the numbers below are for the last valid portfolio." }</p>
                    }
                    if let Some(r) = report {
                        <div class="panels">
                            <Panel id="cross" title="Cross margin" lesson="The whole wallet backs every position: efficient, but one bad position can drain it and take every position down at once."
                                report={r.clone()} view={engine::View::AllCross} on_why={on_why.clone()} />
                            <Panel id="isolated" title="Isolated margin" lesson="Each position has only its own margin: when one fails, only that one is liquidated."
                                report={r.clone()} view={engine::View::AllIsolated} {on_why} />
                        </div>
                        { chart_for(&state, r.clone()) }
                    }
                </div>
            </div>
        </div>
    }
}

/// The chart for the selected position's asset, over its slider's range.
fn chart_for(state: &State, report: Rc<Report>) -> Html {
    let s = &state.scenario;
    let asset = s
        .positions
        .get(state.selected)
        .or_else(|| s.positions.first())
        .and_then(|p| s.markets.get(&p.market))
        .map(|m| m.asset.clone());
    let Some(asset) = asset else { return html! {} };
    let Some(reference) = state.reference.get(&asset).copied() else {
        return html! {};
    };
    let (lo, hi) = (
        reference / rust_decimal::Decimal::TWO,
        reference * rust_decimal::Decimal::from(3) / rust_decimal::Decimal::TWO,
    );
    html! {
        <section class="chart-card" aria-labelledby="chart-title">
            <h2 id="chart-title">{ format!("Equity and maintenance margin as {asset} moves") }</h2>
            <chart::Chart scenario={s.clone()} {report} asset={asset.clone()} {lo} {hi} />
            <boundary::BoundaryMap scenario={s.clone()} reference={state.reference.clone()} asset={asset.clone()} />
            <why::Why scenario={s.clone()} selected={state.selected} />
            <glossary::Glossary />
        </section>
    }
}
