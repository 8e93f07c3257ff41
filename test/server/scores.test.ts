/** Scores belong to players, not seats (SPEC SCORE-7), in-process. */
import { randomBytes } from 'node:crypto';
import { boot, type ColyseusTestServer } from '@colyseus/testing';
import type { RoomState } from '@roundtrip/protocol';
import { appConfig } from '@roundtrip/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../serverProcess.ts';
import { automate, type Connected, createClass, eventually, Inbox } from './helpers.ts';

let colyseus: ColyseusTestServer;
beforeAll(async () => {
  colyseus = await boot(appConfig, await freePort());
});
afterAll(async () => {
  await colyseus.shutdown();
});

/** Joins as a player from the browser `device`. */
async function joinFrom(code: string, nickname: string, device: string): Promise<Connected> {
  const room = await colyseus.sdk.joinById<RoomState>(code, { nickname, deviceId: device });
  const inbox = new Inbox(room);
  await room.waitForInitialState();
  await inbox.waitFor('welcome');
  return { room, inbox };
}

describe('scores belong to players (SPEC SCORE-7)', () => {
  it('SCORE-7: a student who leaves and joins again under another name keeps their points, not the seat’s, and is listed once', async () => {
    const host = await createClass(colyseus, { scenario: 'lesson-1-postal', durationS: 600, timeScale: 1 });
    const device = randomBytes(18).toString('base64url');
    const first = await joinFrom(host.code, 'Ann', device);
    const other = await joinFrom(host.code, 'Bob', randomBytes(18).toString('base64url'));
    host.room.send('host.start', {});
    await eventually(() => expect(host.room.state.phase).toBe('running'));
    const annNode = host.room.state.players.get(first.room.sessionId)?.node as string;
    // Ann's seat earns while she is away: that is the bot's, not hers.
    await eventually(
      () => expect(host.room.state.players.get(first.room.sessionId)?.score).toBeLessThan(0),
      15_000,
    );
    const leftWith = host.room.state.players.get(first.room.sessionId)?.score as number;
    await first.room.leave();
    await eventually(() => expect(host.room.state.players.get(first.room.sessionId)).toBeUndefined());
    // Her seat's bot now delivers; the seat's score grows.
    const seatBefore = host.server.copies[0]?.scoreboard.nodeScore(annNode) as number;
    await eventually(
      () => expect(host.server.copies[0]?.scoreboard.nodeScore(annNode)).toBeGreaterThan(seatBefore),
      15_000,
    );
    // Paused while she comes back, so that her router (the bot's table, forwarding by
    // itself) cannot earn her anything before her score is read.
    host.room.send('host.pause', {});
    await eventually(() => expect(host.room.state.phase).toBe('paused'));
    const back = await joinFrom(host.code, 'Annie', device);
    const me = () => host.room.state.players.get(back.room.sessionId);
    await eventually(() => expect(me()?.node).toBe(annNode));
    await eventually(() => expect(me()?.score).toBe(leftWith));
    host.room.send('host.resume', {});
    // She plays her router well: her score grows from where she left it.
    automate(back, annNode);
    await eventually(() => expect(me()?.score).toBeGreaterThan(leftWith), 20_000);
    host.room.send('host.end', {});
    await eventually(() => expect(host.room.state.results.length).toBe(2));
    const rows = host.room.state.results.toArray();
    expect(rows.map((r) => r.nickname).sort()).toEqual(['Annie', 'Bob']);
    const annie = rows.find((r) => r.nickname === 'Annie');
    const parts = JSON.parse(annie?.breakdown ?? '{}') as Record<string, { count: number; points: number }>;
    expect(Object.values(parts).reduce((s, p) => s + p.points, 0)).toBe(annie?.score);
    expect(parts['hand-timeout']?.count).toBeGreaterThan(0);
    expect(parts.delivered?.count).toBeGreaterThan(0);
    expect(JSON.parse(host.room.state.copies[0]?.breakdown ?? '{}')).toHaveProperty('frame');
    await other.room.leave();
  }, 60_000);

  it('SCORE-7, HOST-4: a player the host moves mid-round takes their points along, and the old seat’s bot earns them nothing', async () => {
    const host = await createClass(colyseus, { scenario: 'lesson-1-postal', durationS: 600, timeScale: 1 });
    const ann = await joinFrom(host.code, 'Ann', randomBytes(18).toString('base64url'));
    const bob = await joinFrom(host.code, 'Bob', randomBytes(18).toString('base64url'));
    host.room.send('host.start', {});
    await eventually(() => expect(host.room.state.phase).toBe('running'));
    const me = () => host.room.state.players.get(ann.room.sessionId);
    const oldNode = me()?.node as string;
    // Idle, her router times packets out: she has made something (below 0) to take along.
    await eventually(() => expect(me()?.score).toBeLessThan(0), 15_000);
    host.room.send('host.pause', {});
    await eventually(() => expect(host.room.state.phase).toBe('paused'));
    const taken = new Set([...host.room.state.players.values()].map((p) => p.node));
    const free = ['r-west', 'r-north', 'r-east', 'r-south'].find((n) => !taken.has(n)) as string;
    host.room.send('host.seat', { player: ann.room.sessionId, copy: 0, node: free });
    await eventually(() => expect(me()?.node).toBe(free));
    const movedWith = me()?.score as number;
    const seatScore = (node: string) => host.server.copies[0]?.scoreboard.nodeScore(node) as number;
    const newSeatAtMove = seatScore(free);
    const oldSeatAtMove = seatScore(oldNode);
    host.room.send('host.resume', {});
    // Her old seat's bot delivers from now on; none of it is hers.
    await eventually(() => expect(seatScore(oldNode)).toBeGreaterThan(oldSeatAtMove + 5), 20_000);
    host.room.send('host.pause', {});
    await eventually(() => expect(host.room.state.phase).toBe('paused'));
    // What she has is what she brought plus what her new seat made since.
    const expected = () => movedWith + seatScore(free) - newSeatAtMove;
    await eventually(() => expect(me()?.score).toBe(expected()));
    host.room.send('host.end', {});
    await eventually(() => expect(host.room.state.results.length).toBe(2));
    const row = host.room.state.results.toArray().find((r) => r.nickname === 'Ann');
    expect(row?.node).toBe(free);
    expect(row?.score).toBe(expected());
    await ann.room.leave();
    await bob.room.leave();
  }, 60_000);
});
