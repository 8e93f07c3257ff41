/**
 * `pnpm bench:rooms [--rooms N] [--players P] [--lesson ID] [--seconds S] [--json]`:
 * how many classroom rooms one server process keeps at 20 Hz (ARCHITECTURE
 * "Budgets": ≥ 100 rooms of 40 players on one core, no late ticks; a room's tick
 * p99 ≤ 2 ms).
 *
 * The real server runs in this process, pinned to one core (`taskset`, every thread:
 * the main thread, V8's garbage-collection helpers, libuv's pool). The players are
 * Colyseus SDK clients in a child process pinned to the other cores, so no player
 * work runs on the server's core. Each room: a host creates it, P players join, the
 * host starts the round; rooms stop being added at the first join that fails (a
 * saturated server lets seat reservations expire). Then, for S seconds, every room
 * tick (the round's step, the state patch and the socket writes) is timed, ticks run
 * are counted against ticks due, and the server's event-loop delay and utilisation
 * are sampled. A benchmark, not a test: figures go in docs/PERFORMANCE.md.
 *
 * Players are thin by default: once joined, a player's socket counts what arrives
 * instead of decoding it (the host decodes everything). The server does the same
 * work either way; decoding 4,000 players' streams would need more than the one
 * core this machine has left for them (`--decode` keeps it).
 *
 * On loopback the kernel does the receiving side's TCP work on the sending core, work
 * a server's core does not do for players on other machines; so the figures here are
 * on the safe side. (Steering it to the players' core with Receive Packet Steering was
 * tried: the cross-core interrupts cost the server's core more than they saved.)
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { cpus } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { CLASS_ROOM, TICK_HZ, TICK_MS } from '@roundtrip/protocol';
import { percentile } from '@roundtrip/sim';
import { lessons } from '../src/lessons.ts';
import { sleep, startRealServer } from './realServer.ts';

interface Plan {
  url: string;
  rooms: number;
  players: number;
  lesson: string;
  decode: boolean;
}

/** Players → server process: the rooms that are running (and why no more could be added); later, what the players received. */
type PlayersReport =
  | { kind: 'ready'; joinMs: number; rooms: number; failure: string }
  | { kind: 'received'; messages: number; disconnected: number };

const PLAYERS_FLAG = '--as-players';
/** ARCHITECTURE "Budgets": a room's tick p99. */
const TICK_BUDGET_MS = 2;

/**
 * The parts of a room's tick that `--anatomy` times; 'rest' is the remainder: the socket
 * writes at uncork, and whatever else held the thread during the tick (a garbage
 * collection, the kernel).
 */
const TICK_PARTS = ['step', 'save', 'sendTicks', 'patch'] as const;
type TickPart = (typeof TICK_PARTS)[number] | 'rest';
/**
 * A tick is late when it starts more than this after it was due: by then its room's next
 * tick was due too. The rooms tick on a fixed schedule (SPEC SYNC-9); under Colyseus's own
 * fixed timestep, which started ticks 0–50 ms after due on an idle server too, this was
 * two periods.
 */
const LATE_AFTER_MS = TICK_MS;

if (process.argv.includes(PLAYERS_FLAG))
  await players(JSON.parse(process.env.ROOMS_BENCH_PLAN ?? '{}') as Plan);
else await main();

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rooms: { type: 'string', default: '100' },
      players: { type: 'string', default: '40' },
      lesson: { type: 'string', default: 'lesson-2-mail' },
      seconds: { type: 'string', default: '20' },
      decode: { type: 'boolean', default: false },
      anatomy: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const rooms = positiveInt(values.rooms, '--rooms');
  const perRoom = positiveInt(values.players, '--players');
  const seconds = positiveInt(values.seconds, '--seconds');
  const lessonIds = lessons().map((l) => l.id);
  if (!lessonIds.includes(values.lesson)) fail(`--lesson must be one of ${lessonIds.join(', ')}`);

  // Pinned before the server starts, so every thread it creates later inherits the one core.
  const cores = pinCores();
  const ticks = await timeRoomTicks(values.anatomy);
  const writes = countSocketWrites();
  const server = await startRealServer();

  const plan: Plan = {
    url: server.url,
    rooms,
    players: perRoom,
    lesson: values.lesson,
    decode: values.decode,
  };
  const child = spawnPlayers(plan, cores.players);
  const reports: PlayersReport[] = [];
  let wake = () => {};
  child.on('message', (r: PlayersReport) => {
    reports.push(r);
    wake();
  });
  child.on('exit', (code) => {
    if (!reports.some((r) => r.kind === 'received')) fail(`the players' process exited (code ${code})`);
  });
  const next = async (kind: PlayersReport['kind']) => {
    for (;;) {
      const r = reports.find((x) => x.kind === kind);
      if (r) return r;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };

  const ready = (await next('ready')) as Extract<PlayersReport, { kind: 'ready' }>;
  if (ready.rooms === 0) fail(`not one room could be set up: ${ready.failure}`);
  // Let joins and start snapshots settle, then measure a clean window.
  await sleep(2_000);
  ticks.reset();
  writes.reset();
  child.send('start');
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const eluBefore = performance.eventLoopUtilization();
  const cpuBefore = process.threadCpuUsage();
  const processCpuBefore = process.cpuUsage();
  const coreBefore = coreTimes(cores.server);
  const t0 = performance.now();
  await sleep(seconds * 1_000);
  const cpu = process.threadCpuUsage(cpuBefore);
  const processCpu = process.cpuUsage(processCpuBefore);
  const core = coreTimes(cores.server);
  const windowS = (performance.now() - t0) / 1000;
  const elu = performance.eventLoopUtilization(eluBefore).utilization;
  loopDelay.disable();
  const window = ticks.read();
  const written = writes.read();
  child.send('report');
  const received = (await next('received')) as Extract<PlayersReport, { kind: 'received' }>;
  child.kill();
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
    serverCores: cores.server,
    playersCores: cores.players,
    playersDecode: values.decode,
    joinSeconds: Math.round(ready.joinMs / 100) / 10,
    roomsMeasured: window.rooms,
    ticksRun: window.durationsMs.length,
    ticksDue: due,
    ticksRunShare: round3(window.durationsMs.length / due),
    // How long after it was due each tick started (its room's fixed schedule); late: more than a period.
    tickLatenessMs: {
      p50: round3(percentile(window.latenessMs, 0.5)),
      p99: round3(percentile(window.latenessMs, 0.99)),
      max: round3(percentile(window.latenessMs, 1)),
    },
    lateTicks: window.late,
    // Ticks the scheduler skipped for rooms 5 periods behind (SPEC SYNC-9).
    ticksDropped: window.dropped,
    tickMs: {
      p50: round3(percentile(window.durationsMs, 0.5)),
      p99: round3(percentile(window.durationsMs, 0.99)),
      max: round3(percentile(window.durationsMs, 1)),
    },
    ...(values.anatomy ? { ticksOverBudgetBy: window.slowBy } : {}),
    eventLoopDelayMs: {
      p50: round3(loopDelay.percentile(50) / 1e6),
      p99: round3(loopDelay.percentile(99) / 1e6),
      max: round3(loopDelay.max / 1e6),
    },
    eventLoopUtilisation: round3(elu),
    // CPU time of the main thread (the server) over the window: unlike wall-clock figures it does not count
    // the time other processes held the core, so it compares runs on a shared machine better.
    mainThreadCpuMsPerS: round3((cpu.user + cpu.system) / 1000 / windowS),
    // Every thread of the server (garbage-collection helpers, libuv's pool too), and the whole core as the kernel saw it
    // (its interrupts and network work as well): the server's core is what a room costs.
    processCpuMsPerS: round3((processCpu.user + processCpu.system) / 1000 / windowS),
    serverCoreBusy:
      core && coreBefore ? round3((core.busy - coreBefore.busy) / (core.total - coreBefore.total)) : null,
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
        `${ready.rooms} rooms × ${perRoom} players (${values.lesson}), ${seconds} s; server on core ${cores.server}, ` +
          `players on ${cores.players || 'the same core'} (${values.decode ? 'decoding' : 'thin'}) ` +
          `(joined in ${report.joinSeconds} s)`,
        ...(ready.failure ? [`setting up room ${ready.rooms + 1} of ${rooms} failed: ${ready.failure}`] : []),
        `room ticks: ${report.ticksRun} run of ${due} due (${(report.ticksRunShare * 100).toFixed(1)} %), ` +
          `started after due p50 ${report.tickLatenessMs.p50} ms, p99 ${report.tickLatenessMs.p99} ms, ` +
          `max ${report.tickLatenessMs.max} ms, ${report.lateTicks} late (started over ${LATE_AFTER_MS} ms after due), ` +
          `${report.ticksDropped} dropped; ` +
          `tick p50 ${report.tickMs.p50} ms, p99 ${report.tickMs.p99} ms, max ${report.tickMs.max} ms`,
        ...(values.anatomy
          ? [`ticks over ${TICK_BUDGET_MS} ms, by their longest part: ${JSON.stringify(window.slowBy)}`]
          : []),
        `event loop: delay p50 ${report.eventLoopDelayMs.p50} ms, p99 ${report.eventLoopDelayMs.p99} ms, ` +
          `max ${report.eventLoopDelayMs.max} ms; busy ${(elu * 100).toFixed(1)} % of the time`,
        `server core busy ${report.serverCoreBusy === null ? '(not pinned)' : `${(report.serverCoreBusy * 100).toFixed(1)} %`}, ` +
          `server process CPU ${report.processCpuMsPerS} ms/s, main thread CPU ${report.mainThreadCpuMsPerS} ms/s: ${report.cpuMsPerRoomPerS} ms per room per second ` +
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
 * only. Durations are kept per window; how late each tick started, and the ticks dropped,
 * come from the tick scheduler's own observer (it knows when each tick was due). With
 * `anatomy`, each tick's parts are timed too, and every tick over the budget is put
 * down to its longest part.
 */
async function timeRoomTicks(anatomy: boolean) {
  let durationsMs: number[] = [];
  let rooms = new Set<object>();
  let slowBy = new Map<TickPart, number>();
  const partMs = new Map<TickPart, number>();
  // How late each tick started and how many were dropped, as the scheduler itself saw them (SPEC SYNC-9).
  let latenessMs: number[] = [];
  let dropped = 0;
  const { ClassRoom } = await import('../src/ClassRoom.ts');
  const { serverMetrics } = await import('../src/metrics.ts');
  const schedule = serverMetrics.tickSchedule;
  const ran = schedule.ran;
  const drop = schedule.dropped;
  schedule.ran = (ms) => {
    latenessMs.push(ms);
    ran.call(schedule, ms);
  };
  schedule.dropped = (n) => {
    dropped += n;
    drop.call(schedule, n);
  };
  const proto = ClassRoom.prototype as unknown as { tick(dtMs: number): void };
  const tick = proto.tick;
  if (anatomy) await timeTickParts(partMs);
  proto.tick = function timedTick(this: object, dtMs: number) {
    partMs.clear();
    const t0 = performance.now();
    tick.call(this, dtMs);
    const t1 = performance.now();
    const ms = t1 - t0;
    durationsMs.push(ms);
    rooms.add(this);
    if (anatomy && ms > TICK_BUDGET_MS) {
      let parts = 0;
      for (const v of partMs.values()) parts += v;
      partMs.set('rest', ms - parts);
      const longest = [...partMs.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'step';
      slowBy.set(longest, (slowBy.get(longest) ?? 0) + 1);
    }
  };
  return {
    reset() {
      durationsMs = [];
      rooms = new Set();
      slowBy = new Map();
      latenessMs = [];
      dropped = 0;
    },
    read() {
      return {
        durationsMs,
        rooms: rooms.size,
        slowBy: Object.fromEntries(slowBy),
        latenessMs,
        late: latenessMs.filter((ms) => ms > LATE_AFTER_MS).length,
        dropped,
      };
    },
  };
}

/** Wraps the round's step, the keeper's save, the batch and the patch to add their time to `partMs`. */
async function timeTickParts(partMs: Map<TickPart, number>): Promise<void> {
  const { RoundEngine } = await import('../src/roundEngine.ts');
  const { RoomKeeper } = await import('../src/persistence.ts');
  const { ClassRoom } = await import('../src/ClassRoom.ts');
  const wrap = (target: object, method: string, part: TickPart) => {
    const host = target as Record<string, (...args: unknown[]) => unknown>;
    const original = host[method] as (...args: unknown[]) => unknown;
    host[method] = function timed(this: unknown, ...args: unknown[]) {
      const t0 = performance.now();
      const out = original.apply(this, args);
      partMs.set(part, (partMs.get(part) ?? 0) + performance.now() - t0);
      return out;
    };
  };
  wrap(RoundEngine.prototype, 'step', 'step');
  wrap(RoomKeeper.prototype, 'tick', 'save');
  wrap(RoundEngine.prototype, 'sendTicks', 'sendTicks');
  wrap(ClassRoom.prototype, 'patch', 'patch');
}

/**
 * Counts the writes (system calls) and bytes leaving this thread's sockets: the server's ends of
 * the clients' connections (the players' ends live in their own process).
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

/** The players' process: a host and its players per room, every round started; counts what the players receive. */
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
      for (const room of joined) {
        if (plan.decode)
          room.onMessage('*', () => {
            messages++;
          });
        // Thin: the socket's frames are counted, not decoded (the server's work is the same).
        else
          room.connection.events.onmessage = () => {
            messages++;
          };
      }
      host.send('host.start', {});
    } catch (e) {
      failure = e instanceof Error ? e.message || e.name : String(e);
      break;
    }
  }
  process.send?.({ kind: 'ready', joinMs: performance.now() - t0, rooms, failure } satisfies PlayersReport);
  // 'start' opens the measured window, 'report' closes it.
  let since = messages;
  let disconnectedBefore = disconnected;
  process.on('message', (what: 'start' | 'report') => {
    if (what === 'start') {
      since = messages;
      disconnectedBefore = disconnected;
    } else
      process.send?.({
        kind: 'received',
        messages: messages - since,
        disconnected: disconnected - disconnectedBefore,
      } satisfies PlayersReport);
  });
}

/**
 * Pins this process (every thread) to core 0 and names the others for the players. On a
 * one-core machine, or without `taskset`, nothing is pinned and the players share the core.
 */
function pinCores(): { server: string; players: string } {
  // Every online core, not availableParallelism(): that counts only the cores this process may already use.
  const n = cpus().length;
  if (n < 2) return { server: '0', players: '' };
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return { server: 'any', players: '' };
  }
  return { server: '0', players: n === 2 ? '1' : `1-${n - 1}` };
}

/** Busy and total jiffies of one core, from /proc/stat; null when the core is not a single number or Linux is not there. */
function coreTimes(core: string): { busy: number; total: number } | null {
  if (!/^\d+$/.test(core)) return null;
  try {
    const line = readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`cpu${core} `));
    if (!line) return null;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
    return { busy, total: busy + (idle ?? 0) + (iowait ?? 0) };
  } catch {
    return null;
  }
}

/** Starts the players' process (this file with PLAYERS_FLAG) on `cores`, talking over IPC; none of this process's node flags (a profiler's). */
function spawnPlayers(plan: Plan, cores: string) {
  const node = [process.execPath, new URL(import.meta.url).pathname, PLAYERS_FLAG];
  const [command, ...args] = cores ? ['taskset', '-c', cores, ...node] : node;
  return spawn(command as string, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ROOMS_BENCH_PLAN: JSON.stringify(plan) },
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
