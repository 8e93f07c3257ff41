/**
 * A page load's phases and its record (SPEC PAGE-1..3): a TCP flow with a `name` looks
 * the name up with its host's stub resolver, then runs its request to the answered
 * address. This module keeps the timestamps of each phase and says how the load ended;
 * pageLoadStart.ts starts it.
 */
import type { SimCore } from '../engine/core.ts';
import type { LossReason } from '../engine/records.ts';
import type { RequestState } from '../engine/state.ts';
import type { DnsSource } from './dns/message.ts';

/** The phases of a page load, in order. */
export type PageLoadPhase = 'dns' | 'connect' | 'tls' | 'request' | 'response';

/** Why a page load failed (SPEC PAGE-3). */
export const PAGE_LOAD_FAILURES = [
  'nxdomain',
  'dns-timeout',
  'servfail',
  'dead-address',
  'connection-refused',
  'connection-reset',
  'timeout',
] as const;
export type PageLoadFailure = (typeof PAGE_LOAD_FAILURES)[number];

/** A page load under way; times are −1 until reached. */
export interface PageLoadState {
  name: string;
  startUs: number;
  /** When the lookup was answered, and by whose cache. */
  dnsDoneUs: number;
  source: DnsSource;
  stale: boolean;
  /** The answered address the request goes to. */
  addr: number;
  /** The client's connection reached ESTABLISHED. */
  connectedUs: number;
  /** The client queued its request (after TLS, or at once without it or with 0-RTT). */
  requestSentUs: number;
}

/** The page load `unit` of `flow`, if one is under way. */
export function pageLoadOf(sim: SimCore, flow: number, unit: number): PageLoadState | undefined {
  return sim.st.pageLoads[flow]?.[unit];
}

/** The client's connection is established: the connect phase ends. */
export function notePageConnected(sim: SimCore, flow: number, unit: number): void {
  const load = pageLoadOf(sim, flow, unit);
  if (load && load.connectedUs < 0) load.connectedUs = sim.st.nowUs;
}

/** The client queued its request: the TLS phase ends. */
export function notePageRequestSent(sim: SimCore, flow: number, unit: number): void {
  const load = pageLoadOf(sim, flow, unit);
  if (load && load.requestSentUs < 0) load.requestSentUs = sim.st.nowUs;
}

/** The response arrived whole: the page load's record, with every phase's duration (SPEC PAGE-2). */
export function completePageLoad(sim: SimCore, flow: number, unit: number, req: RequestState): void {
  const load = pageLoadOf(sim, flow, unit);
  if (!load) return;
  delete sim.st.pageLoads[flow]?.[unit];
  const now = sim.st.nowUs;
  sim.emit({
    k: 'pageLoad',
    tUs: now,
    flow,
    unit,
    name: load.name,
    source: load.source,
    stale: load.stale,
    dnsUs: load.dnsDoneUs - load.startUs,
    connectUs: load.connectedUs - load.dnsDoneUs,
    tlsUs: load.requestSentUs - load.connectedUs,
    firstByteUs: req.firstByteUs - load.requestSentUs,
    responseUs: now - req.firstByteUs,
    totalUs: now - load.startUs,
  });
}

/**
 * The page load fails in `phase` for `reason`. The record carries how long each phase it
 * finished took (−1 for the rest) and the time from start to failure, so a waterfall can
 * draw how far the load got (SPEC PAGE-3); `firstByteAtUs` is when the first response
 * byte came, −1 if it did not.
 */
export function failPageLoad(
  sim: SimCore,
  flow: number,
  unit: number,
  phase: PageLoadPhase,
  reason: PageLoadFailure,
  firstByteAtUs = -1,
): void {
  const load = pageLoadOf(sim, flow, unit);
  if (!load) return;
  delete sim.st.pageLoads[flow]?.[unit];
  const now = sim.st.nowUs;
  /** The span from `from` to `to` when both were reached, else −1. */
  const span = (from: number, to: number) => (from >= 0 && to >= 0 ? to - from : -1);
  sim.emit({
    k: 'pageLoadFailed',
    tUs: now,
    flow,
    unit,
    name: load.name,
    phase,
    reason,
    dnsUs: span(load.startUs, load.dnsDoneUs),
    connectUs: span(load.dnsDoneUs, load.connectedUs),
    tlsUs: span(load.connectedUs, load.requestSentUs),
    firstByteUs: span(load.requestSentUs, firstByteAtUs),
    totalUs: now - load.startUs,
  });
}

/**
 * The page load's request failed (`why`: a reset, or '' for a timeout): the phase it
 * had reached, and the reason (SPEC PAGE-3). A reset before the handshake completed is
 * a refusal. A connection that never opened to an address no host holds, or whose
 * packets were last dropped for want of a route or at a host that does not hold it,
 * reached a dead address; any other connection that never opened timed out.
 */
export function failPageLoadRequest(
  sim: SimCore,
  flow: number,
  unit: number,
  req: RequestState,
  why: LossReason | '',
): void {
  const load = pageLoadOf(sim, flow, unit);
  if (!load) return;
  const phase: PageLoadPhase =
    load.connectedUs < 0
      ? 'connect'
      : load.requestSentUs < 0
        ? 'tls'
        : req.firstByteUs < 0
          ? 'request'
          : 'response';
  let reason: PageLoadFailure = 'timeout';
  if (why === 'connection-reset') reason = phase === 'connect' ? 'connection-refused' : 'connection-reset';
  else if (
    phase === 'connect' &&
    (!isHostAddress(sim, load.addr) ||
      req.lastLoss === 'no-route' ||
      req.lastLoss === 'wrong-host' ||
      req.lastLoss === 'host-down')
  )
    reason = 'dead-address';
  failPageLoad(sim, flow, unit, phase, reason, req.firstByteUs);
}

/** Whether some host holds `addr` (failures only: a scan is fine). */
function isHostAddress(sim: SimCore, addr: number): boolean {
  return sim.sc.file.nodes.some((n, node) => n.kind === 'host' && sim.sc.hostAddr[node] === addr);
}
