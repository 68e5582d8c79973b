//! On a phone, what a price move changes, right under the sliders: the
//! selected position's liquidation price in each mode, and the margin ratio
//! of its pool there.

use super::by_ptr::ByPtr;
use super::format;
use crate::engine::{Comparison, View};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    pub report: ByPtr<Comparison>,
    pub selected: usize,
    /// The modes the page shows, in its order, with their names.
    pub views: Vec<(View, &'static str)>,
}

#[component]
pub fn Summary(p: &SummaryProps) -> Html {
    let rows: Vec<Html> = p
        .views
        .iter()
        .filter_map(|(v, name)| {
            let e = p.report.get(*v)?;
            let pos = e.positions.get(p.selected)?;
            let pool = e.pool(&pos.pool)?;
            let liq = if pos.liquidated {
                "liquidated".to_string()
            } else {
                format::liquidation_or_none(pos.liquidation_price, pos.mark_price)
            };
            let ratio = pool
                .margin_ratio
                .map(format::percent)
                .unwrap_or_else(|| "no equity".into());
            Some(html! {
                <div class={classes!("summary-mode", pos.liquidated.then_some("danger"))} data-mode={name.to_ascii_lowercase()}>
                    <span class="summary-name">{ *name }</span>
                    <span class="summary-liq" data-k="summary-liq">{ liq }</span>
                    <span class="summary-ratio" data-k="summary-ratio">{ format!("MR {ratio}") }</span>
                </div>
            })
        })
        .collect();
    let id = p
        .report
        .all_cross
        .positions
        .get(p.selected)
        .map(|x| x.id.to_string())
        .unwrap_or_default();
    html! {
        <aside class="summary" aria-label={format!("{id}: liquidation price and margin ratio in each mode")} aria-live="polite">
            <span class="summary-title">{ format!("{id} liquidation · pool margin ratio") }</span>
            { for rows }
        </aside>
    }
}
