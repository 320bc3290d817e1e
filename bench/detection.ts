/**
 * Detection on huge CRM grids (issue 3, DESIGN.md "Where it must be strong"): loads
 * /demo/grid?rows=1000 and ?rows=10000 (name, email, phone, date, amount, ID per row) in
 * Chromium with the e2e build, and prints per run:
 *   - on-screen: when the numbers visible at load had their buttons, from the load event;
 *   - all: when every number had its button;
 *   - the longest main-thread task while the extension worked (PerformanceObserver longtask),
 *     next to the page's own load task (the same page loaded where detection is off);
 *   - the bare text walk of the page (a TreeWalker over every text node) and the ratio of the
 *     extension's scan time (its busy slices) to it;
 *   - that nothing but the grid's numbers was decorated;
 *   - on the 1,000-row grid, the time to decorate 100 appended rows;
 *   - the content script's size, raw and gzipped.
 * Timings are printed, never asserted. Runs use the User Timing marks the e2e build's content
 * script sets (crm-companion:start, :on-screen, :scanned, :committed).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { gridNumber } from '../sandbox/demo/grid.ts';
import { startSandbox, type Sandbox } from '../sandbox/server.ts';
import type { Bench } from './run.ts';

const EXTENSION_DIR = join(import.meta.dirname, '../.output/chrome-mv3-e2e');
/** Printed for its size when present (`npm run build`). */
const PRODUCTION_DIR = join(import.meta.dirname, '../.output/chrome-mv3');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES = [1_000, 10_000];
const APPEND_ROUNDS = 5;
const BARE_HOST = 'http://grid.invalid';
// As in lib/sites.ts, which cannot be imported here (it loads the extension API polyfill).
const CONTENT_SCRIPT_ID = 'crm-number-detection';
const CONTENT_SCRIPT_FILE = 'content-scripts/content.js';

// Runs in the page's own world before anything else: long tasks and the moment each button
// first appears (floating or inline), seen by the page's own MutationObserver.
const PAGE_PROBE = `
window.__bench = { long: [], firstSeen: Object.create(null), count: 0, waiters: [] };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__bench.long.push([e.startTime, e.duration]);
}).observe({ type: 'longtask', buffered: true });
new MutationObserver((records) => {
  const now = performance.now();
  const b = window.__bench;
  for (const r of records) for (const n of r.addedNodes) {
    if (n.nodeType !== 1 || n.tagName !== 'CRM-COMPANION-NUMBER') continue;
    const key = n.getAttribute('data-e164');
    if (!(key in b.firstSeen)) { b.firstSeen[key] = now; b.count += 1; }
  }
  b.waiters = b.waiters.filter((w) => (b.count >= w.count ? (w.resolve(now), false) : true));
}).observe(document, { childList: true, subtree: true });
`;

interface RunFigures {
  rows: number;
  onScreenCount: number;
  onScreenMs: number;
  allMs: number;
  committedMs: number;
  longestExtensionTask: number;
  extensionTasks: number[];
  pageLoadTask: number;
  bareLoadTask: number;
  scanBusyMs: number;
  scanSlices: number;
  walkMs: number;
  decorated: number;
  unexpected: number;
  missing: number;
  appendDecoratedMs?: number[];
  appendPaintedMs?: number[];
}

async function launch(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    headless: true,
    executablePath: CHROMIUM,
    viewport: { width: 1280, height: 800 },
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Waits until the extension has registered detection for the loopback hosts (at install). */
async function waitForRegistration(context: BrowserContext): Promise<void> {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  for (let i = 0; i < 200; i += 1) {
    const scripts = await worker.evaluate(
      async (id) => (await chrome.scripting.getRegisteredContentScripts({ ids: [id] })).map((s) => s.js?.[0]),
      CONTENT_SCRIPT_ID,
    );
    if (scripts[0] === CONTENT_SCRIPT_FILE) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('detection was never registered for the loopback hosts');
}

async function longTasksOf(page: Page): Promise<number[][]> {
  return page.evaluate('window.__bench.long');
}

/** The page's own load task: the same grid where detection is off (another host name). */
async function bareLoadTask(context: BrowserContext, sandbox: Sandbox, rows: number): Promise<number> {
  const page = await context.newPage();
  await page.route(`${BARE_HOST}/**`, async (route) => {
    const url = new URL(route.request().url());
    const response = await fetch(`${sandbox.url}${url.pathname}${url.search}`);
    await route.fulfill({ status: response.status, contentType: 'text/html; charset=utf-8', body: await response.text() });
  });
  await page.addInitScript(PAGE_PROBE);
  await page.goto(`${BARE_HOST}/demo/grid?rows=${rows}`, { waitUntil: 'load' });
  await page.waitForFunction('performance.now() > 0 && document.readyState === "complete"');
  // Let the first frame render so its layout task is in the list.
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)))');
  const longest = Math.max(0, ...(await longTasksOf(page)).map(([, d]) => d!));
  await page.close();
  return longest;
}

async function measureRun(context: BrowserContext, sandbox: Sandbox, rows: number): Promise<RunFigures> {
  const bare = await bareLoadTask(context, sandbox, rows);
  const page = await context.newPage();
  await page.addInitScript(PAGE_PROBE);
  await page.goto(`${sandbox.url}/demo/grid?rows=${rows}`, { waitUntil: 'load' });
  // Every row's number decorated, inline (the floating ones have moved into the grid).
  await page.waitForFunction(
    (n) => document.querySelectorAll('td.phone crm-companion-number').length >= n && performance.getEntriesByName('crm-companion:committed').length > 0,
    rows,
    { timeout: 120_000, polling: 100 },
  );
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100)))');

  const result = (await page.evaluate(`(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const mark = (name) => performance.getEntriesByName(name)[0];
    const start = mark('crm-companion:start');
    const scanned = mark('crm-companion:scanned');
    const committed = mark('crm-companion:committed');
    const seen = window.__bench.firstSeen;
    // The numbers on screen at load: their text is inside the viewport (the page never
    // scrolled, and buttons do not change row heights).
    const onScreen = [...document.querySelectorAll('#grid td.phone')].filter((td) => {
      const range = document.createRange();
      range.selectNodeContents(td.firstChild);
      const r = range.getBoundingClientRect();
      return r.bottom > 0 && r.top < innerHeight;
    }).map((td) => td.querySelector('crm-companion-number')?.getAttribute('data-e164'));
    const walk = () => {
      const t = performance.now();
      const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      let chars = 0;
      while (w.nextNode()) chars += w.currentNode.data.length;
      return [performance.now() - t, chars];
    };
    const walks = [walk(), walk(), walk()].map((w) => w[0]);
    return {
      loadEnd: nav.loadEventEnd,
      start: start ? start.startTime : NaN,
      scanDetail: scanned ? scanned.detail : null,
      committedAt: committed ? committed.startTime : NaN,
      onScreen,
      onScreenTimes: onScreen.map((k) => seen[k]),
      allTimes: Object.values(seen),
      long: window.__bench.long,
      walkMs: Math.min(...walks),
      decorated: [...document.querySelectorAll('crm-companion-number')].map((h) => h.getAttribute('data-e164')),
    };
  })()`)) as {
    loadEnd: number;
    start: number;
    scanDetail: { busyMs: number; slices: number } | null;
    committedAt: number;
    onScreen: (string | null)[];
    onScreenTimes: number[];
    allTimes: number[];
    long: [number, number][];
    walkMs: number;
    decorated: (string | null)[];
  };

  const expected = new Set(Array.from({ length: rows }, (_, i) => gridNumber(i)));
  const decorated = new Set(result.decorated.filter((d): d is string => d !== null));
  const extensionTasks = result.long.filter(([startTime]) => startTime + 1 >= result.start).map(([, d]) => d);
  const pageTasks = result.long.filter(([startTime]) => startTime + 1 < result.start).map(([, d]) => d);
  const figures: RunFigures = {
    rows,
    onScreenCount: result.onScreen.length,
    onScreenMs: Math.max(...result.onScreenTimes) - result.loadEnd,
    allMs: Math.max(...result.allTimes) - result.loadEnd,
    committedMs: result.committedAt - result.loadEnd,
    longestExtensionTask: Math.max(0, ...extensionTasks),
    extensionTasks,
    pageLoadTask: Math.max(0, ...pageTasks),
    bareLoadTask: bare,
    scanBusyMs: result.scanDetail?.busyMs ?? NaN,
    scanSlices: result.scanDetail?.slices ?? NaN,
    walkMs: result.walkMs,
    decorated: result.decorated.length,
    unexpected: [...decorated].filter((d) => !expected.has(d)).length,
    missing: [...expected].filter((e) => !decorated.has(e)).length,
  };

  if (rows === 1_000) {
    figures.appendDecoratedMs = [];
    figures.appendPaintedMs = [];
    for (let round = 1; round <= APPEND_ROUNDS; round += 1) {
      const [decoratedMs, paintedMs] = (await page.evaluate(`(async () => {
        const b = window.__bench;
        const target = b.count + 100;
        const t0 = performance.now();
        const decorated = new Promise((resolve) => b.waiters.push({ count: target, resolve }));
        window.grid.appendRows(100);
        const t1 = await decorated;
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return [t1 - t0, performance.now() - t0];
      })()`)) as [number, number];
      figures.appendDecoratedMs.push(decoratedMs);
      figures.appendPaintedMs.push(paintedMs);
    }
  }
  await page.close();
  return figures;
}

const ms = (n: number) => (Number.isFinite(n) ? `${Math.round(n)} ms` : 'n/a');
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

function printRun(f: RunFigures, run: number): void {
  const ratio = f.longestExtensionTask / f.bareLoadTask;
  const task = (n: number) => (n > 0 ? ms(n) : 'none over 50 ms');
  console.log(
    [
      `  run ${run}: ${f.rows.toLocaleString('en-US')} rows`,
      `    on screen (${f.onScreenCount} numbers) decorated ${ms(f.onScreenMs)} after load; all ${f.decorated.toLocaleString('en-US')} decorated ${ms(f.allMs)} after load (inline batch at ${ms(f.committedMs)})`,
      `    longest task while the extension worked: ${task(f.longestExtensionTask)}; the page's own load task: ${task(f.bareLoadTask)}${f.bareLoadTask > 0 ? ` (ratio ×${ratio.toFixed(2)})` : ''}; extension long tasks: [${f.extensionTasks.map((t) => Math.round(t)).join(', ')}]`,
      `    scan busy ${ms(f.scanBusyMs)} in ${f.scanSlices} idle slices; bare text walk ${f.walkMs.toFixed(1)} ms; ratio ×${(f.scanBusyMs / f.walkMs).toFixed(1)}`,
      `    decorated ${f.decorated} (expected ${f.rows}, unexpected ${f.unexpected}, missing ${f.missing})`,
      ...(f.appendDecoratedMs
        ? [
            `    100 appended rows decorated in [${f.appendDecoratedMs.map((t) => t.toFixed(1)).join(', ')}] ms, painted in [${f.appendPaintedMs!.map((t) => Math.round(t)).join(', ')}] ms`,
          ]
        : []),
    ].join('\n'),
  );
}

async function run(): Promise<void> {
  for (const [build, dir] of [
    ['e2e build (benchmarked)', EXTENSION_DIR],
    ['production build', PRODUCTION_DIR],
  ] as const) {
    const script = await readFile(join(dir, CONTENT_SCRIPT_FILE)).catch(() => undefined);
    if (!script) continue;
    console.log(
      `content script, ${build}: ${(script.length / 1024).toFixed(1)} KiB raw, ${(gzipSync(script).length / 1024).toFixed(1)} KiB gzipped`,
    );
  }
  const sandbox = await startSandbox();
  const profile = await mkdtemp(join(tmpdir(), 'crm-companion-bench-'));
  const context = await launch(profile);
  try {
    await waitForRegistration(context);
    for (const rows of SIZES) {
      const runs: RunFigures[] = [];
      for (let i = 1; i <= RUNS; i += 1) {
        const figures = await measureRun(context, sandbox, rows);
        printRun(figures, i);
        runs.push(figures);
      }
      const m = (pick: (f: RunFigures) => number) => ms(median(runs.map(pick)));
      console.log(
        `  median of ${runs.length}, ${rows.toLocaleString('en-US')} rows: on screen ${m((f) => f.onScreenMs)}, all ${m((f) => f.allMs)}, longest extension task ${m((f) => f.longestExtensionTask)} vs page load task ${m((f) => f.bareLoadTask)}, scan busy ${m((f) => f.scanBusyMs)} vs text walk ${median(runs.map((f) => f.walkMs)).toFixed(1)} ms` +
          (rows === 1_000 ? `, 100 appended rows ${median(runs.flatMap((f) => f.appendDecoratedMs ?? [])).toFixed(1)} ms (painted ${m((f) => median(f.appendPaintedMs ?? []))})` : ''),
      );
    }
  } finally {
    await context.close();
    await sandbox.close();
    await rm(profile, { recursive: true, force: true });
  }
}

export const detectionBench: Bench = { name: 'detection', build: 'e2e', run };
