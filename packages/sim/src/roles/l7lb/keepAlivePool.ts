/**
 * The L7 balancer's keep-alive pool towards one backend (SPEC LB-L7-5): connections it
 * opened to the backend and keeps idle between requests, at most the pool size. A
 * request takes an idle one when there is one (the TCP handshake to the backend is
 * saved) or opens a new one; when its response is back the connection returns to the
 * pool if the pool has room, else it closes. With pool size 0 every request opens its
 * own connection, as HTTP/1.0 to the backend does. Plain data (SIM-7).
 */

import { US_PER_S } from '../../engine/units.ts';

/**
 * A pooled connection idle this long is closed (SPEC LB-L7-5), as real proxies close
 * idle upstream connections (nginx's `keepalive_timeout`, 60 s by default).
 */
export const IDLE_TIMEOUT_US = 60 * US_PER_S;

export interface BackendConns {
  /** Connections idle in the pool, and carrying a request now. */
  idle: number;
  busy: number;
  /** Connections opened (each a handshake) and requests that reused one instead (handshakes saved). */
  opened: number;
  saved: number;
}

export function initialBackendConns(): BackendConns {
  return { idle: 0, busy: 0, opened: 0, saved: 0 };
}

/** A request needs a connection to the backend: true when it reuses an idle one, false when it opens one. */
export function acquire(b: BackendConns): boolean {
  b.busy++;
  if (b.idle > 0) {
    b.idle--;
    b.saved++;
    return true;
  }
  b.opened++;
  return false;
}

/** A request's response is back: its connection stays idle if the pool has room (true), else it closes (false). */
export function release(b: BackendConns, poolSize: number): boolean {
  if (b.busy > 0) b.busy--;
  if (b.idle < poolSize) {
    b.idle++;
    return true;
  }
  return false;
}

/** The pool size changed (or the backend went down): idle connections beyond it close; returns how many. */
export function trim(b: BackendConns, poolSize: number): number {
  const closed = Math.max(0, b.idle - poolSize);
  b.idle -= closed;
  return closed;
}
