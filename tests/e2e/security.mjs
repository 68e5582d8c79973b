// End-to-end: hostile input and the page's defences, in headless Chromium
// against the release bundle. Prints `N passed, M failed`.
import { suite } from './harness.mjs';
import { watchedPage, scenarioJson, SHOTS } from './browser.mjs';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';

const { server, browser, test, done } = await suite();
const desktop = { viewport: { width: 1280, height: 900 } };

// Records CSP violations, anything hostile text managed to run, and every
// request the page makes.
async function guarded(context) {
  await context.addInitScript(() => {
    window.__ran = [];
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
}

async function open(url, shared = null) {
  const w = shared ?? await watchedPage(browser, desktop);
  if (!shared) await guarded(w.context);
  w.requests = [];
  w.page.on('request', (r) => w.requests.push(r.url()));
  w.page.on('dialog', (d) => { w.problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  await w.page.goto(url);
  await w.page.locator('.panels').waitFor();
  return w;
}

// Each would run script if it ever became HTML (or a URL, or a template).
const HOSTILE = [
  '<script>window.__ran.push("script")</script>',
  '<img src=x onerror="window.__ran.push(\'img\')">',
  '"><svg onload="window.__ran.push(\'svg\')">',
  "javascript:window.__ran.push('url')",
  '<iframe srcdoc="<script>parent.__ran.push(1)</script>"></iframe>',
  '{{constructor.constructor("window.__ran.push(9)")()}}',
];

function hostileScenario() {
  const [script, img, svg, url, frame, template] = HOSTILE;
  const tiers = [{ notional_floor: '0', mmr: '0.005', max_leverage: '50' }];
  return {
    format: 'marginscope/1',
    name: script,
    notes: `${img} ${frame}`,
    quote: 'USD',
    wallet: { USD: '10000' },
    prices: { [svg]: '100', ETH: '3000' },
    markets: {
      [url]: { asset: svg, tiers, source: template },
      ETHUSDT: { asset: 'ETH', tiers },
    },
    positions: [
      { id: img, market: url, side: 'long', qty: '10', entry_price: '100', leverage: '5' },
      { id: frame, market: 'ETHUSDT', side: 'short', qty: '1', entry_price: '3000', margin_mode: 'isolated', leverage: '5' },
    ],
  };
}

// Nothing ran, nothing was blocked (nothing tried), nothing left the origin,
// and every hostile string is on the page as the text it is.
async function assertHarmless(w) {
  const { page } = w;
  assert.deepEqual(await page.evaluate(() => window.__ran), []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  const shown = await page.evaluate(() => document.body.innerText
    + [...document.querySelectorAll('input, textarea')].map((e) => e.value).join('\n'));
  for (const h of HOSTILE) assert.ok(shown.includes(h), `not shown as text: ${h}`);
  const made = await page.evaluate(() => ['img', 'iframe', 'script:not([type=module])', 'svg [onload]', '[onerror]']
    .map((s) => document.querySelectorAll(s).length));
  assert.deepEqual(made, [0, 0, 0, 0, 0]);
  const origin = new URL(server.url).origin;
  assert.deepEqual(w.requests.filter((u) => new URL(u).origin !== origin), [], 'a request left the origin');
  assert.deepEqual(w.problems, []);
}

await test('hostile names in an imported file are shown as text and run nothing', async () => {
  const w = await open(server.url);
  await w.page.locator('#import').setInputFiles({
    name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(hostileScenario())),
  });
  await w.page.locator('#notice', { hasText: 'Opened "hostile.json"' }).waitFor();
  assert.equal(await w.page.locator('.story h2').textContent(), HOSTILE[0]);
  // Open every part that draws scenario text: tier tables (with their source) and the JSON.
  for (const d of await w.page.locator('details').all()) await d.evaluate((el) => { el.open = true; });
  await scenarioJson(w.page);
  await assertHarmless(w);
  await w.page.screenshot({ path: `${SHOTS}hostile-names.png` });
  await w.context.close();
});

await test('hostile names in a shared link are shown as text and run nothing', async () => {
  const json = JSON.stringify({ format: 'marginscope-save/1', scenario: hostileScenario(), selected: 0 });
  const link = `${server.url}#v1.${deflateRawSync(Buffer.from(json)).toString('base64url')}`;
  const w = await open(link);
  assert.equal(await w.page.locator('.story h2').textContent(), HOSTILE[0]);
  await assertHarmless(w);
  await w.context.close();
});

await test('numbers at the edge of what a decimal holds, in an imported file, are worked out or refused, and nothing crashes', async () => {
  // A price whose slider would span past the largest decimal; a rate whose
  // percentage is beyond it (refused beside its field, shown in its tier's
  // legend); a position whose ROE and distance are ratios of extremes.
  const max = '79228162514264337593543950335';
  const scenario = {
    format: 'marginscope/1', quote: 'USD', wallet: { USD: '10000' },
    prices: { BTC: '50000000000000000000000000000', ETH: '0.000000000001' },
    markets: {
      BTCUSDT: { asset: 'BTC', tiers: [{ notional_floor: '0', mmr: '0.004' }] },
      ETHUSDT: { asset: 'ETH', tiers: [{ notional_floor: '0', mmr: max }] },
    },
    positions: [
      { market: 'BTCUSDT', side: 'long', qty: '0.0000001', entry_price: '50000000000000000000000000000', leverage: '10' },
      { market: 'ETHUSDT', side: 'short', qty: '1000000000', entry_price: '0.000000000001', leverage: '100' },
    ],
  };
  const w = await open(server.url);
  await w.page.locator('#import').setInputFiles({
    name: 'extreme.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)),
  });
  await w.page.locator('#notice', { hasText: 'Opened "extreme.json"' }).waitFor();
  for (const d of await w.page.locator('details').all()) await d.evaluate((el) => { el.open = true; });
  await w.page.waitForTimeout(300);
  assert.match(await w.page.locator('.stale-note').textContent(), /ETHUSDT tier 1, MM rate: must be at least 0 and less than 1/);
  // The rate, a hundredfold past any decimal, as the multiple it is.
  assert.match(await w.page.locator('fieldset.tier legend').allTextContents().then((t) => t.join('|')), /Tier 1: 79,228,162,514,264,337,593,543,950,335\.00×/);
  // Fixed, the portfolio is worked out at a price near the top of the range.
  await w.page.locator('#f-markets-ETHUSDT-tiers-0--mmr').fill('0.01');
  await w.page.locator('.stale-note').waitFor({ state: 'detached' });
  assert.match(await w.page.locator('#price-box-BTC').inputValue(), /^5/);
  assert.deepEqual(w.problems, []);
  await w.page.screenshot({ path: `${SHOTS}extreme-numbers.png` });
  await w.context.close();
});

await test('the Content-Security-Policy is in force: an injected inline script is refused and reported', async () => {
  const w = await open(server.url);
  const policy = await w.page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
  assert.match(policy, /default-src 'none'/);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'|https?:/);
  // The app itself ran under it with nothing refused.
  assert.deepEqual(await w.page.evaluate(() => window.__violations), []);
  await w.page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__ran.push("injected")';
    document.body.append(s);
    const i = document.createElement('img');
    i.src = 'https://example.com/pixel.png';
    document.body.append(i);
  });
  await w.page.waitForFunction(() => window.__violations.length >= 2);
  assert.deepEqual(await w.page.evaluate(() => window.__ran), []);
  const violations = await w.page.evaluate(() => window.__violations);
  assert.ok(violations.some((v) => v.startsWith('script-src')), violations.join());
  assert.ok(violations.some((v) => v.startsWith('img-src') && v.includes('example.com')), violations.join());
  await w.context.close();
});

await test('two tabs editing at once never lose either one\'s work', async () => {
  const a = await open(server.url);
  const b = await open(server.url, { ...(await (async () => {
    const page = await a.context.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    return { page, context: a.context, problems };
  })()) });
  const saved = () => a.page.evaluate(() => JSON.parse(localStorage.getItem('marginscope.autosave')).scenario.wallet.USD);
  // A edits and saves; B, which had the same scenario, is told and stops saving.
  await a.page.locator('#f-wallet-USD').fill('11111');
  await b.page.locator('#other-tab').waitFor();
  assert.equal(await saved(), '11111');
  await b.page.locator('#f-wallet-USD').fill('22222');
  await b.page.waitForTimeout(600);
  await b.page.screenshot({ path: `${SHOTS}other-tab.png` });
  assert.equal(await saved(), '11111', 'B saved over A without asking');
  // B keeps its own: it saves now, and A is the one asked.
  await b.page.locator('#other-tab button', { hasText: 'Keep this one' }).click();
  await a.page.locator('#other-tab').waitFor();
  assert.equal(await saved(), '22222');
  assert.equal(await b.page.locator('#other-tab').count(), 0);
  // A takes B's; its own comes back with Undo.
  await a.page.locator('#other-tab button', { hasText: "Open the other tab's" }).click();
  assert.equal(await a.page.locator('#f-wallet-USD').inputValue(), '22222');
  await a.page.locator('#notice button', { hasText: 'Undo' }).click();
  assert.equal(await a.page.locator('#f-wallet-USD').inputValue(), '11111');
  // Whatever happened, the saved copy always reads.
  const copy = await a.page.evaluate(() => localStorage.getItem('marginscope.autosave'));
  assert.equal(JSON.parse(copy).format, 'marginscope-save/1');
  assert.deepEqual([...a.problems, ...b.problems], []);
  await a.context.close();
});

await done();
