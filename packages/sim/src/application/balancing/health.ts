/**
 * Health checks of a balancer's backends (SPEC LB-HEALTH-1), shared by the L4 and L7
 * balancers: every interval a TCP SYN from the virtual IP to each backend's port 7,
 * closed on every host, so a live host answers with a reset; `misses` unanswered probes
 * in a row mark a backend down, one answered marks it up. Probe i leaves from port
 * PROBE_PORT_BASE + i, and its timeout is the role timer with arg 1 + i (0 is the tick).
 */
import type { SimCore } from '../../engine/core.ts';
import { type Packet, RST, SYN } from '../../engine/state.ts';
import { msToUs } from '../../engine/units.ts';
import { setTcpHeader } from '../../engine/wire.ts';
import { sendPacket } from '../../network/network.ts';
import { segmentSlot } from '../../transport/tcpConn.ts';

/** Probes go to this port, closed on every host (as the resolver's, SPEC GSLB-6). */
export const PROBE_PORT = 7;
/** A probe of backend i leaves from port PROBE_PORT_BASE + i (below the ephemeral ports balancers use for connections). */
export const PROBE_PORT_BASE = 40_000;
/** Role-timer arg of the health-check interval's tick; 1 + i is backend i's probe timeout (the bot's are negative). */
export const HEALTH_TICK_ARG = 0;

/** What health checks keep per backend (part of the balancer's state). */
export interface HealthTarget {
  host: number;
  /** What its health checks say. */
  healthy: boolean;
  misses: number;
  /** The latest probe is unanswered; sent at `sentUs` with sequence number `round`. */
  awaiting: boolean;
  sentUs: number;
  round: number;
}

export interface HealthCheckSpec {
  intervalMs: number;
  timeoutMs: number;
  misses: number;
}

/** Called when a backend's health changes (after the target's `healthy` is set). */
export type OnHealth = (sim: SimCore, i: number, up: boolean) => void;

/** The probe timeout of backend `arg − 1` is due: a miss, and `misses` in a row mark it down. */
export function onProbeTimeout(
  sim: SimCore,
  targets: readonly HealthTarget[],
  spec: HealthCheckSpec,
  arg: number,
  onHealth: OnHealth,
): void {
  const b = targets[arg - 1];
  if (!b?.awaiting || b.sentUs + msToUs(spec.timeoutMs) !== sim.st.nowUs) return;
  b.awaiting = false;
  b.misses++;
  if (b.misses >= spec.misses && b.healthy) setHealthy(sim, targets, arg - 1, false, onHealth);
}

/** Probes every backend from `node`'s address and schedules the next tick. */
export function probeAll(
  sim: SimCore,
  node: number,
  targets: readonly HealthTarget[],
  spec: HealthCheckSpec,
): void {
  for (let i = 0; i < targets.length; i++) probe(sim, node, targets, spec, i);
}

/** Schedules the next interval's tick of `node`. */
export function scheduleTick(sim: SimCore, node: number, spec: HealthCheckSpec): void {
  sim.schedule({ t: sim.st.nowUs + msToUs(spec.intervalMs), k: 'roleTimer', node, arg: HEALTH_TICK_ARG });
}

function probe(
  sim: SimCore,
  node: number,
  targets: readonly HealthTarget[],
  spec: HealthCheckSpec,
  i: number,
): void {
  const b = targets[i];
  if (!b) return;
  b.round = (b.round + 1) % 0x40000000;
  b.awaiting = true;
  b.sentUs = sim.st.nowUs;
  const slot = segmentSlot(sim, sim.sc.hostAddr[b.host] as number, 0, -1, -1);
  const vip = sim.sc.hostAddr[node] as number;
  setTcpHeader(sim.st.wire, slot, vip, PROBE_PORT_BASE + i, PROBE_PORT, SYN, b.round, 0, 0);
  sendPacket(sim, sim.hooks, node, slot);
  sim.schedule({ t: sim.st.nowUs + msToUs(spec.timeoutMs), k: 'roleTimer', node, arg: 1 + i });
}

/** Whether `dstPort` is a probe's port of a balancer with `count` backends. */
export function isProbePort(dstPort: number, count: number): boolean {
  return dstPort >= PROBE_PORT_BASE && dstPort < PROBE_PORT_BASE + count;
}

/** A reset answering the latest probe of a backend marks it up. */
export function onProbeReply(
  sim: SimCore,
  targets: readonly HealthTarget[],
  p: Packet,
  onHealth: OnHealth,
): void {
  const i = p.dstPort - PROBE_PORT_BASE;
  const b = targets[i];
  if (!(p.flags & RST) || !b?.awaiting || p.ack !== b.round + 1) return;
  b.awaiting = false;
  b.misses = 0;
  if (!b.healthy) setHealthy(sim, targets, i, true, onHealth);
}

function setHealthy(
  sim: SimCore,
  targets: readonly HealthTarget[],
  i: number,
  up: boolean,
  onHealth: OnHealth,
): void {
  (targets[i] as HealthTarget).healthy = up;
  onHealth(sim, i, up);
}
