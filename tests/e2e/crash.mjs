// End-to-end: if the app ever panics, the page says so, keeps the scenario
// and offers a reload. Runs against a separate build with the feature
// `crash-test` (a deliberate panic on `?crash-test=1`), in target/dist-crash.
import { suite } from './harness.mjs';
import { watchedPage, SHOTS } from './browser.mjs';
import assert from 'node:assert/strict';

const { server, browser, test, done } = await suite(new URL('../../target/dist-crash/', import.meta.url).pathname);

await test('a crash shows a reload link and the scenario survives it', async () => {
  const { page, context, problems } = await watchedPage(browser, { viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.url}?crash-test=1`);
  await page.locator('.panels').waitFor();
  // An edit within the last moment before the crash (the autosave waits 300 ms).
  await page.locator('#f-wallet-USD').fill('7777');
  await page.locator('#crash').waitFor();
  const words = await page.locator('#crash').innerText();
  assert.match(words, /Marginscope stopped because of a bug/);
  assert.match(words, /saved in this browser just now/);
  assert.equal(await page.locator('#crash a.button').getAttribute('href'), `${server.url}?crash-test=1`);
  await page.locator('#crash summary').click();
  assert.match(await page.locator('#crash pre').innerText(), /a deliberate crash \(feature crash-test\)/);
  await page.screenshot({ path: `${SHOTS}crash.png` });
  // The panic is reported in the console, and wasm stops ("unreachable"): nothing else.
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems[0], /^console: Marginscope stopped: panicked at/);
  assert.match(problems[1], /^page error: unreachable/);
  // Reloaded (without the crash), the edit is there.
  await page.goto(server.url);
  await page.locator('.panels').waitFor();
  assert.equal(await page.locator('#f-wallet-USD').inputValue(), '7777');
  await context.close();
});

await done();
