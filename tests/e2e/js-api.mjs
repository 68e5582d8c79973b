// The JS API (pkg/, built by scripts/build-js-api) used from Node, without the UI.
// Prints `N passed, M failed`.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { initSync, evaluate, prepare, problems, pnlAtExit, exitPriceForRoe, maxOpen, applyFill, formatVersion }
  from '../../pkg/marginscope.js';

initSync({ module: readFileSync(new URL('../../pkg/marginscope_bg.wasm', import.meta.url)) });

// Binance's isolated example (conformance BN-C1): 0.5 BTC long at 60,000, 20x, 1,500 margin.
const scenario = () => ({
  format: 'marginscope/1',
  wallet: { USD: '11500' },
  prices: { BTC: '60000' },
  markets: {
    BTCUSDT: { asset: 'BTC', tiers: [
      { notional_floor: '0', notional_cap: '50000', mmr: '0.004', max_leverage: '125' },
      { notional_floor: '50000', notional_cap: '600000', mmr: '0.005', max_leverage: '100' },
      { notional_floor: '600000', mmr: '0.0065', max_leverage: '75' } ] },
  },
  positions: [{ market: 'BTCUSDT', side: 'long', qty: '0.5', entry_price: '60000', leverage: '20', margin_mode: 'isolated' }],
});

const results = [];
function test(name, fn) {
  try { fn(); results.push(true); console.log(`ok   ${name}`); }
  catch (e) { results.push(false); console.log(`FAIL ${name}\n     ${e?.stack ?? e}`); }
}

test('evaluate returns exact decimal strings', () => {
  const r = evaluate(scenario());
  assert.equal(r.format, 'marginscope-report/2');
  const p = r.as_given.positions[0];
  // 1500 + 0.5(P − 60000) = 0.5 · P · 0.004  =>  P = 28500 / 0.498
  assert.match(p.liquidation_price, /^57228\.91566265060240963855421/);
  assert.equal(p.maintenance_margin, '120');
  assert.equal(r.as_given.pools.find((x) => x.id === 'BTCUSDT').equity, '1500');
  assert.equal(r.all_cross.positions[0].pool, 'cross');
  assert.equal(formatVersion(), 'marginscope/1');
});

test('JS numbers are read from their shortest text', () => {
  const s = scenario();
  s.positions[0].qty = 0.1;
  s.prices.BTC = 60000;
  assert.equal(evaluate(s).as_given.positions[0].notional, '6000');
});

test('names in any script cross intact, both ways', () => {
  const s = scenario();
  const name = 'Ünïcödé 比特币 🚀';
  s.markets[name] = s.markets.BTCUSDT;
  delete s.markets.BTCUSDT;
  s.positions[0].market = name;
  s.positions[0].id = `${name} #1`;
  const p = evaluate(s).as_given.positions[0];
  assert.equal(p.market, name);
  assert.equal(p.id, `${name} #1`);
  assert.equal(p.maintenance_margin, '120');
});

test('errors are thrown as JS errors with the field path', () => {
  const s = scenario();
  s.positions[0].entry_price = '0';
  assert.throws(() => evaluate(s), (e) => e instanceof Error
    && e.message === 'positions[0].entry_price: must be greater than 0' && e.path === 'positions[0].entry_price' && e.kind === 'invalid');
  const t = scenario();
  t.positions[0].colour = 'red';
  assert.throws(() => evaluate(t), /positions\[0\]\.colour: unknown field "colour"/);
  assert.throws(() => evaluate(null), Error);
  assert.throws(() => evaluate({ positions: 'x' }), /positions/);
});

test('problems lists every invalid field at once', () => {
  const s = scenario();
  s.positions[0].qty = '-1';
  s.prices.BTC = '0';
  const list = problems(s).map((p) => p.path).sort();
  assert.deepEqual(list, ['positions[0].qty', 'prices.BTC']);
  assert.deepEqual(problems(scenario()), []);
});

test('calculator questions', () => {
  const s = scenario();
  const exit = pnlAtExit(s, 'BTCUSDT', '66000');
  assert.equal(exit.pnl, '3000');
  assert.equal(exit.roe, '2');
  assert.equal(exitPriceForRoe(s, 'BTCUSDT', '2').exit_price, '66000');
  const fill = applyFill(s, 'BTCUSDT', 'long', '0.5', '62000');
  assert.equal(fill.position.entry_price, '61000');
  const max = maxOpen(s, 'BTCUSDT', 'long', '10');
  assert.ok(Number(max.qty) > 0);
});

test('prepare: validated once, evaluated at new prices as evaluate would, then freed', () => {
  const handle = prepare(scenario());
  assert.deepEqual(handle.evaluate(), evaluate(scenario()));
  const moved = { ...scenario(), prices: { BTC: '58000' } };
  assert.deepEqual(handle.evaluate({ BTC: '58000' }), evaluate(moved));
  assert.deepEqual(handle.evaluate({ BTC: 58000 }), evaluate(moved), 'a number is read from its shortest text');
  assert.throws(() => handle.evaluate({ ETH: '1' }), (e) => e.path === 'prices' && /BTC/.test(e.message));
  assert.throws(() => handle.evaluate({ BTC: '0' }), (e) => e.path === 'prices.BTC');
  assert.throws(() => prepare({ ...scenario(), prices: {} }), (e) => e.path === 'markets.BTCUSDT.asset', 'a scenario that does not validate is not prepared');
  handle.free();
  assert.throws(() => handle.evaluate(), 'a freed handle is not used');
  // The types say so.
  const types = readFileSync(new URL('../../pkg/marginscope.d.ts', import.meta.url), 'utf8');
  assert.match(types, /export function prepare\(s: Scenario\): PreparedScenario;/);
  assert.match(types, /evaluate\(prices\?: Record<string, Decimal> \| null\): Report;|evaluate\(prices: Record<string, Decimal> \| null \| undefined\): Report;/);
});

const failed = results.filter((x) => !x).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
