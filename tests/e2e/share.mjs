// End-to-end: sharing, saving, lessons, embedding and offline use, in
// headless Chromium against the release bundle. Prints `N passed, M failed`.
import { suite } from './harness.mjs';
import { watchedPage, scenarioJson, SHOTS } from './browser.mjs';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const { server, browser, test, done } = await suite();
const desktop = { viewport: { width: 1280, height: 900 } };

// A page that also fails on any dialog (a link must never run script).
async function open(url, options = desktop) {
  const w = await watchedPage(browser, options);
  w.page.on('dialog', (d) => { w.problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  if (url !== null) {
    await w.page.goto(url);
    await w.page.locator('.panels').waitFor();
  }
  return w;
}

const text = (page, selector) => page.locator(selector).textContent();
const drag = (page, selector, value) => page.locator(selector).evaluate((el, v) => {
  el.value = v; el.dispatchEvent(new Event('input', { bubbles: true }));
}, String(value));
const headline = (page, panel) => text(page, `#${panel} [data-k=headline]`);

await test('a shared link opens exactly what was shared', async () => {
  const a = await open(server.url);
  await a.page.locator('[data-lesson=hedged-pair] button').click();
  await drag(a.page, '#price-BTC', 57000);
  await a.page.locator('#copy-link').click();
  const link = await a.page.locator('#share-link').inputValue();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/#v1\.[A-Za-z0-9_-]+$/);
  const want = { json: await scenarioJson(a.page), cross: await text(a.page, '#cross'), isolated: await text(a.page, '#isolated') };
  assert.match(want.isolated, /LIQUIDATED: 1 of 2 positions/);
  // A link copied before a move no longer holds what the page shows: it is not left on show.
  await drag(a.page, '#price-BTC', 58000);
  assert.equal(await a.page.locator('#share-link').count(), 0);
  await drag(a.page, '#price-BTC', 57000);
  assert.equal(await a.page.locator('#share-link').inputValue(), link);
  const b = await open(link);
  assert.equal(await scenarioJson(b.page), want.json);
  assert.equal(await text(b.page, '#cross'), want.cross);
  assert.equal(await text(b.page, '#isolated'), want.isolated);
  assert.equal(await b.page.locator('#price-box-BTC').inputValue(), '57000');
  // The link's content now lives in the autosave: the address is clean, a reload keeps edits.
  assert.equal(new URL(b.page.url()).hash, '');
  assert.deepEqual([...a.problems, ...b.problems], []);
  await a.context.close(); await b.context.close();
});

await test('garbage, truncated, huge and newer links show a message and a working default', async () => {
  const good = await open(server.url);
  await good.page.locator('#copy-link').click();
  const link = await good.page.locator('#share-link').inputValue();
  await good.context.close();
  const cases = [
    ['garbage', `${server.url}#v1.!!not-base64!!`, /damaged/],
    ['truncated', link.slice(0, Math.floor(link.length * 0.6)), /damaged/],
    ['huge', `${server.url}#v1.${'A'.repeat(1_100_000)}`, /too long/],
    ['newer', `${server.url}#v9.AAAA`, /newer Marginscope/],
    ['script', `${server.url}#<script>alert(1)</script><img src=x onerror=alert(2)>`, /does not hold a Marginscope scenario/],
  ];
  for (const [name, url, message] of cases) {
    const { page, context, problems } = await open(url);
    const notice = await text(page, '#notice');
    assert.match(notice, message, name);
    assert.match(notice, /default scenario is open instead/, name);
    assert.match(await headline(page, 'cross'), /^Healthy/, name);
    await drag(page, '#price-SOL', 95);
    assert.equal(await headline(page, 'cross'), 'LIQUIDATED: all 3 positions.', name);
    assert.equal(await page.locator('img').count(), 0, name);
    assert.deepEqual(problems, [], name);
    await context.close();
  }
});

await test('a reload keeps the scenario; an unreadable save is reported and kept aside', async () => {
  const { page, context, problems } = await open(server.url);
  await page.locator('#f-wallet-USD').fill('9100');
  await page.waitForTimeout(700);
  await page.reload();
  await page.locator('.panels').waitFor();
  assert.equal(await page.locator('#f-wallet-USD').inputValue(), '9100');
  assert.equal(await page.locator('#notice').count(), 0);
  const corrupt = '{"format":"marginscope-save/1","scenario":{"format":"marginscope/1"';
  await page.evaluate((c) => localStorage.setItem('marginscope.autosave', c), corrupt);
  await page.reload();
  await page.locator('.panels').waitFor();
  assert.match(await text(page, '#notice'), /Your saved scenario could not be read .*kept aside/);
  assert.equal(await page.locator('#f-wallet-USD').inputValue(), '8000');
  assert.equal(await page.evaluate(() => localStorage.getItem('marginscope.autosave.unreadable')), corrupt);
  assert.deepEqual(problems, []);
  await context.close();
});

await test('every workshop lesson opens, and opening one can be undone', async () => {
  const { page, context, problems } = await open(server.url);
  const ids = await page.locator('.lesson-card').evaluateAll((cards) => cards.map((c) => c.dataset.lesson));
  assert.ok(ids.length >= 6, `${ids.length} lessons`);
  for (const id of ids) {
    const card = page.locator(`[data-lesson="${id}"]`);
    const title = await card.locator('h3').textContent();
    await card.locator('button').click();
    assert.equal(await text(page, '.story h2'), title);
    assert.match(await headline(page, 'cross'), /^(Healthy|Below initial)/, id);
    assert.match(await text(page, '#notice'), new RegExp(`Opened the lesson`));
  }
  await page.locator('#notice').getByRole('button', { name: 'Undo' }).click();
  assert.equal(await text(page, '.story h2'), await page.locator(`[data-lesson="${ids.at(-2)}"] h3`).textContent());
  await page.getByRole('button', { name: 'Presenter mode' }).click();
  assert.equal(await page.locator('.app.presenter').count(), 1);
  await page.screenshot({ path: `${SHOTS}presenter.png` });
  assert.deepEqual(problems, []);
  await context.close();
});

await test('export writes the engine format; a failed import keeps the scenario', async () => {
  const { page, context, problems } = await open(server.url, { ...desktop, acceptDownloads: true });
  const before = await scenarioJson(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export').click()]);
  const exported = readFileSync(await download.path(), 'utf8');
  assert.deepEqual(JSON.parse(exported), JSON.parse(before));
  assert.match(download.suggestedFilename(), /^one-bad-trade-drains-a-cross-account\.marginscope\.json$/);
  await page.locator('#import').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"marginscope/1","wallet":') });
  await page.locator('#notice', { hasText: 'Could not import that file' }).waitFor();
  assert.match(await text(page, '#notice'), /Could not import that file: .*Your scenario is unchanged/);
  assert.equal(await scenarioJson(page), before);
  const changed = JSON.parse(before);
  changed.wallet.USD = '12345';
  changed.name = 'Imported <b>bold</b>';
  await page.locator('#import').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(changed)) });
  await page.locator('#notice', { hasText: 'Opened "mine.json"' }).waitFor();
  assert.equal(await page.locator('#f-wallet-USD').inputValue(), '12345');
  assert.equal(await text(page, '.story h2'), 'Imported <b>bold</b>');
  assert.equal(await page.locator('.story b').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

await test('the embedded widget fits its height in the sample lesson page, works, and saves nothing', async () => {
  const { page, context, problems } = await open(null);
  await page.goto(`${server.url}examples/lesson.html`);
  const frameEl = page.locator('#widget-one');
  await frameEl.scrollIntoViewIfNeeded();
  const frame = page.frameLocator('#widget-one');
  await frame.locator('.panels').waitFor();
  assert.equal(await frame.locator('header.top, section.editor, .share-bar').count(), 0);
  const fits = async () => {
    await page.waitForFunction(() => {
      const f = document.getElementById('widget-one');
      const inner = f.contentDocument.documentElement.scrollHeight;
      return Math.abs(f.getBoundingClientRect().height - 2 - inner) <= 1; // 1px border each side
    }, null, { timeout: 5000 });
  };
  await fits();
  await frame.locator('#price-SOL').evaluate((el) => { el.value = '95'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  assert.equal(await frame.locator('#cross [data-k=headline]').textContent(), 'LIQUIDATED: all 3 positions.');
  await fits();
  // Messages the widget does not define change nothing and break nothing.
  await page.evaluate(() => {
    const w = document.getElementById('widget-one').contentWindow;
    for (const m of ['x', { type: 'marginscope:height', height: 1 }, { type: 'marginscope:load', scenario: '<script>' }, null]) w.postMessage(m, '*');
  });
  await page.waitForTimeout(200);
  assert.equal(await frame.locator('#cross [data-k=headline]').textContent(), 'LIQUIDATED: all 3 positions.');
  assert.equal(await page.evaluate(() => localStorage.getItem('marginscope.autosave')), null);
  // The second widget asked for the dark theme.
  await page.locator('#widget-two').scrollIntoViewIfNeeded();
  const two = page.frameLocator('#widget-two');
  await two.locator('.panels').waitFor();
  assert.equal(await two.locator('html').getAttribute('data-theme'), 'dark');
  await page.screenshot({ path: `${SHOTS}lesson-page.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});

await test('the Embed button writes a snippet that sizes itself on any page', async () => {
  const { page, context, problems } = await open(server.url);
  await page.locator('details.embed-maker summary').click();
  await page.locator('#embed-theme').selectOption('light');
  const snippet = await page.locator('#embed-snippet').inputValue();
  assert.match(snippet, /<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?embed=1&locked=1&theme=light&show=prices,isolated,cross,chart#v1\./);
  const host = await open(null);
  await host.page.setContent(`<h1>My lesson</h1>${snippet}`);
  const frame = host.page.frameLocator('iframe');
  await frame.locator('.panels').waitFor();
  await host.page.waitForFunction(() => document.querySelector('iframe').style.height !== '640px', null, { timeout: 5000 });
  assert.equal(await frame.locator('details.scenario-json').count(), 0);
  assert.deepEqual([...problems, ...host.problems], []);
  await context.close(); await host.context.close();
});

await test('the JS API sample page draws the engine report without the app', async () => {
  const { page, context, problems } = await open(null);
  await page.goto(`${server.url}examples/js-api.html`);
  await page.locator('#report tbody tr').first().waitFor();
  assert.equal(await page.locator('#report tbody tr').count(), 4);
  await drag(page, '#btc', 57000);
  assert.equal(await page.locator('[data-position="isolated:BTCUSDT:long"] td').nth(4).textContent(), 'yes');
  assert.equal(await page.locator('[data-position="cross:BTCUSDT:long"] td').nth(4).textContent(), 'no');
  assert.deepEqual(problems, []);
  await context.close();
});

await test('after the first visit the app works offline', async () => {
  const { page, context, problems } = await open(server.url);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.locator('.panels').waitFor();
  assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null));
  await context.setOffline(true);
  await page.reload();
  await page.locator('.panels').waitFor();
  await drag(page, '#price-SOL', 95);
  assert.equal(await headline(page, 'cross'), 'LIQUIDATED: all 3 positions.');
  assert.deepEqual(problems, []);
  await context.close();
});

await test('a sample page opened once works offline, and a first visit does not fetch it', async () => {
  const { page, context, problems } = await open(server.url);
  await page.evaluate(() => navigator.serviceWorker.ready);
  const cached = () => page.evaluate(async () => (await Promise.all((await caches.keys())
    .map(async (k) => (await (await caches.open(k)).keys()).map((r) => new URL(r.url).pathname)))).flat());
  assert.ok((await cached()).some((p) => p.endsWith('_bg.wasm')), 'the app is cached on the first visit');
  assert.ok(!(await cached()).some((p) => p.includes('/examples/') || p.includes('/pkg/')), 'the samples are not');
  await page.goto(`${server.url}examples/lesson.html`);
  await page.frameLocator('iframe').first().locator('.panels').waitFor();
  await context.setOffline(true);
  await page.reload();
  await page.frameLocator('iframe').first().locator('.panels').waitFor();
  assert.ok((await cached()).some((p) => p.endsWith('/examples/lesson.html')));
  assert.deepEqual(problems, []);
  await context.close();
});

await done();
