/**
 * `pnpm bench:join [--joins N] [--against <checkout>] [--json]`: click "Join" → first
 * frame of the network (SPEC-free budget in PERFORMANCE.md "Joining": ≤ 500 ms median on
 * loopback), in headless Chromium against the real server.
 *
 * Starts the server of this checkout (its built client: run `pnpm build` first) on a
 * free port, opens a room as its host over the SDK, and joins it N times, each from a
 * fresh browser context (own storage, like a new student) that has the landing page
 * loaded: the clock starts at the click on Join and stops at the first frame Phaser
 * renders with the network scene running (the page's own `postrender` event, seen by
 * a hook on `window.__roundtripGame`). The client's User Timing marks (`roundtrip:*`),
 * where the build has them, split each join into its steps.
 *
 * `--against <path>` starts a second server from another checkout (built, installed)
 * and alternates joins between the two in this one process, so a noisy machine slows
 * both alike; it prints both and the ratio of medians. A benchmark, not a test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@colyseus/sdk';
import { CLASS_ROOM, RoomState } from '@roundtrip/protocol';
import { percentile } from '@roundtrip/sim';
import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../../scripts/chromium.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const VIEWPORT = { width: 1280, height: 720 };
/** Joins per server not counted: the first ones warm the server's JIT and Chromium's caches. */
const WARMUP = 2;

const { values } = parseArgs({
  options: {
    joins: { type: 'string', default: '20' },
    against: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const joins = Number(values.joins);
if (!(Number.isInteger(joins) && joins >= 3)) fail(`--joins must be an integer ≥ 3, got "${values.joins}"`);
const executablePath = findChromium();
if (!executablePath) fail('no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)');

interface Target {
  name: string;
  checkout: string;
  server: ChildProcess;
  base: string;
  code: string;
  host: { leave(): Promise<unknown> };
  dataDir: string;
  totalsMs: number[];
  steps: Record<string, number[]>;
}

/** Runs in every page before its scripts: times the click on Join and the first frame with the network. */
function hook(): void {
  const w = window as unknown as {
    __bench: { clickMs: number | null; frameMs: number | null };
    __roundtripGame?: unknown;
  };
  w.__bench = { clickMs: null, frameMs: null };
  document.addEventListener(
    'click',
    (e) => {
      if ((e.target as Element | null)?.closest?.('[data-testid="join-submit"]'))
        w.__bench.clickMs = performance.now();
    },
    true,
  );
  let game: unknown = null;
  Object.defineProperty(window, '__roundtripGame', {
    configurable: true,
    get: () => game,
    set: (g: { events: { on(e: string, f: () => void): void }; scene: { isActive(k: string): boolean } }) => {
      game = g;
      g?.events.on('postrender', () => {
        if (w.__bench.frameMs === null && g.scene.isActive('network')) w.__bench.frameMs = performance.now();
      });
    },
  });
}

const STEP_MARKS = ['roundtrip:welcome', 'roundtrip:round-screen', 'roundtrip:game-created'] as const;

async function joinOnce(browser: Browser, t: Target, n: number): Promise<void> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    await context.addInitScript(hook);
    const page = await context.newPage();
    await page.goto(t.base, { waitUntil: 'load' });
    await page.getByTestId('join-code').fill(t.code);
    await page.getByTestId('join-nickname').fill(`P${n}`);
    await page.getByTestId('join-submit').click();
    await page.waitForFunction(
      () => (window as unknown as { __bench: { frameMs: number | null } }).__bench.frameMs !== null,
      null,
      {
        timeout: 30_000,
      },
    );
    const m = await page.evaluate(
      (names) => {
        const b = (window as unknown as { __bench: { clickMs: number; frameMs: number } }).__bench;
        const marks = Object.fromEntries(
          names.map((name) => [name, performance.getEntriesByName(name).at(-1)?.startTime ?? null]),
        );
        return { clickMs: b.clickMs, frameMs: b.frameMs, marks };
      },
      STEP_MARKS as unknown as string[],
    );
    if (n < WARMUP) return;
    t.totalsMs.push(m.frameMs - m.clickMs);
    const step = (name: string, ms: number) => {
      const list = t.steps[name] ?? [];
      list.push(ms);
      t.steps[name] = list;
    };
    let prev = m.clickMs;
    for (const name of STEP_MARKS) {
      const at = m.marks[name];
      if (typeof at !== 'number') continue;
      step(`→ ${name.slice('roundtrip:'.length)}`, at - prev);
      prev = at;
    }
    if (prev !== m.clickMs) step('→ first frame', m.frameMs - prev);
  } finally {
    await context.close();
  }
}

async function startTarget(name: string, checkout: string): Promise<Target> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'roundtrip-bench-join-'));
  const server = spawn(join(ROOT, 'node_modules/.bin/node'), ['packages/server/src/main.ts'], {
    cwd: checkout,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATA_DIR: dataDir,
      ADDRESS_LIMITS: 'off',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) fail(`the ${name} server (${checkout}) did not start`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // The host stays connected over the SDK so the room lives; players join its lobby.
  const room = await new Client(base.replace(/^http/, 'ws')).create<RoomState>(
    CLASS_ROOM,
    { scenario: 'lesson-1-postal', durationS: 600, timeScale: 1 },
    RoomState,
  );
  return { name, checkout, server, base, code: room.roomId, host: room, dataDir, totalsMs: [], steps: {} };
}

const targets: Target[] = [];
let browser: Browser | null = null;
try {
  targets.push(await startTarget('this checkout', ROOT));
  if (values.against) targets.push(await startTarget('against', resolve(values.against)));
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  // Interleaved: join i goes to each server in turn, so the machine's noise falls on both.
  for (let i = 0; i < joins + WARMUP; i++) for (const t of targets) await joinOnce(browser, t, i);
  const report = targets.map((t) => ({
    name: t.name,
    checkout: t.checkout,
    joins: t.totalsMs.length,
    medianMs: round(percentile(t.totalsMs, 0.5)),
    p95Ms: round(percentile(t.totalsMs, 0.95)),
    minMs: round(Math.min(...t.totalsMs)),
    maxMs: round(Math.max(...t.totalsMs)),
    stepsMedianMs: Object.fromEntries(
      Object.entries(t.steps).map(([k, v]) => [k, round(percentile(v, 0.5))]),
    ),
  }));
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    for (const r of report) {
      console.log(
        `${r.name} (${r.checkout}): ${r.joins} joins, click → first frame median ${r.medianMs} ms, p95 ${r.p95Ms} ms, min ${r.minMs}, max ${r.maxMs}`,
      );
      for (const [step, ms] of Object.entries(r.stepsMedianMs)) console.log(`    ${step}: median ${ms} ms`);
    }
    const [a, b] = report;
    if (a && b) console.log(`median ratio this/against: ${(a.medianMs / b.medianMs).toFixed(3)}`);
  }
} finally {
  await browser?.close();
  for (const t of targets) {
    await t.host.leave().catch(() => {});
    const exited = new Promise((ok) => t.server.once('exit', ok));
    t.server.kill('SIGTERM');
    await Promise.race([exited, new Promise((ok) => setTimeout(ok, 5_000))]);
    if (t.server.exitCode === null && t.server.signalCode === null) t.server.kill('SIGKILL');
    rmSync(t.dataDir, { recursive: true, force: true });
  }
  // Sockets the SDK keeps would hold the process open.
  setTimeout(() => process.exit(), 200).unref();
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

function freePort(): Promise<number> {
  return new Promise((ok, ko) => {
    const s = createServer();
    s.once('error', ko);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
