//! One evaluation of the portfolio at the current prices: positions, pools
//! (isolated ones and a cross pool per settlement currency), account totals,
//! liquidation prices and thresholds.
//!
//! The pool sums are computed once; each (pool, asset) pair is solved once,
//! and every position on that asset in that pool shares the answer. The cost
//! is linear in positions (plus a sort over tier breakpoints).

use super::error::Error;
use super::few::Few;
use super::liquidation::{self, Problem, Roots, Term};
use super::market;
use super::model::{Currency, MarketSpec, Model, Name, PositionSpec};
use super::num::{ratio, Calc, SafeMath};
use super::report::*;
use super::scenario::{MarginBasis, MarginMode, Settlement, Side};
use rust_decimal::Decimal;

/// Which margin modes to evaluate the portfolio under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    AsGiven,
    AllCross,
    AllIsolated,
}

impl View {
    fn mode(self, given: MarginMode) -> MarginMode {
        match self {
            View::AsGiven => given,
            View::AllCross => MarginMode::Cross,
            View::AllIsolated => MarginMode::Isolated,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum PoolKey {
    Cross(Currency),
    Isolated(usize),
}

/// Per-position figures that do not need the rest of the pool.
#[derive(Clone, Copy)]
struct Figures {
    pool: usize,
    mode: MarginMode,
    price: Decimal,
    notional: Decimal,
    value: Decimal,
    pnl: Decimal,
    im: Decimal,
    mm: Decimal,
    tier: usize,
}

struct Pool {
    key: PoolKey,
    /// [`pool_id`], named once: reports, thresholds and sweeps all repeat it.
    id: Name,
    currency: Currency,
    members: Few<usize>,
    wallet: Decimal,
    collateral_value: Decimal,
    collateral_full: Decimal,
    pnl: Decimal,
    im: Decimal,
    mm: Decimal,
    value: Decimal,
    /// Assets the pool is exposed to, each with its positions and moving collateral.
    /// (A scan finds an asset's: a pool holds a few assets.)
    groups: Few<Group>,
}

struct Group {
    asset: usize,
    members: Few<usize>,
    /// Collateral quantity at its value ratios (moves with the asset's price).
    weighted_qty: Decimal,
    /// `pnl − mm` plus collateral value of this group at current prices.
    net: Decimal,
    /// `pnl` plus collateral value (for bankruptcy).
    net_equity: Decimal,
    liquidation: Roots,
    bankruptcy: Roots,
}

impl Pool {
    /// The group of `asset`, if the pool is exposed to it.
    fn group_of(&self, asset: usize) -> Option<&Group> {
        self.groups.iter().find(|g| g.asset == asset)
    }

    fn group(&mut self, asset: usize) -> &mut Group {
        let i = match self.groups.iter().position(|g| g.asset == asset) {
            Some(i) => i,
            None => {
                self.groups.push(Group {
                    asset,
                    members: Few::default(),
                    weighted_qty: Decimal::ZERO,
                    net: Decimal::ZERO,
                    net_equity: Decimal::ZERO,
                    liquidation: Roots::default(),
                    bankruptcy: Roots::default(),
                });
                self.groups.len() - 1
            }
        };
        &mut self.groups[i]
    }

    fn equity(&self) -> Calc<Decimal> {
        self.wallet.add(self.collateral_value)?.add(self.pnl)
    }

    /// Equity and requirement of everything in the pool but group `g`, at the
    /// current prices: what stays fixed while `g`'s asset moves.
    fn rest_of(&self, g: &Group, figures: &[Figures], price: Decimal) -> Calc<(Decimal, Decimal)> {
        let (mut group_equity, mut group_mm) = (g.weighted_qty.mul(price)?, Decimal::ZERO);
        for &i in &g.members {
            group_equity = group_equity.add(figures[i].pnl)?;
            group_mm = group_mm.add(figures[i].mm)?;
        }
        Ok((self.equity()?.sub(group_equity)?, self.mm.sub(group_mm)?))
    }
}

/// Maps an overflow to an error naming `path`, which is only formatted when
/// there is an error (this runs for every position at every slider tick).
fn overflow<'a, P: FnOnce() -> String + 'a>(
    path: P,
    what: &'a str,
) -> impl FnOnce(super::num::NumError) -> Error + 'a {
    move |e| Error::numeric(path(), what, e)
}

/// Puts every position and collateral asset into its pool, with the pool sums.
fn build_pools(model: &Model, view: View) -> Result<(Vec<Pool>, Vec<Figures>), Error> {
    build_pools_from(model, view, None)
}

/// A model with every position's own figures (notional, PnL, margins, tier)
/// worked out once. At a slider tick the app asks one model for the two
/// views, the curves, the two-asset map, the explanation and the largest
/// size: each would otherwise work out the same figures again (at 500
/// positions, most of what the map and the explanation cost).
pub struct Priced {
    model: Model,
    /// `None` when they cannot be worked out: then each question works
    /// them out itself, and says why it cannot, as it would without them.
    figures: Option<Vec<Figures>>,
}

impl Priced {
    pub fn new(model: Model) -> Priced {
        // A position's own figures are the same in every view (its pool and
        // mode, set per view, are placeholders here).
        let figures = model
            .positions
            .iter()
            .map(|p| position_figures(&model, p, 0, p.mode))
            .collect::<Calc<Vec<_>>>()
            .ok();
        Priced { model, figures }
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    fn known(&self) -> Option<&[Figures]> {
        self.figures.as_deref()
    }

    /// [`evaluate_pair_after`] from these figures.
    pub fn evaluate_pair_after(
        &self,
        before: Option<(&Model, &Evaluation, &Solved)>,
    ) -> Result<([Evaluation; 2], Solved), Error> {
        pair_after(&self.model, self.known(), before)
    }

    /// [`cross_free_margin`] from these figures.
    pub fn cross_free_margin(&self, currency: Currency) -> Result<Decimal, Error> {
        free_margin(&self.model, self.known(), currency)
    }

    /// [`curves`] from these figures.
    pub fn curves(
        &self,
        view: View,
        asset: usize,
        lo: Decimal,
        hi: Decimal,
        samples: usize,
    ) -> Result<Vec<PoolCurve>, Error> {
        curves_from(&self.model, self.known(), view, asset, (lo, hi), samples)
    }

    /// [`explain_liquidation`] from these figures.
    pub fn explain_liquidation(
        &self,
        view: View,
        index: usize,
    ) -> Result<Option<LiquidationWhy>, Error> {
        explain(&self.model, self.known(), view, index)
    }

    /// [`liquidation_boundary`] from these figures.
    pub fn liquidation_boundary(
        &self,
        view: View,
        (a, b): (usize, usize),
        lo: Decimal,
        hi: Decimal,
        samples: usize,
    ) -> Result<Vec<BoundaryPoint>, Error> {
        boundary(&self.model, self.known(), view, (a, b), (lo, hi), samples)
    }
}

/// [`build_pools`] reusing each position's figures when they are already known
/// (they do not depend on the view; only `pool` and `mode` do).
fn build_pools_from(
    model: &Model,
    view: View,
    known: Option<&[Figures]>,
) -> Result<(Vec<Pool>, Vec<Figures>), Error> {
    let mut pools: Vec<Pool> = Vec::new();
    // The cross pool of each currency, by slot: the quote first, then each
    // asset's coin (an isolated pool is new for every position that has one).
    let slot = |c: Currency| match c {
        Currency::Quote => 0,
        Currency::Coin(a) => a + 1,
    };
    let mut cross: Vec<Option<usize>> = vec![None; model.assets.len() + 1];
    let new_pool = |key: PoolKey, currency: Currency, wallet: Decimal| Pool {
        id: pool_id(model, key),
        key,
        currency,
        members: Few::default(),
        wallet,
        collateral_value: Decimal::ZERO,
        collateral_full: Decimal::ZERO,
        pnl: Decimal::ZERO,
        im: Decimal::ZERO,
        mm: Decimal::ZERO,
        value: Decimal::ZERO,
        groups: Few::default(),
    };
    for c in model.currencies() {
        let wallet = model.wallet.get(&c).copied().unwrap_or_default();
        if let Some(s) = cross.get_mut(slot(c)) {
            *s = Some(pools.len());
        }
        pools.push(new_pool(PoolKey::Cross(c), c, wallet));
    }

    // Positions: their own figures, then into their pools.
    let mut figures = Vec::with_capacity(model.positions.len());
    for (i, p) in model.positions.iter().enumerate() {
        let m = &model.markets[p.market];
        let mode = view.mode(p.mode);
        let currency = m.currency();
        // Every currency has its cross pool (`Model::currencies`).
        let cross_pool = cross
            .get(slot(currency))
            .copied()
            .flatten()
            .ok_or_else(|| Error::invalid(format!("positions[{i}]"), "its currency has no pool"))?;
        let pool = match mode {
            MarginMode::Cross => cross_pool,
            MarginMode::Isolated => {
                pools.push(new_pool(PoolKey::Isolated(i), currency, p.isolated_margin));
                let cp = &mut pools[cross_pool];
                cp.wallet = cp
                    .wallet
                    .sub(p.isolated_margin)
                    .map_err(overflow(|| "wallet".into(), "wallet balance"))?;
                pools.len() - 1
            }
        };
        let f = match known.and_then(|k| k.get(i)) {
            Some(&k) => Figures { pool, mode, ..k },
            None => position_figures(model, p, pool, mode)
                .map_err(overflow(|| format!("positions[{i}]"), "margin"))?,
        };
        let pl = &mut pools[pool];
        pl.members.push(i);
        let calc = (|| -> Calc<()> {
            pl.pnl = pl.pnl.add(f.pnl)?;
            pl.im = pl.im.add(f.im)?;
            pl.mm = pl.mm.add(f.mm)?;
            pl.value = pl.value.add(f.value)?;
            let g = pl.group(m.asset);
            g.members.push(i);
            g.net = g.net.add(f.pnl.sub(f.mm)?)?;
            g.net_equity = g.net_equity.add(f.pnl)?;
            Ok(())
        })();
        calc.map_err(overflow(|| format!("positions[{i}]"), "pool total"))?;
        figures.push(f);
    }

    // Collateral backs the quote currency's cross pool and moves with its asset.
    for (i, c) in model.collateral.iter().enumerate() {
        let quote_pool = cross.first().copied().flatten().ok_or_else(|| {
            Error::invalid(format!("collateral[{i}]"), "the quote currency has no pool")
        })?;
        let price = model.assets[c.asset].price;
        let calc = (|| -> Calc<()> {
            let pl = &mut pools[quote_pool];
            let v = price.mul(c.weighted_qty)?;
            pl.collateral_value = pl.collateral_value.add(v)?;
            pl.collateral_full = pl.collateral_full.add(price.mul(c.qty)?)?;
            let g = pl.group(c.asset);
            g.weighted_qty = g.weighted_qty.add(c.weighted_qty)?;
            g.net = g.net.add(v)?;
            g.net_equity = g.net_equity.add(v)?;
            Ok(())
        })();
        calc.map_err(overflow(|| format!("collateral[{i}]"), "collateral value"))?;
    }
    Ok((pools, figures))
}

/// Evaluates `model` under `view`.
pub fn evaluate_view(model: &Model, view: View) -> Result<Evaluation, Error> {
    evaluate_shared(model, view, &mut Shared::new(model), None)
}

/// What the three views have in common, worked out once: every position's
/// own figures, and each position's liquidation and bankruptcy prices when
/// it stands alone (an isolated pool is the same in every view).
struct Shared {
    figures: Option<Vec<Figures>>,
    /// Each isolated pool's roots and where the all-isolated view put it:
    /// what a later evaluation takes over ([`evaluate_pair_after`]).
    solved: Solved,
    /// By position index: PnL over the margin it was opened with (0 without
    /// one). Only reports show it, so it is not one of the figures that the
    /// curves, the boundary and the questions work out again at every tick.
    roe: Vec<Decimal>,
}

impl Shared {
    fn new(model: &Model) -> Shared {
        Shared {
            figures: None,
            solved: Solved {
                isolated: vec![None; model.positions.len()],
                alone: Vec::new(),
            },
            roe: Vec::new(),
        }
    }
}

/// The portfolio as given, all-cross and all-isolated, sharing the work they
/// have in common. A portfolio entirely in one mode as given is that view.
pub fn evaluate_all(model: &Model) -> Result<[Evaluation; 3], Error> {
    let mut shared = Shared::new(model);
    let all_isolated = evaluate_shared(model, View::AllIsolated, &mut shared, None)?;
    let all_cross = evaluate_shared(model, View::AllCross, &mut shared, None)?;
    let modes = |m| model.positions.iter().all(|p| p.mode == m);
    let as_given = if modes(MarginMode::Cross) {
        all_cross.clone()
    } else if modes(MarginMode::Isolated) {
        all_isolated.clone()
    } else {
        let lender = Lender {
            from: &all_isolated,
            pools: shared.solved.alone.iter().map(|&k| Some(k)).collect(),
        };
        evaluate_shared(model, View::AsGiven, &mut shared, Some(&lender))?
    };
    Ok([as_given, all_cross, all_isolated])
}

/// The free margin (equity − initial margin) of the cross pool settling in
/// `currency`, as given: pool sums only, no liquidation prices (a question
/// like "how much more can I open" asks it at every price tick).
pub fn cross_free_margin(model: &Model, currency: Currency) -> Result<Decimal, Error> {
    free_margin(model, None, currency)
}

fn free_margin(
    model: &Model,
    known: Option<&[Figures]>,
    currency: Currency,
) -> Result<Decimal, Error> {
    let (pools, _) = build_pools_from(model, View::AsGiven, known)?;
    let Some(pool) = pools.iter().find(|p| p.key == PoolKey::Cross(currency)) else {
        return Ok(Decimal::ZERO);
    };
    pool.equity().and_then(|e| e.sub(pool.im)).map_err(overflow(
        || format!("pools.{}", pool_id(model, pool.key)),
        "pool figure",
    ))
}

/// All-cross and all-isolated only, sharing their common work.
pub fn evaluate_pair(model: &Model) -> Result<[Evaluation; 2], Error> {
    evaluate_pair_after(model, None).map(|(pair, _)| pair)
}

/// What an all-isolated view solved, by position, kept for the next
/// evaluation of the portfolio ([`evaluate_pair_after`]).
#[derive(Debug, Clone, Default)]
pub struct Solved {
    /// By position: its isolated pool's liquidation and bankruptcy roots.
    isolated: Vec<Option<(Roots, Roots)>>,
    /// By position: its pool's index in the all-isolated view.
    alone: Vec<usize>,
}

/// [`evaluate_pair`], taking from `before` (an earlier model, its
/// all-isolated view and what that view solved) every isolated pool whose
/// position, market and price are the same to the last digit: an isolated
/// pool holds its own position only, so nothing else moves it. A slider
/// tick moves one asset's price, so most of the all-isolated view is taken
/// as it was. Also returns what this evaluation solved, for the next.
pub fn evaluate_pair_after(
    model: &Model,
    before: Option<(&Model, &Evaluation, &Solved)>,
) -> Result<([Evaluation; 2], Solved), Error> {
    pair_after(model, None, before)
}

fn pair_after(
    model: &Model,
    known: Option<&[Figures]>,
    before: Option<(&Model, &Evaluation, &Solved)>,
) -> Result<([Evaluation; 2], Solved), Error> {
    let mut shared = Shared::new(model);
    shared.figures = known.map(<[Figures]>::to_vec);
    let lender = before.map(|(earlier, from, solved)| {
        let pools = (0..model.positions.len())
            .map(|i| {
                let k = *solved.alone.get(i)?;
                let roots = (*solved.isolated.get(i)?)?;
                let slot = shared.solved.isolated.get_mut(i)?;
                earlier.isolated_alike(model, i).then(|| {
                    *slot = Some(roots);
                    k
                })
            })
            .collect();
        Lender { from, pools }
    });
    let all_isolated = evaluate_shared(model, View::AllIsolated, &mut shared, lender.as_ref())?;
    let all_cross = evaluate_shared(model, View::AllCross, &mut shared, None)?;
    Ok(([all_cross, all_isolated], shared.solved))
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
/// `shared` (an isolated pool is the same in every view), or an earlier one.
fn evaluate_shared(
    model: &Model,
    view: View,
    shared: &mut Shared,
    lender: Option<&Lender>,
) -> Result<Evaluation, Error> {
    let (mut pools, figures) = build_pools_from(model, view, shared.figures.as_deref())?;
    if shared.figures.is_none() {
        shared.figures = Some(figures.clone());
    }
    if view == View::AllIsolated {
        shared.solved.alone = figures.iter().map(|f| f.pool).collect();
    }
    if shared.roe.is_empty() {
        shared.roe = model
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
                (shared.solved.isolated.get(i), &mut pool.groups[..])
            {
                g.liquidation = liq;
                g.bankruptcy = bankrupt;
                continue;
            }
        }
        solve_pool(model, &figures, pool)?;
        if let (PoolKey::Isolated(i), [g]) = (key, &pool.groups[..]) {
            if let Some(slot) = shared.solved.isolated.get_mut(i) {
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
            PoolKey::Cross(_) => pool_report(model, p),
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
        let liq = group.and_then(|g| g.liquidation.nearest(f.price));
        let bankrupt = group.and_then(|g| g.bankruptcy.nearest(f.price));
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
            roe: shared.roe.get(i).copied().unwrap_or_default(),
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
            liquidated: pool_reports[f.pool].status == Status::Liquidatable,
        });
    }

    let account = account_report(model, &figures, &pools, &pool_reports, &positions)?;
    Ok(Evaluation {
        positions,
        pools: pool_reports,
        account,
    })
}

fn pool_report_id(reports: &[PoolReport], i: usize) -> Name {
    reports.get(i).map_or_else(|| "".into(), |p| p.id.clone())
}

fn position_figures(
    model: &Model,
    p: &PositionSpec,
    pool: usize,
    mode: MarginMode,
) -> Calc<Figures> {
    let m = &model.markets[p.market];
    let price = model.assets[m.asset].price;
    let basis = market::basis_price(m, p.entry_price, price);
    // The size once (a slider tick works these out for every position);
    // on a mark basis the notional is the value, and a side's sign is a
    // negation, not a product: the same digits either way.
    let size = market::size(m, p.qty)?;
    let notional = market::notional_of(m, size, basis)?;
    let value = match m.basis {
        MarginBasis::Mark => notional,
        MarginBasis::Entry => market::notional_of(m, size, price)?,
    };
    let signed = match p.side {
        Side::Long => size,
        Side::Short => -size,
    };
    let (mm, tier) = market::maintenance(&m.tiers, notional)?;
    Ok(Figures {
        pool,
        mode,
        price,
        notional,
        value,
        pnl: market::pnl_of(m, signed, p.entry_price, price)?,
        im: notional.div(p.leverage)?,
        mm,
        tier,
    })
}

/// [`solve_groups`], its error naming the pool.
fn solve_pool(model: &Model, figures: &[Figures], pool: &mut Pool) -> Result<(), Error> {
    let key = pool.key;
    solve_groups(model, figures, pool).map_err(overflow(
        || format!("pools.{}", pool_id(model, key)),
        "liquidation price",
    ))
}

/// Solves every (pool, asset) group: the rest of the pool is held at its
/// current value while this asset's price moves.
fn solve_groups(model: &Model, figures: &[Figures], pool: &mut Pool) -> Calc<()> {
    // The rest of the pool for group g is everything before it plus everything
    // after it: prefix and suffix sums keep this linear in the number of assets.
    let n = pool.groups.len();
    // (A pool of one group, as every isolated pool is, has nothing after
    // it: no sums, and no allocation.)
    let mut suffix = Vec::new();
    if n > 1 {
        suffix = vec![(Decimal::ZERO, Decimal::ZERO); n + 1];
        for gi in (0..n).rev() {
            let g = &pool.groups[gi];
            suffix[gi] = (
                suffix[gi + 1].0.add(g.net)?,
                suffix[gi + 1].1.add(g.net_equity)?,
            );
        }
    }
    let after = |gi: usize| {
        suffix
            .get(gi + 1)
            .copied()
            .unwrap_or((Decimal::ZERO, Decimal::ZERO))
    };
    let mut prefix = (pool.wallet, pool.wallet);
    for gi in 0..n {
        let rest = (prefix.0.add(after(gi).0)?, prefix.1.add(after(gi).1)?);
        prefix = (
            prefix.0.add(pool.groups[gi].net)?,
            prefix.1.add(pool.groups[gi].net_equity)?,
        );
        let g = &pool.groups[gi];
        let price = model.assets[g.asset].price;
        let terms = g
            .members
            .iter()
            .map(|&i| term(model, figures, i, Decimal::ONE))
            .collect::<Calc<Few<Term>>>()?;
        let mut problem = Problem::new(terms, rest.0, g.weighted_qty, true, price)?;
        let liquidation = liquidation::roots(&problem)?;
        problem.constant = rest.1;
        problem.with_maintenance = false;
        let bankruptcy = liquidation::roots(&problem)?;
        let g = &mut pool.groups[gi];
        g.liquidation = liquidation;
        g.bankruptcy = bankruptcy;
    }
    Ok(())
}

/// Position `i` as a term of the solver, its price being `scale · v`; the
/// walk starts at the current prices, where its tier is the one in `figures`.
fn term<'a>(model: &'a Model, figures: &[Figures], i: usize, scale: Decimal) -> Calc<Term<'a>> {
    let p = &model.positions[i];
    let t = Term::new(
        &model.markets[p.market],
        p.side,
        p.qty,
        p.entry_price,
        scale,
    )?;
    Ok(match figures.get(i) {
        Some(f) => t.starting_in(f.tier),
        None => t,
    })
}

fn pool_id(model: &Model, key: PoolKey) -> Name {
    match key {
        PoolKey::Cross(Currency::Quote) => "cross".into(),
        PoolKey::Cross(c) => format!("cross:{}", model.currency_name(c)).into(),
        PoolKey::Isolated(i) => model.positions[i].id.clone(),
    }
}

fn pool_report(model: &Model, p: &Pool) -> Result<PoolReport, Error> {
    let id = &p.id;
    let calc = || -> Calc<PoolReport> {
        let equity = p.equity()?;
        let positive = equity > Decimal::ZERO;
        let status = if !p.members.is_empty() && equity <= p.mm {
            Status::Liquidatable
        } else if !p.members.is_empty() && equity < p.im {
            Status::BelowInitialMargin
        } else {
            Status::Healthy
        };
        Ok(PoolReport {
            id: id.clone(),
            mode: match p.key {
                PoolKey::Cross(_) => MarginMode::Cross,
                PoolKey::Isolated(_) => MarginMode::Isolated,
            },
            currency: model.currency_name(p.currency).clone(),
            positions: p
                .members
                .iter()
                .map(|&i| model.positions[i].id.clone())
                .collect(),
            wallet_balance: p.wallet,
            collateral_value: p.collateral_value,
            wallet_value: p.wallet.add(p.collateral_full)?,
            pnl: p.pnl,
            equity,
            initial_margin: p.im,
            maintenance_margin: p.mm,
            value: p.value,
            margin_ratio: if positive {
                Some(ratio(p.mm, equity)?)
            } else {
                None
            },
            collateral_ratio: if p.mm > Decimal::ZERO {
                Some(ratio(equity, p.mm)?)
            } else {
                None
            },
            effective_leverage: if positive {
                Some(ratio(p.value, equity)?)
            } else {
                None
            },
            free_margin: equity.sub(p.im)?,
            status,
        })
    };
    calc().map_err(overflow(
        || format!("pools.{}", pool_id(model, p.key)),
        "pool figure",
    ))
}

/// The price of a pool's currency in quote (1 for the quote itself).
fn currency_price(model: &Model, c: Currency) -> Decimal {
    match c {
        Currency::Quote => Decimal::ONE,
        Currency::Coin(a) => model.assets[a].price,
    }
}

fn account_report(
    model: &Model,
    figures: &[Figures],
    pools: &[Pool],
    reports: &[PoolReport],
    positions: &[PositionReport],
) -> Result<AccountReport, Error> {
    // Each figure's error names it: a total, or the whole-market move.
    let failed = |what| overflow(|| "account".into(), what);
    let totals = || -> Calc<(Decimal, Decimal, Decimal)> {
        let mut total_equity = Decimal::ZERO;
        let mut collateral_value = Decimal::ZERO;
        let mut wallet_value = Decimal::ZERO;
        for (p, r) in pools.iter().zip(reports) {
            let px = currency_price(model, p.currency);
            total_equity = total_equity.add(r.equity.mul(px)?)?;
            collateral_value = collateral_value.add(p.collateral_value)?;
            let wallet = if matches!(p.key, PoolKey::Isolated(_)) {
                p.wallet
            } else {
                r.wallet_value
            };
            wallet_value = wallet_value.add(wallet.mul(px)?)?;
        }
        Ok((total_equity, collateral_value, wallet_value))
    };
    let (total_equity, collateral_value, wallet_value) =
        totals().map_err(failed("account total"))?;
    let thresholds = thresholds(model, figures, pools).map_err(failed("whole-market move"))?;
    // Every pool's liquidation prices, by asset: one pass over the pools
    // (not one per asset, which grows as assets × pools).
    let mut hits: Vec<(Vec<SweepHit>, Vec<SweepHit>)> = Vec::new();
    hits.resize_with(model.assets.len(), Default::default);
    for p in pools.iter().filter(|p| !p.members.is_empty()) {
        for g in &p.groups {
            let (Some((down, up)), Roots { down: d, up: u }) =
                (hits.get_mut(g.asset), g.liquidation)
            else {
                continue;
            };
            if d.is_none() && u.is_none() {
                continue;
            }
            let pool = p.id.clone();
            if let Some(price) = d {
                down.push(SweepHit {
                    pool: pool.clone(),
                    price,
                });
            }
            if let Some(price) = u {
                up.push(SweepHit { pool, price });
            }
        }
    }
    let mut sweeps = Vec::new();
    for (asset, (mut down, mut up)) in model.assets.iter().zip(hits) {
        if down.is_empty() && up.is_empty() {
            continue;
        }
        // One sort's code for both (a key each would be two): falling
        // prices highest first are the negated prices lowest first.
        let by: fn(&SweepHit) -> Decimal = |h| h.price;
        let by_fall: fn(&SweepHit) -> Decimal = |h| -h.price;
        down.sort_by_key(by_fall);
        up.sort_by_key(by);
        sweeps.push(AssetSweep {
            asset: asset.name.clone(),
            price: asset.price,
            down,
            up,
        });
    }
    let liquidatable_pools = reports
        .iter()
        .filter(|r| r.status == Status::Liquidatable)
        .count();
    Ok(AccountReport {
        quote: model.quote.to_string(),
        total_equity,
        collateral_value,
        wallet_value,
        status: reports
            .iter()
            .map(|r| r.status)
            .max()
            .unwrap_or(Status::Healthy),
        liquidatable_pools,
        liquidated_positions: positions.iter().filter(|p| p.liquidated).count(),
        thresholds,
        sweeps,
    })
}

/// The uniform market moves that liquidate each cross pool under `view`.
pub fn cross_thresholds(model: &Model, view: View) -> Result<Vec<Threshold>, Error> {
    let (pools, figures) = build_pools(model, view)?;
    thresholds(model, &figures, &pools).map_err(overflow(|| "account".into(), "threshold"))
}

fn thresholds(model: &Model, figures: &[Figures], pools: &[Pool]) -> Calc<Vec<Threshold>> {
    let mut out = Vec::new();
    for p in pools
        .iter()
        .filter(|p| matches!(p.key, PoolKey::Cross(_)) && !p.members.is_empty())
    {
        let roots = uniform_move(model, figures, p)?;
        out.push(Threshold {
            pool: p.id.clone(),
            down: roots.down.map(|m| m.sub(Decimal::ONE)).transpose()?,
            up: roots.up.map(|m| m.sub(Decimal::ONE)).transpose()?,
        });
    }
    Ok(out)
}

/// Every price times `m`: the `m` nearest 1 on each side that liquidates pool `p`.
fn uniform_move(model: &Model, figures: &[Figures], p: &Pool) -> Calc<Roots> {
    let mut linear = Decimal::ZERO;
    for g in &p.groups {
        linear = linear.add(g.weighted_qty.mul(model.assets[g.asset].price)?)?;
    }
    let terms = p
        .members
        .iter()
        .map(|&i| {
            let asset = model.markets[model.positions[i].market].asset;
            term(model, figures, i, model.assets[asset].price)
        })
        .collect::<Calc<Vec<Term>>>()?;
    liquidation::roots(&Problem::new(terms, p.wallet, linear, true, Decimal::ONE)?)
}

/// Position `i`'s PnL and maintenance margin as its asset's price moves,
/// with what no price changes worked out once: a curve or a map asks them
/// at each of its points, for each position on the asset. Each figure is
/// the same operations on the same decimals as `market::pnl` and
/// `market::maintenance` at `market::notional`, so the same to the last digit.
struct AtPrice<'a> {
    market: &'a MarketSpec,
    size: Decimal,
    /// `size · side`.
    signed: Decimal,
    entry: Decimal,
    /// Inverse contracts: `signed / entry`, the PnL's fixed part.
    at_entry: Decimal,
    /// Entry basis: the requirement, which no price moves.
    fixed_mm: Option<Decimal>,
}

impl<'a> AtPrice<'a> {
    fn new(model: &'a Model, i: usize) -> Calc<AtPrice<'a>> {
        let p = &model.positions[i];
        let m = &model.markets[p.market];
        let size = market::size(m, p.qty)?;
        let signed = size.mul(p.side.sign())?;
        let at_entry = match m.settlement {
            Settlement::Linear => Decimal::ZERO,
            Settlement::Inverse => signed.div(p.entry_price)?,
        };
        let fixed_mm = match m.basis {
            MarginBasis::Mark => None,
            MarginBasis::Entry => {
                Some(market::maintenance(&m.tiers, market::notional(m, p.qty, p.entry_price)?)?.0)
            }
        };
        Ok(AtPrice {
            market: m,
            size,
            signed,
            entry: p.entry_price,
            at_entry,
            fixed_mm,
        })
    }

    fn at(&self, price: Decimal) -> Calc<(Decimal, Decimal)> {
        let (pnl, notional) = match self.market.settlement {
            Settlement::Linear => (
                self.signed.mul(price.sub(self.entry)?)?,
                self.size.mul(price),
            ),
            Settlement::Inverse => {
                // `signed` is `±size`, and a quotient's digits do not depend
                // on the signs: one division serves the PnL and the notional.
                let per_price = self.signed.div(price)?;
                (self.at_entry.sub(per_price)?, Ok(per_price.abs()))
            }
        };
        let mm = match self.fixed_mm {
            Some(mm) => mm,
            None => market::maintenance(&self.market.tiers, notional?)?.0,
        };
        Ok((pnl, mm))
    }
}

/// One point of a pool's curve against one asset's price.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CurvePoint {
    pub price: Decimal,
    pub equity: Decimal,
    pub maintenance_margin: Decimal,
}

/// A pool's equity and maintenance margin as one asset's price moves, every
/// other price held: exact values at the ends, at every tier breakpoint in
/// between (where the lines bend) and, for inverse contracts, whose curves
/// are hyperbolas, at `samples` evenly spaced prices.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PoolCurve {
    pub pool: String,
    pub mode: MarginMode,
    pub currency: String,
    pub points: Vec<CurvePoint>,
}

/// The curves of every pool exposed to `asset` (positions or collateral on it)
/// between the prices `lo` and `hi`.
pub fn curves(
    model: &Model,
    view: View,
    asset: usize,
    lo: Decimal,
    hi: Decimal,
    samples: usize,
) -> Result<Vec<PoolCurve>, Error> {
    curves_from(model, None, view, asset, (lo, hi), samples)
}

fn curves_from(
    model: &Model,
    known: Option<&[Figures]>,
    view: View,
    asset: usize,
    (lo, hi): (Decimal, Decimal),
    samples: usize,
) -> Result<Vec<PoolCurve>, Error> {
    let (pools, figures) = build_pools_from(model, view, known)?;
    let mut out = Vec::new();
    for pool in pools.iter().filter(|p| !p.members.is_empty()) {
        let Some(g) = pool.group_of(asset) else {
            continue;
        };
        let calc = || -> Calc<PoolCurve> {
            let (rest_equity, rest_mm) = pool.rest_of(g, &figures, model.assets[asset].price)?;
            let mut prices = vec![lo, hi];
            let mut curved = false;
            for &i in &g.members {
                let p = &model.positions[i];
                let m = &model.markets[p.market];
                curved |= m.settlement == crate::engine::scenario::Settlement::Inverse;
                if m.basis == crate::engine::scenario::MarginBasis::Mark {
                    for t in m.tiers.iter().skip(1) {
                        // The price at which this position's notional reaches the tier's floor.
                        let size = market::size(m, p.qty)?;
                        let at = match m.settlement {
                            crate::engine::scenario::Settlement::Linear => {
                                t.floor.checked_div(size)
                            }
                            crate::engine::scenario::Settlement::Inverse => {
                                size.checked_div(t.floor)
                            }
                        };
                        if let Some(at) = at.filter(|a| *a > lo && *a < hi) {
                            prices.push(at);
                        }
                    }
                }
            }
            if curved && samples > 1 {
                let step = hi.sub(lo)?.div(Decimal::from(samples as u64))?;
                for k in 1..samples {
                    prices.push(lo.add(step.mul(Decimal::from(k as u64))?)?);
                }
            }
            prices.sort();
            prices.dedup();
            prices.retain(|p| *p > Decimal::ZERO);
            let members = if prices.is_empty() {
                Vec::new()
            } else {
                g.members
                    .iter()
                    .map(|&i| AtPrice::new(model, i))
                    .collect::<Calc<Vec<_>>>()?
            };
            let mut points = Vec::with_capacity(prices.len());
            for price in prices {
                let mut equity = rest_equity.add(g.weighted_qty.mul(price)?)?;
                let mut mm = rest_mm;
                for member in &members {
                    let (pnl, req) = member.at(price)?;
                    equity = equity.add(pnl)?;
                    mm = mm.add(req)?;
                }
                points.push(CurvePoint {
                    price,
                    equity,
                    maintenance_margin: mm,
                });
            }
            Ok(PoolCurve {
                pool: pool.id.to_string(),
                mode: if matches!(pool.key, PoolKey::Cross(_)) {
                    MarginMode::Cross
                } else {
                    MarginMode::Isolated
                },
                currency: model.currency_name(pool.currency).to_string(),
                points,
            })
        };
        out.push(calc().map_err(overflow(
            || format!("pools.{}", pool_id(model, pool.key)),
            "curve",
        ))?);
    }
    Ok(out)
}

/// One position's part in a liquidation equation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WhyTerm {
    pub position: String,
    /// `+size` for a long, `−size` for a short (size = qty × contract size).
    pub signed_size: Decimal,
    pub entry_price: Decimal,
    /// Tier in force at the liquidation price (1-based), its rate and amount;
    /// `None` when the requirement is valued at entry (fixed).
    pub tier: Option<(usize, Decimal, Decimal)>,
    /// The fixed requirement when valued at entry.
    pub fixed_maintenance: Option<Decimal>,
}

/// Why a liquidation price is what it is: the pool's equity and requirement
/// as functions of the asset's price P, with this portfolio's numbers.
/// Linear: `equity = equity_const + equity_coef·P`, `MM = mm_const + mm_coef·P`;
/// inverse (`per_price`): the same with `1/P` in place of `P`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LiquidationWhy {
    pub pool: String,
    pub asset: String,
    pub currency: String,
    pub per_price: bool,
    /// Everything else in the pool, held at current prices: equity and requirement.
    pub rest_equity: Decimal,
    pub rest_maintenance: Decimal,
    /// Collateral quantity (at its value ratios) that moves with P.
    pub collateral_qty: Decimal,
    pub terms: Vec<WhyTerm>,
    pub equity_const: Decimal,
    pub equity_coef: Decimal,
    pub mm_const: Decimal,
    pub mm_coef: Decimal,
    pub price: Decimal,
}

impl LiquidationWhy {
    /// Whether the pool is safe above the price (equity above the requirement
    /// there): a long's is, a short's is not. Rounded toward its safe side, a
    /// price shown is never past the true one, wherever the mark is (the
    /// panels round toward the mark, which is the safe side until the mark
    /// crosses the price). `None` for a flat equation, which has no side.
    pub fn safe_above(&self) -> Option<bool> {
        // Rising in x (equity gains on the requirement as x grows) is rising
        // in P, except with x = 1/P.
        match self.equity_coef.cmp(&self.mm_coef) {
            std::cmp::Ordering::Greater => Some(!self.per_price),
            std::cmp::Ordering::Less => Some(self.per_price),
            std::cmp::Ordering::Equal => None,
        }
    }
}

/// The equation behind position `index`'s liquidation price under `view`,
/// or `None` when it has none.
pub fn explain_liquidation(
    model: &Model,
    view: View,
    index: usize,
) -> Result<Option<LiquidationWhy>, Error> {
    explain(model, None, view, index)
}

fn explain(
    model: &Model,
    known: Option<&[Figures]>,
    view: View,
    index: usize,
) -> Result<Option<LiquidationWhy>, Error> {
    // Only the position's own pool is solved (as evaluating would solve it),
    // not the whole view: the explanation is redrawn at every slider tick.
    let (mut pools, figures) = build_pools_from(model, view, known)?;
    let Some(f) = figures.get(index) else {
        return Ok(None);
    };
    let Some(pool) = pools.get_mut(f.pool) else {
        return Ok(None);
    };
    solve_pool(model, &figures, pool)?;
    let pool = &*pool;
    let asset = model.markets[model.positions[index].market].asset;
    let Some(g) = pool.group_of(asset) else {
        return Ok(None);
    };
    let Some(price) = g.liquidation.nearest(f.price) else {
        return Ok(None);
    };
    let calc = || -> Calc<LiquidationWhy> {
        let (rest_equity, rest_maintenance) =
            pool.rest_of(g, &figures, model.assets[asset].price)?;
        let mut why = LiquidationWhy {
            pool: pool.id.to_string(),
            asset: model.assets[asset].name.to_string(),
            currency: model.currency_name(pool.currency).to_string(),
            per_price: false,
            rest_equity,
            rest_maintenance,
            collateral_qty: g.weighted_qty,
            terms: Vec::new(),
            equity_const: rest_equity,
            equity_coef: g.weighted_qty,
            mm_const: rest_maintenance,
            mm_coef: Decimal::ZERO,
            price,
        };
        for &i in &g.members {
            let p = &model.positions[i];
            let m = &model.markets[p.market];
            let sq = market::size(m, p.qty)?.mul(p.side.sign())?;
            let q = market::size(m, p.qty)?;
            let inverse = m.settlement == crate::engine::scenario::Settlement::Inverse;
            why.per_price = inverse;
            // equity: linear sq·(P − e); inverse sq/e − sq·(1/P)
            if inverse {
                why.equity_const = why.equity_const.add(sq.div(p.entry_price)?)?;
                why.equity_coef = why.equity_coef.sub(sq)?;
            } else {
                why.equity_const = why.equity_const.sub(sq.mul(p.entry_price)?)?;
                why.equity_coef = why.equity_coef.add(sq)?;
            }
            let mut term = WhyTerm {
                position: p.id.to_string(),
                signed_size: sq,
                entry_price: p.entry_price,
                tier: None,
                fixed_maintenance: None,
            };
            if m.basis == crate::engine::scenario::MarginBasis::Entry {
                let fixed =
                    market::maintenance(&m.tiers, market::notional(m, p.qty, p.entry_price)?)?.0;
                why.mm_const = why.mm_const.add(fixed)?;
                term.fixed_maintenance = Some(fixed);
            } else {
                let (_, t) = market::maintenance(&m.tiers, market::notional(m, p.qty, price)?)?;
                let tier = &m.tiers[t];
                why.mm_const = why.mm_const.sub(tier.amount)?;
                why.mm_coef = why.mm_coef.add(q.mul(tier.mmr)?)?;
                term.tier = Some((t + 1, tier.mmr, tier.amount));
            }
            why.terms.push(term);
        }
        Ok(why)
    };
    calc()
        .map(Some)
        .map_err(overflow(|| format!("positions[{index}]"), "explanation"))
}

/// One exact point of a cross pool's liquidation boundary over two assets:
/// at price `a` of the first asset, the prices of the second that liquidate
/// the pool, nearest its mark below and above.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BoundaryPoint {
    pub a: Decimal,
    pub b_down: Option<Decimal>,
    pub b_up: Option<Decimal>,
    /// Whether the pool is liquidated at `a` with `b` at its mark: then the
    /// liquidated prices of `b` lie between the roots, else outside them.
    pub liquidated_at_mark: bool,
}

/// The quote currency's cross pool under `view`: which pairs of prices of
/// assets `a` and `b` liquidate it. Each point is solved exactly for `b`, at
/// the ends of `[lo, hi]`, at `a`'s tier breakpoints and at `samples` even steps.
pub fn liquidation_boundary(
    model: &Model,
    view: View,
    a: usize,
    b: usize,
    lo: Decimal,
    hi: Decimal,
    samples: usize,
) -> Result<Vec<BoundaryPoint>, Error> {
    boundary(model, None, view, (a, b), (lo, hi), samples)
}

fn boundary(
    model: &Model,
    known: Option<&[Figures]>,
    view: View,
    (a, b): (usize, usize),
    (lo, hi): (Decimal, Decimal),
    samples: usize,
) -> Result<Vec<BoundaryPoint>, Error> {
    let err = || "boundary".to_string();
    let mut prices = vec![lo, hi];
    let step = hi
        .sub(lo)
        .and_then(|d| d.div(Decimal::from(samples.max(1) as u64)))
        .map_err(overflow(err, "price step"))?;
    for k in 1..samples {
        prices.push(lo + step * Decimal::from(k as u64));
    }
    for p in model
        .positions
        .iter()
        .filter(|p| model.markets[p.market].asset == a)
    {
        let m = &model.markets[p.market];
        if m.basis == crate::engine::scenario::MarginBasis::Mark
            && m.settlement == crate::engine::scenario::Settlement::Linear
        {
            for t in m.tiers.iter().skip(1) {
                if let Some(at) = market::size(m, p.qty)
                    .ok()
                    .and_then(|q| t.floor.checked_div(q))
                    .filter(|x| *x > lo && *x < hi)
                {
                    prices.push(at);
                }
            }
        }
    }
    prices.sort();
    prices.dedup();
    // The pool is built once; as `a` moves, only its own group changes.
    let (pools, figures) = build_pools_from(model, view, known)?;
    let Some(pool) = pools
        .iter()
        .find(|p| p.key == PoolKey::Cross(Currency::Quote) && !p.members.is_empty())
    else {
        return Ok(Vec::new());
    };
    let group = |asset: usize| pool.group_of(asset);
    let (group_a, group_b) = (group(a), group(b));
    let calc = || -> Calc<Vec<BoundaryPoint>> {
        // Equity and requirement of `a`'s group at a price of `a`, and its
        // net (`pnl − mm` plus collateral) summed in the order `build_pools`
        // sums it, so that each point is exactly the liquidation price that
        // evaluating the portfolio with `a` moved would give.
        let a_members = match group_a {
            Some(g) => g
                .members
                .iter()
                .map(|&i| AtPrice::new(model, i))
                .collect::<Calc<Vec<_>>>()?,
            None => Vec::new(),
        };
        let a_at = |price: Decimal| -> Calc<(Decimal, Decimal, Decimal)> {
            if group_a.is_none() {
                return Ok((Decimal::ZERO, Decimal::ZERO, Decimal::ZERO));
            }
            let (mut equity, mut mm, mut net) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
            for member in &a_members {
                let (pnl, req) = member.at(price)?;
                equity = equity.add(pnl)?;
                mm = mm.add(req)?;
                net = net.add(pnl.sub(req)?)?;
            }
            for c in model.collateral.iter().filter(|c| c.asset == a) {
                let v = price.mul(c.weighted_qty)?;
                equity = equity.add(v)?;
                net = net.add(v)?;
            }
            Ok((equity, mm, net))
        };
        let (a_equity_now, a_mm_now, _) = a_at(model.assets[a].price)?;
        let equity_now = pool.equity()?;
        let b_index = pool.groups.iter().position(|g| g.asset == b);
        // `b`'s constant: the wallet and every group before it, plus every
        // group after it summed from the end, as `solve_groups` does.
        let rest = |a_net: Decimal| -> Calc<Decimal> {
            let net = |g: &Group| if g.asset == a { a_net } else { g.net };
            let Some(bi) = b_index else {
                return Ok(Decimal::ZERO);
            };
            let mut prefix = pool.wallet;
            for g in &pool.groups[..bi] {
                prefix = prefix.add(net(g))?;
            }
            let mut suffix = Decimal::ZERO;
            for g in pool.groups[bi + 1..].iter().rev() {
                suffix = suffix.add(net(g))?;
            }
            prefix.add(suffix)
        };
        // `b`'s group, solved at each point with only its constant changed.
        let mut problem = match group_b {
            Some(g) => {
                let terms = g
                    .members
                    .iter()
                    .map(|&i| term(model, &figures, i, Decimal::ONE))
                    .collect::<Calc<Vec<Term>>>()?;
                let start = model.assets[b].price;
                Some(Problem::new(
                    terms,
                    Decimal::ZERO,
                    g.weighted_qty,
                    true,
                    start,
                )?)
            }
            None => None,
        };
        let mut out = Vec::with_capacity(prices.len());
        for pa in prices {
            let (a_equity, a_mm, a_net) = a_at(pa)?;
            let roots = match problem.as_mut() {
                Some(problem) => {
                    problem.constant = rest(a_net)?;
                    liquidation::roots(problem)?
                }
                None => Roots::default(),
            };
            let equity = equity_now.sub(a_equity_now)?.add(a_equity)?;
            let mm = pool.mm.sub(a_mm_now)?.add(a_mm)?;
            out.push(BoundaryPoint {
                a: pa,
                b_down: roots.down,
                b_up: roots.up,
                liquidated_at_mark: equity <= mm,
            });
        }
        Ok(out)
    };
    calc().map_err(overflow(err, "boundary"))
}
