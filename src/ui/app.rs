//! `App`: the one reducer, the figures derived from it (`use_results`), and
//! the page's markup. Every other component takes data and callbacks.

use super::by_ptr::ByPtr;
use super::config::{Config, Part};
use super::hooks::{on_click, use_autosave, use_details_open, use_embed_height};
use super::panels::Panel;
use super::results::{use_results, Results};
use super::state::{field_name, Action, Notice, State};
use super::{
    account_import, answers, boundary, chart, editor, glossary, holding, prices, session,
    share_bar, why,
};
use crate::engine::{self, Comparison, Prepared, Scenario};
use std::rc::Rc;
use yew::prelude::*;

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.next(action))
    }
}

#[component]
pub fn App() -> Html {
    let config = use_memo((), |_| Config::from_query(&session::query()));
    let state = use_reducer({
        let config = (*config).clone();
        move || session::boot(&config)
    });
    // One callback for every action, the same at every render, so that the
    // components holding it are not redrawn for its sake.
    let on_action = use_callback(state.dispatcher(), |action: Action, dispatcher| {
        dispatcher.dispatch(action)
    });
    let presenter = use_state_eq(|| config.present);
    use_effect_with(config.clone(), |config| session::apply_theme(config));
    let save_problem = use_autosave(&state, config.embed, &on_action);
    use_embed_height(config.embed);
    let results = use_results(&state);
    // The scenario as of its last change but a price's: what the editor and
    // the entry-based answers show, left alone by a drag.
    let portfolio: Rc<Scenario> = {
        let scenario = state.scenario.clone();
        (*use_memo(state.portfolio_edits, move |_| scenario)).clone()
    };
    // "why?" beside a liquidation price: explain that position, and show the explanation.
    let why = use_callback(on_action.clone(), |i: usize, on_action| {
        on_action.emit(Action::Select(i));
        if let Some(el) = gloo::utils::document().get_element_by_id("why") {
            el.scroll_into_view();
        }
    });
    let on_why = config.shows(Part::Why).then_some(why);
    let shows = |part: Part| config.shows(part);
    let toggle_presenter = {
        let presenter = presenter.clone();
        Callback::from(move |_| presenter.set(!*presenter))
    };
    let class = classes!(
        "app",
        config.embed.then_some("embed"),
        presenter.then_some("presenter")
    );
    let s = &state.scenario;
    let Results {
        problems,
        prepared,
        comparison,
        stale,
    } = results;
    html! {
        <div {class}>
            if !config.embed {
                <header class="top">
                    <h1>{ "Marginscope" }</h1>
                    <p class="tagline">{ "Isolated, cross and portfolio margin, exactly." }</p>
                    <button type="button" class="presenter-toggle" onclick={toggle_presenter} aria-pressed={presenter.to_string()}>
                        { if *presenter { "Leave presenter mode" } else { "Presenter mode" } }
                    </button>
                </header>
            }
            <main id="main">
            if *presenter {
                if let (Some(r), Some(prepared)) = (comparison.clone(), prepared.clone()) {
                    { stage(&state, r, prepared, &config, &on_action) }
                }
            }
            if !config.embed {
                <share_bar::ShareBar snapshot={state.to_snapshot()} on_action={on_action.clone()} />
                <account_import::AccountImport on_action={on_action.clone()} />
            }
            if state.other_tab.is_some() { { other_tab_notice(&on_action) } }
            if let Some(n) = &state.notice { { notice(n, &on_action) } }
            if let Some(problem) = (*save_problem).clone() {
                <p class="notice problem" role="status">{ format!("Not saved in this browser: {problem}.") }</p>
            }
            if let Some(name) = &s.name {
                <section class="story" aria-labelledby="story-title">
                    <h2 id="story-title">{ name.clone() }</h2>
                    if let Some(notes) = &s.notes { <p>{ notes.clone() }</p> }
                </section>
            }
            <div class="workspace">
                <div class="controls">
                    if shows(Part::Prices) {
                        <prices::Prices prices={s.prices.clone()} reference={state.reference.clone()}
                            typed={state.invalid.clone()} market_move={state.market_move} quote={s.quote.clone()} on_action={on_action.clone()} />
                    }
                    if shows(Part::Holding) {
                        <holding::Holding holding_hours={s.holding_hours} typed={state.invalid.get("holding_hours").cloned()}
                            report={comparison.clone()} prepared={prepared.clone()} selected={state.selected}
                            views={shown_views(&config)} on_action={on_action.clone()} />
                    }
                    if shows(Part::Editor) {
                        <editor::Editor portfolio={portfolio.clone()} typed={state.invalid.clone()} problems={problems.clone()}
                            positions_shown={state.positions_shown} positions_kept={state.positions_kept.clone()}
                            selected={state.selected} on_action={on_action.clone()} />
                    }
                    if !stale && shows(Part::Answers) {
                        <answers::Answers portfolio={portfolio.clone()} selected={state.selected} prepared={prepared.clone()} />
                    }
                    if !config.embed { <ScenarioJson scenario={s.clone()} /> }
                </div>
                <div class={classes!("results", stale.then_some("stale"))}>
                    if stale { { stale_note(&problems, s, comparison.is_some()) } }
                    if let Some(check) = state.venue_check.clone() {
                        <account_import::VenueCheckCard {check} on_action={on_action.clone()} />
                    }
                    if let Some(r) = comparison {
                        <super::panels::NeedsTable report={r.clone()} views={shown_views(&config)} />
                        <div class="panels">
                            if shows(Part::Isolated) {
                                <Panel id="isolated" title="Isolated margin" lesson="Each position has only its own margin: when one fails, only that one is liquidated."
                                    report={r.clone()} view={engine::View::AllIsolated} on_why={on_why.clone()} />
                            }
                            if shows(Part::Cross) {
                                <Panel id="cross" title="Cross margin" lesson="The whole wallet backs every position: efficient, but one bad position can drain it and take every position down at once."
                                    report={r.clone()} view={engine::View::AllCross} on_why={on_why.clone()} />
                            }
                            if shows(Part::Portfolio) {
                                if r.all_portfolio.is_some() {
                                    <Panel id="portfolio" title="Portfolio margin" lesson="Each asset's positions are charged together, at their worst loss over a grid of price moves: a hedge nets out, a naked bet pays for the whole move."
                                        report={r.clone()} view={engine::View::AllPortfolio} {on_why} />
                                } else {
                                    <PortfolioPrompt portfolio={portfolio.clone()} locked={config.locked} on_action={on_action.clone()} />
                                }
                            }
                        </div>
                        if let Some(prepared) = prepared { { chart_card(&state, r.clone(), prepared, &config, &on_action) } }
                        if shows(Part::Prices) {
                            <super::summary::Summary report={r.clone()} selected={state.selected} views={shown_views(&config)} />
                        }
                    }
                </div>
            </div>
            if !config.embed { <share_bar::Gallery on_action={on_action.clone()} /> }
            </main>
        </div>
    }
}

/// The modes whose panels the page shows, in its order, with their names.
fn shown_views(config: &Config) -> Vec<(engine::View, &'static str)> {
    [
        (Part::Isolated, engine::View::AllIsolated, "Isolated"),
        (Part::Cross, engine::View::AllCross, "Cross"),
        (Part::Portfolio, engine::View::AllPortfolio, "Portfolio"),
    ]
    .into_iter()
    .filter(|(part, _, _)| config.shows(*part))
    .map(|(_, view, name)| (view, name))
    .collect()
}

/// Above the figures while the scenario has problems: that they are not
/// this portfolio's (or that there are none yet), and the first problems,
/// each with its field named, for a field that may be far down the page.
fn stale_note(problems: &[engine::Error], s: &Scenario, kept: bool) -> Html {
    const LISTED: usize = 3;
    let lead = if kept {
        "Some values need fixing: the numbers below are for the last valid portfolio."
    } else {
        "Some values need fixing before there are numbers to show."
    };
    html! {
        <div class="stale-note" role="status">
            <p>{ lead }</p>
            if !problems.is_empty() {
                <ul class="problems">
                    { for problems.iter().take(LISTED).map(|e| html! {
                        <li>{ format!("{}: {}", field_name(&e.path, s), e.message) }</li>
                    }) }
                    if problems.len() > LISTED {
                        <li>{ format!("and {} more, each beside its field.", problems.len() - LISTED) }</li>
                    }
                </ul>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PortfolioPromptProps {
    portfolio: Rc<Scenario>,
    locked: bool,
    on_action: Callback<Action>,
}

/// In the portfolio panel's place while some traded asset has no portfolio
/// margin parameters: which, and (where the book can be edited) the
/// published sets that give them in one click.
#[component]
fn PortfolioPrompt(p: &PortfolioPromptProps) -> Html {
    let s = &*p.portfolio;
    // The traded assets without parameters, each once and in name order:
    // kept sorted as they come (a sort is kilobytes of wasm per kind).
    let mut missing: Vec<&str> = Vec::new();
    for a in s.positions.iter().filter_map(|pos| s.asset_of(pos)) {
        if let (false, Err(at)) = (
            s.portfolio_margin.contains_key(a),
            missing.binary_search(&a),
        ) {
            missing.insert(at, a);
        }
    }
    html! {
        <section class="panel portfolio-prompt" id="portfolio" aria-labelledby="portfolio-title">
            <h3 id="portfolio-title">{ "Portfolio margin" }</h3>
            <p class="lesson">{ "Each asset's positions are charged together, at their worst loss over a grid of price moves: a hedge nets out, a naked bet pays for the whole move." }</p>
            <p class="headline" data-k="headline">
                { format!("Needs the venue's scenario grid for {}.", missing.join(", ")) }
            </p>
            if !p.locked {
                <p>{ "Use a published set (it can be edited under Portfolio margin parameters):" }</p>
                <div class="row-actions sets">
                    { for crate::presets::PORTFOLIO_SETS.iter().map(|set| html! {
                        <button type="button" onclick={on_click(&p.on_action, Action::UsePortfolioSet(set.id.to_string()))}
                            title={set.source} data-set={set.id}>{ set.name }</button>
                    }) }
                </div>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ScenarioJsonProps {
    scenario: Rc<Scenario>,
}

/// The scenario as text, written out only while it is open: serialising a
/// large portfolio at every tick of a drag would cost more than the margin math.
#[component]
fn ScenarioJson(p: &ScenarioJsonProps) -> Html {
    let (open, ontoggle) = use_details_open();
    html! {
        <details class="scenario-json" {open} {ontoggle}>
            <summary>{ "The scenario as JSON (marginscope/1)" }</summary>
            if open { <pre id="scenario-json">{ p.scenario.to_json() }</pre> }
        </details>
    }
}

fn notice(n: &Notice, on_action: &Callback<Action>) -> Html {
    let undo = on_click(on_action, Action::Undo);
    let dismiss = on_click(on_action, Action::DismissNotice);
    html! {
        <div class={classes!("notice", n.problem.then_some("problem"))} role={if n.problem { "alert" } else { "status" }} id="notice">
            <span>{ n.text.clone() }</span>
            if n.undo { <button type="button" onclick={undo}>{ "Undo" }</button> }
            <button type="button" onclick={dismiss} aria-label="Dismiss this message">{ "Dismiss" }</button>
        </div>
    }
}

/// Another tab saved a different scenario: this tab stopped saving, and asks
/// which to keep (both stay until then: one saved, one on this page).
fn other_tab_notice(on_action: &Callback<Action>) -> Html {
    let take = on_click(on_action, Action::TakeOtherTab);
    let keep = on_click(on_action, Action::KeepThisTab);
    html! {
        <div class="notice problem" role="alert" id="other-tab">
            <span>{ "Another tab saved a different scenario. This tab has stopped saving so that neither is lost." }</span>
            <button type="button" onclick={take}>{ "Open the other tab's" }</button>
            <button type="button" onclick={keep}>{ "Keep this one (and save it)" }</button>
        </div>
    }
}

/// The selected position's asset (or the first position's), when it has a
/// slider: what the chart and the stage are about.
fn charted_asset(state: &State) -> Option<(String, rust_decimal::Decimal)> {
    let s = &state.scenario;
    let asset = s
        .positions
        .get(state.selected)
        .or_else(|| s.positions.first())
        .and_then(|p| s.asset_of(p))?
        .to_string();
    let reference = state.reference.get(&asset).copied()?;
    Some((asset, reference))
}

/// The chart of `asset` over its slider's range (the chart card's and the stage's).
fn chart(
    state: &State,
    report: ByPtr<Comparison>,
    prepared: ByPtr<Prepared>,
    (asset, reference): (&str, rust_decimal::Decimal),
    on_action: &Callback<Action>,
) -> Html {
    let (lo, hi) = prices::range(reference);
    html! {
        <chart::Chart {prepared} {report} asset={asset.to_string()} {lo} {hi} portfolio_edits={state.portfolio_edits}
            step={prices::step(reference)} quote={state.scenario.quote.clone()} on_action={on_action.clone()} />
    }
}

/// The workshop stage: the selected asset's slider, each mode's headline
/// figures and the chart, on one screen.
fn stage(
    state: &State,
    report: ByPtr<Comparison>,
    prepared: ByPtr<Prepared>,
    config: &Config,
    on_action: &Callback<Action>,
) -> Html {
    let Some((asset, reference)) = charted_asset(state) else {
        return html! {};
    };
    let s = &state.scenario;
    // For each asset in order, its first position (the digit keys select it).
    let mut asset_positions: Vec<(String, usize)> = Vec::new();
    for a in s.prices.keys() {
        if let Some(i) = s
            .positions
            .iter()
            .position(|p| s.asset_of(p) == Some(a.as_str()))
        {
            asset_positions.push((a.clone(), i));
        }
    }
    let moves = crate::presets::LESSONS
        .iter()
        .find(|l| s.name.as_deref() == Some(l.title))
        .map_or(&[][..], |l| l.moves);
    let chart = chart(
        state,
        report.clone(),
        prepared,
        (&asset, reference),
        on_action,
    );
    // By insertion: collecting a map sorts its items first, a sort's code
    // for this one map.
    let mut prices = std::collections::BTreeMap::new();
    for (k, v) in &s.prices {
        prices.insert(k.clone(), v.0);
    }
    html! {
        <super::stage::Stage asset={asset} quote={s.quote.clone()} {prices}
            reference={state.reference.clone()} {report} selected={state.selected} {asset_positions}
            views={shown_views(config)} {moves} holding_hours={s.holding_hours.map_or(rust_decimal::Decimal::ZERO, |h| h.0)} on_action={on_action.clone()} {chart} />
    }
}

/// The chart, the map and the explanation for the selected position's
/// asset, over its slider's range.
fn chart_card(
    state: &State,
    report: ByPtr<Comparison>,
    prepared: ByPtr<Prepared>,
    config: &Config,
    on_action: &Callback<Action>,
) -> Html {
    let Some((asset, reference)) = charted_asset(state) else {
        return html! {};
    };
    if !(config.shows(Part::Chart) || config.shows(Part::Map) || config.shows(Part::Why)) {
        return html! {};
    }
    let edits = state.portfolio_edits;
    let report_for_why = report.clone();
    html! {
        <section class="chart-card" aria-labelledby="chart-title">
            <h2 id="chart-title">{ format!("Equity and maintenance margin as {asset} moves") }</h2>
            if config.shows(Part::Chart) {
                { chart(state, report, prepared.clone(), (&asset, reference), on_action) }
            }
            if config.shows(Part::Map) {
                <boundary::BoundaryMap prepared={prepared.clone()} reference={state.reference.clone()} asset={asset.clone()} portfolio_edits={edits} />
            }
            if config.shows(Part::Why) {
                <why::Why {prepared} report={report_for_why} selected={state.selected} portfolio_edits={edits} />
                <glossary::Glossary />
            }
        </section>
    }
}
