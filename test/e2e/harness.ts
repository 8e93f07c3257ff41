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

/** What the host picks on the landing page before creating a room (values of its fields). */
export interface RoomChoice {
  lesson: string;
  /** Round length in minutes, as typed; the lesson's own when left out. */
  minutes?: string;
  /** Speed, a `host-speed` option's value ('1', '0.5', …); the lesson's own when left out. */
  speed?: string;
  /** Bots' skill for empty seats, a `host-bots` option's value; the lesson's own when left out. */
  bots?: string;
}

/** A student of a lobby: nickname and screen (a phone has touch). */
export interface Student {
  nickname: string;
  width: number;
  height: number;
  touch?: boolean;
}

/** A lobby ready to start: the host's page, the join code, and each student's page in order. */
export interface Lobby {
  host: Page;
  code: string;
  students: Page[];
}

/**
 * On the host's landing page: picks `choice` and creates the room; returns its join code.
 * `beforeCreate` runs once everything is picked (checks of the form, a screenshot).
 */
export async function createRoom(
  host: Page,
  choice: RoomChoice,
  beforeCreate?: () => Promise<void>,
): Promise<string> {
  await host.getByTestId('host-lesson').selectOption(choice.lesson);
  if (choice.bots !== undefined) await host.getByTestId('host-bots').selectOption(choice.bots);
  if (choice.minutes !== undefined) await host.getByTestId('host-minutes').fill(choice.minutes);
  if (choice.speed !== undefined) await host.getByTestId('host-speed').selectOption(choice.speed);
  await beforeCreate?.();
  await host.getByTestId('host-create').click();
  return (await text(host, 'lobby-code')).trim();
}

/** Fills the join form with `code` and `nickname` and sends it (what follows is the caller's to wait for). */
export async function sendJoin(page: Page, code: string, nickname: string): Promise<void> {
  await page.getByTestId('join-code').fill(code);
  await page.getByTestId('join-nickname').fill(nickname);
  await page.getByTestId('join-submit').click();
}

/** Joins room `code` as `nickname` and waits in its lobby. */
export async function joinLobby(page: Page, code: string, nickname: string): Promise<void> {
  await sendJoin(page, code, nickname);
  await page.getByTestId('banner').filter({ hasText: 'waiting for the host' }).waitFor();
}

/**
 * The set-up most browser tests share: the host (a 1280×720 page named `hostName`) creates
 * a room of `choice`; each student opens a page of their size, joins by code and waits in
 * the lobby, which the host's page lists them in.
 */
export async function openLobby(
  e2e: E2E,
  choice: RoomChoice,
  students: readonly Student[],
  options: { hostName?: string; beforeCreate?: (host: Page) => Promise<void> } = {},
): Promise<Lobby> {
  const host = await e2e.openPage(1280, 720, options.hostName ?? 'host');
  const code = await createRoom(
    host,
    choice,
    options.beforeCreate && (() => options.beforeCreate?.(host) ?? Promise.resolve()),
  );
  const pages: Page[] = [];
  for (const s of students) {
    const page = await e2e.openPage(s.width, s.height, s.nickname.toLowerCase(), s.touch ?? false);
    await joinLobby(page, code, s.nickname);
    pages.push(page);
  }
  const lobby = host.getByTestId('lobby-players');
  for (const s of students) await lobby.filter({ hasText: s.nickname }).waitFor();
  return { host, code, students: pages };
}

/** The host starts the round; waits until every page in `players` shows it live. */
export async function startRound(host: Page, players: readonly Page[]): Promise<void> {
  await host.getByTestId('host-start').click();
  for (const page of players) await page.getByTestId('phase').filter({ hasText: 'LIVE' }).waitFor();
}

/** A 1280×720 laptop and a 390×844 phone with touch, as most tests seat their two students. */
export const LAPTOP = { width: 1280, height: 720 } as const;
export const PHONE = { width: 390, height: 844, touch: true } as const;
