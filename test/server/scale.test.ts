/**
 * Scale-out on Redis (SPEC SCALE-1): a real redis-server and two server processes
 * sharing it. A room created through one process is joined by its code through the
 * other and played; two processes never take the same join code.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@colyseus/sdk';
import { CLASS_ROOM, HASH_EVERY_TICKS, type RoomState, TICK_MS } from '@roundtrip/protocol';
import { claimJoinCode, randomJoinCode, scaleOutOptions } from '@roundtrip/server';
import { routerView } from '@roundtrip/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from '../redisServer.ts';
import { freePort, type ServerProcess, startServerProcess } from '../serverProcess.ts';
import { type Connected, eventually, Inbox, replay, WAIT_MS } from './helpers.ts';

let redis: RedisServer;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  // As `pnpm start:cluster` runs them: started together, on one data directory.
  const dataDir = mkdtempSync(join(tmpdir(), 'roundtrip-scale-'));
  const ports = [await freePort(), await freePort()];
  servers.push(
    ...(await Promise.all(
      ports.map((port, i) =>
        startServerProcess({
          port,
          dataDir,
          env: {
            REDIS_URL: redis.url,
            PUBLIC_ADDRESS: `127.0.0.1:${port}`,
            ADDRESS_LIMITS: 'off',
            ...(i > 0 ? { RESTORE_ROOMS: 'off' } : {}),
          },
        }),
      ),
    )),
  );
}, 60_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await redis?.stop();
});

/** Rooms living in `server`'s own process, from its /metrics. */
async function localRooms(server: ServerProcess): Promise<number> {
  const text = await (await fetch(`${server.base}/metrics`)).text();
  return [...text.matchAll(/^roundtrip_rooms\{phase="\w+"\} (\d+)$/gm)].reduce((a, m) => a + Number(m[1]), 0);
}

async function connected(join: Promise<unknown>): Promise<Connected> {
  const room = (await join) as Connected['room'];
  const inbox = new Inbox(room);
  await inbox.waitFor('welcome');
  return { room, inbox };
}

describe('scale-out on Redis (SPEC SCALE-1)', () => {
  it('SCALE-1, ROOM-13: a player joins by code, through the other process, a room living on one, and plays', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const host = await connected(new Client(a.base).create<RoomState>(CLASS_ROOM, { seed: 11 }));
    const code = host.room.roomId;
    await eventually(async () => expect((await localRooms(a)) + (await localRooms(b))).toBe(1));
    // Whichever process the matchmaker put the room on, join through the other one.
    const home = (await localRooms(a)) === 1 ? a : b;
    const other = home === a ? b : a;
    const ann = await connected(new Client(other.base).joinById<RoomState>(code, { nickname: 'Ann' }));
    expect(await ann.inbox.waitFor('welcome')).toMatchObject({ role: 'player' });
    // A nickname taken on the room's process is refused through the other, at reservation.
    await expect(new Client(other.base).joinById(code, { nickname: 'ANN' })).rejects.toThrow(/already taken/);
    host.room.send('host.start', {});
    await ann.inbox.waitFor('sync.snapshot');
    ann.room.send('route.set', { prefix: '10.3.0.0/16', via: 'r-north' });
    await ann.inbox.waitFor('sync.tick', {
      where: (t) => t.commands.some((c) => c.type === 'route.set' && c.via === 'r-north'),
    });
    // Copy 0's first hash comes 8 s into the round (SYNC-4).
    await ann.inbox.waitFor('sync.hash', { timeoutMs: HASH_EVERY_TICKS * TICK_MS + WAIT_MS });
    const report = replay(ann);
    expect(report.mismatches).toEqual([]);
    expect(report.hashesChecked).toBeGreaterThan(0);
    const west = routerView(report.sim, 'r-west');
    expect(west?.routes).toContainEqual(expect.objectContaining({ prefix: '10.3.0.0/16', via: 'r-north' }));
    expect(home.output()).not.toMatch(/"level":50/);
    expect(other.output()).not.toMatch(/"level":50/);
    await ann.room.leave();
    await host.room.leave();
  });

  it('SCALE-1, ROOM-1: two processes never take the same join code', async () => {
    const p1 = (await scaleOutOptions({ REDIS_URL: redis.url })).presence;
    const p2 = (await scaleOutOptions({ REDIS_URL: redis.url })).presence;
    if (!p1 || !p2) throw new Error('REDIS_URL gave no presence');
    try {
      const codes = Array.from({ length: 300 }, randomJoinCode);
      const claims = await Promise.all(
        codes.map((c) => Promise.all([claimJoinCode(c, p1), claimJoinCode(c, p2)])),
      );
      for (const [x, y] of claims) expect(x !== y).toBe(true);
    } finally {
      p1.shutdown();
      p2.shutdown();
    }
    // Rooms created through both processes get distinct codes, each joinable through either.
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const hosts = await Promise.all(
      Array.from({ length: 8 }, (_, i) => new Client((i % 2 ? a : b).base).create<RoomState>(CLASS_ROOM, {})),
    );
    const roomCodes = hosts.map((h) => h.roomId);
    expect(new Set(roomCodes).size).toBe(roomCodes.length);
    await Promise.all(hosts.map((h) => h.leave()));
  });
});
