import type { SimRecord } from '../engine/records.ts';
import type { QuicFrame } from '../transport/quicTypes.ts';
import { csvMs, csvText, requestOutcomeLine, traceHost, traceTime } from './trace.ts';

function frameText(f: QuicFrame): string {
  switch (f.t) {
    case 'crypto':
      return `CRYPTO ${f.off}+${f.len}`;
    case 'stream':
      return `STREAM ${f.id} ${f.off}+${f.len}${f.fin ? ' FIN' : ''}`;
    case 'ack':
      return `ACK ${f.ranges.map(([hi, lo]) => (hi === lo ? `${hi}` : `${lo}-${hi}`)).join(',')}`;
    case 'padding':
      return `PADDING ${f.len}`;
    case 'ping':
      return 'PING';
    case 'close':
      return 'CONNECTION_CLOSE';
  }
}

function cidText(cid: number): string {
  return cid.toString(16).padStart(8, '0');
}

/**
 * A readable packet trace of one QUIC request (flow, unit): every packet each end
 * sent with its type, connection IDs, packet number and frames, losses, and the
 * request's milestones. Golden traces use this (SPEC QUIC-11).
 */
export function quicTrace(
  records: readonly SimRecord[],
  flow: number,
  unit: number,
  hostNames: Record<number, string>,
): string {
  const lines: string[] = [];
  for (const r of records) {
    if (!('flow' in r) || r.flow !== flow || r.unit !== unit) continue;
    if (r.k === 'hostSend' && r.quic) {
      const h = r.quic;
      const ids = h.scid >= 0 ? `dcid=${cidText(h.dcid)} scid=${cidText(h.scid)}` : `dcid=${cidText(h.dcid)}`;
      lines.push(
        `${traceTime(r.tUs)}  ${traceHost(hostNames, r.node)}  ${h.type.padEnd(9)} pn=${h.pn} ${ids} len=${r.len}  ${h.frames.map(frameText).join(', ')}`,
      );
    } else if (r.k === 'retransmit')
      lines.push(`${traceTime(r.tUs)}  packet ${r.seq} declared lost; frames resent`);
    else if (r.k === 'firstByte') lines.push(`${traceTime(r.tUs)}  first response byte`);
    else if (r.k === 'streamCompleted') lines.push(`${traceTime(r.tUs)}  stream ${r.stream} complete`);
    else {
      const line = requestOutcomeLine(r);
      if (line) lines.push(line);
    }
  }
  return `${lines.join('\n')}\n`;
}

type QuicSample = Extract<SimRecord, { k: 'quicSample' }>;

/** The TCP CSV's columns (SPEC TCP-TRACE-1) with the probe timeout for the RTO, and its backoff count. */
const CSV_COLUMNS = [
  'time_ms',
  'event',
  'state',
  'cwnd_bytes',
  'ssthresh_bytes',
  'flight_bytes',
  'srtt_ms',
  'rttvar_ms',
  'pto_ms',
  'pto_count',
  'retransmissions',
] as const;

/**
 * One QUIC endpoint's samples (SPEC QUIC-TRACE-1) as CSV, for plotting cwnd,
 * ssthresh, SRTT and PTO. ssthresh is empty until the first congestion event
 * (RFC 9002 starts it infinite); `retransmissions` counts packets declared lost.
 */
export function quicSamplesCsv(samples: readonly QuicSample[]): string {
  const rows = samples.map((s) => [
    csvMs(s.tUs),
    s.event,
    s.state,
    Math.round(s.cwndBytes),
    s.ssthreshBytes >= Number.MAX_SAFE_INTEGER ? '' : Math.round(s.ssthreshBytes),
    s.flightBytes,
    csvMs(s.srttUs),
    csvMs(s.rttvarUs),
    csvMs(s.ptoUs),
    s.ptoCount,
    s.retransmissions,
  ]);
  return csvText(CSV_COLUMNS, rows);
}
