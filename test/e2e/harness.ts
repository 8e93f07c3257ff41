import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.ts';
import { ROOT, startServerProcess } from '../serverProcess.ts';

/**
 * The real server on a free port and headless Chromium, for browser tests.
 * The client must be built first (`pnpm test` does that).
 */

/** Where browser tests save their screenshots. */
export const SHOTS = resolve(ROOT, 'test-results/e2e');
/** A running server and browser. */
export interface E2E {
  /** The server's http origin. */
  base: string;
  /** Page errors and console errors seen so far; a test expects none. */
  problems: string[];
  /** A new browser context (own storage) of this viewport, opened at `base`; `touch` for a phone's touch screen. */
  openPage(width: number, height: number, name: string, touch?: boolean): Promise<Page>;
  /** Kills the server with SIGKILL (a crash) and starts it again on the same port and data directory. */
  crashAndRestart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the server (production mode, built client, `env` added to its environment) and Chromium. */
export async function startE2E(options: { env?: Record<string, string> } = {}): Promise<E2E> {
  mkdirSync(SHOTS, { recursive: true });
  let server = await startServerProcess({ env: options.env ?? {} });
  const base = server.base;
  const executablePath = findChromium();
  // `pnpm test` installs Chromium first (scripts/ensure-chromium.ts); a browser test is never skipped.
  if (!executablePath)
    throw new Error('no Chromium found: run `pnpm test`, or install chromium / set CHROMIUM_PATH');
  const browser: Browser = await chromium.launch({
    executablePath,
    args: CHROMIUM_ARGS,
  });
  const problems: string[] = [];

  const openPage = async (width: number, height: number, name: string, touch = false): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width, height }, hasTouch: touch });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => problems.push(`${name}: page error: ${e.message}`));
    page.on('console', (m) => {
      // Refused joins (wrong code, taken nickname) are provoked on purpose and shown in the form.
      const refusedJoin = m.location().url.includes('/matchmake/');
      if (m.type() === 'error' && !refusedJoin && !/GPU stall due to ReadPixels/.test(m.text()))
        problems.push(`${name}: console error: ${m.text()}`);
    });
    await page.goto(base);
    return page;
  };

  const stop = async () => {
    await browser.close();
    await server.stop();
  };
  const crashAndRestart = async () => {
    await server.kill9();
    server = await startServerProcess({ port: server.port, dataDir: server.dataDir, env: options.env ?? {} });
  };
  return { base, problems, openPage, crashAndRestart, stop };
}

/** The text of the element with `testid` ('' if it has none). */
export const text = async (page: Page, testid: string): Promise<string> =>
  (await page.getByTestId(testid).textContent()) ?? '';
