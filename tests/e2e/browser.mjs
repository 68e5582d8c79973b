// Launches Debian's Chromium through playwright-core (never a downloaded browser).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

export const SHOTS = new URL('../../target/screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A page that records every console error and page error, to assert none occurred.
export async function watchedPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { page, context, problems };
}

// The scenario the page shows as JSON (drawn only while its block is open).
export async function scenarioJson(page) {
  const block = page.locator('details.scenario-json');
  if ((await block.getAttribute('open')) === null) await block.locator('summary').click();
  return page.locator('#scenario-json').textContent();
}

// Runs `shoot` with the viewport as tall as the page, so that a full-page or
// element screenshot shows what a reader scrolling down sees: a capture
// beyond the viewport leaves out what the page skips off screen
// (`content-visibility: auto` on the editor's positions).
export async function asTallAsThePage(page, shoot) {
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  try {
    await shoot();
  } finally {
    await page.setViewportSize(viewport);
  }
}
