// A random walk through the app as `bash scripts/serve` builds it: a debug
// build (target/dist-debug), where Yew checks its rules (a hook called after
// an early return panics there; a release build compiles the check out).
// Fixed seeds, so a failure replays: clicks on any button, text typed into
// any box (hostile and extreme text among it), menu choices and slider
// moves; then every lesson opened after every other, and every position
// removed and added back. No page error, no console error, no crash page.
// Prints `N passed, M failed`.
import { suite } from './harness.mjs';
import { watchedPage } from './browser.mjs';
import assert from 'node:assert/strict';

const dist = process.argv[2] ?? new URL('../../target/dist-debug/', import.meta.url).pathname;
const { server, browser, test, done } = await suite(dist);

// mulberry32: a small seeded generator, the same sequence on every machine.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEXTS = [
  '', '0', '-1', '1', '2.5', '1e999', '1e-40', '7.9e28', '79228162514264337593543950335',
  '0.0000000000000000000000000001', '1,5', 'NaN', 'abc', '  12  ', '-0', '1e3', '+4',
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '٣', '\u202e42', '9'.repeat(40),
];

// One step of the walk; returns what it did, for the log.
async function step(page, rnd) {
  const pick = (n) => Math.floor(rnd() * n);
  const kind = pick(10);
  if (kind < 3) {
    // A button, a summary or a checkbox on screen (not the file picker).
    const targets = page.locator('button:visible, summary:visible, input[type=checkbox]:visible');
    const n = await targets.count();
    if (n === 0) return 'nothing to click';
    const i = pick(n);
    const t = targets.nth(i);
    const label = ((await t.textContent()) || (await t.getAttribute('aria-label')) || '').trim().slice(0, 40);
    await t.click({ timeout: 2000 }).catch(() => {});
    return `click ${i} "${label}"`;
  }
  if (kind < 6) {
    const boxes = page.locator('input[type=text]:visible:not([readonly])');
    const n = await boxes.count();
    if (n === 0) return 'no box';
    const i = pick(n);
    const text = rnd() < 0.7 ? TEXTS[pick(TEXTS.length)] : String(Math.round(rnd() * 100000) / 100);
    const id = await boxes.nth(i).getAttribute('id');
    await boxes.nth(i).fill(text, { timeout: 2000 }).catch(() => {});
    return `type ${JSON.stringify(text)} into #${id}`;
  }
  if (kind < 8) {
    const sliders = page.locator('input[type=range]:visible');
    const n = await sliders.count();
    if (n === 0) return 'no slider';
    const i = pick(n);
    const at = rnd();
    const id = await sliders.nth(i).getAttribute('id');
    await sliders.nth(i).evaluate((el, at) => {
      const min = Number(el.min), max = Number(el.max);
      el.value = String(min + (max - min) * at);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, at);
    return `slide #${id} to ${at.toFixed(3)}`;
  }
  const menus = page.locator('select:visible');
  const n = await menus.count();
  if (n === 0) return 'no menu';
  const i = pick(n);
  const options = await menus.nth(i).locator('option').evaluateAll((os) => os.map((o) => o.value));
  const value = options[pick(options.length)];
  const id = await menus.nth(i).getAttribute('id');
  await menus.nth(i).selectOption(value, { timeout: 2000 }).catch(() => {});
  return `choose ${JSON.stringify(value)} in #${id}`;
}

async function healthy(page, problems, log) {
  const crashed = await page.locator('#crash').count();
  if (problems.length > 0 || crashed > 0) {
    throw new Error(`after ${log.length} steps (last: ${log.slice(-5).join('; ')}): ${problems.join(' | ') || 'the crash page'}`);
  }
}

const SEEDS = [
  { seed: 1, query: '', viewport: { width: 1280, height: 900 } },
  { seed: 2, query: '', viewport: { width: 390, height: 844 } },
  { seed: 3, query: '?present=1', viewport: { width: 1920, height: 1080 } },
  { seed: 4, query: '?embed=1&locked=0&show=prices,holding,isolated,cross,portfolio,chart,map,why,answers,editor', viewport: { width: 1000, height: 800 } },
];
const STEPS = 150;

for (const { seed, query, viewport } of SEEDS) {
  await test(`seed ${seed} (${query || 'the app'}): ${STEPS} random steps, no error`, async () => {
    const { page, context, problems } = await watchedPage(browser, { viewport, acceptDownloads: true });
    await page.goto(server.url + query);
    await page.locator('input[type=range]').first().waitFor();
    const rnd = random(seed);
    const log = [];
    for (let i = 0; i < STEPS; i++) {
      log.push(await step(page, rnd));
      await healthy(page, problems, log);
    }
    await context.close();
  });
}

await test('every lesson opened after every other, no error', async () => {
  const { page, context, problems } = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(server.url);
  const cards = page.locator('.lesson-card');
  await cards.first().waitFor();
  const n = await cards.count();
  assert.ok(n >= 6, `${n} lessons`);
  const log = [];
  const open = async (i) => {
    await cards.nth(i).getByRole('button', { name: 'Open this lesson' }).click();
    log.push(`open lesson ${i}`);
    await healthy(page, problems, log);
  };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      await open(i);
      await open(j);
      // A move on the lesson's first slider, as a presenter would.
      await page.locator('input[type=range]').first().evaluate((el) => {
        el.value = el.min; el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await healthy(page, problems, log);
    }
  }
  await context.close();
});

await test('every position removed and added back, in every lesson, no error', async () => {
  const { page, context, problems } = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(server.url);
  const cards = page.locator('.lesson-card');
  await cards.first().waitFor();
  const n = await cards.count();
  const log = [];
  const positions = page.locator('fieldset.position');
  for (let i = 0; i < n; i++) {
    await cards.nth(i).getByRole('button', { name: 'Open this lesson' }).click();
    const count = await positions.count();
    for (let k = 0; k < count; k++) {
      // Remove position k, then put one back in its place's stead.
      await positions.nth(k).getByRole('button', { name: 'Remove' }).click();
      log.push(`lesson ${i}: remove position ${k}`);
      await healthy(page, problems, log);
      await page.getByRole('button', { name: 'Add a position' }).click();
      log.push(`lesson ${i}: add a position`);
      await healthy(page, problems, log);
    }
    // All gone, then back one by one.
    while ((await positions.count()) > 0) {
      await positions.first().getByRole('button', { name: 'Remove' }).click();
      log.push(`lesson ${i}: remove the first position`);
      await healthy(page, problems, log);
    }
    for (let k = 0; k < count; k++) {
      await page.getByRole('button', { name: 'Add a position' }).click();
      log.push(`lesson ${i}: add position ${k + 1}`);
      await healthy(page, problems, log);
    }
    assert.equal(await positions.count(), count);
  }
  await context.close();
});

await done();
