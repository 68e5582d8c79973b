//! A map of the cross pool's liquidation boundary over two assets' prices:
//! the shaded pairs liquidate it. Each boundary point is solved exactly by
//! the engine (`margin::liquidation_boundary`); the lines join them.

use super::by_ptr::ByPtr;
use super::chart::px;
use super::format;
use crate::engine::boundary::BoundaryPoint;
use crate::engine::{Prepared, View};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BoundaryProps {
    pub prepared: ByPtr<Prepared>,
    pub reference: BTreeMap<String, Decimal>,
    pub asset: AttrValue,
    /// `State::portfolio_edits`: the boundary is worked out again when the
    /// portfolio changes, not when the first asset's own price does.
    pub portfolio_edits: u64,
}

const W: f64 = 420.0;
const H: f64 = 300.0;
const PAD: f64 = 40.0;

#[component]
pub fn BoundaryMap(p: &BoundaryProps) -> Html {
    let chosen = use_state(|| None::<String>);
    let model = p.prepared.model();
    let others: Vec<String> = model
        .assets
        .iter()
        .map(|a| a.name.to_string())
        .filter(|a| a.as_str() != p.asset.as_str())
        .collect();
    let b_name = chosen
        .as_ref()
        .filter(|b| others.contains(b))
        .cloned()
        .or_else(|| others.first().cloned());
    let index = |name: &str| model.assets.iter().position(|x| x.name == name);
    let pair = index(&p.asset).zip(b_name.as_deref().and_then(index));
    let range = |i: usize| {
        let a = &model.assets[i];
        super::prices::range(p.reference.get(&*a.name).copied().unwrap_or(a.price))
    };
    let a_range = pair.map(|(a, _)| range(a));
    // Every column sets `a` itself, so `a`'s own slider does not move the
    // boundary; `b`'s does (the roots are the ones nearest its mark).
    let skip: Vec<usize> = pair.map(|(a, _)| a).into_iter().collect();
    let key = (
        super::chart::DrawKey::new(p.portfolio_edits, model, &skip),
        pair,
        a_range,
    );
    let points = {
        let prepared = p.prepared.clone();
        use_memo(key, move |(_, pair, a_range)| match (pair, a_range) {
            (Some((a, b)), Some((lo, hi))) => prepared
                .liquidation_boundary(View::AllCross, (*a, *b), *lo, *hi, 48)
                .unwrap_or_default(),
            _ => Vec::new(),
        })
    };
    let (Some((a, b)), Some((a_lo, a_hi)), Some(b_name)) = (pair, a_range, b_name) else {
        return html! {};
    };
    let (b_lo, b_hi) = range(b);
    let f = |d: Decimal| d.to_f64().unwrap_or(0.0);
    let x = |pa: Decimal| {
        PAD + (f(pa) - f(a_lo)) / (f(a_hi) - f(a_lo)).max(f64::MIN_POSITIVE) * (W - 2.0 * PAD)
    };
    let y = |pb: Decimal| {
        let t = ((f(pb) - f(b_lo)) / (f(b_hi) - f(b_lo)).max(f64::MIN_POSITIVE)).clamp(-0.02, 1.02);
        H - PAD - t * (H - 2.0 * PAD)
    };
    // Per column, the liquidated intervals of b: outside the roots when the
    // pool is healthy at b's mark, between them when it is liquidated there.
    let intervals = |pt: &BoundaryPoint| -> Vec<(f64, f64)> {
        let (bot, top) = (y(b_lo), y(b_hi));
        if pt.liquidated_at_mark {
            vec![(pt.b_down.map_or(bot, y), pt.b_up.map_or(top, y))]
        } else {
            let mut v = Vec::new();
            if let Some(d) = pt.b_down {
                v.push((bot, y(d)));
            }
            if let Some(u) = pt.b_up {
                v.push((y(u), top));
            }
            v
        }
    };
    let mut quads: Vec<String> = Vec::new();
    for w in points.windows(2) {
        let (l, r) = (intervals(&w[0]), intervals(&w[1]));
        let (xl, xr) = (x(w[0].a), x(w[1].a));
        if l.len() == r.len() {
            for ((l0, l1), (r0, r1)) in l.iter().zip(&r) {
                quads.push(quad(xl, xr, (*l0, *l1), (*r0, *r1)));
            }
        } else {
            // The shape changes between the two samples (one band splits in
            // two): each side keeps its own bands up to the midpoint, so the
            // map has no blank column there.
            let xm = (xl + xr) / 2.0;
            for (x0, x1, bands) in [(xl, xm, &l), (xm, xr, &r)] {
                for (b0, b1) in bands.iter() {
                    quads.push(quad(x0, x1, (*b0, *b1), (*b0, *b1)));
                }
            }
        }
    }
    // The edge as curves, not as "below/above now": where the pool turns from
    // liquidated to healthy at b's current price, the root that was "up"
    // becomes "down" but lies on the same curve. Two roots in a column are a
    // lower and an upper curve; a lone root joins the curve it is nearest.
    let mut chains: [Vec<(f64, f64)>; 2] = [Vec::new(), Vec::new()];
    for pt in points.iter() {
        let roots: Vec<f64> = [pt.b_down, pt.b_up].into_iter().flatten().map(y).collect();
        let xa = x(pt.a);
        match roots[..] {
            [one] => {
                let near =
                    |c: &Vec<(f64, f64)>| c.last().map_or(f64::INFINITY, |l| (l.1 - one).abs());
                let k = usize::from(near(&chains[1]) < near(&chains[0]));
                chains[k].push((xa, one));
            }
            [r0, r1] => {
                // y grows downward: the larger y is the lower price.
                chains[0].push((xa, r0.max(r1)));
                chains[1].push((xa, r0.min(r1)));
            }
            _ => {}
        }
    }
    let line = |c: &Vec<(f64, f64)>| {
        c.iter()
            .map(|&(x, y)| point(x, y))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let onchange = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            chosen.set(Some(sel.value()));
        })
    };
    let (now_a, now_b) = (model.assets[a].price, model.assets[b].price);
    let ((x_lo, x_hi), (y_lo, y_hi)) =
        (format::axis_ends(a_lo, a_hi), format::axis_ends(b_lo, b_hi));
    html! {
        <figure class="boundary">
            <div class="field">
                <label for="boundary-b">{ format!("Cross pool liquidation map: {} against", p.asset) }</label>
                <select id="boundary-b" {onchange}>
                    { for others.iter().map(|o| html! { <option value={o.clone()} selected={*o == b_name}>{ o.clone() }</option> }) }
                </select>
            </div>
            <svg viewBox={format!("0 0 {} {}", px(W), px(H))} role="img"
                aria-label={format!("Pairs of {} and {b_name} prices that liquidate the cross pool (shaded)", p.asset)}>
                <rect class="frame" x={px(PAD)} y={px(PAD)} width={px(W - 2.0 * PAD)} height={px(H - 2.0 * PAD)} />
                { for quads.iter().map(|q| html! { <polygon class="liquidated" points={q.clone()} /> }) }
                <polyline class="edge" points={line(&chains[0])} />
                <polyline class="edge" points={line(&chains[1])} />
                <circle class="now" r="5" cx={px(x(now_a))} cy={px(y(now_b))} tabindex="0"
                    aria-label={format!("now: {} {}, {b_name} {}", p.asset, format::price(now_a), format::price(now_b))}>
                    <title>{ format!("now: {} {}, {b_name} {}", p.asset, format::price(now_a), format::price(now_b)) }</title>
                </circle>
                <text class="tick x-lo" x={px(PAD)} y={px(H - 22.0)}>{ x_lo }</text>
                <text class="tick end x-hi" x={px(W - PAD)} y={px(H - 22.0)}>{ x_hi }</text>
                <text class="tick mid" x={px(W / 2.0)} y={px(H - 6.0)}>{ format!("{} price", p.asset) }</text>
                <text class="tick y-lo" x="2" y={px(H - PAD)}>{ y_lo }</text>
                <text class="tick y-hi" x="2" y={px(PAD - 6.0)}>{ format!("{b_name} {y_hi}") }</text>
            </svg>
            <figcaption>{ "Shaded: price pairs at which the cross pool is liquidated; the dot is now." }</figcaption>
        </figure>
    }
}

/// `x,y` for an SVG point list.
fn point(x: f64, y: f64) -> String {
    format!("{},{}", px(x), px(y))
}

/// A band between two columns: `left` and `right` are its (bottom, top) there.
fn quad(xl: f64, xr: f64, left: (f64, f64), right: (f64, f64)) -> String {
    format!(
        "{} {} {} {}",
        point(xl, left.0),
        point(xl, left.1),
        point(xr, right.1),
        point(xr, right.0)
    )
}
