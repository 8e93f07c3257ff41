/**
 * State memory per 10,000 packets held, at 10× the reference load after 2 simulated
 * seconds: memory with the simulation alive minus memory without it, over the packets
 * it holds — the JS heap plus ArrayBuffers, where the packet slots, path pool, timing
 * wheel, record lanes and interface rings live (V8's heapUsed leaves those out). An
 * upper bound: every other piece of state (events, connections, frames) counts too.
 *
 * run.ts runs this in a process of its own (`node --expose-gc memory.ts`), which
 * prints one JSON object.
 */
import { US_PER_S } from '../src/engine/units.ts';
import { botDriven, packetsHeld, scenarioAtLoad } from './load.ts';

export interface MemoryFigures {
  packetsHeld: number;
  stateMB: number;
  mbPer10kPackets: number;
}

function measure(gc: () => void): MemoryFigures {
  const scenario = scenarioAtLoad('bench/reference-200.json', 10);
  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  gc();
  const before = used();
  const sim = botDriven(scenario);
  sim.advanceTo(2 * US_PER_S);
  const held = packetsHeld(sim);
  gc();
  const stateMB = (used() - before) / 1e6;
  return {
    packetsHeld: held,
    stateMB: Math.round(stateMB * 10) / 10,
    mbPer10kPackets: Math.round(((stateMB * 10_000) / held) * 10) / 10,
  };
}

if (import.meta.main) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (run.ts does)');
  console.log(JSON.stringify(measure(gc)));
}
