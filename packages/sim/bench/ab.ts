/**
 * `node packages/sim/bench/ab.ts [--base REV] [--pairs N] [--seconds S]`: the working
 * tree's simulation (B) against a git revision's (A, default HEAD) on the reference
 * scenario, run side by side — one process per core, start order alternating — so
 * both see the same machine at the same moment. Single runs here vary by ±20 %;
 * the median of per-pair ratios B/A is far steadier than two best-of-5 figures
 * measured one after the other. With `--interleave` both copies load into one
 * process on one core and take turns, a short run each, so the machine's slow
 * drifts cancel within a pair and the copies never compete for the shared cache.
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
  },
});
const seconds = Number(values.seconds ?? (values.interleave ? 2 : 5));

/** A copy's reference run: loads the scenario once, then each call runs it afresh and returns packet-hops/s. */
async function referenceRunner(root: string): Promise<() => number> {
  const { Simulation } = await import(join(root, 'packages/sim/src/simulation.ts'));
  const { scenarioAtLoad } = await import(join(root, 'packages/sim/bench/load.ts'));
  const sc = scenarioAtLoad('bench/reference-200.json', 1);
  return () => {
    const sim = new Simulation(sc, 1);
    for (const n of sc.file.nodes) if (n.kind === 'router') sim.apply({ type: 'router.bot', router: n.id });
    const t0 = performance.now();
    sim.advanceTo(seconds * 1_000_000);
    return Math.round((sim.packetHops / (performance.now() - t0)) * 1000);
  };
}

if (values.child !== undefined) {
  // One copy's figure: the better of two reference runs in this process, packet-hops/s.
  const runOnce = await referenceRunner(values.child);
  console.log(Math.max(runOnce(), runOnce()));
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
    for (const part of ['packages/sim/src', 'packages/sim/bench', 'scenarios/bench'])
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

/** Both copies in this process, taking turns (A B B A …); a pair's ratio is B over the A run beside it. */
async function interleaved(a: string, b: string): Promise<void> {
  const runA = await referenceRunner(a);
  const runB = await referenceRunner(b);
  // Warm-up: both copies' code reaches its optimized tiers before anything counts.
  for (let i = 0; i < 2; i++) {
    runA();
    runB();
  }
  const ratios: number[] = [];
  for (let i = 0; i < Number(values.pairs); i++) {
    const [fa, fb] = i % 2 === 0 ? [runA(), runB()] : [runB(), runA()].reverse();
    ratios.push((fb as number) / (fa as number));
    console.log(`pair ${i + 1}: A ${fa}  B ${fb}  B/A ${((fb as number) / (fa as number)).toFixed(2)}`);
  }
  console.log(
    `median B/A per pair ${median(ratios).toFixed(3)} (base ${values.base}, interleaved, ${seconds} simulated s)`,
  );
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
