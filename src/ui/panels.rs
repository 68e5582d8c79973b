//! The isolated, cross and portfolio panels: the same book margined three
//! ways, and what each needs side by side.

use super::by_ptr::ByPtr;
use super::format;
use super::glossary::{Term, TermLabel};
use crate::engine::display;
use crate::engine::name::Name;
use crate::engine::num::times;
use crate::engine::report::{
    Evaluation, PoolReport, PositionReport, Requirement, Status, Threshold, UnitReport,
};
use crate::engine::scenario::MarginMode;
use crate::engine::Comparison;
use crate::engine::View;
use rust_decimal::Decimal;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub title: AttrValue,
    /// What this way of margining means, in a sentence.
    pub lesson: AttrValue,
    /// Shared, not copied: every slider tick makes a new report.
    pub report: ByPtr<Comparison>,
    pub view: View,
    pub id: AttrValue,
    /// Asked to explain position i's liquidation price (the "why" beside it);
    /// none where the explanation is not on the page (an embed without it).
    #[prop_or_default]
    pub on_why: Option<Callback<usize>>,
}

fn status_words(s: Status) -> &'static str {
    match s {
        Status::Healthy => "Healthy",
        Status::BelowInitialMargin => "Below initial margin: no new positions",
        Status::Liquidated => "Liquidated",
    }
}

/// Margin ratio (maintenance margin / equity) as a bar: full at 100 %, liquidation.
#[component]
fn Gauge(p: &GaugeProps) -> Html {
    let ratio = p
        .ratio
        .unwrap_or(Decimal::ONE)
        .clamp(Decimal::ZERO, Decimal::ONE);
    let width = times(ratio, Decimal::ONE_HUNDRED)
        .unwrap_or(Decimal::ONE_HUNDRED)
        .round_dp(1);
    let level = if ratio >= Decimal::ONE {
        "danger"
    } else if ratio >= Decimal::new(5, 1) {
        "warn"
    } else {
        "ok"
    };
    let text = p
        .ratio
        .map(format::percent)
        .unwrap_or_else(|| "no equity".into());
    html! {
        <div class="gauge" role="meter" aria-label="Margin ratio" aria-valuemin="0" aria-valuemax="100"
            aria-valuenow={width.to_string()} aria-valuetext={text.clone()}>
            // An SVG width, not a style attribute: the page's CSP allows no inline style.
            <svg class="gauge-bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true">
                <rect class={classes!("gauge-fill", level)} width={width.to_string()} height="1" />
            </svg>
            <span class="gauge-text">{ text }</span>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct GaugeProps {
    ratio: Option<Decimal>,
}

#[derive(Properties, PartialEq)]
struct PoolCardProps {
    pool: PoolReport,
}

/// One pool's figures. A component, so that a drag redraws only the pools
/// whose figures moved (an isolated pool on another asset stays as it is).
#[component]
fn PoolCard(p: &PoolCardProps) -> Html {
    let pool = &p.pool;
    let c = &pool.currency;
    let title = match pool.mode {
        MarginMode::Cross => format!("Cross pool ({c})"),
        MarginMode::Portfolio => format!("Portfolio pool ({c})"),
        MarginMode::Isolated => format!("Isolated: {}", pool.id),
    };
    let liquidated = pool.status == Status::Liquidated;
    html! {
        <div class={classes!("pool", liquidated.then_some("liquidated"))} data-pool={pool.id.to_string()}>
            <h4>{ title } <span class={classes!("status", format!("{:?}", pool.status).to_ascii_lowercase())}>{ status_words(pool.status) }</span></h4>
            <Gauge ratio={pool.margin_ratio} />
            <dl class="figures">
                <dt><TermLabel term={Term::Equity} /></dt><dd data-k="equity">{ format::money(pool.equity, c) }</dd>
                <dt><TermLabel term={Term::MaintenanceMargin} /></dt><dd data-k="mm">{ format::money(pool.maintenance_margin, c) }</dd>
                <dt><TermLabel term={Term::InitialMargin} /></dt><dd data-k="im">{ format::money(pool.initial_margin, c) }</dd>
                <dt><TermLabel term={Term::CollateralRatio} /></dt>
                <dd data-k="collateral-ratio">{ pool.collateral_ratio.map(format::ratio).unwrap_or_else(|| "—".into()) }</dd>
                <dt><TermLabel term={Term::MarginRatio} /></dt>
                <dd data-k="margin-ratio">{ pool.margin_ratio.map(format::percent).unwrap_or_else(|| "no equity".into()) }</dd>
                <dt><TermLabel term={Term::EffectiveLeverage} /></dt><dd data-k="leverage">{ pool.effective_leverage.map(format::ratio).unwrap_or_else(|| "—".into()) }</dd>
                <dt><TermLabel term={Term::FreeMargin} /></dt><dd data-k="free">{ format::money(pool.free_margin, c) }</dd>
                if let Some(costs) = &pool.costs {
                    <dt>{ "Equity after costs" }</dt><dd data-k="equity-after">{ format::money(costs.equity, c) }</dd>
                    <dt>{ "Funding, fees to close" }</dt><dd data-k="pool-costs">{ format!("{}, {}", format::money(costs.funding, c), format::money(costs.close_fees, c)) }</dd>
                }
            </dl>
            if !pool.units.is_empty() { { units_list(pool) } }
        </div>
    }
}

/// A portfolio pool's risk units: the scenario that gives each its worst
/// loss, and what each charge adds to its requirement. A list per unit, not
/// a wide table, so that it reads in a panel a third of a screen wide.
fn units_list(pool: &PoolReport) -> Html {
    html! {
        <div class="units" data-k="units">
            { for pool.units.iter().map(|u| html! {
                <UnitCard key={u.asset.as_str()} unit={u.clone()} currency={pool.currency.clone()} />
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct UnitCardProps {
    unit: UnitReport,
    currency: Name,
}

/// One risk unit. A component, so that a drag redraws only the units whose
/// charges moved: those on the dragged asset.
#[component]
fn UnitCard(p: &UnitCardProps) -> Html {
    let (u, c) = (&p.unit, &p.currency);
    let scenario = match u.worst_scenario {
        Some(s) => format!("{} {}", direction(s), format::signed_percent(s)),
        None => "no scenario loses".to_string(),
    };
    let n = u.positions.len();
    html! {
        <div class="unit" data-unit={u.asset.to_string()}>
            <h5><TermLabel term={Term::RiskUnit} label={format!("{} unit", u.asset)} />
                <span class="unit-positions">{ format!(" ({n} {})", if n == 1 { "position" } else { "positions" }) }</span></h5>
            <dl class="figures">
                <dt><TermLabel term={Term::WorstScenario} /></dt><dd data-k="worst-scenario">{ scenario }</dd>
                <dt>{ "Worst loss" }</dt><dd data-k="worst-loss">{ format::money(u.worst_loss, c) }</dd>
                <dt>{ "+ roll charge" }</dt><dd data-k="roll">{ format::money(u.roll_charge, c) }</dd>
                <dt>{ "+ basis charge" }</dt><dd data-k="basis">{ format::money(u.basis_charge, c) }</dd>
                <dt>{ "at least the floor" }</dt><dd data-k="floor">{ format::money(u.floor_charge, c) }</dd>
                <dt>{ "= requirement" }</dt><dd data-k="requirement">{ format::money(u.requirement, c) }</dd>
                <dt><TermLabel term={Term::MaintenanceMargin} /></dt><dd data-k="unit-mm">{ format::money(u.maintenance_margin, c) }</dd>
                <dt><TermLabel term={Term::InitialMargin} /></dt><dd data-k="unit-im">{ format::money(u.initial_margin, c) }</dd>
            </dl>
        </div>
    }
}

/// A price scenario's direction, in words.
fn direction(s: Decimal) -> &'static str {
    if s < Decimal::ZERO {
        "down"
    } else if s > Decimal::ZERO {
        "up"
    } else {
        "unchanged"
    }
}

/// A requirement's amounts in each currency, joined: `1,200 USDT + 0.02 BTC`.
fn amounts(needs: &[Requirement], each: fn(&Requirement) -> Option<Decimal>) -> String {
    let parts: Vec<String> = needs
        .iter()
        .map(|r| match each(r) {
            Some(v) => format!("{} {}", format::money(v, &r.currency), r.currency),
            None => format!("beyond what a decimal holds, in {}", r.currency),
        })
        .collect();
    if parts.is_empty() {
        "nothing".to_string()
    } else {
        parts.join(" + ")
    }
}

/// What the book needs in this mode, to open (initial margin) and to keep
/// (maintenance margin), in each currency its pools are kept in.
fn needs(e: &Evaluation) -> Html {
    let needs = e.requirements();
    html! {
        <p class="needs">
            { "Needs " }<strong data-k="needs-im">{ amounts(&needs, |r| r.initial_margin) }</strong>{ " to open, " }
            <strong data-k="needs-mm">{ amounts(&needs, |r| r.maintenance_margin) }</strong>{ " to keep." }
        </p>
    }
}

#[derive(Properties, PartialEq)]
pub struct NeedsTableProps {
    pub report: ByPtr<Comparison>,
    /// The modes whose panels are shown, in the page's order, with their names.
    pub views: Vec<(View, &'static str)>,
}

/// The margin the same book needs in each mode shown, side by side in one
/// small table: the capital efficiency of each mode at a glance, above
/// panels that a narrow screen stacks.
#[component]
pub fn NeedsTable(p: &NeedsTableProps) -> Html {
    let cols: Vec<(&'static str, Vec<Requirement>)> = p
        .views
        .iter()
        .filter_map(|(v, name)| p.report.get(*v).map(|e| (*name, e.requirements())))
        .collect();
    if cols.len() < 2 {
        return html! {};
    }
    // One currency throughout: named once, in the corner, so that each
    // amount fits a phone's column.
    let first = cols
        .first()
        .and_then(|(_, r)| r.first())
        .map(|r| r.currency.clone());
    let one = first.filter(|c| cols.iter().all(|(_, r)| r.iter().all(|x| x.currency == *c)));
    let cell = |r: &[Requirement], each: fn(&Requirement) -> Option<Decimal>| match &one {
        Some(c) => r
            .first()
            .and_then(each)
            .map_or_else(|| "—".to_string(), |v| format::money(v, c)),
        None => amounts(r, each),
    };
    let corner = one
        .as_ref()
        .map_or_else(|| "Needs".to_string(), |c| format!("Needs ({c})"));
    html! {
        <table class="needs-table" aria-label="Margin the book needs in each mode">
            <thead><tr><th scope="col">{ corner }</th>
                { for cols.iter().map(|(name, _)| html! { <th scope="col">{ *name }</th> }) }</tr></thead>
            <tbody>
                <tr><th scope="row"><TermLabel term={Term::InitialMargin} label="To open" /></th>
                    { for cols.iter().map(|(name, r)| html! { <td data-mode={name.to_ascii_lowercase()} data-k="im">{ cell(r, |r| r.initial_margin) }</td> }) }</tr>
                <tr><th scope="row"><TermLabel term={Term::MaintenanceMargin} label="To keep" /></th>
                    { for cols.iter().map(|(name, r)| html! { <td data-mode={name.to_ascii_lowercase()} data-k="mm">{ cell(r, |r| r.maintenance_margin) }</td> }) }</tr>
            </tbody>
        </table>
    }
}

/// The whole-market move that liquidates a cross pool, in words. A move is
/// rounded toward zero, so the one shown never goes past the true one.
fn threshold_text(t: &Threshold, pool: &PoolReport) -> String {
    let pct = |d: Decimal| format::percent(display::round_toward(d, Decimal::ZERO, 4).abs());
    let kind = if pool.mode == MarginMode::Portfolio {
        "portfolio"
    } else {
        "cross"
    };
    let which = if pool.currency == pool.currency.as_str() && !pool.id.contains(':') {
        format!("the {kind} pool")
    } else {
        format!("the {kind} pool in {}", pool.currency)
    };
    let moves: Vec<String> = [
        t.down.map(|d| format!("falls {}", pct(d))),
        t.up.map(|u| format!("rises {}", pct(u))),
    ]
    .into_iter()
    .flatten()
    .collect();
    if moves.is_empty() {
        format!("Whole market: no move of every price together liquidates {which}.")
    } else {
        format!(
            "Whole market: {which} is liquidated if every price {}.",
            moves.join(" or ")
        )
    }
}

/// Rows and pool cards drawn before "Show all": enough for any portfolio a
/// person reads row by row, few enough that a drag stays within a frame.
const ROWS_SHOWN: usize = 50;
const POOLS_SHOWN: usize = 12;

fn more_text(rows: usize, pools: usize) -> String {
    let n =
        |k: usize, one: &str, many: &str| format!("{k} more {}", if k == 1 { one } else { many });
    match (rows, pools) {
        (0, p) => format!("{} not shown.", n(p, "pool", "pools")),
        (r, 0) => format!("{} not shown.", n(r, "position", "positions")),
        (r, p) => format!(
            "{} and {} not shown.",
            n(r, "position", "positions"),
            n(p, "pool", "pools")
        ),
    }
}

#[component]
pub fn Panel(p: &PanelProps) -> Html {
    // Every hook first: Yew finds a hook's state by its place in the order.
    let show_all = use_state_eq(|| false);
    let Some(e) = p.report.get(p.view) else {
        return html! {};
    };
    let a = &e.account;
    let total = e.positions.len();
    let headline = match (a.liquidated_positions, a.status) {
        (0, Status::Healthy) => {
            "Healthy: every position is above its maintenance margin.".to_string()
        }
        (0, _) => "Below initial margin: no new positions can be opened.".to_string(),
        (n, _) if n == total => format!("LIQUIDATED: all {n} positions."),
        (n, _) => format!("LIQUIDATED: {n} of {total} positions."),
    };
    let pools: Vec<&PoolReport> = e.pools.iter().filter(|x| !x.positions.is_empty()).collect();
    // A large portfolio shows its first rows and pools, and the rest on
    // request: the headline still counts every position.
    let (rows, cards) = if *show_all {
        (total, pools.len())
    } else {
        (ROWS_SHOWN, POOLS_SHOWN)
    };
    let hidden_rows = total.saturating_sub(rows);
    let hidden_pools = pools.len().saturating_sub(cards);
    let long = total > ROWS_SHOWN || pools.len() > POOLS_SHOWN;
    let toggle = {
        let show_all = show_all.clone();
        Callback::from(move |_| show_all.set(!*show_all))
    };
    html! {
        <section class={classes!("panel", (a.liquidated_positions > 0).then_some("has-liquidation"))} id={p.id.clone()} aria-labelledby={format!("{}-title", p.id)}>
            <h3 id={format!("{}-title", p.id)}>{ p.title.clone() }</h3>
            <p class="lesson">{ p.lesson.clone() }</p>
            <p class={classes!("headline", (a.liquidated_positions > 0).then_some("danger"))} role="status" data-k="headline">{ headline }</p>
            { needs(e) }
            { for a.thresholds.iter().filter_map(|t| {
                let pool = e.pools.iter().find(|x| x.id == t.pool)?;
                (pool.status != Status::Liquidated).then(|| html! {
                    <p class="threshold" data-k="threshold" data-pool={t.pool.to_string()}>{ threshold_text(t, pool) }</p>
                })
            }) }
            // Its parts are displayed as grids (see the stylesheet): their
            // roles keep the table a table to assistive technology.
            <table class="positions-table" role="table">
                <thead role="rowgroup"><tr role="row"><th scope="col" role="columnheader">{ "Position" }</th><th scope="col" role="columnheader"><TermLabel term={Term::Pnl} /></th>
                    <th scope="col" role="columnheader"><TermLabel term={Term::LiquidationPrice} label="Liquidation" /></th><th scope="col" role="columnheader"><TermLabel term={Term::Distance} /></th></tr></thead>
                <tbody role="rowgroup">
                { for e.positions.iter().enumerate().take(rows).map(|(i, pos)| html! {
                    <Row key={pos.id.as_str()} row={RowData::of(pos, e)} index={i} on_why={p.on_why.clone()} />
                }) }
                </tbody>
            </table>
            <div class="pools">{ for pools.into_iter().take(cards).map(|pool| html! {
                <PoolCard key={pool.id.as_str()} pool={pool.clone()} />
            }) }</div>
            if long {
                <p class="more">
                    if hidden_rows + hidden_pools > 0 {
                        { more_text(hidden_rows, hidden_pools) }{ " " }
                    }
                    <button type="button" class="show-all" onclick={toggle} aria-expanded={show_all.to_string()}>
                        { if *show_all { "Show fewer" } else { "Show all" } }
                    </button>
                </p>
            }
        </section>
    }
}

/// What a position's row shows, and nothing else: equal rows are not drawn
/// again (at a tick, only the rows whose figures moved are).
#[derive(Clone, PartialEq)]
struct RowData {
    id: Name,
    currency: Name,
    liquidated: bool,
    pnl: Decimal,
    mark_price: Decimal,
    liquidation_price: Option<Decimal>,
    distance_ratio: Option<Decimal>,
    /// When the scenario sets costs: the PnL and the liquidation price after
    /// them, and whether its pool is liquidated by them.
    after_costs: Option<(Decimal, Option<Decimal>, bool)>,
}

impl RowData {
    fn of(pos: &PositionReport, e: &Evaluation) -> RowData {
        let liquidated_after = e
            .pool(&pos.pool)
            .and_then(|p| p.costs.as_ref())
            .is_some_and(|c| c.status == Status::Liquidated);
        RowData {
            id: pos.id.clone(),
            currency: pos.currency.clone(),
            liquidated: pos.liquidated,
            pnl: pos.pnl,
            mark_price: pos.mark_price,
            liquidation_price: pos.liquidation_price,
            distance_ratio: pos.liquidation_distance_ratio,
            after_costs: pos
                .costs
                .as_ref()
                .map(|c| (c.pnl, c.liquidation_price, liquidated_after)),
        }
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    row: RowData,
    index: usize,
    on_why: Option<Callback<usize>>,
}

#[component]
fn Row(p: &RowProps) -> Html {
    let pos = &p.row;
    let i = p.index;
    let why = p
        .on_why
        .clone()
        .map(|on| Callback::from(move |_: MouseEvent| on.emit(i)));
    html! {
        <tr class={classes!(pos.liquidated.then_some("liquidated"))} data-position={pos.id.to_string()} role="row">
            <th scope="row" role="rowheader">{ id_with_break(&pos.id) }{ if pos.liquidated { html! { <span class="badge">{ "LIQUIDATED" }</span> } } else { html! {} } }</th>
            <td class={if pos.pnl < Decimal::ZERO { "neg" } else { "pos" }} role="cell"><span data-k="pnl">{ format::money(pos.pnl, &pos.currency) }</span>
                if let Some((net, _, _)) = pos.after_costs {
                    <span class="after-costs" data-k="pnl-net" title="PnL after the holding period's funding and the fee to close">{ "net " }<span class="num">{ format::money(net, &pos.currency) }</span></span>
                }</td>
            // Once liquidated, the nearest root is where the pool would recover: not a liquidation price.
            <td class="liq" role="cell"><span data-k="liq">{ if pos.liquidated { "now".to_string() } else { format::liquidation_or_none(pos.liquidation_price, pos.mark_price) } }</span>
                if let (Some((_, after, gone)), false) = (pos.after_costs, pos.liquidated) {
                    <span class={classes!("after-costs", gone.then_some("danger"))} data-k="liq-after" title="The liquidation price after the holding period's costs">
                        { "after costs " }<span class="num">{ if gone { "liquidated".to_string() } else { format::liquidation_or_none(after, pos.mark_price) } }</span></span>
                }
                if let Some(why) = why {
                    <button type="button" class="why-link" onclick={why} aria-label={format!("Why is {} liquidated there?", pos.id)}>{ "why?" }</button>
                }</td>
            <td data-k="distance" role="cell">{ if pos.liquidated { "—".to_string() } else { pos.distance_ratio.map(format::signed_percent).unwrap_or_else(|| "—".into()) } }</td>
        </tr>
    }
}

/// A position's id, free to wrap after a colon (`BTCUSDT:` `short`, the
/// hedge-mode ids), so that the four columns fit two panels side by side.
fn id_with_break(id: &str) -> Html {
    match id.split_once(':') {
        Some((market, rest)) => html! { <>{ market }{ ":" }<wbr />{ rest }</> },
        None => html! { { id } },
    }
}
