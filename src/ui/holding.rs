//! The holding period beside the price sliders, and what holding the
//! selected position costs: its funding and fee to close, its break-even
//! price, its liquidation price by the venue's formula and after the
//! period's costs in each mode, and a chart of that price against the days
//! held. Every figure is the engine's (`PositionCosts`, `PoolCosts`,
//! `Prepared::liquidation_over_time`).

use super::by_ptr::ByPtr;
use super::format;
use super::state::Action;
use super::table_scroll::table_scroll;
use crate::engine::display;
use crate::engine::num::{plus, times};
use crate::engine::report::{Evaluation, PositionReport, Status};
use crate::engine::scenario::Num;
use crate::engine::{Comparison, Prepared, View};
use rust_decimal::Decimal;
use web_sys::HtmlInputElement;
use yew::prelude::*;

const DAY: i64 = 24;
/// Points on the chart against holding time.
const POINTS: i64 = 12;

#[derive(Properties, PartialEq)]
pub struct HoldingProps {
    pub holding_hours: Option<Num>,
    /// The text typed into the days box when it is not a period, with its message.
    pub typed: Option<(String, String)>,
    pub report: Option<ByPtr<Comparison>>,
    pub prepared: Option<ByPtr<Prepared>>,
    pub selected: usize,
    /// The modes the page shows, in its order, with their names.
    pub views: Vec<(View, &'static str)>,
    pub on_action: Callback<Action>,
}

fn days_of(hours: Decimal) -> Decimal {
    hours.checked_div(Decimal::from(DAY)).unwrap_or_default()
}

/// Days, to a tenth: "49.4 days".
pub fn days_text(hours: Decimal) -> String {
    let days = display::round(days_of(hours), 1).normalize();
    format!(
        "{} {}",
        days,
        if days == Decimal::ONE { "day" } else { "days" }
    )
}

#[component]
pub fn Holding(p: &HoldingProps) -> Html {
    let hours = p.holding_hours.map_or(Decimal::ZERO, |h| h.0);
    let days = display::round(days_of(hours), 2).normalize();
    let oninput = p.on_action.reform(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Action::SetHolding(input.value())
    });
    let box_text = p
        .typed
        .as_ref()
        .map(|t| t.0.clone())
        .unwrap_or_else(|| days.to_string());
    let slider = days.min(Decimal::from(365)).to_string();
    let costs = p.report.as_ref().and_then(|r| {
        let e = r.get(View::AllIsolated).or_else(|| r.get(View::AllCross))?;
        e.positions.get(p.selected)?.costs.as_ref()?;
        Some(r.clone())
    });
    html! {
        <section class="holding" aria-labelledby="holding-title">
            <h2 id="holding-title">{ "Holding costs" }</h2>
            <div class="price-row holding-row">
                <label for="holding-days">{ "Held for (days)" }</label>
                <input id="holding-days" type="range" min="0" max="365" step="1" value={slider}
                    oninput={oninput.clone()} aria-valuemin="0" aria-valuemax="365" aria-valuenow={days.to_string()}
                    aria-valuetext={days_text(hours)} />
                <input id="holding-box" class="price-box" type="text" inputmode="decimal" aria-label="Holding period in days"
                    value={box_text} {oninput} aria-invalid={p.typed.is_some().to_string()} />
                if let Some((_, m)) = &p.typed { <span class="field-error" role="status">{ m.clone() }</span> }
            </div>
            if let Some(r) = costs {
                <CostTable report={r.clone()} selected={p.selected} views={p.views.clone()} {hours} />
                if let Some(prepared) = &p.prepared {
                    <DaysChart report={r} prepared={prepared.clone()} selected={p.selected} views={p.views.clone()} {hours} />
                }
            } else {
                <p class="hint">{ "Give a market fees or funding (in the editor, under its tiers) to see what holding its positions costs, and where their liquidation prices go as the days pass." }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CostTableProps {
    report: ByPtr<Comparison>,
    selected: usize,
    views: Vec<(View, &'static str)>,
    hours: Decimal,
}

/// The selected position's costs, and its prices in each mode.
#[component]
fn CostTable(p: &CostTableProps) -> Html {
    let cols: Vec<(&str, &Evaluation)> = p
        .views
        .iter()
        .filter_map(|(v, name)| Some((*name, p.report.get(*v)?)))
        .collect();
    let Some(first) = cols.first().and_then(|(_, e)| e.positions.get(p.selected)) else {
        return html! {};
    };
    let Some(c) = first.costs.as_ref() else {
        return html! {};
    };
    let cur = &first.currency;
    let held = days_text(p.hours);
    let row = |label: String,
               k: &'static str,
               each: &dyn Fn(&Evaluation, &PositionReport) -> String| {
        html! {
            <tr data-k={k}><th scope="row">{ label }</th>
                { for cols.iter().map(|(_, e)| html! {
                    <td>{ e.positions.get(p.selected).map(|pos| each(e, pos)).unwrap_or_default() }</td>
                }) }
            </tr>
        }
    };
    let venue = |_: &Evaluation, pos: &PositionReport| {
        format::liquidation_or_none(pos.liquidation_price, pos.mark_price)
    };
    let after = |_: &Evaluation, pos: &PositionReport| {
        format::liquidation_or_none(
            pos.costs.as_ref().and_then(|c| c.liquidation_price),
            pos.mark_price,
        )
    };
    let drift = |_: &Evaluation, pos: &PositionReport| {
        pos.costs
            .as_ref()
            .and_then(|c| c.liquidation_drift_per_day)
            .map(|d| format!("{} / day", signed_price(d, pos.mark_price)))
            .unwrap_or_else(|| "—".into())
    };
    let runway = |e: &Evaluation, pos: &PositionReport| {
        let pool = e.pool(&pos.pool).and_then(|pl| pl.costs.as_ref());
        match pool.map(|c| c.liquidated_after_hours) {
            Some(Some(h)) if h.is_zero() => "now".to_string(),
            Some(Some(h)) => days_text(h),
            _ => "never".to_string(),
        }
    };
    let status = |e: &Evaluation, pos: &PositionReport| {
        let c = e.pool(&pos.pool).and_then(|pl| pl.costs.as_ref());
        match c.map(|c| c.status) {
            Some(Status::Liquidated) => "liquidated".to_string(),
            Some(Status::BelowInitialMargin) => "below initial margin".to_string(),
            Some(Status::Healthy) => "healthy".to_string(),
            None => String::new(),
        }
    };
    let equity = |e: &Evaluation, pos: &PositionReport| {
        e.pool(&pos.pool)
            .and_then(|pl| pl.costs.as_ref())
            .map(|c| format::money(c.equity, &pos.currency))
            .unwrap_or_default()
    };
    html! {
        <div class="cost-summary">
            <p class="cost-line" data-k="cost-line">
                { format!("{}: funding {} a day ({} over {held}), fee to close {}, paid so far {}; PnL after costs {}; break-even at {}.",
                    first.id,
                    format::money(c.funding_per_day, cur),
                    format::money(c.funding, cur),
                    format::money(c.close_fee, cur),
                    format::money(c.paid, cur),
                    format::money(c.pnl, cur),
                    c.break_even_price.map(format::price).unwrap_or_else(|| "no price".into())) }
            </p>
            { table_scroll("The selected position's prices and pools in each mode", html! {
            <table class="cost-table">
                <thead><tr><th scope="col">{ first.id.to_string() }</th>
                    { for cols.iter().map(|(name, _)| html! { <th scope="col">{ *name }</th> }) }</tr></thead>
                <tbody>
                    { row("Liquidation, venue's formula".into(), "liq-venue", &venue) }
                    { row(format!("Liquidation after {held}"), "liq-after", &after) }
                    { row("Moves per day of funding".into(), "drift", &drift) }
                    { row(format!("Pool equity after {held}"), "equity-after", &equity) }
                    { row(format!("Pool after {held}"), "status-after", &status) }
                    { row("Liquidated at today's price after".into(), "runway", &runway) }
                </tbody>
            </table>
            }) }
        </div>
    }
}

/// A price change with its sign, at the precision of the price it moves.
fn signed_price(d: Decimal, price: Decimal) -> String {
    let places = display::price_places(price);
    let text = display::grouped(display::round(d.abs(), places), places);
    if d < Decimal::ZERO {
        format!("−{text}")
    } else {
        format!("+{text}")
    }
}

#[derive(Properties, PartialEq)]
struct DaysChartProps {
    report: ByPtr<Comparison>,
    prepared: ByPtr<Prepared>,
    selected: usize,
    views: Vec<(View, &'static str)>,
    hours: Decimal,
}

const W: i64 = 320;
const H: i64 = 180;
const PAD: i64 = 24;

/// The selected position's liquidation price after costs against the days
/// held, one line per mode, and today's price: where a line crosses it,
/// holding alone liquidates the position.
#[component]
fn DaysChart(p: &DaysChartProps) -> Html {
    let cols: Vec<(View, &str, &Evaluation)> = p
        .views
        .iter()
        .filter_map(|(v, name)| Some((*v, *name, p.report.get(*v)?)))
        .collect();
    let Some(pos) = cols
        .first()
        .and_then(|(_, _, e)| e.positions.get(p.selected))
    else {
        return html! {};
    };
    let mark = pos.mark_price;
    // The span: the period held, or until holding alone liquidates the
    // position (in the first mode), up to a year; at least a week.
    let runway = cols
        .first()
        .and_then(|(_, _, e)| e.pool(&pos.pool)?.costs.as_ref()?.liquidated_after_hours)
        .and_then(|h| times(h, Decimal::new(11, 1)))
        .unwrap_or_default();
    let span = p
        .hours
        .max(runway)
        .min(Decimal::from(365 * DAY))
        .max(Decimal::from(7 * DAY));
    let hours: Vec<Decimal> = (0..=POINTS)
        .filter_map(|k| times(span, Decimal::from(k))?.checked_div(Decimal::from(POINTS)))
        .collect();
    let lines: Vec<(&str, Vec<Option<Decimal>>)> = cols
        .iter()
        .map(|(v, name, _)| {
            let ys = p
                .prepared
                .liquidation_over_time(*v, p.selected, &hours)
                .unwrap_or_default();
            (*name, ys)
        })
        .collect();
    let mut lo = mark;
    let mut hi = mark;
    for y in lines.iter().flat_map(|(_, ys)| ys.iter().flatten()) {
        lo = lo.min(*y);
        hi = hi.max(*y);
    }
    if lo == hi {
        hi = plus(hi, Decimal::ONE).unwrap_or(hi);
    }
    let x = |h: Decimal| -> Decimal {
        let f = h.checked_div(span).unwrap_or_default();
        coord(
            PAD,
            times(f, Decimal::from(W - 2 * PAD)).unwrap_or_default(),
        )
    };
    let y = |v: Decimal| -> Decimal {
        let range = hi.checked_sub(lo).unwrap_or_default();
        let f = v
            .checked_sub(lo)
            .and_then(|d| d.checked_div(range))
            .unwrap_or_default();
        coord(
            H - PAD / 2,
            -times(f, Decimal::from(H - PAD)).unwrap_or_default(),
        )
    };
    let path = |ys: &[Option<Decimal>]| -> String {
        let mut d = String::new();
        let mut pen = false;
        for (h, v) in hours.iter().zip(ys) {
            match v {
                Some(v) => {
                    d.push_str(&format!(
                        "{}{} {} ",
                        if pen { "L" } else { "M" },
                        x(*h),
                        y(*v)
                    ));
                    pen = true;
                }
                None => pen = false,
            }
        }
        d
    };
    // Each line's label just below its end, a line of text from the others
    // and above the axis's own labels (on a phone the lines end close).
    let ends: Vec<Option<(Decimal, Decimal)>> = lines
        .iter()
        .map(|(_, ys)| {
            hours
                .iter()
                .zip(ys)
                .rev()
                .find_map(|(h, v)| v.map(|v| (*h, v)))
        })
        .collect();
    let wanted: Vec<i64> = ends
        .iter()
        .flatten()
        .map(|(_, v)| {
            let at = y(*v).round().mantissa();
            i64::try_from(at).unwrap_or_default().saturating_add(14)
        })
        .collect();
    let mut baselines = super::labels::spread(&wanted, 13, 12, H - 16).into_iter();
    let labels: Vec<Option<(Decimal, Decimal, i64)>> = ends
        .iter()
        .map(|end| end.and_then(|(h, v)| Some((h, v, baselines.next()?))))
        .collect();
    let desc = format!(
        "{}'s liquidation price after costs against days held, from 0 to {}, in each mode; today's price {}.",
        pos.id,
        days_text(span),
        format::price(mark)
    );
    html! {
        <figure class="days-chart">
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={desc.clone()}>
                <line class="now" x1={PAD.to_string()} x2={(W - PAD).to_string()} y1={y(mark).to_string()} y2={y(mark).to_string()} />
                <text class="axis" x={PAD.to_string()} y={shift(y(mark), -4)}>{ format!("today {}", format::price(mark)) }</text>
                { for lines.iter().zip(&labels).map(|((name, ys), label)| html! { <>
                    <path class={classes!("days-line", format!("mode-{}", name.to_ascii_lowercase()))} d={path(ys)} data-k={format!("days-{}", name.to_ascii_lowercase())}>
                        <title>{ format!("{name}: liquidation price after costs") }</title>
                    </path>
                    // A label at the line's end.
                    if let Some((h, v, baseline)) = label {
                        <text class={classes!("line-label", format!("mode-{}", name.to_ascii_lowercase()))} x={shift(x(*h), -2)} y={baseline.to_string()} text-anchor="end">
                            { format!("{name} {}", format::price(*v)) }
                        </text>
                    }
                </> }) }
                <text class="axis" x={PAD.to_string()} y={(H - 2).to_string()}>{ "0 days" }</text>
                <text class="axis" x={(W - PAD).to_string()} y={(H - 2).to_string()} text-anchor="end">{ days_text(span) }</text>
                if p.hours > Decimal::ZERO && p.hours <= span {
                    <line class="held" x1={x(p.hours).to_string()} x2={x(p.hours).to_string()} y1={(PAD / 2).to_string()} y2={(H - PAD / 2).to_string()} />
                }
            </svg>
            <figcaption>{ desc }</figcaption>
        </figure>
    }
}

/// A chart coordinate, `base + offset`, to a tenth of a unit of the view
/// box: whole units would draw a shallow line as stairs.
fn coord(base: i64, offset: Decimal) -> Decimal {
    plus(Decimal::from(base), offset)
        .unwrap_or_default()
        .round_dp(1)
        .normalize()
}

/// `d` moved by `by` units of the view box.
fn shift(d: Decimal, by: i64) -> String {
    plus(d, Decimal::from(by)).unwrap_or(d).to_string()
}
