/**
 * What the L4 and L7 balancers' panels say about their backends, in words and shares
 * (SPEC LB-UI-1..4): one piece of logic for both, the L4 one counting connections, the
 * L7 one requests.
 */
import type { AdminState, L4lbView, ServerView } from '@roundtrip/sim';

/** What a balancer knows of a backend's state, whatever it balances. */
export interface BackendStatus {
  admin: AdminState;
  healthy: boolean;
  weight: number;
  /** Whether it takes new connections or requests now. */
  eligible: boolean;
}

/** What a balancer hands its backends: connections (L4) or requests (L7), and how the ones under way are said. */
export interface BalancedUnit {
  noun: 'connections' | 'requests';
  /** `draining: 3 still open`, `draining: 3 in flight`. */
  underWay: string;
}

export const CONNECTIONS: BalancedUnit = { noun: 'connections', underWay: 'still open' };
export const REQUESTS: BalancedUnit = { noun: 'requests', underWay: 'in flight' };

/** What a backend does with new work now, in the panel's words (SPEC LB-UI-2, LB-UI-4); `active` are those under way. */
export function backendStateText(b: BackendStatus, active: number, unit: BalancedUnit): string {
  if (b.admin === 'down') return 'down (taken out)';
  if (!b.healthy) return 'down (failed health checks)';
  if (b.admin === 'drain') return active > 0 ? `draining: ${active} ${unit.underWay}` : 'drained';
  if (b.weight === 0) return `weight 0: no new ${unit.noun}`;
  if (!b.eligible) return `full: no new ${unit.noun}`;
  return `taking ${unit.noun}`;
}

/** A backend's state as a tone for its badge: good, warn (draining, full, weight 0) or bad (down). */
export function backendTone(b: BackendStatus): 'good' | 'warn' | 'bad' {
  if (b.admin === 'down' || !b.healthy) return 'bad';
  return b.eligible ? 'good' : 'warn';
}

/** Each value as a share of the largest, 0..1, for the load bars (all 0 when all are 0). */
export function loadShares(values: readonly number[]): number[] {
  const most = Math.max(0, ...values);
  return values.map((v) => (most === 0 ? 0 : v / most));
}

/** The server's memory held by open connections, against its limit when it has one. */
export function memoryText(s: ServerView | null): string {
  if (!s) return '—';
  const kb = (n: number) => (n >= 10_000 ? `${(n / 1024).toFixed(1)} MB` : `${n} KB`);
  return s.memoryLimitKB > 0 ? `${kb(s.memoryKB)} of ${kb(s.memoryLimitKB)}` : kb(s.memoryKB);
}

/** Errors a backend's server caused: requests refused with its queue full, and connections refused for memory. */
export function serverErrors(s: ServerView | null): number {
  return s ? s.refused + s.refusedConns : 0;
}

/** A backend's server in one line of a card ('' for a backend that runs none). */
export function serverText(s: ServerView | null): string {
  return s
    ? `Server: ${s.busy}/${s.concurrency} busy · ${s.queued}/${s.queueLimit} queued · ` +
        `memory ${memoryText(s)} · ${serverErrors(s)} refused`
    : '';
}

/** The imbalance as the L4 panel says it: '—' with nothing open, else the ratio and a word (1 is even). */
export function imbalanceText(v: Pick<L4lbView, 'imbalance'>): string {
  if (v.imbalance === 0) return '—';
  const word = v.imbalance <= 1.25 ? 'even' : v.imbalance <= 2 ? 'uneven' : 'lopsided';
  return `${v.imbalance.toFixed(2)}× (${word})`;
}
