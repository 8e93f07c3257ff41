import { randomInt } from 'node:crypto';
import { matchMaker, type Presence } from '@colyseus/core';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '@roundtrip/protocol';

/** Tries before giving up on finding an unused code (23^5 ≈ 6.4 million codes: a clash is rare). */
const MAX_ATTEMPTS = 20;

/** The presence hash of join codes in use, code → times taken (SPEC ROOM-1, SCALE-1). */
export const JOIN_CODES_KEY = 'roundtrip:join-codes';

/** A random join code: JOIN_CODE_LENGTH characters of JOIN_CODE_ALPHABET, from a CSPRNG (SPEC ROOM-1). */
export function randomJoinCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/**
 * Takes `code` for a new room in the presence: true for exactly one caller, across
 * every process sharing it (HINCRBY is atomic in Redis: only one caller sees 1).
 */
export async function claimJoinCode(
  code: string,
  presence: Presence = matchMaker.presence,
): Promise<boolean> {
  return (await presence.hincrby(JOIN_CODES_KEY, code, 1)) === 1;
}

/** Gives `code` back when its room is gone for good. */
export async function releaseJoinCode(code: string, presence: Presence = matchMaker.presence): Promise<void> {
  await presence.hdel(JOIN_CODES_KEY, code);
}

/**
 * A join code no room uses, on this process or another (SPEC SCALE-1). Colyseus does
 * not check a roomId set in onCreate for clashes, so the code is reserved in the
 * presence first; the matchmaker's listing is checked too (rooms restored after a restart).
 */
export async function unusedJoinCode(): Promise<string> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const code = randomJoinCode();
    if (!(await claimJoinCode(code))) continue;
    if ((await matchMaker.query({ roomId: code })).length === 0) return code;
  }
  throw new Error(`no unused join code after ${MAX_ATTEMPTS} tries; too many rooms are open`);
}
