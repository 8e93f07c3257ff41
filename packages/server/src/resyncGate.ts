/**
 * `sync.resync` at most once per RESYNC_INTERVAL_MS per client (SPEC SYNC-6): a
 * snapshot is 6–9 kB, so requests inside the interval are coalesced into one
 * snapshot at its end. Pure (the caller passes the time and sets the timer).
 */

/** Shortest time between two resync snapshots to one client. */
export const RESYNC_INTERVAL_MS = 1000;

/** Send a snapshot now, schedule one after `delayMs`, or nothing (one is already scheduled). */
export type ResyncPlan = { kind: 'now' } | { kind: 'later'; delayMs: number } | { kind: 'coalesced' };

/** When each client last got a resync snapshot, and which have one scheduled. */
export class ResyncGate {
  private readonly lastSentMs = new Map<string, number>();
  private readonly scheduled = new Set<string>();

  /** The plan for a resync request from `clientId` at `nowMs`; 'now' counts as sent. */
  request(clientId: string, nowMs: number): ResyncPlan {
    if (this.scheduled.has(clientId)) return { kind: 'coalesced' };
    const last = this.lastSentMs.get(clientId);
    if (last === undefined || nowMs - last >= RESYNC_INTERVAL_MS) {
      this.lastSentMs.set(clientId, nowMs);
      return { kind: 'now' };
    }
    this.scheduled.add(clientId);
    return { kind: 'later', delayMs: last + RESYNC_INTERVAL_MS - nowMs };
  }

  /** The scheduled snapshot for `clientId` went out at `nowMs`. */
  sentScheduled(clientId: string, nowMs: number): void {
    this.scheduled.delete(clientId);
    this.lastSentMs.set(clientId, nowMs);
  }

  /** Forgets a client that left. */
  forget(clientId: string): void {
    this.scheduled.delete(clientId);
    this.lastSentMs.delete(clientId);
  }
}
