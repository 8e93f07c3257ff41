/**
 * `node packages/sim/bench/refRun.ts <repo root> <simulated µs>`: one reference run of the
 * simulation in `<repo root>` (any revision: old ones take `router.bot`, new ones
 * `seat.bot`), for counting its instructions under valgrind, which a busy machine does
 * not disturb (docs/PERFORMANCE.md, "Instruction counts"). A benchmark helper, not a test.
 */
import { join, resolve } from 'node:path';

const [rootArg, usArg] = process.argv.slice(2);
const root = resolve(rootArg ?? '.');
const simulatedUs = Number(usArg ?? 1_000_000);
const { Simulation } = await import(join(root, 'packages/sim/src/index.ts'));
const { scenarioAtLoad } = await import(join(root, 'packages/sim/bench/load.ts'));
const sc = scenarioAtLoad('bench/reference-200.json', 1);
const sim = new Simulation(sc, 1);
for (const n of sc.file.nodes as { kind: string; id: string }[])
  if (n.kind === 'router' && sim.apply({ type: 'seat.bot', node: n.id }))
    sim.apply({ type: 'router.bot', router: n.id });
sim.advanceTo(simulatedUs);
console.log(`packet hops ${sim.packetHops}`);
