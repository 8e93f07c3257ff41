import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Bytes of randomness in a host token (24 base64url characters). */
const HOST_TOKEN_BYTES = 18;

/**
 * A new secret: the host's token (takes the host role back after a reconnect) or a
 * player's seat token (takes the seat back after a server restart, SPEC PERSIST-4).
 */
export function newHostToken(): string {
  return randomBytes(HOST_TOKEN_BYTES).toString('base64url');
}

/** Compares a presented token with the expected one in constant time. */
export function hostTokenMatches(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The name under which a host's rounds are kept: a hash, so the store never holds the key itself (SPEC PERSIST-2). */
export function hostKeyHash(hostKey: string): string {
  return createHash('sha256').update(hostKey).digest('hex');
}

/**
 * The key that opens a room's projector view (SPEC HOST-9): derived from the host's
 * token, so it survives a restart with it, yet it grants nothing the host may do.
 */
export function projectorKeyFor(hostToken: string): string {
  return createHmac('sha256', hostToken).update('roundtrip projector').digest('base64url').slice(0, 32);
}
