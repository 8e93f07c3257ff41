/** The room name clients create and join. */
export const CLASS_ROOM = 'class';

/** Join codes: easy to read aloud, no look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V) — SPEC ROOM-1. */
export const JOIN_CODE_ALPHABET = 'ACDEFGHJKMNPQRTWXY34679';
export const JOIN_CODE_LENGTH = 5;

/** Nicknames: trimmed, 1..20 characters, unique in a room (case-insensitive) — SPEC ROOM-2. */
export const NICKNAME_MAX_CHARS = 20;

/** Most players in one class room. */
export const MAX_PLAYERS = 60;

/** The room advances the simulation at this rate (SPEC SYNC-3). */
export const TICK_HZ = 20;

/** A tick's period in milliseconds: 1000 / TICK_HZ. */
export const TICK_MS = 1000 / TICK_HZ;

/**
 * A copy's ticks leave in batches of this many, with the state patch (SPEC SYNC-3, SYNC-5):
 * 5 socket writes a second per client (20 before batching, 10 with batches of 2).
 */
export const TICKS_PER_BATCH = 4;

/**
 * How often the room sends a state hash for replicas to check (SPEC SYNC-4): every 8 s (a
 * snapshot each, on the server and on every replica), a check that only ever finds a bug.
 * The copy's checkpoint is saved on the same tick with the same snapshot (PERSIST-3).
 * Every 2 s was ~8 % of a room's tick (PERFORMANCE.md "Issue 16, fifth round"); every 4 s,
 * out of step with the once-a-second save, made two writes a second.
 */
export const HASH_EVERY_TICKS = 8 * TICK_HZ;
/** Copies hash this many ticks apart (1 s), so that each of the room's once-a-second saves carries one (SPEC SYNC-4). */
export const HASH_STAGGER_TICKS = TICK_HZ;

/**
 * Whether copy `copy` hashes its state after tick `tick` (SPEC SYNC-4): on the ticks where
 * tick − copy × HASH_STAGGER_TICKS is a multiple of HASH_EVERY_TICKS, so a room's first 8
 * copies hash on different seconds.
 */
export function isHashTick(tick: number, copy: number): boolean {
  return (tick - copy * HASH_STAGGER_TICKS) % HASH_EVERY_TICKS === 0;
}

/** Seconds a dropped player or host keeps their place before it is freed (SPEC ROOM-7). */
export const RECONNECT_WINDOW_S = 30;

/** Points kept per sparkline. */
export const SPARKLINE_POINTS = 60;

/** Time scale bounds the host may set (1/50 of real time up to real time). */
export const TIME_SCALE_MIN = 0.02;
export const TIME_SCALE_MAX = 1;

/** Normalises a typed join code: upper case, no spaces. */
export function normaliseJoinCode(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/** The close code of a player the host removed (SPEC HOST-2): the page shows the reason and does not try to come back. */
export const KICKED_CLOSE_CODE = 4101;

/** Projector connections one room accepts at once (SPEC HOST-9). */
export const PROJECTORS_MAX = 4;

/** Close code for a host tab whose role was taken over by another tab or device (SPEC CLASS-2): it must not take it back. Not 4000–4010: Colyseus uses those. */
export const HOST_MOVED_CLOSE_CODE = 4020;

/** Teams in a competition (SPEC COMP-1). */
export const TEAMS_MIN = 2;
export const TEAMS_MAX = 8;
/** A team's name, at most this many characters (SPEC COMP-1). */
export const TEAM_NAME_MAX_CHARS = 24;
