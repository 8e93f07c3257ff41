import { readFileSync } from 'node:fs';
import type { SyncTick, SyncTicks } from '@roundtrip/protocol';
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

/** The room's batch of `ticks`, with the hash after `hashAfter` when given (SPEC SYNC-3, SYNC-4). */
function batch(ticks: SyncTick[], hashAfter?: { tick: number; hash: string }): SyncTicks {
  const first = ticks[0] as SyncTick;
  return {
    copy: first.copy,
    tick: first.tick,
    simTimeUs: ticks.map((t) => t.simTimeUs),
    commands: ticks.map((t) => t.commands),
    ...(hashAfter ? { hashTick: hashAfter.tick, hash: hashAfter.hash } : {}),
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

  it('SYNC-3: plays a batch out one tick time apart and checks its hash at its tick', () => {
    const auth = authority(9);
    const { replica, resyncs } = replicaWith();
    replica.handleSnapshot(auth.snapshot(), 0);
    const first = auth.step([{ type: 'link.set', link: 'l-west-short', up: false }]);
    const hash = auth.hash();
    const second = auth.step();
    replica.handleTicks(batch([first, second], hash), 1_000);
    // The first tick is due on arrival, the second one tick time (50 ms) later.
    expect(replica.tick).toBe(1);
    expect(replica.tickWallMs).toBe(1_000);
    replica.play(1_049);
    expect(replica.tick).toBe(1);
    replica.play(1_050);
    expect(replica.tick).toBe(2);
    expect(replica.tickWallMs).toBe(1_050);
    expect(replica.sim?.stateHash()).toBe(auth.sim.stateHash());
    expect(resyncs).toEqual([]);
  });

  it('SYNC-3: a new batch first applies what is left of the last one (no frames drawn)', () => {
    const auth = authority(10);
    const { replica, resyncs } = replicaWith();
    replica.handleSnapshot(auth.snapshot(), 0);
    replica.handleTicks(batch([auth.step(), auth.step()]), 0);
    replica.handleTicks(batch([auth.step(), auth.step()]), 100);
    expect(replica.tick).toBe(3);
    replica.handleTicks(batch([auth.step(), auth.step()]), 10_000);
    expect(replica.tick).toBe(5);
    expect(resyncs).toEqual([]);
  });

  it('SYNC-4: a hash that differs at its tick inside a batch asks for a resync', () => {
    const auth = authority(11);
    const { replica, resyncs } = replicaWith();
    replica.handleSnapshot(auth.snapshot(), 0);
    auth.sim.apply({ type: 'link.set', link: 'l-west-short', up: false });
    const first = auth.step();
    const hash = auth.hash();
    replica.handleTicks(batch([first, auth.step()], hash), 0);
    expect(resyncs).toEqual(['hash-mismatch']);
    replica.play(1_000);
    expect(replica.tick).toBe(1);
  });

  it('SYNC-3: a snapshot taken while a batch was pending skips the ticks it holds', () => {
    const auth = authority(12);
    const { replica, resyncs } = replicaWith();
    const one = auth.step();
    const two = auth.step();
    replica.handleSnapshot(auth.snapshot(), 0);
    const three = auth.step();
    replica.handleTicks(batch([one, two, three]), 0);
    replica.play(1_000);
    expect(replica.tick).toBe(3);
    expect(replica.sim?.stateHash()).toBe(auth.sim.stateHash());
    expect(resyncs).toEqual([]);
  });
});
