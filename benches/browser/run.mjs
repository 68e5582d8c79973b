// The benchmark suite's browser half, and the report: reads the native
// criterion results (target/criterion), runs the peers, the slider and the
// load in headless Chromium, prints one table per part and writes them all
// to target/bench/report.md. Never fails a build: it measures.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { launch } from '../../tests/e2e/browser.mjs';
import { peers } from './peers.mjs';
import { firstLoad, sliderTicks, keystrokes, WARM_UP } from './app.mjs';
import { firstVisit, LINE } from '../../tests/e2e/first-load.mjs';

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
// Median ns per call of each native group by size: the budget reads `evaluate`'s.
const native = {};
for (const group of ['evaluate', 'evaluate_view_as_given', 'uniform_move_threshold']) {
  const rows = [];
  let prev = null;
  native[group] = {};
  for (const n of [1, 10, 100, 1000, 10000]) {
    const file = `${ROOT}target/criterion/${group}/${n}/new/estimates.json`;
    if (!existsSync(file)) continue;
    const t = JSON.parse(readFileSync(file, 'utf8')).median.point_estimate;
    native[group][n] = t;
    rows.push([n, us(t), `${ms(t / n / 1e3)} µs`, prev ? `×${(t / prev).toFixed(1)}` : '']);
    prev = t;
  }
  say(`\`${group}\``);
  say();
  table(['positions', 'time', 'per position', 'vs. 10× fewer'], rows);
}

{
  // Where `evaluate`'s time goes at 1,000 positions (docs/performance.md reads it).
  const parts = [
    ['validate', 'reading and checking the scenario'],
    ['prepare', "each position's figures (`Prepared::new`)"],
    ['as_given', 'the view as given, alone'],
    ['all_cross', 'all-cross, alone'],
    ['all_isolated', 'all-isolated, alone'],
    ['all_portfolio', 'all-portfolio, alone'],
    ['report', 'the four views together (`Prepared::report`)'],
  ];
  const rows = [];
  for (const [id, what] of parts) {
    const file = `${ROOT}target/criterion/evaluate_parts/${id}/new/estimates.json`;
    if (existsSync(file)) rows.push([what, us(JSON.parse(readFileSync(file, 'utf8')).median.point_estimate)]);
  }
  if (rows.length) {
    say('`evaluate` of 1,000 positions, part by part');
    say();
    table(['part', 'time'], rows);
  }
}

const browser = await launch();
// What the budget is judged on, filled in part by part.
let p = [];
const slider = {};
let firstLoadGzip = null;
try {
  say('## 2. Engine in Chromium: wasm through the JS API against JavaScript peers (median per call; answers checked first)');
  say();
  p = await peers(browser);
  table(['positions', 'wasm (JS API)', 'decimal.js', 'numbers', 'decimal.js ÷ wasm', 'wasm ÷ numbers'],
    p.map((r) => [r.positions, `${ms(r.wasm)} ms`, `${ms(r.decimal)} ms`, `${ms(r.number)} ms`,
      `${(r.decimal / r.wasm).toFixed(1)}×`, `${(r.wasm / r.number).toFixed(1)}×`]));
  say();
  say('Prepared once (the JS API\'s `prepare`, and peers that also read the scenario once), each call at new prices:');
  say();
  table(['positions', 'wasm (prepared)', 'decimal.js (prepared)', 'numbers (prepared)', 'decimal.js ÷ wasm', 'wasm ÷ numbers'],
    p.map((r) => [r.positions, `${ms(r.preparedWasm)} ms`, `${ms(r.preparedDecimal)} ms`, `${ms(r.preparedNumber)} ms`,
      `${(r.preparedDecimal / r.preparedWasm).toFixed(1)}×`, `${(r.preparedWasm / r.preparedNumber).toFixed(1)}×`]));

  say('## 3. The slider: input event to updated DOM, charts on (300 ticks)');
  say();
  const rows = [];
  for (const n of [5, 50, 500]) {
    const r = await sliderTicks(browser, n, 300);
    slider[n] = r;
    rows.push([n, `${ms(r.median)} ms`, `${ms(r.p95)} ms`, `${ms(r.max)} ms`, `${ms(r.warmP95)} ms`,
      `${ms(r.renderMedian)} / ${ms(r.renderP95)} ms`, `${ms(r.totalP95)} ms`,
      `${r.longTasks}${r.longTasks ? ` (longest ${ms(r.longest)} ms)` : ''}`, r.nodes]);
  }
  {
    // The same drag with the chart's readout showing (the phone's summary
    // is drawn in every row: a narrow screen only shows it).
    for (const [label, options] of [['50, readout on', { readout: true }], ['50, fees and funding, held 30 days', { costs: true }]]) {
      const r = await sliderTicks(browser, 50, 300, '', options);
      slider[label] = r;
      rows.push([label, `${ms(r.median)} ms`, `${ms(r.p95)} ms`, `${ms(r.max)} ms`, `${ms(r.warmP95)} ms`,
        `${ms(r.renderMedian)} / ${ms(r.renderP95)} ms`, `${ms(r.totalP95)} ms`,
        `${r.longTasks}${r.longTasks ? ` (longest ${ms(r.longest)} ms)` : ''}`, r.nodes]);
    }
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
  // Every file the server sends on a first visit (the check in the test
  // command weighs the same files).
  const files = await firstVisit(`${ROOT}dist/`, browser);
  const sum = (k) => files.reduce((a, f) => a + f[k], 0);
  table(['file', 'raw', 'gzip -9', 'brotli -11'], [
    ...files.map((f) => [f.file.replace(/-[0-9a-f]{16}/, ''), f.raw, f.gzip, f.brotli]),
    ['**total**', sum('raw'), sum('gzip'), sum('brotli')],
  ]);
  firstLoadGzip = sum('gzip');
  const load = await firstLoad(browser);
  say(`Navigation to the first interactive slider on 127.0.0.1: median ${ms(load.median)} ms, worst ${ms(load.max)} ms (${load.runs} cold loads).`);
  say();
} finally {
  await browser.close();
}
budget();
mkdirSync(`${ROOT}target/bench`, { recursive: true });
writeFileSync(`${ROOT}target/bench/report.md`, `${out.join('\n')}\n`);
console.log('written to target/bench/report.md');

// The budget (issue 27) against this run's figures: one line a target, met or
// missed. Measured, never enforced: a missed target does not fail the run.
function budget() {
  say('## The budget, against this run');
  say();
  const rows = [];
  const line = (target, figure, met) =>
    rows.push([target, figure, met === null ? 'not measured' : met ? 'met' : '**missed**']);
  const e = native.evaluate ?? {};
  line('`evaluate`, 1,000 positions, native: at most 1.5 ms', e[1000] ? us(e[1000]) : '—',
    e[1000] ? e[1000] <= 1.5e6 : null);
  // Growth: O(n log n) from crossing tier breakpoints is accepted; the time
  // a position at 10,000 positions is at most 2.5× the time a position at 1,000.
  const growth = e[1000] && e[10000] ? (e[10000] / 10000) / (e[1000] / 1000) : null;
  line('`evaluate` per position, 10,000 against 1,000: at most 2.5×', growth ? `${growth.toFixed(2)}×` : '—',
    growth ? growth <= 2.5 : null);
  for (const r of p) {
    const size = `${r.positions.toLocaleString('en')} position${r.positions > 1 ? 's' : ''}`;
    // Two places: a ratio of 1.46 and one of 1.54 both round to "1.5×".
    line(`JS API prepared, ${size}: at least 10× faster than decimal.js (prepared)`,
      `${(r.preparedDecimal / r.preparedWasm).toFixed(2)}×`, r.preparedDecimal / r.preparedWasm >= 10);
    line(`JS API prepared, ${size}: within 1.5× of plain numbers (prepared)`,
      `${(r.preparedWasm / r.preparedNumber).toFixed(2)}×`, r.preparedWasm / r.preparedNumber <= 1.5);
    if (r.positions >= 10) {
      line(`JS API, ${size}: at least 10× faster than decimal.js`, `${(r.decimal / r.wasm).toFixed(2)}×`, r.decimal / r.wasm >= 10);
      line(`JS API, ${size}: within 3× of plain numbers`, `${(r.wasm / r.number).toFixed(2)}×`, r.wasm / r.number <= 3);
    }
  }
  // The 50-position line is judged after the first WARM_UP ticks, which run
  // before V8 has optimised the wasm; the 500-position line on every tick.
  for (const [n, limit, warm] of [[50, 4, true], [500, 16, false]]) {
    const r = slider[n];
    const p95 = r && (warm ? r.warmP95 : r.p95);
    line(`Slider tick p95${warm ? ` after the first ${WARM_UP} ticks` : ''}, ${n} positions: under ${limit} ms`,
      r ? `${ms(p95)} ms` : '—', r ? p95 < limit : null);
  }
  const drags = Object.values(slider);
  const long = drags.reduce((a, r) => a + r.longTasks, 0);
  line('No long task (over 50 ms) during a drag', drags.length ? `${long}` : '—', drags.length ? long === 0 : null);
  line(`First load: at most ${LINE / 1000} KB gzip`, firstLoadGzip === null ? '—' : `${(firstLoadGzip / 1000).toFixed(1)} KB`,
    firstLoadGzip === null ? null : firstLoadGzip <= LINE);
  table(['target', 'this run', 'verdict'], rows);
  say('Why each missed target is missed, and what meeting it would take: [docs/performance.md](../../docs/performance.md).');
  say();
}
