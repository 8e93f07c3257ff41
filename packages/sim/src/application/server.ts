/**
 * Servers in data centres (SPEC DC-2): a host with `server` takes `processingMs` per
 * request, runs at most `concurrency` at once and queues the rest in arrival order, up
 * to `queueLimit`; a request beyond that is refused with a reset. The response is queued
 * on the connection only once processing ends. Hosts without `server` answer at once.
 */
import type { SimCore } from '../engine/core.ts';
import { RST, type TcpConn } from '../engine/state.ts';
import { msToUs } from '../engine/units.ts';
import type { NodeSpec, ServerSpec } from '../scenario/scenarioSchema.ts';
import { closeConn, isOpen, segment } from '../transport/tcpConn.ts';
import { sendFromHost } from './requests.ts';

/** A server host's requests: those processing, those waiting (TCP connection ids, FIFO), and its counters. */
export interface ServerState {
  /** Connections whose request is being processed. */
  active: number[];
  /** Connections whose request waits for a free worker, oldest first. */
  queue: number[];
  /** Connections whose processing ended: their response may be queued. */
  done: number[];
  served: number;
  refused: number;
  /** The most requests that waited at once. */
  peakQueue: number;
  /** Server-side TCP connections open now, the most at once, and SYNs refused for want of memory (SPEC DC-4). */
  openConns: number;
  peakConns: number;
  refusedConns: number;
}

/** The server hosts of a scenario, by node index. */
export function initialServers(nodes: readonly NodeSpec[]): Record<number, ServerState> {
  const servers: Record<number, ServerState> = {};
  nodes.forEach((n, node) => {
    if (n.kind === 'host' && n.server)
      servers[node] = {
        active: [],
        queue: [],
        done: [],
        served: 0,
        refused: 0,
        peakQueue: 0,
        openConns: 0,
        peakConns: 0,
        refusedConns: 0,
      };
  });
  return servers;
}

function specOf(sim: SimCore, node: number): ServerSpec | undefined {
  const n = sim.sc.file.nodes[node];
  return n?.kind === 'host' ? n.server : undefined;
}

/**
 * The server end of `c` is about to queue its response: true when it may (no `server`,
 * or its processing ended), false when the request is processing or waiting — or was
 * refused now (SPEC DC-2).
 */
export function responseReady(sim: SimCore, c: TcpConn): boolean {
  const s = sim.st.servers[c.node];
  if (!s) {
    // A role that terminates connections (an L7 balancer) answers when it has its answer (SPEC LB-L7-11).
    const role = sim.st.roles[c.node];
    return !role || sim.sc.roles.of(role).tcpApp?.responseReady(sim, role, c) !== false;
  }
  const at = s.done.indexOf(c.id);
  if (at >= 0) {
    s.done.splice(at, 1);
    return true;
  }
  if (s.active.includes(c.id) || s.queue.includes(c.id)) return false;
  const spec = specOf(sim, c.node) as ServerSpec;
  if (s.active.length < spec.concurrency) startProcessing(sim, s, spec, c.node, c.id);
  else if (s.queue.length < spec.queueLimit) {
    s.queue.push(c.id);
    s.peakQueue = Math.max(s.peakQueue, s.queue.length);
  } else refuse(sim, s, c);
  return false;
}

function startProcessing(sim: SimCore, s: ServerState, spec: ServerSpec, node: number, conn: number): void {
  s.active.push(conn);
  sim.schedule({ t: sim.st.nowUs + msToUs(spec.processingMs), k: 'serverDone', node, conn });
}

/** The queue is full: the request is refused with a reset, as an overloaded server's accept queue does. */
function refuse(sim: SimCore, s: ServerState, c: TcpConn): void {
  s.refused++;
  sendFromHost(sim, sim.hooks, c.node, segment(sim, c, RST, c.sndNxt, 0));
  closeConn(sim, c);
}

/**
 * A request's processing ended: the next waiting one starts (a connection closed
 * meanwhile is skipped), and `conn` is returned when it is still open, for its
 * response to be queued (tcpApp), else −1.
 */
export function onServerDone(sim: SimCore, node: number, conn: number): number {
  const s = sim.st.servers[node];
  const spec = specOf(sim, node);
  if (!s || !spec) return -1;
  const at = s.active.indexOf(conn);
  if (at < 0) return -1;
  s.active.splice(at, 1);
  s.served++;
  for (let next = s.queue.shift(); next !== undefined; next = s.queue.shift()) {
    const c = sim.st.conns[next];
    if (c && isOpen(c)) {
      startProcessing(sim, s, spec, node, next);
      break;
    }
  }
  const c = sim.st.conns[conn];
  if (!c || !isOpen(c)) return -1;
  s.done.push(conn);
  return conn;
}

/** What a server host's view shows (SPEC DC-2, DC-4): requests processing and waiting, served and refused; connections and their memory. */
export interface ServerView {
  busy: number;
  concurrency: number;
  queued: number;
  queueLimit: number;
  peakQueue: number;
  served: number;
  refused: number;
  openConns: number;
  peakConns: number;
  /** Memory the open connections hold, and the limit (0: none), KB. */
  memoryKB: number;
  memoryLimitKB: number;
  refusedConns: number;
}

export function viewServer(sim: SimCore, node: number): ServerView | null {
  const s = sim.st.servers[node];
  const spec = specOf(sim, node);
  if (!s || !spec) return null;
  return {
    busy: s.active.length,
    concurrency: spec.concurrency,
    queued: s.queue.length,
    queueLimit: spec.queueLimit,
    peakQueue: s.peakQueue,
    served: s.served,
    refused: s.refused,
    openConns: s.openConns,
    peakConns: s.peakConns,
    memoryKB: s.openConns * spec.connMemoryKB,
    memoryLimitKB: spec.memoryKB,
    refusedConns: s.refusedConns,
  };
}
