//! Equity and maintenance margin against one asset's price, isolated,
//! cross and portfolio, drawn as SVG from the engine's exact curve points (ends and
//! tier breakpoints; the lines between them are straight for linear contracts).
//!
//! A chart to read and to move: a value axis with ticks and gridlines; each
//! liquidation and bankruptcy price labelled; a readout of every line at the
//! price under the pointer (or the keyboard's cursor: focus the chart, then
//! the arrow keys), each value the engine's curve at that very price; the
//! "now" line dragged (or stepped with its keys) moves the price as the
//! slider does; and the order in which the pools are liquidated as the
//! price falls and as it rises, told in words and marked on the price axis.

use super::by_ptr::ByPtr;
use super::format;
use super::state::Action;
use crate::engine::curves::PoolCurve;
use crate::engine::report::{AssetSweep, Evaluation};
use crate::engine::{self, Comparison, Prepared, View};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub prepared: ByPtr<Prepared>,
    pub report: ByPtr<Comparison>,
    pub asset: AttrValue,
    /// The price range: the slider's.
    pub lo: Decimal,
    pub hi: Decimal,
    /// `State::portfolio_edits`: the curves are worked out again when the
    /// portfolio changes, not when the charted asset's own price does.
    pub portfolio_edits: u64,
    /// The slider's step: what a key moves the price (or the readout) by.
    pub step: Decimal,
    /// The currency prices are in.
    pub quote: AttrValue,
    /// Moves the price, as the slider does (`Action::SetPrice`).
    pub on_action: Callback<Action>,
}

/// What a drawing over one or two assets' price ranges depends on, besides
/// those ranges: the portfolio (`State::portfolio_edits`) and every other
/// asset's price. Dragging the drawn asset's own slider leaves it
/// unchanged, so the drawing is not worked out again at every tick.
#[derive(Clone, PartialEq)]
pub struct DrawKey {
    portfolio_edits: u64,
    others: Vec<Decimal>,
}

impl DrawKey {
    pub fn new(portfolio_edits: u64, model: &engine::Model, skip: &[usize]) -> DrawKey {
        let others = model
            .assets
            .iter()
            .enumerate()
            .filter(|(i, _)| !skip.contains(i))
            .map(|(_, a)| a.price)
            .collect();
        DrawKey {
            portfolio_edits,
            others,
        }
    }
}

/// The widest drawing; on a narrow screen it is drawn narrower rather than
/// shrunk, so its labels stay readable.
const W_MAX: f64 = 640.0;
const H: f64 = 260.0;

fn drawing_width() -> f64 {
    gloo::utils::window()
        .inner_width()
        .ok()
        .and_then(|v| v.as_f64())
        .map(|v| (v - 60.0).clamp(300.0, W_MAX))
        .unwrap_or(W_MAX)
}
const PAD: f64 = 36.0;
/// Room on the left for the value axis's labels.
const LEFT: f64 = 80.0;

#[derive(Clone, PartialEq)]
struct Scale {
    w: f64,
    lo: f64,
    hi: f64,
    vmin: f64,
    vmax: f64,
    /// Decimal places of the value axis's step (0 for a step of 1 or more).
    dp: u32,
    /// The value axis's step.
    step: f64,
}

impl Scale {
    // Floats only place pixels; every number shown comes from the decimals.
    fn x(&self, price: Decimal) -> f64 {
        let p = price.to_f64().unwrap_or(0.0);
        LEFT + (p - self.lo) / (self.hi - self.lo).max(f64::MIN_POSITIVE) * (self.w - LEFT - PAD)
    }
    fn y(&self, v: Decimal) -> f64 {
        let v = v.to_f64().unwrap_or(0.0).clamp(self.vmin, self.vmax);
        H - PAD - (v - self.vmin) / (self.vmax - self.vmin).max(f64::MIN_POSITIVE) * (H - 2.0 * PAD)
    }
}

fn polyline(c: &PoolCurve, s: &Scale, mm: bool) -> String {
    let mut out = String::with_capacity(c.points.len() * 12);
    for (i, p) in c.points.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&px(s.x(p.price)));
        out.push(',');
        out.push_str(&px(s.y(if mm { p.maintenance_margin } else { p.equity })));
    }
    out
}

/// A drawing coordinate to a tenth of a pixel, written from an integer: a
/// slider tick writes thousands of them, and float formatting (`{:.1}`)
/// would be most of a chart's cost.
pub(super) fn px(x: f64) -> String {
    // `as` saturates (and takes NaN to 0): a coordinate off the drawing stays off it.
    let t = (x * 10.0).round() as i64;
    let sign = if t < 0 { "-" } else { "" };
    let t = t.unsigned_abs();
    format!("{sign}{}.{}", t / 10, t % 10)
}

/// The curves of `view`'s pools on an asset between two prices, those `keep`
/// keeps, each with its class; none when the engine has none to give.
fn pool_curves(
    prepared: &Prepared,
    view: View,
    (asset, lo, hi): (usize, Decimal, Decimal),
    class: &'static str,
    keep: impl Fn(&PoolCurve) -> bool,
) -> Vec<(PoolCurve, &'static str)> {
    prepared
        .curves(view, asset, lo, hi, 24)
        .map(|cs| {
            cs.into_iter()
                .filter(|c| keep(c))
                .map(|c| (c, class))
                .collect()
        })
        .unwrap_or_default()
}

/// Curves, each with its class (`isolated`, `cross` or `portfolio`).
type ClassedCurves = Vec<(PoolCurve, &'static str)>;

#[derive(Properties, PartialEq)]
struct CurvesProps {
    /// Shared by pointer: a slider tick that leaves them alone leaves their
    /// drawing alone too.
    shown: ByPtr<ClassedCurves>,
    /// The chart's, value axis included (rounded outward: see [`scale`]).
    scale: Scale,
    lo: Decimal,
    hi: Decimal,
}

/// Some pools' equity and maintenance lines with their labelled points: most
/// of the chart's nodes, drawn again only when those curves, the width or
/// the value axis change. The cross and isolated pools are drawn apart: a
/// price that moves the cross pool alone leaves the isolated drawing as it is.
#[component]
fn Curves(p: &CurvesProps) -> Html {
    let s = &p.scale;
    html! {
        { for p.shown.0.iter().map(|(c, class)| html! {
            <g class={classes!("curve", *class)} data-pool={c.pool.clone()}>
                <polyline class="equity" points={polyline(c, s, false)} />
                <polyline class="mm" points={polyline(c, s, true)} />
                { for c.points.iter().filter(|pt| c.points.len() <= 40 || pt.price == p.lo || pt.price == p.hi).map(|pt| {
                    let label = format!("{} at {}: equity {}, maintenance {}", c.pool, format::price(pt.price),
                        format::money(pt.equity, &c.currency), format::money(pt.maintenance_margin, &c.currency));
                    html! { <circle tabindex="0" r="3" cx={px(s.x(pt.price))} cy={px(s.y(pt.equity))} aria-label={label.clone()}><title>{ label }</title></circle> }
                }) }
            </g>
        }) }
    }
}

/// Where prices and values fall on the drawing: the value axis spans every
/// curve and zero, its ends rounded outward to a multiple of a round step
/// (1, 2 or 5 times a power of ten, about an eighth of the span). A drag
/// then moves the curves along a still axis, as a chart should, instead of
/// rescaling it at every tick; and the curves it does not move are not
/// drawn again.
fn scale<'a>(
    shown: impl Iterator<Item = &'a PoolCurve>,
    w: f64,
    lo: Decimal,
    hi: Decimal,
) -> Scale {
    let (mut vmin, mut vmax) = (0f64, 0f64);
    for c in shown {
        for pt in &c.points {
            for v in [pt.equity, pt.maintenance_margin] {
                let v = v.to_f64().unwrap_or(0.0);
                vmin = vmin.min(v);
                vmax = vmax.max(v);
            }
        }
    }
    let (vmin, vmax, dp, step) = round_out(vmin, vmax);
    Scale {
        w,
        lo: lo.to_f64().unwrap_or(0.0),
        hi: hi.to_f64().unwrap_or(1.0),
        vmin,
        vmax,
        dp,
        step,
    }
}

/// `[lo, hi]` (which holds 0) widened to multiples of a round step, the
/// step's decimal places, and the step.
fn round_out(lo: f64, hi: f64) -> (f64, f64, u32, f64) {
    let span = hi - lo;
    if !span.is_finite() || span <= 0.0 {
        return (lo, lo + 1.0, 0, 1.0);
    }
    let rough = span / 8.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power);
    let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    // A step of 0.02 has two places; `as` saturates, so no span is too small.
    let dp = (-step.log10().floor()).clamp(0.0, 28.0) as u32;
    (lo, hi.max(lo + step), dp, step)
}

#[component]
pub fn Chart(p: &ChartProps) -> Html {
    let model = p.prepared.model();
    let found = model.assets.iter().position(|a| a.name == p.asset.as_str());
    // The curves sweep this asset's price: its own slider does not change
    // them. The cross pool moves with every other price; an isolated pool
    // holds only its own position on this asset, so no other price moves it.
    let cross_key = (
        DrawKey::new(p.portfolio_edits, model, found.as_slice()),
        found,
        p.lo,
        p.hi,
    );
    let isolated_key = (p.portfolio_edits, found, p.lo, p.hi);
    // The portfolio pool, as the cross pool, moves with every other price.
    let portfolio = {
        let prepared = p.prepared.clone();
        use_memo(cross_key.clone(), move |(_, asset, lo, hi)| {
            asset
                .filter(|_| prepared.portfolio_priced())
                .map_or_else(Vec::new, |asset| {
                    pool_curves(
                        &prepared,
                        View::AllPortfolio,
                        (asset, *lo, *hi),
                        "portfolio",
                        |c| c.pool.starts_with("portfolio"),
                    )
                })
        })
    };
    let cross = {
        let prepared = p.prepared.clone();
        use_memo(cross_key, move |(_, asset, lo, hi)| {
            // The cross pool of the quote currency.
            asset.map_or_else(Vec::new, |asset| {
                pool_curves(&prepared, View::AllCross, (asset, *lo, *hi), "cross", |c| {
                    c.pool.starts_with("cross")
                })
            })
        })
    };
    let isolated = {
        let prepared = p.prepared.clone();
        use_memo(isolated_key, move |(_, asset, lo, hi)| {
            asset.map_or_else(Vec::new, |asset| {
                pool_curves(
                    &prepared,
                    View::AllIsolated,
                    (asset, *lo, *hi),
                    "isolated",
                    |_| true,
                )
            })
        })
    };
    // The readout's price (pointer or keys), and whether the "now" line is
    // being dragged: hooks, so before any return.
    let cursor = use_state_eq(|| None::<Decimal>);
    let dragging = use_mut_ref(|| false);
    let Some(asset) = found else {
        return html! {};
    };
    if cross.is_empty() && isolated.is_empty() {
        return html! { <p class="chart-empty">{ format!("No position or collateral moves with {}.", p.asset) }</p> };
    }
    let w = drawing_width();
    let all = || {
        cross
            .iter()
            .chain(isolated.iter())
            .chain(portfolio.iter())
            .map(|(c, _)| c)
    };
    let s = scale(all(), w, p.lo, p.hi);
    let price = model.assets[asset].price;
    let views = drawn_views(&p.report);
    // Liquidation and bankruptcy prices, a line each, labelled with the
    // price: liquidation at the top (a row per mode), bankruptcy at the foot.
    // A price two modes share (a bankruptcy price is the same in cross and
    // portfolio margin) is labelled once.
    let mut labelled: Vec<(&'static str, Decimal)> = Vec::new();
    let mut marks = |eval: &Evaluation, class: &'static str, row: usize| -> Vec<Html> {
        let mut out = Vec::new();
        for x in eval
            .positions
            .iter()
            .filter(|x| x.asset == p.asset.as_str())
        {
            for (v, kind) in [
                (x.liquidation_price, "liquidation"),
                (x.bankruptcy_price, "bankruptcy"),
            ] {
                let Some(v) = v.filter(|v| *v >= p.lo && *v <= p.hi) else {
                    continue;
                };
                // Rounded toward the mark, as the panels show a price.
                let shown = format::liquidation(v, price);
                let label = format!("{} {} {kind} price {shown}", class, x.id);
                let short = if kind == "liquidation" { "liq" } else { "bkr" };
                let y = if kind == "liquidation" {
                    PAD + 9.0 + 11.0 * row as f64
                } else {
                    H - PAD - 4.0 - 11.0 * row as f64
                };
                let first = !labelled.contains(&(kind, v));
                labelled.push((kind, v));
                out.push(html! {
                    <g class={classes!("mark", kind, class)} tabindex="0" aria-label={label.clone()}>
                        <title>{ label }</title>
                        <line x1={px(s.x(v))} x2={px(s.x(v))} y1={px(PAD)} y2={px(H - PAD)} />
                        if first {
                            <text class="mark-label" x={px(s.x(v) + 3.0)} y={px(y)}>{ format!("{short} {shown}") }</text>
                        }
                    </g>
                });
            }
        }
        out
    };
    let drawn_marks: Vec<Html> = views
        .iter()
        .enumerate()
        .flat_map(|(row, (e, class))| marks(e, class, row))
        .collect();
    let currency = all().next().map(|c| c.currency.clone()).unwrap_or_default();
    let (x_lo, x_hi) = format::axis_ends(p.lo, p.hi);
    // The value axis: a tick at every step, with a light gridline.
    let ticks: Vec<(f64, String)> = {
        let n = ((s.vmax - s.vmin) / s.step).round().clamp(0.0, 20.0) as i64;
        (0..=n)
            .map(|k| {
                let v = s.vmin + s.step * k as f64;
                let d = Decimal::from_f64_retain(v)
                    .unwrap_or_default()
                    .round_dp(s.dp);
                (v, engine::display::grouped(d, s.dp))
            })
            .collect()
    };
    let y_of = |v: f64| {
        H - PAD - (v - s.vmin) / (s.vmax - s.vmin).max(f64::MIN_POSITIVE) * (H - 2.0 * PAD)
    };
    let (lo, hi, step) = (p.lo, p.hi, p.step);
    let set_price = {
        let on = p.on_action.clone();
        let name = p.asset.to_string();
        move |v: Decimal| on.emit(Action::SetPrice(name.clone(), v.normalize().to_string()))
    };
    // Pointer: over the drawing, the readout follows; a press on the "now"
    // line (or within a finger's width of it) drags the price.
    let now_x = s.x(price);
    let onpointerdown = {
        let dragging = dragging.clone();
        let set_price = set_price.clone();
        Callback::from(move |e: PointerEvent| {
            if let Some((x, v)) = pointer_price(&e, w, (lo, hi, step)) {
                if (x - now_x).abs() <= 14.0 {
                    *dragging.borrow_mut() = true;
                    if let Some(el) = e
                        .current_target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    {
                        let _ = el.set_pointer_capture(e.pointer_id());
                    }
                    set_price(v);
                }
            }
        })
    };
    let onpointermove = {
        let (dragging, cursor) = (dragging.clone(), cursor.clone());
        let set_price = set_price.clone();
        Callback::from(move |e: PointerEvent| {
            if let Some((_, v)) = pointer_price(&e, w, (lo, hi, step)) {
                if *dragging.borrow() {
                    set_price(v);
                }
                cursor.set(Some(v));
            }
        })
    };
    let onpointerup = {
        let dragging = dragging.clone();
        Callback::from(move |_: PointerEvent| *dragging.borrow_mut() = false)
    };
    let onpointerleave = {
        let cursor = cursor.clone();
        let dragging = dragging.clone();
        Callback::from(move |_: PointerEvent| {
            if !*dragging.borrow() {
                cursor.set(None);
            }
        })
    };
    // Keys on the drawing move the readout; on the "now" handle, the price.
    let onkeydown = {
        let cursor = cursor.clone();
        Callback::from(move |e: KeyboardEvent| {
            let from = (*cursor).unwrap_or(price);
            if let Some(v) = keyed(&e.key(), from, (lo, hi, step)) {
                e.prevent_default();
                cursor.set(Some(v));
            } else if e.key() == "Escape" {
                cursor.set(None);
            }
        })
    };
    let on_handle_key = {
        let set_price = set_price.clone();
        Callback::from(move |e: KeyboardEvent| {
            if let Some(v) = keyed(&e.key(), price, (lo, hi, step)) {
                e.prevent_default();
                e.stop_propagation();
                set_price(v);
            }
        })
    };
    let readout = (*cursor).map(|at| readout(&p.prepared, asset, at, &views, &p.asset));
    let sweeps = sweep_story(&views, &p.asset);
    let description = describe(&views, &p.asset, price);
    let chart_id = format!("chart-desc-{}", p.asset);
    html! {
        <figure class="chart">
            <svg viewBox={format!("0 0 {} {}", px(w), px(H))} role="group" tabindex="0"
                aria-label={format!("Equity and maintenance margin against the {} price. Arrow keys: read the lines at another price.", p.asset)}
                aria-describedby={chart_id.clone()}
                {onpointerdown} {onpointermove} {onpointerup} {onpointerleave} {onkeydown}>
                { for ticks.iter().map(|(v, label)| html! { <>
                    <line class="grid" x1={px(LEFT)} x2={px(w - PAD)} y1={px(y_of(*v))} y2={px(y_of(*v))} />
                    <text class="tick value" x={px(LEFT - 4.0)} y={px(y_of(*v) + 4.0)}>{ label.clone() }</text>
                </> }) }
                <text class="tick unit" x="2" y={px(PAD - 14.0)}>{ currency.clone() }</text>
                <line class="axis" x1={px(LEFT)} x2={px(w - PAD)} y1={px(s.y(Decimal::ZERO))} y2={px(s.y(Decimal::ZERO))} />
                { for drawn_marks }
                <Curves shown={ByPtr(cross.clone())} scale={s.clone()} lo={p.lo} hi={p.hi} />
                <Curves shown={ByPtr(isolated.clone())} scale={s.clone()} lo={p.lo} hi={p.hi} />
                <Curves shown={ByPtr(portfolio.clone())} scale={s.clone()} lo={p.lo} hi={p.hi} />
                // The liquidation sequence, marked on the price axis, a row per mode.
                { for sweeps.iter().enumerate().flat_map(|(row, (class, steps))| { let s = &s; steps.iter().filter(|st| st.price >= p.lo && st.price <= p.hi).map(move |st| {
                    let x = s.x(st.price);
                    let y = H - PAD + 4.0 + 5.0 * row as f64;
                    html! { <polygon class={classes!("sweep-mark", *class)} points={format!("{},{} {},{} {},{}", px(x), px(y), px(x - 3.5), px(y + 5.0), px(x + 3.5), px(y + 5.0))}>
                        <title>{ st.text.clone() }</title></polygon> }
                }).collect::<Vec<_>>() }) }
                if let Some(at) = *cursor {
                    <line class="cursor" x1={px(s.x(at))} x2={px(s.x(at))} y1={px(PAD)} y2={px(H - PAD)} />
                }
                <g class="now-handle" role="slider" tabindex="0" aria-label={format!("{} price (drag the line)", p.asset)}
                    aria-valuemin={p.lo.normalize().to_string()} aria-valuemax={p.hi.normalize().to_string()}
                    aria-valuenow={price.normalize().to_string()} aria-valuetext={format!("{} {} {}", p.asset, format::price(price), p.quote)}
                    onkeydown={on_handle_key}>
                    <line class="now-grip" x1={px(now_x)} x2={px(now_x)} y1={px(PAD - 8.0)} y2={px(H - PAD)} />
                    <line class="now" x1={px(now_x)} x2={px(now_x)} y1={px(PAD - 8.0)} y2={px(H - PAD)} />
                </g>
                <text class="tick x-lo" x={px(LEFT)} y={px(H - 4.0)}>{ x_lo }</text>
                <text class="tick end x-hi" x={px(w - PAD)} y={px(H - 4.0)}>{ x_hi }</text>
                <text class="tick now-label" x={px(now_x)} y={px(PAD - 12.0)}>{ format!("{} now {}", p.asset, format::price(price)) }</text>
            </svg>
            <p class="readout" data-k="readout" aria-live="polite">
                { readout.unwrap_or_else(|| html! { { "Point at the chart (or focus it and use the arrow keys) to read every line at that price; drag the now line to move the price." } }) }
            </p>
            <figcaption>
                <span class="key cross">{ "Cross equity" }</span>
                <span class="key isolated">{ "Isolated equity" }</span>
                if !portfolio.is_empty() { <span class="key portfolio">{ "Portfolio equity" }</span> }
                <span class="key mm">{ "Maintenance margin (dashed)" }</span>
                <span class="key liq">{ "Liquidation price" }</span>
                <span class="key bankrupt">{ "Bankruptcy price" }</span>
            </figcaption>
            <p class="visually-hidden" id={chart_id}>{ description }</p>
            <div class="sweeps" data-k="sweeps">
                <h3>{ format!("If {} crashes, or soars", p.asset) }</h3>
                <ul>
                    { for sweeps.iter().zip(&views).map(|((class, steps), (e, _))| html! {
                        <li class={classes!("sweep", *class)} data-mode={*class}>{ sweep_sentence(class, steps, &p.asset, &liquidated_now(e, &p.asset)) }</li>
                    }) }
                </ul>
            </div>
        </figure>
    }
}

/// The views the chart draws, each with its class: isolated, cross, and
/// portfolio margin where the book has its parameters.
fn drawn_views(r: &Comparison) -> Vec<(&Evaluation, &'static str)> {
    let mut out = vec![(&r.all_isolated, "isolated"), (&r.all_cross, "cross")];
    if let Some(e) = &r.all_portfolio {
        out.push((e, "portfolio"));
    }
    out
}

/// The price under a pointer event on the drawing (its x in the drawing's
/// units, and the price, on the slider's steps within its range).
fn pointer_price(
    e: &PointerEvent,
    w: f64,
    range: (Decimal, Decimal, Decimal),
) -> Option<(f64, Decimal)> {
    let el: web_sys::Element = e.current_target()?.dyn_into().ok()?;
    let rect = el.get_bounding_client_rect();
    if rect.width() <= 0.0 {
        return None;
    }
    let x = (f64::from(e.client_x()) - rect.left()) * w / rect.width();
    let (lo, hi, _) = range;
    let f = ((x - LEFT) / (w - LEFT - PAD)).clamp(0.0, 1.0);
    let (l, h) = (lo.to_f64()?, hi.to_f64()?);
    let v = Decimal::from_f64_retain(l + f * (h - l))?;
    Some((x, on_step(v, range)))
}

/// `v` on the slider's steps, within its range.
fn on_step(v: Decimal, (lo, hi, step): (Decimal, Decimal, Decimal)) -> Decimal {
    let stepped = v
        .checked_div(step)
        .map(|n| n.round())
        .and_then(|n| n.checked_mul(step))
        .unwrap_or(v);
    stepped.max(lo).min(hi).normalize()
}

/// How many of a slider's steps a key moves a price: one with the arrows,
/// ten with Page Up and Page Down (the chart's handle and the stage share it).
pub(super) fn key_steps(key: &str) -> Option<i64> {
    match key {
        "ArrowRight" | "ArrowUp" => Some(1),
        "ArrowLeft" | "ArrowDown" => Some(-1),
        "PageUp" => Some(10),
        "PageDown" => Some(-10),
        _ => None,
    }
}

/// Where a key moves a price on the chart: [`key_steps`], or the range's
/// ends with Home and End; on the slider's steps, within its range.
fn keyed(key: &str, from: Decimal, range: (Decimal, Decimal, Decimal)) -> Option<Decimal> {
    let (lo, hi, step) = range;
    match key {
        "Home" => Some(lo),
        "End" => Some(hi),
        _ => step
            .checked_mul(Decimal::from(key_steps(key)?))
            .and_then(|d| from.checked_add(d))
            .map(|v| on_step(v, range)),
    }
}

/// Every drawn line's value at `at`: the engine's curves between `at` and
/// itself, whose first point is the figure there.
fn readout(
    prepared: &Prepared,
    asset: usize,
    at: Decimal,
    views: &[(&Evaluation, &'static str)],
    name: &str,
) -> Html {
    let view_of = |class: &str| match class {
        "isolated" => View::AllIsolated,
        "portfolio" => View::AllPortfolio,
        _ => View::AllCross,
    };
    let rows: Vec<Html> = views
        .iter()
        .flat_map(|(_, class)| {
            let curves = prepared
                .curves(view_of(class), asset, at, at, 0)
                .unwrap_or_default();
            curves.into_iter().filter_map(move |c| {
                let pt = c.points.first()?;
                Some(html! {
                    <li class={classes!("readout-row", *class)} data-pool={c.pool.clone()} data-mode={*class}>
                        <span class="who">{ format!("{} {}", title(class), c.pool) }</span>
                        { " equity " }<span data-k="readout-equity">{ format::money(pt.equity, &c.currency) }</span>
                        { ", maintenance " }<span data-k="readout-mm">{ format::money(pt.maintenance_margin, &c.currency) }</span>
                    </li>
                })
            })
        })
        .collect();
    html! { <>
        <span class="readout-at" data-k="readout-price">{ format!("At {name} {}:", format::price(at)) }</span>
        <ul class="readout-rows">{ for rows }</ul>
    </> }
}

fn title(class: &str) -> &'static str {
    match class {
        "isolated" => "Isolated",
        "portfolio" => "Portfolio",
        _ => "Cross",
    }
}

/// One step of a liquidation sequence: a pool, the price that liquidates
/// it, and the words for it.
struct SweepStep {
    price: Decimal,
    /// As the price falls (or rises).
    down: bool,
    text: String,
}

/// A mode's sequence on `asset`: the steps down (highest first), then up.
type Sequence = (Vec<SweepStep>, Vec<SweepStep>);

/// Each drawn mode's liquidation sequence on the charted asset.
fn sweep_story(
    views: &[(&Evaluation, &'static str)],
    asset: &str,
) -> Vec<(&'static str, Vec<SweepStep>)> {
    views
        .iter()
        .map(|(e, class)| {
            let (down, up) = sequence(e, asset);
            let mut all = down;
            all.extend(up);
            (*class, all)
        })
        .collect()
}

/// The pools on `asset` that are liquidated now, by name.
fn liquidated_now(e: &Evaluation, asset: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for x in e
        .positions
        .iter()
        .filter(|x| &*x.asset == asset && x.liquidated)
    {
        let name = e
            .pool(&x.pool)
            .map_or_else(|| x.pool.to_string(), pool_name);
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

fn sequence(e: &Evaluation, asset: &str) -> Sequence {
    let Some(sweep) = e.account.sweeps.iter().find(|s| &*s.asset == asset) else {
        return (Vec::new(), Vec::new());
    };
    // A pool liquidated already is where it would recover, not a step.
    let live = |h: &&engine::report::SweepHit| {
        e.pool(&h.pool)
            .is_none_or(|pl| pl.status != engine::report::Status::Liquidated)
    };
    let steps = |hits: &[engine::report::SweepHit], way: &str| -> Vec<SweepStep> {
        hits.iter()
            .filter(live)
            .map(|h| SweepStep {
                price: h.price,
                down: way == "falls",
                text: step_text(e, sweep, h, asset, way),
            })
            .collect()
    };
    (steps(&sweep.down, "falls"), steps(&sweep.up, "rises"))
}

/// "the isolated SOLUSDT pool at 136.40 (−9.07 %)", or "the cross pool
/// (USD) at 98.96 (−34.03 %), taking BTCUSDT, ETHUSDT and SOLUSDT with it".
fn step_text(
    e: &Evaluation,
    sweep: &AssetSweep,
    h: &engine::report::SweepHit,
    asset: &str,
    way: &str,
) -> String {
    let pool = e.pool(&h.pool);
    let moved = sweep
        .move_to(h)
        .map(format::signed_percent)
        .unwrap_or_default();
    // Rounded toward the price now, as the panels round a liquidation price.
    let at = format::liquidation(h.price, sweep.price);
    match pool {
        Some(pl) if pl.mode == engine::scenario::MarginMode::Isolated => {
            format!("{} at {at} ({moved}) as {asset} {way}", pool_name(pl))
        }
        Some(pl) => {
            let names: Vec<&str> = pl.positions.iter().map(|n| &**n).collect();
            format!(
                "{} at {at} ({moved}) as {asset} {way}, taking {} with it",
                pool_name(pl),
                list(&names)
            )
        }
        None => format!("pool {} at {at} ({moved})", h.pool),
    }
}

/// "the isolated SOLUSDT pool", "the cross pool (USD)", "the portfolio pool (USD)".
fn pool_name(pl: &engine::report::PoolReport) -> String {
    match pl.mode {
        engine::scenario::MarginMode::Isolated => format!("the isolated {} pool", pl.id),
        engine::scenario::MarginMode::Portfolio => format!("the portfolio pool ({})", pl.currency),
        engine::scenario::MarginMode::Cross => format!("the cross pool ({})", pl.currency),
    }
}

/// "A", "A and B", "A, B and C".
fn list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A mode's sequence as a sentence: "Cross: as SOL falls, the cross pool
/// (USD) at 98.96 (−34.03 %), taking …; as it rises, none."
fn sweep_sentence(class: &str, steps: &[SweepStep], asset: &str, now: &[String]) -> String {
    let (down, up): (Vec<&SweepStep>, Vec<&SweepStep>) = steps.iter().partition(|s| s.down);
    let part = |s: &[&SweepStep], way: &str| {
        if s.is_empty() {
            format!("as {asset} {way}, no pool is liquidated")
        } else {
            let words: Vec<String> = s
                .iter()
                .map(|x| x.text.replace(&format!(" as {asset} {way}"), ""))
                .collect();
            format!("as {asset} {way}: {}", words.join(", then "))
        }
    };
    let already = if now.is_empty() {
        String::new()
    } else {
        let verb = if now.len() == 1 { "is" } else { "are" };
        format!(
            "{} {verb} liquidated now; ",
            list(&now.iter().map(String::as_str).collect::<Vec<_>>())
        )
    };
    format!(
        "{}: {already}{}; {}.",
        title(class),
        part(&down, "falls"),
        part(&up, "rises")
    )
}

/// The chart in words, for a screen reader: each mode's pools on this
/// asset now, and where each is liquidated.
fn describe(views: &[(&Evaluation, &'static str)], asset: &str, price: Decimal) -> String {
    let mut parts = vec![format!("{asset} is at {} now.", format::price(price))];
    for (e, class) in views {
        // The pools with a position on this asset, in order, each with
        // those positions' liquidation prices: one pass over the positions.
        let mut pools: Vec<(&str, Vec<String>)> = Vec::new();
        for x in e.positions.iter().filter(|x| &*x.asset == asset) {
            let at = x
                .liquidation_price
                .map(|l| format!("{} at {}", x.id, format::price(l)));
            match pools.iter_mut().find(|(id, _)| *id == &*x.pool) {
                Some((_, liq)) => liq.extend(at),
                None => pools.push((&x.pool, at.into_iter().collect())),
            }
        }
        for (id, liq) in pools {
            let Some(pool) = e.pool(id) else {
                continue;
            };
            parts.push(format!(
                "{} {}: equity {}, maintenance margin {}; {}.",
                title(class),
                pool.id,
                format::money(pool.equity, &pool.currency),
                format::money(pool.maintenance_margin, &pool.currency),
                if liq.is_empty() {
                    "no liquidation price".to_string()
                } else {
                    format!("liquidated with {asset} {}", liq.join(", "))
                }
            ));
        }
    }
    parts.join(" ")
}
