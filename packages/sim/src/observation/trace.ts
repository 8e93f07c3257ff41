import type { SimRecord } from '../engine/records.ts';
import { ACK, FIN, RST, SYN } from '../engine/state.ts';

/** TCP flags as text, e.g. "SYN+ACK". */
export function flagText(flags: number): string {
  const names: string[] = [];
  if (flags & SYN) names.push('SYN');
  if (flags & FIN) names.push('FIN');
  if (flags & RST) names.push('RST');
  if (flags & ACK) names.push('ACK');
  return names.join('+') || '-';
}

/** A trace line's time column: milliseconds with µs, right-aligned. */
export function traceTime(tUs: number): string {
  return `${(tUs / 1000).toFixed(3).padStart(9)} ms`;
}

/** A trace line's sender column. */
export function traceHost(hostNames: Record<number, string>, node: number): string {
  return (hostNames[node] ?? `node ${node}`).padEnd(6);
}

/** The lines every request trace shares: losses in the network and the request's outcome; null for others. */
export function requestOutcomeLine(r: SimRecord): string | null {
  if (r.k === 'drop') return `${traceTime(r.tUs)}  network lost packet ${r.packetId} (${r.reason})`;
  if (r.k === 'requestCompleted') return `${traceTime(r.tUs)}  request completed (${r.bytes} bytes)`;
  if (r.k === 'requestFailed') return `${traceTime(r.tUs)}  request failed (${r.reason})`;
  return null;
}

/**
 * A readable packet-and-state trace of one TCP request (flow, unit): what each end
 * sent, what the network lost, and every state change. `hostNames` maps a host's
 * node index to the name shown (e.g. client / server). Golden traces use this.
 */
export function tcpTrace(
  records: readonly SimRecord[],
  flow: number,
  unit: number,
  hostNames: Record<number, string>,
): string {
  const lines: string[] = [];
  const roles: Record<number, string> = {};
  for (const r of records) {
    if (r.k === 'tcpState') {
      if (roles[r.conn] === undefined && r.from === 'CLOSED') roles[r.conn] = r.role;
      if (roles[r.conn] !== undefined)
        lines.push(`${traceTime(r.tUs)}  ${r.role.padEnd(6)}  ${r.from} -> ${r.to}`);
      continue;
    }
    if (!('flow' in r) || r.flow !== flow || r.unit !== unit) continue;
    if (r.k === 'hostSend' && r.channel === 'tcp')
      lines.push(
        `${traceTime(r.tUs)}  ${traceHost(hostNames, r.node)}  sends ${flagText(r.flags).padEnd(7)} seq=${r.seq} ack=${r.ack} len=${r.len}`,
      );
    else if (r.k === 'retransmit') lines.push(`${traceTime(r.tUs)}  retransmission from seq=${r.seq}`);
    else {
      const line = requestOutcomeLine(r);
      if (line) lines.push(line);
    }
  }
  return `${lines.join('\n')}\n`;
}

type TcpSample = Extract<SimRecord, { k: 'tcpSample' }>;

/** Microseconds as a CSV cell in milliseconds (the time and RTT columns of every sample CSV). */
export function csvMs(us: number): string {
  return (us / 1000).toFixed(3);
}

/** A header line and one line per row; cells are numbers or plain words, so nothing needs quoting. */
export function csvText(columns: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return `${[columns.join(','), ...rows.map((r) => r.join(','))].join('\n')}\n`;
}

const CSV_COLUMNS = [
  'time_ms',
  'event',
  'state',
  'cwnd_bytes',
  'ssthresh_bytes',
  'flight_bytes',
  'srtt_ms',
  'rttvar_ms',
  'rto_ms',
  'retransmissions',
] as const;

/** One connection end's samples (SPEC TCP-TRACE-1) as CSV, for plotting cwnd, ssthresh, SRTT and RTO. */
export function tcpSamplesCsv(samples: readonly TcpSample[]): string {
  const rows = samples.map((s) => [
    csvMs(s.tUs),
    s.event,
    s.state,
    Math.round(s.cwndBytes),
    Math.round(s.ssthreshBytes),
    s.flightBytes,
    csvMs(s.srttUs),
    csvMs(s.rttvarUs),
    csvMs(s.rtoUs),
    s.retransmissions,
  ]);
  return csvText(CSV_COLUMNS, rows);
}
