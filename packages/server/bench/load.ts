/**
 * `pnpm bench:load [--bots N] [--per-room P] [--seconds S] [--lesson L] [--round-seconds R] [--skill K] [--json]`
 * (issue 16): N bot players over real WebSockets on loopback for S seconds, a bounded
 * load run. The real server runs as its own process (ADDRESS_LIMITS=off, LOG_LEVEL=warn,
 * a temporary DATA_DIR); this process opens ceil(N/P) class rooms with a host each
 * (loadHosts.ts: a round that ends is followed by the next), and one or two bot
 * processes (loadBots.ts) each run `runSwarms` over their share of the rooms. This
 * process only measures: every 10 s it reads /metrics (the server's RSS, rooms, players,
 * the tick histogram, refusals, kicks) and asks the bot processes their RSS; once the
 * bots and hosts have left it reads the server's RSS again. It prints a report (JSON
 * with --json) and exits 1 when a join was refused, a bot lost its connection, anything
 * failed, or the server's memory was not flat. A benchmark, not a test: the figures go
 * in docs/PERFORMANCE.md.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { SwarmReport } from '@roundtrip/bots';
import { TICK_HZ } from '@roundtrip/protocol';
import { startServerProcess } from '../../../test/serverProcess.ts';
import type { FromBots, ToBots } from './loadBots.ts';
import { openRooms } from './loadHosts.ts';
import {
  type Buckets,
  bucketsBetween,
  bucketsOf,
  countAbove,
  histogramQuantile,
  seriesOf,
  slopePerMinute,
  total,
} from './loadStats.ts';
import { sleep } from './realServer.ts';

const BOTS_MAX = 5_000;
const SECONDS_MAX = 3_600;
/** The memory trend needs three samples in the run's second half. */
const SECONDS_MIN = 60;
const PER_ROOM_MAX = 60;
const SAMPLE_MS = 10_000;
/** A tick is due every 50 ms: one that took longer made the next one late. */
const LATE_TICK_S = 0.05;
/**
 * "Memory flat": the server's RSS may grow at most this fast over the run's second half
 * (least squares over the samples). A leak that grows with the traffic is far above it:
 * 2,000 clients get ~20,000 messages a second, so keeping even 10 bytes of each is
 * ~12 MB a minute. Below it, a 45-minute lesson would add under 450 MB, which a small
 * server can still hold; and V8's garbage-collection sawtooth (tens of MB up and down)
 * fits to a slope well under it over the 5 minutes of a 10-minute run's second half.
 */
const FLAT_MB_PER_MIN = 10;
/** Longest the bots may take past the run's end to report (the SDK's join timeout is 15 s, leaving is quick). */
const REPORT_GRACE_MS = 60_000;
/** Longest the rooms may take to close once everybody has left, then the pause before the last RSS reading. */
const CLOSE_WAIT_MS = 30_000;
const SETTLE_MS = 5_000;

interface Sample {
  /** Seconds since the bots started. */
  tS: number;
  serverRssMb: number;
  rooms: number;
  players: number;
  /** Room ticks run in the interval, and due (rooms × 20 a second). */
  ticksRun: number;
  ticksDue: number;
  /** The interval's tick durations, estimated from the histogram's buckets. */
  tickP50Ms: number;
  tickP99Ms: number;
  /** Ticks over 50 ms in the interval. */
  lateTicks: number;
  /** Messages the server refused, and kicks, in the interval. */
  refused: number;
  kicks: number;
  sentMbPerS: number;
  botRssMb: number[];
}

const options = parse();
const rooms = Math.ceil(options.bots / options.perRoom);
const procs = Math.min(2, rooms);
const children: ChildProcess[] = [];
const server = await startServerProcess({ env: { ADDRESS_LIMITS: 'off', LOG_LEVEL: 'warn' } });
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  server.child.kill('SIGKILL');
  rmSync(server.dataDir, { recursive: true, force: true });
});
let interrupted = false;
/** The bots leave now (their processes report as usual). */
const abortBots = () => {
  for (const c of children) if (c.connected) c.send({ kind: 'abort' } satisfies ToBots);
};
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  abortBots();
});

const errors: string[] = [];
let stopping = false;
server.child.once('exit', (code, signal) => {
  if (!stopping) errors.push(`the server exited (${code ?? signal})`);
});
const hosts = await openRooms(server.base, rooms, options.lesson, options.roundSeconds);
log(
  `${rooms} rooms open (${options.lesson}); ${options.bots} bots in ${procs} processes for ${options.seconds} s`,
);

const reportBy = new Map<ChildProcess, SwarmReport>();
const joinedBy = new Set<ChildProcess>();
const rssAnswers = new Map<ChildProcess, (mb: number) => void>();
let reading = await metrics();
const t0 = Date.now();
let readingMs = t0;
for (let p = 0; p < procs; p++) {
  const codes = hosts.codes.filter((_, i) => i % procs === p);
  const count = codes.reduce((n, _, j) => n + botsInRoom(j * procs + p), 0);
  const child = fork(new URL('./loadBots.ts', import.meta.url));
  children.push(child);
  child.on('message', (m: FromBots) => {
    if (m.kind === 'joined') joinedBy.add(child);
    else if (m.kind === 'rss') rssAnswers.get(child)?.(m.rssMb);
    else if (m.kind === 'report') reportBy.set(child, m.report);
    else errors.push(`bot process ${p + 1}: ${m.message}`);
  });
  child.once('exit', (code) => {
    if (code !== 0 && !reportBy.has(child)) errors.push(`bot process ${p + 1} exited (${code})`);
  });
  const plan: ToBots = {
    kind: 'plan',
    url: server.base,
    codes,
    count,
    skill: options.skill,
    seconds: options.seconds,
    prefix: `P${p + 1}-`,
    // Joins in flight per room: 50 rooms × 4 keeps a 2,000-bot start within the SDK's 15-s join timeout.
    concurrency: 4,
  };
  child.send(plan);
}
// Interrupted while the rooms were being opened: the bots leave as soon as they start.
if (interrupted) abortBots();

// Every 10 s until each bot process has reported (bounded: the run, then a grace).
const samples: Sample[] = [];
let firstAfterJoins: number | null = null;
const deadline = t0 + options.seconds * 1_000 + REPORT_GRACE_MS;
for (let k = 1; reportBy.size < procs && Date.now() < deadline && errors.length === 0; k++) {
  while (Date.now() < t0 + k * SAMPLE_MS && reportBy.size < procs) await sleep(250);
  if (reportBy.size === procs) break;
  const sample = await takeSample();
  samples.push(sample);
  if (firstAfterJoins === null && joinedBy.size === procs) firstAfterJoins = samples.length - 1;
  if (!options.json) log(sampleLine(sample));
}
if (reportBy.size < procs) errors.push(`${procs - reportBy.size} bot process(es) did not report in time`);
for (const c of children) if (c.connected) c.disconnect();

// Everybody leaves; the rooms close; then the server's memory once more.
await hosts.leave();
const closeBy = Date.now() + CLOSE_WAIT_MS;
while (total(await metrics(), 'roundtrip_rooms') > 0 && Date.now() < closeBy) await sleep(500);
const roomsLeft = total(await metrics(), 'roundtrip_rooms');
if (roomsLeft > 0)
  errors.push(`${roomsLeft} rooms still open ${CLOSE_WAIT_MS / 1000} s after everybody left`);
await sleep(SETTLE_MS);
const final = await metrics();
const afterLeavingMb = final ? round1(mb(total(final, 'roundtrip_process_resident_memory_bytes'))) : null;
errors.push(...hosts.errors());
errors.push(...serverErrors(server.output()));
stopping = true;
await server.stop();

const report = summary();
if (options.json) console.log(JSON.stringify(report, null, 2));
else console.log(table(report));
process.exit(report.failures.length > 0 ? 1 : 0);

function parse() {
  const { values } = tryParse(() =>
    parseArgs({
      options: {
        bots: { type: 'string', default: '2000' },
        'per-room': { type: 'string', default: '40' },
        seconds: { type: 'string', default: '600' },
        lesson: { type: 'string', default: 'lesson-1-postal' },
        // Rounds of 60 simulated seconds (lesson 1 runs at half speed: 2 minutes) end and start again
        // four times in a 10-minute run: the first restart, which raises the heap to hold an old round
        // and a new one, falls in the first half; a leak per round would show in the second half's trend.
        // A trial of 60 s saw RSS step up ~25 MB at its first restart (docs/PERFORMANCE.md).
        'round-seconds': { type: 'string', default: '60' },
        skill: { type: 'string', default: 'competent' },
        json: { type: 'boolean', default: false },
      },
    }),
  );
  const bots = whole(values.bots, '--bots', 1, BOTS_MAX);
  const perRoom = whole(values['per-room'], '--per-room', 1, PER_ROOM_MAX);
  const seconds = whole(values.seconds, '--seconds', SECONDS_MIN, SECONDS_MAX);
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(values.lesson)) usage('--lesson must be a lesson id');
  const roundSeconds = whole(values['round-seconds'], '--round-seconds', 1, SECONDS_MAX);
  return {
    bots,
    perRoom,
    seconds,
    lesson: values.lesson,
    roundSeconds,
    skill: values.skill,
    json: values.json,
  };
}

function tryParse<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    return usage(e instanceof Error ? e.message : String(e));
  }
}

function whole(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    usage(`${flag} must be a whole number from ${min} to ${max}`);
  return n;
}

function usage(message: string): never {
  console.error(
    `${message}\nusage: pnpm bench:load [--bots 2000] [--per-room 40] [--seconds 600] [--lesson lesson-1-postal]\n                      [--round-seconds 60] [--skill competent] [--json]`,
  );
  process.exit(2);
}

/** Bots in room `i`: N shared out as evenly as it goes. */
function botsInRoom(i: number): number {
  return Math.floor(options.bots / rooms) + (i < options.bots % rooms ? 1 : 0);
}

/** The server's /metrics text; empty if the server does not answer (an interrupted run's server may be gone). */
async function metrics(): Promise<string> {
  try {
    return await (await fetch(`${server.base}/metrics`)).text();
  } catch {
    return '';
  }
}

/** One sample: this /metrics reading against the last, and each bot process's RSS. */
async function takeSample(): Promise<Sample> {
  const before = reading;
  const beforeMs = readingMs;
  reading = await metrics();
  const nowMs = Date.now();
  readingMs = nowMs;
  const dtS = (nowMs - beforeMs) / 1_000;
  const tick = 'roundtrip_tick_duration_seconds';
  const ticks: Buckets = bucketsBetween(bucketsOf(before, tick), bucketsOf(reading, tick));
  const delta = (name: string) => total(reading, name) - total(before, name);
  const roomsNow = total(reading, 'roundtrip_rooms');
  return {
    tS: round1((nowMs - t0) / 1_000),
    serverRssMb: round1(mb(total(reading, 'roundtrip_process_resident_memory_bytes'))),
    rooms: roomsNow,
    players: total(reading, 'roundtrip_players'),
    ticksRun: ticks.at(-1)?.count ?? 0,
    ticksDue: Math.round(((roomsNow + total(before, 'roundtrip_rooms')) / 2) * TICK_HZ * dtS),
    tickP50Ms: round2(histogramQuantile(ticks, 0.5) * 1_000),
    tickP99Ms: round2(histogramQuantile(ticks, 0.99) * 1_000),
    lateTicks: countAbove(ticks, LATE_TICK_S),
    refused: delta('roundtrip_messages_refused_total'),
    kicks: delta('roundtrip_kicks_total'),
    sentMbPerS: round2(mb(delta('roundtrip_ws_sent_bytes_total')) / dtS),
    botRssMb: await Promise.all(children.map(botRss)),
  };
}

/** A bot process's RSS, MB (NaN if it does not answer within 2 s). */
function botRss(child: ChildProcess): Promise<number> {
  if (!child.connected) return Promise.resolve(Number.NaN);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(Number.NaN), 2_000);
    rssAnswers.set(child, (rssMb) => {
      clearTimeout(timer);
      resolve(round1(rssMb));
    });
    child.send({ kind: 'rss' } satisfies ToBots);
  });
}

/** The server's log lines at level error or fatal (pino: 50, 60). */
function serverErrors(output: string): string[] {
  return output
    .split('\n')
    .filter((l) => /"level":(50|60)/.test(l))
    .map((l) => `server: ${l.slice(0, 300)}`);
}

function summary() {
  const reports = [...reportBy.values()];
  const sum = (pick: (r: SwarmReport) => Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const r of reports) for (const [k, n] of Object.entries(pick(r))) out[k] = (out[k] ?? 0) + n;
    return out;
  };
  const joined = reports.reduce((n, r) => n + r.joined, 0);
  const connectedAtEnd = reports.reduce((n, r) => n + r.connectedAtEnd, 0);
  const refusedJoins = sum((r) => r.refused);
  const botRefusals = sum((r) => r.refusals);
  const serverRefusals = Object.fromEntries(
    seriesOf(final, 'roundtrip_messages_refused_total').map((s) => [s.labels.code ?? '', s.value]),
  );
  const kicks = total(final, 'roundtrip_kicks_total');
  const during = firstAfterJoins === null ? [] : samples.slice(firstAfterJoins);
  const rss = during.map((s) => s.serverRssMb);
  // The second half of the run, before the bots start leaving at its end.
  const secondHalf = samples.filter((s) => s.tS >= options.seconds / 2 && s.tS <= options.seconds - 5);
  const slope = slopePerMinute(secondHalf.map((s) => ({ tS: s.tS, value: s.serverRssMb })));
  const flat = secondHalf.length >= 3 && slope < FLAT_MB_PER_MIN;
  const ticksRun = during.reduce((n, s) => n + s.ticksRun, 0);
  const ticksDue = during.reduce((n, s) => n + s.ticksDue, 0);
  const failures = [
    ...(interrupted ? ['interrupted'] : []),
    ...(joined < options.bots ? [`${options.bots - joined} of ${options.bots} bots did not join`] : []),
    ...(connectedAtEnd < joined ? [`${joined - connectedAtEnd} bots lost their connection`] : []),
    ...(Object.keys(botRefusals).length > 0 ? ['the room refused bots’ messages'] : []),
    ...(kicks > 0 ? [`${kicks} kicks`] : []),
    ...(errors.length > 0 ? [`${errors.length} errors`] : []),
    ...(flat ? [] : [`memory not flat (${round1(slope)} MB/min over ${secondHalf.length} samples)`]),
  ];
  return {
    options: { ...options, rooms, botProcesses: procs, lessonRoundsRestarted: hosts.restarts() },
    joins: { asked: options.bots, joined, refused: refusedJoins },
    connectedAtEnd,
    connectionsLost: joined - connectedAtEnd,
    refusals: { bots: botRefusals, server: serverRefusals },
    kicks,
    received: sum((r) => r.received),
    errors,
    serverRssMb: {
      firstAfterJoins: rss[0] ?? null,
      min: rss.length ? Math.min(...rss) : null,
      max: rss.length ? Math.max(...rss) : null,
      last: rss.at(-1) ?? null,
      afterLeaving: afterLeavingMb,
    },
    memory: {
      slopeMbPerMin: round2(slope),
      boundMbPerMin: FLAT_MB_PER_MIN,
      samples: secondHalf.length,
      flat,
    },
    ticks: {
      run: ticksRun,
      due: ticksDue,
      intervals: during.length,
      intervalsWithLateTicks: during.filter((s) => s.lateTicks > 0).length,
      over50Ms: during.reduce((n, s) => n + s.lateTicks, 0),
      worstP99Ms: during.length ? Math.max(...during.map((s) => s.tickP99Ms)) : null,
    },
    samples,
    failures,
  };
}

function sampleLine(s: Sample): string {
  return (
    `${String(s.tS).padStart(6)} s  server ${s.serverRssMb} MB  bots ${s.botRssMb.join('+')} MB  ` +
    `${s.rooms} rooms ${s.players} players  ticks ${s.ticksRun}/${s.ticksDue}  ` +
    `p50 ${s.tickP50Ms} ms p99 ${s.tickP99Ms} ms  >50 ms ${s.lateTicks}  ` +
    `refused ${s.refused} kicks ${s.kicks}  ${s.sentMbPerS} MB/s sent`
  );
}

function table(r: ReturnType<typeof summary>): string {
  const kv = (o: Record<string, number>) =>
    Object.entries(o)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none';
  const m = r.serverRssMb;
  return [
    `load run: ${r.options.bots} bots, ${r.options.rooms} rooms of ${r.options.perRoom} (${r.options.lesson}, ` +
      `${r.options.skill}), ${r.options.seconds} s; rounds of ${r.options.roundSeconds} ` +
      `simulated seconds, ${r.options.lessonRoundsRestarted} restarted`,
    `joins: ${r.joins.joined} of ${r.joins.asked}; refused: ${kv(r.joins.refused)}`,
    `connected at the end: ${r.connectedAtEnd} (${r.connectionsLost} lost); kicks: ${r.kicks}`,
    `refused messages: bots' ${kv(r.refusals.bots)}; server's ${kv(r.refusals.server)}`,
    `received: ${kv(r.received)}`,
    `server RSS (MB): first after joins ${m.firstAfterJoins}, min ${m.min}, max ${m.max}, last ${m.last}, ` +
      `after leaving ${m.afterLeaving}`,
    `memory: ${r.memory.slopeMbPerMin} MB/min over the second half (${r.memory.samples} samples; ` +
      `flat below ${r.memory.boundMbPerMin}): ${r.memory.flat ? 'flat' : 'NOT FLAT'}`,
    `ticks: ${r.ticks.run} run of ${r.ticks.due} due; p99 per interval ` +
      `${r.samples.map((s) => s.tickP99Ms).join(' ')} ms; ${r.ticks.intervalsWithLateTicks} of ` +
      `${r.ticks.intervals} intervals had ticks over 50 ms (${r.ticks.over50Ms})`,
    `errors: ${r.errors.length === 0 ? 'none' : `\n  ${r.errors.slice(0, 20).join('\n  ')}`}`,
    r.failures.length === 0 ? 'load: every check passed' : `load: FAILED — ${r.failures.join('; ')}`,
  ].join('\n');
}

function log(line: string): void {
  if (!options.json) console.error(line);
}

function mb(bytes: number): number {
  return bytes / 2 ** 20;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
