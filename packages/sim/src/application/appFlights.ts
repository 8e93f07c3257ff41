/**
 * What a TCP request/response exchanges, as application messages in one byte
 * stream per direction (SPEC TLS-1..4, H2-1). Pure functions of the flow and
 * the connection number, so nothing but a counter needs to be stored.
 */

import {
  CLIENT_FINISHED_BYTES,
  CLIENT_HELLO_BYTES,
  SERVER_FLIGHT_BYTES,
  SERVER_RESUMED_FLIGHT_BYTES,
  STREAM_CHUNK_BYTES,
  TLS12_CLIENT_FINISH_BYTES,
  TLS12_SERVER_FINISH_BYTES,
} from '../transport/tlsSizes.ts';

export type TlsMode = 'none' | '1.2' | '1.3' | '1.3-0rtt';

/** One message: who sends it, its size, and how many of the peer's bytes must have arrived first. */
export interface AppMessage {
  from: 'client' | 'server';
  kind: 'tls' | 'request' | 'response';
  bytes: number;
  afterPeerBytes: number;
}

/** The sizes that shape a request: per-stream request and response bytes and the stream count. */
export interface ExchangeShape {
  tls: TlsMode;
  streams: number;
  requestBytes: number;
  responseBytes: number;
}

/** A flow resumes its TLS session from its second connection on (SPEC TLS-4). */
export function resumes(unit: number): boolean {
  return unit >= 1;
}

/**
 * The messages of one connection, in each side's sending order (SPEC TLS-2):
 * TLS 1.2 takes two round trips before the request, TLS 1.3 one, TLS 1.3
 * resumed with 0-RTT none (the request rides with the ClientHello).
 */
export function appMessages(shape: ExchangeShape, unit: number): AppMessage[] {
  const req = shape.streams * shape.requestBytes;
  const resp = shape.streams * shape.responseBytes;
  const m = (from: 'client' | 'server', kind: AppMessage['kind'], bytes: number, afterPeerBytes: number) => ({
    from,
    kind,
    bytes,
    afterPeerBytes,
  });
  const CH = CLIENT_HELLO_BYTES;
  switch (shape.tls === '1.3-0rtt' && !resumes(unit) ? '1.3' : shape.tls) {
    case 'none':
      return [m('client', 'request', req, 0), m('server', 'response', resp, req)];
    case '1.2': {
      const clientTls = CH + TLS12_CLIENT_FINISH_BYTES;
      return [
        m('client', 'tls', CH, 0),
        m('server', 'tls', SERVER_FLIGHT_BYTES, CH),
        m('client', 'tls', TLS12_CLIENT_FINISH_BYTES, SERVER_FLIGHT_BYTES),
        m('server', 'tls', TLS12_SERVER_FINISH_BYTES, clientTls),
        m('client', 'request', req, SERVER_FLIGHT_BYTES + TLS12_SERVER_FINISH_BYTES),
        m('server', 'response', resp, clientTls + req),
      ];
    }
    case '1.3':
      return [
        m('client', 'tls', CH, 0),
        m('server', 'tls', SERVER_FLIGHT_BYTES, CH),
        m('client', 'tls', CLIENT_FINISHED_BYTES, SERVER_FLIGHT_BYTES),
        m('client', 'request', req, SERVER_FLIGHT_BYTES),
        m('server', 'response', resp, CH + CLIENT_FINISHED_BYTES + req),
      ];
    default:
      // 0-RTT: early data follows the ClientHello; the server answers it after its (certificate-less) flight.
      return [
        m('client', 'tls', CH, 0),
        m('client', 'request', req, 0),
        m('server', 'tls', SERVER_RESUMED_FLIGHT_BYTES, CH),
        m('server', 'response', resp, CH + req),
        m('client', 'tls', CLIENT_FINISHED_BYTES, SERVER_RESUMED_FLIGHT_BYTES),
      ];
  }
}

/**
 * A keep-alive connection's messages (SPEC KA-1): the first request's exchange as
 * `appMessages` gives it, then `requests − 1` more requests and responses, each request
 * after the previous response has arrived whole, each response after its request.
 */
export function keepAliveMessages(shape: ExchangeShape, unit: number, requests: number): AppMessage[] {
  const all = appMessages(shape, unit);
  let clientBytes = 0;
  let serverBytes = 0;
  for (const x of all) {
    if (x.from === 'client') clientBytes += x.bytes;
    else serverBytes += x.bytes;
  }
  const req = shape.streams * shape.requestBytes;
  const resp = shape.streams * shape.responseBytes;
  for (let j = 1; j < requests; j++) {
    all.push({ from: 'client', kind: 'request', bytes: req, afterPeerBytes: serverBytes });
    clientBytes += req;
    all.push({ from: 'server', kind: 'response', bytes: resp, afterPeerBytes: clientBytes });
    serverBytes += resp;
  }
  return all;
}

/** Where each response lies in the server's stream, in order. */
export function responseSpans(all: readonly AppMessage[]): { startBytes: number; bytes: number }[] {
  const spans: { startBytes: number; bytes: number }[] = [];
  let at = 0;
  for (const x of messagesOf(all, 'server')) {
    if (x.kind === 'response') spans.push({ startBytes: at, bytes: x.bytes });
    at += x.bytes;
  }
  return spans;
}

/** A side's messages in sending order. */
export function messagesOf(all: readonly AppMessage[], side: 'client' | 'server'): AppMessage[] {
  return all.filter((x) => x.from === side);
}

/** Server bytes before the response starts (the TLS flights), and the response's size. */
export function responseSpan(all: readonly AppMessage[]): { startBytes: number; bytes: number } {
  let startBytes = 0;
  for (const x of messagesOf(all, 'server')) {
    if (x.kind === 'response') return { startBytes, bytes: x.bytes };
    startBytes += x.bytes;
  }
  return { startBytes, bytes: 0 };
}

/**
 * Where stream `s`'s last byte ends within an interleaved response (SPEC H2-1):
 * N equal streams take turns sending up to STREAM_CHUNK_BYTES each.
 */
export function streamEndBytes(stream: number, streams: number, bytesPerStream: number): number {
  const fullTurns = Math.floor((bytesPerStream - 1) / STREAM_CHUNK_BYTES);
  const lastChunk = bytesPerStream - fullTurns * STREAM_CHUNK_BYTES;
  return fullTurns * streams * STREAM_CHUNK_BYTES + (stream + 1) * lastChunk;
}
