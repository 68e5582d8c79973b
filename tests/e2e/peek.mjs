// Scratch: screenshots of a URL query at a few sizes (not part of the suite).
import { serve } from './serve.mjs';
import { launch, watchedPage, asTallAsThePage } from './browser.mjs';
const [dist, query, out, ...sizes] = process.argv.slice(2);
const server = await serve(dist);
const browser = await launch();
for (const size of sizes) {
  const [w, h, scheme] = size.split('x');
  const { page, context, problems } = await watchedPage(browser, { viewport: { width: +w, height: +h }, colorScheme: scheme ?? 'light' });
  await page.goto(server.url + query);
  await page.locator('.panels').waitFor();
  await page.waitForTimeout(300);
  if (process.env.SEL) await asTallAsThePage(page, async () => {
    for (const [i, sel] of process.env.SEL.split('|').entries()) await page.locator(sel).first().screenshot({ path: `${out}-${size}-${i}.png` });
  });
  else if (process.env.FULL) await asTallAsThePage(page, () => page.screenshot({ path: `${out}-${size}.png` }));
  else await page.screenshot({ path: `${out}-${size}.png` });
  if (problems.length) console.log(size, problems);
  await context.close();
}
await browser.close();
await server.close();
