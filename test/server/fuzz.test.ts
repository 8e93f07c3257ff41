/**
 * A small property-based fuzz of the real room (SPEC MSG-7): a host and four players
 * send fast-check–generated messages (every type; near-valid and junk payloads) within
 * their rate limit. Nobody is disconnected, every refusal is an MSG-2 error, and every
 * player's replica matches the server's hashes (SYNC-1). `pnpm fuzz` runs 10⁵.
 */
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import { HASH_EVERY_TICKS, TICK_MS } from '@roundtrip/protocol';
import { addressLimits, appConfig } from '@roundtrip/server';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fuzzMessage, poolsOf } from '../../packages/server/src/fuzzMessages.ts';
import { lessonScenario } from '../../packages/server/src/scenarios.ts';
import { freePort } from '../serverProcess.ts';
import { type Connected, createClass, eventually, joinAs, replay, WAIT_MS } from './helpers.ts';

let colyseus: ColyseusTestServer;
beforeAll(async () => {
  colyseus = await boot(appConfig, await freePort());
});
afterAll(async () => {
  await colyseus.shutdown();
});
beforeEach(async () => {
  await colyseus.cleanup();
  addressLimits.reset();
});

const CODES = ['invalid-message', 'unknown-message', 'forbidden', 'wrong-phase', 'rejected'];
/** Messages each client sends: under the 40 a connection may send at once (SPEC MSG-3). */
const PER_CLIENT = 35;

describe('fuzzing the room (SPEC MSG-7)', () => {
  it('MSG-7, SYNC-1: generated messages from every client: nobody is disconnected, refusals are MSG-2 errors, replicas match', async () => {
    const seed = Date.now() % 1_000_000;
    const host = await createClass(colyseus, { scenario: 'lesson-1-postal', seed: 5 });
    const players = await Promise.all(['Ann', 'Bob', 'Cy', 'Dee'].map((n) => joinAs(colyseus, host.code, n)));
    host.room.send('host.start', {});
    await Promise.all(players.map((p) => p.inbox.waitFor('sync.snapshot')));
    const closed: string[] = [];
    for (const c of [host, ...players]) c.room.onLeave((code, reason) => closed.push(`${code} ${reason}`));
    const samples = fc.sample(fuzzMessage(poolsOf(lessonScenario('lesson-1-postal').raw)), {
      numRuns: PER_CLIENT * 5,
      seed,
    });
    const everyone: Connected[] = [host, ...players];
    samples.forEach((m, i) => {
      everyone[i % everyone.length]?.room.send(m.type as string, m.payload);
    });
    // Let the last commands apply; a paused round goes on, so more hashes arrive.
    await new Promise((r) => setTimeout(r, 300));
    host.room.send('host.resume', {});
    if (host.server.state.phase !== 'ended') {
      const marks = players.map((p) => p.inbox.mark());
      // The next hash of each player's copy: within one hash period (SYNC-4).
      const timeoutMs = HASH_EVERY_TICKS * TICK_MS + WAIT_MS;
      await Promise.all(
        players.map((p, i) => p.inbox.waitFor('sync.hash', { since: marks[i] ?? 0, timeoutMs })),
      );
    } else expect(host.server.state.results.length).toBe(4);
    expect(closed, `seed ${seed}`).toEqual([]);
    for (const c of everyone)
      for (const e of c.inbox.of('error')) expect(CODES, `seed ${seed}: ${e.message}`).toContain(e.code);
    expect(host.server.state.players.size).toBe(4);
    expect(['running', 'paused', 'ended']).toContain(host.server.state.phase);
    for (const p of players) {
      const report = replay(p);
      expect(report.mismatches, `seed ${seed}`).toEqual([]);
      if (host.server.state.phase !== 'ended') expect(report.hashesChecked).toBeGreaterThan(0);
    }
    // Still the server's: a fresh round opens and runs.
    const next = await createClass(colyseus);
    await joinAs(colyseus, next.code, 'Eve');
    next.room.send('host.start', {});
    await eventually(() => expect(next.server.state.phase).toBe('running'));
  });
});
