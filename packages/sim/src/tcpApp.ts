import { type AppMessage, appMessages, messagesOf, responseSpan, streamEndBytes } from './appFlights.ts';
import type { SimCore } from './core.ts';
import {
  beginRequest,
  clientEnd,
  completeRequest,
  failRequest,
  noteFirstByte,
  noteStreamDone,
  openRequest,
  requestFlow,
  sendFromHost,
} from './requests.ts';
import type { TcpConn } from './state.ts';
import { SERVER_PORT, type TcpApp } from './tcpConn.ts';
import { closeByApp, openClient, trySend } from './tcpSend.ts';
import { hooks } from './traffic.ts';

function messages(sim: SimCore, c: TcpConn): AppMessage[] {
  const f = requestFlow(sim, c.flow);
  if (f.kind !== 'tcp') return [];
  return appMessages(f, c.unit);
}

/** Queues this side's next messages whose prerequisites (peer bytes) have arrived (SPEC TLS-2). */
function queueReady(sim: SimCore, c: TcpConn, all: readonly AppMessage[]): void {
  const mine = messagesOf(all, c.role);
  let queued = false;
  for (let m = mine[c.appSent]; m && c.deliveredBytes >= m.afterPeerBytes; m = mine[c.appSent]) {
    c.sendBytes += m.bytes;
    c.appSent++;
    queued = true;
  }
  if (!queued) return;
  const f = requestFlow(sim, c.flow);
  // HTTP/1.0 style: the server closes once its last message is queued (SPEC TRF-3).
  if (c.role === 'server' && c.appSent === mine.length && f.kind === 'tcp' && f.closeBy !== 'client')
    closeByApp(sim, tcpApp, c);
  else trySend(sim, tcpApp, c);
}

/** Client side: first byte, streams done in order (head-of-line, SPEC H2-2), then the whole response. */
function clientProgress(sim: SimCore, c: TcpConn, all: readonly AppMessage[]): void {
  const f = requestFlow(sim, c.flow);
  const req = openRequest(sim, c.flow, c.unit);
  if (!req || f.kind !== 'tcp') return;
  const span = responseSpan(all);
  const got = c.deliveredBytes - span.startBytes;
  if (got <= 0) return;
  noteFirstByte(sim, 'tcp', c.flow, c.unit);
  while (req.streamsDone < f.streams && got >= streamEndBytes(req.streamsDone, f.streams, f.responseBytes))
    noteStreamDone(sim, 'tcp', c.flow, c.unit, req.streamsDone);
  if (got >= span.bytes && !c.finQueued) {
    completeRequest(sim, 'tcp', c.flow, c.unit, span.bytes);
    if (f.closeBy !== 'server') closeByApp(sim, tcpApp, c);
  }
}

/** The request/response application on top of TCP, with optional TLS and multiplexed streams (SPEC TRF-2, TLS-1, H2-1). */
export const tcpApp: TcpApp = {
  established(sim, c) {
    queueReady(sim, c, messages(sim, c));
  },
  delivered(sim, c) {
    const all = messages(sim, c);
    if (c.role === 'client') clientProgress(sim, c, all);
    if (sim.st.conns[c.id] && !c.finQueued) queueReady(sim, c, all);
  },
  peerClosed(sim, c) {
    closeByApp(sim, tcpApp, c);
  },
  aborted(sim, c, reason) {
    if (c.role === 'client') failRequest(sim, 'tcp', c.flow, c.unit, reason);
  },
  transmit(sim, node, p) {
    sendFromHost(sim, hooks, node, p);
  },
};

/** Starts one TCP request: its record, its deadline and the client's SYN. */
export function startTcpRequest(sim: SimCore, flow: number, unit: number): void {
  requestFlow(sim, flow); // asserts that this is a request flow
  beginRequest(sim, 'tcp', flow, unit);
  openClient(sim, tcpApp, clientEnd(sim, flow, unit, SERVER_PORT));
}
