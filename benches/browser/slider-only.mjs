// The 50-position slider alone, a few times over (for trying a change
// without the whole suite): `node benches/browser/slider-only.mjs [runs] [positions]`.
import { launch } from '../../tests/e2e/browser.mjs';
import { sliderTicks } from './app.mjs';

const runs = Number(process.argv[2] ?? 3);
const n = Number(process.argv[3] ?? 50);
const browser = await launch();
try {
  for (let i = 0; i < runs; i++) {
    const r = await sliderTicks(browser, n);
    console.log(`${n} positions: median ${r.median.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, p95 after warm-up ${r.warmP95.toFixed(2)} ms, rendered median / p95 ${r.renderMedian.toFixed(2)} / ${r.renderP95.toFixed(2)} ms, frame p95 ${r.totalP95.toFixed(2)} ms, DOM nodes ${r.nodes}`);
  }
} finally {
  await browser.close();
}
