import { readFileSync } from 'node:fs';
import { loadScenario, type SimCommand, type SimRecord, Simulation } from '@roundtrip/sim';
import { describe, expect, it } from 'vitest';
import { Replica, type ResyncReason } from './replica.ts';

const scenario = loadScenario(
  readFileSync(new URL('../../../../scenarios/lesson-2-mail.json', import.meta.url), 'utf8'),
  'lesson-2-mail.json',
);
const TICK_US = 50_000;

/** The authority side: a simulation stepped tick by tick, as the room does it. */
function authority(seed: number) {
  const sim = new Simulation(scenario, seed);
  let tick = 0;
  return {
    sim,
    snapshot: () => ({ copy: 0, tick, seed, bytes: sim.snapshot() }),
    step(commands: SimCommand[] = []) {
      for (const c of commands) sim.apply(c);
      tick++;
      sim.advanceTo(tick * TICK_US);
      return { copy: 0, tick, simTimeUs: tick * TICK_US, commands };
    },
    hash: () => ({ copy: 0, tick, hash: sim.stateHash() }),
  };
}

function replicaWith(copy: number | null = null) {
  const resyncs: ResyncReason[] = [];
  const replica = new Replica({ scenario, copy, requestResync: (r) => resyncs.push(r) });
  return { replica, resyncs };
}

describe('Replica', () => {
  it('follows snapshot + ticks and matches the authority hash', () => {
    const auth = authority(7);
    for (let i = 0; i < 10; i++) auth.step();
    const { replica, resyncs } = replicaWith();
    replica.handleSnapshot(auth.snapshot());
    expect(replica.copy).toBe(0);
    const route: SimCommand = {
      type: 'route.set',
      node: 'r-west',
      prefix: '10.3.0.10/32',
      via: 'r-north-a',
    };
    for (let i = 0; i < 40; i++) replica.handleTick(auth.step(i === 5 ? [route] : []));
    replica.handleHash(auth.hash());
    expect(resyncs).toEqual([]);
    expect(replica.sim?.stateHash()).toBe(auth.sim.stateHash());
    expect(replica.tick).toBe(50);
  });

  it('asks for a resync on a tick gap and ignores ticks until the snapshot comes', () => {
    const auth = authority(1);
    const { replica, resyncs } = replicaWith();
    replica.handleSnapshot(auth.snapshot());
    auth.step();
    replica.handleTick(auth.step());
    expect(resyncs).toEqual(['tick-gap']);
    replica.handleTick(auth.step());
    expect(resyncs).toHaveLength(1);
    replica.handleSnapshot(auth.snapshot());
    replica.handleTick(auth.step());
    replica.handleHash(auth.hash());
    expect(resyncs).toHaveLength(1);
  });

  it('asks for a resync when the hash differs', () => {
    const auth = authority(3);
    const { replica, resyncs } = replicaWith();
    replica.handleSnapshot(auth.snapshot());
    // The authority applies a command the replica never hears about.
    auth.sim.apply({ type: 'link.set', link: 'l-west-short', up: false });
    replica.handleTick(auth.step());
    replica.handleHash(auth.hash());
    expect(resyncs).toEqual(['hash-mismatch']);
  });

  it('ignores other copies and re-attaches record listeners to each new simulation', () => {
    const auth = authority(5);
    const { replica } = replicaWith(1);
    replica.handleSnapshot(auth.snapshot());
    expect(replica.sim).toBeNull();
    replica.copy = 0;
    const records: SimRecord[] = [];
    replica.onRecord((r) => records.push(r));
    replica.handleSnapshot(auth.snapshot());
    for (let i = 0; i < 40; i++) replica.handleTick(auth.step());
    replica.handleSnapshot(auth.snapshot());
    const before = records.length;
    for (let i = 0; i < 40; i++) replica.handleTick(auth.step());
    expect(before).toBeGreaterThan(0);
    expect(records.length).toBeGreaterThan(before);
  });
});
