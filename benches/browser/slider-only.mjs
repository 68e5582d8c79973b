// The 50-position slider alone, a few times over (for trying a change
// without the whole suite):
//   node benches/browser/slider-only.mjs [runs] [positions] [query]
// DIST=<dir> measures another build than dist/; AGAINST=<dir> measures a
// second build too, run for run in turn with the first (this host's noise
// drifts over minutes, so two builds are compared only side by side), and
// prints each build's mean at the end. The query (`?show=prices,cross`)
// measures the page with only some parts (keep `editor` among them: the
// portfolio counts as loaded when the editor has drawn its positions).
import { join } from 'node:path';
import { launch } from '../../tests/e2e/browser.mjs';
import { sliderTicks } from './app.mjs';

const runs = Number(process.argv[2] ?? 3);
const n = Number(process.argv[3] ?? 50);
const query = process.argv[4] ?? '';
const root = new URL('../../', import.meta.url).pathname;
const builds = [process.env.DIST ?? join(root, 'dist'), process.env.AGAINST].filter(Boolean);
const seen = new Map(builds.map((b) => [b, []]));
const browser = await launch();
try {
  for (let i = 0; i < runs; i++) {
    for (const dist of builds) {
      const r = await sliderTicks(browser, n, 300, query, { dist });
      seen.get(dist).push(r);
      const who = builds.length > 1 ? `${dist}: ` : '';
      console.log(`${who}${n} positions: median ${r.median.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, p95 after warm-up ${r.warmP95.toFixed(2)} ms, rendered median / p95 ${r.renderMedian.toFixed(2)} / ${r.renderP95.toFixed(2)} ms, frame p95 ${r.totalP95.toFixed(2)} ms, DOM nodes ${r.nodes}`);
    }
  }
  if (builds.length > 1) {
    const mean = (rs, k) => (rs.reduce((s, r) => s + r[k], 0) / rs.length).toFixed(2);
    for (const [dist, rs] of seen) {
      console.log(`${dist}: mean of ${rs.length} runs: median ${mean(rs, 'median')} ms, p95 after warm-up ${mean(rs, 'warmP95')} ms, rendered median ${mean(rs, 'renderMedian')} ms`);
    }
  }
} finally {
  await browser.close();
}
