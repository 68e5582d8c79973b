//! The Yew UI. It holds no margin math: it edits a `Scenario` (in `state`),
//! asks the engine for a report and shows it.

mod answers;
mod boundary;
mod chart;
pub mod config;
pub mod crash;
mod editor;
mod format;
mod glossary;
mod panels;
mod prices;
pub mod session;
mod share_bar;
pub mod state;
mod tiers;
mod why;

use crate::engine::{self, Comparison};
pub use crate::presets::opening as demo_scenario;
use config::Config;
pub use editor::field_name;
use panels::Panel;
use state::{Action, State};
use std::rc::Rc;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let config = use_memo((), |_| Config::from_query(&session::query()));
    let state = use_reducer({
        let config = (*config).clone();
        move || session::boot(&config)
    });
    let presenter = use_state_eq(|| config.present);
    use_effect_with((), {
        let config = config.clone();
        move |_| session::apply_theme(&config)
    });
    let save_problem = use_autosave(&state, config.embed);
    use_embed_height(config.embed);
    // Validate once per scenario: the problems for the editor, the report for the rest.
    // During a drag only prices change (`edits` stays): the last model is
    // moved to the new prices instead of being checked again, and the
    // comparison takes from the last one every isolated pool the move left
    // alone. The memo is keyed on what can change, `edits` and the prices
    // (every other change moves `edits`), not on a copy of the whole scenario.
    let last = use_mut_ref(|| None::<Last>);
    let checked = use_memo((state.scenario.prices.clone(), state.edits), {
        let state = state.clone();
        move |(prices, edits)| {
            let before = last.borrow_mut().take();
            let moved = before
                .as_ref()
                .filter(|l| l.edits == *edits)
                .and_then(|l| l.model.model().with_prices(prices));
            let built = match moved {
                Some(m) => Ok(m),
                None => engine::validator::build(&state.scenario),
            };
            match built {
                Ok(model) => {
                    // Every position's own figures, once for the two views,
                    // the charts, the explanation and the quick answers.
                    let model = Rc::new(engine::Prepared::new(model));
                    let earlier = before
                        .as_ref()
                        .and_then(|l| Some((&*l.model, &**l.report.as_ref()?)));
                    // A figure too large to compute exactly is a problem
                    // like any other: said beside its field.
                    let (problems, report) = match model.compare(earlier) {
                        Ok(r) => (Vec::new(), Some(Rc::new(r))),
                        Err(e) => (vec![e], None),
                    };
                    *last.borrow_mut() = Some(Last {
                        edits: *edits,
                        model: model.clone(),
                        report: report.clone(),
                    });
                    (Rc::new(problems), report, Some(Checked(model)))
                }
                Err(problems) => (Rc::new(problems), None, None),
            }
        }
    });
    let problems = checked.0.clone();
    let model = checked.2.clone();
    // While the scenario is invalid, keep showing the last report it had,
    // marked stale; not one from before a load, which is another portfolio's.
    let last_good = use_mut_ref(|| None::<(u64, Rc<Comparison>)>);
    let (report, stale) = match &checked.1 {
        Some(r) => {
            *last_good.borrow_mut() = Some((state.loads, r.clone()));
            (Some(r.clone()), false)
        }
        None => {
            let kept = last_good.borrow().clone();
            (
                kept.filter(|(loads, _)| *loads == state.loads)
                    .map(|(_, r)| r),
                true,
            )
        }
    };
    let s = &state.scenario;
    // "why?" beside a liquidation price: explain that position, and show the explanation.
    // The same callback at every render, so that the panels' rows, which
    // hold it, are not redrawn for its sake.
    let why = use_callback(state.dispatcher(), |i: usize, dispatcher| {
        dispatcher.dispatch(Action::Select(i));
        if let Some(el) = gloo::utils::document().get_element_by_id("why") {
            el.scroll_into_view();
        }
    });
    let on_why = config.shows("why").then_some(why);
    let shows = |part: &str| config.shows(part);
    let toggle_presenter = {
        let presenter = presenter.clone();
        Callback::from(move |_| presenter.set(!*presenter))
    };
    let class = classes!(
        "app",
        config.embed.then_some("embed"),
        presenter.then_some("presenter")
    );
    html! {
        <div {class}>
            if !config.embed {
                <header class="top">
                    <h1>{ "Marginscope" }</h1>
                    <p class="tagline">{ "Cross against isolated margin, exactly." }</p>
                    <button type="button" class="presenter-toggle" onclick={toggle_presenter} aria-pressed={presenter.to_string()}>
                        { if *presenter { "Leave presenter mode" } else { "Presenter mode" } }
                    </button>
                </header>
                <share_bar::ShareBar state={state.clone()} />
            }
            if state.other_tab.is_some() { { other_tab_notice(&state) } }
            if let Some(n) = &state.notice { { notice(n, &state) } }
            if let Some(problem) = (*save_problem).clone() {
                <p class="notice problem" role="status">{ format!("Not saved in this browser: {problem}.") }</p>
            }
            if let Some(name) = &s.name {
                <section class="story">
                    <h2>{ name.clone() }</h2>
                    if let Some(notes) = &s.notes { <p>{ notes.clone() }</p> }
                </section>
            }
            <div class="workspace">
                <div class="controls">
                    if shows("prices") { <prices::Prices state={state.clone()} /> }
                    if shows("editor") { <editor::Editor state={state.clone()} problems={problems.clone()} edits={state.edits} /> }
                    if !stale && shows("answers") {
                        <answers::Answers state={state.clone()} selected={state.selected} edits={state.edits} model={model.clone()} />
                    }
                    if !config.embed { <ScenarioJson state={state.clone()} /> }
                </div>
                <div class={classes!("results", stale.then_some("stale"))}>
                    if stale { { stale_note(&problems, s, report.is_some()) } }
                    if let Some(r) = report {
                        <div class="panels">
                            if shows("cross") {
                                <Panel id="cross" title="Cross margin" lesson="The whole wallet backs every position: efficient, but one bad position can drain it and take every position down at once."
                                    report={r.clone()} view={engine::View::AllCross} on_why={on_why.clone()} />
                            }
                            if shows("isolated") {
                                <Panel id="isolated" title="Isolated margin" lesson="Each position has only its own margin: when one fails, only that one is liquidated."
                                    report={r.clone()} view={engine::View::AllIsolated} {on_why} />
                            }
                        </div>
                        if let Some(model) = model { { chart_for(&state, r.clone(), model, &config) } }
                    }
                </div>
            </div>
            if !config.embed { <share_bar::Gallery state={state.clone()} /> }
        </div>
    }
}

/// Above the figures while the scenario has problems: that they are not
/// this portfolio's (or that there are none yet), and the first problems,
/// each with its field named, for a field that may be far down the page.
fn stale_note(problems: &[engine::Error], s: &engine::Scenario, kept: bool) -> Html {
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
                        <li>{ format!("{}: {}", editor::field_name(&e.path, s), e.message) }</li>
                    }) }
                    if problems.len() > LISTED {
                        <li>{ format!("and {} more, each beside its field.", problems.len() - LISTED) }</li>
                    }
                </ul>
            }
        </div>
    }
}

/// The last valid model and its comparison, which the next price move
/// starts from.
struct Last {
    /// `State::edits` when it was built.
    edits: u64,
    model: Rc<engine::Prepared>,
    report: Option<Rc<Comparison>>,
}

#[derive(Properties, PartialEq)]
struct ScenarioJsonProps {
    state: UseReducerHandle<State>,
}

/// The scenario as text, written out only while it is open: serialising a
/// large portfolio at every tick of a drag would cost more than the margin math.
#[function_component(ScenarioJson)]
fn scenario_json(p: &ScenarioJsonProps) -> Html {
    let (open, ontoggle) = use_details_open();
    html! {
        <details class="scenario-json" {open} {ontoggle}>
            <summary>{ "The scenario as JSON (marginscope/1)" }</summary>
            if open { <pre id="scenario-json">{ p.state.scenario.to_json() }</pre> }
        </details>
    }
}

/// Whether a `<details>` block is open, and the `toggle` handler that keeps
/// track: for blocks whose content is worked out only while it is open.
#[hook]
fn use_details_open() -> (bool, Callback<Event>) {
    let open = use_state_eq(|| false);
    let ontoggle = {
        let open = open.clone();
        on_toggle(move |is_open| open.set(is_open))
    };
    (*open, ontoggle)
}

/// A button's click handler that sends one action.
fn on_click(state: &UseReducerHandle<State>, action: Action) -> Callback<MouseEvent> {
    let state = state.clone();
    Callback::from(move |_| state.dispatch(action.clone()))
}

/// A `<details>` block's `toggle` handler, told whether it is now open: the
/// blocks whose content is drawn only while open keep that in their state.
fn on_toggle(f: impl Fn(bool) + 'static) -> Callback<Event> {
    Callback::from(move |e: Event| {
        let el: web_sys::Element = e.target_unchecked_into();
        f(el.has_attribute("open"));
    })
}

fn notice(n: &state::Notice, state: &UseReducerHandle<State>) -> Html {
    let undo = on_click(state, Action::Undo);
    let dismiss = on_click(state, Action::DismissNotice);
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
fn other_tab_notice(state: &UseReducerHandle<State>) -> Html {
    let take = on_click(state, Action::TakeOtherTab);
    let keep = on_click(state, Action::KeepThisTab);
    html! {
        <div class="notice problem" role="alert" id="other-tab">
            <span>{ "Another tab saved a different scenario. This tab has stopped saving so that neither is lost." }</span>
            <button type="button" onclick={take}>{ "Open the other tab's" }</button>
            <button type="button" onclick={keep}>{ "Keep this one (and save it)" }</button>
        </div>
    }
}

/// Saves the state a moment after the last change (a drag saves once, at
/// its end); says so when the browser refuses.
#[hook]
fn use_autosave(state: &UseReducerHandle<State>, embed: bool) -> UseStateHandle<Option<String>> {
    let problem = use_state_eq(|| None::<String>);
    let timer = use_mut_ref(|| None::<gloo::timers::callback::Timeout>);
    let state = state.clone();
    let problem_out = problem.clone();
    {
        // Another tab's save reaches this one as a `storage` event.
        let state = state.clone();
        use_effect_with(embed, move |embed| {
            let listener = (!*embed).then(|| {
                session::on_other_tab_save(move |text| state.dispatch(Action::OtherTabSaved(text)))
            });
            move || drop(listener)
        });
    }
    use_effect(move || {
        // An embed belongs to another page's lesson: it never writes over the
        // visitor's own saved work. Nor does a tab whose save another tab has
        // replaced, until the person has chosen.
        crate::ui::crash::keep_for_crash(&state, !embed && state.other_tab.is_none());
        if !embed && state.other_tab.is_none() {
            let t = gloo::timers::callback::Timeout::new(300, move || {
                problem.set(session::save(&state).err());
            });
            *timer.borrow_mut() = Some(t);
        } else {
            *timer.borrow_mut() = None;
        }
    });
    problem_out
}

/// In an embed, tells the parent page the widget's height whenever it changes
/// (a render, a window resize, a details block opened).
#[hook]
fn use_embed_height(embed: bool) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use_effect_with(embed, |embed| {
        let mut observer = None;
        if *embed {
            let last = std::rc::Rc::new(std::cell::Cell::new(-1));
            let on_resize = Closure::<dyn FnMut()>::new(move || {
                let mut h = last.get();
                session::post_height(&mut h);
                last.set(h);
            });
            if let (Ok(o), Some(body)) = (
                web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()),
                gloo::utils::document().body(),
            ) {
                o.observe(&body);
                observer = Some((o, on_resize));
            }
        }
        move || {
            if let Some((o, _closure)) = observer {
                o.disconnect();
            }
        }
    });
}

/// The chart for the selected position's asset, over its slider's range.
/// A validated portfolio with its positions' figures, shared by the charts,
/// the explanation and the quick answers so that none of them checks it or
/// works them out again; equal when it is the same check.
#[derive(Clone)]
pub struct Checked(pub Rc<engine::Prepared>);

impl Checked {
    pub fn model(&self) -> &engine::Model {
        self.0.model()
    }
}

/// What a drawing over one or two assets' price ranges depends on, besides
/// those ranges: the portfolio (its edit count) and every other asset's
/// price. Dragging the drawn asset's own slider leaves it unchanged, so the
/// drawing is not worked out again at every tick.
#[derive(Clone, PartialEq)]
pub struct DrawKey {
    edits: u64,
    others: Vec<rust_decimal::Decimal>,
}

impl DrawKey {
    pub fn new(edits: u64, model: &engine::Model, skip: &[usize]) -> DrawKey {
        let others = model
            .assets
            .iter()
            .enumerate()
            .filter(|(i, _)| !skip.contains(i))
            .map(|(_, a)| a.price)
            .collect();
        DrawKey { edits, others }
    }
}

impl PartialEq for Checked {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

fn chart_for(state: &State, report: Rc<Comparison>, model: Checked, config: &Config) -> Html {
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
    let (lo, hi) = prices::range(reference);
    if !(config.shows("chart") || config.shows("map") || config.shows("why")) {
        return html! {};
    }
    html! {
        <section class="chart-card" aria-labelledby="chart-title">
            <h2 id="chart-title">{ format!("Equity and maintenance margin as {asset} moves") }</h2>
            if config.shows("chart") {
                <chart::Chart model={model.clone()} {report} asset={asset.clone()} {lo} {hi} edits={state.edits} />
            }
            if config.shows("map") {
                <boundary::BoundaryMap model={model.clone()} reference={state.reference.clone()} asset={asset.clone()} edits={state.edits} />
            }
            if config.shows("why") {
                <why::Why {model} selected={state.selected} />
                <glossary::Glossary />
            }
        </section>
    }
}
