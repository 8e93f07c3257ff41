import type { L4BackendView, L4lbView } from '@roundtrip/sim';

/** What a backend does with new connections now, in the panel's words (SPEC LB-UI-2). */
export function backendStateText(b: L4BackendView): string {
  if (b.admin === 'down') return 'down (taken out)';
  if (!b.healthy) return 'down (failed health checks)';
  if (b.admin === 'drain') return b.open > 0 ? `draining: ${b.open} still open` : 'drained';
  if (b.weight === 0) return 'weight 0: no new connections';
  if (!b.eligible) return 'full: no new connections';
  return 'taking connections';
}

/** A backend's state as a tone for its badge: good, warn (draining, full, weight 0) or bad (down). */
export function backendTone(b: L4BackendView): 'good' | 'warn' | 'bad' {
  if (b.admin === 'down' || !b.healthy) return 'bad';
  return b.eligible ? 'good' : 'warn';
}

/** Each backend's open connections as a share of the busiest's, 0..1, for the load bars (all 0 when none is open). */
export function loadShares(backends: readonly L4BackendView[]): number[] {
  const most = Math.max(0, ...backends.map((b) => b.open));
  return backends.map((b) => (most === 0 ? 0 : b.open / most));
}

/** The server's memory held by open connections, against its limit when it has one. */
export function memoryText(b: L4BackendView): string {
  const s = b.server;
  if (!s) return '—';
  const kb = (n: number) => (n >= 10_000 ? `${(n / 1024).toFixed(1)} MB` : `${n} KB`);
  return s.memoryLimitKB > 0 ? `${kb(s.memoryKB)} of ${kb(s.memoryLimitKB)}` : kb(s.memoryKB);
}

/** Errors a backend's server caused: requests refused with its queue full, and connections refused for memory. */
export function serverErrors(b: L4BackendView): number {
  return b.server ? b.server.refused + b.server.refusedConns : 0;
}

/** The imbalance as the panel says it: '—' with nothing open, else the ratio and a word (1 is even). */
export function imbalanceText(v: Pick<L4lbView, 'imbalance'>): string {
  if (v.imbalance === 0) return '—';
  const word = v.imbalance <= 1.25 ? 'even' : v.imbalance <= 2 ? 'uneven' : 'lopsided';
  return `${v.imbalance.toFixed(2)}× (${word})`;
}
