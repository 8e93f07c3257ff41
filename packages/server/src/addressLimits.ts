/**
 * Limits per client address (SPEC ROOM-11) on what costs the server or a class:
 * rooms created and seats reserved over HTTP. A classroom behind one NAT shares one
 * address, so the limits leave room for a whole class joining at once.
 */
import { TokenBucket } from './rateLimit.ts';

/** Rooms one address may create per hour (a teacher opens a few; a script opens hundreds). */
export const ROOMS_PER_ADDRESS_PER_HOUR = 20;
/** Rooms one address may create at once. */
export const ROOMS_PER_ADDRESS_BURST = 10;
/** Seat reservations (joins) one address may make per minute: two classes of MAX_PLAYERS. */
export const SEATS_PER_ADDRESS_PER_MINUTE = 120;
/** Seat reservations one address may make at once: one class of MAX_PLAYERS. */
export const SEATS_PER_ADDRESS_BURST = 60;
/**
 * Seat reservations a room accepts at once (Colyseus' `maxClients`): far above any class,
 * so reservations that never connect cannot lock a room (SPEC ROOM-13); they expire in seconds.
 */
export const RESERVATIONS_MAX = 10_000;
/** Addresses tracked at once; beyond it the oldest is forgotten (bounds memory). */
const ADDRESSES_MAX = 10_000;

/** What an address asks for: a new room, or a seat in one. */
export type AddressRequest = 'create' | 'join';

/** The per-address budgets of one server process. */
export class AddressLimits {
  private readonly buckets = new Map<string, TokenBucket>();

  /** Takes one request of `kind` from `address` at `nowMs`; false when over its limit. */
  take(kind: AddressRequest, address: string, nowMs: number): boolean {
    const key = `${kind} ${address}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= ADDRESSES_MAX) this.buckets.delete(this.buckets.keys().next().value as string);
      bucket =
        kind === 'create'
          ? new TokenBucket(ROOMS_PER_ADDRESS_PER_HOUR / 3600, ROOMS_PER_ADDRESS_BURST)
          : new TokenBucket(SEATS_PER_ADDRESS_PER_MINUTE / 60, SEATS_PER_ADDRESS_BURST);
      this.buckets.set(key, bucket);
    }
    return bucket.take(nowMs);
  }

  /** Forgets every address (a restart does the same; the tests start each case afresh). */
  reset(): void {
    this.buckets.clear();
  }
}

/** What a refused request is told. */
export function limitMessage(kind: AddressRequest): string {
  return kind === 'create'
    ? `too many rounds opened from your address (at most ${ROOMS_PER_ADDRESS_BURST} at once, ${ROOMS_PER_ADDRESS_PER_HOUR} an hour); try again later`
    : `too many joins from your address (at most ${SEATS_PER_ADDRESS_BURST} at once, ${SEATS_PER_ADDRESS_PER_MINUTE} a minute); try again in a minute`;
}
