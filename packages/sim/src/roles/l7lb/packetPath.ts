/**
 * The L7 balancer's packet path (SPEC LB-L7-11..16). It terminates clients' TCP
 * connections at its virtual IP: their server end is on its node, run by the flow's
 * request/response plan (TLS included), except that the response waits for the
 * balancer's answer (`responseReady`). Each request read costs CPU (LB-L7-6: queued
 * when busy, refused beyond the queue); then it is routed (LB-L7-2..4) and forwarded
 * over the balancer's own TCP connection to the backend — an idle one of its keep-alive
 * pool, or a new one (LB-L7-5) — and the backend's response, back on that connection,
 * lets the client's response go. A request that cannot be answered fails with its
 * reason, placed at the balancer, and its client's connection is reset.
 *
 * Its connections to backends are owned by the role (`TcpConn.app`, roles/role.ts), at
 * both ends: the backend's end answers each request the balancer's end carries, after
 * the host's processing (DC-2), with the response the request asks for — the size the
 * balancer's record of that connection names (as a GET names its resource).
 */
import {
  HEALTH_TICK_ARG,
  type HealthTarget,
  isProbePort,
  onProbeReply,
  onProbeTimeout,
  probeAll,
  scheduleTick,
} from '../../application/balancing/health.ts';
import { EPHEMERAL_BASE, requestFlow, sendFromHost } from '../../application/requests.ts';
import { responseReady } from '../../application/server.ts';
import { failTcpRequest, respondNow, tcpApp } from '../../application/tcpApp.ts';
import type { SimCore } from '../../engine/core.ts';
import type { LossReason } from '../../engine/records.ts';
import { RST, type TcpConn } from '../../engine/state.ts';
import { CHANNEL_CODE, I_CHANNEL, I_DST, I_DST_PORT, ISTRIDE, release } from '../../engine/wire.ts';
import { dropSlot, type NetworkHooks } from '../../network/network.ts';
import { tcpReceive } from '../../transport/tcp.ts';
import { closeConn, isOpen, SERVER_PORT, segment, type TcpApp } from '../../transport/tcpConn.ts';
import { closeByApp, openClient, trySend } from '../../transport/tcpSend.ts';
import type { RoleTcpApp } from '../role.ts';
import { admit, finish } from './cpu.ts';
import { IDLE_TIMEOUT_US, trim } from './keepAlivePool.ts';
import { noteAnswered, noteFailed, noteForwarded } from './lifecycle.ts';
import { routeRequest } from './route.ts';
import type { L7lbSpec } from './spec.ts';
import type { L7Back, L7Backend, L7lbState, L7Req } from './state.ts';

/** Role-timer args at and above this are CPU work finishing: request id + CPU_ARG (below: health checks, ≤ 512 probes, and IDLE_ARG). */
export const CPU_ARG = 1_024;
/** Role-timer arg of the keep-alive pool's idle timeout (SPEC LB-L7-5). */
const IDLE_ARG = CPU_ARG - 1;
/** Local ports the balancer opens backend connections from: the ephemeral range. */
const PORTS = 16_384;

export function l7SpecOf(sim: SimCore, lb: L7lbState): L7lbSpec {
  return sim.sc.file.nodes[lb.node] as unknown as L7lbSpec;
}

function lbOf(sim: SimCore, node: number): L7lbState {
  return sim.st.roles[node] as unknown as L7lbState;
}

/** A packet reached the balancer: TCP to its virtual IP is its own (clients' and backends'), a probe's reply its health check's. */
export function l7lbArrive(
  sim: SimCore,
  hooks: NetworkHooks,
  lb: L7lbState,
  slot: number,
  link: number,
): void {
  const ints = sim.st.wire.ints;
  const i = slot * ISTRIDE;
  if (ints[i + I_DST] !== ((sim.sc.hostAddr[lb.node] as number) | 0))
    return dropSlot(sim, hooks, slot, 'wrong-host', lb.node, link);
  if (ints[i + I_CHANNEL] !== CHANNEL_CODE.tcp) return dropSlot(sim, hooks, slot, 'no-route', lb.node, link);
  if (isProbePort(ints[i + I_DST_PORT] as number, lb.health.length))
    return onProbeReply(sim, lb.health, release(sim.st.wire, slot, false), onHealth(lb));
  tcpReceive(sim, tcpApp, lb.node, release(sim.st.wire, slot, sim.listeners.length > 0));
}

export function startL7(sim: SimCore, lb: L7lbState): void {
  onL7Timer(sim, lb, HEALTH_TICK_ARG);
}

/** The health-check tick, a probe's timeout, or a request's CPU work done. */
export function onL7Timer(sim: SimCore, lb: L7lbState, arg: number): void {
  const spec = l7SpecOf(sim, lb);
  if (arg >= CPU_ARG) return cpuDone(sim, lb, spec, arg - CPU_ARG);
  if (arg === IDLE_ARG) return closeTimedOut(sim, lb);
  if (arg !== HEALTH_TICK_ARG) return onProbeTimeout(sim, lb.health, spec.healthCheck, arg, onHealth(lb));
  probeAll(sim, lb.node, lb.health, spec.healthCheck);
  scheduleTick(sim, lb.node, spec.healthCheck);
}

/**
 * A backend host's health changed: a record; every pool's backend on that host takes its
 * verdict, and down, its requests under way fail and its connections close (SPEC LB-L7-15).
 */
function onHealth(lb: L7lbState) {
  return (sim: SimCore, i: number, up: boolean) => {
    const host = (lb.health[i] as HealthTarget).host;
    sim.emit({ k: 'lbHealth', tUs: sim.st.nowUs, node: lb.node, backend: sim.sc.nodeIds[host] ?? '', up });
    lb.pools.forEach((pool, p) => {
      pool.backends.forEach((b, j) => {
        if (b.host !== host) return;
        b.healthy = up;
        if (!up) backendGone(sim, lb, p, j);
      });
    });
  };
}

/**
 * Backend `backend` of pool `pool` is out (taken down, or its health checks failed): its
 * requests under way fail as backend-down and their connections are reset; its idle
 * connections close.
 */
export function backendGone(sim: SimCore, lb: L7lbState, pool: number, backend: number): void {
  for (const key of Object.keys(lb.backs)) {
    const id = Number(key);
    const rec = lb.backs[id] as L7Back;
    if (rec.pool !== pool || rec.backend !== backend || rec.req < 0) continue;
    const c = sim.st.conns[id];
    const req = rec.req;
    delete lb.backs[id];
    noteFailed(lb, pool, backend);
    fail(sim, lb, req, 'backend-down');
    if (c && isOpen(c)) {
      sendFromHost(sim, sim.hooks, c.node, segment(sim, c, RST, c.sndNxt, 0));
      closeConn(sim, c);
    }
  }
  closeIdle(sim, lb, lb.pools[pool]?.backends[backend] as L7Backend, 0);
}

/** Closes a backend's idle connections beyond `keep` (the pool size shrank, or it went out), oldest first. */
export function closeIdle(sim: SimCore, lb: L7lbState, b: L7Backend, keep: number): void {
  trim(b.conns, keep);
  while (b.idleConns.length > b.conns.idle) {
    const id = b.idleConns.shift() as number;
    delete lb.backs[id];
    const c = sim.st.conns[id];
    if (c && isOpen(c) && !c.finQueued) closeByApp(sim, tcpApp, c);
  }
}

/** A pooled connection went idle: the idle-timeout timer runs, unless one is pending already. */
function armIdleTimer(sim: SimCore, lb: L7lbState, atUs: number): void {
  if (lb.idleTimerUs >= 0) return;
  lb.idleTimerUs = atUs;
  sim.schedule({ t: atUs, k: 'roleTimer', node: lb.node, arg: IDLE_ARG });
}

/**
 * The idle-timeout timer: every pooled connection idle IDLE_TIMEOUT_US closes (each
 * backend's idle list is oldest first); the timer runs again for the oldest still idle.
 */
function closeTimedOut(sim: SimCore, lb: L7lbState): void {
  if (sim.st.nowUs !== lb.idleTimerUs) return;
  lb.idleTimerUs = -1;
  let nextUs = -1;
  for (const pool of lb.pools)
    for (const b of pool.backends) {
      let expired = 0;
      for (const id of b.idleConns) {
        const sinceUs = (lb.backs[id] as L7Back).idleSinceUs;
        if (sinceUs + IDLE_TIMEOUT_US > sim.st.nowUs) {
          if (nextUs < 0 || sinceUs < nextUs) nextUs = sinceUs;
          break;
        }
        expired++;
      }
      if (expired > 0) closeIdle(sim, lb, b, b.conns.idle - expired);
    }
  if (nextUs >= 0) armIdleTimer(sim, lb, nextUs + IDLE_TIMEOUT_US);
}

/** The response of the client's connection `c` waits for the balancer's answer: its request is read here first. */
function frontReady(sim: SimCore, lb: L7lbState, c: TcpConn): boolean {
  let f = lb.fronts[c.id];
  if (!f) {
    f = { k: 0, req: -1, ready: false };
    lb.fronts[c.id] = f;
  }
  if (f.ready) {
    f.ready = false;
    f.req = -1;
    f.k++;
    return true;
  }
  if (f.req >= 0) return false;
  const id = lb.nextReq++;
  f.req = id;
  lb.reqs[id] = {
    front: c.id,
    flow: c.flow,
    unit: c.unit + f.k,
    startUs: sim.st.nowUs,
    pool: -1,
    backend: -1,
    back: -1,
  };
  const spec = l7SpecOf(sim, lb);
  const admitted = admit(lb.cpu, spec.cpu, id);
  if (admitted === 'start') scheduleCpu(sim, lb, spec, id);
  else if (admitted === 'refused') {
    lb.refused++;
    fail(sim, lb, id, 'lb-overloaded');
  }
  return false;
}

function scheduleCpu(sim: SimCore, lb: L7lbState, spec: L7lbSpec, id: number): void {
  sim.schedule({ t: sim.st.nowUs + spec.cpu.serviceUs, k: 'roleTimer', node: lb.node, arg: CPU_ARG + id });
}

function cpuDone(sim: SimCore, lb: L7lbState, spec: L7lbSpec, id: number): void {
  const next = finish(lb.cpu, spec.cpu, id);
  if (next >= 0) scheduleCpu(sim, lb, spec, next);
  forward(sim, lb, id);
}

/** The session cookie of request `unit` of a flow with `sessions` sessions ('' without). */
export function cookieOf(sessions: number | undefined, unit: number): string {
  return sessions ? `s${unit % sessions}` : '';
}

/** Routes request `id` (read, its CPU work done) and sends it to its backend. */
function forward(sim: SimCore, lb: L7lbState, id: number): void {
  const req = lb.reqs[id];
  if (!req) return;
  const front = sim.st.conns[req.front];
  // The client gave up (its connection is gone): nothing to answer.
  if (!front || !isOpen(front)) {
    delete lb.reqs[id];
    return;
  }
  const f = requestFlow(sim, req.flow);
  const names = (pool: number) => (lb.pools[pool]?.backends ?? []).map((b) => sim.sc.nodeIds[b.host] ?? '');
  const decision = routeRequest(
    lb,
    names,
    {
      path: (f.kind === 'tcp' && f.path) || '/',
      cookie: cookieOf(f.kind === 'tcp' ? f.sessions : undefined, req.unit),
      clientKey: front.peerAddr >>> 0,
    },
    sim.st.rngLb,
  );
  if ('refused' in decision) {
    lb.refused++;
    return fail(sim, lb, id, decision.refused);
  }
  const { pool, backend } = decision;
  const b = lb.pools[pool]?.backends[backend] as L7Backend;
  req.pool = pool;
  req.backend = backend;
  sim.emit({
    k: 'lbAssigned',
    tUs: sim.st.nowUs,
    node: lb.node,
    flow: req.flow,
    unit: req.unit,
    backend: sim.sc.nodeIds[b.host] ?? '',
  });
  const reuse = noteForwarded(lb, pool, backend);
  const idle = reuse ? b.idleConns.shift() : undefined;
  const c = idle === undefined ? undefined : sim.st.conns[idle];
  if (c && isOpen(c)) {
    const rec = lb.backs[c.id] as L7Back;
    rec.req = id;
    rec.idleSinceUs = -1;
    rec.reqEnd += f.requestBytes;
    rec.respEnd += f.responseBytes;
    req.back = c.id;
    c.flow = req.flow;
    c.unit = req.unit;
    c.sendBytes = rec.reqEnd;
    trySend(sim, tcpApp, c);
    return;
  }
  // No idle connection (or the pool's was gone): a new one, and its handshake.
  if (reuse) {
    b.conns.saved--;
    b.conns.opened++;
  }
  const port = freePort(sim, lb, b.host);
  if (port < 0) {
    noteFailed(lb, pool, backend);
    return fail(sim, lb, id, 'pool-overloaded');
  }
  const back = openClient(sim, tcpApp, {
    node: lb.node,
    flow: req.flow,
    unit: req.unit,
    localAddr: sim.sc.hostAddr[lb.node] as number,
    localPort: port,
    peerAddr: sim.sc.hostAddr[b.host] as number,
    peerPort: SERVER_PORT,
  });
  back.app = lb.node;
  req.back = back.id;
  lb.backs[back.id] = {
    pool,
    backend,
    req: id,
    idleSinceUs: -1,
    reqEnd: f.requestBytes,
    respEnd: f.responseBytes,
  };
}

/** A local port towards `host` that no connection of the balancer holds, or −1. */
function freePort(sim: SimCore, lb: L7lbState, host: number): number {
  const addr = (sim.sc.hostAddr[host] as number) >>> 0;
  for (let k = 0; k < PORTS; k++) {
    const port = EPHEMERAL_BASE + ((lb.nextPort + k) % PORTS);
    if (!sim.tcpIndex.get(lb.node, port, addr, SERVER_PORT)) {
      lb.nextPort = (lb.nextPort + k + 1) % PORTS;
      return port;
    }
  }
  return -1;
}

/** Request `id` fails with `reason`, placed at the balancer (SPEC LB-L7-14); its client's connection is reset. */
function fail(sim: SimCore, lb: L7lbState, id: number, reason: LossReason): void {
  const req = lb.reqs[id] as L7Req;
  delete lb.reqs[id];
  delete lb.fronts[req.front];
  failTcpRequest(sim, req.flow, req.unit, reason);
  const c = sim.st.conns[req.front];
  if (c && isOpen(c)) {
    sendFromHost(sim, sim.hooks, c.node, segment(sim, c, RST, c.sndNxt, 0));
    closeConn(sim, c);
  }
}

/** The backend's whole response is back on `c`: the connection goes to the pool or closes; the client's response goes. */
function answered(sim: SimCore, lb: L7lbState, c: TcpConn, rec: L7Back): void {
  const id = rec.req;
  const req = lb.reqs[id] as L7Req;
  rec.req = -1;
  delete lb.reqs[id];
  const b = lb.pools[rec.pool]?.backends[rec.backend] as L7Backend;
  const kept = noteAnswered(lb, rec.pool, rec.backend, sim.st.nowUs - req.startUs);
  if (kept) {
    b.idleConns.push(c.id);
    rec.idleSinceUs = sim.st.nowUs;
    armIdleTimer(sim, lb, sim.st.nowUs + IDLE_TIMEOUT_US);
  } else {
    delete lb.backs[c.id];
    closeByApp(sim, tcpApp, c);
  }
  const f = lb.fronts[req.front];
  if (f && f.req === id) {
    f.ready = true;
    respondNow(sim, req.front);
  }
}

/** The balancer's connection `c` to a backend ended (closed by the backend, reset, timed out). */
function backLost(sim: SimCore, lb: L7lbState, c: TcpConn, reason: LossReason): void {
  const rec = lb.backs[c.id];
  if (!rec) return;
  delete lb.backs[c.id];
  const b = lb.pools[rec.pool]?.backends[rec.backend] as L7Backend;
  if (rec.req >= 0) {
    noteFailed(lb, rec.pool, rec.backend);
    fail(sim, lb, rec.req, reason);
    return;
  }
  const at = b.idleConns.indexOf(c.id);
  if (at >= 0) {
    b.idleConns.splice(at, 1);
    b.conns.idle--;
  }
}

/** The balancer's end of a connection to a backend. */
const balancerEnd: TcpApp = {
  established(sim, c) {
    const rec = lbOf(sim, c.node).backs[c.id];
    if (!rec || rec.req < 0) return;
    c.sendBytes = rec.reqEnd;
    trySend(sim, tcpApp, c);
  },
  delivered(sim, c) {
    const lb = lbOf(sim, c.node);
    const rec = lb.backs[c.id];
    if (rec && rec.req >= 0 && c.deliveredBytes >= rec.respEnd) answered(sim, lb, c, rec);
  },
  peerClosed(sim, c) {
    backLost(sim, lbOf(sim, c.node), c, 'connection-reset');
    if (isOpen(c) && !c.finQueued) closeByApp(sim, tcpApp, c);
  },
  aborted(sim, c, reason) {
    // Retransmissions gave up: the backend does not answer.
    backLost(sim, lbOf(sim, c.node), c, reason || 'backend-down');
  },
  transmit(sim, node, slot) {
    sendFromHost(sim, sim.hooks, node, slot);
  },
};

/** The backend's end: each request the balancer's end carries is processed (DC-2), then answered. */
const backendEnd: TcpApp = {
  established() {},
  delivered(sim, c) {
    const node = c.app as number;
    const peer = sim.tcpIndex.get(node, c.peerPort, c.localAddr >>> 0, c.localPort);
    const rec = peer ? lbOf(sim, node).backs[peer.id] : undefined;
    if (!peer || !rec || rec.req < 0 || c.deliveredBytes < rec.reqEnd || c.sendBytes >= rec.respEnd) return;
    if (!responseReady(sim, c)) return;
    c.flow = peer.flow;
    c.unit = peer.unit;
    c.sendBytes = rec.respEnd;
    trySend(sim, tcpApp, c);
  },
  peerClosed(sim, c) {
    closeByApp(sim, tcpApp, c);
  },
  aborted() {},
  transmit(sim, node, slot) {
    sendFromHost(sim, sim.hooks, node, slot);
  },
};

/** The role's part in TCP (RoleDef.tcpApp). */
export const l7TcpApp: RoleTcpApp<L7lbState> = {
  app: {
    established: (sim, c) => (c.node === c.app ? balancerEnd : backendEnd).established(sim, c),
    delivered: (sim, c) => (c.node === c.app ? balancerEnd : backendEnd).delivered(sim, c),
    peerClosed: (sim, c) => (c.node === c.app ? balancerEnd : backendEnd).peerClosed(sim, c),
    aborted: (sim, c, reason) => (c.node === c.app ? balancerEnd : backendEnd).aborted(sim, c, reason),
    transmit(sim, node, slot) {
      sendFromHost(sim, sim.hooks, node, slot);
    },
  },
  responseReady: frontReady,
  // A client's connection gone is forgotten at once; a request of it under way still runs to its end, unanswered.
  ended(_sim, lb, c) {
    delete lb.fronts[c.id];
  },
};
