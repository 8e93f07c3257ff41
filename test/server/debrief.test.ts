/**
 * The debrief (SPEC DEBRIEF-1..6) against the real server: a short round ends; its
 * players fetch the debrief with the share key the room state gives them — failures by
 * place with the concept behind each reason, a point a simulated second per team, the
 * CSV — and its replay file reproduces the round's results headlessly.
 */
import { Client, type Room } from '@colyseus/sdk';
import { CLASS_ROOM, RoomState, type RoundResults, roundResults } from '@roundtrip/protocol';
import { lessonScenario, replayFile, verifyReplay } from '@roundtrip/server';
import { conceptFor } from '@roundtrip/sim';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from '../serverProcess.ts';
import { automate, type Connected, eventually, Inbox } from './helpers.ts';

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

describe('the debrief of a finished round (SPEC DEBRIEF-1..6)', () => {
  it('DEBRIEF-1, DEBRIEF-2, DEBRIEF-3, DEBRIEF-4, DEBRIEF-5, DEBRIEF-6, SCORE-7: groups, breakdowns, series, CSV and a replay that reproduces the round', async () => {
    server = await startServerProcess({ env: { ADDRESS_LIMITS: 'off' } });
    const client = () => new Client((server as ServerProcess).base.replace(/^http/, 'ws'));
    const host = await connect(
      client().create(
        CLASS_ROOM,
        { scenario: 'lesson-1-postal', durationS: 14, timeScale: 1, seed: 5 },
        RoomState,
      ),
    );
    const ann = await connect(client().joinById(host.room.roomId, { nickname: 'Ann' }, RoomState));
    // Bo holds a router, stops forwarding by hand and writes no route: what reaches him has no route.
    const bo = await connect(client().joinById(host.room.roomId, { nickname: 'Bo' }, RoomState));
    host.room.send('host.start', {});
    await eventually(() => expect(host.room.state.phase).toBe('running'));
    const annNode = ann.room.state.players.get(ann.room.sessionId)?.node as string;
    const boNode = bo.room.state.players.get(bo.room.sessionId)?.node as string;
    automate(ann, annNode);
    bo.room.send('hand.mode', { enabled: false });
    await eventually(() => expect(ann.room.state.phase).toBe('ended'), 30_000);

    // DEBRIEF-6: the share key arrives with the end; a wrong one finds nothing.
    await eventually(() => expect(ann.room.state.debrief).toMatch(/^\d+\/[\w-]{16,}$/));
    const base = `${(server as ServerProcess).base}/api/rounds/${ann.room.state.debrief}`;
    const [id] = ann.room.state.debrief.split('/');
    expect((await fetch(`${server.base}/api/rounds/${id}/${'x'.repeat(22)}`)).status).toBe(404);
    expect(
      (await fetch(`${server.base}/api/rounds/${Number(id) + 1}/${ann.room.state.debrief.split('/')[1]}`))
        .status,
    ).toBe(404);

    const res = await fetch(base);
    expect(res.status).toBe(200);
    const debrief: RoundResults = roundResults.parse(await res.json());
    expect(debrief.code).toBe(host.room.roomId);
    expect(debrief.teams[0]?.score).toBe(host.room.state.copies[0]?.score);

    // SCORE-7: the saved round keeps every player's and the team's breakdown, as the live results showed them.
    for (const row of ann.room.state.results) {
      const saved = debrief.players.find((p) => p.nickname === row.nickname);
      expect(saved?.parts).toEqual(JSON.parse(row.breakdown));
    }
    expect(debrief.players.find((p) => p.nickname === 'Bo')?.parts?.['no-route']?.count).toBeGreaterThan(0);
    expect(debrief.teams[0]?.parts).toEqual(JSON.parse(ann.room.state.copies[0]?.breakdown ?? ''));
    const teamPoints = Object.values(debrief.teams[0]?.parts ?? {}).reduce((n, p) => n + p.points, 0);
    expect(teamPoints).toBe(debrief.teams[0]?.score);
    expect(teamPoints).toBeGreaterThan(0);

    // DEBRIEF-3: one point per simulated second, the last one the final score.
    const series = debrief.series[0]?.series;
    expect(series?.tS).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(series?.score.length).toBe(14);
    expect(series?.p95LatencyMs.some((v) => v > 0)).toBe(true);
    expect(series?.score.at(-1)).toBe(debrief.teams[0]?.score);

    // DEBRIEF-1, DEBRIEF-2: failures where they happened, with the place's label, its role and a sentence.
    const scenario = lessonScenario('lesson-1-postal').scenario;
    const atBo = debrief.failures.filter((f) => f.place === boNode);
    expect(atBo.length).toBeGreaterThan(0);
    const boLabel = scenario.file.nodes.find((n) => n.id === boNode)?.label;
    for (const f of atBo) expect(f).toMatchObject({ placeLabel: boLabel, role: 'router' });
    expect(atBo.map((f) => f.reason)).toContain('no-route');
    for (const f of debrief.failures) {
      expect(['frame', 'request', 'page load', 'lookup']).toContain(f.unit);
      expect(debrief.concepts[f.reason]).toBe(conceptFor(f.reason, scenario.file.debrief));
    }
    const failed = debrief.failures
      .filter((f) => f.unit === 'frame' || f.unit === 'request')
      .reduce((n, f) => n + f.count, 0);
    expect(failed).toBe(debrief.teams[0]?.failed);

    // DEBRIEF-4: the CSV has the players, the teams and the failures with their places.
    const csv = await (await fetch(`${base}.csv`)).text();
    expect(csv).toContain('team,failure,count,unit,place,place id,role,concept');
    expect(csv).toContain(`,${boLabel},${boNode},router,`);
    expect(csv).toMatch(/\r\n\d,(Ann|Bo),1,/);

    // DEBRIEF-5: the replay re-runs to the same results; without the players' commands it does not.
    const replayRes = await fetch(`${base}.replay.json`);
    expect(replayRes.headers.get('content-disposition')).toMatch(
      /attachment; filename="?[\w-]+\.replay\.json/,
    );
    const replay = replayFile.parse(await replayRes.json());
    expect(replay).toMatchObject({ scenarioId: 'lesson-1-postal', seed: 5 });
    const commands = replay.copies[0]?.log.flatMap((e) => e.commands as { type: string }[]) ?? [];
    expect(commands.map((c) => c.type)).toEqual(
      expect.arrayContaining(['seat.bot', 'route.set', 'hand.mode']),
    );
    const verified = verifyReplay(replay, scenario);
    expect(verified.map((t) => t.matches)).toEqual([true]);
    const withoutAnn = {
      ...replay,
      copies: replay.copies.map((c) => ({
        ...c,
        log: c.log.map((e) => ({
          ...e,
          commands: e.commands.filter((cmd) => (cmd as { type: string }).type === 'seat.bot'),
        })),
      })),
    };
    expect(verifyReplay(withoutAnn, scenario)[0]?.matches).toBe(false);
  });
});
