/**
 * `node packages/sim/bench/ab.ts [--base REV] [--pairs N] [--seconds S]`: the working
 * tree's simulation (B) against a git revision's (A, default HEAD) on the reference
 * scenario, run side by side — one process per core, start order alternating — so
 * both see the same machine at the same moment. Single runs here vary by ±20 %;
 * the median of per-pair ratios B/A is far steadier than two best-of-5 figures
 * measured one after the other. With `--interleave` both copies load into one
 * process on one core and take turns, a short run each, so the machine's slow
 * drifts cancel within a pair and the copies never compete for the shared cache;
 * half the pairs run in a process that loads A first, half in one that loads B
 * first, since the copy loaded second measured ~3 % slower in A/A controls.
 * A benchmark helper, not a test.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: 'HEAD' },
    pairs: { type: 'string', default: '8' },
    seconds: { type: 'string' },
    child: { type: 'string' },
    interleave: { type: 'boolean', default: false },
    turns: { type: 'string' },
  },
});
const seconds = Number(values.seconds ?? (values.interleave ? 2 : 5));

/** A copy's reference run: loads the scenario once, then each call runs it afresh and returns packet-hops/s. */
async function referenceRunner(root: string): Promise<() => number> {
  const { Simulation } = await import(join(root, 'packages/sim/src/index.ts'));
  const { scenarioAtLoad } = await import(join(root, 'packages/sim/bench/load.ts'));
  const sc = scenarioAtLoad('bench/reference-200.json', 1);
  return () => {
    const sim = new Simulation(sc, 1);
    // Bots hold every router: `seat.bot` since issue 11; a base from before it refuses that and takes `router.bot`.
    for (const n of sc.file.nodes)
      if (n.kind === 'router' && sim.apply({ type: 'seat.bot', node: n.id }))
        sim.apply({ type: 'router.bot', router: n.id } as never);
    const t0 = performance.now();
    sim.advanceTo(seconds * 1_000_000);
    return Math.round((sim.packetHops / (performance.now() - t0)) * 1000);
  };
}

if (values.child !== undefined) {
  // One copy's figure: the better of two reference runs in this process, packet-hops/s.
  const runOnce = await referenceRunner(values.child);
  console.log(Math.max(runOnce(), runOnce()));
} else if (values.turns !== undefined) {
  await takeTurns(...(JSON.parse(values.turns) as [string, string, boolean]));
} else {
  await withCopies(values.interleave ? interleaved : sideBySide);
}

/** Copies the base revision (A) and the working tree (B) to a temporary directory for `body`. */
async function withCopies(body: (a: string, b: string) => Promise<void>): Promise<void> {
  const repo = resolve(import.meta.dirname, '../../..');
  const dir = mkdtempSync(join(tmpdir(), 'sim-ab-'));
  try {
    const a = join(dir, 'A');
    const b = join(dir, 'B');
    for (const root of [a, b]) mkdirSync(join(root, 'packages'), { recursive: true });
    await run('sh', [
      '-c',
      `git -C '${repo}' archive ${values.base} packages/sim scenarios/bench | tar -x -C '${a}'`,
    ]);
    // The same files as A's archive (package.json included: it tells Node the .ts files are ES modules).
    for (const part of [
      'packages/sim/package.json',
      'packages/sim/src',
      'packages/sim/bench',
      'scenarios/bench',
    ])
      cpSync(join(repo, part), join(b, part), { recursive: true });
    for (const root of [a, b])
      symlinkSync(join(repo, 'packages/sim/node_modules'), join(root, 'packages/sim/node_modules'));
    await body(a, b);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Both copies at once, one process each (one per core); pairs alternate which starts first. */
async function sideBySide(a: string, b: string): Promise<void> {
  const ratios: number[] = [];
  const figures = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < Number(values.pairs); i++) {
    const child = (root: string) =>
      run(process.execPath, [import.meta.filename, '--child', root, '--seconds', `${seconds}`]);
    // Alternate which copy starts first, so neither always has the head start.
    const [outA, outB] =
      i % 2 === 0
        ? await Promise.all([child(a), child(b)])
        : (await Promise.all([child(b), child(a)])).reverse();
    const fa = Number(outA);
    const fb = Number(outB);
    figures.a.push(fa);
    figures.b.push(fb);
    ratios.push(fb / fa);
    console.log(`pair ${i + 1}: A ${fa}  B ${fb}  B/A ${(fb / fa).toFixed(2)}`);
  }
  console.log(
    `median A ${median(figures.a)}, B ${median(figures.b)}; median B/A per pair ${median(ratios).toFixed(3)} (base ${values.base}, ${seconds} simulated s)`,
  );
}

/** Two processes one after the other, each with both copies taking turns; the first loads A first, the second B. */
async function interleaved(a: string, b: string): Promise<void> {
  const ratios: number[] = [];
  for (const bFirst of [false, true]) {
    const out = await run(process.execPath, [
      import.meta.filename,
      '--turns',
      JSON.stringify([a, b, bFirst]),
      '--pairs',
      `${Math.ceil(Number(values.pairs) / 2)}`,
      '--seconds',
      `${seconds}`,
    ]);
    for (const line of out.trim().split('\n')) {
      const [fa, fb] = JSON.parse(line) as [number, number];
      ratios.push(fb / fa);
      console.log(
        `pair ${ratios.length}: A ${fa}  B ${fb}  B/A ${(fb / fa).toFixed(2)}${bFirst ? ' (B loaded first)' : ''}`,
      );
    }
  }
  console.log(
    `median B/A per pair ${median(ratios).toFixed(3)} (base ${values.base}, interleaved, ${seconds} simulated s)`,
  );
}

/** Child of `interleaved`: loads the copies in the given order, warms both up, then runs pairs (A B, B A, …), one JSON [A, B] line each. */
async function takeTurns(a: string, b: string, bFirst: boolean): Promise<void> {
  const [runA, runB] = bFirst
    ? [await referenceRunner(b), await referenceRunner(a)].reverse()
    : [await referenceRunner(a), await referenceRunner(b)];
  if (!runA || !runB) throw new Error('both copies load');
  // Warm-up: both copies' code reaches its optimized tiers before anything counts.
  for (let i = 0; i < 2; i++) {
    runA();
    runB();
  }
  for (let i = 0; i < Number(values.pairs); i++) {
    const [fa, fb] = i % 2 === 0 ? [runA(), runB()] : [runB(), runA()].reverse();
    console.log(JSON.stringify([fa, fb]));
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Runs a command; resolves with its stdout, rejects on a non-zero exit. */
function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (chunk) => {
      out += chunk;
    });
    p.on('close', (code) => (code === 0 ? done(out) : fail(new Error(`${cmd} exited with ${code}`))));
  });
}
