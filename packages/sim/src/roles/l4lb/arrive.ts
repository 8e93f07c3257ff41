/**
 * A packet reaching the L4 balancer (SPEC LB-L4-1..4). It sees addresses, ports and
 * flags only. A client's segment to the virtual IP, port 80, goes to the backend its
 * connection is pinned to (a new connection's SYN gets one by the algorithm), its
 * addresses rewritten — source: the virtual IP and the balancer's port for the
 * connection; destination: the backend — so the backend's replies come back here and
 * go to the client from the virtual IP. Failures are dropped here with their reason.
 */

import { isProbePort } from '../../application/balancing/health.ts';
import type { SimCore } from '../../engine/core.ts';
import { ACK, FIN, RST, SYN } from '../../engine/state.ts';
import {
  CHANNEL_CODE,
  I_CHANNEL,
  I_DST,
  I_DST_PORT,
  I_FLAGS,
  I_FLOW,
  I_SRC_ADDR,
  I_SRC_PORT,
  I_UNIT,
  ISTRIDE,
  pushPath,
  release,
} from '../../engine/wire.ts';
import { dropSlot, type NetworkHooks, sendPacket } from '../../network/network.ts';
import { SERVER_PORT } from '../../transport/tcpConn.ts';
import { forget, freePort, isLive, lookup, markBroken, markClosed, repin, track } from './conntrack.ts';
import { onProbeReply, specOf } from './health.ts';
import { noBackendReason, pickBackend } from './pick.ts';
import type { L4lbState, TrackedConn } from './state.ts';

export function l4lbArrive(
  sim: SimCore,
  hooks: NetworkHooks,
  lb: L4lbState,
  slot: number,
  link: number,
): void {
  const ints = sim.st.wire.ints;
  const i = slot * ISTRIDE;
  const vip = (sim.sc.hostAddr[lb.node] as number) | 0;
  if (ints[i + I_DST] !== vip) return dropSlot(sim, hooks, slot, 'wrong-host', lb.node, link);
  // It balances TCP only: anything else finds no one listening.
  if (ints[i + I_CHANNEL] !== CHANNEL_CODE.tcp) return dropSlot(sim, hooks, slot, 'no-route', lb.node, link);
  const dstPort = ints[i + I_DST_PORT] as number;
  if (dstPort === SERVER_PORT) return fromClient(sim, hooks, lb, slot);
  if (isProbePort(dstPort, lb.backends.length))
    return onProbeReply(sim, lb, release(sim.st.wire, slot, false));
  const conn = lb.conns[dstPort];
  const b = conn ? lb.backends[conn.backend] : undefined;
  if (conn && b && ints[i + I_SRC_ADDR] === ((sim.sc.hostAddr[b.host] as number) | 0))
    return fromBackend(sim, hooks, lb, slot, conn);
  // A backend's segment to a port the balancer no longer tracks: the connection was forgotten.
  const fromBackendHost = lb.backends.some(
    (x) => ((sim.sc.hostAddr[x.host] as number) | 0) === ints[i + I_SRC_ADDR],
  );
  dropSlot(sim, hooks, slot, fromBackendHost ? 'conn-moved' : 'no-route', lb.node, -1);
}

function fromClient(sim: SimCore, hooks: NetworkHooks, lb: L4lbState, slot: number): void {
  const ints = sim.st.wire.ints;
  const i = slot * ISTRIDE;
  const spec = specOf(sim, lb);
  const addr = (ints[i + I_SRC_ADDR] as number) >>> 0;
  const port = ints[i + I_SRC_PORT] as number;
  const flags = ints[i + I_FLAGS] as number;
  const syn = (flags & SYN) !== 0 && (flags & ACK) === 0;
  let found = lookup(lb, addr, port);
  // A new SYN on a closed connection's address and port is a new connection.
  if (found && syn && found.conn.closedUs >= 0) {
    forget(lb, found.port);
    found = null;
  }
  // A segment of a connection the balancer does not know (it was forgotten: `l4lb.flush`) has no backend to go to.
  if (!found && !syn) return dropSlot(sim, hooks, slot, 'conn-moved', lb.node, -1);
  if (!found) {
    const backend = pickBackend(sim, lb, spec, addr, port);
    const lbPort = backend < 0 ? -1 : freePort(lb, addr, port);
    if (lbPort < 0) {
      if (syn) lb.refused++;
      return dropSlot(sim, hooks, slot, backend < 0 ? noBackendReason(lb) : 'pool-overloaded', lb.node, -1);
    }
    const conn: TrackedConn = {
      clientAddr: addr,
      clientPort: port,
      backend,
      flow: ints[i + I_FLOW] as number,
      unit: ints[i + I_UNIT] as number,
      lastUs: sim.st.nowUs,
      established: false,
      fins: 0,
      closedUs: -1,
      broken: '',
    };
    track(lb, lbPort, conn);
    lb.accepted++;
    (lb.backends[backend] as { total: number }).total++;
    sim.emit({
      k: 'lbAssigned',
      tUs: sim.st.nowUs,
      node: lb.node,
      flow: conn.flow,
      unit: conn.unit,
      backend: sim.sc.nodeIds[lb.backends[backend]?.host ?? -1] ?? '',
    });
    found = { port: lbPort, conn };
  } else if (!lb.tracking && !syn && found.conn.closedUs < 0) {
    // Without tracking every packet is picked anew (SPEC LB-L4-2).
    const backend = pickBackend(sim, lb, spec, addr, port);
    if (backend >= 0) repin(lb, found.conn, backend);
  }
  const { port: lbPort, conn } = found;
  const b = lb.backends[conn.backend] as L4lbState['backends'][number];
  const backendAddr = sim.sc.hostAddr[b.host] as number;
  if (conn.broken) return dropSlot(sim, hooks, slot, conn.broken, lb.node, -1);
  if (b.admin === 'down' || !b.healthy) return breakConn(sim, hooks, lb, conn, slot, 'backend-down');
  // A segment of an open connection reaching a backend that has no such connection breaks it (SPEC LB-L4-4).
  const live = isLive(conn) && (flags & RST) === 0;
  if (
    !syn &&
    live &&
    !sim.tcpIndex.get(b.host, SERVER_PORT, (sim.sc.hostAddr[lb.node] as number) >>> 0, lbPort)
  )
    return breakConn(sim, hooks, lb, conn, slot, 'conn-moved');
  conn.lastUs = sim.st.nowUs;
  if (!syn) conn.established = true;
  if (flags & FIN) conn.fins |= 1;
  if (flags & RST || conn.fins === 3) markClosed(sim, lb, conn);
  ints[i + I_SRC_ADDR] = ints[i + I_DST] as number;
  ints[i + I_SRC_PORT] = lbPort;
  ints[i + I_DST] = backendAddr | 0;
  pushPath(sim.st.wire, slot, lb.node);
  sendPacket(sim, hooks, lb.node, slot);
}

function fromBackend(
  sim: SimCore,
  hooks: NetworkHooks,
  lb: L4lbState,
  slot: number,
  conn: TrackedConn,
): void {
  if (conn.broken) return dropSlot(sim, hooks, slot, conn.broken, lb.node, -1);
  const ints = sim.st.wire.ints;
  const i = slot * ISTRIDE;
  const flags = ints[i + I_FLAGS] as number;
  conn.lastUs = sim.st.nowUs;
  if (flags & FIN) conn.fins |= 2;
  if (flags & RST || conn.fins === 3) markClosed(sim, lb, conn);
  ints[i + I_SRC_ADDR] = sim.sc.hostAddr[lb.node] as number;
  ints[i + I_DST] = conn.clientAddr | 0;
  ints[i + I_DST_PORT] = conn.clientPort;
  pushPath(sim.st.wire, slot, lb.node);
  sendPacket(sim, hooks, lb.node, slot);
}

/** The connection breaks (once counted, with a record); this packet and the rest are dropped here with `reason`. */
function breakConn(
  sim: SimCore,
  hooks: NetworkHooks,
  lb: L4lbState,
  conn: TrackedConn,
  slot: number,
  reason: 'backend-down' | 'conn-moved',
): void {
  markBroken(sim, lb, conn, reason);
  dropSlot(sim, hooks, slot, reason, lb.node, -1);
}
