/**
 * A bot covers an idle student's seat (SPEC COVER-1, COVER-2) against the real server:
 * in lesson 1 a router forwards by hand; Ida never acts while packets wait at hers, so
 * after COVER_IDLE_S her seat goes to its bot through the tick stream; her score stops
 * where it was while the bot works; her first action takes the seat back.
 */
import { Client, type Room } from '@colyseus/sdk';
import { CLASS_ROOM, RoomState } from '@roundtrip/protocol';
import { COVER_IDLE_S } from '@roundtrip/server';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from '../serverProcess.ts';
import { automate, type Connected, eventually, Inbox, replay } from './helpers.ts';

let server: ServerProcess | null = null;
const open: Room[] = [];

afterAll(async () => {
  for (const room of open) await room.leave().catch(() => {});
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

/** The commands the tick stream carried to `client`, in order, with the simulated time of their tick. */
function streamed(client: Connected): { type: string; node?: string; atUs: number }[] {
  return client.inbox
    .of('sync.tick')
    .flatMap((t) =>
      t.commands.map((c) => ({ ...(c as { type: string; node?: string }), atUs: t.simTimeUs })),
    );
}

describe('a bot covers an idle student (SPEC COVER-1, COVER-2)', () => {
  it('COVER-1, COVER-2: idle while packets wait → the bot covers, her score holds; one action takes the seat back', async () => {
    server = await startServerProcess({ env: { ADDRESS_LIMITS: 'off' } });
    const client = () => new Client((server as ServerProcess).base.replace(/^http/, 'ws'));
    const host = await connect(
      client().create(
        CLASS_ROOM,
        { scenario: 'lesson-1-postal', durationS: 600, timeScale: 1, seed: 11 },
        RoomState,
      ),
    );
    const ann = await connect(client().joinById(host.room.roomId, { nickname: 'Ann' }, RoomState));
    const ida = await connect(client().joinById(host.room.roomId, { nickname: 'Ida' }, RoomState));
    host.room.send('host.start', {});
    await eventually(() => expect(host.room.state.phase).toBe('running'));
    const annNode = ann.room.state.players.get(ann.room.sessionId)?.node as string;
    const idaNode = ida.room.state.players.get(ida.room.sessionId)?.node as string;
    const idaRow = () => host.room.state.players.get(ida.room.sessionId);
    const annRow = () => host.room.state.players.get(ann.room.sessionId);
    automate(ann, annNode); // Ann plays; her router needs no hand, so nothing waits on her

    // COVER-1: Ida has not acted for COVER_IDLE_S while packets waited: her seat goes to its bot.
    await eventually(() => expect(idaRow()?.covered).toBe(true), (COVER_IDLE_S + 10) * 1_000);
    // The state says so first; the bot's command follows in the next tick.
    const botCommand = () => streamed(ida).find((c) => c.type === 'seat.bot' && c.node === idaNode);
    await eventually(() => expect(botCommand()).toBeDefined());
    const coveredAt = botCommand();
    expect(coveredAt?.atUs).toBeGreaterThanOrEqual(COVER_IDLE_S * 1_000_000);
    expect(annRow()?.covered).toBe(false);
    // The bot (the room's default, competent) forwards by table: nothing waits at her router now.
    await eventually(() => {
      const { sim } = replay(ida);
      const router = sim.st.roles[sim.sc.nodeIndex.get(idaNode) as number] as {
        handForwarding: boolean;
        handQueue: unknown[];
      };
      expect(router.handForwarding).toBe(false);
      expect(router.handQueue).toEqual([]);
    });

    // COVER-2: while the bot works her score holds; its packets delivered are not hers.
    const heldAt = idaRow()?.score as number;
    const teamThen = host.room.state.copies[0]?.score as number;
    await eventually(() => expect(host.room.state.copies[0]?.score).toBeGreaterThan(teamThen + 20), 20_000);
    expect(idaRow()?.score).toBe(heldAt);

    // One action takes the seat back: `seat.player` reaches the stream before her command.
    ida.room.send('hand.mode', { enabled: true });
    await eventually(() => expect(idaRow()?.covered).toBe(false));
    await eventually(() => {
      const after = streamed(ida).filter((c) => c.node === idaNode && c.atUs > (coveredAt?.atUs ?? 0));
      expect(after.map((c) => c.type)).toEqual(['seat.player', 'hand.mode']);
    });
    expect(replay(ida).mismatches).toEqual([]);

    host.room.send('host.end', {});
    await eventually(() => expect(host.room.state.results.length).toBe(2));
    const rows = host.room.state.results.toArray();
    const idaResult = rows.find((r) => r.nickname === 'Ida');
    const parts = JSON.parse(idaResult?.breakdown ?? '{}') as Record<
      string,
      { count: number; points: number }
    >;
    // Ida forwarded nothing herself: what the bot delivered is not in her breakdown.
    expect(parts.delivered).toBeUndefined();
    expect(Object.values(parts).reduce((s, p) => s + p.points, 0)).toBe(idaResult?.score);
    expect(idaResult?.score).toBeGreaterThan(-COVER_IDLE_S * 10);
  }, 90_000);
});
