/**
 * The balancer's connection table (SPEC LB-L4-2): per client address and port, the
 * backend the connection is pinned to and the balancer's own port towards it (it
 * rewrites both addresses, so a backend's replies come back through it). The port is a
 * hash of the client's address and port (the next free one on a collision).
 */

import { flowKey32 } from '../../application/balancing/hash32.ts';
import { EPHEMERAL_BASE } from '../../application/requests.ts';
import type { SimCore } from '../../engine/core.ts';
import type { L4lbSpec } from './spec.ts';
import type { L4lbState, TrackedConn } from './state.ts';

/** Ports the balancer may use towards backends: the ephemeral range. */
const PORTS = 16_384;

export function clientKey(addr: number, port: number): number {
  return (addr >>> 0) * 65_536 + port;
}

/** The tracked connection of a client address and port, with its port, if any. */
export function lookup(
  lb: L4lbState,
  addr: number,
  port: number,
): { port: number; conn: TrackedConn } | null {
  const p = lb.ports[clientKey(addr, port)];
  const conn = p === undefined ? undefined : lb.conns[p];
  return p === undefined || !conn ? null : { port: p, conn };
}

/** A free port for a new connection of `addr`:`port` (its hash, else the next free after it), or −1 when all are taken. */
export function freePort(lb: L4lbState, addr: number, port: number): number {
  const home = flowKey32(addr, port) % PORTS;
  for (let k = 0; k < PORTS; k++) {
    const p = EPHEMERAL_BASE + ((home + k) % PORTS);
    if (!lb.conns[p]) return p;
  }
  return -1;
}

export function track(lb: L4lbState, lbPort: number, conn: TrackedConn): void {
  lb.conns[lbPort] = conn;
  lb.ports[clientKey(conn.clientAddr, conn.clientPort)] = lbPort;
  const b = lb.backends[conn.backend];
  if (b) b.open++;
}

/** The connection ended (both FINs, or a reset): its backend has one open connection fewer; the entry lingers. */
export function markClosed(sim: SimCore, lb: L4lbState, conn: TrackedConn): void {
  if (conn.closedUs >= 0) return;
  conn.closedUs = sim.st.nowUs;
  const b = lb.backends[conn.backend];
  if (b) b.open--;
}

/** The connection breaks: counted once, at its backend and in all, with an `lbConnBroken` record (SPEC LB-L4-4). */
export function markBroken(
  sim: SimCore,
  lb: L4lbState,
  conn: TrackedConn,
  reason: 'backend-down' | 'conn-moved',
): void {
  if (conn.broken) return;
  conn.broken = reason;
  const b = lb.backends[conn.backend] as { broken: number; host: number };
  b.broken++;
  lb.broken++;
  markClosed(sim, lb, conn);
  sim.emit({
    k: 'lbConnBroken',
    tUs: sim.st.nowUs,
    node: lb.node,
    flow: conn.flow,
    unit: conn.unit,
    backend: sim.sc.nodeIds[b.host] ?? '',
    reason,
  });
}

/** Whether the connection is open and not closing: a segment lost to it now breaks it (SPEC LB-L4-4). */
export function isLive(conn: TrackedConn): boolean {
  return conn.closedUs < 0 && conn.fins === 0 && !conn.broken;
}

export function forget(lb: L4lbState, lbPort: number): void {
  const conn = lb.conns[lbPort];
  if (!conn) return;
  if (conn.closedUs < 0) {
    const b = lb.backends[conn.backend];
    if (b) b.open--;
  }
  delete lb.conns[lbPort];
  delete lb.ports[clientKey(conn.clientAddr, conn.clientPort)];
}

/**
 * Forgets closed connections after their linger and idle ones after the idle timeout; a
 * broken one is kept until idle, so its retransmissions are dropped with its reason.
 */
export function sweep(sim: SimCore, lb: L4lbState, spec: L4lbSpec): void {
  const now = sim.st.nowUs;
  for (const key of Object.keys(lb.conns)) {
    const lbPort = Number(key);
    const c = lb.conns[lbPort] as TrackedConn;
    const closedLong = !c.broken && c.closedUs >= 0 && now - c.closedUs >= spec.lingerMs * 1_000;
    if (closedLong || now - c.lastUs >= spec.idleTimeoutMs * 1_000) forget(lb, lbPort);
  }
}

/** Moves a connection to another backend (tracking off, SPEC LB-L4-2). */
export function repin(lb: L4lbState, conn: TrackedConn, backend: number): void {
  if (conn.closedUs < 0) {
    (lb.backends[conn.backend] as { open: number }).open--;
    (lb.backends[backend] as { open: number }).open++;
  }
  conn.backend = backend;
}
