import type { SimCore } from '../engine/core.ts';
import type { LossReason } from '../engine/records.ts';
import type { TcpConn } from '../engine/state.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { isOpen, SERVER_PORT, type TcpApp } from '../transport/tcpConn.ts';
import { closeByApp, openClient, trySend } from '../transport/tcpSend.ts';
import {
  type AppMessage,
  appMessages,
  keepAliveMessages,
  messagesOf,
  responseSpan,
  responseSpans,
  resumes,
  streamEndBytes,
} from './appFlights.ts';
import { completePageLoad, failPageLoadRequest, notePageConnected, notePageRequestSent } from './pageLoad.ts';
import {
  beginRequest,
  clientEnd,
  clientPort,
  completeRequest,
  failRequest,
  noteFirstByte,
  noteStreamDone,
  openRequest,
  type RequestFlow,
  requestFlow,
  sendFromHost,
} from './requests.ts';
import { onServerDone, responseReady } from './server.ts';

/** A connection's messages as each side sends them, where the response lies in the server's stream, and its flow. */
interface ConnPlan {
  flow: TcpFlowSpec | null;
  /** The flow's units are page loads (SPEC PAGE-1): their phases are noted. */
  pageLoad: boolean;
  client: AppMessage[];
  server: AppMessage[];
  span: { startBytes: number; bytes: number };
  /** Requests per connection (SPEC KA-1), and with several, each response's span and each client message's request number (−1: TLS). */
  requests: number;
  spans: { startBytes: number; bytes: number }[];
  clientRequest: number[];
}

type TcpFlowSpec = Extract<RequestFlow, { kind: 'tcp' }>;

/**
 * Plans by scenario, then by flow and whether the connection resumes TLS — all they
 * depend on (appFlights.ts). Derived from the scenario, never state; built once
 * instead of at every delivery. The last scenario's list is kept at hand.
 */
const plans = new WeakMap<Scenario, (ConnPlan | undefined)[]>();
let lastScenario: Scenario | null = null;
let lastPlans: (ConnPlan | undefined)[] = [];
const NO_PLAN: ConnPlan = {
  flow: null,
  pageLoad: false,
  client: [],
  server: [],
  span: { startBytes: 0, bytes: 0 },
  requests: 1,
  spans: [],
  clientRequest: [],
};

function planOf(sim: SimCore, c: TcpConn): ConnPlan {
  if (sim.sc !== lastScenario) {
    lastScenario = sim.sc;
    lastPlans = plans.get(sim.sc) ?? [];
    plans.set(sim.sc, lastPlans);
  }
  const key = c.flow * 2 + (resumes(c.unit) ? 1 : 0);
  const plan = lastPlans[key];
  if (plan) return plan;
  const f = requestFlow(sim, c.flow);
  let made = NO_PLAN;
  if (f.kind === 'tcp') {
    const requests = f.requestsPerConnection;
    const all = requests > 1 ? keepAliveMessages(f, c.unit, requests) : appMessages(f, c.unit);
    const client = messagesOf(all, 'client');
    let n = 0;
    made = {
      flow: f,
      pageLoad: f.name !== undefined,
      client,
      server: messagesOf(all, 'server'),
      span: responseSpan(all),
      requests,
      spans: requests > 1 ? responseSpans(all) : [],
      clientRequest: requests > 1 ? client.map((m) => (m.kind === 'request' ? n++ : -1)) : [],
    };
  }
  lastPlans[key] = made;
  return made;
}

/** Queues this side's next messages whose prerequisites (peer bytes) have arrived (SPEC TLS-2). */
function queueReady(sim: SimCore, c: TcpConn, plan: ConnPlan): void {
  const mine = c.role === 'client' ? plan.client : plan.server;
  let queued = false;
  for (let m = mine[c.appSent]; m && c.deliveredBytes >= m.afterPeerBytes; m = mine[c.appSent]) {
    // A server host processes the request first (SPEC DC-2); the response waits for it.
    if (m.kind === 'response' && c.role === 'server' && !responseReady(sim, c)) break;
    // On a keep-alive connection a request waits for its unit to start (SPEC KA-1).
    if (
      plan.requests > 1 &&
      c.role === 'client' &&
      (plan.clientRequest[c.appSent] as number) >= (c.reqStarted ?? 1)
    )
      break;
    c.sendBytes += m.bytes;
    c.appSent++;
    queued = true;
    if (plan.pageLoad && m.kind === 'request') notePageRequestSent(sim, c.flow, c.unit);
  }
  if (!queued) return;
  const f = plan.flow;
  // HTTP/1.0 style: the server closes once its last message is queued (SPEC TRF-3).
  if (c.role === 'server' && c.appSent === mine.length && f && f.closeBy !== 'client')
    closeByApp(sim, tcpApp, c);
  else trySend(sim, tcpApp, c);
}

/** Client side: first byte, streams done in order (head-of-line, SPEC H2-2), then the whole response. */
function clientProgress(sim: SimCore, c: TcpConn, plan: ConnPlan): void {
  const f = plan.flow;
  if (plan.requests > 1) return keepAliveProgress(sim, c, plan);
  const req = openRequest(sim, c.flow, c.unit);
  if (!req || !f) return;
  const span = plan.span;
  const got = c.deliveredBytes - span.startBytes;
  if (got <= 0) return;
  noteFirstByte(sim, 'tcp', c.flow, c.unit);
  while (req.streamsDone < f.streams && got >= streamEndBytes(req.streamsDone, f.streams, f.responseBytes))
    noteStreamDone(sim, 'tcp', c.flow, c.unit, req.streamsDone);
  if (got >= span.bytes && !c.finQueued) {
    const done = completeRequest(sim, 'tcp', c.flow, c.unit, span.bytes);
    if (done && plan.pageLoad) completePageLoad(sim, c.flow, c.unit, done);
    if (f.closeBy !== 'server') closeByApp(sim, tcpApp, c);
  }
}

/**
 * A keep-alive connection's client (SPEC KA-1): its responses arrive one after another;
 * each completes its own request (unit `c.unit + j`). It closes after the last, or after
 * any once its flow has stopped starting requests.
 */
function keepAliveProgress(sim: SimCore, c: TcpConn, plan: ConnPlan): void {
  const f = plan.flow as TcpFlowSpec;
  for (let j = c.respDone ?? 0; j < plan.requests; j = c.respDone ?? 0) {
    const span = plan.spans[j] as { startBytes: number; bytes: number };
    const got = c.deliveredBytes - span.startBytes;
    if (got <= 0 || c.finQueued) return;
    const unit = c.unit + j;
    const req = openRequest(sim, c.flow, unit);
    if (req) {
      noteFirstByte(sim, 'tcp', c.flow, unit);
      while (
        req.streamsDone < f.streams &&
        got >= streamEndBytes(req.streamsDone, f.streams, f.responseBytes)
      )
        noteStreamDone(sim, 'tcp', c.flow, unit, req.streamsDone);
    }
    if (got < span.bytes) return;
    if (req) completeRequest(sim, 'tcp', c.flow, unit, span.bytes);
    c.respDone = j + 1;
    const stopped = f.stopS !== undefined && sim.st.nowUs >= f.stopS * 1_000_000;
    if (j + 1 === plan.requests || (stopped && (c.reqStarted ?? 1) <= j + 1))
      return closeByApp(sim, tcpApp, c);
  }
}

/** The application of a connection a role owns (`TcpConn.app`, SPEC LB-L7-11). */
function roleApp(sim: SimCore, c: TcpConn): TcpApp {
  const state = sim.st.roles[c.app as number];
  const app = state ? sim.sc.roles.of(state).tcpApp?.app : undefined;
  if (!app) throw new Error('simulation invariant broken: a connection owned by a node without a TCP role');
  return app;
}

/**
 * A server end whose peer is a node whose role owns its connections (an L7 balancer's
 * connection to a backend) is the role's: it is claimed once, when established.
 */
function claim(sim: SimCore, c: TcpConn): void {
  const node = sim.sc.addrNodes.get(c.peerAddr >>> 0)?.[0];
  if (node === undefined) return;
  const state = sim.st.roles[node];
  if (state && sim.sc.roles.of(state).tcpApp) c.app = node;
}

/** The request/response application on top of TCP, with optional TLS and multiplexed streams (SPEC TRF-2, TLS-1, H2-1). */
export const tcpApp: TcpApp = {
  established(sim, c) {
    if (c.role === 'server' && c.app === undefined) claim(sim, c);
    if (c.app !== undefined) return roleApp(sim, c).established(sim, c);
    const plan = planOf(sim, c);
    if (plan.pageLoad && c.role === 'client') notePageConnected(sim, c.flow, c.unit);
    queueReady(sim, c, plan);
  },
  delivered(sim, c) {
    if (c.app !== undefined) return roleApp(sim, c).delivered(sim, c);
    const plan = planOf(sim, c);
    if (c.role === 'client') clientProgress(sim, c, plan);
    if (isOpen(c) && !c.finQueued) queueReady(sim, c, plan);
  },
  peerClosed(sim, c) {
    if (c.app !== undefined) return roleApp(sim, c).peerClosed(sim, c);
    closeByApp(sim, tcpApp, c);
  },
  aborted(sim, c, reason) {
    if (c.app !== undefined) return roleApp(sim, c).aborted(sim, c, reason);
    if (c.role !== 'client') return;
    // Every request of a keep-alive connection started and not answered fails with it.
    for (let j = (c.respDone ?? 0) + 1; j < (c.reqStarted ?? 1); j++)
      failRequest(sim, 'tcp', c.flow, c.unit + j, reason);
    const failed = failRequest(sim, 'tcp', c.flow, c.unit + (c.respDone ?? 0), reason);
    if (failed && planOf(sim, c).pageLoad) failPageLoadRequest(sim, c.flow, c.unit, failed, reason);
  },
  transmit(sim, node, slot) {
    sendFromHost(sim, sim.hooks, node, slot);
  },
};

/** A server host finished processing the request of connection `conn` (SPEC DC-2): its response goes now. */
export function serverDone(sim: SimCore, node: number, conn: number): void {
  const id = onServerDone(sim, node, conn);
  const c = id < 0 ? undefined : sim.st.conns[id];
  if (c?.app !== undefined) roleApp(sim, c).delivered(sim, c);
  else if (c) queueReady(sim, c, planOf(sim, c));
}

/**
 * A role gating the response of connection `conn` (RoleTcpApp.responseReady) lets it go:
 * the connection's next messages are queued, if it is still open.
 */
export function respondNow(sim: SimCore, conn: number): void {
  const c = sim.st.conns[conn];
  if (c && isOpen(c) && !c.finQueued) queueReady(sim, c, planOf(sim, c));
}

/** Fails TCP request `unit` of `flow` with `reason` (its page load's too, SPEC PAGE-1). */
export function failTcpRequest(sim: SimCore, flow: number, unit: number, reason: LossReason): void {
  const failed = failRequest(sim, 'tcp', flow, unit, reason);
  const f = requestFlow(sim, flow);
  if (failed && f.kind === 'tcp' && f.name !== undefined)
    failPageLoadRequest(sim, flow, unit, failed, reason);
}

/**
 * Starts one TCP request: its record, its deadline and the client's SYN — to the flow's
 * destination, or to `peerAddr` (a page load's answered address).
 */
export function startTcpRequest(sim: SimCore, flow: number, unit: number, peerAddr?: number): void {
  const f = requestFlow(sim, flow); // asserts that this is a request flow
  beginRequest(sim, 'tcp', flow, unit);
  const perConn = f.kind === 'tcp' ? f.requestsPerConnection : 1;
  if (perConn > 1 && unit % perConn !== 0) return nextOnConnection(sim, flow, unit, unit - (unit % perConn));
  const end =
    peerAddr === undefined
      ? clientEnd(sim, flow, unit, SERVER_PORT)
      : clientEnd(sim, flow, unit, SERVER_PORT, peerAddr);
  const c = openClient(sim, tcpApp, end);
  if (perConn > 1) {
    c.reqStarted = 1;
    c.respDone = 0;
  }
}

/**
 * A later request of a keep-alive connection (SPEC KA-1): it goes on the connection its
 * first request opened, once the responses before it have arrived; if that connection is
 * gone (reset, closed), the request fails as reset.
 */
function nextOnConnection(sim: SimCore, flow: number, unit: number, first: number): void {
  const from = sim.sc.flowEnds[2 * flow] as number;
  const to = sim.sc.flowEnds[2 * flow + 1] as number;
  const port = clientPort(sim, from, flow, first);
  const c = sim.tcpIndex.get(from, port, sim.sc.hostAddr[to] as number, SERVER_PORT);
  if (c?.role !== 'client' || c.unit !== first || !isOpen(c) || c.finQueued) {
    failRequest(sim, 'tcp', flow, unit, 'connection-reset');
    return;
  }
  c.reqStarted = unit - first + 1;
  queueReady(sim, c, planOf(sim, c));
}
