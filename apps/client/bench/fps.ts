/**
 * `pnpm bench:client [--seconds N] [--json]`: the client's frame rate in headless
 * Chromium (ARCHITECTURE "Budgets": ≥ 55 fps median with 1,000 packets on screen,
 * ≥ 30 fps with 3,000; game-loop JS ≤ 4 ms per frame at 3,000).
 *
 * Builds the benchmark page (fps.html: the real network scene drawing a replica,
 * stepped by 20 Hz ticks, no server) into a temporary directory, serves it, and
 * opens it in the system Chromium. Two scenes: lesson 2's map made busy (what
 * players look at) and the 200-node reference network (a worst case: 200 nodes and
 * their labels). For each, a first run at load 1 finds how many packets that draws;
 * each target then runs at the load that scales it there. Each run's last frame is
 * saved in test-results/bench-client/. Chromium here renders WebGL in software
 * (SwiftShader) on 2 cores: a worst case. A benchmark, not a test: figures go in
 * docs/PERFORMANCE.md.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { percentile } from '@roundtrip/sim';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM_ARGS, findChromium } from '../../../scripts/chromium.ts';

const CLIENT = resolve(import.meta.dirname, '..');
/** Where each run's last frame is saved, to look at what was measured. */
const SHOTS = resolve(CLIENT, '../../test-results/bench-client');
const TARGETS = [1_000, 3_000];
const VIEWPORT = { width: 1280, height: 720 };

interface PageFigures {
  frameMs: number[];
  loopJsMs: number[];
  packetsDrawn: number[];
}

type Scene = 'lesson' | 'reference';
const SCENES: Scene[] = ['lesson', 'reference'];

interface RunFigures {
  scene: Scene;
  load: number;
  packetsMedian: number;
  fpsMedian: number;
  fpsWorstSecond: number;
  loopJsMs: { p50: number; p95: number; max: number };
}

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, json: { type: 'boolean', default: false } },
});
const seconds = Number(values.seconds);
if (!(seconds >= 2)) fail(`--seconds must be 2 or more, got "${values.seconds}"`);
const executablePath = findChromium();
if (!executablePath) fail('no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)');

const outDir = mkdtempSync(join(tmpdir(), 'roundtrip-fps-'));
let server: Server | null = null;
try {
  await build({
    root: CLIENT,
    configFile: resolve(CLIENT, 'vite.config.ts'),
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      // The page carries the 200-node reference network (10,000 flows) in its bundle.
      chunkSizeWarningLimit: 8_000,
      rollupOptions: { input: resolve(CLIENT, 'bench/fps.html') },
    },
  });
  server = await serve(outDir);
  const { port } = server.address() as { port: number };
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const run = (scene: Scene, load: number, forSeconds: number) =>
      measure(
        page,
        `http://127.0.0.1:${port}/bench/fps.html?scene=${scene}&load=${load}`,
        forSeconds,
        errors,
      );
    const runs: RunFigures[] = [];
    for (const scene of SCENES) {
      const calibration = await run(scene, 1, 3);
      for (const target of TARGETS) {
        const load = Math.round((target / Math.max(1, calibration.packetsMedian)) * 100) / 100;
        runs.push(await run(scene, load, seconds));
      }
    }
    report(runs);
  } finally {
    await browser.close();
  }
} finally {
  server?.close();
  rmSync(outDir, { recursive: true, force: true });
}

/** Opens the page at `url`, lets it settle, then records `forSeconds` of frames. */
async function measure(page: Page, url: string, forSeconds: number, errors: string[]): Promise<RunFigures> {
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const b = (window as unknown as { fpsBench?: { ready: boolean; frameMs: number[] } }).fpsBench;
      return b?.ready === true && b.frameMs.length > 30;
    },
    undefined,
    { timeout: 60_000 },
  );
  await page.waitForTimeout(2_000);
  await page.evaluate(() => {
    const b = (window as unknown as { fpsBench: PageFigures }).fpsBench;
    b.frameMs.length = 0;
    b.loopJsMs.length = 0;
    b.packetsDrawn.length = 0;
  });
  await page.waitForTimeout(forSeconds * 1_000);
  const figures = await page.evaluate(() => {
    const b = (window as unknown as { fpsBench: PageFigures }).fpsBench;
    return { frameMs: [...b.frameMs], loopJsMs: [...b.loopJsMs], packetsDrawn: [...b.packetsDrawn] };
  });
  if (errors.length > 0) fail(`the benchmark page failed: ${errors.join('; ')}`);
  const query = new URL(url).searchParams;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${query.get('scene')}-load-${query.get('load')}.png`) });
  const perSecond = framesPerSecond(figures.frameMs);
  return {
    scene: query.get('scene') as Scene,
    load: Number(query.get('load')),
    packetsMedian: percentile(figures.packetsDrawn, 0.5),
    fpsMedian: round1(percentile(perSecond, 0.5)),
    fpsWorstSecond: round1(Math.min(...perSecond)),
    loopJsMs: {
      p50: round2(percentile(figures.loopJsMs, 0.5)),
      p95: round2(percentile(figures.loopJsMs, 0.95)),
      max: round2(Math.max(...figures.loopJsMs)),
    },
  };
}

/** Frames in each whole second of the recording. */
function framesPerSecond(frameMs: number[]): number[] {
  const first = frameMs[0] ?? 0;
  const counts: number[] = [];
  for (const t of frameMs) {
    const s = Math.floor((t - first) / 1000);
    counts[s] = (counts[s] ?? 0) + 1;
  }
  // The last second is partial.
  return counts.slice(0, -1).map((c) => c ?? 0);
}

function report(runs: RunFigures[]): void {
  if (values.json) {
    console.log(JSON.stringify({ viewport: VIEWPORT, seconds, runs }));
    return;
  }
  console.log(
    `client frame rate, headless Chromium (software WebGL), ${VIEWPORT.width}×${VIEWPORT.height}, ${seconds} s each`,
  );
  for (const r of runs)
    console.log(
      `${r.scene.padEnd(9)} ${r.packetsMedian} packets drawn (load ${r.load}): ${r.fpsMedian} fps median, worst second ${r.fpsWorstSecond}; ` +
        `game-loop JS p50 ${r.loopJsMs.p50} ms, p95 ${r.loopJsMs.p95} ms, max ${r.loopJsMs.max} ms`,
    );
}

/** A static file server for the built page. */
function serve(root: string): Promise<Server> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.json': 'application/json',
  };
  return new Promise((ok) => {
    const s = createServer((req, res) => {
      const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
      try {
        if (!path.startsWith(root)) throw new Error('outside');
        const body = readFileSync(path);
        res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    s.listen(0, '127.0.0.1', () => ok(s));
  });
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
