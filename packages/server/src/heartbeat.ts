/**
 * Finds connections that went silent (a phone that lost its network without closing):
 * each WebSocket is pinged every PING_INTERVAL_MS and closed after PING_MISSES_MAX pings
 * went unanswered (SPEC SYNC-8). The transport has a check of its own that pings every
 * client in one timer callback; at 100 rooms that was 4,100 socket writes in one go every
 * 3 s, which held the event loop long enough to make ticks late (PERFORMANCE.md "Issue 16,
 * fourth round"). This one pings a slice of the clients every PING_INTERVAL_MS / SLICES.
 */

/** How often each connection is pinged. */
export const PING_INTERVAL_MS = 3_000;
/** Unanswered pings after which a connection is closed. */
export const PING_MISSES_MAX = 2;
/** The clients are pinged in this many slices, one slice per PING_INTERVAL_MS / SLICES. */
const SLICES = 30;

/** A `ws` socket as the transport hands it over: it counts pings sent since the last pong in `pingCount`. */
export interface Pingable {
  pingCount?: number;
  ping(): void;
  terminate(): void;
  once(event: 'close', listener: () => void): unknown;
}

/** Pings the sockets it watches a slice at a time; `watch` each new connection, `stop` when the server closes. */
export class Heartbeat {
  private readonly slices: Set<Pingable>[] = Array.from({ length: SLICES }, () => new Set());
  private nextSlice = 0;
  private turn = 0;
  private timer: NodeJS.Timeout | null = null;

  /** Watches `ws` until it closes, in the next slice in turn. */
  watch(ws: Pingable): void {
    const slice = this.slices[this.nextSlice++ % SLICES] as Set<Pingable>;
    slice.add(ws);
    ws.pingCount ??= 0;
    ws.once('close', () => slice.delete(ws));
    this.timer ??= setInterval(() => this.beat(), PING_INTERVAL_MS / SLICES).unref();
  }

  /** One slice's turn: a socket that missed too many pings is closed, the others pinged. */
  beat(): void {
    const slice = this.slices[this.turn++ % SLICES] as Set<Pingable>;
    for (const ws of slice) {
      if ((ws.pingCount ?? 0) >= PING_MISSES_MAX) {
        slice.delete(ws);
        ws.terminate();
        continue;
      }
      ws.pingCount = (ws.pingCount ?? 0) + 1;
      ws.ping();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
