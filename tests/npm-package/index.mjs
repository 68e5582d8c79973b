// Another project's use of the JS API, through npm: the package is
// installed by name from pkg/ (`npm install`), then imported by name.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { initSync, evaluate, formatVersion } from 'marginscope';

const require = createRequire(import.meta.url);
const wasm = require.resolve('marginscope/marginscope_bg.wasm');
initSync({ module: readFileSync(wasm) });

assert.equal(formatVersion(), 'marginscope/1');
const report = evaluate({
  quote: 'USD',
  wallet: { USD: '1000' },
  prices: { BTC: '60000' },
  markets: { BTCUSDT: { asset: 'BTC', tiers: [{ notional_floor: '0', mmr: '0.004' }] } },
  positions: [{ market: 'BTCUSDT', side: 'long', qty: '0.1', entry_price: '60000', leverage: '10' }],
});
// 1000 + 0.1·(P − 60000) = 0.1·P·0.004, so P = 5000 / 0.0996 = 50200.80321285140562248995983935…
const liq = report.all_cross.positions[0].liquidation_price;
assert.equal(typeof liq, 'string');
assert.ok(liq.startsWith('50200.8032128514056224899598'), liq);
console.log('1 passed, 0 failed: the package installed by name evaluates a scenario');
