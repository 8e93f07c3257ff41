import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.ts';

/**
 * The real server on a free port and headless Chromium, for browser tests.
 * The client must be built first (`pnpm test` does that).
 */

const ROOT = resolve(import.meta.dirname, '../..');
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
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}

async function waitForHealth(server: ChildProcess, url: string, log: () => string, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`server exited early:\n${log()}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not become healthy in ${timeoutMs} ms:\n${log()}`);
}

/** Starts the server (production mode, built client) and Chromium. */
export async function startE2E(): Promise<E2E> {
  mkdirSync(SHOTS, { recursive: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let serverLog = '';
  const server = spawn(process.execPath, ['packages/server/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (d) => {
    serverLog += d;
  });
  server.stderr?.on('data', (d) => {
    serverLog += d;
  });
  await waitForHealth(server, base, () => serverLog, 20_000);
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
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
  };
  return { base, problems, openPage, stop };
}

/** The text of the element with `testid` ('' if it has none). */
export const text = async (page: Page, testid: string): Promise<string> =>
  (await page.getByTestId(testid).textContent()) ?? '';
