// The documented margin model (docs/scenario-format.md) in plain JavaScript:
// the benchmark's peer to the wasm engine. One implementation, loaded twice:
// `model.js?arith=decimal` computes with decimal.js (28 significant digits,
// what a JavaScript calculator wanting exact money would use) and
// `model.js?arith=number` with plain numbers (fast, inexact). Each load is its
// own module instance, so the arithmetic below is two small monomorphic
// functions per call site that V8 inlines; nothing is slowed on purpose.
//
// It computes what the engine's report holds for the benchmark's portfolios:
// every position's notional, PnL, ROE, margins and tier; every pool's sums
// and ratios; liquidation and bankruptcy prices by the tier walk the format
// describes; the uniform-move thresholds; three views. (The engine also
// checks every field and handles tier tables whose requirement jumps; the
// peer trusts its input and assumes continuous tiers.)
import Decimal from '../../node_modules/decimal.js/decimal.mjs';

const exact = new URL(import.meta.url).searchParams.get('arith') !== 'number';
const D = Decimal.clone({ precision: 28, rounding: Decimal.ROUND_HALF_EVEN });

const num = exact ? (s) => new D(s) : (s) => Number(s);
const ZERO = num('0');
const ONE = num('1');
const add = exact ? (a, b) => a.plus(b) : (a, b) => a + b;
const sub = exact ? (a, b) => a.minus(b) : (a, b) => a - b;
const mul = exact ? (a, b) => a.times(b) : (a, b) => a * b;
const div = exact ? (a, b) => a.div(b) : (a, b) => a / b;
const cmp = exact ? (a, b) => a.cmp(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const isZero = exact ? (a) => a.isZero() : (a) => a === 0;

export const arithmetic = exact ? 'decimal.js' : 'number';

function prepareMarket(m) {
  const tiers = [];
  for (const t of m.tiers) {
    const floor = num(t.notional_floor);
    const mmr = num(t.mmr);
    const prev = tiers[tiers.length - 1];
    const amount = t.maintenance_amount != null ? num(t.maintenance_amount)
      : prev ? add(mul(floor, sub(mmr, prev.mmr)), prev.amount) : ZERO;
    tiers.push({ floor, mmr, amount, maxLeverage: t.max_leverage != null ? num(t.max_leverage) : null });
  }
  return {
    asset: m.asset,
    inverse: m.settlement === 'inverse',
    contractSize: num(m.contract_size ?? '1'),
    entryBasis: m.margin_basis === 'entry',
    tiers,
  };
}

function tierOf(tiers, notional) {
  let t = 0;
  while (t + 1 < tiers.length && cmp(tiers[t + 1].floor, notional) <= 0) t++;
  return t;
}

const notionalAt = (m, size, price) => (m.inverse ? div(size, price) : mul(size, price));

function pnlAt(m, sign, size, entry, price) {
  const signed = sign > 0 ? size : sub(ZERO, size);
  return m.inverse ? mul(signed, sub(div(ONE, entry), div(ONE, price))) : mul(signed, sub(price, entry));
}

function prepare(s) {
  const markets = new Map(Object.entries(s.markets).map(([id, m]) => [id, prepareMarket(m)]));
  const prices = new Map(Object.entries(s.prices).map(([a, p]) => [a, num(p)]));
  const positions = s.positions.map((p, i) => {
    const m = markets.get(p.market);
    const size = mul(num(p.qty), m.contractSize);
    const entry = num(p.entry_price);
    const entryNotional = notionalAt(m, size, entry);
    const maxLeverage = m.tiers[tierOf(m.tiers, entryNotional)].maxLeverage;
    const leverage = p.leverage != null ? num(p.leverage) : maxLeverage ?? ONE;
    const entryMargin = div(entryNotional, leverage);
    return {
      id: p.id ?? (s.hedge_mode ? `${p.market}:${p.side}` : p.market),
      index: i, m, size, entry, leverage, entryMargin,
      sign: p.side === 'long' ? 1 : -1,
      mode: p.margin_mode ?? 'cross',
      isolatedMargin: p.isolated_margin != null ? num(p.isolated_margin) : entryMargin,
      currency: m.inverse ? m.asset : s.quote,
    };
  });
  const collateral = (s.collateral ?? []).map((c) => {
    const qty = num(c.qty);
    let weighted = qty;
    if (c.value_ratio_tiers?.length) {
      weighted = ZERO;
      for (const t of c.value_ratio_tiers) {
        const floor = num(t.qty_floor);
        if (cmp(qty, floor) <= 0) break;
        const cap = t.qty_cap != null ? num(t.qty_cap) : null;
        const top = cap != null && cmp(cap, qty) < 0 ? cap : qty;
        weighted = add(weighted, mul(sub(top, floor), num(t.ratio)));
      }
    }
    return { asset: c.asset, qty, weighted };
  });
  const wallet = new Map(Object.entries(s.wallet ?? {}).map(([c, a]) => [c, num(a)]));
  return { quote: s.quote ?? 'USD', prices, positions, collateral, wallet };
}

function figures(model, p) {
  const price = model.prices.get(p.m.asset);
  const basis = p.m.entryBasis ? p.entry : price;
  const notional = notionalAt(p.m, p.size, basis);
  const tier = tierOf(p.m.tiers, notional);
  const t = p.m.tiers[tier];
  return {
    price, notional, tier,
    value: notionalAt(p.m, p.size, price),
    pnl: pnlAt(p.m, p.sign, p.size, p.entry, price),
    im: div(notional, p.leverage),
    mm: sub(mul(notional, t.mmr), t.amount),
  };
}

// --- the tier walk ------------------------------------------------------

// One position's `pnl − requirement` as a + b·v + c/v at tier t; its price is scale·v.
function coef(term, t, withMm) {
  const { p, scale } = term;
  const m = p.m;
  const signed = p.sign > 0 ? p.size : sub(ZERO, p.size);
  const co = m.inverse
    ? { a: div(signed, p.entry), b: ZERO, c: sub(ZERO, div(signed, scale)) }
    : { a: sub(ZERO, mul(signed, p.entry)), b: mul(signed, scale), c: ZERO };
  if (!withMm) return co;
  if (m.entryBasis) {
    const n = notionalAt(m, p.size, p.entry);
    const tier = m.tiers[tierOf(m.tiers, n)];
    co.a = sub(co.a, sub(mul(n, tier.mmr), tier.amount));
    return co;
  }
  const tier = m.tiers[t];
  co.a = add(co.a, tier.amount);
  if (m.inverse) co.c = sub(co.c, div(mul(p.size, tier.mmr), scale));
  else co.b = sub(co.b, mul(mul(p.size, scale), tier.mmr));
  return co;
}

// The root of a + b·v + c/v within [lo, hi] (hi null: unbounded), if any.
function rootIn(co, lo, hi, up) {
  let v;
  if (isZero(co.b) && isZero(co.c)) return isZero(co.a) ? (up ? lo : hi ?? lo) : null;
  if (isZero(co.c)) v = div(sub(ZERO, co.a), co.b);
  else if (isZero(co.a)) return null;
  else v = div(sub(ZERO, co.c), co.a);
  const inside = cmp(v, ZERO) > 0 && cmp(v, lo) >= 0 && (hi == null || cmp(v, hi) <= 0);
  return inside ? v : null;
}

// Where each term changes tier on one side of `start`, nearest first.
function breakpoints(terms, tiersNow, up) {
  const out = [];
  terms.forEach((term, i) => {
    const m = term.p.m;
    if (m.entryBasis || m.tiers.length < 2) return;
    // v at which the notional reaches tier j's floor.
    const at = (j) => (m.inverse ? div(term.p.size, mul(term.scale, m.tiers[j].floor))
      : div(m.tiers[j].floor, mul(term.p.size, term.scale)));
    const rising = !m.inverse === up;
    if (rising) {
      for (let j = tiersNow[i] + 1; j < m.tiers.length; j++) out.push({ v: at(j), i, from: j - 1, to: j });
    } else {
      for (let j = tiersNow[i]; j >= 1; j--) out.push({ v: at(j), i, from: j, to: j - 1 });
    }
  });
  out.sort(up ? (x, y) => cmp(x.v, y.v) : (x, y) => cmp(y.v, x.v));
  return out;
}

function walk(terms, tiersNow, base, start, withMm, up) {
  let co = { ...base };
  const points = withMm ? breakpoints(terms, tiersNow, up) : [];
  let cur = start;
  let k = 0;
  for (;;) {
    const next = k < points.length ? points[k].v : null;
    const root = up ? rootIn(co, cur, next, true) : rootIn(co, next ?? ZERO, cur, false);
    if (root != null) return root;
    if (next == null || cmp(next, ZERO) <= 0) return null;
    while (k < points.length && cmp(points[k].v, next) === 0) {
      const { i, from, to } = points[k++];
      const before = coef(terms[i], from, true);
      const after = coef(terms[i], to, true);
      co = { a: add(co.a, sub(after.a, before.a)), b: add(co.b, sub(after.b, before.b)), c: add(co.c, sub(after.c, before.c)) };
    }
    cur = next;
  }
}

// Nearest roots of constant + linear·v + Σ terms, below and above `start`.
function roots(terms, constant, linear, start, withMm) {
  const tiersNow = [];
  let base = { a: constant, b: linear, c: ZERO };
  for (const term of terms) {
    const m = term.p.m;
    const t = withMm && !m.entryBasis ? tierOf(m.tiers, notionalAt(m, term.p.size, mul(term.scale, start))) : 0;
    tiersNow.push(t);
    const co = coef(term, t, withMm);
    base = { a: add(base.a, co.a), b: add(base.b, co.b), c: add(base.c, co.c) };
  }
  return {
    down: walk(terms, tiersNow, base, start, withMm, false),
    up: walk(terms, tiersNow, base, start, withMm, true),
  };
}

function nearest(r, start) {
  if (r.down != null && r.up != null) return cmp(sub(r.up, start), sub(start, r.down)) < 0 ? r.up : r.down;
  return r.down ?? r.up;
}

// --- one view -------------------------------------------------------------

function evaluateView(model, view, figs) {
  const pools = new Map();
  const pool = (key, currency, wallet) => {
    let p = pools.get(key);
    if (!p) {
      p = { key, currency, cross: key.startsWith('cross'), members: [], wallet, collateral: ZERO,
        pnl: ZERO, im: ZERO, mm: ZERO, value: ZERO, groups: new Map() };
      pools.set(key, p);
    }
    return p;
  };
  const group = (p, asset) => {
    let g = p.groups.get(asset);
    if (!g) {
      g = { asset, members: [], weighted: ZERO, net: ZERO, netEquity: ZERO };
      p.groups.set(asset, g);
    }
    return g;
  };
  const crossKey = (c) => (c === model.quote ? 'cross' : `cross:${c}`);
  pool('cross', model.quote, model.wallet.get(model.quote) ?? ZERO);
  for (const [c, amount] of model.wallet) if (c !== model.quote) pool(crossKey(c), c, amount);
  const poolOf = [];
  model.positions.forEach((p, i) => {
    const mode = view === 'as_given' ? p.mode : view === 'all_cross' ? 'cross' : 'isolated';
    let pl;
    if (mode === 'cross') pl = pool(crossKey(p.currency), p.currency, ZERO);
    else {
      const cross = pool(crossKey(p.currency), p.currency, ZERO);
      cross.wallet = sub(cross.wallet, p.isolatedMargin);
      pl = pool(p.id, p.currency, p.isolatedMargin);
    }
    const f = figs[i];
    pl.members.push(i);
    pl.pnl = add(pl.pnl, f.pnl);
    pl.im = add(pl.im, f.im);
    pl.mm = add(pl.mm, f.mm);
    pl.value = add(pl.value, f.value);
    const g = group(pl, p.m.asset);
    g.members.push(i);
    g.net = add(g.net, sub(f.pnl, f.mm));
    g.netEquity = add(g.netEquity, f.pnl);
    poolOf[i] = pl;
  });
  const quotePool = pools.get('cross');
  for (const c of model.collateral) {
    const v = mul(model.prices.get(c.asset), c.weighted);
    quotePool.collateral = add(quotePool.collateral, v);
    const g = group(quotePool, c.asset);
    g.weighted = add(g.weighted, c.weighted);
    g.net = add(g.net, v);
    g.netEquity = add(g.netEquity, v);
  }

  const poolReports = [];
  const solved = new Map();
  for (const p of pools.values()) {
    const equity = add(add(p.wallet, p.collateral), p.pnl);
    const positive = cmp(equity, ZERO) > 0;
    const busy = p.members.length > 0;
    p.report = {
      id: p.key, currency: p.currency, equity,
      maintenance_margin: p.mm, initial_margin: p.im,
      margin_ratio: positive ? div(p.mm, equity) : null,
      collateral_ratio: cmp(p.mm, ZERO) > 0 ? div(equity, p.mm) : null,
      effective_leverage: positive ? div(p.value, equity) : null,
      free_margin: sub(equity, p.im),
      status: busy && cmp(equity, p.mm) <= 0 ? 'liquidated' : busy && cmp(equity, p.im) < 0 ? 'below_initial_margin' : 'healthy',
    };
    poolReports.push(p.report);
    if (!busy) continue;
    // Each asset of the pool moves alone; the rest of the pool holds still.
    let totalNet = p.wallet;
    let totalEquity = p.wallet;
    for (const g of p.groups.values()) {
      totalNet = add(totalNet, g.net);
      totalEquity = add(totalEquity, g.netEquity);
    }
    for (const g of p.groups.values()) {
      const price = model.prices.get(g.asset);
      const terms = g.members.map((i) => ({ p: model.positions[i], scale: ONE }));
      solved.set(`${p.key}|${g.asset}`, {
        liquidation: roots(terms, sub(totalNet, g.net), g.weighted, price, true),
        bankruptcy: roots(terms, sub(totalEquity, g.netEquity), g.weighted, price, false),
      });
    }
  }

  const positions = model.positions.map((p, i) => {
    const f = figs[i];
    const pl = poolOf[i];
    const s = solved.get(`${pl.key}|${p.m.asset}`);
    const liq = nearest(s.liquidation, f.price);
    return {
      id: p.id, pool: pl.key, notional: f.notional, value: f.value, pnl: f.pnl,
      roe: isZero(p.entryMargin) ? ZERO : div(f.pnl, p.entryMargin),
      initial_margin: f.im, maintenance_margin: f.mm, tier: f.tier + 1,
      liquidation_price: liq,
      bankruptcy_price: nearest(s.bankruptcy, f.price),
      liquidation_distance: liq == null ? null : sub(liq, f.price),
      liquidated: pl.report.status === 'liquidated',
    };
  });

  // Every price times m: the m nearest 1 that liquidates each cross pool.
  const thresholds = [];
  for (const p of pools.values()) {
    if (!p.cross || p.members.length === 0) continue;
    let linear = ZERO;
    for (const g of p.groups.values()) linear = add(linear, mul(g.weighted, model.prices.get(g.asset)));
    const terms = p.members.map((i) => ({ p: model.positions[i], scale: model.prices.get(model.positions[i].m.asset) }));
    const r = roots(terms, p.wallet, linear, ONE, true);
    thresholds.push({ pool: p.key, down: r.down == null ? null : sub(r.down, ONE), up: r.up == null ? null : sub(r.up, ONE) });
  }

  let totalEquity = ZERO;
  for (const p of pools.values()) {
    const px = p.currency === model.quote ? ONE : model.prices.get(p.currency);
    totalEquity = add(totalEquity, mul(p.report.equity, px));
  }
  return { positions, pools: poolReports, account: { total_equity: totalEquity, thresholds } };
}

/**
 * A scenario read once, for many evaluations at new prices (the peer of the
 * JS API's `prepare`): `evaluate(prices?)` reads only the prices it is given.
 */
export function prepareOnce(scenario) {
  const model = prepare(scenario);
  const own = model.prices;
  return {
    evaluate(prices) {
      model.prices = prices ? new Map(Object.entries(prices).map(([a, p]) => [a, num(p)])) : own;
      return evaluateModel(model);
    },
  };
}

/** The three views of a scenario in the engine's JSON format. */
export function evaluate(scenario) {
  return evaluateModel(prepare(scenario));
}

function evaluateModel(model) {
  const figs = model.positions.map((p) => figures(model, p));
  return {
    as_given: evaluateView(model, 'as_given', figs),
    all_cross: evaluateView(model, 'all_cross', figs),
    all_isolated: evaluateView(model, 'all_isolated', figs),
  };
}
