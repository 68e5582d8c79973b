// The first-load check: what a first visit to the app's page costs on the
// wire. Serves the release build in dist/, opens the page in headless
// Chromium, waits for the service worker to be installed and the network to
// go quiet, and weighs every file the server sent (each once, gzip -9 and
// brotli -11). Prints a table and the total against the budget's line, and
// fails when the total is above CEILING, or when the page asks for a file the
// build does not have.
//
// The line is the budget's (docs/performance.md, "First load"); the ceiling
// is what the app weighs today, so that it never grows unseen: raising it is
// a decision made in the commit that needs it, and lowering it follows every
// change that makes the app smaller.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { serve } from './serve.mjs';
import { launch } from './browser.mjs';

/** The budget's line for a first visit, gzip. */
export const LINE = 250_000;
/** What this check enforces, gzip: today's weight and a little room. */
export const CEILING = 439_000;

/** Every file a first visit fetches, with its size raw, gzip -9 and brotli -11. */
export async function firstVisit(dist, browser) {
  const served = [];
  const server = await serve(dist, { served });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(server.url);
    await page.locator('.panels').waitFor();
    // Resolves once the service worker has installed (cached its files) and activated.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.waitForLoadState('networkidle');
  } finally {
    await context.close();
    await server.close();
  }
  const files = [...new Set(served.map((p) => p.replace(/^[/\\]+/, '')))].sort();
  return files.map((file) => {
    const path = join(dist, file);
    if (!existsSync(path)) return { file, missing: true, raw: 0, gzip: 0, brotli: 0 };
    const body = readFileSync(path);
    return {
      file,
      raw: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
      brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dist = new URL('../../dist/', import.meta.url).pathname;
  const browser = await launch();
  let files;
  try {
    files = await firstVisit(dist, browser);
  } finally {
    await browser.close();
  }
  const total = (k) => files.reduce((a, f) => a + f[k], 0);
  const row = (cells) => console.log(cells.map((c, i) => (i ? String(c).padStart(12) : String(c).padEnd(44))).join(''));
  console.log('First visit to the app (release build in dist/): every file the server sent');
  row(['file', 'raw', 'gzip -9', 'brotli -11']);
  for (const f of files) row([f.missing ? `${f.file} (NOT IN THE BUILD)` : f.file, f.raw, f.gzip, f.brotli]);
  row(['total', total('raw'), total('gzip'), total('brotli')]);
  const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
  const gzip = total('gzip');
  console.log(`first load ${kb(gzip)} gzip; the budget's line ${kb(LINE)}: ${gzip <= LINE ? 'met' : 'missed'}; this check's ceiling ${kb(CEILING)}`);
  const missing = files.filter((f) => f.missing).map((f) => f.file);
  if (missing.length) {
    console.error(`the page asked for files the build does not have: ${missing.join(', ')}`);
    process.exit(1);
  }
  if (gzip > CEILING) {
    console.error(`the first load grew to ${kb(gzip)}, above the ceiling of ${kb(CEILING)}: make it smaller, or raise the ceiling in tests/e2e/first-load.mjs and say why in docs/performance.md`);
    process.exit(1);
  }
}
