/**
 * Benchmark helpers: the reference scenario at a multiple of its traffic, and the
 * packets a simulation holds right now, a simulation whose routers all follow their
 * bots' tables. Used by the benchmarks only.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { occupancy } from '../src/link/queueing.ts';
import { packetsInFlight } from '../src/observation/views.ts';
import { loadScenario, type Scenario } from '../src/scenario/scenario.ts';
import { Simulation } from '../src/simulation/simulation.ts';

/** A committed scenario with every flow sending `load` times as often (frames and requests alike). */
export function scenarioAtLoad(file: string, load: number): Scenario {
  const path = resolve(import.meta.dirname, '../../../scenarios', file);
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { traffic: Record<string, unknown>[] };
  for (const f of raw.traffic) {
    if (typeof f.intervalMs === 'number') f.intervalMs /= load;
    if (typeof f.everyMs === 'number') f.everyMs /= load;
  }
  return loadScenario(raw, path);
}

/** Packets on the wire plus packets waiting in interface queues and for hand forwarding. */
export function packetsHeld(sim: Simulation): number {
  let held = packetsInFlight(sim).length;
  for (const link of sim.st.links) for (const d of link.dirs) held += occupancy(d, sim.st.nowUs);
  for (const r of sim.st.roles) held += r?.role === 'router' ? r.handQueue.length : 0;
  return held;
}

/** A simulation of `scenario` with every router following its bot's table, as in a round with no players. */
export function botDriven(scenario: Scenario): Simulation {
  const sim = new Simulation(scenario, 1);
  for (const seat of scenario.seats) sim.apply({ type: 'seat.bot', node: seat.node });
  return sim;
}
