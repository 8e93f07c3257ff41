import { randomBytes, timingSafeEqual } from 'node:crypto';

/** Bytes of randomness in a host token (24 base64url characters). */
const HOST_TOKEN_BYTES = 18;

/** A new secret that lets the host take the host role back after a reconnect. */
export function newHostToken(): string {
  return randomBytes(HOST_TOKEN_BYTES).toString('base64url');
}

/** Compares a presented token with the room's in constant time. */
export function hostTokenMatches(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
