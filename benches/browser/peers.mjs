// Part 2 of the benchmark suite: opens benches/browser/peers.html in headless
// Chromium (served from the repository root) and returns its rows.
import { serve } from '../../tests/e2e/serve.mjs';
import { watchedPage } from '../../tests/e2e/browser.mjs';

export async function peers(browser) {
  const root = new URL('../../', import.meta.url).pathname;
  const server = await serve(root);
  try {
    const { page, context, problems } = await watchedPage(browser);
    await page.goto(`${server.url}benches/browser/peers.html`);
    await page.waitForFunction(() => window.results, null, { timeout: 600_000 });
    const results = await page.evaluate(() => window.results);
    await context.close();
    if (results.error || problems.length) throw new Error(results.error ?? problems.join('\n'));
    return results.rows;
  } finally {
    await server.close();
  }
}
