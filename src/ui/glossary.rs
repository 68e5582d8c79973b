//! The words the panels use, explained where they are used (`Term`: hover or
//! focus a label to read it) and all together (`Glossary`). One list, so the
//! inline explanation and the glossary never disagree.

use yew::prelude::*;

/// Term and its explanation, in the order a newcomer meets them.
pub const TERMS: &[(&str, &str)] = &[
    ("Equity", "What the pool is worth now: its wallet balance (or isolated margin), plus collateral at its value ratios, plus unrealised PnL."),
    ("Maintenance margin", "The least equity a pool must keep. Each position's notional times its tier's rate, less the tier's amount."),
    ("Initial margin", "What opening the positions required: notional divided by leverage. Below it, nothing new can be opened."),
    ("Margin ratio", "Maintenance margin divided by equity. At 100 % the pool is liquidated."),
    ("Collateral ratio", "Equity divided by maintenance margin: how many times the requirement is covered. Liquidation at 1×."),
    ("Effective leverage", "Notional of the pool's positions divided by its equity: how hard the pool's own money is working."),
    ("Free margin", "Equity above the initial margin: what could still back new positions or be withdrawn."),
    ("PnL", "Unrealised profit or loss: what closing the position at the current price would make or lose."),
    ("Liquidation price", "The price at which equity equals maintenance margin: the exchange closes the positions there."),
    ("Distance", "How far the price must move from now, in percent, to reach the liquidation price."),
    ("Bankruptcy price", "The price at which equity reaches zero: every unit of margin is gone."),
    ("Maintenance tier", "A band of notional with its own rate: the larger the position, the higher the rate and the lower the leverage allowed."),
    ("Cross margin", "All cross positions share one pool: gains in one support the others, and one large loss can drain the whole wallet."),
    ("Isolated margin", "Each position has its own pool holding only its margin: its loss cannot touch the rest of the account."),
];

pub fn meaning(term: &str) -> &'static str {
    TERMS
        .iter()
        .find(|(t, _)| *t == term)
        .map(|(_, d)| *d)
        .unwrap_or("")
}

#[derive(Properties, PartialEq)]
pub struct TermProps {
    /// The glossary's word; `label` shows instead when given.
    pub term: AttrValue,
    #[prop_or_default]
    pub label: Option<AttrValue>,
}

/// A label that explains itself on hover and keyboard focus (and on tap,
/// which focuses it). The explanation is text in the page, so screen readers
/// and the text-only test read it too.
#[function_component(Term)]
pub fn term(p: &TermProps) -> Html {
    let tip = meaning(&p.term);
    let label = p.label.clone().unwrap_or_else(|| p.term.clone());
    html! {
        <span class="term" tabindex="0">{ label }<span class="tip" role="tooltip">{ tip }</span></span>
    }
}

#[function_component(Glossary)]
pub fn glossary() -> Html {
    html! {
        <details class="glossary">
            <summary>{ "Glossary" }</summary>
            <dl>{ for TERMS.iter().map(|(t, d)| html! { <><dt>{ *t }</dt><dd>{ *d }</dd></> }) }</dl>
        </details>
    }
}
