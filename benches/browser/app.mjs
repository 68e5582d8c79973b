// Parts 3 and 4 of the benchmark suite, on the release build in dist/:
// the slider (input event to updated DOM, charts on) and the first load
// (bytes on the wire, time to the first interactive slider).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '../../tests/e2e/serve.mjs';
import { watchedPage } from '../../tests/e2e/browser.mjs';
import { initSync, samplePortfolio } from '../../pkg/marginscope.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const DIST = join(ROOT, 'dist');
initSync({ module: readFileSync(join(ROOT, 'pkg/marginscope_bg.wasm')) });

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** Ticks at the start of a drag that run before V8 has optimised the hot wasm (reported apart as well). */
export const WARM_UP = 20;

/** Median and worst time from navigation start to the first slider on screen with its handler attached. */
export async function firstLoad(browser, runs = 7) {
  const server = await serve(DIST);
  const times = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      await page.addInitScript(() => {
        new MutationObserver((_, observer) => {
          const slider = document.querySelector('.price-row input[type=range]');
          // Yew attaches listeners as it creates the element: present means live.
          if (slider && document.querySelector('.panel [data-k]')) {
            window.firstSlider = performance.now();
            observer.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto(server.url);
      await page.waitForFunction(() => window.firstSlider);
      times.push(await page.evaluate(() => window.firstSlider));
      await context.close();
    }
  } finally {
    await server.close();
  }
  times.sort((a, b) => a - b);
  return { median: quantile(times, 0.5), max: times[times.length - 1], runs };
}

/**
 * In the page: whether the editor shows a portfolio of `n` positions, which
 * draws the first 50 (`ui::state::POSITIONS_SHOWN`) and counts the rest.
 */
function loaded(n) {
  const drawn = document.querySelectorAll('fieldset.position').length;
  const more = document.querySelector('section.editor .more')?.textContent ?? '';
  return drawn === Math.min(n, 50) && (n <= 50 || more.startsWith(`${n - 50} more`));
}

/**
 * Runs `measure(page)` on the app in `dist` (dist/ unless named), opened at
 * `query`, with a generated portfolio of `n` positions imported (with every
 * market's fees and funding when `costs`). `bypassCSP` lets a measurement add
 * a stylesheet of its own to the page.
 */
export async function withPortfolio(browser, n, measure, { query = '', costs = false, dist = DIST, bypassCSP = false } = {}) {
  const server = await serve(dist);
  try {
    const { page, context, problems } = await watchedPage(browser, { serviceWorkers: 'block', bypassCSP, viewport: { width: 1280, height: 900 } });
    await page.goto(server.url + query);
    await page.waitForSelector('.price-row input[type=range]');
    const scenario = samplePortfolio(n);
    if (costs) {
      // Every market with fees and funding, held 30 days: each view is
      // evaluated after costs and a day later too, and the holding card
      // charts the selected position against the days held.
      for (const m of Object.values(scenario.markets)) {
        m.fees = { maker: '0.0002', taker: '0.0005' };
        m.funding = { rate: '0.0001', interval_hours: '8' };
      }
      scenario.holding_hours = '720';
    }
    await page.setInputFiles('#import', { name: `bench-${n}.marginscope.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
    await page.waitForFunction(loaded, n, { timeout: 120_000 });
    const result = await measure(page);
    await context.close();
    if (problems.length) throw new Error(problems.join('\n'));
    return result;
  } finally {
    await server.close();
  }
}

/**
 * Input event to updated DOM over `ticks` slider moves, for a generated portfolio of `n` positions,
 * then the rendering of that DOM (style, layout, paint) and the two together.
 */
export async function sliderTicks(browser, n, ticks = 300, query = '', { readout = false, costs = false, dist = DIST } = {}) {
  return withPortfolio(browser, n, async (page) => {
    // The chart's readout showing: its cursor set with the keyboard, as a
    // presenter leaves it; every tick then reads every line there again.
    if (readout) {
      await page.locator('figure.chart svg').focus();
      await page.keyboard.press('ArrowRight');
      await page.locator('.readout-row').first().waitFor();
    }
    const result = await page.evaluate(async (ticks) => {
      const slider = document.querySelector('.price-row input[type=range]');
      const longTasks = [];
      const po = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
      po.observe({ type: 'longtask' });
      const min = Number(slider.min);
      const max = Number(slider.max);
      const step = Number(slider.step) || (max - min) / 200;
      const times = [];
      const renders = [];
      const totals = [];
      let value = Number(slider.value);
      let dir = 1;
      for (let i = 0; i < ticks; i++) {
        value += dir * step * 3;
        if (value > max || value < min) { dir = -dir; value += 2 * dir * step * 3; }
        const changed = new Promise((resolve) => {
          const mo = new MutationObserver(() => { mo.disconnect(); resolve(performance.now()); });
          mo.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
        });
        slider.value = String(value);
        const t0 = performance.now();
        slider.dispatchEvent(new Event('input', { bubbles: true }));
        const dom = (await changed) - t0;
        times.push(dom);
        // Let the frame be drawn, as it is between two moves of a real drag.
        // Style, layout and paint run on the main thread after the frame's
        // rAF callbacks and before the next task: the gap is their cost.
        let raf = 0;
        await new Promise((r) => requestAnimationFrame(() => { raf = performance.now(); setTimeout(r, 0); }));
        const render = performance.now() - raf;
        renders.push(render);
        totals.push(dom + render);
      }
      po.disconnect();
      const nodes = document.getElementsByTagName('*').length;
      return { times, renders, totals, longTasks, nodes };
    }, ticks);
    const sorted = [...result.times].sort((a, b) => a - b);
    const warm = result.times.slice(WARM_UP).sort((a, b) => a - b);
    const renders = [...result.renders].sort((a, b) => a - b);
    const totals = [...result.totals].sort((a, b) => a - b);
    return {
      positions: n,
      ticks,
      median: quantile(sorted, 0.5),
      p95: quantile(sorted, 0.95),
      max: sorted[sorted.length - 1],
      warmP95: quantile(warm, 0.95),
      renderMedian: quantile(renders, 0.5),
      renderP95: quantile(renders, 0.95),
      totalP95: quantile(totals, 0.95),
      longTasks: result.longTasks.length,
      longest: result.longTasks.length ? Math.max(...result.longTasks) : 0,
      nodes: result.nodes,
    };
  }, { query, costs, dist });
}

/**
 * Input event to updated DOM for `count` keystrokes in the first position's
 * size (a digit typed, then deleted), for a generated portfolio of `n` positions:
 * an edit checks and evaluates the whole scenario again, unlike a slider tick.
 */
export async function keystrokes(browser, n, count = 60) {
  return withPortfolio(browser, n, async (page) => {
    const times = await page.evaluate(async (count) => {
      const input = document.querySelector('#f-positions-0--qty');
      const base = input.value;
      const times = [];
      for (let i = 0; i < count; i++) {
        const changed = new Promise((resolve) => {
          const mo = new MutationObserver(() => { mo.disconnect(); resolve(performance.now()); });
          mo.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
        });
        input.value = i % 2 ? base : `${base}1`;
        const t0 = performance.now();
        input.dispatchEvent(new Event('input', { bubbles: true }));
        times.push((await changed) - t0);
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      }
      return times;
    }, count);
    const sorted = times.sort((a, b) => a - b);
    return { positions: n, count, median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted[sorted.length - 1] };
  });
}
