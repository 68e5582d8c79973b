//! The words the panels use, explained where they are used (`TermLabel`:
//! hover or focus a label to read it) and all together (`Glossary`). One
//! list, so the inline explanation and the glossary never disagree; a term
//! is an enum, so a label cannot name a term that has no explanation.

/// A word the page explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    Equity,
    MaintenanceMargin,
    InitialMargin,
    MarginRatio,
    CollateralRatio,
    EffectiveLeverage,
    FreeMargin,
    Pnl,
    LiquidationPrice,
    Distance,
    BankruptcyPrice,
    MaintenanceTier,
    CrossMargin,
    IsolatedMargin,
    PortfolioMargin,
    RiskUnit,
    WorstScenario,
}

impl Term {
    /// In the order a newcomer meets them.
    pub const ALL: [Term; 17] = [
        Term::Equity,
        Term::MaintenanceMargin,
        Term::InitialMargin,
        Term::MarginRatio,
        Term::CollateralRatio,
        Term::EffectiveLeverage,
        Term::FreeMargin,
        Term::Pnl,
        Term::LiquidationPrice,
        Term::Distance,
        Term::BankruptcyPrice,
        Term::MaintenanceTier,
        Term::CrossMargin,
        Term::IsolatedMargin,
        Term::PortfolioMargin,
        Term::RiskUnit,
        Term::WorstScenario,
    ];

    pub fn word(self) -> &'static str {
        match self {
            Term::Equity => "Equity",
            Term::MaintenanceMargin => "Maintenance margin",
            Term::InitialMargin => "Initial margin",
            Term::MarginRatio => "Margin ratio",
            Term::CollateralRatio => "Collateral ratio",
            Term::EffectiveLeverage => "Effective leverage",
            Term::FreeMargin => "Free margin",
            Term::Pnl => "PnL",
            Term::LiquidationPrice => "Liquidation price",
            Term::Distance => "Distance",
            Term::BankruptcyPrice => "Bankruptcy price",
            Term::MaintenanceTier => "Maintenance tier",
            Term::CrossMargin => "Cross margin",
            Term::IsolatedMargin => "Isolated margin",
            Term::PortfolioMargin => "Portfolio margin",
            Term::RiskUnit => "Risk unit",
            Term::WorstScenario => "Worst scenario",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Term::Equity => "What the pool is worth now: its wallet balance (or isolated margin), plus collateral at its value ratios, plus unrealised PnL.",
            Term::MaintenanceMargin => "The least equity a pool must keep. Each position's notional times its tier's rate, less the tier's amount.",
            Term::InitialMargin => "What opening the positions required: notional divided by leverage. Below it, nothing new can be opened.",
            Term::MarginRatio => "Maintenance margin divided by equity. At 100 % the pool is liquidated.",
            Term::CollateralRatio => "Equity divided by maintenance margin: how many times the requirement is covered. Liquidation at 1×.",
            Term::EffectiveLeverage => "Notional of the pool's positions divided by its equity: how hard the pool's own money is working.",
            Term::FreeMargin => "Equity above the initial margin: what could still back new positions or be withdrawn.",
            Term::Pnl => "Unrealised profit or loss: what closing the position at the current price would make or lose.",
            Term::LiquidationPrice => "The price at which equity equals maintenance margin: the exchange closes the positions there.",
            Term::Distance => "How far the price must move from now, in percent, to reach the liquidation price.",
            Term::BankruptcyPrice => "The price at which equity reaches zero: every unit of margin is gone.",
            Term::MaintenanceTier => "A band of notional with its own rate: the larger the position, the higher the rate and the lower the leverage allowed.",
            Term::CrossMargin => "All cross positions share one pool: gains in one support the others, and one large loss can drain the whole wallet.",
            Term::IsolatedMargin => "Each position has its own pool holding only its margin: its loss cannot touch the rest of the account.",
            Term::PortfolioMargin => "One pool, like cross, but charged by risk: each asset's positions are charged together the worst loss over a grid of price moves, so opposite positions net; a naked bet can need more than under cross.",
            Term::RiskUnit => "Under portfolio margin, every position on one asset (a perpetual and a dated future alike), charged as a whole: worst loss, plus a roll charge on the gross notional and a basis charge on the net delta, at least a floor.",
            Term::WorstScenario => "The price move, among the unit's scenarios, that loses the most: its loss is the heart of the requirement.",
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use view::{Glossary, TermLabel};

#[cfg(target_arch = "wasm32")]
mod view {
    use super::Term;
    use yew::prelude::*;

    #[derive(Properties, PartialEq)]
    pub struct TermProps {
        pub term: Term,
        /// Shown instead of the term's own word.
        #[prop_or_default]
        pub label: Option<AttrValue>,
    }

    /// A label that explains itself on hover and keyboard focus (and on tap,
    /// which focuses it). The explanation is text in the page, so screen
    /// readers and the text-only test read it too.
    #[component]
    pub fn TermLabel(p: &TermProps) -> Html {
        let label = p
            .label
            .clone()
            .unwrap_or_else(|| AttrValue::Static(p.term.word()));
        html! {
            <span class="term" tabindex="0">{ label }<span class="tip" role="tooltip">{ p.term.meaning() }</span></span>
        }
    }

    #[component]
    pub fn Glossary() -> Html {
        html! {
            <details class="glossary">
                <summary>{ "Glossary" }</summary>
                <dl>{ for Term::ALL.iter().map(|t| html! { <><dt>{ t.word() }</dt><dd>{ t.meaning() }</dd></> }) }</dl>
            </details>
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Term;

    #[test]
    fn every_term_has_a_word_and_an_explanation_of_its_own() {
        for (i, t) in Term::ALL.iter().enumerate() {
            assert!(!t.word().is_empty() && t.meaning().ends_with('.'), "{t:?}");
            assert!(Term::ALL[..i].iter().all(|u| u.word() != t.word()), "{t:?}");
        }
    }
}
