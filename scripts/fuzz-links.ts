// Share links fuzzed: numbers, not a test (src/core/config/link.test.ts holds the property as a test over 3000).
//  1. N generated links, hostile ones included, through the page's link reader: none may throw,
//     leave the settings table, pollute a prototype or produce a long notice; the link the page
//     writes back must parse with no problem to the same state, be a fixed point and stay under
//     16 KB (a server refuses longer ones).
//  2. Optionally, the first K of them opened in the built page in headless Chromium: no page
//     error, no injected script run, and the address bar ends on a link that reads clean.
//   npx tsx scripts/fuzz-links.ts [links, default 10000] [seed, default 1] [in the page, default 0; needs npm run build]

import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { parseConfig } from '../src/core/config/parse';
import { createRandom } from '../src/core/random';
import { randomLink } from '../src/core/config/randomLink';
import { linkContentOf as shown, linkQuery, readLink } from '../src/core/config/link';

const count = Number(process.argv[2] ?? 10_000);
const seed = Number(process.argv[3] ?? 1);
const inPage = Number(process.argv[4] ?? 0);

const r = createRandom(seed, 'links');
const links: string[] = [];
const failures: string[] = [];
let repaired = 0, threw = 0, outsideSchema = 0, longestNotice = 0, longestLink = 0, longestWritten = 0;
const t0 = performance.now();
for (let i = 0; i < count; i++) {
  const link = randomLink(r);
  links.push(link);
  longestLink = Math.max(longestLink, link.length);
  try {
    const first = readLink(link);
    if (first.problems.length) repaired++;
    longestNotice = Math.max(longestNotice, first.problems.join('; ').length);
    if (parseConfig(first.config).problems.length) outsideSchema++;
    const written = linkQuery(shown(first));
    longestWritten = Math.max(longestWritten, written.length);
    const second = readLink(`?${written}`);
    const why = second.problems.length ? `repaired again: ${second.problems[0]}`
      : !isDeepStrictEqual(shown(second), shown(first)) ? 'parses to another state'
        : linkQuery(shown(second)) !== written ? 'not a fixed point'
          : written.length >= 16_000 ? `${written.length} characters` : '';
    if (why) failures.push(`${link.slice(0, 120)}: ${why}`);
  } catch (err) {
    threw++;
    failures.push(`${link.slice(0, 120)}: threw ${err instanceof Error ? err.message : err}`);
  }
}
const polluted = Object.keys(Object.prototype).length > 0 || 'polluted' in {};
console.log(`1. ${count} generated links (seed ${seed}) through the link reader in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
console.log(`   repaired ${repaired}; threw ${threw}; config outside the settings table ${outsideSchema}; prototype polluted: ${polluted}`);
console.log(`   links that did not round-trip (written back: zero problems, same state, a fixed point, < 16 KB): ${failures.length}`);
for (const f of failures.slice(0, 10)) console.log(`     ${f}`);
console.log(`   longest link read ${longestLink} characters; longest written back ${longestWritten}; longest notice ${longestNotice} characters`);

if (inPage > 0) {
  const port = 4182;
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  let pageErrors = 0, injected = 0, notClean = 0;
  const problems: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => { pageErrors++; problems.push(`page error: ${e.message.slice(0, 100)}`); });
    await page.addInitScript(() => { (window as unknown as { injected: number }).injected = 0; });
    for (const link of links.slice(0, inPage)) {
      await page.goto(`http://127.0.0.1:${port}/${link}`);
      await page.locator('#root > *').first().waitFor(); // rendered, in whichever view or mode the link asks for
      await page.waitForTimeout(300); // the link is rewritten once the controller starts
      if (await page.evaluate(() => (window as unknown as { injected: number }).injected !== 0 || document.querySelector('script:not([src])') !== null)) injected++;
      const written = new URL(page.url()).search;
      if (readLink(written).problems.length) { notClean++; problems.push(`${link.slice(0, 80)} -> ${written.slice(0, 80)}`); }
    }
  } finally {
    await browser.close();
    try { process.kill(-server.pid!); } catch { /* the preview server has already gone */ }
  }
  console.log(`2. the first ${inPage} in the built page: page errors ${pageErrors}; injected scripts run ${injected}; address bar links that do not read clean ${notClean}`);
  for (const p of problems.slice(0, 10)) console.log(`     ${p}`);
}
