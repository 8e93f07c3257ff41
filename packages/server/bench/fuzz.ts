/**
 * `pnpm fuzz [--messages N] [--players P] [--seed S]`: property-based fuzz of the
 * real server (SPEC MSG-7). A host and P players in one class room each send
 * fast-check–generated messages (fuzzMessages.ts: every type, near-valid and junk
 * payloads) just under their rate limit, N in all (10⁵ by default), round after
 * round. Checked: the server never fails or disconnects anyone; every refusal is an
 * MSG-2 error; every player's replica (its snapshot and ticks) matches every state
 * hash the server sends (SYNC-1); the round keeps ticking; each round's results list
 * every player. Exits 1 on the first broken invariant, naming it.
 */
import { parseArgs } from 'node:util';
import { Client, type Room } from '@colyseus/sdk';
import { CLASS_ROOM, hashOf, type ServerMessages, ticksOf } from '@roundtrip/protocol';
import { loadScenario, Simulation } from '@roundtrip/sim';
import fc from 'fast-check';
import { type FuzzMessage, fuzzMessage, poolsOf } from '../src/fuzzMessages.ts';
import { lessonScenario } from '../src/scenarios.ts';
import { sleep, startRealServer } from './realServer.ts';

const CODES = new Set(['invalid-message', 'unknown-message', 'forbidden', 'wrong-phase', 'rejected']);
/** Messages each client sends a second: under the 20 a second a connection may (SPEC MSG-3). */
const PER_CLIENT_PER_S = 16;
/** Messages per round before the host ends it and opens the next. */
const MESSAGES_PER_ROUND = 20_000;

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    players: { type: 'string', default: '40' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
  },
});
const total = Number(values.messages);
const playerCount = Number(values.players);
const seed = Number(values.seed);
const LESSON = 'lesson-1-postal';
const pools = poolsOf(lessonScenario(LESSON).raw);

/** A connection and what it checks about what it receives. */
class Fuzzer {
  replica: Simulation | null = null;
  scenario: unknown = null;
  hashesChecked = 0;
  ticksSeen = 0;
  /** The last tick the replica holds. */
  tick = 0;
  closed: string | null = null;
  readonly errors = new Map<string, number>();
  readonly name: string;
  readonly room: Room;
  constructor(name: string, room: Room) {
    this.name = name;
    this.room = room;
    room.onMessage('*', (type, message) => this.receive(String(type), message));
    room.onLeave((code, reason) => {
      this.closed = `${code} ${reason ?? ''}`;
    });
  }

  private receive(type: string, message: unknown): void {
    if (type === 'welcome') this.scenario = (message as ServerMessages['welcome']).scenario;
    else if (type === 'sync.snapshot') {
      const snap = message as ServerMessages['sync.snapshot'];
      this.replica = new Simulation(loadScenario(this.scenario, 'welcome'), snap.seed);
      this.replica.restore(snap.bytes);
      this.tick = snap.tick;
    } else if (type === 'sync.ticks' && this.replica) {
      const batch = message as ServerMessages['sync.ticks'];
      const hash = hashOf(batch);
      for (const t of ticksOf(batch)) {
        if (t.tick <= this.tick) continue; // part of the snapshot already
        this.tick = t.tick;
        for (const cmd of t.commands) {
          const refused = this.replica.apply(cmd);
          if (refused !== null) fail(`${this.name}: the replica refused an applied command: ${refused}`);
        }
        this.replica.advanceTo(t.simTimeUs);
        this.ticksSeen++;
        if (hash?.tick !== t.tick) continue;
        if (hash.hash !== this.replica.stateHash())
          fail(`${this.name}: replica differs at tick ${t.tick} (SYNC-1)`);
        this.hashesChecked++;
      }
    } else if (type === 'error') {
      const e = message as ServerMessages['error'];
      if (!CODES.has(e.code))
        fail(`${this.name}: error code "${e.code}" (${e.message}) is not an MSG-2 refusal`);
      this.errors.set(e.code, (this.errors.get(e.code) ?? 0) + 1);
    }
  }

  send(m: FuzzMessage): void {
    this.room.send(m.type as string, m.payload);
  }
}

function fail(why: string): never {
  console.error(`FUZZ FAILED: ${why} (seed ${seed})`);
  process.exit(1);
}

process.env.LOG_LEVEL ??= 'warn';
const server = await startRealServer();
const sdk = new Client(server.url);
const generator = fuzzMessage(pools);
let sent = 0;
let round = 0;
const startedMs = Date.now();
const rssStartMb = process.memoryUsage().rss / 2 ** 20;
const refusals = new Map<string, number>();
while (sent < total) {
  round++;
  const host = new Fuzzer('host', await sdk.create(CLASS_ROOM, { scenario: LESSON }));
  const code = host.room.roomId;
  const players = await Promise.all(
    Array.from(
      { length: playerCount },
      async (_, i) => new Fuzzer(`p${i}`, await sdk.joinById(code, { nickname: `p${i}` })),
    ),
  );
  host.room.send('host.start', {});
  await sleep(500);
  const everyone = [host, ...players];
  const batch = Math.min(MESSAGES_PER_ROUND, total - sent);
  const samples = fc.sample(generator, { numRuns: batch, seed: seed + round });
  // One message per client per slot, PER_CLIENT_PER_S slots a second.
  for (let i = 0; i < samples.length; ) {
    const slotStart = Date.now();
    for (const f of everyone) {
      const m = samples[i++];
      if (!m) break;
      // The host does not end the round early (it ends each round below): its host.end becomes host.resume.
      f.send(f === host && m.type === 'host.end' ? { ...m, type: 'host.resume' } : m);
      sent++;
    }
    const broken = everyone.find((f) => f.closed !== null);
    if (broken) fail(`${broken.name} was disconnected: ${broken.closed}`);
    await sleep(Math.max(0, 1000 / PER_CLIENT_PER_S - (Date.now() - slotStart)));
  }
  await sleep(1000);
  const ticksBefore = players.map((p) => p.ticksSeen);
  await sleep(1000);
  // The host may have paused the round: resume it and check that it ticks on.
  host.room.send('host.resume', {});
  await sleep(1000);
  players.forEach((p, i) => {
    if (p.closed !== null) fail(`${p.name} was disconnected: ${p.closed}`);
    if (p.hashesChecked === 0) fail(`${p.name} checked no state hash`);
    if (p.ticksSeen <= (ticksBefore[i] ?? 0)) fail(`${p.name}'s copy stopped ticking`);
  });
  const errorsBefore = host.errors.size;
  host.room.send('host.end', {});
  const phase = () => (host.room.state as { phase?: string }).phase;
  for (let waitedMs = 0; phase() !== 'ended'; waitedMs += 50) {
    if (waitedMs > 5000)
      fail(
        `the round did not end on host.end (phase ${phase()}, host errors ${JSON.stringify([...host.errors])}, before ${errorsBefore})`,
      );
    await sleep(50);
  }
  const results = (host.room.state as { results?: { length: number } }).results;
  if (results?.length !== playerCount) fail(`the results list ${results?.length} of ${playerCount} players`);
  for (const f of everyone) for (const [c, n] of f.errors) refusals.set(c, (refusals.get(c) ?? 0) + n);
  const hashes = players.reduce((a, p) => a + p.hashesChecked, 0);
  console.log(
    `round ${round}: ${batch} messages, ${hashes} hashes matched, refusals ${JSON.stringify(Object.fromEntries(refusals))}`,
  );
  await Promise.all(everyone.map((f) => f.room.leave()));
}
const health = await (await fetch(`${server.url}/health`)).json();
console.log(
  `fuzz passed: ${sent} messages from ${playerCount + 1} clients in ${((Date.now() - startedMs) / 1000).toFixed(0)} s, ` +
    `${round} rounds, seed ${seed}; server ${JSON.stringify(health)}; ` +
    `RSS ${rssStartMb.toFixed(0)} → ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`,
);
await server.stop();
process.exit(0);
