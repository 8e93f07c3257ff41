/**
 * Replicas: a client that builds a Simulation from the welcome scenario and its
 * snapshot, then applies the streamed ticks, reaches the server's state hash
 * (SPEC SYNC-1, SYNC-3, SYNC-4).
 */
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import { HASH_EVERY_TICKS, isHashTick, TICK_HZ, TICKS_PER_BATCH } from '@roundtrip/protocol';
import { appConfig } from '@roundtrip/server';
import type { RouterState } from '@roundtrip/sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Connected, createClass, eventually, joinAs, replay } from './helpers.ts';

let colyseus: ColyseusTestServer;
beforeAll(async () => {
  colyseus = await boot(appConfig, 2613);
});
afterAll(async () => {
  await colyseus.shutdown();
});
beforeEach(async () => {
  await colyseus.cleanup();
});

describe('replicas (SPEC SYNC-1, SYNC-4)', () => {
  it('SYNC-1, SYNC-4: replicas of two copies, with player commands and bots, match every server hash', async () => {
    const host = await createClass(colyseus, {
      scenario: 'lesson-1-postal',
      seed: 1234,
      timeScale: 1,
      durationS: 60,
    });
    const players: Connected[] = [];
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) players.push(await joinAs(colyseus, host.code, name));
    const [west0, , , , west1] = players as [Connected, Connected, Connected, Connected, Connected];
    host.room.send('host.start', {});
    await west0.inbox.waitFor('sync.snapshot');
    await west1.inbox.waitFor('sync.snapshot');
    expect(host.server.copies).toHaveLength(2);

    // Copy 0: r-west automates part of its table; copy 1: r-west stays on hand forwarding and forwards a packet.
    // routers[4] is r-west (node index 4 in the scenario).
    west0.room.send('route.set', { prefix: '10.3.0.0/16', via: 'r-north' });
    west0.room.send('route.set', { prefix: '10.2.0.0/16', via: 'r-north' });
    west0.room.send('hand.mode', { enabled: false });
    west0.room.send('queue.set', { via: 'r-north', discipline: { kind: 'priority' } });
    host.room.send('host.link', { copy: 0, link: 'l-east-south', up: false });
    await eventually(() =>
      expect(
        (host.server.copies[1]?.sim.st.roles[4] as RouterState | null | undefined)?.handQueue.length,
      ).toBeGreaterThan(0),
    );
    const waiting =
      (host.server.copies[1]?.sim.st.roles[4] as RouterState | null | undefined)?.handQueue[0]?.packet.id ??
      0;
    west1.room.send('hand.forward', { packetId: waiting, via: 'r-south' });

    // The next hash after the commands (copy c hashes c seconds into every 8 s: copy 0 at 8 s, copy 1 at 9 s).
    // Not more: past COVER_IDLE_S (10 s) bots would cover the idle seats and send commands of their own,
    // which the counts below leave out.
    const lastTick = () => west0.inbox.of('sync.tick').at(-1)?.tick ?? 0;
    const until = lastTick() + 1;
    for (const c of [west0, west1, host])
      await c.inbox.waitFor('sync.hash', {
        where: (h) => h.tick >= until,
        timeoutMs: 2 * HASH_EVERY_TICKS * 50,
      });

    const reports = [west0, west1, host].map(replay);
    expect(reports.map((r) => r.copy)).toEqual([0, 1, 0]);
    // Copy c hashes on its own ticks, a second after copy c − 1 (staggered).
    for (const [client, copy] of [
      [west0, 0],
      [west1, 1],
    ] as const)
      for (const h of client.inbox.of('sync.hash')) expect(isHashTick(h.tick, copy)).toBe(true);
    for (const r of reports) {
      expect(r.mismatches).toEqual([]);
      expect(r.hashesChecked).toBeGreaterThanOrEqual(1);
    }
    // Copy 0 (four players, no bots): four commands from p1 + the host's link. Copy 1: three bots + one hand forward.
    expect(reports[0]?.commandsApplied).toBe(5);
    expect(reports[1]?.commandsApplied).toBe(4);
  });

  it('SYNC-4: sync.resync answers with a fresh snapshot of the current tick', async () => {
    const host = await createClass(colyseus, { timeScale: 1 });
    const ann = await joinAs(colyseus, host.code, 'Ann');
    host.room.send('host.start', {});
    await ann.inbox.waitFor('sync.tick', { where: (t) => t.tick >= 10 });
    const since = ann.inbox.mark();
    ann.room.send('sync.resync', {});
    const snap = await ann.inbox.waitFor('sync.snapshot', { since });
    expect(snap.tick).toBeGreaterThanOrEqual(10);
    const server = host.server.copies[0];
    expect(server?.tick).toBeGreaterThanOrEqual(snap.tick);
    expect(snap.bytes).toBeInstanceOf(Uint8Array);
  });
});

describe('what a tick sends (SPEC SYNC-3, SYNC-5)', () => {
  it('SYNC-3, SYNC-5: ticks come at 20 Hz and state patches at 5 Hz, from the tick', async () => {
    const host = await createClass(colyseus, { timeScale: 1 });
    const ann = await joinAs(colyseus, host.code, 'Ann');
    host.room.send('host.start', {});
    await ann.inbox.waitFor('sync.tick', { where: (t) => t.tick >= 5 });
    // simTimeUs changes every tick, so every patch the room sends carries a change.
    let patches = 0;
    ann.room.onStateChange(() => {
      patches++;
    });
    const since = ann.inbox.mark();
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const seconds = (performance.now() - t0) / 1000;
    const ticks = ann.inbox.all.slice(since).filter((m) => m.type === 'sync.tick').length;
    // Timers on a busy test machine slip a little; a timer of the wrong rate is off by 2× or more.
    expect(ticks / seconds).toBeGreaterThan(20 * 0.8);
    expect(ticks / seconds).toBeLessThan(20 * 1.2);
    expect(patches / seconds).toBeGreaterThan((TICK_HZ / TICKS_PER_BATCH) * 0.8);
    expect(patches / seconds).toBeLessThan((TICK_HZ / TICKS_PER_BATCH) * 1.2);
  });
});
