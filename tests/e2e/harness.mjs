// The end-to-end suites' runner: the release bundle in dist/ (or the one named) served on
// 127.0.0.1, one headless Chromium, tests run in order, `N passed, M failed`.
import { serve } from './serve.mjs';
import { launch } from './browser.mjs';

export async function suite(dist = new URL('../../dist/', import.meta.url).pathname) {
  const server = await serve(dist);
  const browser = await launch();
  const results = [];
  async function test(name, fn) {
    const t0 = Date.now();
    try {
      await fn();
      results.push([name, null]);
      console.log(`ok   ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      results.push([name, e]);
      console.log(`FAIL ${name}\n     ${String(e?.stack ?? e).split('\n').join('\n     ')}`);
    }
  }
  async function done() {
    await browser.close();
    await server.close();
    const failed = results.filter(([, e]) => e).length;
    console.log(`${results.length - failed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  }
  return { server, browser, test, done };
}
