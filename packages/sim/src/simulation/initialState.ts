/** The state a scenario starts in, and the size of its timing wheel. */
import { initialStubs } from '../application/dns/stub.ts';
import { initialServers } from '../application/server.ts';
import { assert } from '../engine/core.ts';
import { createRng } from '../engine/rng.ts';
import type { SimState } from '../engine/state.ts';
import { msToUs } from '../engine/units.ts';
import { createWire, wheelSpanUs } from '../engine/wire.ts';
import { emptyDirection } from '../link/queueing.ts';
import type { RoleState } from '../roles/registry.ts';
import type { Scenario } from '../scenario/scenario.ts';

/** Queueing a packet may wait beyond its link's latency and still arrive through the wheel (later ones use the heap). */
const QUEUEING_MARGIN_US = 8_000;
/** Below this many flows a scenario schedules too few events for a large wheel to pay for its memory. */
const BUSY_FLOWS = 1_000;
/** The wheel's span for scenarios below BUSY_FLOWS: 32 ms, 256 KB (a server holds many such rooms). */
const SMALL_WHEEL_US = 1 << 15;

/**
 * The timing wheel's span for a scenario: the longest link plus a margin for
 * queueing, so packet arrivals never touch the heap, and no larger — the wheel
 * costs 8 bytes per µs and is only fast while it stays in cache. Frame deadlines
 * and fixed-interval flow ticks wait in record lanes (recordLanes.ts). A scenario with
 * few flows (a lesson) keeps a small wheel: its few far events are as cheap in the heap.
 */
export function wheelSpanFor(sc: Scenario): number {
  let leadUs = 0;
  for (const l of sc.file.links)
    leadUs = Math.max(leadUs, msToUs(l.latencyMs + l.jitterMs) + QUEUEING_MARGIN_US);
  return wheelSpanUs(sc.file.traffic.length < BUSY_FLOWS ? Math.min(leadUs, SMALL_WHEEL_US) : leadUs);
}

export function initialState(sc: Scenario, seed: number): SimState {
  const f = sc.file;
  return {
    nowUs: 0,
    nextSeq: 0,
    nextPacketId: 1,
    nextConnId: 1,
    rngLoss: createRng(seed, 1),
    rngJitter: createRng(seed, 2),
    rngDuplicate: createRng(seed, 3),
    rngTraffic: createRng(seed, 4),
    rngQueue: createRng(seed, 5),
    rngBot: createRng(seed, 6),
    events: [],
    links: f.links.map((l) => ({
      up: l.up,
      downs: 0,
      lossModel: l.lossModel ?? { kind: 'bernoulli', p: l.loss },
      dirs: [emptyDirection(l.queueDiscipline), emptyDirection(l.queueDiscipline)],
    })),
    wire: createWire(wheelSpanFor(sc)),
    roles: f.nodes.map((n, node) => {
      if (n.kind === 'host') return null;
      const role = sc.roles.role(n.kind);
      assert(role !== undefined, 'a role node has a role (checked on load)');
      // Nobody holds a seat yet: a player or a bot takes it by command (SPEC BOT-1).
      return { ...role.initialState(n, node, sc), botSkill: null, botGen: 0 } as RoleState;
    }),
    forwardedByNode: f.nodes.map(() => 0),
    conns: {},
    quicConns: {},
    hostRebinds: f.nodes.map(() => 0),
    requests: f.traffic.map(() => ({})),
    pageLoads: f.traffic.map(() => ({})),
    udpHighestUnit: f.traffic.map(() => -1),
    stubs: initialStubs(f.nodes),
    dcDown: f.dataCentres.map(() => false),
    spikeFactor: f.traffic.map(() => 1),
    spikeUntilUs: f.traffic.map(() => 0),
    spikeEndUs: 0,
    servers: initialServers(f.nodes),
    rngGslb: createRng(seed, 6),
    rngLb: createRng(seed, 7),
  };
}
