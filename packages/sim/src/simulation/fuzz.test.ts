import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng, nextFloat, nextU32, type RngState } from '../engine/rng.ts';
import { loadScenario, type Scenario } from '../scenario/scenario.ts';
import { lineScenario } from '../testing/lineScenario.ts';
import type { SimCommand } from './commands.ts';
import { Simulation } from './simulation.ts';

/**
 * Determinism fuzz (SPEC SIM-4, SIM-5, SYNC-1): an authority applies random
 * commands at tick boundaries; a replica fed only a snapshot plus the ordered
 * commands that applied — as a browser is — keeps the same stateHash at every
 * checkpoint, including after being rebuilt from a mid-run snapshot.
 * A seed that ever fails gets its own named `it` below the loop, so it is kept
 * after FUZZ_SEEDS changes.
 */
const FUZZ_SEEDS = Array.from({ length: 24 }, (_, i) => 1000 + i);
const TICK_US = 50_000;

function lesson(id: string): Scenario {
  const path = join(import.meta.dirname, '../../../../scenarios', `${id}.json`);
  return loadScenario(readFileSync(path, 'utf8'), path);
}

function pick<T>(rng: RngState, items: readonly T[]): T {
  return items[nextU32(rng) % items.length] as T;
}

/** A random command, valid or not: refusals must leave both copies unchanged too. */
function randomCommand(rng: RngState, sim: Simulation): SimCommand {
  const f = sim.sc.file;
  const routers = f.nodes.filter((n) => n.kind === 'router').map((n) => n.id);
  const router = pick(rng, routers);
  const prefixes = [
    '10.1.0.0/16',
    '10.2.0.0/16',
    '10.3.0.0/16',
    '10.4.0.0/16',
    '10.3.0.10/32',
    '0.0.0.0/0',
    '10.1.0.1/16',
  ];
  const any = pick(rng, f.nodes).id;
  // Only where QUIC runs, so the other scenarios' command sequences stay as they were.
  if (f.traffic.some((t) => t.kind === 'quic') && nextFloat(rng) < 0.05)
    return { type: 'host.rebind', host: pick(rng, f.nodes).id };
  switch (nextU32(rng) % 7) {
    case 0:
      return { type: 'route.set', node: router, prefix: pick(rng, prefixes), via: any };
    case 1:
      return { type: 'route.delete', node: router, prefix: pick(rng, prefixes) };
    case 2:
      return { type: 'hand.mode', node: router, enabled: nextFloat(rng) < 0.5 };
    case 3: {
      const waiting = sim.st.roles.flatMap((r) =>
        r?.role === 'router' ? r.handQueue.map((w) => w.packet.id) : [],
      );
      return {
        type: 'hand.forward',
        node: router,
        packetId: waiting.length ? pick(rng, waiting) : 1,
        via: any,
      };
    }
    case 4:
      return { type: 'link.set', link: pick(rng, f.links).id, up: nextFloat(rng) < 0.7 };
    case 5:
      return { type: 'link.loss', link: pick(rng, f.links).id, loss: Math.round(nextFloat(rng) * 30) / 100 };
    default:
      return { type: 'seat.bot', node: router };
  }
}

function fuzz(scenario: Scenario, seed: number): void {
  const rng = createRng(seed, 99);
  const authority = new Simulation(scenario, seed);
  let replica = new Simulation(scenario, seed);
  replica.restore(authority.snapshot());
  for (let tick = 1; tick <= 400; tick++) {
    const applied: SimCommand[] = [];
    const count = nextU32(rng) % 3;
    for (let i = 0; i < count; i++) {
      const cmd = randomCommand(rng, authority);
      if (authority.apply(cmd) === null) applied.push(cmd);
    }
    const t = tick * TICK_US;
    authority.advanceTo(t);
    for (const cmd of applied) expect(replica.apply(cmd), `seed ${seed} tick ${tick}`).toBeNull();
    replica.advanceTo(t);
    if (tick % 25 === 0) expect(replica.stateHash(), `seed ${seed} tick ${tick}`).toBe(authority.stateHash());
    if (tick % 97 === 0) {
      // A browser joining mid-round: a fresh replica from a snapshot.
      replica = new Simulation(scenario, seed);
      replica.restore(authority.snapshot());
    }
  }
  expect(replica.stateHash()).toBe(authority.stateHash());
}

/** QUIC (0-RTT, three streams), TCP with TLS 1.3 and HTTP/2-like streams, and calls on one lossy line. */
function quicLine(): Scenario {
  const web = {
    from: 'h-a',
    to: 'h-b',
    everyMs: 400,
    requestBytes: 300,
    responseBytes: 20_000,
    timeoutMs: 8_000,
  };
  const file = lineScenario({
    loss: 0.03,
    traffic: [
      { ...web, id: 'h3', kind: 'quic', streams: 3, zeroRtt: true },
      { ...web, id: 'h2', kind: 'tcp', streams: 2, tls: '1.3-0rtt' },
      { id: 'call', kind: 'udp', from: 'h-b', to: 'h-a', intervalMs: 20, frameBytes: 160, deadlineMs: 150 },
    ],
  });
  return loadScenario(file, 'quic-line.json');
}

describe('authority and replica stay equal under random commands, with QUIC — SPEC QUIC-12', () => {
  for (const seed of [7001, 7002, 7003, 7004]) {
    it(`seed ${seed}`, () => {
      fuzz(quicLine(), seed);
    });
  }
});

describe('authority and replica stay equal under random commands — SPEC SIM-4, SIM-5, SIM-8', () => {
  const scenarios = [lesson('lesson-1-postal'), lesson('lesson-2-mail')];
  for (const seed of FUZZ_SEEDS) {
    it(`seed ${seed}`, () => {
      fuzz(scenarios[seed % scenarios.length] as Scenario, seed);
    });
  }
});
