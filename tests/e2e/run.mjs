// End-to-end tests: the release bundle in dist/, served on 127.0.0.1 and
// driven in headless Chromium. Prints `N passed, M failed`.
import { suite } from './harness.mjs';
import { watchedPage, scenarioJson, asTallAsThePage, SHOTS } from './browser.mjs';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as fmt from './format.mjs';
import { initSync, evaluate, samplePortfolio } from '../../pkg/marginscope.js';

initSync({ module: readFileSync(new URL('../../pkg/marginscope_bg.wasm', import.meta.url)) });

// Every number the two panels show, checked against the JS API's report for
// the scenario the page itself exports as JSON.
async function checkEveryNumber(page) {
  const scenario = JSON.parse(await scenarioJson(page));
  const report = evaluate(scenario);
  let checked = 0;
  const panels = [['cross', report.all_cross], ['isolated', report.all_isolated]];
  if (report.all_portfolio) panels.push(['portfolio', report.all_portfolio]);
  for (const [panel, evaluation] of panels) {
    for (const p of evaluation.positions) {
      const row = page.locator(`#${panel} tr[data-position="${p.id}"]`);
      const want = {
        pnl: fmt.money(p.pnl, p.currency),
        liq: p.liquidated ? 'now' : p.liquidation_price === null ? 'none' : fmt.liquidation(p.liquidation_price, p.mark_price),
        distance: p.liquidated || p.liquidation_distance_ratio === null ? '—' : fmt.signedPercent(p.liquidation_distance_ratio),
      };
      for (const [k, v] of Object.entries(want)) {
        assert.equal(await row.locator(`[data-k=${k}]`).textContent(), v, `${panel} ${p.id} ${k}`);
        checked++;
      }
    }
    for (const pool of evaluation.pools.filter((x) => x.positions.length > 0)) {
      const card = page.locator(`#${panel} [data-pool="${pool.id}"]`);
      const c = pool.currency;
      const want = {
        equity: fmt.money(pool.equity, c), mm: fmt.money(pool.maintenance_margin, c), im: fmt.money(pool.initial_margin, c),
        'collateral-ratio': pool.collateral_ratio === null ? '—' : fmt.ratio(pool.collateral_ratio),
        'margin-ratio': pool.margin_ratio === null ? 'no equity' : fmt.percent(pool.margin_ratio),
        leverage: pool.effective_leverage === null ? '—' : fmt.ratio(pool.effective_leverage),
        free: fmt.money(pool.free_margin, c),
      };
      for (const [k, v] of Object.entries(want)) {
        assert.equal(await card.locator(`[data-k=${k}]`).first().textContent(), v, `${panel} ${pool.id} ${k}`);
        checked++;
      }
      // A portfolio pool's risk units, charge by charge.
      for (const u of pool.units ?? []) {
        const unit = card.locator(`[data-unit="${u.asset}"]`);
        const want = {
          'worst-loss': fmt.money(u.worst_loss, c), roll: fmt.money(u.roll_charge, c), basis: fmt.money(u.basis_charge, c),
          floor: fmt.money(u.floor_charge, c), requirement: fmt.money(u.requirement, c),
          'unit-mm': fmt.money(u.maintenance_margin, c), 'unit-im': fmt.money(u.initial_margin, c),
        };
        for (const [k, v] of Object.entries(want)) {
          assert.equal(await unit.locator(`[data-k=${k}]`).textContent(), v, `${panel} ${pool.id} ${u.asset} ${k}`);
          checked++;
        }
      }
    }
  }
  return checked;
}

const { server, browser, test, done } = await suite();

const equity = (page, panel) => page.locator(`#${panel} [data-pool=cross] [data-k=equity]`).textContent();

await test('the app mounts, a slider moves the numbers, and nothing errs', async () => {
  const { page, context, problems } = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(server.url);
  const slider = page.locator('#price-BTC');
  await slider.waitFor();
  assert.equal(await equity(page, 'cross'), '8,000.00');
  // Set the value and fire `input`, as a drag does, tick by tick.
  await slider.evaluate((el) => { el.value = '55000'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  // 0.5 BTC long from 60,000 loses 2,500 at 55,000.
  assert.equal(await equity(page, 'cross'), '5,500.00');
  assert.equal(await page.locator('#price-box-BTC').inputValue(), '55000');
  assert.ok(await checkEveryNumber(page) > 40);
  assert.deepEqual(problems, []);
  await context.close();
});

await test('a portfolio built in the editor: cross liquidates everything, isolated only the bad trade', async () => {
  const { page, context, problems } = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(server.url);
  await page.locator('#price-SOL').waitFor();
  // Start from the opening portfolio and keep only the BTC long.
  await page.getByRole('button', { name: 'Remove' }).nth(2).click();
  await page.getByRole('button', { name: 'Remove' }).nth(1).click();
  assert.equal(await page.locator('fieldset.position').count(), 1);
  // Add an ETH long: 5 ETH at 3,000, 10x.
  await page.getByRole('button', { name: 'Add a position' }).click();
  assert.equal(await page.locator('#market-1').inputValue(), 'ETHUSDT');
  await page.locator('#f-positions-1--qty').fill('5');
  await page.locator('#f-positions-1--entry_price').fill('3000');
  await page.locator('#f-positions-1--leverage').fill('10');
  await page.locator('#f-wallet-USD').fill('6000');
  assert.match(await page.locator('#cross [data-k=headline]').textContent(), /^Healthy/);
  // Drag ETH down, tick by tick, until the cross account is liquidated.
  const eth = page.locator('#price-ETH');
  let price = 3000;
  while (!/LIQUIDATED/.test(await page.locator('#cross [data-k=headline]').textContent())) {
    price -= 25;
    assert.ok(price >= 1500, 'the cross account should be liquidated within the slider range');
    await eth.evaluate((el, v) => { el.value = String(v); el.dispatchEvent(new Event('input', { bubbles: true })); }, price);
  }
  // 6000 − 5·(3000 − P) = 0.5·60000·0.004 + 5·P·0.005  =>  P = 1833.17: the first tick below is 1825.
  assert.equal(price, 1825);
  assert.equal(await page.locator('#cross [data-k=headline]').textContent(), 'LIQUIDATED: all 2 positions.');
  assert.equal(await page.locator('#isolated [data-k=headline]').textContent(), 'LIQUIDATED: 1 of 2 positions.');
  assert.equal(await page.locator('#isolated tr.liquidated').getAttribute('data-position'), 'ETHUSDT');
  assert.equal(await page.locator('#cross tr.liquidated').count(), 2);
  assert.ok(await checkEveryNumber(page) > 30);
  await page.screenshot({ path: `${SHOTS}cross-liquidated.png` });
  assert.deepEqual(problems, []);
  await context.close();
});

await test("a position's menus change its side, margin and market, and only that position", async () => {
  const { page, context, problems } = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(server.url);
  await page.locator('#price-SOL').waitFor();
  const position = async (i) => JSON.parse(await scenarioJson(page)).positions[i];
  const before = [await position(0), await position(2)];
  await page.locator('#side-1').selectOption('long');
  await page.locator('#mode-1').selectOption('isolated');
  await page.locator('#market-1').selectOption('DOGEUSDT');
  const changed = await position(1);
  assert.equal(changed.side, 'long');
  assert.equal(changed.margin_mode, 'isolated');
  assert.equal(changed.market, 'DOGEUSDT');
  assert.equal(await page.locator('fieldset.position legend').nth(1).textContent(), 'Position 2: DOGEUSDT');
  assert.deepEqual([await position(0), await position(2)], before);
  // The new market's tier note follows the market.
  assert.match(await page.locator('fieldset.position').nth(1).locator('.source').textContent(), /^DOGEUSDT tiers: /);
  assert.deepEqual(problems, []);
  await context.close();
});

await test('a large portfolio: the editor draws the first 50 positions, any with a problem, and the rest on request', async () => {
  const { page, context, problems } = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(server.url);
  await page.locator('#price-SOL').waitFor();
  const scenario = samplePortfolio(60);
  scenario.positions[55].qty = '-1';
  await page.locator('#import').setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
  const drawn = page.locator('fieldset.position');
  const more = page.locator('section.editor .more');
  await more.waitFor();
  // Positions 1 to 50, then position 56 with its message beside the size.
  assert.equal(await drawn.count(), 51);
  assert.equal(await drawn.nth(50).locator('legend').textContent(), `Position 56: ${scenario.positions[55].id ?? scenario.positions[55].market}`);
  assert.notEqual(await page.locator('#f-positions-55--qty-error').textContent(), '');
  assert.equal(await more.textContent(), '9 more positions not shown. Show all');
  await more.getByRole('button', { name: 'Show all' }).click();
  assert.equal(await drawn.count(), 60);
  assert.equal(await more.textContent(), 'Show fewer');
  await more.getByRole('button', { name: 'Show fewer' }).click();
  assert.equal(await drawn.count(), 51);
  // Fixed, position 56 stays where it is being edited.
  await page.locator('#f-positions-55--qty').fill('1');
  assert.equal(await page.locator('#f-positions-55--qty-error').textContent(), '');
  assert.equal(await drawn.count(), 51);
  assert.equal(await more.textContent(), '9 more positions not shown. Show all');
  // A new position is last: it and every one before it are drawn.
  await page.getByRole('button', { name: 'Add a position' }).click();
  assert.equal(await drawn.count(), 61);
  assert.deepEqual(problems, []);
  await context.close();
});

await test('a hedged book built in the editor: portfolio margin needs a fraction of cross, shown in all three panels', async () => {
  for (const [name, viewport] of [['desktop', { width: 1440, height: 1000 }], ['phone', { width: 390, height: 844 }]]) {
    const { page, context, problems } = await watchedPage(browser, { viewport });
    await page.goto(server.url);
    await page.locator('#price-SOL').waitFor();
    // Keep the BTC perpetual long (0.5 BTC at 60,000) and short the March future against it.
    await page.getByRole('button', { name: 'Remove' }).nth(2).click();
    await page.getByRole('button', { name: 'Remove' }).nth(1).click();
    await page.getByRole('button', { name: 'Add a position' }).click();
    await page.locator('#market-1').selectOption('BTCUSDT-0327');
    await page.locator('#side-1').selectOption('short');
    await page.locator('#f-positions-1--qty').fill('0.5');
    await page.locator('#f-positions-1--entry_price').fill('60900');
    await page.locator('#f-positions-1--leverage').fill('10');
    // Portfolio margin is the wallet's: choosing it for one position moves the other with it.
    await page.locator('#mode-0').selectOption('portfolio');
    assert.match(await page.locator('#notice').textContent(), /1 other position now uses portfolio margin/);
    assert.match(JSON.parse(await scenarioJson(page)).portfolio_margin.BTC.source, /^Deribit/, 'the first published set');
    // OKX's grid: no roll charge on the gross, so the hedge's two legs net to almost nothing.
    await page.locator('details.portfolio-params summary').click();
    await page.locator('details.portfolio-params button[data-set=okx-2025-01]').click();
    const scenario = JSON.parse(await scenarioJson(page));
    assert.deepEqual(scenario.positions.map((p) => p.margin_mode), ['portfolio', 'portfolio']);
    assert.match(scenario.portfolio_margin.BTC.source, /^OKX/);
    assert.equal(await page.locator('#f-portfolio_margin-BTC-im_factor').inputValue(), '1.3');
    // All three panels, every number against the engine's report.
    for (const id of ['isolated', 'cross', 'portfolio']) {
      assert.match(await page.locator(`#${id} [data-k=headline]`).textContent(), /^Healthy|^Below initial/, id);
    }
    assert.ok(await checkEveryNumber(page) > 50);
    const report = evaluate(scenario);
    const need = (e, k) => e.pools.filter((p) => p.positions.length).reduce((a, p) => a + Number(p[k]), 0);
    assert.ok(need(report.all_portfolio, 'maintenance_margin') * 3 < need(report.all_cross, 'maintenance_margin'), 'keeps the hedge for under a third of cross');
    assert.ok(need(report.all_portfolio, 'initial_margin') * 10 < need(report.all_cross, 'initial_margin'), 'opens it for under a tenth');
    const cell = (mode) => page.locator(`.needs-table [data-mode=${mode}][data-k=mm]`).textContent();
    assert.equal(await cell('portfolio'), fmt.money(report.all_portfolio.pools.find((p) => p.id === 'portfolio').maintenance_margin, 'USD'));
    assert.equal(await cell('cross'), fmt.money(report.all_cross.pools.find((p) => p.id === 'cross').maintenance_margin, 'USD'));
    // The phone shows the three panels one under the other, each the screen's width.
    const widths = await page.locator('.panels > .panel').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    assert.equal(widths.length, 3);
    if (name === 'phone') assert.ok(widths.every((w) => w > 300), `panels ${widths}`);
    else assert.ok(widths.every((w) => w > 250 && Math.abs(w - widths[0]) < 2), `panels abreast ${widths}`);
    await asTallAsThePage(page, async () => {
      await page.locator('.results').screenshot({ path: `${SHOTS}hedged-book-${name}.png` }).catch(async () => {
        await page.screenshot({ path: `${SHOTS}hedged-book-${name}.png` });
      });
    });
    assert.deepEqual(problems, []);
    await context.close();
  }
});

await test("a Hyperliquid account pasted from the venue's documented responses agrees with the venue", async () => {
  const { page, context, problems } = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(server.url);
  await page.locator('#price-SOL').waitFor();
  const venues = new URL('../data/venues/hyperliquid/', import.meta.url).pathname;
  await page.locator('#account-import summary').click();
  for (const file of ['clearinghouseState.json', 'meta.json']) {
    await page.locator('#import-paste').fill(readFileSync(venues + file, 'utf8'));
    await page.locator('#import-add').click();
  }
  // Garbage beside them is named and read past.
  await page.locator('#import-paste').fill('{"not": "a response"}');
  await page.locator('#import-add').click();
  const sources = page.locator('.import-sources li');
  assert.equal(await sources.count(), 3);
  assert.match(await sources.nth(0).textContent(), /^Hyperliquid POST \/info \{"type": "clearinghouseState"\}: 1 position \(ETH long\)/);
  assert.match(await sources.nth(1).textContent(), /meta.*3 tier tables/);
  assert.match(await sources.nth(2).textContent(), /^Not read: it is none of the responses/);
  assert.equal(await page.locator('[data-k=import-summary]').textContent(), '1 of 1 position agrees with the venue.');
  await page.locator('#import-open').click();
  // The account is open: its position in the panels, the check beside them.
  assert.equal(await page.locator('#venue-check [data-k=venue-summary]').textContent(), '1 of 1 position agrees with the venue.');
  const row = page.locator('#venue-check tr[data-position=ETH]');
  assert.equal(await row.locator('[data-k=venue-liq]').textContent(), '2,866.27');
  assert.equal(await row.locator('[data-k=our-liq]').textContent(), '2,866.27');
  assert.equal(await row.locator('[data-k=agrees]').textContent(), 'yes');
  assert.equal(await page.locator('#isolated tr[data-position=ETH] [data-k=liq]').textContent(), '2,866.27');
  assert.match(await page.locator('#notice').textContent(), /Opened the account imported from Hyperliquid/);
  assert.ok(await checkEveryNumber(page) >= 10);
  await page.locator('#venue-check').screenshot({ path: `${SHOTS}account-import-check.png` });
  await asTallAsThePage(page, () => page.screenshot({ path: `${SHOTS}account-import-desktop.png` }));
  assert.deepEqual(problems, []);
  await context.close();
});

await test('the lesson "Funding eats an isolated long": holding costs in every mode, the period moved, screenshots', async () => {
  const { page, context, problems } = await watchedPage(browser, { viewport: { width: 1440, height: 900 } });
  await page.goto(server.url + '?preset=funding-eats-isolated');
  await page.locator('.cost-table').waitFor();
  const check = async () => {
    const report = evaluate(JSON.parse(await scenarioJson(page)));
    const views = [['Isolated', report.all_isolated], ['Cross', report.all_cross], ['Portfolio', report.all_portfolio]];
    for (const [k, [name, e]] of views.entries()) {
      const p = e.positions[0];
      const cell = (row) => page.locator(`.cost-table [data-k=${row}] td`).nth(k);
      assert.equal(await cell('liq-venue').textContent(), fmt.liquidation(p.liquidation_price, p.mark_price), name);
      assert.equal(await cell('liq-after').textContent(), fmt.liquidation(p.costs.liquidation_price, p.mark_price), name);
      const pool = e.pools.find((x) => x.id === p.pool);
      assert.equal(await cell('equity-after').textContent(), fmt.money(pool.costs.equity, p.currency), name);
      const panel = name.toLowerCase();
      assert.equal(await page.locator(`#${panel} tr[data-position=ETHUSDT] [data-k=liq-after] .num`).textContent(),
        pool.costs.status === 'liquidated' ? 'liquidated' : fmt.liquidation(p.costs.liquidation_price, p.mark_price), name);
      assert.equal(await cell('status-after').textContent(), pool.costs.status.replaceAll('_', ' '), name);
      assert.equal(await page.locator(`#${panel} [data-pool="${pool.id}"] [data-k=equity-after]`).textContent(),
        fmt.money(pool.costs.equity, p.currency), name);
    }
    return report;
  };
  const opened = await check();
  assert.equal(await page.locator('.cost-table [data-k=runway] td').first().textContent(), '49.4 days');
  assert.ok(await checkEveryNumber(page) >= 10);
  // The chart against days held: a line per mode.
  assert.equal(await page.locator('.days-chart path.days-line').count(), 3);
  await asTallAsThePage(page, () => page.screenshot({ path: `${SHOTS}lesson-funding-desktop.png` }));
  // Held 50 days: the isolated long's price after costs is past today's.
  await page.locator('#holding-box').fill('50');
  const held = await check();
  const after = Number(held.all_isolated.positions[0].costs.liquidation_price);
  assert.ok(after > 3000, `${after}`);
  assert.equal(held.all_isolated.pools.find((x) => x.id === 'ETHUSDT').costs.status, 'liquidated');
  assert.notEqual(held.all_isolated.positions[0].costs.liquidation_price, opened.all_isolated.positions[0].costs.liquidation_price);
  await page.locator('section.holding').screenshot({ path: `${SHOTS}lesson-funding-holding.png` });
  assert.deepEqual(problems, []);
  await context.close();
  // On a phone, dark.
  const phone = await watchedPage(browser, { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  await phone.page.goto(server.url + '?preset=funding-eats-isolated');
  await phone.page.locator('.cost-table').waitFor();
  await phone.page.locator('section.holding').screenshot({ path: `${SHOTS}lesson-funding-phone-dark.png` });
  assert.deepEqual(phone.problems, []);
  await phone.context.close();
});

// axe-core's rules, run in the page (through the debugger protocol, which the
// page's CSP does not govern): every violation, with where it is.
const AXE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
async function axeViolations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => (await window.axe.run(document)).violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`));
}

await test('axe-core finds no violation: desktop light and dark, a phone, the stage (on a phone too), a liquidated book, the holding card (on a narrow phone too)', async () => {
  const cases = [
    { name: 'desktop light', viewport: { width: 1440, height: 900 }, colorScheme: 'light', query: '' },
    { name: 'desktop dark', viewport: { width: 1440, height: 900 }, colorScheme: 'dark', query: '' },
    { name: 'phone', viewport: { width: 390, height: 844 }, colorScheme: 'light', query: '' },
    { name: 'phone dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark', query: '' },
    { name: 'stage 1080p', viewport: { width: 1920, height: 1080 }, colorScheme: 'light', query: '?present=1' },
    { name: 'holding costs', viewport: { width: 1440, height: 900 }, colorScheme: 'dark', query: '?preset=funding-eats-isolated' },
    // Tables wider than the screen, each scrolling in its own box.
    { name: 'holding costs on a narrow phone', viewport: { width: 320, height: 844 }, colorScheme: 'light', query: '?preset=funding-eats-isolated' },
    { name: 'the stage on a phone', viewport: { width: 390, height: 844 }, colorScheme: 'dark', query: '?preset=funding-eats-isolated&present=1' },
  ];
  for (const c of cases) {
    const { page, context, problems } = await watchedPage(browser, { viewport: c.viewport, colorScheme: c.colorScheme });
    await page.goto(server.url + c.query);
    await page.locator('.panels').waitFor();
    assert.deepEqual(await axeViolations(page), [], c.name);
    if (c.query === '') {
      // Liquidated: the red headline, badges and rows.
      await page.locator('#price-box-SOL').fill('95');
      await page.locator('#cross .headline.danger').waitFor();
      assert.deepEqual(await axeViolations(page), [], `${c.name}, liquidated`);
    }
    assert.deepEqual(problems, [], c.name);
    await context.close();
  }
});

const inView = (box, vp) => box && box.y >= 0 && box.x >= 0 && box.y + box.height <= vp.height + 0.5 && box.x + box.width <= vp.width + 0.5;

await test('on a phone, a slider drag changes the summary while both stay in view', async () => {
  const viewport = { width: 390, height: 844 };
  const { page, context, problems } = await watchedPage(browser, { viewport });
  await page.goto(server.url);
  const slider = page.locator('#price-SOL');
  await slider.waitFor();
  const summary = page.locator('aside.summary');
  const before = await summary.textContent();
  // A drag with the keys: each press is an input event, as a finger's move is.
  await slider.focus();
  for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowLeft');
  const after = await summary.textContent();
  assert.notEqual(after, before);
  const report = evaluate(JSON.parse(await scenarioJson(page)));
  const sol = report.all_isolated.positions.find((p) => p.id === 'SOLUSDT');
  assert.equal(await summary.locator('[data-mode=isolated] [data-k=summary-liq]').textContent(),
    sol.liquidated ? 'liquidated' : fmt.liquidation(sol.liquidation_price, sol.mark_price));
  // scenarioJson opened a block far down the page: back to where the drag was.
  await slider.scrollIntoViewIfNeeded();
  const [s, m] = [await slider.boundingBox(), await summary.boundingBox()];
  assert.ok(inView(s, viewport), `slider ${JSON.stringify(s)}`);
  assert.ok(inView(m, viewport), `summary ${JSON.stringify(m)}`);
  assert.ok(s.y + s.height <= m.y || m.y + m.height <= s.y, 'the summary does not cover the slider');
  await page.screenshot({ path: `${SHOTS}phone-mid-drag.png` });
  assert.deepEqual(problems, []);
  await context.close();
});

await test('on a phone, no page is wider than the screen: the workspace, every lesson, the stage', async () => {
  const lessons = await (async () => {
    const { page, context } = await watchedPage(browser);
    await page.goto(server.url);
    const ids = await page.locator('[data-lesson]').evaluateAll((els) => els.map((e) => e.dataset.lesson));
    await context.close();
    return ids;
  })();
  assert.ok(lessons.length >= 9, `${lessons.length} lessons`);
  const pages = ['', '?present=1', ...lessons.flatMap((l) => [`?preset=${l}`, `?preset=${l}&present=1`])];
  for (const width of [390, 320]) {
    const { page, context, problems } = await watchedPage(browser, { viewport: { width, height: 844 } });
    for (const query of pages) {
      await page.goto(server.url + query);
      await page.locator('.panels').waitFor();
      // A wider table scrolls in its own box; the page itself does not scroll sideways.
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= width, `${width} px wide, ${query || 'the workspace'}: the page is ${wide} px`);
    }
    // On stage, the figures' box that scrolls takes the arrow keys it is
    // focused for; the price stays.
    await page.goto(server.url + '?present=1');
    const box = page.locator('.stage [role=region]');
    const price = await page.locator('#price-box-SOL').inputValue();
    if (await box.evaluate((b) => b.scrollWidth > b.clientWidth)) {
      await box.focus();
      await page.keyboard.press('ArrowRight');
      // (The browser scrolls smoothly: the box moves over a few frames.)
      await page.waitForFunction((b) => b.scrollLeft > 0, await box.elementHandle(), { timeout: 3000 });
      assert.equal(await page.locator('#price-box-SOL').inputValue(), price, `${width}: the price stayed`);
    } else {
      assert.notEqual(width, 320, 'at 320 px the stage figures scroll in their box');
    }
    // The holding chart's labels, each mode's and the axis's, do not overlap.
    await page.goto(server.url + '?preset=funding-eats-isolated');
    const labels = await page.locator('.days-chart svg text').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { text: e.textContent.trim(), left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    }));
    assert.ok(labels.length >= 6, `${width}: ${labels.length} labels`);
    for (const [i, a] of labels.entries()) {
      for (const b of labels.slice(i + 1)) {
        const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
        assert.ok(apart, `${width} px: "${a.text}" overlaps "${b.text}"`);
      }
    }
    assert.deepEqual(problems, []);
    await context.close();
  }
});

await test('the stage at 720p and 1080p: the slider, each mode\'s figures and the chart on one screen; keys and moves play the lesson', async () => {
  for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
    const { page, context, problems } = await watchedPage(browser, { viewport });
    await page.goto(server.url + '?present=1');
    await page.locator('.stage .stage-modes').waitFor();
    const must = [page.locator('#stage-price'), page.locator('.stage-chart svg')];
    for (const mode of ['isolated', 'cross', 'portfolio']) {
      for (const k of ['stage-equity', 'stage-ratio', 'stage-liq', 'stage-status']) must.push(page.locator(`.stage-modes [data-mode=${mode}] [data-k=${k}]`));
    }
    for (const el of must) assert.ok(inView(await el.boundingBox(), viewport), `${viewport.width}: ${el}`);
    await page.screenshot({ path: `${SHOTS}stage-${viewport.height}p.png` });
    // The keys: a step, ten steps, back; then the lesson's move.
    await page.locator('body').click({ position: { x: 5, y: viewport.height - 5 } });
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('#price-box-SOL').inputValue(), '150.01');
    await page.keyboard.press('PageDown');
    assert.equal(await page.locator('#price-box-SOL').inputValue(), '149.91');
    // The figures' box fits here: focused (a click on it), it leaves the arrows to the price.
    await page.locator('.stage [role=region]').focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.locator('#price-box-SOL').inputValue(), '149.9');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('#price-box-SOL').inputValue(), '149.91');
    await page.locator('.stage-play').click();
    assert.equal(await page.locator('#price-box-SOL').inputValue(), '95');
    const report = evaluate(JSON.parse(await scenarioJson(page)));
    for (const [mode, e] of [['isolated', report.all_isolated], ['cross', report.all_cross]]) {
      const p = e.positions.find((x) => x.id === 'SOLUSDT');
      const pool = e.pools.find((x) => x.id === p.pool);
      assert.equal(await page.locator(`.stage-modes [data-mode=${mode}] [data-k=stage-equity]`).textContent(), fmt.money(pool.equity, pool.currency), mode);
      assert.equal(await page.locator(`.stage-modes [data-mode=${mode}] [data-k=stage-status]`).textContent(),
        pool.status === 'liquidated' ? 'LIQUIDATED' : pool.status.replaceAll('_', ' '), mode);
    }
    if (viewport.height === 720) await page.locator('.stage').screenshot({ path: `${SHOTS}stage-720p-after-the-move.png` });
    // A digit picks another asset: the stage follows it.
    await page.locator('body').click({ position: { x: 5, y: viewport.height - 5 } });
    await page.keyboard.press('1');
    assert.equal(await page.locator('.stage-slider label').textContent(), 'BTC');
    assert.deepEqual(problems, []);
    await context.close();
  }
  // The funding lesson on stage: a column after costs, and its one move
  // (held 50 days) liquidates the isolated long at today's price.
  const viewport = { width: 1280, height: 720 };
  const { page, context, problems } = await watchedPage(browser, { viewport });
  await page.goto(server.url + '?preset=funding-eats-isolated&present=1');
  const after = page.locator('.stage-modes [data-mode=isolated] [data-k=stage-liq-after]');
  await after.waitFor();
  const report = evaluate(JSON.parse(await scenarioJson(page)));
  const p = report.all_isolated.positions[0];
  assert.equal(await after.textContent(), fmt.liquidation(p.costs.liquidation_price, p.mark_price));
  await page.locator('.stage-play').click();
  assert.equal(await after.textContent(), 'liquidated');
  assert.match(await page.locator('.stage-modes thead').textContent(), /after 50 days/);
  await page.evaluate(() => window.scrollTo(0, 0));
  assert.ok(inView(await after.boundingBox(), viewport));
  await page.locator('.stage').screenshot({ path: `${SHOTS}stage-720p-funding-held-50-days.png` });
  assert.deepEqual(problems, []);
  await context.close();
});

await test('screenshots: desktop and phone, light and dark', async () => {
  for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 360, height: 780 }]]) {
    for (const colorScheme of ['light', 'dark']) {
      const { page, context, problems } = await watchedPage(browser, { viewport, colorScheme });
      await page.goto(server.url);
      await page.locator('#price-SOL').waitFor();
      await page.locator('#price-SOL').evaluate((el) => { el.value = '125'; el.dispatchEvent(new Event('input', { bubbles: true })); });
      if (name === 'phone') {
        await asTallAsThePage(page, async () => {
          await page.screenshot({ path: `${SHOTS}workspace-${name}-${colorScheme}.png` });
          // The full page is too tall to read at once: each part on its own as well.
          for (const [part, selector] of [['panels', '.panels'], ['chart', '.chart-card'], ['editor', 'section.editor']]) {
            await page.locator(selector).screenshot({ path: `${SHOTS}workspace-phone-${colorScheme}-${part}.png` });
          }
        });
      } else {
        await page.screenshot({ path: `${SHOTS}workspace-${name}-${colorScheme}.png` });
      }
      assert.deepEqual(problems, []);
      await context.close();
    }
  }
});

await done();
