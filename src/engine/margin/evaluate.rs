//! The views: the portfolio as given, all-cross, all-isolated and
//! all-portfolio, and what one lends another. An isolated pool is the same in every view, so each is
//! solved once; and a comparison after a price move takes from the one
//! before every isolated pool the move left alike.

use super::pools::{build_pools, Figures, PoolKey};
use super::prepared::Prepared;
use super::reports::{account_report, pool_report};
use super::solve::{solve_pool, Terms};
use super::{overflow, View};
use crate::engine::error::Error;
use crate::engine::liquidation::Roots;
use crate::engine::model::Model;
use crate::engine::name::Name;
use crate::engine::num::SafeMath;
use crate::engine::report::{
    Evaluation, PoolReport, PositionReport, Report, Status, REPORT_FORMAT,
};
use crate::engine::scenario::MarginMode;
use rust_decimal::Decimal;

impl Prepared {
    /// The portfolio as given, all-cross, all-isolated and all-portfolio
    /// (when every asset with a position has portfolio margin's
    /// parameters), sharing the work they have in common. A portfolio
    /// entirely in one mode as given is that view.
    pub fn report(&self) -> Result<Report, Error> {
        let model = self.model();
        let mut common = Common::new(model, self.known());
        let mut all_isolated = evaluate_view(model, View::AllIsolated, &mut common, None)?;
        let mut all_cross = evaluate_view(model, View::AllCross, &mut common, None)?;
        let mut all_portfolio = if self.portfolio_priced() {
            Some(evaluate_view(model, View::AllPortfolio, &mut common, None)?)
        } else {
            None
        };
        let modes = |m| model.positions.iter().all(|p| p.mode == m);
        // As given, a currency's pool is a portfolio pool where its
        // positions are margined so: one without positions stays cross, as
        // all-portfolio has it only when every currency has positions.
        let every_currency_traded = || {
            model.currencies().into_iter().all(|c| {
                model
                    .positions
                    .iter()
                    .any(|p| model.markets[p.market].currency() == c)
            })
        };
        let mut as_given = match &all_portfolio {
            _ if modes(MarginMode::Cross) => None,
            _ if modes(MarginMode::Isolated) => None,
            Some(_) if modes(MarginMode::Portfolio) && every_currency_traded() => None,
            _ => {
                let lender = Lender {
                    from: &all_isolated,
                    pools: common.solved.alone.iter().map(|&k| Some(k)).collect(),
                };
                Some(evaluate_view(
                    model,
                    View::AsGiven,
                    &mut common,
                    Some(&lender),
                )?)
            }
        };
        // Each view's costs, once: a view the book is entirely in as given
        // is that view, costs and all.
        let mut views = vec![
            (View::AllIsolated, &mut all_isolated),
            (View::AllCross, &mut all_cross),
        ];
        views.extend(all_portfolio.as_mut().map(|e| (View::AllPortfolio, e)));
        views.extend(as_given.as_mut().map(|e| (View::AsGiven, e)));
        self.add_costs(&mut views)?;
        let as_given = match (as_given, &all_portfolio) {
            (Some(e), _) => e,
            _ if modes(MarginMode::Cross) => all_cross.clone(),
            _ if modes(MarginMode::Isolated) => all_isolated.clone(),
            (None, Some(all)) => all.clone(),
            (None, None) => all_cross.clone(),
        };
        Ok(Report {
            format: REPORT_FORMAT,
            as_given,
            all_cross,
            all_isolated,
            all_portfolio,
        })
    }

    /// Whether every asset with a position has portfolio margin's
    /// parameters: then the book can be seen all in portfolio margin.
    pub fn portfolio_priced(&self) -> bool {
        let model = self.model();
        model.positions.iter().all(|p| {
            model.assets[model.markets[p.market].asset]
                .portfolio
                .is_some()
        })
    }

    /// One view alone.
    pub fn view(&self, view: View) -> Result<Evaluation, Error> {
        let model = self.model();
        let mut e = evaluate_view(model, view, &mut Common::new(model, self.known()), None)?;
        self.add_costs(&mut [(view, &mut e)])?;
        Ok(e)
    }

    /// All-cross against all-isolated, exactly as [`Prepared::report`] has
    /// them, without the view as given (a slider tick in the app needs only
    /// these). From `before` (the comparison of an earlier model, such as
    /// the same portfolio before a slider tick) it takes every isolated pool
    /// whose position, market and price are the same to the last digit: an
    /// isolated pool holds its own position only, so nothing else moves it.
    /// A slider tick moves one asset's price, so most of the all-isolated
    /// view is taken as it was.
    pub fn compare(&self, before: Option<(&Prepared, &Comparison)>) -> Result<Comparison, Error> {
        let model = self.model();
        let mut common = Common::new(model, self.known());
        let lender = before.map(|(earlier, c)| {
            let solved = &c.solved;
            let pools = (0..model.positions.len())
                .map(|i| {
                    let k = *solved.alone.get(i)?;
                    let roots = (*solved.isolated.get(i)?)?;
                    let slot = common.solved.isolated.get_mut(i)?;
                    earlier.model().isolated_alike(model, i).then(|| {
                        *slot = Some(roots);
                        k
                    })
                })
                .collect();
            Lender {
                from: &c.all_isolated,
                pools,
            }
        });
        let mut all_isolated =
            evaluate_view(model, View::AllIsolated, &mut common, lender.as_ref())?;
        let mut all_cross = evaluate_view(model, View::AllCross, &mut common, None)?;
        let mut all_portfolio = if self.portfolio_priced() {
            Some(evaluate_view(model, View::AllPortfolio, &mut common, None)?)
        } else {
            None
        };
        let mut views = vec![
            (View::AllIsolated, &mut all_isolated),
            (View::AllCross, &mut all_cross),
        ];
        views.extend(all_portfolio.as_mut().map(|e| (View::AllPortfolio, e)));
        self.add_costs(&mut views)?;
        Ok(Comparison {
            all_cross,
            all_isolated,
            all_portfolio,
            solved: common.solved,
        })
    }
}

/// The views the app sets side by side: every position cross, every
/// position isolated, every position in portfolio margin (when the scenario
/// has its parameters; the portfolio as given is the JS API's business).
#[derive(Debug, Clone)]
pub struct Comparison {
    pub all_cross: Evaluation,
    pub all_isolated: Evaluation,
    pub all_portfolio: Option<Evaluation>,
    /// What the all-isolated view solved, for the next comparison.
    solved: Solved,
}

/// Two comparisons are equal when their views are.
impl PartialEq for Comparison {
    fn eq(&self, other: &Self) -> bool {
        self.all_cross == other.all_cross
            && self.all_isolated == other.all_isolated
            && self.all_portfolio == other.all_portfolio
    }
}

impl Comparison {
    /// The view asked for, if this comparison holds it.
    pub fn get(&self, view: View) -> Option<&Evaluation> {
        match view {
            View::AllCross => Some(&self.all_cross),
            View::AllIsolated => Some(&self.all_isolated),
            View::AllPortfolio => self.all_portfolio.as_ref(),
            View::AsGiven => None,
        }
    }
}

/// What the views of one evaluation have in common, worked out once: every
/// position's own figures, and each position's liquidation and bankruptcy
/// prices when it stands alone (an isolated pool is the same in every view).
struct Common<'a> {
    figures: Option<Vec<Figures>>,
    /// Each position's terms of the solver, for every view.
    terms: Terms<'a>,
    /// Each isolated pool's roots and where the all-isolated view put it:
    /// what a later comparison takes over.
    solved: Solved,
    /// By position index: PnL over the margin it was opened with (0 without
    /// one). Only reports show it, so it is not one of the figures that the
    /// curves, the boundary and the questions work out again at every tick.
    roe: Vec<Decimal>,
}

impl<'a> Common<'a> {
    fn new(model: &'a Model, known: Option<&[Figures]>) -> Common<'a> {
        Common {
            figures: known.map(<[Figures]>::to_vec),
            terms: Terms::new(model.positions.len()),
            solved: Solved {
                isolated: vec![None; model.positions.len()],
                alone: Vec::new(),
            },
            roe: Vec::new(),
        }
    }
}

/// What an all-isolated view solved, by position, kept for the next
/// comparison of the portfolio.
#[derive(Debug, Clone, Default)]
struct Solved {
    /// By position: its isolated pool's liquidation and bankruptcy roots.
    isolated: Vec<Option<(Roots, Roots)>>,
    /// By position: its pool's index in the all-isolated view.
    alone: Vec<usize>,
}

/// An evaluation whose isolated positions' reports (their own and their
/// pools') another view takes as they are.
struct Lender<'a> {
    from: &'a Evaluation,
    /// By position: its pool's index in `from`; `None` where not to be taken.
    pools: Vec<Option<usize>>,
}

/// One view. `lender` lends its reports of an isolated position and its
/// pool wherever it has them: the all-isolated view evaluated with the same
/// `common` (an isolated pool is the same in every view), or an earlier one.
fn evaluate_view<'a>(
    model: &'a Model,
    view: View,
    common: &mut Common<'a>,
    lender: Option<&Lender>,
) -> Result<Evaluation, Error> {
    let (mut pools, figures) = build_pools(model, view, common.figures.as_deref())?;
    if common.figures.is_none() {
        common.figures = Some(figures.clone());
    }
    if view == View::AllIsolated {
        common.solved.alone = figures.iter().map(|f| f.pool).collect();
    }
    if common.roe.is_empty() {
        common.roe = model
            .positions
            .iter()
            .zip(&figures)
            .map(|(p, f)| f.pnl.checked_div(p.entry_margin).unwrap_or_default())
            .collect();
    }

    // Liquidation and bankruptcy prices: one solve per (pool, asset).
    for pool in pools.iter_mut() {
        if pool.members.is_empty() {
            continue;
        }
        let key = pool.key;
        if let PoolKey::Isolated(i) = key {
            if let (Some(&Some((liq, bankrupt))), [g]) =
                (common.solved.isolated.get(i), &mut pool.groups[..])
            {
                g.liquidation = liq;
                g.bankruptcy = bankrupt;
                continue;
            }
        }
        solve_pool(model, &figures, &mut common.terms, pool)?;
        if let (PoolKey::Isolated(i), [g]) = (key, &pool.groups[..]) {
            if let Some(slot) = common.solved.isolated.get_mut(i) {
                *slot = Some((g.liquidation, g.bankruptcy));
            }
        }
    }

    // Position `i`'s isolated pool and its report from the lender, where it has them.
    let lent = |i: usize| -> Option<(&PoolReport, &PositionReport)> {
        let l = lender?;
        let k = (*l.pools.get(i)?)?;
        Some((l.from.pools.get(k)?, l.from.positions.get(i)?))
    };
    let pool_reports = pools
        .iter()
        .map(|p| match p.key {
            PoolKey::Isolated(i) => match lent(i) {
                Some((r, _)) => Ok(r.clone()),
                None => pool_report(model, p),
            },
            PoolKey::Cross(_) | PoolKey::Portfolio(_) => pool_report(model, p),
        })
        .collect::<Result<Vec<_>, _>>()?;

    let mut positions = Vec::with_capacity(model.positions.len());
    for (i, (p, f)) in model.positions.iter().zip(&figures).enumerate() {
        if f.mode == MarginMode::Isolated {
            if let Some((_, r)) = lent(i) {
                positions.push(r.clone());
                continue;
            }
        }
        let pool = &pools[f.pool];
        let m = &model.markets[p.market];
        let group = pool.group_of(m.asset);
        // Roots are the asset's prices; a position's are its market's (the
        // same, but for a premium).
        let now = model.assets[m.asset].price;
        let at_mark = |v: Option<Decimal>| {
            v.map(|v| m.mark_at_root(v))
                .transpose()
                .map_err(overflow(|| format!("positions[{i}]"), "liquidation price"))
        };
        let liq = at_mark(group.and_then(|g| g.liquidation.nearest(now)))?;
        let bankrupt = at_mark(group.and_then(|g| g.bankruptcy.nearest(now)))?;
        let tier = &m.tiers[f.tier];
        let (distance, ratio) = match liq {
            Some(l) => {
                let d = l
                    .sub(f.price)
                    .map_err(overflow(|| format!("positions[{i}]"), "distance"))?;
                (Some(d), d.checked_div(f.price))
            }
            None => (None, None),
        };
        positions.push(PositionReport {
            id: p.id.clone(),
            market: m.id.clone(),
            asset: model.assets[m.asset].name.clone(),
            side: p.side,
            margin_mode: f.mode,
            pool: pool_report_id(&pool_reports, f.pool),
            currency: model.currency_name(m.currency()).clone(),
            qty: p.qty,
            entry_price: p.entry_price,
            mark_price: f.price,
            leverage: p.leverage,
            notional: f.notional,
            value: f.value,
            pnl: f.pnl,
            roe: common.roe.get(i).copied().unwrap_or_default(),
            initial_margin: f.im,
            maintenance_margin: f.mm,
            mmr: tier.mmr,
            maintenance_amount: tier.amount,
            tier: f.tier + 1,
            isolated_margin: (f.mode == MarginMode::Isolated).then_some(p.isolated_margin),
            liquidation_price: liq,
            bankruptcy_price: bankrupt,
            liquidation_distance: distance,
            liquidation_distance_ratio: ratio,
            liquidated: pool_reports[f.pool].status == Status::Liquidated,
            costs: None,
        });
    }

    let account = account_report(
        model,
        &figures,
        &mut common.terms,
        &pools,
        &pool_reports,
        &positions,
    )?;
    Ok(Evaluation {
        positions,
        pools: pool_reports,
        account,
    })
}

fn pool_report_id(reports: &[PoolReport], i: usize) -> Name {
    reports.get(i).map_or_else(|| "".into(), |p| p.id.clone())
}

#[cfg(test)]
mod tests {
    use crate::engine::{test_book, validate, Prepared, Scenario, View};

    fn prepared(s: &Scenario) -> Prepared {
        Prepared::new(validate(s).expect("valid"))
    }

    #[test]
    fn each_view_of_the_report_is_that_view_alone() {
        let p = prepared(&test_book());
        let report = p.report().expect("a report");
        assert_eq!(report.as_given, p.view(View::AsGiven).expect("as given"));
        assert_eq!(report.all_cross, p.view(View::AllCross).expect("cross"));
        assert_eq!(
            report.all_isolated,
            p.view(View::AllIsolated).expect("isolated")
        );
    }

    #[test]
    fn a_book_all_in_portfolio_margin_as_given_keeps_an_untraded_wallet_cross() {
        let mut s = test_book();
        for p in &mut s.positions {
            p.margin_mode = crate::engine::scenario::MarginMode::Portfolio;
        }
        // A coin wallet beside an inverse market nobody trades.
        let mut inverse = s.markets["BTCUSDT"].clone();
        inverse.settlement = crate::engine::scenario::Settlement::Inverse;
        s.markets.insert("BTCUSD".into(), inverse);
        s.wallet
            .insert("BTC".into(), crate::engine::scenario::Num(1.into()));
        for asset in ["BTC", "ETH"] {
            let params = serde_json::from_str(
                r#"{ "shocks": ["-0.1", "0.1"], "mm_factor": "1", "im_factor": "1" }"#,
            )
            .expect("parameters");
            s.portfolio_margin.insert(asset.into(), params);
        }
        let p = prepared(&s);
        let report = p.report().expect("a report");
        assert_eq!(report.as_given, p.view(View::AsGiven).expect("as given"));
        let ids = |e: &crate::engine::Evaluation| -> Vec<String> {
            e.pools.iter().map(|p| p.id.to_string()).collect()
        };
        assert_eq!(ids(&report.as_given), ["portfolio", "cross:BTC"]);
        assert_eq!(
            ids(report.all_portfolio.as_ref().expect("all portfolio")),
            ["portfolio", "portfolio:BTC"]
        );
    }

    #[test]
    fn a_comparison_after_a_move_is_the_one_made_afresh() {
        let s = test_book();
        let before = prepared(&s);
        let first = before.compare(None).expect("compared");
        let mut moved = s.clone();
        moved
            .prices
            .insert("ETH".into(), crate::engine::scenario::Num(2_500.into()));
        let after = prepared(&moved);
        let kept = after.compare(Some((&before, &first))).expect("compared");
        assert_eq!(kept, after.compare(None).expect("compared"));
        // The BTC pool the move left alone was taken, not solved again: the
        // same report; the ETH pool moved.
        let btc = |c: &crate::engine::Comparison| c.all_isolated.pool("BTCUSDT").cloned();
        assert_eq!(btc(&kept), btc(&first));
        let eth = |c: &crate::engine::Comparison| c.all_isolated.pool("ETHUSDT").cloned();
        assert_ne!(eth(&kept), eth(&first));
    }
}
