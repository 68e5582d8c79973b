// The benchmark suite's browser half, and the report: reads the native
// criterion results (target/criterion), runs the peers, the slider and the
// load in headless Chromium, prints one table per part and writes them all
// to target/bench/report.md. Never fails a build: it measures.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { launch } from '../../tests/e2e/browser.mjs';
import { peers } from './peers.mjs';
import { bundle, firstLoad, sliderTicks, keystrokes, WARM_UP } from './app.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const out = [];
const say = (line = '') => { console.log(line); out.push(line); };
const ms = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const us = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(1)} µs`);
const table = (head, rows) => {
  say(`| ${head.join(' | ')} |`);
  say(`|${head.map(() => '---').join('|')}|`);
  for (const r of rows) say(`| ${r.join(' | ')} |`);
  say();
};

say(`# Marginscope benchmarks (${new Date().toISOString().slice(0, 10)})`);
say();
say('## 1. Engine, native (criterion, median per call)');
say();
for (const group of ['evaluate', 'evaluate_view_as_given', 'uniform_move_threshold']) {
  const rows = [];
  let prev = null;
  for (const n of [1, 10, 100, 1000, 10000]) {
    const file = `${ROOT}target/criterion/${group}/${n}/new/estimates.json`;
    if (!existsSync(file)) continue;
    const t = JSON.parse(readFileSync(file, 'utf8')).median.point_estimate;
    rows.push([n, us(t), `${ms(t / n / 1e3)} µs`, prev ? `×${(t / prev).toFixed(1)}` : '']);
    prev = t;
  }
  say(`\`${group}\``);
  say();
  table(['positions', 'time', 'per position', 'vs. 10× fewer'], rows);
}

const browser = await launch();
try {
  say('## 2. Engine in Chromium: wasm through the JS API against JavaScript peers (median per call; answers checked first)');
  say();
  const p = await peers(browser);
  table(['positions', 'wasm (JS API)', 'decimal.js', 'numbers', 'decimal.js ÷ wasm', 'wasm ÷ numbers'],
    p.map((r) => [r.positions, `${ms(r.wasm)} ms`, `${ms(r.decimal)} ms`, `${ms(r.number)} ms`,
      `${(r.decimal / r.wasm).toFixed(1)}×`, `${(r.wasm / r.number).toFixed(1)}×`]));

  say('## 3. The slider: input event to updated DOM, charts on (300 ticks)');
  say();
  const rows = [];
  for (const n of [5, 50, 500]) {
    const r = await sliderTicks(browser, n, 300);
    rows.push([n, `${ms(r.median)} ms`, `${ms(r.p95)} ms`, `${ms(r.max)} ms`, `${ms(r.warmP95)} ms`,
      `${ms(r.renderMedian)} / ${ms(r.renderP95)} ms`, `${ms(r.totalP95)} ms`,
      `${r.longTasks}${r.longTasks ? ` (longest ${ms(r.longest)} ms)` : ''}`, r.nodes]);
  }
  table(['positions', 'median', 'p95', 'max', `p95 after the first ${WARM_UP} ticks`, 'then rendered: median / p95',
    'tick and rendering, p95', 'long tasks (> 50 ms)', 'DOM nodes'], rows);
  say(`The first ticks of a page's first drag run on V8's baseline wasm code until its optimising tier has compiled the hot functions; the fifth column leaves those ${WARM_UP} out (the other columns do not).`);
  say();
  say('"Then rendered" is the browser\'s own work on the updated DOM (style, layout, paint), timed from the frame\'s requestAnimationFrame callback to the next task; with the tick before it, it is what one frame of a drag costs the main thread (the wait for the display is left out).');
  say();

  say('Typing in the editor (a digit typed in the first position\'s size, then deleted; input event to updated DOM, 60 keystrokes): every edit checks and evaluates the whole scenario again.');
  say();
  const keys = [];
  for (const n of [5, 50, 500]) {
    const r = await keystrokes(browser, n, 60);
    keys.push([n, `${ms(r.median)} ms`, `${ms(r.p95)} ms`, `${ms(r.max)} ms`]);
  }
  table(['positions', 'median', 'p95', 'max'], keys);

  say('## 4. First load (release build in dist/)');
  say();
  const files = bundle();
  const sum = (k) => files.reduce((a, f) => a + f[k], 0);
  table(['file', 'raw', 'gzip -9', 'brotli -11'], [
    ...files.map((f) => [f.file.replace(/-[0-9a-f]{16}/, ''), f.raw, f.gzip, f.brotli]),
    ['**total**', sum('raw'), sum('gzip'), sum('brotli')],
  ]);
  const load = await firstLoad(browser);
  say(`Navigation to the first interactive slider on 127.0.0.1: median ${ms(load.median)} ms, worst ${ms(load.max)} ms (${load.runs} cold loads).`);
  say();
} finally {
  await browser.close();
}
mkdirSync(`${ROOT}target/bench`, { recursive: true });
writeFileSync(`${ROOT}target/bench/report.md`, `${out.join('\n')}\n`);
console.log('written to target/bench/report.md');
