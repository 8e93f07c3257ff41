/**
 * `node packages/sim/bench/floor.ts`: how fast plain JavaScript moves the reference's
 * UDP frames hop by hop when it does nothing else — a floor to measure the engine
 * against, not a simulator. The same topology, frames and timings as the engine's
 * UDP-only run, with typed arrays only: one next-hop table, one transmitter clock
 * per interface, a timing wheel of slots. Left out on purpose: (t, s) order across
 * event sources, TTL, paths, loss, queue limits, frame records and deadlines,
 * records, snapshots. Compare with the engine on the same traffic in the same
 * minute (the machine's speed drifts): `node packages/sim/bench/floor.ts --engine`.
 * A benchmark helper, not a test.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadScenario } from '../src/scenario/scenario.ts';
import { Simulation } from '../src/simulation/simulation.ts';

interface NodeSpec {
  id: string;
  kind: string;
}
interface LinkSpec {
  a: string;
  b: string;
  latencyMs: number;
  bandwidthKbps: number;
}
interface FlowSpec {
  kind: string;
  from: string;
  to: string;
  startS: number;
  intervalMs: number;
  frameBytes: number;
}

const SIM_US = 5_000_000;
/** UDP frames carry 28 header bytes (SPEC LINK-1). */
const UDP_HEADER_BYTES = 28;
/** The wheel spans more than a flow's interval, so ticks live in it too. */
const WHEEL_US = 1 << 18;

const { values } = parseArgs({
  options: { engine: { type: 'boolean', default: false }, repeat: { type: 'string', default: '6' } },
});
const path = resolve(import.meta.dirname, '../../../scenarios/bench/reference-200.json');
const raw = JSON.parse(readFileSync(path, 'utf8')) as {
  nodes: NodeSpec[];
  links: LinkSpec[];
  traffic: FlowSpec[];
};
const floor = buildFloor(raw);
for (let r = 0; r < Number(values.repeat); r++) {
  const t0 = performance.now();
  const hops = floor(SIM_US);
  const ms = performance.now() - t0;
  console.log(`floor   ${Math.round(ms)} ms, ${hops} packet-hops: ${(hops / ms / 1000).toFixed(2)} M/s`);
  if (values.engine) {
    const sc = loadScenario({ ...raw, traffic: raw.traffic.filter((f) => f.kind === 'udp') }, path);
    const sim = new Simulation(sc, 1);
    for (const seat of sc.seats) sim.apply({ type: 'seat.bot', node: seat.node });
    const e0 = performance.now();
    sim.advanceTo(SIM_US);
    const ems = performance.now() - e0;
    console.log(
      `engine  ${Math.round(ems)} ms, ${sim.packetHops} packet-hops: ${(sim.packetHops / ems / 1000).toFixed(2)} M/s`,
    );
  }
}

/** The floor's run function for a scenario file: runs its UDP flows for `simUs`, returns packet-hops. */
function buildFloor(file: typeof raw): (simUs: number) => number {
  const index = new Map(file.nodes.map((n, i) => [n.id, i]));
  const at = (id: string) => index.get(id) as number;
  const nodes = file.nodes.length;
  const isHost = Uint8Array.from(file.nodes, (n) => (n.kind === 'host' ? 1 : 0));
  // Interfaces: link × 2 + direction (0 is a → b), as in the engine.
  const ifaces = file.links.length * 2;
  const latencyUs = new Float64Array(ifaces);
  const bandwidthBps = new Float64Array(ifaces);
  const peer = new Int32Array(ifaces);
  const busyUntilUs = new Float64Array(ifaces);
  const adjacent: [number, number][][] = Array.from({ length: nodes }, () => []);
  file.links.forEach((l, link) => {
    for (const dir of [0, 1]) {
      const i = link * 2 + dir;
      latencyUs[i] = Math.round(l.latencyMs * 1000);
      bandwidthBps[i] = l.bandwidthKbps * 1000;
      peer[i] = at(dir === 0 ? l.b : l.a);
    }
    adjacent[at(l.a)]?.push([at(l.b), link * 2]);
    adjacent[at(l.b)]?.push([at(l.a), link * 2 + 1]);
  });
  // Fewest hops to every destination, found backwards from it; hosts forward nothing.
  const nextIface = new Int32Array(nodes * nodes).fill(-1);
  for (let dst = 0; dst < nodes; dst++) {
    const seen = new Uint8Array(nodes);
    seen[dst] = 1;
    const queue = [dst];
    while (queue.length > 0) {
      const u = queue.shift() as number;
      for (const [v, iface] of adjacent[u] ?? []) {
        if (seen[v]) continue;
        seen[v] = 1;
        nextIface[v * nodes + dst] = iface ^ 1;
        if (!isHost[v]) queue.push(v);
      }
    }
  }
  const flows = file.traffic.filter((f) => f.kind === 'udp');
  const from = Int32Array.from(flows, (f) => at(f.from));
  const to = Int32Array.from(flows, (f) => at(f.to));
  const gapUs = Float64Array.from(flows, (f) => Math.round(f.intervalMs * 1000));
  const startUs = Float64Array.from(flows, (f) => Math.round(f.startS * 1e6));
  const bytes = Int32Array.from(flows, (f) => f.frameBytes + UDP_HEADER_BYTES);
  const mask = WHEEL_US - 1;

  return (simUs: number) => {
    const slots = 1 << 16;
    // Per slot: node it arrives at (or, for a tick, its flow), destination, size, next in bucket, kind (1 = tick).
    const node = new Int32Array(slots);
    const dst = new Int32Array(slots);
    const size = new Int32Array(slots);
    const next = new Int32Array(slots);
    const kind = new Int32Array(slots);
    const free = new Int32Array(slots);
    let freeTop = 0;
    for (let s = slots - 1; s >= 0; s--) free[freeTop++] = s;
    const head = new Int32Array(WHEEL_US).fill(-1);
    const tail = new Int32Array(WHEEL_US).fill(-1);
    busyUntilUs.fill(0);
    let pending = 0;
    let nowUs = 0;
    let cursorUs = 0;
    let hops = 0;
    const schedule = (s: number, tUs: number) => {
      const b = tUs & mask;
      next[s] = -1;
      const last = tail[b] as number;
      if (last < 0) head[b] = s;
      else next[last] = s;
      tail[b] = s;
      pending++;
      if (tUs < cursorUs) cursorUs = tUs;
    };
    const send = (s: number, at: number) => {
      const i = nextIface[at * nodes + (dst[s] as number)] as number;
      const startAt = Math.max(nowUs, busyUntilUs[i] as number);
      const finishUs = startAt + Math.ceil(((size[s] as number) * 8e6) / (bandwidthBps[i] as number));
      busyUntilUs[i] = finishUs;
      node[s] = peer[i] as number;
      schedule(s, finishUs + (latencyUs[i] as number));
    };
    for (let f = 0; f < flows.length; f++) {
      const s = free[--freeTop] as number;
      kind[s] = 1;
      node[s] = f;
      schedule(s, startUs[f] as number);
    }
    while (pending > 0) {
      let t = Math.max(cursorUs, nowUs);
      while ((head[t & mask] as number) < 0) t++;
      cursorUs = t;
      if (t > simUs) break;
      nowUs = t;
      const b = t & mask;
      const s = head[b] as number;
      const after = next[s] as number;
      head[b] = after;
      if (after < 0) tail[b] = -1;
      pending--;
      if (kind[s] === 1) {
        const f = node[s] as number;
        const frame = free[--freeTop] as number;
        kind[frame] = 0;
        dst[frame] = to[f] as number;
        size[frame] = bytes[f] as number;
        send(frame, from[f] as number);
        schedule(s, nowUs + (gapUs[f] as number));
        continue;
      }
      hops++;
      if (isHost[node[s] as number]) free[freeTop++] = s;
      else send(s, node[s] as number);
    }
    return hops;
  };
}
