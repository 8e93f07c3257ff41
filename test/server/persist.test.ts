/**
 * Results that survive (SPEC PERSIST-1..5), against the real server as a child
 * process: a round finishes, another runs, the server is killed with SIGKILL and
 * started again on the same data directory; the host and players come back with
 * their tokens to the same round, which carries on where it was, and the finished
 * round is still in the host's history.
 */
import { randomBytes } from 'node:crypto';
import { Client, type Room } from '@colyseus/sdk';
import { CLASS_ROOM, RoomState, type ServerMessages } from '@roundtrip/protocol';
import { lessonScenario, replayFile, verifyReplay } from '@roundtrip/server';
import { routerView } from '@roundtrip/sim';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from '../serverProcess.ts';
import { automate, type Connected, eventually, Inbox, replay } from './helpers.ts';

const HOST_KEY = randomBytes(18).toString('base64url');
let server: ServerProcess | null = null;
const open: Room[] = [];

afterAll(async () => {
  // Rooms of the killed server never answer a leave: don't wait for them.
  for (const room of open) room.leave().catch(() => {});
  await server?.stop();
});

async function connect(join: Promise<Room<unknown, RoomState>>): Promise<Connected> {
  const room = await join;
  open.push(room);
  const inbox = new Inbox(room);
  if (!room.state.code) await new Promise((ok) => room.onStateChange.once(ok));
  await inbox.waitFor('welcome');
  return { room, inbox };
}

const client = () => new Client((server as ServerProcess).base.replace(/^http/, 'ws'));

async function history(path = ''): Promise<Response> {
  return fetch(`${(server as ServerProcess).base}/api/history${path}`, {
    headers: { 'x-host-key': HOST_KEY },
  });
}

describe('a server killed mid-round (SPEC PERSIST-1..5)', () => {
  it('PERSIST-1, PERSIST-2, PERSIST-4, PERSIST-5, DEBRIEF-5: comes back with the round where it was and every finished result', async () => {
    server = await startServerProcess({ env: { ADDRESS_LIMITS: 'off' } });

    // A short round that finishes: its results are in the host's history.
    const first = await connect(
      client().create(
        CLASS_ROOM,
        { scenario: 'lesson-1-postal', durationS: 2, timeScale: 1, seed: 3, hostKey: HOST_KEY },
        RoomState,
      ),
    );
    await connect(client().joinById(first.room.roomId, { nickname: 'Early' }, RoomState));
    first.room.send('host.start', {});
    await eventually(() => expect(first.room.state.phase).toBe('ended'), 10_000);
    // PERSIST-1: written before the round was reported ended.
    const listed = (await (await history()).json()) as { id: number; code: string; players: number }[];
    expect(listed).toEqual([expect.objectContaining({ code: first.room.roomId, players: 1 })]);

    // A long round, running, with two players and a route one of them wrote.
    const host = await connect(
      client().create(
        CLASS_ROOM,
        { scenario: 'lesson-1-postal', durationS: 600, timeScale: 1, seed: 11, hostKey: HOST_KEY },
        RoomState,
      ),
    );
    const code = host.room.roomId;
    const ann = await connect(client().joinById(code, { nickname: 'Ann' }, RoomState));
    const bo = await connect(client().joinById(code, { nickname: 'Bo' }, RoomState));
    const hostToken = host.inbox.of('welcome')[0]?.hostToken as string;
    const annToken = ann.inbox.of('welcome')[0]?.playerToken as string;
    const boToken = bo.inbox.of('welcome')[0]?.playerToken as string;
    expect(annToken).toMatch(/^[\w-]{16,}$/);
    host.room.send('host.start', {});
    await eventually(() => expect(host.room.state.phase).toBe('running'));
    const annNode = ann.room.state.players.get(ann.room.sessionId)?.node as string;
    automate(ann, annNode);
    automate(bo, bo.room.state.players.get(bo.room.sessionId)?.node as string);
    ann.room.send('route.set', { prefix: '10.9.0.0/16', via: neighbourOf(ann, annNode) });
    // Past the first periodic checkpoint (5 s) and some log flushes after it.
    await eventually(() => expect(host.room.state.simTimeUs).toBeGreaterThan(7_500_000), 15_000);
    const before = seatsOf(host.room.state);
    const teamBefore = { ...host.room.state.copies[0]?.toJSON() } as { completed: number; score: number };
    const simTimeAtKillUs = host.room.state.simTimeUs;

    await server.kill9();
    server = await startServerProcess({
      port: server.port,
      dataDir: server.dataDir,
      env: { ADDRESS_LIMITS: 'off' },
    });

    // PERSIST-4: the room is back under its code; the host comes back with its token.
    const host2 = await connect(client().joinById(code, { hostToken }, RoomState));
    const state = host2.room.state;
    expect(state.phase).toBe('running');
    // Within a couple of seconds of the kill: the log is written every second.
    expect(state.simTimeUs).toBeGreaterThan(simTimeAtKillUs - 2_500_000);
    expect(state.simTimeUs).toBeLessThan(simTimeAtKillUs + 2_000_000);
    // Seats are held for their players, shown as away until they come back.
    expect(seatsOf(state)).toEqual(before.map((s) => ({ ...s, connected: false })));
    expect(state.copies[0]?.completed).toBeGreaterThan(0);
    expect(state.copies[0]?.completed).toBeLessThanOrEqual(teamBefore.completed);
    expect(state.copies[0]?.scoreHistory.length).toBeGreaterThan(0);

    // Players come back with nickname and token to their own seats; a stranger cannot take one.
    await expect(
      client().joinById(code, { nickname: 'Ann', playerToken: boToken }, RoomState),
    ).rejects.toThrow(/already taken/);
    const ann2 = await connect(
      client().joinById(code, { nickname: 'Ann', playerToken: annToken }, RoomState),
    );
    const bo2 = await connect(client().joinById(code, { nickname: 'Bo', playerToken: boToken }, RoomState));
    await eventually(() => expect(seatsOf(host2.room.state)).toEqual(before));
    expect(ann2.inbox.of('welcome')[0]?.playerToken).toBe(annToken);

    // The round carries on from there, with Ann's route, and replicas agree with the server.
    const resumedAtUs = host2.room.state.simTimeUs;
    await eventually(
      () => expect(host2.room.state.simTimeUs).toBeGreaterThan(resumedAtUs + 2_000_000),
      10_000,
    );
    const snap = (await ann2.inbox.waitFor('sync.snapshot')) as ServerMessages['sync.snapshot'];
    expect(snap.tick).toBeGreaterThan(100);
    const report = replay(ann2);
    expect(report.hashesChecked).toBeGreaterThan(0);
    expect(report.mismatches).toEqual([]);
    expect(routesAt(ann2, annNode)).toContainEqual({ prefix: '10.9.0.0/16', via: neighbourOf(ann, annNode) });
    expect(bo2.room.state.phase).toBe('running');

    // PERSIST-2: nothing finished was lost, and the resumed round is listed once it ends.
    host2.room.send('host.end', {});
    await eventually(() => expect(host2.room.state.phase).toBe('ended'));
    const after = (await (await history()).json()) as { id: number; code: string; players: number }[];
    expect(after.map((r) => r.code)).toEqual([code, first.room.roomId]);
    expect(after[0]?.players).toBe(2);
    const csv = await (await history(`/${after[1]?.id}.csv`)).text();
    expect(csv).toMatch(/^rank,nickname,team,node,role,score,team score,left early\r\n1,Early,1,/);

    // DEBRIEF-5: the replay of the round that lived through the kill holds its whole log and reproduces it.
    const replayed = replayFile.parse(await (await history(`/${after[0]?.id}.replay.json`)).json());
    const routeSet = replayed.copies[0]?.log.flatMap((e) => e.commands as { type: string }[]);
    expect(routeSet?.filter((c) => c.type === 'route.set').length).toBeGreaterThan(1);
    expect(verifyReplay(replayed, lessonScenario('lesson-1-postal').scenario).map((t) => t.matches)).toEqual([
      true,
    ]);

    expect((await history('/999999')).status).toBe(404);
    // PERSIST-2: without the key nothing is listed; another key sees none of these.
    expect((await fetch(`${server.base}/api/history`)).status).toBe(401);
    const other = await fetch(`${server.base}/api/history`, { headers: { 'x-host-key': 'x'.repeat(24) } });
    expect(await other.json()).toEqual([]);
  });
});

/** Each player's seat and standing as the room state shows them, by nickname. */
function seatsOf(state: RoomState) {
  return [...state.players.values()]
    .map((p) => ({ nickname: p.nickname, copy: p.copy, node: p.node, connected: p.connected }))
    .sort((a, b) => a.nickname.localeCompare(b.nickname));
}

/** A neighbour of `node` in the welcome scenario (a valid next hop). */
function neighbourOf(player: Connected, node: string): string {
  const scenario = player.inbox.of('welcome')[0]?.scenario as { links: { a: string; b: string }[] };
  const link = scenario.links.find((l) => l.a === node || l.b === node);
  if (!link) throw new Error(`no link at ${node}`);
  return link.a === node ? link.b : link.a;
}

/** The routes of router `node` in the copy the player last received a snapshot of. */
function routesAt(player: Connected, node: string): { prefix: string; via: string }[] {
  return routerView(replay(player).sim, node)?.routes ?? [];
}
