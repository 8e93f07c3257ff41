/**
 * `pnpm sim --trace` (SPEC TCP-TRACE-1, QUIC-TRACE-1): picks one end of one
 * request's TCP or QUIC connection, keeps its congestion-control samples while
 * the simulation runs, and renders them as CSV or JSON.
 */

import type { RequestChannel, SimRecord } from '../engine/records.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { quicSamplesCsv } from './quicTrace.ts';
import { tcpSamplesCsv } from './trace.ts';

/** Which connection end to trace: request `unit` of traffic entry `flow`, at the `role` side. */
export interface TraceTarget {
  channel: RequestChannel;
  flowId: string;
  flow: number;
  unit: number;
  role: 'client' | 'server';
}

type TcpSample = Extract<SimRecord, { k: 'tcpSample' }>;
type QuicSample = Extract<SimRecord, { k: 'quicSample' }>;

/** "web:3" → flow "web", request 3 (default 0), on the given side; or why not. */
export function parseTraceTarget(
  text: string,
  scenario: Scenario,
  side: string | undefined,
): TraceTarget | string {
  const colon = text.indexOf(':');
  const flowId = colon < 0 ? text : text.slice(0, colon);
  const unitText = colon < 0 ? '0' : text.slice(colon + 1);
  const traffic = scenario.file.traffic;
  const flow = traffic.findIndex((f) => f.id === flowId);
  const kind = traffic[flow]?.kind;
  if (kind !== 'tcp' && kind !== 'quic') {
    const traceable = traffic.filter((f) => f.kind === 'tcp' || f.kind === 'quic').map((f) => f.id);
    const what = kind ? `a ${kind.toUpperCase()} flow` : 'not a flow';
    return (
      `--trace: "${flowId}" is ${what} of ${scenario.file.id}; TCP and QUIC flows can be traced: ` +
      (traceable.join(', ') || 'it has none')
    );
  }
  if (!/^\d+$/.test(unitText)) return `--trace: "${unitText}" is not a request number`;
  if (side !== 'server' && side !== 'client') return `--side must be server or client, got "${side}"`;
  return { channel: kind, flowId, flow, unit: Number(unitText), role: side };
}

/** Collects the target's samples from the record stream (turn on `sim.traceCongestion` first). */
export class ConnTrace {
  readonly tcp: TcpSample[] = [];
  readonly quic: QuicSample[] = [];
  /** Requests of the traced flow that started during the run. */
  private readonly started = new Set<number>();

  readonly target: TraceTarget;

  constructor(target: TraceTarget) {
    this.target = target;
  }

  add(r: SimRecord): void {
    const t = this.target;
    if (r.k === 'requestStarted' && r.flow === t.flow) this.started.add(r.unit);
    if (r.k !== 'tcpSample' && r.k !== 'quicSample') return;
    if (r.flow !== t.flow || r.unit !== t.unit || r.role !== t.role) return;
    if (r.k === 'tcpSample') this.tcp.push(r);
    else this.quic.push(r);
  }

  /** The samples as CSV (`csv`) or JSON; or why there are none. */
  output(csv: boolean): { text: string } | { error: string } {
    const t = this.target;
    if (!this.started.has(t.unit)) {
      const units = [...this.started];
      const [first, last] = [Math.min(...units), Math.max(...units)];
      const made =
        units.length === 0
          ? 'it started none'
          : first === last
            ? `it started only request ${first}`
            : `it started requests ${first}–${last}`;
      return { error: `--trace: flow "${t.flowId}" has no request ${t.unit} in this run (${made})` };
    }
    const samples = t.channel === 'tcp' ? this.tcp : this.quic;
    if (samples.length === 0) {
      const other = t.role === 'server' ? 'client' : 'server';
      return {
        error: `--trace: request ${t.unit} of "${t.flowId}" opened no ${t.channel.toUpperCase()} connection on the ${t.role} side (try --side ${other})`,
      };
    }
    if (!csv) return { text: `${JSON.stringify(samples, null, 2)}\n` };
    return { text: t.channel === 'tcp' ? tcpSamplesCsv(this.tcp) : quicSamplesCsv(this.quic) };
  }
}
