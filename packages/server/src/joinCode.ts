import { randomInt } from 'node:crypto';
import { matchMaker } from '@colyseus/core';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '@roundtrip/protocol';

/** Tries before giving up on finding an unused code (23^5 ≈ 6.4 million codes: a clash is rare). */
const MAX_ATTEMPTS = 20;

/** A random join code: JOIN_CODE_LENGTH characters of JOIN_CODE_ALPHABET, from a CSPRNG (SPEC ROOM-1). */
export function randomJoinCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/**
 * A join code no room in this process uses. Colyseus does not check a roomId
 * set in onCreate for clashes, so we ask the matchmaker ourselves.
 */
export async function unusedJoinCode(): Promise<string> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const code = randomJoinCode();
    if ((await matchMaker.query({ roomId: code })).length === 0) return code;
  }
  throw new Error(`no unused join code after ${MAX_ATTEMPTS} tries; too many rooms are open`);
}
