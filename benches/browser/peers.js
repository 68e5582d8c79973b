// The wasm engine (through its JS API: JS objects in, JS objects out)
// against the same model in JavaScript with decimal.js and with plain
// numbers, on the same generated portfolios, in one page. Every answer is
// checked to agree before anything is timed. Results go to window.results.
import init, { evaluate, prepare, samplePortfolio } from '../../pkg/marginscope.js';
import * as exactPeer from './model.js?arith=decimal';
import * as floatPeer from './model.js?arith=number';
import Decimal from '../../node_modules/decimal.js/decimal.mjs';

const SIZES = [1, 10, 100, 1000];
const BigD = Decimal.clone({ precision: 60 });

// Relative difference of two decimal texts (or numbers); null matches only null.
function differs(a, b, tolerance) {
  if (a == null || b == null) return (a == null) !== (b == null);
  const x = new BigD(String(a));
  const y = new BigD(String(b));
  const scale = BigD.max(x.abs(), y.abs(), 1);
  return x.minus(y).abs().div(scale).gt(tolerance);
}

// Every figure the peers compute, against the engine's report.
function disagreements(report, peer, tolerance) {
  const out = [];
  for (const view of ['as_given', 'all_cross', 'all_isolated']) {
    const mine = new Map(peer[view].positions.map((p) => [p.id, p]));
    for (const p of report[view].positions) {
      const q = mine.get(p.id);
      for (const k of ['notional', 'pnl', 'roe', 'initial_margin', 'maintenance_margin', 'liquidation_price', 'bankruptcy_price']) {
        if (differs(p[k], q?.[k], tolerance)) out.push(`${view} ${p.id} ${k}: ${p[k]} vs ${q?.[k]}`);
      }
    }
    const pools = new Map(peer[view].pools.map((p) => [p.id, p]));
    for (const p of report[view].pools) {
      const q = pools.get(p.id);
      for (const k of ['equity', 'maintenance_margin', 'margin_ratio', 'collateral_ratio', 'free_margin']) {
        if (differs(p[k], q?.[k], tolerance)) out.push(`${view} pool ${p.id} ${k}: ${p[k]} vs ${q?.[k]}`);
      }
    }
    const th = new Map(peer[view].account.thresholds.map((t) => [t.pool, t]));
    for (const t of report[view].account.thresholds) {
      for (const k of ['down', 'up']) {
        if (differs(t[k], th.get(t.pool)?.[k], tolerance)) out.push(`${view} threshold ${t.pool} ${k}: ${t[k]} vs ${th.get(t.pool)?.[k]}`);
      }
    }
    if (differs(report[view].account.total_equity, peer[view].account.total_equity, tolerance)) {
      out.push(`${view} total equity`);
    }
  }
  return out;
}

// Median time per call of each of `fns`, timed together: batches of at
// least 10 ms, run in turn (each round starting one further along), for
// `budget` ms each and at least 7 rounds. This host's speed drifts over
// seconds; timed in turn, every contender sees the same drift, so their
// ratios hold from run to run where one timed after another did not.
function timeTogether(fns, budget = 1500) {
  const batches = fns.map((fn) => {
    let batch = 1;
    for (;;) {
      const t0 = performance.now();
      for (let i = 0; i < batch; i++) fn();
      if (performance.now() - t0 >= 10) return batch;
      batch *= 2;
    }
  });
  const samples = fns.map(() => []);
  const end = performance.now() + budget * fns.length;
  for (let round = 0; performance.now() < end || round < 7; round++) {
    for (let k = 0; k < fns.length; k++) {
      const j = (round + k) % fns.length;
      const t0 = performance.now();
      for (let i = 0; i < batches[j]; i++) fns[j]();
      samples[j].push((performance.now() - t0) / batches[j]);
    }
  }
  return samples.map((s) => {
    s.sort((a, b) => a - b);
    return s[s.length >> 1];
  });
}

async function run() {
  await init();
  const rows = [];
  for (const n of SIZES) {
    // The peers model cross and isolated margin: the same work on both
    // sides, so no portfolio margin parameters (no all-portfolio view).
    const scenario = { ...samplePortfolio(n), portfolio_margin: {} };
    const report = evaluate(scenario);
    const exactOff = disagreements(report, exactPeer.evaluate(scenario), '1e-20');
    const floatOff = disagreements(report, floatPeer.evaluate(scenario), '1e-9');
    if (exactOff.length || floatOff.length) {
      throw new Error(`${n} positions: the peers disagree with the engine:\n` +
        [...exactOff.slice(0, 5).map((d) => `decimal.js ${d}`), ...floatOff.slice(0, 5).map((d) => `number ${d}`)].join('\n'));
    }
    const budget = n >= 1000 ? 3000 : 1500;
    // Prepared once, each evaluated at new prices (the same on every side),
    // checked to agree before it is timed.
    const moved = Object.fromEntries(Object.entries(scenario.prices).map(([a, p]) => [a, String(Number(p) * 1.01)]));
    const handle = prepare(scenario);
    const exactOnce = exactPeer.prepareOnce(scenario);
    const floatOnce = floatPeer.prepareOnce(scenario);
    const movedReport = handle.evaluate(moved);
    const preparedOff = [
      ...disagreements(movedReport, exactOnce.evaluate(moved), '1e-20').map((d) => `decimal.js ${d}`),
      ...disagreements(movedReport, floatOnce.evaluate(moved), '1e-9').map((d) => `number ${d}`),
      ...disagreements(movedReport, evaluate({ ...scenario, prices: moved }), '0').map((d) => `evaluate ${d}`),
    ];
    if (preparedOff.length) throw new Error(`${n} positions, prepared: ${preparedOff.slice(0, 5).join('\n')}`);
    const [wasm, decimal, number] = timeTogether([
      () => evaluate(scenario),
      () => exactPeer.evaluate(scenario),
      () => floatPeer.evaluate(scenario),
    ], budget);
    const [preparedWasm, preparedDecimal, preparedNumber] = timeTogether([
      () => handle.evaluate(moved),
      () => exactOnce.evaluate(moved),
      () => floatOnce.evaluate(moved),
    ], budget);
    rows.push({ positions: n, wasm, decimal, number, preparedWasm, preparedDecimal, preparedNumber });
    handle.free();
  }
  return rows;
}

run().then(
  (rows) => { window.results = { rows }; document.getElementById('status').textContent = 'done'; },
  (e) => { window.results = { error: String(e?.stack ?? e) }; document.getElementById('status').textContent = 'failed'; },
);
