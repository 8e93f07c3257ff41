/**
 * A competition survives a crash (SPEC COMP-1, COMP-4, PERSIST-4), against the real
 * server as a child process: killed mid-round and started again, the room comes back
 * as a competition — its team names, its seats by team, its filter — and a player who
 * takes their seat back still decodes nothing of the other team's copy.
 */
import { Client, type Room } from '@colyseus/sdk';
import { CLASS_ROOM } from '@roundtrip/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from '../serverProcess.ts';
import { type Connected, eventually, Inbox } from './helpers.ts';

let server: ServerProcess | null = null;
const open: Room[] = [];

afterAll(async () => {
  for (const room of open) room.leave().catch(() => {});
  await server?.stop();
});

/** Joined without a schema of its own: the decoded state holds only what was sent. */
async function connect(join: Promise<Room>): Promise<Connected> {
  const room = await join;
  open.push(room);
  const inbox = new Inbox(room as never);
  await inbox.waitFor('welcome');
  await eventually(() => expect((room.state as { code?: string }).code).toBeTruthy());
  return { room, inbox } as unknown as Connected;
}

const client = () => new Client((server as ServerProcess).base.replace(/^http/, 'ws'));

describe('a competition killed mid-round (SPEC COMP-1, COMP-4, PERSIST-4)', () => {
  it('COMP-1, COMP-4: comes back with its teams, and a team still receives only its own copy', async () => {
    server = await startServerProcess({ env: { ADDRESS_LIMITS: 'off' } });
    const host = await connect(
      client().create(CLASS_ROOM, {
        scenario: 'lesson-1-postal',
        teams: ['Owls', 'Foxes'],
        durationS: 60,
        timeScale: 1,
      }),
    );
    const code = host.room.roomId;
    const owl = await connect(client().joinById(code, { nickname: 'Owl', team: 0 }));
    await connect(client().joinById(code, { nickname: 'Fox', team: 1 }));
    host.room.send('host.start', {});
    await eventually(() => expect(host.room.state.copies[1]?.links?.size).toBe(8), 15_000);
    // Each copy's checkpoint is written every 5 s (PERSIST-3): let one of each be saved.
    await new Promise((ok) => setTimeout(ok, 6_000));
    const hostToken = host.inbox.of('welcome')[0]?.hostToken as string;
    const owlToken = owl.inbox.of('welcome')[0]?.playerToken as string;

    await server.kill9();
    server = await startServerProcess({
      port: server.port,
      dataDir: server.dataDir,
      env: { ADDRESS_LIMITS: 'off' },
    });

    const host2 = await connect(client().joinById(code, { hostToken }));
    expect([...host2.room.state.teams]).toEqual(['Owls', 'Foxes']);
    expect(host2.room.state.phase).toBe('running');
    const owl2 = await connect(client().joinById(code, { nickname: 'Owl', playerToken: owlToken }));
    await eventually(() => expect(owl2.room.state.copies[0]?.links?.size).toBe(8), 10_000);
    const foxes = owl2.room.state.copies[1] as unknown as Record<string, unknown>;
    expect(
      Object.keys(foxes)
        .filter((k) => foxes[k] !== undefined)
        .sort(),
    ).toEqual(['index', 'score']);
    const fox = [...owl2.room.state.players.values()].find((p) => p.nickname === 'Fox') as unknown as Record<
      string,
      unknown
    >;
    expect(fox.copy).toBe(1);
    expect(fox.node).toBeUndefined();
    expect(host2.room.state.players.size).toBe(2);
    for (const m of owl2.inbox.of('sync.tick')) expect(m.copy).toBe(0);
  });
});
