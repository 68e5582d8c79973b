// A CPU profile of slider ticks (for finding where a tick goes; not part of
// the suite): `node benches/browser/tick-profile.mjs <dist> [positions]`.
// Prints self and total time per function, per tick. Function names show
// when the build kept them (wasm-bindgen --keep-debug, wasm-opt -g).
// METRICS_ONLY=1 stops after the browser's time by kind; TRACE=1 prints
// instead the renderer's main thread by trace event (paint, pre-paint,
// layout, script) per tick, and which nodes each paint covered. CSS='…'
// adds a stylesheet first (to see what a part of the page costs by hiding it).
import { launch } from '../../tests/e2e/browser.mjs';
import { withPortfolio } from './app.mjs';

const dist = process.argv[2];
const n = Number(process.argv[3] ?? 50);
const TICKS = 300;
const browser = await launch();
try {
  await withPortfolio(browser, n, profile, { dist, bypassCSP: true });
} finally {
  await browser.close();
}

async function profile(page) {
  const tick = (ticks) => page.evaluate(async (ticks) => {
    const slider = document.querySelector('.price-row input[type=range]');
    const step = Number(slider.step) || 1;
    let value = Number(slider.value);
    let dir = 1;
    for (let i = 0; i < ticks; i++) {
      value += dir * step * 3;
      if (value > Number(slider.max) || value < Number(slider.min)) { dir = -dir; value += 6 * dir * step; }
      slider.value = String(value);
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    }
  }, ticks);
  // A stylesheet to add (to see what a part of the page costs by hiding it).
  if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
  await tick(40);
  const cdp = await page.context().newCDPSession(page);
  if (process.env.TRACE) return trace(cdp, tick);
  // The browser's own time by kind (style, layout, script), per tick.
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const m0 = await metrics();
  await tick(TICKS);
  const m1 = await metrics();
  for (const k of ['TaskDuration', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration', 'LayoutCount', 'RecalcStyleCount']) {
    const d = m1[k] - m0[k];
    console.log(`${k}: ${k.endsWith('Count') ? (d / TICKS).toFixed(2) : `${((d * 1000) / TICKS).toFixed(3)} ms`} per tick`);
  }
  if (process.env.METRICS_ONLY) return;
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  await tick(TICKS);
  const { profile } = await cdp.send('Profiler.stop');
  const byId = new Map(profile.nodes.map((nd) => [nd.id, nd]));
  const parent = new Map();
  for (const nd of profile.nodes) for (const c of nd.children ?? []) parent.set(c, nd.id);
  const dt = new Map();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map();
  const total = new Map();
  const name = (nd) => nd.callFrame.functionName || `(${nd.callFrame.url.split('/').pop()}:${nd.callFrame.lineNumber})`;
  for (const [id, us] of dt) {
    const nd = byId.get(id);
    self.set(name(nd), (self.get(name(nd)) ?? 0) + us);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const nm = name(byId.get(cur));
      if (seen.has(nm)) continue;
      seen.add(nm);
      total.set(nm, (total.get(nm) ?? 0) + us);
    }
  }
  const show = (title, m, k) => {
    console.log(`\n${title} (ms per tick)`);
    for (const [nm, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, k)) console.log(`${(us / 1000 / TICKS).toFixed(3).padStart(8)}  ${nm.slice(0, 150)}`);
  };
  // Under each function named in CHILDREN_OF (a part of its name): its callees' total time.
  if (process.env.CHILDREN_OF) {
    const under = new Map();
    for (const [id, us] of dt) {
      const chain = [];
      for (let cur = id; cur !== undefined; cur = parent.get(cur)) chain.push(name(byId.get(cur)));
      const k = chain.findIndex((nm) => nm.includes(process.env.CHILDREN_OF));
      if (k <= 0) continue;
      const key = `${chain[k].slice(-20)} -> ${chain[k - 1].slice(0, 110)}`;
      under.set(key, (under.get(key) ?? 0) + us);
    }
    show(`under ${process.env.CHILDREN_OF}`, under, 40);
  }
  show('self', self, 40);
  show("total", total, 400);
}

// The main thread's time by trace event, per tick. Events nest (a task holds
// its script, layout and paint; the document's paint holds <html>'s), so the
// lines do not add up.
async function trace(cdp, tick) {
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
    transferMode: 'ReportEvents',
  });
  await tick(TICKS);
  await cdp.send('Tracing.end');
  await done;
  // The renderer's main thread: the one that ran the ticks' script.
  const busy = new Map();
  for (const e of events) if (e.name === 'FunctionCall' && e.dur) busy.set(e.tid, (busy.get(e.tid) ?? 0) + e.dur);
  const main = [...busy].sort((a, b) => b[1] - a[1])[0]?.[0];
  const sum = new Map();
  for (const e of events) {
    if (e.tid === main && e.ph === 'X' && e.dur) sum.set(e.name, (sum.get(e.name) ?? 0) + e.dur);
  }
  console.log('main thread, ms per tick (nested events overlap)');
  for (const [k, us] of [...sum].sort((a, b) => b[1] - a[1]).slice(0, 14)) {
    console.log(`${(us / 1000 / TICKS).toFixed(3).padStart(8)}  ${k}`);
  }
  // Each node painted: where, and for how long.
  const paints = new Map();
  for (const e of events) {
    if (e.tid !== main || e.name !== 'Paint' || !e.dur) continue;
    const d = e.args?.data ?? {};
    const p = paints.get(d.nodeId) ?? { clip: d.clip, us: 0 };
    p.us += e.dur;
    paints.set(d.nodeId, p);
  }
  await cdp.send('DOM.enable');
  for (const [id, { clip, us }] of paints) {
    const node = await cdp.send('DOM.describeNode', { backendNodeId: id }).then((r) => r.node.nodeName, () => '?');
    console.log(`paint of ${node} (node ${id}, clip ${JSON.stringify(clip)}): ${(us / 1000 / TICKS).toFixed(3)} ms per tick`);
  }
}
