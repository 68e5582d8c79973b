// Part 2 of the benchmark suite: opens benches/browser/peers.html in headless
// Chromium (served from the repository root) and returns its rows.
import { serve } from '../../tests/e2e/serve.mjs';

export async function peers(browser) {
  const root = new URL('../../', import.meta.url).pathname;
  const server = await serve(root);
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${server.url}benches/browser/peers.html`);
    await page.waitForFunction(() => window.results, null, { timeout: 600_000 });
    const results = await page.evaluate(() => window.results);
    await page.close();
    if (results.error || errors.length) throw new Error(results.error ?? errors.join('\n'));
    return results.rows;
  } finally {
    await server.close();
  }
}
