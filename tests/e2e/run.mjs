// End-to-end tests: the release bundle in dist/, served on 127.0.0.1 and
// driven in headless Chromium. Prints `N passed, M failed`.
import { serve } from './serve.mjs';
import { launch, watchedPage, SHOTS } from './browser.mjs';
import assert from 'node:assert/strict';

const dist = new URL('../../dist/', import.meta.url).pathname;
const server = await serve(dist);
const browser = await launch();
const results = [];

async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push([name, null]);
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push([name, e]);
    console.log(`FAIL ${name}\n     ${String(e?.stack ?? e).split('\n').join('\n     ')}`);
  }
}

await test('the app mounts, a slider moves the numbers, and nothing errs', async () => {
  const { page, context, problems } = await watchedPage(browser, { viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
  const slider = page.locator('#price-BTC');
  await slider.waitFor();
  const before = await page.locator('#equity').textContent();
  // Set the value and fire `input`, as a drag does, tick by tick.
  await slider.evaluate((el) => { el.value = '55000'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  const after = await page.locator('#equity').textContent();
  assert.notEqual(after, before, 'equity should follow the slider');
  assert.equal(after, '5000', 'a 1 BTC long loses 5,000 when BTC falls from 60,000 to 55,000');
  assert.equal(await page.locator('#price-out').textContent(), '55000');
  await page.screenshot({ path: `${SHOTS}foundation-desktop.png` });
  assert.deepEqual(problems, []);
  await context.close();
});

await browser.close();
await server.close();
const failed = results.filter(([, e]) => e).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
