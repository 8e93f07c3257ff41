/**
 * `pnpm bench:checkpoint [--players P] [--lesson ID] [--seconds S] [--writes N] [--tick-seconds T] [--json]`:
 * how long saving a room (SPEC PERSIST-3) holds up its tick. A room of P players (bots
 * play every seat, as a class would) runs S simulated seconds tick by tick; then, in a
 * temporary data directory, the whole room's checkpoint (every copy's snapshot and tally
 * in one SQLite transaction) is timed N times, and then T (default N) seconds of ticks each
 * with its share of the saving (one copy's checkpoint, the once-a-second log flush, or
 * nothing). Each phase also lists the times of the writes during which the database file
 * grew: a WAL checkpoint ran then (SQLite's own, inside the commit, before SPEC PERSIST-5's
 * worker; after it, only when the worker's happened to overlap the write). One room writes
 * about 4 MiB — SQLite's autocheckpoint — in ~40 whole checkpoints or a few minutes of
 * ticks: a T of a few hundred lets the ticks meet it. A benchmark, not a test: figures go
 * in docs/PERFORMANCE.md.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { TICK_HZ } from '@roundtrip/protocol';
import { percentile } from '@roundtrip/sim';
import { type CopyStep, SimCopy } from '../src/copies.ts';
import { RoomKeeper, type SavedRoom } from '../src/persistence.ts';
import { lessonScenario } from '../src/scenarios.ts';
import { copiesNeeded } from '../src/seats.ts';
import { Store } from '../src/store.ts';

const { values } = parseArgs({
  options: {
    players: { type: 'string', default: '40' },
    lesson: { type: 'string', default: 'lesson-2-mail' },
    seconds: { type: 'string', default: '120' },
    writes: { type: 'string', default: '40' },
    'tick-seconds': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const players = Number(values.players);
const simSeconds = Number(values.seconds);
const writes = Number(values.writes);
const tickSeconds = Number(values['tick-seconds'] ?? values.writes);
const lesson = lessonScenario(values.lesson).scenario;
const seatsPerCopy = lesson.seats.length;
const copyCount = copiesNeeded(
  Array.from({ length: players }, (_, i) => ({ copy: Math.floor(i / seatsPerCopy) })),
);
const seed = 7;
const copies = Array.from({ length: copyCount }, (_, i) => new SimCopy(i, lesson, seed));
for (const copy of copies)
  for (const { node } of lesson.seats)
    copy.enqueue({ cmd: { type: 'seat.bot', node }, senderSessionId: null, request: 'seat.bot' });

const dir = mkdtempSync(join(tmpdir(), 'roundtrip-bench-checkpoint-'));
const store = new Store(dir);
/** Times one write; keeps its time in `grewMs` too if the database file grew meanwhile (a checkpoint ran). */
const timed = (write: () => void, ms: number[], grewMs: number[]): void => {
  const bytes = statSync(store.path).size;
  const t0 = performance.now();
  write();
  const took = performance.now() - t0;
  ms.push(took);
  if (statSync(store.path).size > bytes) grewMs.push(Math.round(took * 100) / 100);
};
const keeper = new RoomKeeper(store, 'BENCH');
const room = (): SavedRoom => ({
  code: 'BENCH',
  lessonId: values.lesson,
  seed,
  durationUs: 600_000_000,
  timeScale: 1,
  phase: 'running',
  hostToken: 'h'.repeat(24),
  hostKeyHash: null,
  startedAtMs: 0,
  players: Array.from({ length: players }, (_, i) => ({
    sessionId: `session-${i}`,
    nickname: `Player ${i}`,
    copy: Math.floor(i / seatsPerCopy),
    node: lesson.seats[i % seatsPerCopy]?.node ?? '',
    role: 'router',
    score: 0,
    token: 't'.repeat(24),
  })),
  departed: [],
  departedNicknames: [],
  copies: copies.map((c) => ({
    tick: c.tick,
    simTimeUs: c.sim.nowUs,
    udpP95History: [],
    tcpP95History: [],
    scoreHistory: [],
  })),
});

const tickUs = 1_000_000 / TICK_HZ;
const step = (c: SimCopy): CopyStep => {
  const s = c.step(tickUs);
  keeper.stepped(s);
  return s;
};
for (let t = 0; t < simSeconds * TICK_HZ; t++) for (const c of copies) step(c);

const snapshotBytes = copies.reduce((n, c) => n + c.checkpoint().snapshot.byteLength, 0);
const tallyBytes = copies.reduce((n, c) => n + c.checkpoint().tally.byteLength, 0);
// The whole room at once: when a round starts, and when the server stops.
const wholeMs: number[] = [];
const wholeGrewMs: number[] = [];
for (let i = 0; i < writes; i++) {
  for (const c of copies) step(c);
  timed(() => keeper.checkpoint(room(), copies), wholeMs, wholeGrewMs);
}
// The steady state: every tick's share (a copy's checkpoint, the log flush, or nothing), one
// command per player every few seconds — more than a class sends.
const tickWriteMs: number[] = [];
const tickGrewMs: number[] = [];
for (let t = 0; t < tickSeconds * TICK_HZ; t++) {
  for (const c of copies) {
    if (t % (seatsPerCopy * TICK_HZ) === c.index)
      c.enqueue({
        cmd: { type: 'hand.mode', node: lesson.seats[0]?.node ?? '', enabled: false },
        senderSessionId: 'p',
        request: 'hand.mode',
      });
    step(c);
  }
  timed(() => keeper.tick(room, copies), tickWriteMs, tickGrewMs);
}
store.close();
rmSync(dir, { recursive: true, force: true });

const figures = {
  lesson: values.lesson,
  players,
  copies: copyCount,
  simSeconds,
  snapshotKiB: Math.round(snapshotBytes / 1024),
  tallyKiB: Math.round(tallyBytes / 1024),
  wholeCheckpointMs: summary(wholeMs),
  tickSeconds,
  perTickWriteMs: summary(tickWriteMs),
  worstTickWrites: tickWriteMs.filter((ms) => ms > 1).length,
  ticksOver2Ms: tickWriteMs.filter((ms) => ms > 2).length,
  // The times of the writes during which the database file grew.
  fileGrewInWholeCheckpointsMs: wholeGrewMs,
  fileGrewInTicksMs: tickGrewMs,
};
if (values.json) console.log(JSON.stringify(figures));
else console.log(figures);

function summary(ms: number[]): { p50: number; p99: number; max: number } {
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { p50: r(percentile(ms, 0.5)), p99: r(percentile(ms, 0.99)), max: r(Math.max(...ms)) };
}
