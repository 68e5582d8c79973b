//! Equity and maintenance margin against one asset's price, isolated,
//! cross and portfolio, drawn as SVG from the engine's exact curve points (ends and
//! tier breakpoints; the lines between them are straight for linear contracts).

use super::by_ptr::ByPtr;
use super::format;
use crate::engine::curves::PoolCurve;
use crate::engine::{self, Comparison, Prepared, View};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
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

#[derive(Clone, PartialEq)]
struct Scale {
    w: f64,
    lo: f64,
    hi: f64,
    vmin: f64,
    vmax: f64,
    /// Decimal places of the value axis's step (0 for a step of 1 or more).
    dp: u32,
}

impl Scale {
    // Floats only place pixels; every number shown comes from the decimals.
    fn x(&self, price: Decimal) -> f64 {
        let p = price.to_f64().unwrap_or(0.0);
        PAD + (p - self.lo) / (self.hi - self.lo).max(f64::MIN_POSITIVE) * (self.w - 2.0 * PAD)
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
    let (vmin, vmax, dp) = round_out(vmin, vmax);
    Scale {
        w,
        lo: lo.to_f64().unwrap_or(0.0),
        hi: hi.to_f64().unwrap_or(1.0),
        vmin,
        vmax,
        dp,
    }
}

/// `[lo, hi]` (which holds 0) widened to multiples of a round step, and the
/// step's decimal places.
fn round_out(lo: f64, hi: f64) -> (f64, f64, u32) {
    let span = hi - lo;
    if !span.is_finite() || span <= 0.0 {
        return (lo, lo + 1.0, 0);
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
    (lo, hi.max(lo + step), dp)
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
    let marks = |eval: &engine::Evaluation, class: &'static str| -> Vec<Html> {
        eval.positions
            .iter()
            .filter(|x| x.asset == p.asset.as_str())
            .flat_map(|x| {
                let mut out = Vec::new();
                for (v, kind) in [(x.liquidation_price, "liquidation"), (x.bankruptcy_price, "bankruptcy")] {
                    if let Some(v) = v.filter(|v| *v >= p.lo && *v <= p.hi) {
                        let label = format!("{} {} {kind} price {}", class, x.id, format::price(v));
                        out.push(html! {
                            <g class={classes!("mark", kind, class)} tabindex="0" aria-label={label.clone()}>
                                <title>{ label }</title>
                                <line x1={px(s.x(v))} x2={px(s.x(v))} y1={px(PAD)} y2={px(H - PAD)} />
                            </g>
                        });
                    }
                }
                out
            })
            .collect()
    };
    let zero_y = s.y(Decimal::ZERO);
    let currency = all().next().map(|c| c.currency.clone()).unwrap_or_default();
    let top = Decimal::from_f64_retain(s.vmax)
        .unwrap_or_default()
        .round_dp(s.dp);
    let (x_lo, x_hi) = format::axis_ends(p.lo, p.hi);
    html! {
        <figure class="chart">
            <svg viewBox={format!("0 0 {} {}", px(w), px(H))} role="img" aria-label={format!("Equity and maintenance margin against the {} price", p.asset)}>
                <line class="axis" x1={px(PAD)} x2={px(w - PAD)} y1={px(zero_y)} y2={px(zero_y)} />
                { for marks(&p.report.all_cross, "cross") }
                { for marks(&p.report.all_isolated, "isolated") }
                if let Some(e) = &p.report.all_portfolio { { for marks(e, "portfolio") } }
                <Curves shown={ByPtr(cross.clone())} scale={s.clone()} lo={p.lo} hi={p.hi} />
                <Curves shown={ByPtr(isolated.clone())} scale={s.clone()} lo={p.lo} hi={p.hi} />
                <Curves shown={ByPtr(portfolio.clone())} scale={s.clone()} lo={p.lo} hi={p.hi} />
                <line class="now" x1={px(s.x(price))} x2={px(s.x(price))} y1={px(PAD - 8.0)} y2={px(H - PAD)} />
                <text class="tick x-lo" x={px(PAD)} y={px(H - 8.0)}>{ x_lo }</text>
                <text class="tick end x-hi" x={px(w - PAD)} y={px(H - 8.0)}>{ x_hi }</text>
                // The value scale: zero and the top of the drawing, in the pool's currency.
                <text class="tick" x="2" y={px(zero_y - 3.0)}>{ "0" }</text>
                // At the side away from the "now" label, so the two never overlap.
                if s.x(price) > w / 2.0 {
                    <text class="tick axis-top" x="2" y={px(PAD - 2.0)}>{ format!("{} {currency}", format::money(top, &currency)) }</text>
                } else {
                    <text class="tick end axis-top" x={px(w - 2.0)} y={px(PAD - 2.0)}>{ format!("{} {currency}", format::money(top, &currency)) }</text>
                }
                <text class="tick now-label" x={px(s.x(price))} y={px(PAD - 12.0)}>{ format!("{} now {}", p.asset, format::price(price)) }</text>
            </svg>
            <figcaption>
                <span class="key cross">{ "Cross equity" }</span>
                <span class="key isolated">{ "Isolated equity" }</span>
                if !portfolio.is_empty() { <span class="key portfolio">{ "Portfolio equity" }</span> }
                <span class="key mm">{ "Maintenance margin (dashed)" }</span>
                <span class="key liq">{ "Liquidation price" }</span>
                <span class="key bankrupt">{ "Bankruptcy price" }</span>
            </figcaption>
        </figure>
    }
}
