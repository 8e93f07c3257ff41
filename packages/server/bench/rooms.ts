/**
 * `pnpm bench:rooms [--rooms N] [--players P] [--lesson ID] [--seconds S] [--json]`:
 * how many classroom rooms one server process keeps at 20 Hz (ARCHITECTURE
 * "Budgets": ≥ 100 rooms of 40 players on one core, no late ticks; a room's tick
 * p99 ≤ 2 ms).
 *
 * The real server runs on this process's main thread — its one core. The players
 * are Colyseus SDK clients in a worker thread (the machine's other core), so their
 * decoding never delays a server tick. Each room: a host creates it, P players
 * join, the host starts the round; rooms stop being added at the first join that
 * fails (a saturated server lets seat reservations expire). Then, for S seconds,
 * every room tick (the round's step, the state patch and the socket writes) is
 * timed, ticks run are counted against ticks due, and the main thread's event-loop
 * delay and utilisation are sampled. A benchmark, not a test: figures go in
 * docs/PERFORMANCE.md.
 */
import { Socket } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { CLASS_ROOM, TICK_HZ } from '@roundtrip/protocol';
import { percentile } from '@roundtrip/sim';
import { lessons } from '../src/lessons.ts';
import { sleep, startRealServer } from './realServer.ts';

interface Plan {
  url: string;
  rooms: number;
  players: number;
  lesson: string;
}

/** Worker → main: the rooms that are running (and why no more could be added); later, what the players received. */
type WorkerReport =
  | { kind: 'ready'; joinMs: number; rooms: number; failure: string }
  | { kind: 'received'; messages: number; disconnected: number };

if (isMainThread) await main();
else await players(workerData as Plan);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rooms: { type: 'string', default: '100' },
      players: { type: 'string', default: '40' },
      lesson: { type: 'string', default: 'lesson-2-mail' },
      seconds: { type: 'string', default: '20' },
      json: { type: 'boolean', default: false },
    },
  });
  const rooms = positiveInt(values.rooms, '--rooms');
  const perRoom = positiveInt(values.players, '--players');
  const seconds = positiveInt(values.seconds, '--seconds');
  const lessonIds = lessons().map((l) => l.id);
  if (!lessonIds.includes(values.lesson)) fail(`--lesson must be one of ${lessonIds.join(', ')}`);

  const ticks = await timeRoomTicks();
  const writes = countSocketWrites();
  const server = await startRealServer();

  const plan: Plan = { url: server.url, rooms, players: perRoom, lesson: values.lesson };
  const worker = new Worker(new URL(import.meta.url), { workerData: plan });
  const reports: WorkerReport[] = [];
  let wake = () => {};
  worker.on('message', (r: WorkerReport) => {
    reports.push(r);
    wake();
  });
  worker.on('error', (e) => fail(`the players' worker failed: ${e.stack ?? String(e)}`));
  const next = async (kind: WorkerReport['kind']) => {
    for (;;) {
      const r = reports.find((x) => x.kind === kind);
      if (r) return r;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };

  const ready = (await next('ready')) as Extract<WorkerReport, { kind: 'ready' }>;
  if (ready.rooms === 0) fail(`not one room could be set up: ${ready.failure}`);
  // Let joins and start snapshots settle, then measure a clean window.
  await sleep(2_000);
  ticks.reset();
  writes.reset();
  worker.postMessage('start');
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const eluBefore = performance.eventLoopUtilization();
  const cpuBefore = process.threadCpuUsage();
  const t0 = performance.now();
  await sleep(seconds * 1_000);
  const cpu = process.threadCpuUsage(cpuBefore);
  const windowS = (performance.now() - t0) / 1000;
  const elu = performance.eventLoopUtilization(eluBefore).utilization;
  loopDelay.disable();
  const window = ticks.read();
  const written = writes.read();
  worker.postMessage('report');
  const received = (await next('received')) as Extract<WorkerReport, { kind: 'received' }>;
  await worker.terminate();
  await server.stop();

  const due = ready.rooms * seconds * TICK_HZ;
  const report = {
    roomsAsked: rooms,
    rooms: ready.rooms,
    setupFailure: ready.failure,
    playersDisconnected: received.disconnected,
    playersPerRoom: perRoom,
    lesson: values.lesson,
    seconds,
    joinSeconds: Math.round(ready.joinMs / 100) / 10,
    roomsMeasured: window.rooms,
    ticksRun: window.durationsMs.length,
    ticksDue: due,
    ticksRunShare: round3(window.durationsMs.length / due),
    tickMs: {
      p50: round3(percentile(window.durationsMs, 0.5)),
      p99: round3(percentile(window.durationsMs, 0.99)),
      max: round3(percentile(window.durationsMs, 1)),
    },
    eventLoopDelayMs: {
      p50: round3(loopDelay.percentile(50) / 1e6),
      p99: round3(loopDelay.percentile(99) / 1e6),
      max: round3(loopDelay.max / 1e6),
    },
    eventLoopUtilisation: round3(elu),
    // CPU time of the main thread (the server) over the window: unlike wall-clock figures it does not count
    // the time other processes held the core, so it compares runs on a shared machine better.
    mainThreadCpuMsPerS: round3((cpu.user + cpu.system) / 1000 / windowS),
    cpuMsPerRoomPerS: round3((cpu.user + cpu.system) / 1000 / windowS / ready.rooms),
    // Per room tick run: comparable between runs that ran a different share of their ticks.
    cpuUsPerRoomTick: Math.round((cpu.user + cpu.system) / Math.max(1, window.durationsMs.length)),
    tickMsPerRoomPerS: round3(window.durationsMs.reduce((a, b) => a + b, 0) / windowS / ready.rooms),
    socketWritesPerClientPerS: round3(written.writes / windowS / (ready.rooms * (perRoom + 1))),
    bytesPerClientPerS: Math.round(written.bytes / windowS / (ready.rooms * (perRoom + 1))),
    messagesPerPlayerPerSecond: Math.round((received.messages / (ready.rooms * perRoom * seconds)) * 10) / 10,
  };
  if (values.json) console.log(JSON.stringify(report));
  else
    console.log(
      [
        `${ready.rooms} rooms × ${perRoom} players (${values.lesson}), ${seconds} s on one core (joined in ${report.joinSeconds} s)`,
        ...(ready.failure ? [`setting up room ${ready.rooms + 1} of ${rooms} failed: ${ready.failure}`] : []),
        `room ticks: ${report.ticksRun} run of ${due} due (${(report.ticksRunShare * 100).toFixed(1)} %), ` +
          `tick p50 ${report.tickMs.p50} ms, p99 ${report.tickMs.p99} ms, max ${report.tickMs.max} ms`,
        `event loop: delay p50 ${report.eventLoopDelayMs.p50} ms, p99 ${report.eventLoopDelayMs.p99} ms, ` +
          `max ${report.eventLoopDelayMs.max} ms; busy ${(elu * 100).toFixed(1)} % of the time`,
        `main thread CPU ${report.mainThreadCpuMsPerS} ms/s: ${report.cpuMsPerRoomPerS} ms per room per second ` +
          `(room ticks ${report.tickMsPerRoomPerS} ms per room per second); ${report.cpuUsPerRoomTick} µs per room tick run`,
        `each client: ${report.socketWritesPerClientPerS} socket writes/s, ${report.bytesPerClientPerS} B/s; ` +
          `each player received ${report.messagesPerPlayerPerSecond} messages/s; ${received.disconnected} disconnected`,
      ].join('\n'),
    );
  process.exit(0);
}

/**
 * Times every room tick: wraps the room's fixed-timestep callback (`ClassRoom`'s
 * private `tick`: the round's step, the patch, the socket writes) in this process
 * only. Durations are kept per window.
 */
async function timeRoomTicks() {
  let durationsMs: number[] = [];
  let rooms = new Set<object>();
  const { ClassRoom } = await import('../src/ClassRoom.ts');
  const proto = ClassRoom.prototype as unknown as { tick(dtMs: number): void };
  const tick = proto.tick;
  proto.tick = function timedTick(this: object, dtMs: number) {
    const t0 = performance.now();
    tick.call(this, dtMs);
    durationsMs.push(performance.now() - t0);
    rooms.add(this);
  };
  return {
    reset() {
      durationsMs = [];
      rooms = new Set();
    },
    read() {
      return { durationsMs, rooms: rooms.size };
    },
  };
}

/**
 * Counts the writes (system calls) and bytes leaving this thread's sockets: the server's ends of
 * the clients' connections (the players' ends live in the worker, whose sockets are its own).
 */
function countSocketWrites() {
  let writes = 0;
  let bytes = 0;
  type Chunk = { chunk: { length: number } };
  const proto = Socket.prototype as unknown as {
    _write(chunk: { length: number }, encoding: string, cb: () => void): void;
    _writev(chunks: Chunk[], cb: () => void): void;
  };
  const write = proto._write;
  const writev = proto._writev;
  proto._write = function counted(chunk, encoding, cb) {
    writes++;
    bytes += chunk.length;
    write.call(this, chunk, encoding, cb);
  };
  proto._writev = function counted(chunks, cb) {
    writes++;
    for (const c of chunks) bytes += c.chunk.length;
    writev.call(this, chunks, cb);
  };
  return {
    reset() {
      writes = 0;
      bytes = 0;
    },
    read: () => ({ writes, bytes }),
  };
}

/** The worker: a host and its players per room, every round started; counts what the players receive. */
async function players(plan: Plan): Promise<void> {
  // These players read nothing: the SDK's warning for each message type without a handler is expected.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('onMessage() not registered')) warn(...args);
  };
  const { Client } = await import('@colyseus/sdk');
  const sdk = new Client(plan.url);
  let messages = 0;
  // A server that cannot keep up drops connections (its pings go unanswered in time): count them, and stop adding rooms.
  let disconnected = 0;
  let failure = '';
  const t0 = performance.now();
  let rooms = 0;
  for (; rooms < plan.rooms; rooms++) {
    try {
      const host = await sdk.create(CLASS_ROOM, { scenario: plan.lesson, durationS: 3_600, seed: rooms + 1 });
      host.onMessage('*', () => {});
      const joined = await Promise.all(
        Array.from({ length: plan.players }, (_, p) => sdk.joinById(host.roomId, { nickname: `p${p}` })),
      );
      for (const room of [host, ...joined]) {
        room.onLeave(() => {
          disconnected++;
        });
        room.onError((code, message) => {
          failure ||= `error ${code} ${message ?? ''}`.trim();
        });
      }
      for (const room of joined)
        room.onMessage('*', () => {
          messages++;
        });
      host.send('host.start', {});
    } catch (e) {
      failure = e instanceof Error ? e.message || e.name : String(e);
      break;
    }
  }
  parentPort?.postMessage({
    kind: 'ready',
    joinMs: performance.now() - t0,
    rooms,
    failure,
  } satisfies WorkerReport);
  // 'start' opens the measured window, 'report' closes it.
  let since = messages;
  let disconnectedBefore = disconnected;
  parentPort?.on('message', (what: 'start' | 'report') => {
    if (what === 'start') {
      since = messages;
      disconnectedBefore = disconnected;
    } else
      parentPort?.postMessage({
        kind: 'received',
        messages: messages - since,
        disconnected: disconnected - disconnectedBefore,
      } satisfies WorkerReport);
  });
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) fail(`${flag} must be a whole number above 0, got "${text}"`);
  return n;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
